// `npm run bench`: echokv beside redis-server in the same run, servers alternating, reported as
// ratios. On a 2-core machine redis-benchmark fills a core by itself, so throughput alone hides
// the server's cost: each run also reads the server's CPU time from /proc/PID/stat before and
// after and reports CPU microseconds per operation. Then 1M string keys, and 1M members of one
// hash, set, sorted set and list, are loaded into each server (a fresh pair of servers per data
// type) and the growth of resident memory is compared. Then SET with the append-only file under
// each fsync policy, and SAVE, BGSAVE and start-up loading of 1M keys of mixed types.
//
//   npm run bench                      echokv on node
//   npm run bench -- --runtime=bun     echokv's bundle under bun (or deno)
//   npm run bench -- --quick           fewer requests (a smoke run, not for the README)
//   npm run bench -- --rounds=3        repeat each measurement and keep the median (the table also
//                                      gives the range of the rounds' own ratios)
//   npm run bench -- --tests=set,get --memory=string   a subset
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const opt = (name, def) => {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : def;
};
const quick = args.includes('--quick');
const runtime = opt('runtime', 'node');
const rounds = Number(opt('rounds', quick ? 1 : 3));
const clients = 50;
const memKeys = Number(opt('keys', quick ? 100_000 : 1_000_000));
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim() || 100);

/**
 * The tests: redis-benchmark's own (-t name) or a command of ours, with an optional setup run
 * first (after FLUSHALL) so that reads find data: LPOP pops what an LPUSH run pushed, ZRANGE
 * reads 100 members.
 */
const CUSTOM = {
  xadd: { cmd: ['XADD', 'mystream', '*', 'field', 'value'] },
  zrange100: {
    cmd: ['ZRANGE', 'myzset', '0', '99'],
    setup: (port) => cli(port, 'ZADD', 'myzset', ...Array.from({ length: 100 }, (_, i) => [String(i), `member:${i}`]).flat()),
  },
};
const SETUP_BY_BENCH = { lpop: 'lpush' };
const TESTS = (opt('tests', 'set,get,incr,mset,lpush,lpop,sadd,hset,zadd,xadd,zrange100')).split(',').filter(Boolean);
const REQUESTS = { 1: quick ? 20_000 : 200_000, 16: quick ? 100_000 : 1_000_000 };

function need(bin) {
  if (spawnSync(bin, ['--version'], { stdio: 'ignore' }).status !== 0) {
    console.error(`bench: ${bin} is required (apt-get install redis-server redis-tools)`);
    process.exit(1);
  }
}

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function startServer(name, cmd, argv) {
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const deadline = Date.now() + 30_000;
  while (!out.includes('Ready to accept connections')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${name} did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return { name, child, pid: child.pid };
}

function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

function rssBytes(pid) {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return Number(m[1]) * 1024;
}

function cli(port, ...argv) {
  const r = spawnSync('redis-cli', ['-p', String(port), ...argv], { encoding: 'utf8' });
  return r.stdout.trim();
}

/** One redis-benchmark run; returns ops/s and the server's CPU us per op. */
function benchArgs(port, test, n, pipeline) {
  const common = ['-p', String(port), '-n', String(n), '-c', String(clients), '-P', String(pipeline), '-r', '100000', '--csv'];
  return CUSTOM[test] ? [...common, ...CUSTOM[test].cmd] : [...common, '-t', test];
}

function runBench(server, port, test, pipeline) {
  const n = REQUESTS[pipeline];
  cli(port, 'FLUSHALL');
  if (SETUP_BY_BENCH[test]) spawnSync('redis-benchmark', benchArgs(port, SETUP_BY_BENCH[test], n, 16));
  CUSTOM[test]?.setup?.(port);
  const before = cpuTicks(server.pid);
  const r = spawnSync('redis-benchmark', benchArgs(port, test, n, pipeline), { encoding: 'utf8' });
  const after = cpuTicks(server.pid);
  // One test per run: the first CSV row after the header is it.
  const line = r.stdout.split('\n').filter((l) => l.startsWith('"'))[1];
  if (!line) throw new Error(`redis-benchmark ${test} failed against ${server.name}:\n${r.stdout}${r.stderr}`);
  const rps = Number(line.split(',')[1].replaceAll('"', ''));
  // MSET in redis-benchmark sets 10 keys per request; the op is the request.
  return { rps, cpuUs: (((after - before) / CLK_TCK) * 1e6) / n };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** How each memory test writes its i-th element (a RESP command). */
const MEM_TESTS = {
  string: { label: 'string keys (16-byte keys, 10-byte values)', cmd: (i) => ['SET', `key:${String(i).padStart(12, '0')}`, 'value67890'], size: (p) => cli(p, 'DBSIZE') },
  hash: { label: 'fields in one hash (16-byte fields, 10-byte values)', cmd: (i) => ['HSET', 'bighash', `fld:${String(i).padStart(12, '0')}`, 'value67890'], size: (p) => cli(p, 'HLEN', 'bighash') },
  set: { label: 'members in one set (16-byte members)', cmd: (i) => ['SADD', 'bigset', `mbr:${String(i).padStart(12, '0')}`], size: (p) => cli(p, 'SCARD', 'bigset') },
  zset: { label: 'members in one sorted set (16-byte members)', cmd: (i) => ['ZADD', 'bigzset', String(i), `mbr:${String(i).padStart(12, '0')}`], size: (p) => cli(p, 'ZCARD', 'bigzset') },
  list: { label: 'elements in one list (10-byte values)', cmd: () => ['RPUSH', 'biglist', 'value67890'], size: (p) => cli(p, 'LLEN', 'biglist') },
};

const resp = (args) => `*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('');

/** Loads `count` elements of a memory test through redis-cli --pipe; RSS growth per element. */
function memoryPer(server, port, test, count) {
  cli(port, 'FLUSHALL');
  const base = rssBytes(server.pid);
  const batch = 100_000;
  for (let start = 0; start < count; start += batch) {
    let text = '';
    const end = Math.min(count, start + batch);
    for (let i = start; i < end; i++) text += resp(MEM_TESTS[test].cmd(i));
    const r = spawnSync('redis-cli', ['-p', String(port), '--pipe'], { input: text, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`Loading ${test} data into ${server.name} failed: ${r.stderr}${r.stdout}`);
  }
  const size = Number(MEM_TESTS[test].size(port));
  if (size !== count) throw new Error(`${server.name} holds ${size} ${test} elements, expected ${count}`);
  const grown = (rssBytes(server.pid) - base) / count;
  cli(port, 'FLUSHALL');
  return grown;
}

// ---------------------------------------------------------------------------------------------
// The append-only file: SET throughput with appendonly yes under each fsync policy, echokv beside
// redis-server with the same settings (each on its own data directory), alternating as above.
//   npm run bench -- --aof=always,everysec   (the default; --aof= skips it)

/**
 * Counts the fdatasync calls of `pid` while `fn` runs, through the kernel's syscall tracepoint
 * (`perf stat`, no slowdown of the traced process); null when perf cannot. perf follows the
 * threads that exist when it attaches: Redis's bio threads and Node's thread pool are started
 * with the server.
 */
async function countFdatasyncs(pid, fn) {
  if (!perfUsable) return { value: fn(), fsyncs: null };
  const perf = spawn('perf', ['stat', '-x', ',', '-e', 'syscalls:sys_enter_fdatasync', '-p', String(pid)],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  perf.stderr.on('data', (d) => (err += d));
  // perf attaches asynchronously: give it a moment before the load starts.
  await new Promise((r) => setTimeout(r, 300));
  const value = fn();
  const done = new Promise((r) => perf.on('close', r));
  perf.kill('SIGINT');
  await done;
  const line = err.split('\n').find((l) => l.includes('sys_enter_fdatasync'));
  const n = line ? Number(line.split(',')[0]) : NaN;
  return { value, fsyncs: Number.isFinite(n) ? n : null };
}

const perfUsable =
  spawnSync('perf', ['stat', '-e', 'syscalls:sys_enter_fdatasync', '--', 'true'], { stdio: 'ignore' }).status === 0;

async function benchAof(policies) {
  const rows = [];
  const per50k = (x) => (x.fsyncs === null ? NaN : (x.fsyncs * 50_000) / REQUESTS[x.p]);
  for (const policy of policies) {
    const base = mkdtempSync(join(tmpdir(), `echokv-bench-aof-${policy}-`));
    const [rdir, edir] = [join(base, 'redis'), join(base, 'echokv')];
    mkdirSync(rdir);
    mkdirSync(edir);
    const aofArgs = ['--appendonly', 'yes', '--appendfsync', policy, '--save', '', '--bind', '127.0.0.1'];
    const [rp, ep] = [await freePort(), await freePort()];
    const r = await startServer(`redis-server (aof ${policy})`, 'redis-server', ['--port', String(rp), '--dir', rdir, ...aofArgs]);
    const e = await startServer(`echokv (aof ${policy})`, echoCmd[0], [...echoCmd[1], '--port', String(ep), '--dir', edir,
      '--persistence', 'aof', ...aofArgs]);
    try {
      for (const p of [1, 16]) {
        const res = { redis: [], echokv: [] };
        for (let i = 0; i < rounds; i++) {
          const order = i % 2 === 0 ? [[r, rp, 'redis'], [e, ep, 'echokv']] : [[e, ep, 'echokv'], [r, rp, 'redis']];
          for (const [srv, port, key] of order) {
            const { value, fsyncs } = await countFdatasyncs(srv.pid, () => runBench(srv, port, 'set', p));
            res[key].push({ ...value, fsyncs, p });
          }
        }
        const med = (xs, f) => median(xs.map(f));
        const row = {
          policy, p,
          rr: med(res.redis, (x) => x.rps), er: med(res.echokv, (x) => x.rps),
          rc: med(res.redis, (x) => x.cpuUs), ec: med(res.echokv, (x) => x.cpuUs),
          rf: med(res.redis, per50k), ef: med(res.echokv, per50k),
        };
        rows.push(row);
        console.error(`SET appendfsync ${policy} -P ${p}: redis ${row.rr.toFixed(0)} ops/s ${row.rc.toFixed(1)} us/op ` +
          `${row.rf.toFixed(0)} fsyncs/50k, echokv ${row.er.toFixed(0)} ops/s ${row.ec.toFixed(1)} us/op ${row.ef.toFixed(0)} fsyncs/50k`);
      }
    } finally {
      r.child.kill('SIGKILL');
      e.child.kill('SIGKILL');
      rmSync(base, { recursive: true, force: true });
    }
  }
  console.log('\nAppend-only file: SET with appendonly yes, redis-benchmark -c ' + clients + ', median of ' + rounds +
    ' (CPU: server us per op; fdatasync calls per 50k SETs, counted with perf when it can)\n');
  console.log('| appendfsync | pipeline | redis ops/s | echokv ops/s | ratio | redis CPU | echokv CPU | CPU ratio | redis fsyncs | echokv fsyncs |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  const f = (x) => (Number.isNaN(x) ? 'n/a' : x.toFixed(0));
  for (const { policy, p, rr, er, rc, ec, rf, ef } of rows) {
    console.log(`| ${policy} | ${p} | ${rr.toFixed(0)} | ${er.toFixed(0)} | ${(er / rr).toFixed(2)}x | ${rc.toFixed(1)} us | ` +
      `${ec.toFixed(1)} us | ${(ec / rc).toFixed(2)}x | ${f(rf)} | ${f(ef)} |`);
  }
}

// ---------------------------------------------------------------------------------------------
// RDB: the same mixed dataset (60% strings, 10% each of small hashes, lists, sets and sorted
// sets) in each server, started on its own directory with `save ""`: SAVE's time seen from the
// client, BGSAVE's wall time, and the load time each server logs ("DB loaded from disk: N
// seconds") when restarted on its own dump; it also checks every key came back.
//   npm run bench -- --rdb-keys=1000000   (the default; --rdb-keys=0 skips it)

function rdbMixed(i) {
  const k = `key:${String(i).padStart(10, '0')}`;
  switch (i % 10) {
    case 0: return ['HSET', k, 'name', `user${i}`, 'age', String(i % 90), 'city', 'somewhere', 'score', String(i * 3)];
    case 1: return ['RPUSH', k, 'a', 'b', String(i), 'item-value-1', 'item-value-2'];
    case 2: return ['SADD', k, String(i), String(i + 1), String(i + 2), String(i * 7)];
    case 3: return ['ZADD', k, '1', 'alpha', '2.5', 'beta', String(i), 'gamma'];
    case 4: return ['SET', k, `a longer string value for key ${i} that LZF may compress compress compress`];
    default: return ['SET', k, String(i * 13)];
  }
}

/** Starts a server and resolves with it and its output so far once it is ready. */
async function startLogged(name, cmd, argv) {
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const deadline = Date.now() + 300_000;
  while (!out.includes('Ready to accept connections')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${name} did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return { child, out };
}

async function benchRdb(keys) {
  const servers = [['redis', 'redis-server', []], ['echokv', echoCmd[0], [...echoCmd[1], '--persistence', 'rdb']]]
    .map(([name, cmd, argv]) => ({ name, cmd, argv, dir: mkdtempSync(join(tmpdir(), 'echokv-bench-rdb-')), save: [], bgsave: [], load: [] }));
  try {
    for (const s of servers) {
      s.port = await freePort();
      s.flags = [...s.argv, '--port', String(s.port), '--bind', '127.0.0.1', '--dir', s.dir, '--save', ''];
      s.srv = await startLogged(s.name, s.cmd, s.flags);
      for (let start = 0; start < keys; start += 100_000) {
        let text = '';
        for (let i = start; i < Math.min(keys, start + 100_000); i++) text += resp(rdbMixed(i));
        const r = spawnSync('redis-cli', ['-p', String(s.port), '--pipe'], { input: text, encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`Loading the RDB data into ${s.name} failed: ${r.stderr}${r.stdout}`);
      }
    }
    // Rounds alternate the servers, as the throughput tests do, so machine load hits both alike.
    for (let i = 0; i < rounds; i++) {
      for (const s of i % 2 === 0 ? servers : [...servers].reverse()) {
        const t0 = performance.now();
        if (cli(s.port, 'SAVE') !== 'OK') throw new Error(`SAVE failed on ${s.name}`);
        s.save.push((performance.now() - t0) / 1000);
        const t1 = performance.now();
        cli(s.port, 'BGSAVE');
        while (cli(s.port, 'INFO', 'persistence').includes('rdb_bgsave_in_progress:1')) await new Promise((r) => setTimeout(r, 5));
        s.bgsave.push((performance.now() - t1) / 1000);
      }
    }
    for (const s of servers) s.bytes = readFileSync(join(s.dir, 'dump.rdb')).length;
    for (let i = 0; i < rounds; i++) {
      for (const s of i % 2 === 0 ? servers : [...servers].reverse()) {
        s.srv.child.kill('SIGKILL');
        await new Promise((r) => (s.srv.child.exitCode !== null ? r() : s.srv.child.once('exit', r)));
        s.srv = await startLogged(s.name, s.cmd, s.flags);
        s.load.push(Number(s.srv.out.match(/DB loaded from disk: ([\d.]+) seconds/)?.[1]));
        const got = Number(cli(s.port, 'DBSIZE'));
        if (got !== keys) throw new Error(`${s.name} holds ${got} keys after loading its dump, expected ${keys}`);
      }
    }
  } finally {
    for (const s of servers) {
      s.srv?.child.kill('SIGKILL');
      rmSync(s.dir, { recursive: true, force: true });
    }
  }
  const [r, e] = servers;
  console.log(`\nRDB: ${keys.toLocaleString('en-US')} keys of mixed types, median of ${rounds} (dump: redis ${r.bytes} bytes, echokv ${e.bytes} bytes)\n`);
  console.log('| operation | redis s | echokv s | ratio |');
  console.log('|---|---|---|---|');
  for (const [label, k] of [['SAVE', 'save'], ['BGSAVE (wall time)', 'bgsave'], ['load at start-up', 'load']]) {
    const [rv, ev] = [median(r[k]), median(e[k])];
    console.error(`rdb ${label}: redis ${r[k].map((x) => x.toFixed(2)).join(' ')} s, echokv ${e[k].map((x) => x.toFixed(2)).join(' ')} s`);
    console.log(`| ${label} | ${rv.toFixed(2)} | ${ev.toFixed(2)} | ${(ev / rv).toFixed(2)}x |`);
  }
}

need('redis-server');
need('redis-benchmark');
const dir = mkdtempSync(join(tmpdir(), 'echokv-bench-'));
const rport = await freePort();
const eport = await freePort();
const redis = await startServer('redis-server', 'redis-server', [
  '--port', String(rport), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir,
]);
// ECHOKV_BUNDLE=path runs another build (an A/B of two builds in turn).
const bundle = process.env.ECHOKV_BUNDLE ?? join(root, 'dist', 'echokv.mjs');
const echoCmd = runtime === 'node' ? [process.execPath, [bundle]]
  : runtime === 'bun' ? [join(root, 'node_modules/.bin/bun'), [bundle]]
  : [join(root, 'node_modules/.bin/deno'), ['run', '-A', bundle]];
// The single executable (Node with the bundle inside) is measured for memory too: it does not
// read the 1 MB bundle into a malloc'd buffer at start-up, whose release makes glibc raise its
// mmap and trim thresholds for good (then every malloc arena keeps up to 2 MB of freed memory).
const exe = runtime === 'node' && !process.env.ECHOKV_BUNDLE && existsSync(join(root, 'dist', 'echokv'))
  ? join(root, 'dist', 'echokv') : null;
const echokv = await startServer('echokv', echoCmd[0], [
  ...echoCmd[1], '--port', String(eport), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir,
]);

const rows = [];
try {
  for (const test of TESTS) {
    for (const p of [1, 16]) {
      const res = { redis: [], echokv: [] };
      for (let i = 0; i < rounds; i++) {
        // Alternate which server goes first so drift in machine load hits both alike.
        const order = i % 2 === 0 ? [[redis, rport, 'redis'], [echokv, eport, 'echokv']]
          : [[echokv, eport, 'echokv'], [redis, rport, 'redis']];
        for (const [srv, port, key] of order) res[key].push(runBench(srv, port, test, p));
      }
      const r = { rps: median(res.redis.map((x) => x.rps)), cpu: median(res.redis.map((x) => x.cpuUs)) };
      const e = { rps: median(res.echokv.map((x) => x.rps)), cpu: median(res.echokv.map((x) => x.cpuUs)) };
      // Each round ran both servers back to back: the spread of the rounds' own ratios shows how
      // much the machine moved under the run (a VM's neighbours), beside the ratio of the medians.
      const paired = res.echokv.map((x, i) => x.rps / res.redis[i].rps);
      rows.push({ test: test.toUpperCase(), p, r, e, lo: Math.min(...paired), hi: Math.max(...paired) });
      console.error(`${test.toUpperCase()} -P ${p}: redis ${r.rps.toFixed(0)} ops/s ${r.cpu.toFixed(2)} us/op, echokv ${e.rps.toFixed(0)} ops/s ${e.cpu.toFixed(2)} us/op`);
    }
  }
  const memRows = [];
  for (const t of opt('memory', 'string,hash,set,zset,list').split(',').filter(Boolean)) {
    // A fresh set of servers per data type: what an earlier test left behind (in echokv,
    // garbage not yet collected, a heap already grown) must not count for or against this one.
    const [mrport, meport, mxport] = [await freePort(), await freePort(), await freePort()];
    const mr = await startServer('redis-server', 'redis-server', [
      '--port', String(mrport), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir,
    ]);
    const me = await startServer('echokv', echoCmd[0], [
      ...echoCmd[1], '--port', String(meport), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir,
    ]);
    const mx = exe === null ? null : await startServer('echokv executable', exe, [
      '--port', String(mxport), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir,
    ]);
    let r, e, x = null;
    try {
      r = memoryPer(mr, mrport, t, memKeys);
      e = memoryPer(me, meport, t, memKeys);
      if (mx !== null) x = memoryPer(mx, mxport, t, memKeys);
    } finally {
      mr.child.kill('SIGKILL');
      me.child.kill('SIGKILL');
      mx?.child.kill('SIGKILL');
    }
    memRows.push({ t, r, e, x });
    console.error(`memory ${t}: redis ${r.toFixed(0)} B, echokv ${e.toFixed(0)} B` + (x === null ? '' : `, executable ${x.toFixed(0)} B`));
  }

  const ver = spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).stdout.match(/v=(\S+)/)?.[1];
  const rtVersion = runtime === 'node' ? process.version
    : spawnSync(echoCmd[0], ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
  console.log(`\nechokv on ${runtime} ${rtVersion} vs redis-server ${ver}; ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'};` +
    ` redis-benchmark -c ${clients}, median of ${rounds}\n`);
  console.log('| test | pipeline | redis ops/s | echokv ops/s | ratio | rounds\' ratios | redis CPU us/op | echokv CPU us/op | CPU ratio |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const { test, p, r, e, lo, hi } of rows) {
    console.log(`| ${test} | ${p} | ${r.rps.toFixed(0)} | ${e.rps.toFixed(0)} | ${(e.rps / r.rps).toFixed(2)}x |` +
      ` ${lo.toFixed(2)}-${hi.toFixed(2)} | ${r.cpu.toFixed(2)} | ${e.cpu.toFixed(2)} | ${(e.cpu / r.cpu).toFixed(2)}x |`);
  }
  console.log(`\nMemory: resident-set growth per element after loading ${memKeys.toLocaleString('en-US')} of them` +
    (exe === null ? '' : '; echokv as `node dist/echokv.mjs` and as the single executable dist/echokv') + '\n');
  if (exe === null) {
    console.log('| data | redis bytes | echokv bytes | ratio |');
    console.log('|---|---|---|---|');
  } else {
    console.log('| data | redis bytes | echokv.mjs bytes | ratio | executable bytes | ratio |');
    console.log('|---|---|---|---|---|---|');
  }
  for (const { t, r, e, x } of memRows) {
    console.log(`| ${MEM_TESTS[t].label} | ${r.toFixed(0)} | ${e.toFixed(0)} | ${(e / r).toFixed(2)}x |` +
      (x === null ? '' : ` ${x.toFixed(0)} | ${(x / r).toFixed(2)}x |`));
  }
} finally {
  redis.child.kill('SIGKILL');
  echokv.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}

const aofPolicies = opt('aof', 'always,everysec').split(',').filter(Boolean);
if (aofPolicies.length > 0) await benchAof(aofPolicies);
const rdbKeys = Number(opt('rdb-keys', quick ? 100_000 : 1_000_000));
if (rdbKeys > 0) await benchRdb(rdbKeys);
