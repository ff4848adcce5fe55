// The fsync policies and disk failures, with a host whose fsync and write the test controls:
// appendfsync always holds every reply until the data it may depend on is fsynced (group
// commit), everysec fsyncs in the background and postpones writes behind a slow fsync, and
// write or fsync errors turn writes away with Redis's MISCONF error until the disk recovers,
// without losing what was acknowledged. Under always a write error ends the process, as in Redis.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync } from 'node:fs';
import { RespClient, sleep, tempDir } from './_helpers.ts';
import { dumpDataset, infoField, startAof, stopAll, waitFor } from './aof_helpers.ts';
import type { Host } from '../core/host.ts';

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

/** A host whose fsyncs wait until the test lets them finish (or fail), one by one. */
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

test('always: no reply leaves before its write is fsynced; one fsync covers a whole group', async () => {
  const dir = fresh();
  const f = controlledFsync();
  const s = await startAof(dir, { appendfsync: 'always' }, f.wrap);
  // Nothing written yet: replies go at once.
  const a = await RespClient.connect(s.port);
  assert.is(await a.call('PING'), 'PONG');
  a.write('*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$1\r\n1\r\n');
  assert.ok(await waitFor(() => f.waiting === 1), 'the write is being fsynced');
  await sleep(NO_REPLY_WAIT_MS);
  assert.is(a.pendingBytes, 0, 'SET must not be acknowledged before its fsync');
  // A read that could see the unsynced write waits too.
  const b = await RespClient.connect(s.port);
  b.write('*2\r\n$3\r\nGET\r\n$1\r\nx\r\n');
  // Ten more writers while the first fsync runs: they form the next group.
  const others: RespClient[] = [];
  const dirty = s.server.keyspace.dirty;
  for (let i = 0; i < 10; i++) {
    const c = await RespClient.connect(s.port);
    c.write(`*3\r\n$3\r\nSET\r\n$2\r\nk${i}\r\n$1\r\n${i}\r\n`);
    others.push(c);
  }
  assert.ok(await waitFor(() => s.server.keyspace.dirty === dirty + 10), 'all ten ran');
  await sleep(NO_REPLY_WAIT_MS);
  assert.is(b.pendingBytes, 0, 'the GET waits for the fsync of what it read');
  for (const c of others) assert.is(c.pendingBytes, 0);
  f.finishOne();
  assert.is(await a.read(), 'OK');
  assert.is(await b.read(), '1');
  // The ten are written and fsynced together, after the first fsync.
  assert.ok(await waitFor(() => f.waiting === 1));
  assert.is(f.calls, 2, 'one fsync for the group of ten');
  await sleep(NO_REPLY_WAIT_MS);
  for (const c of others) assert.is(c.pendingBytes, 0);
  f.finishOne();
  for (const c of others) assert.is(await c.read(), 'OK');
  f.release();
  for (const c of [a, b, ...others]) c.close();
  await s.stop();
});

test('always: a pipeline of writes is acknowledged in order; QUIT waits for its writes too', async () => {
  const dir = fresh();
  const f = controlledFsync();
  const s = await startAof(dir, { appendfsync: 'always' }, f.wrap);
  const c = await RespClient.connect(s.port);
  c.write('*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n*1\r\n$4\r\nQUIT\r\n');
  assert.ok(await waitFor(() => f.waiting === 1));
  await sleep(NO_REPLY_WAIT_MS);
  assert.is(c.pendingBytes, 0);
  assert.not.ok(c.closed);
  f.release();
  assert.is(await c.read(), 1);
  assert.is(await c.read(), 2);
  assert.is(await c.read(), 'OK');
  assert.ok(await c.waitClosed());
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

test('CONFIG SET appendfsync switches policies at run time', async () => {
  const dir = fresh();
  const f = controlledFsync();
  const s = await startAof(dir, { appendfsync: 'no' }, f.wrap);
  const c = await RespClient.connect(s.port);
  assert.is(await c.call('SET', 'a', '1'), 'OK');
  assert.is(f.calls, 0, 'appendfsync no never fsyncs');
  // What was written under `no` is fsynced now, before the reply to CONFIG SET itself.
  c.write('*4\r\n$6\r\nCONFIG\r\n$3\r\nSET\r\n$11\r\nappendfsync\r\n$6\r\nalways\r\n');
  assert.ok(await waitFor(() => f.waiting === 1));
  await sleep(NO_REPLY_WAIT_MS);
  assert.is(c.pendingBytes, 0);
  f.finishOne();
  assert.is(await c.read(), 'OK');
  // The next write waits for its own fsync.
  c.write('*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n');
  assert.ok(await waitFor(() => f.waiting === 1));
  await sleep(NO_REPLY_WAIT_MS);
  assert.is(c.pendingBytes, 0);
  f.release();
  assert.is(await c.read(), 'OK');
  assert.is(f.calls, 2);
  c.close();
  await s.stop();
});

test.run();
