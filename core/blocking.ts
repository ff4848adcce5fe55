// Blocking commands (BLPOP, BLMOVE, BZPOPMIN, BLMPOP, XREAD BLOCK, XREADGROUP BLOCK ...).
//
// Design, after Redis's blocked.c, with one simplification Redis 7.2 also made: a client is
// served by running its command again.
//
// - A blocking handler that finds no data calls `block(c, spec)` and returns without a reply.
//   The client is parked: it waits on some keys of its database, with a deadline. Until it is
//   unblocked the server runs none of its further input (processInput checks `c.blocked`).
// - Inside MULTI/EXEC (and scripts) a client may not block: block() returns false and the
//   handler answers at once as on timeout, as Redis does.
// - A command that may give a parked client data (a push, ZADD, XADD, a key created by RENAME or
//   MOVE ...) reports the key with `signalKeyReady(db, key)`; Database.add/set do so for list,
//   zset and stream values. That only queues the key: clients are served after the command that
//   made the data has finished (for EXEC, after the whole transaction), in `handleReady()`.
// - Serving a key runs the command of each client waiting on it, first come first served. If
//   the command blocks again (an earlier client took the data), the client keeps its place; if
//   it replies, it is unblocked everywhere, its reply is flushed and its pending input resumes.
// - The deadline is a timer per blocked client; on expiry the spec's onTimeout writes the reply
//   (a null array or a null bulk). CLIENT UNBLOCK ends a wait as a timeout or with an error.
//
// States of a client (c.blocked): null = not blocked; a BlockState = parked on its keys.

import type { Client } from './client.ts';
import type { Command } from './command.ts';
import type { Database } from './keyspace.ts';
import type { Server } from './server.ts';
import { ERR, STREAM_ERR } from './errors.ts';
import { typeName } from './keyspace.ts';
import { parseLongDouble } from './long_double.ts';
import { parseInt64 } from './numbers.ts';
import { ReplyWriter } from './resp/writer.ts';

/** The longest delay a JS timer takes (longer ones fire at once). */
const MAX_TIMER_MS = 2147483647;

export interface BlockSpec {
  /** Keys (in the client's current database) whose new data may serve the client. */
  keys: readonly string[];
  /** How long to wait in ms; 0 waits forever. */
  timeoutMs: number;
  /** Writes the reply for a timeout (also used when the client may not block). */
  onTimeout(c: Client): void;
  /** CLIENT LIST argv-mem while it waits, when the arguments as given differ from the ones
   * parked (XREAD's `$` is parked as the ID it meant); by default the parked ones' bytes. */
  argvMem?: number;
}

export interface BlockState {
  db: Database;
  keys: readonly string[];
  cmd: Command;
  argv: string[];
  onTimeout: (c: Client) => void;
  timer: ReturnType<typeof setTimeout> | null;
  /** Absolute deadline in keyspace-clock ms, 0 for none (CLIENT LIST, INFO). */
  deadline: number;
  /** The type of value that can serve it (Redis's btype): a key of another type leaves it
   * waiting. */
  type: BlockedType;
  /** XREADGROUP: released with an error once its stream is deleted or replaced. */
  readgroup: boolean;
  /** Microseconds the command took when it ran and blocked (Redis's c->duration). */
  firstUs: number;
  /** CLIENT LIST argv-mem while it waits: the bytes of the command's arguments, which Redis
   * keeps with a blocked client. */
  argvMem: number;
  /** Its replies are dropped: it blocked under CLIENT REPLY OFF, or right after CLIENT REPLY
   * SKIP, which Redis keeps in force until the blocked command is done (resetClient runs only
   * then), so whatever ends the wait (served, timed out, unblocked) answers nothing. */
  silent: boolean;
}

export type BlockedType = 'list' | 'zset' | 'stream';

/** The type each blocking command waits for. */
const BLOCKED_TYPE: Readonly<Record<string, BlockedType>> = {
  blpop: 'list', brpop: 'list', brpoplpush: 'list', blmove: 'list', blmpop: 'list',
  bzpopmin: 'zset', bzpopmax: 'zset', bzmpop: 'zset', xread: 'stream', xreadgroup: 'stream',
};

export class Blocking {
  private readonly server: Server;
  /** db -> key -> clients waiting on it, in arrival order. */
  private readonly waiting = new Map<Database, Map<string, Client[]>>();
  /** Keys signalled since the last handleReady, in order, without repeats. */
  private ready: { db: Database; key: string }[] = [];
  private readySet = new Set<string>();
  private serving = false;
  /** The client being served by handleReady, and whether its command blocked again. */
  private retrying: Client | null = null;
  private blockedAgain = false;
  /** Clients served by handleReady whose pending input has yet to run (see resume). */
  private unblocked: Client[] = [];
  /** While handleReady runs a waiting client's command again: the key whose data woke it (Redis
   * serves a client from that key alone: XREAD BLOCK on several streams replies with it). */
  servingKey: string | null = null;
  /** Where the replies of a silent BlockState go (then dropped). */
  private readonly scratch = new ReplyWriter();
  /** Number of clients blocked (INFO blocked_clients). */
  count = 0;
  /** Of those, the ones with a deadline (INFO clients_in_timeout_table). */
  timedCount = 0;
  /** Keys waited on across all databases (INFO blocked_keys... and cheap checks). */
  get keyCount(): number {
    let n = 0;
    for (const m of this.waiting.values()) n += m.size;
    return n;
  }

  constructor(server: Server) {
    this.server = server;
  }

  /**
   * Parks `c` on spec.keys (the command running is remembered and run again when a key gets
   * data). Returns false when the client may not block (inside MULTI/EXEC or a script): the
   * caller must then reply as on timeout.
   */
  block(c: Client, spec: BlockSpec): boolean {
    if (this.retrying === c) {
      // Served but still nothing for it: it keeps its place in every queue.
      this.blockedAgain = true;
      return true;
    }
    if (c.inExec || c.flags.has('script')) return false;
    const cmd = this.server.runningCommand;
    const argv = this.server.runningArgv;
    if (cmd === null || argv === null) return false;
    const db = c.db;
    const state: BlockState = {
      db, keys: [...new Set(spec.keys)], cmd, argv, onTimeout: spec.onTimeout, timer: null,
      deadline: spec.timeoutMs > 0 ? this.server.keyspace.clock() + spec.timeoutMs : 0,
      type: BLOCKED_TYPE[cmd.fullname] ?? 'list', readgroup: cmd.fullname === 'xreadgroup', firstUs: 0,
      argvMem: spec.argvMem ?? argv.reduce((n, a) => n + a.length, 0),
      // Server.call swaps `out` for a scratch writer while replies are dropped.
      silent: c.out !== c.pushOut,
    };
    c.blocked = state;
    this.count++;
    this.server.keyspace.hasWaiters = true;
    let byKey = this.waiting.get(db);
    if (byKey === undefined) {
      byKey = new Map();
      this.waiting.set(db, byKey);
    }
    for (const key of state.keys) {
      const list = byKey.get(key);
      if (list === undefined) byKey.set(key, [c]);
      else list.push(c);
    }
    if (spec.timeoutMs > 0) {
      this.arm(c, state, spec.timeoutMs);
      this.timedCount++;
    }
    return true;
  }

  /** Records that `key` may now have data for waiting clients. Cheap when nobody waits. */
  signalKeyReady(db: Database, key: string): void {
    if (this.count === 0) return;
    const byKey = this.waiting.get(db);
    if (byKey === undefined || !byKey.has(key)) return;
    const id = db.id + ':' + key;
    if (this.readySet.has(id)) return;
    this.readySet.add(id);
    this.ready.push({ db, key });
  }

  /** Every key of `db` that has waiters is signalled (SWAPDB, FLUSHALL, a full sync). */
  signalDatabase(db: Database): void {
    const byKey = this.waiting.get(db);
    if (byKey === undefined) return;
    for (const key of byKey.keys()) this.signalKeyReady(db, key);
  }

  get hasReady(): boolean {
    return this.ready.length > 0;
  }

  /**
   * Serves clients waiting on the keys signalled so far: for each key in signal order, each
   * waiting client in arrival order runs its command again. Keys signalled meanwhile (a served
   * BLMOVE pushes to its destination) are served in the same loop.
   */
  handleReady(): void {
    if (this.serving) return;
    this.serving = true;
    try {
      while (this.ready.length > 0) {
        const batch = this.ready;
        this.ready = [];
        this.readySet = new Set();
        for (const { db, key } of batch) {
          const list = this.waiting.get(db)?.get(key);
          if (list === undefined) continue;
          // As Redis's handleClientsBlockedOnKeys: the key (expired first) serves the clients
          // blocked for its type only, and once it is missing or not a stream, the XREADGROUP
          // waiters are released with an error (their group went with the stream).
          const e = db.peek(key);
          const type = e === undefined ? 'none' : typeName(e.value);
          if (e !== undefined) {
            for (const c of [...list]) {
              const st = c.blocked;
              if (st === null || st.db !== db || st.type !== type) continue;
              // Once the key is gone (popped empty) nobody else on it can be served now.
              if (!db.keys.has(key)) break;
              this.servingKey = key;
              try {
                this.retry(c, st);
              } finally {
                this.servingKey = null;
              }
            }
          }
          if (type !== 'stream') this.releaseReadgroups(db, key);
        }
      }
    } finally {
      this.serving = false;
    }
  }

  /** Replies UNBLOCKED to the XREADGROUP waiters on `key` (Redis's
   * unblockDeletedStreamReadgroupClients). */
  private releaseReadgroups(db: Database, key: string): void {
    const list = this.waiting.get(db)?.get(key);
    if (list === undefined) return;
    for (const c of [...list]) {
      const st = c.blocked;
      if (st === null || st.db !== db || !st.readgroup) continue;
      const errors = this.server.stats.totalErrorReplies;
      this.replyTo(c, st, () => this.server.replyError(c, STREAM_ERR.streamGone));
      if (this.server.stats.totalErrorReplies !== errors) st.cmd.stats.failed++;
      this.unpark(c);
      this.resume(c);
    }
  }

  private retry(c: Client, st: BlockState): void {
    const server = this.server;
    this.retrying = c;
    this.blockedAgain = false;
    let replyUs = 0;
    // A SKIP in force when it blocked drops this reply too (call() clears the flag again).
    if (st.silent) c.skipNextReply = true;
    try {
      replyUs = server.call(c, st.cmd, st.argv, true);
    } finally {
      this.retrying = null;
    }
    if (this.blockedAgain) return;
    server.unblocked(c, st.cmd, st.argv, st.firstUs, replyUs);
    this.unpark(c);
    this.resume(c);
  }

  /** Runs `reply`, which writes the reply that ends `c`'s wait; dropped when the wait is silent
   * (errors are still counted, as Redis counts them). */
  private replyTo(c: Client, st: BlockState, reply: () => void): void {
    if (!st.silent) {
      reply();
      return;
    }
    const out = c.out;
    this.scratch.proto = out.proto;
    c.out = this.scratch;
    try {
      reply();
    } finally {
      c.out = out;
      this.scratch.discard();
    }
  }

  /** Removes `c` from every queue and clears its timer; the caller replies or has replied. */
  private unpark(c: Client): void {
    const st = c.blocked;
    if (st === null) return;
    if (st.timer !== null) clearTimeout(st.timer);
    if (st.deadline !== 0) this.timedCount--;
    const byKey = this.waiting.get(st.db);
    if (byKey !== undefined) {
      for (const key of st.keys) {
        const list = byKey.get(key);
        if (list === undefined) continue;
        const i = list.indexOf(c);
        if (i >= 0) list.splice(i, 1);
        if (list.length === 0) byKey.delete(key);
      }
      if (byKey.size === 0) this.waiting.delete(st.db);
    }
    c.blocked = null;
    this.count--;
    if (this.count === 0) this.server.keyspace.hasWaiters = false;
  }

  /**
   * Sends the unblocked client's reply and runs what it sent while it waited. A client served by
   * handleReady runs its input only once the current command, every other client ready now, and
   * the rest of the running client's input are done (Redis processes unblocked clients in
   * beforeSleep): so clients waiting on the same key get its data before anyone's next command.
   */
  private resume(c: Client): void {
    if (c.closed) return;
    this.server.flush(c);
    if (c.closed) return;
    if (!this.serving) {
      this.server.processInput(c);
      return;
    }
    this.unblocked.push(c);
    if (this.unblocked.length === 1) {
      queueMicrotask(() => {
        const list = this.unblocked;
        this.unblocked = [];
        for (const u of list) if (!u.closed && u.blocked === null) this.server.processInput(u);
      });
    }
  }

  /**
   * Starts the deadline timer of a parked client. Timers hold at most 2^31-1 ms (longer ones fire
   * at once), so a longer wait (BLPOP k 1e9) is made of several.
   */
  private arm(c: Client, st: BlockState, ms: number): void {
    if (ms > MAX_TIMER_MS) st.timer = setTimeout(() => this.arm(c, st, ms - MAX_TIMER_MS), MAX_TIMER_MS);
    else st.timer = setTimeout(() => this.timeout(c), ms);
  }

  private timeout(c: Client): void {
    const st = c.blocked;
    if (st === null) return;
    st.timer = null;
    this.server.keyspace.tick();
    this.replyTo(c, st, () => st.onTimeout(c));
    this.unpark(c);
    this.resume(c);
  }

  /** CLIENT UNBLOCK: ends the wait as a timeout, or with the UNBLOCKED error. */
  unblock(c: Client, withError: boolean): boolean {
    const st = c.blocked;
    if (st === null) return false;
    this.replyTo(c, st, () => {
      if (withError) this.server.replyError(c, 'UNBLOCKED client unblocked via CLIENT UNBLOCK');
      else st.onTimeout(c);
    });
    // Redis 7.0 counts either way as a failed call of the blocked command (its CLIENT UNBLOCK
    // calls updateStatsOnUnblock with had_errors set).
    st.cmd.stats.failed++;
    // Redis 7.0 has already reset the client when it logs it, so the slowlog entry of a command
    // released by CLIENT UNBLOCK has no arguments.
    this.server.unblocked(c, st.cmd, [], st.firstUs, 0);
    this.unpark(c);
    // The unblocked client's reply goes out with the CLIENT UNBLOCK caller's batch.
    this.server.wake(c);
    queueMicrotask(() => {
      if (!c.closed && c.blocked === null) this.server.processInput(c);
    });
    return true;
  }

  /** A blocked client disconnected. */
  onClientClosed(c: Client): void {
    this.unpark(c);
  }
}

const I64_LIMIT = 1n << 63n;

/**
 * The timeout argument of a blocking command as Redis 7.0's getTimeoutFromObjectOrReply reads
 * it: in seconds (BLPOP, BZPOPMIN ...) a long double, times 1000 in long double precision, rounded
 * up to whole milliseconds and converted to a 64-bit integer (a value beyond that range, inf
 * included, converts to LLONG_MIN and so reads as negative); in milliseconds (XREAD BLOCK) a
 * 64-bit integer. Returns the wait in ms, 0 for "forever", or null after replying with Redis's
 * error (not a float / not an integer, or negative). So "0.0001" waits 1 ms and "-0.0001" waits
 * forever, as in Redis.
 */
export function parseTimeout(c: Client, arg: string, unit: 'seconds' | 'milliseconds'): number | null {
  let ms: bigint;
  if (unit === 'milliseconds') {
    const v = parseInt64(arg);
    if (v === null) {
      c.server.replyError(c, ERR.timeoutNotInteger);
      return null;
    }
    ms = v;
  } else {
    const x = parseLongDouble(arg);
    if (x === null) {
      c.server.replyError(c, ERR.timeoutNotFloat);
      return null;
    }
    if (x.inf) {
      ms = -I64_LIMIT;
    } else if (x.m === 0n) {
      ms = 0n;
    } else {
      // x * 1000 rounded to a 64-bit significand, ties to even (the x87 multiplication) ...
      let m = x.m * 1000n;
      let e = x.e;
      const bits = m.toString(2).length;
      if (bits > 64) {
        const shift = BigInt(bits - 64);
        const q = m >> shift;
        const rem = m - (q << shift);
        const half = 1n << (shift - 1n);
        m = rem > half || (rem === half && (q & 1n) === 1n) ? q + 1n : q;
        e += bits - 64;
      }
      // ... then ceill() and the conversion to long long.
      let whole: bigint;
      if (e >= 0) whole = m << BigInt(e);
      else {
        const k = BigInt(-e);
        whole = m >> k;
        if (!x.neg && (whole << k) !== m) whole += 1n;
      }
      ms = x.neg ? -whole : whole;
      if (ms >= I64_LIMIT || ms < -I64_LIMIT) ms = -I64_LIMIT;
    }
  }
  if (ms < 0n) {
    c.server.replyError(c, ERR.timeoutNegative);
    return null;
  }
  return Number(ms);
}
