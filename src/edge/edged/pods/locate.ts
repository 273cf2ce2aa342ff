// ContainerLocator for edgestream (kubectl logs / exec): the named container of a pod on this node,
// current or previous instance, with its log file.
import type { ContainerStatus, RuntimeService } from '../../runtime/types.js';
import { RuntimeLabels } from '../../runtime/types.js';
import { ContainerNotFoundError, type ContainerLocation, type Pod } from '../pod-contracts.js';
import { containersOf } from './pod-fields.js';
import { newestFirst } from './runtime-state.js';

const DEFAULT_CONTAINER = 'kubectl.kubernetes.io/default-container';

export async function locateContainer(rt: RuntimeService, nodeName: string, pod: Pod, container: string, previous: boolean, waitingReason: (name: string) => string | undefined): Promise<ContainerLocation> {
  const names = [...containersOf(pod, 'init'), ...containersOf(pod, 'regular')].map((c) => c.name);
  const name = pickName(pod, container, names);
  const podName = pod.metadata.name;
  const listed = await rt.listContainers({
    labelSelector: { [RuntimeLabels.podUid]: pod.metadata.uid, [RuntimeLabels.containerName]: name, [RuntimeLabels.managedBy]: nodeName },
  });
  const statuses: ContainerStatus[] = [];
  for (const c of listed) {
    try {
      statuses.push(await rt.containerStatus(c.id));
    } catch {
      // removed meanwhile
    }
  }
  statuses.sort(newestFirst);
  const s = statuses[previous ? 1 : 0];
  if (s === undefined) {
    if (previous) throw new ContainerNotFoundError(`previous terminated container "${name}" in pod "${podName}" not found`);
    const reason = waitingReason(name);
    throw new ContainerNotFoundError(`container "${name}" in pod "${podName}" is waiting to start: ${reason ?? 'ContainerCreating'}`);
  }
  return { podUid: pod.metadata.uid, containerName: name, containerId: s.id, logPath: s.logPath, running: s.state === 'running' };
}

function pickName(pod: Pod, container: string, names: string[]): string {
  const regular = containersOf(pod, 'regular').map((c) => c.name);
  if (container !== '') {
    if (names.includes(container)) return container;
    throw new ContainerNotFoundError(`container ${container} is not valid for pod ${pod.metadata.name}`);
  }
  const annotations = pod.metadata['annotations'];
  const preferred = typeof annotations === 'object' && annotations !== null ? (annotations as Record<string, unknown>)[DEFAULT_CONTAINER] : undefined;
  if (typeof preferred === 'string' && names.includes(preferred)) return preferred;
  const only = regular[0];
  if (regular.length === 1 && only !== undefined) return only;
  throw new ContainerNotFoundError(`a container name must be specified for pod ${pod.metadata.name}, choose one of: [${regular.join(' ')}]`);
}
