// String commands against a real redis-server: every command and option, errors and edge cases
// (negative and huge ranges, empty and binary values, 64-bit limits, long double arithmetic),
// compared byte for byte; plus COMMAND metadata, RESP3 shapes, what is propagated (read from
// Redis's AOF) and which keyspace events fire (read from Redis's pub/sub).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type CompatContext, compatSuite, show, readRedisAof, sameKeyspaceEvents } from './_compat.ts';
import { prng, RespClient, startEchokv, startRedis } from '../_helpers.ts';
import { plain } from '../_resp.ts';
import { join } from 'node:path';

const test = compatSuite('string');

// FLUSHALL and DEL belong to another command group; tests clear echokv directly so they depend
// only on the commands under test.
test.before.each((ctx) => {
  if (ctx.echokv) for (const db of ctx.echokv.server.keyspace.dbs) db.flush();
});

/**
 * Makes `key` hold a non-string value on both servers. Until the list commands exist in echokv,
 * its side gets a stand-in list value in its keyspace (only its type matters to these commands).
 */
async function wrongType(ctx: CompatContext, key: string): Promise<void> {
  await ctx.c.redis.call('DEL', key);
  await ctx.c.redis.call('RPUSH', key, 'x');
  const db = ctx.echokv.server.keyspace.dbs[0];
  db.delete(key);
  db.add(key, { type: 'list', dup() { return this; } });
}

/** Asserts both servers agree on whether `key` has a TTL, and on its value within 5 s. */
async function sameTtl(ctx: CompatContext, key: string): Promise<void> {
  const r = Number(await ctx.c.redis.call('PTTL', key));
  const e = ctx.echokv.server.keyspace.dbs[0].peek(key);
  const eTtl = e === undefined ? -2 : e.expireAt === 0 ? -1 : e.expireAt - Date.now();
  if (r < 0 || eTtl < 0) assert.is(eTtl < 0 ? Math.round(eTtl) : 'ttl', r < 0 ? r : 'ttl', `TTL of ${show(key)}`);
  // Beyond 2^53 ms both are rounded the same way; below, they differ by the time between commands.
  else assert.ok(Math.abs(r - eTtl) < 5000 || r === eTtl, `TTL of ${show(key)}: redis ${r}, echokv ${eTtl}`);
}

const BIN = 'a\x00b\xff\r\n\x80z';

test('GET and SET: plain, binary, empty and large values', async ({ c }) => {
  await c.all([
    ['GET', 'k'], ['SET', 'k', 'v'], ['GET', 'k'], ['SET', 'k', ''], ['GET', 'k'],
    ['SET', BIN, BIN], ['GET', BIN], ['SET', '', 'empty key'], ['GET', ''],
    ['SET', 'n', '12345'], ['GET', 'n'], ['SET', 'n', '-0'], ['GET', 'n'],
    ['set', 'k', 'lower'], ['GeT', 'k'], ['SET', 'k'], ['GET', 'k', 'x'],
  ]);
  const big = 'x'.repeat(70000) + '\xff';
  await c.same('SET', 'big', big);
  await c.same('GET', 'big');
});

test('SET NX, XX, GET and KEEPTTL in every combination and starting state', async (ctx) => {
  const { c } = ctx;
  const combos = [
    [], ['NX'], ['XX'], ['GET'], ['NX', 'GET'], ['GET', 'NX'], ['XX', 'GET'], ['KEEPTTL'], ['KEEPTTL', 'GET'],
    ['NX', 'KEEPTTL'], ['XX', 'KEEPTTL'], ['nx'], ['xX'], ['get'], ['keepttl'], ['NX', 'NX'], ['GET', 'GET'],
    ['XX', 'XX', 'GET'], ['KEEPTTL', 'KEEPTTL'],
    // Conflicts and unknown options are syntax errors.
    ['NX', 'XX'], ['XX', 'NX'], ['KEEPTTL', 'EX', '10'], ['EX', '10', 'KEEPTTL'], ['PERSIST'], ['FOO'],
    ['NX', 'FOO'], ['GETX'], ['N'], ['NXX'], ['EX'], ['PX'], ['EXAT'], ['PXAT'], ['GET', 'EX'],
  ];
  const states: (() => Promise<void>)[] = [
    async () => {},
    async () => void await c.all([['SET', 'k', 'old']]),
    async () => void await c.all([['SET', 'k', 'old', 'EX', '1000']]),
  ];
  for (const state of states) {
    for (const opts of combos) {
      ctx.echokv.server.keyspace.dbs[0].delete('k');
      await ctx.c.redis.call('DEL', 'k');
      await state();
      await c.same('SET', 'k', 'new', ...opts);
      await c.same('GET', 'k');
      await sameTtl(ctx, 'k');
    }
  }
});

test('SET expiry: EX, PX, EXAT, PXAT and invalid times', async (ctx) => {
  const { c } = ctx;
  const now = Date.now();
  const cases: string[][] = [
    ['EX', '100'], ['PX', '100000'], ['EXAT', String(Math.floor(now / 1000) + 100)], ['PXAT', String(now + 100000)],
    ['ex', '100'], ['EX', '10', 'EX', '100'], ['PX', '5', 'PX', '100000'], ['EX', '100', 'NX'], ['XX', 'PX', '100000'],
    ['EX', '100', 'GET'], ['GET', 'PXAT', String(now + 100000)], ['EX', '100', 'PX', '100'], ['EX', '100', 'EXAT', '1'],
    ['PX', '100', 'PXAT', '1'], ['EXAT', '1', 'PXAT', '1'], ['EX', '0'], ['EX', '-1'], ['PX', '0'], ['PX', '-100'],
    ['EXAT', '0'], ['PXAT', '-1'], ['EX', 'abc'], ['EX', '1.5'], ['EX', ''], ['EX', ' 1'], ['EX', '01'],
    ['EX', '9223372036854775807'], ['EX', '9223372036854775808'], ['EX', '9223372036854775'], ['EX', '9223372036854776'],
    ['PX', '9223372036854775807'], ['PX', '9223372036854775806'], ['EXAT', '9223372036854775'],
    ['EXAT', '9223372036854776'], ['PXAT', '9223372036854775807'], ['EX', '100000000000'], ['PX', '1000000000000000'],
    ['EX', '0', 'GET'], ['EX', 'abc', 'NX'],
  ];
  for (const opts of cases) {
    ctx.echokv.server.keyspace.dbs[0].delete('k');
    await ctx.c.redis.call('DEL', 'k');
    await c.same('SET', 'k', 'v', ...opts);
    await c.same('GET', 'k');
    await sameTtl(ctx, 'k');
  }
  // On a wrong-type key the expire error comes before the GET's WRONGTYPE.
  await wrongType(ctx, 'l');
  await c.same('SET', 'l', 'v', 'GET', 'EX', '0');
  await c.same('SET', 'l', 'v', 'GET');
  await c.same('SET', 'l', 'v', 'GET', 'EX', '10');
  await c.same('SET', 'l', 'v', 'NX', 'GET');
  await c.same('SET', 'l', 'v');
  await c.same('GET', 'l');
});

test('SET with a time already past stores a key that reads as missing', async (ctx) => {
  const { c } = ctx;
  await c.same('SET', 'k', 'v', 'EXAT', '1');
  await c.same('GET', 'k');
  await c.same('SET', 'k', 'v', 'PXAT', '1000', 'GET');
  await c.same('SET', 'k', 'v', 'PXAT', String(Date.now() - 10), 'NX');
  await c.same('GET', 'k');
  await c.same('SET', 'k', 'v', 'KEEPTTL');
  await c.same('GET', 'k');
  await sameTtl(ctx, 'k');
});

test('SETNX, SETEX, PSETEX', async (ctx) => {
  const { c } = ctx;
  await c.all([
    ['SETNX', 'k', 'a'], ['SETNX', 'k', 'b'], ['GET', 'k'], ['SETNX', 'k'], ['SETNX', BIN, BIN], ['GET', BIN],
    ['SETEX', 'e', '100', 'v'], ['GET', 'e'], ['SETEX', 'e', '0', 'v'], ['SETEX', 'e', '-5', 'v'],
    ['SETEX', 'e', 'x', 'v'], ['SETEX', 'e', '9223372036854775807', 'v'], ['SETEX', 'e', '9223372036854775', 'v'],
    ['SETEX', 'e', '10'], ['PSETEX', 'p', '100000', 'v'], ['GET', 'p'], ['PSETEX', 'p', '0', 'v'],
    ['PSETEX', 'p', '-1', 'v'], ['PSETEX', 'p', '1.5', 'v'], ['PSETEX', 'p', '9223372036854775807', 'v'],
  ]);
  await sameTtl(ctx, 'e');
  await sameTtl(ctx, 'p');
  await c.same('SET', 'k', 'v', 'EX', '100');
  await c.same('SETEX', 'k', '200', 'w');
  await sameTtl(ctx, 'k');
  await wrongType(ctx, 'l');
  await c.same('SETNX', 'l', 'v');
  await c.same('SETEX', 'l', '100', 'v');
  await c.same('GET', 'l');
});

test('MGET, MSET, MSETNX', async (ctx) => {
  const { c } = ctx;
  await c.all([
    ['MSET', 'a', '1', 'b', '2', BIN, BIN], ['MGET', 'a', 'b', 'nope', BIN, 'a'], ['MGET', 'nope'], ['MGET'],
    ['MSET', 'a'], ['MSET', 'a', '1', 'b'], ['MSET', 'a', 'x', 'a', 'y'], ['GET', 'a'],
    ['MSETNX', 'a', '1', 'c', '3'], ['GET', 'c'], ['MSETNX', 'c', '3', 'd', '4'], ['MGET', 'c', 'd'],
    ['MSETNX', 'e', '1', 'e', '2'], ['GET', 'e'], ['MSETNX', 'f'], ['MSETNX', 'f', '1', 'g'],
  ]);
  await c.same('SET', 't', 'v', 'EX', '100');
  await c.same('MSET', 't', 'w');
  await sameTtl(ctx, 't');
  await wrongType(ctx, 'l');
  await c.same('MGET', 'a', 'l', 'b');
  await c.same('MSETNX', 'l', 'v', 'zz', 'v');
  await c.same('MGET', 'zz');
  await c.same('MSET', 'l', 'v');
  await c.same('GET', 'l');
});

test('GETSET and GETDEL', async (ctx) => {
  const { c } = ctx;
  await c.all([
    ['GETSET', 'k', 'a'], ['GETSET', 'k', 'b'], ['GET', 'k'], ['GETSET', 'k', BIN], ['GETSET', 'k', ''],
    ['GETDEL', 'k'], ['GETDEL', 'k'], ['GET', 'k'], ['GETDEL', 'nope'], ['GETSET', 'k'], ['GETDEL'],
  ]);
  await c.same('SET', 't', 'v', 'EX', '100');
  await c.same('GETSET', 't', 'w');
  await sameTtl(ctx, 't');
  await wrongType(ctx, 'l');
  await c.same('GETSET', 'l', 'v');
  await c.same('GETDEL', 'l');
});

test('GETEX with every option, errors, and times already past', async (ctx) => {
  const { c } = ctx;
  const now = Date.now();
  const cases: string[][] = [
    [], ['EX', '100'], ['PX', '100000'], ['EXAT', String(Math.floor(now / 1000) + 100)], ['PXAT', String(now + 100000)],
    ['PERSIST'], ['persist'], ['PERSIST', 'PERSIST'], ['EX', '10', 'EX', '100'], ['EX', '100', 'PX', '100'],
    ['EX', '10', 'PERSIST'], ['PERSIST', 'EX', '10'], ['NX'], ['XX'], ['GET'], ['KEEPTTL'], ['FOO'], ['EX'],
    ['EX', '0'], ['EX', '-1'], ['PX', 'abc'], ['EX', '9223372036854775807'], ['PXAT', '0'], ['EXAT', '1'],
    ['PXAT', String(now - 1000)], ['PX', '9223372036854775807'],
  ];
  for (const opts of cases) {
    ctx.echokv.server.keyspace.dbs[0].delete('k');
    await ctx.c.redis.call('DEL', 'k');
    await c.same('SET', 'k', 'v', 'EX', '500');
    await c.same('GETEX', 'k', ...opts);
    await c.same('GET', 'k');
    await sameTtl(ctx, 'k');
    // A missing key answers nil before its expire argument is checked (syntax is checked first).
    await c.same('GETEX', 'missing', ...opts);
  }
  await wrongType(ctx, 'l');
  await c.same('GETEX', 'l');
  await c.same('GETEX', 'l', 'EX', '0');
  await c.same('GETEX', 'l', 'FOO');
});

test('APPEND and STRLEN', async (ctx) => {
  const { c } = ctx;
  await c.all([
    ['STRLEN', 'k'], ['APPEND', 'k', 'ab'], ['APPEND', 'k', 'cd'], ['GET', 'k'], ['STRLEN', 'k'],
    ['APPEND', 'k', ''], ['APPEND', 'k', BIN], ['GET', 'k'], ['STRLEN', 'k'], ['APPEND', 'e', ''], ['GET', 'e'],
    ['STRLEN', 'e'], ['SET', 'n', '12'], ['APPEND', 'n', '3'], ['INCR', 'n'], ['STRLEN', 'n'], ['APPEND', 'k'],
  ]);
  // Many appends to one key grow it in place.
  for (let i = 0; i < 200; i++) await c.same('APPEND', 'many', String(i) + '\x00');
  await c.same('GET', 'many');
  await c.same('SET', 't', 'v', 'EX', '100');
  await c.same('APPEND', 't', 'w');
  await sameTtl(ctx, 't');
  await wrongType(ctx, 'l');
  await c.same('APPEND', 'l', 'v');
  await c.same('STRLEN', 'l');
});

test('GETRANGE and SUBSTR over every kind of range', async (ctx) => {
  const { c } = ctx;
  await c.same('SET', 's', 'Hello, World\x00\xff');
  await c.same('SET', 'n', '1234567');
  await c.same('SET', 'e', '');
  await c.same('APPEND', 'm', 'mutable string');
  await c.same('APPEND', 'm', '!');
  const idx = ['0', '1', '3', '-1', '-3', '-100', '100', '13', '14', '15', '-14', '-15', '9223372036854775807',
    '-9223372036854775808', '-9223372036854775807'];
  for (const key of ['s', 'n', 'e', 'm', 'missing']) {
    for (const a of idx) for (const b of idx) await c.same('GETRANGE', key, a, b);
  }
  await c.all([
    ['SUBSTR', 's', '0', '4'], ['SUBSTR', 's', '-3', '-1'], ['GETRANGE', 's', 'a', '1'], ['GETRANGE', 's', '0', 'b'],
    ['GETRANGE', 'missing', 'a', '1'], ['GETRANGE', 's', '0'], ['GETRANGE', 's', '1.5', '2'],
    ['GETRANGE', 's', '9223372036854775808', '1'],
  ]);
  await wrongType(ctx, 'l');
  await c.same('GETRANGE', 'l', '0', '1');
  await c.same('GETRANGE', 'l', 'x', '1');
});

test('SETRANGE: padding, overwrites, empty values and bad offsets', async (ctx) => {
  const { c } = ctx;
  await c.all([
    ['SETRANGE', 'k', '0', 'hello'], ['GET', 'k'], ['SETRANGE', 'k', '3', 'LO WORLD'], ['GET', 'k'],
    ['SETRANGE', 'k', '20', BIN], ['GET', 'k'], ['STRLEN', 'k'], ['SETRANGE', 'k', '1', ''], ['GET', 'k'],
    ['SETRANGE', 'new', '5', 'x'], ['GET', 'new'], ['SETRANGE', 'none', '5', ''], ['GET', 'none'],
    ['SETRANGE', 'none', '9999999999', ''], ['SETRANGE', 'k', '-1', 'x'], ['SETRANGE', 'k', 'x', 'y'],
    ['SETRANGE', 'k', '9223372036854775807', 'x'], ['SETRANGE', 'k', '536870911', 'x'],
    ['SETRANGE', 'k', '536870912', 'x'], ['SETRANGE', 'k', '536870912', ''], ['SETRANGE', 'k', '1.5', 'x'],
    ['SET', 'n', '123'], ['SETRANGE', 'n', '1', '9'], ['GET', 'n'], ['INCR', 'n'], ['SETRANGE', 'k', '0'],
  ]);
  // Shrinking never happens, so a write past a gap reads the gap as zeros after earlier growth.
  await c.same('SETRANGE', 'g', '0', 'abcdef');
  await c.same('SETRANGE', 'g', '10', 'x');
  await c.same('GET', 'g');
  await c.same('SET', 't', 'v', 'EX', '100');
  await c.same('SETRANGE', 't', '1', 'w');
  await sameTtl(ctx, 't');
  await wrongType(ctx, 'l');
  await c.same('SETRANGE', 'l', '0', 'v');
  await c.same('SETRANGE', 'l', '0', '');
  await c.same('SETRANGE', 'l', '-1', 'v');
});

test('INCR, DECR, INCRBY, DECRBY: 64-bit limits and what is an integer', async (ctx) => {
  const { c } = ctx;
  await c.all([
    ['INCR', 'k'], ['INCR', 'k'], ['DECR', 'k'], ['DECR', 'k'], ['DECR', 'k'], ['INCRBY', 'k', '100'],
    ['DECRBY', 'k', '50'], ['INCRBY', 'k', '-1000'], ['DECRBY', 'k', '-7'], ['GET', 'k'],
    ['SET', 'k', '9223372036854775806'], ['INCR', 'k'], ['INCR', 'k'], ['GET', 'k'],
    ['SET', 'k', '-9223372036854775807'], ['DECR', 'k'], ['DECR', 'k'], ['GET', 'k'],
    ['SET', 'k', '0'], ['INCRBY', 'k', '9223372036854775807'], ['INCRBY', 'k', '1'], ['DECRBY', 'k', '-1'],
    ['SET', 'k', '-1'], ['INCRBY', 'k', '-9223372036854775808'], ['INCRBY', 'k', '-1'],
    ['SET', 'k', '5'], ['DECRBY', 'k', '-9223372036854775808'], ['DECRBY', 'k', '9223372036854775807'],
    ['DECRBY', 'k', '9223372036854775807'], ['DECRBY', 'k', '1'], ['DECRBY', 'nokey', '-9223372036854775808'],
    ['INCRBY', 'k', '9223372036854775808'], ['INCRBY', 'k', 'abc'], ['INCRBY', 'k', '1.0'], ['INCRBY', 'k', ''],
    ['INCRBY', 'k', ' 1'], ['INCRBY', 'k', '+1'], ['INCRBY', 'k', '01'], ['INCRBY', 'k', '-0'], ['DECRBY', 'k', 'x'],
    ['INCRBY', 'nokey2', '-9223372036854775808'], ['GET', 'nokey2'], ['INCRBY', 'nokey3', '999999999999999'],
    ['INCRBY', 'nokey3', '999999999999999'], ['INCRBY', 'nokey3', '9000000000000000000'], ['GET', 'nokey3'],
  ]);
  for (const v of ['abc', '1.5', ' 1', '1 ', '01', '-0', '+1', '', '0x10', '1e3', '99999999999999999999',
    '9223372036854775808', '-9223372036854775809', '12345678901234567', '-12345678901234567', '\x001']) {
    await c.same('SET', 'v', v);
    await c.same('INCR', 'v');
    await c.same('DECRBY', 'v', '3');
    await c.same('GET', 'v');
  }
  await c.same('SET', 't', '10', 'EX', '100');
  await c.same('INCR', 't');
  await sameTtl(ctx, 't');
  await c.same('APPEND', 'raw', '41');
  await c.same('INCRBY', 'raw', '1');
  await c.same('APPEND', 'longraw', '1'.repeat(30));
  await c.same('INCR', 'longraw');
  await c.same('APPEND', 'longraw', '1'.repeat(6000));
  await c.same('INCRBYFLOAT', 'longraw', '1');
  await c.same('APPEND', 'rawfloat', '1.5');
  await c.same('INCRBYFLOAT', 'rawfloat', '1');
  await wrongType(ctx, 'l');
  for (const cmd of [['INCR', 'l'], ['DECR', 'l'], ['INCRBY', 'l', '2'], ['DECRBY', 'l', '2'], ['INCRBY', 'l', 'x']]) {
    await c.same(...cmd);
  }
});

test('INCRBYFLOAT: edge cases and random values, digit for digit', async (ctx) => {
  const { c } = ctx;
  const edge: [string | null, string][] = [
    [null, '0.1'], ['0.1', '0.2'], ['10.5', '0.1'], ['5.0e3', '2.0e2'], ['1.5e400', '0'], ['1.5e400', '1.5e400'],
    [null, '1e4932'], ['1.18973149535723176502e4932', '1e4913'], [null, '-1.18973149535723176502e4932'],
    [null, '1e4933'], [null, '1e-4951'], [null, '4e-4951'], [null, '0x1p-16445'], [null, '0x1p-16446'],
    [null, '0x1.fffffffffffffffep16383'], [null, '0x1.ffffffffffffffffp16383'], [null, '0x1.8p3'], [null, '-0x.8'],
    [null, '0x'], [null, '1e'], [null, '.'], [null, '+.5'], [null, '5.'], [null, 'inf'], [null, '-inf'], [null, 'nan'],
    ['inf', '1'], ['inf', '-inf'], [null, ' 1'], [null, '1 '], [null, ''], [null, '1\x00'], [null, '\x00'],
    [null, '0.000011444091796875'], [null, '-1e-18'], [null, '2.5e-17'], ['9223372036854775807', '1'],
    [null, '18446744073709551617'], ['1', '-1.0000000000000000001'], [null, '1' + '0'.repeat(400)],
    [null, '0.' + '1'.repeat(5117)], [null, '0.' + '1'.repeat(5118)], [null, '1'.repeat(4932)],
    [null, '1'.repeat(4934)], ['abc', '1'], ['1', 'abc'], [null, '00012'], [null, '1e-999999'], [null, '0e999999'],
    ['12', '3'], ['-12', '-3.5'],
  ];
  for (const [v, incr] of edge) {
    ctx.echokv.server.keyspace.dbs[0].delete('f');
    await ctx.c.redis.call('DEL', 'f');
    if (v !== null) await c.same('SET', 'f', v);
    await c.same('INCRBYFLOAT', 'f', incr);
    await c.same('GET', 'f');
  }
  const rnd = prng(2024);
  const ri = (n: number): number => Math.floor(rnd() * n);
  const digits = (n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += ri(10);
    return s;
  };
  const value = (): string => {
    switch (ri(8)) {
      case 0: return String(ri(2000) - 1000);
      case 1: return (rnd() * 1000 - 500).toFixed(ri(18));
      case 2: return digits(1 + ri(25)) + '.' + digits(ri(25));
      case 3: return '-0.' + digits(1 + ri(20));
      case 4: return digits(1 + ri(4)) + 'e' + (ri(200) - 100);
      case 5: return digits(1 + ri(6)) + 'e' + (ri(9000) - 4500);
      case 6: return '0x' + ri(1e9).toString(16) + '.' + ri(1e5).toString(16) + 'p' + (ri(400) - 200);
      default: return String(rnd() * 10 ** (ri(40) - 20));
    }
  };
  // One key accumulates (rounding errors build up), another starts fresh each time.
  for (let i = 0; i < 150; i++) {
    await c.same('INCRBYFLOAT', 'acc', value());
    await c.same('SET', 'one', value());
    await c.same('INCRBYFLOAT', 'one', value());
  }
  await c.same('GET', 'acc');
  for (let i = 0; i < 10; i++) await c.same('INCRBYFLOAT', 'tenth', '0.1');
  await c.same('SET', 't', '1.5', 'EX', '100');
  await c.same('INCRBYFLOAT', 't', '1');
  await sameTtl(ctx, 't');
  await c.same('INCRBYFLOAT', 't');
  await wrongType(ctx, 'l');
  await c.same('INCRBYFLOAT', 'l', '1');
  await c.same('INCRBYFLOAT', 'l', 'x');
});

test('LCS with LEN, IDX, MINMATCHLEN and WITHMATCHLEN', async (ctx) => {
  const { c } = ctx;
  await c.same('MSET', 'a', 'ohmytext', 'b', 'mynewtext', 'x', 'ABCBDAB\x00\xff', 'y', 'BDCABA\xff', 'e', '');
  const opts: string[][] = [
    [], ['LEN'], ['IDX'], ['IDX', 'WITHMATCHLEN'], ['IDX', 'MINMATCHLEN', '4'], ['IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN'],
    ['MINMATCHLEN', '2', 'IDX', 'WITHMATCHLEN'], ['IDX', 'MINMATCHLEN', '-5'], ['IDX', 'MINMATCHLEN', '100'],
    ['idx', 'len'], ['LEN', 'IDX'], ['LEN', 'LEN'], ['WITHMATCHLEN'], ['LEN', 'WITHMATCHLEN'], ['MINMATCHLEN', '2'],
    ['FOO'], ['MINMATCHLEN'], ['MINMATCHLEN', 'x'], ['IDX', 'LEN', 'FOO'], ['MINMATCHLEN', '9223372036854775808'],
  ];
  for (const [k1, k2] of [['a', 'b'], ['b', 'a'], ['x', 'y'], ['a', 'e'], ['e', 'e'], ['a', 'missing'], ['missing', 'nokey'], ['a', 'a']]) {
    for (const o of opts) await c.same('LCS', k1, k2, ...o);
  }
  const rnd = prng(7);
  for (let i = 0; i < 20; i++) {
    const s = (n: number): string => {
      let out = '';
      for (let j = 0; j < n; j++) out += 'ACGT\x00'[Math.floor(rnd() * 5)];
      return out;
    };
    await c.same('MSET', 'r1', s(Math.floor(rnd() * 60)), 'r2', s(Math.floor(rnd() * 60)));
    await c.same('LCS', 'r1', 'r2');
    await c.same('LCS', 'r1', 'r2', 'IDX', 'WITHMATCHLEN');
    await c.same('LCS', 'r1', 'r2', 'IDX', 'MINMATCHLEN', '3');
  }
  await wrongType(ctx, 'l');
  await c.same('LCS', 'a', 'l');
  await c.same('LCS', 'l', 'a', 'FOO');
  await c.same('LCS', 'a', 'b', 'IDX', 'LEN');
});

test('encodings: in-place edits make raw strings, whole-value writes int/embstr/raw', async ({ c }) => {
  const long = 'x'.repeat(45);
  const steps: string[][] = [
    ['SET', 'a', '123'], ['SET', 'b', 'abc'], ['SET', 'c', long], ['SET', 'd', '-0'], ['SET', 'e', '12345678901234567890'],
    ['APPEND', 'f', '12'], ['APPEND', 'g', long], ['APPEND', 'a', ''], ['SETRANGE', 'h', '0', '12'], ['SET', 'i', '7'],
    ['SETRANGE', 'i', '0', ''], ['INCR', 'j'], ['INCRBY', 'b2', '5'], ['SET', 'k', '5'], ['INCR', 'k'], ['APPEND', 'k', '1'],
    ['INCR', 'k'], ['GETSET', 'l', '99'], ['MSET', 'm', '1', 'n', 'x'], ['SETNX', 'o', '1'], ['SETEX', 'p', '100', '1'],
    ['INCRBYFLOAT', 'q', '1.5'], ['INCRBYFLOAT', 'r', '1e50'], ['SET', 's', '9223372036854775808'],
  ];
  for (const step of steps) {
    await c.same(...step);
    await c.same('OBJECT', 'ENCODING', step[1]);
  }
});

test('RESP3 replies: nulls and the LCS IDX map', async (ctx) => {
  const c = await ctx.connect();
  // HELLO belongs to another command group; switch echokv's side of this connection directly.
  await c.redis.call('HELLO', '3');
  const clients = [...ctx.echokv.server.clients.values()];
  clients[clients.length - 1].out.proto = 3;
  await c.all([
    ['GET', 'nope'], ['MSET', 'a', 'ohmytext', 'b', 'mynewtext'], ['MGET', 'a', 'nope'], ['SET', 'a', 'v', 'NX'],
    ['SET', 'a', 'x', 'GET'], ['SET', 'z', 'x', 'GET'], ['GETEX', 'nope'], ['GETDEL', 'nope'], ['GETSET', 'n2', 'v'],
    ['LCS', 'a', 'b', 'IDX'], ['LCS', 'a', 'b', 'IDX', 'WITHMATCHLEN'], ['LCS', 'a', 'nope', 'IDX'],
    ['INCRBYFLOAT', 'f', '1.5'],
  ]);
});

test('COMMAND INFO and COMMAND DOCS metadata match redis-server', async (ctx) => {
  const { c } = ctx;
  const names = ['get', 'set', 'setnx', 'setex', 'psetex', 'mget', 'mset', 'msetnx', 'getset', 'getdel', 'getex',
    'append', 'strlen', 'getrange', 'substr', 'setrange', 'incr', 'decr', 'incrby', 'decrby', 'incrbyfloat', 'lcs'];
  for (const name of names) {
    const info = ((await c.redis.call('COMMAND', 'INFO', name)) as unknown[][])[0];
    const cmd = ctx.echokv.server.commands.get(name);
    assert.ok(cmd, `${name} is registered`);
    const mine = [cmd!.name, cmd!.arity, cmd!.infoFlags, ...(cmd!.spec.keys ?? [0, 0, 0]),
      cmd!.categories.map((x) => '@' + x), [...(cmd!.spec.tips ?? [])]];
    assert.equal(mine, info.slice(0, 8), `COMMAND INFO ${name}`);
    const docs = (await c.redis.call('COMMAND', 'DOCS', name)) as unknown[];
    const d = docs[1] as unknown[];
    const field = (f: string): unknown => d[d.indexOf(f) + 1];
    assert.is(cmd!.spec.summary, field('summary'), `summary of ${name}`);
    assert.is(cmd!.spec.since, field('since'), `since of ${name}`);
    assert.is(cmd!.spec.group, field('group'), `group of ${name}`);
    assert.is(cmd!.spec.complexity, field('complexity'), `complexity of ${name}`);
  }
});

test.run();

// ---------------------------------------------------------------------------------------------
// What each command propagates: Redis's AOF (appendfsync always) against echokv's propagate hook.

const prop = suite('compat: string propagation');


prop('every write propagates what Redis propagates (relative times made absolute)', async () => {
  const redis = await startRedis(['--appendonly', 'yes', '--appendfsync', 'always']);
  if (redis === null) return;
  const echokv = await startEchokv();
  const seen: string[][] = [];
  echokv.server.on('propagate', (_db, argv) => seen.push([...argv]));
  const r = await RespClient.connect(redis.port);
  const e = await RespClient.connect(echokv.port);
  try {
    const now = Date.now();
    const script: string[][] = [
      ['SET', 'a', '1'], ['set', 'b', '2', 'get'], ['SET', 'b', '3', 'GET', 'get', 'XX'], ['SET', 'c', '1', 'EX', '100'],
      ['SET', 'c', '1', 'px', '100000', 'GET'], ['SET', 'c', '2', 'EXAT', String(Math.floor(now / 1000) + 100)],
      ['SET', 'c', '3', 'PXAT', String(now + 100000)], ['SET', 'c', '4', 'KEEPTTL'], ['SET', 'a', '5', 'NX'],
      ['SET', 'zz', '5', 'XX'], ['SETNX', 'a', '1'], ['SETNX', 'd', '1'], ['SETEX', 'e', '100', 'v'],
      ['PSETEX', 'f', '100000', 'v'], ['MSET', 'g', '1', 'h', '2'], ['MSETNX', 'g', '1', 'i', '2'],
      ['MSETNX', 'i', '1', 'j', '2'], ['GETSET', 'g', '9'], ['GETDEL', 'h'], ['GETDEL', 'h'], ['GETEX', 'g'],
      ['GETEX', 'g', 'EX', '100'], ['GETEX', 'g', 'PX', '100000'], ['GETEX', 'g', 'EXAT', String(Math.floor(now / 1000) + 100)],
      ['GETEX', 'g', 'PXAT', String(now + 100000)], ['GETEX', 'g', 'PERSIST'], ['GETEX', 'g', 'PERSIST'],
      ['GETEX', 'g', 'PXAT', '1'], ['APPEND', 'k', 'x'], ['APPEND', 'k', ''], ['SETRANGE', 'k', '0', ''],
      ['SETRANGE', 'k', '0', 'y'], ['SETRANGE', 'nk', '3', ''], ['INCR', 'n'], ['INCRBY', 'n', '0'], ['DECR', 'n'],
      ['DECRBY', 'n', '5'], ['INCR', 'k'], ['INCRBYFLOAT', 'fl', '1.5'], ['INCRBYFLOAT', 'fl', '0.1'],
      ['INCRBYFLOAT', 'fl', 'x'], ['SET', 'c', '1', 'EX', '0'], ['GET', 'a'], ['MGET', 'a', 'b'], ['STRLEN', 'a'],
      ['GETRANGE', 'a', '0', '1'], ['LCS', 'a', 'b'],
    ];
    for (const cmd of script) {
      await r.call(...cmd);
      await e.call(...cmd);
    }
    const aof = readRedisAof(redis.dir);
    // Absolute times differ by the moments each server ran the command: compare them loosely.
    const norm = (list: string[][]): string[] => list.map((a) => a.map((x, i) => {
      const prev = (a[i - 1] ?? '').toUpperCase();
      if ((prev === 'PXAT' || a[0].toUpperCase() === 'PEXPIREAT' && i === 2) && /^\d{13}$/.test(x)) {
        return Math.abs(Number(x) - now) < 200000 ? '<ms>' : x;
      }
      return x;
    }).join(' '));
    assert.equal(norm(seen), norm(aof));
  } finally {
    r.close();
    e.close();
    await echokv.stop();
    await redis.stop();
  }
});

prop.run();

// ---------------------------------------------------------------------------------------------
// Keyspace events: Redis's __keyevent@0__ messages against echokv's notify hook, per class.

const events = suite('compat: string keyspace events');

events('each command fires the events Redis fires, in the same classes', async () => {
  const now = Date.now();
  const script: string[][] = [
    ['SET', 'a', '1'], ['SET', 'a', '2', 'EX', '100'], ['SET', 'a', '3', 'NX'], ['SETNX', 'b', '1'], ['SETNX', 'b', '1'],
    ['SETEX', 'c', '100', 'v'], ['PSETEX', 'c', '100000', 'v'], ['MSET', 'd', '1', 'e', '2'], ['MSETNX', 'f', '1'],
    ['GETSET', 'f', '2'], ['GETDEL', 'f'], ['GETDEL', 'f'], ['GETEX', 'd', 'EX', '100'], ['GETEX', 'd', 'PERSIST'],
    ['GETEX', 'd', 'PERSIST'], ['GETEX', 'd', 'PXAT', String(now - 1000)], ['APPEND', 'g', 'x'], ['APPEND', 'g', 'y'],
    ['SETRANGE', 'g', '5', 'z'], ['SETRANGE', 'g', '0', ''], ['INCR', 'h'], ['DECRBY', 'h', '3'],
    ['INCRBYFLOAT', 'h', '1.5'], ['SET', 'x', 'v', 'PXAT', String(now - 1000)], ['GET', 'x'],
  ];
  await sameKeyspaceEvents(script, ['$', 'g', 'x']);
});

events.run();
