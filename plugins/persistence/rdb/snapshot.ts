// =================================================================================================
// Whole-dataset RDB serialization: the blocking form (SAVE, shutdown, FLUSHALL) and the background
// form (BGSAVE, and the AOF rewrite's RDB preamble), which works from a point-in-time snapshot.
//
// Both write: the header, the AUX fields Redis 7.0 writes (redis-ver, redis-bits, ctime,
// used-mem, aof-base), each non-empty database (SELECTDB, RESIZEDB, its keys), EOF, CRC-64.
//
// Background design (see "Snapshots" in core/keyspace.ts for the keyspace side):
// - start() opens the snapshot at instant T: the keyspace hands over its databases' Maps and an
//   epoch E, and the sizes at T go into RESIZEDB.
// - run() walks database after database in slices of a few milliseconds; after each slice it
//   hands the bytes written so far to `sink` and waits for it (an asynchronous file write), so
//   clients are served between slices.
// - beforeWrite(db, key, entry), called by the keyspace before a client changes an entry the walk
//   has not reached, serializes that entry right away: into the main buffer when its database is
//   the one being walked, else into that database's pending buffer, emitted when the walk gets
//   there. Its database is found by Map identity, so SWAPDB and FLUSHALL during the save change
//   nothing in the file.
// - The walk meets keys added after T (snap >= E) and keys already taken (snap = E) and skips
//   them. When the last database is done the snapshot ends, then EOF and the checksum are written.
// The memory the save adds is the pending buffers and the chunk in flight: bounded by what
// clients write meanwhile, not by the dataset.
// =================================================================================================

import type { Database, Entry, Keyspace, SnapshotObserver } from '../../../core/keyspace.ts';
import type { KeyTable } from '../../../core/key_table.ts';
import { type EncodeOptions, OP, RdbWriter } from './_encode.ts';
import { blockFor } from '../../../core/sleep.ts';

/** Facts about the server written as AUX fields. */
export interface AuxInfo {
  redisVersion: string;
  /** Unix seconds. */
  ctime: number;
  usedMem: number;
  /** True for the RDB preamble of an AOF base file. */
  aofBase: boolean;
}

/** Writes the header and AUX fields (rdbSaveInfoAuxFields, without replication fields). */
export function writeHeader(w: RdbWriter, aux: AuxInfo): void {
  w.header();
  w.aux('redis-ver', aux.redisVersion);
  w.aux('redis-bits', '64');
  w.aux('ctime', String(aux.ctime));
  w.aux('used-mem', String(aux.usedMem));
  w.aux('aof-base', aux.aofBase ? '1' : '0');
}

function dbHeader(w: RdbWriter, index: number, keys: number, expires: number): void {
  w.byte(OP.SELECTDB);
  w.len(index);
  w.byte(OP.RESIZEDB);
  w.len(keys);
  w.len(expires);
}

/**
 * The whole dataset as RDB, synchronously (the server is blocked, so nothing changes meanwhile).
 * `sink` receives the bytes in chunks of about `chunk` bytes, in order; the last call holds EOF
 * and the checksum. Returns the number of keys written. Throws what `sink` throws.
 */
export function writeDatasetSync(
  ks: Keyspace, opts: EncodeOptions, aux: AuxInfo, checksum: boolean,
  sink: (bytes: Uint8Array) => void, chunk = 1 << 22, keyDelayUs = 0,
): number {
  const w = new RdbWriter(opts, 1 << 20);
  writeHeader(w, aux);
  let keys = 0;
  // rdb-key-save-delay holds the whole server per key, as Redis's blocking rdbSave does; waits
  // shorter than the clock's millisecond add up until they make one.
  let owedUs = 0;
  // forEach rather than for-of: no iterator result or [key, entry] pair per key.
  const each = (e: Entry, key: string): void => {
    w.keyValue(key, e);
    if (w.pos >= chunk) sink(w.detach());
    if (keyDelayUs > 0 && (owedUs += keyDelayUs) >= 1000) {
      blockFor(Math.floor(owedUs / 1000));
      owedUs %= 1000;
    }
  };
  for (const db of ks.dbs) {
    if (db.keys.size === 0) continue;
    dbHeader(w, db.id, db.keys.size, db.expires.size);
    db.keys.forEach(each);
    keys += db.keys.size;
  }
  sink(w.finish(checksum));
  return keys;
}

/** States of a background save. */
export type SnapshotState =
  | 'idle' // created, start() not called
  | 'walking' // the snapshot is open and the databases are being written
  | 'finishing' // the walk is over: writing EOF, the checksum, and what the sink still holds
  | 'done' // every byte went to the sink
  | 'aborted'; // abort() was called or the sink failed; the snapshot is closed

/** A background (incremental, copy-on-write) RDB serialization of one keyspace. */
export class BackgroundRdb implements SnapshotObserver {
  state: SnapshotState = 'idle';
  readonly ks: Keyspace;
  private readonly w: RdbWriter;
  private readonly opts: EncodeOptions;
  private readonly aux: AuxInfo;
  private readonly checksum: boolean;
  private readonly sink: (bytes: Uint8Array) => Promise<void>;
  private epoch = 0;
  private maps: KeyTable<Entry>[] = [];
  private readonly mapIndex = new Map<KeyTable<Entry>, number>();
  private sizes: [number, number][] = [];
  /** Per database: entries taken by beforeWrite before the walk reached their database. */
  private pending: (RdbWriter | null)[] = [];
  /** The database whose section is open in the main buffer, -1 between sections. */
  private current = -1;
  /** Keys written so far, and the total at T (INFO current_save_keys_*). */
  keysDone = 0;
  keysTotal = 0;
  /**
   * Bytes serialized by beforeWrite, the copies clients' writes cost (INFO current_cow_size: like
   * the pages a fork copies, they only add up), and those of them held in pending buffers.
   */
  cowBytes = 0;
  pendingBytes = 0;
  /** Milliseconds a slice may run before yielding. */
  sliceMs = 5;
  /** rdb-key-save-delay: microseconds to wait per key (tests use it to make a save slow). */
  keyDelayUs = 0;
  private readonly now: () => number;

  constructor(
    ks: Keyspace, opts: EncodeOptions, aux: AuxInfo, checksum: boolean,
    sink: (bytes: Uint8Array) => Promise<void>, now: () => number,
  ) {
    this.ks = ks;
    this.opts = opts;
    this.aux = aux;
    this.checksum = checksum;
    this.sink = sink;
    this.now = now;
    this.w = new RdbWriter(opts, 1 << 20);
  }

  /** Opens the snapshot: from now on the file describes the dataset as it is at this instant. */
  start(): void {
    const { epoch, maps } = this.ks.beginSnapshot(this);
    this.epoch = epoch;
    this.maps = maps;
    this.state = 'walking';
    maps.forEach((m, i) => this.mapIndex.set(m, i));
    this.sizes = this.ks.dbs.map((db, i) => [maps[i].size, db.expires.size]);
    this.pending = maps.map(() => null);
    for (const m of maps) this.keysTotal += m.size;
    writeHeader(this.w, this.aux);
  }

  /** Why the save failed inside beforeWrite (run() rejects with it). */
  private failure: Error | null = null;

  /**
   * Keyspace callback: `e` is about to change and still holds T's state (see the top). It runs
   * inside a client's command, so it never throws: a value it cannot write fails the save
   * (run() rejects with the error) and the command goes on.
   */
  beforeWrite(db: Database, key: string, e: Entry): void {
    if (this.state !== 'walking' || e.snap >= this.epoch) return;
    try {
      this.take(db, key, e);
    } catch (err) {
      this.failure = err as Error;
      this.abort();
    }
  }

  private take(db: Database, key: string, e: Entry): void {
    const i = this.mapIndex.get(db.keys) ?? db.id;
    if (i === this.current) {
      const before = this.w.size;
      this.w.keyValue(key, e);
      this.cowBytes += this.w.size - before;
    } else {
      let p = this.pending[i];
      if (p === null) p = this.pending[i] = new RdbWriter(this.opts, 4096);
      const before = p.pos;
      p.keyValue(key, e);
      const n = p.pos - before;
      this.cowBytes += n;
      this.pendingBytes += n;
    }
    e.snap = this.epoch;
    this.keysDone++;
  }

  /**
   * Writes the whole snapshot to the sink, yielding between slices. Resolves when the last byte
   * was accepted by the sink; rejects with the sink's error (the snapshot is then closed).
   * Resolves early, without error, when abort() is called.
   */
  async run(): Promise<void> {
    try {
      for (let i = 0; i < this.maps.length; i++) {
        if (this.failure !== null) throw this.failure;
        if (this.state !== 'walking') return;
        const [size, expires] = this.sizes[i];
        if (size === 0) continue;
        this.current = i;
        dbHeader(this.w, i, size, expires);
        const p = this.pending[i];
        if (p !== null) {
          this.w.raw(p.buf.subarray(0, p.pos));
          this.pendingBytes -= p.pos;
          this.pending[i] = null;
        }
        const it = this.maps[i].entries();
        let done = false;
        while (!done) {
          if (this.failure !== null) throw this.failure;
          if (this.state !== 'walking') return;
          const t0 = this.now();
          let n = 0;
          let delay = 0;
          for (;;) {
            const r = it.next();
            if (r.done) {
              done = true;
              break;
            }
            const [key, e] = r.value;
            if (e.snap >= this.epoch) continue;
            this.w.keyValue(key, e);
            e.snap = this.epoch;
            this.keysDone++;
            if (this.keyDelayUs > 0) {
              delay += this.keyDelayUs;
              if (delay >= 1000) break;
            }
            if ((++n & 63) === 0 && (this.now() - t0 >= this.sliceMs || this.w.pos >= 1 << 22)) break;
          }
          await this.sink(this.w.detach());
          if (delay > 0) await new Promise((r) => setTimeout(r, Math.ceil(delay / 1000)));
        }
        this.current = -1;
      }
      if (this.failure !== null) throw this.failure;
      if (this.state !== 'walking') return;
      this.ks.endSnapshot(this);
      this.state = 'finishing';
      await this.sink(this.w.finish(this.checksum));
      this.state = 'done';
    } catch (e) {
      this.abort();
      throw e;
    }
  }

  /** Stops the save: the snapshot closes and run() returns at its next step. */
  abort(): void {
    if (this.state === 'done' || this.state === 'aborted') return;
    this.ks.endSnapshot(this);
    this.state = 'aborted';
    this.pending.fill(null);
    this.pendingBytes = 0;
  }
}
