// The reply writer in-process: exact bytes of every reply type in RESP2 and RESP3 (with Redis's
// RESP2 fallbacks), large values as separate chunks, mark/truncate, and a property test that any
// reply tree written decodes back (test/_resp.ts) to the same tree.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { ReplyWriter, type Proto } from '../core/resp/writer.ts';
import { decodeReply, type Reply } from './_resp.ts';

function text(chunks: Uint8Array[]): string {
  let s = '';
  for (const c of chunks) for (let i = 0; i < c.length; i++) s += String.fromCharCode(c[i]);
  return s;
}

function out(proto: Proto, fn: (w: ReplyWriter) => void): string {
  const w = new ReplyWriter();
  w.proto = proto;
  fn(w);
  return text(w.take());
}

test('scalar replies, RESP2 and RESP3', () => {
  const cases: [string, (w: ReplyWriter) => void, string, string][] = [
    ['simple', (w) => w.simple('PONG'), '+PONG\r\n', '+PONG\r\n'],
    ['ok', (w) => w.ok(), '+OK\r\n', '+OK\r\n'],
    ['error', (w) => w.error('ERR bad'), '-ERR bad\r\n', '-ERR bad\r\n'],
    ['error newlines', (w) => w.error('ERR a\r\nb\nc'), '-ERR a  b c\r\n', '-ERR a  b c\r\n'],
    ['int', (w) => w.int(-42), ':-42\r\n', ':-42\r\n'],
    ['int bigint', (w) => w.int(-9223372036854775808n), ':-9223372036854775808\r\n', ':-9223372036854775808\r\n'],
    ['bulk', (w) => w.bulk('a\r\n\x00\xff'), '$5\r\na\r\n\x00\xff\r\n', '$5\r\na\r\n\x00\xff\r\n'],
    ['empty bulk', (w) => w.bulk(''), '$0\r\n\r\n', '$0\r\n\r\n'],
    ['bulkBytes', (w) => w.bulkBytes(Uint8Array.of(0, 255)), '$2\r\n\x00\xff\r\n', '$2\r\n\x00\xff\r\n'],
    ['bulkOrNull', (w) => w.bulkOrNull(null), '$-1\r\n', '_\r\n'],
    ['nil', (w) => w.nil(), '$-1\r\n', '_\r\n'],
    ['nilArray', (w) => w.nilArray(), '*-1\r\n', '_\r\n'],
    ['bool true', (w) => w.bool(true), ':1\r\n', '#t\r\n'],
    ['bool false', (w) => w.bool(false), ':0\r\n', '#f\r\n'],
    ['double', (w) => w.double(3.141), '$5\r\n3.141\r\n', ',3.141\r\n'],
    ['double inf', (w) => w.double(Infinity), '$3\r\ninf\r\n', ',inf\r\n'],
    ['double -inf', (w) => w.double(-Infinity), '$4\r\n-inf\r\n', ',-inf\r\n'],
    ['double 0.1', (w) => w.double(0.1), '$19\r\n0.10000000000000001\r\n', ',0.10000000000000001\r\n'],
    ['bigNumber', (w) => w.bigNumber('1234567999999999999999999999999999999'),
      '$37\r\n1234567999999999999999999999999999999\r\n', '(1234567999999999999999999999999999999\r\n'],
    ['verbatim', (w) => w.verbatim('This is a verbatim\nstring'),
      '$25\r\nThis is a verbatim\nstring\r\n', '=29\r\ntxt:This is a verbatim\nstring\r\n'],
    ['verbatim mkd', (w) => w.verbatim('# x', 'mkd'), '$3\r\n# x\r\n', '=7\r\nmkd:# x\r\n'],
  ];
  for (const [name, fn, resp2, resp3] of cases) {
    assert.is(out(2, fn), resp2, `${name} RESP2`);
    assert.is(out(3, fn), resp3, `${name} RESP3`);
  }
});

test('aggregates and their RESP2 fallbacks', () => {
  const cases: [string, (w: ReplyWriter) => void, string, string][] = [
    ['array', (w) => {
      w.array(2);
      w.int(1);
      w.bulk('x');
    }, '*2\r\n:1\r\n$1\r\nx\r\n', '*2\r\n:1\r\n$1\r\nx\r\n'],
    ['empty array', (w) => w.array(0), '*0\r\n', '*0\r\n'],
    ['bulkArray', (w) => w.bulkArray(['a', '']), '*2\r\n$1\r\na\r\n$0\r\n\r\n', '*2\r\n$1\r\na\r\n$0\r\n\r\n'],
    ['map', (w) => {
      w.map(2);
      for (let j = 0; j < 2; j++) {
        w.int(j);
        w.bool(j === 1);
      }
    }, '*4\r\n:0\r\n:0\r\n:1\r\n:1\r\n', '%2\r\n:0\r\n#f\r\n:1\r\n#t\r\n'],
    ['set', (w) => {
      w.set(1);
      w.bulk('m');
    }, '*1\r\n$1\r\nm\r\n', '~1\r\n$1\r\nm\r\n'],
    ['push', (w) => {
      w.push(2);
      w.bulk('message');
      w.int(42);
    }, '*2\r\n$7\r\nmessage\r\n:42\r\n', '>2\r\n$7\r\nmessage\r\n:42\r\n'],
  ];
  for (const [name, fn, resp2, resp3] of cases) {
    assert.is(out(2, fn), resp2, `${name} RESP2`);
    assert.is(out(3, fn), resp3, `${name} RESP3`);
  }
  assert.is(out(3, (w) => {
    w.attribute(1);
    w.bulk('k');
    w.int(1);
    w.bulk('v');
  }), '|1\r\n$1\r\nk\r\n:1\r\n$1\r\nv\r\n');
});

test('replies accumulate into one buffer until taken', () => {
  const w = new ReplyWriter();
  for (let i = 0; i < 1000; i++) w.simple('PONG');
  assert.is(w.size, 7000);
  const chunks = w.take();
  assert.is(chunks.length, 1);
  assert.is(chunks[0].length, 7000);
  assert.is(w.size, 0);
  assert.equal(w.take(), []);
});

test('large values become chunks of their own, in order', () => {
  const big = 'x'.repeat(70_000) + '\xff';
  const w = new ReplyWriter();
  w.array(3);
  w.bulk('a');
  w.bulk(big);
  w.bulkBytes(new Uint8Array(65536).fill(7));
  w.simple('END');
  const want = '*3\r\n$1\r\na\r\n$70001\r\n' + big + '\r\n$65536\r\n' + '\x07'.repeat(65536) + '\r\n+END\r\n';
  assert.is(w.size, want.length);
  const chunks = w.take();
  assert.ok(chunks.length >= 3, `${chunks.length} chunks`);
  assert.is(text(chunks), want);
});

test('mark and truncate drop a reply written since', () => {
  const w = new ReplyWriter();
  w.simple('A');
  const m = w.mark();
  w.bulk('dropped');
  assert.ok(w.truncate(m));
  w.simple('B');
  assert.is(text(w.take()), '+A\r\n+B\r\n');
  // Not possible once what followed the mark became a chunk.
  w.simple('A');
  const m2 = w.mark();
  w.bulk('y'.repeat(70_000));
  assert.is(w.truncate(m2), false);
  w.discard();
  assert.is(w.size, 0);
});

test('the buffer shrinks back after a very large reply', () => {
  const w = new ReplyWriter();
  for (let i = 0; i < 200; i++) w.bulk('z'.repeat(30_000));
  assert.ok(w.size > 6_000_000);
  w.take();
  const buf = (w as unknown as { buf: Uint8Array }).buf;
  assert.ok(buf.length <= 1024 * 1024, `kept ${buf.length} bytes`);
});

// ---------------------------------------------------------------------------------------------
// Property: write a random reply tree, decode it, get the tree back (RESP2 fallbacks applied).

type Node =
  | { t: 'simple'; v: string }
  | { t: 'error'; v: string }
  | { t: 'int'; v: number }
  | { t: 'bulk'; v: string }
  | { t: 'nil' }
  | { t: 'nilArray' }
  | { t: 'bool'; v: boolean }
  | { t: 'double'; v: number }
  | { t: 'verbatim'; v: string }
  | { t: 'bignum'; v: string }
  | { t: 'array' | 'set' | 'push'; items: Node[] }
  | { t: 'map'; pairs: [Node, Node][] };

const bytesStr = (max: number) => fc.uint8Array({ maxLength: max }).map((b) => String.fromCharCode(...b));
const lineText = fc.string({ unit: fc.constantFrom(...'abc XYZ019-_:'.split('')), maxLength: 20 });

const tree = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    lineText.map((v): Node => ({ t: 'simple', v })),
    lineText.map((v): Node => ({ t: 'error', v: 'ERR ' + v })),
    fc.integer().map((v): Node => ({ t: 'int', v })),
    fc.oneof(bytesStr(30), bytesStr(70_000).filter((s) => s.length > 0)).map((v): Node => ({ t: 'bulk', v })),
    fc.constant<Node>({ t: 'nil' }),
    fc.constant<Node>({ t: 'nilArray' }),
    fc.boolean().map((v): Node => ({ t: 'bool', v })),
    fc.oneof(fc.double({ noNaN: true }), fc.constantFrom(Infinity, -Infinity, 0, -0, 1.5))
      .map((v): Node => ({ t: 'double', v })),
    bytesStr(40).map((v): Node => ({ t: 'verbatim', v })),
    fc.bigInt().map((v): Node => ({ t: 'bignum', v: String(v) })),
    fc.tuple(fc.constantFrom('array', 'set', 'push') as fc.Arbitrary<'array' | 'set' | 'push'>,
      fc.array(tie('node'), { maxLength: 4 })).map(([t, items]): Node => ({ t, items })),
    fc.array(fc.tuple(tie('node'), tie('node')), { maxLength: 3 }).map((pairs): Node => ({ t: 'map', pairs })),
  ),
})).node;

function write(w: ReplyWriter, n: Node): void {
  switch (n.t) {
    case 'simple': return w.simple(n.v);
    case 'error': return w.error(n.v);
    case 'int': return w.int(n.v);
    case 'bulk': return w.bulk(n.v);
    case 'nil': return w.nil();
    case 'nilArray': return w.nilArray();
    case 'bool': return w.bool(n.v);
    case 'double': return w.double(n.v);
    case 'verbatim': return w.verbatim(n.v);
    case 'bignum': return w.bigNumber(n.v);
    case 'array': w.array(n.items.length); break;
    case 'set': w.set(n.items.length); break;
    case 'push': w.push(n.items.length); break;
    case 'map':
      w.map(n.pairs.length);
      for (const [k, v] of n.pairs) {
        write(w, k);
        write(w, v);
      }
      return;
  }
  for (const i of n.items) write(w, i);
}

/** What a client decodes from `n` written in `proto` (test/_resp.ts's Reply shape). */
function expected(n: Node, proto: Proto): Reply {
  const r3 = proto === 3;
  switch (n.t) {
    case 'simple': return { type: 'simple', value: n.v };
    case 'error': return { type: 'error', value: n.v };
    case 'int': return { type: 'int', value: BigInt(n.v) };
    case 'bulk': return { type: 'bulk', value: n.v };
    case 'nil': return r3 ? { type: 'null' } : { type: 'bulk', value: null };
    case 'nilArray': return r3 ? { type: 'null' } : { type: 'array', value: null };
    case 'bool': return r3 ? { type: 'bool', value: n.v } : { type: 'int', value: n.v ? 1n : 0n };
    case 'double': {
      const s = n.v === Infinity ? 'inf' : n.v === -Infinity ? '-inf' : Object.is(n.v, -0) ? '-0' : null;
      // The text itself is formatDouble's business (tested with core/numbers); here: it parses back.
      return r3 ? { type: 'double', value: s ?? String(n.v) } : { type: 'bulk', value: s ?? String(n.v) };
    }
    case 'verbatim': return r3 ? { type: 'verbatim', format: 'txt', value: n.v } : { type: 'bulk', value: n.v };
    case 'bignum': return r3 ? { type: 'bignum', value: n.v } : { type: 'bulk', value: n.v };
    case 'array': return { type: 'array', value: n.items.map((i) => expected(i, proto)) };
    case 'set': return r3 ? { type: 'set', value: n.items.map((i) => expected(i, proto)) } :
      { type: 'array', value: n.items.map((i) => expected(i, proto)) };
    case 'push': return r3 ? { type: 'push', value: n.items.map((i) => expected(i, proto)) } :
      { type: 'array', value: n.items.map((i) => expected(i, proto)) };
    case 'map': {
      if (r3) return { type: 'map', value: n.pairs.map(([k, v]) => [expected(k, proto), expected(v, proto)]) };
      const flat: Reply[] = [];
      for (const [k, v] of n.pairs) flat.push(expected(k, proto), expected(v, proto));
      return { type: 'array', value: flat };
    }
  }
}

/** Doubles compare by value: the decoder keeps the text, %.17g text differs from String(). */
function normalize(r: Reply): unknown {
  if (r.type === 'double') return { type: 'double', value: Number(r.value.replace(/^(-?)inf$/, '$1Infinity')) };
  if (r.type === 'array' || r.type === 'set' || r.type === 'push') {
    return { type: r.type, value: r.value === null ? null : r.value.map(normalize) };
  }
  if (r.type === 'map') return { type: 'map', value: r.value.map(([k, v]) => [normalize(k), normalize(v)]) };
  return r;
}

function normalizeResp2Double(n: Node, r: Reply): unknown {
  // In RESP2 a double is a bulk: compare its number.
  if (n.t === 'double' && r.type === 'bulk') return { type: 'bulk', value: Number((r.value as string).replace(/^(-?)inf$/, '$1Infinity')) };
  if ((n.t === 'array' || n.t === 'set' || n.t === 'push') && r.type === 'array') {
    return { type: 'array', value: (r.value ?? []).map((x, i) => normalizeResp2Double(n.items[i], x)) };
  }
  if (n.t === 'map' && r.type === 'array') {
    const flat = n.pairs.flat();
    return { type: 'array', value: (r.value ?? []).map((x, i) => normalizeResp2Double(flat[i], x)) };
  }
  return normalize(r);
}

test('property: any reply tree decodes back, in RESP2 and RESP3', () => {
  fc.assert(
    fc.property(fc.array(tree, { minLength: 1, maxLength: 4 }), fc.constantFrom<Proto>(2, 3), (nodes, proto) => {
      const w = new ReplyWriter();
      w.proto = proto;
      for (const n of nodes) write(w, n);
      const chunks = w.take();
      let total = 0;
      for (const c of chunks) total += c.length;
      const all = new Uint8Array(total);
      let o = 0;
      for (const c of chunks) {
        all.set(c, o);
        o += c.length;
      }
      let pos = 0;
      for (const n of nodes) {
        const r = decodeReply(all, pos);
        assert.ok(r !== null, 'reply decodes');
        const want = expected(n, proto);
        assert.equal(normalizeResp2Double(n, r!.reply), normalizeResp2Double(n, want));
        pos = r!.end;
      }
      assert.is(pos, total, 'no bytes left over');
    }),
    { numRuns: 300 },
  );
});

test.run();
