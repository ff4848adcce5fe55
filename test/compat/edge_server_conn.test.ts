// Edge cases of the connection, server, pub/sub and transaction commands from a differential run
// against redis-server 7.0 (wrong arity, odd case, repeated and missing options, bad numbers):
// each test pins replies that must stay byte for byte the same, in RESP2 and RESP3.
import { compatSuite } from './_compat.ts';

const test = compatSuite('edge server and connection');

const NUMBERS = [
  '', '0', ' 1', '1 ', '+1', '-0', '0x10', '1e3', '1.0', '00', '-1', '9223372036854775807',
  '9223372036854775808', '-9223372036854775809', '4294967296', '99999999999999999999999', '1\x00', 'abc',
];

test('numeric arguments: SELECT SWAPDB MOVE SLOWLOG MEMORY USAGE CLIENT', async ({ c }) => {
  await c.same('SET', 'k', 'v');
  for (const n of NUMBERS) {
    await c.all([
      ['SELECT', n], ['SELECT', '0'], ['SWAPDB', n, '0'], ['SWAPDB', '0', n], ['MOVE', 'nokey', n],
      ['SLOWLOG', 'GET', n], ['MEMORY', 'USAGE', 'nokey', 'SAMPLES', n], ['CLIENT', 'KILL', 'ID', n],
      ['CLIENT', 'UNBLOCK', n], ['CLIENT', 'NO-EVICT', n], ['CLIENT', 'REPLY', n],
      ['CLIENT', 'TRACKING', 'on', 'REDIRECT', n], ['CLIENT', 'TRACKING', 'off'],
      ['CONFIG', 'SET', 'hz', n], ['CONFIG', 'SET', 'maxmemory', n], ['CONFIG', 'SET', 'timeout', n],
    ]);
  }
  await c.all([['CONFIG', 'SET', 'hz', '10'], ['CONFIG', 'SET', 'maxmemory', '0'], ['CONFIG', 'SET', 'timeout', '0']]);
});

test('HELLO and CLIENT argument errors', async ({ c }) => {
  for (const proto of ['2', '3', '2']) {
    await c.both('HELLO', proto);
    await c.all([
      ['HELLO', '1'], ['HELLO', '4'], ['HELLO', '-1'], ['HELLO', 'x'], ['HELLO', '2', 'AUTH'], ['HELLO', '2', 'AUTH', 'a'],
      ['HELLO', '2', 'SETNAME'], ['HELLO', '2', 'FOO'], ['HELLO', '2', 'SETNAME', 'a b'],
      ['HELLO', '3', 'SETNAME', 'a', 'AUTH', 'default'],
      ['CLIENT', 'SETNAME', 'a\nb'], ['CLIENT', 'SETNAME', '\xe9'], ['CLIENT', 'LIST', 'TYPE', 'foo'],
      ['CLIENT', 'LIST', 'ID', '1', '2', 'x'], ['CLIENT', 'LIST', 'FOO'], ['CLIENT', 'KILL'], ['CLIENT', 'KILL', 'foo'],
      ['CLIENT', 'KILL', 'ID', '1', 'TYPE'], ['CLIENT', 'KILL', 'TYPE', 'foo'], ['CLIENT', 'KILL', 'SKIPME', 'maybe'],
      ['CLIENT', 'KILL', 'USER', 'nouser'], ['CLIENT', 'KILL', 'FOO', 'bar'], ['CLIENT', 'KILL', '1.2.3.4:5'],
      ['CLIENT', 'PAUSE'], ['CLIENT', 'PAUSE', '-1'], ['CLIENT', 'PAUSE', '10', 'FOO'], ['CLIENT', 'UNPAUSE', 'x'],
      ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX'], ['CLIENT', 'TRACKING', 'on', 'OPTIN', 'OPTOUT'],
      ['CLIENT', 'TRACKING', 'off', 'PREFIX', 'a'], ['CLIENT', 'CACHING', 'yes'], ['CLIENT', 'UNBLOCK', '99999', 'FOO'],
      ['CLIENT', 'NO-TOUCH', 'on'], ['CLIENT', 'FOO'],
    ]);
  }
});

test('COMMAND GETKEYS and server subcommand errors', async ({ c }) => {
  await c.all([
    ['COMMAND', 'GETKEYS'], ['COMMAND', 'GETKEYS', 'nosuch'], ['COMMAND', 'GETKEYS', 'get'], ['COMMAND', 'GETKEYS', 'ping'],
    ['COMMAND', 'GETKEYS', 'mset', 'a', '1', 'b'], ['COMMAND', 'GETKEYS', 'zunionstore', 'd', '0', 'a'],
    ['COMMAND', 'GETKEYS', 'xread', 'STREAMS', 'a', 'b', '0'], ['COMMAND', 'GETKEYS', 'lmpop', '0', 'a', 'LEFT'],
    ['COMMAND', 'GETKEYS', 'config', 'nosub'], ['COMMAND', 'GETKEYS', 'subscribe', 'c'],
    ['COMMAND', 'GETKEYSANDFLAGS', 'sort', 'k', 'STORE', 'd'], ['COMMAND', 'GETKEYSANDFLAGS', 'set', 'k', 'v', 'GET'],
    ['COMMAND', 'LIST', 'FILTERBY', 'FOO', 'x'], ['COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'nosuch'],
    ['COMMAND', 'INFO', 'get|x'], ['COMMAND', 'COUNT', 'x'],
    ['SLOWLOG', 'GET', '1', '2'], ['SLOWLOG', 'FOO'], ['LATENCY', 'HISTORY', 'x', 'y'], ['LATENCY', 'GRAPH', 'foo'],
    ['MEMORY', 'USAGE', 'nokey', 'FOO'], ['MEMORY', 'FOO'], ['OBJECT', 'FOO'], ['CONFIG', 'SET', 'hz', '10', 'hz', '20'],
    ['CONFIG', 'SET', 'hz', '10', 'nosuch', '1'], ['CONFIG', 'SET', 'hz', '10', 'maxmemory'], ['CONFIG', 'RESETSTAT', 'x'],
    ['PUBSUB', 'NUMPAT', 'x'], ['PUBSUB', 'FOO'],
  ]);
});

test('the subscribed context refuses the same commands with the same text', async ({ connect }) => {
  const sub = await connect();
  const refused = [
    ['NOSUCH'], ['GET'], ['GET', 'a', 'b'], ['PUBLISH', 'a', 'b'], ['CONFIG', 'GET', 'hz'], ['CONFIG', 'NOSUCH'],
    ['CLIENT', 'NOSUCH'], ['PUBSUB', 'NUMPAT'], ['DISCARD'], ['MULTI'], ['WATCH', 'k'], ['PING', 'a', 'b'],
    ['PSUBSCRIBE'], ['select', '1'], ['Ping'],
  ];
  for (const proto of ['2', '3']) {
    await sub.both('HELLO', proto);
    for (const cmd of ['SUBSCRIBE', 'PSUBSCRIBE', 'SSUBSCRIBE']) {
      await sub.same(cmd, 'a');
      await sub.all(refused);
      await sub.same('RESET');
    }
  }
});

test('MULTI: queueing errors, nested MULTI, SUBSCRIBE and RESET inside', async ({ c }) => {
  for (const proto of ['3', '2']) {
    await c.both('HELLO', proto);
    await c.all([
      ['MULTI'], ['MULTI'], ['WATCH', 'k'], ['EXEC'], ['EXEC'], ['DISCARD'],
      ['MULTI'], ['SET', 'k', 'v'], ['NOSUCH', 'x'], ['EXEC'],
      ['MULTI'], ['SET', 'k', 'v'], ['GET', 'k', 'k'], ['EXEC'],
      ['MULTI'], ['SET', 'k', 'v'], ['LPUSH', 'k', 'x'], ['INCR', 'k'], ['EXEC'],
      ['MULTI'], ['SUBSCRIBE', 'c'], ['PSUBSCRIBE', 'c*'], ['UNSUBSCRIBE', 'c'], ['PUNSUBSCRIBE', 'c*'], ['EXEC'],
      ['MULTI'], ['SELECT', '1'], ['SET', 'a', '1'], ['SELECT', '99'], ['EXEC'], ['GET', 'a'], ['SELECT', '0'],
      ['MULTI'], ['DISCARD', 'x'], ['EXEC', 'x'], ['WATCH'], ['DISCARD'], ['MULTI', 'x'], ['UNWATCH', 'x'],
      ['MULTI'], ['RESET'], ['EXEC'],
    ]);
  }
});

test.run();
