export { KubeError, Resources } from './types.js';
export type {
  KubeClient, ListOptions, ObjectList, PatchType, ResourceRef, WatchEvent, WatchEventType, WatchOptions,
} from './types.js';
export { createKubeClient, TokenBucket } from './client.js';
export type { KubeClientOptions } from './client.js';
export { Informer, objectKey } from './informer.js';
export type { InformerHandlers, InformerOptions, InformerTimers } from './informer.js';
export { ensureCRDs, readCRDs } from './crds.js';
export type { EnsureCRDsResult } from './crds.js';
