import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openApiV2, toV2Schema } from './openapi-v2.js';
import { allFixtureDefs } from './resource-fixtures.js';

type Node = Record<string, unknown>;
const get = (n: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((at, key) => (at !== null && typeof at === 'object' ? (at as Node)[key] : undefined), n);

describe('OpenAPI v2', () => {
  const doc = openApiV2(allFixtureDefs) as Node;

  test('is a Swagger 2.0 document with definitions tagged by GVK', () => {
    assert.equal(doc['swagger'], '2.0');
    assert.deepEqual(get(doc, 'definitions', 'io.k8s.api.core.v1.Pod', 'x-kubernetes-group-version-kind'), [{ group: '', kind: 'Pod', version: 'v1' }]);
    assert.deepEqual(get(doc, 'definitions', 'io.k8s.api.apps.v1.Deployment', 'x-kubernetes-group-version-kind'), [{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    assert.deepEqual(get(doc, 'definitions', 'io.kubeedge.devices.v1beta1.Device', 'x-kubernetes-group-version-kind'), [{ group: 'devices.kubeedge.io', kind: 'Device', version: 'v1beta1' }]);
  });

  test('uses #/definitions refs and keeps merge keys', () => {
    const containers = get(doc, 'definitions', 'io.k8s.api.core.v1.PodSpec', 'properties', 'containers') as Node;
    assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
    assert.equal(get(containers, 'items', '$ref'), '#/definitions/io.k8s.api.core.v1.Container');
    assert.doesNotMatch(JSON.stringify(doc), /#\/components\/schemas\//);
    for (const match of JSON.stringify(doc).matchAll(/"#\/definitions\/([^"]+)"/g)) {
      assert.ok(get(doc, 'definitions', match[1] as string), `dangling ${match[1]}`);
    }
  });

  test('PATCH operations list what they consume, as v2 clients read it', () => {
    const pod = get(doc, 'paths', '/api/v1/namespaces/{namespace}/pods/{name}', 'patch') as Node;
    assert.ok((pod['consumes'] as string[]).includes('application/strategic-merge-patch+json'));
    assert.deepEqual(pod['x-kubernetes-group-version-kind'], { group: '', kind: 'Pod', version: 'v1' });
    const params = pod['parameters'] as Node[];
    assert.deepEqual(params.find((p) => p['in'] === 'body')?.['schema'], { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch' });
    assert.deepEqual(params.find((p) => p['name'] === 'fieldValidation'), {
      name: 'fieldValidation', in: 'query', description: params.find((p) => p['name'] === 'fieldValidation')?.['description'], type: 'string', uniqueItems: true,
    });
    const device = get(doc, 'paths', '/apis/devices.kubeedge.io/v1beta1/namespaces/{namespace}/devices/{name}', 'patch') as Node;
    assert.equal((device['consumes'] as string[]).includes('application/strategic-merge-patch+json'), false);
  });

  test('drops v3-only keywords', () => {
    assert.deepEqual(toV2Schema({ anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true }), { 'x-kubernetes-int-or-string': true });
    assert.deepEqual(toV2Schema({ allOf: [{ $ref: '#/components/schemas/A' }], default: {}, description: 'd' }), { description: 'd', $ref: '#/definitions/A' });
  });
});
