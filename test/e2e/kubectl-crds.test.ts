// A user-applied CRD is served generically (tables from printer columns, status subresource, patch),
// and our KubeEdge CRDs are installed at start and work with kubectl.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { kubectl } from '../harness/kubectl.js';
import { cloudcoreSuite } from '../harness/suite.js';
import { repoRoot } from '../harness/repo.js';

const crontabCRD = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: crontabs.stable.example.com }
spec:
  group: stable.example.com
  scope: Namespaced
  names: { plural: crontabs, singular: crontab, kind: CronTab, shortNames: [ct] }
  versions:
  - name: v1
    served: true
    storage: true
    subresources: { status: {} }
    additionalPrinterColumns:
    - { name: Spec, type: string, jsonPath: .spec.cronSpec }
    - { name: Replicas, type: integer, jsonPath: .spec.replicas }
    - { name: Age, type: date, jsonPath: .metadata.creationTimestamp }
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              cronSpec: { type: string }
              image: { type: string }
              replicas: { type: integer }
          status:
            type: object
            properties:
              phase: { type: string }
`;

describe('custom resources through kubectl', () => {
  const suite = cloudcoreSuite();
  const k = suite.k;

  test('a user CRD becomes Established and its custom resources are served', async () => {
    assert.match(await k(['apply', '-f', '-'], crontabCRD), /crontabs.stable.example.com created/);
    await k(['wait', '--for=condition=Established', 'crd/crontabs.stable.example.com', '--timeout=30s']);
    await k(['apply', '-f', '-'], 'apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata: { name: nightly }\nspec: { cronSpec: "0 3 * * *", image: backup:1, replicas: 2 }\n');
    const table = await k(['get', 'crontabs']);
    assert.match(table, /^NAME\s+SPEC\s+REPLICAS\s+AGE\n/);
    assert.match(table, /nightly\s+0 3 \* \* \*\s+2\s+\d+s/);
    assert.match(await k(['get', 'ct', 'nightly', '-o', 'yaml']), /cronSpec: 0 3 \* \* \*/);
    await k(['patch', 'crontab', 'nightly', '--type=merge', '-p', '{"spec":{"replicas":4}}']);
    assert.equal(await k(['get', 'ct', 'nightly', '-o', 'jsonpath={.spec.replicas}']), '4');
    await k(['patch', 'crontab', 'nightly', '--subresource=status', '--type=merge', '-p', '{"status":{"phase":"Scheduled"}}']);
    assert.equal(await k(['get', 'ct', 'nightly', '-o', 'jsonpath={.status.phase}']), 'Scheduled');
    // strategic merge patch is not defined for custom resources: kubectl must be told so (415)
    const smp = await kubectl(suite.cc.kubeconfig, ['patch', 'crontab', 'nightly', '--type=strategic', '-p', '{"spec":{"replicas":1}}']);
    assert.notEqual(smp.code, 0);
    await k(['label', 'ct', 'nightly', 'team=ops']);
    assert.equal(await k(['get', 'ct', '-l', 'team=ops', '-o', 'name']), 'crontab.stable.example.com/nightly\n');
  });

  test('server-side apply of a custom resource, and field conflicts', async () => {
    const cr = (replicas: number) => `apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata: { name: ssa }\nspec: { cronSpec: "* * * * *", replicas: ${replicas} }\n`;
    await k(['apply', '--server-side', '--field-manager=alice', '-f', '-'], cr(1));
    const conflict = await kubectl(suite.cc.kubeconfig, ['apply', '--server-side', '--field-manager=bob', '-f', '-'], { input: cr(2) });
    assert.notEqual(conflict.code, 0);
    assert.match(conflict.stderr, /conflict/i);
    await k(['apply', '--server-side', '--field-manager=bob', '--force-conflicts', '-f', '-'], cr(2));
    assert.equal(await k(['get', 'ct', 'ssa', '-o', 'jsonpath={.spec.replicas}']), '2');
  });

  test('deleting the CRD removes its custom resources', async () => {
    await k(['delete', 'crd', 'crontabs.stable.example.com', '--timeout=60s']);
    const r = await kubectl(suite.cc.kubeconfig, ['get', 'crontabs']);
    assert.notEqual(r.code, 0);
    // With a warm discovery cache kubectl tries the list and gets 404, as against kube-apiserver;
    // once it refreshes discovery it says the type is gone. Either way the resources are not served.
    assert.match(r.stderr, /the server doesn't have a resource type "crontabs"|could not find the requested resource/);
    const raw = await kubectl(suite.cc.kubeconfig, ['get', '--raw', '/apis/stable.example.com/v1/namespaces/default/crontabs']);
    assert.notEqual(raw.code, 0);
  });

  test('our KubeEdge CRDs are installed at start and re-apply cleanly into the server', async () => {
    const crds = await k(['get', 'crds', '-o', 'name']);
    for (const name of ['devices.devices.kubeedge.io', 'devicemodels.devices.kubeedge.io', 'devicestatuses.devices.kubeedge.io',
      'objectsyncs.reliablesyncs.kubeedge.io', 'clusterobjectsyncs.reliablesyncs.kubeedge.io', 'rules.rules.kubeedge.io',
      'ruleendpoints.rules.kubeedge.io', 'nodegroups.apps.kubeedge.io', 'edgeapplications.apps.kubeedge.io']) {
      assert.ok(crds.includes(`customresourcedefinition.apiextensions.k8s.io/${name}`), `${name} missing`);
    }
    await k(['apply', '-f', join(repoRoot(), 'deploy/crds')]);
  });

  test('a DeviceModel and a Device are created, listed, described and deleted', async () => {
    await k(['apply', '-f', '-'], `
apiVersion: devices.kubeedge.io/v1beta1
kind: DeviceModel
metadata: { name: thermometer, namespace: default }
spec:
  protocol: virtual
  properties:
  - { name: temperature, type: FLOAT, accessMode: ReadOnly, unit: C }
  - { name: enabled, type: BOOLEAN, accessMode: ReadWrite }
---
apiVersion: devices.kubeedge.io/v1beta1
kind: Device
metadata: { name: thermo-1, namespace: default }
spec:
  deviceModelRef: { name: thermometer }
  nodeName: edge-1
  protocol: { protocolName: virtual }
  properties:
  - name: temperature
    collectCycle: 1000
    reportCycle: 1000
    visitors: { protocolName: virtual, configData: { kind: sine } }
  - name: enabled
    desired: { value: "true" }
    visitors: { protocolName: virtual }
`);
    assert.match(await k(['get', 'devicemodels']), /thermometer/);
    assert.match(await k(['get', 'devices']), /thermo-1/);
    assert.equal(await k(['get', 'device', 'thermo-1', '-o', 'jsonpath={.spec.deviceModelRef.name}']), 'thermometer');
    assert.match(await k(['describe', 'device', 'thermo-1']), /Device Model Ref/);
    await k(['patch', 'device', 'thermo-1', '--type=merge', '-p', '{"spec":{"nodeName":"edge-2"}}']);
    assert.equal(await k(['get', 'device', 'thermo-1', '-o', 'jsonpath={.spec.nodeName}']), 'edge-2');
    await k(['delete', 'device', 'thermo-1']);
    await k(['delete', 'devicemodel', 'thermometer']);
    assert.equal((await k(['get', 'devices,devicemodels', '-o', 'name'])).trim(), '');
  });
});
