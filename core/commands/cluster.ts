// Cluster commands: https://redis.io/commands/?group=cluster
//
// echokv has no cluster mode, so it answers these as redis-server 7.0 does with
// `cluster-enabled no`: every CLUSTER subcommand (HELP included), READONLY, READWRITE and ASKING
// reply that cluster support is disabled, once the arity check has passed. Clients and proxies
// probe them (CLUSTER INFO, CLUSTER SLOTS) to tell a cluster from a single server, so they must
// exist and fail with Redis's text rather than be unknown commands. RESTORE-ASKING, what MIGRATE
// sends to a node that is importing a slot, is RESTORE with its own metadata (the `asking` flag,
// group `server`, a syscmd) and works as RESTORE does.
import type { CommandSpec } from '../command.ts';
import type { Client } from '../client.ts';
import { commands as persistence } from './persistence.ts';
import { ERR } from '../errors.ts';


const RESTORE = persistence.find((s) => s.name === 'restore')!;

const ADMIN = ['admin', 'stale', 'no_async_loading'] as const;
const NONDETERMINISTIC = ['nondeterministic_output'];

export const commands: CommandSpec[] = [
  {
    name: 'cluster', arity: -2, flags: [], categories: [],
    summary: 'A container for cluster commands', since: '3.0.0', group: 'cluster',
    complexity: 'Depends on subcommand.',
    subcommands: [
      {
        name: 'addslots', arity: -3, flags: ADMIN, categories: [],
        summary: 'Assign new hash slots to receiving node', since: '3.0.0', group: 'cluster',
        complexity: 'O(N) where N is the total number of hash slot arguments', args: 'slot [slot ...]',
        handler: clusterDisabled,
      },
      {
        name: 'addslotsrange', arity: -4, flags: ADMIN, categories: [],
        summary: 'Assign new hash slots to receiving node', since: '7.0.0', group: 'cluster',
        complexity: 'O(N) where N is the total number of the slots between the start slot and end slot arguments.',
        args: 'start-slot end-slot [start-slot end-slot ...]', handler: clusterDisabled,
      },
      {
        name: 'bumpepoch', arity: 2, flags: ADMIN, categories: [], tips: NONDETERMINISTIC,
        summary: 'Advance the cluster config epoch', since: '3.0.0', group: 'cluster', complexity: 'O(1)',
        handler: clusterDisabled,
      },
      {
        name: 'count-failure-reports', arity: 3, flags: ['admin', 'stale'], categories: [], tips: NONDETERMINISTIC,
        summary: 'Return the number of failure reports active for a given node', since: '3.0.0', group: 'cluster',
        complexity: 'O(N) where N is the number of failure reports', args: 'node-id', handler: clusterDisabled,
      },
      {
        name: 'countkeysinslot', arity: 3, flags: ['stale'], categories: [],
        summary: 'Return the number of local keys in the specified hash slot', since: '3.0.0', group: 'cluster',
        complexity: 'O(1)', args: 'slot', handler: clusterDisabled,
      },
      {
        name: 'delslots', arity: -3, flags: ADMIN, categories: [],
        summary: 'Set hash slots as unbound in receiving node', since: '3.0.0', group: 'cluster',
        complexity: 'O(N) where N is the total number of hash slot arguments', args: 'slot [slot ...]',
        handler: clusterDisabled,
      },
      {
        name: 'delslotsrange', arity: -4, flags: ADMIN, categories: [],
        summary: 'Set hash slots as unbound in receiving node', since: '7.0.0', group: 'cluster',
        complexity: 'O(N) where N is the total number of the slots between the start slot and end slot arguments.',
        args: 'start-slot end-slot [start-slot end-slot ...]', handler: clusterDisabled,
      },
      {
        name: 'failover', arity: -2, flags: ADMIN, categories: [],
        summary: 'Forces a replica to perform a manual failover of its master.', since: '3.0.0', group: 'cluster',
        complexity: 'O(1)', args: 'options=[FORCE | TAKEOVER]', handler: clusterDisabled,
      },
      {
        name: 'flushslots', arity: 2, flags: ADMIN, categories: [],
        summary: "Delete a node's own slots information", since: '3.0.0', group: 'cluster', complexity: 'O(1)',
        handler: clusterDisabled,
      },
      {
        name: 'forget', arity: 3, flags: ADMIN, categories: [],
        summary: 'Remove a node from the nodes table', since: '3.0.0', group: 'cluster', complexity: 'O(1)',
        args: 'node-id', handler: clusterDisabled,
      },
      {
        name: 'getkeysinslot', arity: 4, flags: ['stale'], categories: [], tips: NONDETERMINISTIC,
        summary: 'Return local key names in the specified hash slot', since: '3.0.0', group: 'cluster',
        complexity: 'O(log(N)) where N is the number of requested keys', args: 'slot count',
        handler: clusterDisabled,
      },
      {
        // Without cluster mode Redis refuses even HELP.
        name: 'help', arity: 2, flags: ['loading', 'stale'], categories: [],
        summary: 'Show helpful text about the different subcommands', since: '5.0.0', group: 'cluster',
        complexity: 'O(1)', handler: clusterDisabled,
      },
      {
        name: 'info', arity: 2, flags: ['stale'], categories: [], tips: NONDETERMINISTIC,
        summary: 'Provides info about Redis Cluster node state', since: '3.0.0', group: 'cluster',
        complexity: 'O(1)', handler: clusterDisabled,
      },
      {
        name: 'keyslot', arity: 3, flags: ['stale'], categories: [],
        summary: 'Returns the hash slot of the specified key', since: '3.0.0', group: 'cluster',
        complexity: 'O(N) where N is the number of bytes in the key', args: 'key:string', handler: clusterDisabled,
      },
      {
        name: 'links', arity: 2, flags: ['stale'], categories: [], tips: NONDETERMINISTIC,
        summary: 'Returns a list of all TCP links to and from peer nodes in cluster', since: '7.0.0',
        group: 'cluster', complexity: 'O(N) where N is the total number of Cluster nodes', handler: clusterDisabled,
      },
      {
        name: 'meet', arity: -4, flags: ADMIN, categories: [],
        summary: 'Force a node cluster to handshake with another node', since: '3.0.0', group: 'cluster',
        complexity: 'O(1)', history: [['4.0.0', 'Added the optional `cluster_bus_port` argument.']],
        args: 'ip port [cluster_bus_port]@4.0.0', handler: clusterDisabled,
      },
      {
        name: 'myid', arity: 2, flags: ['stale'], categories: [],
        summary: 'Return the node id', since: '3.0.0', group: 'cluster', complexity: 'O(1)', handler: clusterDisabled,
      },
      {
        name: 'nodes', arity: 2, flags: ['stale'], categories: [], tips: NONDETERMINISTIC,
        summary: 'Get Cluster config for the node', since: '3.0.0', group: 'cluster',
        complexity: 'O(N) where N is the total number of Cluster nodes', handler: clusterDisabled,
      },
      {
        name: 'replicas', arity: 3, flags: ['admin', 'stale'], categories: [], tips: NONDETERMINISTIC,
        summary: 'List replica nodes of the specified master node', since: '5.0.0', group: 'cluster',
        complexity: 'O(1)', args: 'node-id', handler: clusterDisabled,
      },
      {
        name: 'replicate', arity: 3, flags: ADMIN, categories: [],
        summary: 'Reconfigure a node as a replica of the specified master node', since: '3.0.0', group: 'cluster',
        complexity: 'O(1)', args: 'node-id', handler: clusterDisabled,
      },
      {
        name: 'reset', arity: -2, flags: ['admin', 'noscript', 'stale'], categories: [],
        summary: 'Reset a Redis Cluster node', since: '3.0.0', group: 'cluster',
        complexity: 'O(N) where N is the number of known nodes. The command may execute a FLUSHALL as a side effect.',
        args: '[HARD | SOFT]', handler: clusterDisabled,
      },
      {
        name: 'saveconfig', arity: 2, flags: ADMIN, categories: [],
        summary: 'Forces the node to save cluster state on disk', since: '3.0.0', group: 'cluster',
        complexity: 'O(1)', handler: clusterDisabled,
      },
      {
        name: 'set-config-epoch', arity: 3, flags: ADMIN, categories: [],
        summary: 'Set the configuration epoch in a new node', since: '3.0.0', group: 'cluster', complexity: 'O(1)',
        args: 'config-epoch', handler: clusterDisabled,
      },
      {
        name: 'setslot', arity: -4, flags: ADMIN, categories: [],
        summary: 'Bind a hash slot to a specific node', since: '3.0.0', group: 'cluster', complexity: 'O(1)',
        args: 'slot subcommand=<IMPORTING node-id | MIGRATING node-id | NODE node-id | STABLE>', handler: clusterDisabled,
      },
      {
        name: 'shards', arity: 2, flags: ['stale'], categories: [], tips: NONDETERMINISTIC,
        summary: 'Get array of cluster slots to node mappings', since: '7.0.0', group: 'cluster',
        complexity: 'O(N) where N is the total number of cluster nodes', handler: clusterDisabled,
      },
      {
        name: 'slaves', arity: 3, flags: ['admin', 'stale'], categories: [], tips: NONDETERMINISTIC,
        summary: 'List replica nodes of the specified master node', since: '3.0.0', group: 'cluster',
        complexity: 'O(1)', docFlags: ['deprecated'], deprecatedSince: '5.0.0', replacedBy: '`CLUSTER REPLICAS`',
        args: 'node-id', handler: clusterDisabled,
      },
      {
        name: 'slots', arity: 2, flags: ['stale'], categories: [], tips: NONDETERMINISTIC,
        summary: 'Get array of Cluster slot to node mappings', since: '3.0.0', group: 'cluster',
        complexity: 'O(N) where N is the total number of Cluster nodes', docFlags: ['deprecated'],
        deprecatedSince: '7.0.0', replacedBy: '`CLUSTER SHARDS`',
        history: [['4.0.0', 'Added node IDs.'], ['7.0.0', 'Added additional networking metadata field.']],
        handler: clusterDisabled,
      },
    ],
  },
  {
    name: 'readonly', arity: 1, flags: ['loading', 'stale', 'fast'], categories: ['connection'],
    summary: 'Enables read queries for a connection to a cluster replica node', since: '3.0.0', group: 'cluster',
    complexity: 'O(1)', handler: clusterDisabled,
  },
  {
    name: 'readwrite', arity: 1, flags: ['loading', 'stale', 'fast'], categories: ['connection'],
    summary: 'Disables read queries for a connection to a cluster replica node', since: '3.0.0', group: 'cluster',
    complexity: 'O(1)', handler: clusterDisabled,
  },
  {
    name: 'asking', arity: 1, flags: ['fast'], categories: ['connection'],
    summary: 'Sent by cluster clients after an -ASK redirect', since: '3.0.0', group: 'cluster',
    complexity: 'O(1)', handler: clusterDisabled,
  },
  {
    // RESTORE's arguments, key spec and handler; Redis's JSON files it under `server`.
    name: 'restore-asking', arity: -4, flags: ['write', 'denyoom', 'asking'], categories: ['keyspace', 'dangerous'],
    keys: [1, 1, 1], keyFlags: ['OW', 'UPDATE'],
    summary: 'An internal command for migrating keys in a cluster', since: '3.0.0', group: 'server',
    complexity: RESTORE.complexity, docFlags: ['syscmd'], history: RESTORE.history, args: RESTORE.args,
    handler: RESTORE.handler,
  },
];

// CLUSTER <subcommand>, READONLY, READWRITE, ASKING
function clusterDisabled(c: Client): void {
  c.server.replyError(c, ERR.clusterDisabled);
}
