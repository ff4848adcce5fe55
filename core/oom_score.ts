// oom-score-adj and oom-score-adj-values, as Redis's setOOMScoreAdj: on Linux the server writes
// its own /proc/self/oom_score_adj, so the kernel's OOM killer picks it later (or sooner) than
// other processes. `yes`/`relative` add the master's value to the score the process had when
// echokv first took control of it; `absolute` writes the value itself; `no` gives back the
// score it had before. echokv is always a master (the replica and background-child values are
// kept for the config only).

import type { Server } from './server.ts';

const PROC_FILE = '/proc/self/oom_score_adj';

export class OomScore {
  /** Whether echokv changed the score, and the one the process had before it did. */
  private adjusted = false;
  private base = 0;

  constructor(private readonly server: Server) {}

  /** Applies the current configuration; false when the score could not be read or written
   * (logged, as Redis logs it). Does nothing where there is no /proc/self/oom_score_adj. */
  apply(): boolean {
    const { host, config, log } = this.server;
    if (!host.os.startsWith('Linux')) return true;
    const mode = config.str('oom-score-adj');
    let val: number;
    if (mode !== 'no') {
      if (!this.adjusted) {
        let text: string;
        try {
          text = host.readText(PROC_FILE);
        } catch (e) {
          log.warning(`Unable to read oom_score_adj: ${(e as Error).message}`);
          return false;
        }
        this.adjusted = true;
        this.base = Number.parseInt(text, 10) || 0;
      }
      val = (config.get('oom-score-adj-values') as number[])[0];
      if (mode !== 'absolute') val += this.base;
      val = Math.min(1000, Math.max(-1000, val));
    } else if (this.adjusted) {
      this.adjusted = false;
      val = this.base;
    } else {
      return true;
    }
    try {
      host.writeText(PROC_FILE, `${val}\n`);
    } catch (e) {
      log.warning(`Unable to write oom_score_adj: ${(e as Error).message}`);
      return false;
    }
    return true;
  }
}
