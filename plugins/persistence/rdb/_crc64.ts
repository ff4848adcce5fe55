// =================================================================================================
// CRC-64 as Redis computes it (src/crc64.c): the "Jones" polynomial 0xad93d23594c935a9, reflected
// input and output, initial value 0, no final xor. crc64(0, "123456789") is 0xe9c6d914c4b8d9ca.
//
// It closes every RDB file (the 8 bytes after the EOF opcode, little-endian; all zeros when
// rdbchecksum is off) and every DUMP payload.
//
// Design: JS has no fast 64-bit integers (BigInt is far too slow per byte), so the running CRC is
// two uint32 halves, and the tables hold the halves side by side. Bytes go 8 at a time through
// eight tables (the "slice-by-8" method Redis's crcspeed uses), a table lookup per byte.
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

/** A running CRC-64: feed bytes in order with update(), read it with lo/hi or bytesLE(). */
export class Crc64 {
  lo = 0;
  hi = 0;

  /** Adds bytes [start, end) of `b` to the checksum. */
  update(b: Uint8Array, start = 0, end = b.length): void {
    let lo = this.lo;
    let hi = this.hi;
    let i = start;
    const t = T;
    for (; i + 8 <= end; i += 8) {
      const x = lo ^ (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24));
      const y = hi ^ (b[i + 4] | (b[i + 5] << 8) | (b[i + 6] << 16) | (b[i + 7] << 24));
      const i7 = (7 * 256 + (x & 0xff)) * 2;
      const i6 = (6 * 256 + ((x >>> 8) & 0xff)) * 2;
      const i5 = (5 * 256 + ((x >>> 16) & 0xff)) * 2;
      const i4 = (4 * 256 + (x >>> 24)) * 2;
      const i3 = (3 * 256 + (y & 0xff)) * 2;
      const i2 = (2 * 256 + ((y >>> 8) & 0xff)) * 2;
      const i1 = (256 + ((y >>> 16) & 0xff)) * 2;
      const i0 = (y >>> 24) * 2;
      lo = t[i7] ^ t[i6] ^ t[i5] ^ t[i4] ^ t[i3] ^ t[i2] ^ t[i1] ^ t[i0];
      hi = t[i7 + 1] ^ t[i6 + 1] ^ t[i5 + 1] ^ t[i4 + 1] ^ t[i3 + 1] ^ t[i2 + 1] ^ t[i1 + 1] ^ t[i0 + 1];
    }
    for (; i < end; i++) {
      const idx = ((lo ^ b[i]) & 0xff) * 2;
      lo = ((lo >>> 8) | (hi << 24)) ^ t[idx];
      hi = (hi >>> 8) ^ t[idx + 1];
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
