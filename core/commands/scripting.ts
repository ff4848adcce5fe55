// Scripting commands: https://redis.io/commands/?group=scripting
//
// echokv has no script engine (no Lua), so EVAL and FCALL are not here. FUNCTION is, because
// tools call it on any server: Redis's own test suite runs FUNCTION FLUSH before every test file
// against an external server, backups take FUNCTION DUMP, and client libraries list functions.
// With no engine registered the set of libraries is always empty, so each subcommand does its
// whole job on that set, as Redis 7.0 does: FLUSH and RESTORE of an empty payload succeed, LIST
// is empty, DUMP is the payload of no libraries, STATS lists no engines, and LOAD or a RESTORE
// that carries a library fails with Redis's error for an engine that is not registered.
import type { CommandSpec } from '../command.ts';
import type { Client } from '../client.ts';
import { subcommandSyntax } from '../errors.ts';
import { splitArgs } from '../resp/parser.ts';
import { strToBytes } from '../bytes.ts';
import { emptyFunctionsPayload, functionsInPayload } from '../../plugins/persistence/rdb/codec.ts';

const ALL_SHARDS = ['request_policy:all_shards', 'response_policy:all_succeeded'];

export const commands: CommandSpec[] = [
  {
    name: 'function', arity: -2, flags: [], categories: [],
    summary: 'A container for function commands', since: '7.0.0', group: 'scripting',
    complexity: 'Depends on subcommand.',
    subcommands: [
      {
        name: 'delete', arity: 3, flags: ['noscript', 'write'], categories: ['scripting'], tips: ALL_SHARDS,
        summary: 'Delete a function by name', since: '7.0.0', group: 'scripting', complexity: 'O(1)',
        args: 'library-name', handler: functionDelete,
      },
      {
        name: 'dump', arity: 2, flags: ['noscript'], categories: ['scripting'],
        summary: 'Dump all functions into a serialized binary payload', since: '7.0.0', group: 'scripting',
        complexity: 'O(N) where N is the number of functions', handler: functionDump,
      },
      {
        name: 'flush', arity: -2, flags: ['noscript', 'write'], categories: ['scripting'], tips: ALL_SHARDS,
        summary: 'Deleting all functions', since: '7.0.0', group: 'scripting',
        complexity: 'O(N) where N is the number of functions deleted', args: 'async=[ASYNC | SYNC]',
        handler: functionFlush,
      },
      {
        name: 'help', arity: 2, flags: ['loading', 'stale'], categories: ['scripting'],
        summary: 'Show helpful text about the different subcommands', since: '7.0.0', group: 'scripting',
        complexity: 'O(1)', handler: (c) => c.out.help(FUNCTION_HELP),
      },
      {
        name: 'kill', arity: 2, flags: ['noscript', 'allow_busy'], categories: ['scripting'],
        tips: ['request_policy:all_shards', 'response_policy:one_succeeded'],
        summary: 'Kill the function currently in execution.', since: '7.0.0', group: 'scripting',
        complexity: 'O(1)', handler: (c) => c.server.replyError(c, 'NOTBUSY No scripts in execution right now.'),
      },
      {
        name: 'list', arity: -2, flags: ['noscript'], categories: ['scripting'], tips: ['nondeterministic_output_order'],
        summary: 'List information about all the functions', since: '7.0.0', group: 'scripting',
        complexity: 'O(N) where N is the number of functions',
        args: '[LIBRARYNAME library-name-pattern] [WITHCODE]', handler: functionList,
      },
      {
        name: 'load', arity: -3, flags: ['noscript', 'write', 'denyoom'], categories: ['scripting'], tips: ALL_SHARDS,
        summary: 'Create a function with the given arguments (name, code, description)', since: '7.0.0',
        group: 'scripting', complexity: 'O(1) (considering compilation time is redundant)',
        args: '[REPLACE] function-code', handler: functionLoad,
      },
      {
        name: 'restore', arity: -3, flags: ['noscript', 'write', 'denyoom'], categories: ['scripting'], tips: ALL_SHARDS,
        summary: 'Restore all the functions on the given payload', since: '7.0.0', group: 'scripting',
        complexity: 'O(N) where N is the number of functions on the payload',
        args: 'serialized-value policy=[FLUSH | APPEND | REPLACE]', handler: functionRestore,
      },
      {
        name: 'stats', arity: 2, flags: ['noscript', 'allow_busy'], categories: ['scripting'],
        tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
        summary: 'Return information about the function currently running (name, description, duration)',
        since: '7.0.0', group: 'scripting', complexity: 'O(1)', handler: functionStats,
      },
    ],
  },
];

const FUNCTION_HELP = [
  'FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'LOAD [REPLACE] <FUNCTION CODE>',
  '    Create a new library with the given library name and code.',
  'DELETE <LIBRARY NAME>',
  '    Delete the given library.',
  'LIST [LIBRARYNAME PATTERN] [WITHCODE]',
  '    Return general information on all the libraries:',
  '    * Library name',
  '    * The engine used to run the Library',
  '    * Library description',
  '    * Functions list',
  '    * Library code (if WITHCODE is given)',
  '    It also possible to get only function that matches a pattern using LIBRARYNAME argument.',
  'STATS',
  '    Return information about the current function running:',
  '    * Function name',
  '    * Command used to run the function',
  '    * Duration in MS that the function is running',
  '    If no function is running, return nil',
  '    In addition, returns a list of available engines.',
  'KILL',
  '    Kill the current running function.',
  'FLUSH [ASYNC|SYNC]',
  '    Delete all the libraries.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the libraries.',
  '    * SYNC: Synchronously flush the libraries.',
  'DUMP',
  '    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command',
  'RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]',
  '    Restore the libraries represented by the given payload, it is possible to give a restore policy to',
  '    control how to handle existing libraries (default APPEND):',
  '    * FLUSH: delete all existing libraries.',
  '    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.',
  '    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old',
  '      libraries with the new libraries (notice that even on this option there is a chance of failure',
  '      in case of functions name collision with another library).',
  'HELP',
  '    Prints this help.',
];

// FUNCTION FLUSH [ASYNC|SYNC]
function functionFlush(c: Client, argv: string[]): void {
  if (argv.length > 3) {
    c.server.replyError(c, subcommandSyntax(argv[1], argv[0]));
    return;
  }
  if (argv.length === 3 && !/^(a?sync)$/i.test(argv[2])) {
    c.server.replyError(c, 'ERR FUNCTION FLUSH only supports SYNC|ASYNC option');
    return;
  }
  // Redis counts it as a change whatever there was to delete, so it reaches replicas and the AOF.
  c.server.forcePropagate = true;
  c.out.ok();
}

// FUNCTION DELETE library-name
function functionDelete(c: Client): void {
  c.server.replyError(c, 'ERR Library not found');
}

// FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE]: the options are checked as Redis checks them.
function functionList(c: Client, argv: string[]): void {
  let withCode = false;
  let pattern = false;
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i].toLowerCase();
    if (!withCode && a === 'withcode') {
      withCode = true;
      continue;
    }
    if (!pattern && a === 'libraryname') {
      if (i >= argv.length - 1) {
        c.server.replyError(c, 'ERR library name argument was not given');
        return;
      }
      pattern = true;
      i++;
      continue;
    }
    c.server.replyError(c, `ERR Unknown argument ${argv[i]}`);
    return;
  }
  c.out.array(0);
}

// FUNCTION STATS: no script runs, and no engine is registered.
function functionStats(c: Client): void {
  c.out.map(2);
  c.out.bulk('running_script');
  c.out.nil();
  c.out.bulk('engines');
  c.out.map(0);
}

// FUNCTION DUMP
function functionDump(c: Client): void {
  c.out.bulkBytes(emptyFunctionsPayload());
}

// FUNCTION LOAD [REPLACE] code
function functionLoad(c: Client, argv: string[]): void {
  let i = 2;
  while (i < argv.length - 1) {
    const a = argv[i++];
    if (a.toLowerCase() !== 'replace') {
      c.server.replyError(c, `ERR Unknown option given: ${a}`);
      return;
    }
  }
  if (i >= argv.length) {
    c.server.replyError(c, 'ERR Function code is missing');
    return;
  }
  c.server.replyError(c, 'ERR ' + createLibrary(argv[i]));
}

// FUNCTION RESTORE payload [FLUSH|APPEND|REPLACE]
function functionRestore(c: Client, argv: string[]): void {
  if (argv.length > 4) {
    c.server.replyError(c, subcommandSyntax(argv[1], argv[0]));
    return;
  }
  if (argv.length === 4 && !/^(append|replace|flush)$/i.test(argv[3])) {
    c.server.replyError(c, 'ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.');
    return;
  }
  const found = functionsInPayload(strToBytes(argv[2]), c.server.skipChecksumValidation);
  if (typeof found === 'string') {
    c.server.replyError(c, 'ERR ' + found);
    return;
  }
  if (found.length > 0) {
    c.server.replyError(c, 'ERR ' + createLibrary(found[0]));
    return;
  }
  c.server.forcePropagate = true;
  c.out.ok();
}

/**
 * Why a library's code cannot be loaded: what Redis's functionsCreateWithLibraryCtx says, up to
 * the engine lookup, which always fails here (no engine is registered).
 */
function createLibrary(code: string): string {
  if (!code.startsWith('#!')) return 'Missing library metadata';
  // strchr on a C string: a NUL before the newline ends the search.
  const eol = code.indexOf('\n');
  const nul = code.indexOf('\0');
  if (eol < 0 || (nul >= 0 && nul < eol)) return 'Invalid library metadata';
  const shebang = strToBytes(code.slice(0, eol));
  const parts = splitArgs(shebang, 0, shebang.length);
  if (parts === null || parts.length === 0) return 'Invalid library metadata';
  const engine = parts[0].slice(2);
  let name: string | null = null;
  for (let i = 1; i < parts.length; i++) {
    if (parts[i].slice(0, 5).toLowerCase() === 'name=') {
      if (name !== null) return 'Invalid metadata value, name argument was given multiple times';
      name = parts[i].slice(5);
      continue;
    }
    return `Invalid metadata value given: ${parts[i]}`;
  }
  if (name === null) return 'Library name was not given';
  if (!/^[A-Za-z0-9_]+$/.test(name)) {
    return 'Library names can only contain letters, numbers, or underscores(_) and must be at least one character long';
  }
  return `Engine '${engine}' not found`;
}
