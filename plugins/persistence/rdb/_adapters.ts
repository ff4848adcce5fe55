// The RDB adapters of echokv's value classes (see values.ts): for each type, how the encoder
// walks a value and how a loaded value is built with the encoding Redis 7.0 would give it.

import { PackedList, writeEntryBytes } from '../../../core/types/packed_list.ts';
import { HashValue } from '../../../core/types/hash.ts';
import { isIntMember, SetValue } from '../../../core/types/set.ts';
import { ZSet } from '../../../core/types/zset.ts';
import { compareKey } from '../../../core/types/score_index.ts';
import {
  Consumer, Group, idKey, keyId, Nack, Stream, StreamNode, type U64, u64,
} from '../../../core/types/stream.ts';
import type { ObjectValue } from '../../../core/keyspace.ts';
import { LP_INT, LP_STRING, lpDone, lpEnd, lpEntry, lpInt, lpKind, lpOpen, lpStart, lpText } from './_listpack.ts';
import { registerAdapter, type StreamData, type StreamGroup, type StreamNodeData } from './values.ts';

// Lists: a quicklist whatever their size (Redis 7.0).
registerAdapter('list', {
  source(v) {
    const l = v as unknown as PackedList;
    return {
      length: l.length,
      each(fn) {
        l.each(fn);
      },
    };
  },
  build(elements) {
    return PackedList.from(elements) as unknown as ObjectValue;
  },
  fromListpack(lp, from, to) {
    // The listpack's entries rewritten in the list's own entry format, then copied into one
    // chunk: no string per element. Lists over one chunk go through build().
    let p = lpOpen(lp, from, to);
    const end = to - 1;
    const out = entryScratch;
    let n = 0;
    let count = 0;
    while (p < end) {
      p = lpEntry(lp, p, end);
      if (lpKind === LP_STRING) {
        if (n + (lpEnd - lpStart) + 16 > out.length) return null;
        n = writeEntryBytes(out, n, lp, lpStart, lpEnd);
      } else {
        if (n + 32 > out.length) return null;
        n = writeIntEntry(out, n, lpKind === LP_INT ? lpInt : lpText);
      }
      count++;
    }
    lpDone(lp, from, to, p, count);
    return PackedList.fromEntries(out, n, count) as unknown as ObjectValue | null;
  },
});

/** Where list entries are assembled while loading: a chunk's worth and some room. */
const entryScratch = new Uint8Array(8192 + 256);

/** Writes a list entry holding the decimal text of `v` (an exact integer, or the text of one
 * beyond 2^53) at buf[at]; returns the index after it. At most 20 bytes: always the short entry
 * form writeEntryBytes() writes, [length][bytes][length + 1]. */
function writeIntEntry(buf: Uint8Array, at: number, v: number | string): number {
  let p = at + 1;
  if (typeof v === 'number' && v >= -2147483648 && v <= 2147483647) {
    let x = v;
    if (x < 0) {
      buf[p++] = 45;
      x = -x;
    }
    let digits = 1;
    for (let y = x; y >= 10; y = (y / 10) >>> 0) digits++;
    for (let i = digits - 1; i >= 0; i--) {
      buf[p + i] = 48 + (x % 10);
      x = (x / 10) >>> 0;
    }
    p += digits;
  } else {
    const s = typeof v === 'number' ? String(v) : v;
    for (let i = 0; i < s.length; i++) buf[p++] = s.charCodeAt(i);
  }
  const len = p - at - 1;
  buf[at] = len;
  buf[p] = len + 1;
  return p + 1;
}

registerAdapter('set', {
  source(v) {
    const s = v as SetValue;
    return {
      encoding: s.encoding,
      size: s.size,
      each(fn) {
        for (let i = 0; i < s.size; i++) fn(s.at(i));
      },
    };
  },
  build(members, limits, compact) {
    // Redis's load: an intset while every member is an integer and the count fits. An intset
    // from the file is already sorted integers.
    const max = Math.min(limits.setMaxIntsetEntries, 1 << 30);
    if (compact && members.length <= max) return new SetValue(members, null);
    if (members.length <= max && members.every(isIntMember)) {
      const sorted = members.slice().sort(compareIntStrings);
      return new SetValue(sorted, null);
    }
    return SetValue.hashtableOf(members);
  },
});

registerAdapter('hash', {
  source(v) {
    const h = v as HashValue;
    return {
      encoding: h.encoding,
      size: h.size,
      each(fn) {
        for (let i = 0; i < h.size; i++) fn(h.fieldAt(i), h.valueAt(i));
      },
    };
  },
  build(pairs, limits, compact) {
    const n = pairs.length / 2;
    let listpack = n <= limits.hashMaxListpackEntries;
    if (listpack && !compact) {
      for (const s of pairs) {
        if (s.length > limits.hashMaxListpackValue) {
          listpack = false;
          break;
        }
      }
    }
    const h = new HashValue(pairs, null);
    // A listpack keeps the pair array: without the spare room pushes leave in it (a compact
    // hash's array comes at its exact length).
    if (!listpack) h.toHashtable();
    else if (!compact) h.trim();
    return h;
  },
});

registerAdapter('zset', {
  source(v) {
    const z = v as ZSet;
    return {
      encoding: z.encoding,
      size: z.size,
      each(fn) {
        z.forEach(fn);
      },
    };
  },
  build(members, scores, limits, compact) {
    const n = members.length;
    let listpack = n <= limits.zsetMaxListpackEntries;
    if (listpack && !compact) {
      for (const m of members) {
        if (m.length > limits.zsetMaxListpackValue) {
          listpack = false;
          break;
        }
      }
    }
    // A listpack is stored in order; a skiplist is written from the greatest element down.
    let ascending = true;
    for (let i = 1; i < n && ascending; i++) if (compareKey(scores[i - 1], members[i - 1], scores[i], members[i]) > 0) ascending = false;
    if (ascending) return ZSet.fromSorted(listpack, scores, members, true);
    let descending = true;
    for (let i = 1; i < n && descending; i++) if (compareKey(scores[i - 1], members[i - 1], scores[i], members[i]) < 0) descending = false;
    if (descending) return ZSet.fromSorted(listpack, scores.reverse(), members.reverse(), true);
    const order = members.map((_, i) => i);
    order.sort((a, b) => compareKey(scores[a], members[a], scores[b], members[b]));
    return ZSet.fromSorted(listpack, order.map((i) => scores[i]), order.map((i) => members[i]), true);
  },
});

registerAdapter('stream', {
  source(v) {
    const s = v as Stream;
    return { data: () => streamData(s) };
  },
  build(d) {
    return buildStream(d);
  },
});

/** Canonical integer strings in numeric order (sign, then length, then bytes). */
function compareIntStrings(a: string, b: string): number {
  const an = a.charCodeAt(0) === 45;
  const bn = b.charCodeAt(0) === 45;
  if (an !== bn) return an ? -1 : 1;
  if (a.length !== b.length) return (a.length < b.length) !== an ? -1 : 1;
  if (a === b) return 0;
  return (a < b) !== an ? -1 : 1;
}

const big = (x: U64 | number | bigint): bigint => (typeof x === 'bigint' ? x : BigInt(x));

function streamData(s: Stream): StreamData {
  const nodes: StreamNodeData[] = [];
  const entries: { id: string; fields: string[] }[] = [];
  for (const n of s.nodes) {
    const node: StreamNodeData = { master: idKey(n.masterMs, n.masterSeq), masterFields: n.fields.slice(), entries: [] };
    for (let i = 0; i < n.total; i++) {
      const fields: string[] = [];
      const nf = n.numFields(i);
      for (let k = 0; k < nf; k++) fields.push(n.field(i, k), n.value(i, k));
      const id = idKey(n.msAt(i), n.seqAt(i));
      const deleted = n.isDeleted(i);
      node.entries.push({ id, deleted, fields });
      if (!deleted) entries.push({ id, fields });
    }
    nodes.push(node);
  }
  const groups: StreamGroup[] = s.sortedGroups().map((g) => {
    const pending: StreamGroup['pending'] = [];
    g.pel.forEach((id, nack) => {
      pending.push({ id, deliveryTime: nack.time, deliveryCount: nack.count });
    });
    return {
      name: g.name,
      lastId: idKey(g.last.ms, g.last.seq),
      entriesRead: g.entriesRead,
      pending,
      consumers: g.sortedConsumers().map((c) => {
        const ids: string[] = [];
        c.pel.forEach((id) => {
          ids.push(id);
        });
        return { name: c.name, seenTime: c.seenTime, activeTime: -1, pending: ids };
      }),
    };
  });
  return {
    entries,
    nodes,
    length: s.length,
    lastId: idKey(s.lastMs, s.lastSeq),
    firstId: idKey(s.firstMs, s.firstSeq),
    maxDeletedId: idKey(s.maxDelMs, s.maxDelSeq),
    entriesAdded: s.entriesAdded,
    groups,
  };
}

function buildStream(d: StreamData): Stream {
  const s = new Stream();
  for (const nd of d.nodes ?? []) {
    const m = keyId(nd.master);
    const node = new StreamNode(m.ms, m.seq, nd.masterFields.slice());
    let live = 0;
    let dead = 0;
    for (const e of nd.entries) {
      const id = keyId(e.id);
      node.loadEntry(id.ms, id.seq, e.deleted, e.fields);
      if (e.deleted) dead++;
      else live++;
    }
    node.live = live;
    node.deleted = dead;
    node.bytes = nd.bytes ?? 0;
    s.nodes.push(node);
  }
  s.length = d.length;
  const last = keyId(d.lastId);
  s.lastMs = last.ms;
  s.lastSeq = last.seq;
  const first = keyId(d.firstId);
  s.firstMs = first.ms;
  s.firstSeq = first.seq;
  const del = keyId(d.maxDeletedId);
  s.maxDelMs = del.ms;
  s.maxDelSeq = del.seq;
  s.entriesAdded = u64(big(d.entriesAdded));
  if (d.groups.length > 0) {
    s.groups = new Map();
    for (const g of d.groups) {
      const er = typeof g.entriesRead === 'number' && g.entriesRead < 0 ? -1 : u64(big(g.entriesRead));
      const group = new Group(g.name, keyId(g.lastId), er);
      const nacks = new Map<string, Nack>();
      for (const p of g.pending) {
        const nack = new Nack(null, p.deliveryTime);
        nack.count = u64(big(p.deliveryCount));
        nacks.set(p.id, nack);
        group.pel.set(p.id, nack);
      }
      for (const c of g.consumers) {
        const consumer = new Consumer(c.name, c.seenTime);
        for (const id of c.pending) {
          const nack = nacks.get(id)!;
          nack.consumer = consumer;
          consumer.pel.set(id, nack);
        }
        group.consumers.set(c.name, consumer);
      }
      s.groups.set(g.name, group);
    }
  }
  s.seal();
  return s;
}
