// The container runtimes edged can drive, behind one interface (types.ts): `cri` (containerd over
// gRPC) and `process` (supervised host processes, no isolation). The CRI client (gRPC, protobuf) is
// loaded only when it is used: it costs about 20 MiB of edgecore's memory.
export * from './types.js';
export { criSocketExists, criSocketPath } from './cri/socket-path.js';
export { createProcessRuntime, writeImageCatalog, readImageCatalog, imageCatalogPath } from './process/index.js';
export type { ImageCatalog, ImageDefaults } from './process/index.js';
export { openContainerRuntime } from './open-runtime.js';
export type { OpenRuntimeOptions } from './open-runtime.js';
export type { CriRuntimeOptions, ExecTransport } from './cri/index.js';

/** The CRI client module (createCriRuntime, loadCriServices, ...), loaded on demand. */
export const loadCriModule = (): Promise<typeof import('./cri/index.js')> => import('./cri/index.js');
