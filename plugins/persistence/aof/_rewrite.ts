// =================================================================================================
// Rewriting: a new base file from a point-in-time view, without blocking clients
// =================================================================================================
//
// Design. Redis forks and lets the child write the dataset as it was at the fork; echokv has no
// fork, so the rewrite runs in this process, a slice at a time between client requests, on the
// keyspace's snapshot mechanism (core/keyspace.ts, "Snapshots"; BGSAVE uses the same one):
//
// - start() runs synchronously at instant T: it opens the temp file and begins a snapshot. The
//   caller switches appending to a new incr file in the same synchronous step, so the base holds
//   exactly the state at T and the new incr exactly the changes after T.
// - Each event-loop turn the job walks the databases' Maps as they were at T for about
//   SLICE_MS, encoding every entry the snapshot has not taken yet (entry.snap < epoch) and
//   stamping it taken.
// - Copy-on-write: before a client changes or deletes an entry not yet taken, the keyspace calls
//   beforeWrite(), which encodes the entry right then, with its value and TTL as of T. The extra
//   memory is those encoded bytes until they are written out (INFO aof_last_cow_size).
// - The encoded bytes are written asynchronously (the thread pool) in blocks, fsynced every 4 MB
//   when aof-rewrite-incremental-fsync is yes (Redis's REDIS_AUTOSYNC_BYTES) and at the end,
//   before the caller renames the file into place. Nothing replaces a file before the new one
//   is on disk.
// - abort() (appendonly turned off, shutdown) ends the snapshot at once, stops the walk and
//   removes the temp file.

import type { Database, Entry, SnapshotObserver } from '../../../core/keyspace.ts';
import type { KeyTable } from '../../../core/key_table.ts';
import type { Server } from '../../../core/server.ts';
import type { BaseEncoder } from './_base.ts';
import { CommandBuffer } from './_resp.ts';

/** Time one slice of the walk may take before yielding to clients, ms. */
const SLICE_MS = 2;
/** Encoded bytes that trigger a write to the file. */
const FLUSH_AT = 1024 * 1024;
/** Redis's REDIS_AUTOSYNC_BYTES. */
const AUTOSYNC_BYTES = 4 * 1024 * 1024;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class RewriteJob implements SnapshotObserver {
  readonly server: Server;
  readonly encoder: BaseEncoder;
  /** The temp file (text path). */
  readonly path: string;
  readonly incrementalFsync: boolean;
  /** Keys in the dataset at T, and keys encoded so far (INFO current_save_keys_*). */
  keysTotal = 0;
  keysDone = 0;
  /** Bytes encoded by copy-on-write, and bytes written to the file. */
  cowBytes = 0;
  written = 0;
  /**
   * rdb-key-save-delay as the rewrite started: microseconds to wait per key (Redis's rewrite
   * child sleeps that long after each key; tests use it to keep a rewrite running).
   */
  keyDelayUs = 0;
  private fd = -1;
  private readonly buf = new CommandBuffer(256 * 1024);
  private epoch = 0;
  private maps: KeyTable<Entry>[] = [];
  private snapshotActive = false;
  private aborted = false;
  private error: unknown = null;
  private sinceSync = 0;
  private fileRemoved = false;

  constructor(server: Server, encoder: BaseEncoder, path: string, incrementalFsync: boolean) {
    this.server = server;
    this.encoder = encoder;
    this.path = path;
    this.incrementalFsync = incrementalFsync;
  }

  /**
   * Opens the temp file and begins the snapshot (instant T). Throws when the file cannot be
   * created or another snapshot (a BGSAVE) is active; nothing is left behind then.
   */
  start(): void {
    const host = this.server.host;
    this.fd = host.openFile(this.path, 'write');
    try {
      const snap = this.server.keyspace.beginSnapshot(this);
      this.epoch = snap.epoch;
      this.maps = snap.maps;
      this.snapshotActive = true;
      for (const m of this.maps) this.keysTotal += m.size;
      this.encoder.begin(this.buf);
    } catch (e) {
      this.cleanup();
      throw e;
    }
  }

  /** SnapshotObserver: `e` is about to change; encode it now as it is (at T). */
  beforeWrite(db: Database, key: string, e: Entry): void {
    // After SWAPDB a database holds another one's Map: T's index is the Map's.
    const idx = this.maps.indexOf(db.keys);
    const before = this.buf.len;
    try {
      this.encoder.entry(this.buf, idx >= 0 ? idx : db.id, key, e.value, e.expireAt);
    } catch (err) {
      this.error ??= err;
    }
    e.snap = this.epoch;
    this.keysDone++;
    this.cowBytes += this.buf.len - before;
  }

  /**
   * Walks the snapshot and writes the file; resolves once it is complete and fsynced (the file
   * is then closed), rejects on a write or encoding error (the temp file is then removed).
   * Resolves without a file when aborted.
   */
  async run(): Promise<void> {
    const host = this.server.host;
    try {
      for (let i = 0; i < this.maps.length; i++) {
        const it = this.maps[i].entries();
        let finished = false;
        while (!finished) {
          const deadline = host.now() + SLICE_MS;
          let n = 0;
          let delay = 0;
          for (;;) {
            const r = it.next();
            if (r.done) {
              finished = true;
              break;
            }
            const e = r.value[1];
            if (e.snap >= this.epoch) continue;
            this.encoder.entry(this.buf, i, r.value[0], e.value, e.expireAt);
            e.snap = this.epoch;
            this.keysDone++;
            if (this.keyDelayUs > 0) {
              delay += this.keyDelayUs;
              if (delay >= 1000) break;
            }
            if ((++n & 31) === 0 && (this.buf.len >= FLUSH_AT || host.now() > deadline)) break;
          }
          if (this.error !== null) throw this.error;
          if (this.aborted) return;
          if (this.buf.len >= FLUSH_AT) await this.drain();
          else if (delay > 0) await new Promise((r) => setTimeout(r, Math.ceil(delay / 1000)));
          else if (!finished) await nextTurn();
          if (this.aborted) return;
          if (this.error !== null) throw this.error;
        }
      }
      // Every entry of T is encoded: writes no longer need copy-on-write.
      this.endSnapshot();
      this.encoder.end(this.buf);
      await this.drain();
      if (this.aborted) return;
      await host.fsyncAsync(this.fd);
      host.closeFile(this.fd);
      this.fd = -1;
    } catch (e) {
      this.cleanup();
      throw e;
    } finally {
      this.endSnapshot();
      if (this.aborted) this.cleanup();
    }
  }

  /** Writes what is encoded so far (asynchronously); fsyncs every AUTOSYNC_BYTES if asked. */
  private async drain(): Promise<void> {
    if (this.buf.len === 0) return;
    const data = this.buf.buf.slice(0, this.buf.len);
    this.buf.consume(this.buf.len);
    const host = this.server.host;
    await host.writeFileAsync(this.fd, data);
    this.written += data.length;
    this.sinceSync += data.length;
    if (this.incrementalFsync && this.sinceSync >= AUTOSYNC_BYTES) {
      this.sinceSync = 0;
      await host.fsyncAsync(this.fd);
    }
  }

  /**
   * Stops the job: the snapshot ends now and the file goes now (the next rewrite reuses its
   * name, and must not lose its file to this one's late cleanup); the walk stops at its next
   * step, which closes the descriptor (a write may still be in flight on it until then).
   */
  abort(): void {
    this.aborted = true;
    this.endSnapshot();
    this.removeFile();
  }

  get isAborted(): boolean {
    return this.aborted;
  }

  private endSnapshot(): void {
    if (!this.snapshotActive) return;
    this.snapshotActive = false;
    this.server.keyspace.endSnapshot(this);
    this.maps = [];
  }

  /** Closes and removes the temp file (never throws). */
  private cleanup(): void {
    this.endSnapshot();
    const host = this.server.host;
    if (this.fd >= 0) {
      try {
        host.closeFile(this.fd);
      } catch { /* already closed */ }
      this.fd = -1;
    }
    this.removeFile();
  }

  private removeFile(): void {
    if (this.fileRemoved) return;
    this.fileRemoved = true;
    const host = this.server.host;
    try {
      if (host.fileSize(this.path) >= 0) host.remove(this.path);
    } catch { /* best effort */ }
  }
}
