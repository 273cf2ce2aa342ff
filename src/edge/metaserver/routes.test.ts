import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { applyMergePatch } from './merge-patch.js';
import { matchRoute } from './routes.js';

describe('matchRoute', () => {
  test('namespaced reads, cluster-wide lists, node get', () => {
    assert.deepEqual(matchRoute('GET', '/api/v1/namespaces/default/configmaps'), {
      route: { kind: 'list', resource: { type: 'configmap', kind: 'ConfigMap', namespaced: true }, namespace: 'default' },
    });
    const get = matchRoute('GET', '/api/v1/namespaces/kube-system/secrets/tok');
    assert.ok('route' in get && get.route.kind === 'get' && get.route.name === 'tok' && get.route.namespace === 'kube-system');
    const pods = matchRoute('GET', '/api/v1/pods');
    assert.ok('route' in pods && pods.route.kind === 'list' && pods.route.namespace === null);
    const node = matchRoute('GET', '/api/v1/nodes/edge-1');
    assert.ok('route' in node && node.route.kind === 'get' && node.route.resource.type === 'node');
    const ep = matchRoute('GET', '/api/v1/namespaces/default/endpoints/');
    assert.ok('route' in ep && ep.route.kind === 'list' && ep.route.resource.kind === 'Endpoints');
  });

  test('writes', () => {
    assert.deepEqual(matchRoute('PATCH', '/api/v1/namespaces/ns1/pods/p1/status'), { route: { kind: 'patchPodStatus', namespace: 'ns1', name: 'p1' } });
    assert.deepEqual(matchRoute('POST', '/api/v1/namespaces/ns1/events'), { route: { kind: 'createEvent', namespace: 'ns1' } });
  });

  test('unknown paths are NotFound, wrong methods MethodNotAllowed', () => {
    for (const p of ['/', '/api', '/api/v2/pods', '/api/v1/configmaps', '/api/v1/pods/p1', '/api/v1/namespaces/ns/deployments',
      '/api/v1/namespaces/ns/configmaps/c/status', '/api/v1/namespaces/ns/pods/p/log', '/api/v1/namespaces/a%2Fb/pods', '/api/v1/namespaces/%zz/pods']) {
      assert.deepEqual(matchRoute('GET', p), { error: 'NotFound' }, p);
    }
    assert.deepEqual(matchRoute('DELETE', '/api/v1/namespaces/ns/pods/p'), { error: 'MethodNotAllowed' });
    assert.deepEqual(matchRoute('GET', '/api/v1/namespaces/ns/events'), { error: 'MethodNotAllowed' });
    assert.deepEqual(matchRoute('PUT', '/api/v1/namespaces/ns/pods/p/status'), { error: 'MethodNotAllowed' });
  });
});

describe('applyMergePatch (RFC 7386)', () => {
  test('merges objects, null deletes, arrays and scalars replace', () => {
    assert.deepEqual(applyMergePatch({ a: 1, b: { c: 2, d: 3 }, e: [1, 2] }, { b: { c: null, x: 1 }, e: [3], f: 'n' }), { a: 1, b: { d: 3, x: 1 }, e: [3], f: 'n' });
    assert.deepEqual(applyMergePatch({ a: 1 }, [1]), [1]);
    assert.deepEqual(applyMergePatch('x', { a: { b: null } }), { a: {} });
  });

  test('a "__proto__" key stays data', () => {
    const out = applyMergePatch({}, JSON.parse('{"__proto__":{"polluted":true}}')) as Record<string, unknown>;
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
    assert.deepEqual(Object.keys(out), ['__proto__']);
  });
});
