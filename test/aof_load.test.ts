// The AOF on disk and back: what appending writes (multi-part layout, SELECT, propagated forms),
// restarting on it, torn tails and damage, the old single-file layout, and loading without
// expiry. In-process servers on temp directories.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RespClient, tempDir } from './_helpers.ts';
import { aofFiles, dumpDataset, manifestOf, resp, startAof, startAofFails, stopAll, waitFor } from './aof_helpers.ts';
import { createServer } from '../mod.ts';
import { createHost } from '../plugins/host/node.ts';

const test = suite('aof: append and load');
const dirs: string[] = [];
const fresh = (): string => {
  const d = tempDir('echokv-aof-');
  dirs.push(d);
  return d;
};
test.after(async () => {
  await stopAll();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test('an empty start creates a base, an incr and the manifest; writes are appended as Redis does', async () => {
  const dir = fresh();
  const s = await startAof(dir, { 'aof-use-rdb-preamble': 'no' });
  assert.match(s.logs(), 'Creating AOF base file appendonly.aof.1.base.aof on server start');
  assert.match(s.logs(), 'Creating AOF incr file appendonly.aof.1.incr.aof on server start');
  const c = await RespClient.connect(s.port);
  assert.is(await c.call('SET', 'a', '1'), 'OK');
  assert.is(await c.call('SET', 'b', '2', 'EX', '100'), 'OK');
  await c.call('SELECT', 3);
  assert.is(await c.call('INCR', 'c'), 1);
  await c.call('SELECT', 0);
  await c.call('EXPIRE', 'a', 50);
  assert.is(await c.call('GET', 'b'), '2'); // reads are not logged
  c.close();
  await s.stop();
  assert.is(manifestOf(dir), 'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
  const files = aofFiles(dir);
  assert.is(files.get('appendonly.aof.1.base.aof'), '');
  const incr = files.get('appendonly.aof.1.incr.aof')!;
  const pxat = /PXAT\r\n\$13\r\n(\d{13})/.exec(incr)?.[1];
  const pexpireat = /PEXPIREAT\r\n\$1\r\na\r\n\$13\r\n(\d{13})/.exec(incr)?.[1];
  assert.ok(pxat && pexpireat, incr);
  assert.is(incr, resp(['SELECT', '0'], ['SET', 'a', '1'], ['SET', 'b', '2', 'PXAT', pxat!], ['SELECT', '3'], ['INCR', 'c'],
    ['SELECT', '0'], ['PEXPIREAT', 'a', pexpireat!]));
});

test('a restart loads the dataset, reopens the last incr and appends after it', async () => {
  const dir = fresh();
  let s = await startAof(dir);
  let c = await RespClient.connect(s.port);
  for (let i = 0; i < 200; i++) await c.call('SET', `key:${i}`, `value:${i}`);
  await c.call('APPEND', 'key:7', '-more');
  await c.call('SELECT', 5);
  await c.call('SET', 'in5', 'x', 'PX', '900000');
  await c.call('SET', 'bin\x00\r\n', '\xff\x00\r\n');
  const before = await dumpDataset(c);
  c.close();
  await s.stop();
  s = await startAof(dir);
  assert.match(s.logs(), 'DB loaded from base file appendonly.aof.1.base.rdb');
  assert.match(s.logs(), 'DB loaded from incr file appendonly.aof.1.incr.aof');
  assert.match(s.logs(), 'Opening AOF incr file appendonly.aof.1.incr.aof on server start');
  c = await RespClient.connect(s.port);
  assert.is(await dumpDataset(c), before);
  await c.call('SET', 'after', 'restart');
  c.close();
  await s.stop();
  assert.is(manifestOf(dir), 'file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
  s = await startAof(dir);
  c = await RespClient.connect(s.port);
  assert.is(await c.call('GET', 'after'), 'restart');
  assert.is(await c.call('GET', 'key:7'), 'value:7-more');
  c.close();
  await s.stop();
});

test('with appendonly yes an RDB dump beside the AOF is not what loads', async () => {
  const dir = fresh();
  writeFileSync(join(dir, 'dump.rdb'), 'REDIS0010garbage');
  const s = await startAof(dir);
  const c = await RespClient.connect(s.port);
  assert.is(await c.call('DBSIZE'), 0);
  c.close();
  await s.stop();
});

test('a torn tail (crash mid-write) loads up to the last whole command and is cut off the file', async () => {
  const dir = fresh();
  let s = await startAof(dir);
  let c = await RespClient.connect(s.port);
  await c.call('SET', 'a', '1');
  await c.call('SET', 'b', '2');
  c.close();
  await s.stop();
  const incr = join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof');
  const whole = statSync(incr).size;
  appendFileSync(incr, '*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$5\r\nhel', 'latin1');
  s = await startAof(dir);
  assert.match(s.logs(), '!!! Warning: short read while loading the AOF file appendonly.aof.1.incr.aof!!!');
  assert.match(s.logs(), `!!! Truncating the AOF appendonly.aof.1.incr.aof at offset ${whole} !!!`);
  assert.match(s.logs(), 'loaded anyway because aof-load-truncated is enabled');
  assert.is(statSync(incr).size, whole);
  c = await RespClient.connect(s.port);
  assert.equal(await c.call('MGET', 'a', 'b', 'c'), ['1', '2', null]);
  await c.call('SET', 'd', '4');
  c.close();
  await s.stop();
  // Appending went on from the clean end: the file loads without warnings.
  s = await startAof(dir);
  assert.not.match(s.logs(), 'short read');
  c = await RespClient.connect(s.port);
  assert.equal(await c.call('MGET', 'a', 'b', 'c', 'd'), ['1', '2', null, '4']);
  c.close();
  await s.stop();
});

test('a MULTI block without its EXEC is reverted as a torn tail; whole blocks apply', async () => {
  const dir = fresh();
  mkdirSync(join(dir, 'appendonlydir'));
  writeFileSync(join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'file appendonly.aof.1.incr.aof seq 1 type i\n');
  const good = resp(['SELECT', '0'], ['SET', 'a', '1'], ['MULTI'], ['SET', 'b', '2'], ['INCR', 'a'], ['EXEC']);
  const incr = join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof');
  writeFileSync(incr, good + resp(['MULTI'], ['SET', 'c', '3'], ['SET', 'd', '4']), 'latin1');
  const s = await startAof(dir);
  assert.match(s.logs(), 'Revert incomplete MULTI/EXEC transaction in AOF file appendonly.aof.1.incr.aof');
  assert.is(readFileSync(incr, 'latin1'), good);
  const c = await RespClient.connect(s.port);
  assert.equal(await c.call('MGET', 'a', 'b', 'c', 'd'), ['2', '2', null, null]);
  c.close();
  await s.stop();
});

test('aof-load-truncated no refuses a torn tail, naming the file and offset', async () => {
  const dir = fresh();
  let s = await startAof(dir);
  const c = await RespClient.connect(s.port);
  await c.call('SET', 'a', '1');
  c.close();
  await s.stop();
  const incr = join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof');
  const whole = statSync(incr).size;
  appendFileSync(incr, '*2\r\n$3\r\nDEL', 'latin1');
  const err = await startAofFails(dir, { 'aof-load-truncated': 'no' });
  assert.match(err, 'Unexpected end of file reading the append only file appendonly.aof.1.incr.aof');
  assert.match(err, `at offset ${whole}`);
  assert.is(statSync(incr).size, whole + 11, 'the file is left as it was');
  s = await startAof(dir); // yes (the default) repairs it
  await s.stop();
});

test('damage mid-file stops start-up with the file and offset; the files are left alone', async () => {
  const dir = fresh();
  mkdirSync(join(dir, 'appendonlydir'));
  writeFileSync(join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'file appendonly.aof.1.incr.aof seq 1 type i\n');
  const head = resp(['SET', 'a', '1']);
  const text = head + '*3\r\n$3\r\nSET\r\n$1\r\nz\r\nX2\r\nab\r\n' + resp(['SET', 'y', '2']);
  writeFileSync(join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof'), text, 'latin1');
  const err = await startAofFails(dir);
  assert.match(err, 'Bad file format reading the append only file appendonly.aof.1.incr.aof');
  assert.match(err, `at offset ${head.length + 20}`);
  assert.is(readFileSync(join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof'), 'latin1'), text);
});

test('a torn file that is not the last one is fatal', async () => {
  const dir = fresh();
  mkdirSync(join(dir, 'appendonlydir'));
  writeFileSync(join(dir, 'appendonlydir', 'appendonly.aof.manifest'),
    'file appendonly.aof.1.incr.aof seq 1 type i\nfile appendonly.aof.2.incr.aof seq 2 type i\n');
  writeFileSync(join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof'), resp(['SET', 'a', '1']) + '*2\r\n$3', 'latin1');
  writeFileSync(join(dir, 'appendonlydir', 'appendonly.aof.2.incr.aof'), resp(['SET', 'b', '1']), 'latin1');
  const err = await startAofFails(dir);
  assert.match(err, 'Fatal error: the truncated file is not the last file');
});

test('a file named in the manifest that is missing, or a damaged manifest, is fatal', async () => {
  const dir = fresh();
  mkdirSync(join(dir, 'appendonlydir'));
  writeFileSync(join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'file appendonly.aof.1.base.rdb seq 1 type b\n');
  assert.match(await startAofFails(dir), 'Unable to obtain the AOF file appendonly.aof.1.base.rdb length');
  writeFileSync(join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'file a seq 1 type b\nfile b seq 1 type b\n');
  assert.match(await startAofFails(dir), 'Found duplicate base file information');
});

test('unknown commands and commands that fail stop loading with the file and offset', async () => {
  const dir = fresh();
  mkdirSync(join(dir, 'appendonlydir'));
  writeFileSync(join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'file appendonly.aof.1.incr.aof seq 1 type i\n');
  const incr = join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof');
  writeFileSync(incr, resp(['SET', 'a', '1'], ['NOSUCHCMD', 'x']), 'latin1');
  assert.match(await startAofFails(dir), "Unknown command 'NOSUCHCMD' reading the append only file appendonly.aof.1.incr.aof");
  writeFileSync(incr, resp(['SET', 'a', 'x'], ['INCR', 'a']), 'latin1');
  const err = await startAofFails(dir);
  assert.match(err, `Command at offset ${resp(['SET', 'a', 'x']).length} of appendonly.aof.1.incr.aof failed`);
  assert.match(err, 'not an integer');
  writeFileSync(incr, resp(['SELECT', '99'], ['SET', 'a', 'x']), 'latin1');
  assert.match(await startAofFails(dir), 'DB index is out of range');
});

test('an old single appendonly.aof is upgraded into the AOF directory, as Redis 7.0 does', async () => {
  const dir = fresh();
  writeFileSync(join(dir, 'appendonly.aof'), resp(['SELECT', '0'], ['SET', 'z', 'ab'], ['SET', 'y', 'cd']), 'latin1');
  const s = await startAof(dir);
  assert.match(s.logs(), 'Successfully migrated an old-style AOF file (appendonly.aof) into the AOF directory (appendonlydir).');
  assert.match(s.logs(), 'DB loaded from base file appendonly.aof');
  assert.match(s.logs(), 'Creating AOF incr file appendonly.aof.1.incr.aof on server start');
  assert.not.ok(existsSync(join(dir, 'appendonly.aof')));
  assert.is(manifestOf(dir), 'file appendonly.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
  const c = await RespClient.connect(s.port);
  assert.equal(await c.call('MGET', 'z', 'y'), ['ab', 'cd']);
  c.close();
  await s.stop();
});

test('an interrupted upgrade (manifest written, file not yet moved) is finished at the next start', async () => {
  const dir = fresh();
  mkdirSync(join(dir, 'appendonlydir'));
  writeFileSync(join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'file appendonly.aof seq 1 type b\n');
  writeFileSync(join(dir, 'appendonly.aof'), resp(['SET', 'k', 'v']), 'latin1');
  const s = await startAof(dir);
  assert.match(s.logs(), 'Successfully migrated an old-style AOF file');
  const c = await RespClient.connect(s.port);
  assert.is(await c.call('GET', 'k'), 'v');
  c.close();
  await s.stop();
});

test('nothing expires while loading: a key logged alive is found alive, then expires', async () => {
  const dir = fresh();
  mkdirSync(join(dir, 'appendonlydir'));
  writeFileSync(join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'file appendonly.aof.1.incr.aof seq 1 type i\n');
  const past = String(Date.now() - 60_000);
  // k was alive when APPEND ran: replaying the APPEND must not make a new, immortal key.
  writeFileSync(join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof'),
    resp(['SET', 'k', 'v', 'PXAT', past], ['APPEND', 'k', 'x'], ['SET', 'live', '1'], ['PEXPIREAT', 'gone', past]), 'latin1');
  const s = await startAof(dir);
  const c = await RespClient.connect(s.port);
  assert.is(await c.call('GET', 'k'), null);
  assert.is(await c.call('EXISTS', 'k'), 0);
  assert.is(await c.call('GET', 'live'), '1');
  c.close();
  await s.stop();
  // The expiry was logged as a DEL after the load.
  assert.match(aofFiles(dir).get('appendonly.aof.1.incr.aof')!, resp(['SELECT', '0'], ['DEL', 'k']));
});

test('aof-timestamp-enabled writes #TS annotations, which loading skips', async () => {
  const dir = fresh();
  let s = await startAof(dir, { 'aof-timestamp-enabled': 'yes', 'aof-use-rdb-preamble': 'no' });
  let c = await RespClient.connect(s.port);
  await c.call('SET', 'a', '1');
  c.close();
  await s.stop();
  assert.match(aofFiles(dir).get('appendonly.aof.1.incr.aof')!, /^#TS:\d{10}\r\n\*2\r\n\$6\r\nSELECT/);
  assert.match(aofFiles(dir).get('appendonly.aof.1.base.aof')!, /^#TS:\d{10}\r\n$/);
  s = await startAof(dir);
  c = await RespClient.connect(s.port);
  assert.is(await c.call('GET', 'a'), '1');
  c.close();
  await s.stop();
});

test('while a large AOF loads, clients get -LOADING and INFO shows the progress', async () => {
  const dir = fresh();
  mkdirSync(join(dir, 'appendonlydir'));
  writeFileSync(join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'file appendonly.aof.1.incr.aof seq 1 type i\n');
  let text = resp(['SELECT', '0']);
  for (let i = 0; i < 200_000; i++) text += resp(['SET', `key:${i}`, `value:${i}`]);
  writeFileSync(join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof'), text, 'latin1');
  const server = createServer({
    config: { port: 0, bind: '127.0.0.1', dir, persistence: 'aof', appendonly: 'yes', save: '' },
    pluginOptions: { tcp: { anyPort: true } },
    host: { ...createHost([]), stdout: () => {} },
  });
  const started = server.start();
  let addr: string | undefined;
  assert.ok(await waitFor(() => (addr = server.instances.get('tcp')?.addresses?.()[0]) !== undefined, 10000));
  const c = await RespClient.connect(Number(addr!.slice(addr!.lastIndexOf(':') + 1)));
  const got = await c.callRaw('GET', 'key:1');
  const info = (await c.call('INFO', 'persistence')) as string;
  await started;
  assert.is(got.bytes, '-LOADING Redis is loading the dataset in memory\r\n');
  assert.match(info, 'loading:1');
  assert.match(info, `loading_total_bytes:${text.length}`);
  assert.match(info, /loading_loaded_perc:\d+\.\d\d/);
  assert.is(await c.call('GET', 'key:199999'), 'value:199999');
  assert.is(await c.call('DBSIZE'), 200_000);
  c.close();
  await server.shutdown({ save: false, force: true });
});

test('INFO persistence reports the AOF fields', async () => {
  const dir = fresh();
  const s = await startAof(dir);
  const c = await RespClient.connect(s.port);
  await c.call('SET', 'a', '1');
  const info = (await c.call('INFO', 'persistence')) as string;
  for (const f of ['aof_enabled:1', 'aof_rewrite_in_progress:0', 'aof_rewrite_scheduled:0', 'aof_last_rewrite_time_sec:-1',
    'aof_current_rewrite_time_sec:-1', 'aof_last_bgrewrite_status:ok', 'aof_rewrites:0', 'aof_rewrites_consecutive_failures:0',
    'aof_last_write_status:ok', 'aof_last_cow_size:0', 'aof_pending_rewrite:0', 'aof_buffer_length:0',
    'aof_pending_bio_fsync:', 'aof_delayed_fsync:0']) {
    assert.match(info, f);
  }
  const size = Number(/aof_current_size:(\d+)/.exec(info)?.[1]);
  const files = aofFiles(dir);
  assert.is(size, files.get('appendonly.aof.1.base.rdb')!.length + files.get('appendonly.aof.1.incr.aof')!.length);
  assert.match(info, /aof_base_size:\d+/);
  // Redis's order: the aof_* size fields after module_fork_last_cow_size.
  assert.ok(info.indexOf('module_fork_last_cow_size') < info.indexOf('aof_current_size'));
  c.close();
  await s.stop();
});

test('a file that cannot be created stops start-up', async () => {
  const dir = fresh();
  mkdirSync(join(dir, 'appendonlydir'));
  // A directory where the incr file must go.
  mkdirSync(join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof'));
  const err = await startAofFails(dir);
  assert.match(err, "Can't open the append-only file");
  // A symlink to a device is opened like a file (used by the write-error tests).
  const d2 = fresh();
  mkdirSync(join(d2, 'appendonlydir'));
  symlinkSync('/dev/null', join(d2, 'appendonlydir', 'appendonly.aof.1.incr.aof'));
  const s = await startAof(d2);
  await s.stop();
});

test.run();
