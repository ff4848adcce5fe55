// =================================================================================================
// RDB values outside whole files: DUMP / RESTORE payloads, and the RDB base of an AOF
//
// A DUMP payload (createDumpPayload / verifyDumpPayload in src/cluster.c) is
//   <type byte> <value, as in an RDB file> <RDB version: u16 LE> <CRC-64 of all before: u64 LE>
// Redis 7.0 writes version 10 and refuses payloads of a higher version; echokv reads up to 12
// (Redis 7.4), as it does files. A payload is refused as "version or checksum wrong" when it is
// shorter than 10 bytes, its version is too high or its checksum does not match, and as "bad
// data format" when the value cannot be read.
//
// The AOF engineer's RdbBaseCodec (plugins/persistence/aof/_base.ts) is implemented here too: an
// RDB image with aof-base 1 written key by key into the AOF's buffer, and loading such an image
// from the start of a base file.
// =================================================================================================

import type { Value } from '../../../core/keyspace.ts';
import type { Server } from '../../../core/server.ts';
import { REDIS_VERSION } from '../../../core/server.ts';
import { crc64 } from './_crc64.ts';
import { RdbError } from './_errors.ts';
import { bufferSource, EMPTY_KEY, RDB_MAX_VERSION, RdbReader, readValue } from './_decode.ts';
import { type EncodeOptions, OP, RDB_VERSION, RdbWriter, TYPE } from './_encode.ts';
import { checkReport, doneLoadingLine, type LoadOptions, type LoadTrace, loadRdb, loadRdbSync, newLoadTrace } from './load.ts';
import { writeHeader } from './snapshot.ts';
import { type Limits, limitsFrom } from './values.ts';

/** Encoding options from a server's configuration (rdbcompression, limits, eviction policy). */
export function encodeOptions(server: Server): EncodeOptions {
  const policy = server.config.str('maxmemory-policy');
  return {
    compress: server.config.bool('rdbcompression'),
    limits: limitsFrom(server.config),
    evictionInfo: policy.endsWith('-lru') ? 'lru' : policy.endsWith('-lfu') ? 'lfu' : null,
    now: server.keyspace.clock(),
    lfuDecayTime: server.config.num('lfu-decay-time'),
    packedThreshold: server.packedThreshold,
  };
}

/**
 * The used-mem AUX field. Redis writes zmalloc_used_memory(); echokv's used_memory is a per-key
 * estimate that, once first asked for, is kept up to date on every write from then on (INFO
 * memory and maxmemory need it). A save must not switch that cost on for a server that never
 * asked (the AOF's base at start-up did, making every later SET pay it): without the estimate
 * the field holds the heap in use, which is what it is for (a figure for the log at load time).
 */
export function auxUsedMemory(server: Server): number {
  return server.eviction.tracking ? server.usedMemory() : server.heapMemory();
}

/** DUMP: the payload of `value`. Throws RdbError for a type echokv cannot serialize yet. */
export function dumpPayload(value: Value, opts: EncodeOptions): Uint8Array {
  const w = new RdbWriter(opts, 256);
  w.object(null, value);
  w.byte(RDB_VERSION & 0xff);
  w.byte(RDB_VERSION >>> 8);
  const body = w.buf.subarray(0, w.pos);
  const c = crc64(body);
  w.raw(c.bytesLE());
  return w.buf.slice(0, w.pos);
}

/**
 * DEBUG OBJECT's figures for a value, from its DUMP payload: serializedlength (rdbSavedObjectLen,
 * the bytes of its RDB form after the type byte) and, for a list, the number of quicklist nodes
 * and their total uncompressed size (ql_nodes, ql_uncompressed_size) as the dump lays them out.
 */
export function serializedInfo(value: Value, opts: EncodeOptions): { length: number; nodes: number; nodeBytes: number } {
  const p = dumpPayload(value, opts);
  const info = { length: p.length - 11, nodes: 0, nodeBytes: 0 };
  if (p[0] === TYPE.LIST_QUICKLIST_2) {
    const r = new RdbReader(bufferSource(p), false, p.length);
    r.byte();
    info.nodes = r.len();
    for (let i = 0; i < info.nodes; i++) {
      r.len(); // the container
      info.nodeBytes += r.blob().length;
    }
  }
  return info;
}

/** Why a payload was refused: RESTORE's two error replies. */
export type PayloadProblem = 'version-or-checksum' | 'bad-format';

/** How RESTORE reads a payload: DEBUG SET-SKIP-CHECKSUM-VALIDATION, and where the reason a
 * payload is a bad format goes (Redis logs it at verbose level). */
export interface PayloadOptions {
  skipChecksum?: boolean;
  whyBad?: (reason: string) => void;
  /** As LoadOptions.sanitized: when Redis would check the payload deeply. */
  sanitized?: (n: number) => void;
}

/** RESTORE and FUNCTION RESTORE: the version and checksum check of verifyDumpPayload. */
function footerOk(payload: Uint8Array, skipChecksum: boolean): boolean {
  const n = payload.length;
  if (n < 10 || (payload[n - 10] | (payload[n - 9] << 8)) > RDB_MAX_VERSION) return false;
  return skipChecksum || crc64(payload, 0, n - 8).matches(payload, n - 8);
}

/**
 * RESTORE: the value in `payload`, or the problem. An empty collection is a bad format (Redis
 * refuses it too).
 */
export function restorePayload(payload: Uint8Array, limits: Limits, opts: PayloadOptions = {}): Value | PayloadProblem {
  const n = payload.length;
  if (!footerOk(payload, opts.skipChecksum === true)) return 'version-or-checksum';
  // Like Redis, read from the whole payload: a value that claims more bytes than it has runs
  // into the footer rather than failing (rioInitWithBuffer over the whole argument).
  const r = new RdbReader(bufferSource(payload), false, Math.max(64, n));
  try {
    const t = r.byte();
    const v = readValue(r, t, limits);
    if (v === EMPTY_KEY) {
      opts.whyBad?.('Empty keys are not allowed');
      return 'bad-format';
    }
    return v;
  } catch (e) {
    if (!(e instanceof RdbError)) throw e;
    opts.whyBad?.(e.message);
    return 'bad-format';
  } finally {
    // Counted before each check, so a blob found bad counts too, as in rdbLoadObject.
    if (r.sanitized > 0) opts.sanitized?.(r.sanitized);
  }
}

/** FUNCTION DUMP of no libraries: only the RDB version and the checksum, as Redis writes it. */
export function emptyFunctionsPayload(): Uint8Array {
  const out = new Uint8Array(10);
  out[0] = RDB_VERSION & 0xff;
  out[1] = RDB_VERSION >>> 8;
  out.set(crc64(out, 0, 2).bytesLE(), 2);
  return out;
}

/**
 * FUNCTION RESTORE: the code of the first library in `payload` (a record of a 7.0 rc version
 * translated to a shebang line, as Redis's rdbFunctionLoad does), an empty list when it holds
 * none, or Redis's error text. Redis creates each library as it reads it, so what follows the
 * first one matters only when that one loads, which it never does without an engine.
 */
export function functionsInPayload(payload: Uint8Array, skipChecksum = false): string[] | string {
  const n = payload.length;
  if (!footerOk(payload, skipChecksum)) return 'DUMP payload version or checksum are wrong';
  const r = new RdbReader(bufferSource(payload), false, Math.max(64, n));
  const libraries: string[] = [];
  while (n - r.offset > 10) {
    let t: number;
    try {
      t = r.byte();
    } catch (e) {
      if (e instanceof RdbError) return 'can not read data type';
      throw e;
    }
    if (t !== OP.FUNCTION2 && t !== OP.FUNCTION_PRE_GA) return 'given type is not a function';
    let step = t === OP.FUNCTION2 ? 'library payload' : 'library name';
    try {
      if (t === OP.FUNCTION2) libraries.push(r.string());
      else {
        const name = r.string();
        step = 'engine name';
        const engine = r.string();
        step = 'library description indicator';
        const hasDesc = r.len();
        step = 'library description';
        if (hasDesc !== 0) r.string();
        step = 'library blob';
        libraries.push(`#!${engine} name=${name}\n${r.string()}`);
      }
    } catch (e) {
      if (e instanceof RdbError) return `Failed loading ${step}`;
      throw e;
    }
    return libraries;
  }
  return libraries;
}

// -------------------------------------------------------------------------------------------------
// The AOF base (the shape plugins/persistence/aof/_base.ts asks for)

/** What the AOF's CommandBuffer offers (raw bytes appended in order). */
interface ByteSink {
  raw(bytes: Uint8Array): void;
}

/**
 * An RDB image written key by key (BaseEncoder): header with aof-base 1, then each key after a
 * SELECTDB whenever the database changes (keys of one database may come in several runs, which
 * every RDB reader accepts), then EOF and the checksum of all of it.
 */
export class RdbBaseEncoder {
  readonly rdb = true;
  private readonly w: RdbWriter;
  private readonly server: Server;
  private db = -1;

  constructor(server: Server) {
    this.server = server;
    this.w = new RdbWriter(encodeOptions(server), 1 << 16);
  }

  begin(out: ByteSink): void {
    writeHeader(this.w, {
      redisVersion: REDIS_VERSION,
      ctime: Math.floor(this.server.keyspace.clock() / 1000),
      usedMem: auxUsedMemory(this.server),
      aofBase: true,
    });
    out.raw(this.w.drain());
  }

  entry(out: ByteSink, db: number, key: string, value: Value, expireAt: number): void {
    if (db !== this.db) {
      this.w.byte(OP.SELECTDB);
      this.w.len(db);
      this.db = db;
    }
    this.w.keyValueOf(key, value, expireAt);
    out.raw(this.w.drain());
  }

  end(out: ByteSink): void {
    out.raw(this.w.finish(this.server.config.bool('rdbchecksum')));
  }
}

/** The rdb plugin's side of the AOF's RdbBaseCodec. */
export const rdbBaseCodec = {
  encoder(server: Server): RdbBaseEncoder {
    return new RdbBaseEncoder(server);
  },
  /**
   * Loads the RDB image at the start of the file at `path` into the server (expired keys kept,
   * as for any AOF preamble); returns the offset just after its checksum. Throws an Error naming
   * the file and what is wrong.
   */
  async load(server: Server, path: string): Promise<number> {
    const fd = server.host.openFile(path, 'read');
    const trace = newLoadTrace();
    const r = fileReader(server, path, fd);
    try {
      const res = await loadRdb(r, server.keyspace, { ...loadOptionsFor(server, true), trace });
      server.log.notice(doneLoadingLine(res));
      return res.bytes;
    } catch (e) {
      throw preambleError(server, e, path, trace, r, true);
    } finally {
      server.host.closeFile(fd);
    }
  },
  /** load without yielding to the event loop (DEBUG LOADAOF). */
  loadSync(server: Server, path: string): number {
    const fd = server.host.openFile(path, 'read');
    const trace = newLoadTrace();
    const r = fileReader(server, path, fd);
    try {
      const res = loadRdbSync(r, server.keyspace, { ...loadOptionsFor(server, true), trace });
      server.log.notice(doneLoadingLine(res));
      return res.bytes;
    } catch (e) {
      throw preambleError(server, e, path, trace, r, false);
    } finally {
      server.host.closeFile(fd);
    }
  },
};

/** A reader of the RDB file open as `fd` at `path`. */
export function fileReader(server: Server, path: string, fd: number): RdbReader {
  const host = server.host;
  return new RdbReader({ size: host.fileSize(path), read: (into, at, n, pos) => host.readFileAt(fd, into.subarray(at, at + n), pos) });
}

/**
 * What a load takes from the config, as Redis's rdbLoad reads it. An AOF preamble keeps
 * expired keys, as Redis loads any AOF preamble, and yields between slices.
 */
export function loadOptionsFor(server: Server, aofPreamble: boolean): LoadOptions {
  const policy = server.config.str('maxmemory-policy');
  return {
    limits: limitsFrom(server.config),
    evictionInfo: policy.endsWith('-lru') ? 'lru' : policy.endsWith('-lfu') ? 'lfu' : null,
    verifyChecksum: server.config.bool('rdbchecksum') && !server.skipChecksumValidation,
    aofPreamble,
    pause: aofPreamble ? () => new Promise((resolve) => setTimeout(resolve, 0)) : undefined,
    log: (level, m) => server.log[level](m),
    now: server.keyspace.clock(),
    // Loading checks deeply under `yes` only (`clients` skips it while loading).
    sanitized: server.config.str('sanitize-dump-payload') === 'yes'
      ? (n) => void (server.stats.dumpPayloadSanitizations += n) : undefined,
  };
}

/**
 * A decoding error is reported (see reportDamage; Redis runs its checker on an AOF base too) and
 * names the file; anything else passes as it is. Redis then ends the process even under DEBUG
 * LOADAOF; echokv stops only a start-up (`starting`), and says it is terminating only then.
 */
function preambleError(server: Server, e: unknown, path: string, trace: LoadTrace, r: RdbReader, starting: boolean): unknown {
  if (!(e instanceof RdbError)) return e;
  // Redis's loading offset for a preamble moves once per loading-process-events-interval-bytes.
  const step = server.config.num('loading-process-events-interval-bytes');
  const found = reportDamage(server, path.slice(path.lastIndexOf('/') + 1), e, trace, r.offset, Math.floor(r.offset / step) * step);
  if (found === 'value' && starting) server.log.warning('Terminating server after rdb file reading failure.');
  return new Error(`Bad RDB preamble in ${path}: ${e.message}`);
}

/**
 * A damaged file, as Redis reports it. A file that is not an RDB at all (bad signature or
 * version) gets its reason logged alone ('header'): no check runs for those. Otherwise, as
 * Redis's rdbReportError does, the reason with the offset loading had reached (`progress`) is
 * logged, then redis-check-rdb's report printed on stdout. redis-check-rdb finds a bad checksum,
 * a premature end or a type it does not know itself, says just that, and ends the process
 * ('checker'). Damage found inside a value's loader is reported by that loader ('value'), and
 * rdbReportError then logs "Terminating server after rdb file reading failure.". `checksumFirst`
 * is the checksum line Redis logs instead, for damage in a blob that only its check goes deep
 * enough to find (see passesShallowCheck): Redis's loader takes the blob and fails on the
 * file's checksum.
 */
export function reportDamage(
  server: Server, file: string, e: RdbError, trace: LoadTrace, offset: number, progress: number,
  checksumFirst: string | null = null,
): 'header' | 'checker' | 'value' {
  if (trace.doing === 'start' && !e.eof) {
    server.log.warning(e.message);
    return 'header';
  }
  if (e.eof) server.log.warning('Short read or OOM loading DB. Unrecoverable error, aborting now.');
  const logged = checksumFirst === null ? e.message : 'RDB CRC error';
  if (checksumFirst !== null) server.log.warning(checksumFirst);
  server.log.warning(`Internal error in RDB reading offset ${progress}, function at rdbLoad -> ${logged}`);
  const bad = trace.invalidType;
  if (bad !== null) {
    server.host.stdout(checkReport(file, bad, bad.offset, `Invalid object type: ${bad.badType}`));
    return 'checker';
  }
  const checkerFound = trace.doing === 'check-sum' || e.eof;
  // The check's own loading offset stays 0: it reports no progress.
  const found = checkerFound ? e.message : `Internal error in RDB reading offset 0, function at rdbLoad -> ${e.message}`;
  server.host.stdout(checkReport(file, trace, offset, found));
  return checkerFound ? 'checker' : 'value';
}
