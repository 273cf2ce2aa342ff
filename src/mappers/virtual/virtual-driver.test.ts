import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DriverError, type MapperDevice, type MapperProperty } from '../sdk/index.js';
import { createVirtualDriver, formatValue, sensorConfig, waveValue } from './index.js';

function prop(name: string, visitor: Record<string, unknown>, more: Partial<MapperProperty> = {}): MapperProperty {
  return { name, type: 'float', accessMode: 'ReadOnly', visitor, collectCycleMs: 0, reportCycleMs: 0, reportToCloud: true, ...more };
}

function device(properties: MapperProperty[]): MapperDevice {
  return { namespace: 'default', name: 'sim', model: 'sim-model', protocol: { protocolName: 'virtual', configData: {} }, properties, stateReport: { reportToCloud: false, reportCycleMs: 0 } };
}

test('waveforms are functions of the clock', () => {
  const c = { min: 10, max: 20, periodMs: 1000, noise: 0 };
  assert.equal(waveValue({ ...c, waveform: 'sine' }, 0), 15);
  assert.equal(waveValue({ ...c, waveform: 'sine' }, 250), 20);
  assert.equal(waveValue({ ...c, waveform: 'sine' }, 5750), 10);
  assert.equal(waveValue({ ...c, waveform: 'square' }, 100), 20);
  assert.equal(waveValue({ ...c, waveform: 'square' }, 600), 10);
  assert.equal(waveValue({ ...c, waveform: 'sawtooth' }, 2250), 12.5);
  assert.equal(waveValue({ ...c, waveform: 'constant' }, 123), 10);
  const r1 = waveValue({ ...c, waveform: 'random' }, 3100);
  assert.equal(waveValue({ ...c, waveform: 'random' }, 3900), r1, 'random holds for a period');
  assert.ok(r1 >= 10 && r1 <= 20);
  const noisy = waveValue({ ...c, waveform: 'constant', noise: 0.5 }, 77);
  assert.equal(waveValue({ ...c, waveform: 'constant', noise: 0.5 }, 77), noisy, 'noise is deterministic');
  assert.ok(noisy >= 9.5 && noisy <= 10.5);
});

test('values are formatted for the property type', () => {
  assert.equal(formatValue('int', 12.6), '13');
  assert.equal(formatValue('float', 21.123456), '21.123');
  assert.equal(formatValue('boolean', 0.7), 'true');
  assert.equal(formatValue('boolean', 0), 'false');
});

test('sensors follow now(); actuators hold what was written, starting at desired or initial', async () => {
  let now = 250;
  const driver = createVirtualDriver({ now: () => now });
  const temp = prop('temp', { waveform: 'sine', min: 10, max: 20, periodMs: 1000 });
  const fan = prop('fan', {}, { type: 'int', accessMode: 'ReadWrite', desired: '40' });
  const lamp = prop('lamp', { initial: true }, { type: 'boolean', accessMode: 'ReadWrite' });
  const dev = device([temp, fan, lamp]);
  await driver.connect(dev);
  assert.equal(await driver.read(dev, temp), '20');
  now = 750;
  assert.equal(await driver.read(dev, temp), '10');
  assert.equal(await driver.read(dev, fan), '40');
  assert.equal(await driver.read(dev, lamp), 'true');
  await driver.write(dev, fan, '75');
  assert.equal(await driver.read(dev, fan), '75');
  await assert.rejects(driver.write(dev, temp, '1'), (e: unknown) => e instanceof DriverError && e.code === 'read_only');
});

test('a bad visitor is refused at connect', async () => {
  const driver = createVirtualDriver();
  await assert.rejects(driver.connect(device([prop('x', { waveform: 'triangle' })])), /waveform must be one of/);
  assert.throws(() => sensorConfig(prop('x', { waveform: 'sine', min: 'low' })), /min must be a number/);
});
