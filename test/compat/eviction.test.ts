// maxmemory against a real redis-server. Where the outcome does not depend on how many bytes a
// key takes, replies are compared byte for byte: OOM refusals (denyoom commands, anything queued
// in MULTI, an EXEC queueing writes), which keys each policy evicts when nothing may stay
// (maxmemory 1), INFO evicted_keys, the `evicted` events, the DELs propagated (Redis's AOF),
// OBJECT FREQ with a deterministic LFU (lfu-log-factor 0), WATCH seeing an eviction. Where the
// count of evicted keys depends on each server's memory model, each server gets a limit relative
// to its own used_memory and both must show the same property: volatile-ttl evicts the keys that
// expire first, allkeys-lru the ones not accessed lately, allkeys-lfu the ones accessed least.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type Compat, compatSuite, readRedisAof, sameInfoField, show } from './_compat.ts';
import { infoField } from '../aof_helpers.ts';
import { RespClient, sleep, startEchokv, startRedis } from '../_helpers.ts';
import { join } from 'node:path';

const test = compatSuite('eviction');

const POLICIES = [
  'noeviction', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'volatile-lru', 'volatile-lfu', 'volatile-random',
  'volatile-ttl',
];

/** Back to the defaults: the servers are shared by the tests of this file. */
test.before.each(async ({ c }) => {
  if (c === undefined) return;
  await c.all([
    ['CONFIG', 'SET', 'maxmemory', '0'], ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'],
    ['CONFIG', 'SET', 'maxmemory-samples', '5'], ['CONFIG', 'SET', 'lfu-log-factor', '10'],
    ['CONFIG', 'SET', 'lfu-decay-time', '1'], ['CONFIG', 'SET', 'lazyfree-lazy-eviction', 'no'],
    ['FLUSHALL'], ['CONFIG', 'RESETSTAT'],
  ]);
});

/** A dataset on both: plain keys and keys with a TTL, in databases 0 and 3. */
async function populate(c: Compat): Promise<void> {
  await c.all([
    ['MSET', 'p1', 'v', 'p2', '12345', 'p3', 'x'.repeat(100)], ['HSET', 'ph', 'f', 'v'], ['SADD', 'ps', '1', '2'],
    ['SET', 'v1', 'v', 'EX', '1000'], ['SET', 'v2', 'v', 'PX', '2000000'], ['HSET', 'vh', 'f', 'v'],
    ['EXPIRE', 'vh', '500'], ['SADD', 'vs', 'a'], ['PEXPIRE', 'vs', '900000'],
    ['SELECT', '3'], ['SET', 'd3p', 'v'], ['SET', 'd3v', 'v', 'EX', '100'], ['SELECT', '0'],
  ]);
}

test('noeviction: denyoom commands get OOM, others run; MULTI queues nothing; DISCARD works', async ({ c }) => {
  await populate(c);
  await c.same('CONFIG', 'SET', 'maxmemory', '1');
  await c.all([
    ['SET', 'n', '1'], ['GET', 'p1'], ['INCR', 'p2'], ['APPEND', 'p1', 'x'], ['SETNX', 'n', '1'], ['MSET', 'n', '1'],
    ['HSET', 'ph', 'g', 'v'], ['SADD', 'ps', '3'], ['HGET', 'ph', 'f'], ['SMEMBERS', 'ps'], ['COPY', 'p1', 'c1'],
    // Writes that are not denyoom still run: they free memory or need none.
    ['DEL', 'p3'], ['EXPIRE', 'p1', '100'], ['PERSIST', 'p1'], ['HDEL', 'ph', 'f'], ['SREM', 'ps', '1'],
    ['RENAME', 'p2', 'p2b'], ['DBSIZE'], ['PING'], ['ECHO', 'x'], ['TYPE', 'p1'],
    // Inside MULTI everything but EXEC, DISCARD, QUIT and RESET is refused, and fails the EXEC.
    ['MULTI'], ['GET', 'p1'], ['DEL', 'p1'], ['MULTI'], ['WATCH', 'p1'], ['EXEC'], ['GET', 'p1'],
    ['MULTI'], ['DISCARD'], ['MULTI'], ['EXEC'],
    ['CONFIG', 'SET', 'maxmemory', '0'], ['SET', 'n', '1'], ['GET', 'n'],
  ]);
  assert.is(await sameInfoField(c, 'evicted_keys'), '0');
  await sameInfoField(c, 'maxmemory_policy');
});

test('OOM reached while a transaction is queued: EXEC of writes is refused with the reason', async (ctx) => {
  const { c } = ctx;
  const d = await ctx.connect();
  await c.all([['MULTI'], ['SET', 'a', '1'], ['GET', 'a']]);
  await d.same('CONFIG', 'SET', 'maxmemory', '1');
  await c.same('EXEC');
  await c.same('EXEC');
  await c.same('GET', 'a');
  // A queue of reads still runs.
  await d.same('CONFIG', 'SET', 'maxmemory', '0');
  await c.all([['SET', 'a', '1'], ['MULTI'], ['GET', 'a'], ['DEL', 'a'], ['EXISTS', 'a']]);
  await d.same('CONFIG', 'SET', 'maxmemory', '1');
  await c.same('EXEC');
});

test('maxmemory 1: each policy evicts every key it may, then refuses denyoom commands', async ({ c }) => {
  for (const policy of POLICIES) {
    await c.all([['CONFIG', 'SET', 'maxmemory', '0'], ['FLUSHALL'], ['CONFIG', 'RESETSTAT']]);
    await populate(c);
    await c.same('CONFIG', 'SET', 'maxmemory-policy', policy);
    await c.same('CONFIG', 'SET', 'maxmemory', '1');
    // The check before each command evicts what it can (the timer may have started already).
    await c.same('DBSIZE');
    await c.sameUnordered('KEYS', '*');
    await c.same('SET', 'new', 'v');
    await c.same('SET', 'new', 'v', 'EX', '10');
    await c.same('SELECT', '3');
    await c.sameUnordered('KEYS', '*');
    await c.same('SELECT', '0');
    await sameInfoField(c, 'evicted_keys');
    await sameInfoField(c, 'maxmemory');
    await sameInfoField(c, 'maxmemory_human');
  }
});

test('evictions fire `evicted` events (class e) for each key', async (ctx) => {
  const { c } = ctx;
  const sub = await ctx.connect();
  await c.same('CONFIG', 'SET', 'notify-keyspace-events', 'Ee');
  try {
    await sub.same('PSUBSCRIBE', '__keyevent@*__:evicted');
    await populate(c);
    await c.same('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-random');
    await c.same('CONFIG', 'SET', 'maxmemory', '1');
    await c.same('DBSIZE');
    await c.same('CONFIG', 'SET', 'maxmemory', '0');
    await c.same('PUBLISH', '__keyevent@0__:evicted', 'end');
    const events = async (conn: RespClient): Promise<string[]> => {
      const out: string[] = [];
      for (;;) {
        const m = (await conn.read()) as string[];
        if (m[3] === 'end') return out.sort();
        out.push(`${m[2]} ${m[3]}`);
      }
    };
    const [r, e] = await Promise.all([events(sub.redis), events(sub.echo)]);
    assert.equal(e, r);
    assert.is(r.length, 11);
  } finally {
    await c.same('CONFIG', 'SET', 'notify-keyspace-events', '');
  }
});

test('WATCH sees an eviction: the EXEC fails', async (ctx) => {
  const { c } = ctx;
  const d = await ctx.connect();
  await c.all([['SET', 'w', '1'], ['WATCH', 'w']]);
  await d.all([['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru'], ['CONFIG', 'SET', 'maxmemory', '1'], ['DBSIZE'],
    ['CONFIG', 'SET', 'maxmemory', '0']]);
  await c.all([['MULTI'], ['GET', 'w'], ['EXEC']]);
});

test('OBJECT FREQ follows the LFU counter (lfu-log-factor 0: every access counts)', async ({ c }) => {
  await c.all([['OBJECT', 'FREQ', 'nokey'], ['SET', 'k', 'v'], ['OBJECT', 'FREQ', 'k'], ['OBJECT', 'IDLETIME', 'k']]);
  // With maxmemory set Redis gives each key its own integer objects (no shared 0-9999, whose
  // access field belongs to every key holding them).
  // Keys made before hold LRU data, which reads as an LFU counter of the second they were made.
  await c.all([
    ['CONFIG', 'SET', 'maxmemory-policy', 'volatile-lfu'], ['CONFIG', 'SET', 'lfu-log-factor', '0'],
    ['CONFIG', 'SET', 'lfu-decay-time', '0'], ['CONFIG', 'SET', 'maxmemory', '10gb'], ['OBJECT', 'IDLETIME', 'k'],
    ['DEL', 'k'],
  ]);
  const touch: string[][] = [
    ['SET', 'k', 'v'], ['GET', 'k'], ['GET', 'k'], ['STRLEN', 'k'], ['GETRANGE', 'k', '0', '0'], ['APPEND', 'k', 'x'],
    ['SET', 'k', 'w'], ['SET', 'k', 'w', 'EX', '100'], ['TTL', 'k'], ['TYPE', 'k'], ['EXISTS', 'k'],
    ['OBJECT', 'ENCODING', 'k'], ['EXPIRE', 'k', '50'], ['PERSIST', 'k'], ['MGET', 'k', 'k'], ['SETRANGE', 'k', '0', 'z'],
    ['GETSET', 'k', 'q'], ['SET', 'n', '5'], ['INCR', 'n'], ['INCRBY', 'n', '3'], ['INCRBYFLOAT', 'n', '1.5'],
    ['GETEX', 'n'], ['TOUCH', 'n'], ['DEL', 'n'], ['SET', 'n', '1'], ['RENAME', 'k', 'k2'], ['COPY', 'k2', 'k3'],
    ['HSET', 'h', 'f', 'v'], ['HGET', 'h', 'f'], ['HSET', 'h', 'g', 'w'], ['HGETALL', 'h'], ['HLEN', 'h'],
    ['SADD', 's', '1'], ['SISMEMBER', 's', '1'], ['SADD', 's', '2'], ['SCARD', 's'],
  ];
  for (const cmd of touch) {
    await c.same(...cmd);
    for (const k of ['k', 'k2', 'k3', 'n', 'h', 's']) await c.same('OBJECT', 'FREQ', k);
  }
  // Switching policies: IDLETIME is refused under LFU, FREQ outside it.
  await c.all([['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru'], ['OBJECT', 'FREQ', 'k2']]);
});

test('INFO maxmemory fields and CONFIG GET follow CONFIG SET', async ({ c }) => {
  for (const v of ['100mb', '1gb', '123456', '0', '3k']) {
    await c.same('CONFIG', 'SET', 'maxmemory', v);
    await c.same('CONFIG', 'GET', 'maxmemory');
    await sameInfoField(c, 'maxmemory');
    await sameInfoField(c, 'maxmemory_human');
  }
  for (const p of POLICIES) {
    await c.same('CONFIG', 'SET', 'maxmemory-policy', p);
    await sameInfoField(c, 'maxmemory_policy');
  }
  await c.all([
    ['CONFIG', 'SET', 'maxmemory-policy', 'lru'], ['CONFIG', 'SET', 'maxmemory-samples', '0'],
    ['CONFIG', 'SET', 'maxmemory-samples', '10'], ['CONFIG', 'GET', 'maxmemory-samples'],
    ['CONFIG', 'SET', 'maxmemory-eviction-tenacity', '101'], ['CONFIG', 'SET', 'maxmemory-eviction-tenacity', '20'],
    ['CONFIG', 'GET', 'maxmemory-eviction-tenacity'], ['CONFIG', 'SET', 'maxmemory-eviction-tenacity', '10'],
    ['CONFIG', 'SET', 'maxmemory-samples', '5'],
  ]);
});

// ---------------------------------------------------------------------------------------------
// Which keys go, with limits relative to each server's own used_memory.

const VALUE = 'v'.repeat(10000);

/** Sets each server's maxmemory to its own used_memory minus `below` bytes. */
async function limitBelowUsed(c: Compat, below: number): Promise<void> {
  for (const conn of [c.redis, c.echo]) {
    // With a limit far away the estimate is running on both; then the real one. Redis allocates
    // a command's latency histogram (about 25 KB) when it first runs after CONFIG RESETSTAT:
    // the commands used here run once before the measure.
    await conn.call('CONFIG', 'SET', 'maxmemory', '10gb');
    await conn.call('INFO', 'all');
    await conn.call('PING');
    const used = Number((await infoField(conn, 'used_memory', 'all'))!);
    assert.is(await conn.call('CONFIG', 'SET', 'maxmemory', String(used - below)), 'OK');
  }
}

/** Both servers' keys, each sorted. */
async function keysOf(c: Compat): Promise<[string[], string[]]> {
  const [r, e] = await Promise.all([c.redis.call('KEYS', '*'), c.echo.call('KEYS', '*')]);
  return [(r as string[]).sort(), (e as string[]).sort()];
}

test('volatile-ttl evicts the keys that expire first, and only keys with a TTL', async ({ c }) => {
  await c.same('CONFIG', 'SET', 'maxmemory-samples', '64');
  for (let i = 0; i < 12; i++) await c.same('SET', `t${String(i).padStart(2, '0')}`, VALUE, 'PX', String(1_000_000 + i * 10_000));
  await c.same('SET', 'forever', VALUE);
  await c.same('CONFIG', 'SET', 'maxmemory-policy', 'volatile-ttl');
  await limitBelowUsed(c, 35_000);
  await c.same('PING');
  const [r, e] = await keysOf(c);
  for (const [name, keys] of [['redis', r], ['echokv', e]] as const) {
    const evicted = 13 - keys.length;
    assert.ok(evicted >= 3 && evicted <= 6, `${name} evicted ${evicted}`);
    const expected = ['forever', ...Array.from({ length: 12 }, (_, i) => `t${String(i).padStart(2, '0')}`).slice(evicted)];
    assert.equal(keys, expected.sort(), `${name}: the soonest to expire go first`);
  }
});

test('allkeys-lru keeps the keys accessed lately', async ({ c }) => {
  await c.same('CONFIG', 'SET', 'maxmemory-samples', '64');
  for (let i = 0; i < 20; i++) await c.same('SET', `k${i}`, VALUE);
  // Redis's LRU clock counts seconds.
  await sleep(2200);
  for (let i = 10; i < 20; i++) await c.same('GET', `k${i}`);
  await c.same('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
  await limitBelowUsed(c, 45_000);
  await c.same('PING');
  const [r, e] = await keysOf(c);
  for (const [name, keys] of [['redis', r], ['echokv', e]] as const) {
    assert.ok(keys.length >= 12 && keys.length <= 16, `${name} kept ${keys.length}`);
    for (let i = 10; i < 20; i++) assert.ok(keys.includes(`k${i}`), `${name} kept k${i}`);
  }
  const evicted = Number((await infoField(c.echo, 'evicted_keys', 'all'))!);
  assert.is(evicted, 20 - e.length);
});

test('allkeys-lfu keeps the keys accessed most', async ({ c }) => {
  // Other key names than the tests before: Redis's eviction pool may still hold theirs.
  await c.all([
    ['CONFIG', 'SET', 'maxmemory-samples', '64'], ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu'],
    ['CONFIG', 'SET', 'lfu-log-factor', '0'], ['CONFIG', 'SET', 'lfu-decay-time', '0'],
  ]);
  for (let i = 0; i < 20; i++) await c.same('SET', `f${i}`, VALUE);
  for (let n = 0; n < 5; n++) for (let i = 10; i < 20; i++) await c.same('GET', `f${i}`);
  // Among the others, fewer accesses go first: f0 has none, f9 four.
  for (let i = 0; i < 10; i++) for (let n = 0; n < Math.floor(i / 2); n++) await c.same('GET', `f${i}`);
  await limitBelowUsed(c, 45_000);
  await c.same('PING');
  const [r, e] = await keysOf(c);
  for (const [name, keys] of [['redis', r], ['echokv', e]] as const) {
    assert.ok(keys.length >= 12 && keys.length <= 16, `${name} kept ${keys.length}`);
    for (let i = 10; i < 20; i++) assert.ok(keys.includes(`f${i}`), `${name} kept f${i}`);
    for (let i = 0; i < 2; i++) assert.not.ok(keys.includes(`f${i}`), `${name} evicted f${i}`);
  }
});

test.run();

// ---------------------------------------------------------------------------------------------
// Propagation: every eviction reaches the AOF (and replicas) as DEL, or UNLINK with
// lazyfree-lazy-eviction.

const prop = suite('compat: eviction propagation');

/** The commands of a Redis AOF, each prefixed with its database. */
function readAof(dir: string): string[] {
  const out: string[] = [];
  let db = '0';
  for (const argv of readRedisAof(dir, true)) {
    if (argv[0].toUpperCase() === 'SELECT') db = argv[1];
    else out.push(`${db} ${argv.join(' ')}`);
  }
  return out;
}

prop('evicted keys are propagated as DEL (UNLINK with lazyfree-lazy-eviction), each in its database', async () => {
  for (const lazy of ['no', 'yes']) {
    const redis = await startRedis(['--appendonly', 'yes', '--appendfsync', 'always']);
    if (redis === null) return;
    const echokv = await startEchokv();
    const seen: string[] = [];
    echokv.server.on('propagate', (db, argv) => seen.push(`${db} ${argv.join(' ')}`));
    const r = await RespClient.connect(redis.port);
    const e = await RespClient.connect(echokv.port);
    const c = { redis: r, echo: e } as unknown as Compat;
    try {
      const script: string[][] = [
        ['CONFIG', 'SET', 'lazyfree-lazy-eviction', lazy], ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-random'],
        ['SET', 'a', '1'], ['HSET', 'h', 'f', 'v'], ['SELECT', '2'], ['SET', 'b', '2'], ['SELECT', '0'],
        ['CONFIG', 'SET', 'maxmemory', '1'], ['DBSIZE'], ['SET', 'c', '3'], ['CONFIG', 'SET', 'maxmemory', '0'],
        ['SET', 'after', '1'],
      ];
      for (const cmd of script) {
        const [x, y] = await Promise.all([r.callRaw(...cmd), e.callRaw(...cmd)]);
        assert.is(show(y.bytes), show(x.bytes), cmd.join(' '));
      }
      const aof = readAof(redis.dir);
      // The order of the evictions is random; the writes around them are not.
      const sortEvictions = (l: string[]): string[] => {
        const i = l.findIndex((x) => / (DEL|UNLINK) /.test(x));
        const j = l.length - 1;
        return [...l.slice(0, i), ...l.slice(i, j).sort(), ...l.slice(j)];
      };
      assert.equal(sortEvictions(seen), sortEvictions(aof));
      assert.is(aof.filter((x) => x.includes(lazy === 'yes' ? ' UNLINK ' : ' DEL ')).length, 3);
      void c;
    } finally {
      r.close();
      e.close();
      await echokv.stop();
      await redis.stop();
    }
  }
});

prop.run();
