// =================================================================================================
// The AOF's command format: RESP multibulk requests, written and read back
// =================================================================================================
//
// Design. An AOF file (the incremental files, and a base file when aof-use-rdb-preamble is no)
// is nothing but the requests a client would send, as RESP multibulk:
//
//   *<argc>\r\n  then for each argument  $<len>\r\n<len bytes>\r\n
//
// plus, in Redis 7.0, annotation lines that start with '#' (aof-timestamp-enabled writes
// `#TS:<unix seconds>\r\n`); readers skip them. Redis writes these with catAppendOnlyGenericCommand
// and reads them back with fgets/fread in loadSingleAppendOnlyFile (src/aof.c).
//
// CommandBuffer is the writer's side: one growing byte buffer that commands are appended to and
// that the caller writes out and empties. AofReader is the loader's side: it parses a file read
// through a callback in chunks, and reports each command with the file offset just after it, so
// the loader knows the last point where the file was whole (for truncating a torn tail) and can
// name the offset of damage. It is stricter than Redis's reader on purpose: the digits of a
// count, and the CRLF after a payload, are checked (Redis skips those two bytes unread), so a
// corrupted byte stops loading with its offset instead of loading garbage.

import { bytesToStr, MAX_STRING_LENGTH, strIntoBytes } from '../../../core/bytes.ts';

const CR = 13;
const LF = 10;

// -------------------------------------------------------------------------------------------------
// Writing

/** A growing buffer of RESP commands (Redis's server.aof_buf). */
export class CommandBuffer {
  buf: Uint8Array;
  len = 0;

  constructor(initial = 64 * 1024) {
    this.buf = new Uint8Array(initial);
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  /** Writes `<prefix><n>\r\n` at `p` (n a non-negative integer); returns the new position. */
  private static header(b: Uint8Array, p: number, prefix: number, n: number): number {
    b[p++] = prefix;
    if (n < 10) b[p++] = 48 + n;
    else if (n < 100) {
      b[p++] = 48 + ((n / 10) | 0);
      b[p++] = 48 + (n % 10);
    } else {
      const s = String(n);
      for (let i = 0; i < s.length; i++) b[p++] = s.charCodeAt(i);
    }
    b[p++] = CR;
    b[p++] = LF;
    return p;
  }

  /** Appends one command; arguments are byte strings (core/bytes.ts). */
  command(argv: readonly string[]): void {
    // Room for the worst case first (headers of at most 20 digits), then no more checks.
    let need = 23;
    for (let i = 0; i < argv.length; i++) need += argv[i].length + 25;
    this.reserve(need);
    const b = this.buf;
    let p = CommandBuffer.header(b, this.len, 42, argv.length); // '*'
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i];
      p = CommandBuffer.header(b, p, 36, a.length); // '$'
      p = strIntoBytes(a, b, p);
      b[p++] = CR;
      b[p++] = LF;
    }
    this.len = p;
  }

  /** Appends raw bytes (annotations, or bytes handed back after a failed write). */
  raw(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }

  /** The pending bytes, as a view that stays valid until the next append or clear. */
  view(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  /** Drops the first `n` bytes (what was written out). */
  consume(n: number): void {
    if (n >= this.len) {
      this.len = 0;
      // Give memory back after a burst rather than keeping the peak for the server's life.
      if (this.buf.length > 4 * 1024 * 1024) this.buf = new Uint8Array(64 * 1024);
      return;
    }
    this.buf.copyWithin(0, n, this.len);
    this.len -= n;
  }
}

/** One command as RESP bytes. */
export function encodeCommand(argv: readonly string[]): Uint8Array {
  const b = new CommandBuffer(64);
  b.command(argv);
  return b.buf.slice(0, b.len);
}

// -------------------------------------------------------------------------------------------------
// Reading

/** Why reading stopped before the end of the file. */
export class AofFormatError extends Error {
  /** File offset of the byte that could not be parsed. */
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}

/** What AofReader.next() found. */
export type ReadResult =
  /** A whole command; `end` is the file offset just after it. */
  | { kind: 'command'; argv: string[]; end: number }
  /** The file ends here, on a command boundary. */
  | { kind: 'eof' }
  /** The file ends inside a command that starts at `start` (a torn write: crash mid-append). */
  | { kind: 'truncated'; start: number; reason: string };

/**
 * Reads commands from a file through `read(into, position) -> bytes read` (0 at the end),
 * starting at file offset `start` (a base with an RDB preamble continues after the RDB part).
 * Holds one window of the file, grown only for an argument larger than it.
 */
export class AofReader {
  private readonly read: (into: Uint8Array, position: number) => number;
  private buf: Uint8Array;
  /** Window [pos, end) of buf holds file bytes from offset `base + pos`. */
  private pos = 0;
  private end = 0;
  private base: number;
  private eof = false;

  constructor(read: (into: Uint8Array, position: number) => number, start = 0, chunk = 1024 * 1024) {
    this.read = read;
    this.base = start;
    this.buf = new Uint8Array(chunk);
  }

  /** File offset of the next unread byte. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** Makes at least `n` bytes available from `pos`; false when the file ends first. */
  private ensure(n: number): boolean {
    while (this.end - this.pos < n) {
      if (this.eof) return false;
      if (this.pos > 0) {
        this.buf.copyWithin(0, this.pos, this.end);
        this.base += this.pos;
        this.end -= this.pos;
        this.pos = 0;
      }
      if (this.buf.length < n || this.end === this.buf.length) {
        const next = new Uint8Array(Math.max(n, this.buf.length * 2));
        next.set(this.buf.subarray(0, this.end));
        this.buf = next;
      }
      const got = this.read(this.buf.subarray(this.end), this.base + this.end);
      if (got === 0) this.eof = true;
      this.end += got;
    }
    return true;
  }

  /**
   * Reads a line ending in CRLF whose first byte is `type`, made of digits after it; returns the
   * number, or 'eof' when the file ends inside the line. Throws AofFormatError on anything else.
   */
  private number(type: number, what: string): number | 'eof' {
    const at = this.offset;
    if (!this.ensure(1)) return 'eof';
    if (this.buf[this.pos] !== type) {
      throw new AofFormatError(`expected '${String.fromCharCode(type)}' (${what}), got ${show(this.buf[this.pos])}`, at);
    }
    let i = 1;
    let n = 0;
    for (;;) {
      if (!this.ensure(i + 1)) return 'eof';
      const c = this.buf[this.pos + i];
      if (c === CR) break;
      if (c < 48 || c > 57 || i > 19) throw new AofFormatError(`invalid ${what}: ${show(c)} in the number`, at);
      n = n * 10 + (c - 48);
      i++;
    }
    if (i === 1) throw new AofFormatError(`invalid ${what}: no digits`, at);
    if (!this.ensure(i + 2)) return 'eof';
    if (this.buf[this.pos + i + 1] !== LF) throw new AofFormatError(`invalid ${what}: CR without LF`, at);
    this.pos += i + 2;
    return n;
  }

  /** The next command, the clean end of the file, or a torn tail. Throws AofFormatError. */
  next(): ReadResult {
    for (;;) {
      const start = this.offset;
      if (!this.ensure(1)) return { kind: 'eof' };
      if (this.buf[this.pos] === 35) {
        // '#': an annotation line (#TS:...). Skipped up to its LF, as Redis does.
        let i = 1;
        for (;;) {
          if (!this.ensure(i + 1)) return { kind: 'truncated', start, reason: 'annotation without end of line' };
          if (this.buf[this.pos + i] === LF) break;
          i++;
          if (i > 1024) throw new AofFormatError('annotation line longer than 1024 bytes', start);
        }
        this.pos += i + 1;
        continue;
      }
      const argc = this.number(42, 'argument count');
      if (argc === 'eof') return { kind: 'truncated', start, reason: 'end of file in the argument count' };
      if (argc < 1) throw new AofFormatError('command with no arguments', start);
      const argv: string[] = new Array(argc);
      for (let j = 0; j < argc; j++) {
        const at = this.offset;
        const len = this.number(36, 'bulk length');
        if (len === 'eof') return { kind: 'truncated', start, reason: `end of file in the length of argument ${j + 1} of ${argc}` };
        if (len > MAX_STRING_LENGTH) throw new AofFormatError(`argument of ${len} bytes is longer than echokv can hold`, at);
        if (!this.ensure(len + 2)) {
          return { kind: 'truncated', start, reason: `end of file in argument ${j + 1} of ${argc} (${len} bytes)` };
        }
        const p = this.pos;
        if (this.buf[p + len] !== CR || this.buf[p + len + 1] !== LF) {
          throw new AofFormatError(`argument of ${len} bytes not followed by CRLF`, this.base + p + len);
        }
        argv[j] = bytesToStr(this.buf, p, p + len);
        this.pos = p + len + 2;
      }
      return { kind: 'command', argv, end: this.offset };
    }
  }
}

function show(c: number): string {
  return c >= 32 && c < 127 ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0')}`;
}
