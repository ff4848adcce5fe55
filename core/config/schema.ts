// The directive table: every redis.conf directive Redis 7.0 knows, plus echokv's own (transport,
// persistence). Each has a valibot schema, a default, and whether CONFIG SET may change it.
// Directives marked implemented: false are accepted so a real redis.conf starts echokv; start-up
// names them all in one warning. conf/echokv.conf documents every directive it sets.

import * as v from 'valibot';
import {
  type Args, type ConfigValue, type Directive, formatters, integer, list, memory, oneOf, text,
  yesNo,
} from './types.ts';

const LLONG_MAX = Number.MAX_SAFE_INTEGER;
const INT_MAX = 2147483647;

interface Opts {
  aliases?: readonly string[];
  mutable?: boolean;
  implemented?: boolean;
  accumulate?: boolean;
  hidden?: boolean;
  format?: (x: ConfigValue) => string;
}

function d(
  name: string,
  schema: v.GenericSchema<Args, ConfigValue>,
  def: Args | string,
  o: Opts = {},
): Directive {
  return {
    name,
    aliases: o.aliases,
    schema,
    default: typeof def === 'string' ? [def] : def,
    format: o.format ?? (schema === undefined ? formatters.plain : formatters.plain),
    mutable: o.mutable ?? true,
    implemented: o.implemented ?? true,
    accumulate: o.accumulate,
    hidden: o.hidden,
  };
}

const bool = (name: string, def: 'yes' | 'no', o: Opts = {}): Directive =>
  d(name, yesNo(), def, { format: formatters.bool, ...o });

/** `save <seconds> <changes> [<seconds> <changes> ...]` or `save ""`. */
const saveSchema = v.pipe(
  v.array(v.string()),
  v.check((a) => (a.length === 1 && a[0] === '') || (a.length > 0 && a.length % 2 === 0 &&
    a.every((x) => /^(0|[1-9][0-9]*)$/.test(x))), 'Invalid save parameters'),
  v.transform((a) => (a.length === 1 && a[0] === '' ? [] : a.map(Number))),
) as unknown as v.GenericSchema<Args, readonly number[]>;

const CLASSES = ['normal', 'replica', 'slave', 'pubsub'];
/** `client-output-buffer-limit <class> <hard> <soft> <soft seconds>` (repeatable groups). */
const outputLimitSchema = v.pipe(
  v.array(v.string()),
  v.check((a) => a.length > 0 && a.length % 4 === 0 && a.every((x, i) => i % 4 === 0
    ? CLASSES.includes(x.toLowerCase())
    : i % 4 === 3 ? /^[0-9]+$/.test(x) : /^[0-9]+(b|k|kb|m|mb|g|gb)?$/i.test(x)),
  'Wrong number of arguments in buffer limit configuration.'),
) as unknown as v.GenericSchema<Args, readonly string[]>;

const KEYSPACE_EVENTS_RE = /^[Ag$lshzxeKEtmdn]*$/;

export const DIRECTIVES: readonly Directive[] = [
  // echokv's plugins: which transports listen and which persistence plugin keeps the data.
  d('transport', list(1), ['tcp'], { mutable: false, format: formatters.plain }),
  d('persistence', oneOf(['none', 'rdb', 'aof']), 'none', { mutable: false }),

  // Network.
  d('port', integer(0, 65535), '6379', { mutable: true }),
  d('bind', list(1), ['*', '-::*'], { mutable: true }),
  bool('protected-mode', 'yes', { implemented: false }),
  d('tcp-backlog', integer(0, INT_MAX), '511', { mutable: false }),
  d('unixsocket', text(), '', { mutable: false }),
  d('unixsocketperm', integer(0, 0o777), '0', { mutable: false, format: (x) => (x as number).toString(8) }),
  d('timeout', integer(0, INT_MAX), '0'),
  d('tcp-keepalive', integer(0, INT_MAX), '300'),
  d('bind-source-addr', text(), '', { implemented: false }),
  d('socket-mark-id', integer(0, INT_MAX), '0', { implemented: false }),

  // General.
  bool('daemonize', 'no', { mutable: false, implemented: false }),
  d('supervised', oneOf(['upstart', 'systemd', 'auto', 'no']), 'no', { mutable: false, implemented: false }),
  d('pidfile', text(), '', { mutable: false }),
  d('loglevel', oneOf(['debug', 'verbose', 'notice', 'warning', 'nothing']), 'notice'),
  d('logfile', text(), '', { mutable: false }),
  bool('syslog-enabled', 'no', { mutable: false, implemented: false }),
  d('syslog-ident', text(), 'redis', { mutable: false, implemented: false }),
  d('syslog-facility', oneOf(['user', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7']), 'local0', { mutable: false, implemented: false }),
  d('crash-log-enabled', yesNo(), 'yes', { format: formatters.bool, implemented: false }),
  d('crash-memcheck-enabled', yesNo(), 'yes', { format: formatters.bool, implemented: false }),
  d('databases', integer(1, INT_MAX), '16', { mutable: false }),
  bool('always-show-logo', 'no', { mutable: false }),
  bool('set-proc-title', 'yes', { mutable: false, implemented: false }),
  d('proc-title-template', text(), '{title} {listen-addr} {server-mode}', { implemented: false }),
  d('hz', integer(-INT_MAX, INT_MAX), '10'),
  bool('dynamic-hz', 'yes', { implemented: false }),
  d('include', text(), [], { accumulate: true, hidden: true, mutable: false }),
  d('loadmodule', list(1), [], { accumulate: true, hidden: true, mutable: false, implemented: false }),
  d('rename-command', list(2), [], { accumulate: true, hidden: true, mutable: false, implemented: false }),
  bool('enable-protected-configs', 'no', { mutable: false, implemented: false }),
  bool('enable-debug-command', 'no', { mutable: false, implemented: false }),
  bool('enable-module-command', 'no', { mutable: false, implemented: false }),
  d('ignore-warnings', text(), '', { implemented: false }),
  d('shutdown-timeout', integer(0, INT_MAX), '10'),
  d('shutdown-on-sigint', list(1), ['default']),
  d('shutdown-on-sigterm', list(1), ['default']),
  d('oom-score-adj', oneOf(['no', 'yes', 'relative', 'absolute']), 'no', { implemented: false }),
  d('oom-score-adj-values', list(3), ['0', '200', '800'], { implemented: false }),
  bool('disable-thp', 'yes', { mutable: false, implemented: false }),
  d('server_cpulist', text(), '', { mutable: false, implemented: false }),
  d('bio_cpulist', text(), '', { mutable: false, implemented: false }),
  d('aof_rewrite_cpulist', text(), '', { mutable: false, implemented: false }),
  d('bgsave_cpulist', text(), '', { mutable: false, implemented: false }),
  d('io-threads', integer(1, 128), '1', { mutable: false, implemented: false }),
  bool('io-threads-do-reads', 'no', { mutable: false, implemented: false }),
  bool('jemalloc-bg-thread', 'yes', { implemented: false }),

  // Snapshotting and the append-only file (persistence plugins).
  d('save', saveSchema, ['3600', '1', '300', '100', '60', '10000'], {
    accumulate: true, implemented: false,
    format: (x) => (x as number[]).join(' '),
  }),
  bool('stop-writes-on-bgsave-error', 'yes', { implemented: false }),
  bool('rdbcompression', 'yes', { implemented: false }),
  bool('rdbchecksum', 'yes', { implemented: false }),
  d('sanitize-dump-payload', oneOf(['no', 'yes', 'clients']), 'no', { implemented: false }),
  d('dbfilename', text(), 'dump.rdb', { mutable: false }),
  bool('rdb-del-sync-files', 'no', { implemented: false }),
  d('dir', text(), '.', { mutable: false }),
  bool('appendonly', 'no', { implemented: false }),
  d('appendfilename', text(), 'appendonly.aof', { mutable: false, implemented: false }),
  d('appenddirname', text(), 'appendonlydir', { mutable: false, implemented: false }),
  d('appendfsync', oneOf(['always', 'everysec', 'no']), 'everysec', { implemented: false }),
  bool('no-appendfsync-on-rewrite', 'no', { implemented: false }),
  d('auto-aof-rewrite-percentage', integer(0, INT_MAX), '100', { implemented: false }),
  d('auto-aof-rewrite-min-size', memory(0, LLONG_MAX), '64mb', { implemented: false }),
  bool('aof-load-truncated', 'yes', { implemented: false }),
  bool('aof-use-rdb-preamble', 'yes', { implemented: false }),
  bool('aof-timestamp-enabled', 'no', { implemented: false }),
  bool('aof-rewrite-incremental-fsync', 'yes', { implemented: false }),
  bool('rdb-save-incremental-fsync', 'yes', { implemented: false }),
  bool('aof-disable-auto-gc', 'no', { implemented: false }),

  // Replication.
  d('replicaof', list(0), [], { aliases: ['slaveof'], mutable: false, implemented: false }),
  d('masterauth', text(), '', { implemented: false }),
  d('masteruser', text(), '', { implemented: false }),
  bool('replica-serve-stale-data', 'yes', { aliases: ['slave-serve-stale-data'], implemented: false }),
  bool('replica-read-only', 'yes', { aliases: ['slave-read-only'], implemented: false }),
  bool('repl-diskless-sync', 'yes', { implemented: false }),
  d('repl-diskless-sync-delay', integer(0, INT_MAX), '5', { implemented: false }),
  d('repl-diskless-sync-max-replicas', integer(0, INT_MAX), '0', { implemented: false }),
  d('repl-diskless-load', oneOf(['disabled', 'on-empty-db', 'swapdb']), 'disabled', { implemented: false }),
  d('repl-ping-replica-period', integer(1, INT_MAX), '10', { aliases: ['repl-ping-slave-period'], implemented: false }),
  d('repl-timeout', integer(1, INT_MAX), '60', { implemented: false }),
  bool('repl-disable-tcp-nodelay', 'no', { implemented: false }),
  d('repl-backlog-size', memory(1, LLONG_MAX), '1mb', { implemented: false }),
  d('repl-backlog-ttl', integer(0, INT_MAX), '3600', { implemented: false }),
  d('replica-priority', integer(0, INT_MAX), '100', { aliases: ['slave-priority'], implemented: false }),
  bool('replica-announced', 'yes', { implemented: false }),
  d('min-replicas-to-write', integer(0, INT_MAX), '0', { aliases: ['min-slaves-to-write'], implemented: false }),
  d('min-replicas-max-lag', integer(0, INT_MAX), '10', { aliases: ['min-slaves-max-lag'], implemented: false }),
  d('replica-announce-ip', text(), '', { aliases: ['slave-announce-ip'], implemented: false }),
  d('replica-announce-port', integer(0, 65535), '0', { aliases: ['slave-announce-port'], implemented: false }),
  bool('replica-lazy-flush', 'no', { aliases: ['slave-lazy-flush'], implemented: false }),
  bool('replica-ignore-maxmemory', 'yes', { aliases: ['slave-ignore-maxmemory'], implemented: false }),
  bool('replica-ignore-disk-write-errors', 'no', { implemented: false }),
  d('propagation-error-behavior', oneOf(['ignore', 'panic', 'panic-on-replicas']), 'ignore', { implemented: false }),

  // Security.
  d('requirepass', text(), ''),
  d('user', list(1), [], { accumulate: true, hidden: true, mutable: false, implemented: false }),
  d('aclfile', text(), '', { mutable: false, implemented: false }),
  d('acllog-max-len', integer(0, LLONG_MAX), '128', { implemented: false }),
  d('acl-pubsub-default', oneOf(['allchannels', 'resetchannels']), 'resetchannels', { implemented: false }),

  // Clients and memory.
  d('maxclients', integer(1, INT_MAX), '10000'),
  d('maxmemory', memory(0, LLONG_MAX), '0', { implemented: false }),
  d('maxmemory-policy', oneOf(['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction']), 'noeviction', { implemented: false }),
  d('maxmemory-samples', integer(1, 255), '5', { implemented: false }),
  d('maxmemory-eviction-tenacity', integer(0, 100), '10', { implemented: false }),
  d('maxmemory-clients', list(1), ['0'], { implemented: false }),
  d('client-output-buffer-limit', outputLimitSchema,
    ['normal', '0', '0', '0', 'slave', '268435456', '67108864', '60', 'pubsub', '33554432', '8388608', '60'],
    { implemented: false }),
  d('client-query-buffer-limit', memory(1024 * 1024, LLONG_MAX), '1gb'),
  d('proto-max-bulk-len', memory(1024 * 1024, LLONG_MAX), '512mb'),

  // Lazy freeing, threads, kernel.
  bool('lazyfree-lazy-eviction', 'no', { implemented: false }),
  bool('lazyfree-lazy-expire', 'no', { implemented: false }),
  bool('lazyfree-lazy-server-del', 'no', { implemented: false }),
  bool('lazyfree-lazy-user-del', 'no', { implemented: false }),
  bool('lazyfree-lazy-user-flush', 'no', { implemented: false }),

  // Scripting, cluster.
  d('lua-time-limit', integer(0, LLONG_MAX), '5000', { aliases: ['busy-reply-threshold'], implemented: false }),
  bool('cluster-enabled', 'no', { mutable: false, implemented: false }),
  d('cluster-config-file', text(), 'nodes.conf', { mutable: false, implemented: false }),
  d('cluster-node-timeout', integer(0, LLONG_MAX), '15000', { implemented: false }),
  d('cluster-port', integer(0, 65535), '0', { mutable: false, implemented: false }),
  d('cluster-replica-validity-factor', integer(0, INT_MAX), '10', { aliases: ['cluster-slave-validity-factor'], implemented: false }),
  d('cluster-migration-barrier', integer(0, INT_MAX), '1', { implemented: false }),
  bool('cluster-allow-replica-migration', 'yes', { implemented: false }),
  bool('cluster-require-full-coverage', 'yes', { implemented: false }),
  bool('cluster-replica-no-failover', 'no', { aliases: ['cluster-slave-no-failover'], implemented: false }),
  bool('cluster-allow-reads-when-down', 'no', { implemented: false }),
  bool('cluster-allow-pubsubshard-when-down', 'yes', { implemented: false }),
  d('cluster-link-sendbuf-limit', memory(0, LLONG_MAX), '0', { implemented: false }),
  d('cluster-announce-hostname', text(), '', { implemented: false }),
  d('cluster-announce-ip', text(), '', { implemented: false }),
  d('cluster-announce-port', integer(0, 65535), '0', { implemented: false }),
  d('cluster-announce-bus-port', integer(0, 65535), '0', { implemented: false }),
  d('cluster-announce-tls-port', integer(0, 65535), '0', { implemented: false }),
  d('cluster-preferred-endpoint-type', oneOf(['ip', 'hostname', 'unknown-endpoint']), 'ip', { implemented: false }),

  // Logs and monitoring.
  d('slowlog-log-slower-than', integer(-1, LLONG_MAX), '10000'),
  d('slowlog-max-len', integer(0, LLONG_MAX), '128'),
  d('latency-monitor-threshold', integer(0, LLONG_MAX), '0', { implemented: false }),
  bool('latency-tracking', 'yes', { implemented: false }),
  d('latency-tracking-info-percentiles', list(0), ['50', '99', '99.9'], { implemented: false }),
  d('notify-keyspace-events', single(KEYSPACE_EVENTS_RE), '', { implemented: false }),

  // Data structure encodings.
  d('hash-max-listpack-entries', integer(0, LLONG_MAX), '512', { aliases: ['hash-max-ziplist-entries'] }),
  d('hash-max-listpack-value', integer(0, LLONG_MAX), '64', { aliases: ['hash-max-ziplist-value'] }),
  d('list-max-listpack-size', integer(-5, INT_MAX), '-2', { aliases: ['list-max-ziplist-size'] }),
  d('list-compress-depth', integer(0, INT_MAX), '0', { implemented: false }),
  d('set-max-intset-entries', integer(0, LLONG_MAX), '512'),
  d('zset-max-listpack-entries', integer(0, LLONG_MAX), '128', { aliases: ['zset-max-ziplist-entries'] }),
  d('zset-max-listpack-value', integer(0, LLONG_MAX), '64', { aliases: ['zset-max-ziplist-value'] }),
  d('hll-sparse-max-bytes', memory(0, LLONG_MAX), '3000', { implemented: false }),
  d('stream-node-max-bytes', memory(0, LLONG_MAX), '4096', { implemented: false }),
  d('stream-node-max-entries', integer(0, LLONG_MAX), '100', { implemented: false }),
  bool('activerehashing', 'yes', { implemented: false }),
  d('active-expire-effort', integer(1, 10), '1'),
  d('tracking-table-max-keys', integer(0, LLONG_MAX), '1000000', { implemented: false }),
  d('lfu-log-factor', integer(0, INT_MAX), '10', { implemented: false }),
  d('lfu-decay-time', integer(0, INT_MAX), '1', { implemented: false }),

  // Active defragmentation (the JS heap is compacted by the GC instead).
  bool('activedefrag', 'no', { implemented: false }),
  d('active-defrag-ignore-bytes', memory(1, LLONG_MAX), '100mb', { implemented: false }),
  d('active-defrag-threshold-lower', integer(0, 1000), '10', { implemented: false }),
  d('active-defrag-threshold-upper', integer(0, 1000), '100', { implemented: false }),
  d('active-defrag-cycle-min', integer(1, 99), '1', { implemented: false }),
  d('active-defrag-cycle-max', integer(1, 99), '25', { implemented: false }),
  d('active-defrag-max-scan-fields', integer(1, LLONG_MAX), '1000', { implemented: false }),

  // TLS (echokv listens in plain TCP; these are accepted so a TLS-ready redis.conf starts).
  d('tls-port', integer(0, 65535), '0', { implemented: false }),
  d('tls-cert-file', text(), '', { implemented: false }),
  d('tls-key-file', text(), '', { implemented: false }),
  d('tls-key-file-pass', text(), '', { implemented: false }),
  d('tls-client-cert-file', text(), '', { implemented: false }),
  d('tls-client-key-file', text(), '', { implemented: false }),
  d('tls-client-key-file-pass', text(), '', { implemented: false }),
  d('tls-dh-params-file', text(), '', { implemented: false }),
  d('tls-ca-cert-file', text(), '', { implemented: false }),
  d('tls-ca-cert-dir', text(), '', { implemented: false }),
  d('tls-auth-clients', oneOf(['no', 'yes', 'optional']), 'yes', { implemented: false }),
  bool('tls-replication', 'no', { implemented: false }),
  bool('tls-cluster', 'no', { implemented: false }),
  d('tls-protocols', text(), '', { implemented: false }),
  d('tls-ciphers', text(), '', { implemented: false }),
  d('tls-ciphersuites', text(), '', { implemented: false }),
  bool('tls-prefer-server-ciphers', 'no', { implemented: false }),
  bool('tls-session-caching', 'yes', { implemented: false }),
  d('tls-session-cache-size', integer(0, INT_MAX), '20480', { implemented: false }),
  d('tls-session-cache-timeout', integer(0, INT_MAX), '300', { implemented: false }),
];

function single(re: RegExp): v.GenericSchema<Args, string> {
  return v.pipe(
    v.array(v.string()),
    v.check((a) => a.length === 1, 'wrong number of arguments'),
    v.transform((a) => a[0]),
    v.check((s) => re.test(s), 'Invalid event class character. Use \'Ag$lshzxeKEtmd\'.'),
  ) as unknown as v.GenericSchema<Args, string>;
}

/** Directives by every name they answer to. */
export const DIRECTIVE_BY_NAME: ReadonlyMap<string, Directive> = (() => {
  const m = new Map<string, Directive>();
  for (const dir of DIRECTIVES) {
    m.set(dir.name, dir);
    for (const a of dir.aliases ?? []) m.set(a, dir);
  }
  return m;
})();
