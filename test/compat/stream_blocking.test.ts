// Blocking stream reads against a real redis-server, with several real connections: XREAD BLOCK
// and XREADGROUP BLOCK served by XADD from another client (in arrival order, from the key that
// got data, `$` meaning "after the last ID when the call was made"), timeouts and their null
// replies in RESP2 and RESP3, groups destroyed while clients wait, MULTI/EXEC (no blocking inside,
// waiters served after EXEC), the 1000-entry cap of a served read without COUNT, CLIENT UNBLOCK,
// disconnects, and what a served XREADGROUP propagates. Every wait is bounded in time.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type Compat, type CompatContext, compatSuite, show, readRedisAof } from './_compat.ts';
import { RespClient, sleep, startEchokv, startRedis } from '../_helpers.ts';
import { encodeCommand } from '../_resp.ts';
import { join } from 'node:path';

const test = compatSuite('stream blocking');

/** Sends a command to both servers on this connection without waiting for the replies. */
function send(w: Compat, ...args: string[]): void {
  const bytes = encodeCommand(args);
  w.redis.write(bytes);
  w.echo.write(bytes);
}

/** Reads the next reply of both servers on this connection and compares the bytes. */
async function sameNext(w: Compat, what: string, timeoutMs = 5000): Promise<string> {
  const [r, e] = await Promise.all([w.redis.readRaw(timeoutMs), w.echo.readRaw(timeoutMs)]);
  assert.is(show(e.bytes), show(r.bytes), what);
  return r.bytes;
}

/** Asserts that no reply arrives on this connection from either server within `ms`. */
async function stillBlocked(w: Compat, what: string, ms = 150): Promise<void> {
  await sleep(ms);
  assert.is(w.redis.pendingBytes, 0, `redis-server replied early: ${what}`);
  assert.is(w.echo.pendingBytes, 0, `echokv replied early: ${what}`);
}

/** Waits until both servers report `n` blocked clients (INFO clients), at most 5 s. */
async function waitBlocked(ctx: CompatContext, n: number): Promise<void> {
  const count = async (cl: RespClient): Promise<number> => {
    const info = (await cl.call('INFO', 'clients')) as string;
    return Number(/blocked_clients:(\d+)/.exec(info)![1]);
  };
  const deadline = Date.now() + 5000;
  for (;;) {
    const [r, e] = await Promise.all([count(ctx.c.redis), count(ctx.c.echo)]);
    if (r === n && e === n) return;
    assert.ok(Date.now() < deadline, `blocked clients: redis ${r}, echokv ${e}, expected ${n}`);
    await sleep(10);
  }
}

test('XREAD BLOCK with $ is served by the next XADD, with that entry only', async (ctx) => {
  const { c } = ctx;
  const w = await ctx.connect();
  await c.same('XADD', 's', '1-1', 'f', 'old');
  send(w, 'XREAD', 'BLOCK', '5000', 'STREAMS', 's', '$');
  await waitBlocked(ctx, 1);
  await stillBlocked(w, 'nothing added yet');
  await c.same('XADD', 's', '2-1', 'f', 'new', 'g', 'x');
  await sameNext(w, 'XREAD served');
  await waitBlocked(ctx, 0);
  // The same with BLOCK 0 (no timeout), on a key that does not exist yet.
  send(w, 'XREAD', 'BLOCK', '0', 'STREAMS', 'n', '$');
  await waitBlocked(ctx, 1);
  await c.same('XADD', 'n', '5-5', 'a', 'b');
  await sameNext(w, 'XREAD BLOCK 0 served');
  // An explicit ID: entries at or below it do not serve, later ones do.
  send(w, 'XREAD', 'BLOCK', '5000', 'COUNT', '5', 'STREAMS', 'n', '10-0');
  await waitBlocked(ctx, 1);
  await c.same('XADD', 'n', '9-0', 'a', 'b');
  await stillBlocked(w, 'an entry below the ID');
  await c.same('XADD', 'n', '10-0', 'a', 'b');
  await stillBlocked(w, 'an entry at the ID');
  await c.same('XADD', 'n', '10-1', 'a', 'c');
  await sameNext(w, 'served after the ID');
});

test('a client blocked on several streams is served from the key that got data, alone', async (ctx) => {
  const { c } = ctx;
  const w = await ctx.connect();
  await c.all([['XADD', 'a', '1-1', 'f', 'v'], ['XADD', 'b', '1-1', 'f', 'v']]);
  send(w, 'XREAD', 'BLOCK', '5000', 'STREAMS', 'a', 'b', 'nokey', '$', '$', '$');
  await waitBlocked(ctx, 1);
  await c.same('XADD', 'b', '2-1', 'x', 'y');
  await sameNext(w, 'served from b');
  // Both keys get data in one transaction: the first signalled key serves.
  send(w, 'XREAD', 'BLOCK', '5000', 'STREAMS', 'a', 'b', '$', '$');
  await waitBlocked(ctx, 1);
  await c.same('MULTI');
  await c.same('XADD', 'b', '3-1', 'x', 'y');
  await c.same('XADD', 'a', '3-1', 'x', 'y');
  await c.same('EXEC');
  await sameNext(w, 'served from b, the first key with data in EXEC');
  // A new key: created by XADD.
  send(w, 'XREAD', 'BLOCK', '5000', 'STREAMS', 'a', 'nokey', '$', '$');
  await waitBlocked(ctx, 1);
  await c.same('XADD', 'nokey', '1-1', 'f', 'v');
  await sameNext(w, 'served from the new key');
});

test('several waiters are served in arrival order; a group serves each entry once', async (ctx) => {
  const { c } = ctx;
  const w1 = await ctx.connect();
  const w2 = await ctx.connect();
  const w3 = await ctx.connect();
  await c.all([['XADD', 's', '1-1', 'f', 'v'], ['XGROUP', 'CREATE', 's', 'g', '$']]);
  send(w1, 'XREAD', 'BLOCK', '5000', 'STREAMS', 's', '$');
  await waitBlocked(ctx, 1);
  send(w2, 'XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '5000', 'STREAMS', 's', '>');
  await waitBlocked(ctx, 2);
  send(w3, 'XREADGROUP', 'GROUP', 'g', 'bob', 'BLOCK', '5000', 'STREAMS', 's', '>');
  await waitBlocked(ctx, 3);
  await c.same('XADD', 's', '2-1', 'f', 'one');
  await sameNext(w1, 'XREAD waiter');
  await sameNext(w2, 'first group waiter');
  await stillBlocked(w3, 'the group entry went to alice');
  await sameTimedConsumers(c);
  await c.same('XADD', 's', '3-1', 'f', 'two');
  await sameNext(w3, 'second group waiter');
  await c.same('XPENDING', 's', 'g');
  await c.same('XINFO', 'GROUPS', 's');
});

/** XINFO CONSUMERS with the idle times left out (they depend on the clock). */
async function sameTimedConsumers(c: Compat): Promise<void> {
  const [r, e] = await c.both('XINFO', 'CONSUMERS', 's', 'g');
  const names = (raw: string): string => raw.replace(/idle\r\n:\d+/g, 'idle');
  assert.is(show(names(e.bytes)), show(names(r.bytes)), 'XINFO CONSUMERS');
}

test('timeouts reply with a null array, in RESP2 and RESP3; MULTI never blocks', async (ctx) => {
  const { c } = ctx;
  const w = await ctx.connect();
  await c.all([['XADD', 's', '1-1', 'f', 'v'], ['XGROUP', 'CREATE', 's', 'g', '$']]);
  send(w, 'XREAD', 'BLOCK', '50', 'STREAMS', 's', '$');
  await sameNext(w, 'XREAD timeout');
  send(w, 'XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '50', 'STREAMS', 's', '>');
  await sameNext(w, 'XREADGROUP timeout');
  await w.same('XINFO', 'CONSUMERS', 's', 'g');
  await w.same('MULTI');
  await w.same('XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
  await w.same('XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>');
  await w.same('EXEC');
  await w.redis.call('HELLO', '3');
  await w.echo.call('HELLO', '3');
  send(w, 'XREAD', 'BLOCK', '50', 'STREAMS', 's', '$');
  await sameNext(w, 'RESP3 XREAD timeout');
  send(w, 'XREAD', 'BLOCK', '5000', 'STREAMS', 's', '$');
  await waitBlocked(ctx, 1);
  await c.same('XADD', 's', '2-1', 'f', 'v');
  await sameNext(w, 'RESP3 XREAD served');
  send(w, 'XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '5000', 'STREAMS', 's', '>');
  await sameNext(w, 'RESP3 XREADGROUP served at once');
  send(w, 'XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '5000', 'STREAMS', 's', '>');
  await waitBlocked(ctx, 1);
  await c.same('XADD', 's', '3-1', 'f', 'v');
  await sameNext(w, 'RESP3 XREADGROUP served');
});

test('waiters are served after EXEC; an entry added and deleted still wakes them', async (ctx) => {
  const { c } = ctx;
  const w = await ctx.connect();
  const w2 = await ctx.connect();
  await c.all([['XADD', 's', '1-1', 'f', 'v'], ['XGROUP', 'CREATE', 's', 'g', '$']]);
  send(w, 'XREAD', 'BLOCK', '5000', 'STREAMS', 's', '$');
  await waitBlocked(ctx, 1);
  send(w2, 'XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '5000', 'STREAMS', 's', '>');
  await waitBlocked(ctx, 2);
  await c.all([['MULTI'], ['XADD', 's', '2-1', 'f', 'v'], ['XDEL', 's', '2-1'], ['EXEC']]);
  await sameNext(w, 'XREAD woken by a deleted entry');
  await sameNext(w2, 'XREADGROUP woken by a deleted entry');
  await c.same('XINFO', 'GROUPS', 's');
  // A served read without COUNT gets at most 1000 entries.
  send(w, 'XREAD', 'BLOCK', '5000', 'STREAMS', 's', '$');
  await waitBlocked(ctx, 1);
  await c.same('MULTI');
  for (let i = 0; i < 1005; i++) await c.same('XADD', 's', `${10 + i}-0`, 'n', String(i));
  await c.same('EXEC');
  await sameNext(w, 'served with 1000 entries');
  send(w, 'XREAD', 'BLOCK', '5000', 'COUNT', '2000', 'STREAMS', 's', '1-1');
  await sameNext(w, 'served at once with COUNT');
});

test('XREADGROUP BLOCK: NOACK, a group destroyed meanwhile, history reads never block', async (ctx) => {
  const { c } = ctx;
  const w = await ctx.connect();
  await c.all([['XADD', 's', '1-1', 'f', 'v'], ['XGROUP', 'CREATE', 's', 'g', '$']]);
  send(w, 'XREADGROUP', 'GROUP', 'g', 'c', 'NOACK', 'COUNT', '3', 'BLOCK', '5000', 'STREAMS', 's', '>');
  await waitBlocked(ctx, 1);
  await c.same('XADD', 's', '2-1', 'f', 'v');
  await sameNext(w, 'NOACK served');
  await c.same('XPENDING', 's', 'g');
  send(w, 'XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '5000', 'STREAMS', 's', '>');
  await waitBlocked(ctx, 1);
  await c.same('XGROUP', 'DESTROY', 's', 'g');
  await sameNext(w, 'NOGROUP for a destroyed group');
  await c.same('XGROUP', 'CREATE', 's', 'g', '$');
  send(w, 'XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '5000', 'STREAMS', 's', '0');
  await sameNext(w, 'history served at once');
  // The group is set back while a client waits: the next XADD serves from the new position.
  send(w, 'XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '5000', 'STREAMS', 's', '>');
  await waitBlocked(ctx, 1);
  await c.same('XGROUP', 'SETID', 's', 'g', '0');
  await stillBlocked(w, 'SETID does not wake');
  await c.same('XADD', 's', '3-1', 'f', 'v');
  await sameNext(w, 'served from the new position');
  await c.same('XPENDING', 's', 'g');
});

test('CLIENT UNBLOCK, disconnects, and blocked clients do not see other waiters go', async (ctx) => {
  const { c } = ctx;
  const w1 = await ctx.connect();
  const w2 = await ctx.connect();
  await c.same('XADD', 's', '1-1', 'f', 'v');
  const ids = async (w: Compat): Promise<[string, string]> => [
    String(await w.redis.call('CLIENT', 'ID')), String(await w.echo.call('CLIENT', 'ID')),
  ];
  const [r1, e1] = await ids(w1);
  send(w1, 'XREAD', 'BLOCK', '5000', 'STREAMS', 's', '$');
  await waitBlocked(ctx, 1);
  assert.is(await c.echo.call('CLIENT', 'UNBLOCK', e1), await c.redis.call('CLIENT', 'UNBLOCK', r1));
  await sameNext(w1, 'unblocked as a timeout');
  send(w1, 'XREAD', 'BLOCK', '5000', 'STREAMS', 's', '$');
  await waitBlocked(ctx, 1);
  assert.is(await c.echo.call('CLIENT', 'UNBLOCK', e1, 'ERROR'), await c.redis.call('CLIENT', 'UNBLOCK', r1, 'ERROR'));
  await sameNext(w1, 'unblocked with an error');
  // A waiter that disconnects is forgotten; the one behind it is served.
  const gone = await ctx.connect();
  send(gone, 'XREAD', 'BLOCK', '5000', 'STREAMS', 's', '$');
  await waitBlocked(ctx, 1);
  send(w2, 'XREAD', 'BLOCK', '5000', 'STREAMS', 's', '$');
  await waitBlocked(ctx, 2);
  gone.redis.close();
  gone.echo.close();
  await waitBlocked(ctx, 1);
  await c.same('XADD', 's', '2-1', 'f', 'v');
  await sameNext(w2, 'the remaining waiter');
});

test.run();

// ---------------------------------------------------------------------------------------------
// What a served XREADGROUP propagates: Redis's AOF against echokv's propagate hook.

const prop = suite('compat: blocked stream reads propagation');


prop('a served XREADGROUP propagates XCLAIM (or XGROUP for NOACK) after the XADD that fed it', async () => {
  const redis = await startRedis(['--appendonly', 'yes', '--appendfsync', 'always']);
  if (redis === null) return;
  const echokv = await startEchokv();
  const seen: string[][] = [];
  echokv.server.on('propagate', (_db, argv) => seen.push([...argv]));
  const r = await RespClient.connect(redis.port);
  const e = await RespClient.connect(echokv.port);
  const rw = await RespClient.connect(redis.port);
  const ew = await RespClient.connect(echokv.port);
  const blocked = async (): Promise<void> => {
    const deadline = Date.now() + 5000;
    for (;;) {
      const ri = (await r.call('INFO', 'clients')) as string;
      const ei = (await e.call('INFO', 'clients')) as string;
      if (ri.includes('blocked_clients:1') && ei.includes('blocked_clients:1')) return;
      assert.ok(Date.now() < deadline, 'the reader blocks');
      await sleep(10);
    }
  };
  try {
    for (const cmd of [['XADD', 's', '1-1', 'f', 'v'], ['XGROUP', 'CREATE', 's', 'g', '$']]) {
      await r.call(...cmd);
      await e.call(...cmd);
    }
    for (const noack of [false, true]) {
      const cmd = ['XREADGROUP', 'GROUP', 'g', noack ? 'quiet' : 'c', ...(noack ? ['NOACK'] : []), 'BLOCK', '5000', 'STREAMS', 's', '>'];
      rw.write(encodeCommand(cmd));
      ew.write(encodeCommand(cmd));
      await blocked();
      const add = ['XADD', 's', noack ? '3-1' : '2-1', 'f', 'v'];
      await r.call(...add);
      await e.call(...add);
      assert.is(show((await ew.readRaw()).bytes), show((await rw.readRaw()).bytes), 'served reply');
    }
    const now = Date.now();
    const norm = (list: string[][]): string[] => list.map((a) => a.map((x, i) => {
      if (a[i - 1] === 'TIME' && /^\d{13}$/.test(x) && Math.abs(Number(x) - now) < 200000) return '<ms>';
      return x;
    }).join(' '));
    assert.equal(norm(seen), norm(readRedisAof(redis.dir)));
  } finally {
    for (const cl of [r, e, rw, ew]) cl.close();
    await echokv.stop();
    await redis.stop();
  }
});

prop.run();
