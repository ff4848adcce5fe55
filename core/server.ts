// The server: configuration -> plugins -> listen, then for every connection the data path
//   transport bytes -> parser -> command lookup -> checks -> handler -> reply buffer -> one write
// and, for every command that changed data, the propagation hook (AOF and replication listen).
// The checks run in Redis's order (processCommand in src/server.c): unknown command, arity,
// authentication, loading, then the handler.

import { Client, type Connection, isLocalConnection, WRITE_BUSY, WRITE_KEPT } from './client.ts';
import { LatencyMonitor } from './latency.ts';
import { Command, CommandTable } from './command.ts';
import { ALL_COMMANDS } from './commands/mod.ts';
import { allowProtectedAction, Config } from './config/mod.ts';
import { ConfigFileError } from './config/parse.ts';
import { ERR, pubsubContext, unknownCommand, unknownSubcommand, wrongArity } from './errors.ts';
import type { Host } from './host.ts';
import { endMemberMemo, newMemberMemo, setMemberPos } from './types/byte_table.ts';
import { type Database, type Entry, Keyspace, noModified, type ObjectValue } from './keyspace.ts';
import { aheadStrings, aheadValues, hashKey, hashKeyBytes } from './key_table.ts';
import { Logger, type LogLevel } from './log.ts';
import { OomScore } from './oom_score.ts';
import {
  checkPlugins, type HookName, type HookSignatures, type Plugin, type PluginInstance,
  pluginOptions, StartupAborted,
} from './plugin.ts';
import { ReplyWriter } from './resp/writer.ts';
import { LatencyHistogram } from './info.ts';
import type { ParserLimits } from './resp/parser.ts';
import { repr, utf8ToStr } from './bytes.ts';
import { Blocking } from './blocking.ts';
import { PUBSUB_CONTEXT_COMMANDS, PubSub } from './pubsub.ts';
import { RUN_IN_MULTI, Transactions } from './multi.ts';
import { Eviction } from './eviction.ts';
import { lazyFreed } from './lazyfree.ts';
import type { Tracking } from './tracking.ts';

export const VERSION = '0.1.0';
/** Commands Server.readAhead parses ahead of the one running, at most. */
const AHEAD = 16;
/** prefetchBatch's scratch: the batch positions of the commands with a key, and its hashes. */
const aheadAt = new Int32Array(AHEAD + 1);
const aheadHashes = new Int32Array(AHEAD + 1);
/** Per command of the batch, where its second and third arguments lie in the batch's read
 * buffer, or -1 (see RequestParser.arg1At). */
const aheadArg1 = new Int32Array(AHEAD + 1);
const aheadArg2 = new Int32Array(AHEAD + 1);
const NO_ARGV: string[] = [];

function isReset(argv: readonly string[]): boolean {
  const name = argv[0];
  // Compared without toLowerCase: that made a string for every LPUSH, RPUSH, HMGET ... read ahead.
  if (name.length !== 5) return false;
  for (let i = 0; i < 5; i++) if ((name.charCodeAt(i) | 32) !== RESET_CODES[i]) return false;
  return true;
}
const RESET_CODES = [114, 101, 115, 101, 116]; // "reset"

/** Output of one client held for the end of the turn, at most (see processInput). */
const MAX_DEFERRED_OUTPUT = 64 * 1024;
/** Idle time after which the young generation is trimmed: V8 judges the allocation rate over
 * the last 5 s of its collections, so a shorter wait finds it still high and shrinks nothing. */
const IDLE_TRIM_MS = 10_000;
/** Descriptors Redis keeps for its own files beside one per client (CONFIG_MIN_RESERVED_FDS). */
const RESERVED_FDS = 32;
/** The Redis version whose behaviour echokv follows; INFO reports it as redis_version. */
export const REDIS_VERSION = '7.0.15';

export interface SlowlogEntry {
  id: number;
  time: number;
  durationUs: number;
  argv: string[];
  peer: string;
  name: string;
}

export interface ServerOptions {
  config: Config;
  host: Host;
  plugins: readonly Plugin<any>[];
  /** Options per plugin name, validated by each plugin's schema. */
  pluginOptions?: Record<string, unknown>;
  /** Injected clock (ms); tests drive expiry with it. */
  clock?: () => number;
  /** Exit the process when SHUTDOWN runs (the CLI sets this; embedded servers do not). */
  exitOnShutdown?: boolean;
  /**
   * The settled heap (Host.settledHeap) before the server was built: the CLI measures it so that
   * used_memory_startup is what the server allocated, not the runtime and the code.
   */
  heapBaseline?: number | null;
}

/** Counters behind INFO stats. */
export interface ServerStats {
  connectionsReceived: number;
  commandsProcessed: number;
  rejectedConnections: number;
  netInputBytes: number;
  netOutputBytes: number;
  unexpectedErrorReplies: number;
  totalErrorReplies: number;
  errorCodes: Map<string, number>;
  /** Ops/sec samples over the last 16 cron ticks of 100 ms, as Redis's instantaneous metrics. */
  opsSamples: number[];
  /** Input and output kbps samples, taken with the ops samples. */
  inputKbpsSamples: number[];
  outputKbpsSamples: number[];
  lastOpsSample: { time: number; count: number; input: number; output: number };
  /** Socket reads handled and reply writes made (INFO total_reads/writes_processed). */
  readsProcessed: number;
  writesProcessed: number;
  /** Highest used memory seen by cron (INFO used_memory_peak); CONFIG RESETSTAT clears it. */
  peakMemory: number;
  clientQueryBufferLimitDisconnections: number;
  /** Keys evicted for maxmemory (INFO evicted_keys). */
  evictedKeys: number;
  /** Clients closed for maxmemory-clients (INFO evicted_clients). */
  evictedClients: number;
  /** Time used memory spent over maxmemory (INFO total/current_eviction_exceeded_time), in ms,
   * and since when (host.now() ms) it is over now, 0 when it is not. */
  evictionExceededMs: number;
  evictionExceededSince: number;
  /** Listpacks and intsets checked entry by entry in RESTORE and loads while
   * sanitize-dump-payload asks for it (INFO dump_payload_sanitizations). */
  dumpPayloadSanitizations: number;
  /** Background saves and rewrites started (INFO total_forks), and how long the last one held
   * the server while it opened its snapshot (latest_fork_usec): see Server.forked. */
  forks: number;
  latestForkUs: number;
}

/** Points the LookupMemo of the client's database, and the MemberMemo, at the batch's command `i`. */
function setMemoPos(c: Client, i: number): void {
  const m = c.db.keys.memo;
  if (m !== null) m.pos = i;
  setMemberPos(i);
}

export class Server {
  readonly config: Config;
  readonly host: Host;
  readonly keyspace: Keyspace;
  readonly commands = new CommandTable();
  readonly clients = new Map<number, Client>();
  readonly log: Logger;
  readonly startTime: number;
  readonly runId: string;
  readonly stats: ServerStats = {
    connectionsReceived: 0,
    commandsProcessed: 0,
    rejectedConnections: 0,
    netInputBytes: 0,
    netOutputBytes: 0,
    unexpectedErrorReplies: 0,
    totalErrorReplies: 0,
    errorCodes: new Map(),
    opsSamples: [],
    inputKbpsSamples: [],
    outputKbpsSamples: [],
    lastOpsSample: { time: 0, count: 0, input: 0, output: 0 },
    readsProcessed: 0,
    writesProcessed: 0,
    peakMemory: 0,
    clientQueryBufferLimitDisconnections: 0,
    evictedKeys: 0,
    evictedClients: 0,
    evictionExceededMs: 0,
    evictionExceededSince: 0,
    dumpPayloadSanitizations: 0,
    forks: 0,
    latestForkUs: 0,
  };
  readonly slowlog: SlowlogEntry[] = [];
  slowlogNextId = 0;
  readonly monitors = new Set<Client>();
  /** Clients parked in blocking commands (BLPOP ...), served when their keys get data. */
  readonly blocking: Blocking = new Blocking(this);
  /** MULTI/EXEC and WATCH state (core/multi.ts). */
  readonly transactions: Transactions = new Transactions(this);
  /** While set (EXEC), propagate() collects changes here instead of sending them. */
  propagateBuffer: [number, string[]][] | null = null;
  /**
   * While the outermost command runs (with propagate listeners), propagate() collects what it
   * and the expiries it meets propagate here (Redis's also_propagate); call() then sends one
   * change alone and several wrapped in MULTI ... EXEC (propagatePendingCommands). Parallel
   * arrays reused from call to call, so collecting allocates nothing.
   */
  private collecting = false;
  private readonly pendingDb: number[] = [];
  private readonly pendingArgv: (readonly string[])[] = [];
  /** How many slots of the pending arrays are in use: they are never shrunk, because setting
   * an array's length is a runtime call in V8 and the next push would grow it again. */
  private pendingCount = 0;
  /** maxmemory: the used-memory estimate and eviction (core/eviction.ts). */
  readonly eviction: Eviction;
  /** Channels, patterns, keyspace notifications and output buffer limits (core/pubsub.ts). */
  readonly pubsub: PubSub;
  /** The command and arguments running now (blocking commands park them to run again). */
  runningCommand: Command | null = null;
  runningArgv: string[] | null = null;
  /** Paused until this time (CLIENT PAUSE) and which commands the pause holds back. */
  pause: { until: number; writesOnly: boolean } | null = null;
  /** DEBUG SET-ACTIVE-EXPIRE: whether cron deletes expired keys nobody reads. */
  activeExpire = true;
  /** DEBUG QUICKLIST-PACKED-THRESHOLD: list elements of this size or more are saved (RDB, DUMP)
   * in a plain quicklist node of their own, as Redis's packed_threshold (1 GB by default). */
  packedThreshold = 1 << 30;
  /** DEBUG SET-SKIP-CHECKSUM-VALIDATION: RESTORE payloads and RDB files load without their
   * CRC-64 being checked. */
  skipChecksumValidation = false;
  /** DEBUG AOF-FLUSH-SLEEP: microseconds the AOF writer holds the server before each write. */
  aofFlushSleepUs = 0;
  /** latency-tracking: per-command latency histograms for INFO latencystats. */
  latencyTracking = true;
  /** Used memory measured when the server started (INFO used_memory_startup). */
  startupMemory = 0;
  private readonly heapBaseline: number | null;
  private readonly oomScore = new OomScore(this);
  /** Commands processed when the cron last saw the count change, since when, and whether the
   * young generation was trimmed since (see trimWhenIdle). Start-up counts as activity. */
  private readonly idleTrim = { commands: 0, since: 0, done: false };
  /** Whether the keyspace clock was injected (then TIME and MONITOR follow it, not the host). */
  private readonly clockInjected: boolean;
  /** A handler sets this to send its reply although CLIENT REPLY OFF/SKIP was in effect when it
   * started (CLIENT REPLY ON, which Redis answers after clearing the flags). */
  forceReply = false;
  loading = false;
  lastSave: number;
  readonly plugins: readonly Plugin<any>[];
  readonly instances = new Map<string, PluginInstance>();
  /** The client whose command is running, if any. */
  current: Client | null = null;
  /** Client-side caching state, made by the first CLIENT TRACKING ON (core/tracking.ts). */
  tracking: Tracking | null = null;
  /** A handler may set what is propagated instead of its argv (SET EX -> SET PXAT ...). */
  propagateAs: string[][] | null = null;
  /** A handler sets this to propagate even though no data changed (FLUSHDB of an empty db). */
  forcePropagate = false;
  /**
   * Set by a persistence plugin that acknowledges writes only once they are on disk (the AOF with
   * appendfsync always): flush() offers it each client's pending output first, and when it
   * returns true it has taken that output (c.out) to send itself, in order, once the data the
   * replies depend on is fsynced (group commit: one fsync per event-loop turn for all clients).
   */
  replyGate: ((c: Client) => boolean) | null = null;
  /**
   * Persistence errors that refuse write commands and PING (Redis's
   * writeCommandsDeniedByDiskError, checked in processCommand before the loading check): each
   * plugin sets its MISCONF error under its own name while data cannot be persisted and deletes
   * it once it can again. The first one set is the reply.
   */
  readonly diskErrors = new Map<string, string>();
  private readonly hooks: { [K in HookName]: HookSignatures[K][] } = {
    propagate: [], cron: [], beforeShutdown: [],
  };
  /** Redis 7.0 gives ids 1 and 2 to its Lua clients (EVAL's and FUNCTION's) at startup, so the
   * first connection is id 3 (CLIENT ID, HELLO, CLIENT LIST). */
  private nextClientId = 3;
  /** Monotonic ms when the running command started (see processInput). */
  private lastNow = 0;
  /** slowlog-log-slower-than, cached: it is read after every command. */
  private slowlogThreshold = 0;
  /** LATENCY's event samples (core/latency.ts). */
  readonly latency = new LatencyMonitor();
  /** latency-monitor-threshold (ms), cached: 0 records nothing. */
  private latencyThreshold = 0;
  /** Clients queued for flushPending, each once (Client.flushQueued): an array, where a Set cost
   * a hash-table insert per client and a new table per turn at clear(). */
  private readonly pendingFlush: Client[] = [];
  private flushScheduled = false;
  private cronTimer: ReturnType<typeof setInterval> | null = null;
  private readonly pluginOpts: Record<string, unknown>;
  private readonly exitOnShutdown: boolean;
  private shuttingDown: Promise<boolean> | null = null;
  /**
   * A shutdown a signal asked for, started by the next cron tick as Redis's shutdown_asap is;
   * SHUTDOWN ABORT can cancel it until then.
   */
  shutdownAsap: { save?: boolean; force?: boolean } | null = null;
  /** DEBUG PAUSE-CRON: while set, the cron does nothing (shutdowns asked for by signals wait). */
  cronPaused = false;
  private readonly sink = new ReplyWriter();
  /** Shared by every client's parser, so CONFIG SET of these limits applies to open connections. */
  readonly parserLimits: ParserLimits;
  private readonly heldClients: Client[] = [];
  private lastMemorySample = -Infinity;
  /** Error replies counted when the last call() ended (failed_calls of nested calls). */
  private errorsCounted = 0;
  /** The last command name lookup() found, as sent, and its command (see lookup). */
  private lastName: string | null = null;
  private lastCommand: Command | null = null;

  constructor(opts: ServerOptions) {
    this.config = opts.config;
    this.host = opts.host;
    this.plugins = opts.plugins;
    this.pluginOpts = opts.pluginOptions ?? {};
    this.exitOnShutdown = opts.exitOnShutdown ?? false;
    this.heapBaseline = opts.heapBaseline ?? null;
    this.keyspace = new Keyspace({ databases: this.config.num('databases'), clock: opts.clock });
    this.clockInjected = opts.clock !== undefined;
    this.keyspace.hooks = {
      expired: (db, key, value) => {
        // Redis's propagateDeletion: an UNLINK when expired keys are freed lazily.
        const lazy = this.config.bool('lazyfree-lazy-expire');
        if (lazy) lazyFreed(this, value);
        if (this.hooks.propagate.length > 0) this.propagate(db.id, [lazy ? 'UNLINK' : 'DEL', key]);
      },
      // Installed by listenModified() while WATCH or the memory estimate needs it.
      modified: noModified,
      notify: () => {},
      ready: (db, key) => this.blocking.signalKeyReady(db, key),
      lazyFreed: (value) => lazyFreed(this, value),
      emptying: (db, replacement) => {
        if (this.transactions.count > 0) this.transactions.touchAll(db, replacement);
        // Waiters on its keys are looked at again: XREADGROUP ones lose their stream.
        if (this.blocking.count > 0) this.blocking.signalDatabase(db);
        // Shares of keys changed in a database about to be swapped must be taken first.
        if (this.eviction.tracking) this.eviction.settle();
        if (this.tracking !== null) this.tracking.onEmptying(replacement);
      },
    };
    this.keyspace.lazyServerDel = this.config.bool('lazyfree-lazy-server-del');
    this.config.onChange('lazyfree-lazy-server-del', (v) => {
      this.keyspace.lazyServerDel = v as boolean;
    });
    this.startTime = this.keyspace.clock();
    this.lastSave = this.startTime;
    this.eviction = new Eviction(this);
    this.runId = randomHex(40);
    this.log = new Logger(this.host.pid, (line) => this.writeLog(line), () => this.keyspace.clock());
    this.log.level = this.config.str('loglevel') as LogLevel;
    this.slowlogThreshold = this.config.num('slowlog-log-slower-than');
    this.config.onChange('slowlog-log-slower-than', (x) => {
      this.slowlogThreshold = x as number;
    });
    this.latencyThreshold = this.config.num('latency-monitor-threshold');
    this.config.onChange('latency-monitor-threshold', (x) => {
      this.latencyThreshold = x as number;
    });
    this.config.onChange('loglevel', (x) => {
      this.log.level = x as LogLevel;
    });
    this.config.onChange('hz', () => this.restartCron());
    for (const name of ['oom-score-adj', 'oom-score-adj-values']) {
      this.config.onChange(name, () => {
        if (!this.oomScore.apply()) return 'Failed to set current oom_score_adj. Check server logs.';
      });
    }
    this.config.onChange('maxclients', () => {
      // Redis's updateMaxclients: a limit the descriptors cannot hold is refused.
      const fit = this.fittingMaxclients();
      if (fit === null) return;
      this.logLowUlimit(fit);
      this.log.warning('Failed applying new configuration. Possibly related to new maxclients setting. Restoring previous settings.');
      return `The operating system is not able to handle the specified number of clients, try with ${fit}`;
    });
    this.latencyTracking = this.config.bool('latency-tracking');
    this.config.onChange('latency-tracking', (x) => {
      this.latencyTracking = x as boolean;
    });
    this.parserLimits = {
      maxBulkLen: this.config.num('proto-max-bulk-len'),
      maxQueryBuffer: this.config.num('client-query-buffer-limit'),
    };
    this.config.onChange('proto-max-bulk-len', (x) => {
      this.parserLimits.maxBulkLen = x as number;
    });
    this.config.onChange('client-query-buffer-limit', (x) => {
      this.parserLimits.maxQueryBuffer = x as number;
    });
    this.commands.add(ALL_COMMANDS);
    for (const d of this.config.fileDirectives) {
      if (d.name !== 'rename-command') continue;
      const error = this.commands.rename(d.args[0], d.args[1]);
      if (error !== null) throw new ConfigFileError(d.line.file, d.line.line, d.line.text, error);
    }
    // Installs the keyspace notify hook (a no-op while notify-keyspace-events selects nothing).
    this.pubsub = new PubSub(this);
    checkPlugins(this.plugins);
  }

  private writeLog(line: string): void {
    const file = this.config.str('logfile');
    if (file === '') this.host.stdout(line);
    else {
      try {
        this.host.appendText(file, line);
      } catch {
        this.host.stderr(line);
      }
    }
  }

  /** Absolute directory where persistence files go (`dir`, relative to the start directory). */
  get dir(): string {
    return this.host.resolve(this.config.str('dir'));
  }

  /** Whether the default user has a password (requirepass), so unauthenticated clients must AUTH. */
  get authRequired(): boolean {
    return this.config.str('requirepass') !== '';
  }

  /** Registers a hook listener (see HOOKS in core/plugin.ts). */
  on<K extends HookName>(hook: K, fn: HookSignatures[K]): void {
    this.hooks[hook].push(fn);
  }

  /** Removes a listener added with on(): a hook nobody listens to costs nothing. */
  off<K extends HookName>(hook: K, fn: HookSignatures[K]): void {
    const list = this.hooks[hook] as HookSignatures[K][];
    const i = list.indexOf(fn);
    if (i >= 0) list.splice(i, 1);
  }

  /** The keyspace's modified hook while something listens (see listenModified). */
  private readonly modifiedHook = (db: Database, key: string): void => {
    if (this.transactions.count > 0) this.transactions.touch(db, key);
    if (this.eviction.tracking) this.eviction.changed(db, key);
    if (this.tracking !== null && this.tracking.listening) this.tracking.invalidateKey(key);
  };

  /**
   * Installs the modified hook while keys are WATCHed, the memory estimate is kept or client-side
   * caching needs to hear about changes (core/tracking.ts), and the
   * no-op that writes skip otherwise (keyspace.ts noModified). core/multi.ts and
   * core/eviction.ts call this whenever either changes.
   */
  listenModified(): void {
    this.keyspace.hooks.modified = this.transactions.count > 0 || this.eviction.tracking ||
        (this.tracking !== null && this.tracking.listening)
      ? this.modifiedHook : noModified;
  }

  hasListeners(hook: HookName): boolean {
    return this.hooks[hook].length > 0;
  }

  /** Sends a change to every propagate listener (AOF, replicas). */
  propagate(dbIndex: number, argv: readonly string[]): void {
    // Commands replayed from the AOF are in the files already (Redis's loader runs them
    // without call(), so they propagate nowhere); DEBUG LOADAOF replays inside a command.
    if (this.keyspace.loading) return;
    if (this.propagateBuffer !== null) {
      this.propagateBuffer.push([dbIndex, argv as string[]]);
      return;
    }
    if (this.collecting) {
      const i = this.pendingCount++;
      this.pendingDb[i] = dbIndex;
      this.pendingArgv[i] = argv;
      return;
    }
    const list = this.hooks.propagate;
    for (let i = 0; i < list.length; i++) list[i](dbIndex, argv);
  }

  /** Sends what the outermost command collected (see `collecting`). */
  private propagatePending(): void {
    this.collecting = false;
    const dbs = this.pendingDb;
    const argvs = this.pendingArgv;
    const n = this.pendingCount;
    if (n === 0) return;
    const list = this.hooks.propagate;
    // MULTI goes with the first change's database, so a SELECT comes before it.
    if (n > 1) for (let i = 0; i < list.length; i++) list[i](dbs[0], MULTI_ARGV);
    for (let j = 0; j < n; j++) for (let i = 0; i < list.length; i++) list[i](dbs[j], argvs[j]);
    if (n > 1) for (let i = 0; i < list.length; i++) list[i](dbs[n - 1], EXEC_ARGV);
    // The slots are reused; what they held may go.
    for (let j = 0; j < n; j++) argvs[j] = MULTI_ARGV;
    this.pendingCount = 0;
  }

  /**
   * Sets the plugins up, listens, then loads the dataset; rejects (after logging) when it
   * cannot. `listening` runs once every transport listens and before loading starts (the CLI
   * logs "Server initialized" there, as redis-server does once its ports are bound: tools
   * connect as soon as they read it).
   */
  async start(opts: { listening?: () => void } = {}): Promise<void> {
    this.oomScore.apply();
    this.idleTrim.since = this.keyspace.clock();
    this.adjustMaxclients();
    const order = ['persistence', 'replication', 'policy', 'transport'];
    const sorted = [...this.plugins].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
    for (const p of sorted) {
      const inst = await p.setup(this, pluginOptions(p, this.pluginOpts[p.name]));
      this.instances.set(p.name, inst);
    }
    // Measured before the dataset is loaded, as Redis measures used_memory_startup. With a
    // baseline (the CLI), what building and starting the server allocated, as Redis counts what
    // it allocated at start-up and not its binary; the runtime and echokv's code (about 11 MB
    // under Node) would otherwise leave a maxmemory under 12 MB no room for any data. Embedded,
    // the whole heap at this point: the rest of the process is someone else's.
    const settled = this.heapBaseline === null ? null : this.host.settledHeap?.() ?? null;
    this.startupMemory = settled === null ? this.heapMemory() : Math.max(0, settled - this.heapBaseline!);
    // As redis-server does, listen first and then load: clients that connect while the dataset
    // loads (in slices that yield to the event loop) get -LOADING, and INFO shows the progress.
    this.loading = true;
    for (const inst of this.instances.values()) if (inst.listen) await inst.listen();
    opts.listening?.();
    try {
      for (const inst of this.instances.values()) if (inst.load) await inst.load();
    } catch (e) {
      for (const inst of this.instances.values()) await inst.close?.();
      throw e;
    }
    this.loading = false;
    this.restartCron();
  }

  /**
   * The maxclients that fits the open-descriptor limit, as Redis's adjustOpenFilesLimit reckons
   * it (each client takes a descriptor, and 32 are kept for the server's own files), or null when
   * the configured one fits or the limit is unknown. Redis first tries to raise the limit; the
   * runtimes here cannot (Node raises the soft limit to the hard one as it starts).
   */
  private fittingMaxclients(): number | null {
    const limit = this.host.maxOpenFiles?.() ?? null;
    if (limit === null || limit >= this.filesNeeded()) return null;
    return limit - RESERVED_FDS;
  }

  /** maxclients plus the reserved descriptors, in Redis's unsigned int (so it wraps near 2^32). */
  private filesNeeded(): number {
    return (this.config.num('maxclients') + RESERVED_FDS) % 2 ** 32;
  }

  /** At start, as Redis's adjustOpenFilesLimit: lowers maxclients to fit, with its warnings. */
  private adjustMaxclients(): void {
    const fit = this.fittingMaxclients();
    if (fit === null) return;
    const limit = fit + RESERVED_FDS;
    const need = this.filesNeeded();
    if (limit <= RESERVED_FDS) {
      const msg = `Your current 'ulimit -n' of ${limit} is not enough for the server to start. Please increase your open file limit to at least ${need}. Exiting.`;
      this.log.warning(msg);
      throw new StartupAborted(msg);
    }
    this.logLowUlimit(fit);
    this.config.setMany([['maxclients', String(fit)]]);
  }

  /** adjustOpenFilesLimit's warnings when maxclients must come down to `fit`. */
  private logLowUlimit(fit: number): void {
    const need = this.filesNeeded();
    // Printed with %d, as Redis does: an unsigned value past 2^31 shows negative.
    this.log.warning(`You requested maxclients of ${this.config.num('maxclients') | 0} requiring at least ${need} max file descriptors.`);
    this.log.warning(`Server can't set maximum open files to ${need} because of OS error: Operation not permitted.`);
    this.log.warning(`Current maximum open files is ${fit + RESERVED_FDS}. maxclients has been reduced to ${fit} to compensate for low ulimit. If you need higher maxclients increase 'ulimit -n'.`);
  }

  private restartCron(): void {
    if (this.cronTimer !== null) clearInterval(this.cronTimer);
    if (this.shuttingDown) return;
    this.cronTimer = setInterval(() => this.cron(), 1000 / this.hz);
    // Do not keep an embedded server's process alive for the timer alone.
    (this.cronTimer as { unref?: () => void }).unref?.();
  }

  get hz(): number {
    return Math.min(500, Math.max(1, this.config.num('hz')));
  }

  /**
   * Once the server has run no command for IDLE_TRIM_MS after running some, asks the runtime for
   * a young-generation collection (Host.trimYoungGeneration): only then does V8 give back the
   * young generation a burst of commands grew. Only when the CLI runs the server (heapBaseline
   * set): an embedding application's heap is its own business.
   */
  private trimWhenIdle(now: number): void {
    if (this.heapBaseline === null || this.host.trimYoungGeneration === undefined) return;
    const idle = this.idleTrim;
    const n = this.stats.commandsProcessed;
    if (n !== idle.commands) {
      idle.commands = n;
      idle.since = now;
      idle.done = false;
    } else if (!idle.done && now - idle.since >= IDLE_TRIM_MS) {
      idle.done = true;
      this.host.trimYoungGeneration();
    }
  }

  /** serverCron: expiry, idle clients, metrics, plugin timers. */
  cron(): void {
    if (this.cronPaused) return;
    const req = this.shutdownAsap;
    if (req !== null && this.shuttingDown === null) {
      this.shutdownAsap = null;
      void this.shutdown(req);
    }
    const now = this.keyspace.clock();
    // Redis gives the slow expire cycle 25% of a tick, scaled by active-expire-effort.
    const effort = this.config.num('active-expire-effort');
    const budget = ((1000 / this.hz) * (25 + 2 * (effort - 1))) / 100;
    if (this.activeExpire) {
      const t0 = this.latencyThreshold > 0 ? this.host.now() : 0;
      this.keyspace.activeExpireCycle(budget, () => this.host.now(), effort);
      if (this.latencyThreshold > 0) this.latencySample('expire-cycle', Math.floor(this.host.now() - t0));
    }
    // Streams the cycle deleted release their XREADGROUP waiters (Redis does it in beforeSleep).
    if (this.blocking.hasReady) this.blocking.handleReady();
    this.keyspace.time = now;
    this.sampleOps(now);
    this.sampleMemory();
    this.trimWhenIdle(now);
    this.checkTimeouts(now);
    this.pubsub.checkSoftLimits();
    if (this.pause !== null && now >= this.pause.until) this.unpause();
    for (const fn of this.hooks.cron) fn();
    this.flushPending();
  }

  private sampleOps(now: number): void {
    const s = this.stats;
    if (now - s.lastOpsSample.time < 100) return;
    const dt = now - s.lastOpsSample.time;
    const first = s.lastOpsSample.time === 0;
    const rate = (delta: number): number => (first ? 0 : (delta * 1000) / dt);
    s.opsSamples.push(Math.round(rate(s.commandsProcessed - s.lastOpsSample.count)));
    s.inputKbpsSamples.push(rate(s.netInputBytes - s.lastOpsSample.input) / 1024);
    s.outputKbpsSamples.push(rate(s.netOutputBytes - s.lastOpsSample.output) / 1024);
    if (s.opsSamples.length > 16) s.opsSamples.shift();
    if (s.inputKbpsSamples.length > 16) s.inputKbpsSamples.shift();
    if (s.outputKbpsSamples.length > 16) s.outputKbpsSamples.shift();
    s.lastOpsSample = { time: now, count: s.commandsProcessed, input: s.netInputBytes, output: s.netOutputBytes };
  }

  /**
   * Used memory as INFO reports it and eviction compares with maxmemory: the start-up heap, client
   * buffers and an estimate of the dataset kept key by key (core/eviction.ts).
   */
  usedMemory(): number {
    const used = this.eviction.usedMemory();
    if (used > this.stats.peakMemory) this.stats.peakMemory = used;
    return used;
  }

  /** The JS heap in use plus memory held outside it (buffers). */
  heapMemory(): number {
    const m = this.host.memory();
    return m.heapUsed + m.external;
  }

  private sampleMemory(): void {
    // Once a second is enough for a peak figure. Nothing to sample until the estimate is kept.
    const now = this.host.now();
    if (this.eviction.tracking && now - this.lastMemorySample >= 1000) {
      this.lastMemorySample = now;
      this.usedMemory();
    }
  }

  private checkTimeouts(now: number): void {
    const timeout = this.config.num('timeout');
    if (timeout <= 0) return;
    for (const c of this.clients.values()) {
      // Blocked clients wait for their own deadline; Redis does not time them out here.
      if (c.monitor || c.blocked !== null || c.flags.has('pubsub') || c.flags.has('replica') || c.flags.has('master')) continue;
      // In whole seconds, as Redis compares its unixtime stamps: with `timeout 1`, a client that
      // talks about once a second (Sentinel's PING period) stays, where milliseconds close it.
      if (Math.floor(now / 1000) - Math.floor(c.lastInteraction / 1000) > timeout) {
        this.log.verbose('Closing idle client');
        this.closeClient(c);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Connections

  /**
   * A transport calls this for each new connection. Returns the Client to feed bytes to, or null
   * when the connection was refused (maxclients) and has been closed.
   */
  accept(conn: Connection): Client | null {
    this.stats.connectionsReceived++;
    if (this.clients.size >= this.config.num('maxclients')) {
      this.stats.rejectedConnections++;
      conn.write([new TextEncoder().encode('-' + ERR.maxClients + '\r\n')]);
      conn.close();
      return null;
    }
    const needsAuth = this.config.str('requirepass') !== '';
    // Protected mode (Redis 7.0: whatever `bind` says): without a password for the default
    // user, only local clients are served; the others get Redis's explanation and are closed.
    if (!needsAuth && this.config.bool('protected-mode') && !isLocalConnection(conn)) {
      this.stats.rejectedConnections++;
      conn.write([new TextEncoder().encode('-' + ERR.protectedMode + '\r\n')]);
      conn.close();
      return null;
    }
    const c = new Client(this, conn, this.nextClientId++, this.keyspace.dbs[0], !needsAuth);
    this.clients.set(c.id, c);
    return c;
  }

  onClientData(c: Client, chunk: Uint8Array): void {
    if (c.closed) return;
    this.stats.netInputBytes += chunk.length;
    this.stats.readsProcessed++;
    // The clock read that stamps the interaction is also the time the commands of this read see.
    c.lastInteraction = this.keyspace.tick();
    c.parser.push(chunk);
    if (c.parser.overflow) {
      this.stats.clientQueryBufferLimitDisconnections++;
      this.log.warning(`Closing client that reached max query buffer length: id=${c.id} addr=${c.conn.remoteAddress}`);
      this.closeClient(c);
      return;
    }
    // maxmemory-clients: the input counts before the commands it holds run (a large argument
    // may get the client evicted first, as Redis's processCommand evicts clients). For maxmemory
    // alone, what is left unrun counts once the read is processed (below, in processInput).
    if (this.eviction.evictingClients) {
      this.eviction.updateClient(c);
      if (c.closed) return;
    }
    this.processInput(c, true);
    if (c.conn.reusesReadBuffer === true) c.parser.detach();
  }

  /** Runs every complete command buffered for `c`, then writes all replies at once. */
  processInput(c: Client, ticked = false): void {
    const parser = c.parser;
    // One clock read per batch of commands: the time commands see (onClientData has just read
    // it: `ticked`), and the start of the first command's duration (each later command starts
    // where the previous one ended).
    if (!ticked) this.keyspace.tick();
    this.lastNow = this.host.now();
    c.roundInput = c.unrunInput();
    let exhausted = false;
    while (!c.closeAfterReply && !c.closed && c.blocked === null) {
      let argv = c.heldArgv;
      if (argv !== null) {
        // A command CLIENT PAUSE postponed: run it again (the pause may still hold it).
        c.heldArgv = null;
      } else if (c.aheadPos < c.aheadLen) {
        argv = c.ahead[c.aheadPos];
        // The lookups done ahead for this command are its first ones (KeyTable's LookupMemo).
        if (c.aheadMemo) setMemoPos(c, c.aheadPos);
        // Not pinned once run: a queue left behind holds no arguments of past commands.
        c.ahead[c.aheadPos++] = NO_ARGV;
      } else {
        // Per command, not per read: AUTH earlier in the same read lifts the limits for the rest.
        parser.unauthenticated = !c.authenticated;
        argv = parser.next();
        if (argv === null) {
          exhausted = true;
          break;
        }
        if (c.authenticated) {
          this.readAhead(c, argv);
          if (c.aheadMemo) setMemoPos(c, 0);
        }
      }
      this.execute(c, argv);
      // Over client-output-buffer-limit, the client is closing and runs nothing more (Redis
      // checks as replies are added); cheap when its class has no limit.
      this.pubsub.checkOutputLimit(c);
      if (c.heldArgv !== null) break;
    }
    // Memos of a batch that has run are dropped: they would keep deleted values alive.
    if (c.aheadMemo && c.aheadPos >= c.aheadLen) {
      c.aheadMemo = false;
      c.db.keys.memo = null;
      endMemberMemo();
    }
    // A protocol error counts once every command before it has run (readAhead may have met it
    // early, while a command before it blocked or was held).
    if (exhausted && parser.error !== null && !c.closeAfterReply) {
      // Counted in errorstats like any error reply, as Redis does.
      this.replyError(c, 'ERR ' + parser.error);
      this.log.verbose(`Protocol error (${parser.error}) from client: id=${c.id} addr=${c.conn.remoteAddress}`);
      c.closeAfterReply = true;
    }
    // A client that sent a long pipeline in one turn (the runtime may hand over many reads of
    // one socket before the turn ends) gets what it has so far now, so that output never piles
    // up beyond about what Redis writes per client and event (NET_MAX_WRITES_PER_EVENT, 64 KB).
    if (c.out.size >= MAX_DEFERRED_OUTPUT) this.flush(c);
    else this.wake(c);
    // Once per read, not per command: the input consumed and the replies it produced.
    if (this.eviction.followClients) this.eviction.updateClient(c);
  }

  /**
   * Parses the commands that follow `first` in the client's buffer (up to AHEAD of them, into
   * c.ahead) and reads ahead for their keys (prefetchBatch), so that the cache misses
   * of a pipeline's key lookups overlap instead of each command waiting on its own in turn:
   * with 100k keys they were a quarter of the CPU per INCR at -P 16. Only for an authenticated
   * client (an unauthenticated one is parsed under tighter limits until AUTH runs), and not past
   * RESET, which may end authentication.
   */
  private readAhead(c: Client, first: string[]): void {
    c.aheadPos = 0;
    c.aheadLen = 0;
    c.aheadMemo = false;
    if (isReset(first)) return;
    const parser = c.parser;
    const input = (c.aheadInput ??= new Int32Array(AHEAD + 1));
    input[1] = parser.pending;
    // The batch's bytes stay put until the next read, so the read-ahead may use them (arg2At).
    const bytes = parser.bytes;
    const arg1 = aheadArg1;
    const arg2 = aheadArg2;
    arg1[0] = parser.arg1At;
    arg2[0] = parser.arg2At;
    let argv = parser.next();
    if (argv === null) return;
    const same = parser.bytes === bytes;
    arg1[1] = same ? parser.arg1At : -1;
    arg2[1] = same ? parser.arg2At : -1;
    // A new (young) array per batch: storing the young arguments into it needs no write barrier.
    const batch: string[][] = [first, argv];
    while (batch.length <= AHEAD && !isReset(argv)) {
      input[batch.length] = parser.pending;
      argv = parser.next();
      if (argv === null) break;
      const still = parser.bytes === bytes;
      arg1[batch.length] = still ? parser.arg1At : -1;
      arg2[batch.length] = still ? parser.arg2At : -1;
      batch.push(argv);
    }
    c.ahead = batch;
    c.aheadPos = 1;
    c.aheadLen = batch.length;
    c.aheadMemo = this.prefetchBatch(c.db, batch, bytes);
  }

  /**
   * Reads ahead for the first keys of a batch's commands and, on big sets and hashes, for the
   * member or field after the key (SADD, HSET, SISMEMBER, HGET ... have one at position 2), a
   * run of commands on one value at a time.
   */
  private prefetchBatch(db: Database, batch: string[][], bytes: Uint8Array): boolean {
    const at = aheadAt;
    let n = 0;
    let members = false;
    for (let i = 0; i < batch.length; i++) {
      const a = batch[i];
      if (a.length < 2) continue;
      const name = a[0];
      const cmd = name === this.lastName ? this.lastCommand : this.commands.get(name);
      if (cmd === undefined || cmd === null || cmd.firstKey !== 1) continue;
      at[n++] = i;
      if (a.length > 2) members = true;
    }
    // One key: its lookup alone waits on nothing more.
    if (n < 2) return false;
    let found: (Entry | undefined)[];
    if (db.prefetches) {
      const hashes = aheadHashes;
      const keys = aheadStrings();
      const arg1 = aheadArg1;
      for (let j = 0; j < n; j++) {
        const key = keys[j] = batch[at[j]][1];
        const q = arg1[at[j]];
        hashes[j] = q >= 0 ? hashKeyBytes(bytes, q, key.length) : hashKey(key);
      }
      found = db.prefetchHashes(hashes, n, keys, at);
    } else if (members) {
      // A small keyspace is in cache: the keys are looked up now (a run of commands on one key,
      // the parser's same string, once) and the finds kept in the LookupMemo, so that each
      // command's own lookup is not a second one.
      found = aheadValues<Entry>();
      const m = db.keys.newMemo();
      let key = '';
      let e: Entry | undefined;
      for (let j = 0; j < n; j++) {
        const k = batch[at[j]][1];
        if (j === 0 || k !== key) e = db.keys.get(key = k);
        found[j] = e;
        if (e !== undefined) {
          m.keys[at[j]] = k;
          m.vals[at[j]] = e;
        }
      }
    } else {
      return false;
    }
    if (!members) return true;
    let memberMemo = false;
    for (let j = 0; j < n;) {
      const v = found[j]?.value;
      let k = j + 1;
      while (k < n && found[k]?.value === v) k++;
      if (v !== undefined && typeof v === 'object' && 'prefetch' in v) {
        // A member memo only for batches that reach into a big set or hash (not SET, MSET ...).
        if (!memberMemo) newMemberMemo();
        memberMemo = true;
        (v as ObjectValue).prefetch!(batch, at, j, k, bytes, aheadArg2);
      }
      j = k;
    }
    return true;
  }

  /**
   * CLIENT PAUSE: true when `cmd` must wait (Redis's processCommand, after the checks that
   * reply with errors). ALL holds every command; WRITE holds commands that may change data or
   * be propagated (write and may_replicate: EVAL, PUBLISH ...). Replicas and the master link
   * are never held, nor commands run inside another (EXEC, scripts).
   */
  private mustHold(c: Client, cmd: Command): boolean {
    if (this.current !== null || c.flags.has('replica') || c.flags.has('master')) return false;
    if (this.pause!.writesOnly && !cmd.isWrite && !cmd.spec.flags.includes('may_replicate') &&
      !(cmd.fullname === 'exec' && c.multi !== null && c.multi.mayReplicate)) return false;
    return true;
  }

  /**
   * Starts or extends CLIENT PAUSE until `until` (ms, keyspace clock). Like Redis, a pause in
   * effect is never shortened, and ALL is not weakened to WRITE by a later WRITE pause.
   */
  pauseClients(until: number, writesOnly: boolean): void {
    const p = this.pause;
    if (p === null) this.pause = { until, writesOnly };
    else this.pause = { until: Math.max(p.until, until), writesOnly: p.writesOnly && writesOnly };
    // While paused the dataset must not change: expired keys read as missing but stay.
    this.keyspace.paused = true;
  }

  /**
   * Holds every client's commands until the returned function is called: a shutdown's slow
   * save, during which Redis's main thread serves no one. A CLIENT PAUSE in effect before is
   * back in effect after.
   */
  holdAllClients(): () => void {
    const before = this.pause;
    this.pauseClients(Infinity, false);
    return () => {
      if (before === null) this.unpause();
      else this.pause = before;
    };
  }

  /** Ends CLIENT PAUSE and runs what the paused clients sent meanwhile. */
  unpause(): void {
    this.pause = null;
    this.keyspace.paused = false;
    const held = this.heldClients.splice(0);
    const resume = (): void => {
      for (const c of held) if (!c.closed) this.processInput(c);
    };
    // From CLIENT UNPAUSE (or an EXEC holding it) the held commands must not run inside that
    // command: each must be a top-level call, so that clients blocked on the keys it feeds are
    // served before the next held command runs. Redis queues them for beforeSleep, after the
    // rest of the caller's input.
    if (this.current !== null) queueMicrotask(resume);
    else resume();
  }

  /** Writes `c`'s pending replies to its connection. */
  flush(c: Client): void {
    if (this.replyGate !== null && !c.closed && this.replyGate(c)) return;
    if (c.out.size > 0 && !c.closed) {
      // Over client-output-buffer-limit: the client is being closed and gets nothing more.
      if (this.pubsub.checkOutputLimit(c)) return;
      this.stats.writesProcessed++;
      const conn = c.conn;
      const view = conn.writeNow !== undefined ? c.out.lend() : null;
      let state = WRITE_BUSY;
      if (view !== null) {
        state = conn.writeNow!(view);
        if (state === WRITE_BUSY) c.out.unlend(view);
        else {
          this.stats.netOutputBytes += view.length;
          if (state === WRITE_KEPT) c.out.forfeit();
        }
      }
      if (state === WRITE_BUSY) {
        const chunks = c.out.take();
        for (const ch of chunks) this.stats.netOutputBytes += ch.length;
        conn.write(chunks);
      }
      // Sending counts as an interaction (Redis's writeToClient): a subscriber receiving messages
      // is not idle in CLIENT LIST. A master's link is judged by what it sends alone.
      if (c.flags.size === 0 || !c.flags.has('master')) c.lastInteraction = this.keyspace.time;
      // Output made for this client by others (pub/sub, invalidations) counts from here.
      if (this.eviction.followClients) this.eviction.updateClient(c);
    }
    if (c.closeAfterReply && !c.closed) this.closeClient(c);
  }

  /**
   * Queues a flush of `c` for the end of this event-loop turn: its own replies (processInput)
   * and output other clients produced for it (MONITOR, pub/sub, unblocking). As in Redis, whose
   * beforeSleep writes every client with pending replies after the whole batch of reads, the
   * replies of one turn go out together once every ready client has run. Writing each client's
   * replies as soon as its read was handled cost 1.6x the CPU per SET under redis-benchmark
   * -P 16 (user and kernel time both): fewer, denser turns, and a peer woken by one write is
   * still awake for the next instead of being woken again.
   */
  wake(c: Client): void {
    if (c.flushQueued) return;
    c.flushQueued = true;
    this.pendingFlush.push(c);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      this.host.defer(this.flushPendingFn);
    }
  }

  private readonly flushPendingFn = (): void => this.flushPending();

  private flushPending(): void {
    this.flushScheduled = false;
    // BCAST invalidations collected this turn go out with the replies (Redis's beforeSleep).
    if (this.tracking !== null && this.tracking.due) this.tracking.broadcast();
    // A flush may queue more (closing a client wakes others): they are appended and reached by
    // the same loop. A client is dequeued before its flush, so one may queue it again.
    const q = this.pendingFlush;
    for (let i = 0; i < q.length; i++) {
      const c = q[i];
      c.flushQueued = false;
      if (!c.closed) this.flush(c);
    }
    q.length = 0;
  }

  /** Closes a client's connection (after its pending output) and forgets it. */
  closeClient(c: Client): void {
    if (c.closed) return;
    const chunks = c.out.take();
    if (chunks.length > 0) c.conn.write(chunks);
    c.conn.close();
    this.onClientClosed(c);
  }

  onClientClosed(c: Client): void {
    if (c.closed) return;
    c.closed = true;
    this.clients.delete(c.id);
    this.eviction.clientGone(c);
    this.monitors.delete(c);
    if (c.blocked !== null) this.blocking.onClientClosed(c);
    this.pubsub.onClientClosed(c);
    this.transactions.forget(c);
    if (this.tracking !== null) this.tracking.onClientClosed(c);
  }

  // ---------------------------------------------------------------------------------------------
  // Commands

  /** Looks up argv's command; replies with the error and returns null when there is none. */
  private lookup(c: Client, argv: string[]): Command | null {
    const name = argv[0];
    // Pipelines repeat one command: comparing with the last name found is cheaper than hashing
    // each fresh name for the table. Only commands without subcommands are remembered.
    if (name === this.lastName) return this.lastCommand!;
    const cmd = this.commands.get(name);
    // CLIENT LIST's cmd= is what Redis's lookupCommand found: NULL for an unknown command or
    // subcommand, the container itself when it comes without a subcommand (execute() sets it for
    // the commands found).
    if (cmd === undefined) {
      if (this.current === null) c.lastCommand = 'NULL';
      this.rejectCommand(c, unknownCommand(argv));
      return null;
    }
    if (cmd.subcommands === null) {
      this.lastName = name;
      this.lastCommand = cmd;
      return cmd;
    }
    if (argv.length === 1) {
      // A container with a handler of its own runs it (COMMAND alone lists all commands).
      if (cmd.handler !== undefined) return cmd;
      if (this.current === null) c.lastCommand = cmd.fullname;
      this.rejectCommand(c, wrongArity(cmd.fullname), cmd);
      return null;
    }
    const sub = cmd.subcommands.get(argv[1].toLowerCase());
    if (sub === undefined) {
      if (this.current === null) c.lastCommand = 'NULL';
      this.rejectCommand(c, unknownSubcommand(argv[1], argv[0]), null);
      return null;
    }
    return sub;
  }

  private rejectCommand(c: Client, error: string, cmd: Command | null = null): void {
    if (cmd !== null) cmd.stats.rejected++;
    // Inside MULTI a rejection fails the EXEC; a rejected EXEC ends the transaction (core/multi.ts).
    if (cmd !== null && cmd.fullname === 'exec') error = this.transactions.abortExec(c, error);
    else if (c.multi !== null) c.multi.aborted = true;
    // CLIENT REPLY OFF/SKIP drop these errors too, and a rejected command uses up a SKIP.
    const suppress = c.replyMode !== 'on' || c.skipNextReply;
    c.skipNextReply = false;
    if (suppress) this.countError(error);
    else this.replyError(c, error);
    if (this.tracking !== null && this.tracking.active) this.tracking.rejected(c, cmd);
  }

  /** Writes an error reply and counts it for INFO errorstats. */
  replyError(c: Client, error: string): void {
    this.countError(error);
    c.out.error(error);
  }

  countError(error: string): void {
    const sp = error.indexOf(' ');
    const code = sp > 0 ? error.slice(0, sp) : error;
    this.stats.totalErrorReplies++;
    // Redis stops adding new codes after 128 distinct ones to bound memory.
    const m = this.stats.errorCodes;
    if (m.has(code) || m.size < 128) m.set(code, (m.get(code) ?? 0) + 1);
  }

  /**
   * CONFIG RESETSTAT: zeroes the INFO stats counters (every number, map and list in `stats`,
   * in plain objects within it too, and the keyspace's hits, misses and expiry counters),
   * commandstats, latency histograms and errorstats. The slowlog stays, as in Redis.
   */
  resetStats(): void {
    const zero = (o: Record<string, unknown>): void => {
      for (const k of Object.keys(o)) {
        const x = o[k];
        if (typeof x === 'number') o[k] = 0;
        else if (x instanceof Map) x.clear();
        else if (Array.isArray(x)) x.length = 0;
        else if (x !== null && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype) {
          zero(x as Record<string, unknown>);
        }
      }
    };
    zero(this.stats as unknown as Record<string, unknown>);
    zero(this.keyspace.stats as unknown as Record<string, unknown>);
    const reset = (cmd: Command): void => {
      zero(cmd.stats as unknown as Record<string, unknown>);
      // Redis drops the histogram; the next call makes a new one.
      cmd.stats.latency = undefined;
      for (const sub of cmd.subcommands?.values() ?? []) reset(sub);
    };
    for (const cmd of this.commands.list()) reset(cmd);
  }

  /** Runs one command for `c` and writes its reply into `c.out`. */
  execute(c: Client, argv: string[]): void {
    const ks = this.keyspace;
    const cmd = this.lookup(c, argv);
    if (cmd === null) return;
    // CLIENT LIST's cmd= is the command being run, set before the checks as Redis does; the
    // commands EXEC or a script runs inside it do not change it.
    if (this.current === null) c.lastCommand = cmd.fullname;
    const arity = cmd.arity;
    if ((arity > 0 && argv.length !== arity) || argv.length < -arity) {
      this.rejectCommand(c, wrongArity(cmd.fullname), cmd);
      return;
    }
    // Before authentication, as in Redis's processCommand.
    if (cmd.isProtected && !allowProtectedAction(this.config.str('enable-debug-command'), c.local)) {
      this.rejectCommand(c, ERR.debugNotAllowed, cmd);
      return;
    }
    if (!c.authenticated && !cmd.noAuth && this.authRequired) {
      this.rejectCommand(c, ERR.noAuth, cmd);
      return;
    }
    if (c.multi !== null && !c.inExec && cmd.spec.flags.includes('no_multi')) {
      this.rejectCommand(c, ERR.notAllowedInMulti, cmd);
      return;
    }
    // maxmemory: evict if needed, and refuse what would take more memory when nothing can go.
    if (this.eviction.maxmemory > 0 && !c.inExec && this.eviction.refuses(c, cmd)) {
      this.rejectCommand(c, ERR.oom, cmd);
      return;
    }
    if (this.diskErrors.size > 0 && (cmd.isWrite || cmd.name === 'ping' || (cmd.fullname === 'exec' && c.multi?.writes === true)) &&
      this.current === null) {
      this.rejectCommand(c, this.diskErrors.values().next().value as string, cmd);
      return;
    }
    // A RESP2 client in subscribed mode can only read pub/sub arrays, so only these commands run.
    if (c.flags.size !== 0 && c.flags.has('pubsub') && c.resp === 2 && this.current === null &&
      !PUBSUB_CONTEXT_COMMANDS.has(cmd.fullname)) {
      this.rejectCommand(c, pubsubContext(cmd.fullname), cmd);
      return;
    }
    if (this.loading && !cmd.allowLoading) {
      this.rejectCommand(c, ERR.loading, cmd);
      return;
    }
    // A monitor is a replica to Redis (CLIENT_SLAVE): it may not read or write keys, nor publish.
    if (cmd.touchesKeyspace && (c.monitor || (c.flags.size !== 0 && c.flags.has('replica')))) {
      this.rejectCommand(c, ERR.replicaKeyspace, cmd);
      return;
    }
    // A pause that has run out ends here rather than at the next cron tick (Redis checks it
    // before sleeping, every event loop iteration); what it held runs first.
    if (this.pause !== null && ks.time >= this.pause.until && this.current === null) this.unpause();
    if (this.pause !== null && this.mustHold(c, cmd)) {
      c.heldArgv = argv;
      if (!this.heldClients.includes(c)) this.heldClients.push(c);
      return;
    }
    if (c.multi !== null && !c.inExec && !RUN_IN_MULTI.has(cmd.fullname)) {
      this.transactions.queue(c, cmd, argv);
      return;
    }
    this.call(c, cmd, argv);
  }

  /**
   * Redis's call(): runs the handler with stats, slowlog, MONITOR feed and propagation. `retry`
   * is set when core/blocking.ts runs a parked command again to serve it: the command was counted
   * and fed to MONITOR when it first ran, so only its time and errors are added. A command that
   * blocks is slow-logged (and its latency recorded) once it is served (unblocked()), as Redis
   * does. Returns the handler's time in microseconds.
   */
  call(c: Client, cmd: Command, argv: string[], retry = false): number {
    const ks = this.keyspace;
    const dirty = ks.dirty;
    const realOut = c.out;
    // CLIENT REPLY SKIP drops the reply of the one command after it, whatever that command is.
    const suppress = c.replyMode !== 'on' || c.skipNextReply;
    c.skipNextReply = false;
    this.forceReply = false;
    if (suppress) {
      // CLIENT REPLY OFF/SKIP: the handler writes into a scratch buffer that is dropped.
      this.sink.proto = realOut.proto;
      c.out = this.sink;
    }
    const errors = this.stats.totalErrorReplies;
    const prevCurrent = this.current;
    this.current = c;
    this.propagateAs = null;
    this.forcePropagate = false;
    const t0 = this.lastNow;
    const prevCmd = this.runningCommand;
    const prevArgv = this.runningArgv;
    this.runningCommand = cmd;
    this.runningArgv = argv;
    const collects = prevCurrent === null && !this.collecting && this.hooks.propagate.length > 0;
    if (collects) this.collecting = true;
    try {
      cmd.handler!(c, argv);
    } catch (e) {
      this.log.warning(`Command ${cmd.fullname} failed: ${(e as Error).stack ?? e}`);
      this.replyError(c, 'ERR ' + utf8ToStr(String((e as Error).message ?? e)));
    }
    const t1 = this.host.now();
    this.lastNow = t1;
    const ns = (t1 - t0) * 1e6;
    const us = Math.round(ns / 1000);
    this.current = prevCurrent;
    this.runningCommand = prevCmd;
    this.runningArgv = prevArgv;
    if (suppress) {
      c.out = realOut;
      // HELLO run while replies are off still switches the connection's protocol.
      realOut.proto = this.sink.proto;
      if (this.forceReply) for (const chunk of this.sink.take()) realOut.rawBytes(chunk);
      else this.sink.discard();
    }
    if (this.tracking !== null && this.tracking.active) this.tracking.afterCall(c, cmd, argv, prevCurrent === null);
    const st = cmd.stats;
    if (!retry) st.calls++;
    st.usec += us;
    // This call parked the client: the time so far is kept for when it is served.
    const parked = !retry && c.blocked !== null && c.blocked.argv === argv;
    if (parked) c.blocked!.firstUs = us;
    if (this.latencyTracking && !retry && !parked) (st.latency ??= new LatencyHistogram()).record(ns);
    // Errors replied by commands run inside this one (EXEC) are theirs, not its own, as Redis
    // attributes errors to the call that was last counted (its static prev_err_count).
    if (this.stats.totalErrorReplies > Math.max(errors, this.errorsCounted)) st.failed++;
    this.errorsCounted = this.stats.totalErrorReplies;
    if (!retry) this.stats.commandsProcessed++;
    if ((ks.dirty !== dirty || this.forcePropagate) && !cmd.noPropagate && this.hooks.propagate.length > 0) {
      if (this.propagateAs !== null) for (const a of this.propagateAs) this.propagate(c.db.id, a);
      else this.propagate(c.db.id, argv);
    }
    if (collects) this.propagatePending();
    if (this.monitors.size > 0 && !cmd.skipMonitor && !cmd.isAdmin && !retry) this.feedMonitors(c, argv);
    if (us >= this.slowlogThreshold && !cmd.skipSlowlog && !retry && !parked) this.slowlogPush(c, argv, us);
    if (this.latencyThreshold > 0 && !retry) this.latencySample(cmd.isFast ? 'fast-command' : 'command', Math.floor(us / 1000));
    // Clients blocked on keys this command gave data are served once it is over (for EXEC,
    // once the whole transaction is).
    if (prevCurrent === null && this.blocking.hasReady) this.blocking.handleReady();
    return us;
  }

  /**
   * Redis's updateStatsOnUnblock: a blocked command was served (after `replyUs` of work) or
   * released by CLIENT UNBLOCK; its whole time goes to the latency histogram and the slowlog.
   */
  unblocked(c: Client, cmd: Command, argv: readonly string[], firstUs: number, replyUs: number): void {
    const us = firstUs + replyUs;
    if (this.latencyTracking) (cmd.stats.latency ??= new LatencyHistogram()).record(us * 1000);
    if (us >= this.slowlogThreshold && !cmd.skipSlowlog) this.slowlogPush(c, argv, us);
    if (this.latencyThreshold > 0) this.latencySample('command-unblocking', Math.floor(replyUs / 1000));
  }

  /**
   * A background job (BGSAVE, BGREWRITEAOF) opened its snapshot at `startMs` (host.now()). Redis
   * forks a child there; echokv's job runs in this process, but the step is the same one, and
   * tools watch INFO total_forks to see that a save or rewrite has started, so it is counted as
   * Redis counts a fork: total_forks, latest_fork_usec (the time the server was held) and the
   * "fork" latency event.
   */
  forked(startMs: number): void {
    const us = Math.round((this.host.now() - startMs) * 1000);
    this.stats.forks++;
    this.stats.latestForkUs = us;
    if (this.latencyThreshold > 0) this.latencySample('fork', Math.floor(us / 1000));
  }

  /** Runs `argv` as if `c` sent it (used by EXEC and scripting later). */
  run(c: Client, argv: string[]): void {
    this.execute(c, argv);
  }

  /**
   * Wall-clock microseconds, Redis's ustime(): from the host's precise wall clock, or from an
   * injected clock (which tests drive) when there is one.
   */
  ustime(): number {
    const ms = this.clockInjected ? this.keyspace.clock() : this.host.wallClock?.() ?? this.keyspace.clock();
    return Math.floor(ms * 1000);
  }

  /** MONITOR: `+<unix time.us> [<db> <addr>] "arg" ...`; a monitor sees its own commands too. */
  private feedMonitors(c: Client, argv: readonly string[]): void {
    const us = this.ustime();
    const addr = c.conn.kind === 'unix' ? 'unix:' + this.config.str('unixsocket') : c.conn.remoteAddress;
    let line = `+${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, '0')} [${c.db.id} ${addr}]`;
    for (const a of argv) line += ' ' + repr(a);
    line += '\r\n';
    for (const m of this.monitors) {
      m.out.raw(line);
      this.wake(m);
    }
  }

  /** Whether latency-monitor-threshold is set (callers skip timing what nobody records). */
  get latencyOn(): boolean {
    return this.latencyThreshold > 0;
  }

  /** Records a latency event of `ms` milliseconds when it reaches latency-monitor-threshold. */
  latencySample(event: string, ms: number): void {
    if (this.latencyThreshold > 0 && ms >= this.latencyThreshold) {
      this.latency.add(event, ms, Math.floor(this.keyspace.clock() / 1000));
    }
  }

  private slowlogPush(c: Client, argv: readonly string[], us: number): void {
    const threshold = this.slowlogThreshold;
    if (threshold < 0 || us < threshold) return;
    const max = this.config.num('slowlog-max-len');
    if (max === 0) return;
    const args: string[] = [];
    const n = Math.min(argv.length, 32);
    for (let i = 0; i < n; i++) {
      if (i === n - 1 && argv.length > 32) {
        args.push(`... (${argv.length - 31} more arguments)`);
        break;
      }
      const a = argv[i];
      args.push(a.length > 128 ? a.slice(0, 128) + `... (${a.length - 128} more bytes)` : a);
    }
    this.slowlog.unshift({
      id: this.slowlogNextId++,
      time: Math.floor(this.keyspace.clock() / 1000),
      durationUs: us,
      argv: args,
      peer: c.conn.remoteAddress,
      name: c.name,
    });
    while (this.slowlog.length > max) this.slowlog.pop();
  }

  /** Selects database `index` for `c`; false when out of range. */
  selectDb(c: Client, index: number): boolean {
    if (index < 0 || index >= this.keyspace.dbs.length || !Number.isInteger(index)) return false;
    c.db = this.keyspace.dbs[index];
    return true;
  }

  db(index: number): Database {
    return this.keyspace.dbs[index];
  }

  // ---------------------------------------------------------------------------------------------
  // Shutdown

  /**
   * Stops the server: runs beforeShutdown hooks (persistence saves when `save`), closes plugins
   * and clients, removes the pidfile. Resolves false when a hook failed and `force` is not set
   * (SHUTDOWN then replies with an error and the server keeps running).
   */
  shutdown(opts: { save?: boolean; force?: boolean; reason?: string } = {}): Promise<boolean> {
    if (this.shuttingDown) return this.shuttingDown;
    this.shuttingDown = this.doShutdown(opts).then((ok) => {
      if (!ok) this.shuttingDown = null;
      return ok;
    });
    return this.shuttingDown;
  }

  private async doShutdown(opts: { save?: boolean; force?: boolean; reason?: string }): Promise<boolean> {
    this.log.warning(opts.reason ?? 'User requested shutdown...');
    const save = opts.save ?? this.config.get<number[]>('save').length > 0;
    try {
      for (const fn of this.hooks.beforeShutdown) await fn(save);
    } catch (e) {
      this.log.warning(`Error trying to save the DB, can't exit: ${(e as Error).message}`);
      if (!opts.force) {
        this.log.warning('Errors trying to shut down the server. Check the logs for more information');
        return false;
      }
    }
    if (this.cronTimer !== null) clearInterval(this.cronTimer);
    this.cronTimer = null;
    for (const c of [...this.clients.values()]) this.closeClient(c);
    for (const inst of this.instances.values()) {
      try {
        await inst.close?.();
      } catch (e) {
        this.log.warning(`Error closing a plugin: ${(e as Error).message}`);
      }
    }
    const pidfile = this.config.str('pidfile');
    if (pidfile !== '') {
      this.log.notice('Removing the pid file.');
      try {
        this.host.remove(pidfile);
      } catch { /* already gone */ }
    }
    this.log.warning('echokv is now ready to exit, bye bye...');
    if (this.exitOnShutdown) this.host.exit(0);
    return true;
  }

  /** The process exits at once (see PluginInstance.abandon). */
  abandon(): void {
    for (const inst of this.instances.values()) {
      try {
        inst.abandon?.();
      } catch { /* exiting anyway */ }
    }
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown !== null;
  }
}

const MULTI_ARGV: readonly string[] = ['MULTI'];
const EXEC_ARGV: readonly string[] = ['EXEC'];

function randomHex(n: number): string {
  const b = new Uint8Array(n / 2);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

