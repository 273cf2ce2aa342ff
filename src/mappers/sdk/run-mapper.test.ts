// runMapper with a scripted driver that fails on purpose, a fake edgecore that starts late, a stale
// socket, and an MQTT push to aedes. Real gRPC over unix sockets in temp dirs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { existsSync, linkSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aedes } from 'aedes';
import { connectAsync } from 'mqtt';
import { deviceToDmi, modelToDmi } from '../../api/dmi/index.js';
import type { Device, DeviceModel } from '../../api/index.js';
import { createSilentLogger } from '../../core/index.js';
import { startFakeEdgecore, type FakeEdgecore } from '../../testing/dmi-fake-edgecore.js';
import { DriverError, runMapper, type DeviceDriver, type MapperConfig } from './index.js';

const model: DeviceModel = {
  metadata: { name: 'm', namespace: 'default' },
  spec: { properties: [{ name: 'good', type: 'INT', accessMode: 'ReadOnly' }, { name: 'bad', type: 'INT', accessMode: 'ReadOnly' }, { name: 'knob', type: 'INT', accessMode: 'ReadWrite' }] },
};

function device(extra: Partial<Device['spec']> = {}): Device {
  const prop = (name: string, more: object = {}) => ({ name, collectCycle: 20, reportCycle: 20, reportToCloud: true, ...more });
  return {
    metadata: { name: 'dev', namespace: 'default' },
    spec: {
      deviceModelRef: { name: 'm' },
      protocol: { protocolName: 'scripted', configData: { port: 1 } },
      properties: [prop('good'), prop('bad'), prop('knob', { desired: { value: '7' } })],
      stateReport: { reportToCloud: true, reportCycle: 20 },
      ...extra,
    } as Device['spec'],
  };
}

/** Fails the first connect and the first write; "bad" never reads. Counts calls. */
function scriptedDriver() {
  const calls = { connect: 0, write: [] as string[], disconnect: 0, concurrent: 0, maxConcurrent: 0 };
  let knob = '0';
  const guard = async <T>(fn: () => T): Promise<T> => {
    calls.maxConcurrent = Math.max(calls.maxConcurrent, ++calls.concurrent);
    await new Promise((r) => setImmediate(r));
    try {
      return fn();
    } finally {
      calls.concurrent--;
    }
  };
  const driver: DeviceDriver = {
    connect: () => guard(() => {
      if (calls.connect++ === 0) throw new Error('device not answering');
    }),
    read: (_d, p) => guard(() => {
      if (p.name === 'bad') throw new DriverError('io', 'register read timed out');
      if (p.name === 'knob') return knob;
      throw new TypeError('not even a DriverError'); // "good" is good only after a write
    }).catch((err) => {
      if (p.name === 'good' && calls.write.length > 1) return '1';
      throw err;
    }),
    write: (_d, _p, value) => guard(() => {
      calls.write.push(value);
      if (calls.write.length === 1) throw new Error('device busy');
      knob = value;
    }),
    disconnect: () => guard(() => {
      calls.disconnect++;
    }),
  };
  return { driver, calls };
}

let edge: FakeEdgecore;
let dir: string;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mapper-sdk-'));
});
after(async () => {
  await edge?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('waits for a late edgecore, replaces a stale socket, and survives every driver error', async () => {
  const socketPath = join(dir, 'scripted.sock');
  // A socket file nobody listens on, as a killed mapper leaves behind (a hard link outlives the listener).
  const live = createNetServer();
  await new Promise<void>((r) => live.listen(join(dir, 'live.sock'), r));
  linkSync(join(dir, 'live.sock'), socketPath);
  await new Promise((r) => live.close(r));

  const lateSock = join(dir, 'late-edgecore.sock');
  const config: MapperConfig = {
    grpc_server: { socket_path: socketPath },
    common: { name: 'scripted', version: 'v1', api_version: 'v1', protocol: 'scripted', edgecore_sock: lateSock },
  };
  const { driver, calls } = scriptedDriver();
  const mapper = await runMapper({ config, driver, log: createSilentLogger() });
  try {
    assert.equal(mapper.status(), 'registering');
    edge = await startFakeEdgecore();
    edge.setDevices([deviceToDmi(device(), model)], [modelToDmi(model)]);
    linkSync(edge.socketPath, lateSock); // edgecore appears at the configured path
    await edge.waitFor('registration', () => mapper.registrations() === 1);

    const knob = await edge.waitFor('knob at 7', () => edge.statusReports.flatMap((r) => r.reportedDevice?.twins ?? [])
      .find((t) => t.propertyName === 'knob' && t.reported?.value === '7'));
    assert.equal(knob.observedDesired?.value, '7');
    assert.ok(calls.connect >= 2, 'connect retried after failing');
    assert.deepEqual(calls.write, ['7', '7'], 'a failed write is retried, a done one is not repeated');
    await edge.waitFor('good reported', () => edge.statusReports.some((r) => r.reportedDevice?.twins?.some((t) => t.propertyName === 'good')));
    assert.ok(!edge.statusReports.some((r) => r.reportedDevice?.twins?.some((t) => t.propertyName === 'bad')), 'no twin without a value');
    await edge.waitFor('state ok', () => edge.stateReports.at(-1)?.state === 'ok');
    assert.equal(calls.maxConcurrent, 1, 'one driver call at a time per device');
  } finally {
    await mapper.stop();
  }
  assert.equal(calls.disconnect, 1);
  assert.equal(existsSync(socketPath), false, 'socket removed on stop');
  assert.equal(mapper.status(), 'stopped');
});

test('UpdateDevice reconnects only when the protocol config changes', async () => {
  const { driver, calls } = scriptedDriver();
  await driver.connect(null as never).catch(() => undefined); // use up the scripted first failure
  edge.setDevices([deviceToDmi(device(), model)], [modelToDmi(model)]);
  const config: MapperConfig = {
    grpc_server: { socket_path: join(dir, 'update.sock') },
    common: { name: 'update', version: 'v1', api_version: 'v1', protocol: 'scripted', edgecore_sock: edge.socketPath },
  };
  const mapper = await runMapper({ config, driver, log: createSilentLogger() });
  try {
    await edge.waitFor('device', () => mapper.devices().length === 1);
    await edge.waitFor('connected', () => calls.connect === 2);
    const sameProtocol = device();
    sameProtocol.spec.properties![0]!.collectCycle = 40;
    await edge.mapper().updateDevice(deviceToDmi(sameProtocol, model));
    assert.equal(mapper.devices()[0]?.properties[0]?.collectCycleMs, 40);
    assert.equal(calls.disconnect, 0);
    const otherPort = device({ protocol: { protocolName: 'scripted', configData: { port: 2 } } });
    await edge.mapper().updateDevice(deviceToDmi(otherPort, model));
    await edge.waitFor('reconnected', () => calls.disconnect === 1 && calls.connect === 3);
    assert.deepEqual(mapper.devices()[0]?.protocol.configData, { port: 2 });
  } finally {
    await mapper.stop();
  }
});

test('mqtt push publishes the JSON record to the topic', async () => {
  const broker = await Aedes.createBroker();
  const server = createNetServer(broker.handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sub = await connectAsync(address);
  const got = new Promise<Record<string, unknown>>((resolve) => sub.on('message', (_t, m) => resolve(JSON.parse(m.toString()) as Record<string, unknown>)));
  await sub.subscribeAsync('readings/knob');

  const { driver } = scriptedDriver();
  await driver.connect(null as never).catch(() => undefined);
  const dev = device();
  dev.spec.properties![2]!.pushMethod = { mqtt: { address, topic: 'readings/knob', qos: 1, retained: false } };
  edge.setDevices([deviceToDmi(dev, model)], [modelToDmi(model)]);
  const config: MapperConfig = {
    grpc_server: { socket_path: join(dir, 'push.sock') },
    common: { name: 'push', version: 'v1', api_version: 'v1', protocol: 'scripted', edgecore_sock: edge.socketPath },
  };
  const mapper = await runMapper({ config, driver, log: createSilentLogger(), now: () => 42 });
  try {
    const record = await got;
    assert.deepEqual(record, { deviceName: 'dev', namespace: 'default', propertyName: 'knob', value: record['value'], type: 'int', timestamp: 42 });
  } finally {
    await mapper.stop();
    await sub.endAsync();
    await new Promise((r) => server.close(r));
    await new Promise<void>((r) => broker.close(() => r()));
  }
});
