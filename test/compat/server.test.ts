// Server commands against redis-server: INFO (sections, field names, counters), COMMAND and its
// subcommands, TIME, LASTSAVE, SHUTDOWN's arguments, SLOWLOG, DEBUG and MEMORY.
import * as assert from 'uvu/assert';
import { compatSuite, show } from './_compat.ts';
import type { RespClient } from '../_helpers.ts';
import type { Reply } from '../_resp.ts';

const test = compatSuite('server');

type Section = { title: string; fields: [string, string][] };

function parseInfo(text: string): Section[] {
  const out: Section[] = [];
  for (const line of text.split('\r\n')) {
    if (line.startsWith('# ')) out.push({ title: line.slice(2), fields: [] });
    else if (line !== '') out[out.length - 1].fields.push([line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)]);
  }
  return out;
}

async function info(cl: RespClient, ...args: string[]): Promise<Section[]> {
  return parseInfo((await cl.call('INFO', ...args)) as string);
}

function section(s: Section[], title: string): Map<string, string> {
  return new Map(s.find((x) => x.title === title)?.fields ?? []);
}

/** Lines of a help reply. */
function lines(r: Reply): string[] {
  return (r as { value: { value: string }[] }).value.map((x) => x.value);
}

/** Asserts every line of `mine` is in `theirs`, in the same order. */
function subsequence(mine: string[], theirs: string[], what: string): void {
  let at = 0;
  for (const line of mine) {
    const found = theirs.indexOf(line, at);
    assert.ok(found >= 0, `${what}: ${JSON.stringify(line)} is in Redis's, in order`);
    at = found + 1;
  }
}

test('INFO selects the same sections for every argument combination', async ({ c }) => {
  const combos = [
    [], ['default'], ['all'], ['everything'], ['server', 'keyspace'], ['KEYSPACE', 'Server'], ['nosuch'],
    ['errorstats'], ['commandstats', 'cpu'], ['modules'], ['latencystats'], ['default', 'commandstats'],
    ['all', 'nosuch'], ['cluster'], ['persistence', 'persistence'], ['CLIENTS'], ['memory', 'stats'],
    ['replication'],
  ];
  for (const args of combos) {
    const [r, e] = await Promise.all([info(c.redis, ...args), info(c.echo, ...args)]);
    assert.equal(e.map((s) => s.title), r.map((s) => s.title), `sections of INFO ${args.join(' ')}`);
  }
  await c.same('INFO', 'nosuch');
  await c.same('INFO', 'nosuch', 'other');
});

test('INFO: every field Redis 7.0 prints, in its order', async ({ c }) => {
  await c.all([['SET', 'a', '1'], ['SET', 'b', '2'], ['EXPIRE', 'b', '1000'], ['SELECT', '5'], ['SET', 'c', '3'], ['SELECT', '0']]);
  const [r, e] = await Promise.all([info(c.redis, 'everything'), info(c.echo, 'everything')]);
  for (const title of ['Server', 'Clients', 'Memory', 'Persistence', 'Stats', 'Replication', 'CPU', 'Modules', 'Cluster']) {
    const theirs = [...section(r, title).keys()];
    // echokv adds its own version and runtime at the end of Server; nothing else is extra.
    const mine = [...section(e, title).keys()].filter((k) => !k.startsWith('echokv_'));
    assert.equal(mine, theirs, `fields of # ${title}`);
  }
  const ek = section(e, 'Keyspace');
  const rk = section(r, 'Keyspace');
  assert.equal([...ek.keys()], [...rk.keys()]);
  for (const [db, v] of rk) {
    const strip = (x: string): string => x.replace(/,avg_ttl=\d+$/, '');
    assert.is(strip(ek.get(db)!), strip(v), `keyspace line of ${db}`);
    assert.match(ek.get(db)!, /^keys=\d+,expires=\d+,avg_ttl=\d+$/);
  }
  const server = section(e, 'Server');
  assert.is(server.get('redis_version'), '7.0.15');
  assert.is(server.get('redis_mode'), 'standalone');
  assert.is(server.get('arch_bits'), '64');
  assert.is(server.get('tcp_port'), String(c.echo.socket.remotePort));
  assert.match(server.get('run_id')!, /^[0-9a-f]{40}$/);
  const mem = section(e, 'Memory');
  for (const k of ['used_memory', 'used_memory_rss', 'used_memory_peak', 'used_memory_startup']) {
    assert.match(mem.get(k)!, /^\d+$/, k);
  }
  assert.match(mem.get('used_memory_human')!, /^\d+(\.\d\d[KMGTP])?B?$/);
  assert.match(mem.get('mem_fragmentation_ratio')!, /^\d+\.\d\d$/);
  assert.match(mem.get('used_memory_peak_perc')!, /^\d+\.\d\d%$/);
  assert.is(section(e, 'Replication').get('role'), 'master');
  assert.match(section(e, 'CPU').get('used_cpu_user')!, /^\d+\.\d{6}$/);
});

test('INFO is a bulk string in RESP2 and a verbatim string in RESP3', async ({ c }) => {
  await c.both('HELLO', '3');
  const [r, e] = await c.both('INFO', 'cluster');
  assert.is(e.reply.type, r.reply.type);
  assert.is(show(e.bytes), show(r.bytes));
  await c.both('HELLO', '2');
  await c.same('INFO', 'cluster');
  await c.same('INFO', 'modules');
});

test('INFO commandstats, errorstats and error counters', async ({ c }) => {
  await c.all([['CONFIG', 'RESETSTAT']]);
  await c.all([
    ['SET', 'k', 'v'], ['GET', 'k'], ['GET', 'k', 'x'], ['NOSUCH'], ['PING', 'a', 'b'], ['SELECT', 'x'],
    ['CLIENT', 'FOO'], ['CLIENT'], ['CLIENT', 'SETNAME', 'a b'], ['CLIENT', 'GETNAME'], ['ECHO'],
    ['SELECT', '99'], ['HELLO', '9'], ['COMMAND', 'COUNT', 'x'], ['INFO', 'nosuch'],
  ]);
  const [r, e] = await Promise.all([info(c.redis, 'commandstats', 'errorstats', 'stats'), info(c.echo, 'commandstats', 'errorstats', 'stats')]);
  const counts = (s: Section[]): Map<string, string> => {
    const m = new Map<string, string>();
    for (const [k, v] of section(s, 'Commandstats')) m.set(k, v.replace(/usec=\d+,usec_per_call=[\d.]+,/, ''));
    return m;
  };
  const rc = counts(r);
  const ec = counts(e);
  // CONFIG itself (resetstat) is counted by both; compare every command redis-server reports.
  assert.equal([...ec.keys()].sort(), [...rc.keys()].sort(), 'commands in commandstats');
  for (const [k, v] of rc) assert.is(ec.get(k), v, k);
  assert.equal([...section(e, 'Errorstats')], [...section(r, 'Errorstats')], 'errorstats');
  for (const k of ['total_error_replies', 'unexpected_error_replies', 'total_commands_processed']) {
    assert.is(section(e, 'Stats').get(k), section(r, 'Stats').get(k), k);
  }
  assert.match(section(e, 'Commandstats').get('cmdstat_get')!, /^calls=1,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=1,failed_calls=0$/);
});

test('the change count (rdb_changes_since_last_save) moves as in Redis, FLUSHDB and FLUSHALL included', async ({ c }) => {
  const changes = async (): Promise<[number, number]> => {
    const [r, e] = await Promise.all([info(c.redis, 'persistence'), info(c.echo, 'persistence')]);
    return [Number(section(r, 'Persistence').get('rdb_changes_since_last_save')), Number(section(e, 'Persistence').get('rdb_changes_since_last_save'))];
  };
  const script: string[][] = [
    ['SET', 'a', '1'], ['SET', 'b', '2'], ['MSET', 'c', '3', 'd', '4'], ['DEL', 'a', 'nope'], ['FLUSHDB'], ['FLUSHDB'],
    ['RPUSH', 'l', 'x', 'y', 'z'], ['HSET', 'h', 'f', '1', 'g', '2'], ['SELECT', '1'], ['SET', 'o', '1'], ['SELECT', '0'],
    ['FLUSHALL'], ['FLUSHALL'], ['SADD', 's', '1', '2'], ['FLUSHALL', 'ASYNC'],
  ];
  for (const cmd of script) {
    const [r0, e0] = await changes();
    await c.same(...cmd);
    const [r1, e1] = await changes();
    assert.is(e1 - e0, r1 - r0, `changes counted for ${cmd.join(' ')}`);
  }
});

test('INFO latencystats lists the commands run, with the configured percentiles', async ({ c }) => {
  await c.all([['CONFIG', 'RESETSTAT'], ['PING'], ['ECHO', 'x'], ['CLIENT', 'GETNAME']]);
  const [r, e] = await Promise.all([info(c.redis, 'latencystats'), info(c.echo, 'latencystats')]);
  const rl = section(r, 'Latencystats');
  const el = section(e, 'Latencystats');
  assert.equal([...el.keys()].sort(), [...rl.keys()].sort());
  for (const [k, v] of el) {
    assert.match(v, /^p50=\d+\.\d{3},p99=\d+\.\d{3},p99\.9=\d+\.\d{3}$/, k);
    assert.equal(v.replace(/=[\d.]+/g, ''), rl.get(k)!.replace(/=[\d.]+/g, ''));
  }
});

test('COMMAND INFO of connection and server commands matches byte for byte', async ({ c }) => {
  const names = [
    'ping', 'echo', 'quit', 'select', 'auth', 'hello', 'reset', 'info', 'time', 'lastsave', 'shutdown',
    'monitor', 'debug', 'client|id', 'client|setname', 'client|getname', 'client|list', 'client|info',
    'client|kill', 'client|pause', 'client|unpause', 'client|reply', 'client|no-evict', 'client|help',
    'command|count', 'command|list', 'command|info', 'command|docs', 'command|getkeys',
    'command|getkeysandflags', 'command|help', 'slowlog|get', 'slowlog|len', 'slowlog|reset',
    'slowlog|help', 'memory|usage', 'memory|stats', 'memory|malloc-stats', 'memory|purge', 'memory|help',
  ];
  for (const n of names) await c.same('COMMAND', 'INFO', n);
  await c.same('COMMAND', 'INFO', 'nosuch', 'PING', 'CLIENT|ID', 'client|nosuch', 'ping|x', 'client|id|x');
  await c.both('HELLO', '3');
  for (const n of ['ping', 'memory|usage', 'client|list']) await c.same('COMMAND', 'INFO', n);
  await c.both('HELLO', '2');
});

test('COMMAND INFO of containers: the same subcommands, each identical', async ({ c }) => {
  for (const name of ['client', 'command', 'slowlog', 'memory']) {
    const [r, e] = await c.both('COMMAND', 'INFO', name);
    const top = (x: Reply): Reply[] => ((x as { value: Reply[] }).value[0] as { value: Reply[] }).value;
    const rt = top(r.reply);
    const et = top(e.reply);
    // The first nine fields are the container's own.
    const json = (x: unknown): string => JSON.stringify(x, (_k, y) => (typeof y === 'bigint' ? String(y) : y));
    assert.is(json(et.slice(0, 9)), json(rt.slice(0, 9)), `${name} itself`);
    const subs = (x: Reply[]): Map<string, string> => new Map((x[9] as { value: Reply[] }).value.map((s) => {
      const v = (s as { value: Reply[] }).value;
      return [(v[0] as { value: string }).value, JSON.stringify(v, (_k, y) => (typeof y === 'bigint' ? String(y) : y))];
    }));
    const rs = subs(rt);
    for (const [sub, json] of subs(et)) assert.is(json, rs.get(sub), `${sub} as part of ${name}`);
  }
});

test('COMMAND DOCS of connection and server commands', async ({ c }) => {
  // Commands whose Redis docs have no history or per-argument `since` match byte for byte.
  const exact = [
    'ping', 'echo', 'select', 'quit', 'reset', 'time', 'lastsave', 'monitor', 'client|id', 'client|getname',
    'client|setname', 'client|info', 'client|unpause', 'client|help',
    'command|count', 'command|docs', 'command|info', 'command|getkeys', 'command|getkeysandflags',
    'command|help', 'slowlog|len', 'slowlog|reset', 'slowlog|help', 'memory|stats', 'memory|help',
    'memory|usage', 'memory|purge', 'memory|malloc-stats', 'debug', 'info', 'slowlog|get',
  ];
  for (const n of exact) await c.same('COMMAND', 'DOCS', n);
  await c.same('COMMAND', 'DOCS', 'nosuch');
  await c.same('COMMAND', 'DOCS', 'nosuch', 'ECHO', 'Client|Id');
  await c.both('HELLO', '3');
  await c.same('COMMAND', 'DOCS', 'echo', 'memory|usage');
  await c.both('HELLO', '2');
});

test('COMMAND GETKEYS and GETKEYSANDFLAGS', async ({ c }) => {
  await c.all([
    ['COMMAND', 'GETKEYS'], ['COMMAND', 'GETKEYS', 'nosuch'], ['COMMAND', 'GETKEYS', 'nosuch', 'a'],
    ['COMMAND', 'GETKEYS', 'get'], ['COMMAND', 'GETKEYS', 'ping', 'a'], ['COMMAND', 'GETKEYS', 'get', 'a', 'b'],
    ['COMMAND', 'GETKEYS', 'get', 'k'], ['COMMAND', 'GETKEYS', 'GET', '\xff\x00'],
    ['COMMAND', 'GETKEYS', 'client', 'list'], ['COMMAND', 'GETKEYS', 'client', 'nosuch'],
    ['COMMAND', 'GETKEYS', 'memory', 'usage', 'k'], ['COMMAND', 'GETKEYS', 'MEMORY', 'USAGE', 'k', 'SAMPLES', '5'],
    ['COMMAND', 'GETKEYS', 'set', 'a', 'b', 'EX', '10'], ['COMMAND', 'GETKEYSANDFLAGS', 'get'],
    ['COMMAND', 'GETKEYSANDFLAGS', 'get', 'k'], ['COMMAND', 'GETKEYSANDFLAGS', 'memory', 'usage', 'k'],
    ['COMMAND', 'GETKEYSANDFLAGS', 'ping', 'x'],
  ]);
});

test('COMMAND LIST and its filters', async ({ c }) => {
  await c.all([
    ['COMMAND', 'LIST', 'FILTERBY'], ['COMMAND', 'LIST', 'FOO'], ['COMMAND', 'LIST', 'FILTERBY', 'FOO', 'x'],
    ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN'], ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'a', 'b'],
    ['COMMAND', 'LIST', 'FILTERBY', 'MODULE', 'foo'], ['COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'nosuch'],
    ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'nosuch*'],
  ]);
  const all = new Set((await c.echo.call('COMMAND', 'LIST')) as string[]);
  const filters = [['ACLCAT', 'connection'], ['ACLCAT', 'CONNECTION'], ['ACLCAT', 'dangerous'], ['PATTERN', 'client*'],
    ['PATTERN', 'C*E'], ['PATTERN', '*|*'], ['pattern', 'ping'], ['ACLCAT', 'read']];
  for (const f of filters) {
    const [r, e] = await c.both('COMMAND', 'LIST', 'FILTERBY', ...f);
    const theirs = ((r.reply as { value: { value: string }[] }).value).map((x) => x.value).filter((n) => all.has(n)).sort();
    const mine = ((e.reply as { value: { value: string }[] }).value).map((x) => x.value).sort();
    assert.equal(mine, theirs, `COMMAND LIST FILTERBY ${f.join(' ')}`);
  }
  const count = (await c.echo.call('COMMAND', 'COUNT')) as number;
  assert.is(((await c.echo.call('COMMAND')) as unknown[]).length, count);
  assert.is(((await c.echo.call('COMMAND', 'INFO')) as unknown[]).length, count);
  assert.is(((await c.echo.call('COMMAND', 'DOCS')) as unknown[]).length, count * 2);
  await c.all([['COMMAND', 'COUNT', 'x'], ['COMMAND', 'FOO'], ['COMMAND', 'HELP'], ['COMMAND', 'HELP', 'x']]);
});

test('TIME and LASTSAVE', async ({ c }) => {
  const [r, e] = await c.both('TIME');
  const rt = (r.reply as { value: { value: string }[] }).value.map((x) => x.value);
  const et = (e.reply as { value: { value: string }[] }).value.map((x) => x.value);
  assert.is(e.reply.type, 'array');
  assert.is(et.length, 2);
  assert.match(et[0], /^\d+$/);
  assert.match(et[1], /^\d{1,6}$/);
  assert.ok(Math.abs(Number(et[0]) - Number(rt[0])) <= 2, 'same clock');
  // Microseconds, as gettimeofday() gives them, not milliseconds times 1000; never going back.
  const times: bigint[] = [];
  for (let i = 0; i < 20; i++) {
    const [s, us] = (await c.echo.call('TIME')) as string[];
    times.push(BigInt(s) * 1000000n + BigInt(us));
  }
  assert.ok(times.some((t) => t % 1000n !== 0n), `microseconds: ${times.join(' ')}`);
  for (let i = 1; i < times.length; i++) assert.ok(times[i] >= times[i - 1], `TIME went back: ${times.join(' ')}`);
  await c.all([['TIME', 'x'], ['LASTSAVE', 'x']]);
  const [rl, el] = await c.both('LASTSAVE');
  assert.is(el.reply.type, rl.reply.type);
});

test('SHUTDOWN arguments', async ({ c }) => {
  await c.all([
    ['SHUTDOWN', 'ABORT'], ['SHUTDOWN', 'FOO'], ['SHUTDOWN', 'SAVE', 'NOSAVE'], ['SHUTDOWN', 'NOW', 'NOW', 'ABORT'],
    ['SHUTDOWN', 'ABORT', 'NOW'], ['SHUTDOWN', 'NOSAVE', 'ABORT'], ['SHUTDOWN', 'abort'], ['SHUTDOWN', 'FORCE', 'ABORT'],
  ]);
});

test('SLOWLOG: entries, arguments, errors', async ({ c }) => {
  await c.all([['CONFIG', 'SET', 'slowlog-log-slower-than', '0'], ['SLOWLOG', 'RESET'], ['CLIENT', 'SETNAME', 'slow']]);
  const long = 'k'.repeat(200);
  const many = Array.from({ length: 40 }, (_, i) => String(i));
  await c.all([['SET', long, 'v'], ['ECHO', 'x\xff'], ['AUTH', 'secret']]);
  await c.both('HELLO', '2', 'AUTH', 'default', 'pw');
  await c.all([['PING', ...many.slice(0, 1)], ['EXISTS', ...many]]);
  const [r, e] = await c.both('SLOWLOG', 'GET', '-1');
  // id, time, duration, args, peer, name: all but time, duration and peer are comparable.
  // Ids keep counting across SLOWLOG RESET, and slow commands of earlier tests differ between
  // the servers, so ids are compared relative to the newest entry.
  const norm = (x: Reply): string => {
    const entries = (x as { value: Reply[] }).value.map((entry) => (entry as { value: Reply[] }).value);
    const top = entries.length > 0 ? (entries[0][0] as { value: bigint }).value : 0n;
    return JSON.stringify(entries.map((v) => [top - (v[0] as { value: bigint }).value, v[3], v[5], v.length]),
      (_k, y) => (typeof y === 'bigint' ? String(y) : y));
  };
  assert.is(norm(e.reply), norm(r.reply));
  await c.all([
    ['SLOWLOG', 'GET', 'x'], ['SLOWLOG', 'GET', '-2'], ['SLOWLOG', 'GET', '1', '2'], ['SLOWLOG', 'FOO'],
    ['SLOWLOG'], ['SLOWLOG', 'RESET', 'x'], ['SLOWLOG', 'LEN', 'x'], ['SLOWLOG', 'HELP'],
    ['SLOWLOG', 'GET', '99999999999999999999'], ['SLOWLOG', 'RESET'], ['SLOWLOG', 'LEN'], ['SLOWLOG', 'GET', '0'],
  ]);
  const [r2, e2] = await c.both('SLOWLOG', 'GET', '1');
  assert.is(norm(e2.reply), norm(r2.reply));
  await c.all([['CONFIG', 'SET', 'slowlog-log-slower-than', '10000'], ['CLIENT', 'SETNAME', '']]);
});

test('MONITOR: the feed, including the monitor\'s own commands, redaction and db numbers', async ({ connect }) => {
  const mon = await connect();
  const user = await connect();
  await mon.same('MONITOR');
  const commands = [
    ['PING'], ['SELECT', '3'], ['SET', 'k', 'a b"\\\n\xff\x00\x7f\t'], ['NOSUCH', 'x'], ['GET'], ['AUTH', 'x'],
    ['AUTH', 'default', 'x'], ['AUTH', 'a', 'b', 'c'], ['HELLO', '2', 'AUTH', 'default', 'pw'], ['HELLO', '2', 'SETNAME', 'me'],
    ['CLIENT', 'LIST'], ['DEBUG', 'SLEEP', '0'], ['INFO', 'cluster'], ['CLIENT', 'SETNAME', 'x'], ['COMMAND', 'COUNT'],
    ['SHUTDOWN', 'ABORT'], ['SLOWLOG', 'LEN'], ['CONFIG', 'GET', 'port'], ['MONITOR'], ['CLIENT', 'KILL', 'ID', '99999'],
    ['SELECT', '0'], ['ECHO', 'after'],
  ];
  // The replies (ids, counts) are not the point here; the feed is.
  for (const cmd of commands.slice(0, -3)) await user.both(...cmd);
  const collect = async (cl: RespClient, until: string): Promise<string[]> => {
    const out: string[] = [];
    for (;;) {
      const line = (await cl.read()) as string;
      out.push(line.replace(/^\d+\.\d{6} \[(\d+) [^\]]+\]/, '[$1 ADDR]'));
      if (line.includes(until)) return out;
    }
  };
  // The user turned into a monitor too: it now sees its own commands after their replies.
  await Promise.all([user.redis.callRaw('SELECT', '0'), user.echo.callRaw('SELECT', '0')]);
  await Promise.all([user.redis.call('ECHO', 'after'), user.echo.call('ECHO', 'after')]);
  const [ru, eu] = await Promise.all([collect(user.redis, '"after"'), collect(user.echo, '"after"')]);
  assert.equal(eu, ru);
  const [r, e] = await Promise.all([collect(mon.redis, '"after"'), collect(mon.echo, '"after"')]);
  assert.equal(e, r);
  // A second MONITOR is ignored without a reply; RESET leaves monitor mode.
  for (const cl of [mon.redis, mon.echo]) cl.write('*1\r\n$7\r\nMONITOR\r\n*1\r\n$5\r\nRESET\r\n');
  const [r2, e2] = await Promise.all([collect(mon.redis, 'RESET'), collect(mon.echo, 'RESET')]);
  assert.equal(e2, r2);
  await mon.same('PING');
});

test('MONITOR lines carry a microsecond timestamp', async ({ connect }) => {
  const mon = await connect();
  const user = await connect();
  await mon.same('MONITOR');
  await user.same('PING');
  const line = (await mon.echo.read()) as string;
  assert.match(line, /^\d{10}\.\d{6} \[0 127\.0\.0\.1:\d+\] "PING"$/);
  await mon.redis.read();
});

test('DEBUG: subcommands echokv has, and their errors', async ({ c }) => {
  await c.all([
    ['DEBUG'], ['DEBUG', 'FOO'], ['DEBUG', 'SLEEP'], ['DEBUG', 'SLEEP', 'x'], ['DEBUG', 'SLEEP', '0'],
    ['DEBUG', 'SLEEP', '-1'], ['DEBUG', 'SLEEP', '0.01'], ['DEBUG', 'SLEEP', '0', '1'], ['DEBUG', 'OBJECT'],
    ['DEBUG', 'OBJECT', 'a', 'b'], ['DEBUG', 'OBJECT', 'nokey'], ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'],
    ['DEBUG', 'SET-ACTIVE-EXPIRE', 'x'], ['DEBUG', 'SET-ACTIVE-EXPIRE', '1'], ['DEBUG', 'ERROR', 'FOO bar'],
    ['DEBUG', 'ERROR', 'x'], ['DEBUG', 'ERROR', '-y\r\nz'], ['DEBUG', 'LOG', 'hello'], ['DEBUG', 'POPULATE', '3'], ['DEBUG', 'POPULATE', 'x'],
    ['DEBUG', 'POPULATE', '-1'], ['DEBUG', 'POPULATE', '2', 'pre', '10'], ['DEBUG', 'POPULATE', '2', 'pre2', '3'],
    ['MGET', 'key:0', 'key:2', 'key:3', 'pre:0', 'pre:1', 'pre2:1'], ['DEBUG', 'POPULATE', '2', 'p', 'x'],
    ['DEBUG', 'POPULATE', '0'], ['DEBUG', 'POPULATE', '5'], ['DBSIZE'], ['DEBUG', 'protocol', 'FOO'],
    ['DEBUG', 'AOF-FLUSH-SLEEP'], ['DEBUG', 'AOF-FLUSH-SLEEP', 'x'], ['DEBUG', 'aof-flush-sleep', '0', '1'],
    ['DEBUG', 'AOF-FLUSH-SLEEP', '0'],
  ]);
  const [r, e] = await c.both('DEBUG', 'HELP');
  subsequence(lines(e.reply), lines(r.reply), 'DEBUG HELP');
});

test('DEBUG PROTOCOL in RESP2 and RESP3', async ({ c }) => {
  const types = ['string', 'integer', 'double', 'bignum', 'null', 'array', 'set', 'map', 'attrib', 'push', 'verbatim', 'true', 'false'];
  for (const t of types) await c.same('DEBUG', 'PROTOCOL', t);
  await c.both('HELLO', '3');
  for (const t of types) {
    if (t === 'attrib' || t === 'push') {
      // Two replies each: the attribute or push, and the reply that follows it.
      await c.sameRaw(`DEBUG PROTOCOL ${t}\r\n`);
    } else {
      await c.same('DEBUG', 'PROTOCOL', t);
    }
  }
  await c.both('HELLO', '2');
});

test('DEBUG OBJECT of strings', async ({ c }) => {
  const values = ['bar', '123', '12345678901', '99999', '-5', '10000', 'x'.repeat(44), 'x'.repeat(45), '', '\xff\x00'];
  for (const v of values) {
    await c.same('SET', 'k', v);
    const [r, e] = await c.both('DEBUG', 'OBJECT', 'k');
    // Addresses, LRU clocks and idle seconds are the servers' own.
    const norm = (b: string): string => b.replace(/Value at:0x[0-9a-f]+/, 'Value at:ADDR').replace(/ lru:\d+ lru_seconds_idle:\d+/, ' lru:N lru_seconds_idle:N');
    // serializedlength included: the LZF-compressed size for the long ones, as Redis reckons it.
    assert.is(show(norm(e.bytes)), show(norm(r.bytes)), `DEBUG OBJECT of ${JSON.stringify(v)}`);
  }
});

test('MEMORY USAGE and the other MEMORY subcommands', async ({ c }) => {
  await c.all([
    ['SET', 'k', 'v'], ['MEMORY', 'USAGE', 'nokey'], ['MEMORY', 'USAGE', 'k', 'SAMPLES', 'x'],
    ['MEMORY', 'USAGE', 'k', 'SAMPLES', '-1'], ['MEMORY', 'USAGE', 'k', 'SAMPLES'], ['MEMORY', 'USAGE', 'k', 'FOO', '1'],
    ['MEMORY', 'USAGE'], ['MEMORY'], ['MEMORY', 'FOO'], ['MEMORY', 'PURGE'], ['MEMORY', 'PURGE', 'x'],
    ['MEMORY', 'HELP', 'x'], ['MEMORY', 'STATS', 'x'], ['MEMORY', 'USAGE', 'nokey', 'SAMPLES', '0'],
  ]);
  for (const args of [['k'], ['k', 'SAMPLES', '0'], ['k', 'samples', '10']]) {
    const [r, e] = await c.both('MEMORY', 'USAGE', ...args);
    assert.is(e.reply.type, r.reply.type);
  }
  const [r, e] = await c.both('MEMORY', 'HELP');
  subsequence(lines(e.reply), lines(r.reply), 'MEMORY HELP');
  const [rs, es] = await c.both('MEMORY', 'STATS');
  const keys = (x: Reply): string[] => (x as { value: Reply[] }).value.filter((_, i) => i % 2 === 0).map((k) => (k as { value: string }).value);
  assert.equal(keys(es.reply), keys(rs.reply));
});

test.run();
