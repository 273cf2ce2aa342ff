import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/index.js';
import { isApiError } from '../errors.js';
import { patchObject } from './index.js';
import type { PatchTarget } from './index.js';

const deployment = (): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'default' },
  spec: { replicas: 1, template: { spec: { containers: [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:1' }] } } },
});
const builtin: PatchTarget = { kind: 'Deployment', apiVersion: 'apps/v1', strategicMerge: true };
const crd: PatchTarget = { kind: 'Widget', apiVersion: 'example.com/v1', strategicMerge: false };

function fails(fn: () => unknown, code: number, reason: string, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isApiError(e));
    assert.equal(e.code, code);
    assert.equal(e.reason, reason);
    assert.match(e.message, pattern);
    return true;
  });
}

describe('patchObject', () => {
  const containers = (o: KubeObject) => (o.spec as { template: { spec: { containers: { name: string; image: string }[] } } }).template.spec.containers;

  test('strategic merges containers by name; merge replaces the list; json edits by index', () => {
    const patch = { spec: { template: { spec: { containers: [{ name: 'b', image: 'b:2' }] } } } };
    assert.deepEqual(containers(patchObject('strategic', deployment(), patch, builtin)).map((c) => c.image), ['a:1', 'b:2']);
    assert.deepEqual(containers(patchObject('merge', deployment(), patch, builtin)).map((c) => c.image), ['b:2']);
    const json = [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'a:9' }];
    assert.deepEqual(containers(patchObject('json', deployment(), json, builtin)).map((c) => c.image), ['a:9', 'b:1']);
  });

  test('a strategic merge patch on a custom resource is a 415 with Kubernetes\' message', () => {
    fails(() => patchObject('strategic', deployment(), { spec: {} }, crd), 415, 'UnsupportedMediaType',
      /^the body of the request was in an unknown format - accepted media types include: application\/json-patch\+json, application\/merge-patch\+json, application\/apply-patch\+yaml$/);
    assert.equal((patchObject('merge', deployment(), { spec: { replicas: 2 } }, crd).spec as { replicas: number }).replicas, 2);
  });

  test('bodies of the wrong shape are 400s; a result that is not an object is a 422', () => {
    fails(() => patchObject('merge', deployment(), [1], builtin), 400, 'BadRequest', /merge patch must be a JSON object/);
    fails(() => patchObject('strategic', deployment(), 'x', builtin), 400, 'BadRequest', /JSON object/);
    fails(() => patchObject('json', deployment(), { op: 'add' }, builtin), 400, 'BadRequest', /JSON array/);
    fails(() => patchObject('apply', deployment(), null, { ...builtin, fieldManager: 'm' }), 400, 'BadRequest', /apply patch must be a JSON object/);
    fails(() => patchObject('json', deployment(), [{ op: 'replace', path: '', value: 5 }], builtin), 422, 'Invalid', /must be a JSON object/);
    fails(() => patchObject('json', deployment(), [{ op: 'remove', path: '/metadata' }], builtin), 422, 'Invalid', /metadata/);
    fails(() => patchObject('json', deployment(), [{ op: 'test', path: '/spec/replicas', value: 2 }], builtin), 422, 'Invalid', /test failed/);
  });

  test('the current object is never modified', () => {
    const current = deployment();
    patchObject('strategic', current, { spec: { replicas: 5 } }, builtin);
    patchObject('json', current, [{ op: 'remove', path: '/spec/replicas' }], builtin);
    assert.deepEqual(current, deployment());
  });

  test('with a fieldManager, an ordinary patch is recorded as an Update owning what it changed', () => {
    const out = patchObject('merge', deployment(), { spec: { replicas: 3 } }, { ...builtin, fieldManager: 'kubectl-patch', time: '2024-01-01T00:00:00Z' });
    assert.deepEqual(out.metadata.managedFields, [{
      manager: 'kubectl-patch', operation: 'Update', apiVersion: 'apps/v1', time: '2024-01-01T00:00:00Z',
      fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } },
    }]);
  });

  test('apply dispatches to server-side apply', () => {
    const out = patchObject('apply', deployment(), { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 4 } },
      { ...builtin, fieldManager: 'kubectl', force: true });
    assert.equal((out.spec as { replicas: number }).replicas, 4);
    assert.deepEqual((out.metadata.managedFields ?? []).map((e) => (e as { manager: string }).manager), ['before-first-apply', 'kubectl']);
  });
});
