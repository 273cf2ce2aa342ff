// Where kubelet keeps a pod's files: <root>/pods/<uid> (volumes, containers/, etc-hosts) and
// /var/log/pods/<ns>_<name>_<uid> for logs; here both live under edged's data dir.
import { join } from 'node:path';
import type { Pod, PodDirs } from '../pod-contracts.js';

export function podDirs(dataDir: string): PodDirs {
  return {
    podDir: (uid) => join(dataDir, 'pods', uid),
    podLogDir: (pod: Pod) => join(dataDir, 'logs', 'pods', `${pod.metadata.namespace}_${pod.metadata.name}_${pod.metadata.uid}`),
  };
}
