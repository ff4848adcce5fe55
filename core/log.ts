// Log lines in Redis's format, so tools that read redis-server logs read ours:
//   <pid>:<role> <day> <Mon> <year> <hh:mm:ss.mmm> <level> <message>
// level is '.' debug, '-' verbose, '*' notice, '#' warning; role is M (master), S (replica),
// C (child). Messages start with a capital and end without a period.

export type LogLevel = 'debug' | 'verbose' | 'notice' | 'warning' | 'nothing';

const RANK: Record<LogLevel, number> = { debug: 0, verbose: 1, notice: 2, warning: 3, nothing: 4 };
const MARK: Record<LogLevel, string> = { debug: '.', verbose: '-', notice: '*', warning: '#', nothing: '' };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export class Logger {
  level: LogLevel = 'notice';
  role: 'M' | 'S' | 'C' = 'M';
  pid: number;
  private sink: (line: string) => void;
  private clock: () => number;

  constructor(pid: number, sink: (line: string) => void, clock: () => number = Date.now) {
    this.pid = pid;
    this.sink = sink;
    this.clock = clock;
  }

  setSink(sink: (line: string) => void): void {
    this.sink = sink;
  }

  enabled(level: LogLevel): boolean {
    return RANK[level] >= RANK[this.level] && level !== 'nothing';
  }

  log(level: LogLevel, message: string): void {
    if (!this.enabled(level)) return;
    this.sink(`${this.pid}:${this.role} ${stamp(this.clock())} ${MARK[level]} ${message}\n`);
  }

  debug(m: string): void { this.log('debug', m); }
  verbose(m: string): void { this.log('verbose', m); }
  notice(m: string): void { this.log('notice', m); }
  warning(m: string): void { this.log('warning', m); }

  /** A line without the prefix (the start-up banner), written whatever the level. */
  raw(text: string): void {
    this.sink(text.endsWith('\n') ? text : text + '\n');
  }
}

const p2 = (n: number): string => (n < 10 ? '0' + n : String(n));

function stamp(ms: number): string {
  const d = new Date(ms);
  const milli = String(d.getMilliseconds()).padStart(3, '0');
  return `${p2(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ` +
    `${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${milli}`;
}
