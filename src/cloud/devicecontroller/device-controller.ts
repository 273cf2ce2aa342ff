// devicecontroller: sends Devices and DeviceModels to the nodes their devices are bound to
// (downstream) and writes what the nodes' devicetwins report into DeviceStatus (upstream). Wiring
// only: informers feed DeviceDownstream; cloudhub calls onConnect/onUpstream.
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../../api/index.js';
import type { Logger, Message } from '../../core/index.js';
import { Informer, Resources, type InformerHandlers, type ResourceRef } from '../kube/index.js';
import { DeviceIndex, deviceEntry, propertyNames } from './device-index.js';
import { DeviceSender } from './downstream-send.js';
import { DeviceDownstream } from './downstream.js';
import { KeyedQueue } from './keyed-queue.js';
import { DeviceControllerCounters } from './metrics.js';
import { StatusWriter } from './status-writer.js';
import { alignTwins } from './twin-status.js';
import { handleDeviceUpstream, isDeviceUpstream, type UpstreamDeps } from './upstream.js';
import { DEVICE_STATUSES, type DeviceControllerDeps, type DeviceInformed } from './types.js';

const REFS: Readonly<Record<DeviceInformed, ResourceRef>> = {
  devices: Resources.devices, devicemodels: Resources.devicemodels, devicestatuses: DEVICE_STATUSES,
};

const nsName = (o: KubeObject): [string, string] => [o.metadata.namespace ?? 'default', o.metadata.name ?? ''];

export class DeviceController {
  readonly name = 'devicecontroller';
  private readonly log: Logger;
  private readonly counters = new DeviceControllerCounters();
  private readonly index = new DeviceIndex();
  private readonly queue = new KeyedQueue();
  private readonly informers = new Map<DeviceInformed, Informer>();
  private readonly status: StatusWriter;
  private readonly downstream: DeviceDownstream;
  private readonly upstream: UpstreamDeps;
  private readonly synced: Promise<void>;
  private markSynced!: () => void;
  private isSynced = false;
  private stopped = false;

  constructor(private readonly deps: DeviceControllerDeps) {
    this.log = deps.log;
    const clock = { now: deps.now ?? Date.now, newId: deps.newId ?? randomUUID };
    const sender = new DeviceSender(deps.hub, deps.sync, this.counters, this.log.child('downstream'), clock);
    const cache = (r: DeviceInformed) => (ns: string, name: string): KubeObject | undefined => this.informers.get(r)?.get(ns, name);
    this.status = new StatusWriter({ kube: deps.kube, cached: cache('devicestatuses'), counters: this.counters, log: this.log.child('status') });
    this.downstream = new DeviceDownstream(this.index, sender, {
      model: cache('devicemodels'),
      deviceAdded: (d) => this.background(d, 'create', () => this.status.ensure(d)),
      propertiesChanged: (d) => this.background(d, 'align', () => this.status.patchTwins(d, (t) => alignTwins(t, propertyNames(d)))),
      deviceDeleted: (d) => this.status.forget(...nsName(d)),
    }, this.log.child('downstream'));
    this.upstream = {
      device: cache('devices'), index: this.index, status: this.status, sender, queue: this.queue,
      counters: this.counters, log: this.log.child('upstream'),
    };
    this.synced = new Promise((resolve) => { this.markSynced = resolve; });
  }

  /**
   * Starts the informers: DeviceStatuses and DeviceModels first (a device's model must be known
   * when the device is sent, and its status when it is ensured), then Devices. Resolves once all
   * caches are synced.
   */
  async start(signal: AbortSignal): Promise<void> {
    this.log.info('starting');
    signal.addEventListener('abort', () => this.stop(), { once: true });
    const first: DeviceInformed[] = ['devicestatuses', 'devicemodels'];
    for (const r of first) this.informer(r).start();
    await Promise.all(first.map((r) => this.informers.get(r)!.waitForSync(signal)));
    if (signal.aborted || this.stopped) return;
    const devices = this.informer('devices');
    devices.start();
    await devices.waitForSync(signal);
    if (signal.aborted || this.stopped) return;
    this.isSynced = true;
    this.markSynced();
    this.log.info('ready', { devices: this.index.size });
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.markSynced(); // releases onUpstream calls waiting for the caches; they then fail
    for (const inf of this.informers.values()) inf.stop();
    this.log.info('stopped');
  }

  /**
   * Nothing to push on connect: device and model messages went through the node's ack queue, which
   * cloudhub keeps across reconnects, and synccontroller resends what is newer than ObjectSync. The
   * edge's devicetwin asks for membership/detail itself when it reconnects.
   */
  onConnect(node: string): void {
    this.log.debug('node connected', { node, devices: this.index.devicesOnNode(node).length });
  }

  /** True for upstream messages devicecontroller handles (twin reports, state, membership/detail). */
  handles(msg: Message): boolean {
    return isDeviceUpstream(msg);
  }

  /** Applies one upstream message; waits for the caches so the device and its node are known. */
  async onUpstream(node: string, msg: Message): Promise<void> {
    await this.synced;
    // Not an UpstreamRejected: the message is not acked, so the edge sends it again later.
    if (this.stopped) throw new Error('devicecontroller is stopped');
    return handleDeviceUpstream(this.upstream, node, msg);
  }

  /**
   * An object from the informer caches, for synccontroller's reconcile after a reconnect. null: not
   * a resource cached here (or not yet synced); undefined: cached and absent. With `node`, a device
   * bound elsewhere and a model none of the node's devices uses count as absent, so the node gets
   * a delete rather than an update.
   */
  cachedObject(plural: string, namespace: string | null, name: string, node?: string): KubeObject | undefined | null {
    if (!this.isSynced || !Object.hasOwn(REFS, plural)) return null;
    const obj = this.informers.get(plural as DeviceInformed)?.get(namespace, name);
    if (node === undefined || obj === undefined) return obj;
    if (plural === 'devices') return deviceEntry(obj).node === node ? obj : undefined;
    if (plural === 'devicemodels') return this.index.hasModelOnNode(node, namespace ?? 'default', name) ? obj : undefined;
    return obj;
  }

  metrics(): Record<string, number> {
    const c = this.counters;
    return {
      devices: this.index.size,
      downstreamSent: c.downstreamSent,
      downstreamSkippedAcked: c.downstreamSkippedAcked,
      upstreamTwin: c.upstreamTwin,
      upstreamState: c.upstreamState,
      upstreamMembershipDetail: c.upstreamMembershipDetail,
      upstreamFailed: c.upstreamFailed,
      statusPatched: c.statusPatched,
      statusCreated: c.statusCreated,
      rejected: c.rejected,
      denied: c.denied,
    };
  }

  /** Resolves when the DeviceStatus writes queued so far have finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.queue.size > 0) await new Promise((r) => setImmediate(r));
  }

  /** A DeviceStatus write outside a report, in the device's queue; failures are logged. */
  private background(device: KubeObject, what: string, task: () => Promise<unknown>): void {
    const [ns, name] = nsName(device);
    this.queue.run(`${ns}/${name}`, task).catch((err: unknown) => {
      this.log.warn('device status write failed', { device: `${ns}/${name}`, action: what, error: (err as Error).message });
    });
  }

  private informer(resource: DeviceInformed): Informer {
    const inf = new Informer({ client: this.deps.kube, ref: REFS[resource], log: this.log.child(resource), handlers: this.handlersFor(resource) });
    this.informers.set(resource, inf);
    return inf;
  }

  private handlersFor(resource: DeviceInformed): InformerHandlers {
    const d = this.downstream;
    switch (resource) {
      case 'devices':
        return { add: (o) => d.deviceAdded(o), update: (a, b) => d.deviceUpdated(a, b), delete: (o) => d.deviceDeleted(o) };
      case 'devicemodels':
        return { add: (o) => d.modelAdded(o), update: (a, b) => d.modelUpdated(a, b), delete: (o) => d.modelDeleted(o) };
      case 'devicestatuses':
        return {};
    }
  }
}
