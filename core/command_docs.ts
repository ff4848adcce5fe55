// COMMAND INFO and COMMAND DOCS from the command table (core/command.ts), in Redis 7.0's exact
// reply shapes (addReplyCommandInfo / addReplyCommandDocs in src/server.c).
//
// Each CommandSpec describes its arguments with a usage string in redis.io syntax, e.g.
//   key [NX | XX] [GET] [EX seconds | PX milliseconds | KEEPTTL]
// This file turns that string into Redis's argument tree (name, type, token, since, flags, nested
// arguments) for COMMAND DOCS, which redis-cli reads at start-up for its help and hints, and
// renders a tree back into the same syntax (tests compare echokv's and redis-server's trees that
// way). The grammar, as redis.io renders Redis's argument JSON:
//   [x]            optional
//   <a | b>        one of, required; `[a | b]` when optional; `TOKEN <a | b>` when tokened
//   TOKEN value    an argument introduced by a token (a word without lowercase letters)
//   TOKEN          a pure token (a flag such as NX or WITHSCORES)
//   x [x ...]      multiple; `TOKEN x [TOKEN x ...]` repeats the token too (multiple_token)
//   a b [a b ...]  a repeated block of several arguments
//   [TOKEN a b]    a block introduced by a token (also when repeated: the token is the block's)
//   name:type      an explicit type (integer, double, key, pattern, unix-time, string), for the
//                  few names the table below cannot guess
// redis.io shows different trees alike, and leaves out what COMMAND DOCS also says. These
// additions say it where Redis's JSON differs from what the plain syntax gives:
//   x@6.2.0        `since`, right after the whole argument: `[GET]@6.2.0`, `EX seconds@2.6.12`,
//                  `[NX | XX]@2.6.12`, `key [key ...]@7.0.0`; `x@-2.8.12` is `deprecated_since`
//                  (CLIENT KILL's old `ip:port` form)
//   name=x         the name of a group or pure token, before the whole argument, where it is not
//                  the default (a group's member names joined with '_', a token in lowercase):
//                  `wherefrom=<LEFT | RIGHT>`, `change=[CH]`, `equal==`
//   <a b>          a required block, one argument rather than several (`GROUP <group consumer>`,
//                  `trim=<...>`, a named alternative of a oneof)
//   {a b}          a block exactly as written: of a single argument (PSUBSCRIBE's `{pattern}`,
//                  CLIENT LIST's `ID {client-id [client-id ...]}`), or with the token left on its
//                  first member (GEORADIUS's `count=[{COUNT count [ANY]}]`, an untokened block)
// Rendering writes these only where the tree needs them, so a usage string written that way
// renders back unchanged. Command-level history, doc flags and deprecation come from the
// CommandSpec fields of the same names.

import type { Command, KeySpec, KeySpecFlag } from './command.ts';
import type { ReplyWriter } from './resp/writer.ts';

export type ArgType =
  | 'key' | 'string' | 'integer' | 'double' | 'pattern' | 'unix-time' | 'pure-token' | 'oneof'
  | 'block';

export type ArgFlag = 'optional' | 'multiple' | 'multiple_token';

export interface ArgDoc {
  name: string;
  type: ArgType;
  token?: string;
  /** The version that added the argument (`x@6.2.0`). */
  since?: string;
  /** The version that deprecated it (`x@-2.8.12`). */
  deprecatedSince?: string;
  /** Index into the command's key specs, for `key` arguments. */
  keySpecIndex?: number;
  flags: ArgFlag[];
  /** Members of a oneof or block. */
  arguments?: ArgDoc[];
}

const EXPLICIT_TYPES: ReadonlySet<string> = new Set([
  'key', 'string', 'integer', 'double', 'pattern', 'unix-time',
]);

// Argument names whose type is not `string`, with the type Redis's command JSON files give them
// most often (a usage string can say otherwise with `name:type`).
const KEY_NAMES: ReadonlySet<string> = new Set([
  'key', 'destination', 'source', 'newkey', 'destkey', 'sourcekey', 'key1', 'key2', 'dst', 'src',
]);
const INTEGER_NAMES: ReadonlySet<string> = new Set([
  'bit', 'bits', 'client-id', 'cluster_bus_port', 'config-epoch', 'count', 'cursor', 'db', 'decrement',
  'destination-db', 'end-slot', 'end', 'entries_added', 'entries_read', 'frequency', 'increment',
  'index', 'index1', 'index2', 'len', 'limit', 'milliseconds', 'ms', 'num-matches', 'numkeys',
  'numreplicas', 'offset', 'port', 'protover', 'rank', 'seconds', 'slot', 'start-slot', 'start',
  'stop', 'ttl', 'version', 'weight',
]);
const DOUBLE_NAMES: ReadonlySet<string> = new Set([
  'height', 'latitude', 'longitude', 'radius', 'score', 'timeout', 'width',
]);

function leafType(name: string): ArgType {
  if (KEY_NAMES.has(name)) return 'key';
  if (name === 'pattern') return 'pattern';
  if (name.startsWith('unix-time')) return 'unix-time';
  if (INTEGER_NAMES.has(name)) return 'integer';
  if (DOUBLE_NAMES.has(name)) return 'double';
  return 'string';
}

const BRACKETS: ReadonlySet<string> = new Set(['[', ']', '<', '>', '{', '}', '|', '...']);
const OPENING: Record<string, string> = { '[': ']', '<': '>', '{': '}' };

/** `@7.0.0` or `@-2.8.12`: the `since` or `deprecated_since` of the argument just before. */
function isSince(w: string): boolean {
  return /^@-?\d+\.\d+\.\d+$/.test(w);
}

/** Sets the version an `@` annotation gives. */
function setVersion(a: ArgDoc, w: string): void {
  if (w.startsWith('@-')) a.deprecatedSince = w.slice(2);
  else a.since = w.slice(1);
}

/** `condition=`: the name of the argument just after. */
function isName(w: string): boolean {
  return /^[a-z][a-z0-9_-]*=$/.test(w);
}

/** A word of the usage syntax that is a token: no lowercase letters (NX, WITHSCORES, *, ~, ""). */
function isTokenWord(w: string): boolean {
  if (BRACKETS.has(w) || isSince(w)) return false;
  return !/[a-z]/.test(w);
}

/** A word that becomes an argument (not a bracket, '|' or annotation). */
function isArgWord(w: string): boolean {
  return !BRACKETS.has(w) && !isSince(w) && !isName(w);
}

function tokenize(usage: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = usage.length;
  while (i < n) {
    const ch = usage[i];
    if (ch === ' ' || ch === '\t' || ch === '\n') {
      i++;
      continue;
    }
    if ('[]<>{}|'.includes(ch)) {
      out.push(ch);
      i++;
      continue;
    }
    if (usage.startsWith('...', i)) {
      out.push('...');
      i += 3;
      continue;
    }
    let j = i;
    while (j < n && !' \t\n[]<>{}|'.includes(usage[j]) && !usage.startsWith('...', j)) j++;
    let word = usage.slice(i, j);
    // `name=x` and `x@1.2.3` come apart into the annotation and the word they annotate.
    const named = /^([a-z][a-z0-9_-]*=)(.*)$/.exec(word);
    if (named) {
      out.push(named[1]);
      word = named[2];
    }
    const versions: string[] = [];
    for (let at = word.lastIndexOf('@'); at > 0 && isSince(word.slice(at)); at = word.lastIndexOf('@')) {
      versions.unshift(word.slice(at));
      word = word.slice(0, at);
    }
    if (word !== '') out.push(word);
    out.push(...versions);
    i = j;
  }
  return out;
}

class UsageError extends Error {}

/** Index of the bracket closing the one at `i`. */
function closing(toks: readonly string[], i: number, end: number): number {
  const open = toks[i];
  const close = OPENING[open];
  let depth = 0;
  for (let j = i; j < end; j++) {
    const t = toks[j];
    if (t in OPENING) depth++;
    else if (t === ']' || t === '>' || t === '}') {
      depth--;
      if (depth === 0) {
        if (t !== close) throw new UsageError(`mismatched '${open}'`);
        return j;
      }
    }
  }
  throw new UsageError(`unclosed '${open}'`);
}

interface Unit {
  /** The unit's tokens, its own `name=` and `@since` included. */
  start: number;
  end: number;
  /** The same without them: what `[x ...]` repeats of a single argument. */
  coreStart: number;
  coreEnd: number;
  /** null for a '|' separator. */
  arg: ArgDoc | null;
}

function sameTokens(toks: readonly string[], a0: number, a1: number, b0: number, b1: number): boolean {
  if (a1 - a0 !== b1 - b0) return false;
  for (let k = 0; k < a1 - a0; k++) if (toks[a0 + k] !== toks[b0 + k]) return false;
  return true;
}

function leaf(word: string): ArgDoc {
  const colon = word.lastIndexOf(':');
  if (colon > 0 && EXPLICIT_TYPES.has(word.slice(colon + 1))) {
    return { name: word.slice(0, colon), type: word.slice(colon + 1) as ArgType, flags: [] };
  }
  return { name: word, type: leafType(word), flags: [] };
}

function tokenName(token: string): string {
  return token === '' ? 'empty_string' : token.toLowerCase();
}

function pureToken(word: string): ArgDoc {
  const token = word === '""' ? '' : word;
  return { name: tokenName(token), type: 'pure-token', token, flags: [] };
}

function groupName(args: readonly ArgDoc[]): string {
  return args.map((a) => a.name).join('_');
}

/** The name an argument gets when the usage string does not give one. */
function defaultName(a: ArgDoc): string {
  if (a.type === 'pure-token') return tokenName(a.token ?? '');
  if (a.type === 'oneof' || a.type === 'block') return groupName(a.arguments ?? []);
  return a.name;
}

/** Whether a block of `args` takes the token of its first member (`TOKEN a b`). */
function takesToken(args: readonly ArgDoc[]): boolean {
  const first = args[0];
  return args.length > 1 && first.token !== undefined && first.type !== 'pure-token' &&
    first.type !== 'oneof' && first.flags.length === 0;
}

/**
 * Parses toks[s, e) as a sequence that may hold top-level '|' separators. Returns the
 * alternatives (one when there is no '|'), each a list of arguments, and whether the whole
 * content is repeated (`a | b [a | b ...]`).
 */
function parseContent(toks: readonly string[], s: number, e: number): { alts: ArgDoc[][]; repeated: boolean } {
  const units: Unit[] = [];
  let repeated = false;
  let i = s;
  while (i < e) {
    const start = i;
    let name: string | undefined;
    if (isName(toks[i])) {
      name = toks[i].slice(0, -1);
      i++;
      if (i >= e || !(toks[i] in OPENING || isArgWord(toks[i]))) throw new UsageError(`'${name}=' names nothing`);
    }
    const t = toks[i];
    if (t === '|') {
      units.push({ start: i, end: i + 1, coreStart: i, coreEnd: i + 1, arg: null });
      i++;
      continue;
    }
    if (t === ']' || t === '>' || t === '}' || t === '...' || isSince(t)) throw new UsageError(`unexpected '${t}'`);
    let arg: ArgDoc;
    if (t === '[' && toks[closing(toks, i, e) - 1] === '...') {
      // `X [X ...]`: the bracket repeats the units just before it.
      const j = closing(toks, i, e);
      if (name !== undefined) throw new UsageError(`'${name}=' names a repetition`);
      const r0 = i + 1;
      const r1 = j - 1;
      let matched = false;
      for (let k = 1; k <= units.length && !matched; k++) {
        const first = units[units.length - k];
        const last = units[units.length - 1];
        if (first.arg === null) continue;
        if (k === 1 ? sameTokens(toks, first.coreStart, first.coreEnd, r0, r1) : sameTokens(toks, first.start, last.end, r0, r1)) {
          const group = units.slice(units.length - k);
          if (group.some((u) => u.arg === null)) {
            if (k !== units.length || j + 1 !== e) throw new UsageError('a repeated oneof must be the whole group');
            repeated = true;
          } else {
            const a = k === 1 ? first.arg : asOne(group.map((u) => u.arg as ArgDoc));
            a.flags.push('multiple');
            if (a.token !== undefined && a.type !== 'pure-token') a.flags.push('multiple_token');
            if (k > 1) units.splice(units.length - k, k, { start: first.start, end: last.end, coreStart: first.start, coreEnd: last.end, arg: a });
          }
          matched = true;
        } else if (k === 1 && first.arg.token !== undefined && first.arg.type !== 'pure-token' &&
          sameTokens(toks, first.coreStart + 1, first.coreEnd, r0, r1)) {
          // `TOKEN x [x ...]`: the token once, then many values.
          first.arg.flags.push('multiple');
          matched = true;
        }
      }
      if (!matched) throw new UsageError(`'[... ...]' does not repeat what precedes it`);
      i = j + 1;
      // `x [x ...]@7.0.0`: the since of the repeated argument.
      for (; i < e && isSince(toks[i]); i++) {
        const u = units[units.length - 1];
        if (repeated || u.arg === null) throw new UsageError(`'${toks[i]}' after a repeated oneof`);
        setVersion(u.arg, toks[i]);
        u.end = i + 1;
      }
      continue;
    }
    const coreStart = i;
    if (t in OPENING) {
      const j = closing(toks, i, e);
      arg = t === '[' ? optionalGroup(toks, i + 1, j) : t === '<' ? requiredOneof(toks, i + 1, j) : exactBlock(toks, i + 1, j);
      i = j + 1;
    } else if (isTokenWord(t)) {
      const next = i + 1 < e ? toks[i + 1] : '';
      if (next === '<' || next === '{') {
        const j = closing(toks, i + 1, e);
        arg = next === '<' ? requiredOneof(toks, i + 2, j) : exactBlock(toks, i + 2, j);
        if (arg.token !== undefined) throw new UsageError(`two tokens on one argument: ${t} and ${arg.token}`);
        arg.token = t;
        i = j + 1;
      } else if (next !== '' && isArgWord(next) && !isTokenWord(next)) {
        arg = leaf(next);
        arg.token = t;
        i += 2;
      } else {
        arg = pureToken(t);
        i++;
      }
    } else {
      arg = leaf(t);
      i++;
    }
    const coreEnd = i;
    if (name !== undefined) {
      if (arg.type !== 'pure-token' && arg.type !== 'oneof' && arg.type !== 'block') {
        throw new UsageError(`'${name}=' names a ${arg.type} argument (its word is its name)`);
      }
      arg.name = name;
    }
    for (; i < e && isSince(toks[i]); i++) setVersion(arg, toks[i]);
    units.push({ start, end: i, coreStart, coreEnd, arg });
  }
  const alts: ArgDoc[][] = [[]];
  for (const u of units) {
    if (u.arg === null) alts.push([]);
    else alts[alts.length - 1].push(u.arg);
  }
  if (alts.some((a) => a.length === 0)) throw new UsageError("empty alternative around '|'");
  return { alts, repeated };
}

/** One argument from a list of arguments: itself, or a block holding them. */
function asOne(args: ArgDoc[]): ArgDoc {
  if (args.length === 1) return args[0];
  // `TOKEN a b`: a block introduced by the token (LIMIT offset count, AUTH username password).
  if (takesToken(args)) {
    const first = args[0];
    const inner: ArgDoc = { ...first, flags: [] };
    delete inner.token;
    const members = [inner, ...args.slice(1)];
    return { name: groupName(members), type: 'block', token: first.token, flags: [], arguments: members };
  }
  return { name: groupName(args), type: 'block', flags: [], arguments: args };
}

function oneof(alts: ArgDoc[][]): ArgDoc {
  const args = alts.map(asOne);
  return { name: groupName(args), type: 'oneof', flags: [], arguments: args };
}

function requiredOneof(toks: readonly string[], s: number, e: number): ArgDoc {
  const { alts, repeated } = parseContent(toks, s, e);
  const arg = alts.length > 1 ? oneof(alts) : asOne(alts[0]);
  if (repeated) arg.flags.push('multiple');
  return arg;
}

function optionalGroup(toks: readonly string[], s: number, e: number): ArgDoc {
  const { alts, repeated } = parseContent(toks, s, e);
  const arg = alts.length > 1 ? oneof(alts) : asOne(alts[0]);
  if (repeated) arg.flags.push('multiple');
  if (arg.flags.includes('optional')) {
    // `[[x]]` would lose a level; keep it as a block so it renders back the same.
    return { name: arg.name, type: 'block', flags: ['optional'], arguments: [arg] };
  }
  arg.flags.unshift('optional');
  return arg;
}

/** `{a b}`: a block of exactly these arguments, tokens staying where they are written. */
function exactBlock(toks: readonly string[], s: number, e: number): ArgDoc {
  const { alts, repeated } = parseContent(toks, s, e);
  if (alts.length > 1 || repeated) throw new UsageError("'|' directly inside '{...}'");
  return { name: groupName(alts[0]), type: 'block', flags: [], arguments: alts[0] };
}

/** Redis's argument tree for a usage string; throws an Error naming the problem when invalid. */
export function parseUsage(usage: string): ArgDoc[] {
  const toks = tokenize(usage);
  if (toks.length === 0) return [];
  try {
    const { alts, repeated } = parseContent(toks, 0, toks.length);
    if (alts.length > 1 || repeated) throw new UsageError("top-level '|' must be inside <...> or [...]");
    return alts[0];
  } catch (e) {
    if (e instanceof UsageError) throw new Error(`Invalid usage string ${JSON.stringify(usage)}: ${e.message}`);
    throw e;
  }
}

/**
 * Renders arguments back into the syntax above: what redis.io shows for Redis's JSON, plus the
 * `name=`, `@since` and `{...}` that tell apart trees redis.io shows alike.
 */
export function renderUsage(args: readonly ArgDoc[]): string {
  return args.map((a) => renderArg(a, false)).join(' ');
}

function renderArg(a: ArgDoc, inOneof: boolean): string {
  const members = a.arguments ?? [];
  // A block the plain syntax would not give back: one member (but `[[x]]`, see optionalGroup),
  // or a token left on the first.
  const nested = a.token === undefined && a.flags.includes('optional') && members.length === 1 &&
    members[0].flags.includes('optional');
  const exact = a.type === 'block' && ((members.length === 1 && !nested) || takesToken(members));
  let inner: string;
  if (exact) inner = `{${members.map((m) => renderArg(m, false)).join(' ')}}`;
  else if (a.type === 'block') inner = members.map((m) => renderArg(m, false)).join(' ');
  else if (a.type === 'oneof') inner = members.map((m) => renderArg(m, true)).join(' | ');
  else if (a.type === 'pure-token') inner = '';
  else inner = a.name;
  const optional = a.flags.includes('optional');
  const token = a.token === undefined ? undefined : a.token === '' ? '""' : a.token;
  const multiple = a.flags.includes('multiple');
  // A required block stays one argument only inside '<...>', but for an unnamed alternative of a
  // oneof (`a b | c`).
  const angle = (a.type === 'oneof' && (!optional || token !== undefined)) ||
    (a.type === 'block' && !exact && !optional && !multiple && (!inOneof || a.name !== defaultName(a)));
  let s = optional ? '[' : '';
  if (token !== undefined) s += a.type === 'pure-token' ? token : token + ' ';
  if (angle) s += '<';
  if (multiple) {
    s += a.flags.includes('multiple_token') ? `${inner} [${token} ${inner} ...]` : `${inner} [${inner} ...]`;
  } else {
    s += inner;
  }
  if (angle) s = s.trimEnd() + '>';
  if (optional) s = s.trimEnd() + ']';
  if (a.name !== defaultName(a)) s = `${a.name}=${s}`;
  if (a.since !== undefined) s += `@${a.since}`;
  if (a.deprecatedSince !== undefined) s += `@-${a.deprecatedSince}`;
  return s;
}

// ---------------------------------------------------------------------------------------------
// Replies

const argCache = new WeakMap<Command, ArgDoc[]>();

/**
 * The argument tree of a command (parsed once), its key arguments pointing at their key specs:
 * the arguments a spec names in `args` (SORT's BY/GET patterns) point at it, and the other key
 * arguments at the remaining specs in order, the last one shared by any further key arguments
 * (Redis's JSON gives RENAME's key 0 and newkey 1, ZUNIONSTORE's destination 0 and keys 1).
 */
export function commandArgs(cmd: Command): ArgDoc[] {
  let args = argCache.get(cmd);
  if (args === undefined) {
    args = cmd.spec.args === undefined || cmd.spec.args.trim() === '' ? [] : parseUsage(cmd.spec.args);
    const named = new Map<string, number>();
    const ordinal: number[] = [];
    cmd.keySpecs.forEach((ks, i) => {
      if (ks.args === undefined) ordinal.push(i);
      else for (const a of ks.args) named.set(a, i);
    });
    if (cmd.keySpecs.length > 0) markKeys(args, named, ordinal, { next: 0 });
    argCache.set(cmd, args);
  }
  return args;
}

function markKeys(args: readonly ArgDoc[], named: Map<string, number>, ordinal: number[], at: { next: number }): void {
  for (const a of args) {
    const explicit = named.get(a.name);
    if (explicit !== undefined) a.keySpecIndex = explicit;
    else if (a.type === 'key' && ordinal.length > 0) {
      a.keySpecIndex = ordinal[Math.min(at.next, ordinal.length - 1)];
      at.next++;
    }
    if (a.arguments) markKeys(a.arguments, named, ordinal, at);
  }
}

/** COMMAND DOCS for one command: a map (a flat array in RESP2). */
export function writeCommandDocs(out: ReplyWriter, cmd: Command): void {
  const spec = cmd.spec;
  const args = commandArgs(cmd);
  let n = 1; // group
  if (spec.summary) n++;
  if (spec.since) n++;
  if (spec.complexity) n++;
  if (spec.docFlags && spec.docFlags.length > 0) n++;
  if (spec.deprecatedSince) n++;
  if (spec.replacedBy) n++;
  if (spec.history && spec.history.length > 0) n++;
  if (args.length > 0) n++;
  if (cmd.subcommands !== null) n++;
  out.map(n);
  if (spec.summary) {
    out.bulk('summary');
    out.bulk(spec.summary);
  }
  if (spec.since) {
    out.bulk('since');
    out.bulk(spec.since);
  }
  out.bulk('group');
  out.bulk(spec.group);
  if (spec.complexity) {
    out.bulk('complexity');
    out.bulk(spec.complexity);
  }
  if (spec.docFlags && spec.docFlags.length > 0) {
    out.bulk('doc_flags');
    out.set(spec.docFlags.length);
    for (const f of spec.docFlags) out.simple(f);
  }
  if (spec.deprecatedSince) {
    out.bulk('deprecated_since');
    out.bulk(spec.deprecatedSince);
  }
  if (spec.replacedBy) {
    out.bulk('replaced_by');
    out.bulk(spec.replacedBy);
  }
  if (spec.history && spec.history.length > 0) {
    out.bulk('history');
    out.set(spec.history.length);
    for (const [version, change] of spec.history) {
      out.array(2);
      out.bulk(version);
      out.bulk(change);
    }
  }
  if (args.length > 0) {
    out.bulk('arguments');
    writeArgs(out, args);
  }
  if (cmd.subcommands !== null) {
    out.bulk('subcommands');
    out.map(cmd.subcommands.size);
    for (const sub of cmd.subcommands.values()) {
      out.bulk(sub.fullname);
      writeCommandDocs(out, sub);
    }
  }
}

function writeArgs(out: ReplyWriter, args: readonly ArgDoc[]): void {
  out.array(args.length);
  for (const a of args) {
    // The optional text fields, in Redis's order (key_spec_index, an integer, comes before them).
    const texts = [['token', a.token], ['since', a.since], ['deprecated_since', a.deprecatedSince]] as const;
    let n = 2;
    if (a.keySpecIndex !== undefined) n++;
    for (const [, v] of texts) if (v !== undefined) n++;
    if (a.flags.length > 0) n++;
    if (a.arguments) n++;
    out.map(n);
    out.bulk('name');
    out.bulk(a.name);
    out.bulk('type');
    out.bulk(a.type);
    if (a.keySpecIndex !== undefined) {
      out.bulk('key_spec_index');
      out.int(a.keySpecIndex);
    }
    for (const [field, v] of texts) {
      if (v === undefined) continue;
      out.bulk(field);
      out.bulk(v);
    }
    if (a.flags.length > 0) {
      out.bulk('flags');
      // Redis prints them in this order whatever the order they were declared in.
      const flags = (['optional', 'multiple', 'multiple_token'] as const).filter((f) => a.flags.includes(f));
      out.set(flags.length);
      for (const f of flags) out.simple(f);
    }
    if (a.arguments) {
      out.bulk('arguments');
      writeArgs(out, a.arguments);
    }
  }
}

const KEY_FLAG_ORDER: readonly KeySpecFlag[] = [
  'RO', 'RW', 'OW', 'RM', 'ACCESS', 'UPDATE', 'INSERT', 'DELETE', 'NOT_KEY', 'INCOMPLETE',
  'VARIABLE_FLAGS',
];

/** Key spec flags as Redis prints them (addReplyFlagsForKeyArgs): RO/RW/OW/RM in capitals, the
 * others in lowercase, in Redis's order whatever the order they were declared in. */
export function keySpecFlagNames(flags: readonly KeySpecFlag[]): string[] {
  return KEY_FLAG_ORDER.filter((x) => flags.includes(x)).map((x) => (x.length === 2 ? x : x.toLowerCase()));
}

/** The flags of a command's first key spec, as Redis prints them. */
export function keySpecFlags(cmd: Command): string[] {
  return keySpecFlagNames(cmd.keySpecs[0]?.flags ?? []);
}

/** One key spec of COMMAND INFO (addReplyCommandKeySpecs in src/server.c). */
function writeKeySpec(out: ReplyWriter, ks: KeySpec): void {
  out.map(ks.notes === undefined ? 3 : 4);
  if (ks.notes !== undefined) {
    out.bulk('notes');
    out.bulk(ks.notes);
  }
  out.bulk('flags');
  const kf = keySpecFlagNames(ks.flags);
  out.set(kf.length);
  for (const f of kf) out.simple(f);
  out.bulk('begin_search');
  out.map(2);
  out.bulk('type');
  const b = ks.begin;
  if (b === 'unknown') {
    out.bulk('unknown');
    out.bulk('spec');
    out.map(0);
  } else if (typeof b === 'number') {
    out.bulk('index');
    out.bulk('spec');
    out.map(1);
    out.bulk('index');
    out.int(b);
  } else {
    out.bulk('keyword');
    out.bulk('spec');
    out.map(2);
    out.bulk('keyword');
    out.bulk(b.keyword);
    out.bulk('startfrom');
    out.int(b.startFrom);
  }
  out.bulk('find_keys');
  out.map(2);
  out.bulk('type');
  const f = ks.find;
  if (f === 'unknown') {
    out.bulk('unknown');
    out.bulk('spec');
    out.map(0);
  } else if ('range' in f) {
    out.bulk('range');
    out.bulk('spec');
    out.map(3);
    out.bulk('lastkey');
    out.int(f.range[0]);
    out.bulk('keystep');
    out.int(f.range[1]);
    out.bulk('limit');
    out.int(f.range[2]);
  } else {
    out.bulk('keynum');
    out.bulk('spec');
    out.map(3);
    out.bulk('keynumidx');
    out.int(f.keynum[0]);
    out.bulk('firstkey');
    out.int(f.keynum[1]);
    out.bulk('keystep');
    out.int(f.keynum[2]);
  }
}

/** COMMAND INFO for one command: the 10-element array, subcommands nested. */
export function writeCommandInfo(out: ReplyWriter, cmd: Command): void {
  const spec = cmd.spec;
  const k = spec.keys ?? [0, 0, 0];
  out.array(10);
  out.bulk(cmd.fullname);
  out.int(spec.arity);
  const flags = cmd.infoFlags;
  out.set(flags.length);
  for (const f of flags) out.simple(f);
  out.int(k[0]);
  out.int(k[1]);
  out.int(k[2]);
  out.set(cmd.categories.length);
  for (const c of cmd.categories) out.simple('@' + c);
  const tips = spec.tips ?? [];
  out.set(tips.length);
  for (const t of tips) out.bulk(t);
  // Redis replies with sets here in RESP3 (addReplyCommandKeySpecs/SubCommands).
  out.set(cmd.keySpecs.length);
  for (const ks of cmd.keySpecs) writeKeySpec(out, ks);
  if (cmd.subcommands === null) {
    out.set(0);
  } else {
    out.array(cmd.subcommands.size);
    for (const sub of cmd.subcommands.values()) writeCommandInfo(out, sub);
  }
}
