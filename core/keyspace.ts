// The databases: keys, values, expiry, and the events other parts listen to.
//
// - A key maps to an Entry {value, expireAt, lru}. expireAt is an absolute Unix time in ms, 0 for
//   none; keys with a TTL are also in the database's `expires` map, which the active expiry cycle
//   walks, as Redis keeps a separate expires dict.
// - Time comes from an injected clock. `time` is fixed per command (and per MULTI/EXEC), so a
//   command sees one consistent "now", and tests drive expiry without sleeping.
// - Expiry is lazy (a lookup finds the key expired and deletes it) and active (activeExpireCycle,
//   Redis's adaptive sampling: look at up to 20 keys with a TTL per database, go on while more than
//   10% of them were expired, and stop when the time budget of the tick is spent).
// - Mutations call `modified` (WATCH, dirty counter) and `notify` (keyspace notifications);
//   deletions by expiry go through `hooks.expired` so the server can propagate a DEL.

import { AHEAD, aheadStrings, aheadValues, hashKey, KeyTable } from './key_table.ts';
import { bytesToStr } from './bytes.ts';
import { ScanCursors } from './scan.ts';

/** A string value that is being edited in place (APPEND, SETRANGE, SETBIT): sds-like bytes. */
export class MutableString {
  buf: Uint8Array;
  len: number;
  /** Redis made it an embstr without trying the int encoding (an integer-looking INCRBYFLOAT
   * result): OBJECT ENCODING says "embstr" until it is edited. */
  embedded = false;
  constructor(buf: Uint8Array, len: number) {
    this.buf = buf;
    this.len = len;
  }
  toString(): string {
    return bytesToStr(this.buf, 0, this.len);
  }
  /** Makes room for `n` bytes, growing greedily as sds does so repeated appends stay O(1). */
  reserve(n: number): void {
    if (n <= this.buf.length) return;
    const cap = n < 1024 * 1024 ? n * 2 : n + 1024 * 1024;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
}

/** Values of the other types implement this; `type` is what TYPE prints. */
export interface ObjectValue {
  readonly type: 'list' | 'set' | 'zset' | 'hash' | 'stream';
  /** A deep copy that shares nothing mutable with this value (COPY). */
  dup(): ObjectValue;
  /** Estimated bytes of the value for MEMORY USAGE, looking at up to `samples` elements and
   * extrapolating (see core/info.ts for the model strings use). */
  memoryUsage?(samples: number): number;
  /** Reads ahead for looking up the members or fields cmds[at[k]][2], k in [from, to) (a
   * pipeline's SADD, HSET, SISMEMBER, HGET ...; see Server.readAhead); changes nothing. Where
   * arg2[at[k]] >= 0 that argument's bytes are also bytes[arg2[at[k]], + its length). */
  prefetch?(cmds: readonly (readonly string[])[], at: Int32Array, from: number, to: number, bytes: Uint8Array, arg2: Int32Array): void;
}

export type Value = string | MutableString | ObjectValue;

export function typeName(v: Value): string {
  return typeof v === 'string' || v instanceof MutableString ? 'string' : v.type;
}

export function isString(v: Value): v is string | MutableString {
  return typeof v === 'string' || v instanceof MutableString;
}

/** A string value as a byte string. */
export function stringOf(v: string | MutableString): string {
  return typeof v === 'string' ? v : v.toString();
}

export function stringLength(v: string | MutableString): number {
  return typeof v === 'string' ? v.length : v.len;
}

export interface Entry {
  value: Value;
  /** Absolute expiry in Unix ms, 0 when the key does not expire. */
  expireAt: number;
  /** Last access in LRU-clock seconds (or LFU data when maxmemory-policy is an LFU one). */
  lru: number;
  /** Snapshot epoch: an active snapshot has taken (or must skip) this entry when it is at least
   * the snapshot's epoch (see "Snapshots" below). New entries start at the latest epoch. */
  snap: number;
  /** Bytes this key counts for in the used-memory estimate while maxmemory is set (Database.mem,
   * core/eviction.ts); 0 while the estimate is not kept, -1 once the key is deleted (the
   * estimate may still hold the entry among the keys changed since its last update). */
  mem: number;
}

/**
 * A new entry. An object literal rather than a class instance: V8 watches how many objects of
 * a literal's allocation site survive, and as nearly every entry outlives its first garbage
 * collections it allocates them straight in the old generation (pretenuring) instead of
 * copying each one twice, which loading a million keys spends most of its time on.
 */
export function newEntry(value: Value, lru: number): Entry {
  return { value, expireAt: 0, lru, snap: snapshotEpoch, mem: 0 };
}

// -------------------------------------------------------------------------------------------------
// Snapshots: a point-in-time view of every database without fork()
//
// BGSAVE and the AOF rewrite serialize the dataset as it was at one instant T while clients keep
// writing, across many event-loop turns. Redis gets that view from fork() and the kernel's
// copy-on-write pages; here the keyspace does the copy-on-write itself, per key:
//
// - Keyspace.beginSnapshot(observer) opens a new epoch E (a process-wide counter, so several
//   keyspaces in one process never confuse their entries). Entries made from then on get
//   snap = E, so the snapshot skips them: they did not exist at T.
// - The snapshot walks each database's table of keys (a KeyTable) as it was at T (it keeps the
//   tables it found: FLUSHALL and SWAPDB swap whole tables, so what it walks stays T's content,
//   and it tells the databases apart by table identity, not by index). For each entry with
//   snap < E it serializes the entry and sets snap = E.
// - Before anything changes an entry with snap < E (its value in place or replaced, its TTL, or
//   its removal: lookupWrite, set, overwrite, update, add, delete, setExpire, persist, detach,
//   expireNow), the database calls observer.beforeWrite(db, key, entry) while the entry still
//   holds T's state; the observer must take it then (serialize it) and set snap = E. Code that
//   edits an entry it did not get from lookupWrite calls Database.willChange(key, entry) first.
// - Keys added during the snapshot land at the end of the table, where the walk meets them with
//   snap >= E and skips them; a key deleted and re-added is a new entry, skipped the same way.
//
// So the file holds every key of T exactly once, with T's value and TTL; the extra memory is
// what the observer holds for keys written ahead of the walk (bounded by the writes made
// meanwhile); and with no snapshot active the cost is one null check per write lookup. One
// snapshot per keyspace at a time, as Redis runs one child at a time.

/** Watches changes during a snapshot (see above). */
export interface SnapshotObserver {
  /**
   * `e`, live under `key` in `db`, is about to change or go, and the snapshot has not taken it
   * yet (e.snap < the epoch). Take it now, synchronously, and set e.snap to the epoch.
   */
  beforeWrite(db: Database, key: string, e: Entry): void;
}

/** Keys below which Database.prefetch() reads nothing ahead (index, entries and keys fit in
 * the CPU's caches; reading ahead only costs a second hash per key). */
const PREFETCH_MIN = 8192;
const aheadHashes = new Int32Array(AHEAD);


/** The latest snapshot epoch of the process; new entries are stamped with it. */
let snapshotEpoch = 0;

/** The events the keyspace emits; the server wires them (a fixed list, not an event bus). */
export interface KeyspaceHooks {
  /** A key was removed because its TTL passed (the server propagates DEL and notifies). */
  expired(db: Database, key: string, value: Value): void;
  /** A key was changed: WATCH and client-side caching listen. */
  modified(db: Database, key: string): void;
  /** A keyspace notification: class letter (Redis's notify-keyspace-events) and event name. */
  notify(cls: string, event: string, key: string, db: Database): void;
  /** A list, sorted set or stream was stored at `key`: clients blocked on it may be served. */
  ready(db: Database, key: string): void;
  /** Every key of `db` is about to go (FLUSHDB, FLUSHALL, a full sync) or, with `replacement`, to
   * be exchanged for that database's keys (SWAPDB): WATCH and the memory estimate listen. */
  emptying(db: Database, replacement: Database | null): void;
  /** A value was freed the way Redis frees one lazily (core/lazyfree.ts counts it). */
  lazyFreed(value: Value): void;
}

/**
 * The notify and modified hooks while nothing listens (no notification class selected; no WATCH
 * and no memory estimate): core/pubsub.ts and core/server.ts install these no-ops then, and the
 * write paths compare a hook with them instead of calling it, so an unused feature costs a
 * comparison per write, not a call.
 */
export const noNotify = (): void => {};
export const noModified = (): void => {};

const noHooks: KeyspaceHooks = {
  expired() {}, modified: noModified, notify: noNotify, ready() {}, emptying() {}, lazyFreed() {},
};

/** LFU access counting (core/eviction.ts), set on the keyspace while maxmemory-policy is an LFU one. */
export interface LfuCounter {
  /** The access field of a key created at `time` (ms). */
  init(time: number): number;
  /** The access field after an access at `time` to a key whose field was `lru`. */
  access(lru: number, time: number): number;
}

/** Values that blocking commands wait for (Redis signals these in dbAdd). */
function isWaitable(v: Value): boolean {
  return typeof v === 'object' && !(v instanceof MutableString) &&
    (v.type === 'list' || v.type === 'zset' || v.type === 'stream');
}

/** A stream leaving its key (deleted or replaced) releases its XREADGROUP waiters: the keyspace
 * signals the key as Redis's signalDeletedKeyAsReady does, and core/blocking.ts sorts it out. */
function isStream(v: Value): boolean {
  return typeof v === 'object' && !(v instanceof MutableString) && v.type === 'stream';
}

export interface KeyspaceOptions {
  databases: number;
  clock?: () => number;
}

export class Keyspace {
  readonly dbs: Database[];
  /** Entries taken out to be put back elsewhere so far (Database.detach: RENAME, MOVE ...). */
  detaches = 0;
  clock: () => number;
  /** The time commands see: set once per command by the server. */
  time: number;
  hooks: KeyspaceHooks = noHooks;
  /** True while some client is blocked on a key (core/blocking.ts keeps it current). */
  hasWaiters = false;
  /** Set while maxmemory-policy is an LFU one: Entry.lru then holds LFU data (core/eviction.ts). */
  lfu: LfuCounter | null = null;
  /** Changes since the last save (Redis's server.dirty). */
  dirty = 0;
  /** True on a replica: expired keys read as missing but are deleted only by the master's DEL. */
  replicaMode = false;
  /** True during CLIENT PAUSE: like a replica, expired keys read as missing but are not deleted. */
  paused = false;
  /** True while a persistence plugin replays commands at load: nothing is expired then (Redis's
   * keyIsExpired answers no while loading), so a command logged while its key was alive finds it. */
  loading = false;
  /** The active snapshot's observer and epoch (see "Snapshots" above); null when none. */
  snapshot: SnapshotObserver | null = null;
  snapEpoch = 0;
  /** lazyfree-lazy-server-del (kept current by the server): whether values that delete() and
   * overwrites drop are freed lazily, as Redis's dbDelete and dbOverwrite decide. */
  lazyServerDel = false;
  /** Whether new keys and read misses are reported (notify-keyspace-events n and m, set by
   * core/pubsub.ts): off, these hot paths skip the notify call. */
  notifyNew = false;
  notifyMiss = false;
  stats = {
    hits: 0, misses: 0, expired: 0, expiredStalePerc: 0, expiredTimeCapReached: 0,
    /** Time spent in activeExpireCycle, ms (INFO expire_cycle_cpu_milliseconds). */
    expireCycleTimeUsed: 0,
    /** Values Redis would have freed in the background (core/lazyfree.ts). */
    lazyfreedObjects: 0,
  };
  /** SCAN cursors of every database (and later of HSCAN, SSCAN, ZSCAN): core/scan.ts. */
  readonly scans = new ScanCursors();
  /** activeExpireCycle's state between calls: the next database, and whether it ran out of time. */
  private expireDb = 0;
  private expireTimeLimitExit = false;

  constructor(opts: KeyspaceOptions) {
    this.clock = opts.clock ?? Date.now;
    this.time = this.clock();
    this.dbs = [];
    for (let i = 0; i < opts.databases; i++) this.dbs.push(new Database(this, i));
  }

  /**
   * Starts a snapshot: returns its epoch E and the databases' tables as they are now (index i is
   * database i at T). Entries with snap < E are T's; `observer` hears of them before they change.
   * Throws when a snapshot is already active.
   */
  beginSnapshot(observer: SnapshotObserver): { epoch: number; maps: KeyTable<Entry>[] } {
    if (this.snapshot !== null) throw new Error('A snapshot is already in progress');
    this.snapshot = observer;
    this.snapEpoch = ++snapshotEpoch;
    return { epoch: this.snapEpoch, maps: this.dbs.map((db) => db.keys) };
  }

  /** Ends the active snapshot (finished or abandoned); writes stop calling its observer. */
  endSnapshot(observer: SnapshotObserver): void {
    if (this.snapshot === observer) this.snapshot = null;
  }

  /** Re-reads the clock; the server calls this before each command. */
  tick(): number {
    this.time = this.clock();
    return this.time;
  }

  /**
   * LRU clock in seconds: the access field of a key created now. With an LFU policy, the minutes
   * and initial counter Redis gives a new object instead.
   */
  lruClock(): number {
    return this.lfu === null ? Math.floor(this.time / 1000) : this.lfu.init(this.time);
  }

  /** The access field of a key accessed now whose field was `lru`: the LRU clock, or with an LFU
   * policy the counter decayed and logarithmically incremented (Redis's updateLFU). */
  accessed(lru: number): number {
    return this.lfu === null ? Math.floor(this.time / 1000) : this.lfu.access(lru, this.time);
  }

  get keyCount(): number {
    let n = 0;
    for (const db of this.dbs) n += db.keys.size;
    return n;
  }

  /** SWAPDB: exchanges the contents of two databases (clients keep their db numbers). */
  swap(a: number, b: number): void {
    const da = this.dbs[a];
    const dbb = this.dbs[b];
    this.hooks.emptying(da, dbb);
    this.hooks.emptying(dbb, da);
    const keys = da.keys;
    const expires = da.expires;
    da.keys = dbb.keys;
    da.expires = dbb.expires;
    dbb.keys = keys;
    dbb.expires = expires;
    const avgTtl = da.avgTtl;
    da.avgTtl = dbb.avgTtl;
    dbb.avgTtl = avgTtl;
    const mem = da.mem;
    da.mem = dbb.mem;
    dbb.mem = mem;
    da.resetIterators();
    dbb.resetIterators();
  }

  /**
   * One slow active-expiry cycle (Redis's activeExpireCycle in its SLOW mode, which serverCron
   * runs hz times a second). Up to 16 databases a call, resuming after the last one visited so
   * that a database full of expiring keys cannot starve the others, or all of them when the
   * previous call ran out of time. In each, sample up to 20 keys with a TTL (a circular walk of
   * `expires`), delete the expired ones, and sample again while more than 10% of a sample was
   * expired. `effort` (active-expire-effort, 1-10) raises the sample size by 5 and lowers the
   * acceptable stale share by 1 point per step, as Redis does. Every 16 samples the time spent
   * is checked against `budgetMs`, measured with `now` (a monotonic timer); expiry itself is
   * judged with the keyspace clock. Updates each database's avgTtl and the expiry stats.
   */
  activeExpireCycle(budgetMs: number, now: () => number = this.clock, effort = 1): void {
    if (this.replicaMode || this.paused) return;
    const extra = Math.min(9, Math.max(0, Math.floor(effort) - 1));
    const perLoop = 20 + 5 * extra;
    const acceptableStale = 10 - extra;
    const start = now();
    const ndb = this.dbs.length;
    const dbsPerCall = this.expireTimeLimitExit ? ndb : Math.min(16, ndb);
    this.expireTimeLimitExit = false;
    let iteration = 0;
    let totalSampled = 0;
    let totalExpired = 0;
    for (let j = 0; j < dbsPerCall && !this.expireTimeLimitExit; j++) {
      const db = this.dbs[this.expireDb];
      this.expireDb = (this.expireDb + 1) % ndb;
      let sampled = 0;
      let expired = 0;
      do {
        iteration++;
        const size = db.expires.size;
        if (size === 0) {
          db.avgTtl = 0;
          break;
        }
        const t = this.clock();
        this.time = t;
        const num = Math.min(size, perLoop);
        sampled = 0;
        expired = 0;
        let ttlSum = 0;
        let ttlSamples = 0;
        while (sampled < num) {
          const key = db.nextExpiring();
          if (key === undefined) break;
          const at = db.expires.get(key)!.expireAt;
          if (at < t) {
            db.expireNow(key);
            expired++;
          } else if (at > t) {
            ttlSum += at - t;
            ttlSamples++;
          }
          sampled++;
        }
        totalSampled += sampled;
        totalExpired += expired;
        if (ttlSamples > 0) {
          // A running average: 2% of this sample, 98% of the previous estimate.
          const avg = Math.floor(ttlSum / ttlSamples);
          if (db.avgTtl === 0) db.avgTtl = avg;
          db.avgTtl = Math.floor(db.avgTtl / 50) * 49 + Math.floor(avg / 50);
        }
        if ((iteration & 15) === 0 && now() - start > budgetMs) {
          this.expireTimeLimitExit = true;
          this.stats.expiredTimeCapReached++;
          break;
        }
      } while (sampled === 0 || Math.floor((expired * 100) / sampled) > acceptableStale);
    }
    this.stats.expireCycleTimeUsed += now() - start;
    // The estimated share of logically expired keys still in memory: 5% this cycle, 95% before.
    const perc = totalSampled > 0 ? totalExpired / totalSampled : 0;
    this.stats.expiredStalePerc = perc * 0.05 + this.stats.expiredStalePerc * 0.95;
  }
}

export class Database {
  readonly ks: Keyspace;
  readonly id: number;
  keys = new KeyTable<Entry>();
  expires = new Map<string, Entry>();
  /** Average TTL in ms of the keys sampled by active expiry (INFO keyspace avg_ttl). */
  avgTtl = 0;
  /** The sum of its entries' Entry.mem: every entry leaving the database takes its share along. */
  mem = 0;
  private expireIter: Iterator<string> | null = null;
  /** RANDOMKEY's position in its circular walk of the keys. */
  private randomIter: Iterator<string> | null = null;

  constructor(ks: Keyspace, id: number) {
    this.ks = ks;
    this.id = id;
  }

  get size(): number {
    return this.keys.size;
  }

  /**
   * Reads ahead for the keys keys[from], keys[from + step] ... before `to` (see
   * KeyTable.prefetch): commands with many keys call it first so that the cache misses of their
   * lookups overlap. The entries are touched too; nothing changes.
   */
  prefetch(keys: readonly string[], from: number, to: number, step: number): void {
    // One key: its lookup alone waits on nothing more.
    if (to - from <= step || this.keys.size < PREFETCH_MIN) return;
    let n = 0;
    for (let i = from; i < to && n < AHEAD; i += step) aheadHashes[n++] = hashKey(keys[i]);
    this.prefetchHashes(aheadHashes, n);
  }

  /**
   * Reads ahead for the keys of hashes[0, n) (hashKey of each; see KeyTable.prefetch), and
   * touches their entries. Returns what was found: at j the entry the j-th key may have (a
   * candidate whose hash tag matched), or undefined.
   */
  prefetchHashes(hashes: Int32Array, n: number, memoKeys: readonly string[] | null = null, memoAt: Int32Array | null = null): (Entry | undefined)[] {
    // New arrays each time, not shared ones (see aheadValues): the write barrier's look at each
    // stored object's page header was a cache and TLB miss of its own per key in a big keyspace
    // (9% of INCR -P 16's read-ahead).
    const found = aheadValues<Entry>();
    const names = aheadStrings();
    this.keys.prefetch(hashes, n, found, names);
    // Each key string and entry in one loop: both misses of every key in flight at once.
    let touched = 0;
    for (let i = 0; i < n; i++) {
      touched += names[i].length;
      const e = found[i];
      if (e !== undefined) touched += e.lru;
    }
    this.keys.touched = touched;
    if (memoKeys !== null && memoAt !== null) {
      // The keys found at their first probe, under the position of their command (LookupMemo).
      const m = this.keys.newMemo();
      for (let j = 0; j < n; j++) {
        const k = memoKeys[j];
        if (found[j] !== undefined && names[j] === k) {
          m.keys[memoAt[j]] = k;
          m.vals[memoAt[j]] = found[j];
        }
      }
    }
    return found;
  }

  /** Whether reading ahead for keys pays: below PREFETCH_MIN keys the table is in cache. */
  get prefetches(): boolean {
    return this.keys.size >= PREFETCH_MIN;
  }

  /** The entry of a live key, deleting it first if it expired; no access-time update. */
  peek(key: string): Entry | undefined {
    const e = this.keys.get(key);
    if (e === undefined) return undefined;
    // A key is expired once the time is past its expiry (Redis's keyIsExpired: now > when).
    if (e.expireAt !== 0 && e.expireAt < this.ks.time) {
      if (this.ks.loading) return e;
      if (!this.ks.replicaMode && !this.ks.paused) this.expireNow(key);
      return undefined;
    }
    return e;
  }

  /** Lookup for reading: counts keyspace hits/misses and touches the LRU clock. */
  lookupRead(key: string): Entry | undefined {
    const e = this.peek(key);
    if (e === undefined) {
      this.ks.stats.misses++;
      if (this.ks.notifyMiss) this.ks.hooks.notify('m', 'keymiss', key, this);
      return undefined;
    }
    this.ks.stats.hits++;
    e.lru = this.ks.accessed(e.lru);
    return e;
  }

  /** Lookup for reading that leaves the access time alone (TYPE, TTL, EXISTS, OBJECT). */
  lookupReadNoTouch(key: string): Entry | undefined {
    const e = this.peek(key);
    if (e === undefined) {
      this.ks.stats.misses++;
      if (this.ks.notifyMiss) this.ks.hooks.notify('m', 'keymiss', key, this);
    } else this.ks.stats.hits++;
    return e;
  }

  /** Lookup for writing: touches the LRU clock, no hit/miss counting. */
  lookupWrite(key: string): Entry | undefined {
    const e = this.peek(key);
    if (e !== undefined) {
      if (this.ks.snapshot !== null) this.willChange(key, e);
      e.lru = this.ks.accessed(e.lru);
    }
    return e;
  }

  /** Call before changing an entry not obtained from lookupWrite: an active snapshot takes it. */
  willChange(key: string, e: Entry): void {
    const s = this.ks.snapshot;
    if (s !== null && e.snap < this.ks.snapEpoch) s.beforeWrite(this, key, e);
  }

  /**
   * Sets `key` to `value` (SET semantics): an existing key keeps its TTL only with `keepTtl`.
   * Marks the key modified; notifications are the caller's.
   */
  set(key: string, value: Value, keepTtl = false): Entry {
    let e = this.keys.get(key);
    if (e === undefined) {
      e = newEntry(value, this.ks.lruClock());
      this.keys.set(key, e);
      if (this.ks.notifyNew) this.ks.hooks.notify('n', 'new', key, this);
    } else {
      if (this.ks.snapshot !== null) this.willChange(key, e);
      if (this.ks.hasWaiters && isStream(e.value)) this.ks.hooks.ready(this, key);
      if (this.ks.lazyServerDel && e.value !== value) this.ks.hooks.lazyFreed(e.value);
      e.value = value;
      // With LFU the key keeps its counter, as Redis's dbSetValue keeps the old object's.
      if (this.ks.lfu === null) e.lru = this.ks.lruClock();
      if (!keepTtl && e.expireAt !== 0) {
        e.expireAt = 0;
        this.expires.delete(key);
      }
    }
    this.modified(key);
    if (this.ks.hasWaiters && isWaitable(value)) this.ks.hooks.ready(this, key);
    return e;
  }

  /**
   * SET semantics in one lookup for the common case: the key ends up holding `value` with no
   * TTL. An expired key is first removed the usual way (expired event, propagated DEL).
   */
  overwrite(key: string, value: Value): void {
    const e = this.keys.get(key);
    if (e === undefined || (e.expireAt !== 0 && e.expireAt < this.ks.time && !this.ks.loading)) {
      // Deletes the expired key (a replica keeps it until its master's DEL: add() replaces it).
      // An absent key needs no second lookup.
      let kept = false;
      if (e !== undefined) {
        this.peek(key);
        kept = this.keys.has(key);
      }
      if (kept || isWaitable(value)) this.add(key, value);
      else {
        this.keys.set(key, newEntry(value, this.ks.lruClock()));
        if (this.ks.notifyNew) this.ks.hooks.notify('n', 'new', key, this);
        this.modified(key);
      }
      return;
    }
    if (this.ks.snapshot !== null) this.willChange(key, e);
    if (this.ks.hasWaiters && isStream(e.value)) this.ks.hooks.ready(this, key);
    if (this.ks.lazyServerDel && e.value !== value) this.ks.hooks.lazyFreed(e.value);
    e.value = value;
    // SET's lookupKeyWrite counts as an access; the key keeps its LFU counter.
    e.lru = this.ks.accessed(e.lru);
    if (e.expireAt !== 0) {
      e.expireAt = 0;
      this.expires.delete(key);
    }
    this.modified(key);
  }

  /** Replaces the value of a live entry found by a lookup, keeping its TTL. */
  update(key: string, e: Entry, value: Value): void {
    if (this.ks.snapshot !== null) this.willChange(key, e);
    if (this.ks.hasWaiters && isStream(e.value)) this.ks.hooks.ready(this, key);
    if (this.ks.lazyServerDel && e.value !== value) this.ks.hooks.lazyFreed(e.value);
    e.value = value;
    this.modified(key);
    if (this.ks.hasWaiters && isWaitable(value)) this.ks.hooks.ready(this, key);
  }

  /** Adds a key known not to exist (or to be expired). */
  add(key: string, value: Value): Entry {
    const e = newEntry(value, this.ks.lruClock());
    const old = this.keys.get(key);
    if (old !== undefined) {
      if (this.ks.snapshot !== null) this.willChange(key, old);
      if (old.expireAt !== 0) this.expires.delete(key);
      this.mem -= old.mem;
      old.mem = -1;
      if (this.ks.hasWaiters && isStream(old.value)) this.ks.hooks.ready(this, key);
    }
    this.keys.set(key, e);
    if (this.ks.notifyNew) this.ks.hooks.notify('n', 'new', key, this);
    this.modified(key);
    if (this.ks.hasWaiters && isWaitable(value)) this.ks.hooks.ready(this, key);
    return e;
  }

  /**
   * Deletes `key`; true when it existed. Marks it modified. `lazy` says whether its value is
   * freed lazily (INFO lazyfreed_objects): the caller's choice, as Redis's dbAsyncDelete or
   * dbSyncDelete; by default lazyfree-lazy-server-del's, as Redis's dbDelete.
   */
  delete(key: string, lazy = this.ks.lazyServerDel): boolean {
    const e = this.keys.get(key);
    if (e === undefined) return false;
    if (lazy) this.ks.hooks.lazyFreed(e.value);
    if (this.ks.snapshot !== null) this.willChange(key, e);
    this.keys.delete(key);
    if (e.expireAt !== 0) this.expires.delete(key);
    this.mem -= e.mem;
    e.mem = -1;
    if (this.ks.hasWaiters && isStream(e.value)) this.ks.hooks.ready(this, key);
    this.modified(key);
    return true;
  }

  /** Sets an absolute expiry (ms) on an existing entry. */
  setExpire(key: string, e: Entry, at: number): void {
    if (this.ks.snapshot !== null) this.willChange(key, e);
    e.expireAt = at;
    this.expires.set(key, e);
  }

  /** Removes the TTL; true when there was one. */
  persist(key: string, e: Entry): boolean {
    if (e.expireAt === 0) return false;
    if (this.ks.snapshot !== null) this.willChange(key, e);
    e.expireAt = 0;
    this.expires.delete(key);
    return true;
  }

  /**
   * Puts an existing entry, TTL included, under `key`, which must be absent. No change signal:
   * RENAME, MOVE and COPY signal and count the change once themselves, as Redis does.
   */
  attach(key: string, e: Entry): void {
    this.keys.set(key, e);
    if (e.expireAt !== 0) this.expires.set(key, e);
    this.mem += e.mem;
    if (this.ks.notifyNew) this.ks.hooks.notify('n', 'new', key, this);
  }

  /**
   * Removes `key` and returns its entry (undefined when absent), without change signals. A
   * command that drops the entry (RENAME's or COPY's target) passes `drops`: the value then goes
   * as under delete().
   */
  detach(key: string, drops = false): Entry | undefined {
    const e = this.keys.get(key);
    if (e === undefined) return undefined;
    if (drops && this.ks.lazyServerDel) this.ks.hooks.lazyFreed(e.value);
    if (this.ks.snapshot !== null) this.willChange(key, e);
    this.keys.delete(key);
    if (e.expireAt !== 0) this.expires.delete(key);
    this.mem -= e.mem;
    // Keeps its share for attach(); the estimate checks entries it holds after any detach.
    this.ks.detaches++;
    if (this.ks.hasWaiters && isStream(e.value)) this.ks.hooks.ready(this, key);
    return e;
  }

  /** Records a change to `key`: dirty counter and WATCH. */
  modified(key: string): void {
    this.ks.dirty++;
    const hooks = this.ks.hooks;
    if (hooks.modified !== noModified) hooks.modified(this, key);
  }

  /** Deletes an expired key and reports it (stats, hooks). */
  expireNow(key: string): void {
    const e = this.keys.get(key);
    if (e === undefined) return;
    if (this.ks.snapshot !== null) this.willChange(key, e);
    this.keys.delete(key);
    this.expires.delete(key);
    this.mem -= e.mem;
    e.mem = -1;
    if (this.ks.hasWaiters && isStream(e.value)) this.ks.hooks.ready(this, key);
    this.ks.stats.expired++;
    this.ks.hooks.modified(this, key);
    this.ks.hooks.notify('x', 'expired', key, this);
    this.ks.hooks.expired(this, key, e.value);
  }

  /** Removes every key; returns how many there were. */
  flush(): number {
    this.ks.hooks.emptying(this, null);
    const n = this.keys.size;
    this.mem = 0;
    // SCAN iterators over the old table would keep all of it in memory.
    this.ks.scans.forget(this.keys);
    this.keys = new KeyTable();
    this.expires = new Map();
    this.avgTtl = 0;
    this.resetIterators();
    return n;
  }

  resetIterators(): void {
    this.expireIter = null;
    this.randomIter = null;
  }

  /** The next key with a TTL in a circular walk that survives inserts and deletes. */
  nextExpiring(): string | undefined {
    if (this.expires.size === 0) return undefined;
    if (this.expireIter === null) this.expireIter = this.expires.keys();
    let r = this.expireIter.next();
    if (r.done) {
      this.expireIter = this.expires.keys();
      r = this.expireIter.next();
      if (r.done) return undefined;
    }
    return r.value;
  }

  /**
   * A random live key, or null when the database is empty (RANDOMKEY). The table is not indexed,
   * so instead of jumping to a random slot as Redis does, this keeps a position in a circular
   * walk of the keys (an iterator, which survives inserts and deletes) and moves it 1 to
   * RANDOM_STEP keys, uniformly: O(1) a call, every key equally likely in the long run, and in
   * a database of up to RANDOM_STEP keys each call independent of the previous one. In larger
   * databases consecutive answers are near each other in insertion order.
   * Expired keys met are deleted and the draw repeated (Redis's dbRandomKey); on a replica,
   * which cannot delete them, a database of only expiring keys answers an expired key after
   * 100 tries rather than loop forever, as Redis does.
   */
  randomKey(random: () => number = Math.random): string | null {
    const allVolatile = this.keys.size === this.expires.size;
    let tries = 0;
    while (this.keys.size > 0) {
      const steps = 1 + Math.floor(random() * Math.min(this.keys.size, RANDOM_STEP));
      let key = this.nextKey();
      for (let i = 1; i < steps; i++) key = this.nextKey();
      const e = this.keys.get(key)!;
      if (e.expireAt === 0 || e.expireAt >= this.ks.time) return key;
      if (!this.ks.replicaMode && !this.ks.paused) this.expireNow(key);
      else if (allVolatile && ++tries >= 100) return key;
    }
    return null;
  }

  /** The next key of a circular walk over the keys; the database must not be empty. */
  private nextKey(): string {
    if (this.randomIter === null) this.randomIter = this.keys.keys();
    let r = this.randomIter.next();
    if (r.done) {
      this.randomIter = this.keys.keys();
      r = this.randomIter.next();
    }
    return r.value as string;
  }
}

/** RANDOMKEY moves its position by up to this many keys a call. */
const RANDOM_STEP = 64;
