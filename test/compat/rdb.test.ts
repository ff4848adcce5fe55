// RDB files between echokv and a real redis-server 7.0:
// - a dump echokv writes passes redis-check-rdb, and redis-server started on it has exactly the
//   dataset echokv had (every database; each key's type, encoding, exact expiry and content,
//   stream groups, PELs and consumers included);
// - echokv started on a dump redis-server wrote has exactly redis-server's dataset, for every
//   encoding redis-server 7.0 writes (small *-max-listpack-* limits give the big encodings,
//   list-compress-depth gives LZF-compressed quicklist nodes);
// - files in the older forms Redis 7.0 still reads (ziplists, zipmaps, linked lists, string
//   doubles, stream metadata v1, second-precision expiry, version 9) load the same in both;
// - the 7.2/7.4 forms (listpack sets, consumers' active time, versions 11 and 12) load in echokv.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { haveRedis, RespClient, startEchokv, startProcess } from '../_helpers.ts';
import { assertSameDataset, Bytes, datasetOf, rdbFile, ziplist, zipmap } from '../_rdb.ts';
import { ListpackBuilder } from '../../plugins/persistence/rdb/_listpack.ts';
import { intsetEncode } from '../../plugins/persistence/rdb/_intset.ts';

type Cmd = (string | number)[];

const have = haveRedis();
if (!have && process.env.CI === 'true') throw new Error('redis-server is required when CI=true');

async function redisOn(dir: string, extra: string[] = []) {
  return startProcess('redis-server', ['--dir', dir, '--save', '', '--appendonly', 'no', '--bind', '127.0.0.1',
    '--enable-debug-command', 'yes', ...extra], { cwd: dir });
}

async function echoOn(dir: string, extra: Record<string, string> = {}) {
  return startEchokv({ persistence: 'rdb', dir, save: '', ...extra });
}

/** Runs `cmds`, returns the dataset. */
async function fill(port: number, cmds: Cmd[]): Promise<void> {
  const c = await RespClient.connect(port);
  for (const cmd of cmds) {
    const r = await c.call(...cmd);
    if (r instanceof Error) throw r;
  }
  c.close();
}

async function dataset(port: number) {
  const c = await RespClient.connect(port);
  const d = await datasetOf(c);
  c.close();
  return d;
}

function checkRdb(file: string): string {
  const r = spawnSync('redis-check-rdb', [file]);
  const out = r.stdout.toString() + r.stderr.toString();
  assert.is(r.status, 0, `redis-check-rdb refused ${file}:\n${out}`);
  assert.match(out, /RDB looks OK/);
  return out;
}

/** Commands making every type in every encoding at the given sizes, in several databases. */
function everyType(big: number): Cmd[] {
  const cmds: Cmd[] = [
    ['SET', 'str', 'bar'], ['SET', 'int8', '-7'], ['SET', 'int16', '12345'], ['SET', 'int32', '-123456789'],
    ['SET', 'int64', '123456789012345'], ['SET', 'zero', '0'], ['SET', 'lead0', '007'], ['SET', 'empty', ''],
    ['SET', 'lzf', 'abc'.repeat(40)], ['SET', 'incompressible', Array.from({ length: 60 }, (_, i) => String.fromCharCode(33 + ((i * 37) % 90))).join('')],
    ['SET', 'bin\x00\xff\r\n', '\x00\x01\xfe\xff'], ['SET', '12', 'key that is an integer'],
    ['SET', 'ttl', 'x', 'PX', '100000'], ['SET', 'ttl-far', 'y', 'PXAT', '4102444800000'],
    ['APPEND', 'appended', 'x'.repeat(30)], ['APPEND', 'appended', 'yz'], ['SETRANGE', 'ranged', 100, 'end'],
    ['RPUSH', 'list', 'a', 'b', '1', '2', '-4000', '70000', '9999999999', '-9223372036854775808', 'x'.repeat(100)],
    ['HSET', 'hash', 'f', 'v', 'g', '12', 'h', '-1'], ['SADD', 'intset', '1', '2', '3', '-100000', '99999999999'],
    ['SADD', 'set', 'a', 'b', 'c'], ['ZADD', 'zset', '1.5', 'a', '2', 'b', '-0', 'c', 'inf', 'd', '1e100', 'e', '-inf', 'f', '0.1', 'g'],
    ['XADD', 'stream', '1-1', 'f', 'v'], ['XADD', 'stream', '2-1', 'f', 'w'], ['XADD', 'stream', '3-1', 'g', 'w', 'h', 'z'],
    ['XADD', 'stream', '3-2', 'f', '12'], ['XGROUP', 'CREATE', 'stream', 'g1', '0'],
    ['XGROUP', 'CREATE', 'stream', 'g2', '$', 'ENTRIESREAD', '3'],
    ['XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', '2', 'STREAMS', 'stream', '>'],
    ['XREADGROUP', 'GROUP', 'g1', 'bob', 'COUNT', '1', 'STREAMS', 'stream', '>'],
    ['XGROUP', 'CREATECONSUMER', 'stream', 'g2', 'carol'], ['XDEL', 'stream', '2-1'],
    ['XADD', 'emptied', '5-5', 'a', 'b'], ['XDEL', 'emptied', '5-5'],
    ['EXPIRE', 'hash', 1000],
    ['SELECT', 3], ['SET', 'in3', 'v3'], ['LPUSH', 'in3list', 'x'],
    ['SELECT', 15], ['HSET', 'in15', 'a', 'b'], ['SELECT', 0],
  ];
  for (let i = 0; i < big; i++) {
    cmds.push(['HSET', 'bighash', 'f' + i, 'v' + i], ['ZADD', 'bigzset', i + 0.25, 'm' + i],
      ['SADD', 'bigset', 'm' + i], ['RPUSH', 'biglist', 'element-' + i], ['SADD', 'bigintset', i * 7],
      ['XADD', 'bigstream', `${1000 + i}-0`, 'k', 'v' + i, ...(i % 3 === 0 ? ['extra', String(i)] : [])]);
  }
  cmds.push(['HSET', 'longvalue', 'f', 'v'.repeat(100)], ['ZADD', 'longmember', 1, 'm'.repeat(100)]);
  // Listpack entries of every width, loaded straight into the list's chunk: strings of 0, 126,
  // 127 and 300 bytes (one- and two-byte length forms), binary bytes, integers of each encoding.
  cmds.push(['RPUSH', 'widths', '', 'y'.repeat(126), 'y'.repeat(127), 'z'.repeat(300), '\x00\xff', '-1', '127', '128',
    '4095', '-4096', '32767', '-32768', '8388607', '-8388608', '2147483647', '-2147483648', '2147483648',
    '9007199254740993', '9223372036854775807', '-0', '01']);
  // One listpack node whose integers, as text, outgrow one of our chunks (built another way).
  const ints: Cmd = ['RPUSH', 'intlist'];
  for (let i = 0; i < 1600; i++) ints.push(1000000 + i * 3);
  cmds.push(ints);
  // Scores stored as integers (every width) and as text, the fast decimal form and the others.
  cmds.push(['ZADD', 'scores', '12', 'a', '-4096', 'b', '3.25', 'c', '9007199254740993', 'd', '-123456789.125', 'e',
    '0.30000000000000004', 'f', '1e-7', 'g', '-2147483649', 'h']);
  return cmds;
}

const SMALL = ['hash-max-listpack-entries', '4', 'zset-max-listpack-entries', '4', 'set-max-intset-entries', '4',
  'list-max-listpack-size', '3', 'stream-node-max-entries', '5'];
const SMALL_CONF: Record<string, string> = {};
for (let i = 0; i < SMALL.length; i += 2) SMALL_CONF[SMALL[i]] = SMALL[i + 1];
const toFlags = (o: Record<string, string>): string[] => Object.entries(o).flatMap(([k, v]) => [`--${k}`, v]);

const t = suite('compat: rdb files');
const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'echokv-rdb-'));
  dirs.push(d);
  return d;
};
t.after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const variants: [string, Record<string, string>][] = [
  ['default limits', {}],
  ['small limits (hashtable, skiplist, quicklist nodes)', SMALL_CONF],
  ['rdbcompression no', { rdbcompression: 'no' }],
  ['rdbchecksum no', { rdbchecksum: 'no' }],
];

for (const [name, conf] of variants) {
  t(`echokv's dump passes redis-check-rdb and loads in redis-server with the same dataset (${name})`, async () => {
    if (!have) return;
    const dir = tmp();
    const e = await echoOn(dir, conf);
    await fill(e.port, everyType(300));
    await fill(e.port, [['SAVE']]);
    const before = await dataset(e.port);
    await e.stop();
    checkRdb(join(dir, 'dump.rdb'));
    // echokv reloading its own dump gets back what it had; strings edited in place (APPEND,
    // SETRANGE: raw) come back embstr when short, as in Redis after a reload.
    const e2 = await echoOn(dir, conf);
    const mine = await dataset(e2.port);
    await e2.stop();
    for (const k of Object.keys(before)) {
      if (before[k].type === 'string' && before[k].encoding === 'raw' && (before[k].content as string).length <= 44) {
        before[k] = { ...before[k], encoding: 'embstr' };
      }
    }
    assertSameDataset(mine, before, `${name}, echokv reloaded`);
    const r = await redisOn(dir, toFlags(conf));
    try {
      assertSameDataset(await dataset(r.port), mine, name);
    } finally {
      await r.stop();
    }
  });

  t(`echokv loads redis-server's dump with the same dataset (${name})`, async () => {
    if (!have) return;
    const dir = tmp();
    const r = await redisOn(dir, [...toFlags(conf), '--list-compress-depth', '1']);
    let theirs;
    try {
      await fill(r.port, everyType(300));
      await fill(r.port, [['DEBUG', 'RELOAD'], ['SAVE']]);
      theirs = await dataset(r.port);
    } finally {
      await r.stop();
    }
    const e = await echoOn(dir, conf);
    try {
      assertSameDataset(await dataset(e.port), theirs, name);
    } finally {
      await e.stop();
    }
  });
}

// Loading shares equal short strings between values (_strings.ts) and reads listpack scores
// with its own decimal parser: many keys repeating fields, members and elements load as
// redis-server has them, and writes to some of them afterwards leave the others untouched.
function repeating(n: number): Cmd[] {
  const cmds: Cmd[] = [];
  for (let i = 0; i < n; i++) {
    cmds.push(['HSET', `h${i}`, 'name', `n${i % 7}`, 'age', String(i % 90), 'city', 'somewhere', 'f\x00\xff', i % 2 ? 'v\xff' : 'v\x00'],
      ['SADD', `s${i}`, String(i), String(i + 1), String(10000 + i), String(-i)],
      ['ZADD', `z${i}`, '2.5', 'alpha', `${i}.125`, 'beta', '-0.1', 'gamma', String(i * 1e10 + 0.5), 'delta'],
      ['RPUSH', `l${i}`, 'a', 'b', String(i), 'item', 'a'], ['SET', `int${i}`, String(i * 13)]);
  }
  for (let i = 0; i < 600; i++) cmds.push(['HSET', 'bighash', `field${i}`, `v${i % 5}`], ['SADD', 'bigset', `m${i % 300}`, String(i)]);
  return cmds;
}

const afterLoad: Cmd[] = [
  ['HSET', 'h0', 'name', 'changed'], ['HINCRBY', 'h1', 'age', 5], ['HDEL', 'h2', 'city'], ['HSET', 'bighash', 'field1', 'x'],
  ['SADD', 's0', 'new'], ['SREM', 's1', '1'], ['ZADD', 'z0', '9', 'alpha'], ['ZINCRBY', 'z1', '1', 'beta'],
  ['ZADD', 'z2', '0.75', 'epsilon'], ['ZREM', 'z3', 'gamma'], ['LSET', 'l0', 0, 'changed'], ['RPUSH', 'l1', 'tail'],
  ['LPOP', 'l2'], ['LPUSH', 'l3', 'head'], ['LINSERT', 'l4', 'BEFORE', 'item', 'mid'], ['APPEND', 'int0', 'x'],
  ['SREM', 'bigset', 'm1'],
];

for (const [name, conf] of [['default limits', {}], ['small limits', SMALL_CONF]] as [string, Record<string, string>][]) {
  t(`repeated fields, members and scores load as in redis-server, and stay apart after writes (${name})`, async () => {
    if (!have) return;
    const dir = tmp();
    const r = await redisOn(dir, toFlags(conf));
    let e;
    try {
      await fill(r.port, [...repeating(200), ['SAVE']]);
      const mine = tmp();
      copyFileSync(join(dir, 'dump.rdb'), join(mine, 'dump.rdb'));
      e = await echoOn(mine, conf);
      assertSameDataset(await dataset(e.port), await dataset(r.port), `${name}, loaded`);
      await fill(r.port, afterLoad);
      await fill(e.port, afterLoad);
      assertSameDataset(await dataset(e.port), await dataset(r.port), `${name}, after writes`);
    } finally {
      await e?.stop();
      await r.stop();
    }
  });
}

t('expired keys are dropped when a dump is loaded, and counted', async () => {
  if (!have) return;
  const dir = tmp();
  const r = await redisOn(dir);
  await fill(r.port, [['SET', 'gone', '1', 'PX', '300'], ['SET', 'kept', '2'], ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'], ['SAVE']]);
  await r.stop();
  await new Promise((res) => setTimeout(res, 400));
  const e = await echoOn(dir);
  try {
    const c = await RespClient.connect(e.port);
    assert.equal(await c.call('KEYS', '*'), ['kept']);
    const info = String(await c.call('INFO', 'persistence'));
    assert.match(info, /rdb_last_load_keys_expired:1\r\n/);
    assert.match(info, /rdb_last_load_keys_loaded:1\r\n/);
    c.close();
  } finally {
    await e.stop();
  }
});

// -------------------------------------------------------------------------------------------------
// Older forms

function streamV1(): Uint8Array {
  // One node with master fields [f]; entries 5-0 {f: a} (SAMEFIELDS) and 5-1 {g: b}.
  const lp = new ListpackBuilder();
  lp.addInt(2); lp.addInt(0); lp.addInt(1); lp.add('f'); lp.addInt(0);
  lp.addInt(2); lp.addInt(0); lp.addInt(0); lp.add('a'); lp.addInt(4);
  lp.addInt(0); lp.addInt(0); lp.addInt(1); lp.addInt(1); lp.add('g'); lp.add('b'); lp.addInt(6);
  const id = (ms: number, seq: number): Uint8Array => new Bytes().be(ms, 8).be(seq, 8).done();
  const b = new Bytes().len(1).rblob(id(5, 0)).rblob(lp.finish());
  b.len(2).len(5).len(1); // length, last id
  b.len(1).rstr('grp').len(5).len(0); // one group, last delivered 5-0
  b.len(1).raw(id(5, 0)).le(1700000000000, 8).len(3); // PEL: 5-0, delivered 3 times
  b.len(1).rstr('dave').le(1700000000123, 8).len(1).raw(id(5, 0)); // consumer dave owns it
  return b.done();
}

function oldFormats(version: number): Uint8Array {
  const b = new Bytes();
  b.byte(0xfa).rstr('redis-ver').rstr('6.0.20');
  b.byte(0xfe).len(0);
  b.byte(1).rstr('linkedlist').len(3).rstr('a').byte(0xc0, 5).rstr('c'); // type 1, an int8 element
  b.byte(10).rstr('ziplistlist').rblob(ziplist(['x', 1, 12, 13, -1, 300, -70000, 5000000000n, 'y'.repeat(70)]));
  b.byte(14).rstr('quicklist1').len(2).rblob(ziplist(['n1a', 'n1b'])).rblob(ziplist(['n2a', 7]));
  b.byte(9).rstr('zipmaphash').rblob(zipmap(['name', 'redis', 'ver', '2.4', 'long', 'z'.repeat(300)]));
  b.byte(13).rstr('ziplisthash').rblob(ziplist(['f1', 'v1', 'f2', 2]));
  b.byte(13).rstr('ziplisthashlong').rblob(ziplist(['f1', 'v'.repeat(100)]));
  b.byte(3).rstr('stringdoublezset').len(4).rstr('a').byte(3).str('1.5').rstr('b').byte(254).rstr('c').byte(255)
    .rstr('d').byte(2).str('-2');
  b.byte(12).rstr('ziplistzset').rblob(ziplist(['m1', 1, 'm2', '2.5', 'm3', 3]));
  b.byte(12).rstr('ziplistzsetlong').rblob(ziplist(['m'.repeat(100), 1]));
  b.byte(11).rstr('intset64').rblob(intsetEncode(['1', '5000000000', '-3']));
  b.byte(11).rstr('intset16').rblob(intsetEncode(['1', '2', '3']));
  b.byte(0xfd).le(2000000000, 4).byte(0).rstr('expires-seconds').rstr('v'); // EXPIRETIME, seconds (int32)
  b.byte(0).rstr('lzfstring').byte(0xc3).len(11).len(90).raw(Uint8Array.from([0x03, 0x61, 0x62, 0x63, 0x61, 0xe0, 0x4b, 0x02, 0x01, 0x62, 0x63]));
  b.byte(0).rstr('int16').byte(0xc1).le(-300, 2);
  b.byte(0).rstr('int32').byte(0xc2).le(70000, 4);
  b.byte(15).rstr('streamv1').raw(streamV1());
  return rdbFile(version, b.done());
}

t('files in the older forms load the same in redis-server 7.0 and echokv', async () => {
  if (!have) return;
  for (const version of [9, 7]) {
    const dir = tmp();
    writeFileSync(join(dir, 'dump.rdb'), oldFormats(version));
    checkRdb(join(dir, 'dump.rdb'));
    const r = await redisOn(dir);
    let theirs;
    try {
      theirs = await dataset(r.port);
    } finally {
      await r.stop();
    }
    assert.is(Object.keys(theirs).length, 16);
    const e = await echoOn(dir);
    try {
      assertSameDataset(await dataset(e.port), theirs, `version ${version}`);
    } finally {
      await e.stop();
    }
  }
});

t('echokv reads the Redis 7.2 and 7.4 forms (listpack sets, stream metadata v3, versions 11 and 12)', async () => {
  const lpSet = new ListpackBuilder();
  for (const m of ['a', 'b', '3']) lpSet.add(m);
  const lpInts = new ListpackBuilder();
  for (const m of ['3', '1', '2']) lpInts.add(m);
  const id = (ms: number, seq: number): Uint8Array => new Bytes().be(ms, 8).be(seq, 8).done();
  const node = new ListpackBuilder();
  node.addInt(1); node.addInt(0); node.addInt(1); node.add('f'); node.addInt(0);
  node.addInt(2); node.addInt(0); node.addInt(0); node.add('v'); node.addInt(4);
  const s = new Bytes().len(1).rblob(id(9, 0)).rblob(node.finish());
  s.len(1).len(9).len(0).len(9).len(0).len(0).len(0).len(1); // length, last, first, max deleted, added
  s.len(1).rstr('g').len(9).len(0).len(1); // group g, last 9-0, entries-read 1
  s.len(1).raw(id(9, 0)).le(1700000000000, 8).len(1);
  s.len(1).rstr('c').le(1700000000500, 8).le(1700000000400, 8).len(1).raw(id(9, 0)); // seen, active
  for (const version of [11, 12]) {
    const b = new Bytes().byte(0xfa).rstr('redis-ver').rstr(version === 11 ? '7.2.4' : '7.4.0');
    b.byte(0xfe).len(0).byte(20).rstr('lpset').rblob(lpSet.finish()).byte(20).rstr('lpintset').rblob(lpInts.finish());
    b.byte(21).rstr('stream3').raw(s.done());
    const dir = tmp();
    writeFileSync(join(dir, 'dump.rdb'), rdbFile(version, b.done()));
    const e = await echoOn(dir);
    try {
      const c = await RespClient.connect(e.port);
      assert.equal((await c.call('SMEMBERS', 'lpset') as string[]).sort(), ['3', 'a', 'b']);
      // Loaded the 7.0 way: a set of integers within the limit is an intset.
      assert.is(await c.call('OBJECT', 'ENCODING', 'lpintset'), 'intset');
      assert.equal(await c.call('SMEMBERS', 'lpintset'), ['1', '2', '3']);
      assert.equal(await c.call('XRANGE', 'stream3', '-', '+'), [['9-0', ['f', 'v']]]);
      const pending = (await c.call('XPENDING', 'stream3', 'g', '-', '+', '10')) as unknown[][];
      assert.is(pending.length, 1);
      assert.equal([pending[0][0], pending[0][1], pending[0][3]], ['9-0', 'c', 1]);
      assert.type(pending[0][2], 'number');
      c.close();
    } finally {
      await e.stop();
    }
  }
});

t.run();

