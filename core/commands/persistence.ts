// Persistence commands: https://redis.io/commands/?group=server (SAVE, BGSAVE) and
// https://redis.io/commands/?group=generic (DUMP, RESTORE). LASTSAVE stays with the server group
// (core/commands/server.ts); BGREWRITEAOF belongs to the AOF plugin's group.
//
// SAVE and BGSAVE drive the rdb persistence plugin through the RdbControl its instance offers;
// without it (persistence none) they reply with an error saying so. DUMP and RESTORE need no
// plugin: they use the RDB value codec (plugins/persistence/rdb/codec.ts) directly.
import type { CommandSpec } from '../command.ts';
import type { Client } from '../client.ts';
import type { Server } from '../server.ts';
import { ERR } from '../errors.ts';
import { lruForIdle } from '../eviction.ts';
import { strToBytes } from '../bytes.ts';
import { parseInt64 } from '../numbers.ts';
import { dumpPayload, encodeOptions, restorePayload } from '../../plugins/persistence/rdb/codec.ts';
import { limitsFrom } from '../../plugins/persistence/rdb/values.ts';

/** What a persistence plugin's instance offers SAVE and BGSAVE (the rdb plugin has it). */
export interface RdbControl {
  /** SAVE: null on success, else the error reply. */
  save(): string | null;
  /** DEBUG RELOAD: save (unless told not to), empty the databases (unless told not to), load the
   * dump back; MERGE lets loaded keys replace existing ones. Null on success, else the error. */
  reload(save: boolean, flush: boolean, merge: boolean): string | null;
  /** After FLUSHALL has emptied every database: what Redis's flushAllDataAndResetRDB does. */
  afterFlushall(): void;
  /** BGSAVE [SCHEDULE]: the reply, '+' status or '-' error. */
  bgsave(schedule: boolean, inExec: boolean): string;
  /** True while a background save runs. */
  readonly inProgress: boolean;
  /** Resolves when the running background save (if any) has ended. */
  waitBackground(): Promise<void>;
}

export const commands: CommandSpec[] = [
  {
    name: 'save', arity: 1, flags: ['admin', 'noscript', 'no_async_loading', 'no_multi'],
    categories: ['dangerous'],
    summary: 'Synchronously save the dataset to disk', since: '1.0.0', group: 'server',
    complexity: 'O(N) where N is the total number of keys in all databases', handler: save,
  },
  {
    name: 'bgsave', arity: -1, flags: ['admin', 'noscript', 'no_async_loading'], categories: ['dangerous'],
    summary: 'Asynchronously save the dataset to disk', since: '1.0.0', group: 'server',
    complexity: 'O(1)', history: [['3.2.2', 'Added the `SCHEDULE` option.']], args: '[SCHEDULE]@3.2.2',
    handler: bgsave,
  },
  {
    name: 'dump', arity: 2, flags: ['readonly'], categories: ['keyspace'], keys: [1, 1, 1],
    keyFlags: ['RO', 'ACCESS'], tips: ['nondeterministic_output'],
    summary: 'Return a serialized version of the value stored at the specified key.',
    since: '2.6.0', group: 'generic',
    complexity: 'O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).',
    args: 'key', handler: dump,
  },
  {
    name: 'restore', arity: -4, flags: ['write', 'denyoom'], categories: ['keyspace', 'dangerous'],
    keys: [1, 1, 1], keyFlags: ['OW', 'UPDATE'],
    summary: 'Create a key using the provided serialized value, previously obtained using DUMP.',
    since: '2.6.0', group: 'generic',
    complexity: 'O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).',
    history: [['3.0.0', 'Added the `REPLACE` modifier.'], ['5.0.0', 'Added the `ABSTTL` modifier.'], ['5.0.0', 'Added the `IDLETIME` and `FREQ` options.']],
    args: 'key ttl:integer serialized-value [REPLACE]@3.0.0 [ABSTTL]@5.0.0 [IDLETIME seconds:integer]@5.0.0 [FREQ frequency:integer]@5.0.0',
    handler: restore,
  },
];

/** The rdb plugin's control, if one is loaded. */
export function rdbOf(server: Server): RdbControl | undefined {
  for (const inst of server.instances.values()) {
    const r = (inst as { rdb?: RdbControl }).rdb;
    if (r !== undefined) return r;
  }
  return undefined;
}

/** The rdb plugin's control, or null (after replying with an error) when none is loaded. */
export function rdbControl(c: Client): RdbControl | null {
  const r = rdbOf(c.server);
  if (r !== undefined) return r;
  c.server.replyError(c, 'ERR RDB snapshots are not available: no rdb persistence plugin is loaded');
  return null;
}

// SAVE
function save(c: Client): void {
  const r = rdbControl(c);
  if (r === null) return;
  const err = r.save();
  if (err === null) c.out.ok();
  else c.server.replyError(c, err);
}

// BGSAVE
function bgsave(c: Client, argv: string[]): void {
  let schedule = false;
  if (argv.length > 1) {
    if (argv.length === 2 && argv[1].toLowerCase() === 'schedule') schedule = true;
    else {
      c.server.replyError(c, ERR.syntax);
      return;
    }
  }
  const r = rdbControl(c);
  if (r === null) return;
  const reply = r.bgsave(schedule, c.inExec);
  if (reply[0] === '+') c.out.simple(reply.slice(1));
  else c.server.replyError(c, reply.slice(1));
}

// DUMP
function dump(c: Client, argv: string[]): void {
  const e = c.db.lookupRead(argv[1]);
  if (e === undefined) {
    c.out.nil();
    return;
  }
  const payload = dumpPayload(e.value, encodeOptions(c.server));
  c.out.bulkBytes(payload);
}

// RESTORE
function restore(c: Client, argv: string[]): void {
  const server = c.server;
  const db = c.db;
  const key = argv[1];
  let replace = false;
  let absttl = false;
  let idle = -1n;
  let freq = -1;
  for (let j = 4; j < argv.length; j++) {
    const opt = argv[j].toLowerCase();
    const additional = argv.length - j - 1;
    if (opt === 'replace') replace = true;
    else if (opt === 'absttl') absttl = true;
    else if (opt === 'idletime' && additional >= 1 && freq === -1) {
      const v = parseInt64(argv[j + 1]);
      if (v === null) {
        server.replyError(c, ERR.notInteger);
        return;
      }
      if (v < 0n) {
        server.replyError(c, 'ERR Invalid IDLETIME value, must be >= 0');
        return;
      }
      idle = v;
      j++;
    } else if (opt === 'freq' && additional >= 1 && idle === -1n) {
      const v = parseInt64(argv[j + 1]);
      if (v === null) {
        server.replyError(c, ERR.notInteger);
        return;
      }
      if (v < 0n || v > 255n) {
        server.replyError(c, 'ERR Invalid FREQ value, must be >= 0 and <= 255');
        return;
      }
      freq = Number(v);
      j++;
    } else {
      server.replyError(c, ERR.syntax);
      return;
    }
  }
  if (!replace && db.lookupWrite(key) !== undefined) {
    server.replyError(c, ERR.busyKey);
    return;
  }
  const ttlArg = parseInt64(argv[2]);
  if (ttlArg === null) {
    server.replyError(c, ERR.notInteger);
    return;
  }
  if (ttlArg < 0n) {
    server.replyError(c, 'ERR Invalid TTL value, must be >= 0');
    return;
  }
  const sanitize = server.config.str('sanitize-dump-payload');
  const value = restorePayload(strToBytes(argv[3]), limitsFrom(server.config), {
    skipChecksum: server.skipChecksumValidation,
    // Redis's rdbReportError in a RESTORE: logged at verbose level, not fatal.
    whyBad: (reason) => server.log.verbose(`Internal error in RDB reading offset 0, function at RESTORE -> ${reason}`),
    // sanitize-dump-payload: `clients` checks deeply except for what the master sends.
    sanitized: sanitize === 'yes' || (sanitize === 'clients' && !c.flags.has('master'))
      ? (n) => void (server.stats.dumpPayloadSanitizations += n) : undefined,
  });
  if (value === 'version-or-checksum') {
    server.replyError(c, 'ERR DUMP payload version or checksum are wrong');
    return;
  }
  if (value === 'bad-format') {
    server.replyError(c, 'ERR Bad data format');
    return;
  }
  const ks = db.ks;
  const dirty = ks.dirty;
  const deleted = replace && db.delete(key);
  // In 64-bit arithmetic, as Redis adds the time: a relative TTL that overflows wraps to a time
  // in the past, and the key counts as already expired (OK, and no key).
  const ttl = Number(ttlArg !== 0n && !absttl ? BigInt.asIntN(64, ttlArg + BigInt(Math.floor(ks.time))) : ttlArg);
  // checkAlreadyExpired: not while loading, not on a replica (its master sends the DEL).
  if (ttl !== 0 && ttl <= ks.time && !server.loading && !ks.replicaMode) {
    if (deleted) {
      ks.hooks.notify('g', 'del', key, db);
      server.propagateAs = [['DEL', key]];
      ks.dirty = dirty + 1;
    }
    c.out.ok();
    return;
  }
  const e = db.add(key, value);
  if (ttl !== 0) {
    db.setExpire(key, e, ttl);
    if (!absttl) server.propagateAs = [[...argv.slice(0, 2), String(ttl), ...argv.slice(3), 'ABSTTL']];
  }
  // objectSetLRUOrLFU: FREQ counts under an LFU policy, IDLETIME under any other.
  if (server.config.str('maxmemory-policy').endsWith('-lfu')) {
    if (freq >= 0) e.lru = ((Math.floor(ks.time / 60000) & 65535) << 8) | freq;
  } else {
    const lru = lruForIdle(ks.time, idle);
    if (lru !== null) e.lru = lru;
  }
  ks.hooks.notify('g', 'restore', key, db);
  // One change, as Redis counts it, whatever add() and delete() counted.
  ks.dirty = dirty + 1;
  c.out.ok();
}
