// Stream commands against a real redis-server: every command and option, errors and edge cases
// (64-bit IDs, exclusive ranges, tombstones, node boundaries seen through XINFO and `~` trimming,
// consumer groups, entries-read and lag), compared byte for byte; values that depend on the
// clock (idle times, delivery times, `*` IDs) are compared within a tolerance. Then COMMAND
// metadata, RESP3 shapes, what is propagated (read from Redis's AOF) and which keyspace events
// fire (read from Redis's pub/sub). Blocking reads are in stream_blocking.test.ts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type Compat, compatSuite, show, readRedisAof } from './_compat.ts';
import { RespClient, startEchokv, startRedis } from '../_helpers.ts';
import { encodeCommand, plain, type Reply } from '../_resp.ts';
import { join } from 'node:path';

const test = compatSuite('stream');

type Arg = string | number;

/** How far apart the two servers' clocks may read for the same command (ms). */
const TOLERANCE = 2000;

const ID_RE = /^\d+-\d+$/;

/**
 * Compares two replies exactly, except integers in clock-dependent places: the value after an
 * 'idle' or 'seen-time' key, the delivery time of a pending row ([id, consumer, time, count] or
 * [id, time, count]). Those may differ by TOLERANCE. Returns the differences found.
 */
function diffTimed(a: Reply, b: Reply, path: string, out: string[], timeSlot = false): void {
  if (a.type !== b.type) {
    out.push(`${path}: type ${a.type} vs ${b.type}`);
    return;
  }
  if (a.type === 'int' && b.type === 'int') {
    const d = a.value - b.value;
    if (timeSlot ? d > TOLERANCE || d < -TOLERANCE : d !== 0n) out.push(`${path}: ${a.value} vs ${b.value}`);
    return;
  }
  const items = (r: Reply): Reply[] | null => {
    if (r.type === 'array') return r.value;
    if (r.type === 'set' || r.type === 'push') return r.value;
    if (r.type === 'map') return r.value.flat();
    return null;
  };
  const ia = items(a);
  const ib = items(b);
  if (ia === null || ib === null) {
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${path}: ${JSON.stringify(plain(a))} vs ${JSON.stringify(plain(b))}`);
    return;
  }
  if (ia.length !== ib.length) {
    out.push(`${path}: length ${ia.length} vs ${ib.length} (${JSON.stringify(plain(a))} vs ${JSON.stringify(plain(b))})`);
    return;
  }
  const isId = (r: Reply | undefined): boolean => r !== undefined && r.type === 'bulk' && r.value !== null && ID_RE.test(r.value);
  const row4 = ia.length === 4 && isId(ia[0]) && ia[1].type === 'bulk' && ia[2].type === 'int' && ia[3].type === 'int';
  const row3 = ia.length === 3 && isId(ia[0]) && ia[1].type === 'int' && ia[2].type === 'int';
  for (let i = 0; i < ia.length; i++) {
    const prev = ia[i - 1];
    const keyed = prev !== undefined && prev.type === 'bulk' && (prev.value === 'idle' || prev.value === 'seen-time') &&
      (a.type === 'map' ? i % 2 === 1 : true);
    const slot = keyed || (row4 && i === 2) || (row3 && i === 1);
    diffTimed(ia[i], ib[i], `${path}[${i}]`, out, slot);
  }
}

/** Sends a command to both servers and compares the replies with diffTimed. */
async function sameTimed(c: Compat, ...args: Arg[]): Promise<unknown> {
  const [r, e] = await c.both(...args);
  const out: string[] = [];
  diffTimed(r.reply, e.reply, 'reply', out);
  assert.equal(out, [], `reply to ${args.join(' ')}:\n  redis  ${show(r.bytes)}\n  echokv ${show(e.bytes)}`);
  return plain(r.reply);
}

/**
 * Compares an XADD with a generated ID: both reply with an ID whose time is near the other's
 * (the sequence depends on how many IDs each made in that millisecond). Returns echokv's ID.
 */
async function sameGenerated(c: Compat, ...args: Arg[]): Promise<string> {
  const [r, e] = await c.both(...args);
  const rv = plain(r.reply);
  const ev = plain(e.reply);
  assert.ok(typeof rv === 'string' && ID_RE.test(rv), `redis replied ${show(r.bytes)}`);
  assert.ok(typeof ev === 'string' && ID_RE.test(ev), `echokv replied ${show(e.bytes)} to ${args.join(' ')}`);
  assert.ok(Math.abs(Number(rv.split('-')[0]) - Number(ev.split('-')[0])) < TOLERANCE, `generated times ${rv} and ${ev}`);
  return ev;
}

/** a < b for `<ms>-<seq>` IDs. */
function idLess(a: string, b: string): boolean {
  const [am, as] = a.split('-').map(BigInt);
  const [bm, bs] = b.split('-').map(BigInt);
  return am < bm || (am === bm && as < bs);
}

/** Runs commands whose results are the same on both servers but not returned: setup. */
async function both(c: Compat, cmds: Arg[][]): Promise<void> {
  for (const cmd of cmds) await c.same(...cmd);
}

/** XINFO STREAM key (and FULL) compared exactly but for times. */
async function sameInfo(c: Compat, key: string): Promise<void> {
  await c.same('XINFO', 'STREAM', key);
  await sameTimed(c, 'XINFO', 'STREAM', key, 'FULL');
  await c.same('XINFO', 'GROUPS', key);
}

const BIN = 'a\x00b\xff\r\n\x80z';

test('XADD IDs: explicit, incomplete, <ms>-*, 64-bit bounds and invalid forms', async ({ c }) => {
  await c.all([
    ['XADD', 's', '1-1', 'f', 'v'], ['XADD', 's', '1-1', 'f', 'v'], ['XADD', 's', '1', 'f', 'v'], ['XADD', 's', '2', 'f', 'v'],
    ['XADD', 's', '2-*', 'f', 'v'], ['XADD', 's', '3-*', 'f', 'v'], ['XADD', 's', '2-*', 'f', 'v'], ['XADD', 's', '0-0', 'f', 'v'],
    ['XADD', 'n', '0-0', 'f', 'v'], ['EXISTS', 'n'], ['XADD', 'n', '0-*', 'f', 'v'], ['XADD', 'n', '0-*', 'f', 'v'],
    ['XADD', 's', '9007199254740991-9007199254740991', 'f', 'v'], ['XADD', 's', '9007199254740992-0', 'f', 'v'],
    ['XADD', 's', '9007199254740992-*', 'f', 'v'], ['XADD', 's', '18446744073709551615-18446744073709551614', 'f', 'v'],
    ['XADD', 's', '18446744073709551615-*', 'f', 'v'], ['XADD', 's', '18446744073709551615-*', 'f', 'v'],
    ['XADD', 's', '*', 'f', 'v'], ['XADD', 's', '18446744073709551615-18446744073709551615', 'f', 'v'],
    ['XRANGE', 's', '-', '+'], ['XINFO', 'STREAM', 's'],
    ['XADD', 't', '18446744073709551616-0', 'f', 'v'], ['XADD', 't', '1-18446744073709551616', 'f', 'v'],
    ['XADD', 't', ' 5-1', 'f', 'v'], ['XADD', 't', '+6-01', 'f', 'v'], ['XADD', 't', '7--05', 'f', 'v'],
    ['XADD', 't', '008-1', 'f', 'v'], ['XADD', 't', '9-\t7', 'f', 'v'], ['XADD', 't', '10-+0', 'f', 'v'], ['XADD', 't', '11--0', 'f', 'v'],
    ['XADD', 't', '-', 'f', 'v'], ['XADD', 't', '+', 'f', 'v'], ['XADD', 't', '5-x', 'f', 'v'], ['XADD', 't', 'x-5', 'f', 'v'],
    ['XADD', 't', '20-', 'f', 'v'], ['XADD', 't', '-5', 'f', 'v'], ['XADD', 't', '20--5', 'f', 'v'], ['XADD', 't', '20-1-1', 'f', 'v'],
    ['XADD', 't', '20 ', 'f', 'v'], ['XADD', 't', '', 'f', 'v'], ['XADD', 't', '20-*-', 'f', 'v'], ['XADD', 't', '*-1', 'f', 'v'],
    ['XADD', 't', '21\x00junk', 'f', 'v'], ['XADD', 't', '22-1\x00x', 'f', 'v'],
    ['XADD', 't', '1'.repeat(128), 'f', 'v'], ['XADD', 't', '0'.repeat(126) + '99', 'f', 'v'],
    ['XADD', 't', '0'.repeat(125) + '99', 'f', 'v'], ['XADD', 't', '1e5', 'f', 'v'], ['XADD', 't', '0x10', 'f', 'v'],
    ['XADD', 't', '-18446744073709551615-0', 'f', 'v'], ['XADD', 't', '30--18446744073709551615', 'f', 'v'],
    ['XADD', 't', '31--18446744073709551616', 'f', 'v'], ['XADD', 't', '32--9223372036854775808', 'f', 'v'],
    ['XADD', 't', '33--9223372036854775809', 'f', 'v'], ['XRANGE', 't', '-', '+'],
  ]);
});

test('XADD with * and <ms>-*: generated from the clock, never going back', async ({ c }) => {
  let prev = '0-0';
  for (let i = 0; i < 5; i++) {
    const id = await sameGenerated(c, 'XADD', 's', '*', 'f', 'v');
    assert.ok(idLess(prev, id), `${id} follows ${prev}`);
    prev = id;
  }
  await c.same('XLEN', 's');
  // A last ID in the future: the sequence goes on.
  await c.all([
    ['XADD', 'f', '99999999999999-5', 'a', 'b'], ['XADD', 'f', '*', 'a', 'b'], ['XADD', 'f', '*', 'a', 'b'],
    ['XADD', 'f', '99999999999999-*', 'a', 'b'], ['XADD', 'f', '99999999999998-*', 'a', 'b'],
    ['XADD', 'g', '99999999999999-18446744073709551615', 'a', 'b'], ['XADD', 'g', '*', 'a', 'b'],
    ['XADD', 'g', 'NOMKSTREAM', '*', 'a', 'b'], ['XADD', 'g', 'MAXLEN', '1', '*', 'a', 'b'], ['XRANGE', 'g', '-', '+'],
  ]);
  await c.same('XADD', 'h', 'NOMKSTREAM', 'MAXLEN', '~', '5', '*', 'f', 'v', 'g', 'w');
  await sameGenerated(c, 'XADD', 'h', 'MINID', '0', '*', 'f', 'v');
  await sameGenerated(c, 'XADD', 'h', 'NOMKSTREAM', 'MAXLEN', '~', '5', '*', 'f', 'v', 'g', 'w');
  await sameGenerated(c, 'XADD', 'h', '*\x00junk', 'f', 'v');
  await c.same('XLEN', 'h');
});

test('XADD options: NOMKSTREAM, MAXLEN and MINID with = ~ LIMIT, and their errors', async ({ c }) => {
  await c.all([
    ['XADD', 'nokey', 'NOMKSTREAM', '1-1', 'a', 'b'], ['EXISTS', 'nokey'], ['XADD', 's', 'nomkstream', '1-1', 'a', 'b'],
    ['XADD', 's', 'NOMKSTREAM', 'NOMKSTREAM', '1-2', 'a', 'b'], ['XADD', 's', 'MAXLEN'], ['XADD', 's', 'MAXLEN', '5'],
    ['XADD', 's', 'MAXLEN', '5', 'a'], ['XADD', 's', 'MAXLEN', '5', 'a', 'b'], ['XADD', 's', 'MAXLEN', '-1', '*', 'a', 'b'],
    ['XADD', 's', 'MAXLEN', 'x', '*', 'a', 'b'], ['XADD', 's', 'MAXLEN', '1.5', '*', 'a', 'b'],
    ['XADD', 's', 'LIMIT', '5', '*', 'a', 'b'], ['XADD', 's', 'LIMIT', '0', '3-1', 'a', 'b'],
    ['XADD', 's', 'MAXLEN', '1', 'MINID', '5', '*', 'a', 'b'], ['XADD', 's', 'MINID', '5', 'MAXLEN', '1', '*', 'a', 'b'],
    ['XADD', 's', 'MAXLEN', '1', 'MAXLEN', '2', '*', 'a', 'b'], ['XADD', 's', 'MAXLEN', '1', 'LIMIT', '5', '*', 'a', 'b'],
    ['XADD', 's', 'MAXLEN', '=', '1', 'LIMIT', '5', '*', 'a', 'b'], ['XADD', 's', 'MAXLEN', '~', '1', 'LIMIT', '-1', '*', 'a', 'b'],
    ['XADD', 's', 'MAXLEN', '~', '1', 'LIMIT', 'x', '*', 'a', 'b'], ['XADD', 's', 'MINID', 'x', '*', 'a', 'b'],
    ['XADD', 's', 'MINID', '-', '*', 'a', 'b'], ['XADD', 's', 'MINID', '+', '*', 'a', 'b'], ['XADD', 's', 'MINID', '~', '*', 'a', 'b'],
    ['XADD', 's', 'NOMKSTREAM', 'MAXLEN', '=', 'x', '*', 'a', 'b'], ['XADD', 's', 'FOO', 'a', 'b'], ['XADD', 's', '1-3', 'a'],
    ['XADD', 's', '1-3', 'a', 'b', 'c'], ['XADD', 's', 'NOMKSTREAM', 'NOMKSTREAM', 'NOMKSTREAM'],
    ['XADD', 's', 'maxlen', '0', 'NOMKSTREAM'], ['XADD', 's', 'maxlen\x00x', '0', '5-1', 'a', 'b'],
    ['XADD', 's', 'MAXLEN', '~\x00', '0', '6-1', 'a', 'b'], ['XADD', 's', 'MAXLEN', '~~', '0', '6-1', 'a', 'b'],
    ['XADD', 's', 'MAXLEN', '=', '=', '6-1', 'a', 'b'], ['XADD', 's', 'MAXLEN', '~', '~', '6-1', 'a', 'b'],
    ['XADD', 's', 'MAXLEN', '9223372036854775807', '7-1', 'a', 'b'], ['XADD', 's', 'MAXLEN', '9223372036854775808', '7-1', 'a', 'b'],
    ['XRANGE', 's', '-', '+'], ['SET', 'str', 'x'], ['XADD', 'str', '*', 'a', 'b'], ['XADD', 'str', 'NOMKSTREAM', '*', 'a', 'b'],
    ['XADD', 'str', 'MAXLEN', 'x', '*', 'a', 'b'], ['XADD', 'str', '0-0', 'a', 'b'],
  ]);
});

test('XADD trimming: exact and approximate, MAXLEN and MINID, LIMIT, node boundaries', async ({ c }) => {
  for (let i = 1; i <= 350; i++) await c.same('XADD', 's', `${i}-1`, 'f', String(i));
  await sameInfo(c, 's');
  const steps: Arg[][] = [
    ['XADD', 's', 'MAXLEN', '~', '300', '351-1', 'f', 'x'], ['XADD', 's', 'MAXLEN', '~', '250', '352-1', 'f', 'x'],
    ['XADD', 's', 'MAXLEN', '~', '250', 'LIMIT', '50', '353-1', 'f', 'x'],
    ['XADD', 's', 'MAXLEN', '~', '100', 'LIMIT', '100', '354-1', 'f', 'x'],
    ['XADD', 's', 'MAXLEN', '~', '10', 'LIMIT', '0', '355-1', 'f', 'x'], ['XADD', 's', 'MAXLEN', '=', '120', '356-1', 'f', 'x'],
    ['XADD', 's', 'MAXLEN', '100', '357-1', 'f', 'x'], ['XADD', 's', 'MINID', '~', '300', '358-1', 'f', 'x'],
    ['XADD', 's', 'MINID', '280', '359-1', 'f', 'x'], ['XADD', 's', 'MINID', '=', '290-1', '360-1', 'f', 'x'],
    ['XADD', 's', 'MINID', '~', '0', '361-1', 'f', 'x'], ['XADD', 's', 'MINID', '~', '400', '362-1', 'f', 'x'],
    ['XADD', 's', 'MAXLEN', '0', '363-1', 'f', 'x'], ['XADD', 's', 'MAXLEN', '~', '0', '364-1', 'f', 'x'],
  ];
  for (const step of steps) {
    await c.same(...step);
    await c.same('XLEN', 's');
    await c.same('XRANGE', 's', '-', '+', 'COUNT', '3');
    await sameInfo(c, 's');
  }
});

test('XADD values: binary, empty, integers, long values, many fields, fields like the first entry or not', async ({ c }) => {
  const long = 'v'.repeat(5000);
  await c.all([
    ['XADD', BIN, '1-1', BIN, BIN], ['XADD', BIN, '1-2', '', ''], ['XADD', BIN, '1-3', '12', '-34', '0', '-0'],
    ['XADD', BIN, '1-4', 'f', long], ['XADD', BIN, '1-5', BIN, 'x'], ['XRANGE', BIN, '-', '+'], ['XINFO', 'STREAM', BIN],
    ['XADD', 'm', '1-1', 'a', '1', 'b', '2', 'c', '3', 'a', '4'], ['XADD', 'm', '1-2', 'a', '1', 'b', '2', 'c', '3', 'a', '5'],
    ['XADD', 'm', '1-3', 'b', '1', 'a', '2', 'c', '3', 'a', '5'], ['XADD', 'm', '1-4', 'a', '1'], ['XRANGE', 'm', '-', '+'],
  ]);
  const many: string[] = [];
  for (let i = 0; i < 300; i++) many.push(`field${i}`, String(i * 7));
  await c.same('XADD', 'many', '5-5', ...many);
  await c.same('XRANGE', 'many', '-', '+');
  await c.same('XREVRANGE', 'many', '+', '-');
});

test('nodes: split by stream-node-max-entries (counting deleted entries) and stream-node-max-bytes', async ({ c }) => {
  const sizes = [1, 5, 30, 63, 64, 100, 127, 128, 1000, 4000, 5000];
  let id = 1;
  for (const n of sizes) {
    for (let i = 0; i < 6; i++) {
      await c.same('XADD', 'b', `${id++}-0`, 'field', 'x'.repeat(n), 'n', String(i * 1000003));
      await c.same('XINFO', 'STREAM', 'b');
    }
  }
  // Deleted entries still count toward a node's entries.
  for (let i = 1; i <= 60; i++) await c.same('XADD', 'd', `${i}-1`, 'f', 'v');
  for (let i = 1; i <= 30; i += 2) await c.same('XDEL', 'd', `${i}-1`);
  for (let i = 61; i <= 130; i++) await c.same('XADD', 'd', `${i}-1`, 'f', 'v');
  await sameInfo(c, 'd');
  for (const [bytes, entries] of [['0', '5'], ['100', '0'], ['1', '1'], ['300', '7'], ['0', '0']]) {
    await c.same('CONFIG', 'SET', 'stream-node-max-bytes', bytes, 'stream-node-max-entries', entries);
    await c.same('DEL', 'e');
    for (let i = 1; i <= 25; i++) {
      await c.same('XADD', 'e', `${i}-${i * 1000}`, i % 3 === 0 ? 'g' : 'f', 'v'.repeat(i * 3));
    }
    await c.same('XINFO', 'STREAM', 'e');
    await c.same('XTRIM', 'e', 'MAXLEN', '~', '10');
    await c.same('XINFO', 'STREAM', 'e');
  }
  // A node closed for its size is the tail again once the node after it is gone, and takes
  // entries again.
  await c.same('CONFIG', 'SET', 'stream-node-max-bytes', '200', 'stream-node-max-entries', '100');
  await c.all([
    ['XADD', 't', '1-1', 'f', 'a', 'g', '1'], ['XADD', 't', '2-1', 'h', 'b'], ['XADD', 't', '3-1', 'f', 'x'.repeat(190)],
    ['XINFO', 'STREAM', 't'], ['XDEL', 't', '3-1'], ['XINFO', 'STREAM', 't'], ['XADD', 't', '4-1', 'f', 'c', 'g', '2'],
    ['XINFO', 'STREAM', 't'], ['XRANGE', 't', '-', '+'], ['XADD', 't', '5-1', 'f', 'x'.repeat(190)], ['XINFO', 'STREAM', 't'],
  ]);
  await c.same('CONFIG', 'SET', 'stream-node-max-bytes', '4096', 'stream-node-max-entries', '100');
});

test('radix-tree-nodes of IDs that share long prefixes or none', async ({ c }) => {
  await c.same('CONFIG', 'SET', 'stream-node-max-entries', '1');
  const ids = ['1-1', '1-2', '1-256', '1-65536', '2-0', '256-0', '65536-0', '4294967296-0', '4294967296-1',
    '18446744073709551615-0', '18446744073709551615-18446744073709551615'];
  for (const id of ids) {
    await c.same('XADD', 'r', id, 'f', 'v');
    await c.same('XINFO', 'STREAM', 'r');
  }
  for (const id of ['1-256', '4294967296-0', '1-1', '18446744073709551615-0', '2-0', '256-0']) {
    await c.same('XDEL', 'r', id);
    await c.same('XINFO', 'STREAM', 'r');
  }
  await c.same('XTRIM', 'r', 'MAXLEN', '1');
  await c.same('XINFO', 'STREAM', 'r');
  await c.same('CONFIG', 'SET', 'stream-node-max-entries', '100');
});

test('XRANGE and XREVRANGE: bounds, incomplete and exclusive IDs, COUNT, errors', async ({ c }) => {
  for (const id of ['1-0', '1-1', '1-5', '2-0', '3-18446744073709551615', '4-0', '18446744073709551615-0']) {
    await c.same('XADD', 's', id, 'f', id);
  }
  const bounds = ['-', '+', '0', '1', '1-1', '(1-1', '(1', '2', '(2', '3', '(3-18446744073709551615', '4-0', '(4-0',
    '18446744073709551615', '(18446744073709551615-0', '0-0', '(0-0', '(-', '(+', '(', 'x', '1-x', '', '5\x00z'];
  for (const a of bounds) {
    for (const b of bounds) {
      await c.same('XRANGE', 's', a, b);
      await c.same('XREVRANGE', 's', b, a);
    }
  }
  await c.all([
    ['XRANGE', 's', '-', '+', 'COUNT', '0'], ['XRANGE', 's', '-', '+', 'COUNT', '-5'], ['XRANGE', 's', '-', '+', 'COUNT', '2'],
    ['XREVRANGE', 's', '+', '-', 'COUNT', '2'], ['XRANGE', 's', '-', '+', 'COUNT', '9223372036854775807'],
    ['XRANGE', 's', '-', '+', 'COUNT'], ['XRANGE', 's', '-', '+', 'COUNT', '1', 'COUNT', '3'], ['XRANGE', 's', '-', '+', 'COUNT', 'x'],
    ['XRANGE', 's', '-', '+', 'FOO', '1'], ['XRANGE', 's', '-', '+', 'count\x00', '1'], ['XRANGE', 's', '-'],
    ['XRANGE', 'nokey', '-', '+'], ['XRANGE', 'nokey', 'x', '+'], ['XRANGE', 'nokey', '-', '+', 'COUNT', '0'],
    ['XRANGE', 's', '(18446744073709551615-18446744073709551615', '+'], ['XRANGE', 's', '-', '(0-0'],
    ['XREVRANGE', 's', '(0-0', '-'], ['XREVRANGE', 's', '+', '(18446744073709551615-18446744073709551615'],
    ['XRANGE', 's', '5', '1'], ['SET', 'str', 'v'], ['XRANGE', 'str', '-', '+'], ['XRANGE', 'str', 'x', '+'],
    ['XRANGE', 'str', '-', '+', 'COUNT', 'x'], ['XREVRANGE', 'str', '+', '-'],
  ]);
  // Ranges across many nodes, with tombstones.
  for (let i = 1; i <= 450; i++) await c.same('XADD', 'big', `${i}-0`, 'n', String(i));
  for (let i = 3; i <= 450; i += 7) await c.same('XDEL', 'big', `${i}-0`);
  for (const [a, b, n] of [['-', '+', '0'], ['100', '300', '0'], ['(99', '(301', '17'], ['1', '450', '1000'], ['200', '200', '1']]) {
    await c.same('XRANGE', 'big', a, b, ...(n === '0' ? [] : ['COUNT', n]));
    await c.same('XREVRANGE', 'big', b, a, ...(n === '0' ? [] : ['COUNT', n]));
  }
});

test('XDEL: tombstones, the first entry, max-deleted-entry-id, empty streams stay', async ({ c }) => {
  for (let i = 1; i <= 120; i++) await c.same('XADD', 's', `${i}-1`, 'f', 'v');
  const dels: Arg[][] = [
    ['XDEL', 's', '1-1'], ['XDEL', 's', '1-1'], ['XDEL', 's', '5-1', '5-1', '6-1'], ['XDEL', 's', '2-1', 'x'], ['XDEL', 's', '2'],
    ['XDEL', 's', '50-1', '40-1', '60-1'], ['XDEL', 's', '999-1'], ['XDEL', 's', '-'], ['XDEL', 's', '+'], ['XDEL', 's', '(3-1'],
    ['XDEL', 's', '120-1'], ['XDEL', 'nokey', '1-1'], ['XDEL', 'nokey', 'x'],
  ];
  for (const d of dels) {
    await c.same(...d);
    await sameInfo(c, 's');
  }
  for (let i = 1; i <= 120; i++) await c.same('XDEL', 's', `${i}-1`);
  await sameInfo(c, 's');
  await c.all([['EXISTS', 's'], ['XLEN', 's'], ['XRANGE', 's', '-', '+'], ['XADD', 's', '100-1', 'f', 'v'], ['XADD', 's', '121-1', 'f', 'v']]);
  await sameInfo(c, 's');
  await c.all([['SET', 'str', 'v'], ['XDEL', 'str', '1-1'], ['XDEL', 'str', 'x']]);
});

test('XTRIM: strategies, =, ~, LIMIT, and errors', async ({ c }) => {
  await c.all([
    ['XTRIM', 's'], ['XTRIM', 's', 'MAXLEN'], ['XTRIM', 's', 'FOO', '1'], ['XTRIM', 's', 'MAXLEN', 'x'], ['XTRIM', 's', 'MINID', 'x'],
    ['XTRIM', 's', 'MINID', '-'], ['XTRIM', 's', 'MAXLEN', '-1'], ['XTRIM', 'nokey', 'MAXLEN', '0'], ['XTRIM', 's', 'MAXLEN', '0', 'LIMIT', '5'],
    ['XTRIM', 's', 'MAXLEN', '1', 'extra'], ['XTRIM', 's', 'NOMKSTREAM', 'MAXLEN', '1'], ['XTRIM', 's', 'LIMIT', '5'],
    ['XTRIM', 's', 'LIMIT', '5', 'MAXLEN', '~', '1'], ['XTRIM', 's', 'MAXLEN', '~'], ['XTRIM', 's', 'MAXLEN', '~', '~'],
    ['XTRIM', 's', 'MAXLEN', '1', 'MINID', '1'], ['XTRIM', 's', '*'],
  ]);
  const fill = async (): Promise<void> => {
    await c.same('DEL', 's');
    for (let i = 1; i <= 320; i++) await c.same('XADD', 's', `${i}-0`, 'f', 'v');
    for (let i = 150; i <= 170; i++) await c.same('XDEL', 's', `${i}-0`);
  };
  const trims: Arg[][] = [
    ['MAXLEN', '300'], ['MAXLEN', '=', '250'], ['MAXLEN', '~', '250'], ['MAXLEN', '~', '150', 'LIMIT', '100'],
    ['MAXLEN', '~', '10', 'LIMIT', '99'], ['MAXLEN', '~', '0', 'LIMIT', '0'], ['MAXLEN', '0'], ['MAXLEN', '1000'],
    ['MINID', '10'], ['MINID', '=', '160'], ['MINID', '~', '160'], ['MINID', '~', '301-0'], ['MINID', '~', '400', 'LIMIT', '250'],
    ['MINID', '18446744073709551615-18446744073709551615'], ['MINID', '0'], ['maxlen', '~', '200', 'limit', '1000000'],
  ];
  for (const t of trims) {
    await fill();
    await c.same('XTRIM', 's', ...t);
    await c.same('XRANGE', 's', '-', '+', 'COUNT', '3');
    await sameInfo(c, 's');
    await c.same('XTRIM', 's', ...t);
  }
  await c.all([['SET', 'str', 'v'], ['XTRIM', 'str', 'MAXLEN', '0'], ['XTRIM', 'str', 'MAXLEN', 'x']]);
});

test('XLEN, TYPE, OBJECT ENCODING, COPY and DEL of streams', async ({ c }) => {
  await c.all([
    ['XLEN', 'nokey'], ['XADD', 's', '1-1', 'f', 'v'], ['XADD', 's', '2-1', 'f', 'v'], ['XLEN', 's'], ['TYPE', 's'],
    ['OBJECT', 'ENCODING', 's'], ['XGROUP', 'CREATE', 's', 'g', '0'], ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '1', 'STREAMS', 's', '>'],
    ['COPY', 's', 'copy'], ['XINFO', 'GROUPS', 'copy'], ['XPENDING', 'copy', 'g'], ['XACK', 'copy', 'g', '1-1'], ['XPENDING', 's', 'g'],
    ['XADD', 'copy', '3-1', 'f', 'v'], ['XLEN', 's'], ['XLEN', 'copy'], ['XINFO', 'STREAM', 'copy'],
    ['XGROUP', 'CREATE', 'e', 'g', '$', 'MKSTREAM'], ['TYPE', 'e'], ['XLEN', 'e'], ['OBJECT', 'ENCODING', 'e'], ['XINFO', 'STREAM', 'e'],
    ['DEL', 's'], ['XLEN', 's'], ['SET', 'str', 'x'], ['XLEN', 'str'],
  ]);
  await c.sameDataset();
});

test('XGROUP: CREATE, SETID, DESTROY, CREATECONSUMER, DELCONSUMER, HELP and their errors', async ({ c }) => {
  await c.all([
    ['XGROUP', 'CREATE', 's', 'g', '0'], ['XGROUP', 'CREATE', 's', 'g', '0', 'MKSTREAM'], ['XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM'],
    ['XGROUP', 'CREATE', 's', 'g', '0'], ['XINFO', 'GROUPS', 's'], ['XGROUP', 'CREATE', 's', 'g2', '5-5'], ['XGROUP', 'CREATE', 's', 'g3', '5'],
    ['XGROUP', 'CREATE', 's', 'g4', '-'], ['XGROUP', 'CREATE', 's', 'g4', '+'], ['XGROUP', 'CREATE', 's', 'g4', 'x'],
    ['XGROUP', 'CREATE', 's', 'g4', '$\x00'], ['XGROUP', 'CREATE', 's', 'g5', '0', 'ENTRIESREAD', '3'],
    ['XGROUP', 'CREATE', 's', 'g6', '0', 'ENTRIESREAD', '-1'], ['XGROUP', 'CREATE', 's', 'g7', '0', 'ENTRIESREAD', '-2'],
    ['XGROUP', 'CREATE', 's', 'g7', '0', 'ENTRIESREAD', 'x'], ['XGROUP', 'CREATE', 's', 'g7', '0', 'ENTRIESREAD'],
    ['XGROUP', 'CREATE', 's', 'g7', '0', 'FOO'], ['XGROUP', 'CREATE', 's', 'g7', '0', 'MKSTREAM', 'MKSTREAM', 'MKSTREAM', 'MKSTREAM'],
    ['XGROUP', 'CREATE', 's', 'g8', '0', 'ENTRIESREAD', '9223372036854775807'], ['XGROUP', 'CREATE', 's'],
    ['XGROUP', 'CREATE', 'n1', 'g', '0'], ['XGROUP', 'CREATE', 'n1', 'g', 'x', 'MKSTREAM'], ['EXISTS', 'n1'],
    ['XGROUP', 'CREATE', 'n2', 'g', '$', 'mkstream', 'entriesread', '5'], ['XINFO', 'GROUPS', 'n2'], ['XINFO', 'STREAM', 'n2'],
    ['XGROUP', 'create', 'n3', 'g', '3-3', 'MKSTREAM'], ['XINFO', 'STREAM', 'n3'], ['XINFO', 'GROUPS', 's'],
    ['XGROUP', 'SETID', 's', 'g', '7-7'], ['XGROUP', 'SETID', 's', 'g', '-'], ['XGROUP', 'SETID', 's', 'g', '+'],
    ['XGROUP', 'SETID', 's', 'g', '$'], ['XGROUP', 'SETID', 's', 'g', '9', 'ENTRIESREAD', '4'], ['XGROUP', 'SETID', 's', 'g', 'x'],
    ['XGROUP', 'SETID', 's', 'nog', '0'], ['XGROUP', 'SETID', 'nokey', 'g', '0'], ['XGROUP', 'SETID', 's', 'g', '5', 'MKSTREAM'],
    ['XGROUP', 'SETID', 's', 'g', '1', 'ENTRIESREAD', '5', 'ENTRIESREAD', '6'], ['XGROUP', 'SETID', 's', 'g', '1', 'ENTRIESREAD', '-3'],
    ['XGROUP', 'SETID', 's', 'g', '1', 'ENTRIESREAD'], ['XINFO', 'GROUPS', 's'],
    ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c1'], ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c1'], ['XGROUP', 'CREATECONSUMER', 's', 'g', BIN],
    ['XGROUP', 'CREATECONSUMER', 's', 'nog', 'c'], ['XGROUP', 'CREATECONSUMER', 'nokey', 'g', 'c'], ['XGROUP', 'CREATECONSUMER', 's', 'g'],
    ['XGROUP', 'DELCONSUMER', 's', 'g', 'c1'], ['XGROUP', 'DELCONSUMER', 's', 'g', 'c1'], ['XGROUP', 'DELCONSUMER', 's', 'nog', 'c1'],
    ['XGROUP', 'DELCONSUMER', 'nokey', 'g', 'c1'], ['XGROUP', 'DESTROY', 's', 'g2'], ['XGROUP', 'DESTROY', 's', 'g2'],
    ['XGROUP', 'DESTROY', 'nokey', 'g2'], ['XGROUP', 'DESTROY', 's', 'g2', 'x'], ['XGROUP', 'HELP'], ['XGROUP', 'help'],
    ['XGROUP', 'HELP', 'x'], ['XGROUP', 'FOO'], ['XGROUP', 'FOO', 's', 'g'], ['XGROUP'], ['XINFO', 'GROUPS', 's'],
    ['SET', 'str', 'x'], ['XGROUP', 'CREATE', 'str', 'g', '0'], ['XGROUP', 'CREATE', 'str', 'g', '0', 'MKSTREAM'],
    ['XGROUP', 'SETID', 'str', 'g', '0'], ['XGROUP', 'DESTROY', 'str', 'g'], ['XGROUP', 'CREATECONSUMER', 'str', 'g', 'c'],
    ['XGROUP', 'CREATE', 'str', 'g', '0', 'FOO'], [`XGROUP`, 'CREATE', 's', BIN, '0'], ['XGROUP', 'SETID', 's', `no${BIN}`, '0'],
  ]);
  await sameTimed(c, 'XINFO', 'STREAM', 's', 'FULL');
});

test('XREADGROUP: new entries, history, NOACK, COUNT, several streams, errors', async ({ c }) => {
  for (let i = 1; i <= 8; i++) await c.same('XADD', 's', `${i}-1`, 'f', `v${i}`);
  await c.all([
    ['XADD', 't', '1-1', 'a', 'b'], ['XGROUP', 'CREATE', 's', 'g', '0'], ['XGROUP', 'CREATE', 't', 'g', '$'],
    ['XREADGROUP', 'GROUP', 'g', 'c1', 'COUNT', '2', 'STREAMS', 's', '>'], ['XREADGROUP', 'GROUP', 'g', 'c2', 'COUNT', '2', 'STREAMS', 's', '>'],
    ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '0'], ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '1-1'],
    ['XREADGROUP', 'GROUP', 'g', 'c1', 'COUNT', '1', 'STREAMS', 's', '0'], ['XREADGROUP', 'GROUP', 'g', 'c3', 'STREAMS', 's', '0'],
    ['XREADGROUP', 'GROUP', 'g', 'c1', 'NOACK', 'COUNT', '1', 'STREAMS', 's', '>'],
    ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', 't', '>', '>'], ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 't', 's', '>', '0'],
    ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '>'], ['XREADGROUP', 'GROUP', 'g', 'c1', 'COUNT', '-1', 'STREAMS', 's', '0'],
    ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '18446744073709551615-18446744073709551615'],
    ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '18446744073709551615-18446744073709551614'],
    ['XDEL', 's', '1-1'], ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '0'], ['XINFO', 'GROUPS', 's'],
    ['XGROUP', 'SETID', 's', 'g', '0'], ['XREADGROUP', 'GROUP', 'g', 'c4', 'COUNT', '3', 'STREAMS', 's', '>'],
    ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '0'], ['XREADGROUP', 'GROUP', 'g', 'c4', 'STREAMS', 's', '0'],
    ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '$'], ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '+'],
    ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', 'x'], ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '(1'],
    ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '0', '1'], ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's'],
    ['XREADGROUP', 'STREAMS', 's', '0', 'x', 'y'], ['XREADGROUP', 'GROUP', 'g', 'STREAMS', 's', '0'],
    ['XREADGROUP', 'GROUP', 'nog', 'c', 'STREAMS', 's', '>'], ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'nokey', '>'],
    ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', 'nokey', '>', '>'], ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', 'x', 'STREAMS', 's', '>'],
    ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', 'x', 'STREAMS', 's', '>'], ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '-1', 'STREAMS', 's', '>'],
    ['XREADGROUP', 'GROUP', 'g', 'c', 'FOO', 'STREAMS', 's', '>'], ['XREADGROUP', 'GROUP', 'g', 'c', 'GROUP', 'g2', 'c2', 'STREAMS', 's', '0'],
    ['XREADGROUP', 'GROUP', 'g', 'c', 'NOACK', 'NOACK', 'STREAMS', 's', '0'], ['XREADGROUP', 'NOACK', 'GROUP', 'g', 'c', 'STREAMS', 's', '0'],
    ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '2', 'BLOCK', '100', 'STREAMS', 's', '0'], ['XREADGROUP', 'GROUP', 'g', 'c', 'streams', 'STREAMS', 's', '0', '0'],
    ['SET', 'str', 'x'], ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'str', '>'], ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', 'str', '>', '>'],
    ['XINFO', 'GROUPS', 's'], ['XINFO', 'GROUPS', 't'], ['XPENDING', 's', 'g'], ['XPENDING', 't', 'g'],
    // A key named twice: the second read sees what the first did.
    ['XGROUP', 'SETID', 's', 'g', '0'], ['XREADGROUP', 'GROUP', 'g', 'd', 'COUNT', '2', 'STREAMS', 's', 's', '>', '>'],
    ['XREADGROUP', 'GROUP', 'g', 'd', 'COUNT', '1', 'STREAMS', 's', 's', '>', '0'],
    ['XREADGROUP', 'GROUP', 'g', 'd', 'COUNT', '1', 'STREAMS', 's', 's', '0', '>'],
    ['XREADGROUP', 'GROUP', 'g', 'd', 'STREAMS', 's', 't', 's', '>', '>', '>'],
    ['XREADGROUP', 'GROUP', 'g', 'd', 'STREAMS', 's', 's', '>', '>'], ['XREAD', 'COUNT', '2', 'STREAMS', 's', 's', '0', '3'],
    ['XINFO', 'GROUPS', 's'],
  ]);
  await sameTimed(c, 'XINFO', 'STREAM', 's', 'FULL');
  await sameTimed(c, 'XINFO', 'CONSUMERS', 's', 'g');
  await sameTimed(c, 'XPENDING', 's', 'g', '-', '+', '100');
});

test('XREAD without BLOCK: IDs, $, missing keys, COUNT, several streams, errors', async ({ c }) => {
  for (let i = 1; i <= 5; i++) await c.same('XADD', 'a', `${i}-0`, 'f', `a${i}`);
  await c.all([
    ['XADD', 'b', '3-0', 'g', 'b3'], ['XREAD', 'STREAMS', 'a', '0'], ['XREAD', 'STREAMS', 'a', '3'], ['XREAD', 'STREAMS', 'a', '5'],
    ['XREAD', 'STREAMS', 'a', '$'], ['XREAD', 'COUNT', '2', 'STREAMS', 'a', 'b', '0', '0'], ['XREAD', 'STREAMS', 'a', 'b', 'nokey', '4', '0', '0'],
    ['XREAD', 'STREAMS', 'nokey', '0'], ['XREAD', 'COUNT', '0', 'STREAMS', 'a', '0'], ['XREAD', 'COUNT', '-3', 'STREAMS', 'a', '0'],
    ['XREAD', 'count', '1', 'count', '2', 'STREAMS', 'a', '0'], ['XREAD', 'STREAMS', 'a', 'a', '0', '3'],
    ['XREAD', 'STREAMS', 'a', '18446744073709551615-18446744073709551615'], ['XREAD', 'STREAMS', 'a', '(1'],
    ['XREAD', 'STREAMS', 'a', '+'], ['XREAD', 'STREAMS', 'a', '-'], ['XREAD', 'STREAMS', 'a', '>'], ['XREAD', 'STREAMS', 'a', 'x'],
    ['XREAD', 'STREAMS', 'a', '0', '0'], ['XREAD', 'STREAMS', 'a'], ['XREAD', 'COUNT', '1'], ['XREAD', 'COUNT', 'x', 'STREAMS', 'a', '0'],
    ['XREAD', 'BLOCK', 'x', 'STREAMS', 'a', '0'], ['XREAD', 'BLOCK', '-1', 'STREAMS', 'a', '0'], ['XREAD', 'BLOCK', '1.5', 'STREAMS', 'a', '0'],
    ['XREAD', 'BLOCK', '9223372036854775807', 'STREAMS', 'a', '0'], ['XREAD', 'BLOCK', '0', 'STREAMS', 'a', '0'],
    ['XREAD', 'GROUP', 'g', 'c', 'STREAMS', 'a', '0'], ['XREAD', 'NOACK', 'STREAMS', 'a', '0'], ['XREAD', 'FOO', 'STREAMS', 'a', '0'],
    ['XREAD', 'STREAMS', 'STREAMS', 'a', '0', '0'], ['XREAD', 'streams\x00', 'a', '0'], ['XREAD', 'STREAMS', 'a', '$\x00x'],
    ['XDEL', 'a', '5-0'], ['XREAD', 'STREAMS', 'a', '4'], ['XREAD', 'STREAMS', 'a', '$'],
    ['SET', 'str', 'x'], ['XREAD', 'STREAMS', 'str', '0'], ['XREAD', 'STREAMS', 'a', 'str', '0', '0'], ['XREAD', 'STREAMS', 'str', 'x'],
  ]);
});

test('XACK and XPENDING: summary and extended forms, IDLE, consumer filter, errors', async ({ c }) => {
  for (let i = 1; i <= 10; i++) await c.same('XADD', 's', `${i}-0`, 'f', 'v');
  await c.all([
    ['XGROUP', 'CREATE', 's', 'g', '0'], ['XPENDING', 's', 'g'], ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '4', 'STREAMS', 's', '>'],
    ['XREADGROUP', 'GROUP', 'g', 'bob', 'COUNT', '3', 'STREAMS', 's', '>'], ['XREADGROUP', 'GROUP', 'g', 'carol', 'NOACK', 'COUNT', '2', 'STREAMS', 's', '>'],
    ['XGROUP', 'CREATECONSUMER', 's', 'g', 'dave'], ['XPENDING', 's', 'g'], ['XPENDING', 's', 'g', '-', '+', '0'],
    ['XPENDING', 's', 'g', '-', '+', '-1'], ['XPENDING', 's', 'g', '(1-0', '(7-0', '10', 'nobody'], ['XPENDING', 's', 'g', '-', '+', '10', 'dave'],
    ['XPENDING', 's', 'g', '1'], ['XPENDING', 's', 'g', '-', '+'], ['XPENDING', 's', 'g', '-', '+', 'x'], ['XPENDING', 's', 'g', 'IDLE', 'x', '-', '+', '1'],
    ['XPENDING', 's', 'g', 'IDLE', '5', '-', '+'], ['XPENDING', 's', 'g', 'IDLE', '1000000', '-', '+', '10'],
    ['XPENDING', 's', 'g', '-', '+', '10', 'c', 'extra', 'x'], ['XPENDING', 's', 'g', '-', '+', '10', 'c', 'extra', 'x', 'y'],
    ['XPENDING', 's', 'nog'], ['XPENDING', 'nokey', 'g'], ['XPENDING', 's', 'g', 'x', '+', '1'], ['XPENDING', 's', 'g', '(-', '+', '1'],
    ['XPENDING', 's', 'g', '(18446744073709551615-18446744073709551615', '+', '1'], ['XPENDING', 's', 'g', '-', '(0-0', '1'],
    ['XPENDING', 's'], ['XACK', 's', 'g', '1-0'], ['XACK', 's', 'g', '1-0'], ['XACK', 's', 'g', '2-0', '3-0', '2-0', '9-0'],
    ['XACK', 's', 'g', '5'], ['XACK', 's', 'g', 'x'], ['XACK', 's', 'g', '6-0', 'x'], ['XACK', 's', 'nog', 'x'], ['XACK', 'nokey', 'g', 'x'],
    ['XACK', 's', 'g'], ['XPENDING', 's', 'g'], ['XACK', 's', 'g', '4-0', '5-0', '6-0', '7-0'], ['XPENDING', 's', 'g'],
    ['SET', 'str', 'x'], ['XPENDING', 'str', 'g'], ['XPENDING', 'str', 'g', 'x', '+', '1'], ['XACK', 'str', 'g', '1'],
  ]);
  await both(c, [['XGROUP', 'SETID', 's', 'g', '0'], ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '6', 'STREAMS', 's', '>']]);
  await sameTimed(c, 'XPENDING', 's', 'g', '-', '+', '10');
  await sameTimed(c, 'XPENDING', 's', 'g', '(2-0', '5', '2');
  await sameTimed(c, 'XPENDING', 's', 'g', 'IDLE', '0', '-', '+', '10', 'alice');
  await sameTimed(c, 'XPENDING', 's', 'g', 'IDLE', '-5', '-', '+', '10');
  await c.same('XPENDING', 's', 'g');
});

test('XCLAIM: IDLE, TIME, RETRYCOUNT, FORCE, JUSTID, LASTID, deleted entries, errors', async ({ c }) => {
  for (let i = 1; i <= 6; i++) await c.same('XADD', 's', `${i}-0`, 'f', `v${i}`);
  await both(c, [['XGROUP', 'CREATE', 's', 'g', '0'], ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '4', 'STREAMS', 's', '>']]);
  const now = Date.now();
  await c.all([
    ['XCLAIM', 's', 'g', 'bob', '0', '1-0'], ['XCLAIM', 's', 'g', 'bob', '0', '2-0', 'JUSTID'], ['XCLAIM', 's', 'g', 'bob', '3600000', '3-0'],
    ['XCLAIM', 's', 'g', 'carol', '3600000', '3-0'], ['XCLAIM', 's', 'g', 'bob', '0', '3-0', '4-0', '9-0', 'RETRYCOUNT', '7', 'JUSTID'],
    ['XCLAIM', 's', 'g', 'bob', '0', '5-0'], ['XCLAIM', 's', 'g', 'bob', '0', '5-0', 'FORCE'], ['XCLAIM', 's', 'g', 'bob', '0', '9-0', 'FORCE'],
    ['XCLAIM', 's', 'g', 'dan', '-5', '1-0', 'RETRYCOUNT', '-3', 'IDLE', '-100', 'JUSTID'],
    ['XCLAIM', 's', 'g', 'dan', '0', '1-0', 'RETRYCOUNT', '9223372036854775807', 'JUSTID'],
    ['XCLAIM', 's', 'g', 'dan', '0', '2', '3', 'TIME', String(now + 100000000), 'JUSTID'],
    ['XCLAIM', 's', 'g', 'dan', '0', '6-0', 'LASTID', '6-0', 'FORCE', 'JUSTID'], ['XINFO', 'GROUPS', 's'],
    ['XCLAIM', 's', 'g', 'dan', '0', '1-0', 'LASTID', '100-0'], ['XINFO', 'GROUPS', 's'],
    ['XCLAIM', 's', 'g', 'dan', '0', '1-0', 'LASTID', '5-0', 'JUSTID'], ['XINFO', 'GROUPS', 's'],
    ['XDEL', 's', '2-0'], ['XCLAIM', 's', 'g', 'erin', '0', '2-0', '3-0', 'JUSTID'], ['XPENDING', 's', 'g'],
    ['XCLAIM', 's', 'g', 'c', 'x', '1-0'], ['XCLAIM', 's', 'g', 'c', '1.5', '1-0'], ['XCLAIM', 's', 'nog', 'c', '0', '1-0'],
    ['XCLAIM', 'nokey', 'g', 'c', '0', '1-0'], ['XCLAIM', 's', 'g', 'c', '0', '1-0', 'foo'], ['XCLAIM', 's', 'g', 'c', '0', '1-0', 'IDLE'],
    ['XCLAIM', 's', 'g', 'c', '0', '1-0', 'IDLE', 'x'], ['XCLAIM', 's', 'g', 'c', '0', '1-0', 'TIME', 'x'],
    ['XCLAIM', 's', 'g', 'c', '0', '1-0', 'RETRYCOUNT', 'x'], ['XCLAIM', 's', 'g', 'c', '0', '1-0', 'LASTID', 'x'],
    ['XCLAIM', 's', 'g', 'c', '0', 'x'], ['XCLAIM', 's', 'g', 'c', '0', '-'], ['XCLAIM', 's', 'g', 'c', '0', '1-0', 'justid', 'force', 'idle'],
    ['XCLAIM', 's', 'g', 'c', '0', '1-0', 'JUSTID\x00junk'], ['XCLAIM', 's', 'g', 'c', '0', '1-0', `opt${BIN}`],
    ['XCLAIM', 's', 'g', 'c', '0'], ['SET', 'str', 'x'], ['XCLAIM', 'str', 'g', 'c', '0', '1-0'], ['XCLAIM', 'str', 'g', 'c', 'x', '1-0'],
    ['XINFO', 'GROUPS', 's'],
  ]);
  // Replies carrying idle times, after IDLE and TIME set the delivery time.
  await c.same('XCLAIM', 's', 'g', 'zed', '0', '1-0', '3-0', 'IDLE', '500000', 'JUSTID');
  await sameTimed(c, 'XPENDING', 's', 'g', '-', '+', '10');
  await c.same('XCLAIM', 's', 'g', 'zed', '400000', '1-0', '3-0', 'JUSTID');
  await c.same('XCLAIM', 's', 'g', 'zed', '400000', '1-0', '3-0', 'TIME', String(now - 900000));
  await sameTimed(c, 'XPENDING', 's', 'g', 'IDLE', '800000', '-', '+', '10');
  await sameTimed(c, 'XINFO', 'STREAM', 's', 'FULL');
  await sameTimed(c, 'XINFO', 'CONSUMERS', 's', 'g');
});

test('XAUTOCLAIM: cursor, COUNT, JUSTID, deleted entries, idle times, errors', async ({ c }) => {
  for (let i = 1; i <= 30; i++) await c.same('XADD', 's', `${i}-0`, 'f', `v${i}`);
  await both(c, [['XGROUP', 'CREATE', 's', 'g', '0'], ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>']]);
  await c.all([
    ['XAUTOCLAIM', 's', 'g', 'bob', '0', '0', 'COUNT', '3'], ['XAUTOCLAIM', 's', 'g', 'bob', '0', '4-0', 'COUNT', '2', 'JUSTID'],
    ['XAUTOCLAIM', 's', 'g', 'bob', '0', '(5-0', 'COUNT', '1'], ['XAUTOCLAIM', 's', 'g', 'carol', '3600000', '0'],
    ['XDEL', 's', '8-0', '9-0', '10-0', '12-0'], ['XAUTOCLAIM', 's', 'g', 'carol', '0', '7-0', 'COUNT', '2'],
    ['XAUTOCLAIM', 's', 'g', 'carol', '0', '7-0', 'COUNT', '3'], ['XPENDING', 's', 'g'],
    ['XAUTOCLAIM', 's', 'g', 'dave', '0', '25-0'], ['XAUTOCLAIM', 's', 'g', 'dave', '0', '0', 'COUNT', '100', 'JUSTID', 'COUNT', '5', 'JUSTID'],
    ['XAUTOCLAIM', 's', 'g', 'dave', '0', '31-0'], ['XAUTOCLAIM', 's', 'g', 'dave', '-5', '0', 'COUNT', '1'],
    ['XAUTOCLAIM', 's', 'g', 'c', 'x', '0'], ['XAUTOCLAIM', 's', 'g', 'c', '0', 'x'], ['XAUTOCLAIM', 's', 'g', 'c', '0', '(x'],
    ['XAUTOCLAIM', 's', 'g', 'c', '0', '0', 'COUNT', '0'], ['XAUTOCLAIM', 's', 'g', 'c', '0', '0', 'COUNT', 'x'],
    ['XAUTOCLAIM', 's', 'g', 'c', '0', '0', 'COUNT', '-1'], ['XAUTOCLAIM', 's', 'g', 'c', '0', '0', 'COUNT', '576460752303423488'],
    ['XAUTOCLAIM', 's', 'g', 'c', '0', '0', 'COUNT', '1000000000000'], ['XAUTOCLAIM', 's', 'g', 'c', '0', '0', 'COUNT'],
    ['XAUTOCLAIM', 's', 'g', 'c', '0', '0', 'FOO'], ['XAUTOCLAIM', 's', 'nog', 'c', '0', '0'], ['XAUTOCLAIM', 'nokey', 'g', 'c', '0', '0'],
    ['XAUTOCLAIM', 'nokey', 'g', 'c', 'x', '0'], ['XAUTOCLAIM', 's', 'g', 'c', '0', '(18446744073709551615-18446744073709551615'],
    ['SET', 'str', 'x'], ['XAUTOCLAIM', 'str', 'g', 'c', '0', '0'], ['XPENDING', 's', 'g'], ['XINFO', 'GROUPS', 's'],
  ]);
  // Only entries idle long enough move, and at most COUNT * 10 are looked at.
  await both(c, [['XCLAIM', 's', 'g', 'old', '0', '20-0', '22-0', '24-0', 'IDLE', '5000000', 'JUSTID']]);
  await c.same('XAUTOCLAIM', 's', 'g', 'young', '4000000', '0', 'COUNT', '1');
  await c.same('XAUTOCLAIM', 's', 'g', 'young', '4000000', '0', 'COUNT', '2', 'JUSTID');
  await c.same('XAUTOCLAIM', 's', 'g', 'young', '4000000', '0', 'COUNT', '5', 'JUSTID');
  await sameTimed(c, 'XINFO', 'CONSUMERS', 's', 'g');
  await sameTimed(c, 'XPENDING', 's', 'g', '-', '+', '100');
});

test('XSETID: last ID, ENTRIESADDED, MAXDELETEDID and their checks', async ({ c }) => {
  await c.all([
    ['XSETID', 'nokey', '5-5'], ['XSETID', 'nokey', 'x'], ['XADD', 's', '1-1', 'a', '1'], ['XADD', 's', '2-1', 'b', '2'],
    ['XSETID', 's', 'x'], ['XSETID', 's', '-'], ['XSETID', 's', '1-0'], ['XSETID', 's', '2-1'], ['XSETID', 's', '5-0', 'ENTRIESADDED', '-1'],
    ['XSETID', 's', '5-0', 'ENTRIESADDED', '1'], ['XSETID', 's', '5-0', 'ENTRIESADDED', 'x'], ['XSETID', 's', '5-0', 'ENTRIESADDED'],
    ['XSETID', 's', '5-0', 'MAXDELETEDID', '6-0'], ['XSETID', 's', '5-0', 'MAXDELETEDID', 'x'], ['XSETID', 's', '5-0', 'MAXDELETEDID', '+'],
    ['XSETID', 's', '5-0', 'MAXDELETEDID', '4-0', 'ENTRIESADDED', '9'], ['XINFO', 'STREAM', 's'], ['XSETID', 's', '3-0'],
    ['XSETID', 's', '4-0'], ['XINFO', 'STREAM', 's'], ['XSETID', 's', '5-0', 'FOO'], ['XSETID', 's', '5-0', 'MAXDELETEDID', '0-0'],
    ['XINFO', 'STREAM', 's'], ['XSETID', 's', '18446744073709551615-18446744073709551615', 'ENTRIESADDED', '9223372036854775807'],
    ['XINFO', 'STREAM', 's'], ['XADD', 's', '*', 'a', 'b'], ['XDEL', 's', '1-1', '2-1'], ['XSETID', 's', '0-0'],
    ['XINFO', 'STREAM', 's'], ['XSETID', 's', '18446744073709551615-18446744073709551615', 'MAXDELETEDID', '18446744073709551615-18446744073709551615'],
    ['XINFO', 'STREAM', 's'], ['SET', 'str', 'x'], ['XSETID', 'str', '1-1'], ['XSETID', 'str', 'x'], ['XSETID', 'str', '1', 'FOO'],
  ]);
});

test('XINFO: STREAM (FULL, COUNT), GROUPS, CONSUMERS, HELP and errors', async ({ c }) => {
  for (let i = 1; i <= 25; i++) await c.same('XADD', 's', `${i}-0`, 'f', `v${i}`, 'g', String(i));
  await both(c, [
    ['XGROUP', 'CREATE', 's', 'g1', '0'], ['XGROUP', 'CREATE', 's', 'g0', '$'], ['XGROUP', 'CREATE', 's', BIN, '5'],
    ['XREADGROUP', 'GROUP', 'g1', 'zed', 'COUNT', '12', 'STREAMS', 's', '>'], ['XREADGROUP', 'GROUP', 'g1', 'amy', 'COUNT', '3', 'STREAMS', 's', '>'],
    ['XGROUP', 'CREATECONSUMER', 's', 'g1', 'bo'],
  ]);
  for (const args of [[], ['FULL'], ['FULL', 'COUNT', '0'], ['FULL', 'COUNT', '5'], ['FULL', 'COUNT', '-5'], ['full', 'count', '100']]) {
    await sameTimed(c, 'XINFO', 'STREAM', 's', ...args);
  }
  await c.all([
    ['XINFO', 'STREAM', 's', 'FULL', 'COUNT'], ['XINFO', 'STREAM', 's', 'FOO'], ['XINFO', 'STREAM', 's', 'FULL', 'FOO', '1'],
    ['XINFO', 'STREAM', 's', 'FULL', 'COUNT', 'x'], ['XINFO', 'STREAM', 's', 'FULL', 'COUNT', '1', 'x'], ['XINFO', 'STREAM', 'nokey'],
    ['XINFO', 'STREAM', 'nokey', 'FULL', 'COUNT', 'x'], ['XINFO', 'STREAM'], ['XINFO', 'GROUPS', 's'], ['XINFO', 'GROUPS', 'nokey'],
    ['XINFO', 'GROUPS'], ['XINFO', 'GROUPS', 's', 'x'], ['XINFO', 'CONSUMERS', 's', 'nog'], ['XINFO', 'CONSUMERS', 'nokey', 'g1'],
    ['XINFO', 'CONSUMERS', 's'], ['XINFO', 'HELP'], ['XINFO', 'help'], ['XINFO', 'HELP', 'x'], ['XINFO', 'FOO'], ['XINFO', 'FOO', 's'],
    ['XINFO'], ['SET', 'str', 'x'], ['XINFO', 'STREAM', 'str'], ['XINFO', 'GROUPS', 'str'], ['XINFO', 'CONSUMERS', 'str', 'g'],
    ['XINFO', 'STREAM', 'str', 'FOO'],
  ]);
  await sameTimed(c, 'XINFO', 'CONSUMERS', 's', 'g1');
  await sameTimed(c, 'XINFO', 'CONSUMERS', 's', 'g0');
  await c.same('XGROUP', 'CREATE', 'e', 'g', '0', 'MKSTREAM');
  await sameTimed(c, 'XINFO', 'STREAM', 'e', 'FULL');
  await c.same('XINFO', 'STREAM', 'e');
});

test('entries-read and lag: through reads, tombstones, trimming, SETID and ENTRIESREAD', async ({ c }) => {
  const groups = async (): Promise<void> => {
    await c.same('XINFO', 'GROUPS', 's');
  };
  for (let i = 1; i <= 10; i++) await c.same('XADD', 's', `${i}-0`, 'f', 'v');
  await both(c, [['XGROUP', 'CREATE', 's', 'a', '0'], ['XGROUP', 'CREATE', 's', 'b', '$'], ['XGROUP', 'CREATE', 's', 'c', '3-0'],
    ['XGROUP', 'CREATE', 's', 'd', '0', 'ENTRIESREAD', '2'], ['XGROUP', 'CREATE', 's', 'e', '99-0']]);
  await groups();
  const steps: Arg[][] = [
    ['XREADGROUP', 'GROUP', 'a', 'x', 'COUNT', '3', 'STREAMS', 's', '>'], ['XREADGROUP', 'GROUP', 'c', 'x', 'COUNT', '1', 'STREAMS', 's', '>'],
    ['XREADGROUP', 'GROUP', 'd', 'x', 'COUNT', '1', 'STREAMS', 's', '>'], ['XDEL', 's', '6-0'],
    ['XREADGROUP', 'GROUP', 'a', 'x', 'COUNT', '1', 'STREAMS', 's', '>'], ['XREADGROUP', 'GROUP', 'a', 'x', 'COUNT', '3', 'STREAMS', 's', '>'],
    ['XADD', 's', '11-0', 'f', 'v'], ['XREADGROUP', 'GROUP', 'a', 'x', 'STREAMS', 's', '>'], ['XDEL', 's', '1-0'], ['XDEL', 's', '2-0'],
    ['XGROUP', 'SETID', 's', 'b', '0'], ['XGROUP', 'SETID', 's', 'c', '4-0', 'ENTRIESREAD', '4'], ['XTRIM', 's', 'MAXLEN', '5'],
    ['XREADGROUP', 'GROUP', 'b', 'x', 'COUNT', '2', 'STREAMS', 's', '>'], ['XGROUP', 'SETID', 's', 'e', '$'], ['XADD', 's', '12-0', 'f', 'v'],
    ['XDEL', 's', '12-0'], ['XADD', 's', '13-0', 'f', 'v'], ['XREADGROUP', 'GROUP', 'e', 'x', 'STREAMS', 's', '>'],
    ['XSETID', 's', '20-0', 'ENTRIESADDED', '30'], ['XGROUP', 'SETID', 's', 'd', '20-0'], ['XTRIM', 's', 'MAXLEN', '0'],
    ['XGROUP', 'SETID', 's', 'a', '0', 'ENTRIESREAD', '0'], ['XADD', 's', '21-0', 'f', 'v'], ['XREADGROUP', 'GROUP', 'c', 'x', 'STREAMS', 's', '>'],
  ];
  for (const step of steps) {
    await c.same(...step);
    await groups();
    await c.same('XINFO', 'STREAM', 's');
  }
  await sameTimed(c, 'XINFO', 'STREAM', 's', 'FULL');
});

test('RESP3: maps, nulls and arrays of every stream reply', async (ctx) => {
  const c = await ctx.connect();
  // HELLO's reply holds the client ID, which differs: switch both without comparing it.
  await c.redis.call('HELLO', '3');
  await c.echo.call('HELLO', '3');
  for (let i = 1; i <= 5; i++) await c.same('XADD', 's', `${i}-0`, 'f', `v${i}`);
  await c.all([
    ['XRANGE', 's', '-', '+'], ['XRANGE', 's', '-', '+', 'COUNT', '0'], ['XRANGE', 'nokey', '-', '+'], ['XREAD', 'STREAMS', 's', '0'],
    ['XREAD', 'STREAMS', 's', 'nokey', '3', '0'], ['XREAD', 'STREAMS', 's', '$'], ['XREAD', 'COUNT', '1', 'STREAMS', 's', 's', '0', '2'],
    ['XGROUP', 'CREATE', 's', 'g', '0'], ['XPENDING', 's', 'g'], ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '2', 'STREAMS', 's', '>'],
    ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '0'], ['XREADGROUP', 'GROUP', 'g', 'c', 'NOACK', 'STREAMS', 's', '>'],
    ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '>'], ['XPENDING', 's', 'g'], ['XINFO', 'STREAM', 's'], ['XINFO', 'GROUPS', 's'],
    ['XADD', 'nokey', 'NOMKSTREAM', '*', 'f', 'v'], ['XDEL', 's', '1-0'], ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '0'],
    ['XAUTOCLAIM', 's', 'g', 'd', '0', '0'], ['XCLAIM', 's', 'g', 'e', '0', '2-0', 'JUSTID'], ['XINFO', 'HELP'], ['XGROUP', 'HELP'],
    ['XGROUP', 'CREATE', 'e', 'g', '0', 'ENTRIESREAD', '-1', 'MKSTREAM'], ['XINFO', 'STREAM', 'e'], ['XINFO', 'GROUPS', 'e'],
    ['XREAD', 'BLOCK', '10', 'STREAMS', 's', '$'], ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '10', 'STREAMS', 's', '>'],
  ]);
  await sameTimed(c, 'XINFO', 'STREAM', 's', 'FULL');
  await sameTimed(c, 'XINFO', 'STREAM', 'e', 'FULL');
  await sameTimed(c, 'XINFO', 'CONSUMERS', 's', 'g');
  await sameTimed(c, 'XPENDING', 's', 'g', '-', '+', '10');
});

test('RESP3 keyspace events of a client\'s own commands come where Redis puts them in its replies', async (ctx) => {
  const { c } = ctx;
  await c.same('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
  const s = await ctx.connect();
  await s.redis.call('HELLO', '3');
  await s.echo.call('HELLO', '3');
  await s.same('PSUBSCRIBE', '__key*__:*');
  // Each command is followed by a PING: every frame up to its PONG is compared, in order.
  const frames = async (cl: RespClient, cmd: string[]): Promise<string[]> => {
    cl.write(encodeCommand(cmd));
    cl.write(encodeCommand(['PING']));
    const out: string[] = [];
    for (;;) {
      const f = await cl.readRaw();
      if (f.bytes === '+PONG\r\n') return out;
      out.push(f.bytes);
    }
  };
  const script: string[][] = [
    ['XADD', 'a', '1-1', 'f', 'v'], ['XADD', 'b', '1-1', 'f', 'v'], ['XGROUP', 'CREATE', 'a', 'g', '0'],
    ['XGROUP', 'CREATE', 'b', 'g', '0'], ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 'a', 'b', '>', '>'],
    ['XREADGROUP', 'GROUP', 'g', 'c2', 'STREAMS', 'a', 'a', '0', '0'], ['XCLAIM', 'a', 'g', 'c3', '0', '1-1', '1-1'],
    ['XAUTOCLAIM', 'b', 'g', 'c4', '0', '0'], ['XDEL', 'a', '1-1'], ['XAUTOCLAIM', 'a', 'g', 'c5', '0', '0'],
    ['XGROUP', 'CREATECONSUMER', 'a', 'g', 'c6'], ['XGROUP', 'DELCONSUMER', 'a', 'g', 'c6'], ['XTRIM', 'b', 'MAXLEN', '0'],
    ['XADD', 'n', 'MAXLEN', '0', '1-1', 'f', 'v'], ['XGROUP', 'CREATE', 'm', 'g', '$', 'MKSTREAM'], ['XSETID', 'm', '5-5'],
    ['XGROUP', 'SETID', 'm', 'g', '0'], ['XGROUP', 'DESTROY', 'm', 'g'],
  ];
  for (const cmd of script) {
    const [r, e] = await Promise.all([frames(s.redis, cmd), frames(s.echo, cmd)]);
    assert.equal(e.map(show), r.map(show), cmd.join(' '));
  }
  await c.same('CONFIG', 'SET', 'notify-keyspace-events', '');
});

test('COMMAND INFO, DOCS and GETKEYS of the stream commands match redis-server', async (ctx) => {
  const { c } = ctx;
  const names = ['xadd', 'xlen', 'xrange', 'xrevrange', 'xdel', 'xtrim', 'xread', 'xreadgroup', 'xack', 'xpending', 'xclaim',
    'xautoclaim', 'xsetid', 'xgroup', 'xinfo', 'xgroup|create', 'xgroup|createconsumer', 'xgroup|delconsumer', 'xgroup|destroy',
    'xgroup|help', 'xgroup|setid', 'xinfo|stream', 'xinfo|groups', 'xinfo|consumers', 'xinfo|help'];
  for (const name of names) {
    const [r] = (await c.redis.call('COMMAND', 'INFO', name)) as unknown[][];
    const [e] = (await c.echo.call('COMMAND', 'INFO', name)) as unknown[][];
    assert.ok(e, `${name} is registered`);
    assert.equal(e.slice(0, 8), r.slice(0, 8), `COMMAND INFO ${name}`);
    const field = (docs: unknown[], f: string): unknown => {
      const d = docs[1] as unknown[];
      return d[d.indexOf(f) + 1];
    };
    const rd = (await c.redis.call('COMMAND', 'DOCS', name)) as unknown[];
    const ed = (await c.echo.call('COMMAND', 'DOCS', name)) as unknown[];
    for (const f of ['summary', 'since', 'group', 'complexity', 'history']) {
      assert.equal(field(ed, f), field(rd, f), `${f} of ${name}`);
    }
  }
  await c.all([
    ['COMMAND', 'GETKEYS', 'XREAD', 'COUNT', '1', 'BLOCK', '5', 'STREAMS', 'a', 'b', '0', '0'],
    ['COMMAND', 'GETKEYS', 'XREADGROUP', 'GROUP', 'STREAMS', 'c', 'NOACK', 'STREAMS', 'k', '>'],
    ['COMMAND', 'GETKEYS', 'XREAD', 'STREAMS', 'a', 'b', '0'], ['COMMAND', 'GETKEYS', 'XREAD', 'FOO', 'STREAMS', 'a', '0'],
    ['COMMAND', 'GETKEYS', 'XADD', 's', '*', 'f', 'v'], ['COMMAND', 'GETKEYS', 'XGROUP', 'CREATE', 's', 'g', '0'],
    ['COMMAND', 'GETKEYS', 'XINFO', 'STREAM', 's'], ['COMMAND', 'GETKEYSANDFLAGS', 'XREAD', 'STREAMS', 'a', '0'],
    ['COMMAND', 'GETKEYSANDFLAGS', 'XADD', 's', '*', 'f', 'v'], ['COMMAND', 'GETKEYSANDFLAGS', 'XGROUP', 'DESTROY', 's', 'g'],
  ]);
});

test('WATCH: XADD, XDEL, XTRIM and a stream made by MKSTREAM touch the key; group commands do not', async (ctx) => {
  const { c } = ctx;
  const w = await ctx.connect();
  await c.all([['XADD', 's', '1-1', 'f', 'v'], ['XGROUP', 'CREATE', 's', 'g', '0']]);
  const cmds: Arg[][] = [
    ['XGROUP', 'CREATE', 's', 'g2', '0'], ['XGROUP', 'SETID', 's', 'g', '0'], ['XGROUP', 'CREATECONSUMER', 's', 'g', 'cc'],
    ['XGROUP', 'DELCONSUMER', 's', 'g', 'cc'], ['XGROUP', 'DESTROY', 's', 'g2'], ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '>'],
    ['XACK', 's', 'g', '1-1'], ['XCLAIM', 's', 'g', 'c2', '0', '1-1'], ['XAUTOCLAIM', 's', 'g', 'c3', '0', '0'], ['XSETID', 's', '5-5'],
    ['XADD', 's', '6-1', 'f', 'v'], ['XDEL', 's', '6-1'], ['XTRIM', 's', 'MAXLEN', '0'], ['XDEL', 's', '99-1'],
    ['XTRIM', 's', 'MAXLEN', '0'], ['XGROUP', 'CREATE', 's', 'g9', '$', 'MKSTREAM'], ['XREAD', 'STREAMS', 's', '0'],
    ['XGROUP', 'CREATE', 'new', 'g', '$', 'MKSTREAM'],
  ];
  for (const cmd of cmds) {
    await w.same('WATCH', 's', 'new');
    await c.same(...cmd);
    await w.same('MULTI');
    await w.same('PING');
    await w.same('EXEC');
  }
});

test('wrong types: every stream command on a string key', async ({ c }) => {
  await c.all([['SET', 'str', 'x'], ['SET', 'str2', '']]);
  for (const key of ['str', 'str2']) {
    await c.all([
      ['XADD', key, '1-1', 'f', 'v'], ['XLEN', key], ['XRANGE', key, '-', '+'], ['XREVRANGE', key, '+', '-'], ['XDEL', key, '1-1'],
      ['XTRIM', key, 'MAXLEN', '0'], ['XREAD', 'STREAMS', key, '0'], ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', key, '>'],
      ['XACK', key, 'g', '1-1'], ['XPENDING', key, 'g'], ['XCLAIM', key, 'g', 'c', '0', '1-1'], ['XAUTOCLAIM', key, 'g', 'c', '0', '0'],
      ['XSETID', key, '1-1'], ['XGROUP', 'CREATE', key, 'g', '0'], ['XINFO', 'STREAM', key], ['XINFO', 'GROUPS', key],
      ['XINFO', 'CONSUMERS', key, 'g'],
    ]);
  }
});

test.run();

// ---------------------------------------------------------------------------------------------
// What each command propagates: Redis's AOF (appendfsync always) against echokv's propagate hook.

const prop = suite('compat: stream propagation');


prop('every write propagates what Redis propagates (XCLAIM for reads, exact trimming, generated IDs)', async () => {
  const redis = await startRedis(['--appendonly', 'yes', '--appendfsync', 'always']);
  if (redis === null) return;
  const echokv = await startEchokv();
  const seen: string[][] = [];
  echokv.server.on('propagate', (_db, argv) => seen.push([...argv]));
  const r = await RespClient.connect(redis.port);
  const e = await RespClient.connect(echokv.port);
  try {
    const script: string[][] = [
      ['XADD', 's', '1-1', 'a', '1'], ['XADD', 's', '2-*', 'b', '2'], ['XADD', 's', 'MAXLEN', '~', '1', '3-1', 'c', '3'],
      ['XADD', 's', 'MINID', '~', '0', '4-1', 'd', '4'], ['XADD', 's', 'NOMKSTREAM', '5-1', 'e', '5'],
      ['XADD', 's', 'maxlen', '~', '10', 'LIMIT', '5', '6-*', 'f', '6'], ['XADD', 'nokey', 'NOMKSTREAM', '1-1', 'a', 'b'],
      ['XADD', 's', '1-1', 'dup', 'x'], ['XGROUP', 'CREATE', 's', 'g', '0'], ['XGROUP', 'CREATE', 's', 'g', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'c1', 'COUNT', '2', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c2', 'NOACK', 'COUNT', '1', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '0'], ['XREADGROUP', 'GROUP', 'g', 'c3', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c3', 'STREAMS', 's', '>'], ['XREADGROUP', 'GROUP', 'g', 'c9', 'NOACK', 'STREAMS', 's', '>'],
      ['XCLAIM', 's', 'g', 'c3', '0', '1-1'], ['XCLAIM', 's', 'g', 'c3', '0', '1-1', 'JUSTID', 'LASTID', '99-0'],
      ['XCLAIM', 's', 'g', 'c4', '3600000', '1-1', 'LASTID', '100-0'], ['XCLAIM', 's', 'g', 'c4', '0', '2-0', '9-9', 'FORCE', 'RETRYCOUNT', '5'],
      ['XAUTOCLAIM', 's', 'g', 'c4', '0', '0', 'COUNT', '2'], ['XAUTOCLAIM', 's', 'g', 'c5', '3600000', '0'],
      ['XGROUP', 'SETID', 's', 'g', '$'], ['XGROUP', 'SETID', 's', 'g', '0', 'ENTRIESREAD', '0'], ['XDEL', 's', '1-1'], ['XDEL', 's', '1-1'],
      ['XCLAIM', 's', 'g', 'c5', '0', '1-1'], ['XAUTOCLAIM', 's', 'g', 'c5', '0', '0'], ['XTRIM', 's', 'MAXLEN', '~', '0'],
      ['XTRIM', 's', 'MAXLEN', '0'], ['XADD', 's', '7-1', 'g', '7'], ['XADD', 's', '8-1', 'g', '8'], ['XTRIM', 's', 'MINID', '~', '8'],
      ['XTRIM', 's', 'MINID', '8'], ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c9'], ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c10'],
      ['XGROUP', 'DELCONSUMER', 's', 'g', 'c10'], ['XGROUP', 'DELCONSUMER', 's', 'g', 'nobody'], ['XACK', 's', 'g', '2-0'],
      ['XREADGROUP', 'GROUP', 'g', 'c1', 'STREAMS', 's', '>'], ['XACK', 's', 'g', '8-1', '8-1', '7-1'], ['XSETID', 's', '99-0'],
      ['XSETID', 's', '99-0', 'ENTRIESADDED', '100', 'MAXDELETEDID', '1-1'], ['XGROUP', 'DESTROY', 's', 'g'], ['XGROUP', 'DESTROY', 's', 'g'],
      ['XGROUP', 'CREATE', 'm', 'g', '$', 'MKSTREAM'], ['XLEN', 's'], ['XRANGE', 's', '-', '+'], ['XINFO', 'STREAM', 's'],
      ['XPENDING', 's', 'g'], ['XREAD', 'STREAMS', 's', '0'], ['XADD', 'gen', '*', 'f', 'v'],
    ];
    const now = Date.now();
    for (const cmd of script) {
      await r.call(...cmd);
      await e.call(...cmd);
    }
    const aof = readRedisAof(redis.dir);
    // Delivery times and generated IDs come from each server's clock: compare them loosely.
    const norm = (list: string[][]): string[] => list.map((a) => a.map((x, i) => {
      if (a[i - 1] === 'TIME' && /^\d{13}$/.test(x) && Math.abs(Number(x) - now) < 200000) return '<ms>';
      if (/^\d{13}-\d+$/.test(x) && Math.abs(Number(x.split('-')[0]) - now) < 200000) return '<id>';
      return x;
    }).join(' '));
    assert.equal(norm(seen), norm(aof));
  } finally {
    r.close();
    e.close();
    await echokv.stop();
    await redis.stop();
  }
});

prop.run();

// ---------------------------------------------------------------------------------------------
// Keyspace events: Redis's __keyevent@0__ messages against echokv's notify hook.

const events = suite('compat: stream keyspace events');

events('each command fires the events Redis fires', async () => {
  const redis = await startRedis();
  if (redis === null) return;
  const echokv = await startEchokv();
  const r = await RespClient.connect(redis.port);
  const sub = await RespClient.connect(redis.port);
  const e = await RespClient.connect(echokv.port);
  const script: string[][] = [
    ['XADD', 's', '1-1', 'a', '1'], ['XADD', 's', 'MAXLEN', '1', '2-1', 'a', '1'], ['XADD', 's', 'MAXLEN', '5', '3-1', 'a', '1'],
    ['XADD', 's', 'MAXLEN', '~', '0', '3-2', 'a', '1'], ['XTRIM', 's', 'MAXLEN', '0'], ['XTRIM', 's', 'MAXLEN', '0'],
    ['XADD', 's', '4-1', 'a', '1'], ['XDEL', 's', '4-1'], ['XDEL', 's', '4-1'], ['XGROUP', 'CREATE', 's', 'g', '0'],
    ['XGROUP', 'CREATE', 's', 'g', '0'], ['XGROUP', 'CREATE', 's2', 'g', '0', 'MKSTREAM'], ['XADD', 's', '5-1', 'a', '1'],
    ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '>'], ['XREADGROUP', 'GROUP', 'g', 'c2', 'STREAMS', 's', '>'],
    ['XREADGROUP', 'GROUP', 'g', 'c2', 'NOACK', 'STREAMS', 's', '0'], ['XCLAIM', 's', 'g', 'c3', '0', '5-1'],
    ['XAUTOCLAIM', 's', 'g', 'c4', '0', '0'], ['XACK', 's', 'g', '5-1'], ['XGROUP', 'SETID', 's', 'g', '0'],
    ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c5'], ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c5'], ['XGROUP', 'DELCONSUMER', 's', 'g', 'c5'],
    ['XGROUP', 'DELCONSUMER', 's', 'g', 'c5'], ['XGROUP', 'DESTROY', 's', 'g'], ['XGROUP', 'DESTROY', 's', 'g'], ['XSETID', 's', '9-9'],
    ['XADD', 's', 'NOMKSTREAM', '10-1', 'a', '1'], ['XADD', 'n', 'NOMKSTREAM', '10-1', 'a', '1'], ['DEL', 's'],
  ];
  try {
    for (const cls of ['t', 'g', 'K']) {
      await r.call('FLUSHALL');
      for (const db of echokv.server.keyspace.dbs) db.flush();
      await r.call('CONFIG', 'SET', 'notify-keyspace-events', cls === 'K' ? 'KEA' : 'E' + cls);
      await sub.call('PSUBSCRIBE', '__keyevent@0__:*');
      const mine: string[] = [];
      echokv.server.keyspace.hooks.notify = (c, event, key) => {
        if (cls === 'K' || c === cls) mine.push(event + ' ' + key);
      };
      for (const cmd of script) {
        await r.call(...cmd);
        await e.call(...cmd);
      }
      // A message of our own marks the end of the events (the pattern matches its channel too).
      await r.call('PUBLISH', '__keyevent@0__:marker', 'end');
      const theirs: string[] = [];
      for (;;) {
        const msg = (await sub.read()) as string[];
        if (msg[2] === '__keyevent@0__:marker') break;
        theirs.push(msg[2].slice(msg[2].indexOf(':') + 1) + ' ' + msg[3]);
      }
      assert.equal(mine, theirs, `events of class ${cls}`);
      await sub.call('PUNSUBSCRIBE');
    }
  } finally {
    r.close();
    sub.close();
    e.close();
    await echokv.stop();
    await redis.stop();
  }
});

events.run();

// ---------------------------------------------------------------------------------------------
// Time, with echokv's clock injected: generated IDs, idle and delivery times, exactly.

const clock = suite('stream time (injected clock)');

clock('* IDs come from the keyspace clock and never go back; idle times and IDLE filters are exact', async () => {
  const t0 = 1_700_000_000_000;
  let now = t0;
  const echokv = await startEchokv({}, { clock: () => now });
  const c = await RespClient.connect(echokv.port);
  try {
    assert.is(await c.call('XADD', 's', '*', 'f', 'v'), `${now}-0`);
    assert.is(await c.call('XADD', 's', '*', 'f', 'v'), `${now}-1`);
    now -= 5000;
    assert.is(await c.call('XADD', 's', '*', 'f', 'v'), `${now + 5000}-2`, 'a clock going back does not move IDs back');
    now += 10000;
    assert.is(await c.call('XADD', 's', '*', 'f', 'v'), `${now}-0`);
    assert.is(await c.call('XADD', 's', `${now}-*`, 'f', 'v'), `${now}-1`);
    await c.call('XGROUP', 'CREATE', 's', 'g', '0');
    await c.call('XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '2', 'STREAMS', 's', '>');
    now += 1234;
    const rows = (await c.call('XPENDING', 's', 'g', '-', '+', '10')) as unknown[][];
    assert.equal(rows.map((r) => r[2]), [1234, 1234]);
    assert.equal(await c.call('XPENDING', 's', 'g', 'IDLE', '1235', '-', '+', '10'), []);
    assert.is(((await c.call('XPENDING', 's', 'g', 'IDLE', '1234', '-', '+', '10')) as unknown[]).length, 2);
    const consumers = (await c.call('XINFO', 'CONSUMERS', 's', 'g')) as unknown[][];
    assert.equal(consumers, [['name', 'alice', 'pending', 2, 'idle', 1234]]);
    // XCLAIM: min-idle-time against the delivery time; IDLE and TIME set it.
    assert.equal(await c.call('XCLAIM', 's', 'g', 'bob', '1235', `${t0}-0`, 'JUSTID'), []);
    assert.equal(await c.call('XCLAIM', 's', 'g', 'bob', '1234', `${t0}-0`, 'IDLE', '500', 'JUSTID'), [`${t0}-0`]);
    const full = (await c.call('XINFO', 'STREAM', 's', 'FULL')) as unknown[];
    const groups = full[full.indexOf('groups') + 1] as unknown[][];
    const pending = groups[0][groups[0].indexOf('pending') + 1] as unknown[][];
    assert.equal(pending[0], [`${t0}-0`, 'bob', now - 500, 1]);
    assert.equal(await c.call('XCLAIM', 's', 'g', 'bob', '0', `${t0}-1`, 'TIME', String(now - 42), 'JUSTID'), [`${t0}-1`]);
    assert.equal(((await c.call('XPENDING', 's', 'g', '-', '+', '10')) as unknown[][]).map((r) => r[2]), [500, 42]);
    // XAUTOCLAIM moves only what was idle long enough.
    const auto = (await c.call('XAUTOCLAIM', 's', 'g', 'carol', '100', '0', 'JUSTID')) as unknown[];
    assert.equal(auto, ['0-0', [`${t0}-0`], []]);
  } finally {
    c.close();
    await echokv.stop();
  }
});

clock.run();
