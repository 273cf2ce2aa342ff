// The ReplicaSet controller: keeps spec.replicas active pods (not finished, not being deleted) that
// match the selector, adopting orphans and releasing pods that stopped matching, and writes
// status.replicas / fullyLabeledReplicas / readyReplicas / availableReplicas / observedGeneration.
import type { KubeObject } from '../../api/index.js';
import { errorText, objectKey, splitKey, type Informer } from './informer.js';
import { clone, numberField, replicasOf, specOf, statusOf, templateOf } from './kube-types.js';
import { claimObjects, controllerRefOf, controllersToSync, newControllerRef } from './owner-refs.js';
import { availableInMs, isActive } from './pod-state.js';
import { QueueController } from './queue-controller.js';
import { refs } from './resources.js';
import { selectorMatcher } from './selector.js';
import type { ControllerDeps } from './types.js';
import type { ProcessResult } from './work-queue.js';
import { deletionOrder, hasAllLabels, podFromTemplate } from './workload-pods.js';

export class ReplicaSetController extends QueueController {
  private readonly replicaSets: Informer;
  private readonly pods: Informer;

  constructor(deps: ControllerDeps) {
    super(deps, { name: 'replicaset', component: 'replicaset-controller' });
    this.replicaSets = this.use(refs.replicasets);
    this.pods = this.use(refs.pods);
    this.replicaSets.addHandlers({
      add: (rs) => this.queue.add(objectKey(rs)),
      update: (_old, rs) => this.queue.add(objectKey(rs)),
    });
    this.pods.addHandlers({
      add: (pod) => this.enqueueFor(pod),
      update: (old, pod) => {
        this.enqueueFor(pod);
        // A pod that changed labels or owner may leave a ReplicaSet that must now replace it.
        if (JSON.stringify(old.metadata.labels) !== JSON.stringify(pod.metadata.labels) ||
          controllerRefOf(old)?.uid !== controllerRefOf(pod)?.uid) this.enqueueFor(old);
      },
      delete: (pod) => this.enqueueFor(pod),
    });
  }

  protected override resyncKeys(): string[] {
    return this.replicaSets.keys();
  }

  /** The owning ReplicaSet of a pod, or every ReplicaSet whose selector matches an orphan. */
  private enqueueFor(pod: KubeObject): void {
    for (const c of controllersToSync(pod, 'ReplicaSet', this.replicaSets)) this.queue.add(objectKey(c));
  }

  protected reconcile(key: string): ProcessResult {
    const { namespace, name } = splitKey(key);
    const rs = this.replicaSets.get(namespace, name);
    if (!rs) return;
    const owned = claimObjects(this.pods.list(namespace), {
      api: this.api, ref: refs.pods, informer: this.pods, owner: rs,
      ownerApiVersion: 'apps/v1', ownerKind: 'ReplicaSet', matches: selectorMatcher(specOf(rs).selector),
    });
    let failure: unknown;
    if (!rs.metadata.deletionTimestamp) {
      try {
        this.manageReplicas(rs, owned.filter(isActive));
      } catch (err) {
        failure = err;
      }
    }
    const result = this.updateStatus(rs);
    if (failure) throw failure;
    return result;
  }

  private manageReplicas(rs: KubeObject, active: KubeObject[]): void {
    const diff = active.length - replicasOf(rs);
    if (diff < 0) {
      for (let i = 0; i < -diff; i++) this.createPod(rs);
    } else if (diff > 0) {
      for (const pod of [...active].sort(deletionOrder).slice(0, diff)) this.deletePod(rs, pod);
    }
  }

  private createPod(rs: KubeObject): void {
    const namespace = rs.metadata.namespace ?? '';
    const pod = podFromTemplate({
      template: templateOf(rs), namespace, generateName: `${rs.metadata.name ?? ''}-`,
      ownerRef: newControllerRef(rs, 'apps/v1', 'ReplicaSet'),
    });
    try {
      const created = this.api.create(refs.pods, namespace, pod);
      this.pods.observe(created);
      this.recorder.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name ?? ''}`);
    } catch (err) {
      this.recorder.event(rs, 'Warning', 'FailedCreate', `Error creating: ${errorText(err)}`);
      throw err;
    }
  }

  private deletePod(rs: KubeObject, pod: KubeObject): void {
    const deleted = this.api.delete(refs.pods, pod.metadata.namespace ?? '', pod.metadata.name ?? '');
    this.pods.observeDeleted(deleted);
    this.recorder.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name ?? ''}`);
  }

  /** Writes status when it changed; asks for another look when a ready pod becomes available later. */
  private updateStatus(rs: KubeObject): ProcessResult {
    const minReadySeconds = numberField(specOf(rs), 'minReadySeconds');
    const now = this.now();
    const active = this.pods.byOwner(rs.metadata.uid ?? '')
      .filter((p) => controllerRefOf(p)?.uid === rs.metadata.uid && isActive(p));
    const templateLabels = templateOf(rs).metadata?.labels;
    let ready = 0;
    let available = 0;
    let waitMs: number | undefined;
    for (const pod of active) {
      const inMs = availableInMs(pod, minReadySeconds, now);
      if (inMs === undefined) continue;
      ready++;
      if (inMs === 0) available++;
      else waitMs = Math.min(waitMs ?? inMs, inMs);
    }
    const next = {
      replicas: active.length,
      fullyLabeledReplicas: active.filter((p) => hasAllLabels(p, templateLabels)).length,
      readyReplicas: ready,
      availableReplicas: available,
      observedGeneration: rs.metadata.generation ?? 0,
    };
    const status = statusOf(rs);
    const changed = Object.entries(next).some(([k, v]) => numberField(status, k) !== v) ||
      status.observedGeneration === undefined;
    if (changed) {
      const updated = clone(rs);
      updated.status = { ...status, ...next };
      this.replicaSets.observe(this.api.update(refs.replicasets, rs.metadata.namespace ?? '', rs.metadata.name ?? '', updated, {}, 'status'));
    }
    return waitMs === undefined ? undefined : { requeueAfterMs: waitMs + 1 };
  }
}
