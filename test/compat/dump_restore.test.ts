// DUMP and RESTORE against a real redis-server 7.0: payloads are byte for byte Redis's where
// Redis's own bytes are deterministic (strings with and without LZF, integers, listpacks,
// intsets, quicklists, skiplists, streams), a payload from either server restores in the other
// with the same content and encoding, and every RESTORE error is Redis's, same bytes.
import * as assert from 'uvu/assert';
import { compatSuite, type Compat } from './_compat.ts';
import { crc64 } from '../../plugins/persistence/rdb/_crc64.ts';

type Cmd = (string | number)[];

/** Setups of one key `k` each, and whether Redis's payload bytes are deterministic for it. */
const CASES: [string, Cmd[], boolean][] = [
  ['short string', [['SET', 'k', 'hello']], true],
  ['empty string', [['SET', 'k', '']], true],
  ['int8 string', [['SET', 'k', '-12']], true],
  ['int16 string', [['SET', 'k', '3000']], true],
  ['int32 string', [['SET', 'k', '-2000000000']], true],
  ['64-bit integer string', [['SET', 'k', '9223372036854775807']], true],
  ['non-canonical number', [['SET', 'k', '0012']], true],
  ['compressible string (LZF)', [['SET', 'k', 'abcdefgh'.repeat(50)]], true],
  ['long incompressible string', [['SET', 'k', Array.from({ length: 300 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join('')]], true],
  ['binary string', [['SET', 'k', '\x00\xff\r\n\x80']], true],
  ['appended string', [['SET', 'k', 'abc'], ['APPEND', 'k', 'def'.repeat(20)]], true],
  ['list', [['RPUSH', 'k', 'a', '1', '-1', '300', '70000', '5000000000', 'x'.repeat(80), '']], true],
  ['long list (several nodes)', [['RPUSH', 'k', ...Array.from({ length: 2000 }, (_, i) => `item-${i}`)]], true],
  ['listpack hash', [['HSET', 'k', 'a', '1', 'b', 'two', 'c', '-300']], true],
  ['hashtable hash', [['HSET', 'k', ...Array.from({ length: 300 }, (_, i) => [`f${i}`, `v${i}`]).flat()]], false],
  ['intset', [['SADD', 'k', '5', '-3', '100000', '7']], true],
  ['64-bit intset', [['SADD', 'k', '5', '-3', '9000000000']], true],
  ['hashtable set', [['SADD', 'k', 'a', 'b', 'c', 'd']], false],
  ['listpack zset', [['ZADD', 'k', '1', 'a', '2.5', 'b', '-0', 'c', 'inf', 'd', '1e300', 'e']], true],
  ['listpack zset with fractional scores', [['ZADD', 'k', '0.1', 'a', '0.75', 'b', '-1.125', 'c', '3.14159', 'd',
    '1e-5', 'e', '0.0001', 'f', '123456.789', 'g', '4611686018427387904', 'h', '4611686018427387905', 'i', '-2.5e-7', 'j']], true],
  ['skiplist zset', [['ZADD', 'k', ...Array.from({ length: 200 }, (_, i) => [String(i / 3), `m${i}`]).flat()]], true],
  ['stream', [['XADD', 'k', '1-1', 'a', '1'], ['XADD', 'k', '1-2', 'a', '2'], ['XADD', 'k', '2-0', 'b', 'x', 'c', 'y']], true],
  ['stream with groups, PEL and tombstones', [
    ['XADD', 'k', '1-1', 'a', '1'], ['XADD', 'k', '1-2', 'a', '2'], ['XADD', 'k', '3-0', 'a', '3'],
    ['XGROUP', 'CREATE', 'k', 'g', '0'], ['XREADGROUP', 'GROUP', 'g', 'c1', 'COUNT', '2', 'STREAMS', 'k', '>'],
    ['XDEL', 'k', '1-2'], ['XGROUP', 'CREATECONSUMER', 'k', 'g', 'c2']], false],
  ['empty stream', [['XADD', 'k', '1-1', 'a', '1'], ['XDEL', 'k', '1-1']], true],
];

/** Reads `key` in the way that shows its whole content. */
async function content(c: Compat, key: string): Promise<void> {
  const type = await c.same('TYPE', key);
  if (type === 'string') await c.same('GET', key);
  else if (type === 'list') await c.same('LRANGE', key, '0', '-1');
  else if (type === 'hash') await c.sameUnordered('HGETALL', key);
  else if (type === 'set') await c.sameUnordered('SMEMBERS', key);
  else if (type === 'zset') await c.same('ZRANGE', key, '0', '-1', 'WITHSCORES');
  else if (type === 'stream') {
    await c.same('XRANGE', key, '-', '+');
    await c.same('XINFO', 'GROUPS', key);
  }
  await c.same('OBJECT', 'ENCODING', key);
}

const test = compatSuite('dump and restore');

for (const [name, setup, deterministic] of CASES) {
  test(`DUMP of a ${name} restores in the other server with the same content`, async ({ c }) => {
    for (const cmd of setup) await c.same(...cmd);
    const [r, e] = await c.both('DUMP', 'k');
    const fromRedis = (r.reply as { value: string }).value;
    const fromEcho = (e.reply as { value: string }).value;
    assert.type(fromRedis, 'string');
    assert.type(fromEcho, 'string');
    if (deterministic) assert.is(firstDifference(fromEcho, fromRedis), null, 'payload bytes');
    // Redis's payload into both servers, and echokv's into both.
    await c.same('RESTORE', 'from-redis', '0', fromRedis);
    await c.same('RESTORE', 'from-echo', '0', fromEcho);
    await content(c, 'k');
    await content(c, 'from-redis');
    await content(c, 'from-echo');
    // The restored values are equal to the original in each server too.
    if (deterministic) assert.equal(await c.echo.call('DUMP', 'from-redis'), await c.echo.call('DUMP', 'from-echo'));
  });
}

test('DUMP of a missing key is nil; RESTORE errors are Redis\'s', async ({ c }) => {
  await c.same('DUMP', 'nope');
  await c.same('SET', 'k', 'v');
  const payload = (await c.redis.call('DUMP', 'k')) as string;
  await c.same('RESTORE', 'k', '0', payload);
  await c.same('RESTORE', 'k2', 'abc', payload);
  await c.same('RESTORE', 'k2', '-1', payload);
  await c.same('RESTORE', 'k2', '99999999999999999999', payload);
  await c.same('RESTORE', 'k2', '0', payload, 'BOGUS');
  await c.same('RESTORE', 'k2', '0', payload, 'IDLETIME');
  await c.same('RESTORE', 'k2', '0', payload, 'IDLETIME', '-1');
  await c.same('RESTORE', 'k2', '0', payload, 'IDLETIME', 'x');
  await c.same('RESTORE', 'k2', '0', payload, 'FREQ', '256');
  await c.same('RESTORE', 'k2', '0', payload, 'FREQ', '-1');
  await c.same('RESTORE', 'k2', '0', payload, 'IDLETIME', '10', 'FREQ', '5');
  await c.same('RESTORE', 'k2', '0', payload, 'FREQ', '5', 'IDLETIME', '10');
  // Checksum, version, length.
  const flipped = payload.slice(0, 3) + String.fromCharCode(payload.charCodeAt(3) ^ 1) + payload.slice(4);
  await c.same('RESTORE', 'k2', '0', flipped);
  await c.same('RESTORE', 'k2', '0', 'short');
  await c.same('RESTORE', 'k2', '0', '');
  await c.same('RESTORE', 'k2', '0', withFooter('\x00\x01v', 99));
  // A valid checksum over bytes that are no value.
  await c.same('RESTORE', 'k2', '0', withFooter('\x00\xbf', 10));
  await c.same('RESTORE', 'k2', '0', withFooter('\x63\x01v', 10));
  await c.same('RESTORE', 'k2', '0', withFooter('\x02\x00', 10));
  await c.same('RESTORE', 'k2', '0', withFooter('\x00\x05ab', 10));
  // The BUSYKEY check comes before the TTL and payload checks, as in Redis.
  await c.same('RESTORE', 'k', 'abc', 'garbage');
  await c.same('EXISTS', 'k2');
});

test('RESTORE REPLACE, ABSTTL, TTLs and expired timestamps', async ({ c }) => {
  await c.same('SET', 'k', 'v');
  const payload = (await c.redis.call('DUMP', 'k')) as string;
  await c.same('RESTORE', 'k', '0', payload, 'REPLACE');
  await c.same('RESTORE', 't', '100000', payload);
  const [r, e] = await c.both('PTTL', 't');
  const ttl = (x: typeof r): number => Number((x.reply as { value: number | bigint }).value);
  assert.ok(ttl(r) > 90000 && ttl(e) > 90000 && Math.abs(ttl(r) - ttl(e)) < 5000, `PTTL ${ttl(r)} and ${ttl(e)}`);
  await c.same('RESTORE', 'abs', '4102444800000', payload, 'ABSTTL');
  await c.same('PEXPIRETIME', 'abs');
  // An absolute time in the past: OK, and no key (REPLACE deletes the old one).
  await c.same('RESTORE', 'k', '1000', payload, 'ABSTTL', 'REPLACE');
  await c.same('EXISTS', 'k');
  await c.same('RESTORE', 'past', '1', payload, 'ABSTTL');
  await c.same('EXISTS', 'past');
});

test('RESTORE IDLETIME sets the idle time', async ({ c }) => {
  await c.same('SET', 'k', 'v');
  const payload = (await c.redis.call('DUMP', 'k')) as string;
  await c.same('RESTORE', 'idle', '0', payload, 'IDLETIME', '1000');
  await c.same('OBJECT', 'IDLETIME', 'idle');
  await c.same('OBJECT', 'FREQ', 'idle');
});

test('RESTORE refuses an empty quicklist node and a stream group with two consumers of one name', async ({ c }) => {
  await c.all([
    ['RESTORE', 'l', '0', '\x12\x01\x01\x00\x0a\x00\x8f\xc6\xc0\x57\x1c\x0a\xb3\x3c', 'REPLACE'],
    ['RESTORE', 's', '0', '\x0F\x00\x00\x00\x00\x01\x07\x6D\x79\x67\x72\x6F\x75\x70\x00\x00\x00\x02\x04\x6E\x61\x6D\x65' +
      '\x2A\x4C\xAA\x9A\x7D\x01\x00\x00\x00\x04\x6E\x61\x6D\x65\x2B\x4C\xAA\x9A\x7D\x01\x00\x00\x00\x0A\x00\xCC\xED\x8C\xA7\x62\xEE\xC7\xC8'],
    ['EXISTS', 'l', 's'],
  ]);
});

test('DEBUG SET-SKIP-CHECKSUM-VALIDATION; the reason for a bad format is logged at verbose level', async ({ c, echokv }) => {
  await c.same('SET', 'k', 'v');
  const payload = (await c.redis.call('DUMP', 'k')) as string;
  const bad = payload.slice(0, -1) + String.fromCharCode(payload.charCodeAt(payload.length - 1) ^ 1);
  try {
    await c.all([
      ['RESTORE', 'a', '0', bad], ['DEBUG', 'SET-SKIP-CHECKSUM-VALIDATION', '1'], ['RESTORE', 'a', '0', bad], ['GET', 'a'],
      ['DEBUG', 'SET-SKIP-CHECKSUM-VALIDATION', '0'], ['RESTORE', 'b', '0', bad], ['EXISTS', 'b'],
      ['DEBUG', 'SET-SKIP-CHECKSUM-VALIDATION'],
    ]);
  } finally {
    await c.both('DEBUG', 'SET-SKIP-CHECKSUM-VALIDATION', '0');
  }
  // A hash ziplist whose header claims 12 bytes where it has 11.
  const seen: string[] = [];
  const log = echokv.server.log;
  const verbose = log.verbose;
  log.verbose = (m: string) => void seen.push(m);
  try {
    await c.same('RESTORE', 'z', '0', withFooter('\x0d\x0b\x0c\x00\x00\x00\x0a\x00\x00\x00\x00\x00\xff', 10));
  } finally {
    log.verbose = verbose;
  }
  // Redis's rdbLoadObject names the type: "Hash ziplist integrity check failed."
  assert.ok(seen.some((m) => m.includes('Hash ziplist integrity check failed')), seen.join('\n'));
});

// echokv lays out quicklist nodes when it saves (as if every element had been pushed at the tail
// with the settings of that moment); Redis decides at each push. They agree while the threshold
// stays as it was when the list was written, which is what this compares.
test('DEBUG QUICKLIST-PACKED-THRESHOLD: elements at the threshold or above are saved in plain nodes', async ({ c }) => {
  const sameDump = async (key: string): Promise<void> => {
    const [r, e] = await c.both('DUMP', key);
    assert.is(firstDifference((e.reply as { value: string }).value, (r.reply as { value: string }).value), null, `DUMP ${key}`);
  };
  try {
    await c.all([
      ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '5gb'], ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '4294967296'],
      ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '4293918720'], ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '-1'],
      ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '10x'], ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD'],
      ['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '10b'],
      ['RPUSH', 'k', 'short', 'exactly10b', 'a', 'b', 'a much longer element', '', 'c'],
    ]);
    await sameDump('k');
    await c.all([['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '1B'], ['RPUSH', 'one', 'x', '', 'yz']]);
    await sameDump('one');
    // 0 restores the default (1 GB): the same elements go into one listpack again.
    await c.all([['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '0'], ['RPUSH', 'k2', 'short', 'exactly10b', 'a much longer element']]);
    await sameDump('k2');
  } finally {
    await c.both('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '0');
  }
});

test.run();

const lfu = compatSuite('dump and restore under an LFU policy', { 'maxmemory-policy': 'allkeys-lfu' });
lfu('RESTORE FREQ sets the LFU counter', async ({ c }) => {
  await c.same('SET', 'k', 'v');
  const payload = (await c.redis.call('DUMP', 'k')) as string;
  await c.same('RESTORE', 'f', '0', payload, 'FREQ', '100');
  await c.same('OBJECT', 'FREQ', 'f');
  await c.same('OBJECT', 'IDLETIME', 'f');
});
lfu.run();

/** `body` + RDB version (u16 LE) + a correct CRC-64. */
function withFooter(body: string, version: number): string {
  const bytes = Uint8Array.from([...body].map((ch) => ch.charCodeAt(0)).concat([version & 0xff, version >> 8]));
  const c = crc64(bytes).bytesLE();
  return String.fromCharCode(...bytes, ...c);
}

/** Where two byte strings first differ (with a little context, in hex), or null when equal. */
function firstDifference(a: string, b: string): string | null {
  if (a === b) return null;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const hex = (s: string): string => [...s.slice(Math.max(0, i - 4), i + 12)].map((ch) => ch.charCodeAt(0).toString(16).padStart(2, '0')).join(' ');
  return `lengths ${a.length} and ${b.length}, first difference at byte ${i}: ${hex(a)} vs ${hex(b)}`;
}
