import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Device, DeviceModel, DeviceProperty, ModelProperty } from './devices.js';
import { checkDesiredValue, twinValueType, validateDevice, validateDeviceModel, type FieldError } from './device-validation.js';

const model = (properties: unknown[], name = 'sensor-tag-model'): DeviceModel =>
  ({ metadata: { name, namespace: 'default' }, spec: { properties: properties as ModelProperty[] } });

const sensorModel = model([
  { name: 'temperature', type: 'INT', accessMode: 'ReadWrite', minimum: '-40', maximum: '100' },
  { name: 'ratio', type: 'FLOAT', accessMode: 'ReadWrite', minimum: '0', maximum: '1.5' },
  { name: 'precise', type: 'DOUBLE' },
  { name: 'switch', type: 'BOOLEAN', accessMode: 'ReadWrite' },
  { name: 'label', type: 'STRING', accessMode: 'ReadWrite' },
  { name: 'blob', type: 'BYTES', accessMode: 'ReadWrite' },
  { name: 'humidity', type: 'INT', accessMode: 'ReadOnly' },
]);

const device = (properties: unknown[], extra: Record<string, unknown> = {}): Device => ({
  metadata: { name: 'sensor-tag-01', namespace: 'default' },
  spec: { deviceModelRef: { name: 'sensor-tag-model' }, properties: properties as DeviceProperty[], ...extra },
});

const prop = (name: string, value?: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> =>
  ({ name, ...(value !== undefined ? { desired: { value } } : {}), ...extra });

const fields = (errs: FieldError[]): string[] => errs.map((e) => `${e.field} ${e.reason}`);

describe('twinValueType', () => {
  test('lower-cases the model type; no type is a string', () => {
    assert.deepEqual(['INT', 'FLOAT', 'DOUBLE', 'STRING', 'BOOLEAN', 'BYTES', 'STREAM'].map((t) => twinValueType(t as 'INT')),
      ['int', 'float', 'double', 'string', 'boolean', 'bytes', 'stream']);
    assert.equal(twinValueType(undefined), 'string');
  });
});

describe('checkDesiredValue', () => {
  test('INT takes 64-bit integers only', () => {
    for (const ok of ['0', '-7', '+12', '9223372036854775807', '-9223372036854775808']) assert.equal(checkDesiredValue('INT', ok), undefined, ok);
    for (const bad of ['abc', '1.5', '1e3', ' 1', '', '0x10']) assert.equal(checkDesiredValue('INT', bad), 'must be an integer', bad);
    assert.match(checkDesiredValue('INT', '9223372036854775808') ?? '', /^must be an integer between -9223372036854775808 and 9223372036854775807$/);
  });

  test('FLOAT and DOUBLE take finite decimals; FLOAT must fit a float32', () => {
    for (const ok of ['1', '-1.5', '.5', '2.', '1e10', '6.02E+23']) {
      assert.equal(checkDesiredValue('FLOAT', ok), undefined, ok);
      assert.equal(checkDesiredValue('DOUBLE', ok), undefined, ok);
    }
    for (const bad of ['NaN', 'Inf', 'Infinity', 'abc', '1,5', '0x1p3', '1e400']) {
      assert.equal(checkDesiredValue('FLOAT', bad), 'must be a finite number', bad);
      assert.equal(checkDesiredValue('DOUBLE', bad), 'must be a finite number', bad);
    }
    assert.match(checkDesiredValue('FLOAT', '1e39') ?? '', /^must be a number between -3\.4028234663852886e\+38 and/);
    assert.equal(checkDesiredValue('DOUBLE', '1e39'), undefined);
  });

  test('BOOLEAN is true or false, BYTES is base64, STRING and STREAM take anything', () => {
    assert.equal(checkDesiredValue('BOOLEAN', 'true'), undefined);
    assert.equal(checkDesiredValue('BOOLEAN', 'false'), undefined);
    for (const bad of ['True', '1', 'yes']) assert.equal(checkDesiredValue('BOOLEAN', bad), 'must be "true" or "false"');
    assert.equal(checkDesiredValue('BYTES', 'aGVsbG8='), undefined);
    assert.equal(checkDesiredValue('BYTES', 'aGVsbG8'), 'must be base64-encoded');
    assert.equal(checkDesiredValue('BYTES', 'not base64!'), 'must be base64-encoded');
    for (const t of ['STRING', 'STREAM', undefined] as const) assert.equal(checkDesiredValue(t, 'anything at all'), undefined);
  });

  test('numeric values lie within minimum and maximum; other types ignore bounds', () => {
    assert.equal(checkDesiredValue('INT', '100', '-40', '100'), undefined);
    assert.equal(checkDesiredValue('INT', '-40', '-40', '100'), undefined);
    assert.equal(checkDesiredValue('INT', '150', '-40', '100'), 'must be less than or equal to 100');
    assert.equal(checkDesiredValue('INT', '-41', '-40', '100'), 'must be greater than or equal to -40');
    assert.equal(checkDesiredValue('DOUBLE', '1.6', '0', '1.5'), 'must be less than or equal to 1.5');
    assert.equal(checkDesiredValue('INT', '9223372036854775807', undefined, '9223372036854775806'),
      'must be less than or equal to 9223372036854775806', 'integers compare exactly beyond 2^53');
    assert.equal(checkDesiredValue('INT', '5', '', 'n/a'), undefined, 'empty or non-numeric bounds are ignored');
    assert.equal(checkDesiredValue('STRING', 'zzz', '0', '1'), undefined);
  });
});

describe('validateDeviceModel', () => {
  test('a good model has no errors', () => {
    assert.deepEqual(validateDeviceModel(sensorModel), []);
    assert.deepEqual(validateDeviceModel({ metadata: { name: 'empty' }, spec: {} }), []);
  });

  test('names are required and unique (KubeEdge\'s webhook rule)', () => {
    const errs = validateDeviceModel(model([{ name: 'a' }, { name: '' }, { type: 'INT' }, { name: 'a' }, { name: 7 }]));
    assert.deepEqual(fields(errs), [
      'spec.properties[1].name FieldValueRequired', 'spec.properties[2].name FieldValueRequired',
      'spec.properties[3].name FieldValueDuplicate', 'spec.properties[4].name FieldValueInvalid',
    ]);
    assert.equal(errs[2]?.message, 'Duplicate value: "a": property names must be unique');
  });

  test('type and accessMode come from the CRD enums; absent or empty is allowed', () => {
    const errs = validateDeviceModel(model([{ name: 'a', type: 'int', accessMode: 'WriteOnly' }, { name: 'b', type: '', accessMode: '' }]));
    assert.deepEqual(fields(errs), ['spec.properties[0].type FieldValueNotSupported', 'spec.properties[0].accessMode FieldValueNotSupported']);
    assert.equal(errs[0]?.message,
      'Unsupported value: "int": supported values: "INT", "FLOAT", "DOUBLE", "STRING", "BOOLEAN", "BYTES", "STREAM"');
    assert.equal(errs[1]?.message, 'Unsupported value: "WriteOnly": supported values: "ReadWrite", "ReadOnly"');
  });

  test('numeric types need numeric bounds with minimum <= maximum', () => {
    const errs = validateDeviceModel(model([
      { name: 'a', type: 'INT', minimum: 'low', maximum: '10' },
      { name: 'b', type: 'FLOAT', minimum: '5', maximum: '1' },
      { name: 'c', type: 'DOUBLE', minimum: '1', maximum: '1' },
      { name: 'd', type: 'STRING', minimum: 'x', maximum: 'a' },
      { name: 'e', type: 'INT', maximum: 100 },
    ]));
    assert.deepEqual(fields(errs), [
      'spec.properties[0].minimum FieldValueInvalid', 'spec.properties[1].minimum FieldValueInvalid', 'spec.properties[4].maximum FieldValueInvalid',
    ]);
    assert.equal(errs[0]?.message, 'Invalid value: "low": must be a numeric string for type INT');
    assert.equal(errs[1]?.message, 'Invalid value: "5": must be less than or equal to maximum "1"');
  });

  test('a malformed spec is reported, not thrown', () => {
    const errs = validateDeviceModel({ metadata: { name: 'm' }, spec: { properties: 'temperature' } } as unknown as DeviceModel);
    assert.deepEqual(fields(errs), ['spec.properties FieldValueInvalid']);
    assert.deepEqual(fields(validateDeviceModel(model(['x', null]))),
      ['spec.properties[0] FieldValueInvalid', 'spec.properties[1] FieldValueInvalid']);
    assert.deepEqual(validateDeviceModel({ metadata: {} } as DeviceModel), []);
  });
});

describe('validateDevice', () => {
  test('a good device has no errors (Go clients send desired {value: ""} everywhere)', () => {
    const good = device([
      prop('temperature', '20', { reportCycle: 1000, collectCycle: 0 }), prop('ratio', '0.25'), prop('precise', '-1e-3'),
      prop('switch', 'false'), prop('label', 'anything: at all'), prop('blob', 'AAE='), prop('humidity', ''),
    ], { methods: [{ name: 'set', propertyNames: ['temperature', 'switch'] }] });
    assert.deepEqual(validateDevice(good, sensorModel), []);
    assert.deepEqual(validateDevice(device([]), sensorModel), []);
  });

  test('the model reference is required, and the model must exist', () => {
    const noRef: Device = { metadata: { name: 'd' }, spec: {} };
    const [missing] = validateDevice(noRef, undefined);
    assert.deepEqual(missing, { field: 'spec.deviceModelRef.name', reason: 'FieldValueRequired',
      message: 'Required value: the name of the DeviceModel this device is an instance of' });
    assert.deepEqual(fields(validateDevice({ metadata: { name: 'd' } } as Device, undefined)), ['spec.deviceModelRef.name FieldValueRequired']);
    const [notFound] = validateDevice(device([prop('temperature', '20')]), undefined);
    assert.deepEqual(notFound, { field: 'spec.deviceModelRef.name', reason: 'FieldValueNotFound',
      message: 'Not found: "sensor-tag-model": no DeviceModel "sensor-tag-model" in namespace "default"' });
  });

  test('without a model, the rules that need none still run', () => {
    const errs = validateDevice(device([prop('a', 'x'), prop('a', 'y', { reportCycle: -1 })]), undefined);
    assert.deepEqual(fields(errs), [
      'spec.deviceModelRef.name FieldValueNotFound', 'spec.properties[1].name FieldValueDuplicate', 'spec.properties[1].reportCycle FieldValueInvalid',
    ]);
  });

  test('every property must be defined by the model, once', () => {
    const errs = validateDevice(device([prop('temperature'), prop('pressure'), prop('temperature'), {}]), sensorModel);
    assert.deepEqual(errs, [
      { field: 'spec.properties[1].name', reason: 'FieldValueNotFound', message: 'Not found: "pressure": DeviceModel "sensor-tag-model" has no such property' },
      { field: 'spec.properties[2].name', reason: 'FieldValueDuplicate', message: 'Duplicate value: "temperature": property names must be unique' },
      { field: 'spec.properties[3].name', reason: 'FieldValueRequired', message: 'Required value' },
    ]);
  });

  test('desired values must parse for the model type and lie within its bounds', () => {
    const errs = validateDevice(device([
      prop('temperature', 'hot'), prop('temperature', '150'), prop('ratio', '-0.5'), prop('switch', 'on'), prop('blob', '@@'),
    ]), sensorModel).filter((e) => e.reason !== 'FieldValueDuplicate');
    assert.deepEqual(errs.map((e) => `${e.field}: ${e.message}`), [
      'spec.properties[0].desired.value: Invalid value: "hot": must be an integer (INT property "temperature" of DeviceModel "sensor-tag-model")',
      'spec.properties[1].desired.value: Invalid value: "150": must be less than or equal to 100 (INT property "temperature" of DeviceModel "sensor-tag-model")',
      'spec.properties[2].desired.value: Invalid value: "-0.5": must be greater than or equal to 0 (FLOAT property "ratio" of DeviceModel "sensor-tag-model")',
      'spec.properties[3].desired.value: Invalid value: "on": must be "true" or "false" (BOOLEAN property "switch" of DeviceModel "sensor-tag-model")',
      'spec.properties[4].desired.value: Invalid value: "@@": must be base64-encoded (BYTES property "blob" of DeviceModel "sensor-tag-model")',
    ]);
  });

  test('desired must be an object with a string value', () => {
    const errs = validateDevice(device([
      { name: 'temperature', desired: { value: 20 } }, { name: 'ratio', desired: {} }, { name: 'switch', desired: 'true' },
    ]), sensorModel);
    assert.deepEqual(errs.map((e) => `${e.field}: ${e.message}`), [
      'spec.properties[0].desired.value: Invalid value: 20: must be a string (quote it in YAML)',
      'spec.properties[1].desired.value: Required value',
      'spec.properties[2].desired: Invalid value: "true": must be an object with a value',
    ]);
  });

  test('a ReadOnly property takes no desired value', () => {
    assert.deepEqual(validateDevice(device([prop('humidity', '40')]), sensorModel), [{ field: 'spec.properties[0].desired', reason: 'FieldValueForbidden',
      message: 'Forbidden: a desired value cannot be set on ReadOnly property "humidity" of DeviceModel "sensor-tag-model"' }]);
  });

  test('reportCycle and collectCycle are non-negative integers', () => {
    const errs = validateDevice(device([
      prop('temperature', undefined, { reportCycle: -5 }), prop('ratio', undefined, { collectCycle: 1.5 }),
      prop('label', undefined, { reportCycle: '1000' }), prop('switch', undefined, { reportCycle: 0, collectCycle: 10000 }),
    ]), sensorModel);
    assert.deepEqual(errs.map((e) => `${e.field}: ${e.message}`), [
      'spec.properties[0].reportCycle: Invalid value: -5: must be a non-negative integer (milliseconds)',
      'spec.properties[1].collectCycle: Invalid value: 1.5: must be a non-negative integer (milliseconds)',
      'spec.properties[2].reportCycle: Invalid value: "1000": must be a non-negative integer (milliseconds)',
    ]);
  });

  test('method names are unique and their properties exist in the model', () => {
    const errs = validateDevice(device([], { methods: [
      { name: 'set', propertyNames: ['temperature', 'pressure'] }, { name: 'set' }, { propertyNames: 'temperature' },
    ] }), sensorModel);
    assert.deepEqual(errs.map((e) => `${e.field}: ${e.message}`), [
      'spec.methods[0].propertyNames[1]: Not found: "pressure": DeviceModel "sensor-tag-model" has no such property',
      'spec.methods[1].name: Duplicate value: "set": method names must be unique',
      'spec.methods[2].name: Required value',
      'spec.methods[2].propertyNames: Invalid value: "temperature": must be a list',
    ]);
  });

  test('malformed lists are reported, not thrown', () => {
    const bad = { metadata: { name: 'd' }, spec: { deviceModelRef: { name: 'sensor-tag-model' }, properties: {}, methods: [3] } } as unknown as Device;
    assert.deepEqual(fields(validateDevice(bad, sensorModel)), ['spec.properties FieldValueInvalid', 'spec.methods[0] FieldValueInvalid']);
    const badRef = { metadata: { name: 'd' }, spec: { deviceModelRef: { name: 5 } } } as unknown as Device;
    assert.deepEqual(fields(validateDevice(badRef, undefined)), ['spec.deviceModelRef.name FieldValueInvalid']);
  });
});
