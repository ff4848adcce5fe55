// Rewrites: BGREWRITEAOF's new base and incr, history files deleted, replies Redis gives; the
// point-in-time base under concurrent writes (copy-on-write through the keyspace snapshot);
// automatic rewrites on growth; turning appendonly on and off at run time.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RespClient, tempDir } from './_helpers.ts';
import { aofFiles, dumpDataset, infoField, manifestOf, startAof, stopAll, waitFor } from './aof_helpers.ts';
import type { Server } from '../core/server.ts';
import { isString, stringOf } from '../core/keyspace.ts';

const test = suite('aof: rewrites');
const dirs: string[] = [];
const fresh = (): string => {
  const d = tempDir('echokv-aof-rw-');
  dirs.push(d);
  return d;
};
test.after(async () => {
  await stopAll();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const inProgress = (s: { server: Server }): boolean =>
  (s.server.instances.get('aof')!.info!('persistence')!.aof_rewrite_in_progress as number) === 1;

/** The dataset as the keyspace holds it now (strings), in dumpDataset's format. */
function snapshotNow(server: Server): string {
  const lines: string[] = [];
  for (const db of server.keyspace.dbs) {
    for (const k of [...db.keys.keys()].sort()) {
      const e = db.keys.get(k)!;
      if (!isString(e.value)) throw new Error('strings only');
      lines.push(`${db.id} ${JSON.stringify(k)} string ${e.expireAt !== 0 ? 'ttl' : -1} ${JSON.stringify(stringOf(e.value))}`);
    }
  }
  return lines.join('\n');
}

for (const preamble of ['yes', 'no']) {
  test(`BGREWRITEAOF (aof-use-rdb-preamble ${preamble}): new base and incr, history deleted, same data after a restart`, async () => {
    const dir = fresh();
    let s = await startAof(dir, { 'aof-use-rdb-preamble': preamble });
    let c = await RespClient.connect(s.port);
    for (let i = 0; i < 300; i++) await c.call('SET', `k${i}`, `v${i}`);
    await c.call('PEXPIRE', 'k1', 1_000_000);
    await c.call('SELECT', 2);
    await c.call('SET', 'two', '2');
    await c.call('SELECT', 0);
    assert.is(await c.call('BGREWRITEAOF'), 'Background append only file rewriting started');
    assert.ok(await waitFor(async () => (await infoField(c, 'aof_rewrite_in_progress')) === '0'));
    await c.call('SET', 'after', 'rewrite');
    const ext = preamble === 'yes' ? 'rdb' : 'aof';
    assert.is(manifestOf(dir), `file appendonly.aof.2.base.${ext} seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n`);
    assert.equal([...aofFiles(dir).keys()], [`appendonly.aof.2.base.${ext}`, 'appendonly.aof.2.incr.aof', 'appendonly.aof.manifest']);
    assert.match(s.logs(), 'Creating AOF incr file appendonly.aof.2.incr.aof on background rewrite');
    assert.match(s.logs(), `Successfully renamed the temporary AOF base file temp-rewriteaof-bg-${process.pid}.aof into appendonly.aof.2.base.${ext}`);
    assert.match(s.logs(), 'Removing the history file appendonly.aof.1.incr.aof in the background');
    assert.match(s.logs(), 'Background AOF rewrite finished successfully');
    assert.is(await infoField(c, 'aof_rewrites'), '1');
    assert.is(await infoField(c, 'aof_last_bgrewrite_status'), 'ok');
    const base = aofFiles(dir).get(`appendonly.aof.2.base.${ext}`)!;
    if (preamble === 'yes') assert.ok(base.startsWith('REDIS0010'));
    else assert.ok(base.startsWith('*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n'));
    // The incr written since holds only what came after the rewrite started.
    assert.is(aofFiles(dir).get('appendonly.aof.2.incr.aof'), '*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$5\r\nafter\r\n$7\r\nrewrite\r\n');
    const before = await dumpDataset(c);
    c.close();
    await s.stop();
    s = await startAof(dir);
    c = await RespClient.connect(s.port);
    assert.is(await dumpDataset(c), before);
    c.close();
    await s.stop();
  });
}

test('BGREWRITEAOF while one runs is refused with Redis\'s error', async () => {
  const dir = fresh();
  const s = await startAof(dir);
  const c = await RespClient.connect(s.port);
  for (let i = 0; i < 2000; i++) c.write(`*3\r\n$3\r\nSET\r\n$${String(i).length + 1}\r\nk${i}\r\n$1\r\nv\r\n`);
  for (let i = 0; i < 2000; i++) await c.read();
  // Both in one read: the first starts a job that cannot finish before the second runs.
  c.write('*1\r\n$12\r\nBGREWRITEAOF\r\n*1\r\n$12\r\nBGREWRITEAOF\r\n');
  assert.is(await c.read(), 'Background append only file rewriting started');
  const second = await c.readRaw();
  assert.is(second.bytes, '-ERR Background append only file rewriting already in progress\r\n');
  assert.ok(await waitFor(() => !inProgress(s)));
  c.close();
  await s.stop();
});

test('the base is the dataset at the instant of BGREWRITEAOF, whatever clients write meanwhile', async () => {
  const dir = fresh();
  const s = await startAof(dir, { 'aof-use-rdb-preamble': 'no' });
  const c = await RespClient.connect(s.port);
  const N = 30_000;
  for (let start = 0; start < N; start += 1000) {
    for (let i = start; i < start + 1000; i++) {
      const k = `key:${i}`;
      const v = `value:${i}:${'x'.repeat(i % 50)}`;
      c.write(`*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n$${v.length}\r\n${v}\r\n`);
    }
    for (let i = start; i < start + 1000; i++) await c.read();
  }
  for (let i = 0; i < 200; i++) await c.call('PEXPIRE', `key:${i * 7}`, 5_000_000);
  for (let i = 0; i < 50; i++) await c.call('APPEND', `key:${i * 3}`, '-appended');
  await c.call('SELECT', 1);
  for (let i = 0; i < 500; i++) await c.call('SET', `one:${i}`, String(i));
  await c.call('SELECT', 0);

  // Start the rewrite in-process so the dataset can be captured at the same instant.
  const inst = s.server.instances.get('aof')!;
  assert.equal(inst.rewriteAof!({ inExec: false }), { status: 'Background append only file rewriting started' });
  const atT = snapshotNow(s.server);

  // Random writes of every kind while the rewrite walks the keyspace.
  let seed = 12345;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  let rounds = 0;
  while (inProgress(s)) {
    const cmds: string[][] = [];
    for (let j = 0; j < 40; j++) {
      const k = `key:${rnd(N)}`;
      switch (rnd(9)) {
        case 0: cmds.push(['SET', k, `new:${rounds}:${j}`]); break;
        case 1: cmds.push(['APPEND', k, '+']); break;
        case 2: cmds.push(['DEL', k]); break;
        case 3: cmds.push(['PEXPIRE', k, String(1_000_000 + rnd(1000))]); break;
        case 4: cmds.push(['PERSIST', k]); break;
        case 5: cmds.push(['SET', `fresh:${rounds}:${j}`, 'x']); break;
        case 6: cmds.push(['RENAME', k, `renamed:${rounds}:${j}`]); break;
        case 7: cmds.push(['SETRANGE', k, '2', 'ZZ']); break;
        default: cmds.push(['GETDEL', k]); break;
      }
    }
    if (rounds === 3) cmds.push(['SWAPDB', '0', '1']);
    if (rounds === 5) cmds.push(['SWAPDB', '0', '1']);
    for (const cmd of cmds) c.write(`*${cmd.length}\r\n` + cmd.map((a) => `$${a.length}\r\n${a}\r\n`).join(''));
    for (let j = 0; j < cmds.length; j++) await c.read();
    rounds++;
  }
  assert.ok(rounds >= 3, `writes ran during the rewrite (${rounds} rounds)`);
  assert.is(await infoField(c, 'aof_last_bgrewrite_status'), 'ok');
  assert.ok(Number(await infoField(c, 'aof_last_cow_size')) > 0, 'some keys were copied before being written');
  const final = await dumpDataset(c);

  // The base alone holds the dataset at T.
  const baseOnly = fresh();
  mkdirSync(join(baseOnly, 'appendonlydir'));
  copyFileSync(join(dir, 'appendonlydir', 'appendonly.aof.2.base.aof'), join(baseOnly, 'appendonlydir', 'appendonly.aof.2.base.aof'));
  writeFileSync(join(baseOnly, 'appendonlydir', 'appendonly.aof.manifest'), 'file appendonly.aof.2.base.aof seq 2 type b\n');
  const b = await startAof(baseOnly);
  const bc = await RespClient.connect(b.port);
  assert.ok((await dumpDataset(bc)) === atT, 'the base equals the dataset at the instant of the rewrite');
  bc.close();
  await b.stop();

  // Base + the incr written meanwhile give the final dataset.
  c.close();
  await s.stop();
  const again = await startAof(dir);
  const ac = await RespClient.connect(again.port);
  assert.ok((await dumpDataset(ac)) === final, 'base + incr equal the dataset at shutdown');
  ac.close();
  await again.stop();
});

test('automatic rewrite when the AOF grew by auto-aof-rewrite-percentage over its base', async () => {
  const dir = fresh();
  const s = await startAof(dir, { 'auto-aof-rewrite-percentage': 100, 'auto-aof-rewrite-min-size': 4096 });
  const c = await RespClient.connect(s.port);
  // One key rewritten over and over: the AOF grows, a rewrite brings it back to one SET.
  for (let i = 0; i < 3000 && (await infoField(c, 'aof_rewrites')) === '0'; i++) await c.call('SET', 'same-key', `value-${i}`);
  assert.ok(await waitFor(async () => (await infoField(c, 'aof_rewrites')) !== '0' &&
    (await infoField(c, 'aof_rewrite_in_progress')) === '0'), 'a rewrite ran');
  const growth = Number(/Starting automatic rewriting of AOF on (\d+)% growth/.exec(s.logs())?.[1]);
  assert.ok(growth >= 100, s.logs());
  const base = [...aofFiles(dir).entries()].find(([n]) => n.includes('.base.'))!;
  assert.is.not(base[0], 'appendonly.aof.1.base.rdb');
  assert.ok(base[1].length < 200, `the new base holds one key (${base[1].length} bytes)`);
  const last = await c.call('GET', 'same-key');
  c.close();
  await s.stop();
  const again = await startAof(dir);
  const d = await RespClient.connect(again.port);
  assert.is(await d.call('GET', 'same-key'), last);
  d.close();
  await again.stop();
});

test('CONFIG SET appendonly yes writes a base of the dataset, then appends; no stops appending', async () => {
  const dir = fresh();
  let s = await startAof(dir, { appendonly: 'no' });
  let c = await RespClient.connect(s.port);
  for (let i = 0; i < 100; i++) await c.call('SET', `k${i}`, String(i));
  assert.is(await infoField(c, 'aof_enabled'), '0');
  assert.is(await c.call('CONFIG', 'SET', 'appendonly', 'yes'), 'OK');
  await c.call('SET', 'during', 'x');
  assert.ok(await waitFor(async () => (await infoField(c, 'aof_rewrite_in_progress')) === '0'));
  assert.is(await infoField(c, 'aof_enabled'), '1');
  await c.call('SET', 'after', 'y');
  assert.is(manifestOf(dir), 'file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
  assert.match(s.logs(), 'Successfully renamed the temporary AOF incr file temp-appendonly.aof.incr into appendonly.aof.1.incr.aof');
  assert.is(await c.call('CONFIG', 'SET', 'appendonly', 'no'), 'OK');
  await c.call('SET', 'not-logged', 'z');
  assert.is(await infoField(c, 'aof_enabled'), '0');
  c.close();
  await s.stop();
  s = await startAof(dir);
  c = await RespClient.connect(s.port);
  assert.is(await c.call('DBSIZE'), 102);
  assert.equal(await c.call('MGET', 'k0', 'k99', 'during', 'after', 'not-logged'), ['0', '99', 'x', 'y', null]);
  c.close();
  await s.stop();
});

test('BGREWRITEAOF with appendonly no writes a base and a manifest without incrs', async () => {
  const dir = fresh();
  const s = await startAof(dir, { appendonly: 'no' });
  const c = await RespClient.connect(s.port);
  await c.call('SET', 'a', '1');
  assert.is(await c.call('BGREWRITEAOF'), 'Background append only file rewriting started');
  assert.ok(await waitFor(async () => (await infoField(c, 'aof_rewrite_in_progress')) === '0'));
  assert.is(manifestOf(dir), 'file appendonly.aof.1.base.rdb seq 1 type b\n');
  assert.is(await c.call('BGREWRITEAOF'), 'Background append only file rewriting started');
  assert.ok(await waitFor(async () => (await infoField(c, 'aof_rewrite_in_progress')) === '0'));
  assert.is(manifestOf(dir), 'file appendonly.aof.2.base.rdb seq 2 type b\n');
  assert.equal([...aofFiles(dir).keys()], ['appendonly.aof.2.base.rdb', 'appendonly.aof.manifest']);
  c.close();
  await s.stop();
});

test('BGREWRITEAOF inside MULTI is scheduled, starts after EXEC, and counts as a fork (INFO total_forks)', async () => {
  const dir = fresh();
  const s = await startAof(dir);
  const c = await RespClient.connect(s.port);
  assert.is(await infoField(c, 'total_forks', 'stats'), '0');
  assert.is(await c.call('MULTI'), 'OK');
  await c.call('SET', 'foo', 'bar');
  await c.call('BGREWRITEAOF');
  assert.equal(await c.call('EXEC'), ['OK', 'Background append only file rewriting scheduled']);
  // Tools (Redis's own tests among them) watch total_forks to see a rewrite start.
  assert.ok(await waitFor(async () => (await infoField(c, 'total_forks', 'stats')) === '1'));
  assert.ok(await waitFor(async () => (await infoField(c, 'aof_rewrite_in_progress')) === '0'));
  assert.match(await infoField(c, 'latest_fork_usec', 'stats'), /^\d+$/);
  assert.is(await infoField(c, 'aof_rewrites'), '1');
  assert.is(await c.call('CONFIG', 'RESETSTAT'), 'OK');
  assert.is(await infoField(c, 'total_forks', 'stats'), '0');
  assert.is(await infoField(c, 'latest_fork_usec', 'stats'), '0');
  c.close();
  await s.stop();
});

test('a rewrite that cannot write its file fails cleanly: status err, the old files still load', async () => {
  const dir = fresh();
  let failing = false;
  const s = await startAof(dir, {}, (h) => ({
    writeFileAsync: async (fd: number, bytes: Uint8Array) => {
      if (failing) throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
      return h.writeFileAsync(fd, bytes);
    },
  }));
  const c = await RespClient.connect(s.port);
  await c.call('SET', 'a', '1');
  failing = true;
  assert.is(await c.call('BGREWRITEAOF'), 'Background append only file rewriting started');
  assert.ok(await waitFor(async () => (await infoField(c, 'aof_rewrite_in_progress')) === '0'));
  assert.is(await infoField(c, 'aof_last_bgrewrite_status'), 'err');
  assert.is(await infoField(c, 'aof_rewrites_consecutive_failures'), '1');
  assert.match(s.logs(), 'Background AOF rewrite terminated with error');
  // No temp file left; the new incr stays named after the old one.
  assert.equal([...aofFiles(dir).keys()], ['appendonly.aof.1.base.rdb', 'appendonly.aof.1.incr.aof', 'appendonly.aof.2.incr.aof', 'appendonly.aof.manifest']);
  await c.call('SET', 'b', '2');
  failing = false;
  c.close();
  await s.stop();
  const again = await startAof(dir);
  const d = await RespClient.connect(again.port);
  assert.equal(await d.call('MGET', 'a', 'b'), ['1', '2']);
  d.close();
  await again.stop();
});

test('BGREWRITEAOF while another snapshot (a BGSAVE) runs is scheduled, and starts once it ends', async () => {
  const dir = fresh();
  const s = await startAof(dir);
  const c = await RespClient.connect(s.port);
  await c.call('SET', 'a', '1');
  // What BGSAVE holds while it writes: the keyspace's one snapshot.
  const other = { beforeWrite: (_db: unknown, _k: string, e: { snap: number }) => void (e.snap = snap.epoch) };
  const snap = s.server.keyspace.beginSnapshot(other as never);
  assert.is(await c.call('BGREWRITEAOF'), 'Background append only file rewriting scheduled');
  assert.is(await infoField(c, 'aof_rewrite_scheduled'), '1');
  await c.call('SET', 'b', '2');
  await new Promise((r) => setTimeout(r, 300));
  assert.is(await infoField(c, 'aof_rewrites'), '0', 'waits for the other snapshot');
  s.server.keyspace.endSnapshot(other as never);
  assert.ok(await waitFor(async () => (await infoField(c, 'aof_rewrites')) === '1' &&
    (await infoField(c, 'aof_rewrite_in_progress')) === '0'));
  assert.is(await infoField(c, 'aof_rewrite_scheduled'), '0');
  assert.match(manifestOf(dir), 'file appendonly.aof.2.base.rdb seq 2 type b');
  c.close();
  await s.stop();
});

test('a temp base left by a crash during a rewrite is removed at start-up', async () => {
  const dir = fresh();
  let s = await startAof(dir);
  await s.stop();
  writeFileSync(join(dir, 'appendonlydir', 'temp-rewriteaof-bg-999999.aof'), 'partial');
  s = await startAof(dir);
  assert.match(s.logs(), 'Removed the temporary AOF base file temp-rewriteaof-bg-999999.aof');
  assert.not.ok(aofFiles(dir).has('temp-rewriteaof-bg-999999.aof'));
  await s.stop();
});

test.run();
