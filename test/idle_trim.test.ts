// The young-generation trim of an idle server (Host.trimYoungGeneration): asked for once per idle
// period of 10 s after commands (start-up counts as activity), and only when the CLI runs the
// server, never for an embedded one. And the hold on its growth through start-up
// (Host.holdYoungGeneration).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, tcp } from '../mod.ts';
import { createHost } from '../plugins/host/node.ts';
import { Config } from '../core/config/mod.ts';
import { parseConfigText } from '../core/config/parse.ts';
import { Server } from '../core/server.ts';
import type { Host } from '../core/host.ts';
import { spawnSync } from 'node:child_process';
import { BUNDLE, NODE, RespClient, sleep, startProcess } from './_helpers.ts';

const T0 = 1_700_000_000_000;

function fakeHost(): { host: Host; trims: () => number } {
  let n = 0;
  const host: Host = {
    ...createHost([]),
    stdout: () => {},
    settledHeap: () => 0,
    trimYoungGeneration: () => void n++,
  };
  return { host, trims: () => n };
}

function config(): Config {
  const c = new Config();
  c.load(parseConfigText('port 0\nbind 127.0.0.1\n', 'test'));
  return c;
}

test('an idle server trims once per idle period, 10 s after its last command', async () => {
  const { host, trims } = fakeHost();
  let now = T0;
  // heapBaseline set: as the CLI builds the server.
  const server = new Server({
    config: config(), host, plugins: [tcp], pluginOptions: { tcp: { anyPort: true } }, clock: () => now, heapBaseline: 0,
  });
  await server.start();
  const addr = server.instances.get('tcp')!.addresses!()[0];
  const c = await RespClient.connect(Number(addr.slice(addr.lastIndexOf(':') + 1)));
  try {
    now += 9_999;
    server.cron();
    assert.is(trims(), 0, 'not before 10 s');
    now += 1;
    server.cron();
    assert.is(trims(), 1, 'start-up counts as activity: trimmed 10 s after it');
    now += 60_000;
    server.cron();
    assert.is(trims(), 1, 'once per idle period');
    assert.is(await c.call('PING'), 'PONG');
    server.cron();
    now += 5_000;
    server.cron();
    assert.is(trims(), 1, 'a command restarts the wait');
    now += 5_000;
    server.cron();
    assert.is(trims(), 2);
  } finally {
    c.close();
    await server.shutdown({ save: false, force: true });
  }
});

test('an embedded server leaves its application\'s heap alone', async () => {
  const { host, trims } = fakeHost();
  let now = T0;
  const server = createServer({
    config: { port: 0, bind: '127.0.0.1', persistence: 'none' }, pluginOptions: { tcp: { anyPort: true } }, host, clock: () => now,
  });
  await server.start();
  try {
    for (let i = 0; i < 5; i++) {
      now += 20_000;
      server.cron();
    }
    assert.is(trims(), 0);
  } finally {
    await server.shutdown({ save: false, force: true });
  }
});

// A module run before the bundle that reports the young generation's size on SIGUSR2.
const PROBE = 'data:text/javascript,' + encodeURIComponent(
  "import v8 from 'node:v8'; const size = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;" +
    "if (process.env.PROBE_NOW) console.log('NEW_SPACE ' + size());" +
    "else process.on('SIGUSR2', () => process.stderr.write('NEW_SPACE ' + size() + '\\n'));",
);

test('the bundle meets its first client with the young generation V8 starts with', async () => {
  // What V8 starts a process with on this machine: the size to compare with.
  const bare = spawnSync(NODE, ['--import', PROBE, '-e', ''], { encoding: 'utf8', env: { ...process.env, PROBE_NOW: '1' } });
  const initial = Number(/NEW_SPACE (\d+)/.exec(bare.stdout)?.[1]);
  assert.ok(initial > 0, bare.stdout + bare.stderr);
  const p = await startProcess(NODE, ['--import', PROBE, BUNDLE, '--save', '']);
  try {
    p.child.kill('SIGUSR2');
    const deadline = Date.now() + 5000;
    while (!/NEW_SPACE \d+/.test(p.output()) && Date.now() < deadline) await sleep(20);
    // Held, it may take V8's first step, which doubles it whatever the factor; without the hold,
    // start-up grew it to eight times its initial size on Node 20 (8 MB).
    const held = Number(/NEW_SPACE (\d+)/.exec(p.output())?.[1]);
    assert.ok(held > 0 && held <= 2 * initial, p.output());
    // Released once listening: a burst may grow it as before.
    const c = await RespClient.connect(p.port);
    try {
      const pipeline = Array.from({ length: 20000 }, (_, i) => ['SET', `k${i}`, 'x'.repeat(100)]);
      for (let round = 0; round < 5; round++) await Promise.all(pipeline.map((a) => c.call(...a)));
    } finally {
      c.close();
    }
    const before = p.output().length;
    p.child.kill('SIGUSR2');
    while (!/NEW_SPACE \d+/.test(p.output().slice(before)) && Date.now() < deadline + 5000) await sleep(20);
    assert.ok(Number(/NEW_SPACE (\d+)/.exec(p.output().slice(before))?.[1]) > 2 * initial, p.output());
  } finally {
    await p.stop();
  }
});

test.run();
