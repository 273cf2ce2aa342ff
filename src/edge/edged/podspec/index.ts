// podspec: a core/v1 Pod spec -> runtime configs and files on disk, as kubelet builds them.
export { resolveEnv } from './env.js';
export { expandCommand, expand, mappingFor } from './expansion.js';
export { createVolumeManager, volumePluginDirs } from './volumes.js';
export { containerMounts } from './mounts.js';
export type { MountOptions } from './mounts.js';
export { buildSandboxConfig, sandboxConfig } from './sandbox-config.js';
export { buildContainerConfig, containerConfig, containerSpecHash, containerPortsAnnotation } from './container-config.js';
export { podDirs } from './pod-dirs.js';
export { parseQuantity, parseCpuMilli, parseMemoryBytes } from './quantity.js';
export { imagePullAuth } from './image-auth.js';
export { validateImageName, parseImageReference } from './image-name.js';
export type { ImageReference } from './image-name.js';
export { podQosClass, linuxResources, milliCpuToShares, milliCpuToQuota } from './resources.js';
export type { QosClass } from './resources.js';
export { podDnsConfig, parseResolvConf } from './dns.js';
export { writeAtomic } from './atomic-writer.js';
