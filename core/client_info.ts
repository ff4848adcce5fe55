// CLIENT LIST's line for one client and its tot-mem, which client eviction and the output-buffer
// limit's log line use too. Kept apart from the CLIENT command so the memory accounting can use
// it without importing the command table (eviction.ts is imported before server.ts by some).

import type { Client } from './client.ts';

/** The flags field of CLIENT LIST, letters in Redis's order; N when none applies. */
function flagString(c: Client): string {
  let f = '';
  if (c.monitor) f += 'O';
  else if (c.flags.has('replica')) f += 'S';
  if (c.flags.has('master')) f += 'M';
  if (c.flags.has('pubsub')) f += 'P';
  if (c.flags.has('multi')) f += 'x';
  if (c.blocked !== null || c.heldArgv !== null) f += 'b';
  if (c.flags.has('tracking')) {
    f += 't';
    const t = c.server.tracking!.listFields(c);
    if (t.broken) f += 'R';
    if (t.bcast) f += 'B';
  }
  if (c.flags.has('dirty_cas')) f += 'd';
  if (c.closeAfterReply) f += 'c';
  if (c.conn.kind === 'unix') f += 'U';
  if (c.flags.has('readonly')) f += 'r';
  if (c.flags.has('no-evict')) f += 'e';
  return f === '' ? 'N' : f;
}

function argvBytes(argv: readonly string[] | null): number {
  let n = 0;
  if (argv !== null) for (const a of argv) n += a.length;
  return n;
}

/**
 * One CLIENT LIST line, fields in Redis 7.0's order. What echokv measures differently:
 * qbuf is the input not yet run, or for the client running the command the input of its current
 * round (Client.queryBufferBytes); qbuf-free is what Redis would have reserved: the rest of a big
 * bulk whose header came (input is otherwise kept as received chunks); argv-mem is the
 * argument bytes of the command being run or held by CLIENT PAUSE, or of a command still arriving
 * (then not in qbuf, as in Redis); rbs is the size of the reply
 * buffer and rbp what it holds now (Redis tracks a peak); obl is output not yet handed to the
 * socket, omem what the socket still has queued (oll 1 when it has some); tot-mem adds these to
 * a fixed 1 KB for the connection's objects. multi is the queue's length in MULTI (-1 outside),
 * multi-mem the queued arguments (core/multi.ts).
 */
/**
 * A client's tot-mem: a fixed 1 KB for the connection's objects, its input (and the rest of a big
 * bulk announced, as Redis's query buffer is sized for it), the arguments held,
 * the transaction's memory, the reply buffer, what the socket still has queued, and (as Redis's
 * pubsubMemOverhead) a dict entry per subscribed channel and a list node per pattern, and a rax
 * node (32 bytes) per tracking prefix. Client
 * eviction (maxmemory-clients, core/eviction.ts) counts a client by this figure.
 */
export function clientTotalMemory(c: Client, running: readonly string[] | null = null): number {
  const [sub, psub, ssub] = c.server.pubsub.counts(c);
  return 1024 + c.queryBufferBytes + c.parser.awaited + argvBytes(running ?? c.heldArgv) + c.server.transactions.memory(c) +
    c.out.capacity + c.conn.bufferedAmount + (sub + ssub) * 32 + psub * 24 +
    (c.server.tracking === null ? 0 : c.server.tracking.prefixCount(c) * 32);
}

export function clientInfoLine(c: Client, running: readonly string[] | null = null): string {
  const now = c.server.keyspace.clock();
  const sec = (ms: number): number => Math.floor(ms / 1000);
  // A command still arriving: Redis has parsed its arguments so far out of the query buffer into
  // argv (argv-mem), and its qbuf holds only the rest; tot-mem counts both either way.
  const partial = c.server.current !== c && c.aheadPos >= c.aheadLen;
  const qbuf = c.queryBufferBytes - (partial ? c.parser.partialArgs : 0);
  // A blocked client keeps its command's arguments until it is served (Redis's argv_len_sum).
  const argvMem = (c.blocked !== null && running === null ? c.blocked.argvMem : argvBytes(running ?? c.heldArgv)) +
    (partial ? c.parser.partialArgLength : 0);
  const rbs = c.out.capacity;
  const obl = c.out.size;
  const omem = c.conn.bufferedAmount;
  const multiMem = c.server.transactions.argvLenSums(c);
  const totMem = clientTotalMemory(c, running);
  const events = obl > 0 || omem > 0 ? 'rw' : 'r';
  const laddr = c.conn.localAddress;
  const [sub, psub, ssub] = c.server.pubsub.counts(c);
  return `id=${c.id} addr=${c.conn.remoteAddress} laddr=${laddr} fd=${c.conn.fd} name=${c.name} ` +
    `age=${sec(now) - sec(c.createdAt)} idle=${sec(now) - sec(c.lastInteraction)} flags=${flagString(c)} ` +
    `db=${c.db.id} sub=${sub} psub=${psub} ssub=${ssub} multi=${c.multi === null ? -1 : c.multi.queue.length} qbuf=${qbuf} qbuf-free=${c.parser.awaited} argv-mem=${argvMem} ` +
    `multi-mem=${multiMem} rbs=${rbs} rbp=${obl} obl=${obl} oll=${omem > 0 ? 1 : 0} omem=${omem} ` +
    `tot-mem=${totMem} events=${events} cmd=${c.lastCommand} user=${c.user} ` +
    `redir=${c.server.tracking === null ? -1 : c.server.tracking.listFields(c).redirect} resp=${c.resp}`;
}

