// kubelet's managed /etc/hosts (managedHostsFileContent) for pods on the pod network: loopback and
// IPv6 entries, the pod's IPs with its hostname, then spec.hostAliases.
import type { Pod } from '../pod-contracts.js';
import { objs, str } from './json-fields.js';
import { podHostname } from './hostname.js';

export function etcHostsContent(pod: Pod, podIPs: string[]): string {
  const lines = [
    '# Kubernetes-managed hosts file.',
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'fe00::0\tip6-mcastprefix',
    'fe00::1\tip6-allnodes',
    'fe00::2\tip6-allrouters',
  ];
  const hostname = podHostname(pod);
  // No cluster domain on the edge, so no <host>.<subdomain>.<ns>.svc.<domain> name.
  for (const ip of podIPs) lines.push(`${ip}\t${hostname}`);
  const aliases = objs(pod.spec['hostAliases']);
  if (aliases.length > 0) lines.push('', '# Entries added by HostAliases.');
  for (const alias of aliases) {
    const names = Array.isArray(alias['hostnames']) ? alias['hostnames'].filter((h): h is string => typeof h === 'string') : [];
    const ip = str(alias['ip']);
    if (ip && names.length > 0) lines.push(`${ip}\t${names.join('\t')}`);
  }
  return `${lines.join('\n')}\n`;
}
