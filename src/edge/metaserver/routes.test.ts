import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from './api-error.js';
import { applyMergePatch } from './merge-patch.js';
import { negotiateFormat, parseReadOptions } from './request-options.js';
import { servedResources } from './resources.js';
import { matchRoute, type RouteMatch } from './routes.js';

const resources = servedResources();
const match = (method: string, path: string): RouteMatch => matchRoute(method, path, resources);
const summary = (m: RouteMatch): string => {
  if ('error' in m) return m.error;
  const r = m.route;
  if (r.kind === 'get' || r.kind === 'list') {
    return `${r.kind}${r.kind === 'list' && r.watch ? '+watch' : ''} ${r.resource.plural} ns=${r.namespace ?? '*'}${'name' in r && r.name !== undefined ? ` name=${r.name}` : ''}`;
  }
  return JSON.stringify(r);
};

describe('matchRoute', () => {
  test('discovery paths', () => {
    assert.deepEqual(match('GET', '/version'), { route: { kind: 'version' } });
    assert.deepEqual(match('GET', '/api'), { route: { kind: 'apiVersions' } });
    assert.deepEqual(match('GET', '/api/v1'), { route: { kind: 'apiResources', group: '', version: 'v1' } });
    assert.deepEqual(match('GET', '/apis'), { route: { kind: 'apiGroupList' } });
    assert.deepEqual(match('GET', '/apis/devices.kubeedge.io'), { route: { kind: 'apiGroup', group: 'devices.kubeedge.io' } });
    assert.deepEqual(match('GET', '/apis/devices.kubeedge.io/v1beta1/'), { route: { kind: 'apiResources', group: 'devices.kubeedge.io', version: 'v1beta1' } });
    assert.deepEqual(match('POST', '/api/v1'), { error: 'MethodNotAllowed' });
  });

  test('namespaced reads, all-namespace lists, cluster-scoped nodes, devices', () => {
    assert.equal(summary(match('GET', '/api/v1/namespaces/default/configmaps')), 'list configmaps ns=default');
    assert.equal(summary(match('GET', '/api/v1/namespaces/kube-system/secrets/tok')), 'get secrets ns=kube-system name=tok');
    assert.equal(summary(match('GET', '/api/v1/pods')), 'list pods ns=*');
    assert.equal(summary(match('GET', '/api/v1/configmaps')), 'list configmaps ns=*');
    assert.equal(summary(match('GET', '/api/v1/nodes/edge-1')), 'get nodes ns=* name=edge-1');
    assert.equal(summary(match('GET', '/api/v1/namespaces/default/endpoints/')), 'list endpoints ns=default');
    assert.equal(summary(match('GET', '/api/v1/namespaces/default/pods/web/status')), 'get pods ns=default name=web');
    assert.equal(summary(match('GET', '/apis/devices.kubeedge.io/v1beta1/devices')), 'list devices ns=*');
    assert.equal(summary(match('GET', '/apis/devices.kubeedge.io/v1beta1/namespaces/d/devicemodels/m')), 'get devicemodels ns=d name=m');
  });

  test('watch paths', () => {
    assert.equal(summary(match('GET', '/api/v1/watch/pods')), 'list+watch pods ns=*');
    assert.equal(summary(match('GET', '/api/v1/watch/namespaces/ns1/pods/p')), 'list+watch pods ns=ns1 name=p');
    assert.equal(summary(match('GET', '/api/v1/watch/nodes/n1')), 'list+watch nodes ns=* name=n1');
    assert.equal(summary(match('GET', '/apis/devices.kubeedge.io/v1beta1/watch/namespaces/d/devices')), 'list+watch devices ns=d');
    assert.equal(summary(match('GET', '/api/v1/watch/namespaces/ns/pods/p/status')), 'NotFound');
  });

  test('writes', () => {
    assert.deepEqual(match('PATCH', '/api/v1/namespaces/ns1/pods/p1/status'), { route: { kind: 'patchPodStatus', namespace: 'ns1', name: 'p1' } });
    assert.deepEqual(match('POST', '/api/v1/namespaces/ns1/events'), { route: { kind: 'createEvent', namespace: 'ns1' } });
  });

  test('unknown paths are NotFound, wrong methods MethodNotAllowed', () => {
    for (const p of ['/', '/api/v2/pods', '/api/v1/pods/p1', '/api/v1/namespaces/ns/deployments', '/apis/apps/v1/deployments',
      '/apis/devices.kubeedge.io/v1alpha2/devices', '/apis/devices.kubeedge.io/v1beta1/pods', '/api/v1/namespaces/ns/nodes',
      '/api/v1/namespaces/ns/configmaps/c/status', '/api/v1/namespaces/ns/pods/p/log', '/api/v1/namespaces/a%2Fb/pods', '/api/v1/namespaces/%zz/pods',
      '/api/v1/namespaces/default', '/openapi/v2', '/openapi/v3']) {
      assert.deepEqual(match('GET', p), { error: 'NotFound' }, p);
    }
    assert.deepEqual(match('DELETE', '/api/v1/namespaces/ns/pods/p'), { error: 'MethodNotAllowed' });
    assert.deepEqual(match('GET', '/api/v1/namespaces/ns/events'), { error: 'MethodNotAllowed' });
    assert.deepEqual(match('PUT', '/api/v1/namespaces/ns/pods/p/status'), { error: 'MethodNotAllowed' });
    assert.deepEqual(match('POST', '/api/v1/watch/pods'), { error: 'MethodNotAllowed' });
  });
});

describe('request options', () => {
  test('Accept: Table as kubectl asks, plain JSON, 406 otherwise', () => {
    const kubectl = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
    assert.deepEqual(negotiateFormat(kubectl), { kind: 'table', version: 'v1' });
    assert.deepEqual(negotiateFormat(kubectl, false), { kind: 'json' });
    assert.deepEqual(negotiateFormat(undefined), { kind: 'json' });
    assert.deepEqual(negotiateFormat('application/json, */*'), { kind: 'json' });
    assert.throws(() => negotiateFormat('application/vnd.kubernetes.protobuf'), (e: ApiError) => e.code === 406);
  });

  test('query options: booleans like Go, numbers checked', () => {
    const o = parseReadOptions(new URLSearchParams('watch=1&resourceVersion=7&allowWatchBookmarks=true&timeoutSeconds=30&labelSelector=app%3Dweb&includeObject=Object'));
    assert.deepEqual(o, { labelSelector: 'app=web', fieldSelector: '', watch: true, resourceVersion: '7', timeoutSeconds: 30, allowWatchBookmarks: true, sendInitialEvents: false, includeObject: 'Object' });
    assert.equal(parseReadOptions(new URLSearchParams('watch=false')).watch, false);
    assert.throws(() => parseReadOptions(new URLSearchParams('watch=yes')), (e: ApiError) => e.code === 400);
    assert.throws(() => parseReadOptions(new URLSearchParams('timeoutSeconds=-1')), (e: ApiError) => e.code === 400);
    assert.throws(() => parseReadOptions(new URLSearchParams('includeObject=All')), (e: ApiError) => e.code === 400);
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
