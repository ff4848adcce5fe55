// HyperLogLog commands against a real redis-server: the replies and, above all, the value bytes
// (GET, DUMP), which must be Redis's exact representation (sparse and dense, the cached
// cardinality), through growth past hll-sparse-max-bytes, merges, corrupted values and errors;
// plus RESP3, what is propagated (read from Redis's AOF) and which keyspace events fire.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { compatSuite, propagationOf, sameKeyspaceEvents } from './_compat.ts';
import { prng } from '../_helpers.ts';

const test = compatSuite('hyperloglog');

/** `n` distinct elements from `from`, as PFADD arguments. */
function elems(from: number, n: number, prefix = 'e'): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(`${prefix}${from + i}`);
  return out;
}

/** A 16-byte header: "HYLL", encoding, 3 unused bytes, 8 cache bytes. */
function header(enc: number, card: number[] = [0, 0, 0, 0, 0, 0, 0, 0]): string {
  return 'HYLL' + String.fromCharCode(enc, 0, 0, 0, ...card);
}

/** A dense body with every register at `v`. */
function denseBody(v: number): string {
  const b = new Uint8Array(12288);
  for (let i = 0; i < 16384; i++) {
    const bit = i * 6;
    const at = bit >> 3;
    const fb = bit & 7;
    b[at] |= (v << fb) & 0xff;
    if (fb > 2) b[at + 1] |= v >> (8 - fb);
  }
  return String.fromCharCode(...b);
}

test('PFADD creates a sparse value; GET shows the same bytes before and after PFCOUNT', async ({ c }) => {
  await c.all([
    ['PFADD', 'h'], ['GET', 'h'], ['PFCOUNT', 'h'], ['GET', 'h'], ['PFADD', 'h'], ['GET', 'h'],
    ['PFADD', 'h', 'a', 'b', 'c'], ['GET', 'h'], ['PFADD', 'h', 'a'], ['GET', 'h'], ['PFCOUNT', 'h'], ['GET', 'h'],
    ['PFADD', 'h', 'a', 'd'], ['GET', 'h'], ['PFCOUNT', 'h'], ['PFCOUNT', 'h'], ['GET', 'h'],
    ['PFADD', 'bin', '', 'a\x00b', '\xff\xfe', 'x'.repeat(7), 'y'.repeat(8), 'z'.repeat(9), 'w'.repeat(1000)],
    ['GET', 'bin'], ['PFCOUNT', 'bin'], ['GET', 'bin'], ['PFDEBUG', 'DECODE', 'bin'],
    ['PFCOUNT', 'missing'], ['PFADD', 'h2', 'x'], ['PFDEBUG', 'ENCODING', 'h2'], ['OBJECT', 'ENCODING', 'h2'],
    ['STRLEN', 'h2'], ['TYPE', 'h2'], ['pfadd', 'h2', 'Y'], ['pFcOuNt', 'h2'],
  ]);
});

test('elements of every tail length and all byte values hash as in Redis', async ({ c }) => {
  for (let len = 0; len <= 40; len++) {
    let e = '';
    for (let i = 0; i < len; i++) e += String.fromCharCode((len * 37 + i * 101) & 0xff);
    await c.same('PFADD', `t${len % 4}`, e, e + '\xff', '\x80' + e);
  }
  for (let b = 0; b < 256; b += 8) {
    const batch: string[] = [];
    for (let i = b; i < b + 8; i++) batch.push(String.fromCharCode(i), String.fromCharCode(i).repeat(9));
    await c.same('PFADD', 'bytes', ...batch);
  }
  await c.all([['GET', 't0'], ['GET', 't1'], ['GET', 't2'], ['GET', 't3'], ['GET', 'bytes'], ['PFCOUNT', 'bytes']]);
});

test('sparse values grow byte for byte like Redis and turn dense past hll-sparse-max-bytes', async ({ c }) => {
  let dense = false;
  for (let i = 0; i < 4000 && !dense; i += 25) {
    await c.same('PFADD', 'h', ...elems(i, 25));
    await c.same('GET', 'h');
    if (i % 100 === 0) {
      await c.same('PFCOUNT', 'h');
      await c.same('GET', 'h');
      await c.same('PFDEBUG', 'DECODE', 'h');
    }
    dense = (await c.same('PFDEBUG', 'ENCODING', 'h')) === 'dense';
  }
  assert.ok(dense, 'the value turned dense');
  await c.all([['PFCOUNT', 'h'], ['GET', 'h'], ['PFDEBUG', 'DECODE', 'h'], ['STRLEN', 'h']]);
  // One element at a time over a small range, to hit every split and merge of opcodes.
  for (let i = 0; i < 300; i++) {
    await c.same('PFADD', 's', `one-${i}`);
    await c.same('GET', 's');
  }
});

test('PFCOUNT of 1..50000 added in batches', async ({ c }) => {
  for (let i = 1; i <= 50000; i += 1000) {
    const batch: string[] = [];
    for (let j = i; j < i + 1000; j++) batch.push(String(j));
    await c.same('PFADD', 'big', ...batch);
    await c.same('PFCOUNT', 'big');
    if (i % 10000 === 1) await c.same('GET', 'big');
  }
  await c.all([['GET', 'big'], ['PFDEBUG', 'GETREG', 'big'], ['DUMP', 'big']]);
});

test('hll-sparse-max-bytes decides when values turn dense', async ({ c }) => {
  for (const limit of ['0', '30', '100', '3000', '20000']) {
    await c.all([['CONFIG', 'SET', 'hll-sparse-max-bytes', limit], ['CONFIG', 'GET', 'hll-sparse-max-bytes']]);
    await c.same('DEL', 'h');
    for (let i = 0; i < 3000; i += 100) {
      await c.same('PFADD', 'h', ...elems(i, 100, limit));
      await c.all([['PFDEBUG', 'ENCODING', 'h'], ['GET', 'h'], ['PFCOUNT', 'h']]);
    }
  }
  await c.all([['CONFIG', 'SET', 'hll-sparse-max-bytes', '3000']]);
});

test('PFCOUNT of several keys is the union and changes none of them', async ({ c }) => {
  await c.all([
    ['PFADD', 'a', ...elems(0, 100)], ['PFADD', 'b', ...elems(50, 100)], ['PFADD', 'd', ...elems(0, 5000)],
    ['PFCOUNT', 'a', 'b'], ['GET', 'a'], ['GET', 'b'], ['PFCOUNT', 'a', 'missing'], ['PFCOUNT', 'missing', 'x'],
    ['PFCOUNT', 'a', 'a'], ['PFCOUNT', 'a', 'b', 'd'], ['GET', 'd'], ['PFCOUNT', 'd', 'a'],
    ['PFCOUNT', 'a'], ['GET', 'a'], ['PFCOUNT', 'a', 'b'], ['GET', 'a'],
  ]);
});

test('PFMERGE: sparse and dense inputs, missing keys, existing destinations', async ({ c }) => {
  await c.all([
    ['PFADD', 'a', ...elems(0, 100)], ['PFADD', 'b', ...elems(50, 100)], ['PFADD', 'd', ...elems(0, 5000)],
    ['PFMERGE', 'm1', 'a', 'b'], ['GET', 'm1'], ['PFCOUNT', 'm1'], ['GET', 'm1'],
    ['PFMERGE', 'm2', 'a', 'd'], ['GET', 'm2'], ['PFDEBUG', 'ENCODING', 'm2'], ['PFCOUNT', 'm2'],
    ['PFMERGE', 'm3'], ['GET', 'm3'], ['PFMERGE', 'm4', 'missing'], ['GET', 'm4'],
    ['PFMERGE', 'a', 'b'], ['GET', 'a'], ['PFMERGE', 'a', 'd'], ['GET', 'a'], ['PFMERGE', 'd', 'b'], ['GET', 'd'],
    ['PFMERGE', 'b', 'b'], ['GET', 'b'], ['PFCOUNT', 'b'], ['PFMERGE', 'b'], ['GET', 'b'],
  ]);
  // A sparse union that grows past the sparse limit while being written.
  await c.all([
    ['PFADD', 's1', ...elems(0, 1000, 'p')], ['PFADD', 's2', ...elems(1000, 1000, 'p')],
    ['PFDEBUG', 'ENCODING', 's1'], ['PFDEBUG', 'ENCODING', 's2'], ['PFMERGE', 's3', 's1', 's2'],
    ['PFDEBUG', 'ENCODING', 's3'], ['GET', 's3'], ['PFCOUNT', 's3'],
  ]);
});

test('PFDEBUG GETREG, DECODE, ENCODING, TODENSE and its errors', async ({ c }) => {
  await c.all([
    ['PFADD', 'h', ...elems(0, 30)], ['PFDEBUG', 'DECODE', 'h'], ['PFDEBUG', 'ENCODING', 'h'],
    ['PFDEBUG', 'GETREG', 'h'], ['PFDEBUG', 'ENCODING', 'h'], ['GET', 'h'], ['PFDEBUG', 'DECODE', 'h'],
    ['PFADD', 'g', 'x'], ['PFDEBUG', 'TODENSE', 'g'], ['PFDEBUG', 'TODENSE', 'g'], ['GET', 'g'],
    ['PFDEBUG', 'todense', 'g'], ['PFDEBUG', 'encoding', 'g'], ['PFDEBUG', 'Decode', 'g'],
    ['PFDEBUG', 'NOPE', 'g'], ['PFDEBUG', 'NO\x00PE', 'g'], ['PFDEBUG', 'GETREG\x00x', 'g'],
    ['PFDEBUG', 'GETREG', 'missing'], ['PFDEBUG', 'NOPE', 'missing'], ['PFDEBUG', 'GETREG'],
    ['PFDEBUG', 'GETREG', 'g', 'x'], ['SET', 's', 'plain'], ['PFDEBUG', 'NOPE', 's'], ['PFDEBUG', 'ENCODING', 's'],
    ['PFADD', 'e'], ['PFDEBUG', 'DECODE', 'e'],
  ]);
});

test('wrong types and corrupted values: WRONGTYPE and INVALIDOBJ as Redis replies them', async ({ c }) => {
  const values: string[] = [
    'plain', '', '12345', 'HYLL', header(1).slice(0, 15), 'HYLX' + header(1).slice(4) + '\x7f\xff',
    header(2) + '\x7f\xff', header(255), header(0), header(0) + denseBody(1) + 'x',
    // Sparse bodies: empty, too short, too long, a VAL past the end, a lone XZERO byte.
    header(1), header(1) + '\x7f\xfe', header(1) + '\x7f\xff\x00', header(1) + '\x7f\xfe\x83', header(1) + '\x7f',
    header(1) + '\x7f\xfc\x80\x80\x80\x80', header(1) + '\x7f\xfd\x80\x80\x80\x80',
    // Valid by hand: every register through VAL opcodes of the largest value, a valid cache.
    header(1, [5, 0, 0, 0, 0, 0, 0, 0]) + '\x7f\xff', header(1, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]) + '\x7f\xff',
    header(1, [1, 2, 3, 4, 5, 6, 7, 0x80]) + '\xfc'.repeat(4096),
    header(0) + denseBody(0), header(0) + denseBody(5), header(0) + denseBody(50), header(0) + denseBody(51),
    header(0) + denseBody(52), header(0) + denseBody(63),
    header(0, [0, 0, 0, 0, 0, 0, 0, 0x80]) + denseBody(63),
  ];
  for (const v of values) {
    await c.all([
      ['SET', 'k', v], ['PFCOUNT', 'k'], ['GET', 'k'], ['PFCOUNT', 'k', 'k'], ['PFMERGE', 'm', 'k'], ['GET', 'm'],
      ['PFMERGE', 'k', 'm'], ['GET', 'k'], ['PFADD', 'k', 'a', 'b', 'c'], ['GET', 'k'], ['PFDEBUG', 'ENCODING', 'k'],
      ['PFDEBUG', 'DECODE', 'k'], ['PFDEBUG', 'TODENSE', 'k'], ['GET', 'k'], ['PFCOUNT', 'k'],
      ['SET', 'k', v], ['PFDEBUG', 'GETREG', 'k'], ['DEL', 'k', 'm'],
    ]);
  }
  await c.all([
    ['RPUSH', 'l', 'x'], ['PFADD', 'l', 'a'], ['PFCOUNT', 'l'], ['PFCOUNT', 'l', 'x'], ['PFMERGE', 'l', 'x'],
    ['PFMERGE', 'x', 'l'], ['EXISTS', 'x'], ['PFDEBUG', 'GETREG', 'l'], ['SET', 'n', '123'], ['PFADD', 'n', 'a'],
    ['PFADD'], ['PFCOUNT'], ['PFMERGE'], ['PFDEBUG', 'x'], ['PFSELFTEST', 'x'],
  ]);
});

test('random sparse bodies, valid and corrupted, behave as in Redis', async ({ c }) => {
  const rnd = prng(7);
  for (let n = 0; n < 150; n++) {
    // Opcodes covering about 16384 registers; a third end exactly there.
    let body = '';
    let regs = 0;
    const target = 16384 + (n % 3 === 0 ? 0 : Math.floor(rnd() * 9) - 4);
    while (regs < target) {
      const left = target - regs;
      const kind = rnd();
      if (kind < 0.4) {
        const len = 1 + Math.floor(rnd() * Math.min(4, left));
        body += String.fromCharCode(0x80 | (Math.floor(rnd() * 32) << 2) | (len - 1));
        regs += len;
      } else if (kind < 0.7) {
        const len = 1 + Math.floor(rnd() * Math.min(64, left));
        body += String.fromCharCode(len - 1);
        regs += len;
      } else {
        const len = 1 + Math.floor(rnd() * Math.min(3000, left));
        body += String.fromCharCode(0x40 | ((len - 1) >> 8), (len - 1) & 0xff);
        regs += len;
      }
    }
    if (n % 5 === 1) body += '\x80';
    const v = header(1, [0, 0, 0, 0, 0, 0, 0, n % 2 ? 0x80 : 0]) + body;
    await c.all([
      ['SET', 'k', v], ['PFCOUNT', 'k'], ['PFCOUNT', 'k', 'k'], ['PFMERGE', 'm', 'k'], ['GET', 'm'],
      ['PFADD', 'k', `x${n}`, `y${n}`, `z${n}`], ['GET', 'k'], ['PFDEBUG', 'TODENSE', 'k'], ['GET', 'k'],
      ['DEL', 'm'],
    ]);
  }
});

test('HyperLogLogs set with SET (embstr) become raw when edited, as Redis unshares them', async ({ c }) => {
  await c.all([
    ['PFADD', 'h', 'a', 'b'], ['PFCOUNT', 'h'], ['GET', 'h'],
  ]);
  const v = await c.redis.call('GET', 'h') as string;
  await c.all([
    ['SET', 'k', v], ['OBJECT', 'ENCODING', 'k'], ['PFCOUNT', 'k', 'k'], ['OBJECT', 'ENCODING', 'k'],
    ['PFCOUNT', 'k'], ['OBJECT', 'ENCODING', 'k'], ['SET', 'k', v], ['PFADD', 'k', 'a'], ['OBJECT', 'ENCODING', 'k'],
    ['SET', 'k', v], ['PFMERGE', 'z', 'k'], ['OBJECT', 'ENCODING', 'k'], ['OBJECT', 'ENCODING', 'z'],
    ['SET', 'k', v], ['PFDEBUG', 'ENCODING', 'k'], ['OBJECT', 'ENCODING', 'k'], ['APPEND', 'k', 'x'], ['PFCOUNT', 'k'],
  ]);
});

test('DUMP payloads and RESTORE of HyperLogLogs', async ({ c }) => {
  await c.all([
    ['PFADD', 's', ...elems(0, 50)], ['DUMP', 's'], ['PFCOUNT', 's'], ['DUMP', 's'],
    ['PFADD', 'd', ...elems(0, 5000)], ['DUMP', 'd'], ['PFCOUNT', 'd'], ['DUMP', 'd'],
  ]);
  for (const key of ['s', 'd']) {
    const payload = await c.redis.call('DUMP', key) as string;
    await c.all([['RESTORE', key + 'r', '0', payload], ['GET', key + 'r'], ['PFCOUNT', key + 'r'],
      ['PFADD', key + 'r', 'new'], ['GET', key + 'r']]);
  }
});

test('RESP3 replies', async ({ c }) => {
  // HELLO's reply carries the client id, which differs between the servers.
  await c.redis.call('HELLO', '3');
  await c.echo.call('HELLO', '3');
  await c.all([
    ['PFADD', 'h', 'a', 'b'], ['PFCOUNT', 'h'], ['PFCOUNT', 'h', 'x'], ['PFMERGE', 'm', 'h'],
    ['PFDEBUG', 'ENCODING', 'h'], ['PFDEBUG', 'DECODE', 'h'], ['PFDEBUG', 'GETREG', 'h'], ['PFDEBUG', 'NOPE', 'h'],
    ['SET', 's', 'x'], ['PFADD', 's', 'a'], ['GET', 'h'],
  ]);
  await c.redis.call('HELLO', '2');
  await c.echo.call('HELLO', '2');
});

test('PFSELFTEST passes; COMMAND INFO and GETKEYS', async ({ c }) => {
  await c.all([
    ['PFSELFTEST'], ['COMMAND', 'INFO', 'pfadd', 'pfcount', 'pfmerge', 'pfdebug', 'pfselftest'],
    ['COMMAND', 'GETKEYS', 'PFMERGE', 'a', 'b', 'c'], ['COMMAND', 'GETKEYS', 'PFCOUNT', 'a', 'b'],
    ['COMMAND', 'GETKEYS', 'PFDEBUG', 'GETREG', 'k'], ['COMMAND', 'GETKEYSANDFLAGS', 'PFMERGE', 'a', 'b', 'c'],
  ]);
});

test('MULTI/EXEC and WATCH: PFCOUNT filling the cache touches the key', async (ctx) => {
  const { c } = ctx;
  const other = await ctx.connect();
  await c.all([['PFADD', 'h', 'a'], ['WATCH', 'h']]);
  await other.all([['PFCOUNT', 'h']]);
  await c.all([['MULTI'], ['PFADD', 'h', 'b'], ['EXEC']]);
  await c.all([['WATCH', 'h']]);
  await other.all([['PFCOUNT', 'h']]);
  await c.all([['MULTI'], ['PFCOUNT', 'h'], ['EXEC'], ['WATCH', 'h']]);
  await other.all([['PFDEBUG', 'TODENSE', 'h'], ['PFADD', 'h', 'b']]);
  await c.all([['MULTI'], ['PFCOUNT', 'h'], ['EXEC']]);
});

test.run();

// ---------------------------------------------------------------------------------------------
// RDB: echokv saves and loads HyperLogLogs as the strings they are.

const rdb = compatSuite('hyperloglog rdb', {}, { rdb: true });

rdb('DEBUG RELOAD keeps sparse and dense values and their caches byte for byte', async ({ c }) => {
  await c.all([
    ['PFADD', 's', ...elems(0, 40)], ['PFADD', 'd', ...elems(0, 4000)], ['PFCOUNT', 'd'], ['PFADD', 'e'],
    ['DEBUG', 'RELOAD'], ['GET', 's'], ['GET', 'd'], ['GET', 'e'], ['PFCOUNT', 's'], ['PFCOUNT', 'd'],
    ['PFADD', 's', 'more'], ['GET', 's'], ['OBJECT', 'ENCODING', 's'], ['OBJECT', 'ENCODING', 'd'],
  ]);
});

rdb.run();

// ---------------------------------------------------------------------------------------------
// Propagation and keyspace events against Redis's AOF and pub/sub.

const prop = suite('compat: hyperloglog propagation and events');

const SCRIPT: string[][] = [
  ['PFADD', 'h', 'a', 'b'], ['PFADD', 'h', 'a'], ['PFCOUNT', 'h'], ['PFCOUNT', 'h'], ['PFADD', 'h', 'c'],
  ['PFCOUNT', 'h', 'x'], ['PFCOUNT', 'h'], ['PFADD', 'g'], ['PFADD', 'g'], ['PFMERGE', 'm', 'h', 'g'],
  ['PFMERGE', 'm'], ['PFDEBUG', 'ENCODING', 'm'], ['PFDEBUG', 'TODENSE', 'm'], ['PFDEBUG', 'TODENSE', 'm'],
  ['PFDEBUG', 'GETREG', 'h'], ['PFDEBUG', 'GETREG', 'h'], ['PFDEBUG', 'DECODE', 'g'], ['PFCOUNT', 'missing'],
  ['SET', 's', 'x'], ['PFADD', 's', 'a'], ['PFCOUNT', 's'], ['PFMERGE', 'n', 's'], ['PFSELFTEST'],
];

prop('what is propagated is what Redis writes to its AOF', async () => {
  const got = await propagationOf(SCRIPT);
  if (got === null) return;
  assert.equal(got.echokv, got.redis);
});

prop('keyspace events are Redis\'s', async () => {
  await sameKeyspaceEvents(SCRIPT, ['$', 'g']);
});

prop.run();
