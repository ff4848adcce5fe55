// The error every RDB reader throws: a corrupt, truncated or unsupported file or payload. The
// message says what was wrong (and the loader adds where), and never crashes the server.

export class RdbError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RdbError';
  }
}
