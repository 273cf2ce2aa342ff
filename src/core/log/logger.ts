import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export type LogFields = Record<string, unknown>;

/** The one logger interface every module takes. pino sits underneath. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger for a sub-component; the component names join with '.' (e.g. "edgehub.keepalive"). */
  child(component: string): Logger;
}

/**
 * Lifecycle lines use these fixed words as the message so operators can grep them
 * (e.g. `grep '"msg":"ready"'`).
 */
export const LifecycleWords = {
  starting: 'starting',
  ready: 'ready',
  stopping: 'stopping',
  stopped: 'stopped',
  failed: 'failed',
} as const;
export type LifecycleWord = (typeof LifecycleWords)[keyof typeof LifecycleWords];

/**
 * Field names whose values never reach a log line. Matched at the top level of the fields
 * and one level down (e.g. `{ headers: { authorization } }`).
 */
export const REDACTED_FIELDS: readonly string[] = [
  'token',
  'password',
  'key',
  'keyPem',
  'privateKey',
  'authorization',
  'Authorization',
  'secret',
  'bearerToken',
  'jwt',
  'cookie',
];

export const REDACTED_CENSOR = '[REDACTED]';

export function redactPaths(fields: readonly string[] = REDACTED_FIELDS): string[] {
  return fields.flatMap((f) => [f, `*.${f}`]);
}

export interface LoggerOptions {
  /** Minimum level written; default 'info'. */
  level?: LogLevel;
  /** Component of the root logger (usually the binary name: "cloudcore", "edgecore"). */
  component?: string;
  /** Where JSON lines go; default stderr (fd 2), written synchronously so nothing is lost on exit. */
  destination?: DestinationStream;
}

/** Builds a pino-backed Logger writing one JSON object per line. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const destination = opts.destination ?? pino.destination({ fd: 2, sync: true });
  const root = pino(
    {
      level: opts.level ?? 'info',
      base: {},
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactPaths(), censor: REDACTED_CENSOR },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
  return wrapPino(root, opts.component === undefined ? root : root.child({ component: opts.component }), opts.component);
}

// Every logger is a direct child of the root, so each line carries exactly one `component` key
// (nested pino children would repeat it).
function wrapPino(root: PinoLogger, p: PinoLogger, component: string | undefined): Logger {
  return {
    debug: (msg, fields) => (fields === undefined ? p.debug(msg) : p.debug(fields, msg)),
    info: (msg, fields) => (fields === undefined ? p.info(msg) : p.info(fields, msg)),
    warn: (msg, fields) => (fields === undefined ? p.warn(msg) : p.warn(fields, msg)),
    error: (msg, fields) => (fields === undefined ? p.error(msg) : p.error(fields, msg)),
    child: (name) => {
      const full = component === undefined ? name : `${component}.${name}`;
      return wrapPino(root, root.child({ component: full }), full);
    },
  };
}

/** A logger that drops everything (for code paths where logging is not under test). */
export function createSilentLogger(): Logger {
  const silent: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
    child: () => silent,
  };
  return silent;
}
