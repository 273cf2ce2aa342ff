// What device apps send on $hw/events/...: twin update, twin get, state update and membership get
// (KubeEdge's dtmanager twin.go, device.go, membership.go). Every request that can be answered gets a
// result; a success result goes out only after its change is committed to SQLite.
import { DeviceStates, TwinResultCodes, deviceTopic, membershipTopic, type MsgTwin } from '../../core/index.js';
import { applyRestUpdate } from './apply-rest.js';
import type { DealResult } from './deal-result.js';
import type { TwinEngine } from './engine.js';
import { TwinRequestError } from './errors.js';
import { parseBase, parseStateUpdate, parseTwinUpdate } from './parse-request.js';
import type { Base } from './twin-payloads.js';
import { deltaPayload, documentPayload, errorResult, getResult, membershipGetResult, stateReport, updateResult } from './twin-payloads.js';
import type { DeviceEntry } from './twin-state.js';
import { ERROR_DEVICE_NOT_FOUND } from './validation.js';

const DB_FAILURE = 'failed to write to the edge database, please retry';

function checkSize(engine: TwinEngine, payload: Buffer): void {
  if (payload.length > engine.maxPayloadBytes) {
    throw TwinRequestError.badRequest(`payload of ${payload.length} bytes is over the limit of ${engine.maxPayloadBytes} bytes`);
  }
}

function failure(engine: TwinEngine, err: unknown, eventId: string): { eventId: string; code: number; reason: string } {
  if (!(err instanceof TwinRequestError)) throw err;
  engine.metrics.rejected += 1;
  return { eventId: err.eventId || eventId, code: err.code, reason: err.message };
}

/**
 * Applies twins to a device in the open batch; after the commit publishes document and delta, and
 * calls `answer` with the result (or the failure). Throws TwinRequestError when refused.
 */
export function stageTwinUpdate(
  engine: TwinEngine, device: DeviceEntry, twins: Record<string, MsgTwin | null>, eventId: string,
  answer: (ok: boolean, deal: DealResult, base: Base) => void,
): void {
  const batch = engine.stage();
  const deal = applyRestUpdate(device, twins, engine.now());
  batch.addDeal(device, deal);
  const base = engine.base(eventId);
  const delta = deltaPayload(engine.base(), device);
  batch.after.push((ok) => {
    answer(ok, deal, base);
    if (!ok) return;
    engine.metrics.twinUpdates += 1;
    if (Object.keys(deal.document).length > 0) {
      engine.publish(deviceTopic(device.namespace, device.name, 'twin/update/document'), documentPayload(base, deal.document));
    }
    if (delta) engine.publish(deviceTopic(device.namespace, device.name, 'twin/update/delta'), delta);
  });
}

export function onTwinUpdate(engine: TwinEngine, namespace: string, name: string, payload: Buffer): void {
  const topic = deviceTopic(namespace, name, 'twin/update/result');
  let eventId = '';
  try {
    checkSize(engine, payload);
    const req = parseTwinUpdate(payload);
    eventId = req.eventId;
    const device = engine.devices.get(`${namespace}/${name}`);
    if (!device) throw TwinRequestError.notFound(ERROR_DEVICE_NOT_FOUND);
    stageTwinUpdate(engine, device, req.twin, eventId, (ok, deal, base) => {
      engine.publish(topic, ok ? updateResult(base, deal.result) : errorResult(base, TwinResultCodes.internal, DB_FAILURE));
    });
  } catch (err) {
    const f = failure(engine, err, eventId);
    engine.reply(topic, errorResult(engine.base(f.eventId), f.code, f.reason));
  }
}

export function onTwinGet(engine: TwinEngine, namespace: string, name: string, payload: Buffer): void {
  const topic = deviceTopic(namespace, name, 'twin/get/result');
  let eventId = '';
  try {
    checkSize(engine, payload);
    eventId = parseBase(payload, 'get twin').eventId;
    const id = `${namespace}/${name}`;
    if (!engine.devices.has(id)) throw TwinRequestError.notFound(`Device ${id} not found while getting twin`);
    engine.reply(topic, () => {
      const device = engine.devices.get(id);
      return device ? getResult(engine.base(eventId), device) : errorResult(engine.base(eventId), TwinResultCodes.notFound, `Device ${id} not found while getting twin`);
    });
  } catch (err) {
    const f = failure(engine, err, eventId);
    engine.reply(topic, errorResult(engine.base(f.eventId), f.code, f.reason));
  }
}

/**
 * Sets a device's state (KubeEdge's dealDeviceStateUpdate): the state as sent, last_online = now for
 * "online"/"ok" and empty otherwise (as KubeEdge does), reported to the cloud as the device's latest state.
 */
export function stageStateUpdate(engine: TwinEngine, device: DeviceEntry, state: string, eventId: string, answer: (ok: boolean, payload: unknown) => void): void {
  const lower = state.toLowerCase();
  if (!(DeviceStates as readonly string[]).includes(lower)) {
    throw TwinRequestError.badRequest(`state "${state}" is not one of ${DeviceStates.join(', ')}`);
  }
  const batch = engine.stage();
  device.state = state;
  device.lastOnline = lower === 'online' || lower === 'ok' ? new Date(engine.now()).toISOString().replace(/\.\d{3}Z$/, 'Z') : '';
  batch.addDevice(device);
  batch.marks.push({ deviceId: device.id, kind: 'state', name: '' });
  const result = stateReport(engine.base(eventId), device);
  batch.after.push((ok) => answer(ok, ok ? result : errorResult(engine.base(eventId), TwinResultCodes.internal, DB_FAILURE)));
}

export function onStateUpdate(engine: TwinEngine, namespace: string, name: string, payload: Buffer): void {
  const topic = deviceTopic(namespace, name, 'state/update/result');
  let eventId = '';
  try {
    checkSize(engine, payload);
    const req = parseStateUpdate(payload);
    eventId = req.eventId;
    const device = engine.devices.get(`${namespace}/${name}`);
    if (!device) throw TwinRequestError.notFound(`Device ${namespace}/${name} not found while updating state`);
    stageStateUpdate(engine, device, req.state, eventId, (_ok, result) => engine.publish(topic, result));
  } catch (err) {
    const f = failure(engine, err, eventId);
    engine.reply(topic, errorResult(engine.base(f.eventId), f.code, f.reason));
  }
}

/** membership/get of this node; another node's request is left to that node's edgecore. */
export function onMembershipGet(engine: TwinEngine, node: string, payload: Buffer): void {
  if (node !== engine.nodeName) {
    engine.log.debug('membership get for another node ignored', { node });
    return;
  }
  const topic = membershipTopic(engine.nodeName, 'membership/get/result');
  let eventId = '';
  try {
    checkSize(engine, payload);
    eventId = parseBase(payload, 'get membership').eventId;
    engine.reply(topic, () => membershipGetResult(engine.base(eventId), engine.devices.values()));
  } catch (err) {
    const f = failure(engine, err, eventId);
    engine.reply(topic, errorResult(engine.base(f.eventId), f.code, f.reason));
  }
}
