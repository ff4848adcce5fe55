// Helpers for the AOF tests: echokv in-process with the aof plugin on a data directory (with an
// optional host wrapper, to inject disk failures and slow fsyncs), the files of an AOF
// directory, and a dump of a dataset to compare two servers or two moments.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from '../mod.ts';
import { createHost } from '../plugins/host/node.ts';
import type { Host } from '../core/host.ts';
import type { Server } from '../core/server.ts';
import { RespClient } from './_helpers.ts';

export interface AofServer {
  port: number;
  server: Server;
  /** Everything the server logged. */
  logs(): string;
  /** Shuts down without saving (the AOF is still flushed and fsynced, as Redis does). */
  stop(): Promise<void>;
}

/**
 * Starts echokv with appendonly yes on `dir` (dir, appendonly and save "" can be overridden by
 * `config`). `wrap` may replace host functions. Rejects with the logs when start-up fails.
 */
export async function startAof(
  dir: string,
  config: Record<string, string | number> = {},
  wrap: (h: Host) => Partial<Host> = () => ({}),
  clock?: () => number,
): Promise<AofServer> {
  let log = '';
  const base = { ...createHost([]), stdout: (t: string) => void (log += t) };
  const host: Host = { ...base, ...wrap(base) };
  const server = createServer({
    config: {
      port: 0, bind: '127.0.0.1', dir, persistence: 'aof', appendonly: 'yes', save: '', 'enable-debug-command': 'yes', ...config,
    },
    pluginOptions: { tcp: { anyPort: true } },
    host,
    clock,
  });
  try {
    await server.start();
  } catch (e) {
    throw new Error(`${(e as Error).message}\n--- log ---\n${log}`);
  }
  const addr = server.instances.get('tcp')?.addresses?.()[0] ?? '';
  const s: AofServer = {
    port: Number(addr.slice(addr.lastIndexOf(':') + 1)),
    server,
    logs: () => log,
    stop: async () => {
      running.delete(s);
      await server.shutdown({ save: false, force: true });
    },
  };
  running.add(s);
  return s;
}

const running = new Set<AofServer>();

/** Stops every server a failed test left running (call from a suite's after hook). */
export async function stopAll(): Promise<void> {
  for (const s of [...running]) await s.stop();
}

/** Starting must fail: returns the error message and the logs. */
export async function startAofFails(dir: string, config: Record<string, string | number> = {}): Promise<string> {
  try {
    const s = await startAof(dir, config);
    await s.stop();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('echokv started, but it should have refused to');
}

/** The AOF directory's files, name -> bytes as a latin1 string. */
export function aofFiles(dir: string, sub = 'appendonlydir'): Map<string, string> {
  const out = new Map<string, string>();
  for (const n of readdirSync(join(dir, sub)).sort()) out.set(n, readFileSync(join(dir, sub, n), 'latin1'));
  return out;
}

export function manifestOf(dir: string, sub = 'appendonlydir', name = 'appendonly.aof.manifest'): string {
  return readFileSync(join(dir, sub, name), 'latin1');
}

/** RESP bytes of commands, as an AOF holds them. */
export function resp(...cmds: string[][]): string {
  let out = '';
  for (const c of cmds) {
    out += `*${c.length}\r\n`;
    for (const a of c) out += `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`;
  }
  return out;
}

/** Sends commands in one write and returns their replies in order. */
export async function pipeline(c: RespClient, cmds: (string | number)[][]): Promise<unknown[]> {
  const out: unknown[] = [];
  for (let i = 0; i < cmds.length; i += 1000) {
    const batch = cmds.slice(i, i + 1000);
    c.write(batch.map((cmd) => `*${cmd.length}\r\n` + cmd.map((a) => `$${Buffer.byteLength(String(a), 'latin1')}\r\n${a}\r\n`).join('')).join(''));
    for (let j = 0; j < batch.length; j++) out.push(await c.read());
  }
  return out;
}

/**
 * Every key of databases 0..`dbs`-1 with its type, content and whether it has a TTL, as one
 * sorted text (strings, and the aggregate types through their read commands).
 */
export async function dumpDataset(c: RespClient, dbs = 16): Promise<string> {
  const lines: string[] = [];
  for (let db = 0; db < dbs; db++) {
    await c.call('SELECT', db);
    const keys = ((await c.call('KEYS', '*')) as string[]).sort();
    const types = (await pipeline(c, keys.map((k) => ['TYPE', k]))) as string[];
    const reads = keys.map((k, i) => {
      switch (types[i]) {
        case 'string': return ['GET', k];
        case 'list': return ['LRANGE', k, 0, -1];
        case 'set': return ['SMEMBERS', k];
        case 'zset': return ['ZRANGE', k, 0, -1, 'WITHSCORES'];
        case 'hash': return ['HGETALL', k];
        case 'stream': return ['XRANGE', k, '-', '+'];
        default: return ['TYPE', k];
      }
    });
    const values = await pipeline(c, reads);
    const ttls = (await pipeline(c, keys.map((k) => ['PTTL', k]))) as number[];
    keys.forEach((k, i) => {
      let v = values[i];
      if (types[i] === 'set') v = [...(v as string[])].sort();
      if (types[i] === 'hash') {
        const flat = v as string[];
        const pairs: string[] = [];
        for (let j = 0; j < flat.length; j += 2) pairs.push(`${flat[j]}=${flat[j + 1]}`);
        v = pairs.sort();
      }
      lines.push(`${db} ${JSON.stringify(k)} ${types[i]} ${ttls[i] >= 0 ? 'ttl' : ttls[i]} ${JSON.stringify(v)}`);
    });
  }
  await c.call('SELECT', 0);
  return lines.join('\n');
}

/** Polls `cond` every 20 ms for up to `ms`; false when it never held. */
export async function waitFor(cond: () => boolean | Promise<boolean>, ms = 10000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return await cond();
}

/** An INFO field's value. */
export async function infoField(c: RespClient, name: string, section = 'persistence'): Promise<string | undefined> {
  const text = (await c.call('INFO', section)) as string;
  const m = new RegExp(`^${name}:(.*)\\r?$`, 'm').exec(text);
  return m?.[1]?.trim();
}
