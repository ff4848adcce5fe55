// The ordered half of a sorted set: (score, member) pairs in Redis's order (score, then member
// bytes), with O(log n) rank queries, the job Redis's skiplist with spans does.
//
// Design: a list of sorted leaves (at most 2 * LOAD pairs each) plus a Fenwick tree over the
// leaf sizes, as Python's sortedcontainers does. A lookup bisects the leaves' last keys, then the
// leaf; a rank is the Fenwick prefix sum of the leaves before plus the position in the leaf;
// finding the pair at a rank walks the Fenwick tree. Inserts and deletes move at most one leaf's
// worth of array slots (a memmove), split or merge leaves when they grow or shrink, and rebuild
// the Fenwick tree only then. Scores sit in plain number arrays, which V8 stores unboxed, so a
// pair costs little more than the member string itself.

const LOAD = 256;

/** Redis's order: by score, then by member bytes (byte strings compare bytewise). */
export function compareKey(s1: number, m1: string, s2: number, m2: string): number {
  if (s1 < s2) return -1;
  if (s1 > s2) return 1;
  if (m1 < m2) return -1;
  if (m1 > m2) return 1;
  return 0;
}

export class ScoreIndex {
  private scores: number[][] = [];
  private members: string[][] = [];
  private fen: number[] = [];
  private fenValid = true;
  private count = 0;

  get size(): number {
    return this.count;
  }

  clear(): void {
    this.scores = [];
    this.members = [];
    this.fen = [];
    this.fenValid = true;
    this.count = 0;
  }

  /** Index of the first leaf whose last key is >= (score, member); leaves.length if none. */
  private leafFor(score: number, member: string): number {
    const sc = this.scores;
    const mb = this.members;
    let lo = 0;
    let hi = sc.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const s = sc[mid];
      const last = s.length - 1;
      if (compareKey(s[last], mb[mid][last], score, member) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Position in leaf `li` of the first key >= (score, member). */
  private posIn(li: number, score: number, member: string): number {
    const s = this.scores[li];
    const m = this.members[li];
    let lo = 0;
    let hi = s.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKey(s[mid], m[mid], score, member) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Adds a pair (the caller guarantees the member is not present). */
  insert(score: number, member: string): void {
    this.count++;
    if (this.scores.length === 0) {
      this.scores.push([score]);
      this.members.push([member]);
      this.fenValid = false;
      return;
    }
    let li = this.leafFor(score, member);
    if (li === this.scores.length) li--;
    const pos = this.posIn(li, score, member);
    const s = this.scores[li];
    const m = this.members[li];
    if (pos === s.length) {
      s.push(score);
      m.push(member);
    } else {
      s.splice(pos, 0, score);
      m.splice(pos, 0, member);
    }
    if (s.length > 2 * LOAD) {
      this.scores.splice(li + 1, 0, s.splice(LOAD));
      this.members.splice(li + 1, 0, m.splice(LOAD));
      this.fenValid = false;
    } else if (this.fenValid) {
      this.fenAdd(li, 1);
    }
  }

  /** Removes a pair; false when it is not there. */
  delete(score: number, member: string): boolean {
    const li = this.leafFor(score, member);
    if (li === this.scores.length) return false;
    const pos = this.posIn(li, score, member);
    const s = this.scores[li];
    const m = this.members[li];
    if (pos >= s.length || s[pos] !== score || m[pos] !== member) return false;
    s.splice(pos, 1);
    m.splice(pos, 1);
    this.count--;
    if (s.length === 0) {
      this.scores.splice(li, 1);
      this.members.splice(li, 1);
      this.fenValid = false;
    } else if (s.length < LOAD / 4 && this.scores.length > 1) {
      // Merge a small leaf into a neighbour so leaves stay few and dense.
      const other = li > 0 ? li - 1 : li + 1;
      const a = Math.min(li, other);
      const b = a + 1;
      this.scores[a] = this.scores[a].concat(this.scores[b]);
      this.members[a] = this.members[a].concat(this.members[b]);
      this.scores.splice(b, 1);
      this.members.splice(b, 1);
      if (this.scores[a].length > 2 * LOAD) {
        this.scores.splice(a + 1, 0, this.scores[a].splice(LOAD));
        this.members.splice(a + 1, 0, this.members[a].splice(LOAD));
      }
      this.fenValid = false;
    } else if (this.fenValid) {
      this.fenAdd(li, -1);
    }
    return true;
  }

  private buildFen(): void {
    const n = this.scores.length;
    const fen = new Array<number>(n + 1).fill(0);
    for (let i = 0; i < n; i++) {
      let j = i + 1;
      fen[j] += this.scores[i].length;
      const parent = j + (j & -j);
      if (parent <= n) fen[parent] += fen[j];
      j = parent;
    }
    this.fen = fen;
    this.fenValid = true;
  }

  private fenAdd(li: number, delta: number): void {
    const fen = this.fen;
    for (let j = li + 1; j < fen.length; j += j & -j) fen[j] += delta;
  }

  /** Number of pairs in leaves before `li`. */
  private before(li: number): number {
    if (!this.fenValid) this.buildFen();
    let sum = 0;
    for (let j = li; j > 0; j -= j & -j) sum += this.fen[j];
    return sum;
  }

  /** Leaf index and position of the pair at `rank` (0 <= rank < size). */
  private locate(rank: number): [number, number] {
    if (!this.fenValid) this.buildFen();
    const fen = this.fen;
    const n = fen.length - 1;
    let pos = 0;
    let rem = rank;
    let step = 1;
    while (step * 2 <= n) step *= 2;
    for (; step > 0; step >>= 1) {
      const next = pos + step;
      if (next <= n && fen[next] <= rem) {
        pos = next;
        rem -= fen[next];
      }
    }
    return [pos, rem];
  }

  /** 0-based rank of the pair, or -1 when it is not there. */
  rank(score: number, member: string): number {
    const li = this.leafFor(score, member);
    if (li === this.scores.length) return -1;
    const pos = this.posIn(li, score, member);
    const s = this.scores[li];
    if (pos >= s.length || s[pos] !== score || this.members[li][pos] !== member) return -1;
    return this.before(li) + pos;
  }

  /**
   * Number of pairs that sort before the key (score, member): the rank the key would have.
   * With member '' and after=false that is the first rank with a score >= `score`.
   */
  rankOfKey(score: number, member: string): number {
    const li = this.leafFor(score, member);
    if (li === this.scores.length) return this.count;
    return this.before(li) + this.posIn(li, score, member);
  }

  /** First rank whose score is >= min (or > min when exclusive). */
  firstScoreRank(min: number, exclusive: boolean): number {
    return exclusive ? this.boundary((s) => s > min) : this.boundary((s) => s >= min);
  }

  /** First rank whose score is > max (or >= max when exclusive): the end of a score range. */
  endScoreRank(max: number, exclusive: boolean): number {
    return exclusive ? this.boundary((s) => s >= max) : this.boundary((s) => s > max);
  }

  /** First rank whose member satisfies `pred` (monotonic over ranks, as for equal scores). */
  firstMemberRank(pred: (member: string) => boolean): number {
    let lo = 0;
    let hi = this.scores.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = this.members[mid];
      if (pred(m[m.length - 1])) hi = mid;
      else lo = mid + 1;
    }
    if (lo === this.scores.length) return this.count;
    const m = this.members[lo];
    let a = 0;
    let b = m.length;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (pred(m[mid])) b = mid;
      else a = mid + 1;
    }
    return this.before(lo) + a;
  }

  /** First rank whose score satisfies the monotonic predicate `pred`. */
  private boundary(pred: (score: number) => boolean): number {
    let lo = 0;
    let hi = this.scores.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const s = this.scores[mid];
      if (pred(s[s.length - 1])) hi = mid;
      else lo = mid + 1;
    }
    if (lo === this.scores.length) return this.count;
    const s = this.scores[lo];
    let a = 0;
    let b = s.length;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (pred(s[mid])) b = mid;
      else a = mid + 1;
    }
    return this.before(lo) + a;
  }

  /** The score at `rank`. */
  scoreAt(rank: number): number {
    const [li, pos] = this.locate(rank);
    return this.scores[li][pos];
  }

  memberAt(rank: number): string {
    const [li, pos] = this.locate(rank);
    return this.members[li][pos];
  }

  /**
   * Calls fn(score, member) for ranks start..end inclusive, ascending (or descending when
   * `reverse`, from end down to start). Stops early when fn returns false.
   */
  each(start: number, end: number, fn: (score: number, member: string) => boolean | void, reverse = false): void {
    if (start < 0) start = 0;
    if (end >= this.count) end = this.count - 1;
    if (start > end) return;
    if (!reverse) {
      let [li, pos] = this.locate(start);
      for (let r = start; r <= end; r++) {
        const s = this.scores[li];
        if (fn(s[pos], this.members[li][pos]) === false) return;
        if (++pos === s.length) {
          li++;
          pos = 0;
        }
      }
    } else {
      let [li, pos] = this.locate(end);
      for (let r = end; r >= start; r--) {
        if (fn(this.scores[li][pos], this.members[li][pos]) === false) return;
        if (--pos < 0) {
          li--;
          if (li >= 0) pos = this.scores[li].length - 1;
        }
      }
    }
  }
}
