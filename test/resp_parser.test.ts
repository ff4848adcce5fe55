// The request parser in-process: multibulk and inline decoding, sdssplitargs quoting, chunking at
// every byte, Redis's protocol errors and limits, and property tests (fast-check) for round trips,
// chunking independence and robustness against random bytes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { RequestParser, splitArgs, INLINE_MAX } from '../core/resp/parser.ts';

const MB = 1024 * 1024;
const DEFAULT_LIMITS = { maxBulkLen: 512 * MB, maxQueryBuffer: 1024 * MB };

function bytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

interface Parsed {
  commands: string[][];
  error: string | null;
  overflow: boolean;
}

/** Feeds `input` cut at `cuts` (sorted offsets) and collects every command and the error. */
function parse(input: string | Uint8Array, cuts: readonly number[] = [], limits = DEFAULT_LIMITS,
  setup?: (p: RequestParser) => void): Parsed {
  const p = new RequestParser({ ...limits });
  setup?.(p);
  const data = typeof input === 'string' ? bytes(input) : input;
  const commands: string[][] = [];
  let at = 0;
  const bounds = [...cuts.filter((c) => c > 0 && c < data.length), data.length];
  for (const b of bounds) {
    if (b <= at) continue;
    // A fresh copy per chunk, as a transport hands over fresh memory each read.
    p.push(data.slice(at, b));
    at = b;
    if (p.overflow) break;
    for (let guard = 0; ; guard++) {
      if (guard > data.length + 10) throw new Error('parser does not make progress');
      const argv = p.next();
      if (argv === null) break;
      commands.push(argv);
    }
  }
  return { commands, error: p.error, overflow: p.overflow };
}

function encode(cmd: readonly string[]): string {
  let s = `*${cmd.length}\r\n`;
  for (const a of cmd) s += `$${a.length}\r\n${a}\r\n`;
  return s;
}

/** An inline line that sdssplitargs turns back into `cmd`: every argument double-quoted. */
function encodeInline(cmd: readonly string[]): string {
  return cmd.map((a) => {
    let q = '"';
    for (let i = 0; i < a.length; i++) {
      const c = a.charCodeAt(i);
      if (c === 34 || c === 92) q += '\\' + a[i];
      else if (c < 32 || c > 126) q += '\\x' + c.toString(16).padStart(2, '0');
      else q += a[i];
    }
    return q + '"';
  }).join(' ') + '\r\n';
}

test('multibulk commands, binary-safe arguments', () => {
  const cmds = [['SET', 'k\x00\xff', 'v\r\n\x00'], ['GET', ''], ['PING']];
  const r = parse(cmds.map(encode).join(''));
  assert.equal(r.commands, cmds);
  assert.is(r.error, null);
});

test('inline commands: \\n or \\r\\n, blank lines skipped, mixed with multibulk', () => {
  const r = parse('PING\nECHO  hello\r\n\r\n   \r\n\n' + encode(['GET', 'x']) + 'SET a b\r\n');
  assert.equal(r.commands, [['PING'], ['ECHO', 'hello'], ['GET', 'x'], ['SET', 'a', 'b']]);
  assert.is(r.error, null);
});

test('empty and negative multibulk counts are skipped like Redis', () => {
  const r = parse('*0\r\n*-1\r\n*-5\r\n' + encode(['PING']));
  assert.equal(r.commands, [['PING']]);
});

test('every split point of a pipeline gives the same commands', () => {
  const cmds = [['SET', 'key', 'a'.repeat(40)], ['ECHO', '\xff\x00\r\n'], ['PING']];
  const input = cmds.map(encode).join('') + 'ECHO "x y" \'z\'\r\n';
  const want = [...cmds, ['ECHO', 'x y', 'z']];
  for (let i = 0; i <= input.length; i++) {
    assert.equal(parse(input, [i]).commands, want, `split at ${i}`);
  }
  // One byte at a time.
  assert.equal(parse(input, Array.from({ length: input.length }, (_, i) => i)).commands, want);
});

test('the bytes after a bulk and after a header CR are skipped, not checked', () => {
  assert.equal(parse('*1\r\n$4\r\nPINGxx*1\rX$4\rYPING\r\n').commands, [['PING'], ['PING']]);
});

test('a big bulk (>= 32 KB) arriving in pieces is joined exactly', () => {
  let value = '';
  for (let i = 0; i < 100_000; i++) value += String.fromCharCode((i * 7) & 0xff);
  const input = encode(['SET', 'k', value]) + encode(['GET', 'k']);
  const want = [['SET', 'k', value], ['GET', 'k']];
  for (const cuts of [[], [20], [20, 21, 22], [100, 50_000, 100_010], [100_020, 100_021], [100_021]]) {
    assert.equal(parse(input, cuts).commands, want, `cuts ${cuts}`);
  }
  // Big bulk as the last argument, followed by other commands in the same final chunk.
  const head = '*2\r\n$4\r\nECHO\r\n$40000\r\n';
  const input2 = head + 'x'.repeat(40000) + '\r\n' + encode(['PING']);
  assert.equal(parse(input2, [head.length + 5, head.length + 40001]).commands, [['ECHO', 'x'.repeat(40000)], ['PING']]);
});

test('a big bulk header alone allocates nothing: pending counts only received bytes', () => {
  const p = new RequestParser({ ...DEFAULT_LIMITS });
  p.push(bytes('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$500000000\r\n'));
  assert.is(p.next(), null);
  assert.ok(p.pending < 100, `pending ${p.pending}`);
  p.push(new Uint8Array(1000));
  assert.is(p.next(), null);
  assert.ok(p.pending >= 1000 && p.pending < 1100, `pending ${p.pending}`);
  assert.is(p.idle, false);
});

test('*2000000000 is accepted without allocating', () => {
  const p = new RequestParser({ ...DEFAULT_LIMITS });
  p.push(bytes('*2000000000\r\n$4\r\nPING\r\n'));
  assert.is(p.next(), null);
  assert.is(p.error, null);
  assert.ok(p.pending < 100);
  const q = parse('*2147483648\r\n');
  assert.is(q.error, 'Protocol error: invalid multibulk length');
});

test('splitArgs follows sdssplitargs', () => {
  const cases: [string, string[] | null][] = [
    ['', []],
    ['   ', []],
    ['a b  c', ['a', 'b', 'c']],
    [' \t\x0b\x0c a', ['a']],
    // \v and \f separate only before an argument; inside one they are kept.
    ['a\x0bb c\x0cd', ['a\x0bb', 'c\x0cd']],
    ['a\rb', ['a', 'b']],
    ['"a b" \'c d\'', ['a b', 'c d']],
    ['""', ['']],
    ["''", ['']],
    ['x"y z"', ['xy z']],
    ["x'y z'w", null],
    ['"\\x41\\x4a\\xff\\x00" "\\n\\r\\t\\b\\a\\z\\\\\\""', ['AJ\xff\x00', '\n\r\t\b\x07z\\"']],
    ['"\\x4" "\\x4g"', ['x4', 'x4g']],
    ["'a\\'b' 'c\\d'", ["a'b", 'c\\d']],
    ['"a"b', null],
    ["'a'b", null],
    ['"abc', null],
    ["'abc", null],
    ['"abc\\"', null],
    ['"a"\x0bb', ['a', 'b']],
    ['a\x00b c', ['a']],
    ['\xff\x80 \xfe', ['\xff\x80', '\xfe']],
  ];
  for (const [line, want] of cases) {
    const b = bytes(line);
    assert.equal(splitArgs(b, 0, b.length), want, JSON.stringify(line));
  }
  // Only [start, end) is read.
  const b = bytes('xx a b yy');
  assert.equal(splitArgs(b, 2, 6), ['a', 'b']);
});

test('protocol errors carry Redis texts and stop the parser', () => {
  const cases: [string, string][] = [
    ['*x\r\n', 'invalid multibulk length'],
    ['*\r\n', 'invalid multibulk length'],
    ['*01\r\n', 'invalid multibulk length'],
    ['*+1\r\n', 'invalid multibulk length'],
    ['*-0\r\n', 'invalid multibulk length'],
    ['*1 \r\n', 'invalid multibulk length'],
    ['*123456789012345678901\r\n', 'invalid multibulk length'],
    ['*1\r\n$-1\r\n', 'invalid bulk length'],
    ['*1\r\n$x\r\n', 'invalid bulk length'],
    ['*1\r\n$04\r\nPING\r\n', 'invalid bulk length'],
    ['*1\r\n$\r\n', 'invalid bulk length'],
    ['*1\r\nPING\r\n', "expected '$', got 'P'"],
    ['*1\r\n\xff\r\n', "expected '$', got '\xff'"],
    ['*1\r\n\r\n', "expected '$', got '\r'"],
    ['ECHO "a\r\n', 'unbalanced quotes in request'],
    ['ECHO "a"b\r\n', 'unbalanced quotes in request'],
  ];
  for (const [input, err] of cases) {
    const r = parse(input + encode(['PING']));
    assert.is(r.error, 'Protocol error: ' + err, JSON.stringify(input));
    assert.equal(r.commands, [], JSON.stringify(input));
  }
  // Commands before the error are returned; nothing after it, even after more input.
  const p = new RequestParser({ ...DEFAULT_LIMITS });
  p.push(bytes('PING\r\n*1\r\n$x\r\n'));
  assert.equal(p.next(), ['PING']);
  assert.is(p.next(), null);
  assert.is(p.error, 'Protocol error: invalid bulk length');
  p.push(bytes(encode(['PING'])));
  assert.is(p.next(), null);
  assert.is(p.pending, 0);
});

test('64 KB limits on inline lines and length headers', () => {
  const long = 'a'.repeat(INLINE_MAX);
  // Exactly 64 KB before the line end is accepted (Redis fails only past it).
  assert.equal(parse(long + '\n').commands, [[long]]);
  assert.is(parse(long + 'a').error, 'Protocol error: too big inline request');
  assert.is(parse(long).error, null);
  // Independent of chunking: the line end arriving with the 64 KB + 1st byte does not save it.
  assert.is(parse(long + 'a\r\n').error, 'Protocol error: too big inline request');
  assert.is(parse(long + 'a\r\n', [100, 65536]).error, 'Protocol error: too big inline request');
  assert.is(parse('*' + '1'.repeat(INLINE_MAX)).error, 'Protocol error: too big mbulk count string');
  assert.is(parse('*1\r\n$' + '1'.repeat(INLINE_MAX)).error, 'Protocol error: too big bulk count string');
  assert.is(parse('*1\r\n$' + '1'.repeat(INLINE_MAX - 1)).error, null);
});

test('a NUL before the line end hides it, as strchr does in Redis', () => {
  assert.equal(parse('PING\r\nPI\x00NG\r\nPING\r\n'), { commands: [['PING']], error: null, overflow: false });
  assert.equal(parse('*1\x00\r\n$4\r\nPING\r\n').commands, []);
  assert.equal(parse('*1\r\n$4\x00\r\nPING\r\n').commands, []);
  // The line end after the NUL does not count: 64 KB later it is an error.
  assert.is(parse('PI\x00NG\r\n' + 'x'.repeat(INLINE_MAX)).error, 'Protocol error: too big inline request');
  // NUL inside a bulk payload is data.
  assert.equal(parse(encode(['ECHO', '\x00\r\n\x00'])).commands, [['ECHO', '\x00\r\n\x00']]);
});

test('unauthenticated clients: at most 10 arguments and 16 KB bulks', () => {
  const unauth = (p: RequestParser) => {
    p.unauthenticated = true;
  };
  const ten = encode(Array.from({ length: 10 }, () => 'a'));
  assert.is(parse(ten, [], DEFAULT_LIMITS, unauth).commands.length, 1);
  assert.is(parse(encode(Array.from({ length: 11 }, () => 'a')), [], DEFAULT_LIMITS, unauth).error,
    'Protocol error: unauthenticated multibulk length');
  assert.is(parse(encode(['AUTH', 'x'.repeat(16384)]), [], DEFAULT_LIMITS, unauth).commands.length, 1);
  assert.is(parse('*2\r\n$4\r\nAUTH\r\n$16385\r\n', [], DEFAULT_LIMITS, unauth).error,
    'Protocol error: unauthenticated bulk length');
  // Authenticated (the default), both pass.
  assert.is(parse(encode(Array.from({ length: 11 }, () => 'a'))).error, null);
});

test('proto-max-bulk-len and client-query-buffer-limit', () => {
  const limits = { maxBulkLen: MB, maxQueryBuffer: 2 * MB };
  assert.is(parse(`*2\r\n$4\r\nECHO\r\n$${MB}\r\n`, [], limits).error, null);
  assert.is(parse(`*2\r\n$4\r\nECHO\r\n$${MB + 1}\r\n`, [], limits).error, 'Protocol error: invalid bulk length');
  // Past the longest string V8 holds (2^29 - 24) but within the default 512mb limit, the header
  // is accepted as Redis accepts it (the bulk is refused once it has arrived: edge_resp_fuzz).
  assert.is(parse(`*2\r\n$4\r\nECHO\r\n$${2 ** 29 - 24}\r\n`).error, null);
  assert.is(parse(`*2\r\n$4\r\nECHO\r\n$${2 ** 29 - 23}\r\n`).error, null);
  // The limit object is read live (CONFIG SET).
  const p = new RequestParser(limits);
  limits.maxBulkLen = 10;
  p.push(bytes('*2\r\n$4\r\nECHO\r\n$11\r\n'));
  assert.is(p.next(), null);
  assert.is(p.error, 'Protocol error: invalid bulk length');

  // A big bulk in progress counts against the query buffer limit; past it, the parser stops.
  const q = new RequestParser({ maxBulkLen: 512 * MB, maxQueryBuffer: MB });
  q.push(bytes('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5000000\r\n'));
  assert.is(q.next(), null);
  const chunk = new Uint8Array(64 * 1024);
  let pushed = 0;
  while (!q.overflow && pushed < 5_000_000) {
    q.push(chunk);
    pushed += chunk.length;
    assert.is(q.next(), null);
  }
  assert.ok(q.overflow);
  assert.ok(pushed <= MB + chunk.length, `overflow after ${pushed} bytes`);
  // Empty bulks of a huge multibulk count too (16 bytes each), so `*huge` stays bounded.
  const r = new RequestParser({ maxBulkLen: 512 * MB, maxQueryBuffer: MB });
  r.push(bytes('*2000000000\r\n'));
  const empties = bytes('$0\r\n\r\n'.repeat(10_000));
  let rounds = 0;
  while (!r.overflow && rounds < 1000) {
    r.push(empties);
    assert.is(r.next(), null);
    rounds++;
  }
  assert.ok(r.overflow, 'overflow');
  assert.ok(r.pending <= MB + empties.length * 4, `pending ${r.pending}`);
});

test('50 MB of junk never buffers more than the limits allow', () => {
  const junkInline = new Uint8Array(64 * 1024).fill(120);
  const junkBulk = new Uint8Array(64 * 1024).fill(0);
  const scenarios: [string, Uint8Array, Uint8Array, string | null][] = [
    ['unterminated inline line', new Uint8Array(0), junkInline, 'Protocol error: too big inline request'],
    ['NUL bytes', new Uint8Array(0), junkBulk, 'Protocol error: too big inline request'],
    ['one huge bulk', bytes('*2\r\n$3\r\nGET\r\n$400000000\r\n'), junkInline, null],
    ['endless header', bytes('*'), bytes('1'.repeat(64 * 1024)), 'Protocol error: too big mbulk count string'],
  ];
  for (const [name, head, junk, error] of scenarios) {
    const p = new RequestParser({ maxBulkLen: 512 * MB, maxQueryBuffer: MB });
    p.push(head);
    let maxPending = 0;
    let sent = head.length;
    while (sent < 50 * MB && p.error === null && !p.overflow) {
      p.push(junk);
      sent += junk.length;
      maxPending = Math.max(maxPending, p.pending);
      assert.is(p.next(), null, name);
    }
    assert.is(p.error, error, name);
    if (error === null) assert.ok(p.overflow, `${name}: overflow`);
    assert.ok(maxPending <= MB + junk.length, `${name}: pending peaked at ${maxPending}`);
    assert.ok(sent <= MB + 2 * junk.length, `${name}: stopped after ${sent} bytes`);
    // A stopped parser ignores further input.
    p.push(junk);
    assert.ok(p.pending <= MB + junk.length);
  }
});

test('an idle client does not pin its last read buffer for a short partial command', () => {
  const p = new RequestParser({ ...DEFAULT_LIMITS });
  const chunk = new Uint8Array(64 * 1024);
  const cmd = bytes(encode(['PING']).repeat(5000));
  chunk.set(cmd.subarray(0, 64 * 1024 - 3));
  p.push(chunk.subarray(0, 64 * 1024 - 3));
  let n = 0;
  while (p.next() !== null) n++;
  assert.ok(n > 100);
  assert.ok(p.pending < 20);
  // The parser's buffer is its own small copy now, so the caller may drop the chunk.
  const buf = (p as unknown as { buf: Uint8Array }).buf;
  assert.ok(buf.buffer.byteLength <= 1024, `kept ${buf.buffer.byteLength} bytes`);
});

// ---------------------------------------------------------------------------------------------
// Properties

const byteString = (maxLength: number) =>
  fc.uint8Array({ maxLength }).map((b) => String.fromCharCode(...b));
const command = fc.array(byteString(40), { minLength: 1, maxLength: 6 });
/** Arguments that survive an unquoted inline line: no blanks, quotes or NUL. */
const bareWord = fc.string({ unit: fc.constantFrom(...'abcXYZ019-_:*$.'.split('')), minLength: 1, maxLength: 8 });
/** A first word that does not start with '*' (which would make the line a multibulk). */
const firstWord = bareWord.filter((w) => w[0] !== '*');
const cuts = (len: number) => fc.array(fc.integer({ min: 0, max: len }), { maxLength: 12 }).map((a) => a.sort((x, y) => x - y));

test('property: encoded commands parse back the same under any chunking', () => {
  const item = fc.oneof(
    command.map((c) => ({ cmd: c, wire: encode(c) })),
    command.map((c) => ({ cmd: c, wire: encodeInline(c) })),
    fc.tuple(firstWord, fc.array(bareWord, { maxLength: 3 })).map(([w, rest]) => {
      const c = [w, ...rest];
      return { cmd: c, wire: c.join(' ') + '\n' };
    }),
    // A big argument, to cross the piecewise path.
    fc.integer({ min: 32 * 1024, max: 70 * 1024 }).map((n) => {
      const c = ['SET', 'k', 'v'.repeat(n)];
      return { cmd: c, wire: encode(c) };
    }),
  );
  fc.assert(
    fc.property(fc.array(item, { minLength: 1, maxLength: 8 }).chain((items) => {
      const wire = items.map((i) => i.wire).join('');
      return fc.tuple(fc.constant(items), fc.constant(wire), cuts(wire.length));
    }), ([items, wire, at]) => {
      const r = parse(wire, at);
      assert.is(r.error, null);
      assert.equal(r.commands, items.map((i) => i.cmd));
    }),
    { numRuns: 300 },
  );
});

test('repeated arguments: strings are reused only for equal bytes', () => {
  // Same length, one byte different at the start, middle or end; then back to the first.
  const cmds = [
    ['SET', 'key:000000000001', 'xxx'],
    ['SET', 'key:000000000002', 'xxx'],
    ['SET', 'kez:000000000002', 'xxy'],
    ['SET', 'key:000001000002', 'yxy'],
    ['SET', 'key:000000000001', 'xxx'],
    ['SET', 'key:000000000001', ''],
    ['SET', '', 'x\x00\xff'],
    ['SET', 'x\x00\xfe', 'x\x00\xff', 'a', 'b', 'c', 'd', 'e', 'f', 'g'],
    ['SET', 'x\x00\xfe', 'x\x00\xff', 'a', 'b', 'c', 'd', 'e', 'f', 'h'],
    // Long commands: the positions remembered end somewhere in here.
    ['MSET', ...Array.from({ length: 40 }, (_, i) => (i % 2 ? 'v' : `k${i}`))],
    ['MSET', ...Array.from({ length: 40 }, (_, i) => (i % 2 ? 'v' : `k${i}`)).map((a, i) => (i === 35 ? 'w' : a))],
    ['MSET', ...Array.from({ length: 40 }, (_, i) => (i % 2 ? 'v' : `k${i}`)).map((a, i) => (i === 29 ? 'w' : a))],
  ];
  const r = parse(cmds.map(encode).join(''));
  assert.equal(r.commands, cmds);
  // Across reads as well (the previous read's buffer is gone by then).
  const wire = cmds.map(encode).join('');
  assert.equal(parse(wire, Array.from({ length: wire.length }, (_, i) => i)).commands, cmds);
});

test('property: pipelines of near-identical commands parse exactly', () => {
  const arg = fc.stringMatching(/^[ab]{0,5}$/);
  const cmd = fc.array(arg, { minLength: 1, maxLength: 40 }).map((a) => ['CMD', ...a]);
  fc.assert(
    fc.property(fc.array(cmd, { minLength: 1, maxLength: 12 }).chain((cs) => {
      const wire = cs.map(encode).join('');
      return fc.tuple(fc.constant(cs), cuts(wire.length));
    }), ([cs, at]) => {
      assert.equal(parse(cs.map(encode).join(''), at).commands, cs);
    }),
    { numRuns: 500 },
  );
});

test('property: random bytes never throw or hang, and chunking does not change the outcome', () => {
  // Bytes biased towards protocol characters so the parser's states are all reached.
  const protoByte = fc.oneof(
    fc.integer({ min: 0, max: 255 }),
    fc.constantFrom(...[42, 36, 13, 10, 13, 10, 48, 49, 50, 45, 32, 34, 39, 92, 0]),
  );
  const stream = fc.oneof(
    fc.array(protoByte, { maxLength: 300 }).map((a) => Uint8Array.from(a)),
    // Valid commands with random damage.
    fc.tuple(fc.array(command, { minLength: 1, maxLength: 4 }), fc.array(fc.tuple(fc.nat(), protoByte), { maxLength: 4 }))
      .map(([cmds, damage]) => {
        const b = bytes(cmds.map(encode).join(''));
        for (const [i, v] of damage) b[i % b.length] = v;
        return b;
      }),
  );
  fc.assert(
    fc.property(stream.chain((b) => fc.tuple(fc.constant(b), cuts(b.length))), ([data, at]) => {
      const whole = parse(data);
      const chunked = parse(data, at);
      assert.equal(chunked, whole);
    }),
    { numRuns: 1000 },
  );
});

test.run();
