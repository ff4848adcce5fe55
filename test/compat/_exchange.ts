// Raw exchanges with a server over a fresh socket, for the protocol-level compat tests: bytes
// in, every byte out, and whether the server closed the connection.
import * as net from 'node:net';
import { decodeReply } from '../_resp.ts';

export interface Exchange {
  bytes: string;
  closed: boolean;
}

export function toBytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}

/**
 * Opens a socket, writes `pieces` (with `gapMs` between them; then shuts the write side down
 * with `halfClose`), and collects everything the server sends until it closes the connection
 * or stays quiet for `quietMs`, or, given `replies`, until that many whole replies came (and
 * 100 ms more): a server kept off the CPU by a loaded machine can be quiet for a while
 * mid-answer.
 */
export function exchange(port: number, pieces: (string | Uint8Array)[],
  opts: { quietMs?: number; gapMs?: number; halfClose?: boolean; replies?: number } = {}): Promise<Exchange> {
  const quietMs = opts.quietMs ?? 250;
  let got = new Uint8Array(0);
  let parsed = 0;
  let count = 0;
  /** Whether `replies` whole replies are in, counting those `d` completes. */
  const allIn = (d: Uint8Array): boolean => {
    if (opts.replies === undefined) return false;
    const next = new Uint8Array(got.length + d.length);
    next.set(got);
    next.set(d, got.length);
    got = next;
    for (let r = decodeReply(got, parsed); r !== null; r = decodeReply(got, parsed)) {
      parsed = r.end;
      count++;
    }
    return count >= opts.replies;
  };
  return new Promise((resolve, reject) => {
    const sock = net.connect({ port, host: '127.0.0.1' });
    let bytes = '';
    let timer: ReturnType<typeof setTimeout> | null = null;
    let writing = true;
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      if (timer !== null) clearTimeout(timer);
      sock.destroy();
      resolve({ bytes, closed });
    };
    const quiet = () => {
      if (timer !== null) clearTimeout(timer);
      if (!writing) timer = setTimeout(() => finish(false), quietMs);
    };
    sock.on('data', (d: Uint8Array) => {
      for (let i = 0; i < d.length; i++) bytes += String.fromCharCode(d[i]);
      // Once all are in, a short wait still catches a reply too many.
      if (allIn(d)) {
        if (timer !== null) clearTimeout(timer);
        timer = setTimeout(() => finish(false), 100);
      } else quiet();
    });
    // A reset after the server closed (we were still writing) counts as closed too.
    sock.on('error', () => finish(true));
    sock.on('close', () => finish(true));
    sock.on('connect', async () => {
      try {
        for (let i = 0; i < pieces.length; i++) {
          if (done) return;
          const p = pieces[i];
          sock.write(typeof p === 'string' ? toBytes(p) : p);
          if (opts.gapMs && i < pieces.length - 1) await new Promise((r) => setTimeout(r, opts.gapMs));
        }
        if (opts.halfClose) sock.end();
        writing = false;
        quiet();
      } catch (e) {
        reject(e);
      }
    });
  });
}
