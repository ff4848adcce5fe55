// Random command sequences over every data type and the generic key commands, shared by the
// differential fuzz tests (fuzz_types: replies and datasets; fuzz_aof: what the AOF of each
// server replays to in the other). Keys change type all the time, so WRONGTYPE paths are hit as
// often as the happy ones.
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { type Compat, show } from './_compat.ts';
import { plain } from '../_resp.ts';
import { sleep } from '../_helpers.ts';

export type Cmd = string[];

export const KEYS = ['a', 'b', 'c', 'd'];
const key = fc.constantFrom(...KEYS);

/** Members, fields and values: small integers (intset material), words, long ones, raw bytes. */
const item = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -5, max: 30 }).map(String) },
  { weight: 3, arbitrary: fc.constantFrom('x', 'y', 'z', 'foo', 'bar', '', ' ', '\xff\x00') },
  { weight: 1, arbitrary: fc.integer({ min: 8, max: 70 }).map((n) => 'w'.repeat(n)) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 4 }).map((b) => String.fromCharCode(...b)) },
);
const items = (max: number): fc.Arbitrary<string[]> => fc.array(item, { minLength: 1, maxLength: max });
const index = fc.integer({ min: -6, max: 6 }).map(String);
const score = fc.oneof(
  fc.integer({ min: -3, max: 12 }).map(String),
  fc.constantFrom('1.5', '-0.5', 'inf', '-inf', '1e3', 'nan', 'x'),
);
const range = fc.constantFrom(['-inf', '+inf'], ['0', '5'], ['(1', '3'], ['3', '1'], ['x', '1']);
const lexRange = fc.constantFrom(['-', '+'], ['[a', '(z'], ['(0', '[5'], ['+', '-'], ['a', 'b']);
const streamId = fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 2 })).map(([a, b]) => `${a}-${b}`);

const stringCmd: fc.Arbitrary<Cmd> = fc.oneof(
  fc.tuple(key, item).map(([k, v]) => ['SET', k, v]),
  fc.tuple(key, item, fc.constantFrom('NX', 'XX', 'GET', 'KEEPTTL')).map(([k, v, o]) => ['SET', k, v, o]),
  key.map((k) => ['GET', k]),
  fc.tuple(key, item).map(([k, v]) => ['APPEND', k, v]),
  key.map((k) => ['INCR', k]),
  fc.tuple(key, fc.constantFrom('1.5', '-2', '1e2', 'x')).map(([k, n]) => ['INCRBYFLOAT', k, n]),
  key.map((k) => ['STRLEN', k]),
  fc.tuple(key, index, index).map(([k, a, b]) => ['GETRANGE', k, a, b]),
  fc.tuple(key, fc.integer({ min: 0, max: 10 }), item).map(([k, o, v]) => ['SETRANGE', k, String(o), v]),
  key.map((k) => ['GETDEL', k]),
  fc.tuple(key, item, key, item).map(([k1, v1, k2, v2]) => ['MSET', k1, v1, k2, v2]),
  fc.tuple(key, key).map(([k1, k2]) => ['MGET', k1, k2, 'nokey']),
  fc.tuple(key, fc.integer({ min: 0, max: 40 }), fc.constantFrom('0', '1')).map(([k, o, b]) => ['SETBIT', k, String(o), b]),
  fc.tuple(key, fc.constantFrom([], ['0', '-1'], ['1', '2', 'BIT'])).map(([k, r]) => ['BITCOUNT', k, ...r]),
  fc.tuple(key, fc.constantFrom('0', '1')).map(([k, b]) => ['BITPOS', k, b]),
  fc.tuple(fc.constantFrom('AND', 'OR', 'XOR'), key, key, key).map(([op, d, a, b]) => ['BITOP', op, d, a, b]),
  fc.tuple(key, key).map(([a, b]) => ['LCS', a, b]),
  fc.tuple(key, fc.constantFrom([], ['PERSIST'], ['EXAT', '4000000000'])).map(([k, o]) => ['GETEX', k, ...o]),
);

const listCmd: fc.Arbitrary<Cmd> = fc.oneof(
  fc.tuple(fc.constantFrom('LPUSH', 'RPUSH', 'LPUSHX', 'RPUSHX'), key, items(6)).map(([op, k, vs]) => [op, k, ...vs]),
  fc.tuple(fc.constantFrom('LPOP', 'RPOP'), key).map(([op, k]) => [op, k]),
  fc.tuple(fc.constantFrom('LPOP', 'RPOP'), key, fc.constantFrom('0', '2', '10')).map(([op, k, n]) => [op, k, n]),
  key.map((k) => ['LRANGE', k, '0', '-1']),
  fc.tuple(key, index, index).map(([k, a, b]) => ['LRANGE', k, a, b]),
  fc.tuple(key, index).map(([k, i]) => ['LINDEX', k, i]),
  fc.tuple(key, fc.constantFrom('BEFORE', 'AFTER'), item, item).map(([k, w, p, v]) => ['LINSERT', k, w, p, v]),
  fc.tuple(key, fc.constantFrom('0', '1', '-2'), item).map(([k, n, v]) => ['LREM', k, n, v]),
  fc.tuple(key, index, item).map(([k, i, v]) => ['LSET', k, i, v]),
  fc.tuple(key, index, index).map(([k, a, b]) => ['LTRIM', k, a, b]),
  fc.tuple(key, item, fc.constantFrom([], ['RANK', '-1'], ['COUNT', '0'], ['MAXLEN', '2'])).map(([k, v, o]) => ['LPOS', k, v, ...o]),
  fc.tuple(key, key, fc.constantFrom('LEFT', 'RIGHT'), fc.constantFrom('LEFT', 'RIGHT')).map(([a, b, f, t]) => ['LMOVE', a, b, f, t]),
  key.map((k) => ['LLEN', k]),
  fc.tuple(key, key, fc.constantFrom('LEFT', 'RIGHT')).map(([a, b, w]) => ['LMPOP', '2', a, b, w, 'COUNT', '3']),
);

const hashCmd: fc.Arbitrary<Cmd> = fc.oneof(
  fc.tuple(key, fc.array(fc.tuple(item, item), { minLength: 1, maxLength: 4 })).map(([k, ps]) => ['HSET', k, ...ps.flat()]),
  fc.tuple(key, items(3)).map(([k, fs]) => ['HDEL', k, ...fs]),
  key.map((k) => ['HGETALL', k]),
  fc.tuple(key, item, fc.constantFrom('1', '-3', 'x')).map(([k, f, n]) => ['HINCRBY', k, f, n]),
  fc.tuple(key, item, fc.constantFrom('1.5', '1e2', 'x')).map(([k, f, n]) => ['HINCRBYFLOAT', k, f, n]),
  key.map((k) => ['HLEN', k]),
  fc.tuple(key, items(3)).map(([k, fs]) => ['HMGET', k, ...fs]),
  fc.tuple(key, item).map(([k, f]) => ['HSTRLEN', k, f]),
  fc.tuple(key, item, item).map(([k, f, v]) => ['HSETNX', k, f, v]),
);

const setCmd: fc.Arbitrary<Cmd> = fc.oneof(
  fc.tuple(key, items(6)).map(([k, ms]) => ['SADD', k, ...ms]),
  fc.tuple(key, fc.array(fc.integer({ min: 0, max: 12 }).map(String), { minLength: 1, maxLength: 5 })).map(([k, ms]) => ['SADD', k, ...ms]),
  fc.tuple(key, items(3)).map(([k, ms]) => ['SREM', k, ...ms]),
  key.map((k) => ['SMEMBERS', k]),
  fc.tuple(key, item).map(([k, m]) => ['SISMEMBER', k, m]),
  fc.tuple(key, items(3)).map(([k, ms]) => ['SMISMEMBER', k, ...ms]),
  key.map((k) => ['SCARD', k]),
  fc.tuple(fc.constantFrom('SINTERSTORE', 'SUNIONSTORE', 'SDIFFSTORE'), key, key, key).map(([op, d, a, b]) => [op, d, a, b]),
  fc.tuple(fc.constantFrom('SINTER', 'SUNION', 'SDIFF'), key, key).map(([op, a, b]) => [op, a, b]),
  fc.tuple(key, key, item).map(([a, b, m]) => ['SMOVE', a, b, m]),
  fc.tuple(key, key, fc.constantFrom([], ['LIMIT', '1'])).map(([a, b, l]) => ['SINTERCARD', '2', a, b, ...l]),
  // A count over the size answers the whole set, whose content is fixed.
  key.map((k) => ['SRANDMEMBER', k, '100']),
);

const zsetCmd: fc.Arbitrary<Cmd> = fc.oneof(
  fc.tuple(key, fc.constantFrom([], ['NX'], ['XX'], ['GT', 'CH'], ['LT'], ['INCR']), fc.array(fc.tuple(score, item), { minLength: 1, maxLength: 4 }))
    .map(([k, o, ps]) => ['ZADD', k, ...o, ...(o.includes('INCR') ? ps[0] : ps.flat())]),
  fc.tuple(key, items(3)).map(([k, ms]) => ['ZREM', k, ...ms]),
  key.map((k) => ['ZRANGE', k, '0', '-1', 'WITHSCORES']),
  fc.tuple(key, range, fc.constantFrom([], ['WITHSCORES'], ['LIMIT', '1', '2'])).map(([k, [a, b], o]) => ['ZRANGEBYSCORE', k, a, b, ...o]),
  fc.tuple(key, lexRange).map(([k, [a, b]]) => ['ZRANGEBYLEX', k, a, b]),
  fc.tuple(key, index, index).map(([k, a, b]) => ['ZREVRANGE', k, a, b, 'WITHSCORES']),
  fc.tuple(key, item).map(([k, m]) => ['ZRANK', k, m]),
  fc.tuple(key, item).map(([k, m]) => ['ZSCORE', k, m]),
  fc.tuple(key, score, item).map(([k, s, m]) => ['ZINCRBY', k, s, m]),
  fc.tuple(fc.constantFrom('ZPOPMIN', 'ZPOPMAX'), key, fc.constantFrom([], ['2'])).map(([op, k, n]) => [op, k, ...n]),
  fc.tuple(fc.constantFrom('ZUNIONSTORE', 'ZINTERSTORE', 'ZDIFFSTORE'), key, key, key).map(([op, d, a, b]) => [op, d, '2', a, b]),
  fc.tuple(key, range).map(([k, [a, b]]) => ['ZCOUNT', k, a, b]),
  fc.tuple(key, lexRange).map(([k, [a, b]]) => ['ZLEXCOUNT', k, a, b]),
  fc.tuple(key, index, index).map(([k, a, b]) => ['ZREMRANGEBYRANK', k, a, b]),
  key.map((k) => ['ZCARD', k]),
  fc.tuple(key, key).map(([a, b]) => ['ZMPOP', '2', a, b, 'MAX', 'COUNT', '2']),
  fc.tuple(key, key).map(([d, s]) => ['ZRANGESTORE', d, s, '0', '-1']),
  fc.tuple(key, range, fc.constantFrom([], ['LIMIT', '0', '2'])).map(([k, [a, b], l]) => ['ZRANGE', k, b, a, 'BYSCORE', 'REV', ...l, 'WITHSCORES']),
  fc.tuple(key, items(3)).map(([k, ms]) => ['ZMSCORE', k, ...ms]),
  fc.tuple(fc.constantFrom('ZUNION', 'ZINTER', 'ZDIFF'), key, key).map(([op, a, b]) => [op, '2', a, b, 'WITHSCORES']),
  fc.tuple(key, key).map(([a, b]) => ['ZINTERCARD', '2', a, b]),
  fc.tuple(key, item).map(([k, m]) => ['ZREVRANK', k, m]),
);

const streamCmd: fc.Arbitrary<Cmd> = fc.oneof(
  fc.tuple(key, streamId, item, item).map(([k, id, f, v]) => ['XADD', k, id, f, v]),
  fc.tuple(key, streamId, fc.constantFrom('1', '3')).map(([k, id, n]) => ['XADD', k, 'MAXLEN', n, id, 'f', 'v']),
  key.map((k) => ['XLEN', k]),
  key.map((k) => ['XRANGE', k, '-', '+']),
  fc.tuple(key, fc.constantFrom('1', '2')).map(([k, n]) => ['XREVRANGE', k, '+', '-', 'COUNT', n]),
  fc.tuple(key, streamId).map(([k, id]) => ['XDEL', k, id]),
  fc.tuple(key, fc.constantFrom('0', '2')).map(([k, n]) => ['XTRIM', k, 'MAXLEN', n]),
  key.map((k) => ['XGROUP', 'CREATE', k, 'g', '0', 'MKSTREAM']),
  fc.tuple(key, fc.constantFrom('1', '3')).map(([k, n]) => ['XREADGROUP', 'GROUP', 'g', 'c1', 'COUNT', n, 'STREAMS', k, '>']),
  fc.tuple(key, streamId).map(([k, id]) => ['XACK', k, 'g', id]),
  key.map((k) => ['XPENDING', k, 'g']),
  fc.tuple(key, streamId).map(([k, id]) => ['XREAD', 'COUNT', '2', 'STREAMS', k, id]),
  fc.tuple(key, streamId).map(([k, id]) => ['XCLAIM', k, 'g', 'c2', '0', id, 'JUSTID']),
  key.map((k) => ['XAUTOCLAIM', k, 'g', 'c3', '0', '0-0', 'COUNT', '2', 'JUSTID']),
  key.map((k) => ['XINFO', 'STREAM', k]),
  key.map((k) => ['XINFO', 'GROUPS', k]),
  fc.tuple(key, streamId).map(([k, id]) => ['XSETID', k, id]),
  fc.tuple(key, streamId).map(([k, id]) => ['XGROUP', 'SETID', k, 'g', id]),
);

/** Key commands. After a PEXPIRE of 1 ms the sequence waits 5 ms, so that the key is expired on
 * both servers whatever comes next. */
const genericCmd: fc.Arbitrary<Cmd> = fc.oneof(
  key.map((k) => ['DEL', k]),
  fc.tuple(key, key).map(([a, b]) => ['EXISTS', a, b]),
  key.map((k) => ['TYPE', k]),
  fc.tuple(key, key).map(([a, b]) => ['RENAME', a, b]),
  fc.tuple(key, key).map(([a, b]) => ['RENAMENX', a, b]),
  fc.tuple(key, key, fc.constantFrom([], ['REPLACE'], ['DB', '1'])).map(([a, b, o]) => ['COPY', a, b, ...o]),
  key.map((k) => ['MOVE', k, '1']),
  // Absolute times only: EXPIRETIME and PEXPIRETIME must not depend on when each server ran it.
  key.map((k) => ['PEXPIREAT', k, '4000000000123']),
  fc.tuple(key, fc.constantFrom('4000000000', '4100000000'), fc.constantFrom([], ['NX'], ['GT'], ['LT'], ['XX']))
    .map(([k, t, o]) => ['EXPIREAT', k, t, ...o]),
  key.map((k) => ['EXPIRETIME', k]),
  key.map((k) => ['PEXPIRETIME', k]),
  key.map((k) => ['PEXPIREAT', k, '1']),
  key.map((k) => ['PEXPIRE', k, '1']),
  key.map((k) => ['PERSIST', k]),
  key.map((k) => ['OBJECT', 'ENCODING', k]),
  fc.constant(['DBSIZE']),
  fc.constant(['KEYS', '*']),
  fc.tuple(fc.constantFrom([], ['MATCH', '[ab]']), fc.constantFrom([], ['COUNT', '1'], ['COUNT', '3']),
    fc.constantFrom([], ['TYPE', 'list'], ['TYPE', 'zset'], ['TYPE', 'string'], ['TYPE', 'stream']))
    .map(([m, n, t]) => ['SCAN', ...m, ...n, ...t]),
  fc.tuple(fc.constantFrom('HSCAN', 'SSCAN', 'ZSCAN'), key, fc.constantFrom([], ['MATCH', '*1*'], ['MATCH', 'w*']),
    fc.constantFrom([], ['COUNT', '1'], ['COUNT', '2'])).map(([op, k, m, n]) => [op, k, ...m, ...n]),
  fc.constant(['SWAPDB', '0', '1']),
  // SORT: numeric (ties broken by bytes) and ALPHA with STORE (binary) have one right answer;
  // ALPHA without STORE compares C strings, whose ties Redis leaves unordered, so it is left out.
  fc.tuple(key, fc.constantFrom([], ['DESC'], ['LIMIT', '1', '3'], ['BY', 'nosort'], ['BY', 'nosort', 'DESC', 'LIMIT', '0', '2'],
    ['GET', '#', 'GET', '*']))
    .map(([k, o]) => ['SORT', k, ...o]),
  fc.tuple(key, key, fc.constantFrom([], ['DESC'], ['BY', 'nosort'])).map(([k, d, o]) => ['SORT', k, 'ALPHA', ...o, 'STORE', d]),
  fc.tuple(key, fc.constantFrom([], ['DESC', 'LIMIT', '0', '2'])).map(([k, o]) => ['SORT_RO', k, ...o]),
);

/** Blocking commands on a missing or wrong-typed key time out (10 ms) or answer at once. */
const blockingCmd: fc.Arbitrary<Cmd> = fc.oneof(
  fc.tuple(key, key).map(([a, b]) => ['BLPOP', a, b, '0.01']),
  fc.tuple(key, key).map(([a, b]) => ['BLMOVE', a, b, 'LEFT', 'LEFT', '0.01']),
  fc.tuple(key, key).map(([a, b]) => ['BZPOPMIN', a, b, '0.01']),
  fc.tuple(key, key).map(([a, b]) => ['BZMPOP', '0.01', '2', a, b, 'MIN']),
  key.map((k) => ['XREAD', 'BLOCK', '10', 'STREAMS', k, '$']),
  key.map((k) => ['XREADGROUP', 'GROUP', 'g', 'c1', 'BLOCK', '10', 'STREAMS', k, '>']),
);

/** A transaction of commands whose replies have a defined order (the EXEC reply is compared
 * exactly): blocking ones answer at once inside it, errors stay per command. */
const UNORDERED = new Set(['SMEMBERS', 'HGETALL', 'SRANDMEMBER', 'SINTER', 'SUNION', 'SDIFF', 'KEYS', 'SCAN', 'HSCAN', 'SSCAN', 'ZSCAN', 'PEXPIRE']);
const transaction: fc.Arbitrary<Cmd[]> = fc.array(
  fc.oneof(stringCmd, listCmd, hashCmd, setCmd, zsetCmd, streamCmd, genericCmd, blockingCmd)
    .filter((cmd) => !UNORDERED.has(cmd[0]) && !isUnsortedSort(cmd)),
  { minLength: 0, maxLength: 6 },
).map((body) => [['MULTI'], ...body, ['EXEC']]);

export const script = fc.array(fc.oneof(
  { weight: 2, arbitrary: stringCmd.map((x) => [x]) }, { weight: 3, arbitrary: listCmd.map((x) => [x]) },
  { weight: 3, arbitrary: hashCmd.map((x) => [x]) }, { weight: 3, arbitrary: setCmd.map((x) => [x]) },
  { weight: 3, arbitrary: zsetCmd.map((x) => [x]) }, { weight: 2, arbitrary: streamCmd.map((x) => [x]) },
  { weight: 3, arbitrary: genericCmd.map((x) => [x]) }, { weight: 1, arbitrary: blockingCmd.map((x) => [x]) },
  { weight: 1, arbitrary: transaction },
), { minLength: 1, maxLength: 40, size: 'max' }).map((groups) => groups.flat());

/** Replies that list a collection whose order Redis leaves to its hash table. */
const BY_ENCODING = new Set(['HGETALL', 'SMEMBERS', 'SRANDMEMBER']);
const RESULT_SETS = new Set(['SINTER', 'SUNION', 'SDIFF', 'KEYS']);

/** A full SCAN-family iteration on one server: the set of what it returned, and the calls. */
async function scanAll(cl: Compat['redis'], cmd: Cmd): Promise<{ items: string[]; error: string | null }> {
  const isKeyScan = cmd[0] === 'SCAN';
  const pairs = cmd[0] === 'HSCAN' || cmd[0] === 'ZSCAN';
  const found = new Set<string>();
  let cursor = '0';
  // COUNT is a hint: a call may return one item or none, so a big keyspace takes more calls;
  // a scan that keeps returning what it returned before still fails.
  let calls = 0;
  for (; calls < 1000 + 2 * found.size; calls++) {
    const argv = isKeyScan ? ['SCAN', cursor, ...cmd.slice(1)] : [cmd[0], cmd[1], cursor, ...cmd.slice(2)];
    const r = await cl.callRaw(...argv);
    if (r.reply.type === 'error') return { items: [], error: r.bytes };
    const [next, list] = plain(r.reply) as [string, string[]];
    if (pairs) for (let i = 0; i < list.length; i += 2) found.add(JSON.stringify([list[i], list[i + 1]]));
    else for (const x of list) found.add(x);
    cursor = next;
    if (cursor === '0') return { items: [...found].sort(), error: null };
  }
  throw new Error(`${cmd.join(' ')} did not finish in ${calls} calls`);
}

/** SORT ... BY nosort without STORE: a set comes out in its own (hash table) order. */
function isUnsortedSort(cmd: Cmd): boolean {
  return cmd[0] === 'SORT' && cmd.includes('nosort') && !cmd.includes('STORE');
}

/** Whether the connections are inside MULTI (compare() must send nothing else then). */
let inMulti = false;

/** Leaves a transaction a failed sequence may have left open, on both connections. */
export async function endTransaction(c: Compat): Promise<void> {
  inMulti = false;
  for (const cl of [c.redis, c.echo]) await cl.call('DISCARD');
}

/** Sends one command to both and compares the replies (see above for the unordered ones). */
export async function compare(c: Compat, cmd: Cmd): Promise<void> {
  const name = cmd[0];
  if (name === 'PEXPIRE') {
    await c.same(...cmd);
    await sleep(5);
    return;
  }
  if (name === 'SCAN' || name === 'HSCAN' || name === 'SSCAN' || name === 'ZSCAN') {
    const [r, e] = await Promise.all([scanAll(c.redis, cmd), scanAll(c.echo, cmd)]);
    assert.equal(e, r, `full iteration of ${cmd.map(show).join(' ')}`);
    return;
  }
  if (RESULT_SETS.has(name)) {
    await c.sameUnordered(...cmd);
    return;
  }
  // Queued commands answer +QUEUED; OBJECT ENCODING must not be queued in between either.
  if (name === 'MULTI') inMulti = true;
  if (inMulti) {
    if (name === 'EXEC' || name === 'DISCARD') inMulti = false;
    await c.same(...cmd);
    return;
  }
  if (isUnsortedSort(cmd)) {
    // A set not sorted comes out in its hash table's order once it is one.
    const enc = await c.redis.call('OBJECT', 'ENCODING', cmd[1]);
    if (enc !== 'hashtable') await c.same(...cmd);
    else if (!cmd.includes('LIMIT')) await c.sameUnordered(...cmd);
    else {
      // A LIMIT window of an unspecified order: as many members, each one of the set's.
      const [r, e] = await c.both(...cmd);
      const rl = plain(r.reply);
      const el = plain(e.reply);
      if (!Array.isArray(rl) || !Array.isArray(el)) {
        // An error (a hash is WRONGTYPE): the same bytes.
        assert.is(show(e.bytes), show(r.bytes), `reply to ${cmd.map(show).join(' ')}`);
        return;
      }
      assert.is(el.length, rl.length, `number of members from ${cmd.map(show).join(' ')}`);
      for (const m of el) assert.is(await c.echo.call('SISMEMBER', cmd[1], m as string), 1, `${show(String(m))} is a member of ${cmd[1]}`);
    }
    return;
  }
  if (BY_ENCODING.has(name)) {
    const enc = await c.redis.call('OBJECT', 'ENCODING', cmd[1]);
    if (enc === 'listpack' || enc === 'intset' || enc === null) await c.same(...cmd);
    else await c.sameUnordered(...cmd);
    return;
  }
  await c.same(...cmd);
}

/** DUMP of every key on each server, restored on the other under `rt:<key>` (and the payload
 * each server made restored on itself under `self:<key>`). */
export async function roundTrips(c: Compat): Promise<void> {
  for (const k of KEYS) {
    const [r, e] = await c.both('DUMP', k);
    const rp = plain(r.reply);
    const ep = plain(e.reply);
    assert.is(ep === null, rp === null, `DUMP ${k}: exists on one server only`);
    if (rp === null || ep === null) continue;
    const restore = async (cl: Compat['redis'], name: string, payload: unknown): Promise<void> => {
      const res = await cl.call('RESTORE', name, '0', payload as string);
      assert.is(res, 'OK', `RESTORE ${name}: ${String(res)}`);
    };
    await restore(c.echo, `rt:${k}`, rp);
    await restore(c.redis, `rt:${k}`, ep);
    await restore(c.echo, `self:${k}`, ep);
    await restore(c.redis, `self:${k}`, rp);
  }
}
