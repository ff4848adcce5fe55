// =================================================================================================
// Loading the AOF at start-up
// =================================================================================================
//
// Design, after Redis 7.0's loadAppendOnlyFiles / loadSingleAppendOnlyFile (src/aof.c):
//
// 1. The manifest is read (a damaged one stops start-up with Redis's message). An old-style
//    single `appendonly.aof` in `dir` is upgraded first, as Redis 7.0 does when the AOF directory
//    or its manifest is missing: a manifest naming it as the base is persisted, then the file is
//    renamed into the directory (a crash in between is repaired by the next start: the manifest
//    names a base that is still outside, which is the third upgrade case).
// 2. No base and no incr: there is no AOF, the dataset starts empty. Every file the manifest
//    names must exist (a missing one is fatal: its data would silently vanish).
// 3. The base, then each incr in order. A file starting with "REDIS" is an RDB image (the
//    preamble); what follows it, if anything, is commands (old single-file AOFs with
//    aof-use-rdb-preamble kept their tail after the RDB). Commands are replayed through the
//    server's dispatch as a fake client whose replies are dropped: looked up and arity-checked
//    here, then run by Server.call() (the handler and stats; nothing propagates while loading) while server.loading
//    stays set, as Redis's loader calls cmd->proc after its own lookup (execute() would refuse
//    every command with -LOADING). With:
//      - no expiry while loading (Keyspace.loading): a command logged while a key was alive
//        must find it alive, as Redis's keyIsExpired() answers no while loading; commands see
//        the real time otherwise (XCLAIM TIME, LRU). Keys whose TTL passed meanwhile expire
//        right after, and their DELs are logged then;
//      - MULTI ... EXEC blocks applied only once their EXEC is read;
//      - an unknown command, a wrong arity or any error reply stops loading with the file and
//        offset (Redis ignores error replies; echokv refuses rather than drop data silently).
// 4. A file that ends inside a command (a crash mid-write) is cut at the end of the last whole
//    command (before an unfinished MULTI) when aof-load-truncated is yes and it is the last file
//    (Redis's uxeof); the file is truncated there on disk so appending continues from a clean
//    end. Anywhere else, or with aof-load-truncated no, start-up stops with the file and offset.
//    Damage that is not a torn tail (a bad byte mid-file) always stops start-up.
//
// At start-up loading yields to the event loop every 1024 commands or
// loading-process-events-interval-bytes, so a transport already listening can answer -LOADING
// meanwhile; DEBUG LOADAOF loads the same way without yielding (loadFilesSync), as Redis blocks.

import { Client, type Connection } from '../../../core/client.ts';
import { bytesToStr, strToUtf8 } from '../../../core/bytes.ts';
import type { Server } from '../../../core/server.ts';
import { type AofFileInfo, AofPaths, Manifest, ManifestError, persistManifest, readAll } from './_manifest.ts';
import { AofFormatError, AofReader } from './_resp.ts';
import { strerror } from './_writer.ts';
import type { RdbBaseCodec } from './_base.ts';

/** Start-up cannot go on: the message has been logged. */
export class AofLoadError extends Error {}

/**
 * How loading ended (Redis's AOF_* results):
 * - not-exist: no AOF files at all (the manifest names none)
 * - empty: the files exist but hold nothing
 * - ok: loaded
 * - truncated: loaded, after cutting a torn tail off the last file
 */
export type LoadStatus = 'not-exist' | 'empty' | 'ok' | 'truncated';

export interface LoadOutcome {
  status: LoadStatus;
  manifest: Manifest;
  /** Sizes after loading (a truncated tail no longer counts). */
  baseSize: number;
  totalSize: number;
}

/** Progress for INFO's loading_* fields. */
export interface LoadProgress {
  startTime: number;
  totalBytes: number;
  loadedBytes: number;
}

export interface LoadOptions {
  server: Server;
  paths: AofPaths;
  /** Where an old single-file AOF would be: dir + appendfilename. */
  legacyPath: string;
  loadTruncated: boolean;
  rdb: RdbBaseCodec | null;
  progress?: LoadProgress;
  /** Commands between yields to the event loop. */
  yieldEvery?: number;
}

const noopConnection: Connection = {
  kind: 'tcp',
  remoteAddress: '',
  localAddress: '',
  fd: -1,
  bufferedAmount: 0,
  write() {},
  close() {},
};

/** The fake client commands are replayed as (Redis's CLIENT_ID_AOF). */
export function makeLoaderClient(server: Server): Client {
  const c = new Client(server, noopConnection, Number.MAX_SAFE_INTEGER, server.keyspace.dbs[0], true);
  c.name = 'aof-loader';
  return c;
}

/**
 * Reads the manifest, upgrading an old-style AOF first. Returns the manifest (empty when there is
 * no AOF). Side effects: the upgrade creates the directory, persists a manifest and moves the
 * file. Throws AofLoadError after logging.
 */
export function readManifest(opts: LoadOptions): Manifest {
  const { server, paths } = opts;
  const host = server.host;
  const log = server.log;
  let m = new Manifest();
  const dirExists = host.isDirectory(paths.dir);
  if (dirExists && host.fileSize(paths.manifestPath) >= 0) {
    let bytes: Uint8Array;
    try {
      bytes = readAll(host, paths.manifestPath);
    } catch (e) {
      log.warning(`Unable to open the AOF manifest file ${strToUtf8(paths.manifestName)} for reading: ${strerror(e)}`);
      throw new AofLoadError('Read AOF manifest failed');
    }
    try {
      m = Manifest.parse(bytes);
    } catch (e) {
      if (!(e instanceof ManifestError)) throw e;
      log.warning(e.message);
      throw new AofLoadError(e.message);
    }
  }
  // The three upgrade cases of loadAppendOnlyFiles.
  if (opts.legacyPath !== '' && host.fileSize(opts.legacyPath) >= 0 && !host.isDirectory(opts.legacyPath)) {
    const inDir = host.fileSize(paths.path(paths.prefix)) >= 0;
    if (!dirExists || m.isEmpty || (m.base !== null && m.incrs.length === 0 && m.base.name === paths.prefix && !inDir)) {
      m = upgrade(opts, m);
    }
  }
  return m;
}

/** aofUpgradePrepare: adopts `dir/appendonly.aof` as the base of a new multi-part AOF. */
function upgrade(opts: LoadOptions, old: Manifest): Manifest {
  const { server, paths } = opts;
  const host = server.host;
  try {
    host.mkdirp(paths.dir);
  } catch (e) {
    server.log.warning(`Can't open or create append-only dir ${strToUtf8(paths.prefix)}: ${strerror(e)}`);
    throw new AofLoadError('Cannot create the AOF directory');
  }
  const m = old.clone();
  m.base = { name: paths.prefix, seq: 1, type: 'b' };
  m.baseSeq = 1;
  try {
    persistManifest(paths, m);
  } catch (e) {
    server.log.warning(`Can't persist the AOF manifest file ${strToUtf8(paths.manifestName)}: ${strerror(e)}`);
    throw new AofLoadError('Cannot persist the AOF manifest');
  }
  const to = paths.path(paths.prefix);
  try {
    host.rename(opts.legacyPath, to);
    host.fsyncDir(paths.dir);
  } catch (e) {
    server.log.warning(`Error trying to rename the existing AOF to ${to}: ${strerror(e)}`);
    throw new AofLoadError('Cannot move the old AOF');
  }
  const dirName = paths.dir.slice(paths.dir.lastIndexOf('/') + 1);
  server.log.notice(`Successfully migrated an old-style AOF file (${strToUtf8(paths.prefix)}) into the AOF directory (${dirName}).`);
  return m;
}

/**
 * Loads every file the manifest names into the server's keyspace (see the design note). Returns
 * the outcome; throws AofLoadError (after logging Redis's message plus the file and offset) when
 * start-up must stop. Side effects: the dataset, a truncated last file, log lines.
 */
export function loadFiles(opts: LoadOptions, m: Manifest): Promise<LoadOutcome> {
  return drive(loadSteps(opts, m, false));
}

/** loadFiles without yielding to the event loop (DEBUG LOADAOF: Redis blocks while it loads). */
export function loadFilesSync(opts: LoadOptions, m: Manifest): LoadOutcome {
  const g = loadSteps(opts, m, true);
  for (;;) {
    const s = g.next();
    if (s.done) return s.value;
  }
}

/**
 * One loader, two drivers: the steps yield `undefined` where loading may give the event loop a
 * turn, and a promise for async work (the RDB base) whose result they are resumed with. The sync
 * driver never gets a promise: with `sync` the steps use the codec's synchronous load.
 */
type Steps<T> = Generator<Promise<number> | undefined, T, number | undefined>;

async function drive<T>(g: Steps<T>): Promise<T> {
  let input: number | undefined;
  let failure: { error: unknown } | null = null;
  for (;;) {
    const s = failure !== null ? g.throw(failure.error) : g.next(input);
    failure = null;
    input = undefined;
    if (s.done) return s.value;
    if (s.value === undefined) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      continue;
    }
    try {
      input = await s.value;
    } catch (e) {
      failure = { error: e };
    }
  }
}

function* loadSteps(opts: LoadOptions, m: Manifest, sync: boolean): Steps<LoadOutcome> {
  const { server, paths } = opts;
  const host = server.host;
  const log = server.log;
  if (m.isEmpty) return { status: 'not-exist', manifest: m, baseSize: 0, totalSize: 0 };
  const files = m.loadOrder;
  let total = 0;
  let baseSize = 0;
  for (const f of files) {
    const size = host.fileSize(paths.path(f.name));
    if (size < 0) {
      log.warning(`Unable to obtain the AOF file ${strToUtf8(f.name)} length. stat: No such file or directory`);
      throw new AofLoadError(`The AOF file ${strToUtf8(f.name)} named in the manifest does not exist`);
    }
    total += size;
    if (f.type === 'b') baseSize = size;
  }
  if (total === 0) return { status: 'empty', manifest: m, baseSize: 0, totalSize: 0 };
  if (opts.progress) {
    opts.progress.startTime = Date.now();
    opts.progress.totalBytes = total;
    opts.progress.loadedBytes = 0;
  }
  let status: LoadStatus = 'ok';
  for (let i = 0; i < files.length; i++) {
    const f = files[i];
    const last = i === files.length - 1;
    const t0 = host.now();
    const r = yield* loadOne(opts, f, last, sync);
    if (r.truncatedBy > 0) {
      total -= r.truncatedBy;
      if (f.type === 'b') baseSize -= r.truncatedBy;
      status = 'truncated';
    }
    if (r.empty) continue;
    const secs = ((host.now() - t0) / 1000).toFixed(3);
    log.notice(`DB loaded from ${f.type === 'b' ? 'base' : 'incr'} file ${strToUtf8(f.name)}: ${secs} seconds`);
  }
  return { status, manifest: m, baseSize, totalSize: total };
}

/**
 * Loads one file. Returns whether it was empty and how many bytes a torn tail cut off it.
 * Throws AofLoadError after logging.
 */
function* loadOne(opts: LoadOptions, f: AofFileInfo, last: boolean, sync: boolean): Steps<{ empty: boolean; truncatedBy: number }> {
  const { server, paths } = opts;
  const host = server.host;
  const log = server.log;
  const name = strToUtf8(f.name);
  const path = paths.path(f.name);
  const size = host.fileSize(path);
  if (size === 0) return { empty: true, truncatedBy: 0 };
  let fd: number;
  try {
    fd = host.openFile(path, 'read');
  } catch (e) {
    log.warning(`Fatal error: can't open the append log file ${name} for reading: ${strerror(e)}`);
    throw new AofLoadError(`Cannot open ${name}`);
  }
  try {
    let start = 0;
    const sig = new Uint8Array(5);
    const n = host.readFileAt(fd, sig, 0);
    if (n === 5 && String.fromCharCode(...sig) === 'REDIS') {
      const oldStyle = f.type === 'b' && f.name === paths.prefix;
      log.notice('Reading RDB base file on AOF loading...');
      if (opts.rdb === null) {
        log.warning(`Error reading the RDB base file ${name}, AOF loading aborted: echokv has no RDB decoder (the rdb plugin's decoder is not available)`);
        throw new AofLoadError(`Cannot read the RDB base file ${name}`);
      }
      try {
        start = sync ? opts.rdb.loadSync(server, path) : (yield opts.rdb.load(server, path)) as number;
      } catch (e) {
        log.warning(oldStyle
          ? `Error reading the RDB preamble of the AOF file ${name}, AOF loading aborted: ${(e as Error).message}`
          : `Error reading the RDB base file ${name}, AOF loading aborted: ${(e as Error).message}`);
        throw new AofLoadError(`Cannot read the RDB base file ${name}`);
      }
      if (opts.progress) opts.progress.loadedBytes += start;
      if (start < size && oldStyle) log.notice('Reading the remaining AOF tail...');
    }
    return yield* replay(opts, fd, f, start, size, last);
  } finally {
    try {
      host.closeFile(fd);
    } catch { /* read-only descriptor */ }
  }
}

/** Replays the commands of an open file from `start`; see loadOne. */
function* replay(
  opts: LoadOptions, fd: number, f: AofFileInfo, start: number, size: number, last: boolean,
): Steps<{ empty: boolean; truncatedBy: number }> {
  const { server, paths } = opts;
  const host = server.host;
  const log = server.log;
  const ks = server.keyspace;
  const name = strToUtf8(f.name);
  const reader = new AofReader((into, pos) => host.readFileAt(fd, into, pos), start);
  const client = makeLoaderClient(server);
  const yieldEvery = opts.yieldEvery ?? 1024;
  const interval = server.config.num('loading-process-events-interval-bytes');
  let multi: { argv: string[]; at: number }[] | null = null;
  let beforeMulti = start;
  let validUpTo = start;
  let count = 0;
  let lastYield = start;
  ks.loading = true;
  try {
    for (;;) {
      let r;
      try {
        r = reader.next();
      } catch (e) {
        if (!(e instanceof AofFormatError)) throw e;
        log.warning(`Bad file format reading the append only file ${name}: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest> (at offset ${e.offset}: ${e.message})`);
        throw new AofLoadError(`Bad file format in ${name} at offset ${e.offset}`);
      }
      if (r.kind === 'eof') {
        if (multi === null) break;
        // A MULTI without its EXEC at the end: handled as a torn tail, as Redis does.
        log.warning(`Revert incomplete MULTI/EXEC transaction in AOF file ${name}`);
        return truncateTail(opts, f, last, beforeMulti, size, 'an unfinished MULTI/EXEC block');
      }
      if (r.kind === 'truncated') {
        const cut = multi !== null ? beforeMulti : validUpTo;
        return truncateTail(opts, f, last, cut, size, `${r.reason} at offset ${r.start}`);
      }
      const argv = r.argv;
      const cmdName = argv[0].toLowerCase();
      if (server.commands.getOrOriginal(argv[0]) === undefined) {
        log.warning(`Unknown command '${strToUtf8(argv[0])}' reading the append only file ${name} (at offset ${validUpTo})`);
        throw new AofLoadError(`Unknown command '${strToUtf8(argv[0])}' in ${name}`);
      }
      if (cmdName === 'multi') {
        if (multi !== null) {
          log.warning(`MULTI calls can not be nested, reading the append only file ${name} (at offset ${validUpTo})`);
          throw new AofLoadError(`Nested MULTI in ${name}`);
        }
        beforeMulti = validUpTo;
        multi = [];
      } else if (cmdName === 'exec') {
        if (multi === null) {
          log.warning(`EXEC without MULTI reading the append only file ${name} (at offset ${validUpTo})`);
          throw new AofLoadError(`EXEC without MULTI in ${name}`);
        }
        for (const q of multi) run(opts, client, q.argv, name, q.at);
        multi = null;
      } else if (multi !== null) {
        multi.push({ argv, at: validUpTo });
      } else {
        run(opts, client, argv, name, validUpTo);
      }
      validUpTo = r.end;
      if (++count % yieldEvery === 0 || r.end - lastYield >= interval) {
        if (opts.progress) opts.progress.loadedBytes += r.end - lastYield;
        lastYield = r.end;
        yield;
      }
    }
  } finally {
    ks.loading = false;
    ks.tick();
  }
  if (opts.progress) opts.progress.loadedBytes += size - lastYield;
  return { empty: false, truncatedBy: 0 };
}

/**
 * Runs one loaded command as the fake client: lookup (subcommands included) and arity as
 * execute() checks them, then Server.call(). Throws AofLoadError (after logging) when the
 * command cannot run or replies with an error.
 */
function run(opts: LoadOptions, client: Client, argv: string[], file: string, offset: number): void {
  const server = opts.server;
  const fail = (why: string): never => {
    server.log.warning(`Error replaying '${strToUtf8(argv[0])}' (at offset ${offset}) from the append only file ${file}: ${why}`);
    throw new AofLoadError(`Command at offset ${offset} of ${file} failed: ${why}`);
  };
  let cmd = server.commands.getOrOriginal(argv[0]);
  if (cmd === undefined) return fail('unknown command');
  if (cmd.subcommands !== null && argv.length > 1) {
    const sub = cmd.subcommands.get(argv[1].toLowerCase());
    if (sub === undefined) return fail(`unknown subcommand '${strToUtf8(argv[1])}'`);
    cmd = sub;
  }
  if (cmd.handler === undefined || (cmd.arity > 0 && argv.length !== cmd.arity) || argv.length < -cmd.arity) {
    return fail(`wrong number of arguments for '${cmd.fullname}' command`);
  }
  const errors = server.stats.totalErrorReplies;
  server.call(client, cmd, argv);
  if (server.stats.totalErrorReplies !== errors) {
    let text = '';
    for (const ch of client.out.take()) text += bytesToStr(ch, 0, Math.min(ch.length, 300));
    const end = text.indexOf('\r');
    fail(strToUtf8(text.startsWith('-') ? text.slice(1, end > 0 ? end : undefined) : text));
  }
  client.out.discard();
}

/**
 * A file that ends inside a command: cuts it at `validUpTo` (Redis's uxeof) when allowed, else
 * stops start-up. Returns the bytes cut off.
 */
function truncateTail(
  opts: LoadOptions, f: AofFileInfo, last: boolean, validUpTo: number, size: number, what: string,
): { empty: boolean; truncatedBy: number } {
  const { server, paths } = opts;
  const log = server.log;
  const name = strToUtf8(f.name);
  if (opts.loadTruncated && last) {
    log.warning(`!!! Warning: short read while loading the AOF file ${name}!!!`);
    log.warning(`!!! Truncating the AOF ${name} at offset ${validUpTo} !!!`);
    try {
      server.host.truncateFile(paths.path(f.name), validUpTo);
    } catch (e) {
      log.warning(`Error truncating the AOF file ${name}: ${strerror(e)}`);
      throw new AofLoadError(`Cannot truncate ${name}`);
    }
    log.warning(`AOF ${name} loaded anyway because aof-load-truncated is enabled`);
    return { empty: false, truncatedBy: size - validUpTo };
  }
  if (!last) {
    log.warning(`Fatal error: the truncated file is not the last file (${name} ends with ${what})`);
    throw new AofLoadError(`${name} is truncated but is not the last AOF file`);
  }
  log.warning(`Unexpected end of file reading the append only file ${name} (${what}). You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.`);
  throw new AofLoadError(`Unexpected end of file reading ${name}`);
}
