// Sorted set commands against a real redis-server, byte for byte: every command and option, the
// number formats Redis accepts (scores, score ranges, lex ranges, counts), errors and the order
// in which Redis checks them, both encodings (listpack and skiplist) and the conversions between
// them, -0 scores, binary members, RESP3 shapes, random replies checked by their properties;
// then what each write propagates (read from Redis's AOF) and which keyspace events fire.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { type Compat, type CompatContext, compatSuite, readRedisAof, resetZsetLimits, sameKeyspaceEvents, show } from './_compat.ts';
import { prng, RespClient, startEchokv, startRedis } from '../_helpers.ts';
import { plain } from '../_resp.ts';

const test = compatSuite('sorted set');

// Tests change the listpack limits; each starts from Redis's defaults, even after a failure.
test.before.each(resetZsetLimits);

const BIN = 'm\xff\x00\r\nz';

/** `n` members m0000.. with scores 0..n-1 (pairs for ZADD). */
function pairs(n: number, score = (i: number) => String(i), member = (i: number) => 'm' + String(i).padStart(4, '0')): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(score(i), member(i));
  return out;
}

/**
 * A ZSCAN that both answer in one call (cursor 0): the same pairs, in any order (a skiplist's
 * order is its hash table's).
 */
async function sameWholeScan(c: Compat, ...args: string[]): Promise<void> {
  const [r, e] = await c.both('ZSCAN', ...args);
  const pairsOf = (x: unknown): string[] => {
    const [cursor, flat] = x as [string, string[]];
    const out = [cursor];
    for (let i = 0; i < flat.length; i += 2) out.push(show(flat[i]) + '=' + flat[i + 1]);
    return out.sort();
  };
  assert.equal(pairsOf(plain(e.reply)), pairsOf(plain(r.reply)), `ZSCAN ${args.join(' ')}`);
}

/** Both servers' connections switched to RESP3. */
async function resp3(ctx: CompatContext): Promise<Compat> {
  const c = await ctx.connect();
  await c.redis.call('HELLO', '3');
  await c.echo.call('HELLO', '3');
  return c;
}

test('ZADD: every option in every starting state, with one and several pairs', async ({ c }) => {
  const flagSets = [
    [], ['NX'], ['XX'], ['GT'], ['LT'], ['CH'], ['INCR'], ['NX', 'CH'], ['XX', 'CH'], ['GT', 'CH'], ['LT', 'CH'],
    ['XX', 'GT'], ['XX', 'LT'], ['XX', 'GT', 'CH'], ['LT', 'XX', 'CH'], ['INCR', 'NX'], ['INCR', 'XX'], ['INCR', 'GT'],
    ['INCR', 'LT'], ['INCR', 'CH'], ['gt', 'xx', 'ch', 'incr'], ['nx', 'NX'], ['Ch', 'cH'], ['NX', 'XX'], ['GT', 'LT'],
    ['NX', 'GT'], ['LT', 'NX'], ['XX', 'NX', 'GT'],
  ];
  for (const start of [[], ['5', 'a'], ['5', 'a', '9', 'b']]) {
    for (const flags of flagSets) {
      for (const score of ['3', '5', '7', '-inf']) {
        await c.redis.call('DEL', 'k');
        await c.echo.call('DEL', 'k');
        if (start.length > 0) await c.same('ZADD', 'k', ...start);
        await c.same('ZADD', 'k', ...flags, score, 'a');
        await c.same('ZADD', 'k', ...flags, score, 'a', '1', 'b', score, 'c');
        await c.same('ZRANGE', 'k', '0', '-1', 'WITHSCORES');
        await c.same('EXISTS', 'k');
      }
    }
  }
});

test('ZADD and ZINCRBY: argument errors in Redis\'s order, atomicity, NaN results', async ({ c }) => {
  await c.all([
    ['ZADD', 'k', '1', 'a'],
    ['ZADD', 'k'], ['ZADD', 'k', '1'], ['ZADD', 'k', '1', 'a', '2'], ['ZADD', 'k', 'NX'], ['ZADD', 'k', 'NX', 'CH'],
    ['ZADD', 'k', 'NX', 'XX', '1', 'a'], ['ZADD', 'k', 'GT', 'LT', '1', 'a'], ['ZADD', 'k', 'NX', 'GT', '1', 'a'],
    ['ZADD', 'k', 'INCR', '1', 'a', '2', 'b'], ['ZADD', 'k', 'x', 'a'], ['ZADD', 'k', '1', 'a', 'x', 'b'],
    ['ZADD', 'k', 'NX', 'XX', 'x', 'a'], ['ZADD', 'k', 'INCR', 'x', 'a', '1', 'b'], ['ZADD', 'k', 'ch', '1'],
    ['ZADD', 'k', 'NX', 'XX', '1'], ['ZADD', 'k', '1', 'b', 'nan', 'c'], ['ZADD', 'k', 'FOO', '1', 'a'],
    ['ZADD', 'k', '1', 'NX', 'a'], ['ZRANGE', 'k', '0', '-1', 'WITHSCORES'],
    ['ZINCRBY', 'k', 'x', 'a'], ['ZINCRBY', 'k', 'nx', 'a'], ['ZINCRBY', 'k', '1'], ['ZINCRBY', 'k', '1', 'a', 'b'],
    ['ZINCRBY', 'k', '2.5', 'a'], ['ZINCRBY', 'k', '-2.5', 'new'], ['ZINCRBY', 'k2', '0.1', 'a'], ['ZINCRBY', 'k2', '0.2', 'a'],
    ['ZADD', 'k', 'inf', 'i'], ['ZINCRBY', 'k', '-inf', 'i'], ['ZADD', 'k', 'INCR', '-inf', 'i'], ['ZSCORE', 'k', 'i'],
    ['ZINCRBY', 'k', 'inf', 'i'], ['ZADD', 'k', 'INCR', 'XX', '1', 'i'], ['ZADD', 'k', '-inf', 'j'],
    ['ZADD', 'k', 'INCR', 'inf', 'j'], ['ZADD', 'k', 'INCR', 'GT', '-inf', 'j'], ['ZRANGE', 'k', '0', '-1', 'WITHSCORES'],
    ['ZADD', 'nokey', 'XX', 'INCR', '1', 'a'], ['ZADD', 'nokey', 'XX', '1', 'a'], ['EXISTS', 'nokey'],
    ['ZADD', 'k3', 'NX', 'INCR', '1', 'a'], ['ZADD', 'k3', 'NX', 'INCR', '1', 'a'], ['ZADD', 'k3', 'LT', 'INCR', '1', 'a'],
    ['ZADD', 'k3', 'GT', 'INCR', '1', 'a'], ['ZADD', 'k3', 'GT', 'INCR', '0', 'a'], ['ZADD', 'k3', 'CH', 'INCR', '0', 'a'],
  ]);
});

test('scores: what Redis\'s string2d accepts and how each score prints', async ({ c }) => {
  const scores = [
    '1', '-1', '+1', '1.5', '.5', '5.', '1e3', '1E-3', '-0', '+0', '0.0', '-0.0', '0x1p3', '0X1.8P1', '0x10', '0x', '0x1p',
    'inf', '-inf', '+inf', 'INF', 'Infinity', '-infinity', 'infinit', 'nan', '-nan', 'NaN', 'nan(1)', '', ' 1', '1 ',
    '\t1', '1\x00', '\x001', '1e400', '-1e400', '1e-400', '4e-320', '-5e-324', '1e', '1e+', 'abc', '9007199254740993',
    '123456789012345678901234567890', '0.1', '0.3', '1.7976931348623157e308', '1.7976931348623159e308',
    '2.2250738585072014e-308', '5e-324', '2e-324', '3e-324', '0x1.fffffffffffffp1023', '0x1p-1074', '0x1p-1075',
    '0x.8', '1..2', '--1', '1e5.5', '3.14159265358979323846', '100000000000000000000', '1e21', '1e16', '123456.789e3',
    '-2e-5', '0.00001', '0.0001', '1e-4', '1e17', '12345678901234567', '4611686018427387904', '4611686018427387905',
    // Plain digit strings around the 15-digit fast path, and signs alone.
    '007', '-007', '00', '-00', '123456789012345', '-999999999999999', '1234567890123456', '-', '+', '+-1', '-+1', '1-',
  ];
  for (const s of scores) {
    await c.same('ZADD', 'k', s, 'm');
    await c.same('ZSCORE', 'k', 'm');
    await c.same('ZSCAN', 'k', '0');
    await c.same('ZINCRBY', 'k2', s, 'm');
    await c.same('ZADD', 'k', 'INCR', s, 'm');
    await c.same('ZRANGE', 'k', '0', '-1', 'WITHSCORES');
    await c.same('ZSCAN', 'k', '0');
  }
});

test('ZREM, ZCARD, ZSCORE, ZMSCORE, ZRANK, ZREVRANK', async ({ c }) => {
  await c.all([
    ['ZADD', 'k', '1', 'a', '2', 'b', '2', 'c', '3', BIN, '-1', ''],
    ['ZCARD', 'k'], ['ZCARD', 'nokey'], ['ZSCORE', 'k', 'b'], ['ZSCORE', 'k', BIN], ['ZSCORE', 'k', ''], ['ZSCORE', 'k', 'x'],
    ['ZSCORE', 'nokey', 'a'], ['ZMSCORE', 'k', 'a', 'x', BIN, 'a'], ['ZMSCORE', 'nokey', 'a', 'b'], ['ZMSCORE', 'k'],
    ['ZRANK', 'k', 'a'], ['ZRANK', 'k', 'c'], ['ZRANK', 'k', ''], ['ZRANK', 'k', 'x'], ['ZRANK', 'nokey', 'a'],
    ['ZREVRANK', 'k', 'a'], ['ZREVRANK', 'k', BIN], ['ZREVRANK', 'k', 'x'], ['ZRANK', 'k', 'a', 'WITHSCORE'],
    ['ZREM', 'k', 'x'], ['ZREM', 'k', 'a', 'a', 'x', 'b'], ['ZREM', 'nokey', 'a'], ['ZREM', 'k'], ['ZCARD', 'k'],
    ['ZREM', 'k', 'c', BIN, '', 'more', 'after'], ['EXISTS', 'k'], ['ZCARD', 'k'],
  ]);
  // The same on a skiplist-encoded set.
  await c.same('ZADD', 'big', ...pairs(300, (i) => String(i % 7)));
  for (const m of ['m0000', 'm0150', 'm0299', 'nope']) {
    await c.all([['ZRANK', 'big', m], ['ZREVRANK', 'big', m], ['ZSCORE', 'big', m]]);
  }
  await c.all([['ZMSCORE', 'big', 'm0001', 'm0002', 'x'], ['ZREM', 'big', 'm0001', 'm0002', 'x'], ['ZCARD', 'big'],
    ['ZRANK', 'big', 'm0003'], ['OBJECT', 'ENCODING', 'big']]);
});

const SCORE_BOUNDS = [
  '-inf', '+inf', 'inf', '(-inf', '(+inf', '0', '(0', '1', '(1', '2.5', '(2.5', '3', '(3', '10', '(10', '-1', '-0',
  '(-0', '', '(', ' 1', '\t2', '1\x00junk', '(1\x00', '\x00', 'abc', 'nan', '(nan', '1e400', '(1e400', '-1e400', '0x2',
  '1e', ' ', '((1', '(inf', '-infinity',
];

test('score ranges: ZCOUNT, ZRANGEBYSCORE, ZREVRANGEBYSCORE, ZRANGE BYSCORE, every bound form', async ({ c }) => {
  await c.same('ZADD', 'k', '-inf', 'ninf', '-1', 'n1', '0', 'z', '1', 'a', '2.5', 'b', '2.5', 'b2', '3', 'c', '10', 'd', 'inf', 'pinf');
  await c.same('ZADD', 'big', ...pairs(200, (i) => String((i % 13) - 2)));
  const some = ['-inf', '(0', '1', '(2.5', '3', '+inf', '', 'abc'];
  for (const key of ['k', 'big']) {
    for (const a of SCORE_BOUNDS) {
      for (const b of some) {
        await c.same('ZCOUNT', key, a, b);
        await c.same('ZCOUNT', key, b, a);
        await c.same('ZRANGEBYSCORE', key, a, b, 'WITHSCORES');
        await c.same('ZREVRANGEBYSCORE', key, b, a, 'WITHSCORES');
      }
    }
  }
  await c.all([['ZCOUNT', 'nokey', '0', '1'], ['ZCOUNT', 'nokey', 'x', '1'], ['ZRANGEBYSCORE', 'nokey', '0', '1']]);
});

test('score ranges with LIMIT, on both encodings, forward and reversed', async ({ c }) => {
  await c.same('ZADD', 'k', ...pairs(20, (i) => String(i % 5)));
  await c.same('ZADD', 'big', ...pairs(300, (i) => String(i % 11)));
  const limits = [['0', '-1'], ['0', '0'], ['0', '1'], ['1', '3'], ['5', '100'], ['19', '5'], ['20', '5'], ['299', '1'],
    ['300', '1'], ['-1', '5'], ['3', '-7'], ['2', '9223372036854775807'], ['9223372036854775807', '1']];
  for (const key of ['k', 'big']) {
    for (const [min, max] of [['-inf', '+inf'], ['1', '3'], ['(1', '(3'], ['2', '2'], ['(2', '2'], ['4', '1']]) {
      for (const [off, cnt] of limits) {
        await c.same('ZRANGEBYSCORE', key, min, max, 'LIMIT', off, cnt);
        await c.same('ZREVRANGEBYSCORE', key, max, min, 'WITHSCORES', 'LIMIT', off, cnt);
        await c.same('ZRANGE', key, min, max, 'BYSCORE', 'LIMIT', off, cnt, 'WITHSCORES');
        await c.same('ZRANGE', key, max, min, 'BYSCORE', 'REV', 'LIMIT', off, cnt);
      }
    }
  }
});

const LEX_BOUNDS = [
  '-', '+', '[a', '(a', '[b', '(b', '[', '(', '[\xff', '(\xff', 'a', '', '+\x00x', '-\x00', '-x', '+x', '[c\x00d',
  '(aa', '[ab', '(\x00', '[\x00',
];

test('lex ranges: ZLEXCOUNT, ZRANGEBYLEX, ZREVRANGEBYLEX, ZRANGE BYLEX, every bound form', async ({ c }) => {
  const members = ['', 'a', 'aa', 'ab', 'b', 'c', 'c\x00d', '\xff', '\x00', 'B', 'ba'];
  await c.same('ZADD', 'k', ...members.flatMap((m) => ['0', m]));
  // A skiplist: 200 members with equal scores.
  await c.same('ZADD', 'big', ...pairs(200, () => '0', (i) => String.fromCharCode(97 + (i % 26)) + String(i)), ...members.flatMap((m) => ['0', m]));
  for (const key of ['k', 'big']) {
    for (const a of LEX_BOUNDS) {
      for (const b of ['-', '+', '[b', '(c', '(\xff', 'x']) {
        await c.same('ZLEXCOUNT', key, a, b);
        await c.same('ZLEXCOUNT', key, b, a);
        await c.same('ZRANGEBYLEX', key, a, b);
        await c.same('ZREVRANGEBYLEX', key, b, a);
        await c.same('ZRANGE', key, a, b, 'BYLEX', 'LIMIT', '1', '3');
        await c.same('ZRANGE', key, b, a, 'BYLEX', 'REV', 'LIMIT', '2', '-1');
      }
    }
  }
  await c.all([['ZLEXCOUNT', 'nokey', '-', '+'], ['ZLEXCOUNT', 'nokey', 'x', '+'], ['ZRANGEBYLEX', 'nokey', '-', '+'],
    ['ZRANGEBYLEX', 'k', '-', '+', 'WITHSCORES'], ['ZRANGEBYLEX', 'k', '-', '+', 'LIMIT', '1'],
    ['ZRANGEBYLEX', 'k', '-', '+', 'LIMIT', '-1', '1'], ['ZRANGEBYLEX', 'k', '-', '+', 'LIMIT', '11', '1'],
    ['ZRANGEBYLEX', 'k', '-', '+', 'LIMIT', '10', '5'], ['ZREVRANGEBYLEX', 'k', '+', '-', 'LIMIT', '3', '0']]);
});

test('lex ranges over a small set with mixed scores walk it as Redis\'s listpack code does', async ({ c }) => {
  await c.same('ZADD', 'k', '1', 'd', '2', 'a', '3', 'c', '4', 'b', '5', 'e');
  for (const a of ['-', '[a', '(b', '[c', '(d', '[e', '+']) {
    for (const b of ['-', '[a', '(b', '[c', '(d', '[e', '+']) {
      await c.same('ZLEXCOUNT', 'k', a, b);
      await c.same('ZRANGEBYLEX', 'k', a, b);
      await c.same('ZREVRANGEBYLEX', 'k', b, a);
      await c.same('ZRANGE', 'k', a, b, 'BYLEX', 'LIMIT', '1', '2');
    }
  }
  for (const [a, b] of [['[b', '+'], ['-', '[c'], ['(a', '(e'], ['[c', '[c']]) {
    await c.same('ZADD', 'r', '1', 'd', '2', 'a', '3', 'c', '4', 'b', '5', 'e');
    await c.same('ZREMRANGEBYLEX', 'r', a, b);
    await c.same('ZRANGE', 'r', '0', '-1', 'WITHSCORES');
    await c.same('DEL', 'r');
  }
});

test('ZRANGE and ZREVRANGE by rank: every kind of start and stop, both encodings', async ({ c }) => {
  await c.same('ZADD', 'k', '1', 'a', '2', 'b', '3', 'c', '3', 'd', '4', 'e');
  await c.same('ZADD', 'big', ...pairs(200, (i) => String(i % 9)));
  const idx = ['-300', '-201', '-200', '-199', '-6', '-5', '-2', '-1', '0', '1', '3', '4', '5', '198', '199', '200', '300',
    '9223372036854775807', '-9223372036854775808'];
  for (const key of ['k', 'big']) {
    for (const a of idx) {
      for (const b of idx) {
        await c.same('ZRANGE', key, a, b);
        await c.same('ZREVRANGE', key, a, b, 'WITHSCORES');
      }
      await c.same('ZRANGE', key, a, '-1', 'REV', 'WITHSCORES');
    }
  }
  await c.all([['ZRANGE', 'k', '0', '-1', 'LIMIT', '0', '-1'], ['ZRANGE', 'nokey', '0', '-1'], ['ZREVRANGE', 'nokey', '0', '-1'],
    ['ZRANGE', 'k', 'a', '1'], ['ZRANGE', 'k', '1', 'x'], ['ZRANGE', 'k', '1.5', '2'], ['ZRANGE', 'k', '9223372036854775808', '1'],
    ['ZREVRANGE', 'k', '0', '-1', 'BYSCORE'], ['ZREVRANGE', 'k', '0', '-1', 'WITHSCORES', 'WITHSCORES'],
    ['ZREVRANGE', 'k', '0', '-1', 'REV'], ['ZREVRANGE', 'k', '0'], ['ZRANGE', 'k', '0']]);
});

test('ZRANGE options: parsing order, conflicts and errors', async ({ c }) => {
  await c.same('ZADD', 'k', '1', 'a', '2', 'b', '3', 'c');
  await c.all([
    ['ZRANGE', 'k', '0', '-1', 'LIMIT', '0', '1'], ['ZRANGE', 'k', '0', '-1', 'LIMIT', '0', '-1', 'WITHSCORES'],
    ['ZRANGE', 'k', '[a', '[c', 'BYLEX', 'WITHSCORES'], ['ZRANGE', 'k', '0', '-1', 'BYSCORE', 'BYLEX'],
    ['ZRANGE', 'k', '0', '-1', 'REV', 'REV'], ['ZRANGE', 'k', '0', '-1', 'BYSCORE', 'BYSCORE'], ['ZRANGE', 'k', '0', '1', 'LIMIT', 'x', '1'],
    ['ZRANGE', 'k', '0', '1', 'LIMIT', '1'], ['ZRANGE', 'k', '0', '1', 'LIMIT'], ['ZRANGE', 'k', 'x', '1', 'BYSCORE'],
    ['ZRANGE', 'k', 'x', '1', 'BYLEX'], ['ZRANGE', 'k', '0', '1', 'LIMIT', '0', 'x', 'FOO'], ['ZRANGE', 'k', '0', '1', 'FOO', 'LIMIT', 'x', '1'],
    ['ZRANGE', 'k', 'x', 'y', 'LIMIT', '0', '1'], ['ZRANGE', 'k', 'x', 'y', 'BYLEX', 'WITHSCORES'],
    ['ZRANGE', 'k', '(1', '+inf', 'byscore', 'rev'], ['ZRANGE', 'k', '+inf', '(1', 'bYsCoRe', 'Rev', 'withscores'],
    ['ZRANGE', 'k', '0', '-1', 'WITHSCORES\x00x'], ['ZRANGE', 'k', '0', '-1', 'WITHSCORE'],
    ['ZRANGEBYSCORE', 'k', '-inf', '+inf', 'REV'], ['ZRANGEBYSCORE', 'k', '-inf', '+inf', 'BYLEX'],
    ['ZRANGEBYSCORE', 'k', '1', '5', 'LIMIT', '0'], ['ZRANGEBYSCORE', 'k', '1', '5', 'WITHSCORES', 'WITHSCORES'],
    ['ZRANGEBYSCORE', 'k', '1', '5', 'LIMIT', '0', '1', 'LIMIT', '1', '1'], ['ZRANGEBYLEX', 'k', '-', '+', 'BYSCORE'],
    ['ZREVRANGEBYLEX', 'k', '+', '-', 'REV'], ['ZRANGEBYSCORE', 'k', '1'], ['ZRANGEBYLEX', 'k', '-'],
  ]);
});

test('ZRANGESTORE: results, encodings and -0, empty results delete the destination, errors', async ({ c }) => {
  await c.same('ZADD', 'k', '1', 'a', '2', 'b', '3', 'c', '4', 'd');
  await c.same('ZADD', 'big', ...pairs(200, (i) => String(i % 17)));
  await c.all([
    ['ZRANGESTORE', 'd', 'k', '0', '-1'], ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'], ['OBJECT', 'ENCODING', 'd'],
    ['ZRANGESTORE', 'd', 'k', '1', '2', 'REV'], ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
    ['ZRANGESTORE', 'd', 'k', '(1', '+inf', 'BYSCORE', 'LIMIT', '1', '5'], ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
    ['ZRANGESTORE', 'd', 'k', '[c', '-', 'BYLEX', 'REV'], ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
    ['ZRANGESTORE', 'd', 'big', '0', '127'], ['OBJECT', 'ENCODING', 'd'], ['ZCARD', 'd'],
    ['ZRANGESTORE', 'd', 'big', '0', '128'], ['OBJECT', 'ENCODING', 'd'],
    ['ZRANGESTORE', 'd', 'big', '-inf', '+inf', 'BYSCORE', 'LIMIT', '0', '128'], ['OBJECT', 'ENCODING', 'd'],
    ['ZRANGESTORE', 'd', 'big', '-inf', '+inf', 'BYSCORE', 'LIMIT', '0', '129'], ['OBJECT', 'ENCODING', 'd'],
    ['ZRANGESTORE', 'd', 'big', '+inf', '-inf', 'BYSCORE', 'REV'], ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
    ['ZRANGESTORE', 'k', 'k', '1', '2'], ['ZRANGE', 'k', '0', '-1', 'WITHSCORES'],
    ['SET', 's', 'v'], ['EXPIRE', 'd', '100'], ['ZRANGESTORE', 'd', 'k', '0', '0'], ['TTL', 'd'],
    ['ZRANGESTORE', 's', 'k', '0', '0'], ['TYPE', 's'], ['ZRANGESTORE', 'd', 'k', '5', '10'], ['EXISTS', 'd'],
    ['ZRANGESTORE', 'd', 'nokey', '0', '-1'], ['ZRANGESTORE', 'd', 'k', '0', '-1', 'WITHSCORES'],
    ['ZRANGESTORE', 'd', 'k', '0', '-1', 'LIMIT', '0', '1'], ['SET', 'str', 'x'], ['ZRANGESTORE', 'd', 'str', '0', '-1'],
    ['ZRANGESTORE', 'd', 'k', '0'], ['ZRANGESTORE', 'd', 'k', 'x', '1'],
  ]);
  // A long member makes the destination a skiplist; -0 scores survive only there.
  await c.all([
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '0'], ['ZADD', 'neg', '-0', 'a', '-0', 'b', '0', 'c'],
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '2'],
    ['ZRANGESTORE', 'd', 'neg', '-inf', '+inf', 'BYSCORE'], ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'], ['OBJECT', 'ENCODING', 'd'],
    ['ZRANGESTORE', 'd', 'neg', '0', '-1'], ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'], ['OBJECT', 'ENCODING', 'd'],
    ['ZRANGESTORE', 'd', 'neg', '0', '1'], ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'], ['OBJECT', 'ENCODING', 'd'],
    ['ZRANGESTORE', 'd', 'neg', '+inf', '-inf', 'BYSCORE', 'REV'], ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
    ['ZADD', 'long', '1', 'x'.repeat(65), '2', 'y'], ['ZRANGESTORE', 'd', 'long', '1', '1'], ['OBJECT', 'ENCODING', 'd'],
    ['ZRANGESTORE', 'd', 'long', '0', '0'], ['OBJECT', 'ENCODING', 'd'],
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'],
  ]);
});

test('ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX: ranges, removing the key, errors', async ({ c }) => {
  const rank = [['0', '0'], ['0', '-1'], ['1', '2'], ['-2', '-1'], ['5', '10'], ['3', '1'], ['-100', '1'], ['-1', '-100'],
    ['0', '9223372036854775807'], ['x', '1'], ['1', 'y'], ['1.5', '2']];
  const score = [['-inf', '+inf'], ['(1', '3'], ['2', '(3'], ['5', '1'], ['(2', '(2'], ['x', '1'], ['', ''], ['1\x00', '(3\x00']];
  const lex = [['-', '+'], ['[b', '(d'], ['(a', '[c'], ['+', '-'], ['a', '+'], ['[', '+'], ['-', '(']];
  for (const size of [5, 300]) {
    const data = pairs(size, (i) => size > 5 ? '0' : String(i), (i) => String.fromCharCode(97 + (i % 5)) + String(i));
    for (const [cmd, ranges] of [['ZREMRANGEBYRANK', rank], ['ZREMRANGEBYSCORE', score], ['ZREMRANGEBYLEX', lex]] as const) {
      for (const [a, b] of ranges) {
        await c.same('DEL', 'k');
        await c.same('ZADD', 'k', ...data);
        await c.same(cmd, 'k', a, b);
        await c.same('ZRANGE', 'k', '0', '-1', 'WITHSCORES');
        await c.same('EXISTS', 'k');
      }
      await c.same(cmd, 'nokey', '0', '1');
    }
  }
  await c.all([['SET', 's', 'v'], ['ZREMRANGEBYRANK', 's', '0', '1'], ['ZREMRANGEBYSCORE', 's', '0', '1'],
    ['ZREMRANGEBYLEX', 's', '-', '+'], ['ZREMRANGEBYRANK', 's', 'x', '1'], ['ZREMRANGEBYSCORE', 's', 'x', '1'],
    ['ZREMRANGEBYLEX', 's', 'x', '+'], ['ZREMRANGEBYRANK', 'k', '0']]);
});

test('ZPOPMIN, ZPOPMAX and ZMPOP: counts, order, emptying the key, errors', async ({ c }) => {
  for (const size of [6, 200]) {
    await c.same('DEL', 'k');
    await c.same('ZADD', 'k', ...pairs(size, (i) => String(i % 4)));
    await c.all([
      ['ZPOPMIN', 'k'], ['ZPOPMAX', 'k'], ['ZPOPMIN', 'k', '0'], ['ZPOPMIN', 'k', '1'], ['ZPOPMAX', 'k', '2'],
      ['ZPOPMIN', 'k', '-1'], ['ZPOPMIN', 'k', 'x'], ['ZPOPMIN', 'k', '1', '2'], ['ZPOPMIN', 'k', '1.5'],
      ['ZMPOP', '1', 'k', 'MIN'], ['ZMPOP', '1', 'k', 'MAX', 'COUNT', '3'], ['ZMPOP', '2', 'nokey', 'k', 'min', 'count', '2'],
      ['ZCARD', 'k'], ['ZPOPMAX', 'k', '9223372036854775807'], ['EXISTS', 'k'], ['ZPOPMIN', 'k'], ['ZPOPMIN', 'k', '5'],
      ['ZMPOP', '1', 'k', 'MIN'],
    ]);
  }
  await c.all([
    ['SET', 's', 'v'], ['ZADD', 'z', '1', 'a'], ['ZPOPMIN', 's'], ['ZPOPMIN', 's', '0'], ['ZPOPMIN', 's', '-1'], ['ZPOPMIN', 'nokey', '0'],
    ['ZMPOP', '0', 'k', 'MIN'], ['ZMPOP', '-1', 'k', 'MIN'], ['ZMPOP', 'abc', 'k', 'MIN'], ['ZMPOP', '1', 'k', 'MIN', 'COUNT', '1', 'COUNT', '2'],
    ['ZMPOP', '1', 'k', 'MIN', 'COUNT'], ['ZMPOP', '1', 'k'], ['ZMPOP', '1', 'k', 'min', 'count', '-1'], ['ZMPOP', '1', 'k', 'min', 'count', '0'],
    ['ZMPOP', '2', 'k', 's', 'MIN'], ['ZMPOP', '2', 's', 'z', 'MIN'], ['ZMPOP', '2', 'z', 's', 'MAX'], ['ZMPOP', '1', 'k', 'MAX'],
    ['ZMPOP', '9999999999999999999', 'k', 'MIN'], ['ZMPOP', '1', 'k', 'MIN', 'COUNT', 'abc'], ['ZMPOP', '3', 'k', 'z'],
    ['ZMPOP', '1', 'k', 'FOO'], ['ZMPOP', '1', 'k', 'MIN', 'FOO'], ['ZMPOP', '1', 'k', 'MIN', 'COUNT', '1', 'FOO'],
    ['ZMPOP', '2', 'k', 'MIN'],
  ]);
});

test('ZUNION, ZINTER, ZDIFF and their STORE forms: sets as inputs, weights, aggregates, inf and NaN', async ({ c }) => {
  await c.all([
    ['ZADD', 'a', '1', 'x', '2', 'y', '3', 'w', 'inf', 'i', '-inf', 'n'], ['ZADD', 'b', '3', 'y', '4', 'z', '1', 'w', '-inf', 'i', 'inf', 'n'],
    ['SADD', 's', 'y', 'q', 'x'], ['SADD', 'ints', '1', '2', '3'], ['ZADD', 'nums', '5', '1', '6', '2'], ['SET', 'str', 'v'],
  ]);
  const inputs = [['1', 'a'], ['2', 'a', 'b'], ['2', 'b', 'a'], ['3', 'a', 'b', 's'], ['2', 's', 'a'], ['2', 'a', 'nokey'],
    ['2', 'nokey', 'a'], ['2', 'ints', 'nums'], ['2', 'a', 'a'], ['1', 's'], ['3', 'a', 'a', 'b']];
  const options = [[], ['WITHSCORES'], ['WEIGHTS'], ['AGGREGATE', 'MIN', 'WITHSCORES'], ['AGGREGATE', 'max', 'WITHSCORES'],
    ['aggregate', 'sum', 'withscores', 'withscores']];
  for (const keys of inputs) {
    const n = Number(keys[0]);
    const weightSets = [Array(n).fill('2'), Array(n).fill('-1'), Array(n).fill('0'), Array(n).fill('inf'), Array(n).fill('0.5'),
      Array(n).fill('-inf')];
    for (const cmd of ['ZUNION', 'ZINTER']) {
      for (const opt of options) await c.same(cmd, ...keys, ...opt);
      for (const w of weightSets) {
        await c.same(cmd, ...keys, 'WEIGHTS', ...w, 'WITHSCORES');
        await c.same(cmd, ...keys, 'WEIGHTS', ...w, 'AGGREGATE', 'MIN', 'WITHSCORES');
        await c.same(cmd, ...keys, 'AGGREGATE', 'MAX', 'WEIGHTS', ...w, 'WITHSCORES');
      }
    }
    await c.same('ZDIFF', ...keys);
    await c.same('ZDIFF', ...keys, 'WITHSCORES');
    for (const cmd of ['ZUNIONSTORE', 'ZINTERSTORE', 'ZDIFFSTORE']) {
      await c.same(cmd, 'dst', ...keys);
      await c.same('ZRANGE', 'dst', '0', '-1', 'WITHSCORES');
      await c.same('OBJECT', 'ENCODING', 'dst');
    }
    await c.same('ZUNIONSTORE', 'dst', ...keys, 'WEIGHTS', ...weightSets[1], 'AGGREGATE', 'MAX');
    await c.same('ZRANGE', 'dst', '0', '-1', 'WITHSCORES');
    await c.same('ZINTERCARD', ...keys);
    await c.same('ZINTERCARD', ...keys, 'LIMIT', '1');
  }
  await c.all([
    ['ZUNIONSTORE', 'd', '0', 'a'], ['ZUNION', '0', 'a'], ['ZINTERCARD', '0', 'a'], ['ZDIFF', '0', 'a'], ['ZINTERCARD', '-1', 'a'],
    ['ZINTERSTORE', 'd', '-5', 'a'], ['ZDIFFSTORE', 'd', '0', 'a'], ['ZINTERCARD', 'x', 'a'], ['ZUNION', '3', 'a', 'b'],
    ['ZUNION', '2', 'a', 'b', 'WEIGHTS', '1'], ['ZUNION', '2', 'a', 'b', 'WEIGHTS', '1', 'x'], ['ZUNION', '2', 'a', 'b', 'WEIGHTS', '1', 'nan'],
    ['ZUNION', '2', 'a', 'b', 'WEIGHTS', '1', '1e400'], ['ZUNION', '2', 'a', 'b', 'AGGREGATE', 'foo'], ['ZUNION', '2', 'a', 'b', 'AGGREGATE'],
    ['ZUNIONSTORE', 'd', '2', 'a', 'b', 'WITHSCORES'], ['ZDIFF', '2', 'a', 'b', 'WEIGHTS', '1', '1'], ['ZDIFF', '2', 'a', 'b', 'AGGREGATE', 'MIN'],
    ['ZINTERCARD', '2', 'a', 'b', 'LIMIT', '-1'], ['ZINTERCARD', '2', 'a', 'b', 'LIMIT', 'x'], ['ZINTERCARD', '2', 'a', 'b', 'LIMIT', '0'],
    ['ZINTERCARD', '2', 'a', 'b', 'WITHSCORES'], ['ZINTERCARD', '2', 'a', 'b', 'LIMIT'], ['ZINTERCARD', '1', 'b', 'LIMIT', '1', 'LIMIT', '5'],
    ['ZINTERCARD', '2', 'a', 'b', 'WEIGHTS', '1', '2'], ['ZUNION', '2', 'a', 'str'], ['ZUNION', '2', 'str', 'nokey', 'x'],
    ['ZUNION', '2', 'a', 'str', 'x'], ['ZINTERCARD', '2', 'str', 'a', 'LIMIT', '-1'], ['ZUNIONSTORE', 'str', '1', 'a'], ['TYPE', 'str'],
    ['ZUNION', '1', 'nokey'], ['ZINTER', '2', 'a', 'nokey'], ['EXPIRE', 'a2', '100'], ['ZUNIONSTORE', 'a2', '1', 'a'], ['TTL', 'a2'],
    ['ZUNIONSTORE', 'a2', '1', 'nokey'], ['EXISTS', 'a2'], ['ZINTERSTORE', 'a', '2', 'a', 'b'], ['ZRANGE', 'a', '0', '-1', 'WITHSCORES'],
    ['ZUNION', '9223372036854775807', 'a'], ['ZUNION', '1', 'b', 'WEIGHTS'], ['ZUNION', '1', 'b', 'WEIGHTS', '2', 'WEIGHTS', '3', 'WITHSCORES'],
  ]);
  // Results past the listpack limits are stored as skiplists.
  await c.same('ZADD', 'big', ...pairs(150));
  await c.same('ZADD', 'long', '1', 'x'.repeat(65));
  for (const keys of [['1', 'big'], ['2', 'big', 'long'], ['2', 'long', 'big']]) {
    for (const cmd of ['ZUNIONSTORE', 'ZINTERSTORE', 'ZDIFFSTORE']) {
      await c.same(cmd, 'dst', ...keys);
      await c.same('OBJECT', 'ENCODING', 'dst');
      await c.same('ZRANGE', 'dst', '0', '-1', 'WITHSCORES');
    }
  }
});

test('ZRANDMEMBER: replies checked by their properties, and the deterministic cases exactly', async ({ c }) => {
  await c.same('ZADD', 'small', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e');
  await c.same('ZADD', 'big', ...pairs(300, (i) => String(i / 4)));
  const scoreOf = async (key: string): Promise<Map<string, string>> => {
    const flat = (await c.redis.call('ZRANGE', key, '0', '-1', 'WITHSCORES')) as string[];
    const m = new Map<string, string>();
    for (let i = 0; i < flat.length; i += 2) m.set(flat[i], flat[i + 1]);
    return m;
  };
  for (const key of ['small', 'big']) {
    const all = await scoreOf(key);
    const size = all.size;
    for (const count of [1, 2, 4, size - 1, size, size + 5, -1, -3, -(size + 7), 0]) {
      for (const withScores of [false, true]) {
        const args = withScores ? ['ZRANDMEMBER', key, String(count), 'WITHSCORES'] : ['ZRANDMEMBER', key, String(count)];
        const [r, e] = await c.both(...args);
        for (const [who, raw] of [['redis', r], ['echokv', e]] as const) {
          const flat = (raw.reply as { value: { value: string }[] }).value.map((x) => x.value);
          const members = withScores ? flat.filter((_x, i) => i % 2 === 0) : flat;
          const expected = count >= 0 ? Math.min(count, size) : -count;
          assert.is(members.length, expected, `${who}: count of ${args.join(' ')}`);
          for (const m of members) assert.ok(all.has(m), `${who}: ${m} is a member`);
          if (count > 0) assert.is(new Set(members).size, members.length, `${who}: distinct members`);
          if (withScores) for (let i = 0; i < flat.length; i += 2) assert.is(flat[i + 1], all.get(flat[i]), `${who}: score of ${flat[i]}`);
        }
        // The whole set comes back in a fixed order (from the highest score down).
        if (count >= size) assert.is(show(e.bytes), show(r.bytes), `reply to ${args.join(' ')}`);
      }
    }
    // Without a count: one member, a bulk string.
    for (let i = 0; i < 10; i++) {
      const m = (await c.echo.call('ZRANDMEMBER', key)) as string;
      assert.ok(all.has(m));
    }
  }
  // A negative count draws independently: with 2 members and 200 draws both show up.
  await c.same('ZADD', 'two', '1', 'a', '2', 'b');
  const draws = (await c.echo.call('ZRANDMEMBER', 'two', '-200')) as string[];
  assert.equal(new Set(draws), new Set(['a', 'b']));
  await c.all([
    ['ZRANDMEMBER', 'nokey'], ['ZRANDMEMBER', 'nokey', '5'], ['ZRANDMEMBER', 'nokey', '-5', 'WITHSCORES'], ['ZRANDMEMBER', 'small', '0'],
    ['ZRANDMEMBER', 'small', '-9223372036854775808'], ['ZRANDMEMBER', 'small', '9223372036854775807'],
    ['ZRANDMEMBER', 'small', '4611686018427387904', 'WITHSCORES'], ['ZRANDMEMBER', 'small', '-4611686018427387904', 'WITHSCORES'],
    ['ZRANDMEMBER', 'small', '4611686018427387903', 'WITHSCORES'], ['ZRANDMEMBER', 'small', '1', 'withscore'],
    ['ZRANDMEMBER', 'small', '1', 'WITHSCORES', 'x'], ['ZRANDMEMBER', 'small', 'x'], ['ZRANDMEMBER', 'nokey', 'x'],
    ['ZRANDMEMBER', 'small', '1.5'], ['SET', 's', 'v'], ['ZRANDMEMBER', 's', '0'], ['ZRANDMEMBER', 's'], ['ZRANDMEMBER', 's', 'x'],
  ]);
});

test('ZSCAN: a listpack whole and exact, a skiplist by cursor; MATCH, COUNT and errors', async ({ c }) => {
  await c.same('ZADD', 'small', '1.5', 'a', '2', 'b', '-0', 'c', '1e20', 'd', 'inf', 'e', '123456789012345678', 'f', '-9.5e18', 'g', BIN, 'h');
  await c.all([
    ['ZSCAN', 'small', '0'], ['ZSCAN', 'small', '0', 'MATCH', '*a*'], ['ZSCAN', 'small', '0', 'MATCH', 'm*'], ['ZSCAN', 'small', '7'],
    ['ZSCAN', 'small', '0', 'COUNT', '1'], ['ZSCAN', 'small', '0', 'MATCH', '*', 'COUNT', '1000'], ['ZSCAN', 'small', 'abc'],
    ['ZSCAN', 'nokey', '0'], ['ZSCAN', 'small', '0', 'COUNT', '0'], ['ZSCAN', 'small', '0', 'TYPE', 'zset'], ['ZSCAN', 'nokey', 'x'],
    ['ZSCAN', 'nokey', '0', 'COUNT', '0'], ['ZSCAN', 'small', '0', 'MATCH'], ['ZSCAN', 'small', '0', 'COUNT', 'x'],
    ['ZSCAN', 'small', '-1'], ['ZSCAN', 'small', '18446744073709551616'], ['SET', 's', 'v'], ['ZSCAN', 's', '0'], ['ZSCAN', 's', 'x'],
    ['ZSCAN', 's', '0', 'COUNT', '0'],
  ]);
  await c.same('ZADD', 'big', ...pairs(500, (i) => String(i * 1.5)));
  for (const [pattern, count] of [[null, '10'], ['m00*', '7'], [null, '1000'], ['*9', '1']] as const) {
    const seen = { redis: new Map<string, string>(), echokv: new Map<string, string>() };
    for (const [who, cl] of [['redis', c.redis], ['echokv', c.echo]] as const) {
      let cursor = '0';
      let calls = 0;
      do {
        const args = ['ZSCAN', 'big', cursor, 'COUNT', count, ...(pattern === null ? [] : ['MATCH', pattern])];
        const [next, flat] = (await cl.call(...args)) as [string, string[]];
        for (let i = 0; i < flat.length; i += 2) seen[who].set(flat[i], flat[i + 1]);
        cursor = next;
        assert.ok(++calls < 2000, 'the iteration ends');
      } while (cursor !== '0');
    }
    assert.equal([...seen.echokv].sort(), [...seen.redis].sort(), `ZSCAN big MATCH ${pattern} COUNT ${count}`);
  }
});

test('encodings: the listpack limits, one-way conversion, CONFIG SET of the limits', async ({ c }) => {
  const dup: string[] = [];
  for (let i = 0; i < 129; i++) dup.push('1', 'a');
  await c.all([
    ['ZADD', 'k1', ...dup], ['OBJECT', 'ENCODING', 'k1'], ['ZADD', 'k2', ...pairs(128)], ['OBJECT', 'ENCODING', 'k2'],
    ['ZADD', 'k2', '1', 'one-more'], ['OBJECT', 'ENCODING', 'k2'], ['ZREMRANGEBYRANK', 'k2', '0', '-3'], ['OBJECT', 'ENCODING', 'k2'],
    ['ZADD', 'k3', '1', 'y'.repeat(64)], ['OBJECT', 'ENCODING', 'k3'], ['ZADD', 'k4', '1', 'y'.repeat(65)], ['OBJECT', 'ENCODING', 'k4'],
    ['ZADD', 'k5', '1', 'a', '2', 'y'.repeat(65)], ['OBJECT', 'ENCODING', 'k5'], ['ZADD', 'k6', '1', 'y'.repeat(65), '2', 'b'],
    ['ZREM', 'k6', 'y'.repeat(65)], ['OBJECT', 'ENCODING', 'k6'], ['ZADD', 'k7', 'NX', '1', 'y'.repeat(65)], ['OBJECT', 'ENCODING', 'k7'],
    ['ZINCRBY', 'k8', '1', 'y'.repeat(65)], ['OBJECT', 'ENCODING', 'k8'], ['ZADD', 'k9', '1', 'a'],
    ['ZADD', 'k9', 'XX', '1', 'a', '1', 'y'.repeat(65)], ['OBJECT', 'ENCODING', 'k9'], ['ZADD', 'k9', 'GT', '1', 'y'.repeat(65)],
    ['OBJECT', 'ENCODING', 'k9'], ['COPY', 'k9', 'k9copy'], ['OBJECT', 'ENCODING', 'k9copy'], ['COPY', 'k3', 'k3copy'],
    ['OBJECT', 'ENCODING', 'k3copy'], ['ZRANGE', 'k9copy', '0', '-1', 'WITHSCORES'],
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '3'], ['CONFIG', 'SET', 'zset-max-listpack-value', '4'],
    ['ZADD', 'c1', '1', 'a', '2', 'b', '3', 'c'], ['OBJECT', 'ENCODING', 'c1'], ['ZADD', 'c1', '4', 'd'], ['OBJECT', 'ENCODING', 'c1'],
    ['ZADD', 'c2', '1', 'abcd'], ['OBJECT', 'ENCODING', 'c2'], ['ZADD', 'c2', '1', 'abcde'], ['OBJECT', 'ENCODING', 'c2'],
    ['ZADD', 'c3', '1', 'abcde'], ['OBJECT', 'ENCODING', 'c3'], ['CONFIG', 'SET', 'zset-max-listpack-entries', '0'],
    ['ZADD', 'c4', '1', 'a'], ['OBJECT', 'ENCODING', 'c4'], ['ZINCRBY', 'c5', '1', 'a'], ['OBJECT', 'ENCODING', 'c5'],
    ['ZUNIONSTORE', 'c6', '1', 'c1'], ['OBJECT', 'ENCODING', 'c6'], ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'],
    ['CONFIG', 'SET', 'zset-max-listpack-value', '64'], ['ZUNIONSTORE', 'c7', '1', 'c4'], ['OBJECT', 'ENCODING', 'c7'],
    ['OBJECT', 'ENCODING', 'c4'], ['CONFIG', 'SET', 'zset-max-ziplist-entries', '5'], ['CONFIG', 'GET', 'zset-max-listpack-entries'],
    ['ZADD', 'c8', ...pairs(6)], ['OBJECT', 'ENCODING', 'c8'], ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'],
  ]);
});

test('-0 scores: kept by a skiplist, stored as 0 by a listpack, equal to 0 everywhere', async ({ c }) => {
  await c.all([
    ['ZADD', 'lp', '-0', 'a', '0', 'b'], ['ZSCORE', 'lp', 'a'], ['ZRANGE', 'lp', '0', '-1', 'WITHSCORES'], ['ZINCRBY', 'lp', '-0', 'a'],
    ['ZINCRBY', 'lp2', '-0', 'x'], ['ZINCRBY', 'lp2', '-0', 'x'], ['ZADD', 'lp3', 'INCR', '-0', 'x'],
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '0'], ['ZADD', 'sl', '-0', 'a', '0', 'b', '1', 'c'], ['ZSCORE', 'sl', 'a'],
    ['ZRANGE', 'sl', '0', '-1', 'WITHSCORES'], ['ZADD', 'sl', 'CH', '0', 'a'], ['ZSCORE', 'sl', 'a'], ['ZADD', 'sl', 'CH', '-0', 'b'],
    ['ZSCORE', 'sl', 'b'], ['ZADD', 'sl', 'GT', 'CH', '0', 'a'], ['ZADD', 'sl', 'LT', 'CH', '-0', 'b'], ['ZINCRBY', 'sl', '-0', 'a'],
    ['ZRANGEBYSCORE', 'sl', '-0', '0', 'WITHSCORES'], ['ZRANGEBYSCORE', 'sl', '(-0', '0', 'WITHSCORES'], ['ZCOUNT', 'sl', '0', '-0'],
  ]);
  await sameWholeScan(c, 'sl', '0');
  await c.all([
    ['ZPOPMIN', 'sl'], ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'],
    ['ZUNIONSTORE', 'u', '1', 'sl'], ['ZRANGE', 'u', '0', '-1', 'WITHSCORES'], ['ZUNION', '1', 'sl', 'WITHSCORES'],
    ['ZUNION', '1', 'sl', 'WEIGHTS', '-1', 'WITHSCORES'], ['ZINTER', '2', 'sl', 'sl', 'WEIGHTS', '-1', '-1', 'WITHSCORES'],
    ['ZUNION', '2', 'lp', 'sl', 'AGGREGATE', 'MIN', 'WITHSCORES'], ['ZMSCORE', 'sl', 'a', 'b'],
  ]);
});

test('binary and empty members and keys', async ({ c }) => {
  const ms = [BIN, '', '\x00', '\xff', '\x00\x00', 'a\x00b', '\r\n', ' '];
  await c.same('ZADD', BIN, ...ms.flatMap((m, i) => [String(i % 3), m]));
  await c.all([
    ['ZRANGE', BIN, '0', '-1', 'WITHSCORES'], ['ZRANGEBYLEX', BIN, '-', '+'], ['ZSCAN', BIN, '0'], ['ZRANK', BIN, '\x00'],
    ['ZSCORE', BIN, 'a\x00b'], ['ZREM', BIN, '\x00\x00'], ['ZPOPMIN', BIN, '2'], ['ZUNIONSTORE', '', '1', BIN],
    ['ZRANGE', '', '0', '-1', 'WITHSCORES'], ['ZADD', '', '0', '\xff\xfe'], ['ZRANGEBYLEX', '', '[\xff', '+'],
    ['ZMPOP', '1', '', 'MAX', 'COUNT', '2'],
  ]);
  await c.sameUnordered('KEYS', '*');
});

test('every command refuses a key of another type', async ({ c }) => {
  await c.all([['SET', 's', 'v'], ['SADD', 'set', 'a'], ['ZADD', 'z', '1', 'a']]);
  const cmds: string[][] = [
    ['ZADD', 's', '1', 'a'], ['ZADD', 's', 'XX', '1', 'a'], ['ZINCRBY', 's', '1', 'a'], ['ZREM', 's', 'a'], ['ZCARD', 's'],
    ['ZSCORE', 's', 'a'], ['ZMSCORE', 's', 'a'], ['ZRANK', 's', 'a'], ['ZREVRANK', 's', 'a'], ['ZCOUNT', 's', '0', '1'],
    ['ZLEXCOUNT', 's', '-', '+'], ['ZRANGE', 's', '0', '1'], ['ZRANGESTORE', 'd', 's', '0', '1'], ['ZRANGEBYSCORE', 's', '0', '1'],
    ['ZREVRANGEBYSCORE', 's', '1', '0'], ['ZRANGEBYLEX', 's', '-', '+'], ['ZREVRANGEBYLEX', 's', '+', '-'], ['ZREVRANGE', 's', '0', '1'],
    ['ZREMRANGEBYRANK', 's', '0', '1'], ['ZREMRANGEBYSCORE', 's', '0', '1'], ['ZREMRANGEBYLEX', 's', '-', '+'], ['ZPOPMIN', 's'],
    ['ZPOPMAX', 's', '2'], ['BZPOPMIN', 's', '1'], ['BZPOPMAX', 'nokey', 's', '1'], ['ZMPOP', '1', 's', 'MIN'],
    ['BZMPOP', '1', '2', 'nokey', 's', 'MAX'], ['ZUNION', '2', 'z', 's'], ['ZINTER', '1', 's'], ['ZDIFF', '2', 'z', 's'],
    ['ZUNIONSTORE', 'd', '1', 's'], ['ZINTERSTORE', 'd', '2', 's', 'z'], ['ZDIFFSTORE', 'd', '1', 's'], ['ZINTERCARD', '1', 's'],
    ['ZRANDMEMBER', 's'], ['ZRANDMEMBER', 's', '1'], ['ZSCAN', 's', '0'], ['ZADD', 'set', '1', 'a'], ['ZRANGE', 'set', '0', '-1'],
    ['SADD', 'z', 'x'],
  ];
  await c.all(cmds);
  await c.all([['TYPE', 'z'], ['TYPE', 's'], ['EXISTS', 'd']]);
});

test('RESP3: doubles, nulls and nested pairs', async (ctx) => {
  const c = await resp3(ctx);
  await c.all([
    ['ZADD', 'k', '1', 'a', '2.5', 'b', 'inf', 'c', '-0', 'd', '-inf', 'e'], ['ZRANGE', 'k', '0', '-1', 'WITHSCORES'], ['ZRANGE', 'k', '0', '-1'],
    ['ZREVRANGE', 'k', '0', '1', 'WITHSCORES'], ['ZRANGEBYSCORE', 'k', '-inf', 'inf', 'WITHSCORES', 'LIMIT', '1', '2'],
    ['ZREVRANGEBYSCORE', 'k', '+inf', '-inf', 'WITHSCORES'], ['ZRANGEBYLEX', 'k', '-', '+'],
    ['ZSCORE', 'k', 'b'], ['ZSCORE', 'k', 'c'], ['ZSCORE', 'k', 'e'], ['ZSCORE', 'k', 'x'], ['ZSCORE', 'nokey', 'x'],
    ['ZMSCORE', 'k', 'a', 'x', 'c'], ['ZMSCORE', 'nokey', 'a'], ['ZRANK', 'k', 'x'], ['ZRANK', 'k', 'b'], ['ZREVRANK', 'nokey', 'b'],
    ['ZINCRBY', 'k', '1', 'a'], ['ZADD', 'k', 'XX', 'INCR', '1', 'zz'], ['ZADD', 'k', 'GT', 'INCR', '-5', 'a'], ['ZADD', 'k', 'INCR', '1.5', 'a'],
    ['ZPOPMIN', 'k'], ['ZPOPMIN', 'k', '1'], ['ZPOPMAX', 'k', '5'], ['ZPOPMIN', 'k'], ['ZPOPMIN', 'k', '0'], ['ZPOPMIN', 'nokey'],
    ['ZADD', 'k', '1', 'a', '2', 'b', '3', 'c'], ['ZMPOP', '1', 'k', 'MIN'], ['ZMPOP', '1', 'k', 'MAX', 'COUNT', '5'],
    ['ZMPOP', '1', 'k', 'MAX', 'COUNT', '5'], ['ZADD', 'k', '1', 'a', '2', 'b', '3', 'c'], ['BZPOPMIN', 'k', '0'],
    ['BZMPOP', '0', '1', 'k', 'MIN', 'COUNT', '2'], ['ZADD', 'k', '1', 'a', '2', 'b', '3', 'c'], ['ZRANDMEMBER', 'k', '5', 'WITHSCORES'],
    ['ZRANDMEMBER', 'k', '3'], ['ZRANDMEMBER', 'nokey'], ['ZRANDMEMBER', 'nokey', '3', 'WITHSCORES'], ['ZUNION', '1', 'k', 'WITHSCORES'],
    ['ZINTER', '1', 'k'], ['ZDIFF', '1', 'k', 'WITHSCORES'], ['ZSCAN', 'k', '0'], ['ZRANGE', 'nokey', '0', '1'], ['ZMPOP', '1', 'nokey', 'MIN'],
    ['ZCARD', 'k'], ['ZCOUNT', 'k', '-inf', '+inf'], ['ZLEXCOUNT', 'k', '-', '+'], ['ZINTERCARD', '1', 'k'], ['ZRANGESTORE', 'd', 'k', '0', '-1'],
    ['BZPOPMAX', 'k', 'nokey', '0'], ['ZSCAN', 'nokey', '0'],
  ]);
  // Random picks: the shapes only.
  const [r, e] = await c.both('ZRANDMEMBER', 'k', '-2', 'WITHSCORES');
  assert.is(e.bytes.replace(/\$1\r\n[a-c]\r\n,[1-3]\r\n/g, 'P'), r.bytes.replace(/\$1\r\n[a-c]\r\n,[1-3]\r\n/g, 'P'));
});

test('WATCH sees a change only when a command changed the set', async (ctx) => {
  const { c } = ctx;
  const other = await ctx.connect();
  await c.same('ZADD', 'k', '1', 'a', '2', 'b');
  const noChange: string[][] = [['ZADD', 'k', 'NX', '5', 'a'], ['ZADD', 'k', '1', 'a'], ['ZADD', 'k', 'XX', '1', 'new'],
    ['ZADD', 'k', 'GT', '0', 'a'], ['ZINCRBY', 'k', '0', 'a'], ['ZREM', 'k', 'nope'], ['ZREMRANGEBYSCORE', 'k', '10', '20'],
    ['ZREMRANGEBYRANK', 'k', '5', '6'], ['ZREMRANGEBYLEX', 'k', '[x', '[y'], ['ZPOPMIN', 'k', '0'], ['ZRANGESTORE', 'k2', 'k', '5', '6'],
    ['ZUNIONSTORE', 'k2', '1', 'nokey']];
  const change: string[][] = [['ZADD', 'k', '3', 'c'], ['ZINCRBY', 'k', '1', 'a'], ['ZREM', 'k', 'c'], ['ZADD', 'k', 'CH', '7', 'a'],
    ['ZPOPMAX', 'k'], ['ZUNIONSTORE', 'k', '1', 'k'], ['ZRANGESTORE', 'k', 'k', '0', '0'], ['ZADD', 'k', '1', 'z'],
    ['ZREMRANGEBYRANK', 'k', '0', '0'], ['ZMPOP', '1', 'k', 'MIN'], ['ZADD', 'k', '1', 'a', '2', 'b']];
  for (const cmd of [...noChange, ...change]) {
    await c.same('WATCH', 'k');
    await other.same(...cmd);
    await c.all([['MULTI'], ['ZCARD', 'k'], ['EXEC']]);
  }
});

test('expired keys are new sets to the write commands; TTLs survive in-place changes', async ({ c }) => {
  await c.all([
    ['ZADD', 'k', '1', 'a'], ['PEXPIRE', 'k', '1'],
  ]);
  await new Promise((r) => setTimeout(r, 20));
  await c.all([
    ['ZADD', 'k', 'XX', '1', 'a'], ['EXISTS', 'k'], ['ZADD', 'k', '2', 'b'], ['ZRANGE', 'k', '0', '-1', 'WITHSCORES'], ['TTL', 'k'],
    ['EXPIRE', 'k', '100'], ['ZADD', 'k', '3', 'c'], ['ZREM', 'k', 'b'], ['ZINCRBY', 'k', '1', 'c'], ['ZPOPMIN', 'k'], ['TTL', 'k'],
  ]);
});

test('COMMAND GETKEYS for the commands that name their key count', async ({ c }) => {
  await c.all([
    ['COMMAND', 'GETKEYS', 'ZUNION', '2', 'a', 'b', 'WEIGHTS', '1', '2'], ['COMMAND', 'GETKEYS', 'ZUNION', 'x', 'a'],
    ['COMMAND', 'GETKEYS', 'ZUNION', '5', 'a'], ['COMMAND', 'GETKEYS', 'ZUNION', '0', 'a'], ['COMMAND', 'GETKEYS', 'ZINTER', '1', 'a'],
    ['COMMAND', 'GETKEYS', 'ZDIFF', '2', 'a', 'b'], ['COMMAND', 'GETKEYS', 'ZINTERCARD', '1', 'a', 'LIMIT', '5'],
    ['COMMAND', 'GETKEYS', 'ZUNIONSTORE', 'd', '2', 'a', 'b'], ['COMMAND', 'GETKEYS', 'ZUNIONSTORE', 'd', '0', 'a'],
    ['COMMAND', 'GETKEYS', 'ZINTERSTORE', 'd', '1', 'a'], ['COMMAND', 'GETKEYS', 'ZDIFFSTORE', 'd', '2', 'a', 'b'],
    ['COMMAND', 'GETKEYS', 'BZMPOP', '1', '2', 'a', 'b', 'MIN'], ['COMMAND', 'GETKEYS', 'ZMPOP', '2', 'a', 'b', 'MIN'],
    ['COMMAND', 'GETKEYS', 'ZMPOP', '-1', 'a', 'b', 'MIN'], ['COMMAND', 'GETKEYS', 'BZPOPMIN', 'a', 'b', '1'],
    ['COMMAND', 'GETKEYS', 'ZRANGESTORE', 'd', 's', '0', '1'], ['COMMAND', 'GETKEYS', 'ZADD', 'k', '1', 'a'],
  ]);
});

test('large sets: ranks, ranges, removal and pops agree after many changes', async ({ c }) => {
  const rnd = prng(7);
  const batch: string[] = [];
  for (let i = 0; i < 3000; i++) batch.push(String(Math.floor(rnd() * 100) / 4), 'm' + Math.floor(rnd() * 5000));
  await c.same('ZADD', 'k', ...batch);
  await c.all([
    ['ZCARD', 'k'], ['ZREMRANGEBYRANK', 'k', '100', '999'], ['ZREMRANGEBYSCORE', 'k', '(5', '7.5'], ['ZCOUNT', 'k', '10', '(20'],
    ['ZPOPMIN', 'k', '50'], ['ZPOPMAX', 'k', '30'], ['ZRANGE', 'k', '500', '540', 'WITHSCORES'], ['ZREVRANGE', 'k', '10', '30'],
    ['ZRANGE', 'k', '3', '12', 'BYSCORE', 'LIMIT', '20', '10'], ['ZRANGE', 'k', '12', '3', 'BYSCORE', 'REV', 'LIMIT', '20', '10'],
  ]);
  for (let i = 0; i < 40; i++) {
    const m = 'm' + Math.floor(rnd() * 5000);
    await c.all([['ZRANK', 'k', m], ['ZREVRANK', 'k', m], ['ZSCORE', 'k', m], ['ZINCRBY', 'k', '0.25', m]]);
  }
  await c.sameDataset();
});

test.run();

// ---------------------------------------------------------------------------------------------
// What each command propagates: Redis's AOF (appendfsync always) against echokv's propagate hook.

const prop = suite('compat: sorted set propagation');


/** Commands that change sorted sets (and some that do not), for the AOF and events suites. */
const WRITES: string[][] = [
  ['ZADD', 'k', '1', 'a', '2', 'b', '3', 'c'], ['ZADD', 'k', 'NX', '5', 'a'], ['ZADD', 'k', 'XX', 'CH', '5', 'a'], ['ZADD', 'k', '5', 'a'],
  ['ZADD', 'k', 'INCR', '1', 'a'], ['ZINCRBY', 'k', '2', 'b'], ['ZINCRBY', 'k', '0', 'b'], ['ZADD', 'k', 'GT', '1', 'a'],
  ['ZADD', 'k', 'x', 'a'], ['ZREM', 'k', 'nope'], ['ZREM', 'k', 'c'], ['ZADD', 'k', '1', 'c', '2', 'd', '3', 'e', '4', 'f'],
  ['ZREMRANGEBYRANK', 'k', '0', '0'], ['ZREMRANGEBYSCORE', 'k', '(3', '4'], ['ZREMRANGEBYLEX', 'k', '[a', '[a'],
  ['ZREMRANGEBYSCORE', 'k', '100', '200'], ['ZPOPMIN', 'k'], ['ZPOPMAX', 'k', '1'], ['ZPOPMIN', 'nokey'],
  ['ZADD', 'm', '1', 'a', '2', 'b', '3', 'c'], ['ZMPOP', '2', 'nokey', 'm', 'MAX', 'COUNT', '2'], ['ZMPOP', '1', 'm', 'MIN'],
  ['ZMPOP', '1', 'm', 'MIN'], ['ZADD', 'b1', '1', 'a', '2', 'b'], ['BZPOPMIN', 'nokey', 'b1', '1'], ['BZPOPMAX', 'b1', '0'],
  ['ZADD', 'b2', '1', 'a', '2', 'b', '3', 'c'], ['BZMPOP', '1', '1', 'b2', 'MAX', 'COUNT', '5'],
  ['ZADD', 'u1', '1', 'a', '2', 'b'], ['ZADD', 'u2', '3', 'b'], ['ZUNIONSTORE', 'dst', '2', 'u1', 'u2'], ['ZINTERSTORE', 'dst', '2', 'u1', 'u2'],
  ['ZDIFFSTORE', 'dst', '2', 'u1', 'u2'], ['ZINTERSTORE', 'dst', '2', 'u1', 'nokey'], ['ZINTERSTORE', 'dst', '2', 'u1', 'nokey'],
  ['ZRANGESTORE', 'dst', 'u1', '0', '-1'], ['ZRANGESTORE', 'dst', 'u1', '5', '6'], ['ZRANGESTORE', 'dst', 'u1', '5', '6'],
  ['ZREM', 'u2', 'b'], ['ZREMRANGEBYRANK', 'u1', '0', '-1'], ['ZRANGE', 'k', '0', '-1'], ['ZUNION', '1', 'k'], ['ZCARD', 'k'],
];

prop('every write propagates what Redis propagates (pops as ZPOPMIN/ZPOPMAX)', async () => {
  const redis = await startRedis(['--appendonly', 'yes', '--appendfsync', 'always']);
  if (redis === null) return;
  const echokv = await startEchokv();
  const seen: string[][] = [];
  echokv.server.on('propagate', (_db, argv) => seen.push([...argv]));
  const r = await RespClient.connect(redis.port);
  const e = await RespClient.connect(echokv.port);
  try {
    for (const cmd of WRITES) {
      const a = await r.callRaw(...cmd);
      const b = await e.callRaw(...cmd);
      assert.is(show(b.bytes), show(a.bytes), `reply to ${cmd.join(' ')}`);
    }
    assert.equal(seen.map((a) => a.join(' ')), readRedisAof(redis.dir).map((a) => a.join(' ')));
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

const events = suite('compat: sorted set keyspace events');

events('each command fires the events Redis fires, in the same classes', async () => {
  await sameKeyspaceEvents(WRITES, ['z', 'g']);
});

events.run();
