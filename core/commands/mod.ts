// Every command group, in the order COMMAND lists them.
import type { CommandSpec } from '../command.ts';
import { commands as connection } from './connection.ts';
import { commands as string } from './string.ts';

export const ALL_COMMANDS: readonly CommandSpec[] = [
  ...connection,
  ...string,
];
