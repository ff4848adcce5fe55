// Helpers of the RDB tests: a server's whole dataset as plain data (every database, every key's
// type, encoding, exact expiry and content, stream groups included) so two servers, or one server
// before and after a reload, can be compared with one assertion.

import { RespClient } from './_helpers.ts';
import { crc64 } from '../plugins/persistence/rdb/_crc64.ts';

export interface KeyDump {
  type: string;
  encoding: string;
  /** PEXPIRETIME: absolute expiry in ms, -1 for none. */
  expireAt: number;
  content: unknown;
}

type Call = (...args: (string | number)[]) => Promise<unknown>;

/** Every key of databases 0..dbs-1 as `db:key` -> KeyDump. Selects database 0 again at the end. */
export async function datasetOf(c: RespClient, dbs = 16): Promise<Record<string, KeyDump>> {
  const call: Call = (...a) => c.call(...a);
  const out: Record<string, KeyDump> = {};
  for (let db = 0; db < dbs; db++) {
    await call('SELECT', db);
    const keys = ((await call('KEYS', '*')) as string[]).slice().sort();
    for (const key of keys) out[`${db}:${key}`] = await keyOf(call, key);
  }
  await call('SELECT', 0);
  return out;
}

async function keyOf(call: Call, key: string): Promise<KeyDump> {
  const type = (await call('TYPE', key)) as string;
  const encoding = (await call('OBJECT', 'ENCODING', key)) as string;
  const expireAt = (await call('PEXPIRETIME', key)) as number;
  let content: unknown;
  switch (type) {
    case 'string':
      content = await call('GET', key);
      break;
    case 'list':
      content = await call('LRANGE', key, 0, -1);
      break;
    case 'hash': {
      const kv = (await call('HGETALL', key)) as string[];
      const pairs: string[] = [];
      for (let i = 0; i < kv.length; i += 2) pairs.push(JSON.stringify([kv[i], kv[i + 1]]));
      // A listpack keeps insertion order, which a reload keeps too; a hashtable has none.
      content = encoding === 'listpack' ? pairs : pairs.sort();
      break;
    }
    case 'set': {
      const m = (await call('SMEMBERS', key)) as string[];
      content = encoding === 'intset' ? m : m.slice().sort();
      break;
    }
    case 'zset':
      content = await call('ZRANGE', key, 0, -1, 'WITHSCORES');
      break;
    case 'stream': {
      const full = await call('XINFO', 'STREAM', key, 'FULL');
      content = { entries: await call('XRANGE', key, '-', '+'), full: normalizeStreamInfo(full) };
      break;
    }
    default:
      content = null;
  }
  return { type, encoding, expireAt, content };
}

/** XINFO STREAM FULL without what a reload may legitimately change: nothing but the radix tree
 * node count, which depends on insertion history in Redis itself. */
function normalizeStreamInfo(x: unknown): unknown {
  if (!Array.isArray(x)) return x;
  const out: unknown[] = [];
  for (let i = 0; i < x.length; i += 2) {
    if (x[i] === 'radix-tree-nodes') continue;
    out.push(x[i], x[i + 1]);
  }
  return out;
}

/** A client, connected, that the caller closes. */
export async function connect(port: number): Promise<RespClient> {
  return RespClient.connect(port);
}

// -------------------------------------------------------------------------------------------------
// Hand-made RDB pieces in the forms Redis 7.0 reads but no longer writes (ziplists, zipmaps,
// linked lists, string-double zsets, stream metadata v1, 7.2's listpack sets ...), written from
// the format descriptions in Redis's ziplist.c / zipmap.c / rdb.c, so tests can check echokv reads
// them the way a real redis-server does.


export class Bytes {
  private b: number[] = [];
  byte(...x: number[]): this {
    for (const v of x) this.b.push(v & 0xff);
    return this;
  }
  str(s: string): this {
    for (let i = 0; i < s.length; i++) this.b.push(s.charCodeAt(i) & 0xff);
    return this;
  }
  raw(u: Uint8Array): this {
    for (const v of u) this.b.push(v);
    return this;
  }
  le(v: number | bigint, n: number): this {
    let x = BigInt.asUintN(8 * n, BigInt(v));
    for (let i = 0; i < n; i++) {
      this.b.push(Number(x & 0xffn));
      x >>= 8n;
    }
    return this;
  }
  be(v: number | bigint, n: number): this {
    const x = BigInt.asUintN(8 * n, BigInt(v));
    for (let i = n - 1; i >= 0; i--) this.b.push(Number((x >> BigInt(8 * i)) & 0xffn));
    return this;
  }
  /** rdbSaveLen. */
  len(n: number | bigint): this {
    const v = BigInt(n);
    if (v < 64n) return this.byte(Number(v));
    if (v < 16384n) return this.byte(0x40 | Number(v >> 8n), Number(v & 0xffn));
    if (v <= 0xffffffffn) return this.byte(0x80).be(v, 4);
    return this.byte(0x81).be(v, 8);
  }
  /** An RDB string, raw. */
  rstr(s: string): this {
    return this.len(s.length).str(s);
  }
  rblob(u: Uint8Array): this {
    return this.len(u.length).raw(u);
  }
  get length(): number {
    return this.b.length;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.b);
  }
}

/** A ziplist of strings and integers (numbers or bigints are stored with integer encodings). */
export function ziplist(items: (string | number | bigint)[]): Uint8Array {
  const entries: Uint8Array[] = [];
  let prev = 0;
  for (const it of items) {
    const e = new Bytes();
    if (prev < 254) e.byte(prev);
    else e.byte(0xfe).le(prev, 4);
    if (typeof it === 'string') {
      const n = it.length;
      if (n < 64) e.byte(n);
      else if (n < 16384) e.byte(0x40 | (n >> 8), n & 0xff);
      else e.byte(0x80).be(n, 4);
      e.str(it);
    } else {
      const v = BigInt(it);
      if (v >= 0n && v <= 12n) e.byte(0xf1 + Number(v));
      else if (v >= -128n && v <= 127n) e.byte(0xfe).le(v, 1);
      else if (v >= -32768n && v <= 32767n) e.byte(0xc0).le(v, 2);
      else if (v >= -8388608n && v <= 8388607n) e.byte(0xf0).le(v, 3);
      else if (v >= -2147483648n && v <= 2147483647n) e.byte(0xd0).le(v, 4);
      else e.byte(0xe0).le(v, 8);
    }
    const u = e.done();
    prev = u.length;
    entries.push(u);
  }
  let size = 11;
  for (const u of entries) size += u.length;
  const tail = entries.length === 0 ? 10 : size - 1 - entries[entries.length - 1].length;
  const out = new Bytes().le(size, 4).le(tail, 4).le(Math.min(entries.length, 65535), 2);
  for (const u of entries) out.raw(u);
  return out.byte(0xff).done();
}

/** A zipmap of field/value pairs (Redis 2.x small hashes). */
export function zipmap(pairs: string[]): Uint8Array {
  const out = new Bytes().byte(Math.min(pairs.length / 2, 254));
  const len = (n: number): void => {
    if (n < 254) out.byte(n);
    else out.byte(254).le(n, 4);
  };
  for (let i = 0; i < pairs.length; i += 2) {
    len(pairs[i].length);
    out.str(pairs[i]);
    len(pairs[i + 1].length);
    out.byte(0); // free
    out.str(pairs[i + 1]);
  }
  return out.byte(0xff).done();
}

/** A whole RDB file: header, `body` (opcodes and keys), EOF and the checksum (v >= 5). */
export function rdbFile(version: number, body: Uint8Array, checksum = true): Uint8Array {
  const b = new Bytes().str('REDIS' + String(version).padStart(4, '0')).raw(body).byte(0xff);
  const u = b.done();
  if (version < 5) return u;
  const c = checksum ? crc64(u).bytesLE() : new Uint8Array(8);
  const out = new Uint8Array(u.length + 8);
  out.set(u);
  out.set(c, u.length);
  return out;
}

/** Asserts two datasets are equal, key by key, so a failure names the first key that differs. */
export function assertSameDataset(
  got: Record<string, KeyDump>, want: Record<string, KeyDump>, what = '',
  equal: (a: unknown, b: unknown, msg: string) => void = defaultEqual,
): void {
  equal(Object.keys(got).sort(), Object.keys(want).sort(), `${what} keys`);
  for (const k of Object.keys(want)) equal(got[k], want[k], `${what} key ${JSON.stringify(k)}`);
}

function defaultEqual(a: unknown, b: unknown, msg: string): void {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  if (x !== y) throw new Error(`${msg} differs:\n  got  ${x.slice(0, 600)}\n  want ${y.slice(0, 600)}`);
}
