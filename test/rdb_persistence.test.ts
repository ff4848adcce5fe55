// The rdb persistence plugin over real sockets: SAVE, BGSAVE [SCHEDULE], LASTSAVE, save points,
// shutdown saves, FLUSHALL's save, INFO persistence, loading at start-up (with -LOADING while it
// runs), failures (a full disk: MISCONF, the old dump intact) and damaged dumps refused.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from '../mod.ts';
import { createHost } from '../plugins/host/node.ts';
import { freePort, RespClient, type Running, startEchokv } from './_helpers.ts';
import { Bytes, rdbFile } from './_rdb.ts';
import type { Server } from '../core/server.ts';

const dirs: string[] = [];
/** Servers still running, stopped after the suite even when a test failed half-way. */
const live = new Set<Server>();
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'echokv-rdbp-'));
  dirs.push(d);
  return d;
}

async function waitFor(what: string, fn: () => Promise<boolean> | boolean, ms = 10000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function info(c: RespClient): Promise<Record<string, string>> {
  const text = String(await c.call('INFO', 'persistence'));
  const out: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

/** echokv with the rdb plugin in `dir`; the log lines it writes are collected. */
async function start(dir: string, config: Record<string, string | number | string[]> = {}, clock?: () => number) {
  const log: string[] = [];
  const server = createServer({
    config: { port: 0, bind: '127.0.0.1', persistence: 'rdb', dir, save: '', ...config },
    pluginOptions: { tcp: { anyPort: true } },
    clock,
    host: { ...createHost([]), stdout: (line: string) => void log.push(line) },
  });
  live.add(server);
  await server.start();
  const addr = server.instances.get('tcp')?.addresses?.()[0] ?? '';
  const port = Number(addr.slice(addr.lastIndexOf(':') + 1));
  const c = await RespClient.connect(port);
  return {
    server, port, c, log,
    stop: async () => {
      c.close();
      await server.shutdown({ save: false, force: true });
    },
  };
}

const t = suite('rdb persistence');
t.after(async () => {
  for (const s of live) await s.shutdown({ save: false, force: true });
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

t('SAVE writes the dump, LASTSAVE and INFO follow, and a restart loads it', async () => {
  const dir = tmp();
  const s = await start(dir, {}, undefined);
  const c = s.c;
  await c.call('SET', 'a', '1');
  await c.call('HSET', 'h', 'f', 'v');
  await c.call('SET', 't', 'x', 'EX', 1000);
  assert.is((await info(c)).rdb_changes_since_last_save, '3');
  const before = Number(await c.call('LASTSAVE'));
  assert.is(await c.call('SAVE'), 'OK');
  const i = await info(c);
  assert.is(i.rdb_changes_since_last_save, '0');
  assert.is(i.rdb_last_bgsave_status, 'ok');
  assert.is(i.rdb_saves, '1');
  assert.ok(Number(await c.call('LASTSAVE')) >= before);
  assert.ok(s.log.some((l) => l.includes('* DB saved on disk')));
  assert.ok(existsSync(join(dir, 'dump.rdb')));
  assert.not.ok(existsSync(join(dir, `temp-${process.pid}.rdb`)));
  await s.stop();
  const s2 = await start(dir);
  assert.equal(await s2.c.call('MGET', 'a', 't'), ['1', 'x']);
  assert.equal(await s2.c.call('HGETALL', 'h'), ['f', 'v']);
  assert.ok(Number(await s2.c.call('TTL', 't')) > 990);
  const i2 = await info(s2.c);
  assert.is(i2.rdb_last_load_keys_loaded, '3');
  assert.is(i2.rdb_last_load_keys_expired, '0');
  assert.is(i2.loading, '0');
  assert.ok(s2.log.some((l) => l.includes('Loading RDB produced by version 7.0.15')));
  assert.ok(s2.log.some((l) => /RDB age \d+ seconds/.test(l)));
  assert.ok(s2.log.some((l) => l.includes('Done loading RDB, keys loaded: 3, keys expired: 0.')));
  assert.ok(s2.log.some((l) => /DB loaded from disk: \d+\.\d{3} seconds/.test(l)));
  await s2.stop();
});

t('BGSAVE runs in the background: one at a time, clients served, the file is the dataset at its start', async () => {
  const dir = tmp();
  // 2 ms per key: a save of 300 keys lasts over half a second, long enough to see it running.
  const s = await start(dir, { 'rdb-key-save-delay': 2000 });
  const c = s.c;
  for (let i = 0; i < 300; i++) await c.call('SET', `k${i}`, `v${i}`);
  await c.call('RPUSH', 'list', 'a', 'b');
  assert.is(await c.call('BGSAVE'), 'Background saving started');
  assert.equal(await c.call('BGSAVE'), { error: 'ERR Background save already in progress' });
  assert.equal(await c.call('SAVE'), { error: 'ERR Background save already in progress' });
  assert.equal(await c.call('BGSAVE', 'SCHEDULE'), { error: 'ERR Background save already in progress' });
  assert.equal(await c.call('BGSAVE', 'NOW'), { error: 'ERR syntax error' });
  const running = await info(c);
  assert.is(running.rdb_bgsave_in_progress, '1');
  assert.is(running.current_save_keys_total, '301');
  assert.match(running.rdb_current_bgsave_time_sec, /^\d+$/);
  // Writes while it runs: changes to keys not yet written, new keys, deletes.
  for (let i = 0; i < 300; i += 7) await c.call('SET', `k${i}`, 'changed');
  await c.call('DEL', 'k299');
  await c.call('RPUSH', 'list', 'c');
  await c.call('SET', 'new', 'later');
  assert.is(await c.call('GET', 'k7'), 'changed');
  // Those writes made the save copy the keys first: copy-on-write, as a fork's copied pages.
  const cow = await info(c);
  assert.is(cow.rdb_bgsave_in_progress, '1');
  assert.ok(Number(cow.current_cow_size) > 0, cow.current_cow_size);
  assert.is(cow.current_cow_peak, cow.current_cow_size);
  await waitFor('the background save', async () => (await info(c)).rdb_bgsave_in_progress === '0');
  const done = await info(c);
  assert.is(done.rdb_last_bgsave_status, 'ok');
  assert.match(done.rdb_last_bgsave_time_sec, /^\d+$/);
  assert.is(done.rdb_current_bgsave_time_sec, '-1');
  // Changes made during the save are still unsaved (dirty counted since its start).
  assert.is(done.rdb_changes_since_last_save, String(Math.ceil(300 / 7) + 3));
  assert.ok(Number(done.rdb_last_cow_size) > 0);
  assert.ok(s.log.some((l) => l.includes('Background saving started by pid')));
  // A background save is what Redis counts as a fork.
  assert.match(String(await c.call('INFO', 'stats')), /\r\ntotal_forks:1\r\n/);
  assert.ok(s.log.some((l) => l.includes('Background saving terminated with success')));
  await s.stop();
  const s2 = await start(dir);
  assert.is(await s2.c.call('DBSIZE'), 301);
  assert.is(await s2.c.call('GET', 'k7'), 'v7');
  assert.is(await s2.c.call('GET', 'k299'), 'v299');
  assert.is(await s2.c.call('EXISTS', 'new'), 0);
  assert.equal(await s2.c.call('LRANGE', 'list', 0, -1), ['a', 'b']);
  await s2.stop();
});

t('BGSAVE while another snapshot (an AOF rewrite) runs: refused, or scheduled with SCHEDULE', async () => {
  const dir = tmp();
  const s = await start(dir);
  await s.c.call('SET', 'a', '1');
  const other = { beforeWrite() {} };
  s.server.keyspace.beginSnapshot(other);
  assert.equal(await s.c.call('BGSAVE'), { error: "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible." });
  assert.is(await s.c.call('BGSAVE', 'SCHEDULE'), 'Background saving scheduled');
  assert.is((await info(s.c)).rdb_saves, '0');
  s.server.keyspace.endSnapshot(other);
  await waitFor('the scheduled save', async () => (await info(s.c)).rdb_saves === '1' && (await info(s.c)).rdb_bgsave_in_progress === '0');
  assert.ok(existsSync(join(dir, 'dump.rdb')));
  await s.stop();
});

t('save points trigger a background save from cron', async () => {
  const dir = tmp();
  let now = Date.now();
  const s = await start(dir, { save: ['5', '2'] }, () => now);
  await s.c.call('SET', 'a', '1');
  now += 10_000;
  // One change is not enough for "save 5 2".
  await new Promise((r) => setTimeout(r, 300));
  assert.is((await info(s.c)).rdb_saves, '0');
  await s.c.call('SET', 'b', '2');
  await waitFor('the save point', async () => (await info(s.c)).rdb_saves === '1' && (await info(s.c)).rdb_bgsave_in_progress === '0');
  assert.ok(s.log.some((l) => l.includes('2 changes in 5 seconds. Saving...')));
  assert.is((await info(s.c)).rdb_changes_since_last_save, '0');
  await s.stop();
});

t('a full disk: SAVE fails with ERR, BGSAVE sets the status to err, writes get MISCONF, the old dump stays', async () => {
  const dir = tmp();
  const s = await start(dir, { save: ['3600', '1'] });
  const c = s.c;
  await c.call('SET', 'old', 'data');
  assert.is(await c.call('SAVE'), 'OK');
  const dump = readFileSync(join(dir, 'dump.rdb'));
  await c.call('SET', 'more', 'data');
  // The temp files lead to /dev/full: every write to them fails with ENOSPC.
  symlinkSync('/dev/full', join(dir, `temp-${process.pid}.rdb`));
  assert.equal(await c.call('SAVE'), { error: 'ERR' });
  // rdbSave's line names the step that failed.
  assert.ok(s.log.some((l) => l.includes('# Write error saving DB on disk(rdbSaveRio): No space left on device')), s.log.join(''));
  assert.is((await info(c)).rdb_last_bgsave_status, 'ok');
  symlinkSync('/dev/full', join(dir, `temp-bg-${process.pid}-1.rdb`));
  assert.is(await c.call('BGSAVE'), 'Background saving started');
  await waitFor('the failed save', async () => (await info(c)).rdb_bgsave_in_progress === '0');
  assert.is((await info(c)).rdb_last_bgsave_status, 'err');
  assert.ok(s.log.some((l) => l.includes('# Background saving error')));
  assert.is(s.log.filter((l) => l.includes('# Write error saving DB on disk(rdbSaveRio): No space left on device')).length, 2);
  const misconf = "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.";
  assert.equal(await c.call('SET', 'x', 'y'), { error: misconf });
  assert.equal(await c.call('PING'), { error: misconf });
  assert.is(await c.call('GET', 'old'), 'data');
  assert.ok(readFileSync(join(dir, 'dump.rdb')).equals(dump), 'the old dump is untouched');
  // stop-writes-on-bgsave-error no, or no save points: writes go through.
  await c.call('CONFIG', 'SET', 'stop-writes-on-bgsave-error', 'no');
  assert.is(await c.call('SET', 'x', 'y'), 'OK');
  await c.call('CONFIG', 'SET', 'stop-writes-on-bgsave-error', 'yes');
  assert.equal(await c.call('SET', 'x', 'y'), { error: misconf });
  await c.call('CONFIG', 'SET', 'save', '');
  assert.is(await c.call('SET', 'x', 'y'), 'OK');
  await c.call('CONFIG', 'SET', 'save', '3600 1');
  // A shutdown that must save and cannot: refused, the server keeps running. (A failed save
  // removes its temp file, here the link to /dev/full, so it is made again.)
  symlinkSync('/dev/full', join(dir, `temp-${process.pid}.rdb`));
  assert.equal(await c.call('SHUTDOWN'), { error: 'ERR Errors trying to SHUTDOWN. Check logs.' });
  assert.is(await c.call('GET', 'old'), 'data');
  // The disk is back: a successful save clears the error.
  rmSync(join(dir, `temp-${process.pid}.rdb`), { force: true });
  assert.is(await c.call('SAVE'), 'OK');
  assert.is((await info(c)).rdb_last_bgsave_status, 'ok');
  assert.is(await c.call('SET', 'x', 'z'), 'OK');
  assert.is((await info(c)).rdb_saves, '4');
  await s.stop();
});

t('a dump that cannot be renamed into place: the "Error moving temp DB file" line of rdbSave, the temp file gone', async () => {
  const dir = tmp();
  const s = await start(dir, { save: ['3600', '1'] });
  await s.c.call('SET', 'a', '1');
  // A non-empty directory where the dump goes: rename(2) fails with EISDIR.
  mkdirSync(join(dir, 'dump.rdb', 'x'), { recursive: true });
  assert.equal(await s.c.call('SAVE'), { error: 'ERR' });
  assert.is(await s.c.call('BGSAVE'), 'Background saving started');
  await waitFor('the failed save', async () => (await info(s.c)).rdb_bgsave_in_progress === '0');
  const moving = s.log.filter((l) => l.includes(`# Error moving temp DB file temp-`) &&
    l.includes(` on the final destination dump.rdb (in server root dir ${dir}): Is a directory`));
  assert.is(moving.length, 2, s.log.join(''));
  assert.is((await info(s.c)).rdb_last_bgsave_status, 'err');
  assert.equal(readdirSync(dir).filter((f) => f.startsWith('temp-')), []);
  await s.stop();
});

t('shutdown saves when save points exist or SAVE is asked, not with NOSAVE', async () => {
  const dir = tmp();
  const s = await start(dir, { save: ['3600', '1'] });
  await s.c.call('SET', 'a', '1');
  await s.server.shutdown();
  assert.ok(s.log.some((l) => l.includes('Saving the final RDB snapshot before exiting.')));
  assert.ok(existsSync(join(dir, 'dump.rdb')));
  s.c.close();
  const s2 = await start(dir, { save: ['3600', '1'] });
  assert.is(await s2.c.call('GET', 'a'), '1');
  await s2.c.call('SET', 'a', '2');
  await s2.server.shutdown({ save: false });
  s2.c.close();
  const s3 = await start(dir);
  assert.is(await s3.c.call('GET', 'a'), '1');
  await s3.c.call('SET', 'a', '3');
  // No save points: only SHUTDOWN SAVE saves.
  await s3.server.shutdown();
  s3.c.close();
  const s4 = await start(dir);
  assert.is(await s4.c.call('GET', 'a'), '1');
  await s4.c.call('SET', 'a', '4');
  await s4.server.shutdown({ save: true });
  s4.c.close();
  const s5 = await start(dir);
  assert.is(await s5.c.call('GET', 'a'), '4');
  await s5.stop();
});

t('a shutdown during a background save stops it and saves in the foreground', async () => {
  const dir = tmp();
  const s = await start(dir, { 'rdb-key-save-delay': 5000, save: ['3600', '1'] });
  for (let i = 0; i < 100; i++) await s.c.call('SET', `k${i}`, 'v');
  assert.is(await s.c.call('BGSAVE'), 'Background saving started');
  await s.c.call('SET', 'late', 'write');
  await s.server.shutdown();
  s.c.close();
  assert.ok(s.log.some((l) => l.includes('There is a child saving an .rdb. Killing it!')));
  const s2 = await start(dir);
  assert.is(await s2.c.call('DBSIZE'), 101);
  assert.is(await s2.c.call('GET', 'late'), 'write');
  await s2.stop();
});

t('FLUSHALL saves the empty dataset when save points exist, keeping the change count', async () => {
  const dir = tmp();
  const s = await start(dir, { save: ['3600', '1'] });
  await s.c.call('SET', 'a', '1');
  assert.is(await s.c.call('SAVE'), 'OK');
  await s.c.call('SET', 'b', '2');
  assert.is(await s.c.call('FLUSHALL'), 'OK');
  // As redis-server 7.0.15 reports it: the save resets the count, and rdb_saves counts SAVE and
  // BGSAVE only.
  const i = await info(s.c);
  assert.is(i.rdb_saves, '1');
  assert.is(i.rdb_changes_since_last_save, '0');
  assert.is(s.log.filter((l) => l.includes('DB saved on disk')).length, 2);
  await s.server.shutdown({ save: false });
  s.c.close();
  const s2 = await start(dir);
  assert.is(await s2.c.call('DBSIZE'), 0);
  await s2.c.call('SET', 'c', '3');
  assert.is(await s2.c.call('SAVE'), 'OK');
  // Without save points FLUSHALL leaves the dump alone and counts each key it removed, as
  // redis-server 7.0.15 does (an empty FLUSHALL counts nothing).
  await s2.c.call('SET', 'd', '4');
  assert.is(await s2.c.call('FLUSHALL'), 'OK');
  assert.is((await info(s2.c)).rdb_changes_since_last_save, '3');
  assert.is(await s2.c.call('FLUSHALL'), 'OK');
  assert.is((await info(s2.c)).rdb_changes_since_last_save, '3');
  await s2.server.shutdown({ save: false });
  s2.c.close();
  const s3 = await start(dir);
  assert.is(await s3.c.call('GET', 'c'), '3');
  await s3.stop();
});

t('while a large dump loads, clients get -LOADING and INFO shows the progress', async () => {
  const dir = tmp();
  const s = await start(dir);
  for (let i = 0; i < 20; i++) {
    const args: string[] = [];
    for (let j = 0; j < 1000; j++) args.push(`key:${i}:${j}`, `value-${j}`.repeat(3));
    await s.c.call('MSET', ...args);
  }
  assert.is(await s.c.call('SAVE'), 'OK');
  await s.stop();
  const port = await freePort();
  const log: string[] = [];
  const server: Server = createServer({
    // 200 us per key: 20000 keys take 4 s to load, plenty of time to look.
    config: { port, bind: '127.0.0.1', persistence: 'rdb', dir, save: '', 'loading-process-events-interval-bytes': 1024, 'key-load-delay': 200 },
    host: { ...createHost([]), stdout: (line: string) => void log.push(line) },
  });
  let started = false;
  const starting = server.start().then(() => {
    started = true;
  });
  let c: RespClient | null = null;
  await waitFor('the listening socket', async () => {
    try {
      c = await RespClient.connect(port);
      return true;
    } catch {
      return false;
    }
  });
  const client = c as unknown as RespClient;
  const pong = await client.call('PING');
  const text = String(await client.call('INFO', 'persistence'));
  assert.not.ok(started, 'the dump loaded before the test could look');
  assert.equal(pong, { error: 'LOADING Redis is loading the dataset in memory' });
  assert.match(text, /loading:1\r\n/);
  assert.match(text, /loading_total_bytes:\d+\r\n/);
  assert.match(text, /loading_loaded_perc:\d+\.\d\d\r\n/);
  assert.match(text, /loading_eta_seconds:\d+\r\n/);
  await starting;
  assert.is(await client.call('PING'), 'PONG');
  assert.is(await client.call('DBSIZE'), 20000);
  assert.match(String(await client.call('INFO', 'persistence')), /loading:0\r\n/);
  client.close();
  await server.shutdown({ save: false, force: true });
});

/** Starting on a bad dump fails with the reason, and the dump is left as it was. */
async function refused(file: Uint8Array, reason: RegExp): Promise<void> {
  const dir = tmp();
  writeFileSync(join(dir, 'dump.rdb'), file);
  let error: Error | null = null;
  let s: Awaited<ReturnType<typeof start>> | null = null;
  try {
    s = await start(dir);
  } catch (e) {
    error = e as Error;
  }
  if (s !== null) await s.stop();
  assert.ok(error !== null, `a dump that should be refused was loaded (${reason})`);
  assert.match(error!.message, reason);
  assert.ok(Buffer.from(readFileSync(join(dir, 'dump.rdb'))).equals(Buffer.from(file)));
}

t('damaged or unsupported dumps stop start-up with a message', async () => {
  const good = new Bytes().byte(0xfe, 0).byte(0).rstr('k').rstr('value').done();
  const file = rdbFile(10, good);
  // Truncated anywhere after the header.
  for (const cut of [9, 12, file.length - 9, file.length - 1]) {
    await refused(file.subarray(0, cut), /Unexpected EOF reading RDB file/);
  }
  const bad = file.slice();
  bad[bad.length - 10] ^= 0x20; // a byte of the value
  await refused(bad, /RDB CRC error/);
  await refused(new TextEncoder().encode('NOTREDIS0010'), /Wrong signature/);
  await refused(rdbFile(13, good), /Can't handle RDB format version 13/);
  await refused(rdbFile(10, new Bytes().byte(0xfe, 0).byte(7).rstr('m').len(12345n << 10n).done()), /module data/);
  await refused(rdbFile(10, new Bytes().byte(0xf5).rstr('lib code').done()), /functions/);
  await refused(rdbFile(10, new Bytes().byte(0xfe, 0).byte(99).rstr('k').done()), /Unknown RDB encoding type 99/);
  await refused(rdbFile(10, new Bytes().byte(0xfe, 0).byte(0).rstr('k').rstr('a').byte(0).rstr('k').rstr('b').done()), /RDB has duplicated key 'k' in DB 0/);
  // Keys are indexed in bulk at the end of each database: the first duplicate in file order is
  // named, after many keys (the sorted path) and in a later database too.
  const many = new Bytes().byte(0xfe, 0);
  for (let i = 0; i < 6000; i++) many.byte(0).rstr(`key:${i}`).rstr('v');
  many.byte(0).rstr('key:4321').rstr('again').byte(0).rstr('key:17').rstr('again');
  await refused(rdbFile(10, many.done()), /RDB has duplicated key 'key:4321' in DB 0/);
  await refused(rdbFile(10, new Bytes().byte(0xfe, 0).byte(0).rstr('k').rstr('a').byte(0xfe, 3).byte(0).rstr('k').rstr('b')
    .byte(0).rstr('x').rstr('c').byte(0).rstr('k').rstr('d').done()), /RDB has duplicated key 'k' in DB 3/);
  await refused(rdbFile(10, new Bytes().byte(0xfe, 40).done()), /more than 16 databases/);
  await refused(rdbFile(10, new Bytes().byte(0xfe, 0).byte(16).rstr('h').rblob(Uint8Array.from([9, 0, 0, 0, 0, 0, 0x81, 0x61, 0xff])).done()), /Hash listpack integrity check failed/);
});

t.run();

export type { Running };
