// Edge cases of keyspace notifications from a differential sweep against redis-server 7.0 (what
// notifications.test.ts does not already run): SORT STORE, HyperLogLog and GEO STORE commands,
// writes that fail or change nothing, keys moved between databases, stream trimming and consumer
// groups, lazily expired keys met by every kind of command, keymiss from reads of every type,
// blocked clients served while subscribed to their own events (RESP3), evictions, a bounded
// random sequence of writes, and CONFIG SET/GET of every pair of flag letters. Each script runs
// with a listener on `__key*@*__:*` (RESP2) and again with a RESP3 client that issues the commands
// while subscribed, so its pushes must sit among its replies exactly where Redis writes them.
import * as assert from 'uvu/assert';
import { closeOpenedAfterEach, type Compat, type CompatContext, compatSuite, show } from './_compat.ts';
import type { Raw, RespClient } from '../_helpers.ts';
import { encodeCommand } from '../_resp.ts';

const test = compatSuite('edge keyspace notifications');

closeOpenedAfterEach(test, async (ctx) => {
  await ctx.c.same('CONFIG', 'SET', 'notify-keyspace-events', '');
  await ctx.c.same('CONFIG', 'SET', 'maxmemory', '0');
  await ctx.c.same('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
});

/** A command, `['~', ...command]` when its reply's order is unspecified, or `['sleep', ms]`. */
type Step = string[];

let markers = 0;

/** Every frame `cl` got before the answer to a PING of our own. */
async function drain(cl: RespClient): Promise<Raw[]> {
  const m = `mark-${++markers}-mark`;
  cl.write(encodeCommand(['PING', m]));
  const out: Raw[] = [];
  for (;;) {
    const f = await cl.readRaw();
    if (f.bytes.includes(m)) return out;
    out.push(f);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The frames of a reply in unspecified order, as its sorted lines. */
const sorted = (bytes: string): string => bytes.split('\r\n').sort().join('|');

/**
 * Runs `script` on both servers with notify-keyspace-events `flags`: first with a RESP2 listener
 * on `__key*@*__:*` (each command's replies and the messages it caused must be identical), then
 * on fresh databases with a RESP3 client subscribed to the same pattern that sends the commands
 * itself (every frame it gets per command must be identical, pushes and reply in order).
 */
async function sameEvents(ctx: CompatContext, flags: string, script: readonly Step[], opts: { self?: boolean } = {}): Promise<number> {
  const { c } = ctx;
  await c.same('CONFIG', 'SET', 'notify-keyspace-events', flags);
  const listener = await ctx.connect();
  await listener.same('PSUBSCRIBE', '__key*@*__:*');
  let events = 0;
  for (const step of script) {
    if (step[0] === 'sleep') {
      await sleep(Number(step[1]));
      continue;
    }
    if (step[0] === '~') await c.sameUnordered(...step.slice(1));
    else await c.same(...step);
    const [r, e] = await Promise.all([drain(listener.redis), drain(listener.echo)]);
    const text = (x: Raw[]) => show(x.map((f) => f.bytes).join(''));
    assert.is(text(e), text(r), `events of ${show(step.join(' '))} with ${show(flags)}`);
    events += r.length;
  }
  if (opts.self === false) return events;
  await c.same('SELECT', '0');
  await c.same('FLUSHALL');
  const s = await ctx.connect();
  await s.both('HELLO', '3');
  await s.same('PSUBSCRIBE', '__key*@*__:*');
  for (const step of script) {
    if (step[0] === 'sleep') {
      await sleep(Number(step[1]));
      continue;
    }
    const unordered = step[0] === '~';
    const cmd = unordered ? step.slice(1) : step;
    s.redis.write(encodeCommand(cmd));
    s.echo.write(encodeCommand(cmd));
    const [r, e] = await Promise.all([drain(s.redis), drain(s.echo)]);
    const frames = (x: Raw[]) => x.map((f) => (unordered ? sorted(f.bytes) : show(f.bytes)));
    assert.equal(frames(e), frames(r), `RESP3 frames of ${show(cmd.join(' '))} with ${show(flags)}`);
  }
  return events;
}

// ---------------------------------------------------------------------------------------------
// Differences found and fixed.

test('SORT with STORE reads its key and BY/GET keys as SORT does: keymiss and keyspace stats', async (ctx) => {
  const { c } = ctx;
  const script: Step[] = [
    ['RPUSH', 'l', '3', '1', '2'], ['SET', 'w_1', '5'], ['HSET', 'h_2', 'f', '1'],
    ['SORT', 'nokey', 'STORE', 'd'], ['SORT', 'l', 'STORE', 'd'], ['SORT', 'nokey', 'STORE', 'd'],
    ['SORT', 'l', 'BY', 'w_*', 'STORE', 'd'], ['SORT', 'l', 'GET', 'w_*', 'GET', '#', 'STORE', 'd'],
    ['SORT', 'l', 'BY', 'h_*->f', 'GET', 'h_*->f', 'STORE', 'd'], ['SORT', 'l', 'BY', 'nosort', 'GET', 'w_*', 'STORE', 'd'],
    ['SORT', 'l', 'BY', 'w_*'], ['SORT_RO', 'nokey'],
  ];
  const events = await sameEvents(ctx, 'KEAnm', script);
  assert.ok(events > 0);
  await sameEvents(ctx, 'Km', script, { self: false });
  // The same lookups count keyspace hits and misses.
  await c.same('CONFIG', 'RESETSTAT');
  await c.all([['RPUSH', 'l', '3', '1', '2'], ['SET', 'w_1', '5'], ['SORT', 'nokey', 'STORE', 'd'],
    ['SORT', 'l', 'BY', 'w_*', 'GET', 'w_*', 'STORE', 'd']]);
  for (const field of ['keyspace_hits', 'keyspace_misses']) {
    const [r, e] = await c.both('INFO', 'stats');
    const get = (x: Raw) => new RegExp(`${field}:(\\d+)`).exec(x.bytes)![1];
    assert.is(get(e), get(r), field);
  }
});

test('a RESP3 client blocked on XREADGROUP as a new consumer gets xgroup-createconsumer before its reply', async (ctx) => {
  const { c } = ctx;
  await c.same('XGROUP', 'CREATE', 'x', 'g', '$', 'MKSTREAM');
  await c.same('XGROUP', 'CREATE', 'y', 'g', '$', 'MKSTREAM');
  let ids = 0;
  for (const flags of ['KEA', 'Kt']) {
    await c.same('CONFIG', 'SET', 'notify-keyspace-events', flags);
    for (const [key, consumer, noack] of [['x', `new-${flags}`, false], ['y', `na-${flags}`, true], ['x', `new-${flags}`, false]] as const) {
      const b = await ctx.connect();
      await b.both('HELLO', '3');
      await b.same('PSUBSCRIBE', '__key*@*__:*');
      const cmd = ['XREADGROUP', 'GROUP', 'g', consumer, ...(noack ? ['NOACK'] : []), 'BLOCK', '0', 'STREAMS', key, '>'];
      b.redis.write(encodeCommand(cmd));
      b.echo.write(encodeCommand(cmd));
      await waitBlocked(c, 1);
      await c.same('XADD', key, `${++ids}-1`, 'f', 'v');
      const [r, e] = await Promise.all([drain(b.redis), drain(b.echo)]);
      const frames = (x: Raw[]) => x.map((f) => show(f.bytes));
      assert.equal(frames(e), frames(r), show(cmd.join(' ')));
    }
  }
});

async function waitBlocked(c: Compat, n: number): Promise<void> {
  for (const cl of [c.redis, c.echo]) {
    const deadline = Date.now() + 5000;
    while (Number(/blocked_clients:(\d+)/.exec(String(await cl.call('INFO', 'clients')))![1]) < n) {
      if (Date.now() > deadline) throw new Error(`not ${n} blocked clients`);
      await sleep(5);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Equal cases, pinned.

const SORT_HLL_GEO: Step[] = [
  ['RPUSH', 'l', '3', '1', '2'], ['SORT', 'l', 'STORE', 'd'], ['SORT', 'l', 'STORE', 'd'], ['SORT', 'l', 'LIMIT', '0', '0', 'STORE', 'd'],
  ['SORT', 'l', 'LIMIT', '0', '0', 'STORE', 'd'], ['SADD', 's', 'b', 'a'], ['SORT', 's', 'ALPHA', 'STORE', 's'], ['SORT', 'l', 'STORE', 'l'],
  ['SET', 'str', 'x'], ['SORT', 'str', 'STORE', 'd'],
  ['PFADD', 'h', 'a', 'b'], ['PFADD', 'h', 'a'], ['PFADD', 'h2'], ['PFADD', 'h2'], ['PFADD', 'h3', 'x'], ['PFCOUNT', 'h', 'h3'],
  ['PFMERGE', 'hm', 'h', 'h3'], ['PFMERGE', 'hm'], ['PFMERGE', 'hm2'], ['PFMERGE', 'h', 'nokey'], ['PFADD', 'str', 'a'],
  ['PFMERGE', 'str', 'h'], ['PFDEBUG', 'TODENSE', 'h'], ['PFCOUNT', 'h'],
  ['GEOADD', 'g', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania'], ['GEOADD', 'g', 'NX', '13.361389', '38.115556', 'Palermo'],
  ['GEOADD', 'g', 'XX', 'CH', '13.5', '38.1', 'Palermo'], ['GEOADD', 'g', 'XX', '1', '1', 'new'],
  ['GEORADIUS', 'g', '15', '37', '200', 'km', 'STORE', 'gs'], ['GEORADIUS', 'g', '15', '37', '200', 'km', 'STOREDIST', 'gd'],
  ['GEORADIUS', 'g', '0', '0', '1', 'km', 'STORE', 'gs'], ['GEORADIUS', 'g', '0', '0', '1', 'km', 'STORE', 'gs'],
  ['GEORADIUSBYMEMBER', 'g', 'Palermo', '300', 'km', 'STORE', 'gm'],
  ['GEOSEARCHSTORE', 'gss', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'STOREDIST'],
  ['GEOSEARCHSTORE', 'gss', 'g', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km'],
  ['GEOSEARCHSTORE', 'gss', 'nokey', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km'],
  ['GEOSEARCHSTORE', 'g', 'g', 'FROMMEMBER', 'Palermo', 'BYBOX', '400', '400', 'km', 'ASC', 'COUNT', '1'],
];

test('SORT STORE, HyperLogLog and GEO STORE commands', async (ctx) => {
  assert.ok((await sameEvents(ctx, 'KEAnm', SORT_HLL_GEO)) > 20);
});

// Writes refused (wrong type, bad number, bad option) or that change nothing publish nothing.
const NOOPS: Step[] = [
  ['SET', 's', 'v'], ['LPUSH', 's', 'a'], ['SADD', 's', 'a'], ['HSET', 's', 'f', 'v'], ['ZADD', 's', '1', 'a'], ['XADD', 's', '1-1', 'f', 'v'],
  ['INCR', 's'], ['RPUSH', 'l', 'a'], ['APPEND', 'l', 'x'], ['SETRANGE', 'l', '0', 'x'], ['SETBIT', 'l', '0', '1'], ['SET', 'n', '1'],
  ['INCRBY', 'n', 'abc'], ['INCRBYFLOAT', 'n', 'abc'], ['HSET', 'h', 'f', 'x'], ['HINCRBY', 'h', 'f', '1'], ['HINCRBYFLOAT', 'h', 'f', '1'],
  ['ZADD', 'z', '1', 'a'], ['ZADD', 'z', 'INCR', 'nan', 'a'], ['ZINCRBY', 'z', 'abc', 'a'], ['ZADD', 'z', 'NX', 'INCR', '1', 'a'],
  ['ZADD', 'z', 'GT', 'CH', '0', 'a'], ['ZADD', 'z', 'XX', '1', 'nope'], ['LSET', 'l', '5', 'x'], ['SMOVE', 's', 'x', 'a'], ['SADD', 'st', 'a'],
  ['SMOVE', 'st', 's', 'a'], ['SMOVE', 'st', 'st', 'a'], ['RENAME', 's', 's'], ['GETEX', 's', 'EX', '-1'], ['SET', 'q', 'v', 'EX', '0'],
  ['COPY', 's', 's'], ['SETBIT', 'b', '0', '0'], ['SETBIT', 'b', '0', '0'],
  ['BITFIELD', 'bf', 'OVERFLOW', 'FAIL', 'INCRBY', 'u2', '0', '10'], ['BITFIELD', 'bf', 'OVERFLOW', 'FAIL', 'INCRBY', 'u2', '0', '1'],
  ['BITFIELD', 'bf', 'OVERFLOW', 'FAIL', 'INCRBY', 'u2', '0', '10'], ['BITFIELD', 'bf3', 'OVERFLOW', 'FAIL', 'SET', 'u2', '0', '100'],
  ['BITOP', 'AND', 'd', 'nokey', 'nokey2'], ['SET', 'd', 'x'], ['BITOP', 'AND', 'd', 'nokey'], ['SETRANGE', 'c', '3', ''],
  ['APPEND', 'e', ''], ['HDEL', 'h', 'nofield'], ['LREM', 'l', '0', 'nothere'], ['LTRIM', 'l', '0', '-1'], ['SPOP', 'st', '0'],
  ['LPOP', 'l', '0'], ['ZPOPMIN', 'z', '0'], ['XTRIM', 'nokey', 'MAXLEN', '0'], ['XSETID', 'nokey', '1-1'], ['EXPIRE', 's', '100', 'XX'],
  ['PERSIST', 's'],
];

test('writes that fail or change nothing, and their neighbours', async (ctx) => {
  await sameEvents(ctx, 'KEAnm', NOOPS);
});

const DATABASES: Step[] = [
  ['SET', 'a', '1'], ['SELECT', '1'], ['SET', 'b', '1'], ['SELECT', '0'], ['SWAPDB', '0', '1'], ['SET', 'b', '2'], ['DEL', 'b'],
  ['FLUSHDB'], ['SET', 'x', '1'], ['FLUSHALL'], ['SWAPDB', '0', '0'], ['FLUSHDB', 'ASYNC'], ['FLUSHALL', 'SYNC'],
  ['SET', 'a', '1', 'EX', '100'], ['RENAME', 'a', 'b'], ['SET', 'c', '1'], ['RENAME', 'b', 'c'], ['RENAMENX', 'c', 'c'], ['COPY', 'c', 'd'],
  ['COPY', 'c', 'c', 'REPLACE'], ['COPY', 'c', 'e', 'DB', '0'], ['MOVE', 'c', '0'], ['SELECT', '1'], ['SET', 'c', 'x'], ['SELECT', '0'],
  ['MOVE', 'c', '1'], ['COPY', 'c', 'c', 'DB', '1', 'REPLACE'], ['COPY', 'c', 'c', 'DB', '1'], ['EXPIRE', 'c', '100', 'XX'],
  ['EXPIRE', 'c', '100', 'XX'], ['EXPIRE', 'c', '50', 'GT'], ['EXPIRE', 'c', '500', 'LT'], ['EXPIRE', 'c', '500', 'GT'], ['EXPIRE', 'c', '0'],
  ['SET', 'c', '1'], ['EXPIREAT', 'c', '1'], ['SET', 'c', '1'], ['PEXPIRE', 'c', '-5'], ['SET', 'c', '1'], ['GETEX', 'c', 'PXAT', '1'],
  // A key set already expired goes at the next lookup (GET's "expired"): with active expiry on,
  // either server's cycle could take it before or after the step's events are read.
  ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'], ['SET', 'c', '1', 'EXAT', '1'], ['GET', 'c'], ['DEBUG', 'SET-ACTIVE-EXPIRE', '1'],
  ['DEL', 'd', 'e', 'nokey'], ['SET', 'x', '1'], ['SET', 'y', '1'], ['DEL', 'x', 'y', 'x'],
  ['SELECT', '10'], ['SET', 'k', 'v'], ['SELECT', '15'], ['SET', 'k', 'v'], ['SWAPDB', '10', '15'], ['MOVE', 'k', '10'],
  ['COPY', 'k', 'k', 'DB', '10'], ['COPY', 'k', 'k', 'DB', '10', 'REPLACE'], ['SELECT', '0'],
];

test('keys renamed, copied and moved between databases; SWAPDB and FLUSHDB publish nothing', async (ctx) => {
  await sameEvents(ctx, 'KEAnm', DATABASES);
  await sameEvents(ctx, 'Eg', DATABASES, { self: false });
});

const STREAMS: Step[] = [
  ['XADD', 'x', 'MAXLEN', '0', '1-1', 'f', 'v'], ['XADD', 'x', '2-1', 'f', 'v'], ['XADD', 'x', '3-1', 'f', 'v'], ['XTRIM', 'x', 'MINID', '3'],
  ['XTRIM', 'x', 'MINID', '0'], ['XTRIM', 'x', 'MAXLEN', '~', '0'], ['XADD', 'x', 'MINID', '5', '5-1', 'f', 'v'],
  ['XADD', 'x', 'NOMKSTREAM', '6-1', 'f', 'v'], ['XDEL', 'x', '5-1', '6-1', '7-1'], ['XSETID', 'x', '7-1'],
  ['XSETID', 'x', '8-1', 'ENTRIESADDED', '10', 'MAXDELETEDID', '7-1'], ['XADD', 'x', '9-1', 'a', 'b'], ['XADD', 'x', '10-1', 'a', 'b'],
  ['XGROUP', 'CREATE', 'x', 'g', '0'], ['XGROUP', 'CREATE', 'x', 'g', '0'], ['XGROUP', 'CREATE', 'x', 'g2', '$', 'ENTRIESREAD', '1'],
  ['XADD', 'y', '1-1', 'f', 'v'], ['XGROUP', 'CREATE', 'y', 'g', '0'],
  ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 'x', 'y', '>', '>'], ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 'x', '>'],
  ['XREADGROUP', 'GROUP', 'g', 'c2', 'NOACK', 'STREAMS', 'x', 'y', '0', '0'], ['XREADGROUP', 'GROUP', 'g', 'c9', 'STREAMS', 'x', 'nokey', '>', '>'],
  ['XDEL', 'x', '9-1'], ['XCLAIM', 'x', 'g', 'c3', '0', '9-1', '10-1'], ['XCLAIM', 'x', 'g', 'c3', '0', '10-1', 'JUSTID'],
  ['XCLAIM', 'x', 'g', 'c4', '0', '10-1', 'FORCE', 'LASTID', '10-1'], ['XCLAIM', 'x', 'g', 'c5', '100000', '10-1'],
  ['XAUTOCLAIM', 'x', 'g', 'c6', '0', '0', 'COUNT', '1'], ['XAUTOCLAIM', 'x', 'g', 'c6', '0', '0', 'JUSTID'],
  ['XAUTOCLAIM', 'x', 'g', 'c7', '100000', '0'], ['XACK', 'x', 'g', '10-1', '10-1'], ['XACK', 'x', 'g', '1-1'],
  ['XGROUP', 'SETID', 'x', 'g', '$'], ['XGROUP', 'SETID', 'x', 'g', '0', 'ENTRIESREAD', '0'], ['XGROUP', 'SETID', 'x', 'nog', '0'],
  ['XGROUP', 'CREATECONSUMER', 'x', 'g', 'c1'], ['XGROUP', 'CREATECONSUMER', 'x', 'nog', 'c1'], ['XGROUP', 'DELCONSUMER', 'x', 'g', 'c99'],
  ['XGROUP', 'DELCONSUMER', 'x', 'g', 'c1'], ['XGROUP', 'DESTROY', 'x', 'g2'], ['XGROUP', 'DESTROY', 'x', 'nog'], ['XTRIM', 'x', 'MAXLEN', '0'],
  ['DEL', 'x'],
];

test('streams: trimming, XSETID, groups and consumers made by reads and claims', async (ctx) => {
  await sameEvents(ctx, 'KEAnm', STREAMS);
  await sameEvents(ctx, 'Et', STREAMS, { self: false });
});

// Keys given 50 ms (not 1: see notifications.test.ts) expire lazily, active expiry off.
const px = (...keys: string[]): Step[] => keys.map((k) => ['SET', k, 'v', 'PX', '50']);
const EXPIRED: Step[] = [
  ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'], ...px('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'w_1', 'w_2', 'm1', 'm2', 'p'),
  ['RPUSH', 'lst', '1', '2'], ['SADD', 'st', 'x'], ['ZADD', 'zs', '1', 'x'], ['HSET', 'hs', 'f', 'v'], ['XADD', 'xs', '1-1', 'f', 'v'],
  ['PFADD', 'hl', 'a'], ['GEOADD', 'geo', '1', '1', 'm'], ['PEXPIRE', 'lst', '50'], ['PEXPIRE', 'st', '50'], ['PEXPIRE', 'zs', '50'],
  ['PEXPIRE', 'hs', '50'], ['PEXPIRE', 'xs', '50'], ['PEXPIRE', 'hl', '50'], ['PEXPIRE', 'geo', '50'], ['SELECT', '1'], ...px('a', 'z'),
  ['SELECT', '0'], ['sleep', '90'],
  ['RENAME', 'a', 'a2'], ['SET', 'b2', 'x'], ['RENAME', 'b2', 'b'], ['COPY', 'c', 'c2'], ['SET', 'c3', 'x'], ['COPY', 'c3', 'd'],
  ['MOVE', 'e', '1'], ['SET', 'mv', 'x'], ['MOVE', 'mv', '1'], ['EXISTS', 'f'], ['TYPE', 'g'], ['TTL', 'h'], ['OBJECT', 'ENCODING', 'i'],
  ['DEL', 'j'], ['MGET', 'w_1', 'w_2', 'm1'], ['SET', 'm2', 'n', 'GET'], ['EXPIRE', 'p', '100'], ['SMOVE', 'st', 'st2', 'x'],
  ['LMOVE', 'lst', 'lst2', 'LEFT', 'LEFT'], ['SINTERSTORE', 'zs', 'st'], ['SUNIONSTORE', 'hs', 'st'], ['XREAD', 'STREAMS', 'xs', '0'],
  ['PFCOUNT', 'hl'], ['GEOSEARCHSTORE', 'd', 'geo', 'FROMLONLAT', '1', '1', 'BYRADIUS', '10', 'km'], ['SELECT', '1'], ['GET', 'z'],
  ['SWAPDB', '0', '1'], ['GET', 'a'], ['SELECT', '0'],
  // Writes to expired aggregates that only some commands create again.
  ['RPUSH', 'l', 'a'], ['PEXPIRE', 'l', '50'], ['SADD', 's', 'a'], ['PEXPIRE', 's', '50'], ['SET', 'str', 'abc', 'PX', '50'],
  ['ZADD', 'z', '1', 'a'], ['PEXPIRE', 'z', '50'], ['XADD', 'x', '1-1', 'f', 'v'], ['XGROUP', 'CREATE', 'x', 'g', '0'], ['PEXPIRE', 'x', '50'],
  ['HSET', 'h', 'a', '1'], ['PEXPIRE', 'h', '50'], ['SET', 'bm', 'x', 'PX', '50'], ['SET', 'n', '5', 'PX', '50'], ['PFADD', 'hll', 'a'],
  ['PEXPIRE', 'hll', '50'], ['SET', 'hl2', 'x', 'PX', '50'], ['sleep', '90'],
  ['LPUSHX', 'l', 'b'], ['LINSERT', 'l', 'BEFORE', 'a', 'b'], ['SREM', 's', 'a'], ['ZREM', 'z', 'a'], ['ZINCRBY', 'z', '1', 'a'],
  ['XGROUP', 'CREATECONSUMER', 'x', 'g', 'c'], ['XADD', 'x', 'NOMKSTREAM', '2-1', 'f', 'v'], ['HINCRBYFLOAT', 'h', 'a', '1'],
  ['SETBIT', 'bm', '1', '1'], ['BITFIELD', 'str', 'GET', 'u8', '0'], ['INCRBYFLOAT', 'n', '1'], ['SORT', 'l', 'STORE', 's'],
  ['PFMERGE', 'hl2', 'hll'], ['PFADD', 'hll'], ['DEBUG', 'SET-ACTIVE-EXPIRE', '1'],
];

test('lazily expired keys met by renames, copies, moves, reads, stores and writes of every type', async (ctx) => {
  await sameEvents(ctx, 'KEAnm', EXPIRED);
  await sameEvents(ctx, 'Exn', EXPIRED, { self: false });
});

const READS: Step[] = [
  ['SET', 'str', 'abc'], ['SADD', 'st', 'a'], ['ZADD', 'zs', '1', 'a'], ['PFADD', 'hl', 'a'], ['XADD', 'xs', '1-1', 'f', 'v'],
  ['GEOPOS', 'nk', 'a'], ['GEODIST', 'nk', 'a', 'b'], ['GEOSEARCH', 'nk', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km'],
  ['GEORADIUS_RO', 'nk', '0', '0', '1', 'km'], ['PFCOUNT', 'nk', 'nk2', 'hl'], ['XINFO', 'STREAM', 'nk'], ['XPENDING', 'nk', 'g'],
  ['XREAD', 'STREAMS', 'nk', 'nk2', 'xs', '0', '0', '0'], ['LCS', 'str', 'nk'], ['SRANDMEMBER', 'nk', '3'], ['ZRANDMEMBER', 'nk'],
  ['HRANDFIELD', 'nk', '2'], ['ZREVRANK', 'nk', 'a'], ['ZSCAN', 'nk', '0'], ['DUMP', 'nk'], ['OBJECT', 'FREQ', 'nk'],
  ['MEMORY', 'USAGE', 'nk'], ['EXPIRETIME', 'nk'], ['EXISTS', 'nk', 'str', 'nk2'], ['TOUCH', 'nk', 'str'], ['SORT', 'nk'],
  ['BITFIELD', 'nk', 'GET', 'u8', '0'], ['BITPOS', 'nk', '0'], ['SINTER', 'st', 'nk', 'nk2'], ['SUNION', 'nk', 'nk2', 'st'],
  ['SDIFF', 'nk', 'st'], ['ZINTER', '2', 'zs', 'nk'], ['ZINTERCARD', '2', 'nk', 'zs'], ['SINTERCARD', '2', 'nk', 'st'],
  ['MGET', 'nk', 'str', 'nk2'], ['ZMSCORE', 'nk', 'a'],
  // Write lookups report no miss.
  ['RENAME', 'nk', 'x'], ['COPY', 'nk', 'x'], ['MOVE', 'nk', '1'], ['GETDEL', 'nk'], ['GETEX', 'nk'], ['LMOVE', 'nk', 'x', 'LEFT', 'LEFT'],
  ['SMOVE', 'nk', 'x', 'a'], ['ZMPOP', '2', 'nk', 'nk2', 'MIN'], ['LMPOP', '2', 'nk', 'nk2', 'LEFT'], ['XCLAIM', 'nk', 'g', 'c', '0', '1-1'],
  ['XAUTOCLAIM', 'nk', 'g', 'c', '0', '0'], ['EXPIRE', 'nk', '10'], ['SINTERSTORE', 'd', 'nk', 'st'], ['ZRANGESTORE', 'd', 'nk', '0', '1'],
  ['GEORADIUS', 'nk', '0', '0', '1', 'km', 'STORE', 'd'], ['BITOP', 'OR', 'd', 'nk', 'str'],
];

test('keymiss from reads of every type; write lookups report none', async (ctx) => {
  await sameEvents(ctx, 'KEAnm', READS);
  await sameEvents(ctx, 'Km', READS, { self: false });
});

test('blocked RESP3 clients subscribed to their own events, served by writes of every kind', async (ctx) => {
  const { c } = ctx;
  const cases: { setup: Step[]; blocks: Step[]; writes: Step[] }[] = [
    { setup: [], blocks: [['BLMPOP', '0', '2', 'a', 'b', 'LEFT', 'COUNT', '5']], writes: [['RPUSH', 'b', '1', '2', '3']] },
    { setup: [], blocks: [['BZMPOP', '0', '1', 'z', 'MAX', 'COUNT', '2']], writes: [['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c']] },
    { setup: [], blocks: [['BRPOPLPUSH', 's', 'd', '0']], writes: [['LPUSH', 's', 'x']] },
    { setup: [], blocks: [['BLPOP', 'l', '0'], ['BRPOP', 'l', '0']], writes: [['RPUSH', 'l', '1', '2', '3']] },
    { setup: [], blocks: [['BLMOVE', 'a', 'b', 'LEFT', 'LEFT', '0'], ['BLMOVE', 'b', 'c', 'LEFT', 'LEFT', '0'], ['BLPOP', 'c', '0']], writes: [['RPUSH', 'a', 'x']] },
    { setup: [], blocks: [['BLPOP', 'l', '0'], ['BZPOPMIN', 'z', '0']], writes: [['MULTI'], ['RPUSH', 'l', '1'], ['ZADD', 'z', '1', 'm'], ['DEL', 'l'], ['EXEC'], ['RPUSH', 'l', '2']] },
    { setup: [['SET', 'd', 'str']], blocks: [['BLMOVE', 's', 'd', 'LEFT', 'LEFT', '0']], writes: [['RPUSH', 's', 'x']] },
    { setup: [['RPUSH', 'src', '3', '1']], blocks: [['BLPOP', 'dst', '0']], writes: [['SORT', 'src', 'STORE', 'dst']] },
    { setup: [['ZADD', 's1', '1', 'a']], blocks: [['BZPOPMIN', 'dst', '0']], writes: [['ZUNIONSTORE', 'dst', '1', 's1']] },
    { setup: [], blocks: [['BZPOPMIN', 'g', '0']], writes: [['GEOADD', 'g', '1', '1', 'm']] },
    { setup: [['RPUSH', 'src', 'x', 'y']], blocks: [['BLPOP', 'dst', '0']], writes: [['RENAME', 'src', 'dst']] },
    { setup: [['SELECT', '1'], ['RPUSH', 'dst', 'x'], ['SELECT', '0']], blocks: [['BLPOP', 'dst', '0']], writes: [['SWAPDB', '0', '1']] },
    { setup: [['XGROUP', 'CREATE', 'x', 'g', '$', 'MKSTREAM']], blocks: [['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 'x', '>']], writes: [['XGROUP', 'DESTROY', 'x', 'g'], ['XADD', 'x', '9-1', 'a', 'b']] },
  ];
  await c.same('CONFIG', 'SET', 'notify-keyspace-events', 'KEAn');
  for (const cs of cases) {
    await c.reset();
    await c.all(cs.setup);
    const bs: Compat[] = [];
    for (const b of cs.blocks) {
      const conn = await ctx.connect();
      await conn.both('HELLO', '3');
      await conn.same('PSUBSCRIBE', '__key*@*__:*');
      conn.redis.write(encodeCommand(b));
      conn.echo.write(encodeCommand(b));
      bs.push(conn);
      await waitBlocked(c, bs.length);
    }
    await c.all(cs.writes);
    // What each blocked client got: its events and, if served, its reply (a client still
    // blocked cannot answer a PING, so read for a while).
    for (const [i, b] of bs.entries()) {
      const got = async (cl: RespClient): Promise<string> => {
        let out = '';
        for (;;) {
          try {
            out += (await cl.readRaw(100)).bytes;
          } catch {
            return out;
          }
        }
      };
      const [r, e] = await Promise.all([got(b.redis), got(b.echo)]);
      assert.is(show(e), show(r), `client ${i} of ${show(cs.blocks.map((x) => x.join(' ')).join(', '))}`);
    }
    for (const b of bs) {
      b.redis.close();
      b.echo.close();
    }
  }
});

test('evicted events reach a RESP3 client before the reply of the command that evicted', async (ctx) => {
  const { c } = ctx;
  const s = await ctx.connect();
  await s.both('HELLO', '3');
  await c.same('CONFIG', 'SET', 'notify-keyspace-events', 'KEAenm');
  await s.same('PSUBSCRIBE', '__key*@*__:*');
  // Over maxmemory 1, every command first evicts what the policy allows (CONFIG SET itself takes
  // the volatile keys there are); EXPIRE and PEXPIRE, not refused when out of memory, make keys
  // volatile for the next command to evict.
  for (const policy of ['volatile-ttl', 'volatile-lru', 'volatile-random']) {
    await c.same('CONFIG', 'SET', 'maxmemory', '0');
    await c.reset();
    await c.all([['SET', 'k1', 'v', 'EX', '100'], ['SET', 'p', 'v'], ['SET', 'p2', 'v'], ['SELECT', '1'], ['SET', 'q', 'v', 'EX', '5'],
      ['SET', 'q2', 'v'], ['SELECT', '0'], ['CONFIG', 'SET', 'maxmemory-policy', policy], ['CONFIG', 'SET', 'maxmemory', '1']]);
    await Promise.all([drain(s.redis), drain(s.echo)]);
    let evicted = 0;
    for (const cmd of [['EXPIRE', 'p', '100'], ['GET', 'p'], ['PEXPIRE', 'p2', '100000'], ['SET', 'new', 'v'], ['SELECT', '1'],
      ['EXPIRE', 'q2', '100'], ['DEL', 'nokey'], ['SELECT', '0'], ['DBSIZE']]) {
      s.redis.write(encodeCommand(cmd));
      s.echo.write(encodeCommand(cmd));
      const [r, e] = await Promise.all([drain(s.redis), drain(s.echo)]);
      const frames = (x: Raw[]) => x.map((f) => show(f.bytes));
      assert.equal(frames(e), frames(r), `${policy}: ${cmd.join(' ')}`);
      evicted += r.filter((f) => f.bytes.includes('evicted')).length;
    }
    assert.is(evicted, 6, 'p, p2 and q2 evicted, each on two channels');
  }
  await c.same('CONFIG', 'SET', 'maxmemory', '0');
  await c.same('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
});

/** xorshift32: the same sequence on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** A random write sequence over six keys of every type (so many commands meet a wrong type).
 * TTLs are long or already past: a key expiring mid-run could expire between the two servers'
 * clock reads (the lazily expired keys have their own test above). */
function randomScript(seed: number, n: number): Step[] {
  const r = rng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)];
  const K = () => pick(['k0', 'k1', 'k2', 'k3', 'k4', 'k5']);
  const M = () => pick(['a', 'b', 'c', 'd']);
  const V = () => pick(['1', 'x', '-3', '1.5', '']);
  let id = 1;
  const makers: (() => Step)[] = [
    () => ['SET', K(), V(), ...pick([[], ['NX'], ['XX'], ['GET'], ['KEEPTTL'], ['PX', '100000']])], () => ['APPEND', K(), V()],
    () => ['INCRBYFLOAT', K(), '0.5'], () => ['SETRANGE', K(), pick(['0', '2']), pick(['', 'z'])], () => ['GETDEL', K()],
    () => ['GETEX', K(), ...pick([[], ['PERSIST'], ['PX', '100000'], ['PXAT', '1']])], () => ['MSETNX', K(), V(), K(), V()],
    () => ['SETBIT', K(), pick(['0', '9']), pick(['0', '1'])], () => ['BITOP', pick(['AND', 'NOT']), K(), K()],
    () => ['DEL', K(), K()], () => ['EXPIRE', K(), pick(['100', '0']), ...pick([[], ['NX'], ['GT']])], () => ['PEXPIREAT', K(), pick(['1', '4000000000000'])],
    () => ['PERSIST', K()], () => ['RENAME', K(), K()], () => ['COPY', K(), K(), ...pick([[], ['REPLACE'], ['DB', '1']])],
    () => ['MOVE', K(), '1'], () => ['SORT', K(), 'ALPHA', 'STORE', K()], () => ['HSET', K(), M(), V()], () => ['HDEL', K(), M(), M()],
    () => ['HINCRBYFLOAT', K(), M(), '0.5'], () => ['RPUSH', K(), M(), M()], () => ['LPOP', K(), ...pick([[], ['2']])],
    () => ['LMOVE', K(), K(), pick(['LEFT', 'RIGHT']), pick(['LEFT', 'RIGHT'])], () => ['LMPOP', '2', K(), K(), 'LEFT', 'COUNT', '2'],
    () => ['LINSERT', K(), 'BEFORE', M(), M()], () => ['LTRIM', K(), pick(['1', '-1']), '0'], () => ['SADD', K(), M(), M()],
    () => ['SMOVE', K(), K(), M()], () => [pick(['SINTERSTORE', 'SUNIONSTORE', 'SDIFFSTORE']), K(), K(), K()],
    () => ['ZADD', K(), ...pick([[], ['NX'], ['GT'], ['INCR']]), pick(['0', '3']), M()], () => ['ZPOPMAX', K(), '2'],
    () => ['ZREMRANGEBYLEX', K(), '-', '[b'], () => [pick(['ZUNIONSTORE', 'ZINTERSTORE', 'ZDIFFSTORE']), K(), '2', K(), K()],
    () => ['ZRANGESTORE', K(), K(), '0', '1'], () => ['XADD', K(), ...pick([[], ['NOMKSTREAM'], ['MAXLEN', '1']]), `${id++}-0`, 'f', 'v'],
    () => ['XTRIM', K(), 'MAXLEN', '1'], () => ['XGROUP', 'CREATE', K(), 'g', '0', ...pick([[], ['MKSTREAM']])],
    () => ['XREADGROUP', 'GROUP', 'g', pick(['c', 'd']), 'COUNT', '1', 'STREAMS', K(), '>'], () => ['XAUTOCLAIM', K(), 'g', 'e', '0', '0'],
    () => ['XGROUP', 'DELCONSUMER', K(), 'g', 'c'], () => ['PFADD', K(), M()], () => ['PFMERGE', K(), K()],
    () => ['GEOADD', K(), '13.36', '38.11', M()], () => ['GEOSEARCHSTORE', K(), K(), 'FROMLONLAT', '13', '38', 'BYRADIUS', '100', 'km'],
    () => ['GET', K()], () => ['SELECT', pick(['0', '1'])],
  ];
  const out: Step[] = [];
  while (out.length < n) out.push(pick(makers)());
  out.push(['SELECT', '0']);
  return out;
}

test('a bounded random sequence of writes of every type, under several selections', async (ctx) => {
  for (const [seed, flags] of [[7, 'KEAnm'], [11, 'Eg$lshzxetdn'], [13, 'Kmxn']] as const) {
    await ctx.c.reset();
    await sameEvents(ctx, flags, randomScript(seed, 120), { self: flags === 'KEAnm' });
  }
});

test('CONFIG SET and GET notify-keyspace-events: every pair of letters, invalid letters, several values', async ({ c }) => {
  const letters = [...'g$lshzxetdmnAKE'];
  const values = ['Q', 'a', 'k', 'G', '1', ' ', '\x00', '\xe9', 'kea', 'AA', 'KK', 'Am', 'An', 'AKEmn', 'KEA ', 'gQ', 'Ex?'];
  for (const a of letters) for (const b of letters) values.push(a + b);
  for (const v of values) await c.all([['CONFIG', 'SET', 'notify-keyspace-events', v], ['CONFIG', 'GET', 'notify-keyspace-events']]);
  await c.all([
    ['CONFIG', 'SET', 'notify-keyspace-events', 'KEA', 'notify-keyspace-events', 'K'],
    ['CONFIG', 'SET', 'notify-keyspace-events', 'Elg', 'maxmemory', 'abc'], ['CONFIG', 'GET', 'notify-keyspace-events'],
    ['CONFIG', 'SET', 'NOTIFY-KEYSPACE-EVENTS', 'Elg'], ['CONFIG', 'GET', 'notify*'], ['CONFIG', 'SET', 'notify-keyspace-events'],
  ]);
});

test.run();
