// Differential testing: the same commands go to a real redis-server and to echokv, and the replies
// are compared: exactly (byte for byte, the default), as unordered collections (SMEMBERS, KEYS,
// a full SCAN), or by error code only where the texts may legitimately differ.
//
// Usage in a test/compat/*.test.ts file:
//   const test = compatSuite('strings');
//   test('SET with EX', async ({ c }) => { await c.same('SET', 'k', 'v', 'EX', '10'); });
//   test.run();
// Without redis-server the suite reports itself skipped; with CI=true that is a failure.

import { suite, type uvu } from 'uvu';
import * as assert from 'uvu/assert';
import { type Raw, RespClient, type Proc, startEchokv, startRedis, type Running, tempDir } from '../_helpers.ts';
import { plain, type Reply } from '../_resp.ts';
import { infoField } from '../aof_helpers.ts';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

type Arg = string | number | Uint8Array;

/** Shows bytes readably in assertion messages. */
export function show(bytes: string): string {
  return JSON.stringify(bytes).slice(1, -1);
}

function sortKey(r: Reply): string {
  return JSON.stringify(plain(r), (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

export class Compat {
  readonly redis: RespClient;
  readonly echo: RespClient;

  constructor(redis: RespClient, echo: RespClient) {
    this.redis = redis;
    this.echo = echo;
  }

  /** Sends `args` to both servers and returns both raw replies. */
  async both(...args: Arg[]): Promise<[Raw, Raw]> {
    return Promise.all([this.redis.callRaw(...args), this.echo.callRaw(...args)]);
  }

  /** Asserts both servers reply with the same bytes; returns the decoded reply. */
  async same(...args: Arg[]): Promise<unknown> {
    const [r, e] = await this.both(...args);
    assert.is(show(e.bytes), show(r.bytes), `reply to ${fmt(args)}`);
    return plain(r.reply);
  }

  /**
   * Asserts both reply with the same elements in any order (a flat array, set or map); nested
   * items are compared exactly. Returns redis-server's decoded reply.
   */
  async sameUnordered(...args: Arg[]): Promise<unknown> {
    const [r, e] = await this.both(...args);
    assert.is(e.reply.type, r.reply.type, `reply type to ${fmt(args)}`);
    const items = (x: Reply): string[] => {
      if (x.type === 'array' || x.type === 'set' || x.type === 'push') return (x.value ?? []).map(sortKey).sort();
      if (x.type === 'map') return x.value.map(([k, v]) => sortKey(k) + '=>' + sortKey(v)).sort();
      return [sortKey(x)];
    };
    assert.equal(items(e.reply), items(r.reply), `elements of the reply to ${fmt(args)}`);
    return plain(r.reply);
  }

  /** Asserts both reply with an error with the same code (first word); texts may differ. */
  async sameErrorCode(...args: Arg[]): Promise<string> {
    const [r, e] = await this.both(...args);
    assert.is(r.reply.type, 'error', `redis-server should fail ${fmt(args)}`);
    assert.is(e.reply.type, 'error', `echokv should fail ${fmt(args)}: got ${show(e.bytes)}`);
    const code = (x: Raw): string => (x.reply as { value: string }).value.split(' ')[0];
    assert.is(code(e), code(r), `error code of ${fmt(args)}`);
    return (r.reply as { value: string }).value;
  }

  /** Runs a list of commands with `same`. */
  async all(commands: Arg[][]): Promise<void> {
    for (const cmd of commands) await this.same(...cmd);
  }

  /**
   * Compares the whole dataset of the selected database: the same keys, and for each its TYPE,
   * whether it has a TTL, its content (GET, LRANGE, HGETALL, SMEMBERS, ZRANGE WITHSCORES, XRANGE)
   * and, for the aggregate types, its OBJECT ENCODING; then DEBUG DIGEST-VALUE of each.
   */
  async sameDataset(): Promise<void> {
    const keys = (await this.sameUnordered('KEYS', '*')) as string[];
    for (const key of keys.sort()) {
      const type = await this.same('TYPE', key);
      if (type === 'string') await this.same('GET', key);
      else if (type === 'list') await this.same('LRANGE', key, '0', '-1');
      else if (type === 'hash') await this.sameUnordered('HGETALL', key);
      else if (type === 'set') await this.sameUnordered('SMEMBERS', key);
      else if (type === 'zset') await this.same('ZRANGE', key, '0', '-1', 'WITHSCORES');
      else if (type === 'stream') {
        await this.same('XRANGE', key, '-', '+');
        await this.same('XLEN', key);
      }
      if (type !== 'string' && type !== 'none') await this.same('OBJECT', 'ENCODING', key);
      const [r, e] = await this.both('PTTL', key);
      const ttl = (x: Raw): string => (plain(x.reply) as number) >= 0 ? 'ttl' : String(plain(x.reply));
      assert.is(ttl(e), ttl(r), `TTL of ${show(key)}`);
      // Redis's SHA-1 signature of the value: type, contents in their order, TTL or not.
      await this.same('DEBUG', 'DIGEST-VALUE', key);
    }
  }

  /** Sends raw bytes to both and compares everything each answers within `waitMs`. */
  async sameRaw(bytes: string, waitMs = 200): Promise<string> {
    const collect = async (c: RespClient): Promise<string> => {
      c.write(bytes);
      let out = '';
      const deadline = Date.now() + waitMs;
      while (Date.now() < deadline) {
        try {
          const r = await c.readRaw(Math.max(1, deadline - Date.now()));
          out += r.bytes;
        } catch {
          break;
        }
      }
      return out;
    };
    const [r, e] = await Promise.all([collect(this.redis), collect(this.echo)]);
    assert.is(show(e), show(r), `replies to raw input ${show(bytes)}`);
    return r;
  }

  async reset(): Promise<void> {
    for (const c of [this.redis, this.echo]) {
      await c.call('SELECT', '0');
      await c.call('FLUSHALL');
    }
  }
}

function fmt(args: Arg[]): string {
  return args.map((a) => (a instanceof Uint8Array ? `<${a.length} bytes>` : show(String(a)))).join(' ');
}

export interface CompatContext {
  c: Compat;
  redisPort: number;
  echoPort: number;
  /** Opens one more connection to each server (for multi-client tests). */
  connect(): Promise<Compat>;
  echokv: Running;
  redisProc: Proc;
}

/**
 * A uvu suite whose tests get `c`, a Compat over fresh servers; the dataset is flushed between
 * tests. `config` holds extra directives given to both servers, `opts.lines` directives that
 * repeat (rename-command). With `rdb`, echokv runs the rdb
 * persistence plugin (no save points) in a temp dir of its own, as redis-server always can
 * (DEBUG RELOAD).
 */
export function compatSuite(
  name: string,
  config: Record<string, string> = {},
  opts: { rdb?: boolean; lines?: readonly (readonly string[])[] } = {},
): uvu.Test<CompatContext> {
  const s = suite<CompatContext>(`compat: ${name}`, {} as CompatContext);
  const extra: string[] = [];
  for (const [k, v] of Object.entries(config)) extra.push(`--${k}`, v);
  for (const [k, ...args] of opts.lines ?? []) extra.push(`--${k}`, ...args);
  const opened: RespClient[] = [];
  let skipped = false;
  let rdbDir: string | null = null;
  s.before(async (ctx) => {
    const redis = await startRedis(extra);
    if (redis === null) {
      skipped = true;
      return;
    }
    ctx.redisProc = redis;
    if (opts.rdb) rdbDir = tempDir('echokv-compat-rdb-');
    ctx.echokv = await startEchokv(rdbDir === null ? config : { ...config, persistence: 'rdb', dir: rdbDir, save: '' }, {
      lines: opts.lines,
    });
    ctx.redisPort = redis.port;
    ctx.echoPort = ctx.echokv.port;
    ctx.connect = async () => {
      const r = await RespClient.connect(ctx.redisPort);
      const e = await RespClient.connect(ctx.echoPort);
      opened.push(r, e);
      return new Compat(r, e);
    };
    ctx.c = await ctx.connect();
  });
  s.before.each(async (ctx) => {
    if (!skipped) await ctx.c.reset();
  });
  s.after(async (ctx) => {
    for (const c of opened) c.close();
    if (ctx.echokv) await ctx.echokv.stop();
    if (ctx.redisProc) await ctx.redisProc.stop();
    if (rdbDir !== null) rmSync(rdbDir, { recursive: true, force: true });
  });
  // Without redis-server every test becomes a no-op, and the file says so once (startRedis).
  const wrapped = ((title: string, fn: (ctx: CompatContext) => Promise<void>) => {
    s(title, async (ctx) => {
      if (skipped) return;
      await fn(ctx);
    });
  }) as unknown as uvu.Test<CompatContext>;
  Object.assign(wrapped, { run: () => s.run(), before: s.before, after: s.after, only: s.only, skip: s.skip });
  return wrapped;
}

/** Asserts an INFO field is the same on both servers; returns it. */
export async function sameInfoField(c: Compat, field: string): Promise<string> {
  const [r, e] = await Promise.all([infoField(c.redis, field, 'all'), infoField(c.echo, field, 'all')]);
  assert.ok(r !== undefined && e !== undefined, `INFO ${field}`);
  assert.is(e, r, `INFO ${field}`);
  return r!;
}

/**
 * After each test of `s`: closes every connection the test opened with ctx.connect, then runs
 * `reset` (what the suite's tests change on both servers), so a failed test leaves nothing
 * subscribed or configured for the next one.
 */
export function closeOpenedAfterEach(s: uvu.Test<CompatContext>, reset?: (ctx: CompatContext) => Promise<void>): void {
  const opened: Compat[] = [];
  s.before((ctx) => {
    if (!ctx.connect) return;
    const connect = ctx.connect;
    ctx.connect = async () => {
      const c = await connect();
      opened.push(c);
      return c;
    };
  });
  s.after.each(async (ctx) => {
    if (!ctx.c) return;
    for (const c of opened.splice(0)) {
      c.redis.close();
      c.echo.close();
    }
    await reset?.(ctx);
  });
}

/**
 * The commands in a real redis-server's incremental AOF (appendonlydir/*.incr.aof in `dir`),
 * SELECTs left out unless `keepSelect`: what propagation tests compare echokv's hook with.
 */
export function readRedisAof(dir: string, keepSelect = false): string[][] {
  const sub = join(dir, 'appendonlydir');
  const file = readdirSync(sub).find((f) => f.endsWith('.incr.aof'));
  const text = readFileSync(join(sub, file!), 'latin1');
  const out: string[][] = [];
  let p = 0;
  while (p < text.length) {
    const n = Number(text.slice(p + 1, text.indexOf('\r\n', p)));
    p = text.indexOf('\r\n', p) + 2;
    const argv: string[] = [];
    for (let i = 0; i < n; i++) {
      const len = Number(text.slice(p + 1, text.indexOf('\r\n', p)));
      p = text.indexOf('\r\n', p) + 2;
      argv.push(text.slice(p, p + len));
      p += len + 2;
    }
    out.push(argv);
  }
  return keepSelect ? out : out.filter((a) => a[0].toUpperCase() !== 'SELECT');
}

/**
 * Runs `script` in a fresh redis-server and echokv once per notification class (`E<class>`),
 * and asserts that echokv's notify hook saw, for each class, exactly the events redis-server
 * published on `__keyevent@0__:*`, in order. Does nothing when redis-server is missing (startRedis
 * reports it; under CI that is a failure).
 */
export async function sameKeyspaceEvents(script: readonly Arg[][], classes: readonly string[]): Promise<void> {
  const redis = await startRedis();
  if (redis === null) return;
  const echokv = await startEchokv();
  const r = await RespClient.connect(redis.port);
  const sub = await RespClient.connect(redis.port);
  const e = await RespClient.connect(echokv.port);
  const hooks = echokv.server.keyspace.hooks;
  const original = hooks.notify;
  try {
    for (const cls of classes) {
      await r.call('FLUSHALL');
      for (const db of echokv.server.keyspace.dbs) db.flush();
      await r.call('CONFIG', 'SET', 'notify-keyspace-events', 'E' + cls);
      await sub.call('PSUBSCRIBE', '__keyevent@0__:*');
      const mine: string[] = [];
      hooks.notify = (c, event, key) => {
        if (c === cls) mine.push(event + ' ' + key);
      };
      for (const cmd of script) {
        await r.call(...cmd);
        await e.call(...cmd);
      }
      hooks.notify = original;
      // A message of our own marks the end of the events (the pattern matches its channel too).
      await r.call('PUBLISH', '__keyevent@0__:marker', 'end');
      const theirs: string[] = [];
      for (;;) {
        const msg = (await sub.read()) as string[];
        if (msg[2] === '__keyevent@0__:marker') break;
        theirs.push(msg[2].slice(msg[2].indexOf(':') + 1) + ' ' + msg[3]);
      }
      assert.equal(mine, theirs, `events of class ${cls}: ${show(mine.join(','))}`);
      await sub.call('PUNSUBSCRIBE');
    }
  } finally {
    hooks.notify = original;
    r.close();
    sub.close();
    e.close();
    await echokv.stop();
    await redis.stop();
  }
}

/**
 * What `script` propagates: sent to a redis-server with `appendonly yes` (its incremental AOF,
 * SELECTs left out) and to echokv (its propagate hook), command by command. Null when
 * redis-server is missing.
 */
export async function propagationOf(script: readonly Arg[][]): Promise<{ echokv: string[][]; redis: string[][] } | null> {
  const redis = await startRedis(['--appendonly', 'yes', '--appendfsync', 'always']);
  if (redis === null) return null;
  const echokv = await startEchokv();
  const seen: string[][] = [];
  echokv.server.on('propagate', (_db, argv) => seen.push([...argv]));
  const r = await RespClient.connect(redis.port);
  const e = await RespClient.connect(echokv.port);
  try {
    for (const cmd of script) {
      await r.call(...cmd);
      await e.call(...cmd);
    }
    return { echokv: seen, redis: readRedisAof(redis.dir) };
  } finally {
    r.close();
    e.close();
    await echokv.stop();
    await redis.stop();
  }
}

/** Sets both servers' sorted-set listpack limits back to Redis's defaults (a before.each of the
 * sorted set tests, which change them). */
export async function resetZsetLimits(ctx: CompatContext): Promise<void> {
  if (!ctx.c) return;
  for (const cl of [ctx.c.redis, ctx.c.echo]) {
    await cl.call('CONFIG', 'SET', 'zset-max-listpack-entries', '128');
    await cl.call('CONFIG', 'SET', 'zset-max-listpack-value', '64');
  }
}
