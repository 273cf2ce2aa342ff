// edgecontroller: keeps edge nodes supplied with the objects they need (downstream) and writes what
// they report into the API (upstream), with node authorization in between. Wiring only: informers
// feed Downstream; cloudhub calls the listener methods.
import { KeepaliveLease } from './keepalive-lease.js';
import type { KubeObject } from '../../api/index.js';
import type { Logger, Message } from '../../core/index.js';
import { Informer, Resources } from '../kube/index.js';
import { Downstream } from './downstream.js';
import { DownstreamSender } from './downstream-send.js';
import { LocationIndex } from './location-index.js';
import { EdgeControllerCounters } from './metrics.js';
import { handleUpstream, type UpstreamDeps } from './upstream.js';
import { Responder } from './upstream-responses.js';
import {
  EDGE_NODE_LABEL, type CacheInformer, type EdgeControllerDeps, type EdgeControllerMetrics, type InformedResource,
} from './types.js';

const DEFAULT_RELEASE_DELAY_MS = 60_000;
const MAX_SWEEP_INTERVAL_MS = 10_000;

export class EdgeController {
  readonly name = 'edgecontroller';
  private readonly log: Logger;
  private readonly index = new LocationIndex();
  private readonly counters = new EdgeControllerCounters();
  private readonly informers = new Map<InformedResource, CacheInformer>();
  private readonly downstream: Downstream;
  private readonly upstream: UpstreamDeps;
  private readonly sendServices: boolean;
  private readonly releaseDelayMs: number;
  private sweepTimer: NodeJS.Timeout | undefined;
  private readonly synced: Promise<void>;
  private markSynced!: () => void;
  private stopped = false;
  private readonly lease: KeepaliveLease;
  private isSynced = false;

  constructor(private readonly deps: EdgeControllerDeps) {
    this.log = deps.log;
    const now = deps.now ?? Date.now;
    this.sendServices = deps.options?.sendServices ?? true;
    this.releaseDelayMs = deps.options?.releaseDelayMs ?? DEFAULT_RELEASE_DELAY_MS;
    const cache = (r: InformedResource): CacheInformer | undefined => this.informers.get(r);
    const sender = new DownstreamSender(deps.hub, deps.sync, this.counters, this.log.child('downstream'), now);
    this.downstream = new Downstream(this.index, sender, cache, { sendServices: this.sendServices, releaseDelayMs: this.releaseDelayMs }, now);
    this.upstream = {
      kube: deps.kube, reply: new Responder(deps.hub, now), cache, index: this.index, downstream: this.downstream,
      counters: this.counters, log: this.log.child('upstream'), now,
    };
    this.synced = new Promise((resolve) => { this.markSynced = resolve; });
    this.lease = new KeepaliveLease({ kube: deps.kube, log: this.log.child('lease'), now });
  }

  /**
   * Starts the informers: edge nodes first (so pod events find their nodes), then pods, configmaps,
   * secrets and, when enabled, services and endpoints. Resolves once all caches are synced.
   */
  async start(signal: AbortSignal): Promise<void> {
    this.log.info('starting');
    signal.addEventListener('abort', () => this.stop(), { once: true });
    const nodes = this.informer('nodes');
    nodes.start();
    await nodes.waitForSync(signal);
    const rest: InformedResource[] = ['pods', 'configmaps', 'secrets', ...(this.sendServices ? ['services', 'endpoints'] as const : [])];
    for (const r of rest) this.informer(r).start();
    await Promise.all(rest.map((r) => this.informers.get(r)!.waitForSync(signal)));
    if (signal.aborted || this.stopped) return;
    if (this.releaseDelayMs > 0) {
      this.sweepTimer = setInterval(() => this.sweepReleased(), Math.min(this.releaseDelayMs, MAX_SWEEP_INTERVAL_MS));
      this.sweepTimer.unref();
    }
    this.markSynced();
    this.isSynced = true;
    this.log.info('ready', { edgeNodes: this.index.edgeNodeCount() });
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.markSynced(); // releases onUpstream calls waiting for the caches; they then fail
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    for (const inf of this.informers.values()) inf.stop();
    this.log.info('stopped');
  }

  // ---- CloudHubListener ----

  /**
   * Nothing to push on connect: every object message went through the node's ack queue, which
   * cloudhub keeps across reconnects, and synccontroller resends what is newer than ObjectSync.
   */
  onConnect(node: string): void {
    this.log.debug('node connected', { node, edge: this.index.isEdgeNode(node) });
  }

  onDisconnect(node: string): void {
    this.log.debug('node disconnected', { node });
  }

  /** A keepalive renews the node's Lease (docs/node-status.md): registered edge nodes only. */
  onKeepalive(node: string): void {
    if (!this.stopped && this.index.isEdgeNode(node)) this.lease.onKeepalive(node);
  }

  /** Applies one upstream message; waits for the caches so authorization sees current facts. */
  async onUpstream(node: string, msg: Message): Promise<void> {
    await this.synced;
    // Not an UpstreamRejected: the message is not acked, so the edge's outbox replays it later.
    if (this.stopped) throw new Error('edgecontroller is stopped');
    return handleUpstream(this.upstream, node, msg);
  }

  /** Sends deletes for configmaps/secrets no pod on a node has used for releaseDelayMs. */
  sweepReleased(): number {
    return this.downstream.sweepReleased();
  }

  metrics(): EdgeControllerMetrics {
    const c = this.counters;
    return {
      edge_nodes: this.index.edgeNodeCount(),
      pods_on_edge: this.index.podCountOnNodes(this.index.edgeNodeNames()),
      downstream_sent_total: c.downstreamSent,
      downstream_skipped_acked_total: c.downstreamSkippedAcked,
      upstream_total: c.upstream,
      upstream_failed_total: c.upstreamFailed,
      denied_total: c.denied,
      unknown_total: c.unknown,
      lease_renewals_total: this.lease.renewed,
      lease_renewal_failures_total: this.lease.failed,
    };
  }

  /**
   * An object from the informer caches, for synccontroller's reconcile after a reconnect (thousands of
   * nodes reconnecting must not mean thousands of GETs). null: this controller does not cache that
   * resource (or not yet); undefined: it is cached and absent.
   */
  cachedObject(plural: string, namespace: string | null, name: string): KubeObject | undefined | null {
    const inf = this.informers.get(plural as InformedResource);
    if (!inf || !this.isSynced) return null;
    return inf.get(namespace, name);
  }

  private informer(resource: InformedResource): CacheInformer {
    const labelSelector = resource === 'nodes' ? EDGE_NODE_LABEL : undefined;
    const inf = this.deps.informerFactory
      ? this.deps.informerFactory({ resource, ...(labelSelector ? { labelSelector } : {}) })
      : new Informer({
        client: this.deps.kube, ref: Resources[resource], log: this.log.child(resource), ...(labelSelector ? { labelSelector } : {}),
      });
    inf.addHandlers(this.handlersFor(resource));
    this.informers.set(resource, inf);
    return inf;
  }

  private handlersFor(resource: InformedResource): Parameters<CacheInformer['addHandlers']>[0] {
    const d = this.downstream;
    switch (resource) {
      case 'nodes':
        return { add: (o) => d.nodeAdded(o), update: (a, b) => d.nodeUpdated(a, b), delete: (o) => d.nodeDeleted(o) };
      case 'pods':
        return { add: (o) => d.podAdded(o), update: (a, b) => d.podUpdated(a, b), delete: (o) => d.podDeleted(o) };
      case 'configmaps':
      case 'secrets':
        return {
          add: (o) => d.referencedAdded(resource, o),
          update: (a, b) => d.referencedUpdated(resource, a, b),
          delete: (o) => d.referencedDeleted(resource, o),
        };
      case 'services':
      case 'endpoints': {
        const type = resource === 'services' ? 'service' : 'endpoints';
        return {
          add: (o) => d.broadcast(type, 'insert', o),
          update: (a, b) => d.broadcast(type, 'update', b, a),
          delete: (o) => d.broadcast(type, 'delete', o),
        };
      }
    }
  }
}
