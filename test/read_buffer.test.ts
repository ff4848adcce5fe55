// The Node transport reads every connection into one shared buffer. A partial command left by
// one client must survive other clients' reads into that buffer.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RespClient, sleep, startEchokv } from './_helpers.ts';

test('partial frames survive other connections reading into the shared buffer', async () => {
  const srv = await startEchokv();
  const a = await RespClient.connect(srv.port);
  const b = await RespClient.connect(srv.port);
  try {
    const value = 'v'.repeat(3000) + '\xff\x00end';
    const frame = `*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$${value.length}\r\n${value}\r\n`;
    // Cut A's command at several points; between the pieces B fills the buffer with other bytes.
    const cuts = [7, 20, 1500, 2999, frame.length - 1];
    let at = 0;
    for (const cut of cuts) {
      a.write(frame.slice(at, cut));
      at = cut;
      await sleep(15);
      b.write(`*3\r\n$3\r\nSET\r\n$5\r\nother\r\n$2000\r\n${'z'.repeat(2000)}\r\n`);
      assert.is((await b.readRaw()).bytes, '+OK\r\n');
    }
    a.write(frame.slice(at));
    assert.is((await a.readRaw()).bytes, '+OK\r\n');
    assert.is(await a.call('GET', 'key'), value);
    assert.is(a.pendingBytes, 0);
  } finally {
    a.close();
    b.close();
    await srv.stop();
  }
});

test('a long inline line cut across reads survives too', async () => {
  const srv = await startEchokv();
  const a = await RespClient.connect(srv.port);
  const b = await RespClient.connect(srv.port);
  try {
    // Over half of the 64 KB read buffer, so the parser's own copy-on-wait does not kick in.
    const value = 'i'.repeat(40000);
    const line = `SET inline ${value}\r\n`;
    a.write(line.slice(0, 39000));
    await sleep(20);
    b.write(`*3\r\n$3\r\nSET\r\n$5\r\nother\r\n$50000\r\n${'z'.repeat(50000)}\r\n`);
    assert.is((await b.readRaw()).bytes, '+OK\r\n');
    a.write(line.slice(39000));
    assert.is((await a.readRaw()).bytes, '+OK\r\n');
    assert.is(await a.call('GET', 'inline'), value);
  } finally {
    a.close();
    b.close();
    await srv.stop();
  }
});

test('reads of the same length from several connections (one view of the buffer serves them)', async () => {
  const srv = await startEchokv();
  const clients = await Promise.all([1, 2, 3].map(() => RespClient.connect(srv.port)));
  try {
    // Frames of equal length, each sent in pieces of the same sizes, connections interleaved: every
    // read of a round has the same length, and each parser keeps a different partial frame.
    const frames = clients.map((_, i) => `*3\r\n$3\r\nSET\r\n$2\r\nk${i}\r\n$40\r\n${String(i).repeat(40)}\r\n`);
    const cuts = [9, 18, 27, 40, frames[0].length];
    let at = 0;
    for (const cut of cuts) {
      for (let i = 0; i < clients.length; i++) {
        clients[i].write(frames[i].slice(at, cut));
        await sleep(10);
      }
      at = cut;
    }
    for (const c of clients) assert.is((await c.readRaw()).bytes, '+OK\r\n');
    for (let i = 0; i < clients.length; i++) assert.is(await clients[0].call('GET', `k${i}`), String(i).repeat(40));
  } finally {
    for (const c of clients) c.close();
    await srv.stop();
  }
});

test.run();
