// Every command echokv registers, checked against redis-server's own metadata: COMMAND INFO's
// name, arity, flags, key positions and ACL categories, and COMMAND DOCS's summary, since, group,
// complexity and argument syntax. This covers all command groups, whoever wrote them, so a wrong
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

test('COMMAND DOCS: summary, since, group, complexity and arguments of every command', async ({ c }) => {
  const names = (await c.echo.call('COMMAND', 'LIST')) as string[];
  const problems: string[] = [];
  for (const name of names.sort()) {
    const r = obj(((await c.redis.call('COMMAND', 'DOCS', name)) as unknown[])[1] ?? []);
    const e = obj(((await c.echo.call('COMMAND', 'DOCS', name)) as unknown[])[1] ?? []);
    if (Object.keys(r).length === 0) continue; // not a Redis command: reported by the test above
    for (const field of ['summary', 'since', 'group', 'complexity']) {
      if (e[field] !== r[field]) {
        problems.push(`${name}: ${field} is ${JSON.stringify(e[field])}, Redis has ${JSON.stringify(r[field])}`);
      }
    }
    const mine = syntax(e);
    const theirs = syntax(r);
    if (mine !== theirs) problems.push(`${name}: args is ${JSON.stringify(mine)}, Redis has ${JSON.stringify(theirs)}`);
  }
  assert.equal(problems, [], problems.join('\n'));
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

unit('invalid usage strings are refused with the reason', () => {
  for (const bad of ['[key', 'key]', '<a | b]', 'a | b', '[x [y ...]]', '[a |]']) {
    assert.throws(() => parseUsage(bad), (e: Error) => e.message.includes(JSON.stringify(bad)), bad);
  }
});

unit.run();
