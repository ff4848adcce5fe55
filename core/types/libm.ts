// sin, cos and asin correctly rounded, as glibc's nearly always are, for the GEO distances. V8's
// Math.sin/cos/asin come from fdlibm and are only within an ulp: about 3% of sines and cosines
// and 0.3% of arcsines differ from glibc's in the last bit, which GEOSEARCHSTORE ... STOREDIST
// shows (a score is printed with 17 digits). glibc rounds these correctly but for about 0.2% of
// arguments, so the functions here round correctly: they agree with redis-server wherever glibc
// itself is right, ten times as often as V8.
//
// The fast path (Tang's table method) computes sin(a + h) = sin a cos h + cos a sin h from a
// table of sin a and cos a in double-double, to about 2^-66, and keeps the result only when that
// is enough to know the rounding (Ziv's test); else a Taylor series in double-double (about
// 2^-100) decides. A search computes a few of these per candidate point, so the fast path
// matters: it costs a few times V8's Math.sin.
//
// The double-double helpers leave their result in R[0] + R[1] rather than allocate a pair per
// step (a typed array: module-level variables cost twice the time).

const R = new Float64Array(2);

const SPLITTER = 134217729; // 2^27 + 1, Veltkamp's split of a double into two 26-bit halves

/** R[0] + R[1] = a * b exactly (Dekker's product, no FMA in JavaScript). */
function twoProd(a: number, b: number): void {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  R[0] = p;
  R[1] = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

/** R[0] + R[1] = (ah + al) * (bh + bl), normalised. */
function ddMul(ah: number, al: number, bh: number, bl: number): void {
  twoProd(ah, bh);
  const e = R[1] + (ah * bl + al * bh);
  const s = R[0] + e;
  R[1] = e - (s - R[0]);
  R[0] = s;
}

/** R[0] + R[1] = (ah + al) + (bh + bl), normalised. */
function ddAdd(ah: number, al: number, bh: number, bl: number): void {
  const s = ah + bh;
  const v = s - ah;
  const e = (ah - (s - v)) + (bh - v) + al + bl;
  const h = s + e;
  R[1] = e - (h - s);
  R[0] = h;
}

/** 1/n! as a double-double, [hi, lo]: n! is exact in a double up to 22!. */
function invFactorial(n: number): [number, number] {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  const hi = 1 / f;
  twoProd(hi, f);
  return [hi, ((1 - R[0]) - R[1]) / f];
}

// Taylor coefficients: SIN_C[k] = (-1)^k / (2k+1)!, COS_C[k] = (-1)^k / (2k)!. The first few
// are used as double-doubles, the tiny rest in plain doubles (their rounding is below 2^-78).
const SIN_DD = 4;
const COS_DD = 4;
// Stored flat: hi of term k at 2k, lo at 2k + 1.
const TERMS = 14;
const SIN_C = new Float64Array(2 * TERMS);
const COS_C = new Float64Array(2 * TERMS);
for (let k = 0; k < TERMS; k++) {
  const sign = k % 2 ? -1 : 1;
  const s = invFactorial(2 * k + 1);
  const c = invFactorial(2 * k);
  SIN_C[2 * k] = sign * s[0];
  SIN_C[2 * k + 1] = sign * s[1];
  COS_C[2 * k] = sign * c[0];
  COS_C[2 * k + 1] = sign * c[1];
}

// pi/2 in three doubles, for an argument reduction exact enough for |x| up to REDUCE_MAX.
const PIO2_1 = 1.5707963267948966;
const PIO2_2 = 6.123233995736766e-17;
const PIO2_3 = -1.4973849048591698e-33;
const REDUCE_MAX = 1e6;

/** R[0] + R[1] = the Taylor series `coef` at r = rh + rl: sum of coef[k] * r^(2k) (times r if odd). */
function series(rh: number, rl: number, coef: Float64Array, ddTerms: number, odd: boolean): void {
  ddMul(rh, rl, rh, rl);
  const sh = R[0];
  const sl = R[1];
  let t = coef[2 * (TERMS - 1)];
  for (let k = TERMS - 2; k >= ddTerms; k--) t = coef[2 * k] + sh * t;
  let th = t;
  let tl = 0;
  for (let k = ddTerms - 1; k >= 0; k--) {
    ddMul(sh, sl, th, tl);
    ddAdd(coef[2 * k], coef[2 * k + 1], R[0], R[1]);
    th = R[0];
    tl = R[1];
  }
  if (odd) ddMul(rh, rl, th, tl);
}

/**
 * R[0] + R[1] = r = x - k*pi/2 for |x| <= REDUCE_MAX, k = round(x / (pi/2)) returned, so that
 * |r| <= pi/4 (a hair more).
 */
function reduce(x: number): number {
  const k = Math.round(x / PIO2_1);
  if (k === 0) {
    R[0] = x;
    R[1] = 0;
    return 0;
  }
  twoProd(k, PIO2_1);
  ddAdd(x, 0, -R[0], -R[1]);
  const rh = R[0];
  const rl = R[1];
  twoProd(k, PIO2_2);
  ddAdd(rh, rl, -R[0], -R[1] - k * PIO2_3);
  return k;
}

/** R[0] + R[1] = sin (which 0) or cos (which 1) of x, |x| <= REDUCE_MAX, to about 2^-100. */
function sinCosSlow(x: number, which: 0 | 1): void {
  const k = reduce(x);
  const q = ((k % 4) + 4 + which) % 4;
  if (q === 0 || q === 2) series(R[0], R[1], SIN_C, SIN_DD, true);
  else series(R[0], R[1], COS_C, COS_DD, false);
  if (q >= 2) {
    R[0] = -R[0];
    R[1] = -R[1];
  }
}

// The table: sin and cos of a = i/64, i = 0..TABLE_N-1, as double-doubles from the series.
const TABLE_N = 53;
const SIN_T = new Float64Array(2 * TABLE_N);
const COS_T = new Float64Array(2 * TABLE_N);
for (let i = 0; i < TABLE_N; i++) {
  series(i / 64, 0, SIN_C, SIN_DD, true);
  SIN_T[2 * i] = R[0];
  SIN_T[2 * i + 1] = R[1];
  series(i / 64, 0, COS_C, COS_DD, false);
  COS_T[2 * i] = R[0];
  COS_T[2 * i + 1] = R[1];
}

/** The fast path's error bound, relative to the result (its own error is about 2^-66). */
const FAST_ERR = 2 ** -62;

/**
 * sin (which 0) or cos (which 1) of x, |x| <= REDUCE_MAX, by the table method: R[0] + R[1] is
 * the value to within FAST_ERR * |R[0]|, R[0] its rounding; returns whether that error is small
 * enough for R[0] to be the correctly rounded result (Ziv's test).
 */
function sinCosFast(x: number, which: 0 | 1): boolean {
  const k = reduce(x);
  const q = ((k % 4) + 4 + which) % 4;
  // sin(-r) = -sin r, cos(-r) = cos r: work with |r|.
  let rh = R[0];
  let rl = R[1];
  let neg = q >= 2;
  if (rh < 0) {
    rh = -rh;
    rl = -rl;
    if (q === 0 || q === 2) neg = !neg;
  }
  const i = Math.round(rh * 64);
  // h = r - a is exact in its high part: rh < 1 and |h| <= 1/128 share their low bits.
  const hh = rh - i / 64;
  const hl = rl;
  // sin h = h + h*c, cos h = 1 + d (d's leading -h^2/2 exact, from twoProd).
  const h2 = hh * hh;
  const c = h2 * (-1 / 6 + h2 * (1 / 120 - h2 / 5040));
  twoProd(hh, hh);
  const dh = -0.5 * R[0];
  const dl = -0.5 * R[1] - hh * hl + h2 * h2 * (1 / 24 - h2 / 720);
  const sh = SIN_T[2 * i];
  const sl = SIN_T[2 * i + 1];
  const ch = COS_T[2 * i];
  const cl = COS_T[2 * i + 1];
  let mh: number;
  let ml: number;
  let eh: number;
  let el: number;
  if (q === 0 || q === 2) {
    // sin(a + h) = sin a + sin a * d + cos a * (h + h*c)
    mh = sh;
    ml = sl + sh * (dh + dl);
    eh = ch;
    el = ch * hl + cl * hh + ch * (hh * c);
  } else {
    // cos(a + h) = cos a + cos a * d - sin a * (h + h*c)
    mh = ch;
    ml = cl + ch * (dh + dl);
    eh = -sh;
    el = -(sh * hl + sl * hh + sh * (hh * c));
  }
  twoProd(eh, hh);
  const p = R[0];
  const pe = R[1];
  const y0 = mh + p;
  const v = y0 - mh;
  const tail = ((mh - (y0 - v)) + (p - v)) + (pe + ml + el);
  const y = y0 + tail;
  const rho = tail - (y - y0);
  R[0] = neg ? -y : y;
  R[1] = neg ? -rho : rho;
  return roundsTo(y, rho, Math.abs(y) * FAST_ERR);
}

/** Whether every value within `err` of y + rho (|rho| <= ulp(y)/2) rounds to y. */
function roundsTo(y: number, rho: number, err: number): boolean {
  return y + (rho + err) === y && y + (rho - err) === y;
}

/** sin (which 0) or cos (which 1) of x, |x| <= REDUCE_MAX, correctly rounded. */
function sinCos(x: number, which: 0 | 1): number {
  if (sinCosFast(x, which)) return R[0];
  sinCosSlow(x, which);
  return R[0] + R[1];
}

/** glibc's sin(x). */
export function sin(x: number): number {
  // sin(x) rounds to x below 2^-27 (and keeps -0); NaN, the infinities and huge arguments
  // (never a GEO distance) go to V8.
  if (Math.abs(x) < 2 ** -27 || !(Math.abs(x) <= REDUCE_MAX)) return Math.sin(x);
  return sinCos(x, 0);
}

/** glibc's cos(x). */
export function cos(x: number): number {
  if (Math.abs(x) < 2 ** -27 || !(Math.abs(x) <= REDUCE_MAX)) return Math.cos(x);
  return sinCos(x, 1);
}

/**
 * glibc's asin(x): V8's value y0 refined by one Newton step on sin(y) = x, y0 - (sin y0 - x) /
 * cos y0, with sin y0 in double-double (the residual is what matters); the series decides when
 * the table's error could change the rounding.
 */
export function asin(x: number): number {
  const y0 = Math.asin(x);
  // asin(+-1) is +-pi/2 rounded in both libraries; the step would divide by cos(y0) ~ 0. Below
  // 2^-27 asin(x) rounds to x.
  if (Math.abs(x) < 2 ** -27 || !(Math.abs(x) < 1)) return y0;
  // cos y0 = sqrt(1 - x^2) to far more bits than the step needs.
  const cy = Math.sqrt((1 - x) * (1 + x));
  sinCosFast(y0, 0);
  // sin(y0) - x: R[0] - x is exact (Sterbenz), the residual is tiny next to x.
  let f = (R[0] - x) + R[1];
  let d = -f / cy;
  let z = y0 + d;
  // The error: the sine's, over cos y0; the step's own, about tan(y) * d^2; rounding in d.
  const err = (Math.abs(x) * FAST_ERR + Math.abs(d) * (2 ** -50 + Math.abs(x * d))) / cy;
  if (roundsTo(z, d - (z - y0), err)) return z;
  sinCosSlow(y0, 0);
  f = (R[0] - x) + R[1];
  d = -f / cy;
  z = y0 + d;
  return z;
}
