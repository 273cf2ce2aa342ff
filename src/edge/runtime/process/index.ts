// The process runtime: containers as supervised host processes, without isolation (see process-runtime.ts).
export { createProcessRuntime, firstHostIPv4, PROCESS_RUNTIME_VERSION } from './process-runtime.js';
export type { ProcessRuntime, ProcessRuntimeOptions } from './process-runtime.js';
export {
  DEFAULT_IMAGE_CATALOG, imageCatalogPath, normalizeImageRef, processImageId, readImageCatalog, writeImageCatalog, WILDCARD_IMAGE,
} from './image-catalog.js';
export type { ImageCatalog, ImageDefaults } from './image-catalog.js';
export { CriLineSplitter, formatCriLogLine, formatLogTimestamp, MAX_LOG_LINE_BYTES } from './cri-log.js';
export type { LogStream, LogTag, LogPiece } from './cri-log.js';
export { RESTART_MESSAGE } from './records.js';
