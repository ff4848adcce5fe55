// What each runtime's TCP adapter (node.ts, bun.ts, deno.ts) implements for mod.ts, and the
// small helpers they share. Listening is synchronous on purpose: Redis binds with plain socket
// calls, so CONFIG SET port/bind can answer OK or an error in the same reply, and the config
// listeners in core/config/mod.ts are synchronous too.
import type { Server } from '../../../core/server.ts';

export interface ListenSpec {
  /** An IP address ('0.0.0.0', '::', '127.0.0.1' ...), a host name, or a unix socket path. */
  host: string;
  /** TCP port; ignored for unix sockets. */
  port: number;
  unix: boolean;
  /** Only IPv6 on '::', so '*' and '::*' can both be bound as in Redis. */
  ipv6Only: boolean;
  backlog: number;
  /** `tcp-keepalive`: seconds of idle before probes, 0 for off. */
  keepAliveSec: number;
}

export interface Listener {
  /** The bound address, "host:port" or the socket path. */
  address: string;
  port: number;
  /** Stops accepting at once; connections stay open. See Adapter.closeFreesLater. */
  close(): void;
  /** Where closeFreesLater: resolves once the address is free again after close(). */
  freed?: Promise<void>;
}

/** A listen failure; `code` is the errno name (EADDRINUSE, EADDRNOTAVAIL, EACCES ...). */
export interface ListenError extends Error {
  code?: string;
  /** Node only: the exact error, which node:net reports a tick later than the failure. */
  exact?: Promise<{ code?: string; message?: string }>;
}

export interface Adapter {
  /** Opens a listener or throws a ListenError, synchronously. */
  listen(server: Server, spec: ListenSpec): Listener;
  /**
   * False where the runtime cannot set IPV6_V6ONLY (Deno.listen): a listener on '::' then takes
   * IPv4 too, so mod.ts binds '*' plus '::*' as one dual-stack listener.
   */
  readonly v6Only: boolean;
  /**
   * Whether `listen` resolves host names itself. node:net resolves them asynchronously, so
   * mod.ts resolves names first (IPv4, as Redis's anetTcpServer does) and passes addresses.
   */
  readonly resolvesNames: boolean;
  /**
   * True where a closed listener frees its address only after the current task (Deno: the
   * pending accept holds it until cancelled), so it cannot be bound again synchronously.
   */
  readonly closeFreesLater: boolean;
  /** Resolves a host name to the IPv4 address to bind, where `resolvesNames` is false. */
  lookup?(host: string): Promise<string>;
}

/** "ip:port" as Redis prints peers (anetFormatAddr): IPv6 in brackets, IPv4-mapped unwrapped. */
export function formatAddr(ip: string, port: number): string {
  if (ip.startsWith('::ffff:') && ip.indexOf('.') > 0) ip = ip.slice(7);
  return ip.indexOf(':') >= 0 ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** Adds errno-style codes to errors from runtimes that name them differently. */
export function listenError(message: string, code: string | undefined): ListenError {
  const e = new Error(message) as ListenError;
  e.code = code;
  return e;
}

/** strerror() texts Redis logs for the bind failures that can happen. */
export function describeErrno(code: string | undefined, fallback: string): string {
  switch (code) {
    case 'EADDRINUSE': return 'Address already in use';
    case 'EADDRNOTAVAIL': return 'Cannot assign requested address';
    case 'EACCES': return 'Permission denied';
    case 'EAFNOSUPPORT': return 'Address family not supported by protocol';
    case 'ENOENT': return 'No such file or directory';
    case 'ENOTDIR': return 'Not a directory';
    case 'EINVAL': return 'Invalid argument';
    default: return fallback;
  }
}
