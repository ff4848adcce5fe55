// DEBUG DIGEST and DEBUG DIGEST-VALUE against redis-server: the same data must give the same
// SHA-1 signature in both, whatever each server's internal encoding (listpack or hashtable,
// intset, skiplist), because tests compare datasets (a master and its replica, a dataset before
// and after a reload) by these digests. Scores are mixed in as %.17g text, stream IDs as
// "ms.seq", a TTL as a mark; see core/digest.ts.
import { compatSuite } from './_compat.ts';

const test = compatSuite('DEBUG DIGEST');

test('an empty dataset, strings, TTLs and databases', async ({ c }) => {
  await c.all([
    ['DEBUG', 'DIGEST'], ['DEBUG', 'DIGEST-VALUE', 'nokey'], ['DEBUG', 'DIGEST-VALUE'],
    ['SET', 'k', 'v'], ['DEBUG', 'DIGEST-VALUE', 'k'], ['DEBUG', 'DIGEST-VALUE', 'nokey', 'k', 'k'],
    ['DEBUG', 'DIGEST'], ['DEBUG', 'DIGEST', 'x'],
    ['SET', 'n', '12345'], ['DEBUG', 'DIGEST-VALUE', 'n'], ['APPEND', 'n', '6'], ['DEBUG', 'DIGEST-VALUE', 'n'],
    ['SETRANGE', 'mut', '3', 'abc'], ['INCRBYFLOAT', 'f', '1.5'], ['SET', 'bin', '\x00\x01\xfe\xff'],
    ['DEBUG', 'DIGEST-VALUE', 'mut', 'f', 'bin'],
    ['SET', 'e', 'v', 'EX', '100'], ['DEBUG', 'DIGEST-VALUE', 'e'], ['PERSIST', 'e'], ['DEBUG', 'DIGEST-VALUE', 'e'],
    ['DEBUG', 'DIGEST'],
    // The same key in another database changes the whole digest (the db number is mixed in).
    ['SELECT', '3'], ['SET', 'k', 'v'], ['SELECT', '0'], ['DEBUG', 'DIGEST'],
    ['MOVE', 'n', '3'], ['DEBUG', 'DIGEST'],
    ['FLUSHALL'], ['DEBUG', 'DIGEST'],
  ]);
});

test('lists, sets, hashes and sorted sets in every encoding', async ({ c }) => {
  await c.all([
    ['RPUSH', 'l', 'a', 'b', 'c', '1', '2', '300000', ''], ['DEBUG', 'DIGEST-VALUE', 'l'],
    ['LPUSH', 'l2', 'a', 'b', 'c', '1', '2', '300000', ''], ['DEBUG', 'DIGEST-VALUE', 'l2'],
    ['SADD', 's', 'a', 'b', 'c'], ['SADD', 'si', '1', '2', '3', '-5'], ['DEBUG', 'DIGEST-VALUE', 's', 'si'],
    ['HSET', 'h', 'f1', 'v1', 'f2', 'v2', 'f3', '\x00\xff'], ['DEBUG', 'DIGEST-VALUE', 'h'],
    ['ZADD', 'z', '1', 'a', '2', 'b', '3.5', 'c'], ['DEBUG', 'DIGEST-VALUE', 'z'],
    ['ZADD', 'z2', '0.1', 'a', '1e20', 'b', '-inf', 'c', 'inf', 'd', '1.0000000000000002', 'e', '-0', 'f', '12', '13'],
    ['DEBUG', 'DIGEST-VALUE', 'z2'], ['DEBUG', 'DIGEST'],
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '1'], ['CONFIG', 'SET', 'hash-max-listpack-entries', '1'],
    ['CONFIG', 'SET', 'set-max-intset-entries', '1'],
    ['ZADD', 'zb', '0.1', 'a', '2', 'b', '1e300', 'c', '5e-324', 'd'], ['DEBUG', 'DIGEST-VALUE', 'zb'],
    ['HSET', 'hb', 'f1', 'v1', 'f2', 'v2', 'f3', '\x00\xff'], ['DEBUG', 'DIGEST-VALUE', 'hb'],
    ['SADD', 'sb', '1', '2', '3', 'x'], ['DEBUG', 'DIGEST-VALUE', 'sb'],
    ['DEBUG', 'DIGEST'],
    ['CONFIG', 'SET', 'zset-max-listpack-entries', '128'], ['CONFIG', 'SET', 'hash-max-listpack-entries', '128'],
    ['CONFIG', 'SET', 'set-max-intset-entries', '512'],
  ]);
});

test('streams: live entries in order, deleted ones left out', async ({ c }) => {
  await c.all([
    ['XADD', 'x', '1-1', 'a', 'b', 'c', 'd'], ['XADD', 'x', '2-5', 'a', 'b', 'c', 'd'], ['XADD', 'x', '3-0', 'e', 'f'],
    ['XADD', 'x', '18446744073709551615-3', 'a', 'b', 'c', 'd'],
    ['DEBUG', 'DIGEST-VALUE', 'x'], ['XDEL', 'x', '2-5'], ['DEBUG', 'DIGEST-VALUE', 'x'],
    ['XGROUP', 'CREATE', 'x', 'g', '0'], ['DEBUG', 'DIGEST-VALUE', 'x'],
    ['XTRIM', 'x', 'MAXLEN', '0'], ['DEBUG', 'DIGEST-VALUE', 'x'], ['DEBUG', 'DIGEST'],
  ]);
});

test.run();
