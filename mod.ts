// echokv's public API: createServer() for embedding, definePlugin() and the plugin and command
// types for extending, and main() for the command line (`deno run -A mod.ts`, `bun mod.ts`).

import { Config } from './core/config/mod.ts';
import { loadConfig, runCli } from './core/cli.ts';
import { parseConfigText, quoteArg } from './core/config/parse.ts';
import type { Host } from './core/host.ts';
import type { Plugin } from './core/plugin.ts';
import { Server } from './core/server.ts';
import { createHost, installFastLatin1 } from './plugins/host/node.ts';
import { tcp } from './plugins/transport/tcp/mod.ts';
import { none } from './plugins/persistence/none/mod.ts';
import { aof } from './plugins/persistence/aof/mod.ts';
import { rdb } from './plugins/persistence/rdb/mod.ts';

export { definePlugin, HOOKS } from './core/plugin.ts';
export type { HookName, Plugin, PluginInstance, PluginKind } from './core/plugin.ts';
export type { CommandSpec, CommandFlag, AclCategory, Handler } from './core/command.ts';
export type { Client, Connection } from './core/client.ts';
export type { Host } from './core/host.ts';
export { Config } from './core/config/mod.ts';
export { Server, VERSION, REDIS_VERSION } from './core/server.ts';

/** The plugins that ship with echokv, by name. */
export const BUILTIN_PLUGINS: readonly Plugin<any>[] = [tcp, none, aof, rdb];
export { aof, none, rdb, tcp };

export interface CreateServerOptions {
  /** redis.conf text, or directives as name -> value(s). */
  config?: string | Record<string, string | number | readonly string[]>;
  /** Plugins to use instead of those the config names. */
  plugins?: readonly Plugin<any>[];
  pluginOptions?: Record<string, unknown>;
  host?: Host;
  clock?: () => number;
}

/** A server, configured but not started: `await server.start()`, `await server.shutdown()`. */
export function createServer(options: CreateServerOptions = {}): Server {
  const host = options.host ?? createHost([]);
  installFastLatin1();
  let text = '';
  if (typeof options.config === 'string') text = options.config;
  else if (options.config) {
    text = Object.entries(options.config)
      .map(([k, v]) => `${k} ${(Array.isArray(v) ? v : [String(v)]).map((x) => quoteArg(String(x))).join(' ')}`)
      .join('\n');
  }
  const config = new Config();
  config.load(parseConfigText(text, 'createServer'));
  const plugins = options.plugins ?? BUILTIN_PLUGINS.filter((p) =>
    config.get<string[]>('transport').includes(p.name) || config.get<string[]>('persistence').includes(p.name));
  return new Server({ config, host, plugins, pluginOptions: options.pluginOptions, clock: options.clock });
}

/** Runs echokv as redis-server runs: parses the command line, starts, stops on signals. */
export async function main(args?: readonly string[]): Promise<Server | null> {
  installFastLatin1();
  const host = createHost(args);
  return runCli(host, BUILTIN_PLUGINS);
}

export { loadConfig };

if ((import.meta as { main?: boolean }).main) await main();
