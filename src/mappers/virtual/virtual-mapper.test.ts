// The SDK end to end with the virtual driver: real gRPC over unix sockets against a fake edgecore.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { deviceToDmi, modelToDmi, type DeviceMsg, type TwinMsg } from '../../api/dmi/index.js';
import type { Device, DeviceModel } from '../../api/index.js';
import { createSilentLogger } from '../../core/index.js';
import { startFakeEdgecore, type FakeEdgecore } from '../../testing/dmi-fake-edgecore.js';
import { runMapper, type MapperConfig, type RunningMapper } from '../sdk/index.js';
import { createVirtualDriver, formatValue, sensorConfig, waveValue } from './index.js';

const NOW = 1_700_000_012_345;

const model: DeviceModel = {
  metadata: { name: 'thermo-model', namespace: 'default' },
  spec: {
    protocol: 'virtual',
    properties: [
      { name: 'temperature', type: 'FLOAT', accessMode: 'ReadOnly' },
      { name: 'fan', type: 'INT', accessMode: 'ReadWrite' },
    ],
  },
};

function thermo(fanDesired: string, extra: Partial<Device['spec']> = {}): Device {
  return {
    metadata: { name: 'thermo', namespace: 'default' },
    spec: {
      deviceModelRef: { name: 'thermo-model' },
      protocol: { protocolName: 'virtual' },
      properties: [
        { name: 'temperature', collectCycle: 20, reportCycle: 30, reportToCloud: true,
          visitors: { protocolName: 'virtual', configData: { waveform: 'sine', min: 18, max: 26, periodMs: 60000 } } },
        { name: 'fan', collectCycle: 20, reportCycle: 30, reportToCloud: true, desired: { value: fanDesired },
          visitors: { protocolName: 'virtual', configData: { initial: 0 } } },
      ],
      ...extra,
    },
  };
}

const dmi = (d: Device): DeviceMsg => deviceToDmi(d, model);

function config(edge: FakeEdgecore, name = 'virtual-mapper'): MapperConfig {
  return {
    grpc_server: { socket_path: join(edge.dir, `${name}.sock`) },
    common: { name, version: 'v1.13.0', api_version: 'v1.0.0', protocol: 'virtual', edgecore_sock: edge.socketPath },
  };
}

function twinOf(edge: FakeEdgecore, property: string, from = 0): TwinMsg | undefined {
  for (const r of edge.statusReports.slice(from).reverse()) {
    const t = r.reportedDevice?.twins?.find((x) => x.propertyName === property);
    if (t) return t;
  }
  return undefined;
}

describe('virtual mapper over DMI', () => {
  let edge: FakeEdgecore;
  let mapper: RunningMapper;

  before(async () => {
    edge = await startFakeEdgecore();
    edge.setDevices([dmi(thermo('40'))], [modelToDmi(model)]);
    mapper = await runMapper({ config: config(edge), driver: createVirtualDriver({ now: () => NOW }), log: createSilentLogger(), now: () => NOW });
  });
  after(async () => {
    await mapper.stop();
    await edge.stop();
  });

  test('registers with MapperInfo and runs the devices edgecore lists', async () => {
    await edge.waitFor('registration', () => edge.registrations.length > 0);
    const reg = edge.registrations[0];
    assert.equal(reg?.withData, true);
    assert.equal(reg?.mapper?.name, 'virtual-mapper');
    assert.equal(reg?.mapper?.protocol, 'virtual');
    assert.equal(reg?.mapper?.state, 'ok');
    assert.equal(Buffer.from(reg?.mapper?.address ?? []).toString(), config(edge).grpc_server.socket_path);
    await edge.waitFor('device', () => mapper.devices().length === 1);
    const dev = mapper.devices()[0];
    assert.equal(dev?.name, 'thermo');
    assert.deepEqual(dev?.properties.map((p) => [p.name, p.type, p.accessMode]), [['temperature', 'float', 'ReadOnly'], ['fan', 'int', 'ReadWrite']]);
    assert.equal(mapper.status(), 'registered');
  });

  test('reports twins each reportCycle with reported and observedDesired', async () => {
    const from = edge.statusReports.length;
    await edge.waitFor('two more reports', () => edge.statusReports.length >= from + 2);
    const temp = await edge.waitFor('temperature twin', () => twinOf(edge, 'temperature', from));
    const expected = formatValue('float', waveValue(sensorConfig({ visitor: { waveform: 'sine', min: 18, max: 26, periodMs: 60000 } } as never)!, NOW));
    assert.equal(temp.reported?.value, expected);
    assert.equal(temp.reported?.metadata?.['type'], 'float');
    assert.equal(temp.reported?.metadata?.['timestamp'], String(NOW));
    const fan = await edge.waitFor('fan twin at desired', () => twinOf(edge, 'fan', from));
    assert.equal(fan.reported?.value, '40', 'desired value written at registration');
    assert.equal(fan.observedDesired?.value, '40');
    assert.equal(edge.statusReports.at(-1)?.deviceName, 'thermo');
    assert.equal(edge.statusReports.at(-1)?.deviceNamespace, 'default');
  });

  test('UpdateDevice writes a changed desired value; the actuator reports it', async () => {
    await edge.mapper().updateDevice(dmi(thermo('75')));
    const from = edge.statusReports.length;
    await edge.waitFor('fan at 75', () => twinOf(edge, 'fan', from)?.reported?.value === '75');
    assert.equal(mapper.lastValues('default', 'thermo')['fan'], '75');
    const got = await edge.mapper().getDevice('default', 'thermo');
    const fan = got.device?.status?.twins?.find((t) => t.propertyName === 'fan');
    assert.equal(fan?.reported?.value, '75');
    assert.equal(fan?.observedDesired?.value, '75');
  });

  test('GetDevice of an unknown device is NOT_FOUND; RegisterDevice without a model is refused', async () => {
    await assert.rejects(edge.mapper().getDevice('default', 'nope'), (err: { code: number }) => err.code === 5);
    const orphan = dmi(thermo('1'));
    orphan.name = 'orphan';
    orphan.spec!.deviceModelReference = 'missing-model';
    await assert.rejects(edge.mapper().registerDevice(orphan), /deviceModel missing-model/);
  });

  test('RemoveDevice stops reports', async () => {
    await edge.mapper().removeDevice('default', 'thermo');
    assert.deepEqual(mapper.devices(), []);
    const from = edge.statusReports.length;
    await new Promise((r) => setTimeout(r, 150)); // five report cycles
    assert.equal(edge.statusReports.slice(from).filter((r) => r.deviceName === 'thermo').length, 0);
    assert.deepEqual(mapper.lastValues('default', 'thermo'), {});
  });

  test('registers again after edgecore restarts, and runs the devices listed then', async () => {
    await edge.mapper().createDeviceModel(modelToDmi(model));
    await edge.mapper().registerDevice(dmi(thermo('40')));
    const before = mapper.registrations();
    await edge.kill();
    await edge.waitFor('mapper to notice', () => mapper.status() === 'registering');
    const other = dmi(thermo('10'));
    other.name = 'thermo-2';
    edge.setDevices([other], [modelToDmi(model)]);
    await edge.restart();
    await edge.waitFor('re-registration', () => mapper.registrations() > before && mapper.status() === 'registered');
    await edge.waitFor('thermo-2 running', () => mapper.devices().length === 1 && mapper.devices()[0]?.name === 'thermo-2');
    const from = edge.statusReports.length;
    await edge.waitFor('thermo-2 report', () => edge.statusReports.slice(from).some((r) => r.deviceName === 'thermo-2'));
  });
});

describe('state reports and push', () => {
  let edge: FakeEdgecore;
  let mapper: RunningMapper | undefined;
  let http: Server;
  const posts: Record<string, unknown>[] = [];

  before(async () => {
    edge = await startFakeEdgecore();
    http = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        posts.push({ path: req.url, ...(JSON.parse(body) as Record<string, unknown>) });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  });
  afterEach(async () => {
    await mapper?.stop();
    mapper = undefined;
  });
  after(async () => {
    await edge.stop();
    await new Promise((r) => http.close(r));
  });

  test('http push posts JSON each reportCycle; state is reported when stateReport asks', async () => {
    const port = (http.address() as AddressInfo).port;
    const dev = thermo('5', { stateReport: { reportToCloud: true, reportCycle: 30 } } as never);
    dev.spec.properties![0]!.pushMethod = { http: { hostName: 'http://127.0.0.1', port, requestPath: 'readings', timeout: 2000 } };
    edge.setDevices([dmi(dev)], [modelToDmi(model)]);
    mapper = await runMapper({ config: config(edge, 'push'), driver: createVirtualDriver({ now: () => NOW }), log: createSilentLogger(), now: () => NOW });
    const post = await edge.waitFor('a push', () => posts[0]);
    assert.equal(post['path'], '/readings');
    assert.equal(post['deviceName'], 'thermo');
    assert.equal(post['namespace'], 'default');
    assert.equal(post['propertyName'], 'temperature');
    assert.equal(post['timestamp'], NOW);
    assert.equal(typeof post['value'], 'string');
    const state = await edge.waitFor('a state report', () => edge.stateReports[0]);
    assert.equal(state.deviceName, 'thermo');
    assert.equal(state.state, 'ok');
  });

  test('without stateReport.reportToCloud no state is reported (as in KubeEdge)', async () => {
    edge.stateReports.length = 0;
    edge.setDevices([dmi(thermo('5'))], [modelToDmi(model)]);
    mapper = await runMapper({ config: config(edge, 'nostate'), driver: createVirtualDriver({ now: () => NOW }), log: createSilentLogger(), now: () => NOW });
    const from = edge.statusReports.length;
    await edge.waitFor('twin reports', () => edge.statusReports.length >= from + 3);
    assert.equal(edge.stateReports.length, 0);
  });
});
