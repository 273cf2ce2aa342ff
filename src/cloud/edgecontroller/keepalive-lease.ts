// Beyond KubeEdge: the node's Lease (kube-node-lease/<node>) renewed from its keepalives. A keepalive
// already proves the node is alive every 15 s, so a KubeEdge-TS edge need not also send a Lease over its
// uplink (docs/node-status.md: the lease was half of the idle uplink). A KubeEdge edge that still sends
// its own leases is harmless: both renew the same object.
//
// One merge patch per node per renewal, at most every `minIntervalMs` (default 10 s), never two at once
// for a node; a missing Lease is created. Failures are counted and retried on the next keepalive.
import type { Logger } from '../../core/index.js';
import { KubeError, Resources, type KubeClient } from '../kube/index.js';
import { NODE_LEASE_NAMESPACE } from './types.js';

export const LEASE_DURATION_SECONDS = 40;

export interface KeepaliveLeaseDeps {
  kube: KubeClient;
  log: Logger;
  now?: () => number;
  minIntervalMs?: number;
}

/** RFC 3339 with microseconds, as metav1.MicroTime marshals. */
function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export class KeepaliveLease {
  private readonly last = new Map<string, number>();
  private readonly inFlight = new Set<string>();
  private readonly now: () => number;
  private readonly minIntervalMs: number;
  renewed = 0;
  failed = 0;

  constructor(private readonly d: KeepaliveLeaseDeps) {
    this.now = d.now ?? Date.now;
    this.minIntervalMs = d.minIntervalMs ?? 10_000;
  }

  /** Called for every keepalive; renews when due. Never throws. */
  onKeepalive(node: string): void {
    const t = this.now();
    if (this.inFlight.has(node) || t - (this.last.get(node) ?? 0) < this.minIntervalMs) return;
    this.inFlight.add(node);
    this.renew(node, t).then(
      () => { this.last.set(node, t); this.renewed += 1; },
      (err: unknown) => { this.failed += 1; this.d.log.warn('lease renewal failed', { node, error: (err as Error).message }); },
    ).finally(() => this.inFlight.delete(node));
  }

  forget(node: string): void {
    this.last.delete(node);
  }

  private async renew(node: string, t: number): Promise<void> {
    const spec = { holderIdentity: node, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: microTime(t) };
    try {
      await this.d.kube.patch(Resources.leases, NODE_LEASE_NAMESPACE, node, { spec }, 'merge');
    } catch (err) {
      if (!(err instanceof KubeError && err.status === 404)) throw err;
      await this.d.kube.create(Resources.leases, {
        apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: node, namespace: NODE_LEASE_NAMESPACE }, spec,
      });
    }
  }
}
