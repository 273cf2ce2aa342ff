// Admission rules for Device and DeviceModel (devices.kubeedge.io/v1beta1). KubeEdge's admission webhook
// only refuses duplicate property names (in a model and in a device); the other rules catch here what the
// edge and the mappers would otherwise fail on later, far from the user: a missing model, properties the
// model does not define, and desired values that do not parse for the property's type (the mapper
// framework's strconv.ParseInt / ParseFloat(32|64) / ParseBool) or lie outside its minimum/maximum.
// Pure functions over objects that may be malformed (no schema validation runs before them), so nothing
// here trusts a field's type. Errors are Kubernetes StatusCauses: message = the field error body.
import { AccessModes, PropertyTypes, type Device, type DeviceModel, type PropertyType } from './devices.js';

export type FieldErrorReason =
  | 'FieldValueInvalid' | 'FieldValueNotFound' | 'FieldValueRequired' | 'FieldValueDuplicate'
  | 'FieldValueNotSupported' | 'FieldValueForbidden';
export type FieldError = { field: string; reason: FieldErrorReason; message: string };

/** Renders a bad value the way Kubernetes quotes it: strings quoted, numbers bare, structures as JSON. */
const quote = (value: unknown): string => (value === undefined ? 'null' : JSON.stringify(value));
const detailed = (body: string, detail?: string): string => (detail ? `${body}: ${detail}` : body);

const fieldError = {
  required: (field: string, detail?: string): FieldError =>
    ({ field, reason: 'FieldValueRequired', message: detailed('Required value', detail) }),
  invalid: (field: string, value: unknown, detail: string): FieldError =>
    ({ field, reason: 'FieldValueInvalid', message: detailed(`Invalid value: ${quote(value)}`, detail) }),
  notFound: (field: string, value: unknown, detail?: string): FieldError =>
    ({ field, reason: 'FieldValueNotFound', message: detailed(`Not found: ${quote(value)}`, detail) }),
  duplicate: (field: string, value: unknown, detail?: string): FieldError =>
    ({ field, reason: 'FieldValueDuplicate', message: detailed(`Duplicate value: ${quote(value)}`, detail) }),
  notSupported: (field: string, value: unknown, supported: readonly string[]): FieldError => ({
    field, reason: 'FieldValueNotSupported',
    message: `Unsupported value: ${quote(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
  }),
  forbidden: (field: string, detail: string): FieldError =>
    ({ field, reason: 'FieldValueForbidden', message: `Forbidden: ${detail}` }),
} as const;

// ---- values ----------------------------------------------------------------------------------------

const intPattern = /^[+-]?\d+$/;
const decimalPattern = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;
/** Largest float32; the mapper framework parses FLOAT with ParseFloat(v, 32), which fails beyond it. */
const float32Max = 3.4028234663852886e38;
const numericTypes: readonly PropertyType[] = ['INT', 'FLOAT', 'DOUBLE'];

/** A finite decimal number (no Inf, NaN or hex), or undefined. */
function parseDecimal(text: string): number | undefined {
  if (!decimalPattern.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** Orders two decimal strings; integers are compared exactly (int64 values exceed a double's precision). */
function compareDecimal(a: string, b: string): number {
  if (intPattern.test(a) && intPattern.test(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return Math.sign(Number(a) - Number(b));
}

/** The twin metadata type the edge and the mappers use for a model type: INT → "int", ... (absent → "string"). */
export function twinValueType(modelType: PropertyType | undefined): string {
  return (modelType ?? 'STRING').toLowerCase();
}

function typeProblem(type: PropertyType | undefined, value: string): string | undefined {
  switch (type) {
    case 'INT': {
      if (!intPattern.test(value)) return 'must be an integer';
      const n = BigInt(value);
      return n < int64Min || n > int64Max ? `must be an integer between ${int64Min} and ${int64Max}` : undefined;
    }
    case 'FLOAT': {
      const n = parseDecimal(value);
      if (n === undefined) return 'must be a finite number';
      return Math.abs(n) > float32Max ? `must be a number between -${float32Max} and ${float32Max}` : undefined;
    }
    case 'DOUBLE':
      return parseDecimal(value) === undefined ? 'must be a finite number' : undefined;
    case 'BOOLEAN':
      return value === 'true' || value === 'false' ? undefined : 'must be "true" or "false"';
    case 'BYTES':
      return base64Pattern.test(value) ? undefined : 'must be base64-encoded';
    default:
      return undefined; // STRING, STREAM, or no type: any text
  }
}

/**
 * Whether `value` is a valid value of a property of `type` within its minimum/maximum (bounds apply to
 * INT, FLOAT and DOUBLE; an empty or non-numeric bound is ignored). Returns what is wrong, or undefined.
 */
export function checkDesiredValue(type: PropertyType | undefined, value: string, minimum?: string, maximum?: string): string | undefined {
  const problem = typeProblem(type, value);
  if (problem || type === undefined || !numericTypes.includes(type)) return problem;
  if (minimum && parseDecimal(minimum) !== undefined && compareDecimal(value, minimum) < 0) {
    return `must be greater than or equal to ${minimum}`;
  }
  if (maximum && parseDecimal(maximum) !== undefined && compareDecimal(value, maximum) > 0) {
    return `must be less than or equal to ${maximum}`;
  }
  return undefined;
}

// ---- shapes ----------------------------------------------------------------------------------------

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Go clients omit empty strings; YAML users write `type: ""`. Both mean "not set". */
const isSet = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

/** The objects of a list field; a non-list, or a non-object item, is reported and skipped. */
function itemsAt(value: unknown, field: string, errs: FieldError[]): Array<{ item: Rec; path: string }> {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    errs.push(fieldError.invalid(field, value, 'must be a list'));
    return [];
  }
  const out: Array<{ item: Rec; path: string }> = [];
  value.forEach((item: unknown, i) => {
    const path = `${field}[${i}]`;
    if (isRec(item)) out.push({ item, path });
    else errs.push(fieldError.invalid(path, item, 'must be an object'));
  });
  return out;
}

/** A required, unique name; returns it when usable. `seen` collects the names met so far. */
function uniqueName(value: unknown, field: string, seen: Set<string>, errs: FieldError[], what: string): string | undefined {
  if (!isSet(value)) {
    errs.push(fieldError.required(field));
    return undefined;
  }
  if (typeof value !== 'string') {
    errs.push(fieldError.invalid(field, value, 'must be a string'));
    return undefined;
  }
  if (seen.has(value)) errs.push(fieldError.duplicate(field, value, `${what} names must be unique`));
  seen.add(value);
  return value;
}

function oneOf(value: unknown, field: string, allowed: readonly string[], errs: FieldError[]): void {
  if (isSet(value) && !allowed.includes(value as string)) errs.push(fieldError.notSupported(field, value, allowed));
}

// ---- DeviceModel -----------------------------------------------------------------------------------

function validateBounds(p: Rec, path: string, errs: FieldError[]): void {
  if (!numericTypes.includes(p.type as PropertyType)) return;
  let numeric = true;
  for (const key of ['minimum', 'maximum'] as const) {
    const bound = p[key];
    if (!isSet(bound)) continue;
    if (typeof bound !== 'string' || parseDecimal(bound) === undefined) {
      errs.push(fieldError.invalid(`${path}.${key}`, bound, `must be a numeric string for type ${String(p.type)}`));
      numeric = false;
    }
  }
  const { minimum, maximum } = p;
  if (numeric && typeof minimum === 'string' && typeof maximum === 'string' && isSet(minimum) && isSet(maximum) &&
    compareDecimal(minimum, maximum) > 0) {
    errs.push(fieldError.invalid(`${path}.minimum`, minimum, `must be less than or equal to maximum ${JSON.stringify(maximum)}`));
  }
}

/** Property names present and unique, type and accessMode from the CRD's enums, numeric bounds in order. */
export function validateDeviceModel(model: DeviceModel): FieldError[] {
  const errs: FieldError[] = [];
  const spec: unknown = (model as { spec?: unknown }).spec;
  const seen = new Set<string>();
  for (const { item, path } of itemsAt(isRec(spec) ? spec.properties : undefined, 'spec.properties', errs)) {
    uniqueName(item.name, `${path}.name`, seen, errs, 'property');
    oneOf(item.type, `${path}.type`, PropertyTypes, errs);
    oneOf(item.accessMode, `${path}.accessMode`, AccessModes, errs);
    validateBounds(item, path, errs);
  }
  return errs;
}

// ---- Device ----------------------------------------------------------------------------------------

/** What a device's checks need to know of its model. */
interface ModelView {
  name: string;
  properties: Map<string, Rec>;
}

function modelView(model: DeviceModel): ModelView {
  const props: unknown = isRec(model.spec) ? model.spec.properties : undefined;
  const properties = new Map<string, Rec>();
  for (const p of Array.isArray(props) ? props : []) {
    if (isRec(p) && typeof p.name === 'string') properties.set(p.name, p);
  }
  return { name: model.metadata.name ?? '', properties };
}

function validateDesired(desired: unknown, path: string, propName: string, mp: Rec, model: ModelView, errs: FieldError[]): void {
  if (desired === undefined || desired === null) return;
  if (!isRec(desired)) {
    errs.push(fieldError.invalid(`${path}.desired`, desired, 'must be an object with a value'));
    return;
  }
  const { value } = desired;
  if (value === undefined || value === null) {
    errs.push(fieldError.required(`${path}.desired.value`));
    return;
  }
  if (typeof value !== 'string') {
    errs.push(fieldError.invalid(`${path}.desired.value`, value, 'must be a string (quote it in YAML)'));
    return;
  }
  // Go clients always send `desired: {value: ""}` (the field is not a pointer): empty means no desired value.
  if (value === '') return;
  const type = PropertyTypes.includes(mp.type as PropertyType) ? mp.type as PropertyType : undefined;
  const of = `property ${JSON.stringify(propName)} of DeviceModel ${JSON.stringify(model.name)}`;
  if (mp.accessMode === 'ReadOnly') {
    errs.push(fieldError.forbidden(`${path}.desired`, `a desired value cannot be set on ReadOnly ${of}`));
    return;
  }
  const where = `${type ?? 'untyped'} ${of}`;
  const problem = checkDesiredValue(type, value, stringOr(mp.minimum), stringOr(mp.maximum));
  if (problem) errs.push(fieldError.invalid(`${path}.desired.value`, value, `${problem} (${where})`));
}

const stringOr = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function validateCycle(value: unknown, field: string, errs: FieldError[]): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    errs.push(fieldError.invalid(field, value, 'must be a non-negative integer (milliseconds)'));
  }
}

function validateProperties(spec: Rec, model: ModelView | undefined, errs: FieldError[]): void {
  const seen = new Set<string>();
  for (const { item, path } of itemsAt(spec.properties, 'spec.properties', errs)) {
    const name = uniqueName(item.name, `${path}.name`, seen, errs, 'property');
    validateCycle(item.reportCycle, `${path}.reportCycle`, errs);
    validateCycle(item.collectCycle, `${path}.collectCycle`, errs);
    if (name === undefined || !model) continue;
    const mp = model.properties.get(name);
    if (!mp) {
      errs.push(fieldError.notFound(`${path}.name`, name, `DeviceModel ${JSON.stringify(model.name)} has no such property`));
      continue;
    }
    validateDesired(item.desired, path, name, mp, model, errs);
  }
}

/** Method names unique; the properties a method writes exist in the model. */
function validateMethods(spec: Rec, model: ModelView | undefined, errs: FieldError[]): void {
  const seen = new Set<string>();
  for (const { item, path } of itemsAt(spec.methods, 'spec.methods', errs)) {
    uniqueName(item.name, `${path}.name`, seen, errs, 'method');
    const names: unknown = item.propertyNames;
    if (names === undefined || names === null) continue;
    if (!Array.isArray(names)) {
      errs.push(fieldError.invalid(`${path}.propertyNames`, names, 'must be a list'));
      continue;
    }
    names.forEach((n: unknown, i) => {
      const field = `${path}.propertyNames[${i}]`;
      if (typeof n !== 'string') errs.push(fieldError.invalid(field, n, 'must be a string'));
      else if (model && !model.properties.has(n)) {
        errs.push(fieldError.notFound(field, n, `DeviceModel ${JSON.stringify(model.name)} has no such property`));
      }
    });
  }
}

function validateModelRef(spec: Rec, device: Device, model: DeviceModel | undefined, errs: FieldError[]): boolean {
  const ref = spec.deviceModelRef;
  const name: unknown = isRec(ref) ? ref.name : undefined;
  const field = 'spec.deviceModelRef.name';
  if (!isSet(name)) {
    errs.push(fieldError.required(field, 'the name of the DeviceModel this device is an instance of'));
    return false;
  }
  if (typeof name !== 'string') {
    errs.push(fieldError.invalid(field, name, 'must be a string'));
    return false;
  }
  if (model) return true;
  const ns = device.metadata.namespace;
  errs.push(fieldError.notFound(field, name, `no DeviceModel ${JSON.stringify(name)}${ns ? ` in namespace ${JSON.stringify(ns)}` : ''}`));
  return false;
}

/**
 * A Device against its model (`undefined` when the referenced model does not exist). Property and method
 * names must be unique and defined by the model; desired values must suit the model's type, bounds and
 * access mode; cycles are non-negative milliseconds.
 */
export function validateDevice(device: Device, model: DeviceModel | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const spec: unknown = (device as { spec?: unknown }).spec;
  if (!isRec(spec)) {
    errs.push(fieldError.required('spec.deviceModelRef.name', 'the name of the DeviceModel this device is an instance of'));
    return errs;
  }
  const view = validateModelRef(spec, device, model, errs) && model ? modelView(model) : undefined;
  validateProperties(spec, view, errs);
  validateMethods(spec, view, errs);
  return errs;
}
