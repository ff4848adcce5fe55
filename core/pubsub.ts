// Pub/sub, keyspace notifications and client output buffer limits, after Redis 7.0's
// src/pubsub.c, src/notify.c and the obuf-limit part of src/networking.c.
//
// Subscriptions
// - The server maps each channel, pattern and shard channel to the set of its subscribers; each
//   client keeps what it subscribed to (for UNSUBSCRIBE without arguments, the counts in the
//   replies, CLIENT LIST, and cleanup on RESET or disconnect). JS Sets keep insertion order, so
//   subscribers are served in subscription order and a client's patterns come back in the order
//   it subscribed them, as Redis's lists do (its channel dicts have no useful order).
// - A client with any subscription has the 'pubsub' flag: CLIENT LIST shows P, CLIENT KILL TYPE
//   pubsub finds it, the idle `timeout` spares it, and in RESP2 the server lets it run only the
//   commands in PUBSUB_CONTEXT_COMMANDS (core/server.ts, execute).
// - Messages and subscription replies are pushes: `>` in RESP3, arrays in RESP2. They go to the
//   connection's own writer (Client.pushOut), so CLIENT REPLY OFF/SKIP does not drop them, as
//   Redis's CLIENT_PUSHING flag does. A message for another client is flushed with wake().
//
// Keyspace notifications
// - The keyspace reports events through hooks.notify(class, event, key, db). When
//   notify-keyspace-events selects no class, or neither K nor E, the hook is a no-op function, so
//   events cost one empty call. `new` (n) and `keymiss` (m) are reported by the keyspace itself
//   only while those classes are on (Keyspace.notifyNew / notifyMiss), because they sit on the
//   hottest paths (every key creation, every read miss).
// - An event goes to `__keyspace@<db>__:<key>` (message: the event) with K and to
//   `__keyevent@<db>__:<event>` (message: the key) with E, through the same publish as PUBLISH,
//   and costs nothing more when nobody is subscribed to anything.
//
// Output buffer limits (client-output-buffer-limit <class> <hard> <soft> <soft seconds>)
// - The pending output of a client is its reply buffer plus what its transport still queues
//   (conn.bufferedAmount), less the 16 KB Redis keeps in a static buffer that the limits never
//   count (so tiny limits do not close clients over small replies). It is checked when a message
//   is added (pub/sub), after each command and before a reply is written (server.ts).
// - Over the hard limit, or over the soft limit at every check for more than the soft seconds
//   (Redis measures between checks too), the client is closed "ASAP": nothing more is written to
//   it, its pending replies are dropped, its pipeline stops, the warning Redis logs is logged,
//   and the connection is closed once the running batch of commands is over. What the transport
//   already queued is still delivered before the close (Redis drops its own reply list).
// - Classes: pubsub for subscribed clients, normal for the others (and for a master link);
//   replicas are left to the replication plugin, whose stream Redis accounts separately.
//
// States of a client here: not in `subs` = no subscription; in `subs` = subscribed (flag
// 'pubsub' set); flag 'close_asap' = over its output limit, closing at the end of the batch.

import type { Client } from './client.ts';
import { clientInfoLine } from './client_info.ts';
import type { ConfigValue } from './config/mod.ts';
import { globMatch } from './glob.ts';
import { type Database, noNotify } from './keyspace.ts';
import type { Server } from './server.ts';

/** The subscribers of one channel or pattern: most have one, kept without a Set. */
export type Members = Client | Set<Client>;

/** How many clients `m` holds. */
export function memberCount(m: Members | undefined): number {
  return m === undefined ? 0 : m instanceof Set ? m.size : 1;
}

/** What one client is subscribed to. */
interface Subscriptions {
  channels: Set<string>;
  patterns: Set<string>;
  shard: Set<string>;
}

/** One class of client-output-buffer-limit; 0 disables a limit. */
interface ObufLimit {
  hard: number;
  soft: number;
  softSeconds: number;
}

/** Commands a RESP2 client may run while subscribed (processCommand in src/server.c). */
export const PUBSUB_CONTEXT_COMMANDS: ReadonlySet<string> = new Set([
  'ping', 'subscribe', 'ssubscribe', 'unsubscribe', 'sunsubscribe', 'psubscribe', 'punsubscribe',
  'quit', 'reset',
]);

// notify-keyspace-events letters as bits (Redis's NOTIFY_* values).
const K = 1 << 0;
const E = 1 << 1;
const CLASS_BITS: Readonly<Record<string, number>> = {
  K, E, g: 1 << 2, $: 1 << 3, l: 1 << 4, s: 1 << 5, h: 1 << 6, z: 1 << 7, x: 1 << 8, e: 1 << 9,
  t: 1 << 10, m: 1 << 11, d: 1 << 12, n: 1 << 13,
};

/** The notify-keyspace-events value (the config keeps the letters, A expanded) as bits. */
export function keyspaceEventBits(letters: string): number {
  let bits = 0;
  for (const ch of letters) bits |= CLASS_BITS[ch] ?? 0;
  return bits;
}

/** Redis's PROTO_REPLY_CHUNK_BYTES: the static reply buffer, not counted by the limits. */
const STATIC_REPLY_BUFFER = 16 * 1024;
/**
 * What Redis holds beyond that buffer goes in a list of blocks of PROTO_REPLY_CHUNK_BYTES asked
 * for with a 16-byte header: jemalloc's 20 KB size class, so 20464 bytes of replies a block, and
 * each block counts whole (reply_bytes adds its size) plus its list node and header (40 bytes).
 */
const REPLY_BLOCK = 20480 - 16;
const REPLY_BLOCK_OVERHEAD = 40;

/**
 * Redis's getClientOutputBufferMemoryUsage for `pending` bytes of replies not yet sent, as built
 * by the small appends that make up most replies: whole blocks past the static buffer.
 */
function outputBufferUsage(pending: number): number {
  const over = pending - STATIC_REPLY_BUFFER;
  return over <= 0 ? 0 : Math.ceil(over / REPLY_BLOCK) * (REPLY_BLOCK + REPLY_BLOCK_OVERHEAD);
}

export class PubSub {
  private readonly server: Server;
  /** channel -> subscribers, pattern -> subscribers, shard channel -> subscribers. */
  readonly channels = new Map<string, Members>();
  readonly patterns = new Map<string, Members>();
  readonly shardChannels = new Map<string, Members>();
  private readonly subs = new Map<Client, Subscriptions>();
  /** notify-keyspace-events as bits. */
  private events = 0;
  private readonly notifyFn = (cls: string, event: string, key: string, db: Database): void => {
    this.notify(cls, event, key, db);
  };
  private normalLimit: ObufLimit = { hard: 0, soft: 0, softSeconds: 0 };
  private pubsubLimit: ObufLimit = { hard: 0, soft: 0, softSeconds: 0 };
  /** When each client was first seen over its soft limit (keyspace clock, whole seconds). */
  private readonly softSince = new Map<Client, number>();

  constructor(server: Server) {
    this.server = server;
    this.applyEvents(server.config.str('notify-keyspace-events'));
    server.config.onChange('notify-keyspace-events', (v) => this.applyEvents(v as string));
    this.applyLimits(server.config.get('client-output-buffer-limit'));
    server.config.onChange('client-output-buffer-limit', (v) => this.applyLimits(v));
  }

  // -------------------------------------------------------------------------------------------
  // Subscriptions

  /** The subscription counts CLIENT LIST shows (sub, psub, ssub). */
  counts(c: Client): [number, number, number] {
    const s = this.subs.get(c);
    return s === undefined ? [0, 0, 0] : [s.channels.size, s.patterns.size, s.shard.size];
  }

  private state(c: Client): Subscriptions {
    let s = this.subs.get(c);
    if (s === undefined) {
      s = { channels: new Set(), patterns: new Set(), shard: new Set() };
      this.subs.set(c, s);
    }
    return s;
  }

  /** Redis's clientSubscriptionsCount (channels and patterns) or, for shard, the shard count. */
  private count(c: Client, shard: boolean): number {
    const s = this.subs.get(c);
    if (s === undefined) return 0;
    return shard ? s.shard.size : s.channels.size + s.patterns.size;
  }

  /** Drops the client's state and the pubsub flag once it has no subscription left. */
  private settle(c: Client): void {
    const s = this.subs.get(c);
    if (s !== undefined && s.channels.size + s.patterns.size + s.shard.size === 0) {
      this.subs.delete(c);
      c.flags.delete('pubsub');
    }
  }

  /** SUBSCRIBE / SSUBSCRIBE of one channel, with its confirmation. */
  subscribe(c: Client, channel: string, shard: boolean): void {
    const s = this.state(c);
    const mine = shard ? s.shard : s.channels;
    if (!mine.has(channel)) {
      mine.add(channel);
      addMember(shard ? this.shardChannels : this.channels, channel, c);
    }
    c.flags.add('pubsub');
    confirm(c, shard ? 'ssubscribe' : 'subscribe', channel, this.count(c, shard));
  }

  /** UNSUBSCRIBE / SUNSUBSCRIBE of one channel (confirmed even when not subscribed). */
  unsubscribe(c: Client, channel: string, shard: boolean, notify = true): void {
    const s = this.subs.get(c);
    const mine = s === undefined ? undefined : shard ? s.shard : s.channels;
    if (mine !== undefined && mine.delete(channel)) {
      removeMember(shard ? this.shardChannels : this.channels, channel, c);
    }
    if (notify) confirm(c, shard ? 'sunsubscribe' : 'unsubscribe', channel, this.count(c, shard));
  }

  /** UNSUBSCRIBE / SUNSUBSCRIBE without arguments: every channel, or a null one when none. */
  unsubscribeAll(c: Client, shard: boolean, notify = true): void {
    const s = this.subs.get(c);
    const mine = s === undefined ? undefined : shard ? s.shard : s.channels;
    if (mine === undefined || mine.size === 0) {
      if (notify) confirm(c, shard ? 'sunsubscribe' : 'unsubscribe', null, this.count(c, shard));
      return;
    }
    for (const channel of [...mine]) this.unsubscribe(c, channel, shard, notify);
  }

  /** PSUBSCRIBE of one pattern. */
  psubscribe(c: Client, pattern: string): void {
    const s = this.state(c);
    if (!s.patterns.has(pattern)) {
      s.patterns.add(pattern);
      addMember(this.patterns, pattern, c);
    }
    c.flags.add('pubsub');
    confirm(c, 'psubscribe', pattern, this.count(c, false));
  }

  /** PUNSUBSCRIBE of one pattern (confirmed even when not subscribed). */
  punsubscribe(c: Client, pattern: string, notify = true): void {
    const s = this.subs.get(c);
    if (s !== undefined && s.patterns.delete(pattern)) removeMember(this.patterns, pattern, c);
    if (notify) confirm(c, 'punsubscribe', pattern, this.count(c, false));
  }

  /** PUNSUBSCRIBE without arguments, in subscription order. */
  punsubscribeAll(c: Client, notify = true): void {
    const s = this.subs.get(c);
    if (s === undefined || s.patterns.size === 0) {
      if (notify) confirm(c, 'punsubscribe', null, this.count(c, false));
      return;
    }
    for (const pattern of [...s.patterns]) this.punsubscribe(c, pattern, notify);
  }

  /** After an (un)subscribe command: the pubsub flag stays while any subscription is left. */
  done(c: Client): void {
    this.settle(c);
  }

  /** RESET and disconnects: every subscription goes, silently. */
  clear(c: Client): void {
    const s = this.subs.get(c);
    if (s !== undefined) {
      for (const ch of s.channels) removeMember(this.channels, ch, c);
      for (const p of s.patterns) removeMember(this.patterns, p, c);
      for (const ch of s.shard) removeMember(this.shardChannels, ch, c);
      this.subs.delete(c);
    }
    c.flags.delete('pubsub');
  }

  /** The server calls this when a client is gone. */
  onClientClosed(c: Client): void {
    if (this.subs.has(c)) this.clear(c);
    this.softSince.delete(c);
  }

  // -------------------------------------------------------------------------------------------
  // Publishing

  /**
   * Sends `message` to the subscribers of `channel`, then (unless shard) to the subscribers of
   * every matching pattern, pattern by pattern; returns the number of deliveries, as PUBLISH
   * replies. A client subscribed to the channel and to matching patterns gets one message each.
   */
  publish(channel: string, message: string, shard = false): number {
    let n = 0;
    const direct = (shard ? this.shardChannels : this.channels).get(channel);
    if (direct !== undefined) {
      const kind = shard ? 'smessage' : 'message';
      if (direct instanceof Set) for (const c of direct) this.message(c, kind, channel, message);
      else this.message(direct, kind, channel, message);
      n += memberCount(direct);
    }
    if (shard || this.patterns.size === 0) return n;
    for (const [pattern, clients] of this.patterns) {
      if (!globMatch(pattern, channel)) continue;
      if (clients instanceof Set) for (const c of clients) this.pmessage(c, pattern, channel, message);
      else this.pmessage(clients, pattern, channel, message);
      n += memberCount(clients);
    }
    return n;
  }

  /** `[message|smessage, channel, message]`; a client being closed is counted but skipped. */
  private message(c: Client, kind: string, channel: string, message: string): void {
    if (c.flags.has('close_asap')) return;
    const out = c.pushOut;
    out.push(3);
    out.bulk(kind);
    out.bulk(channel);
    out.bulk(message);
    this.delivered(c);
  }

  private pmessage(c: Client, pattern: string, channel: string, message: string): void {
    if (c.flags.has('close_asap')) return;
    const out = c.pushOut;
    out.push(4);
    out.bulk('pmessage');
    out.bulk(pattern);
    out.bulk(channel);
    out.bulk(message);
    this.delivered(c);
  }

  private delivered(c: Client): void {
    if (this.checkOutputLimit(c)) return;
    if (c !== this.server.current) this.server.wake(c);
  }

  // -------------------------------------------------------------------------------------------
  // Keyspace notifications

  private applyEvents(letters: string): void {
    const bits = keyspaceEventBits(letters);
    this.events = bits;
    const ks = this.server.keyspace;
    // Nothing is published without K or E, nor without a class selected.
    const on = (bits & (K | E)) !== 0 && (bits & ~(K | E)) !== 0;
    ks.hooks.notify = on ? this.notifyFn : noNotify;
    ks.notifyNew = on && (bits & CLASS_BITS.n) !== 0;
    ks.notifyMiss = on && (bits & CLASS_BITS.m) !== 0;
  }

  /** notifyKeyspaceEvent: publishes the event if its class is selected. */
  notify(cls: string, event: string, key: string, db: Database): void {
    const bits = this.events;
    if ((bits & (CLASS_BITS[cls] ?? 0)) === 0) return;
    // Nobody can receive it: skip building the channel names.
    if (this.channels.size === 0 && this.patterns.size === 0) return;
    if (cls === 'm') {
      // OBJECT looks keys up without a miss event (LOOKUP_NONOTIFY in Redis).
      const cmd = this.server.runningCommand;
      if (cmd !== null && cmd.parent !== null && cmd.parent.name === 'object') return;
    }
    if ((bits & K) !== 0) this.publish('__keyspace@' + db.id + '__:' + key, event);
    if ((bits & E) !== 0) this.publish('__keyevent@' + db.id + '__:' + event, key);
  }

  // -------------------------------------------------------------------------------------------
  // Output buffer limits

  private applyLimits(v: ConfigValue): void {
    const a = v as string[];
    const limit = (cls: string): ObufLimit => {
      const j = a.indexOf(cls);
      return { hard: Number(a[j + 1]), soft: Number(a[j + 2]), softSeconds: Number(a[j + 3]) };
    };
    this.normalLimit = limit('normal');
    this.pubsubLimit = limit('pubsub');
  }

  /**
   * Checks `c`'s pending output against its class's limits (Redis's
   * checkClientOutputBufferLimits); over them, schedules the close. Returns true when the
   * client is closing and nothing more must be written to it. Cheap when no limit applies.
   */
  checkOutputLimit(c: Client): boolean {
    if (c.flags.has('close_asap')) return true;
    const lim = this.limitOf(c);
    if (lim === null || (lim.hard === 0 && lim.soft === 0)) return false;
    // Redis counts only what overflows a client's 16 KB static reply buffer, so small replies
    // never count, whatever the limits; the rest counts as Redis allocates it (see
    // outputBufferUsage): a 100 KB KEYS reply passes a 100000-byte limit there, and here.
    const used = outputBufferUsage(c.pushOut.size + c.conn.bufferedAmount);
    // Like Redis (reply_bytes == 0), an empty buffer is not checked and keeps any soft timer.
    if (used <= 0) return false;
    let over = lim.hard > 0 && used >= lim.hard;
    if (!over && lim.soft > 0) {
      if (used >= lim.soft) {
        const now = Math.floor(this.server.keyspace.time / 1000);
        const since = this.softSince.get(c);
        if (since === undefined) this.softSince.set(c, now);
        else if (now - since > lim.softSeconds) over = true;
      } else {
        this.softSince.delete(c);
      }
    }
    if (!over) return false;
    this.closeAsap(c);
    return true;
  }

  /** The output buffer limits of `c`'s class; null for a replica (never limited). */
  private limitOf(c: Client): ObufLimit | null {
    const flags = c.flags;
    if (flags.size === 0) return this.normalLimit;
    if (flags.has('replica')) return null;
    return flags.has('pubsub') && !flags.has('master') ? this.pubsubLimit : this.normalLimit;
  }

  /** Whether a hard output buffer limit would cut off a reply to `c` that grows without end. */
  hasHardLimit(c: Client): boolean {
    return (this.limitOf(c)?.hard ?? 0) > 0;
  }

  /**
   * Clients over a soft limit are checked again every cron tick, as Redis's clientsCron does, so
   * the soft limit's time runs out even when nothing more is written to them.
   */
  checkSoftLimits(): void {
    if (this.softSince.size === 0) return;
    for (const c of [...this.softSince.keys()]) {
      if (c.closed) this.softSince.delete(c);
      else this.checkOutputLimit(c);
    }
  }

  /** freeClientAsync: nothing more is written, and the connection closes after this batch. */
  private closeAsap(c: Client): void {
    const server = this.server;
    server.log.warning(
      `Client ${clientInfoLine(c)} scheduled to be closed ASAP for overcoming of output buffer limits.`,
    );
    c.flags.add('close_asap');
    // Stops the client's own pipeline too (processInputBuffer checks CLOSE_ASAP).
    c.closeAfterReply = true;
    c.pushOut.discard();
    this.softSince.delete(c);
    queueMicrotask(() => {
      if (c.closed) return;
      c.pushOut.discard();
      c.out.discard();
      server.closeClient(c);
    });
  }
}

function addMember(map: Map<string, Members>, name: string, c: Client): void {
  const m = map.get(name);
  if (m === undefined) map.set(name, c);
  else if (m instanceof Set) m.add(c);
  else if (m !== c) map.set(name, new Set([m, c]));
}

function removeMember(map: Map<string, Members>, name: string, c: Client): void {
  const m = map.get(name);
  // Forget channels nobody listens to, so subscribing to millions of names cannot leak.
  if (m === c) map.delete(name);
  else if (m instanceof Set) {
    m.delete(c);
    if (m.size === 0) map.delete(name);
  }
}

/** `[kind, name or null, count]` as a push (addReplyPubsub(Un)Subscribed). */
function confirm(c: Client, kind: string, name: string | null, count: number): void {
  const out = c.pushOut;
  out.push(3);
  out.bulk(kind);
  if (name === null) out.nil();
  else out.bulk(name);
  out.int(count);
}
