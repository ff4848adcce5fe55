// =================================================================================================
// RDB writer: Redis 7.0's RDB version 10 (src/rdb.c rdbSave* functions)
//
// A file is
//   "REDIS0010"
//   AUX fields (0xFA <string key> <string value>): redis-ver, redis-bits, ctime, used-mem,
//     repl-stream-db, repl-id, repl-offset, aof-base
//   per non-empty database: SELECTDB (0xFE <len db>) RESIZEDB (0xFB <len keys> <len expires>)
//     then per key: [EXPIRETIME_MS 0xFC <u64 LE ms>] [IDLE 0xF8 <len s> | FREQ 0xF9 <u8>]
//                   <type byte> <string key> <value>
//   EOF (0xFF) and the CRC-64 of everything before it, u64 LE (zeros when rdbchecksum is no).
//
// Lengths (rdbSaveLen): 00xxxxxx (6 bits), 01xxxxxx xxxxxxxx (14 bits, big-endian), 0x80 + u32 BE,
// 0x81 + u64 BE. Strings: a length and the bytes; or 11000000/1/2 + an int8/16/32 LE for strings
// that are canonical integers of at most 11 characters; or 11000011 <len compressed> <len
// original> <LZF data> when rdbcompression is on, the string is over 20 bytes and LZF saves at
// least 5 of them. Binary doubles are IEEE 754 LE.
//
// Value types, by the in-memory encoding Redis 7.0 would have (so OBJECT ENCODING matches after
// a load by echokv or by redis-server):
//   0 string | 18 list: quicklist of listpack nodes | 11 set as intset blob | 2 set: members
//   16 hash as listpack blob | 4 hash: field, value pairs | 17 zset as listpack blob
//   5 zset: member + binary double, highest score first | 19 stream: listpacks, v2 metadata
//
// Design: one growable buffer. A caller that streams to disk takes the filled part with
// detach() whenever it likes (the CRC covers each chunk as it is detached); DUMP keeps it all.
// Writing a key is synchronous and self-contained, which is what the snapshot observer needs.
// =================================================================================================

import { strIntoBytes } from '../../../core/bytes.ts';
import { type Entry, MutableString, type Value } from '../../../core/keyspace.ts';
import { formatDouble } from '../../../core/numbers.ts';
import { Crc64 } from './_crc64.ts';
import { RdbError } from './_errors.ts';
import { intsetEncode } from './_intset.ts';
import { canonicalInt, ListpackBuilder } from './_listpack.ts';
import { lzfCompress } from './_lzf.ts';
import { ADAPTERS, type Limits, type StreamData, type StreamId, type StreamNodeData } from './values.ts';

export const RDB_VERSION = 10;

export const OP = {
  FUNCTION2: 245, FUNCTION_PRE_GA: 246, MODULE_AUX: 247, IDLE: 248, FREQ: 249, AUX: 250,
  RESIZEDB: 251, EXPIRETIME_MS: 252, EXPIRETIME: 253, SELECTDB: 254, EOF: 255, SLOT_INFO: 244,
} as const;

export const TYPE = {
  STRING: 0, LIST: 1, SET: 2, ZSET: 3, HASH: 4, ZSET_2: 5, MODULE_PRE_GA: 6, MODULE_2: 7,
  HASH_ZIPMAP: 9, LIST_ZIPLIST: 10, SET_INTSET: 11, ZSET_ZIPLIST: 12, HASH_ZIPLIST: 13,
  LIST_QUICKLIST: 14, STREAM_LISTPACKS: 15, HASH_LISTPACK: 16, ZSET_LISTPACK: 17,
  LIST_QUICKLIST_2: 18, STREAM_LISTPACKS_2: 19, SET_LISTPACK: 20, STREAM_LISTPACKS_3: 21,
  HASH_METADATA_PRE_GA: 22, HASH_LISTPACK_EX_PRE_GA: 23, HASH_METADATA: 24, HASH_LISTPACK_EX: 25,
} as const;

/** How values are written. */
export interface EncodeOptions {
  /** rdbcompression: LZF for strings over 20 bytes when it saves space. */
  compress: boolean;
  limits: Limits;
  /** maxmemory-policy's family: LRU policies save idle times, LFU ones the frequency. */
  evictionInfo: 'lru' | 'lfu' | null;
  /** Now, Unix ms (idle times and LFU decay are computed against it). */
  now: number;
  /** lfu-decay-time, minutes. */
  lfuDecayTime: number;
  /** List elements of this size or more go in a plain node of their own (quicklist's
   * packed_threshold, which DEBUG QUICKLIST-PACKED-THRESHOLD sets). */
  packedThreshold: number;
}

/** Scratch listpacks for lists, hashes and sorted sets (their blob is written at once). */
const scratch = new ListpackBuilder(1024);
/** Scratch list of an intset's members. */
const intsetMembers: string[] = [];

const LZF_SCRATCH_MIN = 1 << 16;
let lzfScratch = new Uint8Array(LZF_SCRATCH_MIN);
/** Where a string's bytes are staged for LZF (no view or allocation per compressed string). */
let lzfInput = new Uint8Array(LZF_SCRATCH_MIN);
const f64 = new Float64Array(1);
const f64b = new Uint8Array(f64.buffer);

export class RdbWriter {
  buf: Uint8Array;
  pos = 0;
  /** Bytes already detached (the file offset of buf[0]). */
  detached = 0;
  /** Running checksum of the detached bytes; finish() folds in the rest. */
  readonly crc = new Crc64();
  readonly opts: EncodeOptions;

  constructor(opts: EncodeOptions, capacity = 1 << 16) {
    this.opts = opts;
    this.buf = new Uint8Array(capacity);
  }

  /** Total bytes written so far. */
  get size(): number {
    return this.detached + this.pos;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.pos + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /**
   * Takes the bytes written so far (for writing to disk), adds them to the checksum, and starts a
   * fresh buffer. The returned array is the caller's.
   */
  detach(): Uint8Array {
    const out = this.buf.subarray(0, this.pos);
    this.crc.update(out);
    this.detached += this.pos;
    this.buf = new Uint8Array(Math.max(1 << 16, Math.min(this.buf.length, 1 << 22)));
    this.pos = 0;
    return out;
  }

  /**
   * The bytes written so far as a view (valid until the next write), added to the checksum; the
   * buffer is reused. For consumers that copy the bytes at once (the AOF base encoder).
   */
  drain(): Uint8Array {
    const out = this.buf.subarray(0, this.pos);
    this.crc.update(out);
    this.detached += this.pos;
    this.pos = 0;
    return out;
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.pos++] = b;
  }

  raw(bytes: Uint8Array): void {
    this.room(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** A u64 little-endian (rdbSaveMillisecondTime). */
  u64le(v: number): void {
    this.room(8);
    const b = this.buf;
    let lo = v % 4294967296;
    let hi = Math.floor(v / 4294967296);
    if (v < 0) {
      const u = BigInt.asUintN(64, BigInt(v));
      lo = Number(u & 0xffffffffn);
      hi = Number(u >> 32n);
    }
    for (let i = 0; i < 4; i++) b[this.pos + i] = (lo >>> (8 * i)) & 0xff;
    for (let i = 0; i < 4; i++) b[this.pos + 4 + i] = (hi >>> (8 * i)) & 0xff;
    this.pos += 8;
  }

  /** rdbSaveLen: a length in 1, 2, 5 or 9 bytes. */
  len(n: number | bigint): void {
    this.room(9);
    const b = this.buf;
    if (typeof n === 'number' && n < 64) {
      b[this.pos++] = n;
    } else if (typeof n === 'number' && n < 16384) {
      b[this.pos++] = 0x40 | (n >>> 8);
      b[this.pos++] = n & 0xff;
    } else if (typeof n === 'number' && n <= 0xffffffff) {
      b[this.pos++] = 0x80;
      b[this.pos++] = n >>> 24;
      b[this.pos++] = (n >>> 16) & 0xff;
      b[this.pos++] = (n >>> 8) & 0xff;
      b[this.pos++] = n & 0xff;
    } else {
      b[this.pos++] = 0x81;
      let u = BigInt.asUintN(64, BigInt(n));
      for (let i = 7; i >= 0; i--) {
        b[this.pos + i] = Number(u & 0xffn);
        u >>= 8n;
      }
      this.pos += 8;
    }
  }

  /**
   * rdbSaveRawString for a byte string: integer-encoded when it is a canonical integer of at
   * most 11 characters that fits in 32 bits, LZF-compressed when allowed and worth it, else
   * length + bytes.
   */
  string(s: string): void {
    const n = s.length;
    if (n <= 11 && n > 0) {
      const c = s.charCodeAt(0);
      if ((c >= 48 && c <= 57) || c === 45) {
        const v = canonicalInt(s);
        if (typeof v === 'number' && v >= -2147483648 && v <= 2147483647) {
          this.intString(v);
          return;
        }
      }
    }
    if (this.opts.compress && n > 20 && this.lzfString(s, null, n)) return;
    this.len(n);
    this.room(n);
    this.pos = strIntoBytes(s, this.buf, this.pos);
  }

  /** The same for bytes (blobs: listpacks, intsets, MutableString contents). */
  bytesString(b: Uint8Array, n = b.length): void {
    if (n <= 11 && n > 0 && ((b[0] >= 48 && b[0] <= 57) || b[0] === 45)) {
      let s = '';
      for (let i = 0; i < n; i++) s += String.fromCharCode(b[i]);
      this.string(s);
      return;
    }
    if (this.opts.compress && n > 20 && this.lzfString(null, b, n)) return;
    this.len(n);
    this.room(n);
    if (n === b.length) this.buf.set(b, this.pos);
    else this.buf.set(b.subarray(0, n), this.pos);
    this.pos += n;
  }

  private intString(v: number): void {
    this.room(5);
    const b = this.buf;
    if (v >= -128 && v <= 127) {
      b[this.pos++] = 0xc0;
      b[this.pos++] = v & 0xff;
    } else if (v >= -32768 && v <= 32767) {
      b[this.pos++] = 0xc1;
      b[this.pos++] = v & 0xff;
      b[this.pos++] = (v >> 8) & 0xff;
    } else {
      b[this.pos++] = 0xc2;
      b[this.pos++] = v & 0xff;
      b[this.pos++] = (v >> 8) & 0xff;
      b[this.pos++] = (v >> 16) & 0xff;
      b[this.pos++] = (v >>> 24) & 0xff;
    }
  }

  /** rdbSaveLzfStringObject; false when LZF does not save at least 5 bytes. */
  private lzfString(s: string | null, bytes: Uint8Array | null, n: number): boolean {
    let input: Uint8Array;
    if (bytes !== null) input = bytes;
    else {
      if (lzfInput.length < n) lzfInput = new Uint8Array(Math.max(n, 2 * lzfInput.length));
      input = lzfInput;
      strIntoBytes(s!, input, 0);
    }
    if (lzfScratch.length < n) lzfScratch = new Uint8Array(Math.max(n, LZF_SCRATCH_MIN));
    const clen = lzfCompress(input, n, lzfScratch, n - 4);
    if (clen === 0) return false;
    this.room(clen + 19);
    this.buf[this.pos++] = 0xc3;
    this.len(clen);
    this.len(n);
    const b = this.buf;
    const src = lzfScratch;
    let p = this.pos;
    for (let i = 0; i < clen; i++) b[p++] = src[i];
    this.pos = p;
    return true;
  }

  /** A binary double (rdbSaveBinaryDoubleValue). */
  double(d: number): void {
    this.room(8);
    f64[0] = d;
    this.buf.set(f64b, this.pos);
    this.pos += 8;
  }

  /** An AUX field (rdbSaveAuxField). */
  aux(key: string, value: string): void {
    this.byte(OP.AUX);
    this.string(key);
    this.string(value);
  }

  /** "REDIS0010". */
  header(version = RDB_VERSION): void {
    const h = 'REDIS' + String(version).padStart(4, '0');
    this.room(9);
    this.pos = strIntoBytes(h, this.buf, this.pos);
  }

  /**
   * EOF opcode and the checksum (zeros when `checksum` is false). Returns the last bytes not yet
   * detached: the whole file for an in-memory writer.
   */
  finish(checksum: boolean): Uint8Array {
    this.byte(OP.EOF);
    const tail = this.buf.subarray(0, this.pos);
    this.crc.update(tail);
    if (checksum) this.raw(this.crc.bytesLE());
    else this.raw(new Uint8Array(8));
    return this.buf.subarray(0, this.pos);
  }

  // -----------------------------------------------------------------------------------------------
  // Keys and values

  /**
   * rdbSaveKeyValuePair: expiry, idle time or frequency (per maxmemory-policy), type, key,
   * value. Throws RdbError for a value type echokv cannot write yet.
   */
  keyValue(key: string, e: Entry): void {
    if (e.expireAt !== 0) {
      this.byte(OP.EXPIRETIME_MS);
      this.u64le(e.expireAt);
    }
    const ev = this.opts.evictionInfo;
    if (ev === 'lru') {
      // Entry.lru is the LRU clock in seconds; Redis stores the idle time in seconds.
      const idle = Math.max(0, Math.floor(this.opts.now / 1000) - e.lru);
      this.byte(OP.IDLE);
      this.len(idle);
    } else if (ev === 'lfu') {
      this.byte(OP.FREQ);
      this.byte(lfuDecrAndReturn(e.lru, this.opts.now, this.opts.lfuDecayTime));
    }
    this.object(key, e.value);
  }

  /** keyValue() for a value and an expiry given apart (0: none), with no idle or LFU data. */
  keyValueOf(key: string, value: Value, expireAt: number): void {
    if (expireAt !== 0) {
      this.byte(OP.EXPIRETIME_MS);
      this.u64le(expireAt);
    }
    this.object(key, value);
  }

  /** The type byte, the key, and the value (rdbSaveObjectType + key + rdbSaveObject). */
  object(key: string | null, v: Value): void {
    if (typeof v === 'string') {
      this.byte(TYPE.STRING);
      if (key !== null) this.string(key);
      this.string(v);
      return;
    }
    if (v instanceof MutableString) {
      this.byte(TYPE.STRING);
      if (key !== null) this.string(key);
      this.bytesString(v.buf, v.len);
      return;
    }
    switch (v.type) {
      case 'list': return this.list(key, v);
      case 'set': return this.set(key, v);
      case 'hash': return this.hash(key, v);
      case 'zset': return this.zset(key, v);
      case 'stream': return this.stream(key, v);
    }
    throw new RdbError(`Cannot save a value of type ${(v as { type: string }).type}`);
  }

  private list(key: string | null, v: Value & object): void {
    const a = ADAPTERS.list;
    if (a === undefined) throw new RdbError('Cannot save a list: echokv has no RDB adapter for lists yet');
    const src = a.source(v as never);
    this.byte(TYPE.LIST_QUICKLIST_2);
    if (key !== null) this.string(key);
    // Nodes as quicklist's _quicklistNodeAllowInsert fills them when elements are pushed at the
    // tail, with list-max-listpack-size (fill) as the limit.
    const fill = this.opts.limits.listMaxListpackSize;
    const threshold = this.opts.packedThreshold;
    // Finished nodes (most lists have one, which stays in the scratch builder, written uncopied).
    let nodes: Uint8Array[] | null = null;
    let plain: boolean[] | null = null;
    const lp = scratch;
    lp.reset();
    src.each((el) => {
      const n = el.length;
      if (n >= threshold) {
        nodes ??= [];
        plain ??= [];
        if (lp.count > 0) {
          nodes.push(lp.finish());
          plain.push(false);
          lp.reset();
        }
        nodes.push(strBytes(el));
        plain.push(true);
        return;
      }
      if (lp.count > 0 && !allowInsert(lp.size, lp.count, fill, n)) {
        nodes ??= [];
        plain ??= [];
        nodes.push(lp.finish());
        plain.push(false);
        lp.reset();
      }
      lp.add(el);
    });
    const last = lp.count > 0;
    const done = nodes as Uint8Array[] | null;
    const kinds = plain as boolean[] | null;
    const count = (done?.length ?? 0) + (last ? 1 : 0);
    // With list-compress-depth, quicklist keeps the nodes between the `depth` ones at each end
    // LZF-compressed when that pays, and rdbSaveObject writes those as they are, whatever
    // rdbcompression says.
    const depth = this.opts.limits.listCompressDepth ?? 0;
    const middle = (i: number): boolean => depth > 0 && count > 2 * depth && i >= depth && i < count - depth;
    this.len(count);
    if (done !== null) {
      for (let i = 0; i < done.length; i++) {
        this.len(kinds![i] ? 1 : 2); // QUICKLIST_NODE_CONTAINER_PLAIN / _PACKED
        if (!middle(i) || !this.quicklistLzf(done[i])) this.bytesString(done[i]);
      }
    }
    if (last) {
      this.len(2);
      const tail = lp.finishView();
      if (!middle(count - 1) || !this.quicklistLzf(tail)) this.bytesString(tail);
    }
  }

  /**
   * A node as __quicklistCompressNode would hold it: LZF-compressed when it has 48 bytes or more
   * and compression saves more than 8 (MIN_COMPRESS_BYTES, MIN_COMPRESS_IMPROVE), written as
   * rdbSaveLzfBlob does. False when quicklist leaves the node raw.
   */
  private quicklistLzf(node: Uint8Array): boolean {
    const n = node.length;
    if (n < 48) return false;
    if (lzfScratch.length < n) lzfScratch = new Uint8Array(Math.max(n, LZF_SCRATCH_MIN));
    const clen = lzfCompress(node, n, lzfScratch, n);
    if (clen === 0 || clen + 8 >= n) return false;
    this.room(clen + 19);
    this.buf[this.pos++] = 0xc3;
    this.len(clen);
    this.len(n);
    this.buf.set(lzfScratch.subarray(0, clen), this.pos);
    this.pos += clen;
    return true;
  }

  private set(key: string | null, v: Value & object): void {
    const a = ADAPTERS.set;
    if (a === undefined) throw new RdbError('Cannot save a set: echokv has no RDB adapter for sets yet');
    const src = a.source(v as never);
    if (src.encoding === 'intset') {
      const members = intsetMembers;
      members.length = 0;
      src.each((m) => members.push(m));
      this.byte(TYPE.SET_INTSET);
      if (key !== null) this.string(key);
      this.bytesString(intsetEncode(members));
      members.length = 0;
      return;
    }
    // A 7.2-style listpack set is written as a plain set: version 10 has no listpack sets.
    this.byte(TYPE.SET);
    if (key !== null) this.string(key);
    this.len(src.size);
    src.each((m) => this.string(m));
  }

  private hash(key: string | null, v: Value & object): void {
    const a = ADAPTERS.hash;
    if (a === undefined) throw new RdbError('Cannot save a hash: echokv has no RDB adapter for hashes yet');
    const src = a.source(v as never);
    if (src.encoding === 'listpack') {
      const lp = scratch;
      lp.reset();
      src.each((f, val) => {
        lp.add(f);
        lp.add(val);
      });
      this.byte(TYPE.HASH_LISTPACK);
      if (key !== null) this.string(key);
      this.bytesString(lp.finishView());
      return;
    }
    this.byte(TYPE.HASH);
    if (key !== null) this.string(key);
    this.len(src.size);
    src.each((f, val) => {
      this.string(f);
      this.string(val);
    });
  }

  private zset(key: string | null, v: Value & object): void {
    const a = ADAPTERS.zset;
    if (a === undefined) throw new RdbError('Cannot save a sorted set: echokv has no RDB adapter for sorted sets yet');
    const src = a.source(v as never);
    if (src.encoding === 'listpack') {
      const lp = scratch;
      lp.reset();
      src.each((m, score) => {
        lp.add(m);
        lp.add(listpackScore(score));
      });
      this.byte(TYPE.ZSET_LISTPACK);
      if (key !== null) this.string(key);
      this.bytesString(lp.finishView());
      return;
    }
    // The skiplist goes from the greatest element to the smallest, so that loading inserts each
    // element at the head of the skiplist (rdbSaveObject).
    const members: string[] = [];
    const scores: number[] = [];
    src.each((m, s) => {
      members.push(m);
      scores.push(s);
    });
    this.byte(TYPE.ZSET_2);
    if (key !== null) this.string(key);
    this.len(members.length);
    for (let i = members.length - 1; i >= 0; i--) {
      this.string(members[i]);
      this.double(scores[i]);
    }
  }

  private stream(key: string | null, v: Value & object): void {
    const a = ADAPTERS.stream;
    if (a === undefined) throw new RdbError('Cannot save a stream: echokv has no RDB adapter for streams yet');
    const d = a.source(v as never).data();
    this.byte(TYPE.STREAM_LISTPACKS_2);
    if (key !== null) this.string(key);
    writeStreamBody(this, d, this.opts.limits);
  }
}

/**
 * A score as zzlInsertAt stores it in Redis 7.0: an integral score within +-2^62 (double2ll) as
 * an integer (so -0 becomes 0), anything else as d2string's %.17g text.
 */
function listpackScore(score: number): string {
  if (Number.isInteger(score) && score >= -4611686018427387904 && score <= 4611686018427387904) {
    // String() prints integers beyond 2^53 rounded (4611686018427388000); BigInt prints them exact.
    return Number.isSafeInteger(score) ? String(score + 0) : BigInt(score).toString();
  }
  // A score whose binary value is exactly a short decimal (2.5, 0.75, 1.125): %.17g prints that
  // decimal, which is also what String() prints, and String() is much cheaper than formatDouble.
  const a = Math.abs(score);
  if (a >= 1e-4 && a < 1e15) {
    const s = String(score);
    const dot = s.indexOf('.');
    const k = dot < 0 ? 0 : s.length - dot - 1;
    if (k > 0 && k <= 8) {
      // score = m / 10^k exactly iff 5^k divides m and (m / 5^k) / 2^k is score.
      const m = Math.round(score * 10 ** k);
      const p5 = 5 ** k;
      if (Number.isSafeInteger(m) && m % p5 === 0 && m / p5 / 2 ** k === score) return s;
    }
  }
  return formatDouble(score);
}

/** Size limits of negative list-max-listpack-size values: -1 4 KB ... -5 64 KB. */
const OPTIMIZATION_LEVEL = [4096, 8192, 16384, 32768, 65536];
const SIZE_SAFETY_LIMIT = 8192;
/** quicklist's SIZE_ESTIMATE_OVERHEAD: what an entry may add beyond its bytes. */
const SIZE_ESTIMATE_OVERHEAD = 8;

/**
 * quicklist's _quicklistNodeAllowInsert (Redis 7.0.15): may an element of `sz` bytes join a node
 * of `size` bytes and `count` elements, with list-max-listpack-size `fill`?
 */
function allowInsert(size: number, count: number, fill: number, sz: number): boolean {
  const newSz = size + sz + SIZE_ESTIMATE_OVERHEAD;
  if (fill < 0) {
    const off = Math.min(-fill - 1, OPTIMIZATION_LEVEL.length - 1);
    return newSz <= OPTIMIZATION_LEVEL[off];
  }
  if (newSz > SIZE_SAFETY_LIMIT) return false;
  return count + 1 <= (fill === 0 ? 1 : fill);
}

function strBytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  strIntoBytes(s, b, 0);
  return b;
}

/** Redis's LFUDecrAndReturn over Entry.lru's LFU layout: 16 bits of minutes, an 8-bit counter. */
export function lfuDecrAndReturn(lru: number, now: number, decayMinutes: number): number {
  const counter = lru & 255;
  const last = (lru >>> 8) & 65535;
  const nowMin = Math.floor(now / 60000) & 65535;
  const elapsed = nowMin >= last ? nowMin - last : 65535 - last + nowMin;
  const periods = decayMinutes > 0 ? Math.floor(elapsed / decayMinutes) : 0;
  return periods > counter ? 0 : counter - periods;
}

// -------------------------------------------------------------------------------------------------
// Streams (RDB_TYPE_STREAM_LISTPACKS_2, what Redis 7.0 writes; src/t_stream.c for the nodes)
//
// Entries live in listpack nodes keyed by their master ID (the first entry's ID, 16 bytes BE):
//   master entry: <count> <deleted> <number of master fields> <field>... <0>
//   each entry:   <flags> <ms - master ms> <seq - master seq>
//                 then, when its fields are the master fields (flag SAMEFIELDS = 2), the values,
//                 else <number of fields> <field> <value> ...
//                 and <lp-count: the number of listpack elements of the entry, before this one>
// A new node starts when the last one reached stream-node-max-bytes or -max-entries, as
// streamAppendItem decides. Then: length, last id (ms, seq), first id, max deleted id, entries
// added, and the consumer groups: name, last id, entries read, the PEL (16-byte raw id, delivery
// time u64 LE ms, delivery count), and the consumers (name, seen time u64 LE, their PEL ids).
// -------------------------------------------------------------------------------------------------

/** ms and seq of a 16-byte stream ID. */
export function idParts(id: StreamId): [bigint, bigint] {
  let ms = 0n;
  let seq = 0n;
  for (let i = 0; i < 8; i++) ms = (ms << 8n) | BigInt(id.charCodeAt(i));
  for (let i = 8; i < 16; i++) seq = (seq << 8n) | BigInt(id.charCodeAt(i));
  return [ms, seq];
}

function lenOf(v: bigint): number | bigint {
  return v <= 9007199254740991n ? Number(v) : v;
}

/** One node's listpack, tombstones included (the master entry counts live and deleted ones). */
function streamNodeListpack(n: StreamNodeData): Uint8Array {
  const [mms, mseq] = idParts(n.master);
  const body = new ListpackBuilder(4096);
  let live = 0;
  let dead = 0;
  const mf = n.masterFields;
  for (const e of n.entries) {
    const [ms, seq] = idParts(e.id);
    const nf = e.fields.length / 2;
    let same = nf === mf.length;
    for (let i = 0; same && i < nf; i++) if (e.fields[2 * i] !== mf[i]) same = false;
    body.addInt((same ? 2 : 0) | (e.deleted ? 1 : 0));
    body.addInt(lenOf2(BigInt.asIntN(64, ms - mms)));
    body.addInt(lenOf2(BigInt.asIntN(64, seq - mseq)));
    if (same) {
      for (let i = 0; i < nf; i++) body.add(e.fields[2 * i + 1]);
      body.addInt(nf + 3);
    } else {
      body.addInt(nf);
      for (const f of e.fields) body.add(f);
      body.addInt(2 * nf + 4);
    }
    if (e.deleted) dead++;
    else live++;
  }
  const out = new ListpackBuilder(body.size + 64);
  out.addInt(live);
  out.addInt(dead);
  out.addInt(mf.length);
  for (const f of mf) out.add(f);
  out.addInt(0);
  out.appendEntries(body);
  return out.finish();
}

function writeStreamBody(w: RdbWriter, d: StreamData, limits: Limits): void {
  if (d.nodes !== undefined) {
    // Redis never keeps a node without entries; skip any a source might hand over.
    const kept = d.nodes.filter((n) => n.entries.length > 0);
    w.len(kept.length);
    for (const n of kept) {
      w.bytesString(strBytes(n.master));
      w.bytesString(streamNodeListpack(n));
    }
    writeStreamMeta(w, d);
    return;
  }
  const maxBytes = limits.streamNodeMaxBytes === 0 || limits.streamNodeMaxBytes > 1 << 30
    ? 1 << 30 : limits.streamNodeMaxBytes;
  const maxEntries = limits.streamNodeMaxEntries;
  const nodes: { key: StreamId; lp: Uint8Array }[] = [];
  const head = new ListpackBuilder(256);
  const body = new ListpackBuilder(4096);
  let open = false;
  let masterFields: string[] = [];
  let master: [bigint, bigint] = [0n, 0n];
  let masterKey = '';
  let count = 0;
  const close = (): void => {
    if (!open) return;
    const out = new ListpackBuilder(head.size + body.size);
    out.addInt(count);
    out.addInt(0);
    out.appendEntries(head);
    out.appendEntries(body);
    nodes.push({ key: masterKey, lp: out.finish() });
    open = false;
  };
  for (const e of d.entries) {
    let fieldsLen = 0;
    for (const f of e.fields) fieldsLen += f.length;
    // streamAppendItem: a new node once this one's bytes plus the new fields reach
    // stream-node-max-bytes, or its entries reach stream-node-max-entries.
    if (open && (head.size + body.size + 4 + fieldsLen >= maxBytes || (maxEntries > 0 && count >= maxEntries))) close();
    const [ms, seq] = idParts(e.id);
    const nf = e.fields.length / 2;
    if (!open) {
      open = true;
      masterKey = e.id;
      master = [ms, seq];
      masterFields = [];
      for (let i = 0; i < e.fields.length; i += 2) masterFields.push(e.fields[i]);
      head.reset();
      body.reset();
      head.addInt(masterFields.length);
      for (const f of masterFields) head.add(f);
      head.addInt(0);
      count = 0;
    }
    let same = nf === masterFields.length;
    for (let i = 0; same && i < nf; i++) if (e.fields[2 * i] !== masterFields[i]) same = false;
    body.addInt(same ? 2 : 0);
    body.addInt(lenOf2(BigInt.asIntN(64, ms - master[0])));
    body.addInt(lenOf2(BigInt.asIntN(64, seq - master[1])));
    if (same) {
      for (let i = 0; i < nf; i++) body.add(e.fields[2 * i + 1]);
      body.addInt(nf + 3);
    } else {
      body.addInt(nf);
      for (const f of e.fields) body.add(f);
      body.addInt(2 * nf + 4);
    }
    count++;
  }
  close();
  w.len(nodes.length);
  for (const n of nodes) {
    w.bytesString(strBytes(n.key));
    w.bytesString(n.lp);
  }
  writeStreamMeta(w, d);
}

/** Length, ids, counters and consumer groups, after the nodes. */
function writeStreamMeta(w: RdbWriter, d: StreamData): void {
  w.len(d.length);
  const [lms, lseq] = idParts(d.lastId);
  w.len(lenOf(lms));
  w.len(lenOf(lseq));
  const [fms, fseq] = idParts(d.firstId);
  w.len(lenOf(fms));
  w.len(lenOf(fseq));
  const [dms, dseq] = idParts(d.maxDeletedId);
  w.len(lenOf(dms));
  w.len(lenOf(dseq));
  w.len(d.entriesAdded);
  w.len(d.groups.length);
  for (const g of d.groups) {
    w.string(g.name);
    const [gms, gseq] = idParts(g.lastId);
    w.len(lenOf(gms));
    w.len(lenOf(gseq));
    // SCG_INVALID_ENTRIES_READ is -1, written as an unsigned 64-bit length.
    w.len(typeof g.entriesRead === 'number' && g.entriesRead < 0 ? 0xffffffffffffffffn : g.entriesRead);
    w.len(g.pending.length);
    for (const p of g.pending) {
      w.raw(strBytes(p.id));
      w.u64le(p.deliveryTime);
      w.len(p.deliveryCount);
    }
    w.len(g.consumers.length);
    for (const c of g.consumers) {
      w.string(c.name);
      w.u64le(c.seenTime);
      w.len(c.pending.length);
      for (const id of c.pending) w.raw(strBytes(id));
    }
  }
}

/** A signed 64-bit difference as a listpack integer value. */
function lenOf2(v: bigint): number | bigint {
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}
