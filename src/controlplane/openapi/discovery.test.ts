import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { apiGroup, apiGroupList, apiResourceList, coreApiVersions, storageVersionHash } from './discovery.js';
import { allFixtureDefs, deploymentDef, podDef } from './resource-fixtures.js';

type Resource = Record<string, unknown>;
const resourcesOf = (list: object): Resource[] => (list as { resources: Resource[] }).resources;
const byName = (list: object, name: string): Resource | undefined => resourcesOf(list).find((r) => r['name'] === name);

describe('legacy discovery', () => {
  test('GET /api lists v1 and the server address', () => {
    assert.deepEqual(coreApiVersions('127.0.0.1:6443'), {
      kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }],
    });
  });

  test('GET /apis and /apis/<group> put the preferred version first', () => {
    const group = { name: 'devices.kubeedge.io', versions: ['v1alpha2', 'v1beta1'], preferredVersion: 'v1beta1' };
    const body = {
      name: 'devices.kubeedge.io',
      versions: [
        { groupVersion: 'devices.kubeedge.io/v1beta1', version: 'v1beta1' },
        { groupVersion: 'devices.kubeedge.io/v1alpha2', version: 'v1alpha2' },
      ],
      preferredVersion: { groupVersion: 'devices.kubeedge.io/v1beta1', version: 'v1beta1' },
    };
    assert.deepEqual(apiGroupList([group]), { kind: 'APIGroupList', apiVersion: 'v1', groups: [body] });
    assert.deepEqual(apiGroup(group), { kind: 'APIGroup', apiVersion: 'v1', ...body });
  });

  test('storage version hashes match kube-apiserver', () => {
    assert.equal(storageVersionHash('', 'v1', 'Pod'), 'xPOwRZ+Yhw8=');
    assert.equal(storageVersionHash('apps', 'v1', 'Deployment'), '8aSe+NMegvE=');
  });

  test('GET /api/v1 lists core resources with their subresources', () => {
    const list = apiResourceList('v1', allFixtureDefs);
    assert.equal((list as { kind: string }).kind, 'APIResourceList');
    assert.equal((list as { groupVersion: string }).groupVersion, 'v1');
    const names = resourcesOf(list).map((r) => r['name']);
    assert.deepEqual(names, [
      'configmaps', 'namespaces', 'namespaces/status', 'nodes', 'nodes/status', 'pods', 'pods/binding', 'pods/eviction',
      'pods/exec', 'pods/log', 'pods/status', 'services', 'services/status',
    ]);
    assert.deepEqual(byName(list, 'pods'), {
      name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: podDef.verbs, shortNames: ['po'],
      categories: ['all'], storageVersionHash: 'xPOwRZ+Yhw8=',
    });
    assert.deepEqual(byName(list, 'pods/status'), { name: 'pods/status', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get', 'patch', 'update'] });
    assert.deepEqual(byName(list, 'pods/log'), { name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] });
    assert.deepEqual(byName(list, 'pods/exec'), { name: 'pods/exec', singularName: '', namespaced: true, kind: 'PodExecOptions', verbs: ['create', 'get'] });
    assert.deepEqual(byName(list, 'pods/binding'), { name: 'pods/binding', singularName: '', namespaced: true, kind: 'Binding', verbs: ['create'] });
    assert.deepEqual(byName(list, 'pods/eviction'), {
      name: 'pods/eviction', singularName: '', namespaced: true, group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'],
    });
    assert.equal(byName(list, 'nodes')?.['namespaced'], false);
    assert.equal(byName(list, 'configmaps')?.['categories'], undefined, 'empty categories are omitted');
  });

  test('GET /apis/apps/v1 reports deployments/scale as autoscaling/v1 Scale', () => {
    const list = apiResourceList('apps/v1', allFixtureDefs);
    assert.deepEqual(resourcesOf(list).map((r) => r['name']), [
      'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'statefulsets',
      'statefulsets/scale', 'statefulsets/status',
    ]);
    assert.deepEqual(byName(list, 'deployments/scale'), {
      name: 'deployments/scale', singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale',
      verbs: ['get', 'patch', 'update'],
    });
    assert.deepEqual(byName(list, 'deployments')?.['shortNames'], deploymentDef.shortNames);
  });

  test('a custom resource group-version lists only its own resources', () => {
    const list = apiResourceList('devices.kubeedge.io/v1beta1', allFixtureDefs);
    assert.deepEqual(resourcesOf(list).map((r) => r['name']), ['devices']);
    assert.deepEqual(resourcesOf(apiResourceList('devices.kubeedge.io/v1alpha2', allFixtureDefs)), []);
  });
});
