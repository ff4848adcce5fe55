// Connection commands: https://redis.io/commands/?group=connection
import type { CommandSpec } from '../command.ts';
import type { Client } from '../client.ts';
import { ERR } from '../errors.ts';
import { parseInteger } from '../numbers.ts';

export const commands: CommandSpec[] = [
  {
    name: 'ping', arity: -1, flags: ['fast'], categories: ['connection'],
    summary: 'Ping the server', since: '1.0.0', group: 'connection', complexity: 'O(1)',
    args: '[message]', handler: ping,
  },
  {
    name: 'echo', arity: 2, flags: ['fast'], categories: ['connection'],
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
];

// PING
function ping(c: Client, argv: string[]): void {
  if (argv.length > 2) {
    c.server.replyError(c, "ERR wrong number of arguments for 'ping' command");
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
  const idx = parseInteger(argv[1]);
  if (idx === null) {
    c.server.replyError(c, ERR.notInteger);
    return;
  }
  if (!c.server.selectDb(c, idx)) {
    c.server.replyError(c, ERR.dbOutOfRange);
    return;
  }
  c.out.ok();
}
