// The directive table: every directive Redis 7.0 knows (src/config.c's standardConfig table, with
// its C types, ranges, enum names, aliases and flags as redis-server 7.0.15 reports them), plus
// echokv's own `transport` and `persistence`. Directives marked implemented: false are accepted so
// a real redis.conf starts echokv, and start-up names them all in one warning; only the directives
// echokv acts on today are implemented. conf/echokv.conf documents every directive it sets.
//
// Redis's defaults are kept exactly, so CONFIG GET * matches a redis-server started without a
// config file (test/compat/config.test.ts compares them).

import {
  type Args, argsSchema, type ConfigValue, type Directive, type EnumSpec, enumSpec,
  formatNumeric, formatPercentile, INT_MAX, INT_MIN, isBaseName, LLONG_MAX, memtoull,
  type NumericOptions, numberValue, oneArg, parseEnum, parseFlagsEnum, parseNumeric,
  parseYesNo, Refusal, type RewriteLine, rewriteNumeric, string2d, strtoll, UINT_MAX, ULLONG_MAX,
} from './types.ts';
import { cstr, repr } from '../bytes.ts';
import { expandTemplate } from '../proc_title.ts';

interface Flags {
  aliases?: readonly string[];
  /** Default true: CONFIG SET may change it. */
  mutable?: boolean;
  protected?: boolean;
  /** Default false: only directives echokv acts on say true. */
  implemented?: boolean;
  hidden?: boolean;
  sensitive?: boolean;
  denyLoading?: boolean;
}

function base(name: string, f: Flags): Omit<Directive, 'schema' | 'default' | 'format' | 'rewrite'> {
  return {
    name,
    aliases: f.aliases,
    mutable: f.mutable ?? true,
    protected: f.protected,
    implemented: f.implemented ?? false,
    hidden: f.hidden,
    sensitive: f.sensitive,
    denyLoading: f.denyLoading,
  };
}

const IMMUTABLE: Flags = { mutable: false };

/** A yes/no directive (createBoolConfig); `check` refuses some values (activedefrag). */
function bool(name: string, def: boolean, f: Flags = {}, check?: (x: boolean) => string | null): Directive {
  const yn = (x: ConfigValue): string => (x ? 'yes' : 'no');
  return {
    ...base(name, f),
    schema: oneArg((s) => {
      const r = parseYesNo(s);
      if (r instanceof Refusal || !check) return r;
      const err = check(r);
      return err === null ? r : new Refusal(err);
    }),
    default: [yn(def)],
    format: yn,
    rewrite: (x) => [{ line: `${name} ${yn(x)}`, force: x !== def }],
  };
}

/** A numeric directive (createIntConfig and friends: the C type decides the signedness). */
function num(name: string, def: bigint, o: NumericOptions, f: Flags = {}): Directive {
  const defText = formatNumeric(def, o);
  return {
    ...base(name, f),
    schema: oneArg((s) => {
      const r = parseNumeric(s, o);
      return r instanceof Refusal ? r : numberValue(r);
    }),
    default: [defText],
    format: (x) => formatNumeric(x, o),
    rewrite: (x) => [{ line: `${name} ${rewriteNumeric(x, o)}`, force: BigInt(x as number | bigint) !== def }],
  };
}

const int = (min: bigint, max: bigint): NumericOptions => ({ min, max });
const INT_RANGE = int(0n, INT_MAX);
const LONG_RANGE = int(0n, LLONG_MAX);
/** size_t directives: the range is checked on the unsigned value. */
const sizeT = (min: bigint, max: bigint, memory = false): NumericOptions => ({ min, max, unsigned: true, memory });
const mem = (min: bigint, max: bigint): NumericOptions => ({ min, max, memory: true });

/**
 * A string directive (createStringConfig): a C string, so a NUL byte ends it. With `emptyIsNull`
 * an empty value means unset, which CONFIG REWRITE expresses by removing the directive's lines;
 * `binary` keeps NUL bytes (createSDSConfig: requirepass, masterauth).
 */
function str(
  name: string,
  def: string | null,
  f: Flags & { emptyIsNull?: boolean; binary?: boolean; check?: (s: string) => string | null } = {},
): Directive {
  const emptyIsNull = f.emptyIsNull ?? def === null;
  return {
    ...base(name, f),
    schema: oneArg((s) => {
      const x = f.binary ? s : cstr(s);
      const err = f.check ? f.check(x) : null;
      return err === null ? x : new Refusal(err);
    }),
    default: [def ?? ''],
    format: (x) => x as string,
    rewrite: (x) => {
      if (emptyIsNull && x === '') return null;
      return [{ line: `${name} ${repr(x as string)}`, force: !(def !== null && x === def) }];
    },
  };
}

/** An enum directive (createEnumConfig). */
function enm(name: string, e: EnumSpec, def: string, f: Flags = {}): Directive {
  return {
    ...base(name, f),
    schema: oneArg((s) => parseEnum(s, e)),
    default: [def],
    format: (x) => x as string,
    rewrite: (x) => [{ line: `${name} ${x as string}`, force: x !== def }],
  };
}

const NO_YES_LOCAL = enumSpec(['no', 'yes', 'local']);

/** `shutdown-on-sigint`/`-sigterm`: flags, several at once, SAVE and NOSAVE exclusive. */
function shutdownOnSignal(name: string): Directive {
  const e = enumSpec(['default', 'save', 'nosave', 'now', 'force'], [0, 1, 2, 4, 8]);
  const fmt = (x: ConfigValue): string => (x as string[]).join(' ');
  return {
    ...base(name, { implemented: true }),
    multiArg: true,
    schema: argsSchema((a) => {
      const r = parseFlagsEnum(a, e);
      if (r instanceof Refusal) return r;
      if (r.includes('save') && r.includes('nosave')) {
        return new Refusal("shutdown options SAVE and NOSAVE can't be used simultaneously");
      }
      return r;
    }),
    default: ['default'],
    format: fmt,
    rewrite: (x) => [{ line: `${name} ${fmt(x)}`, force: fmt(x) !== 'default' }],
  };
}

// -------------------------------------------------------------------------------------------------
// Directives with their own grammar (createSpecialConfig)

/** `save <seconds> <changes> [...]`, or `save ""` for none. */
const save: Directive = {
  ...base('save', { implemented: true }),
  multiArg: true,
  schema: argsSchema((a) => {
    const args = a.length === 1 && cstr(a[0]) === '' ? [] : a;
    if (args.length % 2 !== 0) return new Refusal('Invalid save parameters');
    const out: (number | bigint)[] = [];
    for (let j = 0; j < args.length; j++) {
      const r = strtoll(args[j], 10);
      if (!r.whole || (j % 2 === 0 && r.value < 1n) || (j % 2 === 1 && r.value < 0n)) {
        return new Refusal('Invalid save parameters');
      }
      // Seconds are a time_t (kept exact beyond 2^53 for CONFIG GET), changes an int: Redis
      // truncates the changes the same way.
      out.push(j % 2 === 0 ? numberValue(r.value) : Number(BigInt.asIntN(32, r.value)));
    }
    return out;
  }),
  default: ['3600', '1', '300', '100', '60', '10000'],
  format: (x) => (x as number[]).join(' '),
  // The first save line of a configuration replaces the defaults, later ones add save points;
  // `save ""` clears them wherever it appears.
  merge: (cur, next, first) => {
    const n = next as number[];
    return first || n.length === 0 ? n : [...(cur as number[]), ...n];
  },
  rewrite: (x) => {
    const v = x as number[];
    if (v.length === 0) return [{ line: 'save ""', force: true }];
    const out: RewriteLine[] = [];
    for (let i = 0; i < v.length; i += 2) out.push({ line: `save ${v[i]} ${v[i + 1]}`, force: true });
    return out;
  },
};

/** Client classes of client-output-buffer-limit, in Redis's order; `replica` names `slave`. */
const OBUF_CLASSES = ['normal', 'slave', 'pubsub'];
const OBUF_DEFAULT = ['normal', '0', '0', '0', 'slave', '268435456', '67108864', '60', 'pubsub', '33554432', '8388608', '60'];

/** `client-output-buffer-limit <class> <hard> <soft> <soft seconds> [...]`: sets only the classes named. */
const clientOutputBufferLimit: Directive = {
  ...base('client-output-buffer-limit', { implemented: true }),
  multiArg: true,
  schema: argsSchema((a) => {
    if (a.length % 4 !== 0) return new Refusal('Wrong number of arguments in buffer limit configuration.');
    const out: string[] = [];
    for (let j = 0; j < a.length; j += 4) {
      let cls = cstr(a[j]).toLowerCase();
      if (cls === 'replica') cls = 'slave';
      if (!OBUF_CLASSES.includes(cls)) {
        return new Refusal('Invalid client class specified in buffer limit configuration.');
      }
      const hard = memtoull(a[j + 1]);
      const soft = memtoull(a[j + 2]);
      const secs = strtoll(a[j + 3], 10);
      // soft_seconds is read into an int before the sign check, as in Redis.
      const seconds = BigInt.asIntN(32, secs.value);
      if (hard === null || soft === null || seconds < 0n || !secs.whole) {
        return new Refusal('Error in hard, soft or soft_seconds setting in buffer limit configuration.');
      }
      out.push(cls, String(hard), String(soft), String(seconds));
    }
    return out;
  }),
  default: OBUF_DEFAULT,
  format: (x) => (x as string[]).join(' '),
  merge: (cur, next) => {
    const out = [...(cur as string[])];
    const n = next as string[];
    for (let j = 0; j < n.length; j += 4) {
      const at = OBUF_CLASSES.indexOf(n[j]) * 4;
      out.splice(at, 4, n[j], n[j + 1], n[j + 2], n[j + 3]);
    }
    return out;
  },
  rewrite: (x) => {
    const v = x as string[];
    const out: RewriteLine[] = [];
    for (let j = 0; j < 12; j += 4) {
      const force = v[j + 1] !== OBUF_DEFAULT[j + 1] || v[j + 2] !== OBUF_DEFAULT[j + 2] ||
        v[j + 3] !== OBUF_DEFAULT[j + 3];
      const cls = v[j] === 'slave' ? 'replica' : v[j];
      const hard = rewriteNumeric(BigInt(v[j + 1]), { min: 0n, max: ULLONG_MAX, memory: true });
      const soft = rewriteNumeric(BigInt(v[j + 2]), { min: 0n, max: ULLONG_MAX, memory: true });
      out.push({ line: `client-output-buffer-limit ${cls} ${hard} ${soft} ${v[j + 3]}`, force });
    }
    return out;
  },
};

/** `oom-score-adj-values <master> <replica> <bgchild>`. */
const oomScoreAdjValues: Directive = {
  ...base('oom-score-adj-values', { implemented: true }),
  multiArg: true,
  schema: argsSchema((a) => {
    if (a.length !== 3) return new Refusal('wrong number of arguments');
    const out: number[] = [];
    for (const x of a) {
      const r = strtoll(x, 10);
      if (!r.whole || r.value < -2000n || r.value > 2000n) {
        return new Refusal('Invalid oom-score-adj-values, elements must be between -2000 and 2000.');
      }
      out.push(Number(r.value));
    }
    return out;
  }),
  default: ['0', '200', '800'],
  format: (x) => (x as number[]).join(' '),
  rewrite: (x) => {
    const s = (x as number[]).join(' ');
    return [{ line: `oom-score-adj-values ${s}`, force: s !== '0 200 800' }];
  },
};

/** Keyspace event classes in the order Redis prints them; A is g$lshzxetd. */
const EVENT_CLASSES = 'g$lshzxetdn';
const EVENT_ALL = 'g$lshzxetd';

/**
 * `notify-keyspace-events`: the value keeps every class letter (A expanded) in a fixed order so
 * no flag is lost; CONFIG GET prints Redis's form, where A stands for g$lshzxetd.
 */
const notifyKeyspaceEvents: Directive = {
  ...base('notify-keyspace-events', { implemented: true }),
  schema: oneArg((raw) => {
    const s = cstr(raw);
    const seen = new Set<string>();
    for (const ch of s) {
      if (ch === 'A') for (const c of EVENT_ALL) seen.add(c);
      else if (EVENT_CLASSES.includes(ch) || ch === 'K' || ch === 'E' || ch === 'm') seen.add(ch);
      else return new Refusal("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
    }
    let out = '';
    for (const c of EVENT_CLASSES + 'KEm') if (seen.has(c)) out += c;
    return out;
  }),
  default: [''],
  format: (x) => {
    const s = x as string;
    let out = '';
    if ([...EVENT_ALL].every((c) => s.includes(c))) out = 'A';
    else for (const c of EVENT_CLASSES) if (s.includes(c)) out += c;
    for (const c of 'KEm') if (s.includes(c)) out += c;
    return out;
  },
  rewrite: (x) => [{ line: `notify-keyspace-events ${repr(notifyKeyspaceEvents.format(x))}`, force: x !== '' }],
};

const BIND_DEFAULT = ['*', '-::*'];

/** `bind <addr> [...]`, or `bind ""` for no TCP address; at most 16. */
const bind: Directive = {
  ...base('bind', { implemented: true }),
  multiArg: true,
  schema: argsSchema((a) => {
    if (a.length > 16) return new Refusal('Too many bind addresses specified.');
    if (a.length === 1 && a[0] === '') return [];
    return a.map(cstr);
  }),
  default: BIND_DEFAULT,
  format: (x) => (x as string[]).join(' '),
  rewrite: (x) => {
    const v = x as string[];
    if (v.length === 2 && v[0] === '*' && v[1] === '-::*') return null;
    return [{ line: `bind ${v.length > 0 ? v.join(' ') : '""'}`, force: true }];
  },
};

/** `replicaof <host> <port>` or `replicaof no one`; the value is [host, port] or []. */
const replicaof: Directive = {
  ...base('replicaof', { aliases: ['slaveof'], mutable: false }),
  multiArg: true,
  schema: argsSchema((a) => {
    if (a.length !== 2) return new Refusal('wrong number of arguments');
    if (cstr(a[0]).toLowerCase() === 'no' && cstr(a[1]).toLowerCase() === 'one') return [];
    // strtol's result lands in an int before the range check, as in Redis.
    const p = strtoll(a[1], 10);
    const port = BigInt.asIntN(32, p.value);
    if (!p.whole || port < 0n || port > 65535n) return new Refusal('Invalid master port');
    return [cstr(a[0]), String(port)];
  }),
  default: ['no', 'one'],
  format: (x) => (x as string[]).join(' '),
  rewrite: (x) => {
    const v = x as string[];
    return v.length === 0 ? null : [{ line: `replicaof ${v[0]} ${v[1]}`, force: true }];
  },
};

/** `latency-tracking-info-percentiles <p> [...]`, each in [0, 100]; `""` for none. */
const latencyTrackingInfoPercentiles: Directive = {
  ...base('latency-tracking-info-percentiles', { implemented: true }),
  multiArg: true,
  schema: argsSchema((a) => {
    if (a.length === 1 && a[0] === '') return [];
    const out: number[] = [];
    for (const x of a) {
      const d = string2d(x);
      if (d === null) return new Refusal('Invalid latency-tracking-info-percentiles parameters');
      if (d > 100 || d < 0) {
        return new Refusal('latency-tracking-info-percentiles parameters should sit between [0.0,100.0]');
      }
      out.push(d);
    }
    return out;
  }),
  default: ['50', '99', '99.9'],
  format: (x) => (x as number[]).map(formatPercentile).join(' '),
  rewrite: (x) => {
    const v = x as number[];
    const line = 'latency-tracking-info-percentiles' + (v.length === 0 ? ' ""' : v.map((p) => ' ' + formatPercentile(p)).join(''));
    return [{ line, force: true }];
  },
};

/**
 * `dir`: where persistence files go. Redis changes its working directory; echokv keeps the path
 * (CONFIG SET resolves it against the current one) and CONFIG GET and REWRITE print it absolute.
 */
const dir: Directive = {
  ...base('dir', { protected: true, denyLoading: true, implemented: true }),
  schema: oneArg((s) => cstr(s)),
  default: ['.'],
  format: (x) => x as string,
  rewrite: (_x, ctx) => [{ line: `dir ${repr(ctx.dir)}`, force: true }],
};

/** proc-title-template's variables, and whether each is empty in a standalone echokv. */
const TITLE_VARIABLES: Record<string, boolean> = {
  'title': true, 'listen-addr': false, 'server-mode': true, 'port': false, 'tls-port': false,
  'unixsocket': true, 'config-file': true,
};

/** Redis's validateProcTitleTemplate: known {variables}, and not blank once expanded. */
function checkProcTitleTemplate(t: string): string | null {
  const text = expandTemplate(t, (name) => {
    const empty = TITLE_VARIABLES[name];
    return empty === undefined ? undefined : empty ? '' : 'x';
  });
  return text === null || text === '' ? 'template format is invalid or contains unknown variables' : null;
}

/** Redis's isValidAnnouncedHostname. */
function checkHostname(s: string): string | null {
  if (s.length >= 256) return 'Hostnames must be less than 256 characters';
  if (!/^[A-Za-z0-9.-]*$/.test(s)) return 'Hostnames may only contain alphanumeric characters, hyphens or dots';
  return null;
}

const LOGLEVELS = enumSpec(['debug', 'verbose', 'notice', 'warning']);
const MAXMEMORY_POLICIES = enumSpec(['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl',
  'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction']);
const SYSLOG_FACILITIES = enumSpec(['user', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5',
  'local6', 'local7']);

/** `transport <plugin> [...]`: echokv's listeners (tcp now; ws later). */
const transport: Directive = {
  ...base('transport', { mutable: false, implemented: true, hidden: true }),
  multiArg: true,
  schema: argsSchema((a) => (a.length === 0 ? new Refusal('wrong number of arguments') : a.map(cstr))),
  default: ['tcp'],
  format: (x) => (x as string[]).join(' '),
  rewrite: (x) => {
    const s = (x as string[]).join(' ');
    return [{ line: `transport ${s}`, force: s !== 'tcp' }];
  },
};

/**
 * `persistence <plugin> [...]`: which persistence plugins run. `rdb` follows `save` (snapshots)
 * and `aof` follows `appendonly`, so the default `rdb aof` behaves as redis-server does with the
 * same directives; `none` alone keeps data in memory only.
 */
const persistence: Directive = {
  ...base('persistence', { mutable: false, implemented: true, hidden: true }),
  multiArg: true,
  schema: argsSchema((a) => {
    if (a.length === 0) return new Refusal('wrong number of arguments');
    const names = a.map(cstr);
    for (const n of names) if (n !== 'none' && n !== 'rdb' && n !== 'aof') return new Refusal(`unknown persistence plugin '${n}'`);
    if (names.includes('none') && names.length > 1) return new Refusal("'none' cannot be combined with other persistence plugins");
    return [...new Set(names)];
  }),
  default: ['rdb', 'aof'],
  format: (x) => (x as string[]).join(' '),
  rewrite: (x) => {
    const s = (x as string[]).join(' ');
    return [{ line: `persistence ${s}`, force: s !== 'rdb aof' }];
  },
};

export const DIRECTIVES: readonly Directive[] = [
  // echokv's plugins: which transports listen and which persistence plugin keeps the data. Hidden
  // from CONFIG GET * so it lists what Redis lists; CONFIG GET transport still answers.
  transport,
  persistence,

  // Network.
  bind,
  num('port', 6379n, int(0n, 65535n), { implemented: true }),
  bool('protected-mode', true, { implemented: true }),
  num('tcp-backlog', 511n, INT_RANGE, { mutable: false, implemented: true }),
  str('unixsocket', null, { mutable: false, implemented: true }),
  num('unixsocketperm', 0n, { min: 0n, max: 0o777n, unsigned: true, octal: true }, { mutable: false, implemented: true }),
  num('timeout', 0n, INT_RANGE, { implemented: true }),
  num('tcp-keepalive', 300n, INT_RANGE, { implemented: true }),
  str('bind-source-addr', null),
  num('socket-mark-id', 0n, { min: 0n, max: UINT_MAX, unsigned: true }, IMMUTABLE),

  // General.
  bool('daemonize', false, IMMUTABLE),
  enm('supervised', enumSpec(['upstart', 'systemd', 'auto', 'no']), 'no', IMMUTABLE),
  str('pidfile', null, { mutable: false, implemented: true }),
  enm('loglevel', LOGLEVELS, 'notice', { implemented: true }),
  str('logfile', '', { mutable: false, implemented: true }),
  bool('syslog-enabled', false, IMMUTABLE),
  str('syslog-ident', 'redis', IMMUTABLE),
  enm('syslog-facility', SYSLOG_FACILITIES, 'local0', IMMUTABLE),
  bool('crash-log-enabled', true),
  bool('crash-memcheck-enabled', true),
  num('databases', 16n, int(1n, INT_MAX), { mutable: false, implemented: true }),
  bool('always-show-logo', false, IMMUTABLE),
  bool('set-proc-title', true, { mutable: false, implemented: true }),
  str('proc-title-template', '{title} {listen-addr} {server-mode}', { check: checkProcTitleTemplate, implemented: true }),
  // Redis accepts any hz and clamps it to 1..500 (CONFIG_MIN_HZ, CONFIG_MAX_HZ).
  num('hz', 10n, { min: 0n, max: INT_MAX, clamp: [1, 500] }, { implemented: true }),
  bool('dynamic-hz', true),
  enm('enable-protected-configs', NO_YES_LOCAL, 'no', { mutable: false, implemented: true }),
  enm('enable-debug-command', NO_YES_LOCAL, 'no', { mutable: false, implemented: true }),
  enm('enable-module-command', NO_YES_LOCAL, 'no', IMMUTABLE),
  str('ignore-warnings', ''),
  num('shutdown-timeout', 10n, INT_RANGE),
  shutdownOnSignal('shutdown-on-sigint'),
  shutdownOnSignal('shutdown-on-sigterm'),
  enm('oom-score-adj', enumSpec(['no', 'yes', 'relative', 'absolute'], [0, 1, 1, 2]), 'no', { implemented: true }),
  oomScoreAdjValues,
  bool('disable-thp', true, IMMUTABLE),
  str('server_cpulist', null, IMMUTABLE),
  str('bio_cpulist', null, IMMUTABLE),
  str('aof_rewrite_cpulist', null, IMMUTABLE),
  str('bgsave_cpulist', null, IMMUTABLE),
  num('io-threads', 1n, int(1n, 128n), IMMUTABLE),
  bool('io-threads-do-reads', false, IMMUTABLE),
  bool('jemalloc-bg-thread', true),

  // Snapshotting and the append-only file (persistence plugins).
  save,
  bool('stop-writes-on-bgsave-error', true, { implemented: true }),
  bool('rdbcompression', true, { implemented: true }),
  bool('rdbchecksum', true, { mutable: false, implemented: true }),
  enm('sanitize-dump-payload', enumSpec(['no', 'yes', 'clients']), 'no', { implemented: true }),
  str('dbfilename', 'dump.rdb', {
    protected: true,
    implemented: true,
    check: (s) => (isBaseName(s) ? null : "dbfilename can't be a path, just a filename"),
  }),
  bool('rdb-del-sync-files', false),
  dir,
  bool('appendonly', false, { denyLoading: true, implemented: true }),
  str('appendfilename', 'appendonly.aof', {
    mutable: false,
    implemented: true,
    check: (s) => (s === '' ? "appendfilename can't be empty"
      : isBaseName(s) ? null : "appendfilename can't be a path, just a filename"),
  }),
  str('appenddirname', 'appendonlydir', {
    mutable: false,
    implemented: true,
    check: (s) => (s === '' ? "appenddirname can't be empty"
      : isBaseName(s) ? null : "appenddirname can't be a path, just a dirname"),
  }),
  enm('appendfsync', enumSpec(['everysec', 'always', 'no']), 'everysec', { implemented: true }),
  bool('no-appendfsync-on-rewrite', false, { implemented: true }),
  num('auto-aof-rewrite-percentage', 100n, INT_RANGE, { implemented: true }),
  num('auto-aof-rewrite-min-size', 64n * 1024n * 1024n, mem(0n, LLONG_MAX), { implemented: true }),
  bool('aof-load-truncated', true, { implemented: true }),
  bool('aof-use-rdb-preamble', true, { implemented: true }),
  bool('aof-timestamp-enabled', false, { implemented: true }),
  bool('aof-rewrite-incremental-fsync', true, { implemented: true }),
  bool('rdb-save-incremental-fsync', true),
  bool('aof-disable-auto-gc', false, { implemented: true }),
  num('rdb-key-save-delay', 0n, int(INT_MIN, INT_MAX), { hidden: true, implemented: true }),
  num('key-load-delay', 0n, int(INT_MIN, INT_MAX), { hidden: true, implemented: true }),
  num('loading-process-events-interval-bytes', 2n * 1024n * 1024n, int(1024n, INT_MAX), { hidden: true, implemented: true }),

  // Replication.
  replicaof,
  str('masterauth', null, { sensitive: true, binary: true }),
  str('masteruser', null, { sensitive: true }),
  bool('replica-serve-stale-data', true, { aliases: ['slave-serve-stale-data'] }),
  bool('replica-read-only', true, { aliases: ['slave-read-only'] }),
  bool('repl-diskless-sync', true),
  num('repl-diskless-sync-delay', 5n, INT_RANGE),
  num('repl-diskless-sync-max-replicas', 0n, INT_RANGE),
  enm('repl-diskless-load', enumSpec(['disabled', 'on-empty-db', 'swapdb']), 'disabled', { denyLoading: true }),
  num('repl-ping-replica-period', 10n, int(1n, INT_MAX), { aliases: ['repl-ping-slave-period'] }),
  num('repl-timeout', 60n, int(1n, INT_MAX)),
  bool('repl-disable-tcp-nodelay', false),
  {
    // Redis grows a smaller backlog to 16kb when CONFIG SET changes it (resizeReplicationBacklog).
    ...num('repl-backlog-size', 1024n * 1024n, mem(1n, LLONG_MAX)),
    onSet: (x) => (BigInt(x as number | bigint) < 16384n ? 16384 : x),
  },
  num('repl-backlog-ttl', 3600n, LONG_RANGE),
  num('replica-priority', 100n, INT_RANGE, { aliases: ['slave-priority'] }),
  bool('replica-announced', true),
  num('min-replicas-to-write', 0n, INT_RANGE, { aliases: ['min-slaves-to-write'] }),
  num('min-replicas-max-lag', 10n, INT_RANGE, { aliases: ['min-slaves-max-lag'] }),
  str('replica-announce-ip', null, { aliases: ['slave-announce-ip'] }),
  num('replica-announce-port', 0n, int(0n, 65535n), { aliases: ['slave-announce-port'] }),
  bool('replica-lazy-flush', false, { aliases: ['slave-lazy-flush'] }),
  bool('replica-ignore-maxmemory', true, { aliases: ['slave-ignore-maxmemory'], implemented: true }),
  bool('replica-ignore-disk-write-errors', false),
  enm('propagation-error-behavior', enumSpec(['ignore', 'panic', 'panic-on-replicas']), 'ignore'),

  // Security.
  str('requirepass', null, { sensitive: true, binary: true, implemented: true }),
  str('aclfile', '', IMMUTABLE),
  num('acllog-max-len', 128n, LONG_RANGE),
  enm('acl-pubsub-default', enumSpec(['allchannels', 'resetchannels']), 'resetchannels'),

  // Clients and memory.
  num('maxclients', 10000n, { min: 1n, max: UINT_MAX, unsigned: true }, { implemented: true }),
  num('maxmemory', 0n, { min: 0n, max: ULLONG_MAX, unsigned: true, memory: true }, { implemented: true }),
  enm('maxmemory-policy', MAXMEMORY_POLICIES, 'noeviction', { implemented: true }),
  num('maxmemory-samples', 5n, int(1n, INT_MAX), { implemented: true }),
  num('maxmemory-eviction-tenacity', 10n, int(0n, 100n), { implemented: true }),
  // A percentage of maxmemory is kept negative (-10 for "10%"), as Redis keeps it.
  num('maxmemory-clients', 0n, { min: -100n, max: LLONG_MAX, memory: true, percent: true }, { implemented: true }),
  clientOutputBufferLimit,
  num('client-query-buffer-limit', 1024n * 1024n * 1024n, sizeT(1024n * 1024n, LLONG_MAX, true), { implemented: true }),
  num('proto-max-bulk-len', 512n * 1024n * 1024n, mem(1024n * 1024n, LLONG_MAX), { implemented: true }),

  // Lazy freeing.
  bool('lazyfree-lazy-eviction', false, { implemented: true }),
  // Freeing is the garbage collector's job; these choose, as in Redis, UNLINK or DEL in what
  // expiry, eviction, GETDEL and GETEX propagate, and what INFO's lazyfreed_objects counts
  // (core/lazyfree.ts).
  bool('lazyfree-lazy-expire', false, { implemented: true }),
  bool('lazyfree-lazy-server-del', false, { implemented: true }),
  bool('lazyfree-lazy-user-del', false, { implemented: true }),
  bool('lazyfree-lazy-user-flush', false, { implemented: true }),

  // Scripting, cluster.
  num('busy-reply-threshold', 5000n, LONG_RANGE, { aliases: ['lua-time-limit'] }),
  bool('cluster-enabled', false, IMMUTABLE),
  str('cluster-config-file', 'nodes.conf', IMMUTABLE),
  num('cluster-node-timeout', 15000n, LONG_RANGE),
  num('cluster-port', 0n, int(0n, 65535n), IMMUTABLE),
  num('cluster-replica-validity-factor', 10n, INT_RANGE, { aliases: ['cluster-slave-validity-factor'] }),
  num('cluster-migration-barrier', 1n, INT_RANGE),
  bool('cluster-allow-replica-migration', true),
  bool('cluster-require-full-coverage', true),
  bool('cluster-replica-no-failover', false, { aliases: ['cluster-slave-no-failover'] }),
  bool('cluster-allow-reads-when-down', false),
  bool('cluster-allow-pubsubshard-when-down', true),
  num('cluster-link-sendbuf-limit', 0n, { min: 0n, max: ULLONG_MAX, unsigned: true, memory: true }),
  str('cluster-announce-hostname', null, { check: checkHostname }),
  str('cluster-announce-ip', null),
  num('cluster-announce-port', 0n, int(0n, 65535n)),
  num('cluster-announce-bus-port', 0n, int(0n, 65535n)),
  num('cluster-announce-tls-port', 0n, int(0n, 65535n)),
  enm('cluster-preferred-endpoint-type', enumSpec(['ip', 'hostname', 'unknown-endpoint']), 'ip'),

  // Logs and monitoring.
  num('slowlog-log-slower-than', 10000n, int(-1n, LLONG_MAX), { implemented: true }),
  num('slowlog-max-len', 128n, LONG_RANGE, { implemented: true }),
  num('latency-monitor-threshold', 0n, LONG_RANGE, { implemented: true }),
  bool('latency-tracking', true, { implemented: true }),
  latencyTrackingInfoPercentiles,
  notifyKeyspaceEvents,
  num('watchdog-period', 0n, INT_RANGE, { hidden: true }),
  bool('use-exit-on-panic', false, { hidden: true }),

  // Data structure encodings.
  num('hash-max-listpack-entries', 512n, sizeT(0n, LLONG_MAX), { aliases: ['hash-max-ziplist-entries'], implemented: true }),
  num('hash-max-listpack-value', 64n, sizeT(0n, LLONG_MAX, true), { aliases: ['hash-max-ziplist-value'], implemented: true }),
  num('list-max-listpack-size', -2n, int(INT_MIN, INT_MAX), { aliases: ['list-max-ziplist-size'], implemented: true }),
  num('list-compress-depth', 0n, INT_RANGE, { implemented: true }),
  num('set-max-intset-entries', 512n, sizeT(0n, LLONG_MAX), { implemented: true }),
  num('zset-max-listpack-entries', 128n, sizeT(0n, LLONG_MAX), { aliases: ['zset-max-ziplist-entries'], implemented: true }),
  num('zset-max-listpack-value', 64n, sizeT(0n, LLONG_MAX, true), { aliases: ['zset-max-ziplist-value'], implemented: true }),
  num('hll-sparse-max-bytes', 3000n, sizeT(0n, LLONG_MAX, true), { implemented: true }),
  num('stream-node-max-bytes', 4096n, sizeT(0n, LLONG_MAX, true), { implemented: true }),
  num('stream-node-max-entries', 100n, LONG_RANGE, { implemented: true }),
  bool('activerehashing', true),
  num('active-expire-effort', 1n, int(1n, 10n), { implemented: true }),
  num('tracking-table-max-keys', 1000000n, sizeT(0n, LLONG_MAX)),
  num('lfu-log-factor', 10n, INT_RANGE, { implemented: true }),
  num('lfu-decay-time', 1n, INT_RANGE, { implemented: true }),

  // Active defragmentation: like a Redis built without its own jemalloc, echokv refuses to turn it
  // on (the JS heap is compacted by the garbage collector instead).
  bool('activedefrag', false, {}, (x) => (x
    ? 'Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified Jemalloc like the one shipped by default with the Redis source distribution'
    : null)),
  num('active-defrag-ignore-bytes', 100n * 1024n * 1024n, sizeT(1n, LLONG_MAX, true)),
  num('active-defrag-threshold-lower', 10n, int(0n, 1000n)),
  num('active-defrag-threshold-upper', 100n, int(0n, 1000n)),
  num('active-defrag-cycle-min', 1n, int(1n, 99n)),
  num('active-defrag-cycle-max', 25n, int(1n, 99n)),
  num('active-defrag-max-scan-fields', 1000n, int(1n, LLONG_MAX)),

  // TLS (echokv listens in plain TCP; these are accepted so a TLS-ready redis.conf starts).
  num('tls-port', 0n, int(0n, 65535n)),
  str('tls-cert-file', null),
  str('tls-key-file', null),
  str('tls-key-file-pass', null),
  str('tls-client-cert-file', null),
  str('tls-client-key-file', null),
  str('tls-client-key-file-pass', null),
  str('tls-dh-params-file', null),
  str('tls-ca-cert-file', null),
  str('tls-ca-cert-dir', null),
  enm('tls-auth-clients', enumSpec(['no', 'yes', 'optional']), 'yes'),
  bool('tls-replication', false),
  bool('tls-cluster', false),
  str('tls-protocols', null),
  str('tls-ciphers', null),
  str('tls-ciphersuites', null),
  bool('tls-prefer-server-ciphers', false),
  bool('tls-session-caching', true),
  num('tls-session-cache-size', 20480n, INT_RANGE),
  num('tls-session-cache-timeout', 300n, INT_RANGE),
];

/** Directives by every name they answer to (lowercase). */
export const DIRECTIVE_BY_NAME: ReadonlyMap<string, Directive> = (() => {
  const m = new Map<string, Directive>();
  for (const d of DIRECTIVES) {
    m.set(d.name, d);
    for (const a of d.aliases ?? []) m.set(a, d);
  }
  return m;
})();

/**
 * Lines only a config file may hold, which are not configuration values (CONFIG GET does not know
 * them): `include` is read by the loader; the others are kept for the subsystems that will act on
 * them, and reported as not implemented. The predicate is Redis's argument-count rule; a line
 * that fails it is a "Bad directive or wrong number of arguments".
 */
export const FILE_DIRECTIVES: ReadonlyMap<string, { argc: (n: number) => boolean; implemented: boolean }> = new Map([
  ['include', { argc: (n: number) => n === 1, implemented: true }],
  ['rename-command', { argc: (n: number) => n === 2, implemented: true }],
  ['user', { argc: (n: number) => n >= 1, implemented: false }],
  ['loadmodule', { argc: (n: number) => n >= 1, implemented: false }],
]);

/** Directives Redis 7.0 still accepts with one argument and ignores. */
export const DEPRECATED_DIRECTIVES: ReadonlySet<string> = new Set([
  'list-max-ziplist-entries', 'list-max-ziplist-value', 'lua-replicate-commands',
]);

export type { Args };
