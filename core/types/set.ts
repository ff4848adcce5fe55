// The set value, after Redis 7.0's two set encodings (src/t_set.c, src/intset.c):
//
// - intset: every member is a 64-bit integer in canonical form (what string2ll accepts) and there
//   are at most set-max-intset-entries of them. Members are kept sorted by numeric value in an
//   array, found by binary search and inserted or removed by splicing, as Redis's intset does with
//   memmove; iteration (SMEMBERS, SSCAN, SUNION ...) is therefore ascending, exactly as in Redis.
//   Members stay strings: a canonical integer string sorts numerically by sign, then length, then
//   bytes, so no BigInt is needed for values beyond 2^53.
// - hashtable: anything else. The members in an array plus, past SMALL_SET members, a Map from
//   member to its array slot (below, scanning the array is as fast and saves the Map's ~200
//   bytes); removal moves the last member into the hole. Indexable members make SPOP and
//   SRANDMEMBER O(1) per pick (a JS Set cannot be indexed); the order is unspecified, as in
//   Redis's dict.
//
// Conversion is one-way (intset -> hashtable), as in Redis. Members are byte strings.

import type { ObjectValue } from '../keyspace.ts';
import type { Scannable } from '../scan.ts';
import { stringBytes, TRIM_MAX } from './hash.ts';

export type SetEncoding = 'intset' | 'hashtable';

/** Redis caps intsets at 2^30 entries whatever set-max-intset-entries says. */
const INTSET_HARD_MAX = 1 << 30;

/** Hashtable sets up to this size do without their member -> slot Map (see `index`). */
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
  /** intset: sorted ascending by value; hashtable: any order. */
  private m: string[];
  /** Hashtable-encoded (what OBJECT ENCODING reports); false for an intset. */
  private ht: boolean;
  /**
   * Member -> slot in `m`, for hashtable sets past SMALL_SET members. Below, a scan of `m` is as
   * fast as a Map lookup and the Map's ~200 bytes are saved (small sets of tags are common).
   */
  private index: Map<string, number> | null;

  /** `index` null: an intset of the sorted `members`; a Map (member -> slot): a hashtable. */
  constructor(members: string[] = [], index: Map<string, number> | null = null) {
    this.m = members;
    this.index = index;
    this.ht = index !== null;
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
    return this.m.length;
  }

  /** The member at slot `i` (0 <= i < size): ascending order for an intset. */
  at(i: number): string {
    return this.m[i];
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

  /** Slot of `member` in a hashtable set, -1 when absent. */
  private slotOf(member: string): number {
    if (this.index === null) return this.m.indexOf(member);
    const i = this.index.get(member);
    return i === undefined ? -1 : i;
  }

  has(member: string): boolean {
    if (this.index !== null) return this.index.has(member);
    if (this.ht) return this.m.indexOf(member) >= 0;
    return isIntMember(member) && this.search(member) >= 0;
  }

  /**
   * Adds `member` (Redis's setTypeAdd): an intset converts to a hashtable when the member is not
   * an integer or the count would pass `maxIntset` (set-max-intset-entries). True when added.
   */
  add(member: string, maxIntset: number): boolean {
    const index = this.index;
    if (index !== null) {
      if (index.has(member)) return false;
      index.set(member, this.m.length);
      this.m.push(member);
      return true;
    }
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
      if (this.index !== null) {
        this.index.set(member, this.m.length);
        this.m.push(member);
        return true;
      }
    } else if (this.m.indexOf(member) >= 0) {
      return false;
    }
    this.m.push(member);
    if (this.m.length > SMALL_SET) this.buildIndex();
    return true;
  }

  /** Removes `member`; true when it was there. */
  delete(member: string): boolean {
    if (!this.ht) {
      if (!isIntMember(member)) return false;
      const at = this.search(member);
      if (at < 0) return false;
      this.m.splice(at, 1);
      return true;
    }
    const i = this.slotOf(member);
    if (i < 0) return false;
    this.removeSlot(i);
    return true;
  }

  /** Removes the member at slot `i` and returns it. */
  removeAt(i: number): string {
    const member = this.m[i];
    if (!this.ht) this.m.splice(i, 1);
    else this.removeSlot(i);
    return member;
  }

  /** Hashtable removal: the last member moves into the hole. */
  private removeSlot(i: number): void {
    const m = this.m;
    const index = this.index;
    if (index !== null) index.delete(m[i]);
    const last = m.length - 1;
    if (i !== last) {
      const moved = m[last];
      m[i] = moved;
      if (index !== null) index.set(moved, i);
    }
    m.length = last;
  }

  /** Gives back the spare room array growth left in a small set's member array (see
   * HashValue.trim); commands call it after adding members. */
  trim(): void {
    if (this.m.length <= TRIM_MAX) this.m = this.m.slice();
  }

  /** Switches to the hashtable encoding (no-op when already there). */
  toHashtable(): void {
    if (this.ht) return;
    this.ht = true;
    if (this.m.length > SMALL_SET) this.buildIndex();
  }

  private buildIndex(): void {
    const index = new Map<string, number>();
    const m = this.m;
    for (let i = 0; i < m.length; i++) index.set(m[i], i);
    this.index = index;
  }

  /** Calls `fn` with each member in iteration order (ascending for an intset). */
  each(fn: (member: string) => void): void {
    const m = this.m;
    for (let i = 0; i < m.length; i++) fn(m[i]);
  }

  /** The members in iteration order (a copy; ascending for an intset). */
  members(): string[] {
    return this.m.slice();
  }

  /** What SSCAN walks over a hashtable-encoded set (an iterator that survives changes, see
   * core/scan.ts); null for an intset or a small set without its index, which SSCAN returns
   * whole (Redis returns intsets whole; for a small hashtable one reply is a valid scan too). */
  scanSource(): Scannable<string> | null {
    return this.index;
  }

  dup(): SetValue {
    const copy = new SetValue(this.m.slice(), this.index === null ? null : new Map(this.index));
    copy.ht = this.ht;
    return copy;
  }

  /** MEMORY USAGE estimate: the member array, the strings, and the index entries when present. */
  memoryUsage(samples: number): number {
    const n = this.m.length;
    let bytes = 64 + 8 * n;
    if (n === 0) return bytes;
    const look = samples <= 0 || samples >= n ? n : samples;
    let strings = 0;
    for (let i = 0; i < look; i++) strings += stringBytes(this.m[i].length);
    bytes += (strings / look) * n;
    if (this.index !== null) bytes += 48 + 40 * n;
    return Math.round(bytes);
  }
}
