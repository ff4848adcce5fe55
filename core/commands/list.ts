// List commands: https://redis.io/commands/?group=list
//
// Behaviour follows Redis 7.0's src/t_list.c and the list part of src/blocked.c: the order of
// its checks (which error wins when several apply), its replies' null types (a null bulk for a
// missing single element, a null array where an array was asked for, the null array on every
// blocking timeout), its keyspace events (a command that empties a list deletes the key with a
// "del" event after its own), what it propagates (BLPOP served -> LPOP key, BLMPOP and LMPOP ->
// LPOP key count, BLMOVE -> LMOVE, BRPOPLPUSH -> RPOPLPUSH) and its dirty counts (one per
// element pushed or removed). Lists are PackedList values (core/types/packed_list.ts), which
// OBJECT ENCODING reports as "quicklist", the only list encoding of Redis 7.0.
//
// Blocking commands park with core/blocking.ts and are run again when a key they wait on gets
// data. Run again, they look only at the key that woke them (Redis 7.0 serves a client blocked on
// several keys from the key that became ready), and a value of another type there leaves them
// waiting, since Redis 7.0 serves list waiters only from lists.
import type { CommandSpec } from '../command.ts';
import type { Client } from '../client.ts';
import { ERR, wrongArity } from '../errors.ts';
import type { Database, Entry } from '../keyspace.ts';
import { parseInteger } from '../numbers.ts';
import { parseTimeout } from '../blocking.ts';
import { PackedList } from '../types/packed_list.ts';
import { token } from './string.ts';

export const commands: CommandSpec[] = [
  {
    name: 'lpush', arity: -3, flags: ['write', 'denyoom', 'fast'], categories: ['list'], keys: [1, 1, 1],
    keyFlags: ['RW', 'INSERT'],
    summary: 'Prepend one or multiple elements to a list', since: '1.0.0', group: 'list',
    complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
    history: [['2.4.0', 'Accepts multiple `element` arguments.']],
    args: 'key element [element ...]', handler: lpush,
  },
  {
    name: 'rpush', arity: -3, flags: ['write', 'denyoom', 'fast'], categories: ['list'], keys: [1, 1, 1],
    keyFlags: ['RW', 'INSERT'],
    summary: 'Append one or multiple elements to a list', since: '1.0.0', group: 'list',
    complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
    history: [['2.4.0', 'Accepts multiple `element` arguments.']],
    args: 'key element [element ...]', handler: rpush,
  },
  {
    name: 'lpushx', arity: -3, flags: ['write', 'denyoom', 'fast'], categories: ['list'], keys: [1, 1, 1],
    keyFlags: ['RW', 'INSERT'],
    summary: 'Prepend an element to a list, only if the list exists', since: '2.2.0', group: 'list',
    complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
    history: [['4.0.0', 'Accepts multiple `element` arguments.']],
    args: 'key element [element ...]', handler: lpushx,
  },
  {
    name: 'rpushx', arity: -3, flags: ['write', 'denyoom', 'fast'], categories: ['list'], keys: [1, 1, 1],
    keyFlags: ['RW', 'INSERT'],
    summary: 'Append an element to a list, only if the list exists', since: '2.2.0', group: 'list',
    complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
    history: [['4.0.0', 'Accepts multiple `element` arguments.']],
    args: 'key element [element ...]', handler: rpushx,
  },
  {
    name: 'lpop', arity: -2, flags: ['write', 'fast'], categories: ['list'], keys: [1, 1, 1],
    keyFlags: ['RW', 'ACCESS', 'DELETE'],
    summary: 'Remove and get the first elements in a list', since: '1.0.0', group: 'list',
    complexity: 'O(N) where N is the number of elements returned',
    history: [['6.2.0', 'Added the `count` argument.']],
    args: 'key [count]@6.2.0', handler: lpop,
  },
  {
    name: 'rpop', arity: -2, flags: ['write', 'fast'], categories: ['list'], keys: [1, 1, 1],
    keyFlags: ['RW', 'ACCESS', 'DELETE'],
    summary: 'Remove and get the last elements in a list', since: '1.0.0', group: 'list',
    complexity: 'O(N) where N is the number of elements returned',
    history: [['6.2.0', 'Added the `count` argument.']],
    args: 'key [count]@6.2.0', handler: rpop,
  },
  {
    name: 'llen', arity: 2, flags: ['readonly', 'fast'], categories: ['list'], keys: [1, 1, 1],
    keyFlags: ['RO'],
    summary: 'Get the length of a list', since: '1.0.0', group: 'list', complexity: 'O(1)',
    args: 'key', handler: llen,
  },
  {
    name: 'lrange', arity: 4, flags: ['readonly'], categories: ['list'], keys: [1, 1, 1],
    keyFlags: ['RO', 'ACCESS'],
    summary: 'Get a range of elements from a list', since: '1.0.0', group: 'list',
    complexity: 'O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.',
    args: 'key start stop', handler: lrange,
  },
  {
    name: 'lindex', arity: 3, flags: ['readonly'], categories: ['list'], keys: [1, 1, 1],
    keyFlags: ['RO', 'ACCESS'],
    summary: 'Get an element from a list by its index', since: '1.0.0', group: 'list',
    complexity: 'O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).',
    args: 'key index', handler: lindex,
  },
  {
    name: 'lset', arity: 4, flags: ['write', 'denyoom'], categories: ['list'], keys: [1, 1, 1],
    keyFlags: ['RW', 'UPDATE'],
    summary: 'Set the value of an element in a list by its index', since: '1.0.0', group: 'list',
    complexity: 'O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).',
    args: 'key index element', handler: lset,
  },
  {
    name: 'linsert', arity: 5, flags: ['write', 'denyoom'], categories: ['list'], keys: [1, 1, 1],
    keyFlags: ['RW', 'INSERT'],
    summary: 'Insert an element before or after another element in a list', since: '2.2.0', group: 'list',
    complexity: 'O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).',
    args: 'key where=<BEFORE | AFTER> pivot element', handler: linsert,
  },
  {
    name: 'lrem', arity: 4, flags: ['write'], categories: ['list'], keys: [1, 1, 1],
    keyFlags: ['RW', 'DELETE'],
    summary: 'Remove elements from a list', since: '1.0.0', group: 'list',
    complexity: 'O(N+M) where N is the length of the list and M is the number of elements removed.',
    args: 'key count element', handler: lrem,
  },
  {
    name: 'ltrim', arity: 4, flags: ['write'], categories: ['list'], keys: [1, 1, 1],
    keyFlags: ['RW', 'DELETE'],
    summary: 'Trim a list to the specified range', since: '1.0.0', group: 'list',
    complexity: 'O(N) where N is the number of elements to be removed by the operation.',
    args: 'key start stop', handler: ltrim,
  },
  {
    name: 'lpos', arity: -3, flags: ['readonly'], categories: ['list'], keys: [1, 1, 1],
    keyFlags: ['RO', 'ACCESS'],
    summary: 'Return the index of matching elements on a list', since: '6.0.6', group: 'list',
    complexity: 'O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.',
    args: 'key element [RANK rank] [COUNT num-matches] [MAXLEN len]', handler: lpos,
  },
  {
    name: 'lmove', arity: 5, flags: ['write', 'denyoom'], categories: ['list'], keys: [1, 2, 1],
    keySpecs: [
      { flags: ['RW', 'ACCESS', 'DELETE'], begin: 1, find: { range: [0, 1, 0] } },
      { flags: ['RW', 'INSERT'], begin: 2, find: { range: [0, 1, 0] } },
    ],
    summary: 'Pop an element from a list, push it to another list and return it', since: '6.2.0',
    group: 'list', complexity: 'O(1)',
    args: 'source destination wherefrom=<LEFT | RIGHT> whereto=<LEFT | RIGHT>', handler: lmove,
  },
  {
    name: 'rpoplpush', arity: 3, flags: ['write', 'denyoom'], categories: ['list'], keys: [1, 2, 1],
    keySpecs: [
      { flags: ['RW', 'ACCESS', 'DELETE'], begin: 1, find: { range: [0, 1, 0] } },
      { flags: ['RW', 'INSERT'], begin: 2, find: { range: [0, 1, 0] } },
    ],
    summary: 'Remove the last element in a list, prepend it to another list and return it', since: '1.2.0',
    group: 'list', complexity: 'O(1)', docFlags: ['deprecated'], deprecatedSince: '6.2.0',
    replacedBy: '`LMOVE` with the `RIGHT` and `LEFT` arguments',
    args: 'source destination', handler: rpoplpush,
  },
  {
    name: 'lmpop', arity: -4, flags: ['write'], categories: ['list'], getKeys: mpopKeys(1),
    keySpecs: [{ flags: ['RW', 'ACCESS', 'DELETE'], begin: 1, find: { keynum: [0, 1, 1] } }],
    summary: 'Pop elements from a list', since: '7.0.0', group: 'list',
    complexity: 'O(N+M) where N is the number of provided keys and M is the number of elements returned.',
    args: 'numkeys key [key ...] where=<LEFT | RIGHT> [COUNT count]', handler: lmpop,
  },
  {
    name: 'blpop', arity: -3, flags: ['write', 'noscript', 'blocking'], categories: ['list'], keys: [1, -2, 1],
    keyFlags: ['RW', 'ACCESS', 'DELETE'],
    summary: 'Remove and get the first element in a list, or block until one is available', since: '2.0.0',
    group: 'list', complexity: 'O(N) where N is the number of provided keys.',
    history: [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']],
    args: 'key [key ...] timeout', handler: blpop,
  },
  {
    name: 'brpop', arity: -3, flags: ['write', 'noscript', 'blocking'], categories: ['list'], keys: [1, -2, 1],
    keyFlags: ['RW', 'ACCESS', 'DELETE'],
    summary: 'Remove and get the last element in a list, or block until one is available', since: '2.0.0',
    group: 'list', complexity: 'O(N) where N is the number of provided keys.',
    history: [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']],
    args: 'key [key ...] timeout', handler: brpop,
  },
  {
    name: 'blmove', arity: 6, flags: ['write', 'denyoom', 'noscript', 'blocking'], categories: ['list'],
    keys: [1, 2, 1],
    keySpecs: [
      { flags: ['RW', 'ACCESS', 'DELETE'], begin: 1, find: { range: [0, 1, 0] } },
      { flags: ['RW', 'INSERT'], begin: 2, find: { range: [0, 1, 0] } },
    ],
    summary: 'Pop an element from a list, push it to another list and return it; or block until one is available',
    since: '6.2.0', group: 'list', complexity: 'O(1)',
    args: 'source destination wherefrom=<LEFT | RIGHT> whereto=<LEFT | RIGHT> timeout', handler: blmove,
  },
  {
    name: 'brpoplpush', arity: 4, flags: ['write', 'denyoom', 'noscript', 'blocking'], categories: ['list'],
    keys: [1, 2, 1],
    keySpecs: [
      { flags: ['RW', 'ACCESS', 'DELETE'], begin: 1, find: { range: [0, 1, 0] } },
      { flags: ['RW', 'INSERT'], begin: 2, find: { range: [0, 1, 0] } },
    ],
    summary: 'Pop an element from a list, push it to another list and return it; or block until one is available',
    since: '2.2.0', group: 'list', complexity: 'O(1)',
    history: [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']],
    docFlags: ['deprecated'], deprecatedSince: '6.2.0', replacedBy: '`BLMOVE` with the `RIGHT` and `LEFT` arguments',
    args: 'source destination timeout', handler: brpoplpush,
  },
  {
    name: 'blmpop', arity: -5, flags: ['write', 'blocking'], categories: ['list'], getKeys: mpopKeys(2),
    keySpecs: [{ flags: ['RW', 'ACCESS', 'DELETE'], begin: 2, find: { keynum: [0, 1, 1] } }],
    summary: 'Pop elements from a list, or block until one is available', since: '7.0.0', group: 'list',
    complexity: 'O(N+M) where N is the number of provided keys and M is the number of elements returned.',
    args: 'timeout numkeys key [key ...] where=<LEFT | RIGHT> [COUNT count]', handler: blmpop,
  },
];

// ---------------------------------------------------------------------------------------------
// Helpers

/**
 * Key positions of LMPOP (numkeys at 1) and BLMPOP (numkeys at 2), as Redis reads their keynum
 * key spec: numkeys must be a non-negative integer and the keys must lie within the arguments
 * (the LEFT/RIGHT token may be taken for a key, as in Redis); else none.
 */
function mpopKeys(numkeysAt: number): (argv: readonly string[]) => number[] {
  return (argv) => {
    if (numkeysAt >= argv.length) return [];
    const n = parseInteger(argv[numkeysAt]);
    if (n === null || n < 0) return [];
    const first = numkeysAt + 1;
    const last = first + n - 1;
    if (last >= argv.length || last < first) return [];
    const out: number[] = [];
    for (let i = first; i <= last; i++) out.push(i);
    return out;
  };
}

/** The list in `e`, or null after replying WRONGTYPE when the key holds another type. */
function listOrReply(c: Client, e: Entry): PackedList | null {
  const v = e.value;
  if (v instanceof PackedList) return v;
  c.server.replyError(c, ERR.wrongType);
  return null;
}

function notify(db: Database, event: string, key: string): void {
  db.ks.hooks.notify('l', event, key, db);
}

/**
 * Redis's listElementsRemoved: after `n` elements were popped from an end, the pop event, then
 * the key deleted (with a "del" event) when the list is empty; WATCH is told and the dirty
 * counter grows by `n`.
 */
function elementsRemoved(db: Database, key: string, list: PackedList, head: boolean, n: number): void {
  const ks = db.ks;
  const dirty = ks.dirty;
  notify(db, head ? 'lpop' : 'rpop', key);
  if (list.length === 0) {
    db.delete(key);
    ks.hooks.notify('g', 'del', key, db);
  } else {
    db.modified(key);
  }
  ks.dirty = dirty + n;
}

/** LEFT or RIGHT as Redis's getListPositionFromObjectOrReply reads it: true for LEFT (the head),
 * false for RIGHT, null after a syntax error. */
function whereOrReply(c: Client, arg: string): boolean | null {
  const t = token(arg);
  if (t === 'right') return false;
  if (t === 'left') return true;
  c.server.replyError(c, ERR.syntax);
  return null;
}

/** The key a blocked client's command is being run again for, or null on a first run. */
function servingKey(c: Client): string | null {
  return c.blocked !== null ? c.server.blocking.servingKey : null;
}

function replyTimeout(c: Client): void {
  c.out.nilArray();
}

/** LPUSH/RPUSH/LPUSHX/RPUSHX: Redis's pushGenericCommand (`xx`: only onto an existing list). */
function pushGeneric(c: Client, argv: string[], head: boolean, xx: boolean): void {
  const db = c.db;
  const key = argv[1];
  const e = db.lookupWrite(key);
  let list: PackedList;
  if (e !== undefined) {
    const v = e.value;
    if (!(v instanceof PackedList)) {
      c.server.replyError(c, ERR.wrongType);
      return;
    }
    list = v;
  } else {
    if (xx) {
      c.out.int(0);
      return;
    }
    list = new PackedList();
  }
  const n = argv.length;
  if (head) for (let j = 2; j < n; j++) list.pushHead(argv[j]);
  else for (let j = 2; j < n; j++) list.pushTail(argv[j]);
  const ks = db.ks;
  const dirty = ks.dirty;
  // A new list is added once it holds its elements: waiting clients are served after this
  // command anyway (core/blocking.ts), and an empty list must never be visible.
  if (e === undefined) db.add(key, list);
  else db.modified(key);
  ks.dirty = dirty + n - 2;
  c.out.int(list.length);
  notify(db, head ? 'lpush' : 'rpush', key);
}

/** LPOP/RPOP: Redis's popGenericCommand; with a count, an array of up to count elements. */
function popGeneric(c: Client, argv: string[], head: boolean): void {
  if (argv.length > 3) {
    c.server.replyError(c, wrongArity(head ? 'lpop' : 'rpop'));
    return;
  }
  const hasCount = argv.length === 3;
  let count = 0;
  if (hasCount) {
    const n = parseInteger(argv[2]);
    // getPositiveLongFromObjectOrReply: the same error for a non-number and a negative one.
    if (n === null || n < 0) {
      c.server.replyError(c, ERR.notPositive);
      return;
    }
    count = n;
  }
  const db = c.db;
  const key = argv[1];
  const e = db.lookupWrite(key);
  if (e === undefined) {
    if (hasCount) c.out.nilArray();
    else c.out.nil();
    return;
  }
  const list = listOrReply(c, e);
  if (list === null) return;
  if (hasCount && count === 0) {
    c.out.array(0);
    return;
  }
  const out = c.out;
  if (!hasCount) {
    if (head) list.popHeadTo(out);
    else list.popTailTo(out);
    elementsRemoved(db, key, list, head, 1);
    return;
  }
  const n = Math.min(count, list.length);
  out.array(n);
  if (head) for (let i = 0; i < n; i++) list.popHeadTo(out);
  else for (let i = 0; i < n; i++) list.popTailTo(out);
  elementsRemoved(db, key, list, head, n);
}

/** Redis's addListRangeReply: elements start..end (negative from the end, clamped), reversed
 * (from end down to start) when `reverse`. */
function replyRange(c: Client, list: PackedList, start: number, end: number, reverse: boolean): void {
  const len = list.length;
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (start > end || start >= len) {
    c.out.array(0);
    return;
  }
  if (end >= len) end = len - 1;
  c.out.array(end - start + 1);
  list.writeRange(start, end, c.out, reverse);
}

/**
 * Redis's listPopRangeAndReplyWithKey (LMPOP, BLMPOP): [key, [up to count elements]] from one
 * end, then the events; propagated as LPOP/RPOP key n.
 */
function popRangeWithKey(c: Client, key: string, list: PackedList, head: boolean, count: number): void {
  const n = Math.min(count, list.length);
  const out = c.out;
  out.array(2);
  out.bulk(key);
  out.array(n);
  if (head) for (let i = 0; i < n; i++) list.popHeadTo(out);
  else for (let i = 0; i < n; i++) list.popTailTo(out);
  elementsRemoved(c.db, key, list, head, n);
  c.server.propagateAs = [[head ? 'LPOP' : 'RPOP', key, String(n)]];
}

/**
 * BLPOP/BRPOP served: [key, element], propagated as LPOP/RPOP key. Served after waiting, the pop
 * is not counted as a change (Redis 7.0's serveClientBlockedOnList skips listElementsRemoved and
 * its dirty count, INFO rdb_changes_since_last_save), but is propagated all the same.
 */
function popOneWithKey(c: Client, key: string, list: PackedList, head: boolean, served = false): void {
  const out = c.out;
  out.array(2);
  out.bulk(key);
  if (head) list.popHeadTo(out);
  else list.popTailTo(out);
  const ks = c.db.ks;
  const dirty = ks.dirty;
  elementsRemoved(c.db, key, list, head, 1);
  if (served) {
    ks.dirty = dirty;
    c.server.forcePropagate = true;
  }
  c.server.propagateAs = [[head ? 'LPOP' : 'RPOP', key]];
}

/**
 * LMOVE's core (Redis's lmoveGenericCommand and lmoveHandlePush): pops from `src`, pushes onto
 * `dst` (created when missing) and replies with the element. The destination's push event comes
 * before the source's pop event, as in Redis. Returns false when nothing moved (no source, after
 * a null reply; or a wrong type, after the error).
 */
function moveGeneric(c: Client, src: string, dst: string, fromHead: boolean, toHead: boolean): boolean {
  const db = c.db;
  const se = db.lookupWrite(src);
  if (se === undefined) {
    c.out.nil();
    return false;
  }
  const from = listOrReply(c, se);
  if (from === null) return false;
  const de = db.lookupWrite(dst);
  let to: PackedList | null = null;
  if (de !== undefined) {
    to = listOrReply(c, de);
    if (to === null) return false;
  }
  const ks = db.ks;
  const dirty = ks.dirty;
  const value = (fromHead ? from.popHead() : from.popTail())!;
  if (to === null) {
    to = new PackedList();
    if (toHead) to.pushHead(value);
    else to.pushTail(value);
    db.add(dst, to);
  } else {
    if (toHead) to.pushHead(value);
    else to.pushTail(value);
    db.modified(dst);
  }
  notify(db, toHead ? 'lpush' : 'rpush', dst);
  c.out.bulk(value);
  notify(db, fromHead ? 'lpop' : 'rpop', src);
  if (from.length === 0) {
    db.delete(src);
    ks.hooks.notify('g', 'del', src, db);
  } else {
    ks.hooks.modified(db, src);
  }
  ks.dirty = dirty + 1;
  return true;
}

/** The parsed arguments of LMPOP/BLMPOP. */
interface MpopArgs {
  keysAt: number;
  numkeys: number;
  head: boolean;
  count: number;
}

/**
 * Redis's lmpopGenericCommand argument checks, numkeys at argv[at]: numkeys >= 1, the LEFT/RIGHT
 * after the keys, then at most one COUNT >= 1. Null after replying with the error.
 */
function mpopArgs(c: Client, argv: string[], at: number): MpopArgs | null {
  const numkeys = parseInteger(argv[at]);
  if (numkeys === null || numkeys < 1) {
    c.server.replyError(c, ERR.numkeysNotPositive);
    return null;
  }
  const whereAt = at + numkeys + 1;
  if (whereAt >= argv.length) {
    c.server.replyError(c, ERR.syntax);
    return null;
  }
  const head = whereOrReply(c, argv[whereAt]);
  if (head === null) return null;
  let count = -1;
  for (let j = whereAt + 1; j < argv.length; j++) {
    if (count === -1 && token(argv[j]) === 'count' && j + 1 < argv.length) {
      j++;
      const n = parseInteger(argv[j]);
      if (n === null || n < 1) {
        c.server.replyError(c, ERR.countNotPositive);
        return null;
      }
      count = n;
    } else {
      c.server.replyError(c, ERR.syntax);
      return null;
    }
  }
  return { keysAt: at + 1, numkeys, head, count: count === -1 ? 1 : count };
}

/**
 * BLPOP, BRPOP, BLMPOP (Redis's blockingPopGenericCommand): the first key in argument order that
 * holds a list is popped (a key of another type is an error); with none, the client blocks on
 * all of them. `count` is null for BLPOP/BRPOP (one element, [key, element]) and the count of
 * BLMPOP ([key, [elements]]).
 */
function blockingPop(c: Client, argv: string[], keysAt: number, numkeys: number, head: boolean,
  count: number | null, timeoutMs: number): void {
  const db = c.db;
  const serving = servingKey(c);
  if (serving !== null) {
    const e = db.lookupWrite(serving);
    if (e !== undefined && e.value instanceof PackedList) {
      if (count === null) popOneWithKey(c, serving, e.value, head, true);
      else popRangeWithKey(c, serving, e.value, head, count);
      return;
    }
  } else {
    for (let j = keysAt; j < keysAt + numkeys; j++) {
      const key = argv[j];
      const e = db.lookupWrite(key);
      if (e === undefined) continue;
      const list = listOrReply(c, e);
      if (list === null) return;
      if (count === null) popOneWithKey(c, key, list, head);
      else popRangeWithKey(c, key, list, head, count);
      return;
    }
  }
  const keys = argv.slice(keysAt, keysAt + numkeys);
  if (!c.server.blocking.block(c, { keys, timeoutMs, onTimeout: replyTimeout })) c.out.nilArray();
}

/**
 * BLMOVE and BRPOPLPUSH (Redis's blmoveGenericCommand): moves at once when the source holds a
 * list, else blocks on the source. Inside MULTI the answer is a null bulk, on timeout a null
 * array, as in Redis. Propagated as LMOVE (with the directions as given, or "left"/"right" when
 * served after waiting, as Redis writes them) or RPOPLPUSH.
 */
function blockingMove(c: Client, argv: string[], fromHead: boolean, toHead: boolean, timeoutMs: number,
  isRpoplpush: boolean): void {
  const src = argv[1];
  const dst = argv[2];
  const serving = servingKey(c);
  const e = c.db.lookupWrite(src);
  if (e !== undefined && (serving === null || e.value instanceof PackedList)) {
    const ks = c.db.ks;
    const dirty = ks.dirty;
    if (!moveGeneric(c, src, dst, fromHead, toHead)) return;
    if (serving !== null) {
      // Served after waiting, the move is no change to count (Redis 7.0's
      // serveClientBlockedOnList pushes with lmoveHandlePush, which has no dirty count), but is
      // propagated all the same.
      ks.dirty = dirty;
      c.server.forcePropagate = true;
    }
    if (isRpoplpush) c.server.propagateAs = [['RPOPLPUSH', src, dst]];
    else if (serving === null) c.server.propagateAs = [['LMOVE', src, dst, argv[3], argv[4]]];
    else c.server.propagateAs = [['LMOVE', src, dst, fromHead ? 'left' : 'right', toHead ? 'left' : 'right']];
    return;
  }
  if (!c.server.blocking.block(c, { keys: [src], timeoutMs, onTimeout: replyTimeout })) c.out.nil();
}

// ---------------------------------------------------------------------------------------------
// Handlers

// LPUSH
function lpush(c: Client, argv: string[]): void {
  pushGeneric(c, argv, true, false);
}

// RPUSH
function rpush(c: Client, argv: string[]): void {
  pushGeneric(c, argv, false, false);
}

// LPUSHX
function lpushx(c: Client, argv: string[]): void {
  pushGeneric(c, argv, true, true);
}

// RPUSHX
function rpushx(c: Client, argv: string[]): void {
  pushGeneric(c, argv, false, true);
}

// LPOP
function lpop(c: Client, argv: string[]): void {
  popGeneric(c, argv, true);
}

// RPOP
function rpop(c: Client, argv: string[]): void {
  popGeneric(c, argv, false);
}

// LLEN
function llen(c: Client, argv: string[]): void {
  const e = c.db.lookupRead(argv[1]);
  if (e === undefined) {
    c.out.int(0);
    return;
  }
  const list = listOrReply(c, e);
  if (list !== null) c.out.int(list.length);
}

// LRANGE
function lrange(c: Client, argv: string[]): void {
  const start = parseInteger(argv[2]);
  const end = start === null ? null : parseInteger(argv[3]);
  if (start === null || end === null) {
    c.server.replyError(c, ERR.notInteger);
    return;
  }
  const e = c.db.lookupRead(argv[1]);
  if (e === undefined) {
    c.out.array(0);
    return;
  }
  const list = listOrReply(c, e);
  if (list !== null) replyRange(c, list, start, end, false);
}

// LINDEX
function lindex(c: Client, argv: string[]): void {
  const e = c.db.lookupRead(argv[1]);
  if (e === undefined) {
    c.out.nil();
    return;
  }
  const list = listOrReply(c, e);
  if (list === null) return;
  const index = parseInteger(argv[2]);
  if (index === null) {
    c.server.replyError(c, ERR.notInteger);
    return;
  }
  const v = list.at(index < 0 ? list.length + index : index);
  if (v === undefined) c.out.nil();
  else c.out.bulk(v);
}

// LSET
function lset(c: Client, argv: string[]): void {
  const db = c.db;
  const key = argv[1];
  const e = db.lookupWrite(key);
  if (e === undefined) {
    c.server.replyError(c, ERR.noKey);
    return;
  }
  const list = listOrReply(c, e);
  if (list === null) return;
  const index = parseInteger(argv[2]);
  if (index === null) {
    c.server.replyError(c, ERR.notInteger);
    return;
  }
  if (!list.set(index < 0 ? list.length + index : index, argv[3])) {
    c.server.replyError(c, ERR.outOfRange);
    return;
  }
  c.out.ok();
  db.modified(key);
  notify(db, 'lset', key);
}

// LINSERT
function linsert(c: Client, argv: string[]): void {
  const where = token(argv[2]);
  if (where !== 'after' && where !== 'before') {
    c.server.replyError(c, ERR.syntax);
    return;
  }
  const db = c.db;
  const key = argv[1];
  const e = db.lookupWrite(key);
  if (e === undefined) {
    c.out.int(0);
    return;
  }
  const list = listOrReply(c, e);
  if (list === null) return;
  const at = list.indexOf(argv[3]);
  if (at < 0) {
    c.out.int(-1);
    return;
  }
  list.insert(where === 'after' ? at + 1 : at, argv[4]);
  db.modified(key);
  notify(db, 'linsert', key);
  c.out.int(list.length);
}

// LREM
function lrem(c: Client, argv: string[]): void {
  const count = parseInteger(argv[2]);
  if (count === null) {
    c.server.replyError(c, ERR.notInteger);
    return;
  }
  const db = c.db;
  const key = argv[1];
  const e = db.lookupWrite(key);
  if (e === undefined) {
    c.out.int(0);
    return;
  }
  const list = listOrReply(c, e);
  if (list === null) return;
  const ks = db.ks;
  const dirty = ks.dirty;
  const removed = list.remove(argv[3], Math.abs(count), count < 0);
  if (removed > 0) {
    ks.hooks.modified(db, key);
    notify(db, 'lrem', key);
  }
  if (list.length === 0) {
    db.delete(key);
    ks.hooks.notify('g', 'del', key, db);
  }
  ks.dirty = dirty + removed;
  c.out.int(removed);
}

// LTRIM
function ltrim(c: Client, argv: string[]): void {
  let start = parseInteger(argv[2]);
  let end = start === null ? null : parseInteger(argv[3]);
  if (start === null || end === null) {
    c.server.replyError(c, ERR.notInteger);
    return;
  }
  const db = c.db;
  const key = argv[1];
  const e = db.lookupWrite(key);
  if (e === undefined) {
    c.out.ok();
    return;
  }
  const list = listOrReply(c, e);
  if (list === null) return;
  const len = list.length;
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  let left: number;
  let right: number;
  if (start > end || start >= len) {
    left = len;
    right = 0;
  } else {
    if (end >= len) end = len - 1;
    left = start;
    right = len - end - 1;
  }
  const ks = db.ks;
  const dirty = ks.dirty;
  list.dropHead(left);
  list.dropTail(right);
  notify(db, 'ltrim', key);
  if (list.length === 0) {
    db.delete(key);
    ks.hooks.notify('g', 'del', key, db);
  }
  // Redis signals the key even when nothing was trimmed (a WATCH on it fails).
  ks.hooks.modified(db, key);
  ks.dirty = dirty + left + right;
  c.out.ok();
}

// LPOS
function lpos(c: Client, argv: string[]): void {
  let rank = 1;
  let count = -1;
  let maxlen = 0;
  // RANK -9223372036854775808 cannot be negated in C: Redis then takes every match from the tail
  // as ranked, and never reaches a COUNT.
  let rankMin = false;
  for (let j = 3; j < argv.length; j++) {
    const opt = token(argv[j]);
    const more = j < argv.length - 1;
    if (opt === 'rank' && more) {
      const v = parseInteger(argv[++j]);
      if (v === null) {
        c.server.replyError(c, ERR.notInteger);
        return;
      }
      if (v === 0) {
        c.server.replyError(c, ERR.lposRankZero);
        return;
      }
      rank = v;
      rankMin = argv[j] === '-9223372036854775808';
    } else if (opt === 'count' && more) {
      const v = parseInteger(argv[++j]);
      if (v === null || v < 0) {
        c.server.replyError(c, ERR.lposCountNegative);
        return;
      }
      count = v;
    } else if (opt === 'maxlen' && more) {
      const v = parseInteger(argv[++j]);
      if (v === null || v < 0) {
        c.server.replyError(c, ERR.lposMaxlenNegative);
        return;
      }
      maxlen = v;
    } else {
      c.server.replyError(c, ERR.syntax);
      return;
    }
  }
  const reverse = rank < 0;
  if (reverse) rank = -rank;
  const e = c.db.lookupRead(argv[1]);
  if (e === undefined) {
    if (count !== -1) c.out.array(0);
    else c.out.nil();
    return;
  }
  const list = listOrReply(c, e);
  if (list === null) return;
  const element = argv[2];
  let matches = 0;
  if (count === -1) {
    let found = -1;
    list.matches(element, reverse, maxlen, (index) => {
      matches++;
      if (rankMin || matches >= rank) {
        found = index;
        return false;
      }
      return true;
    });
    if (found >= 0) c.out.int(found);
    else c.out.nil();
    return;
  }
  const found: number[] = [];
  list.matches(element, reverse, maxlen, (index) => {
    matches++;
    if (rankMin || matches >= rank) {
      found.push(index);
      if (!rankMin && count > 0 && matches - rank + 1 >= count) return false;
    }
    return true;
  });
  c.out.array(found.length);
  for (const i of found) c.out.int(i);
}

// LMOVE
function lmove(c: Client, argv: string[]): void {
  const fromHead = whereOrReply(c, argv[3]);
  if (fromHead === null) return;
  const toHead = whereOrReply(c, argv[4]);
  if (toHead === null) return;
  moveGeneric(c, argv[1], argv[2], fromHead, toHead);
}

// RPOPLPUSH
function rpoplpush(c: Client, argv: string[]): void {
  moveGeneric(c, argv[1], argv[2], false, true);
}

// LMPOP
function lmpop(c: Client, argv: string[]): void {
  const a = mpopArgs(c, argv, 1);
  if (a === null) return;
  const db = c.db;
  for (let j = a.keysAt; j < a.keysAt + a.numkeys; j++) {
    const key = argv[j];
    const e = db.lookupWrite(key);
    if (e === undefined) continue;
    const list = listOrReply(c, e);
    if (list === null) return;
    popRangeWithKey(c, key, list, a.head, a.count);
    return;
  }
  c.out.nilArray();
}

// BLPOP
function blpop(c: Client, argv: string[]): void {
  const timeoutMs = parseTimeout(c, argv[argv.length - 1], 'seconds');
  if (timeoutMs === null) return;
  blockingPop(c, argv, 1, argv.length - 2, true, null, timeoutMs);
}

// BRPOP
function brpop(c: Client, argv: string[]): void {
  const timeoutMs = parseTimeout(c, argv[argv.length - 1], 'seconds');
  if (timeoutMs === null) return;
  blockingPop(c, argv, 1, argv.length - 2, false, null, timeoutMs);
}

// BLMOVE
function blmove(c: Client, argv: string[]): void {
  const fromHead = whereOrReply(c, argv[3]);
  if (fromHead === null) return;
  const toHead = whereOrReply(c, argv[4]);
  if (toHead === null) return;
  const timeoutMs = parseTimeout(c, argv[5], 'seconds');
  if (timeoutMs === null) return;
  blockingMove(c, argv, fromHead, toHead, timeoutMs, false);
}

// BRPOPLPUSH
function brpoplpush(c: Client, argv: string[]): void {
  const timeoutMs = parseTimeout(c, argv[3], 'seconds');
  if (timeoutMs === null) return;
  blockingMove(c, argv, false, true, timeoutMs, true);
}

// BLMPOP
function blmpop(c: Client, argv: string[]): void {
  const a = mpopArgs(c, argv, 2);
  if (a === null) return;
  const timeoutMs = parseTimeout(c, argv[1], 'seconds');
  if (timeoutMs === null) return;
  blockingPop(c, argv, a.keysAt, a.numkeys, a.head, a.count, timeoutMs);
}
