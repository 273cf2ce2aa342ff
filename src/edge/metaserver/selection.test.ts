import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/index.js';
import { ApiError } from './api-error.js';
import { servedResources, type ResourceInfo } from './resources.js';
import { compileSelection, selectablePaths, selectionSkeleton } from './selection.js';

const resources = servedResources();
const pods = resources.find((r) => r.type === 'pod') as ResourceInfo;
const mk = (name: string, ns: string, labels: Record<string, string>, nodeName: string, phase: string): KubeObject => ({
  metadata: { name, namespace: ns, labels }, spec: { nodeName, containers: [{ name: 'c', image: 'x' }] }, status: { phase, podIP: '1.2.3.4' },
});
const all = [
  mk('web-1', 'default', { app: 'web', tier: 'front' }, 'edge-1', 'Running'),
  mk('web-2', 'default', { app: 'web' }, 'edge-2', 'Pending'),
  mk('db', 'data', { app: 'db', tier: 'back' }, 'edge-1', 'Running'),
  mk('bare', 'default', {}, '', 'Succeeded'),
];
const names = (labelSelector: string, fieldSelector = ''): string[] => {
  const f = compileSelection(pods, { labelSelector, fieldSelector });
  return all.filter(f).map((o) => o.metadata.name ?? '');
};

describe('selectors', () => {
  test('label selectors: =, ==, !=, in, notin, exists, !', () => {
    assert.deepEqual(names('app=web'), ['web-1', 'web-2']);
    assert.deepEqual(names('app==db'), ['db']);
    assert.deepEqual(names('app!=web'), ['db', 'bare']);
    assert.deepEqual(names('app in (db,web),tier'), ['web-1', 'db']);
    assert.deepEqual(names('app notin (web)'), ['db', 'bare']);
    assert.deepEqual(names('tier'), ['web-1', 'db']);
    assert.deepEqual(names('!tier'), ['web-2', 'bare']);
    assert.deepEqual(names(''), ['web-1', 'web-2', 'db', 'bare']);
  });

  test('field selectors: metadata.name, metadata.namespace, spec.nodeName, status.phase', () => {
    assert.deepEqual(names('', 'metadata.name=db'), ['db']);
    assert.deepEqual(names('', 'metadata.namespace!=default'), ['db']);
    assert.deepEqual(names('', 'spec.nodeName=edge-1,status.phase=Running'), ['web-1', 'db']);
    assert.deepEqual(names('', 'spec.nodeName='), ['bare']);
    assert.deepEqual(names('app=web', 'status.phase!=Running'), ['web-2']);
  });

  test('bad selectors and unsupported fields are 400 BadRequest', () => {
    for (const [l, f] of [['app in (web', ''], ['a=b=c', ''], ['', 'spec.foo=1'], ['', 'nonsense']]) {
      assert.throws(() => compileSelection(pods, { labelSelector: l ?? '', fieldSelector: f ?? '' }), (e: unknown) => e instanceof ApiError && e.code === 400 && e.reason === 'BadRequest', `${l} ${f}`);
    }
  });

  test('a name from the watch path narrows the selection', () => {
    const f = compileSelection(pods, { labelSelector: 'app=web', fieldSelector: '' }, 'web-2');
    assert.deepEqual(all.filter(f).map((o) => o.metadata.name), ['web-2']);
  });

  test('the skeleton selects exactly like the object', () => {
    const paths = selectablePaths(pods);
    assert.ok(paths.includes('spec.nodeName') && paths.includes('status.phase'));
    for (const [l, f] of [['app=web', ''], ['tier', 'spec.nodeName=edge-1'], ['', 'status.phase=Running'], ['', 'status.podIP=1.2.3.4'], ['!tier', 'metadata.namespace=default']]) {
      const filter = compileSelection(pods, { labelSelector: l ?? '', fieldSelector: f ?? '' });
      for (const o of all) assert.equal(filter(selectionSkeleton(o, paths)), filter(o), `${l} ${f} ${o.metadata.name}`);
    }
    assert.equal(JSON.stringify(selectionSkeleton(all[0] as KubeObject, paths)).includes('containers'), false);
  });
});
