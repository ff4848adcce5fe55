// What each runtime's TCP adapter implements for plugins/transport/tcp/mod.ts.
import type { Server } from '../../../core/server.ts';

export interface ListenSpec {
  /** Host to bind ('0.0.0.0', '::', '127.0.0.1' ...) or a unix socket path. */
  host: string;
  /** TCP port; ignored for unix sockets. */
  port: number;
  unix: boolean;
  /** Only IPv6 on '::', so '*' and '::*' can both be bound as in Redis. */
  ipv6Only: boolean;
  backlog: number;
  keepAliveSec: number;
}

export interface Listener {
  /** The bound address, "host:port" or the socket path. */
  address: string;
  port: number;
  close(): Promise<void>;
}

export type ListenFn = (server: Server, spec: ListenSpec) => Promise<Listener>;
