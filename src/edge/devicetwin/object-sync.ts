// Device objects (metamanager type "device") decide which devices this node has and what twins they
// carry: at start and on every committed change, devices are added, updated and removed to match.
// A DeviceModel change re-types the twins of the devices that use it.
import type { TwinEngine } from './engine.js';
import { deviceIdentity, propertySpecs, reconcileTwins } from './device-objects.js';
import { addDevice, publishTwinChanges, removeDevice } from './membership.js';
import type { DeviceObjectStore } from './types.js';

type StoreChange = Parameters<Parameters<DeviceObjectStore['onChange']>[0]>[0];

export class ObjectSync {
  readonly #engine: TwinEngine;
  readonly #store: DeviceObjectStore;

  constructor(engine: TwinEngine, store: DeviceObjectStore) {
    this.#engine = engine;
    this.#store = store;
  }

  /** Reconciles every device object, and removes the devices no object stands for. */
  reconcileAll(): void {
    const ours = new Set<string>();
    for (const obj of this.#store.list('device')) {
      const id = this.reconcile(obj);
      if (id) ours.add(id);
    }
    for (const id of [...this.#engine.devices.keys()]) {
      if (!ours.has(id)) removeDevice(this.#engine, this.#engine.stage(), id);
    }
  }

  onChange(change: StoreChange): void {
    if (change.type === 'device') {
      if (change.op === 'upsert') this.reconcile(change.object);
      else if (change.namespace) removeDevice(this.#engine, this.#engine.stage(), `${change.namespace}/${change.name}`);
    } else if (change.type === 'devicemodel' && change.namespace) {
      for (const obj of this.#store.list('device', change.namespace)) {
        if (deviceIdentity(obj)?.modelName === change.name) this.reconcile(obj);
      }
    }
  }

  /** Brings one device in line with its object; returns its id when the device belongs to this node. */
  reconcile(obj: unknown): string | undefined {
    const engine = this.#engine;
    const ident = deviceIdentity(obj);
    if (!ident) return undefined;
    const id = `${ident.namespace}/${ident.name}`;
    const batch = engine.stage();
    batch.needsResyncOnFailure = true;
    if (ident.nodeName !== undefined && ident.nodeName !== engine.nodeName) {
      removeDevice(engine, batch, id);
      return undefined;
    }
    const model = ident.modelName ? this.#store.get('devicemodel', ident.namespace, ident.modelName) : undefined;
    let device = engine.devices.get(id);
    if (!device) device = addDevice(engine, batch, ident.namespace, ident.name, ident.description);
    else if (device.description !== ident.description) {
      device.description = ident.description;
      batch.addDevice(device);
    }
    const deal = reconcileTwins(device, propertySpecs(obj, model), engine.now());
    batch.addDeal(device, deal);
    publishTwinChanges(engine, batch, device, deal);
    return id;
  }
}
