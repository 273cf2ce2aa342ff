export {
  createLogger,
  createSilentLogger,
  redactPaths,
  LifecycleWords,
  REDACTED_FIELDS,
  REDACTED_CENSOR,
} from './logger.js';
export type { Logger, LogLevel, LogFields, LoggerOptions, LifecycleWord } from './logger.js';
export { createTestLogger } from './test-logger.js';
export type { TestLogger, LogLine } from './test-logger.js';
