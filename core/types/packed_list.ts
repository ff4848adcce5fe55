// The list value: a deque of packed chunks, after Redis's quicklist of listpacks.
//
// Why packed: a JS array of strings costs a pointer plus a string object (24+ bytes) per element,
// several times Redis's listpack for the small values lists usually hold. Here each chunk is one
// Uint8Array holding its entries back to back, listpack style:
//   [len: varint][bytes][back: the size of len+bytes, varint written backwards]
// so a chunk can be walked from either end. A chunk keeps free room at both ends (data lives in
// buf[start, end)), so pushing and popping at either end of the list is O(1) amortized: it writes
// into the head or tail chunk, or opens a new chunk. Elements come back as byte strings.
//
// Positional operations (LINDEX, LSET, LINSERT, LREM, LTRIM) walk chunk counts from the nearer
// end, then decode within one chunk: O(n / chunk size + chunk size), as in Redis. Edits in the
// middle of a chunk rebuild that chunk.

import { bytesToStr, strIntoBytes } from '../bytes.ts';

/** Target chunk payload, as list-max-listpack-size -2 (8 KB). */
const CHUNK_BYTES = 8192;

class Chunk {
  buf: Uint8Array;
  start: number;
  end: number;
  count = 0;
  constructor(cap: number, atEnd: boolean) {
    this.buf = new Uint8Array(cap);
    this.start = this.end = atEnd ? cap : 0;
  }
  get bytes(): number {
    return this.end - this.start;
  }
}

function varintSize(n: number): number {
  let size = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

function entrySize(len: number): number {
  const head = varintSize(len) + len;
  return head + varintSize(head);
}

/** Writes one entry at `at`; returns the index after it. */
function writeEntry(buf: Uint8Array, at: number, s: string): number {
  const len = s.length;
  let p = at;
  let n = len;
  while (n >= 128) {
    buf[p++] = (n % 128) | 128;
    n = Math.floor(n / 128);
  }
  buf[p++] = n;
  p = strIntoBytes(s, buf, p);
  // The back length is read from the right: the rightmost byte holds the lowest 7 bits, and a
  // set high bit says another, more significant, group sits to its left.
  const head = p - at;
  const groups: number[] = [];
  n = head;
  do {
    groups.push(n % 128);
    n = Math.floor(n / 128);
  } while (n > 0);
  const top = groups.length - 1;
  for (let i = top; i >= 0; i--) buf[p++] = groups[i] | (i < top ? 128 : 0);
  return p;
}

/** Decodes the entry at `at`: [value, index after it]. */
function readEntry(buf: Uint8Array, at: number): [string, number] {
  let len = 0;
  let mul = 1;
  let p = at;
  for (;;) {
    const b = buf[p++];
    len += (b & 127) * mul;
    if (b < 128) break;
    mul *= 128;
  }
  const value = bytesToStr(buf, p, p + len);
  p += len;
  const head = p - at;
  return [value, p + varintSize(head)];
}

/** Start index of the entry that ends at `end`. */
function entryStartBefore(buf: Uint8Array, end: number): number {
  let p = end - 1;
  let b = buf[p];
  let head = b & 127;
  let mul = 128;
  while (b >= 128) {
    b = buf[--p];
    head += (b & 127) * mul;
    mul *= 128;
  }
  return p - head;
}

export class PackedList {
  readonly type = 'list' as const;
  private chunks: Chunk[] = [];
  private len = 0;

  get length(): number {
    return this.len;
  }

  /** Approximate bytes held (for MEMORY USAGE and maxmemory accounting). */
  get memory(): number {
    let n = 48;
    for (const c of this.chunks) n += c.buf.length + 48;
    return n;
  }

  pushTail(s: string): void {
    const size = entrySize(s.length);
    let c = this.chunks[this.chunks.length - 1];
    if (c === undefined || c.bytes + size > CHUNK_BYTES && c.count > 0) {
      c = new Chunk(Math.max(CHUNK_BYTES, size) + 64, false);
      this.chunks.push(c);
    }
    if (c.end + size > c.buf.length) this.regrow(c, size, false);
    c.end = writeEntry(c.buf, c.end, s);
    c.count++;
    this.len++;
  }

  pushHead(s: string): void {
    const size = entrySize(s.length);
    let c = this.chunks[0];
    if (c === undefined || c.bytes + size > CHUNK_BYTES && c.count > 0) {
      c = new Chunk(Math.max(CHUNK_BYTES, size) + 64, true);
      this.chunks.unshift(c);
    }
    if (c.start < size) this.regrow(c, size, true);
    c.start -= size;
    writeEntry(c.buf, c.start, s);
    c.count++;
    this.len++;
  }

  /** Makes room for `size` more bytes at the front or the back of a chunk. */
  private regrow(c: Chunk, size: number, front: boolean): void {
    const data = c.buf.subarray(c.start, c.end);
    const cap = Math.max(c.buf.length, data.length + size + 64);
    const next = new Uint8Array(cap);
    const at = front ? cap - data.length : 0;
    next.set(data, at);
    c.buf = next;
    c.start = at;
    c.end = at + data.length;
  }

  popHead(): string | undefined {
    const c = this.chunks[0];
    if (c === undefined) return undefined;
    const [v, next] = readEntry(c.buf, c.start);
    c.start = next;
    c.count--;
    this.len--;
    if (c.count === 0) this.chunks.shift();
    return v;
  }

  popTail(): string | undefined {
    const c = this.chunks[this.chunks.length - 1];
    if (c === undefined) return undefined;
    const s = entryStartBefore(c.buf, c.end);
    const [v] = readEntry(c.buf, s);
    c.end = s;
    c.count--;
    this.len--;
    if (c.count === 0) this.chunks.pop();
    return v;
  }

  /** The chunk holding index i (0 <= i < length) and the index within it. */
  private find(i: number): [number, number] {
    if (i < this.len / 2) {
      for (let ci = 0; ci < this.chunks.length; ci++) {
        const n = this.chunks[ci].count;
        if (i < n) return [ci, i];
        i -= n;
      }
    } else {
      let rest = this.len - 1 - i;
      for (let ci = this.chunks.length - 1; ci >= 0; ci--) {
        const n = this.chunks[ci].count;
        if (rest < n) return [ci, n - 1 - rest];
        rest -= n;
      }
    }
    throw new RangeError('Index out of range');
  }

  private decode(c: Chunk): string[] {
    const out: string[] = new Array(c.count);
    let p = c.start;
    for (let k = 0; k < c.count; k++) {
      const [v, next] = readEntry(c.buf, p);
      out[k] = v;
      p = next;
    }
    return out;
  }

  /** Replaces chunk `ci` with chunks packing `items` (none when empty). */
  private rebuild(ci: number, items: string[]): void {
    const made: Chunk[] = [];
    let cur: Chunk | null = null;
    for (const s of items) {
      const size = entrySize(s.length);
      if (cur === null || (cur.bytes + size > CHUNK_BYTES && cur.count > 0)) {
        cur = new Chunk(Math.max(CHUNK_BYTES, size) + 64, false);
        made.push(cur);
      }
      if (cur.end + size > cur.buf.length) this.regrow(cur, size, false);
      cur.end = writeEntry(cur.buf, cur.end, s);
      cur.count++;
    }
    this.chunks.splice(ci, 1, ...made);
  }

  at(i: number): string | undefined {
    if (i < 0 || i >= this.len) return undefined;
    const [ci, k] = this.find(i);
    const c = this.chunks[ci];
    let p = c.start;
    for (let j = 0; j < k; j++) p = readEntry(c.buf, p)[1];
    return readEntry(c.buf, p)[0];
  }

  /** LSET: false when out of range. */
  set(i: number, s: string): boolean {
    if (i < 0 || i >= this.len) return false;
    const [ci, k] = this.find(i);
    const items = this.decode(this.chunks[ci]);
    items[k] = s;
    this.rebuild(ci, items);
    return true;
  }

  /** Inserts `s` so that it ends up at index i (0 <= i <= length). */
  insert(i: number, s: string): void {
    if (i <= 0) return this.pushHead(s);
    if (i >= this.len) return this.pushTail(s);
    const [ci, k] = this.find(i);
    const items = this.decode(this.chunks[ci]);
    items.splice(k, 0, s);
    this.rebuild(ci, items);
    this.len++;
  }

  /**
   * Calls fn(value, index) for indexes start..end inclusive, ascending, or descending from end to
   * start when `reverse`. Stops when fn returns false.
   */
  each(start: number, end: number, fn: (v: string, i: number) => boolean | void, reverse = false): void {
    if (start < 0) start = 0;
    if (end >= this.len) end = this.len - 1;
    if (start > end) return;
    if (!reverse) {
      let [ci, k] = this.find(start);
      let c = this.chunks[ci];
      let p = c.start;
      for (let j = 0; j < k; j++) p = readEntry(c.buf, p)[1];
      for (let i = start; i <= end; i++) {
        if (p >= c.end) {
          c = this.chunks[++ci];
          p = c.start;
        }
        const [v, next] = readEntry(c.buf, p);
        p = next;
        if (fn(v, i) === false) return;
      }
    } else {
      let [ci, k] = this.find(end);
      let c = this.chunks[ci];
      // Position p at the end of entry k.
      let p = c.start;
      for (let j = 0; j <= k; j++) p = readEntry(c.buf, p)[1];
      for (let i = end; i >= start; i--) {
        if (p <= c.start) {
          c = this.chunks[--ci];
          p = c.end;
        }
        const s = entryStartBefore(c.buf, p);
        const [v] = readEntry(c.buf, s);
        p = s;
        if (fn(v, i) === false) return;
      }
    }
  }

  range(start: number, end: number): string[] {
    const out: string[] = [];
    this.each(start, end, (v) => void out.push(v));
    return out;
  }

  /**
   * Removes elements for which `match` is true: up to `count` of them (0 = all), from the head,
   * or from the tail when `fromTail`. Returns how many were removed (LREM).
   */
  removeWhere(match: (v: string) => boolean, count: number, fromTail: boolean): number {
    let removed = 0;
    const order = this.chunks.map((_, i) => i);
    if (fromTail) order.reverse();
    const rebuilt: [number, string[]][] = [];
    for (const ci of order) {
      if (count > 0 && removed >= count) break;
      const items = this.decode(this.chunks[ci]);
      const keep: string[] = [];
      let changed = false;
      const idx = fromTail ? items.map((_, i) => items.length - 1 - i) : items.map((_, i) => i);
      const drop = new Set<number>();
      for (const i of idx) {
        if ((count === 0 || removed < count) && match(items[i])) {
          drop.add(i);
          removed++;
          changed = true;
        }
      }
      if (!changed) continue;
      for (let i = 0; i < items.length; i++) if (!drop.has(i)) keep.push(items[i]);
      rebuilt.push([ci, keep]);
    }
    // Rebuild from the highest chunk index down so earlier indexes stay valid.
    rebuilt.sort((a, b) => b[0] - a[0]);
    for (const [ci, keep] of rebuilt) this.rebuild(ci, keep);
    this.len -= removed;
    return removed;
  }

  /** Keeps only indexes start..end inclusive (LTRIM with resolved, clamped indexes). */
  trim(start: number, end: number): void {
    if (start < 0) start = 0;
    if (end >= this.len) end = this.len - 1;
    if (start > end) {
      this.chunks = [];
      this.len = 0;
      return;
    }
    const dropTail = this.len - 1 - end;
    for (let i = 0; i < dropTail; i++) this.popTailFast();
    for (let i = 0; i < start; i++) this.popHeadFast();
  }

  // Pops without decoding the value (LTRIM of many elements).
  private popHeadFast(): void {
    const c = this.chunks[0];
    if (c.count > 1) {
      let len = 0;
      let mul = 1;
      let p = c.start;
      for (;;) {
        const b = c.buf[p++];
        len += (b & 127) * mul;
        if (b < 128) break;
        mul *= 128;
      }
      const head = p - c.start + len;
      c.start += head + varintSize(head);
      c.count--;
    } else {
      this.chunks.shift();
    }
    this.len--;
  }

  private popTailFast(): void {
    const c = this.chunks[this.chunks.length - 1];
    if (c.count > 1) {
      c.end = entryStartBefore(c.buf, c.end);
      c.count--;
    } else {
      this.chunks.pop();
    }
    this.len--;
  }

  toArray(): string[] {
    const out: string[] = [];
    for (const c of this.chunks) {
      let p = c.start;
      for (let k = 0; k < c.count; k++) {
        const [v, next] = readEntry(c.buf, p);
        out.push(v);
        p = next;
      }
    }
    return out;
  }
}
