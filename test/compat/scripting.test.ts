// FUNCTION against redis-server, on a server where no library is loaded (echokv has no script
// engine, so its set of libraries is always empty): every reply that does not depend on an
// engine is compared byte for byte, errors included; the ones that do (STATS' engines, LOAD of
// a library Redis's Lua engine accepts) are checked on their own.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { compatSuite, propagationOf, show } from './_compat.ts';
import { RespClient, startEchokv } from '../_helpers.ts';
import { crc64 } from '../../plugins/persistence/rdb/_crc64.ts';

const test = compatSuite('scripting');

test('FUNCTION FLUSH, LIST, DELETE, KILL and HELP on an empty library set, with their errors', async ({ c }) => {
  await c.all([
    ['FUNCTION', 'FLUSH'], ['FUNCTION', 'FLUSH', 'SYNC'], ['FUNCTION', 'FLUSH', 'async'],
    ['FUNCTION', 'FLUSH', 'now'], ['FUNCTION', 'FLUSH', 'SYNC', 'x'],
    ['FUNCTION', 'LIST'], ['FUNCTION', 'LIST', 'WITHCODE'], ['FUNCTION', 'LIST', 'libraryname', 'my*'],
    ['FUNCTION', 'LIST', 'WITHCODE', 'LIBRARYNAME', 'x'], ['FUNCTION', 'LIST', 'LIBRARYNAME'],
    ['FUNCTION', 'LIST', 'WITHCODE', 'WITHCODE'], ['FUNCTION', 'LIST', 'LIBRARYNAME', 'a', 'LIBRARYNAME', 'b'],
    ['FUNCTION', 'LIST', 'nosuch'],
    ['FUNCTION', 'DELETE', 'mylib'], ['FUNCTION', 'DELETE'], ['FUNCTION', 'KILL'], ['FUNCTION', 'KILL', 'x'],
    ['FUNCTION', 'HELP'], ['FUNCTION', 'NOSUCH'], ['FUNCTION'],
    ['FUNCTION', 'STATS', 'x'], ['FUNCTION', 'DUMP', 'x'],
    ['INFO', 'errorstats'],
  ]);
});

test('FUNCTION LOAD: the metadata errors Redis checks before the engine', async ({ c }) => {
  await c.all([
    ['FUNCTION', 'LOAD', ''], ['FUNCTION', 'LOAD', 'return 1'], ['FUNCTION', 'LOAD', '#!lua name=x'],
    ['FUNCTION', 'LOAD', '#!lua\0 name=x\nreturn 1'],
    ['FUNCTION', 'LOAD', '#!lua\nreturn 1'], ['FUNCTION', 'LOAD', '#!lua foo=bar\nreturn 1'],
    ['FUNCTION', 'LOAD', '#!lua name=a name=b\nreturn 1'], ['FUNCTION', 'LOAD', '#!lua NAME=a-b\nreturn 1'],
    ['FUNCTION', 'LOAD', '#!lua name=\nreturn 1'], ['FUNCTION', 'LOAD', '#!lua "name=x\nreturn 1'],
    ['FUNCTION', 'LOAD', '#!nosuch name=x\nreturn 1'], ['FUNCTION', 'LOAD', '#! lua name=x\nreturn 1'],
    ['FUNCTION', 'LOAD', 'BOGUS', '#!lua name=x\nreturn 1'], ['FUNCTION', 'LOAD', 'REPLACE'],
    ['FUNCTION', 'LOAD', 'replace', 'replace', '#!nosuch name=x\n'], ['FUNCTION', 'LOAD'],
  ]);
});

test('FUNCTION DUMP of no libraries is the same payload, and FUNCTION RESTORE reads payloads as Redis', async ({ c }) => {
  const dump = (await c.same('FUNCTION', 'DUMP')) as string;
  assert.is(dump.length, 10, 'version and checksum only');
  const bytes = Buffer.from(dump, 'latin1');
  const corrupt = Buffer.from(bytes);
  corrupt[9] ^= 1;
  const newer = Buffer.from(bytes);
  newer[0] = 11;
  await c.all([
    ['FUNCTION', 'RESTORE', bytes], ['FUNCTION', 'RESTORE', bytes, 'FLUSH'], ['FUNCTION', 'RESTORE', bytes, 'append'],
    ['FUNCTION', 'RESTORE', bytes, 'Replace'], ['FUNCTION', 'RESTORE', bytes, 'MERGE'],
    ['FUNCTION', 'RESTORE', bytes, 'FLUSH', 'x'], ['FUNCTION', 'RESTORE', corrupt], ['FUNCTION', 'RESTORE', newer],
    ['FUNCTION', 'RESTORE', 'short'], ['FUNCTION', 'RESTORE'],
    ['FUNCTION', 'LIST'],
  ]);
  // Payloads that carry records, with a valid footer (RDB version 10 and the CRC-64 of it all).
  const withFooter = (body: Buffer): Buffer => {
    const head = Buffer.concat([body, Buffer.from([10, 0])]);
    return Buffer.concat([head, Buffer.from(crc64(head).bytesLE())]);
  };
  const str = (s: string): Buffer => Buffer.concat([Buffer.from([s.length]), Buffer.from(s, 'latin1')]);
  await c.all([
    // Not a function record.
    ['FUNCTION', 'RESTORE', withFooter(Buffer.from([0]))],
    // A 7.0 GA record whose library fails before any engine runs, and one whose engine is unknown.
    ['FUNCTION', 'RESTORE', withFooter(Buffer.concat([Buffer.from([245]), str('return 1')]))],
    ['FUNCTION', 'RESTORE', withFooter(Buffer.concat([Buffer.from([245]), str('#!nosuch name=x\nreturn 1')]))],
    // A 7.0 rc record (name, engine, description flag, blob), translated to a shebang line.
    ['FUNCTION', 'RESTORE', withFooter(Buffer.concat([Buffer.from([246]), str('x'), str('nosuch'), Buffer.from([0]), str('return 1')]))],
    ['FUNCTION', 'RESTORE', withFooter(Buffer.concat([Buffer.from([246]), str('a-b'), str('nosuch'), Buffer.from([1]), str('d'), str('return 1')]))],
    // A record cut short.
    ['FUNCTION', 'RESTORE', withFooter(Buffer.from([245, 0xc5]))],
    ['FUNCTION', 'LIST'],
  ]);
});

test('FUNCTION STATS: no running script (engines are checked apart: Redis has Lua)', async ({ c }) => {
  const [r, e] = await c.both('FUNCTION', 'STATS');
  const redisText = show(r.bytes);
  const prefix = '*4\\r\\n$14\\r\\nrunning_script\\r\\n$-1\\r\\n$7\\r\\nengines\\r\\n';
  assert.ok(redisText.startsWith(prefix), redisText);
  assert.is(show(e.bytes), prefix + '*0\\r\\n');
});

test('FUNCTION FLUSH and an empty RESTORE are propagated as Redis propagates them', async () => {
  const p = await propagationOf([['FUNCTION', 'FLUSH'], ['FUNCTION', 'FLUSH', 'ASYNC'], ['FUNCTION', 'LIST'], ['SET', 'k', 'v']]);
  if (p === null) return;
  assert.equal(p.echokv, p.redis);
});

test.run();

const alone = suite('scripting (echokv alone)');

alone('FUNCTION LOAD of a library that Redis would load names the missing engine, and nothing is added', async () => {
  const srv = await startEchokv();
  const cl = await RespClient.connect(srv.port);
  try {
    for (const engine of ['lua', 'LUA']) {
      const r = await cl.callRaw('FUNCTION', 'LOAD', 'REPLACE', `#!${engine} name=mylib\nredis.register_function("f", function() return 1 end)`);
      assert.is(show(r.bytes), `-ERR Engine '${engine}' not found\\r\\n`);
    }
    assert.is(show((await cl.callRaw('FUNCTION', 'LIST')).bytes), '*0\\r\\n');
  } finally {
    cl.close();
    await srv.stop();
  }
});

alone.run();
