// Plugins: plain objects made by definePlugin. Everything that touches the outside world is one:
// transports (sockets), persistence (disks), replication (other servers). The core checks names
// and dependencies when plugins are registered and fails with a clear error, and plugins meet
// only through the fixed hooks below, never by reaching into each other.

import * as v from 'valibot';
import type { Server } from './server.ts';

export type PluginKind = 'transport' | 'persistence' | 'replication' | 'policy';

/**
 * The hooks, a fixed list (not an open event bus):
 * - propagate(dbIndex, argv): a write command ran and changed data; argv is what replicas and the
 *   AOF must apply (Redis's propagate(): rewritten forms such as SET .. PXAT, DEL for expiry).
 * - cron(): once per server tick (hz times a second).
 * - beforeShutdown(save): the server is stopping; `save` says whether data should be saved.
 */
export const HOOKS = ['propagate', 'cron', 'beforeShutdown'] as const;
export type HookName = typeof HOOKS[number];

export interface HookSignatures {
  propagate: (dbIndex: number, argv: readonly string[]) => void;
  cron: () => void;
  beforeShutdown: (save: boolean) => void | Promise<void>;
}

/** What a plugin's setup returns: the parts the server drives. */
/**
 * What a plugin's load() throws once it has logged why start-up cannot go on, as Redis logs its
 * reason and exits: the command line then exits without a line of its own, so the reason stays
 * the last line of the log (tools read it there).
 */
export class StartupAborted extends Error {}

export interface PluginInstance {
  /** Persistence: load the dataset before the server accepts clients. */
  load?(): Promise<void> | void;
  /** Transports: start listening; reject (with the message to log) when it cannot. */
  listen?(): Promise<void>;
  /** Transports: the addresses listened on, for logs and INFO. */
  addresses?(): string[];
  /** Extra INFO fields for a section (persistence, replication ...). */
  info?(section: string): Record<string, string | number> | undefined;
  /**
   * The AOF: BGREWRITEAOF (core/commands/aof.ts). `inExec` asks to schedule rather than start.
   * Returns the status reply, or the error reply.
   */
  rewriteAof?(opts: { inExec: boolean }): { status: string } | { error: string };
  /**
   * The AOF: DEBUG LOADAOF. Writes what is buffered, empties the databases and loads the files
   * back, synchronously. Returns null, or the error reply.
   */
  loadAof?(): string | null;
  /** Stops the plugin: close sockets, flush files. */
  close?(): Promise<void> | void;
  /**
   * The process exits now, without a clean shutdown (a second SIGINT): remove what only a clean
   * one would have (a save's temp file). Synchronous: nothing runs after it.
   */
  abandon?(): void;
}

export interface Plugin<O = unknown> {
  name: string;
  kind: PluginKind;
  /** Names of plugins that must be registered too. */
  dependencies?: readonly string[];
  /** Validates the options the plugin is given; the parsed output is passed to setup. */
  options?: v.GenericSchema<unknown, O>;
  setup(server: Server, options: O): PluginInstance | Promise<PluginInstance>;
}

export function definePlugin<O>(plugin: Plugin<O>): Plugin<O> {
  if (!plugin.name || !/^[a-z][a-z0-9-]*$/.test(plugin.name)) {
    throw new Error(`Invalid plugin name: ${JSON.stringify(plugin.name)}`);
  }
  return plugin;
}

/** Checks a set of plugins before any of them is set up: unique names, dependencies present. */
export function checkPlugins(plugins: readonly Plugin<unknown>[]): void {
  const names = new Set<string>();
  for (const p of plugins) {
    if (names.has(p.name)) throw new Error(`Plugin registered twice: ${p.name}`);
    names.add(p.name);
  }
  for (const p of plugins) {
    for (const dep of p.dependencies ?? []) {
      if (!names.has(dep)) throw new Error(`Plugin ${p.name} depends on ${dep}, which is not registered`);
    }
  }
  // rdb and aof run side by side as Redis's snapshots and AOF do; `none` means neither.
  const persistence = plugins.filter((p) => p.kind === 'persistence');
  if (persistence.length > 1 && persistence.some((p) => p.name === 'none')) {
    throw new Error(`Persistence plugin none cannot run with others, got: ${persistence.map((p) => p.name).join(', ')}`);
  }
}

/** Parses a plugin's options with its schema, naming the plugin in the error. */
export function pluginOptions<O>(plugin: Plugin<O>, raw: unknown): O {
  if (!plugin.options) return raw as O;
  const r = v.safeParse(plugin.options, raw ?? {});
  if (!r.success) throw new Error(`Invalid options for plugin ${plugin.name}: ${r.issues[0].message}`);
  return r.output;
}
