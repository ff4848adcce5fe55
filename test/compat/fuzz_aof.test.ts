// The AOF under random commands: the same random sequences over every type (test/compat/
// _fuzz_cmds.ts, replies compared as they go) run on redis-server and echokv, both with
// appendonly yes and tiny listpack/intset thresholds, with a BGREWRITEAOF on each half way. Then
// each server's AOF directory is copied and loaded into fresh servers:
//   redis-server on redis-server's AOF   (the reference)
//   redis-server on echokv's AOF         (must equal it: echokv propagates and rewrites right)
//   echokv on redis-server's AOF         (must equal it: echokv loads Redis's AOF right)
// compared key by key, TTLs and OBJECT ENCODING included, in both databases used.
//
// ECHOKV_FUZZ_SEED and ECHOKV_FUZZ_RUNS explore other sequences.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { env } from 'node:process';
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { redisOrSkip, type Proc, RespClient, sleep, startProcess, tempDir } from '../_helpers.ts';
import { infoField, startAof, stopAll, waitFor } from '../aof_helpers.ts';
import { Compat } from './_compat.ts';
import { compare, KEYS, script } from './_fuzz_cmds.ts';

const THRESHOLDS: Record<string, string> = {
  'hash-max-listpack-entries': '4', 'hash-max-listpack-value': '8', 'set-max-intset-entries': '4',
  'zset-max-listpack-entries': '4', 'zset-max-listpack-value': '8', 'list-max-listpack-size': '4',
  'stream-node-max-entries': '3',
};
const SEED = env.ECHOKV_FUZZ_SEED === undefined ? 5150 : Number(env.ECHOKV_FUZZ_SEED);
const RUNS = Number(env.ECHOKV_FUZZ_RUNS ?? 30);

const test = suite('compat: fuzz through the AOF');
const dirs: string[] = [];
const procs: Proc[] = [];
const clients: RespClient[] = [];

const fresh = (): string => {
  const d = tempDir('echokv-fuzz-aof-');
  dirs.push(d);
  return d;
};

/** A redis-server with appendonly yes on `dir` (loading what the directory holds). */
async function redisOn(dir: string): Promise<RespClient> {
  let conf = `dir ${dir}\nsave ""\nappendonly yes\nappendfsync always\nbind 127.0.0.1\nenable-debug-command yes\n`;
  for (const [k, v] of Object.entries(THRESHOLDS)) conf += `${k} ${v}\n`;
  writeFileSync(join(dir, 'redis.conf'), conf);
  const p = await startProcess('redis-server', [join(dir, 'redis.conf')], { cwd: dir });
  procs.push(p);
  const c = await RespClient.connect(p.port);
  clients.push(c);
  return c;
}

async function echoOn(dir: string): Promise<RespClient> {
  const s = await startAof(dir, { appendfsync: 'always', ...THRESHOLDS });
  const c = await RespClient.connect(s.port);
  clients.push(c);
  return c;
}

/** A copy of `dir`'s AOF directory in a fresh directory. */
function copyAof(dir: string): string {
  const d = fresh();
  cpSync(join(dir, 'appendonlydir'), join(d, 'appendonlydir'), { recursive: true });
  return d;
}

async function rewrite(c: RespClient): Promise<void> {
  assert.is(await c.call('BGREWRITEAOF'), 'Background append only file rewriting started');
  assert.ok(await waitFor(async () => (await infoField(c, 'aof_rewrite_in_progress')) === '0' &&
    (await infoField(c, 'aof_rewrite_scheduled')) === '0'));
}

async function sameDatabases(c: Compat): Promise<void> {
  for (const db of ['1', '0']) {
    await c.same('SELECT', db);
    await c.sameDataset();
  }
}

test.after(async () => {
  for (const c of clients) c.close();
  await stopAll();
  for (const p of procs) await p.stop('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test('random sequences replay to the same dataset from either server\'s AOF', async () => {
  if (!redisOrSkip()) return;
  const rdir = fresh();
  const edir = fresh();
  const live = new Compat(await redisOn(rdir), await echoOn(edir));
  await live.same('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
  const sequences = fc.sample(script, { numRuns: RUNS, seed: SEED });
  for (let i = 0; i < sequences.length; i++) {
    // Keys of their own per sequence, so the final dataset holds what each sequence left.
    const own = (a: string): string => (KEYS.includes(a) ? `${i}:${a}` : a);
    for (const cmd of sequences[i]) await compare(live, cmd.map(own));
    await live.same('SELECT', '0');
    if (i === Math.floor(sequences.length / 2)) {
      await rewrite(live.redis);
      await rewrite(live.echo);
    }
  }
  // Keys given 1 ms TTLs have run out on both.
  await sleep(5);
  await sameDatabases(live);
  const fromRedis = await redisOn(copyAof(rdir));
  const redisFromEcho = await redisOn(copyAof(edir));
  const echoFromRedis = await echoOn(copyAof(rdir));
  await sameDatabases(new Compat(fromRedis, redisFromEcho));
  await sameDatabases(new Compat(fromRedis, echoFromRedis));
});

test.run();
