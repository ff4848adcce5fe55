// PackedList against a plain array, through random bounded operation sequences with values of
// many sizes and arbitrary bytes, and the properties the list commands rely on: compactness, O(1)
// ends, in-place searches.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type BulkSink, PackedList } from '../../core/types/packed_list.ts';

/** Collects what a list writes as bulk replies. */
class Sink implements BulkSink {
  items: string[] = [];
  bulkRange(src: Uint8Array, start: number, end: number): void {
    let s = '';
    for (let i = start; i < end; i++) s += String.fromCharCode(src[i]);
    this.items.push(s);
  }
}

function rng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

// Sizes around every encoding boundary: one-byte header (< 127), 127 (two-byte back length),
// 128 (two-byte length), entries bigger than a whole chunk.
const SIZES = [0, 1, 3, 10, 125, 126, 127, 128, 200, 5000, 8189, 8190, 20000];

function value(r: () => number, pool: string[]): string {
  // Reuse values often so searches and removals find matches.
  if (pool.length > 0 && r() < 0.4) return pool[Math.floor(r() * pool.length)];
  const n = SIZES[Math.floor(r() * SIZES.length)];
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(Math.floor(r() * 256));
  if (pool.length < 20) pool.push(s);
  return s;
}

function modelRemove(model: string[], target: string, count: number, fromTail: boolean): number {
  let removed = 0;
  if (fromTail) {
    for (let k = model.length - 1; k >= 0 && (count === 0 || removed < count); k--) {
      if (model[k] === target) {
        model.splice(k, 1);
        removed++;
      }
    }
  } else {
    for (let k = 0; k < model.length && (count === 0 || removed < count);) {
      if (model[k] === target) {
        model.splice(k, 1);
        removed++;
      } else k++;
    }
  }
  return removed;
}

function check(list: PackedList, model: string[], r: () => number): void {
  assert.is(list.length, model.length);
  assert.equal(list.toArray(), model);
  const a = Math.floor(r() * (model.length + 2)) - 1;
  const b = Math.floor(r() * (model.length + 2)) - 1;
  assert.equal(list.range(a, b), model.slice(Math.max(0, a), b + 1));
  const rev: string[] = [];
  list.forRange(a, b, (v) => void rev.push(v), true);
  assert.equal(rev, model.slice(Math.max(0, a), b + 1).reverse());
  for (let k = 0; k < model.length; k += 7) assert.is(list.at(k), model[k]);
  const lo = Math.max(0, a);
  const hi = Math.min(b, model.length - 1);
  if (lo <= hi) {
    const fwd = new Sink();
    list.writeRange(lo, hi, fwd);
    assert.equal(fwd.items, model.slice(lo, hi + 1));
    const back = new Sink();
    list.writeRange(lo, hi, back, true);
    assert.equal(back.items, model.slice(lo, hi + 1).reverse());
  }
  assert.is(list.at(model.length), undefined);
  assert.is(list.at(-1), undefined);
}

test('random operations match an array model', () => {
  for (const seed of [7, 8, 9, 10]) {
    const r = rng(seed);
    const pool: string[] = [];
    const list = new PackedList();
    let model: string[] = [];
    for (let step = 0; step < 4000; step++) {
      const op = Math.floor(r() * 14);
      const i = Math.floor(r() * (model.length + 1));
      if (op < 3) {
        const v = value(r, pool);
        list.pushHead(v);
        model.unshift(v);
      } else if (op < 6) {
        const v = value(r, pool);
        list.pushTail(v);
        model.push(v);
      } else if (op === 6) {
        if (r() < 0.5) assert.is(list.popHead(), model.shift());
        else {
          const sink = new Sink();
          assert.is(list.popHeadTo(sink), model.length > 0);
          assert.equal(sink.items, model.length > 0 ? [model.shift()] : []);
        }
      } else if (op === 7) {
        if (r() < 0.5) assert.is(list.popTail(), model.pop());
        else {
          const sink = new Sink();
          assert.is(list.popTailTo(sink), model.length > 0);
          assert.equal(sink.items, model.length > 0 ? [model.pop()] : []);
        }
      } else if (op === 8) {
        const v = value(r, pool);
        list.insert(i, v);
        model.splice(i, 0, v);
      } else if (op === 9) {
        const k = Math.min(i, model.length - 1);
        const v = value(r, pool);
        assert.is(list.set(k, v), k >= 0);
        if (k >= 0) model[k] = v;
      } else if (op === 10 && model.length > 0) {
        const target = r() < 0.8 ? model[Math.floor(r() * model.length)] : 'absent';
        const count = Math.floor(r() * 3);
        const fromTail = r() < 0.5;
        assert.is(list.remove(target, count, fromTail), modelRemove(model, target, count, fromTail));
      } else if (op === 11 && model.length > 0) {
        const target = model[Math.floor(r() * model.length)];
        const reverse = r() < 0.5;
        const maxlen = Math.floor(r() * 4) * 10;
        const found: number[] = [];
        list.matches(target, reverse, maxlen, (idx) => found.push(idx) < 5);
        const want: number[] = [];
        const order = model.map((_, k) => (reverse ? model.length - 1 - k : k));
        for (let seen = 0; seen < order.length && (maxlen === 0 || seen < maxlen) && want.length < 5; seen++) {
          if (model[order[seen]] === target) want.push(order[seen]);
        }
        assert.equal(found, want);
        assert.is(list.indexOf(target), model.indexOf(target));
      } else if (op === 12) {
        const n = Math.floor(r() * (model.length + 1) / 3);
        if (r() < 0.5) {
          list.dropHead(n);
          model.splice(0, n);
        } else {
          list.dropTail(n);
          model.splice(model.length - n, n);
        }
      } else if (op === 13 && r() < 0.1) {
        const a = Math.floor(r() * (model.length + 2)) - 1;
        const b = Math.floor(r() * (model.length + 2)) - 1;
        list.trim(a, b);
        model = a > b || a >= model.length ? [] : model.slice(Math.max(0, a), b + 1);
      }
      assert.is(list.length, model.length);
      if (step % 200 === 0) check(list, model, r);
    }
    check(list, model, r);
    const copy = list.dup();
    assert.equal(copy.toArray(), model);
    copy.pushTail('only in the copy');
    copy.popHead();
    assert.equal(list.toArray(), model);
  }
});

test('alternating pushes at both ends of one chunk', () => {
  const list = new PackedList();
  const model: string[] = [];
  for (let i = 0; i < 5000; i++) {
    const v = 'v' + i;
    if (i % 2 === 0) {
      list.pushHead(v);
      model.unshift(v);
    } else {
      list.pushTail(v);
      model.push(v);
    }
  }
  assert.equal(list.toArray(), model);
  for (let i = 0; i < 5000; i++) assert.is(i % 3 === 0 ? list.popTail() : list.popHead(), i % 3 === 0 ? model.pop() : model.shift());
  assert.is(list.length, 0);
  assert.is(list.popHead(), undefined);
  assert.is(list.popTail(), undefined);
});

test('from() and each() round-trip arbitrary bytes', () => {
  const els = ['', '\x00', '\xff\x00\x80', 'x'.repeat(127), 'y'.repeat(128), 'z'.repeat(70000)];
  const list = PackedList.from(els);
  const seen: string[] = [];
  list.each((v) => void seen.push(v));
  assert.equal(seen, els);
  assert.is(list.type, 'list');
});

test('a million small elements stay compact, and both ends stay fast', () => {
  const list = new PackedList();
  for (let i = 0; i < 1_000_000; i++) list.pushTail('value67890');
  for (let i = 0; i < 1_000_000; i++) list.pushHead('value67890');
  assert.is(list.length, 2_000_000);
  // 12 bytes an entry plus chunk headers: well under Redis's 2x budget of ~14 bytes an element.
  assert.ok(list.memory < 14 * 2_000_000, `memory ${list.memory}`);
  assert.is(list.at(1_000_000), 'value67890');
  for (let i = 0; i < 1_000_000; i++) list.popHead();
  for (let i = 0; i < 1_000_000; i++) list.popTail();
  assert.is(list.length, 0);
});

test('a one-element list holds a small buffer, not a whole chunk', () => {
  const list = new PackedList();
  list.pushTail('abc');
  assert.ok(list.memory < 400, `memory ${list.memory}`);
});

test.run();
