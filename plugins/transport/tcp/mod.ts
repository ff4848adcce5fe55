// The tcp transport: RESP over TCP (`bind`, `port`, `tcp-backlog`, `tcp-keepalive`) and over a
// unix socket (`unixsocket`, `unixsocketperm`). The socket code is per runtime (node:net,
// Bun.listen, Deno.listen): each runtime's own API is the fastest there (DESIGN.md). This file
// holds what is the same everywhere, following Redis's listenToPort (src/server.c):
// - each `bind` address is bound in order; '*' is every IPv4 address, '::*' every IPv6 one, and
//   an IPv6 listener is IPv6-only, so both can be bound on one port;
// - an address with a '-' prefix is optional: "address not available" skips it, and so does a
//   missing address family (no IPv6) for any address; every failure is logged;
// - any other failure closes what was opened: at start-up echokv exits, for CONFIG SET port/bind
//   the previous listeners come back and the command fails with Redis's error text.
import * as v from 'valibot';
import { strToUtf8 } from '../../../core/bytes.ts';
import { definePlugin } from '../../../core/plugin.ts';
import type { Server } from '../../../core/server.ts';
import {
  type Adapter, describeErrno, type ListenError, type ListenSpec, type Listener,
} from './_types.ts';

declare const Bun: unknown;
declare const Deno: unknown;

/** The runtime's own socket API (the others' modules are never loaded). */
async function loadAdapter(): Promise<Adapter> {
  if (typeof Bun !== 'undefined') return (await import('./bun.ts')).adapter;
  if (typeof Deno !== 'undefined') return (await import('./deno.ts')).adapter;
  return (await import('./node.ts')).adapter;
}

interface Target {
  /** The address as `bind` names it, without the '-' (Redis logs it so). */
  label: string;
  host: string;
  optional: boolean;
  ipv6Only: boolean;
}

/** Errors that mean "this kind of address does not exist here", skipped for any address. */
const FAMILY_ERRORS = new Set(['EAFNOSUPPORT', 'EPROTONOSUPPORT', 'ESOCKTNOSUPPORT', 'EPFNOSUPPORT', 'ENOPROTOOPT']);

function bindTargets(bind: readonly string[]): Target[] {
  return bind.map((b) => {
    const optional = b.startsWith('-');
    const label = optional ? b.slice(1) : b;
    const host = label === '*' ? '0.0.0.0' : label === '::*' ? '::' : label;
    return { label, host, optional, ipv6Only: host.indexOf(':') >= 0 };
  });
}

interface Failure {
  target: Target;
  error: ListenError;
}

/** A TCP listener and what it was opened for, so a rebind can keep it. */
interface Bound {
  key: string;
  listener: Listener;
}

interface Opened {
  /** The listeners for the whole bind list, kept ones included. */
  bound: Bound[];
  failures: Failure[];
  /** False when a failure was fatal; then what this call opened is closed again. */
  ok: boolean;
}

const keyOf = (host: string, port: number, ipv6Only: boolean): string => `${host} ${port} ${ipv6Only}`;

export const tcp = definePlugin({
  name: 'tcp',
  kind: 'transport',
  options: v.object({
    /** Embedded servers and tests: `port 0` picks a free port instead of disabling TCP. */
    anyPort: v.optional(v.boolean(), false),
  }),
  async setup(server: Server, options: { anyPort: boolean }) {
    const adapter = await loadAdapter();
    const cfg = server.config;
    const log = server.log;
    /** The TCP listeners, and the port and bind list they were opened for. */
    let tcpBound: Bound[] = [];
    let tcpPort = 0;
    let tcpBind: readonly string[] = [];
    let unixListener: Listener | null = null;
    /** Host names resolved at start-up, for adapters that cannot resolve synchronously. */
    const nameCache = new Map<string, string>();

    const spec = (host: string, port: number, unix: boolean, ipv6Only: boolean): ListenSpec => ({
      host, port, unix, ipv6Only, backlog: cfg.num('tcp-backlog'), keepAliveSec: cfg.num('tcp-keepalive'),
    });

    /**
     * Binds every `bind` address on `port`, synchronously (see the top of the file). A listener
     * in `keep` for the same address is taken over instead of binding again (and removed from it).
     */
    const openAll = (port: number, bind: readonly string[], keep: Map<string, Bound>): Opened => {
      const targets = bindTargets(bind);
      // Where IPv6 listeners cannot be IPv6-only (Deno), '*' plus '::*' is one listener on '::',
      // which takes IPv4 too; it goes first, and '*' is bound alone only if that fails.
      let dual: Target | null = null;
      if (!adapter.v6Only) {
        const v4 = targets.find((t) => t.host === '0.0.0.0');
        const v6 = targets.find((t) => t.host === '::');
        if (v4 !== undefined && v6 !== undefined) {
          dual = v4;
          targets.splice(targets.indexOf(v6), 1);
          targets.unshift({ ...v6, ipv6Only: false });
        }
      }
      const out: Opened = { bound: [], failures: [], ok: true };
      const opened: Bound[] = [];
      const taken: Bound[] = [];
      let dualBound = false;
      for (const t of targets) {
        if (t === dual && dualBound) continue;
        const key = keyOf(t.host, port, t.ipv6Only);
        const old = keep.get(key);
        if (old !== undefined) {
          keep.delete(key);
          taken.push(old);
          out.bound.push(old);
        } else {
          try {
            const host = nameCache.get(t.host) ?? (isIp(t.host) ? t.host : hostsFileAddress(t.host) ?? t.host);
            const listener = adapter.listen(server, spec(host, port, false, t.ipv6Only));
            const b = { key: keyOf(t.host, listener.port, t.ipv6Only), listener };
            opened.push(b);
            out.bound.push(b);
          } catch (e) {
            const error = e as ListenError;
            out.failures.push({ target: t, error });
            if ((t.optional && error.code === 'EADDRNOTAVAIL') || FAMILY_ERRORS.has(error.code ?? '')) continue;
            for (const b of opened) b.listener.close();
            for (const b of taken) keep.set(b.key, b);
            out.bound = [];
            out.ok = false;
            break;
          }
        }
        if (t.host === '::' && dual !== null) dualBound = true;
      }
      return out;
    };

    /**
     * A name's IPv4 address from /etc/hosts, which getaddrinfo reads before asking DNS: CONFIG SET
     * bind must bind at once, and no runtime here resolves names synchronously (names in the
     * start-up configuration are resolved in listen()).
     */
    const hostsFileAddress = (name: string): string | undefined => {
      if (adapter.resolvesNames) return undefined;
      let text: string;
      try {
        text = server.host.readText('/etc/hosts');
      } catch {
        return undefined;
      }
      for (const line of text.split('\n')) {
        const [addr, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
        if (addr !== undefined && !addr.includes(':') && isIp(addr) && names.some((n) => n.toLowerCase() === name.toLowerCase())) return addr;
      }
      return undefined;
    };

    const warn = (f: Failure, port: number, code: string | undefined): void => {
      log.warning(`Warning: Could not create server TCP listening socket ${f.target.label}:${port}: bind: ${describeErrno(code, f.error.message)}`);
    };

    const refuse = (what: 'port' | 'bind'): string => {
      if (what === 'bind') log.warning('Failed to bind');
      log.warning(`Failed applying new configuration. Possibly related to new ${what} setting. Restoring previous settings.`);
      return what === 'port' ? 'Unable to listen on this port. Check server logs.' : 'Failed to bind to specified addresses.';
    };

    const commit = (r: Opened, port: number, bind: readonly string[]): void => {
      tcpBound = r.bound;
      tcpPort = port;
      tcpBind = bind;
    };

    /**
     * CONFIG SET port / bind. Redis closes every listener, binds the new set, and when that
     * fails binds the old set again and refuses the change; connected clients stay. Here the new
     * set is bound first, keeping the listeners whose address does not change, and the old ones
     * are closed after: the same outcome without a moment of not listening. Only when an address
     * is taken by one of our own listeners (a wildcard that becomes a specific address on the
     * same port, say) does it fall back to Redis's order, and where closing frees an address
     * only after this task (Deno) that fallback completes after the reply.
     */
    const rebind = (port: number, bind: readonly string[], what: 'port' | 'bind'): string | void => {
      if (port === 0) {
        for (const b of tcpBound) b.listener.close();
        commit({ bound: [], failures: [], ok: true }, 0, bind);
        return;
      }
      const keep = new Map(tcpBound.map((b) => [b.key, b]));
      const r = openAll(port, bind, keep);
      if (r.ok) {
        for (const f of r.failures) warn(f, port, f.error.code);
        for (const b of keep.values()) b.listener.close();
        commit(r, port, bind);
        return;
      }
      const last = r.failures[r.failures.length - 1];
      const ours = last.error.code === 'EADDRINUSE' && tcpPort === port && tcpBound.length > 0;
      if (!ours) {
        for (const f of r.failures) warn(f, port, f.error.code);
        return refuse(what);
      }
      for (const b of tcpBound) b.listener.close();
      const oldPort = tcpPort;
      const oldBind = tcpBind;
      const retry = (): string | void => {
        const again = openAll(port, bind, new Map());
        for (const f of again.failures) warn(f, port, f.error.code);
        if (again.ok) {
          commit(again, port, bind);
          return;
        }
        const back = openAll(oldPort, oldBind, new Map());
        for (const f of back.failures) warn(f, oldPort, f.error.code);
        commit(back, oldPort, oldBind);
        return refuse(what);
      };
      if (!adapter.closeFreesLater) return retry();
      const freed = tcpBound.map((b) => b.listener.freed);
      tcpBound = [];
      void Promise.all(freed).then(() => {
        if (retry() !== undefined) log.warning(`CONFIG SET ${what} could not be applied after its reply; still listening as before`);
      });
    };

    cfg.onChange('port', (value) => {
      const port = value as number;
      if (port === tcpPort) return;
      return rebind(port, cfg.get<string[]>('bind'), 'port');
    });
    // With anyPort, `port 0` at start-up picked a port: a new bind list keeps it.
    cfg.onChange('bind', (value) => {
      const port = cfg.num('port') === 0 && options.anyPort ? tcpPort : cfg.num('port');
      return rebind(port, value as string[], 'bind');
    });

    return {
      async listen() {
        const port = cfg.num('port');
        const bind = cfg.get<string[]>('bind');
        if (port !== 0 || options.anyPort) {
          if (!adapter.resolvesNames && adapter.lookup) {
            for (const t of bindTargets(bind)) {
              if (!isIp(t.host) && !nameCache.has(t.host)) {
                try {
                  nameCache.set(t.host, await adapter.lookup(t.host));
                } catch { /* the bind below reports it */ }
              }
            }
          }
          const r = openAll(port, bind, new Map());
          for (const f of r.failures) {
            // node:net reports the exact error a tick after the failure.
            const exact = f.error.exact ? await f.error.exact : f.error;
            warn(f, port, exact.code ?? f.error.code);
          }
          if (!r.ok) throw new Error(`Failed listening on port ${port} (TCP), aborting.`);
          commit(r, r.bound[0]?.listener.port ?? port, bind);
        }
        // Config values are byte strings (UTF-8 bytes); the path goes to the runtime as text.
        const unixsocket = strToUtf8(cfg.str('unixsocket'));
        if (unixsocket !== '') {
          try {
            // A socket file left by a previous run would make the bind fail (Redis unlinks too).
            if (server.host.exists(unixsocket)) server.host.remove(unixsocket);
            unixListener = adapter.listen(server, spec(unixsocket, 0, true, false));
            const perm = cfg.num('unixsocketperm');
            if (perm !== 0) server.host.chmod(unixsocket, perm);
          } catch (e) {
            let err = e as ListenError;
            if (err.exact) err = (await err.exact) as ListenError;
            for (const b of tcpBound) b.listener.close();
            tcpBound = [];
            throw new Error(`Failed opening Unix socket: bind: ${describeErrno(err.code, err.message)}`);
          }
          log.notice(`The server is now ready to accept connections at ${unixsocket}`);
        }
      },
      addresses: () => [...tcpBound.map((b) => b.listener), ...(unixListener ? [unixListener] : [])].map((l) => l.address),
      close() {
        for (const b of tcpBound) b.listener.close();
        tcpBound = [];
        if (unixListener !== null) {
          unixListener.close();
          unixListener = null;
          try {
            server.host.remove(strToUtf8(cfg.str('unixsocket')));
          } catch { /* already gone */ }
        }
      },
      info: (section: string) => (section === 'server' ? { tcp_port: tcpPort } : undefined),
    };
  },
});

/** An IPv4 or IPv6 literal (names are resolved first where the adapter cannot do it). */
function isIp(host: string): boolean {
  if (host.indexOf(':') >= 0) return true;
  const parts = host.split('.');
  return parts.length === 4 && parts.every((p) => p !== '' && p.length <= 3 && !Number.isNaN(Number(p)));
}
