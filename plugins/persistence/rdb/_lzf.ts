// =================================================================================================
// LZF, as Redis uses it for RDB strings (src/lzf_c.c and src/lzf_d.c, liblzf 3.6)
//
// The compressed form is a sequence of runs:
//   000LLLLL <L+1 literal bytes>                 a literal run of 1..32 bytes
//   LLLooooo oooooooo                            a back reference: copy L+2 bytes (L 1..6) from
//   111ooooo LLLLLLLL oooooooo                   `offset + 1` bytes back; with L = 7 an extra byte
//                                                adds to the length (up to 264)
// where the 13-bit offset's high 5 bits sit in the control byte.
//
// Design: the compressor follows lzf_c.c step for step (hash of 3 bytes, HLOG 16, the VERY_FAST
// re-hashing after a match), so for the same input it finds the same matches as Redis and its
// output is the same bytes. liblzf's table holds stale pointers between calls; ours holds
// positions offset by a running base, so entries left by earlier calls read as "before this
// input" and are ignored without clearing 64K slots for every small string.
// =================================================================================================

const HLOG = 16;
const HSIZE = 1 << HLOG;
const MAX_LIT = 1 << 5;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

const htab = new Int32Array(HSIZE);
/** Positions stored in htab are base + index; an entry below base belongs to an earlier call. */
let base = 1;

/** lzf_c.c's IDX in its VERY_FAST form (Redis's lzfP.h): ((h >> 8) - h * 5) & (HSIZE - 1). */
function idx(h: number): number {
  return ((h >>> (3 * 8 - HLOG)) - Math.imul(h, 5)) & (HSIZE - 1);
}

/**
 * Compresses `input` into `out` (at most out.length bytes). Returns the compressed length, or 0
 * when the result would not fit in `out` (the caller then stores the data as is). Redis passes
 * an output room of len - 4, so compression must save at least 5 bytes to be used.
 */
export function lzfCompress(input: Uint8Array, inLen: number, out: Uint8Array, outLen: number): number {
  if (inLen === 0) return 0;
  if (base + inLen + 1 > 0x3fffffff) {
    htab.fill(0);
    base = 1;
  }
  const b = base;
  base += inLen + 1;
  let ip = 0;
  let op = 0;
  const inEnd = inLen;
  const outEnd = outLen;
  let lit = 0;
  op++; // start a literal run
  let hval = ((input[0] << 8) | input[1]) >>> 0;
  while (ip < inEnd - 2) {
    hval = ((hval << 8) | input[ip + 2]) >>> 0;
    const slot = idx(hval);
    const ref = htab[slot] - b;
    htab[slot] = b + ip;
    let off: number;
    if (ref > 0 && ref < ip && (off = ip - ref - 1) < MAX_OFF &&
      input[ref + 2] === input[ip + 2] && input[ref + 1] === input[ip + 1] && input[ref] === input[ip]) {
      let len = 2;
      let maxlen = inEnd - ip - len;
      if (maxlen > MAX_REF) maxlen = MAX_REF;
      if (op + 3 + 1 >= outEnd && op - (lit === 0 ? 1 : 0) + 3 + 1 >= outEnd) return 0;
      out[op - lit - 1] = lit - 1; // stop the run
      if (lit === 0) op--; // undo an empty run
      // lzf_c.c's unrolled loop: while more than 16 bytes are left it compares 16 more without
      // looking at maxlen, so a match may run 2 bytes past it, to the input's end (in bounds:
      // maxlen > 16 leaves at least 19 bytes from ip).
      let broke = false;
      if (maxlen > 16) {
        for (let k = 0; k < 16 && !broke; k++) {
          len++;
          broke = input[ref + len] !== input[ip + len];
        }
      }
      if (!broke) do len++; while (len < maxlen && input[ref + len] === input[ip + len]);
      len -= 2; // now the number of bytes minus one
      ip++;
      if (len < 7) {
        out[op++] = (off >>> 8) + (len << 5);
      } else {
        out[op++] = (off >>> 8) + (7 << 5);
        out[op++] = len - 7;
      }
      out[op++] = off & 0xff;
      lit = 0;
      op++; // start a run
      ip += len + 1;
      if (ip >= inEnd - 2) break;
      // VERY_FAST: hash the two positions just before ip too.
      ip--;
      ip--;
      hval = ((input[ip] << 8) | input[ip + 1]) >>> 0;
      hval = ((hval << 8) | input[ip + 2]) >>> 0;
      htab[idx(hval)] = b + ip;
      ip++;
      hval = ((hval << 8) | input[ip + 2]) >>> 0;
      htab[idx(hval)] = b + ip;
      ip++;
    } else {
      if (op >= outEnd) return 0;
      lit++;
      out[op++] = input[ip++];
      if (lit === MAX_LIT) {
        out[op - lit - 1] = lit - 1;
        lit = 0;
        op++;
      }
    }
  }
  if (op + 3 > outEnd) return 0;
  while (ip < inEnd) {
    lit++;
    out[op++] = input[ip++];
    if (lit === MAX_LIT) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  out[op - lit - 1] = lit - 1; // end the run
  if (lit === 0) op--;
  return op;
}

/**
 * Decompresses `input` [start, end) into out[0, outLen), outLen being exactly the uncompressed
 * length (all of `out` by default). Returns the number of bytes produced, or -1 when the data
 * is malformed or does not fit (a corrupt file: the caller refuses it).
 */
export function lzfDecompress(input: Uint8Array, start: number, end: number, out: Uint8Array, outLen = out.length): number {
  let ip = start;
  let op = 0;
  const outEnd = outLen;
  while (ip < end) {
    const ctrl = input[ip++];
    if (ctrl < 32) {
      const n = ctrl + 1;
      if (op + n > outEnd || ip + n > end) return -1;
      for (let i = 0; i < n; i++) out[op++] = input[ip++];
    } else {
      let len = ctrl >>> 5;
      let ref = op - ((ctrl & 0x1f) << 8) - 1;
      if (ip >= end) return -1;
      if (len === 7) {
        len += input[ip++];
        if (ip >= end) return -1;
      }
      ref -= input[ip++];
      len += 2;
      if (op + len > outEnd || ref < 0) return -1;
      for (let i = 0; i < len; i++) out[op++] = out[ref++];
    }
  }
  return op;
}
