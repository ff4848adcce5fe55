// Building blocks of the directive table: one valibot schema per directive turns its arguments
// (strings, as written in redis.conf or CONFIG SET) into a typed value, with Redis's own error
// texts as the messages, so a bad value reads the same as in redis-server.

import * as v from 'valibot';

/** A parsed value. Lists are kept for directives that take several arguments (bind, save). */
export type ConfigValue = string | number | boolean | readonly string[] | readonly number[];

/** Arguments of one directive occurrence, already split like redis.conf lines are. */
export type Args = readonly string[];

export interface Directive {
  /** Lowercase name as in redis.conf. */
  name: string;
  /** Older names that mean the same directive (slaveof -> replicaof); CONFIG GET shows both. */
  aliases?: readonly string[];
  /** Turns the arguments into the value; its issue messages are Redis's error texts. */
  schema: v.GenericSchema<Args, ConfigValue>;
  /** The default, written as in redis.conf. */
  default: Args;
  /** How CONFIG GET and CONFIG REWRITE print the value. */
  format: (value: ConfigValue) => string;
  /** False when only the config file may set it ("can't set immutable config"). */
  mutable: boolean;
  /** False for directives Redis 7.0 knows and echokv accepts without acting on (yet). */
  implemented: boolean;
  /** Several lines accumulate instead of the last one winning (save, include, user ...). */
  accumulate?: boolean;
  /** Hidden from CONFIG GET (include, rename-command, user, loadmodule, echokv's plugins list). */
  hidden?: boolean;
}

/** The value schema of a one-argument directive, lifted to the args list. */
function single<T extends ConfigValue>(inner: v.GenericSchema<string, T>): v.GenericSchema<Args, T> {
  return v.pipe(
    v.array(v.string()),
    v.check((a) => a.length === 1, 'wrong number of arguments'),
    v.transform((a) => a[0]),
    inner,
  ) as unknown as v.GenericSchema<Args, T>;
}

const INT_RE = /^-?(0|[1-9][0-9]*)$/;

export function yesNo(): v.GenericSchema<Args, boolean> {
  return single(v.pipe(
    v.string(),
    v.transform((s) => s.toLowerCase()),
    v.check((s) => s === 'yes' || s === 'no', "argument must be 'yes' or 'no'"),
    v.transform((s) => s === 'yes'),
  ));
}

/** An integer in [min, max]; Redis clamps a few directives instead of refusing (hz). */
export function integer(min: number, max: number): v.GenericSchema<Args, number> {
  return single(v.pipe(
    v.string(),
    v.check((s) => INT_RE.test(s) && Number.isSafeInteger(Number(s)), "argument couldn't be parsed into an integer"),
    v.transform(Number),
    v.check((n) => n >= min && n <= max, `argument must be between ${min} and ${max} inclusive`),
  ));
}

const MEMORY_RE = /^(-?[0-9]+)(b|k|kb|m|mb|g|gb)?$/i;
const UNITS: Record<string, number> = {
  '': 1, b: 1, k: 1000, kb: 1024, m: 1000 * 1000, mb: 1024 * 1024,
  g: 1000 * 1000 * 1000, gb: 1024 * 1024 * 1024,
};

/** Redis's memtoull: a number with an optional unit (1k = 1000, 1kb = 1024, ... gb). */
export function parseMemory(s: string): number | null {
  const m = MEMORY_RE.exec(s);
  if (!m || m[1].startsWith('-')) return null;
  return Number(m[1]) * UNITS[(m[2] ?? '').toLowerCase()];
}

export function memory(min: number, max: number): v.GenericSchema<Args, number> {
  return single(v.pipe(
    v.string(),
    v.check((s) => parseMemory(s) !== null, 'argument must be a memory value'),
    v.transform((s) => parseMemory(s) as number),
    v.check((n) => n >= min && n <= max, `argument must be between ${min} and ${max} inclusive`),
  ));
}

export function oneOf(values: readonly string[]): v.GenericSchema<Args, string> {
  return single(v.pipe(
    v.string(),
    v.transform((s) => s.toLowerCase()),
    v.check((s) => values.includes(s), `argument(s) must be one of the following: ${values.join(', ')}`),
  ));
}

export function text(): v.GenericSchema<Args, string> {
  return single(v.string());
}

/** Any number of arguments, kept as given (bind, and directives echokv only accepts). */
export function list(minArgs = 0): v.GenericSchema<Args, readonly string[]> {
  return v.pipe(
    v.array(v.string()),
    v.check((a) => a.length >= minArgs, 'wrong number of arguments'),
  ) as unknown as v.GenericSchema<Args, readonly string[]>;
}

export const formatters = {
  bool: (x: ConfigValue): string => (x ? 'yes' : 'no'),
  plain: (x: ConfigValue): string => (Array.isArray(x) ? x.join(' ') : String(x)),
};
