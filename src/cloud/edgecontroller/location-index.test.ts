import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/index.js';
import { LocationIndex } from './location-index.js';
import { podReferences } from './pod-references.js';
import { mergePodStatus, readyToFinishDeletion } from './pod-status.js';

function pod(name: string, node: string, spec: Record<string, unknown> = {}, ns = 'default'): KubeObject {
  return { metadata: { name, namespace: ns, uid: `uid-${name}` }, spec: { nodeName: node, containers: [{ name: 'c' }], ...spec } };
}
const cmVolume = (cm: string): Record<string, unknown> => ({ volumes: [{ name: 'v', configMap: { name: cm } }] });

describe('podReferences', () => {
  test('finds configmaps, secrets, claims and the service account everywhere KubeEdge and Kubernetes look', () => {
    const refs = podReferences(pod('p', 'n', {
      serviceAccountName: 'robot',
      volumes: [
        { configMap: { name: 'vol-cm' } },
        { secret: { secretName: 'vol-sec' } },
        { persistentVolumeClaim: { claimName: 'data' } },
        { projected: { sources: [{ configMap: { name: 'proj-cm' } }, { secret: { name: 'proj-sec' } }, { serviceAccountToken: {} }] } },
      ],
      containers: [{
        name: 'c',
        envFrom: [{ configMapRef: { name: 'envfrom-cm' } }, { secretRef: { name: 'envfrom-sec' } }],
        env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'env-cm', key: 'k' } } }, { name: 'B', value: 'x' }],
      }],
      initContainers: [{ name: 'i', env: [{ name: 'C', valueFrom: { secretKeyRef: { name: 'init-sec', key: 'k' } } }] }],
      imagePullSecrets: [{ name: 'pull' }, { name: 'vol-sec' }],
    }));
    assert.deepEqual(refs.configmaps.sort(), ['env-cm', 'envfrom-cm', 'proj-cm', 'vol-cm']);
    assert.deepEqual(refs.secrets.sort(), ['envfrom-sec', 'init-sec', 'proj-sec', 'pull', 'vol-sec']);
    assert.deepEqual(refs.persistentvolumeclaims, ['data']);
    assert.deepEqual(refs.serviceaccounts, ['robot']);
  });

  test('the service account defaults to "default"', () => {
    assert.deepEqual(podReferences(pod('p', 'n')).serviceaccounts, ['default']);
  });
});

describe('LocationIndex', () => {
  test('the first pod referencing a configmap on a node is a gain, the last one leaving a loss', () => {
    const ix = new LocationIndex();
    const a = ix.upsertPod(pod('a', 'n1', cmVolume('cfg')));
    assert.deepEqual(a.gained.filter((g) => g.kind === 'configmaps'), [{ kind: 'configmaps', namespace: 'default', name: 'cfg', node: 'n1' }]);
    const b = ix.upsertPod(pod('b', 'n1', cmVolume('cfg')));
    assert.equal(b.gained.filter((g) => g.kind === 'configmaps').length, 0, 'second pod on the same node: no news');
    assert.deepEqual(ix.nodesReferencing('configmaps', 'default', 'cfg'), ['n1']);
    assert.equal(ix.removePod('default', 'a').filter((l) => l.kind === 'configmaps').length, 0);
    assert.ok(ix.nodeReferences('n1', 'configmaps', 'default', 'cfg'));
    assert.deepEqual(ix.removePod('default', 'b').filter((l) => l.kind === 'configmaps').map((l) => l.node), ['n1']);
    assert.equal(ix.nodeReferences('n1', 'configmaps', 'default', 'cfg'), false);
    assert.deepEqual(ix.nodesReferencing('configmaps', 'default', 'cfg'), []);
  });

  test('an unchanged pod update is no change; a dropped reference is a loss', () => {
    const ix = new LocationIndex();
    ix.upsertPod(pod('a', 'n1', cmVolume('cfg')));
    assert.deepEqual(ix.upsertPod(pod('a', 'n1', cmVolume('cfg'))), { gained: [], lost: [] });
    const changed = ix.upsertPod(pod('a', 'n1', cmVolume('other')));
    assert.deepEqual(changed.gained.map((g) => g.name), ['other']);
    assert.deepEqual(changed.lost.map((g) => g.name), ['cfg']);
  });

  test('binding an unscheduled pod gains its references on the node', () => {
    const ix = new LocationIndex();
    assert.deepEqual(ix.upsertPod(pod('a', '', cmVolume('cfg'))), { gained: [], lost: [] });
    assert.equal(ix.pod('default', 'a'), undefined);
    const bound = ix.upsertPod(pod('a', 'n2', cmVolume('cfg')));
    assert.ok(bound.gained.some((g) => g.kind === 'configmaps' && g.node === 'n2'));
    assert.equal(ix.pod('default', 'a')?.node, 'n2');
    assert.deepEqual(ix.podsOnNode('n2'), ['default/a']);
  });

  test('references are per namespace and fan out to every node using them', () => {
    const ix = new LocationIndex();
    for (let i = 0; i < 100; i++) ix.upsertPod(pod(`p${i}`, `n${i % 10}`, cmVolume('shared')));
    ix.upsertPod(pod('q', 'n99', cmVolume('shared'), 'other'));
    assert.equal(ix.nodesReferencing('configmaps', 'default', 'shared').length, 10);
    assert.deepEqual(ix.nodesReferencing('configmaps', 'other', 'shared'), ['n99']);
    assert.equal(ix.referencesOfNode('n3').filter((r) => r.kind === 'configmaps').length, 1);
  });

  test('edge nodes are a set', () => {
    const ix = new LocationIndex();
    assert.equal(ix.addEdgeNode('e'), true);
    assert.equal(ix.addEdgeNode('e'), false);
    assert.ok(ix.isEdgeNode('e'));
    assert.equal(ix.removeEdgeNode('e'), true);
    assert.equal(ix.isEdgeNode('e'), false);
  });
});

describe('mergePodStatus', () => {
  const now = '2026-01-01T00:00:10Z';
  test('keeps Ready lastTransitionTime while unchanged and startTime forever', () => {
    const old = { startTime: '2026-01-01T00:00:00Z', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: 'T0' }] };
    const out = mergePodStatus(old, { phase: 'Running', startTime: 'later', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: 'T9' }] }, now);
    assert.equal(out.startTime, '2026-01-01T00:00:00Z');
    assert.equal(out.conditions?.[0]?.lastTransitionTime, 'T0');
    const flipped = mergePodStatus(old, { conditions: [{ type: 'Ready', status: 'False' }] }, now);
    assert.equal(flipped.conditions?.[0]?.lastTransitionTime, now);
  });

  test('a first status gets a startTime', () => {
    assert.equal(mergePodStatus(undefined, { phase: 'Pending' }, now).startTime, now);
  });

  test('a terminating pod whose containers ended is ready to be removed', () => {
    const ended = { phase: 'Succeeded', containerStatuses: [{ state: { terminated: {} } }] };
    assert.ok(readyToFinishDeletion('2026-01-01T00:00:00Z', ended));
    assert.equal(readyToFinishDeletion(undefined, ended), false);
    assert.equal(readyToFinishDeletion('t', { phase: 'Running', containerStatuses: [{ state: { running: {} } }] }), false);
  });
});
