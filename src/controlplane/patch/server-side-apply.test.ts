import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/index.js';
import { isApiError } from '../errors.js';
import { recordUpdate, serverSideApply } from './index.js';
import type { PatchTarget } from './index.js';

const time = '2024-05-01T10:00:00Z';
const target = (fieldManager: string, force = false): PatchTarget =>
  ({ kind: 'Deployment', apiVersion: 'apps/v1', strategicMerge: true, fieldManager, force, time });

const config = (replicas: number, labels: Record<string, string>, containers: { name: string; image: string }[]): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', labels },
  spec: { replicas, template: { spec: { containers } } },
});
const spec = (o: KubeObject) => o.spec as { replicas?: number; template: { spec: { containers: { name: string; image?: string }[] } } };
const managers = (o: KubeObject) => (o.metadata.managedFields ?? []).map((e) => {
  const entry = e as { manager: string; operation: string };
  return `${entry.manager}/${entry.operation}`;
});
const fieldsOf = (o: KubeObject, manager: string) =>
  ((o.metadata.managedFields ?? []) as { manager: string; fieldsV1: unknown }[]).find((e) => e.manager === manager)?.fieldsV1;

function conflict(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isApiError(e));
    assert.equal(e.code, 409);
    assert.equal(e.reason, 'Conflict');
    assert.match(e.message, pattern);
    return true;
  });
}

describe('serverSideApply', () => {
  test('create records the applier as owner of every field it set', () => {
    const created = serverSideApply(undefined, config(2, { app: 'web' }, [{ name: 'nginx', image: 'nginx:1' }]), target('kubectl'));
    assert.equal(spec(created).replicas, 2);
    assert.deepEqual(created.metadata.managedFields, [{
      manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1', time, fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
        'f:spec': {
          'f:replicas': {},
          'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } },
        },
      },
    }]);
  });

  test('re-applying without a field removes it; fields set by others stay', () => {
    let live = serverSideApply(undefined, config(2, { app: 'web', tier: 'fe' }, [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:1' }]), target('kubectl'));
    live = recordUpdate(live, { ...live, metadata: { ...live.metadata, annotations: { note: 'x' } } },
      { manager: 'kubectl-annotate', kind: 'Deployment', apiVersion: 'apps/v1', time });
    live = serverSideApply(live, config(2, { app: 'web' }, [{ name: 'a', image: 'a:2' }]), target('kubectl'));
    assert.deepEqual(live.metadata.labels, { app: 'web' });
    assert.deepEqual(live.metadata.annotations, { note: 'x' });
    assert.deepEqual(spec(live).template.spec.containers, [{ name: 'a', image: 'a:2' }]);
    assert.deepEqual(managers(live), ['kubectl/Apply', 'kubectl-annotate/Update']);
    assert.deepEqual(fieldsOf(live, 'kubectl'), {
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': { 'f:replicas': {}, 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"a"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } } },
    });
  });

  test('dropping all labels removes the emptied map', () => {
    let live = serverSideApply(undefined, config(1, { app: 'web' }, []), target('kubectl'));
    live = serverSideApply(live, { ...config(1, {}, []), metadata: { name: 'web', namespace: 'default' } }, target('kubectl'));
    assert.equal('labels' in live.metadata, false);
  });

  test('a field another manager set to a different value is a 409; the same value is shared', () => {
    // kubectl apply (client side) created the object: an Update by kubectl-client-side-apply.
    const created = recordUpdate(undefined, config(1, { app: 'web' }, [{ name: 'nginx', image: 'nginx:1' }]),
      { manager: 'kubectl-client-side-apply', kind: 'Deployment', apiVersion: 'apps/v1', time });
    conflict(() => serverSideApply(created, config(3, { app: 'web' }, [{ name: 'nginx', image: 'nginx:1' }]), target('kubectl')),
      /^Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps\/v1: \.spec\.replicas$/);
    const shared = serverSideApply(created, config(1, { app: 'web' }, [{ name: 'nginx', image: 'nginx:1' }]), target('kubectl'));
    assert.deepEqual(managers(shared), ['kubectl-client-side-apply/Update', 'kubectl/Apply']);
    assert.deepEqual(fieldsOf(shared, 'kubectl-client-side-apply'), fieldsOf(shared, 'kubectl'));
  });

  test('several conflicts are grouped by manager, with causes per field', () => {
    const first = serverSideApply(undefined, config(1, { app: 'web' }, [{ name: 'nginx', image: 'nginx:1' }]), target('alice'));
    assert.throws(() => serverSideApply(first, config(2, { app: 'web' }, [{ name: 'nginx', image: 'nginx:2' }]), target('bob')), (e: unknown) => {
      assert.ok(isApiError(e));
      assert.equal(e.message, 'Apply failed with 2 conflicts: conflicts with "alice":\n- .spec.replicas\n- .spec.template.spec.containers[name="nginx"].image');
      assert.deepEqual(e.details?.causes, [
        { reason: 'FieldManagerConflict', message: 'conflict with "alice"', field: '.spec.replicas' },
        { reason: 'FieldManagerConflict', message: 'conflict with "alice"', field: '.spec.template.spec.containers[name="nginx"].image' },
      ]);
      return true;
    });
  });

  test('force takes the conflicting fields over', () => {
    const first = serverSideApply(undefined, config(1, { app: 'web' }, [{ name: 'nginx', image: 'nginx:1' }]), target('alice'));
    const forced = serverSideApply(first, config(5, { app: 'web' }, [{ name: 'nginx', image: 'nginx:1' }]), target('bob', true));
    assert.equal(spec(forced).replicas, 5);
    const alice = JSON.stringify(fieldsOf(forced, 'alice'));
    const bob = JSON.stringify(fieldsOf(forced, 'bob'));
    assert.equal(alice.includes('f:replicas'), false);
    assert.equal(bob.includes('f:replicas'), true);
    // Alice re-applies without replicas: she no longer owns it, so it stays at bob's value.
    const again = serverSideApply(forced, { ...config(1, { app: 'web' }, [{ name: 'nginx', image: 'nginx:1' }]), spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1' }] } } } }, target('alice'));
    assert.equal(spec(again).replicas, 5);
  });

  test('an object without managedFields is owned by before-first-apply', () => {
    const plain = config(1, { app: 'web' }, []);
    conflict(() => serverSideApply(plain, config(2, { app: 'web' }, []), target('kubectl')),
      /conflict with "before-first-apply" using apps\/v1: \.spec\.replicas/);
  });

  test('apply needs a field manager', () => {
    assert.throws(() => serverSideApply(undefined, config(1, {}, []), { ...target('x'), fieldManager: '' }), (e: unknown) => isApiError(e) && e.code === 400);
  });

  test('reset fields are neither applied nor owned', () => {
    const withStatus = { ...config(1, {}, []), status: { replicas: 9 } };
    const created = serverSideApply(undefined, withStatus, { ...target('kubectl'), resetFields: [['status']] });
    assert.equal('status' in created, false);
    assert.equal(JSON.stringify(created.metadata.managedFields).includes('f:status'), false);
  });
});

describe('recordUpdate', () => {
  const writer = (manager: string) => ({ manager, kind: 'Deployment', apiVersion: 'apps/v1', time });

  test('the writer owns what it changed; others lose it', () => {
    const created = recordUpdate(undefined, config(1, { app: 'web' }, []), writer('creator'));
    assert.deepEqual(managers(created), ['creator/Update']);
    const scaled = recordUpdate(created, { ...created, spec: { ...spec(created), replicas: 4 } }, writer('scaler'));
    assert.deepEqual(managers(scaled), ['creator/Update', 'scaler/Update']);
    assert.deepEqual(fieldsOf(scaled, 'scaler'), { 'f:spec': { 'f:replicas': {} } });
    assert.equal(JSON.stringify(fieldsOf(scaled, 'creator')).includes('f:replicas'), false);
  });

  test('recording twice gives the same result, and the reset form clears managedFields', () => {
    const created = recordUpdate(undefined, config(1, { app: 'web' }, []), writer('creator'));
    const next = { ...created, spec: { ...spec(created), replicas: 2 } };
    const once = recordUpdate(created, next, writer('scaler'));
    assert.deepEqual(recordUpdate(created, once, writer('scaler')), once);
    const reset = recordUpdate(created, { ...created, metadata: { ...created.metadata, managedFields: [{}] } }, writer('x'));
    assert.equal('managedFields' in reset.metadata, false);
  });
});
