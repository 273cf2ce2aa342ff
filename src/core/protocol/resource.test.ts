import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatCloudResource,
  formatResource,
  parseCloudResource,
  parseResource,
  ProtocolError,
  ResourceTypes,
  splitCloudResource,
  toCloudResource,
  toWireResource,
} from './index.js';

const isBadResource = (err: unknown): boolean => err instanceof ProtocolError && err.code === 'bad_resource';

describe('wire resource strings', () => {
  test('namespaced object', () => {
    assert.deepEqual(parseResource('default/pod/nginx'), {
      kind: 'object',
      namespace: 'default',
      type: 'pod',
      name: 'nginx',
    });
    assert.equal(formatResource({ namespace: 'default', type: ResourceTypes.pod, name: 'nginx' }), 'default/pod/nginx');
  });

  test('cluster-scoped objects use the namespace "null"', () => {
    assert.deepEqual(parseResource('null/node/edge-1'), { kind: 'object', namespace: null, type: 'node', name: 'edge-1' });
    assert.equal(formatResource({ namespace: null, type: ResourceTypes.nodestatus, name: 'edge-1' }), 'null/nodestatus/edge-1');
  });

  test('lists have two segments', () => {
    assert.deepEqual(parseResource('default/configmap'), { kind: 'list', namespace: 'default', type: 'configmap' });
    assert.equal(formatResource({ namespace: 'kube-system', type: ResourceTypes.podlist }), 'kube-system/podlist');
  });

  test('rejects other shapes', () => {
    for (const bad of ['pod', 'a/b/c/d', 'default//nginx', '', '/pod/x']) {
      assert.throws(() => parseResource(bad), isBadResource, bad);
    }
    assert.throws(() => formatResource({ namespace: 'a/b', type: 'pod', name: 'x' }), isBadResource);
    assert.throws(() => formatResource({ namespace: 'a', type: '', name: 'x' }), isBadResource);
  });
});

describe('cloud resource strings', () => {
  test('format and parse node/<node>/<ns>/<type>/<name>', () => {
    const s = formatCloudResource({ node: 'edge-1', namespace: 'default', type: 'pod', name: 'nginx' });
    assert.equal(s, 'node/edge-1/default/pod/nginx');
    assert.deepEqual(parseCloudResource(s), {
      node: 'edge-1',
      kind: 'object',
      namespace: 'default',
      type: 'pod',
      name: 'nginx',
    });
    assert.deepEqual(parseCloudResource('node/edge-1/null/node/edge-1'), {
      node: 'edge-1',
      kind: 'object',
      namespace: null,
      type: 'node',
      name: 'edge-1',
    });
  });

  test('strip and add the node prefix, also for device-style resources', () => {
    assert.equal(toWireResource('node/edge-1/default/pod/nginx'), 'default/pod/nginx');
    assert.equal(toWireResource('node/edge-1/membership'), 'membership');
    assert.equal(toWireResource('node/edge-1/device/default/s1/twin/edge_updated'), 'device/default/s1/twin/edge_updated');
    assert.equal(toWireResource('default/pod/nginx'), 'default/pod/nginx');
    assert.equal(toWireResource('node/connection'), 'node/connection');
    assert.equal(toCloudResource('edge-1', 'membership/detail'), 'node/edge-1/membership/detail');
    assert.deepEqual(splitCloudResource('node/edge-1/twin'), { node: 'edge-1', resource: 'twin' });
  });

  test('rejects resources without a node prefix', () => {
    assert.throws(() => splitCloudResource('default/pod/nginx'), isBadResource);
    assert.throws(() => splitCloudResource('node//default/pod/x'), isBadResource);
    assert.throws(() => toCloudResource('a/b', 'default/pod/x'), isBadResource);
  });
});
