// Client-side caching with real client libraries: node-redis's RESP3 client-side cache, and
// ioredis (speaking RESP2) following invalidations through a REDIRECT to a client subscribed to
// __redis__:invalidate. Each scenario runs against redis-server and echokv; what the clients
// observe (values read, cache hits and misses, invalidation messages) must be the same. And the
// write path carries no tracking hook while no client tracks.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { type Proc, RespClient, type Running, sleep, startEchokv, startRedis } from './_helpers.ts';
import { noModified } from '../core/keyspace.ts';

const test = suite<{ redis: Proc | null; echo: Running }>('client-side caching with client libraries');

test.before(async (ctx) => {
  ctx.redis = await startRedis();
  ctx.echo = await startEchokv();
});

test.after(async (ctx) => {
  await ctx.echo?.stop();
  await ctx.redis?.stop();
});

/** Waits until `cond` holds, checking every 10 ms for at most `ms` (then returns anyway). */
async function until(cond: () => boolean, ms = 2000): Promise<void> {
  for (let waited = 0; !cond() && waited < ms; waited += 10) await sleep(10);
}

async function nodeRedisScenario(port: number): Promise<unknown[]> {
  const cached = createClient({ RESP: 3, clientSideCache: { ttl: 0, maxEntries: 0 }, socket: { port, host: '127.0.0.1' } });
  const other = createClient({ socket: { port, host: '127.0.0.1' } });
  await cached.connect();
  await other.connect();
  const seen: unknown[] = [];
  const cache = cached.clientSideCache!;
  try {
    await other.flushAll();
    await other.set('k', '1');
    seen.push(await cached.get('k'), await cached.get('k'), cache.size());
    await other.set('k', '2');
    await until(() => cache.size() === 0);
    seen.push(cache.size(), await cached.get('k'));
    await cached.set('k', '3');
    await until(() => cache.size() === 0);
    seen.push(await cached.get('k'), await cached.get('k'));
    await other.flushAll();
    await until(() => cache.size() === 0);
    seen.push(cache.size(), await cached.get('k'));
    const stats = cache.stats();
    seen.push(stats.hitCount, stats.missCount);
  } finally {
    await cached.close();
    await other.close();
  }
  return seen;
}

async function ioredisScenario(port: number): Promise<unknown[]> {
  const sub = new Redis({ port, host: '127.0.0.1', lazyConnect: true, protocol: 2 });
  const tracked = new Redis({ port, host: '127.0.0.1', lazyConnect: true, protocol: 2 });
  const other = new Redis({ port, host: '127.0.0.1', lazyConnect: true, protocol: 2 });
  await Promise.all([sub.connect(), tracked.connect(), other.connect()]);
  const messages: unknown[] = [];
  try {
    const id = await sub.client('ID');
    sub.on('message', (channel: string, message: unknown) => messages.push([channel, message]));
    await sub.subscribe('__redis__:invalidate');
    const seen: unknown[] = [];
    seen.push(await tracked.call('CLIENT', 'TRACKING', 'on', 'REDIRECT', String(id)));
    seen.push(await tracked.get('a'), await tracked.mget('b', 'c'));
    await other.mset('a', '1', 'b', '2', 'c', '3');
    await until(() => messages.length === 3);
    await other.flushdb();
    await until(() => messages.length === 4);
    seen.push(messages);
    return seen;
  } finally {
    sub.disconnect();
    tracked.disconnect();
    other.disconnect();
  }
}

test('node-redis: the RESP3 client-side cache is invalidated by other clients, its own writes and FLUSHALL', async ({ redis, echo }) => {
  if (redis === null) return;
  const theirs = await nodeRedisScenario(redis.port);
  const mine = await nodeRedisScenario(echo.port);
  assert.equal(theirs, ['1', '1', 1, 0, '2', '3', '3', 0, null, 2, 4]);
  assert.equal(mine, theirs);
});

test('ioredis: invalidations through REDIRECT to a RESP2 subscriber', async ({ redis, echo }) => {
  if (redis === null) return;
  const theirs = await ioredisScenario(redis.port);
  const mine = await ioredisScenario(echo.port);
  assert.equal((theirs[3] as unknown[]).length, 4);
  assert.equal(mine, theirs);
});

test('the write path has no tracking hook while nothing is tracked', async () => {
  const echo = await startEchokv();
  const a = await RespClient.connect(echo.port);
  const b = await RespClient.connect(echo.port);
  const hooks = echo.server.keyspace.hooks;
  try {
    assert.is(hooks.modified, noModified);
    await b.call('SET', 'k', '1');
    await a.call('CLIENT', 'TRACKING', 'on');
    assert.is.not(hooks.modified, noModified);
    await a.call('GET', 'k');
    await a.call('CLIENT', 'TRACKING', 'off');
    // Off, but k is still remembered (as in Redis, a client turning tracking on again would
    // hear of it): the hook stays until k changes.
    assert.is.not(hooks.modified, noModified);
    await b.call('SET', 'k', '2');
    assert.is(hooks.modified, noModified);
    await a.call('CLIENT', 'TRACKING', 'on', 'BCAST');
    assert.is.not(hooks.modified, noModified);
    a.close();
    await a.done;
    // The server sees the connection go a moment later.
    await until(() => hooks.modified === noModified);
    assert.is(hooks.modified, noModified);
  } finally {
    b.close();
    await echo.stop();
  }
});

test.run();
