// ScoreIndex against a plain sorted array, through random bounded operation sequences.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareKey, ScoreIndex } from '../../core/types/score_index.ts';

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

test.run();
