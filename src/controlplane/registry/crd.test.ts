import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/index.js';
import { isApiError } from '../errors.js';
import { crdToResourceDefs } from './crd.js';
import { crdStatusFor, crdStrategy } from './crd-status.js';
import { evaluateJsonPath } from './jsonpath.js';
import { buildTable } from './table.js';

const now = new Date('2024-06-01T12:00:00Z');
const schema = { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } };

function deviceCRD(): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
    metadata: { name: 'devices.devices.kubeedge.io' },
    spec: {
      group: 'devices.kubeedge.io', scope: 'Namespaced',
      names: { plural: 'devices', singular: 'device', kind: 'Device', listKind: 'DeviceList', shortNames: ['dev'], categories: ['kubeedge'] },
      versions: [
        { name: 'v1alpha2', served: true, storage: false, schema },
        {
          name: 'v1beta1', served: true, storage: true, schema, subresources: { status: {} },
          additionalPrinterColumns: [
            { name: 'Model', type: 'string', jsonPath: '.spec.deviceModelRef.name' },
            { name: 'Node', type: 'string', jsonPath: '.spec.nodeName', priority: 1 },
            { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
            { name: 'Twins', type: 'integer', jsonPath: '.status.twinCount' },
            { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
          ],
          selectableFields: [{ jsonPath: '.spec.nodeName' }],
        },
      ],
    },
  };
}

function causesOf(fn: () => unknown): Array<string | undefined> {
  try {
    fn();
  } catch (e) {
    assert.ok(isApiError(e));
    assert.equal(e.code, 422);
    return (e.details?.causes ?? []).map((c) => `${c.field}: ${c.message}`);
  }
  assert.fail('expected an Invalid error');
}

describe('crdToResourceDefs', () => {
  test('converts a KubeEdge-like Device CRD', () => {
    const def = crdToResourceDefs(deviceCRD());
    assert.deepEqual({ group: def.group, version: def.version, versions: def.versions, resource: def.resource, singular: def.singular,
      kind: def.kind, listKind: def.listKind, namespaced: def.namespaced, shortNames: def.shortNames, categories: def.categories, crd: def.crd },
    { group: 'devices.kubeedge.io', version: 'v1beta1', versions: ['v1beta1', 'v1alpha2'], resource: 'devices', singular: 'device',
      kind: 'Device', listKind: 'DeviceList', namespaced: true, shortNames: ['dev'], categories: ['kubeedge'], crd: 'devices.devices.kubeedge.io' });
    assert.deepEqual(def.subresources, { status: true });
    assert.equal(def.strategicMerge, false);
    assert.deepEqual(def.schema, schema.openAPIV3Schema);
    assert.deepEqual(def.verbs, ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']);
    assert.equal(def.selectableFields?.['spec.nodeName']?.({ metadata: {}, spec: { nodeName: 'edge-1' } }), 'edge-1');
  });

  test('prints the additionalPrinterColumns, dates as ages', () => {
    const def = crdToResourceDefs(deviceCRD());
    const device: KubeObject = {
      metadata: { name: 'thermo', namespace: 'default', creationTimestamp: '2024-06-01T11:55:00Z' },
      spec: { deviceModelRef: { name: 'thermo-model' }, nodeName: 'edge-1' },
      status: { conditions: [{ type: 'Synced', status: 'True' }, { type: 'Ready', status: 'False' }], twinCount: 2.7 },
    };
    const table = buildTable(def, [device, { metadata: { name: 'bare' } }], { now });
    assert.deepEqual(table.columnDefinitions.map((c) => [c.name, c.type, c.priority]),
      [['Name', 'string', 0], ['Model', 'string', 0], ['Node', 'string', 1], ['Ready', 'string', 0], ['Twins', 'integer', 0], ['Age', 'date', 0]]);
    assert.deepEqual(table.rows[0]?.cells, ['thermo', 'thermo-model', 'edge-1', 'False', 2, '5m']);
    assert.deepEqual(table.rows[1]?.cells, ['bare', null, null, null, null, null]);
  });

  test('without printer columns the table is NAME and a date-typed Age', () => {
    const crd = deviceCRD();
    const spec = crd.spec as { versions: Array<Record<string, unknown>> };
    spec.versions = [{ name: 'v1', served: true, storage: true, schema }];
    const def = crdToResourceDefs(crd);
    const table = buildTable(def, [{ metadata: { name: 'a', creationTimestamp: '2024-06-01T11:00:00Z' } }], { now });
    assert.deepEqual(table.columnDefinitions.map((c) => [c.name, c.type]), [['Name', 'string'], ['Age', 'date']]);
    assert.deepEqual(table.rows[0]?.cells, ['a', '60m']);
    assert.equal(def.strategy, undefined);
  });

  test('reads the scale subresource and defaults singular and listKind', () => {
    const crd: KubeObject = {
      metadata: { name: 'workers.example.com' },
      spec: { group: 'example.com', scope: 'Cluster', names: { plural: 'workers', kind: 'Worker' }, versions: [{ name: 'v1', served: true, storage: true, schema,
        subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' } } }] },
    };
    const def = crdToResourceDefs(crd);
    assert.deepEqual(def.subresources.scale, { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' });
    assert.equal(def.singular, 'worker');
    assert.equal(def.listKind, 'WorkerList');
    assert.equal(def.namespaced, false);
    const obj: KubeObject = { metadata: { name: 'w' }, spec: { replicas: 2 }, status: { replicas: 1 } };
    def.strategy?.prepareForCreate?.(obj);
    assert.equal(obj.status, undefined);
    const updated: KubeObject = { metadata: { name: 'w' }, spec: {}, status: { replicas: 9 } };
    def.strategy?.prepareForUpdate?.(updated, { metadata: { name: 'w' }, status: { replicas: 1 } });
    assert.deepEqual(updated.status, { replicas: 1 });
  });

  test('rejects invalid CRDs with Kubernetes field errors', () => {
    const wrongName = deviceCRD();
    wrongName.metadata.name = 'devices.example.com';
    assert.deepEqual(causesOf(() => crdToResourceDefs(wrongName)), ['metadata.name: Invalid value: "devices.example.com": must be spec.names.plural+"."+spec.group']);

    const twoStorage = deviceCRD();
    for (const v of (twoStorage.spec as { versions: Array<Record<string, unknown>> }).versions) v.storage = true;
    assert.match(causesOf(() => crdToResourceDefs(twoStorage))[0] ?? '', /^spec\.versions: Invalid value: .*: must have exactly one version marked as storage version$/);

    const bad: KubeObject = {
      metadata: { name: 'Things.nodot' },
      spec: { group: 'nodot', scope: 'Global', names: { plural: 'Things', kind: 'Thing', listKind: 'Thing', shortNames: ['t_1'] },
        versions: [{ name: 'V1', served: true, storage: true, additionalPrinterColumns: [{ name: 'X', type: 'text', jsonPath: 'spec.x' }] }] },
    };
    const causes = causesOf(() => crdToResourceDefs(bad));
    assert.ok(causes.includes('spec.group: Invalid value: "nodot": should be a domain with at least one dot'), causes.join('\n'));
    assert.ok(causes.includes('spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"'));
    assert.ok(causes.includes('spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required'));
    assert.ok(causes.includes('spec.versions[0].additionalPrinterColumns[0].type: Invalid value: "text": must be one of boolean,date,integer,number,string'));
    assert.ok(causes.includes('spec.versions[0].additionalPrinterColumns[0].jsonPath: Invalid value: "spec.x": must be a simple json path starting with .'));
    assert.ok(causes.includes('spec.names.listKind: Invalid value: "Thing": kind and listKind may not be the same'));
    assert.ok(causes.some((c) => c?.startsWith('spec.names.plural: Invalid value: "Things": a DNS-1035 label')));
    assert.ok(causes.some((c) => c?.startsWith('spec.names.shortNames[0]: Invalid value: "t_1"')));
    assert.ok(causes.some((c) => c?.startsWith('spec.versions[0].name: Invalid value: "V1"')));
  });

  test('protected groups need the approval annotation', () => {
    const crd = deviceCRD();
    (crd.spec as Record<string, unknown>).group = 'coordination.k8s.io';
    crd.metadata.name = 'devices.coordination.k8s.io';
    assert.match(causesOf(() => crdToResourceDefs(crd))[0] ?? '', /^metadata\.annotations\[api-approved\.kubernetes\.io\]: Required value: protected groups/);
  });
});

describe('CRD status and strategy', () => {
  test('crdStatusFor reports names accepted and established', () => {
    const status = crdStatusFor(deviceCRD(), now);
    assert.deepEqual(status, {
      conditions: [
        { type: 'NamesAccepted', status: 'True', lastTransitionTime: '2024-06-01T12:00:00Z', reason: 'NoConflicts', message: 'no conflicts found' },
        { type: 'Established', status: 'True', lastTransitionTime: '2024-06-01T12:00:00Z', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
      ],
      acceptedNames: { plural: 'devices', singular: 'device', kind: 'Device', listKind: 'DeviceList', shortNames: ['dev'], categories: ['kubeedge'] },
      storedVersions: ['v1beta1'],
    });
  });

  test('the strategy sets status on create and keeps transition times and stored versions on update', () => {
    let clock = now;
    const strategy = crdStrategy(() => clock);
    const crd = deviceCRD();
    strategy.prepareForCreate?.(crd);
    assert.deepEqual((crd.spec as Record<string, unknown>).conversion, { strategy: 'None' });
    assert.deepEqual(strategy.validate?.(crd), []);
    clock = new Date('2024-06-02T00:00:00Z');
    const next = structuredClone(deviceCRD());
    const versions = (next.spec as { versions: Array<Record<string, unknown>> }).versions;
    for (const v of versions) v.storage = v.name === 'v1alpha2';
    strategy.prepareForUpdate?.(next, crd);
    const status = next.status as { conditions: Array<{ lastTransitionTime: string }>; storedVersions: string[] };
    assert.equal(status.conditions[0]?.lastTransitionTime, '2024-06-01T12:00:00Z');
    assert.deepEqual(status.storedVersions, ['v1beta1', 'v1alpha2']);
    const renamed = structuredClone(next);
    (renamed.spec as { scope: string }).scope = 'Cluster';
    assert.deepEqual(strategy.validate?.(renamed, next).map((c) => c.field), ['spec.scope']);
  });
});

test('JSONPath subset', () => {
  const doc = { metadata: { labels: { 'app.kubernetes.io/name': 'web' } }, items: [{ n: 1 }, { n: 2 }], conds: [{ type: 'A', ok: true }, { type: 'B', ok: false }] };
  assert.deepEqual(evaluateJsonPath(doc, '.metadata.labels.app\\.kubernetes\\.io/name'), ['web']);
  assert.deepEqual(evaluateJsonPath(doc, '.items[1].n'), [2]);
  assert.deepEqual(evaluateJsonPath(doc, '.items[-1].n'), [2]);
  assert.deepEqual(evaluateJsonPath(doc, '.items[*].n'), [1, 2]);
  assert.deepEqual(evaluateJsonPath(doc, "{.conds[?(@.type=='B')].ok}"), [false]);
  assert.deepEqual(evaluateJsonPath(doc, ".metadata.labels['app.kubernetes.io/name']"), ['web']);
  assert.deepEqual(evaluateJsonPath(doc, '.missing.deeper'), []);
});
