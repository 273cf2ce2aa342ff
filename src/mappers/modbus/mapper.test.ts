// The Modbus mapper as it runs: the SDK's runMapper with the ModbusDriver, a fake edgecore on DMI, and the
// Modbus simulator as the device. Visitor configData travels as google.protobuf.Any, as from edgecore.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deviceToDmi, modelToDmi } from '../../api/dmi/index.js';
import type { Device, DeviceModel } from '../../api/index.js';
import { createSilentLogger } from '../../core/index.js';
import { startFakeEdgecore, type FakeEdgecore } from '../../testing/dmi-fake-edgecore.js';
import { startModbusSimulator, type ModbusSimulator } from '../../testing/modbus-simulator.js';
import { runMapper, type MapperConfig } from '../sdk/index.js';
import { ModbusDriver } from './driver.js';

const model: DeviceModel = {
  metadata: { name: 'thermostat', namespace: 'default' },
  spec: {
    protocol: 'modbus',
    properties: [
      { name: 'temperature', type: 'FLOAT', accessMode: 'ReadOnly' },
      { name: 'setpoint', type: 'INT', accessMode: 'ReadWrite' },
      { name: 'power', type: 'BOOLEAN', accessMode: 'ReadWrite' },
    ],
  },
};

function device(port: number): Device {
  const prop = (name: string, configData: Record<string, unknown>, desired?: string) => ({
    name, collectCycle: 20, reportCycle: 20, reportToCloud: true,
    visitors: { protocolName: 'modbus', configData },
    ...(desired === undefined ? {} : { desired: { value: desired } }),
  });
  return {
    metadata: { name: 'thermostat-1', namespace: 'default' },
    spec: {
      deviceModelRef: { name: 'thermostat' },
      protocol: { protocolName: 'modbus', configData: { ip: '127.0.0.1', port, slaveID: 1 } },
      properties: [
        prop('temperature', { register: 'InputRegister', offset: 0, limit: 2, scale: 1, isSwap: false, isRegisterSwap: true }),
        prop('setpoint', { register: 'HoldingRegister', offset: 3, limit: 1, scale: 0.5 }, '22'),
        prop('power', { register: 'CoilRegister', offset: 1, limit: 1 }, 'true'),
      ],
      stateReport: { reportToCloud: true, reportCycle: 20 },
    } as Device['spec'],
  };
}

let edge: FakeEdgecore;
let sim: ModbusSimulator;
let dir: string;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mapper-modbus-'));
  edge = await startFakeEdgecore();
  sim = await startModbusSimulator({ size: 16 });
});
after(async () => {
  await sim.stop();
  await edge.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('reports register values to edgecore and writes desired values to the device', async () => {
  sim.input[0] = 0x0000;
  sim.input[1] = 0x41ac; // 21.5 as float32, registers swapped
  edge.setDevices([deviceToDmi(device(sim.port), model)], [modelToDmi(model)]);
  const config: MapperConfig = {
    grpc_server: { socket_path: join(dir, 'modbus.sock') },
    common: { name: 'modbus-mapper', version: 'v1', api_version: 'v1', protocol: 'modbus', edgecore_sock: edge.socketPath },
  };
  const mapper = await runMapper({ config, driver: new ModbusDriver({ timeoutMs: 1000 }), log: createSilentLogger() });
  try {
    const twins = () => edge.statusReports.flatMap((r) => r.reportedDevice?.twins ?? []);
    await edge.waitFor('temperature reported', () => twins().find((t) => t.propertyName === 'temperature' && t.reported?.value === '21.5'));
    await edge.waitFor('setpoint written', () => sim.holding[3] === 44);
    await edge.waitFor('power written', () => sim.coils[1] === true);
    await edge.waitFor('setpoint reported', () => twins().find((t) => t.propertyName === 'setpoint' && t.reported?.value === '22'));
    assert.deepEqual(sim.writes.map((w) => w.functionCode).sort(), [5, 6]);
    await edge.waitFor('state ok', () => edge.stateReports.at(-1)?.state === 'ok');
  } finally {
    await mapper.stop();
  }
});
