// HyperLogLog commands: https://redis.io/commands/?group=hyperloglog
//
// Behaviour follows Redis 7.0's src/hyperloglog.c. A HyperLogLog is a string value in Redis's own
// byte layout (core/types/hll.ts), edited in place as a MutableString. What counts as a change is
// Redis's: PFADD and PFMERGE dirty the key and send a "pfadd" event; PFCOUNT of one key writes
// the computed cardinality back into the value's cache, which marks the key modified and so is
// propagated (the reason it is flagged may_replicate); PFDEBUG GETREG/TODENSE count as dirty when
// they convert a sparse value, without touching WATCH or sending an event, as in Redis (7.0 has no
// "pfdebug" event). Corrupted sparse values are judged as the installed redis-server 7.0.15 does,
// which carries the CVE-2025-32023 fix (see core/types/hll.ts, toDense).
import type { CommandSpec } from '../command.ts';
import type { Client } from '../client.ts';
import { ERR, unknownPfdebugSubcommand } from '../errors.ts';
import { type Database, type Entry, isString, MutableString, noNotify } from '../keyspace.ts';
import { mutableValue, valueBytes } from './string.ts';
import { cstr } from '../bytes.ts';
import {
  cacheValid, cachedCard, createHll, decodeSparse, DENSE, hllAdd, hllCount, hllMerge, invalidateCache,
  isHll, raiseAll, rawCount, REGISTERS, selfTest, SPARSE, storeCard, toDense, denseGet, HDR_SIZE, DENSE_SIZE,
} from '../types/hll.ts';

export const commands: CommandSpec[] = [
  {
    name: 'pfadd', arity: -2, flags: ['write', 'denyoom', 'fast'], categories: ['hyperloglog'], keys: [1, 1, 1],
    keyFlags: ['RW', 'INSERT'],
    summary: 'Adds the specified elements to the specified HyperLogLog.', since: '2.8.9', group: 'hyperloglog',
    complexity: 'O(1) to add every element.', args: 'key [element [element ...]]', handler: pfadd,
  },
  {
    name: 'pfcount', arity: -2, flags: ['readonly', 'may_replicate'], categories: ['hyperloglog'],
    keys: [1, -1, 1],
    keySpecs: [{
      notes: 'RW because it may change the internal representation of the key, and propagate to replicas',
      flags: ['RW', 'ACCESS'], begin: 1, find: { range: [-1, 1, 0] },
    }],
    summary: 'Return the approximated cardinality of the set(s) observed by the HyperLogLog at key(s).',
    since: '2.8.9', group: 'hyperloglog',
    complexity: 'O(1) with a very small average constant time when called with a single key. O(N) with N being the number of keys, and much bigger constant times, when called with multiple keys.',
    args: 'key [key ...]', handler: pfcount,
  },
  {
    name: 'pfmerge', arity: -2, flags: ['write', 'denyoom'], categories: ['hyperloglog'], keys: [1, -1, 1],
    keySpecs: [
      { flags: ['RW', 'ACCESS', 'INSERT'], begin: 1, find: { range: [0, 1, 0] } },
      { flags: ['RO', 'ACCESS'], begin: 2, find: { range: [-1, 1, 0] } },
    ],
    summary: 'Merge N different HyperLogLogs into a single one.', since: '2.8.9', group: 'hyperloglog',
    complexity: 'O(N) to merge N HyperLogLogs, but with high constant times.',
    args: 'destkey sourcekey [sourcekey ...]', handler: pfmerge,
  },
  {
    name: 'pfdebug', arity: 3, flags: ['write', 'denyoom', 'admin'], categories: ['hyperloglog'], keys: [2, 2, 1],
    keyFlags: ['RW', 'ACCESS'], docFlags: ['syscmd'],
    summary: 'Internal commands for debugging HyperLogLog values', since: '2.8.9', group: 'hyperloglog',
    complexity: 'N/A', args: 'subcommand:string key', handler: pfdebug,
  },
  {
    name: 'pfselftest', arity: 1, flags: ['admin'], categories: ['hyperloglog'], docFlags: ['syscmd'],
    summary: 'An internal command for testing HyperLogLog values', since: '2.8.9', group: 'hyperloglog',
    complexity: 'N/A', handler: pfselftest,
  },
];

/**
 * isHLLObjectOrReply: true when the entry holds a string in HyperLogLog layout; otherwise replies
 * WRONGTYPE (the generic text for other types, a HyperLogLog-specific one for other strings).
 */
function checkHll(c: Client, e: Entry): boolean {
  const v = e.value;
  if (!isString(v)) {
    c.server.replyError(c, ERR.wrongType);
    return false;
  }
  const ok = typeof v === 'string' ? isHllString(v) : isHll(v.buf, v.len);
  if (!ok) c.server.replyError(c, ERR.hllWrongType);
  return ok;
}

/** isHll on a byte string without copying it (most wrong strings fail on the first bytes). */
function isHllString(s: string): boolean {
  if (s.length < HDR_SIZE || !s.startsWith('HYLL')) return false;
  const enc = s.charCodeAt(4);
  if (enc > SPARSE) return false;
  return enc !== DENSE || s.length === DENSE_SIZE;
}

/** Redis's dbUnshareStringValue, then the value as bytes to edit: a snapshot takes it first. */
function editable(db: Database, key: string, e: Entry): MutableString {
  db.willChange(key, e);
  const v = e.value as string | MutableString;
  return mutableValue(e, typeof v === 'string' ? v.length : v.len);
}

function notify(db: Database, event: string, key: string): void {
  const hooks = db.ks.hooks;
  if (hooks.notify !== noNotify) hooks.notify('$', event, key, db);
}

/** An estimate as addReplyLongLong prints it: a uint64 beyond 2^63 reads as negative. */
function replyCard(c: Client, card: number | bigint): void {
  c.out.int(typeof card === 'bigint' ? BigInt.asIntN(64, card) : card);
}

// PFADD
function pfadd(c: Client, argv: string[]): void {
  const db = c.db;
  const key = argv[1];
  const maxBytes = c.server.config.num('hll-sparse-max-bytes');
  const e = db.lookupWrite(key);
  let m: MutableString;
  let updated = 0;
  if (e === undefined) {
    m = createHll();
    db.add(key, m);
    updated++;
  } else {
    if (!checkHll(c, e)) return;
    m = editable(db, key, e);
  }
  for (let j = 2; j < argv.length; j++) {
    const r = hllAdd(m, argv[j], maxBytes);
    if (r === 1) updated++;
    else if (r === -1) {
      // Registers set before the corruption was found stay set, unannounced, as in Redis.
      c.server.replyError(c, ERR.hllInvalid);
      return;
    }
  }
  if (updated) {
    // Redis adds one to dirty per changed register; db.add already counted the creation.
    if (e !== undefined) db.modified(key);
    db.ks.dirty += updated - 1;
    notify(db, 'pfadd', key);
    invalidateCache(m);
  }
  c.out.int(updated ? 1 : 0);
}

// PFCOUNT
function pfcount(c: Client, argv: string[]): void {
  const db = c.db;
  if (argv.length > 2) {
    // Several keys: the estimate of their union, changing none of them.
    const max = new Uint8Array(REGISTERS);
    for (let j = 1; j < argv.length; j++) {
      const e = db.lookupRead(argv[j]);
      if (e === undefined) continue;
      if (!checkHll(c, e)) return;
      const b = valueBytes(e.value as string | MutableString);
      if (!hllMerge(max, b, b.length)) {
        c.server.replyError(c, ERR.hllInvalid);
        return;
      }
    }
    replyCard(c, rawCount(max));
    return;
  }
  const key = argv[1];
  const e = db.lookupRead(key);
  if (e === undefined) {
    c.out.int(0);
    return;
  }
  if (!checkHll(c, e)) return;
  const m = editable(db, key, e);
  if (cacheValid(m)) {
    replyCard(c, cachedCard(m));
    return;
  }
  const card = hllCount(m.buf, m.len);
  if (card === -1) {
    c.server.replyError(c, ERR.hllInvalid);
    return;
  }
  // The cache is part of the string, so filling it is a write that replicas and the AOF must see.
  storeCard(m, card);
  db.modified(key);
  replyCard(c, card);
}

// PFMERGE
function pfmerge(c: Client, argv: string[]): void {
  const db = c.db;
  const max = new Uint8Array(REGISTERS);
  let useDense = false;
  // The destination is one of the inputs (argv[1] on), read like the others.
  for (let j = 1; j < argv.length; j++) {
    const e = db.lookupRead(argv[j]);
    if (e === undefined) continue;
    if (!checkHll(c, e)) return;
    const b = valueBytes(e.value as string | MutableString);
    if (b[4] === DENSE) useDense = true;
    if (!hllMerge(max, b, b.length)) {
      c.server.replyError(c, ERR.hllInvalid);
      return;
    }
  }
  const key = argv[1];
  const e = db.lookupWrite(key);
  let m: MutableString;
  if (e === undefined) {
    m = createHll();
    db.add(key, m);
  } else {
    m = editable(db, key, e);
  }
  // A dense input makes the destination dense at once rather than growing it sparse first.
  if (useDense && !toDense(m)) {
    c.server.replyError(c, ERR.hllInvalid);
    return;
  }
  raiseAll(m, max, c.server.config.num('hll-sparse-max-bytes'));
  invalidateCache(m);
  if (e !== undefined) db.modified(key);
  // Redis reports a merge as a mass PFADD.
  notify(db, 'pfadd', key);
  c.out.ok();
}

// PFDEBUG
function pfdebug(c: Client, argv: string[]): void {
  const db = c.db;
  const sub = cstr(argv[1]);
  const key = argv[2];
  const e = db.lookupWrite(key);
  if (e === undefined) {
    c.server.replyError(c, ERR.hllNoKey);
    return;
  }
  if (!checkHll(c, e)) return;
  const m = editable(db, key, e);
  switch (sub.toLowerCase()) {
    case 'getreg': {
      if (m.buf[4] === SPARSE) {
        if (!toDense(m)) {
          c.server.replyError(c, ERR.hllInvalid);
          return;
        }
        // Redis forces propagation of the conversion without signalling the key.
        db.ks.dirty++;
      }
      c.out.array(REGISTERS);
      for (let j = 0; j < REGISTERS; j++) c.out.int(denseGet(m.buf, HDR_SIZE, j));
      return;
    }
    case 'decode':
      if (m.buf[4] !== SPARSE) {
        c.server.replyError(c, ERR.hllNotSparse);
        return;
      }
      c.out.bulk(decodeSparse(m.buf, m.len));
      return;
    case 'encoding':
      c.out.simple(m.buf[4] === DENSE ? 'dense' : 'sparse');
      return;
    case 'todense': {
      let conv = 0;
      if (m.buf[4] === SPARSE) {
        if (!toDense(m)) {
          c.server.replyError(c, ERR.hllInvalid);
          return;
        }
        conv = 1;
        db.ks.dirty++;
      }
      c.out.int(conv);
      return;
    }
    default:
      c.server.replyError(c, unknownPfdebugSubcommand(sub));
  }
}

// PFSELFTEST
function pfselftest(c: Client): void {
  const err = selfTest(c.server.config.num('hll-sparse-max-bytes'));
  if (err === null) c.out.ok();
  else c.server.replyError(c, 'ERR ' + err);
}
