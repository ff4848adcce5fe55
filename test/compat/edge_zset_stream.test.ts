// Edge cases of the sorted set and stream commands that the other compat files do not reach,
// found by a differential sweep against redis-server 7.0: number forms that only C's strtod
// accepts (hex floats, underflow, overflow in ranges), error texts that quote a user's key or
// group name (Redis turns CR and LF into spaces there), IDs generated after a stream's last ID
// went past the clock, TTLs after store and pop commands, and blocking commands inside MULTI.
// Each runs in RESP2 and again in RESP3, where scores are doubles.
import { type Compat, type CompatContext, compatSuite } from './_compat.ts';

const test = compatSuite('sorted set and stream edge cases');

type Cmd = string[];

/** Runs `script` on a RESP2 connection, flushes, then runs it again after HELLO 3. */
async function bothProtocols(ctx: CompatContext, script: Cmd[]): Promise<void> {
  await ctx.c.all(script);
  await ctx.c.reset();
  const c3: Compat = await ctx.connect();
  // Not compared: the reply holds the client ID, which differs.
  await c3.redis.call('HELLO', '3');
  await c3.echo.call('HELLO', '3');
  await c3.all(script);
}

// Forms that strtod takes and JS's Number() does not (or the other way round), in each place
// Redis reads a double: ZADD and ZINCRBY (whole string, no ERANGE to 0 or inf), score ranges
// (strtod alone, so 1e400 is inf and 1e-400 is 0), WEIGHTS, and timeouts (long double).
const NUMBERS = [
  '0x1p3', '0X10', '0x.8', '-0x10', '0x1P-2', '0x', '1e+', '-nan', 'NAN', 'inFINity', 'infinit', '1.', '.', '-.',
  '1e5000', '-1e5000', '1e-5000', '4.9406564584124654e-324', '2.4703282292062327e-324', '2.2250738585072014e-308',
  '1\t', '\t1', '\n1', '000000000000000000000001', '9007199254740993', '1e2.5', '--1', '+-1', '0b1', '1_000',
];

test('doubles in every place Redis reads one: ZADD, ZINCRBY, ranges, WEIGHTS, timeouts', async (ctx) => {
  const script: Cmd[] = [['ZADD', 'z', '0', 'a', '5', 'b', '10', 'c']];
  for (const n of NUMBERS) {
    script.push(
      ['ZADD', 'y', n, 'm'], ['ZSCORE', 'y', 'm'], ['ZINCRBY', 'y', n, 'm'], ['ZADD', 'y', 'INCR', n, 'm'],
      ['ZCOUNT', 'z', n, '+inf'], ['ZCOUNT', 'z', '(' + n, '+inf'], ['ZRANGEBYSCORE', 'z', '-inf', n, 'WITHSCORES'],
      ['ZUNION', '1', 'z', 'WEIGHTS', n, 'WITHSCORES'], ['ZRANGE', 'z', n, '+inf', 'BYSCORE', 'LIMIT', '0', n],
      ['ZPOPMIN', 'z', n], ['ZADD', 'z', '0', 'a', '5', 'b', '10', 'c'], ['ZREMRANGEBYRANK', 'nokey', n, '1'],
    );
  }
  // Timeouts that fail to parse fail at once; valid ones find data and do not block.
  for (const n of ['-nan', 'inFINity', '1e5000', '0x', '1_000', '--1']) {
    script.push(['BZPOPMIN', 'z', n], ['BZMPOP', n, '1', 'z', 'MIN'], ['ZADD', 'z', '0', 'a']);
  }
  await bothProtocols(ctx, script);
});

test('error texts that quote a key, group or subcommand have CR and LF as spaces', async (ctx) => {
  const K = 'a\r\nb';
  const G = 'g\r\nh';
  await bothProtocols(ctx, [
    ['XADD', K, '1-1', 'f', 'v'], ['XREADGROUP', 'GROUP', G, 'c', 'STREAMS', K, '>'],
    ['XREADGROUP', 'GROUP', G, 'c', 'STREAMS', 'no\r\nkey', '>'], ['XGROUP', 'CREATE', K, G, '0'], ['XGROUP', 'CREATE', K, G, '0'],
    ['XGROUP', 'CREATE', 'no\r\nkey', G, '0'], ['XGROUP', 'SETID', K, 'no\r\ng', '0'], ['XGROUP', 'CREATECONSUMER', K, 'no\r\ng', 'c'],
    ['XGROUP', 'DELCONSUMER', K, 'no\r\ng', 'c'], ['XGROUP', 'F\r\nOO'], ['XINFO', 'F\r\nOO'], ['XINFO', 'CONSUMERS', K, 'no\r\ng'],
    ['XPENDING', K, 'n\r\nog'], ['XCLAIM', K, 'n\r\nog', 'c', '0', '1-1'], ['XAUTOCLAIM', K, 'n\r\nog', 'c', '0', '0'],
    ['XACK', K, 'n\r\nog', '1-1'], ['ZADD', 'z', 'F\r\nOO', '1', 'x'], ['ZINCRBY', 'z', '1\r\n', 'x'],
  ]);
});

test('XADD * and <ms>-* after the last ID went past the clock or reached the largest ID', async (ctx) => {
  await bothProtocols(ctx, [
    ['XADD', 's', '99999999999999-5', 'f', 'v'], ['XADD', 's', '*', 'f', 'v'], ['XADD', 's', 'MAXLEN', '1', '*', 'f', 'v'],
    ['XRANGE', 's', '-', '+'], ['XADD', 's', '18446744073709551615-18446744073709551614', 'f', 'v'], ['XADD', 's', '*', 'f', 'v'],
    ['XADD', 's', '*', 'f', 'v'], ['XADD', 's', '18446744073709551615-*', 'f', 'v'],
    ['XADD', 't', '99999999999999-18446744073709551615', 'f', 'v'], ['XADD', 't', '*', 'f', 'v'],
    ['XADD', 't', '99999999999999-*', 'f', 'v'], ['XINFO', 'STREAM', 't'],
    ['XADD', 'e', '1-1', 'f', 'v'], ['XDEL', 'e', '1-1'], ['XSETID', 'e', '99999999999999-0'], ['XADD', 'e', '*', 'f', 'v'],
    ['XGROUP', 'CREATE', 'e', 'g', '$'], ['XADD', 'e', '*', 'f', 'v'], ['XINFO', 'GROUPS', 'e'],
    ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'e', '>'], ['XINFO', 'GROUPS', 'e'],
  ]);
});

test('TTLs after store, pop and trim commands on a key that had one', async (ctx) => {
  const writes: Cmd[] = [
    ['ZUNIONSTORE', 'd', '1', 'a'], ['ZINTERSTORE', 'd', '2', 'a', 'nokey'], ['ZDIFFSTORE', 'd', '1', 'a'],
    ['ZRANGESTORE', 'd', 'a', '0', '-1'], ['ZRANGESTORE', 'd', 'a', '5', '6'], ['ZADD', 'd', '1', 'q'], ['ZINCRBY', 'd', '1', 'q'],
    ['ZPOPMIN', 'd', '100'], ['ZMPOP', '1', 'd', 'MIN', 'COUNT', '1'], ['ZREMRANGEBYRANK', 'd', '0', '0'], ['ZUNIONSTORE', 'd', '1', 'd'],
    ['XADD', 'd', '2-1', 'f', 'v'], ['XTRIM', 'd', 'MAXLEN', '0'], ['XDEL', 'd', '1-1'], ['XSETID', 'd', '9-9'],
  ];
  const script: Cmd[] = [];
  for (const w of writes) {
    script.push(['DEL', 'd'], ['ZADD', 'a', '1', 'x', '2', 'y'], ['ZADD', 'd', '5', 'x', '6', 'p'], ['EXPIRE', 'd', '1000'], w,
      ['TTL', 'd'], ['TYPE', 'd']);
    script.push(['DEL', 'd'], ['XADD', 'd', '1-1', 'f', 'v'], ['EXPIRE', 'd', '1000'], w, ['TTL', 'd'], ['TYPE', 'd']);
  }
  await bothProtocols(ctx, script);
});

test('blocking commands inside MULTI answer at once, with data or without', async (ctx) => {
  const blocking: Cmd[] = [
    ['BZPOPMIN', 'nokey', '0'], ['BZPOPMAX', 'nokey', 'z', '0'], ['BZMPOP', '0', '1', 'nokey', 'MIN'],
    ['BZMPOP', '0', '2', 'nokey', 'z', 'MAX', 'COUNT', '3'], ['BZPOPMIN', 'str', '0'], ['BZPOPMIN', 'nokey', '-1'],
    ['XREAD', 'BLOCK', '0', 'STREAMS', 'nokey', '0'], ['XREAD', 'BLOCK', '0', 'STREAMS', 's', '$'],
    ['XREAD', 'BLOCK', '0', 'STREAMS', 's', '0'], ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>'],
    ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'NOACK', 'STREAMS', 's', '0'],
  ];
  const script: Cmd[] = [['XADD', 's', '1-1', 'f', 'v'], ['XGROUP', 'CREATE', 's', 'g', '$'], ['ZADD', 'z', '1', 'a', '2', 'b'],
    ['SET', 'str', 'x']];
  for (const b of blocking) script.push(['MULTI'], b, ['EXEC']);
  await bothProtocols(ctx, script);
});

test.run();
