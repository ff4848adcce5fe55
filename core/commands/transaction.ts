// Transaction commands: https://redis.io/commands/?group=transactions
// Queueing, execution and WATCH are in core/multi.ts; server.execute() queues commands sent
// inside MULTI after its checks. EXEC is never propagated itself: the changes its commands make
// are, wrapped in MULTI/EXEC when there are several (core/multi.ts).
import type { CommandSpec } from '../command.ts';
import type { Client } from '../client.ts';
import { ERR } from '../errors.ts';

export const commands: CommandSpec[] = [
  {
    name: 'multi', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
    categories: ['transaction'],
    summary: 'Mark the start of a transaction block', since: '1.2.0', group: 'transactions',
    complexity: 'O(1)', handler: multi,
  },
  {
    name: 'exec', arity: 1, flags: ['noscript', 'loading', 'stale', 'skip_slowlog', 'no_propagate'],
    categories: ['transaction'],
    summary: 'Execute all commands issued after MULTI', since: '1.2.0', group: 'transactions',
    complexity: 'Depends on commands in the transaction', handler: exec,
  },
  {
    name: 'discard', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
    categories: ['transaction'],
    summary: 'Discard all commands issued after MULTI', since: '2.0.0', group: 'transactions',
    complexity: 'O(N), when N is the number of queued commands', handler: discard,
  },
  {
    name: 'watch', arity: -2, flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
    categories: ['transaction'], keys: [1, -1, 1], keyFlags: ['RO'],
    summary: 'Watch the given keys to determine execution of the MULTI/EXEC block', since: '2.2.0',
    group: 'transactions', complexity: 'O(1) for every key.', args: 'key [key ...]', handler: watch,
  },
  {
    name: 'unwatch', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
    categories: ['transaction'],
    summary: 'Forget about all watched keys', since: '2.2.0', group: 'transactions', complexity: 'O(1)',
    handler: unwatch,
  },
];

// MULTI
function multi(c: Client): void {
  if (!c.server.transactions.begin(c)) {
    c.server.replyError(c, ERR.multiNested);
    return;
  }
  c.out.ok();
}

// EXEC
function exec(c: Client): void {
  if (c.multi === null) {
    c.server.replyError(c, ERR.execWithoutMulti);
    return;
  }
  c.server.transactions.exec(c);
}

// DISCARD
function discard(c: Client): void {
  if (c.multi === null) {
    c.server.replyError(c, ERR.discardWithoutMulti);
    return;
  }
  c.server.transactions.discard(c);
  c.out.ok();
}

// WATCH
function watch(c: Client, argv: string[]): void {
  if (c.multi !== null) {
    c.server.replyError(c, ERR.watchInMulti);
    return;
  }
  // A client whose watched key was touched will fail its EXEC anyway: nothing more to watch.
  if (!c.flags.has('dirty_cas')) {
    const tx = c.server.transactions;
    for (let i = 1; i < argv.length; i++) tx.watch(c, argv[i]);
  }
  c.out.ok();
}

// UNWATCH
function unwatch(c: Client): void {
  c.server.transactions.unwatchAll(c);
  c.flags.delete('dirty_cas');
  c.out.ok();
}
