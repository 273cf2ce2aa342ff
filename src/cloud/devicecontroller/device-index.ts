// Where each device lives: its node and its model, and how many devices of each model every node
// has. The model goes to a node with its first device there and leaves with its last one (KubeEdge's
// isExistModel, which scans every device; here a count per node and model). Pure: no I/O.
import type { KubeObject } from '../../api/index.js';

export interface DeviceEntry {
  namespace: string;
  name: string;
  uid: string;
  /** spec.nodeName; '' when the device is not bound to a node. */
  node: string;
  /** spec.deviceModelRef.name; '' when absent. The model lives in the device's namespace. */
  model: string;
}

/** The index entry of a Device object. */
export function deviceEntry(device: KubeObject): DeviceEntry {
  const spec = (device['spec'] ?? {}) as { nodeName?: unknown; deviceModelRef?: { name?: unknown } };
  return {
    namespace: device.metadata.namespace ?? 'default',
    name: device.metadata.name ?? '',
    uid: device.metadata.uid ?? '',
    node: typeof spec.nodeName === 'string' ? spec.nodeName : '',
    model: typeof spec.deviceModelRef?.name === 'string' ? spec.deviceModelRef.name : '',
  };
}

/** Names of spec.properties, in order. */
export function propertyNames(device: KubeObject): string[] {
  const props = (device['spec'] as { properties?: unknown } | undefined)?.properties;
  if (!Array.isArray(props)) return [];
  return props.flatMap((p) => (typeof (p as { name?: unknown } | null)?.name === 'string' ? [(p as { name: string }).name] : []));
}

export const keyOf = (namespace: string, name: string): string => `${namespace}/${name}`;

export class DeviceIndex {
  private readonly devices = new Map<string, DeviceEntry>();
  private readonly byNode = new Map<string, Set<string>>();
  /** `<ns>/<model>` → node → devices of that model on the node. */
  private readonly modelUse = new Map<string, Map<string, number>>();

  get size(): number {
    return this.devices.size;
  }

  get(namespace: string, name: string): DeviceEntry | undefined {
    return this.devices.get(keyOf(namespace, name));
  }

  /**
   * Records `entry` (replacing any entry of the same device, which the caller has removed first
   * when it needs the removal's result). Returns true when it is the first device of its model on
   * its node, i.e. the node needs the model.
   */
  add(entry: DeviceEntry): boolean {
    const key = keyOf(entry.namespace, entry.name);
    if (this.devices.has(key)) this.remove(entry.namespace, entry.name);
    this.devices.set(key, entry);
    if (entry.node === '') return false;
    let keys = this.byNode.get(entry.node);
    if (!keys) this.byNode.set(entry.node, (keys = new Set()));
    keys.add(key);
    if (entry.model === '') return false;
    const modelKey = keyOf(entry.namespace, entry.model);
    let nodes = this.modelUse.get(modelKey);
    if (!nodes) this.modelUse.set(modelKey, (nodes = new Map()));
    const n = nodes.get(entry.node) ?? 0;
    nodes.set(entry.node, n + 1);
    return n === 0;
  }

  /** Forgets a device; `lastOfModel` is true when its node has no other device of its model. */
  remove(namespace: string, name: string): { entry: DeviceEntry; lastOfModel: boolean } | undefined {
    const key = keyOf(namespace, name);
    const entry = this.devices.get(key);
    if (!entry) return undefined;
    this.devices.delete(key);
    if (entry.node === '') return { entry, lastOfModel: false };
    const keys = this.byNode.get(entry.node);
    keys?.delete(key);
    if (keys?.size === 0) this.byNode.delete(entry.node);
    if (entry.model === '') return { entry, lastOfModel: false };
    const modelKey = keyOf(entry.namespace, entry.model);
    const nodes = this.modelUse.get(modelKey);
    const n = (nodes?.get(entry.node) ?? 1) - 1;
    if (n > 0) {
      nodes?.set(entry.node, n);
      return { entry, lastOfModel: false };
    }
    nodes?.delete(entry.node);
    if (nodes?.size === 0) this.modelUse.delete(modelKey);
    return { entry, lastOfModel: true };
  }

  /** Nodes with at least one device of model `<namespace>/<model>`. */
  nodesWithModel(namespace: string, model: string): string[] {
    return [...(this.modelUse.get(keyOf(namespace, model))?.keys() ?? [])];
  }

  hasModelOnNode(node: string, namespace: string, model: string): boolean {
    return (this.modelUse.get(keyOf(namespace, model))?.get(node) ?? 0) > 0;
  }

  /** The devices bound to `node`. */
  devicesOnNode(node: string): DeviceEntry[] {
    return [...(this.byNode.get(node) ?? [])].flatMap((k) => this.devices.get(k) ?? []);
  }
}
