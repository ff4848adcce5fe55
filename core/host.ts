// What the core needs from the runtime (files, process, clocks), as an interface. The adapter
// lives in plugins/host/ (house rule 1: no Deno.*, Bun.* or node:* in the core), so the core can
// run anywhere and tests can hand it a fake.

export type RuntimeName = 'node' | 'deno' | 'bun';

export interface Host {
  runtime: RuntimeName;
  runtimeVersion: string;
  pid: number;
  /** Arguments after the program (and script) name. */
  args: readonly string[];
  /** "Linux 6.1.0-18-amd64 x86_64", as INFO's os field. */
  os: string;
  arch: string;
  /** Path of the running program, for INFO executable. */
  executable: string;
  /**
   * Sets the process title (`ps`, /proc/PID/cmdline) as Redis's setproctitle does; `program`
   * is what its {title} variable names: the script or single executable the server runs as.
   */
  setTitle?(title: string): void;
  program?: string;
  isTTY: boolean;
  cwd(): string;
  chdir(dir: string): void;
  resolve(...parts: string[]): string;
  readText(path: string): string;
  writeText(path: string, text: string): void;
  appendText(path: string, text: string): void;
  remove(path: string): void;
  exists(path: string): boolean;
  mkdirp(path: string): void;
  chmod(path: string, mode: number): void;
  // Binary files for persistence (paths are text; errors are thrown with Node's `code`: ENOSPC,
  // ENOENT ...). The *Async forms run off the event loop (a thread pool), so a slow disk cannot
  // stall clients; the others are synchronous.
  /** Opens a file: 'append' creates it and writes at its end, 'write' creates or truncates it. */
  openFile(path: string, mode: 'read' | 'append' | 'write'): number;
  closeFile(fd: number): void;
  /** Writes all of `bytes` (looping on short writes); on an error some prefix may be written. */
  writeFileSync(fd: number, bytes: Uint8Array): void;
  writeFileAsync(fd: number, bytes: Uint8Array): Promise<void>;
  /** Reads up to `into.length` bytes at `position`; returns how many (0 at the end). */
  readFileAt(fd: number, into: Uint8Array, position: number): number;
  /** Makes a file's data durable (fdatasync where there is one: data and size, as Redis). */
  fsyncSync(fd: number): void;
  fsyncAsync(fd: number): Promise<void>;
  /** Makes a rename or a new file in `dir` durable (fsync of the directory). */
  fsyncDir(dir: string): void;
  rename(from: string, to: string): void;
  /** Size in bytes, or -1 when the path does not exist. */
  fileSize(path: string): number;
  isDirectory(path: string): boolean;
  truncateFile(path: string, length: number): void;
  listDir(path: string): string[];
  stdout(text: string): void;
  stderr(text: string): void;
  /** Resident set size and JS heap use, in bytes. */
  memory(): { rss: number; heapUsed: number; heapTotal: number; external: number };
  /**
   * The JS heap in use plus memory held outside it, right after a full garbage collection; null
   * (or absent) where the runtime cannot be asked for one. The CLI measures the server's own
   * start-up allocations with it (INFO used_memory_startup).
   */
  settledHeap?(): number | null;
  /**
   * A young-generation collection, which the server runs once it has been idle a while after
   * commands: V8 shrinks its young generation only at a collection that finds the allocation
   * rate low, and an idle process collects nothing, so the semispaces a burst of commands grew
   * (8 MB after a million-element load, up to 32 MB) would stay resident for good. Absent where
   * the runtime has no such thing (Bun); called only when the CLI runs the server.
   */
  trimYoungGeneration?(): void;
  /**
   * Keeps the young generation from growing while `hold` is true. V8 grows it once the bytes that
   * survived its collections add up to its size, and start-up (the command table, the config, the
   * full collections of settledHeap, which promote everything young) adds up to that several
   * times over: the server then met its first client with 4 MB semispaces, which a first burst
   * of commands made resident (5 MB more than an idle server), against 1 MB held through
   * start-up. Called only by the CLI, around start-up; absent where the runtime has no such thing.
   */
  holdYoungGeneration?(hold: boolean): void;
  /**
   * The process's limit on open descriptors (RLIMIT_NOFILE's soft limit), or null (or absent)
   * where it cannot be read or is unlimited: maxclients must fit under it (Redis's
   * adjustOpenFilesLimit).
   */
  maxOpenFiles?(): number | null;
  /** CPU time used by the process, in microseconds. */
  cpu(): { user: number; system: number };
  onSignal(signal: 'SIGTERM' | 'SIGINT' | 'SIGHUP', fn: () => void): void;
  /**
   * Calls `fn` when the process is about to die of SIGABRT sent to it or of an error nothing
   * caught (core/crash.ts writes the report); the host then ends it as the runtime would have.
   */
  onCrash?(fn: (cause: CrashCause) => void): void;
  /** Ends the process by `signal`'s default action (DEBUG SEGFAULT). */
  raise?(signal: 'SIGSEGV'): void;
  exit(code: number): void;
  /** Monotonic milliseconds with sub-ms precision. */
  now(): number;
  /**
   * Wall-clock milliseconds with sub-ms precision, kept within a millisecond of Date.now():
   * TIME, MONITOR and INFO print microseconds, as Redis's gettimeofday() gives them.
   */
  wallClock?(): number;
  /** The SHA-1 of `data` (20 bytes): DEBUG DIGEST mixes values with it, as Redis does. */
  sha1(data: Uint8Array): Uint8Array;
  /**
   * Runs `fn` once the I/O that is ready now has been handled: at the end of this event-loop turn
   * (setImmediate), the point where Redis's beforeSleep writes every client's replies.
   */
  defer(fn: () => void): void;
}

/** What killed the server (core/crash.ts). */
export type CrashCause =
  | { signal: string; number: number; code: number; address?: string }
  | { error: unknown };
