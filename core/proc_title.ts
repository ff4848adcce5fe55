// The process title (`ps`, /proc/PID/cmdline): proc-title-template expanded as Redis's
// redisSetProcTitle does, set at start-up and again by CONFIG SET proc-title-template.

import type { Server } from './server.ts';
import { strToUtf8 } from './bytes.ts';

/**
 * Redis's sdstemplate: each `{name}` is replaced by lookup(name), `{{` is a literal '{'. Null
 * when a variable is unknown (lookup gives undefined) or a brace is left open. The result is
 * trimmed of spaces, as expandProcTitleTemplate trims it.
 */
export function expandTemplate(t: string, lookup: (name: string) => string | undefined): string | null {
  let out = '';
  let i = 0;
  while (i < t.length) {
    const open = t.indexOf('{', i);
    if (open < 0) {
      out += t.slice(i);
      break;
    }
    out += t.slice(i, open);
    if (open + 1 >= t.length) return null;
    if (t[open + 1] === '{') {
      out += '{';
      i = open + 2;
      continue;
    }
    const close = t.indexOf('}', open + 1);
    if (close < 0) return null;
    const value = lookup(t.slice(open + 1, close));
    if (value === undefined) return null;
    out += value;
    i = close + 1;
  }
  return out.replace(/^ +| +$/g, '');
}

/** The title for `server` (redisProcTitleGetVariable's variables); `program` is {title}. */
export function procTitle(server: Server, program: string): string | null {
  const cfg = server.config;
  const port = cfg.num('port');
  return expandTemplate(strToUtf8(cfg.str('proc-title-template')), (name) => {
    switch (name) {
      case 'title':
        return program;
      case 'listen-addr': {
        if (port === 0) return `unixsocket:${strToUtf8(cfg.str('unixsocket'))}`;
        const bind = cfg.get<string[]>('bind');
        return `${bind.length > 0 ? strToUtf8(bind[0]) : '*'}:${port}`;
      }
      case 'server-mode':
        return '';
      case 'config-file':
        return cfg.file !== '' ? cfg.file : '-';
      case 'port':
        return String(port);
      case 'tls-port':
        return '0';
      case 'unixsocket':
        return strToUtf8(cfg.str('unixsocket'));
      default:
        return undefined;
    }
  });
}
