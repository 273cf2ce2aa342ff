import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { KubeObject } from '../../api/index.js';
import { loadBundledCRDs } from '../openapi/index.js';
import { apiError, makeFixture, refs, type Fixture } from './test-fixture.js';

const devices = { group: 'devices.kubeedge.io', resource: 'devices' };
const models = { group: 'devices.kubeedge.io', resource: 'devicemodels' };

function sensorModel(maximum = '100'): KubeObject {
  return {
    apiVersion: 'devices.kubeedge.io/v1beta1', kind: 'DeviceModel', metadata: { name: 'sensor-tag-model' },
    spec: { protocol: 'modbus', properties: [{ name: 'temperature', type: 'INT', accessMode: 'ReadWrite', maximum }] },
  };
}

function sensor(name: string, properties: unknown[], modelName = 'sensor-tag-model'): KubeObject {
  return {
    apiVersion: 'devices.kubeedge.io/v1beta1', kind: 'Device', metadata: { name },
    spec: { deviceModelRef: { name: modelName }, nodeName: 'edge-1', properties },
  };
}

const temperature = (value: string): Record<string, unknown> =>
  ({ name: 'temperature', desired: { value }, collectCycle: 1000, reportCycle: 1000, reportToCloud: true });

describe('device admission', () => {
  let f: Fixture;
  beforeEach(() => {
    f = makeFixture();
    // The CRDs the control plane installs at start, from deploy/crds.
    for (const crd of loadBundledCRDs().filter((c) => c.spec && (c.spec as { group?: string }).group === 'devices.kubeedge.io')) {
      f.api.create(refs.crds, '', crd);
    }
  });
  afterEach(() => f.close());

  const stored = (name: string): boolean => f.store.get('devices.kubeedge.io/devices', 'default', name) !== undefined;

  function refused(fn: () => unknown): { message: string; causes: unknown } {
    const err = apiError(fn);
    assert.equal(err.code, 422);
    assert.equal(err.reason, 'Invalid');
    assert.equal(err.details?.kind, 'Device');
    assert.equal(err.details?.group, 'devices.kubeedge.io');
    return { message: err.message, causes: err.details?.causes };
  }

  test('a valid device is stored', () => {
    f.api.create(models, 'default', sensorModel());
    const created = f.api.create(devices, 'default', sensor('sensor-01', [temperature('20')]));
    assert.equal(created.metadata.name, 'sensor-01');
    assert.ok(stored('sensor-01'));
  });

  test('an unknown model is refused and nothing is stored', () => {
    const { message, causes } = refused(() => f.api.create(devices, 'default', sensor('sensor-01', [temperature('20')], 'ghost')));
    assert.equal(message, 'Device.devices.kubeedge.io "sensor-01" is invalid: spec.deviceModelRef.name: Not found: "ghost": no DeviceModel "ghost" in namespace "default"');
    assert.deepEqual(causes, [{ field: 'spec.deviceModelRef.name', reason: 'FieldValueNotFound',
      message: 'Not found: "ghost": no DeviceModel "ghost" in namespace "default"' }]);
    assert.equal(stored('sensor-01'), false);
  });

  test('the model is looked up in the device\'s namespace', () => {
    f.api.create(refs.namespaces, '', { metadata: { name: 'plant' } });
    f.api.create(models, 'plant', sensorModel());
    const { message } = refused(() => f.api.create(devices, 'default', sensor('sensor-01', [])));
    assert.match(message, /no DeviceModel "sensor-tag-model" in namespace "default"$/);
    f.api.create(devices, 'plant', sensor('sensor-01', []));
  });

  test('a property not in the model is refused', () => {
    f.api.create(models, 'default', sensorModel());
    const { message } = refused(() => f.api.create(devices, 'default', sensor('sensor-01', [{ name: 'humidity' }])));
    assert.equal(message, 'Device.devices.kubeedge.io "sensor-01" is invalid: spec.properties[0].name: Not found: "humidity": DeviceModel "sensor-tag-model" has no such property');
    assert.equal(stored('sensor-01'), false);
  });

  test('a bad INT value and an out-of-range value are refused, with every cause', () => {
    f.api.create(models, 'default', sensorModel());
    const { message, causes } = refused(() => f.api.create(devices, 'default', sensor('sensor-01', [temperature('warm')])));
    assert.equal(message, 'Device.devices.kubeedge.io "sensor-01" is invalid: spec.properties[0].desired.value: Invalid value: "warm": must be an integer (INT property "temperature" of DeviceModel "sensor-tag-model")');
    assert.deepEqual(causes, [{ field: 'spec.properties[0].desired.value', reason: 'FieldValueInvalid',
      message: 'Invalid value: "warm": must be an integer (INT property "temperature" of DeviceModel "sensor-tag-model")' }]);
    const range = refused(() => f.api.create(devices, 'default', sensor('sensor-01', [temperature('150')])));
    assert.equal(range.message, 'Device.devices.kubeedge.io "sensor-01" is invalid: spec.properties[0].desired.value: Invalid value: "150": must be less than or equal to 100 (INT property "temperature" of DeviceModel "sensor-tag-model")');
    assert.equal(stored('sensor-01'), false);
  });

  test('a dry run is refused the same way', () => {
    f.api.create(models, 'default', sensorModel());
    refused(() => f.api.create(devices, 'default', sensor('sensor-01', [temperature('x')]), { dryRun: true }));
    f.api.create(devices, 'default', sensor('sensor-01', [temperature('1')]), { dryRun: true });
    assert.equal(stored('sensor-01'), false);
  });

  test('update, patch and apply to a bad value are refused and the stored device is kept', () => {
    f.api.create(models, 'default', sensorModel());
    const created = f.api.create(devices, 'default', sensor('sensor-01', [temperature('20')]));
    const { message } = refused(() => f.api.patch(devices, 'default', 'sensor-01', 'json',
      JSON.stringify([{ op: 'replace', path: '/spec/properties/0/desired/value', value: '500' }])));
    assert.match(message, /^Device\.devices\.kubeedge\.io "sensor-01" is invalid: spec\.properties\[0\]\.desired\.value: Invalid value: "500": must be less than or equal to 100/);
    refused(() => f.api.patch(devices, 'default', 'sensor-01', 'merge', { spec: { properties: [temperature('abc')] } }));
    refused(() => f.api.update(devices, 'default', 'sensor-01', { ...created, spec: { ...created.spec as object, properties: [temperature('1.5')] } }));
    refused(() => f.api.patch(devices, 'default', 'sensor-01', 'apply', sensor('sensor-01', [temperature('-')]), { fieldManager: 'kubectl', force: true }));
    const kept = f.api.get(devices, 'default', 'sensor-01');
    assert.equal(kept.metadata.resourceVersion, created.metadata.resourceVersion);
    const patched = f.api.patch(devices, 'default', 'sensor-01', 'json',
      JSON.stringify([{ op: 'replace', path: '/spec/properties/0/desired/value', value: '42' }]));
    assert.deepEqual((patched.spec as { properties: Array<{ desired: unknown }> }).properties[0]?.desired, { value: '42' });
  });

  test('apply creating a bad device is refused', () => {
    const { message } = refused(() => f.api.patch(devices, 'default', 'sensor-02', 'apply', sensor('sensor-02', []), { fieldManager: 'kubectl' }));
    assert.match(message, /spec\.deviceModelRef\.name: Not found: "sensor-tag-model"/);
    assert.equal(stored('sensor-02'), false);
  });

  test('a bad model is refused; a model change that invalidates devices is allowed, and they still take metadata updates', () => {
    const dup = sensorModel();
    (dup.spec as { properties: unknown[] }).properties.push({ name: 'temperature', type: 'int' });
    const err = apiError(() => f.api.create(models, 'default', dup));
    assert.equal(err.code, 422);
    assert.equal(err.message, 'DeviceModel.devices.kubeedge.io "sensor-tag-model" is invalid: '
      + 'spec.properties[1].name: Duplicate value: "temperature": property names must be unique, '
      + 'spec.properties[1].type: Unsupported value: "int": supported values: "INT", "FLOAT", "DOUBLE", "STRING", "BOOLEAN", "BYTES", "STREAM"');
    assert.equal(f.store.get('devices.kubeedge.io/devicemodels', 'default', 'sensor-tag-model'), undefined);

    f.api.create(models, 'default', sensorModel());
    f.api.create(devices, 'default', sensor('sensor-01', [temperature('80')]));
    f.api.patch(models, 'default', 'sensor-tag-model', 'merge', { spec: { properties: [{ name: 'temperature', type: 'INT', maximum: '50' }] } });
    const labelled = f.api.patch(devices, 'default', 'sensor-01', 'merge', { metadata: { labels: { room: 'a' } } });
    assert.deepEqual(labelled.metadata.labels, { room: 'a' });
    refused(() => f.api.patch(devices, 'default', 'sensor-01', 'merge', { spec: { nodeName: 'edge-2' } }));
  });
});
