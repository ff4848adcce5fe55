// Client-side caching: CLIENT TRACKING and the invalidation messages (Redis 7.0's src/tracking.c).
//
// A tracking client is told when keys it may have cached change:
// - Default mode: the keys of the read-only commands it runs are remembered in `table` (key ->
//   ids of the clients that read it). When such a key changes, each of those clients gets one
//   invalidation and the key is forgotten until read again. Entries outlive CLIENT TRACKING OFF
//   (Redis does not purge them either): a client that turns tracking on again hears about keys
//   it read before, unless they changed in between.
// - OPTIN / OPTOUT: keys are remembered only after CLIENT CACHING YES / unless CLIENT CACHING NO,
//   for the one command that follows (the flag is dropped after each command other than CLIENT
//   ones, and kept through MULTI until EXEC or DISCARD).
// - BCAST: nothing is remembered; every change to a key under one of the client's prefixes is
//   collected per prefix and sent once per event-loop turn, before replies are written
//   (broadcast(), Redis's beforeSleep), the keys of a prefix in one message in byte order.
// - NOLOOP: changes the client made itself are not reported to it.
// - FLUSHDB/FLUSHALL (and any emptying of a database other than SWAPDB) invalidate everything:
//   a null invalidation to every tracking client, and the table is dropped.
//
// Messages: in RESP3, a push `>2 invalidate <keys>` on the tracking connection (keys an array,
// or null for a flush). With REDIRECT id they go to that client instead: as the same push when
// it speaks RESP3, as a `message` on __redis__:invalidate when it is a RESP2 client subscribed
// to it; otherwise nothing is sent (a RESP2 connection cannot carry push data). A redirect target
// that is gone marks the redirect broken and, to a RESP3 client, sends `tracking-redir-broken`.
// An invalidation for the client running the command is held until its reply is written (after
// EXEC for a transaction), as Redis's tracking_pending_keys.
//
// Cost: the server calls in here only while `listening` (some client tracks, or keys are still
// remembered) for writes, and only while `active` after commands; otherwise nothing is
// installed on the write path (server.listenModified).

import type { Client } from './client.ts';
import type { Command } from './command.ts';
import { ERR, trackingPrefixOverlap } from './errors.ts';
import type { Server } from './server.ts';

/** One tracking client's mode (Redis's CLIENT_TRACKING_* flags and redirection id). */
interface TrackingState {
  /** Client id the messages go to; 0 for the connection itself. */
  redirect: number;
  bcast: boolean;
  optin: boolean;
  optout: boolean;
  noloop: boolean;
  /** CLIENT CACHING YES (OPTIN) or NO (OPTOUT) applies to the next command. */
  caching: boolean;
  brokenRedirect: boolean;
  /** BCAST prefixes, in byte order as Redis lists them. */
  prefixes: string[];
}

/** A BCAST prefix: its clients, and the keys changed under it this turn with who changed them. */
interface PrefixState {
  clients: Set<Client>;
  keys: Map<string, Client | null>;
}

export interface TrackingOptions {
  redirect: number;
  bcast: boolean;
  optin: boolean;
  optout: boolean;
  noloop: boolean;
  prefixes: string[];
}

const INVALIDATE_CHANNEL = '__redis__:invalidate';

function byBytes(a: string, b: string): number {
  // Byte strings: UTF-16 code unit order is byte order.
  return a < b ? -1 : a > b ? 1 : 0;
}

export class Tracking {
  private readonly server: Server;
  private readonly states = new Map<Client, TrackingState>();
  /** Redis's TrackingTable: key -> ids of the clients that read it. */
  private table = new Map<string, Set<number>>();
  /** (key, client) pairs in `table`: Redis's TrackingTableTotalItems. */
  private items = 0;
  /** Redis's PrefixTable, for BCAST clients. */
  private readonly prefixTable = new Map<string, PrefixState>();
  /** Invalidations held for the client running a command; null stands for a flush. */
  private readonly pending: (string | null)[] = [];
  /** The argv of the command whose emptying of databases was already reported (FLUSHALL
   * empties every database, and Redis sends one message for the whole command). */
  private flushedBy: readonly string[] | null = null;
  private broadcastDue = false;

  constructor(server: Server) {
    this.server = server;
  }

  /** Writes must reach invalidateKey: some client tracks, or keys are still remembered. */
  get listening(): boolean {
    return this.states.size > 0 || this.table.size > 0;
  }

  /** Commands must reach afterCall. */
  get active(): boolean {
    return this.states.size > 0 || this.pending.length > 0;
  }

  /** Whether a BCAST broadcast is waiting for the end of the event-loop turn. */
  get due(): boolean {
    return this.broadcastDue;
  }

  /** INFO: tracking_clients, tracking_total_keys/items/prefixes. */
  get clients(): number {
    return this.states.size;
  }

  get totalKeys(): number {
    return this.table.size;
  }

  get totalItems(): number {
    return this.items;
  }

  get totalPrefixes(): number {
    return this.prefixTable.size;
  }

  isTracking(c: Client): boolean {
    return this.states.has(c);
  }

  // -------------------------------------------------------------------------------------------
  // CLIENT TRACKING / CACHING / GETREDIR / TRACKINGINFO

  /**
   * CLIENT TRACKING ON with parsed options: checks them against each other and the client's
   * current mode, replies with the error and returns false when they do not fit. A prefix
   * overlapping another given after it is replied as an error and tracking is still enabled, as
   * Redis's checkPrefixCollisionsOrReply does (the caller then replies OK as well).
   */
  enable(c: Client, o: TrackingOptions): boolean {
    const st = this.states.get(c);
    if (!o.bcast && o.prefixes.length > 0) return this.fail(c, ERR.trackingPrefixNeedsBcast);
    if (st !== undefined && st.bcast !== o.bcast) return this.fail(c, ERR.trackingBcastSwitch);
    if (o.bcast && (o.optin || o.optout)) return this.fail(c, ERR.trackingOptBcast);
    if (o.optin && o.optout) return this.fail(c, ERR.trackingOptinOptout);
    if (st !== undefined && ((o.optin && st.optout) || (o.optout && st.optin))) {
      return this.fail(c, ERR.trackingOptSwitch);
    }
    if (o.bcast && !this.checkPrefixes(c, st, o.prefixes)) return false;
    const next: TrackingState = st ?? {
      redirect: 0, bcast: false, optin: false, optout: false, noloop: false, caching: false,
      brokenRedirect: false, prefixes: [],
    };
    next.redirect = o.redirect;
    next.bcast = o.bcast;
    next.optin = o.optin;
    next.optout = o.optout;
    next.noloop = o.noloop;
    next.brokenRedirect = false;
    this.states.set(c, next);
    c.flags.add('tracking');
    if (o.bcast) {
      if (o.prefixes.length === 0) this.addPrefix(c, next, '');
      for (const p of o.prefixes) this.addPrefix(c, next, p);
    }
    this.server.listenModified();
    return true;
  }

  /** CLIENT TRACKING OFF, RESET, a closed connection. */
  disable(c: Client): void {
    const st = this.states.get(c);
    if (st === undefined) return;
    for (const p of st.prefixes) {
      const ps = this.prefixTable.get(p);
      if (ps === undefined) continue;
      ps.clients.delete(c);
      if (ps.clients.size === 0) this.prefixTable.delete(p);
    }
    this.states.delete(c);
    c.flags.delete('tracking');
    this.server.listenModified();
  }

  /** CLIENT CACHING YES|NO (argument already lowercased). */
  caching(c: Client, mode: string): void {
    const st = this.states.get(c);
    if (st === undefined) return this.reply(c, ERR.cachingNotTracking);
    if (mode === 'yes') {
      if (!st.optin) return this.reply(c, ERR.cachingYes);
    } else if (mode === 'no') {
      if (!st.optout) return this.reply(c, ERR.cachingNo);
    } else {
      return this.reply(c, ERR.syntax);
    }
    st.caching = true;
    c.out.ok();
  }

  /** CLIENT GETREDIR: the redirect id, 0 without one, -1 when not tracking. */
  redirectOf(c: Client): number {
    return this.states.get(c)?.redirect ?? -1;
  }

  /** CLIENT TRACKINGINFO. */
  writeInfo(c: Client): void {
    const st = this.states.get(c);
    const out = c.out;
    out.map(3);
    out.bulk('flags');
    const flags: string[] = [];
    if (st === undefined) {
      flags.push('off');
    } else {
      flags.push('on');
      if (st.bcast) flags.push('bcast');
      if (st.optin) {
        flags.push('optin');
        if (st.caching) flags.push('caching-yes');
      }
      if (st.optout) {
        flags.push('optout');
        if (st.caching) flags.push('caching-no');
      }
      if (st.noloop) flags.push('noloop');
      if (st.brokenRedirect) flags.push('broken_redirect');
    }
    out.set(flags.length);
    for (const f of flags) out.bulk(f);
    out.bulk('redirect');
    out.int(st === undefined ? -1 : st.redirect);
    out.bulk('prefixes');
    const prefixes = st === undefined ? [] : st.prefixes;
    out.array(prefixes.length);
    for (const p of prefixes) out.bulk(p);
  }

  /** CLIENT LIST's redir= and flags R/B. */
  /** How many BCAST prefixes `c` tracks (its tot-mem counts them, as Redis counts rax nodes). */
  prefixCount(c: Client): number {
    return this.states.get(c)?.prefixes.length ?? 0;
  }

  listFields(c: Client): { redirect: number; broken: boolean; bcast: boolean } {
    const st = this.states.get(c);
    if (st === undefined) return { redirect: -1, broken: false, bcast: false };
    return { redirect: st.redirect, broken: st.brokenRedirect, bcast: st.bcast };
  }

  private fail(c: Client, error: string): false {
    this.server.replyError(c, error);
    return false;
  }

  private reply(c: Client, error: string): void {
    this.server.replyError(c, error);
  }

  /** Redis's checkPrefixCollisionsOrReply, with its quirk kept (see enable). */
  private checkPrefixes(c: Client, st: TrackingState | undefined, prefixes: readonly string[]): boolean {
    const overlap = (a: string, b: string): boolean => (a.length <= b.length ? b.startsWith(a) : a.startsWith(b));
    for (let i = 0; i < prefixes.length; i++) {
      for (const existing of st?.prefixes ?? []) {
        if (overlap(existing, prefixes[i])) return this.fail(c, trackingPrefixOverlap(prefixes[i], existing, true));
      }
      for (let j = i + 1; j < prefixes.length; j++) {
        if (overlap(prefixes[i], prefixes[j])) {
          this.server.replyError(c, trackingPrefixOverlap(prefixes[i], prefixes[j], false));
          // Redis returns the index here: 0 stops, any other goes on to enable tracking.
          return i !== 0;
        }
      }
    }
    return true;
  }

  private addPrefix(c: Client, st: TrackingState, prefix: string): void {
    if (st.prefixes.includes(prefix)) return;
    st.prefixes.push(prefix);
    st.prefixes.sort(byBytes);
    let ps = this.prefixTable.get(prefix);
    if (ps === undefined) {
      ps = { clients: new Set(), keys: new Map() };
      this.prefixTable.set(prefix, ps);
    }
    ps.clients.add(c);
  }

  // -------------------------------------------------------------------------------------------
  // Server hooks

  /**
   * After each command `c` ran (server.call): remembers the keys a read-only command read,
   * drops a CLIENT CACHING flag that has served, and at the end of a top-level command sends
   * the invalidations held for `c` after its reply.
   */
  afterCall(c: Client, cmd: Command, argv: readonly string[], topLevel: boolean): void {
    const st = this.states.get(c);
    if (st !== undefined) {
      if (cmd.isReadonly && !st.bcast && !((st.optin && !st.caching) || (st.optout && st.caching))) {
        for (const p of cmd.keyPositions(argv)) this.remember(c, argv[p]);
      }
      if (topLevel && st.caching && c.multi === null && cmd.parent?.name !== 'client') st.caching = false;
    }
    if (topLevel && this.pending.length > 0) {
      const held = this.pending.splice(0);
      for (const key of held) this.send(c, key === null ? null : [key]);
    }
  }

  /** A command refused before it ran also uses up CLIENT CACHING, unless it is a CLIENT one
   * (Redis's resetClient runs after every command it reads). */
  rejected(c: Client, cmd: Command | null): void {
    const st = this.states.get(c);
    if (st !== undefined && st.caching && c.multi === null && cmd?.parent?.name !== 'client') st.caching = false;
  }

  private remember(c: Client, key: string): void {
    let ids = this.table.get(key);
    if (ids === undefined) {
      ids = new Set();
      this.table.set(key, ids);
    }
    if (!ids.has(c.id)) {
      ids.add(c.id);
      this.items++;
    }
  }

  /** A key changed (the keyspace's modified hook): Redis's trackingInvalidateKey. */
  invalidateKey(key: string): void {
    const current = this.server.current;
    if (this.prefixTable.size > 0) this.collectForBroadcast(key, current);
    const ids = this.table.get(key);
    if (ids === undefined) return;
    this.table.delete(key);
    this.items -= ids.size;
    for (const id of ids) {
      const target = this.server.clients.get(id);
      if (target === undefined) continue;
      const st = this.states.get(target);
      if (st === undefined || st.bcast) continue;
      if (st.noloop && target === current) continue;
      if (target === current) this.pending.push(key);
      else this.send(target, [key]);
    }
    if (!this.listening) this.server.listenModified();
  }

  /**
   * A database is being emptied (`replacement` null) or swapped. Emptying invalidates every
   * tracking client once per command, and forgets every remembered key.
   */
  onEmptying(replacement: unknown): void {
    if (replacement !== null) return;
    const argv = this.server.runningArgv;
    if (argv !== null && argv === this.flushedBy) return;
    this.flushedBy = argv;
    const current = this.server.current;
    for (const c of this.states.keys()) {
      if (c === current) this.pending.push(null);
      else this.send(c, null);
    }
    this.table = new Map();
    this.items = 0;
    this.server.listenModified();
  }

  onClientClosed(c: Client): void {
    this.disable(c);
  }

  private collectForBroadcast(key: string, by: Client | null): void {
    for (const [prefix, ps] of this.prefixTable) {
      if (!key.startsWith(prefix)) continue;
      ps.keys.set(key, by);
      if (!this.broadcastDue) {
        this.broadcastDue = true;
        // Makes sure the end-of-turn flush runs even when no client's command caused this
        // (keys expired by the cron).
        for (const c of ps.clients) this.server.wake(c);
      }
    }
  }

  /** Sends what BCAST clients must hear about this turn (Redis's beforeSleep broadcast). */
  broadcast(): void {
    this.broadcastDue = false;
    const prefixes = [...this.prefixTable.keys()].sort(byBytes);
    for (const prefix of prefixes) {
      const ps = this.prefixTable.get(prefix)!;
      if (ps.keys.size === 0) continue;
      const keys = [...ps.keys.keys()].sort(byBytes);
      for (const c of ps.clients) {
        if (this.states.get(c)?.noloop === true) {
          const own = keys.filter((k) => ps.keys.get(k) !== c);
          if (own.length > 0) this.send(c, own);
        } else {
          this.send(c, keys);
        }
      }
      ps.keys = new Map();
    }
  }

  /**
   * Redis's sendTrackingMessage: an invalidation of `keys` (null: everything) for the tracking
   * client `c`, to `c` itself or to its redirect target.
   */
  private send(c: Client, keys: readonly string[] | null): void {
    const st = this.states.get(c);
    let to = c;
    let redirected = false;
    if (st !== undefined && st.redirect !== 0) {
      const target = this.server.clients.get(st.redirect);
      if (target === undefined || target.closed) {
        st.brokenRedirect = true;
        if (c.resp === 3) {
          c.out.push(2);
          c.out.bulk('tracking-redir-broken');
          c.out.int(st.redirect);
          this.server.wake(c);
        }
        return;
      }
      to = target;
      redirected = true;
    }
    if (to.closed) return;
    const out = to.out;
    if (to.resp === 3) {
      out.push(2);
      out.bulk('invalidate');
    } else if (redirected && to.flags.has('pubsub')) {
      out.array(3);
      out.bulk('message');
      out.bulk(INVALIDATE_CHANNEL);
    } else {
      return;
    }
    if (keys === null) {
      // The null of the tracking client's protocol, whoever receives it (shared.null[c->resp]).
      out.raw(c.resp === 3 ? '_\r\n' : '$-1\r\n');
    } else {
      out.array(keys.length);
      for (const k of keys) out.bulk(k);
    }
    this.server.wake(to);
  }
}
