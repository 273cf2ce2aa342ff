import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startModbusSimulator, type ModbusSimulator } from '../../testing/modbus-simulator.js';
import type { MapperDevice, MapperProperty } from '../sdk/index.js';
import { ModbusError } from './client/index.js';
import { ModbusDriver } from './driver.js';
import { ModbusConfigError, ModbusValueError } from './errors.js';

type PropertyInput = Pick<MapperProperty, 'name' | 'visitor'> & Partial<MapperProperty>;

function property(p: PropertyInput): MapperProperty {
  return { type: 'int', accessMode: 'ReadWrite', collectCycleMs: 0, reportCycleMs: 0, reportToCloud: false, ...p };
}

function device(port: number, properties: PropertyInput[], name = 'thermostat'): MapperDevice {
  return {
    namespace: 'default',
    name,
    model: 'thermostat-model',
    protocol: { protocolName: 'modbus', configData: { ip: '127.0.0.1', port, slaveID: 1 } },
    properties: properties.map(property),
    stateReport: { reportToCloud: false, reportCycleMs: 0 },
  };
}

const prop = (dev: MapperDevice, name: string): MapperProperty => {
  const p = dev.properties.find((x) => x.name === name);
  assert.ok(p, name);
  return p;
};

const readOnly = (e: unknown): boolean => e instanceof ModbusValueError && e.code === 'read_only';

describe('ModbusDriver', () => {
  let sim: ModbusSimulator;
  let dev: MapperDevice;
  const driver = new ModbusDriver({ timeoutMs: 1000, reconnectDelayMs: { initial: 0, max: 0 } });

  before(async () => {
    sim = await startModbusSimulator({ size: 64 });
    dev = device(sim.port, [
      { name: 'setpoint', type: 'float', visitor: { register: 'HoldingRegister', offset: 0, limit: 1, scale: 0.1 } },
      { name: 'level', type: 'int', visitor: { register: 'HoldingRegister', offset: 1, scale: 0.1 } },
      { name: 'counter', type: 'int', visitor: { register: 'HoldingRegister', offset: 4, limit: 2, isRegisterSwap: true } },
      { name: 'power', type: 'boolean', visitor: { register: 'CoilRegister', offset: 2 } },
      { name: 'fans', type: 'int', visitor: { register: 'CoilRegister', offset: 8, limit: 3 } },
      { name: 'door', type: 'boolean', visitor: { register: 'DiscreteInputRegister', offset: 5 } },
      { name: 'temperature', type: 'float', visitor: { register: 'InputRegister', offset: 10, limit: 2, isSwap: true, isRegisterSwap: true } },
      { name: 'e2e', type: 'int', visitor: { Register: 'CoilRegister', Offset: '2', Limit: '1', Scale: '1', IsSwap: 'true', IsRegisterSwap: 'true' } },
      { name: 'mode', type: 'int', accessMode: 'ReadOnly', visitor: { register: 'HoldingRegister', offset: 20 } },
      { name: 'missing', type: 'int', visitor: { register: 'HoldingRegister', offset: 63, limit: 2 } },
    ]);
    await driver.connect(dev);
  });
  after(async () => {
    await driver.disconnect(dev);
    await sim.stop();
  });

  it('reads each register kind with scale and swaps', async () => {
    sim.holding[0] = 215;
    sim.holding[1] = 215;
    sim.holding[4] = 0x0002;
    sim.holding[5] = 0x0001;
    sim.coils[2] = true;
    sim.coils.splice(8, 3, true, true, false);
    sim.discrete[5] = true;
    sim.input[10] = 0x0000;
    sim.input[11] = 0xac41; // 21.5 as float32 0x41AC0000, bytes and registers swapped
    assert.equal(await driver.read(dev, prop(dev, 'setpoint')), '21.5');
    assert.equal(await driver.read(dev, prop(dev, 'level')), '22');
    assert.equal(await driver.read(dev, prop(dev, 'counter')), String(0x00010002));
    assert.equal(await driver.read(dev, prop(dev, 'power')), 'true');
    assert.equal(await driver.read(dev, prop(dev, 'fans')), '3');
    assert.equal(await driver.read(dev, prop(dev, 'door')), 'true');
    assert.equal(await driver.read(dev, prop(dev, 'temperature')), '21.5');
    assert.equal(await driver.read(dev, prop(dev, 'e2e')), '1');
    assert.equal(await driver.state(dev), 'ok');
  });

  it('writes holding registers with FC6 (one register) or FC16, divided by scale', async () => {
    sim.writes.length = 0;
    await driver.write(dev, prop(dev, 'setpoint'), '25.5');
    await driver.write(dev, prop(dev, 'counter'), '65538');
    assert.equal(sim.holding[0], 255);
    assert.deepEqual(sim.holding.slice(4, 6), [0x0002, 0x0001]);
    assert.deepEqual(sim.writes.map((w) => [w.functionCode, w.address, w.values]), [[6, 0, [255]], [16, 4, [2, 1]]]);
  });

  it('writes coils with FC5 (one coil) or FC15', async () => {
    sim.writes.length = 0;
    await driver.write(dev, prop(dev, 'power'), 'false');
    await driver.write(dev, prop(dev, 'fans'), '4');
    assert.equal(sim.coils[2], false);
    assert.deepEqual(sim.coils.slice(8, 11), [false, false, true]);
    assert.deepEqual(sim.writes.map((w) => [w.functionCode, w.address]), [[5, 2], [15, 8]]);
  });

  it('refuses writes to read-only registers and properties, and bad values, before the wire', async () => {
    sim.writes.length = 0;
    await assert.rejects(driver.write(dev, prop(dev, 'door'), 'true'), readOnly);
    await assert.rejects(driver.write(dev, prop(dev, 'temperature'), '20'), (e: unknown) => readOnly(e) && /InputRegister is read-only/.test((e as Error).message));
    await assert.rejects(driver.write(dev, prop(dev, 'mode'), '1'), readOnly);
    await assert.rejects(driver.write(dev, prop(dev, 'power'), 'maybe'), ModbusValueError);
    await assert.rejects(driver.write(dev, prop(dev, 'e2e'), '20'), ModbusValueError);
    assert.deepEqual(sim.writes, []);
  });

  it('passes exception responses on as ModbusError; the device still counts as up', async () => {
    await assert.rejects(driver.read(dev, prop(dev, 'missing')), (e: unknown) => e instanceof ModbusError && e.exceptionCode === 2);
    assert.equal(await driver.state(dev), 'ok');
  });

  it('reports offline while the device is down and recovers when it is back', async () => {
    const port = sim.port;
    await sim.stop();
    await assert.rejects(driver.read(dev, prop(dev, 'level')));
    assert.equal(await driver.state(dev), 'offline');
    sim = await startModbusSimulator({ port, size: 64 });
    sim.holding[1] = 100;
    assert.equal(await driver.read(dev, prop(dev, 'level')), '10');
    assert.equal(await driver.state(dev), 'ok');
  });
});

describe('ModbusDriver connect', () => {
  it('refuses a device without a usable protocol config', async () => {
    const driver = new ModbusDriver();
    const dev = device(502, []);
    dev.protocol.configData = { serialPort: '/dev/ttyS0' };
    await assert.rejects(driver.connect(dev), ModbusConfigError);
  });

  it('accepts an unreachable device, reports it offline, and fails reads', async () => {
    const probe = await startModbusSimulator();
    const port = probe.port;
    await probe.stop();
    const driver = new ModbusDriver({ timeoutMs: 500 });
    const dev = device(port, [{ name: 'x', visitor: { register: 'HoldingRegister', offset: 0 } }], 'gone');
    await driver.connect(dev);
    assert.equal(await driver.state(dev), 'offline');
    await assert.rejects(driver.read(dev, prop(dev, 'x')));
    await driver.disconnect(dev);
    assert.equal(await driver.state(dev), 'unknown');
  });
});
