// Which persistence runs by default and how the usual directives choose it, with the built bundle
// as a user starts it: no config means Redis's defaults (RDB save points, AOF off), `appendonly yes`
// turns the AOF on beside the snapshots, `persistence none` keeps everything in memory.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { RespClient, ROOT, startProcess } from './_helpers.ts';

const BUNDLE = join(ROOT, 'dist/echokv.mjs');
const test = suite('persistence chosen by directives');

async function withServer(dir: string, args: string[], body: (c: RespClient) => Promise<void>, signal: NodeJS.Signals = 'SIGTERM'): Promise<string> {
  const p = await startProcess(process.execPath, [BUNDLE, '--bind', '127.0.0.1', ...args], { cwd: dir, timeoutMs: 30000 });
  const c = await RespClient.connect(p.port);
  try {
    await body(c);
  } finally {
    c.close();
    await p.stop(signal);
  }
  return p.output();
}

test('no config: snapshots into the working directory at shutdown and loads them back', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'echokv-default-'));
  try {
    await withServer(dir, [], async (c) => {
      assert.equal(await c.call('CONFIG', 'GET', 'save'), ['save', '3600 1 300 100 60 10000']);
      assert.equal(await c.call('CONFIG', 'GET', 'appendonly'), ['appendonly', 'no']);
      assert.is(await c.call('SET', 'k', 'v'), 'OK');
      assert.is(await c.call('HSET', 'h', 'f', '1'), 1);
    });
    assert.ok(existsSync(join(dir, 'dump.rdb')), 'dump.rdb written at shutdown');
    assert.not.ok(existsSync(join(dir, 'appendonlydir')), 'no AOF while appendonly is no');
    await withServer(dir, [], async (c) => {
      assert.is(await c.call('GET', 'k'), 'v');
      assert.is(await c.call('HGET', 'h', 'f'), '1');
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('appendonly yes: acknowledged writes survive SIGKILL through the AOF, beside BGSAVE', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'echokv-aofon-'));
  try {
    await withServer(dir, ['--appendonly', 'yes', '--appendfsync', 'always'], async (c) => {
      assert.is(await c.call('SET', 'a', '1'), 'OK');
      assert.is(await c.call('BGSAVE'), 'Background saving started');
      assert.is(await c.call('RPUSH', 'l', 'x', 'y'), 2);
    }, 'SIGKILL');
    assert.ok(readdirSync(join(dir, 'appendonlydir')).includes('appendonly.aof.manifest'));
    await withServer(dir, ['--appendonly', 'yes'], async (c) => {
      const info = String(await c.call('INFO', 'persistence'));
      assert.match(info, 'aof_enabled:1');
      assert.is(await c.call('GET', 'a'), '1');
      assert.equal(await c.call('LRANGE', 'l', '0', '-1'), ['x', 'y']);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('persistence none: nothing is written and SAVE says why', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'echokv-none-'));
  try {
    await withServer(dir, ['--persistence', 'none'], async (c) => {
      assert.is(await c.call('SET', 'k', 'v'), 'OK');
      const r = await c.call('SAVE') as { error?: string };
      assert.type(r.error, 'string', JSON.stringify(r));
    });
    assert.equal(readdirSync(dir), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
