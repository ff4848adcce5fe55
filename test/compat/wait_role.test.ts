// WAIT and ROLE on a server without replicas, against a real redis-server: ROLE names a master
// with no replicas; WAIT answers 0 at once when that is enough (or inside MULTI), else after its
// timeout or when CLIENT UNBLOCK ends it, counted in INFO blocked_clients meanwhile.
import * as assert from 'uvu/assert';
import { compatSuite } from './_compat.ts';
import { blocked, ids, reply, send, silent, waitBlocked } from './_blocking.ts';

const test = compatSuite('WAIT and ROLE');

test('ROLE, and WAIT\'s arguments and immediate answers', async ({ c }) => {
  await c.all([
    ['ROLE'], ['ROLE', 'x'], ['WAIT', '0', '0'], ['WAIT', '-3', '0'], ['WAIT', 'x', '0'], ['WAIT', '1', 'x'],
    ['WAIT', '1', '-1'], ['WAIT', '1', '9223372036854775808'], ['WAIT', '1', '5'], ['WAIT', '1'],
    ['MULTI'], ['SET', 'k', 'v'], ['WAIT', '2', '0'], ['EXEC'],
    ['COMMAND', 'INFO', 'role', 'wait'], ['COMMAND', 'DOCS', 'role', 'wait'],
  ]);
});

test('WAIT with no timeout blocks until CLIENT UNBLOCK, as a timeout or with an error', async (ctx) => {
  const { c } = ctx;
  const a = await ctx.connect();
  const [rid, eid] = await ids(a);
  for (const how of ['TIMEOUT', 'ERROR']) {
    send(a, 'WAIT', '1', '0');
    await waitBlocked(c, 1);
    await silent(a, 'WAIT');
    await c.same('CLIENT', 'UNBLOCK', 'x');
    const [r, e] = await Promise.all([c.redis.callRaw('CLIENT', 'UNBLOCK', rid, how), c.echo.callRaw('CLIENT', 'UNBLOCK', eid, how)]);
    assert.is(e.bytes, r.bytes, 'CLIENT UNBLOCK reply');
    await reply(a, `WAIT unblocked with ${how}`);
    assert.equal(await blocked(c), [0, 0]);
  }
  await a.same('PING');
});

test.run();
