// Reply shapes of the commands in RESP2 and RESP3, from a differential run against redis-server
// 7.0 over data of every type: maps, sets, doubles, nulls, verbatim strings and pushes, nested
// ones included. Each test runs its commands in both protocols; the replies must stay byte for
// byte the same.
import * as assert from 'uvu/assert';
import { type Compat, compatSuite, show } from './_compat.ts';

const test = compatSuite('edge RESP3 reply shapes');

type Cmd = string[];

async function inBoth(c: Compat, body: () => Promise<void>): Promise<void> {
  for (const proto of ['2', '3']) {
    await c.both('HELLO', proto);
    await c.reset();
    await body();
  }
  await c.both('HELLO', '2');
}

async function dataset(c: Compat): Promise<void> {
  await c.all([
    ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'], ['SET', 'str', 'hello'], ['SET', 's2', 'ohmytext'], ['SET', 's3', 'mynewtext'],
    ['RPUSH', 'list', 'a', 'b', 'c', 'a', 'd', 'a'], ['HSET', 'hash', 'f1', 'v1', 'f2', 'v2', 'f3', '3'],
    ['SADD', 'iset', '1', '2', '3'], ['ZADD', 'zs', '1', 'a', '2.5', 'b', '3', 'c', '1e300', 'd'], ['ZADD', 'zs2', '1', 'a', '5', 'e'],
    ['XADD', 'st', '1-1', 'f', 'v'], ['XADD', 'st', '1-2', 'f2', 'v2', 'g', 'h'], ['XADD', 'st', '2-0', 'a', 'b'],
    ['XGROUP', 'CREATE', 'st', 'g1', '0'], ['XREADGROUP', 'GROUP', 'g1', 'c1', 'COUNT', '2', 'STREAMS', 'st', '>'],
    ['XGROUP', 'CREATE', 'st', 'g2', '$'],
    ['GEOADD', 'geo', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania'],
  ]);
}

test('LOLWUT: the version as a verbatim string, its arguments and its command docs', async ({ c }) => {
  await inBoth(c, async () => {
    await c.all([
      ['LOLWUT'], ['LOLWUT', 'foo', 'bar'], ['LOLWUT', 'VERSION'], ['LOLWUT', 'version', '7'], ['LOLWUT', 'VERSION', '1', 'x'],
      ['LOLWUT', 'VERSION', 'abc'], ['LOLWUT', 'VERSION', '-1'], ['LOLWUT', 'VERSION', '4294967303'],
      ['LOLWUT', 'VERSION', '9223372036854775808'], ['LOLWUT', 'VERSION', '5', 'x'], ['LOLWUT', 'VERSION', '6', '1', 'x'],
      ['LOLWUT', 'VERSION', '5', '0', '0', '0'], ['LOLWUT', 'VERSION', '5', '1', '1', '1'],
      ['COMMAND', 'INFO', 'lolwut'], ['COMMAND', 'DOCS', 'lolwut'], ['COMMAND', 'GETKEYS', 'lolwut'],
    ]);
  });
});

test('LOLWUT VERSION 5 and 6: random art of the same size, same fixed rows and text', async ({ c }) => {
  for (const args of [[], ['10', '2', '3'], ['3', '1', '1'], ['33', '7', '9'], ['1000', '3', '2']]) {
    const [r, e] = await c.both('LOLWUT', 'VERSION', '5', ...args);
    assert.is(e.bytes.length, r.bytes.length, `length of LOLWUT VERSION 5 ${args.join(' ')}`);
    // The first two rows of squares are not rotated: the first lines are always the same.
    const head = (s: string): string => s.split('\n').slice(0, 3).join('\n');
    assert.is(show(head(e.bytes)), show(head(r.bytes)));
    const tail = (s: string): string => s.slice(s.indexOf('\nGeorg'));
    assert.is(show(tail(e.bytes)), show(tail(r.bytes)));
  }
  for (const args of [[], ['10', '5'], ['200', '50']]) {
    const [r, e] = await c.both('LOLWUT', 'VERSION', '6', ...args);
    const count = (s: string, t: string): number => s.split(t).length;
    assert.is(count(e.bytes, '\n'), count(r.bytes, '\n'));
    assert.is(count(e.bytes, '\x1b[0m'), count(r.bytes, '\x1b[0m'));
    const tail = (s: string): string => s.slice(s.indexOf('\nDedicated'));
    assert.is(show(tail(e.bytes)), show(tail(r.bytes)));
  }
});

test('DEBUG PROTOCOL: every RESP3 type and its RESP2 form', async ({ c }) => {
  const types = ['string', 'integer', 'double', 'bignum', 'null', 'array', 'set', 'map', 'attrib', 'push', 'verbatim', 'true', 'false'];
  await inBoth(c, async () => {
    for (const t of types) {
      await c.same('DEBUG', 'PROTOCOL', t);
      await c.same('PING');
    }
  });
});

test('nulls, doubles, maps and sets in data commands', async ({ c }) => {
  const cmds: Cmd[] = [
    ['MGET', 'str', 'missing'], ['LPOS', 'list', 'zz'], ['LPOS', 'list', 'a', 'COUNT', '0'], ['LPOP', 'missing', '2'],
    ['LMPOP', '2', 'missing', 'list', 'RIGHT', 'COUNT', '2'], ['BLPOP', 'missing', '0.01'], ['HMGET', 'hash', 'f1', 'nof'],
    ['HGETALL', 'hash'], ['HGETALL', 'missing'], ['HRANDFIELD', 'missing', '2', 'WITHVALUES'], ['HRANDFIELD', 'hash', '0', 'WITHVALUES'],
    ['SMEMBERS', 'iset'], ['SMEMBERS', 'missing'], ['SPOP', 'missing', '2'], ['SMISMEMBER', 'iset', '1', '9'],
    ['ZSCORE', 'zs', 'b'], ['ZSCORE', 'zs', 'd'], ['ZMSCORE', 'zs', 'a', 'nope', 'b'], ['ZINCRBY', 'zs', '0.5', 'a'],
    ['ZADD', 'zs', 'INCR', '1', 'b'], ['ZADD', 'zs', 'XX', 'INCR', '1', 'nope'], ['ZRANGE', 'zs', '0', '-1', 'WITHSCORES'],
    ['ZPOPMIN', 'zs2'], ['ZPOPMAX', 'zs', '2'], ['ZMPOP', '1', 'zs', 'MIN'], ['ZUNION', '2', 'zs', 'zs2', 'WITHSCORES'],
    ['ZRANDMEMBER', 'zs', '0', 'WITHSCORES'], ['ZRANDMEMBER', 'missing', '2', 'WITHSCORES'], ['BZPOPMIN', 'zs', '1'],
    ['ZADD', 'zf', '0.1', 'a', '1e-7', 'b', '1.5e20', 'c', '123456789.123', 'd', '-0', 'e'], ['ZRANGE', 'zf', '0', '-1', 'WITHSCORES'],
    ['ZINCRBY', 'zf', 'inf', 'a'], ['ZSCORE', 'zf', 'a'], ['INCRBYFLOAT', 'fl', '0.1'], ['HINCRBYFLOAT', 'hash', 'f3', '1.5'],
    ['LCS', 's2', 's3', 'IDX', 'MINMATCHLEN', '2', 'WITHMATCHLEN'], ['GEOPOS', 'geo', 'Palermo', 'nope'], ['GEOPOS', 'missing', 'a'],
    ['GEODIST', 'geo', 'Palermo', 'nope'],
    ['GEOSEARCH', 'geo', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '500', 'km', 'ASC', 'WITHCOORD', 'WITHDIST', 'WITHHASH'],
    ['BITFIELD', 'b', 'SET', 'u8', '0', '255', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', '0', '1'], ['OBJECT', 'ENCODING', 'missing'],
    ['SORT', 'list', 'BY', 'nosort', 'GET', '#', 'GET', 'nokey*'],
  ];
  await inBoth(c, async () => {
    await dataset(c);
    await c.all(cmds);
  });
});

test('streams: XREAD, XREADGROUP, XPENDING, XINFO, XAUTOCLAIM', async ({ c }) => {
  const cmds: Cmd[] = [
    ['XREAD', 'COUNT', '1', 'STREAMS', 'st', 'missing', '0', '0'], ['XREAD', 'STREAMS', 'missing', '0'],
    ['XREAD', 'BLOCK', '10', 'STREAMS', 'st', '$'], ['XREADGROUP', 'GROUP', 'g2', 'c2', 'STREAMS', 'st', '>'],
    ['XREADGROUP', 'GROUP', 'g1', 'c1', 'STREAMS', 'st', '0'], ['XPENDING', 'st', 'g2'], ['XPENDING', 'st', 'g2', '-', '+', '10'],
    ['XINFO', 'CONSUMERS', 'st', 'g2'], ['XAUTOCLAIM', 'st', 'g2', 'c3', '0', '0'], ['XADD', 'nomk', 'NOMKSTREAM', '*', 'a', 'b'],
    ['XCLAIM', 'st', 'g1', 'c3', '100000000', '1-1'], ['XDEL', 'st', '1-2'], ['XREADGROUP', 'GROUP', 'g1', 'c1', 'STREAMS', 'st', '0'],
    ['XSETID', 'st', '2-0', 'ENTRIESADDED', '5', 'MAXDELETEDID', '1-5'], ['XGROUP', 'CREATE', 'st', 'g3', '1-1'],
  ];
  await inBoth(c, async () => {
    await dataset(c);
    await c.all(cmds);
    // XINFO carries times: compare all but the digits.
    for (const cmd of [['XINFO', 'STREAM', 'st', 'FULL'], ['XINFO', 'GROUPS', 'st'], ['XPENDING', 'st', 'g1', '-', '+', '10']]) {
      const [r, e] = await c.both(...cmd);
      const mask = (s: string): string => show(s.replace(/[0-9]+/g, 'N'));
      assert.is(mask(e.bytes), mask(r.bytes), cmd.join(' '));
    }
  });
});

test('server replies: CLIENT TRACKINGINFO, CONFIG GET, COMMAND, transactions, tracking pushes', async ({ c, connect }) => {
  await inBoth(c, async () => {
    await dataset(c);
    await c.all([
      ['CLIENT', 'TRACKINGINFO'], ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'a', 'PREFIX', 'b'], ['CLIENT', 'TRACKINGINFO'],
      ['CLIENT', 'TRACKING', 'off'], ['CLIENT', 'GETNAME'], ['CONFIG', 'GET', 'maxmemory'], ['CONFIG', 'GET', 'nosuch'],
      ['COMMAND', 'INFO', 'get', 'nosuch'], ['COMMAND', 'DOCS', 'zadd'], ['COMMAND', 'DOCS', 'client|list'],
      ['COMMAND', 'GETKEYSANDFLAGS', 'lmove', 'a', 'b', 'left', 'right'], ['LATENCY', 'HISTOGRAM', 'nosuchcmd'],
      ['PUBSUB', 'NUMSUB', 'a', 'b'], ['ROLE'], ['FUNCTION', 'LIST'],
      ['MULTI'], ['ZSCORE', 'zs2', 'a'], ['HGETALL', 'hash'], ['LPOP', 'missing', '2'], ['NOSUCH'], ['EXEC'],
      ['WATCH', 'str'], ['SET', 'str', 'changed'], ['MULTI'], ['GET', 'str'], ['EXEC'],
    ]);
  });
  const d = await connect();
  await d.both('HELLO', '3');
  await d.all([['CLIENT', 'TRACKING', 'on'], ['GET', 'k']]);
  // The invalidation of a key the client itself changed follows the reply.
  await d.sameRaw(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n`);
  await d.all([['GET', 'k'], ['MULTI'], ['SET', 'k', 'y'], ['GET', 'k']]);
  await d.sameRaw(`*1\r\n$4\r\nEXEC\r\n`);
  await d.same('GET', 'k');
  await d.sameRaw(`*1\r\n$8\r\nFLUSHALL\r\n`);
});

test.run();
