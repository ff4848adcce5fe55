// The append-only file command: https://redis.io/commands/bgrewriteaof/
// The work is the aof persistence plugin's (plugins/persistence/aof/); this finds the plugin
// instance that keeps an AOF and relays its reply.

import type { Client } from '../client.ts';
import type { CommandSpec } from '../command.ts';

export const commands: CommandSpec[] = [
  {
    name: 'bgrewriteaof', arity: 1, flags: ['admin', 'noscript', 'no_async_loading'], categories: [],
    summary: 'Asynchronously rewrite the append-only file', since: '1.0.0', group: 'server',
    complexity: 'O(1)', handler: bgrewriteaof,
  },
];

// BGREWRITEAOF
function bgrewriteaof(c: Client): void {
  const server = c.server;
  for (const inst of server.instances.values()) {
    if (inst.rewriteAof === undefined) continue;
    const r = inst.rewriteAof({ inExec: c.inExec });
    if ('status' in r) c.out.simple(r.status);
    else server.replyError(c, r.error.startsWith('ERR ') ? r.error : 'ERR ' + r.error);
    return;
  }
  server.log.warning('BGREWRITEAOF: no persistence plugin that keeps an append-only file is active');
  server.replyError(c, "ERR Can't execute an AOF background rewriting. Please check the server logs for more information.");
}
