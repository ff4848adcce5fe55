// The values (not only the names) of INFO fields and CLIENT LIST fields after the same commands
// on both servers, from a differential sweep against redis-server 7.0: counters compared as the
// change over a script (the servers of a suite have seen different connections before it), the
// deterministic per-connection fields of CLIENT LIST compared field by field. Memory and time
// fields (qbuf-free, rbs, rbp, tot-mem, age, idle, usec) are left out.
import * as assert from 'uvu/assert';
import { closeOpenedAfterEach, type Compat, compatSuite } from './_compat.ts';
import { send, reply } from './_blocking.ts';
import { type RespClient, sleep } from '../_helpers.ts';

const test = compatSuite('edge info values');
closeOpenedAfterEach(test, async ({ c }) => {
  await c.both('CONFIG', 'SET', 'maxmemory', '0');
  await c.both('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
  await c.both('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
});

/** INFO `sections` of one server as field -> value, with the usec parts of commandstats cut. */
async function info(cl: RespClient, ...sections: string[]): Promise<Map<string, string>> {
  const text = (await cl.call('INFO', ...sections)) as string;
  const m = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.indexOf(':');
    m.set(line.slice(0, at), line.slice(at + 1).replace(/usec=\d+,usec_per_call=[\d.]+,/, ''));
  }
  return m;
}

/**
 * Reply bytes whose length differs between the servers (CLIENT LIST and INFO carry memory
 * figures, CLIENT ID and HELLO the ids), by server port, over all connections: sameCounters
 * takes them out of total_net_output_bytes.
 */
const unequalBytes = new Map<number, number>();

function unequal(cl: RespClient): number {
  return unequalBytes.get(cl.socket.remotePort!) ?? 0;
}

async function callCounted(cl: RespClient, ...args: string[]): Promise<string> {
  const raw = await cl.callRaw(...args);
  unequalBytes.set(cl.socket.remotePort!, unequal(cl) + raw.bytes.length);
  return String((raw.reply as { value: unknown }).value);
}

/** HELLO 3 on both sides of `w` (its reply holds the connection's id). */
async function hello3(w: Compat): Promise<void> {
  await Promise.all([callCounted(w.redis, 'HELLO', '3'), callCounted(w.echo, 'HELLO', '3')]);
}

/** CLIENT LIST fields of connection `id` of one server, from `cl`. */
async function clientFields(cl: RespClient, id: number): Promise<Record<string, string>> {
  const line = (await callCounted(cl, 'CLIENT', 'LIST', 'ID', String(id))).trim();
  return Object.fromEntries(line.split(' ').map((f) => [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)]));
}

const VOLATILE = new Set(['id', 'addr', 'laddr', 'fd', 'age', 'idle', 'qbuf-free', 'rbs', 'rbp', 'tot-mem']);

/** Waits (at most 3 s) until both servers count `n` blocked clients. */
async function waitBlocked(c: Compat, n: number): Promise<void> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const [r, e] = await Promise.all([callCounted(c.redis, 'INFO', 'clients'), callCounted(c.echo, 'INFO', 'clients')]);
    const count = (x: string): number => Number(/blocked_clients:(\d+)/.exec(x)![1]);
    if (count(r) === n && count(e) === n) return;
    if (Date.now() > deadline) assert.unreachable(`blocked_clients: redis ${count(r)}, echokv ${count(e)}, expected ${n}`);
    await sleep(5);
  }
}

const knownIds = new WeakMap<Compat, [number, number]>();

/** The CLIENT ID of each side of `who` (asked once: ask before it blocks or subscribes). */
async function idsOf(who: Compat): Promise<[number, number]> {
  let ids = knownIds.get(who);
  if (ids === undefined) {
    // Counted: the ids, and so the replies' lengths, differ between the servers.
    const [r, e] = await Promise.all([callCounted(who.redis, 'CLIENT', 'ID'), callCounted(who.echo, 'CLIENT', 'ID')]);
    ids = [Number(r), Number(e)];
    knownIds.set(who, ids);
  }
  return ids;
}

/** Asserts the CLIENT LIST lines of `who` (a pair of connections) are the same on both servers,
 * asked over `obs`, time and memory fields aside. */
async function sameClient(obs: Compat, who: Compat, what: string): Promise<Record<string, string>> {
  const [rid, eid] = await idsOf(who);
  const [r, e] = await Promise.all([clientFields(obs.redis, rid), clientFields(obs.echo, eid)]);
  for (const k of Object.keys(r)) {
    if (!VOLATILE.has(k)) assert.is(e[k], r[k], `${what}: CLIENT LIST ${k}`);
  }
  return r;
}

/** Fields of the counters whose change over a script is compared. */
const COUNTERS = [
  'total_connections_received', 'total_commands_processed', 'total_net_input_bytes', 'total_net_output_bytes',
  'total_reads_processed', 'total_writes_processed', 'rejected_connections', 'expired_keys', 'evicted_keys',
  'keyspace_hits', 'keyspace_misses', 'total_error_replies', 'unexpected_error_replies', 'rdb_changes_since_last_save',
];
const LEVELS = [
  'connected_clients', 'blocked_clients', 'tracking_clients', 'clients_in_timeout_table', 'pubsub_channels',
  'pubsub_patterns', 'db0', 'db1', 'db2',
];

/**
 * Runs `script` (on `c` unless it sends elsewhere itself) between two INFO snapshots of each
 * server and asserts the same changes of the counters, the same levels after, and the same
 * errorstats and commandstats entries changed by the same amounts. The bytes of the first
 * snapshot's reply, which differ (memory figures), are taken out of the output bytes.
 */
async function sameCounters(c: Compat, script: () => Promise<void>, what: string): Promise<void> {
  const snap = async (): Promise<[Map<string, string>, Map<string, string>, number, number]> => {
    const [r, e] = await c.both('INFO', 'everything');
    const parse = (x: string): Map<string, string> => {
      const m = new Map<string, string>();
      for (const line of x.split('\r\n')) {
        if (line === '' || line.startsWith('#')) continue;
        const at = line.indexOf(':');
        m.set(line.slice(0, at), line.slice(at + 1).replace(/usec=\d+,usec_per_call=[\d.]+,/, '').replace(/,avg_ttl=\d+/, ''));
      }
      return m;
    };
    return [parse((r.reply as { value: string }).value), parse((e.reply as { value: string }).value), r.bytes.length, e.bytes.length];
  };
  const [r0, e0, rlen, elen] = await snap();
  const ru = unequal(c.redis);
  const eu = unequal(c.echo);
  await script();
  const [r1, e1] = await snap();
  for (const k of COUNTERS) {
    let dr = Number(r1.get(k)) - Number(r0.get(k));
    let de = Number(e1.get(k)) - Number(e0.get(k));
    if (k === 'total_net_output_bytes') {
      dr -= rlen + unequal(c.redis) - ru;
      de -= elen + unequal(c.echo) - eu;
    }
    assert.is(de, dr, `${what}: change of ${k}`);
  }
  for (const k of LEVELS) assert.is(e1.get(k), r1.get(k), `${what}: ${k}`);
  // Each entry that changed, with the change of each of its numbers (calls, rejected_calls,
  // failed_calls; count).
  const stats = (m0: Map<string, string>, m1: Map<string, string>): string[] => {
    const out: string[] = [];
    for (const [k, v] of m1) {
      if (!k.startsWith('cmdstat_') && !k.startsWith('errorstat_')) continue;
      if (k === 'cmdstat_info') continue;
      const before = (m0.get(k) ?? '').match(/\d+/g)?.map(Number) ?? [];
      const after = v.match(/\d+/g)!.map(Number);
      if (m0.get(k) !== v) out.push(`${k} +${after.map((n, i) => n - (before[i] ?? 0)).join(',+')}`);
    }
    return out.sort();
  };
  assert.equal(stats(e0, e1), stats(r0, r1), `${what}: commandstats and errorstats`);
}

test('CLIENT ID: the first connection is id 3, as Redis 7.0 gives 1 and 2 to its Lua clients', async ({ connect }) => {
  const w = await connect();
  // Every connection takes the next id and counts as received: the newest connection's id less
  // the connections received is what was taken before the first one.
  const offset = async (cl: RespClient): Promise<number> =>
    Number(await cl.call('CLIENT', 'ID')) - Number((await info(cl, 'stats')).get('total_connections_received'));
  assert.is(await offset(w.echo), await offset(w.redis));
  assert.is(await offset(w.redis), 2);
});

test('a peer closing its connection is a read (total_reads_processed), a QUIT is not', async ({ c, connect }) => {
  await sameCounters(c, async () => {
    const w = await connect();
    await w.same('PING');
    w.redis.close();
    w.echo.close();
    const q = await connect();
    await q.same('QUIT');
    await sleep(100);
  }, 'close and QUIT');
});

test('rdb_changes_since_last_save: a client served after blocking counts as Redis counts it', async ({ c, connect }) => {
  const w = await connect();
  const served = async (cmd: string[], feed: string[][], what: string): Promise<void> => {
    await sameCounters(c, async () => {
      send(w, ...cmd);
      await waitBlocked(c, 1);
      for (const f of feed) await c.same(...f);
      await reply(w, what);
    }, what);
  };
  // BLPOP, BRPOP, BLMOVE and BRPOPLPUSH served: only the push counts (serveClientBlockedOnList
  // has no dirty count of its own); BLMPOP and BZPOPMIN served count their pops.
  await served(['BLPOP', 'l', '0'], [['RPUSH', 'l', 'a', 'b']], 'BLPOP served');
  await served(['BRPOP', 'l2', '0'], [['RPUSH', 'l2', 'a']], 'BRPOP served, the list emptied');
  await served(['BLMOVE', 'l3', 'd', 'LEFT', 'RIGHT', '0'], [['RPUSH', 'l3', 'a', 'b', 'c']], 'BLMOVE served');
  await served(['BRPOPLPUSH', 'l4', 'd', '0'], [['RPUSH', 'l4', 'a']], 'BRPOPLPUSH served');
  await served(['BLMPOP', '0', '1', 'l5', 'LEFT', 'COUNT', '2'], [['RPUSH', 'l5', 'a', 'b', 'c']], 'BLMPOP served');
  await served(['BZPOPMIN', 'z', '0'], [['ZADD', 'z', '1', 'a', '2', 'b']], 'BZPOPMIN served');
  await served(['XREAD', 'BLOCK', '0', 'STREAMS', 'x', '$'], [['XADD', 'x', '1-1', 'f', 'v']], 'XREAD served');
  await c.same('XGROUP', 'CREATE', 'x', 'g', '$');
  // XREADGROUP served: the consumer made counts, the delivery does not.
  await served(['XREADGROUP', 'GROUP', 'g', 'c1', 'BLOCK', '0', 'STREAMS', 'x', '>'], [['XADD', 'x', '2-1', 'f', 'v']], 'XREADGROUP served, new consumer');
  await served(['XREADGROUP', 'GROUP', 'g', 'c1', 'BLOCK', '0', 'STREAMS', 'x', '>'], [['XADD', 'x', '3-1', 'f', 'v']], 'XREADGROUP served');
  await served(['XREADGROUP', 'GROUP', 'g', 'c2', 'NOACK', 'BLOCK', '0', 'STREAMS', 'x', '>'], [['XADD', 'x', '4-1', 'f', 'v']], 'XREADGROUP NOACK served');
  // The same commands when they need not wait count their changes.
  await sameCounters(c, async () => {
    await c.all([
      ['RPUSH', 'm', 'a', 'b', 'c', 'd', 'e'], ['BLPOP', 'm', '0'], ['BRPOP', 'm', '0'], ['BLMOVE', 'm', 'd', 'LEFT', 'RIGHT', '0'],
      ['BRPOPLPUSH', 'm', 'd', '0'], ['BLMPOP', '0', '1', 'm', 'LEFT', 'COUNT', '5'], ['XADD', 'x', '5-1', 'f', 'v'],
      ['XREADGROUP', 'GROUP', 'g', 'c3', 'BLOCK', '0', 'STREAMS', 'x', '>'], ['MULTI'], ['BLPOP', 'd', '0'], ['BLPOP', 'nol', '0'], ['EXEC'],
    ]);
  }, 'blocking commands served at once');
});

test('CLIENT LIST of a blocked client: its argv-mem is the arguments as given', async ({ c, connect }) => {
  const w = await connect();
  await idsOf(w);
  const cases: [string[], string[]][] = [
    [['BLPOP', 'bl', 'other', '0'], ['RPUSH', 'bl', 'x']], [['BZPOPMIN', 'bz', '0'], ['ZADD', 'bz', '1', 'm']],
    [['XREAD', 'BLOCK', '0', 'STREAMS', 'bx', '$'], ['XADD', 'bx', '1-1', 'f', 'v']],
    [['BLMOVE', 'bl', 'dst', 'LEFT', 'RIGHT', '0'], ['RPUSH', 'bl', 'x']],
  ];
  for (const [cmd, feed] of cases) {
    send(w, ...cmd);
    await waitBlocked(c, 1);
    const f = await sameClient(c, w, cmd[0]);
    assert.is(f.flags, 'b');
    assert.is(f['argv-mem'], String(cmd.join('').length));
    await c.same(...feed);
    await reply(w, `${cmd[0]} served`);
    assert.is((await sameClient(c, w, `${cmd[0]} served`))['argv-mem'], '0');
  }
});

test('CLIENT LIST multi-mem: queued arguments and a pointer each, watched keys not counted', async ({ c, connect }) => {
  const w = await connect();
  await idsOf(w);
  await w.same('WATCH', 'a', 'b', 'c');
  assert.is((await sameClient(c, w, 'watching'))['multi-mem'], '0');
  await w.same('MULTI');
  await w.same('SET', 'a', 'x'.repeat(100));
  await w.same('GET', 'a');
  // 3 + 1 + 100 + 3 * 8, then 3 + 1 + 2 * 8.
  assert.is((await sameClient(c, w, 'queued'))['multi-mem'], '148');
  await w.same('NOSUCH');
  await w.same('GET', 'b');
  // A transaction that will fail keeps nothing more.
  assert.is((await sameClient(c, w, 'aborted'))['multi-mem'], '148');
  await w.same('EXEC');
  assert.is((await sameClient(c, w, 'after EXEC'))['multi-mem'], '0');
});

test('CLIENT LIST cmd: NULL after an unknown command or subcommand, the container alone', async ({ c, connect }) => {
  const w = await connect();
  await idsOf(w);
  const steps: [string[], string][] = [
    [['GET', 'k'], 'get'], [['NOSUCH'], 'NULL'], [['GET'], 'get'], [['CONFIG', 'NOSUCH'], 'NULL'], [['CONFIG'], 'config'],
    [['CLIENT', 'GETNAME'], 'client|getname'], [['client', 'NOPE', 'x'], 'NULL'], [['OBJECT'], 'object'],
    [['MULTI'], 'multi'], [['GET', 'k'], 'get'], [['NOSUCH'], 'NULL'], [['EXEC'], 'exec'], [['SUBSCRIBE', 'ch'], 'subscribe'],
    [['GET', 'k'], 'get'], [['FOO'], 'NULL'], [['UNSUBSCRIBE'], 'unsubscribe'], [['COMMAND', 'COUNT'], 'command|count'],
  ];
  for (const [cmd, want] of steps) {
    await w.both(...cmd);
    assert.is((await sameClient(c, w, cmd.join(' ')))['cmd'], want, cmd.join(' '));
  }
});

test('RESET keeps CLIENT NO-EVICT, clears the rest of the connection state', async ({ c, connect }) => {
  const w = await connect();
  await idsOf(w);
  await w.all([['CLIENT', 'NO-EVICT', 'on'], ['CLIENT', 'SETNAME', 'n'], ['SELECT', '2'], ['READONLY']]);
  await hello3(w);
  await w.all([['SUBSCRIBE', 'a'], ['PSUBSCRIBE', 'b*'], ['CLIENT', 'TRACKING', 'on']]);
  await sameClient(c, w, 'before RESET');
  await w.same('RESET');
  const f = await sameClient(c, w, 'after RESET');
  assert.is(f.flags, 'e');
  assert.is(f.resp, '2');
  await w.same('CLIENT', 'NO-EVICT', 'off');
  assert.is((await sameClient(c, w, 'no-evict off')).flags, 'N');
});

test('keyspace hits and misses of every read family, wrong types, expired keys read lazily', async ({ c }) => {
  await c.all([
    ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'], ['SET', 's', 'v'], ['RPUSH', 'l', 'a'], ['HSET', 'h', 'f', 'v'], ['SADD', 'st', 'm'],
    ['ZADD', 'z', '1', 'm'], ['XADD', 'x', '1-1', 'f', 'v'], ['PFADD', 'hl', 'a'],
  ]);
  await sameCounters(c, async () => {
    for (const k of ['s', 'nope']) {
      await c.all([
        ['GET', k], ['STRLEN', k], ['GETRANGE', k, '0', '1'], ['MGET', k, 'nope2'], ['GETBIT', k, '1'], ['BITCOUNT', k], ['LCS', k, 's'],
        ['EXISTS', k], ['TYPE', k], ['OBJECT', 'ENCODING', k], ['TOUCH', k], ['TTL', k], ['DUMP', k], ['SORT_RO', k], ['COPY', k, 'cp'],
      ]);
    }
    for (const k of ['l', 'nope']) await c.all([['LRANGE', k, '0', '-1'], ['LLEN', k], ['LINDEX', k, '0'], ['LPOS', k, 'a']]);
    for (const k of ['h', 'nope']) await c.all([['HGET', k, 'f'], ['HGETALL', k], ['HEXISTS', k, 'f'], ['HMGET', k, 'f'], ['HSTRLEN', k, 'f']]);
    for (const k of ['st', 'nope']) await c.all([['SMEMBERS', k], ['SISMEMBER', k, 'm'], ['SCARD', k], ['SINTER', k, 'st'], ['SINTERCARD', '2', k, 'st']]);
    for (const k of ['z', 'nope']) await c.all([['ZSCORE', k, 'm'], ['ZRANGE', k, '0', '-1'], ['ZCARD', k], ['ZRANK', k, 'm'], ['ZUNION', '2', k, 'z']]);
    for (const k of ['x', 'nope']) await c.all([['XRANGE', k, '-', '+'], ['XLEN', k], ['XREAD', 'STREAMS', k, '0']]);
    await c.all([['PFCOUNT', 'hl'], ['PFCOUNT', 'nope'], ['GET', 'l'], ['LLEN', 's'], ['HGET', 's', 'f']]);
  }, 'reads');
  await c.all([
    ['SET', 'e1', 'v', 'PX', '20'], ['SET', 'e2', 'v', 'PX', '20'], ['SET', 'e3', 'v', 'PX', '20'], ['HSET', 'e4', 'f', 'v'],
    ['PEXPIRE', 'e4', '20'], ['SET', 'e5', 'v', 'PX', '20'], ['SET', 'e6', 'v', 'PX', '20'], ['SET', 'e7', 'v', 'PX', '20'],
  ]);
  await sleep(60);
  await sameCounters(c, async () => {
    await c.all([
      ['GET', 'e1'], ['EXISTS', 'e2'], ['TYPE', 'e3'], ['HGET', 'e4', 'f'], ['SET', 'e5', 'new'], ['TTL', 'e6'], ['DBSIZE'],
      ['SCAN', '0', 'MATCH', 'e7', 'COUNT', '1000'], ['DBSIZE'],
    ]);
  }, 'expired keys read');
});

test('writes: no-op and failing writes in the change count, errors and commandstats', async ({ c }) => {
  await c.all([['SET', 's', 'v'], ['RPUSH', 'l', 'a'], ['HSET', 'h', 'f', 'v'], ['SADD', 'st', 'm'], ['ZADD', 'z', '1', 'm'], ['XADD', 'x', '1-1', 'f', 'v']]);
  await sameCounters(c, async () => {
    await c.all([
      ['DEL', 'nope'], ['SET', 's', 'v'], ['SETNX', 's', 'v'], ['SADD', 'st', 'm'], ['SREM', 'st', 'zz'], ['HDEL', 'h', 'zz'],
      ['INCR', 's'], ['LPUSH', 's', 'x'], ['EXPIRE', 'nope', '10'], ['PERSIST', 's'], ['APPEND', 's', ''], ['SETRANGE', 's', '0', ''],
      ['ZADD', 'z', '1', 'm'], ['ZADD', 'z', 'XX', '2', 'q'], ['LREM', 'l', '0', 'zz'], ['LTRIM', 'l', '0', '-1'], ['HSET', 'h', 'f', 'v'],
      ['INCRBY', 'nope', '0'], ['MSETNX', 's', '1', 'q', '2'], ['RPUSHX', 'nope', 'a'], ['GETDEL', 'nope'], ['SMOVE', 'st', 'st2', 'zz'],
      ['XTRIM', 'x', 'MAXLEN', '10'], ['XDEL', 'x', '9-9'], ['SINTERSTORE', 'd', 'nope', 'st'], ['ZUNIONSTORE', 'd', '1', 'nope'],
      ['EXPIRE', 's', '100', 'XX'], ['SORT', 'l', 'ALPHA', 'STORE', 'd2'], ['BITOP', 'AND', 'd3', 'nope'], ['RENAME', 's', 's'],
      ['MULTI'], ['SET', 'a', '1'], ['GET'], ['EXEC'], ['MULTI'], ['SET', 'a', 'x'], ['INCR', 'a'], ['EXEC'], ['EXEC'], ['DISCARD'],
      ['NOSUCH', 'x'], ['CONFIG', 'NOSUCH'], ['GET', 'a', 'b'], ['SELECT', '99'], ['HELLO', '9'], ['FLUSHDB'], ['FLUSHDB'],
    ]);
  }, 'writes');
});

test('evictions with maxmemory 1, OOM refusals', async ({ c }) => {
  await c.all([['MSET', 'a', '1', 'b', '2', 'c', '3'], ['SELECT', '2'], ['SET', 'x', '1'], ['SELECT', '0']]);
  await sameCounters(c, async () => {
    await c.all([
      ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-random'], ['CONFIG', 'SET', 'maxmemory', '1'], ['GET', 'a'],
      ['SET', 'n', '1'], ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'], ['SET', 'n2', '1'], ['GET', 'n'], ['DEL', 'n'],
      ['MULTI'], ['SET', 'q', '1'], ['EXEC'], ['CONFIG', 'SET', 'maxmemory', '0'],
    ]);
  }, 'evictions');
});

test('pub/sub, blocked, tracking and transaction state in INFO clients and CLIENT LIST', async ({ c, connect }) => {
  const a = await connect();
  const b = await connect();
  await idsOf(a);
  await idsOf(b);
  await sameCounters(c, async () => {
    await a.all([['SUBSCRIBE', 'c1', 'c2'], ['PSUBSCRIBE', 'p*']]);
    await hello3(b);
    await b.all([['CLIENT', 'TRACKING', 'on'], ['GET', 'k'], ['SSUBSCRIBE', 's1']]);
    await sameClient(c, a, 'subscribed');
    await sameClient(c, b, 'tracking');
    await c.same('PUBLISH', 'c1', 'm');
    await reply(a, 'message');
    await reply(a, 'pmessage');
    await c.same('SET', 'k', 'v');
    await reply(b, 'invalidate');
    await c.all([['PUBSUB', 'NUMPAT'], ['PUBSUB', 'NUMSUB', 'c1', 'c3'], ['SPUBLISH', 's1', 'x']]);
    await reply(b, 'smessage');
    await a.all([['UNSUBSCRIBE', 'c1'], ['PING']]);
    await sameClient(c, a, 'one channel left');
  }, 'pub/sub and tracking');
  await sameCounters(c, async () => {
    send(a, 'RESET');
    await reply(a, 'RESET');
    send(a, 'BLPOP', 'q', '10');
    await waitBlocked(c, 1);
    await sameClient(c, a, 'blocked with a timeout');
    await c.same('LPUSH', 'q', 'v');
    await reply(a, 'served');
    await sameClient(c, a, 'served');
    const obs = await connect();
    await idsOf(c);
    await c.all([['WATCH', 'k'], ['MULTI'], ['GET', 'k']]);
    await sameClient(obs, c, 'in MULTI');
    await sameClient(obs, obs, 'fresh');
    await c.same('EXEC');
  }, 'blocked and transactions');
});

test.run();
