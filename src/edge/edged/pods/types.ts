// The pod manager's ports: where pods come from (metamanager's store), what it drives (a container
// runtime), and the parts it is built from (podspec, prober, podstatus), injected so each can be
// replaced by a fake in tests.
import type { Logger, Message } from '../../../core/index.js';
import type { AuthConfig, ContainerRuntime } from '../../runtime/types.js';
import type {
  BuildContainerConfig,
  BuildSandboxConfig,
  ComputePodStatus,
  ContainerMounts,
  ContainerSpecHash,
  CreateBackoff,
  CreateProberManager,
  CreateVolumeManager,
  ExpandCommand,
  Json,
  NodeFacts,
  Pod,
  PodDirs,
  ResolveEnv,
  RunProbe,
  SameStatus,
} from '../pod-contracts.js';

export interface StoreChange {
  op: 'upsert' | 'delete';
  type: string;
  namespace: string | null;
  name: string;
  object: Record<string, unknown>;
}

/** What edged needs of metamanager; MetaManager fits structurally. */
export interface PodStore {
  list(type: string, namespace?: string | null): Record<string, unknown>[];
  get(type: string, namespace: string | null, name: string): Record<string, unknown> | undefined;
  query(type: string, namespace: string | null, name: string, opts?: { preferRemote?: boolean; content?: unknown }): Promise<Record<string, unknown>>;
  onChange(listener: (c: StoreChange) => void): () => void;
}

/** The parts of the pod lifecycle built elsewhere (podspec/, prober/, podstatus/). */
export interface PodParts {
  resolveEnv: ResolveEnv;
  expandCommand: ExpandCommand;
  createVolumeManager: CreateVolumeManager;
  containerMounts: ContainerMounts;
  buildSandboxConfig: BuildSandboxConfig;
  buildContainerConfig: BuildContainerConfig;
  containerSpecHash: ContainerSpecHash;
  podDirs: (dataDir: string) => PodDirs;
  /** Registry credentials from the pod's imagePullSecrets (the secrets found); [] = anonymous. */
  imagePullAuth: (pod: Pod, secrets: Json[]) => AuthConfig[];
  /** A message when the image reference is invalid, else undefined. */
  validateImageName: (image: string) => string | undefined;
  runProbe: RunProbe;
  createProberManager: CreateProberManager;
  createBackoff: CreateBackoff;
  computePodStatus: ComputePodStatus;
  sameStatus: SameStatus;
}

export interface PodManagerDeps {
  nodeName: string;
  runtime: ContainerRuntime;
  store: PodStore;
  hub: { enqueue(msg: Message): void };
  log: Logger;
  /** Pod volumes under <dataDir>/pods, logs under <dataDir>/logs/pods (parts.podDirs). */
  dataDir: string;
  node: () => NodeFacts;
  parts: PodParts;
  /** Directory of static pod manifests (YAML or JSON, one pod per file); polled every 5 s. */
  staticPodPath?: string;
  /** PLEG relist period in ms (default 1000). */
  relistMs?: number;
  /** Pod events per second onto the link (paced so statuses go first); 0 = unpaced. Default 5. */
  eventQPS?: number;
  /** Periodic resync of every pod in ms (default 10000). */
  resyncMs?: number;
  /** Milliseconds since the epoch (default Date.now). */
  now?: () => number;
}
