// The scheduler: binds each pending pod (no spec.nodeName, schedulerName "default-scheduler" or unset,
// not being deleted) to the feasible node with the most room left, through pods/binding. A pod no node
// fits gets PodScheduled=False/Unschedulable with kube-scheduler's message and a FailedScheduling event,
// and is tried again when nodes change or pods leave.
import type { KubeObject } from '../../api/index.js';
import { isApiError } from '../errors.js';
import { clone, findCondition, podSpec, podStatus } from './kube-types.js';
import { isTerminal, setCondition } from './pod-state.js';
import { QueueController } from './queue-controller.js';
import { refs } from './resources.js';
import { filterNode, fitErrorMessage } from './scheduler-filters.js';
import { SchedulerCache } from './scheduler-cache.js';
import { buildNodeInfo, leastAllocatedScore, podRequests, type NodeInfo } from './scheduler-resources.js';
import { objectKey, splitKey, type Informer } from './informer.js';
import { formatTime, type ControllerDeps } from './types.js';
import type { ProcessResult } from './work-queue.js';

export const defaultSchedulerName = 'default-scheduler';

export interface SchedulerDeps extends ControllerDeps {
  schedulerName?: string;
}

export class Scheduler extends QueueController {
  private readonly pods: Informer;
  private readonly nodes: Informer;
  private readonly schedulerName: string;
  /** Per-node usage, including pods bound by us that the watch has not shown bound yet. */
  private readonly cache = new SchedulerCache();
  /** Pods that fit nowhere at their last attempt; retried on any change that may free room. */
  private readonly unschedulable = new Set<string>();

  constructor(deps: SchedulerDeps) {
    super(deps, { name: 'scheduler', component: deps.schedulerName ?? defaultSchedulerName });
    this.schedulerName = deps.schedulerName ?? defaultSchedulerName;
    this.pods = this.use(refs.pods);
    this.nodes = this.use(refs.nodes);
    this.pods.addHandlers({
      add: (pod) => this.onPod(pod),
      update: (old, pod) => this.onPod(pod, old),
      delete: (pod) => {
        this.cache.setPod(objectKey(pod), undefined);
        this.unschedulable.delete(objectKey(pod));
        if (podSpec(pod).nodeName) this.retryUnschedulable();
      },
    });
    this.nodes.addHandlers({
      add: () => this.retryUnschedulable(),
      update: () => this.retryUnschedulable(),
    });
  }

  protected override resyncKeys(): string[] {
    return this.pods.list().filter((p) => this.wantsScheduling(p)).map(objectKey);
  }

  private onPod(pod: KubeObject, old?: KubeObject): void {
    const key = objectKey(pod);
    this.cache.setPod(key, pod);
    if (this.wantsScheduling(pod)) { this.queue.add(key); return; }
    this.unschedulable.delete(key);
    // A pod that finished or started terminating frees room on its node.
    if (old && podSpec(pod).nodeName && (isTerminal(pod) !== isTerminal(old) || (pod.metadata.deletionTimestamp && !old.metadata.deletionTimestamp))) {
      this.retryUnschedulable();
    }
  }

  private retryUnschedulable(): void {
    for (const key of this.unschedulable) this.queue.add(key);
  }

  private wantsScheduling(pod: KubeObject): boolean {
    const spec = podSpec(pod);
    if (spec.nodeName || pod.metadata.deletionTimestamp || isTerminal(pod)) return false;
    if (this.cache.isAssumed(objectKey(pod), pod)) return false;
    return (spec.schedulerName || defaultSchedulerName) === this.schedulerName;
  }

  protected reconcile(key: string): ProcessResult {
    const { namespace, name } = splitKey(key);
    const pod = this.pods.get(namespace, name);
    if (!pod || !this.wantsScheduling(pod)) { this.unschedulable.delete(key); return; }
    const infos = this.nodeInfos();
    const requests = podRequests(pod);
    const reasons: string[][] = [];
    let best: { info: NodeInfo; score: number } | undefined;
    for (const info of infos) {
      const why = filterNode(pod, info, requests);
      if (why.length > 0) { reasons.push(why); continue; }
      const score = leastAllocatedScore(info, pod);
      if (!best || better(info, score, best)) best = { info, score };
    }
    if (!best) {
      this.unschedulable.add(key);
      this.reportUnschedulable(pod, fitErrorMessage(infos.length, reasons));
      return;
    }
    this.unschedulable.delete(key);
    this.bindPod(pod, best.info.node.metadata.name ?? '');
  }

  private nodeInfos(): NodeInfo[] {
    return this.nodes.list().map((node) => buildNodeInfo(node, this.cache.usage(node.metadata.name ?? '')));
  }

  private bindPod(pod: KubeObject, nodeName: string): void {
    const namespace = pod.metadata.namespace ?? '';
    const name = pod.metadata.name ?? '';
    try {
      this.api.bind(namespace, name, {
        apiVersion: 'v1', kind: 'Binding',
        metadata: { name, namespace, ...(pod.metadata.uid ? { uid: pod.metadata.uid } : {}) },
        target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
      });
    } catch (err) {
      // 409: someone bound it first; 404: it is gone. Either way there is nothing left to do.
      if (isApiError(err) && (err.code === 409 || err.code === 404)) return;
      throw err;
    }
    this.cache.assume(objectKey(pod), pod, nodeName);
    this.recorder.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${nodeName}`);
    this.log.debug('pod bound', { pod: `${namespace}/${name}`, node: nodeName });
  }

  private reportUnschedulable(pod: KubeObject, message: string): void {
    const current = findCondition(podStatus(pod).conditions, 'PodScheduled');
    if (current?.status === 'False' && current.reason === 'Unschedulable' && current.message === message) return;
    const next = clone(pod);
    const status = podStatus(next);
    status.conditions = setCondition(status.conditions, {
      type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message,
      lastProbeTime: null, lastTransitionTime: formatTime(this.now()),
    });
    next.status = status;
    const saved = this.api.update(refs.pods, pod.metadata.namespace ?? '', pod.metadata.name ?? '', next, {}, 'status');
    this.pods.observe(saved);
    this.recorder.event(pod, 'Warning', 'FailedScheduling', message);
  }
}

// Highest score wins; ties go to the node with fewer pods, then to the smaller name, so equal nodes
// fill evenly and the choice is deterministic.
function better(info: NodeInfo, score: number, best: { info: NodeInfo; score: number }): boolean {
  if (score !== best.score) return score > best.score;
  if (info.podCount !== best.info.podCount) return info.podCount < best.info.podCount;
  return (info.node.metadata.name ?? '') < (best.info.node.metadata.name ?? '');
}
