// Edge cases of the string, bitmap and generic key commands found by a differential run against
// redis-server 7.0 (every option, order, arity, limit and wrong type): each test pins one reply
// that once differed, compared byte for byte, in RESP2 and RESP3.
import * as assert from 'uvu/assert';
import { compatSuite } from './_compat.ts';

const test = compatSuite('edge strings and keys');

const INT64_MAX = '9223372036854775807';

test('BITCOUNT answers an empty negative range before it checks the unit', async ({ c }) => {
  await c.same('SET', 'k', 'foobar');
  // RESP3 last, then back to RESP2 for the next test (HELLO's client ids differ).
  for (const proto of ['2', '3', '2']) {
    await c.both('HELLO', proto);
    await c.all([
      // start > end, both negative: 0 whatever the unit says.
      ['BITCOUNT', 'k', '-1', '-2', 'FOO'], ['BITCOUNT', 'k', '-1', '-9223372036854775808', 'bad'],
      ['BITCOUNT', 'k', '-2', '-1', 'FOO'], ['BITCOUNT', 'k', '1', '-2', 'FOO'], ['BITCOUNT', 'k', '-1', '-2', 'BIT'],
      ['BITCOUNT', 'k', 'x', '-2', 'FOO'], ['BITCOUNT', 'k', '-1', 'x', 'FOO'], ['BITCOUNT', 'nokey', '-1', '-2', 'FOO'],
    ]);
  }
});

test('OBJECT REFCOUNT: COPY of a shared integer is an object of its own', async ({ c }) => {
  await c.all([
    ['SET', 'n', '123'], ['COPY', 'n', 'copy'], ['OBJECT', 'REFCOUNT', 'n'], ['OBJECT', 'REFCOUNT', 'copy'],
    ['OBJECT', 'ENCODING', 'copy'], ['RENAME', 'copy', 'moved'], ['OBJECT', 'REFCOUNT', 'moved'],
    ['COPY', 'moved', 'again'], ['OBJECT', 'REFCOUNT', 'again'],
    // A new value is a new object: shared again.
    ['INCR', 'moved'], ['OBJECT', 'REFCOUNT', 'moved'], ['SET', 'again', '7'], ['OBJECT', 'REFCOUNT', 'again'],
    ['SET', 'big', '10000'], ['COPY', 'big', 'bigcopy'], ['OBJECT', 'REFCOUNT', 'bigcopy'],
    ['SET', 's', 'str'], ['COPY', 's', 'scopy'], ['OBJECT', 'REFCOUNT', 'scopy'],
    ['COPY', 'n', 'other', 'DB', '1'], ['SELECT', '1'], ['OBJECT', 'REFCOUNT', 'other'], ['SELECT', '0'],
  ]);
});

test('PEXPIRETIME, EXPIRETIME and TTL of a time at INT64_MAX stay within 64 bits', async ({ c }) => {
  await c.all([
    ['SET', 'k', 'v'], ['PEXPIREAT', 'k', INT64_MAX], ['PEXPIRETIME', 'k'], ['EXPIRETIME', 'k'],
    ['SET', 'k2', 'v', 'PXAT', INT64_MAX], ['PEXPIRETIME', 'k2'], ['EXPIRETIME', 'k2'],
    ['SET', 'k3', 'v'], ['PEXPIREAT', 'k3', '9223372036854775000'], ['PEXPIRETIME', 'k3'], ['EXPIRETIME', 'k3'],
    ['COPY', 'k', 'k4'], ['PEXPIRETIME', 'k4'],
  ]);
  // The remaining time depends on the clock: both must be valid 64-bit integers, a few seconds apart.
  for (const cmd of ['PTTL', 'TTL']) {
    const [r, e] = await c.both(cmd, 'k');
    const rv = BigInt(r.bytes.slice(1, -2));
    const ev = BigInt(e.bytes.slice(1, -2));
    assert.ok(ev <= BigInt(INT64_MAX), `${cmd} fits in 64 bits: ${ev}`);
    const diff = rv > ev ? rv - ev : ev - rv;
    assert.ok(diff <= (cmd === 'PTTL' ? 5000n : 5n), `${cmd}: redis ${rv}, echokv ${ev}`);
  }
});

test('RESTORE with a relative TTL that overflows 64 bits: already expired, no key', async ({ c }) => {
  await c.same('SET', 'src', 'value');
  // Each server restores its own DUMP (the payloads are the same bytes in Redis 7.0's format).
  const [r, e] = await c.both('DUMP', 'src');
  const dumps = [r.reply, e.reply].map((x) => x.type === 'bulk' ? x.value : null);
  assert.ok(dumps[0] !== null && dumps[1] !== null);
  const [r1, e1] = await Promise.all([
    c.redis.callRaw('RESTORE', 'dst', INT64_MAX, dumps[0]!),
    c.echo.callRaw('RESTORE', 'dst', INT64_MAX, dumps[1]!),
  ]);
  assert.is(e1.bytes, r1.bytes);
  await c.all([['EXISTS', 'dst'], ['PTTL', 'dst']]);
  // A TTL that fits stays relative.
  const [r2, e2] = await Promise.all([
    c.redis.callRaw('RESTORE', 'dst2', '100000', dumps[0]!),
    c.echo.callRaw('RESTORE', 'dst2', '100000', dumps[1]!),
  ]);
  assert.is(e2.bytes, r2.bytes);
  await c.all([['EXISTS', 'dst2'], ['TYPE', 'dst2']]);
});

test.run();
