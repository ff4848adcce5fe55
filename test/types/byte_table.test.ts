// ByteTable (the bytes-in-slabs hash table behind hashtable-encoded hashes and sets) against a Map
// model: random bounded operation sequences with binary keys and values of many sizes (some larger
// than a slab), growth, shrinking and compaction; the SCAN walk's guarantee under changes; copies;
// random picks.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ByteTable } from '../../core/types/byte_table.ts';
import { bytes, rng } from './_gen.ts';

function value(r: () => number): string {
  const k = r();
  if (k < 0.002) return 'B'.repeat(70_000 + Math.floor(r() * 1000));
  if (k < 0.02) return bytes(r, 300);
  return bytes(r, 20);
}

function entries(t: ByteTable): [string, string][] {
  const out: [string, string][] = [];
  t.each((k, v) => out.push([k, v]));
  return out;
}

function check(t: ByteTable, model: Map<string, string>): void {
  assert.is(t.size, model.size);
  const all = entries(t);
  assert.is(all.length, model.size);
  for (const [k, v] of all) assert.is(model.get(k), v, 'each() gives the stored value');
  for (let i = 0; i < all.length; i++) {
    assert.is(t.keyAt(i), all[i][0]);
    assert.is(t.valueAt(i), all[i][1]);
  }
  const written: string[] = [];
  const sink = { bulkRange: (b: Uint8Array, s: number, e: number) => void written.push(String.fromCharCode(...b.subarray(s, e))) };
  t.writeAll(sink, true, true);
  assert.equal(written, all.flat());
  const slots = t.occupiedSlots();
  assert.is(slots.length, model.size);
  for (const i of slots) assert.is(model.get(t.keyAtSlot(i)), t.valueAtSlot(i));
}

test('ByteTable: random operations match a Map, through growth, shrinking and compaction', () => {
  for (const seed of [1, 2, 3]) {
    const r = rng(seed);
    const t = new ByteTable(true);
    const model = new Map<string, string>();
    // Phases: mostly adds, mixed, mostly deletes (shrinks the slot array, compacts the slabs).
    const phases = [[4000, 0.8, 0.05], [4000, 0.45, 0.35], [5000, 0.05, 0.85]];
    for (const [steps, pSet, pDel] of phases) {
      for (let step = 0; step < steps; step++) {
        const op = r();
        const k = Math.floor(r() * 3000);
        const key = k % 7 === 0 ? '\x00\xff' + k : k === 1 ? '' : `key:${k}`;
        if (op < pSet) {
          const v = value(r);
          assert.is(t.set(key, v), !model.has(key));
          model.set(key, v);
        } else if (op < pSet + pDel) {
          assert.is(t.delete(key), model.delete(key));
        } else {
          assert.is(t.get(key), model.get(key));
          assert.is(t.has(key), model.has(key));
          assert.is(t.valueLength(key), model.has(key) ? model.get(key)!.length : -1);
        }
        assert.is(t.size, model.size);
      }
      check(t, model);
    }
  }
});

test('ByteTable: a table emptied and refilled, and a key-only table', () => {
  const t = new ByteTable(true);
  for (let i = 0; i < 20_000; i++) t.set(`f${i}`, `v${i}`);
  const big = t.memoryUsage();
  for (let i = 0; i < 20_000; i++) assert.ok(t.delete(`f${i}`));
  assert.is(t.size, 0);
  assert.ok(t.memoryUsage() < big / 20, 'an emptied table gives its buffers back');
  assert.equal(entries(t), []);
  t.set('a', '1');
  assert.equal(entries(t), [['a', '1']]);
  const s = new ByteTable(false);
  assert.ok(s.set('m', 'ignored'));
  assert.not.ok(s.set('m', 'other'));
  assert.ok(s.has('m'));
  assert.equal(entries(s), [['m', 'm']]);
  assert.ok(s.delete('m'));
  assert.not.ok(s.has('m'));
});

test('ByteTable: deleting most entries compacts and shrinks but keeps the rest', () => {
  const t = new ByteTable(true);
  const model = new Map<string, string>();
  for (let i = 0; i < 50_000; i++) {
    t.set(`field:${i}`, `value:${i}`);
    model.set(`field:${i}`, `value:${i}`);
  }
  const full = t.memoryUsage();
  for (let i = 0; i < 50_000; i++) {
    if (i % 100 === 0) continue;
    t.delete(`field:${i}`);
    model.delete(`field:${i}`);
  }
  check(t, model);
  assert.ok(t.memoryUsage() < full / 10, `memory ${t.memoryUsage()} after deletes, ${full} full`);
});

test('ByteTable: keys and values longer than a slab, between small entries', () => {
  const t = new ByteTable(true);
  const model = new Map<string, string>();
  for (let i = 0; i < 40; i++) {
    const k = i % 5 === 0 ? 'K'.repeat(66_000 + i) + '\xff' : `k${i}`;
    const v = i % 7 === 0 ? '\x00'.repeat(65_537 + i) : `v${i}`;
    assert.ok(t.set(k, v));
    model.set(k, v);
  }
  check(t, model);
  for (const k of [...model.keys()].filter((_, i) => i % 3 === 0)) {
    assert.ok(t.delete(k));
    model.delete(k);
  }
  for (const k of [...model.keys()].filter((_, i) => i % 2 === 0)) {
    t.set(k, 'short');
    model.set(k, 'short');
  }
  check(t, model);
});

test('ByteTable: dup shares nothing', () => {
  const t = new ByteTable(true);
  for (let i = 0; i < 300; i++) t.set(`f${i}`, `v${i}`);
  const c = t.dup();
  c.set('f1', 'changed');
  c.set('new', 'x');
  c.delete('f2');
  t.set('f3', 'same');
  assert.is(t.get('f1'), 'v1');
  assert.is(t.get('new'), undefined);
  assert.is(t.get('f2'), 'v2');
  assert.is(c.get('f3'), 'v3');
  assert.is(c.size, 300);
  assert.is(t.size, 300);
  for (let i = 0; i < 500; i++) c.set(`g${i}`, 'y');
  assert.is(c.get('g499'), 'y');
  assert.is(t.get('g499'), undefined);
});

test('ByteTable: random slots are occupied and reach every entry', () => {
  const t = new ByteTable(true);
  for (let i = 0; i < 1000; i++) t.set(`f${i}`, String(i));
  for (let i = 0; i < 990; i++) t.delete(`f${i}`);
  const seen = new Set<string>();
  for (let k = 0; k < 2000; k++) {
    const f = t.keyAtSlot(t.randomSlot());
    assert.ok(t.has(f));
    seen.add(f);
  }
  assert.is(seen.size, 10);
});

test('ByteTable: a walk returns every key present from its start to its end, under changes', () => {
  for (const seed of [7, 8, 9, 10]) {
    const r = rng(seed);
    const t = new ByteTable(true);
    for (let i = 0; i < 2000; i++) t.set(`k${i}`, bytes(r, 12));
    const atStart = new Set<string>();
    t.each((k) => atStart.add(k));
    const removed = new Set<string>();
    const it = t.keys();
    const got = new Set<string>();
    for (let x = it.next(); !x.done; x = it.next()) {
      got.add(x.value);
      // Between reads: adds, deletes, and value updates that move an entry or compact the slabs.
      for (let k = 0; k < 3; k++) {
        const op = r();
        const key = `k${Math.floor(r() * 3000)}`;
        if (op < 0.4) t.set(key, bytes(r, 40));
        else if (op < 0.6) {
          if (t.delete(key)) removed.add(key);
        } else t.set(key, 'x'.repeat(Math.floor(r() * 30)));
      }
    }
    for (const k of atStart) if (!removed.has(k) && t.has(k)) assert.ok(got.has(k), `${k} was there all along`);
  }
});

test.run();
