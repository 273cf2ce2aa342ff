import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { status, type ServiceError } from '@grpc/grpc-js';
import { startFakeMapper } from '../../testing/dmi-fake-mapper.js';
import { device, mapperInfo, modbusModel, startHarness, until } from './dmi-test-fixture.test.js';
import { DmiServer } from './dmi-server.js';
import { DmiSocketError } from './unix-server.js';
import { DmiError } from './errors.js';

async function grpcCode(p: Promise<unknown>): Promise<number | undefined> {
  try {
    await p;
    return status.OK;
  } catch (err) {
    return (err as ServiceError).code;
  }
}

test('a mapper killed mid-call: the call fails and is logged, dmi stays up, the device is re-sent when it registers again', async () => {
  const h = await startHarness({}, (s) => s.upsert('devicemodel', modbusModel()));
  const mapper = await startFakeMapper();
  try {
    await h.client.mapperRegister({ withData: true, mapper: mapperInfo('modbus-mapper', 'modbus', mapper.socket) });
    mapper.on('RegisterDevice', () => new Promise(() => {})); // hangs
    h.store.upsert('device', device('sensor-1'));
    await mapper.waitForCalls('RegisterDevice', 1);
    await mapper.kill();
    await until('the failure to be logged', () => h.log.find('mapper call failed').length > 0);
    const line = h.log.find('mapper call failed')[0];
    assert.equal(line?.['method'], 'RegisterDevice');
    assert.equal(line?.['code'], 'Unavailable');
    assert.equal(h.server.metrics().pendingDevices, 1);
    assert.equal(h.server.mappers()[0]?.state, 'unreachable');

    // Still serving.
    await h.client.reportDeviceStates({ deviceName: 'sensor-1', deviceNamespace: 'default', state: 'offline' });
    assert.equal(h.states.length, 1);

    mapper.on('RegisterDevice', (r) => ({ deviceName: r['device']?.name }));
    await mapper.restart();
    await h.client.mapperRegister({ withData: false, mapper: mapperInfo('modbus-mapper', 'modbus', mapper.socket) });
    const regs = await mapper.waitForCalls('RegisterDevice', 2);
    assert.equal(regs[1]?.request['device']?.name, 'sensor-1');
    // The restarted mapper gets the model before the device.
    assert.deepEqual(mapper.calls.map((c) => c.method), ['CreateDeviceModel', 'RegisterDevice', 'CreateDeviceModel', 'RegisterDevice']);
    await until('the device to be delivered', () => h.server.metrics().pendingDevices === 0);
    assert.equal(h.server.mappers()[0]?.state, 'ready');
  } finally {
    await mapper.stop();
    await h.close();
  }
});

test('a mapper that does not answer: the call ends at its deadline', async () => {
  const h = await startHarness({ callTimeoutMs: 200 }, (s) => s.upsert('devicemodel', modbusModel()));
  const mapper = await startFakeMapper();
  try {
    await h.client.mapperRegister({ withData: true, mapper: mapperInfo('modbus-mapper', 'modbus', mapper.socket) });
    mapper.on('UpdateDevice', () => new Promise(() => {}));
    mapper.on('RegisterDevice', () => new Promise(() => {}));
    h.store.upsert('device', device('sensor-1'));
    await until('the deadline failure', () => h.log.find('mapper call failed').some((l) => l['code'] === 'DeadlineExceeded'));
    assert.equal(h.server.metrics().mapperCallFailures, 1);
  } finally {
    await mapper.stop();
    await h.close();
  }
});

test('a device whose model has not arrived waits for it', async () => {
  const h = await startHarness();
  const mapper = await startFakeMapper();
  try {
    await h.client.mapperRegister({ withData: true, mapper: mapperInfo('modbus-mapper', 'modbus', mapper.socket) });
    h.store.upsert('device', device('sensor-1'));
    await until('the wait to be logged', () => h.log.find('device waits for its model').length > 0);
    assert.equal(mapper.calls.length, 0);
    h.store.upsert('devicemodel', modbusModel());
    await mapper.waitForCalls('RegisterDevice', 1);
    assert.deepEqual(mapper.calls.map((c) => c.method), ['CreateDeviceModel', 'RegisterDevice']);
  } finally {
    await mapper.stop();
    await h.close();
  }
});

test('bad requests get gRPC status codes and the server keeps serving', async () => {
  const h = await startHarness({ rateLimit: { reportBurst: 6, reportsPerSecond: 0.001 } }, (s) => {
    s.upsert('devicemodel', modbusModel());
    s.upsert('device', device('sensor-1'));
  });
  const m = (over: Record<string, unknown>): { withData: boolean; mapper: never } =>
    ({ withData: true, mapper: { ...mapperInfo('m', 'modbus', '/tmp/m.sock'), ...over } as never });
  try {
    assert.equal(await grpcCode(h.client.mapperRegister({ withData: true })), status.INVALID_ARGUMENT);
    assert.equal(await grpcCode(h.client.mapperRegister(m({ name: '' }))), status.INVALID_ARGUMENT);
    assert.equal(await grpcCode(h.client.mapperRegister(m({ protocol: '' }))), status.INVALID_ARGUMENT);
    assert.equal(await grpcCode(h.client.mapperRegister(m({ address: Buffer.from('relative.sock') }))), status.INVALID_ARGUMENT);
    assert.equal(await grpcCode(h.client.mapperRegister(m({ address: Buffer.alloc(0) }))), status.INVALID_ARGUMENT);
    assert.equal(await grpcCode(h.client.mapperRegister(m({ address: Buffer.from(h.socketPath) }))), status.INVALID_ARGUMENT);
    assert.equal(h.server.mappers().length, 0);

    const twin = { propertyName: 'temperature', reported: { value: '1' } };
    assert.equal(await grpcCode(h.client.reportDeviceStatus({ deviceName: 'nope', deviceNamespace: 'default', reportedDevice: { twins: [twin] } })), status.NOT_FOUND);
    assert.equal(await grpcCode(h.client.reportDeviceStatus({ deviceName: '', reportedDevice: { twins: [twin] } })), status.INVALID_ARGUMENT);
    assert.equal(await grpcCode(h.client.reportDeviceStatus({ deviceName: 'sensor-1', deviceNamespace: 'default', reportedDevice: { twins: [] } })), status.INVALID_ARGUMENT);
    assert.equal(await grpcCode(h.client.reportDeviceStatus({ deviceName: 'sensor-1', deviceNamespace: 'default', reportedDevice: { twins: [{ propertyName: 'temperature' }] } })), status.INVALID_ARGUMENT);
    assert.equal(await grpcCode(h.client.reportDeviceStates({ deviceName: 'sensor-1', deviceNamespace: 'default', state: '' })), status.INVALID_ARGUMENT);
    assert.equal(await grpcCode(h.client.reportDeviceStates({ deviceName: 'ghost', deviceNamespace: 'default', state: 'ok' })), status.NOT_FOUND);
    // Bytes that are no protobuf message at all.
    assert.notEqual(await grpcCode(h.client.raw('ReportDeviceStates', Buffer.from([0x0a, 0xff, 0x01]))), status.OK);
    assert.equal(h.twins.length + h.states.length, 0);

    // The 6 report calls above spent the burst (the malformed bytes never reached a handler).
    assert.equal(await grpcCode(h.client.reportDeviceStates({ deviceName: 'sensor-1', deviceNamespace: 'default', state: 'ok' })), status.RESOURCE_EXHAUSTED);
    assert.ok(h.server.metrics().rateLimited >= 1);
    assert.ok(h.server.metrics().rejected >= 13);
  } finally {
    await h.close();
  }
});

test('MapperPort calls without a mapper reject with DmiError NoMapper', async () => {
  const h = await startHarness();
  try {
    await assert.rejects(h.server.registerDevice(device('x'), modbusModel()), (e) => e instanceof DmiError && e.code === 'NoMapper');
  } finally {
    await h.close();
  }
});

test('the DMI socket: a stale file is replaced, a live one or a non-socket is refused', async (t) => {
  const h = await startHarness();
  try {
    const log = h.log;
    const opts = { socketPath: h.socketPath, store: h.store, reports: { reportTwins: () => {}, reportState: () => {} }, nodeName: 'edge-1', log };
    await assert.rejects(new DmiServer(opts).start(), DmiSocketError);
    const plain = join(h.dir, 'plain');
    writeFileSync(plain, 'x');
    await assert.rejects(new DmiServer({ ...opts, socketPath: plain }).start(), DmiSocketError);
    assert.ok(existsSync(plain));

    let python = true;
    try {
      execFileSync('python3', ['-c', 'pass']);
    } catch {
      python = false;
    }
    if (!python) return t.skip('python3 is needed to leave a stale socket file');
    const stale = join(h.dir, 'stale.sock');
    execFileSync('python3', ['-c', 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])', stale]);
    const s = new DmiServer({ ...opts, socketPath: stale });
    await s.start();
    await s.stop();
    assert.ok(!existsSync(stale));
  } finally {
    await h.close();
  }
});
