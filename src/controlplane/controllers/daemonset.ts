// The DaemonSet controller: one pod per eligible node, extra and failed pods removed, pods on nodes
// that no longer qualify (or no longer exist) deleted, RollingUpdate within maxUnavailable, and status.
import type { KubeObject } from '../../api/index.js';
import { daemonPodNode, daemonPodSpec, placementOn, revisionHashLabel } from './daemonset-placement.js';
import { rollingUpdateDeletions } from './daemonset-update.js';
import { objectKey, splitKey, type Informer } from './informer.js';
import { clone, nodeSpec, numberField, podStatus, specOf, statusOf, templateOf } from './kube-types.js';
import { claimObjects, controllersToSync, newControllerRef } from './owner-refs.js';
import { availableInMs } from './pod-state.js';
import { QueueController } from './queue-controller.js';
import { refs } from './resources.js';
import { selectorMatcher } from './selector.js';
import { templateHash, withoutLabel } from './template-hash.js';
import type { ControllerDeps } from './types.js';
import type { ProcessResult } from './work-queue.js';
import { podFromTemplate } from './workload-pods.js';

type PodsByNode = Map<string, KubeObject[]>;

export class DaemonSetController extends QueueController {
  private readonly daemonSets: Informer;
  private readonly nodes: Informer;
  private readonly pods: Informer;

  constructor(deps: ControllerDeps) {
    super(deps, { name: 'daemonset', component: 'daemonset-controller' });
    this.daemonSets = this.use(refs.daemonsets);
    this.nodes = this.use(refs.nodes);
    this.pods = this.use(refs.pods);
    this.daemonSets.addHandlers({
      add: (ds) => this.queue.add(objectKey(ds)),
      update: (_old, ds) => this.queue.add(objectKey(ds)),
    });
    const all = (): void => { for (const k of this.daemonSets.keys()) this.queue.add(k); };
    this.nodes.addHandlers({
      add: all,
      delete: all,
      update: (old, node) => { if (placementInputs(old) !== placementInputs(node)) all(); },
    });
    this.pods.addHandlers({ add: (p) => this.enqueueFor(p), update: (_o, p) => this.enqueueFor(p), delete: (p) => this.enqueueFor(p) });
  }

  protected override resyncKeys(): string[] {
    return this.daemonSets.keys();
  }

  private enqueueFor(pod: KubeObject): void {
    for (const c of controllersToSync(pod, 'DaemonSet', this.daemonSets)) this.queue.add(objectKey(c));
  }

  protected reconcile(key: string): ProcessResult {
    const { namespace, name } = splitKey(key);
    const ds = this.daemonSets.get(namespace, name);
    if (!ds) return;
    const hash = templateHash(withoutLabel(templateOf(ds), revisionHashLabel));
    const claim = (): PodsByNode => groupByNode(claimObjects(this.pods.list(namespace), {
      api: this.api, ref: refs.pods, informer: this.pods, owner: ds,
      ownerApiVersion: 'apps/v1', ownerKind: 'DaemonSet', matches: selectorMatcher(specOf(ds).selector),
    }));
    if (!ds.metadata.deletionTimestamp) {
      this.manage(ds, claim(), hash);
      const strategy = specOf(ds).updateStrategy as { type?: string } | undefined;
      if ((strategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
        const doomed = rollingUpdateDeletions(ds, this.nodes.list(), claim(), hash, this.now());
        for (const pod of doomed) this.deletePod(ds, pod);
      }
    }
    return this.updateStatus(ds, claim(), hash);
  }

  private manage(ds: KubeObject, byNode: PodsByNode, hash: string): void {
    const existing = new Set<string>();
    for (const node of this.nodes.list()) {
      const nodeName = node.metadata.name ?? '';
      existing.add(nodeName);
      const pods = byNode.get(nodeName) ?? [];
      const { shouldRun, shouldContinueRunning } = placementOn(ds, node);
      if (shouldRun && pods.length === 0) this.createPod(ds, nodeName, hash);
      else if (shouldContinueRunning) this.trimPods(ds, nodeName, pods);
      else for (const pod of pods) if (!pod.metadata.deletionTimestamp) this.deletePod(ds, pod);
    }
    // Pods for vanished nodes would otherwise wait forever for a node the scheduler cannot find.
    for (const [nodeName, pods] of byNode) {
      if (existing.has(nodeName)) continue;
      for (const pod of pods) if (!pod.metadata.deletionTimestamp) this.deletePod(ds, pod);
    }
  }

  /** Failed pods go (a fresh one follows); of several live pods the oldest stays. */
  private trimPods(ds: KubeObject, nodeName: string, pods: KubeObject[]): void {
    const live = pods.filter((p) => !p.metadata.deletionTimestamp);
    for (const pod of live.filter((p) => podStatus(p).phase === 'Failed')) {
      this.recorder.event(ds, 'Warning', 'FailedDaemonPod',
        `Found failed daemon pod ${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''} on node ${nodeName}, will try to kill it`);
      this.deletePod(ds, pod);
    }
    const running = live.filter((p) => podStatus(p).phase !== 'Failed').sort(byAge);
    for (const pod of running.slice(1)) this.deletePod(ds, pod);
  }

  private createPod(ds: KubeObject, nodeName: string, hash: string): void {
    const namespace = ds.metadata.namespace ?? '';
    const pod = podFromTemplate({
      template: templateOf(ds), namespace, generateName: `${ds.metadata.name ?? ''}-`,
      ownerRef: newControllerRef(ds, 'apps/v1', 'DaemonSet'), extraLabels: { [revisionHashLabel]: hash },
    });
    pod.spec = daemonPodSpec(ds, nodeName);
    const created = this.api.create(refs.pods, namespace, pod);
    this.pods.observe(created);
    this.recorder.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name ?? ''}`);
  }

  private deletePod(ds: KubeObject, pod: KubeObject): void {
    this.pods.observeDeleted(this.api.delete(refs.pods, pod.metadata.namespace ?? '', pod.metadata.name ?? ''));
    this.recorder.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name ?? ''}`);
  }

  private updateStatus(ds: KubeObject, byNode: PodsByNode, hash: string): ProcessResult {
    const minReadySeconds = numberField(specOf(ds), 'minReadySeconds');
    const now = this.now();
    const s = { desired: 0, current: 0, misscheduled: 0, ready: 0, available: 0, updated: 0 };
    let waitMs: number | undefined;
    for (const node of this.nodes.list()) {
      const pods = (byNode.get(node.metadata.name ?? '') ?? []).sort(liveFirst);
      const { shouldRun } = placementOn(ds, node);
      if (!shouldRun) { if (pods.length > 0) s.misscheduled++; continue; }
      s.desired++;
      const pod = pods[0];
      if (!pod) continue;
      s.current++;
      if (pod.metadata.labels?.[revisionHashLabel] === hash) s.updated++;
      const inMs = availableInMs(pod, minReadySeconds, now);
      if (inMs === undefined) continue;
      s.ready++;
      if (inMs === 0) s.available++;
      else waitMs = Math.min(waitMs ?? inMs, inMs);
    }
    const next: Record<string, number> = {
      desiredNumberScheduled: s.desired, currentNumberScheduled: s.current, numberMisscheduled: s.misscheduled,
      numberReady: s.ready, numberAvailable: s.available, updatedNumberScheduled: s.updated,
      numberUnavailable: Math.max(0, s.desired - s.available), observedGeneration: ds.metadata.generation ?? 0,
    };
    const status = statusOf(ds);
    if (Object.entries(next).some(([k, v]) => status[k] !== v)) {
      const updated = clone(ds);
      updated.status = { ...status, ...next };
      this.daemonSets.observe(this.api.update(refs.daemonsets, ds.metadata.namespace ?? '', ds.metadata.name ?? '', updated, {}, 'status'));
    }
    return waitMs === undefined ? undefined : { requeueAfterMs: waitMs + 1 };
  }
}

function groupByNode(pods: KubeObject[]): PodsByNode {
  const out: PodsByNode = new Map();
  for (const pod of pods) {
    const node = daemonPodNode(pod);
    if (node) out.set(node, [...(out.get(node) ?? []), pod]);
  }
  return out;
}

function byAge(a: KubeObject, b: KubeObject): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
}

function liveFirst(a: KubeObject, b: KubeObject): number {
  const da = a.metadata.deletionTimestamp ? 1 : 0;
  const db = b.metadata.deletionTimestamp ? 1 : 0;
  return da !== db ? da - db : byAge(a, b);
}

/** What placement depends on: labels, taints, unschedulable (not heartbeats). */
function placementInputs(node: KubeObject): string {
  return JSON.stringify([node.metadata.labels ?? {}, nodeSpec(node).taints ?? [], nodeSpec(node).unschedulable ?? false]);
}
