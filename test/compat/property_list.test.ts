// Property tests: random bounded sequences of list commands (fast-check) go to redis-server and
// echokv; every reply must be the same bytes, and afterwards both datasets must match key by key
// (type, elements in order, OBJECT ENCODING, TTL). Values mix short, empty, binary and
// chunk-sized elements so the packed representation's edits, splits and merges are exercised;
// the blocking commands run inside MULTI/EXEC, where they answer at once. A failure ends the run
// at once (no shrinking, which with servers in the loop could take minutes); the assertion names
// the first command whose replies differ.
import fc from 'fast-check';
import * as assert from 'uvu/assert';
import { type Compat, compatSuite, show } from './_compat.ts';
import { encodeCommand } from '../_resp.ts';
import type { RespClient } from '../_helpers.ts';

const test = compatSuite('list properties');

const KEYS = ['a', 'b', 'c'];
const key = fc.constantFrom(...KEYS);
const small = fc.constantFrom('x', 'y', 'z', '1', '-1', '', '\xff\x00', 'x'.repeat(130));
const big = fc.constantFrom('B'.repeat(3000), 'C'.repeat(9000));
const element = fc.oneof({ weight: 9, arbitrary: small }, { weight: 1, arbitrary: big });
const elements = fc.array(element, { minLength: 1, maxLength: 6 });
const index = fc.integer({ min: -12, max: 12 }).map(String);
const count = fc.integer({ min: 0, max: 6 }).map(String);
const side = fc.constantFrom('LEFT', 'RIGHT');

const listCommand: fc.Arbitrary<string[]> = fc.oneof(
  fc.tuple(fc.constantFrom('LPUSH', 'RPUSH', 'LPUSHX', 'RPUSHX'), key, elements).map(([c, k, es]) => [c, k, ...es]),
  fc.tuple(fc.constantFrom('LPOP', 'RPOP'), key, fc.option(count, { nil: undefined })).map(([c, k, n]) => (n === undefined ? [c, k] : [c, k, n])),
  key.map((k) => ['LLEN', k]),
  fc.tuple(key, index, index).map(([k, i, j]) => ['LRANGE', k, i, j]),
  fc.tuple(key, index).map(([k, i]) => ['LINDEX', k, i]),
  fc.tuple(key, index, element).map(([k, i, e]) => ['LSET', k, i, e]),
  fc.tuple(key, fc.constantFrom('BEFORE', 'AFTER'), small, element).map(([k, w, p, e]) => ['LINSERT', k, w, p, e]),
  fc.tuple(key, fc.integer({ min: -3, max: 3 }), element).map(([k, n, e]) => ['LREM', k, String(n), e]),
  fc.tuple(key, index, index).map(([k, i, j]) => ['LTRIM', k, i, j]),
  fc.tuple(key, small, fc.option(fc.integer({ min: -3, max: 3 }).filter((r) => r !== 0), { nil: undefined }),
    fc.option(count, { nil: undefined }), fc.option(count, { nil: undefined }))
    .map(([k, e, r, n, m]) => ['LPOS', k, e, ...(r === undefined ? [] : ['RANK', String(r)]),
      ...(n === undefined ? [] : ['COUNT', n]), ...(m === undefined ? [] : ['MAXLEN', m])]),
  fc.tuple(key, key, side, side).map(([s, d, f, t]) => ['LMOVE', s, d, f, t]),
  fc.tuple(key, key).map(([s, d]) => ['RPOPLPUSH', s, d]),
  fc.tuple(key, key, side, fc.integer({ min: 1, max: 4 })).map(([k1, k2, w, n]) => ['LMPOP', '2', k1, k2, w, 'COUNT', String(n)]),
  // A key of another type now and then.
  key.map((k) => ['SET', k, 'str']),
  key.map((k) => ['DEL', k]),
);

const blockingCommand: fc.Arbitrary<string[]> = fc.oneof(
  fc.tuple(fc.constantFrom('BLPOP', 'BRPOP'), key, key).map(([c, k1, k2]) => [c, k1, k2, '0']),
  fc.tuple(key, key, side, side).map(([s, d, f, t]) => ['BLMOVE', s, d, f, t, '0']),
  fc.tuple(key, key).map(([s, d]) => ['BRPOPLPUSH', s, d, '0']),
  fc.tuple(key, side, fc.integer({ min: 1, max: 4 })).map(([k, w, n]) => ['BLMPOP', '0', '1', k, w, 'COUNT', String(n)]),
);

/** Runs `cmds` as one pipeline on both servers; asserts each pair of replies is the same. */
async function pipeline(c: Compat, cmds: string[][]): Promise<void> {
  const bytes = cmds.map((cmd) => encodeCommand(cmd));
  const read = async (client: RespClient): Promise<string[]> => {
    for (const b of bytes) client.write(b);
    const out: string[] = [];
    for (let k = 0; k < cmds.length; k++) out.push((await client.readRaw()).bytes);
    return out;
  };
  const [r, e] = await Promise.all([read(c.redis), read(c.echo)]);
  for (let k = 0; k < cmds.length; k++) assert.is(show(e[k]), show(r[k]), `reply to ${show(cmds[k].join(' '))}`);
}

test('random command sequences: same replies and the same dataset', async ({ c }) => {
  await fc.assert(
    fc.asyncProperty(fc.array(listCommand, { minLength: 1, maxLength: 60, size: 'max' }), async (cmds) => {
      await c.reset();
      await pipeline(c, cmds);
      await c.sameDataset();
    }),
    { numRuns: 80, endOnFailure: true },
  );
});

test('blocking commands inside transactions, between random writes', async ({ c }) => {
  const step = fc.oneof(
    listCommand.map((cmd) => [cmd]),
    fc.array(fc.oneof(blockingCommand, listCommand), { minLength: 1, maxLength: 5 }).map((cmds) => [['MULTI'], ...cmds, ['EXEC']]),
  );
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25, size: 'max' }), async (steps) => {
      await c.reset();
      await pipeline(c, steps.flat());
      await c.sameDataset();
    }),
    { numRuns: 50, endOnFailure: true },
  );
});

test('long runs on one key: thousands of elements, edits in the middle, both ends', async ({ c }) => {
  const bulk = fc.array(fc.oneof(small, fc.integer({ min: 0, max: 300 }).map(String)), { minLength: 20, maxLength: 200, size: 'max' });
  const oneKey = fc.oneof(
    fc.tuple(fc.constantFrom('LPUSH', 'RPUSH'), bulk).map(([cmd, es]) => [cmd, 'a', ...es]),
    fc.tuple(fc.constantFrom('LPOP', 'RPOP'), fc.integer({ min: 0, max: 150 })).map(([cmd, n]) => [cmd, 'a', String(n)]),
    fc.tuple(fc.integer({ min: -3, max: 3 }), fc.integer({ min: 0, max: 300 })).map(([n, v]) => ['LREM', 'a', String(n), String(v)]),
    fc.tuple(fc.integer({ min: -2000, max: 2000 }), element).map(([i, e]) => ['LSET', 'a', String(i), e]),
    fc.tuple(fc.constantFrom('BEFORE', 'AFTER'), fc.integer({ min: 0, max: 300 }), element).map(([w, p, e]) => ['LINSERT', 'a', w, String(p), e]),
    fc.tuple(fc.integer({ min: -2000, max: 2000 }), fc.integer({ min: -2000, max: 2000 })).map(([i, j]) => ['LRANGE', 'a', String(i), String(j)]),
    fc.tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: -50, max: 50 })).map(([i, j]) => ['LTRIM', 'a', String(Math.abs(i)), String(-1 - Math.abs(j))]),
    fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: -3, max: 3 }).filter((r) => r !== 0)).map(([v, r]) => ['LPOS', 'a', String(v), 'RANK', String(r), 'COUNT', '0']),
    fc.integer({ min: -2000, max: 2000 }).map((i) => ['LINDEX', 'a', String(i)]),
  );
  await fc.assert(
    fc.asyncProperty(fc.array(oneKey, { minLength: 10, maxLength: 80, size: 'max' }), async (cmds) => {
      await c.reset();
      await pipeline(c, cmds);
      await c.sameDataset();
    }),
    { numRuns: 25, endOnFailure: true },
  );
});

test.run();
