// The MQTT mapper against an aedes broker started here, driven by the fake edgecore over DMI.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { Aedes } from 'aedes';
import { connectAsync, type MqttClient } from 'mqtt';
import { deviceToDmi, modelToDmi } from '../../api/dmi/index.js';
import type { Device, DeviceModel } from '../../api/index.js';
import { createSilentLogger } from '../../core/index.js';
import { startFakeEdgecore, type FakeEdgecore } from '../../testing/dmi-fake-edgecore.js';
import { runMapper, type MapperDevice, type RunningMapper } from '../sdk/index.js';
import { commandValue, createMqttDriver, mergeState, protocolConfig, valueAt } from './index.js';

const model: DeviceModel = {
  metadata: { name: 'thermostat-model', namespace: 'default' },
  spec: { properties: [{ name: 'temperature', type: 'FLOAT', accessMode: 'ReadOnly' }, { name: 'fan', type: 'INT', accessMode: 'ReadWrite' }] },
};

function thermostat(brokerURL: string, fan: string): Device {
  return {
    metadata: { name: 'thermostat', namespace: 'default' },
    spec: {
      deviceModelRef: { name: 'thermostat-model' },
      protocol: { protocolName: 'mqtt', configData: { brokerURL, username: 'dev', password: 'pw', stateTopic: 'home/thermostat/state', commandTopic: 'home/thermostat/set' } },
      properties: [
        { name: 'temperature', collectCycle: 20, reportCycle: 20, reportToCloud: true, visitors: { protocolName: 'mqtt', configData: { jsonKey: 'sensors.temperature' } } },
        { name: 'fan', collectCycle: 20, reportCycle: 20, reportToCloud: true, desired: { value: fan }, visitors: { protocolName: 'mqtt', configData: { jsonKey: 'fan' } } },
      ],
    },
  };
}

let edge: FakeEdgecore;
let broker: Aedes;
let server: Server;
let brokerURL: string;
let deviceApp: MqttClient;
let mapper: RunningMapper;
const commands: Record<string, unknown>[] = [];
const logins: string[] = [];

before(async () => {
  broker = await Aedes.createBroker();
  broker.authenticate = (client, username, password, done) => {
    logins.push(`${username ?? ''}:${password?.toString() ?? ''}`);
    done(null, true);
  };
  server = createServer(broker.handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  brokerURL = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The device: takes commands, and publishes its state.
  deviceApp = await connectAsync(brokerURL);
  deviceApp.on('message', (_topic, payload) => commands.push(JSON.parse(payload.toString()) as Record<string, unknown>));
  await deviceApp.subscribeAsync('home/thermostat/set');
  edge = await startFakeEdgecore();
  edge.setDevices([deviceToDmi(thermostat(brokerURL, '2'), model)], [modelToDmi(model)]);
  mapper = await runMapper({
    config: { grpc_server: { socket_path: join(edge.dir, 'mqtt.sock') }, common: { name: 'mqtt-mapper', version: 'v1', api_version: 'v1', protocol: 'mqtt', edgecore_sock: edge.socketPath } },
    driver: createMqttDriver({ log: createSilentLogger() }),
    log: createSilentLogger(),
  });
});

after(async () => {
  await mapper.stop();
  await edge.stop();
  await deviceApp.endAsync();
  await new Promise((r) => server.close(r));
  await new Promise<void>((r) => broker.close(() => r()));
});

const lastTwin = (name: string) => edge.statusReports.flatMap((r) => r.reportedDevice?.twins ?? []).filter((t) => t.propertyName === name).at(-1);

test('the desired value is written as a JSON command; the broker saw the credentials', async () => {
  await edge.waitFor('fan command', () => commands.find((c) => 'fan' in c));
  assert.deepEqual(commands[0], { fan: 2 });
  assert.ok(logins.includes('dev:pw'));
});

test('a value the device publishes is read at its jsonKey and reported', async () => {
  await deviceApp.publishAsync('home/thermostat/state', JSON.stringify({ sensors: { temperature: 21.5, humidity: 40 }, fan: 2 }));
  await edge.waitFor('temperature 21.5', () => lastTwin('temperature')?.reported?.value === '21.5');
  // A partial update keeps the other keys.
  await deviceApp.publishAsync('home/thermostat/state', JSON.stringify({ fan: 3 }));
  await edge.waitFor('fan 3', () => lastTwin('fan')?.reported?.value === '3');
  assert.equal(mapper.lastValues('default', 'thermostat')['temperature'], '21.5');
});

test('UpdateDevice with a new desired value publishes a new command', async () => {
  await edge.mapper().updateDevice(deviceToDmi(thermostat(brokerURL, '5'), model));
  await edge.waitFor('fan 5 command', () => commands.find((c) => c['fan'] === 5));
});

test('JSON helpers: dotted paths, merges, typed commands, config checks', () => {
  assert.equal(valueAt({ a: { b: { c: 1 } } }, 'a.b.c'), 1);
  assert.equal(valueAt({ a: 1 }, 'a.b'), undefined);
  const s: Record<string, unknown> = { a: { x: 1, y: 2 }, b: 1 };
  mergeState(s, { a: { y: 3 }, c: true });
  assert.deepEqual(s, { a: { x: 1, y: 3 }, b: 1, c: true });
  assert.equal(commandValue('int', '7'), 7);
  assert.equal(commandValue('boolean', 'true'), true);
  assert.equal(commandValue('string', '7'), '7');
  assert.throws(() => commandValue('float', 'warm'), /not a number/);
  const dev = { protocol: { protocolName: 'mqtt', configData: { brokerURL: 'mqtt://x' } } } as unknown as MapperDevice;
  assert.throws(() => protocolConfig(dev), /stateTopic is required/);
});
