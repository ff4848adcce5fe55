// enable-debug-command, compared with redis-server: DEBUG is refused by default (Redis 7.0's
// "protected" commands) with Redis's error, checked after the arity and before anything else, also
// inside MULTI; "local" allows it from a loopback connection.
import { compatSuite } from './_compat.ts';

const no = compatSuite('DEBUG with enable-debug-command no', { 'enable-debug-command': 'no' });

no('DEBUG is refused, after the arity check, in and out of MULTI', async ({ c }) => {
  await c.all([
    ['SET', 'k', 'v'], ['DEBUG'], ['DEBUG', 'SLEEP', '0'], ['DEBUG', 'OBJECT', 'k'], ['DEBUG', 'NOSUCH'],
    ['CONFIG', 'SET', 'enable-debug-command', 'yes'], ['CONFIG', 'GET', 'enable-debug-command'],
    ['MULTI'], ['SET', 'k', 'w'], ['DEBUG', 'SLEEP', '0'], ['EXEC'], ['GET', 'k'],
    ['INFO', 'errorstats'],
  ]);
});

no.run();

const local = compatSuite('DEBUG with enable-debug-command local', { 'enable-debug-command': 'local' });

local('DEBUG runs for a loopback client', async ({ c }) => {
  await c.all([['SET', 'k', 'v'], ['DEBUG', 'SLEEP', '0'], ['DEBUG', 'NOSUCH'], ['CONFIG', 'GET', 'enable-debug-command']]);
});

local.run();
