// kubectl drives the embedded control plane as it drives a real cluster: discovery, namespaces,
// configmaps and secrets through apply, get (every output form), describe, label, annotate, patch, delete.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectl } from '../harness/kubectl.js';
import { cloudcoreSuite } from '../harness/suite.js';

describe('kubectl basics against the embedded control plane', () => {
  const suite = cloudcoreSuite();
  const k = suite.k;

  test('version reports a server kubectl accepts, and discovery lists our resources', async () => {
    const version = JSON.parse(await k(['version', '-o', 'json']));
    assert.equal(version.serverVersion.major, '1');
    assert.ok(Number.parseInt(version.serverVersion.minor, 10) >= 29, `minor ${version.serverVersion.minor}`);
    const names = (await k(['api-resources', '-o', 'name'])).split('\n');
    for (const r of ['pods', 'nodes', 'configmaps', 'deployments.apps', 'daemonsets.apps', 'leases.coordination.k8s.io',
      'customresourcedefinitions.apiextensions.k8s.io', 'devices.devices.kubeedge.io', 'objectsyncs.reliablesyncs.kubeedge.io']) {
      assert.ok(names.includes(r), `api-resources lacks ${r}`);
    }
  });

  test('the default namespaces exist', async () => {
    const out = await k(['get', 'namespaces', '-o', 'jsonpath={.items[*].metadata.name}']);
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) assert.ok(out.split(' ').includes(ns), out);
    const table = await k(['get', 'ns', 'default']);
    assert.match(table, /^NAME\s+STATUS\s+AGE\n/);
    assert.match(table, /default\s+Active\s+\d+s/);
  });

  test('configmap: apply creates then updates, and every get output form works', async () => {
    const cm = (value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\n  namespace: default\n  labels:\n    app: web\ndata:\n  mode: ${value}\n  level: info\n`;
    assert.match(await k(['apply', '-f', '-'], cm('fast')), /configmap\/app-config created/);
    assert.match(await k(['apply', '-f', '-'], cm('slow')), /configmap\/app-config configured/);
    assert.match(await k(['apply', '-f', '-'], cm('slow')), /configmap\/app-config unchanged/);
    const obj = JSON.parse(await k(['get', 'configmap', 'app-config', '-o', 'json']));
    assert.equal(obj.data.mode, 'slow');
    assert.ok(obj.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
    assert.match(await k(['get', 'cm', 'app-config', '-o', 'yaml']), /mode: slow/);
    assert.equal(await k(['get', 'cm', 'app-config', '-o', 'jsonpath={.data.level}']), 'info');
    assert.match(await k(['get', 'cm', '-l', 'app=web']), /^NAME\s+DATA\s+AGE\napp-config\s+2\s+/);
    assert.match(await k(['get', 'cm', 'app-config', '-o', 'wide']), /app-config\s+2/);
    assert.match(await k(['get', 'cm', '-o', 'name']), /configmap\/app-config/);
  });

  test('label, annotate and patch (strategic, merge, json) change the object', async () => {
    await k(['label', 'cm', 'app-config', 'tier=backend']);
    await k(['annotate', 'cm', 'app-config', 'owner=team-a']);
    await k(['patch', 'cm', 'app-config', '-p', '{"data":{"extra":"1"}}']);
    await k(['patch', 'cm', 'app-config', '--type=merge', '-p', '{"data":{"level":null}}']);
    await k(['patch', 'cm', 'app-config', '--type=json', '-p', '[{"op":"replace","path":"/data/mode","value":"json"}]']);
    const obj = JSON.parse(await k(['get', 'cm', 'app-config', '-o', 'json']));
    assert.equal(obj.metadata.labels.tier, 'backend');
    assert.equal(obj.metadata.annotations.owner, 'team-a');
    assert.deepEqual(obj.data, { mode: 'json', extra: '1' });
    await k(['label', 'cm', 'app-config', 'tier-']);
    assert.equal(JSON.parse(await k(['get', 'cm', 'app-config', '-o', 'json'])).metadata.labels.tier, undefined);
    const failed = await kubectl(suite.cc.kubeconfig, ['patch', 'cm', 'app-config', '--type=json', '-p', '[{"op":"test","path":"/data/mode","value":"nope"}]']);
    assert.notEqual(failed.code, 0);
  });

  test('secrets: create from literals, read back, describe hides values', async () => {
    await k(['create', 'secret', 'generic', 'db', '--from-literal=user=admin', '--from-literal=password=s3cr3t']);
    const pw = await k(['get', 'secret', 'db', '-o', 'jsonpath={.data.password}']);
    assert.equal(Buffer.from(pw, 'base64').toString(), 's3cr3t');
    assert.match(await k(['get', 'secret', 'db']), /db\s+Opaque\s+2\s+/);
    const described = await k(['describe', 'secret', 'db']);
    assert.match(described, /password:\s+6 bytes/);
    assert.doesNotMatch(described, /s3cr3t/);
  });

  test('describe a configmap, then delete it and see it gone', async () => {
    assert.match(await k(['describe', 'configmap', 'app-config']), /Name:\s+app-config[\s\S]*Namespace:\s+default/);
    assert.match(await k(['delete', 'cm', 'app-config']), /configmap "app-config" deleted/);
    const gone = await kubectl(suite.cc.kubeconfig, ['get', 'cm', 'app-config']);
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /configmaps "app-config" not found/);
  });

  test('a stale update is refused with 409 Conflict', async () => {
    await k(['create', 'configmap', 'cas', '--from-literal=a=1']);
    const obj = JSON.parse(await k(['get', 'cm', 'cas', '-o', 'json']));
    await k(['patch', 'cm', 'cas', '-p', '{"data":{"a":"2"}}']);
    obj.data.a = '3';
    const r = await kubectl(suite.cc.kubeconfig, ['replace', '-f', '-'], { input: JSON.stringify(obj) });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /the object has been modified/);
  });

  test('deleting a namespace deletes what is in it, then the namespace', async () => {
    await k(['create', 'namespace', 'scratch']);
    await k(['-n', 'scratch', 'create', 'configmap', 'one', '--from-literal=a=b']);
    await k(['-n', 'scratch', 'create', 'secret', 'generic', 'two', '--from-literal=a=b']);
    await k(['delete', 'namespace', 'scratch', '--wait=true', '--timeout=60s']);
    const r = await kubectl(suite.cc.kubeconfig, ['get', 'namespace', 'scratch']);
    assert.match(r.stderr, /not found/);
    const left = await k(['get', 'configmaps,secrets', '-n', 'scratch', '-o', 'name']);
    assert.equal(left.trim(), '');
  });
});
