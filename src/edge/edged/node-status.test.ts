import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createSilentLogger, type Message } from '../../core/index.js';
import type { EdgeHubPort, LinkState } from '../edgehub/index.js';
import type { NodeFacts } from './node-facts.js';
import { NodeStatusReporter } from './node-status.js';
import type { Timers } from './timers.js';

/** Timers driven by hand: advance() runs what falls due, in time order. */
class ManualTimers implements Timers {
  now = Date.UTC(2025, 0, 1);
  private seq = 0;
  private tasks = new Map<number, { at: number; fn: () => void }>();
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.tasks.set(id, { at: this.now + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.tasks.delete(handle as number);
  }
  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    for (;;) {
      const next = [...this.tasks.entries()].sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!next || next[1].at > end) break;
      this.tasks.delete(next[0]);
      this.now = next[1].at;
      next[1].fn();
      await flush();
    }
    this.now = end;
    await flush();
  }
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Records what the reporter hands the hub; lease requests get the answer `answer` returns. */
class RecordingHub implements EdgeHubPort {
  connected = true;
  sent: Message[] = [];
  enqueued: Message[] = [];
  requests: Message[] = [];
  answer: (req: Message) => unknown = (req) => ({ Object: { metadata: { resourceVersion: `rv-${this.requests.length}` } }, Err: null, _op: req.route.operation });
  send(msg: Message): boolean {
    this.sent.push(msg);
    return this.connected;
  }
  enqueue(msg: Message): void {
    this.enqueued.push(msg);
  }
  async request(msg: Message): Promise<Message> {
    if (!this.connected) throw new Error('not connected');
    this.requests.push(msg);
    const content = this.answer(msg);
    return { header: { msg_id: 'r', parent_msg_id: msg.header.msg_id, timestamp: 0 }, route: { ...msg.route, operation: 'response' }, content };
  }
  ack(): void {}
  state(): LinkState {
    return this.connected ? { kind: 'connected', since: 0 } : { kind: 'connecting', attempt: 1 };
  }
  isConnected(): boolean {
    return this.connected;
  }
  statuses(): Message[] {
    return this.enqueued.filter((m) => m.route.resource.includes('/nodestatus/'));
  }
}

function baseFacts(): NodeFacts {
  return {
    cpuCores: 2,
    memoryTotalKi: 4_000_000,
    memoryAvailableKi: 2_000_000,
    storageTotalBytes: 100 * 1024 ** 3,
    storageAvailableBytes: 50 * 1024 ** 3,
    pidMax: 4_194_304,
    pidsInUse: 300,
    internalIP: '10.0.0.5',
    os: {
      machineID: 'mid', systemUUID: '', bootID: 'bid', kernelVersion: '6.1.0', osImage: 'Debian GNU/Linux 12 (bookworm)',
      operatingSystem: 'linux', architecture: 'amd64',
    },
  };
}

function setup(opts: { connected?: boolean; cloudRenewsLease?: () => boolean } = {}) {
  const timers = new ManualTimers();
  const hub = new RecordingHub();
  hub.connected = opts.connected ?? true;
  let facts = baseFacts();
  const reporter = new NodeStatusReporter({
    nodeName: 'edge-1',
    hub,
    log: createSilentLogger(),
    labels: { zone: 'a' },
    maxPods: 50,
    probe: () => facts,
    now: () => timers.now,
    timers,
    ...(opts.cloudRenewsLease ? { cloudRenewsLease: opts.cloudRenewsLease } : {}),
  });
  return { timers, hub, reporter, setFacts: (f: NodeFacts) => (facts = f) };
}

describe('NodeStatusReporter', () => {
  test('registers once per run, the KubeEdge way, with the first status behind it', async () => {
    const { hub, reporter } = setup();
    reporter.start();
    await flush();
    const [reg, status] = hub.enqueued;
    assert.ok(reg && status);
    assert.equal(reg.route.resource, 'null/node/edge-1');
    assert.equal(reg.route.operation, 'insert');
    assert.equal(reg.route.source, 'edged');
    const node = reg.content as { kind: string; metadata: { name: string; labels: Record<string, string> }; status: { capacity: Record<string, string> } };
    assert.equal(node.kind, 'Node');
    assert.deepEqual(node.metadata.labels, {
      'node-role.kubernetes.io/edge': '',
      'kubernetes.io/hostname': 'edge-1',
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      zone: 'a',
    });
    assert.equal(node.status.capacity.pods, '50');
    assert.equal(status.route.resource, 'default/nodestatus/edge-1');
    assert.equal(status.route.operation, 'update');
    assert.deepEqual(Object.keys(status.content as object), ['UID', 'Status']);

    reporter.onDisconnected();
    hub.connected = false;
    hub.connected = true;
    reporter.onConnected();
    await flush();
    assert.equal(hub.enqueued.filter((m) => m.route.resource === 'null/node/edge-1').length, 1);
    assert.equal(hub.statuses().length, 2, 'a reconnect sends the current status');
    reporter.stop();
  });

  test('waits for the first connect before registering', async () => {
    const { hub, reporter, timers } = setup({ connected: false });
    reporter.start();
    await timers.advance(60_000);
    assert.equal(hub.enqueued.length, 0);
    hub.connected = true;
    reporter.onConnected();
    assert.equal(hub.enqueued[0]?.route.resource, 'null/node/edge-1');
    reporter.stop();
  });

  test('sends status only when it changed, not for heartbeats', async () => {
    const { hub, reporter, timers, setFacts } = setup();
    reporter.start();
    await timers.advance(60_000);
    assert.equal(hub.statuses().length, 1, 'six unchanged checks send nothing');

    setFacts({ ...baseFacts(), memoryAvailableKi: 50 * 1024 });
    await timers.advance(10_000);
    assert.equal(hub.statuses().length, 2);
    const last = hub.statuses()[1]?.content as { Status: { conditions: { type: string; status: string }[] } };
    assert.equal(last.Status.conditions.find((c) => c.type === 'MemoryPressure')?.status, 'True');

    await timers.advance(30_000);
    assert.equal(hub.statuses().length, 2, 'the changed status is sent once');

    setFacts({ ...baseFacts(), internalIP: '10.0.0.9', memoryAvailableKi: 50 * 1024 });
    await timers.advance(10_000);
    assert.equal(hub.statuses().length, 3, 'an address change is a change');
    reporter.stop();
  });

  test('sends a full report every reportIntervalMs without change', async () => {
    const { hub, reporter, timers } = setup();
    reporter.start();
    await timers.advance(290_000);
    assert.equal(hub.statuses().length, 1);
    await timers.advance(10_000);
    assert.equal(hub.statuses().length, 2);
    await timers.advance(300_000);
    assert.equal(hub.statuses().length, 3);
    reporter.stop();
  });

  test('renews the lease on connect and every leaseRenewMs, with the resourceVersion it learned', async () => {
    const { hub, reporter, timers } = setup();
    reporter.start();
    await flush();
    assert.equal(hub.requests.length, 1);
    const first = hub.requests[0] as Message;
    assert.equal(first.route.resource, 'kube-node-lease/lease/edge-1');
    assert.equal(first.route.operation, 'insert');
    assert.equal(first.header.sync, true);
    assert.deepEqual(first.content, {
      metadata: { name: 'edge-1', namespace: 'kube-node-lease' },
      spec: { holderIdentity: 'edge-1', leaseDurationSeconds: 40, renewTime: '2025-01-01T00:00:00.000000Z' },
    });
    await timers.advance(19_999);
    assert.equal(hub.requests.length, 1);
    await timers.advance(1);
    assert.equal(hub.requests.length, 2);
    const second = hub.requests[1]?.content as { metadata: { resourceVersion?: string }; spec: { renewTime: string } };
    assert.equal(hub.requests[1]?.route.operation, 'update');
    assert.equal(second.metadata.resourceVersion, 'rv-1');
    assert.equal(second.spec.renewTime, '2025-01-01T00:00:20.000000Z');
    await timers.advance(40_000);
    assert.equal(hub.requests.length, 4);
    assert.equal(hub.sent.length, 0, 'nothing goes out unanswered');
    assert.ok(hub.enqueued.every((m) => !m.route.resource.includes('/lease/')), 'leases never enter the outbox');
    reporter.stop();
  });

  test('sends no lease while the cloud renews it from keepalives, and resumes when it does not', async () => {
    let cloudRenews = true;
    const { hub, reporter, timers } = setup({ cloudRenewsLease: () => cloudRenews });
    reporter.start();
    await flush();
    await timers.advance(60_000);
    assert.equal(hub.requests.length, 0, 'a KubeEdge-TS cloud renews the lease itself');
    cloudRenews = false;
    await timers.advance(20_000);
    assert.equal(hub.requests.length, 1, 'a KubeEdge cloud gets leases again');
    reporter.stop();
  });

  test('sends no lease and queues no status while disconnected', async () => {
    const { hub, reporter, timers, setFacts } = setup();
    reporter.start();
    await flush();
    const leases = hub.requests.length;
    const statuses = hub.statuses().length;
    hub.connected = false;
    reporter.onDisconnected();
    setFacts({ ...baseFacts(), storageAvailableBytes: 1024 });
    await timers.advance(120_000);
    assert.equal(hub.requests.length, leases);
    assert.equal(hub.statuses().length, statuses);

    hub.connected = true;
    reporter.onConnected();
    await flush();
    assert.equal(hub.requests.length, leases + 1, 'a connect renews at once');
    const latest = hub.statuses().at(-1)?.content as { Status: { conditions: { type: string; status: string }[] } };
    assert.equal(latest.Status.conditions.find((c) => c.type === 'DiskPressure')?.status, 'True');
    reporter.stop();
  });

  test('a probe failing at connect delays registration to the next check, the lease still renews', async () => {
    const timers = new ManualTimers();
    const hub = new RecordingHub();
    let fail = true;
    const reporter = new NodeStatusReporter({
      nodeName: 'edge-1', hub, log: createSilentLogger(), now: () => timers.now, timers,
      probe: () => {
        if (fail) throw new Error('statfs failed');
        return baseFacts();
      },
    });
    reporter.start();
    await flush();
    assert.equal(hub.enqueued.length, 0);
    assert.equal(hub.requests.length, 1);
    fail = false;
    await timers.advance(10_000);
    assert.deepEqual(hub.enqueued.map((m) => m.route.resource), ['null/node/edge-1', 'default/nodestatus/edge-1']);
    reporter.stop();
  });

  test('stop() ends checks and renewals', async () => {
    const { hub, reporter, timers } = setup();
    reporter.start();
    await flush();
    reporter.stop();
    const before = { r: hub.requests.length, e: hub.enqueued.length };
    await timers.advance(600_000);
    assert.deepEqual({ r: hub.requests.length, e: hub.enqueued.length }, before);
  });
});
