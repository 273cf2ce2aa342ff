import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/index.js';
import { isApiError } from '../errors.js';
import { Catalog, type CatalogChange } from './catalog.js';

const schema = { openAPIV3Schema: { type: 'object' } };
function crd(plural: string, group: string, kind: string, versions: string[] = ['v1'], extra: Record<string, unknown> = {}): KubeObject {
  return {
    metadata: { name: `${plural}.${group}`, ...extra },
    spec: { group, scope: 'Namespaced', names: { plural, kind },
      versions: versions.map((name, i) => ({ name, served: true, storage: i === 0, schema })) },
  };
}

describe('Catalog', () => {
  test('serves the built-ins with discovery facts of kube-apiserver 1.31', () => {
    const catalog = new Catalog();
    const facts = catalog.all().map((d) => `${d.group}/${d.version} ${d.resource} ${d.singular} ${d.kind} ${d.namespaced ? 'ns' : 'cluster'} [${d.shortNames.join(',')}] [${d.categories.join(',')}]`);
    assert.deepEqual(facts, [
      '/v1 namespaces namespace Namespace cluster [ns] []',
      '/v1 nodes node Node cluster [no] []',
      '/v1 pods pod Pod ns [po] [all]',
      '/v1 configmaps configmap ConfigMap ns [cm] []',
      '/v1 secrets secret Secret ns [] []',
      '/v1 services service Service ns [svc] [all]',
      '/v1 endpoints endpoints Endpoints ns [ep] []',
      '/v1 events event Event ns [ev] []',
      '/v1 serviceaccounts serviceaccount ServiceAccount ns [sa] []',
      'apps/v1 deployments deployment Deployment ns [deploy] [all]',
      'apps/v1 replicasets replicaset ReplicaSet ns [rs] [all]',
      'apps/v1 daemonsets daemonset DaemonSet ns [ds] [all]',
      'apps/v1 statefulsets statefulset StatefulSet ns [sts] [all]',
      'coordination.k8s.io/v1 leases lease Lease ns [] []',
      'events.k8s.io/v1 events event Event ns [ev] []',
      'apiextensions.k8s.io/v1 customresourcedefinitions customresourcedefinition CustomResourceDefinition cluster [crd,crds] [api-extensions]',
    ]);
    assert.deepEqual(catalog.get('', 'namespaces')?.verbs, ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']);
    assert.deepEqual(catalog.get('apps', 'deployments')?.subresources.scale,
      { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' });
    assert.equal(catalog.get('apps', 'daemonsets')?.subresources.scale, undefined);
    assert.equal(catalog.byKind('', 'Event')?.group, '');
    assert.equal(catalog.byKind('events.k8s.io', 'Event')?.group, 'events.k8s.io');
  });

  test('lists groups in kube-apiserver discovery order, CRD groups after the built-ins', () => {
    const catalog = new Catalog();
    catalog.registerCRD(crd('devices', 'devices.kubeedge.io', 'Device', ['v1beta1', 'v1alpha2']));
    catalog.registerCRD(crd('rules', 'rules.kubeedge.io', 'Rule'));
    catalog.registerCRD(crd('nodegroups', 'apps.kubeedge.io', 'NodeGroup', ['v1alpha1']));
    assert.deepEqual(catalog.groups(), [
      { name: 'apps', versions: ['v1'], preferredVersion: 'v1' },
      { name: 'events.k8s.io', versions: ['v1'], preferredVersion: 'v1' },
      { name: 'apiextensions.k8s.io', versions: ['v1'], preferredVersion: 'v1' },
      { name: 'coordination.k8s.io', versions: ['v1'], preferredVersion: 'v1' },
      // kube-aggregator orders equal-priority groups by their first APIService name "<version>.<group>":
      // v1.rules… < v1alpha1.apps… < v1alpha2.devices…
      { name: 'rules.kubeedge.io', versions: ['v1'], preferredVersion: 'v1' },
      { name: 'apps.kubeedge.io', versions: ['v1alpha1'], preferredVersion: 'v1alpha1' },
      { name: 'devices.kubeedge.io', versions: ['v1beta1', 'v1alpha2'], preferredVersion: 'v1beta1' },
    ]);
    assert.deepEqual(catalog.served('devices.kubeedge.io', 'v1alpha2').map((d) => d.resource), ['devices']);
  });

  test('registers, replaces and unregisters CRDs, notifying listeners', () => {
    const catalog = new Catalog();
    const changes: CatalogChange[] = [];
    const stop = catalog.onChange((c) => changes.push(c));
    const first = catalog.registerCRD(crd('widgets', 'example.com', 'Widget'));
    assert.equal(catalog.get('example.com', 'widgets'), first);
    const second = catalog.registerCRD(crd('widgets', 'example.com', 'Widget', ['v2', 'v1']));
    assert.equal(catalog.get('example.com', 'widgets'), second);
    assert.deepEqual(catalog.get('example.com', 'widgets')?.versions, ['v2', 'v1']);
    assert.equal(catalog.all().filter((d) => d.group === 'example.com').length, 1);
    assert.equal(catalog.unregisterCRD('widgets.example.com'), true);
    assert.equal(catalog.unregisterCRD('widgets.example.com'), false);
    assert.equal(catalog.get('example.com', 'widgets'), undefined);
    assert.deepEqual(changes.map((c) => [c.type, c.def.resource, c.type === 'registered' && c.previous !== undefined]),
      [['registered', 'widgets', false], ['registered', 'widgets', true], ['unregistered', 'widgets', false]]);
    stop();
    catalog.registerCRD(crd('gadgets', 'example.com', 'Gadget'));
    assert.equal(changes.length, 3);
  });

  test('refuses a CRD that clashes with a built-in or another CRD', () => {
    const catalog = new Catalog();
    const clash = crd('leases', 'coordination.k8s.io', 'MyLease', ['v1'], { annotations: { 'api-approved.kubernetes.io': 'unapproved' } });
    assert.throws(() => catalog.registerCRD(clash), (e: unknown) => isApiError(e) && e.code === 422 &&
      (e.details?.causes ?? []).some((c) => c.field === 'spec.names.plural' && /already in use by coordination\.k8s\.io\/leases/.test(c.message ?? '')));
    catalog.registerCRD(crd('widgets', 'example.com', 'Widget'));
    assert.throws(() => catalog.registerCRD(crd('widgets2', 'example.com', 'Widget')), (e: unknown) => isApiError(e) &&
      (e.details?.causes ?? []).some((c) => c.field === 'spec.names.kind'));
    assert.throws(() => catalog.registerCRD({ metadata: { name: 'x' }, spec: {} }), (e: unknown) => isApiError(e) && e.code === 422);
    assert.equal(catalog.get('coordination.k8s.io', 'leases')?.crd, undefined);
  });
});
