// Our deploy/crds/*.yaml must install into a real cluster: apiextensions.k8s.io/v1 structural schemas,
// names that match, one storage version, and the status subresources KubeEdge ships.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { findPackageRoot, loadBundledCRDs } from './bundled-crds.js';

type Node = Record<string, unknown>;
const crdDir = join(findPackageRoot(), 'deploy', 'crds');
const files = readdirSync(crdDir).filter((f) => f.endsWith('.yaml')).sort();
const docs = files.map((file) => ({ file, crd: parse(readFileSync(join(crdDir, file), 'utf8')) as Node }));

const isNode = (v: unknown): v is Node => v !== null && typeof v === 'object' && !Array.isArray(v);
const get = (n: unknown, ...path: string[]): unknown => path.reduce<unknown>((at, key) => (isNode(at) ? at[key] : undefined), n);

/** Structural-schema violations under `node` (apiextensions.k8s.io/v1 rules that bite in practice). */
function violations(node: Node, at: string, out: string[] = []): string[] {
  const typed = typeof node['type'] === 'string' || node['x-kubernetes-preserve-unknown-fields'] === true || node['x-kubernetes-int-or-string'] === true;
  if (!typed) out.push(`${at}: no type`);
  if (node['properties'] !== undefined && node['additionalProperties'] !== undefined) out.push(`${at}: properties with additionalProperties`);
  if (node['additionalProperties'] === false || node['additionalProperties'] === true) out.push(`${at}: boolean additionalProperties`);
  if (node['x-kubernetes-preserve-unknown-fields'] === false) out.push(`${at}: preserve-unknown-fields false`);
  if (node['$ref'] !== undefined) out.push(`${at}: $ref`);
  if ((node['properties'] !== undefined || node['additionalProperties'] !== undefined) && node['type'] !== 'object') out.push(`${at}: properties on non-object`);
  if (node['type'] === 'array' && !isNode(node['items'])) out.push(`${at}: array without items`);
  if (Array.isArray(node['enum'])) {
    const want = node['type'] === 'integer' ? 'number' : node['type'];
    for (const v of node['enum']) if (typeof v !== want) out.push(`${at}: enum value ${String(v)} is not ${String(node['type'])}`);
  }
  if (Array.isArray(node['required']) && isNode(node['properties'])) {
    for (const r of node['required']) if (!(String(r) in node['properties'])) out.push(`${at}: required ${String(r)} not a property`);
  }
  for (const [key, child] of Object.entries(isNode(node['properties']) ? node['properties'] : {})) {
    if (isNode(child)) violations(child, `${at}.${key}`, out);
    else out.push(`${at}.${key}: not a schema`);
  }
  if (isNode(node['items'])) violations(node['items'], `${at}[]`, out);
  if (isNode(node['additionalProperties'])) violations(node['additionalProperties'], `${at}{}`, out);
  return out;
}

const expected: Record<string, { scope: string; status: boolean; shortNames?: string[] }> = {
  'devices.devices.kubeedge.io': { scope: 'Namespaced', status: false },
  'devicemodels.devices.kubeedge.io': { scope: 'Namespaced', status: false },
  'devicestatuses.devices.kubeedge.io': { scope: 'Namespaced', status: false },
  'objectsyncs.reliablesyncs.kubeedge.io': { scope: 'Namespaced', status: true },
  'clusterobjectsyncs.reliablesyncs.kubeedge.io': { scope: 'Cluster', status: true },
  'rules.rules.kubeedge.io': { scope: 'Namespaced', status: false },
  'ruleendpoints.rules.kubeedge.io': { scope: 'Namespaced', status: false, shortNames: ['re'] },
  'nodegroups.apps.kubeedge.io': { scope: 'Cluster', status: true, shortNames: ['ng'] },
  'edgeapplications.apps.kubeedge.io': { scope: 'Namespaced', status: true, shortNames: ['eapp'] },
};

describe('deploy/crds', () => {
  test('holds exactly the KubeEdge CRDs we ship, one per file', () => {
    assert.deepEqual(docs.map((d) => get(d.crd, 'metadata', 'name')).sort(), Object.keys(expected).sort());
  });

  for (const { file, crd } of docs) {
    const name = String(get(crd, 'metadata', 'name'));
    test(`${file}: names, scope, versions and subresources`, () => {
      assert.equal(crd['apiVersion'], 'apiextensions.k8s.io/v1');
      assert.equal(crd['kind'], 'CustomResourceDefinition');
      const names = get(crd, 'spec', 'names') as Node;
      assert.equal(name, `${String(names['plural'])}.${String(get(crd, 'spec', 'group'))}`);
      assert.equal(names['listKind'], `${String(names['kind'])}List`);
      assert.equal(names['singular'], String(names['kind']).toLowerCase());
      assert.equal(get(crd, 'spec', 'scope'), expected[name]?.scope);
      assert.deepEqual(names['shortNames'], expected[name]?.shortNames);
      const versions = get(crd, 'spec', 'versions') as Node[];
      assert.equal(versions.filter((v) => v['storage'] === true).length, 1, 'exactly one storage version');
      for (const v of versions) {
        assert.equal(v['served'], true);
        assert.equal(isNode(get(v, 'subresources', 'status')), expected[name]?.status, 'status subresource');
      }
    });
    test(`${file}: schemas are structural`, () => {
      for (const v of get(crd, 'spec', 'versions') as Node[]) {
        const schema = get(v, 'schema', 'openAPIV3Schema');
        assert.ok(isNode(schema));
        assert.equal(schema['type'], 'object');
        assert.deepEqual(get(schema, 'properties', 'metadata'), { type: 'object' }, 'metadata must stay plain');
        assert.deepEqual(violations(schema, String(v['name'])), []);
      }
    });
  }

  test('carry KubeEdge field names and enums', () => {
    const schemaOf = (n: string): Node => {
      const crd = docs.find((d) => get(d.crd, 'metadata', 'name') === n)?.crd;
      return get((get(crd, 'spec', 'versions') as Node[])[0], 'schema', 'openAPIV3Schema') as Node;
    };
    const device = schemaOf('devices.devices.kubeedge.io');
    assert.deepEqual(Object.keys(get(device, 'properties', 'spec', 'properties') as Node).sort(),
      ['deviceModelRef', 'methods', 'nodeName', 'properties', 'protocol', 'stateReport']);
    assert.equal(get(device, 'properties', 'spec', 'properties', 'protocol', 'properties', 'configData', 'x-kubernetes-preserve-unknown-fields'), true);
    const model = schemaOf('devicemodels.devices.kubeedge.io');
    assert.deepEqual(get(model, 'properties', 'spec', 'properties', 'properties', 'items', 'properties', 'type', 'enum'),
      ['INT', 'FLOAT', 'DOUBLE', 'STRING', 'BOOLEAN', 'BYTES', 'STREAM']);
    const status = schemaOf('devicestatuses.devices.kubeedge.io');
    assert.deepEqual(get(status, 'properties', 'status', 'properties', 'twins', 'items', 'properties', 'reported', 'required'), ['value']);
    const sync = schemaOf('objectsyncs.reliablesyncs.kubeedge.io');
    assert.deepEqual(Object.keys(get(sync, 'properties', 'spec', 'properties') as Node).sort(), ['objectAPIVersion', 'objectKind', 'objectName']);
    assert.deepEqual(get(schemaOf('ruleendpoints.rules.kubeedge.io'), 'properties', 'spec', 'properties', 'ruleEndpointType', 'enum'), ['rest', 'eventbus', 'servicebus']);
  });

  test('loadBundledCRDs reads every file as plain JSON objects', () => {
    const crds = loadBundledCRDs();
    assert.equal(crds.length, files.length);
    assert.deepEqual(crds, JSON.parse(JSON.stringify(crds)));
    assert.ok(crds.every((c) => c.kind === 'CustomResourceDefinition' && typeof c.metadata.name === 'string'));
    assert.deepEqual(loadBundledCRDs(crdDir).map((c) => c.metadata.name), crds.map((c) => c.metadata.name));
  });
});
