// Counters of devicecontroller, read by cloudcore's /metrics. Plain numbers: one process, one owner.

export class DeviceControllerCounters {
  /** Downstream messages queued: membership, objects, detail answers (not confirmations). */
  downstreamSent = 0;
  /** Object messages not sent because the node had acked that version (replayed informer adds). */
  downstreamSkippedAcked = 0;
  upstreamTwin = 0;
  upstreamState = 0;
  upstreamMembershipDetail = 0;
  /** DeviceStatus merge patches written. */
  statusPatched = 0;
  statusCreated = 0;
  /** Upstream messages refused as malformed or about unknown devices. */
  rejected = 0;
  /** Upstream messages about another node's device. */
  denied = 0;
  /** Upstream messages not applied for a transient reason (API away); the edge resends them. */
  upstreamFailed = 0;
}

/** Prometheus types of DeviceController.metrics() (formatMetrics' third argument). */
export const deviceControllerMetricTypes: Readonly<Record<string, 'counter' | 'gauge'>> = {
  devices: 'gauge',
  downstreamSent: 'counter', downstreamSkippedAcked: 'counter', upstreamTwin: 'counter', upstreamState: 'counter',
  upstreamMembershipDetail: 'counter', upstreamFailed: 'counter', statusPatched: 'counter', statusCreated: 'counter',
  rejected: 'counter', denied: 'counter',
};
