// String commands: https://redis.io/commands/?group=string
import type { CommandSpec } from '../command.ts';
import type { Client } from '../client.ts';
import { ERR } from '../errors.ts';
import { isString, stringOf } from '../keyspace.ts';

export const commands: CommandSpec[] = [
  {
    name: 'get', arity: 2, flags: ['readonly', 'fast'], categories: ['string'], keys: [1, 1, 1],
    summary: 'Get the value of a key', since: '1.0.0', group: 'string', complexity: 'O(1)',
    args: 'key', handler: get,
  },
  {
    name: 'set', arity: -3, flags: ['write', 'denyoom'], categories: ['string'], keys: [1, 1, 1],
    summary: 'Set the string value of a key', since: '1.0.0', group: 'string', complexity: 'O(1)',
    args: 'key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]',
    handler: set,
  },
];

// GET
function get(c: Client, argv: string[]): void {
  const e = c.db.lookupRead(argv[1]);
  if (e === undefined) {
    c.out.nil();
    return;
  }
  if (!isString(e.value)) {
    c.server.replyError(c, ERR.wrongType);
    return;
  }
  c.out.bulk(stringOf(e.value));
}

// SET
function set(c: Client, argv: string[]): void {
  c.db.set(argv[1], argv[2]);
  c.out.ok();
}
