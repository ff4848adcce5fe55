// Client-side caching against redis-server: CLIENT TRACKING, CACHING, GETREDIR and TRACKINGINFO
// with their errors, and the invalidation messages several connections receive (RESP3 pushes,
// RESP2 redirection to __redis__:invalidate, BCAST prefixes, OPTIN/OPTOUT, NOLOOP, flushes,
// transactions, expiry, a broken redirect). Each step sends the same bytes to both servers and
// compares everything each connection received, byte for byte; client ids, which differ
// between the servers, are sent to each its own and masked in the comparison.
import * as assert from 'uvu/assert';
import { type Compat, compatSuite, show } from './_compat.ts';
import { RespClient, sleep } from '../_helpers.ts';
import { encodeCommand } from '../_resp.ts';

const test = compatSuite('client-side caching');

function enc(...args: string[]): string {
  const bytes = encodeCommand(args);
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

/** Sends the commands as one write to both, and compares all each connection received. */
async function run(c: Compat, ...cmds: string[][]): Promise<string> {
  return c.sameRaw(cmds.map((a) => enc(...a)).join(''), 150);
}

/** What a connection received since last read (PING marks the end of it). */
async function received(c: Compat): Promise<string> {
  return run(c, ['PING']);
}

async function ids(c: Compat): Promise<[string, string]> {
  return [String(await c.redis.call('CLIENT', 'ID')), String(await c.echo.call('CLIENT', 'ID'))];
}

/** Sends to each server the command with its own client id in place of `ID`. */
async function withIds(c: Compat, idOf: [string, string], ...args: string[]): Promise<[string, string]> {
  const [r, e] = await Promise.all([
    c.redis.callRaw(...args.map((a) => (a === 'ID' ? idOf[0] : a))),
    c.echo.callRaw(...args.map((a) => (a === 'ID' ? idOf[1] : a))),
  ]);
  return [r.bytes, e.bytes];
}

/** Compares replies in which integers equal to the client ids (`:id`) are masked. */
function sameMasked([r, e]: [string, string], [ridR, ridE]: [string, string], what: string): void {
  assert.is(show(e.split(`:${ridE}\r\n`).join(':<id>\r\n')), show(r.split(`:${ridR}\r\n`).join(':<id>\r\n')), what);
}

/** HELLO on both (its reply holds the connection's id, which differs). */
async function hello(c: Compat, proto: string): Promise<void> {
  await Promise.all([c.redis.call('HELLO', proto), c.echo.call('HELLO', proto)]);
}

for (const proto of ['2', '3']) {
  test(`CLIENT TRACKING / CACHING / GETREDIR / TRACKINGINFO replies and errors (RESP${proto})`, async ({ connect }) => {
    const c = await connect();
    await hello(c, proto);
    const steps: string[][] = [
      ['CLIENT', 'TRACKING'], ['CLIENT', 'TRACKING', 'maybe'], ['CLIENT', 'TRACKING', 'on', 'foo'],
      ['CLIENT', 'TRACKING', 'on', 'redirect', '999999'], ['CLIENT', 'TRACKING', 'on', 'redirect', 'abc'],
      ['CLIENT', 'TRACKING', 'on', 'redirect', '0'], ['CLIENT', 'TRACKING', 'on', 'redirect', '-5'],
      ['CLIENT', 'TRACKING', 'on', 'redirect'], ['CLIENT', 'TRACKING', 'on', 'prefix', 'a'],
      ['CLIENT', 'TRACKING', 'on', 'optin', 'optout'], ['CLIENT', 'TRACKING', 'on', 'bcast', 'optin'],
      ['CLIENT', 'TRACKING', 'on', 'BCAST', 'OPTOUT'], ['CLIENT', 'TRACKING', 'off', 'bogus'],
      ['CLIENT', 'CACHING', 'yes'], ['CLIENT', 'CACHING'], ['CLIENT', 'GETREDIR'], ['CLIENT', 'GETREDIR', 'x'],
      ['CLIENT', 'TRACKINGINFO'], ['CLIENT', 'TRACKINGINFO', 'x'],
      ['CLIENT', 'TRACKING', 'ON'], ['CLIENT', 'TRACKINGINFO'], ['CLIENT', 'GETREDIR'],
      ['CLIENT', 'CACHING', 'yes'], ['CLIENT', 'CACHING', 'no'], ['CLIENT', 'TRACKING', 'on', 'optin'],
      ['CLIENT', 'TRACKING', 'off'], ['CLIENT', 'TRACKING', 'off'],
      ['CLIENT', 'TRACKING', 'on', 'bcast', 'prefix', 'a', 'prefix', 'ab'],
      ['CLIENT', 'TRACKINGINFO'],
      ['CLIENT', 'TRACKING', 'on', 'bcast', 'prefix', 'x', 'prefix', '\xff\x00'], ['CLIENT', 'TRACKINGINFO'],
      ['CLIENT', 'TRACKING', 'on'], ['CLIENT', 'TRACKING', 'on', 'bcast', 'prefix', 'xy'],
      ['CLIENT', 'TRACKING', 'on', 'bcast'], ['CLIENT', 'TRACKINGINFO'],
      ['CLIENT', 'TRACKING', 'on', 'bcast', 'prefix', 'zz'], ['CLIENT', 'TRACKING', 'off'],
      // Redis replies with the error for a prefix overlapping a later one, and enables tracking
      // anyway when it was not the first (then OK as well).
      ['CLIENT', 'TRACKING', 'on', 'bcast', 'prefix', 'a', 'prefix', 'b', 'prefix', 'bc'], ['CLIENT', 'TRACKINGINFO'],
      ['CLIENT', 'TRACKING', 'off'], ['CLIENT', 'TRACKING', 'on', 'optin'], ['CLIENT', 'CACHING', 'maybe'],
      ['CLIENT', 'CACHING', 'no'], ['CLIENT', 'CACHING', 'YES'], ['CLIENT', 'TRACKINGINFO'], ['GET', 'k'],
      ['CLIENT', 'TRACKINGINFO'], ['CLIENT', 'TRACKING', 'on', 'optout'], ['CLIENT', 'TRACKING', 'off'],
      ['CLIENT', 'TRACKING', 'on', 'optout', 'noloop'], ['CLIENT', 'CACHING', 'yes'], ['CLIENT', 'CACHING', 'no'],
      ['CLIENT', 'TRACKINGINFO'], ['CLIENT', 'TRACKING', 'off'], ['CLIENT', 'TRACKINGINFO'],
      ['CLIENT', 'TRACKING', 'on', 'noloop', 'bcast'], ['CLIENT', 'TRACKINGINFO'], ['RESET'],
      ['CLIENT', 'TRACKINGINFO'], ['CLIENT', 'GETREDIR'],
    ];
    // The step that gets two replies is compared on everything received.
    for (const s of steps) {
      if (s.includes('bc')) await run(c, s);
      else await c.same(...s);
    }
  });
}

test('RESP3: keys read are invalidated once, after the writer\'s reply, by any client', async ({ connect }) => {
  const c = await connect();
  const b = await connect();
  await hello(c, '3');
  await run(c, ['CLIENT', 'TRACKING', 'on'], ['GET', 'k'], ['MGET', 'k2', '\xff\x00'], ['HGET', 'h', 'f']);
  await run(b, ['SET', 'k', 'v'], ['SET', 'k', 'again'], ['MSET', 'k2', '1', '\xff\x00', '2'], ['HSET', 'h', 'f', '1']);
  assert.ok((await received(c)).includes('>2\r\n$10\r\ninvalidate\r\n*1\r\n$2\r\n\xff\x00\r\n'));
  // Its own writes: the invalidation follows the reply; pipelined, each after its command.
  await run(c, ['GET', 'k'], ['SET', 'k', 'mine'], ['GET', 'k'], ['INCR', 'n'], ['GET', 'n'], ['DEL', 'k', 'n']);
  // Only read-only commands remember keys (INCR did not, GET did).
  await run(c, ['GET', 'k'], ['GET', 'n'], ['SET', 'x', '1'], ['EXISTS', 'x'], ['TTL', 'x']);
  await run(b, ['SET', 'k', '1'], ['SET', 'n', '1'], ['EXPIRE', 'x', '100']);
  await received(c);
  // A transaction: the invalidations after EXEC's reply.
  await run(c, ['GET', 'a'], ['GET', 'b'], ['MULTI'], ['SET', 'a', '1'], ['GET', 'c'], ['SET', 'b', '2'], ['EXEC']);
  await run(b, ['SET', 'c', '1']);
  await received(c);
  // Read, then off: no message; on again: keys remembered before still count.
  await run(c, ['GET', 'p'], ['GET', 'q'], ['CLIENT', 'TRACKING', 'off']);
  await run(b, ['SET', 'p', '1']);
  await run(c, ['CLIENT', 'TRACKING', 'on']);
  await run(b, ['SET', 'p', '2'], ['SET', 'q', '2']);
  await received(c);
});

test('RESP3: FLUSHDB / FLUSHALL invalidate everything, once per command', async ({ connect }) => {
  const c = await connect();
  const b = await connect();
  const d = await connect();
  await hello(c, '3');
  await hello(d, '3');
  await run(c, ['CLIENT', 'TRACKING', 'on'], ['GET', 'k']);
  await run(d, ['CLIENT', 'TRACKING', 'on', 'bcast', 'prefix', 'z']);
  await run(b, ['FLUSHDB']);
  assert.ok((await received(c)).startsWith('>2\r\n$10\r\ninvalidate\r\n_\r\n+PONG'));
  await received(d);
  await run(b, ['SELECT', '3'], ['FLUSHALL'], ['SWAPDB', '0', '1']);
  await received(c);
  await received(d);
  // Its own flush: after the reply; the key read before is forgotten.
  await run(c, ['GET', 'k'], ['FLUSHALL'], ['SET', 'k', '1']);
  await run(c, ['GET', 'k'], ['MULTI'], ['FLUSHDB'], ['FLUSHDB'], ['EXEC']);
  await received(d);
});

test('OPTIN and OPTOUT: CLIENT CACHING covers the next command only, and MULTI until EXEC', async ({ connect }) => {
  const c = await connect();
  const b = await connect();
  await hello(c, '3');
  await run(c, ['CLIENT', 'TRACKING', 'on', 'optin'], ['GET', 'a'], ['CLIENT', 'CACHING', 'yes'], ['GET', 'b'], ['GET', 'c']);
  await run(c, ['CLIENT', 'CACHING', 'yes'], ['CLIENT', 'TRACKINGINFO'], ['GET', 'd']);
  await run(c, ['CLIENT', 'CACHING', 'yes'], ['MULTI'], ['GET', 'e'], ['GET', 'f'], ['EXEC'], ['GET', 'g']);
  // A refused command uses the flag up too, unless it is a CLIENT one.
  await run(c, ['CLIENT', 'CACHING', 'yes'], ['GET'], ['GET', 'h'], ['CLIENT', 'CACHING', 'yes'], ['NOSUCH'], ['GET', 'i'],
    ['CLIENT', 'CACHING', 'yes'], ['CLIENT', 'NOSUCH'], ['GET', 'j'], ['CLIENT', 'CACHING', 'yes'], ['CLIENT', 'CACHING'],
    ['GET', 'l']);
  await run(b, ['MSET', 'a', '1', 'b', '1', 'c', '1', 'd', '1', 'e', '1', 'f', '1', 'g', '1', 'h', '1', 'i', '1', 'j', '1', 'l', '1']);
  await received(c);
  await run(c, ['CLIENT', 'TRACKING', 'off'], ['CLIENT', 'TRACKING', 'on', 'optout'], ['GET', 'a'],
    ['CLIENT', 'CACHING', 'no'], ['GET', 'b'], ['GET', 'c']);
  await run(b, ['MSET', 'a', '2', 'b', '2', 'c', '2']);
  await received(c);
});

test('NOLOOP: changes the client makes itself are not reported to it', async ({ connect }) => {
  const c = await connect();
  const b = await connect();
  await hello(c, '3');
  await run(c, ['CLIENT', 'TRACKING', 'on', 'noloop'], ['GET', 'a'], ['GET', 'b'], ['SET', 'a', '1']);
  await run(b, ['SET', 'b', '1'], ['SET', 'a', '2']);
  await received(c);
});

test('BCAST: changes under the prefixes, per prefix in byte order, once per turn', async ({ connect }) => {
  const c = await connect();
  const b = await connect();
  const n = await connect();
  await hello(c, '3');
  await hello(n, '3');
  await run(c, ['CLIENT', 'TRACKING', 'on', 'bcast', 'prefix', 'user:', 'prefix', 'o', 'prefix', '\xff']);
  await run(n, ['CLIENT', 'TRACKING', 'on', 'bcast', 'noloop']);
  await run(b, ['SET', 'user:2', '1'], ['SET', 'user:1', '1'], ['SET', 'other', '1'], ['SET', 'x', '1'],
    ['SET', '\xff\x00', '1'], ['DEL', 'user:2'], ['SET', 'user:2', '2']);
  assert.ok((await received(c)).includes('*2\r\n$6\r\nuser:1\r\n$6\r\nuser:2\r\n'));
  await received(n);
  // NOLOOP in BCAST: keys the client changed last are left out of its message.
  await run(n, ['SET', 'user:1', '2'], ['SET', 'o1', '1']);
  await run(b, ['SET', 'o2', '1']);
  await received(c);
  await received(n);
  await run(n, ['SET', 'user:9', '1']);
  await received(n);
  await received(c);
  // Reads remember nothing in BCAST mode.
  await run(c, ['GET', 'zz']);
  await run(b, ['SET', 'zz', '1']);
  await received(c);
});

test('RESP2: invalidations go to a REDIRECT client subscribed to __redis__:invalidate', async ({ connect }) => {
  const c = await connect();
  const sub = await connect();
  const b = await connect();
  const r3 = await connect();
  const sid = await ids(sub);
  await run(sub, ['SUBSCRIBE', '__redis__:invalidate']);
  sameMasked(await withIds(c, sid, 'CLIENT', 'TRACKING', 'on', 'REDIRECT', 'ID'), sid, 'TRACKING ON REDIRECT');
  sameMasked(await withIds(c, sid, 'CLIENT', 'GETREDIR'), sid, 'GETREDIR');
  sameMasked(await withIds(c, sid, 'CLIENT', 'TRACKINGINFO'), sid, 'TRACKINGINFO');
  sameMasked(await withIds(c, sid, 'CLIENT', 'TRACKING', 'on', 'REDIRECT', 'ID', 'REDIRECT', 'ID'), sid, 'two REDIRECTs');
  await run(c, ['GET', 'k'], ['GET', '\xff\x00']);
  await run(b, ['SET', 'k', '1'], ['SET', '\xff\x00', '1'], ['FLUSHALL']);
  assert.ok((await received(sub)).includes('$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n$-1\r\n'));
  await received(c);
  // Without redirection a RESP2 connection gets nothing; to a RESP3 client, pushes.
  await run(c, ['CLIENT', 'TRACKING', 'off'], ['CLIENT', 'TRACKING', 'on'], ['GET', 'k']);
  await run(b, ['SET', 'k', '2']);
  await received(c);
  await hello(r3, '3');
  const rid = await ids(r3);
  sameMasked(await withIds(c, rid, 'CLIENT', 'TRACKING', 'on', 'REDIRECT', 'ID'), rid, 'REDIRECT to RESP3');
  await run(c, ['GET', 'k']);
  await run(b, ['SET', 'k', '3'], ['FLUSHDB']);
  await received(r3);
  await received(c);
  // A RESP2 target not subscribed gets nothing.
  const plain = await connect();
  const pid = await ids(plain);
  sameMasked(await withIds(c, pid, 'CLIENT', 'TRACKING', 'on', 'REDIRECT', 'ID'), pid, 'REDIRECT to RESP2');
  await run(c, ['GET', 'k']);
  await run(b, ['SET', 'k', '4']);
  await received(plain);
});

test('a redirect target that goes away: tracking-redir-broken to a RESP3 client', async ({ connect, redisPort, echoPort }) => {
  const c = await connect();
  const b = await connect();
  await hello(c, '3');
  const targets = [await RespClient.connect(redisPort), await RespClient.connect(echoPort)];
  const tid: [string, string] = [String(await targets[0].call('CLIENT', 'ID')), String(await targets[1].call('CLIENT', 'ID'))];
  sameMasked(await withIds(c, tid, 'CLIENT', 'TRACKING', 'on', 'REDIRECT', 'ID'), tid, 'TRACKING ON REDIRECT');
  await run(c, ['GET', 'k']);
  for (const t of targets) t.close();
  await Promise.all(targets.map((t) => t.done));
  await sleep(50);
  await run(b, ['SET', 'k', '1']);
  const [r, e] = await Promise.all([c.redis.callRaw('CLIENT', 'TRACKINGINFO'), c.echo.callRaw('CLIENT', 'TRACKINGINFO')]);
  sameMasked([r.bytes, e.bytes], tid, 'the broken redirect message, then TRACKINGINFO');
  assert.ok(r.bytes.startsWith('>2\r\n$21\r\ntracking-redir-broken\r\n'), show(r.bytes));
  const [r2, e2] = await Promise.all([c.redis.readRaw(1000), c.echo.readRaw(1000)]);
  sameMasked([r2.bytes, e2.bytes], tid, 'TRACKINGINFO after the message');
});

test('keys that expire are invalidated', async ({ connect }) => {
  const c = await connect();
  const b = await connect();
  await hello(c, '3');
  // Long enough to be read before it expires, however slow the machine.
  await run(b, ['SET', 'e', '1', 'PX', '1000']);
  await run(c, ['CLIENT', 'TRACKING', 'on'], ['GET', 'e']);
  await sleep(1200);
  // Expired by now, by the servers' own expiry cycles or by this read: one invalidation.
  await run(b, ['GET', 'e']);
  assert.ok((await received(c)).startsWith('>2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\ne\r\n+PONG'));
});

test('INFO counts tracking clients, keys, items and prefixes', async ({ connect }) => {
  const c = await connect();
  const b = await connect();
  const d = await connect();
  const counts = async (): Promise<void> => {
    const pick = (text: string): string => text.split('\r\n').filter((l) => l.startsWith('tracking_')).join(' ');
    const [r, e] = await Promise.all([c.redis.call('INFO'), c.echo.call('INFO')]) as string[];
    assert.is(pick(e), pick(r));
  };
  await counts();
  await hello(c, '3');
  await run(c, ['CLIENT', 'TRACKING', 'on'], ['MGET', 'a', 'b', 'c']);
  await run(b, ['CLIENT', 'TRACKING', 'on'], ['GET', 'a'], ['GET', 'z']);
  await run(d, ['CLIENT', 'TRACKING', 'on', 'bcast', 'prefix', 'p', 'prefix', 'q']);
  await counts();
  await run(d, ['SET', 'a', '1']);
  await received(c);
  await received(b);
  await counts();
  await run(c, ['CLIENT', 'TRACKING', 'off']);
  await run(d, ['CLIENT', 'TRACKING', 'off']);
  await counts();
  await run(d, ['FLUSHALL']);
  await received(b);
  await counts();
});

test('CLIENT LIST shows the tracking flags and the redirect', async ({ connect }) => {
  const c = await connect();
  const other = await connect();
  const oid = await ids(other);
  const fields = (line: string): string => line.split(' ').filter((f) => /^(flags|redir)=/.test(f)).join(' ');
  const info = async (): Promise<void> => {
    const [r, e] = await Promise.all([c.redis.call('CLIENT', 'INFO'), c.echo.call('CLIENT', 'INFO')]) as string[];
    assert.is(fields(e).replace(oid[1], '<id>'), fields(r).replace(oid[0], '<id>'));
  };
  await info();
  await withIds(c, oid, 'CLIENT', 'TRACKING', 'on', 'REDIRECT', 'ID');
  await info();
  await run(c, ['CLIENT', 'TRACKING', 'off'], ['CLIENT', 'TRACKING', 'on', 'bcast']);
  await info();
  await run(c, ['CLIENT', 'TRACKING', 'off']);
  await info();
});

test.run();
