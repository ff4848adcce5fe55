// Keyspace notifications against a real redis-server: both servers run the same command scripts
// of every command group while a client subscribed to `__key*__:*` records what they publish, and
// the message sequences must be identical (channels, events, keys, order). Scripts cover strings,
// bitmaps, generic key commands, hashes, lists, sets, sorted sets and streams (a group whose
// commands echokv lacks says so and is not run), expiry (lazy, active, and writes to expired
// aggregates), new keys (n), read misses (m), RESTORE, transactions and blocked clients served by
// a write. They run under many notify-keyspace-events selections, in several databases, with
// binary keys, to exact channel subscriptions, and to a RESP3 client that receives its own events
// among its replies exactly where Redis writes them.
import * as assert from 'uvu/assert';
import { closeOpenedAfterEach, type Compat, type CompatContext, compatSuite, show } from './_compat.ts';
import type { Raw, RespClient } from '../_helpers.ts';
import { encodeCommand, plain } from '../_resp.ts';

const test = compatSuite('keyspace notifications');

closeOpenedAfterEach(test, async (ctx) => {
  await ctx.c.same('CONFIG', 'SET', 'notify-keyspace-events', '');
});

const BIN = 'k\x00\xff\r\n';

/** A script step: a command, or `['~', ...command]` when its reply's order is unspecified, or a
 * pause of some milliseconds (`['sleep', ms]`) for keys to expire. */
type Step = string[];

function send(cl: RespClient, args: readonly string[]): void {
  cl.write(encodeCommand(args));
}

let markers = 0;

/** Every frame `cl` got so far: PING <marker> and read up to its answer. */
async function drain(cl: RespClient): Promise<Raw[]> {
  const m = `sync-${++markers}-sync`;
  send(cl, ['PING', m]);
  const out: Raw[] = [];
  for (;;) {
    const f = await cl.readRaw();
    if (f.bytes.includes(m)) return out;
    out.push(f);
  }
}

/** The notification frames as readable lines: `pattern channel message`. */
function lines(frames: Raw[]): string[] {
  return frames.map((f) => {
    const v = plain(f.reply);
    const items = (Array.isArray(v) ? v : (v as { push: unknown[] }).push) as string[];
    return items.map((x) => show(String(x))).join(' ');
  });
}

/** The command names a script needs (the first word of each step). */
function needs(script: readonly Step[]): string[] {
  const out = new Set<string>();
  for (const s of script) {
    if (s[0] === 'sleep') continue;
    out.add((s[0] === '~' ? s[1] : s[0]).toLowerCase());
  }
  return [...out];
}

function missing(ctx: CompatContext, script: readonly Step[]): string[] {
  return needs(script).filter((n) => ctx.echokv.server.commands.get(n) === undefined);
}

async function runScript(c: Compat, script: readonly Step[]): Promise<void> {
  for (const step of script) {
    if (step[0] === 'sleep') await new Promise((r) => setTimeout(r, Number(step[1])));
    else if (step[0] === '~') await c.sameUnordered(...step.slice(1));
    else await c.same(...step);
  }
}

/**
 * Runs `script` on both servers with notify-keyspace-events `flags` while a listener subscribed
 * to `__key*__:*` records; asserts identical message sequences and returns them.
 */
async function sameEvents(ctx: CompatContext, flags: string, script: readonly Step[]): Promise<string[]> {
  const { c } = ctx;
  await c.same('CONFIG', 'SET', 'notify-keyspace-events', flags);
  const listener = await ctx.connect();
  await listener.same('PSUBSCRIBE', '__key*__:*');
  await runScript(c, script);
  const [r, e] = await Promise.all([drain(listener.redis), drain(listener.echo)]);
  assert.equal(lines(e), lines(r), `events with notify-keyspace-events ${show(flags)}`);
  listener.redis.close();
  listener.echo.close();
  return lines(r);
}

/** Runs a group's script, or says why it cannot run yet (its commands are not in echokv). */
async function groupEvents(ctx: CompatContext, group: string, flags: string, script: readonly Step[]): Promise<string[] | null> {
  const absent = missing(ctx, script);
  if (absent.length > 0) {
    console.log(`  (${group}: not run, echokv lacks ${absent.join(' ')})`);
    return null;
  }
  return sameEvents(ctx, flags, script);
}

// ---------------------------------------------------------------------------------------------
// Scripts, one per command group. Each begins from an empty database.

const STRINGS: Step[] = [
  ['SET', 'a', '1'], ['SET', 'a', '2', 'EX', '100'], ['SET', 'a', '3', 'NX'], ['SET', 'a', '4', 'XX', 'KEEPTTL'],
  ['SET', 'none', '1', 'XX'], ['SET', 'a', '5', 'GET'], ['SETNX', 'b', '1'], ['SETNX', 'b', '1'],
  ['SETEX', 'c', '100', 'v'], ['PSETEX', 'c', '100000', 'v'], ['MSET', 'd', '1', 'e', '2'], ['MSETNX', 'f', '1', 'd', '1'],
  ['MSETNX', 'f', '1'], ['GETSET', 'f', '2'], ['GETSET', 'g0', '1'], ['GETDEL', 'f'], ['GETDEL', 'f'],
  ['GETEX', 'd', 'EX', '100'], ['GETEX', 'd', 'PERSIST'], ['GETEX', 'd', 'PERSIST'], ['GETEX', 'nokey', 'EX', '5'],
  ['GETEX', 'd', 'PXAT', '1000'], ['APPEND', 'g', 'x'], ['APPEND', 'g', 'y'], ['SETRANGE', 'g', '5', 'z'],
  ['SETRANGE', 'g', '0', ''], ['SETRANGE', 'g2', '0', ''], ['INCR', 'h'], ['DECR', 'h'], ['INCRBY', 'h', '5'],
  ['DECRBY', 'h', '3'], ['INCRBYFLOAT', 'h', '1.5'], ['INCR', 'a'], ['GET', 'nokey'], ['MGET', 'a', 'nokey', 'b'],
  ['STRLEN', 'nokey'], ['GETRANGE', 'nokey', '0', '1'], ['SUBSTR', 'nokey', '0', '1'], ['LCS', 'nokey', 'a'],
  ['SET', BIN, BIN], ['GET', BIN], ['SET', '', 'empty key'],
];

const BITMAPS: Step[] = [
  ['SETBIT', 'bm', '7', '1'], ['SETBIT', 'bm', '7', '1'], ['GETBIT', 'nokey', '1'], ['BITCOUNT', 'nokey'],
  ['BITPOS', 'nokey', '1'], ['BITFIELD', 'bf', 'SET', 'u8', '0', '255'], ['BITFIELD', 'bf', 'GET', 'u8', '0'],
  ['BITFIELD', 'bf2', 'INCRBY', 'i5', '100', '1'], ['BITFIELD', 'bf3', 'GET', 'u8', '0'], ['BITFIELD_RO', 'nokey', 'GET', 'u8', '0'],
  ['BITOP', 'AND', 'dest', 'bm', 'bf'], ['BITOP', 'NOT', 'dest', 'nokey'], ['BITOP', 'OR', 'dest2', 'nokey', 'nokey2'],
  ['BITOP', 'XOR', 'dest3', 'bm'],
];

const GENERIC: Step[] = [
  ['SET', 'k1', 'v'], ['SET', 'k2', 'v'], ['SET', 'k3', 'v'], ['DEL', 'k1', 'nokey'], ['UNLINK', 'k2'],
  ['EXISTS', 'k3', 'nokey'], ['TOUCH', 'k3', 'nokey'], ['TYPE', 'nokey'], ['TTL', 'nokey'], ['PTTL', 'k3'],
  ['EXPIRETIME', 'nokey'], ['PEXPIRETIME', 'k3'], ['OBJECT', 'ENCODING', 'nokey'], ['OBJECT', 'IDLETIME', 'nokey'],
  ['OBJECT', 'REFCOUNT', 'nokey'], ['EXPIRE', 'k3', '100'], ['EXPIRE', 'k3', '100', 'NX'], ['EXPIRE', 'k3', '200', 'GT'],
  ['PEXPIRE', 'k3', '100000', 'LT'], ['EXPIREAT', 'k3', '4000000000'], ['PEXPIREAT', 'k3', '4000000000000'],
  ['PERSIST', 'k3'], ['PERSIST', 'k3'], ['EXPIRE', 'nokey', '10'], ['SET', 'k4', 'v'], ['EXPIRE', 'k4', '-1'],
  ['SET', 'k5', 'v'], ['PEXPIREAT', 'k5', '1'], ['RENAME', 'k3', 'k6'], ['RENAME', 'k6', 'k6'], ['SET', 'k7', 'v'],
  ['RENAME', 'k6', 'k7'], ['RENAMENX', 'k7', 'k8'], ['SET', 'k9', 'v'], ['RENAMENX', 'k8', 'k9'], ['COPY', 'k9', 'k10'],
  ['COPY', 'k9', 'k10'], ['COPY', 'k9', 'k10', 'REPLACE'], ['COPY', 'k9', 'k11', 'DB', '2'], ['COPY', 'nokey', 'k12'],
  ['MOVE', 'k9', '3'], ['MOVE', 'k9', '3'], ['SELECT', '3'], ['SET', 'k13', 'v'], ['DEL', 'k9'], ['SELECT', '0'],
  ['RENAME', 'nokey', 'x'], ['DEL', BIN], ['SET', BIN, 'v'], ['RENAME', BIN, BIN + '2'], ['EXPIRE', BIN + '2', '0'],
];

const EXPIRY: Step[] = [
  ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'], ['SET', 'x1', 'v', 'PX', '1'], ['SET', 'x2', 'v', 'PX', '1'], ['SET', 'x3', 'v', 'PX', '1'],
  ['SET', 'x4', 'v', 'PX', '1'], ['SET', 'x5', 'v', 'PX', '1'], ['SET', 'x6', 'v', 'PX', '1'], ['sleep', '20'],
  ['GET', 'x1'], ['EXISTS', 'x2'], ['SET', 'x3', 'again'], ['DEL', 'x4'], ['APPEND', 'x5', 'z'], ['TTL', 'x6'],
  ['SET', 'x7', 'v', 'PXAT', '1'], ['GETEX', 'x7'], ['DEBUG', 'SET-ACTIVE-EXPIRE', '1'],
];

// Writes to aggregates whose key has just expired: "expired", then "new", then the write. TTLs of
// 50 ms, not 1: Redis 7.0's PEXPIRE deletes a key at once ("del", not "expired") when a
// millisecond passes between its two clock reads, as on a loaded machine.
const EXPIRY_AGGREGATES: Step[] = [
  ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'], ['RPUSH', 'xl', 'a'], ['SADD', 'xs', 'a'], ['ZADD', 'xz', '1', 'a'],
  ['HSET', 'xh', 'f', 'v'], ['XADD', 'xx', '1-1', 'f', 'v'], ['SADD', 'xs2', 'a'], ['ZADD', 'xz2', '1', 'a'],
  ['PEXPIRE', 'xl', '50'], ['PEXPIRE', 'xs', '50'], ['PEXPIRE', 'xz', '50'], ['PEXPIRE', 'xh', '50'], ['PEXPIRE', 'xx', '50'],
  ['PEXPIRE', 'xs2', '50'], ['PEXPIRE', 'xz2', '50'], ['sleep', '80'], ['RPUSH', 'xl', 'b'], ['SADD', 'xs', 'b'],
  ['ZADD', 'xz', '2', 'b'], ['HSET', 'xh', 'g', 'v'], ['XADD', 'xx', '2-1', 'f', 'v'], ['SMEMBERS', 'xs2'],
  ['ZRANGE', 'xz2', '0', '-1'], ['LLEN', 'xl'], ['DEBUG', 'SET-ACTIVE-EXPIRE', '1'],
];

const HASHES: Step[] = [
  ['HSET', 'h', 'f1', 'v1', 'f2', 'v2'], ['HSET', 'h', 'f1', 'v1'], ['HSETNX', 'h', 'f3', 'v'], ['HSETNX', 'h', 'f3', 'v'],
  ['HMSET', 'h', 'f4', 'v'], ['HINCRBY', 'h', 'n', '5'], ['HINCRBYFLOAT', 'h', 'fl', '1.5'], ['HDEL', 'h', 'nosuch'],
  ['HDEL', 'h', 'f1', 'f2'], ['HGET', 'nokey', 'f'], ['HGETALL', 'nokey'], ['HEXISTS', 'nokey', 'f'], ['HLEN', 'nokey'],
  ['HSTRLEN', 'nokey', 'f'], ['HKEYS', 'nokey'], ['HVALS', 'nokey'], ['HMGET', 'nokey', 'a'],
  ['HDEL', 'h', 'f3', 'f4', 'n', 'fl'], ['HSET', 'h2', 'a', '1'], ['HDEL', 'h2', 'a'], ['HINCRBY', 'h3', 'x', '1'],
];

const LISTS: Step[] = [
  ['LPUSH', 'l', 'a', 'b'], ['RPUSH', 'l', 'c'], ['LPUSHX', 'nokey', 'a'], ['RPUSHX', 'nokey', 'a'], ['LPUSHX', 'l', 'z'],
  ['RPUSHX', 'l', 'y'], ['LINSERT', 'l', 'BEFORE', 'a', 'i'], ['LINSERT', 'l', 'AFTER', 'nosuch', 'i'], ['LSET', 'l', '0', 's'],
  ['LREM', 'l', '0', 'i'], ['LREM', 'l', '0', 'nosuch'], ['LTRIM', 'l', '0', '3'], ['LPOP', 'l'], ['RPOP', 'l', '1'],
  ['RPOPLPUSH', 'l', 'l2'], ['LMOVE', 'l2', 'l', 'LEFT', 'RIGHT'], ['LMPOP', '2', 'nokey', 'l', 'LEFT', 'COUNT', '1'],
  ['BLPOP', 'l', '1'], ['BRPOP', 'l', '1'], ['RPUSH', 'l3', 'a', 'b'], ['BLMOVE', 'l3', 'l4', 'RIGHT', 'LEFT', '1'],
  ['BRPOPLPUSH', 'l3', 'l4', '1'], ['BLMPOP', '1', '1', 'l4', 'RIGHT', 'COUNT', '5'], ['LRANGE', 'nokey', '0', '1'],
  ['LINDEX', 'nokey', '0'], ['LLEN', 'nokey'], ['LPOS', 'nokey', 'a'], ['RPUSH', 'l5', 'a'], ['LTRIM', 'l5', '1', '0'],
  ['LPOP', 'nokey'], ['RPUSH', 'l6', 'a', 'b'], ['LPOP', 'l6', '5'],
];

const SETS: Step[] = [
  ['SADD', 's', 'a', 'b', 'c'], ['SADD', 's', 'a'], ['SREM', 's', 'nosuch'], ['SREM', 's', 'a'], ['SMOVE', 's', 's2', 'b'],
  ['SMOVE', 's', 's2', 'nosuch'], ['SADD', 's3', 'x', 'y'], ['SINTERSTORE', 'd1', 's2', 's3'], ['SUNIONSTORE', 'd2', 's2', 's3'],
  ['SDIFFSTORE', 'd3', 's3', 's2'], ['SDIFFSTORE', 'd3', 'nokey', 's2'], ['SINTERSTORE', 'd2', 'nokey', 's3'],
  ['SISMEMBER', 'nokey', 'a'], ['SMISMEMBER', 'nokey', 'a'], ['SMEMBERS', 'nokey'], ['SCARD', 'nokey'],
  ['SINTERCARD', '2', 'nokey', 's3'], ['SINTER', 'nokey', 's3'], ['SUNION', 'nokey'], ['SDIFF', 'nokey', 's3'],
  ['~', 'SPOP', 's3', '10'], ['SPOP', 's3'], ['SADD', 's4', 'only'], ['SPOP', 's4'], ['SMOVE', 's', 's2', 'c'],
  ['SREM', 's2', 'b', 'c'],
];

const ZSETS: Step[] = [
  ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'], ['ZADD', 'z', 'NX', '5', 'a'], ['ZADD', 'z', 'XX', '5', 'a'],
  ['ZADD', 'z', 'GT', '1', 'a'], ['ZADD', 'z', 'INCR', '1', 'b'], ['ZINCRBY', 'z', '2', 'c'], ['ZREM', 'z', 'nosuch'],
  ['ZREM', 'z', 'a'], ['ZADD', 'z', '10', 'd', '11', 'e', '12', 'f', '13', 'g'], ['ZREMRANGEBYSCORE', 'z', '10', '10'],
  ['ZREMRANGEBYRANK', 'z', '0', '0'], ['ZADD', 'zl', '0', 'a', '0', 'b', '0', 'c'], ['ZREMRANGEBYLEX', 'zl', '[a', '[b'],
  ['ZPOPMIN', 'z'], ['ZPOPMAX', 'z', '1'], ['BZPOPMIN', 'z', '1'], ['BZPOPMAX', 'zl', '1'], ['ZMPOP', '1', 'z', 'MIN'],
  ['ZADD', 'z1', '1', 'a', '2', 'b'], ['ZADD', 'z2', '1', 'b', '2', 'c'], ['ZUNIONSTORE', 'zu', '2', 'z1', 'z2'],
  ['ZINTERSTORE', 'zi', '2', 'z1', 'z2'], ['ZDIFFSTORE', 'zd', '2', 'z1', 'z2'], ['ZINTERSTORE', 'zi', '2', 'z1', 'nokey'],
  ['ZRANGESTORE', 'zr', 'z1', '0', '-1'], ['ZRANGESTORE', 'zr', 'nokey', '0', '-1'], ['BZMPOP', '1', '1', 'z1', 'MAX', 'COUNT', '5'],
  ['ZRANGE', 'nokey', '0', '-1'], ['ZSCORE', 'nokey', 'a'], ['ZCARD', 'nokey'], ['ZRANK', 'nokey', 'a'], ['ZCOUNT', 'nokey', '0', '1'],
  ['ZMSCORE', 'nokey', 'a'],
];

const STREAMS: Step[] = [
  ['XADD', 'x', '1-1', 'f', 'v'], ['XADD', 'x', '2-1', 'f', 'v'], ['XADD', 'nokey', 'NOMKSTREAM', '1-1', 'f', 'v'],
  ['XADD', 'x', 'MAXLEN', '2', '3-1', 'f', 'v'], ['XTRIM', 'x', 'MAXLEN', '1'], ['XTRIM', 'x', 'MAXLEN', '5'],
  ['XADD', 'x', '4-1', 'f', 'v'], ['XDEL', 'x', '3-1'], ['XDEL', 'x', '9-9'], ['XSETID', 'x', '10-1'],
  ['XGROUP', 'CREATE', 'x', 'g', '0'], ['XGROUP', 'CREATE', 'y', 'g', '$', 'MKSTREAM'], ['XGROUP', 'CREATECONSUMER', 'x', 'g', 'c1'],
  ['XGROUP', 'CREATECONSUMER', 'x', 'g', 'c1'], ['XREADGROUP', 'GROUP', 'g', 'c2', 'COUNT', '1', 'STREAMS', 'x', '>'],
  ['XCLAIM', 'x', 'g', 'c3', '0', '4-1'], ['XAUTOCLAIM', 'x', 'g', 'c4', '0', '0'], ['XACK', 'x', 'g', '4-1'],
  ['XGROUP', 'SETID', 'x', 'g', '0'], ['XGROUP', 'DELCONSUMER', 'x', 'g', 'c1'], ['XGROUP', 'DESTROY', 'x', 'g'],
  ['XGROUP', 'DESTROY', 'x', 'g'], ['XLEN', 'nokey'], ['XRANGE', 'nokey', '-', '+'], ['XREVRANGE', 'nokey', '+', '-'],
  ['XREAD', 'STREAMS', 'nokey', '0'], ['XINFO', 'STREAM', 'nokey'], ['XPENDING', 'nokey', 'g'], ['DEL', 'y'],
];

const GROUPS: [string, Step[]][] = [
  ['strings', STRINGS], ['bitmaps', BITMAPS], ['generic', GENERIC], ['hashes', HASHES], ['lists', LISTS],
  ['sets', SETS], ['sorted sets', ZSETS], ['streams', STREAMS],
];

for (const [group, script] of GROUPS) {
  test(`${group}: every event, new keys and read misses (KEA plus n and m)`, async (ctx) => {
    const events = await groupEvents(ctx, group, 'KEAnm', script);
    if (events !== null) assert.ok(events.length > 0, 'the script fires events');
  });
}

test('expired keys: lazy expiry on each kind of access fires "expired" first', async (ctx) => {
  const events = await sameEvents(ctx, 'KEAnm', EXPIRY);
  assert.ok(events.some((l) => l.includes('expired')));
});

test('expired keys: writes to expired lists, sets, sorted sets, hashes and streams', async (ctx) => {
  await groupEvents(ctx, 'expired aggregates', 'KEAnm', EXPIRY_AGGREGATES);
});

test('expired keys: the active expiry cycle fires "expired"', async (ctx) => {
  const { c } = ctx;
  await c.same('CONFIG', 'SET', 'notify-keyspace-events', 'Ex');
  const listener = await ctx.connect();
  await listener.same('PSUBSCRIBE', '__key*__:*');
  for (let i = 0; i < 20; i++) await c.same('SET', `ax${i}`, 'v', 'PX', '5');
  for (const cl of [c.redis, c.echo]) {
    const deadline = Date.now() + 10000;
    while ((await cl.call('DBSIZE')) !== 0) {
      if (Date.now() > deadline) throw new Error('Keys were not expired by the active cycle');
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  const [r, e] = await Promise.all([drain(listener.redis), drain(listener.echo)]);
  // The cycle visits keys in its own order on each server.
  assert.equal(lines(e).sort(), lines(r).sort());
  assert.is(lines(r).length, 20);
});

test('RESTORE of a payload DUMPed by redis-server fires new and restore', async (ctx) => {
  if (missing(ctx, [['DUMP'], ['RESTORE']]).length > 0) {
    console.log('  (RESTORE: not run, not in echokv)');
    return;
  }
  const { c } = ctx;
  await c.redis.call('SET', 'src', 'value');
  const payload = (await c.redis.call('DUMP', 'src')) as string;
  await c.redis.call('DEL', 'src');
  await sameEvents(ctx, 'KEAnm', [
    ['DUMP', 'nokey'], ['RESTORE', 'r1', '0', payload], ['RESTORE', 'r1', '0', payload],
    ['RESTORE', 'r1', '0', payload, 'REPLACE'], ['RESTORE', 'r2', '100000', payload], ['RESTORE', 'r3', '1', payload, 'ABSTTL'],
  ]);
});

test('transactions: the events of queued commands fire when EXEC runs them', async (ctx) => {
  if (ctx.echokv.server.commands.get('multi') === undefined) {
    console.log('  (transactions: not run, echokv lacks MULTI)');
    return;
  }
  await sameEvents(ctx, 'KEA', [
    ['MULTI'], ['SET', 't', '1'], ['INCR', 't'], ['EXPIRE', 't', '100'], ['DEL', 't'], ['GET', 't'], ['EXEC'],
    ['MULTI'], ['SET', 'u', '1'], ['NOSUCHCOMMAND'], ['EXEC'], ['MULTI'], ['SET', 'v', '1'], ['DISCARD'],
  ]);
});

test('blocked clients served by a write fire their events after the write\'s own', async (ctx) => {
  const cases: [string[], string[][]][] = [
    [['BLPOP', 'bl', '0'], [['LPUSH', 'bl', 'a', 'b']]],
    [['BLMOVE', 'bl2', 'bl3', 'LEFT', 'RIGHT', '0'], [['RPUSH', 'bl2', 'x']]],
    [['BZPOPMIN', 'bz', '0'], [['ZADD', 'bz', '1', 'a']]],
    [['XREAD', 'BLOCK', '0', 'STREAMS', 'bx', '$'], [['XADD', 'bx', '5-1', 'f', 'v']]],
    [['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 'bg', '>'], [['XADD', 'bg', '7-1', 'f', 'v']]],
  ];
  const { c } = ctx;
  await c.same('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
  await c.same('XGROUP', 'CREATE', 'bg', 'g', '$', 'MKSTREAM');
  const listener = await ctx.connect();
  await listener.same('PSUBSCRIBE', '__key*__:*');
  for (const [blocking, writes] of cases) {
    const names = [blocking[0], ...writes.map((w) => w[0])].map((n) => n.toLowerCase());
    if (names.some((n) => ctx.echokv.server.commands.get(n) === undefined)) {
      console.log(`  (${blocking[0]}: not run, not in echokv)`);
      continue;
    }
    const b = await ctx.connect();
    send(b.redis, blocking);
    send(b.echo, blocking);
    // Both are parked before the write arrives.
    for (const cl of [c.redis, c.echo]) {
      const deadline = Date.now() + 5000;
      while (!/blocked_clients:1/.test(String(await cl.call('INFO', 'clients')))) {
        if (Date.now() > deadline) throw new Error(`${blocking[0]} did not block`);
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    for (const w of writes) await c.same(...w);
    const [r, e] = await Promise.all([b.redis.readRaw(), b.echo.readRaw()]);
    assert.is(show(e.bytes), show(r.bytes), `reply to ${blocking.join(' ')}`);
    const [lr, le] = await Promise.all([drain(listener.redis), drain(listener.echo)]);
    assert.equal(lines(le), lines(lr), `events around ${blocking.join(' ')}`);
    assert.ok(lines(lr).length >= 2, 'the write and the served pop both fire events');
    b.redis.close();
    b.echo.close();
  }
});

// One script mixing every group echokv has, under every kind of flag selection.
function mixedScript(ctx: CompatContext): Step[] {
  const out: Step[] = [];
  for (const [, script] of GROUPS) if (missing(ctx, script).length === 0) out.push(...script, ['FLUSHALL']);
  return out;
}

test('each notify-keyspace-events selection publishes exactly its classes', async (ctx) => {
  const script = mixedScript(ctx);
  // Every class alone on one of the two channels, some combinations, and selections that
  // publish nothing (no class, or neither K nor E).
  const selections = ['AKE', 'Kg$', 'Elh', 'Ksz', 'Etx', 'Kd', 'EnmK', 'A', 'K', 'g$lshzxetdnm', ''];
  for (const flags of selections) {
    await ctx.c.same('FLUSHALL');
    await sameEvents(ctx, flags, script);
  }
});

test('CONFIG GET notify-keyspace-events prints the flags as Redis does', async ({ c }) => {
  for (const flags of ['KEA', 'AKEmn', 'An', 'nK', 'g$lshzxetd', 'g$lshzxet', 'Ed', 'E', 'mKE', 'xeK', '']) {
    await c.same('CONFIG', 'SET', 'notify-keyspace-events', flags);
    await c.same('CONFIG', 'GET', 'notify-keyspace-events');
  }
  await c.all([['CONFIG', 'SET', 'notify-keyspace-events', 'KQ'], ['CONFIG', 'GET', 'notify-keyspace-events']]);
});

test('events carry the database number and binary keys intact', async (ctx) => {
  await sameEvents(ctx, 'KEA', [
    ['SELECT', '9'], ['SET', BIN, 'v'], ['DEL', BIN], ['SELECT', '15'], ['SET', 'k', 'v'], ['EXPIRE', 'k', '100'],
    ['MOVE', 'k', '0'], ['SELECT', '0'], ['RENAME', 'k', '\xff'], ['SET', '*?[', 'v'], ['SET', '', 'v'],
  ]);
});

test('subscribing to exact keyspace and keyevent channels', async (ctx) => {
  const { c } = ctx;
  await c.same('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
  const s = await ctx.connect();
  await s.same('SUBSCRIBE', '__keyevent@0__:set');
  const t = await ctx.connect();
  await t.same('SUBSCRIBE', '__keyspace@0__:watched');
  await runScript(c, [['SET', 'a', '1'], ['SET', 'watched', '1'], ['INCR', 'watched'], ['DEL', 'watched'], ['SELECT', '1'],
    ['SET', 'watched', 'other db'], ['SELECT', '0']]);
  for (const l of [s, t]) {
    const [r, e] = await Promise.all([drain(l.redis), drain(l.echo)]);
    assert.equal(lines(e), lines(r));
    assert.ok(lines(r).length > 0);
  }
  // PUBLISH to a keyspace channel by hand reaches the same subscribers.
  await c.same('PUBLISH', '__keyspace@0__:watched', 'by hand');
  const [r, e] = await Promise.all([drain(t.redis), drain(t.echo)]);
  assert.equal(lines(e), lines(r));
});

// A RESP3 client subscribed to its own events gets them between its replies, exactly where
// Redis writes them: before the reply of most commands, after it for some (EXPIRE, HSET ...),
// even inside an array reply (ZPOPMIN writes the array header first).
for (const [group, script] of GROUPS) {
  test(`${group}: a RESP3 client gets its own events where Redis places them among its replies`, async (ctx) => {
    const absent = missing(ctx, script);
    if (absent.length > 0) {
      console.log(`  (${group}: not run, echokv lacks ${absent.join(' ')})`);
      return;
    }
    const { c } = ctx;
    await c.same('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
    const s = await ctx.connect();
    await s.both('HELLO', '3');
    await s.same('PSUBSCRIBE', '__key*__:*');
    for (const step of script) {
      if (step[0] === 'sleep') {
        await new Promise((r) => setTimeout(r, Number(step[1])));
        continue;
      }
      const unordered = step[0] === '~';
      const cmd = unordered ? step.slice(1) : step;
      send(s.redis, cmd);
      send(s.echo, cmd);
      const [r, e] = await Promise.all([drain(s.redis), drain(s.echo)]);
      const frames = (x: Raw[]): string[] => {
        const out = x.map((f) => show(f.bytes));
        // A reply in unspecified order (SPOP with a count) is compared as its sorted elements.
        return unordered ? out.map((f) => f.split('\\r\\n').sort().join('|')) : out;
      };
      assert.equal(frames(e), frames(r), show(cmd.join(' ')));
    }
  });
}

test('no listener, no class or no K/E: nothing is published and commands still work', async (ctx) => {
  const { c } = ctx;
  for (const flags of ['', 'A', 'K', 'E', 'KE']) {
    await c.same('CONFIG', 'SET', 'notify-keyspace-events', flags);
    const l = await ctx.connect();
    await l.same('PSUBSCRIBE', '*');
    await runScript(c, [['SET', 'q', '1'], ['DEL', 'q'], ['GET', 'q'], ['PUBLISH', 'marker', flags]]);
    const [r, e] = await Promise.all([drain(l.redis), drain(l.echo)]);
    assert.equal(lines(e), lines(r));
    assert.is(lines(r).length, 1, 'only the marker message');
  }
});

test.run();
