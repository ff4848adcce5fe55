// The data path end to end over a real socket: PING, SET/GET, errors, pipelining.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RespClient, startEchokv, type Running } from './_helpers.ts';

let srv: Running;
let c: RespClient;

test.before(async () => {
  srv = await startEchokv();
  c = await RespClient.connect(srv.port);
});

test.after(async () => {
  c.close();
  await srv.stop();
});

test('PING, SET and GET', async () => {
  assert.is((await c.callRaw('PING')).bytes, '+PONG\r\n');
  assert.is((await c.callRaw('SET', 'k', 'v')).bytes, '+OK\r\n');
  assert.is((await c.callRaw('GET', 'k')).bytes, '$1\r\nv\r\n');
  assert.is((await c.callRaw('GET', 'missing')).bytes, '$-1\r\n');
});

test('unknown command and wrong arity use Redis error texts', async () => {
  assert.is((await c.callRaw('NOPE', 'a', 'b')).bytes,
    "-ERR unknown command 'NOPE', with args beginning with: 'a' 'b' \r\n");
  assert.is((await c.callRaw('GET')).bytes, "-ERR wrong number of arguments for 'get' command\r\n");
});

test('pipelined commands are all answered in order', async () => {
  c.write('PING\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n');
  assert.is((await c.readRaw()).bytes, '+PONG\r\n');
  assert.is((await c.readRaw()).bytes, '+PONG\r\n');
  assert.is((await c.readRaw()).bytes, '$2\r\nhi\r\n');
});

test.run();
