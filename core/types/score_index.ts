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
//
// Small sets (at most CAP pairs, one leaf) are most sorted sets, and millions of them are loaded
// from RDB files: such an index is flat, `sc` and `mb` exactly as long as its pairs and no
// per-leaf arrays at all (they would be six more objects per set for the GC to copy). Every
// method takes a direct path then. The leaves appear when a flat index outgrows CAP, and go
// again when merges leave one leaf.

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

/** Where seek() found a rank: leaf index and position in it (no tuple per call, nor two
 * fields in every index); read right after each seek(). */
let atLeaf = 0;
let atPos = 0;

/** Redis's order: by score, then by member bytes (byte strings compare bytewise). */
export function compareKey(s1: number, m1: string, s2: number, m2: string): number {
  if (s1 < s2) return -1;
  if (s1 > s2) return 1;
  if (m1 < m2) return -1;
  if (m1 > m2) return 1;
  return 0;
}

/** The leaves of an index past CAP pairs: where each leaf's block is, and what finds a leaf. */
class Leaves {
  /** Pairs in each block. */
  len: number[] = [];
  /** The leaves in order: leaf i is block blk[i]. Splits and merges move block numbers only. */
  blk: number[] = [];
  /** Blocks given back by dropped leaves, reused before the arrays grow. */
  free: number[] = [];
  /** Blocks allocated. */
  nblocks = 0;
  fen: number[] = [];
  /** Each leaf's last score and member, side by side, so that finding a leaf does not touch the
   * leaves themselves; rebuilt with the tree. */
  lastScore: number[] = [];
  lastMember: string[] = [];
  /** False after leaves were split, merged or dropped: the Fenwick tree and the last keys are
   * rebuilt on next use. */
  fenValid = false;
}

/** First index in a[lo, hi) whose element satisfies `pred` (false then true along the range). */
function bisect(a: readonly (string | number)[], lo: number, hi: number, pred: (x: string | number) => boolean): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(a[mid])) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export class ScoreIndex {
  /**
   * The pairs, in fixed blocks of CAP slots: block b holds its leaf's pairs in slots
   * b * CAP .. b * CAP + len[b] - 1 of `sc` (scores, unboxed doubles) and `mb` (members).
   * Two flat arrays rather than two arrays per leaf: reaching a leaf's pairs then costs no
   * loads of leaf objects and their element stores, which in a big set are cache misses on
   * every step of an update. Unused slots hold 0 and '' (no stale member is kept alive). A flat
   * index (no `lv`) has no blocks: the pairs are sc[0 .. count - 1] and mb[0 .. count - 1],
   * the arrays exactly that long.
   */
  private sc: number[];
  private mb: string[];
  /** The leaves, null while the index is flat. */
  private lv: Leaves | null = null;
  private count: number;

  /** An empty index, or a flat one holding sorted `sc` and `mb` (kept, count = their length). */
  constructor(sc: number[] = [], mb: string[] = []) {
    this.sc = sc;
    this.mb = mb;
    this.count = mb.length;
  }

  /**
   * An index holding pairs already in Redis's order (COPY, stored results, RDB loading): leaves
   * are filled to FILL without comparisons. The arrays are copied, not kept, unless `owned`
   * says the caller gives them away (RDB loading): then a set of up to CAP pairs keeps them as
   * its flat arrays, without copies.
   */
  static fromSorted(scores: readonly number[], members: readonly string[], owned = false): ScoreIndex {
    const n = members.length;
    if (n <= CAP) {
      return owned ? new ScoreIndex(scores as number[], members as string[]) : new ScoreIndex(scores.slice(), members.slice());
    }
    const idx = new ScoreIndex();
    const lv = new Leaves();
    idx.lv = lv;
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
      lv.len.push(to - from);
      lv.blk.push(l);
    }
    idx.sc = sc;
    idx.mb = mb;
    lv.nblocks = leaves;
    idx.count = n;
    return idx;
  }

  get size(): number {
    return this.count;
  }

  clear(): void {
    this.sc = [];
    this.mb = [];
    this.flat();
    this.count = 0;
  }

  /** Drops the per-leaf state (the caller has put the pairs in flat arrays). */
  private flat(): void {
    this.lv = null;
  }

  /** Gives a flat index of CAP pairs its one leaf, block 0 (the next insert splits it). */
  private toBlocks(): void {
    const lv = new Leaves();
    lv.len.push(this.count);
    lv.blk.push(0);
    lv.nblocks = 1;
    this.lv = lv;
  }

  /** Makes the index flat once merges left it one leaf: that leaf's pairs in exact arrays. */
  private toFlat(): void {
    const lv = this.lv!;
    const b = lv.blk[0];
    const base = b * CAP;
    const n = lv.len[b];
    this.sc = this.sc.slice(base, base + n);
    this.mb = this.mb.slice(base, base + n);
    this.flat();
  }

  /**
   * Bytes the index holds beyond the member strings (for MEMORY USAGE): the object, the slot
   * arrays (spare slots included: a flat index has none), and the six per-leaf arrays when
   * there are leaves. In V8 without pointer compression (Node's builds) the object is 24 bytes
   * and 8 per field, an array 32 bytes and its store 16 plus 8 a slot.
   */
  memoryUsage(): number {
    const flat = 24 + 8 * 4 + 2 * 48 + 16 * this.sc.length;
    const lv = this.lv;
    return lv === null ? flat : flat + 24 + 8 * 8 + 6 * 48 + 40 * lv.blk.length + 8 * lv.free.length;
  }

  /**
   * Gives a flat index arrays of exactly its pairs. Arrays grown by stores past their end keep
   * V8's spare room (half their length and 16 slots more), which for a set of three members is
   * most of its size; a new set built by one command is trimmed once (ZADD).
   */
  trim(): void {
    if (this.lv !== null) return;
    this.sc = this.sc.slice();
    this.mb = this.mb.slice();
  }

  /** The member's score, scanning the pairs (no member table): undefined when absent. */
  scoreOf(member: string): number | undefined {
    const lv = this.lv;
    const mb = this.mb;
    if (lv === null) {
      for (let i = 0; i < mb.length; i++) if (mb[i] === member) return this.sc[i];
      return undefined;
    }
    const blk = lv.blk;
    for (let l = 0; l < blk.length; l++) {
      const base = blk[l] * CAP;
      const end = base + lv.len[blk[l]];
      for (let i = base; i < end; i++) if (mb[i] === member) return this.sc[i];
    }
    return undefined;
  }

  /** A block for a new leaf: a freed one, or a new one at the end of the slot arrays. */
  private allocBlock(): number {
    const lv = this.lv!;
    if (lv.free.length > 0) return lv.free.pop()!;
    const b = lv.nblocks++;
    // Pushed one by one so that the arrays stay packed (no holes, doubles unboxed).
    const sc = this.sc;
    const mb = this.mb;
    const end = (b + 1) * CAP;
    while (sc.length < end) sc.push(0);
    while (mb.length < end) mb.push('');
    lv.len[b] = 0;
    return b;
  }

  /** Gives a dropped leaf's block back, dropping its member references. */
  private freeBlock(b: number): void {
    const lv = this.lv!;
    const mb = this.mb;
    const base = b * CAP;
    for (let i = base + lv.len[b] - 1; i >= base; i--) mb[i] = '';
    lv.len[b] = 0;
    lv.free.push(b);
  }

  /** Index of the first leaf whose last key is >= (score, member); leaf count if none. */
  private leafFor(score: number, member: string): number {
    const lv = this.lv!;
    if (!lv.fenValid) this.buildFen();
    const ls = lv.lastScore;
    const lm = lv.lastMember;
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
    if (this.lv === null) {
      const n = this.count;
      if (n < CAP) {
        const sc = this.sc;
        const mb = this.mb;
        const at = this.slotIn(0, n, score, member);
        for (let i = n; i > at; i--) {
          sc[i] = sc[i - 1];
          mb[i] = mb[i - 1];
        }
        sc[at] = score;
        mb[at] = member;
        this.count = n + 1;
        return;
      }
      this.toBlocks();
    }
    const lv = this.lv!;
    this.count++;
    const blk = lv.blk;
    const len = lv.len;
    let li = this.leafFor(score, member);
    if (li === blk.length) li--;
    let b = blk[li];
    let n = len[b];
    let base = b * CAP;
    let pos = this.slotIn(base, n, score, member) - base;
    if (n === CAP) {
      lv.fenValid = false;
      // Past either end of the set (ascending or descending loads): a new leaf with the pair
      // alone, so that such loads leave full leaves behind instead of half-full ones.
      if (pos === CAP && li === blk.length - 1) {
        this.loneLeaf(false, score, member);
        return;
      }
      if (pos === 0 && li === 0) {
        this.loneLeaf(true, score, member);
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
    if (lv.fenValid) {
      this.fenAdd(li, 1);
      if (pos === n) {
        lv.lastScore[li] = score;
        lv.lastMember[li] = member;
      }
    }
  }

  /** A new leaf holding only (score, member), first or last among the leaves. */
  private loneLeaf(first: boolean, score: number, member: string): void {
    const lv = this.lv!;
    const nb = this.allocBlock();
    if (first) lv.blk.unshift(nb);
    else lv.blk.push(nb);
    this.sc[nb * CAP] = score;
    this.mb[nb * CAP] = member;
    lv.len[nb] = 1;
  }

  /** Moves the upper half of full leaf `li` to a new leaf after it; returns the new block. */
  private split(li: number): number {
    const lv = this.lv!;
    const b = lv.blk[li];
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
    lv.len[b] = LOAD;
    lv.len[nb] = CAP - LOAD;
    lv.blk.splice(li + 1, 0, nb);
    lv.fenValid = false;
    return nb;
  }

  /**
   * Moves a present pair from score `old` to `score` (old !== score). When the new key still
   * belongs to the same leaf the pair slides to its new slot there (the Fenwick tree does not
   * change); otherwise it is deleted and inserted again.
   */
  update(old: number, score: number, member: string): void {
    const lv = this.lv;
    if (lv === null) {
      const sc = this.sc;
      const mb = this.mb;
      const last = this.count - 1;
      const p = this.slotIn(0, this.count, old, member);
      if (p <= last && sc[p] === old && mb[p] === member) {
        this.moveWithin(p, 0, last, old, score, mb[p]);
        return;
      }
      this.delete(old, member);
      this.insert(score, member);
      return;
    }
    const li = this.leafFor(old, member);
    const blk = lv.blk;
    if (li < blk.length) {
      const b = blk[li];
      const base = b * CAP;
      const last = base + lv.len[b] - 1;
      const p = this.slotIn(base, last - base + 1, old, member);
      const sc = this.sc;
      const mb = this.mb;
      if (p <= last && sc[p] === old && mb[p] === member) {
        // The stored string, not the caller's copy: the index and the member table then share
        // one string, and the caller's (young) copy dies young.
        member = mb[p];
        if (this.fits(li, score, member)) {
          const to = this.moveWithin(p, base, last, old, score, member);
          if (p === last || to === last) {
            lv.lastScore[li] = sc[last];
            lv.lastMember[li] = mb[last];
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
   * Moves the pair at slot p (score `old`) to its place for `score` among slots first .. last,
   * shifting the pairs between by one; returns its new slot.
   */
  private moveWithin(p: number, first: number, last: number, old: number, score: number, member: string): number {
    const sc = this.sc;
    const mb = this.mb;
    if (score > old) {
      while (p < last && compareKey(sc[p + 1], mb[p + 1], score, member) < 0) {
        sc[p] = sc[p + 1];
        mb[p] = mb[p + 1];
        p++;
      }
    } else {
      while (p > first && compareKey(sc[p - 1], mb[p - 1], score, member) > 0) {
        sc[p] = sc[p - 1];
        mb[p] = mb[p - 1];
        p--;
      }
    }
    sc[p] = score;
    mb[p] = member;
    return p;
  }

  /**
   * Whether the key (score, member) belongs in leaf `li`: above the previous leaf's last key and
   * below the next leaf's first key. The last keys are at hand (lastScore, lastMember); the next
   * leaf is read only when the key falls between this leaf's last key and the next one's, so a
   * move far away (the usual update of a big set) is refused without touching other leaves.
   */
  private fits(li: number, score: number, member: string): boolean {
    const lv = this.lv!;
    if (!lv.fenValid) this.buildFen();
    const ls = lv.lastScore;
    const lm = lv.lastMember;
    if (li > 0 && compareKey(ls[li - 1], lm[li - 1], score, member) >= 0) return false;
    if (li === ls.length - 1 || compareKey(score, member, ls[li], lm[li]) <= 0) return true;
    if (compareKey(score, member, ls[li + 1], lm[li + 1]) > 0) return false;
    const first = lv.blk[li + 1] * CAP;
    return compareKey(score, member, this.sc[first], this.mb[first]) < 0;
  }

  /** Removes a pair; false when it is not there. */
  delete(score: number, member: string): boolean {
    const lv = this.lv;
    if (lv === null) {
      const n = this.count;
      const p = this.slotIn(0, n, score, member);
      if (p >= n || this.sc[p] !== score || this.mb[p] !== member) return false;
      this.cutFlat(p, p + 1);
      return true;
    }
    const li = this.leafFor(score, member);
    if (li === lv.blk.length) return false;
    const b = lv.blk[li];
    const base = b * CAP;
    const n = lv.len[b];
    const p = this.slotIn(base, n, score, member);
    if (p >= base + n || this.sc[p] !== score || this.mb[p] !== member) return false;
    this.removeAt(li, p - base);
    return true;
  }

  /** Removes slots from .. to - 1 of a flat index, which stays exactly as long as its pairs. */
  private cutFlat(from: number, to: number): void {
    const sc = this.sc;
    const mb = this.mb;
    const n = this.count;
    const k = to - from;
    for (let i = to; i < n; i++) {
      sc[i - k] = sc[i];
      mb[i - k] = mb[i];
    }
    sc.length = n - k;
    mb.length = n - k;
    this.count = n - k;
  }

  /** Removes the pair at position `pos` of leaf `li`. */
  private removeAt(li: number, pos: number): void {
    const lv = this.lv!;
    const b = lv.blk[li];
    const base = b * CAP;
    const n = lv.len[b] - 1;
    const sc = this.sc;
    const mb = this.mb;
    const end = base + n;
    for (let i = base + pos; i < end; i++) {
      sc[i] = sc[i + 1];
      mb[i] = mb[i + 1];
    }
    mb[end] = '';
    lv.len[b] = n;
    this.count--;
    if (n === 0 || (n < LOAD / 4 && lv.blk.length > 1)) {
      this.fixLeaf(li);
    } else if (lv.fenValid) {
      this.fenAdd(li, -1);
      if (pos === n) {
        lv.lastScore[li] = sc[end - 1];
        lv.lastMember[li] = mb[end - 1];
      }
    }
  }

  /** Removes positions from .. to - 1 of block b, shifting the rest down. */
  private cut(b: number, from: number, to: number): void {
    const lv = this.lv!;
    const base = b * CAP;
    const n = lv.len[b];
    const k = to - from;
    if (k <= 0) return;
    const sc = this.sc;
    const mb = this.mb;
    for (let i = base + to; i < base + n; i++) {
      sc[i - k] = sc[i];
      mb[i - k] = mb[i];
    }
    for (let i = base + n - k; i < base + n; i++) mb[i] = '';
    lv.len[b] = n - k;
  }

  /**
   * Removes the pairs of ranks start..end inclusive (clamped to the index): whole leaves in
   * between go at once, the two boundary leaves are cut. The caller reads the pairs first if it
   * needs them.
   */
  removeRange(start: number, end: number): void {
    const lv = this.lv;
    if (start < 0) start = 0;
    if (end >= this.count) end = this.count - 1;
    if (start > end) return;
    if (lv === null) {
      this.cutFlat(start, end + 1);
      return;
    }
    this.seek(start);
    const l1 = atLeaf;
    const p1 = atPos;
    this.seek(end);
    const l2 = atLeaf;
    const p2 = atPos;
    const blk = lv.blk;
    if (l1 === l2) {
      this.cut(blk[l1], p1, p2 + 1);
    } else {
      this.cut(blk[l1], p1, lv.len[blk[l1]]);
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
    // Unless merges left one leaf (the index is flat now).
    if (this.lv !== null) {
      this.lv.fenValid = false;
      this.compact();
    }
  }

  /** Drops leaf `li` when empty, or merges it into a neighbour when it became small. */
  private fixLeaf(li: number): void {
    const lv = this.lv;
    // Flat already: an earlier fix in the same removal left one leaf.
    if (lv === null) return;
    const blk = lv.blk;
    if (li >= blk.length) return;
    const len = lv.len;
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
    lv.fenValid = false;
    if (blk.length === 0) this.clear();
    else if (blk.length === 1) this.toFlat();
    else if (lv.free.length > 16 && lv.free.length > blk.length) this.compact();
  }

  /**
   * Copies the leaves into fresh arrays without the freed blocks, once most blocks are free
   * (after a set shrank): memory then follows the set down. Amortized: at least as many
   * removals as the copy moves came before it.
   */
  private compact(): void {
    const lv = this.lv;
    if (lv === null) return;
    const blk = lv.blk;
    if (lv.free.length <= 16 || lv.free.length <= blk.length) return;
    const sc: number[] = [];
    const mb: string[] = [];
    const len: number[] = [];
    for (let l = 0; l < blk.length; l++) {
      const base = blk[l] * CAP;
      const n = lv.len[blk[l]];
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
    lv.len = len;
    lv.free = [];
    lv.nblocks = blk.length;
  }

  private buildFen(): void {
    const lv = this.lv!;
    const blk = lv.blk;
    const len = lv.len;
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
    lv.fen = fen;
    lv.lastScore = ls;
    lv.lastMember = lm;
    lv.fenValid = true;
  }

  private fenAdd(li: number, delta: number): void {
    const lv = this.lv!;
    const fen = lv.fen;
    for (let j = li + 1; j < fen.length; j += j & -j) fen[j] += delta;
  }

  /** Number of pairs in leaves before `li`. */
  private before(li: number): number {
    const lv = this.lv!;
    if (!lv.fenValid) this.buildFen();
    let sum = 0;
    for (let j = li; j > 0; j -= j & -j) sum += lv.fen[j];
    return sum;
  }

  /** Sets atLeaf/atPos to the pair at `rank` (0 <= rank < size). */
  private seek(rank: number): void {
    const lv = this.lv!;
    const blk = lv.blk;
    const last = blk.length - 1;
    // The ends are the common cases (ZPOPMIN/MAX, ZRANGE 0 N, appends): no tree walk.
    if (rank < lv.len[blk[0]]) {
      atLeaf = 0;
      atPos = rank;
      return;
    }
    const tail = this.count - lv.len[blk[last]];
    if (rank >= tail) {
      atLeaf = last;
      atPos = rank - tail;
      return;
    }
    if (!lv.fenValid) this.buildFen();
    const fen = lv.fen;
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
    atLeaf = pos;
    atPos = rem;
  }

  /** 0-based rank of the pair, or -1 when it is not there. */
  rank(score: number, member: string): number {
    const lv = this.lv;
    if (lv === null) {
      const p = this.slotIn(0, this.count, score, member);
      return p < this.count && this.sc[p] === score && this.mb[p] === member ? p : -1;
    }
    const li = this.leafFor(score, member);
    if (li === lv.blk.length) return -1;
    const base = lv.blk[li] * CAP;
    const n = lv.len[lv.blk[li]];
    const p = this.slotIn(base, n, score, member);
    if (p >= base + n || this.sc[p] !== score || this.mb[p] !== member) return -1;
    return this.before(li) + p - base;
  }

  /**
   * Number of pairs that sort before the key (score, member): the rank the key would have.
   * With member '' and after=false that is the first rank with a score >= `score`.
   */
  rankOfKey(score: number, member: string): number {
    const lv = this.lv;
    if (lv === null) return this.slotIn(0, this.count, score, member);
    const li = this.leafFor(score, member);
    if (li === lv.blk.length) return this.count;
    const base = lv.blk[li] * CAP;
    return this.before(li) + this.slotIn(base, lv.len[lv.blk[li]], score, member) - base;
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
    return this.firstRank(true, pred as (x: string | number) => boolean);
  }

  /** First rank whose score satisfies the monotonic predicate `pred`. */
  private boundary(pred: (score: number) => boolean): number {
    return this.firstRank(false, pred as (x: string | number) => boolean);
  }

  /** First rank whose member (or score) satisfies the monotonic `pred`: the leaf by its last
   * key, then the slot within it. */
  private firstRank(byMember: boolean, pred: (x: string | number) => boolean): number {
    const slots: readonly (string | number)[] = byMember ? this.mb : this.sc;
    const lv = this.lv;
    if (lv === null) return bisect(slots, 0, this.count, pred);
    if (!lv.fenValid) this.buildFen();
    const lasts: readonly (string | number)[] = byMember ? lv.lastMember : lv.lastScore;
    const lo = bisect(lasts, 0, lasts.length, pred);
    if (lo === lasts.length) return this.count;
    const base = lv.blk[lo] * CAP;
    return this.before(lo) + bisect(slots, base, base + lv.len[lv.blk[lo]], pred) - base;
  }

  /** The score at `rank` (0 <= rank < size). */
  scoreAt(rank: number): number {
    const lv = this.lv;
    if (lv === null) return this.sc[rank];
    this.seek(rank);
    return this.sc[lv.blk[atLeaf] * CAP + atPos];
  }

  /** The member at `rank` (0 <= rank < size). */
  memberAt(rank: number): string {
    const lv = this.lv;
    if (lv === null) return this.mb[rank];
    this.seek(rank);
    return this.mb[lv.blk[atLeaf] * CAP + atPos];
  }

  /**
   * Calls fn(score, member) for ranks start..end inclusive, ascending (or descending when
   * `reverse`, from end down to start). Stops early when fn returns false. The callback may
   * not change the index.
   */
  each(start: number, end: number, fn: (score: number, member: string) => boolean | void, reverse = false): void {
    const lv = this.lv;
    if (start < 0) start = 0;
    if (end >= this.count) end = this.count - 1;
    if (start > end) return;
    const sc = this.sc;
    const mb = this.mb;
    if (lv === null) {
      if (!reverse) {
        for (let i = start; i <= end; i++) if (fn(sc[i], mb[i]) === false) return;
      } else {
        for (let i = end; i >= start; i--) if (fn(sc[i], mb[i]) === false) return;
      }
      return;
    }
    const blk = lv.blk;
    const len = lv.len;
    let left = end - start + 1;
    if (!reverse) {
      this.seek(start);
      let li = atLeaf;
      let pos = atPos;
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
      let li = atLeaf;
      let pos = atPos;
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
