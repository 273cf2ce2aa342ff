// Records where the kube-apiserver reaches this node's "kubelet" API: Node
// status.daemonEndpoints.kubeletEndpoint.Port = the stream port (KubeEdge records its stream port
// the same way). The edge does not report daemonEndpoints, and edgecontroller keeps the cloud's.
import type { Logger } from '../../core/index.js';
import { KubeError, Resources, type KubeClient } from '../kube/index.js';

const RETRY_MS = 5_000;
const ATTEMPTS = 12;

/** Patches the Node; retries while it is not registered yet (a tunnel can come up before the Node). */
export async function recordStreamPort(kube: KubeClient, node: string, port: number, log: Logger, signal: AbortSignal): Promise<void> {
  const body = { status: { daemonEndpoints: { kubeletEndpoint: { Port: port } } } };
  for (let attempt = 1; attempt <= ATTEMPTS && !signal.aborted; attempt++) {
    try {
      await kube.patch(Resources.nodes, null, node, body, 'merge', 'status');
      log.debug('stream port recorded', { node, port });
      return;
    } catch (err) {
      if (!(err instanceof KubeError && err.status === 404)) {
        log.warn('stream port not recorded', { node, error: (err as Error).message });
        return;
      }
    }
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, RETRY_MS);
      signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
    });
  }
}
