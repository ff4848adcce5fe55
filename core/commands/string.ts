// String commands: https://redis.io/commands/?group=string
//
// Behaviour follows Redis 7.0's src/t_string.c, including the order of its checks (which error
// wins when several apply), what it propagates (relative expiry rewritten to absolute time,
// INCRBYFLOAT as SET ... KEEPTTL, GETDEL as DEL) and how values end up encoded: commands that
// edit a value in place (APPEND, SETRANGE, and the bitmap commands) leave a MutableString, which
// Redis would show as "raw"; commands that store a whole new value leave a plain byte string.
import type { CommandSpec, KeySpecFlag } from '../command.ts';
import type { Client } from '../client.ts';
import { ERR, invalidExpire, wrongArity } from '../errors.ts';
import {
  type Database, type Entry, isString, MutableString, noNotify, stringLength, stringOf,
} from '../keyspace.ts';
import { INT64_MAX, INT64_MIN, intStr, parseInt64, parseInteger } from '../numbers.ts';
import { bytesToStr, cstr, strIntoBytes, strToBytes } from '../bytes.ts';
import { incrByFloatString } from '../long_double.ts';

export const commands: CommandSpec[] = [
  {
    name: 'get', arity: 2, flags: ['readonly', 'fast'], categories: ['string'], keys: [1, 1, 1],
    keyFlags: ['RO', 'ACCESS'],
    summary: 'Get the value of a key', since: '1.0.0', group: 'string', complexity: 'O(1)',
    args: 'key', handler: get,
  },
  {
    name: 'set', arity: -3, flags: ['write', 'denyoom'], categories: ['string'], keys: [1, 1, 1],
    history: [['2.6.12', 'Added the `EX`, `PX`, `NX` and `XX` options.'], ['6.0.0', 'Added the `KEEPTTL` option.'], ['6.2.0', 'Added the `GET`, `EXAT` and `PXAT` option.'], ['7.0.0', 'Allowed the `NX` and `GET` options to be used together.']],
    keySpecs: [{
      notes: 'RW and ACCESS due to the optional `GET` argument',
      flags: ['RW', 'ACCESS', 'UPDATE', 'VARIABLE_FLAGS'], begin: 1, find: { range: [0, 1, 0] },
    }],
    keyFlagsOf: setKeyFlags,
    summary: 'Set the string value of a key', since: '1.0.0', group: 'string', complexity: 'O(1)',
    args: 'key value:string condition=[NX | XX]@2.6.12 [GET]@6.2.0 expiration=[EX seconds@2.6.12 | PX milliseconds@2.6.12 | EXAT unix-time-seconds@6.2.0 | PXAT unix-time-milliseconds@6.2.0 | KEEPTTL@6.0.0]',
    handler: set,
  },
  {
    name: 'setnx', arity: 3, flags: ['write', 'denyoom', 'fast'], categories: ['string'], keys: [1, 1, 1],
    keyFlags: ['OW', 'INSERT'],
    summary: 'Set the value of a key, only if the key does not exist', since: '1.0.0', group: 'string',
    complexity: 'O(1)', args: 'key value:string', handler: setnx,
  },
  {
    name: 'setex', arity: 4, flags: ['write', 'denyoom'], categories: ['string'], keys: [1, 1, 1],
    keyFlags: ['OW', 'UPDATE'],
    summary: 'Set the value and expiration of a key', since: '2.0.0', group: 'string', complexity: 'O(1)',
    args: 'key seconds value:string', handler: setex,
  },
  {
    name: 'psetex', arity: 4, flags: ['write', 'denyoom'], categories: ['string'], keys: [1, 1, 1],
    keyFlags: ['OW', 'UPDATE'],
    summary: 'Set the value and expiration in milliseconds of a key', since: '2.6.0', group: 'string',
    complexity: 'O(1)', args: 'key milliseconds value:string', handler: psetex,
  },
  {
    name: 'mget', arity: -2, flags: ['readonly', 'fast'], categories: ['string'], keys: [1, -1, 1],
    keyFlags: ['RO', 'ACCESS'],
    summary: 'Get the values of all the given keys', since: '1.0.0', group: 'string',
    complexity: 'O(N) where N is the number of keys to retrieve.', args: 'key [key ...]',
    tips: ['request_policy:multi_shard'], handler: mget,
  },
  {
    name: 'mset', arity: -3, flags: ['write', 'denyoom'], categories: ['string'], keys: [1, -1, 2],
    keyFlags: ['OW', 'UPDATE'],
    summary: 'Set multiple keys to multiple values', since: '1.0.1', group: 'string',
    complexity: 'O(N) where N is the number of keys to set.', args: 'key value:string [key value:string ...]',
    tips: ['request_policy:multi_shard', 'response_policy:all_succeeded'], handler: mset,
  },
  {
    name: 'msetnx', arity: -3, flags: ['write', 'denyoom'], categories: ['string'], keys: [1, -1, 2],
    keyFlags: ['OW', 'INSERT'],
    summary: 'Set multiple keys to multiple values, only if none of the keys exist', since: '1.0.1',
    group: 'string', complexity: 'O(N) where N is the number of keys to set.',
    args: 'key value:string [key value:string ...]', tips: ['request_policy:multi_shard', 'response_policy:agg_min'],
    handler: msetnx,
  },
  {
    name: 'getset', arity: 3, flags: ['write', 'denyoom', 'fast'], categories: ['string'], keys: [1, 1, 1],
    docFlags: ['deprecated'], deprecatedSince: '6.2.0', replacedBy: '`SET` with the `!GET` argument',
    keyFlags: ['RW', 'ACCESS', 'UPDATE'],
    summary: 'Set the string value of a key and return its old value', since: '1.0.0', group: 'string',
    complexity: 'O(1)', args: 'key value:string', handler: getset,
  },
  {
    name: 'getdel', arity: 2, flags: ['write', 'fast'], categories: ['string'], keys: [1, 1, 1],
    keyFlags: ['RW', 'ACCESS', 'DELETE'],
    summary: 'Get the value of a key and delete the key', since: '6.2.0', group: 'string',
    complexity: 'O(1)', args: 'key', handler: getdel,
  },
  {
    name: 'getex', arity: -2, flags: ['write', 'fast'], categories: ['string'], keys: [1, 1, 1],
    keySpecs: [{
      notes: 'RW and UPDATE because it changes the TTL',
      flags: ['RW', 'ACCESS', 'UPDATE'], begin: 1, find: { range: [0, 1, 0] },
    }],
    summary: 'Get the value of a key and optionally set its expiration', since: '6.2.0', group: 'string',
    complexity: 'O(1)',
    args: 'key expiration=[EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST]',
    handler: getex,
  },
  {
    name: 'append', arity: 3, flags: ['write', 'denyoom', 'fast'], categories: ['string'], keys: [1, 1, 1],
    keyFlags: ['RW', 'INSERT'],
    summary: 'Append a value to a key', since: '2.0.0', group: 'string',
    complexity: 'O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.',
    args: 'key value:string', handler: append,
  },
  {
    name: 'strlen', arity: 2, flags: ['readonly', 'fast'], categories: ['string'], keys: [1, 1, 1],
    keyFlags: ['RO'],
    summary: 'Get the length of the value stored in a key', since: '2.2.0', group: 'string',
    complexity: 'O(1)', args: 'key', handler: strlen,
  },
  {
    name: 'getrange', arity: 4, flags: ['readonly'], categories: ['string'], keys: [1, 1, 1],
    keyFlags: ['RO', 'ACCESS'],
    summary: 'Get a substring of the string stored at a key', since: '2.4.0', group: 'string',
    complexity: 'O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.',
    args: 'key start end', handler: getrange,
  },
  {
    name: 'substr', arity: 4, flags: ['readonly'], categories: ['string'], keys: [1, 1, 1],
    docFlags: ['deprecated'], deprecatedSince: '2.0.0', replacedBy: '`GETRANGE`',
    keyFlags: ['RO', 'ACCESS'],
    summary: 'Get a substring of the string stored at a key', since: '1.0.0', group: 'string',
    complexity: 'O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.',
    args: 'key start end', handler: getrange,
  },
  {
    name: 'setrange', arity: 4, flags: ['write', 'denyoom'], categories: ['string'], keys: [1, 1, 1],
    keyFlags: ['RW', 'UPDATE'],
    summary: 'Overwrite part of a string at key starting at the specified offset', since: '2.2.0',
    group: 'string',
    complexity: 'O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.',
    args: 'key offset value:string', handler: setrange,
  },
  {
    name: 'incr', arity: 2, flags: ['write', 'denyoom', 'fast'], categories: ['string'], keys: [1, 1, 1],
    keyFlags: ['RW', 'ACCESS', 'UPDATE'],
    summary: 'Increment the integer value of a key by one', since: '1.0.0', group: 'string',
    complexity: 'O(1)', args: 'key', handler: incr,
  },
  {
    name: 'decr', arity: 2, flags: ['write', 'denyoom', 'fast'], categories: ['string'], keys: [1, 1, 1],
    keyFlags: ['RW', 'ACCESS', 'UPDATE'],
    summary: 'Decrement the integer value of a key by one', since: '1.0.0', group: 'string',
    complexity: 'O(1)', args: 'key', handler: decr,
  },
  {
    name: 'incrby', arity: 3, flags: ['write', 'denyoom', 'fast'], categories: ['string'], keys: [1, 1, 1],
    keyFlags: ['RW', 'ACCESS', 'UPDATE'],
    summary: 'Increment the integer value of a key by the given amount', since: '1.0.0', group: 'string',
    complexity: 'O(1)', args: 'key increment', handler: incrby,
  },
  {
    name: 'decrby', arity: 3, flags: ['write', 'denyoom', 'fast'], categories: ['string'], keys: [1, 1, 1],
    keyFlags: ['RW', 'ACCESS', 'UPDATE'],
    summary: 'Decrement the integer value of a key by the given number', since: '1.0.0', group: 'string',
    complexity: 'O(1)', args: 'key decrement', handler: decrby,
  },
  {
    name: 'incrbyfloat', arity: 3, flags: ['write', 'denyoom', 'fast'], categories: ['string'],
    keys: [1, 1, 1], keyFlags: ['RW', 'ACCESS', 'UPDATE'],
    summary: 'Increment the float value of a key by the given amount', since: '2.6.0', group: 'string',
    complexity: 'O(1)', args: 'key increment:double', handler: incrbyfloat,
  },
  {
    name: 'lcs', arity: -3, flags: ['readonly'], categories: ['string'], keys: [1, 2, 1],
    keyFlags: ['RO', 'ACCESS'],
    summary: 'Find longest common substring', since: '7.0.0', group: 'string',
    complexity: 'O(N*M) where N and M are the lengths of s1 and s2, respectively',
    args: 'key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]', handler: lcs,
  },
];

/** SET's key flags for COMMAND GETKEYSANDFLAGS (Redis's setGetKeys): GET makes it read the key. */
function setKeyFlags(argv: readonly string[]): readonly KeySpecFlag[] {
  for (let i = 3; i < argv.length; i++) if (token(argv[i]) === 'get') return ['RW', 'ACCESS', 'UPDATE'];
  return ['OW', 'UPDATE'];
}

// ---------------------------------------------------------------------------------------------
// Helpers shared with the bitmap commands

/** Option token in lower case, C-string semantics (see cstr). */
export function token(s: string): string {
  return cstr(s).toLowerCase();
}

/**
 * Redis's checkStringLength: growing a string to `size + append` bytes must stay within
 * proto-max-bulk-len. Replies with the error and returns false when it would not. The link to a
 * master is exempt (a replica applies what its master did).
 */
export function checkStringLength(c: Client, size: number, append: number): boolean {
  if (size + append <= c.server.config.num('proto-max-bulk-len')) return true;
  if (c.flags.has('master')) return true;
  c.server.replyError(c, ERR.stringTooLong);
  return false;
}

/**
 * The entry's value as a MutableString with room for `need` bytes, converting a plain string in
 * place (one copy, with spare capacity so following appends stay amortized O(1)). Bytes between
 * the old length and `need` are zero.
 */
export function mutableValue(e: Entry, need: number): MutableString {
  const v = e.value as string | MutableString;
  if (v instanceof MutableString) {
    v.embedded = false;
    if (need > v.len) {
      v.reserve(need);
      // The buffer past len may hold bytes from before; the gap must read as zeros.
      v.buf.fill(0, v.len, need);
    }
    return v;
  }
  const len = v.length;
  const m = new MutableString(new Uint8Array(0), 0);
  m.reserve(need > len ? need : len);
  strIntoBytes(v, m.buf, 0);
  m.len = len;
  e.value = m;
  return m;
}

/** A new MutableString of `len` zero bytes, allocated exactly (later growth is greedy). */
export function zeroString(len: number): MutableString {
  return new MutableString(new Uint8Array(len), len);
}

/**
 * True when start > end for two 64-bit integers given as text and as (maybe rounded) numbers.
 * Rounding can only merge neighbours, so exact comparison is needed only when they compare equal.
 */
export function startAfterEnd(start: number, end: number, startText: string, endText: string): boolean {
  if (start !== end) return start > end;
  if (Number.isSafeInteger(start)) return false;
  return BigInt(startText) > BigInt(endText);
}

const EMPTY = new Uint8Array(0);

/** A string value's bytes: the live buffer of a MutableString (no copy), else a copy. */
export function valueBytes(v: string | MutableString): Uint8Array {
  return typeof v === 'string' ? strToBytes(v) : v.buf.subarray(0, v.len);
}

/** A string-class keyspace event; no call at all while notifications are off (noNotify). */
function notify(db: Database, event: string, key: string): void {
  const hooks = db.ks.hooks;
  if (hooks.notify !== noNotify) hooks.notify('$', event, key, db);
}

/**
 * Redis's setKey for a whole new value (TTL dropped), with the "set" event: expired keys are
 * reaped first, as lookupKeyWrite does, so their expiry is reported and propagated.
 */
export function setValue(db: Database, key: string, value: string | MutableString): void {
  db.overwrite(key, value);
  notify(db, 'set', key);
}

function lazyDelName(c: Client, directive: string): string {
  return c.server.config.bool(directive) ? 'UNLINK' : 'DEL';
}

// Flags of SET and GETEX options (parseExtendedStringArgumentsOrReply in t_string.c).
const F_NX = 1;
const F_XX = 2;
const F_GET = 4;
const F_KEEPTTL = 8;
const F_PERSIST = 16;
const F_EX = 32;
const F_PX = 64;
const F_EXAT = 128;
const F_PXAT = 256;
const F_EXPIRE = F_EX | F_PX | F_EXAT | F_PXAT;

/** Where the expire argument was found by the last parseOptions (single-threaded scratch). */
let expireArg = '';

/**
 * Parses SET (`isSet`) or GETEX options from argv[start]; the rules for which combinations are
 * accepted are Redis's, e.g. EX twice is fine (the last wins) but EX with PX is a syntax error.
 * Returns the flags, or -1 after replying with the error.
 */
function parseOptions(c: Client, argv: string[], start: number, isSet: boolean): number {
  let flags = 0;
  for (let j = start; j < argv.length; j++) {
    const opt = token(argv[j]);
    const hasNext = j < argv.length - 1;
    if (opt === 'nx' && !(flags & F_XX) && isSet) {
      flags |= F_NX;
    } else if (opt === 'xx' && !(flags & F_NX) && isSet) {
      flags |= F_XX;
    } else if (opt === 'get' && isSet) {
      flags |= F_GET;
    } else if (opt === 'keepttl' && !(flags & (F_PERSIST | F_EXPIRE)) && isSet) {
      flags |= F_KEEPTTL;
    } else if (opt === 'persist' && !isSet && !(flags & (F_EXPIRE | F_KEEPTTL))) {
      flags |= F_PERSIST;
    } else if (opt === 'ex' && !(flags & (F_KEEPTTL | F_PERSIST | F_EXAT | F_PX | F_PXAT)) && hasNext) {
      flags |= F_EX;
      expireArg = argv[++j];
    } else if (opt === 'px' && !(flags & (F_KEEPTTL | F_PERSIST | F_EX | F_EXAT | F_PXAT)) && hasNext) {
      flags |= F_PX;
      expireArg = argv[++j];
    } else if (opt === 'exat' && !(flags & (F_KEEPTTL | F_PERSIST | F_EX | F_PX | F_PXAT)) && hasNext) {
      flags |= F_EXAT;
      expireArg = argv[++j];
    } else if (opt === 'pxat' && !(flags & (F_KEEPTTL | F_PERSIST | F_EX | F_EXAT | F_PX)) && hasNext) {
      flags |= F_PXAT;
      expireArg = argv[++j];
    } else {
      c.server.replyError(c, ERR.syntax);
      return -1;
    }
  }
  return flags;
}

/** The absolute expiry computed by the last expireAt(), exactly, for propagation. */
let expireText = '';

/**
 * Redis's getExpireMillisecondsOrReply: the absolute Unix time in ms for an EX/PX/EXAT/PXAT
 * argument, or -1 after replying with the error. Seconds beyond LLONG_MAX/1000 and relative
 * times whose sum with now overflows 64 bits are invalid, as in Redis (where the sum wraps).
 */
function expireAt(c: Client, arg: string, flags: number, command: string): number {
  const seconds = (flags & (F_EX | F_EXAT)) !== 0;
  const relative = (flags & (F_EX | F_PX)) !== 0;
  const now = Math.floor(c.db.ks.time);
  // Up to 12 characters the value is below 10^12: times 1000 plus now stays an exact double.
  const small = arg.length <= 12 ? parseInteger(arg) : null;
  if (small !== null) {
    if (small <= 0) {
      c.server.replyError(c, invalidExpire(command));
      return -1;
    }
    let ms = seconds ? small * 1000 : small;
    if (relative) ms += now;
    expireText = String(ms);
    return ms;
  }
  const big = parseInt64(arg);
  if (big === null) {
    c.server.replyError(c, ERR.notInteger);
    return -1;
  }
  if (big <= 0n || (seconds && big > INT64_MAX / 1000n)) {
    c.server.replyError(c, invalidExpire(command));
    return -1;
  }
  let ms = seconds ? big * 1000n : big;
  if (relative) ms = BigInt.asIntN(64, ms + BigInt(now));
  if (ms <= 0n) {
    c.server.replyError(c, invalidExpire(command));
    return -1;
  }
  expireText = ms.toString();
  return Number(ms);
}

/**
 * Replies with a string value. An edited one is sent from its bytes: no string is made, and it may
 * be longer than the longest string V8 can hold (SETRANGE or APPEND up to proto-max-bulk-len).
 */
function replyString(c: Client, v: string | MutableString): void {
  if (typeof v === 'string') c.out.bulk(v);
  else c.out.bulkRange(v.buf, 0, v.len);
}

/** The GET part of SET ... GET / GETSET: replies; false (after an error reply) on a wrong type. */
function replyOldValue(c: Client, key: string): boolean {
  const e = c.db.lookupRead(key);
  if (e === undefined) {
    c.out.nil();
    return true;
  }
  if (!isString(e.value)) {
    c.server.replyError(c, ERR.wrongType);
    return false;
  }
  replyString(c, e.value);
  return true;
}

/** Redis's checkAlreadyExpired: an absolute time not in the future deletes the key instead. */
function alreadyExpired(c: Client, ms: number): boolean {
  return ms <= c.db.ks.time && !c.server.loading && !c.db.ks.replicaMode;
}

/** SET/SETEX/PSETEX after option parsing: Redis's setGenericCommand. */
function setGeneric(c: Client, argv: string[], key: string, value: string, flags: number, ms: number): void {
  const db = c.db;
  if (flags & F_GET && !replyOldValue(c, key)) return;
  const found = db.lookupWrite(key) !== undefined;
  if ((flags & F_NX && found) || (flags & F_XX && !found)) {
    if (!(flags & F_GET)) c.out.nil();
    return;
  }
  const e = found ? db.set(key, value, (flags & F_KEEPTTL) !== 0) : db.add(key, value);
  notify(db, 'set', key);
  if (flags & F_EXPIRE) {
    db.setExpire(key, e, ms);
    // Replicas and the AOF get an absolute time, so a late replay expires at the same moment.
    c.server.propagateAs = [['SET', key, value, 'PXAT', expireText]];
    db.ks.hooks.notify('g', 'expire', key, db);
  } else if (flags & F_GET) {
    // GET changes nothing: propagate without it (each GET token after the value is dropped).
    const out: string[] = [argv[0], argv[1], argv[2]];
    for (let j = 3; j < argv.length; j++) if (token(argv[j]) !== 'get') out.push(argv[j]);
    c.server.propagateAs = [out];
  }
  if (!(flags & F_GET)) c.out.ok();
}

/** A canonical integer of at most 15 digits (exact in a double, no 64-bit overflow when added). */
function smallInt(s: string): number | null {
  const n = s.length;
  if (n === 0 || n > 16) return null;
  let i = 0;
  let neg = false;
  if (s.charCodeAt(0) === 45) {
    neg = true;
    i = 1;
    if (n === 1) return null;
  } else if (n > 15) {
    return null;
  }
  let c = s.charCodeAt(i);
  if (c === 48) return n === 1 ? 0 : null;
  let v = 0;
  for (; i < n; i++) {
    c = s.charCodeAt(i);
    if (c < 48 || c > 57) return null;
    v = v * 10 + (c - 48);
  }
  return neg ? -v : v;
}

/**
 * INCR/DECR/INCRBY/DECRBY: adds `incr` (exact: a small number, or `bigIncr` when given) to the
 * integer at argv[1]. Small values take a plain-number path; others use 64-bit BigInt checks.
 */
function incrDecr(c: Client, key: string, incr: number, bigIncr: bigint | null): void {
  const db = c.db;
  const e = db.lookupWrite(key);
  let result: string;
  if (e === undefined) {
    if (bigIncr === null) {
      result = intStr(incr);
    } else {
      result = bigIncr.toString();
    }
  } else {
    const v = e.value;
    if (!isString(v)) {
      c.server.replyError(c, ERR.wrongType);
      return;
    }
    // No integer is longer than 20 bytes: refuse a long in-place string without copying it.
    if (typeof v !== 'string' && v.len > 20) {
      c.server.replyError(c, ERR.notInteger);
      return;
    }
    const s = typeof v === 'string' ? v : v.toString();
    const cur = bigIncr === null ? smallInt(s) : null;
    if (cur !== null) {
      // Both below 10^15 in magnitude: the sum is exact and cannot overflow 64 bits.
      result = intStr(cur + incr);
    } else {
      const old = parseInt64(s);
      if (old === null) {
        c.server.replyError(c, ERR.notInteger);
        return;
      }
      const sum = old + (bigIncr ?? BigInt(incr));
      if (sum > INT64_MAX || sum < INT64_MIN) {
        c.server.replyError(c, ERR.overflow);
        return;
      }
      result = sum.toString();
    }
  }
  if (e === undefined) db.add(key, result);
  else db.update(key, e, result);
  notify(db, 'incrby', key);
  c.out.intText(result);
}

/**
 * The increment argument of INCRBY/DECRBY: a small number, or a bigint in `bigArg` for the rest
 * of the 64-bit range; null (after the error reply) when not an integer.
 */
let bigArg: bigint | null = null;
function parseIncrement(c: Client, s: string): number | null {
  bigArg = null;
  const small = smallInt(s);
  if (small !== null) return small;
  const big = parseInt64(s);
  if (big === null) {
    c.server.replyError(c, ERR.notInteger);
    return null;
  }
  bigArg = big;
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Handlers

// GET
function get(c: Client, argv: string[]): void {
  const e = c.db.lookupRead(argv[1]);
  if (e === undefined) {
    c.out.nil();
    return;
  }
  const v = e.value;
  if (typeof v === 'string') c.out.bulk(v);
  else if (v instanceof MutableString) c.out.bulkRange(v.buf, 0, v.len);
  else c.server.replyError(c, ERR.wrongType);
}

// SET
function set(c: Client, argv: string[]): void {
  if (argv.length === 3) {
    setValue(c.db, argv[1], argv[2]);
    c.out.ok();
    return;
  }
  const flags = parseOptions(c, argv, 3, true);
  if (flags < 0) return;
  let ms = 0;
  if (flags & F_EXPIRE) {
    ms = expireAt(c, expireArg, flags, 'set');
    if (ms < 0) return;
  }
  setGeneric(c, argv, argv[1], argv[2], flags, ms);
}

// SETNX
function setnx(c: Client, argv: string[]): void {
  const db = c.db;
  const key = argv[1];
  if (db.lookupWrite(key) !== undefined) {
    c.out.int(0);
    return;
  }
  db.add(key, argv[2]);
  notify(db, 'set', key);
  c.out.int(1);
}

// SETEX
function setex(c: Client, argv: string[]): void {
  const ms = expireAt(c, argv[2], F_EX, 'setex');
  if (ms < 0) return;
  setGeneric(c, argv, argv[1], argv[3], F_EX, ms);
}

// PSETEX
function psetex(c: Client, argv: string[]): void {
  const ms = expireAt(c, argv[2], F_PX, 'psetex');
  if (ms < 0) return;
  setGeneric(c, argv, argv[1], argv[3], F_PX, ms);
}

// MGET
function mget(c: Client, argv: string[]): void {
  const db = c.db;
  const out = c.out;
  db.prefetch(argv, 1, argv.length, 1);
  out.array(argv.length - 1);
  for (let i = 1; i < argv.length; i++) {
    const e = db.lookupRead(argv[i]);
    if (e === undefined) {
      out.nil();
      continue;
    }
    const v = e.value;
    // Keys of other types read as missing in MGET, not as an error.
    if (typeof v === 'string') out.bulk(v);
    else if (v instanceof MutableString) out.bulkRange(v.buf, 0, v.len);
    else out.nil();
  }
}

// MSET
function mset(c: Client, argv: string[]): void {
  if (argv.length % 2 === 0) {
    c.server.replyError(c, wrongArity('mset'));
    return;
  }
  const db = c.db;
  db.prefetch(argv, 1, argv.length, 2);
  for (let i = 1; i < argv.length; i += 2) setValue(db, argv[i], argv[i + 1]);
  c.out.ok();
}

// MSETNX
function msetnx(c: Client, argv: string[]): void {
  if (argv.length % 2 === 0) {
    c.server.replyError(c, wrongArity('msetnx'));
    return;
  }
  const db = c.db;
  db.prefetch(argv, 1, argv.length, 2);
  for (let i = 1; i < argv.length; i += 2) {
    if (db.lookupWrite(argv[i]) !== undefined) {
      c.out.int(0);
      return;
    }
  }
  // A key given twice takes the last value, as in Redis.
  for (let i = 1; i < argv.length; i += 2) setValue(db, argv[i], argv[i + 1]);
  c.out.int(1);
}

// GETSET
function getset(c: Client, argv: string[]): void {
  const key = argv[1];
  if (!replyOldValue(c, key)) return;
  setValue(c.db, key, argv[2]);
  c.server.propagateAs = [['SET', key, argv[2]]];
}

// GETDEL
function getdel(c: Client, argv: string[]): void {
  const db = c.db;
  const key = argv[1];
  const e = db.lookupRead(key);
  if (e === undefined) {
    c.out.nil();
    return;
  }
  if (!isString(e.value)) {
    c.server.replyError(c, ERR.wrongType);
    return;
  }
  replyString(c, e.value);
  db.delete(key);
  db.ks.hooks.notify('g', 'del', key, db);
  c.server.propagateAs = [[lazyDelName(c, 'lazyfree-lazy-user-del'), key]];
}

// GETEX
function getex(c: Client, argv: string[]): void {
  const flags = parseOptions(c, argv, 2, false);
  if (flags < 0) return;
  const db = c.db;
  const key = argv[1];
  const e = db.lookupRead(key);
  if (e === undefined) {
    c.out.nil();
    return;
  }
  if (!isString(e.value)) {
    c.server.replyError(c, ERR.wrongType);
    return;
  }
  let ms = 0;
  if (flags & F_EXPIRE) {
    ms = expireAt(c, expireArg, flags, 'getex');
    if (ms < 0) return;
  }
  replyString(c, e.value);
  if (flags & (F_EXAT | F_PXAT) && alreadyExpired(c, ms)) {
    db.delete(key);
    db.ks.hooks.notify('g', 'del', key, db);
    c.server.propagateAs = [[lazyDelName(c, 'lazyfree-lazy-expire'), key]];
  } else if (flags & F_EXPIRE) {
    db.setExpire(key, e, ms);
    db.modified(key);
    db.ks.hooks.notify('g', 'expire', key, db);
    c.server.propagateAs = [['PEXPIREAT', key, expireText]];
  } else if (flags & F_PERSIST) {
    if (db.persist(key, e)) {
      db.modified(key);
      db.ks.hooks.notify('g', 'persist', key, db);
      c.server.propagateAs = [['PERSIST', key]];
    }
  }
}

// APPEND
function append(c: Client, argv: string[]): void {
  const db = c.db;
  const key = argv[1];
  const add = argv[2];
  const e = db.lookupWrite(key);
  let len: number;
  if (e === undefined) {
    // A new key holds the argument itself, as SET would store it.
    db.add(key, add);
    len = add.length;
  } else {
    if (!isString(e.value)) {
      c.server.replyError(c, ERR.wrongType);
      return;
    }
    const cur = stringLength(e.value);
    if (!checkStringLength(c, cur, add.length)) return;
    const m = mutableValue(e, cur + add.length);
    strIntoBytes(add, m.buf, cur);
    m.len = cur + add.length;
    db.modified(key);
    len = m.len;
  }
  notify(db, 'append', key);
  c.out.int(len);
}

// STRLEN
function strlen(c: Client, argv: string[]): void {
  const e = c.db.lookupRead(argv[1]);
  if (e === undefined) {
    c.out.int(0);
    return;
  }
  if (!isString(e.value)) {
    c.server.replyError(c, ERR.wrongType);
    return;
  }
  c.out.int(stringLength(e.value));
}

// GETRANGE and SUBSTR
function getrange(c: Client, argv: string[]): void {
  // 64-bit arguments as numbers: rounding beyond 2^53 only matters for startAfterEnd.
  let start = parseInteger(argv[2]);
  if (start === null) {
    c.server.replyError(c, ERR.notInteger);
    return;
  }
  let end = parseInteger(argv[3]);
  if (end === null) {
    c.server.replyError(c, ERR.notInteger);
    return;
  }
  const e = c.db.lookupRead(argv[1]);
  if (e === undefined) {
    c.out.bulk('');
    return;
  }
  const v = e.value;
  if (!isString(v)) {
    c.server.replyError(c, ERR.wrongType);
    return;
  }
  const len = stringLength(v);
  if (start < 0 && end < 0 && startAfterEnd(start, end, argv[2], argv[3])) {
    c.out.bulk('');
    return;
  }
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len === 0) {
    c.out.bulk('');
    return;
  }
  if (typeof v === 'string') c.out.bulk(v.slice(start, end + 1));
  else c.out.bulkRange(v.buf, start, end + 1);
}

// SETRANGE
function setrange(c: Client, argv: string[]): void {
  const offset = parseInteger(argv[2]);
  if (offset === null) {
    c.server.replyError(c, ERR.notInteger);
    return;
  }
  if (offset < 0) {
    c.server.replyError(c, ERR.offsetRange);
    return;
  }
  const db = c.db;
  const key = argv[1];
  const value = argv[3];
  let e = db.lookupWrite(key);
  if (e === undefined) {
    // Setting nothing on a missing key creates nothing.
    if (value.length === 0) {
      c.out.int(0);
      return;
    }
    if (!checkStringLength(c, offset, value.length)) return;
    e = db.add(key, zeroString(offset + value.length));
  } else {
    if (!isString(e.value)) {
      c.server.replyError(c, ERR.wrongType);
      return;
    }
    if (value.length === 0) {
      c.out.int(stringLength(e.value));
      return;
    }
    if (!checkStringLength(c, offset, value.length)) return;
    db.modified(key);
  }
  const m = mutableValue(e, offset + value.length);
  strIntoBytes(value, m.buf, offset);
  if (offset + value.length > m.len) m.len = offset + value.length;
  notify(db, 'setrange', key);
  c.out.int(m.len);
}

// INCR
function incr(c: Client, argv: string[]): void {
  incrDecr(c, argv[1], 1, null);
}

// DECR
function decr(c: Client, argv: string[]): void {
  incrDecr(c, argv[1], -1, null);
}

// INCRBY
function incrby(c: Client, argv: string[]): void {
  const n = parseIncrement(c, argv[2]);
  if (n === null) return;
  incrDecr(c, argv[1], n, bigArg);
}

// DECRBY
function decrby(c: Client, argv: string[]): void {
  const n = parseIncrement(c, argv[2]);
  if (n === null) return;
  if (bigArg !== null && bigArg === INT64_MIN) {
    // Negating LLONG_MIN overflows before anything is added.
    c.server.replyError(c, ERR.decrOverflow);
    return;
  }
  incrDecr(c, argv[1], -n, bigArg === null ? null : -bigArg);
}

// INCRBYFLOAT
function incrbyfloat(c: Client, argv: string[]): void {
  const db = c.db;
  const key = argv[1];
  const e = db.lookupWrite(key);
  let cur: string | null = null;
  if (e !== undefined) {
    if (!isString(e.value)) {
      c.server.replyError(c, ERR.wrongType);
      return;
    }
    // string2ld refuses 5120 bytes or more: no need to copy a long in-place string to know.
    if (stringLength(e.value) >= 5120) {
      c.server.replyError(c, ERR.notFloat);
      return;
    }
    cur = stringOf(e.value);
  }
  const r = incrByFloatString(cur, argv[2]);
  if (r === 'invalid') {
    c.server.replyError(c, ERR.notFloat);
    return;
  }
  if (r === 'nan-or-inf') {
    c.server.replyError(c, ERR.incrFloatNaN);
    return;
  }
  // Redis stores the result without trying the int encoding: one that looks like an integer is
  // kept marked, so OBJECT ENCODING says "embstr" as Redis does rather than "int".
  let stored: string | MutableString = r;
  if (r.length <= 20 && parseInteger(r) !== null) {
    stored = new MutableString(strToBytes(r), r.length);
    stored.embedded = true;
  }
  if (e === undefined) db.add(key, stored);
  else db.set(key, stored, true);
  notify(db, 'incrbyfloat', key);
  c.out.bulk(r);
  // The result, not the increment, so replicas and AOF replays never re-round differently.
  c.server.propagateAs = [['SET', key, r, 'KEEPTTL']];
}

// LCS
function lcs(c: Client, argv: string[]): void {
  const db = c.db;
  const ea = db.lookupRead(argv[1]);
  const eb = db.lookupRead(argv[2]);
  if ((ea !== undefined && !isString(ea.value)) || (eb !== undefined && !isString(eb.value))) {
    c.server.replyError(c, ERR.lcsWrongType);
    return;
  }
  let getLen = false;
  let getIdx = false;
  let withMatchLen = false;
  let minMatchLen = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = token(argv[j]);
    const more = argv.length - 1 - j;
    if (opt === 'idx') {
      getIdx = true;
    } else if (opt === 'len') {
      getLen = true;
    } else if (opt === 'withmatchlen') {
      withMatchLen = true;
    } else if (opt === 'minmatchlen' && more > 0) {
      const n = parseInteger(argv[j + 1]);
      if (n === null) {
        c.server.replyError(c, ERR.notInteger);
        return;
      }
      minMatchLen = n < 0 ? 0 : n;
      j++;
    } else {
      c.server.replyError(c, ERR.syntax);
      return;
    }
  }
  if (getIdx && getLen) {
    c.server.replyError(c, ERR.lcsIdxAndLen);
    return;
  }
  const a = ea === undefined ? EMPTY : valueBytes(ea.value as string | MutableString);
  const b = eb === undefined ? EMPTY : valueBytes(eb.value as string | MutableString);
  const alen = a.length;
  const blen = b.length;
  if (alen >= 0xfffffffe || blen >= 0xfffffffe) {
    c.server.replyError(c, ERR.lcsTooLong);
    return;
  }
  // Redis allocates the whole (alen+1) x (blen+1) table of uint32 and bounds it the same way.
  const cells = (alen + 1) * (blen + 1);
  if (cells * 4 > c.server.config.num('proto-max-bulk-len')) {
    c.server.replyError(c, ERR.lcsTooMuchMemory);
    return;
  }
  let table: Uint32Array;
  try {
    table = new Uint32Array(cells);
  } catch {
    c.server.replyError(c, ERR.lcsNoMemory);
    return;
  }
  const w = blen + 1;
  for (let i = 1; i <= alen; i++) {
    const ca = a[i - 1];
    const row = i * w;
    const prev = row - w;
    for (let j = 1; j <= blen; j++) {
      if (ca === b[j - 1]) {
        table[row + j] = table[prev + j - 1] + 1;
      } else {
        const up = table[prev + j];
        const left = table[row + j - 1];
        table[row + j] = up > left ? up : left;
      }
    }
  }
  const total = table[alen * w + blen];
  const out = c.out;
  if (getLen && !getIdx) {
    out.int(total);
    return;
  }
  // Walk back from the end, collecting the LCS (backwards) and, for IDX, the matched ranges.
  const chars: Uint8Array | null = getIdx ? null : new Uint8Array(total);
  let idx = total;
  const ranges: number[] = [];
  let aStart = alen; // alen means "no range open"
  let aEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  let i = alen;
  let j = blen;
  while (i > 0 && j > 0) {
    let emit = false;
    if (a[i - 1] === b[j - 1]) {
      if (chars !== null) chars[idx - 1] = a[i - 1];
      if (aStart === alen) {
        aStart = i - 1;
        aEnd = i - 1;
        bStart = j - 1;
        bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        aStart--;
        bStart--;
      } else {
        emit = true;
      }
      if (aStart === 0 || bStart === 0) emit = true;
      idx--;
      i--;
      j--;
    } else {
      const up = table[(i - 1) * w + j];
      const left = table[i * w + j - 1];
      if (up > left) i--;
      else j--;
      if (aStart !== alen) emit = true;
    }
    if (emit) {
      const matchLen = aEnd - aStart + 1;
      if (minMatchLen === 0 || matchLen >= minMatchLen) ranges.push(aStart, aEnd, bStart, bEnd, matchLen);
      aStart = alen;
    }
  }
  if (chars !== null) {
    out.bulk(bytesToStr(chars, 0, total));
    return;
  }
  out.map(2);
  out.bulk('matches');
  const n = ranges.length / 5;
  out.array(n);
  for (let k = 0; k < ranges.length; k += 5) {
    out.array(withMatchLen ? 3 : 2);
    out.array(2);
    out.int(ranges[k]);
    out.int(ranges[k + 1]);
    out.array(2);
    out.int(ranges[k + 2]);
    out.int(ranges[k + 3]);
    if (withMatchLen) out.int(ranges[k + 4]);
  }
  out.bulk('len');
  out.int(total);
}
