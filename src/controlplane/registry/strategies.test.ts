import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/index.js';
import { builtinResources } from './builtins.js';
import { validateObject } from './object-meta.js';
import type { ResourceDef } from './types.js';

const defs = builtinResources();
const def = (group: string, resource: string): ResourceDef => defs.find((d) => d.group === group && d.resource === resource) as ResourceDef;
const create = (d: ResourceDef, obj: KubeObject): KubeObject => {
  d.strategy?.prepareForCreate?.(obj);
  return obj;
};
const messages = (d: ResourceDef, obj: KubeObject, old?: KubeObject): string[] =>
  validateObject(d, obj, old).map((c) => `${c.field}: ${c.message}`);

const pods = def('', 'pods');
const deployments = def('apps', 'deployments');
const podObj = (spec: Record<string, unknown>): KubeObject => ({ metadata: { name: 'p', namespace: 'default' }, spec });

describe('pod strategy', () => {
  test('defaults what kubectl users expect and sets Pending status with a QoS class', () => {
    const pod = create(pods, podObj({ containers: [{ name: 'app', image: 'nginx', ports: [{ containerPort: 80 }] }, { name: 'pinned', image: 'registry:5000/x/y:1.2' }] }));
    const spec = pod.spec as Record<string, unknown>;
    assert.equal(spec.restartPolicy, 'Always');
    assert.equal(spec.dnsPolicy, 'ClusterFirst');
    assert.equal(spec.schedulerName, 'default-scheduler');
    assert.equal(spec.terminationGracePeriodSeconds, 30);
    assert.deepEqual(spec.securityContext, {});
    assert.equal(spec.serviceAccountName, 'default');
    assert.equal(spec.enableServiceLinks, true);
    assert.equal(spec.priority, 0);
    assert.deepEqual(spec.tolerations, [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
    const [app, pinned] = spec.containers as Array<Record<string, unknown>>;
    assert.equal(app?.imagePullPolicy, 'Always');
    assert.equal(pinned?.imagePullPolicy, 'IfNotPresent');
    assert.equal(app?.terminationMessagePath, '/dev/termination-log');
    assert.equal(app?.terminationMessagePolicy, 'File');
    assert.deepEqual(app?.ports, [{ containerPort: 80, protocol: 'TCP' }]);
    assert.deepEqual(pod.status, { phase: 'Pending', qosClass: 'BestEffort' });
    assert.deepEqual(messages(pods, pod), []);
  });

  test('computes Guaranteed and Burstable QoS', () => {
    const guaranteed = create(pods, podObj({ containers: [{ name: 'a', image: 'x:1', resources: { limits: { cpu: '500m', memory: '128Mi' } } }] }));
    assert.equal((guaranteed.status as { qosClass: string }).qosClass, 'Guaranteed');
    assert.deepEqual((guaranteed.spec as { containers: Array<{ resources: unknown }> }).containers[0]?.resources,
      { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '500m', memory: '128Mi' } });
    const burstable = create(pods, podObj({ containers: [{ name: 'a', image: 'x:1', resources: { requests: { cpu: '0.5' }, limits: { cpu: '1', memory: '1Gi' } } }] }));
    assert.equal((burstable.status as { qosClass: string }).qosClass, 'Burstable');
  });

  test('validates containers with Kubernetes field paths', () => {
    assert.deepEqual(messages(pods, create(pods, podObj({ containers: [] }))), ['spec.containers: Required value']);
    const bad = create(pods, podObj({ restartPolicy: 'Sometimes', containers: [
      { name: 'app', image: '' }, { name: 'app', image: 'x' }, { name: 'Bad_Name', image: 'x', volumeMounts: [{ name: 'data', mountPath: '/d' }] },
    ] }));
    assert.deepEqual(messages(pods, bad), [
      'spec.containers[0].image: Required value',
      'spec.containers[1].name: Duplicate value: "app"',
      "spec.containers[2].name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      'spec.containers[2].volumeMounts[0].name: Not found: "data"',
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "Never", "OnFailure"',
    ]);
    assert.deepEqual(messages(pods, create(pods, podObj({ containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 70000 }] }] }))),
      ['spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive']);
  });

  test('an update keeps status and may change only images and a few fields', () => {
    const old = create(pods, podObj({ containers: [{ name: 'app', image: 'nginx:1' }] }));
    old.status = { phase: 'Running' };
    const imageChange = structuredClone(old);
    (imageChange.spec as { containers: Array<Record<string, unknown>> }).containers[0]!.image = 'nginx:2';
    imageChange.status = { phase: 'Failed' };
    pods.strategy?.prepareForUpdate?.(imageChange, old);
    assert.deepEqual(imageChange.status, { phase: 'Running' });
    assert.deepEqual(messages(pods, imageChange, old), []);
    const nodeChange = structuredClone(old);
    (nodeChange.spec as Record<string, unknown>).nodeSelector = { zone: 'a' };
    assert.match(messages(pods, nodeChange, old)[0] ?? '', /^spec: Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`/);
  });
});

describe('workload strategies', () => {
  const deployment = (extra: Record<string, unknown> = {}): KubeObject => ({
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } }, ...extra },
    status: { replicas: 7 },
  });

  test('deployment defaults and status reset', () => {
    const d = create(deployments, deployment());
    const spec = d.spec as Record<string, unknown>;
    assert.equal(spec.replicas, 1);
    assert.deepEqual(spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    assert.equal(spec.revisionHistoryLimit, 10);
    assert.equal(spec.progressDeadlineSeconds, 600);
    assert.equal((spec.template as { spec: { restartPolicy: string } }).spec.restartPolicy, 'Always');
    assert.deepEqual(d.status, {});
    assert.deepEqual(messages(deployments, d), []);
  });

  test('selector must exist, be non-empty and match the template labels', () => {
    const mismatch = create(deployments, deployment({ selector: { matchLabels: { app: 'other' } } }));
    assert.deepEqual(messages(deployments, mismatch), ['spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`']);
    const empty = create(deployments, deployment({ selector: {} }));
    assert.deepEqual(messages(deployments, empty), ['spec.selector: Invalid value: {}: empty selector is invalid for deployment']);
    const missing = create(deployments, deployment({ selector: undefined }));
    assert.deepEqual(messages(deployments, missing), ['spec.selector: Required value']);
    const negative = create(deployments, deployment({ replicas: -1, template: { metadata: { labels: { app: 'web' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'i' }] } } }));
    assert.deepEqual(messages(deployments, negative), [
      'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    ]);
  });

  test('an update keeps status and may not change the selector', () => {
    const old = create(deployments, deployment());
    old.status = { replicas: 1, readyReplicas: 1 };
    const next = structuredClone(old);
    next.status = {};
    (next.spec as Record<string, unknown>).selector = { matchLabels: { app: 'web', v: '2' } };
    deployments.strategy?.prepareForUpdate?.(next, old);
    assert.deepEqual(next.status, { replicas: 1, readyReplicas: 1 });
    assert.ok(messages(deployments, next, old).includes('spec.selector: Invalid value: {"matchLabels":{"app":"web","v":"2"}}: field is immutable'));
  });

  test('daemonset and statefulset defaults', () => {
    const ds = create(def('apps', 'daemonsets'), deployment());
    assert.deepEqual((ds.spec as Record<string, unknown>).updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    const sts = create(def('apps', 'statefulsets'), deployment());
    assert.equal((sts.spec as Record<string, unknown>).podManagementPolicy, 'OrderedReady');
    assert.deepEqual((sts.spec as Record<string, unknown>).updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
  });
});

describe('core strategies', () => {
  test('namespaces get the kubernetes finalizer, Active phase and the name label', () => {
    const ns = create(def('', 'namespaces'), { metadata: { name: 'prod' } });
    assert.deepEqual(ns.spec, { finalizers: ['kubernetes'] });
    assert.deepEqual(ns.status, { phase: 'Active' });
    assert.deepEqual(ns.metadata.labels, { 'kubernetes.io/metadata.name': 'prod' });
    const next: KubeObject = { metadata: { name: 'prod' }, spec: {}, status: { phase: 'Terminating' } };
    def('', 'namespaces').strategy?.prepareForUpdate?.(next, ns);
    assert.deepEqual(next.spec, { finalizers: ['kubernetes'] });
    assert.deepEqual(next.status, { phase: 'Active' });
  });

  test('services default type, ports and a stable cluster IP; ports are validated', () => {
    const services = def('', 'services');
    const svc = create(services, { metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    const spec = svc.spec as Record<string, unknown>;
    assert.equal(spec.type, 'ClusterIP');
    assert.equal(spec.sessionAffinity, 'None');
    assert.deepEqual(spec.ports, [{ port: 80, protocol: 'TCP', targetPort: 80 }]);
    assert.match(String(spec.clusterIP), /^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/);
    assert.deepEqual(spec.clusterIPs, [spec.clusterIP]);
    assert.deepEqual(svc.status, { loadBalancer: {} });
    const again = create(services, { metadata: { name: 'web', namespace: 'default' }, spec: { ports: [{ port: 80 }] } });
    assert.equal((again.spec as Record<string, unknown>).clusterIP, spec.clusterIP);
    const kube = create(services, { metadata: { name: 'kubernetes', namespace: 'default' }, spec: { ports: [{ name: 'https', port: 443 }] } });
    assert.equal((kube.spec as Record<string, unknown>).clusterIP, '10.96.0.1');
    const bad = create(services, { metadata: { name: 'x', namespace: 'default' }, spec: { type: 'Weird', ports: [{ port: 0 }, { name: 'b', port: 81, protocol: 'HTTP' }] } });
    assert.deepEqual(messages(services, bad), [
      'spec.type: Unsupported value: "Weird": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
      'spec.ports[0].name: Required value',
      'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
    ]);
    const nodePort = create(services, { metadata: { name: 'np', namespace: 'default' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } });
    const port = (nodePort.spec as { ports: Array<{ nodePort: number }> }).ports[0]?.nodePort ?? 0;
    assert.ok(port >= 30000 && port <= 32767);
  });

  test('configmap keys and secret stringData', () => {
    const configmaps = def('', 'configmaps');
    assert.deepEqual(messages(configmaps, { metadata: { name: 'c', namespace: 'd' }, data: { 'good.key': '1', 'bad key': '2' } }),
      ["data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"]);
    const secret = create(def('', 'secrets'), { metadata: { name: 's', namespace: 'd' }, data: { a: 'YQ==' }, stringData: { b: 'hello' } });
    assert.deepEqual(secret.data, { a: 'YQ==', b: 'aGVsbG8=' });
    assert.equal(secret.stringData, undefined);
    assert.equal(secret.type, 'Opaque');
    const frozen: KubeObject = { metadata: { name: 'c', namespace: 'd' }, immutable: true, data: { a: '1' } };
    assert.deepEqual(messages(configmaps, { ...frozen, data: { a: '2' } }, frozen), ['data: Forbidden: field is immutable when `immutable` is set']);
  });

  test('node and service updates keep status', () => {
    const old: KubeObject = { metadata: { name: 'n' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } };
    const next: KubeObject = { metadata: { name: 'n' }, spec: { unschedulable: true } };
    def('', 'nodes').strategy?.prepareForUpdate?.(next, old);
    assert.deepEqual(next.status, old.status);
  });

  test('field selectors read the documented fields', () => {
    const p: KubeObject = { metadata: { name: 'p' }, spec: { nodeName: 'edge-1' }, status: { phase: 'Running' } };
    const fields = pods.selectableFields ?? {};
    assert.equal(fields['spec.nodeName']?.(p), 'edge-1');
    assert.equal(fields['status.phase']?.(p), 'Running');
    assert.equal(fields['spec.hostNetwork']?.(p), 'false');
    assert.equal(fields['status.podIP']?.(p), '');
    assert.equal(def('apps', 'replicasets').selectableFields?.['status.replicas']?.(p), '0');
    assert.equal(def('', 'events').selectableFields?.['involvedObject.name']?.({ metadata: {}, involvedObject: { name: 'web' } }), 'web');
  });
});
