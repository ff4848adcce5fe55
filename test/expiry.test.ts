// Expiry with an injected clock (no sleeps): lazy expiry at millisecond precision, TTL reads,
// the EXPIRE options, active expiry (Redis's adaptive cycle: stale share, time budget, database
// rotation, effort), what is propagated to replicas and the AOF, keyspace events, access times
// (OBJECT IDLETIME), RANDOMKEY over expired keys, and TTLs carried by RENAME, MOVE and COPY.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RespClient, type Running, startEchokv } from './_helpers.ts';
import { encodeCommand } from './_resp.ts';

interface Ctx {
  srv: Running;
  cl: RespClient;
  now: number;
  propagated: string[][];
  events: string[];
}

const T0 = 1_700_000_000_000;

const test = suite<Ctx>('expiry', { now: T0 } as Ctx);

test.before(async (ctx) => {
  ctx.srv = await startEchokv({}, { clock: () => ctx.now });
  // The tests run expiry cycles themselves; the server's timer would run more at random moments.
  ctx.srv.server.activeExpire = false;
  ctx.cl = await RespClient.connect(ctx.srv.port);
  ctx.propagated = [];
  ctx.srv.server.on('propagate', (db, argv) => ctx.propagated.push([String(db), ...argv]));
  const hooks = ctx.srv.server.keyspace.hooks;
  const notify = hooks.notify;
  ctx.events = [];
  hooks.notify = (cls, event, key, db) => {
    ctx.events.push(`${cls} ${event} ${key} ${db.id}`);
    notify(cls, event, key, db);
  };
});

test.after(async (ctx) => {
  ctx.cl.close();
  await ctx.srv.stop();
});

test.before.each(async (ctx) => {
  ctx.now = T0;
  ctx.srv.server.keyspace.replicaMode = false;
  await ctx.cl.call('FLUSHALL');
  ctx.propagated.length = 0;
  ctx.events.length = 0;
});

async function pipeline(cl: RespClient, cmds: string[][]): Promise<unknown[]> {
  const parts = cmds.map((c) => encodeCommand(c));
  let len = 0;
  for (const p of parts) len += p.length;
  const buf = new Uint8Array(len);
  let at = 0;
  for (const p of parts) {
    buf.set(p, at);
    at += p.length;
  }
  cl.write(buf);
  const out: unknown[] = [];
  for (let i = 0; i < cmds.length; i++) out.push(await cl.read());
  return out;
}

test('lazy expiry at millisecond precision: a key lives through its expiry time', async (ctx) => {
  const { cl } = ctx;
  assert.equal(await pipeline(cl, [['SET', 'k', 'v'], ['PEXPIRE', 'k', '100']]), ['OK', 1]);
  ctx.now = T0 + 99;
  assert.is(await cl.call('PTTL', 'k'), 1);
  ctx.now = T0 + 100;
  // Redis's keyIsExpired: expired once now > when.
  assert.is(await cl.call('PTTL', 'k'), 0);
  assert.is(await cl.call('TTL', 'k'), 0);
  assert.is(await cl.call('GET', 'k'), 'v');
  ctx.propagated.length = 0;
  ctx.now = T0 + 101;
  assert.is(await cl.call('GET', 'k'), null);
  assert.is(await cl.call('TTL', 'k'), -2);
  assert.is(await cl.call('PTTL', 'k'), -2);
  assert.is(await cl.call('EXISTS', 'k'), 0);
  assert.equal(ctx.propagated, [['0', 'DEL', 'k']]);
  assert.is(ctx.srv.server.keyspace.stats.expired, 1);
  assert.ok(ctx.events.includes('x expired k 0'));
});

test('TTL rounds to the nearest second; EXPIRETIME and PEXPIRETIME are absolute', async (ctx) => {
  const { cl } = ctx;
  await pipeline(cl, [['SET', 'a', 'v'], ['SET', 'b', 'v'], ['SET', 'c', 'v']]);
  assert.equal(await pipeline(cl, [
    ['PEXPIRE', 'a', '1499'], ['PEXPIRE', 'b', '1500'], ['PEXPIRE', 'c', '400'],
    ['TTL', 'a'], ['TTL', 'b'], ['TTL', 'c'], ['PTTL', 'a'],
    ['PEXPIRETIME', 'a'], ['EXPIRETIME', 'a'], ['EXPIRETIME', 'b'], ['EXPIRETIME', 'nokey'],
  ]), [1, 1, 1, 1, 2, 0, 1499, T0 + 1499, Math.floor((T0 + 1499 + 500) / 1000), Math.floor((T0 + 2000) / 1000), -2]);
  ctx.now = T0 + 1000;
  assert.equal(await pipeline(cl, [['TTL', 'a'], ['PTTL', 'b'], ['TTL', 'c']]), [0, 500, -2]);
});

test('EXPIRE is relative to the command time; huge TTLs; past times delete', async (ctx) => {
  const { cl } = ctx;
  ctx.now = T0 + 7;
  assert.equal(await pipeline(cl, [
    ['SET', 'k', 'v'], ['EXPIRE', 'k', '100000000000'], ['TTL', 'k'], ['PEXPIRETIME', 'k'],
    ['EXPIRE', 'k', '-100'], ['EXISTS', 'k'],
    ['SET', 'k', 'v'], ['PEXPIREAT', 'k', String(T0 + 7)], ['EXISTS', 'k'],
    ['SET', 'k', 'v'], ['PEXPIREAT', 'k', String(T0 + 8)], ['PTTL', 'k'],
    ['EXPIRE', 'k', '922337203685477'], ['EXPIRE', 'k', '9223372036854775'],
  ]), ['OK', 1, 100000000000, T0 + 7 + 100000000000000, 1, 0, 'OK', 1, 0, 'OK', 1, 1, 1,
    { error: "ERR invalid expire time in 'expire' command" }]);
});

test('propagation: EXPIRE family as PEXPIREAT with the absolute time, past times as DEL', async (ctx) => {
  const { cl } = ctx;
  await pipeline(cl, [['SET', 'k', 'v']]);
  ctx.propagated.length = 0;
  await pipeline(cl, [
    ['EXPIRE', 'k', '100', 'nx'], ['PEXPIRE', 'k', '200000', 'XX', 'GT'], ['EXPIREAT', 'k', '4000000000'],
    ['pexpireat', 'k', '3999999999999', 'lt'], ['EXPIRE', 'k', '100', 'NX'], ['EXPIRE', 'nokey', '100'],
    ['PERSIST', 'k'], ['PERSIST', 'k'], ['EXPIRE', 'k', '-1'], ['SET', 'j', 'v'], ['PEXPIREAT', 'j', '1'],
  ]);
  assert.equal(ctx.propagated, [
    ['0', 'PEXPIREAT', 'k', String(T0 + 100000), 'nx'],
    ['0', 'PEXPIREAT', 'k', String(T0 + 200000), 'XX', 'GT'],
    ['0', 'PEXPIREAT', 'k', '4000000000000'],
    ['0', 'pexpireat', 'k', '3999999999999', 'lt'],
    ['0', 'PERSIST', 'k'],
    ['0', 'DEL', 'k'],
    ['0', 'SET', 'j', 'v'],
    ['0', 'DEL', 'j'],
  ]);
});

test('propagation: FLUSHDB and FLUSHALL even when empty, SWAPDB, DEL, RENAME, MOVE, COPY', async (ctx) => {
  const { cl } = ctx;
  await pipeline(cl, [
    ['FLUSHDB'], ['FLUSHALL', 'ASYNC'], ['SWAPDB', '0', '0'], ['DEL', 'nokey'], ['SET', 'a', '1'], ['DEL', 'a', 'b'],
    ['SET', 'a', '1'], ['RENAME', 'a', 'b'], ['RENAMENX', 'b', 'b'], ['MOVE', 'b', '1'], ['SELECT', '1'],
    ['COPY', 'b', 'c', 'DB', '2'], ['COPY', 'b', 'c', 'DB', '2'], ['SELECT', '0'], ['FLUSHDB', 'bad'],
  ]);
  assert.equal(ctx.propagated, [
    ['0', 'FLUSHDB'], ['0', 'FLUSHALL', 'ASYNC'], ['0', 'SWAPDB', '0', '0'], ['0', 'SET', 'a', '1'],
    ['0', 'DEL', 'a', 'b'], ['0', 'SET', 'a', '1'], ['0', 'RENAME', 'a', 'b'], ['0', 'MOVE', 'b', '1'],
    ['1', 'COPY', 'b', 'c', 'DB', '2'],
  ]);
});

test('keyspace events of the generic commands', async (ctx) => {
  const { cl } = ctx;
  await pipeline(cl, [
    ['SET', 'a', '1'], ['EXPIRE', 'a', '100'], ['PERSIST', 'a'], ['RENAME', 'a', 'b'], ['MOVE', 'b', '1'],
    ['SELECT', '1'], ['COPY', 'b', 'c', 'DB', '0'], ['SELECT', '0'], ['DEL', 'c'], ['SET', 'd', '1'],
    ['EXPIRE', 'd', '0'], ['UNLINK', 'nokey'],
  ]);
  assert.equal(ctx.events.filter((e) => e.startsWith('g ')), [
    'g expire a 0', 'g persist a 0', 'g rename_from a 0', 'g rename_to b 0', 'g move_from b 0', 'g move_to b 1',
    'g copy_to c 0', 'g del c 0', 'g del d 0',
  ]);
});

test('active expiry: deletes expired keys without lookups, repeats while >10% were stale', async (ctx) => {
  const { cl, srv } = ctx;
  const ks = srv.server.keyspace;
  const cmds: string[][] = [];
  for (let i = 0; i < 200; i++) cmds.push(['SET', `v${i}`, 'x'], ['PEXPIRE', `v${i}`, '100']);
  for (let i = 0; i < 50; i++) cmds.push(['SET', `p${i}`, 'x']);
  await pipeline(cl, cmds);
  ctx.propagated.length = 0;
  const expired0 = ks.stats.expired;
  ctx.now = T0 + 50;
  ks.activeExpireCycle(1000, () => 0);
  assert.is(await cl.call('DBSIZE'), 250, 'nothing expired yet');
  assert.ok(ks.dbs[0].avgTtl > 0 && ks.dbs[0].avgTtl <= 50, `avg_ttl ${ks.dbs[0].avgTtl}`);
  ctx.now = T0 + 101;
  ks.activeExpireCycle(1000, () => 0);
  assert.is(await cl.call('DBSIZE'), 50);
  assert.is(ks.dbs[0].expires.size, 0);
  assert.is(ks.stats.expired - expired0, 200);
  assert.is(ctx.propagated.length, 200);
  // The walk resumes where the previous cycle's sample ended (v20), like Redis's expires_cursor.
  assert.equal(ctx.propagated[0], ['0', 'DEL', 'v20']);
  assert.ok(ctx.propagated.every((p) => p[0] === '0' && p[1] === 'DEL' && p[2].startsWith('v')));
  assert.is(ks.dbs[0].avgTtl, 0);
});

test('active expiry stops at an acceptable stale share and scales with effort', async (ctx) => {
  const { cl, srv } = ctx;
  const ks = srv.server.keyspace;
  // 100 keys with a TTL; keys 30-39 expire first. One sample of 20 (effort 1) sees none of them.
  const cmds: string[][] = [];
  for (let i = 0; i < 100; i++) cmds.push(['SET', `k${i}`, 'x'], ['PEXPIRE', `k${i}`, i >= 30 && i < 40 ? '10' : '100000']);
  await pipeline(cl, cmds);
  const expired0 = ks.stats.expired;
  ctx.now = T0 + 11;
  ks.activeExpireCycle(1000, () => 0, 1);
  assert.is(ks.stats.expired - expired0, 0);
  assert.is(await cl.call('DBSIZE'), 100);
  // Next cycle, the walk goes on from key 20: 10 of 20 expired (50%), so it samples again.
  ks.activeExpireCycle(1000, () => 0, 1);
  assert.is(ks.stats.expired - expired0, 10);
  await cl.call('FLUSHALL');
  await pipeline(cl, cmds.map((c) => (c[0] === 'PEXPIRE' ? ['PEXPIRE', c[1], c[2]] : c)));
  ctx.now = T0 + 11 + 11;
  // Effort 10: 65 keys a sample, so the first sample finds all 10.
  const before = ks.stats.expired;
  ks.activeExpireCycle(1000, () => 0, 10);
  assert.is(ks.stats.expired - before, 10);
});

test('active expiry: time budget, then every database, resuming after the last one', async (ctx) => {
  const { cl, srv } = ctx;
  const ks = srv.server.keyspace;
  const cmds: string[][] = [];
  for (let i = 0; i < 2000; i++) cmds.push(['SET', `a${i}`, 'x'], ['PEXPIRE', `a${i}`, '10']);
  cmds.push(['SELECT', '1']);
  for (let i = 0; i < 5; i++) cmds.push(['SET', `b${i}`, 'x'], ['PEXPIRE', `b${i}`, '10']);
  cmds.push(['SELECT', '0']);
  await pipeline(cl, cmds);
  ctx.now = T0 + 11;
  // A timer that moves 1 ms a call against a 3 ms budget: the cycle stops inside database 0.
  let t = 0;
  const timer = (): number => t++;
  const capped = ks.stats.expiredTimeCapReached;
  ks.activeExpireCycle(3, timer);
  assert.is(ks.stats.expiredTimeCapReached, capped + 1);
  const left0 = ks.dbs[0].size;
  assert.ok(left0 > 0 && left0 < 2000, `database 0 partly expired (${left0} left)`);
  assert.is(ks.dbs[1].size, 5, 'database 1 not reached yet');
  // The next cycle starts at database 1 instead of starving it behind database 0.
  ks.activeExpireCycle(3, timer);
  assert.is(ks.dbs[1].size, 0);
  for (let i = 0; i < 200 && ks.dbs[0].size > 0; i++) ks.activeExpireCycle(3, timer);
  assert.is(ks.dbs[0].size, 0);
  assert.ok(ks.stats.expiredStalePerc > 0);
});

test('active expiry through the server cron, and not on a replica', async (ctx) => {
  const { cl, srv } = ctx;
  await pipeline(cl, [['SET', 'k', 'v'], ['PEXPIRE', 'k', '10'], ['SET', 'j', 'v'], ['PEXPIRE', 'j', '10']]);
  ctx.now = T0 + 11;
  srv.server.activeExpire = true;
  srv.server.keyspace.replicaMode = true;
  srv.server.cron();
  assert.is(await cl.call('DBSIZE'), 2);
  // A replica reads expired keys as missing but keeps them until its master's DEL.
  assert.is(await cl.call('GET', 'k'), null);
  assert.is(await cl.call('DBSIZE'), 2);
  srv.server.keyspace.replicaMode = false;
  srv.server.cron();
  srv.server.activeExpire = false;
  assert.is(await cl.call('DBSIZE'), 0);
});

test('KEYS leaves expired keys out without deleting them; FLUSHALL drops TTL bookkeeping', async (ctx) => {
  const { cl, srv } = ctx;
  await pipeline(cl, [['SET', 'k', 'v'], ['PEXPIRE', 'k', '10'], ['SET', 'j', 'v'], ['SELECT', '1'], ['SET', 'x', 'v'],
    ['EXPIRE', 'x', '100'], ['SELECT', '0']]);
  ctx.now = T0 + 11;
  assert.equal(await cl.call('KEYS', '*'), ['j']);
  assert.is(await cl.call('DBSIZE'), 2);
  await cl.call('FLUSHALL');
  for (const db of srv.server.keyspace.dbs) {
    assert.is(db.keys.size, 0);
    assert.is(db.expires.size, 0);
  }
  await pipeline(cl, [['SET', 'x', 'v'], ['EXPIRE', 'x', '100'], ['FLUSHDB']]);
  assert.is(srv.server.keyspace.dbs[0].expires.size, 0);
});

test('RENAME, MOVE and COPY carry the TTL; RENAME over a key with a TTL', async (ctx) => {
  const { cl } = ctx;
  assert.equal(await pipeline(cl, [
    ['SET', 'a', '1'], ['PEXPIRE', 'a', '5000'], ['SET', 'b', '2'], ['PEXPIRE', 'b', '9000'],
    ['RENAME', 'a', 'c'], ['PTTL', 'c'], ['SET', 'n', 'none'], ['RENAME', 'n', 'b'], ['PTTL', 'b'],
    ['COPY', 'c', 'd'], ['PTTL', 'd'], ['MOVE', 'd', '3'], ['SELECT', '3'], ['PTTL', 'd'], ['SELECT', '0'],
  ]), ['OK', 1, 'OK', 1, 'OK', 5000, 'OK', 'OK', -1, 1, 5000, 1, 'OK', 5000, 'OK']);
  ctx.now = T0 + 5001;
  assert.equal(await pipeline(cl, [['EXISTS', 'c'], ['SELECT', '3'], ['EXISTS', 'd'], ['SELECT', '0']]), [0, 'OK', 0, 'OK']);
  // An expired destination counts as missing: RENAMENX and MOVE succeed.
  assert.equal(await pipeline(cl, [
    ['SET', 'x', '1'], ['SET', 'y', '2'], ['PEXPIRE', 'y', '1'], ['SELECT', '4'], ['SET', 'x', 'old'], ['PEXPIRE', 'x', '1'],
    ['SELECT', '0'],
  ]), ['OK', 'OK', 1, 'OK', 'OK', 1, 'OK']);
  ctx.now += 2;
  assert.equal(await pipeline(cl, [['RENAMENX', 'x', 'y'], ['MOVE', 'y', '4'], ['SELECT', '4'], ['GET', 'y'], ['GET', 'x'],
    ['SELECT', '0']]), [1, 1, 'OK', '1', null, 'OK']);
});

test('OBJECT IDLETIME counts seconds since the last access; OBJECT, TYPE, TTL, EXISTS do not touch', async (ctx) => {
  const { cl } = ctx;
  await pipeline(cl, [['SET', 'k', 'v'], ['SET', 'j', 'v'], ['SET', 'i', 'v']]);
  ctx.now = T0 + 5000;
  await pipeline(cl, [['OBJECT', 'ENCODING', 'k'], ['OBJECT', 'REFCOUNT', 'k'], ['TYPE', 'k'], ['TTL', 'k'], ['PTTL', 'k'],
    ['EXISTS', 'k'], ['OBJECT', 'IDLETIME', 'k'], ['SCAN', '0'], ['KEYS', '*'], ['TOUCH', 'j'], ['GET', 'i']]);
  assert.equal(await pipeline(cl, [['OBJECT', 'IDLETIME', 'k'], ['OBJECT', 'IDLETIME', 'j'], ['OBJECT', 'IDLETIME', 'i']]), [5, 0, 0]);
  ctx.now = T0 + 12500;
  assert.equal(await pipeline(cl, [['OBJECT', 'IDLETIME', 'k'], ['OBJECT', 'IDLETIME', 'j']]), [12, 7]);
  // Renaming keeps the access time (the lookup of the source touches it).
  assert.equal(await pipeline(cl, [['RENAME', 'k', 'k2'], ['OBJECT', 'IDLETIME', 'k2']]), ['OK', 0]);
  // Keyspace hits and misses are counted by these lookups.
  const stats = ctx.srv.server.keyspace.stats;
  const hits = stats.hits;
  const misses = stats.misses;
  await pipeline(cl, [['TYPE', 'j'], ['EXISTS', 'j', 'nokey'], ['OBJECT', 'ENCODING', 'nokey']]);
  assert.is(stats.hits - hits, 2);
  assert.is(stats.misses - misses, 2);
});

test('RANDOMKEY deletes expired keys it meets and never returns them', async (ctx) => {
  const { cl, srv } = ctx;
  const cmds: string[][] = [];
  for (let i = 0; i < 300; i++) cmds.push(['SET', `e${i}`, 'x'], ['PEXPIRE', `e${i}`, '10']);
  cmds.push(['SET', 'live', 'x']);
  await pipeline(cl, cmds);
  ctx.now = T0 + 11;
  for (let i = 0; i < 20; i++) assert.is(await cl.call('RANDOMKEY'), 'live');
  assert.ok(srv.server.keyspace.dbs[0].size < 301);
  await cl.call('DEL', 'live');
  assert.is(await cl.call('RANDOMKEY'), null);
  assert.is(await cl.call('DBSIZE'), 0);
  // A replica cannot delete them: with only expiring keys it answers one after 100 tries.
  await pipeline(cl, [['SET', 'r1', 'x'], ['PEXPIRE', 'r1', '10'], ['SET', 'r2', 'x'], ['PEXPIRE', 'r2', '10']]);
  ctx.now += 11;
  srv.server.keyspace.replicaMode = true;
  assert.ok(['r1', 'r2'].includes(await cl.call('RANDOMKEY') as string));
  await cl.call('SET', 'stay', 'x');
  for (let i = 0; i < 10; i++) assert.is(await cl.call('RANDOMKEY'), 'stay');
});

test('RANDOMKEY spreads over the keys of a large database', async (ctx) => {
  const { cl, srv } = ctx;
  const cmds: string[][] = [];
  for (let i = 0; i < 1000; i++) cmds.push(['SET', `k${i}`, 'x']);
  await pipeline(cl, cmds);
  const db = srv.server.keyspace.dbs[0];
  const counts = new Map<string, number>();
  for (let i = 0; i < 20000; i++) {
    const k = db.randomKey()!;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  // Every key is reached, none far more often than the others (expected 20 each).
  assert.is(counts.size, 1000);
  for (const n of counts.values()) assert.ok(n < 80, `a key drawn ${n} times`);
});

test.run();
