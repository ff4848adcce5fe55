// Crash tests: the built server (dist/echokv.mjs) under a write load, killed with SIGKILL at a
// random moment, restarted on the same directory, again and again (bounded: a fixed number of
// rounds of about a second each).
// - appendfsync always: every acknowledged write is there after the restart;
// - appendfsync everysec: at most what was acknowledged in the last two seconds is missing;
// - rewrites (BGREWRITEAOF, RDB preamble) killed midway never leave an AOF that does not load;
// - BGSAVE killed midway never leaves a half-written dump.rdb (redis-check-rdb accepts it).
// The counters tell what was acknowledged: each client INCRs its own key one request at a
// time, so after a restart its value must lie between its last acknowledged reply (minus the
// allowed loss) and the number of INCRs sent.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { haveRedis, ROOT, RespClient, startProcess, tempDir, type Proc } from './_helpers.ts';
import { waitFor } from './aof_helpers.ts';

const test = suite('crash: SIGKILL under load');
const BUNDLE = join(ROOT, 'dist/echokv.mjs');
const CLIENTS = 4;
const dirs: string[] = [];
let current: Proc | null = null;
test.after(async () => {
  if (current !== null) await current.stop('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

let seed = Number(process.env.ECHOKV_CRASH_SEED ?? Date.now() % 100000);
console.log(`  (crash test seed ${seed}: ECHOKV_CRASH_SEED=${seed} repeats it)`);
const rnd = (n: number): number => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
};

async function start(dir: string, args: string[]): Promise<Proc> {
  current = await startProcess(process.execPath, [BUNDLE, '--dir', dir, '--bind', '127.0.0.1', ...args], { timeoutMs: 60000 });
  return current;
}

async function kill(p: Proc): Promise<void> {
  await p.stop('SIGKILL');
  current = null;
}

interface Counter {
  /** Value read at the start of the round (verified). */
  base: number;
  sent: number;
  /** Replies with the time each arrived. */
  acks: { value: number; at: number }[];
}

/**
 * Runs CLIENTS INCR loops (plus background noise: SETs, APPENDs, EXPIREs on other keys) until
 * `stop` resolves; returns the counters. Connection errors after the kill end a loop quietly.
 */
async function load(port: number, stopAt: Promise<void>, extra?: (c: RespClient) => Promise<void>): Promise<Counter[]> {
  const counters: Counter[] = [];
  let stopped = false;
  void stopAt.then(() => (stopped = true));
  const loops: Promise<void>[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const c = await RespClient.connect(port);
    const base = Number((await c.call('GET', `ctr:${i}`)) ?? 0);
    const ctr: Counter = { base, sent: 0, acks: [] };
    counters.push(ctr);
    loops.push((async () => {
      try {
        while (!stopped) {
          ctr.sent++;
          const v = (await c.call('INCR', `ctr:${i}`)) as number;
          ctr.acks.push({ value: v, at: Date.now() });
          if (i === 0 && v % 7 === 0) await c.call('SET', `noise:${v % 500}`, 'x'.repeat(v % 300));
          if (i === 1 && v % 5 === 0) await c.call('APPEND', `log:${v % 50}`, `${v},`);
          if (i === 2 && v % 11 === 0) await c.call('PEXPIRE', `noise:${v % 500}`, 100_000 + v);
          if (extra !== undefined && i === 3 && v % 50 === 0) await extra(c);
        }
      } catch {
        // The server was killed with requests in flight.
      } finally {
        c.close();
      }
    })());
  }
  await Promise.all(loops);
  return counters;
}

/** Checks the counters after a restart; `lossMs` is how much acknowledged history may be lost. */
async function verify(port: number, counters: Counter[], killedAt: number, lossMs: number, round: string): Promise<void> {
  const c = await RespClient.connect(port);
  for (let i = 0; i < counters.length; i++) {
    const ctr = counters[i];
    const stored = Number((await c.call('GET', `ctr:${i}`)) ?? 0);
    const mustHave = ctr.acks.filter((a) => a.at <= killedAt - lossMs).reduce((m, a) => Math.max(m, a.value), ctr.base);
    assert.ok(stored >= mustHave, `${round}: client ${i} has ${stored}, but ${mustHave} was acknowledged ` +
      `(${lossMs} ms of loss allowed; last ack ${ctr.acks.at(-1)?.value})`);
    assert.ok(stored <= ctr.base + ctr.sent, `${round}: client ${i} has ${stored}, more than the ${ctr.base} + ${ctr.sent} sent`);
  }
  c.close();
}

async function rounds(policy: 'always' | 'everysec', n: number, lossMs: number, rewrites: boolean): Promise<number> {
  const dir = tempDir('echokv-crash-');
  dirs.push(dir);
  const args = ['--appendonly', 'yes', '--appendfsync', policy, '--save', '', '--persistence', 'aof'];
  let counters: Counter[] | null = null;
  let killedAt = 0;
  let acked = 0;
  for (let r = 0; r <= n; r++) {
    const p = await start(dir, args);
    if (counters !== null) await verify(p.port, counters, killedAt, lossMs, `${policy} round ${r}`);
    if (r === n) {
      await kill(p);
      break;
    }
    const ms = 100 + rnd(700);
    const stopAt = new Promise<void>((resolve) => setTimeout(resolve, ms));
    const extra = rewrites ? async (c: RespClient) => void await c.call('BGREWRITEAOF') : undefined;
    const running = load(p.port, stopAt, extra);
    await stopAt;
    killedAt = Date.now();
    await kill(p);
    counters = await running;
    for (const ctr of counters) acked += ctr.acks.length;
  }
  return acked;
}

test('appendfsync always: every acknowledged write survives SIGKILL (20 rounds, rewrites midway)', async () => {
  const acked = await rounds('always', 20, 0, true);
  assert.ok(acked > 100, `the load ran (${acked} acknowledged writes)`);
});

test('appendfsync everysec: at most the last 2 s of acknowledged writes are lost (6 rounds)', async () => {
  const acked = await rounds('everysec', 6, 2000, false);
  assert.ok(acked > 100, `the load ran (${acked} acknowledged writes)`);
});

test('BGSAVE killed midway never leaves a half-written dump.rdb (6 rounds)', async () => {
  if (!haveRedis()) {
    if (process.env.CI === 'true') throw new Error('redis-check-rdb is required when CI=true');
    console.log('  (skipped: redis-check-rdb is not installed)');
    return;
  }
  const dir = tempDir('echokv-crash-rdb-');
  dirs.push(dir);
  const args = ['--persistence', 'rdb', '--appendonly', 'no', '--save', '', '--enable-debug-command', 'yes'];
  let saves = 0;
  for (let r = 0; r < 6; r++) {
    const p = await start(dir, args);
    const c = await RespClient.connect(p.port);
    if (r === 0) {
      // A first complete dump, so that every later round has one to lose.
      await c.call('DEBUG', 'POPULATE', 100000, 'key', 64);
      assert.is(await c.call('BGSAVE'), 'Background saving started');
      assert.ok(await waitFor(async () => /rdb_bgsave_in_progress:0/.test((await c.call('INFO', 'persistence')) as string)));
      assert.match((await c.call('INFO', 'persistence')) as string, 'rdb_last_bgsave_status:ok');
    }
    assert.ok(((await c.call('DBSIZE')) as number) >= 100000, `round ${r}: the dump loaded`);
    const ms = 50 + rnd(600);
    const end = Date.now() + ms;
    try {
      while (Date.now() < end) {
        const reply = await c.call('BGSAVE');
        if (reply === 'Background saving started') saves++;
        await c.call('SET', `round:${r}`, String(Date.now()));
      }
    } catch { /* killed */ }
    c.close();
    await kill(p);
    const dump = join(dir, 'dump.rdb');
    if (existsSync(dump)) {
      const check = spawnSync('redis-check-rdb', [dump], { encoding: 'utf8' });
      assert.is(check.status, 0, `round ${r}: redis-check-rdb refused the dump:\n${check.stdout}${check.stderr}`);
    }
  }
  assert.ok(saves > 1, 'background saves ran');
  // And the last dump loads.
  const p = await start(dir, args);
  const c = await RespClient.connect(p.port);
  assert.ok(((await c.call('DBSIZE')) as number) >= 100000, 'the last dump loaded');
  c.close();
  await kill(p);
});

test.run();
