// Adding and removing this node's devices (KubeEdge's membership.go addDevice / removeDevice): rows
// in SQLite, then $hw/events/node/<node>/membership/updated for device apps.
import { deviceTopic, membershipTopic, type WireDevice } from '../../core/index.js';
import type { DealResult } from './deal-result.js';
import type { TwinEngine } from './engine.js';
import { deltaPayload, documentPayload, membershipUpdated } from './twin-payloads.js';
import { type DeviceEntry, newDevice, toWireDevice } from './twin-state.js';
import type { Batch } from './write-batch.js';

/** Creates the device in memory and in the batch; membership/updated goes out after the commit. */
export function addDevice(engine: TwinEngine, batch: Batch, namespace: string, name: string, description: string): DeviceEntry {
  const device = newDevice(namespace, name, description);
  engine.devices.set(device.id, device);
  batch.addDevice(device, true);
  batch.after.push((ok) => {
    if (!ok) return;
    engine.log.info('device added', { device: device.id });
    const added = [toWireDevice(device, true)];
    engine.publish(membershipTopic(engine.nodeName, 'membership/updated'), membershipUpdated(engine.base(), added, []));
  });
  return device;
}

export function removeDevice(engine: TwinEngine, batch: Batch, id: string): boolean {
  const device = engine.devices.get(id);
  if (!device) return false;
  engine.devices.delete(id);
  batch.removeDevice(id);
  batch.after.push((ok) => {
    if (!ok) return;
    engine.log.info('device removed', { device: id });
    const removed: WireDevice[] = [{ id, name: device.name }];
    engine.publish(membershipTopic(engine.nodeName, 'membership/updated'), membershipUpdated(engine.base(), [], removed));
  });
  return true;
}

/** After the commit: document of the changed twins and the delta (KubeEdge publishes both after any twin change). */
export function publishTwinChanges(engine: TwinEngine, batch: Batch, device: DeviceEntry, deal: DealResult): void {
  if (Object.keys(deal.document).length === 0) return;
  const base = engine.base();
  const delta = deltaPayload(engine.base(), device);
  batch.after.push((ok) => {
    if (!ok) return;
    engine.publish(deviceTopic(device.namespace, device.name, 'twin/update/document'), documentPayload(base, deal.document));
    if (delta) engine.publish(deviceTopic(device.namespace, device.name, 'twin/update/delta'), delta);
  });
}
