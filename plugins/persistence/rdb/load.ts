// =================================================================================================
// Loading an RDB stream into the keyspace (rdbLoadRioWithLoadingCtx in src/rdb.c)
//
// Reads the header ("REDIS" and a 4-digit version, 1..12), then opcodes until EOF, then checks
// the CRC-64 (version >= 5; a stored 0 means the writer had rdbchecksum off). Keys go straight
// into the databases' Maps (no dirty count, no keyspace events, as Redis loads), with the TTL,
// and the LRU idle time or LFU counter when the file has them and maxmemory-policy uses them.
// Keys already expired are dropped and counted, unless the file is an AOF preamble (the AOF
// that follows holds their deletion). An empty collection is skipped with a log, as Redis does.
//
// Errors: anything damaged, truncated or unsupported throws RdbError naming what and where;
// the caller refuses to start (or RESTORE replies with an error). Nothing is skipped silently.
//
// Design: loading runs in slices: after each `yieldEvery` bytes it awaits `pause()` so the event
// loop can answer clients (with -LOADING) and report progress, as Redis processes events every
// loading-process-events-interval-bytes. The load is a generator that yields at those points, so
// DEBUG RELOAD can run the same code in one synchronous go (loadRdbSync).
// =================================================================================================

import { type Keyspace, newEntry } from '../../../core/keyspace.ts';
import { lruForIdle } from '../../../core/eviction.ts';
import { Crc64 } from './_crc64.ts';
import { RdbError } from './_errors.ts';
import { EMPTY_KEY, forgetDecoderScratch, RDB_MAX_VERSION, type RdbReader, readValue, typeName } from './_decode.ts';
import { OP, TYPE } from './_encode.ts';
import { forgetInterned } from './_strings.ts';
import type { Limits } from './values.ts';

export interface LoadOptions {
  limits: Limits;
  /** maxmemory-policy's family: FREQ data applies under LFU policies, IDLE data under others. */
  evictionInfo: 'lru' | 'lfu' | null;
  /** rdbchecksum: verify the CRC-64. */
  verifyChecksum: boolean;
  /** An AOF's RDB preamble: expired keys are kept (the AOF deletes them). */
  aofPreamble: boolean;
  /** Called every `yieldEvery` bytes; loading waits for it. */
  pause?: (offset: number) => Promise<void>;
  yieldEvery?: number;
  /** key-load-delay: microseconds to wait after each key (tests use it to make loading slow). */
  keyDelayUs?: number;
  /** Log lines (notice level unless said). */
  log: (level: 'notice' | 'warning' | 'verbose', message: string) => void;
  /** Current time, Unix ms, for expiry and ages. */
  now: number;
  /** Given the count of blobs checked (RdbReader.sanitized) when sanitize-dump-payload would
   * have Redis check them deeply, for INFO dump_payload_sanitizations. */
  sanitized?: (n: number) => void;
  /** DEBUG RELOAD MERGE (RDBFLAGS_ALLOW_DUP): a key already in its database, or given twice,
   * is replaced by the one read; otherwise that is an error. */
  replace?: boolean;
  /** Kept up to date for a report should the load fail (see LoadTrace). */
  trace?: LoadTrace;
}

/**
 * What redis-check-rdb says about a file, which Redis prints when a load fails on damage
 * (rdbReportError runs it): the AUX fields and database selections read, each with the offset
 * after it, what the loader was doing, the key and type it was reading, and how many keys it
 * had read, with an expiry and already expired. The loader keeps it as it goes.
 */
export interface LoadTrace {
  lines: string[];
  doing: string;
  key: string | null;
  type: number;
  keys: number;
  expires: number;
  alreadyExpired: number;
  /** The trace where the check would have stopped on a type it does not know, and the offset
   * after that type. */
  invalidType: (LoadTrace & { offset: number; badType: number }) | null;
}

export function newLoadTrace(): LoadTrace {
  // Type 0, not -1: redis-check-rdb's state starts zeroed, so until a first key is read whole its
  // report names type 0 (string).
  return { lines: [], doing: 'start', key: null, type: 0, keys: 0, expires: 0, alreadyExpired: 0, invalidType: null };
}

/** redis-check-rdb's names of the RDB types (rdb_type_string). */
const CHECK_TYPE_NAMES = [
  'string', 'list-linked', 'set-hashtable', 'zset-v1', 'hash-hashtable', 'zset-v2', 'module-value', '', '',
  'hash-zipmap', 'list-ziplist', 'set-intset', 'zset-ziplist', 'hash-ziplist', 'quicklist', 'stream',
  'hash-listpack', 'zset-listpack', 'quicklist-v2',
];

/** The report redis-check-rdb prints for `file` when the load failed at `offset` with `message`. */
export function checkReport(file: string, tr: LoadTrace, offset: number, message: string): string {
  const out = [`[offset 0] Checking RDB file ${file}`, ...tr.lines, '--- RDB ERROR DETECTED ---',
    `[offset ${offset}] ${message}`, `[additional info] While doing: ${tr.doing}`];
  if (tr.key !== null) out.push(`[additional info] Reading key '${printable(tr.key)}'`);
  if (tr.type !== -1) out.push(`[additional info] Reading type ${tr.type} (${CHECK_TYPE_NAMES[tr.type] ?? 'unknown'})`);
  out.push(`[info] ${tr.keys} keys read`, `[info] ${tr.expires} expires`, `[info] ${tr.alreadyExpired} already expired`);
  return out.join('\n') + '\n';
}

export interface LoadResult {
  version: number;
  keysLoaded: number;
  keysExpired: number;
  emptyKeysSkipped: number;
  /** AUX fields as read. */
  aux: Map<string, string>;
  /** Bytes read, checksum included. */
  bytes: number;
}

/** The value types this loader reads (or names, when it cannot load them). */
const VALUE_TYPES = new Set<number>(Object.values(TYPE));

/** Most keys a RESIZEDB may make room for ahead of loading them (48 MB of index and hashes). */
const MAX_RESERVE = 1 << 22;

/**
 * Reads a whole RDB stream from `r` into `ks`. On an error the keys loaded so far stay in `ks`
 * (the caller stops the server or empties it). Returns counts and the AUX fields.
 */
export async function loadRdb(r: RdbReader, ks: Keyspace, opts: LoadOptions): Promise<LoadResult> {
  const steps = loadSteps(r, ks, opts);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (step.value >= 0) await opts.pause!(step.value);
    else await new Promise((resolve) => setTimeout(resolve, -step.value));
  }
}

/**
 * The same, in one go: no pauses and no key-load-delay. For DEBUG RELOAD, which like Redis's
 * blocks the server for the whole load.
 */
export function loadRdbSync(r: RdbReader, ks: Keyspace, opts: LoadOptions): LoadResult {
  const step = loadSteps(r, ks, { ...opts, pause: undefined, keyDelayUs: 0 }).next();
  if (!step.done) throw new Error('loadRdbSync: the load paused');
  return step.value;
}

/**
 * The load itself. It yields where the event loop should get a turn: the byte offset reached
 * (every `yieldEvery` bytes, when there is a `pause`), or minus a number of milliseconds to
 * sleep (key-load-delay); the drivers above do the waiting.
 */
function* loadSteps(r: RdbReader, ks: Keyspace, opts: LoadOptions): Generator<number, LoadResult, void> {
  const magic = r.view(9);
  let head = '';
  for (const b of magic) head += String.fromCharCode(b);
  if (head.slice(0, 5) !== 'REDIS') throw new RdbError('Wrong signature trying to load DB from file');
  // The version is what C's atoi makes of the four characters, as in Redis (so "e010" is 0).
  const digits = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(head.slice(5));
  const version = digits === null ? 0 : parseInt(digits[1], 10);
  if (version < 1 || version > RDB_MAX_VERSION) throw new RdbError(`Can't handle RDB format version ${version}`);
  const res: LoadResult = { version, keysLoaded: 0, keysExpired: 0, emptyKeysSkipped: 0, aux: new Map(), bytes: 0 };
  let db = ks.dbs[0];
  let expireAt = -1;
  let lruIdle = -1n;
  let lfuFreq = -1;
  const yieldEvery = opts.yieldEvery ?? 2 * 1024 * 1024;
  let nextYield = yieldEvery;
  const lruClock = Math.floor(opts.now / 1000);
  const keyDelay = opts.keyDelayUs ?? 0;
  const replace = opts.replace === true;
  let delayed = 0;
  const tr = opts.trace;
  // Keys are appended to the database's table and indexed in bulk (KeyTable.append): all at
  // once at a change of database and at the end, where a key given twice is reported (anything
  // that looks a key up meanwhile, during a pause, has the table index them first).
  const indexKeys = (): void => {
    const dup = db.keys.flush();
    // Redis's log line (it then panics: "Duplicated key found in RDB file").
    if (dup !== null) throw new RdbError(`RDB has duplicated key '${printable(dup)}' in DB ${db.id}`);
  };
  for (;;) {
    if (opts.pause !== undefined && r.offset >= nextYield) {
      nextYield = r.offset + yieldEvery;
      yield r.offset;
    }
    if (tr !== undefined) tr.doing = 'read-type';
    const t = r.byte();
    if (tr !== undefined) tr.doing = t === OP.EXPIRETIME_MS || t === OP.EXPIRETIME ? 'read-expire'
      : t === OP.AUX ? 'read-aux' : t === OP.SELECTDB || t === OP.RESIZEDB ? 'read-len' : 'read-type';
    if (t === OP.EXPIRETIME_MS) {
      expireAt = r.u64le();
      continue;
    }
    if (t === OP.EXPIRETIME) {
      // rdbLoadTime: a 32-bit signed time_t, in seconds.
      expireAt = (r.u32le() | 0) * 1000;
      continue;
    }
    if (t === OP.IDLE) {
      // rdbLoadLen into a long long: a length of 2^63 or more reads as negative, and is ignored.
      lruIdle = BigInt.asIntN(64, r.len64());
      continue;
    }
    if (t === OP.FREQ) {
      lfuFreq = r.byte();
      continue;
    }
    if (t === OP.EOF) break;
    if (t === OP.SELECTDB) {
      indexKeys();
      const id = r.len();
      if (id >= ks.dbs.length) {
        throw new RdbError(`Data file was created with a Redis server configured to handle more than ${ks.dbs.length} databases`);
      }
      db = ks.dbs[id];
      tr?.lines.push(`[offset ${r.offset}] Selecting DB ID ${id}`);
      continue;
    }
    if (t === OP.RESIZEDB) {
      // Sizes the key table once, as Redis does; capped, since a damaged file may claim anything.
      db.keys.reserve(db.keys.size + Math.min(r.len(), MAX_RESERVE));
      r.len();
      continue;
    }
    if (t === OP.AUX) {
      const k = r.string();
      const v = r.string();
      res.aux.set(k, v);
      tr?.lines.push(`[offset ${r.offset}] AUX FIELD ${printable(k)} = '${printable(v)}'`);
      // Redis's notices, for the fields it names (strtoll's reading of the flags' values).
      const flag = (): boolean => (parseInt(v.trim(), 10) || 0) !== 0;
      if (k.startsWith('%')) opts.log('notice', `RDB '${k}': ${v}`);
      else if (k === 'redis-ver') opts.log('notice', `Loading RDB produced by version ${v}`);
      else if (k === 'aof-preamble') {
        if (flag()) opts.log('notice', 'RDB has an AOF tail');
      } else if (k === 'aof-base') {
        if (flag()) opts.log('notice', 'RDB is base AOF');
      } else if (k === 'ctime') {
        let age = Math.floor(opts.now / 1000) - Number(v);
        if (age < 0) age = 0;
        opts.log('notice', `RDB age ${age} seconds`);
      } else if (k === 'used-mem') {
        opts.log('notice', `RDB memory usage when created ${(Number(v) / (1024 * 1024)).toFixed(2)} Mb`);
      } else if (k === 'lua') {
        opts.log('warning', 'The RDB file holds a Lua script (lua AUX field) from Redis < 7.0; echokv has no scripting and ignores it');
      } else if (!['redis-bits', 'repl-stream-db', 'repl-id', 'repl-offset'].includes(k)) {
        opts.log('verbose', `Unrecognized RDB AUX field: '${k}'`);
      }
      continue;
    }
    if (t === OP.MODULE_AUX) {
      throw new RdbError('The RDB file contains module auxiliary data (MODULE_AUX), and echokv does not support modules');
    }
    if (t === OP.FUNCTION2 || t === OP.FUNCTION_PRE_GA) {
      throw new RdbError('The RDB file contains Redis functions (FUNCTION opcode), and echokv does not support functions');
    }
    if (t === OP.SLOT_INFO) {
      throw new RdbError('The RDB file contains cluster slot information (SLOT_INFO, Redis 7.4 cluster mode), which echokv does not support');
    }
    // A key/value pair of type t.
    const keyAt = r.offset;
    if (tr !== undefined) {
      // redis-check-rdb stops at a type it does not know, before the key; Redis's loader, and
      // this one, read the key first and then fail on the value.
      if (tr.invalidType === null && !VALUE_TYPES.has(t)) {
        tr.invalidType = { ...tr, lines: tr.lines.slice(), invalidType: null, offset: r.offset, badType: t };
      }
      tr.doing = 'read-key';
      tr.type = t;
    }
    const key = r.string();
    if (tr !== undefined) {
      tr.doing = 'read-object-value';
      tr.key = key;
      tr.keys++;
    }
    let value;
    try {
      value = readValue(r, t, opts.limits);
    } catch (e) {
      // Without a check report to name the key, the error does. An early end is said as Redis
      // says it, whatever it cut.
      if (e instanceof RdbError && !e.eof && tr === undefined) {
        throw new RdbError(`${e.message} (key '${printable(key)}' of type ${typeName(t)} in DB ${db.id}, at offset ${keyAt - 1})`);
      }
      throw e;
    } finally {
      if (r.sanitized > 0) {
        opts.sanitized?.(r.sanitized);
        r.sanitized = 0;
      }
    }
    if (value === EMPTY_KEY) {
      if (res.emptyKeysSkipped++ < 10) opts.log('notice', `rdbLoadObject skipping empty key: ${printable(key)}`);
    } else if (!opts.aofPreamble && expireAt !== -1 && expireAt < opts.now) {
      res.keysExpired++;
    } else {
      const e = newEntry(value, lruClock);
      // objectSetLRUOrLFU: a frequency under an LFU policy, an idle time under any other.
      if (opts.evictionInfo === 'lfu') {
        if (lfuFreq >= 0) e.lru = ((Math.floor(opts.now / 60000) & 65535) << 8) | lfuFreq;
      } else {
        const lru = lruForIdle(opts.now, lruIdle);
        if (lru !== null) e.lru = lru;
      }
      // As Redis's dbSyncDelete there: no change counted, no WATCH touched.
      if (replace && db.keys.has(key)) db.detach(key);
      db.keys.append(key, e);
      if (expireAt !== -1) {
        e.expireAt = expireAt;
        db.expires.set(key, e);
      }
      res.keysLoaded++;
    }
    if (tr !== undefined) {
      if (expireAt !== -1) tr.expires++;
      if (expireAt !== -1 && expireAt < opts.now) tr.alreadyExpired++;
      tr.key = null;
      tr.type = -1;
    }
    expireAt = -1;
    lruIdle = -1n;
    lfuFreq = -1;
    if (keyDelay > 0) {
      indexKeys();
      delayed += keyDelay;
      if (delayed >= 1000) {
        yield -Math.floor(delayed / 1000);
        delayed %= 1000;
      }
    }
  }
  indexKeys();
  if (version >= 5) {
    if (tr !== undefined) tr.doing = 'check-sum';
    const computed = r.crcNow();
    const stored = r.view(8);
    let zero = true;
    for (const b of stored) if (b !== 0) zero = false;
    if (opts.verifyChecksum) {
      if (zero) opts.log('warning', 'RDB file was saved with checksum disabled: no check performed.');
      else if (!computed.matches(stored, 0)) {
        // Redis's two lines: this one, then rdbReportCorruptRDB's "RDB CRC error".
        opts.log('warning', checksumLine(computed, stored));
        throw new RdbError('RDB CRC error');
      }
    }
  }
  res.bytes = r.offset;
  forgetInterned();
  forgetDecoderScratch();
  return res;
}

/** A key for a log line: printable ASCII as is, other bytes as \xNN. */
export function printable(s: string): string {
  let out = '';
  for (let i = 0; i < s.length && i < 128; i++) {
    const c = s.charCodeAt(i);
    out += c >= 32 && c < 127 ? s[i] : '\\x' + c.toString(16).padStart(2, '0');
  }
  return s.length > 128 ? out + '...' : out;
}

/** The line Redis logs at the end of every RDB load (rdbLoadRioWithLoadingCtx). */
export function doneLoadingLine(res: LoadResult): string {
  return res.emptyKeysSkipped > 0
    ? `Done loading RDB, keys loaded: ${res.keysLoaded}, keys expired: ${res.keysExpired}, empty keys skipped: ${res.emptyKeysSkipped}.`
    : `Done loading RDB, keys loaded: ${res.keysLoaded}, keys expired: ${res.keysExpired}.`;
}

/** Redis's line for a checksum that is not the one stored. */
function checksumLine(computed: Crc64, stored: Uint8Array): string {
  return `Wrong RDB checksum expected: (${hex64(computed.hi, computed.lo)}) but got (${hex(stored)}). Aborting now.`;
}

/**
 * Checks the checksum at the end of a whole dump of `size` bytes, read with `readAt`: Redis's
 * line when it is wrong, null when it is right or absent (zero).
 */
export function checksumMismatch(size: number, readAt: (into: Uint8Array, pos: number) => number): string | null {
  if (size < 17) return null;
  const stored = new Uint8Array(8);
  if (readAt(stored, size - 8) !== 8 || stored.every((x) => x === 0)) return null;
  const c = new Crc64();
  const chunk = new Uint8Array(1 << 20);
  for (let pos = 0; pos < size - 8;) {
    const n = readAt(chunk.subarray(0, Math.min(chunk.length, size - 8 - pos)), pos);
    if (n <= 0) return null;
    c.update(chunk, 0, n);
    pos += n;
  }
  return c.matches(stored, 0) ? null : checksumLine(c, stored);
}

function hex(le: Uint8Array): string {
  let s = '';
  for (let i = 7; i >= 0; i--) s += le[i].toString(16).padStart(2, '0');
  return s.replace(/^0+(?=.)/, '');
}

function hex64(hi: number, lo: number): string {
  return (hi.toString(16) + lo.toString(16).padStart(8, '0')).replace(/^0+(?=.)/, '');
}
