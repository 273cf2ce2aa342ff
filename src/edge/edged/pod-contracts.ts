// Contracts between the parts of edged's pod lifecycle, so each can be built and tested alone:
//   podspec/    pod spec -> runtime configs: env, volumes on disk, sandbox and container configs
//   prober/   liveness/readiness/startup probes, crash-loop backoff
//   podstatus/  the pod status kubelet would report (phase, conditions, containerStatuses)
//   pods/: the sync loop that drives the runtime, reports status and events.
// Pod objects are plain JSON as stored by metamanager (Kubernetes core/v1 Pod).
import type { ContainerConfig, ContainerStatus, KeyValue, Mount, PodSandboxConfig, PodSandboxStatus, RuntimeService } from '../runtime/types.js';

export type Json = Record<string, unknown>;
/** A core/v1 Pod as JSON. Parts read it through these loose types. */
export type Pod = Json & { metadata: Json & { name: string; namespace: string; uid: string }; spec: Json; status?: Json };
export type PodContainer = Json & { name: string; image?: string };

/** Where pods and their files live on the node. */
export interface PodDirs {
  /** <dataDir>/pods/<uid>: volumes under volumes/<plugin>/<name>, etc. */
  podDir(uid: string): string;
  /** <dataDir>/logs/pods/<namespace>_<name>_<uid>: the sandbox logDirectory. */
  podLogDir(pod: Pod): string;
}

/** ConfigMaps and Secrets as the edge has them (metamanager: local first, then the cloud). */
export interface ObjectSource {
  /** Resolves undefined when the object does not exist (locally nor in the cloud). Rejects on other errors. */
  configMap(namespace: string, name: string): Promise<Json | undefined>;
  secret(namespace: string, name: string): Promise<Json | undefined>;
  /** A projected service account token (TokenRequest through the cloud); rejects when unavailable. */
  serviceAccountToken?(namespace: string, serviceAccount: string, audiences: string[], expirationSeconds: number, pod: Pod): Promise<{ token: string; expirationTimestamp: string }>;
}

/** Facts about the node that env and downward API need. */
export interface NodeFacts {
  nodeName: string;
  nodeIP: string;
  /** Allocatable, for resourceFieldRef of containers without limits: cpu in cores, memory in bytes. */
  allocatable: { cpu: number; memory: number; ephemeralStorage?: number };
}

/** A failure that becomes a container waiting reason (CreateContainerConfigError) or a pod event (FailedMount). */
export class PodConfigError extends Error {
  /** e.g. 'CreateContainerConfigError' | 'FailedMount' | 'InvalidImageName'. */
  readonly reason: string;
  constructor(reason: string, message: string) {
    super(message);
    this.name = 'PodConfigError';
    this.reason = reason;
  }
}

// ---- podspec/ -----------------------------------------------------------------------------------------

export interface EnvInput {
  pod: Pod;
  container: PodContainer;
  source: ObjectSource;
  node: NodeFacts;
  podIP: string;
  podIPs: string[];
}
/** Resolves env (value, valueFrom, envFrom) with $(VAR) expansion, in kubelet's order. Throws PodConfigError('CreateContainerConfigError'). */
export type ResolveEnv = (input: EnvInput) => Promise<KeyValue[]>;

/** Expands $(VAR) in command and args with the resolved env (kubelet: expansion.MappingFuncFor). */
export type ExpandCommand = (container: PodContainer, env: KeyValue[]) => { command: string[]; args: string[] };

export interface VolumeManager {
  /**
   * Materializes every volume of the pod on disk (configMap, secret, downwardAPI, projected with
   * serviceAccountToken/configMap/secret/downwardAPI, emptyDir, hostPath) and returns volume name -> host path.
   * Idempotent; re-running updates configMap/secret/downwardAPI contents in place (atomic ..data swap).
   * Throws PodConfigError('FailedMount') naming the missing object when a non-optional source is missing.
   */
  setUp(pod: Pod): Promise<Map<string, string>>;
  /** Whether the pod's volumes depend on this object (type 'configmap' | 'secret'). */
  uses(pod: Pod, type: 'configmap' | 'secret', namespace: string, name: string): boolean;
  /** Removes the pod's volume directories (not hostPath targets). */
  tearDown(uid: string): Promise<void>;
}
export interface VolumeManagerDeps { dirs: PodDirs; source: ObjectSource; node: NodeFacts }
export type CreateVolumeManager = (deps: VolumeManagerDeps) => VolumeManager;

/** Container mounts from volumeMounts (subPath, readOnly) plus the termination-log file. Throws PodConfigError. */
export type ContainerMounts = (pod: Pod, container: PodContainer, volumes: Map<string, string>, dirs: PodDirs,
  opts?: { env?: KeyValue[]; podIPs?: string[] }) => Mount[];

export interface SandboxConfigInput { pod: Pod; dirs: PodDirs; attempt: number; nodeName: string; managedBy: string }
export type BuildSandboxConfig = (input: SandboxConfigInput) => PodSandboxConfig;

export interface ContainerConfigInput {
  pod: Pod;
  container: PodContainer;
  /** Image as pulled (imageRef or name). */
  image: string;
  env: KeyValue[];
  mounts: Mount[];
  attempt: number;
  restartCount: number;
  kind: 'init' | 'regular';
  managedBy: string;
}
/** Includes resources -> LinuxContainerResources, logPath "<name>/<attempt>.log", labels and annotations (RuntimeLabels/RuntimeAnnotations). */
export type BuildContainerConfig = (input: ContainerConfigInput) => ContainerConfig;

/** Stable hash of the container spec (changes restart the container, as in kubelet). */
export type ContainerSpecHash = (container: PodContainer) => string;

// ---- prober/ ----------------------------------------------------------------------------------------

export type ProbeKind = 'liveness' | 'readiness' | 'startup';
export type ProbeResult = 'success' | 'failure' | 'unknown';

export interface ProbeTarget {
  pod: Pod;
  container: PodContainer;
  containerId: string;
  podIP: string;
}
/** One probe attempt (exec via execSync, httpGet, tcpSocket; grpc optional). Never throws. */
export type RunProbe = (probe: Json, kind: ProbeKind, target: ProbeTarget, runtime: RuntimeService) => Promise<{ result: ProbeResult; message: string }>;

export interface ProbeResultListener {
  (change: { podUid: string; containerName: string; containerId: string; kind: ProbeKind; result: ProbeResult; message: string }): void;
}
/**
 * Keeps one worker per (container instance, probe kind) with initialDelaySeconds, periodSeconds,
 * timeoutSeconds, successThreshold and failureThreshold; liveness and readiness wait for startup.
 * Calls the listener when a result changes (and on every liveness failure past the threshold).
 */
export interface ProberManager {
  /** Starts probing a running container instance (no-op when already probed). */
  add(target: ProbeTarget): void;
  /** Stops probing one container instance, or every container of a pod. */
  remove(podUid: string, containerId?: string): void;
  /** The current result; readiness defaults to failure until it succeeds, liveness/startup to success (startup: failure until it succeeds when configured). */
  result(containerId: string, kind: ProbeKind): ProbeResult;
  stop(): void;
}
export type CreateProberManager = (deps: { runtime: RuntimeService; onChange: ProbeResultListener; onFailure?: ProbeResultListener; now?: () => number }) => ProberManager;

/** Kubelet's crash-loop backoff: 10 s doubling to 5 min; reset after 10 min without a crash. Keyed per container. */
export interface Backoff {
  /** Milliseconds to wait before the next start of this key; 0 = go now. */
  remaining(key: string, now: number): number;
  /** Records a failure (a container exited, an image pull failed) at `now`. */
  next(key: string, now: number): void;
  reset(key: string): void;
  /** Forgets keys idle for longer than maxIdleMs. */
  gc(now: number): void;
}
export type CreateBackoff = (opts?: { initialMs?: number; maxMs?: number; resetAfterMs?: number }) => Backoff;

// ---- podstatus/ ---------------------------------------------------------------------------------------

/** What the pod worker knows about one container of the pod (spec order), for status. */
export interface ContainerView {
  name: string;
  kind: 'init' | 'regular';
  /** Newest instance in the runtime, and the one before it (lastState). */
  current?: ContainerStatus;
  previous?: ContainerStatus;
  restartCount: number;
  /** Set while the container cannot be created: reason (ErrImagePull, ImagePullBackOff, CrashLoopBackOff, CreateContainerConfigError, ContainerCreating, PodInitializing) and message. */
  waiting?: { reason: string; message: string };
  ready: boolean;
  /** startup probe passed (or none) for the current instance. */
  started: boolean;
  /** The imageID to report: the runtime's imageRef. */
  imageID?: string;
}

export interface PodStatusInput {
  pod: Pod;
  /** undefined before the sandbox exists. */
  sandbox?: PodSandboxStatus;
  containers: ContainerView[];
  hostIP: string;
  /** Terminal outcome decided by the worker (e.g. all containers done with restartPolicy Never/OnFailure). */
  /** Previous status sent, to keep lastTransitionTime of unchanged conditions and startTime. */
  previous?: Json;
  /** "containerd" or "process": prefix of containerID (containerd://<id>). */
  runtimeName: string;
  now: () => Date;
  /** Pod-level reason/message, e.g. when the pod could not start at all. */
  podReason?: { reason: string; message: string };
}
/** Kubelet's generateAPIPodStatus + getPhase: phase, conditions, containerStatuses, initContainerStatuses, podIP(s), hostIP(s), startTime, qosClass. */
export type ComputePodStatus = (input: PodStatusInput) => Json;

/** Status equality ignoring timestamps that do not matter (used to skip unchanged reports). */
export type SameStatus = (a: Json | undefined, b: Json) => boolean;

// ---- streams (kubectl logs and exec through edgestream) ---------------------------------------------

export interface ContainerLocation {
  podUid: string;
  containerName: string;
  containerId: string;
  /** Absolute CRI-format log file of that instance. */
  logPath: string;
  running: boolean;
}
export class ContainerNotFoundError extends Error {
  constructor(message: string) { super(message); this.name = 'ContainerNotFoundError'; }
}
/** Implemented by the pod manager; used by edgestream for logs and exec. */
export interface ContainerLocator {
  /**
   * The named container of a pod on this node ('' = the only container, or the default-container
   * annotation `kubectl.kubernetes.io/default-container`, else a ContainerNotFoundError listing the names).
   * previous = the instance before the current one. Throws ContainerNotFoundError.
   */
  locate(namespace: string, pod: string, container: string, previous: boolean): Promise<ContainerLocation>;
}
