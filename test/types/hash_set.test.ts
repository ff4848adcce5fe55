// HashValue and SetValue against plain models (an ordered list of pairs, a sorted or plain set),
// through random bounded operation sequences with binary fields and members of many sizes; the
// intset rules (what is a canonical 64-bit integer, numeric order beyond 2^53) against BigInt;
// and the builders used when loading data.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HashValue } from '../../core/types/hash.ts';
import { isIntMember, SetValue } from '../../core/types/set.ts';
import { bytes, rng } from './_gen.ts';
import { hashBytes, hashRange, newMemberMemo, setMemberPos } from '../../core/types/byte_table.ts';

/**
 * The read buffer a batch of commands came in, as the read-ahead sees it: each command's third
 * argument laid out with other bytes around it, its offset at arg2[i], and -1 for some (an
 * inline command, a big bulk), whose string alone is read.
 */
function argBytes(cmds: readonly (readonly string[])[], r: () => number): { bytes: Uint8Array; arg2: Int32Array } {
  const parts: number[] = [];
  const arg2 = new Int32Array(cmds.length + 1).fill(-1);
  cmds.forEach((c, i) => {
    for (let k = Math.floor(r() * 4); k > 0; k--) parts.push(Math.floor(r() * 256));
    if (r() < 0.2) return;
    arg2[i] = parts.length;
    for (let k = 0; k < c[2].length; k++) parts.push(c[2].charCodeAt(k));
  });
  return { bytes: Uint8Array.from(parts), arg2 };
}

test('the read-ahead hashes bytes as it hashes the same string', () => {
  const r = rng(5);
  for (let n = 0; n < 300; n++) {
    const s = n % 3 === 0 ? bytes(r, n) : `element:${String(n).padStart(12, '0')}`.slice(0, n);
    const b = Uint8Array.from(s, (ch) => ch.charCodeAt(0));
    const pad = new Uint8Array(b.length + 7).fill(0xff);
    pad.set(b, 3);
    assert.is(hashRange(pad, 3, b.length), hashBytes(s), `length ${s.length}`);
  }
});

/** A field from a small pool, so sets, updates and deletes hit existing fields often. */
function field(r: () => number): string {
  const k = Math.floor(r() * 40);
  return k < 35 ? `f${k}` : k === 35 ? '' : '\x00\xff' + k;
}

test('HashValue: random operations match an ordered model in both encodings', () => {
  for (const seed of [1, 2, 3, 4]) {
    const r = rng(seed);
    const h = new HashValue();
    let model: [string, string][] = [];
    const convertAt = 200 + seed * 300;
    for (let step = 0; step < 2000; step++) {
      if (step === convertAt) h.toHashtable();
      const op = Math.floor(r() * 10);
      const f = field(r);
      const at = model.findIndex(([k]) => k === f);
      if (op < 5) {
        const v = bytes(r, 30);
        assert.is(h.set(f, v), at < 0);
        if (at < 0) model.push([f, v]);
        else model[at][1] = v;
      } else if (op < 8) {
        assert.is(h.delete(f), at >= 0);
        if (at >= 0) model.splice(at, 1);
      } else {
        assert.is(h.get(f), at < 0 ? undefined : model[at][1]);
        assert.is(h.find(f) >= 0, at >= 0);
      }
      assert.is(h.size, model.length);
    }
    const pairs: [string, string][] = [];
    h.each((f, v) => pairs.push([f, v]));
    for (let i = 0; i < h.size; i++) assert.equal([h.fieldAt(i), h.valueAt(i)], pairs[i]);
    if (h.encoding === 'listpack') assert.equal(pairs, model, 'listpack keeps insertion order');
    else assert.equal([...pairs].sort(), [...model].sort());
    // The scan source of a hashtable lists every field once.
    const src = h.scanSource();
    if (src !== null) {
      const seen: string[] = [];
      const it = src.keys();
      for (let x = it.next(); !x.done; x = it.next()) seen.push(x.value);
      assert.equal(seen.sort(), model.map(([k]) => k).sort());
    }
  }
});

test('HashValue: listpack order survives updates and deletes; dup shares nothing', () => {
  const h = new HashValue();
  for (const f of ['a', 'b', 'c', 'd']) h.set(f, f.toUpperCase());
  h.set('b', 'x');
  h.delete('a');
  h.set('a', 'again');
  const order: string[] = [];
  h.each((f) => order.push(f));
  assert.equal(order, ['b', 'c', 'd', 'a']);
  const copy = h.dup();
  copy.set('z', '1');
  copy.delete('b');
  assert.is(h.size, 4);
  assert.is(h.get('b'), 'x');
  h.toHashtable();
  const copy2 = h.dup();
  copy2.delete('c');
  assert.is(h.get('c'), 'C');
  assert.is(copy2.encoding, 'hashtable');
  assert.ok(h.memoryUsage(0) > 0);
});

test('HashValue.fromPairs picks the encoding Redis gives a loaded hash', () => {
  assert.is(HashValue.fromPairs(['a', '1', 'b', '2'], 2, 64).encoding, 'listpack');
  assert.is(HashValue.fromPairs(['a', '1', 'b', '2', 'c', '3'], 2, 64).encoding, 'hashtable');
  assert.is(HashValue.fromPairs(['a', 'x'.repeat(64)], 128, 64).encoding, 'listpack');
  assert.is(HashValue.fromPairs(['a', 'x'.repeat(65)], 128, 64).encoding, 'hashtable');
  assert.is(HashValue.fromPairs(['y'.repeat(65), '1'], 128, 64).encoding, 'hashtable');
  const h = HashValue.fromPairs(['a', '1', 'b', '2', 'c', '3'], 2, 64);
  assert.equal([h.get('a'), h.get('b'), h.get('c'), h.size], ['1', '2', '3', 3]);
});

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

/** string2ll's rule, spelled out with BigInt: canonical digits within the 64-bit range. */
function oracle(s: string): boolean {
  if (!/^-?(0|[1-9][0-9]*)$/.test(s) || s === '-0') return false;
  const v = BigInt(s);
  return v >= I64_MIN && v <= I64_MAX;
}

test('reading ahead (prefetch) changes nothing, in every encoding', () => {
  const r = rng(7);
  const h = new HashValue();
  const s = new SetValue();
  const fields: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const f = i % 7 === 0 ? `${bytes(r, 20)}\x00${i}` : `field:${i}`;
    fields.push(f);
    h.set(f, `v${i}`);
    s.add(f, 512);
    if (i === 50) h.toHashtable();
    // Pipelines mix present and absent members, and read ahead at every size.
    const probe = [f, `absent:${i}`, fields[Math.floor(r() * fields.length)], ''].map((m) => ['HGET', 'k', m]);
    const at = Int32Array.from(probe, (_, j) => j);
    const { bytes: b, arg2 } = argBytes(probe, r);
    h.prefetch(probe, at, 0, probe.length, b, arg2);
    s.prefetch(probe, at, 1, probe.length, b, arg2);
  }
  assert.is(h.size, 3000);
  assert.is(s.size, 3000);
  for (let i = 0; i < fields.length; i++) {
    assert.is(h.get(fields[i]), `v${i}`);
    assert.ok(s.has(fields[i]));
  }
  assert.not.ok(h.has('absent:1'));
  assert.not.ok(s.has('absent:1'));
});

test('isIntMember is Redis string2ll: canonical, 64-bit, no blanks, signs or leading zeros', () => {
  const cases = ['0', '-0', '1', '-1', '01', '+1', ' 1', '1 ', '', '-', '1.0', '1e3', '0x10', '9223372036854775807',
    '9223372036854775808', '-9223372036854775808', '-9223372036854775809', '99999999999999999999', '12345678901234567890',
    '00', '-01', '\x001', '1\x00', '18446744073709551615', '922337203685477580', '-922337203685477580'];
  for (const s of cases) assert.is(isIntMember(s), oracle(s), JSON.stringify(s));
  const r = rng(99);
  for (let i = 0; i < 5000; i++) {
    const digits = 1 + Math.floor(r() * 21);
    let s = r() < 0.5 ? '-' : '';
    for (let d = 0; d < digits; d++) s += String(Math.floor(r() * 10));
    assert.is(isIntMember(s), oracle(s), s);
  }
});

test('SetValue: an intset stays sorted by numeric value, exactly beyond 2^53', () => {
  const r = rng(5);
  const s = new SetValue();
  const model = new Set<bigint>();
  for (let i = 0; i < 3000; i++) {
    const mag = [10, 1e6, 2 ** 53, 2 ** 62][Math.floor(r() * 4)];
    let v = BigInt(Math.floor(r() * mag)) * (r() < 0.5 ? -1n : 1n);
    if (r() < 0.05) v = r() < 0.5 ? I64_MAX : I64_MIN;
    if (r() < 0.3 && model.size > 0) {
      const victim = [...model][Math.floor(r() * model.size)];
      assert.ok(s.delete(String(victim)));
      model.delete(victim);
      continue;
    }
    assert.is(s.add(String(v), 1 << 30), !model.has(v));
    model.add(v);
  }
  assert.is(s.encoding, 'intset');
  const expected = [...model].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(String);
  assert.equal(s.members(), expected);
  for (const m of expected) assert.ok(s.has(m));
  assert.not.ok(s.has('-0'));
  assert.not.ok(s.has('x'));
});

test('SetValue: conversion rules and random operations in both encodings', () => {
  const a = SetValue.forMember('1');
  assert.is(a.encoding, 'intset');
  for (const m of ['3', '1', '2']) a.add(m, 3);
  assert.is(a.encoding, 'intset');
  a.add('4', 3);
  assert.is(a.encoding, 'hashtable', 'past set-max-intset-entries');
  assert.is(SetValue.forMember('x').encoding, 'hashtable');
  assert.is(SetValue.forMember('01').encoding, 'hashtable');
  const b = SetValue.forMember('5');
  b.add('5', 512);
  b.add('abc', 512);
  assert.is(b.encoding, 'hashtable', 'a non-integer member converts');
  b.delete('abc');
  assert.is(b.encoding, 'hashtable', 'conversion is one-way');
  const z = new SetValue();
  z.add('1', 0);
  assert.is(z.encoding, 'hashtable', 'set-max-intset-entries 0');

  for (const seed of [11, 12, 13]) {
    const r = rng(seed);
    const s = new SetValue();
    const model = new Set<string>();
    for (let step = 0; step < 3000; step++) {
      const pick = Math.floor(r() * 60);
      const m = step > 1500 && pick > 50 ? bytes(r, 5) : String(pick - 20);
      const op = Math.floor(r() * 10);
      if (op < 5) {
        assert.is(s.add(m, 40), !model.has(m));
        model.add(m);
      } else if (op < 8) {
        assert.is(s.delete(m), model.has(m));
        model.delete(m);
      } else if (op === 8 && s.size > 0) {
        const i = Math.floor(r() * s.size);
        const gone = s.removeAt(i);
        assert.ok(model.delete(gone));
      } else {
        assert.is(s.has(m), model.has(m));
      }
      assert.is(s.size, model.size);
    }
    assert.equal(s.members().sort(), [...model].sort());
    const copy = s.dup();
    copy.add('only-in-copy', 40);
    assert.not.ok(s.has('only-in-copy'));
  }
});

test('SetValue: small hashtable sets work without their index, and get one as they grow', () => {
  const s = SetValue.forMember('a');
  for (let i = 0; i < 16; i++) assert.ok(s.add('m' + i, 512));
  assert.is(s.encoding, 'hashtable');
  assert.is(s.scanSource(), null, 'no index yet: SSCAN returns it whole');
  assert.not.ok(s.add('m3', 512));
  assert.ok(s.delete('m3'));
  assert.not.ok(s.has('m3'));
  assert.ok(s.add('m3', 512));
  assert.ok(s.add('m16', 512));
  assert.ok(s.add('m17', 512));
  assert.is(s.size, 18);
  const src = s.scanSource();
  assert.ok(src !== null);
  assert.is(src!.size, 18);
  for (let i = 0; i < 18; i++) assert.ok(s.has('m' + i));
  while (s.size > 0) s.removeAt(0);
  assert.is(src!.size, 0);
  const t = SetValue.forMember('x');
  t.add('x', 512);
  const copy = t.dup();
  assert.is(copy.encoding, 'hashtable');
  copy.add('y', 512);
  assert.not.ok(t.has('y'));
});

test('SetValue.fromMembers picks the encoding Redis gives a loaded set', () => {
  const i = SetValue.fromMembers(['3', '-1', '20'], 512);
  assert.is(i.encoding, 'intset');
  assert.equal(i.members(), ['-1', '3', '20']);
  assert.is(SetValue.fromMembers(['1', '2', '3'], 2).encoding, 'hashtable');
  assert.is(SetValue.fromMembers(['1', 'a'], 512).encoding, 'hashtable');
  const h = SetValue.fromMembers(['a', 'b'], 512);
  assert.ok(h.has('a') && h.has('b') && !h.has('c'));
  const seen: string[] = [];
  i.each((m) => seen.push(m));
  assert.equal(seen, ['-1', '3', '20']);
});

test('random picks by position reach every member in every encoding (HRANDFIELD, SRANDMEMBER, SPOP)', () => {
  for (const n of [5, 16, 17, 300]) {
    const h = new HashValue();
    for (let i = 0; i < n; i++) h.set(`f${i}`, `v${i}`);
    if (n > 16) h.toHashtable();
    const seen = new Set<string>();
    for (let k = 0; k < n * 30; k++) {
      const p = h.randomPos();
      const f = h.fieldAtPos(p);
      assert.is(h.valueAtPos(p), 'v' + f.slice(1));
      seen.add(f);
    }
    assert.is(seen.size, n);
    assert.equal(h.allPos().map((p) => h.fieldAtPos(p)).sort(), [...seen].sort());

    for (const ints of [true, false]) {
      const s = ints ? new SetValue() : SetValue.forMember('m');
      const all: string[] = [];
      for (let i = 0; i < n; i++) {
        const m = ints ? String(i * 7 - 50) : `m${i}`;
        s.add(m, 512);
        all.push(m);
      }
      const picked = new Set<string>();
      for (let k = 0; k < n * 30; k++) picked.add(s.atPos(s.randomPos()));
      assert.equal([...picked].sort(), all.slice().sort());
      assert.equal(s.allPos().map((p) => s.atPos(p)).sort(), all.slice().sort());
      const popped: string[] = [];
      while (s.size > 0) {
        const m = s.popRandom();
        assert.not.ok(s.has(m));
        popped.push(m);
      }
      assert.equal(popped.sort(), all.slice().sort());
    }
  }
});

test('the read-ahead\'s member memo answers only while the members keep their slots', () => {
  // A model: a hashtable-encoded hash and set driven by random changes, with a memo made by a
  // read-ahead now and then and consulted, through `pos`, many changes later.
  const r = rng(11);
  const h = new HashValue();
  const s = new SetValue();
  const model = new Map<string, string>();
  for (let i = 0; i < 300; i++) {
    h.set(`f${i}`, `v${i}`);
    s.add(`f${i}`, 512);
    model.set(`f${i}`, `v${i}`);
  }
  h.toHashtable();
  for (let step = 0; step < 20000; step++) {
    const f = `f${Math.floor(r() * 600)}`;
    const op = r();
    if (op < 0.02) {
      // A batch read ahead: commands 0..7, a hash field at even positions, a set member at odd.
      newMemberMemo();
      const cmds = Array.from({ length: 8 }, () => ['X', 'k', `f${Math.floor(r() * 600)}`]);
      const even = Int32Array.from([0, 2, 4, 6]);
      const odd = Int32Array.from([1, 3, 5, 7]);
      const { bytes: b, arg2 } = argBytes(cmds, r);
      h.prefetch(cmds, even, 0, 4, b, arg2);
      s.prefetch(cmds, odd, 0, 4, b, arg2);
      memoCmds = cmds;
    } else if (op < 0.3) {
      h.set(f, `w${step}`);
      s.add(f, 512);
      model.set(f, `w${step}`);
    } else if (op < 0.5) {
      h.delete(f);
      s.delete(f);
      model.delete(f);
    } else {
      // Through the memo when one names this command: a member it found may be gone or moved.
      let g = f;
      const p = Math.floor(r() * 8);
      if (memoCmds !== null && r() < 0.8) g = memoCmds[p][2];
      setMemberPos(p);
      assert.is(h.get(g), model.get(g), `HGET ${g} at step ${step}`);
      setMemberPos(p);
      assert.is(s.has(g), model.has(g), `SISMEMBER ${g} at step ${step}`);
    }
  }
});
let memoCmds: string[][] | null = null;

test('the member memo is not used across a resize, a clear or a delete', () => {
  for (const change of ['grow', 'shrink', 'clear', 'delete']) {
    const h = new HashValue();
    for (let i = 0; i < 200; i++) h.set(`f${i}`, `v${i}`);
    h.toHashtable();
    newMemberMemo();
    const cmds = [['HGET', 'k', 'f150']];
    h.prefetch(cmds, Int32Array.from([0]), 0, 1, Uint8Array.from('f150', (ch) => ch.charCodeAt(0)), Int32Array.from([0]));
    if (change === 'grow') for (let i = 200; i < 3000; i++) h.set(`f${i}`, `v${i}`);
    if (change === 'shrink') for (let i = 0; i < 190; i++) if (i !== 150) h.delete(`f${i}`);
    if (change === 'clear') for (let i = 0; i < 200; i++) h.delete(`f${i}`);
    if (change === 'delete') h.delete('f149');
    setMemberPos(0);
    assert.is(h.get('f150'), change === 'clear' ? undefined : 'v150', change);
  }
});

test.run();
