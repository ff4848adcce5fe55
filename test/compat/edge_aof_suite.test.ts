// The multi-part AOF's run-time life, as Redis 7.0's own test suite checks it
// (tests/integration/aof-multi-part.tcl, tests/unit/aofrw.tcl): the same CONFIG SET appendonly /
// aof-disable-auto-gc / BGREWRITEAOF / DEBUG LOADAOF / BGSAVE sequence goes to a real
// redis-server and to echokv, each on its own directory, and after every step the manifests,
// the AOF directory's file names and the INFO fields Redis's tests read must be the same, the
// files must pass redis-check-aof, and the log lines tools grep for must be there.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { redisOrSkip, RespClient, startProcess, tempDir, type Proc } from '../_helpers.ts';
import { type AofServer, infoField, startAof, stopAll, waitFor } from '../aof_helpers.ts';

const test = suite('compat: aof run-time life (Redis suite)');
const dirs: string[] = [];
const procs: Proc[] = [];
const clients: RespClient[] = [];
let skipped = false;
test.before(() => {
  if (!redisOrSkip()) skipped = true;
});
test.after(async () => {
  for (const c of clients) c.close();
  await stopAll();
  for (const p of procs) await p.stop('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const t = (name: string, fn: () => Promise<void>): void => {
  test(name, async () => {
    if (!skipped) await fn();
  });
};

interface Side {
  name: string;
  dir: string;
  c: RespClient;
  logs(): string;
}

interface Pair {
  redis: Side & { proc: Proc };
  echo: Side & { server: AofServer };
  both: Side[];
}

/** redis-server and echokv with appendonly no on directories of their own (as the suite starts). */
async function pair(config: Record<string, string> = {}, wrap?: Parameters<typeof startAof>[2]): Promise<Pair> {
  const rdir = tempDir('echokv-aofsuite-r-');
  const edir = tempDir('echokv-aofsuite-e-');
  dirs.push(rdir, edir);
  const conf = { appendonly: 'no', 'aof-use-rdb-preamble': 'yes', ...config };
  const lines = Object.entries(conf).map(([k, v]) => `${k} ${v}\n`).join('');
  writeFileSync(join(rdir, 'redis.conf'), `dir ${rdir}\nsave ""\nbind 127.0.0.1\nenable-debug-command yes\n${lines}`);
  const proc = await startProcess('redis-server', [join(rdir, 'redis.conf')], { cwd: rdir });
  procs.push(proc);
  // Both persistence plugins, as echokv runs by default: BGSAVE needs the rdb one.
  const server = await startAof(edir, { persistence: 'rdb aof', ...conf }, wrap);
  const rc = await RespClient.connect(proc.port);
  const ec = await RespClient.connect(server.port);
  clients.push(rc, ec);
  const redis = { name: 'redis-server', dir: rdir, c: rc, logs: () => proc.output(), proc };
  const echo = { name: 'echokv', dir: edir, c: ec, logs: () => server.logs(), server };
  return { redis, echo, both: [redis, echo] };
}

/** The same command to both; the replies must be equal. */
async function same(p: Pair, ...args: string[]): Promise<unknown> {
  const [r, e] = await Promise.all([p.redis.c.callRaw(...args), p.echo.c.callRaw(...args)]);
  assert.is(JSON.stringify(e.bytes), JSON.stringify(r.bytes), `reply to ${args.join(' ')}`);
  return r.reply;
}

async function idle(s: Side): Promise<void> {
  const ok = await waitFor(async () => {
    const info = (await s.c.call('INFO', 'persistence')) as string;
    return !/aof_rewrite_in_progress:1|aof_rewrite_scheduled:1|rdb_bgsave_in_progress:1/.test(info);
  });
  assert.ok(ok, `${s.name}: the rewrite / save did not end`);
}

const settle = (p: Pair): Promise<unknown> => Promise.all(p.both.map(idle));

function manifest(s: Side): string | null {
  const f = join(s.dir, 'appendonlydir', 'appendonly.aof.manifest');
  return existsSync(f) ? readFileSync(f, 'latin1') : null;
}

/**
 * The AOF directory's file names. A running rewrite's temp base is left out: Redis's child
 * writes it in `dir` (temp-rewriteaof-<pid>.aof), echokv in appendonlydir (a known difference,
 * kept so the rename into place stays within one directory).
 */
function files(s: Side): string {
  const d = join(s.dir, 'appendonlydir');
  if (!existsSync(d)) return '(no directory)';
  return readdirSync(d).filter((n) => !n.startsWith('temp-rewriteaof-')).sort().join(' ');
}

/**
 * The manifests are equal (and equal `expected` when given) and, once Redis's background
 * deletions are done, so are the directories' file names.
 */
async function sameFiles(p: Pair, step: string, expected?: string[]): Promise<void> {
  assert.is(manifest(p.echo), manifest(p.redis), `${step}: manifest`);
  if (expected !== undefined) assert.is(manifest(p.echo), expected.map((l) => `${l}\n`).join(''), `${step}: manifest content`);
  await waitFor(() => files(p.echo) === files(p.redis), 2000);
  assert.is(files(p.echo), files(p.redis), `${step}: files of appendonlydir`);
}

function checkAof(s: Side): void {
  const r = spawnSync('redis-check-aof', [join(s.dir, 'appendonlydir', 'appendonly.aof.manifest')], { encoding: 'utf8' });
  assert.is(r.status, 0, `redis-check-aof refused ${s.name}'s AOF:\n${r.stdout}${r.stderr}`);
}

const count = (text: string, re: RegExp): number => (text.match(new RegExp(re.source, 'g')) ?? []).length;

t('rewrites on, off and on again, auto gc off and back on, DEBUG LOADAOF, enable during BGSAVE: same files', async () => {
  const p = await pair();
  await same(p, 'CONFIG', 'SET', 'appendonly', 'yes');
  await same(p, 'CONFIG', 'SET', 'auto-aof-rewrite-percentage', '0');
  await settle(p);
  await same(p, 'SET', 'a', '1');
  await sameFiles(p, 'enabled', ['file appendonly.aof.1.base.rdb seq 1 type b', 'file appendonly.aof.1.incr.aof seq 1 type i']);

  await same(p, 'BGREWRITEAOF');
  await settle(p);
  await sameFiles(p, 'second rewrite', ['file appendonly.aof.2.base.rdb seq 2 type b', 'file appendonly.aof.2.incr.aof seq 2 type i']);

  // "AOF rewrite doesn't open new aof when AOF turn off": a base alone.
  await same(p, 'CONFIG', 'SET', 'appendonly', 'no');
  await same(p, 'BGREWRITEAOF');
  await settle(p);
  await sameFiles(p, 'rewrite while off', ['file appendonly.aof.3.base.rdb seq 3 type b']);
  // DEBUG LOADAOF rereads the manifest: with no incr named, incr numbering starts over.
  await same(p, 'DEBUG', 'LOADAOF');
  await same(p, 'CONFIG', 'SET', 'appendonly', 'yes');
  await settle(p);
  await sameFiles(p, 'on again', ['file appendonly.aof.4.base.rdb seq 4 type b', 'file appendonly.aof.1.incr.aof seq 1 type i']);

  // "AOF enable/disable auto gc": history is kept, then deleted by CONFIG SET ... no.
  await same(p, 'CONFIG', 'SET', 'aof-disable-auto-gc', 'yes');
  await same(p, 'BGREWRITEAOF');
  await settle(p);
  await same(p, 'BGREWRITEAOF');
  await settle(p);
  await sameFiles(p, 'auto gc off', [
    'file appendonly.aof.6.base.rdb seq 6 type b',
    'file appendonly.aof.2.incr.aof seq 2 type h',
    'file appendonly.aof.5.base.rdb seq 5 type h',
    'file appendonly.aof.1.incr.aof seq 1 type h',
    'file appendonly.aof.4.base.rdb seq 4 type h',
    'file appendonly.aof.3.incr.aof seq 3 type i',
  ]);
  await same(p, 'CONFIG', 'SET', 'aof-disable-auto-gc', 'no');
  await sameFiles(p, 'auto gc back on', ['file appendonly.aof.6.base.rdb seq 6 type b', 'file appendonly.aof.3.incr.aof seq 3 type i']);
  assert.match(p.echo.logs(), 'Removing the history file appendonly.aof.5.base.rdb in the background');

  // "AOF can produce consecutive sequence number after reload".
  await same(p, 'DEBUG', 'LOADAOF');
  await same(p, 'BGREWRITEAOF');
  await settle(p);
  await sameFiles(p, 'after reload', ['file appendonly.aof.7.base.rdb seq 7 type b', 'file appendonly.aof.4.incr.aof seq 4 type i']);

  // "AOF enable during BGSAVE will not write data util AOFRW finish".
  await same(p, 'CONFIG', 'SET', 'appendonly', 'no');
  await same(p, 'CONFIG', 'SET', 'rdb-key-save-delay', '300000');
  await same(p, 'SET', 'k1', 'v1');
  await same(p, 'BGSAVE');
  await same(p, 'CONFIG', 'SET', 'appendonly', 'yes');
  for (const s of p.both) assert.is(await infoField(s.c, 'aof_rewrite_scheduled'), '1', `${s.name}: rewrite scheduled`);
  await sameFiles(p, 'scheduled', ['file appendonly.aof.7.base.rdb seq 7 type b', 'file appendonly.aof.4.incr.aof seq 4 type i']);
  await same(p, 'SET', 'k2', 'v2');
  await same(p, 'DEBUG', 'LOADAOF');
  await same(p, 'EXISTS', 'k1', 'k2');
  await same(p, 'CONFIG', 'SET', 'rdb-key-save-delay', '0');
  await settle(p);
  await sameFiles(p, 'after the scheduled rewrite', ['file appendonly.aof.8.base.rdb seq 8 type b', 'file appendonly.aof.5.incr.aof seq 5 type i']);
  await same(p, 'SET', 'k3', 'v3');
  await same(p, 'DEBUG', 'LOADAOF');
  await same(p, 'GET', 'k3');
  for (const s of p.both) checkAof(s);
  // Every rewrite and the BGSAVE forked a child in Redis; echokv counts each start as one too.
  const [rf, ef] = await Promise.all([infoField(p.redis.c, 'total_forks', 'stats'), infoField(p.echo.c, 'total_forks', 'stats')]);
  assert.ok(Number(rf) > 0, rf);
  assert.is(ef, rf, 'INFO total_forks');
});

t('turning AOF off kills a slow rewrite (rdb-key-save-delay): log lines, temp incr left, no manifest', async () => {
  const p = await pair({ 'aof-use-rdb-preamble': 'no' });
  await same(p, 'SET', 'k', 'v');
  await same(p, 'SET', 'k2', 'v2');
  await same(p, 'CONFIG', 'SET', 'rdb-key-save-delay', '1000000');
  await same(p, 'CONFIG', 'SET', 'appendonly', 'yes');
  await new Promise((r) => setTimeout(r, 100));
  // The rewrite takes a second per key, as Redis's child does.
  for (const s of p.both) assert.is(await infoField(s.c, 'aof_rewrite_in_progress'), '1', `${s.name}: rewrite in progress`);
  await same(p, 'SET', 'during', 'x');
  await sameFiles(p, 'first rewrite running');
  await same(p, 'CONFIG', 'SET', 'appendonly', 'no');
  for (const s of p.both) {
    assert.is(await infoField(s.c, 'aof_rewrite_in_progress'), '0', `${s.name}: rewrite stopped`);
    assert.is(await infoField(s.c, 'aof_rewrite_scheduled'), '0', `${s.name}: nothing scheduled`);
    // tests/unit/aofrw.tcl waits for *Killing*AOF*child* in the log (redis-server's output
    // reaches this process through a pipe: wait for it).
    await waitFor(() => /Killing running AOF rewrite child: \d+/.test(s.logs()), 2000);
    const log = s.logs();
    assert.match(log, 'Creating AOF incr file temp-appendonly.aof.incr on background rewrite', s.name);
    assert.match(log, /Background append only file rewriting started by pid \d+/, s.name);
    assert.match(log, /Killing running AOF rewrite child: \d+/, s.name);
  }
  // Redis's stopAppendOnly leaves the temp incr; no manifest was ever written.
  await sameFiles(p, 'turned off');
  assert.is(files(p.echo), 'temp-appendonly.aof.incr');

  // On again, quickly: the temp incr becomes incr 1.
  await same(p, 'CONFIG', 'SET', 'rdb-key-save-delay', '0');
  await same(p, 'CONFIG', 'SET', 'appendonly', 'yes');
  await settle(p);
  await sameFiles(p, 'on', ['file appendonly.aof.1.base.aof seq 1 type b', 'file appendonly.aof.1.incr.aof seq 1 type i']);

  // A slow rewrite while on, then off: its incr stays named, the kill is logged again.
  await same(p, 'CONFIG', 'SET', 'rdb-key-save-delay', '400000');
  await same(p, 'BGREWRITEAOF');
  await new Promise((r) => setTimeout(r, 100));
  for (const s of p.both) assert.is(await infoField(s.c, 'aof_rewrite_in_progress'), '1', `${s.name}: BGREWRITEAOF in progress`);
  await same(p, 'CONFIG', 'SET', 'appendonly', 'no');
  await sameFiles(p, 'killed while on', [
    'file appendonly.aof.1.base.aof seq 1 type b',
    'file appendonly.aof.1.incr.aof seq 1 type i',
    'file appendonly.aof.2.incr.aof seq 2 type i',
  ]);
  for (const s of p.both) {
    await waitFor(() => count(s.logs(), /Killing running AOF rewrite child: \d+/) === 2, 2000);
    assert.is(count(s.logs(), /Killing running AOF rewrite child: \d+/), 2, `${s.name}: two kills`);
    checkAof(s);
  }
  // A second (slow) rewrite right after a kill keeps its own temp file: the killed one's goes
  // at once, not when that job next wakes up (which is while this one runs).
  await same(p, 'CONFIG', 'SET', 'rdb-key-save-delay', '200000');
  await same(p, 'BGREWRITEAOF');
  await settle(p);
  await sameFiles(p, 'rewrite after the kill', ['file appendonly.aof.2.base.aof seq 2 type b']);
  assert.not.match(p.echo.logs(), 'Error trying to rename');
});

t('a failed first rewrite removes the temp incr (logged) and the next one succeeds', async () => {
  // Redis's rewrite fails when its child dies; echokv's when the new base cannot be renamed
  // into place (once).
  let failOnce = true;
  const p = await pair({}, (h) => ({
    rename: (from: string, to: string) => {
      if (failOnce && from.includes('temp-rewriteaof-bg-')) {
        failOnce = false;
        throw Object.assign(new Error('EIO: i/o error, rename'), { code: 'EIO' });
      }
      return h.rename(from, to);
    },
  }));
  await same(p, 'SET', 'k', 'v');
  await same(p, 'CONFIG', 'SET', 'rdb-key-save-delay', '1000000');
  await same(p, 'CONFIG', 'SET', 'appendonly', 'yes');
  await same(p, 'CONFIG', 'SET', 'rdb-key-save-delay', '0');
  const child = spawnSync('pgrep', ['-P', String(p.redis.proc.child.pid)], { encoding: 'utf8' }).stdout.trim().split('\n')[0];
  assert.ok(/^\d+$/.test(child), 'the rewrite child of redis-server');
  process.kill(Number(child), 'SIGKILL');
  for (const s of p.both) {
    const seen = await waitFor(() => s.logs().includes('Removing the temp incr aof file temp-appendonly.aof.incr in the background'));
    assert.ok(seen, `${s.name}: logs the removal of the temp incr`);
  }
  await settle(p);
  await sameFiles(p, 'after the retry', ['file appendonly.aof.1.base.rdb seq 1 type b', 'file appendonly.aof.1.incr.aof seq 1 type i']);
  for (const s of p.both) {
    assert.is(count(s.logs(), /Removing the temp incr aof file/), 1, s.name);
    assert.is(await infoField(s.c, 'aof_rewrites_consecutive_failures'), '0', s.name);
    checkAof(s);
  }
  await same(p, 'GET', 'k');
});

test.run();
