// MONITOR and SLOWLOG in detail on an in-process server: the feed's line format for TCP and unix
// socket clients, quoting of binary arguments, what is left out; slowlog thresholds, length
// limit, argument truncation, client address and name. (test/compat/server.test.ts compares the
// same feeds with redis-server's.)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { RespClient, type Running, startEchokv, tempDir } from './_helpers.ts';

let dir: string;
let sock: string;
let srv: Running;
const clients: RespClient[] = [];

async function connect(): Promise<RespClient> {
  const c = await RespClient.connect(srv.port);
  clients.push(c);
  return c;
}

test.before(async () => {
  dir = tempDir();
  sock = join(dir, 'echokv.sock');
  srv = await startEchokv({ unixsocket: sock });
});

test.after(async () => {
  for (const c of clients) c.close();
  await srv.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Reads `n` feed lines, with the timestamp replaced by T. */
async function lines(mon: RespClient, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const line = (await mon.read()) as string;
    assert.match(line, /^\d+\.\d{6} \[/);
    out.push(line.replace(/^\d+\.\d{6} /, 'T '));
  }
  return out;
}

test('MONITOR feed lines: db, address, quoting', async () => {
  const mon = await connect();
  assert.is(await mon.call('MONITOR'), 'OK');
  const c = await connect();
  const port = (await c.call('CLIENT', 'INFO') as string).match(/ addr=([^ ]+) /)![1];
  await c.call('SET', 'k', 'a "q" \\ \n\r\t\x07\x08 \xff\x00~');
  await c.call('SELECT', '7');
  await c.call('GET', 'k');
  await c.call('NOSUCH');
  await c.call('CLIENT', 'LIST');
  await c.call('ECHO', 'end');
  assert.equal(await lines(mon, 5), [
    `T [0 ${port}] "CLIENT" "INFO"`,
    `T [0 ${port}] "SET" "k" "a \\"q\\" \\\\ \\n\\r\\t\\a\\b \\xff\\x00~"`,
    `T [7 ${port}] "SELECT" "7"`,
    `T [7 ${port}] "GET" "k"`,
    `T [7 ${port}] "ECHO" "end"`,
  ]);
  assert.is(await mon.call('RESET'), 'RESET');
});

test('MONITOR over a unix socket shows unix:<path>', async () => {
  const mon = await connect();
  assert.is(await mon.call('MONITOR'), 'OK');
  const u = await RespClient.connectUnix(sock);
  clients.push(u);
  await u.call('PING');
  assert.equal(await lines(mon, 1), [`T [0 unix:${sock}] "PING"`]);
  // The monitor sees its own commands too, after their reply.
  mon.write('*2\r\n$4\r\nECHO\r\n$2\r\nme\r\n');
  assert.is(await mon.read(), 'me');
  assert.equal((await lines(mon, 1))[0].replace(/\[0 [^\]]+\]/, '[0 A]'), 'T [0 A] "ECHO" "me"');
  assert.is(await mon.call('RESET'), 'RESET');
});

test('a second MONITOR is ignored without a reply; RESET leaves monitor mode', async () => {
  const mon = await connect();
  assert.is(await mon.call('MONITOR'), 'OK');
  mon.write('*1\r\n$7\r\nMONITOR\r\n*1\r\n$4\r\nPING\r\n');
  assert.is(await mon.read(), 'PONG', 'the second MONITOR has no reply');
  assert.match((await mon.read()) as string, /"PING"$/);
  assert.is(await mon.call('RESET'), 'RESET');
  assert.is(srv.server.monitors.size, 0);
});

test('SLOWLOG: threshold, max length, truncation, address and name', async () => {
  const c = await connect();
  const addr = (await c.call('CLIENT', 'INFO') as string).match(/ addr=([^ ]+) /)![1];
  await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '0');
  await c.call('CONFIG', 'SET', 'slowlog-max-len', '3');
  await c.call('SLOWLOG', 'RESET');
  await c.call('CLIENT', 'SETNAME', 'slowpoke');
  const args = Array.from({ length: 40 }, (_, i) => `a${i}`);
  await c.call('EXISTS', ...args);
  await c.call('ECHO', 'z'.repeat(300));
  const log = (await c.call('SLOWLOG', 'GET', '-1')) as unknown[][];
  // CLIENT SETNAME, EXISTS, ECHO; the SLOWLOG RESET and CONFIG SETs fell off (max length 3).
  assert.is(log.length, 3);
  const [echo, exists, setname] = log;
  assert.equal(setname[3], ['CLIENT', 'SETNAME', 'slowpoke']);
  const ex = exists[3] as string[];
  assert.is(ex.length, 32);
  assert.is(ex[30], 'a29');
  assert.is(ex[31], '... (10 more arguments)');
  assert.equal(echo[3], ['ECHO', 'z'.repeat(128) + '... (172 more bytes)']);
  for (const e of log) {
    assert.is(e.length, 6);
    assert.is(e[4], addr);
    assert.is(e[5], 'slowpoke');
    assert.ok(typeof e[1] === 'number' && typeof e[2] === 'number');
  }
  assert.ok((echo[0] as number) > (exists[0] as number), 'ids grow');
  assert.is(await c.call('SLOWLOG', 'LEN'), 3);
  await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '-1');
  await c.call('SLOWLOG', 'RESET');
  await c.call('PING');
  assert.is(await c.call('SLOWLOG', 'LEN'), 0, 'a negative threshold disables the slowlog');
});

test('SLOWLOG records DEBUG SLEEP with at least the time it slept', async () => {
  const c = await connect();
  await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '10000');
  await c.call('CONFIG', 'SET', 'slowlog-max-len', '128');
  await c.call('SLOWLOG', 'RESET');
  await c.call('PING');
  const started = Date.now();
  assert.is(await c.call('DEBUG', 'SLEEP', '0.05'), 'OK');
  assert.ok(Date.now() - started >= 50, 'DEBUG SLEEP blocked for its time');
  const log = (await c.call('SLOWLOG', 'GET')) as unknown[][];
  assert.is(log.length, 1, 'PING was fast enough to stay out');
  assert.equal(log[0][3], ['DEBUG', 'SLEEP', '0.05']);
  assert.ok((log[0][2] as number) >= 50000, `duration ${log[0][2]} us`);
  await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '10000');
});

test('slow commands are visible in INFO commandstats and latencystats', async () => {
  const c = await connect();
  await c.call('CONFIG', 'RESETSTAT');
  await c.call('DEBUG', 'SLEEP', '0.02');
  const info = (await c.call('INFO', 'commandstats', 'latencystats')) as string;
  const usec = Number(info.match(/cmdstat_debug:calls=1,usec=(\d+),/)![1]);
  assert.ok(usec >= 20000, `usec ${usec}`);
  const p50 = Number(info.match(/latency_percentiles_usec_debug:p50=([\d.]+),/)![1]);
  assert.ok(p50 >= 20000 && p50 <= usec * 1.01 + 1, `p50 ${p50} for a ${usec} us call`);
});

test.run();
