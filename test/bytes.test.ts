// core/bytes.ts: byte strings made from bytes at every length, through each of its paths (the
// fixed-arity one for short strings, the runtime's codec, the chunked one for long strings), must
// hold exactly the bytes, and go back to them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bytesToStr, strToBytes } from '../core/bytes.ts';
import { installFastLatin1 } from '../plugins/host/node.ts';
import { prng } from './_helpers.ts';

function check(label: string): void {
  const rnd = prng(7);
  const lengths = [...Array.from({ length: 80 }, (_, i) => i), 8191, 8192, 8193, 20000];
  for (const n of lengths) {
    const buf = new Uint8Array(n + 9);
    for (let i = 0; i < buf.length; i++) buf[i] = Math.floor(rnd() * 256);
    // Every byte value, at an offset, so that no path may assume ASCII or a view's start.
    for (let i = 0; i < n; i++) if (i < 256) buf[3 + i] = 255 - i;
    const s = bytesToStr(buf, 3, 3 + n);
    assert.is(s.length, n, `${label}: length ${n}`);
    for (let i = 0; i < n; i++) {
      if (s.charCodeAt(i) !== buf[3 + i]) assert.unreachable(`${label}: length ${n}, byte ${i}`);
    }
    assert.equal(strToBytes(s), buf.subarray(3, 3 + n), `${label}: back to bytes at length ${n}`);
  }
}

test('bytesToStr holds exactly the bytes at every length, in JS alone', () => {
  check('plain');
});

test('bytesToStr holds exactly the bytes at every length, with the runtime codec installed', () => {
  installFastLatin1();
  check('codec');
});

test.run();
