// =================================================================================================
// Ziplist and zipmap: the compact blobs of Redis before 7.0, read-only here. RDB files from Redis
// 2.6 to 6.2 hold small lists, hashes and sorted sets as ziplists (and quicklist nodes are
// ziplists until 7.0); Redis 2.x hashes may be zipmaps. Redis 7.0 converts them on load, and so
// do we: they come out as plain element arrays.
//
// Ziplist (src/ziplist.c):
//   <zlbytes: u32 LE> <zltail: u32 LE> <zllen: u16 LE> <entry> ... <0xFF>
//   entry = <prevlen: 1 byte, or 0xFE + u32 LE> <encoding> <data>
//   encoding: 00pppppp (string, 6-bit length), 01pppppp qqqqqqqq (14-bit, big-endian),
//             10000000 <u32 BE length>, 11000000 int16, 11010000 int32, 11100000 int64,
//             11110000 int24, 11111110 int8, 1111xxxx (xxxx 1..13: the integer xxxx - 1)
//
// Zipmap (src/zipmap.c):
//   <zmlen: 1 byte> (<len> <key> <len> <free: 1 byte> <value> <free bytes>)* <0xFF>
//   len = 1 byte below 254, or 254 + u32 LE
// =================================================================================================

import { bytesToStr } from '../../../core/bytes.ts';
import { RdbError } from './_errors.ts';
import { readIntLE } from './_listpack.ts';
import { internStr, intStr } from './_strings.ts';

/** The entries of a ziplist blob, in order, integers as decimal strings; throws on damage. */
export function ziplistElements(z: Uint8Array): string[] {
  if (z.length < 11) throw new RdbError('Ziplist integrity check failed (too short)');
  const bytes = (z[0] | (z[1] << 8) | (z[2] << 16) | (z[3] << 24)) >>> 0;
  if (bytes !== z.length) throw new RdbError('Ziplist integrity check failed (header size)');
  const declared = z[8] | (z[9] << 8);
  const end = z.length - 1;
  if (z[end] !== 0xff) throw new RdbError('Ziplist integrity check failed (missing end byte)');
  const tail = (z[4] | (z[5] << 8) | (z[6] << 16) | (z[7] << 24)) >>> 0;
  if (tail > end) throw new RdbError('Ziplist integrity check failed (tail offset)');
  const out: string[] = [];
  let p = 10;
  let prevSize = 0;
  let last = -1;
  while (p < end) {
    const start = p;
    last = start;
    let prevlen = z[p++];
    if (prevlen === 0xfe) {
      if (p + 4 > end) throw new RdbError('Ziplist integrity check failed (entry past the end)');
      prevlen = (z[p] | (z[p + 1] << 8) | (z[p + 2] << 16) | (z[p + 3] << 24)) >>> 0;
      p += 4;
    }
    if (prevlen !== prevSize) throw new RdbError('Ziplist integrity check failed (bad prevlen)');
    if (p >= end) throw new RdbError('Ziplist integrity check failed (entry past the end)');
    const enc = z[p];
    let s: string;
    const top = enc >>> 6;
    if (top === 0) {
      const n = enc & 0x3f;
      p += 1;
      if (p + n > end) throw new RdbError('Ziplist integrity check failed (string past the end)');
      s = internStr(z, p, p + n);
      p += n;
    } else if (top === 1) {
      if (p + 2 > end) throw new RdbError('Ziplist integrity check failed (entry past the end)');
      const n = ((enc & 0x3f) << 8) | z[p + 1];
      p += 2;
      if (p + n > end) throw new RdbError('Ziplist integrity check failed (string past the end)');
      s = bytesToStr(z, p, p + n);
      p += n;
    } else if (top === 2) {
      if (p + 5 > end) throw new RdbError('Ziplist integrity check failed (entry past the end)');
      const n = ((z[p + 1] << 24) | (z[p + 2] << 16) | (z[p + 3] << 8) | z[p + 4]) >>> 0;
      p += 5;
      if (p + n > end) throw new RdbError('Ziplist integrity check failed (string past the end)');
      s = bytesToStr(z, p, p + n);
      p += n;
    } else {
      p += 1;
      let n: number;
      if (enc === 0xc0) n = 2;
      else if (enc === 0xd0) n = 4;
      else if (enc === 0xe0) n = 8;
      else if (enc === 0xf0) n = 3;
      else if (enc === 0xfe) n = 1;
      else if (enc >= 0xf1 && enc <= 0xfd) n = 0;
      else throw new RdbError(`Ziplist integrity check failed (unknown encoding 0x${enc.toString(16)})`);
      if (p + n > end) throw new RdbError('Ziplist integrity check failed (entry past the end)');
      s = n === 0 ? intStr((enc & 0x0f) - 1) : readIntLE(z, p, n);
      p += n;
    }
    prevSize = p - start;
    out.push(s);
  }
  if (p !== end) throw new RdbError('Ziplist integrity check failed (entries overrun the end)');
  // zltail must point at the last entry (when there is one), as ziplistValidateIntegrity checks.
  if (last >= 0 && tail !== last) throw new RdbError('Ziplist integrity check failed (tail offset)');
  if (declared !== 65535 && declared !== out.length) throw new RdbError('Ziplist integrity check failed (entry count)');
  return out;
}

/**
 * The field/value pairs of a zipmap blob, flattened [f0, v0, f1, v1 ...]; throws on damage. As
 * zipmapValidateIntegrity: the blob ends with 0xFF, the entries end at the first 0xFF where a key
 * would start (what follows is not looked at), and the count byte is right unless it is 254.
 */
export function zipmapPairs(z: Uint8Array): string[] {
  const out: string[] = [];
  if (z.length < 2 || z[z.length - 1] !== 0xff) throw new RdbError('Zipmap integrity check failed (missing end byte)');
  let p = 1;
  const len = (): number => {
    if (p >= z.length) throw new RdbError('Zipmap integrity check failed (entry past the end)');
    const b = z[p++];
    if (b < 254) return b;
    // 254, or 255 in a value's length: a 4-byte length follows (zipmapDecodeLength).
    if (p + 4 > z.length) throw new RdbError('Zipmap integrity check failed (entry past the end)');
    const v = (z[p] | (z[p + 1] << 8) | (z[p + 2] << 16) | (z[p + 3] << 24)) >>> 0;
    p += 4;
    return v;
  };
  for (;;) {
    if (p >= z.length) throw new RdbError('Zipmap integrity check failed (missing end byte)');
    if (z[p] === 0xff) break;
    const kl = len();
    if (p + kl > z.length) throw new RdbError('Zipmap integrity check failed (key past the end)');
    const k = bytesToStr(z, p, p + kl);
    p += kl;
    const vl = len();
    if (p >= z.length) throw new RdbError('Zipmap integrity check failed (entry past the end)');
    const free = z[p++];
    if (p + vl + free > z.length) throw new RdbError('Zipmap integrity check failed (value past the end)');
    const v = bytesToStr(z, p, p + vl);
    p += vl + free;
    out.push(k, v);
  }
  if (out.length === 0) throw new RdbError('Zipmap integrity check failed (no entries)');
  if (z[0] !== 254 && z[0] !== out.length / 2) throw new RdbError('Zipmap integrity check failed (entry count)');
  return out;
}
