// Building blocks of the directive table (core/config/schema.ts). Each directive has a valibot
// schema that turns its arguments (strings, as written in redis.conf or given to CONFIG SET) into
// a typed value, with Redis's own error texts as the issue messages, plus how CONFIG GET prints
// the value and how CONFIG REWRITE writes it back.
//
// The parsers follow Redis 7.0's src/config.c and src/util.c to the byte, because users see the
// difference: string2ll for plain integers (no '+', no leading zeros), memtoull for memory
// values ("1gb", "", and "kb" are all valid), strtoll for octal and for `save`, string2d for
// percentiles, and C-string truncation at a NUL byte where Redis hands the value to a C string
// function. Bounds are checked on the 64-bit value as Redis does, signed or unsigned by the C
// type behind the directive, so "-1" for an unsigned directive reports the unsigned range.

import * as v from 'valibot';
import { parseDouble } from '../numbers.ts';
import { cstr } from '../bytes.ts';

/**
 * A parsed value: booleans, enum names and strings as such; numbers as numbers, or bigints when
 * beyond 2^53 (maxmemory 18446744073709551615 must print back exactly); lists for directives that
 * take several arguments (bind, save, client-output-buffer-limit ...).
 */
export type ConfigValue =
  | string | number | bigint | boolean | readonly string[] | readonly number[] | readonly (number | bigint)[];

/** Arguments of one directive occurrence, already split like redis.conf lines are. */
export type Args = readonly string[];

/** One line CONFIG REWRITE writes; `force` adds it even when the file does not mention it. */
export interface RewriteLine {
  line: string;
  force: boolean;
}

/** What CONFIG REWRITE knows beyond the values (Redis writes `dir` as the absolute cwd). */
export interface RewriteContext {
  dir: string;
}

export interface Directive {
  /** Lowercase name as in redis.conf; CONFIG REWRITE writes this one. */
  name: string;
  /** Older names for the same directive (slaveof -> replicaof); CONFIG GET lists each. */
  aliases?: readonly string[];
  /** Turns the arguments into the value; its issue messages are Redis's error texts. */
  schema: v.GenericSchema<Args, ConfigValue>;
  /** The default, written as in redis.conf. */
  default: Args;
  /** How CONFIG GET prints the value. */
  format: (value: ConfigValue) => string;
  /**
   * The lines CONFIG REWRITE writes for the value; null writes nothing and removes the lines the
   * file had (Redis's rewriteConfigMarkAsProcessed, for NULL strings and the default `bind`).
   */
  rewrite: (value: ConfigValue, ctx: RewriteContext) => RewriteLine[] | null;
  /** How a new value combines with the current one (save lines add up, buffer limits per class);
   * `first` is true for CONFIG SET and for the first occurrence in the configuration. */
  merge?: (current: ConfigValue, next: ConfigValue, first: boolean) => ConfigValue;
  /** What CONFIG SET applies on top of the parsed value (repl-backlog-size's 16kb floor). */
  onSet?: (value: ConfigValue) => ConfigValue;
  /** False when only the configuration may set it ("can't set immutable config"). */
  mutable: boolean;
  /** CONFIG SET needs enable-protected-configs ("can't set protected config"). */
  protected?: boolean;
  /** False for directives Redis 7.0 knows and echokv accepts without acting on (yet). */
  implemented: boolean;
  /** Takes any number of arguments; CONFIG SET splits its value on spaces (MULTI_ARG_CONFIG). */
  multiArg?: boolean;
  /** CONFIG GET shows it only when asked by its exact name (HIDDEN_CONFIG). */
  hidden?: boolean;
  /** CONFIG SET hides its value from the slowlog (SENSITIVE_CONFIG). */
  sensitive?: boolean;
  /** CONFIG SET refuses it while loading the dataset (DENY_LOADING_CONFIG). */
  denyLoading?: boolean;
}

/** A refused value; its message is Redis's error text. */
export class Refusal {
  message: string;
  constructor(message: string) {
    this.message = message;
  }
}

/** A valibot schema over the argument list from a parse function that may refuse. */
export function argsSchema<T extends ConfigValue>(parse: (args: Args) => T | Refusal): v.GenericSchema<Args, T> {
  return v.pipe(
    v.array(v.string()),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      const r = parse(dataset.value);
      if (r instanceof Refusal) {
        addIssue({ message: r.message });
        return NEVER;
      }
      return r;
    }),
  ) as unknown as v.GenericSchema<Args, T>;
}

/** The schema of a one-argument directive (the line loader checks the count first). */
export function oneArg<T extends ConfigValue>(parse: (s: string) => T | Refusal): v.GenericSchema<Args, T> {
  return argsSchema((a) => (a.length === 1 ? parse(a[0]) : new Refusal('wrong number of arguments')));
}

// -------------------------------------------------------------------------------------------------
// Numbers

export const INT_MIN = -2147483648n;
export const INT_MAX = 2147483647n;
export const UINT_MAX = 4294967295n;
export const LLONG_MAX = 9223372036854775807n;
export const ULLONG_MAX = 18446744073709551615n;
const TWO64 = 18446744073709551616n;

/** A bigint as a ConfigValue: a number when exact, else the bigint itself. */
export function numberValue(n: bigint): number | bigint {
  return n >= -9007199254740991n && n <= 9007199254740991n ? Number(n) : n;
}

/** Redis's string2ll: optional '-', no '+', no blanks, no leading zeros, 64-bit signed range. */
export function string2ll(s: string): bigint | null {
  const n = s.length;
  if (n === 0 || n >= 21) return null;
  if (n === 1 && s === '0') return 0n;
  let i = 0;
  if (s.charCodeAt(0) === 45 /* - */) {
    i = 1;
    if (n === 1) return null;
  }
  const first = s.charCodeAt(i);
  if (first < 49 || first > 57) return null;
  for (let j = i + 1; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return null;
  }
  const v = BigInt(s);
  return v > LLONG_MAX || v < -LLONG_MAX - 1n ? null : v;
}

const isCSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

/**
 * C's strtoll on a C string: leading blanks, a sign, digits of the base; the value saturates on
 * overflow. Returns the value, whether it overflowed, and whether the whole string was used
 * (`*endptr == '\0'`; an empty string counts as fully used, with value 0, as in C).
 */
export function strtoll(s: string, base: 8 | 10): { value: bigint; overflow: boolean; whole: boolean } {
  s = cstr(s);
  let i = 0;
  while (i < s.length && isCSpace(s.charCodeAt(i))) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') {
    neg = s[i] === '-';
    i++;
  }
  const start = i;
  let v = 0n;
  const b = BigInt(base);
  for (; i < s.length; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d >= base) break;
    v = v * b + BigInt(d);
  }
  if (i === start) return { value: 0n, overflow: false, whole: s.length === 0 };
  if (neg) v = -v;
  let overflow = false;
  if (v > LLONG_MAX) {
    v = LLONG_MAX;
    overflow = true;
  } else if (v < -LLONG_MAX - 1n) {
    v = -LLONG_MAX - 1n;
    overflow = true;
  }
  return { value: v, overflow, whole: i === s.length };
}

const MEMORY_UNITS: Record<string, bigint> = {
  '': 1n, b: 1n, k: 1000n, kb: 1024n, m: 1000000n, mb: 1048576n, g: 1000000000n, gb: 1073741824n,
};

/**
 * Redis's memtoull: digits and an optional unit (k = 1000, kb = 1024, ... gb), case-insensitive;
 * no sign, no blanks. Digits that overflow saturate (strtoull's ERANGE is not checked), no digits
 * at all read as 0, and the unit's product wraps around 2^64 (7.0 does not check it), all as in
 * Redis. Null when invalid.
 */
export function memtoull(s: string): bigint | null {
  s = cstr(s);
  if (s[0] === '-') return null;
  let i = 0;
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  const mul = MEMORY_UNITS[s.slice(i).toLowerCase()];
  if (mul === undefined || i >= 128) return null;
  let val = i === 0 ? 0n : BigInt(s.slice(0, i));
  if (val > ULLONG_MAX) val = ULLONG_MAX;
  return BigInt.asUintN(64, val * mul);
}

/** Redis's rewriteConfigFormatMemory: the largest of gb, mb, kb that divides the value. */
export function formatMemory(bytes: bigint): string {
  const gb = 1073741824n;
  const mb = 1048576n;
  const kb = 1024n;
  if (bytes !== 0n && bytes % gb === 0n) return `${bytes / gb}gb`;
  if (bytes !== 0n && bytes % mb === 0n) return `${bytes / mb}mb`;
  if (bytes !== 0n && bytes % kb === 0n) return `${bytes / kb}kb`;
  return String(bytes);
}

const toSigned64 = (u: bigint): bigint => (u > LLONG_MAX ? u - TWO64 : u);
const toUnsigned64 = (s: bigint): bigint => (s < 0n ? s + TWO64 : s);

export interface NumericOptions {
  min: bigint;
  max: bigint;
  /** The C type is unsigned (unsigned int, unsigned long long, size_t): bounds compare unsigned. */
  unsigned?: boolean;
  /** MEMORY_CONFIG: "100mb" and friends. */
  memory?: boolean;
  /** PERCENT_CONFIG: "10%", kept as a negative number as Redis keeps it. */
  percent?: boolean;
  /** OCTAL_CONFIG: read and printed in base 8 (unixsocketperm). */
  octal?: boolean;
  /** Applied after the checks (hz: out-of-range values are clamped, not refused). */
  clamp?: readonly [number, number];
}

/** The 64-bit value of a numeric directive's argument, with Redis's messages. */
export function parseNumeric(s: string, o: NumericOptions): bigint | Refusal {
  let ll: bigint | null = null;
  if (o.memory) {
    const m = memtoull(s);
    if (m !== null) ll = toSigned64(m);
  }
  if (ll === null && o.percent && s.length > 1 && s.endsWith('%')) {
    const p = string2ll(s.slice(0, -1));
    if (p !== null && p >= 0n) ll = -p;
  }
  if (ll === null && o.octal) {
    const r = strtoll(s, 8);
    if (!r.overflow && r.whole) ll = r.value;
  }
  if (ll === null && !o.memory && !o.percent && !o.octal) ll = string2ll(s);
  if (ll === null) {
    if (o.memory && o.percent) return new Refusal('argument must be a memory or percent value');
    if (o.memory) return new Refusal('argument must be a memory value');
    if (o.octal) return new Refusal("argument couldn't be parsed as an octal number");
    return new Refusal("argument couldn't be parsed into an integer");
  }
  if (o.unsigned) {
    const u = toUnsigned64(ll);
    if (u > o.max || u < o.min) {
      const f = (x: bigint): string => (o.octal ? x.toString(8) : String(x));
      return new Refusal(`argument must be between ${f(o.min)} and ${f(o.max)} inclusive`);
    }
    ll = u;
  } else if (o.percent && ll < 0n) {
    if (ll < o.min) return new Refusal(`percentage argument must be less or equal to ${-o.min}`);
  } else if (ll > o.max || ll < o.min) {
    return new Refusal(`argument must be between ${o.min} and ${o.max} inclusive`);
  }
  if (o.clamp) {
    if (ll < BigInt(o.clamp[0])) ll = BigInt(o.clamp[0]);
    if (ll > BigInt(o.clamp[1])) ll = BigInt(o.clamp[1]);
  }
  return ll;
}

/** How CONFIG GET prints a numeric value (ull2string for memory, %llo for octal, N% ...). */
export function formatNumeric(value: ConfigValue, o: NumericOptions): string {
  const n = BigInt(value as number | bigint);
  if (o.percent && n < 0n) return `${-n}%`;
  if (o.memory) return String(toUnsigned64(n));
  if (o.octal) return toUnsigned64(n).toString(8);
  return String(n);
}

/** How CONFIG REWRITE writes a numeric value (memory values with the largest unit that fits). */
export function rewriteNumeric(value: ConfigValue, o: NumericOptions): string {
  const n = BigInt(value as number | bigint);
  if (o.percent && n < 0n) return `${-n}%`;
  if (o.memory) return formatMemory(toSigned64(n));
  if (o.octal) return toUnsigned64(n).toString(8);
  return String(n);
}

// -------------------------------------------------------------------------------------------------
// Other value kinds

/** Redis's yesnotoi. */
export function parseYesNo(s: string): boolean | Refusal {
  const l = cstr(s).toLowerCase();
  if (l === 'yes') return true;
  if (l === 'no') return false;
  return new Refusal("argument must be 'yes' or 'no'");
}

/**
 * An enum: names in Redis's order; several names may share an id (oom-score-adj's yes and
 * relative), and the value is always the first name of its id, as CONFIG GET prints it.
 */
export interface EnumSpec {
  names: readonly string[];
  ids: readonly number[];
}

export function enumSpec(names: readonly string[], ids?: readonly number[]): EnumSpec {
  return { names, ids: ids ?? names.map((_, i) => i) };
}

function enumError(e: EnumSpec): Refusal {
  return new Refusal(`argument(s) must be one of the following: ${e.names.join(', ')}`);
}

/** The canonical name for `s` (case-insensitive), or a refusal listing every name. */
export function parseEnum(s: string, e: EnumSpec): string | Refusal {
  const l = cstr(s).toLowerCase();
  const i = e.names.indexOf(l);
  if (i < 0) return enumError(e);
  return e.names[e.ids.indexOf(e.ids[i])];
}

/**
 * A flags enum taking several arguments (shutdown-on-sigint save now): each name sets its bit,
 * the first name (id 0) sets none. The value lists the names of the set bits in enum order, or
 * holds the first name alone when no bit is set.
 */
export function parseFlagsEnum(args: Args, e: EnumSpec): string[] | Refusal {
  if (args.length === 0) return enumError(e);
  let bits = 0;
  for (const a of args) {
    const i = e.names.indexOf(cstr(a).toLowerCase());
    if (i < 0) return enumError(e);
    bits |= e.ids[i];
  }
  const out: string[] = [];
  for (let i = 0; i < e.names.length; i++) if (e.ids[i] !== 0 && (bits & e.ids[i]) === e.ids[i]) out.push(e.names[i]);
  return out.length === 0 ? [e.names[0]] : out;
}

/**
 * Redis's string2d: what strtod reads of the whole string, refusing NaN and a result that
 * overflowed to infinity or underflowed to zero (ERANGE); "inf" itself is a value.
 */
export function string2d(s: string): number | null {
  const d = parseDouble(s);
  if (d === null) return null;
  if (!Number.isFinite(d) && !/inf/i.test(s)) return null;
  if (d === 0) {
    const lower = s.toLowerCase();
    const hex = /^[+-]?0x/.test(lower);
    const mantissa = hex ? lower.replace(/^[+-]?0x/, '').replace(/p.*$/, '') : lower.replace(/e.*$/, '');
    if ((hex ? /[1-9a-f]/ : /[1-9]/).test(mantissa)) return null;
  }
  return d;
}

/** Redis's trimDoubleString over "%f": 99.9 -> "99.9", 50 -> "50". */
export function formatPercentile(x: number): string {
  // "%f" keeps the sign of -0 ("-0" passes the range check), toFixed drops it.
  let s = (Object.is(x, -0) ? '-' : '') + x.toFixed(6);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s;
}

/** Redis's pathIsBaseName. */
export const isBaseName = (s: string): boolean => !s.includes('/') && !s.includes('\\');

export { parseDouble };
