// ScoreIndex against a plain sorted array, through random bounded operation sequences, and the
// ZSet value built on it (core/types/zset.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareKey, ScoreIndex } from '../../core/types/score_index.ts';
import { listpackScore, ZSet } from '../../core/types/zset.ts';

type Pair = [number, string];

function rng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

function check(idx: ScoreIndex, model: Pair[]): void {
  assert.is(idx.size, model.length);
  const got: Pair[] = [];
  idx.each(0, idx.size - 1, (s, m) => void got.push([s, m]));
  assert.equal(got, model);
  for (let i = 0; i < model.length; i += Math.max(1, Math.floor(model.length / 50))) {
    assert.is(idx.rank(model[i][0], model[i][1]), i);
    assert.is(idx.scoreAt(i), model[i][0]);
    assert.is(idx.memberAt(i), model[i][1]);
  }
}

test('random inserts and deletes keep order and ranks', () => {
  for (const seed of [1, 2, 3]) {
    const r = rng(seed);
    const idx = new ScoreIndex();
    let model: Pair[] = [];
    const present = new Map<string, number>();
    for (let step = 0; step < 6000; step++) {
      const member = 'm' + Math.floor(r() * 3000);
      if (present.has(member) && r() < 0.5) {
        const score = present.get(member)!;
        assert.ok(idx.delete(score, member));
        present.delete(member);
        model = model.filter(([s, m]) => !(s === score && m === member));
      } else if (!present.has(member)) {
        const score = Math.floor(r() * 100) - 50 + (r() < 0.1 ? 0.5 : 0);
        idx.insert(score, member);
        present.set(member, score);
        model.push([score, member]);
        model.sort((a, b) => compareKey(a[0], a[1], b[0], b[1]));
      }
      if (step % 1000 === 999) check(idx, model);
    }
    check(idx, model);
    assert.not.ok(idx.delete(12345, 'absent'));
    assert.is(idx.rank(12345, 'absent'), -1);
  }
});

test('update: small moves within a leaf, moves across leaves, at the ends and among equal scores', () => {
  for (const seed of [4, 5]) {
    const r = rng(seed);
    const idx = new ScoreIndex();
    let model: Pair[] = [];
    const present = new Map<string, number>();
    // Enough pairs for many leaves; few distinct scores, so that member order decides often.
    for (let i = 0; i < 1500; i++) {
      const member = 'u' + String(i).padStart(5, '0');
      const score = Math.floor(r() * 40);
      idx.insert(score, member);
      present.set(member, score);
      model.push([score, member]);
    }
    model.sort((a, b) => compareKey(a[0], a[1], b[0], b[1]));
    check(idx, model);
    const members = [...present.keys()];
    for (let step = 0; step < 3000; step++) {
      const member = members[Math.floor(r() * members.length)];
      const old = present.get(member)!;
      const kind = r();
      // A nudge (usually stays in its leaf), a jump anywhere, or past either end.
      const score = kind < 0.6 ? old + (r() < 0.5 ? -1 : 1) * (r() < 0.5 ? 0.25 : 1)
        : kind < 0.9 ? Math.floor(r() * 40) + (r() < 0.3 ? 0.5 : 0)
        : kind < 0.95 ? -1000 - step : 1000 + step;
      if (score === old) continue;
      idx.update(old, score, member);
      present.set(member, score);
      const at = model.findIndex(([s, m]) => s === old && m === member);
      model.splice(at, 1);
      model.push([score, member]);
      model.sort((a, b) => compareKey(a[0], a[1], b[0], b[1]));
      if (step % 500 === 499) check(idx, model);
      // Inserts and deletes between updates keep the leaves' last keys and the tree in use.
      if (step % 97 === 0) {
        const gone = model[Math.floor(r() * model.length)];
        assert.ok(idx.delete(gone[0], gone[1]));
        model.splice(model.indexOf(gone), 1);
        present.delete(gone[1]);
        members.splice(members.indexOf(gone[1]), 1);
      }
    }
    check(idx, model);
    for (let i = 0; i < model.length; i++) assert.is(idx.rank(model[i][0], model[i][1]), i);
  }
});

test('update at leaf boundaries: into the gap before the next leaf, onto its first key, past it', () => {
  // fromSorted fills leaves of 64 pairs: scores 0, 4, 8 ... leave gaps between neighbours.
  const n = 640;
  let model: Pair[] = [];
  for (let i = 0; i < n; i++) model.push([4 * i, 'm' + String(i).padStart(4, '0')]);
  const idx = ScoreIndex.fromSorted(model.map((p) => p[0]), model.map((p) => p[1]));
  const move = (from: number, score: number, member: string) => {
    idx.update(from, score, member);
    const at = model.findIndex(([s, m]) => s === from && m === member);
    assert.ok(at >= 0);
    model.splice(at, 1);
    model.push([score, member]);
    model.sort((a, b) => compareKey(a[0], a[1], b[0], b[1]));
    check(idx, model);
  };
  for (let leaf = 0; leaf < 8; leaf++) {
    const last = 64 * leaf + 63;
    const next = 4 * (last + 1);
    const [s, m] = model[last];
    // The leaf's last pair: into the gap (it stays), onto the next leaf's first score (its
    // member sorts first, so it still stays), then back to near the leaf's start.
    move(s, next - 1, m);
    move(next - 1, next, m);
    // A pair from further on onto that score: its member sorts after the next leaf's first.
    const [s3, m3] = model[last + 70];
    move(s3, next, m3);
    move(next, 4 * (64 * leaf) + 1, m);
    // Just past the next leaf's first key, below its last: that leaf's, not this one's.
    const [s4, m4] = model[64 * leaf + 10];
    move(s4, next + 1, m4);
    // A pair from the middle of the leaf into the gap after the leaf, and into the previous gap.
    const [s2, m2] = model[64 * leaf + 20];
    move(s2, next - 2, m2);
    if (leaf > 0) move(next - 2, 4 * (64 * leaf) - 1, m2);
  }
  for (let i = 0; i < model.length; i++) assert.is(idx.rank(model[i][0], model[i][1]), i);
});

test('score and member boundaries', () => {
  const idx = new ScoreIndex();
  for (let i = 0; i < 2000; i++) idx.insert(i % 10, 'k' + String(i).padStart(5, '0'));
  assert.is(idx.firstScoreRank(3, false), 600);
  assert.is(idx.firstScoreRank(3, true), 800);
  assert.is(idx.endScoreRank(3, false), 800);
  assert.is(idx.endScoreRank(3, true), 600);
  assert.is(idx.firstScoreRank(-Infinity, false), 0);
  assert.is(idx.endScoreRank(Infinity, false), 2000);
  const rev: number[] = [];
  idx.each(1995, 1999, (s) => void rev.push(s), true);
  assert.equal(rev, [9, 9, 9, 9, 9]);
  const lex = new ScoreIndex();
  for (const m of ['a', 'b', 'c', 'd', 'e']) lex.insert(0, m);
  assert.is(lex.firstMemberRank((m) => m >= 'c'), 2);
  assert.is(lex.firstMemberRank((m) => m > 'e'), 5);
});

test('removeRange: ranges within a leaf, across leaves and whole, with ranks kept right', () => {
  const r = rng(9);
  for (let round = 0; round < 40; round++) {
    const n = Math.floor(r() * 3000);
    let model: Pair[] = [];
    for (let i = 0; i < n; i++) model.push([Math.floor(r() * 50), 'k' + i]);
    model.sort((a, b) => compareKey(a[0], a[1], b[0], b[1]));
    const idx = ScoreIndex.fromSorted(model.map((p) => p[0]), model.map((p) => p[1]));
    check(idx, model);
    // A few removals of random spans (some empty or clamped), then inserts into the gaps.
    for (let k = 0; k < 4; k++) {
      const a = Math.floor(r() * (model.length + 10)) - 5;
      const b = a + Math.floor(r() * (r() < 0.3 ? 1200 : 40)) - 3;
      idx.removeRange(a, b);
      const lo = Math.max(0, a);
      const hi = Math.min(model.length - 1, b);
      if (lo <= hi) model.splice(lo, hi - lo + 1);
      check(idx, model);
      for (let i = 0; i < 30; i++) {
        const p: Pair = [Math.floor(r() * 50), 'n' + round + '_' + k + '_' + i];
        idx.insert(p[0], p[1]);
        model.push(p);
      }
      model.sort((x, y) => compareKey(x[0], x[1], y[0], y[1]));
      check(idx, model);
    }
    idx.removeRange(0, idx.size - 1);
    assert.is(idx.size, 0);
    idx.insert(1, 'again');
    assert.is(idx.memberAt(0), 'again');
  }
});

test('blocks: ascending and descending loads, shrinking, regrowth, owned arrays, memory that follows the size', () => {
  const r = rng(11);
  for (const descending of [false, true]) {
    const idx = new ScoreIndex();
    let model: Pair[] = [];
    // Past either end of a full leaf: new leaves; memory per pair stays near two slots.
    for (let i = 0; i < 5000; i++) {
      const p: Pair = [descending ? -i : i, 'a' + i];
      idx.insert(p[0], p[1]);
      model.push(p);
    }
    model.sort((x, y) => compareKey(x[0], x[1], y[0], y[1]));
    check(idx, model);
    const full = idx.memoryUsage();
    assert.ok(full < 5000 * 16 * 1.3, `memory after a sorted load: ${full}`);
    // Random deletes down to a few pairs: leaves merge or rebalance, freed blocks are compacted.
    while (model.length > 40) {
      const i = Math.floor(r() * model.length);
      assert.ok(idx.delete(model[i][0], model[i][1]));
      model.splice(i, 1);
      if (model.length % 700 === 0) check(idx, model);
    }
    check(idx, model);
    assert.ok(idx.memoryUsage() < full / 4, `memory after shrinking: ${idx.memoryUsage()} of ${full}`);
    // Regrowth with random keys, including updates across leaves, after the compaction.
    const present = new Map(model.map(([s, m]) => [m, s]));
    for (let step = 0; step < 4000; step++) {
      const member = 'b' + Math.floor(r() * 2500);
      const score = Math.floor(r() * 1000) - 500;
      const old = present.get(member);
      if (old === undefined) idx.insert(score, member);
      else if (old !== score) idx.update(old, score, member);
      present.set(member, score);
    }
    model = [...present].map(([m, s]): Pair => [s, m]).sort((x, y) => compareKey(x[0], x[1], y[0], y[1]));
    check(idx, model);
    // Empty again, then reused.
    idx.removeRange(0, idx.size - 1);
    assert.is(idx.size, 0);
    idx.insert(2, 'x');
    idx.insert(1, 'y');
    check(idx, [[1, 'y'], [2, 'x']]);
  }
  // Arrays given away (RDB loading) become the one block and grow from there; bulk-built
  // indexes of many leaves take inserts everywhere.
  for (const n of [1, 100, 128, 129, 1000]) {
    const scores: number[] = [];
    const members: string[] = [];
    for (let i = 0; i < n; i++) {
      scores.push(i * 2);
      members.push('o' + String(i).padStart(5, '0'));
    }
    const idx = ScoreIndex.fromSorted(scores, members, true);
    const model: Pair[] = scores.map((s, i): Pair => [s, members[i]]);
    for (let i = 0; i < 300; i++) {
      const p: Pair = [Math.floor(r() * n * 2) + 0.5, 'p' + i];
      idx.insert(p[0], p[1]);
      model.push(p);
    }
    model.sort((x, y) => compareKey(x[0], x[1], y[0], y[1]));
    check(idx, model);
  }
});

test('each: ranges clamped, reversed, stopped early, across leaf boundaries', () => {
  const scores: number[] = [];
  const members: string[] = [];
  for (let i = 0; i < 1500; i++) {
    scores.push(i);
    members.push('m' + String(i).padStart(5, '0'));
  }
  const idx = ScoreIndex.fromSorted(scores, members);
  for (const [a, b] of [[0, 0], [255, 257], [250, 800], [-10, 3], [1495, 2000], [700, 699], [0, 1499]]) {
    const fwd: number[] = [];
    idx.each(a, b, (s) => void fwd.push(s));
    const rev: number[] = [];
    idx.each(a, b, (s) => void rev.push(s), true);
    const want: number[] = [];
    for (let i = Math.max(0, a); i <= Math.min(1499, b); i++) want.push(i);
    assert.equal(fwd, want, `each(${a}, ${b})`);
    assert.equal(rev, want.slice().reverse(), `each(${a}, ${b}) reversed`);
  }
  const some: number[] = [];
  idx.each(100, 1000, (s) => {
    some.push(s);
    return some.length < 3;
  }, true);
  assert.equal(some, [1000, 999, 998]);
  assert.is(idx.rankOfKey(300, ''), 300);
  assert.is(idx.rankOfKey(300.5, ''), 301);
  assert.is(idx.rankOfKey(5000, ''), 1500);
});

test('ZSet: scores by member, ranks, -0 in a listpack, copies that share nothing', () => {
  const lp = new ZSet(true);
  lp.insert('a', -0);
  lp.insert('b', 2);
  assert.ok(Object.is(lp.score('a'), 0), 'a listpack stores -0 as 0');
  const sl = new ZSet(false);
  sl.insert('a', -0);
  assert.ok(Object.is(sl.score('a'), -0), 'a skiplist keeps -0');
  lp.update('b', 2, -1);
  assert.equal([lp.rank('b'), lp.rank('a'), lp.rank('x')], [0, 1, -1]);
  const copy = lp.dup();
  copy.remove('a');
  assert.is(lp.size, 2);
  assert.is(copy.size, 1);
  assert.is(copy.encoding, 'listpack');
  for (let i = 0; i < 1000; i++) sl.insert('m' + i, i % 10);
  sl.removeRange(10, 500);
  assert.is(sl.size, 1001 - 491);
  assert.is(sl.size, sl.index.size);
  let n = 0;
  sl.forEach((m, s) => {
    assert.is(sl.score(m), s);
    n++;
  });
  assert.is(n, sl.size);
  assert.ok(sl.memoryUsage(5) > 0 && lp.memoryUsage(5) > 0);
});

test('ZSet: random inserts, updates and removals match a model through the conversion to a skiplist', () => {
  let seed = 17;
  const r = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const z = new ZSet(true);
  const model = new Map<string, number>();
  for (let step = 0; step < 6000; step++) {
    if (step === 2000) {
      z.listpack = false;
      assert.is(z.encoding, 'skiplist');
    }
    const m = r() < 0.1 ? '\x00\xff' + Math.floor(r() * 50) : 'm' + Math.floor(r() * 700);
    const sc = [0, -0, 1.5, -3, 1e300, -Infinity][Math.floor(r() * 6)] * (r() < 0.5 ? 1 : 1 + Math.floor(r() * 9));
    const op = r();
    const cur = z.score(m);
    assert.is(cur, model.get(m) === undefined ? undefined : cur);
    if (op < 0.5) {
      if (cur === undefined) z.insert(m, sc);
      else if (cur !== sc) z.update(m, cur, sc);
      else continue;
      model.set(m, z.listpack ? sc + 0 : sc);
    } else if (op < 0.8) {
      assert.is(z.remove(m), model.delete(m));
    } else if (z.size > 3) {
      const start = Math.floor(r() * (z.size - 2));
      const gone: string[] = [];
      z.index.each(start, start + 1, (_s, x) => void gone.push(x));
      z.removeRange(start, start + 1);
      for (const x of gone) model.delete(x);
    }
    assert.is(z.size, model.size);
  }
  for (const [m, sc] of model) assert.ok(Object.is(z.score(m), sc), m);
  let prev: [number, string] | null = null;
  z.forEach((m, sc) => {
    assert.ok(Object.is(model.get(m), sc));
    if (prev !== null) assert.ok(prev[0] < sc || (prev[0] === sc && prev[1] < m), 'in order');
    prev = [sc, m];
  });
  const seen = [...z.dict.keys()];
  assert.equal(seen.sort(), [...model.keys()].sort());
  const copy = z.dup();
  assert.is(copy.encoding, 'skiplist');
  copy.remove(seen[0]);
  assert.ok(z.score(seen[0]) !== undefined);
});

test('listpackScore: integral scores within 2^62 as integers, the rest as %.17g', () => {
  assert.is(listpackScore(3), '3');
  assert.is(listpackScore(-0), '0');
  assert.is(listpackScore(123456789012345678), '123456789012345680');
  assert.is(listpackScore(4611686018427387904), '4611686018427387904');
  assert.is(listpackScore(9223372036854775807), '9.2233720368547758e+18');
  assert.is(listpackScore(1.5), '1.5');
  assert.is(listpackScore(0.1), '0.10000000000000001');
  assert.is(listpackScore(Infinity), 'inf');
  assert.is(listpackScore(1e20), '1e+20');
});

test.run();
