import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { decodeCustomized, type DeviceMsg } from '../../api/dmi/index.js';
import { startFakeMapper } from '../../testing/dmi-fake-mapper.js';
import { device, mapperInfo, modbusModel, startHarness } from './dmi-test-fixture.test.js';

function seedNode(store: Parameters<NonNullable<Parameters<typeof startHarness>[1]>>[0]): void {
  store.upsert('devicemodel', modbusModel());
  store.upsert('devicemodel', { ...modbusModel('virtual-model'), spec: { protocol: 'virtual', properties: [{ name: 'temperature' }] } });
  store.upsert('device', device('sensor-1', { offset: 4 }));
  store.upsert('device', device('sensor-2'));
  store.upsert('device', device('sim-1', { protocol: 'virtual', model: 'virtual-model' }));
  store.upsert('device', device('elsewhere', { node: 'edge-2' }));
}

test('MapperRegister withData answers with this node\'s devices of the protocol and their models', async () => {
  const h = await startHarness({}, seedNode);
  const mapper = await startFakeMapper();
  try {
    const res = await h.client.mapperRegister({ withData: true, mapper: mapperInfo('modbus-mapper', 'modbus', mapper.socket) });
    const names = (res.deviceList ?? []).map((d) => d.name).sort();
    assert.deepEqual(names, ['sensor-1', 'sensor-2']);
    assert.deepEqual((res.modelList ?? []).map((m) => m.name), ['temperature-model']);
    const s1 = res.deviceList?.find((d) => d.name === 'sensor-1') as DeviceMsg;
    assert.equal(s1.spec?.deviceModelReference, 'temperature-model');
    assert.deepEqual(decodeCustomized(s1.spec?.properties?.[0]?.visitors?.configData), { register: 'HoldingRegister', offset: 4, limit: 1, scale: 0.1 });
    const [view] = h.server.mappers();
    assert.equal(view?.name, 'modbus-mapper');
    assert.equal(view?.protocol, 'modbus');
    assert.equal(view?.address, mapper.socket);
    assert.equal(statSync(h.socketPath).mode & 0o777, 0o660);
  } finally {
    await mapper.stop();
    await h.close();
  }
});

test('reports reach devicetwin', async () => {
  const h = await startHarness({}, seedNode);
  try {
    await h.client.reportDeviceStatus({
      deviceName: 'sensor-1', deviceNamespace: 'default',
      reportedDevice: { twins: [{ propertyName: 'temperature', reported: { value: '21.5', metadata: { type: 'float', timestamp: '1700000000000' } }, observedDesired: { value: '' } }] },
    });
    await h.client.reportDeviceStates({ deviceName: 'sensor-1', deviceNamespace: 'default', state: 'ok' });
    assert.deepEqual(h.twins, [{
      namespace: 'default', name: 'sensor-1',
      twins: [{ propertyName: 'temperature', reported: { value: '21.5', metadata: { type: 'float', timestamp: '1700000000000' } }, observedDesired: { value: '', metadata: {} } }],
    }]);
    assert.deepEqual(h.states, [{ namespace: 'default', name: 'sensor-1', state: 'ok' }]);
    assert.equal(h.server.metrics().twinReports, 1);
    assert.equal(h.server.metrics().stateReports, 1);
  } finally {
    await h.close();
  }
});

test('device and model changes in the store reach the mapper of their protocol, in order', async () => {
  const h = await startHarness({}, seedNode);
  const mapper = await startFakeMapper();
  try {
    await h.client.mapperRegister({ withData: true, mapper: mapperInfo('modbus-mapper', 'modbus', mapper.socket) });
    h.store.upsert('device', device('sensor-3', { offset: 7 }));
    const [reg] = await mapper.waitForCalls('RegisterDevice', 1);
    assert.equal(reg?.request['device']?.name, 'sensor-3');
    // Its model came with the registration answer: not sent again.
    assert.equal(mapper.callsOf('CreateDeviceModel').length, 0);

    h.store.upsert('device', { ...device('sensor-3', { offset: 7 }), status: { note: 'status only' } });
    h.store.upsert('device', device('sensor-3', { offset: 8 }));
    const [upd] = await mapper.waitForCalls('UpdateDevice', 1);
    assert.deepEqual(decodeCustomized(upd?.request['device']?.spec?.properties?.[0]?.visitors?.configData)['offset'], 8);

    h.store.delete('device', 'default', 'sensor-3');
    const [rm] = await mapper.waitForCalls('RemoveDevice', 1);
    assert.deepEqual({ ...rm?.request }, { deviceName: 'sensor-3', deviceNamespace: 'default' });
    assert.deepEqual(mapper.calls.map((c) => c.method), ['RegisterDevice', 'UpdateDevice', 'RemoveDevice']);

    // A device of another protocol does not reach this mapper.
    h.store.upsert('device', device('sim-2', { protocol: 'virtual', model: 'virtual-model' }));

    h.store.upsert('devicemodel', modbusModel('pressure-model'));
    await mapper.waitForCalls('CreateDeviceModel', 1);
    h.store.upsert('devicemodel', { ...modbusModel('pressure-model'), spec: { ...modbusModel().spec, properties: [{ name: 'pressure', type: 'INT' }] } });
    await mapper.waitForCalls('UpdateDeviceModel', 1);
    h.store.delete('devicemodel', 'default', 'pressure-model');
    const [rmm] = await mapper.waitForCalls('RemoveDeviceModel', 1);
    assert.deepEqual({ ...rmm?.request }, { modelName: 'pressure-model', modelNamespace: 'default' });
    assert.ok(!mapper.calls.some((c) => c.request['device']?.name === 'sim-2'));
  } finally {
    await mapper.stop();
    await h.close();
  }
});

test('a changed model updates its devices, whose visitor defaults come from it', async () => {
  const h = await startHarness({}, seedNode);
  const mapper = await startFakeMapper();
  try {
    await h.client.mapperRegister({ withData: true, mapper: mapperInfo('modbus-mapper', 'modbus', mapper.socket) });
    const changed = modbusModel();
    changed.spec.properties = [{ name: 'temperature', visitors: { protocolName: 'modbus', configData: { register: 'InputRegister', offset: 2 } } }];
    h.store.upsert('devicemodel', changed);
    await mapper.waitForCalls('UpdateDeviceModel', 1);
    const updates = await mapper.waitForCalls('UpdateDevice', 2);
    const registers = updates.map((u) => decodeCustomized(u.request['device']?.spec?.properties?.[0]?.visitors?.configData)['register']);
    assert.deepEqual(registers, ['InputRegister', 'InputRegister']);
  } finally {
    await mapper.stop();
    await h.close();
  }
});

test('a mapper that registers again replaces its old client', async () => {
  const h = await startHarness({}, seedNode);
  const first = await startFakeMapper();
  const second = await startFakeMapper();
  try {
    await h.client.mapperRegister({ withData: true, mapper: mapperInfo('modbus-mapper', 'modbus', first.socket) });
    await h.client.mapperRegister({ withData: true, mapper: mapperInfo('modbus-mapper-2', 'modbus', second.socket) });
    assert.deepEqual(h.server.mappers().map((m) => [m.name, m.address]), [['modbus-mapper-2', second.socket]]);
    h.store.upsert('device', device('sensor-9'));
    await second.waitForCalls('RegisterDevice', 1);
    assert.equal(first.calls.length, 0);
    assert.ok(h.log.find('mapper replaced').length >= 1);

    // Same name, another protocol: still one registration for that mapper.
    await h.client.mapperRegister({ withData: false, mapper: mapperInfo('modbus-mapper-2', 'virtual', second.socket) });
    assert.deepEqual(h.server.mappers().map((m) => [m.name, m.protocol]), [['modbus-mapper-2', 'virtual']]);
  } finally {
    await first.stop();
    await second.stop();
    await h.close();
  }
});

test('registrations are kept: after a restart, device changes reach a mapper that did not register again', async () => {
  const records: { name: string; protocol: string; address: string; version: string }[] = [];
  const mapperRecords = { load: () => [...records], save: (r: (typeof records)[number]) => { records.push(r); } };
  const mapper = await startFakeMapper();
  const first = await startHarness({ mapperRecords }, seedNode);
  await first.client.mapperRegister({ withData: true, mapper: mapperInfo('modbus-mapper', 'modbus', mapper.socket) });
  await first.close();
  assert.deepEqual(records, [{ name: 'modbus-mapper', protocol: 'modbus', address: mapper.socket, version: 'v1.0.0' }]);
  records.push({ name: 'gone-mapper', protocol: 'opcua', address: '/nonexistent/opcua.sock', version: '' });

  const second = await startHarness({ mapperRecords }, seedNode);
  try {
    assert.deepEqual(second.server.mappers().map((m) => m.name), ['modbus-mapper']);
    second.store.upsert('device', device('sensor-2', { offset: 9 }));
    const [upd] = await mapper.waitForCalls('UpdateDevice', 1);
    assert.equal(upd?.request['device']?.name, 'sensor-2');
  } finally {
    await mapper.stop();
    await second.close();
  }
});

test('GetDevice asks the device\'s mapper for the twins it holds', async () => {
  const h = await startHarness({}, seedNode);
  const mapper = await startFakeMapper();
  try {
    await h.client.mapperRegister({ withData: true, mapper: mapperInfo('modbus-mapper', 'modbus', mapper.socket) });
    mapper.on('GetDevice', (req) => ({
      device: { name: req['deviceName'], namespace: req['deviceNamespace'],
        status: { twins: [{ propertyName: 'temperature', reported: { value: '22.5', metadata: { type: 'float' } } }] } },
    }));
    const twins = await h.server.getDeviceTwins(device('sensor-1'));
    assert.deepEqual(twins, [{ propertyName: 'temperature', reported: { value: '22.5', metadata: { type: 'float' } } }]);
    const call = mapper.calls.find((c) => c.method === 'GetDevice');
    assert.deepEqual(call?.request, { deviceName: 'sensor-1', deviceNamespace: 'default' });
  } finally {
    await mapper.stop();
    await h.close();
  }
});
