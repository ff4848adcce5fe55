// SORT and SORT_RO (generic group): https://redis.io/commands/sort/
//
// Kept apart from generic.ts because SORT is a small query language of its own. Behaviour follows
// Redis 7.0's src/sort.c: options parsed left to right (a bad LIMIT number or an unknown word
// ends the parse with its error), then the key's type is checked (list, set or sorted set; a
// missing key sorts as an empty list). A BY pattern without '*' means "do not sort": lists and
// sorted sets then come out in their own order (reversed by DESC) and sets in theirs, except that
// STORE sorts a set anyway, alphabetically, so replicas and the AOF get the same list. Numeric
// sorting reads each weight as C's strtod would (the whole string, no NaN, no overflow) and
// breaks ties by comparing the elements as bytes; ALPHA compares bytes (strcoll in the C locale,
// so up to a NUL byte, unless STORE, which compares binary). A sorted set sorted is converted to
// a skiplist, as Redis does. `pattern*rest` substitutes the
// element for '*' and reads that string key, `pattern*->field` a hash field, `#` the element.
import type { CommandSpec } from '../command.ts';
import type { Client } from '../client.ts';
import { ERR } from '../errors.ts';
import type { Database } from '../keyspace.ts';
import { isString, stringOf } from '../keyspace.ts';
import { parseDouble, parseInt64 } from '../numbers.ts';
import { pqsort } from '../types/geohash.ts';
import { HashValue } from '../types/hash.ts';
import { PackedList } from '../types/packed_list.ts';
import { SetValue } from '../types/set.ts';
import { ZSet } from '../types/zset.ts';

const SORT_ARGS = 'key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] order=[ASC | DESC] sorting=[ALPHA]';
const SORT_COMPLEXITY = 'O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number ' +
  'of returned elements. When the elements are not sorted, complexity is O(N).';

export const commands: CommandSpec[] = [
  {
    name: 'sort', arity: -2, flags: ['write', 'denyoom'], categories: ['set', 'sortedset', 'list', 'dangerous'],
    keys: [1, 1, 1], getKeys: sortKeys,
    keySpecs: [
      { flags: ['RO', 'ACCESS'], begin: 1, find: { range: [0, 1, 0] } },
      {
        notes: "For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort",
        flags: ['RO', 'ACCESS'], begin: 'unknown', find: 'unknown', args: ['pattern'],
      },
      {
        notes: "For the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in the argument array",
        flags: ['OW', 'UPDATE'], begin: 'unknown', find: 'unknown', args: ['destination'],
      },
    ],
    summary: 'Sort the elements in a list, set or sorted set', since: '1.0.0', group: 'generic',
    complexity: SORT_COMPLEXITY, args: SORT_ARGS + ' [STORE destination]', handler: sort,
  },
  {
    name: 'sort_ro', arity: -2, flags: ['readonly'], categories: ['set', 'sortedset', 'list', 'dangerous'],
    keys: [1, 1, 1], getKeys: () => [1],
    keySpecs: [
      { flags: ['RO', 'ACCESS'], begin: 1, find: { range: [0, 1, 0] } },
      {
        notes: "For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort",
        flags: ['RO', 'ACCESS'], begin: 'unknown', find: 'unknown', args: ['pattern'],
      },
    ],
    summary: 'Sort the elements in a list, set or sorted set. Read-only variant of SORT.', since: '7.0.0', group: 'generic',
    complexity: SORT_COMPLEXITY, args: SORT_ARGS, handler: sortRo,
  },
];

/** COMMAND GETKEYS for SORT: the key, and the STORE destination (Redis's sortGetKeys). */
function sortKeys(argv: readonly string[]): number[] {
  const keys = [1];
  // Skips the arguments of options the way the parser does, so a STORE inside a GET pattern is
  // not taken for the option.
  const skip: Record<string, number> = { limit: 2, get: 1, by: 1 };
  for (let i = 2; i < argv.length; i++) {
    const opt = argv[i].toLowerCase();
    const n = skip[opt];
    if (n !== undefined) {
      i += n;
    } else if (opt === 'store' && i + 1 < argv.length) {
      // Redis reports the last STORE, as the command uses it (and, as sortGetKeys, does not skip
      // the destination while looking).
      keys.length = 1;
      keys.push(i + 1);
    }
  }
  return keys;
}

/** One element to sort and its weight. */
interface Item {
  obj: string;
  score: number;
  /** ALPHA with BY: the weight as bytes, null when the weight key is missing. */
  cmp: string | null;
}

// SORT
function sort(c: Client, argv: string[]): void {
  sortGeneric(c, argv, false);
}

// SORT_RO
function sortRo(c: Client, argv: string[]): void {
  sortGeneric(c, argv, true);
}

function sortGeneric(c: Client, argv: string[], readonly: boolean): void {
  const server = c.server;
  let desc = false;
  let alpha = false;
  let limitStart = -1;
  let limitCount = -1;
  let dontsort = false;
  let sortby: string | null = null;
  let storekey: string | null = null;
  const gets: string[] = [];
  for (let j = 2; j < argv.length; j++) {
    const left = argv.length - j - 1;
    const opt = argv[j].toLowerCase();
    if (opt === 'asc') desc = false;
    else if (opt === 'desc') desc = true;
    else if (opt === 'alpha') alpha = true;
    else if (opt === 'limit' && left >= 2) {
      const a = parseInt64(argv[j + 1]);
      const b = a === null ? null : parseInt64(argv[j + 2]);
      if (a === null || b === null) {
        server.replyError(c, ERR.notInteger);
        return;
      }
      limitStart = clamp(a);
      limitCount = clamp(b);
      j += 2;
    } else if (!readonly && opt === 'store' && left >= 1) {
      storekey = argv[++j];
    } else if (opt === 'by' && left >= 1) {
      sortby = argv[++j];
      // A BY pattern without '*' names no per-element key: nothing to sort by.
      if (!cstr(sortby).includes('*')) dontsort = true;
    } else if (opt === 'get' && left >= 1) {
      gets.push(argv[++j]);
    } else {
      server.replyError(c, ERR.syntax);
      return;
    }
  }
  const db = c.db;
  const store = storekey !== null;
  // A read lookup even with STORE, as Redis 7.0 does: a missing key counts a keyspace miss and
  // fires `keymiss`.
  const e = db.lookupRead(argv[1]);
  const v = e?.value;
  if (v !== undefined && !(v instanceof PackedList) && !(v instanceof SetValue) && !(v instanceof ZSet)) {
    server.replyError(c, ERR.wrongType);
    return;
  }
  // Redis converts a sorted set to its skiplist encoding for SORT (SORT_RO too), in place.
  if (v instanceof ZSet && v.listpack) {
    db.willChange(argv[1], e!);
    v.listpack = false;
  }
  // A set's own order is its hash table's: what is stored must not depend on it.
  if (dontsort && v instanceof SetValue && store) {
    dontsort = false;
    alpha = true;
    sortby = null;
  }
  const len = v === undefined ? 0 : v instanceof PackedList ? v.length : v.size;
  let start = limitStart < 0 ? 0 : limitStart;
  let end = limitCount < 0 ? len - 1 : start + limitCount - 1;
  if (start >= len) {
    start = len - 1;
    end = len - 2;
  }
  if (end >= len) end = len - 1;

  // The elements: in their own order (only the range when it is not sorted), else all.
  let items: Item[] = [];
  const add = (obj: string): void => {
    items.push({ obj, score: 0, cmp: null });
  };
  if ((v instanceof PackedList || v instanceof ZSet) && dontsort) {
    if (end >= start) {
      const all: string[] = [];
      if (v instanceof PackedList) v.each((x) => all.push(x));
      else v.forEach((m) => all.push(m));
      if (desc) all.reverse();
      for (let i = start; i <= end; i++) add(all[i]);
    }
    end = items.length - 1;
    start = 0;
  } else if (v instanceof PackedList) {
    v.each(add);
  } else if (v instanceof SetValue) {
    for (let i = 0; i < v.size; i++) add(v.at(i));
  } else if (v instanceof ZSet) {
    v.forEach((m) => add(m));
  }

  let conversionError = false;
  if (!dontsort) {
    for (const it of items) {
      let by: string | null = it.obj;
      if (sortby !== null) by = lookupByPattern(db, sortby, it.obj);
      if (by === null) continue;
      if (alpha) {
        if (sortby !== null) it.cmp = by;
      } else {
        const s = sortScore(by);
        if (s === null) conversionError = true;
        else it.score = s;
      }
    }
    const byPattern = sortby !== null;
    const cmpItems = (a: Item, b: Item): number => {
      let cmp: number;
      if (!alpha) {
        cmp = a.score > b.score ? 1 : a.score < b.score ? -1 : compareBytes(a.obj, b.obj);
      } else if (byPattern) {
        if (a.cmp === null || b.cmp === null) cmp = a.cmp === b.cmp ? 0 : a.cmp === null ? -1 : 1;
        else cmp = store ? compareBytes(a.cmp, b.cmp) : compareBytes(cstr(a.cmp), cstr(b.cmp));
      } else {
        cmp = store ? compareBytes(a.obj, b.obj) : compareBytes(cstr(a.obj), cstr(b.obj));
      }
      return desc ? -cmp : cmp;
    };
    // As Redis: its pqsort (not stable) when BY and a LIMIT short of everything, else glibc's
    // qsort, a merge sort, stable as Array.prototype.sort. Ties (ALPHA BY with equal or missing
    // weights) come out in the order each one leaves them.
    if (byPattern && (start !== 0 || end !== len - 1)) pqsort(items, cmpItems, { lrange: start, rrange: end });
    else items.sort(cmpItems);
  }

  const n = end - start + 1;
  const outputLen = gets.length > 0 ? gets.length * n : n;
  if (conversionError) {
    server.replyError(c, ERR_SCORES);
    return;
  }
  if (!store) {
    const out = c.out;
    out.array(outputLen);
    for (let j = start; j <= end; j++) {
      const obj = items[j].obj;
      if (gets.length === 0) out.bulk(obj);
      for (const g of gets) {
        const val = lookupByPattern(db, g, obj);
        if (val === null) out.nil();
        else out.bulk(val);
      }
    }
    return;
  }
  const values: string[] = [];
  for (let j = start; j <= end; j++) {
    const obj = items[j].obj;
    if (gets.length === 0) values.push(obj);
    for (const g of gets) values.push(lookupByPattern(db, g, obj) ?? '');
  }
  const key = storekey!;
  if (outputLen > 0) {
    db.set(key, PackedList.from(values));
    db.ks.hooks.notify('l', 'sortstore', key, db);
    // Redis counts one change per element stored.
    db.ks.dirty += outputLen - 1;
  } else if (db.delete(key)) {
    db.ks.hooks.notify('g', 'del', key, db);
  }
  c.out.int(outputLen);
}

const ERR_SCORES = "ERR One or more scores can't be converted into double";

/**
 * Redis's lookupKeyByPattern: `#` is the element itself; otherwise the first '*' is replaced by
 * the element and the key read: a string, or with `->field` after the '*' a hash field. Null
 * when there is no '*', no such key or field, or a key of another type.
 */
function lookupByPattern(db: Database, pattern: string, subst: string): string | null {
  if (pattern === '#' || (pattern.charCodeAt(0) === 35 && pattern.charCodeAt(1) === 0)) return subst;
  const spat = cstr(pattern);
  const p = spat.indexOf('*');
  if (p < 0) return null;
  // A hash field: "->" after the '*' with something after it.
  const f = spat.indexOf('->', p + 1);
  const hasField = f >= 0 && f + 2 < spat.length;
  const field = hasField ? pattern.slice(f + 2) : '';
  const keyEnd = hasField ? f : pattern.length;
  const key = pattern.slice(0, p) + subst + pattern.slice(p + 1, keyEnd);
  // A read lookup with STORE too (Redis 7.0): hits and misses are counted, a miss fires keymiss.
  const e = db.lookupRead(key);
  if (e === undefined) return null;
  if (hasField) {
    if (!(e.value instanceof HashValue)) return null;
    return e.value.get(field) ?? null;
  }
  return isString(e.value) ? stringOf(e.value) : null;
}

/**
 * A weight as SORT reads it with strtod: leading blanks skipped, the rest must be a number up to
 * the end (or a NUL byte), no NaN, no overflow or underflow (ERANGE); the empty string is 0.
 */
function sortScore(s: string): number | null {
  s = cstr(s);
  if (s.length === 0) return 0;
  let i = 0;
  while (i < s.length && (s.charCodeAt(i) === 32 || (s.charCodeAt(i) >= 9 && s.charCodeAt(i) <= 13))) i++;
  const body = s.slice(i);
  const d = parseDouble(body);
  if (d === null) return null;
  const literalInf = /inf/i.test(body);
  if (!Number.isFinite(d) && !literalInf) return null;
  if (!literalInf && Math.abs(d) < 2.2250738585072014e-308) {
    // Underflow: a result that is zero or subnormal although the digits are not all zero.
    const digits = body.toLowerCase().startsWith('0x', body[0] === '-' || body[0] === '+' ? 1 : 0)
      ? body.replace(/p.*$/i, '').slice(2) : body.replace(/e.*$/i, '');
    if (/[1-9a-f]/i.test(digits.replace(/^[-+]?0x/i, ''))) return null;
  }
  return d;
}

/** The part of `s` a C string function sees: up to the first NUL byte. */
function cstr(s: string): string {
  const i = s.indexOf('\0');
  return i < 0 ? s : s.slice(0, i);
}

/** Byte-string order (memcmp, then the shorter first), as Redis's compareStringObjects. */
function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A 64-bit LIMIT argument as a number (beyond 2^53 only its sign and size matter). */
function clamp(x: bigint): number {
  return Number(x);
}
