// One sync of one Deployment over its claimed ReplicaSets: find or create the new ReplicaSet, scale new
// and old ones by the strategy, trim history, write status. One step per sync, like Kubernetes: after
// any scaling the status is written and the next watch event continues the rollout.
import type { KubeObject } from '../../api/index.js';
import type { ObjectAPI } from '../objects/index.js';
import type { EventRecorder } from './event-recorder.js';
import type { Informer } from './informer.js';
import { clone, numberField, replicasOf, specOf, statusOf } from './kube-types.js';
import { isTerminal } from './pod-state.js';
import { refs } from './resources.js';
import {
  byCreation, newReplicaSetReplicas, replicaSetsSynced, resolveFenceposts, scaleDownOldPlan, specReplicas,
} from './deployment-rollout.js';
import {
  annotations, copiedAnnotations, findNewReplicaSet, maxRevision, newReplicaSetFor, revisionOf,
} from './deployment-replicasets.js';
import { computeConditions, countStatus, isComplete, msUntilDeadline } from './deployment-status.js';
import type { ProcessResult } from './work-queue.js';

export interface RolloutDeps {
  api: ObjectAPI;
  d: KubeObject;
  rsList: KubeObject[];
  replicaSets: Informer;
  pods: Informer;
  recorder: EventRecorder;
  now: Date;
}

export class DeploymentRollout {
  private readonly x: RolloutDeps;
  private d: KubeObject;
  private newRs: KubeObject | undefined;
  private oldRs: KubeObject[];
  private createdNewRs = false;

  constructor(deps: RolloutDeps) {
    this.x = deps;
    this.d = deps.d;
    this.newRs = findNewReplicaSet(deps.d, deps.rsList);
    this.oldRs = deps.rsList.filter((rs) => rs !== this.newRs);
  }

  run(): ProcessResult {
    if (this.d.metadata.deletionTimestamp) return this.syncStatus();
    if (specOf(this.d).paused === true) {
      this.scalePaused();
      return this.syncStatus();
    }
    const recreate = (specOf(this.d).strategy as { type?: string } | undefined)?.type === 'Recreate';
    const scaled = recreate ? this.recreateStep() : this.rollingStep();
    if (!scaled && this.newRs && isComplete(this.d, countStatus(this.d, this.all(), this.newRs))) this.cleanupHistory();
    return this.syncStatus();
  }

  private all(): KubeObject[] {
    return this.newRs ? [...this.oldRs, this.newRs] : [...this.oldRs];
  }

  /** RollingUpdate: grow the new ReplicaSet within maxSurge, else shrink old ones within maxUnavailable. */
  private rollingStep(): boolean {
    this.ensureNewReplicaSet(() => newReplicaSetReplicas(this.d, this.oldRs, 0));
    const newRs = this.newRs;
    if (!newRs) return true;
    if (this.createdNewRs) return true;
    const want = replicasOf(this.d);
    const current = specReplicas(newRs);
    const target = current > want ? want : newReplicaSetReplicas(this.d, this.all(), current);
    if (target !== current) { this.scale(newRs, target); return true; }
    // Availability read from a ReplicaSet status that lags its spec could remove too many old pods.
    if (!replicaSetsSynced(this.all())) return true;
    const plan = scaleDownOldPlan(this.d, this.oldRs, newRs);
    for (const rs of this.oldRs) {
      const next = plan.get(rs.metadata.name ?? '');
      if (next !== undefined) this.scale(rs, next);
    }
    return plan.size > 0;
  }

  /** Recreate: all old pods down and gone first, then the new ReplicaSet at full size. */
  private recreateStep(): boolean {
    const activeOld = this.oldRs.filter((rs) => specReplicas(rs) > 0);
    if (activeOld.length > 0) {
      for (const rs of activeOld) this.scale(rs, 0);
      return true;
    }
    const oldPodsRunning = this.oldRs.some((rs) => this.x.pods.byOwner(rs.metadata.uid ?? '').some((p) => !isTerminal(p)));
    if (oldPodsRunning) return true;
    this.ensureNewReplicaSet(() => replicasOf(this.d));
    const newRs = this.newRs;
    if (!newRs || this.createdNewRs) return true;
    if (specReplicas(newRs) !== replicasOf(this.d)) { this.scale(newRs, replicasOf(this.d)); return true; }
    return false;
  }

  /** Paused: no rollout, only keep the replica count of the newest active ReplicaSet. */
  private scalePaused(): void {
    const target = this.newRs ?? [...this.oldRs].filter((rs) => specReplicas(rs) > 0).sort(byCreation).pop();
    if (target && this.all().filter((rs) => specReplicas(rs) > 0 && rs !== target).length === 0 &&
      specReplicas(target) !== replicasOf(this.d)) {
      this.scale(target, replicasOf(this.d));
    }
  }

  private ensureNewReplicaSet(initialReplicas: () => number): void {
    const nextRevision = maxRevision(this.oldRs) + 1;
    const { maxSurge } = resolveFenceposts(this.d);
    if (this.newRs) {
      this.syncNewRsAnnotations(this.newRs, nextRevision, maxSurge);
      return;
    }
    const replicas = initialReplicas();
    const body = newReplicaSetFor(this.d, replicas, nextRevision, maxSurge);
    const created = this.x.api.create(refs.replicasets, this.d.metadata.namespace ?? '', body);
    this.x.replicaSets.observe(created);
    this.newRs = created;
    this.createdNewRs = true;
    if (replicas > 0) {
      this.x.recorder.event(this.d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name ?? ''} from 0 to ${replicas}`);
    }
  }

  /** A rollback makes an old ReplicaSet new again: it gets the next revision and fresh annotations. */
  private syncNewRsAnnotations(rs: KubeObject, nextRevision: number, maxSurge: number): void {
    const current = rs.metadata.annotations ?? {};
    const revision = Math.max(revisionOf(rs), nextRevision);
    const wanted: Record<string, string> = {
      ...current,
      ...copiedAnnotations(this.d),
      [annotations.revision]: String(revision),
      [annotations.desiredReplicas]: String(replicasOf(this.d)),
      [annotations.maxReplicas]: String(replicasOf(this.d) + maxSurge),
    };
    if (Object.entries(wanted).every(([k, v]) => current[k] === v)) return;
    const next = clone(rs);
    next.metadata.annotations = wanted;
    this.newRs = this.write(next);
  }

  private scale(rs: KubeObject, replicas: number): void {
    const from = specReplicas(rs);
    const next = clone(rs);
    (next.spec as Record<string, unknown>).replicas = replicas;
    const { maxSurge } = resolveFenceposts(this.d);
    next.metadata.annotations = {
      ...(next.metadata.annotations ?? {}),
      [annotations.desiredReplicas]: String(replicasOf(this.d)),
      [annotations.maxReplicas]: String(replicasOf(this.d) + maxSurge),
    };
    const saved = this.write(next);
    if (rs === this.newRs) this.newRs = saved;
    else this.oldRs = this.oldRs.map((o) => (o === rs ? saved : o));
    if (from !== replicas) {
      const op = replicas > from ? 'up' : 'down';
      this.x.recorder.event(this.d, 'Normal', 'ScalingReplicaSet', `Scaled ${op} replica set ${rs.metadata.name ?? ''} to ${replicas} from ${from}`);
    }
  }

  private write(rs: KubeObject): KubeObject {
    const saved = this.x.api.update(refs.replicasets, rs.metadata.namespace ?? '', rs.metadata.name ?? '', rs);
    this.x.replicaSets.observe(saved);
    return saved;
  }

  /** Deletes the lowest-revision fully scaled-down old ReplicaSets beyond revisionHistoryLimit (default 10). */
  private cleanupHistory(): void {
    const limit = typeof specOf(this.d).revisionHistoryLimit === 'number' ? specOf(this.d).revisionHistoryLimit as number : 10;
    const idle = this.oldRs
      .filter((rs) => specReplicas(rs) === 0 && numberField(statusOf(rs), 'replicas') === 0 && !rs.metadata.deletionTimestamp)
      .sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
    for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) {
      const gone = this.x.api.delete(refs.replicasets, rs.metadata.namespace ?? '', rs.metadata.name ?? '');
      this.x.replicaSets.observeDeleted(gone);
      this.oldRs = this.oldRs.filter((o) => o !== rs);
    }
  }

  /** The Deployment carries the revision of its new ReplicaSet (kubectl rollout history / status --revision). */
  private syncRevisionAnnotation(): void {
    const revision = this.newRs?.metadata.annotations?.[annotations.revision];
    if (!revision || this.d.metadata.annotations?.[annotations.revision] === revision) return;
    const next = clone(this.d);
    next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [annotations.revision]: revision };
    this.d = this.x.api.update(refs.deployments, this.d.metadata.namespace ?? '', this.d.metadata.name ?? '', next);
  }

  private syncStatus(): ProcessResult {
    this.syncRevisionAnnotation();
    const counts = countStatus(this.d, this.all(), this.newRs);
    const conditions = computeConditions({
      d: this.d, counts, newRsName: this.newRs?.metadata.name, createdNewRs: this.createdNewRs, now: this.x.now,
    });
    const status = { ...statusOf(this.d), ...counts, conditions };
    if (JSON.stringify(status) !== JSON.stringify(statusOf(this.d))) {
      const next = clone(this.d);
      next.status = status;
      this.x.api.update(refs.deployments, this.d.metadata.namespace ?? '', this.d.metadata.name ?? '', next, {}, 'status');
    }
    const wait = msUntilDeadline(this.d, conditions, this.x.now);
    return wait === undefined ? undefined : { requeueAfterMs: wait + 1 };
  }
}
