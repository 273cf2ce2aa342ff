import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { documentHash, openApiV3Document, openApiV3Root } from './openapi-v3.js';
import { allFixtureDefs, deviceDef, ingressClassDef, nodeGroupDef } from './resource-fixtures.js';

type Node = Record<string, unknown>;
const get = (n: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((at, key) => (at !== null && typeof at === 'object' ? (at as Node)[key] : undefined), n);
const schemasOf = (doc: object): Node => get(doc, 'components', 'schemas') as Node;
const refName = (s: unknown): string | undefined => {
  const ref = get(s, 'allOf', '0', '$ref') ?? get(s, '$ref');
  return typeof ref === 'string' ? ref.replace('#/components/schemas/', '') : undefined;
};

function allRefs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => allRefs(n, out));
  else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else allRefs(v, out);
    }
  }
  return out;
}

describe('OpenAPI v3', () => {
  test('the root lists every group-version with a hashed URL', () => {
    const root = openApiV3Root(['apps/v1', 'v1', 'devices.kubeedge.io/v1beta1'], (gv) => `H-${gv}`);
    assert.deepEqual(root, {
      paths: {
        'apis/apps/v1': { serverRelativeURL: '/openapi/v3/apis/apps/v1?hash=H-apps/v1' },
        'apis/devices.kubeedge.io/v1beta1': { serverRelativeURL: '/openapi/v3/apis/devices.kubeedge.io/v1beta1?hash=H-devices.kubeedge.io/v1beta1' },
        'api/v1': { serverRelativeURL: '/openapi/v3/api/v1?hash=H-v1' },
      },
    });
  });

  test('documentHash is upper-case SHA-512 hex, stable across def order, and changes with the defs', () => {
    const a = documentHash(openApiV3Document('v1', allFixtureDefs));
    const b = documentHash(openApiV3Document('v1', [...allFixtureDefs].reverse()));
    assert.match(a, /^[0-9A-F]{128}$/);
    assert.equal(a, b);
    assert.notEqual(a, documentHash(openApiV3Document('v1', allFixtureDefs.filter((d) => d.resource !== 'configmaps'))));
  });

  test('api/v1 names schemas like Kubernetes and tags kinds with their GVK', () => {
    const schemas = schemasOf(openApiV3Document('v1', allFixtureDefs));
    for (const kind of ['Pod', 'Node', 'Namespace', 'ConfigMap']) {
      assert.deepEqual(get(schemas, `io.k8s.api.core.v1.${kind}`, 'x-kubernetes-group-version-kind'), [{ group: '', kind, version: 'v1' }]);
      assert.deepEqual(get(schemas, `io.k8s.api.core.v1.${kind}List`, 'x-kubernetes-group-version-kind'), [{ group: '', kind: `${kind}List`, version: 'v1' }]);
    }
    assert.ok(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']);
    assert.equal(schemas['io.k8s.api.apps.v1.Deployment'], undefined, 'other groups stay out');
    const pod = schemas['io.k8s.api.core.v1.Pod'];
    assert.deepEqual(Object.keys(get(pod, 'properties') as Node), ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
    assert.equal(refName(get(pod, 'properties', 'metadata')), 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
  });

  test('PodSpec carries the strategic merge keys', () => {
    const schemas = schemasOf(openApiV3Document('v1', allFixtureDefs));
    const podSpec = schemas['io.k8s.api.core.v1.PodSpec'];
    const field = (type: string, name: string) => get(schemas, `io.k8s.api.core.v1.${type}`, 'properties', name) as Node;
    assert.deepEqual(
      [field('PodSpec', 'containers')['x-kubernetes-patch-merge-key'], field('PodSpec', 'containers')['x-kubernetes-patch-strategy']],
      ['name', 'merge'],
    );
    assert.deepEqual(field('PodSpec', 'containers')['x-kubernetes-list-map-keys'], ['name']);
    assert.equal(field('PodSpec', 'containers')['x-kubernetes-list-type'], 'map');
    assert.equal(refName(get(podSpec, 'properties', 'containers', 'items')), 'io.k8s.api.core.v1.Container');
    assert.equal(field('PodSpec', 'initContainers')['x-kubernetes-patch-merge-key'], 'name');
    assert.equal(field('PodSpec', 'volumes')['x-kubernetes-patch-strategy'], 'merge,retainKeys');
    assert.equal(field('PodSpec', 'imagePullSecrets')['x-kubernetes-patch-merge-key'], 'name');
    assert.equal(field('PodSpec', 'tolerations')['x-kubernetes-patch-merge-key'], undefined);
    assert.equal(field('Container', 'env')['x-kubernetes-patch-merge-key'], 'name');
    assert.equal(field('Container', 'volumeMounts')['x-kubernetes-patch-merge-key'], 'mountPath');
    assert.equal(field('Container', 'ports')['x-kubernetes-patch-merge-key'], 'containerPort');
    assert.deepEqual(field('Container', 'ports')['x-kubernetes-list-map-keys'], ['containerPort', 'protocol']);
    assert.equal(get(schemas, 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'properties', 'ownerReferences', 'x-kubernetes-patch-merge-key'), 'uid');
    assert.equal(get(schemas, 'io.k8s.api.core.v1.NodeStatus', 'properties', 'conditions', 'x-kubernetes-patch-merge-key'), 'type');
  });

  test('every $ref resolves inside the document', () => {
    for (const gv of ['v1', 'apps/v1', 'coordination.k8s.io/v1', 'devices.kubeedge.io/v1beta1', 'networking.k8s.io/v1']) {
      const doc = openApiV3Document(gv, allFixtureDefs);
      const schemas = schemasOf(doc);
      for (const ref of allRefs(doc)) assert.ok(ref.replace('#/components/schemas/', '') in schemas, `${gv}: ${ref}`);
    }
  });

  test('apps/v1 carries Deployment, its pod template and the Scale subresource kind', () => {
    const doc = openApiV3Document('apps/v1', allFixtureDefs);
    const schemas = schemasOf(doc);
    assert.equal(refName(get(schemas, 'io.k8s.api.apps.v1.DeploymentSpec', 'properties', 'template')), 'io.k8s.api.core.v1.PodTemplateSpec');
    assert.equal(get(schemas, 'io.k8s.api.apps.v1.DeploymentSpec', 'properties', 'strategy', 'x-kubernetes-patch-strategy'), 'retainKeys');
    assert.ok(schemas['io.k8s.api.core.v1.Container']);
    assert.deepEqual(get(schemas, 'io.k8s.api.autoscaling.v1.Scale', 'x-kubernetes-group-version-kind'), [{ group: 'autoscaling', kind: 'Scale', version: 'v1' }]);
    const scale = get(doc, 'paths', '/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale', 'patch');
    assert.deepEqual(get(scale, 'x-kubernetes-group-version-kind'), { group: 'autoscaling', kind: 'Scale', version: 'v1' });
  });

  test('a CRD document embeds the CRD schema with standard metadata', () => {
    const doc = openApiV3Document('devices.kubeedge.io/v1beta1', [deviceDef]);
    const schemas = schemasOf(doc);
    const device = schemas['io.kubeedge.devices.v1beta1.Device'] as Node;
    assert.deepEqual(device['x-kubernetes-group-version-kind'], [{ group: 'devices.kubeedge.io', kind: 'Device', version: 'v1beta1' }]);
    assert.equal(device['type'], 'object');
    assert.deepEqual(get(device, 'properties', 'spec'), get(deviceDef.schema, 'properties', 'spec'));
    assert.equal(refName(get(device, 'properties', 'metadata')), 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    assert.equal(get(device, 'properties', 'apiVersion', 'type'), 'string');
    assert.ok(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']);
    assert.equal(refName(get(schemas, 'io.kubeedge.devices.v1beta1.DeviceList', 'properties', 'items', 'items')), 'io.kubeedge.devices.v1beta1.Device');
    assert.deepEqual(get(deviceDef.schema, 'properties', 'metadata'), { type: 'object' }, 'the def is not modified');
    const cluster = schemasOf(openApiV3Document('apps.kubeedge.io/v1alpha1', [nodeGroupDef]));
    assert.deepEqual(get(cluster, 'io.kubeedge.apps.v1alpha1.NodeGroup', 'properties', 'spec', 'properties', 'nodes'), { type: 'array', items: { type: 'string' } });
  });

  test('a built-in kind without a table gets a loose schema with its GVK', () => {
    const schemas = schemasOf(openApiV3Document('networking.k8s.io/v1', [ingressClassDef]));
    const ic = schemas['io.k8s.api.networking.v1.IngressClass'] as Node;
    assert.equal(ic['x-kubernetes-preserve-unknown-fields'], true);
    assert.deepEqual(ic['x-kubernetes-group-version-kind'], [{ group: 'networking.k8s.io', kind: 'IngressClass', version: 'v1' }]);
    // No strategic merge in the document: kubectl then falls back to its compiled-in patch metadata.
    const doc = openApiV3Document('networking.k8s.io/v1', [ingressClassDef]);
    const content = get(doc, 'paths', '/apis/networking.k8s.io/v1/ingressclasses/{name}', 'patch', 'requestBody', 'content') as Node;
    assert.deepEqual(Object.keys(content), ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json']);
  });

  test('paths follow the Kubernetes layout with operation ids', () => {
    const doc = openApiV3Document('v1', allFixtureDefs);
    const paths = get(doc, 'paths') as Node;
    assert.equal(get(paths, '/api/v1/namespaces/{namespace}/pods', 'get', 'operationId'), 'listCoreV1NamespacedPod');
    assert.equal(get(paths, '/api/v1/namespaces/{namespace}/pods', 'delete', 'operationId'), 'deleteCoreV1CollectionNamespacedPod');
    assert.equal(get(paths, '/api/v1/namespaces/{namespace}/pods/{name}', 'patch', 'operationId'), 'patchCoreV1NamespacedPod');
    assert.equal(get(paths, '/api/v1/namespaces/{namespace}/pods/{name}/status', 'get', 'operationId'), 'readCoreV1NamespacedPodStatus');
    assert.equal(get(paths, '/api/v1/pods', 'get', 'operationId'), 'listCoreV1PodForAllNamespaces');
    assert.equal(get(paths, '/api/v1/nodes/{name}', 'get', 'operationId'), 'readCoreV1Node');
    assert.equal(get(paths, '/api/v1/namespaces/{namespace}/pods/{name}/exec', 'post', 'x-kubernetes-action'), 'connect');
    assert.deepEqual(get(paths, '/api/v1/namespaces/{namespace}/pods/{name}/binding', 'post', 'x-kubernetes-group-version-kind'), { group: '', kind: 'Binding', version: 'v1' });
    assert.ok(get(paths, '/api/v1/namespaces/{namespace}/pods/{name}/log', 'get'));
    assert.equal(get(paths, '/api/v1/namespaces/{namespace}/configmaps/{name}/status'), undefined);
  });
});
