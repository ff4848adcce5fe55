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

import { bytesToStr } from './bytes.ts';

/** A string value that is being edited in place (APPEND, SETRANGE, SETBIT): sds-like bytes. */
export class MutableString {
  buf: Uint8Array;
  len: number;
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

export class Entry {
  value: Value;
  /** Absolute expiry in Unix ms, 0 when the key does not expire. */
  expireAt: number;
  /** Last access in LRU-clock seconds (or LFU data when maxmemory-policy is an LFU one). */
  lru: number;
  constructor(value: Value, lru: number) {
    this.value = value;
    this.expireAt = 0;
    this.lru = lru;
  }
}

/** The events the keyspace emits; the server wires them (a fixed list, not an event bus). */
export interface KeyspaceHooks {
  /** A key was removed because its TTL passed (the server propagates DEL and notifies). */
  expired(db: Database, key: string): void;
  /** A key was changed: WATCH and client-side caching listen. */
  modified(db: Database, key: string): void;
  /** A keyspace notification: class letter (Redis's notify-keyspace-events) and event name. */
  notify(cls: string, event: string, key: string, db: Database): void;
}

const noHooks: KeyspaceHooks = { expired() {}, modified() {}, notify() {} };

export interface KeyspaceOptions {
  databases: number;
  clock?: () => number;
}

export class Keyspace {
  readonly dbs: Database[];
  clock: () => number;
  /** The time commands see: set once per command by the server. */
  time: number;
  hooks: KeyspaceHooks = noHooks;
  /** Changes since the last save (Redis's server.dirty). */
  dirty = 0;
  /** True on a replica: expired keys read as missing but are deleted only by the master's DEL. */
  replicaMode = false;
  stats = { hits: 0, misses: 0, expired: 0, expiredStalePerc: 0, expiredTimeCapReached: 0 };

  constructor(opts: KeyspaceOptions) {
    this.clock = opts.clock ?? Date.now;
    this.time = this.clock();
    this.dbs = [];
    for (let i = 0; i < opts.databases; i++) this.dbs.push(new Database(this, i));
  }

  /** Re-reads the clock; the server calls this before each command. */
  tick(): number {
    this.time = this.clock();
    return this.time;
  }

  /** LRU clock in seconds. */
  lruClock(): number {
    return Math.floor(this.time / 1000);
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
    const keys = da.keys;
    const expires = da.expires;
    da.keys = dbb.keys;
    da.expires = dbb.expires;
    dbb.keys = keys;
    dbb.expires = expires;
    da.resetIterators();
    dbb.resetIterators();
  }

  /**
   * One slow active-expiry cycle over all databases, bounded by `budgetMs` of wall time measured
   * with the clock. Redis's algorithm: sample up to 20 keys with a TTL in each database, delete
   * the expired ones, repeat on that database while more than 10% of a sample was expired.
   */
  activeExpireCycle(budgetMs: number, now: () => number = this.clock): void {
    if (this.replicaMode) return;
    const start = now();
    this.time = start;
    let sampled = 0;
    let expired = 0;
    for (const db of this.dbs) {
      if (db.expires.size === 0) continue;
      for (;;) {
        let n = 0;
        let e = 0;
        const limit = Math.min(20, db.expires.size);
        while (n < limit) {
          const key = db.nextExpiring();
          if (key === undefined) break;
          n++;
          const entry = db.expires.get(key);
          if (entry !== undefined && entry.expireAt <= this.time) {
            db.expireNow(key);
            e++;
          }
        }
        sampled += n;
        expired += e;
        if (n === 0 || e * 10 <= n) break;
        if (now() - start >= budgetMs) {
          this.stats.expiredTimeCapReached++;
          this.stats.expiredStalePerc = sampled ? expired / sampled : 0;
          return;
        }
        this.time = now();
      }
    }
    const perc = sampled ? expired / sampled : 0;
    this.stats.expiredStalePerc = perc * 0.05 + this.stats.expiredStalePerc * 0.95;
  }
}

export class Database {
  readonly ks: Keyspace;
  readonly id: number;
  keys = new Map<string, Entry>();
  expires = new Map<string, Entry>();
  private expireIter: Iterator<string> | null = null;

  constructor(ks: Keyspace, id: number) {
    this.ks = ks;
    this.id = id;
  }

  get size(): number {
    return this.keys.size;
  }

  /** The entry of a live key, deleting it first if it expired; no access-time update. */
  peek(key: string): Entry | undefined {
    const e = this.keys.get(key);
    if (e === undefined) return undefined;
    if (e.expireAt !== 0 && e.expireAt <= this.ks.time) {
      if (!this.ks.replicaMode) this.expireNow(key);
      return undefined;
    }
    return e;
  }

  /** Lookup for reading: counts keyspace hits/misses and touches the LRU clock. */
  lookupRead(key: string): Entry | undefined {
    const e = this.peek(key);
    if (e === undefined) {
      this.ks.stats.misses++;
      return undefined;
    }
    this.ks.stats.hits++;
    e.lru = this.ks.lruClock();
    return e;
  }

  /** Lookup for writing: touches the LRU clock, no hit/miss counting. */
  lookupWrite(key: string): Entry | undefined {
    const e = this.peek(key);
    if (e !== undefined) e.lru = this.ks.lruClock();
    return e;
  }

  /**
   * Sets `key` to `value` (SET semantics): an existing key keeps its TTL only with `keepTtl`.
   * Marks the key modified; notifications are the caller's.
   */
  set(key: string, value: Value, keepTtl = false): Entry {
    let e = this.keys.get(key);
    if (e === undefined) {
      e = new Entry(value, this.ks.lruClock());
      this.keys.set(key, e);
    } else {
      e.value = value;
      e.lru = this.ks.lruClock();
      if (!keepTtl && e.expireAt !== 0) {
        e.expireAt = 0;
        this.expires.delete(key);
      }
    }
    this.modified(key);
    return e;
  }

  /** Adds a key known not to exist (or to be expired). */
  add(key: string, value: Value): Entry {
    const e = new Entry(value, this.ks.lruClock());
    const old = this.keys.get(key);
    if (old !== undefined && old.expireAt !== 0) this.expires.delete(key);
    this.keys.set(key, e);
    this.modified(key);
    return e;
  }

  /** Deletes `key`; true when it existed. Marks it modified. */
  delete(key: string): boolean {
    const e = this.keys.get(key);
    if (e === undefined) return false;
    this.keys.delete(key);
    if (e.expireAt !== 0) this.expires.delete(key);
    this.modified(key);
    return true;
  }

  /** Sets an absolute expiry (ms) on an existing entry. */
  setExpire(key: string, e: Entry, at: number): void {
    e.expireAt = at;
    this.expires.set(key, e);
  }

  /** Removes the TTL; true when there was one. */
  persist(key: string, e: Entry): boolean {
    if (e.expireAt === 0) return false;
    e.expireAt = 0;
    this.expires.delete(key);
    return true;
  }

  /** Records a change to `key`: dirty counter and WATCH. */
  modified(key: string): void {
    this.ks.dirty++;
    this.ks.hooks.modified(this, key);
  }

  /** Deletes an expired key and reports it (stats, hooks). */
  expireNow(key: string): void {
    const e = this.keys.get(key);
    if (e === undefined) return;
    this.keys.delete(key);
    this.expires.delete(key);
    this.ks.stats.expired++;
    this.ks.hooks.modified(this, key);
    this.ks.hooks.notify('x', 'expired', key, this);
    this.ks.hooks.expired(this, key);
  }

  /** Removes every key; returns how many there were. */
  flush(): number {
    const n = this.keys.size;
    this.keys = new Map();
    this.expires = new Map();
    this.resetIterators();
    return n;
  }

  resetIterators(): void {
    this.expireIter = null;
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

  /** A random live key, or null when the database is empty (RANDOMKEY). */
  randomKey(random: () => number = Math.random): string | null {
    // Maps cannot be indexed, so walk a random distance; expired keys found on the way are
    // deleted and the walk retried, as Redis's dbRandomKey does.
    for (let tries = 0; tries < 100 && this.keys.size > 0; tries++) {
      const target = Math.floor(random() * this.keys.size);
      let i = 0;
      for (const [key, e] of this.keys) {
        if (i++ < target) continue;
        if (e.expireAt !== 0 && e.expireAt <= this.ks.time && !this.ks.replicaMode) {
          this.expireNow(key);
          break;
        }
        return key;
      }
    }
    return null;
  }
}
