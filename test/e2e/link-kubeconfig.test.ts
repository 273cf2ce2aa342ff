// cloudcore against an existing cluster (--kubeconfig): a second cloudcore is pointed at the first one's
// API as it would be at a real kube-apiserver. It finds the CRDs, shares the CA and join token kept in
// Secrets (namespace kubeedge), and an edge node joins it with the token the first one hands out.
import { describe, test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startCloudcore, type CloudcoreProcess } from '../harness/cloudcore.js';
import { eventually, joinToken, startEdgecore, waitNodeReady, type EdgecoreProcess } from '../harness/edgecore.js';
import { kubectlOk } from '../harness/kubectl.js';

describe('cloudcore with --kubeconfig', () => {
  let api: CloudcoreProcess;
  let linked: CloudcoreProcess;
  let edge: EdgecoreProcess | undefined;
  before(async () => {
    api = await startCloudcore();
    linked = await startCloudcore({ apiOf: api });
  });
  after(async () => { await edge?.dispose(); await linked?.dispose(); await api?.dispose(); });

  test('a second cloudcore uses the same CA and token, and serves an edge node through the given API', async () => {
    const token = await joinToken(api);
    edge = await startEdgecore(linked, { nodeName: 'edge-kc', token });
    await waitNodeReady(linked, edge);
    await kubectlOk(api.kubeconfig, ['create', 'configmap', 'kc-config', '--from-literal=a=1']);
    await kubectlOk(api.kubeconfig, ['apply', '-f', '-'], { input: `apiVersion: v1
kind: Pod
metadata: { name: kc-pod, namespace: default }
spec: { nodeName: edge-kc, containers: [{ name: app, image: busybox, envFrom: [{ configMapRef: { name: kc-config } }] }] }
` });
    const e = edge;
    await eventually(() => e.query('SELECT key FROM meta WHERE key = ?', 'default/configmap/kc-config').length === 1,
      'the configmap at the edge through the second cloudcore', { describe: () => `${e.logs().slice(-3000)}\n${linked.logs().slice(-3000)}` });
    const secrets = await kubectlOk(api.kubeconfig, ['get', 'secrets', '-n', 'kubeedge', '-o', 'name']);
    assert.match(secrets, /secret\/casecret/);
    assert.match(secrets, /secret\/tokensecret/);
  });
});
