// The RDB format pieces on their own: CRC-64, LZF, listpacks, intsets, ziplists, zipmaps, lengths
// and strings, DUMP payloads of every type and encoding, and robustness: every truncation and
// thousands of random corruptions of a file holding every type must be refused with an RdbError
// (never another exception, never a wrong value loaded when the checksum is checked).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Crc64, crc64, crcUsesWasm } from '../plugins/persistence/rdb/_crc64.ts';
import { lzfCompress, lzfDecompress } from '../plugins/persistence/rdb/_lzf.ts';
import { canonicalInt, ListpackBuilder, listpackElements } from '../plugins/persistence/rdb/_listpack.ts';
import { intsetDecode, intsetEncode } from '../plugins/persistence/rdb/_intset.ts';
import { ziplistElements, zipmapPairs } from '../plugins/persistence/rdb/_ziplist.ts';
import { RdbError } from '../plugins/persistence/rdb/_errors.ts';
import { bufferSource, RdbReader } from '../plugins/persistence/rdb/_decode.ts';
import { internStr, intStr } from '../plugins/persistence/rdb/_strings.ts';
import { type EncodeOptions, RdbWriter } from '../plugins/persistence/rdb/_encode.ts';
import { dumpPayload, restorePayload } from '../plugins/persistence/rdb/codec.ts';
import { loadRdb } from '../plugins/persistence/rdb/load.ts';
import { writeDatasetSync } from '../plugins/persistence/rdb/snapshot.ts';
import { ADAPTERS, DEFAULT_LIMITS } from '../plugins/persistence/rdb/values.ts';
import '../plugins/persistence/rdb/_adapters.ts';
import { Keyspace, MutableString, newEntry, type Value } from '../core/keyspace.ts';
import { bytesToStr, strToBytes } from '../core/bytes.ts';
import type { ZSet } from '../core/types/zset.ts';
import { Bytes, ziplist, zipmap } from './_rdb.ts';

const NOW = 1_700_000_000_000;
const OPTS: EncodeOptions = { compress: true, limits: DEFAULT_LIMITS, evictionInfo: null, now: NOW, lfuDecayTime: 1, packedThreshold: 1 << 30 };
const enc = (s: string): Uint8Array => strToBytes(s);
const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const t = suite('rdb format');
const isRdbError = (e: unknown): boolean => e instanceof RdbError;

t('CRC-64 is Redis\'s (Jones polynomial): the check value and incremental updates', () => {
  const c = crc64(enc('123456789'));
  assert.is(c.hi.toString(16) + c.lo.toString(16).padStart(8, '0'), 'e9c6d914c4b8d9ca');
  const data = enc('The quick brown fox jumps over the lazy dog'.repeat(7));
  const whole = crc64(data);
  for (const cut of [0, 1, 7, 8, 9, 100, data.length]) {
    const inc = new Crc64();
    inc.update(data, 0, cut);
    inc.update(data, cut);
    assert.equal([inc.lo, inc.hi], [whole.lo, whole.hi]);
  }
  assert.is(hex(crc64(new Uint8Array(0)).bytesLE()), '0000000000000000');
});

t('CRC-64 over several WebAssembly slabs (1 MB each) equals the byte-at-a-time result', () => {
  // Every runtime we support has WebAssembly: large inputs must take that path.
  assert.ok(crcUsesWasm());
  const data = new Uint8Array(3 * (1 << 20) + 29);
  let x = 777;
  for (let i = 0; i < data.length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    data[i] = x >>> 24;
  }
  const ref = new Crc64();
  for (let i = 0; i < data.length; i++) ref.update(data, i, i + 1);
  const whole = crc64(data);
  assert.equal([whole.lo, whole.hi], [ref.lo, ref.hi]);
  // Split anywhere (a 16-byte step's middle, a slab's edge), the running value carries over.
  for (const cut of [511, 512, 513, 1 << 20, (1 << 20) + 7, 2 * (1 << 20) - 9]) {
    const inc = new Crc64();
    inc.update(data, 0, cut);
    inc.update(data, cut, data.length);
    assert.equal([inc.lo, inc.hi], [ref.lo, ref.hi], `cut at ${cut}`);
  }
});

t('CRC-64 of long inputs at any alignment equals the byte-at-a-time result', () => {
  // Long ranges go through word reads from a 4-byte boundary; feeding one byte per call never
  // does, so it is an independent reference.
  const backing = new Uint8Array(4096 + 16);
  let x = 12345;
  for (let i = 0; i < backing.length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    backing[i] = x >>> 24;
  }
  for (const offset of [0, 1, 2, 3, 5]) {
    const data = backing.subarray(offset, offset + 4000 + offset);
    const ref = new Crc64();
    for (let i = 0; i < data.length; i++) ref.update(data, i, i + 1);
    for (const [from, to] of [[0, data.length], [1, data.length], [3, 1003], [7, 71], [0, 64], [2, 65]]) {
      const want = new Crc64();
      for (let i = from; i < to; i++) want.update(data, i, i + 1);
      const got = crc64(data, from, to);
      assert.equal([got.lo, got.hi], [want.lo, want.hi], `offset ${offset}, bytes ${from}-${to}`);
    }
    assert.equal([crc64(data).lo, crc64(data).hi], [ref.lo, ref.hi]);
  }
});

t('LZF output is Redis\'s bytes, and decompression inverts it', () => {
  const s = enc('abc'.repeat(30));
  const out = new Uint8Array(100);
  const n = lzfCompress(s, s.length, out, s.length - 4);
  // What redis-server 7.0 writes for SET big "abc"*30 (seen in its dump.rdb).
  assert.is(hex(out.subarray(0, n)), '0361626361e04b02016263');
  const r = rng(1);
  for (let i = 0; i < 300; i++) {
    const len = 1 + Math.floor(r() * 5000);
    const alphabet = 1 + Math.floor(r() * 30);
    const a = new Uint8Array(len);
    for (let j = 0; j < len; j++) a[j] = Math.floor(r() * alphabet);
    const o = new Uint8Array(len + 64);
    const c = lzfCompress(a, len, o, len + 64);
    assert.ok(c > 0);
    const d = new Uint8Array(len);
    assert.is(lzfDecompress(o, 0, c, d), len);
    assert.is(hex(d), hex(a));
  }
  // Not enough room: compression gives up (the caller stores the string as it is).
  const rand = new Uint8Array(64);
  for (let j = 0; j < 64; j++) rand[j] = (j * 151 + 7) % 251;
  assert.is(lzfCompress(rand, 64, new Uint8Array(60), 60), 0);
  // Damaged input is refused, not read out of bounds.
  assert.is(lzfDecompress(Uint8Array.from([0xe0, 0xff, 0x10]), 0, 3, new Uint8Array(300)), -1);
  assert.is(lzfDecompress(Uint8Array.from([0x05, 0x41]), 0, 2, new Uint8Array(6)), -1);
});

t('listpack entries use the smallest encoding lpAppend would', () => {
  const size = (s: string): number => {
    const b = new ListpackBuilder();
    b.add(s);
    return b.size - 7;
  };
  // encoding + data + backlen
  assert.is(size('0'), 2);
  assert.is(size('127'), 2);
  assert.is(size('128'), 3);
  assert.is(size('-4096'), 3);
  assert.is(size('4095'), 3);
  assert.is(size('4096'), 4);
  assert.is(size('-32768'), 4);
  assert.is(size('32768'), 5);
  assert.is(size('8388607'), 5);
  assert.is(size('8388608'), 6);
  assert.is(size('2147483647'), 6);
  assert.is(size('2147483648'), 10);
  assert.is(size('-9223372036854775808'), 10);
  assert.is(size('9223372036854775808'), 1 + 19 + 1); // too big: a string
  assert.is(size('007'), 5);
  assert.is(size('-0'), 4);
  assert.is(size('a'.repeat(63)), 1 + 63 + 1);
  assert.is(size('a'.repeat(64)), 2 + 64 + 1);
  assert.is(size('a'.repeat(4095)), 2 + 4095 + 2);
  assert.is(size('a'.repeat(4096)), 5 + 4096 + 2);
  const items = ['0', '127', '-1', '-4096', '4095', '-32768', '32767', '8388607', '-8388608', '2147483647',
    '-2147483648', '9223372036854775807', '-9223372036854775808', '', 'x', 'y'.repeat(200), 'z'.repeat(5000), '1.5'];
  const b = new ListpackBuilder();
  for (const s of items) b.add(s);
  assert.equal(listpackElements(b.finish()), items);
  assert.is(canonicalInt('12'), 12);
  assert.is(canonicalInt('9007199254740993'), 9007199254740993n);
  assert.is(canonicalInt('+1'), null);
});

t('damaged listpacks, intsets, ziplists and zipmaps are refused', () => {
  const b = new ListpackBuilder();
  b.add('hello');
  b.add('12');
  const lp = b.finish();
  for (let cut = 0; cut < lp.length; cut++) assert.throws(() => listpackElements(lp.subarray(0, cut)), isRdbError);
  const badBacklen = lp.slice();
  badBacklen[6 + 6] = 9;
  assert.throws(() => listpackElements(badBacklen), /backlen/);
  const badCount = lp.slice();
  badCount[4] = 3;
  assert.throws(() => listpackElements(badCount), /element count/);
  assert.throws(() => intsetDecode(Uint8Array.from([3, 0, 0, 0, 0, 0, 0, 0])), /encoding 3/);
  assert.throws(() => intsetDecode(intsetEncode(['1', '2']).subarray(0, 10)), /length/);
  const unordered = intsetEncode(['1', '2']);
  unordered[8] = 5;
  assert.throws(() => intsetDecode(unordered), /ascending/);
  const z = ziplist(['a', 7]);
  for (let cut = 0; cut < z.length; cut++) assert.throws(() => ziplistElements(z.subarray(0, cut)), isRdbError);
  const zm = zipmap(['f', 'v']);
  for (let cut = 0; cut < zm.length; cut++) assert.throws(() => zipmapPairs(zm.subarray(0, cut)), isRdbError);
});

t('intsets pick the smallest width and come back sorted', () => {
  assert.is(hex(intsetEncode(['3', '-1', '2'])), '0200000003000000' + 'ffff' + '0200' + '0300');
  assert.is(intsetEncode(['70000']).subarray(0, 1)[0], 4);
  assert.is(intsetEncode(['-2147483649']).subarray(0, 1)[0], 8);
  assert.equal(intsetDecode(intsetEncode(['9223372036854775807', '-9223372036854775808', '0'])),
    ['-9223372036854775808', '0', '9223372036854775807']);
});

t('ziplists: the example from Redis\'s ziplist.c and every entry encoding', () => {
  // [0f 00 00 00] [0c 00 00 00] [02 00] [00 f3] [02 f6] [ff]: the strings "2" and "5".
  assert.equal(ziplistElements(Uint8Array.from([0x0f, 0, 0, 0, 0x0c, 0, 0, 0, 2, 0, 0, 0xf3, 2, 0xf6, 0xff])), ['2', '5']);
  const items = ['', 'a', 'b'.repeat(63), 'c'.repeat(64), 'd'.repeat(16384), 0, 12, 13, -1, 127, -128, 300, -30000,
    8000000, -8000000, 2000000000, -2000000000, 9223372036854775807n, -9223372036854775808n];
  assert.equal(ziplistElements(ziplist(items)), items.map(String));
  assert.equal(zipmapPairs(zipmap(['name', 'x', 'long', 'y'.repeat(300), '', ''])), ['name', 'x', 'long', 'y'.repeat(300), '', '']);
});

t('lengths and strings: every length form, integer-encoded strings, LZF only when it pays', () => {
  const w = new RdbWriter(OPTS);
  for (const n of [0, 63, 64, 16383, 16384, 0xffffffff, 0x100000000, 2 ** 53 - 1]) w.len(n);
  for (const s of ['', 'x', '12', '-128', '127', '128', '-32768', '32767', '32768', '2147483647', '2147483648',
    '-2147483648', '01', '1.0', 'a'.repeat(20), 'a'.repeat(21), 'ab'.repeat(100)]) w.string(s);
  const bytes = w.buf.slice(0, w.pos);
  const r = new RdbReader(bufferSource(bytes));
  for (const n of [0, 63, 64, 16383, 16384, 0xffffffff, 0x100000000, 2 ** 53 - 1]) assert.is(r.len(), n);
  for (const s of ['', 'x', '12', '-128', '127', '128', '-32768', '32767', '32768', '2147483647', '2147483648',
    '-2147483648', '01', '1.0', 'a'.repeat(20), 'a'.repeat(21), 'ab'.repeat(100)]) assert.is(r.string(), s);
  const one = (s: string, compress = true): string => {
    const x = new RdbWriter({ ...OPTS, compress });
    x.string(s);
    return hex(x.buf.subarray(0, x.pos));
  };
  assert.is(one('-128'), 'c080');
  assert.is(one('300'), 'c12c01');
  assert.is(one('70000'), 'c270110100');
  assert.is(one('2147483648'), '0a32313437343833363438');
  assert.ok(one('a'.repeat(20)).startsWith('14'));
  assert.ok(one('a'.repeat(21)).startsWith('c3'));
  assert.ok(one('a'.repeat(21), false).startsWith('15'));
});

t('LZF strings and blobs larger than the reader\'s scratch buffer come back whole', () => {
  // The reader decompresses into a reused buffer that grows for larger values.
  const w = new RdbWriter(OPTS);
  const strs = ['ab'.repeat(100), 'ab'.repeat(5000), 'xyz'.repeat(3000), 'q'.repeat(50000)];
  for (const s of strs) w.string(s);
  const blobs = strs.map((s) => strToBytes(s + '!'));
  for (const b of blobs) w.bytesString(b);
  for (const b of blobs) w.bytesString(b);
  const r = new RdbReader(bufferSource(w.buf.slice(0, w.pos)));
  for (const s of strs) assert.is(r.string(), s);
  for (const b of blobs) assert.equal(Array.from(r.blob()), Array.from(b));
  for (const b of blobs) {
    r.blobRange();
    assert.equal(Array.from(r.blobSrc.subarray(r.blobStart, r.blobEnd)), Array.from(b));
  }
});

/** Values of every type and encoding. */
function samples(): [string, Value][] {
  const list = ADAPTERS.list!.build(Array.from({ length: 3000 }, (_, i) => `e${i}`), DEFAULT_LIMITS);
  const small = ADAPTERS.list!.build(['a', '1', '-5', ''], DEFAULT_LIMITS);
  const m = new MutableString(new Uint8Array(100), 5);
  m.buf.set(enc('hello'));
  return [
    ['string', 'value'], ['int', '-42'], ['long string', 'xyz'.repeat(100)], ['mutable string', m],
    ['list', list], ['small list', small],
    ['listpack hash', ADAPTERS.hash!.build(['a', '1', 'b', 'two'], DEFAULT_LIMITS, true)],
    ['hashtable hash', ADAPTERS.hash!.build(Array.from({ length: 1200 }, (_, i) => `f${i >> 1}${i & 1 ? 'v' : ''}`), DEFAULT_LIMITS, false)],
    ['intset', ADAPTERS.set!.build(['3', '1', '-2'], DEFAULT_LIMITS, false)],
    ['hashtable set', ADAPTERS.set!.build(['a', 'b', '3'], DEFAULT_LIMITS, false)],
    ['listpack zset', ADAPTERS.zset!.build(['a', 'b', 'c'], [1, 2.5, -Infinity], DEFAULT_LIMITS, true)],
    ['skiplist zset', ADAPTERS.zset!.build(Array.from({ length: 300 }, (_, i) => `m${i}`), Array.from({ length: 300 }, (_, i) => i / 7), DEFAULT_LIMITS, false)],
  ];
}

function plain(v: Value): unknown {
  if (typeof v === 'string') return v;
  if (v instanceof MutableString) return v.toString();
  const out: unknown[] = [(v as { encoding?: string }).encoding ?? v.type];
  if (v.type === 'list') ADAPTERS.list!.source(v).each((e) => out.push(e));
  if (v.type === 'hash') ADAPTERS.hash!.source(v).each((f, x) => out.push(f, x));
  if (v.type === 'set') ADAPTERS.set!.source(v).each((x) => out.push(x));
  if (v.type === 'zset') ADAPTERS.zset!.source(v).each((x, s) => out.push(x, s));
  return out;
}

t('shared strings: internStr and intStr always give the bytes asked for', () => {
  // A pool of short byte strings (binary bytes, equal lengths, prefixes of each other) drawn in
  // random order many times: hits, misses and slots taken over by other strings all come up.
  const rand = rng(7);
  const pool: Uint8Array[] = [];
  for (let i = 0; i < 3000; i++) {
    const n = 1 + Math.floor(rand() * 40);
    const b = new Uint8Array(n);
    for (let j = 0; j < n; j++) b[j] = rand() < 0.5 ? Math.floor(rand() * 256) : 97 + (i % 3);
    pool.push(b);
  }
  pool.push(enc('name'), enc('nam'), enc('name\x00'), enc('\xff\x00'), enc('\x00\xff'), new Uint8Array(0));
  const backing = new Uint8Array(64);
  for (let k = 0; k < 40000; k++) {
    const b = pool[Math.floor(rand() * pool.length)];
    const at = Math.floor(rand() * (64 - b.length));
    backing.fill(0xaa);
    backing.set(b, at);
    assert.is(internStr(backing, at, at + b.length), bytesToStr(b), `pool string ${hex(b)}`);
  }
  // A string returned twice is the same string, not just an equal one (that is the point).
  const once = internStr(enc('city'), 0, 4);
  assert.ok(Object.is(internStr(enc('xcity'), 1, 5), once));
  for (let v = -20; v < 10020; v++) assert.is(intStr(v), String(v));
  // Beyond the shared ones: digits by hand within 32 bits, String() past them.
  for (const v of [-10, -9999, 10000, 99999, 100000, 2147483647, -2147483647, -2147483648, 2147483648,
    -2147483649, 9007199254740991, -9007199254740991, 1e15]) assert.is(intStr(v), String(v), String(v));
  for (let i = 0, v = 1; i < 40; i++, v = v * 3 + 1) {
    assert.is(intStr(v), String(v));
    assert.is(intStr(-v), String(-v));
  }
  for (const v of [2147483647, -2147483648, 1e15, -1e15]) assert.is(intStr(v), String(v));
});

t('listpack sorted-set scores: decimal text loads as the double Number() and strtod give', async () => {
  const rand = rng(11);
  const scores: string[] = ['2.5', '-3.25', '0.1', '-0.0', '.5', '-.5', '5.', '007.25', '123456789012345.6',
    '1234567890123456.7', '0.30000000000000004', '9007199254740993.5', '1e5', '1.5e-300', '-1E+2', '999999999999999.9',
    '0.000000000000001', '12.3456789012345', 'inf', '-inf', '+inf', '3', '-0', '0'];
  for (let i = 0; i < 400; i++) {
    const int = String(Math.floor(rand() * 10 ** Math.floor(rand() * 10)));
    const frac = String(Math.floor(rand() * 10 ** Math.floor(rand() * 9))).padStart(Math.floor(rand() * 6), '0');
    scores.push((rand() < 0.3 ? '-' : '') + int + '.' + frac);
  }
  const want = (s: string): number => (/^\+?inf$/i.test(s) ? Infinity : /^-inf$/i.test(s) ? -Infinity : Number(s));
  const b = new Bytes().byte(0xfe).len(0);
  for (let i = 0; i < scores.length; i++) {
    const lp = new ListpackBuilder();
    lp.add('m');
    lp.addString(scores[i]);
    b.byte(17).rstr('z' + i).rblob(lp.finish());
  }
  const body = b.byte(0xff).done();
  const file = new Uint8Array(9 + body.length + 8);
  file.set(enc('REDIS0010'));
  file.set(body, 9);
  file.set(crc64(file, 0, 9 + body.length).bytesLE(), 9 + body.length);
  const ks = await tryLoad(file, true);
  for (let i = 0; i < scores.length; i++) {
    const z = ks.dbs[0].keys.get('z' + i)!.value as unknown as ZSet;
    // A listpack holds -0 as 0, as Redis does.
    assert.ok(Object.is(z.dict.get('m'), want(scores[i]) + 0), `score text '${scores[i]}'`);
  }
});

t('DUMP payloads of every type and encoding restore to the same value and encoding', () => {
  for (const [name, v] of samples()) {
    const want = /hashtable|skiplist|listpack|intset/.exec(name);
    if (want !== null) assert.is((v as { encoding?: string }).encoding, want[0], `the ${name} sample`);
    const p = dumpPayload(v, OPTS);
    const back = restorePayload(p, DEFAULT_LIMITS);
    assert.ok(back !== 'version-or-checksum' && back !== 'bad-format', name);
    assert.equal(plain(back as Value), plain(v), name);
  }
});

t('DUMP payloads: short, wrong version, wrong checksum, or not a value are refused', () => {
  const p = dumpPayload('hello', OPTS);
  assert.is(restorePayload(p.subarray(0, 9), DEFAULT_LIMITS), 'version-or-checksum');
  const v13 = p.slice();
  v13[p.length - 10] = 13;
  assert.is(restorePayload(v13, DEFAULT_LIMITS), 'version-or-checksum');
  const flipped = p.slice();
  flipped[2] ^= 1;
  assert.is(restorePayload(flipped, DEFAULT_LIMITS), 'version-or-checksum');
  const body = new Bytes().byte(42, 1, 2, 10, 0).done();
  const bad = new Uint8Array(body.length + 8);
  bad.set(body);
  bad.set(crc64(body).bytesLE(), body.length);
  assert.is(restorePayload(bad, DEFAULT_LIMITS), 'bad-format');
});

/** A file of every type, with TTLs and two databases. */
function sampleFile(checksum: boolean): Uint8Array {
  const ks = new Keyspace({ databases: 2, clock: () => NOW });
  let i = 0;
  for (const [name, v] of samples()) {
    const e = newEntry(v, 0);
    if (i % 3 === 0) e.expireAt = NOW + 100000 + i;
    ks.dbs[i++ % 2].keys.set(name, e);
  }
  const chunks: Uint8Array[] = [];
  writeDatasetSync(ks, OPTS, { redisVersion: '7.0.15', ctime: NOW / 1000, usedMem: 1, aofBase: false }, checksum, (b) => chunks.push(b.slice()));
  return Uint8Array.from(chunks.flatMap((c) => Array.from(c)));
}

async function tryLoad(file: Uint8Array, verify: boolean): Promise<Keyspace> {
  const ks = new Keyspace({ databases: 2, clock: () => NOW });
  await loadRdb(new RdbReader(bufferSource(file)), ks, {
    limits: DEFAULT_LIMITS, evictionInfo: null, verifyChecksum: verify, aofPreamble: false, log: () => {}, now: NOW,
  });
  return ks;
}

t('every truncation of a file is refused with an RdbError', async () => {
  const file = sampleFile(true);
  await tryLoad(file, true);
  for (let cut = 0; cut < file.length; cut += cut < 400 ? 1 : 37) {
    try {
      await tryLoad(file.subarray(0, cut), true);
      assert.unreachable(`a file cut at ${cut} of ${file.length} bytes loaded`);
    } catch (e) {
      if (!(e instanceof RdbError)) throw e;
    }
  }
});

t('random corruption is refused with an RdbError; with the checksum checked none loads', async () => {
  const file = sampleFile(true);
  const r = rng(7);
  let refused = 0;
  for (let i = 0; i < 1500; i++) {
    const bad = file.slice();
    const flips = 1 + Math.floor(r() * 3);
    for (let j = 0; j < flips; j++) bad[9 + Math.floor(r() * (bad.length - 9))] = Math.floor(r() * 256);
    if (hex(bad) === hex(file)) continue;
    try {
      await tryLoad(bad, true);
      assert.unreachable('a corrupt file passed the checksum');
    } catch (e) {
      if (!(e instanceof RdbError)) throw e;
      refused++;
    }
    // Without the checksum the structural checks alone must hold: an error or a load, never
    // a crash or another exception.
    try {
      await tryLoad(bad, false);
    } catch (e) {
      if (!(e instanceof RdbError)) throw e;
    }
  }
  assert.ok(refused > 1000);
});

t('a file written with rdbchecksum no loads, the zero checksum skipping the check', async () => {
  const file = sampleFile(false);
  assert.is(hex(file.subarray(file.length - 8)), '0000000000000000');
  const ks = await tryLoad(file, true);
  assert.is(ks.keyCount, samples().length);
});

t.run();
