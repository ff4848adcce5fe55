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
