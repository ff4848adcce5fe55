// Transactions against a real redis-server: MULTI/EXEC/DISCARD/WATCH/UNWATCH replies byte for byte
// in RESP2 and RESP3, queue-time rejections (EXECABORT) against runtime errors, WATCH races
// between several connections (writes, expiry, FLUSHDB, FLUSHALL, SWAPDB, no-op writes),
// CLIENT PAUSE holding an EXEC, RESET, errorstats, MONITOR, what EXEC propagates (Redis's AOF
// against echokv's propagate hook) and random transactions compared with fast-check.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { type Compat, compatSuite, show, readRedisAof } from './_compat.ts';
import { RespClient, sleep, startEchokv, startRedis } from '../_helpers.ts';
import { join } from 'node:path';

const test = compatSuite('transactions');

const BIN = 'k\x00\xff\r\n';

/** Runs each [connection, command] in order, comparing every reply. */
async function script(conns: Compat[], steps: [number, ...string[]][]): Promise<void> {
  for (const [i, ...cmd] of steps) await conns[i].same(...cmd);
}

test('EXEC, DISCARD, MULTI, WATCH and UNWATCH errors outside and inside MULTI', async ({ c }) => {
  await c.all([
    ['EXEC'], ['DISCARD'], ['UNWATCH'], ['exec'], ['Discard'],
    // A rejected EXEC names its reason and ends any transaction, in MULTI or not.
    ['EXEC', 'x'], ['DISCARD', 'x'], ['MULTI', 'x'], ['UNWATCH', 'x'], ['WATCH'],
    ['MULTI'], ['MULTI'], ['WATCH', 'k'], ['SET', 'k', 'v'], ['EXEC'], ['GET', 'k'],
    ['MULTI'], ['SET', 'k', 'w'], ['EXEC', 'x'], ['EXEC'], ['GET', 'k'],
    ['MULTI'], ['DISCARD', 'x'], ['SET', 'k', 'z'], ['EXEC'], ['GET', 'k'],
    ['MULTI'], ['MULTI', 'x'], ['UNWATCH', 'x'], ['EXEC'],
    ['MULTI'], ['SET', 'k', 'q'], ['DISCARD'], ['EXEC'], ['GET', 'k'], ['DISCARD'],
  ]);
});

test('commands are queued and run by EXEC in order; runtime errors fail only their command', async ({ c }) => {
  await c.all([
    ['MULTI'], ['SET', 'a', '1'], ['INCR', 'a'], ['GET', 'a'], ['HSET', 'a', 'f', 'v'], ['APPEND', 'a', 'x'],
    ['INCR', 'a'], ['SADD', 's', '3', '1', '2'], ['SMEMBERS', 's'], ['HSET', 'h', 'f', '1', 'g', '2'],
    ['HGETALL', 'h'], ['DEL', 'a', 'nosuch'], ['EXISTS', 'a'], ['PING'], ['ECHO', BIN], ['SET', BIN, BIN],
    ['GET', BIN], ['INCRBYFLOAT', 'f', '1.5'], ['STRLEN', 'f'], ['EXEC'],
    ['MULTI'], ['EXEC'],
    ['MULTI'], ['GET', 'a'], ['GET', BIN], ['EXEC'],
  ]);
});

test('queue-time rejections abort the EXEC: unknown commands, arity, no_multi, bad subcommands', async ({ c }) => {
  const cases: string[][][] = [
    [['SET', 'a', '1'], ['NOSUCH', 'x'], ['SET', 'b', '2']],
    [['SET', 'a', '1'], ['GET'], ['SET', 'b', '2']],
    [['SET', 'a', '1'], ['SHUTDOWN'], ['SET', 'b', '2']],
    [['SET', 'a', '1'], ['CONFIG', 'NOSUCH'], ['SET', 'b', '2']],
    [['SET', 'a', '1'], ['OBJECT'], ['SET', 'b', '2']],
    [['SAVE'], ['SET', 'a', '1']],
    // Errors of MULTI and WATCH themselves leave the transaction alone.
    [['SET', 'a', '1'], ['MULTI'], ['WATCH', 'a'], ['SET', 'b', '2']],
  ];
  for (const cmds of cases) {
    await c.same('MULTI');
    for (const cmd of cmds) await c.same(...cmd);
    await c.same('EXEC');
    await c.same('MGET', 'a', 'b');
    await c.same('DEL', 'a', 'b');
  }
});

test('RESP3: EXEC replies, null on a touched WATCH, EXECABORT', async (ctx) => {
  const { c } = ctx;
  // HELLO's reply holds the connection id, which differs.
  await c.both('HELLO', '3');
  await c.all([
    ['MULTI'], ['SET', 'a', '1'], ['HSET', 'h', 'f', 'v'], ['HGETALL', 'h'], ['SADD', 's', 'x'],
    ['SMEMBERS', 's'], ['INCRBYFLOAT', 'a', '0.5'], ['GET', 'nosuch'], ['HGET', 'h', 'nosuch'], ['LLEN', 'h'], ['EXEC'],
    ['WATCH', 'a'], ['SET', 'a', '2'], ['MULTI'], ['GET', 'a'], ['EXEC'],
    ['MULTI'], ['GET'], ['EXEC'], ['EXEC', 'x'],
  ]);
  const d = await ctx.connect();
  await d.both('HELLO', '3');
  await script([c, d], [[0, 'WATCH', 'a'], [1, 'DEL', 'a'], [0, 'MULTI'], [0, 'EXEC']]);
});

test('WATCH: another connection writing the key fails the EXEC; reads and no-op writes do not', async (ctx) => {
  const { c } = ctx;
  const d = await ctx.connect();
  const tx = (...cmds: string[][]): [number, ...string[]][] =>
    [[0, 'MULTI'], ...cmds.map((x) => [0, ...x] as [number, ...string[]]), [0, 'EXEC']];
  await script([c, d], [
    // Written by the other connection.
    [0, 'SET', 'k', '1'], [0, 'WATCH', 'k'], [1, 'SET', 'k', '2'], ...tx(['GET', 'k']),
    // The same value written again still counts as a change.
    [0, 'WATCH', 'k'], [1, 'SET', 'k', '2'], ...tx(['GET', 'k']),
    // Reads, and writes that change nothing, do not.
    [0, 'WATCH', 'k'], [1, 'GET', 'k'], [1, 'EXISTS', 'k'], [1, 'DEL', 'nokey'], [1, 'PERSIST', 'k'],
    [1, 'SETNX', 'k', 'x'], [1, 'HDEL', 'nokey', 'f'], ...tx(['GET', 'k']),
    // Any write that touches the key does.
    [0, 'WATCH', 'k'], [1, 'EXPIRE', 'k', '100'], ...tx(['GET', 'k']),
    [0, 'WATCH', 'k'], [1, 'PERSIST', 'k'], ...tx(['GET', 'k']),
    [0, 'WATCH', 'k'], [1, 'APPEND', 'k', 'x'], ...tx(['GET', 'k']),
    [0, 'WATCH', 'k'], [1, 'DEL', 'k'], ...tx(['GET', 'k']),
    // A missing key being created, even if deleted again before EXEC.
    [0, 'WATCH', 'k'], [1, 'SET', 'k', 'v'], [1, 'DEL', 'k'], ...tx(['GET', 'k']),
    [0, 'WATCH', 'k'], [1, 'RENAME', 'nokey', 'k'], ...tx(['SET', 'k', 'mine'])],
  );
  await script([c, d], [
    [1, 'SET', 'src', 'v'], [0, 'WATCH', 'k', 'src'], [1, 'RENAME', 'src', 'k'], ...tx(['GET', 'k']),
    [0, 'WATCH', 'k'], [1, 'MOVE', 'k', '3'], ...tx(['GET', 'k']),
    [0, 'WATCH', 'h'], [1, 'HSET', 'h', 'f', 'v'], ...tx(['HGETALL', 'h']),
    [0, 'WATCH', 'h'], [1, 'HSET', 'h', 'f', 'v'], ...tx(['HGETALL', 'h']),
    [0, 'WATCH', 's'], [1, 'SADD', 's', 'm'], ...tx(['SMEMBERS', 's']),
    [0, 'WATCH', 's'], [1, 'SADD', 's', 'm'], [1, 'SREM', 's', 'zz'], ...tx(['SMEMBERS', 's']),
    [0, 'WATCH', 's'], [1, 'SREM', 's', 'm'], ...tx(['SMEMBERS', 's']),
    // The same key name in another database is another key.
    [0, 'WATCH', 'k'], [1, 'SELECT', '1'], [1, 'SET', 'k', 'other'], [1, 'SELECT', '0'], ...tx(['GET', 'k']),
    [0, 'SELECT', '1'], [0, 'WATCH', 'k'], [0, 'SELECT', '0'], [1, 'SET', 'k', 'db0'], ...tx(['GET', 'k']),
  ]);
});

test('WATCH: several keys, several watchers, the watcher\'s own writes, UNWATCH, DISCARD', async (ctx) => {
  const { c } = ctx;
  const d = await ctx.connect();
  const e = await ctx.connect();
  await script([c, d, e], [
    [0, 'WATCH', 'a', 'b', 'c', 'a'], [1, 'SET', 'c', '1'], [0, 'MULTI'], [0, 'SET', 'x', '1'], [0, 'EXEC'],
    [0, 'GET', 'x'],
    // Two watchers of one key, the third connection writes it.
    [0, 'WATCH', 'k'], [1, 'WATCH', 'k'], [2, 'INCR', 'k'], [0, 'MULTI'], [0, 'INCR', 'k'], [0, 'EXEC'],
    [1, 'MULTI'], [1, 'INCR', 'k'], [1, 'EXEC'],
    // The first to EXEC wins; the other fails.
    [0, 'WATCH', 'k'], [1, 'WATCH', 'k'], [0, 'MULTI'], [0, 'INCR', 'k'], [0, 'EXEC'],
    [1, 'MULTI'], [1, 'INCR', 'k'], [1, 'EXEC'], [0, 'GET', 'k'],
    // Its own write before MULTI fails it too; writes inside the transaction do not.
    [0, 'WATCH', 'k'], [0, 'INCR', 'k'], [0, 'MULTI'], [0, 'GET', 'k'], [0, 'EXEC'],
    [0, 'WATCH', 'k'], [0, 'MULTI'], [0, 'INCR', 'k'], [0, 'INCR', 'k'], [0, 'EXEC'],
    // UNWATCH forgets the keys (and a touched key), inside MULTI it is queued and runs in EXEC.
    [0, 'WATCH', 'k'], [0, 'UNWATCH'], [1, 'SET', 'k', '0'], [0, 'MULTI'], [0, 'GET', 'k'], [0, 'EXEC'],
    [0, 'WATCH', 'k'], [1, 'SET', 'k', '1'], [0, 'UNWATCH'], [0, 'MULTI'], [0, 'GET', 'k'], [0, 'EXEC'],
    [0, 'WATCH', 'k'], [0, 'MULTI'], [0, 'UNWATCH'], [1, 'SET', 'k', '2'], [0, 'EXEC'],
    // Once touched, further WATCHes change nothing: the EXEC fails.
    [0, 'WATCH', 'a'], [1, 'SET', 'a', '1'], [0, 'WATCH', 'b'], [0, 'MULTI'], [0, 'GET', 'b'], [0, 'EXEC'],
    // EXEC and DISCARD unwatch everything.
    [0, 'WATCH', 'k'], [0, 'MULTI'], [0, 'DISCARD'], [1, 'SET', 'k', '3'], [0, 'MULTI'], [0, 'GET', 'k'], [0, 'EXEC'],
    [0, 'WATCH', 'k'], [0, 'MULTI'], [0, 'EXEC'], [1, 'SET', 'k', '4'], [0, 'MULTI'], [0, 'GET', 'k'], [0, 'EXEC'],
    // A failed EXEC unwatches too.
    [0, 'WATCH', 'k'], [1, 'SET', 'k', '5'], [0, 'MULTI'], [0, 'EXEC'], [1, 'SET', 'k', '6'], [0, 'MULTI'],
    [0, 'GET', 'k'], [0, 'EXEC'],
    [0, 'WATCH', 'k'], [0, 'MULTI'], [0, 'NOSUCH'], [0, 'EXEC'], [1, 'SET', 'k', '7'], [0, 'MULTI'], [0, 'GET', 'k'],
    [0, 'EXEC'],
  ]);
});

test('WATCH and expiry: a watched key expiring fails EXEC; one already expired when watched does not', async (ctx) => {
  const { c } = ctx;
  const d = await ctx.connect();
  // Live when watched, expired at EXEC.
  await script([c, d], [[0, 'SET', 'k', 'v', 'PX', '40'], [0, 'WATCH', 'k'], [0, 'MULTI'], [0, 'GET', 'k']]);
  await sleep(80);
  await c.same('EXEC');
  // Expired (still stored) when watched: its deletion is no change.
  await c.same('SET', 'k', 'v', 'PX', '20');
  await sleep(50);
  await script([c, d], [[0, 'WATCH', 'k'], [0, 'MULTI'], [0, 'GET', 'k'], [0, 'EXEC']]);
  await c.same('SET', 'k', 'v', 'PX', '20');
  await sleep(50);
  await script([c, d], [[0, 'WATCH', 'k'], [1, 'GET', 'k'], [0, 'MULTI'], [0, 'GET', 'k'], [0, 'EXEC']]);
  // ... but writing it again is.
  await c.same('SET', 'k', 'v', 'PX', '20');
  await sleep(50);
  await script([c, d], [[0, 'WATCH', 'k'], [1, 'SET', 'k', 'new'], [0, 'MULTI'], [0, 'GET', 'k'], [0, 'EXEC']]);
  // A key given a TTL in the past by another connection is deleted: a change.
  await script([c, d], [[0, 'WATCH', 'k'], [1, 'PEXPIREAT', 'k', '1'], [0, 'MULTI'], [0, 'GET', 'k'], [0, 'EXEC']]);
});

test('WATCH and FLUSHDB, FLUSHALL, SWAPDB: only watched keys that exist (in either database) count', async (ctx) => {
  const { c } = ctx;
  const d = await ctx.connect();
  const tx: [number, ...string[]][] = [[0, 'MULTI'], [0, 'GET', 'k'], [0, 'EXEC']];
  await script([c, d], [
    [0, 'WATCH', 'k'], [1, 'FLUSHDB'], ...tx,
    [0, 'SET', 'k', 'v'], [0, 'WATCH', 'k'], [1, 'FLUSHDB'], ...tx,
    [0, 'SET', 'k', 'v'], [0, 'WATCH', 'k'], [1, 'SELECT', '2'], [1, 'FLUSHDB'], [1, 'SELECT', '0'], ...tx,
    [0, 'SET', 'k', 'v'], [0, 'WATCH', 'k'], [1, 'FLUSHALL'], ...tx,
    [0, 'WATCH', 'k'], [1, 'SELECT', '1'], [1, 'SET', 'k', 'v'], [1, 'FLUSHALL'], [1, 'SELECT', '0'], ...tx,
    [0, 'WATCH', 'k'], [1, 'SWAPDB', '0', '1'], ...tx,
    [0, 'WATCH', 'k'], [1, 'SELECT', '1'], [1, 'SET', 'k', 'v'], [1, 'SWAPDB', '0', '1'], [1, 'SELECT', '0'], ...tx,
    [0, 'WATCH', 'k'], [1, 'SWAPDB', '1', '0'], ...tx,
    [0, 'WATCH', 'k'], [1, 'SWAPDB', '0', '0'], ...tx,
    [0, 'WATCH', 'k'], [1, 'SWAPDB', '2', '3'], ...tx,
    [0, 'WATCH', 'nokey'], [1, 'SWAPDB', '0', '1'], [0, 'MULTI'], [0, 'GET', 'nokey'], [0, 'EXEC'],
  ]);
  // A missing key replaced by an expired one is still missing; a watched expired key swapped
  // away is no change either.
  await c.same('FLUSHALL');
  await c.same('SELECT', '1');
  await c.same('SET', 'k', 'v', 'PX', '20');
  await c.same('SELECT', '0');
  await sleep(50);
  await script([c, d], [[0, 'WATCH', 'k'], [1, 'SWAPDB', '0', '1'], ...tx]);
  await script([c, d], [[0, 'WATCH', 'k'], [1, 'SWAPDB', '0', '1'], ...tx]);
});

test('a transaction sees its own writes and SELECT; EXEC leaves MULTI whatever happens', async ({ c }) => {
  await c.all([
    ['MULTI'], ['SET', 'a', '1'], ['SELECT', '1'], ['SET', 'a', '2'], ['GET', 'a'], ['SELECT', '0'], ['GET', 'a'],
    ['SELECT', '99'], ['MOVE', 'a', '1'], ['EXEC'], ['GET', 'a'], ['SELECT', '1'], ['GET', 'a'], ['SELECT', '0'],
    ['MULTI'], ['SELECT', '3'], ['EXEC'], ['SET', 'in3', 'v'], ['SELECT', '0'], ['EXISTS', 'in3'],
    ['MULTI'], ['FLUSHALL'], ['SET', 'a', 'x'], ['SWAPDB', '0', '1'], ['GET', 'a'], ['EXEC'], ['GET', 'a'],
  ]);
});

test('blocking commands inside EXEC answer at once; clients blocked on keys it fed are served after it', async (ctx) => {
  const { c } = ctx;
  await c.all([
    ['MULTI'], ['BLPOP', 'l', '0'], ['BRPOP', 'l', '1'], ['BLMOVE', 'l', 'm', 'LEFT', 'RIGHT', '0'], ['BZPOPMIN', 'z', '0'],
    ['XREAD', 'BLOCK', '0', 'STREAMS', 'x', '$'], ['EXEC'],
  ]);
  await c.both('HELLO', '3');
  await c.all([['MULTI'], ['BLPOP', 'l', '0'], ['BLMPOP', '0', '1', 'l', 'LEFT'], ['EXEC']]);
  await c.both('HELLO', '2');
  const b = await ctx.connect();
  const b2 = await ctx.connect();
  // Parked first-come first-served, both on q; served once the whole EXEC is over.
  for (const conn of [b.redis, b.echo]) conn.write('*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n');
  await sleep(50);
  for (const conn of [b2.redis, b2.echo]) conn.write('*3\r\n$5\r\nBRPOP\r\n$1\r\nq\r\n$1\r\n0\r\n');
  await sleep(50);
  await c.all([['MULTI'], ['RPUSH', 'q', 'a', 'b', 'c'], ['LLEN', 'q'], ['LPOP', 'q'], ['LRANGE', 'q', '0', '-1'], ['EXEC']]);
  for (const conn of [b, b2]) {
    const [r, e] = await Promise.all([conn.redis.readRaw(), conn.echo.readRaw()]);
    assert.is(show(e.bytes), show(r.bytes));
  }
  await c.same('LRANGE', 'q', '0', '-1');
  // Pushed and deleted within one EXEC: nothing for the waiter, which stays blocked.
  for (const conn of [b.redis, b.echo]) conn.write('*3\r\n$5\r\nBLPOP\r\n$2\r\nq2\r\n$1\r\n0\r\n');
  await sleep(50);
  await c.all([['MULTI'], ['RPUSH', 'q2', 'x'], ['DEL', 'q2'], ['EXEC'], ['RPUSH', 'q2', 'y']]);
  const [r, e] = await Promise.all([b.redis.readRaw(), b.echo.readRaw()]);
  assert.is(show(e.bytes), show(r.bytes));
});

test('CLIENT INFO shows multi=, the x and d flags, also from inside EXEC', async (ctx) => {
  const { c } = ctx;
  const d = await ctx.connect();
  /** The flags, multi and cmd fields of CLIENT INFO lines in a reply. */
  const fields = (bytes: string): string =>
    bytes.split(/[ \n]/).filter((f) => /^(flags|multi|cmd)=/.test(f)).join(' ');
  const compare = async (...cmd: string[]): Promise<void> => {
    const [r, e] = await c.both(...cmd);
    assert.is(fields(e.bytes), fields(r.bytes), cmd.join(' '));
    assert.ok(fields(r.bytes).length > 0);
  };
  await compare('CLIENT', 'INFO');
  // Inside EXEC the transaction is still open: flags x, multi= the queue's length.
  await c.same('MULTI');
  await c.same('SET', 'a', '1');
  await c.same('CLIENT', 'INFO');
  await compare('EXEC');
  // A touched watch: flag d until EXEC, DISCARD or UNWATCH.
  await c.same('WATCH', 'a');
  await d.same('SET', 'a', '2');
  await compare('CLIENT', 'INFO');
  await c.same('UNWATCH');
  await compare('CLIENT', 'INFO');
  await c.same('WATCH', 'a');
  await d.same('SET', 'a', '3');
  await c.same('MULTI');
  await c.same('CLIENT', 'INFO');
  await c.same('EXEC');
  await compare('CLIENT', 'INFO');
});

test('RESET and a closed connection end the transaction and forget watched keys', async (ctx) => {
  const { c } = ctx;
  const d = await ctx.connect();
  await script([c, d], [
    [0, 'WATCH', 'k'], [0, 'MULTI'], [0, 'SET', 'k', '1'], [0, 'RESET'], [0, 'EXEC'], [1, 'SET', 'k', '2'],
    [0, 'MULTI'], [0, 'GET', 'k'], [0, 'EXEC'],
    [0, 'WATCH', 'k'], [1, 'SET', 'k', '3'], [0, 'RESET'], [0, 'MULTI'], [0, 'GET', 'k'], [0, 'EXEC'],
  ]);
  // A watcher that goes away leaves nothing behind for the others.
  const e = await ctx.connect();
  await script([c, e], [[1, 'WATCH', 'k'], [1, 'MULTI'], [1, 'SET', 'k', 'x']]);
  e.redis.close();
  e.echo.close();
  await sleep(50);
  await script([c, d], [[0, 'WATCH', 'k'], [1, 'SET', 'k', '4'], [0, 'MULTI'], [0, 'GET', 'k'], [0, 'EXEC'], [0, 'GET', 'k']]);
});

test('CLIENT PAUSE WRITE holds an EXEC that writes, and the writes queued meanwhile', async (ctx) => {
  const { c } = ctx;
  const d = await ctx.connect();
  await script([c, d], [[0, 'MULTI'], [0, 'SET', 'k', 'v'], [0, 'GET', 'k'], [1, 'CLIENT', 'PAUSE', '20000', 'WRITE']]);
  // EXEC of a queue that writes is held.
  for (const conn of [c.redis, c.echo]) conn.write('*1\r\n$4\r\nEXEC\r\n');
  await sleep(100);
  assert.is(c.echo.pendingBytes, c.redis.pendingBytes, 'held EXEC');
  assert.is(c.redis.pendingBytes, 0);
  await d.same('CLIENT', 'UNPAUSE');
  const [r, e] = await Promise.all([c.redis.readRaw(), c.echo.readRaw()]);
  assert.is(show(e.bytes), show(r.bytes));
  // A read-only queue runs; a write queued during the pause is held until it ends.
  await script([c, d], [[0, 'MULTI'], [0, 'GET', 'k'], [1, 'CLIENT', 'PAUSE', '20000', 'WRITE'], [0, 'EXEC'], [0, 'MULTI']]);
  for (const conn of [c.redis, c.echo]) conn.write('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nw\r\n');
  await sleep(100);
  assert.is(c.echo.pendingBytes, c.redis.pendingBytes, 'held SET inside MULTI');
  await d.same('CLIENT', 'UNPAUSE');
  const [r2, e2] = await Promise.all([c.redis.readRaw(), c.echo.readRaw()]);
  assert.is(show(e2.bytes), show(r2.bytes));
  await c.same('EXEC');
});

test('CLIENT REPLY OFF and SKIP drop +QUEUED and EXEC replies like any reply', async (ctx) => {
  const seqs: string[][][] = [
    [['CLIENT', 'REPLY', 'SKIP'], ['MULTI'], ['SET', 'a', '1'], ['EXEC'], ['GET', 'a']],
    // A SKIP run by EXEC skips the reply after the EXEC (leaving EXEC's array one short, as Redis does).
    [['MULTI'], ['CLIENT', 'REPLY', 'SKIP'], ['SET', 'a', '2'], ['GET', 'a'], ['EXEC'], ['PING'], ['ECHO', 'after']],
    [['CLIENT', 'REPLY', 'OFF'], ['MULTI'], ['SET', 'a', '3'], ['CLIENT', 'REPLY', 'ON'], ['EXEC'], ['GET', 'a']],
    [['MULTI'], ['CLIENT', 'REPLY', 'OFF'], ['SET', 'a', '4'], ['EXEC'], ['PING'], ['CLIENT', 'REPLY', 'ON'], ['GET', 'a']],
  ];
  for (const seq of seqs) {
    // Fresh connections: the replies may not form valid RESP, so raw bytes are compared.
    const conn = await ctx.connect();
    let bytes = '';
    for (const cmd of seq) bytes += `*${cmd.length}\r\n` + cmd.map((a) => `$${a.length}\r\n${a}\r\n`).join('');
    const collect = async (cl: RespClient): Promise<string> => {
      let out = '';
      const onData = (chunk: Uint8Array): void => {
        for (const b of chunk) out += String.fromCharCode(b);
      };
      cl.socket.on('data', onData);
      cl.write(bytes);
      await sleep(150);
      cl.socket.off('data', onData);
      return out;
    };
    const [r, e] = await Promise.all([collect(conn.redis), collect(conn.echo)]);
    assert.is(show(e), show(r), JSON.stringify(seq));
    conn.redis.close();
    conn.echo.close();
  }
});

test('INFO errorstats and commandstats: EXECABORT, rejections, errors of the commands EXEC runs', async ({ c }) => {
  await c.all([['CONFIG', 'RESETSTAT'], ['MULTI'], ['NOSUCH'], ['GET'], ['EXEC'], ['EXEC'], ['EXEC', 'x'], ['MULTI'],
    ['INCR', 'x'], ['HSET', 'x', 'a', 'b'], ['INCR', 'x'], ['EXEC'], ['INFO', 'errorstats']]);
  // Calls, rejected and failed calls per command (times differ), in any order.
  const [r, e] = await c.both('INFO', 'commandstats');
  const stats = (bytes: string): string[] =>
    bytes.split('\r\n').filter((l) => l.startsWith('cmdstat_') && !l.startsWith('cmdstat_info'))
      .map((l) => l.replace(/usec=\d+,usec_per_call=[\d.]+,/, '')).sort();
  assert.equal(stats(e.bytes), stats(r.bytes));
  assert.ok(stats(r.bytes).some((l) => l.startsWith('cmdstat_exec:calls=3,rejected_calls=1,failed_calls=2')));
});

test('MONITOR sees MULTI, the commands when EXEC runs them, then EXEC', async (ctx) => {
  const { c } = ctx;
  const m = await ctx.connect();
  await m.same('MONITOR');
  await c.all([['MULTI'], ['SET', 'a', '1'], ['GET', 'a'], ['EXEC'], ['MULTI'], ['GET'], ['EXEC'], ['PING']]);
  const lines = async (conn: RespClient): Promise<string[]> => {
    const out: string[] = [];
    for (;;) {
      const l = (await conn.read()) as string;
      const cmd = l.slice(l.indexOf('] ') + 2);
      out.push(cmd);
      if (cmd === '"PING"') return out;
    }
  };
  const [r, e] = await Promise.all([lines(m.redis), lines(m.echo)]);
  assert.equal(e, r);
});

// ---------------------------------------------------------------------------------------------
// Random transactions

type Cmd = string[];
const key = fc.constantFrom('a', 'b', 'h', 's', BIN);
const val = fc.constantFrom('1', '2', '-5', 'x', '', '\xff\x00', '10.5');
const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  fc.tuple(key, val).map(([k, v]) => ['SET', k, v]),
  key.map((k) => ['GET', k]),
  key.map((k) => ['INCR', k]),
  fc.tuple(key, val).map(([k, v]) => ['APPEND', k, v]),
  key.map((k) => ['DEL', k]),
  fc.tuple(key, val, val).map(([k, f, v]) => ['HSET', k, f, v]),
  fc.tuple(key, val).map(([k, m]) => ['SADD', k, m]),
  fc.tuple(key, key).map(([a, b]) => ['RENAME', a, b]),
  key.map((k) => ['EXPIRE', k, '100']),
  key.map((k) => ['TYPE', k]),
  // Queue-time rejections.
  fc.constantFrom<string[]>(['GET'], ['NOSUCH', 'x'], ['MULTI'], ['WATCH', 'a']),
);
const step = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(fc.constant(0), cmdArb) },
  { weight: 1, arbitrary: fc.tuple(fc.constant(1), cmdArb) },
  { weight: 1, arbitrary: fc.tuple(fc.constant(0), key.map((k) => ['WATCH', k])) },
);
const transaction = fc.record({
  before: fc.array(step, { maxLength: 4 }),
  queued: fc.array(cmdArb, { maxLength: 6 }),
  during: fc.array(fc.tuple(fc.constant(1), cmdArb), { maxLength: 2 }),
  end: fc.constantFrom('EXEC', 'EXEC', 'EXEC', 'DISCARD'),
});

test('random transactions with WATCH races: same replies and the same dataset', async (ctx) => {
  const { c } = ctx;
  const d = await ctx.connect();
  const conns = [c, d];
  await fc.assert(fc.asyncProperty(fc.array(transaction, { minLength: 1, maxLength: 4 }), async (txs) => {
    await c.reset();
    for (const conn of conns) await conn.same('UNWATCH');
    for (const t of txs) {
      for (const [i, cmd] of t.before) await conns[i].same(...cmd);
      await c.same('MULTI');
      for (const cmd of t.queued) await c.same(...cmd);
      for (const [i, cmd] of t.during) await conns[i].same(...cmd);
      await c.same(t.end);
    }
    await c.sameDataset();
  }), { numRuns: 60 });
});

test.run();

// ---------------------------------------------------------------------------------------------
// Propagation: Redis's AOF (appendfsync always) against echokv's propagate hook.

const prop = suite('compat: transaction propagation');


prop('EXEC propagates one change alone, several wrapped in MULTI/EXEC with their databases', async () => {
  const redis = await startRedis(['--appendonly', 'yes', '--appendfsync', 'always']);
  if (redis === null) return;
  const echokv = await startEchokv();
  // echokv's hook gets the database of each change; rendered with SELECTs as an AOF shows them.
  const seen: string[][] = [];
  let lastDb = -1;
  echokv.server.on('propagate', (db, argv) => {
    if (db !== lastDb) seen.push(['SELECT', String(db)]);
    lastDb = db;
    seen.push([...argv]);
  });
  const r = await RespClient.connect(redis.port);
  const e = await RespClient.connect(echokv.port);
  try {
    const script: string[][] = [
      ['MULTI'], ['SET', 'a', '1'], ['SET', 'b', '2'], ['GET', 'a'], ['EXEC'],
      ['MULTI'], ['INCR', 'a'], ['GET', 'a'], ['EXEC'],
      ['MULTI'], ['GET', 'a'], ['EXEC'],
      ['MULTI'], ['SET', 'c', '1'], ['HSET', 'c', 'f', 'v'], ['SELECT', '5'], ['SET', 'd', '1'], ['SADD', 's', 'x'],
      ['SELECT', '0'], ['DEL', 'c'], ['EXEC'],
      ['MULTI'], ['DEL', 'nosuch'], ['INCR', 'a'], ['EXEC'],
      ['MULTI'], ['SET', 'x', '1'], ['NOSUCH'], ['EXEC'],
      ['MULTI'], ['SET', 'x', '1'], ['DISCARD'],
      ['MULTI'], ['SET', 'e', 'v', 'EX', '100'], ['EXPIRE', 'a', '100'], ['EXEC'],
      ['SET', 'marker', '1'],
    ];
    // A client blocked on a list the EXEC feeds is served after it: its pop is propagated after
    // the transaction.
    const rb = await RespClient.connect(redis.port);
    const eb = await RespClient.connect(echokv.port);
    for (const conn of [rb, eb]) conn.write('*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n');
    await sleep(50);
    script.push(['MULTI'], ['RPUSH', 'q', 'a', 'b'], ['SET', 'y', '1'], ['EXEC'], ['SET', 'end', '1']);
    for (const cmd of script) {
      const [x, y] = await Promise.all([r.callRaw(...cmd), e.callRaw(...cmd)]);
      assert.is(show(y.bytes), show(x.bytes), cmd.join(' '));
    }
    const [rr, ee] = await Promise.all([rb.readRaw(), eb.readRaw()]);
    assert.is(show(ee.bytes), show(rr.bytes));
    rb.close();
    eb.close();
    const aof = readRedisAof(redis.dir, true);
    // Relative times become absolute ones: compare everything but the time values.
    const norm = (cmds: string[][]): string[] =>
      cmds.map((a) => (a[0].toUpperCase() === 'PEXPIREAT' || (a[0] === 'SET' && a[3] === 'PXAT') ? a.slice(0, -1) : a).join(' '));
    assert.equal(norm(seen), norm(aof));
  } finally {
    r.close();
    e.close();
    await echokv.stop();
    await redis.stop();
  }
});

prop.run();
