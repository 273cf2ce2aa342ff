import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import type { KubeObject } from '../../api/index.js';
import { apiError, makeFixture, refs, type Fixture } from './test-fixture.js';

const widgets = { group: 'example.com', resource: 'widgets' };

function widgetCrd(extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
      versions: [{
        name: 'v1', served: true, storage: true, subresources: { status: {} },
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      }],
      ...extra,
    },
  };
}

const widget = (name: string): KubeObject => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name }, spec: { size: 1 } });

describe('CustomResourceDefinitions', () => {
  let f: Fixture;
  let dir: string | undefined;
  afterEach(() => {
    f.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  test('creating a CRD serves its custom resources, with status and conditions', () => {
    f = makeFixture();
    const crd = f.api.create(refs.crds, '', widgetCrd());
    const conditions = (crd.status as { conditions: Array<{ type: string; status: string }> }).conditions;
    assert.ok(conditions.some((c) => c.type === 'Established' && c.status === 'True'));
    f.api.create(widgets, 'default', widget('w1'));
    f.api.create(widgets, 'default', { ...widget('w2'), status: { ready: true } });
    const list = f.api.list(widgets, { namespace: 'default' });
    assert.equal(list.kind, 'WidgetList');
    assert.deepEqual(list.items.map((i) => i.metadata.name), ['w1', 'w2']);
    assert.equal(list.items[1]?.status, undefined, 'status is dropped on create (status subresource)');
    const kind = apiError(() => f.api.create(widgets, 'default', { ...widget('w3'), kind: 'Gadget' }));
    assert.equal(kind.code, 422);
  });

  test('an invalid CRD is 422 and is neither stored nor served', () => {
    f = makeFixture();
    const before = f.store.revision();
    const err = apiError(() => f.api.create(refs.crds, '', widgetCrd({ scope: 'Sideways' })));
    assert.equal(err.code, 422);
    assert.equal(f.store.revision(), before);
    assert.equal(apiError(() => f.api.list(widgets)).code, 404);
  });

  test('a duplicate CRD is 409 and the served one stays', () => {
    f = makeFixture();
    f.api.create(refs.crds, '', widgetCrd());
    assert.equal(apiError(() => f.api.create(refs.crds, '', widgetCrd())).code, 409);
    assert.equal(f.api.list(widgets).kind, 'WidgetList');
  });

  test('deleting a CRD deletes its custom resources and stops serving them', () => {
    f = makeFixture();
    f.api.create(refs.crds, '', widgetCrd());
    f.api.create(widgets, 'default', widget('w1'));
    const events: string[] = [];
    const w = f.api.watch(widgets, { resourceVersion: String(f.store.revision()) }, (e) => events.push(e.type));
    f.api.delete(refs.crds, '', 'widgets.example.com');
    w.stop();
    assert.deepEqual(events, ['DELETED']);
    assert.equal(f.store.list('example.com/widgets').items.length, 0);
    assert.equal(apiError(() => f.api.get(widgets, 'default', 'w1')).code, 404);
  });

  test('a dry-run CRD create is not served', () => {
    f = makeFixture();
    f.api.create(refs.crds, '', widgetCrd(), { dryRun: true });
    assert.equal(apiError(() => f.api.list(widgets)).code, 404);
  });

  test('loadCRDs skips a stored CRD that no longer registers', () => {
    f = makeFixture();
    f.store.create('apiextensions.k8s.io/customresourcedefinitions', { ...widgetCrd({ scope: 'Sideways' }), metadata: { name: 'widgets.example.com' } });
    assert.doesNotThrow(() => f.api.loadCRDs());
    assert.equal(apiError(() => f.api.list(widgets)).code, 404);
  });

  test('loadCRDs serves the stored CRDs after a restart', () => {
    dir = mkdtempSync(join(tmpdir(), 'objects-crd-'));
    const path = join(dir, 'state.db');
    f = makeFixture({ path });
    f.api.create(refs.crds, '', widgetCrd());
    f.api.create(widgets, 'default', widget('w1'));
    f.close();
    f = makeFixture({ path });
    assert.equal(apiError(() => f.api.list(widgets)).code, 404);
    f.api.loadCRDs();
    assert.deepEqual(f.api.list(widgets).items.map((i) => i.metadata.name), ['w1']);
  });
});
