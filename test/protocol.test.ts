// The data path in-process over a fake Connection that records every write, with the event loop
// played by hand (read() is one read and the end of its turn): one write per client per turn for
// pipelines, replies of every client read in a turn going out only at its end, frames split at any byte, protocol errors closing after the reply, the query
// buffer limit closing without one, maxclients, idle timeout, the unauthenticated limits, and
// limits changed at runtime. Then the same over a real socket for binary-safe values.
import { test } from 'uvu';
import { readFileSync } from 'node:fs';
import * as assert from 'uvu/assert';
import { createServer } from '../mod.ts';
import { createHost } from '../plugins/host/node.ts';
import type { Client, Connection } from '../core/client.ts';
import type { Server } from '../core/server.ts';
import { decodeReply, encodeCommand, plain } from './_resp.ts';
import { RespClient, startEchokv } from './_helpers.ts';

class FakeConn implements Connection {
  readonly kind = 'tcp' as const;
  readonly remoteAddress = '127.0.0.1:50000';
  readonly localAddress = '127.0.0.1:6379';
  readonly fd = 99;
  readonly bufferedAmount = 0;
  /** One entry per write() call: the chunks of that call. */
  writes: Uint8Array[][] = [];
  closed = 0;
  write(chunks: readonly Uint8Array[]): void {
    if (this.closed > 0) throw new Error('write after close');
    this.writes.push(chunks.map((c) => c.slice()));
  }
  close(): void {
    this.closed++;
  }
  /** Everything written so far, as a byte string. */
  get text(): string {
    let s = '';
    for (const w of this.writes) for (const c of w) for (let i = 0; i < c.length; i++) s += String.fromCharCode(c[i]);
    return s;
  }
  /** Everything written, decoded to plain values. */
  get replies(): unknown[] {
    const s = this.text;
    const b = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
    const out: unknown[] = [];
    let pos = 0;
    while (pos < b.length) {
      const r = decodeReply(b, pos);
      if (r === null) throw new Error('partial reply at ' + pos);
      out.push(plain(r.reply));
      pos = r.end;
    }
    return out;
  }
}

let now = 1_700_000_000_000;

/** What the server deferred to the end of the current event-loop turn (host.defer). */
let deferred: (() => void)[] = [];

/** Ends the event-loop turn: runs what was deferred to it. */
function endTurn(): void {
  while (deferred.length > 0) {
    const fns = deferred;
    deferred = [];
    for (const fn of fns) fn();
  }
}

/** One read from a client's socket, handled in its own event-loop turn. */
function read(client: Client, data: Uint8Array): void {
  client.onData(data);
  endTurn();
}

function server(config: Record<string, string | number> = {}): Server {
  deferred = [];
  return createServer({
    // In memory: a dump.rdb in the working directory must not load into these servers.
    config: { port: 0, persistence: 'none', ...config },
    clock: () => now,
    host: { ...createHost([]), stdout: () => {}, defer: (fn) => void deferred.push(fn) },
  });
}

function connect(s: Server): { conn: FakeConn; client: Client } {
  const conn = new FakeConn();
  const client = s.accept(conn);
  if (client === null) throw new Error('refused');
  return { conn, client };
}

function bytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

const cmd = (...args: string[]): Uint8Array => encodeCommand(args);

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

test('a pipeline in one read is answered in order with one write', () => {
  const s = server();
  const { conn, client } = connect(s);
  const parts: Uint8Array[] = [];
  for (let i = 0; i < 200; i++) parts.push(cmd('SET', `k${i}`, `v${i}`), cmd('GET', `k${i}`));
  parts.push(bytes('PING\r\nECHO "a b"\r\n'));
  read(client, concat(parts));
  assert.is(conn.writes.length, 1);
  const want: unknown[] = [];
  for (let i = 0; i < 200; i++) want.push('OK', `v${i}`);
  want.push('PONG', 'a b');
  assert.equal(conn.replies, want);
});

test('replies of every client read in one turn go out at its end, one write each', () => {
  const s = server();
  const a = connect(s);
  const b = connect(s);
  a.client.onData(concat([cmd('SET', 'k', 'v'), cmd('GET', 'k')]));
  b.client.onData(cmd('GET', 'k'));
  a.client.onData(cmd('PING'));
  assert.is(a.conn.writes.length + b.conn.writes.length, 0, 'nothing is written before the turn ends');
  endTurn();
  assert.is(a.conn.writes.length, 1);
  assert.is(b.conn.writes.length, 1);
  assert.equal(a.conn.replies, ['OK', 'v', 'PONG']);
  assert.equal(b.conn.replies, ['v']);
  // A protocol error closes the connection after its reply, at the end of the turn too.
  a.client.onData(bytes('*1\r\n$x\r\n'));
  assert.is(a.conn.closed, 0);
  endTurn();
  assert.is(a.conn.closed, 1);
  assert.equal(a.conn.replies.slice(3), [{ error: 'ERR Protocol error: invalid bulk length' }]);
});

test('replies passing 64 KB in one turn go out at once, not at its end', () => {
  const s = server();
  const { conn, client } = connect(s);
  read(client, cmd('SET', 'big', 'x'.repeat(40_000)));
  assert.is(conn.writes.length, 1);
  client.onData(cmd('GET', 'big'));
  assert.is(conn.writes.length, 1, 'under 64 KB: held for the end of the turn');
  client.onData(concat([cmd('GET', 'big'), cmd('PING')]));
  assert.is(conn.writes.length, 2, 'past 64 KB: written before the turn ends');
  endTurn();
  assert.is(conn.writes.length, 2);
  assert.equal(conn.replies, ['OK', 'x'.repeat(40_000), 'x'.repeat(40_000), 'PONG']);
});

test('one write per read, also with large replies', () => {
  const s = server();
  const { conn, client } = connect(s);
  const big = 'b'.repeat(200_000);
  read(client, concat([cmd('SET', 'big', big), cmd('GET', 'big'), cmd('GET', 'big'), cmd('PING')]));
  assert.is(conn.writes.length, 1);
  assert.ok(conn.writes[0].length > 1, 'large values go out as their own chunks of the same write');
  assert.equal(conn.replies, ['OK', big, big, 'PONG']);
  // A read with no complete command writes nothing.
  read(client, bytes('*1\r\n$4\r\nPI'));
  assert.is(conn.writes.length, 1);
  read(client, bytes('NG\r\n'));
  assert.is(conn.writes.length, 2);
});

test('frames split at every byte across reads', () => {
  const s = server();
  const input = concat([cmd('SET', 'k\x00\xff', 'v\r\n'), cmd('GET', 'k\x00\xff'), bytes('ECHO x\r\n'), cmd('PING')]);
  for (let cut = 0; cut <= input.length; cut++) {
    const { conn, client } = connect(s);
    read(client, input.slice(0, cut));
    read(client, input.slice(cut));
    assert.equal(conn.replies, ['OK', 'v\r\n', 'x', 'PONG'], `cut at ${cut}`);
    client.onClose();
  }
  // And one byte per read.
  const { conn, client } = connect(s);
  for (let i = 0; i < input.length; i++) read(client, input.slice(i, i + 1));
  assert.equal(conn.replies, ['OK', 'v\r\n', 'x', 'PONG']);
  assert.is(conn.writes.length, 4);
});

test('a protocol error answers what came before, then the error, then closes', () => {
  const s = server();
  const { conn, client } = connect(s);
  read(client, bytes('PING\r\n*1\r\n$x\r\nPING\r\n'));
  assert.is(conn.text, '+PONG\r\n-ERR Protocol error: invalid bulk length\r\n');
  assert.is(conn.writes.length, 1);
  assert.is(conn.closed, 1);
  assert.ok(client.closed);
  assert.is(s.clients.size, 0);
  // Counted like any error reply (INFO errorstats), as Redis does.
  assert.is(s.stats.totalErrorReplies, 1);
  assert.is(s.stats.errorCodes.get('ERR'), 1);
  // Input after the close is ignored.
  read(client, bytes('PING\r\n'));
  assert.is(conn.writes.length, 1);
});

test('the query buffer limit closes without a reply', () => {
  const s = server({ 'client-query-buffer-limit': '1mb' });
  const { conn, client } = connect(s);
  read(client, bytes('PING\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3000000\r\n'));
  assert.is(conn.text, '+PONG\r\n');
  const chunk = new Uint8Array(64 * 1024);
  for (let i = 0; i < 40 && !client.closed; i++) read(client, chunk);
  assert.ok(client.closed, 'closed');
  assert.is(conn.closed, 1);
  assert.is(conn.text, '+PONG\r\n');
  assert.is(s.stats.clientQueryBufferLimitDisconnections, 1);
});

test('limits changed at runtime apply to open connections', () => {
  const s = server();
  const { conn, client } = connect(s);
  assert.is(s.config.setMany([['proto-max-bulk-len', '1mb']]), null);
  read(client, bytes(`*2\r\n$4\r\nECHO\r\n$${1024 * 1024 + 1}\r\n`));
  assert.is(conn.text, '-ERR Protocol error: invalid bulk length\r\n');
  assert.is(conn.closed, 1);
  const b = connect(s);
  assert.is(s.config.setMany([['client-query-buffer-limit', '1mb']]), null);
  read(b.client, bytes(`*2\r\n$4\r\nECHO\r\n$${1000 * 1000}\r\n`));
  for (let i = 0; i < 20 && !b.client.closed; i++) read(b.client, new Uint8Array(64 * 1024));
  assert.ok(b.client.closed);
  assert.is(b.conn.text, '');
});

test('protected mode: without a password only local clients are served, with Redis 7.0\'s DENIED text', () => {
  const remote = (): FakeConn => {
    const conn = new FakeConn();
    Object.defineProperty(conn, 'remoteAddress', { value: '192.0.2.7:40000' });
    return conn;
  };
  const s = server();
  const conn = remote();
  assert.is(s.accept(conn), null);
  assert.match(conn.text, /^-DENIED Redis is running in protected mode because .* from the outside\.\r\n$/);
  assert.is(conn.closed, 1);
  assert.is(s.stats.rejectedConnections, 1);
  // The text is redis-server 7.0's, byte for byte (it is in the binary).
  const bin = (() => {
    try {
      return readFileSync('/usr/bin/redis-server');
    } catch {
      return null;
    }
  })();
  if (bin !== null) assert.ok(bin.includes(Buffer.from(conn.text, 'latin1')), 'the DENIED reply is in redis-server');
  else if (process.env.CI === 'true') throw new Error('redis-server is required when CI=true');
  // Local clients, a password, or protected-mode no let remote clients in.
  read(connect(s).client, cmd('PING'));
  assert.is(s.config.setMany([['protected-mode', 'no']]), null);
  assert.ok(s.accept(remote()) !== null, 'protected-mode no');
  assert.is(s.config.setMany([['protected-mode', 'yes'], ['requirepass', 'secret']]), null);
  const withPass = remote();
  const c = s.accept(withPass);
  assert.ok(c !== null, 'a password is set');
  read(c!, cmd('PING'));
  assert.match(withPass.text, /^-NOAUTH /);
});

test('maxclients refuses with an error and closes', () => {
  const s = server({ maxclients: 2 });
  connect(s);
  const second = connect(s);
  const conn = new FakeConn();
  assert.is(s.accept(conn), null);
  assert.is(conn.text, '-ERR max number of clients reached\r\n');
  assert.is(conn.closed, 1);
  assert.is(s.stats.rejectedConnections, 1);
  // A slot frees up when a client leaves.
  second.client.onClose();
  const { conn: c3, client: cl3 } = connect(s);
  read(cl3, cmd('PING'));
  assert.is(c3.text, '+PONG\r\n');
});

test('timeout closes idle clients without a reply, not active ones', () => {
  const s = server({ timeout: 2 });
  const idle = connect(s);
  const busy = connect(s);
  now += 1500;
  read(busy.client, cmd('PING'));
  s.cron();
  assert.is(idle.conn.closed, 0);
  // Idle time counts in whole seconds, as in Redis: 2 s is not over `timeout 2`, 3 s is.
  now += 1000;
  s.cron();
  assert.is(idle.conn.closed, 0);
  now += 500;
  s.cron();
  assert.is(idle.conn.closed, 1);
  assert.is(idle.conn.text, '');
  assert.is(busy.conn.closed, 0);
  now += 1100;
  s.cron();
  assert.is(busy.conn.closed, 1);
  assert.is(s.clients.size, 0);
});

test('timeout 0 never closes', () => {
  const s = server();
  const a = connect(s);
  now += 10 * 24 * 3600 * 1000;
  s.cron();
  assert.is(a.conn.closed, 0);
});

test('unauthenticated clients are limited to 10 arguments and 16 KB bulks', () => {
  const s = server({ requirepass: 'secret' });
  const a = connect(s);
  read(a.client, cmd(...Array.from({ length: 11 }, () => 'x')));
  assert.is(a.conn.text, '-ERR Protocol error: unauthenticated multibulk length\r\n');
  assert.is(a.conn.closed, 1);
  const b = connect(s);
  read(b.client, bytes('*2\r\n$4\r\nECHO\r\n$16385\r\n'));
  assert.is(b.conn.text, '-ERR Protocol error: unauthenticated bulk length\r\n');
  // Within the limits the command runs into NOAUTH.
  const c = connect(s);
  read(c.client, cmd('ECHO', 'x'.repeat(16384)));
  assert.is(c.conn.text, '-NOAUTH Authentication required.\r\n');
  assert.is(c.conn.closed, 0);
});

test('AUTH earlier in the same read lifts the unauthenticated limits for what follows', () => {
  const s = server({ requirepass: 'secret' });
  const a = connect(s);
  read(a.client, concat([cmd('AUTH', 'secret'), cmd('ECHO', 'y'.repeat(20000)), cmd('ECHO', 'z')]));
  // Long values summarized, to keep a failure readable.
  const short = (x: unknown) => (typeof x === 'string' && x.length > 20 ? `<${x.length} x ${x[0]}>` : x);
  assert.equal(a.conn.replies.map(short), ['OK', '<20000 x y>', 'z']);
  read(a.client, cmd('DEL', ...Array.from({ length: 11 }, (_, i) => `k${i}`)));
  assert.equal(a.conn.replies.slice(3), [0]);
});

test('RESP3 replies through the data path', () => {
  const s = server();
  const { conn, client } = connect(s);
  client.out.proto = 3;
  read(client, concat([cmd('GET', 'missing'), cmd('PING')]));
  assert.is(conn.text, '_\r\n+PONG\r\n');
});

test('real socket: binary-safe keys and values, split writes, pipelining', async () => {
  const srv = await startEchokv();
  const c = await RespClient.connect(srv.port);
  try {
    let all = '';
    for (let i = 0; i < 256; i++) all += String.fromCharCode(i);
    assert.is((await c.callRaw('SET', all, all + all)).bytes, '+OK\r\n');
    assert.is((await c.callRaw('GET', all)).bytes, `$512\r\n${all}${all}\r\n`);
    // A frame sent in pieces with pauses between them.
    const frame = encodeCommand(['ECHO', '\xff\x00\r\n']);
    for (let i = 0; i < frame.length; i += 3) {
      c.write(frame.slice(i, i + 3));
      await new Promise((r) => setTimeout(r, 2));
    }
    assert.is((await c.readRaw()).bytes, '$4\r\n\xff\x00\r\n\r\n');
    // 1000 commands in one write.
    const parts: Uint8Array[] = [];
    for (let i = 0; i < 1000; i++) parts.push(encodeCommand(['ECHO', String(i)]));
    c.write(concat(parts));
    for (let i = 0; i < 1000; i++) assert.is(await c.read(), String(i));
  } finally {
    c.close();
    await srv.stop();
  }
});

test.run();
