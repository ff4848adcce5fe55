// Bitmap commands: https://redis.io/commands/?group=bitmap
//
// Bitmaps are string values; bit 0 is the most significant bit of the first byte. Behaviour
// follows Redis 7.0's src/bitops.c, including its quirks: BITCOUNT and BITPOS look the key up
// before parsing their range (a missing key answers 0 / -1 whatever the arguments), writes that
// change nothing are not propagated, and BITFIELD's overflow checks are done in wrapping 64-bit
// arithmetic exactly as the C code does them (BigInt.asIntN/asUintN below).
import type { CommandSpec, KeySpecFlag } from '../command.ts';
import type { Client } from '../client.ts';
import { ERR } from '../errors.ts';
import { isString, type MutableString, stringLength } from '../keyspace.ts';
import { parseInt64, parseInteger } from '../numbers.ts';
import { mutableValue, setValue, startAfterEnd, token, valueBytes, zeroString } from './string.ts';
import { cstr } from '../bytes.ts';

export const commands: CommandSpec[] = [
  {
    name: 'setbit', arity: 4, flags: ['write', 'denyoom'], categories: ['bitmap'], keys: [1, 1, 1],
    keyFlags: ['RW', 'ACCESS', 'UPDATE'],
    summary: 'Sets or clears the bit at offset in the string value stored at key', since: '2.2.0',
    group: 'bitmap', complexity: 'O(1)', args: 'key offset value:integer', handler: setbit,
  },
  {
    name: 'getbit', arity: 3, flags: ['readonly', 'fast'], categories: ['bitmap'], keys: [1, 1, 1],
    keyFlags: ['RO', 'ACCESS'],
    summary: 'Returns the bit value at offset in the string value stored at key', since: '2.2.0',
    group: 'bitmap', complexity: 'O(1)', args: 'key offset', handler: getbit,
  },
  {
    name: 'bitcount', arity: -2, flags: ['readonly'], categories: ['bitmap'], keys: [1, 1, 1],
    history: [['7.0.0', 'Added the `BYTE|BIT` option.']],
    keyFlags: ['RO', 'ACCESS'],
    summary: 'Count set bits in a string', since: '2.6.0', group: 'bitmap', complexity: 'O(N)',
    args: 'key index=[start end index_unit=[BYTE | BIT]@7.0.0]', handler: bitcount,
  },
  {
    name: 'bitpos', arity: -3, flags: ['readonly'], categories: ['bitmap'], keys: [1, 1, 1],
    history: [['7.0.0', 'Added the `BYTE|BIT` option.']],
    keyFlags: ['RO', 'ACCESS'],
    summary: 'Find first bit set or clear in a string', since: '2.8.7', group: 'bitmap',
    complexity: 'O(N)', args: 'key bit index=[start end_index=[end index_unit=[BYTE | BIT]@7.0.0]]', handler: bitpos,
  },
  {
    name: 'bitop', arity: -4, flags: ['write', 'denyoom'], categories: ['bitmap'], keys: [2, -1, 1],
    keySpecs: [
      { flags: ['OW', 'UPDATE'], begin: 2, find: { range: [0, 1, 0] } },
      { flags: ['RO', 'ACCESS'], begin: 3, find: { range: [-1, 1, 0] } },
    ],
    summary: 'Perform bitwise operations between strings', since: '2.6.0', group: 'bitmap',
    complexity: 'O(N)', args: 'operation destkey key [key ...]', handler: bitop,
  },
  {
    name: 'bitfield', arity: -2, flags: ['write', 'denyoom'], categories: ['bitmap'], keys: [1, 1, 1],
    keySpecs: [{
      notes: 'This command allows both access and modification of the key',
      flags: ['RW', 'ACCESS', 'UPDATE', 'VARIABLE_FLAGS'], begin: 1, find: { range: [0, 1, 0] },
    }],
    keyFlagsOf: bitfieldKeyFlags,
    summary: 'Perform arbitrary bitfield integer operations on strings', since: '3.2.0', group: 'bitmap',
    complexity: 'O(1) for each subcommand specified',
    args: 'key operation=[GET encoding offset | write=<[OVERFLOW <WRAP | SAT | FAIL>] write_operation=<SET encoding offset value:integer | INCRBY encoding offset increment>> [GET encoding offset | write=<[OVERFLOW <WRAP | SAT | FAIL>] write_operation=<SET encoding offset value:integer | INCRBY encoding offset increment>> ...]]',
    handler: bitfield,
  },
  {
    name: 'bitfield_ro', arity: -2, flags: ['readonly', 'fast'], categories: ['bitmap'], keys: [1, 1, 1],
    keyFlags: ['RO', 'ACCESS'],
    summary: 'Perform arbitrary bitfield integer operations on strings. Read-only variant of BITFIELD',
    since: '6.0.0', group: 'bitmap', complexity: 'O(1) for each subcommand specified',
    args: 'key [GET encoding offset [GET encoding offset ...]]', handler: bitfieldRo,
  },
];

/**
 * BITFIELD's key flags for COMMAND GETKEYSANDFLAGS (Redis's bitfieldGetKeys): read-only when it
 * only has GETs (and OVERFLOWs); a SET, an INCRBY or a syntax error make it a write.
 */
function bitfieldKeyFlags(argv: readonly string[]): readonly KeySpecFlag[] {
  for (let i = 2; i < argv.length; i++) {
    const more = argv.length - i - 1;
    const op = token(argv[i]);
    if (op === 'get' && more >= 2) i += 2;
    else if (op === 'overflow' && more >= 1) i += 1;
    else return ['RW', 'ACCESS', 'UPDATE'];
  }
  return ['RO', 'ACCESS'];
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** A string value's bytes for reading: the string itself or the live MutableString buffer. */
type Bytes = string | Uint8Array;

function bytesOf(v: string | MutableString): Bytes {
  return typeof v === 'string' ? v : v.buf;
}

function at(b: Bytes, i: number): number {
  return typeof b === 'string' ? b.charCodeAt(i) : b[i];
}

const EMPTY = new Uint8Array(0);

const POPCOUNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >> 1];

function popcount(b: Bytes, start: number, end: number): number {
  let n = 0;
  if (typeof b === 'string') {
    for (let i = start; i < end; i++) n += POPCOUNT[b.charCodeAt(i)];
  } else {
    for (let i = start; i < end; i++) n += POPCOUNT[b[i]];
  }
  return n;
}

/**
 * Redis's redisBitpos: the position of the first bit equal to `bit` in `count` bytes from
 * `start`. When there is none: -1 for a set bit, count*8 for a clear bit (as if zero padded).
 */
function firstBit(b: Bytes, start: number, count: number, bit: number): number {
  const skip = bit === 1 ? 0 : 0xff;
  const end = start + count;
  for (let i = start; i < end; i++) {
    const v = at(b, i);
    if (v === skip) continue;
    const x = bit === 1 ? v : ~v & 0xff;
    return (i - start) * 8 + (Math.clz32(x) - 24);
  }
  return bit === 1 ? -1 : count * 8;
}

/**
 * Redis's getBitOffsetFromArgument: a bit offset, or -1 after the error reply. With `bits` > 0,
 * "#N" means N * bits (multiplied in wrapping 64-bit arithmetic, as in C). Offsets whose byte is
 * at or past proto-max-bulk-len are refused.
 */
function bitOffset(c: Client, s: string, bits: number): number {
  const hash = bits > 0 && s.charCodeAt(0) === 35; /* # */
  let v: number | null;
  if (!hash) {
    v = parseInteger(s);
  } else {
    v = parseInteger(s.slice(1));
    if (v !== null && !Number.isSafeInteger(v * bits)) {
      v = Number(BigInt.asIntN(64, parseInt64(s.slice(1))! * BigInt(bits)));
    } else if (v !== null) {
      v *= bits;
    }
  }
  if (v === null || v < 0 || Math.floor(v / 8) >= c.server.config.num('proto-max-bulk-len')) {
    c.server.replyError(c, ERR.bitOffset);
    return -1;
  }
  return v;
}

/**
 * A BITFIELD type ("i1".."i64", "u1".."u63", lower case; read as a C string): the width, negated
 * for signed types, or 0 after the error reply.
 */
function bitfieldType(c: Client, s: string): number {
  const t = cstr(s);
  const sign = t.charCodeAt(0);
  if (sign === 105 /* i */ || sign === 117 /* u */) {
    const bits = parseInteger(t.slice(1));
    if (bits !== null && bits >= 1 && bits <= (sign === 105 ? 64 : 63)) return sign === 105 ? -bits : bits;
  }
  c.server.replyError(c, ERR.bitfieldType);
  return 0;
}

/** Set by bitTarget: the key was created or its string lengthened. */
let grew = false;
/** Set by bitTarget: the key was created. */
let created = false;

/**
 * Redis's lookupStringForBitCommand: the value at argv[1] as a MutableString long enough to hold
 * bit `maxBit`, created (zero filled) when missing; null after a WRONGTYPE reply.
 */
function bitTarget(c: Client, key: string, maxBit: number): MutableString | null {
  const db = c.db;
  const need = Math.floor(maxBit / 8) + 1;
  const e = db.lookupWrite(key);
  if (e === undefined) {
    const m = zeroString(need);
    db.add(key, m);
    grew = true;
    created = true;
    return m;
  }
  if (!isString(e.value)) {
    c.server.replyError(c, ERR.wrongType);
    return null;
  }
  created = false;
  const m = mutableValue(e, need);
  grew = need > m.len;
  if (grew) m.len = need;
  return m;
}

/** The unsigned `bits`-wide field at bit `offset` (bits past the end read as zero). */
function readField(b: Bytes, len: number, offset: number, bits: number): bigint {
  const byte = Math.floor(offset / 8);
  const shift = offset % 8;
  const nbytes = (shift + bits + 7) >> 3;
  let w = 0n;
  for (let i = 0; i < nbytes; i++) {
    const k = byte + i;
    w = (w << 8n) | BigInt(k < len ? at(b, k) : 0);
  }
  const pad = nbytes * 8 - shift - bits;
  return (w >> BigInt(pad)) & ((1n << BigInt(bits)) - 1n);
}

/** Stores the low `bits` bits of `value` at bit `offset` (the string is long enough). */
function writeField(buf: Uint8Array, offset: number, bits: number, value: bigint): void {
  const byte = Math.floor(offset / 8);
  const shift = offset % 8;
  const nbytes = (shift + bits + 7) >> 3;
  let w = 0n;
  for (let i = 0; i < nbytes; i++) w = (w << 8n) | BigInt(buf[byte + i]);
  const pad = BigInt(nbytes * 8 - shift - bits);
  const ones = (1n << BigInt(bits)) - 1n;
  w = (w & ~(ones << pad)) | ((value & ones) << pad);
  for (let i = nbytes - 1; i >= 0; i--) {
    buf[byte + i] = Number(w & 0xffn);
    w >>= 8n;
  }
}

const U64 = (v: bigint): bigint => BigInt.asUintN(64, v);
const I64 = (v: bigint): bigint => BigInt.asIntN(64, v);

// Overflow behaviours of BITFIELD.
const OW_WRAP = 0;
const OW_SAT = 1;
const OW_FAIL = 2;

/** Out: the value an overflowing operation produces under WRAP or SAT. */
let limit = 0n;

/** Redis's checkUnsignedBitfieldOverflow, in its uint64/int64 arithmetic: 1, -1 or 0. */
function unsignedOverflow(value: bigint, incr: bigint, bits: number, ow: number): number {
  const max = (1n << BigInt(bits)) - 1n;
  const maxIncr = I64(max - value);
  const minIncr = I64(-value);
  let r = 0;
  if (value > max || (incr > 0n && incr > maxIncr)) {
    r = 1;
    if (ow === OW_SAT) limit = max;
  } else if (incr < 0n && incr < minIncr) {
    r = -1;
    if (ow === OW_SAT) limit = 0n;
  }
  if (r !== 0 && ow === OW_WRAP) limit = U64(value + incr) & max;
  return r;
}

/** Redis's checkSignedBitfieldOverflow, in its int64 arithmetic (quirks included): 1, -1 or 0. */
function signedOverflow(value: bigint, incr: bigint, bits: number, ow: number): number {
  const b = BigInt(bits);
  const max = (1n << (b - 1n)) - 1n;
  const min = -max - 1n;
  const maxIncr = I64(max - value);
  const minIncr = I64(min - value);
  let r = 0;
  if (value > max || (bits !== 64 && incr > maxIncr) || (value >= 0n && incr > 0n && incr > maxIncr)) {
    r = 1;
    if (ow === OW_SAT) limit = max;
  } else if (value < min || (bits !== 64 && incr < minIncr) || (value < 0n && incr < 0n && incr < minIncr)) {
    r = -1;
    if (ow === OW_SAT) limit = min;
  }
  if (r !== 0 && ow === OW_WRAP) {
    let w = U64(value + incr);
    if (bits < 64) {
      const mask = U64(-1n << b);
      w = (w & (1n << (b - 1n))) !== 0n ? w | mask : w & ~mask;
    }
    limit = I64(w);
  }
  return r;
}

// BITFIELD operations.
const OP_GET = 0;
const OP_SET = 1;
const OP_INCRBY = 2;

// ---------------------------------------------------------------------------------------------
// Handlers

// SETBIT
function setbit(c: Client, argv: string[]): void {
  const offset = bitOffset(c, argv[2], 0);
  if (offset < 0) return;
  const on = parseInteger(argv[3]);
  if (on === null || (on !== 0 && on !== 1)) {
    c.server.replyError(c, ERR.bitValue);
    return;
  }
  const key = argv[1];
  const m = bitTarget(c, key, offset);
  if (m === null) return;
  const byte = Math.floor(offset / 8);
  const mask = 0x80 >> (offset % 8);
  const old = (m.buf[byte] & mask) !== 0 ? 1 : 0;
  // Writing the bit it already has changes nothing: no event, nothing propagated.
  if (grew || old !== on) {
    if (on === 1) m.buf[byte] |= mask;
    else m.buf[byte] &= ~mask;
    const db = c.db;
    if (!created) db.modified(key);
    db.ks.hooks.notify('$', 'setbit', key, db);
  }
  c.out.int(old);
}

// GETBIT
function getbit(c: Client, argv: string[]): void {
  const offset = bitOffset(c, argv[2], 0);
  if (offset < 0) return;
  const e = c.db.lookupRead(argv[1]);
  if (e === undefined) {
    c.out.int(0);
    return;
  }
  const v = e.value;
  if (!isString(v)) {
    c.server.replyError(c, ERR.wrongType);
    return;
  }
  const byte = Math.floor(offset / 8);
  if (byte >= stringLength(v)) {
    c.out.int(0);
    return;
  }
  c.out.int((at(bytesOf(v), byte) & (0x80 >> (offset % 8))) !== 0 ? 1 : 0);
}

// BITCOUNT
function bitcount(c: Client, argv: string[]): void {
  const e = c.db.lookupRead(argv[1]);
  if (e === undefined) {
    c.out.int(0);
    return;
  }
  const v = e.value;
  if (!isString(v)) {
    c.server.replyError(c, ERR.wrongType);
    return;
  }
  const len = stringLength(v);
  let start: number;
  let end: number;
  let firstMask = 0;
  let lastMask = 0;
  if (argv.length === 4 || argv.length === 5) {
    const s = parseInteger(argv[2]);
    if (s === null) {
      c.server.replyError(c, ERR.notInteger);
      return;
    }
    const t = parseInteger(argv[3]);
    if (t === null) {
      c.server.replyError(c, ERR.notInteger);
      return;
    }
    start = s;
    end = t;
    // Redis 7.0 answers an empty negative range before it looks at the unit, so
    // `BITCOUNT k -1 -2 FOO` is 0, not a syntax error.
    if (start < 0 && end < 0 && startAfterEnd(start, end, argv[2], argv[3])) {
      c.out.int(0);
      return;
    }
    let isBit = false;
    if (argv.length === 5) {
      const unit = token(argv[4]);
      if (unit === 'bit') isBit = true;
      else if (unit !== 'byte') {
        c.server.replyError(c, ERR.syntax);
        return;
      }
    }
    const total = isBit ? len * 8 : len;
    if (start < 0) start = total + start;
    if (end < 0) end = total + end;
    if (start < 0) start = 0;
    if (end < 0) end = 0;
    if (end >= total) end = total - 1;
    if (isBit && start <= end) {
      // Bits of the edge bytes outside the range are counted, then subtracted.
      firstMask = ~((1 << (8 - (start % 8))) - 1) & 0xff;
      lastMask = (1 << (7 - (end % 8))) - 1;
      start = Math.floor(start / 8);
      end = Math.floor(end / 8);
    }
  } else if (argv.length === 2) {
    start = 0;
    end = len - 1;
  } else {
    c.server.replyError(c, ERR.syntax);
    return;
  }
  if (start > end) {
    c.out.int(0);
    return;
  }
  const b = bytesOf(v);
  let count = popcount(b, start, end + 1);
  if (firstMask !== 0) count -= POPCOUNT[at(b, start) & firstMask];
  if (lastMask !== 0) count -= POPCOUNT[at(b, end) & lastMask];
  c.out.int(count);
}

// BITPOS
function bitpos(c: Client, argv: string[]): void {
  const bit = parseInteger(argv[2]);
  if (bit === null) {
    c.server.replyError(c, ERR.notInteger);
    return;
  }
  if (bit !== 0 && bit !== 1) {
    c.server.replyError(c, ERR.bitArgument);
    return;
  }
  // A missing key is an endless run of zero bits.
  const e = c.db.lookupRead(argv[1]);
  if (e === undefined) {
    c.out.int(bit === 1 ? -1 : 0);
    return;
  }
  const v = e.value;
  if (!isString(v)) {
    c.server.replyError(c, ERR.wrongType);
    return;
  }
  const len = stringLength(v);
  const argc = argv.length;
  let start: number;
  let end: number;
  let endGiven = false;
  let firstMask = 0;
  let lastMask = 0;
  if (argc === 4 || argc === 5 || argc === 6) {
    const s = parseInteger(argv[3]);
    if (s === null) {
      c.server.replyError(c, ERR.notInteger);
      return;
    }
    start = s;
    let isBit = false;
    if (argc === 6) {
      const unit = token(argv[5]);
      if (unit === 'bit') isBit = true;
      else if (unit !== 'byte') {
        c.server.replyError(c, ERR.syntax);
        return;
      }
    }
    if (argc >= 5) {
      const t = parseInteger(argv[4]);
      if (t === null) {
        c.server.replyError(c, ERR.notInteger);
        return;
      }
      end = t;
      endGiven = true;
    } else {
      end = isBit ? len * 8 + 7 : len - 1;
    }
    const total = isBit ? len * 8 : len;
    if (start < 0) start = total + start;
    if (end < 0) end = total + end;
    if (start < 0) start = 0;
    if (end < 0) end = 0;
    if (end >= total) end = total - 1;
    if (isBit && start <= end) {
      firstMask = ~((1 << (8 - (start % 8))) - 1) & 0xff;
      lastMask = (1 << (7 - (end % 8))) - 1;
      start = Math.floor(start / 8);
      end = Math.floor(end / 8);
    }
  } else if (argc === 3) {
    start = 0;
    end = len - 1;
  } else {
    c.server.replyError(c, ERR.syntax);
    return;
  }
  if (start > end) {
    c.out.int(-1);
    return;
  }
  const b = bytesOf(v);
  let bytes = end - start + 1;
  let pos: number;
  // The edge bytes of a BIT range are searched with their outside bits forced to the value not
  // looked for; the bytes between them are searched as a block (Redis's order of steps).
  found: {
    if (firstMask !== 0) {
      let ch = bit === 1 ? at(b, start) & ~firstMask & 0xff : at(b, start) | firstMask;
      if (lastMask !== 0 && bytes === 1) ch = bit === 1 ? ch & ~lastMask & 0xff : ch | lastMask;
      pos = firstBit(String.fromCharCode(ch), 0, 1, bit);
      if (bytes === 1 || (pos !== -1 && pos !== 8)) break found;
      start++;
      bytes--;
    }
    const cur = bytes - (lastMask !== 0 ? 1 : 0);
    if (cur > 0) {
      pos = firstBit(b, start, cur, bit);
      if (bytes === cur || (pos !== -1 && pos !== cur * 8)) break found;
      start += cur;
      bytes -= cur;
    }
    const ch = bit === 1 ? at(b, end) & ~lastMask & 0xff : at(b, end) | lastMask;
    pos = firstBit(String.fromCharCode(ch), 0, 1, bit);
  }
  // With an explicit end, clear bits past the range do not count: no clear bit in it is -1.
  if (endGiven && bit === 0 && pos! === bytes * 8) {
    c.out.int(-1);
    return;
  }
  c.out.int(pos! !== -1 ? pos! + start * 8 : -1);
}

// BITOP
function bitop(c: Client, argv: string[]): void {
  const op = token(argv[1]);
  if (op !== 'and' && op !== 'or' && op !== 'xor' && op !== 'not') {
    c.server.replyError(c, ERR.syntax);
    return;
  }
  if (op === 'not' && argv.length !== 4) {
    c.server.replyError(c, ERR.bitopNotArgs);
    return;
  }
  const db = c.db;
  const n = argv.length - 3;
  // Sources as byte arrays (a MutableString's live buffer, a copy of a plain string); missing
  // keys are empty. The result goes to a new buffer, so a source may also be the destination.
  const srcs: Uint8Array[] = new Array(n);
  let maxlen = 0;
  for (let j = 0; j < n; j++) {
    const e = db.lookupRead(argv[j + 3]);
    if (e === undefined) {
      srcs[j] = EMPTY;
      continue;
    }
    if (!isString(e.value)) {
      c.server.replyError(c, ERR.wrongType);
      return;
    }
    srcs[j] = valueBytes(e.value);
    if (srcs[j].length > maxlen) maxlen = srcs[j].length;
  }
  const dest = argv[2];
  if (maxlen === 0) {
    // An empty result deletes the destination.
    if (db.delete(dest)) db.ks.hooks.notify('g', 'del', dest, db);
    c.out.int(0);
    return;
  }
  const res = zeroString(maxlen);
  const out = res.buf;
  // Bytes past a source's end count as zero: the result starts as the first source, padded.
  out.set(srcs[0]);
  if (op === 'not') {
    for (let i = 0; i < maxlen; i++) out[i] = ~out[i] & 0xff;
  } else {
    for (let j = 1; j < n; j++) {
      const src = srcs[j];
      const len = src.length;
      if (op === 'and') {
        for (let i = 0; i < len; i++) out[i] &= src[i];
        out.fill(0, len, maxlen);
      } else if (op === 'or') {
        for (let i = 0; i < len; i++) out[i] |= src[i];
      } else {
        for (let i = 0; i < len; i++) out[i] ^= src[i];
      }
    }
  }
  setValue(db, dest, res);
  c.out.int(maxlen);
}

// BITFIELD
function bitfield(c: Client, argv: string[]): void {
  bitfieldGeneric(c, argv, false);
}

// BITFIELD_RO
function bitfieldRo(c: Client, argv: string[]): void {
  bitfieldGeneric(c, argv, true);
}

/** BITFIELD and BITFIELD_RO (which accepts GET only): all operations parse before any runs. */
function bitfieldGeneric(c: Client, argv: string[], readonlyCommand: boolean): void {
  // Parsed operations as parallel arrays: opcode, offset, signed width (negative = signed), arg.
  const ops: number[] = [];
  const offsets: number[] = [];
  const widths: number[] = [];
  const args: bigint[] = [];
  const overflows: number[] = [];
  let ow = OW_WRAP;
  let readonly = true;
  let highest = 0;
  const argc = argv.length;
  for (let j = 2; j < argc; j++) {
    const rem = argc - j - 1;
    const sub = token(argv[j]);
    let op: number;
    if (sub === 'get' && rem >= 2) op = OP_GET;
    else if (sub === 'set' && rem >= 3) op = OP_SET;
    else if (sub === 'incrby' && rem >= 3) op = OP_INCRBY;
    else if (sub === 'overflow' && rem >= 1) {
      const t = token(argv[++j]);
      if (t === 'wrap') ow = OW_WRAP;
      else if (t === 'sat') ow = OW_SAT;
      else if (t === 'fail') ow = OW_FAIL;
      else {
        c.server.replyError(c, ERR.bitfieldOverflowType);
        return;
      }
      continue;
    } else {
      c.server.replyError(c, ERR.syntax);
      return;
    }
    const width = bitfieldType(c, argv[j + 1]);
    if (width === 0) return;
    const bits = width < 0 ? -width : width;
    const offset = bitOffset(c, argv[j + 2], bits);
    if (offset < 0) return;
    let arg = 0n;
    if (op !== OP_GET) {
      readonly = false;
      if (offset + bits - 1 > highest) highest = offset + bits - 1;
      const v = parseInt64(argv[j + 3]);
      if (v === null) {
        c.server.replyError(c, ERR.notInteger);
        return;
      }
      arg = v;
    }
    ops.push(op);
    offsets.push(offset);
    widths.push(width);
    args.push(arg);
    overflows.push(ow);
    j += op === OP_GET ? 2 : 3;
  }
  const db = c.db;
  const key = argv[1];
  let src: Bytes | null = null;
  let srcLen = 0;
  let target: MutableString | null = null;
  const dirtyBefore = db.ks.dirty;
  if (readonly) {
    const e = db.lookupRead(key);
    if (e !== undefined) {
      if (!isString(e.value)) {
        c.server.replyError(c, ERR.wrongType);
        return;
      }
      src = bytesOf(e.value);
      srcLen = stringLength(e.value);
    }
  } else {
    if (readonlyCommand) {
      c.server.replyError(c, ERR.bitfieldReadonly);
      return;
    }
    target = bitTarget(c, key, highest);
    if (target === null) return;
  }
  const out = c.out;
  out.array(ops.length);
  let changes = 0;
  for (let k = 0; k < ops.length; k++) {
    const width = widths[k];
    const bits = width < 0 ? -width : width;
    const offset = offsets[k];
    if (ops[k] === OP_GET) {
      const b = target !== null ? target.buf : src;
      const len = target !== null ? target.len : srcLen;
      const u = b === null ? 0n : readField(b, len, offset, bits);
      out.int(width < 0 ? toSigned(u, bits) : u);
      continue;
    }
    const m = target!;
    const kind = overflows[k];
    const raw = readField(m.buf, m.len, offset, bits);
    let oldVal: bigint;
    let newVal: bigint;
    let ret: bigint;
    let overflow: number;
    if (width < 0) {
      oldVal = toSigned(raw, bits);
      if (ops[k] === OP_INCRBY) {
        overflow = signedOverflow(oldVal, args[k], bits, kind);
        newVal = overflow !== 0 ? limit : I64(oldVal + args[k]);
        ret = newVal;
      } else {
        newVal = args[k];
        overflow = signedOverflow(newVal, 0n, bits, kind);
        if (overflow !== 0) newVal = limit;
        ret = oldVal;
      }
    } else {
      oldVal = raw;
      if (ops[k] === OP_INCRBY) {
        newVal = U64(oldVal + args[k]);
        overflow = unsignedOverflow(oldVal, args[k], bits, kind);
        if (overflow !== 0) newVal = limit;
        ret = newVal;
      } else {
        newVal = U64(args[k]);
        overflow = unsignedOverflow(newVal, 0n, bits, kind);
        if (overflow !== 0) newVal = limit;
        ret = oldVal;
      }
    }
    if (overflow !== 0 && kind === OW_FAIL) {
      out.nil();
      continue;
    }
    out.int(ret);
    writeField(m.buf, offset, bits, newVal);
    if (grew || oldVal !== newVal) changes++;
  }
  if (changes > 0) {
    if (!created) db.modified(key);
    db.ks.hooks.notify('$', 'setbit', key, db);
  } else if (target !== null && db.ks.dirty !== dirtyBefore) {
    // Redis creates or pads the string even when every write failed (OVERFLOW FAIL) but counts
    // no change, so nothing is propagated; keep the dirty counter as it does.
    db.ks.dirty = dirtyBefore;
  }
}

function toSigned(u: bigint, bits: number): bigint {
  return BigInt.asIntN(bits, u);
}
