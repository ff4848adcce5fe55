// The command table. Each command group (core/commands/*.ts) declares its commands as data:
// name, arity, flags, key positions, ACL categories and docs, next to the handler. The same data
// drives dispatch (arity, flags such as write/denyoom/loading/stale/noscript), COMMAND INFO/DOCS/
// GETKEYS, INFO commandstats, and later ACL and propagation, as Redis's src/commands/*.json do.

import type { Client } from './client.ts';
import type { LatencyHistogram } from './info.ts';

/** Flags as COMMAND INFO prints them. */
export type CommandFlag =
  | 'write' | 'readonly' | 'denyoom' | 'module' | 'admin' | 'pubsub' | 'noscript' | 'blocking'
  | 'loading' | 'stale' | 'skip_monitor' | 'skip_slowlog' | 'asking' | 'fast' | 'no_auth'
  | 'may_replicate' | 'no_mandatory_keys' | 'no_multi' | 'movablekeys' | 'allow_busy'
  | 'no_async_loading'
  // echokv-internal: never printed, but used by the server the way Redis uses CMD_* bits.
  | 'no_propagate' | 'sentinel' | 'only_sentinel';

// The order COMMAND INFO prints flags in (addReplyCommandFlags in src/server.c); flags not listed
// (may_replicate, sentinel, only_sentinel, no_propagate) are hidden there, as in Redis.
const INFO_FLAG_ORDER: readonly CommandFlag[] = [
  'write', 'readonly', 'denyoom', 'module', 'admin', 'pubsub', 'noscript', 'blocking', 'loading',
  'stale', 'skip_monitor', 'skip_slowlog', 'asking', 'fast', 'no_auth', 'no_mandatory_keys',
  'no_async_loading', 'no_multi', 'movablekeys', 'allow_busy',
];

/** ACL categories, without the '@'. */
export type AclCategory =
  | 'keyspace' | 'read' | 'write' | 'set' | 'sortedset' | 'list' | 'hash' | 'string' | 'bitmap'
  | 'hyperloglog' | 'geo' | 'stream' | 'pubsub' | 'admin' | 'fast' | 'slow' | 'blocking'
  | 'dangerous' | 'connection' | 'transaction' | 'scripting';

export const ACL_CATEGORIES: readonly AclCategory[] = [
  'keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap',
  'hyperloglog', 'geo', 'stream', 'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous',
  'connection', 'transaction', 'scripting',
];

/** Redis's key-spec flags (COMMAND INFO key specifications). */
export type KeySpecFlag =
  | 'RW' | 'RO' | 'OW' | 'RM' | 'ACCESS' | 'UPDATE' | 'INSERT' | 'DELETE' | 'NOT_KEY'
  | 'INCOMPLETE' | 'VARIABLE_FLAGS';

export type Handler = (c: Client, argv: string[]) => void;

export interface CommandSpec {
  /** Lowercase name; for a subcommand, the part after the container ("get" of CONFIG GET). */
  name: string;
  /** Redis's arity: exact count including the name when positive, a minimum when negative. */
  arity: number;
  flags: readonly CommandFlag[];
  /** Explicit ACL categories; the ones implied by flags (write, read, fast, slow, admin,
   * dangerous, pubsub, blocking) are added automatically, as Redis does. */
  categories: readonly AclCategory[];
  /** First key, last key (negative counts from the end), step; [0, 0, 0] when no keys. */
  keys?: readonly [number, number, number];
  /** Key-spec flags for COMMAND INFO; defaults follow from the write/readonly flags. */
  keyFlags?: readonly KeySpecFlag[];
  /** Finds the keys of commands whose key positions depend on the arguments (movablekeys). */
  getKeys?: (argv: readonly string[]) => number[];
  /** COMMAND DOCS fields. */
  summary: string;
  since: string;
  group: string;
  complexity?: string;
  /** Usage after the name, Redis docs style: `key value [NX | XX] [GET]`. */
  args?: string;
  /** COMMAND INFO tips, e.g. `nondeterministic_output`, `request_policy:all_shards`. */
  tips?: readonly string[];
  /** COMMAND DOCS extras, as in Redis's JSON: [version, change] pairs, `deprecated`/`syscmd`,
   * and for deprecated commands the version and the replacement text. */
  history?: readonly (readonly [string, string])[];
  docFlags?: readonly ('deprecated' | 'syscmd')[];
  deprecatedSince?: string;
  replacedBy?: string;
  handler?: Handler;
  subcommands?: CommandSpec[];
}

/** Per-command counters for INFO commandstats and errorstats. */
export interface CommandStats {
  calls: number;
  usec: number;
  rejected: number;
  failed: number;
  /** Latency histogram for INFO latencystats, made on the first call (latency-tracking). */
  latency?: LatencyHistogram;
}

export class Command {
  readonly spec: CommandSpec;
  /** "get", or "config|get" for a subcommand. */
  readonly fullname: string;
  readonly name: string;
  readonly arity: number;
  readonly handler: Handler | undefined;
  readonly parent: Command | null;
  readonly subcommands: Map<string, Command> | null;
  readonly categories: readonly AclCategory[];
  readonly isWrite: boolean;
  readonly isReadonly: boolean;
  readonly denyOom: boolean;
  readonly allowLoading: boolean;
  readonly allowStale: boolean;
  readonly noAuth: boolean;
  readonly isAdmin: boolean;
  readonly noPropagate: boolean;
  readonly skipMonitor: boolean;
  readonly skipSlowlog: boolean;
  readonly stats: CommandStats = { calls: 0, usec: 0, rejected: 0, failed: 0 };

  constructor(spec: CommandSpec, parent: Command | null) {
    this.spec = spec;
    this.name = spec.name;
    this.parent = parent;
    this.fullname = parent ? `${parent.name}|${spec.name}` : spec.name;
    this.arity = spec.arity;
    this.handler = spec.handler;
    const f = new Set(spec.flags);
    this.isWrite = f.has('write');
    this.isReadonly = f.has('readonly');
    this.denyOom = f.has('denyoom');
    this.allowLoading = f.has('loading');
    this.allowStale = f.has('stale');
    this.noAuth = f.has('no_auth');
    this.isAdmin = f.has('admin');
    this.noPropagate = f.has('no_propagate');
    this.skipMonitor = f.has('skip_monitor');
    this.skipSlowlog = f.has('skip_slowlog');
    this.categories = implicitCategories(spec);
    if (spec.subcommands) {
      this.subcommands = new Map();
      for (const sub of spec.subcommands) this.subcommands.set(sub.name, new Command(sub, this));
    } else {
      this.subcommands = null;
    }
  }

  /** COMMAND INFO flags, in Redis's order. */
  get infoFlags(): string[] {
    const f = new Set<CommandFlag>(this.spec.flags);
    if (this.spec.getKeys) f.add('movablekeys');
    return INFO_FLAG_ORDER.filter((x) => f.has(x));
  }

  /** Positions of the keys in argv, as COMMAND GETKEYS reports them. */
  keyPositions(argv: readonly string[]): number[] {
    if (this.spec.getKeys) return this.spec.getKeys(argv);
    const k = this.spec.keys;
    if (!k || k[0] === 0) return [];
    const last = k[1] < 0 ? argv.length + k[1] : k[1];
    const out: number[] = [];
    for (let i = k[0]; i <= last && i < argv.length; i += k[2]) out.push(i);
    return out;
  }
}

/** Adds the categories Redis derives from flags (setImplicitACLCategories in src/server.c). */
function implicitCategories(spec: CommandSpec): AclCategory[] {
  const c = new Set<AclCategory>(spec.categories);
  const f = new Set(spec.flags);
  if (f.has('write')) c.add('write');
  // Redis marks readonly commands @read unless they are scripting commands.
  if (f.has('readonly') && !c.has('scripting')) c.add('read');
  if (f.has('admin')) {
    c.add('admin');
    c.add('dangerous');
  }
  if (f.has('pubsub')) c.add('pubsub');
  if (f.has('fast')) c.add('fast');
  if (f.has('blocking')) c.add('blocking');
  if (!c.has('fast')) c.add('slow');
  return ACL_CATEGORIES.filter((x) => c.has(x));
}

/** All commands by name; lookups are case-insensitive and cheap for the usual spellings. */
export class CommandTable {
  private readonly byName = new Map<string, Command>();
  private readonly all: Command[] = [];

  add(specs: readonly CommandSpec[]): void {
    for (const spec of specs) {
      if (spec.name !== spec.name.toLowerCase()) throw new Error(`Command name must be lowercase: ${spec.name}`);
      if (this.byName.has(spec.name)) throw new Error(`Command registered twice: ${spec.name}`);
      if (!spec.handler && !spec.subcommands) throw new Error(`Command has no handler: ${spec.name}`);
      const cmd = new Command(spec, null);
      this.byName.set(spec.name, cmd);
      this.byName.set(spec.name.toUpperCase(), cmd);
      this.all.push(cmd);
    }
  }

  /** The command named `name` in any letter case, or undefined. */
  get(name: string): Command | undefined {
    return this.byName.get(name) ?? this.byName.get(name.toLowerCase());
  }

  /** Top-level commands in registration order. */
  list(): readonly Command[] {
    return this.all;
  }

  get size(): number {
    return this.all.length;
  }
}
