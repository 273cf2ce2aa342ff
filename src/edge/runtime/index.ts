// The container runtimes edged can drive, behind one interface (types.ts): `cri` (containerd over
// gRPC) and `process` (supervised host processes, no isolation).
export * from './types.js';
export { createCriRuntime, criSocketExists, criSocketPath, loadCriServices, loadCriDefinition, criProtoPath, CRI_PROTO_OPTIONS } from './cri/index.js';
export type { CriRuntimeOptions, ExecTransport } from './cri/index.js';
export { createProcessRuntime, writeImageCatalog, readImageCatalog, imageCatalogPath } from './process/index.js';
export type { ImageCatalog, ImageDefaults } from './process/index.js';
export { openContainerRuntime } from './open-runtime.js';
export type { OpenRuntimeOptions } from './open-runtime.js';
