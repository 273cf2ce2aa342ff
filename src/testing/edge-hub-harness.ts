// Builds an EdgeHub against a FakeCloudHub with a manual clock, for edgehub's socket tests.
// Used by *.test.ts only.
import Database from 'better-sqlite3';
import { createTestLogger, type Message, type TestLogger } from '../core/index.js';
import { EdgeHub, type EdgeHubOptions } from '../edge/edgehub/index.js';
import type { FakeCloudHub, TestPki } from './fake-cloudhub.js';
import { ManualClock } from './manual-clock.js';

export interface Harness {
  hub: EdgeHub;
  clock: ManualClock;
  db: Database.Database;
  log: TestLogger;
  downstream: Message[];
  events: string[];
  tlsReads: number;
}

export function makeHub(cloud: FakeCloudHub | string, pki: TestPki, extra: Partial<EdgeHubOptions> = {}): Harness {
  const clock = new ManualClock();
  const log = createTestLogger({ level: 'debug', component: 'edgehub' });
  const h: Harness = {
    clock,
    db: extra.db ?? new Database(':memory:'),
    log,
    downstream: [],
    events: [],
    tlsReads: 0,
    hub: undefined as unknown as EdgeHub,
  };
  h.hub = new EdgeHub({
    server: typeof cloud === 'string' ? cloud : cloud.address,
    projectID: 'e632aba927ea4ac2b575ec1603d56f10',
    nodeName: 'edge-1',
    tls: () => {
      h.tlsReads += 1;
      return pki.edgeTls;
    },
    listener: {
      onDownstream: (m) => h.downstream.push(m),
      onConnected: () => h.events.push('connected'),
      onDisconnected: () => h.events.push('disconnected'),
    },
    log,
    now: clock.now,
    timers: clock,
    random: () => 0.5,
    // Long silence by default: pongs arrive on real time while the clock is manual.
    silenceTimeoutMs: 10 * 60_000,
    ...extra,
    db: extra.db ?? h.db,
  });
  return h;
}
