import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { aggregatedDiscovery, discoveryContentType, negotiateDiscovery } from './aggregated-discovery.js';
import { allFixtureDefs, podDef } from './resource-fixtures.js';

type Item = { metadata: Record<string, unknown>; versions: { version: string; resources: Record<string, unknown>[]; freshness: string }[] };
const itemsOf = (doc: object): Item[] => (doc as { items: Item[] }).items;

// The exact Accept headers client-go sends (kubectl 1.30+ and 1.29).
const acceptV2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
const acceptV2beta1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

describe('aggregated discovery', () => {
  test('negotiates the form the client lists first', () => {
    assert.equal(negotiateDiscovery(acceptV2), 'v2');
    assert.equal(negotiateDiscovery(acceptV2beta1), 'v2beta1');
    assert.equal(negotiateDiscovery('application/json'), 'legacy');
    assert.equal(negotiateDiscovery(undefined), 'legacy');
    assert.equal(negotiateDiscovery('*/*'), 'legacy');
    assert.equal(negotiateDiscovery('application/json; as=APIGroupDiscoveryList; v=v2; g=apidiscovery.k8s.io'), 'v2');
    assert.equal(negotiateDiscovery('application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json'), 'legacy');
    assert.equal(negotiateDiscovery('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;q=0,application/json'), 'legacy');
  });

  test('the response content type names group, version and kind', () => {
    assert.equal(discoveryContentType('v2'), 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    assert.equal(discoveryContentType('v2beta1'), 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList');
  });

  test('GET /api: one unnamed group with v1 and its resources', () => {
    const doc = aggregatedDiscovery('core', [], allFixtureDefs);
    assert.equal((doc as { kind: string }).kind, 'APIGroupDiscoveryList');
    assert.equal((doc as { apiVersion: string }).apiVersion, 'apidiscovery.k8s.io/v2');
    const [core] = itemsOf(doc);
    assert.equal(itemsOf(doc).length, 1);
    assert.equal(core?.metadata['name'], undefined);
    assert.equal(core?.versions[0]?.version, 'v1');
    assert.equal(core?.versions[0]?.freshness, 'Current');
    const pods = core?.versions[0]?.resources.find((r) => r['resource'] === 'pods');
    assert.deepEqual(pods, {
      resource: 'pods',
      responseKind: { group: '', version: 'v1', kind: 'Pod' },
      scope: 'Namespaced',
      singularResource: 'pod',
      verbs: podDef.verbs,
      shortNames: ['po'],
      categories: ['all'],
      subresources: [
        { subresource: 'binding', responseKind: { group: '', version: 'v1', kind: 'Binding' }, verbs: ['create'] },
        { subresource: 'eviction', responseKind: { group: 'policy', version: 'v1', kind: 'Eviction' }, verbs: ['create'] },
        { subresource: 'exec', responseKind: { group: '', version: 'v1', kind: 'PodExecOptions' }, verbs: ['create', 'get'] },
        { subresource: 'log', responseKind: { group: '', version: 'v1', kind: 'Pod' }, verbs: ['get'] },
        { subresource: 'status', responseKind: { group: '', version: 'v1', kind: 'Pod' }, verbs: ['get', 'patch', 'update'] },
      ],
    });
    const nodes = core?.versions[0]?.resources.find((r) => r['resource'] === 'nodes');
    assert.equal(nodes?.['scope'], 'Cluster');
  });

  test('GET /apis: one item per group, preferred version first, v2beta1 on request', () => {
    const groups = [
      { name: 'apps', versions: ['v1'], preferredVersion: 'v1' },
      { name: 'devices.kubeedge.io', versions: ['v1alpha2', 'v1beta1'], preferredVersion: 'v1beta1' },
    ];
    const doc = aggregatedDiscovery('apis', groups, allFixtureDefs, 'v2beta1');
    assert.equal((doc as { apiVersion: string }).apiVersion, 'apidiscovery.k8s.io/v2beta1');
    const items = itemsOf(doc);
    assert.deepEqual(items.map((i) => i.metadata['name']), ['apps', 'devices.kubeedge.io']);
    assert.deepEqual(items[1]?.versions.map((v) => v.version), ['v1beta1', 'v1alpha2']);
    const deployments = items[0]?.versions[0]?.resources.find((r) => r['resource'] === 'deployments');
    assert.equal(deployments?.['resource'], 'deployments');
    assert.deepEqual(deployments?.['subresources'], [
      { subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] },
      { subresource: 'status', responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' }, verbs: ['get', 'patch', 'update'] },
    ]);
    const devices = items[1]?.versions[0]?.resources[0];
    assert.deepEqual(devices?.['responseKind'], { group: 'devices.kubeedge.io', version: 'v1beta1', kind: 'Device' });
    assert.equal(devices?.['subresources'], undefined);
    assert.equal(devices?.['shortNames'], undefined);
  });
});
