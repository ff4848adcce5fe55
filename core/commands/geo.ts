// Geospatial commands: https://redis.io/commands/?group=geo
//
// Behaviour follows Redis 7.0's src/geo.c. A geo set is a sorted set whose scores are 52-bit
// geohashes (core/types/geohash.ts holds the arithmetic), so GEOADD is ZADD with computed scores:
// it runs ZADD's handler on the rewritten arguments and propagates that ZADD, as Redis does
// (replaceClientCommandVector), with ZADD's "zadd" event. The searches (GEORADIUS* and
// GEOSEARCH*) are georadiusGeneric: the same argument loop (so the same error wins), the same
// nine-cell scan in the same order, the same sorts (qsort when all results are returned, which
// glibc makes a stable merge sort, and Redis's pqsort when COUNT cuts them), and the same replies.
import type { CommandSpec } from '../command.ts';
import type { Client } from '../client.ts';
import { ERR } from '../errors.ts';
import type { Database } from '../keyspace.ts';
import { formatLongDouble, LongDouble } from '../long_double.ts';
import { parseInteger } from '../numbers.ts';
import { compareKey } from '../types/score_index.ts';
import {
  areasByShape, cellScores, CIRCULAR, decodeScore, distanceInShape, GEO_LAT_MAX, GEO_LAT_MIN,
  GEO_LONG_MAX, GEO_LONG_MIN, geoDistance, geohashString, geoScore, type GeoShape, pqsort, RECTANGLE,
} from '../types/geohash.ts';
import { ZSet } from '../types/zset.ts';
import { parseScore } from './sorted_set.ts';
import { optIs } from '../bytes.ts';

// Error texts of src/geo.c (kept here with the only commands that use them).
const GEO_ERR = {
  decodeMember: 'ERR could not decode requested zset member',
  unit: 'ERR unsupported unit provided. please use M, KM, FT, MI',
  radius: 'ERR need numeric radius',
  radiusNegative: 'ERR radius cannot be negative',
  width: 'ERR need numeric width',
  height: 'ERR need numeric height',
  boxNegative: 'ERR height or width cannot be negative',
  countPositive: 'ERR COUNT must be > 0',
  anyNeedsCount: 'ERR the ANY argument requires COUNT argument',
} as const;

const SEARCH_COMPLEXITY = 'O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.';
const GEOSEARCH_COMPLEXITY = 'O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape';
const UNIT = 'unit=<M | KM | FT | MI>';
// Redis's JSON dates ANY (6.2.0) in GEORADIUS and GEORADIUS_RO, not in the BYMEMBER variants.
const RADIUS_OPTS = (anySince: string): string =>
  `[WITHCOORD] [WITHDIST] [WITHHASH] count=[{COUNT count [ANY]${anySince}}] order=[ASC | DESC]`;
const SEARCH_ARGS = 'from=<FROMMEMBER member | FROMLONLAT longitude latitude> ' +
  `by=<circle={BYRADIUS radius ${UNIT}} | box={BYBOX width height ${UNIT}}> order=[ASC | DESC] count=[{COUNT count [ANY]}]`;
const STORE_SPECS = (from: number) => [
  { flags: ['RO', 'ACCESS'] as const, begin: 1, find: { range: [0, 1, 0] as const } },
  { flags: ['OW', 'UPDATE'] as const, begin: { keyword: 'STORE', startFrom: from }, find: { range: [0, 1, 0] as const } },
  { flags: ['OW', 'UPDATE'] as const, begin: { keyword: 'STOREDIST', startFrom: from }, find: { range: [0, 1, 0] as const } },
];

export const commands: CommandSpec[] = [
  {
    name: 'geoadd', arity: -5, flags: ['write', 'denyoom'], categories: ['geo'], keys: [1, 1, 1],
    keyFlags: ['RW', 'UPDATE'],
    summary: 'Add one or more geospatial items in the geospatial index represented using a sorted set',
    since: '3.2.0', group: 'geo',
    complexity: 'O(log(N)) for each item added, where N is the number of elements in the sorted set.',
    args: 'key condition=[NX | XX]@6.2.0 change=[CH]@6.2.0 longitude latitude member [longitude latitude member ...]',
    history: [['6.2.0', 'Added the `CH`, `NX` and `XX` options.']], handler: geoadd,
  },
  {
    name: 'geodist', arity: -4, flags: ['readonly'], categories: ['geo'], keys: [1, 1, 1],
    summary: 'Returns the distance between two members of a geospatial index', since: '3.2.0', group: 'geo',
    complexity: 'O(log(N))', args: 'key member1 member2 unit=[M | KM | FT | MI]', handler: geodist,
  },
  {
    name: 'geohash', arity: -2, flags: ['readonly'], categories: ['geo'], keys: [1, 1, 1],
    summary: 'Returns members of a geospatial index as standard geohash strings', since: '3.2.0', group: 'geo',
    complexity: 'O(log(N)) for each member requested, where N is the number of elements in the sorted set.',
    args: 'key member [member ...]', handler: geohash,
  },
  {
    name: 'geopos', arity: -2, flags: ['readonly'], categories: ['geo'], keys: [1, 1, 1],
    summary: 'Returns longitude and latitude of members of a geospatial index', since: '3.2.0', group: 'geo',
    complexity: 'O(N) where N is the number of members requested.', args: 'key member [member ...]', handler: geopos,
  },
  {
    name: 'georadius', arity: -6, flags: ['write', 'denyoom'], categories: ['geo'], keys: [1, 1, 1],
    keySpecs: STORE_SPECS(6), getKeys: georadiusGetKeys,
    summary: 'Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a point',
    since: '3.2.0', group: 'geo', complexity: SEARCH_COMPLEXITY,
    args: `key longitude latitude radius ${UNIT} ${RADIUS_OPTS('@6.2.0')} [STORE key] [STOREDIST key]`,
    history: [['6.2.0', 'Added the `ANY` option for `COUNT`.'], ['7.0.0', 'Added support for uppercase unit names.']],
    docFlags: ['deprecated'], deprecatedSince: '6.2.0',
    replacedBy: '`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` argument', handler: georadius,
  },
  {
    name: 'georadius_ro', arity: -6, flags: ['readonly'], categories: ['geo'], keys: [1, 1, 1],
    summary: 'A read-only variant for GEORADIUS', since: '3.2.10', group: 'geo', complexity: SEARCH_COMPLEXITY,
    args: `key longitude latitude radius ${UNIT} ${RADIUS_OPTS('@6.2.0')}`,
    history: [['6.2.0', 'Added the `ANY` option for `COUNT`.']], docFlags: ['deprecated'], deprecatedSince: '6.2.0',
    replacedBy: '`GEOSEARCH` with the `BYRADIUS` argument', handler: georadiusRo,
  },
  {
    name: 'georadiusbymember', arity: -5, flags: ['write', 'denyoom'], categories: ['geo'], keys: [1, 1, 1],
    keySpecs: STORE_SPECS(5), getKeys: georadiusGetKeys,
    summary: 'Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a member',
    since: '3.2.0', group: 'geo', complexity: SEARCH_COMPLEXITY,
    args: `key member radius ${UNIT} ${RADIUS_OPTS('')} [STORE key] [STOREDIST key]`,
    history: [['7.0.0', 'Added support for uppercase unit names.']], docFlags: ['deprecated'], deprecatedSince: '6.2.0',
    replacedBy: '`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` and `FROMMEMBER` arguments',
    handler: georadiusbymember,
  },
  {
    name: 'georadiusbymember_ro', arity: -5, flags: ['readonly'], categories: ['geo'], keys: [1, 1, 1],
    summary: 'A read-only variant for GEORADIUSBYMEMBER', since: '3.2.10', group: 'geo', complexity: SEARCH_COMPLEXITY,
    args: `key member radius ${UNIT} ${RADIUS_OPTS('')}`, docFlags: ['deprecated'], deprecatedSince: '6.2.0',
    replacedBy: '`GEOSEARCH` with the `BYRADIUS` and `FROMMEMBER` arguments', handler: georadiusbymemberRo,
  },
  {
    name: 'geosearch', arity: -7, flags: ['readonly'], categories: ['geo'], keys: [1, 1, 1],
    summary: 'Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle.',
    since: '6.2.0', group: 'geo', complexity: GEOSEARCH_COMPLEXITY,
    args: `key ${SEARCH_ARGS} [WITHCOORD] [WITHDIST] [WITHHASH]`,
    history: [['7.0.0', 'Added support for uppercase unit names.']], handler: geosearch,
  },
  {
    name: 'geosearchstore', arity: -8, flags: ['write', 'denyoom'], categories: ['geo'], keys: [1, 2, 1],
    keySpecs: [
      { flags: ['OW', 'UPDATE'], begin: 1, find: { range: [0, 1, 0] } },
      { flags: ['RO', 'ACCESS'], begin: 2, find: { range: [0, 1, 0] } },
    ],
    summary: 'Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle, and store the result in another key.',
    since: '6.2.0', group: 'geo', complexity: GEOSEARCH_COMPLEXITY,
    args: `destination source ${SEARCH_ARGS} [STOREDIST]`,
    history: [['7.0.0', 'Added support for uppercase unit names.']], handler: geosearchstore,
  },
];

/** georadiusGetKeys (src/db.c): the key, and the last STORE/STOREDIST argument from argv[5] on. */
function georadiusGetKeys(argv: readonly string[]): number[] {
  let stored = -1;
  for (let i = 5; i < argv.length; i++) {
    if ((optIs(argv[i], 'store') || optIs(argv[i], 'storedist')) && i + 1 < argv.length) {
      stored = i + 1;
      i++;
    }
  }
  return stored === -1 ? [1] : [1, stored];
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** The sorted set at `key` for reading: undefined when absent, null after WRONGTYPE. */
function lookupZSet(c: Client, key: string): ZSet | undefined | null {
  const e = c.db.lookupRead(key);
  if (e === undefined) return undefined;
  if (e.value instanceof ZSet) return e.value;
  c.server.replyError(c, ERR.wrongType);
  return null;
}

/** getDoubleFromObjectOrReply: null after replying `msg` (Redis's default text without one). */
function doubleArg(c: Client, s: string, msg: string = ERR.notFloat): number | null {
  const v = parseScore(s);
  if (v === null) c.server.replyError(c, msg);
  return v;
}

/** The exact value of a finite double as m * 2^e (m a bigint). */
function exactParts(d: number): [boolean, bigint, number] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, d);
  const neg = (view.getUint8(0) & 0x80) !== 0;
  const exp = (view.getUint16(0) >> 4) & 0x7ff;
  const mant = (BigInt(view.getUint32(0) & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  if (exp === 0) return [neg, mant, -1074];
  return [neg, mant | (1n << 52n), exp - 1075];
}

/** printf("%f"): six decimals of the exact value, rounded half to even, sign kept for -0. */
function printfF(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (Number.isNaN(d)) return 'nan';
  const [neg, m, e] = exactParts(d);
  let scaled: bigint;
  if (e >= 0) scaled = (m << BigInt(e)) * 1000000n;
  else {
    const k = BigInt(-e);
    const num = m * 1000000n;
    scaled = num >> k;
    const rem = num - (scaled << k);
    const half = 1n << (k - 1n);
    if (rem > half || (rem === half && (scaled & 1n) === 1n)) scaled += 1n;
  }
  let digits = scaled.toString().padStart(7, '0');
  digits = digits.slice(0, -6) + '.' + digits.slice(-6);
  return neg ? '-' + digits : digits;
}

/** addReplyHumanLongDouble of a double: "%.17Lf" trimmed, a bulk string (RESP2) or a double (RESP3). */
function replyCoord(c: Client, d: number): void {
  const [neg, m, e] = exactParts(d);
  const s = formatLongDouble(new LongDouble(neg, m, e));
  if (c.out.proto === 3) c.out.raw(',' + s + '\r\n');
  else c.out.bulk(s);
}

/** addReplyDoubleDistance: fixedpoint_d2string(d, 4), i.e. llrint(d * 10000) as digits. */
function replyDistance(c: Client, d: number): void {
  c.out.bulk(formatDistance(d));
}

function formatDistance(d: number): string {
  if (d === 0) return '0.0000';
  const x = d * 10000;
  // llrint of a value a long long cannot hold gives LLONG_MIN (unreachable with real positions).
  if (!(Math.abs(x) < 2 ** 63)) return '-922337203685477.5808';
  // llrint in the default rounding mode: to nearest, ties to even.
  let r = Math.round(x);
  if (r - x === 0.5 && r % 2 !== 0) r -= 1;
  const neg = r < 0;
  const digits = BigInt(Math.abs(r)).toString().padStart(5, '0');
  return (neg ? '-' : '') + digits.slice(0, -4) + '.' + digits.slice(-4);
}

/** extractLongLatOrReply: [lon, lat] from argv[at], argv[at+1], or null after the error. */
function lonLatArg(c: Client, argv: string[], at: number): [number, number] | null {
  const lon = doubleArg(c, argv[at]);
  if (lon === null) return null;
  const lat = doubleArg(c, argv[at + 1]);
  if (lat === null) return null;
  if (lon < GEO_LONG_MIN || lon > GEO_LONG_MAX || lat < GEO_LAT_MIN || lat > GEO_LAT_MAX) {
    c.server.replyError(c, `ERR invalid longitude,latitude pair ${printfF(lon)},${printfF(lat)}`);
    return null;
  }
  return [lon, lat];
}

/** extractUnitOrReply: meters per unit, or -1 after the error. */
function unitArg(c: Client, u: string): number {
  if (optIs(u, 'm')) return 1;
  if (optIs(u, 'km')) return 1000;
  if (optIs(u, 'ft')) return 0.3048;
  if (optIs(u, 'mi')) return 1609.34;
  c.server.replyError(c, GEO_ERR.unit);
  return -1;
}

/** extractDistanceOrReply into the shape; false after an error. */
function distanceArg(c: Client, argv: string[], at: number, shape: GeoShape): boolean {
  const d = doubleArg(c, argv[at], GEO_ERR.radius);
  if (d === null) return false;
  if (d < 0) {
    c.server.replyError(c, GEO_ERR.radiusNegative);
    return false;
  }
  shape.radius = d;
  const conv = unitArg(c, argv[at + 1]);
  if (conv < 0) return false;
  shape.conversion = conv;
  return true;
}

/** extractBoxOrReply into the shape; false after an error. */
function boxArg(c: Client, argv: string[], at: number, shape: GeoShape): boolean {
  const w = doubleArg(c, argv[at], GEO_ERR.width);
  if (w === null) return false;
  const h = doubleArg(c, argv[at + 1], GEO_ERR.height);
  if (h === null) return false;
  if (h < 0 || w < 0) {
    c.server.replyError(c, GEO_ERR.boxNegative);
    return false;
  }
  shape.height = h;
  shape.width = w;
  const conv = unitArg(c, argv[at + 2]);
  if (conv < 0) return false;
  shape.conversion = conv;
  return true;
}

/** longLatFromMember: the decoded position of a member, or null when it is not in the set. */
function memberPos(z: ZSet, member: string): [number, number] | null {
  const score = z.score(member);
  if (score === undefined) return null;
  const xy = [0, 0];
  decodeScore(score, xy);
  return [xy[0], xy[1]];
}

interface GeoPoint {
  lon: number;
  lat: number;
  dist: number;
  score: number;
  member: string;
}

function sortAsc(a: GeoPoint, b: GeoPoint): number {
  return a.dist > b.dist ? 1 : a.dist === b.dist ? 0 : -1;
}

function sortDesc(a: GeoPoint, b: GeoPoint): number {
  return -sortAsc(a, b);
}

/**
 * membersOfAllNeighbors: the points of the nine cells inside the shape, cell by cell in score
 * order, skipping zeroed cells and a cell equal to the last one scanned; stops at `limit` (ANY).
 */
function pointsInShape(z: ZSet, shape: GeoShape, limit: number): GeoPoint[] {
  const cells = areasByShape(shape);
  const out: GeoPoint[] = [];
  const idx = z.index;
  const xy = [0, 0];
  let last = 0;
  for (let i = 0; i < cells.length; i++) {
    const h = cells[i];
    if (h.bits === 0n && h.step === 0) continue;
    if (last !== 0 && h.bits === cells[last].bits && h.step === cells[last].step) continue;
    if (out.length > 0 && limit > 0 && out.length >= limit) break;
    const [min, max] = cellScores(h);
    // min <= score < max, in the set's order.
    const first = idx.firstScoreRank(min, false);
    if (first < idx.size) {
      idx.each(first, idx.size - 1, (score, member) => {
        if (!(score < max)) return false;
        decodeScore(score, xy);
        const d = distanceInShape(shape, xy);
        if (d >= 0) out.push({ lon: xy[0], lat: xy[1], dist: d, score, member });
        if (out.length > 0 && limit > 0 && out.length >= limit) return false;
        return true;
      });
    }
    last = i;
  }
  return out;
}

function notifyDel(db: Database, key: string): void {
  db.ks.hooks.notify('g', 'del', key, db);
}

// ---------------------------------------------------------------------------------------------
// Handlers

// GEOADD
function geoadd(c: Client, argv: string[]): void {
  let xx = false;
  let nx = false;
  let longidx = 2;
  while (longidx < argv.length) {
    const opt = argv[longidx];
    if (optIs(opt, 'nx')) nx = true;
    else if (optIs(opt, 'xx')) xx = true;
    else if (!optIs(opt, 'ch')) break;
    longidx++;
  }
  if ((argv.length - longidx) % 3 !== 0 || (xx && nx)) {
    c.server.replyError(c, ERR.syntax);
    return;
  }
  const elements = (argv.length - longidx) / 3;
  // ZADD key [options] score member ...: the options as given, then each position's score.
  const zargv = ['zadd'];
  for (let i = 1; i < longidx; i++) zargv.push(argv[i]);
  for (let i = 0; i < elements; i++) {
    const xy = lonLatArg(c, argv, longidx + i * 3);
    if (xy === null) return;
    const score = geoScore(xy[0], xy[1]) as number;
    zargv.push(String(score), argv[longidx + i * 3 + 2]);
  }
  c.server.propagateAs = [zargv];
  c.server.commands.original('zadd')!.handler!(c, zargv);
}

// GEODIST
function geodist(c: Client, argv: string[]): void {
  let toMeter = 1;
  if (argv.length === 5) {
    toMeter = unitArg(c, argv[4]);
    if (toMeter < 0) return;
  } else if (argv.length > 5) {
    c.server.replyError(c, ERR.syntax);
    return;
  }
  const z = lookupZSet(c, argv[1]);
  if (z === null) return;
  if (z === undefined) {
    c.out.nil();
    return;
  }
  const s1 = z.score(argv[2]);
  const s2 = s1 === undefined ? undefined : z.score(argv[3]);
  if (s1 === undefined || s2 === undefined) {
    c.out.nil();
    return;
  }
  const a = [0, 0];
  const b = [0, 0];
  decodeScore(s1, a);
  decodeScore(s2, b);
  replyDistance(c, geoDistance(a, b) / toMeter);
}

// GEOHASH
function geohash(c: Client, argv: string[]): void {
  const z = lookupZSet(c, argv[1]);
  if (z === null) return;
  const out = c.out;
  out.array(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const score = z === undefined ? undefined : z.score(argv[j]);
    if (score === undefined) out.nil();
    else out.bulk(geohashString(score));
  }
}

// GEOPOS
function geopos(c: Client, argv: string[]): void {
  const z = lookupZSet(c, argv[1]);
  if (z === null) return;
  const out = c.out;
  out.array(argv.length - 2);
  const xy = [0, 0];
  for (let j = 2; j < argv.length; j++) {
    const score = z === undefined ? undefined : z.score(argv[j]);
    if (score === undefined) {
      out.nilArray();
      continue;
    }
    decodeScore(score, xy);
    out.array(2);
    replyCoord(c, xy[0]);
    replyCoord(c, xy[1]);
  }
}

// GEORADIUS
function georadius(c: Client, argv: string[]): void {
  georadiusGeneric(c, argv, 1, RADIUS_COORDS);
}

// GEORADIUS_RO
function georadiusRo(c: Client, argv: string[]): void {
  georadiusGeneric(c, argv, 1, RADIUS_COORDS | RADIUS_NOSTORE);
}

// GEORADIUSBYMEMBER
function georadiusbymember(c: Client, argv: string[]): void {
  georadiusGeneric(c, argv, 1, RADIUS_MEMBER);
}

// GEORADIUSBYMEMBER_RO
function georadiusbymemberRo(c: Client, argv: string[]): void {
  georadiusGeneric(c, argv, 1, RADIUS_MEMBER | RADIUS_NOSTORE);
}

// GEOSEARCH
function geosearch(c: Client, argv: string[]): void {
  georadiusGeneric(c, argv, 1, GEOSEARCH);
}

// GEOSEARCHSTORE
function geosearchstore(c: Client, argv: string[]): void {
  georadiusGeneric(c, argv, 2, GEOSEARCH | GEOSEARCHSTORE);
}

const RADIUS_COORDS = 1;
const RADIUS_MEMBER = 2;
const RADIUS_NOSTORE = 4;
const GEOSEARCH = 8;
const GEOSEARCHSTORE = 16;

const SORT_NONE = 0;
const SORT_ASC = 1;
const SORT_DESC = 2;

/** georadiusGeneric: every search command, told apart by `flags`. */
function georadiusGeneric(c: Client, argv: string[], srcKeyIndex: number, flags: number): void {
  const server = c.server;
  let storekey: string | null = null;
  let storedist = false;
  const zobj = lookupZSet(c, argv[srcKeyIndex]);
  if (zobj === null) return;
  const shape: GeoShape = { type: CIRCULAR, lon: 0, lat: 0, conversion: 0, radius: 0, width: 0, height: 0 };
  let baseArgs: number;
  if (flags & RADIUS_COORDS) {
    baseArgs = 6;
    const xy = lonLatArg(c, argv, 2);
    if (xy === null) return;
    shape.lon = xy[0];
    shape.lat = xy[1];
    if (!distanceArg(c, argv, baseArgs - 2, shape)) return;
  } else if ((flags & RADIUS_MEMBER) && zobj === undefined) {
    // No source key: the options are still parsed, to know which reply to give.
    baseArgs = 5;
  } else if (flags & RADIUS_MEMBER) {
    baseArgs = 5;
    const xy = memberPos(zobj as ZSet, argv[2]);
    if (xy === null) {
      server.replyError(c, GEO_ERR.decodeMember);
      return;
    }
    shape.lon = xy[0];
    shape.lat = xy[1];
    if (!distanceArg(c, argv, baseArgs - 2, shape)) return;
  } else {
    baseArgs = 2;
    if (flags & GEOSEARCHSTORE) {
      baseArgs = 3;
      storekey = argv[1];
    }
  }

  let withdist = false;
  let withhash = false;
  let withcoords = false;
  let frommember = false;
  let fromloc = false;
  let byradius = false;
  let bybox = false;
  let sort = SORT_NONE;
  let any = false;
  let count = 0;
  const remaining = argv.length - baseArgs;
  for (let i = 0; i < remaining; i++) {
    const at = baseArgs + i;
    const arg = argv[at];
    if (optIs(arg, 'withdist')) withdist = true;
    else if (optIs(arg, 'withhash')) withhash = true;
    else if (optIs(arg, 'withcoord')) withcoords = true;
    else if (optIs(arg, 'any')) any = true;
    else if (optIs(arg, 'asc')) sort = SORT_ASC;
    else if (optIs(arg, 'desc')) sort = SORT_DESC;
    else if (optIs(arg, 'count') && i + 1 < remaining) {
      const n = parseInteger(argv[at + 1]);
      if (n === null) {
        server.replyError(c, ERR.notInteger);
        return;
      }
      if (n <= 0) {
        server.replyError(c, GEO_ERR.countPositive);
        return;
      }
      count = n;
      i++;
    } else if (optIs(arg, 'store') && i + 1 < remaining && !(flags & RADIUS_NOSTORE) && !(flags & GEOSEARCH)) {
      storekey = argv[at + 1];
      storedist = false;
      i++;
    } else if (optIs(arg, 'storedist') && i + 1 < remaining && !(flags & RADIUS_NOSTORE) && !(flags & GEOSEARCH)) {
      storekey = argv[at + 1];
      storedist = true;
      i++;
    } else if (optIs(arg, 'storedist') && (flags & GEOSEARCH) && (flags & GEOSEARCHSTORE)) {
      storedist = true;
    } else if (optIs(arg, 'frommember') && i + 1 < remaining && (flags & GEOSEARCH) && !fromloc) {
      if (zobj === undefined) {
        frommember = true;
        i++;
        continue;
      }
      const xy = memberPos(zobj, argv[at + 1]);
      if (xy === null) {
        server.replyError(c, GEO_ERR.decodeMember);
        return;
      }
      shape.lon = xy[0];
      shape.lat = xy[1];
      frommember = true;
      i++;
    } else if (optIs(arg, 'fromlonlat') && i + 2 < remaining && (flags & GEOSEARCH) && !frommember) {
      const xy = lonLatArg(c, argv, at + 1);
      if (xy === null) return;
      shape.lon = xy[0];
      shape.lat = xy[1];
      fromloc = true;
      i += 2;
    } else if (optIs(arg, 'byradius') && i + 2 < remaining && (flags & GEOSEARCH) && !bybox) {
      if (!distanceArg(c, argv, at + 1, shape)) return;
      shape.type = CIRCULAR;
      byradius = true;
      i += 2;
    } else if (optIs(arg, 'bybox') && i + 3 < remaining && (flags & GEOSEARCH) && !byradius) {
      if (!boxArg(c, argv, at + 1, shape)) return;
      shape.type = RECTANGLE;
      bybox = true;
      i += 3;
    } else {
      server.replyError(c, ERR.syntax);
      return;
    }
  }

  if (storekey !== null && (withdist || withhash || withcoords)) {
    const what = flags & GEOSEARCHSTORE ? 'GEOSEARCHSTORE' : 'STORE option in GEORADIUS';
    server.replyError(c, `ERR ${what} is not compatible with WITHDIST, WITHHASH and WITHCOORD options`);
    return;
  }
  if ((flags & GEOSEARCH) && !(frommember || fromloc)) {
    server.replyError(c, `ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for ${argv[0]}`);
    return;
  }
  if ((flags & GEOSEARCH) && !(byradius || bybox)) {
    server.replyError(c, `ERR exactly one of BYRADIUS and BYBOX can be specified for ${argv[0]}`);
    return;
  }
  if (any && count === 0) {
    server.replyError(c, GEO_ERR.anyNeedsCount);
    return;
  }

  const db = c.db;
  if (zobj === undefined) {
    if (storekey !== null) {
      if (db.delete(storekey)) notifyDel(db, storekey);
      c.out.int(0);
    } else {
      c.out.array(0);
    }
    return;
  }

  // COUNT without an order means the nearest ones (not with ANY, which takes the first found).
  if (count !== 0 && sort === SORT_NONE && !any) sort = SORT_ASC;

  const ga = pointsInShape(zobj, shape, any ? count : 0);
  if (ga.length === 0 && storekey === null) {
    c.out.array(0);
    return;
  }
  const resultLength = ga.length;
  const returned = count === 0 || resultLength < count ? resultLength : count;
  if (sort !== SORT_NONE) {
    const cmp = sort === SORT_ASC ? sortAsc : sortDesc;
    // glibc's qsort is a merge sort (stable, as Array.prototype.sort); pqsort is Redis's own.
    if (returned === resultLength) ga.sort(cmp);
    else pqsort(ga, cmp, { lrange: 0, rrange: returned - 1 });
  }

  if (storekey === null) {
    const out = c.out;
    const optionLength = (withdist ? 1 : 0) + (withcoords ? 1 : 0) + (withhash ? 1 : 0);
    out.array(returned);
    for (let i = 0; i < returned; i++) {
      const gp = ga[i];
      const dist = gp.dist / shape.conversion;
      if (optionLength > 0) out.array(optionLength + 1);
      out.bulk(gp.member);
      if (withdist) replyDistance(c, dist);
      // addReplyLongLong of the score: C's double -> long long conversion.
      if (withhash) out.int(Number.isSafeInteger(gp.score) ? gp.score : BigInt(Math.trunc(gp.score)));
      if (withcoords) {
        out.array(2);
        replyCoord(c, gp.lon);
        replyCoord(c, gp.lat);
      }
    }
    return;
  }

  if (returned > 0) {
    const items: [number, string][] = [];
    let maxelelen = 0;
    for (let i = 0; i < returned; i++) {
      const gp = ga[i];
      const dist = gp.dist / shape.conversion;
      items.push([storedist ? dist : gp.score, gp.member]);
      if (gp.member.length > maxelelen) maxelelen = gp.member.length;
    }
    items.sort((a, b) => compareKey(a[0], a[1], b[0], b[1]));
    // zsetConvertToListpackIfNeeded: built as a skiplist, a listpack when small enough.
    const listpack = returned <= server.config.num('zset-max-listpack-entries') &&
      maxelelen <= server.config.num('zset-max-listpack-value');
    const z = ZSet.fromSorted(listpack, items.map((x) => x[0]), items.map((x) => x[1]), true);
    // setKey: a logically expired key goes first, as lookupKeyWrite does; the TTL is dropped.
    db.lookupWrite(storekey);
    db.set(storekey, z);
    db.ks.hooks.notify('z', flags & GEOSEARCH ? 'geosearchstore' : 'georadiusstore', storekey, db);
    // Redis counts every stored member as a change; set() counted one.
    db.ks.dirty += returned - 1;
  } else if (db.delete(storekey)) {
    notifyDel(db, storekey);
  }
  c.out.int(returned);
}
