// bitmap commands: https://redis.io/commands/?group=bitmap
import type { CommandSpec } from '../command.ts';

export const commands: CommandSpec[] = [];
