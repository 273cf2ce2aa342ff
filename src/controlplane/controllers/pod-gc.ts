// The pod garbage collector's orphan rule: pods bound to a node that no longer exists are force-deleted
// (grace period 0), since no kubelet will ever confirm their termination. A node must have been missing
// for quarantineMs (default 40 s, as in Kubernetes) unless we saw it being deleted, so a pod created
// for a node that is still registering survives.
import { isApiError } from '../errors.js';
import type { Informer } from './informer.js';
import { QueueController } from './queue-controller.js';
import { refs } from './resources.js';
import type { ControllerDeps } from './types.js';
import type { ProcessResult } from './work-queue.js';

export interface PodGcDeps extends ControllerDeps {
  quarantineMs?: number;
}

export class PodGarbageCollector extends QueueController {
  private readonly nodes: Informer;
  private readonly pods: Informer;
  private readonly quarantineMs: number;
  /** Node name → when we first found pods bound to it while it did not exist (ms, our clock). */
  private readonly missingSince = new Map<string, number>();
  private readonly deletedNodes = new Set<string>();

  constructor(deps: PodGcDeps) {
    super(deps, { name: 'podgc', component: 'pod-garbage-collector' });
    this.quarantineMs = deps.quarantineMs ?? 40_000;
    this.nodes = this.use(refs.nodes);
    this.pods = this.use(refs.pods);
    this.nodes.addHandlers({
      add: (n) => { this.missingSince.delete(n.metadata.name ?? ''); this.deletedNodes.delete(n.metadata.name ?? ''); },
      delete: (n) => { this.deletedNodes.add(n.metadata.name ?? ''); this.queue.add(n.metadata.name ?? ''); },
    });
  }

  /** Node names that pods are bound to but that we do not know. */
  protected override resyncKeys(): string[] {
    const names = new Set<string>();
    for (const pod of this.pods.list()) {
      const node = (pod.spec as { nodeName?: unknown } | undefined)?.nodeName;
      if (typeof node === 'string' && node && !this.nodes.get('', node)) names.add(node);
    }
    return [...names];
  }

  protected reconcile(nodeName: string): ProcessResult {
    if (this.nodes.get('', nodeName) || !this.nodeIsGone(nodeName)) { this.missingSince.delete(nodeName); return; }
    const now = this.now().getTime();
    if (!this.deletedNodes.has(nodeName)) {
      const since = this.missingSince.get(nodeName) ?? now;
      this.missingSince.set(nodeName, since);
      if (now - since < this.quarantineMs) return { requeueAfterMs: since + this.quarantineMs - now + 1 };
    }
    for (const pod of this.pods.byNode(nodeName)) {
      try {
        this.pods.observeDeleted(this.api.delete(refs.pods, pod.metadata.namespace ?? '', pod.metadata.name ?? '', { gracePeriodSeconds: 0 }));
        this.log.info('deleted pod of a vanished node', { pod: `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`, node: nodeName });
      } catch (err) {
        if (!(isApiError(err) && err.code === 404)) throw err;
      }
    }
    this.deletedNodes.delete(nodeName);
    this.missingSince.delete(nodeName);
  }

  /** The cache may lag behind a re-created node: ask the object API before deleting anything. */
  private nodeIsGone(nodeName: string): boolean {
    try {
      this.api.get(refs.nodes, '', nodeName);
      return false;
    } catch (err) {
      if (isApiError(err) && err.code === 404) return true;
      throw err;
    }
  }
}
