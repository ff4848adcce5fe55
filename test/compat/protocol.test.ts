// The RESP protocol layer against redis-server 7.0: the same raw bytes go to both servers over
// fresh sockets, and the reply bytes and whether the server closed the connection must match.
// Covers inline quoting (sdssplitargs), multibulk quirks, every protocol error text, the 64 KB
// line limits, NUL bytes hiding line ends, pipelining and split frames, proto-max-bulk-len,
// client-query-buffer-limit, the unauthenticated limits, maxclients and timeout, and the reply
// writer's RESP2/RESP3 encodings against DEBUG PROTOCOL.
import * as assert from 'uvu/assert';
import { compatSuite, show } from './_compat.ts';
import { type Exchange, exchange, toBytes } from './_exchange.ts';
import { RespClient } from '../_helpers.ts';
import { encodeCommand } from '../_resp.ts';
import { ReplyWriter } from '../../core/resp/writer.ts';
import { rng } from '../types/_gen.ts';

/** The pieces as one buffer: one write, so the server gets them in one read. */
function cat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Asserts equal byte strings; a mismatch shows where they part, not megabytes of output. */
function sameBytes(echokv: string, redis: string, what: string): void {
  if (echokv === redis) return;
  let at = 0;
  while (at < echokv.length && at < redis.length && echokv[at] === redis[at]) at++;
  const from = Math.max(0, at - 40);
  assert.is(
    `${echokv.length} bytes, at ${at}: ${show(echokv.slice(from, at + 60))}`,
    `${redis.length} bytes, at ${at}: ${show(redis.slice(from, at + 60))}`,
    what,
  );
}

/** Sends the same pieces to both servers on fresh sockets; asserts identical bytes and close. */
async function sameExchange(ports: { redisPort: number; echoPort: number }, pieces: (string | Uint8Array)[],
  opts: { quietMs?: number; gapMs?: number; replies?: number } = {}): Promise<Exchange> {
  const [r, e] = await Promise.all([exchange(ports.redisPort, pieces, opts), exchange(ports.echoPort, pieces, opts)]);
  const what = pieces.map((p) => (typeof p === 'string' ? show(p.length > 80 ? p.slice(0, 80) + '...' : p) : `<${p.length} bytes>`)).join(' | ');
  sameBytes(e.bytes, r.bytes, `replies to ${what}`);
  assert.is(e.closed, r.closed, `connection closed after ${what}`);
  return r;
}

/** Many single-input cases at once (each on its own sockets), to keep the file fast. */
async function sameAll(ports: { redisPort: number; echoPort: number }, inputs: string[]): Promise<void> {
  await Promise.all(inputs.map((i) => sameExchange(ports, [i])));
}

// ---------------------------------------------------------------------------------------------

const test = compatSuite('protocol');

test('inline commands and sdssplitargs quoting', async (ctx) => {
  await sameAll(ctx, [
    'PING\r\n',
    'PING\n',
    'PING\r\r\n',
    '\r\n\n   \r\n\t\nPING\r\n',
    'ECHO hello\r\n',
    'ECHO "a b"\r\n',
    "ECHO 'a b'\r\n",
    'ECHO ""\r\n',
    "ECHO ''\r\n",
    'ECHO "\\x41\\x4a\\xff\\x00"\r\n',
    'ECHO "\\x4" \r\n',
    'ECHO "\\x4g"\r\n',
    'ECHO "\\n\\r\\t\\b\\a\\z\\\\\\""\r\n',
    "ECHO 'a\\'b'\r\n",
    "ECHO 'a\\b'\r\n",
    'ECHO x"y z"\r\n',
    'ECHO a\x0bb\r\n',
    'ECHO a\x0cb\r\n',
    '\x0b\x0c ECHO\t\x0b\x0cx  \r\n',
    'ECHO a\rb\r\n',
    'ECHO \xff\xfe\x80\r\n',
    'ECHO "a"\x0b\r\n',
    'SET k "v w" EX 100\r\nGET k\r\n',
    'ECHO a b c\r\n',
    'echo lower\r\n',
    'NOSUCH "a b" c\r\n',
  ]);
});

test('unbalanced quotes: error, then close', async (ctx) => {
  await sameAll(ctx, [
    'ECHO "abc\r\nPING\r\n',
    "ECHO 'abc\r\n",
    'ECHO "a"b\r\n',
    "ECHO 'a'b\r\n",
    "ECHO ''x\r\n",
    'ECHO "a\\"\r\n',
    'PING\r\nECHO "\r\nPING\r\n',
  ]);
});

test('multibulk quirks: skipped bytes, empty and negative counts', async (ctx) => {
  await sameAll(ctx, [
    '*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n',
    '*1\rX$4\rYPING\r\n',
    '*0\r\n*-1\r\n*-100\r\nPING\r\n',
    '*2\r\n$4\r\nECHO\r\n$0\r\n\r\n',
    '*2\r\n$4\r\nECHO\r\n$3\r\n\x00\r\n\r\n',
    '*3\r\n$3\r\nSET\r\n$2\r\n\xff\x00\r\n$2\r\n\x00\xff\r\n*2\r\n$3\r\nGET\r\n$2\r\n\xff\x00\r\n',
    '*1\r\n$4\r\nping\r\n',
  ]);
});

test('protocol errors: Redis texts, then close', async (ctx) => {
  await sameAll(ctx, [
    '*x\r\n',
    '*\r\n',
    '*01\r\n',
    '*+1\r\n',
    '*-0\r\n',
    '*1 \r\n',
    '*2147483648\r\n',
    '*123456789012345678901\r\n',
    '*1\r\n$-1\r\n',
    '*1\r\n$x\r\n',
    '*1\r\n$04\r\nPING\r\n',
    '*1\r\n$\r\n',
    '*1\r\n$+4\r\nPING\r\n',
    '*1\r\nPING\r\n',
    '*1\r\n\xff\r\n',
    '*1\r\n\r\n',
    '*1\r\n:4\r\n',
    '*1\r\n$536870913\r\n',
    'PING\r\n*1\r\n$x\r\nPING\r\n',
  ]);
});

test('*2000000000 is accepted (up to INT_MAX) and waits for its arguments', async (ctx) => {
  await sameAll(ctx, ['*2000000000\r\n$4\r\nPING\r\n', '*2147483647\r\n']);
});

test('a NUL byte before the line end hides it (Redis uses strchr)', async (ctx) => {
  await sameAll(ctx, [
    'PI\x00NG\r\n',
    'PING\r\nPI\x00NG\r\nPING\r\n',
    'PING\r\n*1\x00\r\n$4\r\nPING\r\n',
    '*1\r\n$4\x00\r\nPING\r\n',
  ]);
});

test('64 KB limits on inline lines and length headers', async (ctx) => {
  const k64 = 64 * 1024;
  await sameExchange(ctx, ['ECHO ' + 'a'.repeat(k64 - 10) + '\r\n']);
  await sameExchange(ctx, ['x'.repeat(k64 + 5000)]);
  await sameExchange(ctx, ['*' + '1'.repeat(k64 + 5000)]);
  await sameExchange(ctx, ['*1\r\n$' + '1'.repeat(k64 + 5000)]);
  // A NUL hides the line end; the 64 KB that follow make it too big.
  await sameExchange(ctx, ['PI\x00NG\r\n' + 'y'.repeat(k64 + 100)]);
  // Sent in pieces with pauses, so each server reads it in several parts.
  await sameExchange(ctx, Array.from({ length: 6 }, () => 'z'.repeat(16 * 1024)), { gapMs: 20 });
});

test('pipelining: every command of one write answered, in order', async ({ c }) => {
  let pipe = '';
  for (let i = 0; i < 300; i++) {
    pipe += `*3\r\n$3\r\nSET\r\n$${String(i).length + 1}\r\nk${i}\r\n$2\r\n\xff${String.fromCharCode(i & 0xff)}\r\n`;
    pipe += i % 2 === 0 ? `GET k${i}\r\n` : `*2\r\n$3\r\nGET\r\n$${String(i).length + 1}\r\nk${i}\r\n`;
  }
  pipe += 'PING\r\n';
  await c.sameRaw(pipe, 500);
});

test('frames split across writes at awkward places', async (ctx) => {
  const frame = '*3\r\n$3\r\nSET\r\n$3\r\nk\x00\xff\r\n$5\r\nv\r\n\x00\xff\r\n*2\r\n$3\r\nGET\r\n$3\r\nk\x00\xff\r\n';
  const cuts = [1, 2, 3, 4, 5, 9, 13, 14, 20, 30, frame.length - 1];
  for (const cut of cuts) {
    await sameExchange(ctx, [frame.slice(0, cut), frame.slice(cut)], { gapMs: 15, quietMs: 150 });
  }
  // One byte per write, inline and multibulk.
  const mixed = 'ECHO "a\\x00"\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n';
  await sameExchange(ctx, mixed.split(''), { gapMs: 2 });
});

test('big bulk values, sent whole and in pieces', async (ctx) => {
  let value = '';
  for (let i = 0; i < 300_000; i++) value += String.fromCharCode((i * 31) & 0xff);
  const set = encodeCommand(['SET', 'big', toBytes(value)]);
  const get = encodeCommand(['GET', 'big']);
  await sameExchange(ctx, [set, get], { quietMs: 400 });
  const pieces: Uint8Array[] = [];
  for (let i = 0; i < set.length; i += 50_000) pieces.push(set.subarray(i, i + 50_000));
  await sameExchange(ctx, [...pieces, get, encodeCommand(['STRLEN', 'big'])], { gapMs: 5, quietMs: 400 });
});

test('binary-safe keys and values', async ({ c }) => {
  const keys = ['\x00', '\xff', '\r\n', 'a b', '"q"', '\x00\xff\x80\x7f', ''];
  for (const k of keys) {
    await c.same('SET', k, k + '\xfe' + k);
    await c.same('GET', k);
  }
  await c.same('ECHO', '\xff\x00\xfe');
});

test('errors quote arguments as C prints them: up to the first NUL byte', async ({ c }) => {
  await c.all([
    ['a\x00b', 'c\x00d', 'e'], ['CONFIG', 'x\x00y'], ['CLIENT', 'x\x00y', 'z'], ['OBJECT', 'x\x00y', 'k'],
    ['XGROUP', 'x\x00y'], ['CLIENT', 'KILL', 'TYPE', 'x\x00y'], ['CLIENT', 'LIST', 'TYPE', 'x\x00y'],
    ['HELLO', '3', 'x\x00y'], ['CONFIG', 'SET', 'x\x00y', '1'], ['\x00', 'a'],
  ]);
});

test('errors in the middle of a pipeline stop it there', async (ctx) => {
  await sameExchange(ctx, ['PING\r\nECHO a\r\n*1\r\n$4\r\nPING\r\n*x\r\nPING\r\n']);
  await sameExchange(ctx, ['PING\r\n', 'ECHO "x\r\n', 'PING\r\n'], { gapMs: 20 });
});

test('commands pipelined behind a blocked one run after it is served, in order', async (ctx) => {
  // One write: BLPOP blocks; a SET, a GET and a protocol error wait behind it (echokv parses
  // pipelines ahead of the running command to read their keys ahead).
  const input = cat(encodeCommand(['BLPOP', 'q', '0']), encodeCommand(['SET', 'after', '1']),
    encodeCommand(['GET', 'after']), toBytes('*1\r\n$x\r\n'));
  const run = async (port: number): Promise<{ during: unknown; ex: Exchange }> => {
    const pending = exchange(port, [input], { quietMs: 700 });
    await new Promise((r) => setTimeout(r, 250));
    const other = await RespClient.connect(port);
    const during = await other.call('GET', 'after');
    await other.call('RPUSH', 'q', 'v');
    const ex = await pending;
    await other.call('DEL', 'after');
    other.close();
    return { during, ex };
  };
  const [r, e] = await Promise.all([run(ctx.redisPort), run(ctx.echoPort)]);
  assert.equal(e.during, r.during, 'GET from another client while the pipeline is blocked');
  sameBytes(e.ex.bytes, r.ex.bytes, 'replies of the blocked pipeline');
  assert.is(e.ex.closed, r.ex.closed);
  assert.is(r.ex.bytes.startsWith('*2\r\n$1\r\nq\r\n$1\r\nv\r\n+OK\r\n$1\r\n1\r\n-ERR Protocol error'), true, show(r.ex.bytes));
});

test('pipelines on big sets and hashes, split at random bytes, inline commands mixed in, answer as redis-server', async (ctx) => {
  // echokv reads a pipeline's members ahead from the read buffer's bytes (ByteTable.prefetch):
  // most members here have one length, so bytes taken from the wrong place (another command's,
  // an inline command's, a previous read's) would pass for a member that is there.
  const r = rng(29);
  const pool: string[] = [];
  for (let i = 0; i < 300; i++) pool.push(`m:${String(i).padStart(6, '0')}`);
  for (let i = 0; i < 40; i++) {
    let m = '';
    for (let n = 1 + Math.floor(r() * 200); n > 0; n--) m += String.fromCharCode(Math.floor(r() * 256));
    pool.push(m);
  }
  const pick = (): string => pool[Math.floor(r() * pool.length)];
  for (const fillers of [0, 9000]) {
    // Past 8192 keys the keys are read ahead too (Database.prefetchHashes).
    const setup: Uint8Array[] = [encodeCommand(['DEL', 'pbig', 'pbigh']), encodeCommand(['SADD', 'pbig', ...pool.slice(0, 200)]),
      encodeCommand(['HSET', 'pbigh', ...pool.slice(0, 200).flatMap((m) => [m, 'v'])])];
    for (let i = 0; i < fillers; i += 1000) {
      setup.push(encodeCommand(['MSET', ...Array.from({ length: 1000 }, (_, k) => [`pfill:${i + k}`, 'x']).flat()]));
    }
    const cmds: Uint8Array[] = [];
    for (let i = 0; i < 600; i++) {
      const m = pick();
      const op = Math.floor(r() * 9);
      const argv = op === 0 ? ['SADD', 'pbig', m, pick()] : op === 1 ? ['SREM', 'pbig', m] : op === 2 ? ['SISMEMBER', 'pbig', m]
        : op === 3 ? ['SMISMEMBER', 'pbig', m, pick()] : op === 4 ? ['HSET', 'pbigh', m, `v${i}`] : op === 5 ? ['HDEL', 'pbigh', m]
        : op === 6 ? ['HGET', 'pbigh', m] : op === 7 ? ['HEXISTS', 'pbigh', m] : ['SADD', 'pbig', m];
      if (/^[a-z0-9:]+$/.test(m) && r() < 0.25) cmds.push(toBytes(argv.join(' ') + '\r\n'));
      else cmds.push(encodeCommand(argv));
    }
    cmds.push(encodeCommand(['SCARD', 'pbig']), encodeCommand(['HLEN', 'pbigh']), encodeCommand(['SMISMEMBER', 'pbig', ...pool]),
      encodeCommand(['HMGET', 'pbigh', ...pool]), encodeCommand(['DEL', 'pbig', 'pbigh', ...Array.from({ length: fillers }, (_, k) => `pfill:${k}`)]));
    const input = cat(...cmds);
    // Cut anywhere: a command's member may come in a read before the rest of it.
    const cuts = Array.from({ length: 30 }, () => Math.floor(r() * input.length)).sort((a, b) => a - b);
    const pieces: Uint8Array[] = [cat(...setup)];
    let from = 0;
    for (const c of [...cuts, input.length]) {
      if (c > from) pieces.push(input.subarray(from, c));
      from = c;
    }
    await sameExchange(ctx, pieces, { gapMs: 3, quietMs: 5000, replies: setup.length + cmds.length });
  }
});

test('a member read before the rest of its command arrived is not read ahead from the next read\'s bytes', async (ctx) => {
  // SMISMEMBER's member y comes at the end of one read, the rest of the command in the next.
  // The next read lands where the first did (echokv reads into one buffer), and puts the
  // bytes of w, a member that is there, at the offset y had: a read-ahead of y from that
  // offset would find w.
  const w = 'w:000001';
  const y = 'y:000001';
  const members = Array.from({ length: 200 }, (_, i) => `w:${String(i).padStart(6, '0')}`);
  const setup = cat(encodeCommand(['DEL', 'pstale']), encodeCommand(['SADD', 'pstale', ...members]));
  const first = toBytes(`*4\r\n$10\r\nSMISMEMBER\r\n$6\r\npstale\r\n$8\r\n${y}\r\n`);
  const at = first.length - 10;
  const head = `$8\r\nz:000001\r\n*2\r\n$4\r\nECHO\r\n$40\r\n`;
  const payload = 'a'.repeat(at - head.length) + w + 'a'.repeat(40 - (at - head.length) - w.length);
  const second = toBytes(head + payload + `\r\n` + `*3\r\n$9\r\nSISMEMBER\r\n$6\r\npstale\r\n$8\r\n${w}\r\n`);
  assert.is(String.fromCharCode(...second.subarray(at, at + 8)), w);
  const r = await sameExchange(ctx, [setup, first, second], { gapMs: 100 });
  assert.ok(r.bytes.endsWith(`*2\r\n:0\r\n:0\r\n$40\r\n${payload}\r\n:1\r\n`), show(r.bytes));
});

test("CLIENT INFO's qbuf is the whole input of the read being run, as Redis trims only after it", async (ctx) => {
  const ping = '*1\r\n$4\r\nPING\r\n';
  const info = '*2\r\n$6\r\nCLIENT\r\n$4\r\nINFO\r\n';
  const partial = '*2\r\n$3\r\nGET\r\n$1';
  const qbuf = (bytes: string): string => / qbuf=(\d+) /.exec(bytes)?.[1] ?? `none in ${show(bytes)}`;
  for (const [input, want] of [[info, 26], [info + ping + ping, 54], [ping + info + ping, 54], [ping + ping + info, 54],
    [info + partial, 26 + partial.length]] as const) {
    const [r, e] = await Promise.all([exchange(ctx.redisPort, [input]), exchange(ctx.echoPort, [input])]);
    assert.is(qbuf(r.bytes), String(want), `redis-server, ${show(input)}`);
    assert.is(qbuf(e.bytes), String(want), `echokv, ${show(input)}`);
  }
});

test('protocol errors count in errorstats', async (ctx) => {
  await ctx.c.same('CONFIG', 'RESETSTAT');
  await sameAll(ctx, ['*1\r\n$x\r\n', 'ECHO "a\r\n']);
  await ctx.c.same('INFO', 'errorstats');
});

test('QUIT answers then closes; later input is ignored', async (ctx) => {
  await sameExchange(ctx, ['PING\r\nQUIT\r\nPING\r\n']);
  await sameExchange(ctx, ['*1\r\n$4\r\nQUIT\r\n*1\r\n$4\r\nPING\r\n']);
});

test('the reply writer matches DEBUG PROTOCOL of redis-server, RESP2 and RESP3', async ({ redisPort }) => {
  const r = await RespClient.connect(redisPort);
  try {
    const types: [string, (w: ReplyWriter) => void][] = [
      ['string', (w) => w.bulk('Hello World')],
      ['integer', (w) => w.int(12345)],
      ['double', (w) => w.double(3.141)],
      ['bignum', (w) => w.bigNumber('1234567999999999999999999999999999999')],
      ['null', (w) => w.nil()],
      ['array', (w) => {
        w.array(3);
        for (let j = 0; j < 3; j++) w.int(j);
      }],
      ['set', (w) => {
        w.set(3);
        for (let j = 0; j < 3; j++) w.int(j);
      }],
      ['map', (w) => {
        w.map(3);
        for (let j = 0; j < 3; j++) {
          w.int(j);
          w.bool(j === 1);
        }
      }],
      ['attrib', (w) => {
        if (w.proto === 3) {
          w.attribute(1);
          w.bulk('key-popularity');
          w.array(2);
          w.bulk('key:123');
          w.int(90);
        }
        w.bulk('Some real reply following the attribute');
      }],
      ['push', (w) => {
        if (w.proto === 2) {
          w.error('ERR RESP2 is not supported by this command');
          return;
        }
        w.push(2);
        w.bulk('server-cpu-usage');
        w.int(42);
        w.bulk('Some real reply following the push reply');
      }],
      ['true', (w) => w.bool(true)],
      ['false', (w) => w.bool(false)],
      ['verbatim', (w) => w.verbatim('This is a verbatim\nstring')],
    ];
    for (const proto of [2, 3] as const) {
      if (proto === 3) await r.call('HELLO', '3');
      for (const [name, fn] of types) {
        const w = new ReplyWriter();
        w.proto = proto;
        fn(w);
        let mine = '';
        for (const ch of w.take()) for (let i = 0; i < ch.length; i++) mine += String.fromCharCode(ch[i]);
        r.write(encodeCommand(['DEBUG', 'PROTOCOL', name]));
        // The collected bytes of as many replies as the writer produced.
        let theirs = '';
        while (theirs.length < mine.length) theirs += (await r.readRaw(3000)).bytes;
        assert.is(show(mine), show(theirs), `DEBUG PROTOCOL ${name} in RESP${proto}`);
      }
    }
  } finally {
    r.close();
  }
});

test('RESP3 after HELLO 3: nulls and maps as Redis sends them, back to RESP2 after HELLO 2', async ({ c }) => {
  // The HELLO reply itself holds server-specific fields (version, id): compare its type only.
  const [r, e] = await c.both('HELLO', '3');
  assert.is(e.reply.type, r.reply.type, 'HELLO 3 reply type');
  await c.same('GET', 'missing');
  await c.same('SET', 'k', 'v');
  await c.same('GET', 'k');
  await c.same('CONFIG', 'GET', 'maxmemory');
  const [r2, e2] = await c.both('HELLO', '2');
  assert.is(e2.reply.type, r2.reply.type, 'HELLO 2 reply type');
  await c.same('GET', 'missing');
  await c.same('CONFIG', 'GET', 'maxmemory');
});

test.run();

// ---------------------------------------------------------------------------------------------
// Limits configured small on both servers.

const limits = compatSuite('protocol limits', {
  'proto-max-bulk-len': '2mb',
  'client-query-buffer-limit': '1mb',
});

limits('proto-max-bulk-len: a longer bulk is an invalid bulk length', async (ctx) => {
  await sameExchange(ctx, [`*2\r\n$4\r\nECHO\r\n$${2 * 1024 * 1024 + 1}\r\n`]);
  await sameExchange(ctx, [`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${2 * 1024 * 1024 + 1}\r\n` + 'x'.repeat(1000)]);
  // Exactly the limit passes the length check (the query buffer limit then closes the client
  // once more than 1 MB of it is buffered, on both servers).
  await sameExchange(ctx, [`*2\r\n$4\r\nECHO\r\n$${2 * 1024 * 1024}\r\n` + 'x'.repeat(1000)]);
});

limits('client-query-buffer-limit: closed without a reply', async (ctx) => {
  const head = `*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${900 * 1024}\r\n`;
  const chunk = new Uint8Array(64 * 1024).fill(120);
  // 900 KB of a bulk fits, so the SET succeeds.
  await sameExchange(ctx, [head, ...Array.from({ length: 14 }, () => chunk), new Uint8Array(900 * 1024 - 14 * 65536 + 2)], { quietMs: 400 });
  // A 1.5 MB value does not: both close with no reply at all.
  const big = `*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${1500 * 1024}\r\n`;
  const r = await sameExchange(ctx, ['PING\r\n' + big, ...Array.from({ length: 48 }, () => chunk)], { gapMs: 2, quietMs: 400 });
  assert.is(r.bytes, '+PONG\r\n');
  assert.ok(r.closed);
});

limits.run();

const auth = compatSuite('protocol unauthenticated limits', { requirepass: 'secret' });

auth('before AUTH: 10 arguments and 16 KB bulks at most', async (ctx) => {
  await sameAll(ctx, [
    '*11\r\n',
    '*10\r\n$4\r\nECHO\r\n',
    '*2\r\n$4\r\nECHO\r\n$16385\r\n',
    '*2\r\n$4\r\nECHO\r\n$16384\r\n' + 'x'.repeat(16384) + '\r\n',
    'ECHO ' + 'y'.repeat(30000) + '\r\n',
    'PING\r\n',
  ]);
});

auth('AUTH in the same read lifts the limits for the commands after it', async (ctx) => {
  const args = Array.from({ length: 11 }, (_, i) => `k${i}`);
  await sameExchange(ctx, [encodeCommand(['AUTH', 'secret']), encodeCommand(['DEL', ...args]),
    encodeCommand(['ECHO', 'z'.repeat(20000)])]);
  await sameExchange(ctx, [encodeCommand(['AUTH', 'wrong']), encodeCommand(['DEL', ...args])]);
});

auth('RESET in the same read ends authentication for the commands after it', async (ctx) => {
  const args = Array.from({ length: 11 }, (_, i) => `k${i}`);
  await sameExchange(ctx, [cat(encodeCommand(['AUTH', 'secret']), encodeCommand(['PING']), encodeCommand(['RESET']),
    encodeCommand(['DEL', ...args]), encodeCommand(['PING']))]);
  await sameExchange(ctx, [cat(encodeCommand(['AUTH', 'secret']), encodeCommand(['reset']), encodeCommand(['GET', 'x']))]);
});

auth.run();

const maxclients = compatSuite('protocol maxclients', { maxclients: '3' });

maxclients('maxclients: the connection past the limit gets the error and is closed', async (ctx) => {
  // The suite already holds one connection to each server.
  const extra = await Promise.all([ctx.connect(), ctx.connect()]);
  await sameExchange(ctx, ['PING\r\n']);
  for (const x of extra) await x.same('PING');
  // After one leaves, a new client gets in again.
  extra[0].redis.close();
  extra[0].echo.close();
  await Promise.all([extra[0].redis.waitClosed(), extra[0].echo.waitClosed()]);
  await new Promise((r) => setTimeout(r, 100));
  const x = await sameExchange(ctx, ['PING\r\n']);
  assert.is(x.bytes, '+PONG\r\n');
});

maxclients.run();

const timeout = compatSuite('protocol timeout', { timeout: '1' });

timeout('timeout: an idle client is closed without a reply, an active one is not', async (ctx) => {
  const idle = await ctx.connect();
  const active = await ctx.connect();
  const started = Date.now();
  // Keep `active` busy while `idle` waits; Redis checks with second granularity, so allow 4 s.
  while (!(idle.redis.closed && idle.echo.closed) && Date.now() - started < 4000) {
    await active.same('PING');
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.ok(idle.redis.closed, 'redis-server closed the idle client');
  assert.ok(idle.echo.closed, 'echokv closed the idle client');
  assert.is(idle.redis.pendingBytes, 0);
  assert.is(idle.echo.pendingBytes, 0);
  await active.same('PING');
});

timeout.run();
