import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newMessage } from '../../core/index.js';
import { kindToResource, metaV2Identity } from './meta-v2-key.js';
import { compareResourceVersions, parseResourceVersion } from './resource-version.js';
import { interpretQueryResponse } from './remote-query.js';
import { needsAck } from './ack-policy.js';
import { decodeDownstream } from './downstream-intent.js';

test('kindToResource follows KubeEdge UnsafeKindToResource', () => {
  assert.equal(kindToResource('Pod'), 'pods');
  assert.equal(kindToResource('Ingress'), 'ingresses');
  assert.equal(kindToResource('NetworkPolicy'), 'networkpolicies');
  assert.equal(kindToResource('Endpoints'), 'endpoints');
});

test('meta_v2 identity: key, GroupVersionResource string, cluster scope', () => {
  assert.deepEqual(metaV2Identity('pod', { namespace: 'default', name: 'nginx' }, { metadata: { name: 'nginx', namespace: 'default' } }), {
    key: '/core/v1/pods/default/nginx', groupVersionResource: '/v1, Resource=pods', namespace: 'default', name: 'nginx', apiVersion: 'v1', kind: 'Pod',
  });
  const dep = metaV2Identity('deployment', { namespace: 'ns', name: 'd' }, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } });
  assert.equal(dep?.key, '/apps/v1/deployments/ns/d');
  assert.equal(dep?.groupVersionResource, 'apps/v1, Resource=deployments');
  assert.equal(metaV2Identity('node', { namespace: null, name: 'e' }, {})?.key, '/core/v1/nodes/null/e');
  assert.equal(metaV2Identity('podstatus', { namespace: 'd', name: 'p' }, { apiVersion: 'v1', kind: 'Pod' }), undefined);
  assert.equal(metaV2Identity('unknownthing', { namespace: 'd', name: 'p' }, { metadata: {} }), undefined);
});

test('resourceVersion parses as unsigned 64-bit and compares numerically', () => {
  assert.equal(parseResourceVersion('18446744073709551615'), 18446744073709551615n);
  assert.equal(parseResourceVersion('18446744073709551616'), undefined);
  assert.equal(parseResourceVersion('-1'), undefined);
  assert.equal(parseResourceVersion('abc'), undefined);
  assert.equal(compareResourceVersions(9n, 10n), -1);
  assert.equal(compareResourceVersions(undefined, 10n), undefined);
});

test('query answers: object, ObjectResp, ErrStatus NotFound, Status failure, error operation', () => {
  const resp = (content: unknown, operation = 'response') =>
    newMessage({ source: 'edgecontroller', group: 'resource', operation, resource: 'null/node/n', content });
  assert.equal(interpretQueryResponse(resp({ metadata: { name: 'n' } })).kind, 'object');
  assert.equal(interpretQueryResponse(resp({ Object: { metadata: { name: 'n' } }, Err: null })).kind, 'object');
  assert.equal(interpretQueryResponse(resp({ Object: null, Err: { ErrStatus: { reason: 'NotFound', code: 404 } } })).kind, 'not_found');
  assert.equal(interpretQueryResponse(resp({ kind: 'Status', status: 'Failure', reason: 'Forbidden', code: 403, message: 'no' })).kind, 'error');
  assert.equal(interpretQueryResponse(resp('nodes "n" not found', 'error')).kind, 'not_found');
  assert.equal(interpretQueryResponse(resp(null)).kind, 'bad_response');
});

test('needsAck mirrors cloudhub noAckRequired', () => {
  const m = (operation: string, resource: string, content: unknown = {}, source = 'edgecontroller', group = 'resource') =>
    newMessage({ source, group, operation, resource, content });
  assert.equal(needsAck(m('insert', 'default/pod/p')), true);
  assert.equal(needsAck(m('update', 'default/podlist')), false);
  assert.equal(needsAck(m('insert', 'null/node/n')), false);
  assert.equal(needsAck(m('update', 'null/node/n')), true);
  assert.equal(needsAck(m('update', 'default/lease/n')), false);
  assert.equal(needsAck(m('response', 'default/configmap/c', 'OK')), false);
  assert.equal(needsAck(m('response', 'default/configmap/c', { metadata: {} })), true);
  assert.equal(needsAck(m('response', 'default/pod/p', { metadata: {} })), false);
  assert.equal(needsAck(m('update', 'default/device/d', {}, 'devicecontroller', 'user')), false);
});

test('decodeDownstream: operations and bad input', () => {
  const m = (operation: string, resource: string, content: unknown) => newMessage({ source: 'edgecontroller', group: 'resource', operation, resource, content });
  assert.equal(decodeDownstream(m('insert', 'default/pod/p', { metadata: {} })).kind, 'upsert');
  assert.equal(decodeDownstream(m('patch', 'default/pod/p', { metadata: {} })).kind, 'upsert');
  assert.equal(decodeDownstream(m('delete', 'default/pod/p', null)).kind, 'delete');
  assert.equal(decodeDownstream(m('query', 'default/pod/p', null)).kind, 'ignore');
  assert.equal(decodeDownstream(m('insert', 'default//p', {})).kind, 'reject');
  assert.equal(decodeDownstream(m('insert', 'default/pod/p', 42)).kind, 'reject');
});
