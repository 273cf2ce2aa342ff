// What every node already carries, kept up to date from pod events (kube-scheduler's cache), so one
// scheduling attempt costs O(nodes) and not O(pods): requests of non-terminal pods bound to each node,
// plus pods we bound whose binding the watch has not shown yet ("assumed").
import type { KubeObject } from '../../api/index.js';
import { podSpec } from './kube-types.js';
import { isTerminal } from './pod-state.js';
import { nonZeroRequests, podRequests, type Amounts } from './scheduler-resources.js';

export interface NodeUsage {
  requested: Amounts;
  nonZero: { cpu: number; memory: number };
  podCount: number;
}

interface Contribution {
  node: string;
  requests: Amounts;
  nonZero: { cpu: number; memory: number };
}

const emptyUsage = (): NodeUsage => ({ requested: new Map(), nonZero: { cpu: 0, memory: 0 }, podCount: 0 });

export class SchedulerCache {
  private readonly byPod = new Map<string, Contribution>();
  private readonly byNode = new Map<string, NodeUsage>();

  /** Records the pod as the informer now shows it (undefined = deleted). */
  setPod(key: string, pod: KubeObject | undefined): void {
    const node = pod ? podSpec(pod).nodeName : undefined;
    if (pod && node && !isTerminal(pod)) this.put(key, pod, node);
    else if (!pod || node || isTerminal(pod)) this.drop(key);
    // An unbound, live pod keeps any assumed placement until its binding shows up.
  }

  /** Counts a pod we just bound on its node before the watch reports the binding. */
  assume(key: string, pod: KubeObject, node: string): void {
    this.put(key, pod, node);
  }

  isAssumed(key: string, pod: KubeObject): boolean {
    return !podSpec(pod).nodeName && this.byPod.has(key);
  }

  usage(node: string): NodeUsage {
    return this.byNode.get(node) ?? emptyUsage();
  }

  private put(key: string, pod: KubeObject, node: string): void {
    this.drop(key);
    const c: Contribution = { node, requests: podRequests(pod), nonZero: nonZeroRequests(pod) };
    this.byPod.set(key, c);
    this.apply(c, 1);
  }

  private drop(key: string): void {
    const c = this.byPod.get(key);
    if (!c) return;
    this.byPod.delete(key);
    this.apply(c, -1);
  }

  private apply(c: Contribution, sign: 1 | -1): void {
    let u = this.byNode.get(c.node);
    if (!u) { u = emptyUsage(); this.byNode.set(c.node, u); }
    u.podCount += sign;
    u.nonZero.cpu += sign * c.nonZero.cpu;
    u.nonZero.memory += sign * c.nonZero.memory;
    for (const [k, v] of c.requests) u.requested.set(k, (u.requested.get(k) ?? 0) + sign * v);
    if (u.podCount === 0) this.byNode.delete(c.node);
  }
}
