// Stream commands: https://redis.io/commands/?group=stream
//
// Behaviour follows Redis 7.0's src/t_stream.c (and blocked.c for blocking reads): the order of
// its checks (which error wins), C-string semantics of option tokens, what is propagated (XADD
// with the generated ID and approximate trimming rewritten as exact; XREADGROUP, XCLAIM and
// XAUTOCLAIM as one `XCLAIM ... FORCE JUSTID LASTID` per entry, NOACK reads as XGROUP
// CREATECONSUMER and XGROUP SETID), the keyspace events, and which commands mark the key modified
// for WATCH (only XADD, XDEL, XTRIM and a stream made by XGROUP CREATE MKSTREAM). The value and
// its consumer groups are in core/types/stream.ts.
//
// Blocking reads (XREAD and XREADGROUP with BLOCK) park through core/blocking.ts with `$`
// rewritten to the stream's last ID, and are served by running them again. That run ("served"
// below, `c.blocked` set) behaves like Redis 7.0's serveClientsBlockedOnStreamKey: it looks only
// at the key that got data, serves when the stream's last ID passed the one the client waits
// for, replies with that key alone, caps the entries at COUNT or 1000, and answers a group that
// was destroyed meanwhile with NOGROUP.
import type { CommandSpec } from '../command.ts';
import type { Client } from '../client.ts';
import { ERR, STREAM_ERR, streamErr, subcommandSyntax, wrongArity } from '../errors.ts';
import type { Database, Entry } from '../keyspace.ts';
import { parseInt64, parseInteger } from '../numbers.ts';
import { ReplyWriter } from '../resp/writer.ts';
import {
  cmpId, Consumer, decrId, formatId, Group, idCmp, idKey, idText, incrId, INVALID_ENTRIES_READ,
  isMaxId, isZeroId, keyId, keyText, MAX_ID, Nack, parseId, type ParsedId, Stream, type StreamID,
  type StreamNode, type TrimArgs, type U64, u64Inc, u64IncWrap, asInt64, U64_MAX,
} from '../types/stream.ts';
import { cstr, optIs } from '../bytes.ts';

const READ_KEYS: CommandSpec['keyFlags'] = ['RO', 'ACCESS'];

export const commands: CommandSpec[] = [
  {
    name: 'xadd', arity: -5, flags: ['write', 'denyoom', 'fast'], categories: ['stream'], keys: [1, 1, 1],
    keySpecs: [{
      notes: 'UPDATE instead of INSERT because of the optional trimming feature',
      flags: ['RW', 'UPDATE'], begin: 1, find: { range: [0, 1, 0] },
    }],
    summary: 'Appends a new entry to a stream', since: '5.0.0', group: 'stream',
    complexity: 'O(1) when adding a new entry, O(N) when trimming where N being the number of entries evicted.',
    args: 'key [NOMKSTREAM]@6.2.0 trim=[strategy=<MAXLEN | MINID@6.2.0> operator=[equal== | approximately=~] threshold [LIMIT count]@6.2.0] id_or_auto=<auto_id=* | id> field value [field value ...]',
    tips: ['nondeterministic_output'],
    history: [
      ['6.2.0', 'Added the `NOMKSTREAM` option, `MINID` trimming strategy and the `LIMIT` option.'],
      ['7.0.0', 'Added support for the `<ms>-*` explicit ID form.'],
    ],
    handler: xadd,
  },
  {
    name: 'xlen', arity: 2, flags: ['readonly', 'fast'], categories: ['stream'], keys: [1, 1, 1], keyFlags: ['RO'],
    summary: 'Return the number of entries in a stream', since: '5.0.0', group: 'stream', complexity: 'O(1)',
    args: 'key', handler: xlen,
  },
  {
    name: 'xrange', arity: -4, flags: ['readonly'], categories: ['stream'], keys: [1, 1, 1], keyFlags: READ_KEYS,
    summary: 'Return a range of elements in a stream, with IDs matching the specified IDs interval', since: '5.0.0',
    group: 'stream',
    complexity: 'O(N) with N being the number of elements being returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).',
    args: 'key start:string end:string [COUNT count]', history: [['6.2.0', 'Added exclusive ranges.']],
    handler: xrange,
  },
  {
    name: 'xrevrange', arity: -4, flags: ['readonly'], categories: ['stream'], keys: [1, 1, 1], keyFlags: READ_KEYS,
    summary: 'Return a range of elements in a stream, with IDs matching the specified IDs interval, in reverse order (from greater to smaller IDs) compared to XRANGE',
    since: '5.0.0', group: 'stream',
    complexity: 'O(N) with N being the number of elements returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).',
    args: 'key end:string start:string [COUNT count]', history: [['6.2.0', 'Added exclusive ranges.']],
    handler: xrevrange,
  },
  {
    name: 'xdel', arity: -3, flags: ['write', 'fast'], categories: ['stream'], keys: [1, 1, 1], keyFlags: ['RW', 'DELETE'],
    summary: 'Removes the specified entries from the stream. Returns the number of items actually deleted, that may be different from the number of IDs passed in case certain IDs do not exist.',
    since: '5.0.0', group: 'stream',
    complexity: 'O(1) for each single item to delete in the stream, regardless of the stream size.',
    args: 'key id [id ...]', handler: xdel,
  },
  {
    name: 'xtrim', arity: -4, flags: ['write'], categories: ['stream'], keys: [1, 1, 1], keyFlags: ['RW', 'DELETE'],
    summary: "Trims the stream to (approximately if '~' is passed) a certain size", since: '5.0.0', group: 'stream',
    complexity: 'O(N), with N being the number of evicted entries. Constant times are very small however, since entries are organized in macro nodes containing multiple entries that can be released with a single deallocation.',
    args: 'key trim=<strategy=<MAXLEN | MINID@6.2.0> operator=[equal== | approximately=~] threshold [LIMIT count]@6.2.0>', tips: ['nondeterministic_output'],
    history: [['6.2.0', 'Added the `MINID` trimming strategy and the `LIMIT` option.']],
    handler: xtrim,
  },
  {
    name: 'xread', arity: -4, flags: ['readonly', 'blocking'], categories: ['stream'],
    keySpecs: [{ flags: ['RO', 'ACCESS'], begin: { keyword: 'STREAMS', startFrom: 1 }, find: { range: [-1, 1, 2] } }],
    getKeys: xreadKeys,
    summary: 'Return never seen elements in multiple streams, with IDs greater than the ones reported by the caller for each stream. Can block.',
    since: '5.0.0', group: 'stream',
    complexity: 'For each stream mentioned: O(N) with N being the number of elements being returned, it means that XREAD-ing with a fixed COUNT is O(1). Note that when the BLOCK option is used, XADD will pay O(M) time in order to serve the M clients blocked on the stream getting new data.',
    args: '[COUNT count] [BLOCK milliseconds] streams=STREAMS <key [key ...] id [id ...]>', handler: xread,
  },
  {
    name: 'xreadgroup', arity: -7, flags: ['write', 'blocking'], categories: ['stream'],
    keySpecs: [{ flags: ['RO', 'ACCESS'], begin: { keyword: 'STREAMS', startFrom: 4 }, find: { range: [-1, 1, 2] } }],
    getKeys: xreadgroupKeys,
    summary: 'Return new entries from a stream using a consumer group, or access the history of the pending entries for a given consumer. Can block.',
    since: '5.0.0', group: 'stream',
    complexity: 'For each stream mentioned: O(M) with M being the number of elements returned. If M is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1). On the other side when XREADGROUP blocks, XADD will pay the O(N) time in order to serve the N clients blocked on the stream getting new data.',
    args: 'GROUP <group consumer> [COUNT count] [BLOCK milliseconds] [NOACK] streams=STREAMS <key [key ...] id [id ...]>',
    handler: xreadgroup,
  },
  {
    name: 'xack', arity: -4, flags: ['write', 'fast'], categories: ['stream'], keys: [1, 1, 1], keyFlags: ['RW', 'UPDATE'],
    summary: 'Marks a pending message as correctly processed, effectively removing it from the pending entries list of the consumer group. Return value of the command is the number of messages successfully acknowledged, that is, the IDs we were actually able to resolve in the PEL.',
    since: '5.0.0', group: 'stream', complexity: 'O(1) for each message ID processed.',
    args: 'key group id [id ...]', handler: xack,
  },
  {
    name: 'xpending', arity: -3, flags: ['readonly'], categories: ['stream'], keys: [1, 1, 1], keyFlags: READ_KEYS,
    summary: 'Return information and entries from a stream consumer group pending entries list, that are messages fetched but never acknowledged.',
    since: '5.0.0', group: 'stream',
    complexity: 'O(N) with N being the number of elements returned, so asking for a small fixed number of entries per call is O(1). O(M), where M is the total number of entries scanned when used with the IDLE filter. When the command returns just the summary and the list of consumers is small, it runs in O(1) time; otherwise, an additional O(N) time for iterating every consumer.',
    args: 'key group filters=[[IDLE min-idle-time:integer]@6.2.0 start:string end:string count [consumer]]', tips: ['nondeterministic_output'],
    history: [['6.2.0', 'Added the `IDLE` option and exclusive range intervals.']],
    handler: xpending,
  },
  {
    name: 'xclaim', arity: -6, flags: ['write', 'fast'], categories: ['stream'], keys: [1, 1, 1], keyFlags: ['RW', 'UPDATE'],
    summary: 'Changes (or acquires) ownership of a message in a consumer group, as if the message was delivered to the specified consumer.',
    since: '5.0.0', group: 'stream',
    complexity: 'O(log N) with N being the number of messages in the PEL of the consumer group.',
    args: 'key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-milliseconds] [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID id]',
    tips: ['nondeterministic_output'], handler: xclaim,
  },
  {
    name: 'xautoclaim', arity: -6, flags: ['write', 'fast'], categories: ['stream'], keys: [1, 1, 1],
    keyFlags: ['RW', 'DELETE'],
    summary: 'Changes (or acquires) ownership of messages in a consumer group, as if the messages were delivered to the specified consumer.',
    since: '6.2.0', group: 'stream', complexity: 'O(1) if COUNT is small.',
    args: 'key group consumer min-idle-time start:string [COUNT count] [JUSTID]', tips: ['nondeterministic_output'],
    history: [['7.0.0', 'Added an element to the reply array, containing deleted entries the command cleared from the PEL']],
    handler: xautoclaim,
  },
  {
    name: 'xsetid', arity: -3, flags: ['write', 'denyoom', 'fast'], categories: ['stream'], keys: [1, 1, 1],
    keyFlags: ['RW', 'UPDATE'],
    summary: 'An internal command for replicating stream values', since: '5.0.0', group: 'stream', complexity: 'O(1)',
    args: 'key last-id [ENTRIESADDED entries_added]@7.0.0 [MAXDELETEDID max_deleted_entry_id]@7.0.0',
    history: [['7.0.0', 'Added the `entries_added` and `max_deleted_entry_id` arguments.']],
    handler: xsetid,
  },
  {
    name: 'xgroup', arity: -2, flags: [], categories: [],
    summary: 'A container for consumer groups commands', since: '5.0.0', group: 'stream',
    complexity: 'Depends on subcommand.',
    subcommands: [
      {
        name: 'create', arity: -5, flags: ['write', 'denyoom'], categories: ['stream'], keys: [2, 2, 1],
        keyFlags: ['RW', 'INSERT'],
        summary: 'Create a consumer group.', since: '5.0.0', group: 'stream', complexity: 'O(1)',
        args: 'key groupname id=<id | new_id=$> [MKSTREAM] [ENTRIESREAD entries_read]',
        history: [['7.0.0', 'Added the `entries_read` named argument.']],
        handler: xgroup,
      },
      {
        name: 'createconsumer', arity: 5, flags: ['write', 'denyoom'], categories: ['stream'], keys: [2, 2, 1],
        keyFlags: ['RW', 'INSERT'],
        summary: 'Create a consumer in a consumer group.', since: '6.2.0', group: 'stream', complexity: 'O(1)',
        args: 'key groupname consumername', handler: xgroup,
      },
      {
        name: 'delconsumer', arity: 5, flags: ['write'], categories: ['stream'], keys: [2, 2, 1],
        keyFlags: ['RW', 'DELETE'],
        summary: 'Delete a consumer from a consumer group.', since: '5.0.0', group: 'stream', complexity: 'O(1)',
        args: 'key groupname consumername', handler: xgroup,
      },
      {
        name: 'destroy', arity: 4, flags: ['write'], categories: ['stream'], keys: [2, 2, 1], keyFlags: ['RW', 'DELETE'],
        summary: 'Destroy a consumer group.', since: '5.0.0', group: 'stream',
        complexity: "O(N) where N is the number of entries in the group's pending entries list (PEL).",
        args: 'key groupname', handler: xgroup,
      },
      {
        name: 'help', arity: 2, flags: ['loading', 'stale'], categories: ['stream'],
        summary: 'Show helpful text about the different subcommands', since: '5.0.0', group: 'stream',
        complexity: 'O(1)', handler: xgroupHelp,
      },
      {
        name: 'setid', arity: -5, flags: ['write'], categories: ['stream'], keys: [2, 2, 1], keyFlags: ['RW', 'UPDATE'],
        summary: 'Set a consumer group to an arbitrary last delivered ID value.', since: '5.0.0', group: 'stream',
        complexity: 'O(1)', args: 'key groupname id=<id | new_id=$> [ENTRIESREAD entries_read]',
        history: [['7.0.0', 'Added the optional `entries_read` argument.']],
        handler: xgroup,
      },
    ],
  },
  {
    name: 'xinfo', arity: -2, flags: [], categories: [],
    summary: 'A container for stream introspection commands', since: '5.0.0', group: 'stream',
    complexity: 'Depends on subcommand.',
    subcommands: [
      {
        name: 'consumers', arity: 4, flags: ['readonly'], categories: ['stream'], keys: [2, 2, 1], keyFlags: READ_KEYS,
        summary: 'List the consumers in a consumer group', since: '5.0.0', group: 'stream', complexity: 'O(1)',
        args: 'key groupname', tips: ['nondeterministic_output'], handler: xinfoConsumers,
      },
      {
        name: 'groups', arity: 3, flags: ['readonly'], categories: ['stream'], keys: [2, 2, 1], keyFlags: READ_KEYS,
        summary: 'List the consumer groups of a stream', since: '5.0.0', group: 'stream', complexity: 'O(1)',
        args: 'key', history: [['7.0.0', 'Added the `entries-read` and `lag` fields']], handler: xinfoGroups,
      },
      {
        name: 'help', arity: 2, flags: ['loading', 'stale'], categories: ['stream'],
        summary: 'Show helpful text about the different subcommands', since: '5.0.0', group: 'stream',
        complexity: 'O(1)', handler: xinfoHelp,
      },
      {
        name: 'stream', arity: -3, flags: ['readonly'], categories: ['stream'], keys: [2, 2, 1], keyFlags: READ_KEYS,
        summary: 'Get information about a stream', since: '5.0.0', group: 'stream', complexity: 'O(1)',
        args: 'key full=[FULL {[COUNT count]}]',
        history: [
          ['6.0.0', 'Added the `FULL` modifier.'],
          ['7.0.0', 'Added the `max-deleted-entry-id`, `entries-added`, `recorded-first-entry-id`, `entries-read` and `lag` fields'],
        ],
        handler: xinfoStream,
      },
    ],
  },
];

// ---------------------------------------------------------------------------------------------
// Helpers



/** The stream held by an entry found by a lookup; null after replying WRONGTYPE. */
function asStream(c: Client, value: unknown): Stream | null {
  if (value instanceof Stream) return value;
  c.server.replyError(c, ERR.wrongType);
  return null;
}

/**
 * The stream at argv[1] and its group argv[2] (XPENDING, XCLAIM, XAUTOCLAIM), read without
 * touching the key; null after replying WRONGTYPE or NOGROUP (a missing key is NOGROUP too).
 */
function groupOf(c: Client, argv: string[]): { e: Entry; s: Stream; g: Group } | null {
  const key = argv[1];
  const e = c.db.lookupRead(key);
  if (e !== undefined) {
    const s = asStream(c, e.value);
    if (s === null) return null;
    const g = s.group(argv[2]);
    if (g !== undefined) return { e, s, g };
  }
  c.server.replyError(c, streamErr.noGroup(cstr(key), cstr(argv[2])));
  return null;
}

function notify(db: Database, event: string, key: string): void {
  db.ks.hooks.notify('t', event, key, db);
}

/** stream-node-max-bytes and stream-node-max-entries of a server, kept current by CONFIG SET
 * listeners so that XADD does not look them up each time. */
interface NodeLimits {
  bytes: number;
  entries: number;
}

const limitsOf = new WeakMap<Client['server'], NodeLimits>();

function nodeLimits(c: Client): NodeLimits {
  const server = c.server;
  let l = limitsOf.get(server);
  if (l === undefined) {
    const cfg = server.config;
    const limits: NodeLimits = {
      bytes: Number(cfg.get('stream-node-max-bytes')),
      entries: Number(cfg.get('stream-node-max-entries')),
    };
    cfg.onChange('stream-node-max-bytes', (x) => {
      limits.bytes = Number(x);
    });
    cfg.onChange('stream-node-max-entries', (x) => {
      limits.entries = Number(x);
    });
    limitsOf.set(server, limits);
    l = limits;
  }
  return l;
}

/** A stream ID argument (streamParseIDOrReply); null after replying with the error. */
function idArg(c: Client, arg: string, missingSeq: U64, strict: boolean): ParsedId | null {
  const id = parseId(arg, missingSeq, strict);
  if (id === null) c.server.replyError(c, STREAM_ERR.invalidId);
  return id;
}

/**
 * A range bound (streamParseIntervalIDOrReply): an ID, or with a `(` prefix the ID after (start)
 * or before (end) it. Null after replying with the error.
 */
function boundArg(c: Client, arg: string, isEnd: boolean): StreamID | null {
  const missing: U64 = isEnd ? U64_MAX : 0;
  const exclusive = arg.length > 1 && arg.charCodeAt(0) === 40;
  const id = idArg(c, exclusive ? arg.slice(1) : arg, missing, exclusive);
  if (id === null || !exclusive) return id;
  const moved = isEnd ? decrId(id) : incrId(id);
  if (moved === null) c.server.replyError(c, isEnd ? STREAM_ERR.invalidEnd : STREAM_ERR.invalidStart);
  return moved;
}

/** getLongLongFromObjectOrReply: a 64-bit integer (rounded beyond 2^53); null after replying. */
function intArg(c: Client, arg: string, error: string = ERR.notInteger): number | null {
  const v = parseInteger(arg);
  if (v === null) c.server.replyError(c, error);
  return v;
}

/** The same, exact: values that are echoed back later (ENTRIESREAD, RETRYCOUNT ...). */
function int64Arg(c: Client, arg: string, error: string = ERR.notInteger): U64 | null {
  const v = parseInt64(arg);
  if (v === null) {
    c.server.replyError(c, error);
    return null;
  }
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}

/** Writes one entry: [id, [field, value, ...]]. */
function writeEntry(out: ReplyWriter, node: StreamNode, i: number): void {
  out.array(2);
  out.bulk(formatId(node.msAt(i), node.seqAt(i)));
  const nf = node.numFields(i);
  out.array(nf * 2);
  for (let k = 0; k < nf; k++) {
    out.bulk(node.field(i, k));
    out.bulk(node.value(i, k));
  }
}

/** Writes the entry with this ID (which exists) without an array around it. */
function writeEntryById(out: ReplyWriter, s: Stream, id: StreamID): void {
  const at = s.find(id.ms, id.seq)!;
  writeEntry(out, s.nodes[at[0]], at[1]);
}

/** Writes the entries in [start, end] (at most `count`, 0 for all) as an array; returns how many. */
function writeRange(out: ReplyWriter, s: Stream, start: StreamID, end: StreamID, rev: boolean, count: number): number {
  const n = s.each(start, end, rev, count, null);
  out.array(n);
  if (n > 0) s.each(start, end, rev, count, (node, i) => writeEntry(out, node, i));
  return n;
}

/**
 * Sets what the running command propagates (an empty list: nothing, as Redis's
 * preventCommandPropagation). server.call wraps several in MULTI/EXEC, as Redis does.
 */
function propagateAs(c: Client, cmds: string[][]): void {
  c.server.propagateAs = cmds;
}

/** The XCLAIM Redis propagates for an entry delivered or claimed (streamPropagateXCLAIM). */
function claimArgv(key: string, group: Group, idArgText: string, nack: Nack): string[] {
  return [
    'XCLAIM', key, group.name, nack.consumer!.name, '0', idArgText, 'TIME', String(nack.time), 'RETRYCOUNT',
    String(asInt64(nack.count)), 'FORCE', 'JUSTID', 'LASTID', idText(group.last),
  ];
}

/** XGROUP SETID with the group's read counter (streamPropagateGroupID). */
function setidArgv(key: string, group: Group): string[] {
  return ['XGROUP', 'SETID', key, group.name, idText(group.last), 'ENTRIESREAD', String(group.entriesRead)];
}

/** Looks a consumer up, refreshing its seen-time, or creates it (streamLookupConsumer with
 * SLC_DEFAULT, then streamCreateConsumer). `created` tells which. */
function consumerFor(c: Client, g: Group, name: string, key: string): { consumer: Consumer; created: boolean } {
  const now = c.db.ks.time;
  const found = g.consumers.get(name);
  if (found !== undefined) {
    found.seenTime = now;
    return { consumer: found, created: false };
  }
  const consumer = new Consumer(name, now);
  g.consumers.set(name, consumer);
  c.db.ks.dirty++;
  notify(c.db, 'xgroup-createconsumer', key);
  return { consumer, created: true };
}

/** What XADD and XTRIM read before the key (streamParseAddOrTrimArgsOrReply). */
interface AddTrimArgs {
  trim: TrimArgs | null;
  /** argv index of the MAXLEN/MINID threshold, rewritten for propagation after `~` trimming. */
  thresholdIdx: number;
  noMkstream: boolean;
  /** The explicit XADD ID; null for `*`. */
  id: ParsedId | null;
  /** argv index of the ID (XADD). */
  idPos: number;
}

/** XADD key * ...: no options. */
const PLAIN_ADD: AddTrimArgs = { trim: null, thresholdIdx: 0, noMkstream: false, id: null, idPos: 2 };

/** Parses XADD's (xadd) or XTRIM's options; null after replying with the error. */
function parseAddTrim(c: Client, argv: string[], xadd: boolean): AddTrimArgs | null {
  const server = c.server;
  const n = argv.length;
  let strategy: 'none' | 'maxlen' | 'minid' = 'none';
  let approx = false;
  let maxlen = 0;
  let minid: StreamID = { ms: 0, seq: 0 };
  let limit = 0;
  let limitGiven = false;
  let thresholdIdx = 0;
  let noMkstream = false;
  let id: ParsedId | null = null;
  let i = 2;
  for (; i < n; i++) {
    const more = n - 1 - i;
    const opt = argv[i];
    // The common case: `*`, the auto-generated ID.
    if (xadd && opt.charCodeAt(0) === 42 && (opt.length === 1 || opt.charCodeAt(1) === 0)) break;
    if (more > 0 && (optIs(opt, 'maxlen') || optIs(opt, 'minid'))) {
      if (strategy !== 'none') {
        server.replyError(c, STREAM_ERR.maxlenAndMinid);
        return null;
      }
      approx = false;
      const next = cstr(argv[i + 1]);
      if (more >= 2 && next === '~') {
        approx = true;
        i++;
      } else if (more >= 2 && next === '=') {
        i++;
      }
      if (optIs(opt, 'maxlen')) {
        const v = intArg(c, argv[i + 1]);
        if (v === null) return null;
        if (v < 0) {
          server.replyError(c, STREAM_ERR.maxlenNegative);
          return null;
        }
        maxlen = v;
        strategy = 'maxlen';
      } else {
        const v = idArg(c, argv[i + 1], 0, true);
        if (v === null) return null;
        minid = v;
        strategy = 'minid';
      }
      i++;
      thresholdIdx = i;
    } else if (more > 0 && optIs(opt, 'limit')) {
      const v = intArg(c, argv[i + 1]);
      if (v === null) return null;
      if (v < 0) {
        server.replyError(c, STREAM_ERR.limitNegative);
        return null;
      }
      limit = v;
      limitGiven = true;
      i++;
    } else if (xadd && optIs(opt, 'nomkstream')) {
      noMkstream = true;
    } else if (xadd) {
      // Not an option: the ID.
      id = parseId(opt, 0, true, true);
      if (id === null) {
        server.replyError(c, STREAM_ERR.invalidId);
        return null;
      }
      break;
    } else {
      server.replyError(c, ERR.syntax);
      return null;
    }
  }
  if (limit !== 0 && strategy === 'none') {
    server.replyError(c, STREAM_ERR.limitWithoutStrategy);
    return null;
  }
  if (!xadd && strategy === 'none') {
    server.replyError(c, STREAM_ERR.xtrimWithoutStrategy);
    return null;
  }
  if (c.flags.has('master') || server.loading) {
    // A master or the AOF already applied the limit: its commands trim exactly as written.
    limit = 0;
  } else if (limitGiven) {
    if (!approx) {
      server.replyError(c, STREAM_ERR.limitWithoutApprox);
      return null;
    }
  } else if (approx) {
    // At most 100 nodes' worth of entries per call, so trimming cannot stall the server.
    limit = 100 * nodeLimits(c).entries;
    if (limit <= 0) limit = 10000;
    if (limit > 1000000) limit = 1000000;
  } else {
    limit = 0;
  }
  const trim: TrimArgs | null = strategy === 'none' ? null : { strategy, maxlen, minid, approx, limit };
  return { trim, thresholdIdx, noMkstream, id, idPos: i };
}

/** After `~` trimming, what XADD and XTRIM propagate instead of the threshold: `= <length>` or
 * `= <first ID>` (streamRewriteTrimArgument), so replicas trim the same entries. */
function rewriteTrim(out: string[], s: Stream, p: AddTrimArgs): void {
  out[p.thresholdIdx - 1] = '=';
  if (p.trim!.strategy === 'maxlen') out[p.thresholdIdx] = String(s.length);
  else out[p.thresholdIdx] = idText(s.edgeId(true, false) ?? MAX_ID);
}

// ---------------------------------------------------------------------------------------------
// Handlers

// XADD
function xadd(c: Client, argv: string[]): void {
  const server = c.server;
  // The common case, XADD key * field value ..., needs no option parsing.
  const p = argv[2] === '*' ? PLAIN_ADD : parseAddTrim(c, argv, true);
  if (p === null) return;
  const fieldPos = p.idPos + 1;
  const nargs = argv.length - fieldPos;
  if (nargs < 2 || nargs % 2 === 1) {
    server.replyError(c, wrongArity('xadd'));
    return;
  }
  const id = p.id;
  // Refused before the key is looked up, so that no empty stream is left behind.
  if (id !== null && id.seqGiven && isZeroId(id)) {
    server.replyError(c, STREAM_ERR.xaddZeroId);
    return;
  }
  const db = c.db;
  const key = argv[1];
  const e = db.lookupWrite(key);
  let s: Stream;
  const created = e === undefined;
  if (e !== undefined) {
    const found = asStream(c, e.value);
    if (found === null) return;
    s = found;
  } else {
    if (p.noMkstream) {
      c.out.nil();
      return;
    }
    s = new Stream();
    db.add(key, s);
  }
  if (s.lastMs === U64_MAX && s.lastSeq === U64_MAX) {
    server.replyError(c, STREAM_ERR.xaddExhausted);
    return;
  }
  let ms: U64;
  let seq: U64;
  if (id === null) {
    const now = db.ks.time;
    if (now > s.lastMs) {
      ms = now;
      seq = 0;
    } else if (s.lastSeq !== U64_MAX) {
      ms = s.lastMs;
      seq = u64Inc(s.lastSeq);
    } else {
      const next = incrId(s.lastId)!;
      ms = next.ms;
      seq = next.seq;
    }
  } else if (id.seqGiven) {
    ms = id.ms;
    seq = id.seq;
  } else if (s.lastMs === id.ms) {
    // <ms>-*: the next sequence number of that millisecond.
    if (s.lastSeq === U64_MAX) {
      server.replyError(c, STREAM_ERR.xaddIdTooSmall);
      return;
    }
    ms = id.ms;
    seq = u64Inc(s.lastSeq);
  } else {
    ms = id.ms;
    seq = 0;
  }
  if (cmpId(ms, seq, s.lastMs, s.lastSeq) <= 0) {
    server.replyError(c, STREAM_ERR.xaddIdTooSmall);
    return;
  }
  let total = 0;
  for (let i = fieldPos; i < argv.length; i++) total += argv[i].length;
  if (total > 1 << 30) {
    server.replyError(c, STREAM_ERR.xaddTooLarge);
    return;
  }
  const limits = nodeLimits(c);
  s.append(ms, seq, argv, fieldPos, nargs >> 1, limits.bytes, limits.entries);
  const idStr = formatId(ms, seq);
  c.out.bulk(idStr);
  notify(db, 'xadd', key);
  if (!created) db.modified(key);
  const trim = p.trim;
  if (trim !== null && s.trim(trim) > 0) notify(db, 'xtrim', key);
  server.blocking.signalKeyReady(db, key);
  // Replicas and the AOF get the ID that was generated, and the exact result of `~` trimming.
  const generated = id === null || !id.seqGiven;
  if (server.hasListeners('propagate') && (generated || (trim !== null && trim.approx))) {
    const out = argv.slice();
    out[p.idPos] = idStr;
    if (trim !== null && trim.approx) rewriteTrim(out, s, p);
    server.propagateAs = [out];
  }
}

// XLEN
function xlen(c: Client, argv: string[]): void {
  const e = c.db.lookupRead(argv[1]);
  if (e === undefined) {
    c.out.int(0);
    return;
  }
  const s = asStream(c, e.value);
  if (s !== null) c.out.int(s.length);
}

// XRANGE
function xrange(c: Client, argv: string[]): void {
  xrangeGeneric(c, argv, false);
}

// XREVRANGE
function xrevrange(c: Client, argv: string[]): void {
  xrangeGeneric(c, argv, true);
}

/** XRANGE and XREVRANGE: bounds first, then COUNT, then the key (Redis's order of errors). */
function xrangeGeneric(c: Client, argv: string[], rev: boolean): void {
  const start = boundArg(c, rev ? argv[3] : argv[2], false);
  if (start === null) return;
  const end = boundArg(c, rev ? argv[2] : argv[3], true);
  if (end === null) return;
  let count = -1;
  for (let j = 4; j < argv.length; j++) {
    if (optIs(argv[j], 'count') && j + 1 < argv.length) {
      const v = intArg(c, argv[j + 1]);
      if (v === null) return;
      count = v < 0 ? 0 : v;
      j++;
    } else {
      c.server.replyError(c, ERR.syntax);
      return;
    }
  }
  const e = c.db.lookupRead(argv[1]);
  if (e === undefined) {
    c.out.array(0);
    return;
  }
  const s = asStream(c, e.value);
  if (s === null) return;
  // COUNT 0 is a null reply, not an empty array.
  if (count === 0) c.out.nilArray();
  else writeRange(c.out, s, start, end, rev, count < 0 ? 0 : count);
}

// XDEL
function xdel(c: Client, argv: string[]): void {
  const db = c.db;
  const key = argv[1];
  const e = db.lookupWrite(key);
  if (e === undefined) {
    c.out.int(0);
    return;
  }
  const s = asStream(c, e.value);
  if (s === null) return;
  // Every ID is checked before any is deleted: the command is all or nothing.
  const ids: StreamID[] = [];
  for (let j = 2; j < argv.length; j++) {
    const id = idArg(c, argv[j], 0, true);
    if (id === null) return;
    ids.push(id);
  }
  let deleted = 0;
  let first = false;
  for (const id of ids) {
    if (!s.deleteId(id)) continue;
    if (cmpId(id.ms, id.seq, s.firstMs, s.firstSeq) === 0) first = true;
    deleted++;
  }
  if (deleted > 0) {
    if (s.length === 0 || first) s.refreshFirstId();
    db.modified(key);
    db.ks.dirty += deleted - 1;
    notify(db, 'xdel', key);
  }
  c.out.int(deleted);
}

// XTRIM
function xtrim(c: Client, argv: string[]): void {
  const p = parseAddTrim(c, argv, false);
  if (p === null) return;
  const db = c.db;
  const key = argv[1];
  const e = db.lookupWrite(key);
  if (e === undefined) {
    c.out.int(0);
    return;
  }
  const s = asStream(c, e.value);
  if (s === null) return;
  const trim = p.trim!;
  const deleted = s.trim(trim);
  if (deleted > 0) {
    notify(db, 'xtrim', key);
    if (trim.approx && c.server.hasListeners('propagate')) {
      const out = argv.slice();
      rewriteTrim(out, s, p);
      c.server.propagateAs = [out];
    }
    db.modified(key);
    db.ks.dirty += deleted - 1;
  }
  c.out.int(deleted);
}

// XREAD
function xread(c: Client, argv: string[]): void {
  xreadGeneric(c, argv, false);
}

// XREADGROUP
function xreadgroup(c: Client, argv: string[]): void {
  xreadGeneric(c, argv, true);
}

/**
 * COMMAND GETKEYS for XREAD and XREADGROUP, from their key specs as Redis 7.0 reads them: after the
 * first STREAMS found from argument `from` on (not as the last argument), the first half of what
 * follows.
 */
function streamsKeys(argv: readonly string[], from: number): number[] {
  let first = 0;
  for (let i = from; i < argv.length - 1; i++) {
    if (optIs(argv[i], 'streams')) {
      first = i + 1;
      break;
    }
  }
  if (first === 0) return [];
  const last = first + Math.floor((argv.length - first) / 2) - 1;
  const out: number[] = [];
  for (let i = first; i <= last; i++) out.push(i);
  return out;
}

function xreadKeys(argv: readonly string[]): number[] {
  return streamsKeys(argv, 1);
}

function xreadgroupKeys(argv: readonly string[]): number[] {
  return streamsKeys(argv, 4);
}

/** Entries per stream for a blocked read served without COUNT (XREAD_BLOCKED_DEFAULT_COUNT). */
const BLOCKED_DEFAULT_COUNT = 1000;

/** What XREAD and XREADGROUP read from their arguments. */
interface ReadArgs {
  isGroup: boolean;
  group: string;
  consumer: string;
  noack: boolean;
  count: number;
  streamsArg: number;
  nstreams: number;
  /** Per stream: the ID to read after (MAX_ID stands for `>`). */
  ids: StreamID[];
  groups: Group[];
}

function xreadGeneric(c: Client, argv: string[], isGroup: boolean): void {
  const server = c.server;
  // What XREADGROUP changes is propagated as XCLAIM and XGROUP commands, never as itself.
  if (isGroup) server.propagateAs = [];
  const n = argv.length;
  let timeout = -1;
  let count = 0;
  let streamsArg = 0;
  let nstreams = 0;
  let noack = false;
  let group: string | null = null;
  let consumer = '';
  for (let i = 1; i < n; i++) {
    const more = n - i - 1;
    const o = argv[i];
    if (more > 0 && optIs(o, 'block')) {
      i++;
      const t = intArg(c, argv[i], ERR.timeoutNotInteger);
      if (t === null) return;
      if (t < 0) {
        server.replyError(c, ERR.timeoutNegative);
        return;
      }
      timeout = t;
    } else if (more > 0 && optIs(o, 'count')) {
      i++;
      const v = intArg(c, argv[i]);
      if (v === null) return;
      count = v < 0 ? 0 : v;
    } else if (more > 0 && optIs(o, 'streams')) {
      streamsArg = i + 1;
      nstreams = n - streamsArg;
      if (nstreams % 2 !== 0) {
        server.replyError(c, STREAM_ERR.unbalanced);
        return;
      }
      nstreams /= 2;
      break;
    } else if (more >= 2 && optIs(o, 'group')) {
      if (!isGroup) {
        server.replyError(c, STREAM_ERR.groupOnlyInXreadgroup);
        return;
      }
      group = argv[i + 1];
      consumer = argv[i + 2];
      i += 2;
    } else if (optIs(o, 'noack')) {
      if (!isGroup) {
        server.replyError(c, STREAM_ERR.noackOnlyInXreadgroup);
        return;
      }
      noack = true;
    } else {
      server.replyError(c, ERR.syntax);
      return;
    }
  }
  if (streamsArg === 0) {
    server.replyError(c, ERR.syntax);
    return;
  }
  if (isGroup && group === null) {
    server.replyError(c, STREAM_ERR.missingGroup);
    return;
  }
  const db = c.db;
  const ids: StreamID[] = new Array(nstreams);
  const groups: Group[] = isGroup ? new Array(nstreams) : [];
  // A parked command run again was valid when parked; serveBlocked looks at the keys itself.
  const rerun = c.blocked !== null;
  for (let k = 0; k < nstreams; k++) {
    const key = argv[streamsArg + k];
    const e = rerun ? undefined : db.lookupRead(key);
    let s: Stream | null = null;
    if (e !== undefined) {
      s = asStream(c, e.value);
      if (s === null) return;
    }
    if (isGroup && !rerun) {
      const g = s === null ? undefined : s.group(group!);
      if (g === undefined) {
        server.replyError(c, streamErr.noGroupInRead(cstr(key), cstr(group!)));
        return;
      }
      groups[k] = g;
    }
    const arg = argv[streamsArg + nstreams + k];
    const t = cstr(arg);
    if (t === '$') {
      if (isGroup) {
        server.replyError(c, STREAM_ERR.dollarInGroup);
        return;
      }
      ids[k] = s === null ? { ms: 0, seq: 0 } : s.lastId;
    } else if (t === '>') {
      if (!isGroup) {
        server.replyError(c, STREAM_ERR.greaterOutsideGroup);
        return;
      }
      // The last possible ID stands for `>` (as in Redis, so that ID itself reads as `>`).
      ids[k] = MAX_ID;
    } else {
      const id = idArg(c, arg, 0, true);
      if (id === null) return;
      ids[k] = id;
    }
  }
  const args: ReadArgs = { isGroup, group: group ?? '', consumer, noack, count, streamsArg, nstreams, ids, groups };
  if (rerun) {
    serveBlocked(c, argv, args);
    return;
  }
  const props: string[][] = [];
  const served = serveNow(c, argv, args, props);
  if (isGroup) propagateAs(c, props);
  if (served) return;
  if (timeout === -1) {
    c.out.nilArray();
    return;
  }
  // Parked with `$` turned into the ID it meant now: run again, it must not move on with the
  // stream (Redis rewrites the argument the same way).
  let parked = argv;
  for (let k = 0; k < nstreams; k++) {
    const at = streamsArg + nstreams + k;
    if (cstr(argv[at]) !== '$') continue;
    if (parked === argv) parked = argv.slice();
    parked[at] = idText(ids[k]);
  }
  server.runningArgv = parked;
  // CLIENT LIST's argv-mem counts the arguments as given, `$` and all, as Redis keeps them.
  let argvMem = 0;
  for (const x of argv) argvMem += x.length;
  if (!block(c, argv, args, timeout, argvMem)) c.out.nilArray();
}

/** Parks the client on the streams (false when it may not block: inside MULTI/EXEC). */
function block(c: Client, argv: string[], a: ReadArgs, timeoutMs: number, argvMem?: number): boolean {
  const keys = argv.slice(a.streamsArg, a.streamsArg + a.nstreams);
  return c.server.blocking.block(c, { keys, timeoutMs, onTimeout: (cl) => cl.out.nilArray(), argvMem });
}

/**
 * Serves what the streams have now (the synchronous part of xreadCommand): a stream is served
 * when it has entries after the ID, or for XREADGROUP `>` after the group's last delivered ID,
 * or always when reading a consumer's history. Writes the reply and returns true when some
 * stream was served; writes nothing otherwise.
 *
 * Which streams are served is decided first, so that the reply's length comes first: Redis
 * writes it (deferred) ahead of everything else, including the keyspace events of a consumer it
 * creates, which a RESP3 client subscribed to them receives in the middle of the reply. A key
 * named twice in XREADGROUP is decided with the group's last ID as the earlier `>` read of it
 * will have moved it.
 */
function serveNow(c: Client, argv: string[], a: ReadArgs, props: string[][]): boolean {
  const db = c.db;
  const repeated = a.isGroup && a.nstreams > 1 &&
    new Set(argv.slice(a.streamsArg, a.streamsArg + a.nstreams)).size < a.nstreams;
  const moved = new Map<string, StreamID>();
  const plan: { k: number; e: Entry; gt: StreamID; history: boolean }[] = [];
  for (let k = 0; k < a.nstreams; k++) {
    const key = argv[a.streamsArg + k];
    const e = db.lookupRead(key);
    if (e === undefined) continue;
    const s = e.value as Stream;
    const d = decide(s, a, k, moved.get(key));
    if (d === null) continue;
    plan.push({ k, e, gt: d.gt, history: d.history });
    if (repeated && !d.history) moved.set(key, lastDelivered(s, d.gt, a.count));
  }
  if (plan.length === 0) return false;
  const out = c.out;
  if (out.proto === 3) out.map(plan.length);
  else out.array(plan.length);
  for (const { k, e, gt, history } of plan) serveOne(c, out, argv, a, k, e, gt, history, props);
  return true;
}

/**
 * Whether stream k is served now, and after which ID; null when it is not. `last` stands for the
 * group's last delivered ID when an earlier read in the same command moves it.
 */
function decide(s: Stream, a: ReadArgs, k: number, last: StreamID | undefined): { gt: StreamID; history: boolean } | null {
  const gt = a.ids[k];
  if (!a.isGroup) return s.length > 0 && idCmp(s.lastValidId(), gt) > 0 ? { gt, history: false } : null;
  if (!isMaxId(gt)) return { gt, history: true };
  const from = last ?? a.groups[k].last;
  return s.length > 0 && idCmp(s.lastValidId(), from) > 0 ? { gt: from, history: false } : null;
}

/** The ID of the last entry a read of `count` entries (0: all) after `gt` delivers. */
function lastDelivered(s: Stream, gt: StreamID, count: number): StreamID {
  let last = gt;
  s.each(incrId(gt) ?? gt, MAX_ID, false, count, (node, i) => {
    last = { ms: node.msAt(i), seq: node.seqAt(i) };
  });
  return last;
}

/** Writes one served stream, [key, entries], making the consumer (after the key, as Redis). */
function serveOne(c: Client, out: ReplyWriter, argv: string[], a: ReadArgs, k: number, e: Entry, gt: StreamID,
  history: boolean, props: string[][]): void {
  const key = argv[a.streamsArg + k];
  const s = e.value as Stream;
  if (out.proto !== 3) out.array(2);
  out.bulk(key);
  const start = incrId(gt) ?? { ms: 0, seq: 0 };
  if (!a.isGroup) {
    writeRange(out, s, start, MAX_ID, false, a.count);
    return;
  }
  const db = c.db;
  const g = a.groups[k];
  db.willChange(key, e);
  const r = consumerFor(c, g, a.consumer, key);
  if (r.created && a.noack) props.push(['XGROUP', 'CREATECONSUMER', key, a.group, a.consumer]);
  if (history) writeHistory(out, c, s, r.consumer, start, a.count);
  else writeGroupRange(out, c, s, key, g, r.consumer, start, a.count, a.noack, props);
  db.ks.dirty++;
}

/**
 * The run of a parked XREAD/XREADGROUP when a key got data (Redis 7.0's
 * serveClientsBlockedOnStreamKey): only that key is looked at; the client is served when the
 * stream's last ID is past the one it waits for (the group's last delivered ID for `>`), with
 * that key alone, and otherwise parks again. A group destroyed meanwhile ends the wait with
 * NOGROUP.
 */
function serveBlocked(c: Client, argv: string[], a: ReadArgs): void {
  const server = c.server;
  const db = c.db;
  let k = -1;
  const ready = server.blocking.servingKey;
  for (let j = 0; j < a.nstreams; j++) {
    if (argv[a.streamsArg + j] === ready) {
      k = j;
      break;
    }
  }
  // Woken for no key of its own (not expected): the first key with news serves.
  if (k < 0) {
    for (let j = 0; j < a.nstreams && k < 0; j++) {
      const e = db.peek(argv[a.streamsArg + j]);
      if (e !== undefined && e.value instanceof Stream && idCmp(e.value.lastId, a.ids[j]) > 0) k = j;
    }
  }
  const key = k < 0 ? '' : argv[a.streamsArg + k];
  const e = k < 0 ? undefined : db.lookupWrite(key);
  if (e === undefined || !(e.value instanceof Stream)) {
    block(c, argv, a, 0);
    return;
  }
  const s = e.value;
  let gt = a.ids[k];
  let g: Group | null = null;
  if (a.isGroup) {
    g = s.group(a.group) ?? null;
    if (g === null) {
      server.replyError(c, STREAM_ERR.groupGone);
      return;
    }
    gt = g.last;
  }
  if (idCmp(s.lastId, gt) <= 0) {
    block(c, argv, a, 0);
    return;
  }
  const props: string[][] = [];
  let consumer: Consumer | null = null;
  // The consumer is created before the reply starts, so a RESP3 client subscribed to its own
  // keyspace events gets xgroup-createconsumer ahead of the map header, as from Redis.
  if (g !== null) {
    const r = consumerFor(c, g, a.consumer, key);
    consumer = r.consumer;
    if (r.created && a.noack) props.push(['XGROUP', 'CREATECONSUMER', key, a.group, a.consumer]);
  }
  const out = c.out;
  if (out.proto === 3) {
    out.map(1);
  } else {
    out.array(1);
    out.array(2);
  }
  out.bulk(key);
  const start = incrId(gt)!;
  const count = a.count === 0 ? BLOCKED_DEFAULT_COUNT : a.count;
  if (g === null) {
    writeRange(out, s, start, MAX_ID, false, count);
  } else {
    writeGroupRange(out, c, s, key, g, consumer!, start, count, a.noack, props);
    // Served after waiting, only a consumer created counts as a change (Redis 7.0's
    // serveClientsBlockedOnStreamKey has no dirty count of its own, unlike xreadCommand), but
    // what it did is propagated all the same.
    server.forcePropagate = true;
    propagateAs(c, props);
  }
}

/**
 * Delivers entries from `start` on to a consumer of group g (streamReplyWithRange with a group):
 * moves the group's last delivered ID and read counter along, and unless `noack` adds each entry
 * to the pending lists (taking it from another consumer that had it), recording the XCLAIM that
 * replicas need for it.
 */
function writeGroupRange(out: ReplyWriter, c: Client, s: Stream, key: string, g: Group, consumer: Consumer,
  start: StreamID, count: number, noack: boolean, props: string[][]): void {
  const now = c.db.ks.time;
  const n = s.each(start, MAX_ID, false, count, null);
  out.array(n);
  if (n === 0) return;
  let lastMoved = false;
  s.each(start, MAX_ID, false, count, (node, i) => {
    const ms = node.msAt(i);
    const seq = node.seqAt(i);
    if (cmpId(ms, seq, g.last.ms, g.last.seq) > 0) {
      const id: StreamID = { ms, seq };
      if (g.entriesRead !== INVALID_ENTRIES_READ && !s.rangeHasTombstones(id, null)) {
        g.entriesRead = u64Inc(g.entriesRead);
      } else if (s.entriesAdded !== 0) {
        g.entriesRead = s.estimateDistance(id);
      }
      g.last = id;
      // Without NOACK the XCLAIMs carry the new last ID (LASTID).
      if (noack) lastMoved = true;
    }
    writeEntry(out, node, i);
    if (noack) return;
    const k16 = idKey(ms, seq);
    let nack = g.pel.get(k16);
    if (nack === undefined) {
      nack = new Nack(consumer, now);
      g.pel.set(k16, nack);
    } else {
      // Delivered before (the group's ID was set back): it moves to this consumer, as new.
      nack.consumer!.pel.delete(k16);
      nack.consumer = consumer;
      nack.time = now;
      nack.count = 1;
    }
    consumer.pel.set(k16, nack);
    props.push(claimArgv(key, g, formatId(ms, seq), nack));
  });
  if (lastMoved) props.push(setidArgv(key, g));
}

/**
 * A consumer's history (streamReplyWithRangeFromConsumerPEL): its pending entries from `start`
 * on, each counted as delivered again; an entry deleted since comes as [id, null].
 */
function writeHistory(out: ReplyWriter, c: Client, s: Stream, consumer: Consumer, start: StreamID,
  count: number): void {
  const now = c.db.ks.time;
  const keys: string[] = [];
  let k = consumer.pel.ceilKey(idKey(start.ms, start.seq));
  while (k !== undefined && (count === 0 || keys.length < count)) {
    keys.push(k);
    k = consumer.pel.higherKey(k);
  }
  out.array(keys.length);
  for (const k16 of keys) {
    const id = keyId(k16);
    const at = s.find(id.ms, id.seq);
    if (at === null) {
      out.array(2);
      out.bulk(idText(id));
      out.nilArray();
      continue;
    }
    writeEntry(out, s.nodes[at[0]], at[1]);
    const nack = consumer.pel.get(k16)!;
    nack.time = now;
    nack.count = u64IncWrap(nack.count);
  }
}

// XACK
function xack(c: Client, argv: string[]): void {
  const db = c.db;
  const key = argv[1];
  const e = db.lookupRead(key);
  let g: Group | undefined;
  if (e !== undefined) {
    const s = asStream(c, e.value);
    if (s === null) return;
    g = s.group(argv[2]);
  }
  // No key or group: nothing to acknowledge (before the IDs are even looked at).
  if (e === undefined || g === undefined) {
    c.out.int(0);
    return;
  }
  const keys: string[] = [];
  for (let j = 3; j < argv.length; j++) {
    const id = idArg(c, argv[j], 0, true);
    if (id === null) return;
    keys.push(idKey(id.ms, id.seq));
  }
  let acked = 0;
  for (const k16 of keys) {
    const nack = g.pel.get(k16);
    if (nack === undefined) continue;
    if (acked === 0) db.willChange(key, e);
    g.pel.delete(k16);
    nack.consumer!.pel.delete(k16);
    acked++;
    db.ks.dirty++;
  }
  c.out.int(acked);
}

// XPENDING
function xpending(c: Client, argv: string[]): void {
  const server = c.server;
  const argc = argv.length;
  const summary = argc === 3;
  if (argc !== 3 && (argc < 6 || argc > 9)) {
    server.replyError(c, ERR.syntax);
    return;
  }
  let minIdle = 0;
  let count = 0;
  let start: StreamID = { ms: 0, seq: 0 };
  let end: StreamID = MAX_ID;
  let consumerName: string | null = null;
  // The range is checked before the key, so syntax errors win over NOGROUP.
  if (argc >= 6) {
    let at = 3;
    if (optIs(argv[3], 'idle')) {
      const v = intArg(c, argv[4]);
      if (v === null) return;
      minIdle = v;
      if (argc < 8) {
        server.replyError(c, ERR.syntax);
        return;
      }
      at += 2;
    }
    const cnt = intArg(c, argv[at + 2]);
    if (cnt === null) return;
    count = cnt < 0 ? 0 : cnt;
    const s = boundArg(c, argv[at], false);
    if (s === null) return;
    const e = boundArg(c, argv[at + 1], true);
    if (e === null) return;
    start = s;
    end = e;
    if (at + 3 < argc) consumerName = argv[at + 3];
  }
  const found = groupOf(c, argv);
  if (found === null) return;
  const g = found.g;
  const out = c.out;
  if (summary) {
    out.array(4);
    out.int(g.pel.size);
    if (g.pel.size === 0) {
      out.nil();
      out.nil();
      out.nilArray();
      return;
    }
    out.bulk(keyText(g.pel.firstKey()!));
    out.bulk(keyText(g.pel.lastKey()!));
    const busy = g.sortedConsumers().filter((x) => x.pel.size > 0);
    out.array(busy.length);
    for (const x of busy) {
      out.array(2);
      out.bulk(x.name);
      out.bulk(String(x.pel.size));
    }
    return;
  }
  let pel = g.pel;
  if (consumerName !== null) {
    // Looked up without refreshing its seen-time.
    const consumer = g.consumers.get(consumerName);
    if (consumer === undefined) {
      out.array(0);
      return;
    }
    pel = consumer.pel;
  }
  const now = c.db.ks.time;
  const endKey = idKey(end.ms, end.seq);
  const rows: [string, Nack][] = [];
  let k = pel.ceilKey(idKey(start.ms, start.seq));
  for (; count > 0 && k !== undefined && k <= endKey; k = pel.higherKey(k)) {
    const nack = pel.get(k)!;
    if (minIdle !== 0 && now - nack.time < minIdle) continue;
    rows.push([k, nack]);
    count--;
  }
  out.array(rows.length);
  for (const [k, nack] of rows) {
    out.array(4);
    out.bulk(keyText(k));
    out.bulk(nack.consumer!.name);
    out.int(Math.max(0, now - nack.time));
    out.int(asInt64(nack.count));
  }
}

// XCLAIM
function xclaim(c: Client, argv: string[]): void {
  const server = c.server;
  const db = c.db;
  const key = argv[1];
  const found = groupOf(c, argv);
  if (found === null) return;
  const { e, s, g } = found;
  const stream = s;
  let minIdle = intArg(c, argv[4], STREAM_ERR.xclaimMinIdle);
  if (minIdle === null) return;
  if (minIdle < 0) minIdle = 0;
  // IDs come first; the first argument that is not one starts the options.
  const ids: StreamID[] = [];
  let j = 5;
  for (; j < argv.length; j++) {
    const id = parseId(argv[j], 0, true);
    if (id === null) break;
    ids.push(id);
  }
  const now = db.ks.time;
  let force = false;
  let justid = false;
  let deliveryTime = -1;
  let retryCount: U64 = -1;
  let lastId: StreamID = { ms: 0, seq: 0 };
  for (; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const opt = argv[j];
    if (optIs(opt, 'force')) {
      force = true;
    } else if (optIs(opt, 'justid')) {
      justid = true;
    } else if (more > 0 && optIs(opt, 'idle')) {
      const v = intArg(c, argv[++j], STREAM_ERR.xclaimIdle);
      if (v === null) return;
      deliveryTime = now - v;
    } else if (more > 0 && optIs(opt, 'time')) {
      const v = intArg(c, argv[++j], STREAM_ERR.xclaimTime);
      if (v === null) return;
      deliveryTime = v;
    } else if (more > 0 && optIs(opt, 'retrycount')) {
      const v = int64Arg(c, argv[++j], STREAM_ERR.xclaimRetryCount);
      if (v === null) return;
      retryCount = v;
    } else if (more > 0 && optIs(opt, 'lastid')) {
      const v = idArg(c, argv[++j], 0, true);
      if (v === null) return;
      lastId = v;
    } else {
      server.replyError(c, streamErr.xclaimOption(cstr(opt)));
      return;
    }
  }
  server.propagateAs = [];
  db.willChange(key, e);
  const props: string[][] = [];
  let lastMoved = false;
  if (idCmp(lastId, g.last) > 0) {
    g.last = lastId;
    lastMoved = true;
  }
  // A time in the future (or before 1970) is taken as now rather than refused.
  if (deliveryTime === -1 || deliveryTime < 0 || deliveryTime > now) deliveryTime = now;
  // Redis writes the reply's length (deferred) before claiming, so the keyspace events of a
  // consumer made on the way come after it: count the claims first, changing nothing.
  const sim = new Map<string, { time: number; owned: boolean } | null>();
  let claims = 0;
  for (const id of ids) {
    const k16 = idKey(id.ms, id.seq);
    let st: { time: number; owned: boolean } | null;
    if (sim.has(k16)) st = sim.get(k16)!;
    else {
      const nack = g.pel.get(k16);
      st = nack === undefined ? null : { time: nack.time, owned: nack.consumer !== null };
    }
    if (!stream.has(id)) {
      if (st !== null) sim.set(k16, null);
      continue;
    }
    if (force && st === null) st = { time: now, owned: false };
    if (st === null) continue;
    sim.set(k16, st);
    if (st.owned && minIdle !== 0 && now - st.time < minIdle) continue;
    sim.set(k16, { time: deliveryTime, owned: true });
    claims++;
  }
  const out = c.out;
  out.array(claims);
  let consumer: Consumer | null = null;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    const k16 = idKey(id.ms, id.seq);
    let nack = g.pel.get(k16);
    if (!stream.has(id)) {
      // Gone from the stream: it leaves the pending lists too.
      if (nack !== undefined) {
        props.push(claimArgv(key, g, argv[5 + i], nack));
        lastMoved = false;
        db.ks.dirty++;
        g.pel.delete(k16);
        nack.consumer!.pel.delete(k16);
      }
      continue;
    }
    if (force && nack === undefined) {
      nack = new Nack(null, now);
      g.pel.set(k16, nack);
    }
    if (nack === undefined) continue;
    if (nack.consumer !== null && minIdle !== 0 && now - nack.time < minIdle) continue;
    if (consumer === null) consumer = consumerFor(c, g, argv[3], key).consumer;
    if (nack.consumer !== consumer && nack.consumer !== null) nack.consumer.pel.delete(k16);
    nack.time = deliveryTime;
    if (retryCount !== -1 && retryCount >= 0) nack.count = retryCount;
    else if (!justid) nack.count = u64IncWrap(nack.count);
    if (nack.consumer !== consumer) {
      consumer.pel.set(k16, nack);
      nack.consumer = consumer;
    }
    if (justid) out.bulk(idText(id));
    else writeEntryById(out, stream, id);
    props.push(claimArgv(key, g, argv[5 + i], nack));
    lastMoved = false;
    db.ks.dirty++;
  }
  if (lastMoved) {
    props.push(setidArgv(key, g));
    db.ks.dirty++;
  }
  propagateAs(c, props);
}

/** XAUTOCLAIM's COUNT bound: its transient array of COUNT 16-byte IDs must be allocatable
 * (LONG_MAX / 16), and Redis fails the allocation of 2^47 bytes or more, a 47-bit user address
 * space. */
const AUTOCLAIM_MAX_COUNT = 576460752303423487n;
const AUTOCLAIM_ALLOC_LIMIT = 2 ** 43;

// XAUTOCLAIM
function xautoclaim(c: Client, argv: string[]): void {
  const server = c.server;
  const db = c.db;
  let minIdle = intArg(c, argv[4], STREAM_ERR.xautoclaimMinIdle);
  if (minIdle === null) return;
  if (minIdle < 0) minIdle = 0;
  const start = boundArg(c, argv[5], false);
  if (start === null) return;
  let count = 100;
  let justid = false;
  for (let j = 6; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (more > 0 && optIs(argv[j], 'count')) {
      const v = parseInt64(argv[j + 1]);
      if (v === null || v < 1n || v > AUTOCLAIM_MAX_COUNT) {
        server.replyError(c, STREAM_ERR.xautoclaimCount);
        return;
      }
      count = Number(v);
      j++;
    } else if (optIs(argv[j], 'justid')) {
      justid = true;
    } else {
      server.replyError(c, ERR.syntax);
      return;
    }
  }
  const key = argv[1];
  const found = groupOf(c, argv);
  if (found === null) return;
  const { e, s, g } = found;
  if (count >= AUTOCLAIM_ALLOC_LIMIT) {
    server.replyError(c, STREAM_ERR.xautoclaimMemory);
    return;
  }
  const stream = s;
  server.propagateAs = [];
  db.willChange(key, e);
  const now = db.ks.time;
  const props: string[][] = [];
  const deleted: StreamID[] = [];
  let consumer: Consumer | null = null;
  const first = g.pel.ceilKey(idKey(start.ms, start.seq));
  // The cursor and the number of claims come first in the reply, before the keyspace events of
  // a consumer made on the way (as Redis's deferred replies): walk the PEL once without changes.
  let claims = 0;
  let k = first;
  for (let attempts = count * 10, left = count; attempts-- > 0 && left > 0 && k !== undefined;) {
    const nack = g.pel.get(k)!;
    const id = keyId(k);
    if (stream.has(id)) {
      if (minIdle !== 0 && now - nack.time < minIdle) {
        k = g.pel.higherKey(k);
        continue;
      }
      claims++;
    }
    left--;
    k = g.pel.higherKey(k);
  }
  const out = c.out;
  out.array(3);
  // The cursor: the entry after the last one looked at, 0-0 when the PEL was walked to its end.
  out.bulk(k === undefined ? '0-0' : keyText(k));
  out.array(claims);
  let attempts = count * 10;
  k = first;
  while (attempts-- > 0 && count > 0 && k !== undefined) {
    const nack = g.pel.get(k)!;
    const id = keyId(k);
    const next = g.pel.higherKey(k);
    if (!stream.has(id)) {
      props.push(claimArgv(key, g, idText(id), nack));
      db.ks.dirty++;
      g.pel.delete(k);
      nack.consumer!.pel.delete(k);
      deleted.push(id);
      count--;
      k = next;
      continue;
    }
    if (minIdle !== 0 && now - nack.time < minIdle) {
      k = next;
      continue;
    }
    if (consumer === null) consumer = consumerFor(c, g, argv[3], key).consumer;
    if (nack.consumer !== consumer) {
      nack.consumer!.pel.delete(k);
      consumer.pel.set(k, nack);
      nack.consumer = consumer;
    }
    nack.time = now;
    if (!justid) nack.count = u64IncWrap(nack.count);
    if (justid) out.bulk(idText(id));
    else writeEntryById(out, stream, id);
    count--;
    props.push(claimArgv(key, g, idText(id), nack));
    db.ks.dirty++;
    k = next;
  }
  out.array(deleted.length);
  for (const id of deleted) out.bulk(idText(id));
  propagateAs(c, props);
}

// XSETID
function xsetid(c: Client, argv: string[]): void {
  const server = c.server;
  const id = idArg(c, argv[2], 0, true);
  if (id === null) return;
  let entriesAdded: U64 = -1;
  let maxDeleted: StreamID = { ms: 0, seq: 0 };
  for (let i = 3; i < argv.length; i += 2) {
    const more = argv.length - 1 - i;
    if (more > 0 && optIs(argv[i], 'entriesadded')) {
      const v = int64Arg(c, argv[i + 1]);
      if (v === null) return;
      if (v < 0) {
        server.replyError(c, STREAM_ERR.entriesAddedNegative);
        return;
      }
      entriesAdded = v;
    } else if (more > 0 && optIs(argv[i], 'maxdeletedid')) {
      const v = idArg(c, argv[i + 1], 0, true);
      if (v === null) return;
      if (idCmp(id, v) < 0) {
        server.replyError(c, STREAM_ERR.xsetidBelowGivenMaxDeleted);
        return;
      }
      maxDeleted = v;
    } else {
      server.replyError(c, ERR.syntax);
      return;
    }
  }
  const db = c.db;
  const key = argv[1];
  const e = db.lookupWrite(key);
  if (e === undefined) {
    server.replyError(c, ERR.noKey);
    return;
  }
  const s = asStream(c, e.value);
  if (s === null) return;
  // New IDs must stay above every entry: the last one cannot be set below the stream's top.
  if (s.length > 0) {
    if (idCmp(id, s.lastValidId()) < 0) {
      server.replyError(c, STREAM_ERR.xsetidBelowTop);
      return;
    }
    if (entriesAdded !== -1 && s.length > entriesAdded) {
      server.replyError(c, STREAM_ERR.xsetidEntriesAdded);
      return;
    }
  }
  s.lastMs = id.ms;
  s.lastSeq = id.seq;
  if (entriesAdded !== -1) s.entriesAdded = entriesAdded;
  if (!isZeroId(maxDeleted)) {
    s.maxDelMs = maxDeleted.ms;
    s.maxDelSeq = maxDeleted.seq;
  }
  c.out.ok();
  db.ks.dirty++;
  notify(db, 'xsetid', key);
}

// XGROUP CREATE, XGROUP CREATECONSUMER, XGROUP DELCONSUMER, XGROUP DESTROY, XGROUP SETID
/** The XGROUP subcommands but HELP share Redis's xgroupCommand: options, then the key, then the
 * group, then what the subcommand does. */
function xgroup(c: Client, argv: string[]): void {
  const server = c.server;
  const db = c.db;
  const argc = argv.length;
  const sub = argv[1].toLowerCase();
  const key = argv[2];
  const name = argv[3];
  let s: Stream | null = null;
  let mkstream = false;
  let entriesRead: U64 = INVALID_ENTRIES_READ;
  let g: Group | undefined;
  for (let i = 5; i < argc;) {
    if (sub === 'create' && optIs(argv[i], 'mkstream')) {
      mkstream = true;
      i++;
    } else if ((sub === 'create' || sub === 'setid') && optIs(argv[i], 'entriesread') && i + 1 < argc) {
      const v = int64Arg(c, argv[i + 1]);
      if (v === null) return;
      if (v < 0 && v !== INVALID_ENTRIES_READ) {
        server.replyError(c, STREAM_ERR.entriesReadRange);
        return;
      }
      entriesRead = v;
      i += 2;
    } else {
      server.replyError(c, subcommandSyntax(cstr(argv[1]), cstr(argv[0])));
      return;
    }
  }
  const e = db.lookupWrite(key);
  if (e !== undefined) {
    s = asStream(c, e.value);
    if (s === null) return;
  }
  if (!mkstream) {
    if (s === null) {
      server.replyError(c, STREAM_ERR.xgroupNeedsKey);
      return;
    }
    g = s.group(name);
    if (g === undefined && (sub === 'setid' || sub === 'createconsumer' || sub === 'delconsumer')) {
      server.replyError(c, streamErr.noSuchGroup(cstr(name), cstr(key)));
      return;
    }
  }
  if (sub === 'create' && argc <= 8) {
    let id: StreamID;
    if (cstr(argv[4]) === '$') {
      id = s === null ? { ms: 0, seq: 0 } : s.lastId;
    } else {
      const parsed = idArg(c, argv[4], 0, true);
      if (parsed === null) return;
      id = { ms: parsed.ms, seq: parsed.seq };
    }
    // MKSTREAM: the command cannot fail any more but for BUSYGROUP, which a new stream avoids.
    if (s === null) {
      s = new Stream();
      db.add(key, s);
    }
    if (s.group(name) !== undefined) {
      server.replyError(c, STREAM_ERR.busyGroup);
      return;
    }
    if (s.groups === null) s.groups = new Map();
    s.groups.set(name, new Group(name, id, entriesRead));
    c.out.ok();
    db.ks.dirty++;
    notify(db, 'xgroup-create', key);
  } else if (sub === 'setid' && (argc === 5 || argc === 7)) {
    let id: StreamID;
    if (cstr(argv[4]) === '$') {
      id = s!.lastId;
    } else {
      const parsed = idArg(c, argv[4], 0, false);
      if (parsed === null) return;
      id = { ms: parsed.ms, seq: parsed.seq };
    }
    g!.last = id;
    // Without ENTRIESREAD the read counter becomes unknown.
    g!.entriesRead = entriesRead;
    c.out.ok();
    db.ks.dirty++;
    notify(db, 'xgroup-setid', key);
  } else if (sub === 'destroy' && argc === 4) {
    if (g === undefined) {
      c.out.int(0);
      return;
    }
    s!.groups!.delete(name);
    c.out.int(1);
    db.ks.dirty++;
    notify(db, 'xgroup-destroy', key);
    // Consumers blocked in XREADGROUP on this group get NOGROUP.
    server.blocking.signalKeyReady(db, key);
  } else if (sub === 'createconsumer' && argc === 5) {
    if (g!.consumers.has(argv[4])) {
      c.out.int(0);
      return;
    }
    consumerFor(c, g!, argv[4], key);
    c.out.int(1);
  } else if (sub === 'delconsumer' && argc === 5) {
    const consumer = g!.consumers.get(argv[4]);
    if (consumer === undefined) {
      c.out.int(0);
      return;
    }
    const pending = g!.deleteConsumer(consumer);
    db.ks.dirty++;
    notify(db, 'xgroup-delconsumer', key);
    c.out.int(pending);
  } else {
    server.replyError(c, subcommandSyntax(cstr(argv[1]), cstr(argv[0])));
  }
}

const XGROUP_HELP = [
  'XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CREATE <key> <groupname> <id|$> [option]',
  '    Create a new consumer group. Options are:',
  '    * MKSTREAM',
  '      Create the empty stream if it does not exist.',
  '    * ENTRIESREAD entries_read',
  "      Set the group's entries_read counter (internal use).",
  'CREATECONSUMER <key> <groupname> <consumer>',
  '    Create a new consumer in the specified group.',
  'DELCONSUMER <key> <groupname> <consumer>',
  '    Remove the specified consumer.',
  'DESTROY <key> <groupname>',
  '    Remove the specified group.',
  'SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]',
  '    Set the current group ID and entries_read counter.',
  'HELP',
  '    Prints this help.',
];

// XGROUP HELP
function xgroupHelp(c: Client): void {
  c.out.help(XGROUP_HELP);
}

/** The stream XINFO asks about; null after replying (no such key, WRONGTYPE). */
function xinfoStreamOf(c: Client, key: string): Stream | null {
  const e = c.db.lookupRead(key);
  if (e === undefined) {
    c.server.replyError(c, ERR.noKey);
    return null;
  }
  return asStream(c, e.value);
}

// XINFO CONSUMERS
function xinfoConsumers(c: Client, argv: string[]): void {
  const s = xinfoStreamOf(c, argv[2]);
  if (s === null) return;
  const g = s.group(argv[3]);
  if (g === undefined) {
    c.server.replyError(c, streamErr.noSuchGroup(cstr(argv[3]), cstr(argv[2])));
    return;
  }
  const now = c.db.ks.time;
  const out = c.out;
  const consumers = g.sortedConsumers();
  out.array(consumers.length);
  for (const x of consumers) {
    out.map(3);
    out.bulk('name');
    out.bulk(x.name);
    out.bulk('pending');
    out.int(x.pel.size);
    out.bulk('idle');
    out.int(Math.max(0, now - x.seenTime));
  }
}

// XINFO GROUPS
function xinfoGroups(c: Client, argv: string[]): void {
  const s = xinfoStreamOf(c, argv[2]);
  if (s === null) return;
  const out = c.out;
  const groups = s.sortedGroups();
  out.array(groups.length);
  for (const g of groups) {
    out.map(6);
    out.bulk('name');
    out.bulk(g.name);
    out.bulk('consumers');
    out.int(g.consumers.size);
    out.bulk('pending');
    out.int(g.pel.size);
    out.bulk('last-delivered-id');
    out.bulk(idText(g.last));
    out.bulk('entries-read');
    writeEntriesRead(out, g);
    out.bulk('lag');
    writeLag(out, s, g);
  }
}

function writeEntriesRead(out: ReplyWriter, g: Group): void {
  if (g.entriesRead === INVALID_ENTRIES_READ) out.nil();
  else out.int(g.entriesRead);
}

function writeLag(out: ReplyWriter, s: Stream, g: Group): void {
  const lag = s.lag(g);
  if (lag === null) out.nil();
  else out.int(lag);
}

const XINFO_HELP = [
  'XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CONSUMERS <key> <groupname>',
  '    Show consumers of <groupname>.',
  'GROUPS <key>',
  '    Show the stream consumer groups.',
  'STREAM <key> [FULL [COUNT <count>]',
  '    Show information about the stream.',
  'HELP',
  '    Prints this help.',
];

// XINFO HELP
function xinfoHelp(c: Client): void {
  c.out.help(XINFO_HELP);
}

// XINFO STREAM
function xinfoStream(c: Client, argv: string[]): void {
  const s = xinfoStreamOf(c, argv[2]);
  if (s === null) return;
  const optc = argv.length - 3;
  let full = false;
  let count = 10;
  if (optc > 0) {
    if ((optc !== 1 && optc !== 3) || !optIs(argv[3], 'full') || (optc === 3 && !optIs(argv[4], 'count'))) {
      c.server.replyError(c, subcommandSyntax(cstr(argv[1]), cstr(argv[0])));
      return;
    }
    full = true;
    if (optc === 3) {
      const v = intArg(c, argv[5]);
      if (v === null) return;
      count = v < 0 ? 10 : v;
    }
  }
  const out = c.out;
  out.map(full ? 9 : 10);
  out.bulk('length');
  out.int(s.length);
  out.bulk('radix-tree-keys');
  out.int(s.raxKeys);
  out.bulk('radix-tree-nodes');
  out.int(s.raxNodes);
  out.bulk('last-generated-id');
  out.bulk(formatId(s.lastMs, s.lastSeq));
  out.bulk('max-deleted-entry-id');
  out.bulk(formatId(s.maxDelMs, s.maxDelSeq));
  out.bulk('entries-added');
  out.int(s.entriesAdded);
  out.bulk('recorded-first-entry-id');
  out.bulk(formatId(s.firstMs, s.firstSeq));
  if (!full) {
    out.bulk('groups');
    out.int(s.groups === null ? 0 : s.groups.size);
    out.bulk('first-entry');
    if (s.each({ ms: 0, seq: 0 }, MAX_ID, false, 1, (node, i) => writeEntry(out, node, i)) === 0) out.nil();
    out.bulk('last-entry');
    if (s.each({ ms: 0, seq: 0 }, MAX_ID, true, 1, (node, i) => writeEntry(out, node, i)) === 0) out.nil();
    return;
  }
  out.bulk('entries');
  writeRange(out, s, { ms: 0, seq: 0 }, MAX_ID, false, count);
  out.bulk('groups');
  const groups = s.sortedGroups();
  out.array(groups.length);
  for (const g of groups) {
    out.map(7);
    out.bulk('name');
    out.bulk(g.name);
    out.bulk('last-delivered-id');
    out.bulk(idText(g.last));
    out.bulk('entries-read');
    writeEntriesRead(out, g);
    out.bulk('lag');
    writeLag(out, s, g);
    out.bulk('pel-count');
    out.int(g.pel.size);
    out.bulk('pending');
    const pending = Math.min(g.pel.size, count === 0 ? Infinity : count);
    out.array(pending);
    let n = 0;
    g.pel.forEach((k16, nack) => {
      if (n++ === pending) return false;
      out.array(4);
      out.bulk(keyText(k16));
      out.bulk(nack.consumer!.name);
      out.int(nack.time);
      out.int(asInt64(nack.count));
    });
    out.bulk('consumers');
    const consumers = g.sortedConsumers();
    out.array(consumers.length);
    for (const x of consumers) {
      out.map(4);
      out.bulk('name');
      out.bulk(x.name);
      out.bulk('seen-time');
      out.int(x.seenTime);
      out.bulk('pel-count');
      out.int(x.pel.size);
      out.bulk('pending');
      const mine = Math.min(x.pel.size, count === 0 ? Infinity : count);
      out.array(mine);
      let m = 0;
      x.pel.forEach((k16, nack) => {
        if (m++ === mine) return false;
        out.array(3);
        out.bulk(keyText(k16));
        out.int(nack.time);
        out.int(asInt64(nack.count));
      });
    }
  }
}
