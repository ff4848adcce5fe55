// maxmemory inside echokv (compared with Redis in test/compat/eviction.test.ts), with an injected
// clock: the used-memory estimate stays equal to the sum of every key's MEMORY USAGE model
// through random commands of every type (property test), eviction stops as soon as the figure is
// under the limit, LRU order by access time and LFU counters with their decay, the tenacity time
// limit handing over to a timer, CONFIG SET maxmemory evicting without a command, no eviction
// while paused or on a replica, what an eviction reports (event, DEL, stats, no dirty count),
// and the INFO fields.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { RespClient, type Running, sleep, startEchokv } from './_helpers.ts';
import { keyMemoryUsage } from '../core/info.ts';
import { newEntry } from '../core/keyspace.ts';
import type { Server } from '../core/server.ts';

interface Ctx {
  srv: Running;
  cl: RespClient;
  now: number;
  propagated: string[];
  events: string[];
}

const T0 = 1_700_000_000_000;
const OOM = "OOM command not allowed when used memory > 'maxmemory'.";
const test = suite<Ctx>('eviction', { now: T0 } as Ctx);

test.before(async (ctx) => {
  ctx.srv = await startEchokv({}, { clock: () => ctx.now });
  ctx.srv.server.activeExpire = false;
  ctx.cl = await RespClient.connect(ctx.srv.port);
  ctx.propagated = [];
  ctx.events = [];
  ctx.srv.server.on('propagate', (db, argv) => ctx.propagated.push(`${db} ${argv.join(' ')}`));
  const hooks = ctx.srv.server.keyspace.hooks;
  const notify = hooks.notify;
  hooks.notify = (cls, event, key, db) => {
    if (cls === 'e') ctx.events.push(`${event} ${key} ${db.id}`);
    notify(cls, event, key, db);
  };
});

test.after(async (ctx) => {
  ctx.cl.close();
  await ctx.srv.stop();
});

test.before.each(async (ctx) => {
  ctx.now = T0;
  const { cl } = ctx;
  for (const [k, v] of [
    ['maxmemory', '0'], ['maxmemory-policy', 'noeviction'], ['maxmemory-samples', '5'], ['lfu-log-factor', '10'],
    ['lfu-decay-time', '1'], ['maxmemory-eviction-tenacity', '10'], ['replica-ignore-maxmemory', 'yes'],
  ]) assert.is(await cl.call('CONFIG', 'SET', k, v), 'OK');
  await cl.call('SELECT', '0');
  await cl.call('FLUSHALL');
  await cl.call('CONFIG', 'RESETSTAT');
  ctx.propagated.length = 0;
  ctx.events.length = 0;
});

/** Every key's share recomputed from scratch, against what the estimate holds. */
function checkEstimate(server: Server): void {
  const ev = server.eviction;
  ev.settle();
  let total = 0;
  for (const db of server.keyspace.dbs) {
    let sum = 0;
    for (const [key, e] of db.keys) {
      const m = keyMemoryUsage(key, e, 5);
      assert.is(e.mem, m, `share of ${JSON.stringify(key)} in db ${db.id}`);
      sum += m;
    }
    assert.is(db.mem, sum, `sum of db ${db.id}`);
    total += sum;
  }
  assert.is(ev.datasetBytes(), total);
}

/** A key's share of the estimate, once the changes made so far are counted. */
function shareOf(ctx: Ctx, key: string): number {
  ctx.srv.server.eviction.settle();
  return ctx.srv.server.keyspace.dbs[0].keys.get(key)!.mem;
}

async function infoField(cl: RespClient, field: string): Promise<number> {
  const text = (await cl.call('INFO', 'all')) as string;
  const m = text.match(new RegExp(`^${field}:(\\d+)\\r$`, 'm'));
  assert.ok(m, field);
  return Number(m![1]);
}

// ---------------------------------------------------------------------------------------------
// The estimate

const key = fc.constantFrom('a', 'b', 'c', 'l', 'h', 's', 'z', 'x', '\xff\x00');
const val = fc.oneof(fc.constantFrom('1', '', 'v', '12345'), fc.integer({ min: 0, max: 300 }).map((n) => 'w'.repeat(n)));
const cmd: fc.Arbitrary<string[]> = fc.oneof(
  fc.tuple(key, val).map(([k, v]) => ['SET', k, v]),
  fc.tuple(key, val).map(([k, v]) => ['SET', k, v, 'PX', '50']),
  fc.tuple(key, val).map(([k, v]) => ['APPEND', k, v]),
  fc.tuple(key, val).map(([k, v]) => ['SETRANGE', k, '3', v]),
  key.map((k) => ['INCR', k]),
  fc.tuple(key, key).map(([a, b]) => ['DEL', a, b]),
  key.map((k) => ['GETDEL', k]),
  key.map((k) => ['EXPIRE', k, '1']),
  key.map((k) => ['PERSIST', k]),
  fc.tuple(key, key).map(([a, b]) => ['RENAME', a, b]),
  key.map((k) => ['MOVE', k, '1']),
  fc.tuple(key, key).map(([a, b]) => ['COPY', a, b, 'DB', '1', 'REPLACE']),
  fc.tuple(key, key).map(([a, b]) => ['COPY', a, b, 'REPLACE']),
  fc.constantFrom<string[]>(['SWAPDB', '0', '1'], ['SELECT', '1'], ['SELECT', '0'], ['FLUSHDB'], ['MSET', 'a', '1', 'b', '2']),
  fc.tuple(key, val, val).map(([k, f, v]) => ['HSET', k, f, v]),
  fc.tuple(key, val).map(([k, f]) => ['HDEL', k, f]),
  fc.tuple(key, fc.array(val, { minLength: 1, maxLength: 5 })).map(([k, ms]) => ['SADD', k, ...ms]),
  fc.tuple(key, val).map(([k, m]) => ['SREM', k, m]),
  fc.tuple(key, fc.array(val, { minLength: 1, maxLength: 5 })).map(([k, ms]) => ['RPUSH', k, ...ms]),
  key.map((k) => ['LPOP', k, '2']),
  fc.tuple(key, val).map(([k, m]) => ['ZADD', k, '1.5', m]),
  fc.tuple(key, val).map(([k, v]) => ['XADD', k, '*', 'f', v]),
  fc.constant<string[]>(['TICK']),
);

test('the estimate is the sum of every key\'s MEMORY USAGE model, whatever the commands', async (ctx) => {
  const { cl, srv } = ctx;
  await cl.call('CONFIG', 'SET', 'maxmemory', '1gb');
  await fc.assert(fc.asyncProperty(fc.array(cmd, { minLength: 1, maxLength: 30 }), async (cmds) => {
    await cl.call('FLUSHALL');
    await cl.call('SELECT', '0');
    for (const c of cmds) {
      // Time passes: keys with a TTL expire when next looked up.
      if (c[0] === 'TICK') ctx.now += 100;
      else await cl.call(...c);
      checkEstimate(srv.server);
    }
    for (const db of srv.server.keyspace.dbs) for (const k of [...db.keys.keys()]) db.peek(k);
    checkEstimate(srv.server);
  }), { numRuns: 150 });
});

test('the estimate holds when changes pile up between updates (keys deleted, renamed, moved meanwhile)', async (ctx) => {
  const { cl, srv } = ctx;
  // Without maxmemory nothing checks the limit before each command: once INFO has started the
  // estimate, the shares are brought up to date on cron ticks only, here at SETTLE, so keys
  // changed since may be deleted, renamed, moved or replaced before their share is measured.
  await cl.call('CONFIG', 'SET', 'maxmemory', '0');
  await cl.call('INFO', 'memory');
  assert.ok(srv.server.eviction.tracking);
  const steps = fc.oneof({ weight: 12, arbitrary: cmd }, { weight: 1, arbitrary: fc.constant<string[]>(['SETTLE']) });
  await fc.assert(fc.asyncProperty(fc.array(steps, { minLength: 1, maxLength: 40 }), async (cmds) => {
    await cl.call('FLUSHALL');
    await cl.call('SELECT', '0');
    for (const c of cmds) {
      if (c[0] === 'TICK') ctx.now += 100;
      else if (c[0] === 'SETTLE') checkEstimate(srv.server);
      else await cl.call(...c);
    }
    checkEstimate(srv.server);
  }), { numRuns: 200 });
});

test('MEMORY USAGE and INFO used_memory agree with the estimate', async (ctx) => {
  const { cl, srv } = ctx;
  await cl.call('CONFIG', 'SET', 'maxmemory', '1gb');
  await cl.call('SET', 'k', 'v'.repeat(1000));
  await cl.call('HSET', 'h', 'a', '1', 'b', '2');
  const e = srv.server.keyspace.dbs[0].keys.get('k')!;
  assert.is(await cl.call('MEMORY', 'USAGE', 'k'), e.mem);
  const used = await infoField(cl, 'used_memory');
  const startup = await infoField(cl, 'used_memory_startup');
  assert.ok(used - startup >= srv.server.eviction.datasetBytes(), `${used} - ${startup}`);
  assert.ok(used - startup - srv.server.eviction.datasetBytes() < 64 * 1024, 'the rest is client buffers');
});

test('keys added behind the keyspace\'s back (an RDB load) are counted at the next cron tick', async (ctx) => {
  const { cl, srv } = ctx;
  const server = srv.server;
  await cl.call('CONFIG', 'SET', 'maxmemory', '1gb');
  await cl.call('SET', 'a', '1');
  const before = server.eviction.datasetBytes();
  // What plugins/persistence/rdb/load.ts does: entries go straight into the Map.
  for (let i = 0; i < 100; i++) server.keyspace.dbs[2].keys.set(`loaded${i}`, newEntry('x'.repeat(100), 0));
  assert.is(server.eviction.datasetBytes(), before, 'not seen yet');
  server.cron();
  checkEstimate(server);
  assert.ok(server.eviction.datasetBytes() > before + 100 * 100);
});

// ---------------------------------------------------------------------------------------------
// Eviction

/** Sets maxmemory to used_memory minus `below`; returns the limit. */
async function limitBelow(ctx: Ctx, below: number): Promise<number> {
  await ctx.cl.call('CONFIG', 'SET', 'maxmemory', '1gb');
  const used = ctx.srv.server.eviction.usedMemory();
  const limit = used - below;
  await ctx.cl.call('CONFIG', 'SET', 'maxmemory', String(limit));
  return limit;
}

test('eviction stops as soon as used memory is under the limit', async (ctx) => {
  const { cl, srv } = ctx;
  await cl.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-random');
  for (let i = 0; i < 200; i++) await cl.call('SET', `k${i}`, 'x'.repeat(1000));
  const share = shareOf(ctx, 'k0');
  const limit = await limitBelow(ctx, 10 * share + 1);
  assert.is(await cl.call('PING'), 'PONG');
  const ev = srv.server.eviction;
  assert.ok(ev.usedMemory() <= limit, 'under the limit');
  // Exactly enough keys went: one fewer would not have been enough.
  assert.is(200 - Number(await cl.call('DBSIZE')), 11);
  assert.is(await infoField(cl, 'evicted_keys'), 11);
  checkEstimate(srv.server);
});

test('allkeys-lru and volatile-lru evict the keys idle longest first', async (ctx) => {
  const { cl } = ctx;
  await cl.call('CONFIG', 'SET', 'maxmemory-samples', '64');
  for (let i = 0; i < 20; i++) await cl.call('SET', `k${i}`, 'x'.repeat(1000), ...(i % 2 === 0 ? ['EX', '1000'] : []));
  // Accessed 10 s later in order: k19 last, so k0 has been idle longest.
  for (let i = 0; i < 20; i++) {
    ctx.now += 1000;
    await cl.call('GET', `k${i}`);
  }
  const share = shareOf(ctx, 'k1');
  await cl.call('CONFIG', 'SET', 'maxmemory-policy', 'volatile-lru');
  await limitBelow(ctx, 3 * share);
  await cl.call('PING');
  assert.equal(ctx.events, ['evicted k0 0', 'evicted k2 0', 'evicted k4 0']);
  ctx.events.length = 0;
  await cl.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
  await limitBelow(ctx, 3 * share);
  await cl.call('PING');
  assert.equal(ctx.events, ['evicted k1 0', 'evicted k3 0', 'evicted k5 0']);
});

test('volatile-ttl evicts the soonest to expire; volatile-random only keys with a TTL', async (ctx) => {
  const { cl } = ctx;
  await cl.call('CONFIG', 'SET', 'maxmemory-samples', '64');
  for (let i = 0; i < 10; i++) await cl.call('SET', `t${i}`, 'x'.repeat(1000), 'PX', String(100_000 - i * 1000));
  for (let i = 0; i < 10; i++) await cl.call('SET', `p${i}`, 'x'.repeat(1000));
  const share = shareOf(ctx, 't1');
  await cl.call('CONFIG', 'SET', 'maxmemory-policy', 'volatile-ttl');
  await limitBelow(ctx, 2 * share);
  await cl.call('PING');
  assert.equal(ctx.events, ['evicted t9 0', 'evicted t8 0']);
  ctx.events.length = 0;
  await cl.call('CONFIG', 'SET', 'maxmemory-policy', 'volatile-random');
  await limitBelow(ctx, 5 * share);
  await cl.call('PING');
  assert.is(ctx.events.length, 5);
  for (const e of ctx.events) assert.match(e, /^evicted t\d 0$/);
});

test('LFU: new keys start at 5, accesses count logarithmically, counters decay per lfu-decay-time', async (ctx) => {
  const { cl } = ctx;
  await cl.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu');
  await cl.call('SET', 'k', 'v');
  assert.is(await cl.call('OBJECT', 'FREQ', 'k'), 5);
  // From 5 the first access always counts; with lfu-log-factor 10, 1000 accesses make about 18
  // (redis.conf's table), far from 5 and from 255.
  await cl.call('GET', 'k');
  assert.is(await cl.call('OBJECT', 'FREQ', 'k'), 6);
  for (let i = 0; i < 1000; i++) await cl.call('GET', 'k');
  const f = Number(await cl.call('OBJECT', 'FREQ', 'k'));
  assert.ok(f >= 12 && f <= 30, `counter ${f} after 1000 accesses`);
  // One less per minute idle (lfu-decay-time 1), one per two minutes with 2, none with 0.
  ctx.now += 3 * 60_000;
  assert.is(await cl.call('OBJECT', 'FREQ', 'k'), f - 3);
  await cl.call('CONFIG', 'SET', 'lfu-decay-time', '2');
  assert.is(await cl.call('OBJECT', 'FREQ', 'k'), f - 1);
  await cl.call('CONFIG', 'SET', 'lfu-decay-time', '0');
  assert.is(await cl.call('OBJECT', 'FREQ', 'k'), f);
  // An access stores the decayed counter (then maybe one more).
  await cl.call('CONFIG', 'SET', 'lfu-decay-time', '1');
  ctx.now += 60 * 60_000;
  await cl.call('GET', 'k');
  assert.ok(Number(await cl.call('OBJECT', 'FREQ', 'k')) <= 1);
  // lfu-log-factor 0: every access counts, up to 255.
  await cl.call('CONFIG', 'SET', 'lfu-log-factor', '0');
  for (let i = 0; i < 300; i++) await cl.call('GET', 'k');
  assert.is(await cl.call('OBJECT', 'FREQ', 'k'), 255);
});

test('allkeys-lfu evicts the least frequently used first', async (ctx) => {
  const { cl } = ctx;
  await cl.call('CONFIG', 'SET', 'maxmemory-samples', '64');
  await cl.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu');
  await cl.call('CONFIG', 'SET', 'lfu-log-factor', '0');
  for (let i = 0; i < 10; i++) {
    await cl.call('SET', `k${i}`, 'x'.repeat(1000));
    for (let n = 0; n < 10 - i; n++) await cl.call('GET', `k${i}`);
  }
  const share = shareOf(ctx, 'k1');
  await limitBelow(ctx, 2 * share);
  await cl.call('PING');
  assert.equal(ctx.events, ['evicted k9 0', 'evicted k8 0']);
});

test('what an eviction reports: the evicted event, DEL or UNLINK, the stats, no change counted', async (ctx) => {
  const { cl } = ctx;
  await cl.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-random');
  await cl.call('SELECT', '5');
  await cl.call('SET', 'a', '1');
  await cl.call('SELECT', '0');
  await cl.call('SET', 'b', '2');
  const dirty = await infoField(cl, 'rdb_changes_since_last_save');
  ctx.propagated.length = 0;
  await cl.call('CONFIG', 'SET', 'maxmemory', '1');
  assert.equal(await cl.call('SET', 'c', '3'), { error: OOM });
  assert.equal(ctx.events.sort(), ['evicted a 5', 'evicted b 0']);
  assert.equal(ctx.propagated.sort(), ['0 DEL b', '5 DEL a']);
  await cl.call('CONFIG', 'SET', 'maxmemory', '0');
  assert.is(await infoField(cl, 'evicted_keys'), 2);
  // CONFIG SET counts as a change in neither server; the evictions neither.
  assert.is(await infoField(cl, 'rdb_changes_since_last_save'), dirty);
  await cl.call('CONFIG', 'SET', 'lazyfree-lazy-eviction', 'yes');
  await cl.call('SET', 'd', '4');
  ctx.propagated.length = 0;
  await cl.call('CONFIG', 'SET', 'maxmemory', '1');
  await cl.call('PING');
  assert.equal(ctx.propagated, ['0 UNLINK d']);
  await cl.call('CONFIG', 'SET', 'lazyfree-lazy-eviction', 'no');
  await cl.call('CONFIG', 'RESETSTAT');
  assert.is(await infoField(cl, 'evicted_keys'), 0);
});

test('maxmemory-eviction-tenacity: past the time limit eviction goes on from a timer', async (ctx) => {
  const { cl, srv } = ctx;
  await cl.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-random');
  await cl.call('CONFIG', 'SET', 'maxmemory-eviction-tenacity', '0');
  await cl.call('DEBUG', 'POPULATE', '3000', 'key', '100');
  const share = shareOf(ctx, 'key:1');
  // A limit no eviction could reach in 0 us: after each 16 keys the command goes ahead.
  const ev = srv.server.eviction;
  await limitBelow(ctx, 2000 * share);
  const before = srv.server.stats.evictedKeys;
  assert.is(await cl.call('SET', 'x', 'y'), 'OK', 'not refused while evicting');
  assert.ok(srv.server.stats.evictedKeys - before <= 32, `${srv.server.stats.evictedKeys - before} evicted in one go`);
  for (let i = 0; i < 400 && ev.usedMemory() > srv.server.config.num('maxmemory'); i++) await sleep(5);
  assert.ok(ev.usedMemory() <= srv.server.config.num('maxmemory'), 'the timer got under the limit');
  checkEstimate(srv.server);
});

test('CONFIG SET maxmemory below the usage evicts from the event loop, without another command', async (ctx) => {
  const { cl, srv } = ctx;
  await cl.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
  for (let i = 0; i < 50; i++) await cl.call('SET', `k${i}`, 'x'.repeat(1000));
  await limitBelow(ctx, 20_000);
  // Eviction from the event loop runs in time-limited slices (maxmemory-eviction-tenacity), so
  // on a busy machine it may take several turns: wait for it to finish, not for its first key.
  const max = srv.server.config.num('maxmemory');
  for (let i = 0; i < 200 && srv.server.eviction.usedMemory() > max; i++) await sleep(5);
  assert.ok(srv.server.stats.evictedKeys > 0);
  assert.ok(srv.server.eviction.usedMemory() <= srv.server.config.num('maxmemory'));
});

test('no eviction while loading, during CLIENT PAUSE, or on a replica that ignores maxmemory', async (ctx) => {
  const { cl, srv } = ctx;
  const server = srv.server;
  await cl.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-random');
  await cl.call('SET', 'a', '1');
  server.keyspace.replicaMode = true;
  try {
    await cl.call('CONFIG', 'SET', 'maxmemory', '1');
    assert.is(await cl.call('SET', 'b', '2'), 'OK', 'no OOM on a replica');
    assert.is(await cl.call('DBSIZE'), 2);
    await cl.call('CONFIG', 'SET', 'replica-ignore-maxmemory', 'no');
    assert.equal(await cl.call('SET', 'c', '3'), { error: OOM });
    assert.is(await cl.call('DBSIZE'), 0);
  } finally {
    server.keyspace.replicaMode = false;
  }
  await cl.call('CONFIG', 'SET', 'maxmemory', '0');
  await cl.call('SET', 'a', '1');
  const other = await RespClient.connect(srv.port);
  try {
    await other.call('CLIENT', 'PAUSE', '100000', 'WRITE');
    await other.call('CONFIG', 'SET', 'maxmemory', '1');
    assert.is(await other.call('DBSIZE'), 1, 'nothing evicted while paused');
    assert.is(await other.call('CLIENT', 'UNPAUSE'), 'OK');
    assert.is(await other.call('DBSIZE'), 0);
  } finally {
    other.close();
  }
  server.loading = true;
  try {
    assert.is(server.eviction.perform(), 'ok');
  } finally {
    server.loading = false;
  }
});

test('INFO eviction_exceeded_time: how long used memory stays over the limit', async (ctx) => {
  const { cl } = ctx;
  await cl.call('SET', 'a', '1');
  await cl.call('CONFIG', 'SET', 'maxmemory', '1');
  await cl.call('GET', 'a');
  await sleep(30);
  assert.ok(await infoField(cl, 'current_eviction_exceeded_time') > 0);
  await cl.call('CONFIG', 'SET', 'maxmemory', '0');
  await cl.call('CONFIG', 'SET', 'maxmemory', '1gb');
  await cl.call('GET', 'a');
  assert.is(await infoField(cl, 'current_eviction_exceeded_time'), 0);
  assert.ok(await infoField(cl, 'total_eviction_exceeded_time') >= 30);
});

test.run();
