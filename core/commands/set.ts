// Set commands: https://redis.io/commands/?group=set
//
// Behaviour follows Redis 7.0's src/t_set.c: the order of its checks, the reply types per RESP
// version (SMEMBERS, SINTER, SUNION, SDIFF and SPOP with a count reply with RESP3 sets,
// SRANDMEMBER with arrays), what is propagated (SPOP as SREM, or DEL when it empties the set,
// several SREMs wrapped in MULTI/EXEC), the keyspace events, and the encodings (intset while every
// member is a canonical 64-bit integer and there are at most set-max-intset-entries of them,
// hashtable after; core/types/set.ts). Results are built the way Redis builds them (an intset
// first, converted as members demand), so an all-integer result comes out in ascending order as
// in Redis, and a stored result gets the encoding Redis would give it.
import type { CommandSpec } from '../command.ts';
import type { Client } from '../client.ts';
import { ERR } from '../errors.ts';
import type { Database, Entry } from '../keyspace.ts';
import type { ReplyWriter } from '../resp/writer.ts';
import { globMatch } from '../glob.ts';
import { parseCursor } from '../scan.ts';
import { SetValue } from '../types/set.ts';
import { parseScanOptions } from './generic.ts';
import { cutOff, eachDistinctPos, int64Of, randomCountArg, removeMembers, repeatsAllowed } from './hash.ts';
import { optIs } from '../bytes.ts';

export const commands: CommandSpec[] = [
  {
    name: 'sadd', arity: -3, flags: ['write', 'denyoom', 'fast'], categories: ['set'], keys: [1, 1, 1],
    keyFlags: ['RW', 'INSERT'],
    summary: 'Add one or more members to a set', since: '1.0.0', group: 'set',
    complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
    args: 'key member [member ...]', history: [['2.4.0', 'Accepts multiple `member` arguments.']], handler: sadd,
  },
  {
    name: 'srem', arity: -3, flags: ['write', 'fast'], categories: ['set'], keys: [1, 1, 1],
    keyFlags: ['RW', 'DELETE'],
    summary: 'Remove one or more members from a set', since: '1.0.0', group: 'set',
    complexity: 'O(N) where N is the number of members to be removed.', args: 'key member [member ...]',
    history: [['2.4.0', 'Accepts multiple `member` arguments.']], handler: srem,
  },
  {
    name: 'scard', arity: 2, flags: ['readonly', 'fast'], categories: ['set'], keys: [1, 1, 1],
    keyFlags: ['RO'],
    summary: 'Get the number of members in a set', since: '1.0.0', group: 'set', complexity: 'O(1)',
    args: 'key', handler: scard,
  },
  {
    name: 'sismember', arity: 3, flags: ['readonly', 'fast'], categories: ['set'], keys: [1, 1, 1],
    keyFlags: ['RO'],
    summary: 'Determine if a given value is a member of a set', since: '1.0.0', group: 'set', complexity: 'O(1)',
    args: 'key member', handler: sismember,
  },
  {
    name: 'smismember', arity: -3, flags: ['readonly', 'fast'], categories: ['set'], keys: [1, 1, 1],
    keyFlags: ['RO', 'ACCESS'],
    summary: 'Returns the membership associated with the given elements for a set', since: '6.2.0', group: 'set',
    complexity: 'O(N) where N is the number of elements being checked for membership',
    args: 'key member [member ...]', handler: smismember,
  },
  {
    name: 'smembers', arity: 2, flags: ['readonly'], categories: ['set'], keys: [1, 1, 1],
    keyFlags: ['RO', 'ACCESS'],
    summary: 'Get all the members in a set', since: '1.0.0', group: 'set',
    complexity: 'O(N) where N is the set cardinality.', args: 'key', tips: ['nondeterministic_output_order'],
    handler: smembers,
  },
  {
    name: 'srandmember', arity: -2, flags: ['readonly'], categories: ['set'], keys: [1, 1, 1],
    keyFlags: ['RO', 'ACCESS'],
    summary: 'Get one or multiple random members from a set', since: '1.0.0', group: 'set',
    complexity: 'Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.',
    args: 'key [count]@2.6.0', history: [['2.6.0', 'Added the optional `count` argument.']],
    tips: ['nondeterministic_output'], handler: srandmember,
  },
  {
    name: 'spop', arity: -2, flags: ['write', 'fast'], categories: ['set'], keys: [1, 1, 1],
    keyFlags: ['RW', 'ACCESS', 'DELETE'],
    summary: 'Remove and return one or multiple random members from a set', since: '1.0.0', group: 'set',
    complexity: 'Without the count argument O(1), otherwise O(N) where N is the value of the passed count.',
    args: 'key [count]@3.2.0', history: [['3.2.0', 'Added the `count` argument.']], tips: ['nondeterministic_output'],
    handler: spop,
  },
  {
    name: 'smove', arity: 4, flags: ['write', 'fast'], categories: ['set'], keys: [1, 2, 1],
    keySpecs: [
      { flags: ['RW', 'ACCESS', 'DELETE'], begin: 1, find: { range: [0, 1, 0] } },
      { flags: ['RW', 'INSERT'], begin: 2, find: { range: [0, 1, 0] } },
    ],
    summary: 'Move a member from one set to another', since: '1.0.0', group: 'set', complexity: 'O(1)',
    args: 'source destination member', handler: smove,
  },
  {
    name: 'sinter', arity: -2, flags: ['readonly'], categories: ['set'], keys: [1, -1, 1],
    keyFlags: ['RO', 'ACCESS'],
    summary: 'Intersect multiple sets', since: '1.0.0', group: 'set',
    complexity: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
    args: 'key [key ...]', tips: ['nondeterministic_output_order'], handler: sinter,
  },
  {
    name: 'sintercard', arity: -3, flags: ['readonly'], categories: ['set'],
    keySpecs: [{ flags: ['RO', 'ACCESS'], begin: 1, find: { keynum: [0, 1, 1] } }], getKeys: sintercardKeys,
    summary: 'Intersect multiple sets and return the cardinality of the result', since: '7.0.0', group: 'set',
    complexity: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
    args: 'numkeys key [key ...] [LIMIT limit]', handler: sintercard,
  },
  {
    name: 'sunion', arity: -2, flags: ['readonly'], categories: ['set'], keys: [1, -1, 1],
    keyFlags: ['RO', 'ACCESS'],
    summary: 'Add multiple sets', since: '1.0.0', group: 'set',
    complexity: 'O(N) where N is the total number of elements in all given sets.',
    args: 'key [key ...]', tips: ['nondeterministic_output_order'], handler: sunion,
  },
  {
    name: 'sdiff', arity: -2, flags: ['readonly'], categories: ['set'], keys: [1, -1, 1],
    keyFlags: ['RO', 'ACCESS'],
    summary: 'Subtract multiple sets', since: '1.0.0', group: 'set',
    complexity: 'O(N) where N is the total number of elements in all given sets.',
    args: 'key [key ...]', tips: ['nondeterministic_output_order'], handler: sdiff,
  },
  {
    name: 'sinterstore', arity: -3, flags: ['write', 'denyoom'], categories: ['set'], keys: [1, -1, 1],
    keySpecs: [
      { flags: ['RW', 'UPDATE'], begin: 1, find: { range: [0, 1, 0] } },
      { flags: ['RO', 'ACCESS'], begin: 2, find: { range: [-1, 1, 0] } },
    ],
    summary: 'Intersect multiple sets and store the resulting set in a key', since: '1.0.0', group: 'set',
    complexity: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
    args: 'destination key [key ...]', handler: sinterstore,
  },
  {
    name: 'sunionstore', arity: -3, flags: ['write', 'denyoom'], categories: ['set'], keys: [1, -1, 1],
    keySpecs: [
      { flags: ['OW', 'UPDATE'], begin: 1, find: { range: [0, 1, 0] } },
      { flags: ['RO', 'ACCESS'], begin: 2, find: { range: [-1, 1, 0] } },
    ],
    summary: 'Add multiple sets and store the resulting set in a key', since: '1.0.0', group: 'set',
    complexity: 'O(N) where N is the total number of elements in all given sets.',
    args: 'destination key [key ...]', handler: sunionstore,
  },
  {
    name: 'sdiffstore', arity: -3, flags: ['write', 'denyoom'], categories: ['set'], keys: [1, -1, 1],
    keySpecs: [
      { flags: ['OW', 'UPDATE'], begin: 1, find: { range: [0, 1, 0] } },
      { flags: ['RO', 'ACCESS'], begin: 2, find: { range: [-1, 1, 0] } },
    ],
    summary: 'Subtract multiple sets and store the resulting set in a key', since: '1.0.0', group: 'set',
    complexity: 'O(N) where N is the total number of elements in all given sets.',
    args: 'destination key [key ...]', handler: sdiffstore,
  },
  {
    name: 'sscan', arity: -3, flags: ['readonly'], categories: ['set'], keys: [1, 1, 1],
    keyFlags: ['RO', 'ACCESS'],
    summary: 'Incrementally iterate Set elements', since: '2.8.0', group: 'set',
    complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..',
    args: 'key cursor [MATCH pattern] [COUNT count]', tips: ['nondeterministic_output'], handler: sscan,
  },
];

// ---------------------------------------------------------------------------------------------
// Helpers

function notify(db: Database, event: string, key: string): void {
  db.ks.hooks.notify('s', event, key, db);
}

function maxIntset(c: Client): number {
  return c.server.config.num('set-max-intset-entries');
}

/** The set at `key` for reading; undefined when absent, null after WRONGTYPE. */
function setForRead(c: Client, key: string): SetValue | undefined | null {
  const e = c.db.lookupRead(key);
  if (e === undefined) return undefined;
  if (!(e.value instanceof SetValue)) {
    c.server.replyError(c, ERR.wrongType);
    return null;
  }
  return e.value;
}

/** The live entry at `key` for writing when it holds a set; undefined when absent, null after
 * WRONGTYPE. */
function setEntryForWrite(c: Client, key: string): Entry | undefined | null {
  const e = c.db.lookupWrite(key);
  if (e === undefined) return undefined;
  if (!(e.value instanceof SetValue)) {
    c.server.replyError(c, ERR.wrongType);
    return null;
  }
  return e;
}

/** Writes a set's members as a RESP3 set (a RESP2 array), in its iteration order. */
function writeMembers(out: ReplyWriter, s: SetValue): void {
  out.set(s.size);
  s.writeAll(out);
}

/** One SREM per member: server.call wraps several in MULTI/EXEC, as Redis 7.0 does. */
function propagateSrems(c: Client, key: string, members: string[]): void {
  const ops: string[][] = [];
  for (const m of members) ops.push(['SREM', key, m]);
  c.server.propagateAs = ops;
}

/** COMMAND GETKEYS for SINTERCARD: numkeys keys after the count (none when it is invalid). */
function sintercardKeys(argv: readonly string[]): number[] {
  const n = int64Of(argv[1] ?? '');
  if (typeof n !== 'number' || n < 1 || n > argv.length - 2) return [];
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(2 + i);
  return out;
}

/**
 * The sets named by argv[from, to) (null for a missing key), or null after WRONGTYPE. Redis 7.0
 * looks every key up before it acts on a missing one, so a wrong type anywhere is reported.
 */
function lookupSets(c: Client, argv: string[], from: number, to: number): (SetValue | null)[] | null {
  const sets: (SetValue | null)[] = [];
  for (let i = from; i < to; i++) {
    const s = setForRead(c, argv[i]);
    if (s === null) return null;
    sets.push(s === undefined ? null : s);
  }
  return sets;
}

/**
 * The intersection, walking the smallest set (ties in key order) and testing each member against
 * the others, as Redis does: its members in that set's order. Stops after `limit` (0: no limit).
 */
function intersection(sets: SetValue[], limit: number): string[] {
  const sorted = sets.slice().sort((a, b) => a.size - b.size);
  const first = sorted[0];
  const out: string[] = [];
  const n = first.size;
  outer: for (let i = 0; i < n; i++) {
    const m = first.at(i);
    for (let j = 1; j < sorted.length; j++) {
      const other = sorted[j];
      if (other !== first && !other.has(m)) continue outer;
    }
    out.push(m);
    if (limit > 0 && out.length >= limit) break;
  }
  return out;
}

/** The members of `members` as a set built the way Redis builds results (an intset first). */
function buildSet(members: string[], max: number): SetValue {
  const s = new SetValue();
  for (let i = 0; i < members.length; i++) s.add(members[i], max);
  return s;
}

function unionOf(sets: (SetValue | null)[], max: number): SetValue {
  const out = new SetValue();
  for (const s of sets) {
    if (s === null) continue;
    for (let i = 0; i < s.size; i++) out.add(s.at(i), max);
  }
  return out;
}

/**
 * SDIFF as Redis computes it, which matters for the result's encoding: it picks between walking
 * the first set and testing each member against the others, and (when the first set is large
 * next to the others) copying the whole first set and removing the others' members, which can
 * leave a hashtable holding a few integers where the first way builds an intset.
 */
function differenceOf(sets: (SetValue | null)[], max: number): SetValue {
  const out = new SetValue();
  const first = sets[0];
  if (first === null) return out;
  // A set subtracted from itself leaves nothing.
  for (let j = 1; j < sets.length; j++) if (sets[j] === first) return out;
  let walkWork = 0;
  let copyWork = 0;
  for (const s of sets) {
    if (s === null) continue;
    walkWork += first.size;
    copyWork += s.size;
  }
  // Redis gives the walk an advantage: it does less work when members are shared.
  if (Math.floor(walkWork / 2) <= copyWork) {
    const n = first.size;
    outer: for (let i = 0; i < n; i++) {
      const m = first.at(i);
      for (let j = 1; j < sets.length; j++) {
        const other = sets[j];
        if (other !== null && other.has(m)) continue outer;
      }
      out.add(m, max);
    }
    return out;
  }
  for (let i = 0; i < first.size; i++) out.add(first.at(i), max);
  for (let j = 1; j < sets.length && out.size > 0; j++) {
    const other = sets[j];
    if (other === null) continue;
    for (let i = 0; i < other.size; i++) out.delete(other.at(i));
  }
  return out;
}

/** SINTERSTORE with a missing source: the destination goes, its event before the reply (Redis
 * returns early here, in another order than storeResult's). */
function storeNothing(c: Client, dstKey: string): void {
  const db = c.db;
  const dirty = db.ks.dirty;
  if (db.delete(dstKey)) {
    db.ks.hooks.notify('g', 'del', dstKey, db);
    db.ks.dirty = dirty + 1;
  }
  c.out.int(0);
}

/** Stores a SINTERSTORE/SUNIONSTORE/SDIFFSTORE result, or deletes the destination when it is
 * empty; replies with the size. Events follow the reply, as in Redis. */
function storeResult(c: Client, dstKey: string, result: SetValue, event: string): void {
  const db = c.db;
  const ks = db.ks;
  const dirty = ks.dirty;
  if (result.size > 0) {
    result.trim();
    // setKey: an expired destination is expired first; any old value and TTL are replaced.
    db.lookupWrite(dstKey);
    db.set(dstKey, result);
    c.out.int(result.size);
    notify(db, event, dstKey);
    ks.dirty = dirty + 1;
  } else {
    c.out.int(0);
    if (db.delete(dstKey)) {
      ks.hooks.notify('g', 'del', dstKey, db);
      ks.dirty = dirty + 1;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Handlers

// SADD
function sadd(c: Client, argv: string[]): void {
  const db = c.db;
  const key = argv[1];
  const e = setEntryForWrite(c, key);
  if (e === null) return;
  const s = e === undefined ? SetValue.forMember(argv[2]) : e.value as SetValue;
  const max = s.encoding === 'intset' ? maxIntset(c) : 0;
  let added = 0;
  for (let i = 2; i < argv.length; i++) if (s.add(argv[i], max)) added++;
  if (added > 0) s.trim();
  const dirty = db.ks.dirty;
  // A new key always gets its first member, so it is added whenever it was absent.
  if (e === undefined) db.add(key, s);
  else if (added > 0) db.modified(key);
  if (added > 0) notify(db, 'sadd', key);
  db.ks.dirty = dirty + added;
  c.out.int(added);
}

// SREM
function srem(c: Client, argv: string[]): void {
  const db = c.db;
  const key = argv[1];
  const e = setEntryForWrite(c, key);
  if (e === null) return;
  if (e === undefined) {
    c.out.int(0);
    return;
  }
  c.out.int(removeMembers(db, key, e.value as SetValue, argv, 's', 'srem'));
}

// SCARD
function scard(c: Client, argv: string[]): void {
  const s = setForRead(c, argv[1]);
  if (s !== null) c.out.int(s === undefined ? 0 : s.size);
}

// SISMEMBER
function sismember(c: Client, argv: string[]): void {
  const s = setForRead(c, argv[1]);
  if (s !== null) c.out.int(s !== undefined && s.has(argv[2]) ? 1 : 0);
}

// SMISMEMBER
function smismember(c: Client, argv: string[]): void {
  const s = setForRead(c, argv[1]);
  if (s === null) return;
  const out = c.out;
  out.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) out.int(s !== undefined && s.has(argv[i]) ? 1 : 0);
}

// SMEMBERS
function smembers(c: Client, argv: string[]): void {
  // Redis runs SINTER with the one key.
  const s = setForRead(c, argv[1]);
  if (s === null) return;
  if (s === undefined) c.out.set(0);
  else writeMembers(c.out, s);
}

// SRANDMEMBER
function srandmember(c: Client, argv: string[]): void {
  if (argv.length > 3) {
    c.server.replyError(c, ERR.syntax);
    return;
  }
  if (argv.length === 3) {
    const count = randomCountArg(c, argv[2]);
    if (count !== null) srandmemberWithCount(c, argv[1], count);
    return;
  }
  const s = setForRead(c, argv[1]);
  if (s === null) return;
  if (s === undefined) c.out.nil();
  else c.out.bulk(s.randomMember());
}

function srandmemberWithCount(c: Client, key: string, count: number): void {
  const s = setForRead(c, key);
  if (s === null) return;
  const out = c.out;
  if (s === undefined || count === 0) {
    out.array(0);
    return;
  }
  const size = s.size;
  // A negative count: that many independent picks, repeats allowed (also how one pick goes).
  if (count < 0 || count === 1) {
    const n = Math.abs(count);
    if (!repeatsAllowed(c, n)) return;
    out.array(n);
    for (let k = 0; k < n; k++) {
      out.bulk(s.randomMember());
      if (cutOff(c, k)) return;
    }
    return;
  }
  // At least the whole set: all of it, in its order (ascending for an intset).
  if (count >= size) {
    out.array(size);
    for (let i = 0; i < size; i++) out.bulk(s.at(i));
    return;
  }
  out.array(count);
  eachDistinctPos(count, size, s, (p) => out.bulk(s.atPos(p)));
}

// SPOP
function spop(c: Client, argv: string[]): void {
  if (argv.length > 3) {
    c.server.replyError(c, ERR.syntax);
    return;
  }
  if (argv.length === 3) {
    spopWithCount(c, argv);
    return;
  }
  const db = c.db;
  const key = argv[1];
  const e = setEntryForWrite(c, key);
  if (e === null) return;
  if (e === undefined) {
    c.out.nil();
    return;
  }
  const s = e.value as SetValue;
  const member = s.popRandom();
  notify(db, 'spop', key);
  c.server.propagateAs = [['SREM', key, member]];
  c.out.bulk(member);
  const dirty = db.ks.dirty;
  if (s.size === 0) {
    db.delete(key);
    db.ks.hooks.notify('g', 'del', key, db);
  } else {
    db.modified(key);
  }
  db.ks.dirty = dirty + 1;
}

/** SPOP with the count: how many times bigger than the count what remains must be for the
 * pick-and-remove strategy; below, the members to keep are picked instead (Redis's
 * SPOP_MOVE_STRATEGY_MUL). */
const SPOP_MOVE_STRATEGY_MUL = 5;

function spopWithCount(c: Client, argv: string[]): void {
  // getPositiveLongFromObjectOrReply with one message for every failure.
  const v = int64Of(argv[2]);
  if (v === null || v < 0) {
    c.server.replyError(c, ERR.notPositive);
    return;
  }
  const count = Number(v);
  const db = c.db;
  const key = argv[1];
  const e = setEntryForWrite(c, key);
  if (e === null) return;
  const out = c.out;
  if (e === undefined || count === 0) {
    out.set(0);
    return;
  }
  const s = e.value as SetValue;
  const size = s.size;
  const ks = db.ks;
  const dirty = ks.dirty;
  notify(db, 'spop', key);
  if (count >= size) {
    // All of it, in the order SUNION of the one set would give, then the key goes.
    replyBuilt(c, unionOf([s], maxIntset(c)));
    db.delete(key);
    ks.hooks.notify('g', 'del', key, db);
    c.server.propagateAs = [['DEL', key]];
    ks.dirty = dirty + size;
    return;
  }
  const popped: string[] = [];
  const remaining = size - count;
  out.set(count);
  if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
    for (let k = 0; k < count; k++) {
      const m = s.popRandom();
      out.bulk(m);
      popped.push(m);
    }
    db.modified(key);
  } else {
    // Most of the set goes: pick the members that stay into a new set (whose encoding follows
    // them, as Redis's setTypeCreate and setTypeAdd decide), and return the rest.
    let kept: SetValue | null = null;
    const max = maxIntset(c);
    for (let k = 0; k < remaining; k++) {
      const m = s.popRandom();
      if (kept === null) kept = SetValue.forMember(m);
      kept.add(m, max);
    }
    for (let i = 0; i < s.size; i++) {
      const m = s.at(i);
      out.bulk(m);
      popped.push(m);
    }
    kept!.trim();
    db.update(key, e, kept!);
  }
  propagateSrems(c, key, popped);
  ks.dirty = dirty + count;
}

// SMOVE
function smove(c: Client, argv: string[]): void {
  const db = c.db;
  const srcKey = argv[1];
  const dstKey = argv[2];
  const member = argv[3];
  const src = db.lookupWrite(srcKey);
  const dst = db.lookupWrite(dstKey);
  if (src === undefined) {
    c.out.int(0);
    return;
  }
  if (!(src.value instanceof SetValue) || (dst !== undefined && !(dst.value instanceof SetValue))) {
    c.server.replyError(c, ERR.wrongType);
    return;
  }
  const from = src.value;
  if (src === dst) {
    c.out.int(from.has(member) ? 1 : 0);
    return;
  }
  if (!from.delete(member)) {
    c.out.int(0);
    return;
  }
  const ks = db.ks;
  const dirty = ks.dirty;
  notify(db, 'srem', srcKey);
  if (from.size === 0) {
    db.delete(srcKey);
    ks.hooks.notify('g', 'del', srcKey, db);
  } else {
    db.modified(srcKey);
  }
  let to: SetValue;
  if (dst === undefined) {
    to = SetValue.forMember(member);
    db.add(dstKey, to);
  } else {
    to = dst.value as SetValue;
  }
  let changes = 1;
  if (to.add(member, maxIntset(c))) {
    to.trim();
    changes++;
    if (dst !== undefined) db.modified(dstKey);
    notify(db, 'sadd', dstKey);
  }
  ks.dirty = dirty + changes;
  c.out.int(1);
}

// SINTER
function sinter(c: Client, argv: string[]): void {
  const sets = lookupSets(c, argv, 1, argv.length);
  if (sets === null) return;
  if (sets.includes(null)) {
    c.out.set(0);
    return;
  }
  const members = intersection(sets as SetValue[], 0);
  c.out.set(members.length);
  for (let i = 0; i < members.length; i++) c.out.bulk(members[i]);
}

// SINTERCARD
function sintercard(c: Client, argv: string[]): void {
  const nk = int64Of(argv[1]);
  if (nk === null || nk < 1) {
    c.server.replyError(c, ERR.numkeysNotPositive);
    return;
  }
  const numkeys = Number(nk);
  if (numkeys > argv.length - 2) {
    c.server.replyError(c, ERR.numkeysTooMany);
    return;
  }
  let limit = 0;
  for (let j = 2 + numkeys; j < argv.length; j++) {
    if (optIs(argv[j], 'limit') && j + 1 < argv.length) {
      j++;
      const l = int64Of(argv[j]);
      if (l === null || l < 0) {
        c.server.replyError(c, ERR.limitNegative);
        return;
      }
      limit = Number(l);
    } else {
      c.server.replyError(c, ERR.syntax);
      return;
    }
  }
  const sets = lookupSets(c, argv, 2, 2 + numkeys);
  if (sets === null) return;
  if (sets.includes(null)) {
    c.out.int(0);
    return;
  }
  c.out.int(intersection(sets as SetValue[], limit).length);
}

/**
 * Replies with a union or difference built for the reply. Redis builds it as a set object and
 * frees it lazily under lazyfree-lazy-server-del (sunionDiffGenericCommand), which INFO's
 * lazyfreed_objects counts like any value.
 */
function replyBuilt(c: Client, s: SetValue): void {
  writeMembers(c.out, s);
  const ks = c.db.ks;
  if (ks.lazyServerDel) ks.hooks.lazyFreed(s);
}

// SUNION
function sunion(c: Client, argv: string[]): void {
  const sets = lookupSets(c, argv, 1, argv.length);
  if (sets === null) return;
  replyBuilt(c, unionOf(sets, maxIntset(c)));
}

// SDIFF
function sdiff(c: Client, argv: string[]): void {
  const sets = lookupSets(c, argv, 1, argv.length);
  if (sets === null) return;
  replyBuilt(c, differenceOf(sets, maxIntset(c)));
}

// SINTERSTORE
function sinterstore(c: Client, argv: string[]): void {
  const sets = lookupSets(c, argv, 2, argv.length);
  if (sets === null) return;
  if (sets.includes(null)) {
    storeNothing(c, argv[1]);
    return;
  }
  storeResult(c, argv[1], buildSet(intersection(sets as SetValue[], 0), maxIntset(c)), 'sinterstore');
}

// SUNIONSTORE
function sunionstore(c: Client, argv: string[]): void {
  const sets = lookupSets(c, argv, 2, argv.length);
  if (sets === null) return;
  storeResult(c, argv[1], unionOf(sets, maxIntset(c)), 'sunionstore');
}

// SDIFFSTORE
function sdiffstore(c: Client, argv: string[]): void {
  const sets = lookupSets(c, argv, 2, argv.length);
  if (sets === null) return;
  storeResult(c, argv[1], differenceOf(sets, maxIntset(c)), 'sdiffstore');
}

// SSCAN
function sscan(c: Client, argv: string[]): void {
  const cursor = parseCursor(argv[2]);
  if (cursor === null) {
    c.server.replyError(c, ERR.invalidCursor);
    return;
  }
  // A missing key answers an empty scan before the options are looked at, as in Redis.
  const s = setForRead(c, argv[1]);
  if (s === null) return;
  const out = c.out;
  if (s === undefined) {
    out.array(2);
    out.bulk('0');
    out.array(0);
    return;
  }
  const opts = parseScanOptions(c, argv, 3, false);
  if (opts === null) return;
  const pattern = opts.pattern;
  const items: string[] = [];
  let next = '0';
  const source = s.scanSource();
  if (source === null) {
    // An intset comes whole, with cursor 0, whatever the cursor and COUNT, as in Redis; so does
    // a hashtable set small enough to be kept without its index (SMALL_SET in core/types/set.ts),
    // which a scan may do since COUNT is only a hint.
    for (let i = 0; i < s.size; i++) {
      const m = s.at(i);
      if (pattern === null || globMatch(pattern, m)) items.push(m);
    }
  } else {
    const batch: string[] = [];
    const ks = c.db.ks;
    next = ks.scans.step(source, cursor, opts.count, batch, ks.time);
    for (let k = 0; k < batch.length; k++) {
      const m = batch[k];
      if (pattern !== null && !globMatch(pattern, m)) continue;
      // Gone since the iterator read it ahead.
      if (s.has(m)) items.push(m);
    }
  }
  out.array(2);
  out.bulk(next);
  out.bulkArray(items);
}
