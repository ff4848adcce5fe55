// The live configuration: values by directive, loaded from config lines, changed by CONFIG SET,
// read by everything else. Listeners apply a change (a new port, a new loglevel) and may refuse
// it, which rolls the whole CONFIG SET back, as Redis 7.0 does.

import * as v from 'valibot';
import { globMatch } from '../glob.ts';
import { DIRECTIVE_BY_NAME, DIRECTIVES } from './schema.ts';
import type { Args, ConfigValue, Directive } from './types.ts';
import { type ConfigLine, ConfigFileError } from './parse.ts';

export type { Args, ConfigValue, Directive } from './types.ts';

/** Applies a new value; returns an error text to refuse it. */
export type ConfigListener = (value: ConfigValue, name: string) => string | void;

export class Config {
  private values = new Map<string, ConfigValue>();
  private listeners = new Map<string, ConfigListener[]>();
  /** Directives Redis knows that echokv accepts without acting on, as found in the config. */
  readonly unimplementedSeen = new Set<string>();
  /** Absolute path of the config file, '' when started without one. */
  file = '';

  constructor() {
    for (const dir of DIRECTIVES) {
      if (dir.accumulate && dir.name !== 'save') {
        this.values.set(dir.name, []);
        continue;
      }
      const r = v.safeParse(dir.schema, dir.default);
      if (!r.success) throw new Error(`Bad default for ${dir.name}: ${r.issues[0].message}`);
      this.values.set(dir.name, r.output);
    }
  }

  /** The value of a directive, by its canonical name. */
  get<T extends ConfigValue = ConfigValue>(name: string): T {
    const val = this.values.get(name);
    if (val === undefined) throw new Error(`Unknown config directive: ${name}`);
    return val as T;
  }

  num(name: string): number {
    return this.get<number>(name);
  }

  bool(name: string): boolean {
    return this.get<boolean>(name);
  }

  str(name: string): string {
    return this.get<string>(name);
  }

  /** Parses a directive's arguments with its schema; an error text, or the value. */
  static parse(dir: Directive, args: Args): { value?: ConfigValue; error?: string } {
    const r = v.safeParse(dir.schema, args);
    if (r.success) return { value: r.output };
    return { error: r.issues[0].message };
  }

  /**
   * Loads config-file lines in order (listeners are not called: the server applies the whole
   * configuration at start). Throws ConfigFileError on an unknown directive or a bad value.
   */
  load(lines: readonly ConfigLine[]): void {
    const accumulated = new Set<string>();
    for (const line of lines) {
      const dir = DIRECTIVE_BY_NAME.get(line.name);
      if (dir === undefined) {
        throw new ConfigFileError(line.file, line.line, line.text, 'Bad directive or wrong number of arguments');
      }
      let args: Args = line.args;
      if (dir.accumulate && dir.name !== 'save') {
        // include, user, rename-command, loadmodule: each line adds one entry.
        const prev = accumulated.has(dir.name) ? (this.values.get(dir.name) as readonly string[]) : [];
        const r = Config.parse(dir, args);
        if (r.error) throw new ConfigFileError(line.file, line.line, line.text, r.error);
        accumulated.add(dir.name);
        this.values.set(dir.name, [...prev, args.join(' ')]);
        this.noteUnimplemented(dir);
        continue;
      }
      if (dir.name === 'save' && accumulated.has('save')) {
        // The first save line replaces the default, later ones add save points.
        const r = Config.parse(dir, args);
        if (r.error) throw new ConfigFileError(line.file, line.line, line.text, r.error);
        const prev = this.values.get('save') as number[];
        this.values.set('save', (r.value as number[]).length === 0 ? [] : [...prev, ...(r.value as number[])]);
        continue;
      }
      if (dir.name === 'save') accumulated.add('save');
      if (dir.name === 'client-output-buffer-limit') args = this.mergeOutputLimits(args);
      const r = Config.parse(dir, args);
      if (r.error) throw new ConfigFileError(line.file, line.line, line.text, r.error);
      this.values.set(dir.name, r.value as ConfigValue);
      this.noteUnimplemented(dir);
    }
  }

  private noteUnimplemented(dir: Directive): void {
    if (!dir.implemented) this.unimplementedSeen.add(dir.name);
  }

  /** A client-output-buffer-limit line sets only the classes it names. */
  private mergeOutputLimits(args: Args): Args {
    const cur = [...(this.values.get('client-output-buffer-limit') as readonly string[])];
    if (args.length % 4 !== 0) return args;
    for (let i = 0; i < args.length; i += 4) {
      let cls = args[i].toLowerCase();
      if (cls === 'replica') cls = 'slave';
      const at = cur.findIndex((x, j) => j % 4 === 0 && x === cls);
      const group = [cls, args[i + 1], args[i + 2], args[i + 3]];
      if (at >= 0) cur.splice(at, 4, ...group);
      else cur.push(...group);
    }
    return cur;
  }

  /** Registers a listener that applies changes to `name` made by CONFIG SET. */
  onChange(name: string, fn: ConfigListener): void {
    const list = this.listeners.get(name);
    if (list) list.push(fn);
    else this.listeners.set(name, [fn]);
  }

  /**
   * CONFIG SET of several directives at once, all or nothing. Returns null on success or the
   * error reply text.
   */
  setMany(pairs: readonly (readonly [string, string])[]): string | null {
    const planned: [Directive, ConfigValue][] = [];
    const seen = new Set<string>();
    for (const [rawName, rawValue] of pairs) {
      const name = rawName.toLowerCase();
      const dir = DIRECTIVE_BY_NAME.get(name);
      if (dir === undefined || dir.hidden) {
        return `ERR Unknown option or number of arguments for CONFIG SET - '${rawName}'`;
      }
      if (seen.has(dir.name)) {
        return `ERR CONFIG SET failed (possibly related to argument '${rawName}') - duplicate parameter`;
      }
      seen.add(dir.name);
      if (!dir.mutable) {
        return `ERR CONFIG SET failed (possibly related to argument '${rawName}') - can't set immutable config`;
      }
      let args = splitConfigSetValue(dir, rawValue);
      if (dir.name === 'client-output-buffer-limit') args = this.mergeOutputLimits(args);
      const r = Config.parse(dir, args);
      if (r.error) return `ERR CONFIG SET failed (possibly related to argument '${rawName}') - ${r.error}`;
      planned.push([dir, r.value as ConfigValue]);
    }
    const old = planned.map(([dir]) => [dir, this.values.get(dir.name) as ConfigValue] as const);
    for (let i = 0; i < planned.length; i++) {
      const [dir, value] = planned[i];
      this.values.set(dir.name, value);
      for (const fn of this.listeners.get(dir.name) ?? []) {
        const err = fn(value, dir.name);
        if (typeof err === 'string') {
          // Roll back everything applied so far, listeners included.
          for (let j = i; j >= 0; j--) {
            const [odir, ovalue] = old[j];
            this.values.set(odir.name, ovalue);
            if (j < i) for (const g of this.listeners.get(odir.name) ?? []) g(ovalue, odir.name);
          }
          return `ERR CONFIG SET failed (possibly related to argument '${pairs[i][0]}') - ${err}`;
        }
      }
    }
    return null;
  }

  /** CONFIG GET: name/value pairs of every directive (and alias) matching any pattern. */
  getMatching(patterns: readonly string[]): [string, string][] {
    const out: [string, string][] = [];
    const done = new Set<string>();
    for (const dir of DIRECTIVES) {
      if (dir.hidden) continue;
      for (const name of [dir.name, ...(dir.aliases ?? [])]) {
        if (done.has(name)) continue;
        if (patterns.some((p) => globMatch(p, name, true))) {
          done.add(name);
          out.push([name, dir.format(this.values.get(dir.name) as ConfigValue)]);
        }
      }
    }
    return out;
  }

  /** The value of one directive as CONFIG GET prints it. */
  formatted(name: string): string {
    const dir = DIRECTIVE_BY_NAME.get(name);
    if (dir === undefined) throw new Error(`Unknown config directive: ${name}`);
    return dir.format(this.values.get(dir.name) as ConfigValue);
  }
}

/** CONFIG SET takes one string per directive; multi-argument ones are split on blanks. */
function splitConfigSetValue(dir: Directive, raw: string): Args {
  if (dir.default.length === 1 && !['save', 'bind', 'client-output-buffer-limit',
    'oom-score-adj-values', 'latency-tracking-info-percentiles', 'shutdown-on-sigint',
    'shutdown-on-sigterm', 'maxmemory-clients', 'replicaof', 'transport'].includes(dir.name)) {
    return [raw];
  }
  if (dir.name === 'save' && raw.trim() === '') return [''];
  return raw.split(/\s+/).filter((x) => x !== '');
}
