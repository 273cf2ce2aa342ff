// Picks the runtime as edgecore.yaml/--runtime says: 'cri', 'process', or '' = cri when the CRI socket
// exists, else the embedded process runtime (so a bare machine still runs pods, and says it does not
// isolate them).
import type { Logger } from '../../core/index.js';
import { criSocketExists } from './cri/socket-path.js';
import { createProcessRuntime } from './process/index.js';
import type { ContainerRuntime } from './types.js';

export interface OpenRuntimeOptions {
  kind: '' | 'cri' | 'process';
  /** unix:///path of the CRI socket. */
  criEndpoint: string;
  /** State directory of the process runtime. */
  processStateDir: string;
  nodeIP?: string;
  log: Logger;
}

export async function openContainerRuntime(opts: OpenRuntimeOptions): Promise<ContainerRuntime> {
  const kind = opts.kind !== '' ? opts.kind : criSocketExists(opts.criEndpoint) ? 'cri' : 'process';
  if (opts.kind === '') opts.log.info('runtime chosen', { runtime: kind, criEndpoint: opts.criEndpoint });
  if (kind === 'cri') {
    const { createCriRuntime } = await import('./cri/index.js');
    return createCriRuntime({ endpoint: opts.criEndpoint, log: opts.log.child('cri') });
  }
  return createProcessRuntime({ stateDir: opts.processStateDir, log: opts.log.child('process'), ...(opts.nodeIP ? { nodeIP: opts.nodeIP } : {}) });
}
