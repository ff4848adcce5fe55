// The redis.conf grammar, as Redis 7.0 reads it (loadServerConfig in src/config.c): one directive
// per line, blanks around a line ignored, `#` starts a comment line, arguments split like inline
// commands (quotes and escapes as in sdssplitargs), names in any letter case. `include <path>`
// reads another file in place, depth first, relative to the working directory; a path with
// glob characters includes every file it matches in sorted order, and none when nothing matches
// (so an empty conf.d works). Command-line options (`--port 6380 --save ""`) become lines after
// the file, as redis-server builds them, so they override it.

import { splitArgs } from '../resp/parser.ts';
import { repr, strToBytes, strToUtf8, utf8ToStr } from '../bytes.ts';
import { globMatch } from '../glob.ts';

/** One directive occurrence with where it came from, for error messages. */
export interface ConfigLine {
  /** Lowercase directive name. */
  name: string;
  /** Arguments as byte strings. */
  args: string[];
  /** The line as written (trimmed), for "FATAL CONFIG FILE ERROR" output. */
  text: string;
  file: string;
  line: number;
  /**
   * Set when the line itself cannot be used (unbalanced quotes, an include that cannot be read):
   * Config.load fails with it when it gets there, so errors come in line order as in Redis.
   */
  error?: string;
}

/** A configuration line Redis would refuse: where, and Redis's reason text. */
export class ConfigFileError extends Error {
  file: string;
  line: number;
  text: string;
  reason: string;
  constructor(file: string, line: number, text: string, reason: string) {
    super(`${file}:${line}: ${reason}`);
    this.file = file;
    this.line = line;
    this.text = text;
    this.reason = reason;
  }
}

/** Redis trims exactly these around a line (sdstrim " \t\r\n"), not every Unicode blank. */
function trimLine(s: string): string {
  let a = 0;
  let b = s.length;
  const blank = (c: number): boolean => c === 32 || c === 9 || c === 13 || c === 10;
  while (a < b && blank(s.charCodeAt(a))) a++;
  while (b > a && blank(s.charCodeAt(b - 1))) b--;
  return s.slice(a, b);
}

/**
 * Splits config text into directive lines (a line with unbalanced quotes carries the error).
 * `bytes` says the text is a byte string (a file as Redis reads it, any bytes kept) rather than
 * JS text, whose UTF-8 bytes the arguments then hold.
 */
export function parseConfigText(text: string, file: string, firstLine = 1, bytes = false): ConfigLine[] {
  const out: ConfigLine[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const trimmed = trimLine(lines[i]);
    if (trimmed === '' || trimmed.charCodeAt(0) === 35 /* # */) continue;
    // Arguments become byte strings like every other value in the core; the line as shown is text.
    const raw = strToBytes(bytes ? trimmed : utf8ToStr(trimmed));
    const shown = bytes ? strToUtf8(trimmed) : trimmed;
    const args = splitArgs(raw, 0, raw.length);
    if (args === null) {
      out.push({ name: '', args: [], text: shown, file, line: i + firstLine, error: 'Unbalanced quotes in configuration line' });
      continue;
    }
    if (args.length === 0) continue;
    out.push({ name: args[0].toLowerCase(), args: args.slice(1), text: shown, file, line: i + firstLine });
  }
  return out;
}

/** What Redis reads of a config file or stdin in one fgets call (CONFIG_READ_LEN). */
const READ_LEN = 1024;

/**
 * A config file's bytes (a byte string) as Redis's loadServerConfig collects them: fgets reads
 * pieces of up to 1024 bytes ending at a newline, and sdscat keeps each only up to a NUL byte, so
 * a NUL drops the rest of its piece, the newline too (the next line then continues this one).
 */
export function asReadByFgets(bytes: string): string {
  if (!bytes.includes('\0')) return bytes;
  let out = '';
  for (let at = 0; at < bytes.length;) {
    const nl = bytes.indexOf('\n', at);
    const end = Math.min(nl < 0 ? bytes.length : nl + 1, at + READ_LEN);
    const piece = bytes.slice(at, end);
    const nul = piece.indexOf('\0');
    out += nul < 0 ? piece : piece.slice(0, nul);
    at = end;
  }
  return out;
}

/** Quotes an argument for a config line when it needs it (sdscatrepr style). */
export function quoteArg(s: string): string {
  return s !== '' && !/[\s"'\\\x00-\x1f\x7f-\xff]/.test(s) ? s : repr(s);
}

export interface CommandLine {
  /** The config file, if one was given (a first argument not starting with '-'), or '-' for stdin. */
  configFile: string | null;
  /** Read configuration from standard input too ('-' as the first or last argument). */
  stdin: boolean;
  /** Options given as --name value, as config text (one directive per line). */
  options: string;
  version: boolean;
  help: boolean;
  /** A problem with the arguments themselves (none today: bad options fail as config lines). */
  error: string | null;
}

/**
 * redis-server 7.0's command line: `[config-file] [--name value ...] [-]`, or `-v`/`--version`,
 * `-h`/`--help` as the first argument. Each `--name` starts a directive and the arguments up to
 * the next `--name` are its values; a value may itself start with `--` when it directly follows
 * a name that has no value yet (`--requirepass --secret`). `--save` with no value means `save ""`.
 * Values are quoted into the line, so any bytes survive. An option with no value, or a value
 * before any option, becomes a line redis-server would refuse with the same reason.
 */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const r: CommandLine = { configFile: null, stdin: false, options: '', version: false, help: false, error: null };
  if (argv.length > 0 && (argv[0] === '-v' || argv[0] === '--version')) {
    r.version = true;
    return r;
  }
  if (argv.length > 0 && (argv[0] === '-h' || argv[0] === '--help')) {
    r.help = true;
    return r;
  }
  let i = 0;
  if (argv.length > 0 && argv[0] === '-') {
    r.configFile = '-';
    r.stdin = true;
    i = 1;
  } else if (argv.length > 0 && !argv[0].startsWith('-')) {
    r.configFile = argv[0];
    i = 1;
  }
  let options = '';
  // Whether the last directive started has a value; until it has one, "--x" is taken as its value.
  let handled = true;
  for (; i < argv.length; i++) {
    const a = argv[i];
    const last = i === argv.length - 1;
    if (a === '-' && last && i > 0) {
      r.stdin = true;
    } else if (handled && a.startsWith('--')) {
      if (options.length > 0) options += '\n';
      options += a.slice(2) + ' ';
      const bytes = strToBytes(utf8ToStr(a));
      const parts = splitArgs(bytes, 0, bytes.length);
      if (parts !== null && parts.length === 1) {
        handled = false;
        if (a.toLowerCase() === '--save' && (last || argv[i + 1].startsWith('--'))) {
          // `--save` alone (or followed by another option) disables saving, as before Redis 7.0.
          options += '""';
          handled = true;
        }
      }
    } else {
      // Arguments are text: their UTF-8 bytes go into the line quoted as redis-server quotes them
      // (sdscatrepr), which is also how a refused line is shown (`port "6379" "6380"`).
      options += repr(utf8ToStr(a)) + ' ';
      handled = true;
    }
  }
  r.options = options;
  return r;
}

/** Errors from reading files, in strerror's words as Redis prints them. */
export function describeFsError(e: unknown): string {
  const err = e as { code?: string; message?: string };
  switch (err.code) {
    case 'ENOENT': return 'No such file or directory';
    case 'EACCES': return 'Permission denied';
    case 'EPERM': return 'Operation not permitted';
    case 'EISDIR': return 'Is a directory';
    case 'ENOTDIR': return 'Not a directory';
    case 'ELOOP': return 'Too many levels of symbolic links';
    case 'EROFS': return 'Read-only file system';
    case 'ENOSPC': return 'No space left on device';
    case 'EBUSY': return 'Device or resource busy';
    default: return err.message ?? String(e);
  }
}

export interface LoadOptions {
  /**
   * Names in a directory (files and directories, no '.' or '..'); throws when it is not one.
   * Needed to expand include patterns: without it an include pattern is refused, not ignored.
   */
  list?: (dir: string) => readonly string[];
  /** Internal: include depth. */
  depth?: number;
  /** `read` returns byte strings (a file's bytes, as Redis reads them), not text. */
  bytes?: boolean;
}

const MAX_INCLUDE_DEPTH = 16;

/**
 * Reads a config file and the files it includes (depth first, in place, paths relative to the
 * working directory as in Redis). `read` returns a file's text and throws when it cannot. When
 * the file named here cannot be read this throws Redis's "Fatal error, can't open config file"
 * text; an include that cannot be read becomes a line carrying that error, so Config.load
 * reports it at the include line, after the lines before it.
 */
export function loadConfigFile(path: string, read: (p: string) => string, opts: LoadOptions = {}): ConfigLine[] {
  let text: string;
  try {
    text = read(path);
  } catch (e) {
    throw new Error(`Fatal error, can't open config file '${path}': ${describeFsError(e)}`);
  }
  const out: ConfigLine[] = [];
  for (const line of parseConfigText(text, path, 1, opts.bytes)) {
    if (line.name !== 'include' || line.args.length !== 1) {
      // A bad include line is refused with the other directives, in Config.load.
      out.push(line);
      continue;
    }
    const lines = readInclude(line, read, opts);
    out.push(...lines);
    // After a failed include the rest of this file does not matter: loading stops there.
    if (lines.length > 0 && lines[lines.length - 1].error !== undefined) return out;
  }
  return out;
}

/**
 * The lines an `include <path>` line stands for: the file, or every file a pattern matches in
 * sorted order (none when nothing matches). A failure comes back as the include line carrying
 * the error.
 */
export function readInclude(line: ConfigLine, read: (p: string) => string, opts: LoadOptions = {}): ConfigLine[] {
  const depth = opts.depth ?? 0;
  if (depth >= MAX_INCLUDE_DEPTH) return [{ ...line, error: 'Too many nested include directives' }];
  const target = line.args[0];
  if (hasGlob(target) && opts.list === undefined) {
    return [{ ...line, error: `Fatal error, can't expand the include pattern '${target}': no directory listing here` }];
  }
  const files = hasGlob(target) ? expandGlob(target, opts.list) : [target];
  const out: ConfigLine[] = [];
  for (const f of files) {
    try {
      out.push(...loadConfigFile(f, read, { ...opts, depth: depth + 1 }));
    } catch (e) {
      out.push({ ...line, error: (e as Error).message });
      return out;
    }
  }
  return out;
}

/** Redis treats a path holding `*`, `?` or `[` as a pattern. */
export function hasGlob(path: string): boolean {
  return path.includes('*') || path.includes('?') || path.includes('[');
}

/**
 * glob(3) over `list`: every path matching the pattern, component by component, sorted; names
 * starting with '.' match only a pattern that starts with '.'. Nothing when nothing matches.
 */
export function expandGlob(pattern: string, list?: (dir: string) => readonly string[]): string[] {
  if (list === undefined) return [];
  const absolute = pattern.startsWith('/');
  const parts = pattern.split('/').filter((p) => p !== '');
  let bases: string[] = [absolute ? '/' : ''];
  const join = (b: string, n: string): string => (b === '' ? n : b.endsWith('/') ? b + n : b + '/' + n);
  let sawGlob = false;
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k];
    const isLast = k === parts.length - 1;
    if (!hasGlob(part)) {
      // Literal components before the first pattern are taken as they are; after it, and as the
      // last component, they must exist, as glob(3) checks.
      if (!sawGlob && !isLast) {
        bases = bases.map((b) => join(b, part));
        continue;
      }
      const next: string[] = [];
      for (const b of bases) if (part === '.' || part === '..' || names(list, b).includes(part)) next.push(join(b, part));
      bases = next;
      continue;
    }
    sawGlob = true;
    // fnmatch's [!...] is stringmatch's [^...].
    const pat = part.replace(/\[!/g, '[^');
    const next: string[] = [];
    for (const b of bases) {
      for (const n of names(list, b)) {
        if (n.startsWith('.') && !part.startsWith('.')) continue;
        if (globMatch(pat, n)) next.push(join(b, n));
      }
    }
    bases = next;
  }
  return bases.filter((b) => b !== '' && b !== '/').sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}

function names(list: (dir: string) => readonly string[], dir: string): readonly string[] {
  try {
    return list(dir === '' ? '.' : dir);
  } catch {
    return [];
  }
}
