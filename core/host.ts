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
  stdout(text: string): void;
  stderr(text: string): void;
  /** Resident set size and JS heap use, in bytes. */
  memory(): { rss: number; heapUsed: number; heapTotal: number; external: number };
  /** CPU time used by the process, in microseconds. */
  cpu(): { user: number; system: number };
  onSignal(signal: 'SIGTERM' | 'SIGINT' | 'SIGHUP', fn: () => void): void;
  exit(code: number): void;
  /** Monotonic milliseconds with sub-ms precision. */
  now(): number;
}
