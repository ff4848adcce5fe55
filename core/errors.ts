// Every error reply, with Redis 7.0's exact text (the code first: ERR, WRONGTYPE, ...). Handlers
// reply with these constants or the builders below, never with ad-hoc strings, so the text stays
// byte-for-byte what clients and tests expect. Arguments are quoted as C's %s prints them, up to
// their first NUL byte (cstr).

import { cstr } from './bytes.ts';

export const ERR = {
  syntax: 'ERR syntax error',
  // Redis's clusterCommand, READONLY and the others check server.cluster_enabled first.
  clusterDisabled: 'ERR This instance has cluster support disabled',
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
  decrOverflow: 'ERR decrement would overflow',
  lcsWrongType: 'ERR The specified keys must contain string values',
  lcsIdxAndLen: 'ERR If you want both the length and indexes, please just use IDX.',
  lcsTooLong: 'ERR String too long for LCS',
  lcsTooMuchMemory: 'ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len',
  lcsNoMemory: 'ERR Insufficient memory, failed allocating transient memory for LCS',
  bitArgument: 'ERR The bit argument must be 1 or 0.',
  bitopNotArgs: 'ERR BITOP NOT must be called with a single source key.',
  bitfieldType: 'ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.',
  bitfieldOverflowType: 'ERR Invalid OVERFLOW type specified',
  bitfieldReadonly: 'ERR BITFIELD_RO only supports the GET subcommand',
  maxClients: 'ERR max number of clients reached',
  protectedMode: 'DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command \'CONFIG SET protected-mode no\' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to \'no\', and then restarting the server. 3) If you started the server manually just for testing, restart it with the \'--protected-mode no\' option. 4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.',
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
  execWithoutMulti: 'ERR EXEC without MULTI',
  discardWithoutMulti: 'ERR DISCARD without MULTI',
  multiNested: 'ERR MULTI calls can not be nested',
  watchInMulti: 'ERR WATCH inside MULTI is not allowed',
  notAllowedInMulti: 'ERR Command not allowed inside a transaction',
  debugNotAllowed: 'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run ' +
    'it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.',
  timeoutNotFloat: 'ERR timeout is not a float or out of range',
  timeoutNegative: 'ERR timeout is negative',
  timeoutNotInteger: 'ERR timeout is not an integer or out of range',
  clientNameChars: 'ERR Client names cannot contain spaces, newlines or special characters.',
  clientIdInvalid: 'ERR Invalid client ID',
  clientIdNotPositive: 'ERR client-id should be greater than 0',
  clientPauseMode: 'ERR CLIENT PAUSE mode must be WRITE or ALL',
  helloProtoNotInteger: 'ERR Protocol version is not an integer or out of range',
  helloNoAuth: 'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
  noShutdownInProgress: 'ERR No shutdown in progress.',
  shutdownFailed: 'ERR Errors trying to SHUTDOWN. Check logs.',
  slowlogCount: 'ERR count should be greater than or equal to -1',
  commandInvalid: 'ERR Invalid command specified',
  commandNoKeys: 'ERR The command has no key arguments',
  commandArgCount: 'ERR Invalid number of arguments specified for command',
  commandInvalidArgs: 'ERR Invalid arguments specified for command',
  notPositive: 'ERR value is out of range, must be positive',
  resp2NotSupported: 'ERR RESP2 is not supported by this command',
  debugProtocolType: 'ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false',
  monitorInMulti: 'ERR MONITOR isn\'t allowed for DENY BLOCKING client',
  replicaKeyspace: "ERR Replica can't interact with the keyspace",
  clientNotFound: 'ERR No such client',
  trackingRedirectMissing: 'ERR The client ID you want redirect to does not exist',
  trackingOneRedirect: 'ERR A client can only redirect to a single other client',
  trackingPrefixNeedsBcast: 'ERR PREFIX option requires BCAST mode to be enabled',
  trackingBcastSwitch: "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.",
  trackingOptBcast: 'ERR OPTIN and OPTOUT are not compatible with BCAST',
  trackingOptinOptout: "ERR You can't specify both OPTIN mode and OPTOUT mode",
  trackingOptSwitch: "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.",
  cachingNotTracking: 'ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled',
  cachingYes: 'ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.',
  cachingNo: 'ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.',
  invalidCursor: 'ERR invalid cursor',
  unblockReason: 'ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR',
  intRange: 'ERR value is out of range, value must between -2147483648 and 2147483647',
  invalidFirstDb: 'ERR invalid first DB index',
  invalidSecondDb: 'ERR invalid second DB index',
  expireNxAndOthers: 'ERR NX and XX, GT or LT options at the same time are not compatible',
  expireGtAndLt: 'ERR GT and LT options at the same time are not compatible',
  lfuNotSelected: 'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
  lfuSelected: 'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
  noConfigFile: 'ERR The server is running without a config file',
  hashNotInteger: 'ERR hash value is not an integer',
  hashNotFloat: 'ERR hash value is not a float',
  valueNaNOrInf: 'ERR value is NaN or Infinity',
  valueOutOfRange: 'ERR value is out of range',
  longOutOfRange: 'ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807',
  numkeysNotPositive: 'ERR numkeys should be greater than 0',
  numkeysTooMany: "ERR Number of keys can't be greater than number of args",
  limitNegative: "ERR LIMIT can't be negative",
  ssubscribeDenyBlocking: "ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client",
  zaddXxNx: 'ERR XX and NX options at the same time are not compatible',
  zaddGtLtNx: 'ERR GT, LT, and/or NX options at the same time are not compatible',
  zaddIncrPair: 'ERR INCR option supports a single increment-element pair',
  scoreNaN: 'ERR resulting score is not a number (NaN)',
  zMinMaxNotFloat: 'ERR min or max is not a float',
  zMinMaxNotLex: 'ERR min or max not valid string range item',
  zLimitWithRank: 'ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX',
  zWithscoresWithLex: 'ERR syntax error, WITHSCORES not supported in combination with BYLEX',
  weightNotFloat: 'ERR weight value is not a float',
  countNotPositive: 'ERR count should be greater than 0',
  lposRankZero: "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
  lposCountNegative: "ERR COUNT can't be negative",
  lposMaxlenNegative: "ERR MAXLEN can't be negative",
  hllWrongType: 'WRONGTYPE Key is not a valid HyperLogLog string value.',
  hllInvalid: 'INVALIDOBJ Corrupted HLL object detected',
  hllNoKey: 'ERR The specified key does not exist',
  hllNotSparse: 'ERR HLL encoding is not sparse',
  moduleDisabled: 'ERR MODULE command not allowed. If the enable-module-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.',
} as const;

/** `ERR unknown command 'name', with args beginning with: 'a' 'b' ` (Redis's exact shape). */
export function unknownCommand(argv: readonly string[]): string {
  let args = '';
  for (let i = 1; i < argv.length && args.length < 128; i++) {
    args += `'${cstr(argv[i]).slice(0, 128 - args.length)}' `;
  }
  return `ERR unknown command '${cstr(argv[0]).slice(0, 128)}', with args beginning with: ${args}`;
}

/** A RESP2 client in subscribed mode ran another command (fullname: `client|list` ...). */
export function pubsubContext(fullname: string): string {
  return `ERR Can't execute '${fullname}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`;
}

/** `ERR at least 1 input key is needed for 'zunionstore' command` (ZUNION, ZINTER ...). */
export function atLeastOneInputKey(fullname: string): string {
  return `ERR at least 1 input key is needed for '${fullname}' command`;
}

/** A rejected EXEC ends the transaction: `EXECABORT Transaction discarded because of: <reason>`,
 * the reason without the ERR that Redis's generic errors get when sent alone. */
export function execAbortBecause(error: string): string {
  return 'EXECABORT Transaction discarded because of: ' + (error.startsWith('ERR ') ? error.slice(4) : error);
}

/** The container as Redis names it in these errors: the name typed (a renamed command's new name), upper-cased as C's toupper. */
function helpName(container: string): string {
  return container.replace(/[a-z]+/g, (m) => m.toUpperCase());
}

/** `ERR unknown subcommand 'x'. Try CONFIG HELP.` (`container` as typed). */
export function unknownSubcommand(sub: string, container: string): string {
  return `ERR unknown subcommand '${cstr(sub).slice(0, 128)}'. Try ${helpName(container)} HELP.`;
}

/** `ERR unknown subcommand or wrong number of arguments for 'x'. Try CLIENT HELP.` (as typed). */
export function subcommandSyntax(sub: string, container: string): string {
  return `ERR unknown subcommand or wrong number of arguments for '${cstr(sub).slice(0, 128)}'. Try ${helpName(container)} HELP.`;
}

/** `ERR Unknown PFDEBUG subcommand 'x'` */
export function unknownPfdebugSubcommand(sub: string): string {
  return `ERR Unknown PFDEBUG subcommand '${sub}'`;
}

/** `ERR Unknown client type 'x'` */
export function unknownClientType(type: string): string {
  return `ERR Unknown client type '${cstr(type)}'`;
}

/** CLIENT TRACKING ... BCAST: a prefix overlapping another of the same client. */
export function trackingPrefixOverlap(prefix: string, other: string, existing: boolean): string {
  return `ERR Prefix '${prefix}' overlaps with ${existing ? 'an existing' : 'another provided'} prefix '${other}'. ` +
    'Prefixes for a single client must not overlap.';
}

/** `ERR No such user 'x'` */
export function noSuchUser(user: string): string {
  return `ERR No such user '${user}'`;
}

/** `ERR Syntax error in HELLO option 'x'` */
export function helloSyntax(option: string): string {
  return `ERR Syntax error in HELLO option '${cstr(option)}'`;
}

/** `ERR wrong number of arguments for 'get' command` (fullname is `config|get` for subcommands). */
export function wrongArity(fullname: string): string {
  return `ERR wrong number of arguments for '${fullname}' command`;
}

export function invalidExpire(command: string): string {
  return `ERR invalid expire time in '${command}' command`;
}

/** `ERR CONFIG SET failed (possibly related to argument 'port') - <reason>` */
export function configSetFailed(arg: string, reason: string): string {
  return `ERR CONFIG SET failed (possibly related to argument '${arg}') - ${reason}`;
}

/** `ERR Unknown option or number of arguments for CONFIG SET - 'name'` */
export function configSetUnknown(name: string): string {
  return `ERR Unknown option or number of arguments for CONFIG SET - '${cstr(name)}'`;
}

/** `ERR Rewriting config file: <strerror>` */
export function configRewriteFailed(reason: string): string {
  return `ERR Rewriting config file: ${reason}`;
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

/** Stream command errors (core/commands/stream.ts), Redis 7.0's src/t_stream.c texts. */
export const STREAM_ERR = {
  invalidId: 'ERR Invalid stream ID specified as stream command argument',
  invalidStart: 'ERR invalid start ID for the interval',
  invalidEnd: 'ERR invalid end ID for the interval',
  xaddZeroId: 'ERR The ID specified in XADD must be greater than 0-0',
  xaddExhausted: 'ERR The stream has exhausted the last possible ID, unable to add more items',
  xaddIdTooSmall: 'ERR The ID specified in XADD is equal or smaller than the target stream top item',
  xaddTooLarge: 'ERR Elements are too large to be stored',
  maxlenAndMinid: 'ERR syntax error, MAXLEN and MINID options at the same time are not compatible',
  maxlenNegative: 'ERR The MAXLEN argument must be >= 0.',
  limitNegative: 'ERR The LIMIT argument must be >= 0.',
  limitWithoutStrategy: 'ERR syntax error, LIMIT cannot be used without specifying a trimming strategy',
  xtrimWithoutStrategy: 'ERR syntax error, XTRIM must be called with a trimming strategy',
  limitWithoutApprox: 'ERR syntax error, LIMIT cannot be used without the special ~ option',
  unbalanced: "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.",
  groupOnlyInXreadgroup: 'ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.',
  noackOnlyInXreadgroup: 'ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.',
  missingGroup: 'ERR Missing GROUP option for XREADGROUP',
  dollarInGroup: 'ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.',
  greaterOutsideGroup: 'ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.',
  groupGone: 'NOGROUP the consumer group this client was blocked on no longer exists',
  /** An XREADGROUP BLOCK waiter whose stream was deleted or replaced by another type. */
  streamGone: 'UNBLOCKED the stream key no longer exists',
  xgroupNeedsKey: 'ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.',
  busyGroup: 'BUSYGROUP Consumer Group name already exists',
  entriesReadRange: 'ERR value for ENTRIESREAD must be positive or -1',
  xclaimMinIdle: 'ERR Invalid min-idle-time argument for XCLAIM',
  xclaimIdle: 'ERR Invalid IDLE option argument for XCLAIM',
  xclaimTime: 'ERR Invalid TIME option argument for XCLAIM',
  xclaimRetryCount: 'ERR Invalid RETRYCOUNT option argument for XCLAIM',
  xautoclaimMinIdle: 'ERR Invalid min-idle-time argument for XAUTOCLAIM',
  xautoclaimCount: 'ERR COUNT must be > 0',
  xautoclaimMemory: 'ERR Insufficient memory, failed allocating transient memory, COUNT too high.',
  entriesAddedNegative: 'ERR entries_added must be positive',
  xsetidBelowGivenMaxDeleted: 'ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id',
  xsetidBelowTop: 'ERR The ID specified in XSETID is smaller than the target stream top item',
  xsetidEntriesAdded: 'ERR The entries_added specified in XSETID is smaller than the target stream length',
} as const;

/** Stream errors naming a key, group or option (printed as C strings by the caller). */
export const streamErr = {
  /** XREADGROUP on a missing key or group. */
  noGroupInRead: (key: string, group: string): string =>
    `NOGROUP No such key '${key}' or consumer group '${group}' in XREADGROUP with GROUP option`,
  /** XPENDING, XCLAIM, XAUTOCLAIM on a missing key or group. */
  noGroup: (key: string, group: string): string => `NOGROUP No such key '${key}' or consumer group '${group}'`,
  /** XGROUP and XINFO CONSUMERS on a missing group. */
  noSuchGroup: (group: string, key: string): string => `NOGROUP No such consumer group '${group}' for key name '${key}'`,
  xclaimOption: (opt: string): string => `ERR Unrecognized XCLAIM option '${opt}'`,
};
