// logs: CRI container log files as `kubectl logs` shows them.
export { readContainerLog } from './read-container-log.js';
export type { ReadLogOptions } from './read-container-log.js';
export { parseCriLine, parseTimestampMs, LogAssembler } from './cri-log.js';
export type { CriEntry } from './cri-log.js';
export { findTailOffset } from './tail-offset.js';
