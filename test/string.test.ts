// String and bitmap commands in-process with an injected clock: expiry without sleeping, the
// exact absolute times that are propagated, lazy-free variants of what is propagated, and how
// values are represented (MutableString for in-place edits, which OBJECT ENCODING shows as raw).
// test-runner: alone (one test reads back a 512 MB value)
import { suite } from 'uvu';
import * as net from 'node:net';
import { Buffer } from 'node:buffer';
import * as assert from 'uvu/assert';
import { RespClient, startEchokv, type Running } from './_helpers.ts';
import { MutableString } from '../core/keyspace.ts';

const T0 = 1_700_000_000_000;

interface Ctx {
  srv: Running;
  c: RespClient;
  now: number;
  propagated: string[][];
}

function setup(name: string, config: Record<string, string> = {}) {
  const s = suite<Ctx>(name, { now: T0, propagated: [] } as unknown as Ctx);
  s.before(async (ctx) => {
    ctx.srv = await startEchokv(config, { clock: () => ctx.now });
    ctx.srv.server.on('propagate', (_db, argv) => ctx.propagated.push([...argv]));
    ctx.c = await RespClient.connect(ctx.srv.port);
  });
  s.before.each((ctx) => {
    ctx.now = T0;
    ctx.propagated.length = 0;
    for (const db of ctx.srv.server.keyspace.dbs) db.flush();
  });
  s.after(async (ctx) => {
    ctx.c.close();
    await ctx.srv.stop();
  });
  return s;
}

const value = (ctx: Ctx, key: string) => ctx.srv.server.keyspace.dbs[0].peek(key)?.value;
const expireAt = (ctx: Ctx, key: string) => ctx.srv.server.keyspace.dbs[0].peek(key)?.expireAt;

const expiry = setup('string expiry with an injected clock');

expiry('SET EX, PX, EXAT, PXAT expire at the right moment and propagate as SET ... PXAT', async (ctx) => {
  const { c } = ctx;
  assert.is(await c.call('SET', 'ex', 'v', 'EX', '10'), 'OK');
  assert.is(await c.call('SET', 'px', 'v', 'PX', '1500'), 'OK');
  assert.is(await c.call('SET', 'exat', 'v', 'EXAT', String(T0 / 1000 + 20)), 'OK');
  assert.is(await c.call('SET', 'pxat', 'v', 'PXAT', String(T0 + 2500), 'GET'), null);
  assert.equal(ctx.propagated, [
    ['SET', 'ex', 'v', 'PXAT', String(T0 + 10000)],
    ['SET', 'px', 'v', 'PXAT', String(T0 + 1500)],
    ['SET', 'exat', 'v', 'PXAT', String(T0 + 20000)],
    ['SET', 'pxat', 'v', 'PXAT', String(T0 + 2500)],
  ]);
  // A key is expired once the time is past its expiry time (Redis's keyIsExpired: now > when).
  ctx.now = T0 + 1500;
  assert.is(await c.call('GET', 'px'), 'v');
  ctx.now = T0 + 1501;
  assert.is(await c.call('GET', 'px'), null);
  assert.is(await c.call('GET', 'pxat'), 'v');
  ctx.now = T0 + 2501;
  assert.is(await c.call('GET', 'pxat'), null);
  ctx.now = T0 + 10000;
  assert.is(await c.call('GET', 'ex'), 'v');
  ctx.now = T0 + 10001;
  assert.is(await c.call('GET', 'ex'), null);
  assert.is(await c.call('GET', 'exat'), 'v');
  ctx.now = T0 + 20001;
  assert.is(await c.call('GET', 'exat'), null);
});

expiry('KEEPTTL keeps the TTL, a plain SET drops it, an expired key is not revived', async (ctx) => {
  const { c } = ctx;
  await c.call('SET', 'k', 'a', 'EX', '10');
  await c.call('SET', 'k', 'b', 'KEEPTTL');
  assert.is(expireAt(ctx, 'k'), T0 + 10000);
  await c.call('SET', 'k', 'c');
  assert.is(expireAt(ctx, 'k'), 0);
  await c.call('SET', 'k', 'd', 'PX', '100');
  ctx.now = T0 + 101;
  // The old key expired: KEEPTTL on it makes a new key without a TTL.
  assert.is(await c.call('SET', 'k', 'e', 'KEEPTTL'), 'OK');
  assert.is(expireAt(ctx, 'k'), 0);
  assert.is(await c.call('GET', 'k'), 'e');
  // NX sees an expired key as missing.
  await c.call('SET', 'n', 'a', 'PX', '10');
  ctx.now += 11;
  assert.is(await c.call('SET', 'n', 'b', 'NX', 'GET'), null);
  assert.is(await c.call('GET', 'n'), 'b');
});

expiry('SETEX and PSETEX expire and propagate as SET ... PXAT', async (ctx) => {
  const { c } = ctx;
  assert.is(await c.call('SETEX', 's', '5', 'v'), 'OK');
  assert.is(await c.call('PSETEX', 'p', '5', 'v'), 'OK');
  assert.equal(ctx.propagated, [['SET', 's', 'v', 'PXAT', String(T0 + 5000)], ['SET', 'p', 'v', 'PXAT', String(T0 + 5)]]);
  ctx.now = T0 + 6;
  assert.equal(await c.call('MGET', 's', 'p'), ['v', null]);
  ctx.now = T0 + 5001;
  assert.is(await c.call('GET', 's'), null);
});

expiry('GETEX sets, moves and removes TTLs, and deletes on a time already past', async (ctx) => {
  const { c } = ctx;
  await c.call('SET', 'k', 'v');
  ctx.propagated.length = 0;
  assert.is(await c.call('GETEX', 'k'), 'v');
  assert.equal(ctx.propagated, []);
  assert.is(await c.call('GETEX', 'k', 'EX', '3'), 'v');
  assert.is(expireAt(ctx, 'k'), T0 + 3000);
  assert.is(await c.call('GETEX', 'k', 'PX', '4000'), 'v');
  assert.is(await c.call('GETEX', 'k', 'EXAT', String(T0 / 1000 + 7)), 'v');
  assert.is(await c.call('GETEX', 'k', 'PXAT', String(T0 + 8000)), 'v');
  assert.is(expireAt(ctx, 'k'), T0 + 8000);
  assert.is(await c.call('GETEX', 'k', 'PERSIST'), 'v');
  assert.is(expireAt(ctx, 'k'), 0);
  // PERSIST on a key without a TTL changes nothing and propagates nothing.
  assert.is(await c.call('GETEX', 'k', 'PERSIST'), 'v');
  assert.equal(ctx.propagated, [
    ['PEXPIREAT', 'k', String(T0 + 3000)],
    ['PEXPIREAT', 'k', String(T0 + 4000)],
    ['PEXPIREAT', 'k', String(T0 + 7000)],
    ['PEXPIREAT', 'k', String(T0 + 8000)],
    ['PERSIST', 'k'],
  ]);
  await c.call('GETEX', 'k', 'PX', '50');
  ctx.now = T0 + 50;
  assert.is(await c.call('GETEX', 'k'), 'v');
  ctx.now = T0 + 51;
  assert.is(await c.call('GETEX', 'k', 'PERSIST'), null);
  // An absolute time not in the future: the value is returned and the key deleted at once.
  await c.call('SET', 'k', 'w');
  ctx.propagated.length = 0;
  assert.is(await c.call('GETEX', 'k', 'PXAT', String(ctx.now)), 'w');
  assert.is(value(ctx, 'k'), undefined);
  assert.equal(ctx.propagated, [['DEL', 'k']]);
});

expiry('GETDEL propagates DEL; INCR, APPEND and INCRBYFLOAT keep the TTL', async (ctx) => {
  const { c } = ctx;
  await c.call('SET', 'k', 'v');
  ctx.propagated.length = 0;
  assert.is(await c.call('GETDEL', 'k'), 'v');
  assert.equal(ctx.propagated, [['DEL', 'k']]);
  await c.call('SET', 'n', '1', 'EX', '10');
  await c.call('INCR', 'n');
  await c.call('INCRBY', 'n', '9223372036854775800');
  await c.call('INCRBYFLOAT', 'n', '-1.5');
  await c.call('APPEND', 'n', '5');
  await c.call('SETRANGE', 'n', '0', '8');
  assert.is(expireAt(ctx, 'n'), T0 + 10000);
  ctx.now = T0 + 10001;
  // An expired counter starts again from zero, without a TTL.
  assert.is(await c.call('INCR', 'n'), 1);
  assert.is(expireAt(ctx, 'n'), 0);
});

expiry('INCRBYFLOAT propagates the result as SET ... KEEPTTL', async (ctx) => {
  const { c } = ctx;
  for (let i = 0; i < 10; i++) await c.call('INCRBYFLOAT', 'f', '0.1');
  assert.is(await c.call('GET', 'f'), '1');
  assert.equal(ctx.propagated.at(-1), ['SET', 'f', '1', 'KEEPTTL']);
  assert.equal(ctx.propagated[0], ['SET', 'f', '0.1', 'KEEPTTL']);
});

expiry.run();

const repr = setup('string value representations');

repr('whole-value writes store byte strings, in-place edits a MutableString (raw)', async (ctx) => {
  const { c } = ctx;
  await c.call('SET', 's', 'abc');
  assert.is(value(ctx, 's'), 'abc');
  await c.call('APPEND', 'new', '123');
  assert.is(value(ctx, 'new'), '123');
  await c.call('APPEND', 's', '');
  assert.ok(value(ctx, 's') instanceof MutableString);
  await c.call('SETRANGE', 'r', '2', 'x');
  assert.ok(value(ctx, 'r') instanceof MutableString);
  await c.call('SET', 'i', '10');
  await c.call('INCR', 'i');
  assert.is(value(ctx, 'i'), '11');
  await c.call('APPEND', 'i', '0');
  await c.call('INCR', 'i');
  assert.is(value(ctx, 'i'), '111');
  await c.call('SETBIT', 'b', '7', '1');
  assert.ok(value(ctx, 'b') instanceof MutableString);
  await c.call('SET', 'g', '12');
  await c.call('GETBIT', 'g', '0');
  await c.call('BITFIELD', 'g', 'GET', 'u8', '0');
  assert.is(value(ctx, 'g'), '12');
  await c.call('BITFIELD', 'g', 'SET', 'u8', '0', '49');
  assert.ok(value(ctx, 'g') instanceof MutableString);
  await c.call('BITOP', 'NOT', 'dest', 'b');
  assert.ok(value(ctx, 'dest') instanceof MutableString);
  await c.call('SET', 'b', 'plain');
  assert.is(value(ctx, 'b'), 'plain');
});

repr('repeated APPEND and SETBIT grow in place, without a copy per command', async (ctx) => {
  const { c } = ctx;
  const buffers = new Set<Uint8Array>();
  for (let i = 0; i < 2000; i++) {
    await c.call('APPEND', 'a', '0123456789');
    buffers.add((value(ctx, 'a') as MutableString).buf);
  }
  assert.is(await c.call('STRLEN', 'a'), 20000);
  // Greedy doubling: a handful of reallocations for 2000 appends.
  assert.ok(buffers.size < 20, `${buffers.size} buffers`);
  buffers.clear();
  for (let i = 0; i < 4000; i += 3) {
    await c.call('SETBIT', 'bits', String(i), '1');
    buffers.add((value(ctx, 'bits') as MutableString).buf);
  }
  assert.ok(buffers.size < 20, `${buffers.size} buffers`);
  assert.is(await c.call('BITCOUNT', 'bits'), Math.ceil(4000 / 3));
  // Setting a bit inside the string reuses the same buffer.
  const before = (value(ctx, 'bits') as MutableString).buf;
  await c.call('SETBIT', 'bits', '5', '1');
  assert.is((value(ctx, 'bits') as MutableString).buf, before);
});

repr('small INCR values stay exact and big ones use 64-bit arithmetic', async (ctx) => {
  const { c } = ctx;
  await c.call('SET', 'n', '9007199254740991');
  assert.is(await c.call('INCR', 'n'), 9007199254740992n);
  assert.is(await c.call('INCR', 'n'), 9007199254740993n);
  assert.is(await c.call('INCRBY', 'n', '-9007199254740993'), 0);
  assert.is(await c.call('DECRBY', 'n', '9223372036854775807'), -9223372036854775807n);
  assert.equal(await c.call('DECR', 'n'), -9223372036854775808n);
  assert.equal(await c.call('DECR', 'n'), { error: 'ERR increment or decrement would overflow' });
});

repr('a string edited up to proto-max-bulk-len, longer than V8 strings can be, is read back from its bytes', async (ctx) => {
  const { c } = ctx;
  // 512 MB: V8's longest string is 2^29 - 24 characters, 24 short of this.
  const n = 512 * 1024 * 1024;
  assert.is(await c.call('SETRANGE', 'big', String(n - 1), 'x'), n);
  const sock = net.connect(ctx.srv.port, '127.0.0.1');
  await new Promise((r) => sock.once('connect', r));
  const head = `$${n}\r\n`;
  // After the value: its CRLF, GETRANGE's empty reply, then the last 12 bytes.
  const after = '\r\n$0\r\n\r\n$12\r\n' + '\0'.repeat(11) + 'x\r\n';
  const total = head.length + n + after.length;
  let got = 0;
  let first = '';
  let last = '';
  let nonZero = -1;
  const done = new Promise<void>((resolve) => {
    sock.on('data', (chunk: Buffer) => {
      // Every byte of the value before its last is a zero SETRANGE padded with.
      const from = Math.max(0, head.length - got);
      const to = Math.min(chunk.length, head.length + n - 1 - got);
      for (let i = from; i < to && nonZero < 0; i++) if (chunk[i] !== 0) nonZero = got + i;
      if (first.length < head.length) first += chunk.toString('latin1', 0, head.length - first.length);
      got += chunk.length;
      last = (last + chunk.toString('latin1', Math.max(0, chunk.length - 64))).slice(-64);
      // An error instead of the value ends the read at once (the assertions below say which).
      if (got >= total || first[0] === '-') resolve();
    });
  });
  sock.write('*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n*4\r\n$8\r\nGETRANGE\r\n$3\r\nbig\r\n$2\r\n-1\r\n$3\r\n-12\r\n');
  // GETRANGE -1 -12 is empty; -12 -1 is the last 12 bytes.
  sock.write('*4\r\n$8\r\nGETRANGE\r\n$3\r\nbig\r\n$3\r\n-12\r\n$2\r\n-1\r\n');
  await done;
  sock.destroy();
  assert.is(first, head);
  assert.is(nonZero, -1, 'zero padding');
  assert.is(got, total);
  assert.is(last.slice(-(after.length + 1)), 'x' + after);
  assert.is(await c.call('STRLEN', 'big'), n);
  assert.is(await c.call('DEL', 'big'), 1);
});

repr.run();

const lazy = setup('string commands with lazy freeing', {
  'lazyfree-lazy-user-del': 'yes', 'lazyfree-lazy-expire': 'yes',
});

lazy('GETDEL and GETEX on a past time propagate UNLINK when lazy freeing is on', async (ctx) => {
  const { c } = ctx;
  await c.call('MSET', 'a', '1', 'b', '2');
  ctx.propagated.length = 0;
  await c.call('GETDEL', 'a');
  await c.call('GETEX', 'b', 'EXAT', '1');
  assert.equal(ctx.propagated, [['UNLINK', 'a'], ['UNLINK', 'b']]);
});

lazy.run();
