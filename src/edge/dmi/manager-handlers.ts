// DeviceManagerService, the calls mappers make to edgecore (KubeEdge's dmiserver): MapperRegister,
// ReportDeviceStatus, ReportDeviceStates. Each handler validates its request and either answers or
// throws DmiRequestError, which the server turns into the gRPC status the mapper sees.
import { isAbsolute } from 'node:path';
import type { DeviceModelMsg, DeviceMsg, MapperRegisterRequest, MapperRegisterResponse, ReportDeviceStatesRequest, ReportDeviceStatusRequest, TwinMsg } from '../../api/dmi/index.js';
import { deviceToDmi, modelToDmi } from '../../api/dmi/index.js';
import type { Device } from '../../api/index.js';
import type { Logger } from '../../core/index.js';
import { invalidArgument, notFound, resourceExhausted } from './errors.js';
import type { MapperClient } from './mapper-client.js';
import type { MapperRegistry } from './mapper-registry.js';
import { asDevice, keyOf, modelKeyOf, objectKey, type ObjectCache } from './object-cache.js';
import type { RateLimiter } from './rate-limiter.js';
import type { DmiMetrics, DmiObjectStore, DmiReports, ReportedTwin } from './types.js';

/** Linux's sun_path holds 108 bytes with the terminating NUL. */
const MAX_SOCKET_PATH_BYTES = 107;
const MAX_NAME = 253;
const MAX_STATE = 64;

export interface ManagerDeps {
  socketPath: string;
  registry: MapperRegistry;
  cache: ObjectCache;
  store: DmiObjectStore;
  reports: DmiReports;
  reportLimiter: RateLimiter;
  registerLimiter: RateLimiter;
  metrics: DmiMetrics;
  log: Logger;
  now: () => number;
  /** After a registration: keep it, and without data send the mapper every device of its protocol. */
  afterRegister: (client: MapperClient, withData: boolean) => void;
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** The mapper's socket path from MapperInfo.address (bytes; a unix:// prefix is tolerated). */
export function mapperSocketPath(address: unknown): string {
  const raw = address instanceof Uint8Array ? Buffer.from(address).toString('utf8') : text(address);
  const path = raw.startsWith('unix://') ? raw.slice('unix://'.length) : raw.startsWith('unix:') ? raw.slice('unix:'.length) : raw;
  if (path === '') throw invalidArgument('mapper.address is empty: it must be the mapper\'s unix socket path');
  if (path.includes('\0') || !isAbsolute(path)) throw invalidArgument(`mapper.address ${JSON.stringify(path)} is not an absolute unix socket path`);
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH_BYTES) throw invalidArgument(`mapper.address is longer than ${MAX_SOCKET_PATH_BYTES} bytes`);
  return path;
}

function validName(what: string, v: unknown, max = MAX_NAME): string {
  const s = text(v);
  if (s === '') throw invalidArgument(`${what} is empty`);
  if (s.length > max) throw invalidArgument(`${what} is longer than ${max} characters`);
  return s;
}

export function mapperRegister(d: ManagerDeps, req: MapperRegisterRequest): MapperRegisterResponse {
  const m = req.mapper;
  if (!m) throw invalidArgument('MapperRegisterRequest has no mapper');
  if (!d.registerLimiter.allow()) {
    d.metrics.rateLimited++;
    throw resourceExhausted(`too many registrations; mapper ${text(m.name)} may retry shortly`);
  }
  const name = validName('mapper.name', m.name);
  const protocol = validName('mapper.protocol', m.protocol);
  const address = mapperSocketPath(m.address);
  if (address === d.socketPath) throw invalidArgument('mapper.address is edgecore\'s own DMI socket');

  const { client, replaced } = d.registry.register({ name, protocol, address, version: text(m.version), registeredAt: d.now() });
  d.metrics.registrations++;
  for (const old of replaced) d.log.info('mapper replaced', { mapper: old.name, protocol: old.protocol, address: old.address });
  d.log.info('mapper registered', { mapper: name, protocol, address, version: text(m.version), withData: req.withData === true });

  const res: MapperRegisterResponse = req.withData ? devicesOf(d, client) : {};
  d.afterRegister(client, req.withData === true);
  return res;
}

/** This node's devices of the mapper's protocol and their models, as the mapper will see them. */
function devicesOf(d: ManagerDeps, client: MapperClient): MapperRegisterResponse {
  const deviceList: DeviceMsg[] = [];
  const models = new Map<string, DeviceModelMsg>();
  for (const dev of d.cache.devicesOfProtocol(client.id.protocol)) {
    const key = objectKey(dev);
    const model = d.cache.modelOf(dev);
    if (modelKeyOf(dev) !== undefined && !model) {
      // KubeEdge skips these too; the device goes out when its model arrives.
      d.log.info('device waits for its model', { device: key, model: dev.spec.deviceModelRef?.name });
      d.cache.pending.add(key);
      continue;
    }
    try {
      deviceList.push(deviceToDmi(dev, model));
      if (model) {
        models.set(objectKey(model), modelToDmi(model));
        client.knownModels.add(objectKey(model));
      }
      d.cache.pending.delete(key);
    } catch (err) {
      d.log.warn('device not sent to mapper', { device: key, error: String(err) });
    }
  }
  return { deviceList, modelList: [...models.values()] };
}

function knownDevice(d: ManagerDeps, what: string, name: unknown, namespace: unknown): Device {
  const n = validName(`${what}: deviceName`, name);
  const ns = text(namespace) || 'default';
  const dev = d.cache.device(keyOf(ns, n)) ?? asDevice(d.store.get('device', ns, n));
  if (!dev) throw notFound(`${what}: device ${ns}/${n} is not on this node`);
  return dev;
}

function twinOf(t: TwinMsg, i: number): ReportedTwin {
  const propertyName = text(t.propertyName);
  if (!propertyName) throw invalidArgument(`twins[${i}] has no propertyName`);
  if (!t.reported) throw invalidArgument(`twin ${propertyName} has no reported value`);
  const out: ReportedTwin = { propertyName, reported: { value: text(t.reported.value), metadata: { ...t.reported.metadata } } };
  if (t.observedDesired) out.observedDesired = { value: text(t.observedDesired.value), metadata: { ...t.observedDesired.metadata } };
  return out;
}

export function reportDeviceStatus(d: ManagerDeps, req: ReportDeviceStatusRequest): Record<string, never> {
  if (!d.reportLimiter.allow()) {
    d.metrics.rateLimited++;
    throw resourceExhausted(`too many reports; device ${text(req.deviceName)} may report again shortly`);
  }
  const dev = knownDevice(d, 'ReportDeviceStatus', req.deviceName, req.deviceNamespace);
  const twins = (req.reportedDevice?.twins ?? []).map(twinOf);
  if (twins.length === 0) throw invalidArgument(`ReportDeviceStatus for ${objectKey(dev)} carries no twins`);
  d.reports.reportTwins(dev.metadata.namespace ?? 'default', dev.metadata.name ?? '', twins);
  d.metrics.twinReports++;
  return {};
}

export function reportDeviceStates(d: ManagerDeps, req: ReportDeviceStatesRequest): Record<string, never> {
  if (!d.reportLimiter.allow()) {
    d.metrics.rateLimited++;
    throw resourceExhausted(`too many reports; device ${text(req.deviceName)} may report again shortly`);
  }
  const dev = knownDevice(d, 'ReportDeviceStates', req.deviceName, req.deviceNamespace);
  const state = validName(`ReportDeviceStates for ${objectKey(dev)}: state`, req.state, MAX_STATE);
  d.reports.reportState(dev.metadata.namespace ?? 'default', dev.metadata.name ?? '', state);
  d.metrics.stateReports++;
  return {};
}
