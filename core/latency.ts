// The latency monitor (LATENCY LATEST / HISTORY / RESET / GRAPH / DOCTOR), after Redis's
// latency.c. With latency-monitor-threshold > 0, an event that takes at least that many
// milliseconds is recorded under its class: "command" and "fast-command" (a command's run),
// "expire-cycle", "eviction-cycle" and "eviction-del", and the AOF's "aof-write" (with
// "aof-write-alone" or "aof-write-pending-fsync") and "aof-fsync-always" (plugins/persistence/aof).
// Each class keeps one sample per second
// (the worst of that second) in a ring of LATENCY_TS_LEN, and its all-time maximum. Times are
// Unix seconds, read from the server's clock.
//
// LATENCY HISTOGRAM is the other half of the command: it reports the per-command histograms that
// latency-tracking keeps for INFO latencystats (core/info.ts).

import type { Server } from './server.ts';

const LATENCY_TS_LEN = 160;
const GRAPH_COLS = 80;
const GRAPH_ROWS = 4;

interface Series {
  times: number[];
  latencies: number[];
  idx: number;
  max: number;
}

export class LatencyMonitor {
  /** Event classes in the order they first had a sample. */
  readonly events = new Map<string, Series>();

  /** latencyAddSample: the sample joins its class, or raises the sample of this second. */
  add(event: string, ms: number, nowSec: number): void {
    let ts = this.events.get(event);
    if (ts === undefined) {
      ts = { times: new Array(LATENCY_TS_LEN).fill(0), latencies: new Array(LATENCY_TS_LEN).fill(0), idx: 0, max: 0 };
      this.events.set(event, ts);
    }
    if (ms > ts.max) ts.max = ms;
    const prev = (ts.idx + LATENCY_TS_LEN - 1) % LATENCY_TS_LEN;
    if (ts.times[prev] === nowSec) {
      if (ms > ts.latencies[prev]) ts.latencies[prev] = ms;
      return;
    }
    ts.times[ts.idx] = nowSec;
    ts.latencies[ts.idx] = ms;
    ts.idx = (ts.idx + 1) % LATENCY_TS_LEN;
  }

  /** latencyResetEvent: drops the class named (any case), or every class; how many went. */
  reset(event: string | null): number {
    let n = 0;
    const name = event?.toLowerCase();
    for (const k of [...this.events.keys()]) {
      if (name === undefined || k.toLowerCase() === name) {
        this.events.delete(k);
        n++;
      }
    }
    return n;
  }

  /** The samples of a class, oldest first, as [time, latency] pairs. */
  samples(event: string): [number, number][] {
    const ts = this.events.get(event);
    const out: [number, number][] = [];
    if (ts === undefined) return out;
    for (let j = 0; j < LATENCY_TS_LEN; j++) {
      const i = (ts.idx + j) % LATENCY_TS_LEN;
      if (ts.times[i] !== 0) out.push([ts.times[i], ts.latencies[i]]);
    }
    return out;
  }

  /** LATENCY LATEST: per class, the last sample's time and latency, and the all-time maximum. */
  latest(): [string, number, number, number][] {
    const out: [string, number, number, number][] = [];
    for (const [event, ts] of this.events) {
      const last = (ts.idx + LATENCY_TS_LEN - 1) % LATENCY_TS_LEN;
      out.push([event, ts.times[last], ts.latencies[last], ts.max]);
    }
    return out;
  }

  /** LATENCY GRAPH's text, or null when the class has no samples. */
  graph(event: string, nowSec: number): string | null {
    const ts = this.events.get(event);
    if (ts === undefined) return null;
    const values: number[] = [];
    const labels: string[] = [];
    for (const [time, latency] of this.samples(event)) {
      values.push(latency);
      labels.push(ago(nowSec - time));
    }
    const min = values.length === 0 ? 0 : Math.min(...values);
    const max = values.length === 0 ? 0 : Math.max(...values);
    return `${event} - high ${max} ms, low ${min} ms (all time high ${ts.max} ms)\n` + '-'.repeat(GRAPH_COLS) + '\n' +
      sparkline(values, labels, GRAPH_COLS, GRAPH_ROWS);
  }

  /** LATENCY DOCTOR's report. */
  doctor(server: Server, nowSec: number, hugePages: boolean): string {
    const threshold = server.config.num('latency-monitor-threshold');
    if (this.events.size === 0 && threshold === 0) {
      return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n";
    }
    const advise = new Set<Advice>();
    let advices = 0;
    const add = (...a: Advice[]): void => {
      for (const x of a) advise.add(x);
      advices += a.length;
    };
    let report = '';
    let eventnum = 0;
    for (const [event, ts] of this.events) {
      eventnum++;
      if (eventnum === 1) report += "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n";
      const s = analyze(ts, nowSec);
      report += `${eventnum}. ${event}: ${s.samples} latency spikes (average ${s.avg}ms, mean deviation ${s.mad}ms, period ${(s.period / s.samples).toFixed(2)} sec). Worst all time event ${ts.max}ms.`;
      const e = event.toLowerCase();
      if (e === 'command') {
        const slower = server.config.num('slowlog-log-slower-than');
        if (slower < 0) add('slowlog_enabled');
        else if (Math.trunc(slower / 1000) > threshold) add('slowlog_tuning');
        add('slowlog_inspect', 'large_objects');
      } else if (e === 'fast-command') add('scheduler');
      else if (e === 'aof-write-pending-fsync') add('local_disk', 'disk_contention', 'ssd', 'data_writeback');
      else if (e === 'aof-write-active-child') add('no_appendfsync', 'data_writeback', 'ssd');
      else if (e === 'aof-write-alone') add('local_disk', 'data_writeback', 'ssd');
      else if (e === 'aof-fsync-always') add('relax_fsync_policy');
      else if (e === 'aof-fstat' || e === 'rdb-unlink-temp-file') add('disk_contention', 'local_disk');
      else if (e === 'aof-rewrite-diff-write' || e === 'aof-rename') add('write_load_info', 'data_writeback', 'ssd', 'local_disk');
      else if (e === 'expire-cycle') add('hz', 'large_objects');
      else if (e === 'eviction-del') add('large_objects');
      else if (e === 'eviction-cycle') add('mass_eviction');
      report += '\n';
    }
    if (hugePages) add('disable_thp');
    if (eventnum === 0 && advices === 0) {
      return report + 'Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n';
    }
    if (eventnum > 0 && advices === 0) {
      return report + "\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n";
    }
    report += '\nI have a few advices for you:\n\n';
    for (const [name, text] of ADVICE) {
      if (advise.has(name)) report += typeof text === 'string' ? text : text(threshold);
    }
    return report;
  }
}

type Advice = typeof ADVICE[number][0];

/** The advices in the order the report gives them, with Redis 7.0's words. */
const ADVICE = [
  ['better_vm', '- If you are using a virtual machine, consider upgrading it with a faster one using a hypervisior that provides less latency during fork() calls. Xen is known to have poor fork() performance. Even in the context of the same VM provider, certain kinds of instances can execute fork faster than others.\n'],
  ['slowlog_enabled', (t: number) => `- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than ${t * 1000}'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n`],
  ['slowlog_tuning', (t: number) => `- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than ${t * 1000}'.\n`],
  ['slowlog_inspect', '- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n'],
  ['scheduler', '- The system is slow to execute Redis code paths not containing system calls. This usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n' +
    '  1) Lower the system load.\n' +
    '  2) Use a computer / VM just for Redis if you are running other software in the same system.\n' +
    '  3) Check if you have a "noisy neighbour" problem.\n' +
    "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n" +
    '  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using Jemalloc. However this may create fragmentation problems.\n'],
  ['local_disk', '- It is strongly advised to use local disks for persistence, especially if you are using AOF. Remote disks provided by platform-as-a-service providers are known to be slow.\n'],
  ['ssd', '- SSD disks are able to reduce fsync latency, and total time needed for snapshotting and AOF log rewriting (resulting in smaller memory usage). With extremely high write load SSD disks can be a good option. However Redis should perform reasonably with high load using normal disks. Use this advice as a last resort.\n'],
  ['data_writeback', '- Mounting ext3/4 filesystems with data=writeback can provide a performance boost compared to data=ordered, however this mode of operation provides less guarantees, and sometimes it can happen that after a hard crash the AOF file will have a half-written command at the end and will require to be repaired before Redis restarts.\n'],
  ['disk_contention', '- Try to lower the disk contention. This is often caused by other disk intensive processes running in the same computer (including other Redis instances).\n'],
  ['no_appendfsync', "- Assuming from the point of view of data safety this is viable in your environment, you could try to enable the 'no-appendfsync-on-rewrite' option, so that fsync will not be performed while there is a child rewriting the AOF file or producing an RDB file (the moment where there is high disk contention).\n"],
  ['relax_fsync_policy', "- Your fsync policy is set to 'always'. It is very hard to get good performances with such a setup, if possible try to relax the fsync policy to 'onesec'.\n"],
  ['write_load_info', '- Latency during the AOF atomic rename operation or when the final difference is flushed to the AOF file at the end of the rewrite, sometimes is caused by very high write load, causing the AOF buffer to get very large. If possible try to send less commands to accomplish the same work, or use Lua scripts to group multiple operations into a single EVALSHA call.\n'],
  ['hz', "- In order to make the Redis keys expiring process more incremental, try to set the 'hz' configuration parameter to 100 using 'CONFIG SET hz 100'.\n"],
  ['large_objects', '- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n'],
  ['mass_eviction', "- Sudden changes to the 'maxmemory' setting via 'CONFIG SET', or allocation of large objects via sets or sorted sets intersections, STORE option of SORT, Redis Cluster large keys migrations (RESTORE command), may create sudden memory pressure forcing the server to block trying to evict keys. \n"],
  ['disable_thp', "- I detected a non zero amount of anonymous huge pages used by your process. This creates very serious latency events in different conditions, especially when Redis is persisting on disk. To disable THP support use the command 'echo never > /sys/kernel/mm/transparent_hugepage/enabled', make sure to also add it into /etc/rc.local so that the command will be executed again after a reboot. Note that even if you have already disabled THP, you still need to restart the Redis process to get rid of the huge pages already created.\n"],
] as const;

/** analyzeLatencyForEvent: sample count, integer average and mean deviation, period in s. */
function analyze(ts: Series, nowSec: number): { samples: number; avg: number; mad: number; period: number } {
  let samples = 0;
  let sum = 0;
  let oldest = 0;
  for (let j = 0; j < LATENCY_TS_LEN; j++) {
    if (ts.times[j] === 0) continue;
    samples++;
    sum += ts.latencies[j];
    if (oldest === 0 || ts.times[j] < oldest) oldest = ts.times[j];
  }
  if (samples === 0) return { samples, avg: 0, mad: 0, period: 0 };
  const avg = Math.floor(sum / samples);
  let period = nowSec - oldest;
  if (period === 0) period = 1;
  let dev = 0;
  for (let j = 0; j < LATENCY_TS_LEN; j++) if (ts.times[j] !== 0) dev += Math.abs(avg - ts.latencies[j]);
  return { samples, avg, mad: Math.floor(dev / samples), period };
}

/** How long ago, as the graph labels it: 12s, 5m, 3h, 2d. */
function ago(elapsed: number): string {
  if (elapsed < 60) return `${elapsed}s`;
  if (elapsed < 3600) return `${Math.trunc(elapsed / 60)}m`;
  if (elapsed < 86400) return `${Math.trunc(elapsed / 3600)}h`;
  return `${Math.trunc(elapsed / 86400)}d`;
}

/**
 * Redis's sparkline.c with SPARKLINE_FILL: each sample is a column `rows` characters high drawn
 * with "_o#" and '|' below the top, then one blank line and the label written downwards, in
 * blocks of `cols` samples.
 */
function sparkline(values: number[], labels: string[], cols: number, rows: number): string {
  let out = '';
  if (values.length === 0) return out;
  const min = Math.min(...values);
  const span = Math.max(...values) - min;
  const relmax = span === 0 ? 1 : span;
  const steps = 3 * rows;
  for (let off = 0; off < values.length; off += cols) {
    if (off !== 0) out += '\n';
    const len = Math.min(cols, values.length - off);
    for (let row = 0; ; row++) {
      let line = '';
      let more = false;
      if (row < rows) {
        more = true;
        for (let j = 0; j < len; j++) {
          let step = Math.trunc(Math.trunc((values[off + j] - min) * steps) / relmax);
          if (step >= steps) step = steps - 1;
          const idx = step - (rows - row - 1) * 3;
          line += idx >= 0 && idx < 3 ? '_o#'[idx] : idx >= 3 ? '|' : ' ';
        }
      } else if (row === rows) {
        // The margin between the graph and the labels.
        more = true;
        line = ' '.repeat(len);
      } else {
        const at = row - rows - 1;
        for (let j = 0; j < len; j++) {
          const label = labels[off + j];
          if (at < label.length) {
            more = true;
            line += label[at];
          } else line += ' ';
        }
      }
      if (!more) break;
      out += line + '\n';
    }
  }
  return out;
}
