// The Deployment controller: one ReplicaSet per pod template (`<deployment>-<pod-template-hash>`),
// rolled with RollingUpdate (maxSurge / maxUnavailable) or Recreate, old ReplicaSets trimmed to
// revisionHistoryLimit, and a status `kubectl rollout status` understands. Scaling during a rollout is
// handled by the rolling-update arithmetic itself (Kubernetes' proportional scaling is not done).
import type { KubeObject } from '../../api/index.js';
import { isApiError } from '../errors.js';
import { objectKey, splitKey, type Informer } from './informer.js';
import { clone, replicasOf, specOf, statusOf } from './kube-types.js';
import { claimObjects, controllerRefOf, controllersToSync } from './owner-refs.js';
import { QueueController } from './queue-controller.js';
import { refs } from './resources.js';
import { selectorMatcher } from './selector.js';
import type { ControllerDeps } from './types.js';
import type { ProcessResult } from './work-queue.js';
import { DeploymentRollout } from './deployment-sync.js';

export class DeploymentController extends QueueController {
  private readonly deployments: Informer;
  private readonly replicaSets: Informer;
  private readonly pods: Informer;

  constructor(deps: ControllerDeps) {
    super(deps, { name: 'deployment', component: 'deployment-controller' });
    this.deployments = this.use(refs.deployments);
    this.replicaSets = this.use(refs.replicasets);
    this.pods = this.use(refs.pods);
    this.deployments.addHandlers({
      add: (d) => this.queue.add(objectKey(d)),
      update: (_old, d) => this.queue.add(objectKey(d)),
    });
    this.replicaSets.addHandlers({
      add: (rs) => this.enqueueOwner(rs),
      update: (old, rs) => { this.enqueueOwner(rs); if (controllerRefOf(old)?.uid !== controllerRefOf(rs)?.uid) this.enqueueOwner(old); },
      delete: (rs) => this.enqueueOwner(rs),
    });
    // Recreate waits for the old pods to be gone.
    this.pods.addHandlers({ delete: (pod) => this.enqueuePodDeployment(pod) });
  }

  protected override resyncKeys(): string[] {
    return this.deployments.keys();
  }

  private enqueueOwner(rs: KubeObject): void {
    for (const c of controllersToSync(rs, 'Deployment', this.deployments)) this.queue.add(objectKey(c));
  }

  private enqueuePodDeployment(pod: KubeObject): void {
    const ref = controllerRefOf(pod);
    if (ref?.kind !== 'ReplicaSet') return;
    const rs = this.replicaSets.getByUid(ref.uid);
    if (rs) this.enqueueOwner(rs);
  }

  protected reconcile(key: string): ProcessResult {
    const { namespace, name } = splitKey(key);
    const d = this.deployments.get(namespace, name);
    if (!d) return;
    const matches = selectorMatcher(specOf(d).selector);
    const rsList = claimObjects(this.replicaSets.list(namespace), {
      api: this.api, ref: refs.replicasets, informer: this.replicaSets, owner: d,
      ownerApiVersion: 'apps/v1', ownerKind: 'Deployment', matches,
    });
    const rollout = new DeploymentRollout({
      api: this.api, d, rsList, replicaSets: this.replicaSets, pods: this.pods, recorder: this.recorder, now: this.now(),
    });
    try {
      return rollout.run();
    } catch (err) {
      if (isApiError(err) && err.reason === 'AlreadyExists') this.bumpCollisionCount(d);
      throw err;
    }
  }

  /** A ReplicaSet with our name but another template exists: change the hash (collisionCount). */
  private bumpCollisionCount(d: KubeObject): void {
    const next = clone(d);
    const status = statusOf(next);
    status.collisionCount = (typeof status.collisionCount === 'number' ? status.collisionCount : 0) + 1;
    next.status = status;
    this.deployments.observe(this.api.update(refs.deployments, d.metadata.namespace ?? '', d.metadata.name ?? '', next, {}, 'status'));
    this.log.info('pod-template-hash collision', { deployment: objectKey(d), replicas: replicasOf(d) });
  }
}
