// Pipelines through the read-ahead (core/server.ts readAhead and prefetchBatch): with more keys
// than the key read-ahead's threshold, and on big hashtable-encoded hashes and sets (whose member
// at argv[2] is looked up ahead, ByteTable.prefetch), a batch of commands read in one go is
// served from lookups made before any of them ran. These batches, from a differential fuzz of
// that path against redis-server, change what the lookups found while the batch runs: deletes and
// re-creations, encoding conversions, SELECT and SWAPDB, MULTI, expiry, arity and type errors,
// inline commands beside multibulk ones, writes split at odd offsets, and another client writing
// while the batch is blocked. The replies must be byte for byte Redis's.
import * as assert from 'uvu/assert';
import { type Compat, compatSuite, show } from './_compat.ts';
import { exchange } from './_exchange.ts';
import type { RespClient } from '../_helpers.ts';

const test = compatSuite('edge pipeline read-ahead');

const resp = (...args: string[]): string => `*${args.length}\r\n` + args.map((a) => `$${a.length}\r\n${a}\r\n`).join('');
const batch = (cmds: string[][]): string => cmds.map((a) => resp(...a)).join('');

/** Fields of the big hash and members of the big set: plain, binary, empty, long, int-like. */
const ODD = ['', '\x00', '\x00\xff', 'a b', 'x\r\ny', 'caf\xc3\xa9', 'L'.repeat(300), '1', '01', '+1', '-0'];

async function setup(c: Compat, db1 = false): Promise<void> {
  // Past the key read-ahead's threshold (PREFETCH_MIN in core/keyspace.ts); database 1 too with db1.
  await c.same('DEBUG', 'POPULATE', '9000');
  const h: string[] = [];
  for (let i = 0; i < 300; i++) h.push(`f${i}`, i % 5 === 0 ? 'V'.repeat(80) : `v${i}`);
  for (const f of ODD) h.push(f, `odd${f.length}`);
  await c.same('HSET', 'bh', ...h);
  await c.same('SADD', 'bs', ...h.filter((_, i) => i % 2 === 0));
  const ints: string[] = [];
  for (let i = 0; i < 600; i++) ints.push(String(i * 3));
  await c.same('SADD', 'bi', ...ints);
  await c.all([['HSET', 'sh', 'a', '1', 'b', '2'], ['SADD', 'si', '1', '2', '3'], ['SET', 'str', 'x'], ['RPUSH', 'l', 'a']]);
  if (db1) {
    await c.same('SELECT', '1');
    await c.same('DEBUG', 'POPULATE', '9000');
    await c.same('HSET', 'bh', ...h.slice(0, 400).map((x, i) => (i % 2 === 1 ? `db1-${x}` : x)));
    await c.same('SELECT', '0');
  }
  for (const k of ['bh', 'bs', 'bi', 'sh', 'si']) await c.same('OBJECT', 'ENCODING', k);
}

/** Compares the next `n` replies of redis-server (`r`) and echokv (`e`), byte for byte. */
async function sameReplies(r: RespClient, e: RespClient, n: number, what: string): Promise<void> {
  for (let i = 0; i < n; i++) {
    const [x, y] = await Promise.all([r.readRaw(3000), e.readRaw(3000)]);
    assert.is(show(y.bytes), show(x.bytes), `${what}: reply ${i}`);
  }
}

test('reads and writes of one big hash and one big set, the same member over and over, more than one read-ahead round', async ({ c }) => {
  await setup(c);
  const cmds: string[][] = [];
  for (const f of ['f1', 'f1', ...ODD, 'f5', 'missing', 'f299']) {
    cmds.push(['HGET', 'bh', f], ['HEXISTS', 'bh', f], ['HSTRLEN', 'bh', f], ['HLEN', 'bh']);
    cmds.push(['SISMEMBER', 'bs', f], ['SMISMEMBER', 'bs', f, 'f2'], ['SCARD', 'bs']);
  }
  await c.sameRaw(batch(cmds));
  await c.sameRaw(batch([
    ['HGET', 'bh', 'f7'], ['HSET', 'bh', 'f7', 'longer value now'], ['HGET', 'bh', 'f7'], ['HSET', 'bh', 'f7', 'v7'],
    ['HGET', 'bh', 'f7'], ['HDEL', 'bh', 'f7'], ['HGET', 'bh', 'f7'], ['HEXISTS', 'bh', 'f7'], ['HSETNX', 'bh', 'f7', 'back'],
    ['HGET', 'bh', 'f7'], ['HINCRBY', 'bh', 'f7', '1'], ['HINCRBY', 'bh', 'n', '5'], ['HINCRBY', 'bh', 'n', '5'], ['HGET', 'bh', 'n'],
    ['HMGET', 'bh', 'f7', 'n', '', '\x00'], ['HGET', 'bh'], ['HGET', 'bh', 'f1', 'x'], ['HLEN', 'bh', 'x'],
    ['SADD', 'bs', 'new'], ['SISMEMBER', 'bs', 'new'], ['SREM', 'bs', 'new', 'f3'], ['SISMEMBER', 'bs', 'new'],
    ['SISMEMBER', 'bs', 'f3'], ['SMOVE', 'bs', 'bs2', 'f5'], ['SISMEMBER', 'bs', 'f5'], ['SISMEMBER', 'bs2', 'f5'],
    ['SMOVE', 'bs2', 'bs', 'f5'], ['SISMEMBER', 'bs', 'f5'], ['SISMEMBER', 'bi', '3'], ['SISMEMBER', 'bi', '03'],
    ['SISMEMBER', 'bi', '+3'], ['SISMEMBER', 'si', '01'], ['SADD', 'si', '01'], ['SISMEMBER', 'si', '1'], ['SISMEMBER', 'si', '01'],
    ['OBJECT', 'ENCODING', 'si'],
  ]));
  await c.same('DEBUG', 'DIGEST');
});

test('a big hash or set deleted, recreated, renamed, copied or converted within the batch', async ({ c }) => {
  await setup(c);
  // Removing most members of a big set shrinks its table: every slot looked up ahead moves.
  const shrink = ['SREM', 'bi'];
  for (let i = 1; i < 591; i++) shrink.push(String(i * 3));
  await c.sameRaw(batch([
    ['HGET', 'bh', 'f1'], ['DEL', 'bh'], ['HGET', 'bh', 'f1'], ['HLEN', 'bh'], ['HSET', 'bh', 'f1', 'again'], ['HGET', 'bh', 'f1'],
    ['OBJECT', 'ENCODING', 'bh'], ['SISMEMBER', 'bs', 'f2'], ['RENAME', 'bs', 'bs3'], ['SISMEMBER', 'bs', 'f2'], ['SISMEMBER', 'bs3', 'f2'],
    ['COPY', 'bs3', 'bs'], ['SREM', 'bs3', 'f2'], ['SISMEMBER', 'bs', 'f2'], ['SISMEMBER', 'bs3', 'f2'], ['HGET', 'bs', 'f2'],
    ['SET', 'bs3', 'now a string'], ['SISMEMBER', 'bs3', 'f2'], ['GET', 'bs3'], ['SISMEMBER', 'bi', '30'], shrink, ['SISMEMBER', 'bi', '30'], ['SISMEMBER', 'bi', '0'],
    ['SCARD', 'bi'], ['DEL', 'bi'], ['SADD', 'bi', '3'], ['SISMEMBER', 'bi', '3'],
  ]));
  // A small hash converted to a hashtable within the batch, by size and by a long value.
  await c.sameRaw(batch([
    ['CONFIG', 'SET', 'hash-max-listpack-entries', '4'], ['HGET', 'sh', 'a'], ['HSET', 'sh', 'c', '3', 'd', '4', 'e', '5'],
    ['OBJECT', 'ENCODING', 'sh'], ['HGET', 'sh', 'a'], ['HGET', 'sh', 'e'], ['HDEL', 'sh', 'a'], ['HGET', 'sh', 'a'],
    ['CONFIG', 'SET', 'hash-max-listpack-entries', '128'], ['HSET', 'sh2', 'a', '1'], ['HGET', 'sh2', 'a'],
    ['HSET', 'sh2', 'b', 'W'.repeat(100)], ['OBJECT', 'ENCODING', 'sh2'], ['HGET', 'sh2', 'a'], ['HSTRLEN', 'sh2', 'b'],
    ['HLEN', 'sh2'],
  ]));
  await c.same('DEBUG', 'DIGEST');
});

test('SELECT, SWAPDB, MOVE, MULTI, wrong types and expired keys within the batch', async ({ c }) => {
  await setup(c, true);
  await c.same('PEXPIRE', 'key:5', '1');
  await c.same('PEXPIRE', 'bs', '1');
  await new Promise((r) => setTimeout(r, 20));
  await c.sameRaw(batch([
    ['GET', 'key:5'], ['SISMEMBER', 'bs', 'f2'], ['SCARD', 'bs'], ['HGET', 'bh', 'f1'], ['SELECT', '1'], ['HGET', 'bh', 'f1'],
    ['HLEN', 'bh'], ['GET', 'key:5'], ['SWAPDB', '0', '1'], ['HGET', 'bh', 'f1'], ['SELECT', '0'], ['HGET', 'bh', 'f1'],
    ['SWAPDB', '0', '1'], ['HGET', 'bh', 'f1'], ['MOVE', 'bh', '1'], ['HGET', 'bh', 'f1'], ['SELECT', '1'], ['HGET', 'bh', 'f1'],
    ['MOVE', 'bh', '0'], ['SELECT', '0'], ['MULTI'], ['HGET', 'bh', 'f1'], ['HDEL', 'bh', 'f1'], ['HGET', 'bh', 'f1'],
    ['EXEC'], ['HGET', 'bh', 'f1'], ['MULTI'], ['HGET', 'bh', 'f2'], ['HGET', 'bh'], ['EXEC'], ['HGET', 'bh', 'f2'],
    ['SADD', 'bh', 'x'], ['HGET', 'str', 'f1'], ['LPUSH', 'bh', 'x'], ['HGET', 'l', 'a'], ['SISMEMBER', 'l', 'a'],
    ['HGET', 'bh', 'f2'], ['FLUSHDB'], ['HGET', 'bh', 'f2'], ['DBSIZE'],
  ]));
  await c.same('SELECT', '1');
  await c.same('HGET', 'bh', 'f2');
  await c.same('SELECT', '0');
});

test('inline commands beside multibulk ones, and a batch split across writes at odd offsets', async ({ c, redisPort, echoPort }) => {
  await setup(c);
  const inline = 'HGET bh "\\x66\\x31"\r\nHGET bh f1\r\nSISMEMBER bs "\\x00\\xff"\r\nHEXISTS bh ""\n' +
    resp('HGET', 'bh', 'f1') + "HSTRLEN bh 'L" + 'L'.repeat(299) + "'\r\n" + resp('SISMEMBER', 'bs', '\x00\xff') + 'HLEN bh\r\n';
  await c.sameRaw(inline);
  const cmds: string[][] = [];
  for (let i = 0; i < 40; i++) cmds.push(i % 3 === 0 ? ['HSET', 'bh', `f${i}`, `w${i}`] : i % 3 === 1 ? ['HGET', 'bh', `f${i - 1}`] : ['SISMEMBER', 'bs', `f${i}`]);
  const text = batch(cmds);
  for (const cuts of [[1, 17, 18], [40, 200, 201, 600], [text.length - 3]]) {
    const pieces: string[] = [];
    let at = 0;
    for (const cut of cuts) {
      pieces.push(text.slice(at, cut));
      at = cut;
    }
    pieces.push(text.slice(at));
    const [r, e] = await Promise.all([exchange(redisPort, pieces, { gapMs: 5 }), exchange(echoPort, pieces, { gapMs: 5 })]);
    assert.is(show(e.bytes), show(r.bytes), `split at ${cuts}`);
  }
});

test('another client changes the big hash and set while the batch is blocked between its lookups', async (ctx) => {
  const { c } = ctx;
  await setup(c);
  const other = await ctx.connect();
  const a = batch([
    ['HGET', 'bh', 'f1'], ['SISMEMBER', 'bs', 'f2'], ['GET', 'key:1'], ['BLPOP', 'nolist', '0.3'], ['HGET', 'bh', 'f1'],
    ['HGET', 'bh', 'f3'], ['HSTRLEN', 'bh', 'f4'], ['SISMEMBER', 'bs', 'f2'], ['SISMEMBER', 'bs', 'f6'], ['GET', 'key:1'],
    ['HLEN', 'bh'], ['SCARD', 'bs'],
  ]);
  c.redis.write(a);
  c.echo.write(a);
  await sameReplies(c.redis, c.echo, 3, 'before the block');
  const dels: string[] = ['HDEL', 'bh'];
  for (let i = 0; i < 290; i++) dels.push(`f${i}`);
  await other.all([
    ['HDEL', 'bh', 'f1'], ['HSET', 'bh', 'f3', 'changed length'], ['DEL', 'key:1'], ['SREM', 'bs', 'f2'], dels,
    ['HSET', 'bh', 'f4', 'back'], ['SPOP', 'bs', '0'], ['SREM', 'bs', 'f6'],
  ]);
  await sameReplies(c.redis, c.echo, 9, 'after the block');
  await c.same('DEBUG', 'DIGEST');
});

test.run();
