// HyperLogLog values: Redis's own byte layout, so GET, DUMP/RESTORE, RDB and AOF carry exactly the
// bytes redis-server 7.0 would (src/hyperloglog.c).
//
// A HyperLogLog is a string: a 16-byte header ("HYLL", the encoding byte, 3 unused bytes, the
// cached cardinality as 8 little-endian bytes whose top bit marks the cache invalid), then either
// the dense body (16384 registers of 6 bits, packed from the low bits of each byte up) or the
// sparse body, a run-length code over the registers:
//   00xxxxxx           ZERO: 1..64 registers at 0
//   01xxxxxx yyyyyyyy  XZERO: 1..16384 registers at 0 (14-bit length)
//   1vvvvvxx           VAL: 1..4 registers at value 1..32
// New values start sparse and are promoted to dense once a register needs more than 32 or the
// body would pass hll-sparse-max-bytes; the promotion is one-way.
//
// The functions work on a MutableString in place (the bytes of the key's value), returning -1
// where Redis finds the representation corrupted. Where Redis relies on the NUL byte that ends
// every sds string (reading one byte past the last dense register), the code here gets the same
// result without reading past `len`.

import { MutableString } from '../keyspace.ts';

export const HDR_SIZE = 16;
export const REGISTERS = 16384;
const P = 14;
const Q = 64 - P;
const P_MASK = REGISTERS - 1;
export const DENSE_SIZE = HDR_SIZE + REGISTERS * 6 / 8;
export const DENSE = 0;
export const SPARSE = 1;

const VAL_MAX_VALUE = 32;
const VAL_MAX_LEN = 4;
const ZERO_MAX_LEN = 64;
const XZERO_MAX_LEN = 16384;
const ALPHA_INF = 0.721347520444481703680;

// ---------------------------------------------------------------------------------------------
// Hashing: MurmurHash64A with seed 0xadc83b19, as hllPatLen calls it. 64-bit arithmetic is done
// on two 32-bit halves (BigInt would allocate per step); the hash lands in hashHi:hashLo.

const M_HI = 0xc6a4a793;
const M_LO = 0x5bd1e995;
const SEED = 0xadc83b19;

let mulHi = 0;
let mulLo = 0;

/** (aHi:aLo * M) mod 2^64 into mulHi:mulLo. */
function mulM(aHi: number, aLo: number): void {
  // The full 64-bit product of the low halves, from 16-bit pieces that stay exact in doubles.
  const a0 = aLo & 0xffff;
  const a1 = aLo >>> 16;
  const b0 = M_LO & 0xffff;
  const b1 = M_LO >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  mulLo = (((mid & 0xffff) << 16) | (p00 & 0xffff)) >>> 0;
  const hi = a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
  mulHi = ((hi >>> 0) + Math.imul(aHi, M_LO) + Math.imul(aLo, M_HI)) >>> 0;
}

let hashHi = 0;
let hashLo = 0;

/**
 * MurmurHash64A of a latin1 string (a command argument), into hashHi:hashLo. The string and the
 * byte versions below are the same algorithm; they are kept apart so each stays monomorphic.
 */
function murmurStr(e: string): void {
  const len = e.length;
  mulM(0, len);
  let hHi = mulHi;
  let hLo = (mulLo ^ SEED) >>> 0;
  const end = len - (len & 7);
  let i = 0;
  for (; i < end; i += 8) {
    const kLo = (e.charCodeAt(i) | (e.charCodeAt(i + 1) << 8) | (e.charCodeAt(i + 2) << 16) | (e.charCodeAt(i + 3) << 24)) >>> 0;
    const kHi = (e.charCodeAt(i + 4) | (e.charCodeAt(i + 5) << 8) | (e.charCodeAt(i + 6) << 16) | (e.charCodeAt(i + 7) << 24)) >>> 0;
    mulM(kHi, kLo);
    // k ^= k >> 47 only reaches the low half.
    mulM(mulHi, (mulLo ^ (mulHi >>> 15)) >>> 0);
    mulM((hHi ^ mulHi) >>> 0, (hLo ^ mulLo) >>> 0);
    hHi = mulHi;
    hLo = mulLo;
  }
  const rest = len & 7;
  if (rest > 0) {
    // The tail's bytes are xored in at their little-endian positions, then mixed once.
    for (let j = 0; j < rest; j++) {
      const b = e.charCodeAt(i + j);
      if (j >= 4) hHi = (hHi ^ (b << (8 * (j - 4)))) >>> 0;
      else hLo = (hLo ^ (b << (8 * j))) >>> 0;
    }
    mulM(hHi, hLo);
    hHi = mulHi;
    hLo = mulLo;
  }
  finish(hHi, hLo);
}

/** MurmurHash64A of 8 bytes given as two little-endian 32-bit words (PFSELFTEST's elements). */
function murmur8(wLo: number, wHi: number): void {
  mulM(0, 8);
  const hHi = mulHi;
  const hLo = (mulLo ^ SEED) >>> 0;
  mulM(wHi, wLo);
  mulM(mulHi, (mulLo ^ (mulHi >>> 15)) >>> 0);
  mulM((hHi ^ mulHi) >>> 0, (hLo ^ mulLo) >>> 0);
  finish(mulHi, mulLo);
}

/** The final avalanche: h ^= h >> 47; h *= m; h ^= h >> 47. */
function finish(hHi: number, hLo: number): void {
  mulM(hHi, (hLo ^ (hHi >>> 15)) >>> 0);
  hashHi = mulHi;
  hashLo = (mulLo ^ (mulHi >>> 15)) >>> 0;
}

/** The register index of the last patLen() call. */
let patIndex = 0;

/**
 * Redis's hllPatLen after hashing: sets patIndex to the low 14 bits of the hash, and returns 1 +
 * the number of trailing zero bits of the remaining 50 bits (51 when all are zero).
 */
function patLen(): number {
  patIndex = hashLo & P_MASK;
  const low = hashLo >>> P;
  if (low !== 0) return 32 - Math.clz32(low & -low);
  if (hashHi !== 0) return 32 - P + 32 - Math.clz32(hashHi & -hashHi);
  return Q + 1;
}

// ---------------------------------------------------------------------------------------------
// Registers

/** Dense register `i` of the registers at `off` in `b` (bits from the low end of each byte). */
export function denseGet(b: Uint8Array, off: number, i: number): number {
  const bit = i * 6;
  const at = off + (bit >>> 3);
  const fb = bit & 7;
  // The second byte only matters when the register straddles two bytes (fb > 2).
  const b1 = fb > 2 ? b[at + 1] : 0;
  return ((b[at] >>> fb) | (b1 << (8 - fb))) & 63;
}

function denseSet(b: Uint8Array, off: number, i: number, v: number): void {
  const bit = i * 6;
  const at = off + (bit >>> 3);
  const fb = bit & 7;
  b[at] = (b[at] & ~(63 << fb)) | (v << fb);
  if (fb > 2) b[at + 1] = (b[at + 1] & ~(63 >>> (8 - fb))) | (v >>> (8 - fb));
}

/** hllDenseSet: raises register `i` to `v`; 1 if it changed. */
function denseRaise(b: Uint8Array, i: number, v: number): number {
  if (v > denseGet(b, HDR_SIZE, i)) {
    denseSet(b, HDR_SIZE, i, v);
    return 1;
  }
  return 0;
}

/** A new, empty HyperLogLog: sparse, one XZERO covering every register, cache valid at 0. */
export function createHll(): MutableString {
  const n = HDR_SIZE + Math.ceil(REGISTERS / XZERO_MAX_LEN) * 2;
  const b = new Uint8Array(n);
  b[0] = 0x48; // H
  b[1] = 0x59; // Y
  b[2] = 0x4c; // L
  b[3] = 0x4c; // L
  b[4] = SPARSE;
  let p = HDR_SIZE;
  for (let left = REGISTERS; left > 0;) {
    const run = left < XZERO_MAX_LEN ? left : XZERO_MAX_LEN;
    b[p++] = ((run - 1) >>> 8) | 0x40;
    b[p++] = (run - 1) & 0xff;
    left -= run;
  }
  return new MutableString(b, n);
}

/**
 * isHLLObjectOrReply's checks on a string value's bytes: long enough for the header, "HYLL",
 * a known encoding, and the exact size when dense. The sparse body is only checked when used.
 */
export function isHll(b: Uint8Array, len: number): boolean {
  if (len < HDR_SIZE) return false;
  if (b[0] !== 0x48 || b[1] !== 0x59 || b[2] !== 0x4c || b[3] !== 0x4c) return false;
  if (b[4] > SPARSE) return false;
  return b[4] !== DENSE || len === DENSE_SIZE;
}

export function invalidateCache(m: MutableString): void {
  m.buf[15] |= 0x80;
}

export function cacheValid(m: MutableString): boolean {
  return (m.buf[15] & 0x80) === 0;
}

/** The cached cardinality (cache valid, so below 2^63). */
export function cachedCard(m: MutableString): number | bigint {
  const b = m.buf;
  const lo = (b[8] | (b[9] << 8) | (b[10] << 16) | (b[11] << 24)) >>> 0;
  const hi = (b[12] | (b[13] << 8) | (b[14] << 16) | (b[15] << 24)) >>> 0;
  if (hi < 0x200000) return hi * 0x100000000 + lo;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** Stores a cardinality (as computed by count) in the cache, little endian. */
export function storeCard(m: MutableString, card: number | bigint): void {
  const big = BigInt(card);
  for (let i = 0; i < 8; i++) m.buf[8 + i] = Number((big >> BigInt(8 * i)) & 0xffn);
}

/**
 * hllSparseToDense: rewrites a sparse value as dense in place (the header, cache included, is
 * kept). False, leaving the value as it was, if the sparse body does not cover exactly the 16384
 * registers. A dense value is left alone.
 */
export function toDense(m: MutableString): boolean {
  const src = m.buf;
  if (src[4] === DENSE) return true;
  const d = new Uint8Array(DENSE_SIZE);
  d.set(src.subarray(0, HDR_SIZE));
  d[4] = DENSE;
  let idx = 0;
  let p = HDR_SIZE;
  const end = m.len;
  while (p < end) {
    const op = src[p];
    if ((op & 0xc0) === 0) {
      idx += (op & 0x3f) + 1;
      p++;
    } else if ((op & 0xc0) === 0x40) {
      idx += (((op & 0x3f) << 8) | src[p + 1]) + 1;
      p += 2;
    } else {
      let run = (op & 3) + 1;
      const v = ((op >>> 2) & 0x1f) + 1;
      // A run past the last register is corrupt even when it starts right after it (the
      // installed 7.0.15 carries the CVE-2025-32023 fix, which fails here rather than break).
      if (run + idx > REGISTERS) return false;
      while (run-- > 0) denseSet(d, HDR_SIZE, idx++, v);
      p++;
    }
  }
  if (idx !== REGISTERS) return false;
  m.buf = d;
  m.len = DENSE_SIZE;
  return true;
}

/**
 * hllSparseSet: raises sparse register `index` to `count`, splitting the opcode that covers it
 * and merging equal neighbours after, as Redis does (so the bytes come out identical). Promotes
 * to dense when `count` is above 32 or the value would grow past `maxBytes`. Returns 1 when the
 * register changed, 0 when it already was at least `count`, -1 when the value is corrupted.
 */
function sparseSet(m: MutableString, index: number, count: number, maxBytes: number): number {
  if (count > VAL_MAX_VALUE) return promote(m, index, count);
  // The worst case split (XZERO into XZERO VAL XZERO) adds 3 bytes.
  m.reserve(m.len + 3);
  let b = m.buf;
  let end = m.len;
  let p = HDR_SIZE;
  let first = 0;
  let prev = -1;
  let span = 0;
  while (p < end) {
    const op = b[p];
    let oplen = 1;
    if ((op & 0xc0) === 0) span = (op & 0x3f) + 1;
    else if (op & 0x80) span = (op & 3) + 1;
    else {
      span = (((op & 0x3f) << 8) | b[p + 1]) + 1;
      oplen = 2;
    }
    if (index <= first + span - 1) break;
    prev = p;
    p += oplen;
    first += span;
  }
  if (span === 0 || p >= end) return -1;

  const op = b[p];
  const isZero = (op & 0xc0) === 0;
  const isXzero = (op & 0xc0) === 0x40;
  const isVal = (op & 0x80) !== 0;
  let next = isXzero ? p + 2 : p + 1;
  if (next >= end) next = -1;
  const runlen = isZero ? (op & 0x3f) + 1 : isXzero ? (((op & 0x3f) << 8) | b[p + 1]) + 1 : (op & 3) + 1;

  let updated = false;
  if (isVal) {
    const old = ((op >>> 2) & 0x1f) + 1;
    if (old >= count) return 0;
    if (runlen === 1) {
      b[p] = valOp(count, 1);
      updated = true;
    }
  }
  if (!updated && isZero && runlen === 1) {
    b[p] = valOp(count, 1);
    updated = true;
  }
  if (!updated) {
    // Split the opcode into up to three: before, the register, after.
    const seq: number[] = [];
    const last = first + span - 1;
    if (isZero || isXzero) {
      if (index !== first) zeroRun(seq, index - first);
      seq.push(valOp(count, 1));
      if (index !== last) zeroRun(seq, last - index);
    } else {
      const cur = ((op >>> 2) & 0x1f) + 1;
      if (index !== first) seq.push(valOp(cur, index - first));
      seq.push(valOp(count, 1));
      if (index !== last) seq.push(valOp(cur, last - index));
    }
    const oldlen = isXzero ? 2 : 1;
    const delta = seq.length - oldlen;
    if (delta > 0 && m.len + delta > maxBytes) return promote(m, index, count);
    if (delta !== 0 && next >= 0) b.copyWithin(next + delta, next, end);
    m.len += delta;
    for (let i = 0; i < seq.length; i++) b[p + i] = seq[i];
    end += delta;
  }

  // Merge adjacent VAL opcodes of the same value, looking at up to 5 opcodes from the previous.
  b = m.buf;
  p = prev >= 0 ? prev : HDR_SIZE;
  let scan = 5;
  while (p < end && scan-- > 0) {
    const o = b[p];
    if ((o & 0xc0) === 0x40) {
      p += 2;
      continue;
    } else if ((o & 0xc0) === 0) {
      p++;
      continue;
    }
    if (p + 1 < end && (b[p + 1] & 0x80)) {
      const v1 = ((o >>> 2) & 0x1f) + 1;
      const v2 = ((b[p + 1] >>> 2) & 0x1f) + 1;
      if (v1 === v2) {
        const len = (o & 3) + 1 + (b[p + 1] & 3) + 1;
        if (len <= VAL_MAX_LEN) {
          b[p + 1] = valOp(v1, len);
          b.copyWithin(p, p + 1, end);
          m.len--;
          end--;
          continue;
        }
      }
    }
    p++;
  }
  invalidateCache(m);
  return 1;
}

function valOp(v: number, len: number): number {
  return (((v - 1) << 2) | (len - 1)) | 0x80;
}

function zeroRun(seq: number[], len: number): void {
  if (len > ZERO_MAX_LEN) seq.push(((len - 1) >>> 8) | 0x40, (len - 1) & 0xff);
  else seq.push(len - 1);
}

function promote(m: MutableString, index: number, count: number): number {
  if (!toDense(m)) return -1;
  // The register needed a change while sparse, so it needs one now (Redis asserts this).
  denseRaise(m.buf, index, count);
  return 1;
}

/** hllAdd: adds an element (a latin1 string); 1 if a register changed, -1 if corrupted. */
export function hllAdd(m: MutableString, e: string, maxBytes: number): number {
  murmurStr(e);
  return addHashed(m, maxBytes);
}

/** hllAdd for the hash of the last murmur call. */
function addHashed(m: MutableString, maxBytes: number): number {
  const count = patLen();
  const enc = m.buf[4];
  if (enc === DENSE) return denseRaise(m.buf, patIndex, count);
  if (enc === SPARSE) return sparseSet(m, patIndex, count, maxBytes);
  return -1;
}

/**
 * hllMerge: max[i] = max(max[i], register i) over a value's bytes (already checked by isHll).
 * False when a sparse body does not cover exactly the 16384 registers.
 */
export function hllMerge(max: Uint8Array, b: Uint8Array, len: number): boolean {
  if (b[4] === DENSE) {
    for (let i = 0; i < REGISTERS; i++) {
      const v = denseGet(b, HDR_SIZE, i);
      if (v > max[i]) max[i] = v;
    }
    return true;
  }
  let i = 0;
  let p = HDR_SIZE;
  while (p < len) {
    const op = b[p];
    if ((op & 0xc0) === 0) {
      i += (op & 0x3f) + 1;
      p++;
    } else if ((op & 0xc0) === 0x40) {
      i += (((op & 0x3f) << 8) | b[p + 1]) + 1;
      p += 2;
    } else {
      let run = (op & 3) + 1;
      const v = ((op >>> 2) & 0x1f) + 1;
      if (run + i > REGISTERS) return false; // see toDense
      while (run-- > 0) {
        if (v > max[i]) max[i] = v;
        i++;
      }
      p++;
    }
  }
  return i === REGISTERS;
}

/**
 * PFMERGE's write of the union into the destination: raises every non-zero register (sparse
 * set errors are ignored, as in Redis, where the destination was validated by the merge).
 */
export function raiseAll(m: MutableString, max: Uint8Array, maxBytes: number): void {
  for (let j = 0; j < REGISTERS; j++) {
    if (max[j] === 0) continue;
    if (m.buf[4] === DENSE) denseRaise(m.buf, j, max[j]);
    else if (m.buf[4] === SPARSE) sparseSet(m, j, max[j], maxBytes);
  }
}

// ---------------------------------------------------------------------------------------------
// Counting: Otmar Ertl's estimator over the histogram of register values, as Redis 7.0's
// hllCount ("New cardinality estimation algorithms for HyperLogLog sketches", arXiv:1702.01284).

const histo = new Float64Array(64);

/** The histogram of a value's registers into `histo`; false if a sparse body is not exactly
 * 16384 registers long (the histogram is still filled, as Redis fills it). */
function valueHisto(b: Uint8Array, len: number): boolean {
  histo.fill(0);
  if (b[4] === DENSE) {
    for (let i = 0; i < REGISTERS; i++) histo[denseGet(b, HDR_SIZE, i)]++;
    return true;
  }
  let idx = 0;
  let p = HDR_SIZE;
  while (p < len) {
    const op = b[p];
    if ((op & 0xc0) === 0) {
      const run = (op & 0x3f) + 1;
      idx += run;
      histo[0] += run;
      p++;
    } else if ((op & 0xc0) === 0x40) {
      const run = (((op & 0x3f) << 8) | b[p + 1]) + 1;
      idx += run;
      histo[0] += run;
      p += 2;
    } else {
      const run = (op & 3) + 1;
      idx += run;
      histo[((op >>> 2) & 0x1f) + 1] += run;
      p++;
    }
  }
  return idx === REGISTERS;
}

function sigma(x: number): number {
  if (x === 1) return Infinity;
  let zPrime: number;
  let y = 1;
  let z = x;
  do {
    x *= x;
    zPrime = z;
    z += x * y;
    y += y;
  } while (zPrime !== z);
  return z;
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let zPrime: number;
  let y = 1.0;
  let z = 1 - x;
  do {
    x = Math.sqrt(x);
    zPrime = z;
    y *= 0.5;
    // C's pow(1 - x, 2) is the correctly rounded square, which is what one multiplication gives.
    const d = 1 - x;
    z -= d * d * y;
  } while (zPrime !== z);
  return z / 3;
}

/** 2^63 as llroundl returns it (LLONG_MIN) for an estimate it cannot represent. */
const OUT_OF_RANGE = 1n << 63n;

function estimate(): number | bigint {
  const m = REGISTERS;
  let z = m * tau((m - histo[Q + 1]) / m);
  for (let j = Q; j >= 1; --j) {
    z += histo[j];
    z *= 0.5;
  }
  z += m * sigma(histo[0] / m);
  const e = ALPHA_INF * m * m / z;
  // llroundl: halves away from zero; the estimate is never negative, so Math.round agrees.
  if (!(e < 9223372036854775808)) return OUT_OF_RANGE;
  const r = Math.round(e);
  return Number.isSafeInteger(r) ? r : BigInt(r);
}

/** hllCount of a value's bytes; -1 when its sparse body is corrupted. */
export function hllCount(b: Uint8Array, len: number): number | bigint {
  if (!valueHisto(b, len)) return -1;
  return estimate();
}

/** hllCount of 16384 one-byte registers (PFCOUNT of several keys). */
export function rawCount(max: Uint8Array): number | bigint {
  histo.fill(0);
  for (let i = 0; i < REGISTERS; i++) histo[max[i]]++;
  return estimate();
}

/** PFDEBUG DECODE: "z:<len>", "Z:<len>" and "v:<value>,<len>" for each sparse opcode. */
export function decodeSparse(b: Uint8Array, len: number): string {
  const parts: string[] = [];
  let p = HDR_SIZE;
  while (p < len) {
    const op = b[p];
    if ((op & 0xc0) === 0) {
      parts.push(`z:${(op & 0x3f) + 1}`);
      p++;
    } else if ((op & 0xc0) === 0x40) {
      parts.push(`Z:${(((op & 0x3f) << 8) | b[p + 1]) + 1}`);
      p += 2;
    } else {
      parts.push(`v:${((op >>> 2) & 0x1f) + 1},${(op & 3) + 1}`);
      p++;
    }
  }
  return parts.join(' ');
}

// ---------------------------------------------------------------------------------------------
// PFSELFTEST

/** A C-like rand(): 31-bit non-negative values (the sequence itself does not matter). */
function rand(): number {
  return Math.floor(Math.random() * 0x80000000);
}

/**
 * Redis's pfselftestCommand: dense register get/set round trips with random values, then 10
 * million elements added to a dense and a sparse value side by side, checking at 1, 10, 100 ...
 * that small ones stay sparse, that both counts agree and that the error is within bounds.
 * Returns null on success, else the error text.
 */
export function selfTest(maxBytes: number): string | null {
  const dense = new Uint8Array(DENSE_SIZE);
  const bytecounters = new Uint8Array(REGISTERS);
  for (let j = 0; j < 1000; j++) {
    for (let i = 0; i < REGISTERS; i++) {
      const r = rand() & 63;
      bytecounters[i] = r;
      denseSet(dense, HDR_SIZE, i, r);
    }
    for (let i = 0; i < REGISTERS; i++) {
      const v = denseGet(dense, HDR_SIZE, i);
      if (v !== bytecounters[i]) return `TESTFAILED Register ${i} should be ${bytecounters[i]} but is ${v}`;
    }
  }
  dense.fill(0);
  dense[4] = DENSE;
  const sparse = createHll();
  const relerr = 1.04 / Math.sqrt(REGISTERS);
  let checkpoint = 1;
  const seedLo = rand();
  const seedHi = rand();
  for (let j = 1; j <= 10000000; j++) {
    // ele = j ^ seed, hashed as its 8 little-endian bytes.
    murmur8((j ^ seedLo) >>> 0, seedHi);
    const count = patLen();
    denseRaise(dense, patIndex, count);
    addHashed(sparse, maxBytes);
    if (j === checkpoint) {
      if (j < Math.floor(maxBytes / 2) && sparse.buf[4] !== SPARSE) return 'TESTFAILED sparse encoding not used';
      const d = hllCount(dense, DENSE_SIZE);
      if (d !== hllCount(sparse.buf, sparse.len)) return 'TESTFAILED dense/sparse disagree';
      const abserr = Math.abs(checkpoint - Number(d));
      let maxerr = Math.ceil(relerr * 6 * checkpoint);
      if (j === 10) maxerr = 1;
      if (abserr > maxerr) return `TESTFAILED Too big error. card:${checkpoint} abserr:${abserr}`;
      checkpoint *= 10;
    }
  }
  return null;
}
