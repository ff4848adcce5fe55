// =================================================================================================
// The multi-part AOF manifest (Redis 7.0)
// =================================================================================================
//
// Design. Since Redis 7.0 the AOF is a directory (`appenddirname`, default appendonlydir) of:
//   - one BASE file, a snapshot: `<appendfilename>.<seq>.base.rdb` (an RDB file, when
//     aof-use-rdb-preamble is yes) or `<appendfilename>.<seq>.base.aof` (commands);
//   - INCR files, the commands run since that snapshot: `<appendfilename>.<seq>.incr.aof`; the
//     last one is the file being appended to;
//   - HISTORY files: bases and incrs a rewrite made obsolete, deleted right after it;
//   - the manifest `<appendfilename>.manifest`, which names them, one line per file:
//       file appendonly.aof.2.base.rdb seq 2 type b
//       file appendonly.aof.2.incr.aof seq 2 type i
//     in the order base, history, incrs (incr seqs strictly increasing). Lines starting with '#'
//     are comments; a file name that needs quoting is written like sdscatrepr and read like
//     sdssplitargs; unknown key/value pairs are ignored (forward compatibility).
// The manifest is the commit point of every change to the set of files: a new one is written to
// `temp-<appendfilename>.manifest`, fsynced, renamed over the old one, and the directory is
// fsynced (Redis's persistAofManifest), so after a crash the manifest names either the old set
// of files or the new one, never a mix. Files are created before the manifest names them and
// deleted only after a manifest that no longer names them is durable.
//
// This follows aofLoadManifestFromFile / getAofManifestAsString in src/aof.c, with the same
// error texts, which redis-server logs before exiting.

import { splitArgs } from '../../../core/resp/parser.ts';
import { strToBytes, strToUtf8 } from '../../../core/bytes.ts';
import type { Host } from '../../../core/host.ts';
import { repr } from '../../../core/bytes.ts';

/**
 * A file's role:
 * - b: the base (the snapshot the incrs apply to)
 * - h: history, obsolete after a rewrite, to delete
 * - i: incremental, commands since the base, in seq order
 */
export type AofFileType = 'b' | 'h' | 'i';

export interface AofFileInfo {
  /** Base name as a byte string (never a path). */
  name: string;
  seq: number;
  type: AofFileType;
}

/** A manifest that cannot be used; the message is Redis's text. */
export class ManifestError extends Error {}

const MANIFEST_MAX_LINE = 1024;

export class Manifest {
  base: AofFileInfo | null = null;
  history: AofFileInfo[] = [];
  incrs: AofFileInfo[] = [];
  /** The highest seq used for a base and for an incr (new files take the next one). */
  baseSeq = 0;
  incrSeq = 0;

  clone(): Manifest {
    const m = new Manifest();
    m.base = this.base === null ? null : { ...this.base };
    m.history = this.history.map((f) => ({ ...f }));
    m.incrs = this.incrs.map((f) => ({ ...f }));
    m.baseSeq = this.baseSeq;
    m.incrSeq = this.incrSeq;
    return m;
  }

  get isEmpty(): boolean {
    return this.base === null && this.incrs.length === 0;
  }

  /** The files to load, in order: the base, then the incrs. */
  get loadOrder(): AofFileInfo[] {
    return this.base === null ? [...this.incrs] : [this.base, ...this.incrs];
  }

  /**
   * Parses manifest bytes (aofLoadManifestFromFile). Returns the manifest; throws ManifestError
   * with Redis's message for anything it would refuse. No side effects.
   */
  static parse(bytes: Uint8Array): Manifest {
    const m = new Manifest();
    let lineNo = 0;
    let maxSeq = 0;
    let p = 0;
    while (p < bytes.length) {
      let nl = bytes.indexOf(10, p);
      const hasNl = nl >= 0;
      if (!hasNl) nl = bytes.length;
      const lineLen = nl - p;
      lineNo++;
      // Redis reads lines with fgets() into MANIFEST_MAX_LINE+1 bytes: a comment is skipped
      // before the length check, any other line must fit with its newline (even the last one).
      if (bytes[p] === 35 && lineLen < MANIFEST_MAX_LINE) {
        p = nl + 1;
        continue;
      }
      if (!hasNl || lineLen >= MANIFEST_MAX_LINE) {
        throw new ManifestError('The AOF manifest file contains too long line');
      }
      let blank = true;
      for (let i = p; i < nl && blank; i++) blank = bytes[i] === 32 || bytes[i] === 9 || bytes[i] === 13;
      if (blank) throw new ManifestError('Invalid AOF manifest file format');
      const args = splitArgs(bytes, p, nl);
      p = nl + 1;
      // argc < 6 for forward compatibility: newer versions may add pairs.
      if (args === null || args.length < 6 || args.length % 2 !== 0) {
        throw new ManifestError('Invalid AOF manifest file format');
      }
      let name: string | null = null;
      let seq = 0;
      let type = '';
      for (let i = 0; i < args.length; i += 2) {
        const k = args[i].toLowerCase();
        if (k === 'file') {
          name = args[i + 1];
          if (name.includes('/') || name.includes('\\')) throw new ManifestError("File can't be a path, just a filename");
        } else if (k === 'seq') {
          seq = atoll(args[i + 1]);
        } else if (k === 'type') {
          type = args[i + 1].charAt(0);
        }
      }
      if (name === null || name === '' || seq === 0 || type === '') {
        throw new ManifestError('Invalid AOF manifest file format');
      }
      const info: AofFileInfo = { name, seq, type: type as AofFileType };
      if (type === 'b') {
        if (m.base !== null) throw new ManifestError('Found duplicate base file information');
        m.base = info;
        m.baseSeq = seq;
      } else if (type === 'h') {
        m.history.push(info);
      } else if (type === 'i') {
        if (seq <= maxSeq) throw new ManifestError('Found a non-monotonic sequence number');
        m.incrs.push(info);
        m.incrSeq = seq;
        maxSeq = seq;
      } else {
        throw new ManifestError('Unknown AOF file type');
      }
    }
    if (lineNo === 0) throw new ManifestError('Found an empty AOF manifest');
    return m;
  }

  /** The manifest as Redis writes it (getAofManifestAsString): base, history, incrs. */
  format(): string {
    let out = '';
    const line = (f: AofFileInfo): void => {
      out += `file ${needsRepr(f.name) ? repr(f.name) : f.name} seq ${f.seq} type ${f.type}\n`;
    };
    if (this.base !== null) line(this.base);
    for (const f of this.history) line(f);
    for (const f of this.incrs) line(f);
    return out;
  }

  /**
   * Names a new base file (`<prefix>.<seq>.base.rdb|aof`) and makes the current base history
   * (getNewBaseFileNameAndMarkPreAsHistory). Returns the new name.
   */
  newBase(prefix: string, rdb: boolean): string {
    if (this.base !== null) this.history.unshift({ ...this.base, type: 'h' });
    const seq = ++this.baseSeq;
    const name = `${prefix}.${seq}.base.${rdb ? 'rdb' : 'aof'}`;
    this.base = { name, seq, type: 'b' };
    return name;
  }

  /** Names a new incr file, added last (getNewIncrAofName). Returns the new name. */
  newIncr(prefix: string): string {
    const seq = ++this.incrSeq;
    const name = `${prefix}.${seq}.incr.aof`;
    this.incrs.push({ name, seq, type: 'i' });
    return name;
  }

  /**
   * After a rewrite: every incr but the last (`keepLast`, the one being appended to while AOF is
   * on) becomes history, as the new base covers them (markRewrittenIncrAofAsHistory).
   */
  markRewrittenIncrsAsHistory(keepLast: boolean): void {
    const keep = keepLast && this.incrs.length > 0 ? [this.incrs[this.incrs.length - 1]] : [];
    const old = keepLast ? this.incrs.slice(0, -1) : this.incrs;
    for (let i = old.length - 1; i >= 0; i--) this.history.unshift({ ...old[i], type: 'h' });
    this.incrs = keep;
  }
}

/** C's atoll: optional blanks and sign, then digits; 0 when there are none. */
function atoll(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m === null ? 0 : Number(m[1]);
}

/** sdsneedsrepr: a name with quotes, backslashes, blanks or unprintable bytes is quoted. */
function needsRepr(s: string): boolean {
  return s === '' || /[\\"\x00-\x20\x7f-\xff]/.test(s);
}

// -------------------------------------------------------------------------------------------------
// Files on disk

/** Paths of the AOF directory's files. Names are byte strings; the host takes text paths. */
export class AofPaths {
  readonly host: Host;
  /** Absolute directory holding the AOF files (dir + appenddirname), as text. */
  readonly dir: string;
  /** `appendfilename`, the prefix of every file name (byte string). */
  readonly prefix: string;

  constructor(host: Host, dataDir: string, dirName: string, prefix: string) {
    this.host = host;
    this.dir = host.resolve(dataDir, strToUtf8(dirName));
    this.prefix = prefix;
  }

  path(name: string): string {
    return this.host.resolve(this.dir, strToUtf8(name));
  }

  get manifestName(): string {
    return `${this.prefix}.manifest`;
  }

  get manifestPath(): string {
    return this.path(this.manifestName);
  }

  /** Where a rewrite writes the new base before renaming it (Redis: temp-rewriteaof-bg-<pid>.aof). */
  tempBaseName(pid: number): string {
    return `temp-rewriteaof-bg-${pid}.aof`;
  }

  /** The incr file that collects writes while AOF is being turned on (getTempIncrAofName). */
  get tempIncrName(): string {
    return `temp-${this.prefix}.incr`;
  }
}

/** All of a file's bytes. Throws the host's error (ENOENT ...). */
export function readAll(host: Host, path: string): Uint8Array {
  const fd = host.openFile(path, 'read');
  try {
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const b = new Uint8Array(64 * 1024);
      const n = host.readFileAt(fd, b, total);
      if (n === 0) break;
      chunks.push(b.subarray(0, n));
      total += n;
    }
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  } finally {
    host.closeFile(fd);
  }
}

/**
 * Writes `bytes` to `path` durably and atomically: a temp file in the same directory, fsync,
 * rename over `path`, fsync of the directory. On failure the temp file is removed and the old
 * file is untouched; the error is thrown.
 */
export function writeFileAtomic(host: Host, dir: string, tempName: string, path: string, bytes: Uint8Array): void {
  const tmp = host.resolve(dir, tempName);
  let fd = -1;
  try {
    fd = host.openFile(tmp, 'write');
    host.writeFileSync(fd, bytes);
    host.fsyncSync(fd);
    host.closeFile(fd);
    fd = -1;
    host.rename(tmp, path);
    host.fsyncDir(dir);
  } catch (e) {
    if (fd !== -1) {
      try {
        host.closeFile(fd);
      } catch { /* already failing */ }
    }
    try {
      if (host.fileSize(tmp) >= 0) host.remove(tmp);
    } catch { /* best effort */ }
    throw e;
  }
}

/** Persists the manifest (persistAofManifest): temp file, fsync, rename, fsync of the directory. */
export function persistManifest(paths: AofPaths, m: Manifest): void {
  writeFileAtomic(paths.host, paths.dir, `temp-${strToUtf8(paths.manifestName)}`, paths.manifestPath, strToBytes(m.format()));
}
