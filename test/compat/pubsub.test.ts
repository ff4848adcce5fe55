// Pub/sub against a real redis-server: SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE PUNSUBSCRIBE PUBLISH
// SSUBSCRIBE SUNSUBSCRIBE SPUBLISH and every PUBSUB subcommand, compared frame by frame (replies
// and pushes) in RESP2 and RESP3: confirmations and their counts, what a subscribed RESP2 client
// may run, message delivery to channels and patterns, pattern syntax, binary and empty names,
// CLIENT REPLY OFF/SKIP, RESET and disconnects, CLIENT LIST and INFO fields, COMMAND metadata,
// client-output-buffer-limit disconnections, and random command sequences over several clients.
//
// Where Redis's order is unspecified (UNSUBSCRIBE without arguments walks a dict; several
// patterns matching one message come in dict order; PUBSUB CHANNELS) the frames are compared as
// collections; everything else is compared byte for byte.
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { closeOpenedAfterEach, type Compat, compatSuite, show } from './_compat.ts';
import type { Raw, RespClient } from '../_helpers.ts';
import { encodeCommand, plain } from '../_resp.ts';

type Arg = string | number | Uint8Array;

const test = compatSuite('pubsub');

// Connections a test opens are closed after it, and the next test starts once both servers have
// forgotten their subscriptions (PUBSUB NUMPAT and the channel lists are global).
closeOpenedAfterEach(test, async (ctx) => {
  for (const cl of [ctx.c.redis, ctx.c.echo]) {
    await waitFor('subscriptions of closed connections to go', async () => {
      const channels = (await cl.call('PUBSUB', 'CHANNELS')) as unknown[];
      const shard = (await cl.call('PUBSUB', 'SHARDCHANNELS')) as unknown[];
      return channels.length === 0 && shard.length === 0 && (await cl.call('PUBSUB', 'NUMPAT')) === 0;
    });
  }
});

const BIN = 'a\x00b\xff\r\n\x80z';

function send(cl: RespClient, args: readonly Arg[]): void {
  cl.write(encodeCommand(args));
}

async function read(cl: RespClient, n: number): Promise<Raw[]> {
  const out: Raw[] = [];
  for (let i = 0; i < n; i++) out.push(await cl.readRaw());
  return out;
}

const bytesOf = (frames: Raw[]): string[] => frames.map((f) => show(f.bytes));

/** Sends a command to both servers and asserts the next `n` frames are identical. */
async function sameFrames(c: Compat, n: number, ...args: Arg[]): Promise<unknown[]> {
  send(c.redis, args);
  send(c.echo, args);
  const [r, e] = await Promise.all([read(c.redis, n), read(c.echo, n)]);
  assert.equal(bytesOf(e), bytesOf(r), `frames of ${args.map((a) => show(String(a))).join(' ')}`);
  return r.map((f) => plain(f.reply));
}

let markers = 0;

/** Every frame `cl` got so far: PING <marker> (allowed in any mode) and read up to its answer. */
async function drain(cl: RespClient): Promise<Raw[]> {
  const m = `sync-${++markers}-sync`;
  send(cl, ['PING', m]);
  const out: Raw[] = [];
  for (;;) {
    const f = await cl.readRaw();
    if (f.bytes.includes(m)) return out;
    out.push(f);
  }
}

/** Asserts both servers sent `c` the same frames since the last sync, in the same order. */
async function sameDrain(c: Compat, what: string): Promise<unknown[]> {
  const [r, e] = await Promise.all([drain(c.redis), drain(c.echo)]);
  assert.equal(bytesOf(e), bytesOf(r), what);
  return r.map((f) => plain(f.reply));
}

/** The same, as collections (several patterns matching one message arrive in dict order). */
async function sameDrainUnordered(c: Compat, what: string): Promise<unknown[]> {
  const [r, e] = await Promise.all([drain(c.redis), drain(c.echo)]);
  assert.equal(bytesOf(e).sort(), bytesOf(r).sort(), what);
  return r.map((f) => plain(f.reply));
}

/**
 * An UNSUBSCRIBE-style command without arguments: one confirmation per subscription in dict
 * order, the count falling by one each time. Asserts the same names and the same counts.
 */
async function sameUnsubscribeAll(c: Compat, n: number, ...args: Arg[]): Promise<void> {
  send(c.redis, args);
  send(c.echo, args);
  const [r, e] = await Promise.all([read(c.redis, n), read(c.echo, n)]);
  const shape = (frames: Raw[]): [string[], string[]] => {
    const names: string[] = [];
    const rest: string[] = [];
    for (const f of frames) {
      const v = plain(f.reply) as unknown[] | { push: unknown[] };
      const items = Array.isArray(v) ? v : v.push;
      names.push(String(items[1]));
      // The frame with the name blanked: kind, type of frame and count stay exact.
      rest.push(show(blank(f.bytes, String(items[1]))));
    }
    return [names.sort(), rest];
  };
  assert.equal(shape(e), shape(r), `frames of ${args.join(' ')}`);
}

/** HELLO on both, compared without the client id. */
async function hello(c: Compat, version: '2' | '3'): Promise<void> {
  const [r, e] = await c.both('HELLO', version);
  const withoutId = (b: string): string => show(b.replace(/\$2\r\nid\r\n:\d+\r\n/, ''));
  assert.is(withoutId(e.bytes), withoutId(r.bytes), `reply to HELLO ${version}`);
}

const hello3 = (c: Compat): Promise<void> => hello(c, '3');

/** A frame with the bulk string `name` replaced by a placeholder. */
function blank(bytes: string, name: string): string {
  return bytes.replace(`$${name.length}\r\n${name}\r\n`, '<name>');
}

/** Fields of CLIENT LIST lines as objects. */
function clientFields(text: string): Record<string, string>[] {
  return text.trim().split('\n').filter((l) => l !== '').map((line) => {
    const o: Record<string, string> = {};
    for (const kv of line.trim().split(' ')) {
      const i = kv.indexOf('=');
      o[kv.slice(0, i)] = kv.slice(i + 1);
    }
    return o;
  });
}

async function waitFor(what: string, check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('SUBSCRIBE and UNSUBSCRIBE: confirmations, counts, repeats, unknown, binary and empty names', async ({ connect }) => {
  const s = await connect();
  await sameFrames(s, 3, 'SUBSCRIBE', 'a', 'b', 'a');
  await sameFrames(s, 2, 'subscribe', BIN, '');
  await sameFrames(s, 2, 'UNSUBSCRIBE', 'a', 'nosuch');
  await sameFrames(s, 1, 'Unsubscribe', 'a');
  await sameFrames(s, 1, 'SUBSCRIBE', 'x'.repeat(70000));
  await sameUnsubscribeAll(s, 4, 'UNSUBSCRIBE');
  // Nothing left: one confirmation with a null channel.
  await sameFrames(s, 1, 'UNSUBSCRIBE');
  await sameFrames(s, 1, 'UNSUBSCRIBE', 'never');
  // Not subscribed any more: a normal connection again.
  await s.all([['SET', 'k', 'v'], ['GET', 'k']]);
  await sameFrames(s, 1, 'SUBSCRIBE');
  await sameDrain(s, 'nothing else sent');
});

test('PSUBSCRIBE and PUNSUBSCRIBE: counts shared with channels, PUNSUBSCRIBE without arguments in subscription order', async ({ connect }) => {
  const s = await connect();
  await sameFrames(s, 2, 'SUBSCRIBE', 'c1', 'c2');
  await sameFrames(s, 7, 'PSUBSCRIBE', 'p1', 'p3', 'p2', 'a*', '*', 'p1', BIN);
  await sameFrames(s, 2, 'PUNSUBSCRIBE', 'p3', 'nosuch');
  await sameFrames(s, 5, 'PUNSUBSCRIBE');
  await sameFrames(s, 1, 'PUNSUBSCRIBE');
  await sameUnsubscribeAll(s, 2, 'UNSUBSCRIBE');
  await sameFrames(s, 2, 'PSUBSCRIBE', 'x', 'y');
  // UNSUBSCRIBE without channels leaves patterns alone.
  await sameFrames(s, 1, 'UNSUBSCRIBE');
  await sameFrames(s, 1, 'PING');
  await sameFrames(s, 2, 'PUNSUBSCRIBE');
  await s.all([['PING'], ['PSUBSCRIBE']]);
});

test('shard channels are counted apart, and keep the client in subscribed mode', async ({ connect }) => {
  const s = await connect();
  await sameFrames(s, 2, 'SSUBSCRIBE', 's1', 's2');
  await sameFrames(s, 2, 'SUBSCRIBE', 'c1', 's1');
  await sameFrames(s, 1, 'PSUBSCRIBE', 's*');
  await sameFrames(s, 1, 'UNSUBSCRIBE', 'c1');
  await sameFrames(s, 1, 'PUNSUBSCRIBE');
  await sameFrames(s, 1, 'UNSUBSCRIBE');
  // Only shard channels left: still in subscribed mode.
  await sameFrames(s, 1, 'GET', 'k');
  await sameFrames(s, 1, 'SUNSUBSCRIBE', 's1');
  await sameFrames(s, 1, 'SUNSUBSCRIBE', 'nosuch');
  await sameFrames(s, 1, 'SUNSUBSCRIBE');
  await sameFrames(s, 1, 'SUNSUBSCRIBE');
  await s.all([['GET', 'k'], ['SSUBSCRIBE']]);
  await sameFrames(s, 3, 'SSUBSCRIBE', 'a', 'b', 'c');
  await sameUnsubscribeAll(s, 3, 'SUNSUBSCRIBE');
  await s.same('GET', 'k');
});

test('RESP2 subscribed mode: only the subscribe family, PING, QUIT and RESET run', async ({ connect }) => {
  const s = await connect();
  await sameFrames(s, 1, 'SUBSCRIBE', 'ch');
  await s.all([
    ['GET', 'k'], ['get', 'k'], ['SET', 'k', 'v'], ['CLIENT', 'LIST'], ['CLIENT', 'ID'], ['HELLO', '3'], ['HELLO'],
    ['PUBLISH', 'ch', 'x'], ['PUBSUB', 'NUMSUB', 'ch'], ['PUBSUB', 'HELP'], ['SELECT', '1'], ['INFO'], ['ECHO', 'x'],
    ['COMMAND', 'COUNT'], ['CONFIG', 'GET', 'port'], ['SPUBLISH', 'ch', 'x'], ['MONITOR'], ['AUTH', 'x'],
    // Checks that come first: unknown commands, arity, unknown subcommands.
    ['NOSUCH'], ['GET'], ['GET', 'a', 'b'], ['CLIENT'], ['CLIENT', 'NOSUCH'], ['PUBSUB'], ['PUBSUB', 'NOSUCH'],
    // Allowed ones.
    ['PING'], ['PING', 'hello'], ['PING', BIN], ['ping', ''], ['PING', 'a', 'b'],
  ]);
  await sameFrames(s, 1, 'SUBSCRIBE');
  await sameFrames(s, 1, 'PSUBSCRIBE', 'p');
  await sameFrames(s, 1, 'PUNSUBSCRIBE', 'p');
  // Unsubscribed from everything: back to normal.
  await s.all([['GET', 'k'], ['PING'], ['PING', 'x']]);
  await sameFrames(s, 1, 'SUBSCRIBE', 'again');
  await s.same('RESET');
  await s.all([['GET', 'k'], ['PING'], ['PUBSUB', 'NUMSUB', 'again']]);
  await sameFrames(s, 1, 'SUBSCRIBE', 'again');
  await s.same('QUIT');
  assert.ok(await s.redis.waitClosed());
  assert.ok(await s.echo.waitClosed());
});

test('a subscribed RESP2 client pipelining a refused command gets the error in order', async ({ connect }) => {
  const s = await connect();
  await s.sameRaw('SUBSCRIBE a b\r\nGET x\r\nPING\r\nUNSUBSCRIBE a\r\nINCR n\r\nUNSUBSCRIBE b\r\nINCR n\r\n');
});

test('PUBLISH: channel subscribers, then matching patterns; the reply counts deliveries', async ({ c, connect }) => {
  const s1 = await connect();
  const s2 = await connect();
  const s3 = await connect();
  await sameFrames(s1, 1, 'SUBSCRIBE', 'news');
  await sameFrames(s2, 2, 'SUBSCRIBE', 'news', BIN);
  await sameFrames(s2, 1, 'PSUBSCRIBE', 'n*');
  await sameFrames(s3, 2, 'PSUBSCRIBE', '*', 'ne?s');
  await c.all([
    ['PUBLISH', 'news', 'hello'], ['PUBLISH', 'nothing', ''], ['PUBLISH', 'other', 'x'], ['PUBLISH', BIN, BIN],
    ['PUBLISH', 'news', 'x'.repeat(100000)], ['publish', 'NEWS', 'case'], ['PUBLISH', '', 'empty channel'],
  ]);
  await sameDrain(s1, 'messages of s1');
  // A channel message first, then the pattern's.
  await sameDrain(s2, 'messages of s2');
  await sameDrainUnordered(s3, 'messages of s3');
  await c.all([['PUBLISH'], ['PUBLISH', 'a'], ['PUBLISH', 'a', 'b', 'c']]);
  // The same message to the same client twice through two subscriptions.
  await sameFrames(s1, 1, 'PSUBSCRIBE', 'news');
  await c.same('PUBLISH', 'news', 'twice');
  await sameDrain(s1, 'a channel and a pattern with the same name');
});

test('pattern syntax: *, ?, classes, ranges, negation, escapes, empty and binary channels', async ({ c, connect }) => {
  const patterns = [
    '*', 'h?llo', 'h*llo', 'h[ae]llo', 'h[^e]llo', 'h[a-b]llo', 'h[b-a]llo', 'h\\*llo', '[', 'a\\', '\xff*',
    'h[', '*llo', 'H*', '\\', '[\\]]', 'h[a-]llo', '**', '?',
  ];
  const channels = [
    'hello', 'hallo', 'hxllo', 'h*llo', 'hllo', '', 'a\\', '\xff\x00', '[', 'heeeello', 'Hello', ']', 'h-llo',
    'x', '\\',
  ];
  // One subscriber per pattern, so each message has one place in the order.
  const subs: Compat[] = [];
  for (const p of patterns) {
    const s = await connect();
    await sameFrames(s, 1, 'PSUBSCRIBE', p);
    subs.push(s);
  }
  for (const ch of channels) await c.same('PUBLISH', ch, 'm:' + ch);
  for (let i = 0; i < subs.length; i++) await sameDrain(subs[i], `messages for pattern ${show(patterns[i])}`);
  for (const s of subs) {
    s.redis.close();
    s.echo.close();
  }
});

test('PUBSUB CHANNELS, NUMSUB, NUMPAT, SHARDCHANNELS, SHARDNUMSUB and HELP', async ({ c, connect }) => {
  await c.all([
    ['PUBSUB', 'NUMPAT'], ['PUBSUB', 'NUMSUB'], ['PUBSUB', 'NUMSUB', 'a', 'b'], ['PUBSUB', 'CHANNELS'],
    ['PUBSUB', 'SHARDCHANNELS'], ['PUBSUB', 'SHARDNUMSUB', 'a'], ['PUBSUB', 'HELP'], ['pubsub', 'help'],
  ]);
  const s1 = await connect();
  const s2 = await connect();
  await sameFrames(s1, 4, 'SUBSCRIBE', 'a', 'b', BIN, '');
  await sameFrames(s2, 2, 'SUBSCRIBE', 'a', 'c');
  await sameFrames(s1, 2, 'PSUBSCRIBE', 'p*', 'q*');
  await sameFrames(s2, 2, 'PSUBSCRIBE', 'p*', BIN);
  await sameFrames(s1, 2, 'SSUBSCRIBE', 'sa', 'a');
  await sameFrames(s2, 1, 'SSUBSCRIBE', 'sa');
  await c.all([
    ['PUBSUB', 'NUMPAT'], ['PUBSUB', 'NUMSUB', 'a', 'b', 'c', 'sa', 'p*', BIN, '', 'a'], ['pubsub', 'numsub'],
    ['PUBSUB', 'SHARDNUMSUB', 'sa', 'a', 'b'], ['PUBSUB', 'SHARDNUMSUB'], ['PUBSUB', 'CHANNELS', 'x*'],
  ]);
  for (const pat of [null, '*', '?', 'a', '[ab]', '\\a', BIN, '', 'A']) {
    const extra = pat === null ? [] : [pat];
    await c.sameUnordered('PUBSUB', 'CHANNELS', ...extra);
    await c.sameUnordered('PUBSUB', 'SHARDCHANNELS', ...extra);
  }
  // Errors: arity and extra arguments.
  await c.all([
    ['PUBSUB'], ['PUBSUB', 'NOSUCH'], ['PUBSUB', 'CHANNELS', 'a', 'b'], ['pubsub', 'channels', 'a', 'b'],
    ['PUBSUB', 'SHARDCHANNELS', 'a', 'b'], ['PUBSUB', 'NUMPAT', 'x'], ['PUBSUB', 'HELP', 'x'], ['PUBSUB', 'numpat', 'x', 'y'],
  ]);
  // Channels nobody listens to any more disappear.
  await sameFrames(s1, 2, 'UNSUBSCRIBE', 'b', 'a');
  await sameFrames(s2, 1, 'PUNSUBSCRIBE', 'p*');
  await sameFrames(s2, 1, 'SUNSUBSCRIBE', 'sa');
  await c.sameUnordered('PUBSUB', 'CHANNELS');
  await c.sameUnordered('PUBSUB', 'SHARDCHANNELS');
  await c.all([['PUBSUB', 'NUMSUB', 'a', 'b'], ['PUBSUB', 'NUMPAT'], ['PUBSUB', 'SHARDNUMSUB', 'sa']]);
  // RESP3: NUMSUB is still a flat array, CHANNELS an array.
  const r3 = await connect();
  await hello3(r3);
  await r3.all([['PUBSUB', 'NUMSUB', 'a', 'c'], ['PUBSUB', 'SHARDNUMSUB', 'sa'], ['PUBSUB', 'NUMPAT']]);
  await r3.sameUnordered('PUBSUB', 'CHANNELS');
});

test('SSUBSCRIBE, SUNSUBSCRIBE and SPUBLISH: shard channels, never matched by patterns', async ({ c, connect }) => {
  const s = await connect();
  const p = await connect();
  await sameFrames(s, 3, 'SSUBSCRIBE', 'sh', BIN, 'sh');
  await sameFrames(p, 2, 'PSUBSCRIBE', '*', 'sh');
  await sameFrames(p, 1, 'SUBSCRIBE', 'sh');
  await c.all([['SPUBLISH', 'sh', 'one'], ['SPUBLISH', BIN, BIN], ['SPUBLISH', 'none', 'x'], ['PUBLISH', 'sh', 'two']]);
  await sameDrain(s, 'shard messages');
  await sameDrainUnordered(p, 'only the PUBLISH reaches channel and pattern subscribers');
  await c.all([['SPUBLISH'], ['SPUBLISH', 'a'], ['SPUBLISH', 'a', 'b', 'c'], ['SSUBSCRIBE']]);
});

test('RESP3: pushes, any command while subscribed, own messages before the reply', async ({ connect }) => {
  const s = await connect();
  await hello3(s);
  await sameFrames(s, 2, 'SUBSCRIBE', 'a', 'b');
  await sameFrames(s, 1, 'PSUBSCRIBE', 'a*');
  await sameFrames(s, 1, 'SSUBSCRIBE', 'sa');
  await s.all([['SET', 'k', 'v'], ['GET', 'k'], ['GET', 'nosuch'], ['PING'], ['PING', 'x'], ['PUBSUB', 'NUMSUB', 'a']]);
  // Its own messages: the pushes come before the reply.
  await sameFrames(s, 3, 'PUBLISH', 'a', 'to myself');
  await sameFrames(s, 2, 'SPUBLISH', 'sa', 'shard to myself');
  await sameFrames(s, 2, 'PUBLISH', 'ab', 'pattern only');
  await sameUnsubscribeAll(s, 2, 'UNSUBSCRIBE');
  await sameFrames(s, 1, 'UNSUBSCRIBE');
  await sameFrames(s, 1, 'PUNSUBSCRIBE');
  await sameFrames(s, 1, 'PUNSUBSCRIBE');
  await sameFrames(s, 1, 'SUNSUBSCRIBE');
  // Back to RESP2 while subscribed: the restriction applies again.
  await sameFrames(s, 1, 'SUBSCRIBE', 'z');
  await hello(s, '2');
  await s.all([['GET', 'k'], ['PING']]);
  await sameFrames(s, 1, 'UNSUBSCRIBE');
  await s.same('GET', 'k');
});

test('messages to a RESP3 subscriber from another client are pushes', async ({ c, connect }) => {
  const s = await connect();
  await hello3(s);
  await sameFrames(s, 2, 'PSUBSCRIBE', 'x*', 'xy');
  await sameFrames(s, 1, 'SUBSCRIBE', 'xy');
  await c.all([['PUBLISH', 'xy', 'm1'], ['PUBLISH', 'xz', BIN]]);
  await sameDrainUnordered(s, 'pushes');
});

test('CLIENT REPLY OFF and SKIP drop replies but never pushes', async ({ c, connect }) => {
  const s = await connect();
  // RESP2: the confirmation is sent, PING's reply is not; RESET turns replies on and answers.
  send(s.redis, ['CLIENT', 'REPLY', 'OFF']);
  send(s.echo, ['CLIENT', 'REPLY', 'OFF']);
  await sameFrames(s, 1, 'SUBSCRIBE', 'a');
  send(s.redis, ['PING']);
  send(s.echo, ['PING']);
  await c.same('PUBLISH', 'a', 'while off');
  await sameFrames(s, 2, 'RESET');
  await sameDrain(s, 'nothing else');
  // RESP3: own messages arrive, the replies do not.
  const t = await connect();
  await hello3(t);
  await sameFrames(t, 1, 'SUBSCRIBE', 'b');
  send(t.redis, ['CLIENT', 'REPLY', 'OFF']);
  send(t.echo, ['CLIENT', 'REPLY', 'OFF']);
  await sameFrames(t, 1, 'PUBLISH', 'b', 'x');
  send(t.redis, ['GET', 'k']);
  send(t.echo, ['GET', 'k']);
  await sameFrames(t, 2, 'PSUBSCRIBE', 'b*', 'c*');
  await sameFrames(t, 1, 'CLIENT', 'REPLY', 'ON');
  send(t.redis, ['CLIENT', 'REPLY', 'SKIP']);
  send(t.echo, ['CLIENT', 'REPLY', 'SKIP']);
  // SKIP drops the reply of the next command only, not its push.
  await sameFrames(t, 1, 'PUBLISH', 'c1', 'y');
  await sameFrames(t, 3, 'PUBLISH', 'b', 'z');
  await sameDrain(t, 'nothing else');
  // HELLO while replies are off still switches the protocol, so the confirmation is a push.
  const u = await connect();
  for (const cmd of [['CLIENT', 'REPLY', 'OFF'], ['HELLO', '3']]) {
    send(u.redis, cmd);
    send(u.echo, cmd);
  }
  await sameFrames(u, 1, 'SUBSCRIBE', 'x');
  await sameFrames(u, 1, 'CLIENT', 'REPLY', 'ON');
  await sameFrames(u, 1, 'GET', 'nokey');
});

test('RESET and disconnects drop every subscription', async ({ c, connect }) => {
  const s = await connect();
  await sameFrames(s, 2, 'SUBSCRIBE', 'r1', 'r2');
  await sameFrames(s, 1, 'PSUBSCRIBE', 'r*');
  await sameFrames(s, 1, 'SSUBSCRIBE', 'rs');
  await c.all([['PUBSUB', 'NUMSUB', 'r1', 'r2'], ['PUBSUB', 'NUMPAT'], ['PUBSUB', 'SHARDNUMSUB', 'rs']]);
  await s.same('RESET');
  await c.all([
    ['PUBSUB', 'NUMSUB', 'r1', 'r2'], ['PUBSUB', 'NUMPAT'], ['PUBSUB', 'SHARDNUMSUB', 'rs'], ['PUBLISH', 'r1', 'x'],
    ['SPUBLISH', 'rs', 'x'],
  ]);
  await sameDrain(s, 'no message after RESET');
  const d = await connect();
  await sameFrames(d, 2, 'SUBSCRIBE', 'd1', 'd2');
  await sameFrames(d, 1, 'PSUBSCRIBE', 'd*');
  d.redis.close();
  d.echo.close();
  for (const cl of [c.redis, c.echo]) {
    await waitFor('the subscriber to be gone', async () => {
      const n = (await cl.call('PUBSUB', 'NUMSUB', 'd1')) as unknown[];
      return n[1] === 0 && (await cl.call('PUBSUB', 'NUMPAT')) === 0;
    });
  }
  await c.all([['PUBLISH', 'd1', 'x'], ['PUBSUB', 'NUMSUB', 'd1', 'd2']]);
});

test('CLIENT LIST: flag P, sub, psub and ssub; CLIENT LIST TYPE pubsub', async ({ c, connect }) => {
  const s = await connect();
  await sameFrames(s, 3, 'SUBSCRIBE', 'a', 'b', 'c');
  await sameFrames(s, 2, 'PSUBSCRIBE', 'p', 'q');
  await sameFrames(s, 1, 'SSUBSCRIBE', 's');
  const fields = async (type: string | null): Promise<void> => {
    const args = type === null ? ['CLIENT', 'LIST'] : ['CLIENT', 'LIST', 'TYPE', type];
    const [r, e] = await c.both(...args);
    const pick = (raw: Raw): string[] => clientFields(String(plain(raw.reply)))
      .map((f) => ['flags', 'sub', 'psub', 'ssub', 'cmd', 'resp'].map((k) => `${k}=${f[k]}`).join(' ')).sort();
    assert.equal(pick(e), pick(r), `CLIENT LIST ${type ?? ''}`);
  };
  await fields(null);
  await fields('pubsub');
  await fields('normal');
  await sameFrames(s, 1, 'UNSUBSCRIBE', 'b');
  await sameFrames(s, 2, 'PUNSUBSCRIBE');
  await fields('pubsub');
  await sameUnsubscribeAll(s, 2, 'UNSUBSCRIBE');
  await sameFrames(s, 1, 'SUNSUBSCRIBE');
  await fields(null);
  await fields('pubsub');
});

test('INFO stats: pubsub_channels, pubsub_patterns, pubsubshard_channels', async ({ c, connect }) => {
  const stats = async (): Promise<void> => {
    const [r, e] = await c.both('INFO', 'stats');
    const pick = (raw: Raw): string[] => String(plain(raw.reply)).split('\r\n').filter((l) => l.startsWith('pubsub'));
    assert.equal(pick(e), pick(r));
    assert.is(pick(r).length, 3);
  };
  await stats();
  const s = await connect();
  const t = await connect();
  await sameFrames(s, 2, 'SUBSCRIBE', 'a', 'b');
  await sameFrames(t, 2, 'SUBSCRIBE', 'a', 'c');
  await sameFrames(s, 2, 'PSUBSCRIBE', 'p', 'q');
  await sameFrames(t, 1, 'PSUBSCRIBE', 'p');
  await sameFrames(t, 1, 'SSUBSCRIBE', 's');
  await stats();
  await s.same('RESET');
  await stats();
});

test('COMMAND INFO, DOCS and GETKEYS of the pub/sub commands', async ({ c }) => {
  const names = ['subscribe', 'unsubscribe', 'psubscribe', 'punsubscribe', 'publish', 'pubsub', 'ssubscribe',
    'sunsubscribe', 'spublish'];
  for (const name of names) {
    if (name !== 'pubsub') await c.same('COMMAND', 'INFO', name);
  }
  // The container: its own fields exactly; its subcommands come in dict order in Redis.
  const [r, e] = await c.both('COMMAND', 'INFO', 'pubsub');
  const parts = (raw: Raw): [unknown, string[]] => {
    const info = (plain(raw.reply) as unknown[][])[0];
    return [info.slice(0, 9), (info[9] as unknown[]).map((x) => JSON.stringify(x)).sort()];
  };
  assert.equal(parts(e), parts(r));
  for (const sub of ['channels', 'numsub', 'numpat', 'shardchannels', 'shardnumsub', 'help']) {
    await c.same('COMMAND', 'INFO', `pubsub|${sub}`);
  }
  await c.all([
    ['COMMAND', 'GETKEYS', 'SSUBSCRIBE', 'a', 'b'], ['COMMAND', 'GETKEYS', 'SPUBLISH', 'a', 'm'],
    ['COMMAND', 'GETKEYS', 'SUNSUBSCRIBE', 'x'], ['COMMAND', 'GETKEYS', 'PUBLISH', 'a', 'm'],
    ['COMMAND', 'GETKEYS', 'SUBSCRIBE', 'a'], ['COMMAND', 'GETKEYS', 'PUBSUB', 'CHANNELS'],
  ]);
});

test('client-output-buffer-limit pubsub: a subscriber that does not read is disconnected', async ({ c, connect }) => {
  const s = await connect();
  await sameFrames(s, 1, 'SUBSCRIBE', 'flood');
  await c.same('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 1mb 0 0');
  try {
    s.redis.socket.pause();
    s.echo.socket.pause();
    const msg = 'x'.repeat(64 * 1024);
    // Each server keeps counting the subscriber until it is gone; bounded by 100 MB sent.
    const flood = async (cl: RespClient): Promise<number> => {
      for (let i = 0; i < 1600; i++) {
        if ((await cl.call('PUBLISH', 'flood', msg)) === 0) return i;
      }
      return -1;
    };
    const [r, e] = await Promise.all([flood(c.redis), flood(c.echo)]);
    assert.ok(r > 0, `redis-server dropped the subscriber (after ${r} messages)`);
    assert.ok(e > 0, `echokv dropped the subscriber (after ${e} messages)`);
    await c.all([['PUBSUB', 'NUMSUB', 'flood'], ['CLIENT', 'LIST', 'TYPE', 'pubsub']]);
    s.redis.socket.resume();
    s.echo.socket.resume();
    assert.ok(await s.redis.waitClosed(10000), 'redis-server closed the connection');
    assert.ok(await s.echo.waitClosed(10000), 'echokv closed the connection');
  } finally {
    await c.same('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 32mb 8mb 60');
  }
});

test('client-output-buffer-limit normal: a reply over the hard limit closes the connection instead', async ({ c, connect }) => {
  await c.same('SET', 'big', 'y'.repeat(2 * 1024 * 1024));
  await c.same('SET', 'small', 'y'.repeat(100 * 1024));
  await c.same('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1mb 0 0');
  try {
    const g = await connect();
    await g.same('GET', 'small');
    send(g.redis, ['GET', 'big']);
    send(g.echo, ['GET', 'big']);
    assert.ok(await g.redis.waitClosed(10000), 'redis-server closed the connection');
    assert.ok(await g.echo.waitClosed(10000), 'echokv closed the connection');
    assert.is(g.echo.pendingBytes, g.redis.pendingBytes, 'bytes received before the close');
    // A subscriber is in the pubsub class, not normal.
    const s = await connect();
    await sameFrames(s, 1, 'SUBSCRIBE', 'ch');
    await c.same('PUBLISH', 'ch', 'z'.repeat(1536 * 1024));
    await sameDrain(s, 'a 1.5 MB message reaches a subscriber');
  } finally {
    await c.same('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 0 0 0');
  }
});

test('client-output-buffer-limit normal: huge counts of random picks stop mid-run (Redis\'s obuf-limits)', async ({ c, connect }) => {
  await c.same('HSET', 'h', 'a', 'b');
  await c.same('SADD', 's', 'a', 'b');
  await c.same('ZADD', 'z', '1', 'a');
  // Without a hard limit Redis would build the whole reply (gigabytes); echokv refuses it.
  for (const cmd of [['HRANDFIELD', 'h'], ['SRANDMEMBER', 's'], ['ZRANDMEMBER', 'z']]) {
    assert.equal(await c.echo.call(...cmd, '-999999999'), { error: 'ERR value is out of range' });
  }
  await c.same('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1000000 0 0');
  try {
    for (const cmd of [['HRANDFIELD', 'h', '-999999999'], ['SRANDMEMBER', 's', '-999999999'],
      ['ZRANDMEMBER', 'z', '-9223372036854775807'], ['HRANDFIELD', 'h', '-999999999', 'WITHVALUES']]) {
      const g = await connect();
      send(g.redis, cmd);
      send(g.echo, cmd);
      assert.ok(await g.redis.waitClosed(10000), `redis-server closed the connection (${cmd.join(' ')})`);
      assert.ok(await g.echo.waitClosed(10000), `echokv closed the connection (${cmd.join(' ')})`);
    }
    await c.same('HRANDFIELD', 'h', '-3');
  } finally {
    await c.same('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 0 0 0');
  }
});

test('client-output-buffer-limit normal: a reply counts as Redis allocates it (KEYS stopped mid-run)', async ({ c, connect }) => {
  // Redis's obuf-limits test: 1000 keys of 100-character names, about 110 KB of KEYS reply
  // against a 100000-byte limit. At 900 keys the reply is 99 KB, 83 KB past the static buffer:
  // still over the limit, since Redis counts whole 20 KB blocks of it. At 700 keys it is not.
  const prefix = 'long-key-name-prefix-of-100-chars' + '-'.repeat(67);
  await c.same('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 100000 0 0');
  try {
    for (const [n, closes] of [[700, false], [900, true], [1000, true]] as const) {
      await c.same('FLUSHALL');
      for (let i = 0; i < n; i += 100) {
        await c.same('MSET', ...Array.from({ length: 100 }, (_, j) => [`${prefix}${i + j}`, 'v']).flat());
      }
      const g = await connect();
      if (!closes) {
        await g.sameUnordered('KEYS', '*');
        continue;
      }
      send(g.redis, ['KEYS', '*']);
      send(g.echo, ['KEYS', '*']);
      assert.ok(await g.redis.waitClosed(10000), `redis-server closed the connection (${n} keys)`);
      assert.ok(await g.echo.waitClosed(10000), `echokv closed the connection (${n} keys)`);
    }
  } finally {
    await c.same('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 0 0 0');
    await c.same('FLUSHALL');
  }
});

test('SUBSCRIBE runs inside MULTI, SSUBSCRIBE does not', async ({ c, connect, echokv }) => {
  if (echokv.server.commands.get('multi') === undefined) {
    console.log('  (MULTI is not in echokv yet: transaction case not run)');
    return;
  }
  const s = await connect();
  await s.sameRaw('MULTI\r\nSSUBSCRIBE x\r\nSUBSCRIBE y\r\nPSUBSCRIBE z\r\nEXEC\r\nGET a\r\n');
  await c.same('PUBSUB', 'NUMSUB', 'y');
  // Subscribed in RESP2: MULTI itself is refused; once unsubscribed, a transaction may publish.
  await s.sameRaw('MULTI\r\nEXEC\r\nUNSUBSCRIBE\r\nPUNSUBSCRIBE\r\nMULTI\r\nPUBLISH y m\r\nSUBSCRIBE q\r\nEXEC\r\n');
  await c.same('PUBSUB', 'NUMSUB', 'q');
});

// ---------------------------------------------------------------------------------------------
// Random command sequences over five clients (one in RESP3), compared after every command.

const NAMES = ['a', 'b', 'ab', '', BIN];
const PATTERNS = ['*', 'a*', '?', '[ab]', 'a', '\\*', '*\xff*'];
const name = fc.constantFrom(...NAMES);
const pattern = fc.constantFrom(...PATTERNS);
const message = fc.constantFrom('m', '', '\xff\x00', 'hello world');

// Clients 0-3 subscribe (client 3 speaks RESP3); client 4 only publishes and asks PUBSUB, so
// messages keep flowing while the others are in subscribed mode.
const subscriber = fc.integer({ min: 0, max: 3 });
const anyone = fc.integer({ min: 0, max: 4 });
const step = fc.oneof(
  { arbitrary: fc.tuple(subscriber, fc.array(name, { minLength: 1, maxLength: 3 }).map((a) => ['SUBSCRIBE', ...a])), weight: 4 },
  fc.tuple(subscriber, fc.array(name, { maxLength: 2 }).map((a) => ['UNSUBSCRIBE', ...a])),
  { arbitrary: fc.tuple(subscriber, fc.array(pattern, { minLength: 1, maxLength: 3 }).map((a) => ['PSUBSCRIBE', ...a])), weight: 3 },
  fc.tuple(subscriber, fc.array(pattern, { maxLength: 2 }).map((a) => ['PUNSUBSCRIBE', ...a])),
  { arbitrary: fc.tuple(subscriber, fc.array(name, { minLength: 1, maxLength: 2 }).map((a) => ['SSUBSCRIBE', ...a])), weight: 2 },
  fc.tuple(subscriber, fc.array(name, { maxLength: 2 }).map((a) => ['SUNSUBSCRIBE', ...a])),
  { arbitrary: fc.tuple(anyone, fc.tuple(name, message).map(([n, m]) => ['PUBLISH', n, m])), weight: 8 },
  { arbitrary: fc.tuple(anyone, fc.tuple(name, message).map(([n, m]) => ['SPUBLISH', n, m])), weight: 3 },
  fc.tuple(anyone, fc.array(name, { maxLength: 3 }).map((a) => ['PUBSUB', 'NUMSUB', ...a])),
  fc.tuple(anyone, fc.array(name, { maxLength: 2 }).map((a) => ['PUBSUB', 'SHARDNUMSUB', ...a])),
  fc.tuple(anyone, fc.constant(['PUBSUB', 'NUMPAT'])),
  fc.tuple(anyone, fc.option(pattern, { nil: undefined }).map((p) => (p === undefined ? ['PUBSUB', 'CHANNELS'] : ['PUBSUB', 'CHANNELS', p]))),
  fc.tuple(anyone, fc.constant(['PUBSUB', 'SHARDCHANNELS'])),
  fc.tuple(subscriber, fc.constant(['GET', 'k'])),
  fc.tuple(subscriber, fc.constant(['RESET'])),
);

/**
 * What one client got during one step, in a form both servers must agree on: frames in order,
 * except that unsubscribe confirmations of a no-argument UNSUBSCRIBE/SUNSUBSCRIBE (dict order)
 * become their sorted names plus their frames with names blanked, messages are sorted (several
 * patterns matching one message come in dict order), and PUBSUB CHANNELS lists are sorted.
 */
function normalize(frames: Raw[], cmd: string[] | null): string[] {
  const out: string[] = [];
  const messages: string[] = [];
  const unsubNames: string[] = [];
  const unordered = cmd !== null && cmd.length === 1 && (cmd[0] === 'UNSUBSCRIBE' || cmd[0] === 'SUNSUBSCRIBE');
  for (const f of frames) {
    const v = plain(f.reply);
    const items = Array.isArray(v) ? v : (v as { push?: unknown[] })?.push;
    const kind = Array.isArray(items) ? String(items[0]) : '';
    if (kind === 'message' || kind === 'pmessage' || kind === 'smessage') messages.push(show(f.bytes));
    else if (unordered && (kind === 'unsubscribe' || kind === 'sunsubscribe') && items![1] !== null) {
      unsubNames.push(String(items![1]));
      out.push(show(blank(f.bytes, String(items![1]))));
    } else if (cmd !== null && cmd[0] === 'PUBSUB' && cmd[1].endsWith('CHANNELS') && Array.isArray(v) && f.reply.type === 'array') {
      out.push('channels: ' + JSON.stringify((v as string[]).slice().sort()));
    } else out.push(show(f.bytes));
  }
  return [...out, 'names: ' + JSON.stringify(unsubNames.sort()), ...messages.sort()];
}

test('random pub/sub command sequences over five clients agree frame by frame', async ({ connect }) => {
  const clients: Compat[] = [];
  for (let i = 0; i < 5; i++) clients.push(await connect());
  const resp3 = (): Promise<void> => hello3(clients[3]);
  await resp3();
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 40, size: 'max' }), async (steps) => {
      try {
        for (const [who, cmd] of steps) {
          const cl = clients[who];
          send(cl.redis, cmd);
          send(cl.echo, cmd);
          for (let i = 0; i < clients.length; i++) {
            const [r, e] = await Promise.all([drain(clients[i].redis), drain(clients[i].echo)]);
            const mine = i === who ? cmd : null;
            assert.equal(normalize(e, mine), normalize(r, mine), `client ${i} after ${show(cmd.join(' '))} by client ${who}`);
          }
          if (cmd[0] === 'RESET' && who === 3) await resp3();
        }
      } finally {
        // Every run (and every shrinking attempt) starts from no subscriptions and no pending frames.
        for (const cl of clients) {
          send(cl.redis, ['RESET']);
          send(cl.echo, ['RESET']);
          await Promise.all([drain(cl.redis), drain(cl.echo)]);
        }
        await resp3();
      }
    }),
    { numRuns: 30 },
  );
});

test.run();
