// The routes of the mapper's HTTP API (KubeEdge mapper-framework pkg/httpserver: restapi.go paths,
// callback.go handlers, responsetype.go bodies). Bodies keep KubeEdge's JSON names, which are Go's field
// names where its structs have no json tags (Message, Data, DeviceName…). A request becomes a status and a
// body here; failures are ApiRequestErrors, turned into 400/404/405/500 once (KubeEdge answers 500 to all).
import { checkDesiredValue, PropertyTypes, type PropertyType } from '../../api/index.js';
import type { DeviceModelMsg } from '../../api/dmi/index.js';
import type { Reading } from './device-io.js';
import { ApiRequestError, errorMessage, type ApiRequestCode } from './errors.js';
import type { MapperDevice, MapperMethod, MapperProperty } from './types.js';

/** KubeEdge's APIVersion and APIBase. */
export const API_VERSION = 'v1';
export const API_BASE = `/api/${API_VERSION}`;

/** One device as the API sees it (a DeviceRunner): its spec, and driver access serialised with its polls. */
export interface ApiDevice {
  readonly device: MapperDevice;
  /** The last value read, or one read now. */
  latest(property: string): Promise<Reading>;
  write(property: string, value: string): Promise<void>;
}

export interface ApiBackend {
  device(namespace: string, name: string): ApiDevice | undefined;
  /** The model of a registered device. */
  model(namespace: string, name: string): DeviceModelMsg | undefined;
}

export interface ApiContext {
  backend: ApiBackend;
  now: () => number;
}

export interface ApiResponse {
  status: number;
  body: Record<string, unknown>;
}

const STATUS: Readonly<Record<ApiRequestCode, number>> = { bad_request: 400, not_found: 404, method_not_allowed: 405, failed: 500 };

type Params = Record<string, string>;
type Handler = (p: Params, ctx: ApiContext) => Promise<Record<string, unknown>>;

/** restapi.go's routes, after APIBase; ":x" is a path parameter. */
const ROUTES: ReadonlyArray<{ pattern: readonly string[]; handler: Handler }> = [
  { pattern: ['ping'], handler: ping },
  { pattern: ['device', ':namespace', ':name', ':property'], handler: readProperty },
  { pattern: ['devicemethod', ':namespace', ':name'], handler: listMethods },
  { pattern: ['devicemethod', ':namespace', ':name', ':method', ':property', ':data'], handler: writeProperty },
  { pattern: ['meta', 'model', ':namespace', ':name'], handler: deviceModel },
];

/** Serves one request; never throws. `path` is the request target without its query. */
export async function routeRequest(method: string, path: string, ctx: ApiContext): Promise<ApiResponse> {
  try {
    const found = match(path);
    if (!found) throw new ApiRequestError('not_found', `no such API: ${path}`);
    if (method !== 'GET') throw new ApiRequestError('method_not_allowed', `${method} is not allowed on ${path}; use GET`);
    const body = await found.handler(found.params, ctx);
    return { status: 200, body: { ...baseResponse(200, ctx.now), ...body } };
  } catch (err) {
    const status = err instanceof ApiRequestError ? STATUS[err.code] : 500;
    return { status, body: { ...baseResponse(status, ctx.now), Message: errorMessage(err) } };
  }
}

/** KubeEdge's BaseResponse; timeStamp as Go's time.RFC3339 (seconds, here in UTC). */
export function baseResponse(statusCode: number, now: () => number): Record<string, unknown> {
  return { apiVersion: API_VERSION, statusCode, timeStamp: new Date(now()).toISOString().replace(/\.\d{3}Z$/, 'Z') };
}

function match(path: string): { handler: Handler; params: Params } | undefined {
  if (!path.startsWith(`${API_BASE}/`)) return undefined;
  const raw = path.slice(API_BASE.length + 1).split('/');
  for (const { pattern, handler } of ROUTES) {
    if (pattern.length !== raw.length) continue;
    const params: Params = {};
    const ok = pattern.every((want, i) => {
      const seg = raw[i] ?? '';
      if (!want.startsWith(':')) return seg === want;
      // gorilla/mux's {x} matches one non-empty segment.
      if (seg === '') return false;
      params[want.slice(1)] = decodeSegment(seg);
      return true;
    });
    if (ok) return { handler, params };
  }
  return undefined;
}

function decodeSegment(seg: string): string {
  try {
    return decodeURIComponent(seg);
  } catch {
    throw new ApiRequestError('bad_request', `malformed percent-encoding in path segment ${JSON.stringify(seg)}`);
  }
}

async function ping(): Promise<Record<string, unknown>> {
  return { Message: `This is ${API_VERSION} API, the server is running normally.` };
}

/** DataModel: the property's last value read (KubeEdge reads the device on every call). */
async function readProperty(p: Params, ctx: ApiContext): Promise<Record<string, unknown>> {
  const { namespace, name, property } = p as { namespace: string; name: string; property: string };
  const dev = deviceOf(ctx, namespace, name);
  const prop = propertyOf(dev.device, property);
  const reading = await onDevice(() => dev.latest(property), 'Get device data error');
  return {
    Data: { DeviceName: name, PropertyName: property, Namespace: namespace, Value: reading.value, Type: prop.type, TimeStamp: reading.at },
  };
}

/** DataMethod: each method with its call path and its parameters' types (ParseMethodParameter). */
async function listMethods(p: Params, ctx: ApiContext): Promise<Record<string, unknown>> {
  const { namespace, name } = p as { namespace: string; name: string };
  const { device } = deviceOf(ctx, namespace, name);
  const types = new Map(device.properties.map((q) => [q.name, q.type]));
  const Methods = (device.methods ?? []).map((m) => ({
    Name: m.name,
    Description: m.description,
    Path: `${API_BASE}/devicemethod/${[namespace, name, m.name].map(encodeURIComponent).join('/')}/{propertyName}/{data}`,
    Parameters: m.propertyNames.map((n) => {
      const ValueType = types.get(n);
      // As KubeEdge: a method naming a property the device does not have makes the listing fail.
      if (ValueType === undefined) throw new ApiRequestError('failed', `device method ${m.name} names property ${n}, which device ${namespace}/${name} does not have`);
      return { PropertyName: n, ValueType };
    }),
  }));
  return { Data: { Methods } };
}

/** A device method call: `data` written to the property, after every check KubeEdge makes and the value's. */
async function writeProperty(p: Params, ctx: ApiContext): Promise<Record<string, unknown>> {
  const { namespace, name, method, property, data } = p as Record<'namespace' | 'name' | 'method' | 'property' | 'data', string>;
  const dev = deviceOf(ctx, namespace, name);
  const m = methodOf(dev.device, method);
  const prop = propertyOf(dev.device, property);
  if (!m.propertyNames.includes(property)) {
    throw new ApiRequestError('bad_request', `device method ${method} does not write property ${property} (it writes: ${m.propertyNames.join(', ') || 'nothing'})`);
  }
  checkWritable(prop, data);
  await onDevice(() => dev.write(property, data), 'Write device data error');
  return { Message: `Write data ${data} to device ${namespace}/${name} successfully.` };
}

/** KubeEdge's common.DeviceModel (json tags, omitempty), flattened into the response as Go embeds it. */
async function deviceModel(p: Params, ctx: ApiContext): Promise<Record<string, unknown>> {
  const { namespace, name } = p as { namespace: string; name: string };
  const { device } = deviceOf(ctx, namespace, name);
  const model = ctx.backend.model(namespace, name);
  if (!model) throw new ApiRequestError('not_found', `device model ${device.model} of device ${namespace}/${name} not found`);
  const properties = (model.spec?.properties ?? []).map((q) => omitEmpty({
    name: q.name, dataType: q.type, description: q.description, accessMode: q.accessMode, minimum: q.minimum, maximum: q.maximum, unit: q.unit,
  }));
  return omitEmpty({
    id: `${model.namespace ?? ''}/${model.name ?? ''}`, name: model.name, namespace: model.namespace,
    properties: properties.length > 0 ? properties : undefined,
  });
}

function deviceOf(ctx: ApiContext, namespace: string, name: string): ApiDevice {
  const dev = ctx.backend.device(namespace, name);
  if (!dev) throw new ApiRequestError('not_found', `device ${namespace}/${name} not found`);
  return dev;
}

function propertyOf(device: MapperDevice, name: string): MapperProperty {
  const prop = device.properties.find((q) => q.name === name);
  if (!prop) throw new ApiRequestError('not_found', `device ${device.namespace}/${device.name} has no property ${name}`);
  return prop;
}

function methodOf(device: MapperDevice, name: string): MapperMethod {
  const m = device.methods?.find((q) => q.name === name);
  if (!m) throw new ApiRequestError('not_found', `device ${device.namespace}/${device.name} has no method ${name}`);
  return m;
}

/** ReadWrite, and a value of the property's type within its minimum/maximum (the admission rule for desired values). */
function checkWritable(prop: MapperProperty, value: string): void {
  if (prop.accessMode !== 'ReadWrite') throw new ApiRequestError('bad_request', `property ${prop.name} is ReadOnly`);
  const problem = checkDesiredValue(propertyType(prop.type), value, prop.minimum, prop.maximum);
  if (problem) throw new ApiRequestError('bad_request', `value ${JSON.stringify(value)} for property ${prop.name} (${prop.type}) ${problem}`);
}

function propertyType(type: string): PropertyType | undefined {
  const upper = type.toUpperCase();
  return (PropertyTypes as readonly string[]).includes(upper) ? (upper as PropertyType) : undefined;
}

/** A driver failure is a 500 with KubeEdge's wording; the API's own refusals pass through. */
async function onDevice<T>(call: () => Promise<T>, what: string): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof ApiRequestError) throw err;
    throw new ApiRequestError('failed', `${what}: ${errorMessage(err)}`, { cause: err });
  }
}

function omitEmpty(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== ''));
}
