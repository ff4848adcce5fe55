// PackedList against a plain array, through random bounded operation sequences with values of
// many sizes and arbitrary bytes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PackedList } from '../../core/types/packed_list.ts';

function rng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

function value(r: () => number): string {
  const sizes = [0, 1, 3, 10, 127, 128, 200, 5000, 20000];
  const n = sizes[Math.floor(r() * sizes.length)];
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(Math.floor(r() * 256));
  return s;
}

test('random operations match an array model', () => {
  for (const seed of [7, 8, 9]) {
    const r = rng(seed);
    const list = new PackedList();
    let model: string[] = [];
    for (let step = 0; step < 3000; step++) {
      const op = Math.floor(r() * 10);
      const i = Math.floor(r() * (model.length + 1));
      if (op < 3) {
        const v = value(r);
        list.pushHead(v);
        model.unshift(v);
      } else if (op < 6) {
        const v = value(r);
        list.pushTail(v);
        model.push(v);
      } else if (op === 6) {
        assert.is(list.popHead(), model.shift());
      } else if (op === 7) {
        assert.is(list.popTail(), model.pop());
      } else if (op === 8 && model.length > 0) {
        const v = value(r);
        if (r() < 0.5) {
          list.insert(i, v);
          model.splice(i, 0, v);
        } else {
          const k = Math.min(i, model.length - 1);
          assert.ok(list.set(k, v));
          model[k] = v;
        }
      } else if (op === 9 && model.length > 0) {
        const target = model[Math.floor(r() * model.length)];
        const count = Math.floor(r() * 3);
        const fromTail = r() < 0.5;
        const n = list.removeWhere((v) => v === target, count, fromTail);
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
        assert.is(n, removed);
      }
      assert.is(list.length, model.length);
      if (step % 300 === 0) {
        assert.equal(list.toArray(), model);
        const a = Math.floor(r() * (model.length + 2)) - 1;
        const b = Math.floor(r() * (model.length + 2)) - 1;
        assert.equal(list.range(a, b), model.slice(Math.max(0, a), b + 1));
        const rev: string[] = [];
        list.each(a, b, (v) => void rev.push(v), true);
        assert.equal(rev, model.slice(Math.max(0, a), b + 1).reverse());
        for (let k = 0; k < model.length; k += 17) assert.is(list.at(k), model[k]);
      }
    }
    const a = Math.floor(model.length / 4);
    const b = Math.floor(model.length / 2);
    list.trim(a, b);
    model = model.slice(a, b + 1);
    assert.equal(list.toArray(), model);
  }
});

test('a million small elements stay compact', () => {
  const list = new PackedList();
  for (let i = 0; i < 1_000_000; i++) list.pushTail('xxx');
  assert.is(list.length, 1_000_000);
  assert.ok(list.memory < 10 * 1_000_000, `memory ${list.memory}`);
  for (let i = 0; i < 1_000_000; i++) list.popHead();
  assert.is(list.length, 0);
});

test.run();
