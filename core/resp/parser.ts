// RESP request decoder: multibulk (`*N\r\n$len\r\nbytes\r\n...`) and inline commands (a text line,
// split like redis-cli splits it), incremental and binary-safe.
//
// Design, after Redis's processMultibulkBuffer/processInlineBuffer (src/networking.c):
// - Bytes arrive in chunks cut at any point. The parser keeps the unparsed tail and, inside a
//   multibulk, the arguments already read, so a chunk never re-parses what came before it.
// - A large bulk argument (>= BIG_ARG) that has not fully arrived gets its own buffer of exactly
//   its size, filled in place as chunks come: no quadratic concatenation for a 500 MB SET.
// - Limits stop hostile input before it costs memory: proto-max-bulk-len bounds one argument,
//   client-query-buffer-limit bounds what one client may have buffered, an inline line or a
//   length header longer than 64 KB is an error. The error texts are Redis's; after an error
//   the parser stops for good and the server closes the connection once the replies are out.
// - Like Redis, the two bytes after a bulk payload are skipped, not checked.
// - A parsed argument is a byte string (see core/bytes.ts).

import { bytesToStr } from '../bytes.ts';

/** Redis's PROTO_INLINE_MAX_SIZE: the longest inline line or length header. */
export const INLINE_MAX = 64 * 1024;
/** Bulks at least this large and not yet complete get a buffer of their own. */
const BIG_ARG = 32 * 1024;
const INT_MAX = 2147483647;
const EMPTY = new Uint8Array(0);

export interface ParserLimits {
  /** proto-max-bulk-len: the largest bulk argument accepted. */
  maxBulkLen: number;
  /** client-query-buffer-limit: the most one client may have buffered. */
  maxQueryBuffer: number;
}

export class RequestParser {
  limits: ParserLimits;
  /** Set while the client has not authenticated: Redis then refuses large requests. */
  unauthenticated = false;
  /** The protocol error (text after "ERR ") that stopped parsing, if any. */
  error: string | null = null;
  /** True once buffered input passed client-query-buffer-limit. */
  overflow = false;

  private buf: Uint8Array = EMPTY;
  private pos = 0;
  /** Arguments still to read in the current multibulk; 0 between commands. */
  private argc = 0;
  private argv: string[] = [];
  /** Bytes held by argv so far, counted against the query buffer limit. */
  private argvBytes = 0;
  /** Length of the bulk being read, or -1 when its `$len` header comes next. */
  private bulkLen = -1;
  private big: Uint8Array | null = null;
  private bigFill = 0;

  constructor(limits: ParserLimits) {
    this.limits = limits;
  }

  /** Bytes buffered and not yet returned as a command. */
  get pending(): number {
    return this.buf.length - this.pos + this.bigFill + this.argvBytes;
  }

  /** True when no partial command is buffered. */
  get idle(): boolean {
    return this.pos >= this.buf.length && this.argc === 0 && this.big === null;
  }

  /**
   * Appends received bytes. The parser may keep a view of `chunk`, so the caller must not reuse
   * its memory. Sets `overflow` when the client's buffered input passes the query buffer limit.
   */
  push(chunk: Uint8Array): void {
    if (this.error !== null || this.overflow) return;
    if (this.big !== null) {
      const need = this.big.length - this.bigFill;
      if (chunk.length <= need) {
        this.big.set(chunk, this.bigFill);
        this.bigFill += chunk.length;
        chunk = EMPTY;
      } else {
        this.big.set(chunk.subarray(0, need), this.bigFill);
        this.bigFill += need;
        chunk = chunk.subarray(need);
      }
      if (chunk.length === 0) {
        this.checkLimit();
        return;
      }
    }
    if (this.pos >= this.buf.length) {
      this.buf = chunk;
      this.pos = 0;
    } else {
      const rest = this.buf.length - this.pos;
      const joined = new Uint8Array(rest + chunk.length);
      joined.set(this.buf.subarray(this.pos), 0);
      joined.set(chunk, rest);
      this.buf = joined;
      this.pos = 0;
    }
    this.checkLimit();
  }

  private checkLimit(): void {
    if (this.pending > this.limits.maxQueryBuffer) this.overflow = true;
  }

  /**
   * The next complete command as its arguments, or null when more bytes are needed or parsing
   * stopped on an error (then `error` is set). Empty commands (`*0`, blank lines) are skipped.
   */
  next(): string[] | null {
    if (this.error !== null) return null;
    for (;;) {
      if (this.argc === 0) {
        const buf = this.buf;
        if (this.pos >= buf.length) {
          if (this.pos > 0) this.release();
          return null;
        }
        if (buf[this.pos] !== 42 /* * */) {
          const inline = this.inline();
          if (inline === null) return null;
          if (inline.length === 0) continue;
          return inline;
        }
        const cr = buf.indexOf(13, this.pos);
        if (cr < 0) {
          if (buf.length - this.pos > INLINE_MAX) return this.fail('too big mbulk count string');
          return null;
        }
        if (cr + 1 >= buf.length) return null;
        const n = parseLength(buf, this.pos + 1, cr);
        if (n === null || n > INT_MAX) return this.fail('invalid multibulk length');
        if (n > 10 && this.unauthenticated) return this.fail('unauthenticated multibulk length');
        this.pos = cr + 2;
        if (n <= 0) continue;
        this.argc = n;
        this.bulkLen = -1;
      }
      if (!this.readBulks()) return null;
      const argv = this.argv;
      this.argv = [];
      this.argvBytes = 0;
      return argv;
    }
  }

  /** Reads the multibulk's remaining arguments; false when more bytes are needed or on error. */
  private readBulks(): boolean {
    const argv = this.argv;
    while (this.argc > 0) {
      const buf = this.buf;
      if (this.big === null && this.bulkLen === -1) {
        const cr = buf.indexOf(13, this.pos);
        if (cr < 0) {
          if (buf.length - this.pos > INLINE_MAX) this.fail('too big bulk count string');
          return false;
        }
        if (cr + 1 >= buf.length) return false;
        if (buf[this.pos] !== 36 /* $ */) {
          this.fail(`expected '$', got '${String.fromCharCode(buf[this.pos])}'`);
          return false;
        }
        const n = parseLength(buf, this.pos + 1, cr);
        if (n === null || n < 0 || n > this.limits.maxBulkLen) {
          this.fail('invalid bulk length');
          return false;
        }
        if (n > 16384 && this.unauthenticated) {
          this.fail('unauthenticated bulk length');
          return false;
        }
        this.pos = cr + 2;
        this.bulkLen = n;
        const have = buf.length - this.pos;
        if (n >= BIG_ARG && have < n + 2) {
          this.big = new Uint8Array(n + 2);
          this.big.set(buf.subarray(this.pos), 0);
          this.bigFill = have;
          this.release();
          this.checkLimit();
          return false;
        }
      }
      if (this.big !== null) {
        if (this.bigFill < this.big.length) return false;
        argv.push(bytesToStr(this.big, 0, this.bulkLen));
        this.big = null;
        this.bigFill = 0;
      } else {
        const n = this.bulkLen;
        if (buf.length - this.pos < n + 2) return false;
        argv.push(bytesToStr(buf, this.pos, this.pos + n));
        this.pos += n + 2;
      }
      // Small per-argument overhead keeps `*huge` followed by empty bulks bounded too.
      this.argvBytes += this.bulkLen + 16;
      this.bulkLen = -1;
      this.argc--;
    }
    return true;
  }

  /** One inline command line, [] for a blank line, or null when incomplete or on error. */
  private inline(): string[] | null {
    const buf = this.buf;
    const nl = buf.indexOf(10, this.pos);
    if (nl < 0) {
      if (buf.length - this.pos > INLINE_MAX) return this.fail('too big inline request');
      return null;
    }
    let end = nl;
    if (end > this.pos && buf[end - 1] === 13) end--;
    const args = splitArgs(buf, this.pos, end);
    if (args === null) return this.fail('unbalanced quotes in request');
    this.pos = nl + 1;
    return args;
  }

  private release(): void {
    this.buf = EMPTY;
    this.pos = 0;
  }

  private fail(message: string): null {
    this.error = 'Protocol error: ' + message;
    this.release();
    this.argv = [];
    this.big = null;
    return null;
  }
}

/** Redis's string2ll on a length field: digits with an optional '-', no '+', no leading zeros. */
function parseLength(buf: Uint8Array, start: number, end: number): number | null {
  if (start >= end) return null;
  let i = start;
  let neg = false;
  if (buf[i] === 45 /* - */) {
    neg = true;
    i++;
    if (i >= end) return null;
  }
  if (buf[i] === 48 /* 0 */) return end - i === 1 && !neg ? 0 : null;
  let n = 0;
  for (; i < end; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) return null;
    n = n * 10 + d;
    if (n > 9007199254740991) return null;
  }
  return neg ? -n : n;
}

const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * Splits an inline line into arguments the way Redis's sdssplitargs does: blanks separate,
 * "double quotes" take \n \r \t \b \a \\ \" and \xHH escapes, 'single quotes' take \' only, and
 * a closing quote must be followed by a blank. Returns null on unbalanced quotes. The C original
 * works on a NUL-terminated string, so a NUL byte ends the line here too.
 */
export function splitArgs(buf: Uint8Array, start: number, end: number): string[] | null {
  const nul = buf.indexOf(0, start);
  if (nul >= 0 && nul < end) end = nul;
  const out: string[] = [];
  let p = start;
  for (;;) {
    while (p < end && isSpace(buf[p])) p++;
    if (p >= end) return out;
    let inq = false;
    let insq = false;
    let cur = '';
    let run = -1;
    for (;;) {
      if (p >= end) {
        if (inq || insq) return null;
        if (run >= 0) cur += bytesToStr(buf, run, p);
        break;
      }
      const c = buf[p];
      if (inq) {
        if (c === 92 /* \ */ && p + 3 < end && buf[p + 1] === 120 /* x */ &&
          hexVal(buf[p + 2]) >= 0 && hexVal(buf[p + 3]) >= 0) {
          if (run >= 0) cur += bytesToStr(buf, run, p);
          run = -1;
          cur += String.fromCharCode(hexVal(buf[p + 2]) * 16 + hexVal(buf[p + 3]));
          p += 4;
          continue;
        }
        if (c === 92 && p + 1 < end) {
          if (run >= 0) cur += bytesToStr(buf, run, p);
          run = -1;
          const e = buf[p + 1];
          cur += e === 110 ? '\n' : e === 114 ? '\r' : e === 116 ? '\t' : e === 98 ? '\b' :
            e === 97 ? '\x07' : String.fromCharCode(e);
          p += 2;
          continue;
        }
        if (c === 34 /* " */) {
          if (run >= 0) cur += bytesToStr(buf, run, p);
          if (p + 1 < end && !isSpace(buf[p + 1])) return null;
          p++;
          break;
        }
      } else if (insq) {
        if (c === 92 && p + 1 < end && buf[p + 1] === 39 /* ' */) {
          if (run >= 0) cur += bytesToStr(buf, run, p);
          run = -1;
          cur += "'";
          p += 2;
          continue;
        }
        if (c === 39) {
          if (run >= 0) cur += bytesToStr(buf, run, p);
          if (p + 1 < end && !isSpace(buf[p + 1])) return null;
          p++;
          break;
        }
      } else if (isSpace(c)) {
        if (run >= 0) cur += bytesToStr(buf, run, p);
        break;
      } else if (c === 34 || c === 39) {
        if (run >= 0) cur += bytesToStr(buf, run, p);
        run = -1;
        if (c === 34) inq = true;
        else insq = true;
        p++;
        continue;
      }
      if (run < 0) run = p;
      p++;
    }
    out.push(cur);
  }
}
