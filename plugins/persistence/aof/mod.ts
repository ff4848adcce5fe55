// =================================================================================================
// The aof persistence plugin: Redis 7.0's multi-part append-only file
// =================================================================================================
//
// Design. The plugin follows the `appendonly` directive, as Redis's aof_state does:
//
//   off           nothing is appended; BGREWRITEAOF still writes a base (and manifest) on demand
//   on            every propagated change goes to the last incr file of the manifest
//   wait-rewrite  appendonly was turned on at run time: changes go to a temp incr file while the
//                 first rewrite makes a base; when it ends both get their names in the manifest
//                 and the state becomes on (if it fails, another rewrite is scheduled)
//
// It meets the server only through the fixed hooks and what setup returns:
//   propagate       -> AofWriter.feed (nothing while loading: replayed commands are not logged)
//   cron            -> postponed writes, once-a-second fsyncs, write-error retries, automatic and
//                      scheduled rewrites
//   beforeShutdown  -> stop a rewrite, write and fsync everything
//   load()          -> the manifest (always, as Redis reads it to number new files), then with
//                      appendonly yes: load the files, open the last incr, delete history files
//   info(section)   -> Redis's aof_* fields
//   rewriteAof()    -> BGREWRITEAOF (core/commands/aof.ts)
//   close()         -> the file is closed
// plus two core extension points: server.replyGate (a turn's replies wait for its write, and
// under appendfsync always for its one fsync: group commit, see _writer.ts) and
// server.diskErrors (MISCONF while the AOF cannot be written).
//
// Files: _manifest.ts (the manifest and atomic file replacement), _resp.ts (the command format),
// _writer.ts (appending and fsync), _loader.ts (start-up), _rewrite.ts and _base.ts (rewrites).
// With appendonly yes and an RDB dump also present, the AOF is what loads (as in Redis); an rdb
// plugin running beside this one must skip its own load then.

import { definePlugin, type PluginInstance, StartupAborted } from '../../../core/plugin.ts';
import type { Server } from '../../../core/server.ts';
import { strToUtf8 } from '../../../core/bytes.ts';
import { rdbBaseCodec } from '../rdb/codec.ts';
import { type BaseEncoder, CommandsEncoder, type RdbBaseCodec } from './_base.ts';
import { AofLoadError, loadFiles, loadFilesSync, type LoadOptions, type LoadProgress, readManifest } from './_loader.ts';
import { AofPaths, Manifest, persistManifest } from './_manifest.ts';
import { CommandBuffer } from './_resp.ts';
import { RewriteJob } from './_rewrite.ts';
import { AofWriter, type FsyncPolicy, strerror } from './_writer.ts';

/**
 * The AOF's state (Redis's aof_state):
 * - off: appendonly no; nothing is appended
 * - on: appending to the last incr file named in the manifest
 * - wait-rewrite: turned on at run time; appending to a temp incr until the first rewrite ends
 */
export type AofState = 'off' | 'on' | 'wait-rewrite';

/** What a BGREWRITEAOF asks (core/commands/aof.ts) and gets. */
export type RewriteReply = { status: string } | { error: string };

const REWRITE_LIMIT_THRESHOLD = 3;
const REWRITE_LIMIT_MAX_MINUTES = 60;

/** The rdb plugin's codec, through the interface _base.ts defines. */
const RDB: RdbBaseCodec = rdbBaseCodec;

export class AofPersistence {
  readonly server: Server;
  readonly paths: AofPaths;
  private stateNow: AofState = 'off';
  private listening = false;
  /** Listens to propagate only while appending, so writes pay nothing for an AOF that is off. */
  private readonly onPropagate = (db: number, argv: readonly string[]): void => {
    if (!this.loadingNow && this.writer.fd >= 0) this.writer.feed(db, argv as string[]);
  };
  manifest = new Manifest();
  readonly writer: AofWriter;
  job: RewriteJob | null = null;
  private jobStarted = 0;
  rewriteScheduled = false;
  private lastRewriteSecs = -1;
  private lastRewriteOk = true;
  private rewrites = 0;
  private consecutiveFailures = 0;
  private lastCowSize = 0;
  /** Size of every file but the one being appended to (base, older incrs). */
  private otherFilesSize = 0;
  /** aof_rewrite_base_size: the AOF's size after the last rewrite or load. */
  private baseSize = 0;
  private loadingNow = false;
  private progress: LoadProgress | null = null;
  private limitDelayMinutes = 0;
  private limitUntil = 0;
  private closed = false;

  constructor(server: Server) {
    this.server = server;
    const cfg = server.config;
    this.paths = new AofPaths(server.host, server.dir, cfg.str('appenddirname'), cfg.str('appendfilename'));
    this.writer = new AofWriter(server, cfg.str('appendfsync') as FsyncPolicy);
    this.writer.timestamps = cfg.bool('aof-timestamp-enabled');
    this.writer.skipFsync = () => this.job !== null && cfg.bool('no-appendfsync-on-rewrite');
    this.state = cfg.bool('appendonly') ? 'on' : 'off';
    if (this.state === 'off') this.writer.detach();

    server.on('cron', () => this.cron());
    server.on('beforeShutdown', () => this.beforeShutdown());
    this.writer.onStatus = (err) => {
      if (err === null || this.state === 'off') server.diskErrors.delete('aof');
      else server.diskErrors.set('aof', err);
    };

    cfg.onChange('appendonly', (v) => {
      if (v === true && this.state === 'off') return this.startAppendOnly() ? undefined : 'Unable to turn on AOF. Check server logs.';
      if (v === false && this.state !== 'off') this.stopAppendOnly();
    });
    cfg.onChange('appendfsync', (v) => {
      this.writer.setPolicy(v as FsyncPolicy);
      if (this.state === 'off') this.writer.detach();
    });
    cfg.onChange('aof-timestamp-enabled', (v) => {
      this.writer.timestamps = v as boolean;
    });
    // Turning auto gc back on deletes the history kept meanwhile (updateAofAutoGCEnabled).
    cfg.onChange('aof-disable-auto-gc', (v) => {
      if (v === false) this.deleteHistory();
    });
  }

  private get log() {
    return this.server.log;
  }

  private now(): number {
    return this.server.keyspace.clock();
  }

  /** The codec for an RDB base when aof-use-rdb-preamble is yes. */
  private baseEncoder(): BaseEncoder {
    if (this.server.config.bool('aof-use-rdb-preamble')) return RDB.encoder(this.server);
    const ts = this.server.config.bool('aof-timestamp-enabled') ? Math.floor(this.now() / 1000) : null;
    return new CommandsEncoder(ts);
  }

  // -----------------------------------------------------------------------------------------------
  // Start-up

  /** PluginInstance.load: see the design note. Throws (after logging) when start-up must stop. */
  async load(): Promise<void> {
    const opts = this.loadOptions();
    try {
      if (this.state === 'off') {
        // Read even when off, so BGREWRITEAOF numbers new files after the existing ones.
        this.manifest = readManifest({ ...opts, legacyPath: '' });
        return;
      }
      const t0 = this.server.host.now();
      this.loadingNow = true;
      this.progress = opts.progress;
      this.manifest = readManifest(opts);
      const out = await loadFiles(opts, this.manifest);
      if (out.status !== 'not-exist') {
        this.log.notice(`DB loaded from append only file: ${((this.server.host.now() - t0) / 1000).toFixed(3)} seconds`);
      }
      this.removeStaleTempFiles();
      this.openOnStart(out.baseSize, out.totalSize);
      this.deleteHistory();
    } catch (e) {
      if (e instanceof AofLoadError) throw new StartupAborted(`AOF loading failed: ${e.message}`);
      throw e;
    } finally {
      this.loadingNow = false;
      this.progress = null;
    }
  }

  private loadOptions(): LoadOptions {
    const cfg = this.server.config;
    return {
      server: this.server,
      paths: this.paths,
      legacyPath: this.server.host.resolve(this.server.dir, strToUtf8(cfg.str('appendfilename'))),
      loadTruncated: cfg.bool('aof-load-truncated'),
      rdb: RDB,
      progress: { startTime: 0, totalBytes: 0, loadedBytes: 0 },
    };
  }

  /**
   * DEBUG LOADAOF, as Redis's debugCommand: write what is buffered, empty every database, read
   * the manifest on disk again (dropping history files) and load what it names, all before any
   * other client runs. Where Redis exits (no AOF to load, a load that fails) echokv answers with
   * an error: with no AOF it checks before emptying anything; after a failed load the files on
   * disk are untouched and the log says where the load stopped.
   */
  debugLoad(): string | null {
    const opts = this.loadOptions();
    if (this.state !== 'off') this.writer.flush(true);
    let m: Manifest;
    try {
      m = readManifest(opts);
    } catch (e) {
      if (e instanceof AofLoadError) return 'ERR Error reading the AOF manifest, check server logs.';
      throw e;
    }
    if (m.isEmpty) return 'ERR There is no append only file to load.';
    for (const db of this.server.keyspace.dbs) db.flush();
    this.manifest = m;
    this.deleteHistory();
    // server.loading as in Redis (startLoadingFile): replayed commands are the AOF's, which
    // may do what a client may not (XADD's LIMIT without ~, EXPIREAT in the past keeping the
    // key). No client can see it: the load does not yield.
    this.loadingNow = true;
    this.server.loading = true;
    try {
      loadFilesSync(opts, this.manifest);
    } catch (e) {
      if (e instanceof AofLoadError) return 'ERR Error loading the append only file, check server logs.';
      throw e;
    } finally {
      this.loadingNow = false;
      this.server.loading = false;
    }
    this.log.warning('Append Only File loaded by DEBUG LOADAOF');
    return null;
  }

  /**
   * aofOpenIfNeededOnServerStart: an empty AOF gets a base (of the empty dataset) and an incr,
   * an existing one its last incr reopened for appending; the manifest is persisted. Throws when
   * the files cannot be made (Redis exits then too).
   */
  private openOnStart(baseSize: number, totalSize: number): void {
    const host = this.server.host;
    const m = this.manifest.clone();
    try {
      host.mkdirp(this.paths.dir);
      if (m.isEmpty) {
        const enc = this.baseEncoder();
        const name = m.newBase(this.paths.prefix, enc.rdb);
        const b = new CommandBuffer(1024);
        enc.begin(b);
        enc.end(b);
        const fd = host.openFile(this.paths.path(name), 'write');
        try {
          host.writeFileSync(fd, b.view());
          host.fsyncSync(fd);
        } finally {
          host.closeFile(fd);
        }
        baseSize = totalSize = b.len;
        this.log.notice(`Creating AOF base file ${strToUtf8(name)} on server start`);
      }
      const created = m.incrs.length === 0;
      if (created) m.newIncr(this.paths.prefix);
      const incr = m.incrs[m.incrs.length - 1];
      const path = this.paths.path(incr.name);
      const fd = host.openFile(path, 'append');
      persistManifest(this.paths, m);
      this.manifest = m;
      const size = host.fileSize(path);
      this.writer.open(fd, path, size);
      this.otherFilesSize = totalSize - size;
      this.baseSize = totalSize;
      this.log.notice(`${created ? 'Creating' : 'Opening'} AOF incr file ${strToUtf8(incr.name)} on server start`);
    } catch (e) {
      this.log.warning(`Can't open the append-only file: ${strerror(e)}`);
      throw new Error(`Can't open the append-only file: ${strerror(e)}`);
    }
  }

  /** A crash during a rewrite leaves its temp file behind: no manifest names it, so it goes. */
  private removeStaleTempFiles(): void {
    const host = this.server.host;
    let names: string[] = [];
    try {
      names = host.listDir(this.paths.dir);
    } catch {
      return;
    }
    for (const n of names) {
      if (!/^temp-rewriteaof-bg-\d+\.aof$/.test(n)) continue;
      try {
        host.remove(host.resolve(this.paths.dir, n));
        this.log.notice(`Removed the temporary AOF base file ${n} of an interrupted rewrite`);
      } catch { /* best effort */ }
    }
  }

  /** aofDelHistoryFiles: deletes history files, then persists a manifest without them. */
  private deleteHistory(): void {
    const m = this.manifest;
    if (m.history.length === 0 || this.server.config.bool('aof-disable-auto-gc')) return;
    const next = m.clone();
    for (const f of m.history) {
      this.log.notice(`Removing the history file ${strToUtf8(f.name)} in the background`);
      try {
        this.server.host.remove(this.paths.path(f.name));
      } catch (e) {
        if ((e as { code?: string }).code !== 'ENOENT') {
          this.log.warning(`Can't remove the history file ${strToUtf8(f.name)}: ${strerror(e)}`);
        }
      }
    }
    next.history = [];
    try {
      persistManifest(this.paths, next);
      this.manifest = next;
    } catch (e) {
      this.log.warning(`Can't persist the AOF manifest file ${strToUtf8(this.paths.manifestName)}: ${strerror(e)}`);
    }
  }

  // -----------------------------------------------------------------------------------------------
  // Turning the AOF on and off at run time (CONFIG SET appendonly)

  /** startAppendOnly: false (after logging) when the first rewrite cannot start. */
  private startAppendOnly(): boolean {
    const inExec = this.server.current?.inExec === true;
    if (this.job !== null) {
      this.log.warning('AOF was enabled but there is already an AOF rewriting in background. Stopping background AOF and starting a rewrite now.');
      this.abortRewrite();
    }
    this.state = 'wait-rewrite';
    if (this.server.keyspace.snapshot !== null) {
      this.rewriteScheduled = true;
      this.log.warning('AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.');
    } else if (inExec) {
      this.rewriteScheduled = true;
      this.log.warning('AOF was enabled during a transaction. An AOF background was scheduled to start when possible.');
    } else if (!this.startRewrite()) {
      this.state = 'off';
      this.log.warning("Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. Check the above logs for more info about the error.");
      return false;
    }
    this.writer.setPolicy(this.server.config.str('appendfsync') as FsyncPolicy);
    return true;
  }

  /** stopAppendOnly: writes and fsyncs what is pending, closes the file, stops a rewrite. */
  private stopAppendOnly(): void {
    this.writer.close();
    this.writer.detach();
    this.state = 'off';
    this.server.diskErrors.delete('aof');
    this.rewriteScheduled = false;
    this.abortRewrite();
    // The temp incr stays on disk, as in Redis (stopAppendOnly leaves it; the next
    // startAppendOnly truncates it). No manifest names it, so no load reads it.
  }

  /** aofDelTempIncrAofFile: after a failed first rewrite, the temp incr goes. */
  private removeTempIncr(): void {
    this.log.notice(`Removing the temp incr aof file ${strToUtf8(this.paths.tempIncrName)} in the background`);
    const p = this.paths.path(this.paths.tempIncrName);
    try {
      if (this.server.host.fileSize(p) >= 0) this.server.host.remove(p);
    } catch { /* best effort */ }
  }

  // -----------------------------------------------------------------------------------------------
  // Rewrites

  /** BGREWRITEAOF (bgrewriteaofCommand). */
  rewriteCommand(inExec: boolean): RewriteReply {
    if (this.job !== null) return { error: 'ERR Background append only file rewriting already in progress' };
    if (this.server.keyspace.snapshot !== null || inExec) {
      this.rewriteScheduled = true;
      // A manual request lifts the back-off of repeated failures.
      this.consecutiveFailures = 0;
      return { status: 'Background append only file rewriting scheduled' };
    }
    if (this.startRewrite()) return { status: 'Background append only file rewriting started' };
    return { error: "ERR Can't execute an AOF background rewriting. Please check the server logs for more information." };
  }

  /**
   * rewriteAppendOnlyFileBackground: switches appending to a new incr (named in a persisted
   * manifest) and starts the snapshot, in one synchronous step; the job then runs in slices.
   * Returns false (after logging, counting a failure) when it cannot start.
   */
  startRewrite(): boolean {
    if (this.job !== null || this.server.keyspace.snapshot !== null) return false;
    const host = this.server.host;
    const fail = (what: string, e: unknown): false => {
      this.log.warning(`${what}: ${strerror(e)}`);
      this.lastRewriteOk = false;
      this.consecutiveFailures++;
      return false;
    };
    try {
      host.mkdirp(this.paths.dir);
    } catch (e) {
      return fail(`Can't open or create append-only dir ${strToUtf8(this.server.config.str('appenddirname'))}`, e);
    }
    // Point T: what is buffered goes to the old file, what follows to the new one.
    if (this.state === 'on') {
      const m = this.manifest.clone();
      const name = m.newIncr(this.paths.prefix);
      const path = this.paths.path(name);
      let fd = -1;
      try {
        fd = host.openFile(path, 'append');
        persistManifest(this.paths, m);
      } catch (e) {
        if (fd >= 0) {
          host.closeFile(fd);
          try {
            host.remove(path);
          } catch { /* best effort */ }
        }
        return fail(`Can't open the append-only file ${strToUtf8(name)}`, e);
      }
      this.writer.flush(true);
      this.otherFilesSize += this.writer.fileSize;
      this.writer.switchTo(fd, path, 0);
      this.manifest = m;
      this.log.notice(`Creating AOF incr file ${strToUtf8(name)} on background rewrite`);
    } else if (this.state === 'wait-rewrite') {
      const path = this.paths.path(this.paths.tempIncrName);
      try {
        const fd = host.openFile(path, 'write');
        this.writer.close();
        this.writer.open(fd, path, 0);
        this.otherFilesSize = 0;
      } catch (e) {
        return fail(`Can't open the append-only file ${strToUtf8(this.paths.tempIncrName)}`, e);
      }
      this.log.notice(`Creating AOF incr file ${strToUtf8(this.paths.tempIncrName)} on background rewrite`);
    }
    const job = new RewriteJob(this.server, this.baseEncoder(), this.paths.path(this.paths.tempBaseName(host.pid)),
      this.server.config.bool('aof-rewrite-incremental-fsync'));
    job.keyDelayUs = Math.max(0, this.server.config.num('rdb-key-save-delay'));
    const t0 = host.now();
    try {
      job.start();
    } catch (e) {
      return fail("Can't rewrite append only file in background", e);
    }
    this.server.forked(t0);
    this.job = job;
    this.jobStarted = this.now();
    this.rewriteScheduled = false;
    this.rewrites++;
    // Redis names the forked child; echokv's rewrite runs in this process (as BGSAVE's log does).
    this.log.notice(`Background append only file rewriting started by pid ${host.pid}`);
    job.run().then(() => this.rewriteDone(job), (e) => this.rewriteFailed(job, e));
    return true;
  }

  /** backgroundRewriteDoneHandler for a successful job: the new base takes over. */
  private rewriteDone(job: RewriteJob): void {
    if (job !== this.job || job.isAborted) return;
    const host = this.server.host;
    this.job = null;
    this.lastRewriteSecs = Math.floor((this.now() - this.jobStarted) / 1000);
    this.lastCowSize = job.cowBytes;
    this.log.notice('Background AOF rewrite terminated with success');
    const tempName = this.paths.tempBaseName(host.pid);
    const m = this.manifest.clone();
    const baseName = m.newBase(this.paths.prefix, job.encoder.rdb);
    const basePath = this.paths.path(baseName);
    const failed = (msg: string): void => {
      this.log.warning(msg);
      this.lastRewriteOk = false;
      this.consecutiveFailures++;
      this.afterRewrite();
    };
    try {
      host.rename(job.path, basePath);
    } catch (e) {
      try {
        host.remove(job.path);
      } catch { /* best effort */ }
      failed(`Error trying to rename the temporary AOF base file ${tempName} into ${strToUtf8(baseName)}: ${strerror(e)}`);
      return;
    }
    this.log.notice(`Successfully renamed the temporary AOF base file ${tempName} into ${strToUtf8(baseName)}`);
    let incrPath: string | null = null;
    if (this.state === 'wait-rewrite') {
      const incrName = m.newIncr(this.paths.prefix);
      incrPath = this.paths.path(incrName);
      try {
        host.rename(this.writer.path, incrPath);
      } catch (e) {
        try {
          host.remove(basePath);
        } catch { /* best effort */ }
        failed(`Error trying to rename the temporary AOF incr file ${this.paths.tempIncrName} into ${strToUtf8(incrName)}: ${strerror(e)}`);
        return;
      }
      this.writer.path = incrPath;
      this.log.notice(`Successfully renamed the temporary AOF incr file ${this.paths.tempIncrName} into ${strToUtf8(incrName)}`);
    }
    m.markRewrittenIncrsAsHistory(this.state !== 'off');
    try {
      persistManifest(this.paths, m);
    } catch (e) {
      try {
        host.remove(basePath);
        if (incrPath !== null) host.rename(incrPath, this.writer.path = this.paths.path(this.paths.tempIncrName));
      } catch { /* best effort */ }
      failed(`Can't persist the AOF manifest file ${strToUtf8(this.paths.manifestName)}: ${strerror(e)}`);
      return;
    }
    this.manifest = m;
    if (this.state !== 'off') {
      const base = host.fileSize(basePath);
      this.otherFilesSize = base;
      this.baseSize = base + this.writer.fileSize;
    }
    this.deleteHistory();
    this.lastRewriteOk = true;
    this.consecutiveFailures = 0;
    this.log.notice('Background AOF rewrite finished successfully');
    if (this.state === 'wait-rewrite') this.state = 'on';
    this.afterRewrite();
  }

  private rewriteFailed(job: RewriteJob, e: unknown): void {
    if (job !== this.job) return;
    this.job = null;
    this.lastRewriteSecs = Math.floor((this.now() - this.jobStarted) / 1000);
    this.lastRewriteOk = false;
    this.consecutiveFailures++;
    this.log.warning(`Background AOF rewrite terminated with error: ${(e as Error)?.message ?? e}`);
    this.afterRewrite();
  }

  /** The cleanup both outcomes share: a wait-rewrite state starts over with a new rewrite. */
  private afterRewrite(): void {
    if (this.state !== 'wait-rewrite') return;
    this.writer.close();
    this.writer.buf.consume(this.writer.buf.len);
    this.removeTempIncr();
    this.rewriteScheduled = true;
  }

  private abortRewrite(): void {
    const job = this.job;
    if (job === null) return;
    this.job = null;
    this.log.notice(`Killing running AOF rewrite child: ${this.server.host.pid}`);
    job.abort();
  }

  /** aofRewriteLimited: after 3 failures in a row, wait 1, 2, 4 ... 60 minutes between tries. */
  private rewriteLimited(): boolean {
    if (this.consecutiveFailures < REWRITE_LIMIT_THRESHOLD) {
      this.limitDelayMinutes = 0;
      this.limitUntil = 0;
      return false;
    }
    const now = Math.floor(this.now() / 1000);
    if (this.limitUntil !== 0) {
      if (now < this.limitUntil) return true;
      this.limitUntil = 0;
      return false;
    }
    this.limitDelayMinutes = this.limitDelayMinutes === 0 ? 1 : Math.min(REWRITE_LIMIT_MAX_MINUTES, this.limitDelayMinutes * 2);
    this.limitUntil = now + this.limitDelayMinutes * 60;
    this.log.warning(`Background AOF rewrite has repeatedly failed and triggered the limit, will retry in ${this.limitDelayMinutes} minutes`);
    return true;
  }

  // -----------------------------------------------------------------------------------------------
  // Hooks

  private cron(): void {
    if (this.closed) return;
    if (this.state !== 'off') this.writer.flush(false);
    if (this.job !== null || this.server.keyspace.snapshot !== null) return;
    if (this.rewriteScheduled && !this.rewriteLimited()) {
      this.startRewrite();
      return;
    }
    const cfg = this.server.config;
    const perc = cfg.num('auto-aof-rewrite-percentage');
    const size = this.currentSize;
    if (this.state === 'on' && perc > 0 && size > cfg.num('auto-aof-rewrite-min-size')) {
      const base = this.baseSize > 0 ? this.baseSize : 1;
      const growth = Math.floor((size * 100) / base) - 100;
      if (growth >= perc && !this.rewriteLimited()) {
        this.log.notice(`Starting automatic rewriting of AOF on ${growth}% growth`);
        this.startRewrite();
      }
    }
  }

  private beforeShutdown(): void {
    if (this.job !== null) {
      if (this.state === 'wait-rewrite') {
        this.log.warning("Writing initial AOF, can't exit.");
        throw new Error("Writing initial AOF, can't exit");
      }
      this.log.warning('There is a child rewriting the AOF. Killing it!');
      this.abortRewrite();
    }
    if (this.state !== 'off') {
      this.log.notice('Calling fsync() on the AOF file.');
      this.writer.flush(true);
      this.writer.syncNow();
      this.writer.release();
    }
  }

  // -----------------------------------------------------------------------------------------------
  // INFO

  get state(): AofState {
    return this.stateNow;
  }

  set state(next: AofState) {
    this.stateNow = next;
    const want = next !== 'off';
    if (want === this.listening) return;
    this.listening = want;
    if (want) this.server.on('propagate', this.onPropagate);
    else this.server.off('propagate', this.onPropagate);
  }

  /** aof_current_size: the other files plus what has been written to the current one. */
  get currentSize(): number {
    return this.otherFilesSize + this.writer.fileSize;
  }

  info(section: string): Record<string, string | number> | undefined {
    if (section === 'memory') return { mem_aof_buffer: this.writer.buf.len };
    if (section !== 'persistence') return undefined;
    const w = this.writer;
    const now = this.now();
    const out: Record<string, string | number> = {
      aof_enabled: this.state !== 'off' ? 1 : 0,
      aof_rewrite_in_progress: this.job !== null ? 1 : 0,
      aof_rewrite_scheduled: this.rewriteScheduled ? 1 : 0,
      aof_last_rewrite_time_sec: this.lastRewriteSecs,
      aof_current_rewrite_time_sec: this.job !== null ? Math.floor((now - this.jobStarted) / 1000) : -1,
      aof_last_bgrewrite_status: this.lastRewriteOk ? 'ok' : 'err',
      aof_rewrites: this.rewrites,
      aof_rewrites_consecutive_failures: this.consecutiveFailures,
      aof_last_write_status: w.writeOk && w.fsyncOk ? 'ok' : 'err',
      aof_last_cow_size: this.lastCowSize,
    };
    if (this.job !== null) {
      out.current_cow_size = this.job.cowBytes;
      out.current_cow_peak = this.job.cowBytes;
      out.current_save_keys_processed = this.job.keysDone;
      out.current_save_keys_total = this.job.keysTotal;
    }
    if (this.state !== 'off') {
      out.aof_current_size = this.currentSize;
      out.aof_base_size = this.baseSize;
      out.aof_pending_rewrite = this.rewriteScheduled ? 1 : 0;
      out.aof_buffer_length = w.buf.len;
      out.aof_pending_bio_fsync = w.fsyncInFlight ? 1 : 0;
      out.aof_delayed_fsync = w.delayedFsync;
    }
    const p = this.progress;
    if (p !== null && this.server.loading) {
      const elapsed = Math.max(0, (Date.now() - p.startTime) / 1000);
      const perc = p.totalBytes > 0 ? (p.loadedBytes * 100) / p.totalBytes : 0;
      const eta = p.loadedBytes > 0 ? Math.floor(((p.totalBytes - p.loadedBytes) * elapsed) / p.loadedBytes) : 1;
      out.loading_start_time = Math.floor(p.startTime / 1000);
      out.loading_total_bytes = p.totalBytes;
      out.loading_rdb_used_mem = 0;
      out.loading_loaded_bytes = p.loadedBytes;
      out.loading_loaded_perc = perc.toFixed(2);
      out.loading_eta_seconds = eta;
    }
    return out;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.abortRewrite();
    this.writer.close();
    this.writer.detach();
  }

  instance(): PluginInstance {
    return {
      load: () => this.load(),
      info: (section) => this.info(section),
      rewriteAof: (opts) => this.rewriteCommand(opts.inExec),
      loadAof: () => this.debugLoad(),
      close: () => this.close(),
    };
  }
}

export const aof = definePlugin({
  name: 'aof',
  kind: 'persistence',
  setup(server) {
    // `appendonly` decides, as in Redis; selecting the plugin alone does not turn the AOF on.
    return new AofPersistence(server).instance();
  },
});
