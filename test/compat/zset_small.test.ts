// Sorted sets on both sides of echokv's internal size boundaries, against a real redis-server:
// up to 32 members (ZSet.SMALL) a set keeps no member table and scans its members; up to 128
// (one leaf, also Redis's zset-max-listpack-entries) its index is flat; past that it has leaves.
// Sets grow across both boundaries one member at a time and shrink back, and at each size every
// reading command, every ZADD flag, the removals, the set operations, DUMP/RESTORE and ZSCAN
// answer byte for byte as Redis does; the last test takes the same sets through an RDB file.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Compat, compatSuite, resetZsetLimits, show } from './_compat.ts';
import { haveRedis, RespClient, startEchokv, startProcess } from '../_helpers.ts';
import { assertSameDataset, datasetOf } from '../_rdb.ts';
import { plain } from '../_resp.ts';

const test = compatSuite('sorted set sizes');

test.before.each(resetZsetLimits);

// The sizes around the boundaries (32: member table; 128: leaves and Redis's listpack limit).
const SIZES = [1, 2, 3, 16, 17, 31, 32, 33, 34, 64, 127, 128, 129, 130, 200];

/** Member i: binary bytes in some, ties on scores (score i % 7, some negative, some -0). */
function member(i: number): string {
  return i % 5 === 0 ? `m\xff\x00${i}` : `m${String(i).padStart(3, '0')}`;
}
function score(i: number): string {
  const s = i % 7;
  return s === 3 ? '-0' : s === 5 ? '-2.5' : s === 6 ? '1e300' : String(s);
}

/** The members of key in both servers, as ZRANGE WITHSCORES, compared. */
async function sameContent(c: Compat, key: string): Promise<void> {
  await c.same('ZRANGE', key, '0', '-1', 'WITHSCORES');
  await c.same('ZCARD', key);
  await c.same('OBJECT', 'ENCODING', key);
}

/** ZSCAN answered whole in one call: in order for a listpack, in any order for a skiplist. */
async function sameScan(c: Compat, key: string, ...more: string[]): Promise<void> {
  const enc = await c.same('OBJECT', 'ENCODING', key);
  if (enc === 'listpack') {
    await c.same('ZSCAN', key, '0', ...more);
    return;
  }
  // A skiplist's order is its hash table's: walk to the end in both, compare the pairs.
  const all = async (cl: RespClient): Promise<string[]> => {
    const out: string[] = [];
    let cursor = '0';
    for (let round = 0; round < 1000; round++) {
      const [next, flat] = plain(await cl.callRaw('ZSCAN', key, cursor, 'COUNT', '1000', ...more).then((r) => r.reply)) as [string, string[]];
      for (let i = 0; i < flat.length; i += 2) out.push(show(flat[i]) + '=' + flat[i + 1]);
      cursor = next;
      if (cursor === '0') break;
    }
    return [...new Set(out)].sort();
  };
  assert.equal(await all(c.echo), await all(c.redis), `ZSCAN ${key}`);
}

/** Every reading command on `key` of size n, compared. */
async function reads(c: Compat, key: string, n: number): Promise<void> {
  await sameContent(c, key);
  for (const i of [0, 1, Math.floor(n / 2), n - 1, n, n + 7]) {
    await c.same('ZSCORE', key, member(i));
    await c.same('ZRANK', key, member(i));
    await c.same('ZREVRANK', key, member(i));
  }
  await c.same('ZMSCORE', key, member(0), 'nope', member(n - 1), member(Math.floor(n / 3)));
  await c.same('ZRANGE', key, '-5', '-2', 'WITHSCORES');
  await c.same('ZRANGE', key, '1', '3', 'REV');
  await c.same('ZRANGE', key, '(0', '2', 'BYSCORE', 'WITHSCORES');
  await c.same('ZRANGE', key, '+inf', '-inf', 'BYSCORE', 'REV', 'LIMIT', '1', '5');
  await c.same('ZRANGEBYSCORE', key, '-0', '(4', 'LIMIT', '2', '3');
  await c.same('ZREVRANGEBYSCORE', key, '2', '-inf', 'WITHSCORES');
  // Lex ranges are defined on equal scores only (a skiplist's answer otherwise depends on its
  // random levels): on a copy with every score 0.
  await c.same('ZUNIONSTORE', 'lex0', '1', key, 'WEIGHTS', '0');
  await sameContent(c, 'lex0');
  await c.same('ZRANGE', 'lex0', '[m002', '(m1', 'BYLEX');
  await c.same('ZRANGEBYLEX', 'lex0', '-', '+', 'LIMIT', '0', '4');
  await c.same('ZREVRANGEBYLEX', 'lex0', '+', '[m', 'LIMIT', '1', '3');
  await c.same('ZLEXCOUNT', 'lex0', '[m0', '+');
  await c.same('ZCOUNT', key, '-inf', '0');
  await c.same('ZCOUNT', key, '(0', '+inf');
  await c.sameUnordered('ZRANDMEMBER', key, String(n + 5));
  await c.sameUnordered('ZRANDMEMBER', key, String(n), 'WITHSCORES');
  await c.same('ZRANDMEMBER', key, '0');
  await c.same('EXISTS', key);
  if (n === 0) {
    await c.same('ZRANDMEMBER', key, '-3');
    return;
  }
  // Random picks: the same number of distinct members, each a member of the set.
  const picked = plain((await c.echo.callRaw('ZRANDMEMBER', key, '-50')).reply) as string[];
  assert.is(picked.length, 50);
  for (const m of new Set(picked)) assert.ok((await c.echo.call('ZSCORE', key, m)) !== null, show(m));
  await sameScan(c, key);
  await sameScan(c, key, 'MATCH', '*0*');
  const [r, e] = await c.both('DUMP', key);
  assert.is(show((e.reply as { value: string }).value), show((r.reply as { value: string }).value), `DUMP ${key} (${n})`);
  await c.same('DEL', 'restored');
  await c.same('RESTORE', 'restored', '0', (r.reply as { value: string }).value);
  await sameContent(c, 'restored');
}

test('a set growing one member at a time past 32 and 128: every read at each size', async ({ c }) => {
  let n = 0;
  for (const size of SIZES) {
    for (; n < size; n++) await c.same('ZADD', 'z', score(n), member(n));
    await reads(c, 'z', n);
  }
});

test('a set shrinking back past 128 and 32: ZREM, ZPOP*, ZREMRANGEBY*, every read on the way', async ({ c }) => {
  const args: string[] = [];
  for (let i = 0; i < 300; i++) args.push(score(i), member(i));
  await c.same('ZADD', 'z', ...args);
  let n = 300;
  const down = async (to: number, step: () => Promise<number>): Promise<void> => {
    while (n > to) n -= await step();
    await reads(c, 'z', n);
  };
  let k = 0;
  // Removals from the middle, the ends, by rank, score and lex, till one member is left.
  await down(200, async () => (await c.same('ZREM', 'z', member(k++ * 3 % 300), 'absent')) as number);
  await down(129, async () => ((await c.same('ZPOPMIN', 'z', '3')) as string[]).length / 2);
  await down(120, async () => (await c.same('ZREMRANGEBYRANK', 'z', '10', '12')) as number);
  await down(100, async () => ((await c.same('ZPOPMAX', 'z')) as string[]).length / 2);
  await down(40, async () => (await c.same('ZREMRANGEBYRANK', 'z', '-20', '-11')) as number);
  await down(33, async () => (await c.same('ZREM', 'z', (await c.same('ZRANGE', 'z', '-1', '-1') as string[])[0])) as number);
  await down(32, async () => ((await c.same('ZPOPMIN', 'z')) as string[]).length / 2);
  await down(17, async () => {
    const first = (await c.same('ZRANGE', 'z', '0', '0')) as string[];
    return (await c.same('ZREM', 'z', first[0])) as number;
  });
  await down(16, async () => ((await c.same('ZPOPMIN', 'z')) as string[]).length / 2);
  // Score ranges of a few members each, then pops.
  const ranges = [['(1', '2'], ['-inf', '-1'], ['4', '4'], ['(-0', '1']];
  await down(3, async () => {
    const range = ranges.shift();
    const removed = range === undefined ? 0 : ((await c.same('ZREMRANGEBYSCORE', 'z', ...range)) as number);
    if (removed > 0) return removed;
    return ((await c.same('ZPOPMAX', 'z', '2')) as string[]).length / 2;
  });
  await down(1, async () => ((await c.same('ZPOPMAX', 'z')) as string[]).length / 2);
  await c.same('ZPOPMIN', 'z', '5');
  await c.same('EXISTS', 'z');
});

test('ZREMRANGEBYLEX and ZREMRANGEBYRANK across the boundaries, big ranges at once', async ({ c }) => {
  for (const size of [20, 140, 260]) {
    const args: string[] = [];
    for (let i = 0; i < size; i++) args.push('0', member(i));
    await c.same('DEL', 'lex');
    await c.same('ZADD', 'lex', ...args);
    await c.same('ZREMRANGEBYLEX', 'lex', '[m010', '(m1');
    await reads(c, 'lex', (await c.same('ZCARD', 'lex')) as number);
    await c.same('ZREMRANGEBYRANK', 'lex', '2', '-3');
    await reads(c, 'lex', 4);
  }
});

test('ZADD with every flag and ZINCRBY at sizes on both sides of 32 and 128', async ({ c }) => {
  const flagSets = [[], ['NX'], ['XX'], ['GT'], ['LT'], ['CH'], ['INCR'], ['XX', 'GT', 'CH'], ['NX', 'CH'], ['LT', 'CH'], ['INCR', 'XX'], ['INCR', 'GT']];
  for (const size of [3, 16, 17, 31, 32, 33, 127, 128, 129]) {
    const args: string[] = [];
    for (let i = 0; i < size; i++) args.push(score(i), member(i));
    for (const flags of flagSets) {
      await c.same('DEL', 'f');
      await c.same('ZADD', 'f', ...args);
      const existing = member(Math.floor(size / 2));
      if (flags.includes('INCR')) {
        await c.same('ZADD', 'f', ...flags, '2.5', existing);
        await c.same('ZADD', 'f', ...flags, '-100', 'new');
      } else {
        // One existing member moving each way, one new member, one unchanged.
        await c.same('ZADD', 'f', ...flags, '100', existing, '-100', member(0), '7', 'new', score(size - 1), member(size - 1));
      }
      await sameContent(c, 'f');
      await c.same('ZINCRBY', 'f', '-0.5', member(size - 1));
      await c.same('ZINCRBY', 'f', '3', 'fresh');
      await c.same('ZSCORE', 'f', 'fresh');
      await c.same('ZRANK', 'f', existing);
      await sameContent(c, 'f');
    }
  }
});

test('-0 scores stay as each encoding keeps them across the boundaries', async ({ c }) => {
  for (const size of [2, 32, 33, 128, 129]) {
    await c.same('DEL', 'neg');
    const args: string[] = [];
    for (let i = 0; i < size; i++) args.push(i % 2 === 0 ? '-0' : '0', member(i));
    await c.same('ZADD', 'neg', ...args);
    await c.same('ZADD', 'neg', '-0', 'extra');
    await c.same('ZINCRBY', 'neg', '-0', member(0));
    await c.same('ZSCORE', 'neg', 'extra');
    await c.same('ZMSCORE', 'neg', member(0), member(1));
    await sameScan(c, 'neg');
    await reads(c, 'neg', size + 1);
  }
});

test('set operations between sets on each side of the boundaries, stored and returned', async ({ c }) => {
  const make = async (key: string, size: number, offset: number): Promise<void> => {
    const args: string[] = [];
    for (let i = 0; i < size; i++) args.push(score(i + offset), member(i + offset));
    await c.same('ZADD', key, ...args);
  };
  const sizes = [3, 32, 33, 100, 140];
  for (const a of sizes) {
    for (const b of sizes) {
      await c.same('FLUSHALL');
      await make('a', a, 0);
      await make('b', b, Math.floor(a / 2));
      for (const op of ['ZUNION', 'ZINTER', 'ZDIFF']) {
        await c.same(op, '2', 'a', 'b', 'WITHSCORES');
        await c.same(op + 'STORE', 'dst', '2', 'a', 'b');
        await sameContent(c, 'dst');
        await sameScan(c, 'dst');
      }
      await c.same('ZUNIONSTORE', 'dst', '2', 'a', 'b', 'WEIGHTS', '2', '-1', 'AGGREGATE', 'MAX');
      await sameContent(c, 'dst');
      await c.same('ZINTERCARD', '2', 'a', 'b');
      await c.same('ZRANGESTORE', 'dst', 'a', '1', '-2');
      await sameContent(c, 'dst');
      await c.same('COPY', 'b', 'copy');
      await c.same('ZADD', 'copy', '9', 'only-in-copy');
      await sameContent(c, 'b');
      await sameContent(c, 'copy');
    }
  }
});

test('small sets in the skiplist encoding (limit 0, long members): ZSCAN, reads, growth', async ({ c }) => {
  for (const cl of [c.redis, c.echo]) await cl.call('CONFIG', 'SET', 'zset-max-listpack-entries', '0');
  for (const size of [1, 3, 32, 33, 40]) {
    await c.same('DEL', 'sk');
    for (let i = 0; i < size; i++) await c.same('ZADD', 'sk', score(i), member(i));
    await reads(c, 'sk', size);
    // Members added and removed after a ZSCAN.
    await c.same('ZADD', 'sk', '5', 'late');
    await c.same('ZREM', 'sk', member(0));
    await reads(c, 'sk', size);
  }
  for (const cl of [c.redis, c.echo]) await cl.call('CONFIG', 'SET', 'zset-max-listpack-entries', '128');
  await c.same('DEL', 'long');
  await c.same('ZADD', 'long', '1', 'a', '2', 'x'.repeat(100), '3', 'b');
  await reads(c, 'long', 3);
  await c.same('ZREM', 'long', 'x'.repeat(100));
  await reads(c, 'long', 2);
});

test.run();

// Through an RDB file: echokv saves sets of every size, loads them back with the same content,
// and redis-server loads the same file into the same dataset (encodings included).
const t = suite('compat: sorted set sizes through RDB');
const have = haveRedis();

t('sets on both sides of 32 and 128 survive SAVE and a restart, and load in redis-server', async () => {
  if (!have) return;
  const dir = mkdtempSync(join(tmpdir(), 'echokv-zsmall-'));
  try {
    const e = await startEchokv({ persistence: 'rdb', dir, save: '' });
    const cl = await RespClient.connect(e.port);
    for (const size of SIZES) {
      const args: string[] = [];
      for (let i = 0; i < size; i++) args.push(score(i), member(i));
      await cl.call('ZADD', `z${size}`, ...args);
      // One shrunk from big to this size as well.
      await cl.call('ZADD', `shrunk${size}`, ...args);
      const more: string[] = [];
      for (let i = size; i < size + 150; i++) more.push(score(i), member(i));
      await cl.call('ZADD', `shrunk${size}`, ...more);
      await cl.call('ZREMRANGEBYRANK', `shrunk${size}`, '0', '149');
    }
    assert.is(await cl.call('SAVE'), 'OK');
    const before = await datasetOf(cl);
    cl.close();
    await e.stop();
    const e2 = await startEchokv({ persistence: 'rdb', dir, save: '' });
    const cl2 = await RespClient.connect(e2.port);
    const after = await datasetOf(cl2);
    // Operations on the loaded sets on both sides of the boundaries.
    for (const size of SIZES) {
      assert.is(await cl2.call('ZADD', `z${size}`, '0.5', 'added'), 1);
      assert.is(await cl2.call('ZSCORE', `z${size}`, 'added'), '0.5');
      assert.is(await cl2.call('ZREM', `z${size}`, member(0), 'added'), 2);
      assert.is(await cl2.call('ZCARD', `z${size}`), size - 1);
    }
    cl2.close();
    await e2.stop();
    // The same members and scores; a shrunk skiplist loads as a listpack, as in Redis (the
    // encodings are compared with redis-server's load of the file below).
    const contents = (d: typeof before): Record<string, unknown> => Object.fromEntries(Object.entries(d).map(([k, v]) => [k, v.content]));
    assert.equal(contents(after), contents(before), 'echokv reloaded');
    const rdir = mkdtempSync(join(tmpdir(), 'echokv-zsmall-r-'));
    copyFileSync(join(dir, 'dump.rdb'), join(rdir, 'dump.rdb'));
    const r = await startProcess('redis-server', ['--dir', rdir, '--save', '', '--appendonly', 'no', '--bind', '127.0.0.1'], { cwd: rdir });
    try {
      const rc = await RespClient.connect(r.port);
      assertSameDataset(await datasetOf(rc), after, 'redis-server loading echokv\'s dump');
      rc.close();
    } finally {
      await r.stop();
      rmSync(rdir, { recursive: true, force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

t.run();
