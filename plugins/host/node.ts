// The Host (core/host.ts) on node:* modules. Node runs it natively, and Deno 2 and Bun implement
// these modules, so one adapter serves all three runtimes; only the hot socket path has
// per-runtime code (plugins/transport/tcp/).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import process from 'node:process';
import { setImmediate } from 'node:timers';
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import type { Host, RuntimeName } from '../../core/host.ts';
import { holdYoungGeneration } from './young_generation.ts';
import { useFastLatin1 } from '../../core/bytes.ts';

declare const Deno: { version: { deno: string } } | undefined;
declare const Bun: { version: string } | undefined;

function runtime(): { name: RuntimeName; version: string } {
  if (typeof Deno !== 'undefined') return { name: 'deno', version: Deno.version.deno };
  if (typeof Bun !== 'undefined') return { name: 'bun', version: Bun.version };
  return { name: 'node', version: process.versions.node };
}

// Node defines globalThis.performance as a getter: read per call, it stays a generic global
// load (a LoadGlobalIC call) even in optimized code, and now() runs for every command.
const perf = globalThis.performance;

// The wall clock to the microsecond: the monotonic clock anchored to Date.now(), re-anchored when
// the two part by more than a millisecond (the system clock was set or slewed).
let wallBase = Date.now() - perf.now();
function wallClock(): number {
  const t = wallBase + perf.now();
  const d = Date.now();
  if (t >= d - 1 && t < d + 1) return t;
  wallBase = d - perf.now();
  return d;
}

/** Node's Buffer codec for large byte strings (much faster than a JS loop there). */
export function installFastLatin1(): void {
  const rt = runtime().name;
  // Deno's Buffer latin1 helpers are slow per call; its JS loop path is used instead.
  if (rt === 'deno') return;
  // Buffer's native latin1 helpers work on any Uint8Array; calling them directly skips making
  // a Buffer view per call.
  const slice = Buffer.prototype.latin1Slice as (this: Uint8Array, s: number, e: number) => string;
  const write = Buffer.prototype.latin1Write as (this: Uint8Array, s: string, at: number, n: number) => number;
  useFastLatin1({
    decode: (bytes, start, end) => slice.call(bytes, start, end),
    encodeInto: (s, into, at) => at + write.call(into, s, at, s.length),
  }, 17);
}

/**
 * process.memoryUsage() with heapUsed as Node defines it: the JS heap alone. Bun's heapUsed
 * (JSC's heap size) already counts the memory outside the heap (ArrayBuffers: `external`), so
 * heapUsed + external, what the server adds up, would count every buffer twice there: 4 MB more
 * used_memory_startup than under Node, and a maxmemory that holds a third of the keys.
 */
function memoryUsage(): { rss: number; heapUsed: number; heapTotal: number; external: number } {
  const m = process.memoryUsage();
  const heapUsed = runtime().name === 'bun' ? Math.max(0, m.heapUsed - m.external) : m.heapUsed;
  return { rss: m.rss, heapUsed, heapTotal: m.heapTotal, external: m.external };
}

let forcedGc: (() => void) | null | undefined;
let v8GcFn: ((opts?: { type: 'minor' | 'major' }) => void) | null | undefined;

/** V8's gc() (Node, Deno), or null. It is only behind --expose-gc, which can still be turned on
 * at run time: a context created afterwards gets the function. */
function v8Gc(): ((opts?: { type: 'minor' | 'major' }) => void) | null {
  if (v8GcFn !== undefined) return v8GcFn;
  v8GcFn = null;
  if (runtime().name === 'bun') return null;
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as unknown;
    if (typeof gc === 'function') v8GcFn = gc as (opts?: { type: 'minor' | 'major' }) => void;
  } catch {
    v8GcFn = null;
  }
  return v8GcFn;
}

/**
 * A full garbage collection on demand, or null: V8's gc(), or Bun.gc. It is asked for only by
 * the CLI (never when echokv is embedded in someone else's process).
 */
function fullGc(): (() => void) | null {
  if (forcedGc !== undefined) return forcedGc;
  forcedGc = null;
  if (runtime().name === 'bun') {
    const bun = Bun as unknown as { gc(force: boolean): void };
    forcedGc = () => bun.gc(true);
  } else {
    const gc = v8Gc();
    if (gc !== null) forcedGc = () => gc();
  }
  return forcedGc;
}

/**
 * All of stdin, synchronously (`echokv -`). Reads descriptor 0 itself: opening /dev/stdin fails
 * when stdin is a socket (Node gives children socketpairs), and a non-blocking stdin answers
 * EAGAIN until the writer has written, so that waits a little and tries again.
 */
function readStdin(): string {
  const chunks: Uint8Array[] = [];
  const buf = new Uint8Array(65536);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(0, buf, 0, buf.length, null);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'EAGAIN' || code === 'EWOULDBLOCK') {
        Atomics.wait(pause, 0, 0, 5);
        continue;
      }
      if (code === 'EOF') break;
      throw e;
    }
    if (n === 0) break;
    chunks.push(buf.slice(0, n));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Writes a log line. A reader that went away (`echokv | head -1`) fails the write with EPIPE,
 * which a stream reports as an 'error' event, fatal without a listener; redis-server ignores
 * SIGPIPE and failed log writes and goes on serving, and so does this. One listener per stream,
 * however many hosts are made.
 */
function logWrite(stream: NodeJS.WriteStream, text: string): void {
  if (!quietStreams.has(stream)) {
    quietStreams.add(stream);
    stream.on('error', () => {});
  }
  stream.write(text);
}
const quietStreams = new WeakSet<NodeJS.WriteStream>();

/**
 * The command line as the process was started (Linux's /proc/self/cmdline, read before any title
 * is set): `program` is the script or executable as the user typed it (Redis's exec_argv[0], the
 * proc title's {title}), `room` the bytes a title may take.
 */
function readCommandLine(): { program: string; room: number } {
  let args: string[] = [];
  try {
    args = fs.readFileSync('/proc/self/cmdline', 'latin1').split('\0').slice(0, -1);
  } catch { /* not Linux */ }
  const script = process.argv[1];
  const raw = args[1 + process.execArgv.length];
  const typed = raw === undefined ? undefined : Buffer.from(raw, 'latin1').toString();
  const program = script !== undefined && typed !== undefined && path.resolve(typed) === script ? typed
    : script ?? process.execPath;
  const room = args.length === 0 ? 0 : args.reduce((n, a) => n + a.length + 1, 0) - 1;
  return { program, room };
}
/** Read once, when first asked for (the CLI asks before it sets a title; an embedder never does). */
let startCommand: { program: string; room: number } | null = null;
const commandLine = (): { program: string; room: number } => (startCommand ??= readCommandLine());

export function createHost(args: readonly string[] = process.argv.slice(2)): Host {
  const rt = runtime();
  const cpu0 = { user: 0, system: 0 };
  return {
    runtime: rt.name,
    runtimeVersion: rt.version,
    pid: process.pid,
    args,
    os: `${os.type()} ${os.release()} ${os.machine?.() ?? process.arch}`,
    arch: process.arch,
    executable: process.execPath,
    get program() {
      return commandLine().program;
    },
    setTitle: (title) => {
      // libuv writes the title over the command line's own bytes and, unlike Redis's
      // setproctitle, does not move the environment to make room: a longer title would be cut.
      // Then the command line stays as it was, as with redis-server built without setproctitle
      // (and where the runtime cannot set a title at all).
      if (Buffer.byteLength(title) > commandLine().room) return;
      try {
        process.title = title;
      } catch { /* not settable here */ }
    },
    isTTY: Boolean(process.stdout.isTTY),
    cwd: () => process.cwd(),
    chdir: (dir) => process.chdir(dir),
    resolve: (...parts) => path.resolve(...parts),
    readText: (p) => (p === '/dev/stdin' ? readStdin() : fs.readFileSync(p, 'utf8')),
    writeText: (p, text) => fs.writeFileSync(p, text),
    appendText: (p, text) => fs.appendFileSync(p, text),
    remove: (p) => fs.unlinkSync(p),
    exists: (p) => fs.existsSync(p),
    mkdirp: (p) => void fs.mkdirSync(p, { recursive: true }),
    chmod: (p, mode) => fs.chmodSync(p, mode),
    openFile: (p, mode) => fs.openSync(p, mode === 'read' ? 'r' : mode === 'append' ? 'a' : 'w', 0o644),
    closeFile: (fd) => fs.closeSync(fd),
    writeFileSync: (fd, bytes) => {
      for (let off = 0; off < bytes.length;) off += fs.writeSync(fd, bytes, off, bytes.length - off);
    },
    writeFileAsync: async (fd, bytes) => {
      for (let off = 0; off < bytes.length;) {
        off += await new Promise<number>((resolve, reject) =>
          fs.write(fd, bytes, off, bytes.length - off, null, (e: Error | null, n: number) => (e ? reject(e) : resolve(n))));
      }
    },
    readFileAt: (fd, into, position) => fs.readSync(fd, into, 0, into.length, position),
    // fdatasync, as Redis's redis_fsync on Linux: the data and the size needed to read it back
    // become durable, without a journal commit for timestamps (about half the cost per call).
    fsyncSync: (fd) => fs.fdatasyncSync(fd),
    fsyncAsync: (fd) => new Promise<void>((resolve, reject) => fs.fdatasync(fd, (e: Error | null) => (e ? reject(e) : resolve()))),
    fsyncDir: (dir) => {
      const fd = fs.openSync(dir, 'r');
      try {
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    },
    rename: (from, to) => fs.renameSync(from, to),
    fileSize: (p) => {
      const st = fs.statSync(p, { throwIfNoEntry: false });
      return st === undefined ? -1 : st.size;
    },
    isDirectory: (p) => fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false,
    truncateFile: (p, length) => fs.truncateSync(p, length),
    listDir: (p) => fs.readdirSync(p),
    stdout: (text) => logWrite(process.stdout, text),
    stderr: (text) => logWrite(process.stderr, text),
    memory: memoryUsage,
    trimYoungGeneration: () => {
      // A minor collection: the one at which V8 shrinks the young generation when it finds the
      // allocation rate low (a full one does not).
      v8Gc()?.({ type: 'minor' });
    },
    holdYoungGeneration,
    settledHeap: () => {
      const gc = fullGc();
      if (gc === null) return null;
      // Twice: the first collection's finalizers and weak callbacks may free more.
      gc();
      gc();
      const m = memoryUsage();
      return m.heapUsed + m.external;
    },
    maxOpenFiles: () => {
      // No runtime has getrlimit; Linux shows the limits in /proc. Node (and Bun) raise the
      // soft limit to the hard one as they start, so this is as high as it will go.
      try {
        const line = fs.readFileSync('/proc/self/limits', 'utf8').split('\n').find((l: string) => l.startsWith('Max open files'));
        const soft = line === undefined ? NaN : Number(line.slice('Max open files'.length).trim().split(/\s+/)[0]);
        return Number.isSafeInteger(soft) && soft > 0 ? soft : null;
      } catch {
        return null;
      }
    },
    cpu: () => {
      const u = process.cpuUsage();
      return { user: u.user - cpu0.user, system: u.system - cpu0.system };
    },
    onSignal: (signal, fn) => void process.on(signal, fn),
    onCrash: (fn) => {
      // Deno and Bun run this host too; a runtime that refuses one of these listeners keeps
      // its own behaviour for it.
      const listen = (event: string, handler: (...args: never[]) => void): void => {
        try {
          process.on(event as 'SIGABRT', handler);
        } catch {
          // Not supported here.
        }
      };
      listen('uncaughtException', (e: unknown) => {
        try {
          fn({ error: e });
        } finally {
          // What node does without a listener: the error on stderr, exit code 1.
          process.stderr.write(`${(e as Error)?.stack ?? e}\n`);
          process.exit(1);
        }
      });
      // Only a SIGABRT sent by kill reaches a listener; abort() inside the runtime kills first.
      listen('SIGABRT', () => {
        try {
          fn({ signal: 'SIGABRT', number: 6, code: 0 });
        } finally {
          process.removeAllListeners('SIGABRT');
          process.kill(process.pid, 'SIGABRT');
        }
      });
    },
    raise: (signal) => {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
      // Still here: Deno's Rust runtime catches SIGSEGV and SIGBUS (its stack-overflow guard),
      // and for one that is not its own fault puts the default action back and returns, so the
      // first signal is swallowed. The second dies of it, as the first does under Node and Bun.
      process.kill(process.pid, signal);
    },
    exit: (code) => process.exit(code),
    now: () => perf.now(),
    wallClock,
    sha1: (data) => createHash('sha1').update(data).digest(),
    defer: (fn) => void setImmediate(fn),
  };
}
