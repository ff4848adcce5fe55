// Keys and values are bytes. Inside the core they travel as "byte strings": JS strings whose every
// char code is one byte (0-255), the Latin-1 mapping. V8, JavaScriptCore and friends store such
// strings one byte per char, they are cheap Map keys and compare byte for byte, so they are the
// binary-safe representation we use everywhere. These functions are the only place bytes become
// byte strings and back; a runtime adapter may install faster primitives for large sizes.

/** Fast paths a runtime adapter may provide (e.g. Node's Buffer latin1 codec). */
export interface Latin1Codec {
  decode(bytes: Uint8Array, start: number, end: number): string;
  encodeInto(s: string, into: Uint8Array, at: number): number;
}

let fast: Latin1Codec | null = null;
// Below this size a plain loop beats crossing into native code (measured: Deno's latin1 helpers
// cost over 1 us a call, Node's about 0.1 us).
const FAST_MIN = 256;

export function useFastLatin1(codec: Latin1Codec | null): void {
  fast = codec;
}

/** Bytes [start, end) of `bytes` as a byte string. */
export function bytesToStr(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const n = end - start;
  if (n <= 0) return '';
  if (n < 16) {
    let s = '';
    for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]);
    return s;
  }
  if (fast !== null && n >= FAST_MIN) return fast.decode(bytes, start, end);
  if (n <= 8192) {
    return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
  }
  const parts: string[] = [];
  for (let i = start; i < end; i += 8192) {
    const j = Math.min(end, i + 8192);
    parts.push(String.fromCharCode.apply(null, bytes.subarray(i, j) as unknown as number[]));
  }
  return parts.join('');
}

/** Writes the byte string `s` into `into` at `at`; returns the index after the last byte. */
export function strIntoBytes(s: string, into: Uint8Array, at: number): number {
  const n = s.length;
  if (fast !== null && n >= FAST_MIN) return fast.encodeInto(s, into, at);
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
