// DEBUG DIGEST and DEBUG DIGEST-VALUE: a SHA-1 based signature of the dataset or of some values,
// computed exactly as Redis 7.0's debug.c does, so that the same data gives the same hex string
// in both servers (tests compare a master with its replica, or a dataset before and after a
// reload, this way).
//
// Redis's scheme: xorDigest(d, x) xors SHA1(x) into d, so the order of unordered things (keys,
// set members, hash fields, sorted-set pairs) does not matter; mixDigest(d, x) sets
// d = SHA1(d xor SHA1(x)), so the order of ordered things (list elements, stream entries, a key
// then its value) does. Per key: mix(key), mix(type as a big-endian u32), then the value (below),
// then xor("!!expire!!") when it has a TTL; the key's digest is xored into the dataset's, each
// non-empty database first mixing its number in. Like Redis, the keys are read straight from the
// table: a key past its TTL but not yet removed still counts.

import type { Host } from './host.ts';
import { type Database, type Entry, isString, type ObjectValue } from './keyspace.ts';
import { strToBytes } from './bytes.ts';
import { formatDouble } from './numbers.ts';
import type { PackedList } from './types/packed_list.ts';
import type { SetValue } from './types/set.ts';
import type { HashValue } from './types/hash.ts';
import type { ZSet } from './types/zset.ts';
import type { Stream } from './types/stream.ts';

/** Redis's OBJ_* type numbers, which the digest mixes in. */
const TYPE_CODE = { string: 0, list: 1, set: 2, zset: 3, hash: 4, stream: 6 } as const;
const EXPIRE_MARK = strToBytes('!!expire!!');

class Digester {
  constructor(private readonly host: Host) {}

  xor(digest: Uint8Array, data: Uint8Array): void {
    const h = this.host.sha1(data);
    for (let i = 0; i < 20; i++) digest[i] ^= h[i];
  }

  mix(digest: Uint8Array, data: Uint8Array): void {
    this.xor(digest, data);
    digest.set(this.host.sha1(digest));
  }

  mixStr(digest: Uint8Array, s: string): void {
    this.mix(digest, strToBytes(s));
  }

  /** Redis's xorObjectDigest: the value's type, contents and TTL mark into `digest`. */
  object(digest: Uint8Array, e: Entry): void {
    const v = e.value;
    const type = isString(v) ? 'string' : (v as ObjectValue).type;
    this.mix(digest, u32(TYPE_CODE[type]));
    if (typeof v === 'string') this.mixStr(digest, v);
    else if (isString(v)) this.mix(digest, v.buf.subarray(0, v.len));
    else if (type === 'list') (v as unknown as PackedList).each((el) => this.mixStr(digest, el));
    else if (type === 'set') (v as unknown as SetValue).each((m) => this.xor(digest, strToBytes(m)));
    else if (type === 'zset') {
      (v as unknown as ZSet).forEach((member, score) => this.pair(digest, member, formatDouble(score)));
    } else if (type === 'hash') {
      (v as unknown as HashValue).each((field, value) => this.pair(digest, field, value));
    } else if (type === 'stream') this.stream(digest, v as unknown as Stream);
    else throw new Error(`DEBUG DIGEST: no digest for values of type '${type as string}'`);
    if (e.expireAt !== 0) this.xor(digest, EXPIRE_MARK);
  }

  /** An element of an unordered pair type: its two parts mixed in order, the result xored. */
  private pair(digest: Uint8Array, a: string, b: string): void {
    const ele = new Uint8Array(20);
    this.mixStr(ele, a);
    this.mixStr(ele, b);
    this.xor(digest, ele);
  }

  /** Live entries in order: the ID as "ms.seq", then each field and value. */
  private stream(digest: Uint8Array, s: Stream): void {
    for (const node of s.nodes) {
      for (let i = 0; i < node.total; i++) {
        if (node.isDeleted(i)) continue;
        this.mixStr(digest, `${node.msAt(i)}.${node.seqAt(i)}`);
        const nf = node.numFields(i);
        for (let k = 0; k < nf; k++) {
          this.mixStr(digest, node.field(i, k));
          this.mixStr(digest, node.value(i, k));
        }
      }
    }
  }
}

function u32(n: number): Uint8Array {
  return new Uint8Array([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
}

function hex(digest: Uint8Array): string {
  let s = '';
  for (const b of digest) s += b.toString(16).padStart(2, '0');
  return s;
}

/** DEBUG DIGEST: the whole dataset's signature, 40 zeros when it is empty. */
export function datasetDigest(host: Host, dbs: readonly Database[]): string {
  const d = new Digester(host);
  const final = new Uint8Array(20);
  for (const db of dbs) {
    if (db.keys.size === 0) continue;
    d.mix(final, u32(db.id));
    db.keys.forEach((e, key) => {
      const digest = new Uint8Array(20);
      d.mixStr(digest, key);
      d.object(digest, e);
      d.xor(final, digest);
    });
  }
  return hex(final);
}

/** DEBUG DIGEST-VALUE: one value's signature (without its key), 40 zeros for a missing key. */
export function valueDigest(host: Host, db: Database, key: string): string {
  const digest = new Uint8Array(20);
  const e = db.keys.get(key);
  if (e !== undefined) new Digester(host).object(digest, e);
  return hex(digest);
}
