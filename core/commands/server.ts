// Server commands: https://redis.io/commands/?group=server
import { blockFor } from '../sleep.ts';
import type { Command, CommandSpec } from '../command.ts';
import type { Client } from '../client.ts';
import { commandArgs, keySpecFlagNames, writeCommandDocs, writeCommandInfo } from '../command_docs.ts';
import { ERR, subcommandSyntax } from '../errors.ts';
import { logCrashReport } from '../crash.ts';
import { globMatch } from '../glob.ts';
import { datasetDigest, valueDigest } from '../digest.ts';
import { rdbControl } from './persistence.ts';
import { rewriteConfigFile } from './config.ts';
import { utf8ToStr } from '../bytes.ts';
import { infoText, keyMemoryUsage, memoryStats } from '../info.ts';
import { isString, stringOf } from '../keyspace.ts';
import { parseInteger } from '../numbers.ts';
import { memtoull } from '../config/types.ts';
import { encodingOf } from './generic.ts';
import { encodeOptions, serializedInfo } from '../../plugins/persistence/rdb/codec.ts';
import type { PackedList } from '../types/packed_list.ts';

const LATENCY_TIPS = ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'];

export const commands: CommandSpec[] = [
  {
    name: 'info', arity: -1, flags: ['loading', 'stale'], categories: ['dangerous'],
    tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
    summary: 'Get information and statistics about the server', since: '1.0.0', group: 'server',
    complexity: 'O(1)', history: [['7.0.0', 'Added support for taking multiple section arguments.']],
    args: '[section [section ...]]', handler: info,
  },
  {
    name: 'command', arity: -1, flags: ['loading', 'stale'], categories: ['connection'],
    tips: ['nondeterministic_output_order'],
    summary: 'Get array of Redis command details', since: '2.8.13', group: 'server',
    complexity: 'O(N) where N is the total number of Redis commands', handler: command,
    subcommands: [
      {
        name: 'count', arity: 2, flags: ['loading', 'stale'], categories: ['connection'],
        summary: 'Get total number of Redis commands', since: '2.8.13', group: 'server',
        complexity: 'O(1)', handler: commandCount,
      },
      {
        name: 'list', arity: -2, flags: ['loading', 'stale'], categories: ['connection'],
        tips: ['nondeterministic_output_order'],
        summary: 'Get an array of Redis command names', since: '7.0.0', group: 'server',
        complexity: 'O(N) where N is the total number of Redis commands',
        args: 'filterby=[FILTERBY <MODULE module-name | ACLCAT category | PATTERN pattern>]',
        handler: commandList,
      },
      {
        name: 'info', arity: -2, flags: ['loading', 'stale'], categories: ['connection'],
        tips: ['nondeterministic_output_order'],
        summary: 'Get array of specific Redis command details, or all when no argument is given.',
        since: '2.8.13', group: 'server',
        complexity: 'O(N) where N is the number of commands to look up',
        history: [['7.0.0', 'Allowed to be called with no argument to get info on all commands.']],
        args: '[command-name [command-name ...]]', handler: commandInfo,
      },
      {
        name: 'docs', arity: -2, flags: ['loading', 'stale'], categories: ['connection'],
        tips: ['nondeterministic_output_order'],
        summary: 'Get array of specific Redis command documentation', since: '7.0.0',
        group: 'server', complexity: 'O(N) where N is the number of commands to look up',
        args: '[command-name [command-name ...]]', handler: commandDocs,
      },
      {
        name: 'getkeys', arity: -4, flags: ['loading', 'stale'], categories: ['connection'],
        summary: 'Extract keys given a full Redis command', since: '2.8.13', group: 'server',
        complexity: 'O(N) where N is the number of arguments to the command',
        handler: commandGetkeys,
      },
      {
        name: 'getkeysandflags', arity: -4, flags: ['loading', 'stale'], categories: ['connection'],
        summary: 'Extract keys and access flags given a full Redis command', since: '7.0.0',
        group: 'server', complexity: 'O(N) where N is the number of arguments to the command',
        handler: commandGetkeysandflags,
      },
      {
        name: 'help', arity: 2, flags: ['loading', 'stale'], categories: ['connection'],
        summary: 'Show helpful text about the different subcommands', since: '5.0.0',
        group: 'server', complexity: 'O(1)', handler: commandHelp,
      },
    ],
  },
  {
    name: 'time', arity: 1, flags: ['loading', 'stale', 'fast'], categories: [],
    tips: ['nondeterministic_output'],
    summary: 'Return the current server time', since: '2.6.0', group: 'server',
    complexity: 'O(1)', handler: time,
  },
  {
    name: 'role', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast'], categories: ['admin', 'dangerous'],
    summary: 'Return the role of the instance in the context of replication', since: '2.8.12', group: 'server',
    complexity: 'O(1)', handler: role,
  },
  {
    name: 'lastsave', arity: 1, flags: ['loading', 'stale', 'fast'], categories: ['admin', 'dangerous'],
    tips: ['nondeterministic_output'],
    summary: 'Get the UNIX time stamp of the last successful save to disk', since: '1.0.0',
    group: 'server', complexity: 'O(1)', handler: lastsave,
  },
  {
    name: 'shutdown', arity: -1,
    flags: ['admin', 'noscript', 'loading', 'stale', 'no_multi', 'allow_busy'], categories: [],
    summary: 'Synchronously save the dataset to disk and then shut down the server',
    since: '1.0.0', group: 'server',
    complexity: 'O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)',
    history: [['7.0.0', 'Added the `NOW`, `FORCE` and `ABORT` modifiers.']],
    args: '[NOSAVE | SAVE] [NOW]@7.0.0 [FORCE]@7.0.0 [ABORT]@7.0.0', handler: shutdown,
  },
  {
    name: 'slowlog', arity: -2, flags: [], categories: [],
    summary: 'A container for slow log commands', since: '2.2.12', group: 'server',
    complexity: 'Depends on subcommand.',
    subcommands: [
      {
        name: 'get', arity: -2, flags: ['admin', 'loading', 'stale'], categories: [],
        tips: ['request_policy:all_nodes', 'nondeterministic_output'],
        summary: "Get the slow log's entries", since: '2.2.12', group: 'server',
        complexity: 'O(N) where N is the number of entries returned',
        history: [['4.0.0', 'Added client IP address, port and name to the reply.']], args: '[count]',
        handler: slowlogGet,
      },
      {
        name: 'len', arity: 2, flags: ['admin', 'loading', 'stale'], categories: [],
        tips: ['request_policy:all_nodes', 'response_policy:agg_sum', 'nondeterministic_output'],
        summary: "Get the slow log's length", since: '2.2.12', group: 'server', complexity: 'O(1)',
        handler: slowlogLen,
      },
      {
        name: 'reset', arity: 2, flags: ['admin', 'loading', 'stale'], categories: [],
        tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
        summary: 'Clear all entries from the slow log', since: '2.2.12', group: 'server',
        complexity: 'O(N) where N is the number of entries in the slowlog', handler: slowlogReset,
      },
      {
        name: 'help', arity: 2, flags: ['loading', 'stale'], categories: [],
        summary: 'Show helpful text about the different subcommands', since: '6.2.0',
        group: 'server', complexity: 'O(1)', handler: slowlogHelp,
      },
    ],
  },
  {
    name: 'latency', arity: -2, flags: [], categories: [],
    summary: 'A container for latency diagnostics commands', since: '2.8.13', group: 'server',
    complexity: 'Depends on subcommand.',
    subcommands: [
      {
        name: 'doctor', arity: 2, flags: ['admin', 'noscript', 'loading', 'stale'], categories: [],
        tips: LATENCY_TIPS, summary: 'Return a human readable latency analysis report.', since: '2.8.13',
        group: 'server', complexity: 'O(1)', handler: latencyDoctor,
      },
      {
        name: 'graph', arity: 3, flags: ['admin', 'noscript', 'loading', 'stale'], categories: [],
        tips: LATENCY_TIPS, summary: 'Return a latency graph for the event.', since: '2.8.13', group: 'server',
        complexity: 'O(1)', args: 'event', handler: latencyGraph,
      },
      {
        name: 'help', arity: 2, flags: ['loading', 'stale'], categories: [],
        summary: 'Show helpful text about the different subcommands.', since: '2.8.13', group: 'server',
        complexity: 'O(1)', handler: latencyHelp,
      },
      {
        name: 'histogram', arity: -2, flags: ['admin', 'noscript', 'loading', 'stale'], categories: [],
        tips: LATENCY_TIPS,
        summary: 'Return the cumulative distribution of latencies of a subset of commands or all.',
        since: '7.0.0', group: 'server',
        complexity: 'O(N) where N is the number of commands with latency information being retrieved.',
        args: '[command [command ...]]', handler: latencyHistogram,
      },
      {
        name: 'history', arity: 3, flags: ['admin', 'noscript', 'loading', 'stale'], categories: [],
        tips: LATENCY_TIPS, summary: 'Return timestamp-latency samples for the event.', since: '2.8.13',
        group: 'server', complexity: 'O(1)', args: 'event', handler: latencyHistory,
      },
      {
        name: 'latest', arity: 2, flags: ['admin', 'noscript', 'loading', 'stale'], categories: [],
        tips: LATENCY_TIPS, summary: 'Return the latest latency samples for all events.', since: '2.8.13',
        group: 'server', complexity: 'O(1)', handler: latencyLatest,
      },
      {
        name: 'reset', arity: -2, flags: ['admin', 'noscript', 'loading', 'stale'], categories: [],
        tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
        summary: 'Reset latency data for one or more events.', since: '2.8.13', group: 'server',
        complexity: 'O(1)', args: '[event [event ...]]', handler: latencyReset,
      },
    ],
  },
  {
    name: 'monitor', arity: 1, flags: ['admin', 'noscript', 'loading', 'stale'], categories: [],
    summary: 'Listen for all requests received by the server in real time', since: '1.0.0',
    group: 'server', handler: monitor,
  },
  {
    // no_propagate: what DEBUG changes (POPULATE, RELOAD, LOADAOF) is never sent to the AOF or
    // replicas, as in Redis, where none of it counts as dirty.
    name: 'debug', arity: -2, flags: ['admin', 'noscript', 'loading', 'stale', 'no_propagate'], categories: [],
    summary: 'A container for debugging commands', since: '1.0.0', group: 'server',
    complexity: 'Depends on subcommand.', docFlags: ['syscmd'], handler: debug,
  },
  {
    name: 'memory', arity: -2, flags: [], categories: [],
    summary: 'A container for memory diagnostics commands', since: '4.0.0', group: 'server',
    complexity: 'Depends on subcommand.',
    subcommands: [
      {
        name: 'doctor', arity: 2, flags: [], categories: [],
        tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
        summary: 'Outputs memory problems report', since: '4.0.0', group: 'server', complexity: 'O(1)',
        handler: memoryDoctor,
      },
      {
        name: 'usage', arity: -3, flags: ['readonly'], categories: [], keys: [2, 2, 1],
        keyFlags: ['RO'],
        summary: 'Estimate the memory usage of a key', since: '4.0.0', group: 'server',
        complexity: 'O(N) where N is the number of samples.', args: 'key [SAMPLES count]',
        handler: memoryUsage,
      },
      {
        name: 'stats', arity: 2, flags: [], categories: [],
        tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
        summary: 'Show memory usage details', since: '4.0.0', group: 'server', complexity: 'O(1)',
        handler: memoryStatsCommand,
      },
      {
        name: 'malloc-stats', arity: 2, flags: [], categories: [],
        tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
        summary: 'Show allocator internal stats', since: '4.0.0', group: 'server',
        complexity: 'Depends on how much memory is allocated, could be slow',
        handler: memoryMallocStats,
      },
      {
        name: 'purge', arity: 2, flags: [], categories: [],
        tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
        summary: 'Ask the allocator to release memory', since: '4.0.0', group: 'server',
        complexity: 'Depends on how much memory is allocated, could be slow',
        handler: memoryPurge,
      },
      {
        name: 'help', arity: 2, flags: ['loading', 'stale'], categories: [],
        summary: 'Show helpful text about the different subcommands', since: '4.0.0',
        group: 'server', complexity: 'O(1)', handler: memoryHelp,
      },
    ],
  },
];

// INFO
function info(c: Client, argv: string[]): void {
  c.out.verbatim(infoText(c.server, argv.slice(1)));
}

/** A command by name, `container|sub` for subcommands, in any letter case. */
function findCommand(c: Client, name: string): Command | undefined {
  const bar = name.indexOf('|');
  if (bar < 0) return c.server.commands.get(name);
  const parent = c.server.commands.get(name.slice(0, bar));
  const subName = name.slice(bar + 1);
  if (parent === undefined || parent.subcommands === null || subName.includes('|')) return undefined;
  return parent.subcommands.get(subName.toLowerCase());
}

// COMMAND
function command(c: Client): void {
  const all = c.server.commands.list();
  c.out.array(all.length);
  for (const cmd of all) writeCommandInfo(c.out, cmd);
}

// COMMAND COUNT
function commandCount(c: Client): void {
  c.out.int(c.server.commands.size);
}

// COMMAND LIST
function commandList(c: Client, argv: string[]): void {
  let filter: ((cmd: Command) => boolean) | null = null;
  for (let i = 2; i < argv.length; i++) {
    const more = argv.length - 1 - i;
    if (argv[i].toLowerCase() === 'filterby' && more === 2) {
      const kind = argv[i + 1].toLowerCase();
      const arg = argv[i + 2];
      if (kind === 'module') filter = () => false;
      else if (kind === 'aclcat') {
        const cat = arg.toLowerCase();
        filter = (cmd) => (cmd.categories as readonly string[]).includes(cat);
      } else if (kind === 'pattern') {
        filter = (cmd) => globMatch(arg, cmd.fullname, true);
      } else {
        c.server.replyError(c, ERR.syntax);
        return;
      }
      i += 2;
    } else {
      c.server.replyError(c, ERR.syntax);
      return;
    }
  }
  const names: string[] = [];
  for (const cmd of c.server.commands.list()) {
    if (filter === null || filter(cmd)) names.push(cmd.fullname);
    if (cmd.subcommands === null) continue;
    for (const sub of cmd.subcommands.values()) if (filter === null || filter(sub)) names.push(sub.fullname);
  }
  c.out.bulkArray(names);
}

// COMMAND INFO
function commandInfo(c: Client, argv: string[]): void {
  if (argv.length === 2) {
    command(c);
    return;
  }
  c.out.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const cmd = findCommand(c, argv[i]);
    if (cmd === undefined) c.out.nil();
    else writeCommandInfo(c.out, cmd);
  }
}

// COMMAND DOCS
function commandDocs(c: Client, argv: string[]): void {
  let list: Command[];
  if (argv.length === 2) {
    list = [...c.server.commands.list()];
  } else {
    list = [];
    for (let i = 2; i < argv.length; i++) {
      const cmd = findCommand(c, argv[i]);
      if (cmd !== undefined) list.push(cmd);
    }
  }
  // Parse every usage string first: a broken one is a bug to report, not half a reply.
  for (const cmd of list) commandArgs(cmd);
  c.out.map(list.length);
  for (const cmd of list) {
    c.out.bulk(cmd.fullname);
    writeCommandDocs(c.out, cmd);
  }
}

/** COMMAND GETKEYS[ANDFLAGS]: the keys of the command in argv[2..]. */
function getKeys(c: Client, argv: string[], withFlags: boolean): void {
  const args = argv.slice(2);
  let cmd = c.server.commands.get(args[0]);
  if (cmd !== undefined && cmd.subcommands !== null) {
    cmd = args.length >= 2 ? cmd.subcommands.get(args[1].toLowerCase()) : cmd;
  }
  if (cmd === undefined) {
    c.server.replyError(c, ERR.commandInvalid);
    return;
  }
  // Channel arguments (SSUBSCRIBE's NOT_KEY key specs) are not keys here (doesCommandHaveKeys).
  if (cmd.spec.getKeys === undefined && !cmd.keySpecs.some((ks) => !ks.flags.includes('NOT_KEY'))) {
    c.server.replyError(c, ERR.commandNoKeys);
    return;
  }
  if ((cmd.arity > 0 && cmd.arity !== args.length) || args.length < -cmd.arity) {
    c.server.replyError(c, ERR.commandArgCount);
    return;
  }
  const keys = cmd.keysAndFlags(args);
  if (keys.length === 0) {
    if (cmd.spec.flags.includes('no_mandatory_keys')) c.out.array(0);
    else c.server.replyError(c, ERR.commandInvalidArgs);
    return;
  }
  c.out.array(keys.length);
  for (const k of keys) {
    if (!withFlags) {
      c.out.bulk(args[k.pos]);
      continue;
    }
    c.out.array(2);
    c.out.bulk(args[k.pos]);
    const flags = keySpecFlagNames(k.flags);
    c.out.set(flags.length);
    for (const f of flags) c.out.simple(f);
  }
}

// COMMAND GETKEYS
function commandGetkeys(c: Client, argv: string[]): void {
  getKeys(c, argv, false);
}

// COMMAND GETKEYSANDFLAGS
function commandGetkeysandflags(c: Client, argv: string[]): void {
  getKeys(c, argv, true);
}

// COMMAND HELP
const COMMAND_HELP = [
  'COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  '(no subcommand)',
  '    Return details about all Redis commands.',
  'COUNT',
  '    Return the total number of commands in this Redis server.',
  'LIST',
  '    Return a list of all commands in this Redis server.',
  'INFO [<command-name> ...]',
  '    Return details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'DOCS [<command-name> ...]',
  '    Return documentation details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'GETKEYS <full-command>',
  '    Return the keys from a full Redis command.',
  'GETKEYSANDFLAGS <full-command>',
  '    Return the keys and the access flags from a full Redis command.',
  'HELP',
  '    Prints this help.',
];

function commandHelp(c: Client): void {
  c.out.help(COMMAND_HELP);
}

// TIME
function time(c: Client): void {
  const us = c.server.ustime();
  c.out.array(2);
  c.out.bulk(String(Math.floor(us / 1e6)));
  c.out.bulk(String(us % 1e6));
}

// LASTSAVE
// ROLE: a master with no replicas (echokv does not replicate yet), at replication offset 0, as
// INFO replication says.
function role(c: Client): void {
  c.out.array(3);
  c.out.bulk('master');
  c.out.int(0);
  c.out.array(0);
}

function lastsave(c: Client): void {
  c.out.int(Math.floor(c.server.lastSave / 1000));
}

// SHUTDOWN
function shutdown(c: Client, argv: string[]): void {
  let save: boolean | undefined;
  let nosave = false;
  let saveFlag = false;
  let force = false;
  let now = false;
  let abort = false;
  for (let i = 1; i < argv.length; i++) {
    const opt = argv[i].toLowerCase();
    if (opt === 'nosave') nosave = true;
    else if (opt === 'save') saveFlag = true;
    else if (opt === 'now') now = true;
    else if (opt === 'force') force = true;
    else if (opt === 'abort') abort = true;
    else {
      c.server.replyError(c, ERR.syntax);
      return;
    }
  }
  if ((abort && (nosave || saveFlag || now || force)) || (nosave && saveFlag)) {
    c.server.replyError(c, ERR.syntax);
    return;
  }
  if (abort) {
    // What can be aborted is a shutdown a signal asked for that the cron has not started yet (a
    // shutdown never waits for lagging replicas here).
    if (c.server.shutdownAsap === null) {
      c.server.replyError(c, ERR.noShutdownInProgress);
      return;
    }
    c.server.shutdownAsap = null;
    c.server.log.notice('Shutdown manually aborted.');
    c.out.ok();
    return;
  }
  if (nosave) save = false;
  else if (saveFlag) save = true;
  const server = c.server;
  void server.shutdown({ save, force }).then((ok) => {
    // On success every client, this one included, is closed without a reply, as in Redis.
    if (!ok && !c.closed) {
      server.replyError(c, ERR.shutdownFailed);
      server.wake(c);
    }
  });
}

// SLOWLOG GET
function slowlogGet(c: Client, argv: string[]): void {
  if (argv.length > 3) {
    c.server.replyError(c, subcommandSyntax(argv[1], argv[0]));
    return;
  }
  let count = 10;
  if (argv.length === 3) {
    const n = parseInteger(argv[2]);
    if (n === null || n < -1) {
      c.server.replyError(c, ERR.slowlogCount);
      return;
    }
    count = n;
  }
  const log = c.server.slowlog;
  const n = count === -1 ? log.length : Math.min(count, log.length);
  c.out.array(n);
  for (let i = 0; i < n; i++) {
    const e = log[i];
    c.out.array(6);
    c.out.int(e.id);
    c.out.int(e.time);
    c.out.int(e.durationUs);
    c.out.bulkArray(e.argv);
    c.out.bulk(e.peer);
    c.out.bulk(e.name);
  }
}

// SLOWLOG LEN
function slowlogLen(c: Client): void {
  c.out.int(c.server.slowlog.length);
}

// SLOWLOG RESET
function slowlogReset(c: Client): void {
  c.server.slowlog.length = 0;
  c.out.ok();
}

// SLOWLOG HELP
const SLOWLOG_HELP = [
  'SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GET [<count>]',
  '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
  '    Entries are made of:',
  '    id, timestamp, time in microseconds, arguments array, client IP and port,',
  '    client name',
  'LEN',
  '    Return the length of the slowlog.',
  'RESET',
  '    Reset the slowlog.',
  'HELP',
  '    Prints this help.',
];

function slowlogHelp(c: Client): void {
  c.out.help(SLOWLOG_HELP);
}

// LATENCY (core/latency.ts)
function latencyLatest(c: Client): void {
  const rows = c.server.latency.latest();
  c.out.array(rows.length);
  for (const [event, time, latency, max] of rows) {
    c.out.array(4);
    c.out.bulk(event);
    c.out.int(time);
    c.out.int(latency);
    c.out.int(max);
  }
}

function latencyHistory(c: Client, argv: string[]): void {
  const samples = c.server.latency.samples(argv[2]);
  c.out.array(samples.length);
  for (const [time, latency] of samples) {
    c.out.array(2);
    c.out.int(time);
    c.out.int(latency);
  }
}

function latencyReset(c: Client, argv: string[]): void {
  const lm = c.server.latency;
  let n = 0;
  if (argv.length === 2) n = lm.reset(null);
  else for (let i = 2; i < argv.length; i++) n += lm.reset(argv[i]);
  c.out.int(n);
}

function latencyGraph(c: Client, argv: string[]): void {
  const graph = c.server.latency.graph(argv[2], Math.floor(c.server.keyspace.clock() / 1000));
  if (graph === null) c.server.replyError(c, `ERR No samples available for event '${argv[2]}'`);
  else c.out.verbatim(graph, 'txt');
}

function latencyDoctor(c: Client): void {
  const report = c.server.latency.doctor(c.server, Math.floor(c.server.keyspace.clock() / 1000), usesHugePages(c));
  c.out.verbatim(report, 'txt');
}

/** Whether the process has anonymous huge pages (Linux's AnonHugePages; false elsewhere). */
function usesHugePages(c: Client): boolean {
  for (const path of ['/proc/self/smaps_rollup', '/proc/self/smaps']) {
    let text: string;
    try {
      text = c.server.host.readText(path);
    } catch {
      continue;
    }
    let kb = 0;
    for (const m of text.matchAll(/^AnonHugePages:\s+(\d+) kB/gm)) kb += Number(m[1]);
    return kb > 0;
  }
  return false;
}

/**
 * LATENCY HISTOGRAM: for each command with a latency-tracking histogram, its calls and the
 * cumulative count at each power-of-two microsecond bucket from 1 µs, as Redis's
 * fillCommandCDF reads its hdr_histogram with a logarithmic iterator.
 */
function latencyHistogram(c: Client, argv: string[]): void {
  const cmds: Command[] = [];
  if (argv.length === 2) {
    for (const cmd of c.server.commands.list()) {
      if (cmd.stats.latency !== undefined) cmds.push(cmd);
      for (const sub of cmd.subcommands?.values() ?? []) if (sub.stats.latency !== undefined) cmds.push(sub);
    }
  } else {
    for (let i = 2; i < argv.length; i++) {
      const cmd = findCommand(c, argv[i]);
      if (cmd === undefined) continue;
      if (cmd.stats.latency !== undefined) cmds.push(cmd);
      for (const sub of cmd.subcommands?.values() ?? []) if (sub.stats.latency !== undefined) cmds.push(sub);
    }
  }
  const out = c.out;
  out.map(cmds.length);
  for (const cmd of cmds) {
    const h = cmd.stats.latency!;
    out.bulk(cmd.fullname);
    out.map(2);
    out.bulk('calls');
    out.int(h.total);
    out.bulk('histogram_usec');
    const buckets = h.cumulativeByPowerOfTwo();
    out.map(buckets.length / 2);
    for (const v of buckets) out.int(v);
  }
}

const LATENCY_HELP = [
  'LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'DOCTOR',
  '    Return a human readable latency analysis report.',
  'GRAPH <event>',
  '    Return an ASCII latency graph for the <event> class.',
  'HISTORY <event>',
  '    Return time-latency samples for the <event> class.',
  'LATEST',
  '    Return the latest latency samples for all events.',
  'RESET [<event> ...]',
  '    Reset latency data of one or more <event> classes.',
  '    (default: reset all data for all event classes)',
  'HISTOGRAM [COMMAND ...]',
  '    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.',
  '    If no commands are specified then all histograms are replied.',
  'HELP',
  '    Prints this help.',
];

function latencyHelp(c: Client): void {
  c.out.help(LATENCY_HELP);
}

// MONITOR
function monitor(c: Client): void {
  // A client that expects one reply per command (inside MULTI) cannot turn into a feed.
  if (c.flags.has('multi') || c.flags.has('deny_blocking')) {
    c.server.replyError(c, ERR.monitorInMulti);
    return;
  }
  // Already a monitor (or a replica): ignored without a reply, as in Redis.
  if (c.monitor || c.flags.has('replica')) return;
  c.monitor = true;
  c.server.monitors.add(c);
  c.out.ok();
}

// DEBUG
const DEBUG_HELP = [
  'DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'AOF-FLUSH-SLEEP <microsec>',
  '    Server will sleep before flushing the AOF, this is used for testing.',
  'CONFIG-REWRITE-FORCE-ALL',
  '    Like CONFIG REWRITE but writes all configuration options, including',
  '    keywords not listed in original configuration file or default values.',
  'DIGEST',
  '    Output a hex signature representing the current DB content.',
  'DIGEST-VALUE <key> [<key> ...]',
  '    Output a hex signature of the values of all the specified keys.',
  'ERROR <string>',
  '    Return a Redis protocol error with <string> as message. Useful for clients',
  '    unit tests to simulate Redis errors.',
  'LOG <message>',
  '    Write <message> to the server log.',
  'LOADAOF',
  '    Flush the AOF buffers on disk and reload the AOF in memory.',
  'OBJECT <key>',
  '    Show low level info about `key` and associated value.',
  'POPULATE <count> [<prefix>] [<size>]',
  '    Create <count> string keys named key:<num>. If <prefix> is specified then',
  '    it is used instead of the \'key\' prefix. These are not propagated to',
  '    replicas. Cluster slots are not respected so keys not belonging to the',
  '    current node can be created in cluster mode.',
  'PROTOCOL <type>',
  '    Reply with a test value of the specified type. <type> can be: string,',
  '    integer, double, bignum, null, array, set, map, attrib, push, verbatim,',
  '    true, false.',
  'RELOAD [option ...]',
  '    Save the RDB on disk and reload it back to memory. Valid <option> values:',
  '    * MERGE: conflicting keys will be loaded from RDB.',
  // Redis's NOFLUSH lines say a conflicting key kills the server; here the load fails instead.
  '    * NOSAVE: the database will be loaded from an existing RDB file.',
  '    Examples:',
  '    * DEBUG RELOAD: verify that the server is able to persist, flush and reload',
  '      the database.',
  '    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an',
  '      existing RDB file.',
  '    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB',
  '      file to the database.',
  'SEGFAULT',
  '    Crash the server with sigsegv.',
  'SET-ACTIVE-EXPIRE <0|1>',
  '    Setting it to 0 disables expiring keys in background when they are not',
  '    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the',
  '    default.',
  'QUICKLIST-PACKED-THRESHOLD <size>',
  '    Sets the threshold for elements to be inserted as plain vs packed nodes',
  '    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.',
  'SET-SKIP-CHECKSUM-VALIDATION <0|1>',
  '    Enables or disables checksum checks for RDB files and RESTORE\'s payload.',
  'SLEEP <seconds>',
  '    Stop the server for <seconds>. Decimals allowed.',
  'PAUSE-CRON <0|1>',
  '    Stop periodic cron job processing.',
  'HELP',
  '    Prints this help.',
];

/** C's strtod on a prefix: the longest leading number, 0 when there is none. */
function strtodPrefix(s: string): number {
  const m = /^[ \t\n\v\f\r]*[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|inf(?:inity)?)/i.exec(s);
  if (m === null) return 0;
  const t = m[0].trim().toLowerCase();
  if (t.endsWith('inf') || t.endsWith('infinity')) return t.startsWith('-') ? -Infinity : Infinity;
  return Number(t);
}

/** C's atoi: leading blanks, a sign, digits; 0 when there are none. */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*[+-]?\d+/.exec(s);
  return m === null ? 0 : parseInt(m[0], 10);
}

/** Pseudo-addresses for DEBUG OBJECT: stable per entry (JS has no object addresses). */
const addresses = new WeakMap<object, string>();
let nextAddress = 0x7f0000001000;

function debug(c: Client, argv: string[]): void {
  const sub = argv[1].toLowerCase();
  const server = c.server;
  if (sub === 'help' && argv.length === 2) {
    c.out.help(DEBUG_HELP);
  } else if (sub === 'segfault' && argv.length === 2 && server.host.raise !== undefined) {
    // What Redis's DEBUG SEGFAULT (a write to address -1) reports, then the signal itself.
    logCrashReport(server, { signal: 'SIGSEGV', number: 11, code: 1, address: '0xffffffffffffffff' });
    server.host.raise('SIGSEGV');
  } else if (sub === 'config-rewrite-force-all' && argv.length === 2) {
    if (server.config.file === '') {
      server.replyError(c, ERR.noConfigFile);
    } else {
      const why = rewriteConfigFile(server, true);
      if (why === null) c.out.ok();
      else server.replyError(c, `ERR CONFIG-REWRITE-FORCE-ALL failed: ${utf8ToStr(why)}`);
    }
  } else if (sub === 'pause-cron' && argv.length === 3) {
    server.cronPaused = atoi(argv[2]) !== 0;
    c.out.ok();
  } else if (sub === 'sleep' && argv.length === 3) {
    // Redis converts seconds * 1e6 to a long long: past its range (and for NaN) x86-64 gives
    // LLONG_MIN, and nanosleep refuses the negative time, so a huge value doesn't sleep at all.
    const us = strtodPrefix(argv[2]) * 1e6;
    blockFor(us < 2 ** 63 ? Math.trunc(us) / 1000 : 0);
    c.out.ok();
  } else if (sub === 'aof-flush-sleep' && argv.length === 3) {
    // Held in the server, read by the aof plugin's writer before each write of its buffer.
    server.aofFlushSleepUs = Math.max(0, atoi(argv[2]));
    c.out.ok();
  } else if (sub === 'set-active-expire' && argv.length === 3) {
    server.activeExpire = atoi(argv[2]) !== 0;
    c.out.ok();
  } else if (sub === 'quicklist-packed-threshold' && argv.length === 3) {
    // As quicklistisSetPackedThreshold: up to just under 4 GB, 0 restores the default 1 GB.
    // Redis applies it at each push; echokv lays quicklist nodes out when it saves (RDB, DUMP),
    // so it applies to lists saved from now on, as if their elements had been pushed now.
    const size = memtoull(argv[2]);
    if (size === null || size > 4294967296n - 1048576n) {
      server.replyError(c, 'ERR argument must be a memory value bigger than 1 and smaller than 4gb');
    } else {
      server.packedThreshold = size === 0n ? 1 << 30 : Number(size);
      c.out.ok();
    }
  } else if (sub === 'set-skip-checksum-validation' && argv.length === 3) {
    server.skipChecksumValidation = atoi(argv[2]) !== 0;
    c.out.ok();
  } else if (sub === 'object' && argv.length === 3) {
    debugObject(c, argv[2]);
  } else if (sub === 'reload') {
    debugReload(c, argv);
  } else if (sub === 'loadaof') {
    debugLoadAof(c);
  } else if (sub === 'digest' && argv.length === 2) {
    c.out.simple(datasetDigest(server.host, server.keyspace.dbs));
  } else if (sub === 'digest-value') {
    c.out.array(argv.length - 2);
    for (let i = 2; i < argv.length; i++) c.out.simple(valueDigest(server.host, c.db, argv[i]));
  } else if (sub === 'error' && argv.length === 3) {
    // Written as is, not counted in errorstats: a test tool for client libraries.
    c.out.error(argv[2]);
  } else if (sub === 'log' && argv.length === 3) {
    server.log.warning(`DEBUG LOG: ${argv[2]}`);
    c.out.ok();
  } else if (sub === 'populate' && argv.length >= 3 && argv.length <= 5) {
    debugPopulate(c, argv);
  } else if (sub === 'protocol' && argv.length === 3) {
    debugProtocol(c, argv[2].toLowerCase());
  } else {
    server.replyError(c, subcommandSyntax(argv[1], argv[0]));
  }
}

function debugLoadAof(c: Client): void {
  const server = c.server;
  for (const inst of server.instances.values()) {
    if (inst.loadAof === undefined) continue;
    const err = inst.loadAof();
    // Redis zeroes dirty: what was loaded is what the files already hold.
    server.keyspace.dirty = 0;
    if (err === null) c.out.ok();
    else server.replyError(c, err);
    return;
  }
  server.replyError(c, 'ERR There is no append only file to load: no aof persistence plugin is loaded');
}

function debugReload(c: Client, argv: string[]): void {
  let save = true;
  let flush = true;
  let merge = false;
  for (let j = 2; j < argv.length; j++) {
    const opt = argv[j].toLowerCase();
    if (opt === 'merge') merge = true;
    else if (opt === 'noflush') flush = false;
    else if (opt === 'nosave') save = false;
    else {
      c.server.replyError(c, 'ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.');
      return;
    }
  }
  const rdb = rdbControl(c);
  if (rdb === null) return;
  const err = rdb.reload(save, flush, merge);
  if (err === null) c.out.ok();
  else c.server.replyError(c, err);
}

function debugObject(c: Client, key: string): void {
  // Like Redis, look at the table directly: no expiry, no access-time update.
  const e = c.db.keys.get(key);
  if (e === undefined) {
    c.server.replyError(c, ERR.noKey);
    return;
  }
  let addr = addresses.get(e);
  if (addr === undefined) {
    addr = '0x' + nextAddress.toString(16);
    nextAddress += 0x20;
    addresses.set(e, addr);
  }
  const v = e.value;
  const encoding = encodingOf(v);
  let refcount = 1;
  if (isString(v) && typeof v === 'string' && sharedInteger(c, stringOf(v))) refcount = 2147483647;
  // rdbSavedObjectLen: the value as the dump writes it now (LZF, list nodes and all).
  const info = serializedInfo(v, encodeOptions(c.server));
  let extra = '';
  if (encoding === 'quicklist') {
    const cfg = c.server.config;
    const avg = ((v as PackedList).length / info.nodes).toFixed(2);
    extra = ` ql_nodes:${info.nodes} ql_avg_node:${avg} ql_listpack_max:${cfg.num('list-max-listpack-size')}` +
      ` ql_compressed:${cfg.num('list-compress-depth') !== 0 ? 1 : 0} ql_uncompressed_size:${info.nodeBytes}`;
  }
  const lru = e.lru & 0xffffff;
  const idle = Math.max(0, c.db.ks.lruClock() - e.lru);
  c.out.simple(`Value at:${addr} refcount:${refcount} encoding:${encoding} serializedlength:${info.length} lru:${lru} lru_seconds_idle:${idle}${extra}`);
}

/** Redis shares the integer objects 0..9999 unless an LRU/LFU maxmemory policy needs their own. */
function sharedInteger(c: Client, s: string): boolean {
  const n = parseInteger(s);
  if (n === null || n < 0 || n > 9999) return false;
  const cfg = c.server.config;
  const policy = cfg.str('maxmemory-policy');
  return cfg.num('maxmemory') === 0 || (!policy.endsWith('-lru') && !policy.endsWith('-lfu'));
}

function positiveOrReply(c: Client, s: string): number | null {
  const n = parseInteger(s);
  if (n === null || n < 0) {
    c.server.replyError(c, ERR.notPositive);
    return null;
  }
  return n;
}

function debugPopulate(c: Client, argv: string[]): void {
  const count = positiveOrReply(c, argv[2]);
  if (count === null) return;
  const prefix = argv.length >= 4 ? argv[3] : 'key';
  let size = -1;
  if (argv.length === 5) {
    const n = positiveOrReply(c, argv[4]);
    if (n === null) return;
    size = n;
  }
  const db = c.db;
  for (let j = 0; j < count; j++) {
    const key = `${prefix}:${j}`;
    if (db.peek(key) !== undefined) continue;
    let value = `value:${j}`;
    if (size >= 0) value = value.length >= size ? value.slice(0, size) : value + '\0'.repeat(size - value.length);
    db.add(key, value);
  }
  c.out.ok();
}

function debugProtocol(c: Client, type: string): void {
  const out = c.out;
  switch (type) {
    case 'string': out.bulk('Hello World'); return;
    case 'integer': out.int(12345); return;
    case 'double': out.double(3.141); return;
    case 'bignum':
      if (out.proto === 3) out.raw('(1234567999999999999999999999999999999\r\n');
      else out.bulk('1234567999999999999999999999999999999');
      return;
    case 'null': out.nil(); return;
    case 'array':
      out.array(3);
      for (let j = 0; j < 3; j++) out.int(j);
      return;
    case 'set':
      out.set(3);
      for (let j = 0; j < 3; j++) out.int(j);
      return;
    case 'map':
      out.map(3);
      for (let j = 0; j < 3; j++) {
        out.int(j);
        out.bool(j === 1);
      }
      return;
    case 'attrib':
      if (out.proto === 3) {
        out.raw('|1\r\n');
        out.bulk('key-popularity');
        out.array(2);
        out.bulk('key:123');
        out.int(90);
      }
      out.bulk('Some real reply following the attribute');
      return;
    case 'push':
      if (out.proto !== 3) {
        c.server.replyError(c, ERR.resp2NotSupported);
        return;
      }
      out.push(2);
      out.bulk('server-cpu-usage');
      out.int(42);
      out.bulk('Some real reply following the push reply');
      return;
    case 'verbatim': out.verbatim('This is a verbatim\nstring'); return;
    case 'true': out.bool(true); return;
    case 'false': out.bool(false); return;
    default:
      c.server.replyError(c, ERR.debugProtocolType);
  }
}

// MEMORY DOCTOR
// Redis's texts (getMemoryDoctorReport in src/object.c), word for word.
const DOCTOR_EMPTY = "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n";
const DOCTOR_FINE = "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n";
const DOCTOR_ISSUES = 'Sam, I detected a few issues in this Redis instance memory implants:\n\n';
const DOCTOR_PEAK = ' * Peak memory: In the past this instance used more than 150% the memory that is currently using. The allocator is normally not able to release memory after a peak, so you can expect to see a big fragmentation ratio, however this is actually harmless and is only due to the memory peak, and if the Redis instance Resident Set Size (RSS) is currently bigger than expected, the memory will be used as soon as you fill the Redis instance with more data. If the memory peak was only occasional and you want to try to reclaim memory, please try the MEMORY PURGE command, otherwise the only other option is to shutdown and restart the instance.\n\n';
const DOCTOR_REPLICA_BUFFERS = ' * Big replica buffers: The replica output buffers in this instance are greater than 10MB for each replica (on average). This likely means that there is some replica instance that is struggling receiving data, either because it is too slow or because of networking issues. As a result, data piles on the master output buffers. Please try to identify what replica is not receiving data correctly and why. You can use the INFO output in order to check the replicas delays and the CLIENT LIST command to check the output buffers of each replica.\n\n';
const DOCTOR_CLIENT_BUFFERS = ' * Big client buffers: The clients output buffers in this instance are greater than 200K per client (on average). This may result from different causes, like Pub/Sub clients subscribed to channels bot not receiving data fast enough, so that data piles on the Redis instance output buffer, or clients sending commands with large replies or very large sequences of commands in the same pipeline. Please use the CLIENT LIST command in order to investigate the issue if it causes problems in your instance, or to understand better why certain clients are using a big amount of memory.\n\n';
const DOCTOR_END = "I'm here to keep you safe, Sam. I want to help you.\n";

/**
 * Redis's checks on the MEMORY STATS figures, minus those about the allocator and RSS
 * (fragmentation, allocator and process RSS overhead): echokv's used memory is an estimate of
 * what it holds, beside a JS engine whose heap and RSS would make those ratios fire always.
 * "Empty" means less than 5 MB beyond what the process used at start-up, where Redis compares
 * its whole allocation (about 0.9 MB when empty) with 5 MB. No scripts, so no script check.
 */
function memoryDoctor(c: Client): void {
  const stats = new Map(memoryStats(c.server));
  const num = (name: string): number => stats.get(name) as number;
  const used = num('total.allocated');
  let replicas = 0;
  for (const cl of c.server.clients.values()) if (cl.flags.has('replica')) replicas++;
  const normal = c.server.clients.size - replicas;
  let report = '';
  let empty = false;
  if (used - num('startup.allocated') < 5 * 1024 * 1024) {
    empty = true;
  } else {
    if (num('peak.allocated') / used > 1.5) report += DOCTOR_PEAK;
    if (replicas > 0 && num('clients.slaves') / replicas > 10 * 1024 * 1024) report += DOCTOR_REPLICA_BUFFERS;
    if (normal > 0 && num('clients.normal') / normal > 200 * 1024) report += DOCTOR_CLIENT_BUFFERS;
  }
  if (empty) c.out.verbatim(DOCTOR_EMPTY);
  else if (report === '') c.out.verbatim(DOCTOR_FINE);
  else c.out.verbatim(DOCTOR_ISSUES + report + DOCTOR_END);
}

// MEMORY USAGE
function memoryUsage(c: Client, argv: string[]): void {
  let samples = 5;
  for (let j = 3; j < argv.length; j++) {
    if (argv[j].toLowerCase() === 'samples' && j + 1 < argv.length) {
      const n = parseInteger(argv[j + 1]);
      if (n === null) {
        c.server.replyError(c, ERR.notInteger);
        return;
      }
      if (n < 0) {
        c.server.replyError(c, ERR.syntax);
        return;
      }
      samples = n === 0 ? Number.MAX_SAFE_INTEGER : n;
      j++;
    } else {
      c.server.replyError(c, ERR.syntax);
      return;
    }
  }
  // Like Redis, the table is read directly: no expiry check, no hit/miss, no access time.
  const e = c.db.keys.get(argv[2]);
  if (e === undefined) {
    c.out.nil();
    return;
  }
  c.out.int(keyMemoryUsage(argv[2], e, samples));
}

// MEMORY STATS
function memoryStatsCommand(c: Client): void {
  const stats = memoryStats(c.server);
  const out = c.out;
  out.map(stats.length);
  for (const [name, value] of stats) {
    out.bulk(name);
    if (typeof value === 'number') out.int(value);
    else if (Array.isArray(value)) {
      out.map(value.length);
      for (const [k, v] of value) {
        out.bulk(k);
        out.int(v);
      }
    } else {
      out.double(value.double);
    }
  }
}

// MEMORY MALLOC-STATS
function memoryMallocStats(c: Client): void {
  // What Redis answers when not built with jemalloc: the JS engine's allocator has no such report.
  c.out.verbatim('Stats not supported for the current allocator');
}

// MEMORY PURGE
function memoryPurge(c: Client): void {
  // Memory is returned by the engine's garbage collector, which cannot be asked from here.
  c.out.ok();
}

// MEMORY HELP
const MEMORY_HELP = [
  'MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'DOCTOR',
  '    Return memory problems reports.',
  'MALLOC-STATS',
  '    Return internal statistics report from the memory allocator.',
  'PURGE',
  '    Attempt to purge dirty pages for reclamation by the allocator.',
  'STATS',
  '    Return information about the memory usage of the server.',
  'USAGE <key> [SAMPLES <count>]',
  '    Return memory in bytes used by <key> and its value. Nested values are',
  '    sampled up to <count> times (default: 5, 0 means sample all).',
  'HELP',
  '    Prints this help.',
];

function memoryHelp(c: Client): void {
  c.out.help(MEMORY_HELP);
}
