// Redis Sentinel monitoring echokv as a standalone master, side by side with Sentinel monitoring
// a real redis-server: two sentinels per master, started from redis-server --sentinel, and
// every check compares what the sentinels report of echokv with what they report of redis-server
// (SENTINEL MASTER fields, discovery of each other through the master's __sentinel__:hello
// channel, the events they publish when the master goes down and comes back, the commands they
// send it), and clients (ioredis) that find the master through them.
//
// echokv has no replication yet, so a failover cannot succeed; what must match is that it is
// attempted and aborted for want of a replica, as it is for a redis-server without replicas.
import * as assert from 'uvu/assert';
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { type CompatContext, compatSuite } from './_compat.ts';
import { freePort, type Proc, RespClient, sleep, startEchokv, startProcess, tempDir } from '../_helpers.ts';

const NAME = 'mymaster';

interface Sentinel {
  port: number;
  /** Channel and message of everything the sentinel published (PSUBSCRIBE *), in order. */
  events: string[][];
  stop(): Promise<void>;
}

/** One sentinel watching 127.0.0.1:`masterPort` with quorum 2 and second-scale timings. */
async function startSentinel(masterPort: number): Promise<Sentinel> {
  const dir = tempDir('echokv-sentinel-');
  const port = await freePort();
  const conf = join(dir, 'sentinel.conf');
  // Sentinel rewrites its config file, so each needs one of its own.
  writeFileSync(conf, [
    `port ${port}`, 'bind 127.0.0.1', `dir ${dir}`,
    `sentinel monitor ${NAME} 127.0.0.1 ${masterPort} 2`,
    `sentinel down-after-milliseconds ${NAME} 1000`,
    `sentinel failover-timeout ${NAME} 1000`,
  ].join('\n') + '\n');
  const child: ChildProcess = spawn('redis-server', [conf, '--sentinel'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  // Sentinel never says "Ready to accept connections"; it listens once it logs +monitor.
  const deadline = Date.now() + 10000;
  while (!out.includes('+monitor')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server --sentinel did not start:\n${out}`);
    }
    await sleep(20);
  }
  const sub = await RespClient.connect(port);
  await sub.call('PSUBSCRIBE', '*');
  const events: string[][] = [];
  void (async () => {
    for (;;) {
      try {
        const m = (await sub.read(3_600_000)) as string[];
        events.push([m[2], m[3]]);
      } catch {
        return;
      }
    }
  })();
  return {
    port,
    events,
    stop: async () => {
      sub.close();
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One command on a connection of its own (the masters may run with `timeout 1`). */
async function ask(port: number, ...args: string[]): Promise<unknown> {
  const c = await RespClient.connect(port);
  try {
    return await c.call(...args);
  } finally {
    c.close();
  }
}

async function masterView(s: Sentinel): Promise<Record<string, string>> {
  const flat = (await ask(s.port, 'SENTINEL', 'MASTER', NAME)) as string[];
  const o: Record<string, string> = {};
  for (let i = 0; i < flat.length; i += 2) o[flat[i]] = flat[i + 1];
  return o;
}

async function waitFor(what: string, check: () => Promise<boolean>, ms = 15000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Both sentinels see their master up, as master, and each other. */
async function healthy(pair: Sentinel[]): Promise<boolean> {
  for (const s of pair) {
    const m = await masterView(s);
    if (m.flags !== 'master' || m['role-reported'] !== 'master' || m['num-other-sentinels'] !== '1' || !m.runid) return false;
  }
  return true;
}

/** The fields of SENTINEL MASTER that do not depend on timing or on the master's address. */
const STABLE = [
  'name', 'ip', 'flags', 'link-pending-commands', 'role-reported', 'config-epoch', 'num-slaves',
  'num-other-sentinels', 'quorum', 'down-after-milliseconds', 'failover-timeout', 'parallel-syncs',
];

/** Sentinel's view of echokv against its view of redis-server: the stable fields alike, the
 * run id the master's own, and a recent PING answered. */
async function sameView(redis: Sentinel, echo: Sentinel, runIds: [string, string]): Promise<void> {
  let [r, e] = [await masterView(redis), await masterView(echo)];
  // link-pending-commands counts commands whose reply has not come yet: one sent at the moment
  // of the question is in flight (seen under a loaded machine). A lost reply would keep it up.
  for (let i = 0; i < 50 && (r['link-pending-commands'] !== '0' || e['link-pending-commands'] !== '0'); i++) {
    await sleep(100);
    [r, e] = [await masterView(redis), await masterView(echo)];
  }
  for (const f of STABLE) assert.is(e[f], r[f], `SENTINEL MASTER ${f}`);
  assert.is(r.runid, runIds[0], 'redis-server run id');
  assert.is(e.runid, runIds[1], 'echokv run id');
  for (const m of [r, e]) {
    // Sentinel PINGs once a second: an answer older than two periods would mean a lost one.
    assert.ok(Number(m['last-ok-ping-reply']) < 2000, `last-ok-ping-reply ${m['last-ok-ping-reply']}`);
  }
}

async function runIds(ctx: CompatContext, auth: string[] = []): Promise<[string, string]> {
  const id = async (port: number): Promise<string> => {
    const c = await RespClient.connect(port);
    try {
      if (auth.length > 0) await c.call('AUTH', ...auth);
      const info = (await c.call(auth.length > 0 ? 'myinfo' : 'INFO', 'server')) as string;
      return /run_id:(\w+)/.exec(info)![1];
    } finally {
      c.close();
    }
  };
  return [await id(ctx.redisPort), await id(ctx.echoPort)];
}

/** A client's CLIENT LIST fields by name. */
function clientFields(list: string): Record<string, string>[] {
  return list.trim().split('\n').map((line) => Object.fromEntries(line.split(' ').map((kv) => {
    const i = kv.indexOf('=');
    return [kv.slice(0, i), kv.slice(i + 1)];
  })));
}

const test = compatSuite('sentinel');
const pairs = { redis: [] as Sentinel[], echo: [] as Sentinel[] };
const monitors = { redis: null as RespClient | null, echo: null as RespClient | null };
const sent = { redis: new Set<string>(), echo: new Set<string>() };

test.before(async (ctx) => {
  if (!ctx.c) return;
  // What the sentinels send each master, from their first connection on.
  for (const side of ['redis', 'echo'] as const) {
    const m = await RespClient.connect(side === 'redis' ? ctx.redisPort : ctx.echoPort);
    await m.call('MONITOR');
    monitors[side] = m;
    void (async () => {
      for (;;) {
        try {
          const line = (await m.read(3_600_000)) as string;
          const cmd = /"([^"]*)"/.exec(line);
          if (cmd !== null) sent[side].add(cmd[1].toUpperCase());
        } catch {
          return;
        }
      }
    })();
  }
  const started = await Promise.all([ctx.redisPort, ctx.redisPort, ctx.echoPort, ctx.echoPort].map(startSentinel));
  pairs.redis = started.slice(0, 2);
  pairs.echo = started.slice(2);
});

test.after(async () => {
  for (const m of [monitors.redis, monitors.echo]) m?.close();
  await Promise.all([...pairs.redis, ...pairs.echo].map((s) => s.stop()));
});

test('sentinels find echokv healthy and find each other through it, as with redis-server', async (ctx) => {
  await waitFor('the sentinels to see their masters and each other', async () =>
    (await healthy(pairs.redis)) && (await healthy(pairs.echo)));
  const [r, e] = [pairs.redis[0], pairs.echo[0]];
  await sameView(r, e, await runIds(ctx));
  for (const args of [
    ['SENTINEL', 'REPLICAS', NAME], ['SENTINEL', 'CKQUORUM', NAME], ['SENTINEL', 'FAILOVER', NAME],
  ]) {
    assert.equal(await ask(e.port, ...args), await ask(r.port, ...args), args.join(' '));
  }
  assert.equal(await ask(r.port, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', NAME), ['127.0.0.1', String(ctx.redisPort)]);
  assert.equal(await ask(e.port, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', NAME), ['127.0.0.1', String(ctx.echoPort)]);
  assert.equal(
    await ask(e.port, 'SENTINEL', 'IS-MASTER-DOWN-BY-ADDR', '127.0.0.1', String(ctx.echoPort), '0', '*'),
    await ask(r.port, 'SENTINEL', 'IS-MASTER-DOWN-BY-ADDR', '127.0.0.1', String(ctx.redisPort), '0', '*'),
  );
  assert.is(((await ask(e.port, 'SENTINEL', 'SENTINELS', NAME)) as unknown[]).length, 1);
  const line = async (s: Sentinel, port: number): Promise<string> =>
    /master0:.*/.exec((await ask(s.port, 'INFO', 'sentinel')) as string)![0].replace(String(port), 'PORT');
  assert.is(await line(e, ctx.echoPort), await line(r, ctx.redisPort));
  // The same commands reached both masters (CLIENT SETNAME, SUBSCRIBE, INFO, PING, PUBLISH).
  assert.equal([...sent.echo].sort(), [...sent.redis].sort());
  // A client that asks the sentinels for the master reaches echokv.
  for (const s of [r, e]) {
    const io = new Redis({ sentinels: [{ host: '127.0.0.1', port: s.port }], name: NAME, lazyConnect: true });
    try {
      await io.connect();
      await io.set('via-sentinel', String(s.port));
    } finally {
      io.disconnect();
    }
  }
  assert.is(await ctx.c.redis.call('GET', 'via-sentinel'), String(r.port));
  assert.is(await ctx.c.echo.call('GET', 'via-sentinel'), String(e.port));
});

test('a subscriber receiving messages is not idle: CLIENT LIST of the sentinels\' links', async ({ c }) => {
  // Redis counts every write to a client as an interaction: a subscriber that receives hellos
  // every two seconds never shows a large idle, whatever its age.
  const links = async (cl: RespClient): Promise<Record<string, string>[]> =>
    clientFields((await cl.call('CLIENT', 'LIST')) as string).filter((f) => f.name.startsWith('sentinel-'));
  await waitFor('the sentinels\' links to be 4 s old', async () =>
    (await links(c.echo)).every((f) => Number(f.age) >= 4) && (await links(c.redis)).every((f) => Number(f.age) >= 4));
  const [r, e] = [await links(c.redis), await links(c.echo)];
  const shape = (fs: Record<string, string>[]): string[] =>
    fs.map((f) => `${f.name.replace(/-[0-9a-f]{8}-/, '-ID-')} flags=${f.flags} sub=${f.sub} psub=${f.psub}`).sort();
  assert.equal(shape(e), shape(r));
  const maxIdle = (fs: Record<string, string>[]): number => Math.max(...fs.map((f) => Number(f.idle)));
  assert.ok(maxIdle(e) <= maxIdle(r) + 1, `echokv: ${e.map((f) => `${f.name} age=${f.age} idle=${f.idle}`).join(', ')}`);
});

test('timeout 1 counts whole seconds: a client talking once a second stays (Sentinel\'s link)', async (ctx) => {
  const setnames = async (port: number): Promise<number> =>
    Number(/cmdstat_client\|setname:calls=(\d+)/.exec((await ask(port, 'INFO', 'commandstats')) as string)?.[1] ?? 0);
  const before = [await setnames(ctx.redisPort), await setnames(ctx.echoPort)];
  for (const port of [ctx.redisPort, ctx.echoPort]) await ask(port, 'CONFIG', 'SET', 'timeout', '1');
  try {
    // A client stamped at x.3 s is 1.4 s idle at (x+1).7 s: one whole second by the clock, so it
    // stays; at (x+2).7 s it is two, and goes.
    await sleep((1300 - (Date.now() % 1000)) % 1000);
    const clients = [await RespClient.connect(ctx.redisPort), await RespClient.connect(ctx.echoPort)];
    await Promise.all(clients.map((cl) => cl.call('PING')));
    const alive: boolean[][] = [[], []];
    for (const wait of [1400, 1000]) {
      await sleep(wait);
      clients.forEach((cl, i) => alive[i].push(!cl.closed));
    }
    for (const cl of clients) cl.close();
    assert.equal(alive[1], alive[0], 'echokv keeps and closes the client when redis-server does');
    // Meanwhile the sentinels, which PING about once a second, kept their command links.
    const after = [await setnames(ctx.redisPort), await setnames(ctx.echoPort)];
    assert.ok(after[1] - before[1] <= after[0] - before[0] + 1,
      `sentinels reconnected: ${after[0] - before[0]} times to redis-server, ${after[1] - before[1]} to echokv`);
  } finally {
    for (const port of [ctx.redisPort, ctx.echoPort]) await ask(port, 'CONFIG', 'SET', 'timeout', '0');
    // The suite's own connections idled out meanwhile.
    ctx.c = await ctx.connect();
  }
});

test('SENTINEL RESET: the sentinels forget and rediscover each other through echokv', async (ctx) => {
  assert.equal(await ask(pairs.echo[0].port, 'SENTINEL', 'RESET', NAME), await ask(pairs.redis[0].port, 'SENTINEL', 'RESET', NAME));
  await waitFor('the sentinels to find each other again', async () =>
    (await healthy(pairs.redis)) && (await healthy(pairs.echo)));
  await sameView(pairs.redis[0], pairs.echo[0], await runIds(ctx));
});

// Last: the masters are restarted with a password and renamed commands.
const RENAMES = [['PING', 'myping'], ['INFO', 'myinfo'], ['CLIENT', 'myclient'], ['PUBLISH', 'mypub'], ['CONFIG', 'myconfig']];
const OUTCOMES = [
  '+sdown', '+odown', '+try-failover', '+elected-leader', '+failover-state-select-slave',
  '-failover-abort-no-good-slave', '-sdown', '-odown', '+reboot',
];

test('echokv down and back (with requirepass, auth-pass and renamed commands): the same events', async (ctx) => {
  const all = [...pairs.redis, ...pairs.echo];
  for (const s of all) s.events.length = 0;
  const seen = (pair: Sentinel[], ev: string): boolean => pair.some((s) => s.events.some(([ch]) => ch === ev));
  const seenByAll = (pair: Sentinel[], ev: string): boolean => pair.every((s) => s.events.some(([ch]) => ch === ev));
  // Down: redis-server killed, echokv shut down.
  const child = ctx.redisProc.child;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await gone;
  await ctx.echokv.stop();
  for (const s of all) {
    assert.is(await ask(s.port, 'SENTINEL', 'SET', NAME, 'auth-pass', 'secret'), 'OK');
    for (const [cmd, name] of RENAMES) await ask(s.port, 'SENTINEL', 'SET', NAME, 'rename-command', cmd, name);
    // INFO once a second rather than every ten: the restart (+reboot) is noticed at once.
    await ask(s.port, 'SENTINEL', 'DEBUG', 'INFO-PERIOD', '1000');
  }
  await waitFor('a failover attempt to be aborted for want of a replica', async () =>
    seen(pairs.redis, '-failover-abort-no-good-slave') && seen(pairs.echo, '-failover-abort-no-good-slave'), 20000);
  // Back on the same ports, now with a password and the commands Sentinel uses renamed.
  const extra = ['--requirepass', 'secret', ...RENAMES.flatMap(([cmd, name]) => ['--rename-command', cmd, name])];
  const dir = (ctx.redisProc as Proc & { dir: string }).dir;
  const redis = await startProcess('redis-server', [join(dir, 'redis.conf'), ...extra], { cwd: dir, port: ctx.redisPort });
  ctx.redisProc = { ...redis, dir, stop: async (sig) => {
    const code = await redis.stop(sig);
    rmSync(dir, { recursive: true, force: true });
    return code;
  } };
  ctx.echokv = await startEchokv({ port: ctx.echoPort, requirepass: 'secret' }, { lines: RENAMES.map(([cmd, name]) => ['rename-command', cmd, name]) });
  // Each sentinel sees the master back; only one of them had reached odown with the other's vote.
  await waitFor('the sentinels to see the masters back', async () =>
    ['-sdown', '+reboot'].every((ev) => seenByAll(pairs.redis, ev) && seenByAll(pairs.echo, ev)) &&
    seen(pairs.redis, '-odown') && seen(pairs.echo, '-odown') && (await healthy(pairs.redis)) && (await healthy(pairs.echo)));
  const outcomes = (pair: Sentinel[]): string[] => OUTCOMES.filter((ev) => seen(pair, ev));
  assert.equal(outcomes(pairs.echo), outcomes(pairs.redis));
  await sameView(pairs.redis[0], pairs.echo[0], await runIds(ctx, ['secret']));
  // Clients find the restarted master through the sentinels and authenticate.
  for (const [s, cl] of [[pairs.redis[0], 'redis'], [pairs.echo[0], 'echo']] as const) {
    const io = new Redis({
      sentinels: [{ host: '127.0.0.1', port: s.port }], name: NAME, password: 'secret', lazyConnect: true,
      enableReadyCheck: false,
    });
    try {
      await io.connect();
      assert.is(await io.set('back', cl), 'OK');
      assert.is(await io.get('back'), cl);
      assert.is(await io.call('myping'), 'PONG');
    } finally {
      io.disconnect();
    }
  }
});

test.run();
