// A ZSet against a reference model (a member -> score Map and a sorted pair array) through random
// operation sequences that carry it back and forth across its internal boundaries: SMALL
// members (no member table below it) and 128 (a flat index below it, leaves above). Every public
// query of ZSet and of its ScoreIndex is compared after each step; MEMORY USAGE's estimate is
// checked to follow the layout (a set shrunk back is as cheap as one built at that size).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { compareKey, ScoreIndex } from '../../core/types/score_index.ts';
import { SMALL, ZSet } from '../../core/types/zset.ts';

type Op =
  | { kind: 'add'; m: number; s: number }
  | { kind: 'rem'; m: number }
  | { kind: 'range'; a: number; b: number }
  | { kind: 'bulk'; from: number; n: number; s: number }
  | { kind: 'shrink'; to: number };

// Members drawn from a pool a little over twice the leaf size, binary bytes in some; scores
// with many ties, -0 among them.
const POOL = 300;
const memberOf = (i: number): string => (i % 4 === 0 ? `\xff\x00${i}` : `m${i}`);
const SCORES = [0, -0, 1, 1.5, -2, 3, 1e300, -Infinity, Infinity, 7, 0.1];

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('add' as const), m: fc.nat(POOL - 1), s: fc.constantFrom(...SCORES) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('rem' as const), m: fc.nat(POOL - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('range' as const), a: fc.nat(300), b: fc.nat(300) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('bulk' as const), from: fc.nat(POOL - 1), n: fc.integer({ min: 1, max: 150 }), s: fc.constantFrom(...SCORES) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('shrink' as const), to: fc.integer({ min: 0, max: SMALL + 2 }) }) },
);

/** The model's pairs in Redis's order. */
function sorted(model: Map<string, number>): [number, string][] {
  return [...model].map(([m, s]): [number, string] => [s, m]).sort((x, y) => compareKey(x[0], x[1], y[0], y[1]));
}

function check(z: ZSet, model: Map<string, number>, probe: number): void {
  const want = sorted(model);
  const n = want.length;
  assert.is(z.size, n);
  assert.is(z.index.size, n);
  const got: [number, string][] = [];
  z.forEach((m, s) => void got.push([s, m]));
  assert.equal(got, want);
  for (let i = 0; i < n; i++) assert.ok(Object.is(got[i][0], want[i][0]), `score of ${want[i][1]} keeps its sign`);
  // Membership and scores for every member and a few absent ones.
  for (const [m, s] of model) assert.ok(Object.is(z.score(m), s), `score of ${m}`);
  for (let i = 0; i < 5; i++) {
    const m = memberOf((probe + i * 61) % POOL);
    if (!model.has(m)) {
      assert.is(z.score(m), undefined);
      assert.is(z.rank(m), -1);
    }
  }
  // Ranks, positions and the boundary searches at a spread of ranks.
  const step = Math.max(1, Math.floor(n / 16));
  for (let i = 0; i < n; i += step) {
    const [s, m] = want[i];
    assert.is(z.rank(m), i);
    assert.is(z.index.rank(s, m), i);
    assert.ok(Object.is(z.index.scoreAt(i), s));
    assert.is(z.index.memberAt(i), m);
    assert.is(z.index.rankOfKey(s, m), i);
    assert.is(z.index.firstScoreRank(s, false), want.findIndex((p) => p[0] >= s));
    const gt = want.findIndex((p) => p[0] > s);
    assert.is(z.index.firstScoreRank(s, true), gt < 0 ? n : gt);
    assert.is(z.index.endScoreRank(s, false), gt < 0 ? n : gt);
    assert.is(z.index.endScoreRank(s, true), want.findIndex((p) => p[0] >= s));
  }
  // Reverse and partial walks.
  if (n > 0) {
    const a = probe % n;
    const b = Math.min(n - 1, a + (probe % 37));
    const rev: string[] = [];
    z.index.each(a, b, (_s, m) => void rev.push(m), true);
    assert.equal(rev, want.slice(a, b + 1).map((p) => p[1]).reverse());
  }
  // The member table, when asked for, holds the same pairs.
  if (probe % 7 === 0) {
    const dict = z.dict;
    assert.is(dict.size, n);
    for (const [m, s] of model) assert.ok(Object.is(dict.get(m), s));
  }
}

function apply(z: ZSet, model: Map<string, number>, o: Op): void {
  switch (o.kind) {
    case 'add':
    case 'bulk': {
      const count = o.kind === 'add' ? 1 : o.n;
      const first = o.kind === 'add' ? o.m : o.from;
      for (let k = 0; k < count; k++) {
        const m = memberOf((first + k) % POOL);
        // A listpack stores -0 as 0 (ZSet.insert and update do that), as Redis does.
        const s = z.listpack ? o.s + 0 : o.s;
        const cur = z.score(m);
        if (cur === undefined) z.insert(m, o.s);
        else if (cur !== o.s) z.update(m, cur, o.s);
        else continue;
        model.set(m, s);
      }
      break;
    }
    case 'rem': {
      const m = memberOf(o.m);
      assert.is(z.remove(m), model.delete(m));
      break;
    }
    case 'range': {
      if (z.size === 0) break;
      const a = Math.min(o.a, o.b) % z.size;
      const b = Math.min(z.size - 1, Math.max(o.a, o.b));
      const gone: string[] = [];
      z.index.each(a, b, (_s, m) => void gone.push(m));
      z.removeRange(a, b);
      for (const m of gone) model.delete(m);
      break;
    }
    case 'shrink': {
      // Down to a few members from the top, one at a time.
      while (z.size > o.to) {
        const m = z.index.memberAt(z.size - 1);
        assert.ok(z.remove(m));
        model.delete(m);
      }
      break;
    }
  }
}

// About three runs in four take the set past 128 and back below SMALL (counted with fc.sample).
test('ZSet matches a reference model through random operations across SMALL and 128', () => {
  fc.assert(
    fc.property(fc.boolean(), fc.array(op, { minLength: 10, maxLength: 60, size: 'max' }), (listpack, ops) => {
      const z = new ZSet(listpack);
      const model = new Map<string, number>();
      let probe = 0;
      for (const o of ops) {
        apply(z, model, o);
        check(z, model, probe++);
      }
      // A copy is equal and independent.
      const copy = z.dup();
      check(copy, model, probe);
      if (copy.size > 0) copy.remove(copy.index.memberAt(0));
      check(z, model, probe + 1);
    }),
    { numRuns: 150, seed: 20261126 },
  );
});

test('sets built sorted (RDB, stored results) on each side of the boundaries behave the same', () => {
  for (const n of [0, 1, 3, SMALL, SMALL + 1, 127, 128, 129, 300]) {
    for (const listpack of [true, false]) {
      const model = new Map<string, number>();
      for (let i = 0; i < n; i++) model.set(memberOf(i), SCORES[i % SCORES.length]);
      const pairs = sorted(model);
      const z = ZSet.fromSorted(listpack, pairs.map((p) => p[0]), pairs.map((p) => p[1]), true);
      if (listpack) for (const [m, s] of model) model.set(m, s + 0);
      check(z, model, n);
      for (let i = 0; i < 40; i++) apply(z, model, { kind: 'add', m: (n + i * 7) % POOL, s: SCORES[i % SCORES.length] });
      check(z, model, n + 1);
      apply(z, model, { kind: 'shrink', to: 2 });
      check(z, model, n + 2);
    }
  }
});

test('MEMORY USAGE follows the layout: a set shrunk back costs what one built at its size does', () => {
  const build = (n: number): ZSet => {
    const z = new ZSet(true);
    for (let i = 0; i < n; i++) z.insert(memberOf(i), i);
    return z;
  };
  const small = build(3);
  const mid = build(SMALL + 1);
  const big = build(200);
  assert.ok(small.memoryUsage(0) < mid.memoryUsage(0));
  assert.ok(mid.memoryUsage(0) < big.memoryUsage(0));
  // A flat index of n pairs: the object (four fields), two arrays and 16 bytes a pair; leaves
  // cost more.
  assert.is(ScoreIndex.fromSorted([1, 2, 3], ['a', 'b', 'c']).memoryUsage(), 56 + 96 + 48);
  assert.ok(big.index.memoryUsage() > 56 + 96 + 16 * 200 + 6 * 48);
  // Shrinking a big set back until its two leaves merge makes its index flat again: exactly as
  // cheap as a fresh one.
  const z = build(200);
  for (let i = 199; i >= 60; i--) z.remove(memberOf(i));
  assert.is(z.index.memoryUsage(), build(60).index.memoryUsage());
  // Three members, no member table: the table, once built (ZSCAN of a skiplist), is counted.
  const before = small.memoryUsage(0);
  assert.ok(before < 400, String(before));
  void small.dict;
  assert.ok(small.memoryUsage(0) > before);
});

test.run();
