// CONFIG against a real redis-server: defaults (CONFIG GET * of a server started without a config
// file), CONFIG GET names and patterns, CONFIG SET replies for every directive and a range of
// values, multi-parameter CONFIG SET, CONFIG HELP and the container errors, CONFIG REWRITE's
// output, start-up errors of bad config files, and the CONFIG commands' metadata.
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compatSuite } from './_compat.ts';
import { RespClient, startEchokv, startProcess } from '../_helpers.ts';
import { Config } from '../../core/config/mod.ts';
import { ConfigFileError, loadConfigFile, parseConfigText } from '../../core/config/parse.ts';
import { Server } from '../../core/server.ts';
import { BUILTIN_PLUGINS } from '../../mod.ts';
import { createHost } from '../../plugins/host/node.ts';

// Both servers run with persistence off and the debug command on (the harness's redis.conf).
const test = compatSuite('config', { save: '', 'enable-debug-command': 'yes' });

/** A CONFIG GET reply (RESP2) as name -> value. */
function pairs(reply: unknown): Map<string, string> {
  const a = reply as string[];
  const m = new Map<string, string>();
  for (let i = 0; i < a.length; i += 2) m.set(a[i], a[i + 1]);
  return m;
}

/**
 * Directives whose value legitimately differs between the two servers under test, and why.
 * Everything else must be identical.
 */
const DIFFERS: Record<string, string> = {
  dir: 'each server runs in its own working directory',
  port: 'each server listens on its own free port',
  bind: 'the test echokv binds 127.0.0.1; the bare redis-server keeps the default',
};

test('CONFIG GET * of a default echokv equals a redis-server started without a config file', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'echokv-nocfg-'));
  const redis = await startProcess('redis-server', [], { cwd });
  // startEchokv enables DEBUG, as startRedis does; here the default is what is compared.
  const echo = await startEchokv({ 'enable-debug-command': 'no' });
  try {
    const r = await RespClient.connect(redis.port);
    const e = await RespClient.connect(echo.port);
    const want = pairs(await r.call('CONFIG', 'GET', '*'));
    const got = pairs(await e.call('CONFIG', 'GET', '*'));
    assert.equal([...got.keys()].sort(), [...want.keys()].sort(), 'the same directive names');
    for (const [name, value] of want) {
      if (name in DIFFERS) continue;
      assert.is(got.get(name), value, `default of ${name}`);
    }
    // The differing ones differ only as explained.
    assert.is(got.get('bind'), '127.0.0.1');
    assert.ok(got.get('dir')!.startsWith('/'));
    await r.call('SHUTDOWN', 'NOSAVE').catch(() => {});
    r.close();
    e.close();
  } finally {
    await redis.stop();
    await echo.stop();
    rmSync(cwd, { recursive: true, force: true });
  }
});

test('CONFIG GET: exact names, any case, aliases, hidden names, unknown names', async ({ c }) => {
  for (const name of ['maxmemory', 'MAXMEMORY', 'slaveof', 'SlaveOf', 'lua-time-limit', 'busy-reply-threshold',
    'use-exit-on-panic', 'watchdog-period', 'rdb-key-save-delay', 'key-load-delay',
    'loading-process-events-interval-bytes', 'nosuch', 'include', 'rename-command', 'user', 'loadmodule',
    'hash-max-ziplist-entries', 'client-output-buffer-limit', 'notify-keyspace-events', 'save',
    'latency-tracking-info-percentiles', 'oom-score-adj-values', 'shutdown-on-sigint', 'unixsocketperm',
    'maxmemory-clients', 'proc-title-template', 'x\xff\x00', '']) {
    await c.same('CONFIG', 'GET', name);
  }
  await c.same('CONFIG', 'GET', 'timeout', 'TIMEOUT');
  await c.same('CONFIG', 'GET', 'nosuch', 'timeout', 'nosuch');
});

test('CONFIG GET patterns: the same names and values in any order', async ({ c }) => {
  const patterns = [['*max*'], ['slave*'], ['*SLAVE*'], ['zset-*'], ['[a-c]*'], ['h?'], ['*-ziplist-*'],
    ['use-*'], ['*', 'port'], ['maxmemory', 'max*'], ['MAXMEMORY', 'max*'], ['tls-*', 'tls-port'], ['nomatch*'],
    ['[^a-r]*'], ['*[0-9]*'], ['\\*']];
  for (const p of patterns) {
    const [r, e] = await c.both('CONFIG', 'GET', ...p);
    const want = pairs((r.reply as { value: unknown[] }).value.map((x) => (x as { value: string }).value));
    const got = pairs((e.reply as { value: unknown[] }).value.map((x) => (x as { value: string }).value));
    for (const k of Object.keys(DIFFERS)) {
      want.delete(k);
      got.delete(k);
    }
    assert.equal([...got].sort(), [...want].sort(), `CONFIG GET ${p.join(' ')}`);
  }
});

/** Directives left out of the value sweep, because applying them differs on purpose. */
const NOT_SWEPT: Record<string, string> = {
  port: 'moves the listener',
  bind: 'moves the listener',
  requirepass: 'would lock the test client out',
  'tls-port': 'redis-server starts a TLS listener; echokv has no TLS',
  'tls-replication': 'redis-server loads TLS certificates; echokv has no TLS',
  'tls-cluster': 'redis-server loads TLS certificates; echokv has no TLS',
  appendonly: 'redis-server starts writing an AOF in the background',
  'maxmemory-clients': 'a small limit makes redis-server evict the test client (parsed in its own test)',
};

const SWEEP_VALUES = ['x!x', '-1', '9223372036854775808', '99999999999999999999', '', '0777', '+5', ' 5',
  '1k', 'yes', 'Local', '1 2 3 4', 'a\x00b', '\xff'];

test('CONFIG SET of every directive with a range of values: same replies, same values after', async ({ c }) => {
  const all = pairs(await c.redis.call('CONFIG', 'GET', '*'));
  for (const hidden of ['use-exit-on-panic', 'watchdog-period', 'rdb-key-save-delay', 'key-load-delay',
    'loading-process-events-interval-bytes']) {
    all.set(hidden, pairs(await c.redis.call('CONFIG', 'GET', hidden)).get(hidden)!);
  }
  let swept = 0;
  for (const [name, original] of all) {
    if (name in NOT_SWEPT) continue;
    for (const value of SWEEP_VALUES) {
      const reply = await c.same('CONFIG', 'SET', name, value);
      swept++;
      if (reply === 'OK') {
        await c.same('CONFIG', 'GET', name);
        assert.is(await c.same('CONFIG', 'SET', name, original), 'OK', `restore ${name}`);
      }
    }
  }
  assert.ok(swept > 2000, `${swept} CONFIG SET replies compared`);
});

test('CONFIG SET: memory, percent, octal and special values', async ({ c }) => {
  const cases: [string, string][] = [
    ['maxmemory', '1GB'], ['maxmemory', '18446744073709551615'], ['maxmemory', '99999999999999999999999'],
    ['maxmemory', 'kb'], ['maxmemory', '0'],
    ['maxmemory-clients', 'abc'], ['maxmemory-clients', '200%'], ['maxmemory-clients', '1%%'], ['maxmemory-clients', '-0%'],
    ['maxmemory-clients', '9223372036854775808'], ['maxmemory-clients', '0'],
    ['hz', '1000'], ['hz', '0'], ['hz', '-1'], ['hz', '10'],
    ['repl-backlog-size', '1'], ['repl-backlog-size', '1mb'],
    ['save', '100 10 20 5'], ['save', '100  10'], ['save', ' 100 10'], ['save', '100 '], ['save', '100 4294967297'], ['save', ''],
    ['client-output-buffer-limit', 'normal 1mb 2kb 3 pubsub 1 2 3'], ['client-output-buffer-limit', 'replica 1 2 3'],
    ['client-output-buffer-limit', 'SLAVE 1gb 2g 3'], ['client-output-buffer-limit', 'normal 1 2 -3'],
    ['client-output-buffer-limit', 'normal 1 2 3 master 1 2 3'], ['client-output-buffer-limit', 'normal 1 2 4294967297'],
    ['client-output-buffer-limit', 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60'],
    ['oom-score-adj-values', '1 2 3000'], ['oom-score-adj-values', '1  2 3'], ['oom-score-adj-values', '0 200 800'],
    ['notify-keyspace-events', 'KEA'], ['notify-keyspace-events', 'Exgx$'], ['notify-keyspace-events', 'g$lshzxetdn'],
    ['notify-keyspace-events', 'AKEmn'], ['notify-keyspace-events', 'Kq'], ['notify-keyspace-events', ''],
    ['latency-tracking-info-percentiles', '99.999 0.1 50'], ['latency-tracking-info-percentiles', 'inf'],
    ['latency-tracking-info-percentiles', '0x10'], ['latency-tracking-info-percentiles', '1e1 .5'],
    ['latency-tracking-info-percentiles', '50 99 99.9'],
    ['shutdown-on-sigint', 'save nosave'], ['shutdown-on-sigint', 'NOW SAVE'], ['shutdown-on-sigint', 'save  now'],
    ['shutdown-on-sigint', 'default now'], ['shutdown-on-sigint', 'default'],
    ['oom-score-adj', 'relative'], ['oom-score-adj', 'no'],
    ['list-max-listpack-size', '-2147483649'], ['list-max-listpack-size', '-2147483648'], ['list-max-listpack-size', '-2'],
    ['proc-title-template', '{title}'], ['proc-title-template', '{title} {port}'], ['proc-title-template', '{{'],
    ['proc-title-template', '{title} {listen-addr} {server-mode}'],
    ['cluster-announce-hostname', 'a.b-c'], ['cluster-announce-hostname', 'a_b'], ['cluster-announce-hostname', ''],
    ['dbfilename', 'x.rdb'], ['dir', '/tmp'], ['activedefrag', 'yes'],
  ];
  for (const [name, value] of cases) {
    await c.same('CONFIG', 'SET', name, value);
    if (!(name in DIFFERS)) await c.same('CONFIG', 'GET', name);
  }
});

test('CONFIG SET with several parameters: checks, atomicity, duplicates', async ({ c }) => {
  await c.all([
    ['CONFIG', 'SET', 'maxmemory', '10mb', 'timeout', 'abc'],
    ['CONFIG', 'GET', 'maxmemory'],
    ['CONFIG', 'SET', 'timeout', 'abc', 'nosuch', '1'],
    ['CONFIG', 'SET', 'nosuch', '1', 'timeout', 'abc'],
    ['CONFIG', 'SET', 'daemonize', 'yes', 'nosuch', '1'],
    ['CONFIG', 'SET', 'timeout', '1', 'TIMEOUT', '2'],
    ['CONFIG', 'SET', 'Timeout', '1', 'nosuch', '2', 'timeout', '3'],
    ['CONFIG', 'SET', 'lua-time-limit', '1', 'busy-reply-threshold', '2'],
    ['CONFIG', 'GET', 'lua-time-limit'],
    ['CONFIG', 'SET', 'SLAVE-PRIORITY', 'x'],
    ['CONFIG', 'SET', 'PORT', 'abc'],
    ['CONFIG', 'SET', 'maxmemory', '5mb', 'timeout', '7', 'slave-priority', '3'],
    ['CONFIG', 'GET', 'maxmemory'], ['CONFIG', 'GET', 'timeout'], ['CONFIG', 'GET', 'replica-priority'],
    ['CONFIG', 'SET', 'maxmemory', '0', 'timeout', '0', 'slave-priority', '100', 'busy-reply-threshold', '5000'],
    ['CONFIG', 'SET', 'dir', '/tmp', 'timeout', '1'],
    ['CONFIG', 'SET', 'unixsocket', '/tmp/x.sock'],
    ['CONFIG', 'SET', 'slaveof', 'no one'],
    ['CONFIG', 'SET', 'timeout', '1', 'maxmemory'],
    ['CONFIG', 'SET', 'timeout'],
    ['CONFIG', 'SET', 'x\xff', '1'],
  ]);
});

test('CONFIG HELP, arity and unknown subcommands', async ({ c }) => {
  await c.all([
    ['CONFIG', 'HELP'], ['config', 'help'], ['CONFIG', 'HELP', 'x'], ['CONFIG'], ['CONFIG', 'NOSUCH'],
    ['CONFIG', 'GET'], ['CONFIG', 'RESETSTAT', 'x'], ['CONFIG', 'REWRITE', 'x'], ['CONFIG', 'SET', 'a'],
  ]);
  // The harness's redis-server has a config file and echokv has none, so only echokv refuses.
  assert.equal(await c.echo.call('CONFIG', 'REWRITE'), { error: 'ERR The server is running without a config file' });
  await c.same('CONFIG', 'RESETSTAT');
});

test('COMMAND INFO and DOCS of CONFIG and its subcommands match redis-server', async ({ c, echokv }) => {
  const names = ['config', 'config|get', 'config|set', 'config|resetstat', 'config|rewrite', 'config|help'];
  const info = await c.redis.call('COMMAND', 'INFO', ...names) as unknown[][];
  const docs = new Map<string, unknown[]>();
  const d = await c.redis.call('COMMAND', 'DOCS', 'config') as unknown[];
  const top = d[1] as unknown[];
  docs.set('config', top);
  const subs = top[top.indexOf('subcommands') + 1] as unknown[];
  for (let i = 0; i < subs.length; i += 2) docs.set(subs[i] as string, subs[i + 1] as unknown[]);
  for (const entry of info) {
    const name = entry[0] as string;
    const [parent, sub] = name.split('|');
    const cmd = sub === undefined ? echokv.server.commands.get(parent)! : echokv.server.commands.get(parent)!.subcommands!.get(sub)!;
    assert.ok(cmd, name);
    assert.is(cmd.arity, entry[1], `${name} arity`);
    assert.equal(cmd.infoFlags, entry[2], `${name} flags`);
    assert.equal([cmd.spec.keys?.[0] ?? 0, cmd.spec.keys?.[1] ?? 0, cmd.spec.keys?.[2] ?? 0], entry.slice(3, 6), `${name} keys`);
    assert.equal(cmd.categories.map((x) => '@' + x), entry[6], `${name} ACL categories`);
    assert.equal(cmd.spec.tips ?? [], entry[7], `${name} tips`);
    const doc = docs.get(name)!;
    const field = (f: string): unknown => doc[doc.indexOf(f) + 1];
    assert.is(cmd.spec.summary, field('summary'), `${name} summary`);
    assert.is(cmd.spec.since, field('since'), `${name} since`);
    assert.is(cmd.spec.group, field('group'), `${name} group`);
    assert.is(cmd.spec.complexity, field('complexity'), `${name} complexity`);
  }
});

/** The FATAL CONFIG FILE ERROR block of redis-server for a config file, as [line, text, reason]. */
function redisFatal(file: string): [number | null, string | null, string] {
  const r = spawnSync('redis-server', [file], { encoding: 'utf8', timeout: 10000 });
  const out = r.stderr + r.stdout;
  const m = /FATAL CONFIG FILE ERROR \(Redis [^)]*\) \*\*\*\n(?:Reading the configuration file, at line (\d+)\n>>> '(.*)'\n)?(.*)\n/.exec(out);
  if (m) return [m[1] ? Number(m[1]) : null, m[2] ?? null, m[3]];
  const open = /Fatal error, can't open config file .*/.exec(out);
  return [null, null, open ? open[0] : `(no error) ${out.slice(-300)}`];
}

/** The same for echokv's loader. */
function echokvFatal(file: string): [number | null, string | null, string] {
  try {
    const config = new Config();
    config.load(loadConfigFile(file, (p) => readFileSync(p, 'utf8'), { list: (d) => readdirSync(d) }));
  } catch (e) {
    if (e instanceof ConfigFileError) return [e.line, e.text, e.reason];
    return [null, null, (e as Error).message];
  }
  return [null, null, '(no error)'];
}

test('bad config files: the same line, text and reason as redis-server', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'echokv-fatal-'));
  try {
    const inc = join(dir, 'inc.conf');
    writeFileSync(inc, '# included\ntimeout 5\nmaxclients -1\n');
    const cases = [
      'port\n', 'port 1 2\n', 'nosuch x\n', 'port abc\n', 'port 70000\n', 'daemonize maybe\n', 'maxmemory 1x\n',
      'loglevel loud\n', 'save 10\n', 'save 0 1\n', 'save "100 "\n', 'include\n', 'include a b\n', 'port "6379\n',
      'hz -1\n', 'unixsocketperm 999\n', 'unixsocketperm 1000\n', 'maxmemory-clients 200%\n', 'notify-keyspace-events Q\n',
      'client-output-buffer-limit normal 1 2\n', 'client-output-buffer-limit master 1 2 3\n',
      'client-output-buffer-limit normal x 2 3\n', 'oom-score-adj-values 1 2\n', 'oom-score-adj-values 1 2 3000\n',
      'latency-tracking-info-percentiles 101\n', 'latency-tracking-info-percentiles abc\n', 'replicaof localhost\n',
      'replicaof localhost 99999\n', 'dbfilename a/b\n', 'appendfilename ""\n', 'appenddirname a/b\n',
      `bind ${Array.from({ length: 17 }, (_, i) => `10.0.0.${i}`).join(' ')}\n`, 'rename-command a\n', 'user\n',
      'loadmodule\n', 'sentinel foo\n', 'foo.bar\n', 'PORT 1x\n', 'enable-protected-configs maybe\n',
      'proc-title-template "{foo}"\n', 'cluster-announce-hostname "a b"\n', 'maxclients -1\n',
      'hash-max-listpack-entries -1\n', 'slowlog-max-len -1\n', 'proto-max-bulk-len 1\n', 'socket-mark-id -1\n',
      'io-threads 0\n', 'databases 0\n', 'shutdown-on-sigint save nosave\n', 'shutdown-on-sigterm\n',
      'activedefrag yes\n', 'list-max-ziplist-entries 1 2\n',
      '\n\n# c\n  port   x  \n', "port '1'x\n", 'port 1\nport x\n', 'nosuch 1\nport "1\n',
      'replicaof 127.0.0.1 6380\ncluster-enabled yes\n',
      `port 1\ninclude ${inc}\n`, `include ${join(dir, 'missing.conf')}\n`, `include ${join(dir, 'nomatch')}*.conf\nport x\n`,
    ];
    for (const text of cases) {
      const file = join(dir, 'bad.conf');
      writeFileSync(file, text);
      const want = redisFatal(file);
      const got = echokvFatal(file);
      if (want[2].startsWith("Fatal error, can't open config file")) {
        // redis-server logs this one without the include line; echokv also says where it was.
        assert.is(got[2], want[2], `config ${JSON.stringify(text)}`);
        assert.equal(got.slice(0, 2), [1, text.trim()]);
      } else {
        assert.equal(got, want, `config ${JSON.stringify(text)}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('CONFIG REWRITE writes what redis-server writes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'echokv-rewrite-'));
  const inc = join(dir, 'inc.conf');
  writeFileSync(inc, 'maxclients 500\n');
  const text = [
    '# top comment', '  # indented comment', 'bind 127.0.0.1', 'daemonize no', `include ${inc}`, '', '', '# memory',
    'maxmemory 100mb', 'maxmemory 200mb', 'hash-max-ziplist-entries 100', 'slave-read-only no', 'lua-time-limit 6000',
    'rename-command FLUSHDB ""', 'save 100 1', 'save 200 2', 'timeout 0', 'loglevel   notice', 'tcp-keepalive 300',
    'notify-keyspace-events ""', 'client-output-buffer-limit normal 0 0 0', 'oom-score-adj-values 0 200 800',
    'list-max-ziplist-entries 5', 'logfile ""', 'pidfile ""', 'unixsocket ""', 'dbfilename dump.rdb',
    'appendfsync everysec', 'unixsocketperm 700', '',
  ].join('\n');
  const redisFile = join(dir, 'redis.conf');
  const echoFile = join(dir, 'echokv.conf');
  writeFileSync(redisFile, text);
  writeFileSync(echoFile, text);
  const redis = await startProcess('redis-server', [redisFile], { cwd: dir });
  const config = new Config();
  config.load([...loadConfigFile(echoFile, (p) => readFileSync(p, 'utf8')), ...parseConfigText('port 0', 'test')]);
  config.file = echoFile;
  const host = { ...createHost([]), stdout: () => {} };
  const plugins = BUILTIN_PLUGINS.filter((p) => p.name === 'tcp' || p.name === 'none');
  const echokv = new Server({ config, host, plugins, pluginOptions: { tcp: { anyPort: true } } });
  await echokv.start();
  try {
    const addr = echokv.instances.get('tcp')!.addresses!()[0];
    const e = await RespClient.connect(Number(addr.slice(addr.lastIndexOf(':') + 1)));
    const r = await RespClient.connect(redis.port);
    const changes = ['hz', '20', 'maxmemory-policy', 'allkeys-lru', 'hash-max-listpack-value', '1kb', 'save', '',
      'proto-max-bulk-len', '1024000000', 'maxmemory-clients', '5%', 'notify-keyspace-events', 'Kx',
      'client-output-buffer-limit', 'pubsub 64mb 16mb 90', 'oom-score-adj-values', '0 100 800',
      'latency-tracking-info-percentiles', '50 99.5', 'replica-priority', '50', 'maxmemory', '300mb',
      'masterauth', 'a "quoted" pass', 'tcp-keepalive', '300', 'shutdown-on-sigterm', 'nosave now'];
    for (const cl of [r, e]) {
      assert.is(await cl.call('CONFIG', 'SET', ...changes), 'OK');
      assert.is(await cl.call('CONFIG', 'REWRITE'), 'OK');
    }
    // The port differs, Redis writes `dir` as its cwd, and ACL users are Redis's (echokv has no ACL).
    const norm = (s: string): { head: string[]; tail: string[] } => {
      const lines = s.split('\n').filter((l) => !/^(port|dir|user) /.test(l));
      const at = lines.indexOf('# Generated by CONFIG REWRITE');
      return { head: lines.slice(0, at), tail: lines.slice(at).sort() };
    };
    const want = norm(readFileSync(redisFile, 'utf8'));
    const got = norm(readFileSync(echoFile, 'utf8'));
    assert.equal(got.head, want.head, 'the rewritten part of the file');
    assert.equal(got.tail, want.tail, 'the appended directives');
    // Both read `dir` back as an absolute path.
    assert.match(readFileSync(echoFile, 'utf8'), /\ndir "\//);
    // A second rewrite changes both files the same way.
    for (const cl of [r, e]) assert.is(await cl.call('CONFIG', 'REWRITE'), 'OK');
    assert.equal(norm(readFileSync(echoFile, 'utf8')), norm(readFileSync(redisFile, 'utf8')));
    r.close();
    e.close();
  } finally {
    await echokv.shutdown({ save: false, force: true });
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();

// With enable-protected-configs, CONFIG SET may change `dir` and `dbfilename`.
const protectedConfigs = compatSuite('config protected', { save: '', 'enable-protected-configs': 'local' });

protectedConfigs('CONFIG SET dir and dbfilename when protected configs are enabled', async ({ c }) => {
  const dir = mkdtempSync(join(tmpdir(), 'echokv-dir-'));
  try {
    writeFileSync(join(dir, 'file'), 'x');
    await c.all([
      ['CONFIG', 'SET', 'dir', join(dir, 'missing')],
      ['CONFIG', 'SET', 'dir', join(dir, 'file')],
      ['CONFIG', 'SET', 'dbfilename', 'a/b.rdb'],
      ['CONFIG', 'SET', 'dbfilename', 'x.rdb'],
      ['CONFIG', 'GET', 'dbfilename'],
      ['CONFIG', 'SET', 'dir', dir],
      ['CONFIG', 'GET', 'dir'],
      ['CONFIG', 'SET', 'dir', '.'],
      ['CONFIG', 'GET', 'dir'],
      ['CONFIG', 'SET', 'dir', 'missing'],
      ['CONFIG', 'SET', 'dir', dir, 'nosuch', '1'],
      ['CONFIG', 'SET', 'timeout', '5', 'dir', join(dir, 'missing')],
      ['CONFIG', 'GET', 'timeout'],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

protectedConfigs.run();
