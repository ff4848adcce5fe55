// =================================================================================================
// The bridge between echokv's values and the RDB value types
//
// The RDB encoder and decoder never look inside echokv's value classes. For each aggregate type
// they talk to a small interface instead:
// - to write a value, a *source*: its encoding (the one OBJECT ENCODING reports, which is the
//   RDB type Redis 7.0 writes for it), its size, and an ordered walk of its contents;
// - to load one, a *builder*: takes the decoded contents and returns the value, choosing its
//   encoding from the config thresholds as Redis does when it loads (a listpack hash that is too
//   big for hash-max-listpack-entries becomes a hashtable, a small hashtable set of integers an
//   intset, and so on).
// `ADAPTERS` holds, per type, the two functions for echokv's class of that type. A type whose
// class does not exist yet has no adapter: saving such a value, or loading such an RDB type,
// fails with a message naming the type, never skipping data.
// =================================================================================================

import type { ObjectValue } from '../../../core/keyspace.ts';
import type { Config } from '../../../core/config/mod.ts';

/** A list: its elements head to tail. OBJECT ENCODING is always quicklist in Redis 7.0. */
export interface ListSource {
  readonly length: number;
  each(fn: (element: string) => void): void;
}

/** A set. 'listpack' exists from Redis 7.2 only; 7.0 has intset and hashtable. */
export interface SetSource {
  readonly encoding: 'intset' | 'hashtable' | 'listpack';
  readonly size: number;
  each(fn: (member: string) => void): void;
}

export interface HashSource {
  readonly encoding: 'listpack' | 'hashtable';
  readonly size: number;
  /** Field/value pairs; for listpack hashes in their listpack (insertion) order. */
  each(fn: (field: string, value: string) => void): void;
}

export interface ZsetSource {
  readonly encoding: 'listpack' | 'skiplist';
  readonly size: number;
  /** Members in ascending (score, member) order, as the listpack and the skiplist keep them. */
  each(fn: (member: string, score: number) => void): void;
}

/** Stream IDs are 16-byte byte strings: ms then seq, each a big-endian u64 (the rax key form). */
export type StreamId = string;

export interface StreamPending {
  id: StreamId;
  /** Last delivery, Unix ms. */
  deliveryTime: number;
  /** Deliveries (XCLAIM RETRYCOUNT may set any unsigned 64-bit value). */
  deliveryCount: number | bigint;
}

export interface StreamConsumer {
  name: string;
  /** Last interaction, Unix ms (seen-time). */
  seenTime: number;
  /** Last successful interaction, Unix ms (active-time, Redis 7.2+); -1 when unknown. */
  activeTime: number;
  /** IDs of the group's pending entries owned by this consumer. */
  pending: StreamId[];
}

export interface StreamGroup {
  name: string;
  lastId: StreamId;
  /** The group's entries-read counter; -1 when unknown (SCG_INVALID_ENTRIES_READ). */
  entriesRead: number | bigint;
  /** The group's pending entries list, ascending by id. */
  pending: StreamPending[];
  consumers: StreamConsumer[];
}

/**
 * One listpack node of a stream as Redis keeps it: its master ID and fields, and its entries,
 * deleted ones (XDEL tombstones) included. Streams are written node by node when the source
 * gives nodes, so a reload keeps the node boundaries (XINFO radix-tree-keys) Redis would keep.
 */
export interface StreamNodeData {
  master: StreamId;
  masterFields: string[];
  entries: { id: StreamId; deleted: boolean; fields: string[] }[];
  /** The node's listpack size in bytes (lpBytes), when known (set by the decoder). */
  bytes?: number;
}

/** A whole stream: what XINFO STREAM FULL shows, with the entries. */
export interface StreamData {
  /** Live entries, ascending: id and the flattened field/value list [f0, v0, f1, v1 ...]. */
  entries: { id: StreamId; fields: string[] }[];
  /** The same entries in their nodes, tombstones included; optional for a source (without
   * it the encoder packs `entries` into nodes by stream-node-max-bytes/-entries). The decoder
   * always fills it. */
  nodes?: StreamNodeData[];
  length: number;
  lastId: StreamId;
  /** First entry's id, or 0-0 when empty (recorded-first-entry-id). */
  firstId: StreamId;
  maxDeletedId: StreamId;
  entriesAdded: number | bigint;
  groups: StreamGroup[];
}

export interface StreamSource {
  /** The stream's data; `entries` may be walked lazily by the encoder, once. */
  data(): StreamData;
}

/** What builders need from the configuration (Redis reads the same directives when loading). */
export interface Limits {
  hashMaxListpackEntries: number;
  hashMaxListpackValue: number;
  setMaxIntsetEntries: number;
  zsetMaxListpackEntries: number;
  zsetMaxListpackValue: number;
  listMaxListpackSize: number;
  /** list-compress-depth: nodes this far from either end stay uncompressed (0: none is). */
  listCompressDepth?: number;
  streamNodeMaxBytes: number;
  streamNodeMaxEntries: number;
}

export function limitsFrom(config: Config): Limits {
  return {
    hashMaxListpackEntries: config.num('hash-max-listpack-entries'),
    hashMaxListpackValue: config.num('hash-max-listpack-value'),
    setMaxIntsetEntries: config.num('set-max-intset-entries'),
    zsetMaxListpackEntries: config.num('zset-max-listpack-entries'),
    zsetMaxListpackValue: config.num('zset-max-listpack-value'),
    listMaxListpackSize: config.num('list-max-listpack-size'),
    listCompressDepth: config.num('list-compress-depth'),
    streamNodeMaxBytes: config.num('stream-node-max-bytes'),
    streamNodeMaxEntries: config.num('stream-node-max-entries'),
  };
}

/** Redis's defaults, for code without a Config at hand. */
export const DEFAULT_LIMITS: Limits = {
  hashMaxListpackEntries: 512,
  hashMaxListpackValue: 64,
  setMaxIntsetEntries: 512,
  zsetMaxListpackEntries: 128,
  zsetMaxListpackValue: 64,
  listMaxListpackSize: -2,
  listCompressDepth: 0,
  streamNodeMaxBytes: 4096,
  streamNodeMaxEntries: 100,
};

/** Per type: how to read a value of echokv's class, and how to make one from loaded data. */
export interface Adapters {
  list?: {
    source(v: ObjectValue): ListSource;
    build(elements: string[], limits: Limits): ObjectValue;
    /** A list of the elements of the listpack at lp[from, to), built without a string per
     * element, or null when this builder does not take it (then build() gets the elements).
     * Validates the listpack as the decoder does (throws RdbError). */
    fromListpack?(lp: Uint8Array, from: number, to: number): ObjectValue | null;
  };
  // `compact` says the file held the compact encoding (intset, listpack, ziplist, zipmap). Redis
  // 7.0 converts a compact hash or sorted set to the big encoding on load only when it has more
  // entries than the *-max-listpack-entries limit, and a big one to compact when both the count
  // and every length are within the limits; a set is an intset when every member is an integer
  // and the count is within set-max-intset-entries.
  set?: {
    source(v: ObjectValue): SetSource;
    /** Members are distinct (the decoder checks); `compact` means an intset: ascending
     * canonical integers. The arrays handed to builders are theirs to keep. */
    build(members: string[], limits: Limits, compact: boolean): ObjectValue;
  };
  hash?: {
    source(v: ObjectValue): HashSource;
    /** Flattened distinct field/value pairs, in file order; when `compact`, in an array of
     * exactly their number (kept as is by a listpack hash). */
    build(pairs: string[], limits: Limits, compact: boolean): ObjectValue;
  };
  zset?: {
    source(v: ObjectValue): ZsetSource;
    /** Distinct members with their scores (no NaN), in file order; the arrays are its to keep. */
    build(members: string[], scores: number[], limits: Limits, compact: boolean): ObjectValue;
  };
  stream?: {
    source(v: ObjectValue): StreamSource;
    build(data: StreamData, limits: Limits): ObjectValue;
  };
}

/** The adapters of the value classes that exist: _adapters.ts registers them. */
export const ADAPTERS: Adapters = {};

/** Installs or replaces the adapter of one type (the type modules' owners call this). */
export function registerAdapter<K extends keyof Adapters>(type: K, adapter: NonNullable<Adapters[K]>): void {
  ADAPTERS[type] = adapter;
}
