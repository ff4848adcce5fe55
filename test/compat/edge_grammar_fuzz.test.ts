// Cases from a grammar-driven differential fuzz: random invocations built from COMMAND DOCS of
// redis-server 7.0 (every command and subcommand, valid and broken: missing, extra and repeated
// arguments, odd numbers, non-UTF-8 bytes), sent to both servers in RESP2 and RESP3 with the raw
// replies compared. Each test pins a difference the fuzz found, byte for byte.
import * as assert from 'uvu/assert';
import { compatSuite } from './_compat.ts';

const test = compatSuite('edge grammar fuzz');

test('CLIENT UNBLOCK: more than 4 arguments is an unknown subcommand; the reason is checked before the id', async ({ c }) => {
  for (const proto of ['3', '2']) {
    await c.both('HELLO', proto);
    await c.all([
      ['CLIENT', 'UNBLOCK', 'x', 'x', 'ERROR'], ['CLIENT', 'UNBLOCK', '1', 'TIMEOUT', 'x'], ['CLIENT', 'UNBLOCK', 'x', 'STREAMS'],
      ['CLIENT', 'UNBLOCK', 'XX', '99999'], ['CLIENT', 'UNBLOCK', 'x', 'timeout'], ['CLIENT', 'UNBLOCK', 'x'],
      ['CLIENT', 'UNBLOCK', '99999', 'error'], ['CLIENT', 'UNBLOCK', '99999'],
    ]);
  }
});

test('DEBUG SLEEP with a time past a long long of microseconds returns at once, as Redis does', async ({ c }) => {
  const started = Date.now();
  await c.all([
    ['DEBUG', 'SLEEP', '9999999999999999999999'], ['DEBUG', 'SLEEP', '1e300'], ['DEBUG', 'SLEEP', 'inf'], ['DEBUG', 'SLEEP', 'nan'],
    ['DEBUG', 'SLEEP', '-1'], ['DEBUG', 'SLEEP', 'x'], ['DEBUG', 'SLEEP', '0'], ['PING'],
  ]);
  assert.ok(Date.now() - started < 2000, 'no sleep');
});

test('integral scores between 2^53 and 1e17 print their exact digits (%.17g), not the shortest round trip', async ({ c }) => {
  await c.all([
    ['GEOADD', 'geo', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania', '2.349014', '48.864716', 'Paris'],
    ['ZINTERSTORE', 'geo', '1', 'geo', 'WEIGHTS', '10'], ['ZRANGE', 'geo', '0', '-1', 'WITHSCORES'], ['ZSCORE', 'geo', 'Catania'],
    ['DEBUG', 'DIGEST-VALUE', 'geo'],
    ['ZADD', 'z', '99999999999999999', 'a', '12345678901234567', 'b', '9007199254740993', 'c', '-12345678901234567', 'd'],
    ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'], ['ZINCRBY', 'z', '2', 'c'], ['ZMSCORE', 'z', 'a', 'b', 'd'],
    ['ZRANGEBYSCORE', 'z', '-inf', '+inf', 'WITHSCORES'], ['ZADD', 'z', 'INCR', '1', 'b'],
    ['ZADD', 'w', '34794473707969088', 'm'], ['ZUNIONSTORE', 'u', '2', 'w', 'z', 'WEIGHTS', '1', '3'],
    ['ZRANGE', 'u', '0', '-1', 'WITHSCORES'], ['DEBUG', 'DIGEST-VALUE', 'u', 'z', 'w'],
  ]);
  await c.both('HELLO', '3');
  await c.all([['ZRANGE', 'z', '0', '-1', 'WITHSCORES'], ['ZSCORE', 'geo', 'Catania'], ['ZPOPMAX', 'u', '2']]);
  await c.both('HELLO', '2');
});

const resp = (...args: string[]): string => `*${args.length}\r\n` + args.map((a) => `$${a.length}\r\n${a}\r\n`).join('');

test('a pipeline mixing commands with and without a member on one big hash or set (read-ahead) is served', async ({ c }) => {
  const fields: string[] = [];
  for (let i = 0; i < 200; i++) fields.push(`k${i}`, 'v');
  await c.same('HSET', 'bh', ...fields);
  await c.same('SADD', 'bs', ...fields.filter((_, i) => i % 2 === 0));
  // echokv read ahead for the member of each command on the key, and crashed on HLEN's none.
  await c.sameRaw(resp('HLEN', 'bh') + resp('HGET', 'bh', 'k1') + resp('SCARD', 'bh') + resp('HEXISTS', 'bh', 'k2'));
  await c.sameRaw(resp('HGET', 'bh', 'k3') + resp('HLEN', 'bh') + resp('HSTRLEN', 'bh', 'k4'));
  await c.sameRaw(resp('SCARD', 'bs') + resp('SISMEMBER', 'bs', 'k0') + resp('SCARD', 'bs') + resp('SREM', 'bs', 'k0') + resp('SCARD', 'bs'));
  await c.sameRaw(resp('HDEL', 'bh', 'k5') + resp('HLEN', 'bh') + resp('HGET', 'bh', 'k5') + resp('DEL', 'bh') + resp('HLEN', 'bh'));
  await c.same('PING');
});

test.run();
