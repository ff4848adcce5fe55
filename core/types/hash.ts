// The hash value, after Redis's two encodings (src/t_hash.c):
//
// - listpack: small hashes. Field/value pairs sit back to back in one array, [f0, v0, f1, v1 ...],
//   in insertion order; lookups scan it, as Redis scans its listpack. An update keeps the pair's
//   place and a delete closes the gap, so HGETALL's order is exactly Redis's. One array and the
//   strings is also the cheapest layout for the many small hashes applications keep (trim()
//   gives back the spare room array growth leaves).
// - hashtable: once a hash outgrows hash-max-listpack-entries / -value (the command layer decides,
//   since the thresholds are config). A ByteTable (byte_table.ts): the pairs as bytes in slabs and
//   an open-addressing index, about a third of what strings in a Map cost, and no young-generation
//   garbage that survives. Its order is unspecified, as in Redis's dict; random picks
//   (HRANDFIELD) draw a random slot.
//
// Conversion is one-way, as in Redis. Fields and values are byte strings.

import type { ObjectValue } from '../keyspace.ts';
import type { Scannable } from '../scan.ts';
import { ByteTable } from './byte_table.ts';
import type { BulkSink } from './packed_list.ts';

export type HashEncoding = 'listpack' | 'hashtable';

export class HashValue implements ObjectValue {
  /** On the prototype rather than in every instance: many small hashes are common. */
  get type(): 'hash' {
    return 'hash';
  }
  /** Pairs while listpack-encoded: kv[2i] is a field, kv[2i + 1] its value; null after. */
  private kv: string[] | null;
  /** The pairs once hashtable-encoded; null while listpack-encoded. */
  private table: ByteTable | null;

  constructor(kv: string[] = [], table: ByteTable | null = null) {
    this.kv = table === null ? kv : null;
    this.table = table;
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
    return this.table === null ? 'listpack' : 'hashtable';
  }

  get size(): number {
    return this.table !== null ? this.table.size : this.kv!.length >> 1;
  }

  /** See ObjectValue.prefetch; a small value is at hand already. */
  prefetch(cmds: readonly (readonly string[])[], at: Int32Array, from: number, to: number, bytes: Uint8Array, arg2: Int32Array): void {
    if (this.table !== null) this.table.prefetch(cmds, at, from, to, bytes, arg2);
  }

  /** Where `field` is (a pair index while listpack-encoded, a slot after), -1 when absent. */
  find(field: string): number {
    if (this.table !== null) return this.table.find(field);
    const kv = this.kv!;
    for (let i = 0; i < kv.length; i += 2) if (kv[i] === field) return i >> 1;
    return -1;
  }

  has(field: string): boolean {
    return this.find(field) >= 0;
  }

  get(field: string): string | undefined {
    if (this.table !== null) return this.table.get(field);
    const i = this.find(field);
    return i < 0 ? undefined : this.kv![2 * i + 1];
  }

  /** Length of the value of `field`, 0 when absent (HSTRLEN). */
  valueLength(field: string): number {
    if (this.table !== null) {
      const n = this.table.valueLength(field);
      return n < 0 ? 0 : n;
    }
    const v = this.get(field);
    return v === undefined ? 0 : v.length;
  }

  /** The field of pair `i` (0 <= i < size) in each()'s order; O(1) when walked in order. */
  fieldAt(i: number): string {
    return this.table !== null ? this.table.keyAt(i) : this.kv![2 * i];
  }

  /** The value of pair `i` (0 <= i < size) in each()'s order; O(1) when walked in order. */
  valueAt(i: number): string {
    return this.table !== null ? this.table.valueAt(i) : this.kv![2 * i + 1];
  }

  /** A uniformly random position for fieldAtPos / valueAtPos (the hash must not be empty). */
  randomPos(): number {
    return this.table !== null ? this.table.randomSlot() : Math.floor(Math.random() * (this.kv!.length >> 1));
  }

  /** Every position, in each()'s order for a listpack. */
  allPos(): number[] {
    if (this.table !== null) return this.table.occupiedSlots();
    const n = this.kv!.length >> 1;
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = i;
    return out;
  }

  fieldAtPos(p: number): string {
    return this.table !== null ? this.table.keyAtSlot(p) : this.kv![2 * p];
  }

  valueAtPos(p: number): string {
    return this.table !== null ? this.table.valueAtSlot(p) : this.kv![2 * p + 1];
  }

  /** Sets `field`; true when it was added, false when an existing value was replaced. */
  set(field: string, value: string): boolean {
    if (this.table !== null) return this.table.set(field, value);
    const i = this.find(field);
    if (i >= 0) {
      this.kv![2 * i + 1] = value;
      return false;
    }
    this.kv!.push(field, value);
    return true;
  }

  /** Removes `field`; true when it was there. */
  delete(field: string): boolean {
    if (this.table !== null) return this.table.delete(field);
    const i = this.find(field);
    if (i < 0) return false;
    this.kv!.splice(2 * i, 2);
    return true;
  }

  /** Calls `fn` with each pair in order (insertion order while listpack-encoded). */
  each(fn: (field: string, value: string) => void): void {
    if (this.table !== null) {
      this.table.each(fn);
      return;
    }
    const kv = this.kv!;
    for (let i = 0; i < kv.length; i += 2) fn(kv[i], kv[i + 1]);
  }

  /** Writes the fields, the values, or both, as bulk replies in each()'s order. */
  writeAll(out: BulkSink & { bulk(s: string): void }, fields: boolean, values: boolean): void {
    if (this.table !== null) {
      this.table.writeAll(out, fields, values);
      return;
    }
    const kv = this.kv!;
    for (let i = 0; i < kv.length; i += 2) {
      if (fields) out.bulk(kv[i]);
      if (values) out.bulk(kv[i + 1]);
    }
  }

  /**
   * Gives back the spare room array growth left in a small hash's pair array (a push reserves
   * half as much again plus 16 slots), so that many small hashes cost what they hold. Commands
   * call it after adding fields; it copies the array once, O(n) as a listpack insert is.
   */
  trim(): void {
    if (this.kv !== null && this.kv.length <= TRIM_MAX) this.kv = this.kv.slice();
  }

  /** Switches to the hashtable encoding (no-op when already there). */
  toHashtable(): void {
    if (this.table !== null) return;
    const kv = this.kv!;
    const t = new ByteTable(true, kv.length >> 1);
    for (let i = 0; i < kv.length; i += 2) t.set(kv[i], kv[i + 1]);
    this.table = t;
    this.kv = null;
  }

  /** What HSCAN walks over a hashtable-encoded hash: its fields, with an iterator that survives
   * changes (core/scan.ts). Null while listpack-encoded (HSCAN then returns the whole hash). */
  scanSource(): Scannable<string> | null {
    return this.table;
  }

  dup(): HashValue {
    return this.table !== null ? new HashValue([], this.table.dup()) : new HashValue(this.kv!.slice());
  }

  /** MEMORY USAGE estimate: the pair array and the strings, or the table's buffers. */
  memoryUsage(samples: number): number {
    if (this.table !== null) return 64 + this.table.memoryUsage();
    const kv = this.kv!;
    const n = kv.length >> 1;
    let bytes = 64 + 8 * kv.length;
    if (n === 0) return bytes;
    const look = samples <= 0 || samples >= n ? n : samples;
    let strings = 0;
    for (let i = 0; i < look; i++) strings += stringBytes(kv[2 * i].length) + stringBytes(kv[2 * i + 1].length);
    bytes += (strings / look) * n;
    return Math.round(bytes);
  }
}

/** Arrays up to this length are trimmed to their exact size after additions (see trim()). */
export const TRIM_MAX = 1024;

/** Bytes of a one-byte string in V8: a 16-byte header and the bytes, 8-aligned. */
export function stringBytes(len: number): number {
  return 16 + Math.ceil(len / 8) * 8;
}
