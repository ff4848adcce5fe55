// Real clients against echokv: ioredis, node-redis and redis-cli. A recording proxy in front of
// the server shows what each client sends on connect (decoded with echokv's own parser); the
// rest checks basic commands, pipelines, multi-key commands, non-UTF-8 Buffers, errors surfaced
// as errors, and RESP3. redis-cli runs are compared with the same runs against redis-server
// (when installed): identical stdout, byte for byte. Every step is bounded in time.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as net from 'node:net';
import { spawn } from 'node:child_process';
import { Buffer } from 'node:buffer';
import { Redis } from 'ioredis';
import { createClient, RESP_TYPES } from 'redis';
import { RequestParser } from '../core/resp/parser.ts';
import { startEchokv, startRedis, type Running, type Proc, within } from './_helpers.ts';

let echo: Running;
let redis: (Proc & { dir: string }) | null = null;

interface Recorder {
  port: number;
  /** Every command clients sent through the proxy, per connection, in order. */
  sessions: string[][][];
  close(): void;
}

/** A TCP proxy to `target` that decodes what clients send (any protocol error shows up too). */
function recordingProxy(target: number): Promise<Recorder> {
  const sessions: string[][][] = [];
  const sockets = new Set<net.Socket>();
  return new Promise((resolve) => {
    const srv = net.createServer((c) => {
      const commands: string[][] = [];
      sessions.push(commands);
      const parser = new RequestParser({ maxBulkLen: 1 << 30, maxQueryBuffer: 1 << 30 });
      const up = net.connect(target, '127.0.0.1');
      sockets.add(c).add(up);
      c.on('data', (d: Uint8Array) => {
        parser.push(new Uint8Array(d));
        for (let argv = parser.next(); argv !== null; argv = parser.next()) commands.push(argv);
        if (parser.error) commands.push(['<protocol error>', parser.error]);
        up.write(d);
      });
      up.on('data', (d) => c.write(d));
      c.on('close', () => up.destroy());
      up.on('close', () => c.destroy());
      c.on('error', () => {});
      up.on('error', () => {});
    });
    srv.listen(0, '127.0.0.1', () => {
      resolve({
        port: (srv.address() as net.AddressInfo).port,
        sessions,
        close: () => {
          for (const s of sockets) s.destroy();
          srv.close();
        },
      });
    });
  });
}

/** The first argument lower-cased, the rest as sent: what a handshake looks like. */
const shape = (argv: string[]): string => [argv[0].toLowerCase(), ...argv.slice(1)].join(' ');

function ioredis(port: number, opts: Record<string, unknown> = {}): Redis {
  return new Redis({
    port,
    host: '127.0.0.1',
    // Fail fast instead of reconnecting forever when something is missing on the server.
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    connectTimeout: 3000,
    lazyConnect: true,
    ...opts,
  });
}

async function ioredisReady(port: number, opts: Record<string, unknown> = {}): Promise<Redis> {
  const r = ioredis(port, opts);
  r.on('error', () => {});
  try {
    await within(r.connect(), 5000, 'ioredis connect');
  } catch (e) {
    r.disconnect();
    throw e;
  }
  return r;
}

async function nodeRedis(port: number, opts: Record<string, unknown> = {}) {
  const c = createClient({
    url: `redis://127.0.0.1:${port}`,
    socket: { reconnectStrategy: false, connectTimeout: 3000 },
    ...opts,
  });
  c.on('error', () => {});
  try {
    await within(c.connect(), 5000, 'node-redis connect');
  } catch (e) {
    c.destroy();
    throw e;
  }
  return c;
}

// ---------------------------------------------------------------------------------------------
// ioredis

const io = suite('ioredis');

io.before(async () => {
  echo = await startEchokv();
});

io('connect with defaults: HELLO 3, CLIENT SETINFO, then INFO as the ready check', async () => {
  const proxy = await recordingProxy(echo.port);
  try {
    const r = await ioredisReady(proxy.port);
    assert.is(await r.ping(), 'PONG');
    await r.quit();
    const sent = proxy.sessions[0].map(shape);
    assert.equal(sent.slice(0, 4), ['hello 3', 'client SETINFO LIB-VER 6.0.0', 'client SETINFO LIB-NAME ioredis', 'info']);
  } finally {
    proxy.close();
  }
});

io('connect with protocol 2, db and a connection name', async () => {
  const proxy = await recordingProxy(echo.port);
  try {
    const r = await ioredisReady(proxy.port, { protocol: 2, db: 3, connectionName: 'app' });
    await r.set('in-db-3', 'x');
    assert.is(await r.get('in-db-3'), 'x');
    await r.quit();
    const sent = proxy.sessions[0].map(shape);
    assert.equal(sent.slice(0, 3), ['select 3', 'client setname app', 'client SETINFO LIB-VER 6.0.0']);
    const check = await ioredisReady(echo.port, { protocol: 2, db: 0 });
    assert.is(await check.get('in-db-3'), null);
    check.disconnect();
  } finally {
    proxy.close();
  }
});

io('basic commands, pipelines and multi-key commands', async () => {
  const r = await ioredisReady(echo.port);
  try {
    assert.is(await r.set('io:k', 'v1'), 'OK');
    assert.is(await r.get('io:k'), 'v1');
    assert.is(await r.get('io:missing'), null);
    assert.is(await r.echo('héllo'), 'héllo');
    const res = await r.pipeline().set('io:a', '1').incr('io:a').get('io:a').del('io:a').exec();
    assert.equal(res, [[null, 'OK'], [null, 2], [null, '2'], [null, 1]]);
    assert.is(await r.mset('io:m1', 'a', 'io:m2', 'b'), 'OK');
    assert.equal(await r.mget('io:m1', 'io:m2', 'io:none'), ['a', 'b', null]);
    // Many commands in flight at once are pipelined on the socket.
    const many = await Promise.all(Array.from({ length: 500 }, (_, i) => r.echo(`m${i}`)));
    assert.equal(many, Array.from({ length: 500 }, (_, i) => `m${i}`));
  } finally {
    r.disconnect();
  }
});

io('Buffers with non-UTF-8 bytes round-trip exactly', async () => {
  const r = await ioredisReady(echo.port);
  try {
    const key = Buffer.from([0xff, 0x00, 0xfe, 0x0d, 0x0a]);
    const value = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    assert.is(await r.set(key, value), 'OK');
    const got = await r.getBuffer(key);
    assert.ok(got !== null && Buffer.compare(got, value) === 0, 'value bytes');
    const big = Buffer.alloc(300_000, 0x80);
    await r.set('io:big', big);
    const back = await r.getBuffer('io:big');
    assert.ok(back !== null && Buffer.compare(back, big) === 0, 'big value bytes');
  } finally {
    r.disconnect();
  }
});

io('errors surface as rejected promises with the Redis text', async () => {
  const r = await ioredisReady(echo.port);
  try {
    await r.call('NOSUCHCMD', 'a').then(() => assert.unreachable('should fail'), (e: Error) => {
      assert.is(e.message, "ERR unknown command 'NOSUCHCMD', with args beginning with: 'a' ");
    });
    await r.call('GET').then(() => assert.unreachable('should fail'), (e: Error) => {
      assert.is(e.message, "ERR wrong number of arguments for 'get' command");
    });
    // The connection stays usable after errors, also inside a pipeline.
    const res = await r.pipeline().set('io:e', 'x').call('NOSUCHCMD').get('io:e').exec();
    assert.is(res![0][1], 'OK');
    assert.ok(res![1][0] instanceof Error);
    assert.is(res![2][1], 'x');
  } finally {
    r.disconnect();
  }
});

io('without the INFO ready check (enableReadyCheck: false), RESP2 and RESP3', async () => {
  for (const protocol of [2, 3]) {
    const r = await ioredisReady(echo.port, { protocol, enableReadyCheck: false });
    try {
      assert.is(await r.set('io:nr', 'v'), 'OK');
      assert.is(await r.get('io:nr'), 'v');
      assert.is(await r.get('io:none'), null);
      const v = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      await r.set(Buffer.from([0xff, 0x00]), v);
      const got = await r.getBuffer(Buffer.from([0xff, 0x00]));
      assert.ok(got !== null && Buffer.compare(got, v) === 0, `value bytes (RESP${protocol})`);
      assert.equal(await r.pipeline().set('io:p', '1').incr('io:p').get('io:p').exec(), [[null, 'OK'], [null, 2], [null, '2']]);
      await r.call('NOSUCHCMD').then(() => assert.unreachable('should fail'), (e: Error) => {
        assert.is(e.message, "ERR unknown command 'NOSUCHCMD', with args beginning with: ");
      });
    } finally {
      r.disconnect();
    }
  }
});

io('RESP3 reply mapping: maps as objects, nulls as null', async () => {
  const r = await ioredisReady(echo.port, { protocol: 3, replyMapping: 'resp3' });
  try {
    assert.is(await r.get('io:none'), null);
    assert.equal(await r.config('GET', 'maxmemory'), { maxmemory: '0' });
  } finally {
    r.disconnect();
  }
});

io.after(async () => {
  await echo.stop();
});

io.run();

// ---------------------------------------------------------------------------------------------
// node-redis

const nr = suite('node-redis');

nr.before(async () => {
  echo = await startEchokv();
});

nr('connect with defaults (RESP3): HELLO 3, CLIENT SETINFO, CLIENT MAINT_NOTIFICATIONS', async () => {
  const proxy = await recordingProxy(echo.port);
  try {
    const c = await nodeRedis(proxy.port);
    assert.is(await c.ping(), 'PONG');
    c.destroy();
    const sent = proxy.sessions[0].map(shape);
    assert.equal(sent.slice(0, 3), ['hello 3', 'client SETINFO LIB-VER 6.3.1', 'client SETINFO LIB-NAME node-redis']);
    assert.ok(sent[3].startsWith('client MAINT_NOTIFICATIONS ON'), sent[3]);
  } finally {
    proxy.close();
  }
});

nr('connect with RESP2, a database and a name', async () => {
  const proxy = await recordingProxy(echo.port);
  try {
    const c = await nodeRedis(proxy.port, { RESP: 2, database: 2, name: 'app' });
    assert.is(await c.set('nr:db2', 'y'), 'OK');
    c.destroy();
    const sent = proxy.sessions[0].map(shape);
    assert.equal(sent.slice(0, 2), ['client SETNAME app', 'select 2']);
  } finally {
    proxy.close();
  }
});

for (const RESP of [2, 3] as const) {
  nr(`RESP${RESP}: basic commands, pipelines, multi-key commands`, async () => {
    const c = await nodeRedis(echo.port, { RESP });
    try {
      assert.is(await c.set('nr:k', 'v'), 'OK');
      assert.is(await c.get('nr:k'), 'v');
      assert.is(await c.get('nr:missing'), null);
      const replies = await c.multi().set('nr:a', '1').incr('nr:a').get('nr:a').execAsPipeline();
      assert.equal(replies, ['OK', 2, '2']);
      assert.is(await c.mSet({ 'nr:m1': 'a', 'nr:m2': 'b' }), 'OK');
      assert.equal(await c.mGet(['nr:m1', 'nr:m2', 'nr:none']), ['a', 'b', null]);
      const many = await Promise.all(Array.from({ length: 500 }, (_, i) => c.echo(`e${i}`)));
      assert.equal(many, Array.from({ length: 500 }, (_, i) => `e${i}`));
    } finally {
      c.destroy();
    }
  });

  nr(`RESP${RESP}: Buffers with non-UTF-8 bytes and errors as ErrorReply`, async () => {
    const c = await nodeRedis(echo.port, { RESP });
    try {
      const key = Buffer.from([0x80, 0x00, 0xff]);
      const value = Buffer.from(Array.from({ length: 256 }, (_, i) => 255 - i));
      assert.is(await c.set(key, value), 'OK');
      const got = await c.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer }).get(key);
      assert.ok(Buffer.isBuffer(got) && Buffer.compare(got, value) === 0, 'value bytes');
      await c.sendCommand(['NOSUCHCMD']).then(() => assert.unreachable('should fail'), (e: Error) => {
        assert.is(e.message, "ERR unknown command 'NOSUCHCMD', with args beginning with: ");
      });
      assert.is(await c.ping(), 'PONG');
    } finally {
      c.destroy();
    }
  });
}

nr('RESP3 types reach the client: null, map', async () => {
  const c = await nodeRedis(echo.port, { RESP: 3 });
  try {
    assert.is(await c.sendCommand(['GET', 'nr:none']), null);
    const cfg = await c.sendCommand(['CONFIG', 'GET', 'maxmemory']);
    assert.equal(cfg, { maxmemory: '0' });
  } finally {
    c.destroy();
  }
});

nr.after(async () => {
  await echo.stop();
});

nr.run();

// ---------------------------------------------------------------------------------------------
// redis-cli, compared with the same invocations against redis-server

interface CliRun {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** Runs redis-cli (async: the in-process server must keep serving); killed after `timeoutMs`. */
function cli(port: number, args: string[], opts: { input?: string | Uint8Array; timeoutMs?: number; lineBuffered?: boolean } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const argv = ['-p', String(port), ...args];
    // A killed redis-cli loses what stdio buffered for the pipe; stdbuf makes it line-buffered.
    const child = opts.lineBuffered ? spawn('stdbuf', ['-oL', 'redis-cli', ...argv], { stdio: ['pipe', 'pipe', 'pipe'] }) :
      spawn('redis-cli', argv, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Uint8Array) => {
      for (let i = 0; i < d.length; i++) stdout += String.fromCharCode(d[i]);
    });
    child.stderr.on('data', (d) => (stderr += d));
    const t = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 10_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(t);
      resolve({ stdout, stderr, code });
    });
    if (opts.input !== undefined) {
      child.stdin.end(typeof opts.input === 'string' ? Buffer.from(opts.input, 'latin1') : opts.input);
    } else {
      child.stdin.end();
    }
  });
}

/** The same redis-cli run against both servers; asserts identical stdout and exit code. */
async function sameCli(args: string[], opts: { input?: string | Uint8Array } = {}): Promise<string> {
  const e = await cli(echo.port, args, opts);
  if (redis === null) return e.stdout;
  const r = await cli(redis.port, args, opts);
  assert.is(JSON.stringify(e.stdout), JSON.stringify(r.stdout), `redis-cli ${args.join(' ')}`);
  assert.is(e.code, r.code, `exit code of redis-cli ${args.join(' ')}`);
  return r.stdout;
}

const rc = suite('redis-cli');

rc.before(async () => {
  echo = await startEchokv();
  redis = await startRedis();
});

rc.before.each(async () => {
  await cli(echo.port, ['FLUSHALL']);
  if (redis !== null) await cli(redis.port, ['FLUSHALL']);
});

rc('one-shot commands, raw (not a tty) and --no-raw', async () => {
  assert.is(await sameCli(['SET', 'k', 'v w']), 'OK\n');
  assert.is(await sameCli(['GET', 'k']), 'v w\n');
  await sameCli(['--no-raw', 'GET', 'k']);
  await sameCli(['--no-raw', 'GET', 'missing']);
  await sameCli(['GET', 'missing']);
  // argv cannot hold NUL bytes (the -x test sends them); node passes these as UTF-8.
  await sameCli(['SET', 'bin', '\xff\x01é\x7f']);
  await sameCli(['--raw', 'GET', 'bin']);
  await sameCli(['--no-raw', 'GET', 'bin']);
  await sameCli(['--no-raw', 'PING']);
  await sameCli(['ECHO', 'a\nb']);
  await sameCli(['--no-raw', 'NOSUCHCMD', 'x']);
  await sameCli(['NOSUCHCMD', 'x']);
  await sameCli(['GET']);
});

rc('-x reads the last argument from stdin', async () => {
  assert.is(await sameCli(['-x', 'SET', 'fromstdin'], { input: 'line1\nline2\x00\xff' }), 'OK\n');
  await sameCli(['--no-raw', 'GET', 'fromstdin']);
  await sameCli(['-x', 'ECHO'], { input: '' });
});

rc('-n selects a database', async () => {
  assert.is(await sameCli(['-n', '5', 'SET', 'in5', 'x']), 'OK\n');
  assert.is(await sameCli(['-n', '5', 'GET', 'in5']), 'x\n');
  assert.is(await sameCli(['GET', 'in5']), '\n');
  await sameCli(['-n', '99', 'PING']);
});

rc('commands piped via stdin, one per line', async () => {
  const out = await sameCli([], { input: 'SET a 1\nINCR a\nGET a\nECHO "x y"\n\nPING\nNOSUCH\n' });
  assert.match(out, /^OK\n2\n2\nx y\n/);
  await sameCli(['--no-raw'], { input: 'SET b "q\\x41"\nGET b\n' });
});

rc('--pipe mass insertion', async () => {
  let data = '';
  for (let i = 0; i < 2000; i++) data += `*3\r\n$3\r\nSET\r\n$${String(i).length + 4}\r\nkey:${i}\r\n$4\r\n\xff\x00v${i % 10}\r\n`;
  data += 'PING\r\n';
  const e = await cli(echo.port, ['--pipe'], { input: data });
  assert.is(e.code, 0, e.stderr);
  assert.match(e.stdout, /errors: 0, replies: 2001/);
  const n = await cli(echo.port, ['--no-raw', 'GET', 'key:1999']);
  assert.is(n.stdout, '"\\xff\\x00v9"\n');
  if (redis !== null) {
    const r = await cli(redis.port, ['--pipe'], { input: data });
    assert.is(e.stdout, r.stdout);
  }
});

rc('-3 (RESP3) one-shot commands', async () => {
  await sameCli(['-3', '--no-raw', 'GET', 'missing']);
  await sameCli(['-3', '--no-raw', 'SET', 'k', 'v']);
  await sameCli(['-3', 'GET', 'k']);
});

rc('--stat runs for a couple of seconds without errors', async () => {
  const run = await cli(echo.port, ['--stat', '-i', '0.5'], { timeoutMs: 2200, lineBuffered: true });
  assert.not.match(run.stdout + run.stderr, /ERR|rror/, `--stat printed:\n${run.stdout}${run.stderr}`);
  const lines = run.stdout.split('\n').filter((l) => /\d/.test(l));
  assert.ok(lines.length >= 2, `--stat printed:\n${run.stdout}${run.stderr}`);
});

rc.after(async () => {
  await echo.stop();
  if (redis !== null) await redis.stop();
});

rc.run();
