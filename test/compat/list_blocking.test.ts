// The blocking list commands (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP) against a real
// redis-server, with several real connections to each server at once: who is served, in which
// order, with which reply; timeouts and their null types in RESP2 and RESP3; MULTI/EXEC; CLIENT
// UNBLOCK; clients blocked on several keys; BLMOVE chains; disconnects; keys made by other
// commands (RENAME, MOVE, COPY, SWAPDB); INFO blocked_clients; and what served commands
// propagate (read from Redis's AOF). Every wait is bounded: blocked clients are released by the
// test, and replies are awaited for at most a few seconds.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { compatSuite, show, readRedisAof } from './_compat.ts';
import { RespClient, sleep, startEchokv, startRedis } from '../_helpers.ts';
import { encodeCommand } from '../_resp.ts';
import { blocked, ids, reply, send, silent, waitBlocked } from './_blocking.ts';
import { join } from 'node:path';

const test = compatSuite('list blocking');

test('BLPOP and BRPOP wait for a push; INFO blocked_clients counts the waiters', async (ctx) => {
  const { c } = ctx;
  const a = await ctx.connect();
  const b = await ctx.connect();
  assert.equal(await blocked(c), [0, 0]);
  send(a, 'BLPOP', 'k1', 'k2', '0');
  send(b, 'BRPOP', 'k2', '0');
  await waitBlocked(c, 2);
  await silent(a, 'BLPOP before any push');
  await c.same('RPUSH', 'k2', 'x', 'y', 'z');
  await reply(a, 'BLPOP served from k2');
  await reply(b, 'BRPOP served from k2');
  assert.equal(await blocked(c), [0, 0]);
  await c.same('LRANGE', 'k2', '0', '-1');
  // The connections work normally afterwards.
  await a.same('LLEN', 'k2');
  await b.same('PING');
});

test('INFO counts blocked clients and those with a deadline (clients_in_timeout_table)', async (ctx) => {
  const { c } = ctx;
  const a = await ctx.connect();
  const b = await ctx.connect();
  send(a, 'BLPOP', 'it', '0');
  send(b, 'BRPOP', 'it', '100');
  await waitBlocked(c, 2);
  const fields = async (): Promise<[string, string]> => {
    const [r, e] = await c.both('INFO', 'clients');
    const pick = (x: { reply: unknown }): string => String((x.reply as { value: string }).value).split('\r\n')
      .filter((l) => /^(blocked_clients|clients_in_timeout_table):/.test(l)).join(' ');
    return [pick(r), pick(e)];
  };
  const [r, e] = await fields();
  assert.is(e, r);
  assert.is(r, 'blocked_clients:2 clients_in_timeout_table:1');
  await c.same('RPUSH', 'it', 'x', 'y');
  await reply(a, 'BLPOP');
  await reply(b, 'BRPOP');
  const [r2, e2] = await fields();
  assert.is(e2, r2);
  assert.is(r2, 'blocked_clients:0 clients_in_timeout_table:0');
});

test('waiters on one key are served first come first served, and the rest wait on', async (ctx) => {
  const { c } = ctx;
  const clients = [await ctx.connect(), await ctx.connect(), await ctx.connect(), await ctx.connect()];
  send(clients[0], 'BLPOP', 'q', '0');
  await waitBlocked(c, 1);
  send(clients[1], 'BRPOP', 'q', '0');
  await waitBlocked(c, 2);
  send(clients[2], 'BLMPOP', '0', '1', 'q', 'LEFT', 'COUNT', '2');
  await waitBlocked(c, 3);
  send(clients[3], 'BLMOVE', 'q', 'dst', 'RIGHT', 'LEFT', '0');
  await waitBlocked(c, 4);
  await c.same('RPUSH', 'q', 'a', 'b', 'c');
  await reply(clients[0], 'first waiter');
  await reply(clients[1], 'second waiter');
  await reply(clients[2], 'third waiter takes what is left');
  await silent(clients[3], 'fourth waiter with the list empty');
  assert.equal(await blocked(c), [1, 1]);
  await c.same('EXISTS', 'q');
  await c.same('LPUSH', 'q', 'd');
  await reply(clients[3], 'fourth waiter');
  await c.same('LRANGE', 'dst', '0', '-1');
  await c.same('EXISTS', 'q');
});

test('a client blocked on several keys is served from the key that got data', async (ctx) => {
  const { c } = ctx;
  const a = await ctx.connect();
  send(a, 'BLPOP', 'm1', 'm2', 'm3', '0');
  await waitBlocked(c, 1);
  await c.same('RPUSH', 'm3', 'three');
  await reply(a, 'served from m3');
  // Several keys ready at once (a transaction): the one that got data first serves.
  send(a, 'BRPOP', 'm1', 'm2', 'm3', '0');
  await waitBlocked(c, 1);
  await c.same('MULTI');
  await c.same('RPUSH', 'm2', 'two');
  await c.same('RPUSH', 'm1', 'one');
  await c.same('EXEC');
  await reply(a, 'served from the key pushed first');
  await c.same('LRANGE', 'm1', '0', '-1');
  await c.same('LRANGE', 'm2', '0', '-1');
  // The same key twice.
  send(a, 'BLPOP', 'm4', 'm4', '0');
  await waitBlocked(c, 1);
  await c.same('LPUSH', 'm4', 'x');
  await reply(a, 'served once');
});

test('pushes inside MULTI/EXEC wake waiters after EXEC, with what the transaction left', async (ctx) => {
  const { c } = ctx;
  const a = await ctx.connect();
  const b = await ctx.connect();
  send(a, 'BLPOP', 't', '0');
  await waitBlocked(c, 1);
  send(b, 'BLPOP', 't', '0');
  await waitBlocked(c, 2);
  await c.same('MULTI');
  await c.same('RPUSH', 't', 'a', 'b', 'c');
  await c.same('LPOP', 't');
  await c.same('RPUSH', 't', 'd');
  await c.same('EXEC');
  await reply(a, 'first waiter after EXEC');
  await reply(b, 'second waiter after EXEC');
  await c.same('LRANGE', 't', '0', '-1');
  // A transaction that creates the key and deletes it again serves nobody.
  send(a, 'BRPOP', 'u', '0');
  await waitBlocked(c, 1);
  await c.same('MULTI');
  await c.same('RPUSH', 'u', 'x');
  await c.same('DEL', 'u');
  await c.same('EXEC');
  await silent(a, 'after a transaction that left nothing');
  await c.same('RPUSH', 'u', 'y');
  await reply(a, 'served by the next push');
});

test('inside MULTI/EXEC the blocking commands answer at once, with Redis null types', async (ctx) => {
  const { c } = ctx;
  for (const proto of ['2', '3']) {
    const p = await ctx.connect();
    await p.both('HELLO', proto);
    await p.same('RPUSH', 'full', 'x', 'y', 'z', 'w', 'v');
    await p.same('MULTI');
    for (const cmd of [
      ['BLPOP', 'empty', '0'], ['BRPOP', 'empty', 'other', '0'], ['BLMOVE', 'empty', 'd', 'LEFT', 'LEFT', '0'],
      ['BRPOPLPUSH', 'empty', 'd', '0'], ['BLMPOP', '0', '1', 'empty', 'LEFT'], ['BLPOP', 'full', '0'],
      ['BLMOVE', 'full', 'd', 'LEFT', 'RIGHT', '0'], ['BRPOPLPUSH', 'full', 'd', '0'], ['BLMPOP', '0', '1', 'full', 'RIGHT', 'COUNT', '2'],
      ['BLPOP', 'empty', '-1'],
    ]) await p.same(...cmd);
    await p.same('EXEC');
  }
  assert.equal(await blocked(c), [0, 0]);
});

test('timeouts: each command gets the null array in RESP2 and the null in RESP3', async (ctx) => {
  const { c } = ctx;
  for (const proto of ['2', '3']) {
    const p = await ctx.connect();
    await p.both('HELLO', proto);
    for (const cmd of [
      ['BLPOP', 'none', '0.05'], ['BRPOP', 'none', 'none2', '0.05'], ['BLMOVE', 'none', 'd', 'LEFT', 'LEFT', '0.05'],
      ['BRPOPLPUSH', 'none', 'd', '0.05'], ['BLMPOP', '0.05', '2', 'none', 'none2', 'LEFT', 'COUNT', '3'],
      ['BLPOP', 'none', '0.0001'],
    ]) {
      send(p, ...cmd);
      await reply(p, `timeout of ${cmd.join(' ')}`);
    }
  }
  assert.equal(await blocked(c), [0, 0]);
  // What the client sent while it waited runs once it times out.
  const p = await ctx.connect();
  for (const cmd of [['BLPOP', 'none', '0.05'], ['PING'], ['LLEN', 'none']]) {
    p.redis.write(encodeCommand(cmd));
    p.echo.write(encodeCommand(cmd));
  }
  await reply(p, 'timed out BLPOP');
  await reply(p, 'PING sent behind it');
  await reply(p, 'LLEN sent behind it');
  // "0" and a negative zero such as "-0.0001" wait forever.
  const a = await ctx.connect();
  send(a, 'BLPOP', 'forever', '-0.0001');
  await waitBlocked(c, 1);
  await silent(a, 'BLPOP with timeout -0.0001', 150);
  await c.same('RPUSH', 'forever', 'x');
  await reply(a, 'served after waiting');
});

test('served replies in RESP3', async (ctx) => {
  const { c } = ctx;
  const a = await ctx.connect();
  await a.both('HELLO', '3');
  for (const cmd of [['BLPOP', 'r3', '0'], ['BLMPOP', '0', '1', 'r3', 'RIGHT', 'COUNT', '5'], ['BLMOVE', 'r3', 'd', 'LEFT', 'LEFT', '0']]) {
    send(a, ...cmd);
    await waitBlocked(c, 1);
    await c.same('RPUSH', 'r3', 'a', 'b');
    await reply(a, `served ${cmd[0]}`);
    await c.same('DEL', 'r3');
  }
});

test('CLIENT UNBLOCK ends a wait as a timeout or with an error', async (ctx) => {
  const { c } = ctx;
  const a = await ctx.connect();
  const [rid, eid] = await ids(a);
  for (const [cmd, how] of [
    [['BLPOP', 'ub', '0'], 'TIMEOUT'], [['BLMOVE', 'ub', 'd', 'LEFT', 'LEFT', '0'], 'TIMEOUT'],
    [['BLMPOP', '0', '1', 'ub', 'LEFT'], 'ERROR'], [['BRPOPLPUSH', 'ub', 'd', '0'], 'error'], [['BRPOP', 'ub', '0'], null],
  ] as [string[], string | null][]) {
    send(a, ...cmd);
    await waitBlocked(c, 1);
    const extra = how === null ? [] : [how];
    const [r, e] = await Promise.all([c.redis.callRaw('CLIENT', 'UNBLOCK', rid, ...extra), c.echo.callRaw('CLIENT', 'UNBLOCK', eid, ...extra)]);
    assert.is(show(e.bytes), show(r.bytes), 'CLIENT UNBLOCK reply');
    await reply(a, `${cmd[0]} unblocked with ${how}`);
    assert.equal(await blocked(c), [0, 0]);
  }
  // A client that is not blocked.
  const [r, e] = await Promise.all([c.redis.callRaw('CLIENT', 'UNBLOCK', rid), c.echo.callRaw('CLIENT', 'UNBLOCK', eid)]);
  assert.is(show(e.bytes), show(r.bytes));
  await a.same('PING');
  // An unblock with ERROR is a failed call of the blocked command (times masked).
  const calls = async (cl: { call(...a: string[]): Promise<unknown> }): Promise<string[]> =>
    ((await cl.call('INFO', 'commandstats')) as string).split('\r\n').filter((l) => /^cmdstat_b/.test(l))
      .map((l) => l.replace(/usec=\d+,usec_per_call=[\d.]+,/, '')).sort();
  assert.equal(await calls(c.echo), await calls(c.redis), 'INFO commandstats of the blocking commands');
  await c.same('INFO', 'errorstats');
});

test('BLMOVE chains: the destination push serves that key\'s own waiters', async (ctx) => {
  const { c } = ctx;
  const a = await ctx.connect();
  const b = await ctx.connect();
  const d = await ctx.connect();
  send(a, 'BLMOVE', 'c1', 'c2', 'LEFT', 'RIGHT', '0');
  await waitBlocked(c, 1);
  send(b, 'BRPOPLPUSH', 'c2', 'c3', '0');
  await waitBlocked(c, 2);
  send(d, 'BLPOP', 'c3', '0');
  await waitBlocked(c, 3);
  await c.same('RPUSH', 'c1', 'token');
  await reply(a, 'BLMOVE c1 -> c2');
  await reply(b, 'BRPOPLPUSH c2 -> c3');
  await reply(d, 'BLPOP c3');
  for (const k of ['c1', 'c2', 'c3']) await c.same('EXISTS', k);
  // A BLMOVE onto the key it waits on.
  send(a, 'BLMOVE', 'c4', 'c4', 'RIGHT', 'LEFT', '0');
  await waitBlocked(c, 1);
  await c.same('RPUSH', 'c4', 'x', 'y');
  await reply(a, 'BLMOVE c4 -> c4');
  await c.same('LRANGE', 'c4', '0', '-1');
});

test('a waiter whose destination has the wrong type gets WRONGTYPE, and the next one is served', async (ctx) => {
  const { c } = ctx;
  const a = await ctx.connect();
  const b = await ctx.connect();
  send(a, 'BLMOVE', 'w1', 'wstr', 'LEFT', 'LEFT', '0');
  await waitBlocked(c, 1);
  send(b, 'BLPOP', 'w1', '0');
  await waitBlocked(c, 2);
  await c.same('SET', 'wstr', 'string');
  await c.same('RPUSH', 'w1', 'x');
  await reply(a, 'BLMOVE onto a string');
  await reply(b, 'BLPOP after it');
  await c.same('EXISTS', 'w1');
});

test('a key of another type does not serve list waiters; they wait for a list', async (ctx) => {
  const { c } = ctx;
  const a = await ctx.connect();
  send(a, 'BLPOP', 'z1', '0');
  await waitBlocked(c, 1);
  await c.same('ZADD', 'z1', '1', 'm');
  await c.same('SET', 'z1', 'str');
  await c.same('SADD', 'z1x', 'm');
  await silent(a, 'after ZADD and SET on the key');
  await c.same('DEL', 'z1');
  await c.same('LPUSH', 'z1', 'list');
  await reply(a, 'served by the list');
});

test('a waiter\'s pipelined commands run after every waiter of the key was served', async (ctx) => {
  const { c } = ctx;
  const a = await ctx.connect();
  const b = await ctx.connect();
  // a: BLPOP, then LPOP and LLEN in the same write.
  const bytes = [encodeCommand(['BLPOP', 'p1', '0']), encodeCommand(['LPOP', 'p1']), encodeCommand(['LLEN', 'p1'])];
  for (const x of bytes) {
    a.redis.write(x);
    a.echo.write(x);
  }
  await waitBlocked(c, 1);
  send(b, 'BLPOP', 'p1', '0');
  await waitBlocked(c, 2);
  await c.same('RPUSH', 'p1', 'x', 'y', 'z');
  await reply(a, 'BLPOP');
  await reply(b, 'second waiter gets y before a\'s LPOP runs');
  await reply(a, 'pipelined LPOP');
  await reply(a, 'pipelined LLEN');
});

test('a blocked client that disconnects is forgotten', async (ctx) => {
  const { c } = ctx;
  const a = await ctx.connect();
  const b = await ctx.connect();
  send(a, 'BLPOP', 'gone', '0');
  await waitBlocked(c, 1);
  send(b, 'BRPOP', 'gone', '0');
  await waitBlocked(c, 2);
  a.redis.close();
  a.echo.close();
  await waitBlocked(c, 1);
  await c.same('RPUSH', 'gone', 'x', 'y');
  await reply(b, 'the remaining waiter');
  await c.same('LRANGE', 'gone', '0', '-1');
});

test('waiters are per database', async (ctx) => {
  const { c } = ctx;
  const a = await ctx.connect();
  await a.same('SELECT', '1');
  send(a, 'BLPOP', 'dbk', '0');
  await waitBlocked(c, 1);
  await c.same('RPUSH', 'dbk', 'in db 0');
  await silent(a, 'after a push in another database');
  await c.same('SELECT', '1');
  await c.same('RPUSH', 'dbk', 'in db 1');
  await reply(a, 'served in its database');
  await c.same('SELECT', '0');
  await c.same('LRANGE', 'dbk', '0', '-1');
});

test('lists made by RENAME, MOVE, COPY and SWAPDB serve waiters', async (ctx) => {
  const { c } = ctx;
  const a = await ctx.connect();
  for (const make of [
    [['RPUSH', 'src', 'r'], ['RENAME', 'src', 'made']],
    [['SELECT', '2'], ['RPUSH', 'made', 'm'], ['MOVE', 'made', '0'], ['SELECT', '0']],
    [['RPUSH', 'src', 'c1', 'c2'], ['COPY', 'src', 'made']],
    [['SELECT', '3'], ['RPUSH', 'made', 's'], ['SELECT', '0'], ['SWAPDB', '0', '3']],
  ]) {
    send(a, 'BLPOP', 'made', '0');
    await waitBlocked(c, 1);
    for (const cmd of make) await c.same(...cmd);
    await reply(a, `served after ${make[make.length - 1][0]}`);
    await c.same('FLUSHALL');
  }
});

test('long and fractional timeouts', async (ctx) => {
  const { c } = ctx;
  const a = await ctx.connect();
  // Beyond the longest JS timer (2^31 ms): must wait, not fire at once.
  send(a, 'BLPOP', 'lt', '3000000');
  await waitBlocked(c, 1);
  await silent(a, 'BLPOP with a 35-day timeout', 100);
  await c.same('RPUSH', 'lt', 'x');
  await reply(a, 'served');
  send(a, 'BLPOP', 'lt', '9223372036854775.807');
  await waitBlocked(c, 1);
  await silent(a, 'BLPOP with the largest timeout', 50);
  await c.same('RPUSH', 'lt', 'y');
  await reply(a, 'served');
});

test('a blocked command counts once in INFO commandstats, failed when served with an error', async (ctx) => {
  const { c } = ctx;
  const a = await ctx.connect();
  await c.both('CONFIG', 'RESETSTAT');
  send(a, 'BLPOP', 'cs', '0');
  await waitBlocked(c, 1);
  await c.same('RPUSH', 'cs', 'x');
  await reply(a, 'served BLPOP');
  send(a, 'BLPOP', 'cs', '0.02');
  await reply(a, 'timed out BLPOP');
  send(a, 'BLMOVE', 'cs', 'csdst', 'LEFT', 'LEFT', '0');
  await waitBlocked(c, 1);
  await c.same('SET', 'csdst', 'string');
  await c.same('RPUSH', 'cs', 'y');
  await reply(a, 'BLMOVE onto a string');
  send(a, 'BLMPOP', '0', '1', 'cs2', 'LEFT');
  await waitBlocked(c, 1);
  await c.same('ZADD', 'cs2', '1', 'm');
  await c.same('DEL', 'cs2');
  await c.same('RPUSH', 'cs2', 'z');
  await reply(a, 'BLMPOP after a zset came and went');
  const stats = async (): Promise<[string[], string[]]> => {
    const [r, e] = await c.both('INFO', 'commandstats');
    const pick = (x: { reply: unknown }): string[] => String((x.reply as { value: string }).value).split('\r\n')
      .filter((l) => /^cmdstat_(blpop|blmove|blmpop|rpush|zadd)/.test(l))
      .map((l) => l.replace(/usec=\d+,usec_per_call=[\d.]+,/, '')).sort();
    return [pick(r), pick(e)];
  };
  const [r, e] = await stats();
  assert.equal(e, r);
  assert.ok(r.length === 5, r.join(' '));
});

test('MONITOR shows a blocked command once, when it is sent', async (ctx) => {
  const { c } = ctx;
  const a = await ctx.connect();
  const m = await ctx.connect();
  await m.same('MONITOR');
  send(a, 'BLPOP', 'mon', '0');
  await waitBlocked(c, 1);
  await c.same('RPUSH', 'mon', 'x');
  await reply(a, 'served BLPOP');
  await c.same('ECHO', 'marker');
  const lines = async (client: RespClient): Promise<string[]> => {
    const out: string[] = [];
    for (;;) {
      const line = String(await client.read(5000));
      // "<time> [<db> <addr>] "CMD" ...": the command part only.
      const cmd = line.slice(line.indexOf('] ') + 2);
      if (cmd.startsWith('"INFO"')) continue;
      out.push(cmd);
      if (cmd === '"ECHO" "marker"') return out;
    }
  };
  const [r, e] = await Promise.all([lines(m.redis), lines(m.echo)]);
  assert.equal(e, r);
  assert.equal(r, ['"BLPOP" "mon" "0"', '"RPUSH" "mon" "x"', '"ECHO" "marker"']);
});

test('a blocked command is slow-logged once served (with its own arguments) or unblocked (Redis\'s unit/slowlog)', async (ctx) => {
  const { c } = ctx;
  await c.same('CONFIG', 'SET', 'slowlog-log-slower-than', '0');
  try {
    const a = await ctx.connect();
    const [rid, eid] = await ids(a);
    // The argument vectors of the newest entries, on each side (client ids left out).
    const entries = async (): Promise<[unknown, unknown]> => {
      const pick = (r: unknown) => (r as unknown[][]).map((e) => (e[3] as string[]).filter((a) => a !== rid && a !== eid));
      return [pick(await c.echo.call('SLOWLOG', 'GET', '3')), pick(await c.redis.call('SLOWLOG', 'GET', '3'))];
    };
    await c.same('SLOWLOG', 'RESET');
    send(a, 'BLPOP', 'sl', '0');
    await waitBlocked(c, 1);
    let [e, r] = await entries();
    assert.equal(e, r, 'nothing logged while it waits');
    await c.same('MULTI');
    await c.same('LPUSH', 'sl', 'foo');
    await c.same('SLOWLOG', 'RESET');
    await c.same('EXEC');
    await reply(a, 'BLPOP served after EXEC');
    [e, r] = await entries();
    assert.equal(e, r, 'BLPOP logged once served');
    assert.equal((r as unknown[])[0], ['BLPOP', 'sl', '0']);
    // Released by CLIENT UNBLOCK: logged too.
    await c.same('SLOWLOG', 'RESET');
    send(a, 'BRPOP', 'sl2', '0');
    await waitBlocked(c, 1);
    await Promise.all([c.redis.call('CLIENT', 'UNBLOCK', rid), c.echo.call('CLIENT', 'UNBLOCK', eid)]);
    await reply(a, 'BRPOP unblocked');
    [e, r] = await entries();
    assert.equal(e, r, 'BRPOP logged once unblocked');
  } finally {
    await c.same('CONFIG', 'SET', 'slowlog-log-slower-than', '10000');
  }
});

test.run();

// ---------------------------------------------------------------------------------------------
// What served blocking commands propagate: Redis's AOF against echokv's propagate hook.


const prop = suite('compat: list blocking propagation');

prop('served blocking commands propagate as Redis propagates them', async () => {
  const redis = await startRedis(['--appendonly', 'yes', '--appendfsync', 'always']);
  if (redis === null) return;
  const echokv = await startEchokv();
  const seen: string[][] = [];
  echokv.server.on('propagate', (_db, argv) => seen.push([...argv]));
  const pair = async (): Promise<[RespClient, RespClient]> =>
    [await RespClient.connect(redis.port), await RespClient.connect(echokv.port)];
  const [r, e] = await pair();
  const [rw, ew] = await pair();
  const both = async (args: string[]): Promise<void> => {
    await r.call(...args);
    await e.call(...args);
  };
  const waitBlocked = async (): Promise<void> => {
    for (let i = 0; i < 600; i++) {
      const ri = String(await r.call('INFO', 'clients'));
      const ei = String(await e.call('INFO', 'clients'));
      if (ri.includes('blocked_clients:1') && ei.includes('blocked_clients:1')) return;
      await sleep(5);
    }
    assert.unreachable(`the waiter did not block: ${/blocked_clients:\d+/.exec(String(await r.call('INFO', 'clients')))} ${/blocked_clients:\d+/.exec(String(await e.call('INFO', 'clients')))}`);
  };
  try {
    for (const [wait, push] of [
      [['BLPOP', 'a', 'b', '0'], ['RPUSH', 'b', '1']],
      [['BRPOP', 'b', '0'], ['RPUSH', 'b', '3']],
      [['BLMOVE', 'c', 'd', 'RIGHT', 'left', '0'], ['RPUSH', 'c', 'x']],
      [['BLMOVE', 'c', 'd', 'left', 'RIGHT', '0'], ['RPUSH', 'c', 'x']],
      [['BRPOPLPUSH', 'e', 'f', '0'], ['LPUSH', 'e', 'y']],
      [['BLMPOP', '0', '2', 'g', 'h', 'RIGHT', 'COUNT', '5'], ['RPUSH', 'h', '1', '2', '3']],
      [['BLMPOP', '0', '1', 'g', 'LEFT'], ['RPUSH', 'g', '1', '2', '3']],
    ]) {
      rw.write(encodeCommand(wait));
      ew.write(encodeCommand(wait));
      await waitBlocked();
      await both(push);
      assert.is(show((await ew.readRaw(5000)).bytes), show((await rw.readRaw(5000)).bytes), `reply to ${wait.join(' ')}`);
    }
    assert.equal(seen, readRedisAof(redis.dir));
  } finally {
    for (const x of [r, e, rw, ew]) x.close();
    await echokv.stop();
    await redis.stop();
  }
});

prop.run();

// ---------------------------------------------------------------------------------------------
// Keyspace events of served commands: Redis's __keyevent@0__ messages against echokv's hook.

const events = suite('compat: list blocking keyspace events');

events('served blocking commands fire the events Redis fires, in order', async () => {
  const redis = await startRedis(['--notify-keyspace-events', 'Elg']);
  if (redis === null) return;
  const echokv = await startEchokv();
  const mine: string[] = [];
  echokv.server.keyspace.hooks.notify = (cls, event, key) => {
    if (cls === 'l' || cls === 'g') mine.push(event + ' ' + key);
  };
  const [r, e, rw, ew, sub] = await Promise.all([
    RespClient.connect(redis.port), RespClient.connect(echokv.port), RespClient.connect(redis.port),
    RespClient.connect(echokv.port), RespClient.connect(redis.port),
  ]);
  await sub.call('PSUBSCRIBE', '__keyevent@0__:*');
  const waitBlocked = async (): Promise<void> => {
    for (let i = 0; i < 600; i++) {
      const ri = String(await r.call('INFO', 'clients'));
      const ei = String(await e.call('INFO', 'clients'));
      if (ri.includes('blocked_clients:1') && ei.includes('blocked_clients:1')) return;
      await sleep(5);
    }
    assert.unreachable('the waiter did not block');
  };
  try {
    for (const [wait, push] of [
      [['BLPOP', 'a', 'b', '0'], ['RPUSH', 'b', '1']],
      [['BRPOP', 'b', '0'], ['RPUSH', 'b', '2', '3']],
      [['BLMOVE', 'c', 'd', 'RIGHT', 'LEFT', '0'], ['RPUSH', 'c', 'x']],
      [['BRPOPLPUSH', 'e', 'd', '0'], ['LPUSH', 'e', 'y', 'z']],
      [['BLMPOP', '0', '2', 'g', 'h', 'RIGHT', 'COUNT', '5'], ['RPUSH', 'h', '1', '2', '3']],
    ]) {
      rw.write(encodeCommand(wait));
      ew.write(encodeCommand(wait));
      await waitBlocked();
      await r.call(...push);
      await e.call(...push);
      assert.is(show((await ew.readRaw(5000)).bytes), show((await rw.readRaw(5000)).bytes), `reply to ${wait.join(' ')}`);
    }
    await r.call('PUBLISH', '__keyevent@0__:marker', 'end');
    const theirs: string[] = [];
    for (;;) {
      const msg = (await sub.read()) as string[];
      if (msg[2] === '__keyevent@0__:marker') break;
      theirs.push(msg[2].slice(msg[2].indexOf(':') + 1) + ' ' + msg[3]);
    }
    assert.equal(mine, theirs);
  } finally {
    for (const x of [r, e, rw, ew, sub]) x.close();
    await echokv.stop();
    await redis.stop();
  }
});

events.run();
