// INFO from server state on an in-process server: counters, instantaneous metrics with an
// injected clock, memory figures, plugin contributions, errorstats order, the latency histogram;
// MEMORY USAGE's model; and redis-cli's INFO-based tools (--stat, --bigkeys, --memkeys) run for
// real against echokv when redis-cli is installed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { createServer, definePlugin } from '../mod.ts';
import { createHost } from '../plugins/host/node.ts';
import { tcp } from '../plugins/transport/tcp/mod.ts';
import { LatencyHistogram, bytesToHuman } from '../core/info.ts';
import type { Server } from '../core/server.ts';
import { RespClient, type Running, startEchokv } from './_helpers.ts';

function field(info: string, name: string): string {
  const m = new RegExp(`^${name}:(.*)$`, 'm').exec(info.replace(/\r/g, ''));
  assert.ok(m !== null, `INFO has ${name}`);
  return m![1];
}

async function withServer(fn: (srv: Running, c: RespClient) => Promise<void>, clock?: () => number): Promise<void> {
  const srv = await startEchokv({}, { clock });
  const c = await RespClient.connect(srv.port);
  try {
    await fn(srv, c);
  } finally {
    c.close();
    await srv.stop();
  }
}

test('LatencyHistogram reports percentiles at HDR resolution (2 significant figures)', () => {
  const h = new LatencyHistogram();
  h.record(5000);
  // 5000 ns falls in a bucket of width 32 whose highest value is 5023: Redis prints p50=5.023.
  assert.is(h.valueAtPercentile(50), 5023);
  assert.is(h.valueAtPercentile(100), 5023);
  const exact = new LatencyHistogram();
  for (let v = 1; v <= 200; v++) exact.record(v);
  assert.is(exact.valueAtPercentile(50), 100, 'values under 256 ns are exact');
  const mixed = new LatencyHistogram();
  for (let i = 0; i < 99; i++) mixed.record(1000);
  mixed.record(1_000_000);
  assert.is(mixed.valueAtPercentile(50), 1003);
  assert.is(mixed.valueAtPercentile(99), 1003);
  assert.is(mixed.valueAtPercentile(99.9), 1003519);
  assert.is(mixed.valueAtPercentile(0), 1000, 'p0 is the lowest equivalent value');
  const clamp = new LatencyHistogram();
  clamp.record(5e9);
  clamp.record(0);
  assert.ok(clamp.valueAtPercentile(100) >= 1e9 && clamp.valueAtPercentile(100) < 1.01e9, 'clamped to 1 s');
  assert.is(clamp.valueAtPercentile(1), 1);
});

test('bytesToHuman formats like Redis', () => {
  assert.is(bytesToHuman(0), '0B');
  assert.is(bytesToHuman(1023), '1023B');
  assert.is(bytesToHuman(1024), '1.00K');
  assert.is(bytesToHuman(1536), '1.50K');
  assert.is(bytesToHuman(1113936), '1.06M');
  assert.is(bytesToHuman(25276514304), '23.54G');
});

test('INFO counters: connections, commands, hits and misses, expiry, errors', async () => {
  let now = 1_700_000_000_000;
  await withServer(async (srv, c) => {
    const before = (await c.call('INFO', 'stats')) as string;
    assert.is(field(before, 'total_connections_received'), '1');
    await c.call('SET', 'k', 'v');
    await c.call('SET', 't', 'v', 'PX', '10');
    await c.call('GET', 'k');
    await c.call('GET', 'missing');
    await c.call('NOSUCH');
    await c.call('HELLO', '4');
    await c.call('AUTH', 'nouser', 'x');
    await c.call('GET');
    now += 100;
    await c.call('GET', 't');
    const d = await RespClient.connect(srv.port);
    await d.call('PING');
    const info = (await c.call('INFO')) as string;
    d.close();
    assert.is(field(info, 'total_connections_received'), '2');
    assert.is(field(info, 'connected_clients'), '2');
    assert.is(field(info, 'keyspace_hits'), '1');
    assert.is(field(info, 'keyspace_misses'), '2');
    assert.is(field(info, 'expired_keys'), '1');
    assert.is(field(info, 'total_error_replies'), '4');
    // 11 commands before this INFO: SET SET GET GET (NOSUCH is not counted) HELLO AUTH GET GET PING
    // and the first INFO; the rejected GET is not counted either.
    assert.is(field(info, 'total_commands_processed'), '9');
    assert.is(field(info, 'db0'), 'keys=1,expires=0,avg_ttl=0');
    // Codes in byte order, as Redis's radix tree gives them.
    const errors = (await c.call('INFO', 'errorstats')) as string;
    assert.is(errors, '# Errorstats\r\nerrorstat_ERR:count=2\r\nerrorstat_NOPROTO:count=1\r\nerrorstat_WRONGPASS:count=1\r\n');
    assert.match(field(info, 'run_id'), /^[0-9a-f]{40}$/);
    assert.is(field(info, 'tcp_port'), String(srv.port));
    assert.is(field(info, 'process_id'), String(process.pid));
    assert.is(field(info, 'loading'), '0');
    assert.is(field(info, 'role'), 'master');
  }, () => now);
});

test('INFO instantaneous metrics average the last 16 samples, like Redis', async () => {
  let now = 1_700_000_000_000;
  await withServer(async (srv, c) => {
    await c.call('CONFIG', 'RESETSTAT');
    srv.server.cron(); // the first sample sets the baseline
    for (let i = 0; i < 32; i++) await c.call('PING');
    now += 100;
    srv.server.cron();
    const info = (await c.call('INFO', 'stats')) as string;
    // 32 commands in 100 ms is 320 ops/s; one sample of 16 taken, so 320 / 16.
    assert.is(field(info, 'instantaneous_ops_per_sec'), '20');
    assert.match(field(info, 'instantaneous_input_kbps'), /^\d+\.\d\d$/);
    assert.ok(Number(field(info, 'instantaneous_input_kbps')) > 0);
  }, () => now);
});

test('INFO memory: heap-based figures that hang together', async () => {
  await withServer(async (srv, c) => {
    await c.call('DEBUG', 'POPULATE', '1000');
    const info = (await c.call('INFO', 'memory')) as string;
    const used = Number(field(info, 'used_memory'));
    const peak = Number(field(info, 'used_memory_peak'));
    const startup = Number(field(info, 'used_memory_startup'));
    const overhead = Number(field(info, 'used_memory_overhead'));
    const dataset = Number(field(info, 'used_memory_dataset'));
    assert.ok(used > 0 && startup > 0 && peak >= used, `${used} ${startup} ${peak}`);
    assert.is(dataset, Math.max(0, used - overhead));
    assert.is(field(info, 'used_memory_human'), bytesToHuman(used));
    assert.is(field(info, 'maxmemory_policy'), 'noeviction');
    assert.is(field(info, 'mem_allocator'), srv.server.host.runtime === 'bun' ? 'javascriptcore' : 'v8');
    const stats = (await c.call('MEMORY', 'STATS')) as unknown[];
    const m = new Map<string, unknown>();
    for (let i = 0; i < stats.length; i += 2) m.set(stats[i] as string, stats[i + 1]);
    assert.is(m.get('keys.count'), 1000);
    assert.ok(Array.isArray(m.get('db.0')));
    assert.match(m.get('fragmentation') as string, /^\d+(\.\d+)?(e[+-]\d+)?$/);
    assert.is(srv.server.keyspace.dbs[0].size, 1000);
  });
});

test('INFO takes plugin contributions: known fields replaced in place, new ones appended', async () => {
  const probe = definePlugin({
    name: 'probe',
    kind: 'persistence',
    setup(_server: Server) {
      return { info: (section: string) => (section === 'persistence' ? { aof_enabled: 1, probe_files: 3 } : undefined) };
    },
  });
  const server = createServer({
    config: { port: 0, bind: '127.0.0.1' },
    plugins: [tcp, probe],
    pluginOptions: { tcp: { anyPort: true } },
    host: { ...createHost([]), stdout: () => {} },
  });
  await server.start();
  const addr = server.instances.get('tcp')!.addresses!()[0];
  const c = await RespClient.connect(Number(addr.slice(addr.lastIndexOf(':') + 1)));
  try {
    const lines = ((await c.call('INFO', 'persistence')) as string).split('\r\n');
    const at = lines.indexOf('aof_enabled:1');
    assert.ok(at > 0 && lines[at - 1].startsWith('rdb_last_load_keys_loaded:'), 'replaced in place');
    assert.is(lines[lines.length - 2], 'probe_files:3');
  } finally {
    c.close();
    await server.shutdown({ force: true });
  }
});

test('MEMORY USAGE follows the documented V8 layout model', async () => {
  await withServer(async (_srv, c) => {
    await c.call('SET', 'k', 'v');
    // key string 24 + Map slot 40 + Entry 48 + value string 24.
    assert.is(await c.call('MEMORY', 'USAGE', 'k'), 136);
    await c.call('SET', 'k', 'v'.repeat(100));
    assert.is(await c.call('MEMORY', 'USAGE', 'k'), 136 - 24 + 16 + 104);
    await c.call('EXPIRE', 'k', '100');
    assert.is(await c.call('MEMORY', 'USAGE', 'k', 'SAMPLES', '0'), 232 + 16 + 40, 'a TTL adds a heap number and an expires slot');
    await c.call('SET', 'm', 'x');
    await c.call('APPEND', 'm', 'yz');
    const appended = (await c.call('MEMORY', 'USAGE', 'm')) as number;
    assert.ok(appended > 136, 'an edited string counts its buffer');
    assert.is(await c.call('MEMORY', 'USAGE', 'nokey'), null);
  });
});

// redis-cli against echokv, for real.

const haveCli = spawnSync('redis-cli', ['--version'], { stdio: 'ignore' }).status === 0;

/** Runs redis-cli asynchronously: the server under test lives in this process's event loop. */
function cli(port: number, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('redis-cli', ['-p', String(port), ...args]);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

test('redis-cli --bigkeys and --memkeys scan echokv', async () => {
  if (!haveCli) return void console.log('  (skipped: redis-cli is not installed)');
  await withServer(async (srv, c) => {
    await c.call('DEBUG', 'POPULATE', '30');
    await c.call('SET', 'big', 'x'.repeat(500));
    const big = await cli(srv.port, ['--bigkeys']);
    assert.is(big.code, 0, big.out);
    assert.match(big.out, /Sampled 31 keys in the keyspace!/);
    assert.match(big.out, /Biggest string found '"big"' has 500 bytes/);
    // "value:0".."value:29" and 500 bytes: 70 + 160 + 500.
    assert.match(big.out, /31 strings with 730 bytes \(100\.00% of keys, avg size 23\.55\)/);
    const mem = await cli(srv.port, ['--memkeys']);
    assert.is(mem.code, 0, mem.out);
    const usage = (await c.call('MEMORY', 'USAGE', 'big')) as number;
    assert.match(mem.out, new RegExp(`Biggest string found '"big"' has ${usage} bytes`));
  });
});

test('redis-cli --stat reads INFO every interval', async () => {
  if (!haveCli) return void console.log('  (skipped: redis-cli is not installed)');
  await withServer(async (srv, c) => {
    await c.call('DEBUG', 'POPULATE', '7');
    // Without a terminal redis-cli buffers its output, so let it print enough lines to flush.
    const child = spawn('redis-cli', ['-p', String(srv.port), '--stat', '-i', '0.01']);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const deadline = Date.now() + 15000;
    while (out.split('\n').filter((l) => /^7 /.test(l)).length < 3 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill();
    assert.match(out, /keys +mem +clients +blocked +requests +connections/);
    const rows = out.split('\n').filter((l) => /^7 /.test(l));
    assert.ok(rows.length >= 3, out.slice(0, 500));
    // keys, memory, clients (redis-cli and the test's connection), blocked, requests, connections
    assert.match(rows[1], /^7 +\d+(\.\d+)?[KMG] +2 +0 +\d+ \(\+\d+\) +\d+/);
  });
});

test('redis-cli prints INFO, CLIENT LIST and RESP3 replies from echokv', async () => {
  if (!haveCli) return void console.log('  (skipped: redis-cli is not installed)');
  await withServer(async (srv, c) => {
    await c.call('SET', 'k', 'v');
    const info = await cli(srv.port, ['INFO', 'keyspace']);
    assert.is(info.out.replace(/\r/g, '').trim(), '# Keyspace\ndb0:keys=1,expires=0,avg_ttl=0');
    const list = await cli(srv.port, ['CLIENT', 'LIST']);
    assert.is(list.out.trim().split('\n').length, 2);
    assert.match(list.out, /cmd=client\|list user=default redir=-1 resp=2/);
    const hello = await cli(srv.port, ['-3', 'CLIENT', 'INFO']);
    assert.match(hello.out, /resp=3/);
    const docs = await cli(srv.port, ['COMMAND', 'DOCS', 'client|kill']);
    assert.match(docs.out, /ip:port/);
  });
});

test.run();
