// rename-command, as redis.conf files use it to hide or disguise dangerous commands: both servers
// start with the same renames and must answer alike under the old and the new names.
import { test as plain } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { compatSuite } from './_compat.ts';
import { rmSync } from 'node:fs';
import { haveRedis, RespClient, ROOT, startEchokv, tempDir } from '../_helpers.ts';

const RENAMES = [
  ['rename-command', 'flushall', ''],
  ['rename-command', 'GET', 'myget'],
  ['rename-command', 'config', 'cfg-9f2a'],
  // A name another rename freed may be taken again.
  ['rename-command', 'debug', 'get'],
];

const test = compatSuite('rename-command', {}, { lines: RENAMES });

test('a command renamed to "" is gone under every name', async ({ c }) => {
  await c.same('FLUSHALL');
  await c.same('flushall', 'ASYNC');
  await c.same('COMMAND', 'INFO', 'flushall');
  await c.same('COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'flush*');
});

test('a renamed command answers to its new name only, and reports its own name', async ({ c }) => {
  await c.same('SET', 'k', 'v');
  await c.same('MYGET', 'k');
  await c.same('myget', 'nokey');
  await c.same('MyGet');
  await c.same('COMMAND', 'INFO', 'myget', 'MYGET', 'set');
  await c.same('COMMAND', 'DOCS', 'myget');
  await c.sameUnordered('COMMAND', 'LIST', 'FILTERBY', 'PATTERN', '?et');
  await c.same('COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'my*');
  await c.same('COMMAND', 'GETKEYS', 'myget', 'k');
});

test('a name freed by a rename can name another command', async ({ c }) => {
  // GET is now DEBUG.
  await c.same('SET', 'k', 'v');
  await c.same('GET', 'nosuchsubcommand');
  await c.same('COMMAND', 'INFO', 'get');
  await c.same('DEBUG', 'OBJECT', 'k');
});

test('renamed container commands keep their subcommands', async ({ c }) => {
  await c.same('CONFIG', 'GET', 'maxmemory');
  await c.same('cfg-9f2a', 'GET', 'maxmemory');
  await c.same('CFG-9F2A', 'nosuch');
  await c.same('cfg-9f2a');
  await c.same('COMMAND', 'INFO', 'cfg-9f2a|get', 'config|get');
});

test('renamed commands run inside MULTI and count under their own name', async ({ c }) => {
  await c.same('CONFIG', 'RESETSTAT');
  await c.same('cfg-9f2a', 'RESETSTAT');
  await c.same('SET', 'k', 'v');
  await c.same('MULTI');
  await c.same('MYGET', 'k');
  await c.same('FLUSHALL');
  await c.same('EXEC');
  await c.same('MULTI');
  await c.same('MYGET', 'k');
  await c.same('EXEC');
  const stats = async (client: typeof c.redis) => {
    const text = String(await client.call('INFO', 'commandstats'));
    return text.split('\r\n').filter((l) => /^cmdstat_(get|myget|flushall|debug)[:|]/.test(l)).map((l) => l.split(':')[0]);
  };
  assert.equal(await stats(c.echo), await stats(c.redis));
  assert.equal(await stats(c.echo), ['cmdstat_get']);
});

test.run();

// Start-up refuses a rename-command line that names no command, or a name already taken, with
// Redis's reason; COMMAND COUNT drops what was removed.

/** What the server prints when its configuration stops start-up (the reason line). */
function refusal(cmd: string, args: string[]): { code: number | null; reason: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 20000, cwd: ROOT });
  const out = `${r.stdout}${r.stderr}`.trim().split('\n');
  return { code: r.status, reason: out[out.length - 1] };
}

const SOURCES = [join(ROOT, 'scripts/run_sources.mjs')];

for (const [title, lines] of [
  ['a rename of no command', ['--rename-command', 'nosuchcmd', 'x']],
  ['a rename onto a taken name', ['--rename-command', 'get', 'set']],
  ['a rename of a subcommand', ['--rename-command', 'config|get', 'x']],
  ['a rename of a name already renamed away', ['--rename-command', 'get', 'g2', '--rename-command', 'get', 'g3']],
] as const) {
  plain(`start-up refuses ${title} with Redis's reason`, () => {
    const e = refusal(process.execPath, [...SOURCES, '--port', '0', ...lines]);
    assert.is(e.code, 1);
    if (!haveRedis() || title === 'a rename of a subcommand') {
      // Redis 7.0 finds `config|get`, then trips an assertion removing it: echokv refuses it.
      assert.is(e.reason, 'No such command in rename-command');
      return;
    }
    const r = refusal('redis-server', ['--port', '0', '--save', '', ...lines]);
    assert.is(r.code, 1);
    assert.is(e.reason, r.reason);
  });
}

plain('COMMAND COUNT leaves out a command renamed to ""', async () => {
  const before = await startEchokv();
  const after = await startEchokv({}, { lines: [['rename-command', 'flushall', ''], ['rename-command', 'get', 'g']] });
  try {
    const count = async (port: number) => {
      const client = await RespClient.connect(port);
      try {
        return await client.call('COMMAND', 'COUNT');
      } finally {
        client.close();
      }
    };
    assert.is(await count(after.port), (await count(before.port) as number) - 1);
  } finally {
    await before.stop();
    await after.stop();
  }
});

plain('the append-only file replays commands under their new names and their original ones', async () => {
  const dir = tempDir('echokv-rename-aof-');
  const conf = { persistence: 'aof', appendonly: 'yes', dir, save: '', 'aof-use-rdb-preamble': 'no' };
  const renamed = [['rename-command', 'set', 'myset'], ['rename-command', 'get', 'myget']];
  const session = async (lines: string[][], fn: (c: RespClient) => Promise<void>) => {
    const s = await startEchokv(conf, { lines });
    const c = await RespClient.connect(s.port);
    try {
      await fn(c);
    } finally {
      c.close();
      await s.stop();
    }
  };
  try {
    // Written as SET before the rename; the rename's own SET stays readable as MYSET.
    await session([], async (c) => void assert.is(await c.call('SET', 'before', '1'), 'OK'));
    await session(renamed, async (c) => {
      assert.is(await c.call('MYGET', 'before'), '1');
      assert.is(await c.call('MYSET', 'after', '2'), 'OK');
    });
    await session(renamed, async (c) => {
      assert.is(await c.call('MYGET', 'before'), '1');
      assert.is(await c.call('MYGET', 'after'), '2');
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

plain.run();
