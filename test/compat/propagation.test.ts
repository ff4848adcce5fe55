// What each write command propagates, against a real redis-server: both servers run with
// appendonly yes (appendfsync always, so a command's AOF entries are in the file once it has
// replied), the same commands go to both one at a time, and after each the entries it appended
// to the incremental AOF are compared command by command. That is the shape AOF loading and
// (later) replication see: SPOP with a count becomes SREMs or a DEL, blocking pops their plain
// forms, relative TTLs absolute ones, INCRBYFLOAT a SET KEEPTTL, several changes of one command
// are wrapped in MULTI/EXEC, an EXEC propagates only the commands that changed data, and an
// expiry met during a command goes out as a DEL before it.
//
// Absolute times (SET ... PXAT, PEXPIREAT, RESTORE ... ABSTTL) depend on the moment each server
// ran the command: a step that makes one names the TTL it asked for, and each server's time must
// then lie within [sent + ttl, replied + ttl]. Random choices (SPOP) are checked against each
// server's own reply.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { redisOrSkip, type Proc, RespClient, sleep, startProcess, tempDir } from '../_helpers.ts';
import { type AofServer, startAof, stopAll } from '../aof_helpers.ts';
import { encodeCommand, plain } from '../_resp.ts';
import { show } from './_compat.ts';

type Arg = string | number;

interface Step {
  cmd: Arg[];
  /** The relative TTL in ms the command asks for: absolute times in what it propagates must be
   * its send time plus this, within the time it took to reply. */
  ttl?: number;
  /** The command pops random members (SPOP): members in what it propagates must be those it
   * replied with, and are compared as `<popped>`. */
  popped?: boolean;
  /** The reply is a collection in random order (SPOP of a whole set): compared sorted. */
  unordered?: boolean;
  /** Sent on the second connection without waiting for its reply (a blocking command). */
  async?: boolean;
}

const test = suite('compat: propagation');
const dirs: string[] = [];
let skipped = false;
let redis: Proc;
let echo: AofServer;
let rc: RespClient;
let ec: RespClient;
let rc2: RespClient;
let ec2: RespClient;
let redisAof = '';
let echoAof = '';
let redisOff = 0;
let echoOff = 0;

function aofFile(dir: string): string {
  const sub = join(dir, 'appendonlydir');
  const f = readdirSync(sub).filter((n) => n.endsWith('.incr.aof')).sort();
  return join(sub, f[f.length - 1]);
}

test.before(async () => {
  if (!redisOrSkip()) {
    skipped = true;
    return;
  }
  const rdir = tempDir('echokv-prop-redis-');
  const edir = tempDir('echokv-prop-echo-');
  dirs.push(rdir, edir);
  writeFileSync(join(rdir, 'redis.conf'),
    `dir ${rdir}\nsave ""\nappendonly yes\nappendfsync always\nbind 127.0.0.1\nenable-debug-command yes\n`);
  redis = await startProcess('redis-server', [join(rdir, 'redis.conf')], { cwd: rdir });
  echo = await startAof(edir, { appendfsync: 'always' });
  rc = await RespClient.connect(redis.port);
  ec = await RespClient.connect(echo.port);
  rc2 = await RespClient.connect(redis.port);
  ec2 = await RespClient.connect(echo.port);
  redisAof = aofFile(rdir);
  echoAof = aofFile(edir);
});

test.after(async () => {
  for (const c of [rc, ec, rc2, ec2]) c?.close();
  await stopAll();
  await redis?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Decodes the AOF commands in `bytes` (a latin1 string of whole RESP arrays of bulks). */
function parseAof(bytes: string): string[][] {
  const out: string[][] = [];
  let i = 0;
  const line = (): string => {
    const e = bytes.indexOf('\r\n', i);
    assert.ok(e >= 0, `truncated AOF at ${i}: ${show(bytes.slice(i, i + 40))}`);
    const s = bytes.slice(i, e);
    i = e + 2;
    return s;
  };
  while (i < bytes.length) {
    const head = line();
    assert.is(head[0], '*', `AOF entry at ${i}: ${show(head)}`);
    const n = Number(head.slice(1));
    const argv: string[] = [];
    for (let k = 0; k < n; k++) {
      const len = Number(line().slice(1));
      argv.push(bytes.slice(i, i + len));
      i += len + 2;
    }
    out.push(argv);
  }
  return out;
}

/** The entries appended to each AOF since the last call. */
function newEntries(): [string[][], string[][]] {
  const r = readFileSync(redisAof, 'latin1');
  const e = readFileSync(echoAof, 'latin1');
  const out: [string[][], string[][]] = [parseAof(r.slice(redisOff)), parseAof(e.slice(echoOff))];
  redisOff = r.length;
  echoOff = e.length;
  return out;
}

/** Absolute-time arguments: the index of the ms time in an entry, or -1. */
function timeArg(argv: string[]): number {
  const name = argv[0].toUpperCase();
  if (name === 'PEXPIREAT') return 2;
  if (name === 'SET' || name === 'GETEX') {
    const j = argv.findIndex((a, k) => k > 1 && a.toUpperCase() === 'PXAT');
    return j < 0 ? -1 : j + 1;
  }
  if (name === 'RESTORE' && argv.some((a) => a.toUpperCase() === 'ABSTTL')) return 2;
  return -1;
}

/** XCLAIM ... TIME <ms>: the delivery time of a propagated claim is the time it ran. */
function claimTime(argv: string[]): number {
  if (argv[0].toUpperCase() !== 'XCLAIM') return -1;
  const j = argv.findIndex((a, k) => k > 5 && a.toUpperCase() === 'TIME');
  return j < 0 ? -1 : j + 1;
}

/**
 * Replaces the time-dependent and random parts of one server's entries with placeholders after
 * checking them against what that server did: absolute times within the window, popped members
 * those of its reply.
 */
function normalize(entries: string[][], step: Step, t0: number, t1: number, reply: unknown, who: string): string[][] {
  return entries.map((argv) => {
    const out = [...argv];
    const j = timeArg(argv);
    if (j >= 0 && step.ttl !== undefined) {
      const at = Number(argv[j]);
      // Servers keep their time in ms and may read it up to 1 ms before the client's clock.
      assert.ok(at >= t0 + step.ttl - 1 && at <= t1 + step.ttl + 1,
        `${who}: ${argv.join(' ')}: time ${at} outside [${t0 + step.ttl}, ${t1 + step.ttl}]`);
      out[j] = `<now+${step.ttl}>`;
    }
    const k = claimTime(argv);
    if (k >= 0) {
      const at = Number(argv[k]);
      assert.ok(at >= t0 - 1 && at <= t1 + 1, `${who}: ${argv.join(' ')}: time ${at} outside [${t0}, ${t1}]`);
      out[k] = '<now>';
    }
    if (step.popped && argv[0].toUpperCase() === 'SREM') {
      const members = Array.isArray(reply) ? (reply.flat(2) as unknown[]).map(String) : [String(reply)];
      for (let k = 2; k < argv.length; k++) {
        assert.ok(members.includes(argv[k]), `${who}: SREM of ${show(argv[k])}, which it did not pop`);
        out[k] = '<popped>';
      }
    }
    return out;
  });
}

/** A reply with every array sorted, for replies in random order. */
function sorted(x: unknown): unknown {
  return Array.isArray(x) ? x.map(sorted).map((v) => JSON.stringify(v)).sort() : x;
}

const fmt = (entries: string[][]): string => entries.map((a) => a.map(show).join(' ')).join('\n');

/** Runs the steps on both servers and compares the replies and what each step appended. */
async function check(steps: Step[]): Promise<void> {
  for (const step of steps) {
    const bytes = encodeCommand(step.cmd);
    const t0 = Date.now();
    let replies: [unknown, unknown] = [null, null];
    if (step.async) {
      rc2.write(bytes);
      ec2.write(bytes);
      await sleep(100);
    } else {
      rc.write(bytes);
      ec.write(bytes);
      const [r, e] = await Promise.all([rc.readRaw(), ec.readRaw()]);
      if (step.unordered) assert.equal(sorted(plain(e.reply)), sorted(plain(r.reply)), `reply to ${step.cmd.join(' ')}`);
      else if (!step.popped) assert.is(show(e.bytes), show(r.bytes), `reply to ${step.cmd.join(' ')}`);
      replies = [plain(r.reply), plain(e.reply)];
    }
    const t1 = Date.now();
    const [r, e] = newEntries();
    const rn = normalize(r, step, t0, t1, replies[0], 'redis-server');
    const en = normalize(e, step, t0, t1, replies[1], 'echokv');
    assert.is(fmt(en), fmt(rn), `propagated by ${step.cmd.map((a) => show(String(a))).join(' ')}`);
  }
}

/** Reads the replies of the commands `async` steps sent on the second connection. */
async function sameAsyncReply(what: string): Promise<void> {
  const [r, e] = await Promise.all([rc2.readRaw(5000), ec2.readRaw(5000)]);
  assert.is(show(e.bytes), show(r.bytes), what);
}

const s = (...cmd: Arg[]): Step => ({ cmd });
const ttl = (ms: number, ...cmd: Arg[]): Step => ({ cmd, ttl: ms });

const t = (name: string, fn: () => Promise<void>): void => {
  test(name, async () => {
    if (skipped) return;
    // A failed test may have left entries unread.
    newEntries();
    // Only commands expire keys here: the active cycle would add DELs whenever it ran.
    await check([s('SELECT', 0), s('FLUSHALL'), s('DEBUG', 'SET-ACTIVE-EXPIRE', 0)]);
    await fn();
  });
};

t('strings: relative TTLs become absolute, INCRBYFLOAT a SET KEEPTTL, no-ops propagate nothing', async () => {
  await check([
    s('SET', 'k', 'v'),
    ttl(100_000, 'SET', 'k', 'v', 'EX', 100),
    ttl(5_000, 'SET', 'k', 'v', 'PX', 5000),
    s('SET', 'k', 'v', 'PXAT', 4_000_000_000_000),
    s('SET', 'k', 'v', 'EXAT', 4_000_000_000),
    s('SET', 'k', 'w', 'KEEPTTL', 'GET'),
    s('SET', 'k', 'x', 'NX'),
    s('SET', 'nx', 'x', 'NX', 'GET'),
    s('SET', 'missing', 'x', 'XX'),
    ttl(100_000, 'SETEX', 'se', 100, 'v'),
    ttl(100_000, 'PSETEX', 'pse', 100_000, 'v'),
    ttl(50_000, 'GETEX', 'se', 'EX', 50),
    ttl(50_000, 'GETEX', 'se', 'PX', 50_000),
    s('GETEX', 'se', 'EXAT', 4_000_000_000),
    s('GETEX', 'se', 'PERSIST'),
    s('GETEX', 'se', 'PERSIST'),
    s('GETEX', 'se'),
    s('GETEX', 'nosuch', 'EX', 10),
    s('GETDEL', 'se'),
    s('GETDEL', 'se'),
    s('INCRBYFLOAT', 'f', '1.5'),
    s('INCRBYFLOAT', 'f', '1e3'),
    s('INCR', 'n'),
    s('INCRBY', 'n', 10),
    s('DECRBY', 'n', 3),
    s('APPEND', 'a', 'xyz'),
    s('SETRANGE', 'a', 10, 'q'),
    s('SETRANGE', 'a', 0, ''),
    s('MSET', 'm1', 1, 'm2', 2),
    s('MSETNX', 'm1', 1, 'm3', 3),
    s('MSETNX', 'm4', 4, 'm5', 5),
    s('GETSET', 'm1', 'new'),
    s('SETNX', 'm1', 'x'),
    s('SETNX', 'm6', 'x'),
    s('SETBIT', 'b', 7, 1),
    s('SETBIT', 'b', 7, 1),
    s('BITOP', 'OR', 'dest', 'b', 'a'),
    s('BITOP', 'AND', 'dest', 'none1', 'none2'),
    s('BITFIELD', 'bf', 'SET', 'u8', 0, 200, 'GET', 'u8', 0),
    s('BITFIELD', 'bf', 'GET', 'u8', 0),
    s('SET', 'bin\x00\xff', '\r\n\x00\xfe'),
    s('SET', 'old', 'v', 'PXAT', 1000),
    s('GET', 'old'),
    s('SET', 'old', 'v', 'EXAT', 1, 'GET'),
    s('SET', 'old', 'v'),
    s('GETEX', 'old', 'PXAT', 1000),
    s('GETEX', 'old', 'EXAT', 1),
  ]);
});

t('key commands: EXPIRE family, PERSIST, RENAME, COPY, MOVE, SWAPDB, DEL, FLUSHDB', async () => {
  await check([
    s('MSET', 'a', 1, 'b', 2, 'c', 3, 'd', 4),
    ttl(100_000, 'EXPIRE', 'a', 100),
    ttl(100_000, 'PEXPIRE', 'a', 100_000),
    s('EXPIREAT', 'a', 4_000_000_000),
    s('PEXPIREAT', 'a', 4_000_000_000_000),
    s('EXPIRE', 'a', 100, 'NX'),
    ttl(200_000, 'EXPIRE', 'a', 200, 'GT'),
    ttl(300_000, 'EXPIRE', 'a', 300, 'LT'),
    s('EXPIRE', 'nosuch', 100),
    s('PERSIST', 'a'),
    s('PERSIST', 'a'),
    s('EXPIRE', 'b', -1),
    s('PEXPIREAT', 'c', 1000),
    s('EXPIREAT', 'nosuch', 1000),
    s('SET', 'e', 'v'),
    s('EXPIRE', 'e', 0),
    s('RENAME', 'd', 'd2'),
    s('RENAME', 'd2', 'd2'),
    s('SET', 'x', 'v'),
    s('RENAMENX', 'x', 'd2'),
    s('RENAMENX', 'x', 'y'),
    s('COPY', 'y', 'z'),
    s('COPY', 'y', 'z'),
    s('COPY', 'y', 'z', 'REPLACE'),
    s('COPY', 'y', 'z', 'DB', 3),
    s('MOVE', 'y', 2),
    s('MOVE', 'y', 2),
    s('SWAPDB', 0, 2),
    s('SWAPDB', 0, 2),
    s('SWAPDB', 0, 0),
    s('DEL', 'z', 'nosuch', 'd2'),
    s('UNLINK', 'nosuch'),
    s('SET', 'u', 1),
    s('UNLINK', 'u'),
    s('TOUCH', 'z'),
    s('SELECT', 3),
    s('SET', 'in3', 'v'),
    s('FLUSHDB'),
    s('FLUSHDB'),
    s('SELECT', 0),
    s('FLUSHALL'),
    s('FLUSHALL', 'ASYNC'),
  ]);
});

t('RESTORE: a relative TTL becomes ABSTTL, REPLACE kept, an expired TTL a DEL', async () => {
  await check([s('RPUSH', 'src', 'a', 'b'), s('SADD', 'set', 1, 2)]);
  const list = (await rc.call('DUMP', 'src')) as string;
  const set = (await rc.call('DUMP', 'set')) as string;
  await check([
    s('RESTORE', 'k', 0, list),
    s('RESTORE', 'k', 0, set, 'REPLACE'),
    ttl(100_000, 'RESTORE', 'k2', 100_000, list),
    s('RESTORE', 'k3', 4_000_000_000_000, list, 'ABSTTL'),
    s('RESTORE', 'k3', 1000, set, 'ABSTTL', 'REPLACE'),
    s('RESTORE', 'k4', 0, list, 'IDLETIME', 100),
    s('RESTORE', 'k5', 0, list, 'FREQ', 5),
  ]);
});

t('lists: pops with counts, LMPOP, LMOVE and the blocking forms served at once', async () => {
  await check([
    s('RPUSH', 'l', 'a', 'b', 'c', 'd', 'e', 'f'),
    s('LPUSH', 'l', 'z'),
    s('LPOP', 'l'),
    s('RPOP', 'l', 2),
    s('LPOP', 'l', 0),
    s('LMPOP', 1, 'l', 'LEFT', 'COUNT', 2),
    s('LMPOP', 2, 'none', 'l', 'RIGHT', 'COUNT', 5),
    s('LMPOP', 1, 'l', 'RIGHT'),
    s('RPUSH', 'l', 'a', 'b', 'c', 'd'),
    s('BLPOP', 'none', 'l', 0),
    s('BRPOP', 'l', 0),
    s('BLMPOP', 0, 1, 'l', 'LEFT', 'COUNT', 10),
    s('RPUSH', 'l', 'a', 'b', 'c'),
    s('BLMOVE', 'l', 'l2', 'LEFT', 'RIGHT', 0),
    s('BRPOPLPUSH', 'l', 'l2', 0),
    s('LMOVE', 'l', 'l', 'LEFT', 'RIGHT'),
    s('RPOPLPUSH', 'l', 'l2'),
    s('RPOPLPUSH', 'l', 'l2'),
    s('LINSERT', 'l2', 'BEFORE', 'a', 'x'),
    s('LINSERT', 'l2', 'BEFORE', 'nosuch', 'x'),
    s('LSET', 'l2', 0, 'y'),
    s('LREM', 'l2', 0, 'nosuch'),
    s('LREM', 'l2', 1, 'y'),
    s('LTRIM', 'l2', 0, -1),
    s('LTRIM', 'l2', 1, 0),
    s('LPUSHX', 'l2', 'a'),
    s('RPUSH', 'l3', 'a'),
    s('LPUSHX', 'l3', 'b'),
    s('BLPOP', 'l3', 'l', 0),
    s('BLPOP', 'l3', 0.01),
  ]);
});

t('sets: SPOP with a count becomes SREMs in MULTI or a DEL, SMOVE, the STORE forms', async () => {
  // Random pops leave the two servers with different members: each starts from a fresh set.
  const fresh = (key: string, members: Arg[], pop: Step): Step[] => [s('DEL', key), s('SADD', key, ...members), pop];
  const letters = 'abcdefghijkl'.split('');
  const ints = Array.from({ length: 20 }, (_, i) => i + 1);
  await check([
    ...fresh('s', letters, { cmd: ['SPOP', 's'], popped: true }),
    ...fresh('s', letters, { cmd: ['SPOP', 's', 1], popped: true }),
    ...fresh('s', letters, { cmd: ['SPOP', 's', 2], popped: true }),
    ...fresh('s', letters, { cmd: ['SPOP', 's', 6], popped: true }),
    ...fresh('s', letters, { cmd: ['SPOP', 's', 11], popped: true }),
    ...fresh('s', letters, { cmd: ['SPOP', 's', 0], popped: true }),
    ...fresh('s', letters, { cmd: ['SPOP', 's', 12], unordered: true }),
    ...fresh('s', letters, { cmd: ['SPOP', 's', 100], unordered: true }),
    s('SPOP', 's', 100),
    ...fresh('i', ints, { cmd: ['SPOP', 'i', 3], popped: true }),
    ...fresh('i', ints, { cmd: ['SPOP', 'i', 10], popped: true }),
    ...fresh('i', ints, { cmd: ['SPOP', 'i', 19], popped: true }),
    ...fresh('i', ints, { cmd: ['SPOP', 'i', 20], unordered: true }),
    s('SADD', 'one', 'x'),
    s('SPOP', 'one', 1),
    s('SADD', 'one', 'x'),
    s('SPOP', 'one'),
    s('SADD', 's1', 'a', 'b', 'c'),
    s('SADD', 's2', 'b', 'c', 'd'),
    s('SADD', 's1', 'a'),
    s('SREM', 's1', 'nosuch'),
    s('SMOVE', 's1', 's2', 'a'),
    s('SMOVE', 's1', 's2', 'nosuch'),
    s('SINTERSTORE', 'dst', 's1', 's2'),
    s('SUNIONSTORE', 'dst', 's1', 's2'),
    s('SDIFFSTORE', 'dst', 's1', 's1'),
    s('SDIFFSTORE', 'dst', 's1', 's1'),
    s('SINTERSTORE', 's2', 's2', 's2'),
  ]);
});

t('hashes and sorted sets: HINCRBYFLOAT, ZPOP with counts, ZMPOP, BZPOPMIN, the STORE forms', async () => {
  await check([
    s('HSET', 'h', 'f', 1, 'g', 2),
    s('HSET', 'h', 'f', 1),
    s('HSETNX', 'h', 'f', 2),
    s('HSETNX', 'h', 'n', 2),
    s('HINCRBY', 'h', 'f', 5),
    s('HINCRBYFLOAT', 'h', 'f', '0.25'),
    s('HINCRBYFLOAT', 'h', 'x', '1e2'),
    s('HDEL', 'h', 'nosuch'),
    s('HDEL', 'h', 'f', 'g', 'n', 'x'),
    s('ZADD', 'z', 1, 'a', 2, 'b', 3, 'c', 4, 'd', 5, 'e'),
    s('ZADD', 'z', 'NX', 1, 'a'),
    s('ZADD', 'z', 'INCR', 10, 'a'),
    s('ZINCRBY', 'z', '-0.5', 'b'),
    s('ZPOPMIN', 'z'),
    s('ZPOPMAX', 'z', 2),
    s('ZPOPMIN', 'z', 0),
    s('ZPOPMIN', 'nosuch', 2),
    s('ZADD', 'z', 1, 'a', 2, 'b', 3, 'c', 4, 'd'),
    s('ZMPOP', 1, 'z', 'MIN', 'COUNT', 2),
    s('ZMPOP', 2, 'none', 'z', 'MAX'),
    s('BZPOPMIN', 'z', 0),
    s('ZADD', 'z', 1, 'a', 2, 'b', 3, 'c'),
    s('BZPOPMAX', 'none', 'z', 0),
    s('BZMPOP', 0, 1, 'z', 'MIN', 'COUNT', 10),
    s('ZADD', 'z1', 1, 'a', 2, 'b'),
    s('ZADD', 'z2', 3, 'b', 4, 'c'),
    s('ZUNIONSTORE', 'zd', 2, 'z1', 'z2', 'WEIGHTS', 1, 2),
    s('ZINTERSTORE', 'zd', 2, 'z1', 'nosuch'),
    s('ZRANGESTORE', 'zd', 'z1', 0, -1),
    s('ZRANGESTORE', 'zd', 'z1', 5, 10),
    s('ZREM', 'z1', 'nosuch'),
    s('ZREMRANGEBYSCORE', 'z2', 0, 3),
    s('ZREMRANGEBYRANK', 'z2', 0, -1),
    s('SORT', 'z1', 'STORE', 'sorted'),
    s('SORT', 'z1', 'BY', 'nosort', 'DESC', 'STORE', 'sorted'),
    s('SORT', 'z1'),
    s('SORT_RO', 'z1'),
    s('SORT', 'nosuch', 'STORE', 'sorted'),
    s('SORT', 'nosuch', 'STORE', 'sorted'),
  ]);
});

t('expiry met during a command goes out as a DEL before the command', async () => {
  // 50 ms TTLs set relative to each server's own clock (not already past when they arrive: Redis
  // reads its clock twice for PEXPIRE, so a 1 ms TTL may turn into a DEL on a busy machine),
  // then a wait that lets them run out on both.
  const expiring = async (setup: Step[]): Promise<void> => {
    await check(setup);
    await sleep(120);
  };
  try {
    await expiring([ttl(50, 'SET', 'k', 'v', 'PX', 50)]);
    await check([s('SET', 'k', 'v2')]);
    await expiring([ttl(50, 'SET', 'k', 'v', 'PX', 50)]);
    await check([s('GET', 'k')]);
    await expiring([s('RPUSH', 'l', 'a', 'b'), ttl(50, 'PEXPIRE', 'l', 50)]);
    await check([s('RPUSH', 'l', 'c')]);
    await expiring([s('MSET', 'a', 1, 'b', 2), ttl(50, 'PEXPIRE', 'a', 50), ttl(50, 'PEXPIRE', 'b', 50)]);
    await check([s('DEL', 'a', 'b', 'c')]);
    await expiring([s('MSET', 'a', 1, 'b', 2), ttl(50, 'PEXPIRE', 'a', 50), ttl(50, 'PEXPIRE', 'b', 50)]);
    await check([s('MGET', 'a', 'b', 'c')]);
    await expiring([s('SADD', 'st', 'a', 'b', 'c'), ttl(50, 'PEXPIRE', 'st', 50)]);
    await check([s('SPOP', 'st', 2)]);
    await expiring([s('SET', 'n', 5), ttl(50, 'PEXPIRE', 'n', 50)]);
    await check([s('INCR', 'n')]);
    await expiring([s('SET', 'r', 5), ttl(50, 'PEXPIRE', 'r', 50)]);
    await check([s('RENAME', 'r', 'r2')]);
    // In a transaction: the DEL, then the transaction's own changes.
    await expiring([s('SET', 'm', 5), ttl(50, 'PEXPIRE', 'm', 50)]);
    await check([s('MULTI'), s('INCR', 'm'), s('SET', 'other', 1), s('EXEC')]);
    await expiring([s('SET', 'm', 5), ttl(50, 'PEXPIRE', 'm', 50)]);
    await check([s('MULTI'), s('GET', 'm'), s('EXEC')]);
    await expiring([s('SET', 'm', 5), ttl(50, 'PEXPIRE', 'm', 50)]);
    await check([s('MULTI'), s('SET', 'm', 1), s('EXEC')]);
    // With lazyfree-lazy-expire the DEL is an UNLINK; lazyfree-lazy-user-del changes GETDEL's.
    await check([s('CONFIG', 'SET', 'lazyfree-lazy-expire', 'yes'), s('CONFIG', 'SET', 'lazyfree-lazy-user-del', 'yes')]);
    await expiring([ttl(50, 'SET', 'k', 'v', 'PX', 50)]);
    await check([s('SET', 'k', 'v2')]);
    await expiring([ttl(50, 'SET', 'k', 'v', 'PX', 50)]);
    await check([s('EXISTS', 'k')]);
    await check([s('SET', 'k', 'v'), s('GETDEL', 'k'), s('SET', 'k', 'v'), s('DEL', 'k'), s('SET', 'k', 'v'), s('EXPIRE', 'k', -1)]);
  } finally {
    await check([
      s('CONFIG', 'SET', 'lazyfree-lazy-expire', 'no'),
      s('CONFIG', 'SET', 'lazyfree-lazy-user-del', 'no'),
    ]);
  }
});

t('MULTI/EXEC: only what changed data, wrapped when more than one change', async () => {
  await check([
    s('MULTI'), s('GET', 'a'), s('EXEC'),
    s('MULTI'), s('EXEC'),
    s('MULTI'), s('SET', 'a', 1), s('GET', 'a'), s('EXEC'),
    s('MULTI'), s('SET', 'a', 1), s('INCR', 'a'), s('EXEC'),
    s('MULTI'), s('SET', 'a', 1), s('SELECT', 2), s('SET', 'b', 1), s('SELECT', 0), s('EXEC'),
    s('MULTI'), s('SET', 'a', 1, 'NX'), s('DEL', 'nosuch'), s('EXEC'),
    s('MULTI'), s('INCR', 'a'), s('LPUSH', 'a', 'x'), s('INCR', 'a'), s('EXEC'),
    s('SADD', 'big', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'),
    s('MULTI'), s('SPOP', 'big', 10), { cmd: ['EXEC'], unordered: true },
    s('SADD', 'big', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'),
    s('MULTI'), { cmd: ['SPOP', 'big', 3], popped: true }, s('INCR', 'a'), { cmd: ['EXEC'], popped: true },
    s('RPUSH', 'l', 'a', 'b', 'c'),
    s('MULTI'), s('BLPOP', 'l', 0), s('BLMPOP', 0, 1, 'l', 'RIGHT', 'COUNT', 5), s('BLPOP', 'l', 0), s('EXEC'),
    ttl(100_000, 'MULTI'), ttl(100_000, 'SET', 'x', 1, 'EX', 100), ttl(100_000, 'EXPIRE', 'a', 100), ttl(100_000, 'EXEC'),
    s('WATCH', 'a'), s('SET', 'a', 5), s('MULTI'), s('SET', 'a', 6), s('EXEC'),
    s('MULTI'), s('SET', 'a', 1), s('NOSUCHCMD'), s('EXEC'),
    s('MULTI'), s('FLUSHALL'), s('EXEC'),
    s('MULTI'), s('SET', 'a', 1), s('FLUSHDB'), s('SWAPDB', 0, 1), s('EXEC'),
  ]);
});

t('streams: XADD with * and trimming, XREADGROUP, XCLAIM, XAUTOCLAIM, groups', async () => {
  await check([
    s('XADD', 'x', '1-1', 'f', 'v'),
    s('XADD', 'x', '1-*', 'f', 'v'),
    s('XADD', 'x', 'MAXLEN', '1', '5-0', 'f', 'v'),
    s('XADD', 'x', 'MAXLEN', '~', '1', '6-0', 'f', 'v'),
    s('XADD', 'x', 'NOMKSTREAM', 'MINID', '=', '6', '7-0', 'f', 'v'),
    s('XADD', 'nosuch', 'NOMKSTREAM', '1-1', 'f', 'v'),
    s('XTRIM', 'x', 'MAXLEN', 1),
    s('XTRIM', 'x', 'MAXLEN', 10),
    s('XGROUP', 'CREATE', 'x', 'g', '0'),
    s('XGROUP', 'CREATE', 'x', 'g2', '$', 'ENTRIESREAD', 3),
    s('XGROUP', 'CREATECONSUMER', 'x', 'g', 'alice'),
    s('XADD', 'x', '8-0', 'a', 1),
    s('XADD', 'x', '9-0', 'b', 2),
    s('XREADGROUP', 'GROUP', 'g', 'bob', 'COUNT', 1, 'STREAMS', 'x', '>'),
    s('XREADGROUP', 'GROUP', 'g', 'bob', 'NOACK', 'STREAMS', 'x', '>'),
    s('XREADGROUP', 'GROUP', 'g', 'bob', 'STREAMS', 'x', '0'),
    s('XREADGROUP', 'GROUP', 'g', 'carol', 'STREAMS', 'x', '>'),
    s('XGROUP', 'SETID', 'x', 'g', '0'),
    s('XREADGROUP', 'GROUP', 'g', 'carol', 'BLOCK', 0, 'STREAMS', 'x', '>'),
    s('XCLAIM', 'x', 'g', 'alice', 0, '7-0', '8-0'),
    s('XCLAIM', 'x', 'g', 'alice', 0, '8-0', 'JUSTID'),
    s('XAUTOCLAIM', 'x', 'g', 'bob', 0, '0-0', 'COUNT', 10),
    s('XACK', 'x', 'g', '8-0', '100-0'),
    s('XDEL', 'x', '9-0', '100-0'),
    s('XSETID', 'x', '200-0'),
    s('XGROUP', 'DELCONSUMER', 'x', 'g', 'carol'),
    s('XGROUP', 'DESTROY', 'x', 'g2'),
    s('XGROUP', 'DESTROY', 'x', 'g2'),
  ]);
});

t('blocked clients served later propagate the plain forms after the command that fed them', async () => {
  await check([
    { cmd: ['BLPOP', 'l', 0], async: true },
    s('RPUSH', 'l', 'a', 'b'),
  ]);
  await sameAsyncReply('BLPOP served');
  await check([
    { cmd: ['BLMOVE', 'src', 'dst', 'RIGHT', 'LEFT', 0], async: true },
    s('MULTI'), s('RPUSH', 'src', 'x'), s('RPUSH', 'src', 'y'), s('EXEC'),
  ]);
  await sameAsyncReply('BLMOVE served');
  await check([
    { cmd: ['BZMPOP', 0, 1, 'z', 'MAX', 'COUNT', 2], async: true },
    s('ZADD', 'z', 1, 'a', 2, 'b', 3, 'c'),
  ]);
  await sameAsyncReply('BZMPOP served');
  await check([
    s('XGROUP', 'CREATE', 'x', 'g', '$', 'MKSTREAM'),
    { cmd: ['XREADGROUP', 'GROUP', 'g', 'c1', 'BLOCK', 0, 'STREAMS', 'x', '>'], async: true },
    s('XADD', 'x', '5-5', 'f', 'v'),
  ]);
  await sameAsyncReply('XREADGROUP served');
});

test.run();
