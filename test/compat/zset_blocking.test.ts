// BZPOPMIN, BZPOPMAX and BZMPOP against a real redis-server, with several real connections to
// each: a client blocks, others change the data, and the woken clients' replies (and their
// order) must be the same bytes on both servers. Also timeouts (RESP2 and RESP3 null arrays),
// MULTI/EXEC, CLIENT UNBLOCK, disconnects, keys that get another type, and what a served
// blocked client propagates (Redis's AOF against echokv's propagate hook). Every wait is
// bounded: a client is known to be blocked when INFO says so, never after a sleep.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { type Compat, compatSuite, show, readRedisAof } from './_compat.ts';
import { type Raw, type RespClient, RespClient as Client, sleep, startEchokv, startRedis } from '../_helpers.ts';
import { encodeCommand } from '../_resp.ts';

const test = compatSuite('sorted set blocking');

/** Waits until each server reports `n` blocked clients (INFO clients), for at most 5 s. */
async function waitBlocked(c: Compat, n: number): Promise<void> {
  for (const cl of [c.redis, c.echo]) {
    const deadline = Date.now() + 5000;
    for (;;) {
      const info = (await cl.call('INFO', 'clients')) as string;
      const m = info.match(/blocked_clients:(\d+)/);
      if (m !== null && Number(m[1]) === n) break;
      if (Date.now() > deadline) throw new Error(`expected ${n} blocked clients, INFO says: ${m?.[1]}`);
      await sleep(5);
    }
  }
}

/** Sends a command on both connections of `c` without waiting; returns both future replies. */
function send(c: Compat, ...args: string[]): Promise<[Raw, Raw]> {
  for (const cl of [c.redis, c.echo]) cl.write(encodeCommand(args));
  return Promise.all([c.redis.readRaw(), c.echo.readRaw()]);
}

/** Asserts a pair of replies is the same bytes. */
function sameReply([r, e]: [Raw, Raw], what: string): void {
  assert.is(show(e.bytes), show(r.bytes), what);
}

test('BZPOPMIN and BZPOPMAX: answer at once when there are members, else block until ZADD', async (ctx) => {
  const { c } = ctx;
  const a = await ctx.connect();
  await c.all([['ZADD', 'k', '1', 'a', '2', 'b', '3', 'c'], ['BZPOPMIN', 'k', '0'], ['BZPOPMAX', 'nokey', 'k', '0'],
    ['BZPOPMIN', 'k', '1'], ['EXISTS', 'k']]);
  const pending = send(a, 'BZPOPMIN', 'k', '0');
  await waitBlocked(c, 1);
  await c.same('ZADD', 'k', '5', 'x', '4', 'y');
  sameReply(await pending, 'woken BZPOPMIN');
  await waitBlocked(c, 0);
  const pendingMax = send(a, 'BZPOPMAX', 'k2', '0');
  await waitBlocked(c, 1);
  await c.same('ZADD', 'k2', '5', 'x', '4', 'y');
  sameReply(await pendingMax, 'woken BZPOPMAX');
  await c.all([['ZRANGE', 'k', '0', '-1', 'WITHSCORES'], ['ZRANGE', 'k2', '0', '-1', 'WITHSCORES']]);
  // The woken client carries on with what it sent meanwhile.
  await a.same('ZCARD', 'k');
});

test('clients blocked on one key are served first come, first served, one member each', async (ctx) => {
  const { c } = ctx;
  const clients = [await ctx.connect(), await ctx.connect(), await ctx.connect()];
  const pending: Promise<[Raw, Raw]>[] = [];
  for (let i = 0; i < clients.length; i++) {
    pending.push(send(clients[i], i === 1 ? 'BZPOPMAX' : 'BZPOPMIN', 'k', '0'));
    await waitBlocked(c, i + 1);
  }
  await c.same('ZADD', 'k', '1', 'a', '2', 'b');
  sameReply(await pending[0], 'first client');
  sameReply(await pending[1], 'second client');
  await waitBlocked(c, 1);
  await c.same('ZCARD', 'k');
  await c.same('ZADD', 'k', '7', 'z');
  sameReply(await pending[2], 'third client');
  await waitBlocked(c, 0);
});

test('a client blocked on several keys is served from the one that gets members', async (ctx) => {
  const { c } = ctx;
  const a = await ctx.connect();
  const pending = send(a, 'BZPOPMAX', 'k1', 'k2', 'k3', '0');
  await waitBlocked(c, 1);
  await c.same('ZADD', 'k2', '1', 'a', '2', 'b');
  sameReply(await pending, 'BZPOPMAX on three keys');
  const pending2 = send(a, 'BZMPOP', '0', '3', 'k1', 'k2', 'k3', 'MIN', 'COUNT', '5');
  // k2 still has a member: served at once.
  sameReply(await pending2, 'BZMPOP served at once');
  const pending3 = send(a, 'BZMPOP', '0', '2', 'k1', 'k3', 'MAX', 'COUNT', '2');
  await waitBlocked(c, 1);
  await c.same('ZADD', 'k3', '1', 'a', '2', 'b', '3', 'c');
  sameReply(await pending3, 'BZMPOP woken');
  await c.same('ZRANGE', 'k3', '0', '-1', 'WITHSCORES');
});

test('keys created by other commands wake blocked clients: ZINCRBY, ZUNIONSTORE, ZRANGESTORE', async (ctx) => {
  const { c } = ctx;
  const a = await ctx.connect();
  await c.same('ZADD', 'src', '1', 'a', '2', 'b', '3', 'c');
  const creators: string[][] = [['ZINCRBY', 'k', '5', 'm'], ['ZUNIONSTORE', 'k', '1', 'src'], ['ZRANGESTORE', 'k', 'src', '1', '2'],
    ['ZINTERSTORE', 'k', '2', 'src', 'src'], ['ZADD', 'k', 'INCR', '1', 'm']];
  for (const cmd of creators) {
    await c.same('DEL', 'k');
    const pending = send(a, 'BZMPOP', '0', '1', 'k', 'MAX', 'COUNT', '2');
    await waitBlocked(c, 1);
    await c.same(...cmd);
    sameReply(await pending, `woken by ${cmd[0]}`);
    await c.same('ZRANGE', 'k', '0', '-1', 'WITHSCORES');
  }
});

test('timeouts answer with a null array, in RESP2 and RESP3', async (ctx) => {
  const { c } = ctx;
  // Timeouts are rounded up to whole milliseconds: 0.0001 waits 1 ms, not forever.
  await c.all([['BZPOPMIN', 'k', '0.05'], ['BZPOPMAX', 'k', 'k2', '0.05'], ['BZMPOP', '0.05', '1', 'k', 'MIN'],
    ['BZPOPMIN', 'k', '0.0001'], ['BZMPOP', '0.0009', '1', 'k', 'MAX'],
    ['BZMPOP', '0.05', '2', 'k', 'k2', 'MAX', 'COUNT', '3']]);
  const r3 = await ctx.connect();
  await r3.redis.call('HELLO', '3');
  await r3.echo.call('HELLO', '3');
  await r3.all([['BZPOPMIN', 'k', '0.05'], ['BZMPOP', '0.05', '1', 'k', 'MIN'], ['ZADD', 'k', '1', 'a', '2', 'b'],
    ['BZPOPMIN', 'k', '0.05'], ['BZMPOP', '0.05', '1', 'k', 'MIN', 'COUNT', '3']]);
  await c.same('EXISTS', 'k');
});

test('RESP3 clients woken by another connection get RESP3 replies', async (ctx) => {
  const { c } = ctx;
  const a = await ctx.connect();
  await a.redis.call('HELLO', '3');
  await a.echo.call('HELLO', '3');
  const pending = send(a, 'BZPOPMIN', 'k', '0');
  await waitBlocked(c, 1);
  await c.same('ZADD', 'k', '1.5', 'a', '2', 'b');
  sameReply(await pending, 'RESP3 BZPOPMIN');
  const pending2 = send(a, 'BZMPOP', '0', '1', 'k2', 'MIN', 'COUNT', '2');
  await waitBlocked(c, 1);
  await c.same('ZADD', 'k2', '1.5', 'a', '2', 'b', 'inf', 'c');
  sameReply(await pending2, 'RESP3 BZMPOP');
});

test('argument errors, and the wrong type found before blocking', async ({ c }) => {
  await c.all([
    ['SET', 's', 'x'], ['BZPOPMIN', 'k', 'abc'], ['BZPOPMIN', 'k', '-1'], ['BZPOPMIN', 's', 'abc'], ['BZPOPMIN', 's', '1'],
    ['BZPOPMIN', 'k', 'inf'], ['BZPOPMIN', 'k', '-inf'], ['BZPOPMIN', 'k', '1e400'], ['BZPOPMIN', 'k', ' 1'], ['BZPOPMIN', 'k', 'nan'],
    ['BZPOPMIN', 'k', ''], ['BZPOPMIN', 'k', '1\x00'], ['BZPOPMIN', 'k', '9223372036854776'], ['BZPOPMIN', 'k', '-0.5'],
    ['BZPOPMAX', 'k'], ['BZPOPMAX', 'nokey', 's', '0'], ['BZMPOP', 'abc', '1', 'k', 'MIN'], ['BZMPOP', 'abc', '1', 'k', 'FOO'],
    ['BZMPOP', 'abc', '1', 'k', 'MIN', 'COUNT', '0'], ['BZMPOP', 'abc', '2', 'k', 'MIN'], ['BZMPOP', '-1', '1', 'k', 'MIN'],
    ['BZMPOP', '0.01', '1', 's', 'MIN'], ['BZMPOP', 'abc', '0', 'k', 'MIN'], ['BZMPOP', '0', '1', 'k'], ['BZMPOP', '0', '1', 'k', 'MIN', 'COUNT'],
    ['BZMPOP', '0', '1', 'k', 'MIN', 'COUNT', '1', 'COUNT', '1'], ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'],
    // Timeouts in the forms strtold accepts, on a key with members so nothing waits.
    ['BZPOPMIN', 'z', '0x10'], ['BZPOPMIN', 'z', '-0'], ['BZPOPMIN', 'z', '0.0001'], ['BZPOPMIN', 'z', '9223372036854775'],
    ['BZPOPMAX', 'z', '1E3'], ['BZMPOP', '.5', '1', 'z', 'max', 'count', '1'],
  ]);
});

test('inside MULTI a blocking pop answers at once; a transaction that adds wakes clients after EXEC', async (ctx) => {
  const { c } = ctx;
  await c.all([['MULTI'], ['BZPOPMIN', 'k', '0'], ['BZMPOP', '0', '1', 'k', 'MIN'], ['ZADD', 'k', '1', 'a'], ['BZPOPMAX', 'k', '0'], ['EXEC']]);
  const a = await ctx.connect();
  const pending = send(a, 'BZPOPMIN', 'k', '0');
  await waitBlocked(c, 1);
  // Added and popped within the transaction: nothing for the blocked client.
  await c.all([['MULTI'], ['ZADD', 'k', '1', 'a'], ['ZPOPMIN', 'k'], ['EXEC']]);
  await c.all([['MULTI'], ['ZADD', 'k', '2', 'b'], ['ZADD', 'k', '1', 'c'], ['ZCARD', 'k'], ['EXEC']]);
  sameReply(await pending, 'woken after EXEC');
  await c.same('ZRANGE', 'k', '0', '-1', 'WITHSCORES');
});

test('a key that gets another type does not wake the client; it waits for a sorted set', async (ctx) => {
  const { c } = ctx;
  const a = await ctx.connect();
  const pending = send(a, 'BZPOPMIN', 'k', '0');
  await waitBlocked(c, 1);
  await c.all([['SET', 'k', 'x'], ['DEL', 'k'], ['LPUSH', 'k', 'x'], ['LPOP', 'k'], ['XADD', 'k', '1-1', 'f', 'v'], ['DEL', 'k']]);
  await waitBlocked(c, 1);
  await c.same('ZADD', 'k', '3', 'c');
  sameReply(await pending, 'woken by the sorted set');
  // Blocked on two keys, the one that gets members serves the client, even when the other
  // comes first in its arguments and got members in the same transaction.
  const pending2 = send(a, 'BZPOPMIN', 'k1', 'k2', '0');
  await waitBlocked(c, 1);
  await c.all([['MULTI'], ['ZADD', 'k2', '2', 'b'], ['ZADD', 'k1', '1', 'a'], ['EXEC']]);
  sameReply(await pending2, 'served from the key that was ready first');
  await c.all([['ZRANGE', 'k1', '0', '-1'], ['ZRANGE', 'k2', '0', '-1']]);
});

test('CLIENT UNBLOCK ends the wait as a timeout or with an error', async (ctx) => {
  const { c } = ctx;
  const a = await ctx.connect();
  const ids = [await a.redis.call('CLIENT', 'ID'), await a.echo.call('CLIENT', 'ID')] as bigint[];
  for (const how of [[], ['TIMEOUT'], ['ERROR']]) {
    const pending = send(a, 'BZMPOP', '0', '1', 'k', 'MIN');
    await waitBlocked(c, 1);
    const [r, e] = await Promise.all([c.redis.callRaw('CLIENT', 'UNBLOCK', String(ids[0]), ...how),
      c.echo.callRaw('CLIENT', 'UNBLOCK', String(ids[1]), ...how)]);
    assert.is(show(e.bytes), show(r.bytes), `CLIENT UNBLOCK ${how.join(' ')}`);
    sameReply(await pending, `unblocked ${how.join(' ')}`);
  }
  await waitBlocked(c, 0);
});

test('a blocked client that disconnects is forgotten; the members stay', async (ctx) => {
  const { c } = ctx;
  const r = await Client.connect(ctx.redisPort);
  const e = await Client.connect(ctx.echoPort);
  for (const cl of [r, e]) cl.write(encodeCommand(['BZPOPMIN', 'k', '0']));
  await waitBlocked(c, 1);
  r.close();
  e.close();
  await waitBlocked(c, 0);
  await c.all([['ZADD', 'k', '1', 'a'], ['ZCARD', 'k']]);
});

test.run();

// ---------------------------------------------------------------------------------------------
// What served blocked clients propagate: Redis's AOF against echokv's propagate hook.

const prop = suite('compat: sorted set blocking propagation');


/** INFO's blocked_clients of one connection's server, waited for (at most 5 s). */
async function waitOne(cl: RespClient, n: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!((await cl.call('INFO', 'clients')) as string).includes(`blocked_clients:${n}\r\n`)) {
    if (Date.now() > deadline) throw new Error(`expected ${n} blocked clients`);
    await sleep(5);
  }
}

prop('a served BZPOPMIN/BZPOPMAX propagates ZPOPMIN/ZPOPMAX key, BZMPOP adds the count', async () => {
  const redis = await startRedis(['--appendonly', 'yes', '--appendfsync', 'always']);
  if (redis === null) return;
  const echokv = await startEchokv();
  const seen: string[][] = [];
  echokv.server.on('propagate', (_db, argv) => seen.push([...argv]));
  const conns: RespClient[] = [];
  try {
    const open = async (): Promise<[RespClient, RespClient]> => {
      const pair: [RespClient, RespClient] = [await Client.connect(redis.port), await Client.connect(echokv.port)];
      conns.push(...pair);
      return pair;
    };
    const [r, e] = await open();
    const [rb, eb] = await open();
    const blockers: [string[], string[]][] = [
      [['BZPOPMIN', 'k', '0'], ['ZADD', 'k', '1', 'a']],
      [['BZPOPMAX', 'x', 'y', '0'], ['ZADD', 'y', '1', 'a', '2', 'b']],
      [['BZMPOP', '0', '1', 'm', 'MAX', 'COUNT', '5'], ['ZADD', 'm', '1', 'a', '2', 'b']],
      [['BZMPOP', '0', '2', 'm', 'n', 'MIN', 'COUNT', '1'], ['ZINCRBY', 'n', '3', 'z']],
    ];
    for (const [block, wake] of blockers) {
      for (const [cl, other] of [[rb, r], [eb, e]] as const) {
        cl.write(encodeCommand(block));
        await waitOne(other, 1);
        await other.call(...wake);
        await cl.readRaw();
        await waitOne(other, 0);
      }
    }
    assert.equal(seen.map((a) => a.join(' ')), readRedisAof(redis.dir).map((a) => a.join(' ')));
  } finally {
    for (const cl of conns) cl.close();
    await echokv.stop();
    await redis.stop();
  }
});

prop.run();
