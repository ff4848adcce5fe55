// Connection commands: https://redis.io/commands/?group=connection
import type { CommandSpec } from '../command.ts';
import type { Client } from '../client.ts';
import {
  ERR, helloSyntax, noSuchUser, subcommandSyntax, unknownClientType, wrongArity,
} from '../errors.ts';
import { clientInfoLine } from '../client_info.ts';
import { parseInt64, parseInteger } from '../numbers.ts';
import { REDIS_VERSION } from '../server.ts';
import { Tracking, type TrackingOptions } from '../tracking.ts';

export const commands: CommandSpec[] = [
  {
    name: 'ping', arity: -1, flags: ['fast'], categories: ['connection'],
    tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
    summary: 'Ping the server', since: '1.0.0', group: 'connection', complexity: 'O(1)',
    args: '[message]', handler: ping,
  },
  {
    name: 'echo', arity: 2, flags: ['loading', 'stale', 'fast'], categories: ['connection'],
    summary: 'Echo the given string', since: '1.0.0', group: 'connection', complexity: 'O(1)',
    args: 'message', handler: echo,
  },
  {
    name: 'quit', arity: -1, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
    categories: ['connection'],
    summary: 'Close the connection', since: '1.0.0', group: 'connection', complexity: 'O(1)',
    handler: quit,
  },
  {
    name: 'select', arity: 2, flags: ['loading', 'stale', 'fast'], categories: ['connection'],
    summary: 'Change the selected database for the current connection', since: '1.0.0',
    group: 'connection', complexity: 'O(1)', args: 'index', handler: select,
  },
  {
    name: 'auth', arity: -2, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
    categories: ['connection'],
    summary: 'Authenticate to the server', since: '1.0.0', group: 'connection',
    complexity: 'O(N) where N is the number of passwords defined for the user',
    history: [['6.0.0', 'Added ACL style (username and password).']],
    args: '[username]@6.0.0 password', handler: auth,
  },
  {
    name: 'hello', arity: -1, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
    categories: ['connection'],
    summary: 'Handshake with Redis', since: '6.0.0', group: 'connection', complexity: 'O(1)',
    history: [['6.2.0', "`protover` made optional; when called without arguments the command reports the current connection's context."]],
    args: 'arguments=[protover [AUTH username password] [SETNAME clientname]]', handler: hello,
  },
  {
    name: 'reset', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
    categories: ['connection'],
    summary: 'Reset the connection', since: '6.2.0', group: 'connection', complexity: 'O(1)',
    handler: reset,
  },
  {
    name: 'client', arity: -2, flags: [], categories: [],
    summary: 'A container for client connection commands', since: '2.4.0', group: 'connection',
    complexity: 'Depends on subcommand.',
    subcommands: [
      {
        name: 'id', arity: 2, flags: ['noscript', 'loading', 'stale'], categories: ['connection'],
        summary: 'Returns the client ID for the current connection', since: '5.0.0',
        group: 'connection', complexity: 'O(1)', handler: clientId,
      },
      {
        name: 'setname', arity: 3, flags: ['noscript', 'loading', 'stale'], categories: ['connection'],
        summary: 'Set the current connection name', since: '2.6.9', group: 'connection',
        complexity: 'O(1)', args: 'connection-name', handler: clientSetname,
      },
      {
        name: 'getname', arity: 2, flags: ['noscript', 'loading', 'stale'], categories: ['connection'],
        summary: 'Get the current connection name', since: '2.6.9', group: 'connection',
        complexity: 'O(1)', handler: clientGetname,
      },
      {
        name: 'list', arity: -2, flags: ['admin', 'noscript', 'loading', 'stale'],
        categories: ['connection'], tips: ['nondeterministic_output'],
        summary: 'Get the list of client connections', since: '2.4.0', group: 'connection',
        complexity: 'O(N) where N is the number of client connections',
        history: [
          ['2.8.12', 'Added unique client `id` field.'],
          ['5.0.0', 'Added optional `TYPE` filter.'],
          ['6.0.0', 'Added `user` field.'],
          ['6.2.0', 'Added `argv-mem`, `tot-mem`, `laddr` and `redir` fields and the optional `ID` filter.'],
          ['7.0.0', 'Added `resp`, `multi-mem`, `rbs` and `rbp` fields.'],
          ['7.0.3', 'Added `ssub` field.'],
        ],
        args: '[TYPE <NORMAL | MASTER | REPLICA | PUBSUB>]@5.0.0 id=[ID {client-id [client-id ...]}]@6.2.0',
        handler: clientList,
      },
      {
        name: 'info', arity: 2, flags: ['noscript', 'loading', 'stale'], categories: ['connection'],
        tips: ['nondeterministic_output'],
        summary: 'Returns information about the current client connection.', since: '6.2.0',
        group: 'connection', complexity: 'O(1)', handler: clientInfo,
      },
      {
        name: 'kill', arity: -3, flags: ['admin', 'noscript', 'loading', 'stale'],
        categories: ['connection'],
        summary: 'Kill the connection of a client', since: '2.4.0', group: 'connection',
        complexity: 'O(N) where N is the number of client connections',
        history: [
          ['2.8.12', 'Added new filter format.'],
          ['2.8.12', '`ID` option.'],
          ['3.2.0', 'Added `master` type in for `TYPE` option.'],
          ['5.0.0', 'Replaced `slave` `TYPE` with `replica`. `slave` still supported for backward compatibility.'],
          ['6.2.0', '`LADDR` option.'],
        ],
        args: 'filter=<ip:port@-2.8.12 | new-format=<[ID client-id]@2.8.12 | ' +
          'normal_master_slave_pubsub=[TYPE <NORMAL | MASTER@3.2.0 | SLAVE | REPLICA@5.0.0 | PUBSUB>]@2.8.12 | ' +
          '[USER username] | [ADDR ip:port] | [LADDR ip:port]@6.2.0 | [SKIPME yes/no] [[ID client-id]@2.8.12 | ' +
          'normal_master_slave_pubsub=[TYPE <NORMAL | MASTER@3.2.0 | SLAVE | REPLICA@5.0.0 | PUBSUB>]@2.8.12 | ' +
          '[USER username] | [ADDR ip:port] | [LADDR ip:port]@6.2.0 | [SKIPME yes/no] ...]>>',
        handler: clientKill,
      },
      {
        name: 'pause', arity: -3, flags: ['admin', 'noscript', 'loading', 'stale'],
        categories: ['connection'],
        summary: 'Stop processing commands from clients for some time', since: '2.9.50',
        group: 'connection', complexity: 'O(1)',
        history: [['6.2.0', '`CLIENT PAUSE WRITE` mode added along with the `mode` option.']],
        args: 'timeout:integer mode=[WRITE | ALL]@6.2.0', handler: clientPause,
      },
      {
        name: 'unpause', arity: 2, flags: ['admin', 'noscript', 'loading', 'stale'],
        categories: ['connection'],
        summary: 'Resume processing of clients that were paused', since: '6.2.0',
        group: 'connection', complexity: 'O(N) Where N is the number of paused clients',
        handler: clientUnpause,
      },
      {
        name: 'reply', arity: 3, flags: ['noscript', 'loading', 'stale'], categories: ['connection'],
        summary: 'Instruct the server whether to reply to commands', since: '3.2.0',
        group: 'connection', complexity: 'O(1)', args: '<ON | OFF | SKIP>', handler: clientReply,
      },
      {
        name: 'no-evict', arity: 3, flags: ['admin', 'noscript', 'loading', 'stale'],
        categories: ['connection'],
        summary: 'Set client eviction mode for the current connection', since: '7.0.0',
        group: 'connection', complexity: 'O(1)', args: 'enabled=<ON | OFF>', handler: clientNoEvict,
      },
      {
        name: 'unblock', arity: -3, flags: ['admin', 'noscript', 'loading', 'stale'],
        categories: ['connection'],
        summary: 'Unblock a client blocked in a blocking command from a different connection',
        since: '5.0.0', group: 'connection',
        complexity: 'O(log N) where N is the number of client connections',
        args: 'client-id:integer [TIMEOUT | ERROR]', handler: clientUnblock,
      },
      {
        name: 'tracking', arity: -3, flags: ['noscript', 'loading', 'stale'], categories: ['connection'],
        summary: 'Enable or disable server assisted client side caching support', since: '6.0.0',
        group: 'connection', complexity: 'O(1). Some options may introduce additional complexity.',
        args: 'status=<ON | OFF> [REDIRECT client-id] [PREFIX prefix [PREFIX prefix ...]] [BCAST] [OPTIN] [OPTOUT] [NOLOOP]',
        handler: clientTracking,
      },
      {
        name: 'caching', arity: 3, flags: ['noscript', 'loading', 'stale'], categories: ['connection'],
        summary: 'Instruct the server about tracking or not keys in the next request', since: '6.0.0',
        group: 'connection', complexity: 'O(1)', args: 'mode=<YES | NO>', handler: clientCaching,
      },
      {
        name: 'getredir', arity: 2, flags: ['noscript', 'loading', 'stale'], categories: ['connection'],
        summary: 'Get tracking notifications redirection client ID if any', since: '6.0.0',
        group: 'connection', complexity: 'O(1)', handler: clientGetredir,
      },
      {
        name: 'trackinginfo', arity: 2, flags: ['noscript', 'loading', 'stale'], categories: ['connection'],
        summary: 'Return information about server assisted client side caching for the current connection',
        since: '6.2.0', group: 'connection', complexity: 'O(1)', handler: clientTrackinginfo,
      },
      {
        name: 'help', arity: 2, flags: ['loading', 'stale'], categories: ['connection'],
        summary: 'Show helpful text about the different subcommands', since: '5.0.0',
        group: 'connection', complexity: 'O(1)', handler: clientHelp,
      },
    ],
  },
];

// PING
function ping(c: Client, argv: string[]): void {
  if (argv.length > 2) {
    c.server.replyError(c, wrongArity('ping'));
    return;
  }
  // A RESP2 client in subscribed mode can only read arrays, so PING answers with one there.
  if (c.flags.has('pubsub') && c.resp === 2) {
    c.out.array(2);
    c.out.bulk('pong');
    c.out.bulk(argv.length === 2 ? argv[1] : '');
    return;
  }
  if (argv.length === 2) c.out.bulk(argv[1]);
  else c.out.simple('PONG');
}

// ECHO
function echo(c: Client, argv: string[]): void {
  c.out.bulk(argv[1]);
}

// QUIT
function quit(c: Client): void {
  c.out.ok();
  c.closeAfterReply = true;
}

// SELECT
function select(c: Client, argv: string[]): void {
  // Redis reads the index as a C int: anything beyond 32 bits is "not an integer".
  const idx = parseInteger(argv[1]);
  if (idx === null) {
    c.server.replyError(c, ERR.notInteger);
    return;
  }
  if (idx > 2147483647 || idx < -2147483648) {
    c.server.replyError(c, ERR.intRange);
    return;
  }
  if (!c.server.selectDb(c, idx)) {
    c.server.replyError(c, ERR.dbOutOfRange);
    return;
  }
  c.out.ok();
}

/**
 * Checks a username and password against the users echokv knows: only `default`, whose password
 * is requirepass (any password when none is set, as Redis's `nopass`). Logs the client in on
 * success.
 */
function authenticate(c: Client, user: string, password: string): boolean {
  if (user !== 'default') return false;
  const required = c.server.config.str('requirepass');
  if (required !== '' && password !== required) return false;
  c.user = 'default';
  c.authenticated = true;
  // The unauthenticated request-size limits no longer apply.
  c.parser.unauthenticated = false;
  return true;
}

// AUTH
function auth(c: Client, argv: string[]): void {
  if (argv.length > 3) {
    c.server.replyError(c, ERR.syntax);
    return;
  }
  const user = argv.length === 3 ? argv[1] : 'default';
  const password = argv[argv.length - 1];
  // Passwords never reach MONITOR or the slowlog (Redis's redactClientCommandArgument).
  for (let i = 1; i < argv.length; i++) argv[i] = '(redacted)';
  if (argv.length === 2 && !c.server.authRequired) {
    c.server.replyError(c, ERR.authNoPassword);
    return;
  }
  if (!authenticate(c, user, password)) {
    c.server.replyError(c, ERR.wrongPass);
    return;
  }
  c.out.ok();
}

// HELLO
function hello(c: Client, argv: string[]): void {
  let ver = 0;
  let next = 1;
  if (argv.length >= 2) {
    const v = parseInteger(argv[next++]);
    if (v === null) {
      c.server.replyError(c, ERR.helloProtoNotInteger);
      return;
    }
    if (v < 2 || v > 3) {
      c.server.replyError(c, ERR.noProto);
      return;
    }
    ver = v;
  }
  // Redis 7.0 applies each option as it reads it: a name set before a bad option stays set, and
  // SETNAME works before the authentication check below.
  for (let j = next; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const opt = argv[j];
    if (opt.toLowerCase() === 'auth' && more >= 2) {
      const user = argv[j + 1];
      const password = argv[j + 2];
      argv[j + 1] = '(redacted)';
      argv[j + 2] = '(redacted)';
      if (!authenticate(c, user, password)) {
        c.server.replyError(c, ERR.wrongPass);
        return;
      }
      j += 2;
    } else if (opt.toLowerCase() === 'setname' && more >= 1) {
      if (!setName(c, argv[j + 1])) return;
      j++;
    } else {
      c.server.replyError(c, helloSyntax(opt));
      return;
    }
  }
  if (!c.authenticated && c.server.authRequired) {
    c.server.replyError(c, ERR.helloNoAuth);
    return;
  }
  if (ver !== 0) c.out.proto = ver as 2 | 3;
  const out = c.out;
  out.map(7);
  out.bulk('server');
  out.bulk('redis');
  out.bulk('version');
  out.bulk(REDIS_VERSION);
  out.bulk('proto');
  out.int(c.resp);
  out.bulk('id');
  out.int(c.id);
  out.bulk('mode');
  out.bulk('standalone');
  out.bulk('role');
  out.bulk(c.server.keyspace.replicaMode ? 'replica' : 'master');
  out.bulk('modules');
  out.array(0);
}

/**
 * RESET: the connection's state as a new connection has it (Redis's clearClientConnectionState):
 * MONITOR off, database 0, RESP2, the default user (logged in only if it has no password), no
 * name, replies on, no subscriptions (dropped without replies), no transaction, no watched keys
 * and no client-side caching. CLIENT NO-EVICT stays as it was: Redis 7.0's flag list to clear
 * leaves CLIENT_NO_EVICT out.
 */
function resetClient(c: Client): void {
  if (c.monitor) {
    c.monitor = false;
    c.server.monitors.delete(c);
  }
  c.server.selectDb(c, 0);
  c.out.proto = 2;
  c.user = 'default';
  c.authenticated = !c.server.authRequired;
  c.name = '';
  c.replyMode = 'on';
  c.skipNextReply = false;
  c.flags.delete('readonly');
  c.flags.delete('asking');
  c.server.pubsub.clear(c);
  // Out of MULTI, nothing watched (Redis's discardTransaction).
  c.server.transactions.forget(c);
  c.server.tracking?.disable(c);
}

// RESET
function reset(c: Client): void {
  resetClient(c);
  // Replies were turned back on before this one, as in Redis.
  c.server.forceReply = true;
  c.out.simple('RESET');
}

// CLIENT ID
function clientId(c: Client): void {
  c.out.int(c.id);
}

/** Sets the client name ('' clears it); replies with the error and returns false if invalid. */
function setName(c: Client, name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const ch = name.charCodeAt(i);
    // CLIENT LIST must stay splittable on spaces, so only visible ASCII is allowed.
    if (ch < 33 || ch > 126) {
      c.server.replyError(c, ERR.clientNameChars);
      return false;
    }
  }
  c.name = name;
  return true;
}

// CLIENT SETNAME
function clientSetname(c: Client, argv: string[]): void {
  if (setName(c, argv[2])) c.out.ok();
}

// CLIENT GETNAME
function clientGetname(c: Client): void {
  if (c.name === '') c.out.nil();
  else c.out.bulk(c.name);
}

type ClientType = 'normal' | 'master' | 'replica' | 'pubsub';

/** Redis's getClientTypeByName: normal, slave/replica, pubsub, master (any case). */
function clientTypeByName(name: string): ClientType | null {
  switch (name.toLowerCase()) {
    case 'normal': return 'normal';
    case 'slave':
    case 'replica': return 'replica';
    case 'pubsub': return 'pubsub';
    case 'master': return 'master';
    default: return null;
  }
}

/** Redis's getClientType: MONITOR clients count as normal. */
function clientType(c: Client): ClientType {
  if (c.flags.has('master')) return 'master';
  if (c.flags.has('replica') && !c.monitor) return 'replica';
  if (c.flags.has('pubsub')) return 'pubsub';
  return 'normal';
}

// CLIENT LIST
function clientList(c: Client, argv: string[]): void {
  let type: ClientType | null = null;
  let text = '';
  if (argv.length === 4 && argv[2].toLowerCase() === 'type') {
    type = clientTypeByName(argv[3]);
    if (type === null) {
      c.server.replyError(c, unknownClientType(argv[3]));
      return;
    }
  } else if (argv.length > 3 && argv[2].toLowerCase() === 'id') {
    // IDs are reported in the order given, repeated ones included, as Redis does.
    const ids: number[] = [];
    for (let j = 3; j < argv.length; j++) {
      const id = parseInteger(argv[j]);
      if (id === null) {
        c.server.replyError(c, ERR.clientIdInvalid);
        return;
      }
      ids.push(id);
    }
    for (const id of ids) {
      const other = c.server.clients.get(id);
      if (other !== undefined) text += clientInfoLine(other, other === c ? argv : null) + '\n';
    }
    c.out.verbatim(text);
    return;
  } else if (argv.length !== 2) {
    c.server.replyError(c, ERR.syntax);
    return;
  }
  for (const other of c.server.clients.values()) {
    if (type !== null && clientType(other) !== type) continue;
    text += clientInfoLine(other, other === c ? argv : null) + '\n';
  }
  c.out.verbatim(text);
}

// CLIENT INFO
function clientInfo(c: Client, argv: string[]): void {
  c.out.verbatim(clientInfoLine(c, argv) + '\n');
}

// CLIENT KILL
function clientKill(c: Client, argv: string[]): void {
  let addr: string | null = null;
  let laddr: string | null = null;
  let user: string | null = null;
  let type: ClientType | null = null;
  let id = 0;
  let skipme = true;
  if (argv.length === 3) {
    // The old form, CLIENT KILL ip:port, may kill the caller itself.
    addr = argv[2];
    skipme = false;
  } else {
    for (let i = 2; i < argv.length; i += 2) {
      const opt = argv[i].toLowerCase();
      const more = i + 1 < argv.length;
      const val = more ? argv[i + 1] : '';
      if (opt === 'id' && more) {
        const n = parseInteger(val);
        if (n === null || n < 1) {
          c.server.replyError(c, ERR.clientIdNotPositive);
          return;
        }
        id = n;
      } else if (opt === 'type' && more) {
        type = clientTypeByName(val);
        if (type === null) {
          c.server.replyError(c, unknownClientType(val));
          return;
        }
      } else if (opt === 'addr' && more) {
        addr = val;
      } else if (opt === 'laddr' && more) {
        laddr = val;
      } else if (opt === 'user' && more) {
        if (val !== 'default') {
          c.server.replyError(c, noSuchUser(val));
          return;
        }
        user = val;
      } else if (opt === 'skipme' && more) {
        const v = val.toLowerCase();
        if (v === 'yes') skipme = true;
        else if (v === 'no') skipme = false;
        else {
          c.server.replyError(c, ERR.syntax);
          return;
        }
      } else {
        c.server.replyError(c, ERR.syntax);
        return;
      }
    }
  }
  let killed = 0;
  let self = false;
  for (const other of [...c.server.clients.values()]) {
    if (addr !== null && other.conn.remoteAddress !== addr) continue;
    if (laddr !== null && other.conn.localAddress !== laddr) continue;
    if (type !== null && clientType(other) !== type) continue;
    if (id !== 0 && other.id !== id) continue;
    if (user !== null && other.user !== user) continue;
    if (other === c && skipme) continue;
    if (other === c) self = true;
    else c.server.closeClient(other);
    killed++;
  }
  if (argv.length === 3) {
    if (killed === 0) c.server.replyError(c, ERR.clientNotFound);
    else c.out.ok();
  } else {
    c.out.int(killed);
  }
  // Killing oneself: the reply goes out first.
  if (self) c.closeAfterReply = true;
}

// CLIENT PAUSE
function clientPause(c: Client, argv: string[]): void {
  if (argv.length > 4) {
    c.server.replyError(c, subcommandSyntax(argv[1], argv[0]));
    return;
  }
  let writesOnly = false;
  if (argv.length === 4) {
    const mode = argv[3].toLowerCase();
    if (mode === 'write') writesOnly = true;
    else if (mode !== 'all') {
      c.server.replyError(c, ERR.clientPauseMode);
      return;
    }
  }
  const ms = parseInt64(argv[2]);
  if (ms === null) {
    c.server.replyError(c, ERR.timeoutNotInteger);
    return;
  }
  if (ms < 0n) {
    c.server.replyError(c, ERR.timeoutNegative);
    return;
  }
  const now = c.server.keyspace.time;
  // Redis adds the timeout to the time in a signed 64-bit integer, so a huge one wraps around to
  // a time in the past and the pause ends at once; zero is stored as is, also in the past.
  const end = ms === 0n ? 0n : BigInt.asIntN(64, BigInt(now) + ms);
  const until = Number(end);
  c.server.pauseClients(until, writesOnly);
  c.out.ok();
}

// CLIENT UNPAUSE
function clientUnpause(c: Client): void {
  if (c.server.pause !== null) c.server.unpause();
  c.out.ok();
}

// CLIENT REPLY
function clientReply(c: Client, argv: string[]): void {
  const mode = argv[2].toLowerCase();
  if (mode === 'on') {
    c.replyMode = 'on';
    c.skipNextReply = false;
    // Redis clears the flags before replying, so this OK is sent even after OFF or SKIP.
    c.server.forceReply = true;
    c.out.ok();
  } else if (mode === 'off') {
    c.replyMode = 'off';
  } else if (mode === 'skip') {
    if (c.replyMode !== 'off') c.skipNextReply = true;
  } else {
    c.server.replyError(c, ERR.syntax);
  }
}

// CLIENT NO-EVICT
function clientNoEvict(c: Client, argv: string[]): void {
  const mode = argv[2].toLowerCase();
  if (mode === 'on') c.flags.add('no-evict');
  else if (mode === 'off') c.flags.delete('no-evict');
  else {
    c.server.replyError(c, ERR.syntax);
    return;
  }
  c.out.ok();
}

// CLIENT UNBLOCK
function clientUnblock(c: Client, argv: string[]): void {
  // Redis matches the subcommand only with 3 or 4 arguments, so a longer call is an unknown
  // subcommand even before its id is parsed.
  if (argv.length > 4) {
    c.server.replyError(c, subcommandSyntax(argv[1], argv[0]));
    return;
  }
  // The reason is checked before the id, as in Redis.
  let withError = false;
  if (argv.length === 4) {
    const how = argv[3].toLowerCase();
    if (how === 'error') withError = true;
    else if (how !== 'timeout') {
      c.server.replyError(c, ERR.unblockReason);
      return;
    }
  }
  const id = parseInteger(argv[2]);
  if (id === null) {
    c.server.replyError(c, ERR.notInteger);
    return;
  }
  const target = c.server.clients.get(id);
  c.out.int(target !== undefined && c.server.blocking.unblock(target, withError) ? 1 : 0);
}

// CLIENT TRACKING
function clientTracking(c: Client, argv: string[]): void {
  const o: TrackingOptions = { redirect: 0, bcast: false, optin: false, optout: false, noloop: false, prefixes: [] };
  for (let j = 3; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const opt = argv[j].toLowerCase();
    if (opt === 'redirect' && more > 0) {
      j++;
      if (o.redirect !== 0) {
        c.server.replyError(c, ERR.trackingOneRedirect);
        return;
      }
      const id = parseInt64(argv[j]);
      if (id === null) {
        c.server.replyError(c, ERR.notInteger);
        return;
      }
      // The target must exist now; it may go later (the redirect is then reported broken).
      if (id <= 0n || id > BigInt(Number.MAX_SAFE_INTEGER) || !c.server.clients.has(Number(id))) {
        c.server.replyError(c, ERR.trackingRedirectMissing);
        return;
      }
      o.redirect = Number(id);
    } else if (opt === 'bcast') {
      o.bcast = true;
    } else if (opt === 'optin') {
      o.optin = true;
    } else if (opt === 'optout') {
      o.optout = true;
    } else if (opt === 'noloop') {
      o.noloop = true;
    } else if (opt === 'prefix' && more > 0) {
      j++;
      o.prefixes.push(argv[j]);
    } else {
      c.server.replyError(c, ERR.syntax);
      return;
    }
  }
  const onOff = argv[2].toLowerCase();
  if (onOff === 'on') {
    const tracking = c.server.tracking ??= new Tracking(c.server);
    if (!tracking.enable(c, o)) return;
  } else if (onOff === 'off') {
    c.server.tracking?.disable(c);
  } else {
    c.server.replyError(c, ERR.syntax);
    return;
  }
  c.out.ok();
}

// CLIENT CACHING
function clientCaching(c: Client, argv: string[]): void {
  if (c.server.tracking === null) {
    c.server.replyError(c, ERR.cachingNotTracking);
    return;
  }
  c.server.tracking.caching(c, argv[2].toLowerCase());
}

// CLIENT GETREDIR
function clientGetredir(c: Client): void {
  c.out.int(c.server.tracking?.redirectOf(c) ?? -1);
}

// CLIENT TRACKINGINFO
function clientTrackinginfo(c: Client): void {
  (c.server.tracking ??= new Tracking(c.server)).writeInfo(c);
}

// CLIENT HELP
const CLIENT_HELP = [
  'CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CACHING (YES|NO)',
  '    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.',
  'GETREDIR',
  '    Return the client ID we are redirecting to when tracking is enabled.',
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'KILL <ip:port>',
  '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Kill connections. Options are:',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made from the specified address',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made to specified local address',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Kill connections by type.',
  '    * USER <username>',
  '      Kill connections authenticated by <username>.',
  '    * SKIPME (YES|NO)',
  '      Skip killing current connection (default: yes).',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  'UNPAUSE',
  '    Stop the current client pause, resuming traffic.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Suspend all, or just write, clients for <timeout> milliseconds.',
  'REPLY (ON|OFF|SKIP)',
  '    Control the replies sent to the current connection.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'UNBLOCK <clientid> [TIMEOUT|ERROR]',
  '    Unblock the specified blocked client.',
  'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]',
  '         [OPTIN] [OPTOUT] [NOLOOP]',
  '    Control server assisted client side caching.',
  'TRACKINGINFO',
  '    Report tracking status for the current connection.',
  'NO-EVICT (ON|OFF)',
  '    Protect current client connection from eviction.',
  'HELP',
  '    Prints this help.',
];

function clientHelp(c: Client): void {
  c.out.help(CLIENT_HELP);
}
