// =================================================================================================
// RDB reader: versions 1 to 12 (Redis 1.x to 7.4), every value type Redis 7.0 reads, and the
// 7.2/7.4 additions (listpack sets, stream consumers' active time); src/rdb.c rdbLoad* functions.
//
// The top level is a sequence of opcodes (see _encode.ts for the layout):
//   AUX, SELECTDB, RESIZEDB, EXPIRETIME_MS, EXPIRETIME (seconds, old files), IDLE, FREQ,
//   a value type byte (then key and value), EOF then the checksum (version >= 5).
// MODULE_AUX, FUNCTION2 / FUNCTION_PRE_GA and module value types stop loading with a message:
// echokv has no modules and no functions, and skipping them would lose data silently. So do
// SLOT_INFO (7.4 cluster) and the 7.4 hash types with field expiration.
//
// Value types read: 0 string, 1 list (linked), 2 set, 3 zset (string doubles), 4 hash,
// 5 zset (binary doubles), 9 zipmap hash, 10 ziplist list, 11 intset, 12 ziplist zset,
// 13 ziplist hash, 14 quicklist of ziplists, 15/19/21 stream (metadata v1/v2/v3),
// 16 listpack hash, 17 listpack zset, 18 quicklist of listpacks, 20 listpack set.
//
// Design: RdbReader pulls bytes from a ByteSource (a file read in 1 MB windows, or a buffer for
// DUMP payloads) and checks bounds everywhere: a truncated or corrupt input throws RdbError
// with what was wrong; it never reads past the end or allocates from an absurd length without
// the bytes being there. The checksum is computed over the bytes as they are consumed.
// =================================================================================================

import { bytesToStr, MAX_STRING_LENGTH } from '../../../core/bytes.ts';
import { MutableString, type Value } from '../../../core/keyspace.ts';
import { Crc64 } from './_crc64.ts';
import { RdbError, rdbEof } from './_errors.ts';
import { intsetDecode } from './_intset.ts';
import {
  canonicalInt, LP_BIG, LP_INT, lpDone, lpEntry, lpInt, lpKind, lpOpen, lpStart, lpEnd, lpString, lpText,
  listpackElements,
} from './_listpack.ts';
import { lzfDecompress } from './_lzf.ts';
import { exactNumbers, exactStrings, internStr, intStr } from './_strings.ts';
import { ziplistElements, zipmapPairs } from './_ziplist.ts';
import { TYPE } from './_encode.ts';
import {
  ADAPTERS, type Limits, type StreamConsumer, type StreamData, type StreamGroup, type StreamId,
  type StreamNodeData, type StreamPending,
} from './values.ts';

/** The highest RDB version we read (Redis 7.4). */
export const RDB_MAX_VERSION = 12;

/**
 * Where a reader gets bytes: read(into, at, n, position) fills into[at..] and returns a count.
 * `size`, when known, lets the reader refuse a length that runs past the end before it allocates
 * room for it (a corrupt length must not make it try to allocate gigabytes).
 */
export interface ByteSource {
  read(into: Uint8Array, at: number, n: number, position: number): number;
  size?: number;
}

/** A reader over a buffer (DUMP payloads, tests). */
export function bufferSource(b: Uint8Array): ByteSource {
  return {
    size: b.length,
    read(into, at, n, position) {
      const m = Math.max(0, Math.min(n, b.length - position));
      into.set(b.subarray(position, position + m), at);
      return m;
    },
  };
}

const WINDOW = 1 << 20;
const f64 = new Float64Array(1);
const f64b = new Uint8Array(f64.buffer);

export class RdbReader {
  private readonly src: ByteSource;
  private buf: Uint8Array;
  /** Valid bytes are buf[p, end); buf[0] is at file offset `base`. */
  private p = 0;
  private end = 0;
  private base = 0;
  private eofSource = false;
  /** Running checksum of consumed bytes, up to `crcAt` (file offset). */
  readonly crc = new Crc64();
  private crcAt = 0;
  /** Whether to checksum at all (off for DUMP payloads, which are checked as a whole). */
  checksum: boolean;
  /** Blobs that rdbLoadObject counts in stat_dump_payload_sanitizations when it checks them
   * deeply: each packed quicklist node, intset, set, zset or hash listpack, and stream node.
   * echokv always checks them so; the caller decides whether Redis would have counted. */
  sanitized = 0;

  constructor(src: ByteSource, checksum = true, window = WINDOW) {
    this.src = src;
    this.checksum = checksum;
    this.buf = new Uint8Array(window);
  }

  /** File offset of the next byte. */
  get offset(): number {
    return this.base + this.p;
  }

  /** Makes `n` bytes available at buf[p]; throws RdbError at a premature end. */
  need(n: number): void {
    if (this.end - this.p >= n) return;
    const size = this.src.size;
    if (size !== undefined && this.base + this.p + n > size) {
      throw rdbEof();
    }
    this.foldCrc();
    // Move what is left to the front (growing for large items) and read more.
    const left = this.end - this.p;
    let target = this.buf;
    if (n > this.buf.length) target = new Uint8Array(Math.max(n, this.buf.length * 2));
    if (target === this.buf) this.buf.copyWithin(0, this.p, this.end);
    else target.set(this.buf.subarray(this.p, this.end), 0);
    this.buf = target;
    this.base += this.p;
    this.crcAt = this.base;
    this.p = 0;
    this.end = left;
    while (this.end < n && !this.eofSource) {
      const got = this.src.read(this.buf, this.end, this.buf.length - this.end, this.base + this.end);
      if (got <= 0) this.eofSource = true;
      else this.end += got;
    }
    if (this.end < n) throw rdbEof();
  }

  /** Adds consumed bytes to the checksum. */
  private foldCrc(): void {
    if (!this.checksum) return;
    const from = this.crcAt - this.base;
    if (this.p > from) this.crc.update(this.buf, from, this.p);
    this.crcAt = this.base + this.p;
  }

  /** The checksum of every byte consumed so far. */
  crcNow(): Crc64 {
    this.foldCrc();
    return this.crc;
  }

  byte(): number {
    this.need(1);
    return this.buf[this.p++];
  }

  /** `n` bytes as a view, valid until the next read. */
  view(n: number): Uint8Array {
    this.need(n);
    const v = this.buf.subarray(this.p, this.p + n);
    this.p += n;
    return v;
  }

  /** `n` bytes, copied. */
  bytes(n: number): Uint8Array {
    return this.view(n).slice();
  }

  // The fixed-size reads index the window directly: a view per read would be an allocation
  // per key (expiry times, scores, integer strings), which loading a large file feels.

  u32le(): number {
    this.need(4);
    const b = this.buf;
    const p = this.p;
    this.p = p + 4;
    return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
  }

  /** A u64 little-endian as a number (millisecond times). */
  u64le(): number {
    this.need(8);
    const b = this.buf;
    const p = this.p;
    this.p = p + 8;
    const lo = (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
    const hi = (b[p + 4] | (b[p + 5] << 8) | (b[p + 6] << 16) | (b[p + 7] << 24));
    // Signed: Redis stores ms times as long long.
    return hi * 4294967296 + lo;
  }

  double(): number {
    this.need(8);
    const b = this.buf;
    const p = this.p;
    this.p = p + 8;
    for (let i = 0; i < 8; i++) f64b[i] = b[p + i];
    return f64[0];
  }

  /** Where LZF strings are decompressed (reused: callers use the bytes before the next read). */
  private scratch = new Uint8Array(4096);

  /** Set by lenOrEnc(): whether the header it read was a string encoding (11xxxxxx). */
  private encoded = false;

  /**
   * rdbLoadLenByRef: a length, or, for an encoded string header (11xxxxxx), its encoding type
   * with `encoded` set. 64-bit lengths beyond 2^53 come back exactly only through len64().
   */
  private lenOrEnc(): number {
    const b = this.byte();
    const t = b >>> 6;
    this.encoded = false;
    if (t === 0) return b & 0x3f;
    if (t === 1) return ((b & 0x3f) << 8) | this.byte();
    if (t === 3) {
      this.encoded = true;
      return b & 0x3f;
    }
    if (b === 0x80) return this.len32be();
    if (b === 0x81) {
      const v = this.view(8);
      let x = 0;
      for (let i = 0; i < 8; i++) x = x * 256 + v[i];
      return x;
    }
    throw new RdbError(`Unknown length encoding ${t} in rdbLoadLen()`);
  }

  /** A length (rdbLoadLen). Redis reads a string encoding header (11xxxxxx) here as the length
   * in its low 6 bits (rdbLoadLen passes no isencoded flag), so a payload with one loads. */
  len(): number {
    return this.lenOrEnc();
  }

  /** A 64-bit length exactly (stream ids, counters that may exceed 2^53). */
  len64(): bigint {
    const b = this.byte();
    const t = b >>> 6;
    if (t === 0) return BigInt(b & 0x3f);
    if (t === 1) return BigInt(((b & 0x3f) << 8) | this.byte());
    if (t === 3) return BigInt(b & 0x3f); // as len()
    if (b === 0x80) return BigInt(this.len32be());
    if (b === 0x81) {
      const v = this.view(8);
      let x = 0n;
      for (let i = 0; i < 8; i++) x = (x << 8n) | BigInt(v[i]);
      return x;
    }
    throw new RdbError(`Unknown length encoding ${t} in rdbLoadLen()`);
  }

  private len32be(): number {
    this.need(4);
    const v = this.buf;
    const p = this.p;
    this.p = p + 4;
    return ((v[p] << 24) | (v[p + 1] << 16) | (v[p + 2] << 8) | v[p + 3]) >>> 0;
  }

  /** A string (rdbGenericLoadStringObject) as a byte string. */
  string(): string {
    return this.stringVia(bytesToStr);
  }

  /**
   * A string value (RDB type STRING): string(), except that one longer than the longest JS
   * string (a value SETRANGE or APPEND grew to proto-max-bulk-len) stays bytes.
   */
  stringValue(): string | MutableString {
    const n = this.lenOrEnc();
    if (this.encoded) {
      if (n !== 3) return this.string2(n);
      const len = this.lzfInto();
      if (len <= MAX_STRING_LENGTH) return bytesToStr(this.scratch, 0, len);
      return new MutableString(this.scratch.slice(0, len), len);
    }
    this.need(n);
    const p = this.p;
    this.p += n;
    if (n <= MAX_STRING_LENGTH) return bytesToStr(this.buf, p, p + n);
    return new MutableString(this.buf.slice(p, p + n), n);
  }

  /** A collection's element: string() with short strings shared through internStr (fields and
   * members repeat from key to key; see _strings.ts). */
  element(): string {
    return this.stringVia(internStr);
  }

  /** A string whose plain (not LZF, not integer) bytes `make` turns into the byte string. */
  private stringVia(make: (b: Uint8Array, start: number, end: number) => string): string {
    const n = this.lenOrEnc();
    if (this.encoded) {
      if (n === 3) {
        // lzfInto() may replace scratch with a larger one: read it after.
        const len = this.lzfInto();
        return bytesToStr(this.scratch, 0, len);
      }
      return this.string2(n);
    }
    this.need(n);
    const p = this.p;
    this.p += n;
    return make(this.buf, p, p + n);
  }

  /** A string as bytes (blobs: listpacks, ziplists, intsets): a view valid until the next read
   * (or the next LZF string). */
  blob(): Uint8Array {
    const n = this.lenOrEnc();
    if (this.encoded) {
      let out: Uint8Array;
      if (n === 3) {
        out = this.lzf();
      } else {
        const s = this.string2(n);
        out = new Uint8Array(s.length);
        for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
      }
      this.blobSrc = out;
      this.blobStart = 0;
      this.blobEnd = out.length;
      return out;
    }
    const v = this.view(n);
    // Where the last blob lies, for a report on it (see passesShallowCheck).
    this.blobSrc = v;
    this.blobStart = 0;
    this.blobEnd = n;
    return v;
  }

  /** Drops the record of the last blob read: what fails next is not that blob's fault. */
  forgetBlob(): void {
    this.blobSrc = this.scratch;
    this.blobStart = this.blobEnd = 0;
  }

  /** Where blobRange() left the blob: blobSrc[blobStart, blobEnd), valid until the next read. */
  blobSrc: Uint8Array = this.scratch;
  blobStart = 0;
  blobEnd = 0;

  /** blob() without making a view: sets blobSrc, blobStart and blobEnd. */
  blobRange(): void {
    const n = this.lenOrEnc();
    if (this.encoded) {
      if (n === 3) {
        this.blobEnd = this.lzfInto();
        this.blobSrc = this.scratch;
      } else {
        const s = this.string2(n);
        const out = new Uint8Array(s.length);
        for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
        this.blobSrc = out;
        this.blobEnd = out.length;
      }
      this.blobStart = 0;
      return;
    }
    this.need(n);
    this.blobSrc = this.buf;
    this.blobStart = this.p;
    this.p += n;
    this.blobEnd = this.p;
  }

  /** An integer-encoded string (RDB_ENC_INT8/16/32) as its decimal text. */
  private string2(enc: number): string {
    switch (enc) {
      case 0: {
        const v = this.byte();
        return intStr(v >= 128 ? v - 256 : v);
      }
      case 1: {
        this.need(2);
        const p = this.p;
        this.p = p + 2;
        const v = this.buf[p] | (this.buf[p + 1] << 8);
        return intStr(v >= 32768 ? v - 65536 : v);
      }
      case 2:
        return intStr(this.u32le() | 0);
      default: throw new RdbError(`Unknown RDB string encoding type ${enc}`);
    }
  }

  /** rdbLoadLzfStringObject: compressed length, original length, data. */
  private lzf(): Uint8Array {
    const len = this.lzfInto();
    return this.scratch.subarray(0, len);
  }

  /** lzf() into scratch[0, returned length), without a view of either side. */
  private lzfInto(): number {
    const clen = this.len();
    const len = this.len();
    this.need(clen);
    const at = this.p;
    this.p = at + clen;
    // lzf_decompress into 0 bytes fails at once and returns 0, the length expected: Redis takes
    // any data claiming an original length of 0 as the empty string.
    if (len === 0) return 0;
    // An LZF back-reference of 3 bytes yields at most 264: a larger claim is corrupt data, not
    // something to allocate.
    if (len > clen * 90 + 64) throw new RdbError('Invalid LZF compressed string');
    // Into a reused buffer: callers turn it into a string or decode it before the next read.
    if (this.scratch.length < len) this.scratch = new Uint8Array(Math.max(len, this.scratch.length * 2));
    if (lzfDecompress(this.buf, at, at + clen, this.scratch, len) !== len) throw new RdbError('Invalid LZF compressed string');
    return len;
  }

  /** An old-style string double (rdbLoadDoubleValue): 253 nan, 254 inf, 255 -inf, else text. */
  stringDouble(): number {
    const n = this.byte();
    if (n === 253) return NaN;
    if (n === 254) return Infinity;
    if (n === 255) return -Infinity;
    // sscanf("%lg"): the number at the start, after blanks; none is an error.
    const v = strtodPrefix(bytesToStr(this.view(n)));
    if (v === null) throw new RdbError('Invalid double value');
    return v;
  }
}

/** Thrown by readValue for a collection with no elements: Redis skips such keys, with a log. */
export const EMPTY_KEY: unique symbol = Symbol('empty key');

/** Stream IDs: 16-byte BE byte strings from ms and seq. */
export function makeId(ms: bigint, seq: bigint): StreamId {
  let s = '';
  for (let i = 7; i >= 0; i--) s += String.fromCharCode(Number((ms >> BigInt(8 * i)) & 0xffn));
  for (let i = 7; i >= 0; i--) s += String.fromCharCode(Number((seq >> BigInt(8 * i)) & 0xffn));
  return s;
}

/** Type names for messages. */
export function typeName(t: number): string {
  for (const [k, v] of Object.entries(TYPE)) if (v === t) return k;
  return String(t);
}

function needAdapter<K extends 'list' | 'set' | 'hash' | 'zset' | 'stream'>(kind: K, t: number): NonNullable<typeof ADAPTERS[K]> {
  const a = ADAPTERS[kind];
  if (a === undefined) {
    throw new RdbError(`Cannot load a ${kind} (RDB type ${t}, ${typeName(t)}): echokv has no ${kind} values yet`);
  }
  return a as NonNullable<typeof ADAPTERS[K]>;
}

/**
 * rdbLoadObject: reads the value of RDB type `t` and returns it, built by the type's adapter
 * with `limits` choosing its encoding. Returns EMPTY_KEY for an empty collection (the caller
 * skips the key, as Redis does). Throws RdbError on damage or an unsupported type.
 */
export function readValue(r: RdbReader, t: number, limits: Limits): Value | typeof EMPTY_KEY {
  r.forgetBlob();
  try {
    return readValueOf(r, t, limits);
  } catch (e) {
    throw e instanceof RdbError ? namedForType(e, t) : e;
  }
}

/**
 * What Redis's rdbLoadObject calls the blob of each packed type when its check fails ("Zset
 * ziplist integrity check failed."): the decoders of listpacks and ziplists know only the
 * format, and tools (Redis's corrupt-dump tests) look for the type's name in the log. A
 * quicklist's nodes keep the format's own name, as in Redis.
 */
const BLOB_NAMES: Record<number, string> = {
  [TYPE.LIST_ZIPLIST]: 'List ziplist',
  [TYPE.SET_INTSET]: 'Intset',
  [TYPE.SET_LISTPACK]: 'Set listpack',
  [TYPE.ZSET_ZIPLIST]: 'Zset ziplist',
  [TYPE.ZSET_LISTPACK]: 'Zset listpack',
  [TYPE.HASH_ZIPMAP]: 'Zipmap',
  [TYPE.HASH_ZIPLIST]: 'Hash ziplist',
  [TYPE.HASH_LISTPACK]: 'Hash listpack',
  [TYPE.STREAM_LISTPACKS]: 'Stream listpack',
  [TYPE.STREAM_LISTPACKS_2]: 'Stream listpack',
  [TYPE.STREAM_LISTPACKS_3]: 'Stream listpack',
};

/** A failed check is said in Redis's words: the blob's name and no more (what the decoder
 * found, which it adds in parentheses, Redis does not say either). */
function namedForType(e: RdbError, t: number): RdbError {
  const m = /^([A-Za-z ]+) integrity check failed/.exec(e.message);
  if (m === null) return e;
  return new RdbError(`${BLOB_NAMES[t] ?? m[1]} integrity check failed.`);
}

function readValueOf(r: RdbReader, t: number, limits: Limits): Value | typeof EMPTY_KEY {
  switch (t) {
    case TYPE.STRING:
      return r.stringValue();
    case TYPE.LIST: {
      const n = r.len();
      if (n === 0) return EMPTY_KEY;
      const a = needAdapter('list', t);
      const els: string[] = [];
      for (let i = 0; i < n; i++) els.push(r.string());
      return a.build(els, limits);
    }
    case TYPE.LIST_ZIPLIST: {
      const a = needAdapter('list', t);
      const els = ziplistElements(r.blob());
      if (els.length === 0) return EMPTY_KEY;
      return a.build(els, limits);
    }
    case TYPE.LIST_QUICKLIST:
    case TYPE.LIST_QUICKLIST_2: {
      const nodes = r.len();
      if (nodes === 0) return EMPTY_KEY;
      const a = needAdapter('list', t);
      let els: string[] = [];
      for (let i = 0; i < nodes; i++) {
        let container = 2;
        if (t === TYPE.LIST_QUICKLIST_2) {
          r.forgetBlob();
          container = r.len();
          if (container !== 1 && container !== 2) throw new RdbError(`Quicklist integrity check failed (container ${container})`);
        }
        if (container === 1) {
          // An empty node is refused, plain or packed, as rdbLoadObject refuses encoded_len 0:
          // through its path for a read that failed (the log says "Short read").
          const plain = r.string();
          if (plain.length === 0) throw rdbEof();
          els.push(plain);
          continue;
        }
        let part: string[];
        if (t === TYPE.LIST_QUICKLIST) {
          const zl = r.blob();
          if (zl.length === 0) throw rdbEof();
          part = ziplistElements(zl);
        } else {
          r.blobRange();
          if (r.blobEnd === r.blobStart) throw rdbEof();
          r.sanitized++;
          // Most lists are one listpack: built straight from its bytes when the type can.
          if (nodes === 1 && a.fromListpack !== undefined) {
            const v = a.fromListpack(r.blobSrc, r.blobStart, r.blobEnd);
            if (v !== null) return v;
          }
          part = listpackElements(r.blobSrc, r.blobStart, r.blobEnd);
        }
        // Redis skips empty nodes silently and fails later if the whole list is empty. Most
        // lists are one node: its array is taken as is.
        if (nodes === 1) els = part;
        else for (const e of part) els.push(e);
      }
      if (els.length === 0) return EMPTY_KEY;
      return a.build(els, limits);
    }
    case TYPE.SET: {
      const n = r.len();
      if (n === 0) return EMPTY_KEY;
      const a = needAdapter('set', t);
      const seen = new Set<string>();
      for (let i = 0; i < n; i++) {
        const m = r.element();
        if (seen.has(m)) throw new RdbError('Duplicate set members detected');
        seen.add(m);
      }
      return a.build([...seen], limits, false);
    }
    case TYPE.SET_INTSET: {
      const a = needAdapter('set', t);
      r.blobRange();
      r.sanitized++;
      const members = intsetDecode(r.blobSrc, r.blobStart, r.blobEnd);
      if (members.length === 0) return EMPTY_KEY;
      return a.build(members, limits, true);
    }
    case TYPE.SET_LISTPACK: {
      const a = needAdapter('set', t);
      r.blobRange();
      r.sanitized++;
      const members = listpackElements(r.blobSrc, r.blobStart, r.blobEnd);
      if (members.length === 0) return EMPTY_KEY;
      if (hasDuplicate(members, 1)) throw new RdbError('Set listpack integrity check failed (duplicate members)');
      // Not an intset: converted by the rules of a plain set (7.0 has no listpack sets).
      return a.build(members, limits, false);
    }
    case TYPE.ZSET:
    case TYPE.ZSET_2: {
      const n = r.len();
      if (n === 0) return EMPTY_KEY;
      const a = needAdapter('zset', t);
      const members: string[] = [];
      const scores: number[] = [];
      const seen = new Set<string>();
      for (let i = 0; i < n; i++) {
        const m = r.element();
        const s = t === TYPE.ZSET_2 ? r.double() : r.stringDouble();
        if (Number.isNaN(s)) throw new RdbError('Zset with NAN score detected');
        if (seen.has(m)) throw new RdbError('Duplicate zset fields detected');
        seen.add(m);
        members.push(m);
        scores.push(s);
      }
      return a.build(members, scores, limits, false);
    }
    case TYPE.ZSET_ZIPLIST:
    case TYPE.ZSET_LISTPACK: {
      const a = needAdapter('zset', t);
      if (t === TYPE.ZSET_LISTPACK) {
        r.blobRange();
        r.sanitized++;
        const z = zsetListpack(r.blobSrc, r.blobStart, r.blobEnd);
        if (z === 0) return EMPTY_KEY;
        const members = exactStrings(zMembers, z);
        const scores = exactNumbers(zScores, z);
        // Up to 64 leftover members stay until the next value or forgetDecoderScratch().
        if (z > 64) {
          zMembers.length = 0;
          zScores.length = 0;
        }
        if (hasDuplicate(members, 1)) throw new RdbError('Zset listpack integrity check failed (duplicate members)');
        return a.build(members, scores, limits, true);
      }
      const els = ziplistElements(r.blob());
      if (els.length === 0) return EMPTY_KEY;
      if (els.length % 2 !== 0) throw new RdbError('Zset listpack integrity check failed (odd element count)');
      const n = els.length / 2;
      const members: string[] = new Array(n);
      const scores: number[] = new Array(n);
      for (let i = 0; i < n; i++) {
        members[i] = els[2 * i];
        scores[i] = parseScore(els[2 * i + 1]);
      }
      if (hasDuplicate(members, 1)) throw new RdbError('Zset listpack integrity check failed (duplicate members)');
      return a.build(members, scores, limits, true);
    }
    case TYPE.HASH: {
      const n = r.len();
      if (n === 0) return EMPTY_KEY;
      const a = needAdapter('hash', t);
      const pairs: string[] = [];
      const seen = new Set<string>();
      for (let i = 0; i < n; i++) {
        const f = r.element();
        const v = r.element();
        if (seen.has(f)) throw new RdbError('Duplicate hash fields detected');
        seen.add(f);
        pairs.push(f, v);
      }
      return a.build(pairs, limits, false);
    }
    case TYPE.HASH_ZIPMAP:
    case TYPE.HASH_ZIPLIST:
    case TYPE.HASH_LISTPACK: {
      const a = needAdapter('hash', t);
      let pairs: string[];
      if (t === TYPE.HASH_LISTPACK) {
        r.blobRange();
        r.sanitized++;
        pairs = listpackExact(r.blobSrc, r.blobStart, r.blobEnd);
      } else {
        const blob = r.blob();
        // (A ziplist's elements come pushed: copied to their exact length, as compact requires.)
        pairs = t === TYPE.HASH_ZIPMAP ? zipmapPairs(blob) : ziplistElements(blob).slice();
      }
      if (pairs.length === 0) return EMPTY_KEY;
      if (pairs.length % 2 !== 0) throw new RdbError('Hash listpack integrity check failed (odd element count)');
      if (hasDuplicate(pairs, 2)) throw new RdbError('Hash listpack integrity check failed (duplicate fields)');
      // Redis converts a zipmap by its longest string too, the listpack forms by count only.
      return a.build(pairs, limits, t !== TYPE.HASH_ZIPMAP);
    }
    case TYPE.STREAM_LISTPACKS:
    case TYPE.STREAM_LISTPACKS_2:
    case TYPE.STREAM_LISTPACKS_3: {
      const a = needAdapter('stream', t);
      return a.build(readStream(r, t), limits);
    }
    case TYPE.MODULE_PRE_GA:
    case TYPE.MODULE_2: {
      const id = r.len64();
      throw new RdbError(`The RDB file contains module data (module type id ${moduleName(id)}), and echokv does not support modules`);
    }
    case TYPE.HASH_METADATA_PRE_GA:
    case TYPE.HASH_LISTPACK_EX_PRE_GA:
    case TYPE.HASH_METADATA:
    case TYPE.HASH_LISTPACK_EX:
      throw new RdbError(`The RDB file contains a hash with field expiration (RDB type ${t}, ${typeName(t)}, Redis 7.4), which echokv does not support`);
    default:
      throw new RdbError(`Unknown RDB encoding type ${t}`);
  }
}

/** The 9-character name Redis encodes in a module type id (10 bits of version below it). */
function moduleName(id: bigint): string {
  const charset = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let name = '';
  let x = id >> 10n;
  for (let i = 0; i < 9; i++) {
    name = charset[Number(x & 63n)] + name;
    x >>= 6n;
  }
  return `${name}, version ${Number(id & 1023n)}`;
}

/** Whether `items` (every `step`-th one, from 0) holds a value twice; small lists without a Set. */
function hasDuplicate(items: readonly string[], step: number): boolean {
  const n = items.length;
  if (n <= 16 * step) {
    for (let i = 0; i < n; i += step) for (let j = i + step; j < n; j += step) if (items[i] === items[j]) return true;
    return false;
  }
  const seen = new Set<string>();
  for (let i = 0; i < n; i += step) {
    if (seen.has(items[i])) return true;
    seen.add(items[i]);
  }
  return false;
}

// Where zsetListpack() and listpackExact() collect elements before copying out arrays of the
// exact size (an array grown by pushes keeps spare room, and a copy to trim it is garbage).
const zMembers: string[] = [];
const zScores: number[] = [];
const lpItems: string[] = [];

/** Empties the collecting arrays (a load is over: nothing should keep its strings alive). */
export function forgetDecoderScratch(): void {
  zMembers.length = 0;
  zScores.length = 0;
  lpItems.length = 0;
}

/** The elements of the listpack at lp[from, to) (validated as listpackElements does) in an
 * array of their exact number. */
function listpackExact(lp: Uint8Array, from: number, to: number): string[] {
  let p = lpOpen(lp, from, to);
  const end = to - 1;
  let n = 0;
  while (p < end) {
    p = lpEntry(lp, p, end);
    lpItems[n++] = lpString(lp);
  }
  lpDone(lp, from, to, p, n);
  const out = exactStrings(lpItems, n);
  // Up to 64 leftover strings stay until the next value or forgetDecoderScratch(); no more.
  if (n > 64) lpItems.length = 0;
  return out;
}

/**
 * A listpack sorted set at lp[from, to): its members into zMembers and scores into zScores
 * (indexes 0 up to the returned count). Scores stored as integers are taken as numbers and the
 * others parsed from their bytes: no string per score. Validates as listpackElements does.
 */
function zsetListpack(lp: Uint8Array, from: number, to: number): number {
  let p = lpOpen(lp, from, to);
  const end = to - 1;
  let n = 0;
  let count = 0;
  while (p < end) {
    p = lpEntry(lp, p, end);
    zMembers[n] = lpString(lp);
    count++;
    if (p >= end) {
      // Damage to the structure is reported first, as when the elements are read as a whole.
      lpDone(lp, from, to, p, count);
      throw new RdbError('Zset listpack integrity check failed (odd element count)');
    }
    p = lpEntry(lp, p, end);
    count++;
    let score: number;
    if (lpKind === LP_INT) score = lpInt;
    else if (lpKind === LP_BIG) score = Number(lpText);
    else {
      score = plainDecimalBytes(lp, lpStart, lpEnd);
      if (score !== score) score = parseScore(bytesToStr(lp, lpStart, lpEnd));
    }
    zScores[n++] = score;
  }
  lpDone(lp, from, to, p, count);
  return n;
}

/** plainDecimal() over bytes b[start, end). */
function plainDecimalBytes(b: Uint8Array, start: number, end: number): number {
  let i = start;
  let neg = false;
  if (i < end && b[i] === 45) {
    neg = true;
    i++;
  }
  let m = 0;
  let digits = 0;
  let frac = -1;
  for (; i < end; i++) {
    const c = b[i];
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
      if (frac >= 0) frac++;
    } else if (c === 46 && frac < 0) {
      frac = 0;
    } else {
      return NaN;
    }
  }
  if (digits === 0 || digits > 15 || frac <= 0) return NaN;
  const v = m / POW10[frac];
  return neg ? -v : v;
}

/**
 * A score stored as text in a listpack or ziplist zset, as zzlGetScore reads it: strtod over its
 * first 127 bytes, which takes the longest number at the start and 0 when there is none (Redis
 * does not check these texts). Only a NaN is refused: echokv's sorted sets cannot hold one.
 */
function parseScore(s: string): number {
  const v = canonicalInt(s);
  if (v !== null) return Number(v);
  const f = plainDecimal(s);
  if (f === f) return f;
  const d = strtodPrefix(s.length > 127 ? s.slice(0, 127) : s) ?? 0;
  if (Number.isNaN(d)) throw new RdbError('Zset listpack integrity check failed (NaN score)');
  return d;
}

/** The number strtod reads at the start of `s` (NaN for "nan"), or null when there is none. */
function strtodPrefix(s: string): number | null {
  const m = STRTOD_PREFIX.exec(s);
  if (m === null) return null;
  let d: number;
  if (m[6] !== undefined) return NaN;
  if (m[5] !== undefined) d = Infinity;
  else if (m[4] !== undefined) d = Number(m[4]);
  else {
    const [int, frac = ''] = m[2].split('.');
    d = Number(BigInt('0x0' + int + frac)) * 2 ** (Number(m[3] ?? 0) - 4 * frac.length);
  }
  return m[1] === '-' ? -d : d;
}

/** strtod's longest prefix: blanks, sign, then a hex float (mantissa, binary exponent), a decimal,
 * inf or infinity, or nan. */
const STRTOD_PREFIX =
  /^[ \t\n\v\f\r]*([+-]?)(?:0x([0-9a-f]+\.?[0-9a-f]*|\.[0-9a-f]+)(?:p([+-]?\d+))?|((?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)|(inf(?:inity)?)|(nan))/i;

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * `s` when it is [-]digits.digits with at most 15 digits in all, else NaN. Number(s) goes
 * through the runtime's general string-to-double conversion, which costs more than the rest of
 * a small sorted set's decoding; this form is exact without it (Clinger's fast path): the digits
 * make an integer below 2^53, 10^k is exact for k <= 22, and one IEEE division rounds correctly,
 * so the result is the double Number(s) and strtod give.
 */
function plainDecimal(s: string): number {
  // Longer text has more than 15 digits, which the fast path refuses anyway.
  const n = s.length;
  if (n > DECIMAL_SCRATCH.length) return NaN;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 255) return NaN;
    DECIMAL_SCRATCH[i] = c;
  }
  return plainDecimalBytes(DECIMAL_SCRATCH, 0, n);
}

/** '-', 15 digits and '.': the longest text plainDecimal accepts. */
const DECIMAL_SCRATCH = new Uint8Array(17);

// -------------------------------------------------------------------------------------------------
// Streams: nodes, then metadata, then consumer groups (see _encode.ts for the node layout)

/**
 * Whether the packed blob of a value of type `t` at b[from, to) passes the check Redis makes of
 * it when it does not sanitize payloads (sanitize-dump-payload no): its header and end only
 * (lpValidateIntegrity, intsetValidateIntegrity with deep = 0). Damage deeper in such a blob
 * Redis finds only through the file's checksum. False for types whose blobs Redis always checks
 * whole (ziplists and zipmaps, which it converts as it loads), for types without such a blob,
 * and when the last failure was not the blob's (see forgetBlob).
 */
export function passesShallowCheck(t: number, b: Uint8Array, from: number, to: number): boolean {
  const size = to - from;
  const u32 = (at: number): number => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
  switch (t) {
    case TYPE.HASH_LISTPACK: case TYPE.ZSET_LISTPACK: case TYPE.SET_LISTPACK: case TYPE.LIST_QUICKLIST_2:
    case TYPE.STREAM_LISTPACKS: case TYPE.STREAM_LISTPACKS_2: case TYPE.STREAM_LISTPACKS_3:
      return size >= 7 && u32(from) === size && b[to - 1] === 0xff;
    case TYPE.SET_INTSET: {
      if (size < 8) return false;
      const width = u32(from);
      const n = u32(from + 4);
      return (width === 2 || width === 4 || width === 8) && n !== 0 && 8 + n * width === size;
    }
    default:
      return false;
  }
}

/**
 * What a stream's loader was reading, in the words Redis's rdbLoadObject reports a read failure
 * there with (rdbReportReadError): a stream cut short is reported by the step it was cut at.
 */
let streamStep = '';

function readStream(r: RdbReader, t: number): StreamData {
  try {
    return readStreamSteps(r, t);
  } catch (e) {
    if (e instanceof RdbError && e.eof) throw new RdbError(streamStep);
    throw e;
  }
}

function readStreamSteps(r: RdbReader, t: number): StreamData {
  const entries: { id: StreamId; fields: string[] }[] = [];
  const nodeList: StreamNodeData[] = [];
  streamStep = 'Stream listpacks len loading failed.';
  const nodes = r.len();
  let prevKey = '';
  for (let n = 0; n < nodes; n++) {
    streamStep = 'Stream master ID loading failed: invalid encoding or I/O error.';
    const key = r.string();
    if (key.length !== 16) throw new RdbError('Stream node key entry is not the size of a stream ID');
    if (key <= prevKey && n > 0) throw new RdbError('Stream node keys are not ascending');
    prevKey = key;
    streamStep = 'Stream listpacks loading failed.';
    const blob = r.blob();
    r.sanitized++;
    // streamValidateListpackIntegrity checks the header's size, not its element count.
    const els = listpackElements(blob, 0, blob.length, false);
    if (els.length === 0) throw new RdbError('Empty listpack inside stream');
    const node = decodeStreamNode(key, els, entries);
    node.bytes = blob.length;
    nodeList.push(node);
  }
  streamStep = 'Stream object metadata loading failed.';
  const length = r.len();
  const lastId = makeId(r.len64(), r.len64());
  let firstId: StreamId;
  let maxDeletedId: StreamId;
  let entriesAdded: number | bigint;
  if (t >= TYPE.STREAM_LISTPACKS_2) {
    firstId = makeId(r.len64(), r.len64());
    maxDeletedId = makeId(r.len64(), r.len64());
    const ea = r.len64();
    entriesAdded = ea <= 9007199254740991n ? Number(ea) : ea;
  } else {
    // Version 1: what Redis 7.0 computes for old streams.
    firstId = entries.length > 0 ? entries[0].id : makeId(0n, 0n);
    maxDeletedId = makeId(0n, 0n);
    entriesAdded = length;
  }
  if (length !== entries.length) throw new RdbError(`Stream length ${length} does not match its ${entries.length} entries`);
  const groups: StreamGroup[] = [];
  streamStep = 'Stream cgroup count loading failed.';
  const ngroups = r.len();
  for (let g = 0; g < ngroups; g++) {
    streamStep = 'Error reading the consumer group name from Stream';
    const name = r.string();
    streamStep = 'Stream cgroup ID loading failed.';
    const glast = makeId(r.len64(), r.len64());
    let entriesRead: number | bigint;
    if (t >= TYPE.STREAM_LISTPACKS_2) {
      streamStep = 'Stream cgroup offset loading failed.';
      const er = r.len64();
      entriesRead = er === 0xffffffffffffffffn ? -1 : er <= 9007199254740991n ? Number(er) : er;
    } else {
      entriesRead = estimateEntriesRead(glast, length, lastId, firstId, maxDeletedId, entriesAdded);
    }
    const pel: StreamPending[] = [];
    const pelIndex = new Map<string, StreamPending>();
    streamStep = 'Stream PEL size loading failed.';
    const npel = r.len();
    for (let i = 0; i < npel; i++) {
      streamStep = 'Stream PEL ID loading failed.';
      const id = bytesToStr(r.view(16));
      streamStep = 'Stream PEL NACK loading failed.';
      const deliveryTime = r.u64le();
      const dc = r.len64();
      const deliveryCount = dc <= 9007199254740991n ? Number(dc) : dc;
      if (pelIndex.has(id)) throw new RdbError('Duplicated global PEL entry loading stream consumer group');
      const p = { id, deliveryTime, deliveryCount };
      pelIndex.set(id, p);
      pel.push(p);
    }
    const consumers: StreamConsumer[] = [];
    streamStep = 'Stream consumers num loading failed.';
    const nconsumers = r.len();
    const owned = new Set<string>();
    const names = new Set<string>();
    for (let i = 0; i < nconsumers; i++) {
      streamStep = 'Error reading the consumer name from Stream group.';
      const cname = r.string();
      if (names.has(cname)) throw new RdbError('Duplicate stream consumer detected.');
      names.add(cname);
      streamStep = 'Stream short read reading seen time.';
      const seenTime = r.u64le();
      const activeTime = t >= TYPE.STREAM_LISTPACKS_3 ? r.u64le() : -1;
      streamStep = 'Stream consumer PEL num loading failed.';
      const npending = r.len();
      const pending: StreamId[] = [];
      for (let j = 0; j < npending; j++) {
        streamStep = 'Stream short read reading PEL streamID.';
        const id = bytesToStr(r.view(16));
        if (!pelIndex.has(id)) throw new RdbError('Consumer entry not found in group global PEL');
        if (owned.has(id)) throw new RdbError('Duplicated consumer PEL entry loading a stream consumer group');
        owned.add(id);
        pending.push(id);
      }
      consumers.push({ name: cname, seenTime, activeTime, pending });
    }
    if (owned.size !== pel.length) throw new RdbError('Stream consumer group PEL entries without a consumer');
    groups.push({ name, lastId: glast, entriesRead, pending: pel, consumers });
  }
  return { entries, nodes: nodeList, length, lastId, firstId, maxDeletedId, entriesAdded, groups };
}

/**
 * streamEstimateDistanceFromFirstEverEntry: the entries-read counter Redis 7.0 gives a group
 * loaded from a version 1 stream, which has none; -1 when it cannot be known.
 */
function estimateEntriesRead(id: StreamId, length: number, lastId: StreamId, firstId: StreamId,
  maxDeletedId: StreamId, entriesAdded: number | bigint): number | bigint {
  const added = BigInt(entriesAdded);
  const out = (v: bigint): number | bigint => (v <= 9007199254740991n ? Number(v) : v);
  if (added === 0n) return 0;
  if (length === 0 && id <= lastId) return out(added);
  if (id === lastId) return out(added);
  if (id > lastId) return -1;
  const zero = makeId(0n, 0n);
  if (maxDeletedId === zero || maxDeletedId < firstId) {
    if (id < firstId) return out(added - BigInt(length));
    if (id === firstId) return out(added - BigInt(length) + 1n);
  }
  return -1;
}

/** Appends the live entries of one stream node (its listpack elements) to `out`; returns the
 * node with every entry, tombstones included. */
function decodeStreamNode(key: StreamId, els: string[], out: { id: StreamId; fields: string[] }[]): StreamNodeData {
  let k = 0;
  const int = (): bigint => {
    if (k >= els.length) throw new RdbError('Stream listpack integrity check failed (entry past the end)');
    const v = canonicalInt(els[k++]);
    if (v === null) throw new RdbError('Stream listpack integrity check failed (integer expected)');
    return BigInt(v);
  };
  const str = (): string => {
    if (k >= els.length) throw new RdbError('Stream listpack integrity check failed (entry past the end)');
    return els[k++];
  };
  const [mms, mseq] = idOf(key);
  const count = Number(int());
  const deleted = Number(int());
  const nmaster = Number(int());
  const masterFields: string[] = [];
  for (let i = 0; i < nmaster; i++) masterFields.push(str());
  if (int() !== 0n) throw new RdbError('Stream listpack integrity check failed (master entry terminator)');
  const node: StreamNodeData = { master: key, masterFields, entries: [] };
  let live = 0;
  let dead = 0;
  while (k < els.length) {
    const flags = Number(int());
    // The differences are signed 64-bit; the sums wrap as Redis's uint64 arithmetic does.
    const ms = BigInt.asUintN(64, mms + int());
    const seq = BigInt.asUintN(64, mseq + int());
    const fields: string[] = [];
    if (flags & 2) {
      for (let i = 0; i < nmaster; i++) fields.push(masterFields[i], str());
    } else {
      const nf = Number(int());
      if (nf < 0 || nf > els.length) throw new RdbError('Stream listpack integrity check failed (field count)');
      for (let i = 0; i < nf; i++) fields.push(str(), str());
    }
    const lpCount = Number(int());
    const expect = flags & 2 ? nmaster + 3 : fields.length + 4;
    if (lpCount !== expect) throw new RdbError('Stream listpack integrity check failed (lp-count)');
    const id = makeId(ms, seq);
    const prev = node.entries.length > 0 ? node.entries[node.entries.length - 1].id : out.length > 0 ? out[out.length - 1].id : '';
    if (id < key || (prev !== '' && id <= prev)) throw new RdbError('Stream listpack integrity check failed (IDs not ascending)');
    node.entries.push({ id, deleted: (flags & 1) !== 0, fields });
    if (flags & 1) {
      dead++;
      continue;
    }
    live++;
    out.push({ id, fields });
  }
  if (live !== count || dead !== deleted) throw new RdbError('Stream listpack integrity check failed (entry counts)');
  return node;
}

function idOf(id: StreamId): [bigint, bigint] {
  let ms = 0n;
  let seq = 0n;
  for (let i = 0; i < 8; i++) ms = (ms << 8n) | BigInt(id.charCodeAt(i));
  for (let i = 8; i < 16; i++) seq = (seq << 8n) | BigInt(id.charCodeAt(i));
  return [ms, seq];
}

