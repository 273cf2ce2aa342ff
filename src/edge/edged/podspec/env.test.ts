import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PodConfigError } from '../pod-contracts.js';
import type { EnvInput, Json, ObjectSource, Pod, PodContainer } from '../pod-contracts.js';
import { resolveEnv } from './env.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

function source(configMaps: Record<string, Json>, secrets: Record<string, Json> = {}): ObjectSource {
  return {
    configMap: async (ns, name) => configMaps[`${ns}/${name}`],
    secret: async (ns, name) => secrets[`${ns}/${name}`],
  };
}

function pod(container: Json, extra: Json = {}): Pod {
  return {
    metadata: { name: 'web', namespace: 'ns1', uid: 'u-1', labels: { app: 'web', tier: 'fe' }, annotations: { note: 'x' } },
    spec: { nodeName: 'edge-1', serviceAccountName: 'sa', containers: [container], ...extra },
  };
}

function input(container: PodContainer, src: ObjectSource, extra: Json = {}): EnvInput {
  return {
    pod: pod(container, extra), container, source: src,
    node: { nodeName: 'edge-1', nodeIP: '10.0.0.5', allocatable: { cpu: 4, memory: 8 * 1024 ** 3, ephemeralStorage: 100e9 } },
    podIP: '172.16.0.9', podIPs: ['172.16.0.9', 'fd00::9'],
  };
}

const cms = {
  'ns1/cfg': { metadata: { name: 'cfg' }, data: { LEVEL: 'debug', 'bad key': 'skip', MODE: 'from-cm' } },
};
const secrets = { 'ns1/creds': { metadata: { name: 'creds' }, data: { PASSWORD: b64('s3cret'), MODE: b64('from-secret') } } };

test('envFrom comes first (prefix, invalid keys skipped), then env with $(VAR) expansion', async () => {
  const c: PodContainer = {
    name: 'app',
    envFrom: [{ configMapRef: { name: 'cfg' } }, { secretRef: { name: 'creds' }, prefix: 'S_' }],
    env: [
      { name: 'GREETING', value: 'level=$(LEVEL) pw=$(S_PASSWORD) $$(LEVEL) $(LATER)' },
      { name: 'MODE', value: 'explicit' },
      { name: 'LATER', value: 'l' },
      { name: 'EMPTY' },
    ],
  };
  const env = await resolveEnv(input(c, source(cms, secrets)));
  assert.deepEqual(env, [
    { key: 'LEVEL', value: 'debug' },
    { key: 'MODE', value: 'explicit' },
    { key: 'S_PASSWORD', value: 's3cret' },
    { key: 'S_MODE', value: 'from-secret' },
    { key: 'GREETING', value: 'level=debug pw=s3cret $(LEVEL) $(LATER)' },
    { key: 'LATER', value: 'l' },
    { key: 'EMPTY', value: '' },
  ]);
});

test('valueFrom configMapKeyRef / secretKeyRef, optional sources skipped', async () => {
  const c: PodContainer = {
    name: 'app',
    envFrom: [{ configMapRef: { name: 'absent', optional: true } }],
    env: [
      { name: 'L', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'LEVEL' } } },
      { name: 'P', valueFrom: { secretKeyRef: { name: 'creds', key: 'PASSWORD' } } },
      { name: 'O1', valueFrom: { configMapKeyRef: { name: 'absent', key: 'k', optional: true } } },
      { name: 'O2', valueFrom: { secretKeyRef: { name: 'creds', key: 'nokey', optional: true } } },
    ],
  };
  assert.deepEqual(await resolveEnv(input(c, source(cms, secrets))), [{ key: 'L', value: 'debug' }, { key: 'P', value: 's3cret' }]);
});

test('missing non-optional objects and keys are CreateContainerConfigError', async () => {
  const cases: [Json, string][] = [
    [{ configMapKeyRef: { name: 'x', key: 'k' } }, 'configmap "x" not found'],
    [{ configMapKeyRef: { name: 'cfg', key: 'k' } }, "couldn't find key k in ConfigMap ns1/cfg"],
    [{ secretKeyRef: { name: 'x', key: 'k' } }, 'secret "x" not found'],
    [{ secretKeyRef: { name: 'creds', key: 'k' } }, "couldn't find key k in Secret ns1/creds"],
    [{ fieldRef: { fieldPath: 'spec.bogus' } }, 'unsupported fieldPath: spec.bogus'],
  ];
  for (const [valueFrom, message] of cases) {
    const c: PodContainer = { name: 'app', env: [{ name: 'V', valueFrom }] };
    await assert.rejects(resolveEnv(input(c, source(cms, secrets))), (err: unknown) => {
      assert.ok(err instanceof PodConfigError);
      assert.equal(err.reason, 'CreateContainerConfigError');
      assert.equal(err.message, message);
      return true;
    });
  }
  const c: PodContainer = { name: 'app', envFrom: [{ secretRef: { name: 'gone' } }] };
  await assert.rejects(resolveEnv(input(c, source(cms, secrets))), { reason: 'CreateContainerConfigError', message: 'secret "gone" not found' });
  const failing: ObjectSource = { configMap: async () => { throw new Error('cloud offline'); }, secret: async () => undefined };
  const d: PodContainer = { name: 'app', envFrom: [{ configMapRef: { name: 'cfg' } }] };
  await assert.rejects(resolveEnv(input(d, failing)), { reason: 'CreateContainerConfigError', message: /cloud offline/ });
  const e: PodContainer = { name: 'app', envFrom: [{ configMapRef: { name: 'cfg', optional: true } }] };
  assert.deepEqual(await resolveEnv(input(e, failing)), []);
});

test('fieldRef values', async () => {
  const paths = ['metadata.name', 'metadata.namespace', 'metadata.uid', "metadata.labels['app']", "metadata.annotations['note']",
    'metadata.labels', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs'];
  const c: PodContainer = { name: 'app', env: paths.map((p, i) => ({ name: `F${i}`, valueFrom: { fieldRef: { fieldPath: p } } })) };
  const env = await resolveEnv(input(c, source({})));
  assert.deepEqual(env.map((e) => e.value), ['web', 'ns1', 'u-1', 'web', 'x', 'app="web"\ntier="fe"', 'edge-1', 'sa', '10.0.0.5', '10.0.0.5', '172.16.0.9', '172.16.0.9,fd00::9']);
});

test('resourceFieldRef: divisor, rounding up, limits default to node allocatable', async () => {
  const c: PodContainer = {
    name: 'app',
    resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '1500m' } },
    env: [
      { name: 'LCPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
      { name: 'LCPU_M', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m' } } },
      { name: 'RCPU', valueFrom: { resourceFieldRef: { resource: 'requests.cpu' } } },
      { name: 'LMEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
      { name: 'RMEM', valueFrom: { resourceFieldRef: { resource: 'requests.memory', divisor: '1Mi' } } },
      { name: 'RMEM_B', valueFrom: { resourceFieldRef: { resource: 'requests.memory' } } },
      { name: 'LEPH', valueFrom: { resourceFieldRef: { resource: 'limits.ephemeral-storage', divisor: '1G' } } },
      { name: 'OTHER', valueFrom: { resourceFieldRef: { containerName: 'side', resource: 'limits.cpu', divisor: '1m' } } },
    ],
  };
  const side = { name: 'side', image: 'x', resources: { limits: { cpu: '100m' } } };
  const inp = input(c, source({}));
  inp.pod.spec['containers'] = [c, side];
  const env = Object.fromEntries((await resolveEnv(inp)).map((e) => [e.key, e.value]));
  assert.deepEqual(env, { LCPU: '2', LCPU_M: '1500', RCPU: '1', LMEM: '8192', RMEM: '64', RMEM_B: String(64 * 1024 * 1024), LEPH: '100', OTHER: '100' });
});
