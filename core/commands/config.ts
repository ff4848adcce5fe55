// config commands: https://redis.io/commands/?group=server
import type { CommandSpec } from '../command.ts';

export const commands: CommandSpec[] = [];
