// The node lifecycle controller. A node is lost when neither its Ready heartbeat (lastHeartbeatTime) nor
// its Lease in kube-node-lease (renewTime) has changed for nodeMonitorGracePeriod (default 40 s).
// Changes are timed on our own clock when we see them, as Kubernetes does, so clock skew cannot
// condemn a node; the first sight of a node counts from its newest timestamp, but never from before
// this controller started, so a control-plane restart gives every node a full grace period. A lost node gets Ready (and the pressure conditions)
// Unknown/NodeStatusUnknown, the unreachable taints, and its pods Ready=False. Pods that do not tolerate
// a NoExecute taint are evicted after podEvictionTimeout (default 300 s; tolerationSeconds honoured).
//
// KubeEdge autonomy: a node labelled node-role.kubernetes.io/edge, or annotated
// node.kubeedge.io/autonomy=true, is never evicted. Edge nodes lose the cloud routinely (flaky links,
// planned offline work) while their pods keep running from edgecore's local store; deleting those pods
// in the cloud would tear down healthy workloads the moment the link comes back. Status and taints are
// still updated, so users and the scheduler see that the node is unreachable.
import type { KubeObject } from '../../api/index.js';
import { objectKey, type Informer } from './informer.js';
import { clone, findCondition, nodeStatus, podStatus, specOf, type Condition } from './kube-types.js';
import { nodeTaints } from './node-affinity.js';
import { isAutonomousEdgeNode, reconcileTaints } from './node-taints.js';
import { isTerminal, setCondition } from './pod-state.js';
import { QueueController } from './queue-controller.js';
import { refs } from './resources.js';
import { evictionDeadline } from './taint-eviction.js';
import { formatTime, parseTime, type ControllerDeps } from './types.js';
import type { ProcessResult } from './work-queue.js';

export const nodeLeaseNamespace = 'kube-node-lease';

export interface NodeLifecycleDeps extends ControllerDeps {
  nodeMonitorGracePeriodMs?: number;
  podEvictionTimeoutMs?: number;
  /** How often every node is checked (default 5 s). */
  nodeMonitorPeriodMs?: number;
}

interface Probe { heartbeat: string; renew: string; seenAt: number }

const watchedConditions = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

export class NodeLifecycleController extends QueueController {
  private readonly nodes: Informer;
  private readonly leases: Informer;
  private readonly pods: Informer;
  private readonly graceMs: number;
  private readonly evictionMs: number;
  private readonly probes = new Map<string, Probe>();
  private startedAt = 0;

  constructor(deps: NodeLifecycleDeps) {
    super({ ...deps, resyncMs: deps.nodeMonitorPeriodMs ?? 5_000 }, { name: 'nodelifecycle', component: 'node-controller' });
    this.graceMs = deps.nodeMonitorGracePeriodMs ?? 40_000;
    this.evictionMs = deps.podEvictionTimeoutMs ?? 300_000;
    this.nodes = this.use(refs.nodes);
    this.leases = this.use(refs.leases, nodeLeaseNamespace);
    this.pods = this.use(refs.pods);
    this.nodes.addHandlers({
      add: (n) => this.queue.add(objectKey(n)),
      update: (_o, n) => this.queue.add(objectKey(n)),
      delete: (n) => this.probes.delete(n.metadata.name ?? ''),
    });
    this.leases.addHandlers({ add: (l) => this.queue.add(l.metadata.name ?? ''), update: (_o, l) => this.queue.add(l.metadata.name ?? '') });
    this.pods.addHandlers({ add: (p) => this.onPod(p) });
  }

  override start(signal: AbortSignal): void {
    if (this.startedAt === 0) this.startedAt = this.now().getTime();
    super.start(signal);
  }

  protected override resyncKeys(): string[] {
    return this.nodes.keys();
  }

  private onPod(pod: KubeObject): void {
    const node = (pod.spec as { nodeName?: unknown } | undefined)?.nodeName;
    if (typeof node === 'string' && node) this.queue.add(node);
  }

  protected reconcile(name: string): ProcessResult {
    let node = this.nodes.get('', name);
    if (!node) { this.probes.delete(name); return; }
    const now = this.now().getTime();
    const probe = this.observeProbe(node, now);
    const lostInMs = probe.seenAt + this.graceMs - now;
    const ready = findCondition(nodeStatus(node).conditions, 'Ready');
    if (lostInMs < 0 && ready?.status !== 'Unknown') node = this.markUnknown(node);
    node = this.syncTaints(node);
    const readyNow = findCondition(nodeStatus(node).conditions, 'Ready')?.status;
    if (readyNow === 'Unknown' || readyNow === 'False') this.markPodsNotReady(node);
    const evictInMs = this.evict(node, now);
    const waits = [lostInMs >= 0 ? lostInMs + 1 : undefined, evictInMs].filter((w): w is number => w !== undefined);
    return waits.length ? { requeueAfterMs: Math.min(...waits) } : undefined;
  }

  /** Remembers when the heartbeat or lease last changed, on our clock. */
  private observeProbe(node: KubeObject, now: number): Probe {
    const name = node.metadata.name ?? '';
    const heartbeat = findCondition(nodeStatus(node).conditions, 'Ready')?.lastHeartbeatTime ?? '';
    const lease = this.leases.get(nodeLeaseNamespace, name);
    const renew = String(specOf(lease ?? { metadata: {} }).renewTime ?? '');
    const old = this.probes.get(name);
    if (old && old.heartbeat === heartbeat && old.renew === renew) return old;
    const newest = Math.max(parseTime(heartbeat) ?? 0, parseTime(renew) ?? 0);
    const seenAt = old ? now : Math.min(now, Math.max(newest, this.startedAt || now));
    const probe = { heartbeat, renew, seenAt };
    this.probes.set(name, probe);
    return probe;
  }

  private markUnknown(node: KubeObject): KubeObject {
    const t = formatTime(this.now());
    const next = clone(node);
    const status = nodeStatus(next);
    let conditions = [...(status.conditions ?? [])];
    if (!findCondition(conditions, 'Ready')) {
      conditions.push({ type: 'Ready', status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.',
        lastHeartbeatTime: node.metadata.creationTimestamp ?? t, lastTransitionTime: t });
    }
    conditions = conditions.map((c): Condition => (watchedConditions.includes(c.type) && c.status !== 'Unknown'
      ? { ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: t }
      : c));
    status.conditions = conditions;
    next.status = status;
    const saved = this.api.update(refs.nodes, '', node.metadata.name ?? '', next, {}, 'status');
    this.nodes.observe(saved);
    this.recorder.event(saved, 'Normal', 'NodeNotReady', `Node ${node.metadata.name ?? ''} status is now: NodeNotReady`);
    this.log.info('node lost', { node: node.metadata.name, graceMs: this.graceMs });
    return saved;
  }

  private syncTaints(node: KubeObject): KubeObject {
    const taints = reconcileTaints(node, formatTime(this.now()));
    if (!taints) return node;
    const next = clone(node);
    next.spec = { ...specOf(next), taints };
    if (taints.length === 0) delete (next.spec as Record<string, unknown>).taints;
    const saved = this.api.update(refs.nodes, '', node.metadata.name ?? '', next);
    this.nodes.observe(saved);
    return saved;
  }

  /** Kubernetes marks the pods of a lost node not ready, so Services stop sending them traffic. */
  private markPodsNotReady(node: KubeObject): void {
    for (const pod of this.pods.byNode(node.metadata.name ?? '')) {
      if (isTerminal(pod)) continue;
      const ready = findCondition(podStatus(pod).conditions, 'Ready');
      if (ready?.status === 'False') continue;
      const next = clone(pod);
      const status = podStatus(next);
      status.conditions = setCondition(status.conditions, {
        type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: formatTime(this.now()),
      });
      next.status = status;
      this.pods.observe(this.api.update(refs.pods, pod.metadata.namespace ?? '', pod.metadata.name ?? '', next, {}, 'status'));
    }
  }

  /** Deletes the pods whose eviction deadline has passed; returns ms until the next deadline. */
  private evict(node: KubeObject, now: number): number | undefined {
    if (isAutonomousEdgeNode(node)) return undefined;
    const taints = nodeTaints(node).filter((t) => t.effect === 'NoExecute');
    if (taints.length === 0) return undefined;
    let next: number | undefined;
    for (const pod of this.pods.byNode(node.metadata.name ?? '')) {
      if (pod.metadata.deletionTimestamp || isTerminal(pod)) continue;
      const deadline = evictionDeadline(pod, taints, this.evictionMs, parseTime(taints[0]?.timeAdded) ?? now);
      if (deadline === undefined) continue;
      if (deadline > now) { next = Math.min(next ?? Number.POSITIVE_INFINITY, deadline - now + 1); continue; }
      this.pods.observeDeleted(this.api.delete(refs.pods, pod.metadata.namespace ?? '', pod.metadata.name ?? ''));
      this.recorder.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`);
    }
    return next;
  }
}
