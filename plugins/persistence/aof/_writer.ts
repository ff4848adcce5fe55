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
//     always    fsync before any reply that could depend on the data leaves (see group commit);
//     everysec  fsync in the background (the runtime's thread pool) at most once a second. While
//               such an fsync is still running, writes are postponed for up to two seconds (a
//               write(2) can block behind an fsync of the same file); past that the buffer is
//               written anyway and aof_delayed_fsync counts it. The event loop never waits for
//               an fsync, so a slow or failing disk costs at most ~2 s of data on a crash;
//     no        write only; the kernel flushes when it likes.
// - Group commit (always). Redis fsyncs in beforeSleep, before it writes any reply. Here the
//   fsync runs in the thread pool and the server keeps serving meanwhile, so instead the writer
//   holds replies: it installs server.replyGate, and while some fed bytes are not yet known to
//   be durable, flush(c) hands over the client's pending output, tagged with the log position
//   (bytes fed so far) it may depend on. When an fsync completes, every held reply whose
//   position is covered is sent, in order per client. All clients served in one turn share
//   one write and one fsync, and commands that arrive while an fsync runs form the next group.
//   Replies of reads are held too when writes are pending, so no client can observe data that a
//   crash could still lose. Under everysec and no the same gate holds a turn's replies only
//   until that turn's write(2) has been attempted: Redis also writes the AOF in beforeSleep
//   before it sends replies, so a killed process loses nothing it acknowledged (a crash of the
//   machine may lose what the kernel had not flushed: the last second or two under everysec).
// - Errors are Redis's. A failed write under always is fatal (the process exits: the change is
//   applied in memory and must not be acknowledged, as in Redis); under everysec/no the data
//   stays in the buffer, a partial write is cut off the file with truncate (or, failing that,
//   dropped from the buffer), aof_last_write_status becomes err and writes and PING are refused
//   with `MISCONF Errors writing to the AOF file: <strerror>` until a retry succeeds (every
//   turn with data, and every cron tick). A failed background fsync does the same until one
//   succeeds (EINVAL and EBADF are ignored, as Redis does for files that cannot be synced).
//
// Positions: fed, written and synced count bytes since the writer was made, across file
// switches (a rewrite retires the old incr file; it is fsynced and closed in the background,
// and synced only advances once every retired file is synced too).

import type { Client } from '../../../core/client.ts';
import type { Server } from '../../../core/server.ts';
import { CommandBuffer } from './_resp.ts';

/** appendfsync: when appended data is forced to disk. */
export type FsyncPolicy = 'always' | 'everysec' | 'no';

interface HeldReply {
  /** Bytes fed when this output was produced: it is sent once synced reaches this. */
  seq: number;
  chunks: Uint8Array[];
}

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
  private readonly held = new Map<Client, HeldReply[]>();
  /**
   * Under everysec and no, the output held this turn, per client in arrival order: it all goes
   * once the turn's write was attempted, so it needs no positions (one map entry and the chunks
   * themselves, instead of a HeldReply per flush: this path runs for every reply).
   */
  private readonly turnHeld = new Map<Client, Uint8Array[]>();
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

  /** Changes appendfsync (replies held under always are released by the pending fsync). */
  setPolicy(p: FsyncPolicy): void {
    if (p === 'always' && this.turnHeld.size > 0) {
      // Held for this turn's write only: now they wait for the fsync of everything fed so far.
      for (const [c, chunks] of this.turnHeld) {
        let list = this.held.get(c);
        if (list === undefined) this.held.set(c, list = []);
        list.push({ seq: this.fed, chunks });
      }
      this.turnHeld.clear();
    }
    this.policy = p;
    this.server.replyGate = this.gate;
    // Data written under another policy is not known to be durable: always syncs it now.
    if (p === 'always' && this.written > this.synced && !this.fsyncInFlight && this.fd >= 0) this.startFsync();
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
    if (this.policy === 'no' && !this.fsyncInFlight) {
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
   * Writes the buffer and applies the fsync policy (Redis's flushAppendOnlyFile). `force` writes
   * even while a background fsync runs (rewrite switch, shutdown). Side effects: one write(2),
   * perhaps a background fsync, error state, INFO counters; under always a write error exits.
   * Under everysec and no, the replies held for this turn are sent afterwards, whether the
   * write went through, failed or was postponed (Redis sends them after its write attempt).
   */
  flush(force: boolean): void {
    if (this.fd < 0) return;
    this.write(force);
    if (this.policy !== 'always') this.release();
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
    if (this.policy === 'always' && this.fsyncInFlight && !force) return; // the fsync's end flushes again
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
    const data = this.buf.view();
    const n = data.length;
    try {
      this.server.host.writeFileSync(this.fd, data);
    } catch (e) {
      this.onWriteError(e, now);
      return;
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
    if (this.skipFsync()) {
      if (this.policy === 'always') {
        // no-appendfsync-on-rewrite: Redis acknowledges without the fsync while it rewrites.
        this.synced = this.written;
        this.release();
      }
      return;
    }
    if (this.policy === 'always') {
      if (!this.fsyncInFlight) this.startFsync();
    } else if (this.policy === 'everysec' && now > this.lastFsyncSecond) {
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
    for (let i = 0; i < this.retired.length;) {
      if (this.retired[i].end <= target) {
        this.closeQuietly(this.retired[i].fd);
        this.retired.splice(i, 1);
      } else i++;
    }
    this.release();
    if (this.policy === 'always' && this.fd >= 0) {
      if (this.buf.len > 0) this.flush(false);
      else if (this.written > this.synced) this.startFsync();
    }
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
  // Group commit (appendfsync always)

  /**
   * server.replyGate: takes `c`'s output while it may depend on data not yet written (under
   * everysec and no: until this turn's write) or not yet fsynced (always).
   */
  private holdReply(c: Client): boolean {
    // everysec / no, and no reply of this client still waiting from a time under always (those
    // go first, so its later output must queue behind them in `held`).
    if (this.policy !== 'always' && (this.held.size === 0 || !this.held.has(c))) {
      const prev = this.turnHeld.get(c);
      if (prev === undefined) {
        if (this.fed === this.written || (c.out.size === 0 && !c.closeAfterReply)) return false;
        this.turnHeld.set(c, c.out.take());
      } else {
        const chunks = c.out.take();
        for (let i = 0; i < chunks.length; i++) prev.push(chunks[i]);
      }
      if (this.fed > this.written && !this.scheduled) {
        this.scheduled = true;
        setImmediate(this.onTurnEnd);
      }
      return true;
    }
    let list = this.held.get(c);
    if (list === undefined) {
      const safe = this.policy === 'always' ? this.synced : this.written;
      if (this.fed === safe || (c.out.size === 0 && !c.closeAfterReply)) return false;
      list = [];
      this.held.set(c, list);
    }
    list.push({ seq: this.fed, chunks: c.out.take() });
    if (this.fed > this.written && !this.scheduled) {
      this.scheduled = true;
      setImmediate(this.onTurnEnd);
    }
    return true;
  }

  /** Sends the held replies that the synced position now covers; closes clients that asked. */
  release(): void {
    // Under always, turnHeld is empty: setPolicy moved its replies to `held`.
    if (this.turnHeld.size > 0) this.releaseTurn();
    if (this.held.size === 0) return;
    const server = this.server;
    // Under everysec/no this runs after the turn's write attempt; with the AOF stopped nothing
    // more will be synced: everything held goes.
    const all = this.fd < 0 || this.policy !== 'always';
    for (const [c, list] of this.held) {
      if (c.closed) {
        this.held.delete(c);
        continue;
      }
      let i = 0;
      while (i < list.length && (all || list[i].seq <= this.synced)) i++;
      if (i === 0) continue;
      const out: Uint8Array[] = [];
      for (let j = 0; j < i; j++) for (const ch of list[j].chunks) out.push(ch);
      list.splice(0, i);
      if (out.length > 0) {
        for (const ch of out) server.stats.netOutputBytes += ch.length;
        server.stats.writesProcessed++;
        c.conn.write(out);
      }
      if (list.length === 0) {
        this.held.delete(c);
        if (c.closeAfterReply) server.closeClient(c);
      }
    }
  }

  /** Sends what turnHeld holds (everysec / no: the turn's write was attempted). */
  private releaseTurn(): void {
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
    return this.held.size + this.turnHeld.size;
  }

  private fatal(message: string): void {
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
