// The compat harness itself against both servers: identical bytes for basic commands and errors.
import { compatSuite } from './_compat.ts';

const test = compatSuite('smoke');

test('PING, ECHO, SET, GET, errors', async ({ c }) => {
  await c.all([
    ['PING'], ['PING', 'hello'], ['ECHO', 'x\x00\xff'], ['SET', 'k', 'v'], ['GET', 'k'], ['GET', 'nope'],
    ['GET'], ['NOSUCHCMD', 'a', 'b'], ['SELECT', '99'], ['SELECT', 'x'],
  ]);
  await c.sameDataset();
});

test.run();
