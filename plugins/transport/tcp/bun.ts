// RESP over TCP and unix sockets on Bun.listen (the Bun adapter of the tcp transport): Bun's own
// socket API costs less per request than its node:net layer (DESIGN.md).
//
// Bun's socket.write writes what the kernel takes at once and returns that count; it keeps
// nothing. What is left is queued here and written from the `drain` handler, in order; while
// anything is queued, new replies join the queue so bytes never overtake each other.
// Bun.listen is synchronous and throws errors with errno codes. It takes no backlog option (the
// kernel gets Bun's own, 512), and setKeepAlive's delay is in milliseconds.
import { type Client, type Connection, WRITE_BUSY, WRITE_DONE } from '../../../core/client.ts';
import type { Server } from '../../../core/server.ts';
import { type Adapter, formatAddr, listenError, type ListenSpec, type Listener } from './_types.ts';

/** The parts of Bun's TCPSocket used here. */
interface BunSocket {
  data: ConnState;
  readonly fd?: number;
  readonly remoteAddress: string;
  readonly remotePort?: number;
  readonly localAddress?: string;
  readonly localPort?: number;
  write(data: Uint8Array): number;
  end(): void;
  terminate(): void;
  setNoDelay?(on: boolean): boolean;
  setKeepAlive?(on: boolean, delayMs: number): boolean;
}

interface BunListener {
  readonly port?: number;
  stop(closeActiveConnections?: boolean): void;
}

interface SocketHandler {
  open(s: BunSocket): void;
  data(s: BunSocket, chunk: Uint8Array): void;
  drain(s: BunSocket): void;
  close(s: BunSocket): void;
  error(s: BunSocket, e: Error): void;
}

declare const Bun: {
  listen(options: {
    hostname?: string;
    port?: number;
    unix?: string;
    ipv6Only?: boolean;
    exclusive?: boolean;
    socket: SocketHandler;
  }): BunListener;
};

/** Several chunks up to this size go out as one copied buffer: one send() instead of several. */
const JOIN_MAX = 256 * 1024;
let fdCounter = 1000;

/** One connection: the client it feeds and the bytes the kernel has not taken yet. */
class ConnState implements Connection {
  readonly kind: 'tcp' | 'unix';
  readonly remoteAddress: string;
  readonly localAddress: string;
  readonly fd: number;
  client: Client | null = null;
  private readonly socket: BunSocket;
  private queue: Uint8Array[] = [];
  private queued = 0;
  /** close() was called: end the socket once the queue is empty. */
  private closing = false;
  closed = false;
  /** Inside socket.end(), from which Bun runs the close handler at once. */
  ending = false;

  constructor(socket: BunSocket, spec: ListenSpec) {
    this.socket = socket;
    this.kind = spec.unix ? 'unix' : 'tcp';
    this.remoteAddress = spec.unix ? `${spec.host}:0` : formatAddr(socket.remoteAddress, socket.remotePort ?? 0);
    this.localAddress = spec.unix ? `${spec.host}:0` : formatAddr(socket.localAddress ?? spec.host, socket.localPort ?? spec.port);
    this.fd = socket.fd !== undefined && socket.fd >= 0 ? socket.fd : fdCounter++;
  }

  write(chunks: readonly Uint8Array[]): void {
    if (this.closed) return;
    if (this.queued > 0) {
      for (let i = 0; i < chunks.length; i++) this.enqueue(chunks[i]);
      return;
    }
    if (chunks.length === 1) {
      this.send(chunks[0]);
      return;
    }
    let total = 0;
    for (let i = 0; i < chunks.length; i++) total += chunks[i].length;
    if (total <= JOIN_MAX) {
      const joined = new Uint8Array(total);
      let at = 0;
      for (let i = 0; i < chunks.length; i++) {
        joined.set(chunks[i], at);
        at += chunks[i].length;
      }
      this.send(joined);
      return;
    }
    for (let i = 0; i < chunks.length; i++) {
      if (this.queued > 0) this.enqueue(chunks[i]);
      else this.send(chunks[i]);
    }
  }

  /** Connection.writeNow: what the kernel does not take is copied, so `data` is never kept. */
  writeNow(data: Uint8Array): number {
    if (this.closed) return WRITE_DONE;
    if (this.queued > 0) return WRITE_BUSY;
    const n = this.socket.write(data);
    if (n < data.length) this.enqueue(data.slice(n > 0 ? n : 0));
    return WRITE_DONE;
  }

  /** Writes `buf` now, queueing what the kernel does not take. */
  private send(buf: Uint8Array): void {
    const n = this.socket.write(buf);
    if (n < buf.length) this.enqueue(n > 0 ? buf.subarray(n) : buf);
  }

  private enqueue(buf: Uint8Array): void {
    this.queue.push(buf);
    this.queued += buf.length;
  }

  /** The socket can take more: send the queue in order, then end it if close() was called. */
  drain(): void {
    let i = 0;
    const q = this.queue;
    while (i < q.length) {
      const buf = q[i];
      const n = this.socket.write(buf);
      if (n < 0) return;
      this.queued -= n;
      if (n < buf.length) {
        q[i] = buf.subarray(n);
        break;
      }
      i++;
    }
    if (i > 0) q.splice(0, i);
    if (this.queued === 0 && this.closing && !this.closed) this.end();
  }

  get bufferedAmount(): number {
    return this.queued;
  }

  close(): void {
    // Like Redis, close fully once the pending replies are out, even if the peer keeps the
    // connection open or keeps sending (data that arrives meanwhile is dropped).
    if (this.closing) return;
    this.closing = true;
    if (this.queued === 0) this.end();
  }

  private end(): void {
    this.closed = true;
    this.queue = [];
    this.queued = 0;
    this.ending = true;
    this.socket.end();
    this.ending = false;
  }
}

function listen(server: Server, spec: ListenSpec): Listener {
  const handler: SocketHandler = {
    open(s) {
      const st = new ConnState(s, spec);
      s.data = st;
      if (!spec.unix) {
        s.setNoDelay?.(true);
        if (spec.keepAliveSec > 0) s.setKeepAlive?.(true, spec.keepAliveSec * 1000);
      }
      st.client = server.accept(st);
    },
    data(s, chunk) {
      const c = s.data.client;
      if (c !== null && !s.data.closed) c.onData(chunk);
    },
    drain(s) {
      s.data.drain();
    },
    close(s) {
      const st = s.data;
      if (st === undefined) return;
      st.closed = true;
      // From inside our own socket.end() (the server closing the client: QUIT, CLIENT KILL ...):
      // the server hears of it once its close is done, as from node:net's later 'close' event,
      // and not as the peer hanging up, which INFO counts as a read.
      if (st.ending) queueMicrotask(() => st.client?.onClose());
      else st.client?.onClose();
    },
    error() {
      // A reset or a failed write: Bun closes the socket and calls close() next.
    },
  };
  let l: BunListener;
  try {
    l = spec.unix
      ? Bun.listen({ unix: spec.host, socket: handler })
      : Bun.listen({ hostname: spec.host, port: spec.port, ipv6Only: spec.ipv6Only, exclusive: true, socket: handler });
  } catch (e) {
    const err = e as { code?: string; message?: string };
    throw listenError(err.message ?? String(e), err.code);
  }
  const port = spec.unix ? 0 : l.port ?? spec.port;
  return {
    address: spec.unix ? spec.host : formatAddr(spec.host, port),
    port,
    close: () => l.stop(false),
  };
}

export const adapter: Adapter = { listen, v6Only: true, resolvesNames: true, closeFreesLater: false };
