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

/**
 * One key specification, as Redis's commands JSON and COMMAND INFO describe it: where the search
 * for keys begins, how the keys are found from there, and what the command does with them.
 */
export interface KeySpec {
  flags: readonly KeySpecFlag[];
  /** Redis's explanation, printed first in COMMAND INFO. */
  notes?: string;
  /** begin_search: an argv index, a keyword searched for from `startFrom` (negative: backwards
   * from the end), or 'unknown' when only the command's own parser can tell. */
  begin: number | { readonly keyword: string; readonly startFrom: number } | 'unknown';
  /** find_keys, relative to where the search began: `range` [lastkey (negative: from the end),
   * keystep, limit], `keynum` [index of the count, first key, keystep], or 'unknown'. */
  find: { readonly range: readonly [number, number, number] } | { readonly keynum: readonly [number, number, number] } | 'unknown';
  /** COMMAND DOCS: the arguments this spec covers, when not simply the next key argument in order
   * (SORT's BY/GET patterns). */
  args?: readonly string[];
}

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
  /** Key-spec flags of the one key spec derived from `keys` when `keySpecs` is not given;
   * defaults follow from the write/readonly flags. */
  keyFlags?: readonly KeySpecFlag[];
  /** Redis's key specs, for commands whose keys one range from `keys` does not describe (several
   * specs, keyword or keynum searches, notes). Without it, one index/range spec comes from `keys`. */
  keySpecs?: readonly KeySpec[];
  /** Finds the keys of commands whose key positions depend on the arguments (movablekeys). */
  getKeys?: (argv: readonly string[]) => number[];
  /** The flags of the key at `pos` for specs marked VARIABLE_FLAGS (COMMAND GETKEYSANDFLAGS), as
   * Redis's getkeys procs report them from the arguments (SET ... GET, BITFIELD's operations). */
  keyFlagsOf?: (argv: readonly string[], pos: number) => readonly KeySpecFlag[];
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
  /** write, readonly or may_replicate: what a monitor or replica connection may not run. */
  readonly touchesKeyspace: boolean;
  readonly denyOom: boolean;
  readonly allowLoading: boolean;
  readonly allowStale: boolean;
  readonly noAuth: boolean;
  /** DEBUG: refused unless enable-debug-command allows it (Redis's CMD_PROTECTED, not in COMMAND INFO). */
  readonly isProtected: boolean;
  readonly isAdmin: boolean;
  /** CMD_FAST: its slow runs are LATENCY's "fast-command" events, not "command" ones. */
  readonly isFast: boolean;
  readonly noPropagate: boolean;
  readonly skipMonitor: boolean;
  readonly skipSlowlog: boolean;
  readonly stats: CommandStats = { calls: 0, usec: 0, rejected: 0, failed: 0 };
  /** Position of the first key (spec.keys), 0 when the command has none there. */
  readonly firstKey: number;
  /** The key specs COMMAND INFO prints: spec.keySpecs, or the one derived from spec.keys. */
  readonly keySpecs: readonly KeySpec[];

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
    this.touchesKeyspace = this.isWrite || this.isReadonly || f.has('may_replicate');
    this.denyOom = f.has('denyoom');
    this.allowLoading = f.has('loading');
    this.allowStale = f.has('stale');
    this.noAuth = f.has('no_auth');
    this.isProtected = parent === null && spec.name === 'debug';
    this.isAdmin = f.has('admin');
    this.isFast = f.has('fast');
    this.noPropagate = f.has('no_propagate');
    this.skipMonitor = f.has('skip_monitor');
    this.skipSlowlog = f.has('skip_slowlog');
    this.categories = implicitCategories(spec);
    this.firstKey = spec.keys?.[0] ?? 0;
    this.keySpecs = spec.keySpecs ?? derivedKeySpecs(spec);
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
    if (this.spec.keySpecs) {
      const found = keysFromSpecs(this.keySpecs, argv, false);
      if (found === null) return [];
      const out: number[] = [];
      for (let i = 0; i < found.length; i += 2) out.push(found[i]);
      return out;
    }
    const k = this.spec.keys;
    if (!k || k[0] === 0) return [];
    const last = k[1] < 0 ? argv.length + k[1] : k[1];
    const out: number[] = [];
    for (let i = k[0]; i <= last && i < argv.length; i += k[2]) out.push(i);
    return out;
  }

  /**
   * The keys in argv with their key-spec flags, as COMMAND GETKEYSANDFLAGS reports them
   * (getKeysFromCommandWithSpecs in src/db.c): complete specs without VARIABLE_FLAGS are
   * authoritative; otherwise the command's own key finder gives the positions, and each takes the
   * flags of the spec that finds it, of keyFlagsOf, or, for a key only an 'unknown' spec covers
   * (SORT's STORE destination), of the last spec, which is the one Redis's getkeys proc reports.
   */
  keysAndFlags(argv: readonly string[]): { pos: number; flags: readonly KeySpecFlag[] }[] {
    const specs = this.keySpecs;
    let complete = specs.length > 0;
    for (const s of specs) {
      if (s.begin === 'unknown' || s.find === 'unknown' || s.flags.includes('INCOMPLETE') ||
        s.flags.includes('VARIABLE_FLAGS')) complete = false;
    }
    const out: { pos: number; flags: readonly KeySpecFlag[] }[] = [];
    if (complete) {
      const found = keysFromSpecs(specs, argv, false);
      if (found !== null) {
        for (let i = 0; i < found.length; i += 2) out.push({ pos: found[i], flags: specs[found[i + 1]].flags });
        return out;
      }
    }
    const found = keysFromSpecs(specs, argv, true) ?? [];
    for (const pos of this.keyPositions(argv)) {
      let flags: readonly KeySpecFlag[] | undefined;
      if (this.spec.keyFlagsOf) flags = this.spec.keyFlagsOf(argv, pos);
      for (let i = 0; i < found.length && flags === undefined; i += 2) {
        if (found[i] === pos) flags = specs[found[i + 1]].flags;
      }
      out.push({ pos, flags: flags ?? specs[specs.length - 1]?.flags ?? [] });
    }
    return out;
  }
}

/** The one index/range key spec Redis 7.0 would derive from legacy [first, last, step]. */
function derivedKeySpecs(spec: CommandSpec): KeySpec[] {
  const k = spec.keys;
  if (k === undefined || k[0] <= 0) return [];
  return [{
    flags: spec.keyFlags ?? (spec.flags.includes('write') ? ['RW', 'UPDATE'] : spec.flags.includes('readonly') ? ['RO', 'ACCESS'] : ['RO']),
    begin: k[0],
    // Redis stores the last key relative to the first; negative values count from the end.
    find: { range: [k[1] < 0 ? k[1] : k[1] - k[0], k[2], 0] },
  }];
}

/**
 * Redis's getKeysUsingKeySpecs (src/db.c): the keys the complete specs find in argv, as flat
 * [position, spec index, ...] pairs in spec order. Specs whose search is 'unknown', or that point
 * outside argv, make the answer null (Redis then asks the command's own key finder), or with
 * `partial` are skipped; a keyword that is absent only skips its spec; NOT_KEY specs (channels)
 * are not keys.
 */
export function keysFromSpecs(specs: readonly KeySpec[], argv: readonly string[], partial: boolean): number[] | null {
  const out: number[] = [];
  for (let j = 0; j < specs.length; j++) {
    const s = specs[j];
    if (s.flags.includes('NOT_KEY')) continue;
    const first = beginSearch(s, argv);
    if (first === 0) continue; // the keyword is not there
    const range = first < 0 ? null : findKeys(s, argv, first);
    if (range === null) {
      if (partial) continue;
      return null;
    }
    for (let i = range[0]; i <= range[1]; i += range[2]) out.push(i, j);
  }
  return out;
}

/** Where a spec's keys start: an argv index, 0 when its keyword is absent, -1 when unknown. */
function beginSearch(s: KeySpec, argv: readonly string[]): number {
  const b = s.begin;
  if (b === 'unknown') return -1;
  if (typeof b === 'number') return b;
  const argc = argv.length;
  const from = b.startFrom > 0 ? b.startFrom : argc + b.startFrom;
  const to = b.startFrom > 0 ? argc - 1 : 0;
  const kw = b.keyword.toLowerCase();
  for (let i = from; i !== to; i = from <= to ? i + 1 : i - 1) {
    if (i >= argc || i < 1) break;
    if (argv[i].toLowerCase() === kw) return i + 1;
  }
  return 0;
}

/** [first, last, step] of a spec's keys from `first`, or null when it cannot say or they do not fit. */
function findKeys(s: KeySpec, argv: readonly string[], first: number): [number, number, number] | null {
  const f = s.find;
  const argc = argv.length;
  let last: number;
  let step: number;
  if (f === 'unknown') return null;
  if ('range' in f) {
    const [lastkey, keystep, limit] = f.range;
    step = keystep;
    if (lastkey >= 0) last = first + lastkey;
    else if (limit === 0) last = argc + lastkey;
    else last = first + (Math.trunc((argc - first) / limit) + lastkey);
  } else {
    const [numIdx, firstKey, keystep] = f.keynum;
    step = keystep;
    if (first + numIdx >= argc) return null;
    // string2ll: a canonical integer only.
    const text = argv[first + numIdx];
    const n = /^(0|-?[1-9][0-9]{0,18})$/.test(text) ? Number(text) : NaN;
    if (!(n >= 0)) return null;
    first += firstKey;
    last = first + n - 1;
  }
  if (last >= argc || last < first || first >= argc) return null;
  return [first, last, step];
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

/**
 * All commands by name; lookups are case-insensitive and cheap for the usual spellings. The
 * table that dispatches is the current one, which `rename-command` lines change (as Redis's
 * server.commands); the original names stay reachable for what echokv runs by name itself and
 * for replayed commands (as Redis's server.orig_commands and lookupCommandOrOriginal).
 */
export class CommandTable {
  private readonly byName = new Map<string, Command>();
  private readonly originals = new Map<string, Command>();
  private all: Command[] = [];

  add(specs: readonly CommandSpec[]): void {
    for (const spec of specs) {
      if (spec.name !== spec.name.toLowerCase()) throw new Error(`Command name must be lowercase: ${spec.name}`);
      if (this.originals.has(spec.name)) throw new Error(`Command registered twice: ${spec.name}`);
      if (!spec.handler && !spec.subcommands) throw new Error(`Command has no handler: ${spec.name}`);
      const cmd = new Command(spec, null);
      this.originals.set(spec.name, cmd);
      this.bind(spec.name, cmd);
      this.all.push(cmd);
    }
  }

  private bind(name: string, cmd: Command): void {
    this.byName.set(name.toLowerCase(), cmd);
    this.byName.set(name.toUpperCase(), cmd);
  }

  /** The command the name `name` (any letter case) runs now, or undefined. */
  get(name: string): Command | undefined {
    return this.byName.get(name) ?? this.byName.get(name.toLowerCase());
  }

  /** The command originally named `name`, renamed or not. */
  original(name: string): Command | undefined {
    return this.originals.get(name) ?? this.originals.get(name.toLowerCase());
  }

  /** The command `name` runs now, else the one it named originally (a replayed command). */
  getOrOriginal(name: string): Command | undefined {
    return this.get(name) ?? this.original(name);
  }

  /**
   * A `rename-command from to` line: `from` stops naming its command, and `to` names it unless
   * it is empty. Returns Redis's error text, or null.
   */
  rename(from: string, to: string): string | null {
    const cmd = from.includes('|') ? undefined : this.get(from);
    if (cmd === undefined) return 'No such command in rename-command';
    this.byName.delete(from.toLowerCase());
    this.byName.delete(from.toUpperCase());
    if (to === '') {
      this.all = this.all.filter((c) => c !== cmd);
      return null;
    }
    if (this.get(to) !== undefined) {
      // Redis has already dropped the old name when it finds the new one taken; start-up stops.
      return 'Target command name already exists';
    }
    this.bind(to, cmd);
    return null;
  }

  /** The current table's commands, in registration order. */
  list(): readonly Command[] {
    return this.all;
  }

  /** Every command, renamed or removed ones too. */
  everyCommand(): IterableIterator<Command> {
    return this.originals.values();
  }

  get size(): number {
    return this.all.length;
  }
}
