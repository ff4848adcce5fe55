// The command line, like redis-server's: `echokv [config-file] [--directive value ...]`,
// `--version`, `--help`. Starting and stopping follow redis-server too, because tools wait for
// its log lines: the PID, "Ready to accept connections", "Failed listening on port", and a clean
// exit on SIGTERM/SIGINT (saving first when the configuration asks for it).

import { procTitle } from './proc_title.ts';
import { logCrashReport } from './crash.ts';
import { Config } from './config/mod.ts';
import {
  asReadByFgets, ConfigFileError, type ConfigLine, loadConfigFile, parseCommandLine, parseConfigText,
} from './config/parse.ts';
import { bytesToStr, strToUtf8, utf8ToStr } from './bytes.ts';
import type { Host } from './host.ts';
import { Logger } from './log.ts';
import { type Plugin, StartupAborted } from './plugin.ts';
import { REDIS_VERSION, Server, VERSION } from './server.ts';

const HELP = `Usage: echokv [/path/to/echokv.conf] [options] [-]
       echokv - (read config from stdin)
       echokv -v or --version
       echokv -h or --help

Examples:
       echokv (run the server with default config)
       echokv conf/echokv.conf
       echokv --port 7777
       echokv /etc/redis/6379.conf --loglevel verbose -
       echokv --port 7777 --replicaof 127.0.0.1 8888

Any redis.conf directive may be given as --name value and overrides the file.
`;

/**
 * Loads the configuration named by the command line: the file (stdin for '-'), then the
 * --options, later lines winning as in Redis. Throws ConfigFileError.
 */
export function loadConfig(host: Host, configFile: string | null, options: string): Config {
  return loadConfigLines(host, configFile, options, false).config;
}

function loadConfigLines(
  host: Host, configFile: string | null, options: string, stdin: boolean,
): { config: Config; lines: ConfigLine[] } {
  const config = new Config();
  const lines: ConfigLine[] = [];
  // Files are read as bytes, as Redis reads them: any byte a value holds is kept. Patterns in
  // `include` (conf.d/*.conf) are expanded by listing directories through the host.
  const read = (p: string): string => asReadByFgets(readBytes(host, p));
  const io = { read, list: (d: string): string[] => host.listDir(d), bytes: true };
  // Redis reads the file, then stdin, then a newline and the options as one text, and numbers the
  // lines of that text: the options' lines come after every line of the file and stdin.
  let before = 0;
  const newlines = (t: string): number => t.split('\n').length - 1;
  if (configFile === '-') stdin = true;
  else if (configFile !== null) {
    let main: string | null = null;
    // The first file read is the config file itself; the others are its includes.
    lines.push(...loadConfigFile(configFile, (p) => {
      const t = read(p);
      main ??= t;
      return t;
    }, io));
    before += newlines(main ?? '');
    config.file = host.resolve(configFile);
  }
  if (stdin) {
    const text = asReadByFgets(utf8ToStr(host.readText('/dev/stdin')));
    lines.push(...parseConfigText(text, 'stdin', before + 1, true));
    before += newlines(text);
  }
  lines.push(...parseConfigText(options, 'command line', before + 2));
  config.load(lines, io);
  return { config, lines };
}

/**
 * A FATAL CONFIG FILE ERROR block as redis-server prints it. Like Redis it names no file: the
 * line number counts in the config file, then stdin, then the command line's options, or in the
 * included file the line is from.
 */
function fatalConfig(host: Host, reason: string, at?: { file: string; line: number; text: string }): void {
  host.stderr(`\n*** FATAL CONFIG FILE ERROR (echokv ${VERSION}) ***\n` +
    (at ? `Reading the configuration file, at line ${at.line}\n>>> '${at.text}'\n` : '') +
    `${reason}\n`);
}

const CANT_OPEN = "Fatal error, can't open config file";

/** A file's bytes as a byte string; throws as the host does (ENOENT ...). */
function readBytes(host: Host, path: string): string {
  const fd = host.openFile(path, 'read');
  try {
    const buf = new Uint8Array(65536);
    let out = '';
    for (let pos = 0; ;) {
      const n = host.readFileAt(fd, buf, pos);
      if (n === 0) return out;
      out += bytesToStr(buf, 0, n);
      pos += n;
    }
  } finally {
    host.closeFile(fd);
  }
}

/** A warning logged before the server exists, as redis-server logs while reading its config. */
function logEarly(host: Host, text: string): void {
  const early = new Logger(host.pid, (line) => host.stdout(line));
  early.role = 'C';
  early.warning(text);
}

/** strerror() text for a Node-style error from the host (ENOENT ...). */
function reason(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return 'No such file or directory';
  if (code === 'EACCES') return 'Permission denied';
  if (code === 'ENOTDIR') return 'Not a directory';
  if (code === 'EISDIR') return 'Is a directory';
  return (e as Error).message ?? String(e);
}

/** The plugins the configuration names (`transport`, `persistence`), from those available. */
export function selectPlugins(config: Config, available: readonly Plugin<any>[]): Plugin<any>[] {
  const byName = new Map(available.map((p) => [p.name, p]));
  const out: Plugin<any>[] = [];
  for (const name of config.get<string[]>('transport')) {
    const p = byName.get(name);
    if (p === undefined || p.kind !== 'transport') throw new Error(`Unknown transport plugin '${name}'`);
    out.push(p);
  }
  for (const name of config.get<string[]>('persistence')) {
    const p = byName.get(name);
    if (p === undefined || p.kind !== 'persistence') throw new Error(`Unknown persistence plugin '${name}'`);
    out.push(p);
  }
  return out;
}

export async function runCli(host: Host, available: readonly Plugin<any>[]): Promise<Server | null> {
  // `echokv [file] [--options] -`: a last '-' reads more configuration from stdin (a first one
  // is the config file '-', which means the same).
  let args = host.args;
  const stdin = args.length > 1 && args[args.length - 1] === '-';
  if (stdin) args = args.slice(0, -1);
  const cl = parseCommandLine(args);
  if (cl.version) {
    host.stdout(`echokv server v=${VERSION} redis=${REDIS_VERSION} runtime=${host.runtime}-${host.runtimeVersion} bits=64\n`);
    host.exit(0);
    return null;
  }
  if (cl.help) {
    host.stdout(HELP);
    host.exit(0);
    return null;
  }
  if (cl.error !== null) {
    host.stderr(cl.error + '\n\n' + HELP);
    host.exit(1);
    return null;
  }
  host.holdYoungGeneration?.(true);
  // Before anything of the server exists (see ServerOptions.heapBaseline).
  const heapBaseline = host.settledHeap?.() ?? null;
  if (cl.configFile !== null && cl.configFile !== '-') {
    try {
      host.readText(cl.configFile);
    } catch (e) {
      logEarly(host, `Fatal error, can't open config file '${host.resolve(cl.configFile)}': ${reason(e)}`);
      host.exit(1);
      return null;
    }
  }
  let config: Config;
  let plugins: Plugin<any>[];
  try {
    const loaded = loadConfigLines(host, cl.configFile, cl.options, stdin);
    config = loaded.config;
    plugins = selectPlugins(config, available);
    // Redis changes to `dir` while reading the configuration, so the pidfile, the logfile, a
    // relative unixsocket and every data file live there; CONFIG GET dir then shows it absolute.
    // Config values are byte strings (UTF-8 bytes); paths go to the host as text.
    const dir = config.str('dir');
    const dirLine = loaded.lines.filter((l) => l.name === 'dir').pop();
    try {
      host.chdir(strToUtf8(dir));
    } catch (e) {
      fatalConfig(host, reason(e), dirLine);
      host.exit(1);
      return null;
    }
    const cwd = utf8ToStr(host.cwd());
    if (dir !== cwd) config.load([{ name: 'dir', args: [cwd], text: `dir ${cwd}`, file: 'cli', line: 0 }]);
    const logfile = config.str('logfile');
    if (logfile !== '') {
      try {
        host.appendText(strToUtf8(logfile), '');
      } catch (e) {
        fatalConfig(host, `Can't open the log file: ${reason(e)}`);
        host.exit(1);
        return null;
      }
    }
  } catch (e) {
    // An include that cannot be read is logged as the config file itself would be, without the
    // FATAL CONFIG FILE ERROR block (redis-server's loadServerConfig exits there).
    if (e instanceof ConfigFileError && e.reason.startsWith(CANT_OPEN)) logEarly(host, e.reason);
    else if (e instanceof ConfigFileError) fatalConfig(host, e.reason, e);
    else fatalConfig(host, (e as Error).message);
    host.exit(1);
    return null;
  }

  let server: Server;
  try {
    server = new Server({ config, host, plugins, exitOnShutdown: true, heapBaseline });
  } catch (e) {
    // A rename-command line that names no command is found once the command table exists.
    if (!(e instanceof ConfigFileError)) throw e;
    fatalConfig(host, e.reason, e);
    host.exit(1);
    return null;
  }
  const log = server.log;
  host.onCrash?.((cause) => logCrashReport(server, cause));
  log.notice('oO0OoO0OoO0Oo echokv is starting oO0OoO0OoO0Oo');
  log.notice(`echokv version=${VERSION}, redis_version=${REDIS_VERSION}, bits=64, runtime=${host.runtime} ${host.runtimeVersion}, pid=${host.pid}, just started`);
  if (cl.configFile === null) {
    log.warning('Warning: no config file specified, using the default config. In order to specify a config file use echokv /path/to/echokv.conf');
  } else {
    log.notice('Configuration loaded');
  }
  if (config.unimplementedSeen.size > 0) {
    log.warning(`Directives accepted but not implemented by echokv yet (they have no effect): ${[...config.unimplementedSeen].join(', ')}`);
  }
  const port = config.num('port');

  const onSignal = (name: 'SIGTERM' | 'SIGINT'): void => {
    // A second SIGINT while a shutdown is asked for or running: the user insists (Redis).
    if (name === 'SIGINT' && (server.shutdownAsap !== null || server.isShuttingDown)) {
      log.warning('You insist... exiting now.');
      server.abandon();
      host.exit(1);
      return;
    }
    if (server.isShuttingDown) return;
    log.warning(`Received ${name} scheduling shutdown...`);
    const mode = config.get<string[]>(name === 'SIGINT' ? 'shutdown-on-sigint' : 'shutdown-on-sigterm');
    const save = mode.includes('save') ? true : mode.includes('nosave') ? false : undefined;
    const force = mode.includes('force');
    if (server.loading) {
      // The cron starts after loading; Redis too shuts down from its loading loop at once.
      void server.shutdown({ save, force });
      return;
    }
    // Started by the next cron tick, as Redis's serverCron does (SHUTDOWN ABORT cancels it
    // until then); a failed shutdown leaves the server running and the next signal asks again.
    server.shutdownAsap = { save, force };
  };
  host.onSignal('SIGTERM', () => onSignal('SIGTERM'));
  host.onSignal('SIGINT', () => onSignal('SIGINT'));
  // redis-server ignores SIGHUP (initServer), so closing the terminal it was started from does
  // not stop it; without a listener the runtime would die of it.
  host.onSignal('SIGHUP', () => {});

  try {
    // As redis-server's logo (with the PID) and "Server initialized", once the ports are bound:
    // tools such as Redis's test suite connect as soon as they read the PID.
    await server.start({
      listening: () => {
        // As redis-server: with no TCP port and no unix socket (`port 0`, `bind ""`) nothing can
        // reach the server (a transport that cannot tell its addresses counts as listening).
        const reachable = server.plugins.some((p) => {
          const inst = p.kind === 'transport' ? server.instances.get(p.name) : undefined;
          return inst !== undefined && (inst.addresses === undefined || inst.addresses().length > 0);
        });
        if (!reachable) throw new Error('Configured to not listen anywhere, exiting.');
        log.notice(`echokv ${VERSION} (Redis ${REDIS_VERSION} compatible) on ${host.runtime} ${host.runtimeVersion}, standalone mode, port ${port}, PID: ${host.pid}`);
        log.notice('Server initialized');
        // Loading a dataset is work like any other: the young generation may grow for it.
        host.holdYoungGeneration?.(false);
      },
    });
  } catch (e) {
    if (!(e instanceof StartupAborted)) log.warning((e as Error).message);
    host.exit(1);
    return null;
  }
  // Written once listening, as redis-server does, so a pidfile means a server that started.
  const pidfile = config.str('pidfile');
  if (pidfile !== '') {
    try {
      host.writeText(strToUtf8(pidfile), `${host.pid}\n`);
    } catch (e) {
      log.warning(`Failed to write PID file: ${(e as Error).message}`);
    }
  }
  // As redis-server's main(): the title once the ports are known, and again when the template
  // changes (CONFIG SET refuses a template that cannot expand).
  if (host.setTitle !== undefined && config.bool('set-proc-title')) {
    const setTitle = host.setTitle;
    const retitle = (): void => {
      const title = procTitle(server, host.program ?? host.executable);
      if (title !== null) setTitle(title);
    };
    retitle();
    config.onChange('proc-title-template', retitle);
  }
  const kinds = server.plugins.filter((p) => p.kind === 'transport').map((p) => p.name).join(' ');
  log.notice(`Ready to accept connections ${kinds}`);
  return server;
}
