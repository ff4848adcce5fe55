// Exact emulation of C's `long double` on x86-64 (the x87 80-bit extended format: sign, 15-bit
// exponent, 64-bit significand with an explicit integer bit), for INCRBYFLOAT and HINCRBYFLOAT.
// Redis reads those increments with strtold, adds in long double, and prints "%.17Lf" with the
// trailing zeros stripped (ld2string's LD_STR_HUMAN mode); JS doubles round differently (ten
// INCRBYFLOAT 0.1 give "1" in Redis, 0.9999999999999999 in doubles), so the digits would differ.
//
// A finite value is m * 2^e with m a bigint: normal numbers keep 2^63 <= m < 2^64, subnormals
// have e = MIN_E and m < 2^63. Every operation computes the exact result and rounds it once to
// nearest, ties to even (the default x87 rounding), which is also what glibc's strtold and printf
// do. BigInt is only touched here, so callers keep their fast paths for plain integers.

/** Exponent of the smallest subnormal, 2^-16445. */
const MIN_E = -16445;
/** Largest exponent of a finite value: (2^64 - 1) * 2^16320 is LDBL_MAX. */
const MAX_E = 16320;
/** Decimal digits kept after the point by "%.17Lf". */
const FRAC_DIGITS = 17;
const FRAC_SCALE = 10n ** 17n;
/** Redis's MAX_LONG_DOUBLE_CHARS: string2ld refuses inputs of this length or more. */
const MAX_CHARS = 5 * 1024;
/** Exponents beyond this already over- or underflow whatever digits a valid input holds. */
const EXP_CAP = 10_000_000;

export class LongDouble {
  readonly neg: boolean;
  /** Significand; 0n for zero. Meaningless for infinities. */
  readonly m: bigint;
  readonly e: number;
  readonly inf: boolean;
  constructor(neg: boolean, m: bigint, e: number, inf = false) {
    this.neg = neg;
    this.m = m;
    this.e = e;
    this.inf = inf;
  }
}

export const LD_ZERO = new LongDouble(false, 0n, 0);
const NEG_ZERO = new LongDouble(true, 0n, 0);
export const LD_INF = new LongDouble(false, 0n, 0, true);
const NEG_INF = new LongDouble(true, 0n, 0, true);

function bitLength(n: bigint): number {
  const hex = n.toString(16);
  const top = parseInt(hex[0], 16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(top));
}

/**
 * Rounds the exact value n * 2^e (plus, when `sticky`, something positive below 2^e) to the
 * nearest long double, ties to even. Callers give at least 66 significant bits when `sticky`
 * is set so the sticky part lies below the rounding bit.
 */
function round(neg: boolean, n: bigint, e: number, sticky: boolean): LongDouble {
  if (n === 0n) return neg ? NEG_ZERO : LD_ZERO;
  const bl = bitLength(n);
  // Far out of range: skip the (possibly huge) shifts below.
  if (e + bl - 1 > MAX_E + 63) return neg ? NEG_INF : LD_INF;
  if (e + bl < MIN_E - 1) return neg ? NEG_ZERO : LD_ZERO;
  let shift = bl - 64;
  if (e + shift < MIN_E) shift = MIN_E - e;
  let m: bigint;
  if (shift > 0) {
    const s = BigInt(shift);
    m = n >> s;
    const rem = n - (m << s);
    const half = 1n << (s - 1n);
    if (rem > half || (rem === half && (sticky || (m & 1n) === 1n))) m += 1n;
    e += shift;
    if (m === 1n << 64n) {
      m = 1n << 63n;
      e += 1;
    }
  } else {
    m = n << BigInt(-shift);
    e += shift;
  }
  if (m === 0n) return neg ? NEG_ZERO : LD_ZERO;
  if (e > MAX_E) return neg ? NEG_INF : LD_INF;
  return new LongDouble(neg, m, e);
}

/** The long double nearest to the integer `v` (exact for every 64-bit integer). */
export function longDoubleFromInt(v: bigint | number): LongDouble {
  const b = typeof v === 'bigint' ? v : BigInt(v);
  return b < 0n ? round(true, -b, 0, false) : round(false, b, 0, false);
}

/** a + b, exactly rounded; inf + -inf gives null (NaN). */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble | null {
  if (a.inf || b.inf) {
    if (a.inf && b.inf && a.neg !== b.neg) return null;
    return a.inf ? a : b;
  }
  if (a.m === 0n) return b.m === 0n ? (a.neg && b.neg ? NEG_ZERO : LD_ZERO) : b;
  if (b.m === 0n) return a;
  // Align both on the smaller exponent; the sum is then exact and is rounded once.
  const e = a.e < b.e ? a.e : b.e;
  const x = a.e === e ? a.m : a.m << BigInt(a.e - e);
  const y = b.e === e ? b.m : b.m << BigInt(b.e - e);
  const sum = (a.neg ? -x : x) + (b.neg ? -y : y);
  if (sum === 0n) return LD_ZERO;
  return sum < 0n ? round(true, -sum, e, false) : round(false, sum, e, false);
}

export function isFiniteLongDouble(x: LongDouble): boolean {
  return !x.inf;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 32;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}

/** Reads a decimal exponent at s[i...] ("e" already consumed); [value, end] or null. */
function readExponent(s: string, i: number): [number, number] | null {
  let neg = false;
  const c = s.charCodeAt(i);
  if (c === 43 || c === 45) {
    neg = c === 45;
    i++;
  }
  if (!isDigit(s.charCodeAt(i))) return null;
  let v = 0;
  for (; i < s.length && isDigit(s.charCodeAt(i)); i++) {
    if (v < EXP_CAP) v = v * 10 + (s.charCodeAt(i) - 48);
  }
  return [neg ? -v : v, i];
}

/** The rational digits * 10^exp10 (digits a decimal integer string) as a long double. */
function fromDecimal(neg: boolean, digits: string, exp10: number): LongDouble | null {
  let lo = 0;
  while (lo < digits.length && digits.charCodeAt(lo) === 48) lo++;
  let hi = digits.length;
  while (hi > lo && digits.charCodeAt(hi - 1) === 48) hi--;
  if (lo === hi) return neg ? NEG_ZERO : LD_ZERO;
  exp10 += digits.length - hi;
  const nd = hi - lo;
  // LDBL_MAX is 1.19e4932 and half the smallest subnormal 1.8e-4951: beyond these the input
  // overflows or underflows whatever its digits (strtold's ERANGE, which string2ld refuses).
  if (nd + exp10 - 1 >= 4933) return null;
  if (nd + exp10 <= -4951) return null;
  const d = BigInt(digits.slice(lo, hi));
  let r: LongDouble;
  if (exp10 >= 0) {
    r = round(neg, d * 10n ** BigInt(exp10), 0, false);
  } else {
    // d / 10^k = d / 5^k * 2^-k: divide with enough quotient bits (66+) for a correct rounding.
    const k = -exp10;
    const p5 = 5n ** BigInt(k);
    let s = 66 + bitLength(p5) - bitLength(d) + 1;
    if (s < 0) s = 0;
    const num = d << BigInt(s);
    const q = num / p5;
    r = round(neg, q, -k - s, q * p5 !== num);
  }
  return r.inf || r.m === 0n ? null : r;
}

/**
 * Parses `s` as Redis's string2ld does (strtold plus checks): decimal or hex ("0x1.8p3")
 * floats, "inf"/"infinity" in any case, an optional sign; no leading blanks, nothing after the
 * number, no NaN, and no result that overflows to infinity or underflows to zero. Null when
 * invalid.
 */
export function parseLongDouble(s: string): LongDouble | null {
  const n = s.length;
  if (n === 0 || n >= MAX_CHARS) return null;
  let i = 0;
  let neg = false;
  let c = s.charCodeAt(0);
  if (c === 43 || c === 45) {
    neg = c === 45;
    i = 1;
    c = s.charCodeAt(1);
  }
  if ((c | 32) === 105 /* i */) {
    const rest = s.slice(i).toLowerCase();
    if (rest === 'inf' || rest === 'infinity') return neg ? NEG_INF : LD_INF;
    return null;
  }
  if (c === 48 && (s.charCodeAt(i + 1) | 32) === 120 /* 0x */) {
    const r = parseHex(s, i + 2, neg);
    if (r !== null) return r;
    // strtold reads just the "0" when no hex digit follows; "x..." then remains: invalid.
    return null;
  }
  const intStart = i;
  while (i < n && isDigit(s.charCodeAt(i))) i++;
  const intDigits = s.slice(intStart, i);
  let fracDigits = '';
  if (i < n && s.charCodeAt(i) === 46 /* . */) {
    const fs = ++i;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
    fracDigits = s.slice(fs, i);
  }
  if (intDigits.length === 0 && fracDigits.length === 0) return null;
  let exp = 0;
  if (i < n && (s.charCodeAt(i) | 32) === 101 /* e */) {
    const r = readExponent(s, i + 1);
    if (r === null) return null;
    exp = r[0];
    i = r[1];
  }
  if (i !== n) return null;
  return fromDecimal(neg, intDigits + fracDigits, exp - fracDigits.length);
}

function parseHex(s: string, i: number, neg: boolean): LongDouble | null {
  const n = s.length;
  let digits = '';
  let fracLen = 0;
  for (; i < n && hexValue(s.charCodeAt(i)) >= 0; i++) digits += s[i];
  if (i < n && s.charCodeAt(i) === 46) {
    for (i++; i < n && hexValue(s.charCodeAt(i)) >= 0; i++) {
      digits += s[i];
      fracLen++;
    }
  }
  if (digits.length === 0) return null;
  let exp = 0;
  if (i < n && (s.charCodeAt(i) | 32) === 112 /* p */) {
    const r = readExponent(s, i + 1);
    if (r === null) return null;
    exp = r[0];
    i = r[1];
  }
  if (i !== n) return null;
  const h = BigInt('0x' + digits);
  if (h === 0n) return neg ? NEG_ZERO : LD_ZERO;
  const r = round(neg, h, exp - 4 * fracLen, false);
  return r.inf || r.m === 0n ? null : r;
}

/**
 * Formats as Redis's ld2string(LD_STR_HUMAN): "%.17Lf" (exact digits, the last one rounded
 * half to even), trailing zeros and a trailing point removed, "-0" printed as "0", and
 * infinities as "inf" / "-inf".
 */
export function formatLongDouble(x: LongDouble): string {
  if (x.inf) return x.neg ? '-inf' : 'inf';
  let scaled: bigint;
  if (x.m === 0n) {
    scaled = 0n;
  } else if (x.e >= 0) {
    scaled = (x.m << BigInt(x.e)) * FRAC_SCALE;
  } else {
    const k = BigInt(-x.e);
    const num = x.m * FRAC_SCALE;
    scaled = num >> k;
    const rem = num - (scaled << k);
    const half = 1n << (k - 1n);
    if (rem > half || (rem === half && (scaled & 1n) === 1n)) scaled += 1n;
  }
  let digits = scaled.toString();
  if (digits.length <= FRAC_DIGITS) digits = '0'.repeat(FRAC_DIGITS + 1 - digits.length) + digits;
  const intPart = digits.slice(0, digits.length - FRAC_DIGITS);
  let end = digits.length;
  while (end > intPart.length && digits.charCodeAt(end - 1) === 48) end--;
  let out = end > intPart.length ? intPart + '.' + digits.slice(intPart.length, end) : intPart;
  if (x.neg && out !== '0') out = '-' + out;
  return out;
}

/**
 * INCRBYFLOAT's arithmetic on strings: `value` (null for a missing key) plus `incr`, formatted
 * as Redis replies. 'invalid' when either is not a valid float (value first, as Redis checks),
 * 'nan-or-inf' when the sum is not finite.
 */
export function incrByFloatString(value: string | null, incr: string): string | 'invalid' | 'nan-or-inf' {
  // Small integers add exactly in a double too and print as themselves.
  const vi = value === null ? 0 : smallInt(value);
  if (vi !== null) {
    const ii = smallInt(incr);
    if (ii !== null) return String(vi + ii);
  }
  const a = value === null ? LD_ZERO : parseLongDouble(value);
  if (a === null) return 'invalid';
  const b = parseLongDouble(incr);
  if (b === null) return 'invalid';
  const sum = addLongDouble(a, b);
  if (sum === null || sum.inf) return 'nan-or-inf';
  return formatLongDouble(sum);
}

/** A canonical integer of at most 15 digits (below 2^53 in magnitude), or null. */
function smallInt(s: string): number | null {
  const n = s.length;
  if (n === 0 || n > 16) return null;
  let i = s.charCodeAt(0) === 45 ? 1 : 0;
  if (i === n || n - i > 15) return null;
  const first = s.charCodeAt(i);
  if (first === 48) return n === 1 ? 0 : null;
  let v = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return null;
    v = v * 10 + (c - 48);
  }
  return s.charCodeAt(0) === 45 ? -v : v;
}
