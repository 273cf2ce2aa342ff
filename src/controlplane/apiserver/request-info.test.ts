import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isWatch, parsePath, verbOf, type ResourcePath } from './request-info.js';

const res = (p: Partial<ResourcePath>): ResourcePath => ({
  kind: 'resource', group: '', version: 'v1', resource: '', namespace: '', name: '', subresource: '', watchPrefix: false, ...p,
});

describe('parsePath', () => {
  test('discovery paths', () => {
    assert.deepEqual(parsePath('/api'), { kind: 'api-versions' });
    assert.deepEqual(parsePath('/api/'), { kind: 'api-versions' });
    assert.deepEqual(parsePath('/apis'), { kind: 'api-groups' });
    assert.deepEqual(parsePath('/apis/apps'), { kind: 'api-group', group: 'apps' });
    assert.deepEqual(parsePath('/api/v1'), { kind: 'api-resources', group: '', version: 'v1' });
    assert.deepEqual(parsePath('/apis/apps/v1'), { kind: 'api-resources', group: 'apps', version: 'v1' });
  });

  test('namespaced and cluster-scoped resource paths', () => {
    assert.deepEqual(parsePath('/api/v1/pods'), res({ resource: 'pods' }));
    assert.deepEqual(parsePath('/api/v1/namespaces/default/pods'), res({ resource: 'pods', namespace: 'default' }));
    assert.deepEqual(parsePath('/api/v1/namespaces/default/pods/web/log'), res({ resource: 'pods', namespace: 'default', name: 'web', subresource: 'log' }));
    assert.deepEqual(parsePath('/apis/apps/v1/namespaces/ns/deployments/d/scale'),
      res({ group: 'apps', resource: 'deployments', namespace: 'ns', name: 'd', subresource: 'scale' }));
    assert.deepEqual(parsePath('/api/v1/nodes/n1/status'), res({ resource: 'nodes', name: 'n1', subresource: 'status' }));
  });

  test('a Namespace is itself cluster-scoped, with status and finalize subresources', () => {
    assert.deepEqual(parsePath('/api/v1/namespaces'), res({ resource: 'namespaces' }));
    assert.deepEqual(parsePath('/api/v1/namespaces/kube-system'), res({ resource: 'namespaces', name: 'kube-system' }));
    assert.deepEqual(parsePath('/api/v1/namespaces/x/finalize'), res({ resource: 'namespaces', name: 'x', subresource: 'finalize' }));
    assert.deepEqual(parsePath('/api/v1/namespaces/x/status'), res({ resource: 'namespaces', name: 'x', subresource: 'status' }));
  });

  test('legacy /watch/ prefix and percent-encoding', () => {
    assert.deepEqual(parsePath('/api/v1/watch/namespaces/a/pods/p'), res({ resource: 'pods', namespace: 'a', name: 'p', watchPrefix: true }));
    assert.deepEqual(parsePath('/api/v1/namespaces/a/configmaps/x%2Ey'), res({ resource: 'configmaps', namespace: 'a', name: 'x.y' }));
    assert.deepEqual(parsePath('/api/v1/namespaces/a/configmaps/%E0%A4%A'), { kind: 'invalid' });
  });

  test('other paths', () => {
    assert.deepEqual(parsePath('/version'), { kind: 'other' });
    assert.deepEqual(parsePath('/api/v1/namespaces/a/pods/p/proxy/x'), { kind: 'other' });
    assert.deepEqual(parsePath('/api/v1/namespaces//pods'), { kind: 'other' });
  });
});

describe('verbOf', () => {
  const list = res({ resource: 'pods', namespace: 'a' });
  const named = res({ resource: 'pods', namespace: 'a', name: 'p' });
  test('maps methods like kube-apiserver', () => {
    assert.equal(verbOf('GET', list, false), 'list');
    assert.equal(verbOf('GET', list, true), 'watch');
    assert.equal(verbOf('GET', named, false), 'get');
    assert.equal(verbOf('POST', list, false), 'create');
    assert.equal(verbOf('POST', named, false), undefined);
    assert.equal(verbOf('POST', { ...named, subresource: 'binding' }, false), 'create');
    assert.equal(verbOf('PUT', named, false), 'update');
    assert.equal(verbOf('PUT', list, false), undefined);
    assert.equal(verbOf('PATCH', named, false), 'patch');
    assert.equal(verbOf('DELETE', named, false), 'delete');
    assert.equal(verbOf('DELETE', list, false), 'deletecollection');
    assert.equal(verbOf('OPTIONS', list, false), undefined);
  });
  test('isWatch', () => {
    assert.equal(isWatch(list, new URLSearchParams('watch=true')), true);
    assert.equal(isWatch(list, new URLSearchParams('watch=1')), true);
    assert.equal(isWatch(list, new URLSearchParams('watch=false')), false);
    assert.equal(isWatch({ ...list, watchPrefix: true }, new URLSearchParams()), true);
  });
});
