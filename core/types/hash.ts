// The hash value, after Redis's two encodings (src/t_hash.c):
//
// - listpack: small hashes. Field/value pairs sit back to back in one array, [f0, v0, f1, v1 ...],
//   in insertion order; lookups scan it, as Redis scans its listpack. An update keeps the pair's
//   place and a delete closes the gap, so HGETALL's order is exactly Redis's. One array and the
//   strings is also the cheapest layout for the many small hashes applications keep (trim()
//   gives back the spare room array growth leaves).
// - hashtable: once a hash outgrows hash-max-listpack-entries / -value (the command layer decides,
//   since the thresholds are config). The same pair array plus a Map from field to pair index for
//   O(1) lookups. Deletion moves the last pair into the hole (the order is unspecified here, as
//   in Redis's dict), so every pair stays addressable by index, which makes HRANDFIELD O(1) per
//   pick. A JS Map cannot be indexed, which is why it is not the store itself.
//
// Conversion is one-way, as in Redis. Fields and values are byte strings.

import type { ObjectValue } from '../keyspace.ts';
import type { Scannable } from '../scan.ts';

export type HashEncoding = 'listpack' | 'hashtable';

export class HashValue implements ObjectValue {
  /** On the prototype rather than in every instance: many small hashes are common. */
  get type(): 'hash' {
    return 'hash';
  }
  /** Pairs: kv[2i] is a field, kv[2i + 1] its value. */
  private kv: string[];
  /** Field -> pair index; null while listpack-encoded. */
  private index: Map<string, number> | null;

  constructor(kv: string[] = [], index: Map<string, number> | null = null) {
    this.kv = kv;
    this.index = index;
  }

  /**
   * A hash holding `pairs` ([f0, v0, f1, v1 ...], distinct fields), encoded as Redis encodes a hash
   * it loads: listpack when it has at most `maxEntries` fields and no field or value is longer
   * than `maxValue` bytes (hash-max-listpack-entries / -value), hashtable otherwise.
   */
  static fromPairs(pairs: readonly string[], maxEntries: number, maxValue: number): HashValue {
    const h = new HashValue(pairs.slice());
    let small = pairs.length >> 1 <= maxEntries;
    for (let i = 0; small && i < pairs.length; i++) if (pairs[i].length > maxValue) small = false;
    if (!small) h.toHashtable();
    return h;
  }

  get encoding(): HashEncoding {
    return this.index === null ? 'listpack' : 'hashtable';
  }

  get size(): number {
    return this.kv.length >> 1;
  }

  /** Pair index of `field`, -1 when absent. */
  find(field: string): number {
    if (this.index !== null) {
      const i = this.index.get(field);
      return i === undefined ? -1 : i;
    }
    const kv = this.kv;
    for (let i = 0; i < kv.length; i += 2) if (kv[i] === field) return i >> 1;
    return -1;
  }

  get(field: string): string | undefined {
    const i = this.find(field);
    return i < 0 ? undefined : this.kv[2 * i + 1];
  }

  /** The field of pair `i` (0 <= i < size). */
  fieldAt(i: number): string {
    return this.kv[2 * i];
  }

  /** The value of pair `i` (0 <= i < size). */
  valueAt(i: number): string {
    return this.kv[2 * i + 1];
  }

  /** Replaces the value of pair `i`. */
  setAt(i: number, value: string): void {
    this.kv[2 * i + 1] = value;
  }

  /** Sets `field`; true when it was added, false when an existing value was replaced. */
  set(field: string, value: string): boolean {
    const i = this.find(field);
    if (i >= 0) {
      this.kv[2 * i + 1] = value;
      return false;
    }
    if (this.index !== null) this.index.set(field, this.kv.length >> 1);
    this.kv.push(field, value);
    return true;
  }

  /** Removes `field`; true when it was there. */
  delete(field: string): boolean {
    const i = this.find(field);
    if (i < 0) return false;
    const kv = this.kv;
    if (this.index === null) {
      kv.splice(2 * i, 2);
      return true;
    }
    this.index.delete(field);
    const last = kv.length - 2;
    if (2 * i !== last) {
      const f = kv[last];
      kv[2 * i] = f;
      kv[2 * i + 1] = kv[last + 1];
      this.index.set(f, i);
    }
    kv.length = last;
    return true;
  }

  /** Calls `fn` with each pair in order (insertion order while listpack-encoded). */
  each(fn: (field: string, value: string) => void): void {
    const kv = this.kv;
    for (let i = 0; i < kv.length; i += 2) fn(kv[i], kv[i + 1]);
  }

  /**
   * Gives back the spare room array growth left in a small hash's pair array (a push reserves
   * half as much again plus 16 slots), so that many small hashes cost what they hold. Commands
   * call it after adding fields; it copies the array once, O(n) as a listpack insert is.
   */
  trim(): void {
    if (this.kv.length <= TRIM_MAX) this.kv = this.kv.slice();
  }

  /** Switches to the hashtable encoding (no-op when already there). */
  toHashtable(): void {
    if (this.index !== null) return;
    const index = new Map<string, number>();
    const kv = this.kv;
    for (let i = 0; i < kv.length; i += 2) index.set(kv[i], i >> 1);
    this.index = index;
  }

  /** What HSCAN walks over a hashtable-encoded hash: its fields, with an iterator that survives
   * changes (core/scan.ts). Null while listpack-encoded (HSCAN then returns the whole hash). */
  scanSource(): Scannable<string> | null {
    return this.index;
  }

  dup(): HashValue {
    return new HashValue(this.kv.slice(), this.index === null ? null : new Map(this.index));
  }

  /** MEMORY USAGE estimate: the pair array, the strings, and the index entries when present. */
  memoryUsage(samples: number): number {
    const n = this.size;
    let bytes = 64 + 8 * this.kv.length;
    if (n === 0) return bytes;
    const look = samples <= 0 || samples >= n ? n : samples;
    let strings = 0;
    for (let i = 0; i < look; i++) strings += stringBytes(this.kv[2 * i].length) + stringBytes(this.kv[2 * i + 1].length);
    bytes += (strings / look) * n;
    if (this.index !== null) bytes += 48 + MAP_ENTRY * n;
    return Math.round(bytes);
  }
}

/** Arrays up to this length are trimmed to their exact size after additions (see trim()). */
export const TRIM_MAX = 1024;

/** A Map entry with its share of buckets and spare capacity, as core/info.ts models V8. */
const MAP_ENTRY = 40;

/** Bytes of a one-byte string in V8: a 16-byte header and the bytes, 8-aligned. */
export function stringBytes(len: number): number {
  return 16 + Math.ceil(len / 8) * 8;
}
