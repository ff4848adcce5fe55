// A hash table whose entries are bytes in buffers, not JS strings: the store of a
// hashtable-encoded hash, and (keys only) of a hashtable-encoded set past a few members (Redis's
// dict of sds, src/dict.c).
//
// Why: a field and a value kept as V8 strings cost a 16-byte header each, rounded to 8 bytes, plus
// a Map entry (three slots and its share of the buckets, with up to 2x spare capacity) and, since
// a Map cannot be indexed (HRANDFIELD), an array slot per string. Measured with a million 16-byte
// fields of 10-byte values that came to about 125 bytes a field before the heap's slack, against
// 98 for Redis. Worse, every stored string is young when made and survives: the scavenger copies
// it and the young generation grows to its maximum (32 MB more RSS at 1M fields). Here a pair
// costs its bytes plus 3 bytes of headers in a slab, and 8 bytes per table slot.
//
// Layout:
// - Entries sit back to back in slabs (Uint8Array, up to SLAB bytes; the last one doubles as it
//   fills, so a small table holds a small buffer), in insertion order:
//     [status: 1 live, 0 dead][field length: varint][field][value length: varint][value]
//   An entry longer than a slab gets a slab of its own. A deleted or replaced entry is marked dead
//   and its bytes reclaimed by compact() once dead bytes outweigh live ones.
// - The index is open addressing with linear probing over a Uint32Array of slot pairs
//   [ref, hash]: ref = slab * 65536 + offset, EMPTY when free. The stored hash makes probing
//   compare integers, not bytes, and lets the table grow without reading the slabs. Deletion
//   shifts the following cluster back (no tombstones). Load stays between 1/8 and 3/4, so a
//   random slot is occupied often enough for a fair O(1) random pick (HRANDFIELD), as Redis's
//   dictGetRandomKey draws a random bucket.
//
// The hash is FNV-1a with a per-process random basis and a murmur3 finalizer: keys an attacker
// chooses can still collide (Redis uses keyed SipHash); the random basis only makes that harder
// to do blindly. Limits: 65535 slabs, i.e. 4 GB of entries, or 65535 entries over 64 KB.

import { bytesToStr, strIntoBytes, varintSize } from '../bytes.ts';
import type { Scannable } from '../scan.ts';
import type { BulkSink } from './packed_list.ts';
import { aheadStrings, aheadValues } from '../key_table.ts';

/** Largest slab for small entries; refs hold the offset in 16 bits. */
const SLAB = 65536;
const MAX_SLABS = 65535;
const EMPTY = 0xffffffff;
const MIN_SLOTS = 8;
/** First capacity of the first slab. */
const MIN_SLAB = 64;

/** Most members prefetch() reads ahead for at once, and its scratch. */
const AHEAD = 32;
const aheadRefs = new Uint32Array(AHEAD);
const aheadHashes = new Uint32Array(AHEAD);
/** Most slots prefetch() looks at for one member (see KeyTable.prefetch). */
const PROBE_AHEAD = 8;
/** Where prefetch() leaves what it read, so the compiler keeps the reads. */
export let aheadTouched = 0;
const aheadFound = new Int32Array(AHEAD);

/**
 * What prefetch() found for a batch of commands, as the key table's LookupMemo does for keys: at
 * [i], for the batch's i-th command, the table, the member and its slot, valid while that table's
 * epoch is the one noted (a delete, resize or clear moves slots and the epoch). The server starts
 * one per batch (newMemberMemo) and points `pos` at the command running (setMemberPos); a lookup
 * of that member in that table then takes the slot without hashing, probing or comparing bytes.
 */
interface MemberMemo {
  tables: (ByteTable | undefined)[];
  keys: string[];
  slots: number[];
  epochs: number[];
  pos: number;
}
let memberMemo: MemberMemo | null = null;

export function newMemberMemo(): void {
  memberMemo = {
    tables: aheadValues<ByteTable>(),
    keys: aheadStrings(),
    slots: [-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
      -1, -1, -1, -1, -1, -1, -1],
    epochs: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    pos: -1,
  };
}

export function setMemberPos(i: number): void {
  if (memberMemo !== null) memberMemo.pos = i;
}

/** Drops the MemberMemo once its batch has run, so that it keeps no deleted set or hash alive. */
export function endMemberMemo(): void {
  memberMemo = null;
}

const BASIS = (0x811c9dc5 ^ Math.floor(Math.random() * 0x100000000)) >>> 0;

/** The 32-bit hash of a byte string. */
export function hashBytes(s: string): number {
  let h = BASIS;
  const n = s.length;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return finish(h);
}

/** hashBytes of the latin1 string of b[p, p + n): the same hash, read from bytes. */
export function hashRange(b: Uint8Array, p: number, n: number): number {
  let h = BASIS;
  const end = p + n;
  for (; p < end; p++) h = Math.imul(h ^ b[p], 0x01000193);
  return finish(h);
}

/** murmur3's finalizer: FNV-1a alone leaves the low bits, the slot's, poorly mixed. */
function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function writeVarint(buf: Uint8Array, p: number, n: number): number {
  while (n >= 128) {
    buf[p++] = (n % 128) | 128;
    n = Math.floor(n / 128);
  }
  buf[p++] = n;
  return p;
}

// Scratch results of parse() (single-threaded; read right after each call), so lookups and walks
// allocate nothing.
let fStart = 0;
let fLen = 0;
let vStart = 0;
let vLen = 0;

/** Reads the entry at p (sets fStart, fLen, vStart, vLen); returns the index after it. */
function parse(buf: Uint8Array, p: number, pairs: boolean): number {
  p++;
  let b = buf[p++];
  let len = b & 127;
  for (let mul = 128; b >= 128; mul *= 128) {
    b = buf[p++];
    len += (b & 127) * mul;
  }
  fStart = p;
  fLen = len;
  p += len;
  if (!pairs) {
    vStart = p;
    vLen = 0;
    return p;
  }
  b = buf[p++];
  len = b & 127;
  for (let mul = 128; b >= 128; mul *= 128) {
    b = buf[p++];
    len += (b & 127) * mul;
  }
  vStart = p;
  vLen = len;
  return p + len;
}

/** True when the entry at p holds the key `s` (a cheaper check than parse() for the usual short
 * key: one length byte, then the bytes). */
function keyEquals(buf: Uint8Array, p: number, s: string): boolean {
  const n = s.length;
  let b = buf[p + 1];
  let q = p + 2;
  if (b >= 128) {
    let len = b & 127;
    for (let mul = 128; b >= 128; mul *= 128) {
      b = buf[q++];
      len += (b & 127) * mul;
    }
    if (len !== n) return false;
  } else if (b !== n) {
    return false;
  }
  for (let i = 0; i < n; i++) if (buf[q + i] !== s.charCodeAt(i)) return false;
  return true;
}

/** keyEquals for a key given as the bytes b[p, p + n). */
function keyEqualsBytes(buf: Uint8Array, q: number, b: Uint8Array, p: number, n: number): boolean {
  let len = buf[q + 1];
  q += 2;
  if (len >= 128) {
    let x = len;
    len &= 127;
    for (let mul = 128; x >= 128; mul *= 128) {
      x = buf[q++];
      len += (x & 127) * mul;
    }
  }
  if (len !== n) return false;
  for (let i = 0; i < n; i++) if (buf[q + i] !== b[p + i]) return false;
  return true;
}

export class ByteTable implements Scannable<string> {
  /** Entries with values (a hash) or keys only (a set). */
  readonly pairs: boolean;
  /** Replaced (not mutated) by compact(), so a walk that began before still reads its snapshot. */
  private slabs: Uint8Array[] = [];
  /** Moves on whenever members may change slots (see MemberMemo). */
  private epoch = 0;
  /** Bytes used in each slab. */
  private ends: number[] = [];
  /** Slot pairs [ref, hash]. */
  private slots: Uint32Array;
  private mask: number;
  size = 0;
  private liveBytes = 0;
  private deadBytes = 0;
  /** Sequential access by entry number (entryAt): the entry `curIndex` sits at curSlab/curOff. */
  private curIndex = -1;
  private curSlab = 0;
  private curOff = 0;

  constructor(pairs: boolean, expected = 0) {
    this.pairs = pairs;
    let cap = MIN_SLOTS;
    while (cap * 3 < expected * 4) cap *= 2;
    this.slots = new Uint32Array(2 * cap).fill(EMPTY);
    this.mask = cap - 1;
  }

  // -------------------------------------------------------------------------------------------
  // Lookups

  /**
   * Reads ahead for the keys cmds[at[k]][2], k in [from, to) (see ObjectValue.prefetch): their
   * slots, then the entries' first bytes, each step's loads issued back to back so that the
   * cache misses of a pipeline's lookups in one big table overlap. Nothing changes. A key whose
   * bytes are at hand (arg2) is hashed and compared from them: a byte load costs a fraction of a
   * charCodeAt (measured 20 ns against 45-60 ns per 20-byte member, for each of the two).
   */
  prefetch(cmds: readonly (readonly string[])[], at: Int32Array, from: number, to: number, bytes: Uint8Array, arg2: Int32Array): void {
    const slots = this.slots;
    const mask = this.mask;
    const hashes = aheadHashes;
    const refs = aheadRefs;
    // Hashing first, then the loads alone in a tight loop: more of them fit in flight at once.
    let n = 0;
    for (let k = from; k < to && n < AHEAD; k++) {
      const p = at[k];
      const member = cmds[p][2];
      // A command with no member on the same key (HLEN, SCARD ... pipelined with HGET) has
      // nothing to read ahead: any hash does for its slot, and the memo below skips it.
      if (member === undefined) {
        hashes[n++] = 0;
        continue;
      }
      const q = arg2[p];
      hashes[n++] = q >= 0 ? hashRange(bytes, q, member.length) : hashBytes(member);
    }
    for (let i = 0; i < n; i++) refs[i] = slots[2 * (hashes[i] & mask)];
    const found = aheadFound;
    for (let i = 0; i < n; i++) {
      // The member's slot: its first, or one of the next few (mostly in the same cache line).
      const h = hashes[i];
      let s = h & mask;
      let ref = refs[i];
      for (let k = 1; ref !== EMPTY && slots[2 * s + 1] !== h && k < PROBE_AHEAD; k++) {
        s = (s + 1) & mask;
        ref = slots[2 * s];
      }
      if (ref !== EMPTY && slots[2 * s + 1] === h) {
        found[i] = s;
        refs[i] = ref;
      } else {
        found[i] = -1;
        refs[i] = EMPTY;
      }
    }
    // The entries' loads in a loop of their own, short enough that all of them are in flight at
    // once: issued from the probing loop, each waited for most of its own miss (half of the
    // read-ahead's samples stalled there under SADD -P 16).
    const slabs = this.slabs;
    let touched = 0;
    for (let i = 0; i < n; i++) {
      const ref = refs[i];
      if (ref !== EMPTY) touched += slabs[ref >>> 16][ref & 0xffff];
    }
    aheadTouched = touched;
    // Then, with the bytes in cache, the members that are really there go into the memo.
    const m = memberMemo;
    if (m === null) return;
    for (let i = 0, k = from; i < n; i++, k++) {
      const s = found[i];
      if (s < 0) continue;
      const ref = slots[2 * s];
      const p = at[k];
      const key = cmds[p][2];
      if (key === undefined) continue;
      const q = arg2[p];
      if (q >= 0 ? !keyEqualsBytes(slabs[ref >>> 16], ref & 0xffff, bytes, q, key.length) : !keyEquals(slabs[ref >>> 16], ref & 0xffff, key)) continue;
      m.tables[p] = this;
      m.keys[p] = key;
      m.slots[p] = s;
      m.epochs[p] = this.epoch;
    }
  }

  /** The slot the read-ahead found `key` in for the command running, or -1 (see MemberMemo). */
  private memoSlot(key: string): number {
    const m = memberMemo;
    if (m === null || m.pos < 0) return -1;
    const p = m.pos;
    m.pos = -1;
    return m.tables[p] === this && m.keys[p] === key && m.epochs[p] === this.epoch ? m.slots[p] : -1;
  }

  /** Slot of `key` (hash h), or -1 - (the free slot where it would go). The caller parses the
   * entry if it needs the value. */
  private lookup(key: string, h: number): number {
    const slots = this.slots;
    const mask = this.mask;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const ref = slots[2 * i];
      if (ref === EMPTY) return -1 - i;
      if (slots[2 * i + 1] === h && keyEquals(this.slabs[ref >>> 16], ref & 0xffff, key)) return i;
    }
  }

  /** Slot of `key`, -1 when absent. */
  find(key: string): number {
    const m = this.memoSlot(key);
    if (m >= 0) return m;
    const i = this.lookup(key, hashBytes(key));
    return i < 0 ? -1 : i;
  }

  has(key: string): boolean {
    return this.memoSlot(key) >= 0 || this.lookup(key, hashBytes(key)) >= 0;
  }

  /** The value of `key`, undefined when absent. */
  get(key: string): string | undefined {
    const m = this.memoSlot(key);
    const i = m >= 0 ? m : this.lookup(key, hashBytes(key));
    if (i < 0) return undefined;
    const ref = this.slots[2 * i];
    const buf = this.slabs[ref >>> 16];
    parse(buf, ref & 0xffff, this.pairs);
    return bytesToStr(buf, vStart, vStart + vLen);
  }

  /** Length of the value of `key`, -1 when absent. */
  valueLength(key: string): number {
    const i = this.lookup(key, hashBytes(key));
    if (i < 0) return -1;
    const ref = this.slots[2 * i];
    parse(this.slabs[ref >>> 16], ref & 0xffff, this.pairs);
    return vLen;
  }

  /** The key held in occupied slot i. */
  keyAtSlot(i: number): string {
    const ref = this.slots[2 * i];
    const buf = this.slabs[ref >>> 16];
    parse(buf, ref & 0xffff, this.pairs);
    return bytesToStr(buf, fStart, fStart + fLen);
  }

  /** The value held in occupied slot i. */
  valueAtSlot(i: number): string {
    const ref = this.slots[2 * i];
    const buf = this.slabs[ref >>> 16];
    parse(buf, ref & 0xffff, this.pairs);
    return bytesToStr(buf, vStart, vStart + vLen);
  }

  /** A uniformly random occupied slot (the table must not be empty): load is at least 1/8. */
  randomSlot(): number {
    const cap = this.mask + 1;
    const slots = this.slots;
    for (;;) {
      const i = Math.floor(Math.random() * cap);
      if (slots[2 * i] !== EMPTY) return i;
    }
  }

  /** Every occupied slot, in slot order. */
  occupiedSlots(): number[] {
    const out: number[] = [];
    const slots = this.slots;
    for (let i = 0; i <= this.mask; i++) if (slots[2 * i] !== EMPTY) out.push(i);
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // Changes

  /**
   * Sets `key` to `value` (ignored in a key-only table); true when the key was added. A value of
   * the same length is overwritten in place; otherwise the entry is written anew at the end.
   */
  set(key: string, value: string): boolean {
    let h = 0;
    let i = this.memoSlot(key);
    if (i < 0) {
      h = hashBytes(key);
      i = this.lookup(key, h);
    }
    if (i >= 0) {
      if (!this.pairs) return false;
      const ref = this.slots[2 * i];
      const buf = this.slabs[ref >>> 16];
      parse(buf, ref & 0xffff, true);
      if (vLen === value.length) {
        strIntoBytes(value, buf, vStart);
        return false;
      }
      const old = vStart + vLen - (ref & 0xffff);
      // Written before the old entry dies, so that a failure (a full table) changes nothing.
      const next = this.append(key, value);
      // Not `buf`: append() may have moved the last slab to a bigger buffer.
      this.slabs[ref >>> 16][ref & 0xffff] = 0;
      this.deadBytes += old;
      this.liveBytes -= old;
      this.curIndex = -1;
      this.slots[2 * i] = next;
      this.maybeCompact();
      return false;
    }
    if ((this.size + 1) * 4 > (this.mask + 1) * 3) {
      this.resize((this.mask + 1) * 2);
      i = this.lookup(key, h);
    }
    i = -1 - i;
    this.slots[2 * i] = this.append(key, value);
    this.slots[2 * i + 1] = h;
    this.size++;
    this.curIndex = -1;
    return true;
  }

  /** Removes `key`; true when it was there. */
  delete(key: string): boolean {
    const i = this.lookup(key, hashBytes(key));
    if (i < 0) return false;
    this.removeSlot(i);
    return true;
  }

  /** Removes the entry in occupied slot i. */
  removeSlot(i: number): void {
    this.epoch++;
    const slots = this.slots;
    const ref = slots[2 * i];
    const buf = this.slabs[ref >>> 16];
    const end = parse(buf, ref & 0xffff, this.pairs);
    buf[ref & 0xffff] = 0;
    const bytes = end - (ref & 0xffff);
    this.deadBytes += bytes;
    this.liveBytes -= bytes;
    this.size--;
    this.curIndex = -1;
    // Backward-shift deletion: move later members of the cluster into the hole when their home
    // slot does not lie cyclically in (hole, their slot].
    const mask = this.mask;
    let hole = i;
    for (let j = (i + 1) & mask; slots[2 * j] !== EMPTY; j = (j + 1) & mask) {
      const home = slots[2 * j + 1] & mask;
      const between = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (!between) {
        slots[2 * hole] = slots[2 * j];
        slots[2 * hole + 1] = slots[2 * j + 1];
        hole = j;
      }
    }
    slots[2 * hole] = EMPTY;
    if (this.size === 0) {
      this.clear();
      return;
    }
    if (this.mask + 1 > MIN_SLOTS && this.size * 8 < this.mask + 1) {
      let cap = MIN_SLOTS;
      while (cap * 3 < this.size * 2 * 4) cap *= 2;
      this.resize(cap);
    }
    this.maybeCompact();
  }

  private clear(): void {
    this.epoch++;
    this.slabs = [];
    this.ends = [];
    this.slots = new Uint32Array(2 * MIN_SLOTS).fill(EMPTY);
    this.mask = MIN_SLOTS - 1;
    this.liveBytes = 0;
    this.deadBytes = 0;
  }

  /** Writes a live entry at the end of the last slab (or a new one); returns its ref. */
  private append(key: string, value: string): number {
    const vl = this.pairs ? value.length : 0;
    const size = 1 + varintSize(key.length) + key.length + (this.pairs ? varintSize(vl) + vl : 0);
    let si = this.slabs.length - 1;
    let buf = si >= 0 ? this.slabs[si] : undefined;
    let at = si >= 0 ? this.ends[si] : 0;
    if (buf === undefined || at + size > buf.length) {
      if (buf !== undefined && at + size <= SLAB) {
        // The last slab grows (doubling) up to SLAB; offsets stay valid in the copy.
        let cap = buf.length * 2;
        while (cap < at + size) cap *= 2;
        const next = new Uint8Array(Math.min(cap, SLAB));
        next.set(buf.subarray(0, at));
        buf = next;
        this.slabs[si] = buf;
      } else {
        if (this.slabs.length >= MAX_SLABS) throw new RangeError('Hash table full: 65535 slabs');
        // A table that filled a slab is evidently big: the next slab is whole at once, since a
        // trail of doubling buffers would be garbage the allocator keeps.
        let cap = buf === undefined ? MIN_SLAB : SLAB;
        while (cap < size && cap < SLAB) cap *= 2;
        buf = new Uint8Array(size > SLAB ? size : cap);
        this.slabs.push(buf);
        this.ends.push(0);
        si++;
        at = 0;
      }
    }
    let p = at;
    buf[p++] = 1;
    p = writeVarint(buf, p, key.length);
    p = strIntoBytes(key, buf, p);
    if (this.pairs) {
      p = writeVarint(buf, p, vl);
      p = strIntoBytes(value, buf, p);
    }
    this.ends[si] = p;
    this.liveBytes += size;
    return (si * SLAB + at) >>> 0;
  }

  /** Rebuilds the slot array with `cap` slots from the stored hashes. */
  private resize(cap: number): void {
    this.epoch++;
    const old = this.slots;
    const slots = new Uint32Array(2 * cap).fill(EMPTY);
    const mask = cap - 1;
    for (let k = 0; k < old.length; k += 2) {
      const ref = old[k];
      if (ref === EMPTY) continue;
      const h = old[k + 1];
      let i = h & mask;
      while (slots[2 * i] !== EMPTY) i = (i + 1) & mask;
      slots[2 * i] = ref;
      slots[2 * i + 1] = h;
    }
    this.slots = slots;
    this.mask = mask;
  }

  private maybeCompact(): void {
    if (this.deadBytes > this.liveBytes && this.deadBytes > 4096) this.compact();
  }

  /**
   * Copies the live entries into new slabs, in slot order, and points the slots at them. The old
   * slab arrays are left as they were, for walks already under way.
   */
  private compact(): void {
    const slabs: Uint8Array[] = [];
    const ends: number[] = [];
    let buf: Uint8Array | undefined;
    let at = 0;
    let cap = MIN_SLAB;
    while (cap < this.liveBytes && cap < SLAB) cap *= 2;
    const slots = this.slots;
    for (let i = 0; i <= this.mask; i++) {
      const ref = slots[2 * i];
      if (ref === EMPTY) continue;
      const src = this.slabs[ref >>> 16];
      const from = ref & 0xffff;
      const size = parse(src, from, this.pairs) - from;
      if (buf === undefined || at + size > buf.length) {
        if (buf !== undefined) ends[slabs.length - 1] = at;
        buf = new Uint8Array(size > cap ? size : cap);
        slabs.push(buf);
        ends.push(0);
        at = 0;
      }
      buf.set(src.subarray(from, from + size), at);
      slots[2 * i] = ((slabs.length - 1) * SLAB + at) >>> 0;
      at += size;
    }
    if (buf !== undefined) ends[slabs.length - 1] = at;
    this.slabs = slabs;
    this.ends = ends;
    this.deadBytes = 0;
    this.curIndex = -1;
  }

  // -------------------------------------------------------------------------------------------
  // Walks, in slab order (insertion order but for replaced values and compactions)

  each(fn: (key: string, value: string) => void): void {
    const slabs = this.slabs;
    const ends = this.ends;
    const pairs = this.pairs;
    for (let s = 0; s < slabs.length; s++) {
      const buf = slabs[s];
      const end = ends[s];
      for (let p = 0; p < end;) {
        const live = buf[p] === 1;
        p = parse(buf, p, pairs);
        if (live) {
          const k = bytesToStr(buf, fStart, fStart + fLen);
          fn(k, pairs ? bytesToStr(buf, vStart, vStart + vLen) : k);
        }
      }
    }
  }

  /** Writes every entry as bulk replies: keys, values, or both (HKEYS, HVALS, HGETALL). */
  writeAll(out: BulkSink, keys: boolean, values: boolean): void {
    const slabs = this.slabs;
    const ends = this.ends;
    const pairs = this.pairs;
    for (let s = 0; s < slabs.length; s++) {
      const buf = slabs[s];
      const end = ends[s];
      for (let p = 0; p < end;) {
        const live = buf[p] === 1;
        p = parse(buf, p, pairs);
        if (!live) continue;
        if (keys) out.bulkRange(buf, fStart, fStart + fLen);
        if (values) out.bulkRange(buf, vStart, vStart + vLen);
      }
    }
  }

  /** Positions the scratch fields on entry number `n` (0 <= n < size) of the walk order:
   * O(1) when n follows the previous call's, O(n) otherwise. */
  private seek(n: number): void {
    let s: number;
    let p: number;
    let k: number;
    if (this.curIndex >= 0 && n >= this.curIndex) {
      s = this.curSlab;
      p = this.curOff;
      k = this.curIndex;
    } else {
      s = 0;
      p = 0;
      k = -1;
      // Find the first live entry.
    }
    const slabs = this.slabs;
    const ends = this.ends;
    // Invariant when k >= 0: entry k is live at (s, p).
    for (;;) {
      if (k >= 0 && k === n) break;
      if (k >= 0) p = parse(slabs[s], p, this.pairs);
      while (p >= ends[s]) {
        s++;
        p = 0;
        if (s >= slabs.length) throw new RangeError('Index out of range');
      }
      while (slabs[s][p] !== 1) {
        p = parse(slabs[s], p, this.pairs);
        while (p >= ends[s]) {
          s++;
          p = 0;
          if (s >= slabs.length) throw new RangeError('Index out of range');
        }
      }
      k++;
    }
    this.curIndex = k;
    this.curSlab = s;
    this.curOff = p;
    parse(slabs[s], p, this.pairs);
  }

  /** The key of entry number n of the walk order (see seek). */
  keyAt(n: number): string {
    this.seek(n);
    return bytesToStr(this.slabs[this.curSlab], fStart, fStart + fLen);
  }

  /** The value of entry number n of the walk order (see seek). */
  valueAt(n: number): string {
    this.seek(n);
    return bytesToStr(this.slabs[this.curSlab], vStart, vStart + vLen);
  }

  /**
   * The keys in walk order, for SCAN (core/scan.ts): entries added later are reached, entries
   * marked dead before the walk gets to them are skipped, and a compaction leaves the walk on
   * the old slabs, which hold every entry live when it happened.
   */
  keys(): Iterator<string> {
    const slabs = this.slabs;
    const ends = this.ends;
    const pairs = this.pairs;
    let s = 0;
    let p = 0;
    return {
      next(): IteratorResult<string> {
        while (s < slabs.length) {
          const buf = slabs[s];
          if (p >= ends[s]) {
            // The last slab may still grow: come back to it rather than move past it.
            if (s === slabs.length - 1) break;
            s++;
            p = 0;
            continue;
          }
          const live = buf[p] === 1;
          p = parse(buf, p, pairs);
          if (live) return { done: false, value: bytesToStr(buf, fStart, fStart + fLen) };
        }
        return { done: true, value: undefined };
      },
    };
  }

  // -------------------------------------------------------------------------------------------
  // Whole table

  dup(): ByteTable {
    const t = new ByteTable(this.pairs);
    t.slabs = this.slabs.map((b, i) => b.slice(0, Math.max(this.ends[i], 1)));
    t.ends = this.ends.slice();
    t.slots = this.slots.slice();
    t.mask = this.mask;
    t.size = this.size;
    t.liveBytes = this.liveBytes;
    t.deadBytes = this.deadBytes;
    return t;
  }

  /** Bytes held: the slot array, the slabs and their object headers (MEMORY USAGE). */
  memoryUsage(): number {
    let n = 96 + this.slots.byteLength + 32 + 8 * this.slabs.length;
    for (let s = 0; s < this.slabs.length; s++) n += 160 + this.slabs[s].length;
    return n;
  }
}
