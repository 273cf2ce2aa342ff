// Group "twin" messages from the cloud (KubeEdge's devicetwin classifyMsg for source edgemgr /
// devicecontroller): membership updates and details add and remove devices; twin/cloud_updated (sent
// by older clouds) carries twins with version vectors. None of them is acked (DESIGN.md §3).
import type { Message, WireDevice } from '../../core/index.js';
import { parseDeviceResource, twinContent } from '../../core/index.js';
import { applySyncUpdate } from './apply-sync.js';
import type { TwinEngine } from './engine.js';
import { cloudTwins } from './parse-request.js';
import { addDevice, publishTwinChanges, removeDevice } from './membership.js';
import type { DeviceObjectStore } from './types.js';
import { splitDeviceId } from './twin-state.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function devicesOf(v: unknown): WireDevice[] {
  return Array.isArray(v) ? v.filter(isObj).map((d) => d as WireDevice) : [];
}


/** Routes a group "twin" message; false when it is not one devicetwin knows. */
export function handleCloudMessage(engine: TwinEngine, store: DeviceObjectStore, msg: Message): boolean {
  const resource = msg.route.resource;
  let content: unknown;
  try {
    content = twinContent(msg.content);
  } catch {
    engine.log.warn('cloud message with malformed content', { resource, msgId: msg.header.msg_id });
    return true;
  }
  if (resource.includes('membership/detail')) {
    onMembershipDetail(engine, store, isObj(content) ? content : {});
    return true;
  }
  if (resource.includes('membership')) {
    const c = isObj(content) ? content : {};
    for (const d of devicesOf(c['added_devices'])) addWireDevice(engine, d);
    for (const d of devicesOf(c['removed_devices'])) if (typeof d.id === 'string') removeDevice(engine, engine.stage(), d.id);
    return true;
  }
  if (resource.includes('twin/cloud_updated')) {
    onCloudUpdated(engine, resource, content);
    return true;
  }
  return false;
}

/**
 * A device announced by the cloud. KubeEdge's clouds send only id and name; the twins come with the
 * Device object. Twins in the message (older clouds) are applied with their versions.
 */
function addWireDevice(engine: TwinEngine, wire: WireDevice): void {
  const parts = typeof wire.id === 'string' ? splitDeviceId(wire.id) : undefined;
  if (!parts) {
    engine.log.warn('membership device without a <namespace>/<name> id', { id: wire.id });
    return;
  }
  const batch = engine.stage();
  const id = `${parts.namespace}/${parts.name}`;
  const device = engine.devices.get(id) ?? addDevice(engine, batch, parts.namespace, parts.name, typeof wire.description === 'string' ? wire.description : '');
  const twins = cloudTwins(wire.twin);
  if (!twins) return;
  const deal = applySyncUpdate(device, twins, engine.now());
  batch.addDeal(device, deal);
  publishTwinChanges(engine, batch, device, deal);
}

/**
 * The full list of this node's devices (the answer to a membership/detail request). Devices not in it
 * are removed unless a Device object still stands for them: the objects are the source of truth here.
 */
function onMembershipDetail(engine: TwinEngine, store: DeviceObjectStore, content: Obj): void {
  const listed = devicesOf(content['devices']);
  for (const d of listed) addWireDevice(engine, d);
  const keep = new Set(listed.map((d) => d.id));
  for (const [id, device] of [...engine.devices]) {
    if (keep.has(id) || store.get('device', device.namespace, device.name) !== undefined) continue;
    removeDevice(engine, engine.stage(), id);
  }
}

function onCloudUpdated(engine: TwinEngine, resource: string, content: unknown): void {
  let id: string;
  try {
    const r = parseDeviceResource(resource);
    id = `${r.namespace}/${r.name}`;
  } catch {
    engine.log.warn('twin/cloud_updated with a bad resource', { resource });
    return;
  }
  const device = engine.devices.get(id);
  const twins = isObj(content) ? cloudTwins(content['twin']) : undefined;
  if (!device || !twins) {
    engine.log.warn('twin/cloud_updated ignored', { device: id, reason: device ? 'no twin object' : 'unknown device' });
    return;
  }
  const batch = engine.stage();
  const deal = applySyncUpdate(device, twins, engine.now());
  batch.addDeal(device, deal);
  publishTwinChanges(engine, batch, device, deal);
}
