// Blocked clients whose key is deleted or changes type, against a real redis-server with several
// real connections. Redis 7.0 serves a key only to the clients blocked for its type (BLPOP waits
// on through a ZADD to its key, BZPOPMIN through an RPUSH), and a client blocked in XREADGROUP is
// released with `-UNBLOCKED the stream key no longer exists` once its stream is deleted (DEL,
// UNLINK, RENAME, MOVE, expiry, FLUSHDB, FLUSHALL, SWAPDB, RESTORE REPLACE) or replaced by
// another type, while a plain XREAD keeps waiting. Every wait is bounded in time.
import * as assert from 'uvu/assert';
import { type Compat, type CompatContext, compatSuite, show } from './_compat.ts';
import { blockingTest, send, waitBlocked } from './_blocking.ts';
import { type RespClient, sleep } from '../_helpers.ts';

const suite = compatSuite('blocking on keys that change type');

const test = blockingTest(suite);

async function sameNext(w: Compat, what: string, timeoutMs = 5000): Promise<string> {
  const [r, e] = await Promise.all([w.redis.readRaw(timeoutMs), w.echo.readRaw(timeoutMs)]);
  assert.is(show(e.bytes), show(r.bytes), what);
  return r.bytes;
}

async function stillBlocked(w: Compat, what: string, ms = 150): Promise<void> {
  await sleep(ms);
  assert.is(w.redis.pendingBytes, 0, `redis-server replied early: ${what}`);
  assert.is(w.echo.pendingBytes, 0, `echokv replied early: ${what}`);
}


/** A stream `key` with group `g` at `$`, and a client blocked reading it as consumer `cons`. */
async function blockReadgroup(ctx: CompatContext, key = 's', cons = 'c1', timeout = '5000'): Promise<Compat> {
  const w = await ctx.connect();
  await ctx.c.same('XADD', key, '1-1', 'f', 'v');
  await ctx.c.same('XGROUP', 'CREATE', key, 'g', '$');
  send(w, 'XREADGROUP', 'GROUP', 'g', cons, 'BLOCK', timeout, 'STREAMS', key, '>');
  return w;
}

const DELETIONS: [string, string[][]][] = [
  ['DEL', [['DEL', 's']]],
  ['UNLINK', [['UNLINK', 's']]],
  ['SET over it', [['SET', 's', 'str']]],
  ['SET NX over it (no change)', [['SET', 's', 'str', 'NX']]],
  ['RENAME away', [['RENAME', 's', 't']]],
  ['RENAME a list over it', [['RPUSH', 'l', 'a'], ['RENAME', 'l', 's']]],
  ['MOVE to another db', [['MOVE', 's', '1']]],
  ['COPY REPLACE of a hash over it', [['HSET', 'h', 'f', 'v'], ['COPY', 'h', 's', 'REPLACE']]],
  ['FLUSHDB', [['FLUSHDB']]],
  ['FLUSHALL', [['FLUSHALL']]],
  ['SWAPDB with an empty db', [['SWAPDB', '0', '1']]],
  ['SWAPDB with a db holding a string there', [['SELECT', '1'], ['SET', 's', 'x'], ['SELECT', '0'], ['SWAPDB', '0', '1']]],
  ['MULTI DEL + SADD', [['MULTI'], ['DEL', 's'], ['SADD', 's', 'm'], ['EXEC']]],
  ['MULTI DEL + RPUSH', [['MULTI'], ['DEL', 's'], ['RPUSH', 's', 'm'], ['EXEC']]],
  ['XGROUP DESTROY', [['XGROUP', 'DESTROY', 's', 'g']]],
];

for (const [name, cmds] of DELETIONS) {
  test(`XREADGROUP BLOCK released when the stream goes: ${name}`, async (ctx) => {
    const { c } = ctx;
    const w = await blockReadgroup(ctx);
    await waitBlocked(ctx.c, 1);
    for (const cmd of cmds) await c.same(...cmd);
    if (name.includes('no change')) {
      await stillBlocked(w, name);
      await c.same('XADD', 's', '2-1', 'f', 'new');
    }
    await sameNext(w, `reply after ${name}`);
    await waitBlocked(ctx.c, 0);
    await c.same('SELECT', '0');
    await c.same('INFO', 'keyspace');
  });
}

test('SWAPDB with a db holding a stream with the group: served from the new stream', async (ctx) => {
  const { c } = ctx;
  await c.same('SELECT', '1');
  await c.same('XADD', 's', '5-1', 'f', 'other');
  await c.same('XGROUP', 'CREATE', 's', 'g', '0');
  await c.same('SELECT', '0');
  const w = await blockReadgroup(ctx);
  await waitBlocked(ctx.c, 1);
  await c.same('SWAPDB', '0', '1');
  await sameNext(w, 'served by the swapped-in stream');
  await waitBlocked(ctx.c, 0);
});

test('a stream deleted and re-created with its group in one transaction serves the waiter', async (ctx) => {
  const { c } = ctx;
  const w = await blockReadgroup(ctx);
  await waitBlocked(ctx.c, 1);
  await c.all([['MULTI'], ['DEL', 's'], ['XADD', 's', '2-1', 'f', 'v'], ['XGROUP', 'CREATE', 's', 'g', '0'], ['EXEC']]);
  await sameNext(w, 'served');
  await waitBlocked(ctx.c, 0);
});

test('expiry releases XREADGROUP waiters: lazily on access and by the active cycle', async (ctx) => {
  const { c } = ctx;
  await c.same('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
  const w = await blockReadgroup(ctx);
  await waitBlocked(ctx.c, 1);
  await c.same('PEXPIRE', 's', '30');
  await sleep(80);
  await stillBlocked(w, 'expired but not yet deleted', 10);
  await c.same('EXISTS', 's');
  await sameNext(w, 'released by the lazy deletion');
  await c.same('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
  const w2 = await blockReadgroup(ctx, 's', 'c2');
  await waitBlocked(ctx.c, 1);
  await c.same('PEXPIRE', 's', '30');
  await sameNext(w2, 'released by active expiry');
  await waitBlocked(ctx.c, 0);
});

test('plain XREAD keeps waiting when its stream goes; XREADGROUP on several keys is released', async (ctx) => {
  const { c } = ctx;
  const a = await blockReadgroup(ctx, 's', 'c1', '0');
  const plain = await ctx.connect();
  send(plain, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
  const b = await ctx.connect();
  await c.same('XADD', 's2', '1-1', 'f', 'v');
  await c.same('XGROUP', 'CREATE', 's2', 'g', '$');
  send(b, 'XREADGROUP', 'GROUP', 'g', 'c2', 'BLOCK', '0', 'STREAMS', 's2', 's', '>', '>');
  await waitBlocked(ctx.c, 3);
  await c.same('DEL', 's');
  await sameNext(a, 'first readgroup waiter');
  await sameNext(b, 'readgroup waiter on two keys');
  await waitBlocked(ctx.c, 1);
  await stillBlocked(plain, 'XREAD after DEL');
  await c.same('SET', 's', 'str');
  await stillBlocked(plain, 'XREAD after SET');
  await c.same('DEL', 's');
  await c.same('XADD', 's', '9-9', 'f', 'v');
  await sameNext(plain, 'XREAD served by the new stream');
  await waitBlocked(ctx.c, 0);
});

test('BLPOP and BZPOPMIN wait through values of another type at their key', async (ctx) => {
  const { c } = ctx;
  const l = await ctx.connect();
  const z = await ctx.connect();
  send(l, 'BLPOP', 'k', '0');
  send(z, 'BZPOPMIN', 'k', '0');
  await waitBlocked(ctx.c, 2);
  await c.same('XADD', 'k', '1-1', 'f', 'v');
  await stillBlocked(l, 'BLPOP after XADD');
  await stillBlocked(z, 'BZPOPMIN after XADD', 0);
  await c.same('DEL', 'k');
  await c.same('ZADD', 'k', '1', 'a', '2', 'b');
  await sameNext(z, 'BZPOPMIN served');
  await stillBlocked(l, 'BLPOP after ZADD');
  await c.same('ZRANGE', 'k', '0', '-1', 'WITHSCORES');
  await c.same('DEL', 'k');
  await c.same('SET', 'k', 'str');
  await c.same('DEL', 'k');
  await c.same('RPUSH', 'k', 'x', 'y');
  await sameNext(l, 'BLPOP served');
  await c.same('LRANGE', 'k', '0', '-1');
  await waitBlocked(ctx.c, 0);
  // A zset renamed onto a key a BLPOP waits on, then a list.
  send(l, 'BLPOP', 'k2', '0');
  await waitBlocked(ctx.c, 1);
  await c.same('ZADD', 'src', '1', 'a');
  await c.same('RENAME', 'src', 'k2');
  await stillBlocked(l, 'BLPOP after RENAME of a zset');
  await c.same('RPUSH', 'src', 'p');
  await c.same('RENAME', 'src', 'k2');
  await sameNext(l, 'BLPOP served after RENAME of a list');
  await waitBlocked(ctx.c, 0);
});

test('clients of different types on one key: each type serves its own, in order', async (ctx) => {
  const { c } = ctx;
  const l1 = await ctx.connect();
  const z1 = await ctx.connect();
  const l2 = await ctx.connect();
  send(l1, 'BRPOP', 'k', 'other', '0');
  await waitBlocked(ctx.c, 1);
  send(z1, 'BZMPOP', '0', '1', 'k', 'MAX');
  await waitBlocked(ctx.c, 2);
  send(l2, 'BLMPOP', '0', '2', 'other', 'k', 'LEFT', 'COUNT', '5');
  await waitBlocked(ctx.c, 3);
  await c.same('RPUSH', 'k', 'a', 'b', 'c');
  await sameNext(l1, 'BRPOP');
  await sameNext(l2, 'BLMPOP');
  await stillBlocked(z1, 'BZMPOP after RPUSH');
  await c.same('ZADD', 'k', '1', 'a');
  await sameNext(z1, 'BZMPOP');
  await waitBlocked(ctx.c, 0);
});

test('BLMOVE to a destination of the wrong type answers WRONGTYPE when served', async (ctx) => {
  const { c } = ctx;
  const w = await ctx.connect();
  await c.same('SET', 'dst', 'str');
  send(w, 'BLMOVE', 'src', 'dst', 'LEFT', 'RIGHT', '0');
  await waitBlocked(ctx.c, 1);
  await c.same('RPUSH', 'src', 'a', 'b');
  await sameNext(w, 'BLMOVE served');
  await waitBlocked(ctx.c, 0);
  await c.same('LRANGE', 'src', '0', '-1');
  await c.same('GET', 'dst');
  // BRPOPLPUSH the same way, in RESP3.
  await w.redis.call('HELLO', '3');
  await w.echo.call('HELLO', '3');
  send(w, 'BRPOPLPUSH', 'src2', 'dst', '0');
  await waitBlocked(ctx.c, 1);
  await c.same('RPUSH', 'src2', 'x');
  await sameNext(w, 'BRPOPLPUSH served');
  await c.same('LRANGE', 'src2', '0', '-1');
});

test('error stats count the UNBLOCKED reply once', async (ctx) => {
  const { c } = ctx;
  await c.same('CONFIG', 'RESETSTAT');
  const w = await blockReadgroup(ctx);
  await waitBlocked(ctx.c, 1);
  await c.same('DEL', 's');
  await sameNext(w, 'UNBLOCKED');
  await c.same('INFO', 'errorstats');
  const stat = async (cl: RespClient): Promise<string> => {
    const s = (await cl.call('INFO', 'commandstats')) as string;
    return /cmdstat_xreadgroup:[^\r\n]*/.exec(s)![0].replace(/usec=\d+,usec_per_call=[\d.]+,/, '');
  };
  assert.is(await stat(c.echo), await stat(c.redis));
});

suite.run();
