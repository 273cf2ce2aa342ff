import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ModelLookupError } from './admit.js';
import { kubeModelSource, loadKubeConfig } from './model-source.js';
import { fakeDeviceModelApi as fakeApi } from '../../testing/fake-devicemodel-api.js';

// Plain HTTP needs insecure-skip-tls-verify in client-node.
function writeKubeconfig(dir: string, server: string): string {
  const path = join(dir, `kc-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(path, `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "${server}", insecure-skip-tls-verify: true } }]
users: [{ name: u, user: { token: abc } }]
contexts: [{ name: x, context: { cluster: c, user: u } }]
current-context: x
`);
  return path;
}

describe('kubeModelSource', () => {
  let api: Awaited<ReturnType<typeof fakeApi>>;
  let dir = '';
  before(async () => { api = await fakeApi(); dir = mkdtempSync(join(tmpdir(), 'kets-admission-')); });
  after(() => {
    api.server.closeAllConnections();
    api.server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('gets the namespaced DeviceModel; a 404 is "no such model"', async () => {
    const models = kubeModelSource(loadKubeConfig({ kubeconfig: writeKubeconfig(dir, api.url) }));
    assert.deepEqual(await models.get('plant', 'thermo'), { metadata: { name: 'thermo' }, spec: { properties: [] } });
    assert.equal(await models.get('plant', 'absent'), undefined);
    assert.deepEqual(api.paths.slice(-2), [
      '/apis/devices.kubeedge.io/v1beta1/namespaces/plant/devicemodels/thermo',
      '/apis/devices.kubeedge.io/v1beta1/namespaces/plant/devicemodels/absent',
    ]);
  });

  test('a refusal, an unreachable server or no answer is a ModelLookupError saying which', async () => {
    const models = kubeModelSource(loadKubeConfig({ kubeconfig: writeKubeconfig(dir, api.url) }), { timeoutMs: 300 });
    await assert.rejects(models.get('plant', 'secret'), (err: unknown) =>
      err instanceof ModelLookupError && err.code === 403 && /"secret" in namespace "plant": HTTP 403: .*is forbidden/.test(err.message));
    await assert.rejects(models.get('plant', 'slow'), (err: unknown) =>
      err instanceof ModelLookupError && /no answer from the API server within 300 ms/.test(err.message));
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((r) => closed.close(() => r()));
    const dead = kubeModelSource(loadKubeConfig({ kubeconfig: writeKubeconfig(dir, deadUrl) }));
    await assert.rejects(dead.get('plant', 'thermo'), (err: unknown) => err instanceof ModelLookupError && err.code === undefined);
    // --master wins over the kubeconfig's server.
    const mastered = kubeModelSource(loadKubeConfig({ kubeconfig: writeKubeconfig(dir, deadUrl), master: api.url }));
    assert.ok(await mastered.get('plant', 'thermo'));
  });
});
