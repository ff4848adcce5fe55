// Every command group, in the order COMMAND lists them.
import type { CommandSpec } from '../command.ts';
import { commands as connection } from './connection.ts';
import { commands as string } from './string.ts';
import { commands as bitmap } from './bitmap.ts';
import { commands as generic } from './generic.ts';
import { commands as sort } from './sort.ts';
import { commands as server } from './server.ts';
import { commands as config } from './config.ts';
import { commands as aof } from './aof.ts';
import { commands as persistence } from './persistence.ts';
import { commands as transaction } from './transaction.ts';
import { commands as pubsub } from './pubsub.ts';
import { commands as hash } from './hash.ts';
import { commands as set } from './set.ts';
import { commands as sortedSet } from './sorted_set.ts';
import { commands as stream } from './stream.ts';
import { commands as list } from './list.ts';
import { commands as scripting } from './scripting.ts';
import { commands as geo } from './geo.ts';
import { commands as hyperloglog } from './hyperloglog.ts';
import { commands as cluster } from './cluster.ts';
import { commands as lolwut } from './lolwut.ts';

export const ALL_COMMANDS: readonly CommandSpec[] = [
  ...connection,
  ...string,
  ...bitmap,
  ...generic,
  ...sort,
  ...server,
  ...config,
  ...aof,
  ...persistence,
  ...transaction,
  ...pubsub,
  ...hash,
  ...set,
  ...sortedSet,
  ...stream,
  ...list,
  ...scripting,
  ...geo,
  ...hyperloglog,
  ...cluster,
  ...lolwut,
];
