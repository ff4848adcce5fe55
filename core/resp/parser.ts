// RESP request decoder: multibulk (`*N\r\n$len\r\nbytes\r\n...`) and inline commands (a text line,
// split like redis-cli splits it), incremental and binary-safe.
//
// Design, after Redis 7.0's processMultibulkBuffer/processInlineBuffer (src/networking.c):
// - Bytes arrive in chunks cut at any point. The parser keeps the unparsed tail and, inside a
//   multibulk, the arguments already read, so a chunk never re-parses what came before it. A line
//   that is still incomplete is not rescanned either: `scanned` remembers how far the search for
//   its end got, so a 64 KB line trickled in byte by byte costs linear time, not quadratic.
// - The tail lives in a buffer that grows by doubling; a chunk that starts on a command boundary
//   is parsed in place without a copy (the common case for pipelines).
// - A large bulk argument (>= BIG_ARG) that has not fully arrived is decoded piece by piece as its
//   chunks come and joined once at the end: memory follows the bytes actually received, never the
//   length the client announced (a `$536870000` header alone costs nothing), and no quadratic
//   concatenation for a 500 MB SET.
// - Limits stop hostile input before it costs memory: proto-max-bulk-len bounds one argument,
//   client-query-buffer-limit bounds what one client may have buffered, an inline line or a
//   length header longer than 64 KB is an error. The error texts are Redis's; after an error
//   the parser stops for good and the server closes the connection once the replies are out.
//   One deliberate difference: the arguments of a multibulk still being read count against
//   client-query-buffer-limit too (Redis counts only its unparsed buffer), so `*2000000000`
//   followed by endless `$0` bulks is bounded like everything else.
// - Redis finds line ends with strchr() on a NUL-terminated buffer, so a NUL byte before the
//   CR (headers) or LF (inline) hides the line end: Redis then waits for more input until the
//   64 KB limit. The scans here stop at NUL the same way, so both servers answer alike.
// - Like Redis, the byte after a header's CR and the two bytes after a bulk payload are skipped,
//   not checked (`*1\r\n$4\r\nPINGxx` is a PING).
// - A parsed argument is a byte string (see core/bytes.ts).

import { bytesToStr, MAX_STRING_LENGTH } from '../bytes.ts';

/** Redis's PROTO_INLINE_MAX_SIZE: the longest inline line or length header. */
export const INLINE_MAX = 64 * 1024;
/** Redis's PROTO_MBULK_BIG_ARG: bulks this large and not yet complete are read piecewise. */
const BIG_ARG = 32 * 1024;
const INT_MAX = 2147483647;
/** Redis's limits before authentication (processMultibulkBuffer with authRequired()). */
const UNAUTH_MAX_ARGS = 10;
const UNAUTH_MAX_BULK = 16384;
/** Counted per parsed argument against the query buffer limit: `*huge` + `$0` stays bounded. */
const ARG_OVERHEAD = 16;
const EMPTY = new Uint8Array(0);
/**
 * Argument positions, and longest arguments, readBulks reuses strings for. 32 positions cover
 * the values of a 15-pair MSET or HSET: a value stored from a fresh string is young, so storing
 * it runs the write barrier and the scavenger copies it (MSET -P 16 of redis-benchmark's 10
 * pairs: CPU per request -17% against 8 positions).
 */
const RECENT = 32;
const RECENT_MAX = 64;
/** Placeholder between commands; never written (each multibulk gets its own from newArgv). */
const NO_ARGS: string[] = [];
const CR = 13;
const LF = 10;

export interface ParserLimits {
  /** proto-max-bulk-len: the largest bulk argument accepted. */
  maxBulkLen: number;
  /** client-query-buffer-limit: the most one client may have buffered. */
  maxQueryBuffer: number;
}

export class RequestParser {
  /** Read on every header, so a shared object updated by CONFIG SET takes effect at once. */
  limits: ParserLimits;
  /** Set while the client has not authenticated: Redis then refuses large requests. */
  unauthenticated = false;
  /** The protocol error (text after "ERR ") that stopped parsing, if any. */
  error: string | null = null;
  /** True once buffered input passed client-query-buffer-limit. */
  overflow = false;

  /** Unparsed input is buf[pos, end). */
  private buf: Uint8Array = EMPTY;
  private pos = 0;
  private end = 0;
  /** True when `buf` is our own allocation (bytes past `end` may be written), false for a chunk. */
  private owned = false;
  /** buf[pos, scanned) holds no line end: where the search for the current line resumes. */
  private scanned = 0;
  /** Arguments still to read in the current multibulk; 0 between commands. */
  private argc = 0;
  /** The current multibulk's arguments: `argi` of them are filled (see newArgv). */
  private argv: string[] = [];
  private argi = 0;
  /** The last command name read (see readBulks). */
  private lastName = '';
  /** The last short argument read at each position after the name (see readBulks). */
  private recent: string[] = new Array<string>(RECENT).fill('');
  /**
   * Where the last command's third argument (a member or field) lies in `bytes`, or -1 (inline,
   * a big bulk, or bytes read before the last push): the read-ahead hashes and compares those
   * bytes, which is several times cheaper than reading the string (see ByteTable.prefetch).
   * Valid until the next push().
   */
  arg2At = -1;
  /** The same for the second argument (a key). */
  arg1At = -1;
  /** Bytes held by argv so far, counted against the query buffer limit. */
  private argvBytes = 0;
  /** Length of the bulk being read, or -1 when its `$len` header comes next. */
  private bulkLen = -1;
  /** The pieces of a big bulk received so far, or null when none is being read. */
  private big: string[] | null = null;
  /** Payload bytes of the big bulk still to come, then the 2 bytes after it to skip. */
  private bigLeft = 0;
  private bigSkip = 0;
  private bigFill = 0;
  /** True when the big bulk being read is too long to keep (see readBulks): its bytes are dropped. */
  private bigDrop = false;

  constructor(limits: ParserLimits) {
    this.limits = limits;
  }

  /** Bytes buffered and not yet returned as a command. */
  get pending(): number {
    return this.end - this.pos + this.bigFill + this.argvBytes;
  }

  /**
   * The arguments read so far of a command not yet complete: the bytes they count for in
   * `pending` (their length and an overhead each), and their length alone, which is what Redis
   * counts in argv-mem once it has parsed them out of its query buffer (core/client_info.ts).
   */
  get partialArgs(): number {
    return this.argvBytes;
  }

  get partialArgLength(): number {
    return this.argvBytes - this.argi * ARG_OVERHEAD;
  }

  /**
   * Bytes of a big bulk announced and not yet received (0 when none is being read). Redis sizes
   * its query buffer for the whole bulk when it reads the header (qbuf-free), and client
   * eviction counts that allocation; this parser allocates nothing ahead, but reports the same
   * figure so that a client is counted, and evicted, as Redis counts it (core/client_info.ts).
   */
  get awaited(): number {
    return this.big === null ? 0 : this.bigLeft + this.bigSkip;
  }

  /** The buffer the last command was parsed from (see arg2At). */
  get bytes(): Uint8Array {
    return this.buf;
  }

  /** True when no partial command is buffered. */
  get idle(): boolean {
    return this.pos >= this.end && this.argc === 0 && this.argi === 0;
  }

  /**
   * Appends received bytes. The parser may keep a view of `chunk`, so the caller must not reuse
   * its memory. Sets `overflow` when the client's buffered input passes the query buffer limit
   * (Redis checks after each read, before parsing it, and closes without a reply).
   */
  push(chunk: Uint8Array): void {
    if (this.error !== null || this.overflow) return;
    this.arg1At = -1;
    this.arg2At = -1;
    if (this.big !== null) {
      chunk = this.fillBig(chunk);
      if (chunk.length === 0) {
        this.checkLimit();
        return;
      }
    }
    if (this.pos >= this.end) {
      this.buf = chunk;
      this.pos = 0;
      this.end = chunk.length;
      this.scanned = 0;
      this.owned = false;
    } else {
      this.append(chunk);
    }
    this.checkLimit();
  }

  /** Copies `chunk` after the tail, growing or compacting the buffer as needed. */
  private append(chunk: Uint8Array): void {
    const rest = this.end - this.pos;
    const need = rest + chunk.length;
    if (this.owned && this.end + chunk.length <= this.buf.length) {
      this.buf.set(chunk, this.end);
      this.end += chunk.length;
      return;
    }
    let target = this.buf;
    if (!this.owned || need > this.buf.length) {
      let cap = Math.max(1024, this.owned ? this.buf.length * 2 : rest * 2);
      while (cap < need) cap *= 2;
      target = new Uint8Array(cap);
      target.set(this.buf.subarray(this.pos, this.end), 0);
    } else {
      target.copyWithin(0, this.pos, this.end);
    }
    target.set(chunk, rest);
    this.scanned -= this.pos;
    this.buf = target;
    this.pos = 0;
    this.end = need;
    this.owned = true;
  }

  /** Feeds a big bulk in progress; returns what is left of `chunk` after it. */
  private fillBig(chunk: Uint8Array): Uint8Array {
    let at = 0;
    if (this.bigLeft > 0) {
      const take = Math.min(this.bigLeft, chunk.length);
      if (!this.bigDrop) this.big!.push(bytesToStr(chunk, 0, take));
      this.bigLeft -= take;
      this.bigFill += take;
      at = take;
    }
    if (this.bigLeft === 0 && this.bigSkip > 0) {
      const skip = Math.min(this.bigSkip, chunk.length - at);
      this.bigSkip -= skip;
      at += skip;
    }
    if (this.bigLeft === 0 && this.bigSkip === 0) {
      if (this.bigDrop) {
        this.fail('invalid bulk length');
        return EMPTY;
      }
      // The argument is complete: readBulks() takes it on the next call to next().
      this.argv[this.argi++] = this.big!.length === 1 ? this.big![0] : this.big!.join('');
      this.argvBytes += this.bigFill + ARG_OVERHEAD;
      this.big = null;
      this.bigFill = 0;
      this.bulkLen = -1;
      this.argc--;
    }
    return at === 0 ? chunk : chunk.subarray(at);
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
    const argv = this.parse();
    if (argv === null && !this.owned && this.pos < this.end) this.keepTail();
    return argv;
  }

  private parse(): string[] | null {
    for (;;) {
      if (this.argc === 0) {
        if (this.argi > 0) {
          // A big bulk completed the multibulk inside push().
          const argv = this.argv;
          this.argv = NO_ARGS;
          this.argi = 0;
          this.argvBytes = 0;
          return argv;
        }
        if (this.pos >= this.end) {
          this.release();
          return null;
        }
        if (this.buf[this.pos] !== 42 /* * */) {
          this.arg1At = -1;
          this.arg2At = -1;
          const inline = this.inline();
          if (inline === null) return null;
          if (inline.length === 0) continue;
          return inline;
        }
        const cr = this.lineEnd(CR);
        if (cr < 0 || cr - this.pos > INLINE_MAX) {
          if (this.end - this.pos > INLINE_MAX) return this.fail('too big mbulk count string');
          return null;
        }
        if (cr + 1 >= this.end) return null;
        const n = parseLength(this.buf, this.pos + 1, cr);
        if (n === null || n > INT_MAX) return this.fail('invalid multibulk length');
        if (n > UNAUTH_MAX_ARGS && this.unauthenticated) return this.fail('unauthenticated multibulk length');
        this.pos = cr + 2;
        if (n <= 0) continue;
        this.argc = n;
        this.arg1At = -1;
        this.arg2At = -1;
        this.argi = 0;
        this.bulkLen = -1;
        // Kept in a local while the command is read whole (the usual case): stored in the
        // parser, an old object, the new array would cost a write barrier's slow path.
        const fresh = newArgv(n, '');
        if (!this.readBulks(fresh)) return this.suspend(fresh);
        this.argi = 0;
        this.argvBytes = 0;
        return fresh;
      }
      const argv = this.argv;
      if (!this.readBulks(argv)) return this.suspend(argv);
      this.argv = NO_ARGS;
      this.argi = 0;
      this.argvBytes = 0;
      return argv;
    }
  }

  /** A multibulk waits for more bytes (or parsing failed): its arguments so far stay here. */
  private suspend(argv: string[]): null {
    if (this.error === null) this.argv = argv;
    if (this.pos >= this.end) this.release();
    return null;
  }

  /** Reads the multibulk's remaining arguments into argv; false when more bytes are needed or
   * on error. */
  private readBulks(argv: string[]): boolean {
    while (this.argc > 0) {
      if (this.big !== null) return false;
      const buf = this.buf;
      let n: number | null = this.bulkLen;
      if (n === -1) {
        const cr = this.lineEnd(CR);
        if (cr < 0 || cr - this.pos > INLINE_MAX) {
          if (this.end - this.pos > INLINE_MAX) this.fail('too big bulk count string');
          return false;
        }
        if (cr + 1 >= this.end) return false;
        if (buf[this.pos] !== 36 /* $ */) {
          this.fail(`expected '$', got '${String.fromCharCode(buf[this.pos])}'`);
          return false;
        }
        n = parseLength(buf, this.pos + 1, cr);
        if (n === null || n < 0 || n > this.limits.maxBulkLen) {
          this.fail('invalid bulk length');
          return false;
        }
        if (n > UNAUTH_MAX_BULK && this.unauthenticated) {
          this.fail('unauthenticated bulk length');
          return false;
        }
        this.pos = cr + 2;
        this.bulkLen = n;
        if (n >= BIG_ARG && (this.end - this.pos < n + 2 || n > MAX_STRING_LENGTH)) {
          // Hand what we have to the piecewise reader; push() feeds it from now on.
          this.big = [];
          this.bigLeft = n;
          this.bigSkip = 2;
          // Longer than the longest JS string (proto-max-bulk-len's 512mb default is 24 bytes
          // more), it could not be joined. Redis accepts the header and waits for the bytes, so
          // this parser does too, counting them (client-query-buffer-limit) but keeping none;
          // the command is refused once its bulk has all arrived.
          this.bigDrop = n > MAX_STRING_LENGTH;
          const have = buf.subarray(this.pos, this.end);
          this.release();
          this.fillBig(have);
          this.checkLimit();
          return false;
        }
      }
      if (this.end - this.pos < n + 2) return false;
      if (this.argi === 0) {
        // The command name: a client mostly repeats one, so the previous name's string is reused
        // when the bytes match (no allocation, and the server's lookup compares one string).
        const last = this.lastName;
        let same = n === last.length;
        for (let i = 0; same && i < n; i++) same = buf[this.pos + i] === last.charCodeAt(i);
        if (same) argv[this.argi++] = last;
        else {
          const name = bytesToStr(buf, this.pos, this.pos + n);
          if (n <= 32) this.lastName = name;
          argv[this.argi++] = name;
        }
      } else if (this.argi < RECENT && n <= RECENT_MAX) {
        // Pipelines repeat arguments too (one key, one value, one field): a short argument equal
        // to the previous command's at the same position reuses its string. Compared from the
        // end, where keys that share a prefix differ.
        const i = this.argi;
        const s = this.recent[i];
        const p = this.pos;
        if (i === 1) this.arg1At = p;
        else if (i === 2) this.arg2At = p;
        let j = s.length === n ? n - 1 : -2;
        while (j >= 0 && buf[p + j] === s.charCodeAt(j)) j--;
        if (j === -1) argv[this.argi++] = s;
        else argv[this.argi++] = this.recent[i] = bytesToStr(buf, p, p + n);
      } else {
        argv[this.argi++] = bytesToStr(buf, this.pos, this.pos + n);
      }
      this.pos += n + 2;
      this.argvBytes += n + ARG_OVERHEAD;
      this.bulkLen = -1;
      this.argc--;
    }
    return true;
  }

  /**
   * Index of the first `target` byte of the line at `pos`, or -1 when the buffer holds none
   * before its end or before a NUL byte (strchr semantics, see the design notes). Callers treat
   * a line end more than 64 KB away as missing: Redis reads at most 16 KB at a time and fails
   * once 64 KB lack a line end, so such a line fails there too unless the reads happened to
   * line up; failing it always keeps the outcome independent of how the bytes were chunked.
   */
  private lineEnd(target: number): number {
    const buf = this.buf;
    const end = this.end;
    let i = this.scanned > this.pos ? this.scanned : this.pos;
    for (; i < end; i++) {
      const c = buf[i];
      if (c === target) break;
      if (c === 0) {
        this.scanned = i;
        return -1;
      }
    }
    this.scanned = i;
    return i < end ? i : -1;
  }

  /** One inline command line, [] for a blank line, or null when incomplete or on error. */
  private inline(): string[] | null {
    const nl = this.lineEnd(LF);
    if (nl < 0 || nl - this.pos > INLINE_MAX) {
      if (this.end - this.pos > INLINE_MAX) return this.fail('too big inline request');
      return null;
    }
    let lineEnd = nl;
    if (lineEnd > this.pos && this.buf[lineEnd - 1] === CR) lineEnd--;
    const args = splitArgs(this.buf, this.pos, lineEnd);
    if (args === null) return this.fail('unbalanced quotes in request');
    this.pos = nl + 1;
    return args;
  }

  /**
   * Copies a partial command out of the received chunk it points into, unless it fills most of
   * it: an idle client must not pin a whole 64 KB read buffer for a few bytes.
   */
  /**
   * Copies unparsed bytes into memory of the parser's own. Transports that read into one reused
   * buffer call this after each read (the parser otherwise keeps views of what it was given).
   */
  detach(): void {
    if (this.owned) return;
    if (this.pos >= this.end) {
      this.release();
      return;
    }
    const rest = this.end - this.pos;
    const own = new Uint8Array(Math.max(1024, rest * 2));
    own.set(this.buf.subarray(this.pos, this.end), 0);
    this.scanned -= this.pos;
    this.buf = own;
    this.pos = 0;
    this.end = rest;
    this.owned = true;
  }

  private keepTail(): void {
    const rest = this.end - this.pos;
    if (rest * 2 > this.buf.buffer.byteLength) return;
    const own = new Uint8Array(Math.max(1024, rest * 2));
    own.set(this.buf.subarray(this.pos, this.end), 0);
    this.scanned -= this.pos;
    this.buf = own;
    this.pos = 0;
    this.end = rest;
    this.owned = true;
  }

  private release(): void {
    this.buf = EMPTY;
    this.pos = 0;
    this.end = 0;
    this.scanned = 0;
    this.owned = false;
  }

  private fail(message: string): null {
    this.error = 'Protocol error: ' + message;
    this.release();
    this.argv = NO_ARGS;
    this.argi = 0;
    this.argc = 0;
    this.argvBytes = 0;
    this.big = null;
    this.bigFill = 0;
    this.bigDrop = false;
    return null;
  }
}

/**
 * Redis's string2ll on a length field: an optional '-', then digits without leading zeros (or
 * a lone 0), nothing else, at most 20 bytes, within a signed 64-bit integer. Returns null when
 * invalid. Past 2^53 the value returned is inexact but on the right side of every limit the
 * callers compare it with; the sign matters: `*-9223372036854775808` is a valid (empty)
 * multibulk to Redis, one more is an invalid length.
 */
function parseLength(buf: Uint8Array, start: number, end: number): number | null {
  if (start >= end || end - start >= 21) return null;
  let i = start;
  let neg = false;
  if (buf[i] === 45 /* - */) {
    neg = true;
    i++;
    if (i >= end) return null;
  }
  if (buf[i] === 48 /* 0 */) return end - i === 1 && !neg ? 0 : null;
  const first = i;
  let n = 0;
  for (; i < end; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) return null;
    n = n * 10 + d;
  }
  if (n > Number.MAX_SAFE_INTEGER && !inInt64(buf, first, end, neg)) return null;
  return neg ? -n : n;
}

/** LLONG_MAX's digits; LLONG_MIN's magnitude is one more. */
const INT64_MAX_DIGITS = '9223372036854775807';

/** Whether the digits buf[start, end) (no leading zero) fit a long long with the given sign. */
function inInt64(buf: Uint8Array, start: number, end: number, neg: boolean): boolean {
  const len = end - start;
  if (len !== INT64_MAX_DIGITS.length) return len < INT64_MAX_DIGITS.length;
  for (let i = 0; i < len; i++) {
    const limit = INT64_MAX_DIGITS.charCodeAt(i) + (neg && i === len - 1 ? 1 : 0);
    if (buf[start + i] !== limit) return buf[start + i] < limit;
  }
  return true;
}

/**
 * The array for a multibulk of `n` arguments, sized up front: growing an empty array by push
 * allocates 16 slots at once and more later, the largest allocation of a short command. Short
 * ones are array literals (packed, exactly n slots; `x` keeps them out of copy-on-write
 * boilerplates); a huge announced count starts empty and grows as arguments actually arrive,
 * so `*2000000000` costs nothing up front.
 */
function newArgv(n: number, x: string): string[] {
  switch (n) {
    case 1: return [x];
    case 2: return [x, x];
    case 3: return [x, x, x];
    case 4: return [x, x, x, x];
    case 5: return [x, x, x, x, x];
    case 6: return [x, x, x, x, x, x];
  }
  return n <= 1024 ? new Array<string>(n) : [];
}

/** C isspace() in the C locale: blanks between arguments and after a closing quote. */
const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * Splits a line into arguments exactly as Redis's sdssplitargs does (inline commands, redis.conf
 * lines, redis-cli input):
 * - isspace() blanks (space, \t \n \v \f \r) separate arguments, but an unquoted argument ends
 *   only at space, \t, \n, \r: a \v or \f inside one is kept;
 * - "double quotes" take \n \r \t \b \a \xHH escapes and `\c` for any other c;
 * - 'single quotes' take only \' as an escape;
 * - quotes may start mid-argument (a"b c" is `ab c`), a closing quote must be followed by a blank
 *   or the end, and an unterminated quote fails.
 * The C original works on a NUL-terminated string, so a NUL byte ends the line here too.
 * Returns the arguments as byte strings, or null on unbalanced quotes.
 */
export function splitArgs(buf: Uint8Array, start: number, end: number): string[] | null {
  for (let i = start; i < end; i++) {
    if (buf[i] === 0) {
      end = i;
      break;
    }
  }
  const out: string[] = [];
  let p = start;
  for (;;) {
    while (p < end && isSpace(buf[p])) p++;
    if (p >= end) return out;
    let cur = '';
    // Start of a run of bytes copied as they are, or -1: runs are decoded in one call.
    let run = -1;
    let quote = 0;
    for (;;) {
      if (p >= end) {
        if (quote !== 0) return null;
        break;
      }
      const c = buf[p];
      if (quote === 34 /* " */) {
        if (c === 92 /* \ */ && p + 1 < end) {
          if (run >= 0) cur += bytesToStr(buf, run, p);
          run = -1;
          const e = buf[p + 1];
          if (e === 120 /* x */ && p + 3 < end && hexVal(buf[p + 2]) >= 0 && hexVal(buf[p + 3]) >= 0) {
            cur += String.fromCharCode(hexVal(buf[p + 2]) * 16 + hexVal(buf[p + 3]));
            p += 4;
            continue;
          }
          cur += e === 110 ? '\n' : e === 114 ? '\r' : e === 116 ? '\t' : e === 98 ? '\b' :
            e === 97 ? '\x07' : String.fromCharCode(e);
          p += 2;
          continue;
        }
        if (c === 34) {
          if (run >= 0) cur += bytesToStr(buf, run, p);
          run = -1;
          if (p + 1 < end && !isSpace(buf[p + 1])) return null;
          p++;
          break;
        }
      } else if (quote === 39 /* ' */) {
        if (c === 92 && p + 1 < end && buf[p + 1] === 39) {
          if (run >= 0) cur += bytesToStr(buf, run, p);
          run = -1;
          cur += "'";
          p += 2;
          continue;
        }
        if (c === 39) {
          if (run >= 0) cur += bytesToStr(buf, run, p);
          run = -1;
          if (p + 1 < end && !isSpace(buf[p + 1])) return null;
          p++;
          break;
        }
      } else if (c === 32 || c === 9 || c === 10 || c === 13) {
        break;
      } else if (c === 34 || c === 39) {
        if (run >= 0) cur += bytesToStr(buf, run, p);
        run = -1;
        quote = c;
        p++;
        continue;
      }
      if (run < 0) run = p;
      p++;
    }
    if (run >= 0) cur += bytesToStr(buf, run, p);
    out.push(cur);
  }
}
