// The cluster commands of a server without cluster mode (redis-server 7.0 with
// `cluster-enabled no`): every CLUSTER subcommand, READONLY, READWRITE and ASKING refuse with
// Redis's error once their arity is right, and RESTORE-ASKING works as RESTORE does.
import * as assert from 'uvu/assert';
import { compatSuite, type Compat } from './_compat.ts';

// Every CLUSTER subcommand of Redis 7.0 with arguments its arity accepts; the first
// `fixed` of them (0: none is optional) make the exact count of a positive arity.
const SUBCOMMANDS: [string, string[], number][] = [
  ['ADDSLOTS', ['1', '2'], -3],
  ['ADDSLOTSRANGE', ['1', '10'], -4],
  ['BUMPEPOCH', [], 2],
  ['COUNT-FAILURE-REPORTS', ['abc'], 3],
  ['COUNTKEYSINSLOT', ['1'], 3],
  ['DELSLOTS', ['1'], -3],
  ['DELSLOTSRANGE', ['1', '10', '20', '30'], -4],
  ['FAILOVER', [], -2],
  ['FLUSHSLOTS', [], 2],
  ['FORGET', ['abc'], 3],
  ['GETKEYSINSLOT', ['1', '10'], 4],
  ['HELP', [], 2],
  ['INFO', [], 2],
  ['KEYSLOT', ['somekey'], 3],
  ['LINKS', [], 2],
  ['MEET', ['127.0.0.1', '7000'], -4],
  ['MYID', [], 2],
  ['NODES', [], 2],
  ['REPLICAS', ['abc'], 3],
  ['REPLICATE', ['abc'], 3],
  ['RESET', ['HARD'], -2],
  ['SAVECONFIG', [], 2],
  ['SET-CONFIG-EPOCH', ['1'], 3],
  ['SETSLOT', ['1', 'STABLE'], -4],
  ['SHARDS', [], 2],
  ['SLAVES', ['abc'], 3],
  ['SLOTS', [], 2],
];

const test = compatSuite('cluster commands without cluster mode');

/** INFO commandstats lines of the commands `re` matches, without their timings. */
async function commandstats(client: Compat['redis'], re: RegExp): Promise<string[]> {
  const text = String(await client.call('INFO', 'commandstats'));
  return text.split('\r\n').filter((l) => re.test(l)).map((l) => l.replace(/,?usec(_per_call)?=[0-9.]+/g, '')).sort();
}

test('the list of CLUSTER subcommands is Redis 7.0\'s', async ({ c }) => {
  const names = (await c.redis.call('COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'cluster|*')) as string[];
  assert.equal(names.sort(), SUBCOMMANDS.map(([s]) => `cluster|${s.toLowerCase()}`).sort());
  await c.sameUnordered('COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'cluster*');
  await c.sameUnordered('COMMAND', 'LIST', 'FILTERBY', 'PATTERN', '*a*ing');
});

test('every CLUSTER subcommand refuses, HELP included, in any letter case', async ({ c }) => {
  for (const [sub, args, arity] of SUBCOMMANDS) {
    await c.same('CLUSTER', sub, ...args);
    await c.same('cluster', sub.toLowerCase(), ...args);
    // Optional arguments are accepted too.
    if (arity < 0) await c.same('Cluster', sub, ...args, 'extra', 'more');
  }
  await c.same('CLUSTER', 'RESET', 'SOFT');
  await c.same('CLUSTER', 'FAILOVER', 'TAKEOVER');
  await c.same('CLUSTER', 'MEET', '127.0.0.1', '7000', '17000');
  await c.same('CLUSTER', 'SETSLOT', '1', 'NODE', 'abc');
  // Arguments are not checked before the refusal.
  await c.same('CLUSTER', 'KEYSLOT', '');
  await c.same('CLUSTER', 'COUNTKEYSINSLOT', 'notanumber');
  await c.same('CLUSTER', 'SETSLOT', 'x', 'BOGUS', 'y');
});

test('arity errors come first and name the subcommand', async ({ c }) => {
  await c.same('CLUSTER');
  await c.same('cluster');
  for (const [sub, args, arity] of SUBCOMMANDS) {
    if (arity > 0) {
      await c.same('CLUSTER', sub, ...args, 'extra');
      if (arity > 2) await c.same('CLUSTER', sub, ...args.slice(0, arity - 3));
    } else if (arity < -2) {
      await c.same('CLUSTER', sub, ...args.slice(0, -arity - 3));
    }
  }
  await c.same('CLUSTER', 'HELP', 'x');
  await c.same('CLUSTER', 'KEYSLOT');
  await c.same('CLUSTER', 'GETKEYSINSLOT', '1');
});

test('unknown subcommands', async ({ c }) => {
  await c.same('CLUSTER', 'FOO');
  await c.same('cluster', 'foo', 'bar', 'baz');
  await c.same('CLUSTER', '');
  await c.same('CLUSTER', 'X'.repeat(200));
  await c.same('CLUSTER|INFO');
  await c.same('cluster|keyslot', 'k');
});

test('READONLY, READWRITE and ASKING refuse; with arguments they are arity errors', async ({ c }) => {
  for (const cmd of ['READONLY', 'READWRITE', 'ASKING']) {
    await c.same(cmd);
    await c.same(cmd.toLowerCase());
    await c.same(cmd, 'x');
  }
  // Nothing changed for the connection: reads and writes work as before.
  await c.same('SET', 'k', 'v');
  await c.same('GET', 'k');
});

test('inside MULTI the refusals are EXEC\'s replies; an arity error aborts the transaction', async ({ c }) => {
  await c.all([
    ['MULTI'], ['READONLY'], ['CLUSTER', 'INFO'], ['ASKING'], ['SET', 'k', 'v'], ['CLUSTER', 'KEYSLOT', 'k'], ['EXEC'],
    ['GET', 'k'],
    ['MULTI'], ['CLUSTER', 'INFO'], ['CLUSTER'], ['EXEC'],
    ['MULTI'], ['SET', 'k2', 'v'], ['CLUSTER', 'NOPE'], ['EXEC'],
    ['MULTI'], ['READWRITE', 'x'], ['EXEC'],
    ['EXISTS', 'k2'],
  ]);
});

test('the refusals are failed calls and ERR errors in INFO; arity errors are rejected calls', async ({ c }) => {
  await c.same('CONFIG', 'RESETSTAT');
  await c.all([
    ['CLUSTER', 'INFO'], ['CLUSTER', 'INFO'], ['CLUSTER', 'INFO', 'x'], ['CLUSTER', 'SLOTS'], ['CLUSTER'], ['CLUSTER', 'NOPE'],
    ['READONLY'], ['READONLY', 'x'], ['READWRITE'], ['ASKING'],
  ]);
  const re = /^cmdstat_(cluster|readonly|readwrite|asking)\b/;
  assert.equal(await commandstats(c.echo, re), await commandstats(c.redis, re));
  const errors = async (client: Compat['redis']): Promise<string> => String(await client.call('INFO', 'errorstats'));
  assert.is(await errors(c.echo), await errors(c.redis));
});

test('COMMAND INFO, DOCS and GETKEYS of the new commands', async ({ c }) => {
  await c.same('COMMAND', 'INFO', 'readonly', 'readwrite', 'asking', 'restore-asking', 'RESTORE-ASKING');
  for (const [sub] of SUBCOMMANDS) await c.same('COMMAND', 'INFO', `cluster|${sub.toLowerCase()}`);
  await c.same('COMMAND', 'DOCS', 'readonly', 'readwrite', 'asking');
  // CLUSTER's own subcommand lists come in the order of Redis's dict: compared by
  // test/compat/command_info.test.ts; these have no argument lists to differ in.
  for (const sub of ['slots', 'info', 'myid', 'bumpepoch', 'help', 'shards', 'links']) {
    await c.same('COMMAND', 'DOCS', `cluster|${sub}`);
  }
  await c.same('COMMAND', 'GETKEYS', 'RESTORE-ASKING', 'k', '0', 'payload');
  await c.same('COMMAND', 'GETKEYSANDFLAGS', 'restore-asking', 'k', '0', 'payload', 'REPLACE');
  await c.same('COMMAND', 'GETKEYS', 'restore-asking', 'k');
  await c.same('COMMAND', 'GETKEYS', 'CLUSTER', 'KEYSLOT', 'k');
  await c.same('COMMAND', 'GETKEYS', 'CLUSTER', 'nope');
  await c.same('COMMAND', 'GETKEYS', 'READONLY');
  await c.same('COMMAND', 'GETKEYS', 'ASKING', 'x');
});

test('RESTORE-ASKING restores a DUMP payload as RESTORE does', async ({ c }) => {
  await c.same('RPUSH', 'src', 'a', 'b', 'c');
  await c.same('SET', 'str', 'hello');
  const list = (await c.redis.call('DUMP', 'src')) as string;
  const str = (await c.redis.call('DUMP', 'str')) as string;
  await c.same('RESTORE-ASKING', 'k', '0', list);
  await c.same('LRANGE', 'k', '0', '-1');
  await c.same('OBJECT', 'ENCODING', 'k');
  await c.same('TTL', 'k');
  // BUSYKEY, before the TTL and payload are looked at; REPLACE overwrites.
  await c.same('RESTORE-ASKING', 'k', '0', str);
  await c.same('restore-asking', 'k', 'abc', 'garbage');
  await c.same('RESTORE-ASKING', 'k', '0', str, 'REPLACE');
  await c.same('GET', 'k');
  await c.same('TYPE', 'k');
  // TTLs, relative and absolute; an absolute time in the past makes no key.
  await c.same('RESTORE-ASKING', 't', '100000', str);
  const [r, e] = await c.both('PTTL', 't');
  const ttl = (x: typeof r): number => Number((x.reply as { value: number | bigint }).value);
  assert.ok(ttl(r) > 90000 && ttl(e) > 90000 && Math.abs(ttl(r) - ttl(e)) < 5000, `PTTL ${ttl(r)} and ${ttl(e)}`);
  await c.same('RESTORE-ASKING', 'abs', '4102444800000', str, 'ABSTTL');
  await c.same('PEXPIRETIME', 'abs');
  await c.same('RESTORE-ASKING', 'past', '1', str, 'ABSTTL');
  await c.same('EXISTS', 'past');
  await c.same('RESTORE-ASKING', 'idle', '0', str, 'IDLETIME', '1000');
  await c.same('OBJECT', 'IDLETIME', 'idle');
});

test('RESTORE-ASKING errors are RESTORE\'s', async ({ c }) => {
  await c.same('SET', 'str', 'hello');
  const payload = (await c.redis.call('DUMP', 'str')) as string;
  await c.all([
    ['RESTORE-ASKING'], ['RESTORE-ASKING', 'k'], ['RESTORE-ASKING', 'k', '0'],
    ['RESTORE-ASKING', 'k', '0', 'bad'], ['RESTORE-ASKING', 'k', '0', ''],
    ['RESTORE-ASKING', 'k', 'abc', payload], ['RESTORE-ASKING', 'k', '-1', payload],
    ['RESTORE-ASKING', 'k', '0', payload, 'BOGUS'], ['RESTORE-ASKING', 'k', '0', payload, 'IDLETIME'],
    ['RESTORE-ASKING', 'k', '0', payload, 'FREQ', '256'], ['RESTORE-ASKING', 'k', '0', payload, 'IDLETIME', '1', 'FREQ', '1'],
    ['EXISTS', 'k'],
  ]);
  const flipped = payload.slice(0, 3) + String.fromCharCode(payload.charCodeAt(3) ^ 1) + payload.slice(4);
  await c.same('RESTORE-ASKING', 'k', '0', flipped);
  await c.same('EXISTS', 'k');
});

test('RESTORE-ASKING in MULTI, and its own line in INFO commandstats', async ({ c }) => {
  await c.same('SET', 'str', 'hello');
  const payload = (await c.redis.call('DUMP', 'str')) as string;
  await c.same('CONFIG', 'RESETSTAT');
  await c.all([
    ['MULTI'], ['RESTORE-ASKING', 'a', '0', payload], ['RESTORE-ASKING', 'a', '0', payload], ['GET', 'a'], ['EXEC'],
  ]);
  const re = /^cmdstat_restore/;
  assert.equal(await commandstats(c.echo, re), await commandstats(c.redis, re));
  assert.equal(await commandstats(c.echo, re), ['cmdstat_restore-asking:calls=2,rejected_calls=0,failed_calls=1']);
});

test.run();
