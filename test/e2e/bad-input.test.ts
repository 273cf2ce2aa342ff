// Bad input gets a Kubernetes Status error or a clean close, never a crash, and nothing stored is lost.
// Ends with kill -9 during a burst of writes: the store must reopen consistent, with every acked write.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { apiRequest } from '../harness/api.js';
import { kubeconfigCredentials, startCloudcore, type CloudcoreProcess } from '../harness/cloudcore.js';
import { kubectl, kubectlOk } from '../harness/kubectl.js';

describe('bad input against the embedded control plane', () => {
  let cc: CloudcoreProcess;
  const api = (method: string, path: string, body?: string, contentType?: string) =>
    apiRequest(cc.kubeconfig, cc.url, method, path, body === undefined ? {} : { body, ...(contentType ? { contentType } : {}) });
  const expectStatus = (res: { status: number; json(): any }, code: number, reason?: string) => {
    assert.equal(res.status, code);
    const st = res.json();
    assert.equal(st.kind, 'Status');
    assert.equal(st.code, code);
    if (reason) assert.equal(st.reason, reason);
    assert.ok(typeof st.message === 'string' && st.message.length > 0);
  };
  before(async () => { cc = await startCloudcore(); });
  after(async () => { await cc?.dispose(); });

  test('a keeper object survives everything below', async () => {
    await kubectlOk(cc.kubeconfig, ['create', 'configmap', 'keeper', '--from-literal=k=v']);
  });

  test('malformed JSON and YAML are 400', async () => {
    expectStatus(await api('POST', '/api/v1/namespaces/default/configmaps', '{"apiVersion":"v1",'), 400, 'BadRequest');
    expectStatus(await api('PATCH', '/api/v1/namespaces/default/configmaps/keeper', 'key: [unclosed', 'application/apply-patch+yaml'), 400, 'BadRequest');
    expectStatus(await api('PATCH', '/api/v1/namespaces/default/configmaps/keeper', '{"data":', 'application/merge-patch+json'), 400, 'BadRequest');
  });

  test('unknown kinds, wrong apiVersion, bad content type', async () => {
    expectStatus(await api('GET', '/apis/nothing.example.com/v1/widgets'), 404, 'NotFound');
    expectStatus(await api('POST', '/api/v1/namespaces/default/configmaps', JSON.stringify({ apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: { name: 'x' } })), 400);
    expectStatus(await api('POST', '/api/v1/namespaces/default/configmaps', JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } })), 400);
    expectStatus(await api('PATCH', '/api/v1/namespaces/default/configmaps/keeper', '{}', 'text/plain'), 415);
    const r = await kubectl(cc.kubeconfig, ['get', 'widgets']);
    assert.match(r.stderr, /the server doesn't have a resource type "widgets"/);
  });

  test('invalid names and labels are 422 with the field named', async () => {
    const bad = await api('POST', '/api/v1/namespaces/default/configmaps', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name' } }));
    expectStatus(bad, 422, 'Invalid');
    assert.match(bad.json().message, /metadata.name/);
    const label = await api('POST', '/api/v1/namespaces/default/configmaps', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ok', labels: { 'bad key!': 'v' } } }));
    expectStatus(label, 422, 'Invalid');
    assert.match(label.json().message, /metadata.labels/);
    const r = await kubectl(cc.kubeconfig, ['create', 'configmap', 'UPPER']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /is invalid/);
  });

  test('an oversized body is 413 and the server keeps serving', async () => {
    const big = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { blob: 'x'.repeat(4 * 1024 * 1024) } });
    const res = await api('POST', '/api/v1/namespaces/default/configmaps', big).catch((e: Error) => ({ status: -1, error: e }));
    if ('error' in res) assert.match(String(res.error), /ECONNRESET|EPIPE|socket hang up/);
    else expectStatus(res as never, 413);
    expectStatus(await api('GET', '/api/v1/namespaces/default/configmaps/big'), 404);
  });

  test('a watch client that vanishes mid-stream does not hurt the server', async () => {
    const creds = kubeconfigCredentials(cc.kubeconfig);
    for (let i = 0; i < 20; i++) {
      await new Promise<void>((resolve) => {
        const req = request(`${cc.url}/api/v1/configmaps?watch=1`, { ca: creds.ca, cert: creds.cert, key: creds.key }, (res) => {
          res.once('data', () => { req.destroy(); resolve(); });
        });
        req.on('error', () => resolve());
        req.end();
      });
    }
    const res = await api('GET', '/api/v1/namespaces/default/configmaps/keeper');
    assert.equal(res.status, 200);
  });

  test('requests without credentials are 401', async () => {
    const res = await apiRequest(cc.kubeconfig, cc.url, 'GET', '/api/v1/namespaces', { anonymous: true });
    expectStatus(res, 401, 'Unauthorized');
  });

  test('kill -9 during a burst of writes leaves a consistent store with every acked write', async () => {
    const acked: string[] = [];
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const name = `burst-${w}-${i}`;
        try {
          const res = await api('POST', '/api/v1/namespaces/default/configmaps', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { i: String(i) } }));
          if (res.status === 201) acked.push(name);
        } catch { return; }
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    await new Promise((r) => setTimeout(r, 1500));
    await cc.kill();
    stop = true;
    await Promise.all(writers);
    assert.ok(acked.length > 10, `only ${acked.length} writes were acked before the kill`);
    const db = join(cc.dataDir, 'controlplane', 'state.db');
    assert.equal(execFileSync('sqlite3', [db, 'PRAGMA integrity_check;'], { encoding: 'utf8' }).trim(), 'ok');
    await cc.restart();
    const names = new Set(JSON.parse(await kubectlOk(cc.kubeconfig, ['get', 'cm', '-o', 'json'])).items.map((o: any) => o.metadata.name));
    const lost = acked.filter((n) => !names.has(n));
    assert.deepEqual(lost, [], `acked writes lost after kill -9: ${lost.length}`);
    assert.ok(names.has('keeper'));
    await kubectlOk(cc.kubeconfig, ['create', 'configmap', 'after-crash', '--from-literal=a=b']);
  });
});
