// Server configuration commands: https://redis.io/commands/?group=server (CONFIG GET, CONFIG SET,
// CONFIG RESETSTAT, CONFIG REWRITE, CONFIG HELP). The directives themselves live in core/config/.
import type { CommandSpec } from '../command.ts';
import type { Client } from '../client.ts';
import type { Server } from '../server.ts';
import { allowProtectedAction } from '../config/mod.ts';
import { describeFsError } from '../config/parse.ts';
import { DIRECTIVE_BY_NAME } from '../config/schema.ts';
import { Refusal } from '../config/types.ts';
import { strToUtf8, utf8ToStr } from '../bytes.ts';
import { configRewriteFailed, ERR } from '../errors.ts';

const ADMIN = ['admin', 'noscript', 'loading', 'stale'] as const;

export const commands: CommandSpec[] = [
  {
    name: 'config', arity: -2, flags: [], categories: [],
    summary: 'A container for server configuration commands', since: '2.0.0', group: 'server',
    complexity: 'Depends on subcommand.',
    subcommands: [
      {
        name: 'get', arity: -3, flags: ADMIN, categories: [],
        history: [['7.0.0', 'Added the ability to pass multiple pattern parameters in one call']],
        summary: 'Get the values of configuration parameters', since: '2.0.0', group: 'server',
        complexity: 'O(N) when N is the number of configuration parameters provided',
        args: '{parameter} [{parameter} ...]', handler: configGet,
      },
      {
        name: 'help', arity: 2, flags: ['loading', 'stale'], categories: [],
        summary: 'Show helpful text about the different subcommands', since: '5.0.0', group: 'server',
        complexity: 'O(1)', handler: configHelp,
      },
      {
        name: 'resetstat', arity: 2, flags: ADMIN, categories: [],
        summary: 'Reset the stats returned by INFO', since: '2.0.0', group: 'server', complexity: 'O(1)',
        handler: configResetstat,
      },
      {
        name: 'rewrite', arity: 2, flags: ADMIN, categories: [],
        summary: 'Rewrite the configuration file with the in memory configuration', since: '2.8.0',
        group: 'server', complexity: 'O(1)', handler: configRewrite,
      },
      {
        name: 'set', arity: -4, flags: ADMIN, categories: [],
        history: [['7.0.0', 'Added the ability to set multiple parameters in one call.']],
        summary: 'Set configuration parameters to the given values', since: '2.0.0', group: 'server',
        complexity: 'O(N) when N is the number of configuration parameters provided',
        args: 'parameter value [parameter value ...]',
        tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'], handler: configSet,
      },
    ],
  },
];

// CONFIG GET
function configGet(c: Client, argv: string[]): void {
  const server = c.server;
  const found = server.config.matching(argv.slice(2));
  c.out.map(found.length);
  for (const [name, dir] of found) {
    c.out.bulk(name);
    // Redis prints its working directory; echokv's `dir` is a path resolved the same way.
    c.out.bulk(dir.name === 'dir' ? utf8ToStr(server.dir) : server.config.formatted(dir.name));
  }
}

// CONFIG HELP
const HELP = [
  'CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GET <pattern>',
  '    Return parameters matching the glob-like <pattern> and their values.',
  'SET <directive> <value>',
  '    Set the configuration <directive> to <value>.',
  'RESETSTAT',
  '    Reset statistics reported by the INFO command.',
  'REWRITE',
  '    Rewrite the configuration file.',
  'HELP',
  '    Prints this help.',
];

function configHelp(c: Client): void {
  c.out.help(HELP);
}

// CONFIG RESETSTAT
function configResetstat(c: Client): void {
  c.server.resetStats();
  c.out.ok();
}

// CONFIG REWRITE
function configRewrite(c: Client): void {
  const server = c.server;
  if (server.config.file === '') {
    server.replyError(c, ERR.noConfigFile);
    return;
  }
  const why = rewriteConfigFile(server, false);
  if (why !== null) {
    server.log.warning(`CONFIG REWRITE failed: ${why}`);
    server.replyError(c, configRewriteFailed(utf8ToStr(why)));
    return;
  }
  server.log.warning('CONFIG REWRITE executed with success.');
  c.out.ok();
}

/**
 * Rewrites the config file with the current values (Redis's rewriteConfig); `forceAll` writes
 * every directive, defaults too. Null on success, else why it failed (a byte string).
 */
export function rewriteConfigFile(server: Server, forceAll: boolean): string | null {
  const file = server.config.file;
  let old = '';
  try {
    old = server.host.readText(file);
  } catch (e) {
    // A missing file is written from scratch, as Redis does.
    if ((e as { code?: string }).code !== 'ENOENT') return describeFsError(e);
  }
  const text = server.config.rewrite(utf8ToStr(old), { dir: utf8ToStr(server.dir) }, forceAll);
  try {
    server.host.writeText(file, strToUtf8(text));
  } catch (e) {
    return describeFsError(e);
  }
  return null;
}

// CONFIG SET
function configSet(c: Client, argv: string[]): void {
  const server = c.server;
  if (argv.length % 2 !== 0) {
    server.replyError(c, ERR.syntax);
    return;
  }
  const pairs: [string, string][] = [];
  for (let i = 2; i < argv.length; i += 2) pairs.push([argv[i], argv[i + 1]]);
  // Passwords never reach the slowlog: Redis redacts them in the command's arguments, which the
  // slowlog records after the handler (the values were copied into `pairs` above).
  for (let i = 2; i < argv.length; i += 2) {
    if (DIRECTIVE_BY_NAME.get(argv[i].toLowerCase())?.sensitive) argv[i + 1] = '(redacted)';
  }
  const local = c.local;
  const err = server.config.setMany(pairs, {
    allowProtected: allowProtectedAction(server.config.str('enable-protected-configs'), local),
    loading: server.loading,
    prepare: (dir, raw) => {
      if (dir.name !== 'dir') return raw;
      // Redis chdir()s, so a relative path is relative to the current `dir`.
      const path = server.host.resolve(server.dir, strToUtf8(raw));
      if (!server.host.exists(path)) return new Refusal('No such file or directory');
      try {
        server.host.readText(path);
        return new Refusal('Not a directory');
      } catch (e) {
        if ((e as { code?: string }).code !== 'EISDIR') return new Refusal(describeFsError(e));
      }
      return utf8ToStr(path);
    },
  });
  if (err !== null) {
    server.replyError(c, err);
    return;
  }
  c.out.ok();
}

/** A client on this machine (Redis's islocalClient: loopback or a unix socket). */
