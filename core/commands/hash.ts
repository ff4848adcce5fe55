// Hash commands: https://redis.io/commands/?group=hash
//
// Behaviour follows Redis 7.0's src/t_hash.c: the order of its checks (which error wins), the
// reply shapes per RESP version (HGETALL a map, HRANDFIELD WITHVALUES pairs in RESP3), what is
// propagated (HINCRBYFLOAT as HSET with the result), the keyspace events, and the encoding: a
// hash is listpack-encoded until an insert makes it hold more than hash-max-listpack-entries
// fields, or a field or value longer than hash-max-listpack-value bytes arrives, and hashtable
// from then on (core/types/hash.ts). Listpack hashes reply in insertion order, as in Redis.
import type { CommandSpec } from '../command.ts';
import type { Client } from '../client.ts';
import { ERR, wrongArity } from '../errors.ts';
import type { Database, Entry } from '../keyspace.ts';
import { parseInt64 } from '../numbers.ts';
import { incrByFloatString, parseLongDouble } from '../long_double.ts';
import { globMatch } from '../glob.ts';
import { parseCursor } from '../scan.ts';
import { HashValue } from '../types/hash.ts';
import { parseScanOptions } from './generic.ts';
import { optIs } from '../bytes.ts';

export const commands: CommandSpec[] = [
  {
    name: 'hset', arity: -4, flags: ['write', 'denyoom', 'fast'], categories: ['hash'], keys: [1, 1, 1],
    keyFlags: ['RW', 'UPDATE'],
    summary: 'Set the string value of a hash field', since: '2.0.0', group: 'hash',
    complexity: 'O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.',
    args: 'key field value [field value ...]', history: [['4.0.0', 'Accepts multiple `field` and `value` arguments.']],
    handler: hset,
  },
  {
    name: 'hsetnx', arity: 4, flags: ['write', 'denyoom', 'fast'], categories: ['hash'], keys: [1, 1, 1],
    keyFlags: ['RW', 'INSERT'],
    summary: 'Set the value of a hash field, only if the field does not exist', since: '2.0.0', group: 'hash',
    complexity: 'O(1)', args: 'key field value', handler: hsetnx,
  },
  {
    name: 'hget', arity: 3, flags: ['readonly', 'fast'], categories: ['hash'], keys: [1, 1, 1],
    keyFlags: ['RO', 'ACCESS'],
    summary: 'Get the value of a hash field', since: '2.0.0', group: 'hash', complexity: 'O(1)',
    args: 'key field', handler: hget,
  },
  {
    name: 'hmget', arity: -3, flags: ['readonly', 'fast'], categories: ['hash'], keys: [1, 1, 1],
    keyFlags: ['RO', 'ACCESS'],
    summary: 'Get the values of all the given hash fields', since: '2.0.0', group: 'hash',
    complexity: 'O(N) where N is the number of fields being requested.', args: 'key field [field ...]',
    handler: hmget,
  },
  {
    name: 'hmset', arity: -4, flags: ['write', 'denyoom', 'fast'], categories: ['hash'], keys: [1, 1, 1],
    keyFlags: ['RW', 'UPDATE'],
    summary: 'Set multiple hash fields to multiple values', since: '2.0.0', group: 'hash',
    complexity: 'O(N) where N is the number of fields being set.', args: 'key field value [field value ...]',
    docFlags: ['deprecated'], deprecatedSince: '4.0.0', replacedBy: '`HSET` with multiple field-value pairs',
    handler: hmset,
  },
  {
    name: 'hdel', arity: -3, flags: ['write', 'fast'], categories: ['hash'], keys: [1, 1, 1],
    keyFlags: ['RW', 'DELETE'],
    summary: 'Delete one or more hash fields', since: '2.0.0', group: 'hash',
    complexity: 'O(N) where N is the number of fields to be removed.', args: 'key field [field ...]',
    history: [['2.4.0', 'Accepts multiple `field` arguments.']], handler: hdel,
  },
  {
    name: 'hlen', arity: 2, flags: ['readonly', 'fast'], categories: ['hash'], keys: [1, 1, 1],
    keyFlags: ['RO'],
    summary: 'Get the number of fields in a hash', since: '2.0.0', group: 'hash', complexity: 'O(1)',
    args: 'key', handler: hlen,
  },
  {
    name: 'hstrlen', arity: 3, flags: ['readonly', 'fast'], categories: ['hash'], keys: [1, 1, 1],
    keyFlags: ['RO'],
    summary: 'Get the length of the value of a hash field', since: '3.2.0', group: 'hash', complexity: 'O(1)',
    args: 'key field', handler: hstrlen,
  },
  {
    name: 'hexists', arity: 3, flags: ['readonly', 'fast'], categories: ['hash'], keys: [1, 1, 1],
    keyFlags: ['RO'],
    summary: 'Determine if a hash field exists', since: '2.0.0', group: 'hash', complexity: 'O(1)',
    args: 'key field', handler: hexists,
  },
  {
    name: 'hkeys', arity: 2, flags: ['readonly'], categories: ['hash'], keys: [1, 1, 1],
    keyFlags: ['RO', 'ACCESS'],
    summary: 'Get all the fields in a hash', since: '2.0.0', group: 'hash',
    complexity: 'O(N) where N is the size of the hash.', args: 'key', tips: ['nondeterministic_output_order'],
    handler: hkeys,
  },
  {
    name: 'hvals', arity: 2, flags: ['readonly'], categories: ['hash'], keys: [1, 1, 1],
    keyFlags: ['RO', 'ACCESS'],
    summary: 'Get all the values in a hash', since: '2.0.0', group: 'hash',
    complexity: 'O(N) where N is the size of the hash.', args: 'key', tips: ['nondeterministic_output_order'],
    handler: hvals,
  },
  {
    name: 'hgetall', arity: 2, flags: ['readonly'], categories: ['hash'], keys: [1, 1, 1],
    keyFlags: ['RO', 'ACCESS'],
    summary: 'Get all the fields and values in a hash', since: '2.0.0', group: 'hash',
    complexity: 'O(N) where N is the size of the hash.', args: 'key', tips: ['nondeterministic_output_order'],
    handler: hgetall,
  },
  {
    name: 'hincrby', arity: 4, flags: ['write', 'denyoom', 'fast'], categories: ['hash'], keys: [1, 1, 1],
    keyFlags: ['RW', 'ACCESS', 'UPDATE'],
    summary: 'Increment the integer value of a hash field by the given number', since: '2.0.0', group: 'hash',
    complexity: 'O(1)', args: 'key field increment', handler: hincrby,
  },
  {
    name: 'hincrbyfloat', arity: 4, flags: ['write', 'denyoom', 'fast'], categories: ['hash'], keys: [1, 1, 1],
    keyFlags: ['RW', 'ACCESS', 'UPDATE'],
    summary: 'Increment the float value of a hash field by the given amount', since: '2.6.0', group: 'hash',
    complexity: 'O(1)', args: 'key field increment:double', handler: hincrbyfloat,
  },
  {
    name: 'hrandfield', arity: -2, flags: ['readonly'], categories: ['hash'], keys: [1, 1, 1],
    keyFlags: ['RO', 'ACCESS'],
    summary: 'Get one or multiple random fields from a hash', since: '6.2.0', group: 'hash',
    complexity: 'O(N) where N is the number of fields returned', args: 'key options=[count [WITHVALUES]]',
    tips: ['nondeterministic_output'], handler: hrandfield,
  },
  {
    name: 'hscan', arity: -3, flags: ['readonly'], categories: ['hash'], keys: [1, 1, 1],
    keyFlags: ['RO', 'ACCESS'],
    summary: 'Incrementally iterate hash fields and associated values', since: '2.8.0', group: 'hash',
    complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..',
    args: 'key cursor [MATCH pattern] [COUNT count]', tips: ['nondeterministic_output'], handler: hscan,
  },
];

// ---------------------------------------------------------------------------------------------
// Helpers, some shared with core/commands/set.ts

/**
 * A canonical signed 64-bit integer (Redis's string2ll): a number when it has at most 15 digits
 * (exact), a bigint beyond, null when it is not one.
 */
export function int64Of(s: string): number | bigint | null {
  const n = s.length;
  if (n > 0 && n <= 16) {
    let i = s.charCodeAt(0) === 45 ? 1 : 0;
    if (i < n && n - i <= 15) {
      const first = s.charCodeAt(i);
      if (first === 48) return n === 1 ? 0 : null;
      let v = 0;
      for (; i < n; i++) {
        const d = s.charCodeAt(i) - 48;
        if (d < 0 || d > 9) return null;
        v = v * 10 + d;
      }
      return s.charCodeAt(0) === 45 ? -v : v;
    }
  }
  return parseInt64(s);
}

const LONG_MAX = 9223372036854775807n;
const HALF_LONG_MAX = LONG_MAX / 2n;

/**
 * The count of HRANDFIELD, SRANDMEMBER (Redis's getRangeLongFromObjectOrReply with the range
 * -LONG_MAX..LONG_MAX): a number (rounded beyond 2^53, which only ever compares with sizes),
 * or null after the error reply.
 */
export function randomCountArg(c: Client, s: string): number | null {
  const v = int64Of(s);
  if (v === null) {
    c.server.replyError(c, ERR.notInteger);
    return null;
  }
  if (typeof v === 'bigint' && (v < -LONG_MAX || v > LONG_MAX)) {
    c.server.replyError(c, ERR.longOutOfRange);
    return null;
  }
  return Number(v);
}

/**
 * Random picks with repetition (a negative count) produce |count| elements whatever the size of
 * the collection. Redis 7.0 builds such replies of any size, checking the client's output buffer
 * limit as it goes: over a hard limit the client is closed and the reply stops mid-run; with no
 * limit (the default for normal clients) it fills memory, and for counts near 2^63 never
 * finishes. echokv does the same under a hard limit, and without one refuses counts above this
 * with `ERR value is out of range` rather than stall every client while it fills memory.
 */
const MAX_RANDOM_REPEATS = 1 << 24;

/** Whether `n` random picks with repetition may be written to `c`; false after the error reply. */
export function repeatsAllowed(c: Client, n: number): boolean {
  if (n <= MAX_RANDOM_REPEATS || c.server.pubsub.hasHardLimit(c)) return true;
  c.server.replyError(c, ERR.valueOutOfRange);
  return false;
}

/**
 * Whether the reply being written, at its k-th pick, got `c` closed for its output buffer limit
 * (checked every 1024 picks): the loop then stops, as Redis's does on CLIENT_CLOSE_ASAP.
 */
export function cutOff(c: Client, k: number): boolean {
  return (k & 1023) === 1023 && c.server.pubsub.checkOutputLimit(c);
}

/** Calls `fn` with `n` distinct random positions of `v` (n < size, its size), in random order
 * (HRANDFIELD and SRANDMEMBER with a positive count). */
export function eachDistinctPos(
  n: number, size: number, v: { allPos(): number[]; randomPos(): number }, fn: (p: number) => void,
): void {
  if (n * 3 > size) {
    // Most of it: a partial shuffle of every position.
    const all = v.allPos();
    const picks = distinctRandom(n, size);
    for (let k = 0; k < picks.length; k++) fn(all[picks[k]]);
    return;
  }
  // A small part of it: random positions until `n` distinct ones.
  const seen = new Set<number>();
  while (seen.size < n) {
    const p = v.randomPos();
    if (seen.has(p)) continue;
    seen.add(p);
    fn(p);
  }
}

/** `n` distinct random indexes in [0, size), n < size, in random order. */
export function distinctRandom(n: number, size: number): number[] {
  const out: number[] = [];
  if (n * 3 > size) {
    // Most of the range: a partial Fisher-Yates shuffle of all indexes.
    const all = new Array<number>(size);
    for (let i = 0; i < size; i++) all[i] = i;
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(Math.random() * (size - i));
      const t = all[j];
      all[j] = all[i];
      all[i] = t;
      out.push(t);
    }
    return out;
  }
  // A small part of it: draw until n distinct indexes are found.
  const seen = new Set<number>();
  while (out.length < n) {
    const i = Math.floor(Math.random() * size);
    if (seen.has(i)) continue;
    seen.add(i);
    out.push(i);
  }
  return out;
}

function notify(db: Database, event: string, key: string): void {
  db.ks.hooks.notify('h', event, key, db);
}

/** The entry of the hash at `key` for writing; undefined when absent (the caller creates the
 * hash, as hashTypeLookupWriteOrCreate), null after WRONGTYPE. */
function hashEntryForWrite(c: Client, key: string): Entry | undefined | null {
  const e = c.db.lookupWrite(key);
  if (e !== undefined && !(e.value instanceof HashValue)) {
    c.server.replyError(c, ERR.wrongType);
    return null;
  }
  return e;
}

/** The hash at `key` for reading; undefined when absent, null after WRONGTYPE. */
function hashForRead(c: Client, key: string): HashValue | undefined | null {
  const e = c.db.lookupRead(key);
  if (e === undefined) return undefined;
  if (!(e.value instanceof HashValue)) {
    c.server.replyError(c, ERR.wrongType);
    return null;
  }
  return e.value;
}

/** Sets one field as hashTypeSet does: a field or value too long for a listpack converts first,
 * a listpack longer than hash-max-listpack-entries converts after, even when the field only got
 * a new value (a threshold lowered by CONFIG SET since the hash was built). True when the field
 * is new. */
function hashSet(c: Client, h: HashValue, field: string, value: string): boolean {
  if (h.encoding === 'hashtable') return h.set(field, value);
  const cfg = c.server.config;
  const maxValue = cfg.num('hash-max-listpack-value');
  if (field.length > maxValue || value.length > maxValue) h.toHashtable();
  const added = h.set(field, value);
  if (h.encoding === 'listpack' && h.size > cfg.num('hash-max-listpack-entries')) h.toHashtable();
  return added;
}

// ---------------------------------------------------------------------------------------------
// Handlers

// HSET
function hset(c: Client, argv: string[]): void {
  hsetGeneric(c, argv, true);
}

/** HSET and HMSET: the same but for the reply. */
function hsetGeneric(c: Client, argv: string[], isHset: boolean): void {
  const n = argv.length;
  if ((n & 1) === 1) {
    c.server.replyError(c, wrongArity(isHset ? 'hset' : 'hmset'));
    return;
  }
  const key = argv[1];
  const e = hashEntryForWrite(c, key);
  if (e === null) return;
  const h = e === undefined ? new HashValue() : e.value as HashValue;
  let created = 0;
  if (h.encoding === 'listpack') {
    // hashTypeTryConversion: any argument too long for a listpack converts before the writes.
    const cfg = c.server.config;
    const maxValue = cfg.num('hash-max-listpack-value');
    for (let i = 2; i < n; i++) {
      if (argv[i].length > maxValue) {
        h.toHashtable();
        break;
      }
    }
    for (let i = 2; i < n; i += 2) if (h.set(argv[i], argv[i + 1])) created++;
    if (h.encoding === 'listpack' && h.size > cfg.num('hash-max-listpack-entries')) h.toHashtable();
  } else {
    for (let i = 2; i < n; i += 2) if (h.set(argv[i], argv[i + 1])) created++;
  }
  if (created > 0) h.trim();
  const db = c.db;
  const dirty = db.ks.dirty;
  if (e === undefined) db.add(key, h);
  else db.modified(key);
  db.ks.dirty = dirty + ((n - 2) >> 1);
  // The reply goes before the event, as in Redis (a RESP3 client subscribed to its own events
  // sees them in this order).
  if (isHset) c.out.int(created);
  else c.out.ok();
  notify(db, 'hset', key);
}

// HSETNX
function hsetnx(c: Client, argv: string[]): void {
  const key = argv[1];
  const e = hashEntryForWrite(c, key);
  if (e === null) return;
  const h = e === undefined ? new HashValue() : e.value as HashValue;
  if (h.find(argv[2]) >= 0) {
    c.out.int(0);
    return;
  }
  hashSet(c, h, argv[2], argv[3]);
  h.trim();
  const db = c.db;
  if (e === undefined) db.add(key, h);
  else db.modified(key);
  c.out.int(1);
  notify(db, 'hset', key);
}

// HGET
function hget(c: Client, argv: string[]): void {
  const h = hashForRead(c, argv[1]);
  if (h === null) return;
  if (h === undefined) {
    c.out.nil();
    return;
  }
  const v = h.get(argv[2]);
  if (v === undefined) c.out.nil();
  else c.out.bulk(v);
}

// HMGET
function hmget(c: Client, argv: string[]): void {
  const h = hashForRead(c, argv[1]);
  if (h === null) return;
  const out = c.out;
  out.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const v = h === undefined ? undefined : h.get(argv[i]);
    if (v === undefined) out.nil();
    else out.bulk(v);
  }
}

// HMSET
function hmset(c: Client, argv: string[]): void {
  hsetGeneric(c, argv, false);
}

// HDEL
function hdel(c: Client, argv: string[]): void {
  const db = c.db;
  const key = argv[1];
  const e = db.lookupWrite(key);
  if (e === undefined) {
    c.out.int(0);
    return;
  }
  const h = e.value;
  if (!(h instanceof HashValue)) {
    c.server.replyError(c, ERR.wrongType);
    return;
  }
  c.out.int(removeMembers(db, key, h, argv, 'h', 'hdel'));
}

/**
 * HDEL and SREM: removes argv[2..] from the hash or set at `key`; an emptied key goes. Notifies
 * `event` (and `del` when the key went) and counts one change per member removed, as Redis's
 * hdelCommand and sremCommand do. Returns how many were removed.
 */
export function removeMembers(
  db: Database, key: string, value: { delete(m: string): boolean; readonly size: number },
  argv: string[], cls: string, event: string,
): number {
  let deleted = 0;
  let removed = false;
  for (let i = 2; i < argv.length; i++) {
    if (value.delete(argv[i])) {
      deleted++;
      if (value.size === 0) {
        removed = true;
        break;
      }
    }
  }
  if (deleted > 0) {
    const dirty = db.ks.dirty;
    if (removed) db.delete(key);
    else db.modified(key);
    db.ks.hooks.notify(cls, event, key, db);
    if (removed) db.ks.hooks.notify('g', 'del', key, db);
    db.ks.dirty = dirty + deleted;
  }
  return deleted;
}

// HLEN
function hlen(c: Client, argv: string[]): void {
  const h = hashForRead(c, argv[1]);
  if (h !== null) c.out.int(h === undefined ? 0 : h.size);
}

// HSTRLEN
function hstrlen(c: Client, argv: string[]): void {
  const h = hashForRead(c, argv[1]);
  if (h === null) return;
  c.out.int(h === undefined ? 0 : h.valueLength(argv[2]));
}

// HEXISTS
function hexists(c: Client, argv: string[]): void {
  const h = hashForRead(c, argv[1]);
  if (h !== null) c.out.int(h !== undefined && h.find(argv[2]) >= 0 ? 1 : 0);
}

// HKEYS
function hkeys(c: Client, argv: string[]): void {
  const h = hashForRead(c, argv[1]);
  if (h === null) return;
  const out = c.out;
  if (h === undefined) {
    out.array(0);
    return;
  }
  out.array(h.size);
  h.writeAll(out, true, false);
}

// HVALS
function hvals(c: Client, argv: string[]): void {
  const h = hashForRead(c, argv[1]);
  if (h === null) return;
  const out = c.out;
  if (h === undefined) {
    out.array(0);
    return;
  }
  out.array(h.size);
  h.writeAll(out, false, true);
}

// HGETALL
function hgetall(c: Client, argv: string[]): void {
  const h = hashForRead(c, argv[1]);
  if (h === null) return;
  const out = c.out;
  if (h === undefined) {
    out.map(0);
    return;
  }
  out.map(h.size);
  h.writeAll(out, true, true);
}

// HINCRBY
function hincrby(c: Client, argv: string[]): void {
  const incr = int64Of(argv[3]);
  if (incr === null) {
    c.server.replyError(c, ERR.notInteger);
    return;
  }
  const key = argv[1];
  const field = argv[2];
  const e = hashEntryForWrite(c, key);
  if (e === null) return;
  const h = e === undefined ? new HashValue() : e.value as HashValue;
  const old = h.get(field);
  let cur: number | bigint = 0;
  if (old !== undefined) {
    const v = int64Of(old);
    if (v === null) {
      c.server.replyError(c, ERR.hashNotInteger);
      return;
    }
    cur = v;
  }
  let result: string;
  if (typeof cur === 'number' && typeof incr === 'number') {
    // Both below 10^15 in magnitude: the sum is exact in a double.
    result = String(cur + incr);
  } else {
    const sum = BigInt(cur) + BigInt(incr);
    if (sum > LONG_MAX || sum < -LONG_MAX - 1n) {
      c.server.replyError(c, ERR.overflow);
      return;
    }
    result = sum.toString();
  }
  if (hashSet(c, h, field, result)) h.trim();
  const db = c.db;
  if (e === undefined) db.add(key, h);
  else db.modified(key);
  c.out.raw(':' + result + '\r\n');
  notify(db, 'hincrby', key);
}

// HINCRBYFLOAT
function hincrbyfloat(c: Client, argv: string[]): void {
  const incr = parseLongDouble(argv[3]);
  if (incr === null) {
    c.server.replyError(c, ERR.notFloat);
    return;
  }
  if (incr.inf) {
    c.server.replyError(c, ERR.valueNaNOrInf);
    return;
  }
  const key = argv[1];
  const field = argv[2];
  const e = hashEntryForWrite(c, key);
  if (e === null) return;
  const h = e === undefined ? new HashValue() : e.value as HashValue;
  const old = h.get(field);
  const sum = incrByFloatString(old !== undefined ? old : null, argv[3]);
  if (sum === 'invalid') {
    // The increment was valid, so the stored value is not.
    c.server.replyError(c, ERR.hashNotFloat);
    return;
  }
  if (sum === 'nan-or-inf') {
    c.server.replyError(c, ERR.incrFloatNaN);
    return;
  }
  if (hashSet(c, h, field, sum)) h.trim();
  const db = c.db;
  if (e === undefined) db.add(key, h);
  else db.modified(key);
  c.out.bulk(sum);
  notify(db, 'hincrbyfloat', key);
  // The result rather than the increment, so replicas and AOF replays never round differently.
  c.server.propagateAs = [['HSET', key, field, sum]];
}

// HRANDFIELD
function hrandfield(c: Client, argv: string[]): void {
  if (argv.length >= 3) {
    const count = randomCountArg(c, argv[2]);
    if (count === null) return;
    let withValues = false;
    if (argv.length > 4 || (argv.length === 4 && !optIs(argv[3], 'withvalues'))) {
      c.server.replyError(c, ERR.syntax);
      return;
    }
    if (argv.length === 4) {
      withValues = true;
      // Redis keeps count * 2 (the RESP2 reply length) within a long.
      const exact = int64Of(argv[2]);
      if (typeof exact === 'bigint' && (exact > HALF_LONG_MAX || exact < -HALF_LONG_MAX)) {
        c.server.replyError(c, ERR.valueOutOfRange);
        return;
      }
    }
    hrandfieldWithCount(c, argv[1], count, withValues);
    return;
  }
  const h = hashForRead(c, argv[1]);
  if (h === null) return;
  if (h === undefined) c.out.nil();
  else c.out.bulk(h.fieldAtPos(h.randomPos()));
}

function hrandfieldWithCount(c: Client, key: string, count: number, withValues: boolean): void {
  const h = hashForRead(c, key);
  if (h === null) return;
  const out = c.out;
  if (h === undefined || count === 0) {
    out.array(0);
    return;
  }
  const size = h.size;
  const pairs = withValues && out.proto === 3;
  // Positions (see HashValue.randomPos): pair indexes of a listpack, slots of a hashtable.
  const writeOne = (p: number): void => {
    if (pairs) out.array(2);
    out.bulk(h.fieldAtPos(p));
    if (withValues) out.bulk(h.valueAtPos(p));
  };
  const perItem = withValues && out.proto === 2 ? 2 : 1;
  // A negative count: that many independent picks, repeats allowed (also how one pick goes).
  if (count < 0 || count === 1) {
    const n = Math.abs(count);
    if (!repeatsAllowed(c, n)) return;
    out.array(n * perItem);
    for (let k = 0; k < n; k++) {
      writeOne(h.randomPos());
      if (cutOff(c, k)) return;
    }
    return;
  }
  // At least the whole hash: all of it, in its order.
  if (count >= size) {
    out.array(size * perItem);
    h.each((f, v) => {
      if (pairs) out.array(2);
      out.bulk(f);
      if (withValues) out.bulk(v);
    });
    return;
  }
  out.array(count * perItem);
  eachDistinctPos(count, size, h, writeOne);
}

// HSCAN
function hscan(c: Client, argv: string[]): void {
  const cursor = parseCursor(argv[2]);
  if (cursor === null) {
    c.server.replyError(c, ERR.invalidCursor);
    return;
  }
  // A missing key answers an empty scan before the options are looked at, as in Redis.
  const h = hashForRead(c, argv[1]);
  if (h === null) return;
  const out = c.out;
  if (h === undefined) {
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
  const source = h.scanSource();
  if (source === null) {
    // A listpack hash comes whole, with cursor 0, whatever the cursor and COUNT.
    const n = h.size;
    for (let i = 0; i < n; i++) {
      const f = h.fieldAt(i);
      if (pattern !== null && !globMatch(pattern, f)) continue;
      items.push(f, h.valueAt(i));
    }
  } else {
    const batch: string[] = [];
    const ks = c.db.ks;
    next = ks.scans.step(source, cursor, opts.count, batch, ks.time);
    for (let k = 0; k < batch.length; k++) {
      const f = batch[k];
      if (pattern !== null && !globMatch(pattern, f)) continue;
      // Gone since the iterator read it ahead.
      const v = h.get(f);
      if (v !== undefined) items.push(f, v);
    }
  }
  out.array(2);
  out.bulk(next);
  out.bulkArray(items);
}
