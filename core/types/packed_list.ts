// The list value: a deque of packed chunks, after Redis's quicklist of listpacks.
//
// Why packed: a JS array of strings costs a pointer plus a string object (24+ bytes) per element,
// several times Redis's listpack for the small values lists usually hold. Here each chunk is one
// Uint8Array holding its entries back to back, listpack style:
//   [len: varint, low 7 bits first][bytes][back: size of len+bytes, read from its last byte]
// so a chunk can be walked from either end. Data lives in buf[start, end) with free room at both
// ends, so pushing and popping at either end writes into the head or tail chunk, or opens a new
// one. The chunks themselves sit in a ring buffer, so adding or dropping a chunk at either end is
// O(1) too: push and pop are O(1) amortized whatever the length.
//
// A list's first chunk starts small and doubles up to CHUNK_BYTES (list-max-listpack-size -2,
// Redis's default), so a list of one element costs a few dozen bytes of buffer; further chunks are
// whole at once. An element of up to 126 bytes takes 2 bytes besides its own, as in a listpack.
//
// Positional operations (LINDEX, LSET, LINSERT) count chunks from the nearer end, then walk
// within one chunk: O(n / chunk size + chunk size), as in Redis. Edits in the middle of a chunk
// move bytes within it; a chunk that grows past CHUNK_BYTES is split in two. Searches (LPOS,
// LREM, LINSERT's pivot) compare bytes in place without making strings.

import { bytesToStr, strIntoBytes, varintSize } from '../bytes.ts';

/** Target chunk payload, as list-max-listpack-size -2 (8 KB). */
const CHUNK_BYTES = 8192;
/** Capacity of a new chunk's buffer for small entries (it doubles as it fills). */
const MIN_CAP = 32;

class Chunk {
  buf: Uint8Array;
  start: number;
  end: number;
  count = 0;
  constructor(cap: number, atEnd: boolean) {
    this.buf = new Uint8Array(cap);
    this.start = this.end = atEnd ? cap : 0;
  }
}

/** Bytes an entry of a `len`-byte value takes. */
function entrySize(len: number): number {
  if (len < 127) return len + 2;
  const head = varintSize(len) + len;
  return head + varintSize(head);
}

/** Writes the entry for `s` at `at`; returns the index after it. */
function writeEntry(buf: Uint8Array, at: number, s: string): number {
  const len = s.length;
  let p = at;
  if (len < 127) {
    buf[p++] = len;
    p = strIntoBytes(s, buf, p);
    buf[p++] = len + 1;
    return p;
  }
  p = strIntoBytes(s, buf, writeLen(buf, p, len));
  return writeBackLen(buf, at, p);
}

/** Writes the varint length `len` of a long entry at `p`; returns the index after it. */
function writeLen(buf: Uint8Array, p: number, len: number): number {
  let n = len;
  while (n >= 128) {
    buf[p++] = (n % 128) | 128;
    n = Math.floor(n / 128);
  }
  buf[p++] = n;
  return p;
}

/** Writes the back length of the long entry in buf[at, p); returns the index after the entry. */
function writeBackLen(buf: Uint8Array, at: number, p: number): number {
  // The back length is read from the right: the rightmost byte holds the lowest 7 bits, and a set
  // high bit says another, more significant, group sits to its left.
  const head = p - at;
  const groups = varintSize(head);
  let n = head;
  for (let k = 0; k < groups; k++) {
    buf[p + groups - 1 - k] = (n % 128) | (k < groups - 1 ? 128 : 0);
    n = Math.floor(n / 128);
  }
  return p + groups;
}

/**
 * Writes an entry holding the bytes src[start, end) at buf[at] (the caller makes the room);
 * returns the index after it. Loaders build a chunk's bytes with it (see fromEntries), straight
 * from a file's bytes, without a string per element.
 */
export function writeEntryBytes(buf: Uint8Array, at: number, src: Uint8Array, start: number, end: number): number {
  const len = end - start;
  if (len < 127) {
    buf[at] = len;
    for (let i = 0; i < len; i++) buf[at + 1 + i] = src[start + i];
    buf[at + 1 + len] = len + 1;
    return at + len + 2;
  }
  const p = writeLen(buf, at, len);
  buf.set(src.subarray(start, end), p);
  return writeBackLen(buf, at, p + len);
}

// Scratch results of the readers below (single-threaded; read right after each call), so the
// hot paths allocate nothing but the strings they return.
/** Start of the value bytes of the entry last read. */
let valStart = 0;
/** Length of the value of the entry last read. */
let valLen = 0;

/** Reads the header of the entry at `at` (sets valStart, valLen); returns the index after it. */
function readHead(buf: Uint8Array, at: number): number {
  let b = buf[at];
  if (b < 128) {
    valStart = at + 1;
    valLen = b;
    // One-byte length: the back length is one byte too when the head is under 128.
    return b < 127 ? at + b + 2 : at + 1 + b + varintSize(b + 1);
  }
  let len = b & 127;
  let mul = 128;
  let p = at + 1;
  for (;;) {
    b = buf[p++];
    len += (b & 127) * mul;
    if (b < 128) break;
    mul *= 128;
  }
  valStart = p;
  valLen = len;
  const head = p - at + len;
  return at + head + varintSize(head);
}

/** Start index of the entry that ends at `end`. */
function entryStartBefore(buf: Uint8Array, end: number): number {
  let p = end - 1;
  let b = buf[p];
  if (b < 128) return p - b;
  let head = b & 127;
  let mul = 128;
  while (b >= 128) {
    b = buf[--p];
    head += (b & 127) * mul;
    mul *= 128;
  }
  return p - head;
}

/** True when the value of the entry last read (valStart, valLen) equals the byte string `s`. */
function lastReadEquals(buf: Uint8Array, s: string): boolean {
  const n = valLen;
  if (n !== s.length) return false;
  const p = valStart;
  for (let i = 0; i < n; i++) if (buf[p + i] !== s.charCodeAt(i)) return false;
  return true;
}

/** Where a list writes elements as bulk replies without making strings (a ReplyWriter). */
export interface BulkSink {
  bulkRange(src: Uint8Array, start: number, end: number): void;
}

/** Where find() found an index: the chunk's position in the ring and the index within it. */
let foundChunk = 0;
let foundIndex = 0;

export class PackedList {
  readonly type = 'list' as const;
  /** Ring buffer of chunks: chunk i is ring[(head + i) & (ring.length - 1)]. */
  private ring: (Chunk | undefined)[] = new Array(2);
  private head = 0;
  /** Number of chunks. */
  private nchunks = 0;
  private len = 0;

  /** A list holding `elements` in order (RDB and AOF loading, tests). */
  static from(elements: readonly string[]): PackedList {
    const l = new PackedList();
    // Loading makes many small lists: one chunk of the exact size when they fit in one, rather
    // than pushes that grow it (and leave spare room behind).
    let total = 0;
    for (let i = 0; i < elements.length; i++) total += entrySize(elements[i].length);
    if (elements.length > 0 && total <= CHUNK_BYTES) {
      const c = new Chunk(total, false);
      let p = 0;
      for (let i = 0; i < elements.length; i++) p = writeEntry(c.buf, p, elements[i]);
      c.end = p;
      c.count = elements.length;
      l.addLastChunk(c);
      l.len = elements.length;
      return l;
    }
    for (const s of elements) l.pushTail(s);
    return l;
  }

  /**
   * A list of `count` elements whose entries (written with writeEntryBytes) are entries[0, n),
   * copied into one chunk of the exact size as from() makes; null when they need more than one
   * chunk (the caller then goes through from()).
   */
  static fromEntries(entries: Uint8Array, n: number, count: number): PackedList | null {
    if (count === 0 || n > CHUNK_BYTES) return null;
    const l = new PackedList();
    const c = new Chunk(n, false);
    const b = c.buf;
    if (n <= 64) for (let i = 0; i < n; i++) b[i] = entries[i];
    else b.set(entries.subarray(0, n));
    c.end = n;
    c.count = count;
    l.addLastChunk(c);
    l.len = count;
    return l;
  }

  get length(): number {
    return this.len;
  }

  /** Chunks the list is held in (each up to CHUNK_BYTES, as quicklist nodes at the default fill). */
  get chunks(): number {
    return this.nchunks;
  }

  // -------------------------------------------------------------------------------------------
  // The ring of chunks

  private chunk(i: number): Chunk {
    return this.ring[(this.head + i) & (this.ring.length - 1)]!;
  }

  private growRing(): void {
    const old = this.ring;
    const next: (Chunk | undefined)[] = new Array(old.length * 2);
    for (let i = 0; i < this.nchunks; i++) next[i] = old[(this.head + i) & (old.length - 1)];
    this.ring = next;
    this.head = 0;
  }

  private addFirstChunk(c: Chunk): void {
    if (this.nchunks === this.ring.length) this.growRing();
    this.head = (this.head - 1) & (this.ring.length - 1);
    this.ring[this.head] = c;
    this.nchunks++;
  }

  private addLastChunk(c: Chunk): void {
    if (this.nchunks === this.ring.length) this.growRing();
    this.ring[(this.head + this.nchunks) & (this.ring.length - 1)] = c;
    this.nchunks++;
  }

  private dropFirstChunk(): void {
    this.ring[this.head] = undefined;
    this.head = (this.head + 1) & (this.ring.length - 1);
    this.nchunks--;
    if (this.nchunks === 0) this.head = 0;
  }

  private dropLastChunk(): void {
    this.nchunks--;
    this.ring[(this.head + this.nchunks) & (this.ring.length - 1)] = undefined;
    if (this.nchunks === 0) this.head = 0;
  }

  /** Replaces chunk i by `chunks` (none to remove it): O(number of chunks). */
  private spliceChunks(i: number, chunks: Chunk[]): void {
    const all: Chunk[] = [];
    for (let k = 0; k < this.nchunks; k++) if (k !== i) all.push(this.chunk(k));
    all.splice(i, 0, ...chunks);
    let cap = 2;
    while (cap < all.length) cap *= 2;
    this.ring = new Array(cap);
    for (let k = 0; k < all.length; k++) this.ring[k] = all[k];
    this.head = 0;
    this.nchunks = all.length;
  }

  /**
   * Makes room for `size` more bytes at the front or the back of `c`. A chunk used at one end only
   * keeps all its free room at that end (doubling its buffer as it fills); one used at both ends
   * gets its free room split between them, so alternating pushes do not copy every time.
   */
  private makeRoom(c: Chunk, size: number, front: boolean): void {
    const bytes = c.end - c.start;
    const cap = c.buf.length;
    const oneSided = front ? c.end === cap : c.start === 0;
    let buf = c.buf;
    if (oneSided || cap - bytes < 2 * size) {
      let next = cap * 2;
      if (next < bytes + 2 * size) next = bytes + 2 * size;
      if (bytes + size <= CHUNK_BYTES && next > CHUNK_BYTES) next = Math.max(CHUNK_BYTES, bytes + size);
      buf = new Uint8Array(next);
    }
    // The side that asked gets all the free room (one-sided use) or at least half of it.
    const free = buf.length - bytes;
    const room = oneSided ? free : Math.max(size, free - Math.floor(free / 2));
    const at = front ? room : free - room;
    if (buf === c.buf) buf.copyWithin(at, c.start, c.end);
    else buf.set(c.buf.subarray(c.start, c.end), at);
    c.buf = buf;
    c.start = at;
    c.end = at + bytes;
  }

  // -------------------------------------------------------------------------------------------
  // Both ends

  pushTail(s: string): void {
    const size = entrySize(s.length);
    let c = this.nchunks > 0 ? this.chunk(this.nchunks - 1) : undefined;
    if (c === undefined || (c.end - c.start + size > CHUNK_BYTES && c.count > 0)) {
      c = new Chunk(newChunkCap(size, c !== undefined), false);
      this.addLastChunk(c);
    }
    if (c.end + size > c.buf.length) this.makeRoom(c, size, false);
    c.end = writeEntry(c.buf, c.end, s);
    c.count++;
    this.len++;
  }

  pushHead(s: string): void {
    const size = entrySize(s.length);
    let c = this.nchunks > 0 ? this.chunk(0) : undefined;
    if (c === undefined || (c.end - c.start + size > CHUNK_BYTES && c.count > 0)) {
      c = new Chunk(newChunkCap(size, c !== undefined), true);
      this.addFirstChunk(c);
    }
    if (c.start < size) this.makeRoom(c, size, true);
    c.start -= size;
    writeEntry(c.buf, c.start, s);
    c.count++;
    this.len++;
  }

  popHead(): string | undefined {
    if (this.len === 0) return undefined;
    const c = this.chunk(0);
    c.start = readHead(c.buf, c.start);
    const v = bytesToStr(c.buf, valStart, valStart + valLen);
    c.count--;
    this.len--;
    if (c.count === 0) this.dropFirstChunk();
    return v;
  }

  popTail(): string | undefined {
    if (this.len === 0) return undefined;
    const c = this.chunk(this.nchunks - 1);
    const s = entryStartBefore(c.buf, c.end);
    readHead(c.buf, s);
    const v = bytesToStr(c.buf, valStart, valStart + valLen);
    c.end = s;
    c.count--;
    this.len--;
    if (c.count === 0) this.dropLastChunk();
    return v;
  }

  /** Pops the first element into `out` as a bulk reply; false when the list is empty. */
  popHeadTo(out: BulkSink): boolean {
    if (this.len === 0) return false;
    const c = this.chunk(0);
    c.start = readHead(c.buf, c.start);
    out.bulkRange(c.buf, valStart, valStart + valLen);
    c.count--;
    this.len--;
    if (c.count === 0) this.dropFirstChunk();
    return true;
  }

  /** Pops the last element into `out` as a bulk reply; false when the list is empty. */
  popTailTo(out: BulkSink): boolean {
    if (this.len === 0) return false;
    const c = this.chunk(this.nchunks - 1);
    const s = entryStartBefore(c.buf, c.end);
    readHead(c.buf, s);
    out.bulkRange(c.buf, valStart, valStart + valLen);
    c.end = s;
    c.count--;
    this.len--;
    if (c.count === 0) this.dropLastChunk();
    return true;
  }

  /** Removes the first `n` elements (n <= length) without decoding them. */
  dropHead(n: number): void {
    this.len -= n;
    while (n > 0) {
      const c = this.chunk(0);
      if (n >= c.count) {
        n -= c.count;
        this.dropFirstChunk();
        continue;
      }
      let p = c.start;
      for (let k = 0; k < n; k++) p = readHead(c.buf, p);
      c.start = p;
      c.count -= n;
      n = 0;
    }
  }

  /** Removes the last `n` elements (n <= length) without decoding them. */
  dropTail(n: number): void {
    this.len -= n;
    while (n > 0) {
      const c = this.chunk(this.nchunks - 1);
      if (n >= c.count) {
        n -= c.count;
        this.dropLastChunk();
        continue;
      }
      let p = c.end;
      for (let k = 0; k < n; k++) p = entryStartBefore(c.buf, p);
      c.end = p;
      c.count -= n;
      n = 0;
    }
  }

  /** Keeps only indexes start..end inclusive (LTRIM with resolved indexes). */
  trim(start: number, end: number): void {
    if (start < 0) start = 0;
    if (end >= this.len) end = this.len - 1;
    if (start > end) {
      this.clear();
      return;
    }
    this.dropTail(this.len - 1 - end);
    this.dropHead(start);
  }

  clear(): void {
    this.ring = new Array(2);
    this.head = 0;
    this.nchunks = 0;
    this.len = 0;
  }

  // -------------------------------------------------------------------------------------------
  // By index

  /** Finds index i (0 <= i < length): sets foundChunk and foundIndex. */
  private find(i: number): void {
    if (i < this.len / 2) {
      for (let ci = 0; ci < this.nchunks; ci++) {
        const n = this.chunk(ci).count;
        if (i < n) {
          foundChunk = ci;
          foundIndex = i;
          return;
        }
        i -= n;
      }
    } else {
      let rest = this.len - 1 - i;
      for (let ci = this.nchunks - 1; ci >= 0; ci--) {
        const n = this.chunk(ci).count;
        if (rest < n) {
          foundChunk = ci;
          foundIndex = n - 1 - rest;
          return;
        }
        rest -= n;
      }
    }
    throw new RangeError('Index out of range');
  }

  /** Byte offset of entry k of chunk c, walking from the nearer end of the chunk. */
  private static offsetOf(c: Chunk, k: number): number {
    if (k <= c.count / 2) {
      let p = c.start;
      for (let j = 0; j < k; j++) p = readHead(c.buf, p);
      return p;
    }
    let p = c.end;
    for (let j = c.count; j > k; j--) p = entryStartBefore(c.buf, p);
    return p;
  }

  /** The element at index i (0 <= i < length), else undefined. */
  at(i: number): string | undefined {
    if (i < 0 || i >= this.len) return undefined;
    this.find(i);
    const c = this.chunk(foundChunk);
    readHead(c.buf, PackedList.offsetOf(c, foundIndex));
    return bytesToStr(c.buf, valStart, valStart + valLen);
  }

  /** LSET: replaces the element at index i; false when i is out of range. */
  set(i: number, s: string): boolean {
    if (i < 0 || i >= this.len) return false;
    this.find(i);
    const ci = foundChunk;
    const c = this.chunk(ci);
    const p = PackedList.offsetOf(c, foundIndex);
    const old = readHead(c.buf, p) - p;
    this.replaceBytes(ci, c, p, old, s);
    return true;
  }

  /** Inserts `s` so that it ends up at index i (0 <= i <= length). */
  insert(i: number, s: string): void {
    if (i <= 0) return this.pushHead(s);
    if (i >= this.len) return this.pushTail(s);
    this.find(i);
    const ci = foundChunk;
    const c = this.chunk(ci);
    const p = PackedList.offsetOf(c, foundIndex);
    c.count++;
    this.len++;
    this.replaceBytes(ci, c, p, 0, s);
  }

  /**
   * Puts the entry for `s` in place of the `old` bytes at p in chunk ci (old = 0 inserts),
   * moving the shorter side of the chunk's data, then splits the chunk when it got too big.
   */
  private replaceBytes(ci: number, c: Chunk, p: number, old: number, s: string): void {
    const size = entrySize(s.length);
    const delta = size - old;
    if (delta !== 0) {
      const before = p - c.start;
      const after = c.end - (p + old);
      if (delta < 0) {
        if (before < after) {
          c.buf.copyWithin(c.start - delta, c.start, p);
          c.start -= delta;
          p -= delta;
        } else {
          c.buf.copyWithin(p + size, p + old, c.end);
          c.end += delta;
        }
      } else if ((before < after || c.end + delta > c.buf.length) && c.start >= delta) {
        c.buf.copyWithin(c.start - delta, c.start, p);
        c.start -= delta;
        p -= delta;
      } else if (c.end + delta <= c.buf.length) {
        c.buf.copyWithin(p + size, p + old, c.end);
        c.end += delta;
      } else {
        const bytes = c.end - c.start + delta;
        const buf = new Uint8Array(Math.max(c.buf.length * 2, bytes + 16));
        const at = (buf.length - bytes) >> 1;
        buf.set(c.buf.subarray(c.start, p), at);
        buf.set(c.buf.subarray(p + old, c.end), at + (p - c.start) + size);
        p = at + (p - c.start);
        c.buf = buf;
        c.start = at;
        c.end = at + bytes;
      }
    }
    writeEntry(c.buf, p, s);
    if (c.end - c.start > CHUNK_BYTES && c.count > 1) this.split(ci, c);
  }

  /** Splits chunk ci in two halves by element count. */
  private split(ci: number, c: Chunk): void {
    const k = c.count >> 1;
    const mid = PackedList.offsetOf(c, k);
    const a = new Chunk(mid - c.start + 64, false);
    a.buf.set(c.buf.subarray(c.start, mid), 0);
    a.end = mid - c.start;
    a.count = k;
    const b = new Chunk(c.end - mid + 64, true);
    b.start = b.buf.length - (c.end - mid);
    b.buf.set(c.buf.subarray(mid, c.end), b.start);
    b.count = c.count - k;
    this.spliceChunks(ci, [a, b]);
  }

  // -------------------------------------------------------------------------------------------
  // Walks and searches

  /**
   * Calls fn(value, index) for indexes start..end inclusive (clamped), ascending, or descending
   * from end to start when `reverse`. Stops when fn returns false.
   */
  forRange(start: number, end: number, fn: (v: string, i: number) => boolean | void, reverse = false): void {
    if (start < 0) start = 0;
    if (end >= this.len) end = this.len - 1;
    if (start > end) return;
    if (!reverse) {
      this.find(start);
      let ci = foundChunk;
      let c = this.chunk(ci);
      let p = PackedList.offsetOf(c, foundIndex);
      for (let i = start; i <= end; i++) {
        if (p >= c.end) {
          c = this.chunk(++ci);
          p = c.start;
        }
        p = readHead(c.buf, p);
        if (fn(bytesToStr(c.buf, valStart, valStart + valLen), i) === false) return;
      }
    } else {
      this.find(end);
      let ci = foundChunk;
      let c = this.chunk(ci);
      let p = PackedList.offsetOf(c, foundIndex + 1);
      for (let i = end; i >= start; i--) {
        if (p <= c.start) {
          c = this.chunk(--ci);
          p = c.end;
        }
        p = entryStartBefore(c.buf, p);
        readHead(c.buf, p);
        if (fn(bytesToStr(c.buf, valStart, valStart + valLen), i) === false) return;
      }
    }
  }

  /**
   * Writes elements start..end inclusive (0 <= start <= end < length) to `out` as bulk replies,
   * from end down to start when `reverse` (LRANGE, LPOP with a count).
   */
  writeRange(start: number, end: number, out: BulkSink, reverse = false): void {
    if (!reverse) {
      this.find(start);
      let ci = foundChunk;
      let c = this.chunk(ci);
      let p = PackedList.offsetOf(c, foundIndex);
      for (let i = start; i <= end; i++) {
        if (p >= c.end) {
          c = this.chunk(++ci);
          p = c.start;
        }
        p = readHead(c.buf, p);
        out.bulkRange(c.buf, valStart, valStart + valLen);
      }
    } else {
      this.find(end);
      let ci = foundChunk;
      let c = this.chunk(ci);
      let p = PackedList.offsetOf(c, foundIndex + 1);
      for (let i = end; i >= start; i--) {
        if (p <= c.start) {
          c = this.chunk(--ci);
          p = c.end;
        }
        p = entryStartBefore(c.buf, p);
        readHead(c.buf, p);
        out.bulkRange(c.buf, valStart, valStart + valLen);
      }
    }
  }

  /** Elements start..end inclusive (clamped). */
  range(start: number, end: number): string[] {
    const out: string[] = [];
    this.forRange(start, end, (v) => void out.push(v));
    return out;
  }

  /** Every element, head to tail (the RDB and AOF writers' ListSource). */
  each(fn: (element: string) => void): void {
    for (let ci = 0; ci < this.nchunks; ci++) {
      const c = this.chunk(ci);
      let p = c.start;
      while (p < c.end) {
        p = readHead(c.buf, p);
        fn(bytesToStr(c.buf, valStart, valStart + valLen));
      }
    }
  }

  toArray(): string[] {
    const out: string[] = [];
    this.each((v) => void out.push(v));
    return out;
  }

  /**
   * Calls fn(index) for each element equal to `target`, from the head, or from the tail when
   * `reverse`, looking at no more than `maxlen` elements (0: all). Stops when fn returns false.
   * Compares bytes in place (LPOS, LINSERT's pivot).
   */
  matches(target: string, reverse: boolean, maxlen: number, fn: (index: number) => boolean): void {
    let seen = 0;
    if (!reverse) {
      let index = 0;
      for (let ci = 0; ci < this.nchunks; ci++) {
        const c = this.chunk(ci);
        let p = c.start;
        while (p < c.end) {
          if (maxlen > 0 && seen >= maxlen) return;
          p = readHead(c.buf, p);
          seen++;
          if (lastReadEquals(c.buf, target) && !fn(index)) return;
          index++;
        }
      }
    } else {
      let index = this.len - 1;
      for (let ci = this.nchunks - 1; ci >= 0; ci--) {
        const c = this.chunk(ci);
        let p = c.end;
        while (p > c.start) {
          if (maxlen > 0 && seen >= maxlen) return;
          p = entryStartBefore(c.buf, p);
          readHead(c.buf, p);
          seen++;
          if (lastReadEquals(c.buf, target) && !fn(index)) return;
          index--;
        }
      }
    }
  }

  /** Index of the first element equal to `target`, or -1. */
  indexOf(target: string): number {
    let found = -1;
    this.matches(target, false, 0, (i) => {
      found = i;
      return false;
    });
    return found;
  }

  /**
   * LREM: removes elements equal to `target`, up to `count` of them (0: all), from the head, or
   * from the tail when `fromTail`. Returns how many were removed. Each chunk is compacted in one
   * pass; chunks left empty are dropped, and small neighbours merged.
   */
  remove(target: string, count: number, fromTail: boolean): number {
    let removed = 0;
    let touched = false;
    for (let step = 0; step < this.nchunks; step++) {
      if (count > 0 && removed >= count) break;
      const c = this.chunk(fromTail ? this.nchunks - 1 - step : step);
      const buf = c.buf;
      const before = removed;
      if (!fromTail) {
        let w = c.start;
        let p = c.start;
        while (p < c.end) {
          const next = readHead(buf, p);
          if ((count === 0 || removed < count) && lastReadEquals(buf, target)) {
            removed++;
          } else {
            if (w !== p) buf.copyWithin(w, p, next);
            w += next - p;
          }
          p = next;
        }
        c.end = w;
      } else {
        let w = c.end;
        let p = c.end;
        while (p > c.start) {
          const s = entryStartBefore(buf, p);
          readHead(buf, s);
          if ((count === 0 || removed < count) && lastReadEquals(buf, target)) {
            removed++;
          } else {
            if (w !== p) buf.copyWithin(w - (p - s), s, p);
            w -= p - s;
          }
          p = s;
        }
        c.start = w;
      }
      if (removed !== before) {
        c.count -= removed - before;
        touched = true;
      }
    }
    this.len -= removed;
    if (touched) this.compact();
    return removed;
  }

  /** Drops empty chunks, merges neighbours that fit in half a chunk, and shrinks sparse buffers. */
  private compact(): void {
    const all: Chunk[] = [];
    for (let k = 0; k < this.nchunks; k++) {
      const c = this.chunk(k);
      if (c.count === 0) continue;
      const prev = all[all.length - 1];
      const bytes = c.end - c.start;
      if (prev !== undefined && prev.end - prev.start + bytes <= CHUNK_BYTES / 2) {
        if (prev.end + bytes > prev.buf.length) this.makeRoom(prev, bytes, false);
        prev.buf.set(c.buf.subarray(c.start, c.end), prev.end);
        prev.end += bytes;
        prev.count += c.count;
        continue;
      }
      if (bytes * 4 < c.buf.length && c.buf.length > MIN_CAP) {
        const buf = new Uint8Array(Math.max(MIN_CAP, bytes * 2));
        const at = (buf.length - bytes) >> 1;
        buf.set(c.buf.subarray(c.start, c.end), at);
        c.buf = buf;
        c.start = at;
        c.end = at + bytes;
      }
      all.push(c);
    }
    let cap = 2;
    while (cap < all.length) cap *= 2;
    this.ring = new Array(cap);
    for (let k = 0; k < all.length; k++) this.ring[k] = all[k];
    this.head = 0;
    this.nchunks = all.length;
  }

  // -------------------------------------------------------------------------------------------
  // Whole value

  /** A deep copy (COPY): chunks with buffers of their own, trimmed to their data. */
  dup(): PackedList {
    const l = new PackedList();
    for (let k = 0; k < this.nchunks; k++) {
      const c = this.chunk(k);
      const bytes = c.end - c.start;
      const d = new Chunk(Math.max(MIN_CAP, bytes), false);
      d.buf.set(c.buf.subarray(c.start, c.end), 0);
      d.end = bytes;
      d.count = c.count;
      l.addLastChunk(d);
    }
    l.len = this.len;
    return l;
  }

  /**
   * Estimated bytes of the value in the JS heap and its buffers (MEMORY USAGE), Redis style: the
   * list's own objects plus the average size of the first `samples` chunks times the number of
   * chunks.
   */
  memoryUsage(samples: number): number {
    // The PackedList object and its ring array; per chunk its object, the Uint8Array and the
    // ArrayBuffer (about 160 bytes of headers) and the buffer itself.
    let n = 64 + 16 + this.ring.length * 8;
    const k = Math.min(this.nchunks, Math.max(1, samples));
    if (this.nchunks === 0) return n;
    let sum = 0;
    for (let i = 0; i < k; i++) sum += 160 + this.chunk(i).buf.length;
    n += Math.round((sum / k) * this.nchunks);
    return n;
  }

  /** Approximate bytes held (maxmemory accounting). */
  get memory(): number {
    return this.memoryUsage(this.nchunks);
  }
}

/**
 * Capacity of a new chunk whose first entry takes `size` bytes. The first chunk of a list starts
 * small; one opened because its neighbour is full gets a whole chunk at once, since the list is
 * evidently growing: growing it by doubling would free a trail of small buffers, which the
 * allocator keeps (a million-element list would hold several times its size in RSS).
 */
function newChunkCap(size: number, full: boolean): number {
  if (size > CHUNK_BYTES) return size;
  if (full) return CHUNK_BYTES;
  let cap = MIN_CAP;
  while (cap < size) cap *= 2;
  return cap;
}
