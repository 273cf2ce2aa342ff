// The real parts of the pod lifecycle: podspec/, prober/ and podstatus/.
import { createBackoff, createProberManager, runProbe } from '../prober/index.js';
import { computePodStatus, sameStatus } from '../podstatus/index.js';
import {
  buildContainerConfig,
  buildSandboxConfig,
  containerMounts,
  containerSpecHash,
  createVolumeManager,
  expandCommand,
  imagePullAuth,
  podDirs,
  resolveEnv,
  validateImageName,
} from '../podspec/index.js';
import type { PodParts } from './types.js';

export function defaultPodParts(): PodParts {
  return {
    resolveEnv,
    expandCommand,
    createVolumeManager,
    containerMounts,
    buildSandboxConfig,
    buildContainerConfig,
    containerSpecHash,
    podDirs,
    imagePullAuth,
    validateImageName,
    runProbe,
    createProberManager,
    createBackoff,
    computePodStatus,
    sameStatus,
  };
}
