// The virtual protocol: simulated sensors (a waveform of the clock) and actuators (hold the last value
// written). A sensor's value is a pure function of now(), so tests can predict it.
import { DriverError, type DeviceDriver, type MapperDevice, type MapperProperty } from '../sdk/index.js';

export const VIRTUAL_PROTOCOL = 'virtual';
export const Waveforms = ['sine', 'square', 'sawtooth', 'random', 'constant'] as const;
export type Waveform = (typeof Waveforms)[number];

export interface SensorConfig { waveform: Waveform; min: number; max: number; periodMs: number; noise: number }

/** Visitor configData: { waveform, min, max, periodMs, noise? } makes a sensor; no waveform, an actuator. */
export function sensorConfig(p: MapperProperty): SensorConfig | undefined {
  const v = p.visitor;
  if (v['waveform'] === undefined) return undefined;
  const waveform = String(v['waveform']) as Waveform;
  if (!Waveforms.includes(waveform)) throw new DriverError('invalid_config', `${p.name}: waveform must be one of ${Waveforms.join(', ')}`);
  const num = (key: string, dflt: number): number => {
    const n = v[key] === undefined ? dflt : Number(v[key]);
    if (!Number.isFinite(n)) throw new DriverError('invalid_config', `${p.name}: ${key} must be a number`);
    return n;
  };
  return { waveform, min: num('min', 0), max: num('max', 1), periodMs: Math.max(1, num('periodMs', 60_000)), noise: num('noise', 0) };
}

/** A deterministic number in [0, 1) from integers (a small integer hash, not cryptographic). */
function unitHash(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h = Math.imul(h ^ (p | 0), 0x01000193);
    h = Math.imul(h ^ Math.floor(p / 2 ** 32), 0x01000193);
    h ^= h >>> 15;
  }
  return (h >>> 0) / 2 ** 32;
}

export function waveValue(c: SensorConfig, t: number): number {
  const phase = (((t % c.periodMs) + c.periodMs) % c.periodMs) / c.periodMs;
  const span = c.max - c.min;
  const base = {
    sine: () => c.min + span * (0.5 + 0.5 * Math.sin(2 * Math.PI * phase)),
    square: () => (phase < 0.5 ? c.max : c.min),
    sawtooth: () => c.min + span * phase,
    random: () => c.min + span * unitHash(Math.floor(t / c.periodMs)),
    constant: () => c.min,
  }[c.waveform]();
  return c.noise === 0 ? base : base + c.noise * (2 * unitHash(t, 7) - 1);
}

/** The string KubeEdge reports for the property's type. */
export function formatValue(type: string, n: number): string {
  if (type === 'int') return String(Math.round(n));
  if (type === 'boolean') return String(n >= 0.5);
  return String(Math.round(n * 1000) / 1000);
}

export function createVirtualDriver(opts: { now?: () => number } = {}): DeviceDriver {
  const now = opts.now ?? Date.now;
  // Actuator values per device id and property, while the device is connected.
  const held = new Map<string, Map<string, string>>();
  const idOf = (d: MapperDevice): string => `${d.namespace}/${d.name}`;
  const store = (d: MapperDevice): Map<string, string> => {
    const id = idOf(d);
    if (!held.has(id)) held.set(id, new Map());
    return held.get(id) as Map<string, string>;
  };

  return {
    async connect(device) {
      for (const p of device.properties) sensorConfig(p); // refuses a bad visitor up front
    },
    async read(device, p) {
      const sensor = sensorConfig(p);
      if (sensor) return formatValue(p.type, waveValue(sensor, now()));
      const values = store(device);
      return values.get(p.name) ?? p.desired ?? String(p.visitor['initial'] ?? (p.type === 'boolean' ? 'false' : p.type === 'string' ? '' : '0'));
    },
    async write(device, p, value) {
      if (sensorConfig(p)) throw new DriverError('read_only', `${p.name} is a simulated sensor`);
      store(device).set(p.name, value);
    },
    async disconnect(device) {
      held.delete(idOf(device));
    },
  };
}
