import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSilentLogger } from '../../core/index.js';
import { FakeKubeClient } from '../../testing/fake-kube-client.js';
import { Resources } from '../kube/index.js';
import { KeepaliveLease } from './keepalive-lease.js';

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 5));

test('a keepalive creates the node lease, later ones renew it at most every interval', async () => {
  const kube = new FakeKubeClient();
  let now = Date.parse('2026-12-02T10:00:00Z');
  const lease = new KeepaliveLease({ kube, log: createSilentLogger(), now: () => now, minIntervalMs: 10_000 });
  lease.onKeepalive('edge-1');
  await settle();
  const first = await kube.get(Resources.leases, 'kube-node-lease', 'edge-1');
  assert.equal((first?.['spec'] as any).holderIdentity, 'edge-1');
  assert.equal((first?.['spec'] as any).renewTime, '2026-12-02T10:00:00.000000Z');
  now += 5_000;
  lease.onKeepalive('edge-1');
  await settle();
  assert.equal(lease.renewed, 1, 'too soon: no second write');
  now += 10_000;
  lease.onKeepalive('edge-1');
  await settle();
  const second = await kube.get(Resources.leases, 'kube-node-lease', 'edge-1');
  assert.equal((second?.['spec'] as any).renewTime, '2026-12-02T10:00:15.000000Z');
  assert.equal(lease.renewed, 2);
});

test('a failed renewal is counted and retried on the next keepalive', async () => {
  const kube = new FakeKubeClient();
  let now = 1_000_000;
  const lease = new KeepaliveLease({ kube, log: createSilentLogger(), now: () => now });
  kube.failNext('patch', new Error('connection reset'));
  lease.onKeepalive('edge-2');
  await settle();
  assert.equal(lease.failed, 1);
  now += 1;
  lease.onKeepalive('edge-2');
  await settle();
  assert.equal(lease.renewed, 1);
  assert.ok(await kube.get(Resources.leases, 'kube-node-lease', 'edge-2'));
});
