import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deviceToDmi, modelToDmi } from '../../api/dmi/index.js';
import type { Device, DeviceModel } from '../../api/index.js';
import { sameProtocol } from './device-spec.js';
import { buildMapperDevice, DmiRequestError, pushUrl } from './index.js';

const model: DeviceModel = {
  metadata: { name: 'm', namespace: 'ns' },
  spec: {
    properties: [
      { name: 'temp', type: 'FLOAT', accessMode: 'ReadOnly', minimum: '-40', maximum: '85', unit: 'celsius', visitors: { configData: { scale: 1, register: 'InputRegister' } } },
      { name: 'relay', type: 'BOOLEAN', accessMode: 'ReadWrite' },
    ],
  },
};

const device: Device = {
  metadata: { name: 'd', namespace: 'ns' },
  spec: {
    deviceModelRef: { name: 'm' },
    protocol: { protocolName: 'modbus', configData: { ip: '10.0.0.2', port: 502 } },
    properties: [
      {
        name: 'temp', collectCycle: 500, reportCycle: 2000, reportToCloud: true,
        visitors: { protocolName: 'modbus', configData: { offset: 3, scale: 0.5 } },
        pushMethod: { http: { hostName: 'http://10.0.0.9', port: 8080, requestPath: '/ingest', timeout: 1500 }, mqtt: { address: 'tcp://10.0.0.9:1883', topic: 't', qos: 1, retained: true } },
      },
      { name: 'relay', desired: { value: 'true' } },
      { name: 'unknown' },
    ],
    stateReport: { reportToCloud: true, reportCycle: 3000 },
  } as Device['spec'],
};

test('joins the device with its model: types lower-cased, visitors decoded with model defaults, cycles, push', () => {
  const d = buildMapperDevice(deviceToDmi(device, model), modelToDmi(model));
  assert.equal(d.name, 'd');
  assert.equal(d.namespace, 'ns');
  assert.equal(d.model, 'm');
  assert.deepEqual(d.protocol, { protocolName: 'modbus', configData: { ip: '10.0.0.2', port: 502 } });
  assert.deepEqual(d.stateReport, { reportToCloud: true, reportCycleMs: 3000 });
  const [temp, relay, unknown] = d.properties;
  assert.deepEqual(temp, {
    name: 'temp', type: 'float', accessMode: 'ReadOnly', minimum: '-40', maximum: '85', unit: 'celsius',
    visitor: { offset: 3, scale: 0.5, register: 'InputRegister' },
    collectCycleMs: 500, reportCycleMs: 2000, reportToCloud: true,
    pushMethod: {
      http: { hostName: 'http://10.0.0.9', port: 8080, requestPath: '/ingest', timeoutMs: 1500 },
      mqtt: { address: 'tcp://10.0.0.9:1883', topic: 't', qos: 1, retained: true },
    },
  });
  assert.equal(relay?.type, 'boolean');
  assert.equal(relay?.accessMode, 'ReadWrite');
  assert.equal(relay?.desired, 'true');
  assert.equal(relay?.collectCycleMs, 0);
  assert.equal(relay?.reportToCloud, false);
  assert.equal(relay?.pushMethod, undefined);
  assert.deepEqual([unknown?.type, unknown?.accessMode], ['string', 'ReadOnly'], 'a property the model lacks is read-only text');
});

test('methods are carried over; a method listed twice is one, with both property lists', () => {
  const withMethods = {
    ...device,
    spec: {
      ...device.spec,
      methods: [
        { name: 'switch', description: 'relay on/off', propertyNames: ['relay'] },
        { name: 'tune', propertyNames: ['temp', 'relay'] },
        { name: 'switch', propertyNames: ['relay', 'temp'] },
      ],
    },
  };
  assert.deepEqual(buildMapperDevice(deviceToDmi(withMethods, model), modelToDmi(model)).methods, [
    { name: 'switch', description: 'relay on/off', propertyNames: ['relay', 'temp'] },
    { name: 'tune', description: '', propertyNames: ['temp', 'relay'] },
  ]);
  assert.deepEqual(buildMapperDevice(deviceToDmi(device, model), modelToDmi(model)).methods, []);
});

test('a device without a name is refused; protocol changes are detected by value', () => {
  assert.throws(() => buildMapperDevice({ spec: {} }, undefined), DmiRequestError);
  const a = buildMapperDevice(deviceToDmi(device, model), modelToDmi(model));
  const reordered = { ...device, spec: { ...device.spec, protocol: { protocolName: 'modbus', configData: { port: 502, ip: '10.0.0.2' } } } };
  assert.equal(sameProtocol(a, buildMapperDevice(deviceToDmi(reordered, model), modelToDmi(model))), true);
  const moved = { ...device, spec: { ...device.spec, protocol: { protocolName: 'modbus', configData: { ip: '10.0.0.3', port: 502 } } } };
  assert.equal(sameProtocol(a, buildMapperDevice(deviceToDmi(moved, model), modelToDmi(model))), false);
});

test('push URL: KubeEdge hostName carries the scheme; a bare host gets http://', () => {
  assert.equal(pushUrl({ hostName: 'http://10.0.0.9', port: 8080, requestPath: '/ingest' }), 'http://10.0.0.9:8080/ingest');
  assert.equal(pushUrl({ hostName: '10.0.0.9', port: 80, requestPath: 'ingest' }), 'http://10.0.0.9:80/ingest');
  assert.equal(pushUrl({ hostName: 'https://sink.example/', port: 0, requestPath: '' }), 'https://sink.example');
});
