// Downstream: Device and DeviceModel informer events → messages to the device's node (KubeEdge's
// DownstreamController.deviceAdded/deviceUpdated/deviceDeleted). A device bound to a node brings
// it a membership update (no ack), its model when it is the node's first device of that model, and
// itself. Only spec changes are news to the edge. Handlers are synchronous; DeviceStatus writes are
// handed to the hooks, which run them in the background.
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../api/index.js';
import type { Logger } from '../../core/index.js';
import { DeviceIndex, deviceEntry, keyOf, propertyNames, type DeviceEntry } from './device-index.js';
import type { DeviceSender } from './downstream-send.js';
import { toWireDevice, type ObjectOperation } from './messages.js';

export interface DownstreamHooks {
  /** The DeviceModel `<namespace>/<name>` from the informer cache. */
  model(namespace: string, name: string): KubeObject | undefined;
  /** A device appeared: its DeviceStatus must exist. */
  deviceAdded(device: KubeObject): void;
  /** A device's property names changed: its DeviceStatus twins follow. */
  propertiesChanged(device: KubeObject): void;
  deviceDeleted(device: KubeObject): void;
}

const specOf = (o: KubeObject): unknown => o['spec'];

export class DeviceDownstream {
  /** The last Device object handled per `<ns>/<name>` (an informer may replay an add as a relist). */
  private readonly objects = new Map<string, KubeObject>();

  constructor(
    readonly index: DeviceIndex,
    private readonly sender: DeviceSender,
    private readonly hooks: DownstreamHooks,
    private readonly log: Logger,
  ) {}

  deviceAdded(device: KubeObject): void {
    const entry = deviceEntry(device);
    const key = keyOf(entry.namespace, entry.name);
    const known = this.objects.get(key);
    if (known) return this.deviceUpdated(known, device);
    this.objects.set(key, device);
    this.hooks.deviceAdded(device);
    const needsModel = this.index.add(entry);
    if (entry.node !== '') this.bind(entry, device, needsModel);
  }

  deviceUpdated(oldDevice: KubeObject, device: KubeObject): void {
    const after = deviceEntry(device);
    const key = keyOf(after.namespace, after.name);
    const before = this.index.get(after.namespace, after.name);
    const previous = this.objects.get(key) ?? oldDevice;
    if (!before) {
      this.objects.delete(key);
      return this.deviceAdded(device);
    }
    this.objects.set(key, device);
    if (before.uid !== after.uid) {
      // Deleted and re-created between two events (a relist): the old one leaves, the new one comes.
      this.deviceDeleted(previous);
      return this.deviceAdded(device);
    }
    if (isDeepStrictEqual(specOf(previous), specOf(device))) return;
    if (!isDeepStrictEqual(propertyNames(previous), propertyNames(device))) this.hooks.propertiesChanged(device);
    const removed = this.index.remove(after.namespace, after.name);
    const needsModel = this.index.add(after);
    if (before.node !== after.node) {
      // KubeEdge: deleted from the old node, added to the new one.
      if (before.node !== '') this.unbind(before, previous, removed?.lastOfModel ?? false);
      if (after.node !== '') this.bind(after, device, needsModel);
      return;
    }
    if (after.node === '') return;
    const sameModel = before.model === after.model;
    // KubeEdge resends the model with every device update; the node has that version unless it changed.
    if (after.model !== '') this.sendModel(after, needsModel && !sameModel ? 'insert' : 'update', true);
    this.sender.object({ node: after.node, operation: 'update', type: 'device', obj: device });
    if (!sameModel && before.model !== '' && removed?.lastOfModel) this.sendModel(before, 'delete');
  }

  deviceDeleted(device: KubeObject): void {
    const { namespace, name } = deviceEntry(device);
    this.objects.delete(keyOf(namespace, name));
    this.hooks.deviceDeleted(device);
    const removed = this.index.remove(namespace, name);
    if (removed && removed.entry.node !== '') this.unbind(removed.entry, device, removed.lastOfModel);
  }

  /** A model created after its devices (or re-created) goes to the nodes that have them. */
  modelAdded(model: KubeObject): void {
    for (const node of this.modelNodes(model)) {
      this.sender.object({ node, operation: 'insert', type: 'devicemodel', obj: model, skipIfAcked: true });
    }
  }

  modelUpdated(oldModel: KubeObject, model: KubeObject): void {
    if (oldModel.metadata.resourceVersion === model.metadata.resourceVersion) return;
    for (const node of this.modelNodes(model)) {
      this.sender.object({ node, operation: 'update', type: 'devicemodel', obj: model, skipIfAcked: true });
    }
  }

  modelDeleted(model: KubeObject): void {
    for (const node of this.modelNodes(model)) this.sender.object({ node, operation: 'delete', type: 'devicemodel', obj: model });
  }

  private modelNodes(model: KubeObject): string[] {
    return this.index.nodesWithModel(model.metadata.namespace ?? 'default', model.metadata.name ?? '');
  }

  /** Membership first, then the model (the edge's devicetwin resolves it for the device), then the device. */
  private bind(entry: DeviceEntry, device: KubeObject, needsModel: boolean): void {
    this.sender.membership(entry.node, { added: [toWireDevice(device)] });
    if (needsModel) this.sendModel(entry, 'insert', true);
    this.sender.object({ node: entry.node, operation: 'insert', type: 'device', obj: device, skipIfAcked: true });
  }

  /** The device leaves before its model (KubeEdge sends the model delete first; the edge's mapper
   *  would then hold a device whose model is gone). */
  private unbind(entry: DeviceEntry, device: KubeObject, lastOfModel: boolean): void {
    this.sender.membership(entry.node, { removed: [toWireDevice(device)] });
    this.sender.object({ node: entry.node, operation: 'delete', type: 'device', obj: device });
    if (lastOfModel) this.sendModel(entry, 'delete');
  }

  private sendModel(entry: DeviceEntry, operation: ObjectOperation, skipIfAcked = false): void {
    const model = this.hooks.model(entry.namespace, entry.model);
    if (!model) {
      // Sent by modelAdded once the model exists (KubeEdge retries for 10 s, then gives up).
      this.log.debug('model not found', { node: entry.node, device: `${entry.namespace}/${entry.name}`, model: entry.model, operation });
      return;
    }
    this.sender.object({ node: entry.node, operation, type: 'devicemodel', obj: model, skipIfAcked });
  }
}
