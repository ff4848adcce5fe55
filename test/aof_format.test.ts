// The AOF's file formats without a server: the manifest (Redis 7.0's grammar and its refusals),
// the command encoding, and the command reader's handling of torn tails and damage.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Manifest, ManifestError } from '../plugins/persistence/aof/_manifest.ts';
import { AofFormatError, AofReader, CommandBuffer, encodeCommand } from '../plugins/persistence/aof/_resp.ts';
import { formatStreamId } from '../plugins/persistence/aof/_base.ts';

const bytes = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0));
const str = (b: Uint8Array): string => String.fromCharCode(...b);

// -------------------------------------------------------------------------------------------------
const manifest = suite('manifest');

manifest('parses what Redis writes and formats it back the same', () => {
  const text = 'file appendonly.aof.2.base.rdb seq 2 type b\n' +
    'file appendonly.aof.1.incr.aof seq 1 type h\n' +
    'file appendonly.aof.2.incr.aof seq 2 type i\n' +
    'file appendonly.aof.3.incr.aof seq 3 type i\n';
  const m = Manifest.parse(bytes(text));
  assert.equal(m.base, { name: 'appendonly.aof.2.base.rdb', seq: 2, type: 'b' });
  assert.is(m.history.length, 1);
  assert.equal(m.incrs.map((f) => f.name), ['appendonly.aof.2.incr.aof', 'appendonly.aof.3.incr.aof']);
  assert.is(m.baseSeq, 2);
  assert.is(m.incrSeq, 3);
  assert.is(m.format(), text);
});

manifest('comments, any key order, extra pairs and CRLF line ends are accepted', () => {
  const m = Manifest.parse(bytes('# a comment\nseq 1 type b file base.rdb\r\nfile x.aof seq 4 type i future 7\n'));
  assert.is(m.base?.name, 'base.rdb');
  assert.is(m.incrs[0].seq, 4);
});

manifest('names that need quoting are written and read like sdscatrepr / sdssplitargs', () => {
  const m = new Manifest();
  m.newBase('my aof "x"', false);
  m.newIncr('my aof "x"');
  const text = m.format();
  assert.is(text, 'file "my aof \\"x\\".1.base.aof" seq 1 type b\nfile "my aof \\"x\\".1.incr.aof" seq 1 type i\n');
  const back = Manifest.parse(bytes(text));
  assert.is(back.base?.name, 'my aof "x".1.base.aof');
  assert.is(back.incrs[0].name, 'my aof "x".1.incr.aof');
});

manifest("refuses what Redis refuses, with Redis's messages", () => {
  const cases: [string, string][] = [
    ['', 'Found an empty AOF manifest'],
    ['file a seq 1 type b\nfile b seq 2 type b\n', 'Found duplicate base file information'],
    ['file a seq 2 type i\nfile b seq 2 type i\n', 'Found a non-monotonic sequence number'],
    ['file a seq 1 type x\n', 'Unknown AOF file type'],
    ['file a seq 1\n', 'Invalid AOF manifest file format'],
    ['file a seq 1 type\n', 'Invalid AOF manifest file format'],
    ['file a seq 0 type b\n', 'Invalid AOF manifest file format'],
    ['   \n', 'Invalid AOF manifest file format'],
    ['file "a seq 1 type b\n', 'Invalid AOF manifest file format'],
    ['file dir/a seq 1 type b\n', "File can't be a path, just a filename"],
    ['file a seq 1 type b', 'The AOF manifest file contains too long line'],
    [`file ${'a'.repeat(1100)} seq 1 type b\n`, 'The AOF manifest file contains too long line'],
  ];
  for (const [text, message] of cases) {
    try {
      Manifest.parse(bytes(text));
      assert.unreachable(`accepted ${JSON.stringify(text)}`);
    } catch (e) {
      assert.instance(e, ManifestError, JSON.stringify(text));
      assert.is((e as Error).message, message, JSON.stringify(text));
    }
  }
});

manifest('new files take the next sequence numbers; a rewrite makes the old ones history', () => {
  const m = Manifest.parse(bytes('file p.1.base.rdb seq 1 type b\nfile p.1.incr.aof seq 1 type i\n'));
  assert.is(m.newIncr('p'), 'p.2.incr.aof');
  assert.is(m.newBase('p', true), 'p.2.base.rdb');
  m.markRewrittenIncrsAsHistory(true);
  assert.is(m.format(),
    'file p.2.base.rdb seq 2 type b\nfile p.1.incr.aof seq 1 type h\nfile p.1.base.rdb seq 1 type h\n' +
    'file p.2.incr.aof seq 2 type i\n');
  const off = m.clone();
  off.markRewrittenIncrsAsHistory(false);
  assert.is(off.incrs.length, 0);
  assert.is(off.history.length, 3);
  assert.is(m.incrs.length, 1, 'clone is independent');
});

// -------------------------------------------------------------------------------------------------
const format = suite('command format');

format('encodes RESP multibulk, binary-safe', () => {
  assert.is(str(encodeCommand(['SET', 'k', 'v\r\n\x00\xff'])), '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nv\r\n\x00\xff\r\n');
  const b = new CommandBuffer(4);
  for (let i = 0; i < 100; i++) b.command(['INCR', 'counter:' + i]);
  assert.ok(str(b.view()).startsWith('*2\r\n$4\r\nINCR\r\n$9\r\ncounter:0\r\n'));
  b.consume(8);
  assert.ok(str(b.view()).startsWith('INCR\r\n$9\r\ncounter:0\r\n*2'));
});

function readerOf(text: string, chunk = 7): AofReader {
  const data = bytes(text);
  return new AofReader((into, pos) => {
    const n = Math.max(0, Math.min(into.length, data.length - pos));
    into.set(data.subarray(pos, pos + n));
    return n;
  }, 0, chunk);
}

format('reads commands with their end offsets, skipping annotations, across small chunks', () => {
  const text = '#TS:1700000000\r\n*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$10\r\n0123456789\r\n';
  const r = readerOf(text, 4);
  const a = r.next();
  assert.equal(a, { kind: 'command', argv: ['SELECT', '0'], end: 16 + 23 });
  const b = r.next();
  assert.equal(b, { kind: 'command', argv: ['SET', 'key', '0123456789'], end: text.length });
  assert.equal(r.next(), { kind: 'eof' });
});

format('every cut inside a command is a torn tail starting at that command', () => {
  const first = '*1\r\n$4\r\nPING\r\n';
  const cmd = '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n';
  for (let cut = 1; cut < cmd.length; cut++) {
    const r = readerOf(first + cmd.slice(0, cut));
    assert.is((r.next() as { kind: string }).kind, 'command');
    const t = r.next();
    assert.is(t.kind, 'truncated', `cut at ${cut}`);
    assert.is((t as { start: number }).start, first.length, `cut at ${cut}`);
  }
});

format('damage is a format error at its offset', () => {
  const cases: [string, number][] = [
    ['*1\r\n$4\r\nPING\r\nGARBAGE', 14],
    ['*1\r\n$4\r\nPING\r\n*x\r\n', 14],
    ['*1\r\n$4\r\nPINGxx*1\r\n', 12],
    ['*1\r\n%4\r\nPING\r\n', 4],
    ['*0\r\n', 0],
    ['*1\r\n$4\rxPING\r\n', 4],
  ];
  for (const [text, offset] of cases) {
    const r = readerOf(text);
    try {
      for (;;) {
        const x = r.next();
        if (x.kind !== 'command') assert.unreachable(`${JSON.stringify(text)} gave ${x.kind}`);
      }
    } catch (e) {
      if (!(e instanceof AofFormatError)) throw e;
      assert.is(e.offset, offset, JSON.stringify(text));
    }
  }
});

format('stream IDs print as ms-seq', () => {
  const id = '\x00\x00\x01\x8b\xcf\xe5\x68\x00' + '\x00\x00\x00\x00\x00\x00\x00\x07';
  assert.is(formatStreamId(id), '1700000000000-7');
});

manifest.run();
format.run();
