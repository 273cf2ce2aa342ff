import { createLogger, type LogLevel, type Logger } from './logger.js';

/** One parsed log line as written by pino. */
export interface LogLine {
  level: string;
  msg: string;
  component?: string;
  [field: string]: unknown;
}

export interface TestLogger extends Logger {
  /** Every line written so far, by this logger and all its children, in order. */
  readonly lines: readonly LogLine[];
  /** Lines whose message equals `msg` (and, if given, whose component equals `component`). */
  find(msg: string, component?: string): LogLine[];
}

/**
 * A real pino logger (same redaction and format as production) that keeps its lines in memory,
 * so tests can assert what was logged.
 */
export function createTestLogger(opts: { level?: LogLevel; component?: string } = {}): TestLogger {
  const lines: LogLine[] = [];
  const destination = {
    write(chunk: string): void {
      for (const text of chunk.split('\n')) {
        if (text.trim() !== '') lines.push(JSON.parse(text) as LogLine);
      }
    },
  };
  const logger = createLogger({ level: opts.level ?? 'debug', component: opts.component, destination });
  return withLines(logger, lines);
}

function withLines(logger: Logger, lines: LogLine[]): TestLogger {
  return {
    debug: (msg, fields) => logger.debug(msg, fields),
    info: (msg, fields) => logger.info(msg, fields),
    warn: (msg, fields) => logger.warn(msg, fields),
    error: (msg, fields) => logger.error(msg, fields),
    child: (component) => withLines(logger.child(component), lines),
    lines,
    find: (msg, component) =>
      lines.filter((l) => l.msg === msg && (component === undefined || l.component === component)),
  };
}
