// Bitmap commands against a real redis-server: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD
// and BITFIELD_RO with every option, range unit, overflow mode and error, compared byte for byte;
// plus COMMAND metadata, the proto-max-bulk-len limits, what is propagated (Redis's AOF) and the
// keyspace events fired.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type CompatContext, compatSuite, propagationOf } from './_compat.ts';
import { prng, RespClient, startEchokv, startRedis } from '../_helpers.ts';

const test = compatSuite('bitmap');

// FLUSHALL and DEL belong to another command group; tests clear echokv directly so they depend
// only on the commands under test.
test.before.each((ctx) => {
  if (ctx.echokv) for (const db of ctx.echokv.server.keyspace.dbs) db.flush();
});

/** Makes `key` hold a non-string value on both servers (a stand-in list value in echokv). */
async function wrongType(ctx: CompatContext, key: string): Promise<void> {
  await ctx.c.redis.call('DEL', key);
  await ctx.c.redis.call('RPUSH', key, 'x');
  const db = ctx.echokv.server.keyspace.dbs[0];
  db.delete(key);
  db.add(key, { type: 'list', dup() { return this; } });
}

test('SETBIT and GETBIT: growth, values, offsets and errors', async (ctx) => {
  const { c } = ctx;
  await c.all([
    ['SETBIT', 'k', '7', '1'], ['GET', 'k'], ['SETBIT', 'k', '7', '1'], ['SETBIT', 'k', '7', '0'], ['SETBIT', 'k', '100', '1'],
    ['GET', 'k'], ['STRLEN', 'k'], ['GETBIT', 'k', '100'], ['GETBIT', 'k', '99'], ['GETBIT', 'k', '10000'],
    ['GETBIT', 'nope', '0'], ['SETBIT', 'k', '0', '2'], ['SETBIT', 'k', '0', '-1'], ['SETBIT', 'k', '0', 'x'],
    ['SETBIT', 'k', '0', ''], ['SETBIT', 'k', '-1', '1'], ['SETBIT', 'k', 'x', '1'], ['SETBIT', 'k', '1.5', '1'],
    // Offsets up to 2^32-1 are valid (a 512 MB string; the size-limits suite below writes near its
    // own smaller limit), 2^32 is past proto-max-bulk-len.
    ['SETBIT', 'k', '4294967296', '1'], ['GETBIT', 'k', '4294967296'],
    ['GETBIT', 'k', '4294967295'], ['GETBIT', 'k', '-1'], ['GETBIT', 'k', '9223372036854775807'],
    ['SETBIT', 'k', '#1', '1'], ['SETBIT', 'k', '01', '1'], ['SETBIT', 'k', '0', '01'], ['GETBIT', 'k'],
    ['SET', 's', 'abc\x00\xff'], ['GETBIT', 's', '1'], ['GETBIT', 's', '33'], ['SETBIT', 's', '1', '0'], ['GET', 's'],
    ['SET', 'n', '12'], ['GETBIT', 'n', '2'], ['GETBIT', 'n', '15'], ['SETBIT', 'n', '15', '1'], ['GET', 'n'],
  ]);
  for (let i = 0; i < 40; i++) await c.same('GETBIT', 's', String(i));
  await c.same('SET', 't', 'v', 'EX', '100');
  await c.same('SETBIT', 't', '3', '1');
  await c.sameDataset();
  await wrongType(ctx, 'l');
  await c.same('SETBIT', 'l', '0', '1');
  await c.same('GETBIT', 'l', '0');
  await c.same('GETBIT', 'l', '-1');
  await c.same('SETBIT', 'l', '0', '5');
});

test('BITCOUNT with BYTE and BIT ranges', async (ctx) => {
  const { c } = ctx;
  await c.same('SET', 'k', 'foobar\x00\xff\x80\x01');
  await c.same('SET', 'n', '-1234567890');
  await c.same('SET', 'e', '');
  await c.same('SETBIT', 'm', '77', '1');
  const idx = ['0', '1', '2', '5', '-1', '-2', '-5', '7', '8', '9', '15', '63', '79', '80', '100', '-100',
    '9223372036854775807', '-9223372036854775808', '-9223372036854775807'];
  for (const key of ['k', 'n', 'e', 'm']) {
    await c.same('BITCOUNT', key);
    for (const a of idx) {
      for (const b of idx) {
        await c.same('BITCOUNT', key, a, b);
        await c.same('BITCOUNT', key, a, b, 'BIT');
      }
    }
  }
  await c.all([
    ['BITCOUNT', 'k', '0', '-1', 'BYTE'], ['BITCOUNT', 'k', '0', '-1', 'bit'], ['BITCOUNT', 'k', '0', '-1', 'byte'],
    ['BITCOUNT', 'k', '0'], ['BITCOUNT', 'k', '0', '1', 'WORD'], ['BITCOUNT', 'k', '0', '1', 'BIT', 'x'],
    ['BITCOUNT', 'k', 'a', '1'], ['BITCOUNT', 'k', '0', 'b'], ['BITCOUNT', 'k', 'a', 'b', 'FOO'],
    ['BITCOUNT', 'k', '0', '1', 'BIT\x00x'],
    // A missing key answers 0 before its arguments are looked at (Redis 7.0 order).
    ['BITCOUNT', 'nope'], ['BITCOUNT', 'nope', '0'], ['BITCOUNT', 'nope', 'a', 'b'], ['BITCOUNT', 'nope', '0', '1', 'FOO'],
    ['BITCOUNT'],
  ]);
  await wrongType(ctx, 'l');
  await c.same('BITCOUNT', 'l');
  await c.same('BITCOUNT', 'l', 'a');
});

test('BITPOS with start, end and BYTE or BIT units', async (ctx) => {
  const { c } = ctx;
  await c.same('SET', 'k', '\x00\xff\xf0\x0f\x00');
  await c.same('SET', 'ones', '\xff\xff\xff');
  await c.same('SET', 'zeros', '\x00\x00\x00');
  await c.same('SET', 'e', '');
  await c.same('SET', 'n', '17');
  const idx = ['0', '1', '2', '-1', '-2', '3', '7', '8', '12', '23', '24', '39', '40', '100', '-100',
    '9223372036854775807', '-9223372036854775808'];
  for (const key of ['k', 'ones', 'zeros', 'e', 'n', 'nope']) {
    for (const bit of ['0', '1']) {
      await c.same('BITPOS', key, bit);
      for (const a of idx) {
        await c.same('BITPOS', key, bit, a);
        for (const b of idx) {
          await c.same('BITPOS', key, bit, a, b);
          await c.same('BITPOS', key, bit, a, b, 'BIT');
        }
      }
    }
  }
  await c.all([
    ['BITPOS', 'k', '2'], ['BITPOS', 'k', '-1'], ['BITPOS', 'k', 'x'], ['BITPOS', 'nope', '2'], ['BITPOS', 'nope', 'x'],
    ['BITPOS', 'nope', '1', 'a'], ['BITPOS', 'k', '1', 'a'], ['BITPOS', 'k', '1', '0', 'b'], ['BITPOS', 'k', '1', '0', '1', 'FOO'],
    ['BITPOS', 'k', '1', '0', 'b', 'FOO'], ['BITPOS', 'k', '1', 'a', 'b', 'FOO'], ['BITPOS', 'k', '1', '0', '1', 'BIT', '3'],
    ['BITPOS', 'k', '0', '0', '-1', 'byte'], ['BITPOS', 'k', '1', '2', '-1', 'Bit'],
  ]);
  await wrongType(ctx, 'l');
  await c.same('BITPOS', 'l', '1');
  await c.same('BITPOS', 'l', '3');
});

test('BITPOS and BITCOUNT agree with Redis on random bitmaps and ranges', async (ctx) => {
  const { c } = ctx;
  const rnd = prng(99);
  const ri = (n: number): number => Math.floor(rnd() * n);
  for (let round = 0; round < 15; round++) {
    let v = '';
    const len = ri(40);
    const kind = ri(3);
    for (let i = 0; i < len; i++) v += String.fromCharCode(kind === 0 ? ri(256) : kind === 1 ? [0, 255, 1, 128][ri(4)] : ri(2) * 255);
    await c.same('SET', 'r', v);
    for (let i = 0; i < 25; i++) {
      const a = String(ri(len * 10 + 2) - len * 5);
      const b = String(ri(len * 10 + 2) - len * 5);
      const unit = ['BIT', 'BYTE'][ri(2)];
      await c.same('BITCOUNT', 'r', a, b, unit);
      await c.same('BITPOS', 'r', String(ri(2)), a, b, unit);
      await c.same('BITPOS', 'r', String(ri(2)), a);
    }
  }
});

test('BITOP AND, OR, XOR, NOT', async (ctx) => {
  const { c } = ctx;
  await c.same('MSET', 'a', 'foobar', 'b', 'abc\x00\xff', 'c', '\xff\xf0', 'e', '');
  const sources = [['a'], ['a', 'b'], ['b', 'a'], ['a', 'b', 'c'], ['a', 'nope'], ['nope', 'a'], ['nope'], ['e'], ['e', 'nope'], ['a', 'a']];
  for (const op of ['AND', 'OR', 'XOR', 'and', 'Xor']) {
    for (const src of sources) {
      await c.same('BITOP', op, 'dest', ...src);
      await c.same('GET', 'dest');
    }
  }
  await c.all([
    ['BITOP', 'NOT', 'dest', 'a'], ['GET', 'dest'], ['BITOP', 'not', 'dest', 'c'], ['GET', 'dest'],
    ['BITOP', 'NOT', 'dest', 'nope'], ['GET', 'dest'], ['BITOP', 'NOT', 'dest', 'a', 'b'], ['BITOP', 'NAND', 'dest', 'a'],
    ['BITOP', 'ANDX', 'dest', 'a'], ['BITOP', 'AND\x00x', 'dest', 'a'], ['GET', 'dest'], ['BITOP', 'AND', 'dest'],
    // The destination may be a source.
    ['BITOP', 'XOR', 'a', 'a', 'b'], ['GET', 'a'], ['BITOP', 'NOT', 'a', 'a'], ['GET', 'a'],
  ]);
  // An empty result deletes the destination, and the TTL of an overwritten destination goes.
  await c.same('SET', 'dest', 'v', 'EX', '100');
  await c.same('BITOP', 'AND', 'dest', 'nope', 'e');
  await c.same('GET', 'dest');
  await c.same('SET', 'dest', 'v', 'EX', '100');
  await c.same('BITOP', 'OR', 'dest', 'b');
  await c.sameDataset();
  const rnd = prng(5);
  for (let i = 0; i < 20; i++) {
    const s = (): string => {
      let out = '';
      const n = Math.floor(rnd() * 40);
      for (let j = 0; j < n; j++) out += String.fromCharCode(Math.floor(rnd() * 256));
      return out;
    };
    await c.same('MSET', 'x', s(), 'y', s(), 'z', s());
    for (const op of ['AND', 'OR', 'XOR']) {
      await c.same('BITOP', op, 'd', 'x', 'y', 'z');
      await c.same('GET', 'd');
    }
  }
  await wrongType(ctx, 'l');
  await c.same('BITOP', 'AND', 'dest', 'a', 'l');
  await c.same('BITOP', 'NOT', 'dest', 'l');
  await c.same('BITOP', 'OR', 'l', 'a');
  await c.same('GET', 'l');
});

test('BITFIELD GET, SET, INCRBY with every width, sign and overflow mode', async (ctx) => {
  const { c } = ctx;
  await c.same('SET', 'k', '\x8f\x01\xff\x00\x7f\x80abc\x00\xff\x12');
  const types = ['i1', 'u1', 'i5', 'u5', 'i8', 'u8', 'i13', 'u16', 'i31', 'u32', 'i33', 'u63', 'i63', 'i64'];
  for (const t of types) {
    for (const off of ['0', '1', '7', '13', '63', '#1', '#3', '100']) await c.same('BITFIELD', 'k', 'GET', t, off);
  }
  const values = ['0', '1', '-1', '5', '-5', '127', '128', '-128', '-129', '255', '256', '1000000', '-1000000',
    '9223372036854775807', '-9223372036854775808', '4611686018427387904'];
  for (const t of ['i8', 'u8', 'i3', 'u3', 'i64', 'u63', 'i63', 'u1', 'i1']) {
    for (const ow of ['WRAP', 'SAT', 'FAIL']) {
      for (const v of values) {
        await c.same('BITFIELD', 'w', 'OVERFLOW', ow, 'SET', t, '3', v, 'GET', t, '3');
        await c.same('BITFIELD', 'w', 'OVERFLOW', ow, 'INCRBY', t, '3', v);
        await c.same('BITFIELD', 'w', 'GET', t, '3');
      }
    }
  }
  await c.same('GET', 'w');
  await c.all([
    ['BITFIELD', 'k'], ['BITFIELD', 'nope', 'GET', 'u8', '0'], ['BITFIELD', 'k', 'GET', 'u8', '0', 'SET', 'u8', '0', '255', 'GET', 'u8', '0'],
    ['BITFIELD', 'k', 'INCRBY', 'u2', '100', '1', 'OVERFLOW', 'SAT', 'INCRBY', 'u2', '102', '5', 'OVERFLOW', 'FAIL', 'INCRBY', 'u2', '104', '5'],
    ['BITFIELD', 'k', 'overflow', 'sat', 'incrby', 'i8', '#0', '200', 'get', 'i8', '#0'],
    ['BITFIELD', 'k', 'GET', 'u64', '0'], ['BITFIELD', 'k', 'GET', 'i65', '0'], ['BITFIELD', 'k', 'GET', 'i0', '0'],
    ['BITFIELD', 'k', 'GET', 'I8', '0'], ['BITFIELD', 'k', 'GET', 'x8', '0'], ['BITFIELD', 'k', 'GET', 'i08', '0'],
    ['BITFIELD', 'k', 'GET', 'i+8', '0'], ['BITFIELD', 'k', 'GET', '', '0'], ['BITFIELD', 'k', 'GET', 'i8\x00zz', '0'],
    ['BITFIELD', 'k', 'GET', 'i8', '-1'], ['BITFIELD', 'k', 'GET', 'i8', '#-1'], ['BITFIELD', 'k', 'GET', 'i8', '#'],
    ['BITFIELD', 'k', 'GET', 'i8', 'x'], ['BITFIELD', 'k', 'GET', 'i8', '4294967295'], ['BITFIELD', 'k', 'GET', 'i8', '4294967296'],
    ['BITFIELD', 'k', 'GET', 'i8', '#536870911'], ['BITFIELD', 'k', 'GET', 'i8', '#536870912'],
    ['BITFIELD', 'k', 'GET', 'i64', '#288230376151711745'], ['BITFIELD', 'k', 'GET', 'i64', '#144115188075855872'],
    ['BITFIELD', 'k', 'GET', 'i8'], ['BITFIELD', 'k', 'SET', 'i8', '0'], ['BITFIELD', 'k', 'INCRBY', 'i8', '0'],
    ['BITFIELD', 'k', 'SET', 'i8', '0', 'x'], ['BITFIELD', 'k', 'INCRBY', 'i8', '0', '1.5'], ['BITFIELD', 'k', 'OVERFLOW'],
    ['BITFIELD', 'k', 'OVERFLOW', 'FOO'], ['BITFIELD', 'k', 'OVERFLOW', 'WRAP'], ['BITFIELD', 'k', 'FOO'],
    ['BITFIELD', 'k', 'GET\x00x', 'i8', '0'], ['BITFIELD', 'k', 'GET', 'i8', '0', 'SET', 'i8', '0', '1', 'GET', 'i8', 'x'],
    ['BITFIELD', 'k', 'SET', 'i8', '#1', '9223372036854775808'],
    ['BITFIELD', 'grow', 'SET', 'u8', '1000', '1'], ['STRLEN', 'grow'], ['BITFIELD', 'grow', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', '2000', '300'],
    ['STRLEN', 'grow'], ['BITFIELD', 'new', 'OVERFLOW', 'FAIL', 'SET', 'u2', '0', '7'], ['GET', 'new'],
    ['SET', 'n', '123'], ['BITFIELD', 'n', 'GET', 'u8', '0', 'GET', 'u8', '8'], ['BITFIELD', 'n', 'INCRBY', 'u8', '16', '1'], ['GET', 'n'],
  ]);
  const rnd = prng(11);
  const ri = (n: number): number => Math.floor(rnd() * n);
  for (let i = 0; i < 150; i++) {
    const t = (ri(2) ? 'i' : 'u') + (1 + ri(63));
    const off = ri(3) ? String(ri(200)) : '#' + ri(10);
    const v = String(ri(2) ? ri(1000) - 500 : BigInt(ri(2 ** 31)) * BigInt(ri(2 ** 31)) * (ri(2) ? 1n : -1n));
    const op = ['GET', 'SET', 'INCRBY'][ri(3)];
    const args = op === 'GET' ? [op, t, off] : [op, t, off, v];
    await c.same('BITFIELD', 'rand', 'OVERFLOW', ['WRAP', 'SAT', 'FAIL'][ri(3)], ...args);
  }
  await c.same('GET', 'rand');
  await wrongType(ctx, 'l');
  await c.same('BITFIELD', 'l', 'GET', 'u8', '0');
  await c.same('BITFIELD', 'l', 'SET', 'u8', '0', '1');
  await c.same('BITFIELD', 'l', 'GET', 'x8', '0');
  await c.same('BITFIELD', 'l');
});

test('BITFIELD_RO accepts GET only', async (ctx) => {
  const { c } = ctx;
  await c.same('SET', 'k', '\x8f\x01\xff');
  await c.all([
    ['BITFIELD_RO', 'k', 'GET', 'u8', '0'], ['BITFIELD_RO', 'k', 'GET', 'i4', '4', 'GET', 'u16', '#1'], ['BITFIELD_RO', 'k'],
    ['BITFIELD_RO', 'nope', 'GET', 'i8', '0'], ['BITFIELD_RO', 'k', 'SET', 'u8', '0', '1'],
    ['BITFIELD_RO', 'k', 'INCRBY', 'u8', '0', '1'], ['BITFIELD_RO', 'k', 'GET', 'u8', '0', 'INCRBY', 'i8', '0', 'x'],
    ['BITFIELD_RO', 'k', 'OVERFLOW', 'SAT', 'GET', 'u8', '0'], ['BITFIELD_RO', 'k', 'OVERFLOW', 'BAD'],
    ['BITFIELD_RO', 'k', 'GET', 'u64', '0'], ['BITFIELD_RO', 'k', 'FOO'], ['GET', 'k'],
  ]);
  await wrongType(ctx, 'l');
  await c.same('BITFIELD_RO', 'l', 'GET', 'u8', '0');
  await c.same('BITFIELD_RO', 'l', 'SET', 'u8', '0', '1');
});

test('encodings after bitmap writes', async ({ c }) => {
  const steps: string[][] = [
    ['SETBIT', 'a', '3', '1'], ['SET', 'b', '12'], ['SETBIT', 'b', '0', '0'], ['SET', 'c', '12'], ['GETBIT', 'c', '1'],
    ['BITFIELD', 'c', 'GET', 'u8', '0'], ['BITFIELD', 'c', 'SET', 'u8', '0', '49'], ['SET', 'd', 'x'], ['BITOP', 'NOT', 'e', 'd'],
    ['BITFIELD', 'f', 'SET', 'u8', '0', '1'], ['SET', 'g', '77'], ['BITFIELD_RO', 'g', 'GET', 'u8', '0'],
  ];
  for (const step of steps) {
    await c.same(...step);
    await c.same('OBJECT', 'ENCODING', step[1]);
  }
});

test('COMMAND INFO and COMMAND DOCS metadata match redis-server', async (ctx) => {
  const { c } = ctx;
  for (const name of ['setbit', 'getbit', 'bitcount', 'bitpos', 'bitop', 'bitfield', 'bitfield_ro']) {
    const info = ((await c.redis.call('COMMAND', 'INFO', name)) as unknown[][])[0];
    const cmd = ctx.echokv.server.commands.get(name);
    assert.ok(cmd, `${name} is registered`);
    const mine = [cmd!.name, cmd!.arity, cmd!.infoFlags, ...(cmd!.spec.keys ?? [0, 0, 0]),
      cmd!.categories.map((x) => '@' + x), [...(cmd!.spec.tips ?? [])]];
    assert.equal(mine, info.slice(0, 8), `COMMAND INFO ${name}`);
    const d = ((await c.redis.call('COMMAND', 'DOCS', name)) as unknown[])[1] as unknown[];
    const field = (f: string): unknown => d[d.indexOf(f) + 1];
    assert.is(cmd!.spec.summary, field('summary'), `summary of ${name}`);
    assert.is(cmd!.spec.since, field('since'), `since of ${name}`);
    assert.is(cmd!.spec.group, field('group'), `group of ${name}`);
    assert.is(cmd!.spec.complexity, field('complexity'), `complexity of ${name}`);
  }
});

test.run();

// ---------------------------------------------------------------------------------------------
// proto-max-bulk-len bounds how far strings may grow (1mb, its smallest setting, on both).

const limits = compatSuite('string and bitmap size limits', { 'proto-max-bulk-len': '1mb' });

limits.before.each((ctx) => {
  if (ctx.echokv) for (const db of ctx.echokv.server.keyspace.dbs) db.flush();
});

limits('APPEND, SETRANGE, SETBIT, BITFIELD and LCS stop at proto-max-bulk-len', async ({ c }) => {
  const chunk = 'a'.repeat(300000);
  await c.all([
    ['SETRANGE', 'k', '1048570', 'abcdef'], ['STRLEN', 'k'], ['SETRANGE', 'k', '1048571', 'abcdef'],
    ['SETRANGE', 'n', '1048576', 'x'], ['SETRANGE', 'n', '1048576', ''], ['APPEND', 'k', ''], ['APPEND', 'k', 'x'],
    ['SETBIT', 'b', '8388607', '1'], ['STRLEN', 'b'], ['SETBIT', 'b', '8388608', '1'], ['GETBIT', 'b', '8388608'],
    ['BITFIELD', 'f', 'SET', 'u8', '8388600', '1'], ['BITFIELD', 'f', 'SET', 'u8', '8388601', '1'],
    ['BITFIELD', 'f', 'GET', 'u8', '8388608'], ['BITFIELD', 'f', 'GET', 'i8', '#1048576'], ['BITFIELD', 'f', 'GET', 'i8', '#1048575'],
  ]);
  for (let i = 0; i < 4; i++) await c.same('APPEND', 'a', chunk);
  await c.same('STRLEN', 'a');
  // LCS bounds its (len1+1) x (len2+1) table of 4-byte cells by the same limit.
  await c.same('MSET', 'x', 'a'.repeat(600), 'y', 'b'.repeat(600), 's', 'a'.repeat(400), 't', 'b'.repeat(400));
  await c.same('LCS', 'x', 'y');
  await c.same('LCS', 'x', 'y', 'LEN');
  await c.same('LCS', 's', 't', 'LEN');
  await c.same('LCS', 's', 'x');
});

limits.run();

// ---------------------------------------------------------------------------------------------
// Propagation: Redis's AOF (appendfsync always) against echokv's propagate hook. Writes that
// change nothing (a bit set to what it was) are not propagated.

const prop = suite('compat: bitmap propagation and events');


const SCRIPT: string[][] = [
  ['SETBIT', 'a', '0', '0'], ['SETBIT', 'a', '0', '0'], ['SETBIT', 'a', '0', '1'], ['SETBIT', 'a', '100', '0'],
  ['SETBIT', 'a', '100', '0'], ['SETBIT', 'a', '-1', '0'], ['GETBIT', 'a', '0'], ['BITCOUNT', 'a'], ['BITPOS', 'a', '1'],
  ['BITFIELD', 'a', 'SET', 'u8', '0', '0'], ['BITFIELD', 'a', 'SET', 'u8', '0', '0'], ['BITFIELD', 'a', 'GET', 'u8', '0'],
  ['BITFIELD', 'a', 'INCRBY', 'u8', '0', '0'], ['BITFIELD', 'a', 'INCRBY', 'u8', '300', '0'],
  ['BITFIELD', 'a', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', '400', '300'], ['BITFIELD', 'nk', 'OVERFLOW', 'FAIL', 'SET', 'u2', '0', '9'],
  ['BITFIELD', 'b', 'SET', 'u8', '0', '0', 'SET', 'u8', '0', '0'], ['BITFIELD', 'b', 'SET', 'i8', '0', '1', 'SET', 'i8', '0', '1'],
  ['BITFIELD_RO', 'b', 'GET', 'u8', '0'], ['BITOP', 'AND', 'x', 'none'], ['SET', 'x', '1'], ['BITOP', 'AND', 'x', 'none'],
  ['BITOP', 'OR', 'y', 'a', 'b'], ['BITOP', 'NOT', 'y', 'y'],
];

prop('bitmap writes propagate exactly what Redis propagates', async () => {
  const p = await propagationOf(SCRIPT);
  if (p !== null) assert.equal(p.echokv, p.redis);
});

prop('bitmap writes fire the keyspace events Redis fires', async () => {
  const redis = await startRedis(['--notify-keyspace-events', 'KEA']);
  if (redis === null) return;
  const echokv = await startEchokv();
  const r = await RespClient.connect(redis.port);
  const sub = await RespClient.connect(redis.port);
  const e = await RespClient.connect(echokv.port);
  try {
    await sub.call('PSUBSCRIBE', '__keyevent@0__:*');
    const mine: string[] = [];
    echokv.server.keyspace.hooks.notify = (cls, event, key) => {
      mine.push(cls + ' ' + event + ' ' + key);
    };
    for (const cmd of SCRIPT) {
      await r.call(...cmd);
      await e.call(...cmd);
    }
    await r.call('PUBLISH', '__keyevent@0__:marker', 'end');
    const theirs: string[] = [];
    for (;;) {
      const msg = (await sub.read()) as string[];
      if (msg[2] === '__keyevent@0__:marker') break;
      const event = msg[2].slice(msg[2].indexOf(':') + 1);
      // Every bitmap event is of the string class ($) except del (generic, g).
      theirs.push((event === 'del' ? 'g' : '$') + ' ' + event + ' ' + msg[3]);
    }
    assert.equal(mine, theirs);
  } finally {
    r.close();
    sub.close();
    e.close();
    await echokv.stop();
    await redis.stop();
  }
});

prop.run();
