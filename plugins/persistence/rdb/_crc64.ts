// =================================================================================================
// CRC-64 as Redis computes it (src/crc64.c): the "Jones" polynomial 0xad93d23594c935a9, reflected
// input and output, initial value 0, no final xor. crc64(0, "123456789") is 0xe9c6d914c4b8d9ca.
//
// It closes every RDB file (the 8 bytes after the EOF opcode, little-endian; all zeros when
// rdbchecksum is off) and every DUMP payload.
//
// Design: JS has no fast 64-bit integers (BigInt is far too slow per byte), so the running CRC is
// two uint32 halves, and the tables hold the halves side by side. Bytes go 8 at a time through
// eight tables (the "slice-by-8" method Redis's crcspeed uses), a table lookup per byte. Large
// inputs go through a small WebAssembly module instead (see below).
// =================================================================================================

const POLY_LO = 0xac4bc9b5; // the polynomial bit-reversed, for the right-shifting form
const POLY_HI = 0x95ac9329;

/** T[k][n] for k = 0..7 at (k * 256 + n) * 2: low half, then high half. */
const T = new Uint32Array(8 * 256 * 2);

(function buildTables(): void {
  for (let n = 0; n < 256; n++) {
    let lo = n;
    let hi = 0;
    for (let i = 0; i < 8; i++) {
      const bit = lo & 1;
      lo = ((lo >>> 1) | (hi << 31)) >>> 0;
      hi = hi >>> 1;
      if (bit) {
        lo = (lo ^ POLY_LO) >>> 0;
        hi = (hi ^ POLY_HI) >>> 0;
      }
    }
    T[n * 2] = lo;
    T[n * 2 + 1] = hi;
  }
  for (let k = 1; k < 8; k++) {
    for (let n = 0; n < 256; n++) {
      const plo = T[((k - 1) * 256 + n) * 2];
      const phi = T[((k - 1) * 256 + n) * 2 + 1];
      const idx = (plo & 0xff) * 2;
      T[(k * 256 + n) * 2] = (((plo >>> 8) | (phi << 24)) ^ T[idx]) >>> 0;
      T[(k * 256 + n) * 2 + 1] = ((phi >>> 8) ^ T[idx + 1]) >>> 0;
    }
  }
})();

/** The same tables split into low halves and high halves (one index serves both). */
const TL = new Int32Array(8 * 256);
const TH = new Int32Array(8 * 256);
for (let i = 0; i < 8 * 256; i++) {
  TL[i] = T[2 * i];
  TH[i] = T[2 * i + 1];
}

/** Whether an Int32Array reads memory little-endian: then 8 bytes are two word loads. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** A running CRC-64: feed bytes in order with update(), read it with lo/hi or bytesLE(). */
export class Crc64 {
  lo = 0;
  hi = 0;

  /** Adds bytes [start, end) of `b` to the checksum. */
  update(b: Uint8Array, start = 0, end = b.length): void {
    if (end - start >= WASM_MIN && wasmReady()) {
      const w = wasm!;
      w.set(this.lo | 0, this.hi | 0);
      for (let i = start; i < end; i += WASM_SLAB) {
        const j = Math.min(end, i + WASM_SLAB);
        wasmBytes!.set(b.subarray(i, j), WASM_DATA);
        w.update(WASM_DATA, WASM_DATA + (j - i));
      }
      this.lo = w.lo() >>> 0;
      this.hi = w.hi() >>> 0;
      return;
    }
    let lo = this.lo | 0;
    let hi = this.hi | 0;
    let i = start;
    const tl = TL;
    const th = TH;
    if (LITTLE_ENDIAN && end - i >= 64) {
      // Bytes up to a 4-byte boundary one at a time, then 8 bytes per step read as two words
      // through an Int32Array over the same memory (half the loads of byte reads; RDB files run
      // to gigabytes and the checksum covers all of them, on save and on load).
      for (; ((b.byteOffset + i) & 3) !== 0; i++) {
        const idx = (lo ^ b[i]) & 0xff;
        lo = ((lo >>> 8) | (hi << 24)) ^ tl[idx];
        hi = (hi >>> 8) ^ th[idx];
      }
      const words = ((end - i) >> 3) * 2;
      const w = new Int32Array(b.buffer, b.byteOffset + i, words);
      for (let k = 0; k < words; k += 2) {
        const x = lo ^ w[k];
        const y = hi ^ w[k + 1];
        const i7 = 1792 + (x & 0xff);
        const i6 = 1536 + ((x >>> 8) & 0xff);
        const i5 = 1280 + ((x >>> 16) & 0xff);
        const i4 = 1024 + (x >>> 24);
        const i3 = 768 + (y & 0xff);
        const i2 = 512 + ((y >>> 8) & 0xff);
        const i1 = 256 + ((y >>> 16) & 0xff);
        const i0 = y >>> 24;
        lo = tl[i7] ^ tl[i6] ^ tl[i5] ^ tl[i4] ^ tl[i3] ^ tl[i2] ^ tl[i1] ^ tl[i0];
        hi = th[i7] ^ th[i6] ^ th[i5] ^ th[i4] ^ th[i3] ^ th[i2] ^ th[i1] ^ th[i0];
      }
      i += words * 4;
    }
    for (; i + 8 <= end; i += 8) {
      const x = lo ^ (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24));
      const y = hi ^ (b[i + 4] | (b[i + 5] << 8) | (b[i + 6] << 16) | (b[i + 7] << 24));
      const i7 = 1792 + (x & 0xff);
      const i6 = 1536 + ((x >>> 8) & 0xff);
      const i5 = 1280 + ((x >>> 16) & 0xff);
      const i4 = 1024 + (x >>> 24);
      const i3 = 768 + (y & 0xff);
      const i2 = 512 + ((y >>> 8) & 0xff);
      const i1 = 256 + ((y >>> 16) & 0xff);
      const i0 = y >>> 24;
      lo = tl[i7] ^ tl[i6] ^ tl[i5] ^ tl[i4] ^ tl[i3] ^ tl[i2] ^ tl[i1] ^ tl[i0];
      hi = th[i7] ^ th[i6] ^ th[i5] ^ th[i4] ^ th[i3] ^ th[i2] ^ th[i1] ^ th[i0];
    }
    for (; i < end; i++) {
      const idx = (lo ^ b[i]) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ tl[idx];
      hi = (hi >>> 8) ^ th[idx];
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }

  /** The checksum as Redis stores it: 8 bytes, little-endian. */
  bytesLE(): Uint8Array {
    const out = new Uint8Array(8);
    writeU32LE(out, 0, this.lo);
    writeU32LE(out, 4, this.hi);
    return out;
  }

  /** True when the 8 bytes at `at` of `b` are this checksum (little-endian). */
  matches(b: Uint8Array, at: number): boolean {
    return readU32LE(b, at) === this.lo && readU32LE(b, at + 4) === this.hi;
  }
}

// -------------------------------------------------------------------------------------------------
// The same in WebAssembly, for large inputs: 64-bit integers make it 16 bytes a step through
// sixteen tables ("slice-by-16"), about 4x the JS loop's speed (42 MB: 35 ms against 140 ms),
// which a large file's load and save both pay. WebAssembly is part of every runtime we run on;
// without it (or on a big-endian host, where the tables below would be laid out wrongly) the JS
// loop does everything. Inputs are copied into the module's memory in slabs of up to 1 MB.
//
// The module (16 tables of 256 u64 at 0, 2 KB each; data from 32 KB; 17 pages):
//   (global $crc (mut i64) (i64.const 0))
//   (func (export "set") (param $lo i32) (param $hi i32)   ;; crc = lo | hi << 32
//   (func (export "lo") (result i32)) (func (export "hi") (result i32))
//   (func (export "update") (param $p i32) (param $end i32)
//     ;; while 16 bytes are left:
//     ;;   a = crc ^ load64(p); b = load64(p + 8)
//     ;;   crc = T15[a.byte0] ^ T14[a.byte1] ^ ... ^ T8[a.byte7] ^ T7[b.byte0] ^ ... ^ T0[b.byte7]
//     ;;   p += 16
//     ;; then one byte at a time: crc = T0[(crc ^ byte) & 255] ^ (crc >> 8)
// T0 is the byte table; T(k) = T(k-1) advanced by one zero byte, as the tables above.

/** Below this many bytes the JS loop is as fast as the copy and the call. */
const WASM_MIN = 512;
const WASM_DATA = 32768;
const WASM_SLAB = 1 << 20;
const WASM_CODE =
  'AGFzbQEAAAABCgJgAn9/AGAAAX8DBQQAAQEABQMBABEGBgF+AUIACwcgBQNtZW0CAANzZXQAAAJsbwABAmhpAAIGdXBkYXRlAAMKlgMEDgAgAK0gAa1CIIaEJAALBQAjAKcLCAAjAEIgiKcL9QICAX4GfyMAIQIgACABIABrQXBxaiEIAkADQCAAIAhPDQEgAiAAKQMAhSECIAKnIQQgAkIgiKchBSAAKQMIIQIgAqchBiACQiCIpyEHIARBA3RB+A9xKQOA8AEgBEEFdkH4D3EpA4DgAYUgBEENdkH4D3EpA4DQAYUgBEEVdkH4D3EpA4DAAYUgBUEDdEH4D3EpA4CwAYUgBUEFdkH4D3EpA4CgAYUgBUENdkH4D3EpA4CQAYUgBUEVdkH4D3EpA4CAAYUgBkEDdEH4D3EpA4BwhSAGQQV2QfgPcSkDgGCFIAZBDXZB+A9xKQOAUIUgBkEVdkH4D3EpA4BAhSAHQQN0QfgPcSkDgDCFIAdBBXZB+A9xKQOAIIUgB0ENdkH4D3EpA4AQhSAHQRV2QfgPcSkDAIUhAiAAQRBqIQAMAAsLAkADQCAAIAFPDQEgAqcgAC0AAHNB/wFxQQN0KQMAIAJCCIiFIQIgAEEBaiEADAALCyACJAAL';

interface CrcWasm {
  set(lo: number, hi: number): void;
  lo(): number;
  hi(): number;
  update(p: number, end: number): void;
}

/** The part of the WebAssembly API used here. */
interface WasmApi {
  Module: new (code: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

let wasm: CrcWasm | null = null;
let wasmBytes: Uint8Array | null = null;
/** 0: not tried yet, 1: ready, -1: unavailable (the JS loop serves). */
let wasmState = 0;

/** Instantiates the module on first use (a few hundred bytes: synchronous compilation is fine). */
function wasmReady(): boolean {
  if (wasmState !== 0) return wasmState === 1;
  wasmState = -1;
  // Through globalThis: the core's type environment declares no runtime globals.
  const g = globalThis as unknown as { WebAssembly?: WasmApi; atob?: (s: string) => string };
  const wa = g.WebAssembly;
  if (!LITTLE_ENDIAN || wa === undefined || g.atob === undefined) return false;
  try {
    const text = g.atob(WASM_CODE);
    const code = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) code[i] = text.charCodeAt(i);
    const exports = new wa.Instance(new wa.Module(code), {}).exports;
    const bytes = new Uint8Array((exports.mem as { buffer: ArrayBuffer }).buffer);
    if (bytes.length < WASM_DATA + WASM_SLAB) return false;
    // T0..T7 as the JS loop has them, then T8..T15 by the same step.
    const t = new Uint32Array(16 * 256 * 2);
    t.set(T, 0);
    for (let k = 8; k < 16; k++) {
      for (let n = 0; n < 256; n++) {
        const plo = t[((k - 1) * 256 + n) * 2];
        const phi = t[((k - 1) * 256 + n) * 2 + 1];
        const idx = (plo & 0xff) * 2;
        t[(k * 256 + n) * 2] = (((plo >>> 8) | (phi << 24)) ^ t[idx]) >>> 0;
        t[(k * 256 + n) * 2 + 1] = ((phi >>> 8) ^ t[idx + 1]) >>> 0;
      }
    }
    bytes.set(new Uint8Array(t.buffer), 0);
    wasm = exports as unknown as CrcWasm;
    wasmBytes = bytes;
    wasmState = 1;
  } catch {
    // No WebAssembly here (a restricted runtime): the JS loop.
  }
  return wasmState === 1;
}

/** Whether large inputs go through the WebAssembly module (tests check it is in use). */
export function crcUsesWasm(): boolean {
  return wasmReady();
}

/** The CRC-64 of bytes [start, end) of `b`. */
export function crc64(b: Uint8Array, start = 0, end = b.length): Crc64 {
  const c = new Crc64();
  c.update(b, start, end);
  return c;
}

function writeU32LE(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 0xff;
  b[at + 1] = (v >>> 8) & 0xff;
  b[at + 2] = (v >>> 16) & 0xff;
  b[at + 3] = v >>> 24;
}

function readU32LE(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}
