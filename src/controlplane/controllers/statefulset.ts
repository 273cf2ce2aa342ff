// The StatefulSet controller (basic): pods `<set>-0 … <set>-(N-1)` created in order (OrderedReady: the
// next only once the previous is Running and Ready; Parallel: all at once), removed from the highest
// ordinal down, and replaced from the highest ordinal down to the partition when the template changes.
// Not done: volumeClaimTemplates (no PVCs are served), ControllerRevision objects (revisions are the
// `<set>-<hash>` label only, so pods below the partition are recreated from the current template),
// spec.ordinals and maxUnavailable.
import type { KubeObject } from '../../api/index.js';
import { objectKey, splitKey, type Informer } from './informer.js';
import { clone, numberField, podStatus, replicasOf, specOf, statusOf } from './kube-types.js';
import { claimObjects, controllerRefOf, controllersToSync } from './owner-refs.js';
import { availableInMs, isRunningAndReady } from './pod-state.js';
import { QueueController } from './queue-controller.js';
import { refs } from './resources.js';
import { selectorMatcher } from './selector.js';
import {
  isOrderedReady, isRollingUpdate, ordinalOf, partitionOf, revisionOfPod, statefulPod, updateRevisionOf,
} from './statefulset-pods.js';
import type { ControllerDeps } from './types.js';
import type { ProcessResult } from './work-queue.js';

export class StatefulSetController extends QueueController {
  private readonly sets: Informer;
  private readonly pods: Informer;

  constructor(deps: ControllerDeps) {
    super(deps, { name: 'statefulset', component: 'statefulset-controller' });
    this.sets = this.use(refs.statefulsets);
    this.pods = this.use(refs.pods);
    this.sets.addHandlers({
      add: (s) => this.queue.add(objectKey(s)),
      update: (_o, s) => this.queue.add(objectKey(s)),
    });
    this.pods.addHandlers({ add: (p) => this.enqueueFor(p), update: (_o, p) => this.enqueueFor(p), delete: (p) => this.enqueueFor(p) });
  }

  protected override resyncKeys(): string[] {
    return this.sets.keys();
  }

  private enqueueFor(pod: KubeObject): void {
    for (const c of controllersToSync(pod, 'StatefulSet', this.sets)) this.queue.add(objectKey(c));
  }

  protected reconcile(key: string): ProcessResult {
    const { namespace, name } = splitKey(key);
    const set = this.sets.get(namespace, name);
    if (!set) return;
    const matches = selectorMatcher(specOf(set).selector);
    const pods = claimObjects(this.pods.list(namespace), {
      api: this.api, ref: refs.pods, informer: this.pods, owner: set, ownerApiVersion: 'apps/v1', ownerKind: 'StatefulSet',
      matches: (p) => matches(p) && ordinalOf(set, p) !== undefined,
    });
    const revision = updateRevisionOf(set);
    if (!set.metadata.deletionTimestamp) this.step(set, pods, revision);
    return this.updateStatus(set, revision);
  }

  /** One pass; in OrderedReady mode it stops at the first pod that is not there or not ready yet. */
  private step(set: KubeObject, pods: KubeObject[], revision: string): void {
    const replicas = replicasOf(set);
    const ordered = isOrderedReady(set);
    const minReady = numberField(specOf(set), 'minReadySeconds');
    const slots: (KubeObject | undefined)[] = new Array<KubeObject | undefined>(replicas).fill(undefined);
    const condemned: KubeObject[] = [];
    for (const pod of pods) {
      const ordinal = ordinalOf(set, pod) ?? -1;
      if (ordinal < replicas) slots[ordinal] = pod;
      else condemned.push(pod);
    }
    condemned.sort((a, b) => (ordinalOf(set, b) ?? 0) - (ordinalOf(set, a) ?? 0));
    for (let i = 0; i < replicas; i++) {
      const pod = slots[i];
      if (!pod) { this.createPod(set, i, revision); if (ordered) return; continue; }
      if (pod.metadata.deletionTimestamp) { if (ordered) return; continue; }
      if (podStatus(pod).phase === 'Failed') { this.deletePod(set, pod); if (ordered) return; continue; }
      if (ordered && !this.healthy(pod, minReady)) return;
    }
    for (const pod of condemned) {
      if (pod.metadata.deletionTimestamp) { if (ordered) return; continue; }
      this.deletePod(set, pod);
      if (ordered) return;
    }
    if (!isRollingUpdate(set)) return;
    for (let i = replicas - 1; i >= partitionOf(set); i--) {
      const pod = slots[i];
      if (!pod) return;
      if (revisionOfPod(pod) !== revision && !pod.metadata.deletionTimestamp) { this.deletePod(set, pod); return; }
      if (!this.healthy(pod, minReady)) return;
    }
  }

  private healthy(pod: KubeObject, minReadySeconds: number): boolean {
    return isRunningAndReady(pod) && availableInMs(pod, minReadySeconds, this.now()) === 0 && !pod.metadata.deletionTimestamp;
  }

  private createPod(set: KubeObject, ordinal: number, revision: string): void {
    const pod = statefulPod(set, ordinal, revision);
    const created = this.api.create(refs.pods, set.metadata.namespace ?? '', pod);
    this.pods.observe(created);
    this.recorder.event(set, 'Normal', 'SuccessfulCreate',
      `create Pod ${created.metadata.name ?? ''} in StatefulSet ${set.metadata.name ?? ''} successful`);
  }

  private deletePod(set: KubeObject, pod: KubeObject): void {
    this.pods.observeDeleted(this.api.delete(refs.pods, pod.metadata.namespace ?? '', pod.metadata.name ?? ''));
    this.recorder.event(set, 'Normal', 'SuccessfulDelete',
      `delete Pod ${pod.metadata.name ?? ''} in StatefulSet ${set.metadata.name ?? ''} successful`);
  }

  private updateStatus(set: KubeObject, updateRevision: string): ProcessResult {
    const minReady = numberField(specOf(set), 'minReadySeconds');
    const now = this.now();
    const pods = this.pods.byOwner(set.metadata.uid ?? '').filter((p) => controllerRefOf(p)?.uid === set.metadata.uid);
    const old = statusOf(set);
    let currentRevision = typeof old.currentRevision === 'string' && old.currentRevision ? old.currentRevision : updateRevision;
    let waitMs: number | undefined;
    let ready = 0;
    let available = 0;
    for (const pod of pods) {
      if (!isRunningAndReady(pod)) continue;
      ready++;
      const inMs = availableInMs(pod, minReady, now) ?? 0;
      if (inMs === 0) available++;
      else waitMs = Math.min(waitMs ?? inMs, inMs);
    }
    const updated = pods.filter((p) => revisionOfPod(p) === updateRevision).length;
    if (updated === pods.length && ready === pods.length) currentRevision = updateRevision;
    const next: Record<string, unknown> = {
      observedGeneration: set.metadata.generation ?? 0, replicas: pods.length, readyReplicas: ready,
      availableReplicas: available, currentReplicas: pods.filter((p) => revisionOfPod(p) === currentRevision).length,
      updatedReplicas: updated, currentRevision, updateRevision, collisionCount: numberField(old, 'collisionCount'),
    };
    if (Object.entries(next).some(([k, v]) => old[k] !== v)) {
      const copy = clone(set);
      copy.status = { ...old, ...next };
      this.sets.observe(this.api.update(refs.statefulsets, set.metadata.namespace ?? '', set.metadata.name ?? '', copy, {}, 'status'));
    }
    return waitMs === undefined ? undefined : { requeueAfterMs: waitMs + 1 };
  }
}
