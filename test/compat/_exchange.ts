// Raw exchanges with a server over a fresh socket, for the protocol-level compat tests: bytes
// in, every byte out, and whether the server closed the connection.
import * as net from 'node:net';

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
 * or stays quiet for `quietMs`.
 */
export function exchange(port: number, pieces: (string | Uint8Array)[],
  opts: { quietMs?: number; gapMs?: number; halfClose?: boolean } = {}): Promise<Exchange> {
  const quietMs = opts.quietMs ?? 250;
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
      quiet();
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
