// Property tests: random bounded sequences of hash and set commands go to redis-server and echokv,
// every reply is compared (exactly, or as a collection where Redis's order is its dict's), and
// after each sequence the whole dataset is compared, types, contents and OBJECT ENCODING
// included. Two configurations: Redis's defaults, and tiny listpack/intset thresholds so that
// conversions happen all the time. SPOP is left out (its random picks would make the datasets
// differ); SRANDMEMBER and HRANDFIELD only ask for whole collections, whose content is fixed.
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { env } from 'node:process';
import { type Compat, compatSuite } from './_compat.ts';
import { plain } from '../_resp.ts';

type Cmd = string[];

const KEYS = ['h1', 'h2', 's1', 's2', 's3', 'str'];
const hashKey = fc.constantFrom('h1', 'h2', 'h1', 's1', 'str');
const setKey = fc.constantFrom('s1', 's2', 's3', 's1', 'h1', 'nokey');
const anyKey = fc.constantFrom(...KEYS, 'nokey');

/** Fields and members: small integers (intset material), non-canonical numbers, words, bytes. */
const item = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -20, max: 60 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('-0', '01', '+1', '9223372036854775807', '-9223372036854775808', '1.5', '') },
  { weight: 3, arbitrary: fc.constantFrom('a', 'b', 'c', 'field', 'x y', 'Ω') },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 6 }).map((b) => String.fromCharCode(...b)) },
);
const value = fc.oneof(
  { weight: 4, arbitrary: item },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 80 }).map((n) => 'v'.repeat(n)) },
  { weight: 1, arbitrary: fc.constantFrom('1e3', '0.1', '-2.5', 'inf', '10', '-7') },
);

const hashCmd: fc.Arbitrary<Cmd> = fc.oneof(
  fc.tuple(hashKey, fc.array(fc.tuple(item, value), { minLength: 1, maxLength: 5 }))
    .map(([k, pairs]) => ['HSET', k, ...pairs.flat()]),
  fc.tuple(hashKey, item, value).map(([k, f, v]) => ['HSETNX', k, f, v]),
  fc.tuple(hashKey, fc.array(fc.tuple(item, value), { minLength: 1, maxLength: 3 }))
    .map(([k, pairs]) => ['HMSET', k, ...pairs.flat()]),
  fc.tuple(hashKey, item).map(([k, f]) => ['HGET', k, f]),
  fc.tuple(hashKey, fc.array(item, { minLength: 1, maxLength: 4 })).map(([k, fs]) => ['HMGET', k, ...fs]),
  fc.tuple(hashKey, fc.array(item, { minLength: 1, maxLength: 4 })).map(([k, fs]) => ['HDEL', k, ...fs]),
  hashKey.map((k) => ['HLEN', k]),
  fc.tuple(hashKey, item).map(([k, f]) => ['HSTRLEN', k, f]),
  fc.tuple(hashKey, item).map(([k, f]) => ['HEXISTS', k, f]),
  fc.tuple(hashKey, item, fc.constantFrom('1', '-3', '100', '9223372036854775807', 'x', '0'))
    .map(([k, f, n]) => ['HINCRBY', k, f, n]),
  fc.tuple(hashKey, item, fc.constantFrom('1.5', '-0.25', '1e2', 'inf', 'x', '0', '3'))
    .map(([k, f, n]) => ['HINCRBYFLOAT', k, f, n]),
  hashKey.map((k) => ['HGETALL', k]),
  hashKey.map((k) => ['HKEYS', k]),
  hashKey.map((k) => ['HVALS', k]),
  fc.tuple(hashKey, fc.constantFrom([], ['WITHVALUES'])).map(([k, w]) => ['HRANDFIELD', k, '1000', ...w]),
  // COUNT 1000 makes every scan of these small collections complete in one call, on both.
  fc.tuple(hashKey, fc.constantFrom([], ['MATCH', '*1*'])).map(([k, o]) => ['HSCAN', k, '0', ...o, 'COUNT', '1000']),
);

const setCmd: fc.Arbitrary<Cmd> = fc.oneof(
  fc.tuple(setKey, fc.array(item, { minLength: 1, maxLength: 6 })).map(([k, ms]) => ['SADD', k, ...ms]),
  // Integers only, so that some sets stay intsets up to set-max-intset-entries.
  fc.array(fc.integer({ min: -5, max: 20 }).map(String), { minLength: 1, maxLength: 4 }).map((ms) => ['SADD', 's2', ...ms]),
  fc.tuple(setKey, fc.array(item, { minLength: 1, maxLength: 4 })).map(([k, ms]) => ['SREM', k, ...ms]),
  setKey.map((k) => ['SCARD', k]),
  fc.tuple(setKey, item).map(([k, m]) => ['SISMEMBER', k, m]),
  fc.tuple(setKey, fc.array(item, { minLength: 1, maxLength: 4 })).map(([k, ms]) => ['SMISMEMBER', k, ...ms]),
  setKey.map((k) => ['SMEMBERS', k]),
  setKey.map((k) => ['SRANDMEMBER', k, '1000']),
  fc.tuple(setKey, fc.constantFrom('0', 'x', '')).map(([k, n]) => ['SRANDMEMBER', k, n]),
  fc.tuple(setKey, setKey, item).map(([a, b, m]) => ['SMOVE', a, b, m]),
  fc.tuple(fc.constantFrom('SINTER', 'SUNION', 'SDIFF'), fc.array(setKey, { minLength: 1, maxLength: 3 }))
    .map(([op, ks]) => [op, ...ks]),
  fc.tuple(fc.constantFrom('SINTERSTORE', 'SUNIONSTORE', 'SDIFFSTORE'), anyKey, fc.array(setKey, { minLength: 1, maxLength: 3 }))
    .map(([op, d, ks]) => [op, d, ...ks]),
  fc.tuple(fc.array(setKey, { minLength: 1, maxLength: 3 }), fc.constantFrom([], ['LIMIT', '1'], ['LIMIT', '0']))
    .map(([ks, l]) => ['SINTERCARD', String(ks.length), ...ks, ...l]),
  fc.tuple(setKey, fc.constantFrom([], ['MATCH', '1*'])).map(([k, o]) => ['SSCAN', k, '0', ...o, 'COUNT', '1000']),
  fc.tuple(setKey, fc.constantFrom('0', '1000')).map(([k, n]) => ['SPOP', k, n === '0' ? '0' : '1000']),
);

const otherCmd: fc.Arbitrary<Cmd> = fc.oneof(
  fc.constant(['SET', 'str', 'v']),
  anyKey.map((k) => ['DEL', k]),
  fc.tuple(anyKey, anyKey).map(([a, b]) => ['COPY', a, b, 'REPLACE']),
  anyKey.map((k) => ['TYPE', k]),
);

const script = fc.array(fc.oneof({ weight: 5, arbitrary: hashCmd }, { weight: 5, arbitrary: setCmd },
  { weight: 1, arbitrary: otherCmd }), { minLength: 1, maxLength: 40, size: 'max' });

/** Commands whose reply lists a collection in its internal order. */
const ORDERED_BY_ENCODING = new Set(['HGETALL', 'HKEYS', 'HVALS', 'SMEMBERS', 'HSCAN', 'SSCAN', 'HRANDFIELD', 'SRANDMEMBER']);
const RESULT_SETS = new Set(['SINTER', 'SUNION', 'SDIFF', 'SPOP']);

/** Sends one command to both and compares: exactly when Redis's order is deterministic. */
async function compare(c: Compat, cmd: Cmd): Promise<void> {
  const name = cmd[0];
  if (RESULT_SETS.has(name)) {
    await c.sameUnordered(...cmd);
    return;
  }
  if (!ORDERED_BY_ENCODING.has(name)) {
    await c.same(...cmd);
    return;
  }
  const enc = await c.redis.call('OBJECT', 'ENCODING', cmd[1]);
  if (enc === 'listpack' || enc === 'intset' || enc === null) {
    await c.same(...cmd);
  } else if (name === 'HSCAN' || name === 'SSCAN') {
    // One call covers these small collections (COUNT 1000) on both servers: compare the
    // cursor and the elements, as pairs for HSCAN.
    const [r, e] = await c.both(...cmd);
    const items = (x: unknown): string[] => {
      const list = ((x as unknown[])[1] ?? []) as string[];
      if (name === 'SSCAN') return [...list].sort();
      const pairs: string[] = [];
      for (let i = 0; i < list.length; i += 2) pairs.push(JSON.stringify([list[i], list[i + 1]]));
      return pairs.sort();
    };
    if (r.reply.type === 'error' || e.reply.type === 'error') {
      assert.is(e.bytes, r.bytes);
      return;
    }
    const [rc, ec] = [plain(r.reply) as unknown[], plain(e.reply) as unknown[]];
    assert.equal([ec[0], items(ec)], [rc[0], items(rc)], cmd.join(' '));
  } else {
    await c.sameUnordered(...cmd);
  }
}

// ECHOKV_PROPERTY_SEED and ECHOKV_PROPERTY_RUNS explore other sequences (fixed by default, so
// that a run reproduces).
const SEED = env.ECHOKV_PROPERTY_SEED === undefined ? undefined : Number(env.ECHOKV_PROPERTY_SEED);
const RUNS = Number(env.ECHOKV_PROPERTY_RUNS ?? 100);

function register(name: string, config: Record<string, string>, seed: number): void {
  const test = compatSuite(name, config);
  test('random command sequences leave the same replies and datasets', async ({ c }) => {
    await fc.assert(
      fc.asyncProperty(script, async (cmds) => {
        await c.reset();
        for (const cmd of cmds) await compare(c, cmd);
        await c.sameDataset();
        // sameDataset compares hashes and sets as collections; where Redis's order is defined
        // (listpack, intset), compare it exactly too.
        for (const key of KEYS) {
          const type = await c.redis.call('TYPE', key);
          if (type === 'hash') await compare(c, ['HGETALL', key]);
          if (type === 'set') await compare(c, ['SMEMBERS', key]);
        }
      }),
      { numRuns: RUNS, seed: SEED ?? seed },
    );
  });
  test.run();
}

register('property: hashes and sets, default thresholds', {}, 20240611);
register('property: hashes and sets, tiny thresholds', {
  'hash-max-listpack-entries': '4', 'hash-max-listpack-value': '8', 'set-max-intset-entries': '4',
}, 77);
