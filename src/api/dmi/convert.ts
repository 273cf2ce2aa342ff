// Device and DeviceModel (devices.kubeedge.io/v1beta1) to and from DMI messages: KubeEdge's
// dtcommon.ConvertDevice / ConvertDeviceModel with dmicache.GetOverriddenDevice, and the reverse for
// mappers (and GetDevice answers).
//
// Facts kept from KubeEdge: deviceModelReference = spec.deviceModelRef.name; reportCycle/collectCycle
// are milliseconds as in the CRD; the push method's hostName/requestPath become hostname/requestpath
// (and dbMethod's TDEngine/dbName become tdengine/dbname: Go's JSON decoding matches names ignoring
// case); configData maps travel as google.protobuf.Any (any.ts); a device's state report settings
// (spec.stateReport, else the old status fields) become status.reportCycle/reportToCloud.
// Every nested message KubeEdge always sends (desired, visitors.configData, protocol.configData,
// status) is always set here too: Go mappers dereference them without nil checks.
import type {
  CustomizedValue, Device, DeviceModel, DeviceProperty, DeviceSpec, ModelProperty, PropertyType, PushMethod,
} from '../devices.js';
import { AccessModes, DEVICES_API_VERSION, PropertyTypes } from '../devices.js';
import { decodeCustomized, encodeCustomized } from './any.js';
import type { DeviceModelMsg, DeviceMsg, DevicePropertyMsg, PushMethodMsg, TwinPropertyMsg } from './messages.js';

/**
 * The device as its mapper should see it (GetOverriddenDevice): for each device property, the model
 * property's visitors are the defaults and the device's configData keys win; the model's
 * protocolConfigData sits under the device's protocol configData. Differences from KubeEdge, both
 * in the device's favour: a device visitor's protocolName is kept when set (KubeEdge takes the model's),
 * and a device without protocol.protocolName takes the model's spec.protocol.
 */
export function overrideWithModel(spec: DeviceSpec, model: DeviceModel): DeviceSpec {
  const modelProps = new Map((model.spec.properties ?? []).map((p) => [p.name, p] as const));
  const properties = spec.properties?.map((p): DeviceProperty => {
    const defaults = modelProps.get(p.name)?.visitors;
    if (!defaults) return p;
    return {
      ...p,
      visitors: {
        protocolName: p.visitors?.protocolName || defaults.protocolName,
        configData: { ...defaults.configData, ...p.visitors?.configData },
      },
    };
  });
  return {
    ...spec,
    ...(properties ? { properties } : {}),
    protocol: {
      ...spec.protocol,
      protocolName: spec.protocol?.protocolName || model.spec.protocol,
      configData: { ...model.spec.protocolConfigData, ...spec.protocol?.configData },
    },
  };
}

function int(v: unknown): number {
  const n = Number(v ?? 0);
  return Number.isFinite(n) ? Math.trunc(n) : 0;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** obj[name] with the name matched ignoring case, as Go's encoding/json matches struct fields. */
function field(obj: Record<string, unknown> | undefined, name: string): unknown {
  if (!obj) return undefined;
  if (name in obj) return obj[name];
  const lower = name.toLowerCase();
  const k = Object.keys(obj).find((key) => key.toLowerCase() === lower);
  return k === undefined ? undefined : obj[k];
}

/**
 * dbMethod, proto field names → (CRD JSON name, nested shape or leaf). Leaves are copied as they are
 * (strings, numbers, the influx tag map).
 */
type Shape = { [proto: string]: [json: string, sub?: Shape] };
const DB_METHOD: Shape = {
  influxdb2: ['influxdb2', {
    influxdb2ClientConfig: ['influxdb2ClientConfig', { url: ['url'], org: ['org'], bucket: ['bucket'] }],
    influxdb2DataConfig: ['influxdb2DataConfig', { measurement: ['measurement'], tag: ['tag'], fieldKey: ['fieldKey'] }],
  }],
  redis: ['redis', { redisClientConfig: ['redisClientConfig', { addr: ['addr'], db: ['db'], poolsize: ['poolsize'], minIdleConns: ['minIdleConns'] }] }],
  tdengine: ['TDEngine', { tdEngineClientConfig: ['TDEngineClientConfig', { addr: ['addr'], dbname: ['dbName'] }] }],
  mysql: ['mysql', { mysqlClientConfig: ['mysqlClientConfig', { addr: ['addr'], database: ['database'], userName: ['userName'] }] }],
};

function reshape(src: Record<string, unknown> | undefined, shape: Shape, toProto: boolean): Record<string, unknown> | undefined {
  if (!src) return undefined;
  const out: Record<string, unknown> = {};
  for (const [proto, [json, sub]] of Object.entries(shape)) {
    const v = field(src, toProto ? json : proto);
    if (v === undefined || v === null) continue;
    out[toProto ? proto : json] = sub ? reshape(record(v), sub, toProto) : v;
  }
  return out;
}

function pushToDmi(pm: PushMethod | undefined): PushMethodMsg | null {
  if (!pm) return null;
  const anomaly = record(field(record(pm), 'anomalyDetection'));
  return {
    http: pm.http ? { hostname: str(pm.http.hostName), port: int(pm.http.port), requestpath: str(pm.http.requestPath), timeout: int(pm.http.timeout) } : null,
    mqtt: pm.mqtt ? { address: str(pm.mqtt.address), topic: str(pm.mqtt.topic), qos: int(pm.mqtt.qos), retained: pm.mqtt.retained === true } : null,
    otel: pm.otel ? { endpointURL: str(pm.otel.endpointURL) } : null,
    dbMethod: reshape(record(pm.dbMethod), DB_METHOD, true) ?? null,
    anomalyDetection: anomaly ? encodeCustomized(record(anomaly['data'])) : null,
  };
}

function twinToDmi(t: { value?: string; metadata?: Record<string, string> } | undefined): TwinPropertyMsg {
  return { value: str(t?.value), metadata: { ...t?.metadata } };
}

function propertyToDmi(p: DeviceProperty): DevicePropertyMsg {
  return {
    name: p.name,
    desired: twinToDmi(p.desired),
    visitors: { protocolName: str(p.visitors?.protocolName), configData: encodeCustomized(p.visitors?.configData) },
    reportCycle: int(p.reportCycle),
    collectCycle: int(p.collectCycle),
    reportToCloud: p.reportToCloud === true,
    pushMethod: pushToDmi(p.pushMethod),
  };
}

/** spec.stateReport (KubeEdge 1.2x) wins over the old status.reportCycle/reportToCloud. */
function stateReport(device: Device): { reportCycle: number; reportToCloud: boolean } {
  const src = record((device.spec as Record<string, unknown>)['stateReport']) ?? device.status ?? {};
  return { reportCycle: int(src['reportCycle']), reportToCloud: src['reportToCloud'] === true };
}

/** KubeEdge's ConvertDevice of GetOverriddenDevice: pass the device's model to apply its defaults. */
export function deviceToDmi(device: Device, model?: DeviceModel): DeviceMsg {
  const spec = model ? overrideWithModel(device.spec, model) : device.spec;
  return {
    name: str(device.metadata.name),
    namespace: str(device.metadata.namespace),
    spec: {
      deviceModelReference: str(spec.deviceModelRef?.name),
      protocol: { protocolName: str(spec.protocol?.protocolName), configData: encodeCustomized(spec.protocol?.configData) },
      properties: (spec.properties ?? []).map(propertyToDmi),
      methods: (spec.methods ?? []).map((m) => ({ name: m.name, description: str(m.description), propertyNames: [...(m.propertyNames ?? [])] })),
    },
    status: { twins: [], ...stateReport(device) },
  };
}

/** KubeEdge's ConvertDeviceModel: the protocol fields have no place in the message and are dropped. */
export function modelToDmi(model: DeviceModel): DeviceModelMsg {
  return {
    name: str(model.metadata.name),
    namespace: str(model.metadata.namespace),
    spec: {
      properties: (model.spec.properties ?? []).map((p) => ({
        name: p.name, description: str(p.description), type: str(p.type), accessMode: str(p.accessMode),
        minimum: str(p.minimum), maximum: str(p.maximum), unit: str(p.unit),
      })),
      commands: [],
    },
  };
}

// ---- from the wire: empty strings and zero numbers are "unset" (proto3) and left out ----

function nonEmpty(obj: Record<string, unknown>): boolean {
  return Object.keys(obj).length > 0;
}

/** Drops unset fields; `name` always stays (the types require it). */
function compact<T extends Record<string, unknown>>(obj: T): T {
  for (const k of Object.keys(obj)) {
    const v = obj[k];
    if (v === undefined || (k !== 'name' && (v === '' || v === 0 || v === false))) delete obj[k];
  }
  return obj;
}

function configFromDmi(cv: Parameters<typeof decodeCustomized>[0]): CustomizedValue | undefined {
  const data = decodeCustomized(cv);
  return nonEmpty(data) ? data : undefined;
}

function pushFromDmi(pm: PushMethodMsg | null | undefined): PushMethod | undefined {
  if (!pm) return undefined;
  const out: PushMethod & { anomalyDetection?: { data: CustomizedValue } } = {};
  if (pm.http) out.http = compact({ hostName: pm.http.hostname, port: int(pm.http.port), requestPath: pm.http.requestpath, timeout: int(pm.http.timeout) });
  if (pm.mqtt) out.mqtt = compact({ address: pm.mqtt.address, topic: pm.mqtt.topic, qos: int(pm.mqtt.qos), retained: pm.mqtt.retained === true });
  if (pm.otel) out.otel = compact({ endpointURL: pm.otel.endpointURL });
  const db = reshape(record(pm.dbMethod), DB_METHOD, false);
  if (db && nonEmpty(db)) out.dbMethod = db;
  const anomaly = configFromDmi(pm.anomalyDetection);
  if (anomaly) out.anomalyDetection = { data: anomaly };
  return Object.keys(out).length > 0 ? out : undefined;
}

function propertyFromDmi(p: DevicePropertyMsg): DeviceProperty {
  const out: DeviceProperty = { name: str(p.name) };
  const meta = p.desired?.metadata ?? {};
  if (p.desired && (p.desired.value || nonEmpty(meta))) {
    out.desired = { value: str(p.desired.value), ...(nonEmpty(meta) ? { metadata: { ...meta } } : {}) };
  }
  const configData = configFromDmi(p.visitors?.configData);
  if (p.visitors?.protocolName || configData) {
    out.visitors = compact({ protocolName: p.visitors?.protocolName, configData });
  }
  const pushMethod = pushFromDmi(p.pushMethod);
  return compact({ ...out, reportCycle: int(p.reportCycle), collectCycle: int(p.collectCycle), reportToCloud: p.reportToCloud === true, pushMethod });
}

/** A Device from a DMI message (what a mapper receives), with the wire's defaults left out. */
export function deviceFromDmi(msg: DeviceMsg): Device {
  const spec: DeviceSpec = {};
  const s = msg.spec;
  if (s?.deviceModelReference) spec.deviceModelRef = { name: s.deviceModelReference };
  const configData = configFromDmi(s?.protocol?.configData);
  if (s?.protocol?.protocolName || configData) spec.protocol = compact({ protocolName: s?.protocol?.protocolName, configData });
  if (s?.properties?.length) spec.properties = s.properties.map(propertyFromDmi);
  if (s?.methods?.length) {
    spec.methods = s.methods.map((m) => compact({ name: str(m.name), description: m.description, propertyNames: m.propertyNames?.length ? [...m.propertyNames] : undefined }));
  }
  const device: Device = { apiVersion: DEVICES_API_VERSION, kind: 'Device', metadata: compact({ name: msg.name, namespace: msg.namespace }), spec };
  const reportCycle = int(msg.status?.reportCycle);
  const reportToCloud = msg.status?.reportToCloud === true;
  if (reportCycle || reportToCloud) (spec as Record<string, unknown>)['stateReport'] = compact({ reportCycle, reportToCloud });
  return device;
}

export function modelFromDmi(msg: DeviceModelMsg): DeviceModel {
  const properties = (msg.spec?.properties ?? []).map((p): ModelProperty => compact({
    name: str(p.name),
    description: p.description,
    type: (PropertyTypes as readonly string[]).includes(str(p.type)) ? (p.type as PropertyType) : undefined,
    accessMode: (AccessModes as readonly string[]).includes(str(p.accessMode)) ? (p.accessMode as ModelProperty['accessMode']) : undefined,
    minimum: p.minimum,
    maximum: p.maximum,
    unit: p.unit,
  }));
  return {
    apiVersion: DEVICES_API_VERSION,
    kind: 'DeviceModel',
    metadata: compact({ name: msg.name, namespace: msg.namespace }),
    spec: properties.length ? { properties } : {},
  };
}
