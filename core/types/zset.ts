// The sorted set value: a member -> score Map (O(1) ZSCORE, membership for ZADD and the set
// operations) and a ScoreIndex holding the same pairs in Redis's order (score, then member
// bytes) with O(log n) ranks, the dict + skiplist pair of Redis's src/t_zset.c.
//
// A set of at most SMALL members has no Map: membership and scores scan the index's members,
// as Redis scans a listpack. Most sorted sets are that small (an RDB file of millions of them
// loads with two arrays and two objects per set, not a Map and its table besides). The Map is
// built when the set grows past SMALL, or when ZSCAN of a skiplist needs it, and kept from then
// on (a scan's cursor walks it, and a set going back and forth across SMALL does not rebuild it).
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

/**
 * Members up to which a set keeps no Map. A scan of the members array beats Map.get (which
 * hashes the caller's fresh string) up to 12-16 members; at 32 it costs 80 ns more a lookup with
 * 19-byte members sharing a 16-byte prefix (60 ns with 'member:123'), within the noise of a
 * ZSCORE's 2 us of server CPU at -P 16. A Map costs about 75 bytes a member (its table, and a
 * heap number per score): 1270 of the 2260 bytes of a 17-member set. Measured on Node 20.
 */
export const SMALL = 32;

export class ZSet implements ObjectValue {
  readonly type = 'zset' as const;
  /** Member -> score once the set outgrew SMALL (or ZSCAN needed it), else null. Iteration
   * order is insertion order (ZSCAN walks it for skiplists). */
  private map: Map<string, number> | null;
  /** The pairs, ordered. */
  readonly index: ScoreIndex;
  /** Whether Redis would hold this set as a listpack; see the header comment. */
  listpack: boolean;

  constructor(listpack: boolean, index: ScoreIndex = new ScoreIndex()) {
    this.listpack = listpack;
    this.map = null;
    this.index = index;
    if (index.size > SMALL) this.buildMap();
  }

  /** Member -> score, built first if the set has none (ZSCAN of a skiplist walks it). */
  get dict(): Map<string, number> {
    return this.map ?? this.buildMap();
  }

  private buildMap(): Map<string, number> {
    const map = new Map<string, number>();
    this.index.each(0, this.index.size - 1, (s, m) => {
      map.set(m, s);
    });
    this.map = map;
    return map;
  }

  /**
   * A sorted set holding pairs already in Redis's order (stored results, COPY), built without
   * comparisons. In a listpack, -0 becomes 0 as Redis stores it. `owned`: the arrays are the
   * new set's to keep (see ScoreIndex.fromSorted).
   */
  static fromSorted(listpack: boolean, scores: number[], members: readonly string[], owned = false): ZSet {
    // x + 0 turns -0 into 0 and leaves every other number alone.
    if (listpack) for (let i = 0; i < scores.length; i++) scores[i] = scores[i] + 0;
    return new ZSet(listpack, ScoreIndex.fromSorted(scores, members, owned));
  }

  /** See ScoreIndex.trim. */
  trim(): void {
    this.index.trim();
  }

  get encoding(): ZSetEncoding {
    return this.listpack ? 'listpack' : 'skiplist';
  }

  get size(): number {
    return this.index.size;
  }

  /** The member's score, undefined when absent. */
  score(member: string): number | undefined {
    const map = this.map;
    return map !== null ? map.get(member) : this.index.scoreOf(member);
  }

  /** Adds a member known to be absent. */
  insert(member: string, score: number): void {
    if (this.listpack) score = score + 0;
    this.index.insert(score, member);
    if (this.map !== null) this.map.set(member, score);
    else if (this.index.size > SMALL) this.buildMap();
  }

  /** Moves a present member from score `old` to `score`. */
  update(member: string, old: number, score: number): void {
    if (this.listpack) score = score + 0;
    this.index.update(old, score, member);
    if (this.map !== null) this.map.set(member, score);
  }

  /** Removes a member; false when absent. */
  remove(member: string): boolean {
    const score = this.score(member);
    if (score === undefined) return false;
    if (this.map !== null) this.map.delete(member);
    this.index.delete(score, member);
    return true;
  }

  /** 0-based rank in ascending order, -1 when absent. */
  rank(member: string): number {
    const score = this.score(member);
    return score === undefined ? -1 : this.index.rank(score, member);
  }

  /** Removes the members of ranks start..end inclusive (0 <= start <= end < size). */
  removeRange(start: number, end: number): void {
    const map = this.map;
    if (map !== null) {
      this.index.each(start, end, (_s, m) => {
        map.delete(m);
      });
    }
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
   * type (eviction counts it too): this object (24 bytes and four fields), the index (see
   * ScoreIndex.memoryUsage), and per member its string (16 bytes and the bytes, 8-aligned);
   * with a Map, its tables (about 32 bytes a member) and a heap number for a score that is not
   * a small integer. Members are sampled (`samples`, 0 for all) and extrapolated.
   */
  memoryUsage(samples: number): number {
    const n = this.index.size;
    const map = this.map;
    let bytes = 56 + this.index.memoryUsage() + (map !== null ? 96 : 0);
    if (n === 0) return bytes;
    const look = samples <= 0 || samples >= n ? n : samples;
    let each = 0;
    this.index.each(0, look - 1, (s, m) => {
      each += 16 + Math.ceil(m.length / 8) * 8;
      if (map !== null) each += 32 + ((s | 0) === s && !Object.is(s, -0) ? 0 : 16);
    });
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
