// NodeStatusReporter: registers this edge node and keeps its status and lease fresh in the cloud,
// with as little idle uplink as possible (KubeEdge v1.22 idles at 325 B/s per node; we aim ≤ 12.5).
//  - Registration: on the first connect of this run, a v1 Node insert through the outbox, then the
//    first full status right behind it (an existing Node is not overwritten by an insert).
//  - Status: computed every checkIntervalMs (KubeEdge: nodeStatusUpdateFrequency, 10 s) but sent only
//    when it differs from the last one sent in more than heartbeat times, and in full every
//    reportIntervalMs (kubelet's nodeStatusReportFrequency, 5 min) even without change. Sent through
//    the outbox; while disconnected nothing is queued: every connect sends the current status, which
//    also heals a Ready=Unknown the cloud set while we were away.
//  - Lease: renewed on every connect and then every leaseRenewMs while connected, best effort.
import { type Logger, type MessageClock } from '../../core/index.js';
import type { EdgeHubPort } from '../edgehub/index.js';
import { LeaseRenewer } from './lease-renewer.js';
import { ConditionTracker } from './node-conditions.js';
import type { NodeFacts } from './node-facts.js';
import { nodeRegistrationMessage, nodeStatusMessage } from './node-messages.js';
import {
  DEFAULT_CONTAINER_RUNTIME_VERSION,
  DEFAULT_KUBELET_VERSION,
  buildNode,
  buildNodeStatus,
  statusKey,
  type NodeStatus,
} from './node-object.js';
import { createOsProbe } from './os-probe.js';
import { realTimers, type Timers } from './timers.js';

export interface NodeStatusReporterDeps {
  nodeName: string;
  hub: EdgeHubPort;
  log: Logger;
  /** Extra node labels (edged.nodeLabels); they override the built-in ones. */
  labels?: Record<string, string>;
  /** Default 110. */
  maxPods?: number;
  /** Default 10 s. */
  checkIntervalMs?: number;
  /** Default 5 min. */
  reportIntervalMs?: number;
  /** Default 40. */
  leaseDurationSeconds?: number;
  /** Default leaseDurationSeconds × 1000 / 2 (20 s): see docs/node-status.md. */
  leaseRenewMs?: number;
  /** True when the cloud renews the Lease from keepalives (a KubeEdge-TS cloudcore); then none is sent. */
  cloudRenewsLease?: () => boolean;
  /** false: never register (edged.registerNode); status and lease still flow. Default true. */
  registerNode?: boolean;
  kubeletVersion?: string;
  containerRuntimeVersion?: string;
  /** For the default OS probe: the file system reported as ephemeral-storage. Default "/". */
  dataDir?: string;
  /** For the default OS probe: overrides the detected InternalIP. */
  nodeIP?: string;
  /** Injectable for tests; default reads this machine. */
  probe?: () => NodeFacts;
  now?: () => number;
  timers?: Timers;
  newId?: () => string;
}

type Resolved = Required<Omit<NodeStatusReporterDeps, 'nodeIP' | 'newId' | 'dataDir'>> & Pick<NodeStatusReporterDeps, 'newId'>;

export class NodeStatusReporter {
  private readonly d: Resolved;
  private readonly conditions = new ConditionTracker();
  private readonly lease: LeaseRenewer;
  private state: 'idle' | 'running' | 'stopped' = 'idle';
  private registered = false;
  private lastSentKey: string | undefined;
  private lastSentAt = 0;
  private checkTimer: unknown;
  private leaseTimer: unknown;

  constructor(deps: NodeStatusReporterDeps) {
    const leaseDurationSeconds = deps.leaseDurationSeconds ?? 40;
    this.d = {
      labels: {},
      maxPods: 110,
      checkIntervalMs: 10_000,
      reportIntervalMs: 5 * 60_000,
      leaseRenewMs: (leaseDurationSeconds * 1000) / 2,
      registerNode: true,
      cloudRenewsLease: () => false,
      kubeletVersion: DEFAULT_KUBELET_VERSION,
      containerRuntimeVersion: DEFAULT_CONTAINER_RUNTIME_VERSION,
      probe: deps.probe ?? createOsProbe({ dataDir: deps.dataDir ?? '/', nodeIP: deps.nodeIP }),
      now: Date.now,
      timers: realTimers,
      ...definedOnly(deps),
      nodeName: deps.nodeName,
      hub: deps.hub,
      log: deps.log,
      leaseDurationSeconds,
    };
    this.lease = new LeaseRenewer({
      nodeName: this.d.nodeName,
      leaseDurationSeconds,
      hub: this.d.hub,
      log: this.d.log,
      now: this.d.now,
      timeoutMs: Math.min(10_000, this.d.leaseRenewMs),
      newId: this.d.newId,
    });
  }

  /** Starts the status checks; acts as a connect at once when the hub is already connected. */
  start(): void {
    if (this.state !== 'idle') return;
    this.state = 'running';
    this.scheduleCheck();
    this.d.log.info('started', { node: this.d.nodeName, leaseRenewMs: this.d.leaseRenewMs });
    if (this.d.hub.isConnected()) this.onConnected();
  }

  stop(): void {
    this.state = 'stopped';
    this.d.timers.clearTimeout(this.checkTimer);
    this.d.timers.clearTimeout(this.leaseTimer);
  }

  /** Wire to EdgeHubListener.onConnected. */
  onConnected(): void {
    if (this.state !== 'running') return;
    const status = this.tryComputeStatus();
    if (status !== undefined) this.registerAndSend(status);
    this.renewLease();
  }

  /** Registration on the first chance of this run, then the status right behind it. */
  private registerAndSend(status: NodeStatus): void {
    if (!this.registered && this.d.registerNode) {
      this.d.hub.enqueue(nodeRegistrationMessage(buildNode(this.d.nodeName, status, this.d.labels), this.clock()));
      this.registered = true;
      this.d.log.info('node registering', { node: this.d.nodeName });
    }
    this.sendStatus(status, 'connect');
  }

  /** Wire to EdgeHubListener.onDisconnected: the lease pauses until the next connect. */
  onDisconnected(): void {
    this.d.timers.clearTimeout(this.leaseTimer);
    this.leaseTimer = undefined;
  }

  private computeStatus(): NodeStatus {
    const facts = this.d.probe();
    const now = this.d.now();
    return buildNodeStatus(facts, this.conditions.update(facts, now), {
      nodeName: this.d.nodeName,
      maxPods: this.d.maxPods,
      kubeletVersion: this.d.kubeletVersion,
      containerRuntimeVersion: this.d.containerRuntimeVersion,
    });
  }

  /** The status, or undefined (logged) when the probe fails, e.g. a data dir that vanished. */
  private tryComputeStatus(): NodeStatus | undefined {
    try {
      return this.computeStatus();
    } catch (err) {
      this.d.log.warn('node status probe failed', { error: err instanceof Error ? err.message : String(err) });
      return undefined;
    }
  }

  private check(): void {
    const status = this.tryComputeStatus();
    if (status === undefined) return;
    if (!this.d.hub.isConnected()) return;
    // The connect normally sends the first status; this catches a probe that failed at that moment.
    if (this.lastSentKey === undefined) return this.registerAndSend(status);
    if (statusKey(status) !== this.lastSentKey) this.sendStatus(status, 'changed');
    else if (this.d.now() - this.lastSentAt >= this.d.reportIntervalMs) this.sendStatus(status, 'periodic');
  }

  private sendStatus(status: NodeStatus, why: 'connect' | 'changed' | 'periodic'): void {
    this.d.hub.enqueue(nodeStatusMessage(this.d.nodeName, status, '', this.clock()));
    this.lastSentKey = statusKey(status);
    this.lastSentAt = this.d.now();
    this.d.log.debug('node status queued', { reason: why });
  }

  private scheduleCheck(): void {
    this.checkTimer = this.d.timers.setTimeout(() => {
      if (this.state !== 'running') return;
      this.check();
      this.scheduleCheck();
    }, this.d.checkIntervalMs);
  }

  /** Renews now and re-arms the lease timer (a connect restarts the cadence). */
  private renewLease(): void {
    this.d.timers.clearTimeout(this.leaseTimer);
    if (this.state !== 'running' || !this.d.hub.isConnected()) {
      this.leaseTimer = undefined;
      return;
    }
    // A KubeEdge-TS cloud renews the Lease from our keepalives: no lease on the uplink (docs/node-status.md).
    if (!this.d.cloudRenewsLease()) void this.lease.renew();
    this.leaseTimer = this.d.timers.setTimeout(() => this.renewLease(), this.d.leaseRenewMs);
  }

  private clock(): MessageClock {
    return { now: this.d.now, newId: this.d.newId };
  }
}

/** The deps without undefined values, so defaults are not overwritten by absent options. */
function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
