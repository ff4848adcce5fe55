// Serialized values and encodings against redis-server 7.0, from a differential sweep: DUMP bytes
// (LZF as lzf_c.c compresses, every encoding under changed *-max-listpack-* limits), payloads
// with a valid checksum that Redis reads in its own lenient ways (a string header where a length
// goes, LZF data of original length 0, stream node headers, score texts), INFO
// dump_payload_sanitizations under each sanitize-dump-payload mode, RESTORE IDLETIME beyond the
// 24-bit LRU clock, and OBJECT ENCODING after the commands that convert (and RESTORE and DEBUG
// RELOAD, which convert back down).
import * as assert from 'uvu/assert';
import { type Compat, compatSuite, show } from './_compat.ts';
import { crc64 } from '../../plugins/persistence/rdb/_crc64.ts';
import { Bytes, ziplist, zipmap } from '../_rdb.ts';

type Arg = string | number;

/** `body` + RDB version 10 + its CRC-64: a payload whose footer is right. */
function payload(body: number[]): string {
  const b = Uint8Array.from([...body, 10, 0]);
  return String.fromCharCode(...b, ...crc64(b).bytesLE());
}

/** An RDB string of 1..63 bytes. */
const rstr = (s: string): number[] => [s.length, ...[...s].map((ch) => ch.charCodeAt(0))];

/** A listpack of short strings, as an RDB string. */
function listpack(items: string[]): number[] {
  const entries: number[] = [];
  for (const s of items) entries.push(0x80 | s.length, ...[...s].map((ch) => ch.charCodeAt(0)), 1 + s.length);
  const total = 6 + entries.length + 1;
  return [total, total & 255, total >> 8, 0, 0, items.length & 255, items.length >> 8, ...entries, 0xff];
}

/** Asserts both servers dump `key` to the same bytes. */
async function sameDump(c: Compat, key: string): Promise<void> {
  const [r, e] = await c.both('DUMP', key);
  assert.is(show(e.bytes), show(r.bytes), `DUMP ${key}`);
}

const DEFAULT_LIMITS: [string, string][] = [
  ['hash-max-listpack-entries', '512'], ['hash-max-listpack-value', '64'], ['set-max-intset-entries', '512'],
  ['zset-max-listpack-entries', '128'], ['zset-max-listpack-value', '64'], ['stream-node-max-entries', '100'],
  ['sanitize-dump-payload', 'no'], ['maxmemory-policy', 'noeviction'], ['rdbcompression', 'yes'],
];

const test = compatSuite('edge dump and encodings', {}, { rdb: true });
test.before.each(async ({ c }) => {
  if (!c) return;
  for (const [k, v] of DEFAULT_LIMITS) await c.both('CONFIG', 'SET', k, v);
});

test('LZF: a match may run to the end of the input, as lzf_c.c\'s unrolled loop lets it', async ({ c }) => {
  // 'ab' * 11: "aba" then a back reference of 19 bytes to the end (the capped loop gave 17 + "ab").
  const gens: ((n: number) => string)[] = [
    (n) => 'ab'.repeat(n).slice(0, n), (n) => 'abc'.repeat(n).slice(0, n), (n) => 'a'.repeat(n),
    (n) => Array.from({ length: n }, (_, i) => String.fromCharCode(65 + ((i * 7) % 13))).join(''),
    (n) => Array.from({ length: n }, (_, i) => 'xyz'[(i * i) % 3]).join(''),
  ];
  for (let n = 21; n <= 60; n++) {
    for (const g of gens) {
      await c.both('SET', 'k', g(n));
      await sameDump(c, 'k');
    }
  }
  // Inside listpacks (a hash, a list node) too.
  await c.all([['HSET', 'h', 'f', 'ab'.repeat(11), 'g', 'abc'.repeat(9)], ['RPUSH', 'l', 'ab'.repeat(15), 'ab'.repeat(11)]]);
  await sameDump(c, 'h');
  await sameDump(c, 'l');
});

test('list-compress-depth: middle quicklist nodes are dumped LZF-compressed when quicklist keeps them so', async ({ c }) => {
  try {
    for (const [depth, size] of [['1', '3'], ['2', '5'], ['1', '-1']]) {
      for (const compression of ['no', 'yes']) {
        await c.all([['DEL', 'l', 'm'], ['CONFIG', 'SET', 'list-compress-depth', depth], ['CONFIG', 'SET', 'list-max-listpack-size', size],
          ['CONFIG', 'SET', 'rdbcompression', compression]]);
        for (let i = 0; i < 40; i++) await c.same('RPUSH', 'l', `element-${i}-${'x'.repeat(i % 7 === 0 ? 60 : i % 5)}`);
        // Small nodes (under 48 bytes) and ones LZF shrinks by 8 bytes or less stay raw.
        for (let i = 0; i < 30; i++) await c.same('RPUSH', 'm', String.fromCharCode(97 + (i * 7) % 26).repeat(1 + (i % 4) * 5));
        await sameDump(c, 'l');
        await sameDump(c, 'm');
      }
    }
  } finally {
    await c.both('CONFIG', 'SET', 'list-compress-depth', '0');
    await c.both('CONFIG', 'SET', 'list-max-listpack-size', '-2');
  }
});

test('DEBUG OBJECT: serializedlength as the dump writes the value, and a list\'s quicklist figures', async ({ c }) => {
  const mask = (b: string): string => b.replace(/at:0x[0-9a-f]+/, 'at:X').replace(/ lru:\d+ lru_seconds_idle:\d+/, ' lru:N idle:N');
  const same = async (key: string): Promise<void> => {
    const [r, e] = await c.both('DEBUG', 'OBJECT', key);
    assert.is(show(mask(e.bytes)), show(mask(r.bytes)), `DEBUG OBJECT ${key}`);
  };
  await c.all([
    ['SET', 's1', 'x'.repeat(100)], ['SET', 's2', 'ab'.repeat(11)], ['SET', 's3', '-9223372036854775808'], ['RPUSH', 'l1', 'a', 'b', '1', '2'],
    ['RPUSH', 'l2', ...Array.from({ length: 2000 }, (_, i) => `item${i}`)], ['HSET', 'h1', 'a', '1'], ['ZADD', 'z1', '1', 'a', '2.5', 'b'],
    ['ZADD', 'z2', ...Array.from({ length: 200 }, (_, i) => [String(i / 3), `m${i}`]).flat()], ['SADD', 't1', '1', '2', '3'],
    ['SADD', 't2', 'a'], ['XADD', 'x1', '1-1', 'a', 'b'],
  ]);
  for (const k of ['s1', 's2', 's3', 'l1', 'l2', 'h1', 'z1', 'z2', 't1', 't2', 'x1']) await same(k);
  try {
    await c.all([['CONFIG', 'SET', 'list-compress-depth', '1'], ['CONFIG', 'SET', 'list-max-listpack-size', '3']]);
    for (let i = 0; i < 40; i++) await c.same('RPUSH', 'lc', `element-${i}-${'x'.repeat(i % 9)}`);
    await same('lc');
  } finally {
    await c.both('CONFIG', 'SET', 'list-compress-depth', '0');
    await c.both('CONFIG', 'SET', 'list-max-listpack-size', '-2');
  }
});

test('RESTORE reads payloads as Redis does: string headers as lengths, LZF of original length 0', async ({ c }) => {
  const bodies: number[][] = [
    [0, 0xc3, 3, 0, 1, 0x61, 0x62], // a string: LZF, 3 bytes claiming an original length of 0 -> ""
    [0, 0xc3, 3, 0xc0, 1, 0x61, 0x62], // the same with the length as 0xc0 (rdbLoadLen: low 6 bits)
    [4, 1, ...rstr('f'), 0xc3, 3, 0, 1, 0x61, 0x62], // a hash whose value is such an LZF string
    [1, 0xc2, ...rstr('a'), ...rstr('b')], // a plain list whose length is 0xc2 (2)
    [2, 0xc1, ...rstr('x')], // a plain set whose length is 0xc1 (1)
  ];
  for (const body of bodies) {
    await c.same('RESTORE', 'k', '0', payload(body), 'REPLACE');
    const type = await c.same('TYPE', 'k');
    if (type === 'string') await c.same('GET', 'k');
    else if (type === 'hash') await c.same('HGETALL', 'k');
    else if (type === 'list') await c.same('LRANGE', 'k', '0', '-1');
    else await c.same('SMEMBERS', 'k');
    await c.same('OBJECT', 'ENCODING', 'k');
    await sameDump(c, 'k');
  }
});

test('RESTORE: listpack scores as strtod reads them; a stream node header\'s count is not checked', async ({ c }) => {
  // Score texts Redis never writes, read by zzlStrtod: the longest number at the start.
  await c.same('RESTORE', 'z', '0', payload([17, ...listpack(['a', '1.5x', 'b', ' 2e1', 'c', '0x1p5', 'd', 'inf!'])]));
  await c.same('ZRANGE', 'z', '0', '-1', 'WITHSCORES');
  await c.same('ZSCORE', 'z', 'c');
  await c.same('RESTORE', 'z2', '0', payload([17, ...listpack(['a', '', 'b', 'x'])]));
  await c.same('ZRANGE', 'z2', '0', '-1', 'WITHSCORES');
  // A stream node whose listpack header counts one element too many: only its size is checked.
  await c.all([['CONFIG', 'SET', 'rdbcompression', 'no'], ['XADD', 's', '1-1', 'a', '1']]);
  const dump = (await c.redis.call('DUMP', 's')) as string;
  const body = [...dump.slice(0, -10)].map((ch) => ch.charCodeAt(0));
  assert.is(body[0], 19); // RDB_TYPE_STREAM_LISTPACKS_2, one node, its 16-byte key, the listpack
  body[24]++;
  await c.same('RESTORE', 's2', '0', payload(body));
  await c.same('XRANGE', 's2', '-', '+');
  await c.same('XINFO', 'STREAM', 's2');
});

test('RESTORE of the older encodings: ziplist tail offsets, zipmap counts, string scores', async ({ c }) => {
  const zl = ziplist(['a', 1, 'bb', 300]);
  const withTail = (t: number): Uint8Array => {
    const z = zl.slice();
    z[4] = t;
    return z;
  };
  const zm = zipmap(['f', 'v', 'g', 'w']);
  const withCount = (n: number, tail: number[] = []): Uint8Array => {
    const z = Uint8Array.from([...zm.slice(0, -1), ...tail, 0xff]);
    z[0] = n;
    return z;
  };
  const bodies: Uint8Array[] = [
    new Bytes().byte(10).rblob(zl).done(), // a list ziplist, right
    new Bytes().byte(10).rblob(withTail(zl[4] - 1)).done(), // zltail not at the last entry
    new Bytes().byte(10).rblob(withTail(zl.length - 1)).done(), // zltail at the end byte
    new Bytes().byte(10).rblob(withTail(zl.length)).done(), // past it
    new Bytes().byte(10).rblob(ziplist([])).done(), // no entries: an empty key
    new Bytes().byte(9).rblob(zm).done(), // a zipmap, right
    new Bytes().byte(9).rblob(withCount(3)).done(), // counting 3 of its 2 pairs
    new Bytes().byte(9).rblob(withCount(254)).done(), // 254: count them
    new Bytes().byte(9).rblob(withCount(2, [0xff, 1, 2])).done(), // bytes after its first end byte
    // Old-style zset scores as text, read by sscanf("%lg"): the number at the start.
    new Bytes().byte(3).len(3).rstr('a').byte(4).str('1.5x').rstr('b').byte(3).str(' 20').rstr('c').byte(4).str('0x40').done(),
    new Bytes().byte(3).len(1).rstr('a').byte(1).str('x').done(),
    new Bytes().byte(3).len(1).rstr('a').byte(3).str('nan').done(),
  ];
  for (const body of bodies) {
    await c.same('RESTORE', 'k', '0', payload([...body]), 'REPLACE');
    const type = await c.same('TYPE', 'k');
    if (type === 'list') await c.same('LRANGE', 'k', '0', '-1');
    else if (type === 'hash') await c.sameUnordered('HGETALL', 'k');
    else if (type === 'zset') await c.same('ZRANGE', 'k', '0', '-1', 'WITHSCORES');
    await c.same('DEL', 'k');
  }
});

test('RESTORE errors: version, checksum, truncation and damage with a right checksum', async ({ c }) => {
  await c.all([['SET', 'k', 'v'.repeat(30)], ['HSET', 'h', 'a', '1', 'b', '2'], ['ZADD', 'z', '1', 'a', '2', 'b'],
    ['SADD', 's', '1', '2'], ['XADD', 'x', '1-1', 'f', 'v'], ['RPUSH', 'l', 'a', '1']]);
  for (const key of ['k', 'h', 'z', 's', 'x', 'l']) {
    const d = (await c.redis.call('DUMP', key)) as string;
    const body = [...d.slice(0, -10)].map((ch) => ch.charCodeAt(0));
    const version = (v: number): string => {
      const b = Uint8Array.from([...body, v & 255, v >> 8]);
      return String.fromCharCode(...b, ...crc64(b).bytesLE());
    };
    // (echokv reads versions 11 and 12, the Redis 7.2 and 7.4 forms, which 7.0 refuses.)
    await c.same('RESTORE', 'r', '0', version(13));
    await c.same('RESTORE', 'r', '0', version(9));
    await c.same('RESTORE', 'r', '0', d.slice(0, -1) + String.fromCharCode(d.charCodeAt(d.length - 1) ^ 0x80));
    await c.same('RESTORE', 'r', '0', d.slice(0, 9));
    for (let cut = 1; cut < body.length; cut += Math.max(1, body.length >> 3)) {
      await c.same('RESTORE', 'r', '0', payload(body.slice(0, cut)), 'REPLACE');
    }
    await c.same('RESTORE', 'r', '0', payload([...body, 0, 0, 0]), 'REPLACE');
    await c.same('DEL', 'r');
  }
  await c.same('DBSIZE');
});

test('INFO dump_payload_sanitizations under sanitize-dump-payload yes, clients and no', async ({ c }) => {
  const field = async (): Promise<void> => {
    const [r, e] = await c.both('INFO', 'stats');
    const of = (x: typeof r): string | undefined => /dump_payload_sanitizations:(\d+)/.exec(String((x.reply as { value: string }).value))?.[1];
    assert.is(of(e), of(r), 'dump_payload_sanitizations');
  };
  await c.all([
    ['CONFIG', 'SET', 'stream-node-max-entries', '2'], ['XADD', 'x', '1-1', 'a', 'b'], ['XADD', 'x', '1-2', 'a', 'b'],
    ['XADD', 'x', '1-3', 'a', 'b'], ['RPUSH', 'l', 'a', 'b'], ['HSET', 'h', 'a', 'b'], ['ZADD', 'z', '1', 'a'],
    ['SADD', 'si', '1'], ['SADD', 'ss', 'a'], ['SET', 's', 'v'], ['HSET', 'hh', 'a', 'x'.repeat(100)],
  ]);
  const dumps: [string, string][] = [];
  for (const k of ['x', 'l', 'h', 'z', 'si', 'ss', 's', 'hh']) dumps.push([k, (await c.redis.call('DUMP', k)) as string]);
  for (const mode of ['yes', 'clients', 'no']) {
    await c.all([['CONFIG', 'SET', 'sanitize-dump-payload', mode], ['CONFIG', 'RESETSTAT']]);
    for (const [k, d] of dumps) {
      await c.same('RESTORE', k + '2', '0', d, 'REPLACE');
      await field();
    }
    // A bad listpack is counted before it is refused.
    await c.same('RESTORE', 'bad', '0', payload([16, ...listpack(['a'])]));
    await field();
    // Loading counts under `yes` only.
    await c.same('DEBUG', 'RELOAD');
    await field();
  }
});

test('RESTORE IDLETIME past the 24-bit LRU clock wraps as Redis\'s does', async ({ c }) => {
  await c.same('SET', 'src', 'v');
  const d = (await c.redis.call('DUMP', 'src')) as string;
  for (const idle of ['16777214', '16777215', '16777216', '33554432', '100000000', '3000000000', '9223372036854775807']) {
    await c.same('RESTORE', 'k', '0', d, 'REPLACE', 'IDLETIME', idle);
    const [r, e] = await c.both('OBJECT', 'IDLETIME', 'k');
    const n = (x: typeof r): number => Number((x.reply as { value: number }).value);
    // The two clocks may be a second apart.
    assert.ok(Math.abs(n(r) - n(e)) <= 1, `OBJECT IDLETIME after IDLETIME ${idle}: ${show(r.bytes)} vs ${show(e.bytes)}`);
  }
});

test('RESTORE options and errors under LRU and LFU policies', async ({ c }) => {
  await c.same('SET', 'src', 'v');
  const d = (await c.redis.call('DUMP', 'src')) as string;
  for (const policy of ['allkeys-lru', 'volatile-lfu', 'noeviction']) {
    await c.same('CONFIG', 'SET', 'maxmemory-policy', policy);
    for (const n of ['0', '-1', '256', 'x', '', '1.5', '+5', '9223372036854775808']) {
      await c.all([
        ['RESTORE', 'a', n, d, 'REPLACE'], ['RESTORE', 'a', '0', d, 'REPLACE', 'IDLETIME', n],
        ['RESTORE', 'a', '0', d, 'REPLACE', 'FREQ', n], ['OBJECT', 'FREQ', 'a'],
        ['RESTORE', 'a', '0', d, 'REPLACE', 'ABSTTL', 'IDLETIME', n, 'FREQ', n], ['RESTORE', 'a', n, d, 'ABSTTL', 'REPLACE'],
      ]);
    }
    for (const opts of [['IDLETIME', '1', 'IDLETIME', '2', 'REPLACE'], ['FREQ', '1', 'FREQ', '2', 'REPLACE'], ['REPLACE', 'FREQ'],
      ['REPLACE', 'IDLE', '5'], ['REPLACE', 'ABSTTL', 'ABSTTL']]) {
      await c.all([['RESTORE', 'b', '0', d, ...opts], ['RESTORE', 'b', 'x', d, ...opts], ['RESTORE', 'b', '0', 'junk', ...opts]]);
    }
    await c.all([['RESTORE', 'src', 'x', 'junk'], ['RESTORE', 'nx', '-1', 'junk'], ['RESTORE', 'nx', 'x', 'junk', 'BAD'], ['DEL', 'a', 'b']]);
  }
});

/** Commands building one key `k` of each encoding, and whether Redis's DUMP bytes are fixed. */
const VALUES: [string, Arg[][], boolean][] = [
  ['intset, then a big integer', [['SADD', 'k', '1', '-5', '300'], ['SADD', 'k', '9223372036854775807']], true],
  ['intset over its limit', [['CONFIG', 'SET', 'set-max-intset-entries', '2'], ['SADD', 'k', '1', '2', '3']], false],
  ['listpack hash, long value', [['HSET', 'k', 'a', '1'], ['HSET', 'k', 'b', 'x'.repeat(65)]], false],
  ['listpack hash at the entry limit', [['CONFIG', 'SET', 'hash-max-listpack-entries', '2'], ['HSET', 'k', 'a', '1', 'b', '2']], true],
  ['listpack zset, odd scores', [['ZADD', 'k', 'inf', 'a', '-0', 'b', '1e-300', 'c', '5e-324', 'd', '-inf', 'e', '1.7976931348623157e308', 'f']], true],
  ['skiplist zset by value length', [['CONFIG', 'SET', 'zset-max-listpack-value', '3'], ['ZADD', 'k', '1', 'abcd', '2', 'b', '2', 'a']], true],
  ['skiplist zset by count', [['CONFIG', 'SET', 'zset-max-listpack-entries', '2'], ['ZADD', 'k', '3', 'c', '1', 'a', '2', 'b', '0.5', '-7']], true],
  ['stream, small nodes, trimmed', [['CONFIG', 'SET', 'stream-node-max-entries', '2'], ...[1, 2, 3, 4, 5].map((i) => ['XADD', 'k', `${i}-0`, 'f', String(i)]),
    ['XDEL', 'k', '3-0'], ['XTRIM', 'k', 'MAXLEN', '3'], ['XGROUP', 'CREATE', 'k', 'g', '0', 'ENTRIESREAD', '1']], true],
];

test('DUMP bytes and OBJECT ENCODING of each encoding; RESTORE under lower limits and DEBUG RELOAD', async ({ c }) => {
  for (const [name, cmds, fixed] of VALUES) {
    await c.same('FLUSHALL');
    for (const [k, v] of DEFAULT_LIMITS.slice(0, 6)) await c.both('CONFIG', 'SET', k, v);
    for (const cmd of cmds) await c.same(...cmd);
    await c.same('OBJECT', 'ENCODING', 'k');
    if (fixed) await sameDump(c, 'k');
    const [r, e] = await c.both('DUMP', 'k');
    const fromRedis = (r.reply as { value: string }).value;
    const fromEcho = (e.reply as { value: string }).value;
    // Restored with lower and then the default limits, each server's payload in both.
    for (const limits of [['1', '1', '1'], ['512', '64', '512']]) {
      await c.all([['CONFIG', 'SET', 'hash-max-listpack-entries', limits[0]], ['CONFIG', 'SET', 'hash-max-listpack-value', limits[1]],
        ['CONFIG', 'SET', 'zset-max-listpack-entries', limits[0]], ['CONFIG', 'SET', 'zset-max-listpack-value', limits[1]],
        ['CONFIG', 'SET', 'set-max-intset-entries', limits[2]]]);
      await c.all([['RESTORE', 'r', '0', fromRedis, 'REPLACE'], ['RESTORE', 'e', '0', fromEcho, 'REPLACE'],
        ['OBJECT', 'ENCODING', 'r'], ['OBJECT', 'ENCODING', 'e'], ['DEBUG', 'DIGEST-VALUE', 'r', 'e']]);
      // A hash table's order is its dict's.
      if (fixed && (await c.redis.call('OBJECT', 'ENCODING', 'r')) !== 'hashtable') await sameDump(c, 'r');
    }
    await c.all([['DEBUG', 'RELOAD'], ['OBJECT', 'ENCODING', 'k'], ['OBJECT', 'ENCODING', 'r'], ['DEBUG', 'DIGEST-VALUE', 'k', 'r'], ['DBSIZE']]);
    await c.same('DEL', 'r');
  }
});

test('OBJECT ENCODING of strings after each command that writes one, and after DEBUG RELOAD', async ({ c }) => {
  for (const v of ['0', '-0', '007', '10000', '9223372036854775808', ' 1', '1e3', 'x'.repeat(20), 'x'.repeat(44), 'x'.repeat(45), '']) {
    const enc = async (...cmd: Arg[]): Promise<void> => {
      await c.same(...cmd);
      await c.same('OBJECT', 'ENCODING', 'k');
    };
    await c.same('FLUSHALL');
    await enc('SET', 'k', v);
    await enc('APPEND', 'k', '');
    await enc('SET', 'k', v);
    await enc('SETRANGE', 'k', 1, 'q');
    await enc('SET', 'k', v);
    await enc('INCRBYFLOAT', 'k', '0');
    await enc('INCRBY', 'k', '0');
    await enc('SET', 'k', v);
    await enc('SETBIT', 'k', 3, 1);
    await enc('GETSET', 'k', v);
    await c.all([['COPY', 'k', 'c'], ['OBJECT', 'ENCODING', 'c'], ['BITOP', 'OR', 'b', 'k'], ['OBJECT', 'ENCODING', 'b'],
      ['DEBUG', 'RELOAD'], ['OBJECT', 'ENCODING', 'k'], ['OBJECT', 'ENCODING', 'c'], ['OBJECT', 'ENCODING', 'b']]);
  }
});

test('OBJECT ENCODING: conversions up on writes under lowered limits, and none back down', async ({ c }) => {
  await c.all([
    ['HSET', 'h', 'a', '1', 'b', '2', 'c', '3'], ['SADD', 's', '1', '2', '3'], ['SADD', 't', 'a', '1'], ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'],
    ['CONFIG', 'SET', 'hash-max-listpack-entries', '2'], ['CONFIG', 'SET', 'hash-max-listpack-value', '4'],
    ['CONFIG', 'SET', 'set-max-intset-entries', '2'], ['CONFIG', 'SET', 'zset-max-listpack-entries', '2'],
    ['CONFIG', 'SET', 'zset-max-listpack-value', '4'],
    // Reads and deletes keep the encoding; an update of a hash field converts, of a zset score not.
    ['HGET', 'h', 'a'], ['HDEL', 'h', 'c'], ['OBJECT', 'ENCODING', 'h'], ['HSET', 'h', 'a', '9'], ['OBJECT', 'ENCODING', 'h'],
    ['ZADD', 'z', '5', 'a'], ['ZINCRBY', 'z', '1', 'b'], ['OBJECT', 'ENCODING', 'z'], ['ZADD', 'z', '6', 'd'], ['OBJECT', 'ENCODING', 'z'],
    ['SADD', 's', '1'], ['OBJECT', 'ENCODING', 's'], ['SADD', 's', '4'], ['OBJECT', 'ENCODING', 's'],
    ['HINCRBYFLOAT', 'h2', 'longfield', '1.5'], ['OBJECT', 'ENCODING', 'h2'], ['HINCRBY', 'h3', 'f', '1'],
    ['HINCRBYFLOAT', 'h3', 'f', '1e300'], ['OBJECT', 'ENCODING', 'h3'], ['HSETNX', 'h4', 'f', 'long value'], ['OBJECT', 'ENCODING', 'h4'],
    ['ZINCRBY', 'z2', '1', 'longmember'], ['OBJECT', 'ENCODING', 'z2'],
    // Stores build their destination for what it holds.
    ['SINTERSTORE', 'i', 's', 's'], ['OBJECT', 'ENCODING', 'i'], ['SDIFFSTORE', 'd', 't', 's'], ['OBJECT', 'ENCODING', 'd'],
    ['SUNIONSTORE', 'u', 't'], ['OBJECT', 'ENCODING', 'u'], ['SMOVE', 't', 'm', 'a'], ['OBJECT', 'ENCODING', 'm'],
    ['ZUNIONSTORE', 'zu', '1', 'z'], ['OBJECT', 'ENCODING', 'zu'], ['ZRANGESTORE', 'zr', 'z', '0', '0'], ['OBJECT', 'ENCODING', 'zr'],
    ['ZINTERSTORE', 'zi', '2', 'z', 'z2'], ['ZDIFFSTORE', 'zd', '1', 'z2'], ['OBJECT', 'ENCODING', 'zd'],
    // Removing elements converts nothing back; DEBUG RELOAD does, by the limits now.
    ['ZREMRANGEBYRANK', 'z', '0', '-2'], ['SREM', 's', '1', '2', '3'], ['HDEL', 'h', 'a'],
    ['OBJECT', 'ENCODING', 'z'], ['OBJECT', 'ENCODING', 's'], ['OBJECT', 'ENCODING', 'h'],
    ['DEBUG', 'RELOAD'], ['OBJECT', 'ENCODING', 'z'], ['OBJECT', 'ENCODING', 's'], ['OBJECT', 'ENCODING', 'h'],
    ['OBJECT', 'ENCODING', 'h2'], ['OBJECT', 'ENCODING', 'h4'], ['OBJECT', 'ENCODING', 'z2'], ['OBJECT', 'ENCODING', 'zu'],
  ]);
});

test.run();
