// Edge cases of the blocking commands from a differential run against redis-server 7.0 with
// several real connections: CLIENT PAUSE WRITE while clients wait (held commands and blocked
// clients, released by CLIENT UNPAUSE), CLIENT REPLY SKIP/OFF before a blocking command, CLIENT
// KILL and UNBLOCK inside a transaction, keys fed by less common commands, XADD that trims its
// own entry, SWAPDB with waiters, timeouts parsed inside MULTI. Every wait is bounded: a client is
// known to be blocked when INFO says so, and replies are awaited for a few seconds at most.
import * as assert from 'uvu/assert';
import { type Compat, type CompatContext, compatSuite, show } from './_compat.ts';
import { encodeCommand } from '../_resp.ts';
import { blockingTest, ids, reply, send, silent, waitBlocked } from './_blocking.ts';

const suite = compatSuite('edge blocking');

// A failed test leaves no pause behind either.
const test = blockingTest(suite, async (ctx) => void await ctx.c.both('CLIENT', 'UNPAUSE'));

/** Writes several commands on both sides of `p` in one write, as a pipeline. */
function pipeline(p: Compat, ...cmds: string[][]): void {
  const bytes = cmds.map((a) => Buffer.from(encodeCommand(a))).reduce((x, y) => Buffer.concat([x, y]));
  p.redis.write(bytes);
  p.echo.write(bytes);
}

/** CLIENT LIST with the volatile fields (ids, addresses, ages, memory) left out, lines sorted
 * (Redis rotates its client list in cron). */
async function sameClientList(c: Compat): Promise<void> {
  const [r, e] = await c.both('CLIENT', 'LIST');
  const norm = (raw: string): string => raw.replace(/^\$\d+\r\n/, '').split('\n').map((l) => l
    .replace(/id=\d+ addr=\S+ laddr=\S+ fd=\d+ /, '').replace(/age=\d+ idle=\d+ /, '')
    .replace(/qbuf=\d+ qbuf-free=\d+ argv-mem=\d+ multi-mem=\d+ rbs=\d+ rbp=\d+ obl=\d+ oll=\d+ omem=\d+ tot-mem=\d+ /, ''))
    .sort().join('\n');
  assert.is(show(norm(e.bytes)), show(norm(r.bytes)), 'CLIENT LIST');
}

/** blocked_clients and clients_in_timeout_table of INFO clients, compared. */
async function sameBlockedInfo(c: Compat): Promise<void> {
  const [r, e] = await c.both('INFO', 'clients');
  const pick = (raw: string): string => raw.split('\r\n').filter((l) => /^(blocked_clients|clients_in_timeout_table|connected_clients):/.test(l)).join(' ');
  assert.is(pick(e.bytes), pick(r.bytes), 'INFO clients');
}

test('CLIENT UNPAUSE: each held command runs on its own, so a waiter is served before the next one', async (ctx) => {
  const { c } = ctx;
  const w1 = await ctx.connect();
  const w2 = await ctx.connect();
  const push = await ctx.connect();
  const pop = await ctx.connect();
  send(w1, 'BLPOP', 'a', '0');
  await waitBlocked(c, 1);
  await c.same('CLIENT', 'PAUSE', '100000', 'WRITE');
  // BLPOP writes, so it is held like RPUSH and LPOP; all three count as blocked.
  send(w2, 'BLPOP', 'a', '0');
  send(push, 'RPUSH', 'a', 'x');
  send(pop, 'LPOP', 'a');
  await waitBlocked(c, 4);
  await silent(push, 'RPUSH while paused');
  await sameClientList(c);
  await c.same('CLIENT', 'UNPAUSE');
  await reply(push, 'held RPUSH');
  // The first waiter gets x before the held LPOP runs; the held BLPOP then waits on.
  await reply(w1, 'BLPOP served by the held RPUSH');
  await reply(pop, 'held LPOP finds the list empty');
  await silent(w2, 'held BLPOP blocks once run');
  await c.same('RPUSH', 'a', 'y');
  await reply(w2, 'held BLPOP served');
  await waitBlocked(c, 0);
});

test('CLIENT UNPAUSE in a transaction or a pipeline: held commands run after the caller\'s input', async (ctx) => {
  const { c } = ctx;
  const w = await ctx.connect();
  const push = await ctx.connect();
  const pop = await ctx.connect();
  for (const how of ['multi', 'pipeline']) {
    send(w, 'BLPOP', 'l', '0');
    await waitBlocked(c, 1);
    await c.same('CLIENT', 'PAUSE', '100000', 'WRITE');
    send(push, 'RPUSH', 'l', 'x', 'y');
    send(pop, 'LPOP', 'l');
    await waitBlocked(c, 3);
    if (how === 'multi') {
      await c.all([['MULTI'], ['CLIENT', 'UNPAUSE'], ['LLEN', 'l'], ['EXEC']]);
    } else {
      pipeline(c, ['CLIENT', 'UNPAUSE'], ['LLEN', 'l'], ['RPOP', 'l']);
      for (const what of ['UNPAUSE', 'LLEN', 'RPOP']) await reply(c, `pipelined ${what}`);
    }
    await reply(push, `held RPUSH (${how})`);
    await reply(w, `BLPOP served (${how})`);
    await reply(pop, `held LPOP (${how})`);
    await c.same('LRANGE', 'l', '0', '-1');
    await c.same('DEL', 'l');
  }
});

test('CLIENT PAUSE WRITE: XREAD blocks, the writing blocking commands are held; INFO and CLIENT LIST', async (ctx) => {
  const { c } = ctx;
  await c.all([['XADD', 's', '1-1', 'f', 'v'], ['XGROUP', 'CREATE', 's', 'g', '$'], ['RPUSH', 'l', 'have']]);
  const xread = await ctx.connect();
  const xgroup = await ctx.connect();
  const blpop = await ctx.connect();
  const history = await ctx.connect();
  const bz = await ctx.connect();
  await c.same('CLIENT', 'PAUSE', '100000', 'WRITE');
  send(xread, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
  send(xgroup, 'XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>');
  send(blpop, 'BLPOP', 'l', '0');
  send(history, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '0');
  send(bz, 'BZPOPMIN', 'z', '0.05');
  await waitBlocked(c, 4);
  await reply(history, 'XREAD with data answers during the pause');
  await silent(blpop, 'BLPOP held though its list has data', 100);
  await silent(bz, 'a held BZPOPMIN does not time out');
  await sameClientList(c);
  await sameBlockedInfo(c);
  await c.same('CLIENT', 'UNPAUSE');
  await reply(blpop, 'held BLPOP served at once');
  await reply(bz, 'held BZPOPMIN times out once run');
  await c.same('XADD', 's', '2-1', 'f', 'v');
  await reply(xread, 'XREAD');
  await reply(xgroup, 'XREADGROUP');
  await waitBlocked(c, 0);
});

test('a wait that ends during CLIENT PAUSE (timeout, CLIENT UNBLOCK) answers at once', async (ctx) => {
  const { c } = ctx;
  const w = await ctx.connect();
  const [rid, eid] = await ids(w);
  send(w, 'BLPOP', 'a', '0.1');
  await waitBlocked(c, 1);
  await c.same('CLIENT', 'PAUSE', '100000', 'WRITE');
  await reply(w, 'timed out while paused');
  await c.same('CLIENT', 'UNPAUSE');
  for (const how of [[], ['ERROR']]) {
    send(w, 'BLPOP', 'a', '0');
    await waitBlocked(c, 1);
    await c.same('CLIENT', 'PAUSE', '100000', 'WRITE');
    const [r, e] = await Promise.all([c.redis.callRaw('CLIENT', 'UNBLOCK', rid, ...how), c.echo.callRaw('CLIENT', 'UNBLOCK', eid, ...how)]);
    assert.is(show(e.bytes), show(r.bytes), 'CLIENT UNBLOCK');
    await reply(w, 'unblocked while paused');
    await c.same('CLIENT', 'UNPAUSE');
  }
});

test('CLIENT REPLY SKIP before a blocking command drops whatever ends its wait', async (ctx) => {
  const { c } = ctx;
  const w = await ctx.connect();
  const other = await ctx.connect();
  const [rid, eid] = await ids(w);
  await c.same('CONFIG', 'RESETSTAT');
  const skipThen = (...cmd: string[]): void => pipeline(w, ['CLIENT', 'REPLY', 'SKIP'], cmd, ['ECHO', cmd[0]]);
  // Served.
  skipThen('BLPOP', 'k', '0');
  await waitBlocked(c, 1);
  await c.same('RPUSH', 'k', 'a');
  await reply(w, 'only the ECHO after a served BLPOP');
  // Timed out.
  skipThen('BRPOP', 'k', '0.02');
  await reply(w, 'only the ECHO after a timeout');
  // Released by CLIENT UNBLOCK, as a timeout and with an error.
  for (const how of [['TIMEOUT'], ['ERROR']]) {
    skipThen('BZPOPMIN', 'k', '0');
    await waitBlocked(c, 1);
    const [r, e] = await Promise.all([c.redis.callRaw('CLIENT', 'UNBLOCK', rid, ...how), c.echo.callRaw('CLIENT', 'UNBLOCK', eid, ...how)]);
    assert.is(show(e.bytes), show(r.bytes), 'CLIENT UNBLOCK');
    await reply(w, `only the ECHO after CLIENT UNBLOCK ${how[0]}`);
  }
  // Served only after another waiter, and after a transaction that left nothing for it.
  skipThen('BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0');
  await waitBlocked(c, 1);
  send(other, 'BLPOP', 'k', '0');
  await waitBlocked(c, 2);
  await c.all([['MULTI'], ['RPUSH', 'k', 'a'], ['LPOP', 'k'], ['EXEC']]);
  await silent(w, 'still waiting');
  await c.same('RPUSH', 'k', 'b', 'c');
  await reply(w, 'only the ECHO after a BLMOVE served late');
  await reply(other, 'the other waiter');
  // XREADGROUP released because its stream went.
  await c.same('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
  skipThen('XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>');
  await waitBlocked(c, 1);
  await c.same('DEL', 's');
  await reply(w, 'only the ECHO after XREADGROUP lost its stream');
  await silent(w, 'nothing more');
  // The dropped errors still count.
  await c.same('INFO', 'errorstats');
});

test('CLIENT REPLY OFF before a blocking command: nothing until CLIENT REPLY ON', async (ctx) => {
  const { c } = ctx;
  const w = await ctx.connect();
  pipeline(w, ['CLIENT', 'REPLY', 'OFF'], ['BLPOP', 'k', '0.02'], ['CLIENT', 'REPLY', 'ON']);
  await reply(w, 'only the OK of CLIENT REPLY ON after a timeout');
  pipeline(w, ['CLIENT', 'REPLY', 'OFF'], ['BLPOP', 'k', '0'], ['CLIENT', 'REPLY', 'ON']);
  await waitBlocked(c, 1);
  await c.same('RPUSH', 'k', 'a');
  await reply(w, 'only the OK of CLIENT REPLY ON after a served BLPOP');
  await silent(w, 'nothing more');
});

test('CLIENT KILL and CLIENT UNBLOCK inside EXEC act before the transaction\'s data is served', async (ctx) => {
  const { c } = ctx;
  const w1 = await ctx.connect();
  const w2 = await ctx.connect();
  const [r1, e1] = await ids(w1);
  const [r2, e2] = await ids(w2);
  send(w1, 'BLPOP', 'k', '0');
  await waitBlocked(c, 1);
  send(w2, 'BLPOP', 'k', '0');
  await waitBlocked(c, 2);
  const exec = async (cmds: [string[], string[]][]): Promise<void> => {
    for (const [r, e] of [[c.redis, 0], [c.echo, 1]] as const) {
      await r.call('MULTI');
      for (const cmd of cmds) await r.call(...cmd[e]);
    }
    await c.same('EXEC');
  };
  await exec([[['RPUSH', 'k', 'a', 'b'], ['RPUSH', 'k', 'a', 'b']], [['CLIENT', 'KILL', 'ID', r1], ['CLIENT', 'KILL', 'ID', e1]]]);
  await reply(w2, 'the waiter left');
  await c.same('LRANGE', 'k', '0', '-1');
  send(w2, 'BLPOP', 'k2', '0');
  await waitBlocked(c, 1);
  await exec([[['CLIENT', 'UNBLOCK', r2], ['CLIENT', 'UNBLOCK', e2]], [['RPUSH', 'k2', 'a'], ['RPUSH', 'k2', 'a']]]);
  await reply(w2, 'unblocked before the push');
  await c.same('LRANGE', 'k2', '0', '-1');
  send(w2, 'BLPOP', 'k3', '0');
  await waitBlocked(c, 1);
  await exec([[['CLIENT', 'UNBLOCK', r2, 'ERROR'], ['CLIENT', 'UNBLOCK', e2, 'ERROR']], [['CLIENT', 'UNBLOCK', r2], ['CLIENT', 'UNBLOCK', e2]]]);
  await reply(w2, 'one reply for two unblocks');
  await silent(w2, 'nothing more');
});

test('keys fed by RENAMENX, LMOVE, ZRANGESTORE, ZUNIONSTORE, SORT STORE, RESTORE, COPY', async (ctx) => {
  const { c } = ctx;
  const w = await ctx.connect();
  const cases: [string[], string[][]][] = [
    [['BLPOP', 'k', '0'], [['RPUSH', 'o', 'a'], ['SET', 'k', 'v'], ['RENAMENX', 'o', 'k'], ['DEL', 'k'], ['RENAMENX', 'o', 'k']]],
    [['BLPOP', 'k', '0'], [['LPUSHX', 'k', 'a'], ['RPUSH', 'o', 'a', 'b'], ['LMOVE', 'o', 'k', 'LEFT', 'LEFT']]],
    [['BZPOPMIN', 'k', '0'], [['ZADD', 'o', '1', 'a', '2', 'b'], ['ZRANGESTORE', 'k', 'o', '5', '6'], ['ZRANGESTORE', 'k', 'o', '1', '1']]],
    [['BZPOPMAX', 'k', '0'], [['ZADD', 'o', '1', 'a'], ['ZINTERSTORE', 'k', '2', 'o', 'nx'], ['ZUNIONSTORE', 'k', '2', 'o', 'nx', 'WEIGHTS', '0', '2']]],
    [['BLPOP', 'k', '0'], [['SADD', 'o', 'b', 'a'], ['SORT', 'o', 'ALPHA', 'LIMIT', '5', '5', 'STORE', 'k'], ['SORT', 'o', 'ALPHA', 'STORE', 'k']]],
    [['BZPOPMIN', 'k', '0'], [['SADD', 's', 'a'], ['SUNIONSTORE', 'k', 's'], ['SORT', 's', 'ALPHA', 'STORE', 'k'], ['DEL', 'k'], ['GEOADD', 'k', '1', '1', 'm']]],
    [['XREAD', 'BLOCK', '0', 'STREAMS', 'k', '0'], [['XGROUP', 'CREATE', 'k', 'g', '$', 'MKSTREAM'], ['XSETID', 'k', '5-5'], ['DEL', 'k'], ['XADD', 'o', '1-1', 'f', 'v'], ['COPY', 'o', 'k']]],
  ];
  for (const [block, feed] of cases) {
    send(w, ...block);
    await waitBlocked(c, 1);
    for (const cmd of feed) await c.same(...cmd);
    await reply(w, `${block[0]} after ${feed.map((x) => x[0]).join(' ')}`);
    await c.same('FLUSHALL');
  }
  // RESTORE: of another type (no wake), then REPLACE with the right one.
  await c.all([['RPUSH', 'src', 'a', 'b'], ['ZADD', 'zsrc', '1', 'a']]);
  const [list, zset] = [await c.redis.call('DUMP', 'src'), await c.redis.call('DUMP', 'zsrc')] as string[];
  send(w, 'BLPOP', 'dst', '0');
  await waitBlocked(c, 1);
  await c.same('RESTORE', 'dst', '0', Buffer.from(zset, 'latin1'));
  await silent(w, 'a zset restored');
  await c.same('RESTORE', 'dst', '0', Buffer.from(list, 'latin1'), 'REPLACE');
  await reply(w, 'a list restored over it');
  await c.same('LRANGE', 'dst', '0', '-1');
});

test('XADD that trims its own entry serves XREAD and XREADGROUP with no entries', async (ctx) => {
  const { c } = ctx;
  const w = await ctx.connect();
  send(w, 'XREAD', 'BLOCK', '0', 'STREAMS', 'e', '$');
  await waitBlocked(c, 1);
  await c.same('XADD', 'e', 'MAXLEN', '0', '5-1', 'f', 'v');
  await reply(w, 'XREAD');
  await c.same('XGROUP', 'CREATE', 'e', 'g', '$');
  send(w, 'XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 'e', '>');
  await waitBlocked(c, 1);
  await c.same('XADD', 'e', 'MAXLEN', '0', '6-1', 'f', 'v');
  await reply(w, 'XREADGROUP');
  await c.same('XINFO', 'GROUPS', 'e');
  // XSETID and an entry another consumer took in the same transaction do not serve it.
  send(w, 'XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 'e', '>');
  await waitBlocked(c, 1);
  await c.same('XSETID', 'e', '7-1');
  await c.all([['MULTI'], ['XADD', 'e', '8-1', 'f', 'v'], ['XREADGROUP', 'GROUP', 'g', 'other', 'STREAMS', 'e', '>'], ['EXEC']]);
  await silent(w, 'nothing left for it');
  await c.same('XADD', 'e', '9-1', 'f', 'v');
  await reply(w, 'served by the next entry');
  await c.same('XINFO', 'GROUPS', 'e');
});

test('waiters stay in their database number across SWAPDB', async (ctx) => {
  const { c } = ctx;
  const w = await ctx.connect();
  await w.same('SELECT', '1');
  send(w, 'BLPOP', 'k', '0');
  await waitBlocked(c, 1);
  await c.same('SWAPDB', '0', '1');
  await c.same('RPUSH', 'k', 'db0');
  await silent(w, 'a push in db 0');
  await c.all([['SELECT', '1'], ['RPUSH', 'k', 'db1']]);
  await reply(w, 'served in db 1');
  await w.same('LRANGE', 'k', '0', '-1');
  await c.same('SELECT', '0');
});

test('duplicate keys in one blocking command', async (ctx) => {
  const { c } = ctx;
  const a = await ctx.connect();
  const b = await ctx.connect();
  send(a, 'BLPOP', 'k', 'k', '0');
  await waitBlocked(c, 1);
  send(b, 'BLMPOP', '0', '3', 'k', 'j', 'k', 'LEFT', 'COUNT', '2');
  await waitBlocked(c, 2);
  await c.same('RPUSH', 'k', 'a', 'b', 'c');
  await reply(a, 'BLPOP k k');
  await reply(b, 'BLMPOP k j k');
  await c.same('XADD', 's', '1-1', 'f', 'v');
  send(a, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', 's', '$', '0');
  await reply(a, 'XREAD s s with history');
  send(a, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', 's', '$', '$');
  await waitBlocked(c, 1);
  await c.same('XADD', 's', '2-1', 'f', 'v');
  await reply(a, 'XREAD s s served');
});

// Parsed inside MULTI so that the commands answer at once: the error texts, or a null when
// the value is a valid wait (Redis parses the timeout before it looks at the keys).
const TIMEOUTS = [
  '0', '-0', '-1', '-0.0001', '0.0001', 'abc', '', ' 1', '1 ', '1e3', 'inf', '-inf', 'nan', '+inf', '0x10',
  '9223372036854775807', '9223372036854775808', '9223372036854775.807', '9223372036854775.808', '1e308', '1e400',
  '-1e400', '1.5e-400', '+1', '1.', '.5',
];

test('timeout arguments: each command\'s error text or null, in RESP2 and RESP3', async ({ c }) => {
  for (const proto of ['2', '3']) {
    await c.both('HELLO', proto);
    await c.same('MULTI');
    for (const t of TIMEOUTS) {
      for (const cmd of [
        ['BLPOP', 'k', t], ['BRPOPLPUSH', 'k', 'd', t], ['BLMOVE', 'k', 'd', 'LEFT', 'RIGHT', t], ['BLMPOP', t, '1', 'k', 'LEFT'],
        ['BZPOPMAX', 'k', t], ['BZMPOP', t, '1', 'k', 'MIN'], ['XREAD', 'BLOCK', t, 'STREAMS', 'k', '$'],
      ]) await c.same(...cmd);
    }
    await c.same('EXEC');
  }
  await c.both('HELLO', '2');
});

suite.run();
