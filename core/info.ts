// INFO, MEMORY STATS and the per-command latency histograms, built from server state: server.stats
// (connections, commands, bytes, errors), keyspace.stats (hits, misses, expiry), the command
// table's counters, the host's memory and CPU figures, and what plugins add per section
// (PluginInstance.info). Section names, field names, order and number formats are Redis 7.0's
// (genRedisInfoString in src/server.c), so tools that parse INFO (redis-cli --stat, exporters)
// read echokv the same way.
//
// What the memory fields measure: echokv's data lives in the JS heap, whose figures cannot show
// promptly what freeing a key gives back (garbage is collected later), so used_memory is the
// figure maxmemory eviction works with (core/eviction.ts): used_memory_startup, the heap in use
// plus memory held outside it for buffers (V8's heapUsed + external, JSC's equivalent on Bun)
// measured before the dataset is loaded, so several megabytes of runtime baseline; plus client
// buffers; plus the dataset as MEMORY USAGE models it, key by key. The allocator_* fields map to
// the heap the engine has reserved (heapTotal) and the process's resident set. Fields about features echokv does not
// have (Lua, forks, defragmentation, modules, cluster) report what Redis reports when they are
// unused.

import type { Command } from './command.ts';
import type { Entry, Value } from './keyspace.ts';
import { MutableString } from './keyspace.ts';
import { REDIS_VERSION, type Server, VERSION } from './server.ts';

// ---------------------------------------------------------------------------------------------
// Latency histograms

/**
 * Per-command latency for INFO latencystats: an HDR histogram as Redis keeps one (hdr_histogram
 * with 2 significant figures over 1 ns .. 1 s), so percentiles are reported with the same
 * resolution. Values are nanoseconds; longer ones are clamped to the top bucket.
 */
export class LatencyHistogram {
  // sub_bucket_count = 256 (2 significant figures), half = 128, 23 buckets up to 1e9.
  private static readonly HALF_MAG = 7;
  private static readonly HALF = 128;
  private static readonly MASK = 255;
  private static readonly MAX = 1_000_000_000;
  counts = new Uint32Array(24 * 128);
  total = 0;

  record(ns: number): void {
    let v = Math.floor(ns);
    if (v < 1) v = 1;
    else if (v > LatencyHistogram.MAX) v = LatencyHistogram.MAX;
    this.counts[LatencyHistogram.index(v)]++;
    this.total++;
  }

  private static index(v: number): number {
    const bucket = 32 - Math.clz32(v | LatencyHistogram.MASK) - (LatencyHistogram.HALF_MAG + 1);
    const sub = v >>> bucket;
    return ((bucket + 1) << LatencyHistogram.HALF_MAG) + sub - LatencyHistogram.HALF;
  }

  private static valueAt(index: number): number {
    let bucket = (index >> LatencyHistogram.HALF_MAG) - 1;
    let sub = (index & (LatencyHistogram.HALF - 1)) + LatencyHistogram.HALF;
    if (bucket < 0) {
      sub -= LatencyHistogram.HALF;
      bucket = 0;
    }
    return sub * 2 ** bucket;
  }

  /**
   * LATENCY HISTOGRAM's buckets as a flat [usec, count, ...]: at each power of two from 1024 ns,
   * the samples up to and including that value's sub-bucket, where that number grew. This is what
   * Redis reads with a logarithmic hdr iterator (first bucket 1024, base 2), each level named by
   * the highest value equivalent to it, in whole microseconds.
   */
  cumulativeByPowerOfTwo(): number[] {
    const out: number[] = [];
    let cumulative = 0;
    let previous = 0;
    let i = 0;
    for (let level = 1024; cumulative < this.total && i < this.counts.length; level *= 2) {
      let last = LatencyHistogram.index(level);
      // A power of two starts its sub-bucket, whose width is 2^(log2(level) - 7).
      let highest = level + level / 128 - 1;
      if (last >= this.counts.length) {
        // Past the histogram's range (1 s): the iterator stops on its last sub-bucket.
        last = this.counts.length - 1;
        highest = 2 ** 30 - 1;
      }
      for (; i <= last; i++) cumulative += this.counts[i];
      if (cumulative > previous) out.push(Math.floor(highest / 1000), cumulative);
      previous = cumulative;
    }
    return out;
  }

  /** The value at `percentile` (0-100) as hdr_value_at_percentile reports it, in ns. */
  valueAtPercentile(percentile: number): number {
    const p = Math.min(percentile, 100);
    const countAt = Math.max(1, Math.floor((p / 100) * this.total + 0.5));
    let sum = 0;
    let idx = 0;
    for (let i = 0; i < this.counts.length; i++) {
      sum += this.counts[i];
      idx = i;
      if (sum >= countAt) break;
    }
    const lowest = LatencyHistogram.valueAt(idx);
    if (percentile === 0) return lowest;
    // The highest value equivalent to `lowest` at this resolution.
    const bucket = 32 - Math.clz32(lowest | LatencyHistogram.MASK) - (LatencyHistogram.HALF_MAG + 1);
    const sub = lowest / 2 ** bucket;
    const adjusted = sub >= 256 ? bucket + 1 : bucket;
    return lowest + 2 ** adjusted - 1;
  }
}

// ---------------------------------------------------------------------------------------------
// Formatting helpers

/** Redis's bytesToHuman: 1023B, 1.00K, 1.50M ... */
export function bytesToHuman(n: number): string {
  const units = ['K', 'M', 'G', 'T', 'P'];
  if (n < 1024) return `${n}B`;
  let d = n / 1024;
  for (const u of units) {
    if (d < 1024 || u === 'P') return `${d.toFixed(2)}${u}`;
    d /= 1024;
  }
  return `${n}B`;
}

/** How long used memory has been over maxmemory now, in ms (0 when it is not). */
function evictionExceeded(server: Server): number {
  const since = server.stats.evictionExceededSince;
  return since === 0 ? 0 : server.host.now() - since;
}

/** A ratio as Redis prints it with %.2f. */
const f2 = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '0.00');

/** Seconds from microseconds as Redis prints CPU time ("%ld.%06ld"). */
function cpuSeconds(us: number): string {
  const s = Math.floor(us / 1e6);
  return `${s}.${String(Math.floor(us - s * 1e6)).padStart(6, '0')}`;
}

/** Redis prints its float-typed ratios (MEMORY STATS) after a C float round trip. */
function floatRatio(x: number): number {
  return Math.fround(Number.isFinite(x) ? x : 0);
}

// ---------------------------------------------------------------------------------------------
// Memory model

/** Per-key bookkeeping as this file models V8 (64-bit): a Map slot with its share of buckets
 * and spare capacity, and the Entry object (header and three fields). */
const MAP_SLOT = 40;
const ENTRY_OBJECT = 48;
const HEAP_NUMBER = 16;
const MUTABLE_STRING_OBJECTS = 40 + 136;

/** Bytes of a one-byte string in V8: a 16-byte header and the bytes, 8-aligned. */
function stringBytes(len: number): number {
  return 16 + Math.ceil(len / 8) * 8;
}

/** The estimated size of a value alone (MEMORY USAGE minus the key's bookkeeping). */
export function valueBytes(v: Value, samples: number): number {
  if (typeof v === 'string') return stringBytes(v.length);
  if (v instanceof MutableString) return MUTABLE_STRING_OBJECTS + v.buf.byteLength;
  return v.memoryUsage !== undefined ? v.memoryUsage(samples) : 0;
}

/**
 * MEMORY USAGE: an estimate, in bytes, of what `key` and its value take in the JS heap, from a
 * model of the engine's layout (documented above), not a measurement: the key string, the Map
 * slot, the Entry object, the TTL (a heap number and a slot in the expires Map) and the value.
 * `samples` bounds how many elements of an aggregate value are looked at (0: all).
 */
export function keyMemoryUsage(key: string, e: Entry, samples: number): number {
  let n = stringBytes(key.length) + MAP_SLOT + ENTRY_OBJECT;
  if (e.expireAt !== 0) n += HEAP_NUMBER + MAP_SLOT;
  return n + valueBytes(e.value, samples);
}

interface MemoryFigures {
  used: number;
  rss: number;
  peak: number;
  startup: number;
  heapTotal: number;
  clientsNormal: number;
  clientsReplicas: number;
  replicationBacklog: number;
  /** Bookkeeping of the keyspace: Map slots and Entry objects. */
  dbOverhead: { id: number; main: number; expires: number }[];
  overhead: number;
  dataset: number;
  keys: number;
}

/** Buffered input and output of one client, in bytes. */
function clientBuffers(c: { queryBufferBytes: number; out: { size: number }; conn: { bufferedAmount: number } }): number {
  return c.queryBufferBytes + c.out.size + c.conn.bufferedAmount;
}

function memoryFigures(server: Server): MemoryFigures {
  const m = server.host.memory();
  const used = server.usedMemory();
  let clientsNormal = 0;
  let clientsReplicas = 0;
  for (const c of server.clients.values()) {
    if (c.flags.has('replica')) clientsReplicas += clientBuffers(c);
    else clientsNormal += clientBuffers(c);
  }
  const dbOverhead: { id: number; main: number; expires: number }[] = [];
  let keys = 0;
  let tables = 0;
  for (const db of server.keyspace.dbs) {
    keys += db.keys.size;
    if (db.keys.size === 0 && db.expires.size === 0) continue;
    const main = db.keys.size * (MAP_SLOT + ENTRY_OBJECT);
    const expires = db.expires.size * MAP_SLOT;
    tables += main + expires;
    dbOverhead.push({ id: db.id, main, expires });
  }
  const replicationBacklog = Number(pluginField(server, 'memory', 'mem_replication_backlog') ?? 0);
  const overhead = server.startupMemory + clientsNormal + clientsReplicas + replicationBacklog + tables;
  return {
    used,
    rss: m.rss,
    peak: Math.max(server.stats.peakMemory, used),
    startup: server.startupMemory,
    heapTotal: m.heapTotal + m.external,
    clientsNormal,
    clientsReplicas,
    replicationBacklog,
    dbOverhead,
    overhead,
    dataset: Math.max(0, used - overhead),
    keys,
  };
}

/** A MEMORY STATS value: an integer, a double (ratios), or a nested map (per database). */
export type StatValue = number | { double: number } | [string, number][];

/** MEMORY STATS, as name/value pairs in Redis's order. */
export function memoryStats(server: Server): [string, StatValue][] {
  const f = memoryFigures(server);
  const net = f.used - f.startup;
  const d = (x: number): { double: number } => ({ double: floatRatio(x) });
  const out: [string, StatValue][] = [
    ['peak.allocated', f.peak],
    ['total.allocated', f.used],
    ['startup.allocated', f.startup],
    ['replication.backlog', f.replicationBacklog],
    ['clients.slaves', f.clientsReplicas],
    ['clients.normal', f.clientsNormal],
    ['cluster.links', 0],
    ['aof.buffer', 0],
    ['lua.caches', 0],
    ['functions.caches', 0],
  ];
  for (const d of f.dbOverhead) {
    out.push([`db.${d.id}`, [
      ['overhead.hashtable.main', d.main],
      ['overhead.hashtable.expires', d.expires],
      ['overhead.hashtable.slot-to-keys', 0],
    ]]);
  }
  out.push(
    ['overhead.total', f.overhead],
    ['keys.count', f.keys],
    // The heap can shrink below its start-up size after a collection; never report less than 0.
    ['keys.bytes-per-key', f.keys > 0 ? Math.floor(Math.max(0, net) / f.keys) : 0],
    ['dataset.bytes', f.dataset],
    ['dataset.percentage', d(net > 0 ? (f.dataset * 100) / net : 0)],
    ['peak.percentage', d(f.peak > 0 ? (f.used * 100) / f.peak : 0)],
    ['allocator.allocated', f.used],
    ['allocator.active', f.heapTotal],
    ['allocator.resident', f.rss],
    ['allocator-fragmentation.ratio', d(f.heapTotal / f.used)],
    ['allocator-fragmentation.bytes', f.heapTotal - f.used],
    ['allocator-rss.ratio', d(f.rss / f.heapTotal)],
    ['allocator-rss.bytes', f.rss - f.heapTotal],
    ['rss-overhead.ratio', d(1)],
    ['rss-overhead.bytes', 0],
    ['fragmentation', d(f.rss / f.used)],
    ['fragmentation.bytes', f.rss - f.used],
  );
  return out;
}

// ---------------------------------------------------------------------------------------------
// INFO

/** Sections in the order INFO prints them, and which ones `INFO` / `INFO default` includes. */
const SECTIONS = [
  'server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'modules',
  'commandstats', 'errorstats', 'latencystats', 'cluster', 'keyspace',
] as const;
type Section = typeof SECTIONS[number];
const NOT_DEFAULT: ReadonlySet<Section> = new Set(['commandstats', 'latencystats']);
const TITLES: Record<Section, string> = {
  server: 'Server', clients: 'Clients', memory: 'Memory', persistence: 'Persistence',
  stats: 'Stats', replication: 'Replication', cpu: 'CPU', modules: 'Modules',
  commandstats: 'Commandstats', errorstats: 'Errorstats', latencystats: 'Latencystats',
  cluster: 'Cluster', keyspace: 'Keyspace',
};

/** The sections INFO's arguments select (case-insensitive; unknown names select nothing). */
function selectSections(args: readonly string[]): Set<Section> {
  const out = new Set<Section>();
  if (args.length === 0) args = ['default'];
  for (const raw of args) {
    const a = raw.toLowerCase();
    if (a === 'all' || a === 'everything') for (const s of SECTIONS) out.add(s);
    else if (a === 'default') for (const s of SECTIONS) { if (!NOT_DEFAULT.has(s)) out.add(s); }
    else if ((SECTIONS as readonly string[]).includes(a)) out.add(a as Section);
  }
  return out;
}

type Fields = [string, string | number][];

function pluginField(server: Server, section: string, name: string): string | number | undefined {
  for (const inst of server.instances.values()) {
    const extra = inst.info?.(section);
    if (extra !== undefined && name in extra) return extra[name];
  }
  return undefined;
}

/** Applies plugin contributions: a known field takes the plugin's value, new ones are appended. */
function withPlugins(server: Server, section: string, fields: Fields): Fields {
  for (const inst of server.instances.values()) {
    const extra = inst.info?.(section);
    if (extra === undefined) continue;
    for (const [k, v] of Object.entries(extra)) {
      const at = fields.findIndex((f) => f[0] === k);
      if (at >= 0) fields[at] = [k, v];
      else fields.push([k, v]);
    }
  }
  return fields;
}

const replIds = new WeakMap<Server, string>();

function replId(server: Server): string {
  let id = replIds.get(server);
  if (id === undefined) {
    const b = new Uint8Array(20);
    crypto.getRandomValues(b);
    id = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    replIds.set(server, id);
  }
  return id;
}

/** A stable build id for this echokv version (Redis prints a hash of its build). */
function buildId(): string {
  let h = 0xcbf29ce484222325n;
  for (const ch of `echokv-${VERSION}`) h = ((h ^ BigInt(ch.charCodeAt(0))) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h.toString(16).padStart(16, '0').slice(0, 15);
}

function multiplexingApi(os: string): string {
  if (os.startsWith('Linux')) return 'epoll';
  if (os.startsWith('Darwin') || os.includes('BSD')) return 'kqueue';
  if (os.startsWith('Windows')) return 'iocp';
  return 'select';
}

/** Average of the last 16 samples, dividing by 16 as Redis's getInstantaneousMetric does. */
function instantaneous(samples: readonly number[]): number {
  let sum = 0;
  for (const x of samples) sum += x;
  return sum / 16;
}

function commandsInOrder(server: Server): Command[] {
  const out: Command[] = [];
  for (const cmd of server.commands.list()) {
    out.push(cmd);
    if (cmd.subcommands) for (const sub of cmd.subcommands.values()) out.push(sub);
  }
  return out;
}

/** Percentile labels as Redis prints them (%f with trailing zeros trimmed: 50, 99.9). */
function percentileLabel(p: number): string {
  let s = p.toFixed(6);
  s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s;
}

function sectionFields(server: Server, section: Section): Fields {
  const host = server.host;
  const cfg = server.config;
  const now = server.keyspace.clock();
  const s = server.stats;
  const ks = server.keyspace;
  switch (section) {
    case 'server': {
      const uptime = Math.floor((now - server.startTime) / 1000);
      return [
        ['redis_version', REDIS_VERSION],
        ['redis_git_sha1', '00000000'],
        ['redis_git_dirty', 0],
        ['redis_build_id', buildId()],
        ['redis_mode', 'standalone'],
        ['os', host.os],
        ['arch_bits', 64],
        ['monotonic_clock', 'POSIX clock_gettime'],
        ['multiplexing_api', multiplexingApi(host.os)],
        ['atomicvar_api', 'none'],
        ['gcc_version', '0.0.0'],
        ['process_id', host.pid],
        ['process_supervised', 'no'],
        ['run_id', server.runId],
        ['tcp_port', cfg.num('port')],
        ['server_time_usec', server.ustime()],
        ['uptime_in_seconds', uptime],
        ['uptime_in_days', Math.floor(uptime / 86400)],
        ['hz', server.hz],
        ['configured_hz', cfg.num('hz')],
        ['lru_clock', Math.floor(now / 1000) & 0xffffff],
        ['executable', host.executable],
        ['config_file', cfg.file],
        ['io_threads_active', 0],
        ['echokv_version', VERSION],
        ['echokv_runtime', `${host.runtime} ${host.runtimeVersion}`],
      ];
    }
    case 'clients': {
      let replicas = 0;
      let blocked = 0;
      let maxIn = 0;
      let maxOut = 0;
      for (const c of server.clients.values()) {
        if (c.flags.has('replica')) replicas++;
        if (c.blocked !== null || c.heldArgv !== null) blocked++;
        maxIn = Math.max(maxIn, c.queryBufferBytes);
        maxOut = Math.max(maxOut, c.out.size + c.conn.bufferedAmount);
      }
      return [
        ['connected_clients', server.clients.size - replicas],
        ['cluster_connections', 0],
        ['maxclients', cfg.num('maxclients')],
        ['client_recent_max_input_buffer', maxIn],
        ['client_recent_max_output_buffer', maxOut],
        ['blocked_clients', blocked],
        ['tracking_clients', server.tracking?.clients ?? 0],
        ['clients_in_timeout_table', server.blocking.timedCount],
      ];
    }
    case 'memory': {
      const f = memoryFigures(server);
      const net = f.used - f.startup;
      const maxmemory = cfg.num('maxmemory');
      return [
        ['used_memory', f.used],
        ['used_memory_human', bytesToHuman(f.used)],
        ['used_memory_rss', f.rss],
        ['used_memory_rss_human', bytesToHuman(f.rss)],
        ['used_memory_peak', f.peak],
        ['used_memory_peak_human', bytesToHuman(f.peak)],
        ['used_memory_peak_perc', f2((f.used * 100) / f.peak) + '%'],
        ['used_memory_overhead', f.overhead],
        ['used_memory_startup', f.startup],
        ['used_memory_dataset', f.dataset],
        ['used_memory_dataset_perc', f2(net > 0 ? (f.dataset * 100) / net : 0) + '%'],
        ['allocator_allocated', f.used],
        ['allocator_active', f.heapTotal],
        ['allocator_resident', f.rss],
        ['total_system_memory', 0],
        ['total_system_memory_human', '0B'],
        ['used_memory_lua', 0],
        ['used_memory_vm_eval', 0],
        ['used_memory_lua_human', '0B'],
        ['used_memory_scripts_eval', 0],
        ['number_of_cached_scripts', 0],
        ['number_of_functions', 0],
        ['number_of_libraries', 0],
        ['used_memory_vm_functions', 0],
        ['used_memory_vm_total', 0],
        ['used_memory_vm_total_human', '0B'],
        ['used_memory_functions', 0],
        ['used_memory_scripts', 0],
        ['used_memory_scripts_human', '0B'],
        ['maxmemory', maxmemory],
        ['maxmemory_human', bytesToHuman(maxmemory)],
        ['maxmemory_policy', cfg.str('maxmemory-policy')],
        ['allocator_frag_ratio', f2(f.heapTotal / f.used)],
        ['allocator_frag_bytes', f.heapTotal - f.used],
        ['allocator_rss_ratio', f2(f.rss / f.heapTotal)],
        ['allocator_rss_bytes', f.rss - f.heapTotal],
        ['rss_overhead_ratio', '1.00'],
        ['rss_overhead_bytes', 0],
        ['mem_fragmentation_ratio', f2(f.rss / f.used)],
        ['mem_fragmentation_bytes', f.rss - f.used],
        ['mem_not_counted_for_evict', server.eviction.tracking ? server.eviction.replicaBytes : 0],
        ['mem_replication_backlog', f.replicationBacklog],
        ['mem_total_replication_buffers', 0],
        ['mem_clients_slaves', f.clientsReplicas],
        ['mem_clients_normal', f.clientsNormal],
        ['mem_cluster_links', 0],
        ['mem_aof_buffer', 0],
        ['mem_allocator', host.runtime === 'bun' ? 'javascriptcore' : 'v8'],
        ['active_defrag_running', 0],
        ['lazyfree_pending_objects', 0],
        ['lazyfreed_objects', server.keyspace.stats.lazyfreedObjects],
      ];
    }
    case 'persistence':
      return [
        ['loading', server.loading ? 1 : 0],
        ['async_loading', 0],
        ['current_cow_peak', 0],
        ['current_cow_size', 0],
        ['current_cow_size_age', 0],
        ['current_fork_perc', '0.00'],
        ['current_save_keys_processed', 0],
        ['current_save_keys_total', 0],
        ['rdb_changes_since_last_save', ks.dirty],
        ['rdb_bgsave_in_progress', 0],
        ['rdb_last_save_time', Math.floor(server.lastSave / 1000)],
        ['rdb_last_bgsave_status', 'ok'],
        ['rdb_last_bgsave_time_sec', -1],
        ['rdb_current_bgsave_time_sec', -1],
        ['rdb_saves', 0],
        ['rdb_last_cow_size', 0],
        ['rdb_last_load_keys_expired', 0],
        ['rdb_last_load_keys_loaded', 0],
        ['aof_enabled', 0],
        ['aof_rewrite_in_progress', 0],
        ['aof_rewrite_scheduled', 0],
        ['aof_last_rewrite_time_sec', -1],
        ['aof_current_rewrite_time_sec', -1],
        ['aof_last_bgrewrite_status', 'ok'],
        ['aof_rewrites', 0],
        ['aof_rewrites_consecutive_failures', 0],
        ['aof_last_write_status', 'ok'],
        ['aof_last_cow_size', 0],
        ['module_fork_in_progress', 0],
        ['module_fork_last_cow_size', 0],
      ];
    case 'stats':
      return [
        ['total_connections_received', s.connectionsReceived],
        ['total_commands_processed', s.commandsProcessed],
        ['instantaneous_ops_per_sec', Math.floor(instantaneous(s.opsSamples))],
        ['total_net_input_bytes', s.netInputBytes],
        ['total_net_output_bytes', s.netOutputBytes],
        ['total_net_repl_input_bytes', 0],
        ['total_net_repl_output_bytes', 0],
        ['instantaneous_input_kbps', f2(instantaneous(s.inputKbpsSamples))],
        ['instantaneous_output_kbps', f2(instantaneous(s.outputKbpsSamples))],
        ['instantaneous_input_repl_kbps', '0.00'],
        ['instantaneous_output_repl_kbps', '0.00'],
        ['rejected_connections', s.rejectedConnections],
        ['sync_full', 0],
        ['sync_partial_ok', 0],
        ['sync_partial_err', 0],
        ['expired_keys', ks.stats.expired],
        ['expired_stale_perc', f2(ks.stats.expiredStalePerc * 100)],
        ['expired_time_cap_reached_count', ks.stats.expiredTimeCapReached],
        ['expire_cycle_cpu_milliseconds', Math.round((ks.stats as { expireCycleTimeUsed?: number }).expireCycleTimeUsed ?? 0)],
        ['evicted_keys', s.evictedKeys],
        ['evicted_clients', s.evictedClients],
        ['total_eviction_exceeded_time', Math.floor(s.evictionExceededMs + evictionExceeded(server))],
        ['current_eviction_exceeded_time', Math.floor(evictionExceeded(server))],
        ['keyspace_hits', ks.stats.hits],
        ['keyspace_misses', ks.stats.misses],
        ['pubsub_channels', server.pubsub.channels.size],
        ['pubsub_patterns', server.pubsub.patterns.size],
        ['pubsubshard_channels', server.pubsub.shardChannels.size],
        ['latest_fork_usec', s.latestForkUs],
        ['total_forks', s.forks],
        ['migrate_cached_sockets', 0],
        ['slave_expires_tracked_keys', 0],
        ['active_defrag_hits', 0],
        ['active_defrag_misses', 0],
        ['active_defrag_key_hits', 0],
        ['active_defrag_key_misses', 0],
        ['total_active_defrag_time', 0],
        ['current_active_defrag_time', 0],
        ['tracking_total_keys', server.tracking?.totalKeys ?? 0],
        ['tracking_total_items', server.tracking?.totalItems ?? 0],
        ['tracking_total_prefixes', server.tracking?.totalPrefixes ?? 0],
        ['unexpected_error_replies', s.unexpectedErrorReplies],
        ['total_error_replies', s.totalErrorReplies],
        ['dump_payload_sanitizations', s.dumpPayloadSanitizations],
        ['total_reads_processed', s.readsProcessed],
        ['total_writes_processed', s.writesProcessed],
        ['io_threaded_reads_processed', 0],
        ['io_threaded_writes_processed', 0],
        ['reply_buffer_shrinks', 0],
        ['reply_buffer_expands', 0],
      ];
    case 'replication':
      return [
        ['role', 'master'],
        ['connected_slaves', 0],
        ['master_failover_state', 'no-failover'],
        ['master_replid', replId(server)],
        ['master_replid2', '0000000000000000000000000000000000000000'],
        ['master_repl_offset', 0],
        ['second_repl_offset', -1],
        ['repl_backlog_active', 0],
        ['repl_backlog_size', cfg.num('repl-backlog-size')],
        ['repl_backlog_first_byte_offset', 0],
        ['repl_backlog_histlen', 0],
      ];
    case 'cpu': {
      // The JS main thread does all the work, so its figures are the process's.
      const cpu = host.cpu();
      return [
        ['used_cpu_sys', cpuSeconds(cpu.system)],
        ['used_cpu_user', cpuSeconds(cpu.user)],
        ['used_cpu_sys_children', '0.000000'],
        ['used_cpu_user_children', '0.000000'],
        ['used_cpu_sys_main_thread', cpuSeconds(cpu.system)],
        ['used_cpu_user_main_thread', cpuSeconds(cpu.user)],
      ];
    }
    case 'modules':
      return [];
    case 'commandstats': {
      const out: Fields = [];
      for (const cmd of commandsInOrder(server)) {
        const st = cmd.stats;
        if (st.calls === 0 && st.failed === 0 && st.rejected === 0) continue;
        out.push([`cmdstat_${cmd.fullname}`,
          `calls=${st.calls},usec=${st.usec},usec_per_call=${f2(st.calls === 0 ? 0 : st.usec / st.calls)},` +
          `rejected_calls=${st.rejected},failed_calls=${st.failed}`]);
      }
      return out;
    }
    case 'errorstats': {
      // Redis keeps the codes in a radix tree, so they come out in byte order.
      const codes = [...s.errorCodes.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      return codes.map((code) => [`errorstat_${code}`, `count=${s.errorCodes.get(code)}`]);
    }
    case 'latencystats': {
      const out: Fields = [];
      const percentiles = cfg.get<number[]>('latency-tracking-info-percentiles');
      for (const cmd of commandsInOrder(server)) {
        const h = cmd.stats.latency;
        if (h === undefined || h.total === 0) continue;
        const parts = percentiles.map((p) => `p${percentileLabel(p)}=${(h.valueAtPercentile(p) / 1000).toFixed(3)}`);
        out.push([`latency_percentiles_usec_${cmd.fullname}`, parts.join(',')]);
      }
      return out;
    }
    case 'cluster':
      return [['cluster_enabled', 0]];
    case 'keyspace': {
      const out: Fields = [];
      for (const db of ks.dbs) {
        if (db.keys.size === 0) continue;
        const avg = (db as { avgTtl?: number }).avgTtl ?? 0;
        out.push([`db${db.id}`, `keys=${db.keys.size},expires=${db.expires.size},avg_ttl=${Math.floor(avg)}`]);
      }
      return out;
    }
  }
}

/** The INFO text for `args` (section names, all, everything, default; none means default). */
export function infoText(server: Server, args: readonly string[]): string {
  const wanted = selectSections(args);
  let out = '';
  let n = 0;
  for (const section of SECTIONS) {
    if (!wanted.has(section)) continue;
    if (n++ > 0) out += '\r\n';
    out += `# ${TITLES[section]}\r\n`;
    for (const [k, v] of withPlugins(server, section, sectionFields(server, section))) out += `${k}:${v}\r\n`;
  }
  return out;
}
