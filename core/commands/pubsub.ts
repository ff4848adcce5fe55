// Pub/sub commands: https://redis.io/commands/?group=pubsub
//
// Behaviour follows Redis 7.0's src/pubsub.c: every (un)subscription is confirmed with a push
// `[kind, channel, count]` (count: channels plus patterns, or shard channels alone for the S
// commands), an UNSUBSCRIBE without arguments and without subscriptions still answers once with a
// null channel, and PUBLISH replies with the number of deliveries. The state and the delivery
// live in core/pubsub.ts; the RESP2 subscribed-mode restriction is in core/server.ts.
import type { CommandSpec } from '../command.ts';
import type { Client } from '../client.ts';
import { ERR, subcommandSyntax } from '../errors.ts';
import { globMatch } from '../glob.ts';
import { memberCount, type Members } from '../pubsub.ts';

export const commands: CommandSpec[] = [
  {
    name: 'subscribe', arity: -2, flags: ['pubsub', 'noscript', 'loading', 'stale'], categories: [],
    summary: 'Listen for messages published to the given channels', since: '2.0.0', group: 'pubsub',
    complexity: 'O(N) where N is the number of channels to subscribe to.',
    args: 'channel [channel ...]', handler: subscribe,
  },
  {
    name: 'unsubscribe', arity: -1, flags: ['pubsub', 'noscript', 'loading', 'stale'], categories: [],
    summary: 'Stop listening for messages posted to the given channels', since: '2.0.0', group: 'pubsub',
    complexity: 'O(N) where N is the number of clients already subscribed to a channel.',
    args: '[channel [channel ...]]', handler: unsubscribe,
  },
  {
    name: 'psubscribe', arity: -2, flags: ['pubsub', 'noscript', 'loading', 'stale'], categories: [],
    summary: 'Listen for messages published to channels matching the given patterns', since: '2.0.0',
    group: 'pubsub', complexity: 'O(N) where N is the number of patterns the client is already subscribed to.',
    args: '{pattern} [{pattern} ...]', handler: psubscribe,
  },
  {
    name: 'punsubscribe', arity: -1, flags: ['pubsub', 'noscript', 'loading', 'stale'], categories: [],
    summary: 'Stop listening for messages posted to channels matching the given patterns', since: '2.0.0',
    group: 'pubsub',
    complexity: 'O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).',
    args: '[pattern [pattern ...]]', handler: punsubscribe,
  },
  {
    name: 'publish', arity: 3, flags: ['pubsub', 'loading', 'stale', 'fast', 'may_replicate'], categories: [],
    summary: 'Post a message to a channel', since: '2.0.0', group: 'pubsub',
    complexity: 'O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).',
    args: 'channel message', handler: publish,
  },
  {
    name: 'pubsub', arity: -2, flags: [], categories: [],
    summary: 'A container for Pub/Sub commands', since: '2.8.0', group: 'pubsub',
    complexity: 'Depends on subcommand.',
    subcommands: [
      {
        name: 'shardchannels', arity: -2, flags: ['pubsub', 'loading', 'stale'], categories: [],
        summary: 'List active shard channels', since: '7.0.0', group: 'pubsub',
        complexity: 'O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).',
        args: '[pattern]', handler: pubsubShardchannels,
      },
      {
        name: 'channels', arity: -2, flags: ['pubsub', 'loading', 'stale'], categories: [],
        summary: 'List active channels', since: '2.8.0', group: 'pubsub',
        complexity: 'O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)',
        args: '[pattern]', handler: pubsubChannels,
      },
      {
        name: 'help', arity: 2, flags: ['loading', 'stale'], categories: [],
        summary: 'Show helpful text about the different subcommands', since: '6.2.0', group: 'pubsub',
        complexity: 'O(1)', handler: pubsubHelp,
      },
      {
        name: 'numsub', arity: -2, flags: ['pubsub', 'loading', 'stale'], categories: [],
        summary: 'Get the count of subscribers for channels', since: '2.8.0', group: 'pubsub',
        complexity: 'O(N) for the NUMSUB subcommand, where N is the number of requested channels',
        args: '[channel [channel ...]]', handler: pubsubNumsub,
      },
      {
        name: 'shardnumsub', arity: -2, flags: ['pubsub', 'loading', 'stale'], categories: [],
        summary: 'Get the count of subscribers for shard channels', since: '7.0.0', group: 'pubsub',
        complexity: 'O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels',
        args: '[shardchannel [shardchannel ...]]', handler: pubsubShardnumsub,
      },
      {
        name: 'numpat', arity: 2, flags: ['pubsub', 'loading', 'stale'], categories: [],
        summary: 'Get the count of unique patterns pattern subscriptions', since: '2.8.0', group: 'pubsub',
        complexity: 'O(1)', handler: pubsubNumpat,
      },
    ],
  },
  {
    name: 'ssubscribe', arity: -2, flags: ['pubsub', 'noscript', 'loading', 'stale'], categories: [],
    keys: [1, -1, 1], keyFlags: ['NOT_KEY'],
    summary: 'Listen for messages published to the given shard channels', since: '7.0.0', group: 'pubsub',
    complexity: 'O(N) where N is the number of shard channels to subscribe to.',
    args: 'shardchannel [shardchannel ...]', handler: ssubscribe,
  },
  {
    name: 'sunsubscribe', arity: -1, flags: ['pubsub', 'noscript', 'loading', 'stale'], categories: [],
    keys: [1, -1, 1], keyFlags: ['NOT_KEY'],
    summary: 'Stop listening for messages posted to the given shard channels', since: '7.0.0', group: 'pubsub',
    complexity: 'O(N) where N is the number of clients already subscribed to a shard channel.',
    args: '[shardchannel [shardchannel ...]]', handler: sunsubscribe,
  },
  {
    name: 'spublish', arity: 3, flags: ['pubsub', 'loading', 'stale', 'fast', 'may_replicate'], categories: [],
    keys: [1, 1, 1], keyFlags: ['NOT_KEY'],
    summary: 'Post a message to a shard channel', since: '7.0.0', group: 'pubsub',
    complexity: 'O(N) where N is the number of clients subscribed to the receiving shard channel.',
    args: 'shardchannel message', handler: spublish,
  },
];

// ---------------------------------------------------------------------------------------------
// Helpers

/** PUBSUB CHANNELS / SHARDCHANNELS: channels with subscribers, matching the pattern if given. */
function channelList(c: Client, argv: string[], map: Map<string, Members>): void {
  if (argv.length > 3) {
    c.server.replyError(c, subcommandSyntax(argv[1], argv[0]));
    return;
  }
  const pattern = argv.length === 3 ? argv[2] : null;
  const names: string[] = [];
  for (const name of map.keys()) if (pattern === null || globMatch(pattern, name)) names.push(name);
  c.out.bulkArray(names);
}

/** PUBSUB NUMSUB / SHARDNUMSUB: each channel named, with its number of subscribers. */
function numsub(c: Client, argv: string[], map: Map<string, Members>): void {
  // A flat array in RESP3 too, as Redis 7.0 sends it.
  c.out.array((argv.length - 2) * 2);
  for (let j = 2; j < argv.length; j++) {
    c.out.bulk(argv[j]);
    c.out.int(memberCount(map.get(argv[j])));
  }
}

const HELP = [
  'PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CHANNELS [<pattern>]',
  "    Return the currently active channels matching a <pattern> (default: '*').",
  'NUMPAT',
  '    Return number of subscriptions to patterns.',
  'NUMSUB [<channel> ...]',
  '    Return the number of subscribers for the specified channels, excluding',
  '    pattern subscriptions(default: no channels).',
  'SHARDCHANNELS [<pattern>]',
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Return the number of subscribers for the specified shard level channel(s)',
  'HELP',
  '    Prints this help.',
];

// ---------------------------------------------------------------------------------------------
// Handlers

// SUBSCRIBE
function subscribe(c: Client, argv: string[]): void {
  // Redis refuses SUBSCRIBE to clients that cannot take unrequested replies (DENY BLOCKING), but
  // exempts MULTI for backward compatibility and marks SUBSCRIBE noscript, so no client here is
  // refused.
  const ps = c.server.pubsub;
  for (let j = 1; j < argv.length; j++) ps.subscribe(c, argv[j], false);
}

// UNSUBSCRIBE
function unsubscribe(c: Client, argv: string[]): void {
  const ps = c.server.pubsub;
  if (argv.length === 1) ps.unsubscribeAll(c, false);
  else for (let j = 1; j < argv.length; j++) ps.unsubscribe(c, argv[j], false);
  ps.done(c);
}

// PSUBSCRIBE
function psubscribe(c: Client, argv: string[]): void {
  const ps = c.server.pubsub;
  for (let j = 1; j < argv.length; j++) ps.psubscribe(c, argv[j]);
}

// PUNSUBSCRIBE
function punsubscribe(c: Client, argv: string[]): void {
  const ps = c.server.pubsub;
  if (argv.length === 1) ps.punsubscribeAll(c);
  else for (let j = 1; j < argv.length; j++) ps.punsubscribe(c, argv[j]);
  ps.done(c);
}

// PUBLISH
function publish(c: Client, argv: string[]): void {
  // Redis sends PUBLISH to replicas but not to the AOF. The propagate hook cannot tell the two
  // apart, and the AOF listens to it, so PUBLISH is not propagated.
  c.out.int(c.server.pubsub.publish(argv[1], argv[2]));
}

// PUBSUB SHARDCHANNELS
function pubsubShardchannels(c: Client, argv: string[]): void {
  channelList(c, argv, c.server.pubsub.shardChannels);
}

// PUBSUB CHANNELS
function pubsubChannels(c: Client, argv: string[]): void {
  channelList(c, argv, c.server.pubsub.channels);
}

// PUBSUB HELP
function pubsubHelp(c: Client): void {
  const out = c.out;
  out.array(HELP.length);
  for (const line of HELP) out.simple(line);
}

// PUBSUB NUMSUB
function pubsubNumsub(c: Client, argv: string[]): void {
  numsub(c, argv, c.server.pubsub.channels);
}

// PUBSUB SHARDNUMSUB
function pubsubShardnumsub(c: Client, argv: string[]): void {
  numsub(c, argv, c.server.pubsub.shardChannels);
}

// PUBSUB NUMPAT
function pubsubNumpat(c: Client): void {
  // Unique patterns, however many clients subscribed each.
  c.out.int(c.server.pubsub.patterns.size);
}

// SSUBSCRIBE
function ssubscribe(c: Client, argv: string[]): void {
  // Unlike SUBSCRIBE, no exemption for transactions: a client running EXEC is DENY BLOCKING.
  if (c.inExec) {
    c.server.replyError(c, ERR.ssubscribeDenyBlocking);
    return;
  }
  const ps = c.server.pubsub;
  for (let j = 1; j < argv.length; j++) ps.subscribe(c, argv[j], true);
}

// SUNSUBSCRIBE
function sunsubscribe(c: Client, argv: string[]): void {
  const ps = c.server.pubsub;
  if (argv.length === 1) ps.unsubscribeAll(c, true);
  else for (let j = 1; j < argv.length; j++) ps.unsubscribe(c, argv[j], true);
  ps.done(c);
}

// SPUBLISH
function spublish(c: Client, argv: string[]): void {
  // Not propagated, as PUBLISH.
  c.out.int(c.server.pubsub.publish(argv[1], argv[2], true));
}
