// A DeviceTwin over a real SQLite file in a temp dir with the fakes of devicetwin-fakes.ts, for
// devicetwin's tests. restart() builds a new DeviceTwin on the same file. Used by *.test.ts only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestLogger, type TestLogger } from '../core/index.js';
import { openEdgeDatabase, type Database } from '../edge/dbm/index.js';
import { DeviceTwin, type DeviceTwinOptions } from '../edge/devicetwin/index.js';
import { FakeTwinHub, MapDeviceObjectStore, RecordingTwinBus } from './devicetwin-fakes.js';

export interface TwinHarness {
  twin: DeviceTwin;
  db: Database;
  bus: RecordingTwinBus;
  hub: FakeTwinHub;
  store: MapDeviceObjectStore;
  log: TestLogger;
  /** Stops the current DeviceTwin and starts a new one on the same database, bus, hub and store. */
  restart(): DeviceTwin;
  /** Sends an MQTT publish from a device app. */
  mqtt(topic: string, payload: unknown): void;
}

type Extra = Partial<Pick<DeviceTwinOptions, 'maxPayloadBytes' | 'flushIntervalMs' | 'now'>>;

export function twinHarness(t: { after(fn: () => void): void }, extra: Extra = {}): TwinHarness {
  const dir = mkdtempSync(path.join(tmpdir(), 'devicetwin-'));
  const db = openEdgeDatabase(path.join(dir, 'edgecore.db'), { synchronous: 'NORMAL' });
  const bus = new RecordingTwinBus();
  const hub = new FakeTwinHub();
  const store = new MapDeviceObjectStore();
  const log = createTestLogger({ level: 'debug', component: 'devicetwin' });
  const make = (): DeviceTwin => {
    const twin = new DeviceTwin({ db, nodeName: 'edge-1', bus, hub, store, log, flushIntervalMs: 10_000, ...extra });
    twin.start();
    return twin;
  };
  const h: TwinHarness = {
    twin: make(), db, bus, hub, store, log,
    restart: () => {
      h.twin.stop();
      h.twin = make();
      return h.twin;
    },
    mqtt: (topic, payload) => h.twin.handleMqtt(topic, Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload))),
  };
  t.after(() => {
    h.twin.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return h;
}

/** Lets the batch of this turn commit and its answers go out. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
