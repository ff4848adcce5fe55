// SCAN cursors over insertion-ordered collections: the keyspace's KeyTable (core/key_table.ts,
// which keeps a Map's contract), and the Maps and Sets inside hashes, sets and sorted sets
// (HSCAN, SSCAN, ZSCAN).
//
// Design
// ------
// Redis's cursor is a hash-table bucket index, walked in reverse-binary order so that it stays
// meaningful when the table is resized; that is what makes its SCAN stateless. A JS Map shows no
// buckets, and its only order is insertion order, which has no index a cursor could hold. What a
// Map (or Set) does promise is that an iterator stays valid across inserts and deletes: an entry
// deleted before the iterator reaches it is skipped, and an entry added later is reached, since
// it is appended at the end. So the state lives on the server:
//
// 1. A cursor names a live iterator kept in a bounded cache (ScanCursors). A call takes the state
//    out under the cursor it was given, advances it COUNT entries, and stores it again under a
//    new random cursor. Cursors are single-use: one sent twice (a retry after a lost reply) is
//    unknown the second time, and unknown cursors restart (rule 3), so a lost reply costs
//    duplicates, never missing entries.
// 2. Termination. An iteration ends when its iterator is exhausted, or once it has produced as
//    many entries as the collection held when it started (`left`). Entries present at the start
//    precede, in iteration order, every entry added later (a re-added key is a new entry at the
//    end), so once that many entries have been produced no entry present at the start is left.
//    Without this bound, a collection that gains as many entries between calls as a call reads
//    would never finish, where Redis's bounded table always does.
// 3. A cursor that is not in the cache (evicted, issued before a restart, issued for another
//    collection, or made up) restarts the iteration from the beginning: keys may come twice,
//    which SCAN allows, and the new iteration terminates by rule 2 unless evicted again (rule 5).
// 4. The iterator is kept one entry ahead (`pending`), so the call that reads the last entry
//    already answers cursor 0, as Redis does when the rest of its table is empty. The caller
//    skips entries that are gone by the time they are returned.
//
// The guarantee is Redis's: a full iteration returns every entry present from its start to its
// end at least once; entries added or removed meanwhile may or may not be returned; an entry
// may be returned more than once. COUNT is the number of entries read per call, before the
// caller's MATCH and TYPE filters, so a call may return fewer, even none, with a nonzero cursor.
//
// 5. Bounds and eviction. A live iterator keeps its collection (and, after the collection has
//    been resized, its old table) in memory, so an abandoned SCAN must not hold it forever:
//    states unused for MAX_IDLE_MS are dropped, FLUSHDB drops those of the flushed Map at once
//    (forget), and there are at most MAX_CURSORS. When full, the least recently used state goes
//    if it has been unused for STALE_MS (probably abandoned). Otherwise every state is in active
//    use, and plain LRU would be the worst choice: with more interleaved iterations than slots,
//    each would be evicted just before its next call and restart forever. So the state that has
//    read the fewest entries goes, the newcomer first on a tie; the iterations furthest along
//    finish and free their slots for the others, and every iteration terminates.
//
// Cursor numbers are random in [1, 2^53): a stale cursor from before a restart practically never
// names another client's iteration, and even then the state must belong to the same collection.

/** What SCAN can walk: a Map's or Set's keys, in insertion order. */
export interface Scannable<T> {
  readonly size: number;
  keys(): Iterator<T>;
}

interface ScanState {
  source: Scannable<unknown>;
  it: Iterator<unknown>;
  /** Entries still owed before the iteration may end (rule 2). */
  left: number;
  /** Entries read so far: the iteration's progress, which eviction protects (rule 5). */
  read: number;
  /** The entry read ahead (rule 4), valid when hasPending. */
  pending: unknown;
  hasPending: boolean;
  /** Last use, in the caller's clock (ms). */
  used: number;
}

const MAX_CURSORS = 1024;
const MAX_IDLE_MS = 10 * 60 * 1000;
const STALE_MS = 5000;
const CURSOR_SPACE = 2 ** 53;
/** parseCursor's answer for a valid cursor that this server never hands out (>= 2^53). */
export const FOREIGN_CURSOR = -1;

export interface ScanCursorsOptions {
  maxCursors?: number;
  maxIdleMs?: number;
  staleMs?: number;
  /** Source of cursor numbers (tests make it predictable). */
  random?: () => number;
}

export class ScanCursors {
  private readonly states = new Map<number, ScanState>();
  private readonly max: number;
  private readonly maxIdle: number;
  private readonly stale: number;
  private readonly random: () => number;

  constructor(opts: ScanCursorsOptions = {}) {
    this.max = Math.max(1, opts.maxCursors ?? MAX_CURSORS);
    this.maxIdle = opts.maxIdleMs ?? MAX_IDLE_MS;
    this.stale = opts.staleMs ?? STALE_MS;
    this.random = opts.random ?? Math.random;
  }

  /** Iterations in progress (cached states). */
  get size(): number {
    return this.states.size;
  }

  /**
   * One SCAN step over `source`: continues the iteration named by `cursor` (0, or any cursor not
   * in the cache, starts one), appends up to `count` entries to `out`, and returns the cursor to
   * send back, '0' when the iteration is complete. `now` (ms) ages the cache. Entries are not
   * filtered: the caller drops those that no longer exist, and applies MATCH and TYPE.
   */
  step<T>(source: Scannable<T>, cursor: number, count: number, out: T[], now: number): string {
    let st = cursor > 0 ? this.states.get(cursor) : undefined;
    if (st !== undefined) this.states.delete(cursor);
    if (st === undefined || st.source !== source) {
      st = {
        source, it: source.keys(), left: source.size, read: 0, pending: undefined, hasPending: false, used: now,
      };
    }
    let n = 0;
    if (st.hasPending) {
      out.push(st.pending as T);
      st.pending = undefined;
      st.hasPending = false;
      n++;
    }
    const it = st.it as Iterator<T>;
    while (n < count && st.left > 0) {
      const r = it.next();
      if (r.done) {
        st.left = 0;
        break;
      }
      st.left--;
      st.read++;
      out.push(r.value);
      n++;
    }
    if (st.left > 0) {
      const r = it.next();
      if (r.done) {
        st.left = 0;
      } else {
        st.left--;
        st.read++;
        st.pending = r.value;
        st.hasPending = true;
      }
    }
    if (!st.hasPending) return '0';
    st.used = now;
    return String(this.store(st, now));
  }

  /** Drops every iteration over `source` (the keyspace calls this when it flushes a Map). */
  forget(source: object): void {
    if (this.states.size === 0) return;
    for (const [id, st] of this.states) if (st.source === source) this.states.delete(id);
  }

  clear(): void {
    this.states.clear();
  }

  /** Caches `st` under a new cursor, evicting as rule 5 says; the cursor is returned even when
   * `st` itself is the one left out (its next call then restarts). */
  private store(st: ScanState, now: number): number {
    let id: number;
    do id = Math.floor(this.random() * CURSOR_SPACE);
    while (id === 0 || this.states.has(id));
    // Map order is least recently used first, since a state is deleted and re-added on each use.
    for (const [old, s] of this.states) {
      if (now - s.used <= this.maxIdle) break;
      this.states.delete(old);
    }
    if (this.states.size >= this.max) {
      const [lruId, lru] = this.states.entries().next().value as [number, ScanState];
      if (now - lru.used > this.stale) {
        this.states.delete(lruId);
      } else {
        let victim = 0;
        let least = st.read;
        for (const [old, s] of this.states) {
          if (s.read < least) {
            least = s.read;
            victim = old;
          }
        }
        if (victim === 0) return id;
        this.states.delete(victim);
      }
    }
    this.states.set(id, st);
    return id;
  }
}

const U64_MAX = 18446744073709551615n;

/**
 * A SCAN cursor as Redis reads it (strtoul base 10 in parseScanCursorOrReply): an optional sign
 * ('-' negates modulo 2^64), digits, and nothing after them but an optional NUL; a leading blank
 * or a value above 2^64-1 is invalid; an empty string (or one starting with NUL) is cursor 0.
 * Returns the cursor, FOREIGN_CURSOR for a valid one of 2^53 or more (never handed out here), or
 * null when invalid (`ERR invalid cursor`).
 */
export function parseCursor(s: string): number | null {
  const n = s.length;
  if (n === 0) return 0;
  const c0 = s.charCodeAt(0);
  if (c0 === 32 || (c0 >= 9 && c0 <= 13)) return null;
  let i = 0;
  let neg = false;
  if (c0 === 43 /* + */ || c0 === 45 /* - */) {
    neg = c0 === 45;
    i = 1;
  }
  const start = i;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  // No digits: strtoul leaves its end pointer at the start, so only an empty C string passes.
  if (i === start) return c0 === 0 ? 0 : null;
  if (i < n && s.charCodeAt(i) !== 0) return null;
  if (i - start <= 15) {
    const v = +s.slice(start, i);
    if (!neg || v === 0) return v;
    return FOREIGN_CURSOR; // 2^64 - v
  }
  let v = BigInt(s.slice(start, i));
  if (v > U64_MAX) return null;
  if (neg && v !== 0n) v = U64_MAX + 1n - v;
  return v < BigInt(CURSOR_SPACE) ? Number(v) : FOREIGN_CURSOR;
}
