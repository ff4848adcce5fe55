// DEBUG RELOAD against redis-server: the dump is saved, the databases emptied and the dump loaded
// back, with NOSAVE (load the file as it is), NOFLUSH and MERGE (a loaded key replaces the one
// there). The data, TTLs, encodings and DEBUG DIGEST must come out as Redis's do.
import * as assert from 'uvu/assert';
import { suite } from 'uvu';
import { compatSuite } from './_compat.ts';
import { rmSync } from 'node:fs';
import { type Raw, RespClient, sleep, startEchokv, tempDir } from '../_helpers.ts';
import { plain } from '../_resp.ts';
import { infoField, startAof } from '../aof_helpers.ts';

const test = compatSuite('DEBUG RELOAD', {}, { rdb: true });

test('save, flush and load back; NOSAVE; NOFLUSH MERGE', async ({ c }) => {
  await c.all([
    ['DEBUG', 'RELOAD', 'WRONG'],
    ['SET', 'k', 'v'], ['RPUSH', 'l', 'a', 'b', 'c'], ['HSET', 'h', 'f', 'v'], ['ZADD', 'z', '1.5', 'a'],
    ['SADD', 's', '1', '2', '3'], ['XADD', 'x', '1-1', 'a', 'b'], ['SET', 'e', 'v', 'EX', '1000'],
    ['SELECT', '2'], ['SET', 'k2', 'v2'], ['SELECT', '0'],
    ['DEBUG', 'DIGEST'], ['DEBUG', 'RELOAD'], ['DEBUG', 'DIGEST'], ['DBSIZE'],
    ['GET', 'k'], ['TTL', 'e'], ['OBJECT', 'ENCODING', 's'], ['OBJECT', 'ENCODING', 'h'],
    ['SELECT', '2'], ['GET', 'k2'], ['SELECT', '0'],
    // The saved file is what NOSAVE loads: later changes are gone.
    ['SET', 'k', 'changed'], ['DEL', 'l'], ['DEBUG', 'RELOAD', 'nosave'], ['GET', 'k'], ['LRANGE', 'l', '0', '-1'],
    // MERGE keeps keys the file lacks and takes the file's version of the others.
    ['SET', 'k', 'changed2'], ['SET', 'newkey', '1'], ['DEBUG', 'RELOAD', 'NOSAVE', 'NOFLUSH', 'MERGE'],
    ['GET', 'k'], ['GET', 'newkey'], ['DEBUG', 'DIGEST'], ['DBSIZE'],
    // An empty dataset saves and loads as empty.
    ['FLUSHALL'], ['DEBUG', 'RELOAD'], ['DBSIZE'], ['DEBUG', 'DIGEST'],
  ]);
});

test('MERGE replaces keys without counting changes (rdb_changes_since_last_save)', async ({ c }) => {
  await c.all([
    ['SET', 'k', 'x'], ['SET', 'j', 'x'], ['DEBUG', 'RELOAD'], ['SET', 'k', 'y'], ['SET', 'j', 'y'],
    ['DEBUG', 'RELOAD', 'NOSAVE', 'NOFLUSH', 'MERGE'], ['GET', 'k'], ['GET', 'j'],
  ]);
  const [r, e] = await c.both('INFO', 'persistence');
  const changes = (x: Raw): string | undefined => /rdb_changes_since_last_save:(\d+)/.exec(String(plain(x.reply)))?.[1];
  assert.is(changes(e), changes(r));
  assert.is(changes(r), '2');
});

test('NOFLUSH without MERGE: a key in both is an error (Redis stops), the server stays up', async ({ c }) => {
  const e = c.echo;
  assert.equal(await e.call('SET', 'k', 'v'), 'OK');
  assert.equal(await e.call('DEBUG', 'RELOAD'), 'OK');
  assert.equal(await e.call('DEBUG', 'RELOAD', 'NOSAVE', 'NOFLUSH'),
    { error: 'ERR Error trying to load the RDB dump, check server logs.' });
  assert.equal(await e.call('GET', 'k'), 'v');
  assert.equal(await e.call('DBSIZE'), 1);
});

test('SAVE waits rdb-key-save-delay per key, holding every client, as the blocking save of Redis does', async ({ c, connect }) => {
  await c.all([['SET', 'a', '1'], ['SET', 'b', '2'], ['SET', 'c', '3'], ['CONFIG', 'SET', 'rdb-key-save-delay', '200000']]);
  const other = await connect();
  try {
    for (const [name, saver, pinger] of [['redis', c.redis, other.redis], ['echokv', c.echo, other.echo]] as const) {
      const order: string[] = [];
      const t0 = Date.now();
      const save = saver.call('SAVE').then((r) => order.push(`save ${String(r)} after ${Date.now() - t0 >= 550 ? '550+' : Date.now() - t0} ms`));
      await sleep(100);
      const ping = pinger.call('PING').then((r) => order.push(`ping ${String(r)}`));
      await Promise.all([save, ping]);
      // Three keys at 0.2 s each: the save lasts 0.6 s, and the PING sent meanwhile waits for it.
      assert.equal(order, ['save OK after 550+ ms', 'ping PONG'], name);
    }
  } finally {
    await c.all([['CONFIG', 'SET', 'rdb-key-save-delay', '0']]);
    other.redis.close();
    other.echo.close();
  }
});

test.run();

const alone = suite('DEBUG RELOAD, echokv alone');

alone('without the rdb plugin: RDB snapshots are not available, as SAVE says', async () => {
  const srv = await startEchokv();
  const c = await RespClient.connect(srv.port);
  try {
    await c.call('SET', 'k', 'v');
    const err = { error: 'ERR RDB snapshots are not available: no rdb persistence plugin is loaded' };
    assert.equal(await c.call('SAVE'), err);
    assert.equal(await c.call('DEBUG', 'RELOAD'), err);
    assert.equal(await c.call('GET', 'k'), 'v');
  } finally {
    c.close();
    await srv.stop();
  }
});

alone('a background save running is stopped first, and the dump left is the reloaded one', async () => {
  const dir = tempDir('echokv-reload-');
  const srv = await startAof(dir, { persistence: 'rdb', appendonly: 'no', 'rdb-key-save-delay': 2000 });
  const c = await RespClient.connect(srv.port);
  try {
    for (let i = 0; i < 200; i++) await c.call('SET', `k${i}`, String(i));
    assert.is(await c.call('BGSAVE'), 'Background saving started');
    await c.call('SET', 'after', 'bgsave');
    const digest = await c.call('DEBUG', 'DIGEST');
    assert.is(await c.call('DEBUG', 'RELOAD'), 'OK');
    assert.is(await infoField(c, 'rdb_bgsave_in_progress'), '0');
    assert.is(await c.call('DEBUG', 'DIGEST'), digest);
    // Had the background save gone on, its file (without `after`) would replace the dump.
    await sleep(600);
    assert.is(await c.call('DEBUG', 'RELOAD', 'NOSAVE'), 'OK');
    assert.is(await c.call('GET', 'after'), 'bgsave');
    assert.is(await c.call('DEBUG', 'DIGEST'), digest);
  } finally {
    c.close();
    await srv.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

alone.run();
