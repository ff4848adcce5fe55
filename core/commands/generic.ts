// Generic (keyspace) commands: https://redis.io/commands/?group=generic
// DBSIZE, FLUSHDB, FLUSHALL and SWAPDB are in Redis's "server" group but live here with the
// keyspace they act on. Expiry and SCAN's cursor design are in core/keyspace.ts and core/scan.ts.
import type { CommandSpec } from '../command.ts';
import type { Client } from '../client.ts';
import { ERR, invalidExpire, ServerError } from '../errors.ts';
import { globMatch } from '../glob.ts';
import { type Database, type Entry, MutableString, newEntry, typeName, type Value } from '../keyspace.ts';
import { parseInteger } from '../numbers.ts';
import { parseCursor } from '../scan.ts';
import { lfuFrequency } from '../eviction.ts';
import { rdbOf } from './persistence.ts';
import { parseTimeout } from '../blocking.ts';
import { cstr, optIs } from '../bytes.ts';

const EXPIRE_OPTS = 'condition=[NX | XX | GT | LT]@7.0.0';

export const commands: CommandSpec[] = [
  {
    name: 'del', arity: -2, flags: ['write'], categories: ['keyspace'], keys: [1, -1, 1],
    keyFlags: ['RM', 'DELETE'], tips: ['request_policy:multi_shard', 'response_policy:agg_sum'],
    summary: 'Delete a key', since: '1.0.0', group: 'generic',
    complexity: 'O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).',
    args: 'key [key ...]', handler: del,
  },
  {
    name: 'unlink', arity: -2, flags: ['write', 'fast'], categories: ['keyspace'], keys: [1, -1, 1],
    keyFlags: ['RM', 'DELETE'], tips: ['request_policy:multi_shard', 'response_policy:agg_sum'],
    summary: 'Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.',
    since: '4.0.0', group: 'generic',
    complexity: 'O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.',
    args: 'key [key ...]', handler: unlink,
  },
  {
    name: 'exists', arity: -2, flags: ['readonly', 'fast'], categories: ['keyspace'], keys: [1, -1, 1],
    history: [['3.0.3', 'Accepts multiple `key` arguments.']],
    keyFlags: ['RO'], tips: ['request_policy:multi_shard', 'response_policy:agg_sum'],
    summary: 'Determine if a key exists', since: '1.0.0', group: 'generic',
    complexity: 'O(N) where N is the number of keys to check.', args: 'key [key ...]', handler: exists,
  },
  {
    name: 'wait', arity: 3, flags: ['noscript'], categories: ['connection'],
    tips: ['request_policy:all_shards', 'response_policy:agg_min'],
    summary: 'Wait for the synchronous replication of all the write commands sent in the context of the current connection',
    since: '3.0.0', group: 'generic', complexity: 'O(1)', args: 'numreplicas:integer timeout:integer', handler: wait,
  },
  {
    name: 'touch', arity: -2, flags: ['readonly', 'fast'], categories: ['keyspace'], keys: [1, -1, 1],
    keyFlags: ['RO'], tips: ['request_policy:multi_shard', 'response_policy:agg_sum'],
    summary: 'Alters the last access time of a key(s). Returns the number of existing keys specified.',
    since: '3.2.1', group: 'generic', complexity: 'O(N) where N is the number of keys that will be touched.',
    args: 'key [key ...]', handler: touch,
  },
  {
    name: 'expire', arity: -3, flags: ['write', 'fast'], categories: ['keyspace'], keys: [1, 1, 1],
    history: [['7.0.0', 'Added options: `NX`, `XX`, `GT` and `LT`.']],
    keyFlags: ['RW', 'UPDATE'],
    summary: "Set a key's time to live in seconds", since: '1.0.0', group: 'generic', complexity: 'O(1)',
    args: `key seconds ${EXPIRE_OPTS}`, handler: expire,
  },
  {
    name: 'pexpire', arity: -3, flags: ['write', 'fast'], categories: ['keyspace'], keys: [1, 1, 1],
    history: [['7.0.0', 'Added options: `NX`, `XX`, `GT` and `LT`.']],
    keyFlags: ['RW', 'UPDATE'],
    summary: "Set a key's time to live in milliseconds", since: '2.6.0', group: 'generic', complexity: 'O(1)',
    args: `key milliseconds ${EXPIRE_OPTS}`, handler: pexpire,
  },
  {
    name: 'expireat', arity: -3, flags: ['write', 'fast'], categories: ['keyspace'], keys: [1, 1, 1],
    history: [['7.0.0', 'Added options: `NX`, `XX`, `GT` and `LT`.']],
    keyFlags: ['RW', 'UPDATE'],
    summary: 'Set the expiration for a key as a UNIX timestamp', since: '1.2.0', group: 'generic',
    complexity: 'O(1)', args: `key unix-time-seconds ${EXPIRE_OPTS}`, handler: expireat,
  },
  {
    name: 'pexpireat', arity: -3, flags: ['write', 'fast'], categories: ['keyspace'], keys: [1, 1, 1],
    history: [['7.0.0', 'Added options: `NX`, `XX`, `GT` and `LT`.']],
    keyFlags: ['RW', 'UPDATE'],
    summary: 'Set the expiration for a key as a UNIX timestamp specified in milliseconds', since: '2.6.0',
    group: 'generic', complexity: 'O(1)', args: `key unix-time-milliseconds ${EXPIRE_OPTS}`, handler: pexpireat,
  },
  {
    name: 'ttl', arity: 2, flags: ['readonly', 'fast'], categories: ['keyspace'], keys: [1, 1, 1],
    history: [['2.8.0', 'Added the -2 reply.']],
    keyFlags: ['RO', 'ACCESS'], tips: ['nondeterministic_output'],
    summary: 'Get the time to live for a key in seconds', since: '1.0.0', group: 'generic', complexity: 'O(1)',
    args: 'key', handler: ttl,
  },
  {
    name: 'pttl', arity: 2, flags: ['readonly', 'fast'], categories: ['keyspace'], keys: [1, 1, 1],
    history: [['2.8.0', 'Added the -2 reply.']],
    keyFlags: ['RO', 'ACCESS'], tips: ['nondeterministic_output'],
    summary: 'Get the time to live for a key in milliseconds', since: '2.6.0', group: 'generic',
    complexity: 'O(1)', args: 'key', handler: pttl,
  },
  {
    name: 'expiretime', arity: 2, flags: ['readonly', 'fast'], categories: ['keyspace'], keys: [1, 1, 1],
    keyFlags: ['RO', 'ACCESS'],
    summary: 'Get the expiration Unix timestamp for a key', since: '7.0.0', group: 'generic',
    complexity: 'O(1)', args: 'key', handler: expiretime,
  },
  {
    name: 'pexpiretime', arity: 2, flags: ['readonly', 'fast'], categories: ['keyspace'], keys: [1, 1, 1],
    keyFlags: ['RO', 'ACCESS'],
    summary: 'Get the expiration Unix timestamp for a key in milliseconds', since: '7.0.0', group: 'generic',
    complexity: 'O(1)', args: 'key', handler: pexpiretime,
  },
  {
    name: 'persist', arity: 2, flags: ['write', 'fast'], categories: ['keyspace'], keys: [1, 1, 1],
    keyFlags: ['RW', 'UPDATE'],
    summary: 'Remove the expiration from a key', since: '2.2.0', group: 'generic', complexity: 'O(1)',
    args: 'key', handler: persist,
  },
  {
    name: 'type', arity: 2, flags: ['readonly', 'fast'], categories: ['keyspace'], keys: [1, 1, 1],
    keyFlags: ['RO'],
    summary: 'Determine the type stored at key', since: '1.0.0', group: 'generic', complexity: 'O(1)',
    args: 'key', handler: type,
  },
  {
    name: 'rename', arity: 3, flags: ['write'], categories: ['keyspace'], keys: [1, 2, 1],
    keySpecs: [
      { flags: ['RW', 'ACCESS', 'DELETE'], begin: 1, find: { range: [0, 1, 0] } },
      { flags: ['OW', 'UPDATE'], begin: 2, find: { range: [0, 1, 0] } },
    ],
    summary: 'Rename a key', since: '1.0.0', group: 'generic', complexity: 'O(1)',
    args: 'key newkey', handler: rename,
  },
  {
    name: 'renamenx', arity: 3, flags: ['write', 'fast'], categories: ['keyspace'], keys: [1, 2, 1],
    history: [['3.2.0', 'The command no longer returns an error when source and destination names are the same.']],
    keySpecs: [
      { flags: ['RW', 'ACCESS', 'DELETE'], begin: 1, find: { range: [0, 1, 0] } },
      { flags: ['OW', 'INSERT'], begin: 2, find: { range: [0, 1, 0] } },
    ],
    summary: 'Rename a key, only if the new key does not exist', since: '1.0.0', group: 'generic',
    complexity: 'O(1)', args: 'key newkey', handler: renamenx,
  },
  {
    name: 'keys', arity: 2, flags: ['readonly'], categories: ['keyspace', 'dangerous'],
    tips: ['request_policy:all_shards', 'nondeterministic_output_order'],
    summary: 'Find all keys matching the given pattern', since: '1.0.0', group: 'generic',
    complexity: 'O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.',
    args: 'pattern', handler: keys,
  },
  {
    name: 'scan', arity: -2, flags: ['readonly'], categories: ['keyspace'],
    history: [['6.0.0', 'Added the `TYPE` subcommand.']],
    tips: ['nondeterministic_output', 'request_policy:special'],
    summary: 'Incrementally iterate the keys space', since: '2.8.0', group: 'generic',
    complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.',
    args: 'cursor [MATCH pattern] [COUNT count] [TYPE type]@6.0.0', handler: scan,
  },
  {
    name: 'randomkey', arity: 1, flags: ['readonly'], categories: ['keyspace'],
    tips: ['request_policy:all_shards', 'nondeterministic_output'],
    summary: 'Return a random key from the keyspace', since: '1.0.0', group: 'generic', complexity: 'O(1)',
    handler: randomkey,
  },
  {
    name: 'dbsize', arity: 1, flags: ['readonly', 'fast'], categories: ['keyspace'],
    tips: ['request_policy:all_shards', 'response_policy:agg_sum'],
    summary: 'Return the number of keys in the selected database', since: '1.0.0', group: 'server',
    complexity: 'O(1)', handler: dbsize,
  },
  {
    name: 'flushdb', arity: -1, flags: ['write'], categories: ['keyspace', 'dangerous'],
    history: [['4.0.0', 'Added the `ASYNC` flushing mode modifier.'], ['6.2.0', 'Added the `SYNC` flushing mode modifier.']],
    tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
    summary: 'Remove all keys from the current database', since: '1.0.0', group: 'server',
    complexity: 'O(N) where N is the number of keys in the selected database', args: 'async=[ASYNC@4.0.0 | SYNC@6.2.0]',
    handler: flushdb,
  },
  {
    name: 'flushall', arity: -1, flags: ['write'], categories: ['keyspace', 'dangerous'],
    history: [['4.0.0', 'Added the `ASYNC` flushing mode modifier.'], ['6.2.0', 'Added the `SYNC` flushing mode modifier.']],
    tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
    summary: 'Remove all keys from all databases', since: '1.0.0', group: 'server',
    complexity: 'O(N) where N is the total number of keys in all databases', args: 'async=[ASYNC@4.0.0 | SYNC@6.2.0]',
    handler: flushall,
  },
  {
    name: 'copy', arity: -3, flags: ['write', 'denyoom'], categories: ['keyspace'], keys: [1, 2, 1],
    keySpecs: [
      { flags: ['RO', 'ACCESS'], begin: 1, find: { range: [0, 1, 0] } },
      { flags: ['OW', 'UPDATE'], begin: 2, find: { range: [0, 1, 0] } },
    ],
    summary: 'Copy a key', since: '6.2.0', group: 'generic',
    complexity: 'O(N) worst case for collections, where N is the number of nested items. O(1) for string values.',
    args: 'source destination [DB destination-db] [REPLACE]', handler: copy,
  },
  {
    name: 'move', arity: 3, flags: ['write', 'fast'], categories: ['keyspace'], keys: [1, 1, 1],
    keyFlags: ['RW', 'ACCESS', 'UPDATE'],
    summary: 'Move a key to another database', since: '1.0.0', group: 'generic', complexity: 'O(1)',
    args: 'key db', handler: move,
  },
  {
    name: 'swapdb', arity: 3, flags: ['write', 'fast'], categories: ['keyspace', 'dangerous'],
    summary: 'Swaps two Redis databases', since: '4.0.0', group: 'server',
    complexity: 'O(N) where N is the count of clients watching or blocking on keys from both databases.',
    args: 'index1 index2', handler: swapdb,
  },
  {
    name: 'object', arity: -2, flags: [], categories: [],
    summary: 'A container for object introspection commands', since: '2.2.3', group: 'generic',
    complexity: 'Depends on subcommand.',
    subcommands: [
      {
        name: 'encoding', arity: 3, flags: ['readonly'], categories: ['keyspace'], keys: [2, 2, 1],
        keyFlags: ['RO'], tips: ['nondeterministic_output'],
        summary: 'Inspect the internal encoding of a Redis object', since: '2.2.3', group: 'generic',
        complexity: 'O(1)', args: 'key', handler: objectEncoding,
      },
      {
        name: 'freq', arity: 3, flags: ['readonly'], categories: ['keyspace'], keys: [2, 2, 1],
        keyFlags: ['RO'], tips: ['nondeterministic_output'],
        summary: 'Get the logarithmic access frequency counter of a Redis object', since: '4.0.0',
        group: 'generic', complexity: 'O(1)', args: 'key', handler: objectFreq,
      },
      {
        name: 'help', arity: 2, flags: ['loading', 'stale'], categories: ['keyspace'],
        summary: 'Show helpful text about the different subcommands', since: '6.2.0', group: 'generic',
        complexity: 'O(1)', handler: objectHelp,
      },
      {
        name: 'idletime', arity: 3, flags: ['readonly'], categories: ['keyspace'], keys: [2, 2, 1],
        keyFlags: ['RO'], tips: ['nondeterministic_output'],
        summary: 'Get the time since a Redis object was last accessed', since: '2.2.3', group: 'generic',
        complexity: 'O(1)', args: 'key', handler: objectIdletime,
      },
      {
        name: 'refcount', arity: 3, flags: ['readonly'], categories: ['keyspace'], keys: [2, 2, 1],
        keyFlags: ['RO'], tips: ['nondeterministic_output'],
        summary: 'Get the number of references to the value of the key', since: '2.2.3', group: 'generic',
        complexity: 'O(1)', args: 'key', handler: objectRefcount,
      },
    ],
  },
];

// ---------------------------------------------------------------------------------------------
// Helpers

/** getIntFromObjectOrReply: a 32-bit integer, or null after replying with Redis's error. */
function intArgOrReply(c: Client, s: string, msg: string | null): number | null {
  const v = parseInteger(s);
  if (v === null) {
    c.server.replyError(c, msg ?? ERR.notInteger);
    return null;
  }
  if (v < -2147483648 || v > 2147483647) {
    c.server.replyError(c, msg ?? ERR.intRange);
    return null;
  }
  return v;
}

export interface ScanOptions {
  count: number;
  /** null when absent or `*`, which matches everything. */
  pattern: string | null;
  /** Lowercased type name, null when absent. */
  type: string | null;
}

/**
 * The options of SCAN, HSCAN, SSCAN and ZSCAN from argv[from] on, in any order and repeated (the
 * last wins), as Redis's scanGenericCommand reads them: COUNT must be a positive integer, TYPE is
 * only for SCAN (`withType`). Replies with the error and returns null when they are invalid.
 */
export function parseScanOptions(c: Client, argv: string[], from: number, withType: boolean): ScanOptions | null {
  const opts: ScanOptions = { count: 10, pattern: null, type: null };
  for (let i = from; i < argv.length; i += 2) {
    const opt = argv[i];
    const more = i + 1 < argv.length;
    if (more && optIs(opt, 'count')) {
      const n = parseInteger(argv[i + 1]);
      if (n === null) {
        c.server.replyError(c, ERR.notInteger);
        return null;
      }
      if (n < 1) {
        c.server.replyError(c, ERR.syntax);
        return null;
      }
      opts.count = n;
    } else if (more && optIs(opt, 'match')) {
      opts.pattern = argv[i + 1] === '*' ? null : argv[i + 1];
    } else if (more && withType && optIs(opt, 'type')) {
      opts.type = cstr(argv[i + 1]).toLowerCase();
    } else {
      c.server.replyError(c, ERR.syntax);
      return null;
    }
  }
  return opts;
}

function notify(db: Database, event: string, key: string): void {
  db.ks.hooks.notify('g', event, key, db);
}

// ---------------------------------------------------------------------------------------------
// Handlers

// DEL
function del(c: Client, argv: string[]): void {
  deleteKeys(c, argv, c.server.config.bool('lazyfree-lazy-user-del'));
}

// UNLINK
function unlink(c: Client, argv: string[]): void {
  // Freeing memory is the garbage collector's job either way: UNLINK differs from DEL only in
  // what INFO's lazyfreed_objects counts.
  deleteKeys(c, argv, true);
}

function deleteKeys(c: Client, argv: string[], lazy: boolean): void {
  const db = c.db;
  let n = 0;
  db.prefetch(argv, 1, argv.length, 1);
  for (let i = 1; i < argv.length; i++) {
    const key = argv[i];
    // An expired key is deleted (and propagated) as expired, and does not count.
    const e = db.peek(key);
    if (e === undefined) continue;
    db.delete(key, lazy);
    notify(db, 'del', key);
    n++;
  }
  c.out.int(n);
}

// EXISTS
function exists(c: Client, argv: string[]): void {
  const db = c.db;
  let n = 0;
  db.prefetch(argv, 1, argv.length, 1);
  // A key named twice counts twice, as in Redis.
  for (let i = 1; i < argv.length; i++) if (db.lookupReadNoTouch(argv[i]) !== undefined) n++;
  c.out.int(n);
}

// TOUCH
function touch(c: Client, argv: string[]): void {
  const db = c.db;
  let n = 0;
  db.prefetch(argv, 1, argv.length, 1);
  for (let i = 1; i < argv.length; i++) if (db.lookupRead(argv[i]) !== undefined) n++;
  c.out.int(n);
}

// EXPIRE
function expire(c: Client, argv: string[]): void {
  expireGeneric(c, argv, c.db.ks.time, true);
}

// PEXPIRE
function pexpire(c: Client, argv: string[]): void {
  expireGeneric(c, argv, c.db.ks.time, false);
}

// EXPIREAT
function expireat(c: Client, argv: string[]): void {
  expireGeneric(c, argv, 0, true);
}

// PEXPIREAT
function pexpireat(c: Client, argv: string[]): void {
  expireGeneric(c, argv, 0, false);
}

const EXPIRE_NX = 1;
const EXPIRE_XX = 2;
const EXPIRE_GT = 4;
const EXPIRE_LT = 8;
const I64_MAX = 9223372036854775807n;
const I64_MIN = -9223372036854775808n;
/** The absolute time computed by expireTime, exact, for propagation. */
let whenText = '';

/**
 * Redis's expireGenericCommand arithmetic: the absolute expiry in ms of `arg` (seconds when
 * `seconds`) plus `basetime`, with its checks for overflowing a signed 64-bit integer. Returns
 * the time (rounded to a double beyond 2^53) and sets whenText to its exact digits; 'nan' when
 * `arg` is not an integer, 'overflow' when the time does not fit.
 */
function expireTime(arg: string, basetime: number, seconds: boolean): number | 'nan' | 'overflow' {
  const n = parseInteger(arg);
  if (n === null) return 'nan';
  // Exact in doubles while |n * unit + basetime| stays below 2^53.
  const limit = seconds ? 1e12 : 4e15;
  if (n < limit && n > -limit) {
    const when = (seconds ? n * 1000 : n) + basetime;
    whenText = String(when);
    return when;
  }
  let v = BigInt(arg);
  if (seconds) {
    // C's division truncates toward zero, as BigInt's does.
    if (v > I64_MAX / 1000n || v < I64_MIN / 1000n) return 'overflow';
    v *= 1000n;
  }
  if (v > I64_MAX - BigInt(basetime)) return 'overflow';
  v += BigInt(basetime);
  whenText = v.toString();
  return Number(v);
}

/** EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT: Redis's expireGenericCommand. */
function expireGeneric(c: Client, argv: string[], basetime: number, seconds: boolean): void {
  // Options are checked before the time, as Redis does.
  let flags = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j];
    if (optIs(opt, 'nx')) flags |= EXPIRE_NX;
    else if (optIs(opt, 'xx')) flags |= EXPIRE_XX;
    else if (optIs(opt, 'gt')) flags |= EXPIRE_GT;
    else if (optIs(opt, 'lt')) flags |= EXPIRE_LT;
    else {
      c.server.replyError(c, 'ERR Unsupported option ' + cstr(opt));
      return;
    }
  }
  if ((flags & EXPIRE_NX) !== 0 && (flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT)) !== 0) {
    c.server.replyError(c, ERR.expireNxAndOthers);
    return;
  }
  if ((flags & EXPIRE_GT) !== 0 && (flags & EXPIRE_LT) !== 0) {
    c.server.replyError(c, ERR.expireGtAndLt);
    return;
  }
  const when = expireTime(argv[2], basetime, seconds);
  if (when === 'nan') {
    c.server.replyError(c, ERR.notInteger);
    return;
  }
  if (when === 'overflow') {
    c.server.replyError(c, invalidExpire(argv[0].toLowerCase()));
    return;
  }
  const db = c.db;
  const key = argv[1];
  const e = db.lookupWrite(key);
  if (e === undefined) {
    c.out.int(0);
    return;
  }
  if (flags !== 0) {
    const current = e.expireAt === 0 ? -1 : e.expireAt;
    // A key without a TTL counts as an infinite TTL for GT and LT.
    if (((flags & EXPIRE_NX) !== 0 && current !== -1) ||
      ((flags & EXPIRE_XX) !== 0 && current === -1) ||
      ((flags & EXPIRE_GT) !== 0 && (current === -1 || when <= current)) ||
      ((flags & EXPIRE_LT) !== 0 && current !== -1 && when >= current)) {
      c.out.int(0);
      return;
    }
  }
  const server = c.server;
  // Redis's checkAlreadyExpired: a time not in the future deletes the key, except while loading
  // or on a replica, which waits for its master's DEL.
  if (when <= db.ks.time && !server.loading && !db.ks.replicaMode) {
    // As Redis's expireGenericCommand: freed and propagated (UNLINK) lazily under
    // lazyfree-lazy-expire.
    const lazy = server.config.bool('lazyfree-lazy-expire');
    db.delete(key, lazy);
    notify(db, 'del', key);
    if (server.hasListeners('propagate')) server.propagateAs = [[lazy ? 'UNLINK' : 'DEL', key]];
    c.out.int(1);
    return;
  }
  db.setExpire(key, e, when);
  db.modified(key);
  // Redis replies before the event here (a RESP3 subscriber sees :1 first).
  c.out.int(1);
  notify(db, 'expire', key);
  // Replicas and the AOF get the absolute time, so a late replay expires at the same moment.
  // Redis keeps the options, and leaves PEXPIREAT's arguments as they came.
  if (server.hasListeners('propagate') && (basetime !== 0 || seconds)) {
    const out = ['PEXPIREAT', key, whenText];
    for (let j = 3; j < argv.length; j++) out.push(argv[j]);
    server.propagateAs = [out];
  }
}

// TTL
function ttl(c: Client, argv: string[]): void {
  ttlGeneric(c, argv[1], false, false);
}

// PTTL
function pttl(c: Client, argv: string[]): void {
  ttlGeneric(c, argv[1], true, false);
}

// EXPIRETIME
function expiretime(c: Client, argv: string[]): void {
  ttlGeneric(c, argv[1], false, true);
}

// PEXPIRETIME
function pexpiretime(c: Client, argv: string[]): void {
  ttlGeneric(c, argv[1], true, true);
}

/** TTL, PTTL, EXPIRETIME, PEXPIRETIME: -2 for no key, -1 for no TTL; seconds are rounded. */
function ttlGeneric(c: Client, key: string, ms: boolean, absolute: boolean): void {
  const e = c.db.lookupReadNoTouch(key);
  if (e === undefined) {
    c.out.int(-2);
    return;
  }
  if (e.expireAt === 0) {
    c.out.int(-1);
    return;
  }
  if (e.expireAt > Number.MAX_SAFE_INTEGER) {
    ttlBeyondDoubles(c, e.expireAt, ms, absolute);
    return;
  }
  let t = absolute ? e.expireAt : e.expireAt - c.db.ks.time;
  if (t < 0) t = 0;
  c.out.int(ms ? t : Math.floor((t + 500) / 1000));
}

/**
 * ttlGeneric for an expiry beyond 2^53 ms, which the keyspace holds as the nearest double. Its
 * shortest digits (String) are taken as the time: they are exactly what a round time such as
 * 9223372036854775000 was given as. The time never exceeds INT64_MAX (INT64_MAX itself becomes
 * 2^63 as a double), and the rest is exact BigInt arithmetic.
 */
function ttlBeyondDoubles(c: Client, expireAt: number, ms: boolean, absolute: boolean): void {
  let t = BigInt(String(expireAt));
  if (t > I64_MAX) t = I64_MAX;
  if (!absolute) t -= BigInt(Math.floor(c.db.ks.time));
  c.out.int(ms ? t : (t + 500n) / 1000n);
}

// PERSIST
function persist(c: Client, argv: string[]): void {
  const db = c.db;
  const key = argv[1];
  const e = db.lookupWrite(key);
  if (e === undefined || !db.persist(key, e)) {
    c.out.int(0);
    return;
  }
  db.modified(key);
  notify(db, 'persist', key);
  c.out.int(1);
}

// TYPE
function type(c: Client, argv: string[]): void {
  const e = c.db.lookupReadNoTouch(argv[1]);
  c.out.simple(e === undefined ? 'none' : typeName(e.value));
}

// RENAME
function rename(c: Client, argv: string[]): void {
  renameGeneric(c, argv[1], argv[2], false);
}

// RENAMENX
function renamenx(c: Client, argv: string[]): void {
  renameGeneric(c, argv[1], argv[2], true);
}

/** Redis's renameGenericCommand: the entry moves with its value, TTL and access time. */
function renameGeneric(c: Client, from: string, to: string, nx: boolean): void {
  const db = c.db;
  const e = db.lookupWrite(from);
  if (e === undefined) {
    c.server.replyError(c, ERR.noKey);
    return;
  }
  if (from === to) {
    if (nx) c.out.int(0);
    else c.out.ok();
    return;
  }
  if (db.lookupWrite(to) !== undefined) {
    if (nx) {
      c.out.int(0);
      return;
    }
    db.detach(to, true);
  }
  db.detach(from);
  db.attach(to, e);
  // Like Redis's dbAdd: a list, zset or stream under a new name may serve blocked clients.
  c.server.blocking.signalKeyReady(db, to);
  const ks = db.ks;
  ks.hooks.modified(db, from);
  ks.hooks.modified(db, to);
  notify(db, 'rename_from', from);
  notify(db, 'rename_to', to);
  ks.dirty++;
  if (nx) c.out.int(1);
  else c.out.ok();
}

// KEYS
function keys(c: Client, argv: string[]): void {
  const db = c.db;
  const pattern = argv[1];
  const all = pattern === '*';
  const now = db.ks.time;
  const out: string[] = [];
  // Expired keys are left out but not deleted here (Redis 7.0's keysCommand).
  for (const [key, e] of db.keys) {
    if (!all && !globMatch(pattern, key)) continue;
    if (e.expireAt !== 0 && e.expireAt < now) continue;
    out.push(key);
  }
  c.out.bulkArray(out);
}

// SCAN
function scan(c: Client, argv: string[]): void {
  const cursor = parseCursor(argv[1]);
  if (cursor === null) {
    c.server.replyError(c, ERR.invalidCursor);
    return;
  }
  const opts = parseScanOptions(c, argv, 2, true);
  if (opts === null) return;
  const { count, pattern, type: typeFilter } = opts;
  const db = c.db;
  const batch: string[] = [];
  const next = db.ks.scans.step(db.keys, cursor, count, batch, db.ks.time);
  let n = 0;
  for (let i = 0; i < batch.length; i++) {
    const key = batch[i];
    // Gone since the iterator passed it (the entry read ahead of the previous call).
    if (!db.keys.has(key)) continue;
    if (pattern !== null && !globMatch(pattern, key)) continue;
    if (typeFilter !== null) {
      // Redis looks the key up (counting a hit or miss) and compares its type name; an expired
      // key, which that lookup deletes, is of type "none" and then no longer seen as expired.
      const e = db.lookupReadNoTouch(key);
      if (typeFilter !== (e === undefined ? 'none' : typeName(e.value))) continue;
      if (e === undefined) {
        batch[n++] = key;
        continue;
      }
    }
    if (db.peek(key) === undefined) continue;
    batch[n++] = key;
  }
  const out = c.out;
  out.array(2);
  out.bulk(next);
  out.array(n);
  for (let i = 0; i < n; i++) out.bulk(batch[i]);
}

// RANDOMKEY
function randomkey(c: Client): void {
  const key = c.db.randomKey();
  if (key === null) c.out.nil();
  else c.out.bulk(key);
}

// DBSIZE
function dbsize(c: Client): void {
  c.out.int(c.db.size);
}

/**
 * FLUSHDB and FLUSHALL take ASYNC or SYNC: whether the flush is asynchronous (without either,
 * lazyfree-lazy-user-flush says), or null after replying with the error.
 */
function flushIsAsync(c: Client, argv: string[]): boolean | null {
  if (argv.length === 1) return c.server.config.bool('lazyfree-lazy-user-flush');
  if (argv.length === 2 && (optIs(argv[1], 'sync') || optIs(argv[1], 'async'))) return optIs(argv[1], 'async');
  c.server.replyError(c, ERR.syntax);
  return null;
}

// FLUSHDB
function flushdb(c: Client, argv: string[]): void {
  const lazy = flushIsAsync(c, argv);
  if (lazy === null) return;
  // Freeing is the garbage collector's work, so ASYNC and SYNC do the same, but for what
  // lazyfreed_objects counts: every key of an asynchronous flush, as Redis's emptyDbAsync.
  const n = c.db.flush();
  if (lazy) c.db.ks.stats.lazyfreedObjects += n;
  c.db.ks.dirty += n;
  // Propagated even when the database was already empty, as Redis does.
  c.server.forcePropagate = true;
  c.out.ok();
}

// FLUSHALL
function flushall(c: Client, argv: string[]): void {
  const lazy = flushIsAsync(c, argv);
  if (lazy === null) return;
  const ks = c.db.ks;
  let n = 0;
  for (const db of ks.dbs) n += db.flush();
  if (lazy) ks.stats.lazyfreedObjects += n;
  ks.dirty += n;
  // As Redis 7.0: a running BGSAVE stops and, with save points, the empty dataset is saved (which
  // resets the change count); FLUSHALL propagates even when nothing was there to flush.
  rdbOf(c.server)?.afterFlushall();
  c.server.forcePropagate = true;
  c.out.ok();
}

// COPY
function copy(c: Client, argv: string[]): void {
  const src = c.db;
  let dst = src;
  let replace = false;
  for (let j = 3; j < argv.length; j++) {
    if (optIs(argv[j], 'replace')) {
      replace = true;
    } else if (optIs(argv[j], 'db') && j + 1 < argv.length) {
      const id = intArgOrReply(c, argv[j + 1], null);
      if (id === null) return;
      if (id < 0 || id >= src.ks.dbs.length) {
        c.server.replyError(c, ERR.dbOutOfRange);
        return;
      }
      dst = src.ks.dbs[id];
      j++;
    } else {
      c.server.replyError(c, ERR.syntax);
      return;
    }
  }
  const from = argv[1];
  const to = argv[2];
  if (src === dst && from === to) {
    c.server.replyError(c, ERR.sameObject);
    return;
  }
  const e = src.lookupRead(from);
  if (e === undefined) {
    c.out.int(0);
    return;
  }
  if (dst.lookupWrite(to) !== undefined) {
    if (!replace) {
      c.out.int(0);
      return;
    }
    dst.detach(to, true);
  }
  const copied = newEntry(dupValue(e.value), dst.ks.lruClock());
  copied.expireAt = e.expireAt;
  if (isSharedInteger(c, copied.value)) unsharedCopies.set(copied, copied.value);
  dst.attach(to, copied);
  c.server.blocking.signalKeyReady(dst, to);
  dst.ks.hooks.modified(dst, to);
  notify(dst, 'copy_to', to);
  dst.ks.dirty++;
  c.out.int(1);
}

/** A copy of a value that shares nothing mutable with it. */
function dupValue(v: Value): Value {
  if (typeof v === 'string') return v; // immutable
  if (v instanceof MutableString) {
    const m = new MutableString(v.buf.slice(0, v.len), v.len);
    m.embedded = v.embedded;
    return m;
  }
  return v.dup();
}

// MOVE
function move(c: Client, argv: string[]): void {
  const id = intArgOrReply(c, argv[2], null);
  if (id === null) return;
  const src = c.db;
  if (id < 0 || id >= src.ks.dbs.length) {
    c.server.replyError(c, ERR.dbOutOfRange);
    return;
  }
  const dst = src.ks.dbs[id];
  if (dst === src) {
    c.server.replyError(c, ERR.sameObject);
    return;
  }
  const key = argv[1];
  const e = src.lookupWrite(key);
  if (e === undefined || dst.lookupWrite(key) !== undefined) {
    c.out.int(0);
    return;
  }
  src.detach(key);
  dst.attach(key, e);
  c.server.blocking.signalKeyReady(dst, key);
  const ks = src.ks;
  ks.hooks.modified(src, key);
  ks.hooks.modified(dst, key);
  notify(src, 'move_from', key);
  notify(dst, 'move_to', key);
  ks.dirty++;
  c.out.int(1);
}

// SWAPDB
function swapdb(c: Client, argv: string[]): void {
  const a = intArgOrReply(c, argv[1], ERR.invalidFirstDb);
  if (a === null) return;
  const b = intArgOrReply(c, argv[2], ERR.invalidSecondDb);
  if (b === null) return;
  const ks = c.db.ks;
  const n = ks.dbs.length;
  if (a < 0 || a >= n || b < 0 || b >= n) {
    c.server.replyError(c, ERR.dbOutOfRange);
    return;
  }
  // Clients keep their database numbers, so each now sees the other database's data.
  if (a !== b) {
    ks.swap(a, b);
    // Clients blocked in either database may now find data (Redis's scanDatabaseForReadyKeys).
    c.server.blocking.signalDatabase(ks.dbs[a]);
    c.server.blocking.signalDatabase(ks.dbs[b]);
  }
  ks.dirty++;
  c.out.ok();
}

// OBJECT ENCODING
function objectEncoding(c: Client, argv: string[]): void {
  const e = c.db.lookupReadNoTouch(argv[2]);
  if (e === undefined) c.out.nil();
  else c.out.bulk(encodingOf(e.value));
}

/**
 * OBJECT ENCODING's answer for a value. Strings: a MutableString (edited in place) is "raw"; a
 * plain string is "int" when Redis would store it as a 64-bit integer, "embstr" up to 44 bytes
 * (what fits Redis's 64-byte embedded allocation), else "raw". Each further type adds a case.
 */
export function encodingOf(v: Value): string {
  switch (typeName(v)) {
    case 'string':
      if (typeof v !== 'string') return (v as MutableString).embedded ? 'embstr' : 'raw';
      if (v.length <= 20 && parseInteger(v) !== null) return 'int';
      return v.length <= 44 ? 'embstr' : 'raw';
    case 'hash': // HashValue (core/types/hash.ts): listpack or hashtable
    case 'set': // SetValue (core/types/set.ts): intset or hashtable
    case 'zset': // ZSet (core/types/zset.ts): listpack or skiplist
      return (v as unknown as { encoding: string }).encoding;
    case 'stream': // Stream (core/types/stream.ts): always a radix tree of listpacks
      return 'stream';
    case 'list': // PackedList (core/types/packed_list.ts): Redis 7.0 lists are always quicklists
      return 'quicklist';
    default:
      throw new ServerError('NO_ENCODING', `No encoding known for type ${typeName(v)}`);
  }
}

function lfuPolicy(c: Client): boolean {
  return c.server.config.str('maxmemory-policy').endsWith('-lfu');
}

// OBJECT FREQ
function objectFreq(c: Client, argv: string[]): void {
  const e = c.db.lookupReadNoTouch(argv[2]);
  if (e === undefined) {
    c.out.nil();
    return;
  }
  if (!lfuPolicy(c)) {
    c.server.replyError(c, ERR.lfuNotSelected);
    return;
  }
  // Redis's LFUDecrAndReturn over the LFU layout of the access field: minutes (16 bits) of the
  // last decrement, then an 8-bit logarithmic counter that loses 1 per decay period.
  c.out.int(lfuFrequency(e.lru, { time: c.db.ks.time, decayMinutes: c.server.config.num('lfu-decay-time') }));
}

const OBJECT_HELP = [
  'OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
  'HELP',
  '    Prints this help.',
];

// OBJECT HELP
function objectHelp(c: Client): void {
  c.out.help(OBJECT_HELP);
}

// OBJECT IDLETIME
function objectIdletime(c: Client, argv: string[]): void {
  const e = c.db.lookupReadNoTouch(argv[2]);
  if (e === undefined) {
    c.out.nil();
    return;
  }
  if (lfuPolicy(c)) {
    c.server.replyError(c, ERR.lfuSelected);
    return;
  }
  const idle = c.db.ks.lruClock() - e.lru;
  c.out.int(idle > 0 ? idle : 0);
}

// OBJECT REFCOUNT
function objectRefcount(c: Client, argv: string[]): void {
  const e = c.db.lookupReadNoTouch(argv[2]);
  if (e === undefined) c.out.nil();
  else c.out.int(isSharedInteger(c, e.value) && unsharedCopies.get(e) !== e.value ? 2147483647 : 1);
}

/**
 * Entries COPY made of a shared integer, with the value copied. Redis's dupStringObject gives the
 * copy an integer object of its own (REFCOUNT 1) until a write stores a new object; a write of
 * the very same digits keeps the mark here (strings have no identity), a known imprecision.
 */
const unsharedCopies = new WeakMap<Entry, Value>();

/**
 * True when Redis would hold this value as one of its shared integer objects (0 to 9999), whose
 * reference count reads as INT_MAX. It does not share them when maxmemory is set with an LRU or
 * LFU policy, since a shared object cannot carry a per-key access time.
 */
function isSharedInteger(c: Client, v: Value): boolean {
  if (typeof v !== 'string' || v.length === 0 || v.length > 4) return false;
  if (v.length > 1 && v.charCodeAt(0) === 48) return false;
  for (let i = 0; i < v.length; i++) {
    const d = v.charCodeAt(i);
    if (d < 48 || d > 57) return false;
  }
  const cfg = c.server.config;
  if (cfg.num('maxmemory') === 0) return true;
  const policy = cfg.str('maxmemory-policy');
  return !policy.endsWith('-lru') && !policy.endsWith('-lfu');
}

// WAIT numreplicas timeout. echokv has no replicas, so no write is ever acknowledged: the answer is
// 0, at once when that is enough (numreplicas <= 0, or inside MULTI), else when the timeout
// (milliseconds, 0 for none) runs out or CLIENT UNBLOCK ends the wait, as in Redis's waitCommand.
function wait(c: Client, argv: string[]): void {
  const n = parseInteger(argv[1]);
  if (n === null) {
    c.server.replyError(c, ERR.notInteger);
    return;
  }
  const timeoutMs = parseTimeout(c, argv[2], 'milliseconds');
  if (timeoutMs === null) return;
  const acked = 0;
  if (acked >= n || !c.server.blocking.block(c, { keys: [], timeoutMs, onTimeout: (b) => b.out.int(acked) })) {
    c.out.int(acked);
  }
}
