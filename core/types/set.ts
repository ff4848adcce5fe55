// The set value, after Redis 7.0's two set encodings (src/t_set.c, src/intset.c):
//
// - intset: every member is a 64-bit integer in canonical form (what string2ll accepts) and there
//   are at most set-max-intset-entries of them. Members are kept sorted by numeric value in an
//   array, found by binary search and inserted or removed by splicing, as Redis's intset does with
//   memmove; iteration (SMEMBERS, SSCAN, SUNION ...) is therefore ascending, exactly as in Redis.
//   Members stay strings: a canonical integer string sorts numerically by sign, then length, then
//   bytes, so no BigInt is needed for values beyond 2^53.
// - hashtable: anything else. Up to SMALL_SET members, an array scanned for lookups (as fast as
//   a hash lookup there, and no table to pay for: small sets of tags are common); removal moves
//   the last member into the hole. Past that, a ByteTable (byte_table.ts): the members as bytes
//   in slabs with an open-addressing index, a fraction of what strings in a Map cost; random
//   picks (SPOP, SRANDMEMBER) draw a random slot. The order is unspecified, as in Redis's dict.
//
// Conversion is one-way (intset -> hashtable), as in Redis. Members are byte strings.

import type { ObjectValue } from '../keyspace.ts';
import type { Scannable } from '../scan.ts';
import { ByteTable } from './byte_table.ts';
import { stringBytes, TRIM_MAX } from './hash.ts';
import type { BulkSink } from './packed_list.ts';

export type SetEncoding = 'intset' | 'hashtable';

/** Redis caps intsets at 2^30 entries whatever set-max-intset-entries says. */
const INTSET_HARD_MAX = 1 << 30;

/** Hashtable sets up to this size are a plain array (see `table`). */
const SMALL_SET = 16;

/**
 * True when `s` is a signed 64-bit integer in canonical form: Redis's string2ll, which decides
 * whether a member can live in an intset (no sign but '-', no leading zeros, no "-0", no blanks).
 */
export function isIntMember(s: string): boolean {
  const n = s.length;
  if (n === 0 || n > 20) return false;
  let i = 0;
  const neg = s.charCodeAt(0) === 45;
  if (neg) {
    if (n === 1) return false;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 48) return n === 1;
  if (first < 49 || first > 57) return false;
  for (let j = i + 1; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return false;
  }
  const digits = n - i;
  if (digits < 19) return true;
  if (digits > 19) return false;
  return s.slice(i) <= (neg ? '9223372036854775808' : '9223372036854775807');
}

/** Numeric order of two canonical integer strings. */
function compareInts(a: string, b: string): number {
  const an = a.charCodeAt(0) === 45;
  const bn = b.charCodeAt(0) === 45;
  if (an !== bn) return an ? -1 : 1;
  if (a.length !== b.length) return (a.length < b.length) !== an ? -1 : 1;
  if (a === b) return 0;
  return (a < b) !== an ? -1 : 1;
}

export class SetValue implements ObjectValue {
  /** On the prototype rather than in every instance: many small sets are common. */
  get type(): 'set' {
    return 'set';
  }
  /** intset: sorted ascending by value; small hashtable: any order; [] once `table` is used. */
  private m: string[];
  /** Hashtable-encoded (what OBJECT ENCODING reports); false for an intset. */
  private ht: boolean;
  /** The members of a hashtable set past SMALL_SET members; null before. */
  private table: ByteTable | null = null;

  /**
   * `index` null: an intset of the sorted `members`; non-null: a hashtable of `members` (the
   * Map's contents are not used; the RDB loader passes one).
   */
  constructor(members: string[] = [], index: Map<string, number> | null = null) {
    this.m = members;
    this.ht = index !== null;
    if (this.ht && members.length > SMALL_SET) this.buildTable();
  }

  /** A hashtable set of `members` (distinct; the array is kept or consumed, not copied). */
  static hashtableOf(members: string[]): SetValue {
    const s = new SetValue(members);
    s.toHashtable();
    return s;
  }

  /** An empty set in the encoding Redis's setTypeCreate picks for a first member `first`. */
  static forMember(first: string): SetValue {
    const s = new SetValue();
    if (!isIntMember(first)) s.ht = true;
    return s;
  }

  /**
   * A set holding `members` (distinct), encoded as Redis encodes a set it loads: an intset when
   * every member is a canonical integer and there are at most `maxIntset` of them
   * (set-max-intset-entries), a hashtable otherwise.
   */
  static fromMembers(members: readonly string[], maxIntset: number): SetValue {
    let ints = members.length <= Math.min(maxIntset, INTSET_HARD_MAX);
    for (let i = 0; ints && i < members.length; i++) if (!isIntMember(members[i])) ints = false;
    if (ints) return new SetValue(members.slice().sort(compareInts));
    const s = new SetValue(members.slice());
    s.toHashtable();
    return s;
  }

  get encoding(): SetEncoding {
    return this.ht ? 'hashtable' : 'intset';
  }

  get size(): number {
    return this.table !== null ? this.table.size : this.m.length;
  }

  /** The member at index `i` (0 <= i < size) in each()'s order (ascending for an intset);
   * O(1) when walked in order. */
  at(i: number): string {
    return this.table !== null ? this.table.keyAt(i) : this.m[i];
  }

  /** A uniformly random position for atPos (the set must not be empty). */
  randomPos(): number {
    return this.table !== null ? this.table.randomSlot() : Math.floor(Math.random() * this.m.length);
  }

  /** Every position (each()'s order but for a table, whose slots come in slot order). */
  allPos(): number[] {
    if (this.table !== null) return this.table.occupiedSlots();
    const n = this.m.length;
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = i;
    return out;
  }

  /** The member at position `p` (see randomPos, allPos). */
  atPos(p: number): string {
    return this.table !== null ? this.table.keyAtSlot(p) : this.m[p];
  }

  /** A uniformly random member (the set must not be empty). */
  randomMember(): string {
    return this.atPos(this.randomPos());
  }

  /** Removes a uniformly random member (the set must not be empty) and returns it. */
  popRandom(): string {
    if (this.table !== null) {
      const p = this.table.randomSlot();
      const member = this.table.keyAtSlot(p);
      this.table.removeSlot(p);
      return member;
    }
    return this.removeAt(Math.floor(Math.random() * this.m.length));
  }

  /** See ObjectValue.prefetch; a small value is at hand already. */
  prefetch(cmds: readonly (readonly string[])[], at: Int32Array, from: number, to: number, bytes: Uint8Array, arg2: Int32Array): void {
    if (this.table !== null) this.table.prefetch(cmds, at, from, to, bytes, arg2);
  }

  /** Slot of `member` in the sorted intset, or -(insertion point) - 1. */
  private search(member: string): number {
    const m = this.m;
    let lo = 0;
    let hi = m.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = compareInts(m[mid], member);
      if (c < 0) lo = mid + 1;
      else if (c > 0) hi = mid - 1;
      else return mid;
    }
    return -lo - 1;
  }

  has(member: string): boolean {
    if (this.table !== null) return this.table.has(member);
    if (this.ht) return this.m.indexOf(member) >= 0;
    return isIntMember(member) && this.search(member) >= 0;
  }

  /**
   * Adds `member` (Redis's setTypeAdd): an intset converts to a hashtable when the member is not
   * an integer or the count would pass `maxIntset` (set-max-intset-entries). True when added.
   */
  add(member: string, maxIntset: number): boolean {
    if (this.table !== null) return this.table.set(member, '');
    if (!this.ht) {
      if (isIntMember(member)) {
        const at = this.search(member);
        if (at >= 0) return false;
        const pos = -at - 1;
        if (pos === this.m.length) this.m.push(member);
        else this.m.splice(pos, 0, member);
        if (this.m.length > Math.min(maxIntset, INTSET_HARD_MAX)) this.toHashtable();
        return true;
      }
      this.toHashtable();
      // toHashtable() may have made the table (TypeScript still thinks it null here).
      const t = this.table as ByteTable | null;
      if (t !== null) return t.set(member, '');
    } else if (this.m.indexOf(member) >= 0) {
      return false;
    }
    this.m.push(member);
    if (this.m.length > SMALL_SET) this.buildTable();
    return true;
  }

  /** Removes `member`; true when it was there. */
  delete(member: string): boolean {
    if (this.table !== null) return this.table.delete(member);
    if (!this.ht) {
      if (!isIntMember(member)) return false;
      const at = this.search(member);
      if (at < 0) return false;
      this.m.splice(at, 1);
      return true;
    }
    const i = this.m.indexOf(member);
    if (i < 0) return false;
    this.removeAt(i);
    return true;
  }

  /** Removes the member at index `i` (0 <= i < size, as at()) and returns it. */
  removeAt(i: number): string {
    if (this.table !== null) {
      const member = this.table.keyAt(i);
      this.table.delete(member);
      return member;
    }
    const m = this.m;
    const member = m[i];
    if (!this.ht) {
      m.splice(i, 1);
      return member;
    }
    // Hashtable order is free: the last member moves into the hole.
    const last = m.length - 1;
    if (i !== last) m[i] = m[last];
    m.length = last;
    return member;
  }

  /** Gives back the spare room array growth left in a small set's member array (see
   * HashValue.trim); commands call it after adding members. */
  trim(): void {
    if (this.table === null && this.m.length <= TRIM_MAX) this.m = this.m.slice();
  }

  /** Switches to the hashtable encoding (no-op when already there). */
  toHashtable(): void {
    if (this.ht) return;
    this.ht = true;
    if (this.m.length > SMALL_SET) this.buildTable();
  }

  private buildTable(): void {
    const m = this.m;
    const t = new ByteTable(false, m.length);
    for (let i = 0; i < m.length; i++) t.set(m[i], '');
    this.table = t;
    this.m = [];
  }

  /** Calls `fn` with each member in iteration order (ascending for an intset). */
  each(fn: (member: string) => void): void {
    if (this.table !== null) {
      this.table.each(fn);
      return;
    }
    const m = this.m;
    for (let i = 0; i < m.length; i++) fn(m[i]);
  }

  /** Writes every member as a bulk reply, in each()'s order. */
  writeAll(out: BulkSink & { bulk(s: string): void }): void {
    if (this.table !== null) {
      this.table.writeAll(out, true, false);
      return;
    }
    const m = this.m;
    for (let i = 0; i < m.length; i++) out.bulk(m[i]);
  }

  /** The members in iteration order (a copy; ascending for an intset). */
  members(): string[] {
    if (this.table === null) return this.m.slice();
    const out: string[] = [];
    this.table.each((k) => void out.push(k));
    return out;
  }

  /** What SSCAN walks over a hashtable-encoded set (an iterator that survives changes, see
   * core/scan.ts); null for an intset or a small set without its table, which SSCAN returns
   * whole (Redis returns intsets whole; for a small hashtable one reply is a valid scan too). */
  scanSource(): Scannable<string> | null {
    return this.table;
  }

  dup(): SetValue {
    const copy = new SetValue(this.m.slice());
    copy.ht = this.ht;
    if (this.table !== null) copy.table = this.table.dup();
    return copy;
  }

  /** MEMORY USAGE estimate: the member array and the strings, or the table's buffers. */
  memoryUsage(samples: number): number {
    if (this.table !== null) return 64 + this.table.memoryUsage();
    const n = this.m.length;
    let bytes = 64 + 8 * n;
    if (n === 0) return bytes;
    const look = samples <= 0 || samples >= n ? n : samples;
    let strings = 0;
    for (let i = 0; i < look; i++) strings += stringBytes(this.m[i].length);
    bytes += (strings / look) * n;
    return Math.round(bytes);
  }
}
