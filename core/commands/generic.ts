// generic commands: https://redis.io/commands/?group=generic
import type { CommandSpec } from '../command.ts';

export const commands: CommandSpec[] = [];
