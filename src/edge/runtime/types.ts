// The container runtime as edged sees it: CRI runtime.v1's RuntimeService and ImageService, in
// TypeScript shapes. Two implementations: `cri` (gRPC to containerd) and `process` (supervised host
// processes, no isolation). Times are milliseconds since the epoch (CRI's int64 nanoseconds / 1e6);
// 0 means "not set". Errors are RuntimeError with a CRI/gRPC-style code.
import type { Readable, Writable } from 'node:stream';

export interface KeyValue { key: string; value: string }

export type MountPropagation = 'private' | 'hostToContainer' | 'bidirectional';
export interface Mount {
  containerPath: string;
  hostPath: string;
  readonly: boolean;
  /** Default 'private'. */
  propagation?: MountPropagation;
}

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export interface PortMapping { protocol: Protocol; containerPort: number; hostPort: number; hostIp: string }

/** CRI LinuxContainerResources (the fields kubelet fills). 0/undefined = unlimited. */
export interface LinuxContainerResources {
  cpuPeriod?: number;
  cpuQuota?: number;
  cpuShares?: number;
  memoryLimitInBytes?: number;
  oomScoreAdj?: number;
}

export interface PodSandboxMetadata { name: string; uid: string; namespace: string; attempt: number }

export interface DnsConfig { servers: string[]; searches: string[]; options: string[] }

export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  /** Must be '' for host-network pods (containerd refuses a hostname there). */
  hostname: string;
  /** Absolute directory where container logs of this pod go (ContainerConfig.logPath is relative to it). */
  logDirectory: string;
  dnsConfig?: DnsConfig;
  portMappings: PortMapping[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  linux: {
    cgroupParent?: string;
    /** NamespaceOption.network = NODE when true, POD otherwise. */
    hostNetwork: boolean;
    hostPid?: boolean;
    hostIpc?: boolean;
  };
}

export type SandboxState = 'ready' | 'notready';

export interface PodSandbox {
  id: string;
  metadata: PodSandboxMetadata;
  state: SandboxState;
  createdAt: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface PodSandboxStatus extends PodSandbox {
  /** Pod IP ('' for none); host-network pods report the node's IP from edged, not from here. */
  network: { ip: string; additionalIps: string[] };
  hostNetwork: boolean;
}

export interface ContainerMetadata { name: string; attempt: number }

export interface ContainerConfig {
  metadata: ContainerMetadata;
  /** The image as pulled (image ref/id returned by pullImage or imageStatus, or the name). */
  image: string;
  /** Entrypoint override (pod `command`); empty = the image's. */
  command: string[];
  /** pod `args`; empty = the image's cmd (when command is empty too). */
  args: string[];
  workingDir: string;
  envs: KeyValue[];
  mounts: Mount[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Relative to the sandbox's logDirectory, e.g. "web/0.log". The runtime writes CRI log format there. */
  logPath: string;
  stdin: boolean;
  stdinOnce: boolean;
  tty: boolean;
  linux: {
    resources?: LinuxContainerResources;
    securityContext?: { privileged?: boolean; runAsUser?: number; runAsGroup?: number; readonlyRootfs?: boolean };
  };
}

export type ContainerState = 'created' | 'running' | 'exited' | 'unknown';

export interface Container {
  id: string;
  podSandboxId: string;
  metadata: ContainerMetadata;
  /** The image as given in ContainerConfig.image. */
  image: string;
  imageRef: string;
  state: ContainerState;
  createdAt: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface ContainerStatus {
  id: string;
  metadata: ContainerMetadata;
  state: ContainerState;
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  exitCode: number;
  image: string;
  imageRef: string;
  /** e.g. 'Completed', 'Error', 'OOMKilled' for exited containers. */
  reason: string;
  message: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Absolute path of the log file. */
  logPath: string;
}

export interface ExecSyncResult { stdout: Buffer; stderr: Buffer; exitCode: number }

export interface ExecRequest {
  containerId: string;
  cmd: string[];
  tty: boolean;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
}

/** A running streaming exec. With tty, stderr is null (merged into stdout). */
export interface ExecSession {
  stdin: Writable | null;
  stdout: Readable | null;
  stderr: Readable | null;
  /** Terminal size change (tty only; ignored otherwise). */
  resize(cols: number, rows: number): void;
  /** Resolves when the command ended. exitCode null when it is unknown (the session was cut). */
  done: Promise<{ exitCode: number | null; message?: string }>;
  /** Ends the session (kills the command where the runtime can). */
  close(): void;
}

export interface RuntimeVersion { version: string; runtimeName: string; runtimeVersion: string; runtimeApiVersion: string }
export interface RuntimeCondition { type: string; status: boolean; reason: string; message: string }

export interface ContainerStats {
  id: string;
  timestamp: number;
  /** Cumulative CPU time in nanoseconds, when known. */
  cpuUsageCoreNanoSeconds?: number;
  memoryWorkingSetBytes?: number;
}

export interface ContainerFilter {
  id?: string;
  podSandboxId?: string;
  state?: ContainerState;
  labelSelector?: Record<string, string>;
}

export interface SandboxFilter {
  id?: string;
  state?: SandboxState;
  labelSelector?: Record<string, string>;
}

export interface RuntimeService {
  version(): Promise<RuntimeVersion>;
  /** RuntimeReady and NetworkReady conditions. */
  status(): Promise<RuntimeCondition[]>;
  runPodSandbox(config: PodSandboxConfig, runtimeHandler?: string): Promise<string>;
  stopPodSandbox(id: string): Promise<void>;
  /** Removing a sandbox that does not exist succeeds (CRI: idempotent). */
  removePodSandbox(id: string): Promise<void>;
  podSandboxStatus(id: string): Promise<PodSandboxStatus>;
  listPodSandbox(filter?: SandboxFilter): Promise<PodSandbox[]>;
  createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string>;
  startContainer(id: string): Promise<void>;
  /** SIGTERM, then SIGKILL after timeoutSeconds (0 = kill at once). Stopping a stopped container succeeds. */
  stopContainer(id: string, timeoutSeconds: number): Promise<void>;
  /** Removing a container that does not exist succeeds. */
  removeContainer(id: string): Promise<void>;
  listContainers(filter?: ContainerFilter): Promise<Container[]>;
  containerStatus(id: string): Promise<ContainerStatus>;
  /** Runs a command in the container and waits; rejects with code 'DeadlineExceeded' after timeoutSeconds (0 = none). */
  execSync(id: string, cmd: string[], timeoutSeconds: number): Promise<ExecSyncResult>;
  exec(req: ExecRequest): Promise<ExecSession>;
  containerStats(id: string): Promise<ContainerStats>;
}

export interface AuthConfig {
  username?: string;
  password?: string;
  /** base64 "user:password" as in a docker config. */
  auth?: string;
  serverAddress?: string;
  identityToken?: string;
  registryToken?: string;
}

export interface Image {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  size: number;
}

export interface ImageService {
  /** undefined when the image is not present. */
  imageStatus(image: string): Promise<Image | undefined>;
  /** Returns the image reference (id) pulled. */
  pullImage(image: string, auth?: AuthConfig, sandboxConfig?: PodSandboxConfig): Promise<string>;
  listImages(): Promise<Image[]>;
  removeImage(image: string): Promise<void>;
}

/** What edged is given: one of the two runtimes. */
export interface ContainerRuntime {
  readonly kind: 'cri' | 'process';
  readonly runtime: RuntimeService;
  readonly images: ImageService;
  /** false for the process runtime: it never isolates, and says so (node runtime version, events). */
  readonly isolates: boolean;
  close(): Promise<void>;
}

export type RuntimeErrorCode =
  | 'NotFound' | 'AlreadyExists' | 'InvalidArgument' | 'FailedPrecondition' | 'DeadlineExceeded'
  | 'Unavailable' | 'Unimplemented' | 'PermissionDenied' | 'ResourceExhausted' | 'Canceled' | 'Unknown';

export class RuntimeError extends Error {
  readonly code: RuntimeErrorCode;
  constructor(code: RuntimeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RuntimeError';
    this.code = code;
  }
}

/** Label and annotation keys kubelet puts on sandboxes and containers (and so do we). */
export const RuntimeLabels = {
  podName: 'io.kubernetes.pod.name',
  podNamespace: 'io.kubernetes.pod.namespace',
  podUid: 'io.kubernetes.pod.uid',
  containerName: 'io.kubernetes.container.name',
  /** Ours, marks objects created by this edgecore (the value is the node name). */
  managedBy: 'io.kubeedge-ts.node',
} as const;

export const RuntimeAnnotations = {
  restartCount: 'io.kubernetes.container.restartCount',
  containerHash: 'io.kubernetes.container.hash',
  terminationGracePeriod: 'io.kubernetes.pod.terminationGracePeriod',
  terminationMessagePath: 'io.kubernetes.container.terminationMessagePath',
  /** Ours: 'init' for init containers. */
  containerType: 'io.kubeedge-ts.container.type',
} as const;
