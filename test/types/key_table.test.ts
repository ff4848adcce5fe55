// KeyTable keeps a Map's contract: the same answers, the same insertion order, and iterators
// that behave as a Map's do while the table changes under them (SCAN, BGSAVE and eviction
// walks rely on it). Every step is checked against a real Map driven by the same operations.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { KeyTable, hashKey, hashKeyBytes } from '../../core/key_table.ts';
import { bytes, rng } from './_gen.ts';

type It = { map: Iterator<[string, number]>; table: Iterator<[string, number]>; done: boolean };

/** Runs `steps` random operations on a Map and a KeyTable side by side, comparing as it goes. */
function drive(seed: number, steps: number, keySpace: number): void {
  const r = rng(seed);
  const map = new Map<string, number>();
  const table = new KeyTable<number>();
  const its: It[] = [];
  const key = (): string => `k${Math.floor(r() * keySpace)}`;
  for (let i = 0; i < steps; i++) {
    const op = r();
    if (op < 0.4) {
      const k = key();
      map.set(k, i);
      table.set(k, i);
    } else if (op < 0.7) {
      const k = key();
      assert.is(table.delete(k), map.delete(k), `delete ${k} at step ${i}`);
    } else if (op < 0.78) {
      let k = key();
      // Half the time through the read-ahead's memo, which may be many changes old by now: it
      // must answer only while nothing has changed the key's value since.
      const m = table.memo;
      if (m !== null && r() < 0.5) {
        m.pos = Math.floor(r() * 8);
        if (m.keys[m.pos] !== '' && r() < 0.8) k = m.keys[m.pos];
      }
      assert.is(table.get(k), map.get(k), `get ${k} at step ${i}`);
      assert.is(table.has(k), map.has(k), `has ${k}`);
    } else if (op < 0.8) {
      // Reading ahead changes nothing (checked by the next steps) and finds only stored values.
      const keys = Array.from({ length: 1 + Math.floor(r() * 31) }, key);
      const hashes = Int32Array.from(keys, hashKey);
      const found: (number | undefined)[] = [];
      const names: string[] = [];
      const n = keys.length;
      table.prefetch(hashes, n, found, names);
      const stored = new Set(map.values());
      // A key's candidate is a stored value (its own, or one whose tag matched) with its stored
      // key, or nothing.
      for (let j = 0; j < n; j++) {
        if (found[j] !== undefined) {
          assert.ok(stored.has(found[j] as number), `prefetch found ${found[j]}`);
          assert.is(map.get(names[j]), found[j], `prefetch found ${found[j]} under ${names[j]}`);
        } else assert.is(names[j], '', 'no key where nothing was found');
      }
      // What Database.prefetchHashes memoizes: the keys found at their first probe.
      const memo = table.newMemo();
      for (let j = 0; j < Math.min(n, 8); j++) {
        if (found[j] !== undefined && names[j] === keys[j]) {
          memo.keys[j] = keys[j];
          memo.vals[j] = found[j];
        }
      }
    } else if (op < 0.85) {
      if (its.length < 8) its.push({ map: map.entries(), table: table.entries(), done: false });
    } else if (op < 0.995) {
      // Advances a live iterator a few entries: both must yield the same entries.
      const it = its[Math.floor(r() * its.length)];
      if (it === undefined || it.done) continue;
      for (let n = Math.floor(r() * 4); n >= 0; n--) {
        const a = it.map.next();
        const b = it.table.next();
        assert.equal(b, a, `iterator at step ${i}`);
        if (a.done) {
          it.done = true;
          break;
        }
      }
    } else if (op < 0.996) {
      // A loader's bulk insert: appended keys are indexed at the next lookup or flush(); a key
      // appended twice, or already present, is dropped there and the first such one reported.
      let dup: string | null = null;
      const fresh = new Set<string>();
      for (let n = 1 + Math.floor(r() * 300); n > 0; n--) {
        const k = r() < 0.9 ? `a${i}:${n}` : key();
        if (map.has(k) || fresh.has(k)) dup ??= k;
        else {
          map.set(k, i);
          fresh.add(k);
        }
        table.append(k, i);
      }
      if (dup === null) assert.is(table.size, map.size);
      // Sometimes a lookup indexes them first; flush() still reports what it found.
      if (r() < 0.5) {
        const k = key();
        assert.is(table.get(k), map.get(k), `get ${k} after appends`);
      }
      assert.is(table.flush(), dup, `duplicate appended at step ${i}`);
      assert.is(table.flush(), null);
    } else if (op < 0.997) {
      // RESIZEDB's reservation, with live iterators and holes around.
      table.reserve(table.size + Math.floor(r() * 5000));
    } else {
      map.clear();
      table.clear();
    }
    assert.is(table.size, map.size);
  }
  assert.equal([...table], [...map]);
  assert.equal([...table.keys()], [...map.keys()]);
  assert.equal([...table.values()], [...map.values()]);
  // Iterators left open finish as the Map's do.
  for (const it of its) {
    if (!it.done) assert.equal([...iter(it.table)], [...iter(it.map)]);
  }
}

function* iter<T>(it: Iterator<T>): Generator<T> {
  for (let x = it.next(); !x.done; x = it.next()) yield x.value;
}

test('matches a Map under random sets, deletes, clears and interleaved iterators', () => {
  // Small key spaces make deletes hit and holes pile up (compactions); large ones grow the index.
  for (let seed = 1; seed <= 40; seed++) drive(seed, 3000, seed % 2 === 0 ? 50 : 3000);
});

test('fast-check: any operation sequence leaves the same contents in the same order', () => {
  const op = fc.oneof(
    fc.record({ t: fc.constant('set' as const), k: fc.nat(40), v: fc.integer() }),
    fc.record({ t: fc.constant('del' as const), k: fc.nat(40) }),
    fc.record({ t: fc.constant('step' as const), n: fc.nat(3) }),
  );
  fc.assert(fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
    const map = new Map<string, number>();
    const table = new KeyTable<number>();
    const a = map.keys();
    const b = table.keys();
    for (const o of ops) {
      if (o.t === 'set') {
        map.set(`key:${o.k}`, o.v);
        table.set(`key:${o.k}`, o.v);
      } else if (o.t === 'del') {
        assert.is(table.delete(`key:${o.k}`), map.delete(`key:${o.k}`));
      } else {
        for (let i = 0; i <= o.n; i++) assert.equal(b.next(), a.next());
      }
    }
    assert.equal([...table.entries()], [...map.entries()]);
    assert.equal([...iter(b)], [...iter(a)]);
  }), { numRuns: 300 });
});

test('forEach sees entries added during the walk and skips those deleted before it gets there', () => {
  const map = new Map<string, number>();
  const table = new KeyTable<number>();
  for (let i = 0; i < 100; i++) {
    map.set(`k${i}`, i);
    table.set(`k${i}`, i);
  }
  const walk = (m: Map<string, number> | KeyTable<number>): string[] => {
    const seen: string[] = [];
    m.forEach((v, k) => {
      seen.push(k);
      // Deleting most of what follows forces a compaction in the middle of the walk.
      if (v === 10) for (let i = 11; i < 90; i++) m.delete(`k${i}`);
      if (v === 95) m.set('late', 1000);
    });
    return seen;
  };
  assert.equal(walk(table), walk(map));
});

test('bulk appends of 100k+ keys are indexed in slot order, duplicates found in append order', () => {
  for (const reserved of [false, true]) {
    const table = new KeyTable<number>();
    for (let i = 0; i < 1000; i++) table.set(`old${i}`, -i);
    if (reserved) table.reserve(200_000);
    const n = 150_000;
    for (let i = 0; i < n; i++) table.append(`key:${i}`, i);
    // Duplicates late in the file: of an appended key, and of one present before.
    table.append('key:77', 1);
    table.append('old5', 2);
    assert.is(table.flush(), 'key:77');
    assert.is(table.size, 1000 + n);
    for (let i = 0; i < n; i += 7) assert.is(table.get(`key:${i}`), i);
    assert.is(table.get('key:77'), 77);
    assert.is(table.get('old5'), -5);
    assert.is(table.get('key:150000'), undefined);
    let seen = 0;
    for (const [k, v] of table) {
      if (k.startsWith('key:')) assert.is(v, seen++);
    }
    assert.is(seen, n);
    // Then a plain delete and set work on the bulk-built index.
    assert.ok(table.delete('key:5'));
    table.set('key:5', 5);
    assert.is(table.get('key:5'), 5);
  }
});

test('binary keys and keys that differ only in their last byte', () => {
  const table = new KeyTable<number>();
  const keys = ['', '\x00', '\x00\x00', '\xff', 'a\x00b', 'key:1', 'key:2', 'x'.repeat(1000), 'x'.repeat(999) + 'y'];
  keys.forEach((k, i) => table.set(k, i));
  keys.forEach((k, i) => assert.is(table.get(k), i));
  assert.is(table.get('key:3'), undefined);
  assert.is(table.size, keys.length);
});

test('the read-ahead hashes a key\'s bytes as it hashes the same string', () => {
  const r = rng(17);
  for (let n = 0; n < 200; n++) {
    const s = n % 2 === 0 ? bytes(r, n + 1).padEnd(n, 'x').slice(0, n) : `key:${String(n).padStart(12, '0')}`.slice(0, n);
    const b = new Uint8Array(s.length + 9).fill(0xee);
    for (let i = 0; i < s.length; i++) b[5 + i] = s.charCodeAt(i);
    assert.is(hashKeyBytes(b, 5, s.length), hashKey(s), `length ${s.length}`);
  }
});

test('hashKey spreads keys that share long prefixes', () => {
  const seen = new Set<number>();
  for (let i = 0; i < 10000; i++) seen.add(hashKey(`user:session:${i}`) & 0xffff);
  // 10000 keys into 65536 buckets: a good hash fills about 9300 distinct buckets.
  assert.ok(seen.size > 9000, `only ${seen.size} distinct buckets`);
});


test('a lookup memo answers only while no change could have ended its values', () => {
  const changes: [string, (t: KeyTable<number>) => void][] = [
    ['replace', (t) => t.set('a', 9)],
    ['delete', (t) => t.delete('a')],
    ['clear', (t) => t.clear()],
    ['append', (t) => {
      t.append('z', 1);
      t.flush();
    }],
  ];
  for (const [what, change] of changes) {
    const t = new KeyTable<number>();
    t.set('a', 1);
    t.set('b', 2);
    const m = t.newMemo();
    m.keys[0] = 'a';
    m.vals[0] = 1;
    // A memo in effect answers (a new key elsewhere does not end it) ...
    t.set('c', 3);
    m.pos = 0;
    assert.is(t.get('a'), 1, what);
    change(t);
    // ... until a change that may have ended its values.
    m.pos = 0;
    const want = what === 'replace' ? 9 : what === 'append' ? 1 : undefined;
    assert.is(t.get('a'), want, `after ${what}`);
  }
  // The memo is used for the command it names only once, and only for its own key.
  const t = new KeyTable<number>();
  t.set('a', 1);
  const m = t.newMemo();
  m.keys[1] = 'a';
  m.vals[1] = 7; // not the stored value: shows whether the memo answered
  m.pos = 1;
  assert.is(t.get('b'), undefined);
  assert.is(t.get('a'), 1, 'pos was used up by the lookup of another key');
  m.pos = 1;
  assert.is(t.get('a'), 7, 'the memo answers for its key');
  assert.is(t.get('a'), 1, 'once');
});

test.run();
