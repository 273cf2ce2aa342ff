import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/index.js';
import { makeControllerHarness, testRefs, waitFor, type ControllerHarness } from '../../testing/controller-harness.js';
import { fitErrorMessage } from './scheduler-filters.js';

function pod(name: string, spec: Record<string, unknown> = {}, requests?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'app', image: 'nginx:1.25', ...(requests ? { resources: { requests } } : {}) }], ...spec },
  };
}

const nodeOf = (h: ControllerHarness, name: string): string | undefined =>
  (h.tryGet(testRefs.pods, 'default', name)?.spec as { nodeName?: string } | undefined)?.nodeName;

const scheduledCondition = (h: ControllerHarness, name: string): Record<string, unknown> | undefined =>
  ((h.tryGet(testRefs.pods, 'default', name)?.status as { conditions?: Record<string, unknown>[] } | undefined)?.conditions ?? [])
    .find((c) => c.type === 'PodScheduled');

describe('scheduler', () => {
  let h: ControllerHarness;
  beforeEach(() => { h = makeControllerHarness(); });
  afterEach(async () => { await h.close(); });

  test('binds a pending pod to a ready node and records a Scheduled event', async () => {
    h.createNode('n1');
    await h.start(['scheduler']);
    h.api.create(testRefs.pods, 'default', pod('web'));
    assert.equal(await waitFor(() => nodeOf(h, 'web'), 'binding'), 'n1');
    const events = await waitFor(() => h.list(testRefs.events, 'default').filter((e) => e.reason === 'Scheduled'), 'event');
    assert.equal(events[0]?.message, 'Successfully assigned default/web to n1');
    assert.equal((events[0]?.source as { component?: string }).component, 'default-scheduler');
  });

  test('honours nodeSelector', async () => {
    h.createNode('plain');
    h.createNode('fast', { labels: { disk: 'ssd' } });
    await h.start(['scheduler']);
    h.api.create(testRefs.pods, 'default', pod('db', { nodeSelector: { disk: 'ssd' } }));
    assert.equal(await waitFor(() => nodeOf(h, 'db'), 'binding'), 'fast');
  });

  test('honours required node affinity: expressions and matchFields', async () => {
    h.createNode('a', { labels: { zone: 'z1', gen: '3' } });
    h.createNode('b', { labels: { zone: 'z2', gen: '5' } });
    h.createNode('c', { labels: { zone: 'z2', gen: '7', edge: '' } });
    await h.start(['scheduler']);
    const affinity = (terms: unknown[]): Record<string, unknown> =>
      ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });
    h.api.create(testRefs.pods, 'default', pod('p1', affinity([{ matchExpressions: [
      { key: 'zone', operator: 'In', values: ['z2'] }, { key: 'gen', operator: 'Lt', values: ['6'] }] }])));
    h.api.create(testRefs.pods, 'default', pod('p2', affinity([{ matchExpressions: [
      { key: 'edge', operator: 'Exists' }, { key: 'zone', operator: 'NotIn', values: ['z1'] }] }])));
    h.api.create(testRefs.pods, 'default', pod('p3', affinity([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a'] }] }])));
    h.api.create(testRefs.pods, 'default', pod('p4', affinity([{ matchExpressions: [
      { key: 'edge', operator: 'DoesNotExist' }, { key: 'gen', operator: 'Gt', values: ['4'] }] }])));
    assert.equal(await waitFor(() => nodeOf(h, 'p1'), 'p1'), 'b');
    assert.equal(await waitFor(() => nodeOf(h, 'p2'), 'p2'), 'c');
    assert.equal(await waitFor(() => nodeOf(h, 'p3'), 'p3'), 'a');
    assert.equal(await waitFor(() => nodeOf(h, 'p4'), 'p4'), 'b');
  });

  test('skips tainted nodes unless tolerated', async () => {
    h.createNode('tainted', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }], allocatable: { cpu: '64', memory: '64Gi', pods: '110' } });
    h.createNode('small', { allocatable: { cpu: '1', memory: '1Gi', pods: '110' } });
    await h.start(['scheduler']);
    h.api.create(testRefs.pods, 'default', pod('plain'));
    h.api.create(testRefs.pods, 'default', pod('equal', { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }));
    h.api.create(testRefs.pods, 'default', pod('all', { tolerations: [{ operator: 'Exists' }] }));
    assert.equal(await waitFor(() => nodeOf(h, 'plain'), 'plain'), 'small');
    // The tainted node has far more room, so a tolerating pod prefers it.
    assert.equal(await waitFor(() => nodeOf(h, 'equal'), 'equal'), 'tainted');
    assert.equal(await waitFor(() => nodeOf(h, 'all'), 'all'), 'tainted');
  });

  test('respects requests against allocatable and reports Insufficient cpu', async () => {
    h.createNode('n1', { allocatable: { cpu: '1', memory: '1Gi', pods: '10' } });
    await h.start(['scheduler']);
    h.api.create(testRefs.pods, 'default', pod('big', {}, { cpu: '700m', memory: '256Mi' }));
    assert.equal(await waitFor(() => nodeOf(h, 'big'), 'big'), 'n1');
    h.api.create(testRefs.pods, 'default', pod('second', {}, { cpu: '0.5', memory: '128Mi' }));
    const cond = await waitFor(() => scheduledCondition(h, 'second'), 'Unschedulable condition');
    assert.equal(cond.status, 'False');
    assert.equal(cond.reason, 'Unschedulable');
    assert.equal(cond.message, '0/1 nodes are available: 1 Insufficient cpu.');
    const warn = await waitFor(() => h.list(testRefs.events, 'default').find((e) => e.reason === 'FailedScheduling'), 'event');
    assert.equal(warn.type, 'Warning');
    // Room frees up when the big pod goes; the waiting pod is retried and bound.
    h.api.delete(testRefs.pods, 'default', 'big', { gracePeriodSeconds: 0 });
    assert.equal(await waitFor(() => nodeOf(h, 'second'), 'second after room freed'), 'n1');
  });

  test('counts init containers as the max with the app containers, and the pod limit', async () => {
    h.createNode('n1', { allocatable: { cpu: '2', memory: '1Gi', pods: '1' } });
    await h.start(['scheduler']);
    h.api.create(testRefs.pods, 'default', pod('one'));
    assert.equal(await waitFor(() => nodeOf(h, 'one'), 'one'), 'n1');
    h.api.create(testRefs.pods, 'default', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'init' },
      spec: {
        initContainers: [{ name: 'setup', image: 'busybox:1', resources: { requests: { cpu: '3' } } }],
        containers: [{ name: 'app', image: 'nginx:1', resources: { requests: { cpu: '100m' } } }],
      },
    });
    const cond = await waitFor(() => scheduledCondition(h, 'init'), 'init condition');
    assert.equal(cond.message, '0/1 nodes are available: 1 Insufficient cpu, 1 Too many pods.');
  });

  test('does not use nodes that are not ready and says why', async () => {
    h.createNode('down', { ready: 'Unknown' });
    h.createNode('sick', { ready: 'False' });
    h.createNode('cordoned', { unschedulable: true });
    h.createNode('picky', { labels: { x: 'y' }, taints: [{ key: 'k', effect: 'NoExecute' }] });
    await h.start(['scheduler']);
    h.api.create(testRefs.pods, 'default', pod('web', { nodeSelector: { x: 'z' } }));
    const cond = await waitFor(() => scheduledCondition(h, 'web'), 'condition');
    assert.equal(cond.message, '0/4 nodes are available: 1 node(s) had untolerated taint {k: }, ' +
      '1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, ' +
      '1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 1 node(s) were unschedulable.');
    // A node that becomes usable triggers a retry.
    h.createNode('fresh', { labels: { x: 'z' } });
    assert.equal(await waitFor(() => nodeOf(h, 'web'), 'binding to the new node'), 'fresh');
  });

  test('spreads equal pods over equal nodes and ignores other schedulers', async () => {
    h.createNode('a');
    h.createNode('b');
    await h.start(['scheduler']);
    for (const n of ['p1', 'p2', 'p3', 'p4']) h.api.create(testRefs.pods, 'default', pod(n));
    h.api.create(testRefs.pods, 'default', pod('mine', { schedulerName: 'other-scheduler' }));
    const nodes = await waitFor(() => {
      const all = ['p1', 'p2', 'p3', 'p4'].map((n) => nodeOf(h, n));
      return all.every(Boolean) ? all : undefined;
    }, 'all bound');
    assert.equal(nodes.filter((n) => n === 'a').length, 2);
    assert.equal(nodes.filter((n) => n === 'b').length, 2);
    assert.equal(nodeOf(h, 'mine'), undefined);
  });
});

describe('fitErrorMessage', () => {
  test('sorts "<count> <reason>" strings like kube-scheduler', () => {
    assert.equal(fitErrorMessage(3, [["node(s) didn't match Pod's node affinity/selector"],
      ['node(s) had untolerated taint {node.kubernetes.io/unreachable: }'], ['node(s) had untolerated taint {node.kubernetes.io/unreachable: }']]),
    "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 node(s) had untolerated taint {node.kubernetes.io/unreachable: }.");
    assert.equal(fitErrorMessage(0, []), 'no nodes available to schedule pods');
  });
});
