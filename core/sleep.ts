// Holding the server's one thread, as Redis's usleep/nanosleep does (DEBUG SLEEP, DEBUG
// AOF-FLUSH-SLEEP): tests use them to make a window of time where nothing else runs.

/** Blocks the whole server for `ms` milliseconds. */
export function blockFor(ms: number): void {
  if (!(ms > 0)) return;
  if (typeof SharedArrayBuffer === 'function' && typeof Atomics === 'object') {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    return;
  }
  const end = Date.now() + ms;
  while (Date.now() < end) { /* no blocking primitive: spin */ }
}
