// Number parsing and printing with Redis's exact rules: integers as string2ll reads them (no
// blanks, no '+', no leading zeros, 64-bit range), doubles as strtod with Redis's checks, and
// doubles printed as Redis 7.0 prints them ("%.17g", inf, -inf).

import { bytesToStr } from './bytes.ts';

const I64_MAX = 9223372036854775807n;
const I64_MIN = -9223372036854775808n;

/** True when `s` is an integer in Redis's canonical form (what string2ll accepts). */
function isCanonicalInt(s: string): boolean {
  const n = s.length;
  if (n === 0 || n > 20) return false;
  let i = 0;
  if (s.charCodeAt(0) === 45 /* - */) {
    if (n === 1) return false;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 48 /* 0 */) return n === 1;
  if (first < 49 || first > 57) return false;
  for (i++; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * A signed 64-bit integer, exactly, as a bigint; null when `s` is not one. For the few commands
 * whose results must be exact beyond 2^53 (INCR and friends).
 */
export function parseInt64(s: string): bigint | null {
  if (!isCanonicalInt(s)) return null;
  const v = BigInt(s);
  return v > I64_MAX || v < I64_MIN ? null : v;
}

/**
 * A signed 64-bit integer as a JS number; null when `s` is not one. Values beyond 2^53 come back
 * rounded, which is harmless for counts, indexes and times, the uses of this function.
 */
export function parseInteger(s: string): number | null {
  if (!isCanonicalInt(s)) return null;
  if (s.length < 16) return +s;
  const v = BigInt(s);
  return v > I64_MAX || v < I64_MIN ? null : Number(v);
}

export const INT64_MAX = I64_MAX;
export const INT64_MIN = I64_MIN;
export const isInt64 = (v: bigint): boolean => v <= I64_MAX && v >= I64_MIN;

const FLOAT_RE = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?|inf(?:inity)?|nan)$/i;

/**
 * A double as Redis reads one (strtod, then: no leading blank, whole string used, NaN refused).
 * Accepts what strtod accepts: decimal, exponent, hex floats, inf/infinity. Null when invalid.
 */
export function parseDouble(s: string): number | null {
  if (s.length === 0 || s.length > 5000 || !FLOAT_RE.test(s)) return null;
  const lower = s.toLowerCase();
  let v: number;
  if (lower.includes('inf')) v = lower.startsWith('-') ? -Infinity : Infinity;
  else if (lower.includes('nan')) return null;
  else if (lower.includes('x')) v = parseHexFloat(lower);
  else v = Number(s);
  return Number.isNaN(v) ? null : v;
}

function parseHexFloat(s: string): number {
  let sign = 1;
  let i = 0;
  if (s[0] === '-' || s[0] === '+') {
    if (s[0] === '-') sign = -1;
    i = 1;
  }
  i += 2;
  let mant = 0;
  let exp = 0;
  let seenDot = false;
  for (; i < s.length && s[i] !== 'p'; i++) {
    if (s[i] === '.') {
      seenDot = true;
      continue;
    }
    mant = mant * 16 + parseInt(s[i], 16);
    if (seenDot) exp -= 4;
  }
  if (i < s.length) exp += parseInt(s.slice(i + 1), 10);
  return sign * mant * Math.pow(2, exp);
}

/** A double as C's printf("%.17g") prints it, with inf and -inf: Redis 7.0's reply format. */
export function formatDouble(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (Number.isNaN(d)) return 'nan';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  // Integers up to 17 digits print as themselves in %.17g: exactly, so past 2^53, where String()
  // gives the shortest round-trip digits instead (34794473707969090 for ...088), through BigInt.
  if (Number.isInteger(d) && Math.abs(d) < 1e17) return Math.abs(d) < 9007199254740992 ? String(d) : BigInt(d).toString();
  const e = d.toExponential(16); // d.dddddddddddddddde[+-]x: 17 significant digits
  const ePos = e.indexOf('e');
  const exp = parseInt(e.slice(ePos + 1), 10);
  const neg = e[0] === '-';
  const digits = e.slice(neg ? 1 : 0, ePos).replace('.', '');
  let out: string;
  if (exp < -4 || exp >= 17) {
    let mant = digits[0] + '.' + digits.slice(1);
    mant = mant.replace(/0+$/, '').replace(/\.$/, '');
    const ax = Math.abs(exp);
    out = mant + 'e' + (exp < 0 ? '-' : '+') + (ax < 10 ? '0' + ax : String(ax));
  } else if (exp >= 0) {
    const intPart = digits.slice(0, exp + 1);
    const frac = digits.slice(exp + 1).replace(/0+$/, '');
    out = frac.length > 0 ? intPart + '.' + frac : intPart;
  } else {
    const frac = ('0'.repeat(-exp - 1) + digits).replace(/0+$/, '');
    out = '0.' + frac;
  }
  return neg ? '-' + out : out;
}

/**
 * Shared decimal texts of 0-9999, as Redis shares those integers (OBJ_SHARED_INTEGERS): a counter
 * (INCR) or a loaded value then keeps a string that already exists instead of a new one for the
 * garbage collector to copy. Filled on first use; '' marks an empty slot.
 */
const SHARED_INTS = 10000;
const sharedInts: string[] = new Array<string>(SHARED_INTS).fill('');

/** `v` (an integer) as decimal text, shared for 0 <= v < 10000. */
export function intStr(v: number): string {
  if (v >= 0 && v < SHARED_INTS) {
    let s = sharedInts[v];
    if (s.length === 0) sharedInts[v] = s = String(v);
    return s;
  }
  // Digits by hand for 32-bit values: String() also looks the number up in, and adds it to,
  // V8's number-string cache, which a load of a million distinct integers only churns (about
  // 30 ns a value more).
  if ((v | 0) !== v || v === -2147483648) return String(v);
  let x = v < 0 ? -v : v;
  let p = digits.length;
  do {
    const q = (x / 10) | 0;
    digits[--p] = 48 + x - q * 10;
    x = q;
  } while (x !== 0);
  if (v < 0) digits[--p] = 45;
  return bytesToStr(digits, p, digits.length);
}

/** intStr's scratch: the longest 32-bit value, sign included. */
const digits = new Uint8Array(11);
