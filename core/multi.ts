// Transactions (MULTI, EXEC, DISCARD) and optimistic locking (WATCH), after Redis 7.0's multi.c.
//
// Queueing
// - MULTI gives the client a MultiState (c.multi). From then on server.execute() runs its usual
//   checks on each command (unknown command, arity, auth, no_multi, OOM, pause ...) and, instead
//   of running it, queues it and answers +QUEUED. EXEC, DISCARD, MULTI, WATCH, QUIT and RESET are
//   never queued (RUN_IN_MULTI): they run at once, so a nested MULTI or a WATCH inside MULTI gets
//   its error without harming the transaction.
// - A check that rejects a command while queueing marks the transaction aborted: EXEC then answers
//   EXECABORT and discards it. A rejected EXEC (wrong arity, OOM ...) discards the transaction at
//   once with `EXECABORT Transaction discarded because of: <reason>`, even outside MULTI.
//
// Execution
// - EXEC runs the queue with server.call(), without the checks again (as Redis's execCommand):
//   the time stays the one of the EXEC (the keyspace clock is read once per batch), c.inExec makes
//   blocking commands answer at once as on timeout, and clients blocked on keys the transaction
//   fed are served after the whole EXEC (server.call serves them after the outermost command).
// - What the commands propagate is collected: one change goes out alone, several are wrapped in
//   MULTI ... EXEC (Redis 7.0's propagatePendingCommands), the MULTI with the first change's
//   database and the EXEC with the last one's.
//
// WATCH
// - Per database, key -> its watchers in WATCH order; per client, the keys it watches. The
//   keyspace's `modified` hook calls touch() while anything is watched (nothing else costs
//   anything when nobody watches): each watcher of the key gets dirty_cas and stops watching all
//   its keys, since its EXEC will fail anyway.
// - The keyspace's `emptying` hook (FLUSHDB, FLUSHALL, SWAPDB, a full sync) touches the watched
//   keys that exist in the database emptied or in the one replacing it.
// - A key already expired (but not yet deleted) when watched is marked `expired`: deleting it is
//   no logical change. A watched key that expires before EXEC fails the EXEC, as Redis 7.0 does.
//
// States of a client: c.multi === null outside a transaction; a MultiState while queueing and
// while EXEC runs its queue. c.flags mirrors them for CLIENT LIST: 'multi' (x) and 'dirty_cas' (d,
// a watched key was touched; cleared by EXEC, DISCARD, UNWATCH and RESET).

import type { Client } from './client.ts';
import type { Command } from './command.ts';
import { ERR, execAbortBecause } from './errors.ts';
import type { Database } from './keyspace.ts';
import type { Server } from './server.ts';

/** Commands that run at once inside MULTI instead of being queued (Redis's processCommand). */
export const RUN_IN_MULTI: ReadonlySet<string> = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);

export interface QueuedCommand {
  cmd: Command;
  argv: string[];
}

/** One client's transaction (Redis's multiState). */
export class MultiState {
  readonly queue: QueuedCommand[] = [];
  /** A command was rejected while queueing: EXEC answers EXECABORT (CLIENT_DIRTY_EXEC). */
  aborted = false;
  /** Some queued command is a write: MISCONF refuses the EXEC. */
  writes = false;
  /** Some queued command may change data or be propagated: CLIENT PAUSE WRITE holds the EXEC. */
  mayReplicate = false;
  /** Some queued command is refused when out of memory: so is the EXEC. */
  denyOom = false;
  /** Bytes of the queued arguments. */
  argvBytes = 0;
  /** Number of the queued arguments: Redis's argv_len_sums (CLIENT LIST multi-mem) adds a
   * pointer (8 bytes) for each to their bytes. */
  argvCount = 0;
}

/** A key one client watches (Redis's watchedKey). */
export interface WatchedKey {
  db: Database;
  key: string;
  client: Client;
  /** The key was already expired (but still stored) when watched. */
  expired: boolean;
}

/** Bytes CLIENT LIST counts per watched key and per queued command besides its arguments. */
const WATCHED_KEY_BYTES = 56;
const QUEUED_COMMAND_BYTES = 40;

export class Transactions {
  private readonly server: Server;
  /** db -> key -> watchers, in WATCH order. */
  private readonly watchers = new Map<Database, Map<string, WatchedKey[]>>();
  /** Keys watched by all clients together: the keyspace hooks do nothing while it is 0. */
  count = 0;

  constructor(server: Server) {
    this.server = server;
  }

  // -------------------------------------------------------------------------------------------
  // MULTI state

  /** MULTI: false when the client is already in a transaction. */
  begin(c: Client): boolean {
    if (c.multi !== null) return false;
    c.multi = new MultiState();
    c.flags.add('multi');
    return true;
  }

  /** Queues a command that passed the checks and answers +QUEUED (execute() calls this). */
  queue(c: Client, cmd: Command, argv: string[]): void {
    const m = c.multi!;
    // An EXEC that will fail anyway need not keep the commands (Redis's queueMultiCommand).
    if (!m.aborted && !c.flags.has('dirty_cas')) {
      m.queue.push({ cmd, argv });
      for (let i = 0; i < argv.length; i++) m.argvBytes += argv[i].length;
      m.argvCount += argv.length;
      const flags = cmd.spec.flags;
      if (cmd.isWrite) m.writes = true;
      if (cmd.isWrite || flags.includes('may_replicate')) m.mayReplicate = true;
      if (cmd.denyOom) m.denyOom = true;
    }
    // CLIENT REPLY OFF/SKIP drop +QUEUED like any reply.
    const suppress = c.replyMode !== 'on' || c.skipNextReply;
    c.skipNextReply = false;
    if (!suppress) c.out.simple('QUEUED');
  }

  /**
   * A check rejected EXEC itself with `error` (wrong arity, OOM ...): the transaction is discarded,
   * in MULTI or not, and the error to reply with says why (Redis's execCommandAbort). Other
   * rejections inside MULTI only mark the transaction aborted (server.rejectCommand).
   */
  abortExec(c: Client, error: string): string {
    this.discard(c);
    return execAbortBecause(error);
  }

  /** Leaves MULTI, dropping the queue, and stops watching (Redis's discardTransaction). */
  discard(c: Client): void {
    c.multi = null;
    c.flags.delete('multi');
    c.flags.delete('dirty_cas');
    this.unwatchAll(c);
  }

  /**
   * EXEC (the client is in MULTI): answers EXECABORT or a null array when the transaction must
   * fail, else the array of the queued commands' replies. See the file comment.
   */
  exec(c: Client): void {
    const m = c.multi!;
    const server = this.server;
    if (this.watchedKeyExpired(c)) c.flags.add('dirty_cas');
    if (m.aborted || c.flags.has('dirty_cas')) {
      if (m.aborted) server.replyError(c, ERR.execAbort);
      else c.out.nilArray();
      this.discard(c);
      return;
    }
    this.unwatchAll(c);
    const outer = server.propagateBuffer;
    const changes: [number, string[]][] = [];
    server.propagateBuffer = changes;
    const wasInExec = c.inExec;
    c.inExec = true;
    // CLIENT REPLY SKIP inside the transaction skips the reply of the command after the EXEC,
    // as Redis turns its skip flag on only once the whole EXEC is processed.
    let skipAfter = false;
    try {
      c.out.array(m.queue.length);
      for (const q of m.queue) {
        server.call(c, q.cmd, q.argv);
        if (c.skipNextReply) {
          skipAfter = true;
          c.skipNextReply = false;
        }
      }
    } finally {
      c.inExec = wasInExec;
      server.propagateBuffer = outer;
      this.discard(c);
    }
    if (skipAfter) c.skipNextReply = true;
    // server.call, which runs the EXEC, wraps them in MULTI/EXEC when there are several.
    for (const [db, argv] of changes) server.propagate(db, argv);
  }

  /** CLIENT LIST multi-mem, as Redis 7.0 prints it (mstate.argv_len_sums): the queued arguments'
   * bytes and a pointer for each; watched keys are not in it (they are in tot-mem, memory()). */
  argvLenSums(c: Client): number {
    return c.multi === null ? 0 : c.multi.argvBytes + c.multi.argvCount * 8;
  }

  /** A transaction's share of tot-mem: queued arguments and per-command and per-watched-key
   * bookkeeping (Redis's multiStateMemOverhead). */
  memory(c: Client): number {
    let n = c.watched === null ? 0 : c.watched.length * WATCHED_KEY_BYTES;
    if (c.multi !== null) n += c.multi.argvBytes + c.multi.queue.length * QUEUED_COMMAND_BYTES;
    return n;
  }

  /** A client is gone or RESET: no transaction, nothing watched. */
  forget(c: Client): void {
    if (c.multi !== null || c.watched !== null || c.flags.has('dirty_cas')) this.discard(c);
  }

  // -------------------------------------------------------------------------------------------
  // WATCH

  /** Watches `key` in the client's database (once per key and database). */
  watch(c: Client, key: string): void {
    const db = c.db;
    let byKey = this.watchers.get(db);
    if (byKey === undefined) {
      byKey = new Map();
      this.watchers.set(db, byKey);
    }
    let list = byKey.get(key);
    if (list === undefined) {
      list = [];
      byKey.set(key, list);
    } else {
      for (const wk of list) if (wk.client === c) return;
    }
    const wk: WatchedKey = { db, key, client: c, expired: this.isExpired(db, key) };
    list.push(wk);
    (c.watched ??= []).push(wk);
    if (this.count++ === 0) this.server.listenModified();
  }

  /** Stops watching every key (the dirty_cas flag is the caller's). */
  unwatchAll(c: Client): void {
    const mine = c.watched;
    if (mine === null) return;
    c.watched = null;
    for (const wk of mine) {
      const byKey = this.watchers.get(wk.db)!;
      const list = byKey.get(wk.key)!;
      const i = list.indexOf(wk);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) {
        byKey.delete(wk.key);
        if (byKey.size === 0) this.watchers.delete(wk.db);
      }
    }
    this.count -= mine.length;
    if (this.count === 0) this.server.listenModified();
  }

  /** The keyspace's `modified` hook: `key` changed in `db` (Redis's touchWatchedKey). */
  touch(db: Database, key: string): void {
    const list = this.watchers.get(db)?.get(key);
    if (list === undefined) return;
    for (const wk of [...list]) {
      if (wk.expired) {
        // Deleting a key that was already expired when watched is no logical change. Redis then
        // stops looking at the key's later watchers too (the `break` in touchWatchedKey).
        if (!db.keys.has(key)) {
          wk.expired = false;
          continue;
        }
        break;
      }
      this.dirty(wk.client);
    }
  }

  /**
   * The keyspace's `emptying` hook: every key of `emptied` is about to go, replaced by the keys
   * of `replacement` for SWAPDB (Redis's touchAllWatchedKeysInDb, run before the change).
   */
  touchAll(emptied: Database, replacement: Database | null): void {
    const byKey = this.watchers.get(emptied);
    if (byKey === undefined) return;
    for (const [key, list] of [...byKey]) {
      const inEmptied = emptied.keys.has(key);
      const inReplacement = replacement !== null && replacement.keys.has(key);
      if (!inEmptied && !inReplacement) continue;
      for (const wk of [...list]) {
        if (wk.client.watched === null) continue; // made dirty by an earlier key of this loop
        if (wk.expired) {
          if (!inReplacement) {
            // The expired key is deleted: no logical change.
            wk.expired = false;
            continue;
          }
          if (this.isExpired(replacement!, key)) continue; // still expired after the swap
        } else if (!inEmptied && this.isExpired(replacement!, key)) {
          // A missing key replaced by an expired one: still missing.
          wk.expired = true;
          continue;
        }
        this.dirty(wk.client);
      }
    }
  }

  /** True when a key the client watches, live when watched, has expired since (EXEC fails). */
  watchedKeyExpired(c: Client): boolean {
    if (c.watched === null) return false;
    for (const wk of c.watched) if (!wk.expired && this.isExpired(wk.db, wk.key)) return true;
    return false;
  }

  private dirty(c: Client): void {
    c.flags.add('dirty_cas');
    this.unwatchAll(c);
  }

  /** Redis's keyIsExpired: stored with a TTL that has passed (never while loading). */
  private isExpired(db: Database, key: string): boolean {
    const e = db.keys.get(key);
    if (e === undefined || e.expireAt === 0) return false;
    return !this.server.loading && e.expireAt < db.ks.time;
  }
}

