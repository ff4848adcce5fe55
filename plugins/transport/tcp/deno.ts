// RESP over TCP and unix sockets on Deno.listen (the Deno adapter of the tcp transport): Deno's
// own socket API costs less per request than its node:net layer (DESIGN.md).
//
// Reads: one `conn.read` loop per connection into a slab that is only ever filled forward,
// because the parser may keep views of what it was given (core/resp/parser.ts push()).
// Writes: `conn.write` may take fewer bytes than given; one pump per connection writes the queued
// replies in order, joining small ones so a batch goes out in one call.
// Deno.listen binds synchronously (errors carry errno codes) and takes a backlog, but it cannot
// set IPV6_V6ONLY (so `v6Only: false`: mod.ts binds '*' plus '::*' as one dual-stack listener),
// and conn.setKeepAlive takes no interval (the kernel's default idle time applies).
import type { Client, Connection } from '../../../core/client.ts';
import type { Server } from '../../../core/server.ts';
import { type Adapter, formatAddr, listenError, type ListenSpec, type Listener } from './_types.ts';

interface DenoAddr {
  transport: string;
  hostname?: string;
  port?: number;
  path?: string;
}

interface DenoConn {
  readonly remoteAddr: DenoAddr;
  readonly localAddr: DenoAddr;
  read(p: Uint8Array): Promise<number | null>;
  write(p: Uint8Array): Promise<number>;
  close(): void;
  setNoDelay?(on?: boolean): void;
  setKeepAlive?(on?: boolean): void;
}

interface DenoListener {
  readonly addr: DenoAddr;
  accept(): Promise<DenoConn>;
  close(): void;
}

declare const Deno: {
  listen(options: { hostname?: string; port?: number; tcpBacklog?: number; transport?: 'tcp' }): DenoListener;
  listen(options: { path: string; transport: 'unix' }): DenoListener;
};

/** Reads land in slabs of this size; a new one starts when less than READ_MIN is left. */
const SLAB = 256 * 1024;
const READ_MIN = 64 * 1024;
/** Queued replies are joined into one write up to this size. */
const JOIN_MAX = 256 * 1024;
let fdCounter = 1000;

class DenoConnection implements Connection {
  readonly kind: 'tcp' | 'unix';
  readonly remoteAddress: string;
  readonly localAddress: string;
  readonly fd = fdCounter++;
  client: Client | null = null;
  private readonly conn: DenoConn;
  private queue: Uint8Array[] = [];
  private queued = 0;
  /** Bytes handed to a conn.write that has not resolved yet. */
  private inFlight = 0;
  /**
   * The write in flight began in this event-loop turn. conn.write reports what the kernel took
   * only a turn later, though it takes a reply at once unless the socket is full: counted from
   * the start, each reply would stay in used_memory (and omem) until the client's next read,
   * where Node and Bun count nothing once the kernel has it, and maxmemory would evict a reply's
   * worth of keys early. So the write in flight counts only once its turn is over.
   */
  private fresh = false;
  /** host.defer: runs a function at the end of this event-loop turn, in order with the server's flush. */
  private readonly defer: (fn: () => void) => void;
  private readonly settle = (): void => {
    this.fresh = false;
  };
  private writing = false;
  private closing = false;
  closed = false;

  constructor(conn: DenoConn, spec: ListenSpec, defer: (fn: () => void) => void) {
    this.conn = conn;
    this.defer = defer;
    this.kind = spec.unix ? 'unix' : 'tcp';
    const r = conn.remoteAddr;
    const l = conn.localAddr;
    this.remoteAddress = spec.unix ? `${spec.host}:0` : formatAddr(r.hostname ?? '?', r.port ?? 0);
    this.localAddress = spec.unix ? `${spec.host}:0` : formatAddr(l.hostname ?? '?', l.port ?? 0);
  }

  write(chunks: readonly Uint8Array[]): void {
    if (this.closed || this.closing) return;
    for (let i = 0; i < chunks.length; i++) {
      this.queue.push(chunks[i]);
      this.queued += chunks[i].length;
    }
    if (!this.writing) void this.pump();
  }

  get bufferedAmount(): number {
    return this.queued + (this.fresh ? 0 : this.inFlight);
  }

  /** Writes the queue in order until it is empty; closes the connection after if asked to. */
  private async pump(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0 && !this.closed) {
        const buf = this.takeBatch();
        this.inFlight = buf.length;
        this.fresh = true;
        this.defer(this.settle);
        let off = 0;
        while (off < buf.length) {
          off += await this.conn.write(off === 0 ? buf : buf.subarray(off));
          // What a partial write left (the socket is full) counts from now on.
          this.inFlight = buf.length - off;
          this.fresh = false;
        }
      }
    } catch {
      // The peer went away; the read loop sees it too and reports the close.
      this.queue = [];
      this.queued = 0;
      this.inFlight = 0;
      this.shut();
    }
    this.writing = false;
    if (this.closing) this.shut();
  }

  /** The next buffer to write: the first queued chunk, joined with those after it if small. */
  private takeBatch(): Uint8Array {
    const q = this.queue;
    let n = 1;
    let total = q[0].length;
    while (n < q.length && total + q[n].length <= JOIN_MAX) total += q[n++].length;
    let out: Uint8Array;
    if (n === 1) out = q[0];
    else {
      out = new Uint8Array(total);
      let at = 0;
      for (let i = 0; i < n; i++) {
        out.set(q[i], at);
        at += q[i].length;
      }
    }
    if (n === q.length) this.queue = [];
    else q.splice(0, n);
    this.queued -= total;
    return out;
  }

  close(): void {
    // Like Redis, close fully once the pending replies are out, even if the peer keeps the
    // connection open or keeps sending (the read loop drops what arrives meanwhile).
    if (this.closing || this.closed) return;
    this.closing = true;
    if (!this.writing && this.queue.length === 0) this.shut();
  }

  private shut(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.conn.close();
    } catch { /* already closed */ }
  }

  /** Feeds what arrives to the client until the peer closes or the connection is closed. */
  async readLoop(): Promise<void> {
    let slab = new Uint8Array(SLAB);
    let off = 0;
    try {
      for (;;) {
        if (SLAB - off < READ_MIN) {
          slab = new Uint8Array(SLAB);
          off = 0;
        }
        const n = await this.conn.read(off === 0 ? slab : slab.subarray(off));
        if (n === null) break;
        if (this.closing || this.client === null) continue;
        const chunk = slab.subarray(off, off + n);
        off += n;
        this.client.onData(chunk);
      }
      // End of input (the peer closed or half-closed): the replies to what it sent go out at the
      // end of this event-loop turn (Server.wake, through host.defer), and Deno can report the
      // end before that turn is over. Closing now would drop them, where node:net and Bun send
      // them first; host.defer runs in order, so after this wait they are queued for the pump.
      if (!this.closing) await new Promise<void>((resolve) => this.defer(resolve));
    } catch {
      // Reset by the peer, or interrupted by close(): either way the connection is over.
    }
    if (!this.writing) this.shut();
    this.closing = true;
    this.client?.onClose();
  }
}

function listen(server: Server, spec: ListenSpec): Listener {
  let l: DenoListener;
  try {
    l = spec.unix
      ? Deno.listen({ path: spec.host, transport: 'unix' })
      : Deno.listen({ hostname: spec.host, port: spec.port, tcpBacklog: spec.backlog });
  } catch (e) {
    const err = e as { code?: string; message?: string };
    throw listenError(err.message ?? String(e), err.code);
  }
  const port = spec.unix ? 0 : l.addr.port ?? spec.port;
  let open = true;
  // The pending accept holds the socket: it is closed when that accept has failed.
  const freed = (async () => {
    while (open) {
      let conn: DenoConn;
      try {
        conn = await l.accept();
      } catch (e) {
        if (!open) return;
        // Out of descriptors and the like: Redis logs accept errors and keeps listening.
        server.log.warning(`Accepting client connection: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, 10));
        continue;
      }
      // Accepted by the kernel just before close(): a closed listener serves no one.
      if (!open) {
        conn.close();
        return;
      }
      accept(server, conn, spec);
    }
  })();
  return {
    address: spec.unix ? spec.host : formatAddr(spec.host, port),
    port,
    close: () => {
      open = false;
      try {
        l.close();
      } catch { /* already closed */ }
    },
    freed,
  };
}

function accept(server: Server, conn: DenoConn, spec: ListenSpec): void {
  if (!spec.unix) {
    try {
      conn.setNoDelay?.(true);
      if (spec.keepAliveSec > 0) conn.setKeepAlive?.(true);
    } catch { /* the peer is already gone; the read loop will see it */ }
  }
  const c = new DenoConnection(conn, spec, (fn) => server.host.defer(fn));
  c.client = server.accept(c);
  void c.readLoop();
}

export const adapter: Adapter = { listen, v6Only: false, resolvesNames: true, closeFreesLater: true };
