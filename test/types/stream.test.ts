// The stream value (core/types/stream.ts) without a server: ID parsing as Redis's string2ull and
// streamGenericParseIDOrReply read IDs, exact 64-bit IDs and their 16-byte keys, the sorted PEL map
// against a plain model, range walks and trimming against a model of entries, node splitting by
// the listpack sizes Redis would have, and the radix tree node count against a real trie.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  decrId, formatId, IdMap, idKey, idText, incrId, keyId, keyText, MAX_ID, parseId, Stream, StreamNode, string2ull,
  type StreamID,
  type U64, u64, U64_MAX,
} from '../../core/types/stream.ts';

function rng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

const MAX = '18446744073709551615';

test('string2ull reads what Redis reads: canonical integers, then strtoull in full', () => {
  const cases: [string, string | null][] = [
    ['0', '0'], ['1', '1'], ['123456789012345', '123456789012345'], ['9007199254740991', '9007199254740991'],
    ['9007199254740992', '9007199254740992'], [MAX, MAX], ['18446744073709551616', null], ['', null], [' ', null],
    ['007', '7'], [' 5', '5'], ['\t\n5', '5'], ['+5', '5'], ['-0', '0'], ['-5', null], ['-05', '18446744073709551611'],
    ['-9223372036854775808', null], ['-9223372036854775809', '9223372036854775807'], ['-' + MAX, '1'],
    ['-18446744073709551616', null], ['5 ', null], ['1e5', null], ['0x10', null], ['--5', null], ['+-5', null], ['+', null],
    ['-', null], ['12a', null], ['٣', null],
  ];
  for (const [s, want] of cases) {
    const got = string2ull(s);
    assert.is(got === null ? null : String(got), want, JSON.stringify(s));
    if (got !== null) assert.is(typeof got === 'bigint', BigInt(got) > 9007199254740991n, `canonical form of ${s}`);
  }
});

test('parseId: -, +, incomplete IDs, <ms>-*, strictness, C strings and the length limit', () => {
  const show = (s: string, missing: U64, strict: boolean, star = false): string | null => {
    const id = parseId(s, missing, strict, star);
    return id === null ? null : `${idText(id)}${id.seqGiven ? '' : '*'}`;
  };
  assert.is(show('-', 0, false), '0-0');
  assert.is(show('+', 0, false), `${MAX}-${MAX}`);
  assert.is(show('-', 0, true), null);
  assert.is(show('+', 0, true), null);
  assert.is(show('5', 0, true), '5-0');
  assert.is(show('5', U64_MAX, true), `5-${MAX}`);
  assert.is(show('5-*', 0, true, true), '5-0*');
  assert.is(show('5-*', 0, true, false), null);
  assert.is(show('5-1-1', 0, true), null);
  assert.is(show('5-', 0, true), null);
  assert.is(show('-5', 0, true), null);
  assert.is(show('5\x00junk', 0, true), '5-0');
  assert.is(show('-\x00x', 0, false), '0-0');
  assert.is(show('0'.repeat(126) + '7', 0, true), '7-0');
  assert.is(show('0'.repeat(127) + '7', 0, true), null);
  assert.is(show(`${MAX}-${MAX}`, 0, true), `${MAX}-${MAX}`);
  assert.is(show(`${MAX}-18446744073709551616`, 0, true), null);
});

test('IDs: increments and decrements carry across the halves; keys sort like IDs and round-trip', () => {
  const id = (ms: string, seq: string): StreamID => ({ ms: u64(BigInt(ms)), seq: u64(BigInt(seq)) });
  assert.is(idText(incrId(id('1', MAX))!), '2-0');
  assert.is(idText(incrId(id('9007199254740991', '9007199254740991'))!), '9007199254740991-9007199254740992');
  assert.is(incrId(MAX_ID), null);
  assert.is(idText(decrId(id('2', '0'))!), `1-${MAX}`);
  assert.is(idText(decrId(id('1', '9007199254740992'))!), '1-9007199254740991');
  assert.is(typeof decrId(id('1', '9007199254740992'))!.seq, 'number');
  assert.is(decrId(id('0', '0')), null);
  const r = rng(7);
  const samples: [bigint, bigint][] = [];
  const pick = (): bigint => {
    const k = r();
    if (k < 0.3) return BigInt(Math.floor(r() * 1000));
    if (k < 0.6) return BigInt(Math.floor(r() * 2 ** 53));
    if (k < 0.8) return (1n << 64n) - 1n - BigInt(Math.floor(r() * 1000));
    return BigInt(Math.floor(r() * 2 ** 30)) * (1n << 34n) + BigInt(Math.floor(r() * 2 ** 30));
  };
  for (let i = 0; i < 400; i++) samples.push([pick(), pick()]);
  for (const [a, b] of samples) {
    const k = idKey(u64(a), u64(b));
    assert.is(k.length, 16);
    assert.is(keyText(k), `${a}-${b}`);
    assert.is(idText(keyId(k)), formatId(u64(a), u64(b)));
  }
  const sorted = [...samples].sort((x, y) => (x[0] !== y[0] ? (x[0] < y[0] ? -1 : 1) : x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0));
  const byKey = [...samples].sort((x, y) => {
    const kx = idKey(u64(x[0]), u64(x[1]));
    const ky = idKey(u64(y[0]), u64(y[1]));
    return kx < ky ? -1 : kx > ky ? 1 : 0;
  });
  assert.equal(byKey, sorted);
});

test('IdMap behaves as a sorted map through random inserts, deletes and seeks', () => {
  const r = rng(11);
  const map = new IdMap<number>();
  const model = new Map<string, number>();
  const key = (): string => idKey(Math.floor(r() * 3000), Math.floor(r() * 3));
  for (let step = 0; step < 20000; step++) {
    const k = key();
    const op = r();
    if (op < 0.5) {
      assert.is(map.set(k, step), !model.has(k));
      model.set(k, step);
    } else if (op < 0.8) {
      assert.is(map.delete(k), model.get(k));
      model.delete(k);
    } else {
      assert.is(map.get(k), model.get(k));
    }
    assert.is(map.size, model.size);
    if (step % 500 === 0) {
      const keys = [...model.keys()].sort();
      const seen: string[] = [];
      map.forEach((kk, v) => {
        seen.push(kk);
        assert.is(v, model.get(kk));
      });
      assert.equal(seen, keys);
      assert.is(map.firstKey(), keys[0]);
      assert.is(map.lastKey(), keys[keys.length - 1]);
      for (let i = 0; i < 50; i++) {
        const probe = key();
        assert.is(map.ceilKey(probe), keys.find((x) => x >= probe));
        assert.is(map.higherKey(probe), keys.find((x) => x > probe));
      }
    }
  }
});

/** A model of a stream's entries: the live IDs in order. */
function ids(s: Stream, rev = false): string[] {
  const out: string[] = [];
  s.each({ ms: 0, seq: 0 }, MAX_ID, rev, 0, (node, i) => out.push(formatId(node.msAt(i), node.seqAt(i))));
  return out;
}

test('ranges, deletions and trimming agree with a model of the entries', () => {
  const r = rng(3);
  for (let round = 0; round < 30; round++) {
    const s = new Stream();
    const model: number[] = [];
    let next = 1;
    const maxEntries = 1 + Math.floor(r() * 6);
    for (let step = 0; step < 300; step++) {
      const op = r();
      if (op < 0.55) {
        next += 1 + Math.floor(r() * 3);
        s.append(next, 0, ['f', 'v'.repeat(Math.floor(r() * 30))], 0, 1, 0, maxEntries);
        model.push(next);
      } else if (op < 0.75) {
        const victim = Math.floor(r() * (next + 2));
        const had = model.indexOf(victim);
        assert.is(s.deleteId({ ms: victim, seq: 0 }), had >= 0);
        if (had >= 0) model.splice(had, 1);
      } else if (op < 0.85) {
        const maxlen = Math.floor(r() * model.length * 1.2);
        const removed = s.trim({ strategy: 'maxlen', maxlen, minid: { ms: 0, seq: 0 }, approx: false, limit: 0 });
        const drop = Math.max(0, model.length - maxlen);
        assert.is(removed, drop);
        model.splice(0, drop);
      } else if (op < 0.95) {
        const minid = Math.floor(r() * (next + 2));
        const drop = model.filter((x) => x < minid).length;
        assert.is(s.trim({ strategy: 'minid', maxlen: 0, minid: { ms: minid, seq: 0 }, approx: false, limit: 0 }), drop);
        model.splice(0, drop);
      } else {
        // Approximate trimming removes whole nodes only, never more than asked.
        const maxlen = Math.floor(r() * model.length);
        const before = s.length;
        const removed = s.trim({ strategy: 'maxlen', maxlen, minid: { ms: 0, seq: 0 }, approx: true, limit: 0 });
        assert.ok(before - removed >= Math.min(before, maxlen));
        model.splice(0, removed);
      }
      assert.is(s.length, model.length);
      if (step % 25 === 0) {
        assert.equal(ids(s), model.map((x) => `${x}-0`));
        assert.equal(ids(s, true), model.map((x) => `${x}-0`).reverse());
        const a = Math.floor(r() * (next + 2));
        const b = Math.floor(r() * (next + 2));
        const got: string[] = [];
        s.each({ ms: a, seq: 0 }, { ms: b, seq: 0 }, false, 3, (node, i) => got.push(formatId(node.msAt(i), node.seqAt(i))));
        assert.equal(got, model.filter((x) => x >= a && x <= b).slice(0, 3).map((x) => `${x}-0`));
        for (const node of s.nodes) {
          assert.ok(node.live > 0 || s.nodes.length > 0, 'nodes hold entries');
          assert.ok(node.total <= maxEntries, 'node entry limit');
        }
      }
    }
  }
});

/** Bytes of one listpack element, as src/listpack.c encodes it (independent of the code under
 * test: integers by range, strings by length, plus the back length). */
function element(v: string | number): number {
  const asInt = typeof v === 'number' ? v : /^(0|-?[1-9][0-9]{0,18})$/.test(v) ? Number(v) : null;
  let enc: number;
  if (asInt !== null && Number.isSafeInteger(asInt)) {
    enc = asInt >= 0 && asInt <= 127 ? 1 : asInt >= -4096 && asInt <= 4095 ? 2 : asInt >= -32768 && asInt <= 32767 ? 3
      : asInt >= -8388608 && asInt <= 8388607 ? 4 : asInt >= -2147483648 && asInt <= 2147483647 ? 5 : 9;
  } else {
    const n = (v as string).length;
    enc = n < 64 ? 1 + n : n < 4096 ? 2 + n : 5 + n;
  }
  const back = enc <= 127 ? 1 : enc < 16383 ? 2 : 3;
  return enc + back;
}

test('node bytes are the size of the listpack Redis would build, and nodes split on it', () => {
  const s = new Stream();
  // A new node: header, count, deleted, field count, master fields, terminator.
  s.append(1, 0, ['field', 'value', 'n', '123'], 0, 2, 4096, 100);
  let want = 7 + element(1) + element(0) + element(2) + element('field') + element('n') + element(0);
  // The entry: flags (same fields), ms and seq deltas, values, lp-count.
  want += element(2) + element(0) + element(0) + element('value') + element('123') + element(2 + 3);
  assert.is(s.nodes[0].bytes, want);
  // Different fields: flags 0, the field count, fields and values, lp-count 2 * 2 + 4.
  s.append(300, 7, ['other', 'x'.repeat(70), 'n', '-99999'], 0, 2, 4096, 100);
  want += element(2) - element(1); // the count grew
  want += element(0) + element(299) + element(7) + element(2) + element('other') + element('x'.repeat(70)) +
    element('n') + element('-99999') + element(2 * 2 + 4);
  assert.is(s.nodes[0].bytes, want);
  // A node is full when its bytes plus the new entry's strings reach the limit.
  const limit = want + 'field'.length + 'v'.length + 'n'.length + '1'.length;
  s.append(301, 0, ['field', 'v', 'n', '1'], 0, 2, limit, 100);
  assert.is(s.nodes.length, 2);
  s.append(302, 0, ['field', 'v', 'n', '1'], 0, 2, 0, 2);
  assert.is(s.nodes.length, 2);
  s.append(303, 0, ['field', 'v', 'n', '1'], 0, 2, 0, 2);
  assert.is(s.nodes.length, 3, 'at most 2 entries per node');
  // Deleted entries keep their place in a node's count.
  s.deleteId({ ms: 303, seq: 0 });
  assert.is(s.nodes.length, 2, 'a node without live entries goes');
  s.deleteId({ ms: 302, seq: 0 });
  s.append(304, 0, ['field', 'v'], 0, 1, 0, 2);
  assert.is(s.nodes.length, 3, 'the deleted entry still fills the node');
});

/** Nodes of a compressed trie built key by key (as Redis's rax inserts), with chains of one-child
 * non-key nodes merged, counted directly. */
function trieNodes(keys: string[]): number {
  interface N { kids: Map<number, N>; key: boolean }
  const root: N = { kids: new Map(), key: false };
  for (const k of keys) {
    let n = root;
    for (let i = 0; i < k.length; i++) {
      let next = n.kids.get(k.charCodeAt(i));
      if (next === undefined) {
        next = { kids: new Map(), key: false };
        n.kids.set(k.charCodeAt(i), next);
      }
      n = next;
    }
    n.key = true;
  }
  // A rax node per trie node, except a one-child non-key node below another one-child non-key
  // node: it is part of its parent's compressed run.
  const count = (n: N, inRun: boolean): number => {
    const single = n.kids.size === 1 && !n.key;
    let total = inRun && single ? 0 : 1;
    for (const kid of n.kids.values()) total += count(kid, single);
    return total;
  };
  return count(root, false);
}

test('sealed nodes read the same, and one that is the tail again is opened for appends', () => {
  const s = new Stream();
  s.append(1, 0, ['f', 'a', 'g', '1'], 0, 2, 100, 0);
  s.append(2, 0, ['h', 'b'], 0, 1, 100, 0);
  s.append(3, 0, ['f', 'x'.repeat(200)], 0, 1, 100, 0);
  assert.is(s.nodes.length, 2);
  assert.ok(s.nodes[0].sealed, 'the older node is sealed');
  const entries = (): string[] => {
    const out: string[] = [];
    s.each({ ms: 0, seq: 0 }, MAX_ID, false, 0, (node, i) => {
      const kv: string[] = [];
      for (let k = 0; k < node.numFields(i); k++) kv.push(node.field(i, k), node.value(i, k));
      out.push(`${formatId(node.msAt(i), node.seqAt(i))} ${kv.join(',')}`);
    });
    return out;
  };
  assert.equal(entries(), ['1-0 f,a,g,1', '2-0 h,b', `3-0 f,${'x'.repeat(200)}`]);
  assert.ok(s.deleteId({ ms: 3, seq: 0 }));
  assert.is(s.nodes.length, 1);
  s.append(4, 0, ['f', 'c', 'g', '2'], 0, 2, 100, 0);
  assert.is(s.nodes.length, 1, 'appended to the sealed node, now open again');
  assert.not.ok(s.nodes[0].sealed);
  assert.equal(entries(), ['1-0 f,a,g,1', '2-0 h,b', '4-0 f,c,g,2']);
  assert.ok(s.deleteId({ ms: 1, seq: 0 }));
  assert.equal(entries(), ['2-0 h,b', '4-0 f,c,g,2']);
});

test('sealed nodes in 16-bit, 32-bit and open form read back every ID, field and deletion', () => {
  const r = rng(11);
  // Each round's IDs stress one packing: small steps (16-bit slots), big ms or seq steps and long
  // values (32-bit slots), seqs past 2^32 and IDs past 2^53 (nodes that stay open).
  const kinds = ['small', 'ms', 'seq', 'bytes', 'seq32', 'big'];
  for (let round = 0; round < 24; round++) {
    const kind = kinds[round % kinds.length];
    const s = new Stream();
    const model: { id: string; ms: U64; seq: U64; kv: string[] }[] = [];
    let ms: U64 = kind === 'big' ? 2n ** 60n : 1 + Math.floor(r() * 1e12);
    let seq: U64 = 0;
    for (let k = 0; k < 120; k++) {
      if (r() < 0.5) {
        const step = kind === 'ms' ? 60000 + Math.floor(r() * 1e6) : 1 + Math.floor(r() * 3);
        ms = typeof ms === 'bigint' ? ms + BigInt(step) : ms + step;
        seq = 0;
      } else {
        const step = kind === 'seq' ? 30000 + Math.floor(r() * 1e5) : kind === 'seq32' ? 2 ** 31 + Math.floor(r() * 1e6) : 1;
        seq = (seq as number) + step;
      }
      const same = r() < 0.7;
      const len = kind === 'bytes' ? 7000 + Math.floor(r() * 200) : Math.floor(r() * 12);
      const kv = same ? ['f', 'v'.repeat(len) + k, 'g', String(k)] : ['h' + (k % 3), '\xff\x00' + k];
      s.append(ms, seq, kv, 0, kv.length >> 1, 0, 10);
      model.push({ id: formatId(ms, seq), ms, seq, kv });
    }
    assert.ok(s.nodes.slice(0, -1).every((n) => n.sealed) === (kind !== 'big' && kind !== 'seq32'), kind + ' sealing');
    const read = (rev: boolean): string[] => {
      const out: string[] = [];
      s.each({ ms: 0, seq: 0 }, MAX_ID, rev, 0, (node, i) => {
        const kv: string[] = [];
        for (let k = 0; k < node.numFields(i); k++) kv.push(node.field(i, k), node.value(i, k));
        out.push(`${formatId(node.msAt(i), node.seqAt(i))} ${kv.join(',')}`);
      });
      return out;
    };
    const want = (): string[] => model.map((e) => `${e.id} ${e.kv.join(',')}`);
    assert.equal(read(false), want(), kind);
    assert.equal(read(true), want().reverse(), kind);
    // Deletions flag entries in sealed nodes; lookups by ID see them gone.
    for (let k = 0; k < 30; k++) {
      const at = Math.floor(r() * model.length);
      const e = model[at];
      assert.ok(s.deleteId({ ms: e.ms, seq: e.seq }), kind + ' delete');
      assert.not.ok(s.deleteId({ ms: e.ms, seq: e.seq }), kind + ' deleted twice');
      model.splice(at, 1);
    }
    assert.equal(read(false), want(), kind + ' after deletes');
    const copy = s.dup();
    assert.ok(s.deleteId({ ms: model[0].ms, seq: model[0].seq }));
    assert.equal(read(false), want().slice(1), kind + ' original');
    s.nodes = copy.nodes;
    assert.equal(read(false), want(), kind + ' copy shares nothing');
  }
});

test('loadEntry builds nodes as a loader does; seal packs all but the tail', () => {
  const s = new Stream();
  for (let n = 0; n < 3; n++) {
    const node = new StreamNode(n * 10 + 1, 0, ['f']);
    node.loadEntry(n * 10 + 1, 0, false, ['f', `v${n}`]);
    node.loadEntry(n * 10 + 2, 0, n === 1, ['g', 'x', 'h', 'y']);
    node.live = n === 1 ? 1 : 2;
    node.deleted = n === 1 ? 1 : 0;
    s.nodes.push(node);
  }
  s.length = 5;
  s.seal();
  assert.ok(s.nodes[0].sealed);
  assert.ok(s.nodes[1].sealed);
  assert.not.ok(s.nodes[2].sealed, 'the tail stays open');
  const out: string[] = [];
  s.each({ ms: 0, seq: 0 }, MAX_ID, false, 0, (node, i) => {
    const kv: string[] = [];
    for (let k = 0; k < node.numFields(i); k++) kv.push(node.field(i, k), node.value(i, k));
    out.push(`${formatId(node.msAt(i), node.seqAt(i))} ${kv.join(',')}`);
  });
  assert.equal(out, ['1-0 f,v0', '2-0 g,x,h,y', '11-0 f,v1', '21-0 f,v2', '22-0 g,x,h,y']);
});

test('radix-tree-nodes equals the node count of a compressed trie of the node keys', () => {
  const r = rng(5);
  for (let round = 0; round < 200; round++) {
    const s = new Stream();
    let ms = Math.floor(r() * 1000);
    const n = 1 + Math.floor(r() * 40);
    for (let i = 0; i < n; i++) {
      const big = r() < 0.2;
      // IDs must grow (append leaves that check to its callers).
      ms += 1 + (big ? Math.floor(r() * 2 ** 40) : Math.floor(r() * 300));
      s.append(ms, Math.floor(r() * 5), ['f', 'v'], 0, 1, 0, 1);
      if (r() < 0.2) s.deleteId({ ms, seq: s.lastSeq });
    }
    const keys = s.nodes.map((node) => idKey(node.masterMs, node.masterSeq));
    assert.is(s.raxNodes, keys.length === 0 ? 1 : trieNodes(keys), `keys ${keys.length}`);
  }
  assert.is(new Stream().raxNodes, 1);
});

test('dup copies entries, groups, consumers and pending entries without sharing them', () => {
  const s = new Stream();
  for (let i = 1; i <= 10; i++) s.append(i, 0, ['f', String(i)], 0, 1, 0, 3);
  const copy = s.dup();
  copy.append(11, 0, ['f', 'x'], 0, 1, 0, 3);
  copy.deleteId({ ms: 1, seq: 0 });
  assert.is(s.length, 10);
  assert.equal(ids(s).length, 10);
  assert.is(copy.length, 10);
  assert.is(ids(copy)[0], '2-0');
});

test.run();
