// Pub/sub and keyspace notifications in-process, over real sockets: what the compat suite cannot
// drive deterministically against redis-server. client-output-buffer-limit (the hard limit, the
// soft limit held for its seconds with an injected clock, the normal class, the log line, CLIENT
// LIST omem and INFO client_recent_max_output_buffer), the idle timeout sparing subscribers,
// expired events from the active expiry cycle and evicted events from maxmemory, the notify hook
// staying a no-op while notifications are off, and real clients (ioredis, node-redis in RESP2 and
// RESP3) subscribing and receiving messages and keyspace events.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Buffer } from 'node:buffer';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { createServer } from '../mod.ts';
import { createHost } from '../plugins/host/node.ts';
import type { Server } from '../core/server.ts';
import { RespClient, startEchokv } from './_helpers.ts';
import { encodeCommand } from './_resp.ts';

const T0 = 1_700_000_000_000;

/** echokv in-process with a clock the test moves and every log line kept. */
async function start(config: Record<string, string | string[]> = {}): Promise<{
  server: Server;
  port: number;
  logs: string[];
  clock: { now: number };
  stop(): Promise<void>;
}> {
  const logs: string[] = [];
  const clock = { now: T0 };
  const server = createServer({
    // In memory: a dump.rdb in the working directory must not load into these servers.
    config: { port: 0, bind: '127.0.0.1', persistence: 'none', ...config },
    pluginOptions: { tcp: { anyPort: true } },
    clock: () => clock.now,
    host: { ...createHost([]), stdout: (line: string) => void logs.push(line) },
  });
  await server.start();
  const addr = server.instances.get('tcp')!.addresses!()[0];
  return {
    server, logs, clock, port: Number(addr.slice(addr.lastIndexOf(':') + 1)),
    stop: async () => void await server.shutdown({ save: false, force: true }),
  };
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms = 10000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function field(text: string, name: string): number {
  const m = new RegExp(`(?:^|[ \\r\\n])${name}[=:](\\d+)`).exec(text);
  if (m === null) throw new Error(`No ${name} in ${text}`);
  return Number(m[1]);
}

/** Publishes `msg` until `done()` says so (at most `max` times); returns how many were sent. */
async function floodUntil(pub: RespClient, msg: string, done: () => Promise<boolean>, max = 2000): Promise<number> {
  for (let i = 1; i <= max; i++) {
    await pub.call('PUBLISH', 'flood', msg);
    if (await done()) return i;
  }
  throw new Error(`Still not done after ${max} messages`);
}

/**
 * A server with these client-output-buffer-limit values (and no active expiry, so the injected
 * clock moves only when a test moves it), a publisher, and a subscriber to "flood" that has
 * stopped reading; omem() is the subscriber's CLIENT LIST omem, -1 once it is gone.
 */
async function stalledSubscriber(limit: string[]) {
  const srv = await start({ 'client-output-buffer-limit': limit });
  srv.server.activeExpire = false;
  const pub = await RespClient.connect(srv.port);
  const sub = await RespClient.connect(srv.port);
  await sub.call('SUBSCRIBE', 'flood');
  sub.socket.pause();
  const omem = async (): Promise<number> => {
    const list = String(await pub.call('CLIENT', 'LIST', 'TYPE', 'pubsub'));
    return list === '' ? -1 : field(list, 'omem');
  };
  return { srv, pub, sub, omem };
}

const limits = suite('client-output-buffer-limit');

limits('a subscriber that stops reading is closed at the hard limit, with Redis log line', async () => {
  const srv = await start({ 'client-output-buffer-limit': ['pubsub', '1mb', '0', '0'] });
  const pub = await RespClient.connect(srv.port);
  const sub = await RespClient.connect(srv.port);
  try {
    await sub.call('SUBSCRIBE', 'flood');
    sub.socket.pause();
    const msg = 'x'.repeat(32 * 1024);
    const sent = await floodUntil(pub, msg, async () => (await pub.call('PUBLISH', 'flood', '')) === 0);
    assert.ok(sent > 1, 'several messages went out before the limit');
    assert.is(await pub.call('PUBSUB', 'NUMSUB', 'flood').then((r) => (r as unknown[])[1]), 0);
    const line = srv.logs.find((l) => l.includes('for overcoming of output buffer limits'));
    assert.ok(line !== undefined, 'the disconnection is logged');
    assert.match(line!, /# Client id=\d+ addr=127\.0\.0\.1:\d+ .*flags=P .*sub=1 .*omem=\d+ .* scheduled to be closed ASAP for overcoming of output buffer limits\.\n?$/);
    // What was already queued is delivered, then the connection ends.
    sub.socket.resume();
    assert.ok(await sub.waitClosed(10000), 'the subscriber connection is closed');
    // The server is fine and the other client unaffected.
    assert.is(await pub.call('PING'), 'PONG');
  } finally {
    pub.close();
    sub.close();
    await srv.stop();
  }
});

limits('the soft limit closes a subscriber only once exceeded for longer than its seconds', async () => {
  const { srv, pub, sub, omem } = await stalledSubscriber(['pubsub', '0', '256kb', '10']);
  try {
    const msg = 'y'.repeat(16 * 1024);
    // Fill the kernel's buffers, then the transport's queue beyond the soft limit.
    await floodUntil(pub, msg, async () => (await omem()) >= 300 * 1024);
    // Over the soft limit since now: 10 seconds are allowed, counted in whole seconds.
    srv.clock.now += 5000;
    assert.is(await pub.call('PUBLISH', 'flood', 'a'), 1, 'still subscribed after 5 s');
    srv.clock.now += 5000;
    assert.is(await pub.call('PUBLISH', 'flood', 'b'), 1, 'still subscribed after 10 s');
    srv.clock.now += 1000;
    assert.is(await pub.call('PUBLISH', 'flood', 'c'), 1, 'counted while being closed, as Redis does');
    await waitFor('the subscriber to be closed', async () => (await omem()) === -1);
    assert.is(await pub.call('PUBLISH', 'flood', 'd'), 0);
    assert.ok(srv.logs.some((l) => l.includes('scheduled to be closed ASAP for overcoming of output buffer limits')));
    sub.socket.resume();
    assert.ok(await sub.waitClosed(10000));
  } finally {
    pub.close();
    sub.close();
    await srv.stop();
  }
});

limits('the soft limit runs out with no more traffic: the cron closes the subscriber', async () => {
  const { srv, pub, sub, omem } = await stalledSubscriber(['pubsub', '0', '256kb', '10']);
  try {
    await floodUntil(pub, 'z'.repeat(16 * 1024), async () => (await omem()) >= 300 * 1024);
    // Nothing more is published: only the cron can see the time run out.
    srv.clock.now += 11000;
    await waitFor('the cron to close the subscriber', async () => (await omem()) === -1);
    assert.is(await pub.call('PUBLISH', 'flood', 'late'), 0);
    sub.socket.resume();
    assert.ok(await sub.waitClosed(10000));
  } finally {
    pub.close();
    sub.close();
    await srv.stop();
  }
});

limits('going back under the soft limit restarts its clock', async () => {
  const srv = await start({ 'client-output-buffer-limit': ['pubsub', '0', '128kb', '2'] });
  const pub = await RespClient.connect(srv.port);
  const sub = await RespClient.connect(srv.port);
  try {
    await sub.call('SUBSCRIBE', 'flood');
    sub.socket.pause();
    const list = async (): Promise<string> => String(await pub.call('CLIENT', 'LIST', 'TYPE', 'pubsub'));
    await floodUntil(pub, 'z'.repeat(16 * 1024), async () => field(await list(), 'omem') >= 160 * 1024);
    srv.clock.now += 2000;
    // Drain it: under the limit, the next check forgets when it was first exceeded.
    sub.socket.resume();
    let got = 0;
    await waitFor('the backlog to drain', async () => {
      while (sub.pendingBytes > 0) {
        await sub.readRaw();
        got++;
      }
      return field(await list(), 'omem') === 0;
    });
    assert.ok(got > 0);
    assert.is(await pub.call('PUBLISH', 'flood', 'small'), 1);
    await sub.readRaw();
    sub.socket.pause();
    await floodUntil(pub, 'z'.repeat(16 * 1024), async () => field(await list(), 'omem') >= 160 * 1024);
    srv.clock.now += 2000;
    assert.is(await pub.call('PUBLISH', 'flood', 'x'), 1, 'a new period started: 2 s are still allowed');
    assert.match(await list(), /sub=1/);
  } finally {
    pub.close();
    sub.close();
    await srv.stop();
  }
});

limits('normal clients: limits apply only when configured, to replies of any command', async () => {
  const srv = await start();
  const cl = await RespClient.connect(srv.port);
  try {
    await cl.call('SET', 'big', 'v'.repeat(3 * 1024 * 1024));
    assert.is(((await cl.call('GET', 'big')) as string).length, 3 * 1024 * 1024, 'no limit by default');
    await cl.call('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 2mb 0 0');
    const other = await RespClient.connect(srv.port);
    assert.is(await other.call('STRLEN', 'big'), 3 * 1024 * 1024);
    other.write(encodeCommand(['GET', 'big']));
    assert.ok(await other.waitClosed(), 'closed instead of sent');
    assert.is(other.pendingBytes, 0, 'nothing of the reply was sent');
    assert.ok(srv.logs.some((l) => /flags=N .*cmd=get .*scheduled to be closed ASAP/.test(l)));
    // A pipeline stops at the command that went over: later commands do not run.
    const third = await RespClient.connect(srv.port);
    third.write(new Uint8Array([...encodeCommand(['GET', 'big']), ...encodeCommand(['SET', 'after', '1'])]));
    assert.ok(await third.waitClosed());
    assert.is(await cl.call('EXISTS', 'after'), 0);
    // A subscriber is in the pubsub class, which allows it.
    await cl.call('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 2mb 0 0 pubsub 0 0 0');
    const sub = await RespClient.connect(srv.port);
    await sub.call('SUBSCRIBE', 'ch');
    assert.is(await cl.call('PUBLISH', 'ch', 'w'.repeat(3 * 1024 * 1024)), 1);
    const m = (await sub.read()) as string[];
    assert.is(m[2].length, 3 * 1024 * 1024);
    sub.close();
  } finally {
    cl.close();
    await srv.stop();
  }
});

limits('CLIENT LIST omem and INFO client_recent_max_output_buffer show a slow subscriber', async () => {
  const srv = await start();
  const pub = await RespClient.connect(srv.port);
  const sub = await RespClient.connect(srv.port);
  try {
    await sub.call('SUBSCRIBE', 'flood');
    sub.socket.pause();
    const list = async (): Promise<string> => String(await pub.call('CLIENT', 'LIST', 'TYPE', 'pubsub'));
    await floodUntil(pub, 'q'.repeat(64 * 1024), async () => field(await list(), 'omem') > 512 * 1024);
    const line = await list();
    assert.match(line, /flags=P .*sub=1 psub=0 ssub=0 /);
    assert.match(line, /events=rw/);
    const info = String(await pub.call('INFO', 'clients'));
    assert.ok(field(info, 'client_recent_max_output_buffer') >= field(line, 'omem'));
    sub.socket.resume();
  } finally {
    pub.close();
    sub.close();
    await srv.stop();
  }
});

limits.run();

// ---------------------------------------------------------------------------------------------

const misc = suite('pub/sub clients and keyspace events in-process');

misc('subscribed clients are spared by the idle timeout, and lose that once unsubscribed', async () => {
  const srv = await start({ timeout: '5' });
  const idle = await RespClient.connect(srv.port);
  const sub = await RespClient.connect(srv.port);
  const psub = await RespClient.connect(srv.port);
  const ssub = await RespClient.connect(srv.port);
  try {
    await sub.call('SUBSCRIBE', 'a');
    await psub.call('PSUBSCRIBE', 'a*');
    await ssub.call('SSUBSCRIBE', 'a');
    srv.clock.now += 60_000;
    srv.server.cron();
    assert.ok(await idle.waitClosed(), 'the idle normal client is closed');
    assert.equal(await sub.call('PING'), ['pong', '']);
    assert.equal(await psub.call('PING'), ['pong', '']);
    assert.equal(await ssub.call('PING'), ['pong', '']);
    // Unsubscribed: an ordinary client again, closed once idle.
    await sub.call('UNSUBSCRIBE');
    srv.clock.now += 60_000;
    srv.server.cron();
    assert.ok(await sub.waitClosed(), 'closed once it has no subscription');
    assert.not.ok(psub.closed || ssub.closed);
  } finally {
    for (const c of [idle, sub, psub, ssub]) c.close();
    await srv.stop();
  }
});

misc('the notify hook is a no-op function while notifications select nothing', async () => {
  const srv = await start();
  const cl = await RespClient.connect(srv.port);
  try {
    const ks = srv.server.keyspace;
    const off = ks.hooks.notify;
    assert.is(off.length, 0, 'a function that ignores its arguments');
    assert.is(ks.notifyNew, false);
    assert.is(ks.notifyMiss, false);
    for (const flags of ['A', 'K', 'E', 'KE', 'Kd', '']) {
      await cl.call('CONFIG', 'SET', 'notify-keyspace-events', flags);
      // 'Kd' selects module events only, which echokv never fires: the hook still runs then.
      if (flags !== 'Kd') assert.is(ks.hooks.notify, off, `no-op with ${JSON.stringify(flags)}`);
    }
    await cl.call('CONFIG', 'SET', 'notify-keyspace-events', 'Kg');
    assert.is.not(ks.hooks.notify, off);
    assert.is(ks.notifyNew, false);
    await cl.call('CONFIG', 'SET', 'notify-keyspace-events', 'Enm');
    assert.ok(ks.notifyNew && ks.notifyMiss);
    await cl.call('CONFIG', 'SET', 'notify-keyspace-events', 'Em');
    assert.ok(!ks.notifyNew && ks.notifyMiss);
    await cl.call('CONFIG', 'SET', 'notify-keyspace-events', '');
    assert.is(ks.hooks.notify, off);
    assert.ok(!ks.notifyNew && !ks.notifyMiss);
  } finally {
    cl.close();
    await srv.stop();
  }
});

misc('notify-keyspace-events from the config file applies from the start', async () => {
  const srv = await start({ 'notify-keyspace-events': 'E$' });
  const cl = await RespClient.connect(srv.port);
  const sub = await RespClient.connect(srv.port);
  try {
    await sub.call('PSUBSCRIBE', '*');
    await cl.call('SET', 'k', 'v');
    assert.equal(await sub.read(), ['pmessage', '*', '__keyevent@0__:set', 'k']);
  } finally {
    cl.close();
    sub.close();
    await srv.stop();
  }
});

misc('the active expiry cycle publishes "expired", in the database of the key', async () => {
  const srv = await start({ 'notify-keyspace-events': 'KEx' });
  srv.server.activeExpire = false;
  const cl = await RespClient.connect(srv.port);
  const sub = await RespClient.connect(srv.port);
  try {
    await sub.call('PSUBSCRIBE', '__key*__:*');
    await cl.call('SELECT', '4');
    await cl.call('SET', 'short', 'v', 'PX', '100');
    srv.clock.now += 1000;
    srv.server.activeExpire = true;
    srv.server.cron();
    assert.equal(await sub.read(), ['pmessage', '__key*__:*', '__keyspace@4__:short', 'expired']);
    assert.equal(await sub.read(), ['pmessage', '__key*__:*', '__keyevent@4__:expired', 'short']);
  } finally {
    cl.close();
    sub.close();
    await srv.stop();
  }
});

misc('maxmemory eviction publishes "evicted" for every key it removes', async () => {
  const srv = await start({ 'notify-keyspace-events': 'Ee', 'maxmemory-policy': 'allkeys-random' });
  const cl = await RespClient.connect(srv.port);
  const sub = await RespClient.connect(srv.port);
  try {
    await sub.call('SUBSCRIBE', '__keyevent@0__:evicted');
    const used = field(String(await cl.call('INFO', 'memory')), 'used_memory');
    await cl.call('CONFIG', 'SET', 'maxmemory', String(used + 256 * 1024));
    for (let i = 0; i < 1000; i++) await cl.call('SET', `key:${i}`, 'v'.repeat(1024));
    const evicted = field(String(await cl.call('INFO', 'stats')), 'evicted_keys');
    assert.ok(evicted > 0, 'keys were evicted');
    const keys = new Set<string>();
    for (let i = 0; i < evicted; i++) {
      const m = (await sub.read()) as string[];
      assert.equal(m.slice(0, 2), ['message', '__keyevent@0__:evicted']);
      keys.add(m[2]);
    }
    assert.is(keys.size, evicted, 'one event per evicted key');
    for (const k of keys) assert.is(await cl.call('EXISTS', k), 0);
    await cl.call('CONFIG', 'SET', 'maxmemory', '0');
  } finally {
    cl.close();
    sub.close();
    await srv.stop();
  }
});

misc.run();

// ---------------------------------------------------------------------------------------------

const clients = suite('real clients');

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: ReturnType<typeof setTimeout>;
  return Promise.race([
    p.finally(() => clearTimeout(t)),
    new Promise<T>((_, reject) => {
      t = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
    }),
  ]);
}

clients('ioredis: subscribe, psubscribe, binary messages and keyspace events', async () => {
  const srv = await startEchokv({ 'notify-keyspace-events': 'KEA' });
  const sub = new Redis({ port: srv.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
  const pub = new Redis({ port: srv.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
  try {
    await within(Promise.all([sub.connect(), pub.connect()]), 5000, 'connect');
    const got: string[] = [];
    const all = new Promise<void>((resolve) => {
      const add = (s: string): void => {
        got.push(s);
        if (got.length === 4) resolve();
      };
      sub.on('message', (ch: string, msg: string) => add(`message ${ch} ${msg}`));
      sub.on('pmessage', (p: string, ch: string, msg: string) => add(`pmessage ${p} ${ch} ${msg}`));
      sub.on('messageBuffer', (ch: Buffer, msg: Buffer) => {
        if (ch.toString() === 'bin') add(`bin ${msg.toString('hex')}`);
      });
    });
    assert.is(await sub.subscribe('news', 'bin'), 2);
    assert.is(await sub.psubscribe('__keyevent@0__:*'), 3);
    assert.is(await pub.publish('news', 'hello'), 1);
    assert.is(await pub.publish('bin', Buffer.from([0, 255, 13, 10])), 1);
    await pub.set('k', 'v');
    await within(all, 5000, 'messages');
    // ioredis reports the binary message twice: as text (lossy) and as Buffers (exact).
    assert.is(got.length, 4);
    assert.ok(got.some((g) => g.startsWith('message bin ')));
    assert.ok(got.includes('pmessage __keyevent@0__:* __keyevent@0__:set k'));
    assert.ok(got.includes('message news hello'));
    assert.ok(got.includes('bin 00ff0d0a'));
    assert.equal(await pub.pubsub('NUMSUB', 'news'), ['news', 1]);
    // (ioredis waits forever on a bare UNSUBSCRIBE while patterns remain, with redis-server too.)
    assert.is(await sub.unsubscribe('news', 'bin'), 1);
    assert.is(await sub.punsubscribe('__keyevent@0__:*'), 0);
    assert.equal(await pub.pubsub('NUMSUB', 'news'), ['news', 0]);
  } finally {
    sub.disconnect();
    pub.disconnect();
    await srv.stop();
  }
});

clients('node-redis: RESP2 and RESP3 subscribers, sharded pub/sub', async () => {
  const srv = await startEchokv();
  const url = `redis://127.0.0.1:${srv.port}`;
  const pub = createClient({ url });
  const sub2 = createClient({ url });
  const sub3 = createClient({ url, RESP: 3 });
  try {
    await within(Promise.all([pub.connect(), sub2.connect(), sub3.connect()]), 5000, 'connect');
    const got: string[] = [];
    const wait = (n: number): Promise<void> => waitFor(`${n} messages`, () => got.length >= n, 5000);
    await sub2.subscribe('ch', (msg, ch) => void got.push(`2 ${ch} ${msg}`));
    await sub3.subscribe('ch', (msg, ch) => void got.push(`3 ${ch} ${msg}`));
    await sub3.pSubscribe('c*', (msg, ch) => void got.push(`3p ${ch} ${msg}`));
    await sub2.sSubscribe('shard', (msg, ch) => void got.push(`2s ${ch} ${msg}`));
    assert.is(await pub.publish('ch', 'one'), 3);
    assert.is(await pub.sPublish('shard', 'two'), 1);
    await wait(4);
    assert.equal(got.sort(), ['2 ch one', '2s shard two', '3 ch one', '3p ch one']);
    // A RESP3 subscriber still runs ordinary commands on the same connection.
    assert.is(await sub3.set('k', 'v'), 'OK');
    assert.is(await sub3.get('k'), 'v');
    assert.equal(await pub.pubSubNumSub(['ch']), { ch: 2 });
    assert.is(await pub.pubSubNumPat(), 1);
    await sub2.unsubscribe();
    await sub2.sUnsubscribe();
    await sub3.unsubscribe();
    await sub3.pUnsubscribe();
    assert.is(await pub.publish('ch', 'none'), 0);
  } finally {
    for (const c of [pub, sub2, sub3]) await c.quit().catch(() => {});
    await srv.stop();
  }
});

clients.run();
