// The fsync policies and disk failures, with a host whose fsync and write the test controls or
// watches: appendfsync always fsyncs at the end of each event-loop turn, once for every command
// of every client read in it, and sends no reply before that fsync (group commit, as Redis's
// beforeSleep); everysec fsyncs in the background and postpones writes behind a slow fsync, and
// write or fsync errors turn writes away with Redis's MISCONF error until the disk recovers,
// without losing what was acknowledged. Under always a write or fsync error ends the process,
// as in Redis.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fstatSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RespClient, sleep, tempDir } from './_helpers.ts';
import { aofFiles, dumpDataset, infoField, startAof, stopAll, waitFor } from './aof_helpers.ts';
import type { Host } from '../core/host.ts';
import type { Server } from '../core/server.ts';

const test = suite('aof: fsync policies and disk errors');
const dirs: string[] = [];
const fresh = (): string => {
  const d = tempDir('echokv-aof-fsync-');
  dirs.push(d);
  return d;
};
test.after(async () => {
  await stopAll();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A host whose background fsyncs (everysec) wait until the test lets them finish (or fail), one by one. */
function controlledFsync() {
  const waiting: { resolve: () => void; reject: (e: Error) => void }[] = [];
  let calls = 0;
  let hold = true;
  return {
    wrap: (h: Host): Partial<Host> => ({
      fsyncAsync: async (fd: number) => {
        calls++;
        if (hold) await new Promise<void>((resolve, reject) => waiting.push({ resolve, reject }));
        return h.fsyncAsync(fd);
      },
    }),
    get calls() {
      return calls;
    },
    get waiting() {
      return waiting.length;
    },
    /** Lets the oldest waiting fsync finish. */
    finishOne() {
      waiting.shift()?.resolve();
    },
    failOne(code: string) {
      waiting.shift()?.reject(Object.assign(new Error(code), { code }));
    },
    release() {
      hold = false;
      for (const w of waiting.splice(0)) w.resolve();
    },
  };
}

const NO_REPLY_WAIT_MS = 150;

const latin1 = (b: Uint8Array): string => new TextDecoder('latin1').decode(b);
const countSets = (text: string): number => text.split('*3\r\n$3\r\nSET\r\n').length - 1;

/** One synchronous AOF write or fsync, with the server's output (net_output_bytes) at its start. */
type DiskEvent =
  | { kind: 'write'; out: number; data: string }
  | { kind: 'fsync'; out: number; size: number };

/**
 * A host that records every write and synchronous fsync of the AOF once armed (after start-up,
 * which fsyncs its own files), each with what the server had sent to clients when it began:
 * the output recorded at an fsync is everything sent before the data it covers was durable.
 */
function diskLog() {
  let server: Server | null = null;
  const events: DiskEvent[] = [];
  return {
    events,
    wrap: (h: Host): Partial<Host> => ({
      writeFileSync: (fd: number, bytes: Uint8Array) => {
        if (server !== null) events.push({ kind: 'write', out: server.stats.netOutputBytes, data: latin1(bytes) });
        h.writeFileSync(fd, bytes);
      },
      fsyncSync: (fd: number) => {
        if (server !== null) events.push({ kind: 'fsync', out: server.stats.netOutputBytes, size: fstatSync(fd).size });
        h.fsyncSync(fd);
      },
    }),
    arm(s: Server) {
      server = s;
    },
    disarm() {
      server = null;
    },
  };
}

/** Connects `n` clients and makes sure the server has accepted each (a PING round trip). */
async function clients(port: number, n: number): Promise<RespClient[]> {
  const out: RespClient[] = [];
  for (let i = 0; i < n; i++) {
    const c = await RespClient.connect(port);
    assert.is(await c.call('PING'), 'PONG');
    out.push(c);
  }
  return out;
}

test('always: one fsync per turn covers the commands of every client read in it; no reply leaves before it', async () => {
  const dir = fresh();
  const d = diskLog();
  const s = await startAof(dir, { appendfsync: 'always' }, d.wrap);
  const [a, b, ...writers] = await clients(s.port, 12);
  d.arm(s.server);
  // Nothing written yet: a reply goes at once, without any disk access.
  assert.is(await a.call('GET', 'x'), null);
  assert.is(d.events.length, 0);
  assert.is(await a.call('SET', 'x', '1'), 'OK');
  assert.is(d.events.map((e) => e.kind).join(), 'write,fsync');
  // A reader and ten writers send at once, in one synchronous loop: the server reads them all
  // in its next turn. The reader comes first, so its reply is ready before any write is fed.
  d.events.length = 0;
  const out0 = s.server.stats.netOutputBytes;
  b.write('*2\r\n$3\r\nGET\r\n$1\r\nx\r\n');
  for (let i = 0; i < writers.length; i++) writers[i].write(`*3\r\n$3\r\nSET\r\n$2\r\nk${i}\r\n$1\r\n${i}\r\n`);
  for (const c of writers) assert.is(await c.read(), 'OK');
  assert.is(await b.read(), '1');
  // One write and one fsync for all ten, and no reply of the turn (the GET's included: it
  // could have read unsynced data) had left when the fsync began.
  assert.equal(d.events.map((e) => e.kind), ['write', 'fsync']);
  assert.is(d.events[0].out, out0);
  assert.is(d.events[1].out, out0);
  assert.is(countSets((d.events[0] as { data: string }).data), 10);
  // The fsync covered the file up to its end: the ten SETs and what came before.
  const incr = [...aofFiles(dir).entries()].find(([n]) => n.endsWith('.incr.aof'))![1];
  assert.is((d.events[1] as { size: number }).size, incr.length);
  // A turn with reads only touches no disk.
  d.events.length = 0;
  assert.is(await b.call('GET', 'k3'), '3');
  assert.is(d.events.length, 0);
  d.disarm();
  for (const c of [a, b, ...writers]) c.close();
  await s.stop();
});

test('DEBUG AOF-FLUSH-SLEEP holds the server before each AOF write; the reply still follows the write', async () => {
  const dir = fresh();
  const s = await startAof(dir, { appendfsync: 'always' });
  const c = await RespClient.connect(s.port);
  const incrFile = (): string => [...aofFiles(dir).entries()].find(([n]) => n.endsWith('.incr.aof'))![1];
  assert.is(await c.call('DEBUG', 'AOF-FLUSH-SLEEP', '150000'), 'OK');
  const before = incrFile().length;
  const t0 = performance.now();
  assert.is(await c.call('INCR', 'n'), 1);
  // A lower bound only: the sleep happened (how long anything else takes is not measured).
  assert.ok(performance.now() - t0 >= 149, 'the write waited for the sleep');
  assert.ok(incrFile().length > before, 'the INCR is in the file when its reply arrives');
  // 0 turns the sleep off.
  assert.is(await c.call('DEBUG', 'AOF-FLUSH-SLEEP', '0'), 'OK');
  assert.is(await c.call('INCR', 'n'), 2);
  assert.equal(await c.call('DEBUG', 'AOF-FLUSH-SLEEP'), {
    error: "ERR unknown subcommand or wrong number of arguments for 'AOF-FLUSH-SLEEP'. Try DEBUG HELP.",
  });
  c.close();
  await s.stop();
});

test('always: a pipeline of writes is acknowledged in order after one fsync; QUIT waits for its writes too', async () => {
  const dir = fresh();
  const d = diskLog();
  const s = await startAof(dir, { appendfsync: 'always' }, d.wrap);
  const [c] = await clients(s.port, 1);
  d.arm(s.server);
  const out0 = s.server.stats.netOutputBytes;
  c.write('*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n*1\r\n$4\r\nQUIT\r\n');
  assert.is(await c.read(), 1);
  assert.is(await c.read(), 2);
  assert.is(await c.read(), 'OK');
  assert.ok(await c.waitClosed());
  assert.equal(d.events.map((e) => e.kind), ['write', 'fsync']);
  assert.is(d.events[1].out, out0, 'nothing was sent before the fsync');
  d.disarm();
  await s.stop();
});

test('always: under load from many clients, every reply leaves after the fsync of what it acknowledges', async () => {
  const dir = fresh();
  let server: Server | null = null;
  let base = 0;
  let setsWritten = 0;
  let setsSynced = 0;
  let fsyncs = 0;
  let selects = 0;
  const violations: string[] = [];
  // Every reply is "+OK\r\n": those sent so far must all be for SETs already fsynced, or for
  // the SELECTs sent so far (which depend on no write, but are held all the same).
  const check = (what: string): void => {
    const replied = (server!.stats.netOutputBytes - base) / 5;
    if (replied > setsSynced + selects) violations.push(`${replied} replies sent, ${setsSynced} SETs fsynced, at a ${what}`);
  };
  const s = await startAof(dir, { appendfsync: 'always' }, (h) => ({
    writeFileSync: (fd: number, bytes: Uint8Array) => {
      if (server !== null) {
        check('write');
        setsWritten += countSets(latin1(bytes));
      }
      h.writeFileSync(fd, bytes);
    },
    fsyncSync: (fd: number) => {
      if (server !== null) check('fsync');
      h.fsyncSync(fd);
      if (server !== null) {
        setsSynced = setsWritten;
        fsyncs++;
      }
    },
  }));
  const [reader, ...cs] = await clients(s.port, 6);
  server = s.server;
  base = s.server.stats.netOutputBytes;
  // Each round every client sends a pipeline of three SETs, all at once: one turn, one fsync.
  // A client that writes nothing goes first, so replies are ready before the turn's first write.
  const rounds = 20;
  for (let round = 0; round < rounds; round++) {
    selects++;
    reader.write('*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n');
    for (let i = 0; i < cs.length; i++) {
      let req = '';
      for (let j = 0; j < 3; j++) req += `*3\r\n$3\r\nSET\r\n$3\r\nk${i}${j}\r\n$${String(round).length}\r\n${round}\r\n`;
      cs[i].write(req);
    }
    for (const c of cs) for (let j = 0; j < 3; j++) assert.is(await c.read(), 'OK');
    assert.is(await reader.read(), 'OK');
  }
  check('the end');
  assert.equal(violations, []);
  assert.is(setsSynced, rounds * cs.length * 3);
  assert.is(fsyncs, rounds, 'one fsync per round of five clients');
  server = null;
  assert.is(await cs[0].call('GET', 'k42'), '19');
  for (const c of [reader, ...cs]) c.close();
  await s.stop();
});

test('everysec: replies do not wait for the background fsync; a slow fsync postpones writes up to 2 s', async () => {
  const dir = fresh();
  const f = controlledFsync();
  let now = 1_800_000_000_000;
  const s = await startAof(dir, { appendfsync: 'everysec' }, f.wrap, () => now);
  const c = await RespClient.connect(s.port);
  assert.is(await c.call('SET', 'a', '1'), 'OK');
  assert.ok(await waitFor(() => f.waiting === 1), 'a background fsync started');
  assert.is(await infoField(c, 'aof_pending_bio_fsync'), '1');
  const sizeBefore = Number(await infoField(c, 'aof_current_size'));
  assert.is(await c.call('SET', 'b', '2'), 'OK', 'acknowledged while the fsync runs');
  // Postponed: nothing more written while the fsync is in flight and under 2 s passed.
  assert.is(Number(await infoField(c, 'aof_current_size')), sizeBefore);
  assert.ok(Number(await infoField(c, 'aof_buffer_length')) > 0);
  now += 3000;
  s.server.cron();
  assert.ok(Number(await infoField(c, 'aof_current_size')) > sizeBefore, 'written after 2 s anyway');
  assert.is(await infoField(c, 'aof_delayed_fsync'), '1');
  assert.match(s.logs(), 'Asynchronous AOF fsync is taking too long (disk is busy?)');
  f.release();
  c.close();
  await s.stop();
});

// appendfsync no (under everysec the same holds, except that a write postponed behind a running
// fsync does not hold the replies, as in Redis: the 'everysec' test above).
for (const policy of ['no']) {
  test(`${policy}: no reply leaves before the write(2) of its data; each client's replies keep their order`, async () => {
    const dir = fresh();
    let server: { stats: { netOutputBytes: number } } | null = null;
    let base = 0;
    let setsWritten = 0;
    const violations: string[] = [];
    const s = await startAof(dir, { appendfsync: policy }, (h) => ({
      writeFileSync: (fd: number, bytes: Uint8Array) => {
        if (server !== null) {
          // Every reply is "+OK\r\n": those sent so far must be for SETs already written.
          const replied = (server.stats.netOutputBytes - base) / 5;
          if (replied > setsWritten) violations.push(`${replied} replies sent, ${setsWritten} SETs written`);
          const text = new TextDecoder('latin1').decode(bytes);
          setsWritten += text.split('*3\r\n$3\r\nSET\r\n').length - 1;
        }
        h.writeFileSync(fd, bytes);
      },
    }));
    const clients: RespClient[] = [];
    for (let i = 0; i < 5; i++) clients.push(await RespClient.connect(s.port));
    server = s.server;
    base = s.server.stats.netOutputBytes;
    // Several clients with pipelines of several writes, sent at once: turns hold many replies.
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < clients.length; i++) {
        let req = '';
        for (let j = 0; j < 3; j++) req += `*3\r\n$3\r\nSET\r\n$3\r\nk${i}${j}\r\n$${String(round).length}\r\n${round}\r\n`;
        clients[i].write(req);
      }
      for (const c of clients) for (let j = 0; j < 3; j++) assert.is(await c.read(), 'OK');
    }
    assert.equal(violations, []);
    assert.is(setsWritten, 20 * 5 * 3);
    assert.is(await clients[0].call('GET', 'k42'), '19');
    for (const c of clients) c.close();
    await s.stop();
  });
}

test('a write error refuses writes and PING with MISCONF until the disk recovers; nothing acknowledged is lost', async () => {
  const dir = fresh();
  let failing = false;
  let partial = false;
  // appendfsync no: no background fsync can postpone the writes this test fails.
  const s = await startAof(dir, { appendfsync: 'no' }, (h) => ({
    writeFileSync: (fd: number, bytes: Uint8Array) => {
      if (partial) {
        // Half lands, then the disk is full: the half must be cut off again.
        h.writeFileSync(fd, bytes.subarray(0, bytes.length >> 1));
        throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
      }
      if (failing) throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
      h.writeFileSync(fd, bytes);
    },
  }));
  const c = await RespClient.connect(s.port);
  assert.is(await c.call('SET', 'before', '1'), 'OK');
  partial = true;
  // Acknowledged (as Redis does: the data stays in the buffer and is written on a retry).
  assert.is(await c.call('SET', 'during', 'x'.repeat(100)), 'OK');
  partial = false;
  failing = true;
  const misconf = 'MISCONF Errors writing to the AOF file: No space left on device';
  const raw = await c.callRaw('SET', 'refused', '1');
  assert.is(raw.bytes, `-${misconf}\r\n`);
  assert.is((await c.callRaw('PING')).bytes, `-${misconf}\r\n`);
  assert.is(await c.call('GET', 'during'), 'x'.repeat(100), 'reads still work');
  assert.is(await infoField(c, 'aof_last_write_status'), 'err');
  assert.ok(Number(await infoField(c, 'aof_buffer_length')) > 0);
  assert.match(s.logs(), 'Error writing to the AOF file: No space left on device');
  failing = false;
  s.server.cron(); // the retry
  assert.is(await c.call('SET', 'after', '1'), 'OK');
  assert.is(await infoField(c, 'aof_last_write_status'), 'ok');
  assert.match(s.logs(), 'AOF write error looks solved, Redis can write again.');
  const expected = await dumpDataset(c, 1);
  c.close();
  await s.stop();
  const again = await startAof(dir);
  assert.not.match(again.logs(), 'short read');
  const d = await RespClient.connect(again.port);
  assert.is(await dumpDataset(d, 1), expected);
  assert.is(await d.call('EXISTS', 'refused'), 0);
  d.close();
  await again.stop();
});

test('everysec: a failing background fsync refuses writes until an fsync succeeds', async () => {
  const dir = fresh();
  const f = controlledFsync();
  let now = 1_800_000_000_000;
  const s = await startAof(dir, { appendfsync: 'everysec' }, f.wrap, () => now);
  const c = await RespClient.connect(s.port);
  assert.is(await c.call('SET', 'a', '1'), 'OK');
  assert.ok(await waitFor(() => f.waiting === 1));
  f.failOne('EIO');
  assert.ok(await waitFor(() => s.server.diskErrors.size > 0));
  assert.is((await c.callRaw('SET', 'b', '1')).bytes, '-MISCONF Errors writing to the AOF file: Input/output error\r\n');
  assert.match(s.logs(), 'Fail to fsync the AOF file: Input/output error');
  now += 1000;
  s.server.cron();
  assert.ok(await waitFor(() => f.waiting === 1), 'tried again a second later');
  f.finishOne();
  assert.ok(await waitFor(() => s.server.diskErrors.size === 0));
  assert.is(await c.call('SET', 'b', '1'), 'OK');
  f.release();
  c.close();
  await s.stop();
});

test('always: a write error ends the process without acknowledging the write', async () => {
  const dir = fresh();
  let failing = false;
  const exits: number[] = [];
  const s = await startAof(dir, { appendfsync: 'always' }, (h) => ({
    writeFileSync: (fd: number, bytes: Uint8Array) => {
      if (failing) throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
      h.writeFileSync(fd, bytes);
    },
    exit: (code: number) => void exits.push(code),
  }));
  const c = await RespClient.connect(s.port);
  assert.is(await c.call('SET', 'a', '1'), 'OK');
  failing = true;
  c.write('*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n');
  assert.ok(await waitFor(() => exits.length > 0));
  assert.equal(exits, [1]);
  assert.match(s.logs(), "Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...");
  await sleep(NO_REPLY_WAIT_MS);
  assert.is(c.pendingBytes, 0, 'the failed write was never acknowledged');
  c.close();
  failing = false;
  await s.stop();
});

test('always: an fsync error ends the process without acknowledging the write', async () => {
  const dir = fresh();
  let failing = false;
  const exits: number[] = [];
  const s = await startAof(dir, { appendfsync: 'always' }, (h) => ({
    fsyncSync: (fd: number) => {
      if (failing) throw Object.assign(new Error('EIO'), { code: 'EIO' });
      h.fsyncSync(fd);
    },
    exit: (code: number) => void exits.push(code),
  }));
  const c = await RespClient.connect(s.port);
  assert.is(await c.call('SET', 'a', '1'), 'OK');
  failing = true;
  c.write('*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n');
  assert.ok(await waitFor(() => exits.length > 0));
  assert.equal(exits, [1]);
  assert.match(s.logs(), "Can't persist AOF for fsync error when the AOF fsync policy is 'always': Input/output error. Exiting...");
  await sleep(NO_REPLY_WAIT_MS);
  assert.is(c.pendingBytes, 0, 'the write whose fsync failed was never acknowledged');
  c.close();
  failing = false;
  await s.stop();
});

test('CONFIG SET appendfsync switches policies at run time', async () => {
  const dir = fresh();
  const d = diskLog();
  const s = await startAof(dir, { appendfsync: 'no' }, d.wrap);
  const [c] = await clients(s.port, 1);
  d.arm(s.server);
  assert.is(await c.call('SET', 'a', '1'), 'OK');
  assert.equal(d.events.map((e) => e.kind), ['write'], 'appendfsync no never fsyncs');
  // What was written under `no` is fsynced now, before the reply to CONFIG SET itself.
  d.events.length = 0;
  const out0 = s.server.stats.netOutputBytes;
  assert.is(await c.call('CONFIG', 'SET', 'appendfsync', 'always'), 'OK');
  assert.equal(d.events.map((e) => e.kind), ['fsync']);
  assert.is(d.events[0].out, out0);
  // The next write waits for its own fsync.
  d.events.length = 0;
  const out1 = s.server.stats.netOutputBytes;
  assert.is(await c.call('SET', 'b', '2'), 'OK');
  assert.equal(d.events.map((e) => e.kind), ['write', 'fsync']);
  assert.is(d.events[1].out, out1);
  // And back: everysec writes without fsyncing on the event loop.
  assert.is(await c.call('CONFIG', 'SET', 'appendfsync', 'everysec'), 'OK');
  d.events.length = 0;
  assert.is(await c.call('SET', 'c', '3'), 'OK');
  assert.equal(d.events.map((e) => e.kind), ['write']);
  d.disarm();
  c.close();
  await s.stop();
  assert.is(readFileSync(join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof'), 'latin1').split('SET').length - 1, 3);
});

test('LATENCY records slow AOF writes and fsyncs under always, and DOCTOR advises on them', async () => {
  // A disk whose write(2) and fdatasync take 30 ms each, once the test says so.
  let slow = false;
  const spin = (ms: number): void => {
    const end = Date.now() + ms;
    while (Date.now() < end) { /* a slow disk */ }
  };
  const s = await startAof(fresh(), { appendfsync: 'always', 'latency-monitor-threshold': 10 }, (h) => ({
    writeFileSync: (fd: number, bytes: Uint8Array) => {
      if (slow) spin(30);
      h.writeFileSync(fd, bytes);
    },
    fsyncSync: (fd: number) => {
      if (slow) spin(30);
      h.fsyncSync(fd);
    },
  }));
  const c = await RespClient.connect(s.port);
  try {
    assert.is(await c.call('SET', 'a', '1'), 'OK');
    assert.equal(await c.call('LATENCY', 'LATEST'), [], 'a fast disk leaves nothing');
    slow = true;
    assert.is(await c.call('SET', 'a', '2'), 'OK');
    slow = false;
    const latest = (await c.call('LATENCY', 'LATEST')) as [string, number, number, number][];
    const events = new Map(latest.map((r) => [r[0], Number(r[2])]));
    assert.equal([...events.keys()].sort(), ['aof-fsync-always', 'aof-write', 'aof-write-alone'], JSON.stringify(latest));
    for (const [name, ms] of events) assert.ok(ms >= 25, `${name}: ${ms} ms`);
    const doctor = String(await c.call('LATENCY', 'DOCTOR'));
    assert.match(doctor, "- Your fsync policy is set to 'always'.");
    assert.match(doctor, '- It is strongly advised to use local disks for persistence');
  } finally {
    c.close();
    await s.stop();
  }
});

test.run();
