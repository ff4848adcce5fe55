// Set commands against a real redis-server: every command and option, errors and edge cases
// (missing keys, wrong types anywhere in a multi-key command, the same key twice, binary and empty
// members, what counts as an integer for an intset), compared byte for byte while the order is
// Redis's deterministic one (intsets are ascending, and so is any all-integer result Redis builds
// as an intset) and as unordered collections for hashtables; encodings at the
// set-max-intset-entries boundary; SPOP and SRANDMEMBER by their properties; SSCAN; RESP3 shapes;
// what is propagated (read from Redis's AOF) and which keyspace events fire.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type Compat, type CompatContext, compatSuite, show, readRedisAof, sameKeyspaceEvents } from './_compat.ts';
import { RespClient, startEchokv, startRedis } from '../_helpers.ts';
import { encodeCommand } from '../_resp.ts';
import { join } from 'node:path';

const test = compatSuite('set');

const BIN = 'a\x00b\xff\r\n\x80z';

async function resp3(ctx: CompatContext): Promise<Compat> {
  const c = await ctx.connect();
  await c.both('HELLO', '3');
  return c;
}

/** Makes `key` hold the same members on both servers, built by one SADD. */
async function fill(c: Compat, key: string, members: string[]): Promise<void> {
  await c.same('DEL', key);
  await c.same('SADD', key, ...members);
}

const range = (from: number, to: number, prefix = ''): string[] => {
  const out: string[] = [];
  for (let i = from; i < to; i++) out.push(prefix + i);
  return out;
};

test('SADD, SREM, SCARD, SISMEMBER, SMISMEMBER, SMEMBERS: intsets exactly, hashtables unordered', async ({ c }) => {
  await c.all([
    ['SCARD', 's'], ['SISMEMBER', 's', 'a'], ['SMISMEMBER', 's', 'a', 'b'], ['SMEMBERS', 's'], ['SREM', 's', 'a'],
    ['SADD', 's', '5', '3', '-1', '3', '100', '-20'], ['SMEMBERS', 's'], ['SCARD', 's'], ['OBJECT', 'ENCODING', 's'],
    ['SISMEMBER', 's', '3'], ['SISMEMBER', 's', '03'], ['SISMEMBER', 's', 'x'], ['SISMEMBER', 's', '4'],
    ['SMISMEMBER', 's', '5', '6', '-1', '', 'x'], ['SADD', 's', '5'], ['SREM', 's', '3', '3', '42', 'x'], ['SMEMBERS', 's'],
    ['SADD', 's', 'x'], ['OBJECT', 'ENCODING', 's'], ['SCARD', 's'], ['SISMEMBER', 's', '5'], ['SISMEMBER', 's', 'x'],
    ['SADD', 'b', BIN, '', 'a', BIN], ['SISMEMBER', 'b', BIN], ['SISMEMBER', 'b', ''], ['SMISMEMBER', 'b', BIN, 'a\x00'],
    ['SCARD', 'b'], ['SREM', 'b', '', 'zz'], ['sadd', 'b', 'lower'], ['SREM', 'nokey', 'a'], ['SMISMEMBER', 'nokey', 'a'],
    ['SADD', 's'], ['SREM', 's'], ['SISMEMBER', 's'], ['SMISMEMBER', 's'], ['SCARD'], ['SMEMBERS', 's', 'x'],
  ]);
  await c.sameUnordered('SMEMBERS', 's');
  await c.sameUnordered('SMEMBERS', 'b');
  // Removing the last member removes the key.
  await c.all([['SADD', 'one', 'm'], ['SREM', 'one', 'm', 'x'], ['EXISTS', 'one'], ['SADD', 'two', '1', '2'],
    ['SREM', 'two', '1', '2', '3'], ['EXISTS', 'two'], ['SMEMBERS', 'two']]);
});

test('intset membership: only canonical 64-bit integers keep a set an intset', async ({ c }) => {
  const ints = ['0', '-1', '9223372036854775807', '-9223372036854775808', '4294967296', '-2147483649', '65535', '-32768',
    '123456789012345678', '9007199254740993', '-9007199254740993'];
  await c.same('SADD', 'i', ...ints);
  await c.same('OBJECT', 'ENCODING', 'i');
  await c.same('SMEMBERS', 'i');
  for (const m of ints) await c.same('SISMEMBER', 'i', m);
  for (const m of ['-0', '01', '+1', ' 1', '1 ', '1.0', '', '9223372036854775808', '-9223372036854775809', '0x10', '1e3']) {
    await c.same('SISMEMBER', 'i', m);
    await c.same('SREM', 'i', m);
    await fill(c, 'j', ['1', '2']);
    await c.same('SADD', 'j', m);
    await c.same('OBJECT', 'ENCODING', 'j');
    await c.sameUnordered('SMEMBERS', 'j');
    await c.same('DEL', 'k');
    await c.same('SADD', 'k', m, '1');
    await c.same('OBJECT', 'ENCODING', 'k');
  }
  await c.same('SREM', 'i', '0', '9223372036854775807', '-9223372036854775808');
  await c.same('SMEMBERS', 'i');
});

test('encodings: set-max-intset-entries boundary, one-way conversion, CONFIG SET', async ({ c }) => {
  await c.same('SADD', 's', ...range(0, 512));
  await c.same('OBJECT', 'ENCODING', 's');
  await c.same('SMEMBERS', 's');
  await c.same('SADD', 's', '511');
  await c.same('OBJECT', 'ENCODING', 's');
  await c.same('SADD', 's', '512');
  await c.same('OBJECT', 'ENCODING', 's');
  await c.sameUnordered('SMEMBERS', 's');
  await c.same('SREM', 's', ...range(0, 500));
  await c.same('OBJECT', 'ENCODING', 's');
  await c.sameUnordered('SMEMBERS', 's');
  await c.same('SADD', 't', ...range(-300, 300));
  await c.same('OBJECT', 'ENCODING', 't');
  await c.all([
    ['CONFIG', 'SET', 'set-max-intset-entries', '3'], ['SADD', 'a', '1', '2', '3'], ['OBJECT', 'ENCODING', 'a'],
    ['SADD', 'a', '4'], ['OBJECT', 'ENCODING', 'a'], ['CONFIG', 'SET', 'set-max-intset-entries', '0'], ['SADD', 'z', '1'],
    ['OBJECT', 'ENCODING', 'z'], ['SMEMBERS', 'z'], ['CONFIG', 'SET', 'set-max-intset-entries', '512'],
  ]);
});

test('wrong types: every set command on a string and a hash, anywhere among several keys', async ({ c }) => {
  await c.all([['SET', 'str', 'v'], ['HSET', 'h', 'f', 'v'], ['SADD', 's', '1', 'a'], ['SADD', 't', 'a']]);
  for (const key of ['str', 'h']) {
    await c.all([
      ['SADD', key, 'a'], ['SREM', key, 'a'], ['SCARD', key], ['SISMEMBER', key, 'a'], ['SMISMEMBER', key, 'a'],
      ['SMEMBERS', key], ['SRANDMEMBER', key], ['SRANDMEMBER', key, '2'], ['SPOP', key], ['SPOP', key, '2'],
      ['SMOVE', key, 's', 'a'], ['SMOVE', 's', key, 'a'], ['SMOVE', 'nokey', key, 'a'], ['SMOVE', key, 'nokey', 'a'],
      ['SINTER', key], ['SINTER', 's', key], ['SINTER', 'nokey', key], ['SINTER', key, 'nokey'],
      ['SINTERCARD', '2', 's', key], ['SINTERCARD', '2', 'nokey', key], ['SUNION', 's', key], ['SUNION', 'nokey', key],
      ['SDIFF', 's', key], ['SDIFF', key, 's'], ['SDIFF', 'nokey', key], ['SINTERSTORE', 'd', 's', key],
      ['SINTERSTORE', 'd', 'nokey', key], ['SUNIONSTORE', 'd', key], ['SDIFFSTORE', 'd', 'nokey', key],
      ['SSCAN', key, '0'], ['SSCAN', key, 'x'], ['SRANDMEMBER', key, 'x'], ['SPOP', key, '-1'],
    ]);
  }
  // Destinations of any type are overwritten.
  await c.all([['SINTERSTORE', 'str', 's', 't'], ['TYPE', 'str'], ['SMEMBERS', 'str'], ['SUNIONSTORE', 'h', 's'],
    ['TYPE', 'h'], ['SDIFFSTORE', 'h', 'nokey'], ['EXISTS', 'h']]);
});

test('SRANDMEMBER: errors, empty and whole-set replies exactly, random picks by their properties', async ({ c }) => {
  await c.all([
    ['SRANDMEMBER', 'nokey'], ['SRANDMEMBER', 'nokey', '3'], ['SRANDMEMBER', 'nokey', '-3'], ['SRANDMEMBER', 'nokey', '0'],
    ['SRANDMEMBER', 'nokey', 'x'], ['SRANDMEMBER', 'nokey', '1.5'], ['SRANDMEMBER', 'nokey', ''], ['SRANDMEMBER', 'nokey', '-0'],
    ['SRANDMEMBER', 'nokey', '9223372036854775808'], ['SRANDMEMBER', 'nokey', '-9223372036854775808'],
    ['SRANDMEMBER', 'nokey', '1', '2'], ['SRANDMEMBER', 'nokey', '9223372036854775807'],
    ['SADD', 'i', '30', '10', '20', '-5'], ['SRANDMEMBER', 'i', '4'], ['SRANDMEMBER', 'i', '100'], ['SRANDMEMBER', 'i', '0'],
    ['SRANDMEMBER', 'i', '9223372036854775807'], ['SADD', 'one', 'x'], ['SRANDMEMBER', 'one'], ['SRANDMEMBER', 'one', '1'],
    ['SRANDMEMBER', 'one', '-3'], ['SRANDMEMBER', 'one', '5'],
  ]);
  await c.same('SADD', 's', 'a', 'b', 'c', BIN, '1');
  await c.sameUnordered('SRANDMEMBER', 's', '5');
  await c.sameUnordered('SRANDMEMBER', 's', '50');
  const members = ['a', 'b', 'c', BIN, '1'];
  for (const side of [c.redis, c.echo]) {
    for (let round = 0; round < 20; round++) {
      const one = (await side.call('SRANDMEMBER', 's')) as string;
      assert.ok(members.includes(one), `SRANDMEMBER gave ${show(one)}`);
      for (const n of [1, 2, 3, 4]) {
        const picks = (await side.call('SRANDMEMBER', 's', String(n))) as string[];
        assert.is(picks.length, n);
        assert.is(new Set(picks).size, n, 'positive counts give distinct members');
        for (const p of picks) assert.ok(members.includes(p));
      }
      const many = (await side.call('SRANDMEMBER', 's', '-12')) as string[];
      assert.is(many.length, 12);
      for (const p of many) assert.ok(members.includes(p));
      for (const n of [1, 3]) {
        const ints = (await side.call('SRANDMEMBER', 'i', String(n))) as string[];
        assert.is(new Set(ints).size, n);
        for (const p of ints) assert.ok(['-5', '10', '20', '30'].includes(p));
      }
    }
    const repeats = (await side.call('SRANDMEMBER', 's', '-200')) as string[];
    assert.ok(new Set(repeats).size < repeats.length, 'negative counts repeat members');
  }
  // A deviation, on echokv only: more than 2^24 repeated picks are refused (see HRANDFIELD).
  assert.equal(await c.echo.call('SRANDMEMBER', 's', '-16777217'), { error: 'ERR value is out of range' });
  await c.same('SADD', 'big', ...range(0, 700, 'm'));
  for (const side of [c.redis, c.echo]) {
    for (const n of [5, 200, 300, 699]) {
      const picks = (await side.call('SRANDMEMBER', 'big', String(n))) as string[];
      assert.is(new Set(picks).size, n);
      for (const p of picks) assert.ok(/^m\d+$/.test(p) && Number(p.slice(1)) < 700);
    }
  }
});

test('SPOP: errors, single pops, every count strategy, the key going away', async (ctx) => {
  const { c } = ctx;
  await c.all([
    ['SPOP', 'nokey'], ['SPOP', 'nokey', '3'], ['SPOP', 'nokey', '0'], ['SPOP', 'nokey', '-1'], ['SPOP', 'nokey', 'x'],
    ['SPOP', 'nokey', ''], ['SPOP', 'nokey', '1.5'], ['SPOP', 'nokey', '9223372036854775808'], ['SPOP', 'nokey', '1', '2'],
    ['SADD', 'one', 'only'], ['SPOP', 'one'], ['EXISTS', 'one'], ['SADD', 'one', '7'], ['SPOP', 'one', '1'], ['EXISTS', 'one'],
    ['SADD', 'i', '3', '1', '2'], ['SPOP', 'i', '0'], ['SPOP', 'i', '3'], ['EXISTS', 'i'], ['SADD', 'i', '3', '1', '2'],
    ['SPOP', 'i', '9223372036854775807'], ['EXISTS', 'i'],
  ]);
  await fill(c, 's', ['a', 'b', 'c']);
  await c.sameUnordered('SPOP', 's', '10');
  await c.same('EXISTS', 's');
  // The partial strategies: pick-and-remove (few popped) and keep-the-rest (most popped).
  const sets: [string, string[]][] = [
    ['ints', range(0, 40)], ['strs', range(0, 40, 's')], ['bigints', range(0, 600)], ['bigstrs', range(0, 600, 'x')],
  ];
  for (const [key, members] of sets) {
    for (const count of [1, 3, 6, 7, 20, 33, 39]) {
      await fill(c, key, members);
      const popped: Record<string, string[]> = {};
      for (const [name, side] of [['redis', c.redis], ['echokv', c.echo]] as const) {
        const got = (await side.call('SPOP', key, String(count))) as string[];
        assert.is(got.length, count, `${name}: SPOP ${key} ${count}`);
        assert.is(new Set(got).size, count, `${name}: distinct`);
        const rest = (await side.call('SMEMBERS', key)) as string[];
        assert.equal([...got, ...rest].sort(), [...members].sort(), `${name}: popped and left make the set`);
        popped[name] = got;
      }
      await c.same('SCARD', key);
      // The encoding of what is left is deterministic for sets of one kind of member.
      await c.same('OBJECT', 'ENCODING', key);
    }
  }
  // Single pops until the set is gone.
  await fill(c, 'p', ['1', '2', 'x']);
  for (let i = 0; i < 3; i++) {
    const r = (await c.redis.call('SPOP', 'p')) as string;
    const e = (await c.echo.call('SPOP', 'p')) as string;
    assert.ok(['1', '2', 'x'].includes(r) && ['1', '2', 'x'].includes(e));
    await c.same('SCARD', 'p');
  }
  await c.same('EXISTS', 'p');
  // A TTL survives partial pops.
  await fill(c, 't', range(0, 10));
  await c.same('EXPIRE', 't', '1000');
  await c.both('SPOP', 't', '9');
  await c.same('TTL', 't');
  await c.same('SCARD', 't');
});

test('TTLs: writes keep them, the last SREM drops the key with its TTL, expired sets are gone', async ({ c }) => {
  await c.all([
    ['SADD', 's', 'a', 'b'], ['EXPIRE', 's', '1000'], ['SADD', 's', 'c'], ['SREM', 's', 'c'], ['SADD', 'd', 'x'],
    ['EXPIRE', 'd', '500'], ['SMOVE', 's', 'd', 'a'], ['TTL', 's'], ['TTL', 'd'], ['SMOVE', 's', 'e', 'b'], ['TTL', 's'],
    ['TTL', 'e'], ['SADD', 'x', '1'], ['PEXPIRE', 'x', '1'], ['SADD', 'y', '1'], ['PEXPIRE', 'y', '1'],
  ]);
  await new Promise((r) => setTimeout(r, 20));
  await c.all([
    ['SISMEMBER', 'x', '1'], ['SCARD', 'x'], ['SINTERSTORE', 'y', 'd'], ['TTL', 'y'], ['SCARD', 'y'], ['SADD', 'x', '2'],
    ['TTL', 'x'], ['SMEMBERS', 'x'],
  ]);
  await c.sameUnordered('SMEMBERS', 'y');
});

test('SMOVE: every case, including the same key, creation and deletion', async ({ c }) => {
  await c.all([
    ['SMOVE', 'a', 'b', 'x'], ['SADD', 'a', '1', '2', 'x'], ['SMOVE', 'a', 'b', 'zz'], ['EXISTS', 'b'],
    ['SMOVE', 'a', 'b', '1'], ['SMEMBERS', 'b'], ['OBJECT', 'ENCODING', 'b'], ['SMOVE', 'a', 'b', 'x'],
    ['OBJECT', 'ENCODING', 'b'], ['SMOVE', 'a', 'a', '2'], ['SMOVE', 'a', 'a', 'nope'], ['SMOVE', 'a', 'b', '2'],
    ['EXISTS', 'a'], ['SADD', 'c', '1'], ['SMOVE', 'b', 'c', '1'], ['SMEMBERS', 'c'], ['SADD', 'd', 'x'],
    ['SMOVE', 'b', 'd', 'x'], ['EXISTS', 'b'], ['SMEMBERS', 'd'], ['SMOVE', 'd', 'e', BIN], ['SADD', 'd', BIN],
    ['SMOVE', 'd', 'e', BIN], ['SMEMBERS', 'e'], ['OBJECT', 'ENCODING', 'e'], ['SMOVE', 'a'], ['SMOVE', 'a', 'b'],
    ['CONFIG', 'SET', 'set-max-intset-entries', '0'], ['SADD', 'f', 'x', '5'], ['SMOVE', 'f', 'g', '5'],
    ['OBJECT', 'ENCODING', 'g'], ['CONFIG', 'SET', 'set-max-intset-entries', '512'],
  ]);
});

test('SINTER, SINTERCARD, SUNION, SDIFF: missing keys, the same key twice, orders and LIMIT', async ({ c }) => {
  await c.all([
    ['SADD', 'i1', '1', '2', '3', '4', '5'], ['SADD', 'i2', '4', '5', '6', '3'], ['SADD', 'i3', '5', '3', '100'],
    ['SADD', 's1', 'a', 'b', 'c', '1', '2'], ['SADD', 's2', 'b', 'c', 'd', '2'], ['SADD', 's3', 'c', '2'],
    ['SINTER', 'i1'], ['SINTER', 'i1', 'i2'], ['SINTER', 'i1', 'i2', 'i3'], ['SINTER', 'i1', 'i1'], ['SINTER', 'i1', 'nokey'],
    ['SINTER', 'nokey', 'i1'], ['SINTER', 'nokey'], ['SINTER', 'i1', 's1'],
    ['SINTER', 's1', 's2', 's3', 'i1'], ['SINTERCARD', '1', 'i1'], ['SINTERCARD', '2', 'i1', 'i2'],
    ['SINTERCARD', '3', 'i1', 'i2', 'i3', 'LIMIT', '1'], ['SINTERCARD', '2', 'i1', 'i2', 'LIMIT', '0'],
    ['SINTERCARD', '2', 'i1', 'i2', 'limit', '2'], ['SINTERCARD', '2', 'i1', 'i2', 'LIMIT', '100'],
    ['SINTERCARD', '2', 'i1', 'nokey'], ['SINTERCARD', '2', 's1', 's2'], ['SINTERCARD', '1', 'i1', 'LIMIT', '1', 'LIMIT', '2'],
    ['SINTERCARD', '0', 'i1'], ['SINTERCARD', '-1', 'i1'], ['SINTERCARD', 'x', 'i1'], ['SINTERCARD', '2', 'i1'],
    ['SINTERCARD', '1', 'i1', 'LIMIT'], ['SINTERCARD', '1', 'i1', 'LIMIT', '-1'], ['SINTERCARD', '1', 'i1', 'LIMIT', 'x'],
    ['SINTERCARD', '1', 'i1', 'FOO', '1'], ['SINTERCARD', '1', 'i1', 'i2'], ['SINTERCARD', '9223372036854775808', 'i1'],
    ['SINTERCARD', '1', 'nokey', 'LIMIT', '-1'], ['SINTERCARD', '1'],
    ['SUNION', 'i1'], ['SUNION', 'i1', 'i2', 'i3'], ['SUNION', 'nokey'], ['SUNION', 'nokey', 'i3', 'nokey2'],
    ['SDIFF', 'i1'], ['SDIFF', 'i1', 'i2'], ['SDIFF', 'i1', 'i2', 'i3'], ['SDIFF', 'i1', 'i1'], ['SDIFF', 'i1', 'nokey'],
    ['SDIFF', 'nokey', 'i1'], ['SDIFF', 'i1', 'i2', 'i1'], ['SDIFF', 'i3', 's1'], ['SDIFF', 's1', 's2', 's3', 'i1'],
    ['SINTER'], ['SUNION'], ['SDIFF'],
  ]);
  // Hashtable order is Redis's dict order (seeded per process): compared as collections.
  for (const cmd of [['SINTER', 's1', 's2'], ['SINTER', 's3', 's1', 's2'], ['SUNION', 's1', 's2', 'i1'], ['SDIFF', 's1', 's3'], ['SUNION', 'i1', 's3'],
    ['SDIFF', 's1', 'i1']]) {
    await c.sameUnordered(...cmd);
  }
  // Results larger than set-max-intset-entries come out of hashtables.
  await c.same('SADD', 'r1', ...range(0, 400));
  await c.same('SADD', 'r2', ...range(300, 700));
  await c.sameUnordered('SUNION', 'r1', 'r2');
  await c.same('SINTER', 'r1', 'r2');
  await c.same('SDIFF', 'r1', 'r2');
  await c.same('SINTERCARD', '2', 'r1', 'r2', 'LIMIT', '7');
});

test('SINTERSTORE, SUNIONSTORE, SDIFFSTORE: results, encodings, TTLs and empty results', async ({ c }) => {
  await c.all([
    ['SADD', 'i1', '1', '2', '3', '4', '5'], ['SADD', 'i2', '4', '5', '6', '3'], ['SADD', 's1', 'a', 'b', 'c', '1', '2'],
    ['SADD', 's2', 'b', 'c', 'd', '2'],
    ['SINTERSTORE', 'd', 'i1', 'i2'], ['SMEMBERS', 'd'], ['OBJECT', 'ENCODING', 'd'],
    ['SINTERSTORE', 'd', 's1', 's2'], ['OBJECT', 'ENCODING', 'd'], ['SCARD', 'd'],
    ['SINTERSTORE', 'd', 's1', 'i1'], ['SMEMBERS', 'd'], ['OBJECT', 'ENCODING', 'd'],
    ['SUNIONSTORE', 'd', 'i1', 'i2'], ['SMEMBERS', 'd'], ['OBJECT', 'ENCODING', 'd'],
    ['SUNIONSTORE', 'd', 'i1', 's1'], ['OBJECT', 'ENCODING', 'd'], ['SCARD', 'd'],
    ['SDIFFSTORE', 'd', 'i1', 'i2'], ['SMEMBERS', 'd'], ['OBJECT', 'ENCODING', 'd'],
    ['SDIFFSTORE', 'd', 's1', 's2'], ['SCARD', 'd'], ['OBJECT', 'ENCODING', 'd'],
    ['SDIFFSTORE', 'd', 's1', 'i1'], ['OBJECT', 'ENCODING', 'd'],
    ['EXPIRE', 'd', '1000'], ['SINTERSTORE', 'd', 'i1', 'i2'], ['TTL', 'd'],
    ['SINTERSTORE', 'd', 'i1', 'nokey'], ['EXISTS', 'd'], ['SINTERSTORE', 'd', 'i1', 'nokey'],
    ['SUNIONSTORE', 'd', 'i1'], ['SDIFFSTORE', 'd', 'i1', 'i1'], ['EXISTS', 'd'], ['SUNIONSTORE', 'd', 'nokey'],
    ['SINTERSTORE', 'i1', 'i1', 'i2'], ['SMEMBERS', 'i1'], ['SUNIONSTORE', 'i2', 'i2', 's2'], ['SCARD', 'i2'],
    ['SDIFFSTORE', 'x', 'i1', 'i2', 's1'], ['SINTERSTORE', 'd'], ['SUNIONSTORE', 'd'], ['SDIFFSTORE'],
  ]);
  await c.sameUnordered('SMEMBERS', 'i2');
  // SDIFF's two algorithms: copying a large first set then removing leaves a hashtable even when
  // the result would fit an intset; walking it builds an intset.
  await c.same('SADD', 'a', ...range(1, 601));
  for (const [k, from, to] of [['b1', 1, 126], ['b2', 126, 251], ['b3', 251, 376], ['b4', 376, 501]] as const) {
    await c.same('SADD', k, ...range(from, to));
  }
  for (const cmd of [['SDIFFSTORE', 'd', 'a', 'b1', 'b2', 'b3', 'b4'], ['SDIFFSTORE', 'd', 'a', 'b1', 'b2'],
    ['SDIFFSTORE', 'd', 'a', 'b1'], ['SDIFFSTORE', 'd', 'b1', 'a'], ['SDIFFSTORE', 'd', 'a', 'b1', 'nokey', 'b2', 'b3']]) {
    await c.same(...cmd);
    await c.same('OBJECT', 'ENCODING', 'd');
    await c.sameUnordered('SMEMBERS', 'd');
    await c.sameUnordered('SDIFF', ...cmd.slice(2));
  }
  // A stored result beyond set-max-intset-entries is a hashtable; within, an intset.
  await c.same('SADD', 'r1', ...range(0, 400));
  await c.same('SADD', 'r2', ...range(300, 700));
  for (const cmd of [['SUNIONSTORE', 'u', 'r1', 'r2'], ['SINTERSTORE', 'u', 'r1', 'r2'], ['SDIFFSTORE', 'u', 'r2', 'r1']]) {
    await c.same(...cmd);
    await c.same('OBJECT', 'ENCODING', 'u');
  }
});

test('SSCAN: intsets whole with cursor 0, MATCH, COUNT and cursor errors; hashtables fully', async ({ c }) => {
  await c.all([
    ['SSCAN', 'nokey', '0'], ['SSCAN', 'nokey', '0', 'COUNT', '0'], ['SSCAN', 'nokey', 'x'],
    ['SADD', 'i', '10', '2', '-3', '1000'], ['SSCAN', 'i', '0'], ['SSCAN', 'i', '99'], ['SSCAN', 'i', '0', 'COUNT', '1'],
    ['SSCAN', 'i', '0', 'MATCH', '1*'], ['SSCAN', 'i', '0', 'MATCH', '-*'], ['SSCAN', 'i', '0', 'COUNT', '0'],
    ['SSCAN', 'i', '0', 'COUNT', 'x'], ['SSCAN', 'i', '0', 'MATCH'], ['SSCAN', 'i', '0', 'TYPE', 'set'], ['SSCAN', 'i', '-5'],
    ['SSCAN', 'i', ''], ['SSCAN', 'i'],
  ]);
  await c.same('SADD', 'h', ...range(0, 1000, 'member:'), BIN);
  const full = async (side: RespClient, extra: string[]): Promise<string[]> => {
    const seen = new Set<string>();
    let cursor = '0';
    let calls = 0;
    do {
      const [next, items] = (await side.call('SSCAN', 'h', cursor, ...extra)) as [string, string[]];
      for (const m of items) seen.add(m);
      cursor = next;
      assert.ok(++calls < 10000, 'SSCAN terminates');
    } while (cursor !== '0');
    return [...seen].sort();
  };
  for (const extra of [[], ['COUNT', '3'], ['MATCH', 'member:9*'], ['MATCH', '*\xff*', 'COUNT', '200']]) {
    assert.equal(await full(c.echo, extra), await full(c.redis, extra), `SSCAN ${extra.join(' ')}`);
  }
});

test('RESP3: sets for SMEMBERS, SINTER, SUNION, SDIFF and SPOP counts, arrays for SRANDMEMBER', async (ctx) => {
  const c = await resp3(ctx);
  await c.all([
    ['SMEMBERS', 'nokey'], ['SINTER', 'nokey'], ['SUNION', 'nokey'], ['SDIFF', 'nokey'], ['SRANDMEMBER', 'nokey'],
    ['SRANDMEMBER', 'nokey', '2'], ['SRANDMEMBER', 'nokey', '-2'], ['SPOP', 'nokey'], ['SPOP', 'nokey', '2'],
    ['SMISMEMBER', 'nokey', 'a'], ['SSCAN', 'nokey', '0'], ['SINTERCARD', '1', 'nokey'],
    ['SADD', 'i', '3', '1', '2'], ['SMEMBERS', 'i'], ['SINTER', 'i', 'i'], ['SUNION', 'i'], ['SDIFF', 'i'],
    ['SRANDMEMBER', 'i', '5'], ['SRANDMEMBER', 'i', '0'], ['SPOP', 'i', '0'], ['SMISMEMBER', 'i', '1', '9'],
    ['SISMEMBER', 'i', '1'], ['SSCAN', 'i', '0'], ['SPOP', 'i', '5'],
  ]);
  for (const side of [c.redis, c.echo]) {
    await side.call('SADD', 'r', 'a', 'b', 'c', 'd');
    const neg = await side.callRaw('SRANDMEMBER', 'r', '-3');
    assert.is(neg.reply.type, 'array');
    const pos = await side.callRaw('SRANDMEMBER', 'r', '2');
    assert.is(pos.reply.type, 'array');
    const pop = await side.callRaw('SPOP', 'r', '2');
    assert.is(pop.reply.type, 'set');
    assert.is((pop.reply as { value: unknown[] }).value.length, 2);
  }
});

test('COMMAND INFO, COMMAND DOCS and COMMAND GETKEYS match redis-server', async (ctx) => {
  const { c } = ctx;
  const names = ['sadd', 'srem', 'scard', 'sismember', 'smismember', 'smembers', 'srandmember', 'spop', 'smove',
    'sinter', 'sintercard', 'sunion', 'sdiff', 'sinterstore', 'sunionstore', 'sdiffstore', 'sscan'];
  for (const name of names) {
    const info = ((await c.redis.call('COMMAND', 'INFO', name)) as unknown[][])[0];
    const cmd = ctx.echokv.server.commands.get(name);
    assert.ok(cmd, `${name} is registered`);
    const mine = [cmd!.name, cmd!.arity, cmd!.infoFlags, ...(cmd!.spec.keys ?? [0, 0, 0]),
      cmd!.categories.map((x) => '@' + x), [...(cmd!.spec.tips ?? [])]];
    assert.equal(mine, info.slice(0, 8), `COMMAND INFO ${name}`);
  }
  await c.all([
    ['COMMAND', 'GETKEYS', 'SINTERCARD', '2', 'a', 'b', 'LIMIT', '1'], ['COMMAND', 'GETKEYS', 'SINTERCARD', '1', 'a'],
    ['COMMAND', 'GETKEYS', 'SINTERCARD', '0', 'a'], ['COMMAND', 'GETKEYS', 'SINTERCARD', '5', 'a'],
    ['COMMAND', 'GETKEYS', 'SINTERCARD', 'x', 'a'], ['COMMAND', 'GETKEYS', 'SINTERCARD', '-1', 'a'],
    ['COMMAND', 'GETKEYS', 'SMOVE', 'a', 'b', 'm'], ['COMMAND', 'GETKEYS', 'SINTERSTORE', 'd', 'a', 'b'],
    ['COMMAND', 'GETKEYS', 'SUNION', 'a', 'b', 'c'], ['COMMAND', 'DOCS', 'sadd'], ['COMMAND', 'DOCS', 'srem'],
  ]);
});

test('RESP3: a client subscribed to its own keyspace events gets them where Redis puts them', async (ctx) => {
  await ctx.c.same('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
  const c = await resp3(ctx);
  await c.same('PSUBSCRIBE', '__key*__:*');
  let marker = 0;
  /** Every frame the command caused: its reply and the events, in the order they came. */
  const frames = async (side: RespClient, cmd: string[]): Promise<string[]> => {
    const m = `marker-${++marker}`;
    side.write(encodeCommand(cmd));
    side.write(encodeCommand(['PING', m]));
    const out: string[] = [];
    for (;;) {
      const f = await side.readRaw();
      if (f.bytes.includes(m)) return out;
      out.push(show(f.bytes));
    }
  };
  for (const cmd of [
    ['SADD', 's', '1', '2', 'a'], ['SADD', 's', '1'], ['SREM', 's', 'zz'], ['SREM', 's', '1'], ['SMOVE', 's', 'n', '2'],
    ['SMOVE', 's', 'n', 'zz'], ['SMOVE', 's', 'n', 'a'], ['SADD', 't', 'x', 'y', 'z'], ['SINTERSTORE', 'd', 't', 'n'],
    ['SINTERSTORE', 'd', 't', 't'], ['SINTERSTORE', 'd', 't', 'nokey'], ['SUNIONSTORE', 'd', 't', 'n'],
    ['SDIFFSTORE', 'd', 't', 't'], ['SDIFFSTORE', 'd', 't', 'n'], ['SUNIONSTORE', 'd', 'nokey'], ['SADD', 'o', 'x'],
    ['SPOP', 'o'], ['SADD', 'o', 'x'], ['SPOP', 'o', '5'], ['SPOP', 'o', '5'], ['SPOP', 'nokey'], ['SADD', 'w', 'v'],
    ['SPOP', 'w', '0'], ['SRANDMEMBER', 'w'], ['SCARD', 'n'], ['SMEMBERS', 'w'],
  ]) {
    const [r, e] = await Promise.all([frames(c.redis, cmd), frames(c.echo, cmd)]);
    assert.equal(e, r, cmd.join(' '));
  }
});

test.run();

// ---------------------------------------------------------------------------------------------
// What each command propagates: Redis's AOF (appendfsync always) against echokv's propagate hook.


// Deterministic even with SPOP: a one-member set, and counts that take everything.
const SCRIPT: string[][] = [
  ['SADD', 's', '1', '2', 'a'], ['SADD', 's', '1'], ['SADD', 's', '1', 'b'], ['SREM', 's', 'zz'], ['SREM', 's', 'b', 'zz'],
  ['SMOVE', 's', 't', 'a'], ['SMOVE', 's', 't', 'zz'], ['SMOVE', 's', 's', '1'], ['SMOVE', 't', 'u', 'a'],
  ['SINTERSTORE', 'd', 's', 'nokey'], ['SINTERSTORE', 'd', 's', 's'], ['SINTERSTORE', 'd', 's', 'nokey'],
  ['SINTERSTORE', 'd', 's', 'nokey'], ['SUNIONSTORE', 'd', 's', 'u'], ['SDIFFSTORE', 'd', 's', 'u'],
  ['SDIFFSTORE', 'd', 's', 's'], ['SDIFFSTORE', 'd', 's', 's'], ['SADD', 'one', 'x'], ['SPOP', 'one'], ['SPOP', 'one'],
  ['SADD', 'one', 'x', 'y'], ['SPOP', 'one', '5'], ['SPOP', 'one', '0'], ['SPOP', 'nokey', '2'], ['SISMEMBER', 's', '1'],
  ['SMEMBERS', 's'], ['SCARD', 's'], ['SRANDMEMBER', 's'], ['SUNION', 's', 'u'], ['SREM', 's', '1', '2'], ['EXISTS', 's'],
  ['SADD', BIN, BIN],
];

const prop = suite('compat: set propagation');

prop('every write propagates what Redis propagates (SPOP as SREM or DEL)', async () => {
  const redis = await startRedis(['--appendonly', 'yes', '--appendfsync', 'always']);
  if (redis === null) return;
  const echokv = await startEchokv();
  const seen: string[][] = [];
  echokv.server.on('propagate', (_db, argv) => seen.push([...argv]));
  const r = await RespClient.connect(redis.port);
  const e = await RespClient.connect(echokv.port);
  try {
    for (const cmd of SCRIPT) {
      await r.call(...cmd);
      await e.call(...cmd);
    }
    assert.equal(seen, readRedisAof(redis.dir));
    // SPOP with a count below the size: the popped members as SREMs in one MULTI/EXEC, on both.
    for (const count of ['1', '3', '9']) {
      const members = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'];
      seen.length = 0;
      const before = readRedisAof(redis.dir).length;
      await r.call('SADD', 'p', ...members);
      await e.call('SADD', 'p', ...members);
      for (const [side, log] of [[r, () => readRedisAof(redis.dir).slice(before + 1)], [e, () => seen.slice(1)]] as const) {
        const popped = (await side.call('SPOP', 'p', count)) as string[];
        const ops = log();
        const srems = count === '1' ? ops : ops.slice(1, -1);
        if (count !== '1') {
          assert.equal(ops[0], ['MULTI']);
          assert.equal(ops[ops.length - 1], ['EXEC']);
        }
        assert.equal(srems.map((a) => a.slice(0, 2)), popped.map(() => ['SREM', 'p']));
        assert.equal(srems.map((a) => a[2]).sort(), [...popped].sort());
        await side.call('DEL', 'p');
      }
    }
    // Inside MULTI/EXEC the transaction's own MULTI ... EXEC wraps the SREMs with the other writes.
    seen.length = 0;
    const before = readRedisAof(redis.dir).length;
    for (const [side, log] of [[r, () => readRedisAof(redis.dir).slice(before)], [e, () => seen.slice()]] as const) {
      await side.call('MULTI');
      await side.call('SADD', 'm', '1', '2', '3', '4', '5', '6', '7', '8');
      await side.call('SPOP', 'm', '3');
      await side.call('SADD', 'n', 'x');
      const [, popped] = (await side.call('EXEC')) as [number, string[]];
      const ops = log();
      assert.equal(ops[0], ['MULTI']);
      assert.equal(ops[1][0].toUpperCase(), 'SADD');
      assert.equal(ops.slice(2, 5).map((a) => a.slice(0, 2)), [['SREM', 'm'], ['SREM', 'm'], ['SREM', 'm']]);
      assert.equal(ops.slice(2, 5).map((a) => a[2]).sort(), [...popped].sort());
      assert.equal(ops.slice(5).map((a) => a[0].toUpperCase()), ['SADD', 'EXEC']);
    }
  } finally {
    r.close();
    e.close();
    await echokv.stop();
    await redis.stop();
  }
});

prop.run();

// ---------------------------------------------------------------------------------------------
// Keyspace events: Redis's __keyevent@0__ messages against echokv's notify hook, per class.

const events = suite('compat: set keyspace events');

events('each command fires the events Redis fires, in the same classes', async () => {
  const script = [...SCRIPT, ['SADD', 'q', '1', '2', '3', '4', '5', '6'], ['SPOP', 'q', '2'], ['SPOP', 'q', '3'],
    ['SPOP', 'q'], ['SPOP', 'q', '1'], ['SADD', 'q2', 'a', 'b', 'c', 'd', 'e', 'f'], ['SPOP', 'q2', '5'], ['SPOP', 'q2', '1']];
  await sameKeyspaceEvents(script, ['s', 'g']);
});

events.run();
