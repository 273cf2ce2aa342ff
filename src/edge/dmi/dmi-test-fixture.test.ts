// Shared by the dmi tests (a .test.ts so that it is never part of the module's code): a DmiServer on a
// temp socket with an in-memory store, a recorded DmiReports, a test logger and a mapper-side client.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Device, DeviceModel } from '../../api/index.js';
import { createTestLogger, type TestLogger } from '../../core/index.js';
import { createMemoryDeviceStore, dmiManagerClient, type DmiManagerClient, type MemoryDeviceStore } from '../../testing/dmi-fake-mapper.js';
import { DmiServer } from './dmi-server.js';
import type { DmiServerOptions, ReportedTwin } from './types.js';

export function modbusModel(name = 'temperature-model'): DeviceModel {
  return {
    apiVersion: 'devices.kubeedge.io/v1beta1', kind: 'DeviceModel',
    metadata: { name, namespace: 'default' },
    spec: {
      protocol: 'modbus',
      properties: [{
        name: 'temperature', type: 'FLOAT', accessMode: 'ReadOnly',
        visitors: { protocolName: 'modbus', configData: { register: 'HoldingRegister', offset: 2, limit: 1, scale: 0.1 } },
      }],
    },
  };
}

export function device(name: string, opts: { protocol?: string; model?: string; node?: string; offset?: number } = {}): Device {
  return {
    apiVersion: 'devices.kubeedge.io/v1beta1', kind: 'Device',
    metadata: { name, namespace: 'default' },
    spec: {
      deviceModelRef: { name: opts.model ?? 'temperature-model' },
      nodeName: opts.node ?? 'edge-1',
      protocol: { protocolName: opts.protocol ?? 'modbus', configData: { ip: '127.0.0.1', port: 5020 } },
      properties: [{ name: 'temperature', collectCycle: 1000, reportCycle: 1000, ...(opts.offset !== undefined ? { visitors: { configData: { offset: opts.offset } } } : {}) }],
    },
  };
}

export interface Harness {
  dir: string;
  socketPath: string;
  store: MemoryDeviceStore;
  server: DmiServer;
  client: DmiManagerClient;
  log: TestLogger;
  twins: { namespace: string; name: string; twins: readonly ReportedTwin[] }[];
  states: { namespace: string; name: string; state: string }[];
  close(): Promise<void>;
}

export async function startHarness(opts: Partial<DmiServerOptions> = {}, seed?: (store: MemoryDeviceStore) => void): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'dmi-'));
  const socketPath = join(dir, 'dmi.sock');
  const store = createMemoryDeviceStore();
  seed?.(store);
  const log = createTestLogger({ level: 'debug' });
  const twins: Harness['twins'] = [];
  const states: Harness['states'] = [];
  const server = new DmiServer({
    socketPath, store, nodeName: 'edge-1', log, callTimeoutMs: 2000,
    reports: {
      reportTwins: (namespace, name, t) => { twins.push({ namespace, name, twins: t }); },
      reportState: (namespace, name, state) => { states.push({ namespace, name, state }); },
    },
    ...opts,
  });
  await server.start();
  const client = dmiManagerClient(socketPath);
  return {
    dir, socketPath, store, server, client, log, twins, states,
    close: async () => {
      client.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until the condition holds (no timing is asserted: the limit only keeps a broken test from hanging). */
export async function until(what: string, cond: () => boolean, limitMs = 5000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function mapperInfo(name: string, protocol: string, socket: string): { name: string; protocol: string; version: string; api_version: string; address: Buffer; state: string } {
  return { name, protocol, version: 'v1.0.0', api_version: 'v1beta1', address: Buffer.from(socket), state: 'ok' };
}
