// Our runtime shapes -> runtime.v1 request messages. Pure. Namespace modes mirror kubelet
// (pkg/kubelet/kuberuntime/helpers_linux.go namespacesForPod): network NODE for hostNetwork else POD,
// pid NODE for hostPID else CONTAINER, ipc NODE for hostIPC else POD; containers get the pod's modes.
import type {
  AuthConfig, ContainerConfig, ContainerFilter, ContainerState, LinuxContainerResources, MountPropagation,
  PodSandboxConfig, SandboxFilter, SandboxState,
} from '../types.js';
import type {
  WireAuthConfig, WireContainerConfig, WireContainerState, WireLinuxResources, WireNamespaceOption,
  WirePodSandboxConfig, WirePropagation, WireSandboxState,
} from './messages.js';

const propagation: Record<MountPropagation, WirePropagation> = {
  private: 'PROPAGATION_PRIVATE',
  hostToContainer: 'PROPAGATION_HOST_TO_CONTAINER',
  bidirectional: 'PROPAGATION_BIDIRECTIONAL',
};

const containerStates: Record<ContainerState, WireContainerState> = {
  created: 'CONTAINER_CREATED', running: 'CONTAINER_RUNNING', exited: 'CONTAINER_EXITED', unknown: 'CONTAINER_UNKNOWN',
};
const sandboxStates: Record<SandboxState, WireSandboxState> = { ready: 'SANDBOX_READY', notready: 'SANDBOX_NOTREADY' };

export function namespaceOptions(linux: PodSandboxConfig['linux']): WireNamespaceOption {
  return {
    network: linux.hostNetwork ? 'NODE' : 'POD',
    pid: linux.hostPid ? 'NODE' : 'CONTAINER',
    ipc: linux.hostIpc ? 'NODE' : 'POD',
  };
}

export function toWireSandboxConfig(c: PodSandboxConfig): WirePodSandboxConfig {
  return {
    metadata: { ...c.metadata },
    hostname: c.hostname,
    logDirectory: c.logDirectory,
    dnsConfig: c.dnsConfig ? { servers: [...c.dnsConfig.servers], searches: [...c.dnsConfig.searches], options: [...c.dnsConfig.options] } : null,
    portMappings: c.portMappings.map((p) => ({ protocol: p.protocol, containerPort: p.containerPort, hostPort: p.hostPort, hostIp: p.hostIp })),
    labels: { ...c.labels },
    annotations: { ...c.annotations },
    linux: {
      cgroupParent: c.linux.cgroupParent ?? '',
      securityContext: { namespaceOptions: namespaceOptions(c.linux) },
    },
  };
}

function toWireResources(r: LinuxContainerResources | undefined): WireLinuxResources | null {
  if (!r) return null;
  return {
    cpuPeriod: r.cpuPeriod ?? 0,
    cpuQuota: r.cpuQuota ?? 0,
    cpuShares: r.cpuShares ?? 0,
    memoryLimitInBytes: r.memoryLimitInBytes ?? 0,
    oomScoreAdj: r.oomScoreAdj ?? 0,
  };
}

export function toWireContainerConfig(c: ContainerConfig, sandbox: PodSandboxConfig): WireContainerConfig {
  const sc = c.linux.securityContext ?? {};
  return {
    metadata: { name: c.metadata.name, attempt: c.metadata.attempt },
    image: { image: c.image },
    command: [...c.command],
    args: [...c.args],
    workingDir: c.workingDir,
    envs: c.envs.map((e) => ({ key: e.key, value: e.value })),
    mounts: c.mounts.map((m) => ({
      containerPath: m.containerPath, hostPath: m.hostPath, readonly: m.readonly, propagation: propagation[m.propagation ?? 'private'],
    })),
    labels: { ...c.labels },
    annotations: { ...c.annotations },
    logPath: c.logPath,
    stdin: c.stdin,
    stdinOnce: c.stdinOnce,
    tty: c.tty,
    linux: {
      resources: toWireResources(c.linux.resources),
      securityContext: {
        privileged: sc.privileged ?? false,
        namespaceOptions: namespaceOptions(sandbox.linux),
        runAsUser: sc.runAsUser !== undefined ? { value: sc.runAsUser } : null,
        runAsGroup: sc.runAsGroup !== undefined ? { value: sc.runAsGroup } : null,
        readonlyRootfs: sc.readonlyRootfs ?? false,
      },
    },
  };
}

export function toWireContainerFilter(f: ContainerFilter | undefined): object | null {
  if (!f) return null;
  return {
    id: f.id ?? '',
    podSandboxId: f.podSandboxId ?? '',
    state: f.state ? { state: containerStates[f.state] } : null,
    labelSelector: { ...(f.labelSelector ?? {}) },
  };
}

export function toWireSandboxFilter(f: SandboxFilter | undefined): object | null {
  if (!f) return null;
  return {
    id: f.id ?? '',
    state: f.state ? { state: sandboxStates[f.state] } : null,
    labelSelector: { ...(f.labelSelector ?? {}) },
  };
}

export function toWireAuth(a: AuthConfig | undefined): WireAuthConfig | null {
  if (!a) return null;
  return {
    username: a.username ?? '', password: a.password ?? '', auth: a.auth ?? '', serverAddress: a.serverAddress ?? '',
    identityToken: a.identityToken ?? '', registryToken: a.registryToken ?? '',
  };
}
