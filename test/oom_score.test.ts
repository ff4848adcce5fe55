// oom-score-adj against redis-server: the same CONFIG SET steps on both processes, and after
// each the reply and the score the kernel holds for the process (/proc/<pid>/oom_score_adj).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import process from 'node:process';
import { type Proc, RespClient, ROOT, startProcess, startRedis } from './_helpers.ts';

const NODE = process.versions.bun || process.versions.deno
  ? spawnSync('node', ['-p', 'process.execPath'], { encoding: 'utf8' }).stdout.trim()
  : process.execPath;
const BUNDLE = join(ROOT, 'dist', 'echokv.mjs');

const score = (pid: number): string => readFileSync(`/proc/${pid}/oom_score_adj`, 'utf8').trim();

/** Runs the steps on one server: each CONFIG command's reply (or error) and the score after it. */
async function walk(p: Proc): Promise<string[]> {
  const pid = p.child.pid!;
  const c = await RespClient.connect(p.port);
  const log: string[] = [];
  const step = async (...args: string[]): Promise<void> => {
    let reply: unknown;
    try {
      reply = await c.call(...args);
    } catch (e) {
      reply = `error: ${(e as Error).message}`;
    }
    log.push(`${args.join(' ')} -> ${JSON.stringify(reply)} score ${score(pid)}`);
  };
  const set = (v: number): void => {
    writeFileSync(`/proc/${pid}/oom_score_adj`, `${v}\n`);
    log.push(`score set to ${v}`);
  };
  set(5);
  await step('CONFIG', 'SET', 'oom-score-adj-values', '10 20 30');
  await step('CONFIG', 'SET', 'oom-score-adj', 'yes');
  await step('CONFIG', 'SET', 'oom-score-adj-values', '15 20 30');
  await step('CONFIG', 'SET', 'oom-score-adj', 'no');
  // The score given back is the one before echokv took control, not the one it found later.
  set(22);
  await step('CONFIG', 'SET', 'oom-score-adj-values', '9 9 9', 'oom-score-adj', 'yes');
  await step('CONFIG', 'SET', 'oom-score-adj', 'absolute');
  await step('CONFIG', 'SET', 'oom-score-adj', 'relative');
  await step('CONFIG', 'SET', 'oom-score-adj-values', '2000 0 0');
  await step('CONFIG', 'SET', 'oom-score-adj-values', '-2000 0 0');
  await step('CONFIG', 'SET', 'oom-score-adj-values', '-2001 0 0');
  await step('CONFIG', 'SET', 'oom-score-adj', 'no');
  // Values changed while off leave the process alone.
  set(7);
  await step('CONFIG', 'SET', 'oom-score-adj-values', '1 1 1');
  // Redis lists CONFIG GET matches in its hash table's order: compared as sorted pairs.
  const flat = (await c.call('CONFIG', 'GET', 'oom-score-adj*')) as string[];
  const pairs = [];
  for (let i = 0; i < flat.length; i += 2) pairs.push(`${flat[i]}=${flat[i + 1]}`);
  log.push(`CONFIG GET oom-score-adj*: ${pairs.sort().join(' ')}`);
  c.socket.destroy();
  return log;
}

test('CONFIG SET oom-score-adj writes the process score as redis-server does', async () => {
  if (!existsSync('/proc/self/oom_score_adj')) {
    console.log('  (skipped: no /proc/self/oom_score_adj on this system)');
    return;
  }
  const redis = await startRedis();
  if (redis === null) return;
  const echokv = await startProcess(NODE, [BUNDLE, '--bind', '127.0.0.1', '--save', '']);
  try {
    const want = await walk(redis);
    const got = await walk(echokv);
    assert.equal(got, want);
    // The steps moved the score, so the comparison above is not of two untouched processes.
    assert.ok(want.some((l) => l.endsWith('score 31')), want.join('\n'));
  } finally {
    await echokv.stop();
    await redis.stop();
  }
});

test('oom-score-adj from the config file applies at start-up', async () => {
  if (!existsSync('/proc/self/oom_score_adj')) return;
  const echokv = await startProcess(NODE, [BUNDLE, '--bind', '127.0.0.1', '--save', '',
    '--oom-score-adj', 'absolute', '--oom-score-adj-values', '123 0 0']);
  try {
    assert.is(score(echokv.child.pid!), '123');
  } finally {
    await echokv.stop();
  }
});

test.run();
