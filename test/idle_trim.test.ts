// The young-generation trim of an idle server (Host.trimYoungGeneration): asked for once per idle
// period of 10 s after commands (start-up counts as activity), and only when the CLI runs the
// server, never for an embedded one.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, tcp } from '../mod.ts';
import { createHost } from '../plugins/host/node.ts';
import { Config } from '../core/config/mod.ts';
import { parseConfigText } from '../core/config/parse.ts';
import { Server } from '../core/server.ts';
import type { Host } from '../core/host.ts';
import { RespClient } from './_helpers.ts';

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

test.run();
