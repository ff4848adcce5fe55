// =================================================================================================
// Intset (src/intset.c): a set of integers, sorted ascending, all stored with one width.
//
//   <encoding: u32 LE, 2, 4 or 8 = bytes per element> <length: u32 LE> <elements, LE, ascending>
//
// Redis keeps sets of integers in this form while they have at most set-max-intset-entries
// members, and writes the blob as one RDB string (RDB_TYPE_SET_INTSET). The width is the
// smallest that holds every member (intsetAdd upgrades it and never downgrades; a set that
// shrank back keeps the wider width in Redis, which loads either way).
// =================================================================================================

import { RdbError } from './_errors.ts';
import { readIntLE } from './_listpack.ts';
import { exactStrings, intStr } from './_strings.ts';

/**
 * The intset blob of `members`, canonical integer strings (any order, no duplicates), sorted
 * numerically and written with the smallest width that holds them all. Members are usually
 * small: they go through numbers, and only values beyond 2^53 through BigInt.
 */
export function intsetEncode(members: readonly string[]): Uint8Array {
  let big = false;
  for (const m of members) if (m.length > 15) big = true;
  if (big) return intsetEncodeBig(members);
  const vals = members.map(Number);
  let sorted = true;
  for (let i = 1; i < vals.length; i++) if (vals[i - 1] >= vals[i]) sorted = false;
  if (!sorted) vals.sort((a, b) => a - b);
  let width = 2;
  for (const v of vals) {
    if (v < -2147483648 || v > 2147483647) width = 8;
    else if ((v < -32768 || v > 32767) && width < 4) width = 4;
  }
  const out = header(width, vals.length);
  let p = 8;
  for (const v of vals) {
    if (width === 8) {
      const lo = v >>> 0;
      const hi = Math.floor(v / 4294967296);
      for (let i = 0; i < 4; i++) out[p++] = (lo >>> (8 * i)) & 0xff;
      for (let i = 0; i < 4; i++) out[p++] = (hi >> (8 * i)) & 0xff;
    } else {
      for (let i = 0; i < width; i++) out[p++] = (v >> (8 * i)) & 0xff;
    }
  }
  return out;
}

function header(width: number, n: number): Uint8Array {
  const out = new Uint8Array(8 + width * n);
  out[0] = width;
  out[4] = n & 0xff;
  out[5] = (n >>> 8) & 0xff;
  out[6] = (n >>> 16) & 0xff;
  out[7] = n >>> 24;
  return out;
}

function intsetEncodeBig(members: readonly string[]): Uint8Array {
  const vals = members.map((m) => BigInt(m)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let width = 2;
  for (const v of vals) {
    if (v < -2147483648n || v > 2147483647n) width = 8;
    else if ((v < -32768n || v > 32767n) && width < 4) width = 4;
  }
  const out = header(width, vals.length);
  let p = 8;
  for (const v of vals) {
    let u = BigInt.asUintN(width * 8, v);
    for (let i = 0; i < width; i++) {
      out[p++] = Number(u & 0xffn);
      u >>= 8n;
    }
  }
  return out;
}

/**
 * The members of an intset blob as decimal strings, ascending. Validates it as intsetValidate
 * Integrity does: a known width, a length that matches the blob, strictly ascending members.
 */
export function intsetDecode(b: Uint8Array, from = 0, to = b.length): string[] {
  // [from, to): the blob inside a larger buffer (the loader's window), read without a view.
  if (to - from < 8) throw new RdbError('Intset integrity check failed (too short)');
  const width = (b[from] | (b[from + 1] << 8) | (b[from + 2] << 16) | (b[from + 3] << 24)) >>> 0;
  if (width !== 2 && width !== 4 && width !== 8) throw new RdbError(`Intset integrity check failed (encoding ${width})`);
  const n = (b[from + 4] | (b[from + 5] << 8) | (b[from + 6] << 16) | (b[from + 7] << 24)) >>> 0;
  if (8 + n * width !== to - from) throw new RdbError('Intset integrity check failed (length)');
  // Small sets (the common case) collect into `few` and come back as an exact literal array.
  const out: string[] = n <= 16 ? few : new Array(n);
  if (width < 8) {
    let prev = -Infinity;
    for (let i = 0, p = from + 8; i < n; i++, p += width) {
      let v = width === 2 ? b[p] | (b[p + 1] << 8) : b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
      if (width === 2 && v >= 32768) v -= 65536;
      if (v <= prev) throw new RdbError('Intset integrity check failed (not ascending)');
      prev = v;
      out[i] = intStr(v);
    }
    return out === few ? exactStrings(few, n) : out;
  }
  let prev: bigint | null = null;
  for (let i = 0; i < n; i++) {
    const s = readIntLE(b, from + 8 + i * width, width);
    const v = BigInt(s);
    if (prev !== null && v <= prev) throw new RdbError('Intset integrity check failed (not ascending)');
    prev = v;
    out[i] = s;
  }
  return out === few ? exactStrings(few, n) : out;
}

/** Where intsetDecode collects up to 16 members (a few small strings may stay until reused). */
const few: string[] = [];
