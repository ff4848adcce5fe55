// Every command echokv registers, checked against redis-server's own metadata: the whole COMMAND
// INFO reply byte for byte in RESP2 and RESP3 (tips, key specs and subcommands included), COMMAND
// GETKEYS/GETKEYSANDFLAGS on examples of every kind of key spec, and COMMAND DOCS's summary, since,
// group, complexity, argument syntax and key-spec links, and the whole argument tree of every
// command and subcommand exactly. This covers all command groups, whoever wrote them, so a wrong
// CommandSpec shows up here. A usage-string round trip checks core/command_docs.ts itself.
import { test as unit } from 'uvu';
import * as assert from 'uvu/assert';
import { compatSuite } from './_compat.ts';
import { type ArgDoc, parseUsage, renderUsage } from '../../core/command_docs.ts';
import { ALL_COMMANDS } from '../../core/commands/mod.ts';
import type { CommandSpec } from '../../core/command.ts';

type Info = [string, number, string[], number, number, number, string[], string[], unknown[], Info[]];

/** A RESP2 flat map as an object. */
function obj(flat: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const a = flat as unknown[];
  for (let i = 0; i < a.length; i += 2) out[a[i] as string] = a[i + 1];
  return out;
}

/** An argument of a COMMAND DOCS reply as an ArgDoc, to render it as redis.io does. */
function toArg(flat: unknown): ArgDoc {
  const o = obj(flat);
  return {
    name: o.name as string,
    type: o.type as ArgDoc['type'],
    token: o.token as string | undefined,
    since: o.since as string | undefined,
    deprecatedSince: o.deprecated_since as string | undefined,
    flags: (o.flags as ArgDoc['flags'] | undefined) ?? [],
    arguments: o.arguments ? (o.arguments as unknown[]).map(toArg) : undefined,
  };
}

function syntax(docs: Record<string, unknown>): string {
  return renderUsage(((docs.arguments as unknown[] | undefined) ?? []).map(toArg));
}

const test = compatSuite('command metadata');

test('COMMAND INFO: name, arity, flags, key positions and ACL categories of every command', async ({ c }) => {
  const names = (await c.echo.call('COMMAND', 'LIST')) as string[];
  assert.ok(names.length > 0);
  const problems: string[] = [];
  for (const name of names.sort()) {
    const [r] = (await c.redis.call('COMMAND', 'INFO', name)) as (Info | null)[];
    const [e] = (await c.echo.call('COMMAND', 'INFO', name)) as (Info | null)[];
    if (e === null) {
      problems.push(`${name}: listed by COMMAND LIST but unknown to COMMAND INFO`);
      continue;
    }
    if (r === null) {
      problems.push(`${name}: not a Redis 7.0 command`);
      continue;
    }
    const check = (what: string, mine: unknown, theirs: unknown): void => {
      if (JSON.stringify(mine) !== JSON.stringify(theirs)) {
        problems.push(`${name}: ${what} is ${JSON.stringify(mine)}, Redis has ${JSON.stringify(theirs)}`);
      }
    };
    check('name', e[0], r[0]);
    check('arity', e[1], r[1]);
    check('flags', e[2], r[2]);
    check('first/last/step', e.slice(3, 6), r.slice(3, 6));
    check('ACL categories', e[6], r[6]);
  }
  assert.equal(problems, [], problems.join('\n'));
});

/** The end of the RESP value that starts at `p` in the byte string `b`. */
function skip(b: string, p: number): number {
  const eol = b.indexOf('\r\n', p);
  const head = b.slice(p + 1, eol);
  const t = b[p];
  if (t === '$' || t === '=' || t === '!') return head === '-1' ? eol + 2 : eol + 2 + Number(head) + 2;
  if (t === '*' || t === '~' || t === '>' || t === '%' || t === '|') {
    let n = head === '-1' ? 0 : Number(head);
    if (t === '%' || t === '|') n *= 2;
    let q = eol + 2;
    for (let i = 0; i < n; i++) q = skip(b, q);
    return q;
  }
  return eol + 2;
}

/**
 * COMMAND INFO of one command as bytes, with the subcommands (element 10, which Redis lists in the
 * order of its randomly seeded dict) in name order and those in `drop` left out; and the names of
 * all its subcommands.
 */
function canonicalInfo(bytes: string, drop: ReadonlySet<string> = new Set()): { bytes: string; subs: string[] } {
  // `*1` (the reply), then the 10-element array: nine fields, then the subcommands.
  let p = bytes.indexOf('\r\n') + 2;
  p = bytes.indexOf('\r\n', p) + 2;
  for (let i = 0; i < 9; i++) p = skip(bytes, p);
  const headEnd = bytes.indexOf('\r\n', p) + 2;
  const n = Number(bytes.slice(p + 1, headEnd - 2));
  const subs: [string, string][] = [];
  let q = headEnd;
  for (let i = 0; i < n; i++) {
    const end = skip(bytes, q);
    const sub = bytes.slice(q, end);
    const nameAt = sub.indexOf('\r\n', sub.indexOf('\r\n') + 2) + 2;
    subs.push([sub.slice(nameAt, sub.indexOf('\r\n', nameAt)), sub]);
    q = end;
  }
  subs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const kept = subs.filter((s) => !drop.has(s[0]));
  const head = n === kept.length ? bytes.slice(p, headEnd) : `${bytes[p]}${kept.length}\r\n`;
  return {
    bytes: bytes.slice(0, p) + head + kept.map((s) => s[1]).join('') + bytes.slice(q),
    subs: subs.map((s) => s[0]),
  };
}

// Subcommands of Redis 7.0 that echokv does not have (yet). Left out of the container's reply
// (their own replies cannot be compared); the test fails when one of them appears, so the list
// stays current.
const NOT_IMPLEMENTED: ReadonlySet<string> = new Set<string>([]);

for (const proto of ['2', '3']) {
  test(`COMMAND INFO (RESP${proto}): every command and subcommand, byte for byte`, async ({ c }) => {
    await c.redis.call('HELLO', proto);
    await c.echo.call('HELLO', proto);
    const names = (await c.echo.call('COMMAND', 'LIST')) as string[];
    assert.ok(names.length > 200);
    const problems: string[] = [];
    for (const name of names.sort()) {
      const [r, e] = await c.both('COMMAND', 'INFO', name);
      if (r.bytes === (proto === '2' ? '*1\r\n*-1\r\n' : '*1\r\n_\r\n')) {
        problems.push(`${name}: not a Redis 7.0 command`);
        continue;
      }
      if (NOT_IMPLEMENTED.has(name)) problems.push(`${name}: implemented now, take it off NOT_IMPLEMENTED`);
      const theirs = canonicalInfo(r.bytes, NOT_IMPLEMENTED);
      const mine = canonicalInfo(e.bytes);
      const missing = theirs.subs.filter((s) => !mine.subs.includes(s) && !NOT_IMPLEMENTED.has(s));
      if (missing.length > 0) problems.push(`${name}: subcommands missing: ${missing.join(' ')}`);
      if (mine.bytes !== theirs.bytes) {
        problems.push(`${name}:\n  echokv ${JSON.stringify(mine.bytes)}\n  redis  ${JSON.stringify(theirs.bytes)}`);
      }
    }
    await c.redis.call('HELLO', '2');
    await c.echo.call('HELLO', '2');
    assert.equal(problems, [], problems.join('\n'));
  });
}

// One example of every kind of key spec: index and keyword searches, range and keynum finds,
// several specs, 'unknown' specs (SORT), VARIABLE_FLAGS (SET, BITFIELD), NOT_KEY channels, and
// arguments that make the specs fail.
const GETKEYS_EXAMPLES: string[][] = [
  ['GET', 'k'], ['SET', 'k', 'v'], ['SET', 'k', 'v', 'GET'], ['SET', 'k', 'v', 'EX', '1', 'get'],
  ['MSET', 'a', '1', 'b', '2'], ['DEL', 'a', 'b', 'c'], ['RENAME', 'a', 'b'], ['RENAMENX', 'a', 'b'],
  ['COPY', 'a', 'b', 'REPLACE'], ['BITOP', 'AND', 'd', 'a', 'b'], ['BITFIELD', 'k', 'GET', 'u8', '0'],
  ['BITFIELD', 'k', 'OVERFLOW', 'SAT', 'GET', 'u8', '0'], ['BITFIELD', 'k', 'SET', 'u8', '0', '1'],
  ['BITFIELD', 'k', 'GET', 'u8'], ['BITFIELD', 'k'], ['GETEX', 'k', 'PERSIST'],
  ['LMOVE', 'a', 'b', 'LEFT', 'RIGHT'], ['RPOPLPUSH', 'a', 'b'], ['BLMOVE', 'a', 'b', 'LEFT', 'LEFT', '0'],
  ['BRPOPLPUSH', 'a', 'b', '0'], ['LMPOP', '2', 'a', 'b', 'LEFT'], ['LMPOP', '0', 'a', 'LEFT'],
  ['LMPOP', '3', 'a', 'LEFT'], ['BLMPOP', '0', '2', 'a', 'b', 'RIGHT', 'COUNT', '2'], ['BLPOP', 'a', 'b', '0'],
  ['SMOVE', 'a', 'b', 'm'], ['SINTERCARD', '2', 'a', 'b', 'LIMIT', '1'], ['SINTERCARD', 'x', 'a'],
  ['SINTERSTORE', 'd', 'a', 'b'], ['SUNIONSTORE', 'd', 'a'], ['SDIFFSTORE', 'd', 'a', 'b'],
  ['SORT', 'k'], ['SORT', 'k', 'BY', 'w_*', 'GET', '#', 'STORE', 'd'], ['SORT', 'k', 'STORE', 'd', 'STORE', 'e'],
  ['SORT_RO', 'k', 'BY', 'w_*'], ['ZRANGESTORE', 'd', 's', '0', '-1'], ['ZMPOP', '1', 'a', 'MIN'],
  ['BZMPOP', '0', '2', 'a', 'b', 'MAX'], ['ZUNION', '2', 'a', 'b', 'WITHSCORES'], ['ZINTER', '1', 'a'],
  ['ZDIFF', '2', 'a', 'b'], ['ZINTERCARD', '2', 'a', 'b'], ['ZUNIONSTORE', 'd', '2', 'a', 'b', 'WEIGHTS', '1', '2'],
  ['ZINTERSTORE', 'd', '1', 'a'], ['ZDIFFSTORE', 'd', '2', 'a', 'b'], ['ZUNIONSTORE', 'd', '0', 'a'],
  ['ZUNIONSTORE', 'd', '5', 'a'], ['ZUNION', '-1', 'a'], ['XADD', 's', '*', 'f', 'v'],
  ['XREAD', 'COUNT', '1', 'STREAMS', 'a', 'b', '0', '0'], ['XREAD', 'STREAMS', 'a', 'b', 'c'],
  ['XREAD', 'streams', 'a', '0'], ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'a', '>'],
  ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '1', 'STREAMS', 'a', 'b', '0', '0'], ['XGROUP', 'CREATE', 's', 'g', '$'],
  ['XINFO', 'STREAM', 's'], ['OBJECT', 'ENCODING', 'k'], ['MEMORY', 'USAGE', 'k'], ['EXISTS', 'a', 'b'],
  ['TOUCH', 'a'], ['UNLINK', 'a', 'b'], ['TTL', 'k'], ['PING'], ['PUBLISH', 'ch', 'm'], ['SPUBLISH', 'ch', 'm'],
  ['SSUBSCRIBE', 'ch'], ['NOSUCH', 'k'], ['GET'], ['RENAME', 'a'],
];

for (const proto of ['2', '3']) {
  test(`COMMAND GETKEYS and GETKEYSANDFLAGS (RESP${proto}) follow the key specs`, async ({ c }) => {
    await c.redis.call('HELLO', proto);
    await c.echo.call('HELLO', proto);
    for (const ex of GETKEYS_EXAMPLES) {
      await c.same('COMMAND', 'GETKEYS', ...ex);
      await c.same('COMMAND', 'GETKEYSANDFLAGS', ...ex);
    }
    await c.redis.call('HELLO', '2');
    await c.echo.call('HELLO', '2');
  });
}

/**
 * The arguments of a COMMAND DOCS reply that carry a value (not tokens, not groups), in order,
 * each as `name:type`, with `@index` for the key spec it points at.
 */
function leaves(args: unknown, out: string[] = []): string[] {
  for (const flat of (args as unknown[] | undefined) ?? []) {
    const a = obj(flat);
    if (a.arguments) leaves(a.arguments, out);
    else if (a.type !== 'pure-token') out.push(`${a.name}:${a.type}` + (a.key_spec_index === undefined ? '' : `@${a.key_spec_index}`));
  }
  return out;
}

// Every field of COMMAND DOCS but the subcommands (compared by name here, and each on its own in
// the next test), with readable messages: the argument syntax (names, since and nesting
// included, see core/command_docs.ts) and the value arguments with their key-spec links.
test('COMMAND DOCS: every field, the argument syntax and each argument of every command', async ({ c }) => {
  const names = (await c.echo.call('COMMAND', 'LIST')) as string[];
  const problems: string[] = [];
  for (const name of names.sort()) {
    const r = obj(((await c.redis.call('COMMAND', 'DOCS', name)) as unknown[])[1] ?? []);
    const e = obj(((await c.echo.call('COMMAND', 'DOCS', name)) as unknown[])[1] ?? []);
    if (Object.keys(r).length === 0) continue; // not a Redis command: reported by the test above
    const fields = new Set([...Object.keys(r), ...Object.keys(e)]);
    fields.delete('arguments');
    fields.delete('subcommands');
    for (const field of fields) {
      if (JSON.stringify(e[field]) !== JSON.stringify(r[field])) {
        problems.push(`${name}: ${field} is ${JSON.stringify(e[field])}, Redis has ${JSON.stringify(r[field])}`);
      }
    }
    const mine = syntax(e);
    const theirs = syntax(r);
    if (mine !== theirs) problems.push(`${name}: args is ${JSON.stringify(mine)}, Redis has ${JSON.stringify(theirs)}`);
    const myLeaves = leaves(e.arguments).join(' ');
    const theirLeaves = leaves(r.arguments).join(' ');
    if (myLeaves !== theirLeaves) problems.push(`${name}: arguments are ${myLeaves}, Redis has ${theirLeaves}`);
    const subs = (x: Record<string, unknown>): string[] =>
      Object.keys(obj(x.subcommands ?? [])).filter((s) => !NOT_IMPLEMENTED.has(s)).sort();
    if (subs(e).join() !== subs(r).join()) problems.push(`${name}: subcommands are ${subs(e)}, Redis has ${subs(r)}`);
  }
  assert.equal(problems, [], problems.join('\n'));
});

// The argument trees as Redis sends them (RESP2 flat maps, so field order counts too): any
// difference the syntax above could still hide, in commands and subcommands alike.
test('COMMAND DOCS: the argument tree of every command and subcommand, exactly', async ({ c }) => {
  const names = (await c.echo.call('COMMAND', 'LIST')) as string[];
  assert.ok(names.length > 200);
  const differing: string[] = [];
  let compared = 0;
  for (const name of names.sort()) {
    const r = obj(((await c.redis.call('COMMAND', 'DOCS', name)) as unknown[])[1] ?? []);
    if (Object.keys(r).length === 0) continue; // not a Redis command: reported above
    const e = obj(((await c.echo.call('COMMAND', 'DOCS', name)) as unknown[])[1] ?? []);
    compared++;
    if (JSON.stringify(e.arguments ?? []) !== JSON.stringify(r.arguments ?? [])) differing.push(name);
  }
  assert.ok(compared > 300, `only ${compared} commands compared`);
  assert.equal(differing, [], `${differing.length} commands' argument trees differ from Redis's: ${differing.join(' ')}`);
});

test('COMMAND COUNT, COMMAND and COMMAND LIST agree with each other', async ({ c }) => {
  const count = (await c.echo.call('COMMAND', 'COUNT')) as number;
  const all = (await c.echo.call('COMMAND')) as Info[];
  const list = (await c.echo.call('COMMAND', 'LIST')) as string[];
  assert.is(all.length, count);
  let subs = 0;
  for (const cmd of all) subs += cmd[9].length;
  assert.is(list.length, count + subs);
});

test.run();

// The parser behind COMMAND DOCS, without servers.

function specsWithArgs(specs: readonly CommandSpec[], prefix = ''): [string, string][] {
  const out: [string, string][] = [];
  for (const s of specs) {
    if (s.args !== undefined) out.push([prefix + s.name, s.args]);
    if (s.subcommands) out.push(...specsWithArgs(s.subcommands, s.name + '|'));
  }
  return out;
}

unit('every registered usage string parses and renders back unchanged', () => {
  for (const [name, args] of specsWithArgs(ALL_COMMANDS)) {
    // `name:type` annotations are not part of the rendered syntax.
    const normalized = args.trim().replace(/\s+/g, ' ').replace(/:(key|string|integer|double|pattern|unix-time)\b/g, '');
    assert.is(renderUsage(parseUsage(args)), normalized, `args of ${name}`);
  }
});

unit('usage strings become Redis argument trees', () => {
  const set = parseUsage('key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | KEEPTTL]');
  assert.equal(set.map((a) => [a.name, a.type, a.flags]), [
    ['key', 'key', []], ['value', 'string', []], ['nx_xx', 'oneof', ['optional']], ['get', 'pure-token', ['optional']],
    ['seconds_milliseconds_unix-time-seconds_keepttl', 'oneof', ['optional']],
  ]);
  assert.equal(set[4].arguments!.map((a) => [a.name, a.type, a.token]), [
    ['seconds', 'integer', 'EX'], ['milliseconds', 'integer', 'PX'], ['unix-time-seconds', 'unix-time', 'EXAT'],
    ['keepttl', 'pure-token', 'KEEPTTL'],
  ]);
  const mset = parseUsage('key value [key value ...]');
  assert.equal(mset.map((a) => [a.name, a.type, a.flags]), [['key_value', 'block', ['multiple']]]);
  const scan = parseUsage('cursor [MATCH pattern] [COUNT count] [TYPE type]');
  assert.equal(scan.map((a) => [a.name, a.type, a.token, a.flags]), [
    ['cursor', 'integer', undefined, []], ['pattern', 'pattern', 'MATCH', ['optional']],
    ['count', 'integer', 'COUNT', ['optional']], ['type', 'string', 'TYPE', ['optional']],
  ]);
  const sort = parseUsage('key [GET pattern [GET pattern ...]] [LIMIT offset count]');
  assert.equal(sort[1].flags, ['optional', 'multiple', 'multiple_token']);
  assert.equal([sort[2].type, sort[2].token, sort[2].arguments!.map((a) => a.name)], ['block', 'LIMIT', ['offset', 'count']]);
  const list = parseUsage('[TYPE <NORMAL | MASTER>] [ID client-id [client-id ...]]');
  assert.equal([list[0].type, list[0].token, list[0].flags], ['oneof', 'TYPE', ['optional']]);
  assert.equal([list[1].name, list[1].token, list[1].flags], ['client-id', 'ID', ['optional', 'multiple']]);
  const typed = parseUsage('key increment:double');
  assert.equal(typed[1], { name: 'increment', type: 'double', flags: [] });
  assert.is(renderUsage(typed), 'key increment');
  assert.equal(parseUsage(''), []);
});

unit('since, names, required blocks and exact blocks say what redis.io syntax leaves out', () => {
  // Each string renders back unchanged: the annotations appear only where the tree needs them.
  const roundTrip = (usage: string): ArgDoc[] => {
    const args = parseUsage(usage);
    assert.is(renderUsage(args), usage);
    return args;
  };
  const set = roundTrip('key condition=[NX | XX]@2.6.12 [GET]@6.2.0 [EX seconds@2.6.12 | KEEPTTL@6.0.0] key [key ...]@7.0.0');
  assert.equal(set.map((a) => [a.name, a.type, a.since]), [
    ['key', 'key', undefined], ['condition', 'oneof', '2.6.12'], ['get', 'pure-token', '6.2.0'],
    ['seconds_keepttl', 'oneof', undefined], ['key', 'key', '7.0.0'],
  ]);
  assert.equal(set[3].arguments!.map((a) => [a.name, a.token, a.since]), [['seconds', 'EX', '2.6.12'], ['keepttl', 'KEEPTTL', '6.0.0']]);
  const kill = roundTrip('filter=<ip:port@-2.8.12 | [USER username]>');
  assert.equal([kill[0].arguments![0].name, kill[0].arguments![0].deprecatedSince], ['ip:port', '2.8.12']);
  const xtrim = roundTrip('key trim=<strategy=<MAXLEN | MINID@6.2.0> operator=[equal== | approximately=~] threshold>');
  assert.equal([xtrim[1].name, xtrim[1].type, xtrim[1].flags], ['trim', 'block', []]);
  assert.equal(xtrim[1].arguments![1].arguments!.map((a) => [a.name, a.token]), [['equal', '='], ['approximately', '~']]);
  const group = roundTrip('GROUP <group consumer> streams=STREAMS <key [key ...] id [id ...]>');
  assert.equal(group.map((a) => [a.name, a.type, a.token]), [['group_consumer', 'block', 'GROUP'], ['streams', 'block', 'STREAMS']]);
  const radius = roundTrip('count=[{COUNT count [ANY]}] {pattern} [{pattern} ...] id=[ID {client-id [client-id ...]}]');
  assert.equal(radius.map((a) => [a.name, a.type, a.token, a.flags]), [
    ['count', 'block', undefined, ['optional']], ['pattern', 'block', undefined, ['multiple']], ['id', 'block', 'ID', ['optional']],
  ]);
  assert.equal(radius[0].arguments!.map((a) => [a.name, a.token]), [['count', 'COUNT'], ['any', 'ANY']]);
  const bitfield = roundTrip('[GET encoding offset | write=<[OVERFLOW <WRAP | SAT | FAIL>] <SET encoding | INCRBY encoding>>]');
  assert.equal(bitfield[0].arguments!.map((a) => [a.name, a.type, a.token]), [['encoding_offset', 'block', 'GET'], ['write', 'block', undefined]]);
  // Without annotations, the default: a repeated `TOKEN a b` block takes the token (BITFIELD_RO).
  roundTrip('[[x]] [{[x]} y]');
  const ro = roundTrip('[GET encoding offset [GET encoding offset ...]]');
  assert.equal([ro[0].name, ro[0].token, ro[0].flags], ['encoding_offset', 'GET', ['optional', 'multiple', 'multiple_token']]);
});

unit('invalid usage strings are refused with the reason', () => {
  for (const bad of ['[key', 'key]', '<a | b]', 'a | b', '[x [y ...]]', '[a |]', 'name=key', 'x= | y', '@7.0.0 key', '{a | b}']) {
    assert.throws(() => parseUsage(bad), (e: Error) => e.message.includes(JSON.stringify(bad)), bad);
  }
});

unit.run();
