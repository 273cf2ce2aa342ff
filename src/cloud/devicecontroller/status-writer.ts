// DeviceStatus writes: one DeviceStatus per Device (same namespace and name, controller
// ownerReference to the Device, so the garbage collector removes it with the Device), created when
// the Device appears (KubeEdge's getOrCreateDeviceStatusForDevice) and merge-patched with reports.
// Twins are a list, and a merge patch replaces lists whole, so each write starts from the newest
// status known (the informer's or the last one written here) and carries its resourceVersion as a
// precondition; a conflict rereads and merges again. Callers serialize writes per device.
import { isDeepStrictEqual } from 'node:util';
import type { DeviceStatusObject, DeviceStatusTwin, KubeObject } from '../../api/index.js';
import { DEVICES_API_VERSION } from '../../api/index.js';
import type { Logger } from '../../core/index.js';
import { compareResourceVersion } from '../cloudhub/index.js';
import { KubeError, type KubeClient } from '../kube/index.js';
import type { DeviceControllerCounters } from './metrics.js';
import { keyOf, propertyNames } from './device-index.js';
import { alignTwins, type StateReport } from './twin-status.js';
import { DEVICE_STATUSES } from './types.js';

/** Writes tried per report: the first, then rereads after a conflict or a vanished status. */
const MAX_ATTEMPTS = 4;

export interface StatusWriterDeps {
  kube: KubeClient;
  /** The DeviceStatus in the informer cache. */
  cached(namespace: string, name: string): KubeObject | undefined;
  counters: DeviceControllerCounters;
  log: Logger;
}

const nsName = (o: KubeObject): [string, string] => [o.metadata.namespace ?? 'default', o.metadata.name ?? ''];

/** The DeviceStatus KubeEdge creates for a Device, with one twin per property. */
export function newDeviceStatus(device: KubeObject): DeviceStatusObject {
  const [namespace, name] = nsName(device);
  return {
    apiVersion: DEVICES_API_VERSION, kind: 'DeviceStatus',
    metadata: {
      name, namespace,
      ownerReferences: [{
        apiVersion: DEVICES_API_VERSION, kind: 'Device', name, uid: device.metadata.uid ?? '', controller: true, blockOwnerDeletion: true,
      }],
    },
    spec: {},
    status: { twins: alignTwins([], propertyNames(device)) },
  };
}

/** A status left by an earlier Device of the same name (its owner is another UID). */
function ownedByOther(status: KubeObject, device: KubeObject): boolean {
  const owner = status.metadata.ownerReferences?.find((o) => o.kind === 'Device');
  return owner !== undefined && owner.uid !== device.metadata.uid;
}

const retryable = (err: unknown): boolean => err instanceof KubeError && (err.status === 409 || err.status === 404);

export class StatusWriter {
  /** The last DeviceStatus the API returned to a write or read of ours, per `<ns>/<name>`. */
  private readonly known = new Map<string, KubeObject>();

  constructor(private readonly deps: StatusWriterDeps) {}

  /** The device's DeviceStatus, created when missing (or when only an earlier Device's is left). */
  async ensure(device: KubeObject, fresh = false): Promise<KubeObject> {
    const [ns, name] = nsName(device);
    let cur = fresh ? await this.read(ns, name) : this.current(ns, name) ?? await this.read(ns, name);
    if (cur && ownedByOther(cur, device)) {
      this.deps.log.info('stale device status replaced', { device: keyOf(ns, name) });
      await this.deps.kube.delete(DEVICE_STATUSES, ns, name, cur.metadata.uid ? { uid: cur.metadata.uid } : {});
      this.known.delete(keyOf(ns, name));
      cur = undefined;
    }
    if (cur) return cur;
    try {
      const created = await this.deps.kube.create(DEVICE_STATUSES, newDeviceStatus(device) as KubeObject);
      this.deps.counters.statusCreated++;
      this.deps.log.debug('device status created', { device: keyOf(ns, name) });
      return this.remember(created);
    } catch (err) {
      if (!(err instanceof KubeError && err.status === 409)) throw err;
      const got = await this.read(ns, name);
      if (!got) throw err;
      return got;
    }
  }

  /** Writes the twins `compute` makes of the current ones; false when they did not change. */
  async patchTwins(device: KubeObject, compute: (twins: DeviceStatusTwin[]) => DeviceStatusTwin[]): Promise<boolean> {
    const [ns, name] = nsName(device);
    for (let attempt = 1; ; attempt++) {
      const cur = await this.ensure(device, attempt > 1);
      const twins = (cur['status'] as DeviceStatusObject['status'])?.twins ?? [];
      const next = compute(twins);
      if (isDeepStrictEqual(next, twins)) return false;
      const rv = cur.metadata.resourceVersion;
      const body = { ...(rv ? { metadata: { resourceVersion: rv } } : {}), status: { twins: next } };
      try {
        this.remember(await this.deps.kube.patch(DEVICE_STATUSES, ns, name, body, 'merge'));
        this.deps.counters.statusPatched++;
        return true;
      } catch (err) {
        if (attempt >= MAX_ATTEMPTS || !retryable(err)) throw err;
        this.deps.log.debug('device status reread', { device: keyOf(ns, name), status: (err as KubeError).status });
      }
    }
  }

  /** Writes state and lastOnlineTime (fields, not a list: no precondition needed). */
  async patchState(device: KubeObject, report: StateReport): Promise<boolean> {
    if (report.state === undefined && report.lastOnlineTime === undefined) return false;
    const [ns, name] = nsName(device);
    for (let attempt = 1; ; attempt++) {
      await this.ensure(device, attempt > 1);
      try {
        this.remember(await this.deps.kube.patch(DEVICE_STATUSES, ns, name, { status: report }, 'merge'));
        this.deps.counters.statusPatched++;
        return true;
      } catch (err) {
        if (attempt >= MAX_ATTEMPTS || !retryable(err)) throw err;
      }
    }
  }

  forget(namespace: string, name: string): void {
    this.known.delete(keyOf(namespace, name));
  }

  /** The newer of the informer's copy and ours (ours is ahead right after a write). */
  private current(ns: string, name: string): KubeObject | undefined {
    const cached = this.deps.cached(ns, name);
    const mine = this.known.get(keyOf(ns, name));
    if (!cached || !mine) return mine ?? cached;
    return compareResourceVersion(mine.metadata.resourceVersion, cached.metadata.resourceVersion) >= 0 ? mine : cached;
  }

  private async read(ns: string, name: string): Promise<KubeObject | undefined> {
    const got = await this.deps.kube.get(DEVICE_STATUSES, ns, name);
    if (got) return this.remember(got);
    this.known.delete(keyOf(ns, name));
    return undefined;
  }

  private remember(obj: KubeObject): KubeObject {
    this.known.set(keyOf(...nsName(obj)), obj);
    return obj;
  }
}
