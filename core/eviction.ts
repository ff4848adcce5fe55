// maxmemory: the used-memory estimate, eviction with every maxmemory-policy, and LFU counting,
// after Redis 7.0's evict.c.
//
// The memory measure
// The JS heap cannot say promptly how much freeing a key gives back (the garbage collector frees
// it later, in bulk), so eviction cannot work from heap measurements the way Redis works from its
// allocator's counters: it would evict far too much, or spin. Instead, while maxmemory is set,
// echokv keeps an estimate of the dataset, key by key:
// - Each key's share is MEMORY USAGE's model of the V8 heap (core/info.ts keyMemoryUsage: key
//   string, Map slot, Entry object, TTL, and the value, aggregates looking at up to 5 elements
//   and extrapolating). It is kept in Entry.mem, and each database keeps the sum in Database.mem;
//   the keyspace subtracts an entry's share whenever it leaves a database (delete, expiry,
//   replacement, RENAME/MOVE, FLUSHDB, SWAPDB swaps the sums).
// - Every change reaches the keyspace's `modified` hook, which only records the key; the shares
//   of recorded keys are recomputed (settle()) before the next command is checked against the
//   limit, and whenever the figure is read (INFO, MEMORY STATS), so a command that touches a key
//   a thousand times costs one recomputation.
// - used_memory = used_memory_startup (measured once before the dataset is loaded: from the
//   CLI, what building and starting the server allocated, between two forced collections, as
//   Redis counts its start-up allocations and not its binary; embedded, the whole heap then)
//   + client query and reply buffers (sampled every cron tick: summing them per command would
//   cost O(clients)) + the dataset estimate. INFO used_memory and MEMORY STATS report this
//   figure, so what users see is what eviction compares with maxmemory.
// - The estimate is kept from the moment used_memory is first needed (a command checked against
//   maxmemory, INFO, MEMORY STATS), with one pass over the keys then, and from then on: a server
//   that is never asked (a benchmark) pays nothing for it. Code that fills a database without
//   the keyspace's change signals (an RDB load) leaves shares of 0 behind: cron looks at a few
//   keys of each database every tick and counts everything again when it meets one.
// So evicting a key lowers the figure by exactly its share, and eviction stops as soon as the
// figure is under the limit. It is a model, not a measurement: it follows the heap closely for the
// value shapes it models and is documented as an estimate in MEMORY USAGE and INFO.
//
// Eviction (performEvictions), before every command while maxmemory is set, and from a timer:
// - Over the limit with noeviction, or with nothing left to evict: EVICT_FAIL, and commands
//   flagged denyoom (and anything queued inside MULTI, and an EXEC queueing such commands) are
//   refused with OOM.
// - LRU, LFU and volatile-ttl sample maxmemory-samples keys per database (all keys or only those
//   with a TTL) into a 16-entry pool ordered by "idle" (idle ms, 255 - LFU counter, or how soon
//   the key expires) and evict the best key still present. A JS Map cannot be read at a random
//   position, so a sample is a run of consecutive keys from a circular walk of the Map, started
//   0 to 63 keys further on at random (Redis's dictGetSomeKeys also reads a run of buckets from a
//   random one); with maxmemory-samples >= the number of keys every key is seen each time.
// - The random policies take one random key per call, visiting the databases in turn.
// - Each eviction deletes the key (WATCH sees it), fires the `evicted` keyspace event and
//   propagates DEL (UNLINK with lazyfree-lazy-eviction). Evictions are not counted as changes
//   (no rdb_changes_since_last_save), as in Redis.
// - Every 16 keys the time spent is checked against maxmemory-eviction-tenacity's limit; past
//   it, eviction goes on from a timer (EVICT_RUNNING) and commands are not refused meanwhile.
// - Nothing is evicted while loading, during CLIENT PAUSE, or on a replica with
//   replica-ignore-maxmemory.
//
// LFU: with an LFU policy Entry.lru holds Redis's layout: the minutes of the last decrement in
// the 16 high bits and an 8-bit logarithmic counter; new keys start at 5, each access decays
// the counter by one per lfu-decay-time minutes elapsed and then increments it with probability
// 1 / ((counter - 5) * lfu-log-factor + 1). The keyspace calls this through Keyspace.lfu.

import type { Client } from './client.ts';
import type { Command } from './command.ts';
import { clientInfoLine, clientTotalMemory } from './client_info.ts';
import { keyMemoryUsage } from './info.ts';
import type { Database, Entry, LfuCounter } from './keyspace.ts';
import type { KeyTable } from './key_table.ts';
import type { Server } from './server.ts';

/** What eviction samples: a database's keys, or its keys with a TTL. */
type EntryMap = KeyTable<Entry> | Map<string, Entry>;

export type Policy =
  | 'noeviction' | 'allkeys-lru' | 'allkeys-lfu' | 'allkeys-random' | 'volatile-lru' | 'volatile-lfu'
  | 'volatile-random' | 'volatile-ttl';

/**
 * performEvictions's result:
 * - ok: under the limit (or evictions may not run now)
 * - running: over the limit, evicting from a timer because this call ran out of time
 * - fail: over the limit and nothing (more) may be evicted
 */
export type EvictResult = 'ok' | 'running' | 'fail';

const EVPOOL_SIZE = 16;
const LFU_INIT_VAL = 5;
/** Elements of an aggregate value the estimate looks at (MEMORY USAGE's default). */
const ESTIMATE_SAMPLES = 5;
/** A sample starts up to this many keys further along the walk. */
const RANDOM_SKIP = 64;
/** Keys per database cron checks for a share never counted. */
const AUDIT_SAMPLES = 4;

interface PoolEntry {
  idle: number;
  key: string | null;
  db: Database | null;
}

const LRU_CLOCK_MAX = 16777215;

/** Redis's client memory buckets: log2 of a client's memory, from 32 KB (2^15) to 8 GB (2^33). */
const CLIENT_BUCKET_MIN_LOG = 15;
const CLIENT_BUCKET_MAX_LOG = 33;

function clientBucket(mem: number): number {
  const bits = mem > 0 ? Math.floor(Math.log2(mem)) + 1 : 0;
  return Math.min(CLIENT_BUCKET_MAX_LOG, Math.max(CLIENT_BUCKET_MIN_LOG, bits));
}

/** What a client's buffers count for in used_memory: unrun input, replies not yet handed to the
 * socket, and what the socket still has queued. */
function bufferBytes(c: Client): number {
  return c.queryBufferBytes + c.out.size + c.conn.bufferedAmount;
}

/**
 * The LRU access field (seconds) of a key given an idle time of `idle` seconds at `nowMs`, by
 * RESTORE IDLETIME or an RDB's IDLE opcode. Redis keeps a 24-bit clock (objectSetLRUOrLFU: the
 * idle time scaled through *1000/1000 in 64 bits, subtracted from the clock, LRU_CLOCK_MAX added
 * once when negative, the result cut to 24 bits); echokv keeps whole seconds, so this takes the
 * idle time Redis's estimateObjectIdleTime would then report. Null for a negative idle time
 * (Redis then leaves the field alone).
 */
export function lruForIdle(nowMs: number, idle: bigint): number | null {
  if (idle < 0n) return null;
  const scaled = BigInt.asIntN(64, idle * 1000n) / 1000n;
  const clock = BigInt(Math.floor(nowMs / 1000) & LRU_CLOCK_MAX);
  let abs = BigInt.asIntN(64, clock - scaled);
  if (abs < 0n) abs += BigInt(LRU_CLOCK_MAX);
  const lru = BigInt.asUintN(24, abs);
  const reported = clock >= lru ? clock - lru : clock + BigInt(LRU_CLOCK_MAX) - lru;
  return Math.floor(nowMs / 1000) - Number(reported);
}

/**
 * The LFU counter of an access field at `opts.time` (ms), decayed by one per `opts.decayMinutes`
 * elapsed since it was stored (Redis's LFUDecrAndReturn; OBJECT FREQ).
 */
export function lfuFrequency(lru: number, opts: { time: number; decayMinutes: number }): number {
  return decayed(lru, opts.time, opts.decayMinutes);
}

function decayed(lru: number, timeMs: number, decayMinutes: number): number {
  const ldt = (lru >>> 8) & 65535;
  const counter = lru & 255;
  const now = lfuMinutes(timeMs);
  const elapsed = now >= ldt ? now - ldt : 65535 - ldt + now;
  const periods = decayMinutes > 0 ? Math.floor(elapsed / decayMinutes) : 0;
  if (periods === 0) return counter;
  return periods > counter ? 0 : counter - periods;
}

/** Minutes since the epoch, 16 bits (Redis's LFUGetTimeInMinutes). */
function lfuMinutes(timeMs: number): number {
  return Math.floor(timeMs / 60000) & 65535;
}

export class Eviction {
  private readonly server: Server;
  /** maxmemory in bytes; 0: no limit. */
  maxmemory = 0;
  private policy: Policy = 'noeviction';
  private samples = 5;
  private tenacity = 10;
  private lfuLogFactor = 10;
  private lfuDecayTime = 1;
  private lazy = false;
  /** Entry.mem and Database.mem are kept (since used_memory was first needed). */
  tracking = false;
  /** Keys changed since the last settle(), with their databases (repeats are harmless): the
   * first `changedCount` slots of these arrays, which are reused rather than emptied. */
  private readonly changedDbs: Database[] = [];
  private readonly changedKeys: string[] = [];
  private readonly changedEntries: Entry[] = [];
  private changedCount = 0;
  /** Keyspace.detaches when settle() last ran. */
  private seenDetaches = 0;
  /** Client buffers as the last cron tick found them; replicas' are not counted for eviction. */
  private clientBytes = 0;
  replicaBytes = 0;
  /** maxmemory-clients as configured: bytes, a negative percentage of maxmemory, 0 for none. */
  private clientsConfig = 0;
  /** The sum of Client.evictMem (kept while maxmemory-clients is set). */
  private clientsSum = 0;
  /**
   * Client memory is followed as it changes (Server calls updateClient() around each read and
   * write): while maxmemory or maxmemory-clients is set, so that eviction sees a client's buffers
   * before the next command, as Redis does (updateClientMemUsageAndBucket). Otherwise the cron
   * tick's sample is enough for INFO.
   */
  followClients = false;
  private readonly pool: PoolEntry[] = [];
  private nextDb = 0;
  /** Per Map (db.keys or db.expires), its position in a circular walk. */
  private readonly walks = new WeakMap<EntryMap, Iterator<[string, Entry]>>();
  private readonly sampled: [string, Entry][] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** The last check found used memory under the limit, and nothing changed since: the next
   * check can answer at once (reads cost nothing extra). */
  private underLimit = false;
  private readonly lfu: LfuCounter;

  constructor(server: Server) {
    this.server = server;
    for (let i = 0; i < EVPOOL_SIZE; i++) this.pool.push({ idle: 0, key: null, db: null });
    this.lfu = {
      init: (time) => (lfuMinutes(time) << 8) | LFU_INIT_VAL,
      access: (lru, time) => {
        let counter = decayed(lru, time, this.lfuDecayTime);
        // Redis's LFULogIncr: the higher the counter, the less likely it grows.
        if (counter < 255) {
          const base = Math.max(0, counter - LFU_INIT_VAL);
          if (Math.random() < 1 / (base * this.lfuLogFactor + 1)) counter++;
        }
        return (lfuMinutes(time) << 8) | counter;
      },
    };
    const cfg = server.config;
    this.samples = cfg.num('maxmemory-samples');
    this.tenacity = cfg.num('maxmemory-eviction-tenacity');
    this.lfuLogFactor = cfg.num('lfu-log-factor');
    this.lfuDecayTime = cfg.num('lfu-decay-time');
    this.lazy = cfg.bool('lazyfree-lazy-eviction');
    this.setPolicy(cfg.str('maxmemory-policy') as Policy);
    this.setMaxmemory(cfg.num('maxmemory'));
    this.clientsConfig = cfg.num('maxmemory-clients');
    this.updateFollow();
    cfg.onChange('maxmemory-clients', (v) => {
      this.clientsConfig = v as number;
      this.updateFollow();
      // Every client counted afresh; a lower limit evicts once the current command is done (Redis
      // evicts before the next command and before sleeping).
      this.sampleClients();
      queueMicrotask(() => this.evictClients());
    });
    cfg.onChange('maxmemory', (v) => {
      this.setMaxmemory(v as number);
      if (this.maxmemory > 0) {
        const used = this.usedMemory() - this.replicaBytes;
        if (this.maxmemory < used) {
          server.log.warning(`WARNING: the new maxmemory value set via CONFIG SET (${cfg.get('maxmemory')}) is smaller than the current memory usage (${used}). This will result in key eviction and/or the inability to accept new write commands depending on the maxmemory-policy.`);
        }
        // Evicts from the event loop, not inside CONFIG SET (Redis's startEvictionTimeProc).
        this.startTimer();
      }
    });
    cfg.onChange('maxmemory-policy', (v) => this.setPolicy(v as Policy));
    cfg.onChange('maxmemory-samples', (v) => {
      this.samples = v as number;
    });
    cfg.onChange('maxmemory-eviction-tenacity', (v) => {
      this.tenacity = v as number;
    });
    cfg.onChange('lfu-log-factor', (v) => {
      this.lfuLogFactor = v as number;
    });
    cfg.onChange('lfu-decay-time', (v) => {
      this.lfuDecayTime = v as number;
    });
    cfg.onChange('lazyfree-lazy-eviction', (v) => {
      this.lazy = v as boolean;
    });
    server.on('cron', () => {
      if (this.tracking || this.clientsConfig !== 0) this.sampleClients();
      if (this.clientsConfig !== 0) this.evictClients();
      if (this.tracking) {
        this.settle();
        this.audit();
      }
    });
  }

  private setPolicy(p: Policy): void {
    this.policy = p;
    // Entry.lru holds LFU data only under an LFU policy, whether or not maxmemory is set.
    this.server.keyspace.lfu = p.endsWith('-lfu') ? this.lfu : null;
    // Like Redis, the pool keeps its candidates (scored the old way) until they are taken.
  }

  private setMaxmemory(n: number): void {
    this.maxmemory = n;
    this.underLimit = false;
    this.updateFollow();
  }

  /** maxmemory-clients is set. */
  get evictingClients(): boolean {
    return this.clientsConfig !== 0;
  }

  private updateFollow(): void {
    this.followClients = this.maxmemory > 0 || this.clientsConfig !== 0;
  }

  // -------------------------------------------------------------------------------------------
  // The estimate

  /** Computes every key's share; from then on changes keep it current. */
  private startTracking(): void {
    this.tracking = true;
    this.server.listenModified();
    this.underLimit = false;
    this.changedCount = 0;
    for (const db of this.server.keyspace.dbs) {
      let sum = 0;
      for (const [key, e] of db.keys) {
        const m = keyMemoryUsage(key, e, ESTIMATE_SAMPLES);
        e.mem = m;
        sum += m;
      }
      db.mem = sum;
    }
    this.sampleClients();
  }

  /**
   * The keyspace's `modified` hook while tracking: `key` changed (settle() measures it). The
   * entry is looked up now, while the command has just touched it and it is in the CPU cache: a
   * second lookup in settle(), a cron tick later, missed the cache and cost a write 40% more.
   */
  changed(db: Database, key: string): void {
    this.underLimit = false;
    const e = db.keys.get(key);
    // A key that is gone took its share along when it left the database.
    if (e === undefined) return;
    const i = this.changedCount;
    // The same key written again (a push loop, redis-cli --pipe filling one list): one
    // recomputation covers both. Recording each write kept a million parsed key strings alive
    // until the next tick, and they were promoted: RSS grew 70 instead of 25 B per list element.
    if (i > 0 && this.changedEntries[i - 1] === e && this.changedDbs[i - 1] === db && this.changedKeys[i - 1] === key) return;
    this.changedCount = i + 1;
    this.changedDbs[i] = db;
    this.changedKeys[i] = key;
    this.changedEntries[i] = e;
  }

  /** Recomputes the shares of the keys changed since the last call. */
  settle(): void {
    const n = this.changedCount;
    if (n === 0) return;
    this.changedCount = 0;
    const dbs = this.changedDbs;
    const keys = this.changedKeys;
    const entries = this.changedEntries;
    // An entry detached since may live under another key or in another database now: then
    // each is checked to still be where it was changed.
    const detaches = this.server.keyspace.detaches;
    const moved = detaches !== this.seenDetaches;
    this.seenDetaches = detaches;
    for (let i = 0; i < n; i++) {
      const db = dbs[i];
      const key = keys[i];
      const e = entries[i];
      // Deleted since (its share left with it), or moved.
      if (e.mem < 0 || (moved && db.keys.get(key) !== e)) continue;
      const m = keyMemoryUsage(key, e, ESTIMATE_SAMPLES);
      db.mem += m - e.mem;
      e.mem = m;
    }
    // Drop what a burst of changes left behind (the arrays hold keys and entries). A tick's
    // worth of writes under steady load (tens of thousands) keeps its arrays: regrowing them
    // every tick doubled the page faults of a write load.
    if (n > 65536) {
      dbs.length = 0;
      keys.length = 0;
      entries.length = 0;
    }
  }

  /** Looks at a few keys of each database: one never counted means keys were loaded behind the
   * keyspace's back (see the file comment), and everything is counted again. */
  private audit(): void {
    if (this.server.loading) return;
    for (const db of this.server.keyspace.dbs) {
      const n = Math.min(db.keys.size, AUDIT_SAMPLES);
      for (let i = 0; i < n; i++) {
        if (this.step(db.keys)[1].mem === 0) {
          this.startTracking();
          return;
        }
      }
    }
  }

  private sampleClients(): void {
    let normal = 0;
    let replicas = 0;
    let sum = 0;
    const evicting = this.clientsConfig !== 0;
    for (const c of this.server.clients.values()) {
      const n = bufferBytes(c);
      c.memCounted = n;
      if (c.flags.has('replica')) replicas += n;
      else normal += n;
      if (evicting) {
        const m = c.flags.has('replica') || c.flags.has('master') || c.monitor ? 0 : clientTotalMemory(c);
        c.evictMem = m;
        sum += m;
      }
    }
    if (normal !== this.clientBytes || replicas !== this.replicaBytes) this.underLimit = false;
    this.clientBytes = normal;
    this.replicaBytes = replicas;
    this.clientsSum = sum;
  }

  /**
   * `c`'s buffers may have changed (a read, commands run, a write): counts them again at once,
   * and evicts clients if maxmemory-clients is now exceeded. O(1) but for an eviction.
   */
  updateClient(c: Client): void {
    if (c.closed) return;
    const n = bufferBytes(c);
    if (n !== c.memCounted) {
      if (c.flags.has('replica')) this.replicaBytes += n - c.memCounted;
      else this.clientBytes += n - c.memCounted;
      c.memCounted = n;
      this.underLimit = false;
    }
    if (this.clientsConfig === 0 || c.monitor || c.flags.has('replica') || c.flags.has('master')) return;
    const m = clientTotalMemory(c);
    this.clientsSum += m - c.evictMem;
    c.evictMem = m;
    const limit = this.clientsLimit();
    if (limit > 0 && this.clientsSum >= limit) this.evictClients();
  }

  /** A closed client's buffers are freed with it (Redis's freeClient), not at the next tick. */
  clientGone(c: Client): void {
    if (c.memCounted !== 0) {
      if (c.flags.has('replica')) this.replicaBytes -= c.memCounted;
      else this.clientBytes -= c.memCounted;
      c.memCounted = 0;
      this.underLimit = false;
    }
    this.clientsSum -= c.evictMem;
    c.evictMem = 0;
  }

  /** Redis's getClientEvictionLimit: bytes, or a percentage of maxmemory; at least 128 KB; 0: none. */
  private clientsLimit(): number {
    const v = this.clientsConfig;
    let limit: number;
    if (v < 0 && this.maxmemory > 0) limit = Math.floor((this.maxmemory * -v) / 100);
    else if (v > 0) limit = v;
    else return 0;
    return Math.max(limit, 128 * 1024);
  }

  /**
   * Redis's evictClients: while the clients' memory is at or over maxmemory-clients, closes the
   * evictable clients (normal and pub/sub ones without CLIENT NO-EVICT) of the largest memory
   * bucket (log2 of the memory) first, counting each in INFO evicted_clients.
   */
  evictClients(): void {
    const limit = this.clientsLimit();
    if (limit === 0 || this.clientsSum < limit) return;
    const server = this.server;
    const cands: Client[] = [];
    for (const c of server.clients.values()) {
      if (c.closed || c.monitor || c.flags.has('no-evict') || c.flags.has('replica') || c.flags.has('master')) continue;
      cands.push(c);
    }
    // Stable: within a bucket, in the order the clients connected.
    cands.sort((a, b) => clientBucket(b.evictMem) - clientBucket(a.evictMem));
    for (const c of cands) {
      if (this.clientsSum < limit) return;
      server.log.notice(`Evicting client: ${clientInfoLine(c)}`);
      server.stats.evictedClients++;
      // Freed at once: replies still waiting in echokv are dropped, as freeClient drops them.
      c.out.take();
      server.closeClient(c);
    }
    if (this.clientsSum >= limit) server.log.warning('Over client maxmemory after evicting all evictable clients');
  }

  /** The dataset estimate: the sum of every key's share. */
  datasetBytes(): number {
    this.settle();
    let n = 0;
    for (const db of this.server.keyspace.dbs) n += db.mem;
    return n;
  }

  /** used_memory (see the file comment); the first call starts keeping the estimate. */
  usedMemory(): number {
    if (!this.tracking) this.startTracking();
    return this.server.startupMemory + this.clientBytes + this.replicaBytes + this.datasetBytes();
  }

  // -------------------------------------------------------------------------------------------
  // Eviction

  /**
   * Runs evictions if needed and says whether `cmd` must be refused with OOM (processCommand's
   * maxmemory check): only when nothing more could be evicted, for denyoom commands, an EXEC
   * queueing one, and anything but EXEC, DISCARD, QUIT and RESET inside MULTI.
   */
  refuses(c: Client, cmd: Command): boolean {
    if (this.perform() !== 'fail') return false;
    if (cmd.denyOom) return true;
    const m = c.multi;
    if (m === null) return false;
    const name = cmd.fullname;
    if (name === 'exec') return m.denyOom;
    return name !== 'discard' && name !== 'quit' && name !== 'reset';
  }

  /** Redis's performEvictions (see the file comment). */
  perform(): EvictResult {
    const server = this.server;
    const ks = server.keyspace;
    if (server.loading || server.pause !== null) return 'ok';
    if (ks.replicaMode && server.config.bool('replica-ignore-maxmemory')) return 'ok';
    if (this.underLimit) return 'ok';
    const used = this.usedMemory() - this.replicaBytes;
    if (used <= this.maxmemory) {
      this.underLimit = true;
      return this.metrics('ok');
    }
    if (this.policy === 'noeviction') return this.metrics('fail');
    const toFree = used - this.maxmemory;
    const limitUs = this.timeLimitUs();
    const start = server.host.now();
    let freed = 0;
    let count = 0;
    while (freed < toFree) {
      const pick = this.policy.endsWith('-random') ? this.pickRandom() : this.pickFromPool();
      if (pick === null) return this.metrics('fail');
      if (server.latencyOn) {
        const t0 = server.host.now();
        freed += this.evict(pick.db, pick.key);
        server.latencySample('eviction-del', Math.floor(server.host.now() - t0));
      } else {
        freed += this.evict(pick.db, pick.key);
      }
      count++;
      if (count % 16 === 0 && (server.host.now() - start) * 1000 > limitUs) {
        this.startTimer();
        break;
      }
    }
    if (server.latencyOn) server.latencySample('eviction-cycle', Math.floor(server.host.now() - start));
    return this.metrics(this.timer !== null ? 'running' : 'ok');
  }

  /** INFO's eviction_exceeded_time: how long used memory has been over the limit. */
  private metrics(result: EvictResult): EvictResult {
    const s = this.server.stats;
    if (result !== 'ok') {
      if (s.evictionExceededSince === 0) s.evictionExceededSince = this.server.host.now();
    } else if (s.evictionExceededSince !== 0) {
      s.evictionExceededMs += this.server.host.now() - s.evictionExceededSince;
      s.evictionExceededSince = 0;
    }
    return result;
  }

  /** Deletes an evicted key; returns the bytes it counted for. */
  private evict(db: Database, key: string): number {
    const server = this.server;
    const ks = db.ks;
    const e = db.keys.get(key)!;
    const bytes = e.mem;
    db.delete(key, this.lazy);
    // Redis does not count evictions as changes to save.
    ks.dirty--;
    server.stats.evictedKeys++;
    ks.hooks.notify('e', 'evicted', key, db);
    server.propagate(db.id, [this.lazy ? 'UNLINK' : 'DEL', key]);
    return bytes;
  }

  /** Redis's evictionTimeLimitUs: tenacity 0-10 is 0-500 us, then +15% a step, 100 unlimited. */
  private timeLimitUs(): number {
    const t = this.tenacity;
    if (t <= 10) return 50 * t;
    if (t < 100) return 500 * Math.pow(1.15, t - 10);
    return Infinity;
  }

  /** Goes on evicting from the event loop until under the limit or out of keys. */
  private startTimer(): void {
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.maxmemory === 0) return;
      this.server.keyspace.tick();
      this.perform();
    }, 0);
    (this.timer as { unref?: () => void }).unref?.();
  }

  /** The LRU, LFU and volatile-ttl pick: refill the pool from every database, take the best. */
  private pickFromPool(): { db: Database; key: string } | null {
    const allKeys = this.policy.startsWith('allkeys');
    const pool = this.pool;
    for (;;) {
      let total = 0;
      for (const db of this.server.keyspace.dbs) {
        const map = allKeys ? db.keys : db.expires;
        if (map.size === 0) continue;
        this.populate(db, map);
        total += map.size;
      }
      if (total === 0) return null;
      // From the best candidate down; a key gone since it entered the pool is skipped.
      for (let k = EVPOOL_SIZE - 1; k >= 0; k--) {
        const p = pool[k];
        if (p.key === null) continue;
        const db = p.db!;
        const key = p.key;
        p.key = null;
        p.db = null;
        p.idle = 0;
        if ((allKeys ? db.keys : db.expires).has(key)) return { db, key };
      }
    }
  }

  /** Redis's evictionPoolPopulate: adds sampled keys that beat the pool's worst. */
  private populate(db: Database, map: EntryMap): void {
    const pool = this.pool;
    const sampled = this.sampled;
    this.sample(map, this.samples, sampled);
    const ks = db.ks;
    for (const [key, e] of sampled) {
      let idle: number;
      if (this.policy.endsWith('-lru')) {
        idle = Math.max(0, Math.floor(ks.time / 1000) - e.lru) * 1000;
      } else if (this.policy.endsWith('-lfu')) {
        idle = 255 - decayed(e.lru, ks.time, this.lfuDecayTime);
      } else {
        // volatile-ttl: the sooner it expires, the better.
        idle = Number.MAX_SAFE_INTEGER - e.expireAt;
      }
      let k = 0;
      while (k < EVPOOL_SIZE && pool[k].key !== null && pool[k].idle < idle) k++;
      if (k === 0 && pool[EVPOOL_SIZE - 1].key !== null) continue; // worse than all, pool full
      if (k < EVPOOL_SIZE && pool[k].key === null) {
        // An empty slot: take it.
      } else if (pool[EVPOOL_SIZE - 1].key === null) {
        // Room on the right: shift k.. right by one.
        const spare = pool.pop()!;
        pool.splice(k, 0, spare);
      } else {
        // Full: drop the worst (leftmost) and insert just before the first better one.
        k--;
        const spare = pool.shift()!;
        pool.splice(k, 0, spare);
      }
      const p = pool[k];
      p.key = key;
      p.db = db;
      p.idle = idle;
    }
    sampled.length = 0;
  }

  /** Up to `count` entries of `map`, consecutive in its circular walk from a random start. */
  private sample(map: EntryMap, count: number, out: [string, Entry][]): void {
    const n = Math.min(count, map.size);
    let skip = Math.floor(Math.random() * Math.min(map.size, RANDOM_SKIP));
    while (skip-- > 0) this.step(map);
    for (let i = 0; i < n; i++) out.push(this.step(map));
  }

  /** The next entry of `map` in a circular walk that survives inserts and deletes. */
  private step(map: EntryMap): [string, Entry] {
    let it = this.walks.get(map);
    if (it === undefined) {
      it = map.entries();
      this.walks.set(map, it);
    }
    let r = it.next();
    if (r.done) {
      it = map.entries();
      this.walks.set(map, it);
      r = it.next();
    }
    return r.value as [string, Entry];
  }

  /** allkeys-random and volatile-random: a random key of the next database that has one. */
  private pickRandom(): { db: Database; key: string } | null {
    const dbs = this.server.keyspace.dbs;
    const allKeys = this.policy === 'allkeys-random';
    for (let i = 0; i < dbs.length; i++) {
      this.nextDb = (this.nextDb + 1) % dbs.length;
      const db = dbs[this.nextDb];
      const map = allKeys ? db.keys : db.expires;
      if (map.size === 0) continue;
      let skip = Math.floor(Math.random() * Math.min(map.size, RANDOM_SKIP));
      while (skip-- > 0) this.step(map);
      return { db, key: this.step(map)[0] };
    }
    return null;
  }
}
