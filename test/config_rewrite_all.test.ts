// DEBUG CONFIG-REWRITE-FORCE-ALL writes every directive, defaults too; a server started from that
// file must come back with the same configuration (Redis's "CONFIG REWRITE sanity" test). This
// reads every directive's rewrite back through the file parser.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import process from 'node:process';
import { RespClient, ROOT, startProcess, tempDir } from './_helpers.ts';

const NODE = process.versions.bun || process.versions.deno
  ? spawnSync('node', ['-p', 'process.execPath'], { encoding: 'utf8' }).stdout.trim()
  : process.execPath;
const BUNDLE = join(ROOT, 'dist', 'echokv.mjs');

async function configOf(port: number): Promise<Map<string, string>> {
  const c = await RespClient.connect(port);
  const flat = (await c.call('CONFIG', 'GET', '*')) as string[];
  c.socket.destroy();
  const m = new Map<string, string>();
  for (let i = 0; i < flat.length; i += 2) m.set(flat[i], flat[i + 1]);
  return m;
}

test('a force-all rewrite starts a server with the same configuration', async () => {
  const dir = tempDir();
  const conf = join(dir, 'echokv.conf');
  // Some non-default values of each kind, set in the file and by CONFIG SET.
  writeFileSync(conf, [
    'bind 127.0.0.1', 'save ""', 'maxmemory 10mb', 'maxmemory-policy allkeys-lfu', 'notify-keyspace-events KEx',
    'client-output-buffer-limit pubsub 1mb 512kb 30', 'hash-max-listpack-entries 64', 'enable-debug-command yes',
    'latency-tracking-info-percentiles "50 99.5"', 'oom-score-adj-values "1 2 3"', 'slowlog-log-slower-than -1',
    'rename-command KEYS ALLKEYS',
  ].join('\n') + '\n');
  let p = await startProcess(NODE, [BUNDLE, conf], { cwd: dir });
  try {
    const c = await RespClient.connect(p.port);
    assert.is(await c.call('CONFIG', 'SET', 'hz', '25', 'list-max-listpack-size', '-3', 'appendfsync', 'no'), 'OK');
    assert.is(await c.call('DEBUG', 'CONFIG-REWRITE-FORCE-ALL'), 'OK');
    c.socket.destroy();
    const before = await configOf(p.port);
    await p.stop();
    const text = readFileSync(conf, 'utf8');
    // Defaults are written too: many more lines than the file had.
    assert.ok(text.split('\n').filter((l) => /^[a-z]/.test(l)).length > 150, text);
    assert.match(text, /^rename-command KEYS ALLKEYS$/m);
    p = await startProcess(NODE, [BUNDLE, conf], { cwd: dir, port: p.port });
    const after = await configOf(p.port);
    assert.equal([...after.entries()].sort(), [...before.entries()].sort());
    assert.is(after.get('hz'), '25');
    assert.is(after.get('maxmemory-policy'), 'allkeys-lfu');
  } finally {
    await p.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('DEBUG CONFIG-REWRITE-FORCE-ALL without a config file', async () => {
  const p = await startProcess(NODE, [BUNDLE, '--bind', '127.0.0.1', '--save', '', '--enable-debug-command', 'yes']);
  try {
    const c = await RespClient.connect(p.port);
    assert.equal(await c.call('DEBUG', 'CONFIG-REWRITE-FORCE-ALL'), { error: 'ERR The server is running without a config file' });
    c.socket.destroy();
  } finally {
    await p.stop();
  }
});

test.run();
