// maxmemory and client memory against a real redis-server: what a closed client held is freed
// before the next command (not at the next cron tick), and maxmemory-clients evicts clients
// (INFO evicted_clients) but never one with CLIENT NO-EVICT on. Byte counts differ between the
// servers, so each scenario uses sizes far from both servers' limits.
import * as assert from 'uvu/assert';
import { type Compat, compatSuite, sameInfoField } from './_compat.ts';
import { RespClient, sleep } from '../_helpers.ts';
import { infoField } from '../aof_helpers.ts';

const test = compatSuite('edge_maxmemory');

test.before.each(async ({ c }) => {
  if (c === undefined) return;
  await c.all([
    ['CONFIG', 'SET', 'maxmemory', '0'], ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'],
    ['CONFIG', 'SET', 'maxmemory-clients', '0'], ['CLIENT', 'NO-EVICT', 'on'], ['FLUSHALL'], ['CONFIG', 'RESETSTAT'],
  ]);
});

/** Names of the connected clients, sorted. */
async function names(conn: RespClient): Promise<string[]> {
  const list = (await conn.call('CLIENT', 'LIST')) as string;
  return [...list.matchAll(/ name=(\S*)/g)].map((m) => m[1]).filter((n) => n !== '').sort();
}

async function sameNames(c: Compat): Promise<string[]> {
  const [r, e] = await Promise.all([names(c.redis), names(c.echo)]);
  assert.equal(e, r, 'CLIENT LIST names');
  return r;
}

/** Waits (bounded) until `conn` sees no client named `name`. */
async function gone(conn: RespClient, name: string): Promise<void> {
  for (let i = 0; i < 200 && (await names(conn)).includes(name); i++) await sleep(10);
}

/** Sends a command header and `n` bytes of its bulk, leaving the command unfinished. */
function partialQuery(conn: RespClient, n: number): void {
  conn.socket.write(`*2\r\n$3\r\nSET\r\n$${n + 100}\r\n` + 'v'.repeat(n));
}

test('a closed client\'s query buffer is freed before the next command of another client', async (ctx) => {
  const { c } = ctx;
  const dead = await ctx.connect();
  await dead.same('CLIENT', 'SETNAME', 'dead');
  // A limit 2 MB above each server's own use: 4 MB of unfinished input puts both over it.
  const [ur, ue] = await Promise.all([infoField(c.redis, 'used_memory', 'all'), infoField(c.echo, 'used_memory', 'all')]);
  await c.redis.call('CONFIG', 'SET', 'maxmemory', String(Number(ur) + 2 * 1024 * 1024));
  await c.echo.call('CONFIG', 'SET', 'maxmemory', String(Number(ue) + 2 * 1024 * 1024));
  await c.same('SET', 'before', '1');
  partialQuery(dead.redis, 4 * 1024 * 1024);
  partialQuery(dead.echo, 4 * 1024 * 1024);
  for (let i = 0; i < 200; i++) {
    const [r, e] = await c.both('SET', 'x', '1');
    if (r.bytes.startsWith('-OOM') && e.bytes.startsWith('-OOM')) break;
    await sleep(10);
  }
  await c.same('SET', 'x', '1');
  await c.same('GET', 'before');
  dead.redis.close();
  dead.echo.close();
  await Promise.all([gone(c.redis, 'dead'), gone(c.echo, 'dead')]);
  // Both have freed it: the very next write is accepted.
  await c.all([['SET', 'x', '2'], ['GET', 'x'], ['DBSIZE']]);
  await sameInfoField(c, 'evicted_keys');
});

test('maxmemory-clients evicts a client whose argument is too large; the command does not run', async (ctx) => {
  const { c } = ctx;
  await c.same('CONFIG', 'SET', 'maxmemory-clients', '1mb');
  await c.same('CONFIG', 'GET', 'maxmemory-clients');
  const big = await ctx.connect();
  await big.all([['CLIENT', 'SETNAME', 'big'], ['SET', 'k', 'small']]);
  assert.equal(await sameNames(c), ['big']);
  const arg = 'v'.repeat(1536 * 1024);
  big.redis.socket.write(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${arg.length}\r\n${arg}\r\n`);
  big.echo.socket.write(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${arg.length}\r\n${arg}\r\n`);
  await Promise.all([big.redis.done, big.echo.done]);
  assert.equal(await sameNames(c), []);
  await c.same('GET', 'k');
  assert.is(await sameInfoField(c, 'evicted_clients'), '1');
  await c.same('CONFIG', 'RESETSTAT');
  assert.is(await sameInfoField(c, 'evicted_clients'), '0');
});

test('a big bulk counts for its announced length: maxmemory-clients evicts on its header, CLIENT LIST shows it in qbuf-free', async (ctx) => {
  const { c } = ctx;
  // Redis sizes the query buffer for the whole bulk when it reads the header; echokv reserves
  // nothing but counts the same, so the client goes before the rest of its bytes arrive.
  const waiting = await ctx.connect();
  await waiting.all([['CLIENT', 'SETNAME', 'waiting']]);
  const rest = 300000 - 10 + 2;
  for (const conn of [waiting.redis, waiting.echo]) conn.socket.write('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$300000\r\n' + 'v'.repeat(10));
  const line = async (conn: RespClient): Promise<string> => {
    for (let i = 0; i < 200; i++) {
      const l = ((await conn.call('CLIENT', 'LIST')) as string).split('\n').find((x) => x.includes(' name=waiting '));
      if (l !== undefined && / qbuf-free=[1-9]/.test(l)) return l;
      await sleep(10);
    }
    return '';
  };
  try {
    const [r, e] = await Promise.all([line(c.redis), line(c.echo)]);
    // Redis's allocator may round the reservation up; echokv reports the bytes still to come.
    assert.ok(Number(/ qbuf-free=(\d+)/.exec(r)?.[1]) >= rest, r);
    assert.match(e, ` qbuf-free=${rest} `, e);
    // SET and k are parsed out of the query buffer: argv-mem in Redis, the 10 bytes sent qbuf.
    for (const l of [r, e]) assert.match(l, / qbuf=10 qbuf-free=\d+ argv-mem=4 /, l);
    assert.ok(Number(/ tot-mem=(\d+)/.exec(e)?.[1]) > 300000, e);
  } finally {
    // Closed whatever happened: left open, the client would count in the next tests.
    waiting.redis.close();
    waiting.echo.close();
    await Promise.all([gone(c.redis, 'waiting'), gone(c.echo, 'waiting')]);
  }
  await c.same('CONFIG', 'SET', 'maxmemory-clients', '1mb');
  const big = await ctx.connect();
  await big.all([['CLIENT', 'SETNAME', 'big']]);
  for (const conn of [big.redis, big.echo]) conn.socket.write('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2097152\r\n' + 'v'.repeat(100));
  // Only the header and 100 bytes were sent, and nothing more will be: the eviction is the header's.
  await Promise.all([big.redis.done, big.echo.done]);
  assert.is(await sameInfoField(c, 'evicted_clients'), '1');
  await c.same('EXISTS', 'k');
});

test('maxmemory-clients: CLIENT NO-EVICT on keeps a client over the limit; off lets it go', async (ctx) => {
  const { c } = ctx;
  await c.same('CONFIG', 'SET', 'maxmemory-clients', '1mb');
  const keep = await ctx.connect();
  await keep.all([['CLIENT', 'SETNAME', 'keep'], ['CLIENT', 'NO-EVICT', 'on']]);
  const drop = await ctx.connect();
  await drop.all([['CLIENT', 'SETNAME', 'drop'], ['CLIENT', 'NO-EVICT', 'off']]);
  partialQuery(keep.redis, 1536 * 1024);
  partialQuery(keep.echo, 1536 * 1024);
  // Over the limit: every evictable client goes, the one that grew is kept.
  await Promise.all([drop.redis.done, drop.echo.done]);
  await c.same('PING');
  assert.equal(await sameNames(c), ['keep']);
  assert.is(await sameInfoField(c, 'evicted_clients'), '1');
  // Disabled again: nothing more is evicted.
  await c.same('CONFIG', 'SET', 'maxmemory-clients', '0');
  await keep.redis.socket.write('v'.repeat(1024));
  await keep.echo.socket.write('v'.repeat(1024));
  await c.same('PING');
  assert.equal(await sameNames(c), ['keep']);
});

test.run();
