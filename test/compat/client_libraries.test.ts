// The client libraries' view of echokv and redis-server, from a parity sweep of ioredis and
// node-redis (RESP2 and RESP3) driven against both: each scenario runs the same application code
// against each server and records what the application sees (results after the libraries' reply
// transformers, errors with their class and text, events, in order); the records must be equal.
// One difference the sweep found is pinned here (keyspace commands on a MONITOR connection);
// the rest pins a representative set of what was already the same. Every wait is bounded.
import * as assert from 'uvu/assert';
import { Buffer } from 'node:buffer';
import { Redis } from 'ioredis';
import { createClient, RESP_TYPES } from 'redis';
import { compatSuite } from './_compat.ts';
import { sleep, within } from '../_helpers.ts';

const test = compatSuite('client libraries');

/** JSON-safe form of what a library returned: Buffers, Maps and errors made comparable. */
function plainOf(v: unknown): unknown {
  if (Buffer.isBuffer(v)) return { buffer: v.toString('latin1') };
  if (v instanceof Error) return { error: v.constructor.name, message: v.message };
  if (v instanceof Map) return { map: [...v].map(([k, x]) => [plainOf(k), plainOf(x)]) };
  if (Array.isArray(v)) return v.map(plainOf);
  if (typeof v === 'bigint') return String(v);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, plainOf(x)]));
  }
  return v;
}

/** What an application saw, step by step: each result or error, and the events it noted. */
class Trace {
  readonly steps: [string, unknown][] = [];
  readonly clients: { disconnect(): unknown }[] = [];

  /** Records the outcome of `p` (a value or a rejection), bounded in time. */
  async step<T>(label: string, p: Promise<T>, map?: (v: T) => unknown): Promise<void> {
    try {
      const v = await within(p, 4000, label);
      this.steps.push([label, plainOf(map ? map(v) : v)]);
    } catch (e) {
      this.steps.push([label, plainOf(e)]);
    }
  }

  note(label: string, v: unknown): void {
    this.steps.push([label, plainOf(v)]);
  }

  io(port: number, opts: ConstructorParameters<typeof Redis>[0] & object = {}): Redis {
    const r = new Redis({ port, host: '127.0.0.1', retryStrategy: () => null, maxRetriesPerRequest: 0, ...opts });
    r.on('error', () => {});
    this.clients.push(r);
    return r;
  }

  async nr(port: number, RESP: 2 | 3, more: { database?: number; name?: string } = {}) {
    const c = createClient({ url: `redis://127.0.0.1:${port}`, RESP, ...more, socket: { reconnectStrategy: false } });
    c.on('error', () => {});
    await within(c.connect(), 5000, 'node-redis connect');
    this.clients.push({ disconnect: () => c.destroy() });
    return c;
  }
}

/** Runs `scenario` against both servers and asserts the traces are equal; returns echokv's. */
async function same(
  ctx: { redisPort: number; echoPort: number },
  what: string,
  scenario: (t: Trace, port: number) => Promise<void>,
): Promise<[string, unknown][]> {
  const run = async (port: number): Promise<[string, unknown][]> => {
    const t = new Trace();
    try {
      await within(scenario(t, port), 15_000, what);
    } finally {
      for (const c of t.clients) c.disconnect();
    }
    return t.steps;
  };
  const [r, e] = [await run(ctx.redisPort), await run(ctx.echoPort)];
  if (process.env.ECHOKV_TEST_SHOW === '1') console.log(what, JSON.stringify(e));
  assert.equal(e, r, `${what}: what the application sees differs`);
  return e;
}

test('a MONITOR connection may not touch the keyspace: ioredis, node-redis and raw commands', async (ctx) => {
  const steps = await same(ctx, 'monitor', async (t, port) => {
    const m = await t.io(port, { protocol: 2 }).monitor();
    t.clients.push(m);
    const feed: string[][] = [];
    m.on('monitor', (_time: string, args: string[]) => feed.push(args));
    const w = t.io(port);
    await w.set('k', 'v');
    await t.step('GET on the ioredis monitor', m.call('GET', 'k'));
    for (const RESP of [2, 3] as const) {
      const c = await t.nr(port, RESP);
      await c.monitor(() => {});
      await t.step(`node-redis RESP${RESP} GET on its monitor`, c.get('k'));
    }
    await sleep(50);
    t.note('feed', feed.filter((a) => !['hello', 'client', 'info', 'ping', 'HELLO', 'CLIENT', 'PING'].includes(a[0])));
  });
  // ioredis refuses commands on its monitor itself; node-redis sends them and gets Redis's error.
  assert.equal(steps[1], ['node-redis RESP2 GET on its monitor', { error: 'SimpleError', message: "ERR Replica can't interact with the keyspace" }]);
  // Raw: reads, writes and PUBLISH (may-replicate) are refused, and being refused they are not
  // in the monitor's own feed; after RESET the connection reads again.
  const mon = await ctx.connect();
  await mon.same('MONITOR');
  for (const cmd of [['GET', 'k'], ['SET', 'k', 'v'], ['PUBLISH', 'ch', 'x'], ['PFCOUNT', 'h'], ['SCAN', '0'], ['DBSIZE'], ['FLUSHALL']]) {
    await mon.same(...cmd);
  }
  await mon.same('RESET');
  await mon.same('GET', 'k');
});

test('ioredis reply transformers, RESP2 and RESP3 (both reply mappings)', async (ctx) => {
  const variants = [{ protocol: 2 as const }, { protocol: 3 as const }, { protocol: 3 as const, replyMapping: 'resp3' as const }];
  await same(ctx, 'ioredis types', async (t, port) => {
    for (const opts of variants) {
      const r = t.io(port, opts);
      await r.flushall();
      await t.step('hset/hgetall', r.hset('h', { a: '1', b: '2' }).then(() => r.hgetall('h')));
      await t.step('hgetallBuffer', r.hgetallBuffer('h'));
      await t.step('zrange withscores', r.zadd('z', 1, 'a', 2.5, 'b', '-inf', 'm').then(() => r.zrange('z', 0, -1, 'WITHSCORES')));
      await t.step('zscore zmscore', Promise.all([r.zscore('z', 'b'), r.zmscore('z', 'a', 'nope'), r.zpopmin('z', 2)]));
      await t.step('xadd xread', r.xadd('x', '1-1', 'f', 'v', 'g', 'w').then(() => r.xread('COUNT', 2, 'STREAMS', 'x', '0')));
      await t.step('xreadgroup', r.xgroup('CREATE', 'x', 'g', '0').then(() => r.xreadgroup('GROUP', 'g', 'c1', 'STREAMS', 'x', '>')));
      await t.step('xautoclaim', r.xautoclaim('x', 'g', 'c2', 0, '0-0', 'COUNT', 10));
      await t.step('xinfo groups', r.xinfo('GROUPS', 'x'));
      await t.step('xinfo stream', r.xinfo('STREAM', 'x'));
      await t.step('xpending', r.xpending('x', 'g'));
      await t.step('geo', r.geoadd('g', 13.361389, 38.115556, 'Palermo', 15.087269, 37.502669, 'Catania').then(() =>
        Promise.all([r.geodist('g', 'Palermo', 'Catania', 'km'), r.geopos('g', 'Palermo', 'nope'),
          r.geosearch('g', 'FROMLONLAT', 15, 37, 'BYRADIUS', 200, 'km', 'ASC', 'WITHCOORD', 'WITHDIST', 'WITHHASH')])));
      await t.step('sort', r.rpush('sl', 3, 1, 2).then(() => r.mset('w_1', 30, 'w_2', 10, 'w_3', 20)).then(() =>
        Promise.all([r.sort('sl'), r.sort('sl', 'BY', 'w_*', 'GET', '#', 'DESC'), r.sort('h')])));
      await t.step('bitfield', r.bitfield('bf', 'SET', 'u8', 0, 255, 'GET', 'u8', 0, 'OVERFLOW', 'FAIL', 'INCRBY', 'u2', 0, 10));
      await t.step('object encoding', Promise.all(['h', 'z', 'sl', 'x', 'bf'].map((k) => r.object('ENCODING', k))));
      await t.step('lmpop zmpop', Promise.all([r.lmpop(2, 'nol', 'sl', 'LEFT', 'COUNT', 2), r.zmpop(1, 'z', 'MAX'), r.lpop('nol', 2)]));
      await t.step('errors', Promise.allSettled([r.get('h'), r.set('k', 'v', 'EX'), r.call('NOSUCH', 'a'), r.incr('h'), r.select(99)]));
    }
  });
});

test('node-redis reply transformers, RESP2 and RESP3', async (ctx) => {
  await same(ctx, 'node-redis types', async (t, port) => {
    for (const RESP of [2, 3] as const) {
      const c = await t.nr(port, RESP);
      await c.flushAll();
      await t.step('hGetAll', c.hSet('h', { a: '1', b: '2' }).then(() => c.hGetAll('h')));
      await t.step('hGetAll Buffers', c.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer }).hGetAll('h'));
      await t.step('zRangeWithScores', c.zAdd('z', [{ score: 1, value: 'a' }, { score: 2.5, value: 'b' }]).then(() => c.zRangeWithScores('z', 0, -1)));
      await t.step('zScore zmPop', Promise.all([c.zScore('z', 'b'), c.zScore('z', 'nope'), c.zmPop(['z'], 'MIN', { COUNT: 5 })]));
      await t.step('xRead', c.xAdd('x', '1-1', { f: 'v' }).then(() => c.xRead({ key: 'x', id: '0' })), (v) => JSON.stringify(plainOf(v)));
      await t.step('xReadGroup', c.xGroupCreate('x', 'g', '0').then(() => c.xReadGroup('g', 'c1', { key: 'x', id: '>' })), (v) => JSON.stringify(plainOf(v)));
      await t.step('xAutoClaim', c.xAutoClaim('x', 'g', 'c2', 0, '0-0'));
      await t.step('xInfoGroups', c.xInfoGroups('x'));
      await t.step('xInfoStream', c.xInfoStream('x'));
      await t.step('geoSearchWith', c.geoAdd('g', [{ longitude: 13.361389, latitude: 38.115556, member: 'Palermo' }]).then(() =>
        c.geoSearchWith('g', { longitude: 15, latitude: 37 }, { radius: 200, unit: 'km' }, ['WITHCOORD', 'WITHDIST', 'WITHHASH'])));
      await t.step('sort', c.rPush('sl', ['3', '1', '2']).then(() => c.sort('sl', { LIMIT: { offset: 0, count: 2 }, ALPHA: true })));
      await t.step('bitField', c.bitField('bf', [{ operation: 'SET', encoding: 'u8', offset: 0, value: 255 }, { operation: 'GET', encoding: 'u8', offset: 0 }]));
      await t.step('objectEncoding', Promise.all(['h', 'sl', 'x', 'nope'].map((k) => c.objectEncoding(k))));
      await t.step('multi with an error inside', c.multi().set('a', '5').incr('h').get('a').exec());
      await t.step('multi with a queueing error', c.multi().set('a', '5').addCommand(['NOSUCH']).exec());
      await t.step('errors', Promise.allSettled([c.get('h'), c.sendCommand(['SET', 'k', 'v', 'EX']), c.sendCommand(['NOSUCH']), c.select(99)]));
    }
  });
});

test('SCAN helpers: ioredis scan streams and node-redis iterators', async (ctx) => {
  const drain = (s: NodeJS.ReadableStream): Promise<string[]> =>
    new Promise((resolve, reject) => {
      const out: string[] = [];
      s.on('data', (d: string[]) => out.push(...d)).on('end', () => resolve(out)).on('error', reject);
    });
  const pairs = (a: string[]): string[] => a.flatMap((x, i) => (i % 2 === 0 ? [`${x}=${a[i + 1]}`] : [])).sort();
  await same(ctx, 'scan', async (t, port) => {
    const r = t.io(port);
    const p = r.pipeline();
    for (let i = 0; i < 200; i++) p.set(`k:${i}`, i).hset('h', `f${i}`, i).sadd('s', `m${i}`).zadd('z', i, `m${i}`);
    await p.exec();
    await t.step('scanStream', drain(r.scanStream({ match: 'k:1*', count: 50 })), (a) => a.sort());
    await t.step('scanStream type', drain(r.scanStream({ type: 'zset' })));
    await t.step('hscanStream', drain(r.hscanStream('h', { count: 20 })), pairs);
    await t.step('sscanStream', drain(r.sscanStream('s', { match: 'm1*' })), (a) => a.sort());
    await t.step('zscanStream', drain(r.zscanStream('z', { match: 'm19*' })), pairs);
    await t.step('scanStream wrong type', drain(r.hscanStream('s')));
    for (const RESP of [2, 3] as const) {
      const c = await t.nr(port, RESP);
      const all = async <T>(it: AsyncIterable<T[]>): Promise<string[]> => {
        const out: string[] = [];
        for await (const page of it) out.push(...page.map((x) => JSON.stringify(x)));
        return out.sort();
      };
      await t.step('scanIterator', all(c.scanIterator({ MATCH: 'k:1*', COUNT: 50 })));
      await t.step('hScanIterator', all(c.hScanIterator('h', { COUNT: 20 })));
      await t.step('sScanIterator', all(c.sScanIterator('s', { MATCH: 'm1*' })));
      await t.step('zScanIterator', all(c.zScanIterator('z', { MATCH: 'm19*' })));
    }
  });
});

test('pub/sub, MULTI with WATCH aborted, blocking pops served on isolated connections', async (ctx) => {
  await same(ctx, 'pubsub and transactions', async (t, port) => {
    const sub = t.io(port, { protocol: 2 });
    const pub = t.io(port);
    const got: unknown[] = [];
    sub.on('messageBuffer', (ch: Buffer, m: Buffer) => got.push(['message', ch, m]));
    sub.on('pmessage', (p: string, ch: string, m: string) => got.push(['pmessage', p, ch, m]));
    await t.step('subscribe', sub.subscribe('c1', 'c2'));
    await t.step('psubscribe', sub.psubscribe('c*'));
    await t.step('GET while subscribed (RESP2)', sub.get('a'));
    await t.step('publish', pub.publish('c1', Buffer.from([0xff, 0, 0x41])));
    await t.step('numsub', pub.pubsub('NUMSUB', 'c1', 'none'));
    await sleep(50);
    await t.step('punsubscribe', sub.punsubscribe('c*'));
    await t.step('unsubscribe all', sub.unsubscribe());
    await t.step('GET after', sub.get('a'));
    t.note('messages', got);
    const ssub = await t.nr(port, 3);
    const shard: string[] = [];
    await ssub.sSubscribe('sc', (m) => shard.push(m));
    await t.step('spublish', pub.spublish('sc', 'hello'));
    await t.step('GET while subscribed (RESP3)', ssub.get('a'));
    await sleep(50);
    t.note('shard messages', shard);
    // WATCH aborted by another client, then an error inside EXEC.
    const w = t.io(port);
    await w.watch('w');
    await pub.set('w', '1');
    await t.step('aborted EXEC', w.multi().set('w', '2').exec());
    await t.step('EXEC with an error inside', w.multi().set('n', 'x').incr('n').get('n').exec());
    // node-redis: a blocking pop on a duplicate is served by a push from another connection.
    const c = await t.nr(port, 2);
    const d = c.duplicate();
    d.on('error', () => {});
    await d.connect();
    t.clients.push({ disconnect: () => d.destroy() });
    await t.step('BLPOP timeout', c.blPop('never', 0.05));
    const popped = d.blPop(['q1', 'q2'], 2);
    await sleep(50);
    await c.rPush('q2', ['v1', 'v2']);
    await t.step('BLPOP served', popped);
    await t.step('XREAD BLOCK timeout', c.xRead({ key: 'st', id: '$' }, { BLOCK: 50 }));
  });
});

test('reconnect after CLIENT KILL: the offline queue, the selected db, resubscription', async (ctx) => {
  await same(ctx, 'reconnect', async (t, port) => {
    const killer = t.io(port);
    const events: string[] = [];
    const c = t.io(port, { db: 3, connectionName: 'victim', retryStrategy: (n: number) => (n > 5 ? null : 50) });
    for (const e of ['ready', 'close', 'reconnecting']) c.on(e, () => events.push(e));
    const msgs: string[][] = [];
    const sub = t.io(port, { retryStrategy: (n: number) => (n > 5 ? null : 50) });
    sub.on('message', (ch: string, m: string) => msgs.push([ch, m]));
    await sub.subscribe('rc');
    await t.step('SET', c.set('k', 'v'));
    await t.step('CLIENT KILL', killer.client('KILL', 'ID', String(await c.client('ID'))));
    await t.step('CLIENT KILL the subscriber', killer.client('KILL', 'ID', String(await killer.client('LIST').then((l) =>
      /id=(\d+) [^\n]* cmd=subscribe/.exec(String(l))![1]))));
    await t.step('GET after the kill', c.get('k'));
    await t.step('db and name kept', c.client('INFO'), (s) => String(s).match(/ name=\S* db=\d+/)?.[0]);
    await sleep(200);
    await t.step('PUBLISH to the resubscribed', killer.publish('rc', 'm1'));
    await sleep(50);
    t.note('messages', msgs);
    t.note('events', events);
  });
});

test('AUTH: requirepass with and without the default user, in RESP2 and RESP3', async (ctx) => {
  try {
    await ctx.c.same('CONFIG', 'SET', 'requirepass', 'secret');
    await same(ctx, 'auth', async (t, port) => {
      const io = [{}, { password: 'bad' }, { password: 'secret' }, { username: 'default', password: 'secret' },
        { username: 'bob', password: 'secret' }, { protocol: 2 as const, username: 'default', password: 'secret' }];
      for (const opts of io) await t.step(`ioredis ${JSON.stringify(opts)}`, t.io(port, opts).ping());
      for (const [RESP, url] of [[3, 'redis://127.0.0.1'], [3, 'redis://default:secret@127.0.0.1'], [2, 'redis://:secret@127.0.0.1'],
        [2, 'redis://default:bad@127.0.0.1']] as const) {
        const c = createClient({ url: `${url}:${port}/2`, RESP, socket: { reconnectStrategy: false } });
        c.on('error', () => {});
        await t.step(`node-redis RESP${RESP} ${url}`, c.connect().then(() => c.ping()));
        if (c.isOpen) c.destroy();
      }
    });
  } finally {
    await ctx.c.same('CONFIG', 'SET', 'requirepass', '');
  }
});

test('no scripting engine: script helpers fail at once with a clear error and the client goes on', async (ctx) => {
  const errorOf = (p: Promise<unknown>): Promise<string> =>
    within(p.then(() => 'no error', (e: Error) => e.message), 2000, 'script');
  const r = new Redis({ port: ctx.echoPort, retryStrategy: () => null });
  r.on('error', () => {});
  r.defineCommand('echoKey', { numberOfKeys: 1, lua: 'return KEYS[1]' });
  const withScript = r as Redis & { echoKey(k: string): Promise<unknown> };
  const c = createClient({ url: `redis://127.0.0.1:${ctx.echoPort}`, socket: { reconnectStrategy: false } });
  c.on('error', () => {});
  await c.connect();
  try {
    assert.match(await errorOf(withScript.echoKey('k')), /^ERR unknown command 'eval(sha)?'/);
    assert.match(await errorOf(r.evalsha('f'.repeat(40), 0)), /^ERR unknown command 'evalsha'/);
    assert.match(await errorOf(r.multi().eval('return 1', 0).exec()), /^EXECABORT/);
    assert.match(await errorOf(c.eval('return 1')), /^ERR unknown command 'EVAL'/);
    assert.is(await within(r.ping(), 2000, 'ioredis after scripts'), 'PONG');
    assert.is(await within(c.ping(), 2000, 'node-redis after scripts'), 'PONG');
  } finally {
    r.disconnect();
    c.destroy();
  }
});

test.run();
