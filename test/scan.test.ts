// SCAN: the cursor cache (core/scan.ts) on its own and through the server, the guarantee under
// bounded random inserts and deletes, termination, restarts on unknown cursors; and the glob
// matcher (core/glob.ts) against a direct port of Redis's recursive stringmatchlen.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FOREIGN_CURSOR, parseCursor, ScanCursors } from '../core/scan.ts';
import { globMatch } from '../core/glob.ts';
import { RespClient, type Running, startEchokv } from './_helpers.ts';
import { encodeCommand } from './_resp.ts';

/** A small seeded PRNG (mulberry32), so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------------------------

const cursors = suite('scan cursors');

cursors('parseCursor follows strtoul as Redis uses it', () => {
  const cases: [string, number | null][] = [
    ['0', 0], ['', 0], ['\x00', 0], ['\x00junk', 0], ['17', 17], ['+17', 17], ['007', 7], ['-0', 0], ['+0', 0],
    ['5\x00junk', 5], ['9007199254740991', 9007199254740991], ['9007199254740992', FOREIGN_CURSOR],
    ['18446744073709551615', FOREIGN_CURSOR], ['-1', FOREIGN_CURSOR], ['-18446744073709551615', 1],
    ['-18446744073709551614', 2], ['000000000000000000000000000012', 12],
    ['18446744073709551616', null], ['-18446744073709551616', null], [' 1', null], ['\t1', null], ['\n1', null],
    ['\v1', null], ['\f1', null], ['\r1', null], ['1 ', null], ['x', null], ['+', null], ['-', null], ['+-1', null],
    ['0x10', null], ['1.0', null], ['1e3', null], ['\xff', null],
  ];
  for (const [s, want] of cases) assert.is(parseCursor(s), want, JSON.stringify(s));
});

cursors('a collection smaller than COUNT is read in one call ending with cursor 0', () => {
  const sc = new ScanCursors();
  const m = new Map([['a', 1], ['b', 2], ['c', 3]]);
  const out: string[] = [];
  assert.is(sc.step(m, 0, 10, out, 0), '0');
  assert.equal(out, ['a', 'b', 'c']);
  // Exactly COUNT entries: the read-ahead sees the end, so still one call.
  const out2: string[] = [];
  assert.is(sc.step(m, 0, 3, out2, 0), '0');
  assert.equal(out2, ['a', 'b', 'c']);
  assert.is(sc.size, 0);
  const out3: string[] = [];
  assert.is(sc.step(new Map(), 0, 10, out3, 0), '0');
  assert.equal(out3, []);
});

cursors('COUNT entries a call, single-use cursors, restart on unknown ones', () => {
  const sc = new ScanCursors();
  const m = new Map<string, number>();
  for (let i = 0; i < 10; i++) m.set('k' + i, i);
  const out: string[] = [];
  const c1 = sc.step(m, 0, 4, out, 0);
  assert.not.equal(c1, '0');
  assert.equal(out, ['k0', 'k1', 'k2', 'k3']);
  const out2: string[] = [];
  const c2 = sc.step(m, Number(c1), 4, out2, 0);
  assert.equal(out2, ['k4', 'k5', 'k6', 'k7']);
  assert.not.equal(c2, c1);
  // c1 was used: sending it again starts over (duplicates, nothing missed).
  const again: string[] = [];
  sc.step(m, Number(c1), 4, again, 0);
  assert.equal(again, ['k0', 'k1', 'k2', 'k3']);
  const out3: string[] = [];
  assert.is(sc.step(m, Number(c2), 4, out3, 0), '0');
  assert.equal(out3, ['k8', 'k9']);
  // A cursor for another collection restarts on this one.
  const other = new Map([['x', 1], ['y', 2], ['z', 3]]);
  const o: string[] = [];
  const oc = sc.step(other, 0, 1, o, 0);
  const p: string[] = [];
  sc.step(m, Number(oc), 2, p, 0);
  assert.equal(p, ['k0', 'k1']);
});

cursors('an iteration ends after as many entries as the collection held at its start', () => {
  // Each call reads one entry and the collection gains one: without the bound it never ends.
  const sc = new ScanCursors();
  const m = new Map<string, number>();
  for (let i = 0; i < 50; i++) m.set('k' + i, i);
  let cursor = 0;
  let calls = 0;
  let next = 1000;
  const seen = new Set<string>();
  do {
    const out: string[] = [];
    cursor = Number(sc.step(m, cursor, 1, out, 0));
    for (const k of out) seen.add(k);
    m.set('n' + next++, 0);
    calls++;
    assert.ok(calls <= 51, 'terminates');
  } while (cursor !== 0);
  for (let i = 0; i < 50; i++) assert.ok(seen.has('k' + i));
});

cursors('the cache is bounded; when full it keeps the iterations furthest along', () => {
  const sc = new ScanCursors({ maxCursors: 4, maxIdleMs: 60000, staleMs: 1000 });
  const m = new Map<string, number>();
  for (let i = 0; i < 100; i++) m.set('k' + i, i);
  const ids: number[] = [];
  for (let i = 0; i < 6; i++) ids.push(Number(sc.step(m, 0, 1, [], 0)));
  assert.is(sc.size, 4);
  // All in use and equally far along: the newcomers were left out, so their cursors restart...
  const out: string[] = [];
  sc.step(m, ids[5], 1, out, 0);
  assert.equal(out, ['k0']);
  // ...and the earlier ones continue.
  const out2: string[] = [];
  const next = Number(sc.step(m, ids[0], 1, out2, 0));
  assert.equal(out2, ['k1']);
  // A newcomer that has read less than every cached iteration does not push one out.
  const before = sc.size;
  sc.step(m, 0, 1, [], 0);
  assert.is(sc.size, before);
  // One further along than the least advanced cached iteration takes its place.
  const big = Number(sc.step(m, 0, 50, [], 0));
  const out3: string[] = [];
  sc.step(m, big, 1, out3, 0);
  assert.equal(out3, ['k50'], 'the iteration that read 51 entries was cached');
  const out4: string[] = [];
  sc.step(m, next, 1, out4, 0);
  assert.equal(out4, ['k2'], 'the one that read 3 entries stayed');
  // When the least recently used one has not been used for staleMs, it goes instead.
  const fresh = Number(sc.step(m, 0, 1, [], 5000));
  const out5: string[] = [];
  sc.step(m, fresh, 1, out5, 5000);
  assert.equal(out5, ['k1']);
  // Idle states go when a new one is stored.
  sc.step(m, 0, 1, [], 100000);
  assert.is(sc.size, 1);
  sc.forget(m);
  assert.is(sc.size, 0);
});

cursors('randomized: entries present throughout are returned, with evictions', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const random = rng(seed);
    // A tiny cache and several interleaved iterations force restarts.
    const sc = new ScanCursors({ maxCursors: 1 + Math.floor(random() * 4), random });
    const m = new Map<string, number>();
    const n = 20 + Math.floor(random() * 300);
    for (let i = 0; i < n; i++) m.set('k' + i, i);
    const stable = new Set<string>();
    for (const k of m.keys()) if (random() < 0.7) stable.add(k);
    const iters = 1 + Math.floor(random() * 3);
    const state = Array.from({ length: iters }, () => ({ cursor: 0, done: false, seen: new Set<string>(), calls: 0 }));
    let fresh = 0;
    while (state.some((s) => !s.done)) {
      const s = state[Math.floor(random() * iters)];
      if (s.done) continue;
      const out: string[] = [];
      s.cursor = Number(sc.step(m, s.cursor, 1 + Math.floor(random() * 30), out, 0));
      for (const k of out) if (m.has(k)) s.seen.add(k);
      if (s.cursor === 0) s.done = true;
      assert.ok(++s.calls < 100000, 'terminates');
      // Churn: delete and re-add volatile keys, add new ones.
      for (let j = Math.floor(random() * 8); j > 0; j--) {
        const k = 'k' + Math.floor(random() * n);
        if (stable.has(k)) continue;
        if (m.has(k)) m.delete(k);
        else m.set(k, 0);
      }
      for (let j = Math.floor(random() * 5); j > 0; j--) m.set('new' + fresh++, 0);
    }
    for (const s of state) for (const k of stable) assert.ok(s.seen.has(k), `seed ${seed}: ${k} missed`);
  }
});

cursors.run();

// ---------------------------------------------------------------------------------------------

const server = suite<{ srv: Running; cl: RespClient; now: number }>('SCAN through the server', {
  now: 1_700_000_000_000,
} as { srv: Running; cl: RespClient; now: number });

server.before(async (ctx) => {
  ctx.srv = await startEchokv({}, { clock: () => ctx.now });
  // Expired keys must stay until SCAN meets them, not go with the server's timer.
  ctx.srv.server.activeExpire = false;
  ctx.cl = await RespClient.connect(ctx.srv.port);
});

server.after(async (ctx) => {
  ctx.cl.close();
  await ctx.srv.stop();
});

server.before.each(async (ctx) => {
  await ctx.cl.call('FLUSHALL');
});

/** Sends many commands in one write and reads all replies. */
async function pipeline(cl: RespClient, cmds: string[][]): Promise<unknown[]> {
  const parts = cmds.map((c) => encodeCommand(c));
  let len = 0;
  for (const p of parts) len += p.length;
  const buf = new Uint8Array(len);
  let at = 0;
  for (const p of parts) {
    buf.set(p, at);
    at += p.length;
  }
  cl.write(buf);
  const out: unknown[] = [];
  for (let i = 0; i < cmds.length; i++) out.push(await cl.read());
  return out;
}

server('the guarantee under random inserts and deletes between calls', async ({ cl }) => {
  for (let seed = 1; seed <= 12; seed++) {
    const random = rng(seed * 7919);
    await cl.call('FLUSHALL');
    const n = 100 + Math.floor(random() * 700);
    const setup: string[][] = [];
    for (let i = 0; i < n; i++) setup.push(['SET', `k:${i}`, String(i)]);
    await pipeline(cl, setup);
    const stable = new Set<string>();
    for (let i = 0; i < n; i++) if (random() < 0.6) stable.add(`k:${i}`);
    const everExisted = new Set<string>(setup.map((c) => c[1]));
    const seen = new Set<string>();
    let cursor = '0';
    let calls = 0;
    let fresh = 0;
    const match = random() < 0.3 ? 'k:1*' : null;
    do {
      const args = ['SCAN', cursor, 'COUNT', String(1 + Math.floor(random() * 40))];
      if (match !== null) args.push('MATCH', match);
      const [next, keys] = await cl.call(...args) as [string, string[]];
      cursor = next;
      for (const k of keys) {
        assert.ok(everExisted.has(k), `seed ${seed}: SCAN returned ${k}, which never existed`);
        if (match !== null) assert.ok(k.startsWith('k:1'), `MATCH filter: ${k}`);
        seen.add(k);
      }
      calls++;
      assert.ok(calls <= n + 2, `seed ${seed}: too many calls`);
      const churn: string[][] = [];
      for (let j = Math.floor(random() * 10); j > 0; j--) {
        const k = `k:${Math.floor(random() * n)}`;
        if (stable.has(k)) continue;
        churn.push(random() < 0.5 ? ['DEL', k] : ['SET', k, 'again']);
      }
      for (let j = Math.floor(random() * 6); j > 0; j--) {
        const k = `new:${fresh++}`;
        everExisted.add(k);
        churn.push(['SET', k, 'x']);
      }
      if (churn.length > 0) await pipeline(cl, churn);
    } while (cursor !== '0');
    for (const k of stable) {
      if (match !== null && !k.startsWith('k:1')) continue;
      assert.ok(seen.has(k), `seed ${seed}: ${k} was present throughout but not returned`);
    }
  }
});

server('retried, evicted, made-up and stale cursors restart, never miss keys', async (ctx) => {
  const { cl, srv } = ctx;
  const setup: string[][] = [];
  for (let i = 0; i < 50; i++) setup.push(['SET', `k${i}`, 'v']);
  await pipeline(cl, setup);
  const all = setup.map((c) => c[1]).sort();
  // A made-up cursor, and one beyond 2^53, start a full iteration.
  for (const start of ['123456789', '18446744073709551615', '-1']) {
    const seen = new Set<string>();
    let cursor = start;
    do {
      const [next, keys] = await cl.call('SCAN', cursor, 'COUNT', '7') as [string, string[]];
      for (const k of keys) seen.add(k);
      cursor = next;
    } while (cursor !== '0');
    assert.equal([...seen].sort(), all, `from cursor ${start}`);
  }
  // A retried call (the reply was "lost"): the second use of the cursor starts over.
  const [c1, batch0] = await cl.call('SCAN', '0', 'COUNT', '10') as [string, string[]];
  const [, first] = await cl.call('SCAN', c1, 'COUNT', '10') as [string, string[]];
  const [, retry] = await cl.call('SCAN', c1, 'COUNT', '10') as [string, string[]];
  assert.is(first.length, 10);
  assert.ok(first.every((k) => !batch0.includes(k)), 'the first use continues');
  assert.equal(retry, batch0, 'the second use starts over');
  // Over 1024 iterations in progress: the cache stays bounded, and a flood of new iterations
  // does not push out one that is further along.
  const [old, oldFirst] = await cl.call('SCAN', '0', 'COUNT', '5') as [string, string[]];
  const many: string[][] = [];
  for (let i = 0; i < 1100; i++) many.push(['SCAN', '0', 'COUNT', '1']);
  await pipeline(cl, many);
  assert.ok(srv.server.keyspace.scans.size <= 1024, `cache size ${srv.server.keyspace.scans.size}`);
  const seen = new Set<string>(oldFirst);
  let cursor = old;
  let calls = 1;
  do {
    const [next, keys] = await cl.call('SCAN', cursor, 'COUNT', '5') as [string, string[]];
    for (const k of keys) {
      assert.ok(!seen.has(k), `${k} returned twice: the iteration restarted`);
      seen.add(k);
    }
    cursor = next;
    calls++;
  } while (cursor !== '0');
  assert.equal([...seen].sort(), all);
  assert.is(calls, 10);
  // Idle iterations are dropped after 10 minutes.
  await cl.call('SCAN', '0', 'COUNT', '1');
  ctx.now += 11 * 60 * 1000;
  await cl.call('SCAN', '0', 'COUNT', '1');
  assert.is(srv.server.keyspace.scans.size, 1);
});

server('FLUSHDB and SWAPDB during an iteration', async ({ cl, srv }) => {
  const setup: string[][] = [];
  for (let i = 0; i < 30; i++) setup.push(['SET', `a${i}`, 'v']);
  await pipeline(cl, setup);
  const [cur] = await cl.call('SCAN', '0', 'COUNT', '5') as [string, string[]];
  assert.ok(srv.server.keyspace.scans.size >= 1);
  await cl.call('FLUSHDB');
  // The flushed Map's iterators are dropped with it.
  assert.is(srv.server.keyspace.scans.size, 0);
  await pipeline(cl, [['SET', 'b1', 'v'], ['SET', 'b2', 'v']]);
  let [next, keys] = await cl.call('SCAN', cur) as [string, string[]];
  assert.is(next, '0');
  assert.equal(keys.sort(), ['b1', 'b2']);
  // After SWAPDB the cursor belongs to the other database's Map: the iteration restarts here.
  await pipeline(cl, [['SELECT', '1'], ['SET', 'c1', 'v'], ['SET', 'c2', 'v'], ['SET', 'c3', 'v'], ['SELECT', '0']]);
  const [cur2] = await cl.call('SCAN', '0', 'COUNT', '1') as [string, string[]];
  await cl.call('SWAPDB', '0', '1');
  const seen = new Set<string>();
  let cursor = cur2;
  do {
    [next, keys] = await cl.call('SCAN', cursor, 'COUNT', '1') as [string, string[]];
    for (const k of keys) seen.add(k);
    cursor = next;
  } while (cursor !== '0');
  assert.equal([...seen].sort(), ['c1', 'c2', 'c3']);
});

server('SCAN skips expired keys and deletes them; TYPE filters', async (ctx) => {
  const { cl } = ctx;
  await pipeline(cl, [['SET', 'live', 'v'], ['SET', 'dying', 'v'], ['PEXPIRE', 'dying', '100'], ['SET', 'later', 'v'],
    ['PEXPIRE', 'later', '100000']]);
  ctx.now += 101;
  assert.is(await cl.call('DBSIZE'), 3);
  const [cursor, keys] = await cl.call('SCAN', '0') as [string, string[]];
  assert.is(cursor, '0');
  assert.equal(keys.sort(), ['later', 'live']);
  assert.is(await cl.call('DBSIZE'), 2, 'the expired key met by SCAN was deleted');
  assert.equal(await cl.call('SCAN', '0', 'TYPE', 'string'), ['0', ['live', 'later']]);
  assert.equal(await cl.call('SCAN', '0', 'TYPE', 'hash'), ['0', []]);
});

server.run();

// ---------------------------------------------------------------------------------------------
// globMatch against a line-by-line port of Redis 7.0's stringmatchlen_impl (src/util.c): C's
// chars are signed, and the pattern is read through its terminating NUL.

function redisMatch(pat: string, str: string, nocase: boolean): boolean {
  const skip = { longer: false };
  return impl(pat, 0, pat.length, str, 0, str.length, nocase, skip, 0);
}

function impl(
  pat: string, pi: number, plen: number, str: string, si: number, slen: number, nocase: boolean,
  skip: { longer: boolean }, nesting: number,
): boolean {
  const sc = (x: number): number => (x >= 128 ? x - 256 : x);
  const tl = (x: number): number => (x >= 65 && x <= 90 ? x + 32 : x);
  const P = (k: number): number => (pi + k < pat.length ? sc(pat.charCodeAt(pi + k)) : 0);
  const S = (): number => sc(str.charCodeAt(si));
  if (nesting > 1000) return false;
  while (plen > 0 && slen > 0) {
    const c = P(0);
    if (c === 42) {
      while (plen > 0 && P(1) === 42) {
        pi++;
        plen--;
      }
      if (plen === 1) return true;
      while (slen > 0) {
        if (impl(pat, pi + 1, plen - 1, str, si, slen, nocase, skip, nesting + 1)) return true;
        if (skip.longer) return false;
        si++;
        slen--;
      }
      skip.longer = true;
      return false;
    } else if (c === 63) {
      si++;
      slen--;
    } else if (c === 91) {
      pi++;
      plen--;
      const not = P(0) === 94;
      if (not) {
        pi++;
        plen--;
      }
      let match = false;
      for (;;) {
        if (P(0) === 92 && plen >= 2) {
          pi++;
          plen--;
          if (P(0) === S()) match = true;
        } else if (P(0) === 93) {
          break;
        } else if (plen === 0) {
          pi--;
          plen++;
          break;
        } else if (plen >= 3 && P(1) === 45) {
          let start = P(0);
          let end = P(2);
          let ch = S();
          if (start > end) [start, end] = [end, start];
          if (nocase) {
            start = tl(start);
            end = tl(end);
            ch = tl(ch);
          }
          pi += 2;
          plen -= 2;
          if (ch >= start && ch <= end) match = true;
        } else if (!nocase ? P(0) === S() : tl(P(0)) === tl(S())) {
          match = true;
        }
        pi++;
        plen--;
      }
      if (not) match = !match;
      if (!match) return false;
      si++;
      slen--;
    } else {
      if (c === 92 && plen >= 2) {
        pi++;
        plen--;
      }
      if (!nocase ? P(0) !== S() : tl(P(0)) !== tl(S())) return false;
      si++;
      slen--;
    }
    pi++;
    plen--;
    if (slen === 0) {
      while (P(0) === 42) {
        pi++;
        plen--;
      }
      break;
    }
  }
  return plen === 0 && slen === 0;
}

const glob = suite('glob');

glob('random patterns agree with Redis stringmatchlen', () => {
  const random = rng(12345);
  const patAlphabet = ['a', 'b', 'A', '*', '*', '?', '[', ']', '^', '-', '\\', '\xff', '\x00', 'z'];
  const strAlphabet = ['a', 'b', 'A', 'B', '-', ']', '^', '\\', '*', '\xff', '\x80', '\x00', 'z'];
  const pick = (alpha: string[], n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += alpha[Math.floor(random() * alpha.length)];
    return s;
  };
  let matches = 0;
  for (let i = 0; i < 60000; i++) {
    const p = pick(patAlphabet, Math.floor(random() * 9));
    const s = pick(strAlphabet, Math.floor(random() * 7));
    const nocase = random() < 0.3;
    const want = redisMatch(p, s, nocase);
    if (want) matches++;
    assert.is(globMatch(p, s, nocase), want, `pattern ${JSON.stringify(p)} subject ${JSON.stringify(s)} nocase ${nocase}`);
  }
  assert.ok(matches > 1000, `enough matching cases (${matches})`);
});

glob('quirks: empty subject, signed ranges, escapes in classes, nesting', () => {
  assert.is(globMatch('*', ''), false);
  assert.is(globMatch('', ''), true);
  assert.is(globMatch('**', ''), false);
  assert.is(globMatch('*', 'x'), true);
  assert.is(globMatch('[a-\xff]', 'b'), false);
  assert.is(globMatch('[a-\xff]', '\xff'), true);
  assert.is(globMatch('[a-\xff]', 'A'), true);
  assert.is(globMatch('[\\A]', 'a', true), false);
  assert.is(globMatch('[A]', 'a', true), true);
  assert.is(globMatch('[a-]', ']'), true);
  assert.is(globMatch('[^', 'x'), true);
  assert.is(globMatch('h\\', 'h\\'), true);
  const s = 'a'.repeat(1001) + 'b';
  assert.is(globMatch('a*'.repeat(1000) + 'b', s), true);
  assert.is(globMatch('a*'.repeat(1001) + 'b', s), false);
  assert.is(globMatch('a*'.repeat(1001), s), true); // the last `*` needs no nesting
  assert.is(redisMatch('a*'.repeat(1001), s, false), true);
  assert.is(redisMatch('a*'.repeat(1001) + 'b', s, false), false);
  // A hostile pattern takes polynomial time.
  assert.is(globMatch('*a'.repeat(500) + 'b', 'a'.repeat(5000)), false);
});

glob.run();
