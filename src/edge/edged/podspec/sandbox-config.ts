// PodSandboxConfig as kubelet's generatePodSandboxConfig builds it: metadata, hostname, log dir,
// DNS, host ports, labels/annotations and namespace options.
import { readFileSync } from 'node:fs';
import type { PodSandboxConfig, PortMapping, Protocol } from '../../runtime/types.js';
import { RuntimeLabels } from '../../runtime/types.js';
import type { BuildSandboxConfig, Pod } from '../pod-contracts.js';
import { podDnsConfig } from './dns.js';
import { podHostname } from './hostname.js';
import { num, objs, str, stringMap } from './json-fields.js';

const hostResolvConfPath = '/etc/resolv.conf';

function readHostResolvConf(): string {
  try {
    return readFileSync(hostResolvConfPath, 'utf8');
  } catch {
    return '';
  }
}

/** Ports with a hostPort, from the regular containers (containerd only maps those). */
export function podPortMappings(pod: Pod): PortMapping[] {
  const out: PortMapping[] = [];
  for (const c of objs(pod.spec['containers'])) {
    for (const p of objs(c['ports'])) {
      const hostPort = num(p['hostPort']) ?? 0;
      const containerPort = num(p['containerPort']) ?? 0;
      if (hostPort <= 0 || containerPort <= 0) continue;
      const protocol = (str(p['protocol']) ?? 'TCP') as Protocol;
      out.push({ protocol, containerPort, hostPort, hostIp: str(p['hostIP']) ?? '' });
    }
  }
  return out;
}

/** Pod labels plus kubelet's io.kubernetes.pod.* labels and our managed-by mark. */
export function podLabels(pod: Pod, managedBy: string): Record<string, string> {
  return {
    ...stringMap(pod.metadata['labels']),
    [RuntimeLabels.podName]: pod.metadata.name,
    [RuntimeLabels.podNamespace]: pod.metadata.namespace,
    [RuntimeLabels.podUid]: pod.metadata.uid,
    [RuntimeLabels.managedBy]: managedBy,
  };
}

/** The sandbox config; `hostResolvConf` overrides reading /etc/resolv.conf (tests). */
export function sandboxConfig(input: Parameters<BuildSandboxConfig>[0], hostResolvConf?: string): PodSandboxConfig {
  const { pod, dirs, attempt, managedBy } = input;
  const hostNetwork = pod.spec['hostNetwork'] === true;
  return {
    metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid, attempt },
    // containerd rejects a hostname for host-network sandboxes; the container sees the node's.
    hostname: hostNetwork ? '' : podHostname(pod),
    logDirectory: dirs.podLogDir(pod),
    dnsConfig: podDnsConfig(pod, hostResolvConf ?? readHostResolvConf()),
    portMappings: podPortMappings(pod),
    labels: podLabels(pod, managedBy),
    annotations: stringMap(pod.metadata['annotations']),
    linux: {
      hostNetwork,
      hostPid: pod.spec['hostPID'] === true,
      hostIpc: pod.spec['hostIPC'] === true,
    },
  };
}

export const buildSandboxConfig: BuildSandboxConfig = (input) => sandboxConfig(input);
