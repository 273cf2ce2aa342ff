// TypeScript shapes of the runtime.v1 messages in api.proto as proto-loader hands them over
// (CRI_PROTO_OPTIONS): camelCase names, int64/uint64 as decimal strings (numbers accepted when sending),
// enums as names, unset messages null. Typing requests catches a misspelt field, which protobuf would
// otherwise drop without a word.
export type Int64 = string | number;
export type StringMap = Record<string, string>;
export type NamespaceMode = 'POD' | 'CONTAINER' | 'NODE' | 'TARGET';
export type WireSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';
export type WireContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';
export type WireProtocol = 'TCP' | 'UDP' | 'SCTP';
export type WirePropagation = 'PROPAGATION_PRIVATE' | 'PROPAGATION_HOST_TO_CONTAINER' | 'PROPAGATION_BIDIRECTIONAL';

export interface WireNamespaceOption { network?: NamespaceMode; pid?: NamespaceMode; ipc?: NamespaceMode; targetId?: string }
export interface WireInt64Value { value: Int64 }
export interface WireImageSpec { image: string; annotations?: StringMap }
export interface WireKeyValue { key: string; value: string }
export interface WireMount { containerPath: string; hostPath: string; readonly: boolean; selinuxRelabel?: boolean; propagation?: WirePropagation }
export interface WirePortMapping { protocol: WireProtocol; containerPort: number; hostPort: number; hostIp: string }
export interface WireSandboxMetadata { name: string; uid: string; namespace: string; attempt: number }
export interface WireContainerMetadata { name: string; attempt: number }

export interface WirePodSandboxConfig {
  metadata: WireSandboxMetadata;
  hostname: string;
  logDirectory: string;
  dnsConfig?: { servers: string[]; searches: string[]; options: string[] } | null;
  portMappings: WirePortMapping[];
  labels: StringMap;
  annotations: StringMap;
  linux: {
    cgroupParent: string;
    securityContext: {
      namespaceOptions: WireNamespaceOption;
      runAsUser?: WireInt64Value | null;
      runAsGroup?: WireInt64Value | null;
      readonlyRootfs?: boolean;
      privileged?: boolean;
    };
    sysctls?: StringMap;
  };
}

export interface WireLinuxResources {
  cpuPeriod?: Int64; cpuQuota?: Int64; cpuShares?: Int64; memoryLimitInBytes?: Int64; oomScoreAdj?: Int64;
  cpusetCpus?: string; cpusetMems?: string;
}

export interface WireContainerConfig {
  metadata: WireContainerMetadata;
  image: WireImageSpec;
  command: string[];
  args: string[];
  workingDir: string;
  envs: WireKeyValue[];
  mounts: WireMount[];
  labels: StringMap;
  annotations: StringMap;
  logPath: string;
  stdin: boolean;
  stdinOnce: boolean;
  tty: boolean;
  linux: {
    resources?: WireLinuxResources | null;
    securityContext: {
      privileged?: boolean;
      namespaceOptions: WireNamespaceOption;
      runAsUser?: WireInt64Value | null;
      runAsGroup?: WireInt64Value | null;
      readonlyRootfs?: boolean;
    };
  };
}

export interface WireAuthConfig {
  username?: string; password?: string; auth?: string; serverAddress?: string; identityToken?: string; registryToken?: string;
}

// ---- responses ----

export interface WireVersionResponse { version: string; runtimeName: string; runtimeVersion: string; runtimeApiVersion: string }
export interface WireRuntimeCondition { type: string; status: boolean; reason: string; message: string }
export interface WireStatusResponse { status: { conditions: WireRuntimeCondition[] } | null }

export interface WirePodSandbox {
  id: string;
  metadata: WireSandboxMetadata | null;
  state: WireSandboxState;
  createdAt: Int64;
  labels: StringMap;
  annotations: StringMap;
}

export interface WirePodSandboxStatus extends WirePodSandbox {
  network: { ip: string; additionalIps: { ip: string }[] } | null;
  linux: { namespaces: { options: WireNamespaceOption | null } | null } | null;
}

export interface WireContainer {
  id: string;
  podSandboxId: string;
  metadata: WireContainerMetadata | null;
  image: WireImageSpec | null;
  imageRef: string;
  state: WireContainerState;
  createdAt: Int64;
  labels: StringMap;
  annotations: StringMap;
}

export interface WireContainerStatus {
  id: string;
  metadata: WireContainerMetadata | null;
  state: WireContainerState;
  createdAt: Int64;
  startedAt: Int64;
  finishedAt: Int64;
  exitCode: number;
  image: WireImageSpec | null;
  imageRef: string;
  reason: string;
  message: string;
  labels: StringMap;
  annotations: StringMap;
  logPath: string;
}

export interface WireExecSyncResponse { stdout: Buffer; stderr: Buffer; exitCode: number }

export interface WireUInt64Value { value: Int64 }
export interface WireContainerStats {
  attributes: { id: string } | null;
  cpu: { timestamp: Int64; usageCoreNanoSeconds: WireUInt64Value | null } | null;
  memory: { timestamp: Int64; workingSetBytes: WireUInt64Value | null } | null;
}

export interface WireImage { id: string; repoTags: string[]; repoDigests: string[]; size: Int64 }
