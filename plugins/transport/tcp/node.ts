// RESP over TCP and unix sockets on node:net (the Node.js adapter of the tcp transport).
//
// Listening is synchronous: net.Server#_listen2 (and listen() for a path) binds and listens
// before it returns, and `server.listening` says whether that worked. The error itself is only
// emitted a tick later, so the thrown error carries a best guess of its code and the exact error
// as a promise (mod.ts awaits it where it can, at start-up).
// Writes: one socket.write per batch of replies (several chunks go out as one writev inside
// cork/uncork); node:net queues what the kernel does not take and sends it as the peer reads.
import { lookup as dnsLookup } from 'node:dns/promises';
import { Buffer } from 'node:buffer';
import * as net from 'node:net';
import * as os from 'node:os';
import process from 'node:process';
import { type Connection, WRITE_BUSY, WRITE_DONE, WRITE_KEPT } from '../../../core/client.ts';
import type { Server } from '../../../core/server.ts';
import {
  type Adapter, formatAddr, type ListenError, listenError, type ListenSpec, type Listener,
} from './_types.ts';

let fdCounter = 1000;

/** net.Server#_listen2(address, port, addressType, backlog, fd, flags): Node's own listen step. */
type Listen2 = (address: string, port: number, addressType: number, backlog: number, fd?: number, flags?: number) => void;
/** libuv's flag for an IPv6-only bind (uv.h). */
const UV_TCP_IPV6ONLY = 1;

function listen(server: Server, spec: ListenSpec): Listener {
  const srv = net.createServer({ noDelay: true, pauseOnConnect: true }, (socket) => accept(server, socket, spec));
  // The listen error is reported through the thrown ListenError; one for a later failure of
  // a listening socket (EMFILE on accept ...) is logged and the listener goes on.
  let failed: ((e: Error) => void) | null = null;
  srv.on('error', (e) => {
    if (failed !== null) failed(e);
    else server.log.warning(`Listener error: ${e.message}`);
  });
  const exact = new Promise<Error>((resolve) => (failed = resolve));
  if (!spec.unix && net.isIP(spec.host) === 0) {
    // node:net would resolve the name later, asynchronously; mod.ts resolves names first.
    const e = new Error(`Could not resolve ${spec.host} before binding`) as ListenError;
    e.code = 'EADDRNOTAVAIL';
    throw e;
  }
  if (spec.unix) srv.listen({ path: spec.host, backlog: spec.backlog });
  else {
    // listen({ host }) would look the address up first, asynchronously even for an IP literal;
    // _listen2 (setupListenHandle, what listen calls after the lookup) binds and listens now.
    const listen2 = (srv as unknown as { _listen2?: Listen2 })._listen2;
    if (typeof listen2 !== 'function') throw listenError('This node:net cannot listen synchronously', 'ENOTSUP');
    listen2.call(srv, spec.host, spec.port, net.isIP(spec.host), spec.backlog, undefined, spec.ipv6Only ? UV_TCP_IPV6ONLY : 0);
  }
  if (!srv.listening) {
    const e = new Error(`Could not listen on ${spec.unix ? spec.host : formatAddr(spec.host, spec.port)}`) as ListenError;
    e.code = guessCode(spec);
    e.exact = exact;
    throw e;
  }
  failed = null;
  const a = srv.address();
  const port = typeof a === 'object' && a !== null ? a.port : 0;
  return {
    address: spec.unix ? spec.host : formatAddr(spec.host, port),
    port,
    // net.Server#close closes the listening handle at once; its callback would wait for every
    // connection to end, which is not what closing a listener means here.
    close: () => void srv.close(),
  };
}

/** What a synchronous listen failure most likely was (the exact error comes a tick later). */
function guessCode(spec: ListenSpec): string | undefined {
  if (spec.unix) return undefined;
  const host = spec.host;
  const v6 = host.indexOf(':') >= 0;
  const ifaces = Object.values(os.networkInterfaces()).flat();
  if (v6 && !ifaces.some((i) => i !== undefined && i.family === 'IPv6')) return 'EAFNOSUPPORT';
  const local = host === '0.0.0.0' || host === '::' || host.startsWith('127.') ||
    ifaces.some((i) => i !== undefined && i.address === host);
  if (!local) return 'EADDRNOTAVAIL';
  if (spec.port !== 0 && spec.port < 1024 && process.getuid?.() !== 0) return 'EACCES';
  return 'EADDRINUSE';
}

/**
 * One read buffer for every connection. Reads go straight into it (net.Socket's `onread`
 * option) instead of through a Readable stream and a new Buffer per read: measured under
 * redis-benchmark at -P 1 this halves the user CPU per request. Safe to share because each
 * read is fully handled (and what the parser keeps is copied) before the next one.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/**
 * Views of READ_BUFFER's first n bytes, made once per length: a read of a request of a size
 * seen before (most of them) then allocates nothing. The same view serves every connection, as
 * the buffer under it does.
 */
const readViews: (Uint8Array | undefined)[] = [];
const VIEW_CACHE_MAX = 4096;

function readView(n: number): Uint8Array {
  if (n >= VIEW_CACHE_MAX) return READ_BUFFER.subarray(0, n);
  let v = readViews[n];
  if (v === undefined) v = readViews[n] = READ_BUFFER.subarray(0, n);
  return v;
}

type Handle = object;

/**
 * Writes that skip net.Socket's Writable stream. A reply is usually one buffer that the kernel
 * takes at once; through socket.write that costs a WriteWrap object, the stream's bookkeeping and
 * a nextTick per write. Here the buffer goes straight to the handle's writeBuffer (what the
 * stream calls in the end, stream_base_commons' writeGeneric): libuv tries the write at once, and
 * only when the kernel does not take it all does it queue the rest and take the request object.
 * Measured under redis-benchmark SET -P 1: 3-12% less CPU per request (7 of 8 paired rounds).
 *
 * Order: libuv writes a handle's requests in order (a write tries the socket only when nothing is
 * queued), so direct writes and the stream's writes interleave safely, as long as nothing waits
 * in the stream's own buffer, where libuv cannot see it: then the stream is used (see write).
 *
 * The request object comes from Node's stream_wrap binding (process.binding, as Node's own
 * WriteWrap); where there is none (other runtimes' node:net), every write uses the stream.
 */
interface StreamWrapBinding {
  WriteWrap: new () => WriteReq;
  streamBaseState: Int32Array;
  kLastWriteWasAsync: number;
  kReadBytesOrError: number;
}
interface WriteReq {
  oncomplete?: (status: number) => void;
  buffer?: Uint8Array;
}
interface WritableHandle {
  writeBuffer(req: WriteReq, data: Uint8Array): number;
}

function streamWrap(): StreamWrapBinding | null {
  try {
    const b = (process as unknown as { binding?: (name: string) => unknown }).binding?.('stream_wrap') as
      | Partial<StreamWrapBinding>
      | undefined;
    if (b === undefined || typeof b.WriteWrap !== 'function' || !(b.streamBaseState instanceof Int32Array)) return null;
    return typeof b.kLastWriteWasAsync === 'number' && typeof b.kReadBytesOrError === 'number' ? b as StreamWrapBinding : null;
  } catch {
    return null;
  }
}
const SW = streamWrap();
/** A request for writes the kernel takes at once (libuv only keeps one it has to wait on). */
let spareReq: WriteReq | null = null;

/** Direct writes to a socket's handle, or null when this runtime has none. */
function directWriter(socket: net.Socket, handle: unknown) {
  if (SW === null || typeof (handle as Partial<WritableHandle> | null)?.writeBuffer !== 'function') return null;
  const sw = SW;
  const h = handle as WritableHandle;
  return {
    /** Bytes handed to libuv that the kernel has not taken yet. */
    pending: 0,
    /**
     * Writes `data`: WRITE_DONE when the kernel took it all, WRITE_KEPT when libuv holds it until
     * sent, WRITE_BUSY (nothing written) when the stream has to be used instead (it holds
     * unsent data).
     */
    write(data: Uint8Array): number {
      if (socket.writableLength !== 0) return WRITE_BUSY;
      const req = spareReq ?? new sw.WriteWrap();
      const err = h.writeBuffer(req, data);
      if (err !== 0) {
        // EPIPE, ECONNRESET ...: the peer is gone; 'close' follows.
        socket.destroy();
        return WRITE_DONE;
      }
      if (sw.streamBaseState[sw.kLastWriteWasAsync] === 0) {
        spareReq = req;
        return WRITE_DONE;
      }
      // Queued by libuv: the request is taken, and the buffer must live until the write completes.
      spareReq = null;
      this.pending += data.length;
      req.buffer = data;
      req.oncomplete = (status: number) => {
        this.pending -= data.length;
        if (status < 0) socket.destroy();
      };
      return WRITE_KEPT;
    },
  };
}

/**
 * Moves the accepted socket's handle into a socket that reads into READ_BUFFER. net.Server
 * cannot set `onread` for the sockets it accepts, so the handle (net.Socket's `_handle`, as
 * Node's cluster module passes handles around) is given to a new net.Socket with that option.
 * Returns null when this runtime's node:net has no such handle (then 'data' events are used).
 */
function adopt(socket: net.Socket, onRead: (chunk: Uint8Array) => void): net.Socket | null {
  const s = socket as unknown as { _handle: Handle | null };
  const handle = s._handle;
  if (handle === null || handle === undefined) return null;
  s._handle = null;
  const fast = new net.Socket({
    handle,
    onread: { buffer: READ_BUFFER, callback: (n: number) => { onRead(readView(n)); return true; } },
  } as unknown as net.SocketConstructorOpts);
  // The husk has no handle left; destroying it settles net.Server's connection count.
  socket.destroy();
  shortcutReads(fast, handle, onRead);
  return fast;
}

/**
 * Data goes from the handle to `onRead` without net's onStreamRead in between: for every read
 * that one updates the socket's idle timer (echokv sets none: `timeout` is the cron's), looks
 * the socket's user-buffer callback up by symbol and calls it, a few percent of the CPU per
 * request at -P 1 (GET: 2.7% in onStreamRead alone). The byte count is where onStreamRead
 * reads it; end of file, errors, and reads of a destroyed socket still go to onStreamRead.
 */
function shortcutReads(socket: net.Socket, handle: Handle, onRead: (chunk: Uint8Array) => void): void {
  const h = handle as { onread?: (this: Handle, ab?: ArrayBuffer) => unknown };
  const netRead = h.onread;
  if (SW === null || typeof netRead !== 'function') return;
  const state = SW.streamBaseState;
  const at = SW.kReadBytesOrError;
  h.onread = function (this: Handle, ab?: ArrayBuffer): unknown {
    const n = state[at];
    if (n > 0 && !socket.destroyed) {
      onRead(readView(n));
      return undefined;
    }
    return netRead.call(this, ab);
  };
}

function accept(server: Server, socket0: net.Socket, spec: ListenSpec): void {
  let onRead: (chunk: Uint8Array) => void = () => {};
  const adopted = adopt(socket0, (chunk) => onRead(chunk));
  const socket = adopted ?? socket0;
  if (!spec.unix && spec.keepAliveSec > 0) socket.setKeepAlive(true, spec.keepAliveSec * 1000);
  const handle = (socket as unknown as { _handle?: { fd?: number } })._handle;
  const fd = handle?.fd !== undefined && handle.fd >= 0 ? handle.fd : fdCounter++;
  const direct = adopted !== null ? directWriter(socket, handle) : null;
  const conn: Connection = {
    kind: spec.unix ? 'unix' : 'tcp',
    reusesReadBuffer: adopted !== null,
    remoteAddress: spec.unix ? `${spec.host}:0` : formatAddr(socket.remoteAddress ?? '?', socket.remotePort ?? 0),
    localAddress: spec.unix ? `${spec.host}:0` : formatAddr(socket.localAddress ?? '?', socket.localPort ?? 0),
    fd,
    write(chunks) {
      if (socket.destroyed) return;
      if (chunks.length === 1) {
        if (direct === null || direct.write(chunks[0]) === WRITE_BUSY) socket.write(chunks[0]);
        return;
      }
      socket.cork();
      for (let i = 0; i < chunks.length; i++) socket.write(chunks[i]);
      socket.uncork();
    },
    get bufferedAmount() {
      return socket.writableLength + (direct === null ? 0 : direct.pending);
    },
    close() {
      // Like Redis, close fully once the pending replies are out, even if the peer keeps the
      // connection open or keeps sending (what it sends meanwhile is read and dropped).
      if (!socket.destroyed) socket.end(() => socket.destroy());
    },
  };
  if (direct !== null) {
    // Only onto an idle socket: behind earlier output the buffer would surely be kept.
    conn.writeNow = (data) => (socket.destroyed ? WRITE_DONE : direct.pending !== 0 ? WRITE_BUSY : direct.write(data));
  }

  // A reset peer must not crash the process, even on a connection refused by maxclients.
  socket.on('error', () => socket.destroy());
  const client = server.accept(conn);
  if (client === null) {
    socket.resume();
    return;
  }
  if (adopted !== null) onRead = (chunk) => client.onData(chunk);
  else socket.on('data', (chunk: Uint8Array) => client.onData(chunk));
  socket.on('close', () => client.onClose());
  socket.resume();
}

/** Redis binds a host name to its IPv4 address (anetTcpServer asks getaddrinfo for AF_INET). */
async function lookup(host: string): Promise<string> {
  return (await dnsLookup(host, { family: 4 })).address;
}

export const adapter: Adapter = { listen, v6Only: true, resolvesNames: false, closeFreesLater: false, lookup };
