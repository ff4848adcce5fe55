// RESP2/RESP3 reply encoder. Every reply to one read goes into one growing buffer that the
// transport sends with a single write (DESIGN.md: one write per read is what matters most).
// Values above BIG_VALUE are not copied into that buffer; they become chunks of their own.
// Strings are byte strings (core/bytes.ts). Where RESP3 has a type RESP2 lacks, the RESP2
// fallback is the one Redis uses (map -> flat array, double -> bulk, null -> $-1, bool -> :0/:1).

import { strIntoBytes } from '../bytes.ts';
import { formatDouble } from '../numbers.ts';

const BIG_VALUE = 64 * 1024;
const INITIAL = 16 * 1024;

// Output handed to the transport is copied into parts of a shared slab rather than into a new
// buffer per flush: slice() costs an ArrayBuffer (a malloc the GC sweeps later) per read, and a
// reply of up to 64 bytes lands on the JS heap, where node:net's socket.write asks for its
// `.buffer` and V8 then moves it off the heap in a runtime call. A part is never reused (the
// transport may hold it until the kernel takes it); a full slab is dropped for a new one and
// freed once its last part is gone, as Node's Buffer pool does. Only small outputs share a slab,
// so a part a slow client has not taken yet pins at most one 32 KB slab.
const SLAB_SIZE = 32 * 1024;
const SLAB_MAX_PART = 2 * 1024;
let slab = new Uint8Array(SLAB_SIZE);
let slabPos = 0;

/** A copy of src[0, n) for the transport: a slab part when small, else its own buffer. */
function copyOut(src: Uint8Array, n: number): Uint8Array {
  if (n > SLAB_MAX_PART) return src.slice(0, n);
  if (slabPos + n > SLAB_SIZE) {
    slab = new Uint8Array(SLAB_SIZE);
    slabPos = 0;
  }
  const start = slabPos;
  const out = slab.subarray(start, start + n);
  if (n <= 64) {
    for (let i = 0; i < n; i++) slab[start + i] = src[i];
  } else {
    slab.set(src.subarray(0, n), start);
  }
  // Parts start 8-byte aligned.
  slabPos = (start + n + 7) & ~7;
  return out;
}

export type Proto = 2 | 3;

export class ReplyWriter {
  proto: Proto = 2;
  private buf = new Uint8Array(INITIAL);
  private pos = 0;
  /** Completed chunks, in order, before `buf`'s content; null when none. */
  private chunks: Uint8Array[] | null = null;
  private chunkBytes = 0;

  /** Size of the reply buffer (CLIENT LIST rbs). */
  get capacity(): number {
    return this.buf.length;
  }

  /** Bytes waiting to be taken. */
  get size(): number {
    return this.pos + this.chunkBytes;
  }

  /** The pending output as chunks to send in order (empty when none), leaving the writer empty. */
  take(): Uint8Array[] {
    let out = this.chunks;
    // The usual case, one buffer and no chunks, makes a one-slot array (a push would make 16).
    if (out === null) out = this.pos > 0 ? [copyOut(this.buf, this.pos)] : [];
    else if (this.pos > 0) out.push(copyOut(this.buf, this.pos));
    this.chunks = null;
    this.chunkBytes = 0;
    this.pos = 0;
    // Give back memory after a large reply instead of keeping it for the connection's life.
    if (this.buf.length > 1024 * 1024) this.buf = new Uint8Array(INITIAL);
    return out;
  }

  /**
   * The pending output as a view of the writer's own buffer, leaving the writer empty; null when
   * the output is not one buffer (chunks, nothing, or a buffer too big to keep), for take().
   * Saves take()'s copy where the transport can say whether it kept the view (writeNow): if it
   * did, call forfeit() before writing anything more.
   */
  lend(): Uint8Array | null {
    if (this.chunks !== null || this.pos === 0 || this.buf.length > 1024 * 1024) return null;
    const view = this.buf.subarray(0, this.pos);
    this.pos = 0;
    return view;
  }

  /** The transport refused the view lend() gave (busy): the output is pending again, as before. */
  unlend(view: Uint8Array): void {
    this.pos = view.length;
  }

  /** The transport kept the buffer lend() showed: it is the transport's now; take a new one. */
  forfeit(): void {
    this.buf = new Uint8Array(INITIAL);
    this.pos = 0;
  }

  /** Drops everything not yet taken (CLIENT REPLY OFF/SKIP, discarded replies). */
  discard(): void {
    this.chunks = null;
    this.chunkBytes = 0;
    this.pos = 0;
  }

  /** Position marker for `truncate`, used to drop a reply written by a command. */
  mark(): number {
    return this.size;
  }

  /** Drops what was written after `mark`, when nothing since became a chunk. */
  truncate(mark: number): boolean {
    if (this.chunks !== null && mark < this.chunkBytes) return false;
    this.pos = mark - this.chunkBytes;
    return true;
  }

  private grow(need: number): void {
    let cap = this.buf.length * 2;
    while (cap < this.pos + need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  private pushChunk(chunk: Uint8Array): void {
    if (this.chunks === null) this.chunks = [];
    if (this.pos > 0) {
      this.chunks.push(this.buf.slice(0, this.pos));
      this.chunkBytes += this.pos;
      this.pos = 0;
    }
    this.chunks.push(chunk);
    this.chunkBytes += chunk.length;
  }

  /** Writes ASCII or byte-string text as is. */
  raw(s: string): void {
    const n = s.length;
    if (this.pos + n > this.buf.length) this.grow(n);
    this.pos = strIntoBytes(s, this.buf, this.pos);
  }

  rawBytes(b: Uint8Array): void {
    if (b.length >= BIG_VALUE) {
      this.pushChunk(b);
      return;
    }
    if (this.pos + b.length > this.buf.length) this.grow(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  private crlf(): void {
    if (this.pos + 2 > this.buf.length) this.grow(2);
    this.buf[this.pos++] = 13;
    this.buf[this.pos++] = 10;
  }

  /** `+text` (text must not hold CR or LF). */
  simple(text: string): void {
    this.raw('+' + text + '\r\n');
  }

  /** A subcommand's HELP reply: an array of status lines (Redis's addReplyHelp). */
  help(lines: readonly string[]): void {
    this.array(lines.length);
    for (const line of lines) this.simple(line);
  }

  ok(): void {
    if (this.pos + 5 > this.buf.length) this.grow(5);
    const buf = this.buf;
    const p = this.pos;
    buf[p] = 43; /* + */
    buf[p + 1] = 79; /* O */
    buf[p + 2] = 75; /* K */
    buf[p + 3] = 13;
    buf[p + 4] = 10;
    this.pos = p + 5;
  }

  /** `-text`: text is the whole error, code first ("ERR ...", "WRONGTYPE ..."). */
  error(text: string): void {
    // An error line cannot hold newlines; Redis replaces them the same way.
    if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) text = text.replace(/[\r\n]/g, ' ');
    this.raw('-' + text + '\r\n');
  }

  int(n: number | bigint): void {
    // Counts and lengths (most integer replies) are written digit by digit, without a string.
    if (typeof n === 'number' && n >= 0 && n < 1e9 && (n | 0) === n) {
      if (this.pos + 13 > this.buf.length) this.grow(13);
      const buf = this.buf;
      let p = this.pos;
      buf[p++] = 58; /* : */
      let digits = 1;
      for (let x = n; x >= 10; x = (x / 10) | 0) digits++;
      p += digits;
      let x = n;
      for (let i = 1; i <= digits; i++) {
        buf[p - i] = 48 + (x % 10);
        x = (x / 10) | 0;
      }
      buf[p++] = 13;
      buf[p++] = 10;
      this.pos = p;
      return;
    }
    this.raw(':' + n + '\r\n');
  }

  /** `:digits` from an integer already formatted as text (INCR stores what it replies). */
  intText(digits: string): void {
    const n = digits.length;
    if (this.pos + n + 3 > this.buf.length) this.grow(n + 3);
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = 58; /* : */
    for (let i = 0; i < n; i++) buf[p++] = digits.charCodeAt(i);
    buf[p++] = 13;
    buf[p++] = 10;
    this.pos = p;
  }

  /** A bulk string from a byte string. */
  bulk(s: string): void {
    const n = s.length;
    if (n >= BIG_VALUE) {
      this.raw('$' + n + '\r\n');
      const b = new Uint8Array(n);
      strIntoBytes(s, b, 0);
      this.pushChunk(b);
      this.crlf();
      return;
    }
    // The header's digits go straight into the buffer: no header string per reply, which
    // halves the cost of multi-bulk replies of short strings (ZRANGE, LRANGE, MGET ...).
    const need = n + 10; // '$', up to 5 digits below BIG_VALUE, and two CRLFs
    if (this.pos + need > this.buf.length) this.grow(need);
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = 36; /* $ */
    if (n < 10) {
      buf[p++] = 48 + n;
    } else if (n < 100) {
      buf[p++] = 48 + ((n / 10) | 0);
      buf[p++] = 48 + (n % 10);
    } else {
      const d = String(n);
      for (let i = 0; i < d.length; i++) buf[p++] = d.charCodeAt(i);
    }
    buf[p++] = 13;
    buf[p++] = 10;
    p = strIntoBytes(s, buf, p);
    buf[p++] = 13;
    buf[p++] = 10;
    this.pos = p;
  }

  bulkBytes(b: Uint8Array): void {
    this.raw('$' + b.length + '\r\n');
    this.rawBytes(b);
    this.crlf();
  }

  /**
   * A bulk string of the bytes src[start, end), copied from a value's own buffer (a packed list's
   * chunk) without making a string first. The bytes are copied now: src may change afterwards.
   */
  bulkRange(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (n >= BIG_VALUE) {
      this.bulkBytes(src.slice(start, end));
      return;
    }
    const need = n + 10; // '$', up to 5 digits below BIG_VALUE, and two CRLFs
    if (this.pos + need > this.buf.length) this.grow(need);
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = 36; /* $ */
    if (n < 10) {
      buf[p++] = 48 + n;
    } else if (n < 100) {
      buf[p++] = 48 + ((n / 10) | 0);
      buf[p++] = 48 + (n % 10);
    } else {
      const d = String(n);
      for (let i = 0; i < d.length; i++) buf[p++] = d.charCodeAt(i);
    }
    buf[p++] = 13;
    buf[p++] = 10;
    if (n <= 32) {
      for (let i = start; i < end; i++) buf[p++] = src[i];
    } else {
      buf.set(src.subarray(start, end), p);
      p += n;
    }
    buf[p++] = 13;
    buf[p++] = 10;
    this.pos = p;
  }

  /** A bulk string or the null bulk. */
  bulkOrNull(s: string | null | undefined): void {
    if (s === null || s === undefined) this.nil();
    else this.bulk(s);
  }

  /** The null reply: `$-1` in RESP2, `_` in RESP3. */
  nil(): void {
    this.raw(this.proto === 3 ? '_\r\n' : '$-1\r\n');
  }

  /** The null array: `*-1` in RESP2, `_` in RESP3. */
  nilArray(): void {
    this.raw(this.proto === 3 ? '_\r\n' : '*-1\r\n');
  }

  array(n: number): void {
    this.raw('*' + n + '\r\n');
  }

  /** A map of n pairs: `%n` in RESP3, a flat array of 2n in RESP2. */
  map(n: number): void {
    this.raw(this.proto === 3 ? '%' + n + '\r\n' : '*' + n * 2 + '\r\n');
  }

  set(n: number): void {
    this.raw(this.proto === 3 ? '~' + n + '\r\n' : '*' + n + '\r\n');
  }

  /** An out-of-band push (pub/sub, invalidation): `>n` in RESP3, an array in RESP2. */
  push(n: number): void {
    this.raw(this.proto === 3 ? '>' + n + '\r\n' : '*' + n + '\r\n');
  }

  /** A double as Redis 7.0 prints it (%.17g, inf, -inf): RESP3 `,` or a RESP2 bulk. */
  double(d: number): void {
    const s = formatDouble(d);
    if (this.proto === 3) this.raw(',' + s + '\r\n');
    else this.bulk(s);
  }

  /** A big number (decimal digits, maybe a leading '-'): RESP3 `(`, a RESP2 bulk. */
  bigNumber(digits: string): void {
    if (this.proto === 3) this.raw('(' + digits + '\r\n');
    else this.bulk(digits);
  }

  /**
   * An attribute map of n pairs that precedes the reply it describes (RESP3 `|`). RESP2 has no
   * such thing and Redis asserts it never sends one there, so callers check `proto` first and
   * write neither the attribute nor its pairs to a RESP2 client.
   */
  attribute(n: number): void {
    this.raw('|' + n + '\r\n');
  }

  bool(b: boolean): void {
    if (this.proto === 3) this.raw(b ? '#t\r\n' : '#f\r\n');
    else this.raw(b ? ':1\r\n' : ':0\r\n');
  }

  /** Text for humans (INFO, CLIENT LIST): RESP3 verbatim `=len\r\ntxt:...`, a RESP2 bulk. */
  verbatim(s: string, format = 'txt'): void {
    if (this.proto === 3) {
      this.raw('=' + (s.length + 4) + '\r\n' + format + ':');
      this.raw(s);
      this.crlf();
    } else {
      this.bulk(s);
    }
  }

  bulkArray(items: readonly string[]): void {
    this.array(items.length);
    for (let i = 0; i < items.length; i++) this.bulk(items[i]);
  }
}
