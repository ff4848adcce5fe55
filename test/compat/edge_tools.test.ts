// The real Redis tools pointed at echokv and at redis-server holding the same data, from a
// differential run of every redis-cli mode and redis-benchmark test: stdout, stderr and exit code
// must be the same, with only what is inherently different normalised (ports, latencies, memory
// sizes, SCAN order). Each tool run is one short process, killed if it outlives its time limit;
// the reply-format checks run many commands through one redis-cli reading stdin, so the file
// spawns a few dozen processes in all. Where echokv lacks what a tool needs (SYNC for --rdb,
// Lua for --eval) the tool must fail cleanly and the server keep serving.
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { Buffer } from 'node:buffer';
import { compatSuite, type CompatContext, show } from './_compat.ts';
import { tempDir } from '../_helpers.ts';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const test = compatSuite('edge tools');
const haveScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

interface Run {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** Runs a tool asynchronously (echokv serves from this process's event loop); killed after `timeoutMs`. */
function tool(bin: string, args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Uint8Array) => (stdout += Buffer.from(d).toString('latin1')));
    child.stderr.on('data', (d: Uint8Array) => (stderr += Buffer.from(d).toString('latin1')));
    const t = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(t);
      resolve({ stdout, stderr, code });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input === undefined ? undefined : Buffer.from(opts.input, 'latin1'));
  });
}

const cli = (port: number, args: string[], input?: string): Promise<Run> => tool('redis-cli', ['-p', String(port), ...args], { input });

type Norm = (s: string) => string;

/**
 * The same redis-cli or redis-benchmark run against both servers (`PORT` in an argument is each
 * server's port, and its port in the output is `PORT` again); asserts equal output and exit code.
 */
async function same(ctx: CompatContext, bin: string, args: string[], opts: { input?: string; norm?: Norm } = {}): Promise<Run> {
  const run = (port: number) => {
    const argv = args.map((a) => a.replaceAll('PORT', String(port)));
    return tool(bin, ['-p', String(port), ...argv], opts);
  };
  const [r, e] = await Promise.all([run(ctx.redisPort), run(ctx.echoPort)]);
  const norm = (x: Run, port: number): Run => {
    const f = (s: string) => (opts.norm ?? ((y) => y))(s.replaceAll(String(port), 'PORT'));
    return { stdout: f(x.stdout), stderr: f(x.stderr), code: x.code };
  };
  const rn = norm(r, ctx.redisPort);
  const en = norm(e, ctx.echoPort);
  const what = `${bin} ${args.join(' ')}`;
  assert.is(show(en.stdout), show(rn.stdout), `stdout of ${what}`);
  assert.is(show(en.stderr), show(rn.stderr), `stderr of ${what}`);
  assert.is(en.code, rn.code, `exit code of ${what}`);
  return rn;
}

const cliSame = (ctx: CompatContext, args: string[], opts: { input?: string; norm?: Norm } = {}) => same(ctx, 'redis-cli', args, opts);
const sortedLines: Norm = (s) => s.split('\n').sort().join('\n');
/** The summary of --bigkeys/--memkeys/--hotkeys: the "found so far" lines follow SCAN order. */
const summary: Norm = (s) => sortedLines(s.slice(s.indexOf('-------- summary')));

/** A command in RESP, as --pipe reads it. */
const enc = (...a: string[]) => `*${a.length}\r\n` + a.map((x) => `$${Buffer.byteLength(x, 'latin1')}\r\n${x}\r\n`).join('');

async function populate(ctx: CompatContext): Promise<void> {
  await ctx.c.all([
    ['SET', 's', 'hello'], ['SET', 'n', '12345'], ['SET', 'f', '3.14'], ['SET', 'empty', ''],
    ['SET', 'bin', new Uint8Array([0xff, 0, 0x61, 13, 10, 0x22, 0x5c])],
    ['RPUSH', 'l', 'a', 'b', 'c', '1', '2'], ['RPUSH', 'biglist', ...Array.from({ length: 200 }, (_, i) => String(i))],
    ['HSET', 'h', 'f1', 'v1', 'f2', '2', 'f3', '3.5'], ['SADD', 'intset', '1', '2', '3'],
    ['ZADD', 'z', '1', 'a', '2.5', 'b', '-3', 'c', 'inf', 'd', '0.1', 'e', '1e-5', 'g', '1.5e20', 'h'],
    ['XADD', 'xs', '1-1', 'a', '1', 'b', '2'], ['XADD', 'xs', '2-1', 'c', '3'], ['PFADD', 'hll', 'a', 'b', 'c'],
    ['SETBIT', 'bm', '100', '1'], ['GEOADD', 'geo', '13.361389', '38.115556', 'Palermo'],
  ]);
}

// Every reply type redis-cli formats: nested arrays, maps, sets, doubles (inf, tiny, huge),
// nulls, errors (alone and inside EXEC), verbatim strings, big numbers, attributes and pushes.
const COMMANDS = [
  'GET s', 'GET nokey', 'GET bin', 'GET empty', 'GET l', 'NOSUCH x', 'LRANGE l 0 -1', 'HGETALL h', 'SMEMBERS intset',
  'ZRANGE z 0 -1 WITHSCORES', 'ZSCORE z d', 'ZMSCORE z a nope g', 'ZRANDMEMBER nokey 2', 'XRANGE xs - +', 'XINFO STREAM xs',
  'XINFO STREAM xs FULL', 'GEOPOS geo Palermo nope', 'GEORADIUS geo 13 38 500 km WITHDIST WITHCOORD WITHHASH', 'LPOS l zz',
  'BLPOP nokey 0.01', 'LCS s s IDX WITHMATCHLEN', 'INCRBYFLOAT f 0', 'CONFIG GET maxmemory-policy', 'COMMAND INFO get',
  'MULTI', 'SET t 1', 'LPUSH t x', 'INCR t', 'HGETALL h', 'EXEC',
  ...['string', 'integer', 'double', 'null', 'array', 'set', 'map', 'push', 'verbatim', 'true', 'false']
    .map((t) => `DEBUG PROTOCOL ${t}`),
  'LATENCY DOCTOR', 'CLIENT TRACKINGINFO',
  // Last, as redis-cli 7.0 exits on them in RESP3: its raw output has no case for a big number
  // ("Unknown reply type: 13"), and its hiredis cannot read an attribute ("Protocol error, got
  // "|" as reply type byte").
  'DEBUG PROTOCOL bignum', 'DEBUG PROTOCOL attrib',
].join('\n') + '\n';

test('every reply type in every output mode, RESP2 and RESP3', async (ctx) => {
  await populate(ctx);
  const modes = [[], ['--no-raw'], ['--raw'], ['--csv'], ['--json'], ['--quoted-json']];
  for (const m of modes) {
    await cliSame(ctx, m, { input: COMMANDS });
    const r = await cliSame(ctx, ['-3', ...m], { input: COMMANDS });
    // Not two equal failures: the replies are there.
    assert.match(r.stdout, /hello[^]*This is a verbatim[^]*prefixes/, `-3 ${m.join(" ")}: ${show(r.stdout.slice(-300) + r.stderr)}`);
  }
  // One-shot commands (arguments, not stdin) print the same way.
  for (const m of [['--no-raw'], ['-3', '--json']]) {
    await cliSame(ctx, [...m, 'HGETALL', 'h']);
    await cliSame(ctx, [...m, 'DEBUG', 'PROTOCOL', 'attrib']);
  }
});

test('-x, -r with -i, -n, -e and the delimiters', async (ctx) => {
  await populate(ctx);
  await cliSame(ctx, ['-x', 'SET', 'xin'], { input: 'abc\x00\xff\n\r\n' });
  await cliSame(ctx, ['--no-raw', 'GET', 'xin']);
  await cliSame(ctx, ['-x', 'HSET', 'hx', 'f'], { input: 'val' });
  await cliSame(ctx, ['-x', 'ECHO'], { input: '' });
  await cliSame(ctx, ['-r', '3', '-i', '0.01', 'INCR', 'rc']);
  await cliSame(ctx, ['-r', '2', '-3', '--no-raw', 'HGETALL', 'h']);
  await cliSame(ctx, ['-r', '2', '--no-raw', 'NOSUCH']);
  await cliSame(ctx, ['-n', '3', 'SET', 'a', '1']);
  await cliSame(ctx, ['-n', '3', 'DBSIZE']);
  await cliSame(ctx, ['-n', '16', 'PING']);
  await cliSame(ctx, ['-e', 'LPUSH', 's', 'x']);
  await cliSame(ctx, ['-e', 'GET', 's']);
  await cliSame(ctx, ['-d', '|', 'LRANGE', 'l', '0', '-1']);
  await cliSame(ctx, ['-D', '##', '--raw', '-r', '2', 'LRANGE', 'l', '0', '1']);
});

test('--scan, --bigkeys, --memkeys and --hotkeys', async (ctx) => {
  await populate(ctx);
  await ctx.c.same('SET', 'sp ace', 'x');
  assert.match((await cliSame(ctx, ['--scan'], { norm: sortedLines })).stdout, /^biglist$/m);
  await cliSame(ctx, ['--scan', '--pattern', '*i*', '--count', '2'], { norm: sortedLines });
  await cliSame(ctx, ['--scan', '--pattern', 'b?*'], { norm: sortedLines });
  await cliSame(ctx, ['--scan', '--pattern', 'nomatch*'], { norm: sortedLines });
  await cliSame(ctx, ['--bigkeys'], { norm: summary });
  await cliSame(ctx, ['-n', '7', '--bigkeys']);
  // Memory sizes are echokv's own model: the keys found and the counts must agree, not the bytes.
  await cliSame(ctx, ['--memkeys'], { norm: (s) => summary(s).replace(/\d+(\.\d+)?/g, 'N') });
  // Without an LFU policy both refuse; with one, keys nobody read since have counter 5 (LFU_INIT_VAL).
  await cliSame(ctx, ['--hotkeys']);
  for (const cl of [ctx.c.redis, ctx.c.echo]) await cl.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu');
  try {
    await ctx.c.same('FLUSHALL');
    // At most 16: redis-cli keeps the 16 hottest, and ties would be picked in SCAN order.
    for (let i = 0; i < 16; i++) await ctx.c.same('SET', `hk${i}`, 'v');
    await cliSame(ctx, ['--hotkeys'], { norm: summary });
  } finally {
    for (const cl of [ctx.c.redis, ctx.c.echo]) await cl.call('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
  }
});

test('--pipe with good and bad input', async (ctx) => {
  await populate(ctx);
  let good = '';
  for (let i = 0; i < 300; i++) good += enc('SET', `p${i}`, '\xff\x00v');
  good += enc('INCR', 'p1') + enc('LPUSH', 's', 'x') + enc('NOSUCH') + 'PING\r\n' + enc('GET', 'p299');
  const inputs = [
    good, '', 'PING\r\nSET a b\r\nGET a\r\n', enc('MULTI') + enc('SET', 'a', '1') + enc('NOSUCH') + enc('EXEC'),
    enc('QUIT') + enc('PING'), enc('HELLO', '3') + enc('CLIENT', 'TRACKING', 'on') + enc('GET', 's') + enc('SET', 's', 'y'),
    // In RESP2 a subscriber may not ECHO, and redis-cli ends --pipe on an ECHO: RESP3 only.
    enc('HELLO', '3') + enc('SUBSCRIBE', 'c') + enc('PING'), 'CLIENT REPLY OFF\r\nPING\r\nCLIENT REPLY ON\r\nPING\r\n',
    // Protocol errors: the connection is closed after the error, and redis-cli says so.
    enc('PING') + '*2\r\n$3\r\nGET\r\n$-5\r\n', enc('PING') + '*x\r\n', enc('PING') + '$3\r\nfoo\r\n',
    enc('PING') + '*3000000000\r\n', 'PING "unbalanced\r\n', '*1\r\n$4\r\nPINGxx\r\n',
  ];
  for (const input of inputs) await cliSame(ctx, ['--pipe'], { input });
  await ctx.c.sameDataset();
});

test('--rdb, --functions-rdb and --replica fail cleanly without SYNC; --eval without scripting', async (ctx) => {
  await populate(ctx);
  const dir = tempDir('echokv-tools-');
  try {
    for (const [args, file] of [[['--rdb', join(dir, 'a.rdb')], 'a.rdb'], [['--functions-rdb', join(dir, 'f.rdb')], 'f.rdb']] as const) {
      const e = await cli(ctx.echoPort, [...args]);
      if (e.code === 0) {
        // Once echokv serves SYNC the file must be an RDB.
        assert.is(readFileSync(join(dir, file), 'latin1').slice(0, 5), 'REDIS');
      } else {
        assert.is(e.code, 1, e.stderr);
        assert.match(e.stderr, /ERR unknown command 'REPLCONF', with args beginning with: /);
        assert.match(e.stderr, args[0] === '--rdb' ?
          /SYNC with master failed: -ERR unknown command 'SYNC', with args beginning with: \r?\n$/ :
          /Failed requesting functions only RDB from server, aborting\n$/);
        assert.not.ok(existsSync(join(dir, file)) && readFileSync(join(dir, file)).length > 0, 'no partial file');
      }
    }
    const replica = await tool('redis-cli', ['-p', String(ctx.echoPort), '--replica'], { timeoutMs: 3000 });
    if (replica.code !== null) assert.match(replica.stderr, /SYNC with master failed: -ERR unknown command 'SYNC'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const script = join(tempDir('echokv-tools-'), 's.lua');
  writeFileSync(script, "return {1,2,'x'}");
  const [r, e] = await Promise.all([cli(ctx.redisPort, ['--eval', script, 'k', ',', 'a']), cli(ctx.echoPort, ['--eval', script, 'k', ',', 'a'])]);
  rmSync(join(script, '..'), { recursive: true, force: true });
  if (e.stdout !== r.stdout) assert.is(e.stdout, "ERR unknown command 'EVAL', with args beginning with: 'return {1,2,'x'}' '1' 'k' 'a' \n\n");
  // And the server kept serving throughout.
  assert.is(await ctx.c.echo.call('PING'), 'PONG');
  await ctx.c.same('DBSIZE');
});

test('--cluster and -c against a server with cluster support disabled', async (ctx) => {
  await populate(ctx);
  for (const sub of [['check'], ['info'], ['call', 'PING'], ['fix'], ['rebalance']]) {
    await same(ctx, 'redis-cli', ['--cluster', sub[0], '127.0.0.1:PORT', ...sub.slice(1)]);
  }
  await same(ctx, 'redis-cli', ['--cluster', 'create', '127.0.0.1:PORT']);
  await cliSame(ctx, ['-c', 'GET', 's']);
  await cliSame(ctx, ['CLUSTER', 'INFO']);
});

test('requirepass with -a, --user/--pass, --askpass and redis-benchmark -a', async (ctx) => {
  for (const cl of [ctx.c.redis, ctx.c.echo]) await cl.call('CONFIG', 'SET', 'requirepass', 'sekret');
  try {
    const id: Norm = (s) => s.replace(/\nid \d+\n/, '\nid N\n');
    for (const args of [
      ['PING'], ['-a', 'sekret', 'PING'], ['-a', 'bad', 'PING'], ['--pass', 'sekret', 'PING'],
      ['--user', 'default', '--pass', 'sekret', 'PING'], ['--user', 'default', '--pass', 'bad', 'PING'],
      ['--user', 'nouser', '--pass', 'sekret', 'PING'], ['-a', 'sekret', '--no-auth-warning', '-n', '2', 'DBSIZE'],
      ['-3', '-a', 'sekret', '--no-auth-warning', 'HELLO'], ['-3', '-a', 'bad', '--no-auth-warning', 'PING'],
      ['AUTH', 'sekret'], ['AUTH', 'default', 'bad'], ['HELLO', '3', 'AUTH', 'default', 'bad'], ['-a', '', 'PING'],
      ['-a', 'sekret', '--no-auth-warning', '--scan'],
    ]) await cliSame(ctx, args, { norm: id });
    await cliSame(ctx, ['--askpass', 'PING'], { input: 'sekret\n' });
    await cliSame(ctx, ['-a', 'sekret', '--no-auth-warning', '--pipe'], { input: enc('PING') + enc('GET', 'k') });
    const bench = (s: string) =>
      s.split(/[\r\n]+/).filter((l) => l.trim() !== '' && !l.includes('rps=')).join('\n').replace(/[\d.]+ requests per second, p50=[\d.]+ msec/g, 'N');
    await same(ctx, 'redis-benchmark', ['-q', '-n', '100', '-c', '2', '-a', 'sekret', '-t', 'set,get'], { norm: bench });
    await same(ctx, 'redis-benchmark', ['-q', '-n', '100', '-c', '2', '-t', 'ping_inline'], { norm: bench });
    await same(ctx, 'redis-benchmark', ['-q', '-n', '100', '-c', '2', '-a', 'bad', '-t', 'ping_mbulk'], { norm: bench });
  } finally {
    for (const cl of [ctx.c.redis, ctx.c.echo]) await cl.call('CONFIG', 'SET', 'requirepass', '');
  }
});

test('--latency and --stat print a sample', async (ctx) => {
  for (const port of [ctx.redisPort, ctx.echoPort]) {
    const lat = await cli(port, ['--latency', '--raw', '-i', '0.1']);
    assert.is(lat.code, 0, lat.stderr);
    assert.match(lat.stdout, /^\d+ \d+ \d+\.\d\d \d+\n$/);
  }
  await ctx.c.same('SET', 'k', 'v');
  const stat = (port: number) => tool('stdbuf', ['-oL', 'redis-cli', '-p', String(port), '--stat', '-i', '0.1'], { timeoutMs: 600 });
  const [r, e] = await Promise.all([stat(ctx.redisPort), stat(ctx.echoPort)]);
  const rows = (x: Run) => x.stdout.split('\n').filter((l) => /^\d/.test(l)).map((l) => l.split(/ +/)[0] + ' ' + l.split(/ +/)[2]);
  // keys and clients (the test's connection and redis-cli) agree; memory and counters are each server's own.
  assert.equal(rows(e).slice(0, 2), rows(r).slice(0, 2));
  assert.equal(e.stdout.split('\n').slice(0, 2), r.stdout.split('\n').slice(0, 2));
});

/** Drives interactive redis-cli through `script` (a pty): each line is sent once the prompt is back. */
function interactive(port: number, lines: string[]): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn('script', ['-qfc', `stty cols 200 rows 50; exec redis-cli -p ${port}`, '/dev/null'], { stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    let next = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
    // The prompt after a reply: "host:port> ", "[db]" and "(TX)" included; edits end in a cursor move.
    const atPrompt = () => /> $/.test(out);
    const step = () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => {
        if (!atPrompt()) return;
        if (next < lines.length) child.stdin.write(lines[next++]);
        else child.stdin.write('quit\r');
      }, 30);
    };
    child.stdout.on('data', (d: Uint8Array) => {
      out += Buffer.from(d).toString('latin1');
      step();
    });
    child.stdin.on('error', () => {});
    child.on('close', () => {
      clearTimeout(kill);
      if (timer !== undefined) clearTimeout(timer);
      resolve(out.replaceAll(String(port), 'PORT'));
    });
  });
}

test('interactive mode: command hints, HELP @group and the prompt', async (ctx) => {
  if (!haveScript) return void console.log('  (skipped: script(1) is not installed)');
  await populate(ctx);
  const lines = [
    // Hints as a command is typed (Ctrl-U clears the line), from COMMAND DOCS.
    'SET \x15XADD k \x15CONFIG SET \x15CLIENT KILL \x15GEOSEARCH k \x15ZADD k \x15OBJECT \x15HELLO \x15PING\r',
    'help @hash\r', 'help @hyperloglog\r', 'help SET\r', 'help client kill\r', 'help nosuch\r',
    'SELECT 3\r', 'MULTI\r', 'SET a 1\r', 'NOSUCH\r', 'EXEC\r', 'HELLO 3\r', 'HGETALL h\r', 'SELECT 0\r', 'ZRANGE z 0 2 WITHSCORES\r',
  ];
  const [r, e] = await Promise.all([interactive(ctx.redisPort, lines), interactive(ctx.echoPort, lines)]);
  const norm = (s: string) => s.replace(/"id" => \(integer\) \d+/, 'ID');
  assert.ok(r.includes('HSETNX'), `redis-cli printed:\n${show(r.slice(0, 2000))}`);
  assert.is(show(norm(e)), show(norm(r)));
});

test('redis-benchmark: every test runs to completion, with the options that change what it sends', async (ctx) => {
  const lines = (s: string) => s.split(/[\r\n]+/).filter((l) => !/rps=|^\s*$/.test(l));
  // A run shorter than redis-benchmark's millisecond clock prints "inf" requests per second.
  const names = (s: string) => lines(s).map((l) => l.replace(/: (?:[\d.]+|inf) requests per second, p50=[\d.]+ msec$/, '').replace(/^("[^"]+"),.*/, '$1'));
  const both = async (args: string[], input?: string) => {
    const [r, e] = await Promise.all([ctx.redisPort, ctx.echoPort].map((p) => tool('redis-benchmark', ['-p', String(p), ...args], { input })));
    assert.is(e.code, r.code, `exit code of redis-benchmark ${args.join(' ')}: ${e.stdout}${e.stderr}`);
    assert.equal(names(e.stdout + e.stderr), names(r.stdout + r.stderr), `redis-benchmark ${args.join(' ')}`);
    return e;
  };
  const all = 'ping_inline,ping_mbulk,set,get,incr,lpush,rpush,lpop,rpop,sadd,hset,spop,zadd,zpopmin,lrange_100,lrange_300,lrange_500,lrange_600,mset,xadd';
  const full = await both(['-q', '-n', '200', '-c', '4', '-t', all]);
  assert.is(names(full.stdout).length, 20, full.stdout);
  assert.not.match(full.stdout + full.stderr, /rror/);
  await both(['--csv', '-n', '200', '-c', '2', '--threads', '2', '-3', '-P', '4', '-d', '100', '-r', '100', '-t', 'set,get,lpush,hset,mset']);
  await both(['-q', '-n', '200', '-c', '2', '-r', '50', 'ZADD', 'bz', '__rand_int__', 'm:__rand_int__']);
  await both(['-q', '-n', '10', '-e', 'LPUSH', 'bz', 'x']);
  await both(['-q', '-n', '10', 'NOSUCH', 'a']);
  await both(['-q', '-n', '20', '-x', 'SET', 'xkey'], 'from\x00stdin');
  await ctx.c.same('GET', 'xkey');
  // One client, no -r: the same commands in the same order, so the same data in each database.
  await ctx.c.same('FLUSHALL');
  await both(['-q', '-c', '1', '-n', '100', '--dbnum', '2', '-d', '7', '-t', 'set,incr,lpush,rpush,lpop,rpop,sadd,hset,zadd,zpopmin,mset']);
  await both(['-q', '-c', '1', '-n', '100', '--dbnum', '2', '-d', '7', '-t', 'lrange_100']);
  await ctx.c.same('DEBUG', 'DIGEST');
  await ctx.c.same('INFO', 'keyspace');
});

test.run();
