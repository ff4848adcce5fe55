// =================================================================================================
// Listpack (Redis 7.0 src/listpack.c): the compact blob Redis 7.0 stores small hashes, sorted sets,
// list nodes and stream nodes in, and writes to RDB files as one string.
//
//   <total bytes: u32 LE> <element count: u16 LE, 65535 = "count it"> <entry> ... <0xFF>
//   entry = <encoding + data> <backlen: the size of encoding + data, 1-5 bytes, read backwards>
//
// Encodings (first byte):
//   0xxxxxxx              7-bit unsigned integer
//   10xxxxxx <data>       string of up to 63 bytes
//   110xxxxx yyyyyyyy     13-bit signed integer
//   1110xxxx yyyyyyyy     string of up to 4095 bytes
//   11110000 <u32 len>    string of up to 2^32-1 bytes
//   11110001/2/3/4        16/24/32/64-bit signed integer, little-endian
// A string that is a canonical integer of at most 20 characters (string2ll) is stored as the
// smallest integer encoding that holds it, exactly as lpAppend does, so our blobs are the bytes
// Redis would write for the same elements.
// =================================================================================================

import { strIntoBytes } from '../../../core/bytes.ts';
import { RdbError } from './_errors.ts';
import { internStr, intStr } from './_strings.ts';

/** The value of `s` when it is a canonical integer of at most 20 characters that fits in 64 bits
 * (Redis's string2ll, which lpStringToInt64 is), else null. Small values come back as numbers,
 * values beyond 2^53 as bigints. */
export function canonicalInt(s: string): number | bigint | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  let i = 0;
  const c0 = s.charCodeAt(0);
  if (c0 === 45) {
    if (n === 1) return null;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 48) return n === 1 ? 0 : null;
  if (first < 49 || first > 57) return null;
  for (let j = i + 1; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return null;
  }
  if (n < 16) return +s;
  const v = BigInt(s);
  if (v > 9223372036854775807n || v < -9223372036854775808n) return null;
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}

/** Builds one listpack, element by element (lpAppend). */
export class ListpackBuilder {
  private buf: Uint8Array;
  private pos = 6;
  count = 0;

  constructor(capacity = 64) {
    this.buf = new Uint8Array(Math.max(16, capacity));
  }

  /** Bytes the listpack would take now (with its header and end byte). */
  get size(): number {
    return this.pos + 1;
  }

  private room(n: number): void {
    if (this.pos + n + 1 <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.pos + n + 1) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  private backlen(l: number): void {
    const b = this.buf;
    if (l <= 127) {
      b[this.pos++] = l;
    } else if (l < 16383) {
      b[this.pos++] = l >>> 7;
      b[this.pos++] = (l & 127) | 128;
    } else if (l < 2097151) {
      b[this.pos++] = l >>> 14;
      b[this.pos++] = ((l >>> 7) & 127) | 128;
      b[this.pos++] = (l & 127) | 128;
    } else if (l < 268435455) {
      b[this.pos++] = l >>> 21;
      b[this.pos++] = ((l >>> 14) & 127) | 128;
      b[this.pos++] = ((l >>> 7) & 127) | 128;
      b[this.pos++] = (l & 127) | 128;
    } else {
      b[this.pos++] = Math.floor(l / 2 ** 28);
      b[this.pos++] = ((l >>> 21) & 127) | 128;
      b[this.pos++] = ((l >>> 14) & 127) | 128;
      b[this.pos++] = ((l >>> 7) & 127) | 128;
      b[this.pos++] = (l & 127) | 128;
    }
  }

  /** Appends a byte string, as an integer when it is a canonical one (lpAppend). */
  add(s: string): void {
    const v = canonicalInt(s);
    if (v !== null) this.addInt(v);
    else this.addString(s);
  }

  /** Appends a byte string stored as a string, whatever it holds. */
  addString(s: string): void {
    const n = s.length;
    this.room(n + 10);
    const b = this.buf;
    const start = this.pos;
    if (n < 64) {
      b[this.pos++] = 0x80 | n;
    } else if (n < 4096) {
      b[this.pos++] = 0xe0 | (n >>> 8);
      b[this.pos++] = n & 0xff;
    } else {
      b[this.pos++] = 0xf0;
      b[this.pos++] = n & 0xff;
      b[this.pos++] = (n >>> 8) & 0xff;
      b[this.pos++] = (n >>> 16) & 0xff;
      b[this.pos++] = n >>> 24;
    }
    this.pos = strIntoBytes(s, b, this.pos);
    this.backlen(this.pos - start);
    this.count++;
  }

  /** Appends a 64-bit integer in the smallest encoding that holds it. */
  addInt(v: number | bigint): void {
    this.room(16);
    const b = this.buf;
    const start = this.pos;
    if (typeof v === 'number' && v >= 0 && v <= 127) {
      b[this.pos++] = v;
    } else if (typeof v === 'number' && v >= -4096 && v <= 4095) {
      const u = v < 0 ? (1 << 13) + v : v;
      b[this.pos++] = 0xc0 | (u >>> 8);
      b[this.pos++] = u & 0xff;
    } else if (typeof v === 'number' && v >= -32768 && v <= 32767) {
      b[this.pos++] = 0xf1;
      this.le(v, 2);
    } else if (typeof v === 'number' && v >= -8388608 && v <= 8388607) {
      b[this.pos++] = 0xf2;
      this.le(v, 3);
    } else if (typeof v === 'number' && v >= -2147483648 && v <= 2147483647) {
      b[this.pos++] = 0xf3;
      this.le(v, 4);
    } else {
      b[this.pos++] = 0xf4;
      let u = BigInt.asUintN(64, BigInt(v));
      for (let i = 0; i < 8; i++) {
        b[this.pos++] = Number(u & 0xffn);
        u >>= 8n;
      }
    }
    this.backlen(this.pos - start);
    this.count++;
  }

  private le(v: number, n: number): void {
    const b = this.buf;
    for (let i = 0; i < n; i++) {
      b[this.pos++] = v & 0xff;
      v >>= 8;
    }
  }

  /** The finished listpack as a view of the builder's buffer, valid until the next change. */
  finishView(): Uint8Array {
    this.finish0();
    return this.buf.subarray(0, this.pos + 1);
  }

  /** The finished listpack (a copy; the builder can be reset and reused). */
  finish(): Uint8Array {
    this.finish0();
    return this.buf.slice(0, this.pos + 1);
  }

  private finish0(): void {
    const b = this.buf;
    b[this.pos] = 0xff;
    const total = this.pos + 1;
    b[0] = total & 0xff;
    b[1] = (total >>> 8) & 0xff;
    b[2] = (total >>> 16) & 0xff;
    b[3] = total >>> 24;
    const c = this.count < 65535 ? this.count : 65535;
    b[4] = c & 0xff;
    b[5] = c >>> 8;
  }

  reset(): void {
    this.pos = 6;
    this.count = 0;
  }

  /** Appends every entry of `other` (entries are self-contained, backlen included). */
  appendEntries(other: ListpackBuilder): void {
    const n = other.pos - 6;
    this.room(n);
    this.buf.set(other.buf.subarray(6, other.pos), this.pos);
    this.pos += n;
    this.count += other.count;
  }
}

// -------------------------------------------------------------------------------------------------
// Reading: one entry at a time

/** Kind of the entry lpEntry() read: a string at lpStart..lpEnd, an integer in lpInt (exact), or
 * an integer beyond 2^53 whose decimal text is lpText. Module state rather than a result object:
 * loading reads millions of entries and an object per entry would be young garbage. */
export const LP_STRING = 0;
export const LP_INT = 1;
export const LP_BIG = 2;
export let lpKind = 0;
export let lpStart = 0;
export let lpEnd = 0;
export let lpInt = 0;
export let lpText = '';

/**
 * Checks a listpack's header at lp[from, to) (its total size) and returns where its entries start;
 * lpEntry() then reads them up to to - 1, and lpDone() checks the end. As lpValidateIntegrity with
 * deep checks: throws RdbError on any damage.
 */
export function lpOpen(lp: Uint8Array, from: number, to: number): number {
  if (to - from < 7 || u32(lp, from) !== to - from) throw new RdbError('Listpack integrity check failed (header size)');
  return from + 6;
}

/** The element count a listpack's header declares (65535: unknown, count them). */
export function lpDeclared(lp: Uint8Array, from: number): number {
  return lp[from + 4] | (lp[from + 5] << 8);
}

/**
 * Reads the entry at lp[p] (before `end`, the index of the end byte): sets lpKind and its value
 * (lpStart/lpEnd, lpInt or lpText), checks its backlen, and returns the index of the next entry.
 */
export function lpEntry(lp: Uint8Array, p: number, end: number): number {
  const start = p;
  const b = lp[p];
  if (b < 0x80) {
    lpKind = LP_INT;
    lpInt = b;
    p += 1;
  } else if ((b & 0xc0) === 0x80) {
    const n = b & 0x3f;
    if (p + 1 + n > end) throw new RdbError('Listpack integrity check failed (string past the end)');
    lpKind = LP_STRING;
    lpStart = p + 1;
    p += 1 + n;
    lpEnd = p;
  } else if ((b & 0xe0) === 0xc0) {
    if (p + 2 > end) throw new RdbError('Listpack integrity check failed (entry past the end)');
    let v = ((b & 0x1f) << 8) | lp[p + 1];
    if (v >= 4096) v -= 8192;
    lpKind = LP_INT;
    lpInt = v;
    p += 2;
  } else if ((b & 0xf0) === 0xe0) {
    if (p + 2 > end) throw new RdbError('Listpack integrity check failed (entry past the end)');
    const n = ((b & 0x0f) << 8) | lp[p + 1];
    if (p + 2 + n > end) throw new RdbError('Listpack integrity check failed (string past the end)');
    lpKind = LP_STRING;
    lpStart = p + 2;
    p += 2 + n;
    lpEnd = p;
  } else if (b === 0xf0) {
    if (p + 5 > end) throw new RdbError('Listpack integrity check failed (entry past the end)');
    const n = u32(lp, p + 1);
    if (p + 5 + n > end) throw new RdbError('Listpack integrity check failed (string past the end)');
    lpKind = LP_STRING;
    lpStart = p + 5;
    p += 5 + n;
    lpEnd = p;
  } else if (b >= 0xf1 && b <= 0xf4) {
    const n = b === 0xf1 ? 2 : b === 0xf2 ? 3 : b === 0xf3 ? 4 : 8;
    if (p + 1 + n > end) throw new RdbError('Listpack integrity check failed (entry past the end)');
    const at = p + 1;
    lpKind = LP_INT;
    if (n === 2) lpInt = ((lp[at] | (lp[at + 1] << 8)) << 16) >> 16;
    else if (n === 3) lpInt = ((lp[at] | (lp[at + 1] << 8) | (lp[at + 2] << 16)) << 8) >> 8;
    else if (n === 4) lpInt = lp[at] | (lp[at + 1] << 8) | (lp[at + 2] << 16) | (lp[at + 3] << 24);
    else {
      const lo = (lp[at] | (lp[at + 1] << 8) | (lp[at + 2] << 16) | (lp[at + 3] << 24)) >>> 0;
      const hi = lp[at + 4] | (lp[at + 5] << 8) | (lp[at + 6] << 16) | (lp[at + 7] << 24);
      // Within +-2^53 the double is exact; beyond, the text comes from BigInt.
      if (hi >= -2097152 && hi < 2097152) lpInt = hi * 4294967296 + lo;
      else {
        lpKind = LP_BIG;
        lpText = readIntLE(lp, at, 8);
      }
    }
    p += 1 + n;
  } else {
    throw new RdbError(`Listpack integrity check failed (unknown encoding 0x${b.toString(16)})`);
  }
  const l = p - start;
  const bl = l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
  if (p + bl > end) throw new RdbError('Listpack integrity check failed (backlen past the end)');
  if (bl === 1) {
    // The common case: one byte holding the entry's length.
    if (lp[p] !== l) throw new RdbError('Listpack integrity check failed (bad backlen)');
  } else {
    // The backlen, read backwards from its last byte as lpDecodeBacklen does.
    let v = 0;
    let mul = 1;
    let q = p + bl - 1;
    for (let i = 0; i < bl; i++, q--) {
      v += (lp[q] & 127) * mul;
      mul *= 128;
      if ((lp[q] & 128) === 0) break;
    }
    if (v !== l) throw new RdbError('Listpack integrity check failed (bad backlen)');
  }
  return p + bl;
}

/** Checks that the entries ended at the end byte (`p` is where lpEntry() stopped) and that
 * `count` entries were read when the header declares a count (-1: not checked). */
export function lpDone(lp: Uint8Array, from: number, to: number, p: number, count: number): void {
  const end = to - 1;
  if (p !== end || lp[end] !== 0xff) throw new RdbError('Listpack integrity check failed (missing end byte)');
  const declared = lpDeclared(lp, from);
  if (declared !== 65535 && count >= 0 && declared !== count) throw new RdbError('Listpack integrity check failed (element count)');
}

/** The entry lpEntry() read last as a byte string (short strings shared through internStr). */
export function lpString(lp: Uint8Array): string {
  if (lpKind === LP_STRING) return internStr(lp, lpStart, lpEnd);
  if (lpKind === LP_INT) return intStr(lpInt);
  return lpText;
}

/**
 * The elements of a listpack blob, in order, integers as their decimal strings. Checks the whole
 * structure (header size, each entry inside the blob, each backlen, the end byte), as
 * lpValidateIntegrity does with deep checks, and throws RdbError on any damage; without
 * `checkCount` the header's element count is not compared.
 */
export function listpackElements(lp: Uint8Array, from = 0, to = lp.length, checkCount = true): string[] {
  // [from, to): the blob inside a larger buffer (the loader's window), read without a view.
  let p = lpOpen(lp, from, to);
  const out: string[] = [];
  const end = to - 1;
  while (p < end) {
    p = lpEntry(lp, p, end);
    out.push(lpString(lp));
  }
  lpDone(lp, from, to, p, checkCount ? out.length : -1);
  return out;
}

/** A little-endian two's complement integer of `n` bytes at `at`, as a decimal string. */
export function readIntLE(b: Uint8Array, at: number, n: number): string {
  // The widths listpacks and intsets use, with plain int32 arithmetic (sign by shifting).
  if (n === 2) return intStr(((b[at] | (b[at + 1] << 8)) << 16) >> 16);
  if (n === 3) return intStr(((b[at] | (b[at + 1] << 8) | (b[at + 2] << 16)) << 8) >> 8);
  if (n === 4) return intStr(b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24));
  if (n === 8) {
    const lo = (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
    const hi = b[at + 4] | (b[at + 5] << 8) | (b[at + 6] << 16) | (b[at + 7] << 24);
    // Within +-2^53 the double is exact; beyond, BigInt prints it.
    if (hi >= -2097152 && hi < 2097152) return String(hi * 4294967296 + lo);
  }
  if (n < 4) {
    let v = 0;
    for (let i = n - 1; i >= 0; i--) v = v * 256 + b[at + i];
    const lim = 2 ** (8 * n - 1);
    if (v >= lim) v -= 2 * lim;
    return String(v);
  }
  let v = 0n;
  for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[at + i]);
  return String(BigInt.asIntN(8 * n, v));
}

function u32(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}
