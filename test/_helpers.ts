// Test helpers: echokv in-process on a free port, echokv and redis-server as child processes, and
// a raw RESP client that returns each reply's exact bytes and its decoded value.

import * as net from 'node:net';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from '../mod.ts';
import { quoteArg } from '../core/config/parse.ts';
import { createHost } from '../plugins/host/node.ts';
import type { Server } from '../core/server.ts';
import { decodeReply, encodeCommand, plain, type Reply } from './_resp.ts';

export const ROOT = new URL('..', import.meta.url).pathname;

/** The built bundle, and the runtimes that run it: Deno and Bun from node_modules (npm ci). */
export const BUNDLE = join(ROOT, 'dist', 'echokv.mjs');
export const DENO = join(ROOT, 'node_modules', '.bin', 'deno');
export const BUN = join(ROOT, 'node_modules', '.bin', 'bun');
/** Node, also when the tests themselves run under deno or bun (as npm start runs the bundle): the node on the PATH. */
export const NODE = process.versions.bun || process.versions.deno
  ? spawnSync('node', ['-p', 'process.execPath'], { encoding: 'utf8' }).stdout.trim()
  : process.execPath;

export interface Raw {
  reply: Reply;
  /** The reply's exact bytes as a byte string. */
  bytes: string;
}

/** A RESP client over a real socket that hands back raw replies. */
export class RespClient {
  readonly socket: net.Socket;
  private buf = new Uint8Array(0);
  private waiters: (() => void)[] = [];
  closed = false;
  readonly done: Promise<void>;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Uint8Array) => {
      const next = new Uint8Array(this.buf.length + chunk.length);
      next.set(this.buf);
      next.set(chunk, this.buf.length);
      this.buf = next;
      this.wake();
    });
    this.done = new Promise((resolve) => {
      socket.on('close', () => {
        this.closed = true;
        this.wake();
        resolve();
      });
    });
    socket.on('error', () => {});
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RespClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ port, host }, () => resolve(new RespClient(s)));
      s.once('error', reject);
    });
  }

  static connectUnix(path: string): Promise<RespClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ path }, () => resolve(new RespClient(s)));
      s.once('error', reject);
    });
  }

  private wake(): void {
    const w = this.waiters.splice(0);
    for (const f of w) f();
  }

  /** Sends raw bytes (a byte string or bytes). */
  write(data: string | Uint8Array): void {
    if (typeof data === 'string') {
      const b = new Uint8Array(data.length);
      for (let i = 0; i < data.length; i++) b[i] = data.charCodeAt(i) & 0xff;
      data = b;
    }
    this.socket.write(data);
  }

  /** The next reply, raw; rejects after `timeoutMs` or when the connection closes first. */
  async readRaw(timeoutMs = 10000): Promise<Raw> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = decodeReply(this.buf, 0);
      if (r !== null) {
        let bytes = '';
        for (let i = 0; i < r.end; i++) bytes += String.fromCharCode(this.buf[i]);
        this.buf = this.buf.slice(r.end);
        return { reply: r.reply, bytes };
      }
      if (this.closed) throw new Error('Connection closed before a reply');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('Timed out waiting for a reply');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async read(timeoutMs?: number): Promise<unknown> {
    return plain((await this.readRaw(timeoutMs)).reply);
  }

  /** Sends a command and returns its reply, raw. */
  async callRaw(...args: (string | number | Uint8Array)[]): Promise<Raw> {
    this.socket.write(encodeCommand(args));
    return this.readRaw();
  }

  /** Sends a command and returns its reply as plain JS (see plain() in _resp.ts). */
  async call(...args: (string | number | Uint8Array)[]): Promise<unknown> {
    return plain((await this.callRaw(...args)).reply);
  }

  /** Bytes received and not yet consumed as replies. */
  get pendingBytes(): number {
    return this.buf.length;
  }

  /** Waits until the server closes the connection (or the timeout passes); true if closed. */
  async waitClosed(timeoutMs = 5000): Promise<boolean> {
    if (this.closed) return true;
    await Promise.race([this.done, new Promise((r) => setTimeout(r, timeoutMs))]);
    return this.closed;
  }

  close(): void {
    this.socket.destroy();
  }
}

export interface Running {
  port: number;
  server: Server;
  stop(): Promise<void>;
}

/** echokv in this process on a free loopback port. `config` holds redis.conf directives. */
export async function startEchokv(
  config: Record<string, string | number | readonly string[]> = {},
  opts: { clock?: () => number; lines?: readonly (readonly string[])[] } = {},
): Promise<Running> {
  // In memory unless a test asks for persistence: nothing lands in the working directory.
  // DEBUG is enabled as startRedis enables it for redis-server.
  const record = { port: 0, bind: '127.0.0.1', persistence: 'none', 'enable-debug-command': 'yes', ...config };
  // Directives that repeat (rename-command) come as whole lines after the others.
  const text = [
    ...Object.entries(record).map(([k, v]) => [k, ...(Array.isArray(v) ? v : [String(v)])]),
    ...(opts.lines ?? []),
  ].map((l) => l.map((x) => quoteArg(String(x))).join(' ')).join('\n');
  const server = createServer({
    config: text,
    pluginOptions: { tcp: { anyPort: true } },
    clock: opts.clock,
    // Server logs stay out of test output unless ECHOKV_TEST_LOG=1.
    host: process.env.ECHOKV_TEST_LOG === '1' ? undefined : { ...createHost([]), stdout: () => {} },
  });
  await server.start();
  const addr = server.instances.get('tcp')?.addresses?.()[0] ?? '';
  const port = Number(addr.slice(addr.lastIndexOf(':') + 1));
  return {
    port,
    server,
    stop: async () => {
      await server.shutdown({ save: false, force: true });
    },
  };
}

/** A free TCP port on loopback (for servers started as processes). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address() as net.AddressInfo;
      s.close(() => resolve(a.port));
    });
    s.once('error', reject);
  });
}

export interface Proc {
  port: number;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts a server process and waits for "Ready to accept connections". `cmd` and `args` run as
 * given, with `--port <free port>` appended unless `args` already name a port.
 */
export async function startProcess(
  cmd: string,
  args: string[],
  opts: { cwd?: string; timeoutMs?: number; port?: number } = {},
): Promise<Proc> {
  const port = opts.port ?? await freePort();
  const full = args.includes('--port') ? args : [...args, '--port', String(port)];
  // Without a cwd the process runs in a temp dir of its own, so files it saves (dump.rdb at
  // shutdown, by default) never land in the checkout.
  const ownDir = opts.cwd === undefined ? mkdtempSync(join(tmpdir(), 'echokv-proc-')) : null;
  const child = spawn(cmd, full, { cwd: opts.cwd ?? ownDir!, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  // The dir is this process's alone (nothing returns it), so it goes when the process does,
  // also when a test kills the process without stop().
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => {
    if (ownDir !== null) rmSync(ownDir, { recursive: true, force: true });
    resolve(code);
  }));
  const deadline = Date.now() + (opts.timeoutMs ?? 20000);
  while (!out.includes('Ready to accept connections')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${cmd} did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    port,
    child,
    output: () => out,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      const t = setTimeout(() => child.kill('SIGKILL'), 10000);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
  };
}

/** True when a redis-server binary is on the PATH. */
export function haveRedis(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Whether redis-server is here for a compat test; when it is not, says the test is skipped, or
 * under CI=true (where it must be) throws.
 */
export function redisOrSkip(): boolean {
  if (haveRedis()) return true;
  if (process.env.CI === 'true') throw new Error('redis-server is required when CI=true (apt-get install redis-server)');
  console.log('  (skipped: redis-server is not installed, compat tests not run)');
  return false;
}

/**
 * A real redis-server on a free port with persistence off, in a temp dir. Returns null (after
 * printing why) when redis-server is missing; under CI=true that is a failure instead.
 */
export async function startRedis(extra: string[] = []): Promise<(Proc & { dir: string }) | null> {
  if (!redisOrSkip()) return null;
  const dir = mkdtempSync(join(tmpdir(), 'echokv-redis-'));
  const conf = join(dir, 'redis.conf');
  writeFileSync(conf, `dir ${dir}\nsave ""\nappendonly no\nbind 127.0.0.1\nenable-debug-command yes\n`);
  const p = await startProcess('redis-server', [conf, ...extra], { cwd: dir });
  const stop = p.stop;
  return {
    ...p,
    dir,
    stop: async (signal?: NodeJS.Signals) => {
      const code = await stop(signal);
      rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}

export function tempDir(prefix = 'echokv-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Rejects when `p` takes longer than `ms` (a client that never gets ready must not hang a test). */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: ReturnType<typeof setTimeout>;
  return Promise.race([
    p.finally(() => clearTimeout(t)),
    new Promise<T>((_, reject) => {
      t = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    }),
  ]);
}

/** A deterministic PRNG (mulberry32): random test cases reproduce from their seed. */
export function prng(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
