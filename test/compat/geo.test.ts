// Geo commands against a real redis-server, byte for byte: GEOADD's options and its scores,
// GEOPOS/GEOHASH/GEODIST in every unit, every search command with every option (radius and box,
// from a member or a point, ASC/DESC, COUNT with and without ANY, WITH*), STORE/STOREDIST and
// GEOSEARCHSTORE results, argument errors in Redis's order, wrong types, missing keys, the limits
// of the coordinate range, RESP3 shapes, what the writes propagate and their keyspace events.
import * as assert from 'uvu/assert';
import { type Compat, type CompatContext, compatSuite, propagationOf, sameKeyspaceEvents } from './_compat.ts';
import { reply, send, silent, waitBlocked } from './_blocking.ts';

const test = compatSuite('geo');

/** Both servers' connections switched to RESP3. */
async function resp3(ctx: CompatContext): Promise<Compat> {
  const c = await ctx.connect();
  await c.redis.call('HELLO', '3');
  await c.echo.call('HELLO', '3');
  return c;
}

const SICILY = ['13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania'];
const POINTS = [
  '-73.9454966', '40.747533', 'lic market', '-73.9733487', '40.7648057', 'central park n/q/r',
  '-73.9903085', '40.7362513', 'union square', '-74.0131604', '40.7126674', 'wtc one',
  '-73.7858139', '40.6428986', 'jfk', '-73.9375699', '40.7498929', 'q4', '-73.9564142', '40.7480973', '4545',
];

async function seed(c: Compat): Promise<void> {
  await c.same('GEOADD', 'Sicily', ...SICILY);
  await c.same('GEOADD', 'nyc', ...POINTS);
}

test('GEOADD: options, CH, updates, scores, errors in Redis\'s order', async ({ c }) => {
  await c.all([
    ['GEOADD', 'k', '13.361389', '38.115556', 'Palermo'],
    ['GEOADD', 'k', '13.361389', '38.115556', 'Palermo'],
    ['GEOADD', 'k', 'CH', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania'],
    ['GEOADD', 'k', 'CH', '13.5', '38.115556', 'Palermo'],
    ['GEOADD', 'k', 'NX', '1', '1', 'Palermo', '2', '2', 'x'],
    ['GEOADD', 'k', 'XX', '3', '3', 'x', '4', '4', 'y'],
    ['GEOADD', 'k', 'XX', 'CH', '3', '3', 'x', '4', '4', 'Catania'],
    ['GEOADD', 'k', 'nx', 'ch', '5', '5', 'z'],
    ['GEOADD', 'k', 'NX', 'XX', '1', '1', 'a'],
    ['GEOADD', 'k', 'GT', '1', '1', 'a'],
    ['GEOADD', 'k', '1', '1'],
    ['GEOADD', 'k', '1', '1', 'a', '2'],
    ['GEOADD', 'k', 'ch', 'ch', 'ch'],
    ['GEOADD', 'k', 'x', '1', 'a'],
    ['GEOADD', 'k', '1', 'x', 'a'],
    ['GEOADD', 'k', '1', '1', 'a', '181', '1', 'b'],
    ['GEOADD', 'k', '1', '1', 'a', '1', '86', 'b'],
    ['GEOADD', 'k', '-180.0000001', '0', 'b'],
    ['GEOADD', 'k', 'inf', '0', 'b'],
    ['GEOADD', 'k', '0', '-inf', 'b'],
    ['GEOADD', 'k', '1e300', '-0.0000001', 'b'],
    ['GEOADD', 'k', '0.0078125', '-85.051129', 'b'],
    ['GEOADD', 'k', 'nan', '0', 'b'],
    ['GEOADD', 'k', '', '0', 'b'],
    ['GEOADD', 'k', ' 1', '0', 'b'],
    ['ZRANGE', 'k', '0', '-1', 'WITHSCORES'],
    ['SET', 's', 'x'],
    ['GEOADD', 's', '1', '1', 'a'],
    ['GEOADD', 'k2', 'XX', '1', '1', 'a'],
    ['EXISTS', 'k2'],
  ]);
});

test('GEOADD and GEOPOS at the limits of the coordinate range', async ({ c }) => {
  const edges = [
    ['-180', '-85.05112878'], ['180', '85.05112878'], ['-180', '85.05112878'], ['180', '-85.05112878'],
    ['0', '0'], ['-0', '-0'], ['179.99999999', '85.05112877'], ['-179.9999999', '-85.0511287'],
    ['0.000001', '0.000001'], ['-0.000001', '-0.000001'], ['90', '45'], ['-120.123456789', '33.333333333'],
  ];
  let i = 0;
  for (const [lon, lat] of edges) await c.same('GEOADD', 'k', lon, lat, 'p' + i++);
  const members = edges.map((_e, j) => 'p' + j);
  await c.all([
    ['ZRANGE', 'k', '0', '-1', 'WITHSCORES'],
    ['GEOPOS', 'k', ...members, 'missing'],
    ['GEOHASH', 'k', ...members, 'missing'],
    ['GEODIST', 'k', 'p0', 'p1'], ['GEODIST', 'k', 'p2', 'p3', 'km'], ['GEODIST', 'k', 'p4', 'p5', 'MI'],
    ['GEODIST', 'k', 'p0', 'p2', 'ft'], ['GEODIST', 'k', 'p8', 'p9', 'm'],
    ['GEOSEARCH', 'k', 'FROMLONLAT', '180', '85.05112878', 'BYRADIUS', '500', 'km', 'ASC', 'WITHCOORD', 'WITHDIST', 'WITHHASH'],
    ['GEOSEARCH', 'k', 'FROMLONLAT', '-180', '-85.05112878', 'BYBOX', '40000', '40000', 'km', 'DESC', 'WITHCOORD', 'WITHDIST'],
    ['GEOSEARCH', 'k', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'm', 'WITHDIST'],
    ['GEOSEARCH', 'k', 'FROMLONLAT', '0', '0', 'BYRADIUS', '0', 'm', 'WITHDIST'],
    ['GEOSEARCH', 'k', 'FROMLONLAT', '0', '0', 'BYRADIUS', '20000', 'km', 'ASC', 'WITHDIST'],
    ['GEOSEARCH', 'k', 'FROMMEMBER', 'p10', 'BYBOX', '0', '0', 'm', 'WITHCOORD'],
  ]);
  // Scores GEOADD never writes still decode, the way Redis's C conversions do.
  await c.all([
    ['ZADD', 'w', '-1', 'neg', '1.5', 'frac', '1e20', 'big', '9007199254740993', 'odd', '0', 'zero', '-1e30', 'hugeneg', 'inf', 'inf', '-inf', 'ninf'],
    ['GEOPOS', 'w', 'neg', 'frac', 'big', 'odd', 'zero', 'hugeneg', 'inf', 'ninf'],
    ['GEOHASH', 'w', 'neg', 'frac', 'big', 'odd', 'zero', 'hugeneg', 'inf', 'ninf'],
    ['GEODIST', 'w', 'neg', 'big'], ['GEODIST', 'w', 'zero', 'inf', 'km'],
  ]);
});

test('GEOPOS, GEOHASH, GEODIST: units, missing keys and members, wrong types, errors', async ({ c }) => {
  await seed(c);
  await c.all([
    ['GEOPOS', 'Sicily', 'Palermo', 'Catania', 'NonExisting'], ['GEOPOS', 'Sicily'], ['GEOPOS', 'nokey', 'a', 'b'],
    ['GEOHASH', 'Sicily', 'Palermo', 'Catania', 'x'], ['GEOHASH', 'Sicily'], ['GEOHASH', 'nokey', 'a'],
    ['GEODIST', 'Sicily', 'Palermo', 'Catania'], ['GEODIST', 'Sicily', 'Palermo', 'Catania', 'km'],
    ['GEODIST', 'Sicily', 'Palermo', 'Catania', 'KM'], ['GEODIST', 'Sicily', 'Palermo', 'Catania', 'mi'],
    ['GEODIST', 'Sicily', 'Palermo', 'Catania', 'Ft'], ['GEODIST', 'Sicily', 'Palermo', 'Catania', 'M'],
    ['GEODIST', 'Sicily', 'Palermo', 'Palermo'], ['GEODIST', 'Sicily', 'Palermo', 'x'], ['GEODIST', 'Sicily', 'x', 'Palermo'],
    ['GEODIST', 'Sicily', 'Palermo', 'Catania', 'yd'], ['GEODIST', 'Sicily', 'Palermo', 'Catania', 'km', 'x'],
    ['GEODIST', 'nokey', 'a', 'b'], ['GEODIST', 'nokey', 'a', 'b', 'parsec'],
    ['GEODIST', 'nyc', 'jfk', 'wtc one', 'km'], ['GEODIST', 'nyc', 'q4', '4545', 'ft'],
    ['SET', 's', 'x'], ['GEOPOS', 's', 'a'], ['GEOHASH', 's', 'a'], ['GEODIST', 's', 'a', 'b'],
    ['GEODIST', 's', 'a', 'b', 'yd'], ['GEOSEARCH', 's', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km'],
    ['GEORADIUS', 's', '0', '0', '1', 'km'], ['GEORADIUSBYMEMBER', 's', 'a', '1', 'km'],
    ['GEOSEARCHSTORE', 'd', 's', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km'],
    ['GEOPOS'], ['GEOHASH'], ['GEODIST', 'k', 'a'],
  ]);
});

const UNITS = ['m', 'km', 'ft', 'mi', 'KM'];

test('GEORADIUS and GEORADIUS_RO: every option and combination', async ({ c }) => {
  await seed(c);
  const optionSets = [
    [], ['WITHDIST'], ['WITHCOORD'], ['WITHHASH'], ['WITHDIST', 'WITHCOORD', 'WITHHASH'], ['ASC'], ['DESC'],
    ['COUNT', '1'], ['COUNT', '2', 'DESC'], ['COUNT', '3', 'ANY'], ['COUNT', '1', 'ANY', 'ASC'], ['COUNT', '100'],
    ['withdist', 'desc', 'count', '4', 'withhash'], ['DESC', 'ASC'], ['COUNT', '2', 'COUNT', '3'],
  ];
  for (const cmd of ['GEORADIUS', 'GEORADIUS_RO']) {
    for (const opts of optionSets) {
      for (const unit of UNITS) {
        await c.same(cmd, 'nyc', '-73.9798091', '40.7598464', unit === 'm' ? '3000' : unit === 'ft' ? '10000' : '3', unit, ...opts);
      }
      await c.same(cmd, 'Sicily', '15', '37', '200', 'km', ...opts);
      await c.same(cmd, 'Sicily', '15', '37', '1', 'km', ...opts);
    }
  }
});

test('GEORADIUSBYMEMBER and GEORADIUSBYMEMBER_RO: every option', async ({ c }) => {
  await seed(c);
  const optionSets = [
    [], ['WITHDIST'], ['WITHCOORD', 'WITHHASH'], ['ASC', 'WITHDIST'], ['DESC', 'WITHDIST'], ['COUNT', '2'],
    ['COUNT', '2', 'ANY'], ['COUNT', '3', 'DESC', 'WITHDIST', 'WITHCOORD'],
  ];
  for (const cmd of ['GEORADIUSBYMEMBER', 'GEORADIUSBYMEMBER_RO']) {
    for (const opts of optionSets) {
      await c.same(cmd, 'nyc', 'wtc one', '7', 'km', ...opts);
      await c.same(cmd, 'nyc', 'jfk', '30', 'mi', ...opts);
      await c.same(cmd, 'Sicily', 'Palermo', '200', 'km', ...opts);
    }
  }
  await c.all([
    ['GEORADIUSBYMEMBER', 'nyc', 'nosuch', '7', 'km'], ['GEORADIUSBYMEMBER_RO', 'nyc', 'nosuch', 'x', 'km'],
    ['GEORADIUSBYMEMBER', 'nokey', 'x', '7', 'km'], ['GEORADIUSBYMEMBER', 'nokey', 'x', 'abc', 'parsec', 'COUNT', '0'],
    ['GEORADIUSBYMEMBER', 'nokey', 'x', '7', 'km', 'STORE', 'd'], ['GEORADIUSBYMEMBER', 'nokey', 'x', '7', 'km', 'BAD'],
    ['GEORADIUSBYMEMBER', 'nyc', 'wtc one', 'x', 'km'], ['GEORADIUSBYMEMBER', 'nyc', 'wtc one', '-1', 'km'],
    ['GEORADIUSBYMEMBER', 'nyc', 'wtc one', '1', 'yd'],
  ]);
});

test('GEOSEARCH: from member or point, by radius or box, every option', async ({ c }) => {
  await seed(c);
  const froms = [['FROMMEMBER', 'wtc one'], ['FROMLONLAT', '-73.9798091', '40.7598464'], ['frommember', 'jfk']];
  const bys = [
    ['BYRADIUS', '3', 'km'], ['BYRADIUS', '10', 'mi'], ['BYRADIUS', '5000', 'M'], ['BYBOX', '6', '6', 'km'],
    ['BYBOX', '100', '20', 'km'], ['bybox', '50000', '50000', 'ft'], ['BYBOX', '0.5', '100', 'mi'], ['BYRADIUS', '0', 'km'],
  ];
  const opts = [[], ['ASC'], ['DESC', 'WITHDIST'], ['COUNT', '2'], ['COUNT', '2', 'ANY'], ['COUNT', '3', 'DESC', 'WITHCOORD', 'WITHDIST', 'WITHHASH'],
    ['WITHHASH'], ['WITHCOORD']];
  for (const from of froms) {
    for (const by of bys) {
      for (const o of opts) {
        await c.same('GEOSEARCH', 'nyc', ...from, ...by, ...o);
        await c.same('GEOSEARCH', 'nyc', ...by, ...o, ...from);
      }
    }
  }
});

test('GEOSEARCH and GEOSEARCHSTORE: argument errors in Redis\'s order', async ({ c }) => {
  await seed(c);
  await c.all([
    ['GEOSEARCH', 'nyc', 'FROMMEMBER', 'wtc one', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km'],
    ['GEOSEARCH', 'nyc', 'FROMLONLAT', '0', '0', 'FROMMEMBER', 'wtc one', 'BYRADIUS', '1', 'km'],
    ['GEOSEARCH', 'nyc', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km', 'BYBOX', '1', '1', 'km'],
    ['GEOSEARCH', 'nyc', 'FROMLONLAT', '0', '0', 'BYBOX', '1', '1', 'km', 'BYRADIUS', '1', 'km'],
    ['GEOSEARCH', 'nyc', 'BYRADIUS', '1', 'km', 'WITHDIST', 'ASC'],
    ['GEOSEARCH', 'nyc', 'FROMLONLAT', '0', '0', 'ASC', 'WITHDIST'],
    ['geosearch', 'nyc', 'FROMLONLAT', '0', '0', 'ASC', 'WITHDIST'],
    ['GEOSEARCH', 'nyc', 'FROMMEMBER', 'nosuch', 'BYRADIUS', '1', 'km'],
    ['GEOSEARCH', 'nyc', 'FROMLONLAT', '200', '0', 'BYRADIUS', '1', 'km'],
    ['GEOSEARCH', 'nyc', 'FROMLONLAT', '0', '-85.06', 'BYRADIUS', '1', 'km'],
    ['GEOSEARCH', 'nyc', 'FROMLONLAT', 'x', '0', 'BYRADIUS', '1', 'km'],
    ['GEOSEARCH', 'nyc', 'FROMLONLAT', '0', '0', 'BYRADIUS', 'x', 'km'],
    ['GEOSEARCH', 'nyc', 'FROMLONLAT', '0', '0', 'BYRADIUS', '-1', 'km'],
    ['GEOSEARCH', 'nyc', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'yd'],
    ['GEOSEARCH', 'nyc', 'FROMLONLAT', '0', '0', 'BYBOX', 'x', '1', 'km'],
    ['GEOSEARCH', 'nyc', 'FROMLONLAT', '0', '0', 'BYBOX', '1', 'x', 'km'],
    ['GEOSEARCH', 'nyc', 'FROMLONLAT', '0', '0', 'BYBOX', '1', '-1', 'km'],
    ['GEOSEARCH', 'nyc', 'FROMLONLAT', '0', '0', 'BYBOX', '-1', '1', 'yd'],
    ['GEOSEARCH', 'nyc', 'FROMLONLAT', '0', '0', 'BYBOX', '1', '1', 'yd'],
    ['GEOSEARCH', 'nyc', 'FROMLONLAT', '0', '0', 'BYBOX', '1', '1'],
    ['GEOSEARCH', 'nyc', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km', 'COUNT', '0'],
    ['GEOSEARCH', 'nyc', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km', 'COUNT', '-1'],
    ['GEOSEARCH', 'nyc', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km', 'COUNT', 'x'],
    ['GEOSEARCH', 'nyc', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km', 'COUNT'],
    ['GEOSEARCH', 'nyc', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km', 'ANY'],
    ['GEOSEARCH', 'nyc', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km', 'STORE', 'x'],
    ['GEOSEARCH', 'nyc', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km', 'STOREDIST'],
    ['GEOSEARCH', 'nokey', 'FROMMEMBER', 'x', 'BYRADIUS', '1', 'km'],
    ['GEOSEARCH', 'nokey', 'FROMMEMBER', 'x', 'BYRADIUS', '1', 'km', 'ANY'],
    ['GEOSEARCH', 'nokey', 'FROMMEMBER', 'x', 'BYRADIUS', '1', 'km', 'FROMLONLAT', '0', '0'],
    ['GEOSEARCHSTORE', 'd', 'nyc', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km', 'WITHDIST'],
    ['GEOSEARCHSTORE', 'd', 'nyc', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km', 'WITHHASH', 'STOREDIST'],
    ['GEOSEARCHSTORE', 'd', 'nyc', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km', 'STORE', 'x'],
    ['GEOSEARCHSTORE', 'd', 'nyc', 'BYRADIUS', '1', 'km', 'COUNT', '1'],
    ['GEOSEARCHSTORE', 'd', 'nyc', 'FROMLONLAT', '0', '0', 'COUNT', '1', 'ASC'],
    ['GEORADIUS', 'nyc', '0', '0', '1', 'km', 'STORE', 'd', 'WITHDIST'],
    ['GEORADIUS', 'nyc', '0', '0', '1', 'km', 'STOREDIST', 'd', 'WITHCOORD'],
    ['GEORADIUS', 'nyc', '0', '0', '1', 'km', 'STORE'],
    ['GEORADIUS_RO', 'nyc', '0', '0', '1', 'km', 'STORE', 'd'],
    ['GEORADIUSBYMEMBER_RO', 'nyc', 'jfk', '1', 'km', 'STOREDIST', 'd'],
    ['GEORADIUS', 'nyc', '0', '0', '1', 'km', 'FROMMEMBER', 'jfk'],
    ['GEORADIUS', 'nyc', '0', '100', '1', 'km'], ['GEORADIUS', 'nyc', '0', '0', 'x', 'km'],
    ['GEORADIUS', 'nyc', '0', '0', '1', 'furlong'], ['GEORADIUS', 'nyc', '0', '0', '1', 'km', 'COUNT', '99999999999999999999'],
    ['GEORADIUS', 'nokey', '0', '0', '1', 'km', 'COUNT', '0'], ['GEORADIUS', 'nokey', '0', '0', '1', 'km'],
    ['GEORADIUS', 'nokey', '0', '0', '1', 'km', 'ANY'],
    ['GEOSEARCH', 'nyc'], ['GEOSEARCHSTORE', 'd', 'nyc', 'FROMLONLAT'],
  ]);
});

test('STORE, STOREDIST and GEOSEARCHSTORE: stored sets, encodings, empty results, TTLs', async ({ c }) => {
  await seed(c);
  await c.all([
    ['GEORADIUS', 'nyc', '-73.9798091', '40.7598464', '3', 'km', 'STORE', 'd1'],
    ['ZRANGE', 'd1', '0', '-1', 'WITHSCORES'], ['OBJECT', 'ENCODING', 'd1'],
    ['GEORADIUS', 'nyc', '-73.9798091', '40.7598464', '3', 'km', 'STOREDIST', 'd2'],
    ['ZRANGE', 'd2', '0', '-1', 'WITHSCORES'],
    ['GEORADIUS', 'nyc', '-73.9798091', '40.7598464', '10', 'mi', 'STORE', 'd3', 'STOREDIST', 'd4', 'COUNT', '2', 'DESC'],
    ['EXISTS', 'd3'], ['ZRANGE', 'd4', '0', '-1', 'WITHSCORES'],
    ['GEORADIUSBYMEMBER', 'nyc', 'jfk', '30', 'km', 'STOREDIST', 'd5', 'COUNT', '3', 'ANY'],
    ['ZRANGE', 'd5', '0', '-1', 'WITHSCORES'],
    ['GEOSEARCHSTORE', 'd6', 'nyc', 'FROMMEMBER', 'wtc one', 'BYBOX', '20', '20', 'km', 'STOREDIST'],
    ['ZRANGE', 'd6', '0', '-1', 'WITHSCORES'],
    ['GEOSEARCHSTORE', 'd7', 'nyc', 'FROMLONLAT', '-73.9', '40.7', 'BYRADIUS', '50', 'km', 'COUNT', '3', 'DESC'],
    ['ZRANGE', 'd7', '0', '-1', 'WITHSCORES'],
    ['SET', 'd8', 'string'], ['EXPIRE', 'd8', '100'],
    ['GEOSEARCHSTORE', 'd8', 'nyc', 'FROMLONLAT', '-73.9', '40.7', 'BYRADIUS', '50', 'km'],
    ['TYPE', 'd8'], ['TTL', 'd8'],
    // Empty results delete the destination.
    ['GEOSEARCHSTORE', 'd8', 'nyc', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km'], ['EXISTS', 'd8'],
    ['GEORADIUS', 'nyc', '0', '0', '1', 'km', 'STORE', 'd1'], ['EXISTS', 'd1'],
    ['GEORADIUS', 'nokey', '0', '0', '1', 'km', 'STORE', 'd2'], ['EXISTS', 'd2'],
    ['GEOSEARCHSTORE', 'd7', 'nokey', 'FROMMEMBER', 'x', 'BYRADIUS', '1', 'km'], ['EXISTS', 'd7'],
    ['GEOSEARCHSTORE', 'd6', 'nyc', 'FROMMEMBER', 'x', 'BYRADIUS', '1', 'km'], ['EXISTS', 'd6'],
    ['GEOSEARCHSTORE', 'nyc', 'nyc', 'FROMMEMBER', 'jfk', 'BYRADIUS', '1', 'km'], ['ZRANGE', 'nyc', '0', '-1'],
  ]);
  // A result past the listpack limits is a skiplist, as in Redis.
  await c.same('CONFIG', 'SET', 'zset-max-listpack-entries', '2');
  await c.same('GEOSEARCHSTORE', 'big', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '500', 'km');
  await c.same('OBJECT', 'ENCODING', 'big');
  await c.same('GEOSEARCHSTORE', 'small', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '500', 'km', 'COUNT', '1');
  await c.same('OBJECT', 'ENCODING', 'small');
  await c.same('CONFIG', 'SET', 'zset-max-listpack-entries', '128');
  await c.sameDataset();
});

test('many points: sorting, COUNT cut-offs among equal distances, ANY, large radii', async ({ c }) => {
  // A grid with repeated positions: equal distances make the order depend on the sort used.
  const args: string[] = [];
  for (let i = 0; i < 60; i++) {
    const lon = (i % 10) * 0.01 - 0.05;
    const lat = Math.floor(i / 10) * 0.01 - 0.03;
    args.push(lon.toFixed(2), lat.toFixed(2), 'a' + i, lon.toFixed(2), lat.toFixed(2), 'b' + i);
  }
  await c.same('GEOADD', 'g', ...args);
  for (const count of ['1', '2', '3', '7', '10', '33', '64', '119', '120', '200']) {
    await c.same('GEOSEARCH', 'g', 'FROMLONLAT', '0', '0', 'BYRADIUS', '100', 'km', 'COUNT', count, 'WITHDIST');
    await c.same('GEOSEARCH', 'g', 'FROMLONLAT', '0', '0', 'BYRADIUS', '100', 'km', 'COUNT', count, 'DESC');
    await c.same('GEOSEARCH', 'g', 'FROMLONLAT', '0.001', '0.002', 'BYBOX', '5', '5', 'km', 'COUNT', count, 'ANY');
    await c.same('GEORADIUS', 'g', '0', '0', '3', 'km', 'COUNT', count, 'ASC', 'WITHCOORD');
    await c.same('GEOSEARCHSTORE', 'd', 'g', 'FROMLONLAT', '0', '0', 'BYRADIUS', '100', 'km', 'COUNT', count, 'STOREDIST');
    await c.same('ZRANGE', 'd', '0', '-1', 'WITHSCORES');
  }
  await c.all([
    ['GEOSEARCH', 'g', 'FROMLONLAT', '0', '0', 'BYRADIUS', '10000', 'km'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '0', '0', 'BYRADIUS', '10000', 'km', 'ASC'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '179', '80', 'BYRADIUS', '20000', 'km', 'DESC', 'COUNT', '5'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '0', '0', 'BYBOX', '2', '1', 'km', 'WITHDIST'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '0', '0', 'BYBOX', '1', '2', 'km', 'WITHCOORD'],
  ]);
  // Scattered points, many queries.
  let seedv = 12345;
  const rnd = (): number => {
    seedv = (seedv * 1103515245 + 12345) % 2147483648;
    return seedv / 2147483648;
  };
  const pts: string[] = [];
  for (let i = 0; i < 300; i++) {
    pts.push((rnd() * 360 - 180).toFixed(6), (rnd() * 170 - 85).toFixed(6), 'r' + i);
  }
  await c.same('GEOADD', 'r', ...pts);
  for (let q = 0; q < 40; q++) {
    const lon = (rnd() * 360 - 180).toFixed(4);
    const lat = (rnd() * 170 - 85).toFixed(4);
    const rad = String(Math.floor(rnd() * 3000) + 1);
    await c.same('GEOSEARCH', 'r', 'FROMLONLAT', lon, lat, 'BYRADIUS', rad, 'km', 'WITHDIST', 'WITHCOORD', 'WITHHASH');
    await c.same('GEOSEARCH', 'r', 'FROMLONLAT', lon, lat, 'BYBOX', rad, String(Number(rad) * 2), 'km', 'ASC', 'WITHDIST');
    await c.same('GEORADIUSBYMEMBER', 'r', 'r' + q, rad, 'km', 'COUNT', '5', 'WITHDIST');
    await c.same('GEOPOS', 'r', 'r' + q);
    await c.same('GEOHASH', 'r', 'r' + q);
    await c.same('GEODIST', 'r', 'r' + q, 'r' + (q + 1), 'km');
  }
});

test('odd arguments: NUL bytes after options, binary members, big counts, odd scores in searches', async ({ c }) => {
  await seed(c);
  await c.all([
    ['GEOADD', 'b', '1', '1', 'm\xff\x00\r\nz', '1', '1', '', '1.00001', '1', 'x y'],
    ['GEOSEARCH', 'b', 'FROMMEMBER', '', 'BYRADIUS', '10', 'km', 'WITHDIST', 'WITHHASH'],
    ['GEOPOS', 'b', 'm\xff\x00\r\nz', ''], ['GEOHASH', 'b', 'm\xff\x00\r\nz'], ['GEODIST', 'b', '', 'm\xff\x00\r\nz'],
    ['GEODIST', 'Sicily', 'Palermo', 'Catania', 'km\x00zz'], ['GEODIST', 'Sicily', 'Palermo', 'Catania', 'k'],
    ['GEORADIUS', 'Sicily', '15', '37', '200', 'km\x00', 'WITHDIST\x00x', 'asc\x00'],
    ['GEOADD', 'b', 'nx\x00', '2', '2', 'q'], ['GEOADD', 'b', 'NXX', '2', '2', 'q'],
    ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'COUNT', '9223372036854775807'],
    ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'COUNT', '9223372036854775808'],
    ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'COUNT', '1.5'],
    ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '1e3', 'km', 'COUNT', ' 1'],
    ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', 'inf', 'km'],
    ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYBOX', 'inf', '1', 'km'],
    ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '-0', 'km'],
    ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '0x10', 'km'],
    ['ZADD', 'w', '1.5', 'frac', '3', 'three', '-1', 'neg', '4503599627370495', 'top'],
    ['GEOSEARCH', 'w', 'FROMLONLAT', '-180', '-85.05112878', 'BYRADIUS', '100', 'km', 'WITHHASH', 'WITHCOORD', 'WITHDIST'],
    ['GEOSEARCH', 'w', 'FROMMEMBER', 'top', 'BYRADIUS', '100', 'km', 'WITHHASH', 'WITHCOORD', 'WITHDIST'],
    ['GEOADD', 'same', '10', '10', 'a', '10', '10', 'b', '10', '10', 'c', '10', '10', 'd'],
    ['GEODIST', 'same', 'a', 'b'],
    ['GEOSEARCH', 'same', 'FROMMEMBER', 'a', 'BYRADIUS', '0', 'm', 'WITHDIST', 'COUNT', '2'],
    ['GEOSEARCH', 'same', 'FROMMEMBER', 'a', 'BYBOX', '0', '0', 'm', 'WITHDIST', 'COUNT', '3', 'DESC'],
    ['COMMAND', 'GETKEYS', 'GEORADIUS', 'k', '0', '0', '1', 'km', 'STORE', 'd', 'STOREDIST', 'e'],
    ['COMMAND', 'GETKEYS', 'GEORADIUSBYMEMBER', 'k', 'm', '1', 'km', 'STOREDIST', 'e'],
    ['COMMAND', 'GETKEYSANDFLAGS', 'GEORADIUS', 'k', '0', '0', '1', 'km', 'STORE', 'd'],
    ['COMMAND', 'GETKEYS', 'GEOSEARCHSTORE', 'd', 's', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km'],
    ['COMMAND', 'GETKEYS', 'GEOADD', 'k', '1', '1', 'm'],
  ]);
});

test('random points and queries near the poles, the antimeridian and at every scale', async ({ c }) => {
  let seedv = 987654;
  const rnd = (): number => {
    seedv = (seedv * 1103515245 + 12345) % 2147483648;
    return seedv / 2147483648;
  };
  const lonOf = (): number => (rnd() < 0.3 ? (rnd() < 0.5 ? 180 - rnd() * 3 : -180 + rnd() * 3) : rnd() * 360 - 180);
  const latOf = (): number => (rnd() < 0.3 ? (rnd() < 0.5 ? 85.05 - rnd() * 8 : -85.05 + rnd() * 8) : rnd() * 170 - 85);
  const pts: string[] = [];
  for (let i = 0; i < 500; i++) pts.push(lonOf().toFixed(5), latOf().toFixed(5), 'p' + i);
  await c.same('GEOADD', 'r', ...pts);
  // A listpack copy of a few of them.
  await c.same('GEOADD', 'small', ...pts.slice(0, 90));
  const units = ['m', 'km', 'ft', 'mi'];
  for (let q = 0; q < 500; q++) {
    const lon = lonOf().toFixed(4);
    const lat = latOf().toFixed(4);
    const scale = 10 ** Math.floor(rnd() * 8);
    const rad = (rnd() * scale).toFixed(2);
    const unit = units[q % 4];
    const key = q % 3 === 0 ? 'small' : 'r';
    await c.same('GEOSEARCH', key, 'FROMLONLAT', lon, lat, 'BYRADIUS', rad, unit, 'WITHDIST', 'WITHCOORD', 'WITHHASH');
    await c.same('GEOSEARCH', key, 'FROMLONLAT', lon, lat, 'BYBOX', rad, (rnd() * scale).toFixed(2), unit, 'DESC', 'WITHDIST');
    await c.same('GEOSEARCH', key, 'FROMMEMBER', 'p' + (q % 500), 'BYRADIUS', rad, unit, 'COUNT', String(1 + (q % 7)), 'WITHDIST');
    await c.same('GEODIST', 'r', 'p' + q, 'p' + ((499 * q) % 500), unit);
  }
});

test('RESP3: GEOPOS, GEODIST, GEOHASH and search replies', async (ctx) => {
  const c = await resp3(ctx);
  await seed(c);
  await c.all([
    ['GEOPOS', 'Sicily', 'Palermo', 'nosuch'], ['GEOPOS', 'nokey', 'a'],
    ['GEODIST', 'Sicily', 'Palermo', 'Catania'], ['GEODIST', 'Sicily', 'Palermo', 'x'], ['GEODIST', 'nokey', 'a', 'b'],
    ['GEOHASH', 'Sicily', 'Palermo', 'x'],
    ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'WITHDIST', 'WITHCOORD', 'WITHHASH'],
    ['GEOSEARCH', 'nyc', 'FROMMEMBER', 'jfk', 'BYRADIUS', '50', 'km', 'WITHCOORD', 'DESC'],
    ['GEOSEARCH', 'nyc', 'FROMLONLAT', '0', '0', 'BYRADIUS', '50', 'km'],
    ['GEOSEARCH', 'nokey', 'FROMLONLAT', '0', '0', 'BYRADIUS', '50', 'km'],
    ['GEOSEARCHSTORE', 'd', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'STOREDIST'],
    ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
  ]);
});

test('MULTI, WATCH: a stored result touches a watched key', async (ctx) => {
  const { c } = ctx;
  await seed(c);
  const other = await ctx.connect();
  await c.all([['WATCH', 'dst'], ['MULTI']]);
  await other.same('GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km');
  await c.all([['GEOPOS', 'Sicily', 'Palermo'], ['EXEC']]);
});

test('blocked BZPOPMIN clients are served by GEOADD and by stored results', async (ctx) => {
  const { c } = ctx;
  await seed(c);
  const b = await ctx.connect();
  // GEOADD creating the key, then adding to it.
  send(b, 'BZPOPMIN', 'g', '0');
  await waitBlocked(c, 1);
  await c.same('GEOADD', 'g', '1', '1', 'a');
  await reply(b, 'BZPOPMIN served by GEOADD');
  await c.same('GEOADD', 'g', '2', '2', 'b');
  send(b, 'BZPOPMAX', 'g', '0');
  await reply(b, 'BZPOPMAX on a GEOADDed set');
  send(b, 'BZPOPMIN', 'g', '0');
  await waitBlocked(c, 1);
  await c.same('GEOADD', 'g', 'XX', '2', '2', 'nosuch');
  await silent(b, 'BZPOPMIN after GEOADD XX that added nothing');
  await c.same('GEOADD', 'g', '2', '2', 'c');
  await reply(b, 'BZPOPMIN served by a second GEOADD');
  // A new key made by a store.
  for (const store of [
    ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'STORE', 'd1'],
    ['GEOSEARCHSTORE', 'd1', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'STOREDIST'],
  ]) {
    await c.same('DEL', 'd1');
    send(b, 'BZPOPMIN', 'd1', '0');
    await waitBlocked(c, 1);
    await c.same(...store);
    await reply(b, `BZPOPMIN served by ${store[0]}`);
  }
});

test('propagation: GEOADD as ZADD, stores as themselves', async () => {
  const script = [
    ['GEOADD', 'k', 'CH', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania'],
    ['GEOADD', 'k', 'NX', '13.361389', '38.115556', 'Palermo'],
    ['GEOADD', 'k', 'XX', '1', '1', 'Palermo'],
    ['GEOADD', 'k', '1', '1', 'bad', '500', '1', 'x'],
    ['GEORADIUS', 'k', '15', '37', '200', 'km'],
    ['GEORADIUS', 'k', '15', '37', '200', 'km', 'STORE', 'd'],
    ['GEORADIUSBYMEMBER', 'k', 'Catania', '2000', 'km', 'STOREDIST', 'd2'],
    ['GEOSEARCHSTORE', 'd3', 'k', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'STOREDIST'],
    ['GEOSEARCHSTORE', 'd3', 'k', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km'],
    ['GEOSEARCHSTORE', 'd3', 'k', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km'],
    ['GEORADIUS', 'nokey', '0', '0', '1', 'km', 'STORE', 'd2'],
  ];
  const p = await propagationOf(script);
  if (p === null) return;
  assert.equal(p.echokv, p.redis);
});

test('keyspace events of GEOADD and the stores', async () => {
  await sameKeyspaceEvents([
    ['GEOADD', 'k', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania'],
    ['GEOADD', 'k', '13.361389', '38.115556', 'Palermo'],
    ['GEORADIUS', 'k', '15', '37', '200', 'km', 'STORE', 'd'],
    ['GEORADIUS', 'k', '15', '37', '200', 'km', 'STOREDIST', 'd'],
    ['GEOSEARCHSTORE', 'd2', 'k', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km'],
    ['GEOSEARCHSTORE', 'd2', 'k', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km'],
    ['GEORADIUS', 'nokey', '0', '0', '1', 'km', 'STORE', 'd'],
  ], ['z', 'g']);
});

test.run();
