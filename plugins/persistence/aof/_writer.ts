// =================================================================================================
// Appending: the AOF buffer, the fsync policies and group commit
// =================================================================================================
//
// Design, after Redis 7.0's feedAppendOnlyFile / flushAppendOnlyFile (src/aof.c):
//
// - feed(): every change the server propagates is appended to an in-memory buffer as a RESP
//   command, preceded by SELECT when its database differs from the previous command's (and by a
//   `#TS:<seconds>` annotation when aof-timestamp-enabled is on and the second changed). Nothing
//   touches the disk while commands run.
// - At the end of the event-loop turn (setImmediate: after the runtime has handed every readable
//   socket's data to the server, Redis's beforeSleep) flush() writes the whole buffer with one
//   write(2) and applies the policy:
//     always    fdatasync at once, on the event loop, before any reply of the turn leaves (see
//               group commit);
//     everysec  fsync in the background (the runtime's thread pool) at most once a second. While
//               such an fsync is still running, writes are postponed for up to two seconds (a
//               write(2) can block behind an fsync of the same file); past that the buffer is
//               written anyway and aof_delayed_fsync counts it. The event loop never waits for
//               an fsync, so a slow or failing disk costs at most ~2 s of data on a crash;
//     no        write only; the kernel flushes when it likes.
// - Replies wait for the turn's end. The writer installs server.replyGate: while some fed bytes
//   are not yet written (everysec, no) or not yet fsynced (always), flush(c) hands over the
//   client's pending output, and the turn's end sends it, in order per client, after the write
//   (and under always the fsync). Redis also writes the AOF in beforeSleep before it sends any
//   reply, so a killed process loses nothing it acknowledged, and under everysec a crash of the
//   machine loses at most what the last second or two had not fsynced.
// - Group commit (always), as Redis: the turn's end calls fdatasync synchronously, so every
//   command read in the turn, of every client, shares one write(2) and one fsync, and the
//   replies go only after both. While the event loop waits for the disk, requests pile up in
//   the sockets and the next turn reads them all, so groups are as large as Redis's (under
//   redis-benchmark -c 50 -P 1: 1737 fsyncs per 50k SETs, Redis 1884). An fsync in the thread
//   pool let the loop serve other clients meanwhile, but each turn then found fewer clients
//   and it took 2062, and more CPU per command. Replies of reads are held too when writes are
//   pending, so no client can observe data that a crash could still lose.
// - Errors are Redis's. A failed write or fsync under always is fatal (the process exits: the
//   change is applied in memory and must not be acknowledged, as in Redis); under everysec/no
//   the data stays in the buffer, a partial write is cut off the file with truncate (or,
//   failing that, dropped from the buffer), aof_last_write_status becomes err and writes and
//   PING are refused with `MISCONF Errors writing to the AOF file: <strerror>` until a retry
//   succeeds (every turn with data, and every cron tick). A failed background fsync does the
//   same until one succeeds (EINVAL and EBADF are ignored, as Redis does for files that cannot
//   be synced).
//
// Positions: fed, written and synced count bytes since the writer was made, across file
// switches (a rewrite retires the old incr file; under everysec it is fsynced and closed in the
// background, and synced only advances once every retired file is synced too).

import { blockFor } from '../../../core/sleep.ts';
import type { Client } from '../../../core/client.ts';
import type { Server } from '../../../core/server.ts';
import { CommandBuffer } from './_resp.ts';

/** appendfsync: when appended data is forced to disk. */
export type FsyncPolicy = 'always' | 'everysec' | 'no';

interface RetiredFile {
  fd: number;
  /** Writer position at retirement: a completed fsync whose target covers it closes the file. */
  end: number;
}

/** Seconds between two logs of the same write error (Redis's AOF_WRITE_LOG_ERROR_RATE). */
const WRITE_ERROR_LOG_RATE = 30;

export class AofWriter {
  readonly server: Server;
  /** The file being appended to: its descriptor (-1 when none) and path (text). */
  fd = -1;
  path = '';
  /** Bytes in the current file (Redis's aof_last_incr_size). */
  fileSize = 0;
  fed = 0;
  written = 0;
  synced = 0;
  readonly buf = new CommandBuffer();
  /** Database of the last command appended; -1 forces a SELECT (new file). */
  selectedDb = -1;
  policy: FsyncPolicy = 'everysec';
  timestamps = false;
  private lastTimestamp = 0;
  /** When true, fsyncs are skipped (no-appendfsync-on-rewrite while a rewrite runs). */
  skipFsync: () => boolean = () => false;
  // Background fsync state.
  fsyncInFlight = false;
  private lastFsyncSecond = 0;
  private postponedStart = 0;
  delayedFsync = 0;
  private readonly retired: RetiredFile[] = [];
  // Error state (INFO aof_last_write_status, MISCONF).
  writeOk = true;
  writeError = '';
  fsyncOk = true;
  fsyncError = '';
  private lastWriteErrorLog = -Infinity;
  /** Told the MISCONF error whenever the error state changes (null once writes may go on). */
  onStatus: (error: string | null) => void = () => {};
  /**
   * The output held this turn, per client in arrival order: it all goes at the turn's end, once
   * the write was attempted (and under always fsynced), so it needs no positions.
   */
  private readonly turnHeld = new Map<Client, Uint8Array[]>();
  /** Set by a fatal error (the host's exit returned, in tests): nothing more is written or sent. */
  private dead = false;
  private scheduled = false;
  private readonly onTurnEnd = (): void => {
    this.scheduled = false;
    this.flush(false);
  };
  private readonly gate = (c: Client): boolean => this.holdReply(c);

  constructor(server: Server, policy: FsyncPolicy) {
    this.server = server;
    this.setPolicy(policy);
  }

  private get log() {
    return this.server.log;
  }

  private unixSeconds(): number {
    return Math.floor(this.server.keyspace.clock() / 1000);
  }

  /**
   * Changes appendfsync. The turn's end applies the policy in force then, to everything held,
   * as Redis's beforeSleep does; under always that includes an fsync of data written under
   * another policy, before any reply (CONFIG SET's own) leaves.
   */
  setPolicy(p: FsyncPolicy): void {
    this.policy = p;
    this.server.replyGate = this.gate;
    if (p === 'always' && this.written > this.synced && this.fd >= 0) this.schedule();
  }

  private schedule(): void {
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.onTurnEnd);
    }
  }

  /** Starts appending to `fd` (a new or reopened incr file of `size` bytes). */
  open(fd: number, path: string, size: number): void {
    this.fd = fd;
    this.path = path;
    this.fileSize = size;
    this.selectedDb = -1;
  }

  /**
   * Switches to another file: writes what is buffered to the current one first (forced, as
   * Redis's flushAppendOnlyFile(1) before opening a new incr), then retires it. The old file is
   * fsynced (unless appendfsync is no) and closed in the background.
   */
  switchTo(fd: number, path: string, size: number): void {
    if (this.fd >= 0) {
      this.flush(true);
      this.retire(this.fd);
    }
    this.open(fd, path, size);
  }

  /** Stops appending: writes and fsyncs what is pending (synchronously) and closes the file. */
  close(): void {
    if (this.fd < 0) return;
    this.flush(true);
    this.syncNow();
    this.closeQuietly(this.fd);
    this.fd = -1;
    this.path = '';
    this.release();
  }

  private retire(fd: number): void {
    // Under always the switch's flush has just fsynced it.
    if ((this.policy === 'no' || this.synced === this.written) && !this.fsyncInFlight) {
      this.closeQuietly(fd);
      return;
    }
    this.retired.push({ fd, end: this.written });
  }

  private closeQuietly(fd: number): void {
    try {
      this.server.host.closeFile(fd);
    } catch { /* nothing to do */ }
  }

  /** Appends one propagated change (Redis's feedAppendOnlyFile). */
  feed(db: number, argv: readonly string[]): void {
    const b = this.buf;
    const before = b.len;
    if (this.timestamps) {
      const now = this.unixSeconds();
      if (now > this.lastTimestamp) {
        this.lastTimestamp = now;
        b.raw(new TextEncoder().encode(`#TS:${now}\r\n`));
      }
    }
    if (db !== this.selectedDb) {
      b.command(['SELECT', String(db)]);
      this.selectedDb = db;
    }
    b.command(argv);
    this.fed += b.len - before;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.onTurnEnd);
    }
  }

  /**
   * Writes the buffer and applies the fsync policy (Redis's flushAppendOnlyFile), then sends
   * the replies held this turn. `force` writes even while a background fsync runs (rewrite
   * switch, shutdown). Side effects: one write(2); under always one fdatasync on the event loop,
   * under everysec perhaps a background one; error state, INFO counters. Under always a write or
   * fsync error exits and nothing held is sent; under everysec and no the replies go whether
   * the write went through, failed or was postponed (Redis sends them after its write attempt).
   */
  flush(force: boolean): void {
    if (this.dead) return;
    if (this.fd >= 0) {
      this.write(force);
      if (this.policy === 'always' && this.written > this.synced && !this.dead) {
        // no-appendfsync-on-rewrite: Redis acknowledges without the fsync while it rewrites.
        if (this.skipFsync()) this.synced = this.written;
        else this.syncAlways();
      }
    }
    this.release();
  }

  /**
   * appendfsync always: fdatasync of everything written, synchronously (the group commit, see
   * the design note). Retired files still holding unsynced data (written under everysec before
   * a switch of policy) are synced first. Any error is fatal, as in Redis (EINVAL included:
   * only the background fsync of everysec ignores it).
   */
  private syncAlways(): void {
    const host = this.server.host;
    const t0 = this.server.latencyOn ? host.now() : 0;
    try {
      for (let i = 0; i < this.retired.length; i++) {
        if (this.retired[i].end > this.synced) host.fsyncSync(this.retired[i].fd);
      }
      host.fsyncSync(this.fd);
      if (this.server.latencyOn) this.server.latencySample('aof-fsync-always', Math.floor(host.now() - t0));
    } catch (e) {
      this.fatal(`Can't persist AOF for fsync error when the AOF fsync policy is 'always': ${strerror(e)}. Exiting...`);
      return;
    }
    this.synced = this.written;
    // A background fsync still running may use them; it closes them when it ends.
    if (!this.fsyncInFlight && this.retired.length > 0) this.closeRetired();
  }

  /** Closes the retired files the synced position covers. */
  private closeRetired(): void {
    for (let i = 0; i < this.retired.length;) {
      if (this.retired[i].end <= this.synced) {
        this.closeQuietly(this.retired[i].fd);
        this.retired.splice(i, 1);
      } else i++;
    }
  }

  private write(force: boolean): void {
    const now = this.unixSeconds();
    if (this.buf.len === 0) {
      // Written data may still wait for its once-a-second fsync, with no more writes coming.
      if (this.policy === 'everysec' && this.synced !== this.written && now > this.lastFsyncSecond &&
        !this.fsyncInFlight && !this.skipFsync()) {
        this.lastFsyncSecond = now;
        this.startFsync();
      }
      return;
    }
    // Under always the write goes even while a background fsync (begun under everysec) runs.
    if (this.policy === 'everysec' && this.fsyncInFlight && !force) {
      if (this.postponedStart === 0) {
        this.postponedStart = now;
        return;
      }
      if (now - this.postponedStart < 2) return;
      this.delayedFsync++;
      this.log.notice('Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer without waiting for fsync to complete, this may slow down Redis.');
    }
    this.postponedStart = 0;
    // DEBUG AOF-FLUSH-SLEEP: Redis's tests widen the window between a reply and its write.
    if (this.server.aofFlushSleepUs > 0) blockFor(this.server.aofFlushSleepUs / 1000);
    const data = this.buf.view();
    const n = data.length;
    const t0 = this.server.latencyOn ? this.server.host.now() : 0;
    try {
      this.server.host.writeFileSync(this.fd, data);
    } catch (e) {
      this.onWriteError(e, now);
      return;
    }
    if (this.server.latencyOn) {
      // Redis's names: behind a running fsync, or alone (echokv has no child process), and all.
      const ms = Math.floor(this.server.host.now() - t0);
      this.server.latencySample(this.fsyncInFlight ? 'aof-write-pending-fsync' : 'aof-write-alone', ms);
      this.server.latencySample('aof-write', ms);
    }
    this.buf.consume(n);
    this.written += n;
    this.fileSize += n;
    if (!this.writeOk) {
      this.log.warning('AOF write error looks solved, Redis can write again.');
      this.writeOk = true;
      this.writeError = '';
      this.onStatus(this.diskError());
    }
    // Under always flush() fsyncs next.
    if (this.policy !== 'everysec' || this.skipFsync()) return;
    if (now > this.lastFsyncSecond) {
      if (!this.fsyncInFlight) this.startFsync();
      this.lastFsyncSecond = now;
    }
  }

  /** A failed write: Redis's recovery (see the design note above). */
  private onWriteError(e: unknown, now: number): void {
    const reason = strerror(e);
    // How much of the buffer reached the file before the error: cut it off again so the file
    // stays a sequence of whole commands.
    let landed = 0;
    const size = this.safeSize();
    if (size > this.fileSize) {
      landed = size - this.fileSize;
      try {
        this.server.host.truncateFile(this.path, this.fileSize);
        landed = 0;
      } catch (t) {
        this.log.warning(`Could not remove short write from the append-only file.  Redis may refuse to load the AOF the next time it starts.  ftruncate: ${strerror(t)}`);
      }
    }
    if (now - this.lastWriteErrorLog > WRITE_ERROR_LOG_RATE) {
      this.lastWriteErrorLog = now;
      this.log.warning(`Error writing to the AOF file: ${reason}`);
    }
    if (this.policy === 'always') {
      this.fatal("Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...");
      return;
    }
    this.writeOk = false;
    this.writeError = reason;
    this.onStatus(this.diskError());
    if (landed > 0) {
      // Kept in the file: drop it from the buffer so it is not written twice.
      this.buf.consume(landed);
      this.written += landed;
      this.fileSize += landed;
    }
  }

  private safeSize(): number {
    try {
      return this.server.host.fileSize(this.path);
    } catch {
      return -1;
    }
  }

  /** Starts a background fsync of every file holding written, unsynced data. */
  private startFsync(): void {
    this.fsyncInFlight = true;
    const target = this.written;
    const fds = this.retired.map((r) => r.fd);
    if (this.fd >= 0) fds.push(this.fd);
    const host = this.server.host;
    const run = async (): Promise<void> => {
      for (const fd of fds) await host.fsyncAsync(fd);
    };
    run().then(() => this.fsyncDone(target, null), (e) => this.fsyncDone(target, e));
  }

  private fsyncDone(target: number, err: unknown): void {
    this.fsyncInFlight = false;
    const code = (err as { code?: string } | null)?.code;
    // Files that cannot be synced (EINVAL: pipes, some devices) are taken as synced, as in Redis.
    if (err !== null && code !== 'EINVAL' && code !== 'EBADF') {
      const reason = strerror(err);
      if (this.policy === 'always') {
        this.fatal(`Can't persist AOF for fsync error when the AOF fsync policy is 'always': ${reason}. Exiting...`);
        return;
      }
      if (this.fsyncOk) this.log.warning(`Fail to fsync the AOF file: ${reason}`);
      this.fsyncOk = false;
      this.fsyncError = reason;
      this.onStatus(this.diskError());
      return;
    }
    if (!this.fsyncOk) {
      this.fsyncOk = true;
      this.fsyncError = '';
      this.onStatus(this.diskError());
    }
    if (target > this.synced) this.synced = target;
    // Nothing waits for a background fsync (replies go at the turn's end): it only closes files.
    this.closeRetired();
  }

  /** Synchronous fsync of everything written (shutdown, stopping the AOF). Never throws. */
  syncNow(): void {
    const host = this.server.host;
    try {
      for (const r of this.retired.splice(0)) {
        host.fsyncSync(r.fd);
        this.closeQuietly(r.fd);
      }
      if (this.fd >= 0) host.fsyncSync(this.fd);
      this.synced = this.written;
    } catch (e) {
      this.log.warning(`Fail to fsync the AOF file: ${strerror(e)}.`);
    }
  }

  /** The MISCONF error while writes must be refused, else null (writeCommandsDeniedByDiskError). */
  diskError(): string | null {
    if (!this.writeOk) return `MISCONF Errors writing to the AOF file: ${this.writeError}`;
    if (!this.fsyncOk) return `MISCONF Errors writing to the AOF file: ${this.fsyncError}`;
    return null;
  }

  // -----------------------------------------------------------------------------------------------
  // Holding replies until the turn's end

  /**
   * server.replyGate: takes `c`'s output while it may depend on data not yet written (everysec,
   * no) or not yet fsynced (always); the turn's end (flush) sends it. Runs for every reply.
   */
  private holdReply(c: Client): boolean {
    const prev = this.turnHeld.get(c);
    if (prev === undefined) {
      const safe = this.policy === 'always' ? this.synced : this.written;
      if (this.fed === safe || (c.out.size === 0 && !c.closeAfterReply)) return false;
      this.turnHeld.set(c, c.out.take());
    } else {
      // Behind output already held this turn, so the client's replies keep their order.
      const chunks = c.out.take();
      for (let i = 0; i < chunks.length; i++) prev.push(chunks[i]);
    }
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.onTurnEnd);
    }
    return true;
  }

  /** Sends what the turn held (the write was attempted, and under always fsynced). */
  release(): void {
    if (this.turnHeld.size === 0 || this.dead) return;
    const server = this.server;
    for (const [c, chunks] of this.turnHeld) {
      if (c.closed) continue;
      if (chunks.length > 0) {
        for (let i = 0; i < chunks.length; i++) server.stats.netOutputBytes += chunks[i].length;
        server.stats.writesProcessed++;
        c.conn.write(chunks);
      }
      if (c.closeAfterReply) server.closeClient(c);
    }
    this.turnHeld.clear();
  }

  /** Removes the gate for good (the plugin is closing). */
  detach(): void {
    if (this.server.replyGate === this.gate) this.server.replyGate = null;
  }

  get heldClients(): number {
    return this.turnHeld.size;
  }

  private fatal(message: string): void {
    this.dead = true;
    this.log.warning(message);
    this.server.host.exit(1);
  }
}

/** strerror() text for a runtime error (Node's `code`), as Redis prints errno. */
export function strerror(e: unknown): string {
  const code = (e as { code?: string } | null)?.code;
  switch (code) {
    case 'ENOSPC': return 'No space left on device';
    case 'EACCES': return 'Permission denied';
    case 'EPERM': return 'Operation not permitted';
    case 'ENOENT': return 'No such file or directory';
    case 'EIO': return 'Input/output error';
    case 'EROFS': return 'Read-only file system';
    case 'EDQUOT': return 'Disk quota exceeded';
    case 'EFBIG': return 'File too large';
    case 'EBADF': return 'Bad file descriptor';
    case 'EINVAL': return 'Invalid argument';
    case 'EISDIR': return 'Is a directory';
    case 'ENOTDIR': return 'Not a directory';
    case 'EEXIST': return 'File exists';
    case 'EMFILE': return 'Too many open files';
    default: return (e as Error)?.message ?? String(e);
  }
}
