// Devices end to end with an external broker: Debian's mosquitto, with a username and password.
import { after, before } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startModbusSimulator } from '../../src/testing/modbus-simulator.js';
import { startMosquitto } from '../../src/testing/mosquitto.js';
import { deviceFlows } from '../harness/device-flows.js';

const dir = mkdtempSync(join(tmpdir(), 'kets-mosquitto-'));
let broker: Awaited<ReturnType<typeof startMosquitto>> | undefined;
before(async () => { broker = await startMosquitto({ dir, username: 'edge', password: 's3cret-pass' }); });
after(async () => { await broker?.stop(); rmSync(dir, { recursive: true, force: true }); });

deviceFlows({
  mode: 'external',
  external: () => {
    if (!broker) throw new Error('mosquitto is not running');
    return { port: broker.port, username: 'edge', password: 's3cret-pass', url: `tcp://127.0.0.1:${broker.port}` };
  },
  startModbus: () => startModbusSimulator({}),
  restartBroker: async () => { await broker?.kill(); await broker?.restart(); },
});
