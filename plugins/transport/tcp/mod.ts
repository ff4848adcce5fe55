// The tcp transport: RESP over TCP (`bind`, `port`, `tcp-backlog`, `tcp-keepalive`) and over a
// unix socket (`unixsocket`, `unixsocketperm`). The socket code is per runtime (node:net,
// Bun.listen, Deno.listen): each runtime's own API is the fastest there (DESIGN.md).
import * as v from 'valibot';
import { definePlugin } from '../../../core/plugin.ts';
import type { Server } from '../../../core/server.ts';
import type { ListenFn, ListenSpec, Listener } from './_types.ts';


async function adapter(): Promise<ListenFn> {
  return (await import('./node.ts')).listen;
}

/** The addresses `bind` names: '*' all IPv4, '::*' all IPv6, a '-' prefix marks one optional. */
function bindTargets(bind: readonly string[]): { host: string; optional: boolean; ipv6Only: boolean }[] {
  return bind.map((b) => {
    const optional = b.startsWith('-');
    const addr = optional ? b.slice(1) : b;
    if (addr === '*') return { host: '0.0.0.0', optional, ipv6Only: false };
    if (addr === '::*') return { host: '::', optional, ipv6Only: true };
    return { host: addr, optional, ipv6Only: false };
  });
}

export const tcp = definePlugin({
  name: 'tcp',
  kind: 'transport',
  options: v.object({
    /** Embedded servers and tests: `port 0` picks a free port instead of disabling TCP. */
    anyPort: v.optional(v.boolean(), false),
  }),
  async setup(server: Server, options: { anyPort: boolean }) {
    const listen = await adapter();
    const listeners: Listener[] = [];
    const cfg = server.config;
    const base = (): Omit<ListenSpec, 'host' | 'port' | 'unix' | 'ipv6Only'> => ({
      backlog: cfg.num('tcp-backlog'),
      keepAliveSec: cfg.num('tcp-keepalive'),
    });
    return {
      async listen() {
        const port = cfg.num('port');
        if (port !== 0 || options.anyPort) {
          for (const t of bindTargets(cfg.get<string[]>('bind'))) {
            try {
              listeners.push(await listen(server, { ...base(), host: t.host, port, unix: false, ipv6Only: t.ipv6Only }));
            } catch (e) {
              const err = e as { code?: string; message?: string };
              if (t.optional && (err.code === 'EADDRNOTAVAIL' || err.code === 'EAFNOSUPPORT' || err.code === 'EINVAL')) {
                continue;
              }
              server.log.warning(`Warning: Could not create server TCP listening socket ${t.host === '0.0.0.0' ? '*' : t.host}:${port}: bind: ${describe(err)}`);
              server.log.warning(`Failed listening on port ${port} (TCP), aborting.`);
              for (const l of listeners) await l.close();
              throw new Error(`Failed listening on port ${port} (TCP)`);
            }
          }
        }
        const unixsocket = cfg.str('unixsocket');
        if (unixsocket !== '') {
          const path = server.host.resolve(unixsocket);
          try {
            if (server.host.exists(path)) server.host.remove(path);
            listeners.push(await listen(server, { ...base(), host: path, port: 0, unix: true, ipv6Only: false }));
            const perm = cfg.num('unixsocketperm');
            if (perm !== 0) server.host.chmod(path, perm);
          } catch (e) {
            server.log.warning(`Failed opening Unix socket: ${describe(e as { message?: string })}`);
            throw new Error('Failed opening Unix socket');
          }
          server.log.notice(`The server is now ready to accept connections at ${unixsocket}`);
        }
      },
      addresses: () => listeners.map((l) => l.address),
      async close() {
        for (const l of listeners.splice(0)) await l.close();
        const unixsocket = cfg.str('unixsocket');
        if (unixsocket !== '') {
          try {
            server.host.remove(server.host.resolve(unixsocket));
          } catch { /* already gone */ }
        }
      },
      info: (section: string) => (section === 'server' ? { tcp_port: listeners[0]?.port ?? cfg.num('port') } : undefined),
    };
  },
});

function describe(e: { code?: string; message?: string }): string {
  if (e.code === 'EADDRINUSE') return 'Address already in use';
  if (e.code === 'EADDRNOTAVAIL') return 'Cannot assign requested address';
  if (e.code === 'EACCES') return 'Permission denied';
  return e.message ?? String(e);
}
