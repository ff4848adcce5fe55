// The sorted set value: a member -> score Map (O(1) ZSCORE, membership for ZADD and the set
// operations) and a ScoreIndex holding the same pairs in Redis's order (score, then member
// bytes) with O(log n) ranks, the dict + skiplist pair of Redis's src/t_zset.c.
//
// Redis keeps small sorted sets in a listpack and converts them to dict + skiplist once they
// outgrow zset-max-listpack-entries or a member is longer than zset-max-listpack-value. echokv
// uses one representation for both, and records which one Redis would be using (`listpack`),
// because three things users can see depend on it:
// - OBJECT ENCODING;
// - ZSCAN: a listpack is answered whole in one call, in order, with each score as the listpack
//   stores it (integral scores as integers), a skiplist is walked over many calls;
// - scores of zero: a listpack stores -0 as the integer 0, a skiplist keeps the double -0.
// The command layer decides conversions, since the thresholds are config; they are one-way, as
// in Redis, except that stored results (ZUNIONSTORE ...) start as whichever fits.
//
// Members are byte strings. Scores are never NaN (the commands refuse NaN first).

import type { ObjectValue } from '../keyspace.ts';
import { formatDouble } from '../numbers.ts';
import { ScoreIndex } from './score_index.ts';

export type ZSetEncoding = 'listpack' | 'skiplist';

export class ZSet implements ObjectValue {
  readonly type = 'zset' as const;
  /** Member -> score. Iteration order is insertion order (ZSCAN walks it for skiplists). */
  readonly dict: Map<string, number>;
  /** The same pairs, ordered. */
  readonly index: ScoreIndex;
  /** Whether Redis would hold this set as a listpack; see the header comment. */
  listpack: boolean;

  constructor(listpack: boolean, dict: Map<string, number> = new Map(), index: ScoreIndex = new ScoreIndex()) {
    this.listpack = listpack;
    this.dict = dict;
    this.index = index;
  }

  /**
   * A sorted set holding pairs already in Redis's order (stored results, COPY), built without
   * comparisons. In a listpack, -0 becomes 0 as Redis stores it. `owned`: the arrays are the
   * new set's to keep (see ScoreIndex.fromSorted).
   */
  static fromSorted(listpack: boolean, scores: number[], members: readonly string[], owned = false): ZSet {
    const dict = new Map<string, number>();
    for (let i = 0; i < members.length; i++) {
      // x + 0 turns -0 into 0 and leaves every other number alone.
      if (listpack) scores[i] = scores[i] + 0;
      dict.set(members[i], scores[i]);
    }
    return new ZSet(listpack, dict, ScoreIndex.fromSorted(scores, members, owned));
  }

  get encoding(): ZSetEncoding {
    return this.listpack ? 'listpack' : 'skiplist';
  }

  get size(): number {
    return this.dict.size;
  }

  /** The member's score, undefined when absent. */
  score(member: string): number | undefined {
    return this.dict.get(member);
  }

  /** Adds a member known to be absent. */
  insert(member: string, score: number): void {
    if (this.listpack) score = score + 0;
    this.dict.set(member, score);
    this.index.insert(score, member);
  }

  /** Moves a present member from score `old` to `score`. */
  update(member: string, old: number, score: number): void {
    if (this.listpack) score = score + 0;
    this.index.update(old, score, member);
    this.dict.set(member, score);
  }

  /** Removes a member; false when absent. */
  remove(member: string): boolean {
    const score = this.dict.get(member);
    if (score === undefined) return false;
    this.dict.delete(member);
    this.index.delete(score, member);
    return true;
  }

  /** 0-based rank in ascending order, -1 when absent. */
  rank(member: string): number {
    const score = this.dict.get(member);
    return score === undefined ? -1 : this.index.rank(score, member);
  }

  /** Removes the members of ranks start..end inclusive (0 <= start <= end < size). */
  removeRange(start: number, end: number): void {
    const dict = this.dict;
    this.index.each(start, end, (_s, m) => {
      dict.delete(m);
    });
    this.index.removeRange(start, end);
  }

  /** Calls fn(member, score) for every pair in Redis's order. */
  forEach(fn: (member: string, score: number) => void): void {
    this.index.each(0, this.index.size - 1, (s, m) => {
      fn(m, s);
    });
  }

  dup(): ZSet {
    const scores: number[] = [];
    const members: string[] = [];
    this.index.each(0, this.index.size - 1, (s, m) => {
      scores.push(s);
      members.push(m);
    });
    return ZSet.fromSorted(this.listpack, scores, members);
  }

  /**
   * MEMORY USAGE's estimate of the value in the JS heap, in the model core/info.ts uses for every
   * type (eviction counts it too): the objects, the index's arrays as allocated (spare slots
   * included), and per member its string, its Map slot and a heap number for a score that is
   * not a small integer. Members are sampled (`samples`, 0 for all) and extrapolated.
   */
  memoryUsage(samples: number): number {
    const n = this.dict.size;
    let bytes = 48 + 96 + this.index.memoryUsage();
    if (n === 0) return bytes;
    const look = samples <= 0 || samples >= n ? n : samples;
    let each = 0;
    let seen = 0;
    for (const [m, s] of this.dict) {
      if (seen === look) break;
      each += 16 + Math.ceil(m.length / 8) * 8 + 40 + ((s | 0) === s && !Object.is(s, -0) ? 0 : 16);
      seen++;
    }
    bytes += (each / look) * n;
    return Math.round(bytes);
  }
}

/**
 * A score as a listpack stores it (what ZSCAN of a small sorted set shows): an integral score
 * within +-2^62 as its exact integer digits (Redis's double2ll path), otherwise %.17g like every
 * other score reply. Beyond 2^53 String() would print the shortest round-trip digits instead.
 */
export function listpackScore(score: number): string {
  if (Number.isInteger(score) && score >= -4611686018427387904 && score <= 4611686018427387904) {
    // `score + 0` prints -0 as 0, as the integer encoding does.
    return Math.abs(score) < 9007199254740992 ? String(score + 0) : BigInt(score).toString();
  }
  return formatDouble(score);
}
