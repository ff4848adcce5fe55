// Property tests: random bounded sequences of stream commands (fast-check) go to redis-server and
// echokv; every reply must be the same (idle and delivery times within a tolerance), and
// afterwards both datasets must match key by key (type, entries, OBJECT ENCODING, TTL) and so must
// XINFO STREAM FULL. Tiny node limits (4 entries, 400 bytes) make streams span many nodes within a
// few commands, so node splitting, tombstones, whole-node trimming with `~`, the radix tree
// counts and the groups' entries-read and lag are all exercised. IDs are explicit (or <ms>-*):
// `*` would depend on each server's clock.
import fc from 'fast-check';
import * as assert from 'uvu/assert';
import { type Compat, compatSuite, show } from './_compat.ts';
import { plain, type Reply } from '../_resp.ts';

const test = compatSuite('stream properties', { 'stream-node-max-entries': '4', 'stream-node-max-bytes': '400' });

const TOLERANCE = 2000;
const ID_RE = /^\d+-\d+$/;

/** Compares replies exactly but for clock-dependent integers (as in stream.test.ts). */
function diffTimed(a: Reply, b: Reply, path: string, out: string[], timeSlot = false): void {
  if (a.type !== b.type) {
    out.push(`${path}: type ${a.type} vs ${b.type}`);
    return;
  }
  if (a.type === 'int' && b.type === 'int') {
    const d = a.value - b.value;
    if (timeSlot ? d > TOLERANCE || d < -TOLERANCE : d !== 0n) out.push(`${path}: ${a.value} vs ${b.value}`);
    return;
  }
  const items = (r: Reply): Reply[] | null => {
    if (r.type === 'array') return r.value;
    if (r.type === 'set' || r.type === 'push') return r.value;
    if (r.type === 'map') return r.value.flat();
    return null;
  };
  const ia = items(a);
  const ib = items(b);
  if (ia === null || ib === null) {
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${path}: ${JSON.stringify(plain(a))} vs ${JSON.stringify(plain(b))}`);
    return;
  }
  if (ia.length !== ib.length) {
    out.push(`${path}: length ${ia.length} vs ${ib.length}`);
    return;
  }
  const isId = (r: Reply | undefined): boolean => r !== undefined && r.type === 'bulk' && r.value !== null && ID_RE.test(r.value);
  const row4 = ia.length === 4 && isId(ia[0]) && ia[1].type === 'bulk' && ia[2].type === 'int' && ia[3].type === 'int';
  const row3 = ia.length === 3 && isId(ia[0]) && ia[1].type === 'int' && ia[2].type === 'int';
  for (let i = 0; i < ia.length; i++) {
    const prev = ia[i - 1];
    const keyed = prev !== undefined && prev.type === 'bulk' && (prev.value === 'idle' || prev.value === 'seen-time');
    diffTimed(ia[i], ib[i], `${path}[${i}]`, out, keyed || (row4 && i === 2) || (row3 && i === 1));
  }
}

async function sameTimed(c: Compat, ...args: string[]): Promise<void> {
  const [r, e] = await c.both(...args);
  const out: string[] = [];
  diffTimed(r.reply, e.reply, 'reply', out);
  assert.equal(out, [], `reply to ${args.join(' ')}:\n  redis  ${show(r.bytes)}\n  echokv ${show(e.bytes)}`);
}

const key = fc.constantFrom('a', 'b');
const grp = fc.constantFrom('g1', 'g2');
const consumer = fc.constantFrom('c1', 'c2', 'c3');
const ms = fc.integer({ min: 0, max: 24 });
const fullId = fc.tuple(ms, fc.integer({ min: 0, max: 3 })).map(([m, s]) => `${m}-${s}`);
const anyId = fc.oneof(fullId, ms.map(String));
const addId = fc.oneof(fullId, fullId, ms.map((m) => `${m}-*`), ms.map(String));
const bound = fc.oneof(anyId, fc.constantFrom('-', '+'), anyId.map((i) => '(' + i));
const field = fc.constantFrom('f', 'g', 'name', '', '1');
const value = fc.constantFrom('v', '', '12', '-7', 'x'.repeat(40), 'a\x00\xff', '9223372036854775808');
const pairs = fc.array(fc.tuple(field, value), { minLength: 1, maxLength: 3 }).map((ps) => ps.flat());
const count = fc.integer({ min: 0, max: 6 }).map(String);
const opt = <T>(a: fc.Arbitrary<T[]>): fc.Arbitrary<T[]> => fc.option(a, { nil: [] as T[] });
const trim = fc.oneof(
  fc.tuple(fc.constantFrom([], ['='], ['~']), fc.integer({ min: 0, max: 12 })).map(([m, n]) => ['MAXLEN', ...m, String(n)]),
  fc.tuple(fc.constantFrom([], ['='], ['~']), fullId).map(([m, i]) => ['MINID', ...m, i]),
  fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 9 })).map(([n, l]) => ['MAXLEN', '~', String(n), 'LIMIT', String(l)]),
);
const flag = (name: string): fc.Arbitrary<string[]> => fc.boolean().map((b) => (b ? [name] : []));

const command: fc.Arbitrary<string[]> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(key, flag('NOMKSTREAM'), opt(trim), addId, pairs).map(([k, n, t, i, p]) => ['XADD', k, ...n, ...t, i, ...p]) },
  { weight: 2, arbitrary: fc.tuple(key, fc.array(anyId, { minLength: 1, maxLength: 3 })).map(([k, ids]) => ['XDEL', k, ...ids]) },
  { weight: 2, arbitrary: fc.tuple(key, trim).map(([k, t]) => ['XTRIM', k, ...t]) },
  fc.tuple(key, bound, bound, opt(count.map((n) => ['COUNT', n]))).map(([k, x, y, n]) => ['XRANGE', k, x, y, ...n]),
  fc.tuple(key, bound, bound, opt(count.map((n) => ['COUNT', n]))).map(([k, x, y, n]) => ['XREVRANGE', k, x, y, ...n]),
  key.map((k) => ['XLEN', k]),
  fc.tuple(opt(count.map((n) => ['COUNT', n])), fc.oneof(anyId, fc.constant('$')), fc.oneof(anyId, fc.constant('$')))
    .map(([n, x, y]) => ['XREAD', ...n, 'STREAMS', 'a', 'b', x, y]),
  { weight: 2, arbitrary: fc.tuple(key, grp, fc.oneof(anyId, fc.constant('$')), flag('MKSTREAM'), opt(fc.integer({ min: -1, max: 12 }).map((n) => ['ENTRIESREAD', String(n)])))
    .map(([k, g, i, m, e]) => ['XGROUP', 'CREATE', k, g, i, ...m, ...e]) },
  fc.tuple(key, grp, fc.oneof(anyId, fc.constant('$')), opt(fc.integer({ min: -1, max: 12 }).map((n) => ['ENTRIESREAD', String(n)])))
    .map(([k, g, i, e]) => ['XGROUP', 'SETID', k, g, i, ...e]),
  fc.tuple(key, grp).map(([k, g]) => ['XGROUP', 'DESTROY', k, g]),
  fc.tuple(key, grp, consumer).map(([k, g, c]) => ['XGROUP', 'CREATECONSUMER', k, g, c]),
  fc.tuple(key, grp, consumer).map(([k, g, c]) => ['XGROUP', 'DELCONSUMER', k, g, c]),
  { weight: 4, arbitrary: fc.tuple(grp, consumer, opt(count.map((n) => ['COUNT', n])), flag('NOACK'), key, fc.oneof(fc.constant('>'), fc.constant('>'), anyId))
    .map(([g, c, n, a, k, i]) => ['XREADGROUP', 'GROUP', g, c, ...n, ...a, 'STREAMS', k, i]) },
  fc.tuple(grp, consumer, fc.constantFrom('>', '0'), fc.constantFrom('>', '0'))
    .map(([g, c, x, y]) => ['XREADGROUP', 'GROUP', g, c, 'STREAMS', 'a', 'b', x, y]),
  { weight: 2, arbitrary: fc.tuple(key, grp, fc.array(anyId, { minLength: 1, maxLength: 3 })).map(([k, g, ids]) => ['XACK', k, g, ...ids]) },
  fc.tuple(key, grp).map(([k, g]) => ['XPENDING', k, g]),
  fc.tuple(key, grp, bound, bound, count, fc.option(consumer, { nil: undefined }))
    .map(([k, g, x, y, n, c]) => ['XPENDING', k, g, x, y, n, ...(c === undefined ? [] : [c])]),
  { weight: 2, arbitrary: fc.tuple(key, grp, consumer, fc.array(anyId, { minLength: 1, maxLength: 3 }), flag('JUSTID'), flag('FORCE'),
    opt(fc.integer({ min: 0, max: 5 }).map((n) => ['RETRYCOUNT', String(n)])), opt(fullId.map((i) => ['LASTID', i])))
    .map(([k, g, c, ids, j, f, r, l]) => ['XCLAIM', k, g, c, '0', ...ids, ...j, ...f, ...r, ...l]) },
  fc.tuple(key, grp, consumer, fc.oneof(anyId, anyId.map((i) => '(' + i)), fc.integer({ min: 1, max: 4 }), flag('JUSTID'))
    .map(([k, g, c, s, n, j]) => ['XAUTOCLAIM', k, g, c, '0', s, 'COUNT', String(n), ...j]),
  fc.tuple(key, fullId, opt(fc.integer({ min: 0, max: 30 }).map((n) => ['ENTRIESADDED', String(n)])), opt(fullId.map((i) => ['MAXDELETEDID', i])))
    .map(([k, i, e, m]) => ['XSETID', k, i, ...e, ...m]),
  key.map((k) => ['XINFO', 'STREAM', k]),
  key.map((k) => ['XINFO', 'GROUPS', k]),
  fc.tuple(key, grp).map(([k, g]) => ['XINFO', 'CONSUMERS', k, g]),
  fc.tuple(key, fc.constantFrom([], ['COUNT', '0'], ['COUNT', '3'])).map(([k, n]) => ['XINFO', 'STREAM', k, 'FULL', ...n]),
);

/** Commands whose replies hold idle or delivery times. */
const TIMED = new Set(['XPENDING', 'XINFO']);

async function run(c: Compat, cmds: string[][]): Promise<void> {
  await c.reset();
  for (const cmd of cmds) {
    if (TIMED.has(cmd[0])) await sameTimed(c, ...cmd);
    else await c.same(...cmd);
  }
  await c.sameDataset();
  for (const k of ['a', 'b']) {
    if ((await c.same('TYPE', k)) === 'stream') await sameTimed(c, 'XINFO', 'STREAM', k, 'FULL', 'COUNT', '0');
  }
}

test('random command sequences: same replies, the same streams, groups and nodes', async ({ c }) => {
  await fc.assert(
    fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 50, size: 'max' }), (cmds) => run(c, cmds)),
    { numRuns: 80 },
  );
});

test('long runs on one stream: appends, deletions and trimming across many nodes', async ({ c }) => {
  // XADDs carry an increment; the IDs are the running sums, so they always grow.
  const longRun = fc.array(fc.oneof(
    { weight: 5, arbitrary: fc.tuple(fc.integer({ min: 1, max: 4 }), pairs).map(([n, p]) => ['XADD', 'a', String(n), ...p]) },
    { weight: 2, arbitrary: fc.integer({ min: 1, max: 200 }).map((i) => ['XDEL', 'a', `${i}-0`]) },
    fc.tuple(fc.constantFrom('=', '~'), fc.integer({ min: 0, max: 60 })).map(([m, n]) => ['XTRIM', 'a', 'MAXLEN', m, String(n)]),
    fc.tuple(fc.constantFrom('=', '~'), fc.integer({ min: 0, max: 200 })).map(([m, i]) => ['XTRIM', 'a', 'MINID', m, String(i)]),
    fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 200 })).map(([x, y]) => ['XRANGE', 'a', String(x), String(y)]),
    fc.constant(['XINFO', 'STREAM', 'a']),
  ), { minLength: 20, maxLength: 150 }).map((cmds) => {
    let id = 0;
    return cmds.map((cmd) => (cmd[0] === 'XADD' ? ['XADD', 'a', `${(id += Number(cmd[2]))}-0`, ...cmd.slice(3)] : cmd));
  });
  await fc.assert(fc.asyncProperty(longRun, (cmds) => run(c, cmds)), { numRuns: 15 });
});

test.run();
