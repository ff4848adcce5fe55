// INFO lazyfreed_objects: which deletions Redis would have left to its lazy-free thread (values
// costing more than 64 allocations to free, under UNLINK, FLUSH* ASYNC and the lazyfree-lazy-*
// directives). Both servers run the same deletions; the counters must agree after each.
import * as assert from 'uvu/assert';
import { compatSuite, type Compat } from './_compat.ts';
import { sleep } from '../_helpers.ts';

const test = compatSuite('lazyfree');

const field = (name: string, text: unknown) => Number(new RegExp(`${name}:(\\d+)`).exec(String(text))?.[1]);

/** Both counters, once redis-server's lazy-free thread has done what it was given. */
async function lazyfreed(c: Compat): Promise<[number, number]> {
  let redis = String(await c.redis.call('INFO', 'memory'));
  for (let i = 0; i < 100 && field('lazyfree_pending_objects', redis) !== 0; i++) {
    await sleep(10);
    redis = String(await c.redis.call('INFO', 'memory'));
  }
  const echo = await c.echo.call('INFO', 'memory');
  assert.is(field('lazyfree_pending_objects', echo), 0);
  return [field('lazyfreed_objects', echo), field('lazyfreed_objects', redis)];
}

async function sameCount(c: Compat, what: string): Promise<void> {
  const [e, r] = await lazyfreed(c);
  assert.is(e, r, `lazyfreed_objects after ${what}`);
}

test('UNLINK counts values that cost more than 64 allocations, by type and encoding', async ({ c }) => {
  await c.same('CONFIG', 'RESETSTAT');
  const members = (n: number, p: string) => Array.from({ length: n }, (_, i) => `${p}${i}`);
  const fill: [string, (n: number) => unknown[]][] = [
    ['list', (n) => ['RPUSH', 'k', ...members(n, 'e')]],
    ['set of strings', (n) => ['SADD', 'k', ...members(n, 'm')]],
    ['set of integers', (n) => ['SADD', 'k', ...members(n, '')]],
    ['hash', (n) => ['HSET', 'k', ...members(n, 'f').flatMap((f) => [f, 'v'])]],
    ['sorted set', (n) => ['ZADD', 'k', ...members(n, 'm').flatMap((m, i) => [String(i), m])]],
  ];
  for (const [type, cmd] of fill) {
    for (const n of [1, 64, 65, 127, 129, 600]) {
      await c.same(...(cmd(n) as string[]));
      await c.same('OBJECT', 'ENCODING', 'k');
      await c.same('UNLINK', 'k');
      await sameCount(c, `UNLINK of a ${type} of ${n}`);
    }
  }
  // A list's effort is its quicklist node count (8 KB nodes): about 60 and 75 nodes here.
  for (const n of [40000, 50000]) {
    for (let i = 0; i < n; i += 1000) await c.same('RPUSH', 'big', ...Array.from({ length: 1000 }, (_, j) => `v${String(i + j).padStart(9, '0')}`));
    await c.same('UNLINK', 'big');
    await sameCount(c, `UNLINK of a list of ${n}`);
  }
  await c.same('SET', 's', 'x'.repeat(1000));
  await c.same('UNLINK', 's', 'nokey');
  await sameCount(c, 'UNLINK of a string');
  assert.ok((await lazyfreed(c))[1] > 0);
});

test('DEL counts only under lazyfree-lazy-user-del', async ({ c }) => {
  await c.same('CONFIG', 'RESETSTAT');
  await c.same('SADD', 'k', ...Array.from({ length: 100 }, (_, i) => `m${i}`));
  await c.same('DEL', 'k');
  await sameCount(c, 'DEL');
  await c.same('CONFIG', 'SET', 'lazyfree-lazy-user-del', 'yes');
  await c.same('SADD', 'k', ...Array.from({ length: 100 }, (_, i) => `m${i}`));
  await c.same('DEL', 'k');
  await sameCount(c, 'DEL with lazyfree-lazy-user-del');
  await c.same('CONFIG', 'SET', 'lazyfree-lazy-user-del', 'no');
});

test('an asynchronous flush counts every key it drops', async ({ c }) => {
  await c.same('CONFIG', 'RESETSTAT');
  for (let i = 0; i < 5; i++) await c.same('SET', `k${i}`, 'v');
  await c.same('FLUSHDB', 'SYNC');
  await sameCount(c, 'FLUSHDB SYNC');
  for (let i = 0; i < 5; i++) await c.same('SET', `k${i}`, 'v');
  await c.same('SELECT', '3');
  await c.same('SET', 'other', 'v');
  await c.same('FLUSHALL', 'ASYNC');
  await sameCount(c, 'FLUSHALL ASYNC');
  await c.same('SET', 'k', 'v');
  await c.same('FLUSHDB');
  await sameCount(c, 'FLUSHDB');
  await c.same('CONFIG', 'SET', 'lazyfree-lazy-user-flush', 'yes');
  await c.same('SET', 'k', 'v');
  await c.same('SET', 'k2', 'v');
  await c.same('FLUSHDB');
  await sameCount(c, 'FLUSHDB with lazyfree-lazy-user-flush');
  await c.same('SET', 'k', 'v');
  await c.same('FLUSHALL', 'SYNC');
  await sameCount(c, 'FLUSHALL SYNC with lazyfree-lazy-user-flush');
  await c.same('CONFIG', 'SET', 'lazyfree-lazy-user-flush', 'no');
  await c.same('SELECT', '0');
});

test('streams: radix tree nodes, groups and pending entries make the effort', async ({ c }) => {
  await c.same('CONFIG', 'RESETSTAT');
  await c.same('CONFIG', 'SET', 'stream-node-max-entries', '1');
  // Around the threshold a stream's effort is its radix tree's node count.
  for (const n of [20, 28, 30, 31, 32, 33, 34, 40]) {
    for (let i = 1; i <= n; i++) await c.same('XADD', 's', `${i * 7}-${i % 3}`, 'f', 'v');
    await c.same('UNLINK', 's');
    await sameCount(c, `UNLINK of a stream of ${n} nodes`);
  }
  // Redis's unit/lazyfree cases: all kinds of metadata, and a destroyed group.
  await c.same('CONFIG', 'SET', 'stream-node-max-entries', '5');
  for (let j = 0; j < 1000; j++) await c.same('XADD', 'stream', `1-${j + 1}`, j % 10 === 0 ? 'bar' : 'foo', String(j));
  await c.same('XGROUP', 'CREATE', 'stream', 'mygroup', '0');
  await c.same('XREADGROUP', 'GROUP', 'mygroup', 'Alice', 'COUNT', '2', 'STREAMS', 'stream', '>');
  await c.same('XDEL', 'stream', '1-1');
  await c.same('XACK', 'stream', 'mygroup', '1-2');
  await c.same('UNLINK', 'stream');
  await sameCount(c, 'UNLINK of a stream with groups');
  await c.same('XADD', 's', '1-1', 'a', 'b');
  await c.same('XGROUP', 'CREATE', 's', 'bla', '$');
  await c.same('XGROUP', 'DESTROY', 's', 'bla');
  await c.same('UNLINK', 's');
  await sameCount(c, 'UNLINK of a stream whose group was destroyed');
  // Few nodes, many groups with pending entries.
  await c.same('XADD', 's', '1-1', 'a', 'b');
  await c.same('XADD', 's', '1-2', 'a', 'b');
  for (let g = 0; g < 25; g++) {
    await c.same('XGROUP', 'CREATE', 's', `g${g}`, '0');
    await c.same('XREADGROUP', 'GROUP', `g${g}`, 'c', 'STREAMS', 's', '>');
  }
  await c.same('UNLINK', 's');
  await sameCount(c, 'UNLINK of a stream with 25 groups');
  await c.same('CONFIG', 'SET', 'stream-node-max-entries', '100');
});

test('expired keys count under lazyfree-lazy-expire; CONFIG RESETSTAT zeroes the counter', async ({ c }) => {
  await c.same('CONFIG', 'RESETSTAT');
  await c.same('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
  await c.same('CONFIG', 'SET', 'lazyfree-lazy-expire', 'yes');
  await c.same('SADD', 'k', ...Array.from({ length: 100 }, (_, i) => `m${i}`));
  await c.same('PEXPIRE', 'k', '5');
  await sleep(30);
  await c.same('EXISTS', 'k');
  await sameCount(c, 'expiry with lazyfree-lazy-expire');
  assert.is((await lazyfreed(c))[1], 1);
  await c.same('CONFIG', 'RESETSTAT');
  await sameCount(c, 'CONFIG RESETSTAT');
  await c.same('CONFIG', 'SET', 'lazyfree-lazy-expire', 'no');
  await c.same('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
});

test('EXPIRE with a time in the past counts under lazyfree-lazy-expire', async ({ c }) => {
  await c.same('CONFIG', 'RESETSTAT');
  for (const lazy of ['no', 'yes']) {
    await c.same('CONFIG', 'SET', 'lazyfree-lazy-expire', lazy);
    await c.same('SADD', 'k', ...Array.from({ length: 100 }, (_, i) => `m${i}`));
    await c.same('EXPIRE', 'k', '-1');
    await c.same('EXISTS', 'k');
    await sameCount(c, `EXPIRE in the past, lazyfree-lazy-expire ${lazy}`);
  }
  assert.is((await lazyfreed(c))[1], 1);
  await c.same('CONFIG', 'SET', 'lazyfree-lazy-expire', 'no');
});

test('overwrites and server-side deletions count under lazyfree-lazy-server-del', async ({ c }) => {
  // Past the listpack limits (128), so that hashes and sorted sets are hashtables and skiplists.
  const big = (cmd: string, key: string, n = 150) => {
    const m = Array.from({ length: n }, (_, i) => `m${i}`);
    if (cmd === 'HSET') return c.same('HSET', key, ...m.flatMap((f) => [f, 'v']));
    if (cmd === 'ZADD') return c.same('ZADD', key, ...m.flatMap((x, i) => [String(i), x]));
    return c.same(cmd, key, ...m);
  };
  const dump = await c.redis.call('DUMP', 'nokey');
  assert.is(dump, null);
  await c.same('CONFIG', 'RESETSTAT');
  for (const lazy of ['no', 'yes']) {
    await c.same('CONFIG', 'SET', 'lazyfree-lazy-server-del', lazy);
    // SET and the other setKey paths replace the old value (dbOverwrite).
    await big('HSET', 'h');
    await c.same('SET', 'h', 'x');
    await sameCount(c, `SET over a big hash, server-del ${lazy}`);
    await big('SADD', 'a');
    await big('SADD', 'b', 170);
    await big('SADD', 'dst');
    await c.same('SUNIONSTORE', 'dst', 'a', 'b');
    await sameCount(c, `SUNIONSTORE over a big set, server-del ${lazy}`);
    // A *STORE with an empty result deletes the destination (dbDelete).
    await c.same('SINTERSTORE', 'dst', 'a', 'nokey');
    await sameCount(c, `SINTERSTORE of nothing over a big set, server-del ${lazy}`);
    await big('ZADD', 'z');
    await c.same('ZRANGESTORE', 'z', 'nokey', '0', '-1');
    await sameCount(c, `ZRANGESTORE of nothing over a big zset, server-del ${lazy}`);
    // RENAME's and COPY REPLACE's targets.
    await big('ZADD', 'z');
    await c.same('RENAME', 'a', 'z');
    await sameCount(c, `RENAME onto a big zset, server-del ${lazy}`);
    await big('HSET', 'h2');
    await c.same('COPY', 'b', 'h2', 'REPLACE');
    await sameCount(c, `COPY REPLACE onto a big hash, server-del ${lazy}`);
    // SUNION and SDIFF build their result as a set, freed like a deleted one.
    await big('SADD', 'a', 120);
    await c.sameUnordered('SUNION', 'a', 'b');
    await c.sameUnordered('SDIFF', 'b', 'nokey');
    await c.sameUnordered('SDIFF', 'b', 'a');
    await c.sameUnordered('SUNION', 'a', 'nokey');
    await sameCount(c, `SUNION and SDIFF, server-del ${lazy}`);
    // SPOP of most of a set keeps the rest in a new set and drops the old one (dbOverwrite).
    await big('SADD', 'p', 170);
    const popped = await Promise.all([c.redis.call('SPOP', 'p', '150'), c.echo.call('SPOP', 'p', '150')]);
    assert.equal(popped.map((r) => (r as string[]).length), [150, 150]);
    await c.same('SCARD', 'p');
    await sameCount(c, `SPOP of most of a big set, server-del ${lazy}`);
    // SPOP of the whole set replies with such a union, then deletes the key with the set in it.
    await c.sameUnordered('SPOP', 'b', '500');
    await sameCount(c, `SPOP of a whole big set, server-del ${lazy}`);
    // RESTORE REPLACE.
    await c.same('SET', 'small', 'v');
    const payload = await c.redis.call('DUMP', 'small');
    await big('SADD', 'r');
    await c.same('RESTORE', 'r', '0', payload as string, 'REPLACE');
    await sameCount(c, `RESTORE REPLACE over a big set, server-del ${lazy}`);
    // Emptying a collection element by element frees nothing big.
    await big('SADD', 'e', 70);
    for (let i = 0; i < 70; i++) await c.same('SREM', 'e', `m${i}`);
    await sameCount(c, `SREM of every member, server-del ${lazy}`);
    await c.same('FLUSHALL');
  }
  // Each step above was compared; this shows the steps did make redis-server count.
  assert.ok((await lazyfreed(c))[1] >= 8);
  await c.same('CONFIG', 'SET', 'lazyfree-lazy-server-del', 'no');
});

test.run();
