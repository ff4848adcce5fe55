// Edge cases of the hash, set and list commands found by differential runs against a real
// redis-server 7.0: encodings after CONFIG SET moves a threshold under existing values, and the
// argument checks (counts, timeouts, options) whose order decides which error comes back.
import { compatSuite } from './_compat.ts';

const test = compatSuite('edge hash set list');

const enc = (key: string): string[] => ['OBJECT', 'ENCODING', key];

test('a listpack hash over a lowered hash-max-listpack-entries converts on any hashTypeSet, updates too', async ({ c }) => {
  // Redis's hashTypeSet checks the length after every listpack write, not only after an insert,
  // so HINCRBY and HINCRBYFLOAT on an existing field convert such a hash.
  const writes = [
    ['HINCRBY', 'h', 'n', '1'], ['HINCRBYFLOAT', 'h', 'n', '1'], ['HINCRBYFLOAT', 'h', 'n', '1.25'],
    ['HSET', 'h', 'a', 'z'], ['HMSET', 'h', 'a', 'z'], ['HSETNX', 'h', 'a', 'z'], ['HSETNX', 'h', 'new', 'z'],
    ['HDEL', 'h', 'a'], ['HDEL', 'h', 'zz'],
  ];
  try {
    for (const w of writes) {
      await c.all([
        ['DEL', 'h'], ['CONFIG', 'SET', 'hash-max-listpack-entries', '128'], ['HSET', 'h', 'a', '1', 'b', '2', 'n', '5'],
        ['CONFIG', 'SET', 'hash-max-listpack-entries', '2'], enc('h'), w, enc('h'),
      ]);
      await c.sameUnordered('HGETALL', 'h');
    }
  } finally {
    await c.both('CONFIG', 'SET', 'hash-max-listpack-entries', '128');
  }
});

test('a lowered hash-max-listpack-value converts on a longer HINCRBYFLOAT result, not on a refused HSETNX', async ({ c }) => {
  try {
    await c.all([
      ['HSET', 'h', 'a', '1', 'n', '5'], ['CONFIG', 'SET', 'hash-max-listpack-value', '3'], ['HINCRBYFLOAT', 'h', 'n', '1'],
      enc('h'), ['HSETNX', 'h', 'a', 'long value'], enc('h'), ['HINCRBYFLOAT', 'h', 'n', '1.123456789'], enc('h'),
      ['HINCRBY', 'h2', 'f', '1000'], enc('h2'), ['HINCRBY', 'h3', 'ffff', '1'], enc('h3'),
    ]);
    await c.sameUnordered('HGETALL', 'h');
  } finally {
    await c.both('CONFIG', 'SET', 'hash-max-listpack-value', '64');
  }
});

test('a lowered set-max-intset-entries converts an intset only when a member is added', async ({ c }) => {
  const writes = [
    ['SADD', 's', '1'], ['SADD', 's', '9'], ['SREM', 's', '1'], ['SMOVE', 'o', 's', '7'], ['SMOVE', 'o', 's', '1'],
    ['SMOVE', 's', 'o', '1'], ['SMOVE', 's', 'new', '1'], ['SINTERSTORE', 'd', 's', 's'], ['SUNIONSTORE', 'd', 's'],
    ['SDIFFSTORE', 'd', 's', 'o'],
  ];
  try {
    for (const w of writes) {
      await c.all([
        ['FLUSHALL'], ['CONFIG', 'SET', 'set-max-intset-entries', '512'], ['SADD', 's', '1', '2', '3', '4'],
        ['SADD', 'o', '7', '1', '4'], ['CONFIG', 'SET', 'set-max-intset-entries', '2'], w, enc('s'), enc('o'), enc('d'),
        enc('new'),
      ]);
      await c.sameUnordered('SMEMBERS', 's');
      await c.sameUnordered('SMEMBERS', 'd');
    }
  } finally {
    await c.both('CONFIG', 'SET', 'set-max-intset-entries', '512');
  }
});

test.run();
