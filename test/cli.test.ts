// The command line and process behaviour of the shipped bundle (dist/echokv.mjs under node), as
// redis-server behaves: arguments, config file and stdin, dir/pidfile/logfile/unixsocket,
// start-up failures, signals, and the FATAL CONFIG FILE ERROR block.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as net from 'node:net';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { BUNDLE, freePort, haveRedis, NODE, type Proc, RespClient, ROOT, sleep, startEchokv, startProcess, tempDir } from './_helpers.ts';


/** Runs echokv to completion (for invocations that exit by themselves). */
function runToEnd(args: string[], opts: { cwd?: string; input?: string } = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(NODE, [BUNDLE, ...args], { cwd: opts.cwd, input: opts.input ?? '', encoding: 'utf8', timeout: 20000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A running echokv whose readiness is judged by `ready()` rather than by its stdout. */
interface Child {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  stop(signal?: 'SIGTERM' | 'SIGINT'): Promise<number | null>;
}

function spawnEchokv(args: string[], opts: { cwd?: string; input?: string } = {}): Child {
  const child = spawn(NODE, [BUNDLE, ...args], { cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  child.stdin!.end(opts.input ?? '');
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    exited,
    stop: (signal = 'SIGTERM') => stopChild(child, signal),
  };
}

/**
 * Stops a child with a signal and returns its exit code. Signals by pid: under Deno,
 * child.kill() makes the exit event report the signal instead of the code the process exited with.
 */
async function stopChild(child: ChildProcess, signal: 'SIGTERM' | 'SIGINT' = 'SIGTERM'): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  process.kill(child.pid!, signal);
  const t = setTimeout(() => child.kill('SIGKILL'), 10000);
  const code = await exited;
  clearTimeout(t);
  return code;
}

/** Waits (bounded) until `check` is true; fails with `what` otherwise. */
async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(25);
  }
}

const canConnect = (port: number): Promise<boolean> => new Promise((resolve) => {
  const s = net.connect(port, '127.0.0.1', () => {
    s.destroy();
    resolve(true);
  });
  s.on('error', () => resolve(false));
});

test('--version and -v print the version and exit 0', () => {
  for (const flag of ['--version', '-v']) {
    const r = runToEnd([flag]);
    assert.is(r.code, 0, flag);
    assert.match(r.stdout, /^echokv server v=\d+\.\d+\.\d+ redis=7\.0\.15 runtime=node-\d+/, flag);
  }
});

test('--help and -h print the usage and exit 0', () => {
  for (const flag of ['--help', '-h']) {
    const r = runToEnd([flag]);
    assert.is(r.code, 0, flag);
    assert.ok(r.stdout.includes('Usage: echokv [/path/to/echokv.conf] [options] [-]'), flag);
    assert.ok(r.stdout.includes('echokv --port 7777'), flag);
  }
});

test('a config file, then --options overriding it; the log shows the PID and readiness', async () => {
  const dir = tempDir();
  const filePort = await freePort();
  writeFileSync(join(dir, 'echokv.conf'), `port ${filePort}\nbind 127.0.0.1\nloglevel notice\n`);
  // startProcess appends --port <free port>, which must win over the file's port.
  const p = await startProcess(NODE, [BUNDLE, join(dir, 'echokv.conf'), '--loglevel', 'verbose'], { cwd: dir });
  try {
    assert.ok(p.output().includes(`PID: ${p.child.pid}`), p.output());
    assert.ok(p.output().includes('Configuration loaded'));
    const c = await RespClient.connect(p.port);
    assert.is((await c.callRaw('PING')).bytes, '+PONG\r\n');
    c.close();
    assert.not.ok(await canConnect(filePort), 'the file port is overridden');
  } finally {
    assert.is(await stopChild(p.child, 'SIGTERM'), 0);
    rmSync(dir, { recursive: true, force: true });
  }
  assert.ok(p.output().includes('Received SIGTERM scheduling shutdown...'));
  assert.ok(p.output().includes('echokv is now ready to exit, bye bye...'));
});

test('the process title is proc-title-template expanded, as redis-server sets it', async () => {
  if (!existsSync('/proc/self/cmdline')) return;
  const dir = tempDir();
  const conf = join(dir, 'echokv.conf');
  writeFileSync(conf, 'bind 127.0.0.1\n');
  const title = (pid: number): string => readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0+$/, '');
  // Arguments long enough for the longer title below: the title takes their bytes.
  const p = await startProcess(NODE, [BUNDLE, conf, '--loglevel', 'notice', '--save', '', '--appendonly', 'no'], { cwd: dir });
  const q = await startProcess(NODE, [BUNDLE, '--bind', '127.0.0.1', '--set-proc-title', 'no', '--save', ''], { cwd: dir });
  try {
    // The default template, "{title} {listen-addr} {server-mode}": the script, the first bind address.
    assert.is(title(p.child.pid!), `${BUNDLE} 127.0.0.1:${p.port}`);
    const c = await RespClient.connect(p.port);
    assert.is(await c.call('CONFIG', 'SET', 'proc-title-template', 'TEST {title} {listen-addr} {port} {tls-port} {config-file}'), 'OK');
    assert.is(title(p.child.pid!), `TEST ${BUNDLE} 127.0.0.1:${p.port} ${p.port} 0 ${conf}`);
    assert.equal(await c.call('CONFIG', 'SET', 'proc-title-template', '{invalid-var}'), {
      error: "ERR CONFIG SET failed (possibly related to argument 'proc-title-template') - template format is invalid or contains unknown variables",
    });
    assert.is(title(p.child.pid!), `TEST ${BUNDLE} 127.0.0.1:${p.port} ${p.port} 0 ${conf}`);
    c.close();
    if (haveRedis()) {
      // redis-server with the same file and template: the same title but for {title}.
      const r = await startProcess('redis-server', [conf, '--save', '', '--proc-title-template', 'TEST {title} {listen-addr} {port} {tls-port} {config-file}'], { cwd: dir });
      try {
        const words = title(r.child.pid!).split(' ');
        assert.is(words.slice(2).join(' '), `127.0.0.1:${r.port} ${r.port} 0 ${conf}`, 'redis-server\'s title');
        assert.match(words[1], /redis-server$/);
      } finally {
        r.child.kill('SIGKILL');
      }
    }
    // set-proc-title no: the command line stays as it was started.
    assert.is(title(q.child.pid!), [NODE, BUNDLE, '--bind', '127.0.0.1', '--set-proc-title', 'no', '--save', '', '--port', String(q.port)].join('\0'));
  } finally {
    assert.is(await stopChild(p.child, 'SIGTERM'), 0);
    assert.is(await stopChild(q.child, 'SIGTERM'), 0);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('include with a pattern reads every matching file in order, from the file and from stdin', async () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'conf.d'));
  // Sorted order: b.conf's maxclients wins over a.conf's; nothing matching is fine.
  writeFileSync(join(dir, 'conf.d', 'a.conf'), 'maxclients 111\nhz 11\n');
  writeFileSync(join(dir, 'conf.d', 'b.conf'), 'maxclients 222\n');
  writeFileSync(join(dir, 'main.conf'), `include ${join(dir, 'conf.d', '*.conf')}\ninclude ${join(dir, 'none', '*.conf')}\nbind 127.0.0.1\nsave ""\n`);
  const p = await startProcess(NODE, [BUNDLE, join(dir, 'main.conf')], { cwd: dir });
  try {
    const c = await RespClient.connect(p.port);
    assert.equal(await c.call('CONFIG', 'GET', 'maxclients'), ['maxclients', '222']);
    assert.equal(await c.call('CONFIG', 'GET', 'hz'), ['hz', '11']);
    c.close();
  } finally {
    assert.is(await stopChild(p.child, 'SIGTERM'), 0);
  }
  const r = runToEnd(['-', '--port', '-1'], { cwd: dir, input: `include ${join(dir, 'conf.d', '*.conf')}\n` });
  // The pattern expanded (no "no directory listing" refusal); the bad port is what stops it.
  assert.not.match(r.stderr + r.stdout, 'include');
  assert.match(r.stderr, 'port');
  rmSync(dir, { recursive: true, force: true });
});

test('SIGINT shuts down cleanly with exit code 0', async () => {
  const p = await startProcess(NODE, [BUNDLE, '--bind', '127.0.0.1']);
  const c = await RespClient.connect(p.port);
  assert.is((await c.callRaw('SET', 'k', 'v')).bytes, '+OK\r\n');
  assert.is(await stopChild(p.child, 'SIGINT'), 0);
  assert.ok(await c.waitClosed(), 'clients are disconnected');
  assert.ok(p.output().includes('Received SIGINT scheduling shutdown...'));
});

/** A raw connection that sends `line` at once and collects whatever comes back. */
function rawSend(port: number, line: string): { got(): string } {
  let got = '';
  const s = net.connect(port, '127.0.0.1', () => s.write(line));
  s.on('data', (d) => (got += d));
  s.on('error', () => {});
  return { got: () => got };
}

/**
 * A server in `dir` with save points, `keys` keys and rdb-key-save-delay `delayUs`, sent SIGINT:
 * returns once its final save has opened temp-<pid>.rdb.
 */
async function slowFinalSave(dir: string, keys: number, delayUs: number): Promise<{ p: Proc; temp: string; exited: Promise<number | null> }> {
  const p = await startProcess(NODE, [BUNDLE, '--bind', '127.0.0.1', '--save', '900 1'], { cwd: dir });
  const c = await RespClient.connect(p.port);
  for (let i = 0; i < keys; i++) await c.call('SET', `k${i}`, 'v');
  assert.is(await c.call('CONFIG', 'SET', 'rdb-key-save-delay', String(delayUs)), 'OK');
  const temp = join(dir, `temp-${p.child.pid}.rdb`);
  const exited = new Promise<number | null>((resolve) => p.child.once('exit', (code) => resolve(code)));
  process.kill(p.child.pid!, 'SIGINT');
  await until('the final save to start', () => existsSync(temp) || p.child.exitCode !== null, 5000);
  assert.ok(existsSync(temp), p.output());
  return { p, temp, exited };
}

test('the final save waits rdb-key-save-delay per key and holds every client meanwhile, as Redis\'s blocking rdbSave', async () => {
  const dir = tempDir();
  try {
    const { p, temp, exited } = await slowFinalSave(dir, 10, 50000);
    // Sent while the save runs: never run, never answered (the server exits after the save).
    const late = rawSend(p.port, 'SET late 1\r\n');
    assert.is(await exited, 0, p.output());
    assert.is(late.got(), '');
    assert.not.ok(existsSync(temp));
    const q = await startProcess(NODE, [BUNDLE, '--bind', '127.0.0.1', '--save', ''], { cwd: dir });
    const d = await RespClient.connect(q.port);
    assert.is(await d.call('DBSIZE'), 10);
    assert.is(await d.call('EXISTS', 'late'), 0);
    d.close();
    await q.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a second SIGINT during the final save exits at once with 1 and removes temp-<pid>.rdb, as Redis\'s signal handler', async () => {
  const dir = tempDir();
  try {
    // 20 keys at 100 ms each: a save of 2 s, which the second signal cuts short.
    const { p, temp } = await slowFinalSave(dir, 20, 100000);
    assert.is(await stopChild(p.child, 'SIGINT'), 1);
    assert.ok(p.output().includes('You insist... exiting now.'), p.output());
    assert.not.ok(existsSync(temp), 'temp file removed');
    assert.not.ok(existsSync(join(dir, 'dump.rdb')), 'no dump written');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('used_memory_startup is what the server allocated, so a small maxmemory still takes data, and maxmemory 1 none', async () => {
  const port = await freePort();
  const p = spawnEchokv(['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--maxmemory', '10mb']);
  try {
    await until('the port to accept', async () => (await canConnect(port)) || p.child.exitCode !== null);
    const c = await RespClient.connect(port);
    try {
      // Redis's own start-up is under 1 MB; the runtime and code (about 11 MB) are not counted.
      const startup = Number(/used_memory_startup:(\d+)/.exec(String(await c.call('INFO', 'memory')))?.[1]);
      assert.ok(startup > 0 && startup < 4 * 1024 * 1024, `used_memory_startup ${startup}`);
      assert.is(await c.call('SET', 'k', 'v'), 'OK');
      assert.is(await c.call('CONFIG', 'SET', 'maxmemory', '1'), 'OK');
      const r = await c.callRaw('SET', 'k2', 'v');
      assert.match(r.bytes, /^-OOM command not allowed when used memory > 'maxmemory'/);
    } finally {
      c.close();
    }
  } finally {
    await p.stop();
  }
});

test('a taken port logs "Failed listening on port" and exits 1', async () => {
  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  const port = (blocker.address() as net.AddressInfo).port;
  try {
    const r = runToEnd(['--port', String(port), '--bind', '127.0.0.1']);
    assert.is(r.code, 1, r.stdout + r.stderr);
    assert.ok(r.stdout.includes(`Warning: Could not create server TCP listening socket 127.0.0.1:${port}: bind: Address already in use`), r.stdout);
    assert.ok(r.stdout.includes(`Failed listening on port ${port} (TCP), aborting.`), r.stdout);
    assert.not.ok(r.stdout.includes('Ready to accept connections'));
  } finally {
    blocker.close();
  }
});

test('bind: a "-" address that does not exist here is skipped, a plain one is fatal', async () => {
  // 192.0.2.1 is TEST-NET-1: never assigned to this machine.
  const p = await startProcess(NODE, [BUNDLE, '--bind', '-192.0.2.1', '127.0.0.1']);
  try {
    assert.ok(p.output().includes(`Could not create server TCP listening socket 192.0.2.1:${p.port}: bind: Cannot assign requested address`), p.output());
    const c = await RespClient.connect(p.port);
    assert.is((await c.callRaw('PING')).bytes, '+PONG\r\n');
    c.close();
  } finally {
    assert.is(await stopChild(p.child), 0);
  }
  const port = await freePort();
  const r = runToEnd(['--port', String(port), '--bind', '192.0.2.1', '127.0.0.1']);
  assert.is(r.code, 1);
  assert.ok(r.stdout.includes(`Failed listening on port ${port} (TCP), aborting.`), r.stdout);
});

test('bind "*" and "::*" together, and IPv6-only "::1"', async () => {
  const p = await startProcess(NODE, [BUNDLE, '--bind', '*', '::*']);
  try {
    for (const host of ['127.0.0.1', '::1']) {
      const c = await RespClient.connect(p.port, host);
      assert.is((await c.callRaw('PING')).bytes, '+PONG\r\n', host);
      c.close();
    }
  } finally {
    assert.is(await stopChild(p.child), 0);
  }
  const q = await startProcess(NODE, [BUNDLE, '--bind', '::1']);
  try {
    const c = await RespClient.connect(q.port, '::1');
    assert.is((await c.callRaw('PING')).bytes, '+PONG\r\n');
    c.close();
    assert.not.ok(await canConnect(q.port), 'not on IPv4');
  } finally {
    assert.is(await stopChild(q.child), 0);
  }
});

test('dir is relative to the start directory and holds the pidfile, logfile and unix socket', async () => {
  const base = tempDir();
  mkdirSync(join(base, 'data'));
  const port = await freePort();
  const p = spawnEchokv(['--port', String(port), '--bind', '127.0.0.1', '--dir', 'data', '--pidfile', 'echokv.pid',
    '--logfile', 'echokv.log', '--unixsocket', 'echokv.sock', '--unixsocketperm', '700'], { cwd: base });
  const data = join(base, 'data');
  const log = (): string => (existsSync(join(data, 'echokv.log')) ? readFileSync(join(data, 'echokv.log'), 'utf8') : '');
  try {
    await until('the log to say ready', () => log().includes('Ready to accept connections') || p.child.exitCode !== null);
    assert.is(p.child.exitCode, null, p.output() + log());
    assert.is(p.output(), '', 'with a logfile nothing goes to stdout');
    assert.ok(log().includes(`PID: ${p.child.pid}`), log());
    assert.ok(log().includes('The server is now ready to accept connections at echokv.sock'), log());
    assert.is(readFileSync(join(data, 'echokv.pid'), 'utf8').trim(), String(p.child.pid));
    assert.is(statSync(join(data, 'echokv.sock')).mode & 0o777, 0o700);
    assert.not.ok(existsSync(join(base, 'echokv.pid')));
    const u = await RespClient.connectUnix(join(data, 'echokv.sock'));
    assert.is((await u.callRaw('SET', 'k', '\xff\x00')).bytes, '+OK\r\n');
    u.close();
    const c = await RespClient.connect(port);
    assert.is((await c.callRaw('GET', 'k')).bytes, '$2\r\n\xff\x00\r\n');
    c.close();
  } finally {
    assert.is(await stopChild(p.child), 0);
  }
  assert.not.ok(existsSync(join(data, 'echokv.pid')), 'the pidfile is removed');
  assert.not.ok(existsSync(join(data, 'echokv.sock')), 'the socket is removed');
  assert.ok(log().includes('echokv is now ready to exit, bye bye...'));
  rmSync(base, { recursive: true, force: true });
});

test('loglevel warning leaves out notices', async () => {
  const base = tempDir();
  const port = await freePort();
  const p = spawnEchokv(['--port', String(port), '--bind', '127.0.0.1', '--logfile', 'x.log', '--loglevel', 'warning'], { cwd: base });
  try {
    await until('the port to accept', async () => (await canConnect(port)) || p.child.exitCode !== null);
    assert.is(p.child.exitCode, null, p.output());
  } finally {
    assert.is(await stopChild(p.child), 0);
  }
  const log = readFileSync(join(base, 'x.log'), 'utf8');
  assert.ok(log.includes('Received SIGTERM scheduling shutdown...'), log);
  assert.not.ok(log.includes('Ready to accept connections'), log);
  assert.not.ok(log.includes(' * '), 'no notice lines');
  rmSync(base, { recursive: true, force: true });
});

test('"-" reads the configuration from stdin, after the file and before the options', async () => {
  const base = tempDir();
  const [a, b, c] = [await freePort(), await freePort(), await freePort()];
  const stdinOnly = spawnEchokv(['-'], { cwd: base, input: `port ${a}\nbind 127.0.0.1\n` });
  try {
    await until('stdin port', async () => (await canConnect(a)) || stdinOnly.child.exitCode !== null);
    assert.is(stdinOnly.child.exitCode, null, stdinOnly.output());
  } finally {
    assert.is(await stdinOnly.stop(), 0);
  }
  writeFileSync(join(base, 'f.conf'), `port ${a}\nbind 127.0.0.1\nloglevel warning\n`);
  // The file says a, stdin says b: stdin wins. The options say loglevel notice: they win.
  const both = spawnEchokv(['f.conf', '--loglevel', 'notice', '-'], { cwd: base, input: `port ${b}\n` });
  try {
    // "Ready to accept connections" is a notice: it shows only if the options' loglevel won.
    await until('the ready line', () => both.output().includes('Ready to accept connections') || both.child.exitCode !== null);
    assert.is(both.child.exitCode, null, both.output());
    assert.ok(await canConnect(b), 'the port from stdin');
    assert.not.ok(await canConnect(a));
  } finally {
    assert.is(await both.stop(), 0);
  }
  assert.not.ok(await canConnect(c));
  rmSync(base, { recursive: true, force: true });
});

/** No TCP port, a unix socket in `dir`: a server that listens somewhere, on no port that may be taken. */
const noTcp = (dir: string): string[] => ['--port', '0', '--unixsocket', join(dir, 'echokv.sock')];

test('a damaged RDB or AOF stops start-up with the log lines and check report Redis gives', () => {
  const dir = tempDir('echokv-cli-damaged-');
  try {
    const lastLine = (out: string): string => out.trimEnd().split('\n').pop() ?? '';
    // An RDB whose checksum is wrong (nothing but the header and EOF).
    writeFileSync(join(dir, 'dump.rdb'), Buffer.concat([Buffer.from('REDIS0010\xff', 'latin1'), Buffer.from('foobar00')]));
    const rdb = runToEnd([...noTcp(dir), '--dir', dir, '--persistence', 'rdb']);
    assert.is(rdb.code, 1, rdb.stdout);
    assert.match(rdb.stdout, /Wrong RDB checksum expected: \(\w+\) but got \(\w+\)\. Aborting now\./);
    assert.match(rdb.stdout, /Internal error in RDB reading offset \d+, function at rdbLoad -> RDB CRC error/);
    // Then redis-check-rdb's report, as Redis prints it there; the check found the bad checksum
    // itself and ended the process, so it is the end of the output (no "Terminating server").
    // Its state starts zeroed: type 0 (string) though no key was read.
    const crcReport = '[offset 0] Checking RDB file dump.rdb\n--- RDB ERROR DETECTED ---\n[offset 18] RDB CRC error\n' +
      '[additional info] While doing: check-sum\n[additional info] Reading type 0 (string)\n' +
      '[info] 0 keys read\n[info] 0 expires\n[info] 0 already expired\n';
    assert.ok(rdb.stdout.endsWith(crcReport), rdb.stdout);
    // A hash ziplist too short to be one, after an AUX field and a key with an expiry: the report
    // matches redis-server's but for the error's own text.
    const bad = Buffer.concat([
      Buffer.from('REDIS0010\xfa\x09redis-ver\x067.0.15\xfe\x00\xfb\x02\x01', 'latin1'),
      Buffer.from('\xfc\x00\x00\x00\x00\x00\x00\x00\x7f\x00\x01a\x011', 'latin1'),
      Buffer.from('\x0d\x01h\x03\x0b\x00\x00', 'latin1'),
    ]);
    writeFileSync(join(dir, 'dump.rdb'), bad);
    const report = (out: string): string[] => out.split('\n').filter((l) => /^\[(offset \d+|additional info|info)\]|^---/.test(l))
      .map((l) => (l.includes('Internal error') ? l.replace(/ -> .*/, '') : l));
    const mine = runToEnd([...noTcp(dir), '--dir', dir, '--persistence', 'rdb']);
    assert.is(mine.code, 1, mine.stdout);
    assert.ok(report(mine.stdout).includes("[additional info] Reading key 'h'"), mine.stdout);
    // The damage was found inside the value's loader: the report, then rdbReportError's end.
    assert.match(lastLine(mine.stdout), /Terminating server after rdb file reading failure\.$/);
    if (haveRedis()) {
      const r = spawnSync('redis-server', [...noTcp(dir), '--dir', dir, '--save', ''], { encoding: 'utf8', timeout: 20000 });
      assert.equal(report(mine.stdout).map((l) => l.replace(/function at \S+/, 'function at X')),
        report(r.stdout).map((l) => l.replace(/function at \S+/, 'function at X')), r.stdout);
      assert.match(lastLine(r.stdout), /Terminating server after rdb file reading failure\.$/);
      writeFileSync(join(dir, 'dump.rdb'), Buffer.from('REDIS0010\xfffoobar00', 'latin1'));
      const rc = spawnSync('redis-server', [...noTcp(dir), '--dir', dir, '--save', ''], { encoding: 'utf8', timeout: 20000 });
      assert.ok(rc.stdout.endsWith(crcReport), rc.stdout);
    }
    rmSync(join(dir, 'dump.rdb'));
    // An AOF with a bad byte mid-file, and a manifest with a non-monotonic sequence.
    mkdirSync(join(dir, 'appendonlydir'));
    writeFileSync(join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof'), '*1\r\n$4\r\nPING\r\n!!!*1\r\n$4\r\nPING\r\n');
    writeFileSync(join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'file appendonly.aof.1.incr.aof seq 1 type i\n');
    const aof = runToEnd([...noTcp(dir), '--dir', dir, '--persistence', 'aof', '--appendonly', 'yes']);
    assert.is(aof.code, 1, aof.stdout);
    assert.match(lastLine(aof.stdout), /Bad file format reading the append only file appendonly\.aof\.1\.incr\.aof/);
    writeFileSync(join(dir, 'appendonlydir', 'appendonly.aof.manifest'),
      'file appendonly.aof.1.incr.aof seq 2 type i\nfile appendonly.aof.2.incr.aof seq 1 type i\n');
    const seq = runToEnd([...noTcp(dir), '--dir', dir, '--persistence', 'aof', '--appendonly', 'yes']);
    assert.is(seq.code, 1, seq.stdout);
    assert.is(seq.stdout.split('Found a non-monotonic sequence number').length - 1, 1, seq.stdout);
    assert.match(lastLine(seq.stdout), /Found a non-monotonic sequence number/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a dump cut short, a file that is no dump, and a damaged AOF base: the lines Redis logs and prints', () => {
  const dir = tempDir('echokv-cli-cut-');
  try {
    const logLines = (out: string): string[] => out.split('\n')
      .filter((l) => /# (Short read|Internal error|Terminating|Wrong signature|Can't handle|Fatal error loading)/.test(l))
      .map((l) => l.slice(l.indexOf('# ') + 2).replace(/function at \S+/, 'function at X'));
    const report = (out: string): string[] => out.split('\n').filter((l) => /^\[(offset \d+|additional info|info)\]|^---/.test(l));
    const both = (args: string[]): { mine: string; theirs: string | null } => {
      const mine = runToEnd([...noTcp(dir), '--dir', dir, ...args]);
      assert.is(mine.code, 1, mine.stdout);
      if (!haveRedis()) return { mine: mine.stdout, theirs: null };
      const r = spawnSync('redis-server', [...noTcp(dir), '--dir', dir, '--save', '', ...args], { encoding: 'utf8', timeout: 20000 });
      assert.is(r.status, 1, r.stdout);
      return { mine: mine.stdout, theirs: r.stdout };
    };
    // An AUX field, a database, one key read whole, then a string value cut in the middle.
    const dump = Buffer.from('REDIS0010\xfa\x09redis-ver\x067.0.15\xfe\x00\x00\x01a\x011\x00\x01b\x0aonly', 'latin1');
    let cutReport: string[] = [];
    for (const cut of [dump.length, 12, 5]) {
      writeFileSync(join(dir, 'dump.rdb'), dump.subarray(0, cut));
      const { mine, theirs } = both([]);
      assert.ok(mine.includes('Short read or OOM loading DB. Unrecoverable error, aborting now.'), mine);
      if (cut === dump.length) cutReport = report(mine);
      if (theirs !== null) {
        assert.equal(logLines(mine), logLines(theirs), `cut at ${cut}: ${theirs}`);
        assert.equal(report(mine), report(theirs), `cut at ${cut}: ${theirs}`);
      }
    }
    // A quicklist node of no bytes (packed or plain, version 2, and a version 1 ziplist): Redis
    // takes it as a read that failed.
    for (const node of ['\x12\x01l\x01\x02\x00', '\x12\x01l\x01\x01\x00', '\x0e\x01l\x01\x00']) {
      writeFileSync(join(dir, 'dump.rdb'), Buffer.from(`REDIS0010\xfe\x00${node}\xff\x00\x00\x00\x00\x00\x00\x00\x00`, 'latin1'));
      const { mine, theirs } = both([]);
      assert.ok(mine.includes('Short read or OOM loading DB. Unrecoverable error, aborting now.'), mine);
      if (theirs !== null) {
        assert.equal(logLines(mine), logLines(theirs), theirs);
        assert.equal(report(mine), report(theirs), theirs);
      }
    }
    // Not a dump at all: Redis runs no check for that, and exits with errno's words.
    writeFileSync(join(dir, 'dump.rdb'), 'REDIX0010\xff');
    const sig = both([]);
    assert.equal(logLines(sig.mine), ['Wrong signature trying to load DB from file', 'Fatal error loading the DB: Invalid argument. Exiting.']);
    assert.equal(report(sig.mine), []);
    if (sig.theirs !== null) assert.equal(logLines(sig.theirs), logLines(sig.mine));
    // The version is what C's atoi reads in its four characters.
    writeFileSync(join(dir, 'dump.rdb'), 'REDISe010\xff');
    const ver = both([]);
    assert.equal(logLines(ver.mine), ["Can't handle RDB format version 0", 'Fatal error loading the DB: Invalid argument. Exiting.']);
    if (ver.theirs !== null) assert.equal(logLines(ver.theirs), logLines(ver.mine));
    rmSync(join(dir, 'dump.rdb'));
    // The same dump cut short as the base of a multi-part AOF: Redis logs the same lines (its
    // check then cannot find the base file, named without its directory; echokv's can).
    mkdirSync(join(dir, 'appendonlydir'));
    writeFileSync(join(dir, 'appendonlydir', 'appendonly.aof.1.base.rdb'), dump);
    writeFileSync(join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'file appendonly.aof.1.base.rdb seq 1 type b\n');
    const aof = both(['--appendonly', 'yes']);
    assert.equal(logLines(aof.mine).slice(0, 2), [
      'Short read or OOM loading DB. Unrecoverable error, aborting now.',
      'Internal error in RDB reading offset 0, function at X -> Unexpected EOF reading RDB file',
    ], aof.mine);
    // The report is the dump's, but for the file's name.
    assert.equal(report(aof.mine), cutReport.map((l) => l.replace('dump.rdb', 'appendonly.aof.1.base.rdb')), aof.mine);
    assert.ok(cutReport.includes("[additional info] Reading key 'b'"), cutReport.join('\n'));
    if (aof.theirs !== null) assert.equal(logLines(aof.theirs), logLines(aof.mine).slice(0, 2), aof.theirs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The dump echokv saves in `dir` after running `commands`. */
async function dumpAfter(dir: string, commands: string[][]): Promise<Buffer> {
  const srv = await startEchokv({ persistence: 'rdb', dir, save: '' });
  const c = await RespClient.connect(srv.port);
  try {
    for (const cmd of [...commands, ['SAVE']]) await c.call(...cmd);
  } finally {
    c.close();
    await srv.stop();
  }
  return readFileSync(join(dir, 'dump.rdb'));
}

/** The lines of a start-up on a damaged dump that redis-server gives too: the log's about the
 * damage, and the check report (the functions' source places are Redis's own). */
function damageLines(out: string): string[] {
  return out.split('\n')
    .filter((l) => /^\[(offset \d+|additional info|info)\]|^---|# (Short read|Internal error|Terminating|Wrong RDB|Fatal error)/.test(l))
    .map((l) => (l.startsWith('[') || l.startsWith('---') ? l : l.slice(l.indexOf('# ') + 2)))
    .map((l) => l.replace(/function at \S+/, 'function at X').replace(/\(\w{16}\) but got \(\w{16}\)/, 'SUMS'));
}

/** A test against redis-server in a temp directory of its own (nothing to compare without it). */
function withRedis(title: string, fn: (dir: string) => Promise<void>): void {
  test(title, async () => {
    if (!haveRedis()) return;
    const dir = tempDir('echokv-cli-redis-');
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

withRedis('a stream cut short in the dump is reported by the step it was cut at, as Redis words it', async (dir) => {
  // A stream with a consumer group, a pending entry and its consumer, saved by echokv.
  const dump = await dumpAfter(dir, [['XADD', 'st', '1-1', 'a', '1'], ['XADD', 'st', '2-1', 'b', '2'],
    ['XGROUP', 'CREATE', 'st', 'g1', '0'], ['XREADGROUP', 'GROUP', 'g1', 'c1', 'COUNT', '1', 'STREAMS', 'st', '>']]);
  const keyAt = dump.indexOf(Buffer.from('\x02st', 'latin1'));
  assert.ok(keyAt > 0);
  const lines = damageLines;
  const seen = new Set<string>();
  // Cuts spread over the stream's bytes, its checksum and EOF byte left out.
  for (let i = 0; i < 12; i++) {
    const cut = keyAt + 3 + Math.floor(((dump.length - 9 - keyAt - 3) * i) / 12);
    writeFileSync(join(dir, 'dump.rdb'), dump.subarray(0, cut));
    const mine = runToEnd([...noTcp(dir), '--dir', dir]);
    const theirs = spawnSync('redis-server', [...noTcp(dir), '--dir', dir, '--save', ''], { encoding: 'utf8', timeout: 20000 });
    assert.is(mine.code, 1, mine.stdout);
    assert.equal(lines(mine.stdout), lines(theirs.stdout), `cut at ${cut}: ${theirs.stdout}`);
    const step = /Internal error in RDB reading offset \d+, function at \S+ -> (.*)/.exec(mine.stdout)?.[1];
    if (step !== undefined) seen.add(step);
  }
  // Several of the loader's steps were hit, each with its own words.
  assert.ok([...seen].filter((x) => x.startsWith('Stream')).length >= 3, [...seen].join('\n'));
});

withRedis('a byte changed anywhere in a dump: the lines and check report redis-server gives', async (dir) => {
  const dump = await dumpAfter(dir, [['SET', 's', 'string'], ['HSET', 'h', 'f', 'v', 'g', 'w'], ['ZADD', 'z', '1', 'a', '2', 'b'],
    ['RPUSH', 'l', 'x', 'y'], ['SADD', 'i', '1', '2', '3'], ['XADD', 'x', '1-1', 'a', 'b'], ['SET', 'n', '12345']]);
  const lines = damageLines;
  // The type byte of the key after the first one, then bytes spread over the rest.
  const offsets = [dump.indexOf(Buffer.from('\x01h', 'latin1')) - 1];
  for (let i = 0; i < 14; i++) offsets.push(9 + Math.floor(((dump.length - 18) * i) / 14));
  const found = new Set<string>();
  for (const at of offsets) {
    const bad = Buffer.from(dump);
    bad[at] ^= 0x55;
    writeFileSync(join(dir, 'dump.rdb'), bad);
    const mine = runToEnd([...noTcp(dir), '--dir', dir]);
    const theirs = spawnSync('redis-server', [...noTcp(dir), '--dir', dir, '--save', ''], { encoding: 'utf8', timeout: 20000 });
    assert.is(mine.code, theirs.status, `byte ${at}: ${mine.stdout}`);
    assert.equal(lines(mine.stdout), lines(theirs.stdout), `byte ${at}: ${theirs.stdout}`);
    for (const l of lines(mine.stdout)) if (l.startsWith('[offset') && !l.includes('AUX') && !l.includes('Selecting') && !l.includes('Checking')) found.add(l.replace(/\[offset \d+\] /, ''));
  }
  // Not all caught by the checksum: a type no version knows, a broken blob.
  assert.ok(found.has(`Invalid object type: ${dump[offsets[0]] ^ 0x55}`), [...found].join('\n'));
  assert.ok(found.size >= 3, [...found].join('\n'));
});

withRedis('an AOF base file loads with the notices Redis logs', async (dir) => {
  // A base file that says what it is, an information field ('%' AUX), a key with an expiry gone
  // by (an AOF keeps it), and no checksum; then one command in the incremental file.
  const aux = (k: string, v: string) => `\xfa${String.fromCharCode(k.length)}${k}${String.fromCharCode(v.length)}${v}`;
  const base = `REDIS0010${aux('redis-ver', '7.0.15')}${aux('aof-base', '1')}${aux('%note', 'hello')}\xfe\x00` +
    '\x00\x01a\x011\xfc\x01\x00\x00\x00\x00\x00\x00\x00\x00\x01b\x012\xff\x00\x00\x00\x00\x00\x00\x00\x00';
  mkdirSync(join(dir, 'appendonlydir'));
  writeFileSync(join(dir, 'appendonlydir', 'appendonly.aof.1.base.rdb'), Buffer.from(base, 'latin1'));
  writeFileSync(join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof'), '*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$1\r\n3\r\n');
  writeFileSync(join(dir, 'appendonlydir', 'appendonly.aof.manifest'),
    'file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
  const notices = (out: string): string[] => out.split('\n')
    .filter((l) => / [*#] (RDB|Done loading|Loading RDB|Reading RDB)/.test(l) && !/RDB age/.test(l))
    .map((l) => l.slice(l.search(/ [*#] /) + 1));
  const run = async (cmd: string, args: string[]): Promise<string> => {
    const child = spawn(cmd, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    try {
      // redis-server on a unix socket alone says "The server is now ready to accept connections at ...".
      await until('the server to be ready', () => /ready to accept connections/i.test(out) || child.exitCode !== null);
    } finally {
      assert.is(await stopChild(child), 0, out);
    }
    return out;
  };
  const args = [...noTcp(dir), '--dir', dir, '--appendonly', 'yes', '--save', ''];
  const mine = notices(await run(NODE, [BUNDLE, ...args]));
  const theirs = notices(await run('redis-server', args));
  assert.equal(mine, theirs);
  assert.ok(mine.includes('* RDB is base AOF') && mine.includes("* RDB '%note': hello"), mine.join('\n'));
  assert.ok(mine.includes('* Done loading RDB, keys loaded: 2, keys expired: 0.'), mine.join('\n'));
});

test('config errors print the FATAL CONFIG FILE ERROR block and exit 1', () => {
  const base = tempDir();
  const file = join(base, 'bad.conf');
  writeFileSync(file, '# a comment\nport 7000\nfoo bar\n');
  let r = runToEnd([file]);
  assert.is(r.code, 1);
  assert.ok(r.stderr.includes('*** FATAL CONFIG FILE ERROR (echokv'), r.stderr);
  assert.ok(r.stderr.includes('Reading the configuration file, at line 3'), r.stderr);
  assert.ok(r.stderr.includes(">>> 'foo bar'"), r.stderr);
  assert.ok(r.stderr.includes('Bad directive or wrong number of arguments'), r.stderr);

  writeFileSync(file, 'port abc\n');
  r = runToEnd([file]);
  assert.is(r.code, 1);
  assert.ok(r.stderr.includes('Reading the configuration file, at line 1'), r.stderr);
  assert.ok(r.stderr.includes(">>> 'port abc'"), r.stderr);

  r = runToEnd(['--port', '7000', '--dir', join(base, 'missing')]);
  assert.is(r.code, 1);
  assert.ok(r.stderr.includes('*** FATAL CONFIG FILE ERROR'), r.stderr);
  assert.ok(r.stderr.includes(">>> 'dir ") && r.stderr.includes(join(base, 'missing')), r.stderr);
  assert.ok(r.stderr.includes('No such file or directory'), r.stderr);

  r = runToEnd(['--port', '7000', '--logfile', join(base, 'missing', 'x.log')]);
  assert.is(r.code, 1);
  assert.ok(r.stderr.includes("Can't open the log file: No such file or directory"), r.stderr);

  r = runToEnd([join(base, 'nope.conf')]);
  assert.is(r.code, 1);
  assert.ok(r.stdout.includes(`Fatal error, can't open config file '${join(base, 'nope.conf')}': No such file or directory`), r.stdout);
  rmSync(base, { recursive: true, force: true });
});

test('a refused configuration is reported as redis-server reports it: the line number and the line', () => {
  if (!haveRedis()) return;
  const base = tempDir();
  const file = join(base, 'x.conf');
  writeFileSync(file, '# two lines\nport 7000\n');
  const cases = [
    // Redis's unit/introspection "command line arguments - error cases".
    ['--port'], ['--port', '6380', '--loglevel'], ['--port', '6379', '6380'], ['--port', '--loglevel', 'verbose'],
    ['--port', '--bla', '--loglevel', 'verbose'], ['--logfile', '--my--log--file', '--loglevel', '--bla'],
    ['--shutdown-on-sigint'], ['--shutdown-on-sigint', 'now force', '--shutdown-on-sigterm'],
    ['--replicaof', '127.0.0.1', 'abc'], ['--replicaof', '--127.0.0.1', 'abc'], ['--replicaof', '--127.0.0.1', '--abc'],
    // After a config file, the options' lines are numbered after the file's; values are quoted.
    [file, '--port', 'x y'], [file, '--maxmemory', '1\tgb\u00e9'], ['--rename-command', 'nosuch', 'x'],
  ];
  try {
    for (const args of cases) {
      const e = runToEnd(args);
      const r = spawnSync('redis-server', args, { cwd: base, encoding: 'utf8', timeout: 20000 });
      const tail = (s: string) => s.trim().split('\n').slice(-3).join('\n');
      assert.is(e.code, 1, args.join(' '));
      assert.is(tail(e.stderr), tail(r.stderr), args.join(' '));
    }
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test('start-up refusals without the FATAL block, and a NUL byte in the file, as redis-server', () => {
  const base = tempDir();
  const file = join(base, 'x.conf');
  // The exit code, the refused line if any, and the last log line without its pid/role/time.
  const outcome = (code: number | null, out: string): string => {
    const lines = out.trim().split('\n');
    const refused = lines.filter((l) => l.startsWith('>>> ')).pop() ?? '';
    return `${code} ${refused} ${lines.pop()!.replace(/^\d+:[CM] .*? [*#] /, '')}`;
  };
  try {
    const cases: [string | null, string[]][] = [
      // An include that cannot be read is logged as the config file itself would be.
      [`port 7000\ninclude ${join(base, 'missing.conf')}\nnosuch\n`, []],
      // No TCP port and no unix socket: nothing could reach the server.
      [null, ['--port', '0']],
      [null, ['--port', '7000', '--bind', '']],
      // A multi-argument value that does not split (unbalanced quotes) leaves no arguments.
      [null, ['--port', '7000', '--bind', '"1.2.3.4']],
      [null, ['--port', '7000', '--oom-score-adj-values', '"1']],
      // fgets and sdscat: a NUL byte drops the rest of its line, newline included.
      ['port 7000\x00\nnosuch\n', []],
    ];
    for (const [text, args] of cases) {
      if (text !== null) writeFileSync(file, text);
      const argv = text === null ? args : [file, ...args];
      const e = runToEnd(argv, { cwd: base });
      const got = outcome(e.code, e.stdout + e.stderr);
      assert.is(e.code, 1, got);
      if (!haveRedis()) continue;
      const r = spawnSync('redis-server', argv, { cwd: base, encoding: 'utf8', timeout: 20000 });
      assert.is(got.replace('(echokv', '(Redis'), outcome(r.status, r.stdout + r.stderr), argv.join(' '));
    }
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test('the PID is logged once the port is bound: a client that connects on reading it gets in', async () => {
  // Redis's test suite (and other tools) connect as soon as the log shows the PID.
  const dir = tempDir();
  const port = await freePort();
  const child = spawn(NODE, [BUNDLE, '--port', String(port), '--save', ''], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let out = '';
    const first = await new Promise<boolean | string>((resolve) => {
      const timer = setTimeout(() => resolve(`no PID line within 20 s:\n${out}`), 20000);
      child.stdout!.on('data', (d) => {
        const seen = out.includes(`PID: ${child.pid}`);
        out += d;
        if (seen || !out.includes(`PID: ${child.pid}`)) return;
        clearTimeout(timer);
        void canConnect(port).then(resolve);
      });
    });
    assert.is(first, true, 'connected on reading the PID line');
  } finally {
    assert.is(await stopChild(child, 'SIGTERM'), 0);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a crash is reported in the log, as Redis reports one: DEBUG SEGFAULT and SIGABRT', async () => {
  for (const how of ['DEBUG SEGFAULT', 'SIGABRT'] as const) {
    const p = await startProcess(NODE, [BUNDLE, '--save', '', '--enable-debug-command', 'yes']);
    const exited = new Promise<string | null>((resolve) => p.child.on('exit', (_code, signal) => resolve(signal)));
    if (how === 'SIGABRT') {
      p.child.kill('SIGABRT');
    } else {
      const c = await RespClient.connect(p.port);
      await c.callRaw('DEBUG', 'SEGFAULT').catch(() => null);
      c.close();
    }
    const signal = await exited;
    const out = p.output();
    assert.is(signal, how === 'SIGABRT' ? 'SIGABRT' : 'SIGSEGV', out);
    assert.ok(out.includes('=== ECHOKV BUG REPORT START: Cut & paste starting from here ==='), out);
    assert.ok(out.includes(`crashed by signal: ${how === 'SIGABRT' ? '6, si_code: 0' : '11, si_code: 1'}`), out);
    assert.ok(out.includes('------ INFO OUTPUT ------') && out.includes('# Server'), out);
    assert.ok(out.includes('=== ECHOKV BUG REPORT END.'), out);
    await p.stop();
  }
});

test('a signal schedules the shutdown for the cron, which SHUTDOWN ABORT can cancel, as in redis-server (Redis\'s unit/shutdown)', async () => {
  // The same sequence against echokv and, when installed, redis-server: the replies must match.
  const servers: [string, string[]][] = [['echokv', [NODE, BUNDLE]]];
  if (haveRedis()) servers.push(['redis-server', ['redis-server']]);
  const replies: string[][] = [];
  for (const [name, [cmd, ...pre]] of servers) {
    const dir = tempDir();
    const p = await startProcess(cmd, [...pre, '--save', '', '--enable-debug-command', 'yes', '--dir', dir]);
    const got: string[] = [];
    try {
      const c = await RespClient.connect(p.port);
      got.push((await c.callRaw('SHUTDOWN', 'ABORT')).bytes);
      got.push((await c.callRaw('DEBUG', 'PAUSE-CRON', '1')).bytes);
      p.child.kill('SIGTERM');
      await sleep(300);
      got.push((await c.callRaw('SHUTDOWN', 'ABORT')).bytes);
      assert.ok(p.output().includes('Shutdown manually aborted.'), `${name}: ${p.output()}`);
      got.push((await c.callRaw('DEBUG', 'PAUSE-CRON', '0')).bytes);
      await sleep(300);
      got.push((await c.callRaw('PING')).bytes);
      c.close();
    } finally {
      // The next SIGTERM shuts down as usual.
      assert.is(await stopChild(p.child, 'SIGTERM'), 0);
      rmSync(dir, { recursive: true, force: true });
    }
    replies.push(got);
  }
  assert.equal(replies[0], ['-ERR No shutdown in progress.\r\n', '+OK\r\n', '+OK\r\n', '+OK\r\n', '+PONG\r\n']);
  if (replies.length > 1) assert.equal(replies[0], replies[1]);
});


test('a closed stdout and stderr (as `echokv | head -1` leaves them) do not stop the server, as they do not stop redis-server', async () => {
  const base = tempDir();
  const port = await freePort();
  const child = spawn(NODE, [BUNDLE, '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--loglevel', 'debug'],
    { cwd: base, stdio: ['ignore', 'pipe', 'pipe'] });
  // The reader goes away at once: every log line after the first few meets a closed pipe.
  child.stdout!.destroy();
  child.stderr!.destroy();
  try {
    await until('the port to accept', async () => (await canConnect(port)) || child.exitCode !== null);
    const c = await RespClient.connect(port);
    try {
      // Debug-level lines for each connection and a notice for the save: all written nowhere.
      for (let i = 0; i < 3; i++) assert.is((await c.callRaw('SET', `k${i}`, 'v')).bytes, '+OK\r\n');
      assert.is((await c.callRaw('SAVE')).bytes, '+OK\r\n');
      assert.is((await c.callRaw('DBSIZE')).bytes, ':3\r\n');
    } finally {
      c.close();
    }
    assert.is(child.exitCode, null, 'still running');
  } finally {
    assert.is(await stopChild(child), 0);
    rmSync(base, { recursive: true, force: true });
  }
});
test('SIGHUP is ignored, as redis-server ignores it (a closed terminal does not stop the server)', async () => {
  const base = tempDir();
  const port = await freePort();
  const p = spawnEchokv(['--port', String(port), '--bind', '127.0.0.1', '--save', ''], { cwd: base });
  try {
    await until('the port to accept', async () => (await canConnect(port)) || p.child.exitCode !== null);
    process.kill(p.child.pid!, 'SIGHUP');
    await sleep(300);
    const c = await RespClient.connect(port);
    try {
      assert.is((await c.callRaw('PING')).bytes, '+PONG\r\n');
    } finally {
      c.close();
    }
    assert.is(p.child.exitCode, null, p.output());
  } finally {
    assert.is(await p.stop(), 0);
    rmSync(base, { recursive: true, force: true });
  }
});

test.run();
