// Every error reply, with Redis 7.0's exact text (the code first: ERR, WRONGTYPE, ...). Handlers
// reply with these constants or the builders below, never with ad-hoc strings, so the text stays
// byte-for-byte what clients and tests expect.

export const ERR = {
  syntax: 'ERR syntax error',
  wrongType: 'WRONGTYPE Operation against a key holding the wrong kind of value',
  noKey: 'ERR no such key',
  notInteger: 'ERR value is not an integer or out of range',
  notFloat: 'ERR value is not a valid float',
  overflow: 'ERR increment or decrement would overflow',
  incrFloatNaN: 'ERR increment would produce NaN or Infinity',
  sameObject: 'ERR source and destination objects are the same',
  outOfRange: 'ERR index out of range',
  invalidDb: 'ERR invalid DB index',
  dbOutOfRange: 'ERR DB index is out of range',
  stringTooLong: 'ERR string exceeds maximum allowed size (proto-max-bulk-len)',
  bitOffset: 'ERR bit offset is not an integer or out of range',
  bitValue: 'ERR bit is not an integer or out of range',
  offsetRange: 'ERR offset is out of range',
  maxClients: 'ERR max number of clients reached',
  noAuth: 'NOAUTH Authentication required.',
  wrongPass: 'WRONGPASS invalid username-password pair or user is disabled.',
  authNoPassword: 'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
  noProto: 'NOPROTO unsupported protocol version',
  loading: 'LOADING Redis is loading the dataset in memory',
  oom: "OOM command not allowed when used memory > 'maxmemory'.",
  busyKey: 'BUSYKEY Target key name already exists.',
  readonlyReplica: "READONLY You can't write against a read only replica.",
  noReplicas: 'NOREPLICAS Not enough good replicas to write.',
  masterDown: "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
  misconf: "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.",
  execAbort: 'EXECABORT Transaction discarded because of previous errors.',
  timeoutNotFloat: 'ERR timeout is not a float or out of range',
  timeoutNegative: 'ERR timeout is negative',
  clientNotFound: 'ERR No such client',
  invalidCursor: 'ERR invalid cursor',
  moduleDisabled: 'ERR MODULE command not allowed. If the enable-module-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.',
} as const;

/** `ERR unknown command 'name', with args beginning with: 'a' 'b' ` (Redis's exact shape). */
export function unknownCommand(argv: readonly string[]): string {
  let args = '';
  for (let i = 1; i < argv.length && args.length < 128; i++) {
    args += `'${argv[i].slice(0, 128 - args.length)}' `;
  }
  return `ERR unknown command '${argv[0].slice(0, 128)}', with args beginning with: ${args}`;
}

/** `ERR unknown subcommand 'x'. Try CONFIG HELP.` */
export function unknownSubcommand(sub: string, container: string): string {
  return `ERR unknown subcommand '${sub.slice(0, 128)}'. Try ${container.toUpperCase()} HELP.`;
}

/** `ERR wrong number of arguments for 'get' command` (fullname is `config|get` for subcommands). */
export function wrongArity(fullname: string): string {
  return `ERR wrong number of arguments for '${fullname}' command`;
}

export function invalidExpire(command: string): string {
  return `ERR invalid expire time in '${command}' command`;
}

/** Internal failures carry a stable code; their message starts with a capital, no period. */
export class ServerError extends Error {
  code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.name = 'ServerError';
  }
}
