// The keyspace's table of keys: a JS Map's contract (insertion order, iterators that stay valid
// across inserts and deletes) with a layout that costs fewer cache misses per lookup.
//
// Why not a Map: a V8 Map keeps no hashes beside its entries, so every entry on a bucket's chain
// (two on average at its load factor) is compared by reading the candidate key string, a cache
// miss each; with 100k keys a Map.get measured 1 µs of a 3 µs INCR, half of it in those reads.
// Here the index keeps the high bits of each key's hash beside its entry's position, so probing
// compares them in the index's own cache lines and reads, nearly always, one key string: the one
// that matches.
//
// Layout
// - `kv`: the entries in insertion order, key and value side by side (kv[2i], kv[2i + 1]), so a
//   hit reads the key and then the value from one cache line. A deleted entry leaves a hole
//   (key undefined) so positions, and iterators holding them, stay put. `hashes` holds each
//   entry's full 32-bit hash by position, read only to rebuild the index and when deleting.
// - `index`: open addressing with linear probing over an Int32Array, 0 marking a free slot; a
//   power of two in size, at most LOAD full. A slot packs position + 1 in its low log2(size) + 1
//   bits and the hash's remaining high bits above them (a tag: 10 bits with 1M keys), so a
//   slot costs 4 bytes and the table about what a Map costs. Deletion shifts the following run
//   back (no tombstones), so probe runs stay short under churn.
// - Compaction: when holes outnumber live entries (or reach the end of a growing table), the
//   entries are packed to the front in order and the index is rebuilt from `hashes`.
//
// Iterators: an iterator holds a position in `kv` and the compaction generation it belongs to.
// Each compaction closes the current generation with the sorted positions of the holes it
// removed and links it to the next; an iterator from an older generation walks the links and
// moves its position back by the holes that were before it. So, exactly as a Map's: an entry
// deleted before the iterator reaches it is skipped, an entry added meanwhile (always at the
// end) is reached, and nothing is returned twice. A generation no iterator holds is garbage.

/** Most index slots in use, as a fraction: linear probing stays short below this. */
const LOAD = 0.7;
const MIN_INDEX = 16;
/** Entries from which reindex() sorts them by slot first. */
const BUCKETED = 1 << 12;
/** Most keys prefetch() reads ahead for at once. */
export const AHEAD = 32;
/**
 * New arrays of AHEAD empty strings, and of AHEAD undefineds, for the read-ahead's results and
 * memos. Literals: their elements kind holds strings and objects from the start, so storing into
 * them changes no map, and being new (young), storing old objects into them skips the write
 * barrier's look at each object's page header.
 */
export function aheadStrings(): string[] {
  const e = '';
  return [e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e];
}
export function aheadValues<T>(): (T | undefined)[] {
  const u = undefined;
  return [u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u, u];
}

/** Most index slots prefetch() looks at for one key. */
const PROBE_AHEAD = 8;

/**
 * Lookups done ahead for a batch of commands (Database.prefetchHashes with memo keys, for
 * Server.prefetchBatch): at [i], the key of the batch's i-th command and the value stored under
 * it, when the read-ahead found that key; '' and undefined where it did not. `pos` is the command
 * running, set by the server. An entry stays true while the table's epoch is the memo's: every
 * change that can end a key's value (replace, delete, clear, a bulk append) moves the epoch on and
 * drops the memo (endMemo), so that it keeps no value that went. So get() may answer
 * from the memo whatever the batch or client, and the lookup after the read-ahead does not wait
 * again on the index slot, entry position and key string, which the command run in between may
 * have pushed out of the TLB (in a VM, half of a looked-up key's stall came back there).
 */
export interface LookupMemo<V> {
  readonly epoch: number;
  readonly keys: string[];
  readonly vals: (V | undefined)[];
  pos: number;
}

/** One compaction generation (see the file comment). */
interface Gen {
  /** Positions, before the compaction that closed this generation, of the holes it removed. */
  holes: Int32Array | null;
  next: Gen | null;
}

// A random seed per process, so which keys collide cannot be chosen from outside.
const SEED = (Math.random() * 0x100000000) | 0;

/** The 32-bit hash of a byte string (murmur3's mixing over UTF-16 units, which here are bytes). */
export function hashKey(s: string): number {
  let h = SEED ^ s.length;
  const n = s.length;
  let i = 0;
  for (; i + 1 < n; i += 2) h = mixBlock(h, s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16));
  return finishKey(i < n ? mixTail(h, s.charCodeAt(i)) : h);
}

/** hashKey of the latin1 string of b[p, p + n): the same hash, read from bytes (a byte load
 * costs a fraction of a charCodeAt; see Server.prefetchBatch). */
export function hashKeyBytes(b: Uint8Array, p: number, n: number): number {
  let h = SEED ^ n;
  const end = p + n;
  for (; p + 1 < end; p += 2) h = mixBlock(h, b[p] | (b[p + 1] << 16));
  return finishKey(p < end ? mixTail(h, b[p]) : h);
}

function mixBlock(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function mixTail(h: number, c: number): number {
  let k = Math.imul(c, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  return h ^ Math.imul(k, 0x1b873593);
}

function finishKey(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export class KeyTable<V> {
  private kv: (string | V | undefined)[] = [];
  /** Each entry's full hash, by position (rebuilding the index and deleting need it). */
  private hashes = new Int32Array(MIN_INDEX);
  /** Entries in kv, holes included. */
  private used = 0;
  private live = 0;
  private index = new Int32Array(MIN_INDEX);
  private mask = MIN_INDEX - 1;
  /** The low bits of an index slot hold position + 1; the rest hold the hash's high bits. */
  private posMask = 2 * MIN_INDEX - 1;
  private gen: Gen = { holes: null, next: null };
  /** Entries kv[0, indexed) are in the index; the rest were appended (append) and are not yet. */
  private indexed = 0;
  /** The first key append() gave twice, found when the appended entries were indexed. */
  private dup: string | null = null;
  private dupPos = 0;
  // prefetch()'s scratch.
  private aheadSlots = new Int32Array(AHEAD);
  /** Moves on with every change a LookupMemo must not outlive (see there). */
  private epoch = 0;
  /** The latest read-ahead's lookups (see LookupMemo), or null. */
  memo: LookupMemo<V> | null = null;
  /** Where prefetch() leaves what it read, so the compiler keeps the reads. */
  touched = 0;

  get size(): number {
    return this.live;
  }

  /** Index slot of `key` (hash `h`) when present; else ~slot of the free slot it would take. */
  private find(key: string, h: number): number {
    if (this.indexed < this.used) this.flushAppended();
    const index = this.index;
    const mask = this.mask;
    const posMask = this.posMask;
    const tag = h & ~posMask;
    let p = h & mask;
    for (;;) {
      const v = index[p];
      if (v === 0) return ~p;
      if ((v & ~posMask) === tag && this.kv[2 * ((v & posMask) - 1)] === key) return p;
      p = (p + 1) & mask;
    }
  }

  /**
   * Reads ahead for the keys of hashes[0, n) (hashKey of each): their index slots, then the
   * entries those point to, each step's loads issued back to back so that their cache misses
   * overlap instead of following one another (a command with many keys, such as MSET of 10
   * random keys, or a pipeline, otherwise waits on 3-4 misses per key in turn). Nothing changes.
   * found[j] is left holding the value the j-th key may have (a candidate: its hash's tag
   * matched), or undefined, and names[j] its key ('' when none): the caller touches both in one
   * loop (see Database.prefetchHashes), so that the two kinds of miss are in flight together.
   * A key's probe goes on past its first slot while the slots are taken by other tags, up to
   * PROBE_AHEAD of them: at the table's load most keys sit past their first slot, and the next
   * slots are mostly in the same cache line.
   */
  prefetch(hashes: Int32Array, n: number, found: (V | undefined)[], names: string[]): void {
    if (this.indexed < this.used) this.flushAppended();
    const index = this.index;
    const mask = this.mask;
    const posMask = this.posMask;
    const kv = this.kv;
    const slots = this.aheadSlots;
    for (let i = 0; i < n; i++) slots[i] = index[hashes[i] & mask];
    for (let i = 0; i < n; i++) {
      let v = slots[i];
      const tag = hashes[i] & ~posMask;
      if (v !== 0 && (v & ~posMask) !== tag) {
        let p = hashes[i] & mask;
        for (let k = 1; k < PROBE_AHEAD; k++) {
          p = (p + 1) & mask;
          v = index[p];
          if (v === 0 || (v & ~posMask) === tag) break;
        }
      }
      if (v === 0 || (v & ~posMask) !== tag) {
        names[i] = '';
        found[i] = undefined;
        continue;
      }
      const at = 2 * ((v & posMask) - 1);
      names[i] = kv[at] as string;
      found[i] = kv[at + 1] as V;
    }
  }

  /** Ends what a LookupMemo says: the epoch moves on, and a value that goes is not kept by it. */
  private endMemo(): void {
    this.epoch++;
    this.memo = null;
  }

  /** Starts an empty LookupMemo for the current epoch and makes it the table's. */
  newMemo(): LookupMemo<V> {
    const m: LookupMemo<V> = { epoch: this.epoch, keys: aheadStrings(), vals: aheadValues<V>(), pos: -1 };
    this.memo = m;
    return m;
  }

  get(key: string): V | undefined {
    // An empty table answers without hashing the key (Redis's dictFind starts the same way).
    if (this.live === 0) return undefined;
    const m = this.memo;
    if (m !== null && m.pos >= 0) {
      const i = m.pos;
      m.pos = -1;
      // Mostly the very string the read-ahead looked up, so a pointer comparison.
      if (m.keys[i] === key && m.epoch === this.epoch) {
        const v = m.vals[i];
        if (v !== undefined) return v;
      }
    }
    const p = this.find(key, hashKey(key));
    return p < 0 ? undefined : (this.kv[2 * ((this.index[p] & this.posMask) - 1) + 1] as V);
  }

  has(key: string): boolean {
    return this.live !== 0 && this.find(key, hashKey(key)) >= 0;
  }

  set(key: string, value: V): this {
    const h = hashKey(key);
    const found = this.find(key, h);
    if (found >= 0) {
      this.kv[2 * ((this.index[found] & this.posMask) - 1) + 1] = value;
      this.endMemo();
      return this;
    }
    const index = this.index;
    const mask = this.mask;
    const p = ~found;
    const pos = this.used++;
    index[p] = (h & ~this.posMask) | (pos + 1);
    if (pos === this.hashes.length) this.growHashes(pos * 2);
    this.hashes[pos] = h;
    this.kv.push(key, value);
    this.live++;
    this.indexed = this.used;
    if (this.live > LOAD * (mask + 1)) this.rebuild((mask + 1) * 2);
    return this;
  }

  /**
   * Adds `key`, which the caller believes absent, without indexing it yet: a loader's bulk
   * insert. The entries appended are indexed together on the next lookup or flush(), in the
   * order of their index slots, so that a million inserts walk the index nearly in order
   * instead of each waiting on a cache (and, in a VM, TLB) miss at a random slot: 16% of an RDB
   * load's time went to those misses. A key appended twice, or one already present, is found
   * then: the later entry is dropped and the key reported by flush().
   */
  append(key: string, value: V): void {
    this.endMemo();
    const h = hashKey(key);
    const pos = this.used++;
    if (pos === this.hashes.length) this.growHashes(pos * 2);
    this.hashes[pos] = h;
    this.kv.push(key, value);
    this.live++;
  }

  /** Indexes what append() added; returns the first key found appended twice (or already
   * present), null when none, and forgets it. */
  flush(): string | null {
    if (this.indexed < this.used) this.flushAppended();
    const dup = this.dup;
    this.dup = null;
    return dup;
  }

  private flushAppended(): void {
    let cap = this.mask + 1;
    while (this.live > LOAD * cap) cap *= 2;
    // Positions must stay below 2 * cap (see reindex): past that, rebuild (and compact) too.
    if (cap !== this.mask + 1 || this.used >= 2 * cap - 1) this.rebuild(cap);
    else this.indexRange(this.index, this.indexed, this.used);
    this.indexed = this.used;
  }

  /** An appended entry whose key was there already: a hole, and the key noted for flush(). */
  private dropAppended(pos: number): void {
    // The first in append order (a loader names the first duplicate in its file).
    if (this.dup === null || pos < this.dupPos) {
      this.dup = this.kv[2 * pos] as string;
      this.dupPos = pos;
    }
    this.kv[2 * pos] = undefined;
    this.kv[2 * pos + 1] = undefined;
    this.live--;
  }

  private growHashes(n: number): void {
    const grown = new Int32Array(n);
    grown.set(this.hashes);
    release(this.hashes);
    this.hashes = grown;
  }

  /**
   * Makes room for `n` entries in all at once (Redis's dictExpand, which an RDB's RESIZEDB
   * drives): one index of the final size instead of one per doubling on the way there.
   */
  reserve(n: number): void {
    let cap = this.mask + 1;
    while (n > LOAD * cap) cap *= 2;
    if (cap > this.mask + 1) this.rebuild(cap);
    if (n > this.hashes.length) this.growHashes(n);
  }

  delete(key: string): boolean {
    const p = this.find(key, hashKey(key));
    if (p < 0) return false;
    this.endMemo();
    const at = 2 * ((this.index[p] & this.posMask) - 1);
    this.kv[at] = undefined;
    this.kv[at + 1] = undefined;
    this.live--;
    this.unlinkSlot(p);
    if (this.used - this.live > this.live && this.used > MIN_INDEX) {
      // Shrinks the index too once it is mostly empty.
      let cap = this.mask + 1;
      while (cap > MIN_INDEX && this.live < (LOAD / 4) * cap) cap >>= 1;
      this.rebuild(cap);
    }
    return true;
  }

  /** Empties slot `p` and moves back the entries after it that probed past it. */
  private unlinkSlot(p: number): void {
    const index = this.index;
    const hashes = this.hashes;
    const mask = this.mask;
    const posMask = this.posMask;
    let hole = p;
    let q = (p + 1) & mask;
    for (;;) {
      const v = index[q];
      if (v === 0) break;
      const ideal = hashes[(v & posMask) - 1] & mask;
      // The entry at q may move to the hole unless its ideal slot lies cyclically in (hole, q].
      const stays = hole <= q ? ideal > hole && ideal <= q : ideal > hole || ideal <= q;
      if (!stays) {
        index[hole] = v;
        hole = q;
      }
      q = (q + 1) & mask;
    }
    index[hole] = 0;
  }

  clear(): void {
    this.endMemo();
    if (this.used === 0) return;
    // Every position becomes a hole: open iterators go on with what is added from now on.
    const holes = new Int32Array(this.used);
    for (let i = 0; i < holes.length; i++) holes[i] = i;
    this.closeGen(holes);
    this.kv = [];
    this.hashes = new Int32Array(MIN_INDEX);
    this.used = 0;
    this.live = 0;
    this.dup = null;
    this.reindex(MIN_INDEX);
  }

  private closeGen(holes: Int32Array): void {
    const next: Gen = { holes: null, next: null };
    this.gen.holes = holes;
    this.gen.next = next;
    this.gen = next;
  }

  /** Packs the entries (when there are holes) and rebuilds the index with `cap` slots. */
  private rebuild(cap: number): void {
    if (this.used !== this.live) this.compact();
    this.reindex(Math.max(cap, MIN_INDEX));
  }

  /**
   * A new index of `cap` slots for the entries in kv[0, used), which has no holes. Positions
   * stay below 1.4 cap (at most LOAD * cap live entries, and no more holes than live entries),
   * so position + 1 fits in log2(cap) + 1 bits.
   */
  private reindex(cap: number): void {
    const index = new Int32Array(cap);
    release(this.index);
    this.index = index;
    this.mask = cap - 1;
    this.posMask = 2 * cap - 1;
    this.indexRange(index, 0, this.used);
    this.indexed = this.used;
  }

  /** Puts the entries at positions [from, to) into `index` (this.index, or the one replacing it). */
  private indexRange(index: Int32Array, from: number, to: number): void {
    const mask = this.mask;
    const posMask = this.posMask;
    const hashes = this.hashes;
    const checkFrom = this.indexed;
    if (to - from < BUCKETED) {
      for (let pos = from; pos < to; pos++) this.reinsert(index, mask, posMask, hashes[pos], pos, checkFrom);
      return;
    }
    // Entries in the order of their slots' high bits (a counting sort into at most 4096
    // buckets): the inserts then move through the index nearly in order, each bucket's stretch
    // of it staying in cache, instead of missing at a random slot every time.
    let bits = 0;
    while (1 << bits <= mask) bits++;
    const shift = Math.max(0, bits - 12);
    const nb = (mask + 1) >>> shift;
    const start = new Int32Array(nb + 1);
    for (let pos = from; pos < to; pos++) start[((hashes[pos] & mask) >>> shift) + 1]++;
    for (let b = 0; b < nb; b++) start[b + 1] += start[b];
    const sortedHash = new Int32Array(to - from);
    const sortedPos = new Int32Array(to - from);
    for (let pos = from; pos < to; pos++) {
      const h = hashes[pos];
      const at = start[(h & mask) >>> shift]++;
      sortedHash[at] = h;
      sortedPos[at] = pos;
    }
    for (let i = 0; i < to - from; i++) this.reinsert(index, mask, posMask, sortedHash[i], sortedPos[i], checkFrom);
  }

  /**
   * Puts the entry at `pos` (hash `h`) into `index`; an appended one (pos >= checkFrom) whose
   * key the index already holds is dropped instead (see append). Entries of one key meet in
   * position order, so the first stays.
   */
  private reinsert(index: Int32Array, mask: number, posMask: number, h: number, pos: number, checkFrom: number): void {
    const tag = h & ~posMask;
    let p = h & mask;
    for (let v = index[p]; v !== 0; v = index[p]) {
      if (pos >= checkFrom && (v & ~posMask) === tag && this.kv[2 * ((v & posMask) - 1)] === this.kv[2 * pos]) {
        this.dropAppended(pos);
        return;
      }
      p = (p + 1) & mask;
    }
    index[p] = tag | (pos + 1);
  }

  /** Removes the holes, closing the current iterator generation. */
  private compact(): void {
    const kv = this.kv;
    const hashes = this.hashes;
    const used = this.used;
    const holes = new Int32Array(used - this.live);
    let w = 0;
    let nh = 0;
    // The appended entries not yet indexed move down with the rest.
    let indexed = 0;
    for (let r = 0; r < used; r++) {
      if (r === this.indexed) indexed = w;
      if (kv[2 * r] === undefined) {
        holes[nh++] = r;
        continue;
      }
      if (w !== r) {
        kv[2 * w] = kv[2 * r];
        kv[2 * w + 1] = kv[2 * r + 1];
        hashes[w] = hashes[r];
      }
      w++;
    }
    kv.length = 2 * w;
    if (w < hashes.length / 4) {
      this.hashes = hashes.slice(0, Math.max(MIN_INDEX, 2 * w));
      release(hashes);
    }
    this.indexed = this.indexed >= used ? w : indexed;
    this.used = w;
    this.closeGen(holes);
  }

  /** The position in kv of the next entry at or after `pos` (from generation `gen`), or -1. */
  private seek(it: Cursor): number {
    let pos = it.pos;
    let g = it.gen;
    while (g.next !== null) {
      pos -= holesBefore(g.holes as Int32Array, pos);
      g = g.next;
    }
    it.gen = g;
    const kv = this.kv;
    const used = this.used;
    while (pos < used && kv[2 * pos] === undefined) pos++;
    it.pos = pos;
    return pos < used ? pos : -1;
  }

  keys(): IterableIterator<string> {
    return new TableIterator<V, string>(this, 0);
  }

  values(): IterableIterator<V> {
    return new TableIterator<V, V>(this, 1);
  }

  entries(): IterableIterator<[string, V]> {
    return new TableIterator<V, [string, V]>(this, 2);
  }

  [Symbol.iterator](): IterableIterator<[string, V]> {
    return this.entries();
  }

  forEach(fn: (value: V, key: string, table: this) => void): void {
    const it: Cursor = { gen: this.gen, pos: 0 };
    for (;;) {
      const pos = this.seek(it);
      if (pos < 0) return;
      it.pos = pos + 1;
      fn(this.kv[2 * pos + 1] as V, this.kv[2 * pos] as string, this);
    }
  }

  /** Used by TableIterator: the entry at the cursor (advancing it), or DONE at the end. */
  step(it: Cursor, kind: number): unknown {
    const pos = this.seek(it);
    if (pos < 0) return DONE;
    it.pos = pos + 1;
    if (kind === 0) return this.kv[2 * pos];
    if (kind === 1) return this.kv[2 * pos + 1];
    return [this.kv[2 * pos], this.kv[2 * pos + 1]];
  }

  /** Used by TableIterator. */
  cursor(): Cursor {
    return { gen: this.gen, pos: 0 };
  }
}

interface Cursor {
  gen: Gen;
  pos: number;
}

const DONE = Symbol('done');

/**
 * Gives back the memory of an array the table no longer uses now, not at the next full garbage
 * collection: an outgrown index had usually been promoted to the old generation, and a table
 * growing to 1M keys left its earlier indexes and hash arrays (8 + 4 + 2 ... MB) in the process
 * until then. Transferring the buffer detaches it; the clone that owns the memory is young and
 * unreferenced, so the next scavenge frees it.
 */
function release(a: Int32Array): void {
  structuredClone(a.buffer, { transfer: [a.buffer] });
}

/** How many of the sorted positions `holes` are below `pos`. */
function holesBefore(holes: Int32Array, pos: number): number {
  let lo = 0;
  let hi = holes.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (holes[mid] < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

class TableIterator<V, T> implements IterableIterator<T> {
  private table: KeyTable<V> | null;
  private readonly kind: number;
  private readonly cur: Cursor;
  constructor(table: KeyTable<V>, kind: number) {
    this.table = table;
    this.kind = kind;
    this.cur = table.cursor();
  }
  next(): IteratorResult<T> {
    if (this.table !== null) {
      const v = this.table.step(this.cur, this.kind);
      if (v !== DONE) return { value: v as T, done: false };
      // Like a Map's iterator, one that has ended stays ended.
      this.table = null;
    }
    return { value: undefined, done: true };
  }
  [Symbol.iterator](): IterableIterator<T> {
    return this;
  }
}
