// The state a pod worker keeps between syncs, and the shared collaborators every sync uses.
import type { Logger } from '../../../core/index.js';
import type { ContainerRuntime, PodSandboxConfig, PodSandboxStatus } from '../../runtime/types.js';
import type { Backoff, NodeFacts, ObjectSource, Pod, PodDirs, ProberManager, VolumeManager } from '../pod-contracts.js';
import type { EventRecorder } from './events.js';
import type { ImagePuller } from './image-puller.js';
import type { RuntimeStateCache } from './runtime-state.js';
import type { PodParts } from './types.js';

export interface Waiting {
  reason: string;
  message: string;
}

export interface PodState {
  uid: string;
  pod: Pod;
  /** From the static pod directory: status and events stay local. */
  isStatic: boolean;
  /** Gone from the store (or the manifest removed): stop, remove everything, forget. */
  removed: boolean;
  /** Containers stopped for a deletion; the final status was sent. */
  terminated: boolean;
  volumes: Map<string, string> | undefined;
  /** Re-run volume setUp on the next sync (spec change, configmap/secret change). */
  volumesDirty: boolean;
  /** Per container name: why it is not running (image, config, backoff). */
  waiting: Map<string, Waiting>;
  podReason: Waiting | undefined;
  /** Per container name: id of the last exited instance whose exit was counted for crash-loop backoff. */
  exitCounted: Map<string, string>;
  /** Per container name: counted crashes since this worker started (the first restart is immediate). */
  crashes: Map<string, number>;
  /** Per container name: the back-off delay now in force (for the CrashLoopBackOff message). */
  backoffDelay: Map<string, number>;
  sandboxConfigs: Map<string, PodSandboxConfig>;
  noIsolationReported: boolean;
}

export interface CurrentSandbox {
  id: string;
  config: PodSandboxConfig;
  status: PodSandboxStatus;
  podIP: string;
  podIPs: string[];
}

export interface SyncContext {
  nodeName: string;
  runtime: ContainerRuntime;
  parts: PodParts;
  dirs: PodDirs;
  volumes: VolumeManager;
  source: ObjectSource;
  prober: ProberManager;
  backoff: Backoff;
  images: ImagePuller;
  events: EventRecorder;
  state: RuntimeStateCache;
  log: Logger;
  now: () => number;
  node: () => NodeFacts;
  /** When this edgecore started: exits before it do not count toward crash-loop backoff. */
  startedAt: number;
  /** `${containerId}/${kind}` of liveness/startup probes that reported failure past their threshold. */
  probeFailures: Set<string>;
  /** Sync the pod again at this time (ms since the epoch). */
  wake: (uid: string, at: number) => void;
}

export function newPodState(pod: Pod, isStatic: boolean): PodState {
  return {
    uid: pod.metadata.uid,
    pod,
    isStatic,
    removed: false,
    terminated: false,
    volumes: undefined,
    volumesDirty: true,
    waiting: new Map(),
    podReason: undefined,
    exitCounted: new Map(),
    crashes: new Map(),
    backoffDelay: new Map(),
    sandboxConfigs: new Map(),
    noIsolationReported: false,
  };
}

