// RESP over TCP and unix sockets on node:net (the Node.js adapter of the tcp transport).
import * as net from 'node:net';
import type { Connection } from '../../../core/client.ts';
import type { Server } from '../../../core/server.ts';
import type { ListenFn, ListenSpec, Listener } from './_types.ts';

let fdCounter = 1000;

export const listen: ListenFn = (server: Server, spec: ListenSpec): Promise<Listener> => {
  return new Promise((resolve, reject) => {
    const srv = net.createServer({ noDelay: true, pauseOnConnect: false }, (socket) => {
      accept(server, socket, spec);
    });
    srv.once('error', reject);
    const onListening = (): void => {
      srv.off('error', reject);
      srv.on('error', (e) => server.log.warning(`Listener error: ${e.message}`));
      const a = srv.address();
      const port = typeof a === 'object' && a !== null ? a.port : 0;
      resolve({
        address: spec.unix ? spec.host : `${spec.host}:${port}`,
        port,
        close: () => new Promise((r) => srv.close(() => r())),
      });
    };
    if (spec.unix) srv.listen({ path: spec.host, backlog: spec.backlog }, onListening);
    else {
      srv.listen({ host: spec.host, port: spec.port, backlog: spec.backlog, ipv6Only: spec.ipv6Only }, onListening);
    }
  });
};

function accept(server: Server, socket: net.Socket, spec: ListenSpec): void {
  if (!spec.unix && spec.keepAliveSec > 0) socket.setKeepAlive(true, spec.keepAliveSec * 1000);
  const handle = (socket as unknown as { _handle?: { fd?: number } })._handle;
  const fd = handle?.fd !== undefined && handle.fd >= 0 ? handle.fd : fdCounter++;
  const remote = spec.unix ? `${spec.host}:0` : `${socket.remoteAddress}:${socket.remotePort}`;
  const local = spec.unix ? spec.host : `${socket.localAddress}:${socket.localPort}`;
  const conn: Connection = {
    kind: spec.unix ? 'unix' : 'tcp',
    remoteAddress: remote.replace(/^::ffff:/, ''),
    localAddress: local.replace(/^::ffff:/, ''),
    fd,
    write(chunks) {
      if (socket.destroyed) return;
      if (chunks.length === 1) {
        socket.write(chunks[0]);
        return;
      }
      socket.cork();
      for (const c of chunks) socket.write(c);
      socket.uncork();
    },
    get bufferedAmount() {
      return socket.writableLength;
    },
    close() {
      // Like Redis, close fully once the pending replies are out, even if the peer keeps the
      // connection open or keeps sending.
      if (!socket.destroyed) socket.end(() => socket.destroy());
    },
  };
  const client = server.accept(conn);
  if (client === null) return;
  socket.on('data', (chunk: Uint8Array) => client.onData(chunk));
  socket.on('error', () => socket.destroy());
  socket.on('close', () => client.onClose());
}
