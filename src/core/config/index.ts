export { loadConfig, parseConfigText, mergeConfig, deepFreeze, setAtPath } from './load-config.js';
export type { ConfigSources } from './load-config.js';
export { parseFlags, formatHelp } from './flags.js';
export { loadBinaryConfig } from './binary-config.js';
export type { BinaryConfig, BinaryConfigSpec } from './binary-config.js';
export type { FlagType, FlagSpec, FlagSpecs, FlagValue, FlagValues, ParsedFlags } from './flags.js';
export { ConfigError, FlagError } from './errors.js';
export type { ConfigIssue } from './errors.js';
