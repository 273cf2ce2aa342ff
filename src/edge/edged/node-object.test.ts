import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ConditionTracker, formatTime } from './node-conditions.js';
import type { NodeFacts } from './node-facts.js';
import { formatMicroTime, nodeStatusMessage } from './node-messages.js';
import { buildNode, buildNodeStatus, bytesQuantity, statusKey } from './node-object.js';

const facts: NodeFacts = {
  cpuCores: 4,
  memoryTotalKi: 8_000_000,
  memoryAvailableKi: 6_000_000,
  storageTotalBytes: 1000 * 1024 * 1024,
  storageAvailableBytes: 500 * 1024 * 1024,
  pidMax: 32768,
  pidsInUse: 200,
  internalIP: '192.168.1.10',
  os: { machineID: 'm', systemUUID: 'u', bootID: 'b', kernelVersion: '6.1', osImage: 'Debian', operatingSystem: 'linux', architecture: 'arm64' },
};
const opts = { nodeName: 'edge-1', maxPods: 110, kubeletVersion: 'v1.31.0-kubeedge-ts', containerRuntimeVersion: 'unknown://' };
const T0 = Date.UTC(2025, 5, 1);

describe('node status', () => {
  test('capacity and allocatable in Kubernetes quantities, kubelet eviction thresholds subtracted', () => {
    const s = buildNodeStatus(facts, new ConditionTracker().update(facts, T0), opts);
    assert.deepEqual(s.capacity, { cpu: '4', 'ephemeral-storage': '1024000Ki', memory: '8000000Ki', pods: '110' });
    assert.deepEqual(s.allocatable, { cpu: '4', 'ephemeral-storage': '921600Ki', memory: '7897600Ki', pods: '110' });
    assert.deepEqual(s.addresses, [{ type: 'InternalIP', address: '192.168.1.10' }, { type: 'Hostname', address: 'edge-1' }]);
    assert.equal(s.nodeInfo.kubeletVersion, 'v1.31.0-kubeedge-ts');
    assert.equal(s.nodeInfo.architecture, 'arm64');
    assert.deepEqual(s.conditions.map((c) => [c.type, c.status, c.reason]), [
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory'],
      ['DiskPressure', 'False', 'KubeletHasNoDiskPressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID'],
      ['Ready', 'True', 'KubeletReady'],
    ]);
    assert.equal(bytesQuantity(1000), '1000');
  });

  test('statusKey ignores heartbeats but not transitions', () => {
    const tracker = new ConditionTracker();
    const a = buildNodeStatus(facts, tracker.update(facts, T0), opts);
    const b = buildNodeStatus(facts, tracker.update(facts, T0 + 10_000), opts);
    assert.notEqual(a.conditions[3]?.lastHeartbeatTime, b.conditions[3]?.lastHeartbeatTime);
    assert.equal(b.conditions[3]?.lastTransitionTime, formatTime(T0));
    assert.equal(statusKey(a), statusKey(b));
    const pressed = { ...facts, pidsInUse: 32000 };
    const c = buildNodeStatus(pressed, tracker.update(pressed, T0 + 20_000), opts);
    assert.notEqual(statusKey(b), statusKey(c));
    assert.equal(c.conditions[2]?.status, 'True');
    assert.equal(c.conditions[2]?.lastTransitionTime, formatTime(T0 + 20_000));
  });

  test('pressure stays on for the transition period after the last sighting', () => {
    const tracker = new ConditionTracker(60_000);
    const low = { ...facts, memoryAvailableKi: 1024 };
    assert.equal(tracker.update(low, T0)[0]?.status, 'True');
    assert.equal(tracker.update(facts, T0 + 59_000)[0]?.status, 'True');
    assert.equal(tracker.update(facts, T0 + 60_000)[0]?.status, 'False');
  });

  test('disk pressure below 10% available', () => {
    const full = { ...facts, storageAvailableBytes: facts.storageTotalBytes * 0.05 };
    assert.equal(new ConditionTracker().update(full, T0)[1]?.status, 'True');
  });
});

describe('node messages', () => {
  test('registration node and status request shapes', () => {
    const status = buildNodeStatus(facts, new ConditionTracker().update(facts, T0), opts);
    const node = buildNode('edge-1', status, { 'kubernetes.io/hostname': 'override' });
    assert.equal(node.apiVersion, 'v1');
    assert.equal(node.metadata.labels?.['kubernetes.io/hostname'], 'override', 'configured labels win');
    const msg = nodeStatusMessage('edge-1', status, 'uid-1', { now: () => T0, newId: () => 'id-1' });
    assert.deepEqual(msg.header, { msg_id: 'id-1', timestamp: T0 });
    assert.deepEqual(msg.route, { source: 'edged', group: 'meta', operation: 'update', resource: 'default/nodestatus/edge-1' });
    assert.deepEqual(msg.content, { UID: 'uid-1', Status: status });
  });

  test('time formats: metav1.Time seconds, MicroTime six digits', () => {
    assert.equal(formatTime(Date.UTC(2025, 0, 2, 3, 4, 5, 678)), '2025-01-02T03:04:05Z');
    assert.equal(formatMicroTime(Date.UTC(2025, 0, 2, 3, 4, 5, 678)), '2025-01-02T03:04:05.678000Z');
  });
});
