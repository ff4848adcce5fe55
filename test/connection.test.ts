// Connection and server behaviour that needs an in-process server: SHUTDOWN of an embedded server
// (the test process must survive it), SHUTDOWN's save options as the persistence hook sees them,
// CLIENT PAUSE with an injected clock (expiry stays frozen), CLIENT KILL and unix sockets.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { createServer, definePlugin } from '../mod.ts';
import { createHost } from '../plugins/host/node.ts';
import { tcp } from '../plugins/transport/tcp/mod.ts';
import type { Server } from '../core/server.ts';
import { RespClient, startEchokv, tempDir } from './_helpers.ts';

/** An embedded server whose persistence hook records SHUTDOWN's save flag (or fails). */
async function withProbe(fail: boolean, save: string[] = ['']): Promise<{ server: Server; port: number; saves: boolean[] }> {
  const saves: boolean[] = [];
  const probe = definePlugin({
    name: 'probe',
    kind: 'persistence',
    setup(server: Server) {
      server.on('beforeShutdown', (save) => {
        saves.push(save);
        if (fail) throw new Error('disk full');
      });
      return {};
    },
  });
  const server = createServer({
    config: { port: 0, bind: '127.0.0.1', save },
    plugins: [tcp, probe],
    pluginOptions: { tcp: { anyPort: true } },
    host: { ...createHost([]), stdout: () => {} },
  });
  await server.start();
  const addr = server.instances.get('tcp')!.addresses!()[0];
  return { server, port: Number(addr.slice(addr.lastIndexOf(':') + 1)), saves };
}

test('SHUTDOWN stops an embedded server without ending the process', async () => {
  const { server, port, saves } = await withProbe(false);
  const c = await RespClient.connect(port);
  c.write('*1\r\n$8\r\nSHUTDOWN\r\n');
  assert.ok(await c.waitClosed(), 'the connection is closed, without a reply');
  assert.is(c.pendingBytes, 0);
  assert.ok(server.isShuttingDown);
  // `save ""` is echokv's default, so a plain SHUTDOWN does not save.
  assert.equal(saves, [false]);
  let refused = false;
  await RespClient.connect(port).then((x) => x.close(), () => (refused = true));
  assert.ok(refused, 'the listener is closed');
});

test('SHUTDOWN SAVE and NOSAVE reach the persistence hook; plain SHUTDOWN follows `save`', async () => {
  const cases: [string, string[], boolean][] = [
    ['SAVE', [''], true], ['NOSAVE', ['900', '1'], false], ['now', [''], false], ['', ['900', '1'], true],
  ];
  for (const [arg, save, expected] of cases) {
    const { server, port, saves } = await withProbe(false, save);
    const c = await RespClient.connect(port);
    c.write(`SHUTDOWN ${arg}\r\n`);
    const closed = await c.waitClosed();
    if (!closed) await server.shutdown({ force: true });
    assert.ok(closed);
    assert.equal(saves, [expected], `SHUTDOWN ${arg} with save ${JSON.stringify(save)}`);
  }
});

test('SHUTDOWN fails when saving fails, unless FORCE', async () => {
  const { server, port, saves } = await withProbe(true);
  const c = await RespClient.connect(port);
  assert.equal(await c.call('SHUTDOWN', 'SAVE'), { error: 'ERR Errors trying to SHUTDOWN. Check logs.' });
  assert.is(await c.call('PING'), 'PONG');
  assert.not.ok(server.isShuttingDown);
  c.write('*2\r\n$8\r\nSHUTDOWN\r\n$5\r\nFORCE\r\n');
  assert.ok(await c.waitClosed());
  assert.equal(saves, [true, false]);
  assert.ok(server.isShuttingDown);
});

test('CLIENT PAUSE: expired keys read as missing but are not deleted until the pause ends', async () => {
  let now = 1_700_000_000_000;
  const srv = await startEchokv({}, { clock: () => now });
  const c = await RespClient.connect(srv.port);
  try {
  await c.call('SET', 'k', 'v', 'PX', '100');
  await c.call('CLIENT', 'PAUSE', '10000', 'WRITE');
  now += 1000;
  assert.is(await c.call('GET', 'k'), null);
  assert.is(await c.call('DBSIZE'), 1, 'the key is still there');
  srv.server.cron();
  assert.is(await c.call('DBSIZE'), 1, 'active expiry does not run while paused');
  await c.call('CLIENT', 'UNPAUSE');
  assert.is(await c.call('GET', 'k'), null);
  assert.is(await c.call('DBSIZE'), 0);
  } finally {
    c.close();
    await srv.stop();
  }
});

test('CLIENT PAUSE ends when its time is up, and held commands run first, in order', async () => {
  let now = 1_700_000_000_000;
  const srv = await startEchokv({}, { clock: () => now });
  const a = await RespClient.connect(srv.port);
  const b = await RespClient.connect(srv.port);
  try {
  assert.is(await a.call('CLIENT', 'PAUSE', '500', 'WRITE'), 'OK');
  b.write('*3\r\n$3\r\nSET\r\n$1\r\nl\r\n$1\r\nx\r\n');
  // The SET is held; reads of other clients go on.
  assert.is(await a.call('GET', 'l'), null);
  assert.is(b.pendingBytes, 0);
  now += 499;
  assert.is(await a.call('GET', 'l'), null, 'still paused');
  now += 1;
  // The next command after the end releases the held SET before running.
  assert.is(await a.call('GET', 'l'), 'x');
  assert.is(await b.read(), 'OK');
  } finally {
    a.close();
    b.close();
    await srv.stop();
  }
});

test('CLIENT PAUSE WRITE holds scripts-like may_replicate commands and lets admin commands run', async () => {
  const srv = await startEchokv();
  const a = await RespClient.connect(srv.port);
  const b = await RespClient.connect(srv.port);
  try {
    await a.call('CLIENT', 'PAUSE', '100000', 'WRITE');
    assert.match((await a.call('INFO', 'server')) as string, /redis_version/);
    assert.is(await a.call('CONFIG', 'SET', 'maxclients', '1000'), 'OK');
    b.write('*2\r\n$3\r\nDEL\r\n$1\r\nk\r\n');
    // Wait (boundedly) for the DEL to reach the server; it is then held, not answered.
    let list = '';
    for (let i = 0; i < 100 && !list.includes('cmd=del'); i++) {
      list = (await a.call('CLIENT', 'LIST')) as string;
      if (!list.includes('cmd=del')) await new Promise((r) => setTimeout(r, 10));
    }
    assert.match(list, / flags=b [^\n]* cmd=del /);
    assert.match((await a.call('INFO', 'clients')) as string, /blocked_clients:1/);
    assert.is(b.pendingBytes, 0);
    await a.call('CLIENT', 'UNPAUSE');
    assert.is(await b.read(), 0);
  } finally {
    a.close();
    b.close();
    await srv.stop();
  }
});

test('CLIENT KILL closes the victim and frees its client entry', async () => {
  const srv = await startEchokv();
  const a = await RespClient.connect(srv.port);
  const b = await RespClient.connect(srv.port);
  try {
  const id = (await b.call('CLIENT', 'ID')) as number;
  assert.is(srv.server.clients.size, 2);
  assert.is(await a.call('CLIENT', 'KILL', 'ID', String(id)), 1);
  assert.ok(await b.waitClosed());
  assert.is(srv.server.clients.size, 1);
  assert.is(await a.call('CLIENT', 'KILL', 'TYPE', 'normal'), 0, 'SKIPME yes by default');
  a.write('*5\r\n$6\r\nCLIENT\r\n$4\r\nKILL\r\n$4\r\nTYPE\r\n$6\r\nnormal\r\n$6\r\nSKIPME\r\n');
  assert.equal(await a.read(), { error: 'ERR syntax error' });
  assert.is(await a.call('CLIENT', 'KILL', 'USER', 'default', 'SKIPME', 'no'), 1);
  assert.ok(await a.waitClosed(), 'killed itself after replying');
  } finally {
    a.close();
    b.close();
    await srv.stop();
  }
});

test('unix socket clients: CLIENT LIST addresses and the U flag', async () => {
  const dir = tempDir();
  const sock = join(dir, 'echokv.sock');
  const srv = await startEchokv({ unixsocket: sock });
  try {
    const u = await RespClient.connectUnix(sock);
    const line = (await u.call('CLIENT', 'INFO')) as string;
    assert.match(line, new RegExp(` addr=${sock}:0 laddr=${sock}:0 `));
    assert.match(line, / flags=U /);
    const t = await RespClient.connect(srv.port);
    assert.is(await t.call('CLIENT', 'KILL', `${sock}:0`), 'OK');
    assert.ok(await u.waitClosed());
    t.close();
  } finally {
    await srv.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('HELLO 3 switches the connection to RESP3 and RESET back to RESP2', async () => {
  const srv = await startEchokv();
  const c = await RespClient.connect(srv.port);
  try {
  const hello = (await c.callRaw('HELLO', '3')).bytes;
  assert.ok(hello.startsWith('%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n'));
  assert.match(hello, /\$2\r\nid\r\n:\d+\r\n/);
  assert.is((await c.callRaw('GET', 'nosuch')).bytes, '_\r\n');
  assert.is((await c.callRaw('RESET')).bytes, '+RESET\r\n');
  assert.is((await c.callRaw('GET', 'nosuch')).bytes, '$-1\r\n');
  } finally {
    c.close();
    await srv.stop();
  }
});

test.run();
