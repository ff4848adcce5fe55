// The ordered half of a sorted set: (score, member) pairs in Redis's order (score, then member
// bytes), with O(log n) rank queries, the job Redis's skiplist with spans does.
//
// Design: a list of sorted leaves (at most 2 * LOAD pairs each) plus a Fenwick tree over the
// leaf sizes, as Python's sortedcontainers does. A lookup bisects the leaves' last keys, then the
// leaf; a rank is the Fenwick prefix sum of the leaves before plus the position in the leaf;
// finding the pair at a rank walks the Fenwick tree. Inserts and deletes shift at most one leaf's
// worth of array slots, split or merge leaves when they grow or shrink, and rebuild
// the Fenwick tree only then. Scores sit in plain number arrays, which V8 stores unboxed, so a
// pair costs little more than the member string itself. Ranges are removed leaf-wise
// (removeRange), so ZREMRANGEBYRANK of most of a large set does not shift arrays per member.
// A score change that keeps the pair inside its leaf (ZINCRBY by a little, most updates of a
// small set) moves it within the leaf instead of deleting and inserting it, as Redis's
// zslUpdateScore updates in place when the node keeps its place.
//
// In a big set nearly every step of an update is a cache miss (ZADD of random scores on 100k
// members costs about 0.75 us per call in cache and 2-3 us out of it), so the code avoids
// touching memory it does not need: bisection reads a member only on a score tie, the leaf
// check of an update reads only the leaves' last keys unless the new key lies right after its
// leaf, and an update keeps the stored member string rather than the caller's copy.

/**
 * Leaves hold LOAD / 4 to 2 * LOAD pairs. Every insert or delete shifts two leaf arrays, which
 * moves half a leaf of slots; with 256 (leaves of ~380) that was most of a ZADD's cost on a 100k
 * set. 64 cut the server's CPU per ZADD there by about 15% (redis-benchmark -t zadd, 100k
 * members); 32 measured the same as 64. The extra leaves cost about a byte per pair.
 */
const LOAD = 64;

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
  /** Each leaf's last score and member, side by side, so that finding a leaf does not touch the
   * leaves themselves (one cache miss per step instead of three); rebuilt with the tree. */
  private lastScore: number[] = [];
  private lastMember: string[] = [];
  /** False after leaves were split, merged or dropped: the Fenwick tree and the last keys are
   * rebuilt on next use. */
  private fenValid = true;
  private count = 0;
  /** Where seek() found a rank: leaf index and position in it (no tuple per call). */
  private atLeaf = 0;
  private atPos = 0;

  /**
   * An index holding pairs already in Redis's order (COPY, stored results): leaves are filled
   * to LOAD without comparisons. The arrays are copied, not kept, unless `owned` says the
   * caller gives them away (RDB loading): then a set of up to LOAD pairs keeps them as its one
   * leaf, without copies or the spare room of a grown list of leaves.
   */
  static fromSorted(scores: readonly number[], members: readonly string[], owned = false): ScoreIndex {
    const idx = new ScoreIndex();
    const n = members.length;
    if (owned && n > 0 && n <= LOAD) {
      idx.scores = [scores as number[]];
      idx.members = [members as string[]];
      idx.count = n;
      idx.fenValid = false;
      return idx;
    }
    for (let i = 0; i < n; i += LOAD) {
      const end = Math.min(n, i + LOAD);
      idx.scores.push(scores.slice(i, end));
      idx.members.push(members.slice(i, end));
    }
    idx.count = n;
    idx.fenValid = false;
    return idx;
  }

  get size(): number {
    return this.count;
  }

  clear(): void {
    this.scores = [];
    this.members = [];
    this.fen = [];
    this.lastScore = [];
    this.lastMember = [];
    this.fenValid = true;
    this.count = 0;
  }

  /** Index of the first leaf whose last key is >= (score, member); leaves.length if none. */
  private leafFor(score: number, member: string): number {
    if (!this.fenValid) this.buildFen();
    const ls = this.lastScore;
    const lm = this.lastMember;
    let lo = 0;
    let hi = ls.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const s = ls[mid];
      if (s < score || (s === score && lm[mid] < member)) lo = mid + 1;
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
      // The member is read only on a tie: most steps then touch the scores alone.
      const x = s[mid];
      if (x < score || (x === score && m[mid] < member)) lo = mid + 1;
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
      // Moved by hand: splice would allocate the array of removed items it returns.
      let i = s.length;
      s.push(s[i - 1]);
      m.push(m[i - 1]);
      for (i--; i > pos; i--) {
        s[i] = s[i - 1];
        m[i] = m[i - 1];
      }
      s[pos] = score;
      m[pos] = member;
    }
    if (s.length > 2 * LOAD) {
      this.scores.splice(li + 1, 0, s.splice(LOAD));
      this.members.splice(li + 1, 0, m.splice(LOAD));
      this.fenValid = false;
    } else if (this.fenValid) {
      this.fenAdd(li, 1);
      if (pos === s.length - 1) {
        this.lastScore[li] = score;
        this.lastMember[li] = member;
      }
    }
  }

  /**
   * Moves a present pair from score `old` to `score` (old !== score). When the new key still
   * belongs to the same leaf the pair slides to its new slot there (the Fenwick tree does not
   * change); otherwise it is deleted and inserted again.
   */
  update(old: number, score: number, member: string): void {
    const li = this.leafFor(old, member);
    const nl = this.scores.length;
    if (li < nl) {
      const s = this.scores[li];
      const m = this.members[li];
      let p = this.posIn(li, old, member);
      const last = s.length - 1;
      if (p <= last && s[p] === old && m[p] === member) {
        // The stored string, not the caller's copy: the index and the member table then share
        // one string, and the caller's (young) copy dies young.
        member = m[p];
        if (this.fits(li, score, member)) {
          const from = p;
          if (score > old) {
            while (p < last && compareKey(s[p + 1], m[p + 1], score, member) < 0) {
              s[p] = s[p + 1];
              m[p] = m[p + 1];
              p++;
            }
          } else {
            while (p > 0 && compareKey(s[p - 1], m[p - 1], score, member) > 0) {
              s[p] = s[p - 1];
              m[p] = m[p - 1];
              p--;
            }
          }
          s[p] = score;
          m[p] = member;
          if (from === last || p === last) {
            this.lastScore[li] = s[last];
            this.lastMember[li] = m[last];
          }
          return;
        }
        // Found already: remove it here rather than searching again in delete().
        this.removeAt(li, p);
        this.insert(score, member);
        return;
      }
    }
    this.delete(old, member);
    this.insert(score, member);
  }

  /**
   * Whether the key (score, member) belongs in leaf `li`: above the previous leaf's last key and
   * below the next leaf's first key. The last keys are at hand (lastScore, lastMember); the next
   * leaf is read only when the key falls between this leaf's last key and the next one's, so a
   * move far away (the usual update of a big set) is refused without touching other leaves.
   */
  private fits(li: number, score: number, member: string): boolean {
    if (!this.fenValid) this.buildFen();
    const ls = this.lastScore;
    const lm = this.lastMember;
    if (li > 0 && compareKey(ls[li - 1], lm[li - 1], score, member) >= 0) return false;
    if (li === ls.length - 1 || compareKey(score, member, ls[li], lm[li]) <= 0) return true;
    if (compareKey(score, member, ls[li + 1], lm[li + 1]) > 0) return false;
    return compareKey(score, member, this.scores[li + 1][0], this.members[li + 1][0]) < 0;
  }

  /** Removes a pair; false when it is not there. */
  delete(score: number, member: string): boolean {
    const li = this.leafFor(score, member);
    if (li === this.scores.length) return false;
    const pos = this.posIn(li, score, member);
    const s = this.scores[li];
    if (pos >= s.length || s[pos] !== score || this.members[li][pos] !== member) return false;
    this.removeAt(li, pos);
    return true;
  }

  /** Removes the pair at position `pos` of leaf `li`. */
  private removeAt(li: number, pos: number): void {
    const s = this.scores[li];
    const m = this.members[li];
    const n = s.length - 1;
    for (let i = pos; i < n; i++) {
      s[i] = s[i + 1];
      m[i] = m[i + 1];
    }
    // By hand, as in insert(): splice(pos, 1) would allocate an array for the removed pair.
    s.pop();
    m.pop();
    this.count--;
    if (s.length === 0 || (s.length < LOAD / 4 && this.scores.length > 1)) {
      this.fixLeaf(li);
    } else if (this.fenValid) {
      this.fenAdd(li, -1);
      if (pos === s.length) {
        this.lastScore[li] = s[pos - 1];
        this.lastMember[li] = m[pos - 1];
      }
    }
  }

  /**
   * Removes the pairs of ranks start..end inclusive (clamped to the index): whole leaves in
   * between go at once, the two boundary leaves are cut. The caller reads the pairs first if it
   * needs them.
   */
  removeRange(start: number, end: number): void {
    if (start < 0) start = 0;
    if (end >= this.count) end = this.count - 1;
    if (start > end) return;
    this.seek(start);
    const l1 = this.atLeaf;
    const p1 = this.atPos;
    this.seek(end);
    const l2 = this.atLeaf;
    const p2 = this.atPos;
    if (l1 === l2) {
      this.scores[l1].splice(p1, p2 - p1 + 1);
      this.members[l1].splice(p1, p2 - p1 + 1);
    } else {
      this.scores[l1].length = p1;
      this.members[l1].length = p1;
      this.scores[l2].splice(0, p2 + 1);
      this.members[l2].splice(0, p2 + 1);
      if (l2 - l1 > 1) {
        this.scores.splice(l1 + 1, l2 - l1 - 1);
        this.members.splice(l1 + 1, l2 - l1 - 1);
      }
      // The later leaf first, so that fixing it leaves index l1 valid.
      this.fixLeaf(l1 + 1);
    }
    this.count -= end - start + 1;
    this.fixLeaf(l1);
    this.fenValid = false;
  }

  /** Drops leaf `li` when empty, or merges it into a neighbour when it became small. */
  private fixLeaf(li: number): void {
    const sc = this.scores;
    if (li >= sc.length) return;
    const n = sc[li].length;
    if (n === 0) {
      sc.splice(li, 1);
      this.members.splice(li, 1);
    } else if (n < LOAD / 4 && sc.length > 1) {
      // Merge a small leaf into a neighbour so leaves stay few and dense.
      const a = li > 0 ? li - 1 : li;
      const b = a + 1;
      const mb = this.members;
      sc[a] = sc[a].concat(sc[b]);
      mb[a] = mb[a].concat(mb[b]);
      sc.splice(b, 1);
      mb.splice(b, 1);
      if (sc[a].length > 2 * LOAD) {
        sc.splice(a + 1, 0, sc[a].splice(LOAD));
        mb.splice(a + 1, 0, mb[a].splice(LOAD));
      }
    } else {
      return;
    }
    this.fenValid = false;
  }

  private buildFen(): void {
    const n = this.scores.length;
    const fen = new Array<number>(n + 1).fill(0);
    for (let i = 0; i < n; i++) {
      const j = i + 1;
      fen[j] += this.scores[i].length;
      const parent = j + (j & -j);
      if (parent <= n) fen[parent] += fen[j];
    }
    this.fen = fen;
    const ls = new Array<number>(n);
    const lm = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      const last = this.scores[i].length - 1;
      ls[i] = this.scores[i][last];
      lm[i] = this.members[i][last];
    }
    this.lastScore = ls;
    this.lastMember = lm;
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

  /** Sets atLeaf/atPos to the pair at `rank` (0 <= rank < size). */
  private seek(rank: number): void {
    const last = this.scores.length - 1;
    // The ends are the common cases (ZPOPMIN/MAX, ZRANGE 0 N, appends): no tree walk.
    if (rank < this.scores[0].length) {
      this.atLeaf = 0;
      this.atPos = rank;
      return;
    }
    const tail = this.count - this.scores[last].length;
    if (rank >= tail) {
      this.atLeaf = last;
      this.atPos = rank - tail;
      return;
    }
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
    this.atLeaf = pos;
    this.atPos = rem;
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

  /** The score at `rank` (0 <= rank < size). */
  scoreAt(rank: number): number {
    this.seek(rank);
    return this.scores[this.atLeaf][this.atPos];
  }

  /** The member at `rank` (0 <= rank < size). */
  memberAt(rank: number): string {
    this.seek(rank);
    return this.members[this.atLeaf][this.atPos];
  }

  /**
   * Calls fn(score, member) for ranks start..end inclusive, ascending (or descending when
   * `reverse`, from end down to start). Stops early when fn returns false.
   */
  each(start: number, end: number, fn: (score: number, member: string) => boolean | void, reverse = false): void {
    if (start < 0) start = 0;
    if (end >= this.count) end = this.count - 1;
    if (start > end) return;
    const scores = this.scores;
    const members = this.members;
    let left = end - start + 1;
    if (!reverse) {
      this.seek(start);
      let li = this.atLeaf;
      let pos = this.atPos;
      while (left > 0) {
        const s = scores[li];
        const m = members[li];
        const stop = Math.min(s.length, pos + left);
        left -= stop - pos;
        for (; pos < stop; pos++) if (fn(s[pos], m[pos]) === false) return;
        li++;
        pos = 0;
      }
    } else {
      this.seek(end);
      let li = this.atLeaf;
      let pos = this.atPos;
      while (left > 0) {
        const s = scores[li];
        const m = members[li];
        const stop = Math.max(-1, pos - left);
        left -= pos - stop;
        for (; pos > stop; pos--) if (fn(s[pos], m[pos]) === false) return;
        li--;
        if (li >= 0) pos = scores[li].length - 1;
      }
    }
  }
}
