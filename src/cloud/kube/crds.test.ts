import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSilentLogger } from '../../core/index.js';
import { FakeKubeClient } from '../../testing/fake-kube-client.js';
import { KubeError, Resources, ensureCRDs, readCRDs } from './index.js';

// dist/src/cloud/kube → the repository root.
const repoCrds = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../deploy/crds');

describe('ensureCRDs', () => {
  test('reads the repository CRDs, including the reliablesyncs ones', async () => {
    const crds = await readCRDs(repoCrds);
    const names = crds.map((c) => c.metadata.name);
    assert.ok(names.includes('objectsyncs.reliablesyncs.kubeedge.io'));
    assert.ok(names.includes('clusterobjectsyncs.reliablesyncs.kubeedge.io'));
    assert.ok(names.includes('devices.devices.kubeedge.io'));
  });

  test('creates the missing ones, leaves existing ones, tolerates a 409 race', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kets-crds-'));
    try {
      const crd = (n: string) => `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: ${n}\nspec:\n  group: x.io\n`;
      await writeFile(join(dir, 'a.yaml'), `${crd('as.x.io')}---\n${crd('bs.x.io')}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ignored\n`);
      await writeFile(join(dir, 'c.yml'), crd('cs.x.io'));
      await writeFile(join(dir, 'notes.txt'), 'not yaml: [');
      const k = new FakeKubeClient();
      await k.create(Resources.crds, { metadata: { name: 'bs.x.io' } });
      k.failNext('create', new KubeError(409, 'AlreadyExists', 'raced'));
      const r = await ensureCRDs(k, dir, createSilentLogger());
      assert.deepEqual(r, { created: ['cs.x.io'], existing: ['as.x.io', 'bs.x.io'] });
      const again = await ensureCRDs(k, dir, createSilentLogger());
      assert.deepEqual(again.created, ['as.x.io']);
      k.failNext('create', new KubeError(403, 'Forbidden', 'no'));
      await k.delete(Resources.crds, null, 'as.x.io');
      await assert.rejects(ensureCRDs(k, dir, createSilentLogger()), /no/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
