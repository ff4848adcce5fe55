// The AOF against real Redis tools: what echokv writes passes redis-check-aof and loads into a
// real redis-server 7.0 with exactly the same dataset (before and after BGREWRITEAOF, with an
// RDB or a command base); what redis-server writes (several incr files, RDB or command bases,
// timestamp annotations, an old single-file AOF) loads into echokv with exactly the same
// dataset; and a full disk gets the same replies from both.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { redisOrSkip, RespClient, startProcess, tempDir, type Proc } from '../_helpers.ts';
import { aofFiles, infoField, pipeline, startAof, stopAll, waitFor } from '../aof_helpers.ts';
import { datasetOf } from '../_rdb.ts';
import { Compat } from './_compat.ts';

const test = suite('compat: aof');
const dirs: string[] = [];
const procs: Proc[] = [];
const fresh = (): string => {
  const d = tempDir('echokv-aof-compat-');
  dirs.push(d);
  return d;
};
let skipped = false;
test.before(() => {
  if (!redisOrSkip()) skipped = true;
});
test.after(async () => {
  await stopAll();
  for (const p of procs) await p.stop('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A redis-server with appendonly yes on `dir` (where it loads and writes its AOF). */
async function redisOn(dir: string, extra: string[] = []): Promise<Proc> {
  writeFileSync(join(dir, 'redis.conf'), `dir ${dir}\nsave ""\nappendonly yes\nbind 127.0.0.1\nenable-debug-command yes\n`);
  const p = await startProcess('redis-server', [join(dir, 'redis.conf'), ...extra], { cwd: dir });
  procs.push(p);
  return p;
}

async function stopRedis(p: Proc): Promise<void> {
  procs.splice(procs.indexOf(p), 1);
  await p.stop('SIGTERM');
}

function checkAof(dir: string): string {
  const r = spawnSync('redis-check-aof', [join(dir, 'appendonlydir', 'appendonly.aof.manifest')], { encoding: 'utf8' });
  assert.is(r.status, 0, `redis-check-aof refused the AOF:\n${r.stdout}${r.stderr}`);
  assert.match(r.stdout, 'All AOF files and manifest are valid');
  return r.stdout;
}

const t = (name: string, fn: () => Promise<void>): void => {
  test(name, async () => {
    if (!skipped) await fn();
  });
};

/** String and key commands of every kind, over several databases. */
const STRING_WORKLOAD: (string | number)[][] = [
  ['SET', 'plain', 'value'],
  ['SET', 'bin\x00\r\n\xff', '\x00\x01\x02\r\n\xfe'],
  ['SET', 'big', 'x'.repeat(200_000)],
  ['SET', 'ex', 'v', 'EX', 1000],
  ['SET', 'px', 'v', 'PX', 5_000_000],
  ['SETEX', 'setex', 100, 'v'],
  ['SET', 'kept', 'a', 'EX', 100],
  ['SET', 'kept', 'b', 'KEEPTTL'],
  ['APPEND', 'appended', 'abc'],
  ['APPEND', 'appended', 'def'],
  ['INCR', 'counter'],
  ['INCRBY', 'counter', 41],
  ['INCRBYFLOAT', 'float', '3.14159'],
  ['INCRBYFLOAT', 'float', '1e3'],
  ['SETRANGE', 'ranged', 5, 'hello'],
  ['SETBIT', 'bits', 77, 1],
  ['MSET', 'm1', '1', 'm2', '2', 'm3', '3'],
  ['GETEX', 'm1', 'EX', 500],
  ['GETEX', 'ex', 'PERSIST'],
  ['EXPIRE', 'm2', 300],
  ['PEXPIREAT', 'm3', 4_000_000_000_000],
  ['SET', 'gone', 'x'],
  ['DEL', 'gone'],
  ['SET', 'to-rename', 'r'],
  ['RENAME', 'to-rename', 'renamed'],
  ['GETSET', 'getset', 'new'],
  ['SET', 'expired-now', 'x'],
  ['PEXPIREAT', 'expired-now', 1000],
  ['SELECT', 3],
  ['SET', 'in-three', '3'],
  ['MOVE', 'in-three', 4],
  ['SELECT', 9],
  ['SET', 'nine', '9'],
  ['SWAPDB', 9, 10],
  ['SELECT', 0],
];

/** The aggregate types, in every encoding their size and content give. */
const AGGREGATE_WORKLOAD: (string | number)[][] = [
  ['RPUSH', 'list', 'a', 'b', 'c', '1', '2'],
  ['LPUSH', 'list', 'z'],
  ['LPOP', 'list'],
  ['RPUSH', 'biglist', ...Array.from({ length: 300 }, (_, i) => `element-${i}`)],
  ['HSET', 'hash', 'f1', 'v1', 'f2', 'v2'],
  ['HDEL', 'hash', 'f1'],
  ['HSET', 'bighash', ...Array.from({ length: 300 }, (_, i) => [`field-${i}`, `value-${i}`]).flat()],
  ['SADD', 'ints', 1, 2, 3, 100],
  ['SADD', 'strs', 'a', 'b', 'c'],
  ['SREM', 'strs', 'b'],
  ['ZADD', 'zset', 1, 'one', 2.5, 'two', '-inf', 'min'],
  ['ZINCRBY', 'zset', 10, 'one'],
  ['ZADD', 'bigzset', ...Array.from({ length: 300 }, (_, i) => [i * 1.5, `member-${i}`]).flat()],
  ['XADD', 'stream', '1-1', 'f', 'v'],
  ['XADD', 'stream', '2-1', 'f', 'v2', 'g', 'w'],
  ['XGROUP', 'CREATE', 'stream', 'grp', '0'],
  ['XREADGROUP', 'GROUP', 'grp', 'alice', 'COUNT', 1, 'STREAMS', 'stream', '>'],
  ['XGROUP', 'CREATECONSUMER', 'stream', 'grp', 'bob'],
  ['XADD', 'stream', '3-1', 'h', 'x'],
  ['XDEL', 'stream', '2-1'],
  ['PEXPIRE', 'hash', 900_000],
];

/**
 * A consumer's seen-time (and active-time) is when it was last used, which for a consumer
 * recreated by replaying XCLAIM / XGROUP CREATECONSUMER is the moment of loading, so two
 * servers loading the same file at different moments differ there and nowhere else.
 */
function normalize(x: unknown): unknown {
  if (!Array.isArray(x)) return x;
  const out = x.map(normalize);
  for (let i = 0; i + 1 < out.length; i++) if (out[i] === 'seen-time' || out[i] === 'active-time') out[i + 1] = 0;
  return out;
}

async function sameData(echoPort: number, redisPort: number, label: string): Promise<void> {
  const e = await RespClient.connect(echoPort);
  const r = await RespClient.connect(redisPort);
  const [de, dr] = [await datasetOf(e), await datasetOf(r)];
  e.close();
  r.close();
  assert.equal(Object.keys(de), Object.keys(dr), `${label}: the same keys`);
  for (const k of Object.keys(dr)) {
    const a = de[k];
    const b = dr[k];
    if (a.type === 'stream') a.content = normalize((a.content as { full: unknown }).full);
    if (b.type === 'stream') b.content = normalize((b.content as { full: unknown }).full);
    assert.equal(a, b, `${label}: key ${k}`);
  }
}

/**
 * The AOF directory of `dir` must pass redis-check-aof, and a redis-server and an echokv each
 * started on a copy of it must hold exactly the same dataset. Returns redis-check-aof's report.
 */
async function bothLoad(dir: string, label: string): Promise<string> {
  const report = checkAof(dir);
  const forRedis = fresh();
  const forEcho = fresh();
  cpSync(join(dir, 'appendonlydir'), join(forRedis, 'appendonlydir'), { recursive: true });
  cpSync(join(dir, 'appendonlydir'), join(forEcho, 'appendonlydir'), { recursive: true });
  const redis = await redisOn(forRedis);
  const echo = await startAof(forEcho);
  try {
    await sameData(echo.port, redis.port, label);
  } finally {
    await echo.stop();
    await stopRedis(redis);
  }
  return report;
}

async function echoWritesRedisLoads(workload: (string | number)[][], preamble: string): Promise<void> {
  const dir = fresh();
  const s = await startAof(dir, { 'aof-use-rdb-preamble': preamble });
  const c = await RespClient.connect(s.port);
  const replies = await pipeline(c, workload);
  replies.forEach((x, i) => assert.not.instance(x, Error, `${workload[i].join(' ')} failed: ${x}`));
  await c.call('SELECT', 0);
  // 1. The incr file as appended (written before the replies went out).
  await bothLoad(dir, 'appended commands');
  // 2. After a rewrite: the base (RDB or commands) and a fresh incr.
  assert.is(await c.call('BGREWRITEAOF'), 'Background append only file rewriting started');
  assert.ok(await waitFor(async () => (await infoField(c, 'aof_rewrite_in_progress')) === '0'));
  assert.is(await infoField(c, 'aof_last_bgrewrite_status'), 'ok');
  await c.call('SET', 'after-rewrite', '1');
  const report = await bothLoad(dir, 'rewritten base + incr');
  assert.match(report, preamble === 'yes' ? 'Start to check BASE AOF (RDB format).' : 'Start to check BASE AOF (RESP format).');
  c.close();
  await s.stop();
}

for (const preamble of ['yes', 'no']) {
  t(`strings and keys written by echokv load into redis-server (aof-use-rdb-preamble ${preamble})`, async () => {
    await echoWritesRedisLoads(STRING_WORKLOAD, preamble);
  });
  t(`lists, hashes, sets, sorted sets and streams written by echokv load into redis-server (aof-use-rdb-preamble ${preamble})`, async () => {
    await echoWritesRedisLoads([...STRING_WORKLOAD, ...AGGREGATE_WORKLOAD], preamble);
  });
}

async function redisWritesEchoLoads(workload: (string | number)[][], extra: string[], rewriteMidway: boolean): Promise<void> {
  const dir = fresh();
  const redis = await redisOn(dir, extra);
  const r = await RespClient.connect(redis.port);
  const half = Math.floor(workload.length / 2);
  await pipeline(r, workload.slice(0, half));
  if (rewriteMidway) {
    assert.is(await r.call('BGREWRITEAOF'), 'Background append only file rewriting started');
    assert.ok(await waitFor(async () => (await infoField(r, 'aof_rewrite_in_progress')) === '0'));
  }
  await pipeline(r, workload.slice(half));
  r.close();
  await stopRedis(redis);
  await bothLoad(dir, `written by redis-server ${extra.join(' ')}`);
}

t('strings written by redis-server load into echokv (RDB base, then a rewrite midway)', async () => {
  await redisWritesEchoLoads(STRING_WORKLOAD, [], true);
});

t('strings written by redis-server load into echokv (command base, timestamps)', async () => {
  await redisWritesEchoLoads(STRING_WORKLOAD, ['--aof-use-rdb-preamble', 'no', '--aof-timestamp-enabled', 'yes'], true);
});

t('aggregate types written by redis-server load into echokv (RDB and command bases)', async () => {
  await redisWritesEchoLoads([...STRING_WORKLOAD, ...AGGREGATE_WORKLOAD], [], true);
  await redisWritesEchoLoads([...STRING_WORKLOAD, ...AGGREGATE_WORKLOAD], ['--aof-use-rdb-preamble', 'no'], true);
});

t('several incr files written by redis-server load in order into echokv', async () => {
  const dir = fresh();
  const redis = await redisOn(dir);
  const r = await RespClient.connect(redis.port);
  await r.call('SET', 'k', '1');
  // A rewrite blocked by a slow child leaves its new incr in the manifest if it is killed.
  await r.call('DEBUG', 'POPULATE', 2000, 'pop', 100);
  await r.call('CONFIG', 'SET', 'rdb-key-save-delay', 1000);
  assert.is(await r.call('BGREWRITEAOF'), 'Background append only file rewriting started');
  await r.call('INCR', 'k');
  // CONFIG SET appendonly no kills the rewrite (2 s at 1 ms a key); its incr stays named.
  await r.call('CONFIG', 'SET', 'appendonly', 'no');
  await r.call('CONFIG', 'SET', 'rdb-key-save-delay', 0);
  r.close();
  await stopRedis(redis);
  // Restart with appendonly yes: it loads base + incr 1 + incr 2 (the killed rewrite's).
  const again = await redisOn(dir);
  const r2 = await RespClient.connect(again.port);
  assert.is(await r2.call('INCR', 'k'), 3);
  r2.close();
  await stopRedis(again);
  const manifest = readFileSync(join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'utf8');
  assert.ok((manifest.match(/type i/g) ?? []).length >= 2, `two incr files:\n${manifest}`);
  await bothLoad(dir, 'several incrs');
});

t('an old single-file appendonly.aof from redis-server (with an RDB preamble) is upgraded and loaded', async () => {
  const dir = fresh();
  const redis = await redisOn(dir);
  const r = await RespClient.connect(redis.port);
  await pipeline(r, STRING_WORKLOAD);
  await r.call('BGREWRITEAOF');
  assert.ok(await waitFor(async () => (await infoField(r, 'aof_rewrite_in_progress')) === '0'));
  await r.call('SET', 'tail', 'after the preamble');
  r.close();
  // Make the pre-7.0 layout: the RDB base followed by the incr's commands, in one file.
  const old = fresh();
  const files = spawnSync('sh', ['-c', `cd ${dir}/appendonlydir && cat appendonly.aof.*.base.rdb appendonly.aof.*.incr.aof > ${old}/appendonly.aof`]);
  assert.is(files.status, 0);
  await stopRedis(redis);
  const forRedis = fresh();
  cpSync(join(old, 'appendonly.aof'), join(forRedis, 'appendonly.aof'));
  const r2 = await redisOn(forRedis);
  const s = await startAof(old);
  assert.match(s.logs(), 'Successfully migrated an old-style AOF file (appendonly.aof) into the AOF directory (appendonlydir).');
  assert.match(s.logs(), 'Reading the remaining AOF tail...');
  await sameData(s.port, r2.port, 'old-style AOF');
  await s.stop();
  await stopRedis(r2);
});

t('BGREWRITEAOF replies as redis-server does: twice in a row, inside MULTI, and INFO while scheduled', async () => {
  const redis = await redisOn(fresh());
  const echo = await startAof(fresh());
  const c = new Compat(await RespClient.connect(redis.port), await RespClient.connect(echo.port));
  await c.same('DEBUG', 'POPULATE', '200000');
  // The first starts a rewrite that cannot be over when the second, in the same read, runs.
  await c.sameRaw('*1\r\n$12\r\nBGREWRITEAOF\r\n*1\r\n$12\r\nBGREWRITEAOF\r\n', 1000);
  for (const x of [c.redis, c.echo]) assert.ok(await waitFor(async () => (await infoField(x, 'aof_rewrite_in_progress')) === '0'));
  await c.same('MULTI');
  await c.same('BGREWRITEAOF');
  await c.same('EXEC');
  for (const x of [c.redis, c.echo]) {
    assert.ok(await waitFor(async () => (await infoField(x, 'aof_rewrites')) === '2' &&
      (await infoField(x, 'aof_rewrite_in_progress')) === '0'), 'the scheduled rewrite ran');
  }
  c.redis.close();
  c.echo.close();
  await echo.stop();
  await stopRedis(redis);
});

t('DEBUG LOADAOF loads the same dataset back as redis-server does; DEBUG itself is never propagated', async () => {
  const redisDir = fresh();
  const echoDir = fresh();
  const redis = await redisOn(redisDir);
  const echo = await startAof(echoDir);
  const c = new Compat(await RespClient.connect(redis.port), await RespClient.connect(echo.port));
  for (const cmd of [...STRING_WORKLOAD, ...AGGREGATE_WORKLOAD]) await c.same(...cmd.map(String));
  // What only a replayed command may do: trim with LIMIT after the ~ was rewritten to =.
  await c.same('CONFIG', 'SET', 'stream-node-max-entries', '10');
  for (let i = 1; i <= 100; i++) await c.same('XADD', 'trimmed', `${i}-1`, 'f', 'v');
  await c.all([['XADD', 'trimmed', 'MAXLEN', '~', '55', 'LIMIT', '30', '101-1', 'f', 'v'], ['XLEN', 'trimmed'],
    ['XADD', 'trimmed', 'MAXLEN', '55', 'LIMIT', '30', '102-1', 'f', 'v'],
    ['CONFIG', 'SET', 'stream-node-max-entries', '1']]);
  // POPULATE changes the dataset without being propagated, in both: LOADAOF drops its keys.
  await c.all([['DEBUG', 'POPULATE', '5', 'pop'], ['DBSIZE'], ['DEBUG', 'LOADAOF'], ['DBSIZE'], ['DEBUG', 'DIGEST'],
    ['EXISTS', 'pop:0'], ['XLEN', 'trimmed'], ['SELECT', '4'], ['DBSIZE'], ['SELECT', '0'], ['SET', 'after', '1'], ['DEBUG', 'LOADAOF'], ['GET', 'after'], ['DEBUG', 'DIGEST']]);
  const changes = async (x: RespClient): Promise<string | undefined> => infoField(x, 'rdb_changes_since_last_save');
  assert.is(await changes(c.echo), await changes(c.redis), 'rdb_changes_since_last_save after LOADAOF');
  // After a rewrite the base is loaded too.
  for (const x of [c.redis, c.echo]) {
    assert.is(await x.call('BGREWRITEAOF'), 'Background append only file rewriting started');
    assert.ok(await waitFor(async () => (await infoField(x, 'aof_rewrite_in_progress')) === '0'));
  }
  await c.all([['DEL', 'plain'], ['DEBUG', 'LOADAOF'], ['DEBUG', 'DIGEST'], ['EXISTS', 'plain']]);
  c.redis.close();
  c.echo.close();
  await echo.stop();
  await stopRedis(redis);
  const report = checkAof(echoDir);
  assert.match(report, 'All AOF files and manifest are valid');
  for (const [name, text] of aofFiles(echoDir)) assert.not.match(text.toLowerCase(), 'debug', `${name} holds no DEBUG`);
});

t('a full disk gets the same replies from both (appendfsync everysec, /dev/full)', async () => {
  const replies: string[][] = [];
  for (const who of ['redis', 'echokv']) {
    const dir = fresh();
    mkdirSync(join(dir, 'appendonlydir'));
    symlinkSync('/dev/full', join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof'));
    let port: number;
    let stop: () => Promise<unknown>;
    if (who === 'redis') {
      const p = await redisOn(dir);
      port = p.port;
      stop = () => stopRedis(p);
    } else {
      const s = await startAof(dir);
      port = s.port;
      stop = () => s.stop();
    }
    const c = await RespClient.connect(port);
    const got: string[] = [];
    got.push((await c.callRaw('SET', 'a', '1')).bytes);
    // Redis retries from its cron; by then the error state is set.
    await waitFor(async () => (await c.callRaw('PING')).bytes !== '+PONG\r\n', 3000);
    got.push((await c.callRaw('SET', 'b', '1')).bytes);
    got.push((await c.callRaw('PING')).bytes);
    got.push((await c.callRaw('GET', 'a')).bytes);
    got.push(String(await infoField(c, 'aof_last_write_status')));
    c.close();
    await stop();
    replies.push(got);
  }
  assert.equal(replies[1], replies[0]);
  assert.equal(replies[0], ['+OK\r\n', '-MISCONF Errors writing to the AOF file: No space left on device\r\n',
    '-MISCONF Errors writing to the AOF file: No space left on device\r\n', '$1\r\n1\r\n', 'err']);
});

test.run();
