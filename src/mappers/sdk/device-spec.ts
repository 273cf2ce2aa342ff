// From DMI messages to what a driver sees (KubeEdge mapper-framework's parse.GetDeviceFromGrpc): the
// device's properties joined with its model's (type lower-cased, accessMode), visitors and protocol
// configData decoded from google.protobuf.Any. Pure.
import {
  decodeCustomized, type DeviceMethodMsg, type DeviceModelMsg, type DeviceMsg, type DevicePropertyMsg, type PushMethodMsg,
} from '../../api/dmi/index.js';
import { DmiRequestError } from './errors.js';
import type { MapperDevice, MapperMethod, MapperProperty } from './types.js';

/** KubeEdge's resource id: <namespace>/<name>. */
export function resourceId(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export function modelIdOf(device: DeviceMsg): string {
  return resourceId(device.namespace ?? '', device.spec?.deviceModelReference ?? '');
}

/** Throws DmiRequestError when the message lacks a name. */
export function buildMapperDevice(msg: DeviceMsg, model: DeviceModelMsg | undefined): MapperDevice {
  if (!msg.name) throw new DmiRequestError('invalid_argument', 'device has no name');
  const spec = msg.spec ?? {};
  const modelProps = new Map((model?.spec?.properties ?? []).map((p) => [p.name ?? '', p]));
  return {
    namespace: msg.namespace ?? '',
    name: msg.name,
    model: spec.deviceModelReference ?? '',
    protocol: {
      protocolName: spec.protocol?.protocolName ?? '',
      configData: decodeCustomized(spec.protocol?.configData ?? {}),
    },
    properties: (spec.properties ?? []).filter((p) => p.name).map((p) => buildProperty(p, modelProps.get(p.name ?? ''))),
    stateReport: {
      reportToCloud: msg.status?.reportToCloud ?? false,
      reportCycleMs: Number(msg.status?.reportCycle ?? 0),
    },
    methods: buildMethods(spec.methods ?? []),
  };
}

/** KubeEdge's buildMethodsFromGrpc; a method listed twice is one method with both lists (its DevPanel merges them). */
function buildMethods(msgs: readonly DeviceMethodMsg[]): MapperMethod[] {
  const byName = new Map<string, MapperMethod>();
  for (const m of msgs) {
    if (!m.name) continue;
    const names = (m.propertyNames ?? []).filter((n) => n);
    const seen = byName.get(m.name);
    if (seen) seen.propertyNames.push(...names.filter((n) => !seen.propertyNames.includes(n)));
    else byName.set(m.name, { name: m.name, description: m.description ?? '', propertyNames: [...new Set(names)] });
  }
  return [...byName.values()];
}

function buildProperty(p: DevicePropertyMsg, m: { type?: string; accessMode?: string; minimum?: string; maximum?: string; unit?: string } | undefined): MapperProperty {
  const prop: MapperProperty = {
    name: p.name ?? '',
    // A property the model does not declare is read as a string and never written.
    type: (m?.type || 'string').toLowerCase(),
    accessMode: m?.accessMode === 'ReadWrite' ? 'ReadWrite' : 'ReadOnly',
    visitor: decodeCustomized(p.visitors?.configData ?? {}),
    collectCycleMs: Number(p.collectCycle ?? 0),
    reportCycleMs: Number(p.reportCycle ?? 0),
    reportToCloud: p.reportToCloud ?? false,
  };
  if (m?.minimum) prop.minimum = m.minimum;
  if (m?.maximum) prop.maximum = m.maximum;
  if (m?.unit) prop.unit = m.unit;
  // proto3 cannot tell "no desired" from "desired empty": an empty value means nothing to write.
  if (p.desired?.value) prop.desired = p.desired.value;
  const push = buildPushMethod(p.pushMethod ?? null);
  if (push) prop.pushMethod = push;
  return prop;
}

function buildPushMethod(pm: PushMethodMsg | null): MapperProperty['pushMethod'] {
  if (!pm) return undefined;
  const out: NonNullable<MapperProperty['pushMethod']> = {};
  if (pm.http?.hostname) {
    out.http = {
      hostName: pm.http.hostname,
      port: Number(pm.http.port ?? 0),
      requestPath: pm.http.requestpath ?? '',
      timeoutMs: Number(pm.http.timeout ?? 0),
    };
  }
  if (pm.mqtt?.address && pm.mqtt.topic) {
    const qos = Number(pm.mqtt.qos ?? 0);
    out.mqtt = { address: pm.mqtt.address, topic: pm.mqtt.topic, qos: qos === 1 || qos === 2 ? qos : 0, retained: pm.mqtt.retained ?? false };
  }
  return out.http || out.mqtt ? out : undefined;
}

/** Equal protocol name and config: UpdateDevice keeps the connection open. */
export function sameProtocol(a: MapperDevice, b: MapperDevice): boolean {
  return a.protocol.protocolName === b.protocol.protocolName && stableJson(a.protocol.configData) === stableJson(b.protocol.configData);
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
