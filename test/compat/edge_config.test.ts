// Edge cases of CONFIG from a differential run against redis-server 7.0 (test/compat/config.test.ts
// has the broad sweeps): memory units whose product passes 2^64, values that need 64 bits or a
// sign to print back, maxclients against the open-files limit, several parameters and patterns
// at once, what CONFIG RESETSTAT clears in INFO, and config file lines refused or taken. Each reply must stay byte for byte the same.
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compatSuite, show } from './_compat.ts';
import { RespClient, startRedis } from '../_helpers.ts';
import { loadConfig } from '../../core/cli.ts';
import { createHost } from '../../plugins/host/node.ts';
import { Config } from '../../core/config/mod.ts';
import { asReadByFgets, ConfigFileError, loadConfigFile } from '../../core/config/parse.ts';

const test = compatSuite('edge config', { save: '' });

/** Sets each value, compares the reply and the value read back, then restores `restore`. */
async function sweep(
  c: { same: (...a: string[]) => Promise<unknown> }, name: string, values: string[], restore: string,
): Promise<void> {
  for (const value of values) {
    await c.same('CONFIG', 'SET', name, value);
    await c.same('CONFIG', 'GET', name);
  }
  assert.is(await c.same('CONFIG', 'SET', name, restore), 'OK');
}

test('memory units: the unit product wraps around 2^64 as in Redis 7.0, digits saturate', async ({ c }) => {
  const values = ['100000000000000000000kb', '18446744073709551615kb', '18014398509481984kb', '18014398509481983kb',
    '17179869184gb', '17179869183GB', '99999999999999999999999', '18446744073709551615', '18446744073709551616',
    '1k', '1kb', '1K', '1KB', '1m', '1Mb', '1g', '1gb', '1.5mb', '1tb', '-1', '-0', 'k', 'b', '1b', '1B', ' 1', '1 '];
  await sweep(c, 'maxmemory', values, '0');
  await sweep(c, 'cluster-link-sendbuf-limit', values, '0');
  // Signed directives: a product past 2^63 reads as negative and is out of range.
  await sweep(c, 'hash-max-listpack-value', values, '64');
  await sweep(c, 'proto-max-bulk-len', values, '512mb');
  await sweep(c, 'client-output-buffer-limit', [
    'normal 100000000000000000000kb 0 0', 'pubsub 18014398509481984kb 1 2', 'replica 1kb 18446744073709551615kb 0',
    'normal 1.5mb 0 0', 'normal 1K 1M 1', 'normal -1 0 0',
  ], 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60');
});

test('values that print back exactly: save seconds past 2^53, a -0 percentile', async ({ c }) => {
  await sweep(c, 'save', ['9223372036854775807 1', '99999999999999999999 1', '9007199254740993 2 1 1', '1 2147483648',
    '1 4294967296', '1 -1', '3600 1 300 100'], '');
  // string2d: a value past the double range or under it (ERANGE) is not a number; "inf" is one.
  await sweep(c, 'latency-tracking-info-percentiles', ['-0', '0', '-0 100', '0.0000001', '99.9999999', '1e1', '-0.0', '-1e-300',
    '8e654', '1e-400', '-1e-400', '1e-320', '0e-400', '0x1p-1080', '0x0p-1080', '0x1p2000', '1.8e308', '1e308', 'inf',
    '50 1e-400'], '50 99 99.9');
});

test('maxclients must fit the open-files limit: refused with the number that fits, nothing changed', async ({ c }) => {
  // Redis tries to raise the limit 16 descriptors at a time down from what it needs: values
  // far past the limit keep it busy for seconds.
  await c.all([
    ['CONFIG', 'SET', 'maxclients', '1000000'], ['CONFIG', 'GET', 'maxclients'],
    ['CONFIG', 'SET', 'timeout', '5', 'maxclients', '1000000'], ['CONFIG', 'GET', 'timeout'], ['CONFIG', 'GET', 'maxclients'],
    // Redis adds the 32 reserved descriptors in an unsigned int: near 2^32 the sum wraps and fits.
    ['CONFIG', 'SET', 'maxclients', '4294967295'], ['CONFIG', 'GET', 'maxclients'], ['CONFIG', 'SET', 'maxclients', '10000'],
    ['CONFIG', 'SET', 'maxclients', '4294967296'], ['CONFIG', 'SET', 'maxclients', '0'],
    ['CONFIG', 'SET', 'maxclients', '5000'], ['CONFIG', 'GET', 'maxclients'],
    ['CONFIG', 'SET', 'maxclients', '10000'],
  ]);
});

test('CONFIG SET bind with a host name binds it at once, as getaddrinfo resolves it from /etc/hosts', async ({ c }) => {
  await c.all([
    ['CONFIG', 'SET', 'bind', 'localhost'], ['CONFIG', 'GET', 'bind'],
    ['CONFIG', 'SET', 'bind', 'LOCALHOST -::1'], ['CONFIG', 'GET', 'bind'],
    ['CONFIG', 'SET', 'bind', 'nosuchname.invalid'], ['CONFIG', 'GET', 'bind'],
    ['CONFIG', 'SET', 'bind', '127.0.0.1'], ['CONFIG', 'GET', 'bind'],
  ]);
});

test('several parameters: aliases, duplicates, immutable and protected names, the first problem wins', async ({ c }) => {
  await c.all([
    ['CONFIG', 'SET', 'hash-max-ziplist-entries', '100', 'hash-max-listpack-entries', '200'],
    ['CONFIG', 'GET', 'hash-max-ziplist-entries'], ['CONFIG', 'GET', 'hash-max-listpack-entries'],
    ['CONFIG', 'SET', 'hash-max-ziplist-entries', '1', 'HASH-MAX-ZIPLIST-ENTRIES', '2'],
    ['CONFIG', 'SET', 'slaveof', 'no one', 'timeout', '1'],
    ['CONFIG', 'SET', 'timeout', '1', 'daemonize', 'yes'],
    ['CONFIG', 'SET', 'daemonize', 'yes', 'dir', '/tmp'],
    ['CONFIG', 'SET', 'dir', '/tmp', 'daemonize', 'yes'],
    ['CONFIG', 'SET', 'dbfilename', 'x.rdb', 'nosuch', '1'],
    ['CONFIG', 'SET', 'timeout', 'x', 'daemonize', 'yes'],
    ['CONFIG', 'SET', 'timeout', '1', 'timeout', 'x'],
    ['CONFIG', 'SET', 'maxmemory', '1mb', 'maxmemory-policy', 'nosuch', 'timeout', '7'],
    ['CONFIG', 'GET', 'maxmemory'], ['CONFIG', 'GET', 'timeout'],
    ['CONFIG', 'SET', 'save', '100 1', 'appendfsync', 'ALWAYS', 'notify-keyspace-events', 'KEA', 'loglevel', 'WARNING'],
    ['CONFIG', 'GET', 'save'], ['CONFIG', 'GET', 'appendfsync'], ['CONFIG', 'GET', 'notify-keyspace-events'],
    ['CONFIG', 'GET', 'loglevel'],
    ['CONFIG', 'SET', 'save', '', 'appendfsync', 'everysec', 'notify-keyspace-events', '', 'loglevel', 'notice',
      'hash-max-listpack-entries', '128', 'timeout', '0'],
  ]);
  for (const [name, values] of [
    ['protected-mode', ['YES', 'No', '1', 'true', 'on', 'yes\x00x', 'no ', 'yes']],
    ['maxmemory-policy', ['ALLKEYS-LRU', 'Volatile-TTL', 'allkeys-lru ', 'lru', 'noeviction']],
    ['oom-score-adj', ['RELATIVE', 'Absolute', 'yes', '1', 'no']],
    ['appendfsync', ['Always', 'NO', 'never', 'everysec']],
  ] as const) {
    for (const v of values) {
      await c.same('CONFIG', 'SET', name, v);
      await c.same('CONFIG', 'GET', name);
    }
  }
});

test('CONFIG GET with several patterns and globs: the same pairs', async ({ c }) => {
  const pairs = (reply: unknown): string[] => {
    const a = reply as string[];
    const out: string[] = [];
    for (let i = 0; i < a.length; i += 2) if (a[i].toLowerCase() !== 'dir' && a[i].toLowerCase() !== 'port') out.push(`${a[i]}=${a[i + 1]}`);
    return out.sort();
  };
  for (const p of [['*max*', '*MAX*'], ['maxmemory', 'MAXMEMORY'], ['HZ', 'hz'], ['slaveof', 'replicaof'],
    ['h[!a-y]'], ['h[^z]'], ['[hz]*'], ['\\h\\z'], ['h\\'], ['[a'], ['[]'], ['*[]*'], ['watchdog-period', '*watchdog*'],
    ['rdb-key-save-delay', 'RDB-KEY-SAVE-DELAY'], ['*', ''], ['timeout', 'nosuch', 'hz'], ['*-*-*-*-*'], ['*ziplist*']]) {
    const [r, e] = await c.both('CONFIG', 'GET', ...p);
    const flat = (x: typeof r): string[] =>
      (x.reply as { value: { value: string }[] }).value.map((v) => v.value);
    assert.equal(pairs(flat(e)), pairs(flat(r)), `CONFIG GET ${p.join(' ')}`);
  }
});

test('CONFIG RESETSTAT clears the same INFO counters', async ({ c }) => {
  for (const cl of [c.redis, c.echo]) {
    await cl.call('SET', 'a', '1');
    await cl.call('GET', 'a');
    await cl.call('GET', 'nokey');
    await cl.call('LPUSH', 'a', 'x');
    await cl.call('NOSUCH');
    await cl.call('PUBLISH', 'ch', 'm');
    await cl.call('SET', 'gone', '1', 'PX', '1');
  }
  await new Promise((r) => setTimeout(r, 20));
  await c.same('GET', 'gone');
  await c.same('CONFIG', 'RESETSTAT');
  const FIELDS = ['total_commands_processed', 'keyspace_hits', 'keyspace_misses', 'expired_keys', 'evicted_keys',
    'total_error_replies', 'unexpected_error_replies', 'total_reads_processed', 'total_writes_processed',
    'rejected_connections', 'expired_stale_perc', 'total_forks', 'sync_full', 'pubsub_channels', 'dump_payload_sanitizations'];
  const fields = (text: string): string => text.split('\r\n')
    .filter((l) => FIELDS.includes(l.slice(0, l.indexOf(':'))) || l.startsWith('#') || l.startsWith('errorstat_'))
    .join('\n');
  const [r, e] = await c.both('INFO', 'stats');
  assert.is(fields(plainText(e.reply)), fields(plainText(r.reply)));
  await c.same('INFO', 'errorstats');
  const [rc, ec] = await c.both('INFO', 'commandstats');
  const names = (x: typeof rc): string[] => plainText(x.reply).split('\r\n').map((l) => l.split(':')[0]).sort();
  assert.equal(names(ec), names(rc));
});

/** Where and why redis-server refuses a config file, as "line|text|reason". */
function redisRefusal(file: string): string {
  const r = spawnSync('redis-server', [file], { encoding: 'utf8', timeout: 10000 });
  const m = /FATAL CONFIG FILE ERROR \(Redis [^)]*\) \*\*\*\n(?:Reading the configuration file, at line (\d+)\n>>> '(.*)'\n)?(.*)\n/
    .exec(r.stderr + r.stdout);
  return m ? `${m[1] ?? ''}|${m[2] ?? ''}|${m[3]}` : `(no refusal) ${r.stdout.slice(-200)}`;
}

/** The same for echokv's loader, reading files as the CLI does. */
function echokvRefusal(file: string): string {
  try {
    new Config().load(loadConfigFile(file, (p) => asReadByFgets(readFileSync(p, 'latin1')), { bytes: true }));
  } catch (e) {
    if (e instanceof ConfigFileError) return `${e.line}|${e.text}|${e.reason}`;
    return `||${(e as Error).message}`;
  }
  return '(no refusal)';
}

test('config files: the same line and reason as redis-server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'echokv-edge-conf-'));
  try {
    // Each file ends with a line both refuse, so a line taken as valid shows as that one.
    const cases = [
      // A module's config takes any number of values (joined), but not none.
      'x.y 1 2\n', 'X.Y a b c\n', 'x.y\n',
      // fgets and sdscat: a NUL byte drops the rest of its line, newline included.
      'port 7000\x00\n', '# c\x00\nport x\n', 'nosuch\x00\n',
      // A multi-argument value that does not split again leaves no arguments.
      'bind "\\"1"\n', 'oom-score-adj-values "\\"1"\n', 'shutdown-on-sigint "\\"save"\n', 'save "\\"1 1"\n',
      'client-output-buffer-limit "\\"normal"\n', 'latency-tracking-info-percentiles "\\"1"\n',
      'maxmemory 100000000000000000000kb\n', 'hash-max-listpack-value 100000000000000000000kb\n',
      'latency-tracking-info-percentiles 8e654\n', 'latency-tracking-info-percentiles 1e-400\n', 'save 99999999999999999999 1\n',
    ];
    for (const text of cases) {
      const file = join(dir, 'x.conf');
      writeFileSync(file, text + 'zz-end-marker\n', 'latin1');
      assert.is(echokvRefusal(file), redisRefusal(file), JSON.stringify(text));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a config file is read as bytes: values keep bytes that are not UTF-8', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'echokv-edge-bytes-'));
  const file = join(dir, 'x.conf');
  writeFileSync(file, 'masterauth a\xe9b\nproc-title-template "{title} \xe9\xff"\n', 'latin1');
  const redis = await startRedis(['--include', file]);
  try {
    const r = await RespClient.connect(redis!.port);
    const config = loadConfig(createHost([]), file, '');
    for (const name of ['masterauth', 'proc-title-template']) {
      const [, want] = await r.call('CONFIG', 'GET', name) as string[];
      assert.is(show(config.formatted(name)), show(want), name);
    }
    r.close();
  } finally {
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

function plainText(reply: unknown): string {
  return (reply as { value: string }).value;
}

test.run();
