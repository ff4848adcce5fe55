// List commands against a real redis-server: every command and option, errors and their order,
// edge cases (negative, huge and non-numeric indexes, empty results, binary values, elements
// bigger than a chunk, lists of thousands of elements), RESP3 replies, OBJECT ENCODING, COMMAND
// GETKEYS, the dirty counter, what each write propagates (read from Redis's AOF) and which
// keyspace events fire (read from Redis's pub/sub). Blocking behaviour is in
// list_blocking.test.ts; random command sequences in property_list.test.ts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type Compat, compatSuite, show, sameKeyspaceEvents, propagationOf } from './_compat.ts';
import { encodeCommand } from '../_resp.ts';
import { RespClient, startEchokv, startRedis } from '../_helpers.ts';
import { join } from 'node:path';

const test = compatSuite('list');

/**
 * Sends `cmds` to both servers as one pipeline and asserts each pair of replies is the same, byte
 * for byte (a busy machine makes one round trip per command slow).
 */
async function pipeline(c: Compat, cmds: string[][]): Promise<void> {
  for (let i = 0; i < cmds.length; i += 500) {
    const batch = cmds.slice(i, i + 500);
    const bytes = batch.map((cmd) => encodeCommand(cmd));
    const read = async (client: RespClient): Promise<string[]> => {
      for (const b of bytes) client.write(b);
      const out: string[] = [];
      for (let k = 0; k < batch.length; k++) out.push((await client.readRaw()).bytes);
      return out;
    };
    const [r, e] = await Promise.all([read(c.redis), read(c.echo)]);
    for (let k = 0; k < batch.length; k++) {
      assert.is(show(e[k]), show(r[k]), `reply to ${show(batch[k].join(' '))}`);
    }
  }
}

const BIN = 'a\x00b\xff\r\n\x80z';
const I64_MAX = '9223372036854775807';
const I64_MIN = '-9223372036854775808';
const NUMS = ['0', '1', '2', '-1', '-2', '3', '-3', '5', '-5', '100', '-100', I64_MAX, I64_MIN, '9223372036854775808',
  'abc', '', '1.5', ' 1', '01', '-0', '+1', '0x1'];

test('LPUSH, RPUSH, LPUSHX, RPUSHX: order, counts, binary and empty elements, errors', async ({ c }) => {
  await pipeline(c, [
    ['LPUSH', 'l', 'a'], ['LPUSH', 'l', 'b', 'c', 'd'], ['RPUSH', 'l', 'e', 'f'], ['LRANGE', 'l', '0', '-1'],
    ['RPUSH', 'l', BIN, '', BIN], ['LPUSH', 'l', ''], ['LRANGE', 'l', '0', '-1'], ['LLEN', 'l'],
    ['LPUSHX', 'nope', 'a'], ['RPUSHX', 'nope', 'a', 'b'], ['EXISTS', 'nope'], ['LPUSHX', 'l', 'x', 'y'],
    ['RPUSHX', 'l', 'z'], ['LRANGE', 'l', '0', '-1'], ['LPUSH', BIN, BIN], ['LRANGE', BIN, '0', '-1'],
    ['LPUSH', 'l'], ['RPUSH'], ['LPUSHX', 'l'], ['RPUSHX', 'l'], ['lpush', 'l', 'lower'], ['RpUsH', 'l', 'mixed'],
    ['LINDEX', 'l', '0'], ['LINDEX', 'l', '-1'], ['TYPE', 'l'], ['OBJECT', 'ENCODING', 'l'],
  ]);
});

test('LPOP and RPOP with and without a count', async ({ c }) => {
  await pipeline(c, [
    ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e', 'f', 'g'], ['LPOP', 'l'], ['RPOP', 'l'], ['LPOP', 'l', '2'],
    ['RPOP', 'l', '2'], ['LPOP', 'l', '0'], ['RPOP', 'l', '0'], ['LRANGE', 'l', '0', '-1'], ['LPOP', 'l', '10'],
    ['EXISTS', 'l'], ['LPOP', 'l'], ['RPOP', 'l'], ['LPOP', 'l', '0'], ['RPOP', 'l', '3'],
    ['RPUSH', 'l', 'a', 'b', 'c'], ['RPOP', 'l', I64_MAX], ['EXISTS', 'l'],
    ['RPUSH', 'l', 'a'], ['LPOP', 'l', '1', '2'], ['RPOP', 'l', '1', '2'], ['LPOP'],
  ]);
  const cmds: string[][] = [];
  for (const n of NUMS) {
    cmds.push(['RPUSH', 'l', 'x', 'y'], ['LPOP', 'l', n], ['RPOP', 'l', n], ['LPOP', 'missing', n], ['RPOP', 'missing', n]);
  }
  cmds.push(['RPUSH', 'l', 'last'], ['RPOP', 'l'], ['EXISTS', 'l']);
  await pipeline(c, cmds);
});

test('LLEN, LRANGE and LINDEX over every index form', async ({ c }) => {
  const cmds: string[][] = [['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e', BIN, ''], ['LLEN', 'l'], ['LLEN', 'missing']];
  for (const a of NUMS) {
    cmds.push(['LINDEX', 'l', a], ['LINDEX', 'missing', a], ['LRANGE', 'missing', a, '-1']);
    for (const b of NUMS) cmds.push(['LRANGE', 'l', a, b]);
  }
  await pipeline(c, cmds);
  await pipeline(c, [['LLEN'], ['LLEN', 'l', 'x'], ['LRANGE', 'l', '0'], ['LINDEX', 'l'], ['LRANGE', 'l', '0', '1', '2']]);
});

test('LSET: every index form, missing keys, errors', async ({ c }) => {
  const cmds: string[][] = [['RPUSH', 'l', 'a', 'b', 'c']];
  for (const i of NUMS) cmds.push(['LSET', 'l', i, 'v' + i], ['LSET', 'missing', i, 'v']);
  await pipeline(c, cmds);
  await pipeline(c, [
    ['LRANGE', 'l', '0', '-1'], ['LSET', 'l', '1', BIN], ['LSET', 'l', '0', 'x'.repeat(20000)], ['LSET', 'l', '0', ''],
    ['LRANGE', 'l', '0', '-1'], ['LSET', 'l', '1'], ['LSET', 'l', '1', 'a', 'b'],
  ]);
});

test('LINSERT before and after, pivots found and not, errors', async ({ c }) => {
  await pipeline(c, [
    ['RPUSH', 'l', 'a', 'b', 'c', 'b'], ['LINSERT', 'l', 'BEFORE', 'b', 'x'], ['LINSERT', 'l', 'AFTER', 'b', 'y'],
    ['LINSERT', 'l', 'before', 'a', 'first'], ['LINSERT', 'l', 'after', 'b', 'z'], ['LINSERT', 'l', 'AfTeR', 'c', 'end'],
    ['LINSERT', 'l', 'AFTER', 'end', 'last'], ['LINSERT', 'l', 'BEFORE', 'nope', 'v'], ['LRANGE', 'l', '0', '-1'],
    ['LINSERT', 'missing', 'BEFORE', 'a', 'v'], ['EXISTS', 'missing'], ['LINSERT', 'l', 'MIDDLE', 'a', 'v'],
    ['LINSERT', 'missing', 'MIDDLE', 'a', 'v'], ['LINSERT', 'l', 'after\x00junk', 'a', 'nul'], ['LINSERT', 'l', 'BEFORE', BIN, 'v'],
    ['RPUSH', 'l', BIN], ['LINSERT', 'l', 'BEFORE', BIN, BIN], ['LINSERT', 'l', 'AFTER', '', 'v'],
    ['LRANGE', 'l', '0', '-1'], ['LINSERT', 'l', 'BEFORE', 'a'], ['LINSERT', 'l', 'BEFORE', 'a', 'b', 'c'],
  ]);
});

test('LREM from the head, the tail and everywhere; the key goes when emptied', async ({ c }) => {
  const fill = ['RPUSH', 'l', 'a', 'b', 'a', 'c', 'a', 'b', 'a', BIN, 'a'];
  const cmds: string[][] = [];
  for (const n of ['0', '1', '2', '-1', '-2', '3', '-3', '100', '-100', I64_MAX, I64_MIN, 'x', '1.0', '']) {
    cmds.push(['DEL', 'l'], fill, ['LREM', 'l', n, 'a'], ['LRANGE', 'l', '0', '-1'], ['LREM', 'l', n, BIN],
      ['LREM', 'l', n, 'nope'], ['LREM', 'missing', n, 'a'], ['LRANGE', 'l', '0', '-1'], ['EXISTS', 'l']);
  }
  await pipeline(c, cmds);
  await pipeline(c, [
    ['DEL', 'l'], ['RPUSH', 'l', 'a', 'a'], ['LREM', 'l', '0', 'a'], ['EXISTS', 'l'], ['LREM', 'l', '1'],
    ['LREM', 'l', '1', 'a', 'b'],
  ]);
});

test('LTRIM over every index form; the key goes when emptied', async ({ c }) => {
  const idx = ['0', '1', '-1', '2', '-2', '5', '-5', '100', '-100', I64_MAX, I64_MIN, 'abc'];
  const cmds: string[][] = [];
  for (const a of idx) {
    for (const b of idx) {
      cmds.push(['DEL', 'l'], ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e'], ['LTRIM', 'l', a, b], ['LRANGE', 'l', '0', '-1'],
        ['EXISTS', 'l']);
    }
    cmds.push(['LTRIM', 'missing', a, '1']);
  }
  await pipeline(c, cmds);
  await pipeline(c, [['LTRIM', 'l', '0'], ['LTRIM', 'l', '0', '1', '2']]);
});

test('LPOS with RANK, COUNT and MAXLEN in every combination, errors', async ({ c }) => {
  const cmds: string[][] = [['RPUSH', 'l', 'a', 'b', 'c', 'a', 'b', 'c', 'a', BIN, 'a', '']];
  const ranks = [[], ['RANK', '1'], ['RANK', '2'], ['RANK', '-1'], ['RANK', '-3'], ['RANK', '10'], ['RANK', '-10'],
    ['RANK', I64_MIN], ['RANK', '-9223372036854775807'], ['RANK', I64_MAX]];
  const counts = [[], ['COUNT', '0'], ['COUNT', '1'], ['COUNT', '2'], ['COUNT', '100']];
  const maxlens = [[], ['MAXLEN', '0'], ['MAXLEN', '1'], ['MAXLEN', '4'], ['MAXLEN', '100']];
  for (const r of ranks) {
    for (const n of counts) {
      for (const m of maxlens) {
        cmds.push(['LPOS', 'l', 'a', ...r, ...n, ...m], ['LPOS', 'l', 'zz', ...m, ...n, ...r]);
      }
    }
  }
  await pipeline(c, cmds);
  await pipeline(c, [
    ['LPOS', 'l', BIN], ['LPOS', 'l', ''], ['LPOS', 'l', BIN, 'COUNT', '0'], ['LPOS', 'missing', 'a'],
    ['LPOS', 'missing', 'a', 'COUNT', '0'], ['LPOS', 'missing', 'a', 'RANK', '0'], ['LPOS', 'l', 'a', 'RANK', '0'],
    ['LPOS', 'l', 'a', 'RANK', 'x'], ['LPOS', 'l', 'a', 'COUNT', '-1'], ['LPOS', 'l', 'a', 'COUNT', 'x'],
    ['LPOS', 'l', 'a', 'MAXLEN', '-1'], ['LPOS', 'l', 'a', 'MAXLEN', 'x'], ['LPOS', 'l', 'a', 'RANK'],
    ['LPOS', 'l', 'a', 'COUNT'], ['LPOS', 'l', 'a', 'FOO', '1'], ['LPOS', 'l', 'a', 'rank', '2', 'count', '0'],
    ['LPOS', 'l', 'a', 'RANK', '2', 'RANK', '-1'], ['LPOS', 'l', 'a', 'rank\x00x', '2'], ['LPOS', 'l'],
    ['LPOS', 'l', 'a', 'RANK', '1.5'], ['LPOS', 'l', 'a', 'COUNT', I64_MAX], ['LPOS', 'l', 'a', 'MAXLEN', I64_MAX],
  ]);
});

test('LMOVE and RPOPLPUSH: every direction, the same key, new and missing keys, errors', async ({ c }) => {
  const dirs = ['LEFT', 'RIGHT', 'left', 'Right'];
  const cmds: string[][] = [];
  for (const from of dirs) {
    for (const to of dirs) {
      cmds.push(['DEL', 's', 'd'], ['RPUSH', 's', 'a', 'b', 'c'], ['LMOVE', 's', 'd', from, to], ['LMOVE', 's', 'd', from, to],
        ['LMOVE', 's', 's', from, to], ['LRANGE', 's', '0', '-1'], ['LRANGE', 'd', '0', '-1'], ['LMOVE', 's', 'd', from, to],
        ['EXISTS', 's'], ['LMOVE', 's', 'd', from, to], ['LRANGE', 'd', '0', '-1']);
    }
  }
  await pipeline(c, cmds);
  await pipeline(c, [
    ['DEL', 's', 'd'], ['RPUSH', 's', 'only'], ['LMOVE', 's', 's', 'LEFT', 'RIGHT'], ['LRANGE', 's', '0', '-1'],
    ['RPOPLPUSH', 's', 's'], ['RPUSH', 's', 'x', 'y'], ['RPOPLPUSH', 's', 'd'], ['RPOPLPUSH', 's', 'd'],
    ['LRANGE', 's', '0', '-1'], ['LRANGE', 'd', '0', '-1'], ['RPOPLPUSH', 'missing', 'd'], ['EXISTS', 'missing'],
    ['LMOVE', 's', 'd', 'UP', 'LEFT'], ['LMOVE', 's', 'd', 'LEFT', 'DOWN'], ['LMOVE', 'missing', 'd', 'UP', 'LEFT'],
    ['LMOVE', 's', 'd', 'left\x00x', 'right'], ['LMOVE', 's', 'd', 'LEFT'], ['RPOPLPUSH', 's'],
    ['RPUSH', BIN, BIN], ['LMOVE', BIN, 'd', 'RIGHT', 'LEFT'], ['LRANGE', 'd', '0', '-1'],
  ]);
});

test('LMPOP: keys in order, counts, errors', async ({ c }) => {
  await pipeline(c, [
    ['RPUSH', 'b', '1', '2', '3'], ['RPUSH', 'c', 'x'], ['LMPOP', '1', 'a', 'LEFT'], ['LMPOP', '3', 'a', 'b', 'c', 'LEFT'],
    ['LMPOP', '3', 'a', 'b', 'c', 'RIGHT', 'COUNT', '10'], ['LMPOP', '3', 'a', 'b', 'c', 'left', 'count', '1'],
    ['LMPOP', '2', 'a', 'b', 'RIGHT'], ['EXISTS', 'b', 'c'], ['LMPOP', '1', 'c', 'LEFT'],
    ['RPUSH', 'b', '1', '2', '3'], ['LMPOP', '1', 'b', 'LEFT', 'COUNT', I64_MAX], ['LMPOP', '2', 'a', 'a', 'LEFT'],
    ['LMPOP', '0', 'a', 'LEFT'], ['LMPOP', '-1', 'a', 'LEFT'], ['LMPOP', 'x', 'a', 'LEFT'], ['LMPOP', '2', 'a', 'LEFT'],
    ['LMPOP', '1', 'a', 'MIDDLE'], ['LMPOP', '1', 'a', 'LEFT', 'COUNT'], ['LMPOP', '1', 'a', 'LEFT', 'COUNT', '0'],
    ['LMPOP', '1', 'a', 'LEFT', 'COUNT', '-1'], ['LMPOP', '1', 'a', 'LEFT', 'COUNT', 'x'],
    ['LMPOP', '1', 'a', 'LEFT', 'COUNT', '1', 'COUNT', '2'], ['LMPOP', '1', 'a', 'LEFT', 'FOO'],
    ['LMPOP', I64_MAX, 'a', 'LEFT'], ['LMPOP', '9223372036854775806', 'a', 'LEFT'], ['LMPOP', '1', 'a'],
    ['LMPOP', '1'], ['RPUSH', 'b', 'v'], ['LMPOP', '1', 'b', 'right\x00x', 'count\x00y', '5'],
  ]);
});

test('blocking commands answer at once when there is data, and check their arguments', async ({ c }) => {
  await pipeline(c, [
    ['RPUSH', 'a', '1', '2', '3'], ['RPUSH', 'b', 'x', 'y'], ['BLPOP', 'missing', 'a', 'b', '0'], ['BRPOP', 'b', 'a', '0'],
    ['BLMPOP', '0', '2', 'missing', 'b', 'LEFT', 'COUNT', '5'], ['EXISTS', 'b'], ['BRPOPLPUSH', 'a', 'd', '0'],
    ['BLMOVE', 'a', 'd', 'LEFT', 'LEFT', '0'], ['LRANGE', 'd', '0', '-1'], ['EXISTS', 'a'],
    ['RPUSH', 'a', '1'], ['BLMOVE', 'a', 'a', 'RIGHT', 'LEFT', '0'], ['BLMPOP', '0', '1', 'a', 'RIGHT'],
    // Errors, in Redis's order: the timeout is checked before the keys' types, and after
    // BLMPOP's numkeys, direction and count.
    ['SET', 'str', 'v'], ['BLPOP', 'str', '0'], ['BLPOP', 'missing', 'str', '0'], ['BLPOP', 'str', 'x'],
    ['BRPOP', 'str', '-1'], ['BLMOVE', 'str', 'd', 'LEFT', 'LEFT', '0'], ['BLMOVE', 'str', 'd', 'UP', 'LEFT', 'x'],
    ['BLMOVE', 'str', 'd', 'LEFT', 'LEFT', 'x'], ['BRPOPLPUSH', 'str', 'd', '0'], ['BRPOPLPUSH', 'str', 'd', '-5'],
    ['RPUSH', 'a', '1'], ['BLMOVE', 'a', 'str', 'LEFT', 'LEFT', '0'], ['BRPOPLPUSH', 'a', 'str', '0'], ['LLEN', 'a'],
    ['BLMPOP', '0', '1', 'str', 'LEFT'], ['BLMPOP', 'x', '1', 'str', 'LEFT'], ['BLMPOP', 'x', '0', 'a', 'LEFT'],
    ['BLMPOP', '-1', '1', 'a', 'MIDDLE'], ['BLMPOP', '-1', '1', 'a', 'LEFT', 'COUNT', '0'], ['BLMPOP', '-1', '1', 'a', 'LEFT'],
    ['BLMPOP', '0', '1', 'a'], ['BLPOP', 'a'], ['BLMOVE', 'a', 'b', 'LEFT', 'LEFT'], ['BRPOPLPUSH', 'a', 'b'],
  ]);
});

test('timeout arguments: every form Redis reads, and its errors', async ({ c }) => {
  const cmds: string[][] = [['RPUSH', 'l', ...Array.from({ length: 200 }, (_, i) => String(i))]];
  // With data present the command answers at once, so only the parsing of the timeout shows.
  const timeouts = ['0', '1', '0.5', '1e3', '1E-3', '-0', '-0.0001', '-0.0005', '-0.9', '-1', 'abc', '', ' 1', '1 ',
    'inf', '-inf', 'INF', 'infinity', 'nan', '0x10', '0x1p3', '1e20', '1e16', '1e15', '9223372036854775',
    '9223372036854775.807', '9223372036854775.808', '9223372036854776', I64_MAX, '1e-5000', '1e5000', '.5', '5.',
    '+1', '1e', '--1', '0.001', '2.3'];
  for (const t of timeouts) {
    cmds.push(['BLPOP', 'l', t], ['BRPOP', 'l', t], ['BLMOVE', 'l', 'l', 'LEFT', 'RIGHT', t], ['BRPOPLPUSH', 'l', 'l', t],
      ['BLMPOP', t, '1', 'l', 'LEFT']);
  }
  await pipeline(c, cmds);
});

test('every list command on a key of another type, and other commands on a list', async ({ c }) => {
  await pipeline(c, [['SET', 's', 'v'], ['RPUSH', 'l', 'a']]);
  const cmds: string[][] = [
    ['LPUSH', 's', 'a'], ['RPUSH', 's', 'a'], ['LPUSHX', 's', 'a'], ['RPUSHX', 's', 'a'], ['LPOP', 's'], ['RPOP', 's'],
    ['LPOP', 's', '2'], ['LPOP', 's', '0'], ['LPOP', 's', '-1'], ['LLEN', 's'], ['LRANGE', 's', '0', '-1'],
    ['LRANGE', 's', 'x', '1'], ['LINDEX', 's', '0'], ['LINDEX', 's', 'x'], ['LSET', 's', '0', 'v'], ['LSET', 's', 'x', 'v'],
    ['LINSERT', 's', 'BEFORE', 'a', 'b'], ['LINSERT', 's', 'NOPE', 'a', 'b'], ['LREM', 's', '0', 'a'],
    ['LREM', 's', 'x', 'a'], ['LTRIM', 's', '0', '1'], ['LTRIM', 's', 'x', '1'], ['LPOS', 's', 'a'],
    ['LPOS', 's', 'a', 'RANK', '0'], ['LMOVE', 's', 'l', 'LEFT', 'LEFT'], ['LMOVE', 'l', 's', 'LEFT', 'LEFT'],
    ['LMOVE', 'missing', 's', 'LEFT', 'LEFT'], ['RPOPLPUSH', 's', 'l'], ['RPOPLPUSH', 'l', 's'],
    ['LMPOP', '2', 'missing', 's', 'LEFT'], ['LMPOP', '2', 's', 'l', 'LEFT'],
    ['GET', 'l'], ['INCR', 'l'], ['APPEND', 'l', 'x'], ['STRLEN', 'l'], ['SETRANGE', 'l', '0', 'x'], ['GETDEL', 'l'],
    ['LRANGE', 'l', '0', '-1'], ['TYPE', 'l'], ['OBJECT', 'ENCODING', 'l'], ['SET', 'l', 'now a string'], ['TYPE', 'l'],
  ];
  await pipeline(c, cmds);
});

test('large lists: thousands of elements and elements bigger than a chunk', async ({ c }) => {
  const sizes = [0, 1, 10, 126, 127, 128, 500, 8189, 9000, 70000];
  const els: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const n = i % 97 === 0 ? sizes[i % sizes.length] : i % 13;
    els.push(String.fromCharCode(i % 256).repeat(n) + i);
  }
  const cmds: string[][] = [];
  for (let i = 0; i < els.length; i += 500) {
    cmds.push(['RPUSH', 'big', ...els.slice(i, i + 250)], ['LPUSH', 'big', ...els.slice(i + 250, i + 500)]);
  }
  cmds.push(['LLEN', 'big'], ['LRANGE', 'big', '0', '-1']);
  for (const [a, b] of [['1000', '1100'], ['-1100', '-1000'], ['1499', '1501'], ['2990', '3100']]) {
    cmds.push(['LRANGE', 'big', a, b]);
  }
  for (const i of ['0', '1', '700', '1500', '2999', '-1', '-1500', '3000']) cmds.push(['LINDEX', 'big', i]);
  await pipeline(c, cmds);
  await pipeline(c, [
    ['LSET', 'big', '1500', 'y'.repeat(9000)], ['LSET', 'big', '1501', 'short'], ['LINSERT', 'big', 'BEFORE', 'short', 'z'.repeat(20000)],
    ['LINSERT', 'big', 'AFTER', els[2000], 'after-2000'], ['LREM', 'big', '0', els[1234]], ['LPOS', 'big', 'short'],
    ['LPOS', 'big', els[100], 'RANK', '-1'], ['LPOS', 'big', 'after-2000', 'MAXLEN', '1000'], ['LLEN', 'big'],
    ['LRANGE', 'big', '1490', '1510'], ['LTRIM', 'big', '500', '-500'], ['LLEN', 'big'], ['LPOP', 'big', '700'],
    ['RPOP', 'big', '700'], ['LRANGE', 'big', '0', '-1'], ['OBJECT', 'ENCODING', 'big'],
  ]);
  await c.sameDataset();
});

test('OBJECT ENCODING is quicklist at every size and setting; COPY makes an independent list', async ({ c }) => {
  await pipeline(c, [
    ['RPUSH', 'l', 'a'], ['OBJECT', 'ENCODING', 'l'], ['CONFIG', 'SET', 'list-max-listpack-size', '2'],
    ['RPUSH', 'l', 'b', 'c', 'd'], ['OBJECT', 'ENCODING', 'l'], ['CONFIG', 'SET', 'list-max-listpack-size', '-2'],
    ['RPUSH', 'm', 'x'.repeat(10000)], ['OBJECT', 'ENCODING', 'm'], ['COPY', 'l', 'l2'], ['RPUSH', 'l2', 'only-in-copy'],
    ['LPOP', 'l'], ['LRANGE', 'l', '0', '-1'], ['LRANGE', 'l2', '0', '-1'], ['OBJECT', 'ENCODING', 'l2'],
    ['RENAME', 'l2', 'l3'], ['LRANGE', 'l3', '0', '-1'], ['TYPE', 'l3'],
  ]);
  await c.sameDataset();
});

test('RESP3 replies: nulls, arrays and null arrays', async (ctx) => {
  const c = await ctx.connect();
  // The HELLO replies differ in the connection id only.
  await c.both('HELLO', '3');
  await pipeline(c, [
    ['RPUSH', 'l', 'a', 'b', 'a'], ['LPOP', 'missing'], ['LPOP', 'missing', '2'], ['LPOP', 'l', '0'], ['LRANGE', 'missing', '0', '-1'],
    ['LINDEX', 'l', '10'], ['LPOS', 'l', 'zz'], ['LPOS', 'l', 'a', 'COUNT', '0'], ['LPOS', 'missing', 'a', 'COUNT', '0'],
    ['LMOVE', 'missing', 'l', 'LEFT', 'LEFT'], ['LMPOP', '1', 'missing', 'LEFT'], ['LMPOP', '1', 'l', 'LEFT', 'COUNT', '2'],
    ['BLPOP', 'missing', '0.01'], ['BRPOP', 'missing', '0.01'], ['BLMOVE', 'missing', 'l', 'LEFT', 'LEFT', '0.01'],
    ['BRPOPLPUSH', 'missing', 'l', '0.01'], ['BLMPOP', '0.01', '1', 'missing', 'LEFT'], ['BLPOP', 'l', '0'],
    ['RPOP', 'l'], ['RPOP', 'l'],
  ]);
  await c.both('HELLO', '2');
});

test('COMMAND GETKEYS for the list commands with movable keys', async ({ c }) => {
  await pipeline(c, [
    ['COMMAND', 'GETKEYS', 'LMPOP', '2', 'a', 'b', 'LEFT'], ['COMMAND', 'GETKEYS', 'LMPOP', '3', 'a', 'b', 'LEFT'],
    ['COMMAND', 'GETKEYS', 'LMPOP', '4', 'a', 'b', 'LEFT'], ['COMMAND', 'GETKEYS', 'LMPOP', '0', 'a', 'LEFT'],
    ['COMMAND', 'GETKEYS', 'LMPOP', 'x', 'a', 'LEFT'], ['COMMAND', 'GETKEYS', 'LMPOP', '1', 'a', 'LEFT', 'COUNT', '3'],
    ['COMMAND', 'GETKEYS', 'BLMPOP', '0', '2', 'a', 'b', 'LEFT'], ['COMMAND', 'GETKEYS', 'BLMPOP', '0', '0', 'a', 'LEFT'],
    ['COMMAND', 'GETKEYS', 'BLPOP', 'a', 'b', 'c', '0'], ['COMMAND', 'GETKEYS', 'LMOVE', 'a', 'b', 'LEFT', 'LEFT'],
    ['COMMAND', 'GETKEYS', 'RPOPLPUSH', 'a', 'b'], ['COMMAND', 'GETKEYS', 'BLMOVE', 'a', 'b', 'LEFT', 'LEFT', '0'],
    ['COMMAND', 'GETKEYS', 'LPUSH', 'a', 'x', 'y'], ['COMMAND', 'GETKEYSANDFLAGS', 'LMPOP', '1', 'a', 'LEFT'],
    ['COMMAND', 'GETKEYSANDFLAGS', 'BLPOP', 'a', 'b', '0'], ['COMMAND', 'GETKEYSANDFLAGS', 'LRANGE', 'a', '0', '1'],
  ]);
});

test('COMMAND INFO and DOCS of every list command match Redis', async (ctx) => {
  const { c } = ctx;
  const names = ['lpush', 'rpush', 'lpushx', 'rpushx', 'lpop', 'rpop', 'llen', 'lrange', 'lindex', 'lset', 'linsert',
    'lrem', 'ltrim', 'lpos', 'lmove', 'rpoplpush', 'lmpop', 'blpop', 'brpop', 'blmove', 'brpoplpush', 'blmpop'];
  for (const name of names) {
    const info = ((await c.redis.call('COMMAND', 'INFO', name)) as unknown[][])[0];
    const mine = ((await c.echo.call('COMMAND', 'INFO', name)) as unknown[][])[0];
    assert.equal(mine.slice(0, 8), info.slice(0, 8), `COMMAND INFO ${name}`);
    const docs = ((await c.redis.call('COMMAND', 'DOCS', name)) as unknown[])[1] as unknown[];
    const myDocs = ((await c.echo.call('COMMAND', 'DOCS', name)) as unknown[])[1] as unknown[];
    const field = (d: unknown[], f: string): unknown => d[d.indexOf(f) + 1];
    for (const f of ['summary', 'since', 'group', 'complexity', 'history', 'doc_flags', 'deprecated_since', 'replaced_by']) {
      assert.equal(field(myDocs, f), field(docs, f), `${f} of ${name}`);
    }
  }
});

test('WATCH sees exactly the changes Redis signals (an LTRIM that trims nothing included)', async ({ c }) => {
  const cases: string[][] = [
    ['LPUSH', 'w', 'x'], ['LPUSHX', 'nope', 'x'], ['RPUSHX', 'w', 'x'], ['LPOP', 'w', '0'], ['LPOP', 'nope'], ['RPOP', 'w'],
    ['LSET', 'w', '0', 'z'], ['LSET', 'w', '99', 'z'], ['LINSERT', 'w', 'BEFORE', 'nope', 'v'], ['LINSERT', 'w', 'BEFORE', 'a', 'v'],
    ['LREM', 'w', '0', 'nope'], ['LREM', 'w', '1', 'b'], ['LTRIM', 'w', '0', '-1'], ['LTRIM', 'nope', '0', '1'],
    ['LMOVE', 'nope', 'w', 'LEFT', 'LEFT'], ['LMOVE', 'w', 'other', 'LEFT', 'LEFT'], ['LMOVE', 'other', 'w', 'LEFT', 'LEFT'],
    ['LMPOP', '1', 'nope', 'LEFT'], ['LMPOP', '1', 'w', 'LEFT'], ['BLPOP', 'w', '0'], ['LRANGE', 'w', '0', '-1'],
    ['LPOS', 'w', 'a'], ['LINDEX', 'w', '0'], ['LLEN', 'w'],
  ];
  const cmds: string[][] = [];
  for (const cmd of cases) {
    cmds.push(['DEL', 'w', 'other'], ['RPUSH', 'w', 'a', 'b', 'c'], ['RPUSH', 'other', 'o'], ['WATCH', 'w'], cmd, ['MULTI'], ['PING'], ['EXEC']);
  }
  await pipeline(c, cmds);
});

test('the dirty counter grows as in Redis (one per element pushed or removed)', async ({ c }) => {
  const dirty = async (): Promise<[number, number]> => {
    const [r, e] = await c.both('INFO', 'persistence');
    const get = (s: string): number => Number(/rdb_changes_since_last_save:(\d+)/.exec(s)![1]);
    return [get(String((r.reply as { value: string }).value)), get(String((e.reply as { value: string }).value))];
  };
  const script: string[][] = [
    ['RPUSH', 'l', 'a', 'b', 'c', 'a', 'b'], ['LPUSH', 'l', 'x'], ['LPUSHX', 'nope', 'x'], ['RPUSHX', 'l', 'y', 'z'],
    ['LPOP', 'l'], ['RPOP', 'l', '2'], ['LPOP', 'l', '0'], ['LSET', 'l', '0', 'q'], ['LINSERT', 'l', 'BEFORE', 'q', 'r'],
    ['LINSERT', 'l', 'BEFORE', 'nope', 'r'], ['LREM', 'l', '0', 'a'], ['LREM', 'l', '0', 'nope'], ['LTRIM', 'l', '0', '-1'],
    ['LTRIM', 'l', '1', '-2'], ['LMOVE', 'l', 'm', 'LEFT', 'RIGHT'], ['LMOVE', 'l', 'l', 'LEFT', 'RIGHT'],
    ['RPOPLPUSH', 'm', 'n'], ['LMPOP', '2', 'x', 'l', 'LEFT', 'COUNT', '5'], ['BLPOP', 'n', '0'], ['RPUSH', 'p', '1', '2', '3'],
    ['BLMPOP', '0', '1', 'p', 'RIGHT', 'COUNT', '2'], ['LTRIM', 'p', '5', '10'],
  ];
  const [r0, e0] = await dirty();
  for (const cmd of script) {
    await c.same(...cmd);
    const [r, e] = await dirty();
    assert.is(e - e0, r - r0, `dirty after ${cmd.join(' ')}`);
  }
});

test.run();

// ---------------------------------------------------------------------------------------------
// What each command propagates: Redis's AOF (appendfsync always) against echokv's propagate hook.

const prop = suite('compat: list propagation');


prop('every write propagates what Redis propagates (blocking forms as their non-blocking ones)', async () => {
  const script: string[][] = [
    ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e', 'f'], ['lpush', 'l', 'x'], ['LPUSHX', 'nope', 'x'], ['RPUSHX', 'l', 'y'],
    ['LPOP', 'l'], ['RPOP', 'l', '2'], ['LPOP', 'l', '0'], ['LPOP', 'nope'], ['LSET', 'l', '0', 'q'],
    ['LINSERT', 'l', 'before', 'q', 'r'], ['LINSERT', 'l', 'BEFORE', 'nope', 'r'], ['LREM', 'l', '0', 'a'],
    ['LREM', 'l', '1', 'nope'], ['LTRIM', 'l', '0', '-1'], ['LTRIM', 'l', '1', '-1'], ['LMOVE', 'l', 'm', 'left', 'RIGHT'],
    ['RPOPLPUSH', 'l', 'm'], ['LMPOP', '2', 'x', 'l', 'left', 'COUNT', '10'], ['LMPOP', '1', 'm', 'RIGHT'],
    ['RPUSH', 'b', '1', '2', '3', '4'], ['BLPOP', 'x', 'b', '0'], ['BRPOP', 'b', '0'], ['BLMOVE', 'b', 'c', 'right', 'Left', '0'],
    ['BRPOPLPUSH', 'c', 'b', '0'], ['BLMPOP', '0', '1', 'b', 'LEFT', 'COUNT', '9'], ['BLPOP', 'x', '0.01'],
    ['LRANGE', 'm', '0', '-1'], ['LLEN', 'm'], ['LINDEX', 'm', '0'], ['LPOS', 'm', 'a'],
  ];
  const p = await propagationOf(script);
  if (p !== null) assert.equal(p.echokv, p.redis);
});

prop.run();

// ---------------------------------------------------------------------------------------------
// Keyspace events: Redis's __keyevent@0__ messages against echokv's notify hook, per class.

const events = suite('compat: list keyspace events');

events('each command fires the events Redis fires, in the same classes and order', async () => {
  const script: string[][] = [
    ['RPUSH', 'l', 'a', 'b', 'c', 'd'], ['LPUSH', 'l', 'x'], ['LPUSHX', 'nope', 'x'], ['RPUSHX', 'l', 'y'], ['LPOP', 'l'],
    ['RPOP', 'l', '2'], ['LPOP', 'l', '0'], ['LSET', 'l', '0', 'q'], ['LSET', 'l', '9', 'q'], ['LINSERT', 'l', 'AFTER', 'q', 'r'],
    ['LINSERT', 'l', 'AFTER', 'nope', 'r'], ['LREM', 'l', '0', 'nope'], ['LREM', 'l', '1', 'r'], ['LTRIM', 'l', '0', '-1'],
    ['LMOVE', 'l', 'm', 'LEFT', 'RIGHT'], ['LMOVE', 'l', 'm', 'LEFT', 'LEFT'], ['RPOPLPUSH', 'm', 'm'],
    ['LMPOP', '1', 'm', 'LEFT', 'COUNT', '9'], ['RPUSH', 'b', '1', '2'], ['BLPOP', 'b', '0'], ['BLMOVE', 'b', 'c', 'LEFT', 'LEFT', '0'],
    ['RPUSH', 'c', '2', '3'], ['BLMPOP', '0', '1', 'c', 'RIGHT', 'COUNT', '5'], ['RPUSH', 't', '1', '2', '3'],
    ['LREM', 't', '0', '2'], ['LTRIM', 't', '5', '9'], ['RPUSH', 'u', '1'], ['LREM', 'u', '0', '1'],
  ];
  await sameKeyspaceEvents(script, ['l', 'g']);
});

events.run();
