// The error every RDB reader throws: a corrupt, truncated or unsupported file or payload. The
// message says what was wrong (and the loader adds where), and never crashes the server.

export class RdbError extends Error {
  /** The input ended early (Redis's rdbReportReadError), rather than holding something wrong. */
  readonly eof: boolean;
  constructor(message: string, eof = false) {
    super(message);
    this.name = 'RdbError';
    this.eof = eof;
  }
}

/** A premature end, in Redis's words (its rdbLoad and redis-check-rdb both say this). */
export function rdbEof(): RdbError {
  return new RdbError('Unexpected EOF reading RDB file', true);
}
