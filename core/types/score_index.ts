// The ordered half of a sorted set: (score, member) pairs in Redis's order (score, then member
// bytes), with O(log n) rank queries, the job Redis's skiplist with spans does.
//
// Design: a list of sorted leaves (at most 2 * LOAD pairs each) plus a Fenwick tree over the
// leaf sizes, as Python's sortedcontainers does. A lookup bisects the leaves' last keys, then the
// leaf; a rank is the Fenwick prefix sum of the leaves before plus the position in the leaf;
// finding the pair at a rank walks the Fenwick tree. Inserts and deletes shift at most one leaf's
// worth of array slots, split or merge leaves when they grow or shrink, and rebuild
// the Fenwick tree only then. The leaves are fixed blocks of CAP slots in two flat arrays (see
// `sc`), not two arrays per leaf. Scores sit in plain number arrays, which V8 stores unboxed, so a
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
 * Leaves hold LOAD / 4 to 2 * LOAD pairs. Every insert or delete shifts half a leaf of slots;
 * with 256 (leaves of ~380) that was most of a ZADD's cost on a 100k set. 64 cut the server's
 * CPU per ZADD there by about 15% (redis-benchmark -t zadd, 100k members); 32 measured the same
 * as 64.
 */
const LOAD = 64;
/** Slots per block: a leaf never holds more (a full leaf is split before it takes a pair). */
const CAP = 2 * LOAD;
/** Pairs per leaf in an index built from sorted pairs: dense, with a little room to grow. */
const FILL = CAP - CAP / 8;

/** Redis's order: by score, then by member bytes (byte strings compare bytewise). */
export function compareKey(s1: number, m1: string, s2: number, m2: string): number {
  if (s1 < s2) return -1;
  if (s1 > s2) return 1;
  if (m1 < m2) return -1;
  if (m1 > m2) return 1;
  return 0;
}

export class ScoreIndex {
  /**
   * The pairs, in fixed blocks of CAP slots: block b holds its leaf's pairs in slots
   * b * CAP .. b * CAP + len[b] - 1 of `sc` (scores, unboxed doubles) and `mb` (members).
   * Two flat arrays rather than two arrays per leaf: reaching a leaf's pairs then costs no
   * loads of leaf objects and their element stores, which in a big set are cache misses on
   * every step of an update. Unused slots hold 0 and '' (no stale member is kept alive). While
   * there is one block, the arrays are only as long as its pairs (small sets stay small).
   */
  private sc: number[] = [];
  private mb: string[] = [];
  /** Pairs in each block. */
  private len: number[] = [];
  /** The leaves in order: leaf i is block blk[i]. Splits and merges move block numbers only. */
  private blk: number[] = [];
  /** Blocks given back by dropped leaves, reused before the arrays grow. */
  private free: number[] = [];
  private nblocks = 0;
  private fen: number[] = [];
  /** Each leaf's last score and member, side by side, so that finding a leaf does not touch the
   * leaves themselves; rebuilt with the tree. */
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
   * An index holding pairs already in Redis's order (COPY, stored results, RDB loading): leaves
   * are filled to FILL without comparisons. The arrays are copied, not kept, unless `owned`
   * says the caller gives them away (RDB loading): then a set of up to CAP pairs keeps them as
   * its one block, without copies.
   */
  static fromSorted(scores: readonly number[], members: readonly string[], owned = false): ScoreIndex {
    const idx = new ScoreIndex();
    const n = members.length;
    if (n === 0) return idx;
    if (n <= CAP) {
      idx.sc = owned ? (scores as number[]) : scores.slice();
      idx.mb = owned ? (members as string[]) : members.slice();
      idx.len = [n];
      idx.blk = [0];
      idx.nblocks = 1;
    } else {
      const leaves = Math.ceil(n / FILL);
      const sc: number[] = [];
      const mb: string[] = [];
      for (let l = 0; l < leaves; l++) {
        const from = l * FILL;
        const to = Math.min(n, from + FILL);
        for (let i = from; i < to; i++) {
          sc.push(scores[i]);
          mb.push(members[i]);
        }
        if (l < leaves - 1) {
          for (let i = to - from; i < CAP; i++) {
            sc.push(0);
            mb.push('');
          }
        }
        idx.len.push(to - from);
        idx.blk.push(l);
      }
      idx.sc = sc;
      idx.mb = mb;
      idx.nblocks = leaves;
    }
    idx.count = n;
    idx.fenValid = false;
    return idx;
  }

  get size(): number {
    return this.count;
  }

  clear(): void {
    this.sc = [];
    this.mb = [];
    this.len = [];
    this.blk = [];
    this.free = [];
    this.nblocks = 0;
    this.fen = [];
    this.lastScore = [];
    this.lastMember = [];
    this.fenValid = true;
    this.count = 0;
  }

  /**
   * Bytes the index holds beyond the member strings (for MEMORY USAGE): the slot arrays, spare
   * slots included, and the per-leaf arrays.
   */
  memoryUsage(): number {
    return 200 + 16 * this.sc.length + 48 * this.blk.length + 16 * this.free.length;
  }

  /** A block for a new leaf: a freed one, or a new one at the end of the slot arrays. */
  private allocBlock(): number {
    if (this.free.length > 0) return this.free.pop()!;
    const b = this.nblocks++;
    // Pushed one by one so that the arrays stay packed (no holes, doubles unboxed).
    const sc = this.sc;
    const mb = this.mb;
    const end = b === 0 ? 0 : (b + 1) * CAP;
    while (sc.length < end) sc.push(0);
    while (mb.length < end) mb.push('');
    this.len[b] = 0;
    return b;
  }

  /** Gives a dropped leaf's block back, dropping its member references. */
  private freeBlock(b: number): void {
    const mb = this.mb;
    const base = b * CAP;
    for (let i = base + this.len[b] - 1; i >= base; i--) mb[i] = '';
    this.len[b] = 0;
    this.free.push(b);
  }

  /** Index of the first leaf whose last key is >= (score, member); leaf count if none. */
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

  /** Slot of the first key >= (score, member) among slots base .. base + n - 1. */
  private slotIn(base: number, n: number, score: number, member: string): number {
    const sc = this.sc;
    const mb = this.mb;
    let lo = base;
    let hi = base + n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      // The member is read only on a tie: most steps then touch the scores alone.
      const x = sc[mid];
      if (x < score || (x === score && mb[mid] < member)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Adds a pair (the caller guarantees the member is not present). */
  insert(score: number, member: string): void {
    this.count++;
    const blk = this.blk;
    const len = this.len;
    if (blk.length === 0) {
      const b = this.allocBlock();
      blk.push(b);
      this.sc[b * CAP] = score;
      this.mb[b * CAP] = member;
      len[b] = 1;
      this.fenValid = false;
      return;
    }
    let li = this.leafFor(score, member);
    if (li === blk.length) li--;
    let b = blk[li];
    let n = len[b];
    let base = b * CAP;
    let pos = this.slotIn(base, n, score, member) - base;
    if (n === CAP) {
      this.fenValid = false;
      // Past either end of the set (ascending or descending loads): a new leaf with the pair
      // alone, so that such loads leave full leaves behind instead of half-full ones.
      if (pos === CAP && li === blk.length - 1) {
        const nb = this.allocBlock();
        blk.push(nb);
        this.sc[nb * CAP] = score;
        this.mb[nb * CAP] = member;
        len[nb] = 1;
        return;
      }
      if (pos === 0 && li === 0) {
        const nb = this.allocBlock();
        blk.unshift(nb);
        this.sc[nb * CAP] = score;
        this.mb[nb * CAP] = member;
        len[nb] = 1;
        return;
      }
      const nb = this.split(li);
      if (pos > LOAD) {
        li++;
        b = nb;
        base = b * CAP;
        pos -= LOAD;
      }
      n = len[b];
    }
    const sc = this.sc;
    const mb = this.mb;
    // Moved by hand: no array of removed items as splice would allocate.
    const at = base + pos;
    for (let i = base + n; i > at; i--) {
      sc[i] = sc[i - 1];
      mb[i] = mb[i - 1];
    }
    sc[at] = score;
    mb[at] = member;
    len[b] = n + 1;
    if (this.fenValid) {
      this.fenAdd(li, 1);
      if (pos === n) {
        this.lastScore[li] = score;
        this.lastMember[li] = member;
      }
    }
  }

  /** Moves the upper half of full leaf `li` to a new leaf after it; returns the new block. */
  private split(li: number): number {
    const b = this.blk[li];
    const nb = this.allocBlock();
    const sc = this.sc;
    const mb = this.mb;
    const from = b * CAP + LOAD;
    const to = nb * CAP;
    for (let i = 0; i < CAP - LOAD; i++) {
      sc[to + i] = sc[from + i];
      mb[to + i] = mb[from + i];
      mb[from + i] = '';
    }
    this.len[b] = LOAD;
    this.len[nb] = CAP - LOAD;
    this.blk.splice(li + 1, 0, nb);
    this.fenValid = false;
    return nb;
  }

  /**
   * Moves a present pair from score `old` to `score` (old !== score). When the new key still
   * belongs to the same leaf the pair slides to its new slot there (the Fenwick tree does not
   * change); otherwise it is deleted and inserted again.
   */
  update(old: number, score: number, member: string): void {
    const li = this.leafFor(old, member);
    const blk = this.blk;
    if (li < blk.length) {
      const b = blk[li];
      const base = b * CAP;
      const last = base + this.len[b] - 1;
      let p = this.slotIn(base, last - base + 1, old, member);
      const sc = this.sc;
      const mb = this.mb;
      if (p <= last && sc[p] === old && mb[p] === member) {
        // The stored string, not the caller's copy: the index and the member table then share
        // one string, and the caller's (young) copy dies young.
        member = mb[p];
        if (this.fits(li, score, member)) {
          const from = p;
          if (score > old) {
            while (p < last && compareKey(sc[p + 1], mb[p + 1], score, member) < 0) {
              sc[p] = sc[p + 1];
              mb[p] = mb[p + 1];
              p++;
            }
          } else {
            while (p > base && compareKey(sc[p - 1], mb[p - 1], score, member) > 0) {
              sc[p] = sc[p - 1];
              mb[p] = mb[p - 1];
              p--;
            }
          }
          sc[p] = score;
          mb[p] = member;
          if (from === last || p === last) {
            this.lastScore[li] = sc[last];
            this.lastMember[li] = mb[last];
          }
          return;
        }
        // Found already: remove it here rather than searching again in delete().
        this.removeAt(li, p - base);
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
    const first = this.blk[li + 1] * CAP;
    return compareKey(score, member, this.sc[first], this.mb[first]) < 0;
  }

  /** Removes a pair; false when it is not there. */
  delete(score: number, member: string): boolean {
    const li = this.leafFor(score, member);
    if (li === this.blk.length) return false;
    const b = this.blk[li];
    const base = b * CAP;
    const n = this.len[b];
    const p = this.slotIn(base, n, score, member);
    if (p >= base + n || this.sc[p] !== score || this.mb[p] !== member) return false;
    this.removeAt(li, p - base);
    return true;
  }

  /** Removes the pair at position `pos` of leaf `li`. */
  private removeAt(li: number, pos: number): void {
    const b = this.blk[li];
    const base = b * CAP;
    const n = this.len[b] - 1;
    const sc = this.sc;
    const mb = this.mb;
    const end = base + n;
    for (let i = base + pos; i < end; i++) {
      sc[i] = sc[i + 1];
      mb[i] = mb[i + 1];
    }
    mb[end] = '';
    this.len[b] = n;
    this.count--;
    if (n === 0 || (n < LOAD / 4 && this.blk.length > 1)) {
      this.fixLeaf(li);
    } else if (this.fenValid) {
      this.fenAdd(li, -1);
      if (pos === n) {
        this.lastScore[li] = sc[end - 1];
        this.lastMember[li] = mb[end - 1];
      }
    }
  }

  /** Removes positions from .. to - 1 of block b, shifting the rest down. */
  private cut(b: number, from: number, to: number): void {
    const base = b * CAP;
    const n = this.len[b];
    const k = to - from;
    if (k <= 0) return;
    const sc = this.sc;
    const mb = this.mb;
    for (let i = base + to; i < base + n; i++) {
      sc[i - k] = sc[i];
      mb[i - k] = mb[i];
    }
    for (let i = base + n - k; i < base + n; i++) mb[i] = '';
    this.len[b] = n - k;
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
    const blk = this.blk;
    if (l1 === l2) {
      this.cut(blk[l1], p1, p2 + 1);
    } else {
      this.cut(blk[l1], p1, this.len[blk[l1]]);
      this.cut(blk[l2], 0, p2 + 1);
      if (l2 - l1 > 1) {
        for (let l = l1 + 1; l < l2; l++) this.freeBlock(blk[l]);
        blk.splice(l1 + 1, l2 - l1 - 1);
      }
      // The later leaf first, so that fixing it leaves index l1 valid.
      this.fixLeaf(l1 + 1);
    }
    this.count -= end - start + 1;
    this.fixLeaf(l1);
    this.fenValid = false;
    this.compact();
  }

  /** Drops leaf `li` when empty, or merges it into a neighbour when it became small. */
  private fixLeaf(li: number): void {
    const blk = this.blk;
    if (li >= blk.length) return;
    const len = this.len;
    const n = len[blk[li]];
    if (n === 0) {
      this.freeBlock(blk[li]);
      blk.splice(li, 1);
    } else if (n < LOAD / 4 && blk.length > 1) {
      // Merge a small leaf into a neighbour so leaves stay few and dense.
      const a = li > 0 ? li - 1 : li;
      const ba = blk[a];
      const bb = blk[a + 1];
      const na = len[ba];
      const nb = len[bb];
      const sc = this.sc;
      const mb = this.mb;
      const baseA = ba * CAP;
      const baseB = bb * CAP;
      if (na + nb <= CAP) {
        for (let i = 0; i < nb; i++) {
          sc[baseA + na + i] = sc[baseB + i];
          mb[baseA + na + i] = mb[baseB + i];
        }
        len[ba] = na + nb;
        this.freeBlock(bb);
        blk.splice(a + 1, 1);
      } else if (na < LOAD) {
        // Too many for one leaf: the first keeps LOAD, taking the second's first pairs.
        const k = LOAD - na;
        for (let i = 0; i < k; i++) {
          sc[baseA + na + i] = sc[baseB + i];
          mb[baseA + na + i] = mb[baseB + i];
        }
        len[ba] = LOAD;
        this.cut(bb, 0, k);
      } else {
        // ... or giving its last pairs to the front of the second.
        const k = na - LOAD;
        for (let i = nb - 1; i >= 0; i--) {
          sc[baseB + k + i] = sc[baseB + i];
          mb[baseB + k + i] = mb[baseB + i];
        }
        for (let i = 0; i < k; i++) {
          sc[baseB + i] = sc[baseA + LOAD + i];
          mb[baseB + i] = mb[baseA + LOAD + i];
          mb[baseA + LOAD + i] = '';
        }
        len[ba] = LOAD;
        len[bb] = nb + k;
      }
    } else {
      return;
    }
    this.fenValid = false;
    if (blk.length === 0) this.clear();
    else if (this.free.length > 16 && this.free.length > blk.length) this.compact();
  }

  /**
   * Copies the leaves into fresh arrays without the freed blocks, once most blocks are free
   * (after a set shrank): memory then follows the set down. Amortized: at least as many
   * removals as the copy moves came before it.
   */
  private compact(): void {
    const blk = this.blk;
    if (this.free.length <= 16 || this.free.length <= blk.length) return;
    const sc: number[] = [];
    const mb: string[] = [];
    const len: number[] = [];
    for (let l = 0; l < blk.length; l++) {
      const base = blk[l] * CAP;
      const n = this.len[blk[l]];
      for (let i = 0; i < n; i++) {
        sc.push(this.sc[base + i]);
        mb.push(this.mb[base + i]);
      }
      if (l < blk.length - 1) {
        for (let i = n; i < CAP; i++) {
          sc.push(0);
          mb.push('');
        }
      }
      len.push(n);
      blk[l] = l;
    }
    this.sc = sc;
    this.mb = mb;
    this.len = len;
    this.free = [];
    this.nblocks = blk.length;
  }

  private buildFen(): void {
    const blk = this.blk;
    const len = this.len;
    const n = blk.length;
    const fen = new Array<number>(n + 1).fill(0);
    const ls = new Array<number>(n);
    const lm = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      const j = i + 1;
      const k = len[blk[i]];
      fen[j] += k;
      const parent = j + (j & -j);
      if (parent <= n) fen[parent] += fen[j];
      const last = blk[i] * CAP + k - 1;
      ls[i] = this.sc[last];
      lm[i] = this.mb[last];
    }
    this.fen = fen;
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
    const blk = this.blk;
    const last = blk.length - 1;
    // The ends are the common cases (ZPOPMIN/MAX, ZRANGE 0 N, appends): no tree walk.
    if (rank < this.len[blk[0]]) {
      this.atLeaf = 0;
      this.atPos = rank;
      return;
    }
    const tail = this.count - this.len[blk[last]];
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
    if (li === this.blk.length) return -1;
    const base = this.blk[li] * CAP;
    const n = this.len[this.blk[li]];
    const p = this.slotIn(base, n, score, member);
    if (p >= base + n || this.sc[p] !== score || this.mb[p] !== member) return -1;
    return this.before(li) + p - base;
  }

  /**
   * Number of pairs that sort before the key (score, member): the rank the key would have.
   * With member '' and after=false that is the first rank with a score >= `score`.
   */
  rankOfKey(score: number, member: string): number {
    const li = this.leafFor(score, member);
    if (li === this.blk.length) return this.count;
    const base = this.blk[li] * CAP;
    return this.before(li) + this.slotIn(base, this.len[this.blk[li]], score, member) - base;
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
    if (!this.fenValid) this.buildFen();
    const lm = this.lastMember;
    let lo = 0;
    let hi = lm.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pred(lm[mid])) hi = mid;
      else lo = mid + 1;
    }
    if (lo === lm.length) return this.count;
    const mb = this.mb;
    const base = this.blk[lo] * CAP;
    let a = base;
    let b = base + this.len[this.blk[lo]];
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (pred(mb[mid])) b = mid;
      else a = mid + 1;
    }
    return this.before(lo) + a - base;
  }

  /** First rank whose score satisfies the monotonic predicate `pred`. */
  private boundary(pred: (score: number) => boolean): number {
    if (!this.fenValid) this.buildFen();
    const ls = this.lastScore;
    let lo = 0;
    let hi = ls.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pred(ls[mid])) hi = mid;
      else lo = mid + 1;
    }
    if (lo === ls.length) return this.count;
    const sc = this.sc;
    const base = this.blk[lo] * CAP;
    let a = base;
    let b = base + this.len[this.blk[lo]];
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (pred(sc[mid])) b = mid;
      else a = mid + 1;
    }
    return this.before(lo) + a - base;
  }

  /** The score at `rank` (0 <= rank < size). */
  scoreAt(rank: number): number {
    this.seek(rank);
    return this.sc[this.blk[this.atLeaf] * CAP + this.atPos];
  }

  /** The member at `rank` (0 <= rank < size). */
  memberAt(rank: number): string {
    this.seek(rank);
    return this.mb[this.blk[this.atLeaf] * CAP + this.atPos];
  }

  /**
   * Calls fn(score, member) for ranks start..end inclusive, ascending (or descending when
   * `reverse`, from end down to start). Stops early when fn returns false. The callback may
   * not change the index.
   */
  each(start: number, end: number, fn: (score: number, member: string) => boolean | void, reverse = false): void {
    if (start < 0) start = 0;
    if (end >= this.count) end = this.count - 1;
    if (start > end) return;
    const sc = this.sc;
    const mb = this.mb;
    const blk = this.blk;
    const len = this.len;
    let left = end - start + 1;
    if (!reverse) {
      this.seek(start);
      let li = this.atLeaf;
      let pos = this.atPos;
      while (left > 0) {
        const base = blk[li] * CAP;
        const stop = Math.min(len[blk[li]], pos + left);
        left -= stop - pos;
        for (let i = base + pos; i < base + stop; i++) if (fn(sc[i], mb[i]) === false) return;
        li++;
        pos = 0;
      }
    } else {
      this.seek(end);
      let li = this.atLeaf;
      let pos = this.atPos;
      while (left > 0) {
        const base = blk[li] * CAP;
        const stop = Math.max(-1, pos - left);
        left -= pos - stop;
        for (let i = base + pos; i > base + stop; i--) if (fn(sc[i], mb[i]) === false) return;
        li--;
        if (li >= 0) pos = len[blk[li]] - 1;
      }
    }
  }
}
