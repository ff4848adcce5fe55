// The arithmetic behind the GEO commands, as Redis 7.0 does it (src/geohash.c, geohash_helper.c
// and pqsort.c): a position is a 52-bit interleaved geohash (latitude on the even bits, longitude
// on the odd ones) over longitude -180..180 and latitude -85.05112878..85.05112878, stored as a
// sorted set score. Every step follows the C code operation for operation, in doubles, so the
// coordinates and distances echokv prints are the ones redis-server prints (the trigonometry is
// libm.ts's, correctly rounded as glibc's nearly always is: V8's is an ulp off often enough to
// show in STOREDIST scores).
//
// Hash bits are bigints where Redis's uint64_t arithmetic can wrap or carry past 52 bits (a
// query's nine cells); decoding a score, which a search does for every candidate, stays in two
// 32-bit halves.

import { asin, cos, sin } from './libm.ts';

const GEO_STEP_MAX = 26;
export const GEO_LAT_MIN = -85.05112878;
export const GEO_LAT_MAX = 85.05112878;
export const GEO_LONG_MIN = -180;
export const GEO_LONG_MAX = 180;

const D_R = Math.PI / 180.0;
/** Earth's quadratic mean radius for WGS-84, Redis's EARTH_RADIUS_IN_METERS. */
const EARTH_RADIUS_IN_METERS = 6372797.560856;
const MERCATOR_MAX = 20037726.37;

const MASK64 = (1n << 64n) - 1n;
const EVEN64 = 0x5555555555555555n;
const ODD64 = 0xaaaaaaaaaaaaaaaan;

/** A geohash cell: `step` bits of each coordinate. step 0 and bits 0 is Redis's "zero" (GZERO). */
export interface GeoHashBits {
  bits: bigint;
  step: number;
}

export interface GeoHashArea {
  lonMin: number;
  lonMax: number;
  latMin: number;
  latMax: number;
}

export const CIRCULAR = 1;
export const RECTANGLE = 2;

/** Redis's GeoShape: the centre, the shape in its unit, and the unit's size in meters. */
export interface GeoShape {
  type: typeof CIRCULAR | typeof RECTANGLE;
  lon: number;
  lat: number;
  conversion: number;
  radius: number;
  width: number;
  height: number;
}

/** Spreads the low 16 bits of x over the even bits of a 32-bit word. */
function spread16(x: number): number {
  x &= 0xffff;
  x = (x | (x << 8)) & 0x00ff00ff;
  x = (x | (x << 4)) & 0x0f0f0f0f;
  x = (x | (x << 2)) & 0x33333333;
  x = (x | (x << 1)) & 0x55555555;
  return x >>> 0;
}

/** The even bits of a 32-bit word packed into 16 bits. */
function compact16(x: number): number {
  x &= 0x55555555;
  x = (x | (x >>> 1)) & 0x33333333;
  x = (x | (x >>> 2)) & 0x0f0f0f0f;
  x = (x | (x >>> 4)) & 0x00ff00ff;
  x = (x | (x >>> 8)) & 0x0000ffff;
  return x;
}

/** interleave64: lat (uint32) on the even bits, lon on the odd ones. */
function interleave64(lat: number, lon: number): bigint {
  const lo = (spread16(lat) | (spread16(lon) << 1)) >>> 0;
  const hi = (spread16(lat >>> 16) | (spread16(lon >>> 16) << 1)) >>> 0;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** C's double -> uint32_t for values the callers produce (0 <= x < 2^32): truncation. */
function toU32(x: number): number {
  return Math.trunc(x) >>> 0;
}

/**
 * geohashEncode: the cell of `step` bits holding the point, or null when the point is outside
 * Redis's limits or the given ranges.
 */
function geohashEncode(lonMin: number, lonMax: number, latMin: number, latMax: number,
  lon: number, lat: number, step: number): GeoHashBits | null {
  if (step > 32 || step === 0) return null;
  if (lon > GEO_LONG_MAX || lon < GEO_LONG_MIN || lat > GEO_LAT_MAX || lat < GEO_LAT_MIN) return null;
  if (lat < latMin || lat > latMax || lon < lonMin || lon > lonMax) return null;
  let latOffset = (lat - latMin) / (latMax - latMin);
  let lonOffset = (lon - lonMin) / (lonMax - lonMin);
  latOffset *= 2 ** step;
  lonOffset *= 2 ** step;
  return { bits: interleave64(toU32(latOffset), toU32(lonOffset)), step };
}

function geohashEncodeWGS84(lon: number, lat: number, step: number): GeoHashBits | null {
  return geohashEncode(GEO_LONG_MIN, GEO_LONG_MAX, GEO_LAT_MIN, GEO_LAT_MAX, lon, lat, step);
}

/** geohashAlign52Bits: the cell's bits as the top of a 52-bit score (uint64_t shift). */
function align52(h: GeoHashBits): bigint {
  return BigInt.asUintN(64, h.bits << BigInt(52 - h.step * 2));
}

/** The sorted set score GEOADD stores for a point (the 52-bit hash, as ZADD parses it). */
export function geoScore(lon: number, lat: number): number | null {
  const h = geohashEncodeWGS84(lon, lat, GEO_STEP_MAX);
  return h === null ? null : Number(align52(h));
}

/** Decodes cell bits given as two 32-bit halves; writes lon/lat min/max into `out`. */
function decodeHalves(hi: number, lo: number, step: number, lonMin: number, lonMax: number,
  latMin: number, latMax: number, out: GeoHashArea): void {
  const ilato = ((compact16(hi) << 16) | compact16(lo)) >>> 0;
  const ilono = ((compact16(hi >>> 1) << 16) | compact16(lo >>> 1)) >>> 0;
  const latScale = latMax - latMin;
  const lonScale = lonMax - lonMin;
  const div = 2 ** step;
  out.latMin = latMin + (ilato * 1.0 / div) * latScale;
  // ilato + 1 is uint32 arithmetic in C.
  out.latMax = latMin + (((ilato + 1) >>> 0) * 1.0 / div) * latScale;
  out.lonMin = lonMin + (ilono * 1.0 / div) * lonScale;
  out.lonMax = lonMin + (((ilono + 1) >>> 0) * 1.0 / div) * lonScale;
}

/** geohashDecode over Redis's ranges; false for a zeroed cell. */
function geohashDecodeWGS84(h: GeoHashBits, out: GeoHashArea): boolean {
  if (h.bits === 0n && h.step === 0) return false;
  const hi = Number((h.bits >> 32n) & 0xffffffffn);
  const lo = Number(h.bits & 0xffffffffn);
  decodeHalves(hi, lo, h.step, GEO_LONG_MIN, GEO_LONG_MAX, GEO_LAT_MIN, GEO_LAT_MAX, out);
  return true;
}

const INDEFINITE = 0x8000000000000000n;
const TWO63 = 2 ** 63;

/**
 * (uint64_t)score as gcc compiles it on x86-64: scores GEOADD stored are exact integers; others
 * (set with ZADD) are truncated, and out-of-range ones give what cvttsd2si gives.
 */
function scoreBits(score: number): bigint {
  if (Number.isNaN(score)) return INDEFINITE;
  if (score < TWO63) {
    if (score <= -TWO63 - 1) return INDEFINITE;
    const t = Math.trunc(score);
    if (t < -TWO63) return INDEFINITE;
    return BigInt.asUintN(64, BigInt(t));
  }
  const x = score - TWO63;
  if (x >= TWO63) return 0n;
  return BigInt(Math.trunc(x)) ^ INDEFINITE;
}

const scratchArea: GeoHashArea = { lonMin: 0, lonMax: 0, latMin: 0, latMax: 0 };

/**
 * decodeGeohash: the point a score stands for (the centre of its 52-bit cell, clamped to the
 * limits), written into xy as [lon, lat]. Always succeeds, as in Redis (the step is never 0).
 */
export function decodeScore(score: number, xy: number[]): void {
  let hi: number;
  let lo: number;
  if (score >= 0 && score < 9007199254740992 && Number.isInteger(score)) {
    hi = Math.floor(score / 4294967296);
    lo = score - hi * 4294967296;
  } else {
    const b = scoreBits(score);
    hi = Number(b >> 32n);
    lo = Number(b & 0xffffffffn);
  }
  const a = scratchArea;
  decodeHalves(hi, lo, GEO_STEP_MAX, GEO_LONG_MIN, GEO_LONG_MAX, GEO_LAT_MIN, GEO_LAT_MAX, a);
  let lon = (a.lonMin + a.lonMax) / 2;
  if (lon > GEO_LONG_MAX) lon = GEO_LONG_MAX;
  if (lon < GEO_LONG_MIN) lon = GEO_LONG_MIN;
  let lat = (a.latMin + a.latMax) / 2;
  if (lat > GEO_LAT_MAX) lat = GEO_LAT_MAX;
  if (lat < GEO_LAT_MIN) lat = GEO_LAT_MIN;
  xy[0] = lon;
  xy[1] = lat;
}

const GEOALPHABET = '0123456789bcdefghjkmnpqrstuvwxyz';

/**
 * GEOHASH's string: the decoded point re-encoded over the standard latitude range -90..90
 * (Redis stores -85..85), 10 base32 characters of 5 bits, then a '0' for an 11th character
 * Redis has no bits for.
 */
export function geohashString(score: number): string {
  const xy = [0, 0];
  decodeScore(score, xy);
  const h = geohashEncode(-180, 180, -90, 90, xy[0], xy[1], 26);
  const bits = h === null ? 0n : h.bits;
  let out = '';
  for (let i = 0; i < 11; i++) {
    const idx = i === 10 ? 0 : Number((bits >> BigInt(52 - (i + 1) * 5)) & 0x1fn);
    out += GEOALPHABET[idx];
  }
  return out;
}

function degRad(ang: number): number {
  return ang * D_R;
}

function radDeg(ang: number): number {
  return ang / D_R;
}

/** geohashEstimateStepsByRadius. */
function estimateSteps(rangeMeters: number, lat: number): number {
  if (rangeMeters === 0) return 26;
  let step = 1;
  while (rangeMeters < MERCATOR_MAX) {
    rangeMeters *= 2;
    step++;
  }
  step -= 2;
  if (lat > 66 || lat < -66) {
    step--;
    if (lat > 80 || lat < -80) step--;
  }
  if (step < 1) step = 1;
  if (step > 26) step = 26;
  return step;
}

/** geohashBoundingBox: [minLon, minLat, maxLon, maxLat]. */
function boundingBox(s: GeoShape): number[] {
  const lon = s.lon;
  const lat = s.lat;
  const height = s.conversion * (s.type === CIRCULAR ? s.radius : s.height / 2);
  const width = s.conversion * (s.type === CIRCULAR ? s.radius : s.width / 2);
  const latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
  const lonDeltaTop = radDeg(width / EARTH_RADIUS_IN_METERS / cos(degRad(lat + latDelta)));
  const lonDeltaBottom = radDeg(width / EARTH_RADIUS_IN_METERS / cos(degRad(lat - latDelta)));
  const south = lat < 0;
  return [
    south ? lon - lonDeltaBottom : lon - lonDeltaTop,
    lat - latDelta,
    south ? lon + lonDeltaBottom : lon + lonDeltaTop,
    lat + latDelta,
  ];
}

function moveX(h: GeoHashBits, d: number): GeoHashBits {
  if (d === 0) return h;
  const sh = BigInt(64 - h.step * 2);
  let x = h.bits & ODD64;
  const y = h.bits & EVEN64;
  const zz = EVEN64 >> sh;
  if (d > 0) x = (x + (zz + 1n)) & MASK64;
  else {
    x = x | zz;
    x = BigInt.asUintN(64, x - (zz + 1n));
  }
  x &= ODD64 >> sh;
  return { bits: x | y, step: h.step };
}

function moveY(h: GeoHashBits, d: number): GeoHashBits {
  if (d === 0) return h;
  const sh = BigInt(64 - h.step * 2);
  const x = h.bits & ODD64;
  let y = h.bits & EVEN64;
  const zz = ODD64 >> sh;
  if (d > 0) y = (y + (zz + 1n)) & MASK64;
  else {
    y = y | zz;
    y = BigInt.asUintN(64, y - (zz + 1n));
  }
  y &= EVEN64 >> sh;
  return { bits: x | y, step: h.step };
}

const ZERO: GeoHashBits = { bits: 0n, step: 0 };

/**
 * geohashCalculateAreasByShapeWGS84: the nine cells to scan, in membersOfAllNeighbors's order
 * (centre, N, S, E, W, NE, NW, SE, SW); zeroed cells are skipped by the caller.
 */
export function areasByShape(s: GeoShape): GeoHashBits[] {
  const [minLon, minLat, maxLon, maxLat] = boundingBox(s);
  let radiusMeters = s.type === CIRCULAR ? s.radius
    : Math.sqrt((s.width / 2) * (s.width / 2) + (s.height / 2) * (s.height / 2));
  radiusMeters *= s.conversion;
  let steps = estimateSteps(radiusMeters, s.lat);
  const cells = (st: number): GeoHashBits[] => {
    const h = geohashEncodeWGS84(s.lon, s.lat, st) as GeoHashBits;
    const east = moveX(h, 1);
    const west = moveX(h, -1);
    const south = moveY(h, -1);
    const north = moveY(h, 1);
    const nw = moveY(moveX(h, -1), 1);
    const ne = moveY(moveX(h, 1), 1);
    const se = moveY(moveX(h, 1), -1);
    const sw = moveY(moveX(h, -1), -1);
    return [h, north, south, east, west, ne, nw, se, sw];
  };
  let c = cells(steps);
  const area = (h: GeoHashBits): GeoHashArea => {
    const a: GeoHashArea = { lonMin: 0, lonMax: 0, latMin: 0, latMax: 0 };
    geohashDecodeWGS84(h, a);
    return a;
  };
  let decrease = false;
  if (area(c[1]).latMax < maxLat) decrease = true;
  if (area(c[2]).latMin > minLat) decrease = true;
  if (area(c[3]).lonMax < maxLon) decrease = true;
  if (area(c[4]).lonMin > minLon) decrease = true;
  if (steps > 1 && decrease) {
    steps--;
    c = cells(steps);
  }
  if (steps >= 2) {
    const a = area(c[0]);
    // Indexes: 1 N, 2 S, 3 E, 4 W, 5 NE, 6 NW, 7 SE, 8 SW.
    if (a.latMin < minLat) c[2] = c[8] = c[7] = ZERO;
    if (a.latMax > maxLat) c[1] = c[5] = c[6] = ZERO;
    if (a.lonMin < minLon) c[4] = c[8] = c[6] = ZERO;
    if (a.lonMax > maxLon) c[3] = c[7] = c[5] = ZERO;
  }
  return c;
}

/** scoresOfGeoHashBox: the score range [min, max) of a cell's points. */
export function cellScores(h: GeoHashBits): [number, number] {
  const min = align52(h);
  const max = align52({ bits: h.bits + 1n, step: h.step });
  return [Number(min), Number(max)];
}

function latDistance(lat1d: number, lat2d: number): number {
  return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2d) - degRad(lat1d));
}

/** geohashGetDistance of two [lon, lat] points: the haversine distance in meters. */
export function geoDistance(a: readonly number[], b: readonly number[]): number {
  return haversine(a[0], a[1], b[0], b[1]);
}

/** geohashGetDistance: haversine distance in meters. */
function haversine(lon1d: number, lat1d: number, lon2d: number, lat2d: number): number {
  const lon1r = degRad(lon1d);
  const lon2r = degRad(lon2d);
  const v = sin((lon2r - lon1r) / 2);
  if (v === 0.0) return latDistance(lat1d, lat2d);
  const lat1r = degRad(lat1d);
  const lat2r = degRad(lat2d);
  const u = sin((lat2r - lat1r) / 2);
  const a = u * u + cos(lat1r) * cos(lat2r) * v * v;
  return 2.0 * EARTH_RADIUS_IN_METERS * asin(Math.sqrt(a));
}

/**
 * geoWithinShape for a decoded point: its distance from the centre when inside the shape, else
 * -1 (distances are never negative).
 */
export function distanceInShape(s: GeoShape, xy: readonly number[]): number {
  const lon = xy[0];
  const lat = xy[1];
  if (s.type === CIRCULAR) {
    const d = haversine(s.lon, s.lat, lon, lat);
    return d > s.radius * s.conversion ? -1 : d;
  }
  const widthM = s.width * s.conversion;
  const heightM = s.height * s.conversion;
  // geohashGetDistanceIfInRectangle: latitude first, it is cheaper.
  if (latDistance(lat, s.lat) > heightM / 2) return -1;
  if (haversine(lon, lat, s.lon, lat) > widthM / 2) return -1;
  return haversine(s.lon, s.lat, lon, lat);
}

/**
 * Redis's pqsort (src/pqsort.c, from NetBSD's qsort): sorts `a` only as far as needed for
 * ranks lrange..rrange (inclusive) to hold the right elements. Ported step by step because it is not stable:
 * which of several points at the same distance a GEOSEARCH ... COUNT returns depends on it.
 */
export function pqsort<T>(a: T[], cmp: (x: T, y: T) => number, range: { lrange: number; rrange: number }): void {
  pqsortRange(a, 0, a.length, cmp, range.lrange, range.rrange);
}

function swap<T>(a: T[], i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

function vecswap<T>(a: T[], i: number, j: number, n: number): void {
  for (let k = 0; k < n; k++) swap(a, i + k, j + k);
}

function med3<T>(a: T[], i: number, j: number, k: number, cmp: (x: T, y: T) => number): number {
  return cmp(a[i], a[j]) < 0
    ? (cmp(a[j], a[k]) < 0 ? j : (cmp(a[i], a[k]) < 0 ? k : i))
    : (cmp(a[j], a[k]) > 0 ? j : (cmp(a[i], a[k]) < 0 ? i : k));
}

function pqsortRange<T>(arr: T[], base: number, n: number, cmp: (x: T, y: T) => number, L: number, R: number): void {
  for (;;) {
    if (n < 7) {
      for (let pm = base + 1; pm < base + n; pm++) {
        for (let pl = pm; pl > base && cmp(arr[pl - 1], arr[pl]) > 0; pl--) swap(arr, pl, pl - 1);
      }
      return;
    }
    let pm = base + Math.floor(n / 2);
    if (n > 7) {
      let pl = base;
      let pn = base + n - 1;
      if (n > 40) {
        const d = Math.floor(n / 8);
        pl = med3(arr, pl, pl + d, pl + 2 * d, cmp);
        pm = med3(arr, pm - d, pm, pm + d, cmp);
        pn = med3(arr, pn - 2 * d, pn - d, pn, cmp);
      }
      pm = med3(arr, pl, pm, pn, cmp);
    }
    swap(arr, base, pm);
    let pa = base + 1;
    let pb = pa;
    let pc = base + n - 1;
    let pd = pc;
    for (;;) {
      let r: number;
      while (pb <= pc && (r = cmp(arr[pb], arr[base])) <= 0) {
        if (r === 0) {
          swap(arr, pa, pb);
          pa++;
        }
        pb++;
      }
      while (pb <= pc && (r = cmp(arr[pc], arr[base])) >= 0) {
        if (r === 0) {
          swap(arr, pc, pd);
          pd--;
        }
        pc--;
      }
      if (pb > pc) break;
      swap(arr, pb, pc);
      pb++;
      pc--;
    }
    const pn = base + n;
    let r = Math.min(pa - base, pb - pa);
    vecswap(arr, base, pb - r, r);
    r = Math.min(pd - pc, pn - pd - 1);
    vecswap(arr, pb, pn - r, r);
    // The C code skips a part when both range ends lie on the same side of it.
    const outside = (s: number, cnt: number): boolean => (L < s && R < s) || (L >= s + cnt && R >= s + cnt);
    if ((r = pb - pa) > 1) {
      if (!outside(base, r)) pqsortRange(arr, base, r, cmp, L, R);
    }
    if ((r = pd - pc) > 1) {
      base = pn - r;
      n = r;
      if (!outside(base, n)) continue;
    }
    return;
  }
}
