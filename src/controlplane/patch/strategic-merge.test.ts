import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isApiError } from '../errors.js';
import { applyStrategicMergePatch } from './strategic-merge.js';
import { mergeKeyFor } from './patch-schema.js';

const pod = () => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: 'p', labels: { app: 'web', tier: 'fe' }, finalizers: ['a', 'b'] },
  spec: {
    containers: [
      { name: 'app', image: 'app:1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 80, name: 'http' }] },
      { name: 'sidecar', image: 'side:1' },
    ],
    volumes: [{ name: 'data', emptyDir: {} }],
    tolerations: [{ key: 'k1', operator: 'Exists' }],
    nodeSelector: { disk: 'ssd', zone: 'a' },
  },
});
const smp = (doc: unknown, patch: unknown, kind = 'Pod', apiVersion = 'v1') => applyStrategicMergePatch(doc, patch, kind, apiVersion) as ReturnType<typeof pod>;

function fails(fn: () => unknown, code: number, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => isApiError(e) && e.code === code && pattern.test(e.message));
}

describe('applyStrategicMergePatch', () => {
  test('containers merge by name; untouched containers and fields stay', () => {
    const original = pod();
    const out = smp(original, { spec: { containers: [{ name: 'sidecar', image: 'side:2' }] } });
    assert.deepEqual(out.spec.containers.map((c) => [c.name, c.image]), [['app', 'app:1'], ['sidecar', 'side:2']]);
    assert.deepEqual(out.spec.containers[0], pod().spec.containers[0]);
    assert.deepEqual(original, pod(), 'the input is not modified');
  });

  test('a new container without an order directive goes first, as the API server puts it', () => {
    const out = smp(pod(), { spec: { containers: [{ name: 'new', image: 'n:1' }] } });
    assert.deepEqual(out.spec.containers.map((c) => c.name), ['new', 'app', 'sidecar']);
  });

  test('env merges by name inside a merged container', () => {
    const out = smp(pod(), { spec: { containers: [{ name: 'app', env: [{ name: 'B', value: 'two' }, { name: 'C', value: '3' }] }] } });
    assert.deepEqual(out.spec.containers[0]?.env, [{ name: 'A', value: '1' }, { name: 'B', value: 'two' }, { name: 'C', value: '3' }]);
  });

  test('ports merge by containerPort', () => {
    const out = smp(pod(), { spec: { containers: [{ name: 'app', ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443 }] }] } });
    assert.deepEqual(out.spec.containers[0]?.ports, [{ containerPort: 80, name: 'http', protocol: 'TCP' }, { containerPort: 443 }]);
  });

  test('$patch: delete removes a container by its merge key', () => {
    const out = smp(pod(), { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } });
    assert.deepEqual(out.spec.containers.map((c) => c.name), ['app']);
  });

  test('$patch: replace on a map replaces it; $patch: delete empties it', () => {
    const out = smp(pod(), { spec: { nodeSelector: { $patch: 'replace', zone: 'b' } } });
    assert.deepEqual(out.spec.nodeSelector, { zone: 'b' });
    const emptied = smp(pod(), { metadata: { labels: { $patch: 'delete' } } });
    assert.deepEqual(emptied.metadata.labels, {});
  });

  test('$patch: replace inside a list makes the patch items the whole list', () => {
    const out = smp(pod(), { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'o:1' }] } });
    assert.deepEqual(out.spec.containers, [{ name: 'only', image: 'o:1' }]);
  });

  test('$retainKeys on a volume drops the old volume source', () => {
    const out = smp(pod(), { spec: { volumes: [{ name: 'data', $retainKeys: ['hostPath', 'name'], hostPath: { path: '/d' } }] } });
    assert.deepEqual(out.spec.volumes, [{ name: 'data', hostPath: { path: '/d' } }]);
    fails(() => smp(pod(), { spec: { volumes: [{ name: 'data', $retainKeys: ['name'], hostPath: { path: '/d' } }] } }), 400, /retainKeys/);
  });

  test('finalizers merge as a set; $deleteFromPrimitiveList removes entries', () => {
    assert.deepEqual(smp(pod(), { metadata: { finalizers: ['b', 'c'] } }).metadata.finalizers, ['a', 'b', 'c']);
    assert.deepEqual(smp(pod(), { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }).metadata.finalizers, ['b']);
    const out = smp(pod(), { metadata: { '$setElementOrder/finalizers': ['b', 'c'], '$deleteFromPrimitiveList/finalizers': ['a'], finalizers: ['c'] } });
    assert.deepEqual(out.metadata.finalizers, ['b', 'c']);
  });

  test('$setElementOrder/containers orders the merged list (kubectl apply\'s patch)', () => {
    const out = smp(pod(), { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'new' }, { name: 'app' }], containers: [{ name: 'new', image: 'n:1' }] } });
    assert.deepEqual(out.spec.containers.map((c) => c.name), ['sidecar', 'new', 'app']);
    const only = smp(pod(), { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'app' }] } });
    assert.deepEqual(only.spec.containers.map((c) => c.name), ['sidecar', 'app']);
    fails(() => smp(pod(), { spec: { '$setElementOrder/containers': [{ name: 'app' }], containers: [{ name: 'x' }] } }), 400, /setElementOrder/);
  });

  test('null deletes a key; lists without a strategy are replaced', () => {
    const out = smp(pod(), { metadata: { labels: { tier: null } }, spec: { tolerations: [{ key: 'k2', operator: 'Exists' }], nodeSelector: null } });
    assert.deepEqual(out.metadata.labels, { app: 'web' });
    assert.deepEqual(out.spec.tolerations, [{ key: 'k2', operator: 'Exists' }]);
    assert.equal('nodeSelector' in out.spec, false);
  });

  test('new values lose nulls and directives', () => {
    const out = smp({ metadata: { name: 'p' } }, { spec: { containers: [{ name: 'a', image: null, env: [{ name: 'X', $patch: 'delete' }] }], affinity: { $patch: 'delete' } } });
    assert.deepEqual(out, { metadata: { name: 'p' }, spec: { containers: [{ name: 'a', env: [] }] } });
  });

  test('a Deployment merges spec.template.spec.containers and honours $retainKeys on strategy', () => {
    const deployment = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' },
      spec: {
        replicas: 1, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } },
        template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:1' }] } },
      },
    };
    const out = applyStrategicMergePatch(deployment, {
      spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' }, template: { spec: { containers: [{ name: 'b', image: 'b:2' }] } } },
    }, 'Deployment', 'apps/v1') as typeof deployment;
    assert.deepEqual(out.spec.strategy, { type: 'Recreate' });
    assert.deepEqual(out.spec.template.spec.containers, [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:2' }]);
  });

  test('Service ports merge by port; Node conditions and addresses by type; ownerReferences by uid', () => {
    const svc = { metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] } };
    const s = applyStrategicMergePatch(svc, { spec: { ports: [{ port: 80, targetPort: 9090 }] } }, 'Service', 'v1') as typeof svc;
    assert.deepEqual(s.spec.ports, [{ port: 80, targetPort: 9090 }, { port: 443 }]);
    const node = { metadata: { name: 'n' }, status: { conditions: [{ type: 'Ready', status: 'False' }, { type: 'DiskPressure', status: 'False' }], addresses: [{ type: 'InternalIP', address: '10.0.0.1' }] } };
    const n = applyStrategicMergePatch(node, { status: { conditions: [{ type: 'Ready', status: 'True' }], addresses: [{ type: 'Hostname', address: 'n' }] } }, 'Node', 'v1') as typeof node;
    assert.deepEqual(n.status.conditions, [{ type: 'Ready', status: 'True' }, { type: 'DiskPressure', status: 'False' }]);
    assert.deepEqual(n.status.addresses.map((a) => a.type).sort(), ['Hostname', 'InternalIP']);
    const owned = { metadata: { name: 'x', ownerReferences: [{ uid: '1', name: 'a' }] } };
    const o = applyStrategicMergePatch(owned, { metadata: { ownerReferences: [{ uid: '2', name: 'b' }] } }, 'ConfigMap', 'v1') as typeof owned;
    assert.deepEqual(o.metadata.ownerReferences.map((r) => r.uid).sort(), ['1', '2']);
  });

  test('a kind without a table merges maps and replaces lists', () => {
    const widget = { metadata: { name: 'w', finalizers: ['a'] }, spec: { items: [{ name: 'x' }], settings: { a: 1 } } };
    const out = applyStrategicMergePatch(widget, { metadata: { finalizers: ['b'] }, spec: { items: [{ name: 'y' }], settings: { b: 2 } } }, 'Widget', 'example.com/v1') as typeof widget;
    assert.deepEqual(out.spec, { items: [{ name: 'y' }], settings: { a: 1, b: 2 } });
    assert.deepEqual([...out.metadata.finalizers].sort(), ['a', 'b'], 'metadata keeps ObjectMeta rules');
  });

  test('malformed merges are reported', () => {
    fails(() => smp(pod(), { spec: { containers: [{ image: 'no-name' }] } }), 422, /does not contain declared merge key: name/);
    fails(() => smp(pod(), { spec: { containers: [{ name: 'app', $patch: 'merge' }] } }), 422, /merging lists cannot yet be specified/);
    fails(() => smp(pod(), { spec: { $patch: 'explode' } }), 422, /unknown patch type/);
    fails(() => smp(pod(), { metadata: { '$deleteFromPrimitiveList/finalizers': 'a' } }), 400, /primitive list/);
    fails(() => smp(pod(), [1]), 400, /JSON object/);
  });

  test('mergeKeyFor reports the table', () => {
    assert.deepEqual(mergeKeyFor('Deployment', ['spec', 'template', 'spec', 'containers', 'ports']), { strategy: 'merge', mergeKey: 'containerPort', retainKeys: false });
    assert.deepEqual(mergeKeyFor('Pod', ['spec', 'volumes']), { strategy: 'merge', mergeKey: 'name', retainKeys: true });
    assert.deepEqual(mergeKeyFor('Pod', ['metadata', 'finalizers']), { strategy: 'merge', retainKeys: false });
    assert.deepEqual(mergeKeyFor('Pod', ['spec', 'tolerations']), { strategy: 'replace', retainKeys: false });
    assert.deepEqual(mergeKeyFor('Job', ['spec', 'template', 'spec', 'initContainers'], 'batch/v1').mergeKey, 'name');
  });
});
