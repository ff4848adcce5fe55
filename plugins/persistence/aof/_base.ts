// =================================================================================================
// The base file: a snapshot of the dataset, as RDB or as commands
// =================================================================================================
//
// Design. A rewrite writes one key at a time, in whatever order the snapshot hands keys over
// (the walk of each database, interleaved with keys taken early by copy-on-write), through a
// BaseEncoder:
//   - CommandsEncoder writes what Redis's rewriteAppendOnlyFileRio writes when
//     aof-use-rdb-preamble is no: per key the commands that rebuild it (SET; RPUSH, SADD, ZADD,
//     HMSET in batches of 64 items as AOF_REWRITE_ITEMS_PER_CMD; XADD ... XSETID, XGROUP CREATE,
//     XGROUP CREATECONSUMER and XCLAIM for streams), then PEXPIREAT for a TTL; SELECT whenever
//     the database differs from the previous key's.
//   - an RDB encoder, when aof-use-rdb-preamble is yes and the rdb plugin's encoder is available
//     (RdbBaseCodec below: the small interface this plugin needs from it). Without it the base is
//     written as commands (a .base.aof file), which every Redis 7.0 reads the same way.
// Aggregate values are read through the rdb plugin's per-type adapters (plugins/persistence/rdb/
// values.ts): the same walk serves the RDB and the AOF base, and a type without an adapter makes
// the rewrite fail with a message naming it rather than leave the key out.

import type { Server } from '../../../core/server.ts';
import { isString, stringLength, stringOf, type Value } from '../../../core/keyspace.ts';
import { bytesToStr } from '../../../core/bytes.ts';
import { formatDouble } from '../../../core/numbers.ts';
import { ADAPTERS, type StreamData, type StreamId } from '../rdb/values.ts';
// Registers the adapters of echokv's value classes (the rdb plugin imports it too).
import '../rdb/_adapters.ts';
import type { CommandBuffer } from './_resp.ts';

/** Redis's AOF_REWRITE_ITEMS_PER_CMD. */
const ITEMS_PER_CMD = 64;

/**
 * The longest argument a rewrite writes: a string value longer than this is written as a SET
 * and APPENDs (Redis writes one SET). 64 MB keeps every argument well under the longest JS
 * string (MAX_STRING_LENGTH, 24 bytes short of 512 MB), which the loader makes each argument.
 */
export const MAX_AOF_ARG = 64 * 1024 * 1024;

/** Writes a base file's bytes into a CommandBuffer, key by key. */
export interface BaseEncoder {
  /** True for an RDB base (the file is named .base.rdb), false for commands (.base.aof). */
  readonly rdb: boolean;
  /** What opens the file (RDB header and aux fields; a timestamp annotation). */
  begin(out: CommandBuffer): void;
  /**
   * One key of the snapshot: its database, name, value and absolute expiry (ms, 0 for none).
   * Throws an Error naming the type when the value cannot be written.
   */
  entry(out: CommandBuffer, db: number, key: string, value: Value, expireAt: number): void;
  /** What closes the file (RDB EOF and checksum). */
  end(out: CommandBuffer): void;
}

/**
 * What the AOF needs from an RDB implementation (the rdb plugin provides it):
 * - load: reads the RDB image at the start of the file at `path` into the server's keyspace
 *   (expired keys included, as Redis loads an AOF preamble) and returns the file offset just
 *   after the image (after its EOF opcode and checksum), where AOF commands may follow. Throws
 *   an Error saying what is wrong (and where) for a damaged or unsupported image.
 * - encoder: a BaseEncoder writing an RDB file with the aux field aof-base set to 1.
 */
export interface RdbBaseCodec {
  load(server: Server, path: string): Promise<number>;
  /** load without yielding to the event loop. */
  loadSync(server: Server, path: string): number;
  encoder(server: Server): BaseEncoder;
}

/** The base as commands (aof-use-rdb-preamble no, or no RDB encoder). */
export class CommandsEncoder implements BaseEncoder {
  readonly rdb = false;
  private db = -1;
  private readonly timestamp: number | null;

  /** `timestamp`: Unix seconds for the `#TS:` annotation aof-timestamp-enabled writes first. */
  constructor(timestamp: number | null) {
    this.timestamp = timestamp;
  }

  begin(out: CommandBuffer): void {
    if (this.timestamp !== null) out.raw(new TextEncoder().encode(`#TS:${this.timestamp}\r\n`));
  }

  end(): void {}

  entry(out: CommandBuffer, db: number, key: string, value: Value, expireAt: number): void {
    if (db !== this.db) {
      out.command(['SELECT', String(db)]);
      this.db = db;
    }
    if (isString(value)) {
      const len = stringLength(value);
      if (len <= MAX_AOF_ARG) out.command(['SET', key, stringOf(value)]);
      else {
        // Longer than a JS string may be (SETRANGE or APPEND grew it): SET of the first part,
        // then APPENDs, each argument short enough for a string when the file is loaded.
        const part = (from: number): string => {
          const to = Math.min(len, from + MAX_AOF_ARG);
          return typeof value === 'string' ? value.slice(from, to) : bytesToStr(value.buf, from, to);
        };
        out.command(['SET', key, part(0)]);
        for (let at = MAX_AOF_ARG; at < len; at += MAX_AOF_ARG) out.command(['APPEND', key, part(at)]);
      }
    } else {
      switch (value.type) {
        case 'list': {
          const a = ADAPTERS.list;
          if (a === undefined) throw missing('list');
          batched(out, ['RPUSH', key], (push) => a.source(value).each((el) => push(el)));
          break;
        }
        case 'set': {
          const a = ADAPTERS.set;
          if (a === undefined) throw missing('set');
          batched(out, ['SADD', key], (push) => a.source(value).each((m) => push(m)));
          break;
        }
        case 'zset': {
          const a = ADAPTERS.zset;
          if (a === undefined) throw missing('zset');
          batched(out, ['ZADD', key], (push) => a.source(value).each((m, score) => push(formatDouble(score), m)));
          break;
        }
        case 'hash': {
          const a = ADAPTERS.hash;
          if (a === undefined) throw missing('hash');
          batched(out, ['HMSET', key], (push) => a.source(value).each((f, v) => push(f, v)));
          break;
        }
        case 'stream': {
          const a = ADAPTERS.stream;
          if (a === undefined) throw missing('stream');
          streamCommands(out, key, a.source(value).data());
          break;
        }
        default:
          throw new Error(`echokv cannot write a value of type '${(value as { type: string }).type}' to the AOF`);
      }
    }
    if (expireAt !== 0) out.command(['PEXPIREAT', key, String(expireAt)]);
  }
}

function missing(type: string): Error {
  return new Error(`echokv cannot write ${type} values to the AOF base yet: no ${type} adapter is registered (plugins/persistence/rdb/values.ts)`);
}

/**
 * Emits `head` + items as commands of at most ITEMS_PER_CMD items (an item being one or two
 * arguments), as rewriteListObject and friends do.
 */
function batched(out: CommandBuffer, head: string[], walk: (push: (...item: string[]) => void) => void): void {
  let args: string[] = [...head];
  let items = 0;
  walk((...item) => {
    for (const x of item) args.push(x);
    if (++items === ITEMS_PER_CMD) {
      out.command(args);
      args = [...head];
      items = 0;
    }
  });
  if (items > 0) out.command(args);
}

/** A 16-byte stream ID (two big-endian u64) as "ms-seq". */
export function formatStreamId(id: StreamId): string {
  let ms = 0n;
  let seq = 0n;
  for (let i = 0; i < 8; i++) ms = (ms << 8n) | BigInt(id.charCodeAt(i));
  for (let i = 8; i < 16; i++) seq = (seq << 8n) | BigInt(id.charCodeAt(i));
  return `${ms}-${seq}`;
}

/** rewriteStreamObject: the entries, the last ID and counters, the groups with their PELs. */
function streamCommands(out: CommandBuffer, key: string, s: StreamData): void {
  if (s.length > 0) {
    for (const e of s.entries) out.command(['XADD', key, formatStreamId(e.id), ...e.fields]);
  } else {
    // An empty stream: XADD MAXLEN 0 makes the key without keeping the entry.
    out.command(['XADD', key, 'MAXLEN', '0', '0-1', 'x', 'y']);
  }
  out.command(['XSETID', key, formatStreamId(s.lastId), 'ENTRIESADDED', String(s.entriesAdded),
    'MAXDELETEDID', formatStreamId(s.maxDeletedId)]);
  for (const g of s.groups) {
    out.command(['XGROUP', 'CREATE', key, g.name, formatStreamId(g.lastId), 'ENTRIESREAD', String(g.entriesRead)]);
    const nacks = new Map(g.pending.map((p) => [p.id, p]));
    for (const c of g.consumers) {
      if (c.pending.length === 0) {
        out.command(['XGROUP', 'CREATECONSUMER', key, g.name, c.name]);
        continue;
      }
      for (const id of c.pending) {
        const nack = nacks.get(id);
        if (nack === undefined) throw new Error(`Stream ${key}: consumer ${c.name} owns an entry missing from the group's pending list`);
        out.command(['XCLAIM', key, g.name, c.name, '0', formatStreamId(id), 'TIME', String(nack.deliveryTime),
          'RETRYCOUNT', String(nack.deliveryCount), 'JUSTID', 'FORCE']);
      }
    }
  }
}
