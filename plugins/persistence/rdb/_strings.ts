// Shared strings for loading. The elements of small collections repeat from key to key (the
// field names of hashes that share a schema, tags, small counters), and every string a loaded
// value keeps is one more object for the garbage collector to copy twice (young generation,
// then old) while a large file loads: with 1M keys that copying is the biggest single cost.
// Byte strings are immutable, so two values may share one, as Redis shares the integers
// 0-9999 (OBJ_SHARED_INTEGERS).
//
// - intStr (core/numbers.ts): the decimal text of an integer, shared for values in [0, 10000).
// - internStr: bytes as a byte string through a direct-mapped cache of short strings, keyed by
//   a hash of the bytes: a hit returns the cached string (no allocation), a miss makes the string
//   and takes the slot. Unique strings only cost the hash and the slot write, and a string that
//   recurs every few keys keeps its slot in practice (a unique string lands on it 1 time in 8192).

import { bytesToStr } from '../../../core/bytes.ts';

export { intStr } from '../../../core/numbers.ts';

/** Longest string cached: field names and small values, not blobs. */
const INTERN_MAX = 32;
const BITS = 13;
const table: string[] = new Array<string>(1 << BITS).fill('');
// Each slot's full hash: a unique string is told apart from the cached one without reading the
// cached string (an object somewhere in a large heap: a cache miss).
const hashes = new Int32Array(1 << BITS);

/** Bytes [start, end) of `b` as a byte string, shared with an earlier equal one when cached. */
export function internStr(b: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n > INTERN_MAX || n === 0) return bytesToStr(b, start, end);
  // FNV-1a over the bytes, folded to BITS bits.
  let h = 0x811c9dc5 ^ n;
  for (let i = start; i < end; i++) h = Math.imul(h ^ b[i], 0x01000193);
  const slot = (h ^ (h >>> BITS) ^ (h >>> 26)) & ((1 << BITS) - 1);
  if (hashes[slot] === h) {
    const c = table[slot];
    if (c.length === n) {
      let i = 0;
      while (i < n && c.charCodeAt(i) === b[start + i]) i++;
      if (i === n) return c;
    }
  }
  const s = bytesToStr(b, start, end);
  table[slot] = s;
  hashes[slot] = h;
  return s;
}

/** Empties the cache of internStr (a load is over: its strings need not outlive their keys). */
export function forgetInterned(): void {
  table.fill('');
  hashes.fill(0);
}

// Exact-size arrays as literals. V8 pretenures an array literal whose arrays outlive their first
// collections (allocation-site feedback): loaded values keep their arrays, so from these sites
// they are allocated in the old generation at once instead of being copied there by two
// scavenges. Arrays from slice() or new Array(n) never are. One site per length up to 16.

/** a[0, n) in a new array of length n. */
export function exactStrings(a: readonly string[], n: number): string[] {
  switch (n) {
    case 0: return [];
    case 1: return [a[0]];
    case 2: return [a[0], a[1]];
    case 3: return [a[0], a[1], a[2]];
    case 4: return [a[0], a[1], a[2], a[3]];
    case 5: return [a[0], a[1], a[2], a[3], a[4]];
    case 6: return [a[0], a[1], a[2], a[3], a[4], a[5]];
    case 7: return [a[0], a[1], a[2], a[3], a[4], a[5], a[6]];
    case 8: return [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]];
    case 9: return [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]];
    case 10: return [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9]];
    case 11: return [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10]];
    case 12: return [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11]];
    case 13: return [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12]];
    case 14: return [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13]];
    case 15: return [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], a[14]];
    case 16: return [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], a[14], a[15]];
    default: return a.slice(0, n);
  }
}

/** a[0, n) in a new array of length n (numbers: a site of their own, for its elements kind). */
export function exactNumbers(a: readonly number[], n: number): number[] {
  switch (n) {
    case 0: return [];
    case 1: return [a[0]];
    case 2: return [a[0], a[1]];
    case 3: return [a[0], a[1], a[2]];
    case 4: return [a[0], a[1], a[2], a[3]];
    case 5: return [a[0], a[1], a[2], a[3], a[4]];
    case 6: return [a[0], a[1], a[2], a[3], a[4], a[5]];
    case 7: return [a[0], a[1], a[2], a[3], a[4], a[5], a[6]];
    case 8: return [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]];
    case 9: return [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]];
    case 10: return [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9]];
    case 11: return [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10]];
    case 12: return [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11]];
    case 13: return [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12]];
    case 14: return [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13]];
    case 15: return [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], a[14]];
    case 16: return [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], a[14], a[15]];
    default: return a.slice(0, n);
  }
}
