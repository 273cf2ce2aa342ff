import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { findPackageRoot, loadBundledCRDs, parseCRDDocuments } from './bundled-crds.js';

const crd = (plural: string) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${plural}.example.com
spec:
  group: example.com
`;

describe('bundled CRDs', () => {
  test('findPackageRoot finds the repository', () => {
    assert.match(findPackageRoot(), /\S/);
    assert.throws(() => findPackageRoot('/'), /no package.json/);
  });

  test('loads every YAML file of a folder in name order, several documents per file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crds-'));
    try {
      writeFileSync(join(dir, 'b.yaml'), crd('bees'));
      writeFileSync(join(dir, 'a.yaml'), `${crd('ants')}---\n${crd('apes')}---\n`);
      writeFileSync(join(dir, 'notes.txt'), 'not yaml');
      assert.deepEqual(loadBundledCRDs(dir).map((c) => c.metadata.name), ['ants.example.com', 'apes.example.com', 'bees.example.com']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('rejects malformed YAML and other kinds, naming the file', () => {
    assert.throws(() => parseCRDDocuments('a: [1,', 'bad.yaml'), /bad\.yaml/);
    assert.throws(() => parseCRDDocuments('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n', 'cm.yaml'), /cm\.yaml: expected a CustomResourceDefinition/);
  });
});
