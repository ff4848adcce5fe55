// A string value longer than the longest JS string (2^29 - 24 bytes): SETRANGE or APPEND can grow
// one to proto-max-bulk-len (512 MB), and Redis saves and loads such values. echokv keeps them as
// bytes; the RDB file must load back (a Redis dump holding one too), and an AOF rewrite without
// the RDB preamble writes it as SET and APPENDs of at most 64 MB, each short enough to load.
// Redis's side needs no raised limit: SETRANGE may reach proto-max-bulk-len itself.
// test-runner: alone (gigabytes of memory traffic would starve a test run beside it)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closeSync, copyFileSync, openSync, readdirSync, readSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RespClient, startRedis, tempDir } from './_helpers.ts';
import { startAof, stopAll, waitFor } from './aof_helpers.ts';

const N = 512 * 1024 * 1024;
const dirs: string[] = [];

test.after(async () => {
  await stopAll();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Occurrences of `needle` in the file at `path`, read in chunks (it is 512 MB). */
function countIn(path: string, needle: string): number {
  const fd = openSync(path, 'r');
  const chunk = Buffer.alloc(16 << 20);
  let count = 0;
  let carry = '';
  try {
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      const text = carry + chunk.toString('latin1', 0, n);
      for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) count++;
      carry = text.slice(Math.max(0, text.length - needle.length + 1));
    }
  } finally {
    closeSync(fd);
  }
  return count;
}

test('a 512 MB value survives DEBUG RELOAD, an AOF rewrite without preamble and a restart', async () => {
  const dir = tempDir('echokv-huge-');
  dirs.push(dir);
  const s1 = await startAof(dir, { persistence: 'rdb aof', appendonly: 'no', 'aof-use-rdb-preamble': 'no' });
  const c1 = await RespClient.connect(s1.port);
  assert.is(await c1.call('SETRANGE', 'big', String(N - 1), 'x'), N);
  await c1.call('SET', 'small', 'v');
  const digest = await c1.call('DEBUG', 'DIGEST');
  // Through the RDB file: it held the value; loading it failed before ("Cannot create a string").
  assert.is(await c1.call('DEBUG', 'RELOAD'), 'OK');
  assert.is(await c1.call('STRLEN', 'big'), N);
  assert.is(await c1.call('DEBUG', 'DIGEST'), digest);
  // Turning the AOF on writes its base by a rewrite: commands, as the preamble is off.
  assert.is(await c1.call('CONFIG', 'SET', 'appendonly', 'yes'), 'OK');
  const rewritten = await waitFor(async () => /aof_rewrite_in_progress:0/.test(String(await c1.call('INFO', 'persistence'))) &&
    readdirSync(join(dir, 'appendonlydir')).some((f) => f.endsWith('.base.aof')), 60_000);
  assert.ok(rewritten, 'the rewrite finished');
  const base = readdirSync(join(dir, 'appendonlydir')).find((f) => f.endsWith('.base.aof'))!;
  // 512 MB in 64 MB arguments: one SET and seven APPENDs.
  assert.is(countIn(join(dir, 'appendonlydir', base), '*3\r\n$6\r\nAPPEND\r\n$3\r\nbig\r\n$67108864\r\n'), 7);
  c1.close();
  await s1.stop();
  // Started again from the AOF alone.
  const s2 = await startAof(dir, { persistence: 'aof' });
  const c2 = await RespClient.connect(s2.port);
  assert.is(await c2.call('STRLEN', 'big'), N);
  assert.is(await c2.call('GETRANGE', 'big', '-2', '-1'), '\0x');
  assert.is(await c2.call('DEBUG', 'DIGEST'), digest);
  c2.close();
  await s2.stop();
});

test('a dump redis-server wrote with a 512 MB value loads, with the same DEBUG DIGEST', async () => {
  const redis = await startRedis();
  if (redis === null) return;
  const dir = tempDir('echokv-huge-redis-');
  dirs.push(dir);
  let digest: unknown;
  try {
    const r = await RespClient.connect(redis.port);
    assert.is(await r.call('SETRANGE', 'big', String(N - 1), 'y'), N);
    await r.call('SET', 'small', 'v');
    digest = await r.call('DEBUG', 'DIGEST');
    assert.is(await r.call('SAVE'), 'OK');
    r.close();
    copyFileSync(join(redis.dir, 'dump.rdb'), join(dir, 'dump.rdb'));
  } finally {
    await redis.stop();
  }
  const s = await startAof(dir, { persistence: 'rdb', appendonly: 'no' });
  const c = await RespClient.connect(s.port);
  assert.is(await c.call('STRLEN', 'big'), N);
  assert.is(await c.call('DEBUG', 'DIGEST'), digest);
  c.close();
  await s.stop();
});

test.run();
