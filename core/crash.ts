// The crash report, after Redis 7.0's bugReportStart / sigsegvHandler / bugReportEnd (debug.c):
// when the server dies of a fatal signal or of an error nothing caught, the log gets what
// happened and the server's state (INFO), between the START and END lines operators look for.
// Then the process dies the way it would have: re-raising the signal (so a core is dumped where
// enabled and the exit status names the signal) or, for an error, exit code 1.
//
// Which signals: SIGABRT sent to the process (kill -ABRT), and SIGSEGV when DEBUG SEGFAULT asks
// for a crash. A real SIGSEGV, SIGBUS, SIGFPE or SIGILL in native code cannot run JavaScript (the
// runtime would return to the faulting instruction), so those are left to the runtime.

import type { CrashCause } from './host.ts';
import { infoText } from './info.ts';
import { type Server, VERSION } from './server.ts';

/** Writes the crash report for `cause` to the server's log (whatever its level). */
export function logCrashReport(server: Server, cause: CrashCause): void {
  const log = server.log;
  log.raw('\n\n=== ECHOKV BUG REPORT START: Cut & paste starting from here ===');
  if ('signal' in cause) {
    log.warning(`echokv ${VERSION} crashed by signal: ${cause.number}, si_code: ${cause.code}`);
    if (cause.address !== undefined) log.warning(`Accessing address: ${cause.address}`);
  } else {
    const e = cause.error as { stack?: unknown; message?: unknown };
    log.warning(`echokv ${VERSION} crashed by an uncaught error: ${String(e?.message ?? cause.error)}`);
    log.raw('\n------ STACK TRACE ------');
    log.raw(String(e?.stack ?? cause.error));
  }
  try {
    log.raw('\n------ INFO OUTPUT ------');
    log.raw(infoText(server, ['all']));
  } catch (e) {
    log.raw(`(INFO failed: ${(e as Error).message})`);
  }
  log.raw('\n=== ECHOKV BUG REPORT END. Make sure to include from START to END. ===\n');
}
