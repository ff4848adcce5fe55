// A random differential fuzz across every data type and the generic key commands: bounded random
// sequences go to redis-server and echokv on a handful of keys that change type all the time
// (so WRONGTYPE paths are hit as often as the happy ones), with RENAME, COPY and MOVE across
// types, expiry (an already-past PEXPIREAT, and short TTLs with active expiry off), OBJECT
// ENCODING at the listpack/intset thresholds (set tiny, so conversions happen constantly), full
// SCAN/HSCAN/SSCAN/ZSCAN iterations with MATCH, COUNT and TYPE, and at the end of each sequence
// DUMP/RESTORE round trips of every key between the two servers (each restores the other's
// payload) before the whole dataset of both databases is compared, DEBUG DIGEST included; then
// again after DEBUG RELOAD (each server saves its RDB file and loads it back).
//
// ECHOKV_FUZZ_SEED and ECHOKV_FUZZ_RUNS explore other sequences (fixed by default, so that a
// run reproduces).
import fc from 'fast-check';
import { env } from 'node:process';
import { compatSuite } from './_compat.ts';
import { compare, endTransaction, roundTrips, script } from './_fuzz_cmds.ts';
import { sleep } from '../_helpers.ts';

const SEED = env.ECHOKV_FUZZ_SEED === undefined ? undefined : Number(env.ECHOKV_FUZZ_SEED);
const RUNS = Number(env.ECHOKV_FUZZ_RUNS ?? 20);

function register(name: string, config: Record<string, string>, seed: number, proto = 2): void {
  const test = compatSuite(name, config, { rdb: true });
  test('random sequences over every type leave the same replies and datasets', async ({ c }) => {
    // HELLO's reply holds each server's own client id: switch both, compare from then on.
    if (proto === 3) for (const cl of [c.redis, c.echo]) await cl.call('HELLO', '3');
    await fc.assert(
      fc.asyncProperty(script, async (cmds) => {
        await endTransaction(c);
        await c.reset();
        await c.same('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
        try {
          for (const cmd of cmds) await compare(c, cmd);
          // PEXPIRE 1 keys may still be in the databases, expired: let them go on both.
          await sleep(5);
          for (const db of ['1', '0']) {
            await c.same('SELECT', db);
            await roundTrips(c);
            await c.sameDataset();
          }
          // Both databases at once, expired keys gone (KEYS above removed them on both).
          await c.same('DEBUG', 'DIGEST');
          // Through each server's own RDB file and back: the same data, and the encodings each
          // chooses when it loads (both compared again).
          await c.same('DEBUG', 'RELOAD');
          await c.same('DEBUG', 'DIGEST');
          for (const db of ['1', '0']) {
            await c.same('SELECT', db);
            await c.sameDataset();
          }
        } finally {
          await c.same('SELECT', '0');
          await c.same('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
        }
      }),
      { numRuns: RUNS, seed: SEED ?? seed },
    );
  });
  test.run();
}

register('fuzz: every type, tiny thresholds', {
  'hash-max-listpack-entries': '4', 'hash-max-listpack-value': '8', 'set-max-intset-entries': '4',
  'zset-max-listpack-entries': '4', 'zset-max-listpack-value': '8', 'list-max-listpack-size': '4',
  'stream-node-max-entries': '3',
}, 4111);
register('fuzz: every type, default thresholds', {}, 90210);
register('fuzz: every type, RESP3', { 'zset-max-listpack-entries': '4', 'hash-max-listpack-entries': '4' }, 31337, 3);
