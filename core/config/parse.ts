// The redis.conf grammar: one directive per line, arguments split like inline commands (quotes
// and escapes as in sdssplitargs), `#` comments, `include` of other files. Command-line options
// (`--port 6380 --save ""`) become lines appended after the file, as redis-server does, so they
// override it.

import { splitArgs } from '../resp/parser.ts';
import { strToBytes, utf8ToStr } from '../bytes.ts';

/** One directive occurrence with where it came from, for error messages. */
export interface ConfigLine {
  name: string;
  args: string[];
  /** The line as written, for "FATAL CONFIG FILE ERROR" output. */
  text: string;
  file: string;
  line: number;
}

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

/** Splits config text into directive lines; throws ConfigFileError on unbalanced quotes. */
export function parseConfigText(text: string, file: string): ConfigLine[] {
  const out: ConfigLine[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].replace(/\r$/, '');
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    // Config text is UTF-8; arguments become byte strings like every other value in the core.
    const bytes = strToBytes(utf8ToStr(trimmed));
    const args = splitArgs(bytes, 0, bytes.length);
    if (args === null) throw new ConfigFileError(file, i + 1, trimmed, 'Unbalanced quotes in configuration line');
    if (args.length === 0) continue;
    out.push({ name: args[0].toLowerCase(), args: args.slice(1), text: trimmed, file, line: i + 1 });
  }
  return out;
}

/** Quotes an argument for a config line when it needs it (sdscatrepr style). */
export function quoteArg(s: string): string {
  if (s !== '' && !/[\s"'\\\x00-\x1f\x7f-\xff]/.test(s)) return s;
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i];
    if (ch === '\\' || ch === '"') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 32 || c > 126) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

export interface CommandLine {
  /** The config file, if one was given (first argument not starting with --). */
  configFile: string | null;
  /** Options given as --name value, as config text. */
  options: string;
  version: boolean;
  help: boolean;
  /** A problem with the arguments themselves. */
  error: string | null;
}

/**
 * redis-server's command line: `[config-file] [--name value ...]`, `-v`/`--version`,
 * `-h`/`--help`. Each `--name` starts a directive; its values follow until the next `--`;
 * a directive given no value gets "" (so `--save` alone disables saving, as in Redis).
 */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const r: CommandLine = { configFile: null, options: '', version: false, help: false, error: null };
  let i = 0;
  if (argv.length === 1 && (argv[0] === '-v' || argv[0] === '--version')) {
    r.version = true;
    return r;
  }
  if (argv.length >= 1 && (argv[0] === '-h' || argv[0] === '--help')) {
    r.help = true;
    return r;
  }
  if (argv.length > 0 && !argv[0].startsWith('--')) {
    r.configFile = argv[0];
    i = 1;
  }
  const lines: string[] = [];
  let cur: string[] | null = null;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--') && a.length > 2) {
      if (a === '--version') {
        r.version = true;
        return r;
      }
      if (a === '--help') {
        r.help = true;
        return r;
      }
      if (cur !== null) lines.push(finish(cur));
      cur = [a.slice(2)];
    } else if (cur === null) {
      r.error = `Invalid argument '${a}': options must start with '--'`;
      return r;
    } else {
      cur.push(quoteArg(a));
    }
  }
  if (cur !== null) lines.push(finish(cur));
  r.options = lines.join('\n');
  return r;
}

function finish(cur: string[]): string {
  return cur.length === 1 ? `${cur[0]} ""` : cur.join(' ');
}

/**
 * Reads a config file and the files it includes (depth-first, in place, paths relative to the
 * working directory as in Redis). `read` returns a file's text and throws when it cannot.
 */
export function loadConfigFile(path: string, read: (p: string) => string, depth = 0): ConfigLine[] {
  if (depth > 16) throw new ConfigFileError(path, 0, `include ${path}`, 'Too many nested includes');
  const out: ConfigLine[] = [];
  for (const line of parseConfigText(read(path), path)) {
    if (line.name !== 'include') {
      out.push(line);
      continue;
    }
    if (line.args.length !== 1) throw new ConfigFileError(line.file, line.line, line.text, 'wrong number of arguments');
    let text: ConfigLine[];
    try {
      text = loadConfigFile(line.args[0], read, depth + 1);
    } catch (e) {
      if (e instanceof ConfigFileError) throw e;
      throw new ConfigFileError(line.file, line.line, line.text, `Can't open the include file: ${(e as Error).message}`);
    }
    out.push(...text);
  }
  return out;
}
