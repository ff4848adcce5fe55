// Every command group, in the order COMMAND lists them.
import type { CommandSpec } from '../command.ts';
import { commands as connection } from './connection.ts';
import { commands as string } from './string.ts';
import { commands as bitmap } from './bitmap.ts';
import { commands as generic } from './generic.ts';
import { commands as server } from './server.ts';
import { commands as config } from './config.ts';

export const ALL_COMMANDS: readonly CommandSpec[] = [
  ...connection,
  ...string,
  ...bitmap,
  ...generic,
  ...server,
  ...config,
];
