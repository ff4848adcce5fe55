// Sorted set commands: https://redis.io/commands/?group=sorted-set
//
// Behaviour follows Redis 7.0's src/t_zset.c: the order of its checks (which error wins when
// several apply), its error texts, what it propagates (ZMPOP and served BZPOPMIN/BZPOPMAX/BZMPOP
// as ZPOPMIN/ZPOPMAX), its keyspace events, and the encoding it would use (core/types/zset.ts
// explains why that is tracked: OBJECT ENCODING, ZSCAN's shape and -0 scores depend on it).
//
// Numbers are read the way Redis reads them, which differs per argument:
// - scores and weights (ZADD, ZINCRBY, WEIGHTS): string2d, i.e. strtod over the whole argument,
//   no leading blank, no overflow to infinity or underflow to zero, no NaN;
// - score ranges (ZCOUNT, ZRANGEBYSCORE ...): strtod on the argument as a C string, so leading
//   blanks, an empty string (0) and anything after a NUL byte pass, and overflow gives +-inf;
// - timeouts: a long double, times 1000, rounded up to whole ms (parseTimeout, core/blocking.ts);
// - ranks, counts and LIMIT: 64-bit integers in canonical form.
//
// Lex ranges ("[a", "(a", "-", "+") only make sense when all scores are equal; Redis answers
// other sets by walking them in a way that depends on the encoding. For listpack-sized sets
// echokv walks them linearly as Redis's listpack code does, so the answers agree exactly; for
// larger ones it bisects, which agrees whenever members are in lex order (equal scores).
import { parseTimeout } from '../blocking.ts';
import type { CommandSpec } from '../command.ts';
import type { Client } from '../client.ts';
import { atLeastOneInputKey, ERR } from '../errors.ts';
import { globMatch } from '../glob.ts';
import type { Database, Entry } from '../keyspace.ts';
import { formatDouble, parseInt64, parseInteger } from '../numbers.ts';
import { parseCursor } from '../scan.ts';
import { listpackScore, ZSet } from '../types/zset.ts';
import { parseScanOptions } from './generic.ts';
import { optIs } from '../bytes.ts';
import { cutOff, repeatsAllowed } from './hash.ts';

const RANGE_OPTS = 'sortby=[BYSCORE | BYLEX] [REV] [LIMIT offset count]';
const SETOP_OPTS = '[WEIGHTS weight [weight ...]] aggregate=[AGGREGATE <SUM | MIN | MAX>]';
const RANGE_COMPLEXITY = 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).';
const POP_COMPLEXITY = 'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.';

export const commands: CommandSpec[] = [
  {
    name: 'zadd', arity: -4, flags: ['write', 'denyoom', 'fast'], categories: ['sortedset'], keys: [1, 1, 1],
    keyFlags: ['RW', 'UPDATE'],
    summary: 'Add one or more members to a sorted set, or update its score if it already exists', since: '1.2.0',
    group: 'sorted-set', complexity: 'O(log(N)) for each item added, where N is the number of elements in the sorted set.',
    args: 'key condition=[NX | XX]@3.0.2 comparison=[GT | LT]@6.2.0 change=[CH]@3.0.2 increment=[INCR]@3.0.2 score member [score member ...]',
    history: [['2.4.0', 'Accepts multiple elements.'], ['3.0.2', 'Added the `XX`, `NX`, `CH` and `INCR` options.'],
      ['6.2.0', 'Added the `GT` and `LT` options.']],
    handler: zadd,
  },
  {
    name: 'zincrby', arity: 4, flags: ['write', 'denyoom', 'fast'], categories: ['sortedset'], keys: [1, 1, 1],
    keyFlags: ['RW', 'ACCESS', 'UPDATE'],
    summary: 'Increment the score of a member in a sorted set', since: '1.2.0', group: 'sorted-set',
    complexity: 'O(log(N)) where N is the number of elements in the sorted set.', args: 'key increment member',
    handler: zincrby,
  },
  {
    name: 'zrem', arity: -3, flags: ['write', 'fast'], categories: ['sortedset'], keys: [1, 1, 1],
    keyFlags: ['RW', 'DELETE'],
    summary: 'Remove one or more members from a sorted set', since: '1.2.0', group: 'sorted-set',
    complexity: 'O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.',
    args: 'key member [member ...]', history: [['2.4.0', 'Accepts multiple elements.']], handler: zrem,
  },
  {
    name: 'zcard', arity: 2, flags: ['readonly', 'fast'], categories: ['sortedset'], keys: [1, 1, 1], keyFlags: ['RO'],
    summary: 'Get the number of members in a sorted set', since: '1.2.0', group: 'sorted-set', complexity: 'O(1)',
    args: 'key', handler: zcard,
  },
  {
    name: 'zscore', arity: 3, flags: ['readonly', 'fast'], categories: ['sortedset'], keys: [1, 1, 1],
    summary: 'Get the score associated with the given member in a sorted set', since: '1.2.0', group: 'sorted-set',
    complexity: 'O(1)', args: 'key member', handler: zscore,
  },
  {
    name: 'zmscore', arity: -3, flags: ['readonly', 'fast'], categories: ['sortedset'], keys: [1, 1, 1],
    summary: 'Get the score associated with the given members in a sorted set', since: '6.2.0', group: 'sorted-set',
    complexity: 'O(N) where N is the number of members being requested.', args: 'key member [member ...]',
    handler: zmscore,
  },
  {
    name: 'zrank', arity: 3, flags: ['readonly', 'fast'], categories: ['sortedset'], keys: [1, 1, 1],
    summary: 'Determine the index of a member in a sorted set', since: '2.0.0', group: 'sorted-set',
    complexity: 'O(log(N))', args: 'key member', handler: zrank,
  },
  {
    name: 'zrevrank', arity: 3, flags: ['readonly', 'fast'], categories: ['sortedset'], keys: [1, 1, 1],
    summary: 'Determine the index of a member in a sorted set, with scores ordered from high to low', since: '2.0.0',
    group: 'sorted-set', complexity: 'O(log(N))', args: 'key member', handler: zrevrank,
  },
  {
    name: 'zcount', arity: 4, flags: ['readonly', 'fast'], categories: ['sortedset'], keys: [1, 1, 1],
    summary: 'Count the members in a sorted set with scores within the given values', since: '2.0.0',
    group: 'sorted-set', complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
    args: 'key min:double max:double', handler: zcount,
  },
  {
    name: 'zlexcount', arity: 4, flags: ['readonly', 'fast'], categories: ['sortedset'], keys: [1, 1, 1],
    summary: 'Count the number of members in a sorted set between a given lexicographical range', since: '2.8.9',
    group: 'sorted-set', complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
    args: 'key min max', handler: zlexcount,
  },
  {
    name: 'zrange', arity: -4, flags: ['readonly'], categories: ['sortedset'], keys: [1, 1, 1],
    summary: 'Return a range of members in a sorted set', since: '1.2.0', group: 'sorted-set',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.',
    args: 'key start:string stop:string sortby=[BYSCORE | BYLEX]@6.2.0 [REV]@6.2.0 [LIMIT offset count]@6.2.0 [WITHSCORES]',
    history: [['6.2.0', 'Added the `REV`, `BYSCORE`, `BYLEX` and `LIMIT` options.']], handler: zrange,
  },
  {
    name: 'zrangestore', arity: -5, flags: ['write', 'denyoom'], categories: ['sortedset'], keys: [1, 2, 1],
    keySpecs: [
      { flags: ['OW', 'UPDATE'], begin: 1, find: { range: [0, 1, 0] } },
      { flags: ['RO', 'ACCESS'], begin: 2, find: { range: [0, 1, 0] } },
    ],
    summary: 'Store a range of members from sorted set into another key', since: '6.2.0', group: 'sorted-set',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.',
    args: `dst src min max ${RANGE_OPTS}`, handler: zrangestore,
  },
  {
    name: 'zrangebyscore', arity: -4, flags: ['readonly'], categories: ['sortedset'], keys: [1, 1, 1],
    summary: 'Return a range of members in a sorted set, by score', since: '1.0.5', group: 'sorted-set',
    complexity: RANGE_COMPLEXITY, args: 'key min:double max:double [WITHSCORES]@2.0.0 [LIMIT offset count]',
    history: [['2.0.0', 'Added the `WITHSCORES` modifier.']], docFlags: ['deprecated'], deprecatedSince: '6.2.0',
    replacedBy: '`ZRANGE` with the `BYSCORE` argument', handler: zrangebyscore,
  },
  {
    name: 'zrevrangebyscore', arity: -4, flags: ['readonly'], categories: ['sortedset'], keys: [1, 1, 1],
    summary: 'Return a range of members in a sorted set, by score, with scores ordered from high to low',
    since: '2.2.0', group: 'sorted-set', complexity: RANGE_COMPLEXITY,
    args: 'key max:double min:double [WITHSCORES] [LIMIT offset count]',
    history: [['2.1.6', '`min` and `max` can be exclusive.']], docFlags: ['deprecated'], deprecatedSince: '6.2.0',
    replacedBy: '`ZRANGE` with the `REV` and `BYSCORE` arguments', handler: zrevrangebyscore,
  },
  {
    name: 'zrangebylex', arity: -4, flags: ['readonly'], categories: ['sortedset'], keys: [1, 1, 1],
    summary: 'Return a range of members in a sorted set, by lexicographical range', since: '2.8.9', group: 'sorted-set',
    complexity: RANGE_COMPLEXITY, args: 'key min max [LIMIT offset count]', docFlags: ['deprecated'],
    deprecatedSince: '6.2.0', replacedBy: '`ZRANGE` with the `BYLEX` argument', handler: zrangebylex,
  },
  {
    name: 'zrevrangebylex', arity: -4, flags: ['readonly'], categories: ['sortedset'], keys: [1, 1, 1],
    summary: 'Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.',
    since: '2.8.9', group: 'sorted-set', complexity: RANGE_COMPLEXITY, args: 'key max min [LIMIT offset count]',
    docFlags: ['deprecated'], deprecatedSince: '6.2.0', replacedBy: '`ZRANGE` with the `REV` and `BYLEX` arguments',
    handler: zrevrangebylex,
  },
  {
    name: 'zrevrange', arity: -4, flags: ['readonly'], categories: ['sortedset'], keys: [1, 1, 1],
    summary: 'Return a range of members in a sorted set, by index, with scores ordered from high to low',
    since: '1.2.0', group: 'sorted-set',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.',
    args: 'key start stop [WITHSCORES]', docFlags: ['deprecated'], deprecatedSince: '6.2.0',
    replacedBy: '`ZRANGE` with the `REV` argument', handler: zrevrange,
  },
  {
    name: 'zremrangebyrank', arity: 4, flags: ['write'], categories: ['sortedset'], keys: [1, 1, 1],
    keyFlags: ['RW', 'DELETE'],
    summary: 'Remove all members in a sorted set within the given indexes', since: '2.0.0', group: 'sorted-set',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.',
    args: 'key start stop', handler: zremrangebyrank,
  },
  {
    name: 'zremrangebyscore', arity: 4, flags: ['write'], categories: ['sortedset'], keys: [1, 1, 1],
    keyFlags: ['RW', 'DELETE'],
    summary: 'Remove all members in a sorted set within the given scores', since: '1.2.0', group: 'sorted-set',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.',
    args: 'key min:double max:double', handler: zremrangebyscore,
  },
  {
    name: 'zremrangebylex', arity: 4, flags: ['write'], categories: ['sortedset'], keys: [1, 1, 1],
    keyFlags: ['RW', 'DELETE'],
    summary: 'Remove all members in a sorted set between the given lexicographical range', since: '2.8.9',
    group: 'sorted-set',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.',
    args: 'key min max', handler: zremrangebylex,
  },
  {
    name: 'zpopmin', arity: -2, flags: ['write', 'fast'], categories: ['sortedset'], keys: [1, 1, 1],
    keyFlags: ['RW', 'ACCESS', 'DELETE'],
    summary: 'Remove and return members with the lowest scores in a sorted set', since: '5.0.0', group: 'sorted-set',
    complexity: 'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.',
    args: 'key [count]', handler: zpopmin,
  },
  {
    name: 'zpopmax', arity: -2, flags: ['write', 'fast'], categories: ['sortedset'], keys: [1, 1, 1],
    keyFlags: ['RW', 'ACCESS', 'DELETE'],
    summary: 'Remove and return members with the highest scores in a sorted set', since: '5.0.0', group: 'sorted-set',
    complexity: 'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.',
    args: 'key [count]', handler: zpopmax,
  },
  {
    name: 'bzpopmin', arity: -3, flags: ['write', 'noscript', 'blocking', 'fast'], categories: ['sortedset'],
    keys: [1, -2, 1], keyFlags: ['RW', 'ACCESS', 'DELETE'],
    summary: 'Remove and return the member with the lowest score from one or more sorted sets, or block until one is available',
    since: '5.0.0', group: 'sorted-set', complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
    args: 'key [key ...] timeout', history: [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']],
    handler: bzpopmin,
  },
  {
    name: 'bzpopmax', arity: -3, flags: ['write', 'noscript', 'blocking', 'fast'], categories: ['sortedset'],
    keys: [1, -2, 1], keyFlags: ['RW', 'ACCESS', 'DELETE'],
    summary: 'Remove and return the member with the highest score from one or more sorted sets, or block until one is available',
    since: '5.0.0', group: 'sorted-set', complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
    args: 'key [key ...] timeout', history: [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']],
    handler: bzpopmax,
  },
  {
    name: 'zmpop', arity: -4, flags: ['write'], categories: ['sortedset'],
    keySpecs: [{ flags: ['RW', 'ACCESS', 'DELETE'], begin: 1, find: { keynum: [0, 1, 1] } }],
    getKeys: (argv) => numkeysKeys(argv, 1),
    summary: 'Remove and return members with scores in a sorted set', since: '7.0.0', group: 'sorted-set',
    complexity: POP_COMPLEXITY, args: 'numkeys key [key ...] where=<MIN | MAX> [COUNT count]', handler: zmpop,
  },
  {
    name: 'bzmpop', arity: -5, flags: ['write', 'blocking'], categories: ['sortedset'],
    keySpecs: [{ flags: ['RW', 'ACCESS', 'DELETE'], begin: 2, find: { keynum: [0, 1, 1] } }],
    getKeys: (argv) => numkeysKeys(argv, 2),
    summary: 'Remove and return members with scores in a sorted set or block until one is available', since: '7.0.0',
    group: 'sorted-set', complexity: POP_COMPLEXITY, args: 'timeout numkeys key [key ...] where=<MIN | MAX> [COUNT count]',
    handler: bzmpop,
  },
  {
    name: 'zunion', arity: -3, flags: ['readonly'], categories: ['sortedset'], getKeys: (argv) => numkeysKeys(argv, 1),
    keySpecs: [{ flags: ['RO', 'ACCESS'], begin: 1, find: { keynum: [0, 1, 1] } }],
    summary: 'Add multiple sorted sets', since: '6.2.0', group: 'sorted-set',
    complexity: 'O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.',
    args: `numkeys key [key ...] ${SETOP_OPTS} [WITHSCORES]`, handler: zunion,
  },
  {
    name: 'zinter', arity: -3, flags: ['readonly'], categories: ['sortedset'], getKeys: (argv) => numkeysKeys(argv, 1),
    keySpecs: [{ flags: ['RO', 'ACCESS'], begin: 1, find: { keynum: [0, 1, 1] } }],
    summary: 'Intersect multiple sorted sets', since: '6.2.0', group: 'sorted-set',
    complexity: 'O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.',
    args: `numkeys key [key ...] ${SETOP_OPTS} [WITHSCORES]`, handler: zinter,
  },
  {
    name: 'zdiff', arity: -3, flags: ['readonly'], categories: ['sortedset'], getKeys: (argv) => numkeysKeys(argv, 1),
    keySpecs: [{ flags: ['RO', 'ACCESS'], begin: 1, find: { keynum: [0, 1, 1] } }],
    summary: 'Subtract multiple sorted sets', since: '6.2.0', group: 'sorted-set',
    complexity: 'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.',
    args: 'numkeys key [key ...] [WITHSCORES]', handler: zdiff,
  },
  {
    name: 'zunionstore', arity: -4, flags: ['write', 'denyoom'], categories: ['sortedset'], keys: [1, 1, 1],
    keySpecs: [
      { flags: ['OW', 'UPDATE'], begin: 1, find: { range: [0, 1, 0] } },
      { flags: ['RO', 'ACCESS'], begin: 2, find: { keynum: [0, 1, 1] } },
    ],
    getKeys: storeKeys,
    summary: 'Add multiple sorted sets and store the resulting sorted set in a new key', since: '2.0.0',
    group: 'sorted-set',
    complexity: 'O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.',
    args: `destination numkeys key [key ...] ${SETOP_OPTS}`, handler: zunionstore,
  },
  {
    name: 'zinterstore', arity: -4, flags: ['write', 'denyoom'], categories: ['sortedset'], keys: [1, 1, 1],
    keySpecs: [
      { flags: ['OW', 'UPDATE'], begin: 1, find: { range: [0, 1, 0] } },
      { flags: ['RO', 'ACCESS'], begin: 2, find: { keynum: [0, 1, 1] } },
    ],
    getKeys: storeKeys,
    summary: 'Intersect multiple sorted sets and store the resulting sorted set in a new key', since: '2.0.0',
    group: 'sorted-set',
    complexity: 'O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.',
    args: `destination numkeys key [key ...] ${SETOP_OPTS}`, handler: zinterstore,
  },
  {
    name: 'zdiffstore', arity: -4, flags: ['write', 'denyoom'], categories: ['sortedset'], keys: [1, 1, 1],
    keySpecs: [
      { flags: ['OW', 'UPDATE'], begin: 1, find: { range: [0, 1, 0] } },
      { flags: ['RO', 'ACCESS'], begin: 2, find: { keynum: [0, 1, 1] } },
    ],
    getKeys: storeKeys,
    summary: 'Subtract multiple sorted sets and store the resulting sorted set in a new key', since: '6.2.0',
    group: 'sorted-set',
    complexity: 'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.',
    args: 'destination numkeys key [key ...]', handler: zdiffstore,
  },
  {
    name: 'zintercard', arity: -3, flags: ['readonly'], categories: ['sortedset'], getKeys: (argv) => numkeysKeys(argv, 1),
    keySpecs: [{ flags: ['RO', 'ACCESS'], begin: 1, find: { keynum: [0, 1, 1] } }],
    summary: 'Intersect multiple sorted sets and return the cardinality of the result', since: '7.0.0',
    group: 'sorted-set',
    complexity: 'O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.',
    args: 'numkeys key [key ...] [LIMIT limit]', handler: zintercard,
  },
  {
    name: 'zrandmember', arity: -2, flags: ['readonly'], categories: ['sortedset'], keys: [1, 1, 1],
    summary: 'Get one or multiple random elements from a sorted set', since: '6.2.0', group: 'sorted-set',
    complexity: 'O(N) where N is the number of elements returned', args: 'key options=[count [WITHSCORES]]',
    tips: ['nondeterministic_output'], handler: zrandmember,
  },
  {
    name: 'zscan', arity: -3, flags: ['readonly'], categories: ['sortedset'], keys: [1, 1, 1],
    summary: 'Incrementally iterate sorted sets elements and associated scores', since: '2.8.0', group: 'sorted-set',
    complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..',
    args: 'key cursor [MATCH pattern] [COUNT count]', tips: ['nondeterministic_output'], handler: zscan,
  },
];

// ---------------------------------------------------------------------------------------------
// Helpers: key positions, arguments, numbers

/** Keys of `numkeys key [key ...] ...` with numkeys at argv[at] (ZUNION, ZMPOP ...); none when
 * numkeys is not a positive count of arguments that are there. */
function numkeysKeys(argv: readonly string[], at: number): number[] {
  const n = parseInteger(argv[at] ?? '');
  if (n === null || n < 1 || at + n > argv.length - 1) return [];
  const out: number[] = [];
  for (let i = 1; i <= n; i++) out.push(at + i);
  return out;
}

/** Keys of ZUNIONSTORE and friends: the destination, then the inputs. */
function storeKeys(argv: readonly string[]): number[] {
  const inputs = numkeysKeys(argv, 2);
  return inputs.length === 0 ? [] : [1, ...inputs];
}

/** getLongFromObjectOrReply: a 64-bit integer, or null after replying with the error. */
function longArg(c: Client, s: string): number | null {
  const v = parseInteger(s);
  if (v === null) c.server.replyError(c, ERR.notInteger);
  return v;
}

const DEC_RE = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const HEX_RE = /^[+-]?0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?[0-9]+)?$/;
const INF_RE = /^[+-]?inf(?:inity)?$/i;
/** What the last strtodWhole call saw: 0, or OVERFLOW / UNDERFLOW (strtod's ERANGE cases). */
let rangeError = 0;
const OVERFLOW = 1;
const UNDERFLOW = 2;

/**
 * strtod over the whole of `s`, which must be one number from its first byte to its last: the
 * value (+-Infinity on overflow, 0 or a subnormal on underflow, noted in rangeError), or NaN when
 * `s` is not one number or is a NaN. glibc's strtod rounds correctly, as Number() does.
 */
function strtodWhole(s: string): number {
  rangeError = 0;
  if (DEC_RE.test(s)) {
    const v = +s;
    if (v === Infinity || v === -Infinity) rangeError = OVERFLOW;
    else if (v === 0 && /[1-9]/.test(s.split(/[eE]/)[0])) rangeError = UNDERFLOW;
    return v;
  }
  if (INF_RE.test(s)) return s.charCodeAt(0) === 45 ? -Infinity : Infinity;
  if (HEX_RE.test(s)) return hexFloat(s);
  return NaN;
}

/** A hex float ("0x1.8p3") matched by HEX_RE. */
function hexFloat(s: string): number {
  let i = 0;
  let neg = false;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    i = 1;
  }
  i += 2;
  const p = s.search(/[pP]/);
  const body = s.slice(i, p < 0 ? s.length : p);
  const dot = body.indexOf('.');
  const digits = dot < 0 ? body : body.slice(0, dot) + body.slice(dot + 1);
  let exp = (p < 0 ? 0 : parseInt(s.slice(p + 1), 10)) - (dot < 0 ? 0 : 4 * (body.length - dot - 1));
  const mant = BigInt('0x' + digits);
  let v = Number(mant);
  // Scale in steps so that a large mantissa with a very negative exponent does not become 0 early.
  while (exp > 0 && Number.isFinite(v)) {
    const k = Math.min(exp, 1000);
    v *= 2 ** k;
    exp -= k;
  }
  while (exp < 0 && v !== 0) {
    const k = Math.min(-exp, 1000);
    v /= 2 ** k;
    exp += k;
  }
  if (!Number.isFinite(v)) rangeError = OVERFLOW;
  else if (v === 0 && mant !== 0n) rangeError = UNDERFLOW;
  return neg ? -v : v;
}

/**
 * A score or weight as Redis's string2d reads it: strtod over the whole argument, refusing an
 * empty string, a leading blank, overflow, underflow to zero and NaN. Null when invalid.
 */
export function parseScore(s: string): number | null {
  const n = s.length;
  if (n === 0) return null;
  // Up to 15 digits with an optional sign, the usual score: exact in a double, no regex.
  if (n <= 15) {
    const c0 = s.charCodeAt(0);
    let i = c0 === 45 || c0 === 43 ? 1 : 0;
    if (i < n) {
      let x = 0;
      for (; i < n; i++) {
        const d = s.charCodeAt(i) - 48;
        if (d < 0 || d > 9) break;
        x = x * 10 + d;
      }
      if (i === n) return c0 === 45 ? -x : x;
    }
  }
  const v = strtodWhole(s);
  if (Number.isNaN(v)) return null;
  if (rangeError === OVERFLOW || (rangeError === UNDERFLOW && v === 0)) return null;
  return v;
}

function isBlank(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * One end of a score range as zslParseRange reads it: strtod on the C string (up to a NUL byte)
 * that must be consumed entirely. Leading blanks are skipped, "" is 0, overflow gives +-inf;
 * NaN when invalid.
 */
function strtodC(s: string): number {
  const nul = s.indexOf('\x00');
  if (nul >= 0) s = s.slice(0, nul);
  if (s.length === 0) return 0;
  let i = 0;
  while (i < s.length && isBlank(s.charCodeAt(i))) i++;
  // Only blanks: nothing converted, so the end pointer is the start, which is not a NUL.
  if (i === s.length) return NaN;
  return strtodWhole(i === 0 ? s : s.slice(i));
}

/** A score interval (zrangespec). */
interface ScoreRange {
  min: number;
  max: number;
  minex: boolean;
  maxex: boolean;
}

/** zslParseRange: "(1.5" is exclusive; null when either end is not a float. */
function parseScoreRange(a: string, b: string): ScoreRange | null {
  const minex = a.charCodeAt(0) === 40; /* ( */
  const maxex = b.charCodeAt(0) === 40;
  const min = strtodC(minex ? a.slice(1) : a);
  const max = strtodC(maxex ? b.slice(1) : b);
  if (Number.isNaN(min) || Number.isNaN(max)) return null;
  return { min, max, minex, maxex };
}

function gteMin(s: number, r: ScoreRange): boolean {
  return r.minex ? s > r.min : s >= r.min;
}

function lteMax(s: number, r: ScoreRange): boolean {
  return r.maxex ? s < r.max : s <= r.max;
}

/** Ranks [start, end) of the members whose scores lie in `r`. */
function scoreRanks(z: ZSet, r: ScoreRange): [number, number] {
  const idx = z.index;
  const start = idx.firstScoreRank(r.min, r.minex);
  const end = idx.endScoreRank(r.max, r.maxex);
  return [start, end > start ? end : start];
}

/** One end of a lex range: a string ("[a" inclusive, "(a" exclusive), or "-" / "+", which sort
 * before and after every string. */
interface LexBound {
  /** 0: the string `s`; 1: "-", the smallest; 2: "+", the largest. */
  kind: 0 | 1 | 2;
  s: string;
  ex: boolean;
}

/** zslParseLexRangeItem; null when invalid. "+" and "-" may be followed by a NUL and anything. */
function parseLexBound(s: string): LexBound | null {
  if (s.length === 0) return null;
  const c0 = s.charCodeAt(0);
  if (c0 === 43 || c0 === 45) { /* + - */
    if (s.length > 1 && s.charCodeAt(1) !== 0) return null;
    return { kind: c0 === 45 ? 1 : 2, s: '', ex: true };
  }
  if (c0 === 40) return { kind: 0, s: s.slice(1), ex: true }; /* ( */
  if (c0 === 91) return { kind: 0, s: s.slice(1), ex: false }; /* [ */
  return null;
}

/** sdscmplex of a member against a bound. */
function lexCmp(v: string, b: LexBound): number {
  if (b.kind === 1) return 1;
  if (b.kind === 2) return -1;
  return v < b.s ? -1 : v > b.s ? 1 : 0;
}

function lexGteMin(v: string, min: LexBound): boolean {
  const c = lexCmp(v, min);
  return min.ex ? c > 0 : c >= 0;
}

function lexLteMax(v: string, max: LexBound): boolean {
  const c = lexCmp(v, max);
  return max.ex ? c < 0 : c <= 0;
}

/** True when no string can lie between the bounds (zslIsInLexRange's first test). */
function lexEmpty(min: LexBound, max: LexBound): boolean {
  let cmp: number;
  if (min.kind !== 0 && min.kind === max.kind) cmp = 0;
  else if (min.kind === 1 || max.kind === 2) cmp = -1;
  else if (min.kind === 2 || max.kind === 1) cmp = 1;
  else cmp = min.s < max.s ? -1 : min.s > max.s ? 1 : 0;
  return cmp > 0 || (cmp === 0 && (min.ex || max.ex));
}

/**
 * Rank of the first member in the lex range, or -1 (zzlFirstInLexRange / zslNthInLexRange):
 * the first member >= min, which must also be <= max. A listpack is scanned from the start as
 * Redis scans it; a larger set is bisected.
 */
function firstInLex(z: ZSet, min: LexBound, max: LexBound): number {
  const idx = z.index;
  const n = idx.size;
  if (n === 0 || lexEmpty(min, max)) return -1;
  if (!lexGteMin(idx.memberAt(n - 1), min) || !lexLteMax(idx.memberAt(0), max)) return -1;
  let i = -1;
  if (z.listpack) {
    idx.each(0, n - 1, (_s, m) => {
      i++;
      return !lexGteMin(m, min);
    });
  } else {
    i = idx.firstMemberRank((m) => lexGteMin(m, min));
  }
  if (i < 0 || i >= n || !lexLteMax(idx.memberAt(i), max)) return -1;
  return i;
}

/** Rank of the last member in the lex range, or -1: the last member <= max, if >= min. */
function lastInLex(z: ZSet, min: LexBound, max: LexBound): number {
  const idx = z.index;
  const n = idx.size;
  if (n === 0 || lexEmpty(min, max)) return -1;
  if (!lexGteMin(idx.memberAt(n - 1), min) || !lexLteMax(idx.memberAt(0), max)) return -1;
  let i = n;
  if (z.listpack) {
    idx.each(0, n - 1, (_s, m) => {
      i--;
      return !lexLteMax(m, max);
    }, true);
  } else {
    i = idx.firstMemberRank((m) => !lexLteMax(m, max)) - 1;
  }
  if (i < 0 || i >= n || !lexGteMin(idx.memberAt(i), min)) return -1;
  return i;
}

function maxEntries(c: Client): number {
  return c.server.config.num('zset-max-listpack-entries');
}

function maxValue(c: Client): number {
  return c.server.config.num('zset-max-listpack-value');
}

/** The sorted set held by `e`, or null after replying WRONGTYPE. */
function asZSet(c: Client, e: Entry): ZSet | null {
  const v = e.value;
  if (v instanceof ZSet) return v;
  c.server.replyError(c, ERR.wrongType);
  return null;
}

function notify(db: Database, event: string, key: string): void {
  db.ks.hooks.notify('z', event, key, db);
}

function notifyDel(db: Database, key: string): void {
  db.ks.hooks.notify('g', 'del', key, db);
}

/**
 * The header of a reply of `n` members, with or without scores: RESP2 sends one flat array
 * (member, score, member ...), RESP3 an array of [member, score] pairs, as Redis does (not a
 * map, since the order matters).
 */
function pairsHeader(c: Client, n: number, withScores: boolean): void {
  c.out.array(withScores && c.out.proto === 2 ? n * 2 : n);
}

function writePair(c: Client, member: string, score: number, withScores: boolean): void {
  const out = c.out;
  if (withScores && out.proto === 3) out.array(2);
  out.bulk(member);
  if (withScores) out.double(score);
}

/** Writes ranks start..end (ascending, or from end down to start when `reverse`). */
function writeRanks(c: Client, z: ZSet, start: number, end: number, reverse: boolean, withScores: boolean): void {
  const out = c.out;
  const n = end - start + 1;
  if (!withScores) {
    out.array(n);
    z.index.each(start, end, (_s, m) => {
      out.bulk(m);
    }, reverse);
    return;
  }
  pairsHeader(c, n, true);
  const resp3 = out.proto === 3;
  z.index.each(start, end, (s, m) => {
    if (resp3) out.array(2);
    out.bulk(m);
    out.double(s);
  }, reverse);
}

// ---------------------------------------------------------------------------------------------
// Handlers

// ZADD
function zadd(c: Client, argv: string[]): void {
  zaddGeneric(c, argv, false);
}

// ZINCRBY
function zincrby(c: Client, argv: string[]): void {
  zaddGeneric(c, argv, true);
}

/** Scores parsed by ZADD before anything changes (the command applies whole or not at all). */
const scoreScratch: number[] = [];

/** zaddGenericCommand: ZADD, and ZINCRBY, which is ZADD INCR (its options are read too). */
function zaddGeneric(c: Client, argv: string[], incrCmd: boolean): void {
  const server = c.server;
  let nx = false;
  let xx = false;
  let gt = false;
  let lt = false;
  let ch = false;
  let incr = incrCmd;
  let first = 2;
  for (; first < argv.length; first++) {
    const opt = argv[first];
    if (optIs(opt, 'nx')) nx = true;
    else if (optIs(opt, 'xx')) xx = true;
    else if (optIs(opt, 'ch')) ch = true;
    else if (optIs(opt, 'incr')) incr = true;
    else if (optIs(opt, 'gt')) gt = true;
    else if (optIs(opt, 'lt')) lt = true;
    else break;
  }
  let elements = argv.length - first;
  if (elements % 2 !== 0 || elements === 0) {
    server.replyError(c, ERR.syntax);
    return;
  }
  elements /= 2;
  if (nx && xx) {
    server.replyError(c, ERR.zaddXxNx);
    return;
  }
  if ((gt && nx) || (lt && nx) || (gt && lt)) {
    server.replyError(c, ERR.zaddGtLtNx);
    return;
  }
  if (incr && elements > 1) {
    server.replyError(c, ERR.zaddIncrPair);
    return;
  }
  // A scratch array for the usual few pairs; a big ZADD gets its own, not kept afterwards.
  const scores = elements <= 64 ? scoreScratch : new Array<number>(elements);
  for (let j = 0; j < elements; j++) {
    const s = parseScore(argv[first + 2 * j]);
    if (s === null) {
      server.replyError(c, ERR.notFloat);
      return;
    }
    scores[j] = s;
  }
  const db = c.db;
  const key = argv[1];
  const e = db.lookupWrite(key);
  let z: ZSet;
  let created = false;
  if (e === undefined) {
    if (xx) {
      if (incr) c.out.nil();
      else c.out.int(0);
      return;
    }
    // Redis picks the encoding from the first member alone, then converts as members arrive.
    z = new ZSet(maxEntries(c) !== 0 && argv[first + 1].length <= maxValue(c));
    created = true;
  } else {
    const found = asZSet(c, e);
    if (found === null) return;
    z = found;
  }
  const limit = z.listpack ? maxEntries(c) : 0;
  const valueLimit = z.listpack ? maxValue(c) : 0;
  let added = 0;
  let updated = 0;
  let processed = 0;
  let score = 0;
  for (let j = 0; j < elements; j++) {
    score = scores[j];
    const member = argv[first + 1 + 2 * j];
    const cur = z.score(member);
    if (cur !== undefined) {
      if (nx) continue;
      if (incr) {
        score += cur;
        if (Number.isNaN(score)) {
          server.replyError(c, ERR.scoreNaN);
          return;
        }
      }
      if ((lt && score >= cur) || (gt && score <= cur)) continue;
      processed++;
      // -0 and 0 are the same score here, as in C.
      if (score !== cur) {
        z.update(member, cur, score);
        updated++;
      }
    } else if (!xx) {
      if (z.listpack && (z.size + 1 > limit || member.length > valueLimit)) z.listpack = false;
      z.insert(member, score);
      added++;
      processed++;
    }
  }
  // A new key is added before the reply, as Redis adds it before the members (its "new"
  // event precedes the reply); the other events follow the reply.
  if (created && added > 0) {
    // Without the spare room its arrays grew (see ScoreIndex.trim): most of a small set's size.
    z.trim();
    db.add(key, z);
  }
  if (incr) {
    if (processed > 0) c.out.double(score);
    else c.out.nil();
  } else {
    c.out.int(ch ? added + updated : added);
  }
  if (added + updated === 0) return;
  if (!created) {
    db.modified(key);
    if (added > 0) server.blocking.signalKeyReady(db, key);
  }
  // Redis counts every added or updated member as a change.
  db.ks.dirty += added + updated - 1;
  notify(db, incr ? 'zincr' : 'zadd', key);
}

// ZREM
function zrem(c: Client, argv: string[]): void {
  const db = c.db;
  const key = argv[1];
  const e = db.lookupWrite(key);
  if (e === undefined) {
    c.out.int(0);
    return;
  }
  const z = asZSet(c, e);
  if (z === null) return;
  let deleted = 0;
  let removed = false;
  for (let j = 2; j < argv.length; j++) {
    if (z.remove(argv[j])) deleted++;
    if (z.size === 0) {
      db.delete(key);
      removed = true;
      break;
    }
  }
  if (deleted > 0) {
    notify(db, 'zrem', key);
    if (removed) notifyDel(db, key);
    else db.modified(key);
    db.ks.dirty += deleted - 1;
  }
  c.out.int(deleted);
}

// ZCARD
function zcard(c: Client, argv: string[]): void {
  const e = c.db.lookupRead(argv[1]);
  if (e === undefined) {
    c.out.int(0);
    return;
  }
  const z = asZSet(c, e);
  if (z !== null) c.out.int(z.size);
}

// ZSCORE
function zscore(c: Client, argv: string[]): void {
  const e = c.db.lookupRead(argv[1]);
  if (e === undefined) {
    c.out.nil();
    return;
  }
  const z = asZSet(c, e);
  if (z === null) return;
  const s = z.score(argv[2]);
  if (s === undefined) c.out.nil();
  else c.out.double(s);
}

// ZMSCORE
function zmscore(c: Client, argv: string[]): void {
  const e = c.db.lookupRead(argv[1]);
  let z: ZSet | null = null;
  if (e !== undefined) {
    z = asZSet(c, e);
    if (z === null) return;
  }
  c.out.array(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    // A missing key answers like an empty sorted set.
    const s = z === null ? undefined : z.score(argv[j]);
    if (s === undefined) c.out.nil();
    else c.out.double(s);
  }
}

// ZRANK
function zrank(c: Client, argv: string[]): void {
  zrankGeneric(c, argv, false);
}

// ZREVRANK
function zrevrank(c: Client, argv: string[]): void {
  zrankGeneric(c, argv, true);
}

function zrankGeneric(c: Client, argv: string[], reverse: boolean): void {
  const e = c.db.lookupRead(argv[1]);
  if (e === undefined) {
    c.out.nil();
    return;
  }
  const z = asZSet(c, e);
  if (z === null) return;
  const r = z.rank(argv[2]);
  if (r < 0) c.out.nil();
  else c.out.int(reverse ? z.size - 1 - r : r);
}

// ZCOUNT
function zcount(c: Client, argv: string[]): void {
  const range = parseScoreRange(argv[2], argv[3]);
  if (range === null) {
    c.server.replyError(c, ERR.zMinMaxNotFloat);
    return;
  }
  const e = c.db.lookupRead(argv[1]);
  if (e === undefined) {
    c.out.int(0);
    return;
  }
  const z = asZSet(c, e);
  if (z === null) return;
  const [start, end] = scoreRanks(z, range);
  c.out.int(end - start);
}

// ZLEXCOUNT
function zlexcount(c: Client, argv: string[]): void {
  const min = parseLexBound(argv[2]);
  const max = min === null ? null : parseLexBound(argv[3]);
  if (min === null || max === null) {
    c.server.replyError(c, ERR.zMinMaxNotLex);
    return;
  }
  const e = c.db.lookupRead(argv[1]);
  if (e === undefined) {
    c.out.int(0);
    return;
  }
  const z = asZSet(c, e);
  if (z === null) return;
  const first = firstInLex(z, min, max);
  if (first < 0) {
    c.out.int(0);
    return;
  }
  let count = 0;
  if (z.listpack) {
    // Counted forward while in range, as Redis walks its listpack.
    z.index.each(first, z.size - 1, (_s, m) => {
      if (!lexLteMax(m, max)) return false;
      count++;
    });
  } else {
    const last = lastInLex(z, min, max);
    count = last < 0 ? z.size - first : last - first + 1;
  }
  c.out.int(count);
}

/** Which kind of range a ZRANGE-family command reads: decided by the command or its options. */
type RangeType = 'auto' | 'rank' | 'score' | 'lex';
type Direction = 'auto' | 'forward' | 'reverse';

// ZRANGE
function zrange(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 1, null, 'auto', 'auto');
}

// ZRANGESTORE
function zrangestore(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 2, argv[1], 'auto', 'auto');
}

// ZRANGEBYSCORE
function zrangebyscore(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 1, null, 'score', 'forward');
}

// ZREVRANGEBYSCORE
function zrevrangebyscore(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 1, null, 'score', 'reverse');
}

// ZRANGEBYLEX
function zrangebylex(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 1, null, 'lex', 'forward');
}

// ZREVRANGEBYLEX
function zrevrangebylex(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 1, null, 'lex', 'reverse');
}

// ZREVRANGE
function zrevrange(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 1, null, 'rank', 'reverse');
}

/**
 * Redis's zrangeGenericCommand, behind ZRANGE, ZRANGESTORE and the older range commands:
 * `<key> <min> <max>` start at argv[keyIdx], options follow; `dst` is ZRANGESTORE's
 * destination (null when replying). Options are read in order (a bad LIMIT number fails at
 * once), then checked for conflicts, then the range is parsed, then the key read.
 */
function zrangeGeneric(c: Client, argv: string[], keyIdx: number, dst: string | null, type: RangeType, dir: Direction): void {
  const server = c.server;
  let withScores = false;
  let offset = 0;
  let limit = -1;
  for (let j = keyIdx + 3; j < argv.length; j++) {
    const left = argv.length - j - 1;
    const opt = argv[j];
    if (dst === null && optIs(opt, 'withscores')) {
      withScores = true;
    } else if (left >= 2 && optIs(opt, 'limit')) {
      const o = longArg(c, argv[j + 1]);
      if (o === null) return;
      const l = longArg(c, argv[j + 2]);
      if (l === null) return;
      offset = o;
      limit = l;
      j += 2;
    } else if (dir === 'auto' && optIs(opt, 'rev')) {
      dir = 'reverse';
    } else if (type === 'auto' && optIs(opt, 'bylex')) {
      type = 'lex';
    } else if (type === 'auto' && optIs(opt, 'byscore')) {
      type = 'score';
    } else {
      server.replyError(c, ERR.syntax);
      return;
    }
  }
  if (dir === 'auto') dir = 'forward';
  if (type === 'auto') type = 'rank';
  // LIMIT 0 -1 is the default, so Redis cannot tell it was given.
  if (limit !== -1 && type === 'rank') {
    server.replyError(c, ERR.zLimitWithRank);
    return;
  }
  if (withScores && type === 'lex') {
    server.replyError(c, ERR.zWithscoresWithLex);
    return;
  }
  const reverse = dir === 'reverse';
  let minArg = argv[keyIdx + 1];
  let maxArg = argv[keyIdx + 2];
  // BYSCORE and BYLEX ranges are given as max, min when reversed.
  if (reverse && type !== 'rank') {
    const t = minArg;
    minArg = maxArg;
    maxArg = t;
  }
  let start = 0;
  let end = 0;
  let scoreRange: ScoreRange | null = null;
  let lexMin: LexBound | null = null;
  let lexMax: LexBound | null = null;
  if (type === 'rank') {
    const s = longArg(c, minArg);
    if (s === null) return;
    const e = longArg(c, maxArg);
    if (e === null) return;
    start = s;
    end = e;
  } else if (type === 'score') {
    scoreRange = parseScoreRange(minArg, maxArg);
    if (scoreRange === null) {
      server.replyError(c, ERR.zMinMaxNotFloat);
      return;
    }
  } else {
    lexMin = parseLexBound(minArg);
    lexMax = lexMin === null ? null : parseLexBound(maxArg);
    if (lexMin === null || lexMax === null) {
      server.replyError(c, ERR.zMinMaxNotLex);
      return;
    }
  }
  const db = c.db;
  const e = db.lookupRead(argv[keyIdx]);
  if (e === undefined) {
    if (dst !== null) storeRange(c, dst, [], [], 0, false);
    else c.out.array(0);
    return;
  }
  const z = asZSet(c, e);
  if (z === null) return;
  const n = z.size;
  if (type === 'rank') {
    if (start < 0) start = n + start;
    if (end < 0) end = n + end;
    if (start < 0) start = 0;
    if (start > end || start >= n) {
      if (dst !== null) storeRange(c, dst, [], [], 0, false);
      else c.out.array(0);
      return;
    }
    if (end >= n) end = n - 1;
    // Reversed ranks count from the highest score.
    const from = reverse ? n - 1 - end : start;
    const to = reverse ? n - 1 - start : end;
    if (dst !== null) {
      const [scores, members] = collect(z, from, to, reverse);
      storeRange(c, dst, scores, members, members.length, reverse);
    } else {
      writeRanks(c, z, from, to, reverse, withScores);
    }
    return;
  }
  // An offset past the end (or negative) gives nothing; a negative count means no limit.
  if (offset < 0 || (offset > 0 && offset >= n)) {
    if (dst !== null) storeRange(c, dst, [], [], 0, false);
    else c.out.array(0);
    return;
  }
  let from = 0;
  let count = 0;
  if (type === 'score') {
    const r = scoreRange!;
    const [lo, hi] = scoreRanks(z, r);
    // Scores are in order, so the members in range are exactly ranks lo..hi-1.
    const avail = Math.max(0, hi - lo - offset);
    count = limit < 0 ? avail : Math.min(limit, avail);
    from = reverse ? hi - 1 - offset : lo + offset;
  } else {
    const min = lexMin!;
    const max = lexMax!;
    if (!reverse) {
      from = firstInLex(z, min, max);
      if (from >= 0) {
        from += offset;
        let left = limit;
        z.index.each(from, n - 1, (_s, m) => {
          if (left === 0 || !lexLteMax(m, max)) return false;
          left--;
          count++;
        });
      }
    } else {
      from = lastInLex(z, min, max);
      if (from >= 0) {
        from -= offset;
        let left = limit;
        z.index.each(0, from, (_s, m) => {
          if (left === 0 || !lexGteMin(m, min)) return false;
          left--;
          count++;
        }, true);
      }
    }
  }
  if (count <= 0) {
    if (dst !== null) storeRange(c, dst, [], [], 0, false);
    else c.out.array(0);
    return;
  }
  const lo = reverse ? from - count + 1 : from;
  const hi = reverse ? from : from + count - 1;
  if (dst !== null) {
    const [scores, members] = collect(z, lo, hi, reverse);
    // BYSCORE and BYLEX results start as a listpack whatever their size (no size hint).
    storeRange(c, dst, scores, members, 0, reverse);
  } else {
    writeRanks(c, z, lo, hi, reverse, withScores);
  }
}

/** The pairs of ranks lo..hi in the order given. */
function collect(z: ZSet, lo: number, hi: number, reverse: boolean): [number[], string[]] {
  const scores: number[] = [];
  const members: string[] = [];
  z.index.each(lo, hi, (s, m) => {
    scores.push(s);
    members.push(m);
  }, reverse);
  return [scores, members];
}

/**
 * ZRANGESTORE's result, given in the order Redis emits it (descending when `reversed`): the
 * pairs are added one by one to a new sorted set as Redis does (zsetTypeCreate with the size
 * hint, then zsetAdd), so it is a listpack until the hint, the count or a member's length says
 * otherwise, and the scores added while it is one lose their -0. An empty result deletes the
 * destination. Replies with the count.
 */
function storeRange(c: Client, dst: string, scores: number[], members: string[], sizeHint: number, reversed: boolean): void {
  const db = c.db;
  const n = members.length;
  if (n === 0) {
    c.out.int(0);
    if (db.delete(dst)) notifyDel(db, dst);
    return;
  }
  const entries = maxEntries(c);
  const value = maxValue(c);
  let listpack = sizeHint <= entries;
  for (let i = 0; i < n; i++) {
    if (listpack && (i + 1 > entries || members[i].length > value)) listpack = false;
    if (listpack) scores[i] = scores[i] + 0;
  }
  if (reversed) {
    scores.reverse();
    members.reverse();
  }
  setKey(c, dst, ZSet.fromSorted(listpack, scores, members));
  c.out.int(n);
  notify(db, 'zrangestore', dst);
}

/** Redis's setKey: `key` holds `value` from now on, whatever it held, without a TTL. */
function setKey(c: Client, key: string, value: ZSet): void {
  const db = c.db;
  // A logically expired key goes first, with its expired event, as lookupKeyWrite does.
  db.lookupWrite(key);
  db.set(key, value);
}

// ZREMRANGEBYRANK
function zremrangebyrank(c: Client, argv: string[]): void {
  zremrangeGeneric(c, argv, 'rank');
}

// ZREMRANGEBYSCORE
function zremrangebyscore(c: Client, argv: string[]): void {
  zremrangeGeneric(c, argv, 'score');
}

// ZREMRANGEBYLEX
function zremrangebylex(c: Client, argv: string[]): void {
  zremrangeGeneric(c, argv, 'lex');
}

/** zremrangeGenericCommand: parse the range, then find the ranks to remove and remove them. */
function zremrangeGeneric(c: Client, argv: string[], type: 'rank' | 'score' | 'lex'): void {
  const server = c.server;
  let start = 0;
  let end = 0;
  let range: ScoreRange | null = null;
  let min: LexBound | null = null;
  let max: LexBound | null = null;
  if (type === 'rank') {
    const s = longArg(c, argv[2]);
    if (s === null) return;
    const e = longArg(c, argv[3]);
    if (e === null) return;
    start = s;
    end = e;
  } else if (type === 'score') {
    range = parseScoreRange(argv[2], argv[3]);
    if (range === null) {
      server.replyError(c, ERR.zMinMaxNotFloat);
      return;
    }
  } else {
    min = parseLexBound(argv[2]);
    max = min === null ? null : parseLexBound(argv[3]);
    if (min === null || max === null) {
      server.replyError(c, ERR.zMinMaxNotLex);
      return;
    }
  }
  const db = c.db;
  const key = argv[1];
  const e = db.lookupWrite(key);
  if (e === undefined) {
    c.out.int(0);
    return;
  }
  const z = asZSet(c, e);
  if (z === null) return;
  const n = z.size;
  let from = 0;
  let count = 0;
  if (type === 'rank') {
    if (start < 0) start = n + start;
    if (end < 0) end = n + end;
    if (start < 0) start = 0;
    if (start > end || start >= n) {
      c.out.int(0);
      return;
    }
    if (end >= n) end = n - 1;
    from = start;
    count = end - start + 1;
  } else if (type === 'score') {
    const [lo, hi] = scoreRanks(z, range!);
    from = lo;
    count = hi - lo;
  } else {
    // The first member >= min (as each encoding finds it), then every one while <= max.
    from = z.listpack ? firstInLex(z, min!, max!) : z.index.firstMemberRank((m) => lexGteMin(m, min!));
    if (from >= 0) {
      z.index.each(from, n - 1, (_s, m) => {
        if (!lexLteMax(m, max!)) return false;
        count++;
      });
    }
  }
  if (count > 0) {
    z.removeRange(from, from + count - 1);
    notify(db, type === 'rank' ? 'zremrangebyrank' : type === 'score' ? 'zremrangebyscore' : 'zremrangebylex', key);
    if (z.size === 0) {
      db.delete(key);
      notifyDel(db, key);
    } else {
      db.modified(key);
    }
    db.ks.dirty += count - 1;
  }
  c.out.int(count);
}

// ZPOPMIN
function zpopmin(c: Client, argv: string[]): void {
  zpopMinMax(c, argv, false);
}

// ZPOPMAX
function zpopmax(c: Client, argv: string[]): void {
  zpopMinMax(c, argv, true);
}

function zpopMinMax(c: Client, argv: string[], max: boolean): void {
  if (argv.length > 3) {
    c.server.replyError(c, ERR.syntax);
    return;
  }
  let count = -1;
  if (argv.length === 3) {
    const n = parseInteger(argv[2]);
    if (n === null || n < 0) {
      c.server.replyError(c, ERR.notPositive);
      return;
    }
    count = n;
  }
  // RESP3 nests the pairs when a count was given; a single pop stays flat.
  zpopGeneric(c, [argv[1]], max, false, count, c.out.proto === 3 && count !== -1, false);
}

/**
 * Redis's genericZpopCommand, behind ZPOPMIN/MAX, ZMPOP and the blocking pops. Pops up to
 * `count` (-1: one, as a single pop) members of the first of `keys` that exists, replying
 * flat (`emitKey` puts the key first, BZPOPMIN's shape) or nested ([key, [[m, s] ...]], ZMPOP's
 * shape, when `nested` and `emitKey`). With no key: a null array when `nilWhenEmpty`, else an
 * empty one. Returns the key popped from and how many were popped, or null.
 */
function zpopGeneric(c: Client, keys: readonly string[], max: boolean, emitKey: boolean, count: number, nested: boolean, nilWhenEmpty: boolean): [string, number] | null {
  const db = c.db;
  let key = '';
  let z: ZSet | null = null;
  for (let i = 0; i < keys.length; i++) {
    const e = db.lookupWrite(keys[i]);
    if (e === undefined) continue;
    z = asZSet(c, e);
    if (z === null) return null;
    key = keys[i];
    break;
  }
  if (z === null) {
    if (nilWhenEmpty) c.out.nilArray();
    else c.out.array(0);
    return null;
  }
  if (count === 0) {
    c.out.array(0);
    return null;
  }
  if (count === -1) count = 1;
  const n = z.size;
  const k = count > n ? n : count;
  const out = c.out;
  if (!nested && !emitKey) out.array(k * 2);
  else if (nested && !emitKey) out.array(k);
  else if (!nested && emitKey) {
    out.array(k * 2 + 1);
    out.bulk(key);
  } else {
    out.array(2);
    out.bulk(key);
    out.array(k);
  }
  const from = max ? n - k : 0;
  const to = max ? n - 1 : k - 1;
  // Redis fires the event while popping the first member, after the reply's header and before
  // its elements: where a RESP3 client subscribed to its own events gets the push messages.
  notify(db, max ? 'zpopmax' : 'zpopmin', key);
  z.index.each(from, to, (s, m) => {
    if (nested) out.array(2);
    out.bulk(m);
    out.double(s);
  }, max);
  z.removeRange(from, to);
  if (z.size === 0) {
    db.delete(key);
    notifyDel(db, key);
  } else {
    db.modified(key);
  }
  db.ks.dirty += k - 1;
  return [key, k];
}

// BZPOPMIN
function bzpopmin(c: Client, argv: string[]): void {
  blockingZpop(c, argv.slice(1, -1), false, argv[argv.length - 1], -1, false);
}

// BZPOPMAX
function bzpopmax(c: Client, argv: string[]): void {
  blockingZpop(c, argv.slice(1, -1), true, argv[argv.length - 1], -1, false);
}

/**
 * blockingGenericZpopCommand: pops from the first of `keys` holding a sorted set, or parks the
 * client on all of them. core/blocking.ts runs this again when one of them gets data, with that
 * key in `servingKey`: then, as Redis 7.0 serves a blocked client, only that key is tried, and
 * a key that is not a sorted set leaves the client waiting (no WRONGTYPE). Propagated as
 * ZPOPMIN/ZPOPMAX key [count], as Redis does both when it answers at once and when it serves a
 * blocked client. `count` is -1 for BZPOPMIN/BZPOPMAX.
 */
function blockingZpop(c: Client, keys: string[], max: boolean, timeoutArg: string, count: number, nested: boolean): void {
  const timeout = parseTimeout(c, timeoutArg, 'seconds');
  if (timeout === null) return;
  const db = c.db;
  const serving = c.server.blocking.servingKey;
  const candidates = serving === null ? keys : [serving];
  for (let i = 0; i < candidates.length; i++) {
    const key = candidates[i];
    const e = db.lookupWrite(key);
    if (e === undefined) continue;
    let z: ZSet | null;
    if (serving === null) {
      z = asZSet(c, e);
      if (z === null) return;
    } else {
      z = e.value instanceof ZSet ? e.value : null;
      if (z === null) continue;
    }
    if (z.size === 0) continue;
    const popped = zpopGeneric(c, [key], max, true, count, nested, true)!;
    const cmd = max ? 'ZPOPMAX' : 'ZPOPMIN';
    c.server.propagateAs = count === -1 ? [[cmd, key]] : [[cmd, key, String(popped[1])]];
    return;
  }
  if (!c.server.blocking.block(c, { keys, timeoutMs: timeout, onTimeout: (cl) => cl.out.nilArray() })) {
    c.out.nilArray();
  }
}

// ZMPOP
function zmpop(c: Client, argv: string[]): void {
  zmpopGeneric(c, argv, 1, false);
}

// BZMPOP
function bzmpop(c: Client, argv: string[]): void {
  zmpopGeneric(c, argv, 2, true);
}

/** zmpopGenericCommand: numkeys, the keys, MIN or MAX, then [COUNT count] once. */
function zmpopGeneric(c: Client, argv: string[], numkeysIdx: number, block: boolean): void {
  const server = c.server;
  const numkeys = parseInteger(argv[numkeysIdx]);
  if (numkeys === null || numkeys < 1) {
    server.replyError(c, ERR.numkeysNotPositive);
    return;
  }
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= argv.length) {
    server.replyError(c, ERR.syntax);
    return;
  }
  let max: boolean;
  if (optIs(argv[whereIdx], 'min')) max = false;
  else if (optIs(argv[whereIdx], 'max')) max = true;
  else {
    server.replyError(c, ERR.syntax);
    return;
  }
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    if (count === -1 && j + 1 < argv.length && optIs(argv[j], 'count')) {
      j++;
      const n = parseInteger(argv[j]);
      if (n === null || n < 1) {
        server.replyError(c, ERR.countNotPositive);
        return;
      }
      count = n;
    } else {
      server.replyError(c, ERR.syntax);
      return;
    }
  }
  if (count === -1) count = 1;
  const keys = argv.slice(numkeysIdx + 1, whereIdx);
  if (block) {
    blockingZpop(c, keys, max, argv[1], count, true);
    return;
  }
  const popped = zpopGeneric(c, keys, max, true, count, true, true);
  if (popped !== null) {
    // Always as ZPOPMIN/ZPOPMAX with the count popped, never as ZMPOP.
    server.propagateAs = [[max ? 'ZPOPMAX' : 'ZPOPMIN', popped[0], String(popped[1])]];
  }
}

// ZUNION
function zunion(c: Client, argv: string[]): void {
  zsetOp(c, argv, null, 1, 'union', false, 'zunion');
}

// ZINTER
function zinter(c: Client, argv: string[]): void {
  zsetOp(c, argv, null, 1, 'inter', false, 'zinter');
}

// ZDIFF
function zdiff(c: Client, argv: string[]): void {
  zsetOp(c, argv, null, 1, 'diff', false, 'zdiff');
}

// ZUNIONSTORE
function zunionstore(c: Client, argv: string[]): void {
  zsetOp(c, argv, argv[1], 2, 'union', false, 'zunionstore');
}

// ZINTERSTORE
function zinterstore(c: Client, argv: string[]): void {
  zsetOp(c, argv, argv[1], 2, 'inter', false, 'zinterstore');
}

// ZDIFFSTORE
function zdiffstore(c: Client, argv: string[]): void {
  zsetOp(c, argv, argv[1], 2, 'diff', false, 'zdiffstore');
}

// ZINTERCARD
function zintercard(c: Client, argv: string[]): void {
  zsetOp(c, argv, null, 1, 'inter', true, 'zintercard');
}

/** What a plain set (core/types/set.ts) offers the set operations: its members score 1. */
interface SetLike {
  readonly size: number;
  has(member: string): boolean;
  at(i: number): string;
}

/** One input of a set operation: a sorted set, a set, or nothing (a missing key). */
interface OpSource {
  z: ZSet | null;
  s: SetLike | null;
  size: number;
  weight: number;
}

const AGG_SUM = 0;
const AGG_MIN = 1;
const AGG_MAX = 2;

/** zunionInterAggregate; a sum that is NaN (inf + -inf) counts as 0. */
function aggregate(target: number, val: number, agg: number): number {
  if (agg === AGG_SUM) {
    const t = target + val;
    return Number.isNaN(t) ? 0 : t;
  }
  if (agg === AGG_MIN) return val < target ? val : target;
  return val > target ? val : target;
}

/** Calls fn(member, score) for each element of a source in the order Redis visits them: sorted
 * sets from the highest rank down, sets in their own order with score 1. */
function eachOf(src: OpSource, fn: (member: string, score: number) => boolean | void): void {
  if (src.z !== null) {
    src.z.index.each(0, src.size - 1, (s, m) => fn(m, s), true);
  } else if (src.s !== null) {
    const s = src.s;
    for (let i = 0; i < src.size; i++) if (fn(s.at(i), 1) === false) return;
  }
}

/** The score of `member` in a source (1 in a set), or undefined. */
function findIn(src: OpSource, member: string): number | undefined {
  if (src.z !== null) return src.z.score(member);
  if (src.s !== null && src.s.has(member)) return 1;
  return undefined;
}

/**
 * zunionInterDiffGenericCommand, behind ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD:
 * numkeys at argv[numkeysIdx], then the keys (read first: a wrong type fails before the options
 * are looked at), then the options. Inputs are sorted sets or sets; missing keys are empty.
 */
function zsetOp(c: Client, argv: string[], dst: string | null, numkeysIdx: number, op: 'union' | 'inter' | 'diff', cardOnly: boolean, name: string): void {
  const server = c.server;
  const setnum = parseInteger(argv[numkeysIdx]);
  if (setnum === null) {
    server.replyError(c, ERR.notInteger);
    return;
  }
  if (setnum < 1) {
    server.replyError(c, atLeastOneInputKey(name));
    return;
  }
  if (setnum > argv.length - (numkeysIdx + 1)) {
    server.replyError(c, ERR.syntax);
    return;
  }
  const db = c.db;
  const src: OpSource[] = [];
  let j = numkeysIdx + 1;
  for (let i = 0; i < setnum; i++, j++) {
    const e = db.lookupRead(argv[j]);
    const item: OpSource = { z: null, s: null, size: 0, weight: 1 };
    if (e !== undefined) {
      const v = e.value;
      if (v instanceof ZSet) {
        item.z = v;
        item.size = v.size;
      } else if (typeof v === 'object' && (v as { type?: string }).type === 'set') {
        item.s = v as unknown as SetLike;
        item.size = item.s.size;
      } else {
        server.replyError(c, ERR.wrongType);
        return;
      }
    }
    src.push(item);
  }
  let agg = AGG_SUM;
  let withScores = false;
  let limit = 0;
  let remaining = argv.length - j;
  while (remaining > 0) {
    const opt = argv[j];
    if (op !== 'diff' && !cardOnly && remaining >= setnum + 1 && optIs(opt, 'weights')) {
      j++;
      remaining--;
      for (let i = 0; i < setnum; i++, j++, remaining--) {
        const w = parseScore(argv[j]);
        if (w === null) {
          server.replyError(c, ERR.weightNotFloat);
          return;
        }
        src[i].weight = w;
      }
    } else if (op !== 'diff' && !cardOnly && remaining >= 2 && optIs(opt, 'aggregate')) {
      const a = argv[j + 1];
      if (optIs(a, 'sum')) agg = AGG_SUM;
      else if (optIs(a, 'min')) agg = AGG_MIN;
      else if (optIs(a, 'max')) agg = AGG_MAX;
      else {
        server.replyError(c, ERR.syntax);
        return;
      }
      j += 2;
      remaining -= 2;
    } else if (dst === null && !cardOnly && optIs(opt, 'withscores')) {
      withScores = true;
      j++;
      remaining--;
    } else if (cardOnly && remaining >= 2 && optIs(opt, 'limit')) {
      const l = parseInteger(argv[j + 1]);
      if (l === null || l < 0) {
        server.replyError(c, ERR.limitNegative);
        return;
      }
      limit = l;
      j += 2;
      remaining -= 2;
    } else {
      server.replyError(c, ERR.syntax);
      return;
    }
  }
  // Smallest first (a stable sort, as glibc's qsort is here): it bounds INTER's work, and it
  // fixes the order in which scores are added up.
  if (op !== 'diff') src.sort((a, b) => a.size - b.size);
  const members: string[] = [];
  const scores: number[] = [];
  let card = 0;
  if (op === 'inter') {
    const first = src[0];
    if (first.size > 0) {
      eachOf(first, (m, s) => {
        let score = first.weight * s;
        if (Number.isNaN(score)) score = 0;
        let k = 1;
        for (; k < src.length; k++) {
          const other = src[k];
          // The same key given twice is the same object: its score is known.
          const v = (other.z !== null && other.z === first.z) ? s : findIn(other, m);
          if (v === undefined) break;
          score = aggregate(score, v * other.weight, agg);
        }
        if (k < src.length) return;
        if (cardOnly) {
          card++;
          if (limit > 0 && card >= limit) return false;
          return;
        }
        members.push(m);
        scores.push(score);
      });
    }
  } else if (op === 'union') {
    const acc = new Map<string, number>();
    for (const one of src) {
      if (one.size === 0) continue;
      eachOf(one, (m, s) => {
        let score = one.weight * s;
        if (Number.isNaN(score)) score = 0;
        const cur = acc.get(m);
        acc.set(m, cur === undefined ? score : aggregate(cur, score, agg));
      });
    }
    for (const [m, s] of acc) {
      members.push(m);
      scores.push(s);
    }
  } else {
    const first = src[0];
    let same = false;
    for (let k = 1; k < src.length; k++) {
      if (src[k].z !== null ? src[k].z === first.z : (src[k].s !== null && src[k].s === first.s)) same = true;
    }
    if (first.size > 0 && !same) {
      eachOf(first, (m, s) => {
        for (let k = 1; k < src.length; k++) if (findIn(src[k], m) !== undefined) return;
        members.push(m);
        scores.push(s);
      });
    }
  }
  if (cardOnly) {
    c.out.int(card);
    return;
  }
  const n = members.length;
  // Into Redis's order: by score, then member bytes.
  const order: number[] = new Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => {
    const sa = scores[a];
    const sb = scores[b];
    if (sa !== sb) return sa < sb ? -1 : 1;
    const ma = members[a];
    const mb = members[b];
    return ma < mb ? -1 : ma > mb ? 1 : 0;
  });
  const sortedMembers: string[] = new Array(n);
  const sortedScores: number[] = new Array(n);
  let maxLen = 0;
  for (let i = 0; i < n; i++) {
    sortedMembers[i] = members[order[i]];
    sortedScores[i] = scores[order[i]];
    if (sortedMembers[i].length > maxLen) maxLen = sortedMembers[i].length;
  }
  if (dst === null) {
    pairsHeader(c, n, withScores);
    for (let i = 0; i < n; i++) writePair(c, sortedMembers[i], sortedScores[i], withScores);
    return;
  }
  if (n === 0) {
    c.out.int(0);
    if (db.delete(dst)) notifyDel(db, dst);
    return;
  }
  // Built as a skiplist, then converted when small enough (zsetConvertToListpackIfNeeded).
  const listpack = n <= maxEntries(c) && maxLen <= maxValue(c);
  setKey(c, dst, ZSet.fromSorted(listpack, sortedScores, sortedMembers));
  c.out.int(n);
  notify(db, op === 'union' ? 'zunionstore' : op === 'inter' ? 'zinterstore' : 'zdiffstore', dst);
}

// ZRANDMEMBER
function zrandmember(c: Client, argv: string[]): void {
  const server = c.server;
  if (argv.length >= 3) {
    const l = parseInt64(argv[2]);
    if (l === null) {
      server.replyError(c, ERR.notInteger);
      return;
    }
    if (l < -9223372036854775807n) {
      server.replyError(c, ERR.longOutOfRange);
      return;
    }
    if (argv.length > 4 || (argv.length === 4 && !optIs(argv[3], 'withscores'))) {
      server.replyError(c, ERR.syntax);
      return;
    }
    const withScores = argv.length === 4;
    // The reply would hold twice as many items.
    if (withScores && (l < -4611686018427387903n || l > 4611686018427387903n)) {
      server.replyError(c, ERR.valueOutOfRange);
      return;
    }
    zrandmemberWithCount(c, argv[1], Number(l), withScores);
    return;
  }
  const e = c.db.lookupRead(argv[1]);
  if (e === undefined) {
    c.out.nil();
    return;
  }
  const z = asZSet(c, e);
  if (z === null) return;
  c.out.bulk(z.index.memberAt(Math.floor(Math.random() * z.size)));
}

/**
 * zrandmemberWithCountCommand. A negative count allows repeats and picks each element
 * independently; a positive one returns distinct members: the whole set when it is not larger
 * than the count (from the highest score down, as Redis walks it), else a random subset (in
 * order for a listpack, as Redis samples one; in random order otherwise).
 */
function zrandmemberWithCount(c: Client, key: string, l: number, withScores: boolean): void {
  const e = c.db.lookupRead(key);
  if (e === undefined) {
    c.out.array(0);
    return;
  }
  const z = asZSet(c, e);
  if (z === null) return;
  const size = z.size;
  const uniq = l >= 0;
  const count = uniq ? l : -l;
  if (count === 0) {
    c.out.array(0);
    return;
  }
  const idx = z.index;
  if (!uniq || count === 1) {
    if (!repeatsAllowed(c, count)) return;
    pairsHeader(c, count, withScores);
    for (let i = 0; i < count; i++) {
      const r = Math.floor(Math.random() * size);
      writePair(c, idx.memberAt(r), idx.scoreAt(r), withScores);
      if (cutOff(c, i)) return;
    }
    return;
  }
  if (count >= size) {
    writeRanks(c, z, 0, size - 1, true, withScores);
    return;
  }
  pairsHeader(c, count, withScores);
  if (z.listpack) {
    // Selection sampling: each rank is taken with probability needed / left, so in order.
    let needed = count;
    let visited = 0;
    idx.each(0, size - 1, (s, m) => {
      if (Math.random() * (size - visited) < needed) {
        writePair(c, m, s, withScores);
        needed--;
      }
      visited++;
      return needed > 0;
    });
    return;
  }
  if (count * 3 > size) {
    // Most of the set: shuffle the ranks partially and take the first `count`.
    const ranks: number[] = new Array(size);
    for (let i = 0; i < size; i++) ranks[i] = i;
    for (let i = 0; i < count; i++) {
      const k = i + Math.floor(Math.random() * (size - i));
      const t = ranks[i];
      ranks[i] = ranks[k];
      ranks[k] = t;
      writePair(c, idx.memberAt(ranks[i]), idx.scoreAt(ranks[i]), withScores);
    }
    return;
  }
  const seen = new Set<number>();
  while (seen.size < count) {
    const r = Math.floor(Math.random() * size);
    if (seen.has(r)) continue;
    seen.add(r);
    writePair(c, idx.memberAt(r), idx.scoreAt(r), withScores);
  }
}

// ZSCAN
function zscan(c: Client, argv: string[]): void {
  const cursor = parseCursor(argv[2]);
  if (cursor === null) {
    c.server.replyError(c, ERR.invalidCursor);
    return;
  }
  const db = c.db;
  const e = db.lookupRead(argv[1]);
  if (e === undefined) {
    c.out.array(2);
    c.out.bulk('0');
    c.out.array(0);
    return;
  }
  const z = asZSet(c, e);
  if (z === null) return;
  const opts = parseScanOptions(c, argv, 3, false);
  if (opts === null) return;
  const pattern = opts.pattern;
  const members: string[] = [];
  const scores: string[] = [];
  let next = '0';
  if (z.listpack) {
    // A listpack is answered whole, in order, with scores as it stores them.
    z.index.each(0, z.size - 1, (s, m) => {
      if (pattern !== null && !globMatch(pattern, m)) return;
      members.push(m);
      scores.push(listpackScore(s));
    });
  } else {
    const batch: string[] = [];
    next = db.ks.scans.step(z.dict, cursor, opts.count, batch, db.ks.time);
    for (const m of batch) {
      // Gone since the iterator passed it.
      const s = z.dict.get(m);
      if (s === undefined) continue;
      if (pattern !== null && !globMatch(pattern, m)) continue;
      members.push(m);
      scores.push(formatDouble(s));
    }
  }
  const out = c.out;
  out.array(2);
  out.bulk(next);
  out.array(members.length * 2);
  for (let i = 0; i < members.length; i++) {
    out.bulk(members[i]);
    out.bulk(scores[i]);
  }
}
