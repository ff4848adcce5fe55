// SORT and SORT_RO against a real redis-server: numeric and ALPHA order with their tie-breaks,
// DESC, LIMIT edge cases, BY patterns (string keys, hash fields, no '*' = no sorting, which keeps a
// list's or sorted set's own order and reverses it with DESC), GET patterns (#, keys, hash fields,
// missing ones), STORE (a list, the key deleted when the result is empty, a set sorted even with
// BY nosort, TTL dropped), weights strtod refuses, wrong types, syntax errors, RESP3, non-UTF-8
// bytes, inside MULTI, and COMMAND GETKEYS.
import * as assert from 'uvu/assert';
import { compatSuite } from './_compat.ts';
import { plain } from '../_resp.ts';

const test = compatSuite('sort');

test('numeric and ALPHA sorting of lists, sets and sorted sets, DESC, LIMIT', async ({ c }) => {
  await c.all([
    ['RPUSH', 'l', '3', '1', '2', '10', '-5', '2.5', '1e1', '+1', '01'],
    ['SORT', 'l'], ['SORT', 'l', 'DESC'], ['SORT', 'l', 'ALPHA'], ['SORT', 'l', 'ALPHA', 'DESC'],
    ['SORT', 'l', 'LIMIT', '0', '3'], ['SORT', 'l', 'LIMIT', '2', '100'], ['SORT', 'l', 'LIMIT', '8', '5'],
    ['SORT', 'l', 'LIMIT', '9', '1'], ['SORT', 'l', 'LIMIT', '100', '1'], ['SORT', 'l', 'LIMIT', '-3', '2'],
    ['SORT', 'l', 'LIMIT', '1', '-1'], ['SORT', 'l', 'LIMIT', '0', '0'], ['SORT', 'l', 'LIMIT', '1', '2', 'DESC', 'ALPHA'],
    ['SORT', 'l', 'LIMIT', '0', '9223372036854775807'], ['SORT', 'l', 'LIMIT', '-9223372036854775808', '2'],
    ['SORT', 'l', 'DESC', 'ASC'], ['SORT', 'l', 'limit', '1', '1', 'alpha', 'desc'],
    ['SADD', 'ints', '5', '-1', '3', '100', '0'],
    ['SORT', 'ints'], ['SORT', 'ints', 'DESC', 'LIMIT', '1', '2'],
    // (Not both '' and '\x00a': ALPHA compares C strings, so they tie, and Redis leaves ties unordered.)
    ['SADD', 'words', 'pear', 'apple', 'fig', 'Banana', 'apple2', '\xff\x00', '\x00a'],
    ['SORT', 'words', 'ALPHA'], ['SORT', 'words', 'ALPHA', 'DESC'], ['SORT', 'words'],
    ['ZADD', 'z', '3', 'c', '1', 'a', '2', 'b', '10', '20', '-1', '7'],
    ['SORT', 'z'], ['SORT', 'z', 'ALPHA'], ['SORT', 'z', 'DESC', 'LIMIT', '0', '2'],
    ['SORT', 'nokey'], ['SORT', 'nokey', 'LIMIT', '0', '1'], ['SORT_RO', 'l'], ['SORT_RO', 'z', 'ALPHA', 'DESC'],
    // Sorting converts a small sorted set to a skiplist (SORT_RO too), as Redis does.
    ['ZADD', 'small', '1', 'a'], ['OBJECT', 'ENCODING', 'small'], ['SORT_RO', 'small', 'ALPHA'], ['OBJECT', 'ENCODING', 'small'],
    ['ZADD', 'small2', '1', 'a'], ['SORT', 'small2', 'BY', 'nosort'], ['OBJECT', 'ENCODING', 'small2'],
    ['SORT', 'l', 'STORE', 'small2'], ['OBJECT', 'ENCODING', 'small2'],
  ]);
});

test('BY patterns: string keys, hash fields, missing weights, and no "*" for no sorting', async ({ c }) => {
  await c.all([
    ['RPUSH', 'l', 'u1', 'u2', 'u3', 'u4'],
    ['MSET', 'w_u1', '30', 'w_u2', '10', 'w_u3', '20'],
    ['SORT', 'l', 'BY', 'w_*'], ['SORT', 'l', 'BY', 'w_*', 'DESC'], ['SORT', 'l', 'BY', 'w_*', 'LIMIT', '1', '2'],
    ['HSET', 'h_u1', 'age', '40', 'name', 'dora'], ['HSET', 'h_u2', 'age', '25', 'name', 'alan'],
    ['HSET', 'h_u3', 'age', '31', 'name', 'carl'], ['HSET', 'h_u4', 'name', 'bea'],
    ['SORT', 'l', 'BY', 'h_*->age'], ['SORT', 'l', 'BY', 'h_*->name', 'ALPHA'],
    ['SORT', 'l', 'BY', 'h_*->name', 'ALPHA', 'DESC'], ['SORT', 'l', 'BY', 'h_*->nosuch'],
    ['SORT', 'l', 'BY', 'nosort'], ['SORT', 'l', 'BY', 'nosort', 'DESC'], ['SORT', 'l', 'BY', 'nosort', 'LIMIT', '1', '2'],
    ['SORT', 'l', 'BY', 'nosort', 'DESC', 'LIMIT', '1', '5'], ['SORT', 'l', 'BY', 'nosort', 'LIMIT', '5', '1'],
    ['SORT', 'l', 'BY', 'nosort', 'BY', 'w_*'], ['SORT', 'l', 'BY', 'w_*', 'BY', 'nosort'],
    // A weight key of the wrong type counts as missing.
    ['RPUSH', 'w_u4', 'x'], ['SORT', 'l', 'BY', 'w_*'], ['SORT', 'l', 'BY', 'h_*->age', 'GET', 'w_*'],
    ['ZADD', 'z', '3', 'u1', '1', 'u2', '2', 'u3'],
    ['SORT', 'z', 'BY', 'nosort'], ['SORT', 'z', 'BY', 'nosort', 'DESC'], ['SORT', 'z', 'BY', 'nosort', 'DESC', 'LIMIT', '1', '1'],
    ['SORT', 'z', 'BY', 'w_*', 'DESC'],
    ['SADD', 's', '9', '7', '8'], ['SORT', 's', 'BY', 'nosort'], ['SORT', 's', 'BY', 'nosort', 'LIMIT', '1', '1'],
  ]);
});

test('GET patterns: #, string keys, hash fields, missing values, several GETs', async ({ c }) => {
  await c.all([
    ['RPUSH', 'ids', '2', '1', '3'],
    ['MSET', 'name_1', 'one', 'name_2', 'two'],
    ['HSET', 'obj_1', 'color', 'red'], ['HSET', 'obj_3', 'color', '\xff\x00blue'],
    ['SORT', 'ids', 'GET', 'name_*'], ['SORT', 'ids', 'GET', '#', 'GET', 'name_*', 'GET', 'obj_*->color'],
    ['SORT', 'ids', 'GET', 'obj_*->color', 'DESC', 'LIMIT', '0', '2'], ['SORT', 'ids', 'GET', 'nostar'],
    ['SORT', 'ids', 'GET', 'obj_*->'], ['SORT', 'ids', 'GET', 'obj_*-', 'GET', '#x'],
    ['SORT', 'ids', 'BY', 'nosort', 'GET', '#', 'GET', 'name_*'], ['SORT', 'ids', 'BY', 'name_*', 'ALPHA', 'GET', 'name_*'],
    ['SORT', 'ids', 'GET', 'name_*', 'STORE', 'out'], ['LRANGE', 'out', '0', '-1'],
    ['SORT_RO', 'ids', 'GET', 'obj_*->color'],
  ]);
});

test('STORE: a list with the TTL dropped, empty results delete, sets sorted anyway', async ({ c }) => {
  await c.all([
    ['RPUSH', 'l', '3', '1', '2'],
    ['SET', 'dst', 'old', 'EX', '100'],
    ['SORT', 'l', 'STORE', 'dst'], ['TYPE', 'dst'], ['TTL', 'dst'], ['LRANGE', 'dst', '0', '-1'], ['OBJECT', 'ENCODING', 'dst'],
    ['SORT', 'l', 'DESC', 'STORE', 'dst', 'LIMIT', '0', '2'], ['LRANGE', 'dst', '0', '-1'],
    ['SORT', 'l', 'STORE', 'a', 'STORE', 'b'], ['EXISTS', 'a', 'b'],
    ['SORT', 'l', 'LIMIT', '5', '5', 'STORE', 'dst'], ['EXISTS', 'dst'],
    ['SORT', 'nokey', 'STORE', 'dst'], ['SORT', 'nokey', 'STORE', 'dst'],
    ['SADD', 's', 'b', 'c', 'a', '10', '9'],
    ['SORT', 's', 'BY', 'nosort', 'STORE', 'dst'], ['LRANGE', 'dst', '0', '-1'],
    ['SORT', 's', 'BY', 'nosort', 'DESC', 'STORE', 'dst'], ['LRANGE', 'dst', '0', '-1'],
    ['SORT', 'l', 'STORE', 'l'], ['LRANGE', 'l', '0', '-1'],
    ['ZADD', 'z', '1', 'x', '2', 'y'], ['SORT', 'z', 'BY', 'nosort', 'DESC', 'STORE', 'zl'], ['LRANGE', 'zl', '0', '-1'],
    ['RPUSH', 'big', ...Array.from({ length: 200 }, (_, i) => String(200 - i))],
    ['SORT', 'big', 'STORE', 'bigsorted'], ['LRANGE', 'bigsorted', '0', '4'], ['LLEN', 'bigsorted'],
    ['DBSIZE'],
  ]);
});

test('weights strtod refuses, wrong types, syntax errors, SORT_RO refuses STORE', async ({ c }) => {
  await c.all([
    ['RPUSH', 'l', '1', 'x'], ['SORT', 'l'], ['SORT', 'l', 'ALPHA'], ['SORT', 'l', 'LIMIT', '0', '1'],
    ['RPUSH', 'w', '7', ' 1', '', '0x10', 'inf', '-inf', '+5', '\t2', '1\x00zz', '-0', '.5', '5.', 'infinity', '0e500'],
    ['SORT', 'w'], ['SORT', 'w', 'DESC'],
    ['RPUSH', 'bad1', '1', '1e400'], ['SORT', 'bad1'], ['RPUSH', 'bad2', '1', '1e-400'], ['SORT', 'bad2'],
    ['RPUSH', 'bad3', '1', 'nan'], ['SORT', 'bad3'], ['RPUSH', 'bad4', '1', '1 '], ['SORT', 'bad4'],
    ['RPUSH', 'bad5', '1', '  '], ['SORT', 'bad5'], ['RPUSH', 'bad6', '1', '0x'], ['SORT', 'bad6'],
    ['SORT', 'bad1', 'STORE', 'nothere'], ['EXISTS', 'nothere'],
    ['SET', 'str', 'v'], ['SORT', 'str'], ['HSET', 'h', 'f', 'v'], ['SORT', 'h'], ['XADD', 'x', '1-1', 'f', 'v'], ['SORT', 'x'],
    ['SORT', 'str', 'FOO'], ['SORT', 'l', 'FOO'], ['SORT', 'l', 'LIMIT', '1'], ['SORT', 'l', 'LIMIT', 'x', '1'],
    ['SORT', 'l', 'LIMIT', '1', '1.5'], ['SORT', 'l', 'BY'], ['SORT', 'l', 'GET'], ['SORT', 'l', 'STORE'],
    ['SORT_RO', 'l', 'STORE', 'd'], ['SORT_RO', 'l', 'BY', 'nosort', 'LIMIT'], ['SORT'], ['SORT_RO'],
    ['SORT', 'l', 'BY', 'nosort', 'FOO'], ['SORT', 'str', 'LIMIT', 'x', '1'],
  ]);
});

test('RESP3 replies, MULTI, and COMMAND GETKEYS', async ({ c }) => {
  for (const cl of [c.redis, c.echo]) await cl.call('HELLO', '3');
  await c.all([
    ['RPUSH', 'l', 'b', 'a'], ['SORT', 'l', 'ALPHA'], ['SORT', 'l', 'GET', 'nokey_*'], ['SORT', 'l', 'STORE', 'd'],
    ['MULTI'], ['SORT', 'l', 'ALPHA', 'STORE', 'd2'], ['SORT', 'd2'], ['SORT_RO', 'd2', 'ALPHA'], ['EXEC'],
    ['COMMAND', 'GETKEYS', 'SORT', 'l'], ['COMMAND', 'GETKEYS', 'SORT', 'l', 'STORE', 'a', 'STORE', 'b'],
    ['COMMAND', 'GETKEYS', 'SORT', 'l', 'GET', 'STORE', 'x'], ['COMMAND', 'GETKEYS', 'SORT', 'l', 'LIMIT', '0', '1', 'STORE', 'x'],
    ['COMMAND', 'GETKEYS', 'SORT_RO', 'l', 'BY', 'x'],
  ]);
  for (const cl of [c.redis, c.echo]) await cl.call('HELLO', '2');
  // Name, arity, flags, first/last/step and categories. The key specs are left out: echokv
  // reports one range spec per command, where Redis adds 'unknown' specs for BY/GET and STORE.
  const [r, e] = await c.both('COMMAND', 'INFO', 'sort', 'sort_ro');
  const head = (x: unknown): unknown => (x as unknown[][]).map((info) => info.slice(0, 7));
  assert.equal(head(plain(e.reply)), head(plain(r.reply)));
});

test('keyspace events: sortstore, del for an empty result, nothing for a plain SORT', async (ctx) => {
  const { c } = ctx;
  await c.same('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
  const sub = await ctx.connect();
  try {
    await sub.same('PSUBSCRIBE', '__key*__:*');
    await c.all([
      ['RPUSH', 'l', '2', '1'], ['SORT', 'l'], ['SORT', 'l', 'STORE', 'd'], ['SORT', 'nokey', 'STORE', 'd'],
      ['ZADD', 'z', '1', 'a'], ['SORT_RO', 'z'], ['SET', 'done', '1'],
    ]);
    // Every event up to the final SET, in order, from both servers.
    for (;;) {
      const [r, e] = await Promise.all([sub.redis.readRaw(2000), sub.echo.readRaw(2000)]);
      assert.is(e.bytes, r.bytes);
      if (r.bytes.includes('done')) break;
    }
    await c.same('CONFIG', 'SET', 'notify-keyspace-events', '');
  } finally {
    sub.redis.close();
    sub.echo.close();
  }
});

test.run();
