// =================================================================================================
// The rdb persistence plugin: Redis's RDB snapshots (dump.rdb)
//
// What it does, as redis-server 7.0 does it:
// - load(): at start-up, reads dir/dbfilename into the keyspace before the server is ready (the
//   transport already listens: clients get -LOADING, INFO shows the loading_* progress). A file
//   that is damaged, truncated or holds what echokv cannot represent stops start-up with a
//   message; a missing file is an empty dataset. With `appendonly yes` and the aof plugin
//   present, the AOF is the source of truth and the dump is not read.
// - SAVE (blocking), BGSAVE [SCHEDULE] (background, copy-on-write: snapshot.ts), the save
//   points `save <seconds> <changes>` checked by cron, the final save at shutdown (beforeShutdown:
//   SHUTDOWN SAVE, or any shutdown while save points exist), and FLUSHALL's save when save points
//   exist (seen through the propagate hook, after the flush, keeping the dirty count).
// - Every file is written to a temp file in `dir`, fsynced, renamed over the dump and the
//   directory fsynced: a crash leaves the old dump or the new one, never half of one.
// - A failed background save sets rdb_last_bgsave_status:err; while save points exist and
//   stop-writes-on-bgsave-error is yes, write commands (and PING) get the MISCONF error until a
//   save succeeds. Retries of the save points wait 5 seconds after a failure
//   (CONFIG_BGSAVE_RETRY_DELAY).
// - INFO persistence: the rdb_* and current_save_* fields, loading progress.
//
// States of the background save, one at a time (Redis's child_type == CHILD_TYPE_RDB):
//   none -> running (BackgroundRdb walking and writing the temp file) -> none, with the outcome
//   in lastBgsaveStatus; or running -> none by abort (FLUSHALL, shutdown), temp file removed.
// =================================================================================================

import { definePlugin, type PluginInstance, StartupAborted } from '../../../core/plugin.ts';
import type { Server } from '../../../core/server.ts';
import { REDIS_VERSION } from '../../../core/server.ts';
import { ERR } from '../../../core/errors.ts';
import type { RdbControl } from '../../../core/commands/persistence.ts';
import { RdbError } from './_errors.ts';
import { passesShallowCheck, type RdbReader } from './_decode.ts';
import { auxUsedMemory, encodeOptions, fileReader, loadOptionsFor, reportDamage } from './codec.ts';
import { checksumMismatch, doneLoadingLine, loadRdb, loadRdbSync, type LoadTrace, newLoadTrace } from './load.ts';
import { type AuxInfo, BackgroundRdb, writeDatasetSync } from './snapshot.ts';
import './_adapters.ts';

export { rdbBaseCodec } from './codec.ts';

/** Redis's CONFIG_BGSAVE_RETRY_DELAY: seconds between save-point attempts after a failure. */
const BGSAVE_RETRY_DELAY = 5;

interface Running {
  job: BackgroundRdb;
  /** Start, keyspace clock ms. */
  start: number;
  fd: number;
  tmp: string;
  dirtyAtStart: number;
  done: Promise<void>;
}

class RdbPersistence {
  readonly server: Server;
  running: Running | null = null;
  lastBgsaveStatus: 'ok' | 'err' = 'ok';
  /** Unix seconds of the last background save attempt. */
  lastBgsaveTry = 0;
  lastBgsaveTimeSec = -1;
  /** Save attempts (INFO rdb_saves). */
  saves = 0;
  scheduled = false;
  lastCowSize = 0;
  private bgSeq = 0;
  loadedKeys = 0;
  expiredKeys = 0;
  loadingInfo: { start: number; total: number; loaded: number; usedMem: number } | null = null;

  constructor(server: Server) {
    this.server = server;
    const cfg = server.config;
    cfg.onChange('save', () => this.updateDiskError());
    cfg.onChange('stop-writes-on-bgsave-error', () => this.updateDiskError());
    server.on('cron', () => this.cron());
    server.on('beforeShutdown', (save) => this.beforeShutdown(save));
  }

  get path(): string {
    return this.server.host.resolve(this.server.dir, this.server.config.str('dbfilename'));
  }

  private get savePoints(): number[] {
    return this.server.config.get<number[]>('save');
  }

  private nowSec(): number {
    return Math.floor(this.server.keyspace.clock() / 1000);
  }

  private aux(): AuxInfo {
    return { redisVersion: REDIS_VERSION, ctime: this.nowSec(), usedMem: auxUsedMemory(this.server), aofBase: false };
  }

  /** MISCONF while the last background save failed, save points exist and the option says so. */
  private updateDiskError(): void {
    const s = this.server;
    const deny = this.lastBgsaveStatus === 'err' && this.savePoints.length > 0 &&
      s.config.bool('stop-writes-on-bgsave-error');
    if (deny) s.diskErrors.set('rdb', ERR.misconf);
    else s.diskErrors.delete('rdb');
  }

  // -----------------------------------------------------------------------------------------------
  // Saving

  /**
   * rdbSave: writes the whole dataset to a temp file, fsyncs it, renames it over the dump and
   * fsyncs the directory, blocking the server meanwhile. On success the dirty counter is reset,
   * lastSave set and the background status becomes ok. Returns null, or the reason it failed
   * (logged; the temp file is removed and the old dump is untouched).
   */
  saveSync(): string | null {
    const t = this.openTemp();
    if (typeof t === 'string') return t;
    return this.finishForeground(t, () => {
      writeDatasetSync(this.server.keyspace, encodeOptions(this.server), this.aux(), this.server.config.bool('rdbchecksum'),
        (chunk) => this.server.host.writeFileSync(t.fd, chunk), undefined, Math.max(0, this.server.config.num('rdb-key-save-delay')));
    });
  }

  /**
   * The save at shutdown. Redis's is rdbSave, which waits rdb-key-save-delay per key (tests set it
   * to make the save last) while its signal handler still runs: a second SIGINT meanwhile removes
   * temp-<pid>.rdb and exits (see abandon). A synchronous save would hold that signal until it
   * is over, so with a delay the dataset is written by a job that yields between keys, every
   * client held meanwhile (CLIENT PAUSE ALL) as Redis's busy main thread holds them, and held
   * still on success: the server exits with nothing run after the snapshot.
   */
  private async saveAtShutdown(): Promise<string | null> {
    const s = this.server;
    const delayUs = Math.max(0, s.config.num('rdb-key-save-delay'));
    if (delayUs === 0) return this.saveSync();
    const t = this.openTemp();
    if (typeof t === 'string') return t;
    const release = s.holdAllClients();
    let failure: unknown = null;
    try {
      const job = new BackgroundRdb(s.keyspace, encodeOptions(s), this.aux(), s.config.bool('rdbchecksum'),
        (chunk) => s.host.writeFileAsync(t.fd, chunk), () => s.host.now());
      job.keyDelayUs = delayUs;
      job.start();
      await job.run();
      // Nothing aborts this job, but a partial file must never be renamed over the dump.
      if (job.state !== 'done') throw new Error(`the save stopped (${job.state})`);
    } catch (e) {
      failure = e;
    }
    const err = this.finishForeground(t, () => {
      if (failure !== null) throw failure;
    });
    if (err !== null) release();
    return err;
  }

  /** Opens temp-<pid>.rdb for a foreground save; the reason (logged) when it cannot. */
  private openTemp(): { fd: number; tmp: string } | string {
    const host = this.server.host;
    const dir = this.server.dir;
    const tmp = host.resolve(dir, `temp-${host.pid}.rdb`);
    try {
      return { fd: host.openFile(tmp, 'write'), tmp };
    } catch (e) {
      const msg = `Failed opening the temp RDB file temp-${host.pid}.rdb (in server root dir ${dir}) for saving: ${reason(e)}`;
      this.server.log.warning(msg);
      return msg;
    }
  }

  /** Ends a foreground save after `write` (see saveSync); returns null, or the reason logged. */
  private finishForeground(t: { fd: number; tmp: string }, write: () => void): string | null {
    const host = this.server.host;
    const dir = this.server.dir;
    let fd = t.fd;
    // Redis's log names the step that failed (its err_op).
    let step = 'rdbSaveRio';
    try {
      write();
      step = 'fsync';
      host.fsyncSync(fd);
      step = 'fclose';
      host.closeFile(fd);
      fd = -1;
      step = 'rename';
      host.rename(t.tmp, this.path);
      step = 'fsyncFileDir';
      host.fsyncDir(dir);
    } catch (e) {
      if (fd >= 0) {
        try {
          host.closeFile(fd);
        } catch { /* already failing */ }
      }
      try {
        host.remove(t.tmp);
      } catch { /* may not exist */ }
      const msg = saveError(e, step, `temp-${host.pid}.rdb`, this.path, dir);
      this.server.log.warning(msg);
      return msg;
    }
    this.server.log.notice('DB saved on disk');
    this.server.keyspace.dirty = 0;
    this.server.lastSave = this.server.keyspace.clock();
    this.lastBgsaveStatus = 'ok';
    this.updateDiskError();
    return null;
  }

  /**
   * The process is exiting without a clean shutdown (a second SIGINT): the temp files of a save
   * in progress go, as Redis's signal handler removes temp-<pid>.rdb (rdbRemoveTempFile). A
   * background save here is no child that could finish on its own, so its file goes too.
   */
  private abandon(): void {
    const host = this.server.host;
    const files = [host.resolve(this.server.dir, `temp-${host.pid}.rdb`)];
    if (this.running !== null) files.push(this.running.tmp);
    for (const f of files) {
      try {
        host.remove(f);
      } catch { /* not there */ }
    }
  }

  /**
   * rdbSaveBackground: starts a background save (snapshot.ts) into temp-bg-<pid>.rdb. Returns
   * null when started, else the reason (logged, and counted as a failed background save).
   */
  startBackground(): string | null {
    this.saves++;
    const s = this.server;
    const host = s.host;
    this.lastBgsaveTry = this.nowSec();
    // A name per save: an aborted save may still be finishing a write when the next one starts.
    const name = `temp-bg-${host.pid}-${++this.bgSeq}.rdb`;
    const tmp = host.resolve(s.dir, name);
    let fd: number;
    try {
      fd = host.openFile(tmp, 'write');
    } catch (e) {
      const msg = `Failed opening the temp RDB file ${name} (in server root dir ${s.dir}) for saving: ${reason(e)}`;
      s.log.warning(msg);
      this.lastBgsaveStatus = 'err';
      this.updateDiskError();
      return msg;
    }
    const job = new BackgroundRdb(s.keyspace, encodeOptions(s), this.aux(), s.config.bool('rdbchecksum'),
      (chunk) => host.writeFileAsync(fd, chunk), () => host.now());
    job.keyDelayUs = Math.max(0, s.config.num('rdb-key-save-delay'));
    const t0 = host.now();
    job.start();
    s.forked(t0);
    const run: Running = { job, start: s.keyspace.clock(), fd, tmp, dirtyAtStart: s.keyspace.dirty, done: Promise.resolve() };
    this.running = run;
    s.log.notice(`Background saving started by pid ${host.pid}`);
    run.done = this.finishBackground(run);
    return null;
  }

  private async finishBackground(run: Running): Promise<void> {
    const s = this.server;
    const host = s.host;
    let error: string | null = null;
    let step = 'rdbSaveRio';
    try {
      await run.job.run();
      if (run.job.state === 'done') {
        step = 'fsync';
        await host.fsyncAsync(run.fd);
        step = 'fclose';
        host.closeFile(run.fd);
        run.fd = -1;
        if (this.running === run) {
          step = 'rename';
          host.rename(run.tmp, this.path);
          step = 'fsyncFileDir';
          host.fsyncDir(s.dir);
        }
      }
    } catch (e) {
      error = saveError(e, step, run.tmp.slice(run.tmp.lastIndexOf('/') + 1), this.path, s.dir);
    }
    if (run.fd >= 0) {
      try {
        host.closeFile(run.fd);
      } catch { /* closing after a failure */ }
    }
    const aborted = this.running !== run || run.job.state === 'aborted' && error === null;
    if (aborted || error !== null) {
      try {
        host.remove(run.tmp);
      } catch { /* may not exist */ }
    }
    if (this.running !== run) return; // aborted and already replaced or cleared
    this.running = null;
    const elapsed = Math.floor((s.keyspace.clock() - run.start) / 1000);
    this.lastBgsaveTimeSec = elapsed;
    this.lastCowSize = run.job.cowBytes;
    if (aborted) return;
    if (error !== null) {
      s.log.warning(error);
      s.log.warning('Background saving error');
      this.lastBgsaveStatus = 'err';
    } else {
      s.log.notice('DB saved on disk');
      s.log.notice('Background saving terminated with success');
      s.keyspace.dirty -= run.dirtyAtStart;
      if (s.keyspace.dirty < 0) s.keyspace.dirty = 0;
      s.lastSave = s.keyspace.clock();
      this.lastBgsaveStatus = 'ok';
    }
    this.updateDiskError();
  }

  /** Stops a running background save (killRDBChild): its temp file is removed. */
  abortBackground(): void {
    const run = this.running;
    if (run === null) return;
    this.running = null;
    run.job.abort();
    this.lastCowSize = run.job.cowBytes;
  }

  /** SAVE. rdb_saves counts SAVE and background saves, failed ones included (not the saves of
   * FLUSHALL and shutdown), as Redis 7.0's stat_rdb_saves does. */
  save(): string | null {
    if (this.running !== null) return 'ERR Background save already in progress';
    this.saves++;
    return this.saveSync() === null ? null : 'ERR';
  }

  /** BGSAVE [SCHEDULE]. */
  bgsave(schedule: boolean, inExec: boolean): string {
    if (this.running !== null) return '-ERR Background save already in progress';
    if (this.server.keyspace.snapshot !== null || inExec) {
      if (schedule || inExec) {
        this.scheduled = true;
        return '+Background saving scheduled';
      }
      return '-ERR Another child process is active (AOF?): can\'t BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.';
    }
    return this.startBackground() === null ? '+Background saving started' : '-ERR';
  }

  /** serverCron's part: save points and scheduled saves. */
  private cron(): void {
    const s = this.server;
    if (this.running !== null || s.keyspace.snapshot !== null || s.loading || s.isShuttingDown) return;
    const now = this.nowSec();
    const mayRetry = now - this.lastBgsaveTry > BGSAVE_RETRY_DELAY || this.lastBgsaveStatus === 'ok';
    if (this.scheduled && mayRetry) {
      this.scheduled = false;
      this.startBackground();
      return;
    }
    const points = this.savePoints;
    const dirty = s.keyspace.dirty;
    const lastSave = Math.floor(s.lastSave / 1000);
    for (let j = 0; j < points.length; j += 2) {
      const seconds = points[j];
      const changes = points[j + 1];
      if (dirty >= changes && now - lastSave > seconds && mayRetry) {
        s.log.notice(`${changes} changes in ${seconds} seconds. Saving...`);
        this.startBackground();
        break;
      }
    }
  }

  /**
   * FLUSHALL (core/commands/generic.ts): a running save is stopped; with save points the empty
   * dataset is saved at once (which, as in Redis 7.0, leaves rdb_changes_since_last_save at 0).
   */
  private afterFlushall(): void {
    this.abortBackground();
    if (this.savePoints.length === 0) return;
    this.saveSync();
  }

  private async beforeShutdown(save: boolean): Promise<void> {
    const s = this.server;
    if (this.running !== null) {
      s.log.warning('There is a child saving an .rdb. Killing it!');
      this.abortBackground();
    }
    if (!save) return;
    if (s.loading) {
      s.log.warning('Not saving the dataset at shutdown: it is still being loaded');
      return;
    }
    s.log.notice('Saving the final RDB snapshot before exiting.');
    const err = await this.saveAtShutdown();
    if (err !== null) throw new Error(err);
  }

  // -----------------------------------------------------------------------------------------------
  // Loading

  /**
   * Loads dir/dbfilename into the keyspace (see the top). Resolves when done or when there is
   * no file; rejects with the reason when the file cannot be used (the server does not start).
   */
  async load(): Promise<void> {
    const s = this.server;
    if (s.config.bool('appendonly') && s.plugins.some((p) => p.name === 'aof')) return;
    const host = s.host;
    const path = this.path;
    const total = host.fileSize(path);
    if (total < 0) return;
    const t0 = host.now();
    const fd = host.openFile(path, 'read');
    this.loadingInfo = { start: this.nowSec(), total, loaded: 0, usedMem: 0 };
    let nextLog = total >= 8 << 20 ? 0.1 : 2;
    const trace = newLoadTrace();
    const reader = fileReader(s, path, fd);
    try {
      const res = await loadRdb(reader, s.keyspace, {
        ...loadOptionsFor(this.server, false),
        trace,
        yieldEvery: s.config.num('loading-process-events-interval-bytes'),
        keyDelayUs: Math.max(0, s.config.num('key-load-delay')),
        pause: async (offset) => {
          this.loadingInfo!.loaded = offset;
          if (offset / total >= nextLog) {
            s.log.notice(`Loading RDB: ${Math.floor((offset / total) * 100)}% of ${total} bytes read`);
            nextLog += 0.1;
          }
          // setImmediate: the event loop polls sockets before it runs, without a timer's 1 ms.
          await new Promise((resolve) => setImmediate(resolve));
          if (s.isShuttingDown) throw new RdbError('Loading aborted: the server is shutting down');
        },
        log: (level, m) => {
          if (m.startsWith('RDB memory usage')) this.loadingInfo!.usedMem = Math.round(parseFloat(m.slice(28)) * 1024 * 1024);
          s.log[level](m);
        },
      });
      this.loadedKeys = res.keysLoaded;
      this.expiredKeys = res.keysExpired;
      s.log.notice(doneLoadingLine(res));
      s.log.notice(`DB loaded from disk: ${((host.now() - t0) / 1000).toFixed(3)} seconds`);
    } catch (e) {
      // The server does not start. A damaged file is reported as Redis's rdbReportError does;
      // a file that cannot be read is left to whoever started the server (the CLI logs it and
      // exits).
      if (!(e instanceof RdbError)) throw new Error(`Fatal error loading the DB from ${path}: ${reason(e)}`);
      const found = reportDamage(s, s.config.str('dbfilename'), e, trace, reader.offset, this.loadingInfo?.loaded ?? 0,
        this.checksumFirst(e, trace, reader, fd, total));
      // rdbLoad's caller for a file that is no RDB, whose errno is EINVAL.
      if (found === 'header') s.log.warning('Fatal error loading the DB: Invalid argument. Exiting.');
      if (found === 'value') s.log.warning('Terminating server after rdb file reading failure.');
      throw new StartupAborted(`Fatal error loading the DB from ${path}: ${e.message}`);
    } finally {
      host.closeFile(fd);
      this.loadingInfo = null;
    }
  }

  /**
   * The checksum line Redis would log before anything else for `e`: when a packed blob fails a
   * check deeper than the one Redis makes without sanitize-dump-payload yes, Redis's loader
   * takes the blob and then finds the file's checksum wrong (null when it is right).
   */
  private checksumFirst(e: RdbError, trace: LoadTrace, reader: RdbReader, fd: number, size: number): string | null {
    const s = this.server;
    if (e.eof || trace.doing !== 'read-object-value' || trace.invalidType !== null) return null;
    if (!e.message.endsWith('integrity check failed.') || s.config.str('sanitize-dump-payload') === 'yes') return null;
    if (!s.config.bool('rdbchecksum') || s.skipChecksumValidation) return null;
    if (!passesShallowCheck(trace.type, reader.blobSrc, reader.blobStart, reader.blobEnd)) return null;
    return checksumMismatch(size, (into, pos) => s.host.readFileAt(fd, into, pos));
  }

  /**
   * DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE], as Redis's debugCommand: save the dump (unless
   * NOSAVE), empty every database (unless NOFLUSH), and load the dump back in one go; Redis
   * blocks the server for it too. With MERGE a loaded key replaces one already there (without
   * it, NOFLUSH and a key in both is a load error: Redis stops the server on it). Null on
   * success, else the error reply.
   */
  private reload(save: boolean, flush: boolean, merge: boolean): string | null {
    const s = this.server;
    // A background save walks the tables being replaced; like FLUSHALL, stop it (its file would
    // otherwise land over the fresh dump when it ends).
    this.abortBackground();
    if (save && this.saveSync() !== null) return 'ERR';
    if (flush) for (const db of s.keyspace.dbs) db.flush();
    const host = s.host;
    let fd = -1;
    try {
      if (host.fileSize(this.path) < 0) throw new RdbError(`${this.path} does not exist`);
      fd = host.openFile(this.path, 'read');
      s.log.notice(doneLoadingLine(loadRdbSync(fileReader(s, this.path, fd), s.keyspace, { ...loadOptionsFor(this.server, false), replace: merge })));
    } catch (e) {
      s.log.warning(`DEBUG RELOAD failed loading ${this.path}: ${e instanceof RdbError ? e.message : reason(e)}`);
      return 'ERR Error trying to load the RDB dump, check server logs.';
    } finally {
      if (fd >= 0) host.closeFile(fd);
    }
    s.log.warning('DB reloaded by DEBUG RELOAD');
    return null;
  }

  // -----------------------------------------------------------------------------------------------
  // INFO

  info(section: string): Record<string, string | number> | undefined {
    if (section !== 'persistence') return undefined;
    const s = this.server;
    const run = this.running;
    const now = s.keyspace.clock();
    const out: Record<string, string | number> = {
      // As the AOF rewrite reports them: what a fork copies stays copied until the child exits.
      current_cow_peak: run !== null ? run.job.cowBytes : 0,
      current_cow_size: run !== null ? run.job.cowBytes : 0,
      current_cow_size_age: 0,
      current_fork_perc: run !== null && run.job.keysTotal > 0
        ? ((run.job.keysDone / run.job.keysTotal) * 100).toFixed(2) : '0.00',
      current_save_keys_processed: run !== null ? run.job.keysDone : 0,
      current_save_keys_total: run !== null ? run.job.keysTotal : 0,
      rdb_changes_since_last_save: s.keyspace.dirty,
      rdb_bgsave_in_progress: run !== null ? 1 : 0,
      rdb_last_save_time: Math.floor(s.lastSave / 1000),
      rdb_last_bgsave_status: this.lastBgsaveStatus,
      rdb_last_bgsave_time_sec: this.lastBgsaveTimeSec,
      rdb_current_bgsave_time_sec: run !== null ? Math.floor((now - run.start) / 1000) : -1,
      rdb_saves: this.saves,
      rdb_last_cow_size: this.lastCowSize,
      rdb_last_load_keys_expired: this.expiredKeys,
      rdb_last_load_keys_loaded: this.loadedKeys,
    };
    const li = this.loadingInfo;
    if (li !== null) {
      const elapsed = this.nowSec() - li.start;
      const perc = li.total > 0 ? (li.loaded / li.total) * 100 : 0;
      const eta = li.loaded > 0 && elapsed > 0 ? Math.floor((li.total - li.loaded) / (li.loaded / elapsed)) : 1;
      out.loading_start_time = li.start;
      out.loading_total_bytes = li.total;
      out.loading_rdb_used_mem = li.usedMem;
      out.loading_loaded_bytes = li.loaded;
      out.loading_loaded_perc = perc.toFixed(2);
      out.loading_eta_seconds = eta;
    }
    return out;
  }

  instance(): PluginInstance & { rdb: RdbControl } {
    const self = this;
    return {
      load: () => this.load(),
      info: (section) => this.info(section),
      close: () => this.abortBackground(),
      abandon: () => this.abandon(),
      rdb: {
        save: () => this.save(),
        reload: (save, flush, merge) => this.reload(save, flush, merge),
        afterFlushall: () => this.afterFlushall(),
        bgsave: (schedule, inExec) => this.bgsave(schedule, inExec),
        get inProgress() {
          return self.running !== null;
        },
        waitBackground: async () => {
          while (self.running !== null) await self.running.done;
        },
      },
    };
  }
}

/** strerror-like text for a file system error. */
function reason(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return 'No such file or directory';
  if (code === 'EACCES') return 'Permission denied';
  if (code === 'ENOSPC') return 'No space left on device';
  if (code === 'EROFS') return 'Read-only file system';
  if (code === 'EISDIR') return 'Is a directory';
  if (code === 'ENOTDIR') return 'Not a directory';
  return (e as Error).message ?? String(e);
}

export const rdb = definePlugin({
  name: 'rdb',
  kind: 'persistence',
  setup(server) {
    return new RdbPersistence(server).instance();
  },
});

/** The log line of a failed save, as rdbSave words it for the step (`err_op`) that failed. */
function saveError(e: unknown, step: string, tmpName: string, path: string, dir: string): string {
  if (e instanceof RdbError) return `Error saving DB on disk: ${e.message}`;
  if (step === 'rename') {
    const file = path.slice(path.lastIndexOf('/') + 1);
    return `Error moving temp DB file ${tmpName} on the final destination ${file} (in server root dir ${dir}): ${reason(e)}`;
  }
  return `Write error saving DB on disk(${step}): ${reason(e)}`;
}
