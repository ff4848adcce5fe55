// Keys and values are bytes. Inside the core they travel as "byte strings": JS strings whose every
// char code is one byte (0-255), the Latin-1 mapping. V8, JavaScriptCore and friends store such
// strings one byte per char, they are cheap Map keys and compare byte for byte, so they are the
// binary-safe representation we use everywhere. These functions are the only place bytes become
// byte strings and back; a runtime adapter may install faster primitives for large sizes.

/**
 * The longest byte string V8 can hold (Node, Deno; JavaScriptCore allows more). A string value
 * can grow past it (SETRANGE and APPEND up to proto-max-bulk-len, 512 MB by default): such a
 * value is kept as bytes (MutableString) and never made into a string.
 */
export const MAX_STRING_LENGTH = 2 ** 29 - 24;

/** Fast paths a runtime adapter may provide (e.g. Node's Buffer latin1 codec). */
export interface Latin1Codec {
  decode(bytes: Uint8Array, start: number, end: number): string;
  encodeInto(s: string, into: Uint8Array, at: number): number;
}

let fast: Latin1Codec | null = null;
let FAST_MIN = 17;
/**
 * Up to this length a byte string is made in JS (smallToStr) even where a native codec is
 * installed: crossing into native code costs more. On Node a 20-byte string (redis-benchmark's
 * members, keys such as user:1234567:name) took 58-87 ns through Buffer's latin1 slice and 32-40
 * ns through a 20-argument String.fromCharCode.
 */
const SMALL_MAX = 24;

/** Installs native helpers used for strings of at least `minLength` bytes. */
export function useFastLatin1(codec: Latin1Codec | null, minLength = 17): void {
  fast = codec;
  FAST_MIN = minLength;
}

const fcc = String.fromCharCode;

/**
 * Short byte strings (keys, small values: the hot path) made in one call with the bytes as
 * arguments, so V8 builds a flat one-byte string directly: no concatenation chain to flatten at
 * the first Map lookup, no temporary array or view.
 */
function smallToStr(b: Uint8Array, s: number, n: number): string {
  switch (n) {
    case 1: return fcc(b[s]);
    case 2: return fcc(b[s], b[s + 1]);
    case 3: return fcc(b[s], b[s + 1], b[s + 2]);
    case 4: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3]);
    case 5: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4]);
    case 6: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5]);
    case 7: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6]);
    case 8: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7]);
    case 9: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8]);
    case 10: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9]);
    case 11: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10]);
    case 12: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11]);
    case 13: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12]);
    case 14: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13]);
    case 15: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14]);
    case 16: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14], b[s + 15]);
    case 17: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14], b[s + 15], b[s + 16]);
    case 18: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14], b[s + 15], b[s + 16], b[s + 17]);
    case 19: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14], b[s + 15], b[s + 16], b[s + 17], b[s + 18]);
    case 20: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14], b[s + 15], b[s + 16], b[s + 17], b[s + 18], b[s + 19]);
    case 21: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14], b[s + 15], b[s + 16], b[s + 17], b[s + 18], b[s + 19], b[s + 20]);
    case 22: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14], b[s + 15], b[s + 16], b[s + 17], b[s + 18], b[s + 19], b[s + 20], b[s + 21]);
    case 23: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14], b[s + 15], b[s + 16], b[s + 17], b[s + 18], b[s + 19], b[s + 20], b[s + 21], b[s + 22]);
    case 24: return fcc(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14], b[s + 15], b[s + 16], b[s + 17], b[s + 18], b[s + 19], b[s + 20], b[s + 21], b[s + 22], b[s + 23]);
    default: return fcc.apply(null, b.subarray(s, s + n) as unknown as number[]);
  }
}

/** Bytes [start, end) of `bytes` as a byte string. */
export function bytesToStr(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const n = end - start;
  if (n <= 0) return '';
  if (n <= SMALL_MAX) return smallToStr(bytes, start, n);
  if (fast !== null && n >= FAST_MIN) return fast.decode(bytes, start, end);
  if (n <= 8192) {
    return fcc.apply(null, bytes.subarray(start, end) as unknown as number[]);
  }
  const parts: string[] = [];
  for (let i = start; i < end; i += 8192) {
    const j = Math.min(end, i + 8192);
    parts.push(fcc.apply(null, bytes.subarray(i, j) as unknown as number[]));
  }
  return parts.join('');
}

/** Writes the byte string `s` into `into` at `at`; returns the index after the last byte. */
export function strIntoBytes(s: string, into: Uint8Array, at: number): number {
  const n = s.length;
  if (fast !== null && n >= 64) return fast.encodeInto(s, into, at);
  for (let i = 0; i < n; i++) into[at + i] = s.charCodeAt(i);
  return at + n;
}

/** A new Uint8Array holding the bytes of the byte string `s`. */
export function strToBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  strIntoBytes(s, out, 0);
  return out;
}

const utf8enc = new TextEncoder();
const utf8dec = new TextDecoder();

/** A JS (UTF-16) string as a byte string of its UTF-8 encoding: for text made inside the server. */
export function utf8ToStr(text: string): string {
  // ASCII is its own UTF-8 encoding; most text we make is ASCII.
  if (!/[^\x00-\x7f]/.test(text)) return text;
  const b = utf8enc.encode(text);
  return bytesToStr(b, 0, b.length);
}

/** A byte string holding UTF-8 as a JS string: for file names and log lines. */
export function strToUtf8(s: string): string {
  if (!/[^\x00-\x7f]/.test(s)) return s;
  return utf8dec.decode(strToBytes(s));
}

export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Bytes of `n` as a varint of 7 bits per byte (the packed lists' and byte tables' lengths). */
export function varintSize(n: number): number {
  let size = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/**
 * strcasecmp(arg, name) == 0 as Redis's C code sees it: `arg` up to its first NUL byte, compared
 * without case (the option words of commands). `name` is lowercase.
 */
export function optIs(arg: string, name: string): boolean {
  const n = name.length;
  if (arg.length !== n && !(arg.length > n && arg.charCodeAt(n) === 0)) return false;
  for (let i = 0; i < n; i++) {
    let c = arg.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== name.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * Redis's sdscatrepr: always quoted, with C escapes and \xHH for bytes outside 0x20-0x7e (config
 * lines, MONITOR, CLIENT LIST, the AOF manifest).
 */
export function repr(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    switch (c) {
      case 92: out += '\\\\'; break;
      case 34: out += '\\"'; break;
      case 10: out += '\\n'; break;
      case 13: out += '\\r'; break;
      case 9: out += '\\t'; break;
      case 7: out += '\\a'; break;
      case 8: out += '\\b'; break;
      default:
        out += c >= 32 && c <= 126 ? s[i] : '\\x' + c.toString(16).padStart(2, '0');
    }
  }
  return out + '"';
}

/**
 * A byte string as C code sees it: up to its first NUL. Redis compares options with strcasecmp
 * and parses numbers with strtoll on NUL-terminated strings ("NX\0junk" is NX there), and prints
 * arguments into errors with %s.
 */
export function cstr(s: string): string {
  const i = s.indexOf('\0');
  return i < 0 ? s : s.slice(0, i);
}
