// The stream value, after Redis 7.0's src/t_stream.c: entries in macro nodes, consumer groups with
// their pending entries lists (PEL), and the counters behind XINFO (entries-added, first and
// max-deleted ids, the groups' entries-read and lag).
//
// Design
// ------
// IDs. A stream ID is two unsigned 64-bit numbers. Each half is a `U64`: a JS number while it is
// at most 2^53 - 1 (every realistic millisecond time and sequence), a BigInt above. The form is
// canonical (a value that fits a number is never a BigInt), so `===` compares halves exactly, and
// `<` compares a number with a BigInt exactly too. Where IDs are map keys (PELs, the rax model)
// they are 16-byte big-endian byte strings, which sort like the IDs.
//
// Nodes. Redis keeps entries in listpacks hung from a radix tree keyed by each listpack's first
// ("master") ID. Which entries share a node is visible: XTRIM ~ and XADD MAXLEN|MINID ~ only drop
// whole nodes, and XINFO STREAM reports radix-tree-keys and radix-tree-nodes. So this file keeps
// the same nodes, split by the same rules (stream-node-max-entries, counting deleted entries, and
// stream-node-max-bytes against the size Redis's listpack would have, computed exactly from
// listpack's encodings), with the same tombstones: XDEL and exact trimming inside a node only flag
// entries deleted, and a node goes when its last live entry is deleted or when trimming drops it
// whole. A node holds its entries in flat arrays (ids as numbers, values as byte strings, field
// names shared with the master entry when they match, as Redis's SAMEFIELDS flag does), found by
// binary search: the nodes are sorted by master ID and each node's entries by ID.
//
// radix-tree-nodes is the node count of Redis's rax holding the master IDs. For keys of one length
// the rax is a compressed trie in its canonical form (inserts split nodes, deletes merge chains
// back), so the count follows from the sorted keys alone; it is computed when asked and cached.

import type { ObjectValue } from '../keyspace.ts';

/** An unsigned 64-bit integer: a number up to 2^53 - 1, a BigInt above (never both forms). */
export type U64 = number | bigint;

export interface StreamID {
  ms: U64;
  seq: U64;
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
export const U64_MAX = 18446744073709551615n;
const TWO32 = 4294967296;

/** The canonical U64 for a BigInt in [0, 2^64). */
export function u64(x: bigint): U64 {
  return x <= 9007199254740991n ? Number(x) : x;
}

function big(x: U64): bigint {
  return typeof x === 'bigint' ? x : BigInt(x);
}

/** x + 1 (the caller knows x < 2^64 - 1). */
export function u64Inc(x: U64): U64 {
  if (typeof x === 'number') return x < MAX_SAFE ? x + 1 : BigInt(x) + 1n;
  return x + 1n;
}

/** x + 1 modulo 2^64, as a uint64_t counter wraps (delivery counts). */
export function u64IncWrap(x: U64): U64 {
  return x === U64_MAX ? 0 : u64Inc(x);
}

/** A uint64_t as Redis prints it with addReplyLongLong: values from 2^63 on are negative. */
export function asInt64(x: U64): U64 {
  return typeof x === 'bigint' && x > 9223372036854775807n ? x - 18446744073709551616n : x;
}

/** x - 1 (the caller knows x > 0). */
function u64Dec(x: U64): U64 {
  if (typeof x === 'number') return x - 1;
  return u64(x - 1n);
}

export const MIN_ID: StreamID = { ms: 0, seq: 0 };
export const MAX_ID: StreamID = { ms: U64_MAX, seq: U64_MAX };

export function cmpId(ams: U64, aseq: U64, bms: U64, bseq: U64): number {
  if (ams !== bms) return ams < bms ? -1 : 1;
  if (aseq !== bseq) return aseq < bseq ? -1 : 1;
  return 0;
}

export function idCmp(a: StreamID, b: StreamID): number {
  return cmpId(a.ms, a.seq, b.ms, b.seq);
}

export function isZeroId(id: StreamID): boolean {
  return id.ms === 0 && id.seq === 0;
}

export function isMaxId(id: StreamID): boolean {
  return id.ms === U64_MAX && id.seq === U64_MAX;
}

/** The ID after `id` (streamIncrID); null when `id` is the last possible one. */
export function incrId(id: StreamID): StreamID | null {
  if (id.seq === U64_MAX) {
    if (id.ms === U64_MAX) return null;
    return { ms: u64Inc(id.ms), seq: 0 };
  }
  return { ms: id.ms, seq: u64Inc(id.seq) };
}

/** The ID before `id` (streamDecrID); null when `id` is 0-0. */
export function decrId(id: StreamID): StreamID | null {
  if (id.seq === 0) {
    if (id.ms === 0) return null;
    return { ms: u64Dec(id.ms), seq: U64_MAX };
  }
  return { ms: id.ms, seq: u64Dec(id.seq) };
}

/** `<ms>-<seq>`, as replies print IDs. */
export function formatId(ms: U64, seq: U64): string {
  return ms + '-' + seq;
}

export function idText(id: StreamID): string {
  return id.ms + '-' + id.seq;
}

function put64(x: U64): string {
  let hi: number;
  let lo: number;
  if (typeof x === 'number') {
    hi = Math.floor(x / TWO32);
    lo = x % TWO32;
  } else {
    hi = Number(x >> 32n);
    lo = Number(x & 0xffffffffn);
  }
  return String.fromCharCode(hi >>> 24, (hi >>> 16) & 255, (hi >>> 8) & 255, hi & 255,
    lo >>> 24, (lo >>> 16) & 255, (lo >>> 8) & 255, lo & 255);
}

function get64(k: string, at: number): U64 {
  const hi = ((k.charCodeAt(at) << 24) | (k.charCodeAt(at + 1) << 16) | (k.charCodeAt(at + 2) << 8) |
    k.charCodeAt(at + 3)) >>> 0;
  const lo = ((k.charCodeAt(at + 4) << 24) | (k.charCodeAt(at + 5) << 16) | (k.charCodeAt(at + 6) << 8) |
    k.charCodeAt(at + 7)) >>> 0;
  // Below 2^53 the high word has at most 21 bits.
  if (hi < 2097152) return hi * TWO32 + lo;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** The 16-byte big-endian key of an ID (Redis's streamEncodeID): keys sort like IDs. */
export function idKey(ms: U64, seq: U64): string {
  return put64(ms) + put64(seq);
}

export function keyId(k: string): StreamID {
  return { ms: get64(k, 0), seq: get64(k, 8) };
}

/** `<ms>-<seq>` of a 16-byte key. */
export function keyText(k: string): string {
  return get64(k, 0) + '-' + get64(k, 8);
}

// ---------------------------------------------------------------------------------------------
// Parsing IDs as Redis does

/** C's isspace. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** Whether s[from..] is what string2ll accepts as a negative number's digits (so that string2ull
 * refuses the whole string as negative rather than handing it to strtoull). */
function isCanonicalNegative(s: string): boolean {
  if (s.charCodeAt(0) !== 45) return false;
  const n = s.length - 1;
  if (n === 0 || n > 19 || s.charCodeAt(1) === 48) return false;
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return BigInt(s.slice(1)) <= 9223372036854775808n;
}

/**
 * Redis's string2ull on a C string: a canonical 64-bit integer that is not negative, or else
 * whatever strtoull(s, 10) reads in full (leading blanks, a sign, leading zeros; a '-' negates
 * modulo 2^64); null when neither reads the whole string or the value is out of range.
 */
export function string2ull(s: string): U64 | null {
  const n = s.length;
  if (n === 0) return null;
  // The common case: plain digits that fit a number.
  if (n <= 15) {
    let ok = true;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) {
        ok = false;
        break;
      }
    }
    if (ok && (n === 1 || s.charCodeAt(0) !== 48)) return +s;
  }
  if (isCanonicalNegative(s)) return null;
  let i = 0;
  while (i < n && isSpace(s.charCodeAt(i))) i++;
  let neg = false;
  if (i < n && (s[i] === '+' || s[i] === '-')) {
    neg = s[i] === '-';
    i++;
  }
  const digits = i;
  while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  if (i === digits || i !== n) return null;
  let v = BigInt(s.slice(digits, n));
  if (v > U64_MAX) return null;
  if (neg && v !== 0n) v = (1n << 64n) - v;
  return u64(v);
}

export interface ParsedId extends StreamID {
  /** False for the `<ms>-*` form of XADD. */
  seqGiven: boolean;
}

/**
 * Redis's streamGenericParseIDOrReply without the reply: `-` and `+` (unless `strict`), `<ms>`
 * (the sequence is `missingSeq`), `<ms>-<seq>`, and with `seqStar` `<ms>-*`. The argument is read
 * as a C string (up to a NUL byte) and may not be longer than 127 bytes. Null when invalid.
 */
export function parseId(arg: string, missingSeq: U64, strict: boolean, seqStar = false): ParsedId | null {
  if (arg.length > 127) return null;
  const nul = arg.indexOf('\0');
  const s = nul < 0 ? arg : arg.slice(0, nul);
  if (s === '-') return strict ? null : { ms: 0, seq: 0, seqGiven: true };
  if (s === '+') return strict ? null : { ms: U64_MAX, seq: U64_MAX, seqGiven: true };
  const dash = s.indexOf('-');
  const ms = string2ull(dash < 0 ? s : s.slice(0, dash));
  if (ms === null) return null;
  if (dash < 0) return { ms, seq: missingSeq, seqGiven: true };
  const rest = s.slice(dash + 1);
  if (seqStar && rest === '*') return { ms, seq: 0, seqGiven: false };
  const seq = string2ull(rest);
  if (seq === null) return null;
  return { ms, seq, seqGiven: true };
}

// ---------------------------------------------------------------------------------------------
// Listpack sizes (Redis's src/listpack.c encodings), to split nodes where Redis does

/** Bytes of an integer element: its encoding plus the one-byte back length. */
function lpIntSize(v: number): number {
  if (v >= 0 && v <= 127) return 2;
  if (v >= -4096 && v <= 4095) return 3;
  if (v >= -32768 && v <= 32767) return 4;
  if (v >= -8388608 && v <= 8388607) return 5;
  if (v >= -2147483648 && v <= 2147483647) return 6;
  return 10;
}

function backlenSize(l: number): number {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

/** lpStringToInt64: a canonical int64 (no '+', no leading zeros, not "-0"), else null. Values
 * beyond 2^53 only matter for their size class, so they come back as inexact numbers. */
function lpStringToInt(s: string): number | null {
  const n = s.length;
  let i = 0;
  if (s.charCodeAt(0) === 45) {
    if (n === 1) return null;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 48) return n === 1 ? 0 : null;
  if (first < 49 || first > 57) return null;
  for (let j = i + 1; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return null;
  }
  if (n - i < 16) return +s;
  const v = BigInt(s);
  if (v > 9223372036854775807n || v < -9223372036854775808n) return null;
  return Number(v);
}

/** Bytes of a string element; strings that read as 64-bit integers are stored as integers. */
function lpStrSize(s: string): number {
  const n = s.length;
  if (n > 0 && n <= 20) {
    const c = s.charCodeAt(0);
    if ((c >= 48 && c <= 57) || c === 45) {
      const v = lpStringToInt(s);
      if (v !== null) return lpIntSize(v);
    }
  }
  const enc = n < 64 ? 1 + n : n < 4096 ? 2 + n : 5 + n;
  return enc + backlenSize(enc);
}

/** Size of the integer element holding `a - b` as int64 (Redis stores ID deltas that way). */
function deltaSize(a: U64, b: U64): number {
  if (typeof a === 'number' && typeof b === 'number') return lpIntSize(a - b);
  return lpIntSize(Number(BigInt.asIntN(64, big(a) - big(b))));
}

/** Listpack header (total bytes, element count) and end byte. */
const LP_EMPTY = 7;
/** Redis never lets a node's listpack grow past 1 GB whatever stream-node-max-bytes says. */
const LP_MAX_SIZE = 1 << 30;

const FLAG_DELETED = 1;
const FLAG_SAMEFIELDS = 2;

// ---------------------------------------------------------------------------------------------
// Nodes

/**
 * One macro node: the entries of one of Redis's listpacks, tombstones included. The tail node is
 * open (plain arrays that appends push to); a node is sealed when a newer one starts, into one
 * Uint16Array (a Uint32Array when some number does not fit 16 bits) and one string:
 *   [ms - master ms] x total, [seq] x total, [item start << 2 | flags] x total, [offset] x items + 1
 * with the items (values, or field-value pairs) back to back in the string. That is 6 bytes per
 * entry and 2 per item over the data, and two heap objects per node: each typed array has its own
 * backing store and two heap objects, ~300 bytes, which five separate arrays per 100-entry node
 * spent again per entry. A node whose IDs do not fit (an ms delta or a seq of 2^32 or more, IDs
 * beyond 2^53) stays open. Only flags change in a sealed node (deletions); in the rare case that
 * it becomes the tail again (the nodes after it were deleted) and gets appended to, it is opened
 * again.
 */
export class StreamNode {
  /** The master ID: the first ID ever added to the node, its key in the radix tree. */
  masterMs: U64;
  masterSeq: U64;
  /** The master entry's field names. */
  fields: string[];
  /** Live and deleted (flagged) entries, as the master entry counts them. */
  live = 0;
  deleted = 0;
  /** What lpBytes() would say of Redis's listpack for this node. */
  bytes = 0;
  /** Entries, live or deleted. */
  total = 0;
  /** Open: per entry, in ID order, its ID, flags and the index of its first item. */
  private oMs: U64[] | null = [];
  private oSeq: U64[] | null = [];
  private oFlags: number[] | null = [];
  private oStart: number[] | null = [];
  /** Open: values (SAMEFIELDS entries) or field, value pairs (others), entry after entry. */
  private items: string[] | null = [];
  /** Sealed: the layout in the class comment, and the items back to back. */
  private w: Uint32Array | Uint16Array | null = null;
  private data = '';

  constructor(ms: U64, seq: U64, fields: string[]) {
    this.masterMs = ms;
    this.masterSeq = seq;
    this.fields = fields;
  }

  /** Whether the node is packed (see the class comment). */
  get sealed(): boolean {
    return this.w !== null;
  }

  msAt(i: number): U64 {
    const w = this.w;
    return w !== null ? (this.masterMs as number) + w[i] : this.oMs![i];
  }

  seqAt(i: number): U64 {
    const w = this.w;
    return w !== null ? w[this.total + i] : this.oSeq![i];
  }

  private flagsAt(i: number): number {
    const w = this.w;
    return w !== null ? w[2 * this.total + i] & 3 : this.oFlags![i];
  }

  private startAt(i: number): number {
    const w = this.w;
    return w !== null ? w[2 * this.total + i] >>> 2 : this.oStart![i];
  }

  isDeleted(i: number): boolean {
    return (this.flagsAt(i) & FLAG_DELETED) !== 0;
  }

  /** Flags entry i deleted (the counters are the caller's). */
  markDeleted(i: number): void {
    const w = this.w;
    if (w !== null) w[2 * this.total + i] |= FLAG_DELETED;
    else this.oFlags![i] |= FLAG_DELETED;
  }

  private get itemCount(): number {
    const w = this.w;
    return w !== null ? w.length - 3 * this.total - 1 : this.items!.length;
  }

  private item(j: number): string {
    const w = this.w;
    if (w === null) return this.items![j];
    const at = 3 * this.total + j;
    return this.data.slice(w[at], w[at + 1]);
  }

  /** Number of field-value pairs of entry i. */
  numFields(i: number): number {
    if ((this.flagsAt(i) & FLAG_SAMEFIELDS) !== 0) return this.fields.length;
    const end = i + 1 < this.total ? this.startAt(i + 1) : this.itemCount;
    return (end - this.startAt(i)) >> 1;
  }

  field(i: number, k: number): string {
    if ((this.flagsAt(i) & FLAG_SAMEFIELDS) !== 0) return this.fields[k];
    return this.item(this.startAt(i) + 2 * k);
  }

  value(i: number, k: number): string {
    if ((this.flagsAt(i) & FLAG_SAMEFIELDS) !== 0) return this.item(this.startAt(i) + k);
    return this.item(this.startAt(i) + 2 * k + 1);
  }

  /** First entry index with ID >= (ms, seq). */
  lowerBound(ms: U64, seq: U64): number {
    let lo = 0;
    let hi = this.total;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cmpId(this.msAt(mid), this.seqAt(mid), ms, seq) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Changes the live/deleted counters, keeping `bytes` what Redis's listpack would be. */
  setCounts(live: number, deleted: number): void {
    this.bytes += lpIntSize(live) - lpIntSize(this.live) + lpIntSize(deleted) - lpIntSize(this.deleted);
    this.live = live;
    this.deleted = deleted;
  }

  /**
   * Appends an entry's ID and flags (opening the node if sealed) and returns the item array, for
   * the caller to push the entry's values (SAMEFIELDS) or field-value pairs to.
   */
  pushEntry(ms: U64, seq: U64, flags: number): string[] {
    this.unseal();
    const items = this.items!;
    this.oMs!.push(ms);
    this.oSeq!.push(seq);
    this.oFlags!.push(flags);
    this.oStart!.push(items.length);
    this.total++;
    return items;
  }

  /**
   * Adds an entry read from a file (RDB loading): IDs in order, `fields` its field-value pairs.
   * The counters and `bytes` are the loader's to set; call Stream.seal() when the nodes are built.
   */
  loadEntry(ms: U64, seq: U64, deleted: boolean, fields: readonly string[]): void {
    const nf = fields.length >> 1;
    let same = nf === this.fields.length;
    for (let k = 0; same && k < nf; k++) if (fields[2 * k] !== this.fields[k]) same = false;
    const items = this.pushEntry(ms, seq, (same ? FLAG_SAMEFIELDS : 0) | (deleted ? FLAG_DELETED : 0));
    if (same) for (let k = 0; k < nf; k++) items.push(fields[2 * k + 1]);
    else for (const f of fields) items.push(f);
  }

  /** Packs the node (see the class comment) when its IDs fit; entries stay where they are. */
  seal(): void {
    const items = this.items;
    if (items === null) return;
    const n = this.total;
    const ms = this.oMs!;
    const seq = this.oSeq!;
    const base = this.masterMs;
    if (typeof base !== 'number' || items.length >= 1 << 30) return;
    for (let i = 0; i < n; i++) {
      const m = ms[i];
      const q = seq[i];
      if (typeof m !== 'number' || m < base || m - base > 0xffffffff) return;
      if (typeof q !== 'number' || q > 0xffffffff) return;
    }
    const flags = this.oFlags!;
    const start = this.oStart!;
    // 16-bit slots when every number fits, as in the usual node (100 entries, 4 KB of data, IDs
    // a few seconds apart), else 32-bit.
    let wide = items.length >= 1 << 14 || (n > 0 && (ms[n - 1] as number) - base > 0xffff);
    let bytes = 0;
    for (let j = 0; !wide && j < items.length; j++) bytes += items[j].length;
    if (bytes > 0xffff) wide = true;
    for (let i = 0; !wide && i < n; i++) if ((seq[i] as number) > 0xffff) wide = true;
    const size = 3 * n + items.length + 1;
    const w = wide ? new Uint32Array(size) : new Uint16Array(size);
    for (let i = 0; i < n; i++) {
      w[i] = (ms[i] as number) - base;
      w[n + i] = seq[i] as number;
      w[2 * n + i] = (start[i] << 2) | flags[i];
    }
    let at = 0;
    const o = 3 * n;
    for (let j = 0; j < items.length; j++) {
      w[o + j] = at;
      at += items[j].length;
    }
    w[o + items.length] = at;
    this.data = items.join('');
    this.w = w;
    this.items = this.oMs = this.oSeq = this.oFlags = this.oStart = null;
  }

  /** Back to plain arrays, to append to the node again. */
  unseal(): void {
    if (this.w === null) return;
    const n = this.total;
    const ni = this.itemCount;
    const items: string[] = new Array(ni);
    for (let j = 0; j < ni; j++) items[j] = this.item(j);
    const ms: U64[] = new Array(n);
    const seq: U64[] = new Array(n);
    const flags: number[] = new Array(n);
    const start: number[] = new Array(n);
    for (let i = 0; i < n; i++) {
      ms[i] = this.msAt(i);
      seq[i] = this.seqAt(i);
      flags[i] = this.flagsAt(i);
      start[i] = this.startAt(i);
    }
    this.oMs = ms;
    this.oSeq = seq;
    this.oFlags = flags;
    this.oStart = start;
    this.items = items;
    this.w = null;
    this.data = '';
  }

  /** Bytes the node takes in the JS heap, as core/info.ts models V8 (64-bit): arrays of 8-byte
   * slots and their strings while open, the typed array and one string once sealed. */
  heapBytes(): number {
    let bytes = 200 + 8 * this.fields.length;
    for (const f of this.fields) bytes += stringBytes(f.length);
    if (this.w !== null) return bytes + this.w.byteLength + 160 + stringBytes(this.data.length);
    bytes += 4 * (8 * this.total + 16);
    const items = this.items!;
    bytes += 8 * items.length + 16;
    for (const v of items) bytes += stringBytes(v.length);
    return bytes;
  }

  clone(): StreamNode {
    const n = new StreamNode(this.masterMs, this.masterSeq, this.fields.slice());
    n.live = this.live;
    n.deleted = this.deleted;
    n.bytes = this.bytes;
    n.total = this.total;
    n.oMs = this.oMs === null ? null : this.oMs.slice();
    n.oSeq = this.oSeq === null ? null : this.oSeq.slice();
    n.oFlags = this.oFlags === null ? null : this.oFlags.slice();
    n.oStart = this.oStart === null ? null : this.oStart.slice();
    n.items = this.items === null ? null : this.items.slice();
    n.w = this.w === null ? null : this.w.slice();
    n.data = this.data;
    return n;
  }
}

/** Bytes of a one-byte string in V8: a 16-byte header and the bytes, 8-aligned. */
function stringBytes(len: number): number {
  return 16 + Math.ceil(len / 8) * 8;
}

// ---------------------------------------------------------------------------------------------
// Sorted maps keyed by 16-byte IDs (PELs)

const MAP_CHUNK = 128;

/**
 * A map from 16-byte ID keys to values, in key order: sorted chunks of at most 2 * MAP_CHUNK
 * keys, so inserts and deletes anywhere cost O(log n + MAP_CHUNK) and appends at the end O(1).
 */
export class IdMap<V> {
  private keysOf: string[][] = [];
  private valsOf: V[][] = [];
  size = 0;

  /** Index of the first chunk whose last key is >= key (the chunk count when none is). */
  private chunkFor(key: string): number {
    const ks = this.keysOf;
    let lo = 0;
    let hi = ks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const c = ks[mid];
      if (c[c.length - 1] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  get(key: string): V | undefined {
    const ci = this.chunkFor(key);
    if (ci === this.keysOf.length) return undefined;
    const keys = this.keysOf[ci];
    const i = lowerBoundStr(keys, key);
    return keys[i] === key ? this.valsOf[ci][i] : undefined;
  }

  /** Inserts or replaces; true when the key is new. */
  set(key: string, v: V): boolean {
    const nc = this.keysOf.length;
    if (nc === 0) {
      this.keysOf.push([key]);
      this.valsOf.push([v]);
      this.size = 1;
      return true;
    }
    let ci = this.chunkFor(key);
    if (ci === nc) ci = nc - 1;
    const keys = this.keysOf[ci];
    const vals = this.valsOf[ci];
    const i = lowerBoundStr(keys, key);
    if (keys[i] === key) {
      vals[i] = v;
      return false;
    }
    if (i === keys.length) {
      keys.push(key);
      vals.push(v);
    } else {
      keys.splice(i, 0, key);
      vals.splice(i, 0, v);
    }
    this.size++;
    if (keys.length > 2 * MAP_CHUNK) {
      this.keysOf.splice(ci + 1, 0, keys.splice(MAP_CHUNK));
      this.valsOf.splice(ci + 1, 0, vals.splice(MAP_CHUNK));
    }
    return true;
  }

  delete(key: string): V | undefined {
    const ci = this.chunkFor(key);
    if (ci === this.keysOf.length) return undefined;
    const keys = this.keysOf[ci];
    const i = lowerBoundStr(keys, key);
    if (keys[i] !== key) return undefined;
    const v = this.valsOf[ci][i];
    keys.splice(i, 1);
    this.valsOf[ci].splice(i, 1);
    this.size--;
    if (keys.length === 0) {
      this.keysOf.splice(ci, 1);
      this.valsOf.splice(ci, 1);
    }
    return v;
  }

  firstKey(): string | undefined {
    return this.keysOf.length === 0 ? undefined : this.keysOf[0][0];
  }

  lastKey(): string | undefined {
    const c = this.keysOf[this.keysOf.length - 1];
    return c === undefined ? undefined : c[c.length - 1];
  }

  /** The smallest key >= key. */
  ceilKey(key: string): string | undefined {
    const ci = this.chunkFor(key);
    if (ci === this.keysOf.length) return undefined;
    const keys = this.keysOf[ci];
    return keys[lowerBoundStr(keys, key)];
  }

  /** The smallest key > key. */
  higherKey(key: string): string | undefined {
    const k = this.ceilKey(key);
    // key + NUL is the smallest string above key.
    return k !== key ? k : this.ceilKey(key + '\0');
  }

  /** Calls fn for each entry in key order until it returns false. */
  forEach(fn: (key: string, v: V) => boolean | void): void {
    for (let c = 0; c < this.keysOf.length; c++) {
      const keys = this.keysOf[c];
      const vals = this.valsOf[c];
      for (let i = 0; i < keys.length; i++) if (fn(keys[i], vals[i]) === false) return;
    }
  }
}

function lowerBoundStr(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// ---------------------------------------------------------------------------------------------
// Consumer groups

/** A pending entry: delivered to a consumer and not acknowledged yet (Redis's streamNACK). */
export class Nack {
  /** The owner; null only while XCLAIM FORCE creates the entry and has not assigned it yet. */
  consumer: Consumer | null;
  /** Last delivery, Unix ms. */
  time: number;
  /** Number of deliveries (RETRYCOUNT may set any 64-bit value). */
  count: U64;
  constructor(consumer: Consumer | null, time: number) {
    this.consumer = consumer;
    this.time = time;
    this.count = 1;
  }
}

export class Consumer {
  readonly name: string;
  /** The last time a command named this consumer (XINFO's seen-time and idle), Unix ms. */
  seenTime: number;
  readonly pel = new IdMap<Nack>();
  constructor(name: string, time: number) {
    this.name = name;
    this.seenTime = time;
  }
}

/** entries-read when it is not known (SCG_INVALID_ENTRIES_READ). */
export const INVALID_ENTRIES_READ = -1;

export class Group {
  readonly name: string;
  /** The last ID delivered to the group (last-delivered-id). */
  last: StreamID;
  /** Entries the group read (its logical read counter), or INVALID_ENTRIES_READ. */
  entriesRead: U64;
  readonly pel = new IdMap<Nack>();
  readonly consumers = new Map<string, Consumer>();
  constructor(name: string, last: StreamID, entriesRead: U64) {
    this.name = name;
    this.last = last;
    this.entriesRead = entriesRead;
  }

  /** Consumers in Redis's order (its radix tree: byte order of the names). */
  sortedConsumers(): Consumer[] {
    const names = [...this.consumers.keys()].sort();
    return names.map((n) => this.consumers.get(n)!);
  }

  /** Deletes a consumer and its pending entries; returns how many it had. */
  deleteConsumer(consumer: Consumer): number {
    const n = consumer.pel.size;
    consumer.pel.forEach((key) => {
      this.pel.delete(key);
    });
    this.consumers.delete(consumer.name);
    return n;
  }
}

// ---------------------------------------------------------------------------------------------
// The stream

/** The trimming strategy of XADD and XTRIM. */
export interface TrimArgs {
  /** maxlen: keep at most `maxlen` entries; minid: drop the entries below `minid`. */
  strategy: 'maxlen' | 'minid';
  maxlen: number;
  minid: StreamID;
  /** `~`: only drop whole nodes. */
  approx: boolean;
  /** Drop at most this many entries; 0 for no limit. */
  limit: number;
}

export class Stream implements ObjectValue {
  readonly type = 'stream' as const;
  nodes: StreamNode[] = [];
  /** Live entries. */
  length = 0;
  /** The last ID added or set (last-generated-id): new IDs must be greater. */
  lastMs: U64 = 0;
  lastSeq: U64 = 0;
  /** The first live entry's ID, 0-0 when empty (recorded-first-entry-id). */
  firstMs: U64 = 0;
  firstSeq: U64 = 0;
  /** The greatest ID XDEL removed (max-deleted-entry-id). */
  maxDelMs: U64 = 0;
  maxDelSeq: U64 = 0;
  /** Entries ever added (entries-added). */
  entriesAdded: U64 = 0;
  /** Consumer groups by name, made on first use. */
  groups: Map<string, Group> | null = null;
  private raxNodesCache = -1;

  get lastId(): StreamID {
    return { ms: this.lastMs, seq: this.lastSeq };
  }

  get firstId(): StreamID {
    return { ms: this.firstMs, seq: this.firstSeq };
  }

  get maxDeletedId(): StreamID {
    return { ms: this.maxDelMs, seq: this.maxDelSeq };
  }

  group(name: string): Group | undefined {
    return this.groups === null ? undefined : this.groups.get(name);
  }

  /** Groups in Redis's order (byte order of the names). */
  sortedGroups(): Group[] {
    const groups = this.groups;
    if (groups === null) return [];
    return [...groups.keys()].sort().map((n) => groups.get(n)!);
  }

  /**
   * Adds an entry whose ID the caller checked is greater than the last one (streamAppendItem).
   * Its field-value pairs are argv[from], argv[from + 1], ... A new node is started when the
   * tail node's listpack plus the new entry's bytes would reach `maxBytes`, or when the tail
   * node already holds `maxEntries` entries, deleted ones included (0 disables either limit).
   */
  append(ms: U64, seq: U64, argv: readonly string[], from: number, nfields: number,
    maxBytes: number, maxEntries: number): void {
    let node: StreamNode | undefined = this.nodes[this.nodes.length - 1];
    if (node !== undefined) {
      let totelelen = 0;
      for (let i = from; i < from + 2 * nfields; i++) totelelen += argv[i].length;
      const max = maxBytes === 0 || maxBytes > LP_MAX_SIZE ? LP_MAX_SIZE : maxBytes;
      if (node.bytes + totelelen >= max) node = undefined;
      else if (maxEntries > 0 && node.live + node.deleted >= maxEntries) node = undefined;
    }
    let same = false;
    if (node === undefined) {
      const tail = this.nodes[this.nodes.length - 1];
      if (tail !== undefined) tail.seal();
      const fields: string[] = new Array(nfields);
      let bytes = LP_EMPTY + lpIntSize(0) + lpIntSize(0) + lpIntSize(nfields) + lpIntSize(0);
      for (let k = 0; k < nfields; k++) {
        fields[k] = argv[from + 2 * k];
        bytes += lpStrSize(fields[k]);
      }
      node = new StreamNode(ms, seq, fields);
      node.bytes = bytes;
      this.nodes.push(node);
      this.raxNodesCache = -1;
      same = true;
    } else if (nfields === node.fields.length) {
      same = true;
      const fields = node.fields;
      for (let k = 0; k < nfields; k++) {
        if (fields[k] !== argv[from + 2 * k]) {
          same = false;
          break;
        }
      }
    }
    node.setCounts(node.live + 1, node.deleted);
    let bytes = lpIntSize(same ? FLAG_SAMEFIELDS : 0) + deltaSize(ms, node.masterMs) +
      deltaSize(seq, node.masterSeq) + lpIntSize(same ? nfields + 3 : 2 * nfields + 4);
    const items = node.pushEntry(ms, seq, same ? FLAG_SAMEFIELDS : 0);
    if (same) {
      for (let k = 0; k < nfields; k++) {
        const v = argv[from + 2 * k + 1];
        items.push(v);
        bytes += lpStrSize(v);
      }
    } else {
      bytes += lpIntSize(nfields);
      for (let k = 0; k < nfields; k++) {
        const f = argv[from + 2 * k];
        const v = argv[from + 2 * k + 1];
        items.push(f, v);
        bytes += lpStrSize(f) + lpStrSize(v);
      }
    }
    node.bytes += bytes;
    this.length++;
    this.entriesAdded = u64Inc(this.entriesAdded);
    this.lastMs = ms;
    this.lastSeq = seq;
    if (this.length === 1) {
      this.firstMs = ms;
      this.firstSeq = seq;
    }
  }

  /** Packs every node but the tail (after building a stream node by node, as a loader does). */
  seal(): void {
    for (let i = 0; i < this.nodes.length - 1; i++) this.nodes[i].seal();
  }

  /** Index of the node that would hold (ms, seq): the last one whose master ID is <= it, or -1. */
  nodeFor(ms: U64, seq: U64): number {
    const nodes = this.nodes;
    let lo = 0;
    let hi = nodes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cmpId(nodes[mid].masterMs, nodes[mid].masterSeq, ms, seq) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /** [node index, entry index] of the live entry with this ID, or null. */
  find(ms: U64, seq: U64): [number, number] | null {
    const ni = this.nodeFor(ms, seq);
    if (ni < 0) return null;
    const node = this.nodes[ni];
    const ei = node.lowerBound(ms, seq);
    if (ei === node.total || node.msAt(ei) !== ms || node.seqAt(ei) !== seq || node.isDeleted(ei)) return null;
    return [ni, ei];
  }

  has(id: StreamID): boolean {
    return this.find(id.ms, id.seq) !== null;
  }

  /**
   * Calls fn(node, entry index) for each live entry with start <= ID <= end, ascending (or
   * descending with `rev`), at most `count` of them when count > 0; returns how many. With a
   * null fn it only counts.
   */
  each(start: StreamID, end: StreamID, rev: boolean, count: number,
    fn: ((node: StreamNode, i: number) => void) | null): number {
    const nodes = this.nodes;
    let n = 0;
    if (idCmp(start, end) > 0) return 0;
    if (!rev) {
      let ni = Math.max(0, this.nodeFor(start.ms, start.seq));
      if (ni >= nodes.length) return 0;
      let ei = nodes[ni].lowerBound(start.ms, start.seq);
      for (; ni < nodes.length; ni++, ei = 0) {
        const node = nodes[ni];
        const total = node.total;
        for (; ei < total; ei++) {
          if (cmpId(node.msAt(ei), node.seqAt(ei), end.ms, end.seq) > 0) return n;
          if (node.isDeleted(ei)) continue;
          if (fn !== null) fn(node, ei);
          if (++n === count) return n;
        }
      }
    } else {
      let ni = this.nodeFor(end.ms, end.seq);
      if (ni < 0) return 0;
      const top = nodes[ni];
      let ei = top.lowerBound(end.ms, end.seq);
      // lowerBound finds the first ID >= end: step back unless it is end itself.
      if (ei === top.total || top.msAt(ei) !== end.ms || top.seqAt(ei) !== end.seq) ei--;
      for (; ni >= 0; ni--, ei = ni >= 0 ? nodes[ni].total - 1 : 0) {
        const node = nodes[ni];
        for (; ei >= 0; ei--) {
          if (cmpId(node.msAt(ei), node.seqAt(ei), start.ms, start.seq) < 0) return n;
          if (node.isDeleted(ei)) continue;
          if (fn !== null) fn(node, ei);
          if (++n === count) return n;
        }
      }
    }
    return n;
  }

  /** Flags entry ei of node ni deleted; drops the node when that was its last live entry. */
  deleteAt(ni: number, ei: number): void {
    const node = this.nodes[ni];
    node.markDeleted(ei);
    if (node.live === 1) {
      this.nodes.splice(ni, 1);
      this.raxNodesCache = -1;
    } else {
      node.setCounts(node.live - 1, node.deleted + 1);
    }
    this.length--;
  }

  /** XDEL of one ID: true when a live entry was deleted. Keeps max-deleted-entry-id. */
  deleteId(id: StreamID): boolean {
    const at = this.find(id.ms, id.seq);
    if (at === null) return false;
    this.deleteAt(at[0], at[1]);
    if (cmpId(id.ms, id.seq, this.maxDelMs, this.maxDelSeq) > 0) {
      this.maxDelMs = id.ms;
      this.maxDelSeq = id.seq;
    }
    return true;
  }

  /** Sets the recorded first ID to the first live entry's (0-0 when empty). */
  refreshFirstId(): void {
    const id = this.length === 0 ? null : this.edgeId(true, true);
    this.firstMs = id === null ? 0 : id.ms;
    this.firstSeq = id === null ? 0 : id.seq;
  }

  /** The first or last entry's ID, tombstones skipped or not; null when there is none. */
  edgeId(first: boolean, skipTombstones: boolean): StreamID | null {
    const nodes = this.nodes;
    if (first) {
      for (let ni = 0; ni < nodes.length; ni++) {
        const node = nodes[ni];
        for (let ei = 0; ei < node.total; ei++) {
          if (!skipTombstones || !node.isDeleted(ei)) return { ms: node.msAt(ei), seq: node.seqAt(ei) };
        }
      }
    } else {
      for (let ni = nodes.length - 1; ni >= 0; ni--) {
        const node = nodes[ni];
        for (let ei = node.total - 1; ei >= 0; ei--) {
          if (!skipTombstones || !node.isDeleted(ei)) return { ms: node.msAt(ei), seq: node.seqAt(ei) };
        }
      }
    }
    return null;
  }

  /** The last live entry's ID (streamLastValidID); 0-0 when empty. */
  lastValidId(): StreamID {
    return this.edgeId(false, true) ?? { ms: 0, seq: 0 };
  }

  /**
   * Trims the stream (Redis's streamTrim): whole nodes from the head while the strategy allows,
   * then, unless `approx`, flags entries deleted inside the next node. Returns how many entries
   * went.
   */
  trim(args: TrimArgs): number {
    const nodes = this.nodes;
    const { maxlen, minid, limit } = args;
    const byLen = args.strategy === 'maxlen';
    let deleted = 0;
    let drop = 0;
    while (drop < nodes.length) {
      if (byLen && this.length <= maxlen) break;
      const node = nodes[drop];
      const entries = node.live;
      if (limit > 0 && deleted + entries > limit) break;
      let whole: boolean;
      if (byLen) {
        whole = this.length - entries >= maxlen;
      } else {
        const last = node.total - 1;
        whole = cmpId(node.msAt(last), node.seqAt(last), minid.ms, minid.seq) < 0;
      }
      if (whole) {
        drop++;
        this.length -= entries;
        deleted += entries;
        continue;
      }
      if (args.approx) break;
      let fromNode = 0;
      for (let ei = 0; ei < node.total; ei++) {
        const stop = byLen ? this.length <= maxlen : cmpId(node.msAt(ei), node.seqAt(ei), minid.ms, minid.seq) >= 0;
        if (stop) break;
        if (!node.isDeleted(ei)) {
          node.markDeleted(ei);
          fromNode++;
          this.length--;
        }
      }
      deleted += fromNode;
      node.setCounts(entries - fromNode, node.deleted + fromNode);
      break;
    }
    if (drop > 0) {
      nodes.splice(0, drop);
      this.raxNodesCache = -1;
    }
    if (this.length === 0 || deleted > 0) this.refreshFirstId();
    return deleted;
  }

  /** Keys of Redis's radix tree of nodes (XINFO radix-tree-keys). */
  get raxKeys(): number {
    return this.nodes.length;
  }

  /** Nodes of Redis's radix tree of nodes (XINFO radix-tree-nodes). */
  get raxNodes(): number {
    if (this.raxNodesCache < 0) {
      const keys = this.nodes.map((n) => idKey(n.masterMs, n.masterSeq));
      this.raxNodesCache = keys.length === 0 ? 1 : raxCount(keys, 0, keys.length, 0);
    }
    return this.raxNodesCache;
  }

  /** Whether an entry in [start, end] was deleted (streamRangeHasTombstones); the caller knows
   * start is below the last ID. */
  rangeHasTombstones(start: StreamID | null, end: StreamID | null): boolean {
    if (this.length === 0 || (this.maxDelMs === 0 && this.maxDelSeq === 0)) return false;
    if (cmpId(this.firstMs, this.firstSeq, this.maxDelMs, this.maxDelSeq) > 0) return false;
    const s = start ?? MIN_ID;
    const e = end ?? MAX_ID;
    return cmpId(s.ms, s.seq, this.maxDelMs, this.maxDelSeq) <= 0 &&
      cmpId(this.maxDelMs, this.maxDelSeq, e.ms, e.seq) <= 0;
  }

  /**
   * The logical read counter of `id`: its distance from the first entry ever added
   * (streamEstimateDistanceFromFirstEverEntry), or INVALID_ENTRIES_READ when it cannot be known.
   */
  estimateDistance(id: StreamID): U64 {
    if (this.entriesAdded === 0) return 0;
    const cmpLast = cmpId(id.ms, id.seq, this.lastMs, this.lastSeq);
    if (this.length === 0 && cmpLast < 1) return this.entriesAdded;
    if (cmpLast === 0) return this.entriesAdded;
    if (cmpLast > 0) return INVALID_ENTRIES_READ;
    const cmpFirst = cmpId(id.ms, id.seq, this.firstMs, this.firstSeq);
    const noTombstones = (this.maxDelMs === 0 && this.maxDelSeq === 0) ||
      cmpId(this.maxDelMs, this.maxDelSeq, this.firstMs, this.firstSeq) < 0;
    if (noTombstones) {
      if (cmpFirst < 0) return u64Sub(this.entriesAdded, this.length);
      if (cmpFirst === 0) return u64Inc(u64Sub(this.entriesAdded, this.length));
    }
    return INVALID_ENTRIES_READ;
  }

  /** A group's lag (entries not delivered to it yet), or null when it cannot be known. */
  lag(g: Group): U64 | null {
    if (this.entriesAdded === 0) return 0;
    if (g.entriesRead !== INVALID_ENTRIES_READ && !this.rangeHasTombstones(g.last, null)) {
      return i64Sub(this.entriesAdded, g.entriesRead);
    }
    const read = this.estimateDistance(g.last);
    if (read === INVALID_ENTRIES_READ) return null;
    return i64Sub(this.entriesAdded, read);
  }

  dup(): Stream {
    const s = new Stream();
    s.nodes = this.nodes.map((n) => n.clone());
    s.length = this.length;
    s.lastMs = this.lastMs;
    s.lastSeq = this.lastSeq;
    s.firstMs = this.firstMs;
    s.firstSeq = this.firstSeq;
    s.maxDelMs = this.maxDelMs;
    s.maxDelSeq = this.maxDelSeq;
    s.entriesAdded = this.entriesAdded;
    if (this.groups !== null) {
      const groups = new Map<string, Group>();
      for (const g of this.groups.values()) {
        const ng = new Group(g.name, { ms: g.last.ms, seq: g.last.seq }, g.entriesRead);
        const copies = new Map<Nack, Nack>();
        g.pel.forEach((key, nack) => {
          const copy = new Nack(null, nack.time);
          copy.count = nack.count;
          copies.set(nack, copy);
          ng.pel.set(key, copy);
        });
        for (const c of g.consumers.values()) {
          const nc = new Consumer(c.name, c.seenTime);
          c.pel.forEach((key, nack) => {
            const copy = copies.get(nack)!;
            copy.consumer = nc;
            nc.pel.set(key, copy);
          });
          ng.consumers.set(nc.name, nc);
        }
        groups.set(ng.name, ng);
      }
      s.groups = groups;
    }
    return s;
  }

  /**
   * MEMORY USAGE estimate, modelling V8's layout as core/info.ts does: the nodes (see
   * StreamNode.heapBytes), measured on up to `samples` of them (0: all) and extrapolated, plus
   * the groups' pending entries (a key and slots in two maps, and the entry object) and
   * consumers.
   */
  memoryUsage(samples: number): number {
    let bytes = 160;
    const nodes = this.nodes;
    const look = samples <= 0 ? nodes.length : Math.min(nodes.length, samples);
    let sampled = 0;
    for (let i = 0; i < look; i++) sampled += nodes[i].heapBytes();
    if (look > 0) bytes += (sampled / look) * nodes.length;
    if (this.groups !== null) {
      for (const g of this.groups.values()) {
        bytes += 200 + stringBytes(g.name.length) + g.pel.size * PEL_ENTRY;
        for (const c of g.consumers.values()) bytes += 120 + stringBytes(c.name.length);
      }
    }
    return Math.round(bytes);
  }
}

/** A pending entry: its 16-byte key string, its slots in the group's and the consumer's maps,
 * and the Nack object. */
const PEL_ENTRY = 120;

function u64Sub(a: U64, b: number): U64 {
  if (typeof a === 'number') return a - b;
  return u64(a - BigInt(b));
}

/** a - b as Redis's long long arithmetic (lag: entries-added minus entries-read). */
function i64Sub(a: U64, b: U64): U64 {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const r = BigInt.asIntN(64, big(a) - big(b));
  return r >= -9007199254740991n && r <= 9007199254740991n ? Number(r) : r;
}

/** Nodes of the canonical compressed trie holding keys[lo, hi), which share `depth` bytes. */
function raxCount(keys: readonly string[], lo: number, hi: number, depth: number): number {
  // One key left: a leaf, below a compressed node for the rest of the key if any.
  if (hi - lo === 1) return depth === keys[lo].length ? 1 : 2;
  const a = keys[lo];
  const b = keys[hi - 1];
  let d = depth;
  while (a.charCodeAt(d) === b.charCodeAt(d)) d++;
  // A compressed node down to the first difference (when it is further down), then a branch.
  let n = d > depth ? 2 : 1;
  let i = lo;
  while (i < hi) {
    const ch = keys[i].charCodeAt(d);
    let j = i + 1;
    while (j < hi && keys[j].charCodeAt(d) === ch) j++;
    n += raxCount(keys, i, j, d + 1);
    i = j;
  }
  return n;
}
