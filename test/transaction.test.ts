// Transactions inside echokv (compared with Redis in test/compat/transaction.test.ts): EXEC runs
// with one fixed time (an injected clock that moves on every read), what EXEC hands the
// propagate hook (databases included, expiry DELs inside the wrap), WATCH bookkeeping that
// returns to nothing after EXEC, DISCARD, UNWATCH, RESET, touches and disconnects (so the
// keyspace hook costs nothing again), no WATCH work at all while nothing is watched, and the
// MULTI state and flags CLIENT LIST shows.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RespClient, type Running, sleep, startEchokv } from './_helpers.ts';
import { encodeCommand } from './_resp.ts';

interface Ctx {
  srv: Running;
  cl: RespClient;
  now: number;
  /** Added to `now` on every clock read, to show which reads EXEC makes. */
  drift: number;
  propagated: string[];
}

const T0 = 1_700_000_000_000;
const test = suite<Ctx>('transactions', { now: T0, drift: 0 } as Ctx);

test.before(async (ctx) => {
  ctx.srv = await startEchokv({}, {
    clock: () => {
      ctx.now += ctx.drift;
      return ctx.now;
    },
  });
  ctx.srv.server.activeExpire = false;
  ctx.cl = await RespClient.connect(ctx.srv.port);
  ctx.propagated = [];
  ctx.srv.server.on('propagate', (db, argv) => ctx.propagated.push(`${db} ${argv.join(' ')}`));
});

test.after(async (ctx) => {
  ctx.cl.close();
  await ctx.srv.stop();
});

test.before.each(async (ctx) => {
  ctx.now = T0;
  ctx.drift = 0;
  await ctx.cl.call('FLUSHALL');
  await ctx.cl.call('UNWATCH');
  ctx.propagated.length = 0;
});

/** Sends all commands in one write and returns every reply. */
async function pipeline(cl: RespClient, cmds: string[][]): Promise<unknown[]> {
  const parts = cmds.map((c) => encodeCommand(c));
  let len = 0;
  for (const p of parts) len += p.length;
  const buf = new Uint8Array(len);
  let at = 0;
  for (const p of parts) {
    buf.set(p, at);
    at += p.length;
  }
  cl.write(buf);
  const out: unknown[] = [];
  for (let i = 0; i < cmds.length; i++) out.push(await cl.read());
  return out;
}

test('EXEC runs every queued command at the EXEC\'s time, whatever the clock does meanwhile', async (ctx) => {
  const { cl } = ctx;
  await cl.call('MULTI');
  await cl.call('SET', 'a', 'v', 'PX', '5');
  await cl.call('GET', 'a');
  await cl.call('PTTL', 'a');
  await cl.call('SET', 'b', 'w', 'PX', '5');
  await cl.call('PTTL', 'b');
  // From now on the clock moves 10 ms on every read: the commands of one EXEC still see one time.
  ctx.drift = 10;
  assert.equal(await cl.call('EXEC'), ['OK', 'v', 5, 'OK', 5]);
  ctx.drift = 0;
  ctx.now += 100;
  assert.is(await cl.call('GET', 'a'), null);
});

test('EXEC propagates one change alone and several wrapped in MULTI/EXEC, with their databases', async (ctx) => {
  const { cl } = ctx;
  const p = ctx.propagated;
  await pipeline(cl, [['MULTI'], ['GET', 'x'], ['EXEC']]);
  assert.equal(p, []);
  await pipeline(cl, [['MULTI'], ['SET', 'a', '1'], ['GET', 'a'], ['EXEC']]);
  assert.equal(p, ['0 SET a 1']);
  p.length = 0;
  await pipeline(cl, [['MULTI'], ['SELECT', '2'], ['SET', 'b', '1'], ['SELECT', '0'], ['DEL', 'a'], ['SELECT', '4'],
    ['EXEC'], ['SELECT', '0']]);
  assert.equal(p, ['2 MULTI', '2 SET b 1', '0 DEL a', '0 EXEC']);
  p.length = 0;
  // A key found expired inside the transaction is deleted there: its DEL is part of the wrap.
  await cl.call('SET', 'e', 'v', 'PX', '10');
  p.length = 0;
  ctx.now += 50;
  await pipeline(cl, [['MULTI'], ['GET', 'e'], ['SET', 'f', '1'], ['EXEC']]);
  assert.equal(p, ['0 MULTI', '0 DEL e', '0 SET f 1', '0 EXEC']);
  p.length = 0;
  // Aborted or discarded transactions propagate nothing.
  await pipeline(cl, [['MULTI'], ['SET', 'g', '1'], ['NOSUCH'], ['EXEC'], ['MULTI'], ['SET', 'g', '1'], ['DISCARD']]);
  assert.equal(p, []);
});

test('WATCH bookkeeping empties after EXEC, DISCARD, UNWATCH, RESET, touches and disconnects', async (ctx) => {
  const tx = ctx.srv.server.transactions;
  const { cl } = ctx;
  const other = await RespClient.connect(ctx.srv.port);
  try {
    const ends: string[][][] = [
      [['MULTI'], ['EXEC']], [['MULTI'], ['DISCARD']], [['UNWATCH']], [['RESET']], [['MULTI'], ['NOSUCH'], ['EXEC']],
      [['EXEC', 'x']],
    ];
    for (const end of ends) {
      await pipeline(cl, [['WATCH', 'a', 'b', 'a'], ['SELECT', '1'], ['WATCH', 'a']]);
      assert.is(tx.count, 3, 'a and b in db 0, a in db 1');
      await pipeline(cl, end);
      assert.is(tx.count, 0, `after ${JSON.stringify(end)}`);
      await cl.call('SELECT', '0');
    }
    // A touch unwatches every key of the touched client, and only its own.
    await cl.call('WATCH', 'a', 'b');
    await other.call('WATCH', 'b');
    assert.is(tx.count, 3);
    await other.call('SET', 'a', '1');
    assert.is(tx.count, 1);
    assert.equal(await pipeline(cl, [['MULTI'], ['EXEC']]), ['OK', null]);
    // A client that goes away stops watching.
    other.close();
    await other.waitClosed(200);
    await sleep(20);
    assert.is(tx.count, 0);
  } finally {
    other.close();
  }
});

test('nothing watched: writes never reach the WATCH code', async (ctx) => {
  const tx = ctx.srv.server.transactions;
  const touch = tx.touch;
  const touchAll = tx.touchAll;
  let calls = 0;
  tx.touch = (...a) => {
    calls++;
    touch.apply(tx, a);
  };
  tx.touchAll = (...a) => {
    calls++;
    touchAll.apply(tx, a);
  };
  try {
    await pipeline(ctx.cl, [['SET', 'a', '1'], ['DEL', 'a'], ['HSET', 'h', 'f', 'v'], ['FLUSHDB'], ['SWAPDB', '0', '1']]);
    assert.is(calls, 0);
    await ctx.cl.call('WATCH', 'zz');
    await pipeline(ctx.cl, [['SET', 'a', '1'], ['FLUSHDB']]);
    assert.is(calls, 2);
  } finally {
    tx.touch = touch;
    tx.touchAll = touchAll;
  }
});

test('CLIENT LIST: multi= counts the queue, multi-mem its bytes, flags x and d', async (ctx) => {
  const { cl } = ctx;
  /** The fields of `cl`'s CLIENT LIST line, asked from another connection. */
  const line = async (): Promise<Record<string, string>> => {
    const info = (await probe.call('CLIENT', 'LIST', 'ID', String(id))) as string;
    return Object.fromEntries(info.trim().split(' ').map((f) => [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)]));
  };
  const probe = await RespClient.connect(ctx.srv.port);
  const id = Number(await cl.call('CLIENT', 'ID'));
  try {
    let f = await line();
    assert.is(f.multi, '-1');
    assert.is(f.flags, 'N');
    assert.is(f['multi-mem'], '0');
    await cl.call('WATCH', 'k');
    f = await line();
    // Redis 7.0's multi-mem is the queued arguments only (watched keys count in tot-mem).
    assert.is(f['multi-mem'], '0', 'watched keys are not in multi-mem');
    await cl.call('MULTI');
    await cl.call('SET', 'k', 'x'.repeat(1000));
    await cl.call('GET', 'k');
    f = await line();
    assert.is(f.multi, '2');
    assert.is(f.flags, 'x');
    assert.ok(Number(f['multi-mem']) >= 1006, f['multi-mem']);
    assert.ok(Number(f['tot-mem']) > 1006);
    await probe.call('SET', 'k', 'touched');
    f = await line();
    assert.is(f.flags, 'xd');
    assert.is(await cl.call('EXEC'), null);
    f = await line();
    assert.is(f.flags, 'N');
    assert.is(f.multi, '-1');
  } finally {
    probe.close();
  }
});

test('a persistence error (MISCONF) refuses an EXEC that queued writes, and ends the transaction', async (ctx) => {
  const { cl, srv } = ctx;
  const misconf = 'MISCONF Errors writing to the AOF file: No space left on device';
  await pipeline(cl, [['MULTI'], ['SET', 'a', '1'], ['GET', 'a']]);
  srv.server.diskErrors.set('test', misconf);
  try {
    assert.equal(await cl.call('EXEC'), { error: 'EXECABORT Transaction discarded because of: ' + misconf });
    assert.equal(await cl.call('EXEC'), { error: 'ERR EXEC without MULTI' });
    // Reads only: it runs.
    assert.equal(await pipeline(cl, [['MULTI'], ['GET', 'a'], ['EXEC']]), ['OK', 'QUEUED', [null]]);
  } finally {
    srv.server.diskErrors.delete('test');
  }
});

test('a transaction in flight is dropped with its client, and its queue does not run', async (ctx) => {
  const c2 = await RespClient.connect(ctx.srv.port);
  await pipeline(c2, [['MULTI'], ['SET', 'gone', '1']]);
  c2.close();
  await c2.waitClosed(200);
  await sleep(20);
  assert.is(await ctx.cl.call('EXISTS', 'gone'), 0);
  for (const c of ctx.srv.server.clients.values()) assert.is(c.multi, null);
});

test.run();
