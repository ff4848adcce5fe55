// Real clients with the data types, as applications use them: ioredis and node-redis (RESP2 and
// RESP3) doing hashes, lists and blocking pops served by another connection, sets and sorted
// sets with their SCAN iterators, pub/sub (channels, patterns, binary payloads), transactions
// with WATCH (committed and aborted by another client), and streams with consumer groups
// (blocking XREADGROUP served by XADD, XACK, XPENDING, XAUTOCLAIM). Each scenario runs against
// redis-server too, when installed, and what the client library hands back must be the same
// from both; without redis-server the scenarios still run against echokv and check what the
// application would check. Every wait is bounded in time.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Buffer } from 'node:buffer';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { type Proc, startEchokv, startRedis, type Running, within } from './_helpers.ts';

let echo: Running;
let redis: (Proc & { dir: string }) | null = null;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function ioredis(port: number): Promise<Redis> {
  const r = new Redis({
    port, host: '127.0.0.1', retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 3000, lazyConnect: true,
  });
  r.on('error', () => {});
  await within(r.connect(), 5000, 'ioredis connect');
  return r;
}

async function nodeRedis(port: number, RESP: 2 | 3) {
  const c = createClient({ url: `redis://127.0.0.1:${port}`, RESP, socket: { reconnectStrategy: false, connectTimeout: 3000 } });
  c.on('error', () => {});
  await within(c.connect(), 5000, 'node-redis connect');
  return c;
}

type NodeRedis = Awaited<ReturnType<typeof nodeRedis>>;

/** Waits until the server reports `n` blocked clients (a waiter must be parked before data). */
async function waitBlocked(port: number, n: number): Promise<void> {
  const r = await ioredis(port);
  try {
    const deadline = Date.now() + 5000;
    for (;;) {
      const info = await r.info('clients');
      if (Number(/blocked_clients:(\d+)/.exec(info)![1]) === n) return;
      assert.ok(Date.now() < deadline, `blocked clients never reached ${n}`);
      await sleep(10);
    }
  } finally {
    r.disconnect();
  }
}

/**
 * Runs `scenario` against echokv and (when installed) redis-server, each on a flushed server,
 * and asserts the client library handed back the same results from both. Returns echokv's.
 */
async function same<T>(what: string, scenario: (port: number) => Promise<T>): Promise<T> {
  const run = async (port: number): Promise<T> => {
    const r = await ioredis(port);
    await r.flushall();
    r.disconnect();
    return within(scenario(port), 20_000, what);
  };
  const e = await run(echo.port);
  if (process.env.ECHOKV_TEST_SHOW === '1') console.log(what, JSON.stringify(e, null, 1));
  if (redis !== null) assert.equal(e, await run(redis.port), `${what}: echokv and redis-server differ`);
  return e;
}

/** An error's message, or the value: for results where a step is expected to fail. */
const settle = <T>(p: Promise<T>): Promise<T | string> => p.catch((e: Error) => `error: ${e.constructor.name}: ${e.message}`);

const setup = suite('clients with data types: servers');
setup('start', async () => {
  echo = await startEchokv();
  redis = await startRedis();
});
setup.run();

// ---------------------------------------------------------------------------------------------
// ioredis

const io = suite('ioredis with data types');

io('hashes: objects in and out, counters, HSCAN stream, wrong types', async () => {
  const out = await same('ioredis hashes', async (port) => {
    const r = await ioredis(port);
    try {
      const res: unknown[] = [];
      res.push(await r.hset('user:1', { name: 'Ada', email: 'ada@example.com', visits: 0 }));
      res.push(await r.hincrby('user:1', 'visits', 3));
      res.push(await r.hincrbyfloat('user:1', 'score', '2.5'));
      res.push(await r.hgetall('user:1'));
      res.push(await r.hmget('user:1', 'name', 'nope'));
      res.push(await r.hexists('user:1', 'email'), await r.hdel('user:1', 'email', 'nope'), await r.hlen('user:1'));
      res.push(await r.hgetall('missing'));
      // A big hash (a hashtable in Redis): HSCAN walks every field exactly once as a set.
      await r.hset('big', Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`f${i}`, `v${i}`])));
      const seen = new Map<string, string>();
      await new Promise<void>((resolve, reject) => {
        r.hscanStream('big', { count: 50 }).on('data', (kv: string[]) => {
          for (let i = 0; i < kv.length; i += 2) seen.set(kv[i], kv[i + 1]);
        }).on('end', resolve).on('error', reject);
      });
      res.push(seen.size, seen.get('f299'));
      res.push(await settle(r.hget('user:1', 'name').then(() => r.lpush('user:1', 'x'))));
      return res;
    } finally {
      r.disconnect();
    }
  });
  assert.equal(out[3], { name: 'Ada', email: 'ada@example.com', visits: '3', score: '2.5' });
  assert.is(out[9], 300);
  assert.match(String(out[11]), 'WRONGTYPE');
});

io('lists: queues, LPOS, LMOVE, and BLPOP / BLMOVE served by another connection', async () => {
  const out = await same('ioredis lists', async (port) => {
    const r = await ioredis(port);
    const worker = await ioredis(port);
    try {
      const res: unknown[] = [];
      res.push(await r.rpush('jobs', 'a', 'b', 'c', 'b'));
      res.push(await r.lpos('jobs', 'b'), await r.lpos('jobs', 'b', 'RANK', -1));
      res.push(await r.lpop('jobs', 2), await r.lrange('jobs', 0, -1));
      res.push(await r.lmove('jobs', 'done', 'LEFT', 'RIGHT'));
      // A worker blocked on an empty queue is woken by a producer.
      const popped = worker.blpop('queue', 'other', 5);
      await waitBlocked(port, 1);
      await r.rpush('queue', 'job-1', 'job-2');
      res.push(await popped, await r.lrange('queue', 0, -1));
      const moved = worker.blmove('src', 'dst', 'RIGHT', 'LEFT', 5);
      await waitBlocked(port, 1);
      await r.lpush('src', 'x');
      res.push(await moved, await r.lrange('dst', 0, -1), await r.exists('src'));
      // Timeouts give null.
      res.push(await worker.brpop('nothing', 0.05));
      res.push(await r.lmpop(2, 'nope', 'jobs', 'LEFT', 'COUNT', 5));
      return res;
    } finally {
      r.disconnect();
      worker.disconnect();
    }
  });
  assert.equal(out[6], ['queue', 'job-1']);
  assert.is(out[8], 'x');
  assert.is(out[11], null);
});

io('sets and sorted sets: leaderboards, SSCAN / ZSCAN streams, BZPOPMIN served', async () => {
  const out = await same('ioredis sets and zsets', async (port) => {
    const r = await ioredis(port);
    const worker = await ioredis(port);
    try {
      const res: unknown[] = [];
      res.push(await r.sadd('tags', 'a', 'b', 'c'), (await r.smembers('tags')).sort(), await r.sismember('tags', 'b'));
      res.push(await r.sadd('nums', 1, 2, 3), (await r.sinter('tags', 'nums')).sort(), (await r.sunion('tags', 'nums')).sort());
      await r.sadd('bigset', ...Array.from({ length: 200 }, (_, i) => `m${i}`));
      const members = new Set<string>();
      await new Promise<void>((resolve, reject) => {
        r.sscanStream('bigset', { count: 30 }).on('data', (ms: string[]) => ms.forEach((m) => members.add(m)))
          .on('end', resolve).on('error', reject);
      });
      res.push(members.size);
      res.push(await r.zadd('board', 100, 'ann', 250, 'bob', 175, 'cy', 175, 'dee'));
      res.push(await r.zrevrange('board', 0, 2, 'WITHSCORES'));
      res.push(await r.zincrby('board', 80, 'ann'), await r.zrank('board', 'ann'), await r.zscore('board', 'cy'));
      res.push(await r.zrangebyscore('board', '(100', '+inf', 'WITHSCORES', 'LIMIT', 0, 2));
      res.push(await r.zadd('board', 'GT', 'CH', 10, 'bob', 300, 'cy'));
      const zs = new Map<string, string>();
      await new Promise<void>((resolve, reject) => {
        r.zscanStream('board').on('data', (kv: string[]) => {
          for (let i = 0; i < kv.length; i += 2) zs.set(kv[i], kv[i + 1]);
        }).on('end', resolve).on('error', reject);
      });
      res.push([...zs].sort());
      const popped = worker.bzpopmin('prio', 5);
      await waitBlocked(port, 1);
      await r.zadd('prio', 3, 'low', 1, 'high');
      res.push(await popped, await r.zrange('prio', 0, -1, 'WITHSCORES'));
      return res;
    } finally {
      r.disconnect();
      worker.disconnect();
    }
  });
  assert.is(out[6], 200);
  assert.equal(out[15], ['prio', 'high', '1']);
});

io('pub/sub: channels, patterns and binary payloads reach the subscriber', async () => {
  const out = await same('ioredis pub/sub', async (port) => {
    const sub = await ioredis(port);
    const pub = await ioredis(port);
    try {
      const got: unknown[] = [];
      sub.on('message', (ch: string, msg: string) => got.push(['message', ch, msg]));
      sub.on('pmessageBuffer', (pat: Buffer, ch: Buffer, msg: Buffer) => got.push(['pmessage', String(pat), String(ch), [...msg]]));
      const res: unknown[] = [];
      res.push(await sub.subscribe('news', 'alerts'));
      res.push(await sub.psubscribe('log.*'));
      res.push(await pub.publish('news', 'hello'), await pub.publish('log.app', Buffer.from([0, 255, 10])));
      res.push(await pub.publish('nobody', 'x'), await pub.pubsub('NUMSUB', 'news', 'nobody'), await pub.pubsub('NUMPAT'));
      const deadline = Date.now() + 5000;
      while (got.length < 2 && Date.now() < deadline) await sleep(10);
      res.push(got);
      await sub.unsubscribe('news');
      await sub.punsubscribe('log.*');
      res.push(await pub.publish('news', 'late'), await pub.pubsub('CHANNELS'));
      return res;
    } finally {
      sub.disconnect();
      pub.disconnect();
    }
  });
  assert.equal(out[7], [['message', 'news', 'hello'], ['pmessage', 'log.*', 'log.app', [0, 255, 10]]]);
  assert.equal(out[9], ['alerts']);
});

io('transactions: MULTI/EXEC results, WATCH commits, and aborts when another client writes', async () => {
  const out = await same('ioredis transactions', async (port) => {
    const r = await ioredis(port);
    const other = await ioredis(port);
    try {
      const res: unknown[] = [];
      res.push(await r.multi().hset('acct', 'balance', 100).hincrby('acct', 'balance', -30).lpush('log', 'debit').exec());
      // An error inside the transaction is that command's alone.
      res.push(await r.multi().set('s', 'v').lpush('s', 'x').get('s').exec().then((rs) => rs!.map(([e, v]) => [e?.message ?? null, v])));
      await r.watch('acct');
      const bal = Number(await r.hget('acct', 'balance'));
      res.push(await r.multi().hset('acct', 'balance', bal - 10).exec());
      await r.watch('acct');
      await other.hincrby('acct', 'balance', 1000);
      res.push(await r.multi().hset('acct', 'balance', 0).exec());
      res.push(await r.hget('acct', 'balance'));
      // A pipeline with a type error in the middle.
      res.push(await r.pipeline().sadd('set', 'a').incr('set').scard('set').exec().then((rs) => rs!.map(([e, v]) => [e?.message ?? null, v])));
      return res;
    } finally {
      r.disconnect();
      other.disconnect();
    }
  });
  assert.is(out[3], null);
  assert.is(out[4], '1060');
});

io('streams: consumer groups, blocking XREADGROUP served by XADD, XACK, XPENDING, XAUTOCLAIM', async () => {
  const out = await same('ioredis streams', async (port) => {
    const r = await ioredis(port);
    const consumer = await ioredis(port);
    try {
      const res: unknown[] = [];
      res.push(await r.xgroup('CREATE', 'orders', 'workers', '$', 'MKSTREAM'));
      res.push(await r.xadd('orders', '1-1', 'item', 'book', 'qty', '1'));
      res.push(await consumer.xreadgroup('GROUP', 'workers', 'w1', 'COUNT', 10, 'STREAMS', 'orders', '>'));
      const waiting = consumer.xreadgroup('GROUP', 'workers', 'w1', 'BLOCK', 5000, 'STREAMS', 'orders', '>');
      await waitBlocked(port, 1);
      res.push(await r.xadd('orders', '2-1', 'item', 'pen', 'qty', '3'));
      res.push(await waiting);
      res.push(await r.xpending('orders', 'workers'));
      res.push(await r.xack('orders', 'workers', '1-1'));
      res.push(await r.xautoclaim('orders', 'workers', 'w2', 0, '0-0', 'COUNT', 10));
      res.push(await r.xpending('orders', 'workers', '-', '+', 10).then((p) => (p as unknown[][]).map((x) => [x[0], x[1], x[3]])));
      res.push(await r.xlen('orders'), await r.xrange('orders', '-', '+'));
      res.push(await r.xinfo('GROUPS', 'orders'));
      res.push(await consumer.xreadgroup('GROUP', 'workers', 'w1', 'BLOCK', 50, 'STREAMS', 'orders', '>'));
      // The stream is deleted under a blocked consumer: it is released with an error.
      const released = settle(consumer.xreadgroup('GROUP', 'workers', 'w1', 'BLOCK', 5000, 'STREAMS', 'orders', '>'));
      await waitBlocked(port, 1);
      res.push(await r.del('orders'), await released);
      return res;
    } finally {
      r.disconnect();
      consumer.disconnect();
    }
  });
  assert.equal(out[4], [['orders', [['2-1', ['item', 'pen', 'qty', '3']]]]]);
  assert.match(String(out[out.length - 1]), 'UNBLOCKED the stream key no longer exists');
});

// ---------------------------------------------------------------------------------------------
// node-redis, RESP2 and RESP3

const nr = suite('node-redis with data types');

for (const RESP of [2, 3] as const) {
  nr(`RESP${RESP}: hashes, lists, blocking pops, sets and sorted sets`, async () => {
    const out = await same(`node-redis RESP${RESP} types`, async (port) => {
      const c = await nodeRedis(port, RESP);
      const worker = await nodeRedis(port, RESP);
      try {
        const res: unknown[] = [];
        res.push(await c.hSet('h', { a: '1', b: '2' }), await c.hIncrBy('h', 'a', 5), await c.hIncrByFloat('h', 'b', 0.5));
        res.push({ ...(await c.hGetAll('h')) }, await c.hmGet('h', ['a', 'z']), await c.hKeys('h'));
        await c.hSet('bigh', Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`f${i}`, String(i)])));
        let fields = 0;
        for await (const entries of c.hScanIterator('bigh', { COUNT: 40 })) fields += entries.length;
        res.push(fields);
        res.push(await c.rPush('l', ['a', 'b', 'c']), await c.lPopCount('l', 2), await c.lRange('l', 0, -1));
        const popped = worker.blPop(['q1', 'q2'], 5);
        await waitBlocked(port, 1);
        await c.rPush('q2', 'job');
        res.push(await popped);
        res.push(await worker.brPop('none', 0.05));
        res.push(await c.sAdd('s', ['x', 'y', 'z']), (await c.sMembers('s')).sort(), await c.sIsMember('s', 'y'));
        let members = 0;
        await c.sAdd('bigs', Array.from({ length: 150 }, (_, i) => `m${i}`));
        for await (const ms of c.sScanIterator('bigs', { COUNT: 25 })) members += ms.length;
        res.push(members);
        res.push(await c.zAdd('z', [{ score: 1.5, value: 'a' }, { score: -2, value: 'b' }, { score: 1e20, value: 'c' }]));
        res.push(await c.zRangeWithScores('z', 0, -1), await c.zScore('z', 'a'), await c.zRank('z', 'c'));
        res.push(await c.zPopMin('z'), await c.zCard('z'));
        const zp = worker.bzPopMax('zq', 5);
        await waitBlocked(port, 1);
        await c.zAdd('zq', [{ score: 7, value: 'top' }, { score: 1, value: 'low' }]);
        res.push(await zp);
        res.push(await c.sendCommand(['HGETALL', 'h']), await c.sendCommand(['ZRANGE', 'z', '0', '-1', 'WITHSCORES']));
        res.push(await c.sendCommand(['SMEMBERS', 'nothing']), await c.sendCommand(['ZSCORE', 'z', 'c']));
        return res;
      } finally {
        c.destroy();
        worker.destroy();
      }
    });
    assert.equal(out[3], { a: '6', b: '2.5' });
    assert.is(out[6], 200);
    assert.equal(out[10], { key: 'q2', element: 'job' });
    assert.is(out[15], 150);
  });

  nr(`RESP${RESP}: pub/sub with a duplicate connection, patterns and Buffers`, async () => {
    const out = await same(`node-redis RESP${RESP} pub/sub`, async (port) => {
      const c = await nodeRedis(port, RESP);
      const sub = c.duplicate();
      sub.on('error', () => {});
      await within(sub.connect(), 5000, 'subscriber connect');
      try {
        const got: unknown[] = [];
        await sub.subscribe('chat', (msg, ch) => got.push(['chat', msg, ch]));
        await sub.pSubscribe('ev:*', (msg, ch) => got.push(['ev', [...msg], String(ch)]), true);
        const res: unknown[] = [];
        res.push(await c.publish('chat', 'hi'), await c.publish('ev:1', Buffer.from([1, 2, 255])));
        res.push(await c.pubSubNumSub(['chat', 'x']), await c.pubSubNumPat());
        const deadline = Date.now() + 5000;
        while (got.length < 2 && Date.now() < deadline) await sleep(10);
        res.push(got);
        await sub.unsubscribe('chat');
        await sub.pUnsubscribe();
        res.push(await c.publish('chat', 'late'), await c.pubSubChannels());
        // The subscriber connection works normally again (in RESP3 it could all along).
        res.push(await sub.ping());
        return res;
      } finally {
        c.destroy();
        sub.destroy();
      }
    });
    assert.equal(out[4], [['chat', 'hi', 'chat'], ['ev', [1, 2, 255], 'ev:1']]);
  });

  nr(`RESP${RESP}: transactions with WATCH, and streams with consumer groups`, async () => {
    const out = await same(`node-redis RESP${RESP} transactions and streams`, async (port) => {
      const c = await nodeRedis(port, RESP);
      const other = await nodeRedis(port, RESP);
      try {
        const res: unknown[] = [];
        res.push(await c.multi().hSet('cart', 'apples', '3').hIncrBy('cart', 'apples', 2).sAdd('carts', 'cart').exec());
        await c.watch('cart');
        res.push(await c.multi().hSet('cart', 'pears', '1').exec());
        await c.watch('cart');
        await other.hSet('cart', 'apples', '0');
        res.push(await settle(c.multi().hSet('cart', 'pears', '9').exec()));
        res.push({ ...(await c.hGetAll('cart')) });
        res.push(await c.xGroupCreate('events', 'g', '$', { MKSTREAM: true }));
        res.push(await c.xAdd('events', '5-1', { type: 'click', x: '10' }));
        res.push(await c.xReadGroup('g', 'c1', { key: 'events', id: '>' }, { COUNT: 5 }));
        const waiting = other.xReadGroup('g', 'c2', { key: 'events', id: '>' }, { BLOCK: 5000 });
        await waitBlocked(port, 1);
        await c.xAdd('events', '6-1', { type: 'view' });
        res.push(await waiting);
        res.push(await c.xAck('events', 'g', ['5-1']), await c.xPending('events', 'g'));
        res.push(await c.xAutoClaim('events', 'g', 'c3', 0, '0-0'));
        res.push(await c.xInfoGroups('events'));
        res.push(await c.xRange('events', '-', '+'), await c.xLen('events'));
        res.push(await other.xReadGroup('g', 'c2', { key: 'events', id: '>' }, { BLOCK: 50 }));
        return res;
      } finally {
        c.destroy();
        other.destroy();
      }
    });
    assert.match(String(out[2]), 'WatchError');
    assert.equal(out[3], { apples: '0', pears: '1' });
  });
}

const teardown = suite('clients with data types: teardown');
teardown('stop', async () => {
  await echo.stop();
  await redis?.stop();
});

io.run();
nr.run();
teardown.run();
