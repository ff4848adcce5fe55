// Connection commands against redis-server: PING ECHO QUIT SELECT AUTH HELLO RESET and CLIENT,
// byte for byte where the reply is deterministic, field by field where it holds ids or addresses.
import * as assert from 'uvu/assert';
import { type Compat, compatSuite, show } from './_compat.ts';
import type { RespClient } from '../_helpers.ts';

const test = compatSuite('connection');

/** The reply bytes with the HELLO id field (which differs by server) blanked out. */
function withoutId(bytes: string): string {
  return bytes.replace(/(\$2\r\nid\r\n):\d+\r\n/, '$1:ID\r\n');
}

async function sameHello(c: Compat, ...args: string[]): Promise<void> {
  const [r, e] = await c.both(...args);
  assert.is(show(withoutId(e.bytes)), show(withoutId(r.bytes)), `reply to ${args.join(' ')}`);
}

/** CLIENT LIST / INFO lines as their field names, in order. */
function fieldNames(text: string): string[][] {
  return text.split('\n').filter((l) => l !== '').map((l) => l.split(' ').map((f) => f.slice(0, f.indexOf('='))));
}

function fields(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of line.trim().split(' ')) out[f.slice(0, f.indexOf('='))] = f.slice(f.indexOf('=') + 1);
  return out;
}

test('PING and ECHO', async ({ c }) => {
  await c.all([
    ['PING'], ['PING', 'hello'], ['PING', ''], ['PING', 'a', 'b'], ['PING', '\xff\x00\r\n'],
    ['ECHO', 'x\x00\xff'], ['ECHO', ''], ['ECHO'], ['ECHO', 'a', 'b'], ['ping'], ['Ping', 'x'],
  ]);
});

test('SELECT', async ({ c }) => {
  await c.all([
    ['SELECT', '0'], ['SELECT', '15'], ['SELECT', '16'], ['SELECT', '-1'], ['SELECT', 'x'],
    ['SELECT', '1.5'], ['SELECT', '4294967296'], ['SELECT', '2147483648'], ['SELECT', '-2147483649'],
    ['SELECT', '99999999999999999999'], ['SELECT', ' 1'], ['SELECT', '01'], ['SELECT'],
    ['SELECT', '1', '2'], ['SET', 'k', 'one'], ['SELECT', '2'], ['GET', 'k'], ['SELECT', '1'], ['GET', 'k'],
  ]);
});

test('QUIT replies OK and closes the connection', async ({ connect }) => {
  const c = await connect();
  await c.same('QUIT');
  assert.ok(await c.redis.waitClosed(), 'redis-server closed the connection');
  assert.ok(await c.echo.waitClosed(), 'echokv closed the connection');
  const d = await connect();
  await d.same('QUIT', 'extra', 'args');
  assert.ok(await d.echo.waitClosed());
});

test('QUIT in a pipeline: later commands are not run', async ({ connect }) => {
  const c = await connect();
  await c.sameRaw('PING\r\nQUIT\r\nPING\r\n');
  assert.ok(await c.echo.waitClosed());
});

test('AUTH without a password configured', async ({ c }) => {
  await c.all([
    ['AUTH', 'x'], ['AUTH', 'default', 'x'], ['AUTH', 'default', ''], ['AUTH', 'foo', 'x'],
    ['AUTH', 'a', 'b', 'c'], ['AUTH'], ['AUTH', '\xff\x00'], ['PING'],
  ]);
});

test('HELLO: protocol versions and the reply map', async ({ c }) => {
  await sameHello(c, 'HELLO');
  await sameHello(c, 'HELLO', '2');
  await sameHello(c, 'HELLO', '3');
  // The connection now speaks RESP3: nulls, maps and doubles change shape.
  await c.all([['CLIENT', 'GETNAME'], ['GET', 'nosuch'], ['HELLO', '4']]);
  await sameHello(c, 'HELLO');
  await sameHello(c, 'HELLO', '2');
  await c.all([['CLIENT', 'GETNAME'], ['GET', 'nosuch']]);
});

test('HELLO errors and options', async ({ c }) => {
  await c.all([
    ['HELLO', '4'], ['HELLO', '1'], ['HELLO', '0'], ['HELLO', '-1'], ['HELLO', 'x'], ['HELLO', '2.0'],
    ['HELLO', '99999999999999999999'], ['HELLO', 'AUTH', 'default', 'x'],
    ['HELLO', '2', 'FOO'], ['HELLO', '2', 'AUTH', 'default'], ['HELLO', '2', 'SETNAME'],
    ['HELLO', '2', 'SETNAME', 'a b'], ['HELLO', '2', 'AUTH', 'foo', 'bar'],
    ['HELLO', '3', 'AUTH', 'foo', 'bar', 'SETNAME', 'zz'], ['CLIENT', 'GETNAME'],
    ['HELLO', '2', 'SETNAME', 'x', 'FOO'], ['CLIENT', 'GETNAME'],
  ]);
  await sameHello(c, 'HELLO', '2', 'SETNAME', 'first');
  await c.same('CLIENT', 'GETNAME');
  await sameHello(c, 'HELLO', '2', 'SETNAME', 'x', 'SETNAME', 'y');
  await c.same('CLIENT', 'GETNAME');
  await sameHello(c, 'HELLO', '2', 'auth', 'default', 'anything', 'setname', 'named');
  await c.same('CLIENT', 'GETNAME');
  await sameHello(c, 'HELLO', '3', 'SETNAME', '');
  await c.all([['CLIENT', 'GETNAME'], ['HELLO', '3', 'SETNAME', 'bad\xff']]);
  await sameHello(c, 'HELLO', '2');
});

test('RESET restores a new connection state', async ({ connect }) => {
  const c = await connect();
  await c.all([['SELECT', '3'], ['SET', 'k', 'v'], ['CLIENT', 'SETNAME', 'before'], ['CLIENT', 'NO-EVICT', 'on']]);
  await sameHello(c, 'HELLO', '3');
  await c.all([['RESET'], ['CLIENT', 'GETNAME'], ['GET', 'k'], ['GET', 'nosuch'], ['RESET', 'x'], ['reset']]);
  // RESET also turns CLIENT REPLY back on.
  await c.sameRaw('CLIENT REPLY OFF\r\nPING\r\nRESET\r\nPING\r\n');
});

test('CLIENT container, ID, SETNAME and GETNAME', async ({ c }) => {
  await c.all([
    ['CLIENT'], ['CLIENT', 'FOO'], ['CLIENT', 'SETINFO', 'lib-name', 'x'], ['CLIENT', 'NO-TOUCH', 'on'],
    ['CLIENT', 'ID', 'x'], ['CLIENT', 'GETNAME'], ['CLIENT', 'SETNAME'], ['CLIENT', 'SETNAME', 'a', 'b'],
    ['CLIENT', 'SETNAME', 'name'], ['CLIENT', 'GETNAME'], ['CLIENT', 'GETNAME', 'x'],
    ['CLIENT', 'SETNAME', 'a b'], ['CLIENT', 'SETNAME', 'a\nb'], ['CLIENT', 'SETNAME', '\xff'],
    ['CLIENT', 'SETNAME', '\x00'], ['CLIENT', 'SETNAME', '~!'], ['CLIENT', 'GETNAME'],
    ['CLIENT', 'SETNAME', ''], ['CLIENT', 'GETNAME'], ['client', 'setname', 'MiXeD'], ['client', 'getname'],
  ]);
  const [r, e] = await c.both('CLIENT', 'ID');
  assert.is(r.reply.type, 'int');
  assert.is(e.reply.type, 'int');
});

test('CLIENT LIST and CLIENT INFO: fields in Redis order', async ({ c }) => {
  const [r, e] = await c.both('CLIENT', 'INFO');
  assert.equal(fieldNames(e.reply.type === 'bulk' ? e.reply.value! : ''), fieldNames((r.reply as { value: string }).value));
  const [rl, el] = await c.both('CLIENT', 'LIST');
  assert.equal(fieldNames((el.reply as { value: string }).value)[0], fieldNames((rl.reply as { value: string }).value)[0]);
  const mine = fields((e.reply as { value: string }).value);
  const theirs = fields((r.reply as { value: string }).value);
  for (const k of ['name', 'flags', 'db', 'sub', 'psub', 'ssub', 'multi', 'multi-mem', 'cmd', 'user', 'redir', 'resp']) {
    assert.is(mine[k], theirs[k], `field ${k}`);
  }
  // Seconds since the connection was made and since its last command: clocks, not contents.
  assert.match(mine.age, /^\d+$/);
  assert.match(mine.idle, /^\d+$/);
  assert.is(mine['argv-mem'], theirs['argv-mem'], 'argv-mem of CLIENT INFO itself');
  // Both end the text with a newline, and RESP3 makes it a verbatim string.
  await sameHello(c, 'HELLO', '3');
  const [r3, e3] = await c.both('CLIENT', 'INFO');
  assert.is(e3.reply.type, 'verbatim');
  assert.is(r3.reply.type, 'verbatim');
  await sameHello(c, 'HELLO', '2');
});

test('CLIENT LIST filters and errors', async ({ c }) => {
  await c.all([
    ['CLIENT', 'LIST', 'TYPE', 'foo'], ['CLIENT', 'LIST', 'ID', 'x'], ['CLIENT', 'LIST', 'ID'],
    ['CLIENT', 'LIST', 'ID', '0'], ['CLIENT', 'LIST', 'ID', '-5'], ['CLIENT', 'LIST', 'ID', '99999'],
    ['CLIENT', 'LIST', 'ID', '1', 'x'], ['CLIENT', 'LIST', 'foo'], ['CLIENT', 'LIST', 'TYPE'],
    ['CLIENT', 'LIST', 'TYPE', 'normal', 'ID', '1'], ['CLIENT', 'LIST', 'TYPE', 'pubsub'],
    ['CLIENT', 'LIST', 'TYPE', 'master'], ['CLIENT', 'LIST', 'TYPE', 'replica'],
    ['CLIENT', 'LIST', 'TYPE', 'slave'], ['CLIENT', 'LIST', 'type', 'MASTER'],
  ]);
  // TYPE normal and ID <own id> list this connection.
  const [r, e] = await c.both('CLIENT', 'LIST', 'TYPE', 'NORMAL');
  assert.ok((r.reply as { value: string }).value.includes('cmd=client|list'));
  assert.ok((e.reply as { value: string }).value.includes('cmd=client|list'));
  const ids = await Promise.all([c.redis.call('CLIENT', 'ID'), c.echo.call('CLIENT', 'ID')]);
  const [ri, ei] = await Promise.all([
    c.redis.call('CLIENT', 'LIST', 'ID', String(ids[0]), '99999', String(ids[0])),
    c.echo.call('CLIENT', 'LIST', 'ID', String(ids[1]), '99999', String(ids[1])),
  ]);
  // Repeated ids are listed again, in the order given.
  assert.is((ri as string).split('\n').length, 3);
  assert.is((ei as string).split('\n').length, 3);
  assert.is(fields((ei as string).split('\n')[0]).id, String(ids[1]));
});

test('CLIENT LIST shows name, db, flags and the last command of other connections', async ({ c, connect }) => {
  const other = await connect();
  await other.all([['SELECT', '4'], ['CLIENT', 'SETNAME', 'worker'], ['CLIENT', 'NO-EVICT', 'on'], ['GET', 'x']]);
  const line = async (cl: RespClient): Promise<Record<string, string>> => {
    const text = (await cl.call('CLIENT', 'LIST')) as string;
    return fields(text.split('\n').find((l) => l.includes('name=worker'))!);
  };
  const r = await line(c.redis);
  const e = await line(c.echo);
  for (const k of ['name', 'db', 'flags', 'cmd', 'multi', 'resp', 'events']) assert.is(e[k], r[k], `field ${k}`);
  await other.all([['CLIENT', 'NO-EVICT', 'off'], ['CLIENT', 'NO-EVICT', 'maybe'], ['CLIENT', 'NO-EVICT']]);
  assert.is((await line(c.echo)).flags, (await line(c.redis)).flags);
  await other.same('QUIT');
});

test('CLIENT KILL: errors and filters that match nothing', async ({ c }) => {
  await c.all([
    ['CLIENT', 'KILL'], ['CLIENT', 'KILL', '1.2.3.4:5'], ['CLIENT', 'KILL', 'ID', '99999'],
    ['CLIENT', 'KILL', 'ID', 'x'], ['CLIENT', 'KILL', 'ID', '0'], ['CLIENT', 'KILL', 'ID', '-1'],
    ['CLIENT', 'KILL', 'TYPE', 'foo'], ['CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'maybe'],
    ['CLIENT', 'KILL', 'USER', 'nosuch'], ['CLIENT', 'KILL', 'USER', 'default', 'SKIPME', 'yes', 'ID', '99999'],
    ['CLIENT', 'KILL', 'ADDR', '1.2.3.4:5'], ['CLIENT', 'KILL', 'LADDR', '1.2.3.4:5'],
    // MAXAGE arrived in Redis 7.4; 7.0 rejects it.
    ['CLIENT', 'KILL', 'MAXAGE', '100000'], ['CLIENT', 'KILL', 'ID'], ['CLIENT', 'KILL', 'ID', '1', 'foo'],
    ['CLIENT', 'KILL', 'FOO', 'bar'], ['CLIENT', 'KILL', 'TYPE', 'master'], ['CLIENT', 'KILL', 'TYPE', 'pubsub'],
    ['CLIENT', 'KILL', 'TYPE', 'slave'], ['CLIENT', 'KILL', 'TYPE', 'replica'],
    ['CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'YES', 'ID', '99999'], ['CLIENT', 'KILL', '127.0.0.1:1'],
    ['CLIENT', 'KILL', '\xff'],
  ]);
});

test('CLIENT KILL by ADDR, ID and the old form, including oneself', async ({ connect }) => {
  for (const how of ['ADDR', 'ID', 'old'] as const) {
    const c = await connect();
    const victim = await connect();
    const target = async (killer: RespClient, v: RespClient): Promise<string[]> => {
      const info = fields((await v.call('CLIENT', 'INFO')) as string);
      if (how === 'ADDR') return ['CLIENT', 'KILL', 'ADDR', info.addr];
      if (how === 'ID') return ['CLIENT', 'KILL', 'ID', info.id];
      return ['CLIENT', 'KILL', info.addr];
    };
    const [r, e] = await Promise.all([
      target(c.redis, victim.redis).then((cmd) => c.redis.callRaw(...cmd)),
      target(c.echo, victim.echo).then((cmd) => c.echo.callRaw(...cmd)),
    ]);
    assert.is(show(e.bytes), show(r.bytes), `CLIENT KILL (${how})`);
    assert.ok(await victim.redis.waitClosed());
    assert.ok(await victim.echo.waitClosed(), `echokv closed the victim (${how})`);
    await c.same('PING');
  }
  // Killing oneself: the reply comes first, then the connection closes. SKIPME no is needed
  // with the new form; the old form kills oneself too.
  const self = await connect();
  const [r, e] = await Promise.all([
    self.redis.call('CLIENT', 'INFO').then((i) => self.redis.callRaw('CLIENT', 'KILL', 'ADDR', fields(i as string).addr, 'SKIPME', 'no')),
    self.echo.call('CLIENT', 'INFO').then((i) => self.echo.callRaw('CLIENT', 'KILL', 'ADDR', fields(i as string).addr, 'SKIPME', 'no')),
  ]);
  assert.is(show(e.bytes), show(r.bytes));
  assert.ok(await self.echo.waitClosed());
  const skip = await connect();
  const [rs, es] = await Promise.all([
    skip.redis.call('CLIENT', 'INFO').then((i) => skip.redis.callRaw('CLIENT', 'KILL', 'ADDR', fields(i as string).addr)),
    skip.echo.call('CLIENT', 'INFO').then((i) => skip.echo.callRaw('CLIENT', 'KILL', 'ADDR', fields(i as string).addr)),
  ]);
  assert.is(show(es.bytes), show(rs.bytes), 'SKIPME defaults to yes');
  await skip.same('PING');
});

test('CLIENT PAUSE and UNPAUSE: arguments', async ({ c }) => {
  await c.all([
    ['CLIENT', 'PAUSE'], ['CLIENT', 'PAUSE', 'x'], ['CLIENT', 'PAUSE', '-1'], ['CLIENT', 'PAUSE', '10', 'foo'],
    ['CLIENT', 'PAUSE', '10', 'WRITE', 'x'], ['CLIENT', 'PAUSE', '1.5'], ['CLIENT', 'PAUSE', 'x', 'foo'],
    ['CLIENT', 'PAUSE', '9223372036854775807'], ['CLIENT', 'PAUSE', '99999999999999999999'],
    ['CLIENT', 'PAUSE', '0'], ['CLIENT', 'PAUSE', '0', 'write'], ['CLIENT', 'UNPAUSE'],
    ['CLIENT', 'UNPAUSE', 'x'], ['PING'],
  ]);
});

test('CLIENT PAUSE WRITE holds writes (and what follows them), not reads', async ({ c, connect }) => {
  const other = await connect();
  await c.all([['SET', 'k', 'old'], ['CLIENT', 'PAUSE', '100000', 'WRITE']]);
  // Errors are answered at once; reads run; the first write waits with everything after it.
  for (const cl of [other.redis, other.echo]) {
    cl.write('*1\r\n$6\r\nNOSUCH\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\nnew\r\n*1\r\n$4\r\nPING\r\n');
  }
  const [r1, e1] = await Promise.all([other.redis.readRaw(), other.echo.readRaw()]);
  assert.is(show(e1.bytes), show(r1.bytes));
  const [r2, e2] = await Promise.all([other.redis.readRaw(), other.echo.readRaw()]);
  assert.is(show(e2.bytes), show(r2.bytes));
  // The paused client shows as blocked in CLIENT LIST and INFO.
  const flagsOf = async (cl: RespClient): Promise<string> => {
    const text = (await cl.call('CLIENT', 'LIST')) as string;
    const held = text.split('\n').filter((l) => l.includes('cmd=set'));
    return held.map((l) => fields(l).flags).join(',');
  };
  assert.is(await flagsOf(c.echo), await flagsOf(c.redis));
  const blocked = async (cl: RespClient): Promise<string> =>
    ((await cl.call('INFO', 'clients')) as string).match(/blocked_clients:(\d+)/)![1];
  assert.is(await blocked(c.echo), await blocked(c.redis));
  await c.same('GET', 'k');
  assert.is(other.echo.pendingBytes, 0, 'the held SET has not been answered');
  // The pausing client itself may read, and a second WRITE pause does not shorten it.
  await c.all([['CLIENT', 'PAUSE', '1', 'WRITE'], ['GET', 'k'], ['CLIENT', 'UNPAUSE']]);
  const [r3, e3] = await Promise.all([other.redis.readRaw(), other.echo.readRaw()]);
  assert.is(show(e3.bytes), show(r3.bytes));
  const [r4, e4] = await Promise.all([other.redis.readRaw(), other.echo.readRaw()]);
  assert.is(show(e4.bytes), show(r4.bytes));
  await c.same('GET', 'k');
});

test('CLIENT PAUSE ALL holds every command of every client until it ends', async ({ c, connect }) => {
  const other = await connect();
  const third = await connect();
  const started = Date.now();
  await c.same('CLIENT', 'PAUSE', '300', 'ALL');
  // Errors found before the pause check are still answered at once.
  await third.same('NOSUCH');
  await third.same('GET');
  for (const cl of [other.redis, other.echo, c.redis, c.echo]) cl.write('*1\r\n$4\r\nPING\r\n');
  const [r, e] = await Promise.all([other.redis.readRaw(), other.echo.readRaw()]);
  assert.is(show(e.bytes), show(r.bytes));
  // Held until the pause ended: a lower bound, which no scheduling delay can break.
  assert.ok(Date.now() - started >= 300, 'PING was answered only after the pause');
  const [r2, e2] = await Promise.all([c.redis.readRaw(), c.echo.readRaw()]);
  assert.is(show(e2.bytes), show(r2.bytes), 'the pausing client is held too');
});

test('CLIENT REPLY OFF, ON and SKIP', async ({ connect }) => {
  const c = await connect();
  await c.sameRaw('CLIENT REPLY OFF\r\nPING\r\nSET k v\r\nCLIENT REPLY ON\r\nPING\r\n');
  await c.sameRaw('CLIENT REPLY SKIP\r\nPING a\r\nPING b\r\n');
  await c.sameRaw('CLIENT REPLY SKIP\r\nCLIENT REPLY SKIP\r\nPING a\r\nPING b\r\n');
  await c.sameRaw('CLIENT REPLY SKIP\r\nCLIENT REPLY ON\r\nPING a\r\n');
  await c.sameRaw('CLIENT REPLY SKIP\r\nCLIENT REPLY foo\r\nPING a\r\n');
  await c.sameRaw('CLIENT REPLY OFF\r\nCLIENT REPLY SKIP\r\nPING a\r\nCLIENT REPLY ON\r\nPING b\r\n');
  await c.sameRaw('CLIENT REPLY OFF\r\nCLIENT REPLY foo\r\nGET\r\nCLIENT REPLY ON\r\n');
  await c.sameRaw('CLIENT REPLY foo\r\nCLIENT REPLY\r\nCLIENT REPLY ON\r\n');
  await c.sameRaw('CLIENT REPLY OFF\r\nQUIT\r\n');
});

test('CLIENT HELP lists a subset of Redis 7.0\'s lines, in its order', async ({ c }) => {
  const [r, e] = await c.both('CLIENT', 'HELP');
  const theirs = (r.reply as { value: { value: string }[] }).value.map((x) => x.value);
  const mine = (e.reply as { value: { value: string }[] }).value.map((x) => x.value);
  let at = 0;
  for (const line of mine) {
    const found = theirs.indexOf(line, at);
    assert.ok(found >= 0, `CLIENT HELP line ${JSON.stringify(line)} is in Redis's help, in order`);
    at = found + 1;
  }
  await c.same('CLIENT', 'HELP', 'x');
});

test.run();

// With requirepass: AUTH, HELLO AUTH, the NOAUTH checks and RESET logging out.
const secured = compatSuite('connection with requirepass', { requirepass: 'secret' });

secured('commands before AUTH', async ({ connect }) => {
  const c = await connect();
  await c.all([
    ['PING'], ['GET', 'k'], ['NOSUCH'], ['CLIENT', 'ID'], ['HELLO'], ['HELLO', '3'], ['AUTH', 'x'],
    ['AUTH', 'default', 'x'], ['AUTH', 'nouser', 'secret'], ['HELLO', '2', 'AUTH', 'default', 'x'],
    ['ECHO', 'x'],
  ]);
  await c.same('QUIT');
});

secured('AUTH and HELLO AUTH log in; RESET logs out', async ({ connect }) => {
  const c = await connect();
  await c.all([['AUTH', 'secret'], ['PING'], ['AUTH', 'default', 'secret'], ['AUTH', 'wrong'], ['PING'], ['RESET'], ['PING']]);
  await sameHello(c, 'HELLO', '3', 'AUTH', 'default', 'secret', 'SETNAME', 'me');
  await c.all([['CLIENT', 'GETNAME'], ['PING'], ['AUTH', 'default', 'secret', 'x']]);
  const d = await connect();
  await sameHello(d, 'HELLO', '2', 'AUTH', 'default', 'secret');
  await d.same('PING');
});

secured('large requests are refused before AUTH and accepted after it', async ({ connect }) => {
  const c = await connect();
  await c.sameRaw('AUTH secret\r\n');
  const big = 'x'.repeat(20000);
  await c.same('ECHO', big);
  const d = await connect();
  await d.sameRaw(`*2\r\n$4\r\nECHO\r\n$20000\r\n${big}\r\n`, 300);
});

secured('a pipelined RESET, in any case, logs out for the commands after it in the same read', async ({ connect }) => {
  // Commands after RESET must be parsed under the unauthenticated limits again (at most 10
  // arguments), so echokv's read-ahead must stop at RESET however it is spelled.
  const eleven = `*11\r\n$4\r\nMSET\r\n${'$1\r\nk\r\n$1\r\nv\r\n'.repeat(5)}`;
  for (const name of ['RESET', 'reset', 'ReSeT']) {
    const c = await connect();
    await c.sameRaw(`AUTH secret\r\nPING\r\n*1\r\n$5\r\n${name}\r\n${eleven}`, 300);
  }
});

secured.run();
