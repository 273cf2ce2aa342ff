// Start-up reconcile: containers and sandboxes this node created (label managedBy = node name) whose
// pod is no longer stored (deleted while edgecore was down or offline) are stopped and removed.
// Containers of stored pods are left alone: their workers adopt them (no restart of running ones).
import type { RuntimeService } from '../../runtime/types.js';
import { RuntimeAnnotations, RuntimeLabels } from '../../runtime/types.js';
import type { Logger } from '../../../core/index.js';

/** Grace for orphans: their pod spec is gone; the annotation recorded at creation says what it was (cap 30 s). */
const MAX_ORPHAN_GRACE_S = 30;

export async function removeOrphans(rt: RuntimeService, nodeName: string, known: (uid: string) => boolean, log: Logger): Promise<number> {
  const selector = { labelSelector: { [RuntimeLabels.managedBy]: nodeName } };
  const [containers, sandboxes] = await Promise.all([rt.listContainers(selector), rt.listPodSandbox(selector)]);
  const orphan = (labels: Record<string, string>): boolean => !known(labels[RuntimeLabels.podUid] ?? '');
  const deadContainers = containers.filter((c) => orphan(c.labels));
  const deadSandboxes = sandboxes.filter((s) => orphan(s.labels));
  if (deadContainers.length === 0 && deadSandboxes.length === 0) return 0;
  log.info('removing orphans', { containers: deadContainers.length, sandboxes: deadSandboxes.length });
  await Promise.all(deadContainers.map(async (c) => {
    if (c.state === 'running' || c.state === 'created') {
      const g = Number.parseInt(c.annotations[RuntimeAnnotations.terminationGracePeriod] ?? '', 10);
      await rt.stopContainer(c.id, Number.isFinite(g) && g >= 0 ? Math.min(g, MAX_ORPHAN_GRACE_S) : MAX_ORPHAN_GRACE_S);
    }
    await rt.removeContainer(c.id);
  }));
  for (const s of deadSandboxes) {
    if (s.state === 'ready') await rt.stopPodSandbox(s.id);
    await rt.removePodSandbox(s.id);
  }
  return deadContainers.length + deadSandboxes.length;
}
