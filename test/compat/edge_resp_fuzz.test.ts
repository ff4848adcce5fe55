// Protocol-level cases found by a mutation fuzz of request streams (multibulk and inline, split
// across writes, half-closed) against redis-server 7.0: the same bytes go to both servers on
// fresh sockets, and the reply bytes and whether the connection was closed must match.
import * as assert from 'uvu/assert';
import { compatSuite, show } from './_compat.ts';
import { type Exchange, exchange, toBytes } from './_exchange.ts';
import { RequestParser } from '../../core/resp/parser.ts';

/** Each input on its own sockets, all at once; asserts the same bytes and the same close. */
async function sameAll(ports: { redisPort: number; echoPort: number }, inputs: string[],
  opts: { halfClose?: boolean; quietMs?: number } = {}): Promise<Exchange[]> {
  return await Promise.all(inputs.map(async (input) => {
    const [r, e] = await Promise.all([
      exchange(ports.redisPort, [input], opts),
      exchange(ports.echoPort, [input], opts),
    ]);
    const what = show(input.length > 80 ? input.slice(0, 80) + '...' : input);
    assert.is(show(e.bytes), show(r.bytes), `replies to ${what}`);
    assert.is(e.closed, r.closed, `connection closed after ${what}`);
    return r;
  }));
}

const test = compatSuite('edge resp fuzz');

test('a multibulk count is a signed 64-bit integer: any negative one is an empty command', async (ctx) => {
  const [min, , , past] = await sameAll(ctx, [
    '*-9223372036854775808\r\nPING\r\n',
    '*-92233720368547808\r\n*1\r\n$4\r\nPING\r\n',
    '*-9007199254740993\r\nPING\r\n',
    '*-9223372036854775809\r\nPING\r\n',
    '*-9999999999999999999\r\nPING\r\n',
    '*-10000000000000000000\r\nPING\r\n',
    '*9223372036854775807\r\nPING\r\n',
    '*9223372036854775808\r\nPING\r\n',
    '*1\r\n$-9223372036854775808\r\n',
    '*1\r\n$9223372036854775807\r\n',
  ]);
  assert.is(min.bytes, '+PONG\r\n');
  assert.is(past.bytes, '-ERR Protocol error: invalid multibulk length\r\n');
});

test('a bulk up to proto-max-bulk-len is waited for, even past the longest JS string', async (ctx) => {
  // 2^29 - 24 is the longest string V8 holds; Redis accepts the header up to 512 MB and waits.
  const [exact] = await sameAll(ctx, [
    '*1\r\n$536870912\r\n',
    'PING\r\n*2\r\n$4\r\nECHO\r\n$536870889\r\n' + 'x'.repeat(40000),
    '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$536870900\r\nabc',
    '*1\r\n$536870913\r\n',
  ], { quietMs: 400 });
  assert.is(exact.closed, false);
});

test('a bulk too long for a JS string is read without keeping it, then refused', () => {
  // Sending 512 MB to both servers would take seconds: echokv's parser alone, fed the same
  // 1 MB chunk 512 times (Redis would run the command; no reply here can match that).
  const MB = 1024 * 1024;
  const p = new RequestParser({ maxBulkLen: 512 * MB, maxQueryBuffer: 1024 * MB });
  p.push(toBytes('*2\r\n$4\r\nECHO\r\n$536870912\r\n'));
  assert.is(p.next(), null);
  const chunk = new Uint8Array(MB).fill(97);
  for (let i = 0; i < 512; i++) {
    p.push(chunk);
    assert.is(p.next(), null);
    assert.is(p.error, null);
  }
  // Received bytes still count against client-query-buffer-limit.
  assert.is(p.pending, 512 * MB + 4 + 16);
  p.push(toBytes('\r\nPING\r\n'));
  assert.is(p.next(), null);
  assert.is(p.error, 'Protocol error: invalid bulk length');
  // With a lower query buffer limit the client is cut off on the way, as Redis does.
  const q = new RequestParser({ maxBulkLen: 512 * MB, maxQueryBuffer: 100 * MB });
  q.push(toBytes('*1\r\n$536870912\r\n'));
  for (let i = 0; i < 101 && !q.overflow; i++) q.push(chunk);
  assert.ok(q.overflow);
});

test('half-closed after the request: replies first, then the close', async (ctx) => {
  const [pipe] = await sameAll(ctx, [
    'PING\r\n'.repeat(500) + '*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n',
    'BLPOP edge:nolist 0\r\n',
    '*2\r\n$4\r\nECHO\r\n$100000\r\n' + 'x'.repeat(50000),
    '*3\r\n$3\r\nSET\r\n$1\r\nk',
    'ECHO "unterminated\r\n',
    'HELLO 3\r\nPING\r\n*1\r\n$x\r\n',
  ], { halfClose: true, quietMs: 600 });
  assert.is(pipe.bytes, '+PONG\r\n'.repeat(500) + '$2\r\nhi\r\n');
  assert.ok(pipe.closed);
});

test.run();
