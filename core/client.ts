// One connection's state: its database, protocol version, name, auth, reply mode, and the
// parser and reply buffer between it and its transport. The server drives it (core/server.ts).

import { RequestParser } from './resp/parser.ts';
import { ReplyWriter } from './resp/writer.ts';
import type { Database } from './keyspace.ts';
import type { BlockState } from './blocking.ts';
import type { MultiState, WatchedKey } from './multi.ts';
import type { Server } from './server.ts';

/** What a transport gives the server for each connection. */
/** writeNow's answers (see Connection.writeNow). */
export const WRITE_DONE = 0;
export const WRITE_KEPT = 1;
export const WRITE_BUSY = 2;

/** Over a unix socket or from a loopback address (Redis's islocalClient). */
export function isLocalConnection(conn: Connection): boolean {
  const addr = conn.remoteAddress;
  return conn.kind === 'unix' || addr.startsWith('127.') || addr.startsWith('[::1]') || addr.startsWith('::1') ||
    addr.startsWith('::ffff:127.');
}

export interface Connection {
  /** "tcp", "unix" or "ws": CLIENT LIST and INFO show it. */
  readonly kind: 'tcp' | 'unix' | 'ws';
  /** "ip:port" of the peer ("/path:0" for unix sockets, as Redis prints them). */
  readonly remoteAddress: string;
  readonly localAddress: string;
  /** A socket descriptor number where the runtime exposes one, else a stable counter. */
  readonly fd: number;
  /** Sends chunks in order. */
  write(chunks: readonly Uint8Array[]): void;
  /**
   * Optional: sends one buffer that the caller wants back, so the reply buffer is not copied for
   * each write. Returns WRITE_DONE when the transport keeps no reference to `data` (the kernel
   * took it all, or the rest was copied), WRITE_KEPT when it holds `data` until sent (the caller
   * must not write into that memory again), or WRITE_BUSY, without sending anything, when
   * earlier output is still waiting (then write() with a copy: a slow reader would otherwise
   * pin one whole reply buffer per write).
   */
  writeNow?(data: Uint8Array): number;
  /** Bytes queued by the transport and not yet sent (for output-buffer limits). */
  readonly bufferedAmount: number;
  /**
   * True when the chunks given to onData are views of one buffer the transport reuses for the
   * next read; the server then has the parser copy what it keeps.
   */
  readonly reusesReadBuffer?: boolean;
  /** Closes after pending output is sent. */
  close(): void;
}

/**
 * The client's reply mode (CLIENT REPLY):
 * - on: every reply is sent
 * - off: no reply is sent until CLIENT REPLY ON
 * - skip: the reply to the next command is dropped, then back to on
 */
export type ReplyMode = 'on' | 'off' | 'skip';

export class Client {
  readonly id: number;
  readonly server: Server;
  readonly conn: Connection;
  readonly parser: RequestParser;
  /** Where replies go; swapped for a scratch writer while CLIENT REPLY OFF/SKIP drops them. */
  out = new ReplyWriter();
  /** The connection's own writer, for pushes (pub/sub): CLIENT REPLY OFF/SKIP swaps `out` for a
   * scratch writer but never drops pushes, as Redis's CLIENT_PUSHING does. */
  readonly pushOut: ReplyWriter = this.out;
  db: Database;
  name = '';
  libName = '';
  libVer = '';
  user = 'default';
  authenticated: boolean;
  createdAt: number;
  lastInteraction: number;
  replyMode: ReplyMode = 'on';
  /** Set by CLIENT REPLY SKIP: the next command's reply is dropped. */
  skipNextReply = false;
  /** Set while the client waits in a blocking command (core/blocking.ts). */
  blocked: BlockState | null = null;
  /** Set while EXEC runs the client's queued commands: blocking commands must not block. */
  inExec = false;
  /** The transaction being queued (and run by EXEC) since MULTI; null outside one (core/multi.ts). */
  multi: MultiState | null = null;
  /** The keys WATCH watches for this client; null when none. */
  watched: WatchedKey[] | null = null;
  /** Close once the pending replies are written (QUIT, protocol errors, CLIENT KILL). */
  closeAfterReply = false;
  /** In the server's queue of clients to flush at the end of this event-loop turn. */
  flushQueued = false;
  closed = false;
  /** What this client's buffers count for in used_memory now (core/eviction.ts), and, while
   * maxmemory-clients is set, its whole memory as client eviction counts it (tot-mem). */
  memCounted = 0;
  evictMem = 0;
  /** Receives the MONITOR feed. */
  monitor = false;
  /** Name of the last command run, for CLIENT LIST. */
  lastCommand = 'NULL';
  /** A command CLIENT PAUSE postponed; the server runs it when the pause ends. */
  heldArgv: string[] | null = null;
  /** Commands parsed ahead of the one running: ahead[aheadPos, aheadLen) (Server.readAhead). */
  ahead: string[][] = [];
  aheadLen = 0;
  aheadPos = 0;
  /** The batch read ahead left its lookups in its database's LookupMemo (see Server.readAhead). */
  aheadMemo = false;
  /** aheadInput[i]: the unparsed input before ahead[i] was parsed (see queryBufferBytes). */
  aheadInput: Int32Array | null = null;
  /** Set while a command runs that must not be interrupted by another client's flush. */
  flags = new Set<string>();

  constructor(server: Server, conn: Connection, id: number, db: Database, authenticated: boolean) {
    this.server = server;
    this.conn = conn;
    this.id = id;
    this.db = db;
    this.authenticated = authenticated;
    this.createdAt = server.keyspace.clock();
    this.lastInteraction = this.createdAt;
    this.parser = new RequestParser(server.parserLimits);
    this.parser.unauthenticated = !authenticated;
  }

  /** The transport calls this with each received chunk (the parser may keep it). */
  onData(chunk: Uint8Array): void {
    this.server.onClientData(this, chunk);
  }

  /** The transport calls this once when the connection is gone. */
  onClose(): void {
    // The peer hung up: Redis learns it from a read that returns nothing, and counts that read
    // (INFO total_reads_processed); a close of the server's own is no read.
    if (!this.closed) this.server.stats.readsProcessed++;
    this.server.onClientClosed(this);
  }

  /** The input not yet run when Server.processInput began its current round (see below). */
  roundInput = 0;

  /**
   * The query buffer in bytes, as Redis's qbuf counts it. Redis trims what it has run off its
   * buffer only when a round of processing (one read) ends, so while this client's own command
   * runs it is the whole round's input, the running command and those before it included;
   * otherwise what is not yet run: the parser's bytes plus the commands parsed ahead of the one
   * running (Server.readAhead).
   */
  get queryBufferBytes(): number {
    if (this.server.current === this) return this.roundInput;
    return this.unrunInput();
  }

  unrunInput(): number {
    return this.aheadPos < this.aheadLen ? this.aheadInput![this.aheadPos] : this.parser.pending;
  }

  /** Redis's islocalClient: connected over a unix socket or from a loopback address. */
  get local(): boolean {
    return isLocalConnection(this.conn);
  }

  get resp(): 2 | 3 {
    return this.out.proto;
  }
}
