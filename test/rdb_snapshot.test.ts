// Background saves: the copy-on-write snapshot (core/keyspace.ts "Snapshots" and
// plugins/persistence/rdb/snapshot.ts). A large dataset of every type is saved in many small
// slices while random writes of every kind (in-place edits, replacements, deletes, TTL changes,
// renames, moves, SWAPDB, FLUSHALL, expiry, new keys) run between the slices; the file must hold
// exactly the dataset of the instant the save started. Checked by loading the file back and
// comparing it with a copy taken at that instant.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type Database, Keyspace, MutableString, newEntry, type Value } from '../core/keyspace.ts';
import { PackedList } from '../core/types/packed_list.ts';
import { HashValue } from '../core/types/hash.ts';
import { SetValue } from '../core/types/set.ts';
import { ZSet } from '../core/types/zset.ts';
import { BackgroundRdb, writeDatasetSync } from '../plugins/persistence/rdb/snapshot.ts';
import { bufferSource, RdbReader } from '../plugins/persistence/rdb/_decode.ts';
import { loadRdb } from '../plugins/persistence/rdb/load.ts';
import { type EncodeOptions } from '../plugins/persistence/rdb/_encode.ts';
import { ADAPTERS, DEFAULT_LIMITS } from '../plugins/persistence/rdb/values.ts';
import '../plugins/persistence/rdb/_adapters.ts';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOW = 1_700_000_000_000;
const OPTS: EncodeOptions = { compress: true, limits: DEFAULT_LIMITS, evictionInfo: null, now: NOW, lfuDecayTime: 1, packedThreshold: 1 << 30 };
const AUX = { redisVersion: '7.0.15', ctime: NOW / 1000, usedMem: 0, aofBase: false };

/** A value as plain data, for comparisons. */
function plainValue(v: Value): unknown {
  if (typeof v === 'string') return ['string', v];
  if (v instanceof MutableString) return ['string', v.toString()];
  const out: unknown[] = [];
  switch (v.type) {
    case 'list': ADAPTERS.list!.source(v).each((e) => out.push(e)); break;
    case 'hash': ADAPTERS.hash!.source(v).each((f, x) => out.push(f + '=' + x)); out.sort(); break;
    case 'set': ADAPTERS.set!.source(v).each((m) => out.push(m)); out.sort(); break;
    case 'zset': ADAPTERS.zset!.source(v).each((m, s) => out.push(m + '=' + s)); break;
  }
  return [v.type, out];
}

function plainKeyspace(ks: Keyspace): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const db of ks.dbs) {
    for (const [k, e] of db.keys) out[`${db.id}:${k}`] = [plainValue(e.value), e.expireAt];
  }
  return out;
}

async function load(bytes: Uint8Array, dbs: number): Promise<Keyspace> {
  const ks = new Keyspace({ databases: dbs, clock: () => NOW });
  await loadRdb(new RdbReader(bufferSource(bytes)), ks, {
    limits: DEFAULT_LIMITS, evictionInfo: null, verifyChecksum: true, aofPreamble: true, log: () => {}, now: NOW,
  });
  return ks;
}

function concat(chunks: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let p = 0;
  for (const c of chunks) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}

/** A dataset of every type in 3 databases, some keys with TTLs. */
function populate(ks: Keyspace, n: number, r: () => number): void {
  for (let i = 0; i < n; i++) {
    const db = ks.dbs[i % 3];
    const key = `k${i}`;
    let v: Value;
    switch (i % 7) {
      case 0: v = `v${i}`.repeat(1 + (i % 5)); break;
      case 1: v = String(i * 1000); break;
      case 2: {
        const m = new MutableString(new Uint8Array(64), 0);
        m.buf.set([65, 66, 67]);
        m.len = 3;
        v = m;
        break;
      }
      case 3: {
        const l = new PackedList();
        for (let j = 0; j < 1 + (i % 20); j++) l.pushTail(`e${j}`);
        v = l as unknown as Value;
        break;
      }
      case 4: {
        const h = new HashValue();
        for (let j = 0; j < 1 + (i % 10); j++) h.set(`f${j}`, `x${j}`);
        if (i % 3 === 0) h.toHashtable();
        v = h;
        break;
      }
      case 5: {
        const s = new SetValue();
        for (let j = 0; j < 1 + (i % 10); j++) s.add(i % 2 ? String(j) : `m${j}`, 512);
        v = s;
        break;
      }
      default: {
        const z = new ZSet(i % 4 !== 0);
        for (let j = 0; j < 1 + (i % 10); j++) z.insert(`m${j}`, j * 1.5);
        v = z;
      }
    }
    const e = newEntry(v, 0);
    db.keys.set(key, e);
    if (r() < 0.2) db.setExpire(key, e, NOW + 1000 + Math.floor(r() * 100000));
  }
}

/** One random write, as commands make them through the Database API. */
function randomWrite(ks: Keyspace, r: () => number, n: number, counter: { i: number }): void {
  const db = ks.dbs[Math.floor(r() * 3)];
  const key = `k${Math.floor(r() * n)}`;
  const op = Math.floor(r() * 13);
  switch (op) {
    case 0: db.set(key, `new${counter.i++}`); break;
    case 1: db.delete(key); break;
    case 2: {
      const e = db.lookupWrite(key);
      if (e === undefined) break;
      const v = e.value;
      if (v instanceof MutableString) {
        v.reserve(v.len + 3);
        v.buf.set([88, 89, 90], v.len);
        v.len += 3;
      } else if (typeof v === 'object' && v.type === 'list') (v as unknown as PackedList).pushTail('pushed');
      else if (typeof v === 'object' && v.type === 'hash') (v as HashValue).set('added', 'yes');
      else if (typeof v === 'object' && v.type === 'set') (v as SetValue).add('added', 512);
      else if (typeof v === 'object' && v.type === 'zset') {
        const z = v as ZSet;
        if (z.score('added') === undefined) z.insert('added', 99);
      }
      break;
    }
    case 3: {
      const e = db.lookupWrite(key);
      if (e !== undefined) db.setExpire(key, e, NOW + 5000);
      break;
    }
    case 4: {
      const e = db.lookupWrite(key);
      if (e !== undefined) db.persist(key, e);
      break;
    }
    case 5: {
      // RENAME key -> key_renamed
      const e = db.lookupWrite(key);
      if (e === undefined) break;
      db.delete(key + 'r');
      db.detach(key);
      db.attach(key + 'r', e);
      break;
    }
    case 6: {
      // MOVE to another database
      const dst = ks.dbs[(db.id + 1) % 3];
      const e = db.lookupWrite(key);
      if (e === undefined || dst.lookupWrite(key) !== undefined) break;
      db.detach(key);
      dst.attach(key, e);
      break;
    }
    case 7: db.add(`fresh${counter.i++}`, 'x'); break;
    case 8: {
      const e = db.keys.get(key);
      if (e !== undefined) db.expireNow(key);
      break;
    }
    case 9: if (r() < 0.05) ks.swap(0, 1); break;
    case 10: if (r() < 0.01) for (const d of ks.dbs) d.flush(); break;
    case 11: db.overwrite(key, `over${counter.i++}`); break;
    default: {
      const e = db.lookupWrite(key);
      if (e !== undefined) db.update(key, e, `upd${counter.i++}`);
    }
  }
}

const cow = suite('rdb snapshot');

cow('the blocking save and a background save with no writes give the same dataset', async () => {
  const ks = new Keyspace({ databases: 3, clock: () => NOW });
  populate(ks, 3000, rng(1));
  const expected = plainKeyspace(ks);
  const sync: Uint8Array[] = [];
  writeDatasetSync(ks, OPTS, AUX, true, (b) => sync.push(b.slice()));
  assert.equal(plainKeyspace(await load(concat(sync), 3)), expected);
  const bg: Uint8Array[] = [];
  const job = new BackgroundRdb(ks, OPTS, AUX, true, async (b) => void bg.push(b), () => performance.now());
  job.sliceMs = 0.01;
  job.start();
  await job.run();
  assert.is(job.state, 'done');
  assert.is(ks.snapshot, null);
  assert.equal(plainKeyspace(await load(concat(bg), 3)), expected);
  assert.is(job.keysDone, 3000);
});

for (const seed of [11, 12, 13, 14, 15, 16]) {
  cow(`random writes during a background save leave the dataset of its start (seed ${seed})`, async () => {
    const r = rng(seed);
    const ks = new Keyspace({ databases: 3, clock: () => NOW });
    const n = 4000;
    populate(ks, n, r);
    const expected = plainKeyspace(ks);
    const chunks: Uint8Array[] = [];
    let writes = 0;
    const counter = { i: 0 };
    // Between every two slices, a burst of writes: the save runs in many short slices.
    const job = new BackgroundRdb(ks, OPTS, AUX, true, async (b) => {
      chunks.push(b);
      await new Promise((res) => setTimeout(res, 0));
      const burst = 1 + Math.floor(r() * 60);
      for (let i = 0; i < burst; i++) randomWrite(ks, r, n, counter);
      writes += burst;
    }, () => performance.now());
    job.sliceMs = 0.02;
    job.start();
    // Writes right after the start, before the first slice.
    for (let i = 0; i < 50; i++) randomWrite(ks, r, n, counter);
    await job.run();
    assert.is(job.state, 'done');
    assert.ok(writes > 100, `only ${writes} writes ran during the save`);
    assert.ok(job.cowBytes > 0, 'no entry was taken early: the test did not exercise copy-on-write');
    const got = plainKeyspace(await load(concat(chunks), 3));
    assert.equal(got, expected);
    // And the keyspace kept every write: it is not the snapshot.
    assert.not.equal(plainKeyspace(ks), expected);
  });
}

cow('an aborted save closes the snapshot and stops writing', async () => {
  const ks = new Keyspace({ databases: 3, clock: () => NOW });
  populate(ks, 2000, rng(3));
  const chunks: Uint8Array[] = [];
  const job = new BackgroundRdb(ks, OPTS, AUX, true, async (b) => {
    chunks.push(b);
    await new Promise((res) => setTimeout(res, 0));
  }, () => performance.now());
  job.sliceMs = 0.01;
  job.start();
  const running = job.run();
  await new Promise((res) => setTimeout(res, 2));
  job.abort();
  await running;
  assert.is(job.state, 'aborted');
  assert.is(ks.snapshot, null);
  const n = chunks.length;
  await new Promise((res) => setTimeout(res, 5));
  assert.is(chunks.length, n);
  // A new snapshot can start, and sees every key again.
  const again: Uint8Array[] = [];
  const job2 = new BackgroundRdb(ks, OPTS, AUX, true, async (b) => void again.push(b), () => performance.now());
  job2.start();
  await job2.run();
  assert.equal(plainKeyspace(await load(concat(again), 3)), plainKeyspace(ks));
});

cow('one snapshot per keyspace at a time; snapshots of two keyspaces do not mix', async () => {
  const a = new Keyspace({ databases: 3, clock: () => NOW });
  const b = new Keyspace({ databases: 3, clock: () => NOW });
  populate(a, 500, rng(4));
  populate(b, 500, rng(5));
  const ea = plainKeyspace(a);
  const eb = plainKeyspace(b);
  const ca: Uint8Array[] = [];
  const cb: Uint8Array[] = [];
  const r = rng(6);
  const counter = { i: 0 };
  const ja = new BackgroundRdb(a, OPTS, AUX, true, async (x) => {
    ca.push(x);
    await new Promise((res) => setTimeout(res, 0));
    for (let i = 0; i < 10; i++) randomWrite(a, r, 500, counter);
    for (let i = 0; i < 10; i++) randomWrite(b, r, 500, counter);
  }, () => performance.now());
  const jb = new BackgroundRdb(b, OPTS, AUX, true, async (x) => {
    cb.push(x);
    await new Promise((res) => setTimeout(res, 0));
    for (let i = 0; i < 10; i++) randomWrite(b, r, 500, counter);
  }, () => performance.now());
  ja.sliceMs = 0.01;
  jb.sliceMs = 0.01;
  ja.start();
  assert.throws(() => new BackgroundRdb(a, OPTS, AUX, true, async () => {}, () => 0).start(), /already in progress/);
  jb.start();
  await Promise.all([ja.run(), jb.run()]);
  assert.equal(plainKeyspace(await load(concat(ca), 3)), ea);
  assert.equal(plainKeyspace(await load(concat(cb), 3)), eb);
});

cow('a value the save cannot write fails the save, not the client\'s command that touched it', async () => {
  const ks = new Keyspace({ databases: 3, clock: () => NOW });
  populate(ks, 200, rng(8));
  const odd = { type: 'weird', dup() { return this; } } as unknown as Value;
  ks.dbs[2].keys.set('odd', newEntry(odd, 0));
  const job = new BackgroundRdb(ks, OPTS, AUX, true, async () => {
    await new Promise((res) => setTimeout(res, 0));
  }, () => performance.now());
  job.sliceMs = 0.01;
  job.start();
  // A write to the odd key before the walk reaches database 2: the hook fails, quietly.
  assert.is(ks.dbs[2].delete('odd'), true);
  let error: Error | null = null;
  await job.run().catch((e) => (error = e));
  assert.match(String(error), /Cannot save a value of type weird/);
  assert.is(job.state, 'aborted');
  assert.is(ks.snapshot, null);
  assert.is(ks.dbs[2].keys.has('odd'), false);
});

cow.run();

export type { Database };
