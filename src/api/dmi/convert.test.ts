import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MethodDefinition } from '@grpc/grpc-js';
import type { Device, DeviceModel } from '../devices.js';
import { decodeCustomized } from './any.js';
import { deviceFromDmi, deviceToDmi, modelFromDmi, modelToDmi, overrideWithModel } from './convert.js';
import type { DeviceMsg, RegisterDeviceRequest, CreateDeviceModelRequest } from './messages.js';
import { loadDmiServices } from './proto.js';

// A Modbus temperature sensor as a KubeEdge user writes it: the model carries visitor defaults, the
// device overrides one key and adds its own.
const model: DeviceModel = {
  apiVersion: 'devices.kubeedge.io/v1beta1',
  kind: 'DeviceModel',
  metadata: { name: 'temperature-model', namespace: 'default' },
  spec: {
    protocol: 'modbus',
    protocolConfigData: { slaveID: 1, timeout: 3 },
    properties: [
      {
        name: 'temperature', description: 'celsius', type: 'FLOAT', accessMode: 'ReadOnly', minimum: '-40', maximum: '125', unit: '°C',
        visitors: { protocolName: 'modbus', configData: { register: 'HoldingRegister', offset: 2, limit: 1, scale: 0.1, isSwap: false } },
      },
      { name: 'enable', type: 'BOOLEAN', accessMode: 'ReadWrite' },
    ],
  },
};

const device: Device = {
  apiVersion: 'devices.kubeedge.io/v1beta1',
  kind: 'Device',
  metadata: { name: 'sensor-1', namespace: 'default', uid: 'u-1' },
  spec: {
    deviceModelRef: { name: 'temperature-model' },
    nodeName: 'edge-1',
    protocol: { protocolName: 'modbus', configData: { ip: '127.0.0.1', port: 5020, slaveID: 3 } },
    properties: [
      {
        name: 'temperature',
        visitors: { configData: { offset: 4 } },
        reportCycle: 10000, collectCycle: 2000, reportToCloud: true,
        pushMethod: { http: { hostName: 'http://127.0.0.1', port: 8080, requestPath: '/api/v1/push', timeout: 1000 } },
      },
      {
        name: 'enable',
        desired: { value: 'true', metadata: { type: 'boolean' } },
        visitors: { protocolName: 'modbus', configData: { register: 'CoilRegister', offset: 0, limit: 1 } },
        pushMethod: { mqtt: { address: 'tcp://127.0.0.1:1883', topic: 'enable', qos: 1, retained: true } },
      },
    ],
    methods: [{ name: 'setEnable', description: 'switch', propertyNames: ['enable'] }],
  },
};
(device.spec as Record<string, unknown>)['stateReport'] = { reportCycle: 5000, reportToCloud: true };

test('deviceToDmi applies the model visitor defaults under the device visitors (GetOverriddenDevice)', () => {
  const msg = deviceToDmi(device, model);
  assert.equal(msg.name, 'sensor-1');
  assert.equal(msg.namespace, 'default');
  assert.equal(msg.spec?.deviceModelReference, 'temperature-model');
  assert.equal(msg.spec?.protocol?.protocolName, 'modbus');
  assert.deepEqual(decodeCustomized(msg.spec?.protocol?.configData), { ip: '127.0.0.1', port: 5020, slaveID: 3, timeout: 3 });
  const [temp, enable] = msg.spec?.properties ?? [];
  assert.equal(temp?.visitors?.protocolName, 'modbus');
  assert.deepEqual(decodeCustomized(temp?.visitors?.configData), { register: 'HoldingRegister', offset: 4, limit: 1, scale: 0.1, isSwap: false });
  assert.deepEqual(decodeCustomized(enable?.visitors?.configData), { register: 'CoilRegister', offset: 0, limit: 1 });
  assert.equal(temp?.reportCycle, 10000);
  assert.equal(temp?.collectCycle, 2000);
  assert.equal(temp?.reportToCloud, true);
  assert.deepEqual(temp?.pushMethod?.http, { hostname: 'http://127.0.0.1', port: 8080, requestpath: '/api/v1/push', timeout: 1000 });
  assert.deepEqual(enable?.pushMethod?.mqtt, { address: 'tcp://127.0.0.1:1883', topic: 'enable', qos: 1, retained: true });
  assert.deepEqual(enable?.desired, { value: 'true', metadata: { type: 'boolean' } });
  assert.deepEqual(msg.spec?.methods, [{ name: 'setEnable', description: 'switch', propertyNames: ['enable'] }]);
  assert.deepEqual(msg.status, { twins: [], reportCycle: 5000, reportToCloud: true });
});

test('deviceToDmi always sets the nested messages Go mappers dereference', () => {
  const bare: Device = { metadata: { name: 'd', namespace: 'ns' }, spec: { properties: [{ name: 'p' }] } };
  const msg = deviceToDmi(bare);
  const p = msg.spec?.properties?.[0];
  assert.deepEqual(p?.desired, { value: '', metadata: {} });
  assert.deepEqual(p?.visitors, { protocolName: '', configData: { data: {} } });
  assert.deepEqual(msg.spec?.protocol, { protocolName: '', configData: { data: {} } });
  assert.deepEqual(msg.status, { twins: [], reportCycle: 0, reportToCloud: false });
  assert.equal(p?.pushMethod, null);
});

test('overrideWithModel does not touch its inputs and fills a missing protocol name from the model', () => {
  const before = JSON.stringify(device);
  const spec = overrideWithModel({ ...device.spec, protocol: {} }, model);
  assert.equal(spec.protocol?.protocolName, 'modbus');
  assert.deepEqual(spec.protocol?.configData, { slaveID: 1, timeout: 3 });
  assert.equal(JSON.stringify(device), before);
});

test('old status fields give the state report settings when spec.stateReport is absent', () => {
  const old: Device = { metadata: { name: 'd' }, spec: {}, status: { reportCycle: 7000, reportToCloud: true } };
  assert.deepEqual(deviceToDmi(old).status, { twins: [], reportCycle: 7000, reportToCloud: true });
});

test('dbMethod keeps its fields under the proto names (TDEngine → tdengine, dbName → dbname) and back', () => {
  const d: Device = {
    metadata: { name: 'd', namespace: 'default' },
    spec: {
      properties: [{
        name: 'p',
        pushMethod: { dbMethod: { TDEngine: { TDEngineClientConfig: { addr: '127.0.0.1:6041', dbName: 'db1' } }, influxdb2: {
          influxdb2ClientConfig: { url: 'http://i', org: 'o', bucket: 'b' }, influxdb2DataConfig: { measurement: 'm', tag: { a: 'b' }, fieldKey: 'f' },
        } } },
      }],
    },
  };
  const msg = deviceToDmi(d);
  assert.deepEqual(msg.spec?.properties?.[0]?.pushMethod?.dbMethod, {
    tdengine: { tdEngineClientConfig: { addr: '127.0.0.1:6041', dbname: 'db1' } },
    influxdb2: { influxdb2ClientConfig: { url: 'http://i', org: 'o', bucket: 'b' }, influxdb2DataConfig: { measurement: 'm', tag: { a: 'b' }, fieldKey: 'f' } },
  });
  assert.deepEqual(deviceFromDmi(msg).spec.properties?.[0]?.pushMethod, d.spec.properties?.[0]?.pushMethod);
});

test('modelToDmi keeps the property facts and drops the protocol fields', () => {
  assert.deepEqual(modelToDmi(model), {
    name: 'temperature-model',
    namespace: 'default',
    spec: {
      properties: [
        { name: 'temperature', description: 'celsius', type: 'FLOAT', accessMode: 'ReadOnly', minimum: '-40', maximum: '125', unit: '°C' },
        { name: 'enable', description: '', type: 'BOOLEAN', accessMode: 'ReadWrite', minimum: '', maximum: '', unit: '' },
      ],
      commands: [],
    },
  });
});

function wireTrip<T>(method: 'RegisterDevice' | 'CreateDeviceModel', request: T): T {
  const def = loadDmiServices().DeviceMapperService.service[method] as MethodDefinition<T, unknown>;
  return def.requestDeserialize(def.requestSerialize(request));
}

test('a device survives the wire and comes back as the overridden device', () => {
  const got = wireTrip<RegisterDeviceRequest>('RegisterDevice', { device: deviceToDmi(device, model) });
  const back = deviceFromDmi(got.device as DeviceMsg);
  const overridden = overrideWithModel(device.spec, model);
  assert.deepEqual(back.metadata, { name: 'sensor-1', namespace: 'default' });
  assert.deepEqual(back.spec.deviceModelRef, { name: 'temperature-model' });
  assert.deepEqual(back.spec.protocol, overridden.protocol);
  assert.deepEqual(back.spec.methods, device.spec.methods);
  assert.deepEqual(back.spec.properties, overridden.properties);
  assert.deepEqual((back.spec as Record<string, unknown>)['stateReport'], { reportCycle: 5000, reportToCloud: true });
});

test('a model survives the wire', () => {
  const got = wireTrip<CreateDeviceModelRequest>('CreateDeviceModel', { model: modelToDmi(model) });
  const back = modelFromDmi(got.model ?? {});
  assert.deepEqual(back.metadata, { name: 'temperature-model', namespace: 'default' });
  assert.deepEqual(back.spec.properties, model.spec.properties?.map(({ visitors: _v, ...p }) => p));
});

test('deviceFromDmi of an all-defaults message is a clean device', () => {
  const got = wireTrip<RegisterDeviceRequest>('RegisterDevice', { device: { name: 'x', namespace: 'ns' } });
  assert.deepEqual(deviceFromDmi(got.device ?? {}), {
    apiVersion: 'devices.kubeedge.io/v1beta1', kind: 'Device', metadata: { name: 'x', namespace: 'ns' }, spec: {},
  });
  assert.deepEqual(modelFromDmi({}).spec, {});
});
