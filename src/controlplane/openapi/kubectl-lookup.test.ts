// Replays what kubectl (1.29-1.33) does with our OpenAPI v3 documents: the apply patcher's GVK lookup
// and strategic-merge metadata walk (apimachinery PatchMetaFromOpenAPIV3), the field-validation
// probe (cli-runtime queryParamVerifierV3) and the explain path search. Our code, written from the
// behaviour those functions document.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openApiV3Document } from './openapi-v3.js';
import { allFixtureDefs } from './resource-fixtures.js';

type Node = Record<string, unknown>;
type GVK = { group: string; version: string; kind: string };
const isNode = (v: unknown): v is Node => v !== null && typeof v === 'object' && !Array.isArray(v);
const sameGvk = (a: unknown, b: GVK): boolean => isNode(a) && a['group'] === b.group && a['version'] === b.version && a['kind'] === b.kind;

/** Every PATCH operation tagged with the GVK (kubectl takes the first; all must agree). */
function patchOps(doc: Node, gvk: GVK): Node[] {
  const ops = Object.values(doc['paths'] as Node).map((item) => (isNode(item) ? item['patch'] : undefined));
  return ops.filter((op): op is Node => isNode(op) && sameGvk(op['x-kubernetes-group-version-kind'], gvk));
}

function kindSchema(doc: Node, gvk: GVK): Node | undefined {
  const schemas = (doc['components'] as Node)['schemas'] as Node;
  const tagged = (s: unknown): s is Node => isNode(s) && Array.isArray(s['x-kubernetes-group-version-kind']);
  return Object.values(schemas).find((s): s is Node => tagged(s) && (s['x-kubernetes-group-version-kind'] as unknown[]).some((g) => sameGvk(g, gvk)));
}

/** traverse + resolve of PatchMetaFromOpenAPIV3: throws where kubectl would print "unable to find api field". */
function lookup(doc: Node, schema: Node, key: string, slice: boolean): { schema: Node; mergeKey?: unknown; strategy?: unknown } {
  const props = schema['properties'];
  if (!isNode(props) || !isNode(props[key])) throw new Error(`unable to find api field "${key}"`);
  let sub = props[key] as Node;
  const meta = { mergeKey: sub['x-kubernetes-patch-merge-key'], strategy: sub['x-kubernetes-patch-strategy'] };
  if (slice && isNode(sub['items'])) sub = sub['items'];
  if (Array.isArray(sub['allOf']) && isNode(sub['allOf'][0])) sub = sub['allOf'][0];
  if (typeof sub['$ref'] === 'string') {
    const target = ((doc['components'] as Node)['schemas'] as Node)[sub['$ref'].replace('#/components/schemas/', '')];
    if (!isNode(target)) throw new Error(`unable to resolve ${sub['$ref']}`);
    sub = target;
  }
  return { schema: sub, ...meta };
}

/** Walks every map and list of a manifest the way a three-way diff would if all of them changed. */
function walk(doc: Node, schema: Node, value: Node, at: string, found: Map<string, unknown>): void {
  for (const [key, child] of Object.entries(value)) {
    if (Array.isArray(child)) {
      const r = lookup(doc, schema, key, true);
      if (r.mergeKey !== undefined) found.set(`${at}${key}`, r.mergeKey);
      if (r.mergeKey === undefined && r.strategy === undefined) continue; // atomic: replaced, never descended
      for (const item of child) if (isNode(item)) walk(doc, r.schema, item, `${at}${key}[].`, found);
    } else if (isNode(child)) {
      const r = lookup(doc, schema, key, false);
      if (!isNode(r.schema['additionalProperties'])) walk(doc, r.schema, child, `${at}${key}.`, found);
    }
  }
}

const podSpec = {
  nodeSelector: { 'node-role.kubernetes.io/edge': '' },
  affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'a', operator: 'In', values: ['b'] }] }] } } },
  tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }],
  imagePullSecrets: [{ name: 'reg' }],
  securityContext: { runAsUser: 1000, sysctls: [{ name: 'net.core.somaxconn', value: '1024' }] },
  initContainers: [{ name: 'init', image: 'busybox', command: ['sh', '-c', 'true'] }],
  containers: [{
    name: 'app', image: 'nginx', args: ['-g', 'daemon off;'],
    ports: [{ containerPort: 80, protocol: 'TCP' }],
    env: [{ name: 'A', value: '1' }, { name: 'B', valueFrom: { configMapKeyRef: { name: 'cm', key: 'b' } } }],
    envFrom: [{ secretRef: { name: 's' } }],
    resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m' } },
    volumeMounts: [{ name: 'cfg', mountPath: '/etc/cfg' }],
    livenessProbe: { httpGet: { path: '/', port: 80, httpHeaders: [{ name: 'X', value: 'y' }] } },
    readinessProbe: { exec: { command: ['cat', '/tmp/ready'] } },
    lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
    securityContext: { capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] } },
  }],
  volumes: [
    { name: 'cfg', configMap: { name: 'cm', items: [{ key: 'a', path: 'a' }] } },
    { name: 'tmp', emptyDir: {} },
    { name: 'host', hostPath: { path: '/var/lib', type: 'Directory' } },
    { name: 'proj', projected: { sources: [{ secret: { name: 's', items: [{ key: 'k', path: 'p' }] } }, { downwardAPI: { items: [{ path: 'l', fieldRef: { fieldPath: 'metadata.labels' } }] } }] } },
  ],
};
const meta = { name: 'x', namespace: 'default', labels: { app: 'x' }, annotations: { a: 'b' }, finalizers: ['f'] };
const template = { metadata: { labels: { app: 'x' } }, spec: podSpec };
const manifests: [GVK, Node][] = [
  [{ group: '', version: 'v1', kind: 'Pod' }, { metadata: meta, spec: podSpec }],
  [{ group: 'apps', version: 'v1', kind: 'Deployment' }, {
    metadata: meta,
    spec: { replicas: 2, selector: { matchLabels: { app: 'x' } }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } }, template },
  }],
  [{ group: '', version: 'v1', kind: 'Node' }, { metadata: meta, spec: { taints: [{ key: 'k', effect: 'NoSchedule' }], podCIDRs: ['10.0.0.0/24'] } }],
  [{ group: '', version: 'v1', kind: 'ConfigMap' }, { metadata: meta, data: { a: 'b' } }],
  [{ group: '', version: 'v1', kind: 'Service' }, {
    metadata: meta,
    spec: { selector: { app: 'x' }, ports: [{ port: 80, targetPort: 8080 }], sessionAffinityConfig: { clientIP: { timeoutSeconds: 10 } } },
  }],
  [{ group: 'apps', version: 'v1', kind: 'DaemonSet' }, {
    metadata: meta, spec: { selector: { matchLabels: { app: 'x' } }, updateStrategy: { rollingUpdate: { maxUnavailable: 1 } }, template },
  }],
  [{ group: 'apps', version: 'v1', kind: 'StatefulSet' }, {
    metadata: meta,
    spec: {
      serviceName: 'x', selector: { matchLabels: { app: 'x' } }, template,
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    },
  }],
];

describe('kubectl against our OpenAPI v3', () => {
  for (const [gvk, manifest] of manifests) {
    const doc = openApiV3Document(gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version, allFixtureDefs) as Node;
    test(`apply: ${gvk.kind} supports strategic merge and server-side field validation`, () => {
      const ops = patchOps(doc, gvk);
      assert.ok(ops.length > 0);
      for (const op of ops) {
        assert.ok(isNode(((op['requestBody'] as Node)['content'] as Node)['application/strategic-merge-patch+json']));
        assert.ok((op['parameters'] as Node[]).some((p) => p['name'] === 'fieldValidation' && p['in'] === 'query'));
      }
    });
    test(`apply: every map and list of a typical ${gvk.kind} resolves`, () => {
      const schema = kindSchema(doc, gvk);
      assert.ok(schema);
      const found = new Map<string, unknown>();
      walk(doc, schema, manifest, '', found);
      if (gvk.kind === 'Deployment') {
        assert.equal(found.get('spec.template.spec.containers'), 'name');
        assert.equal(found.get('spec.template.spec.containers[].env'), 'name');
        assert.equal(found.get('spec.template.spec.containers[].volumeMounts'), 'mountPath');
        assert.equal(found.get('spec.template.spec.containers[].ports'), 'containerPort');
        assert.equal(found.get('spec.template.spec.volumes'), 'name');
      }
    });
  }

  test('apply: custom resources offer merge patches only, with field validation', () => {
    const doc = openApiV3Document('devices.kubeedge.io/v1beta1', allFixtureDefs) as Node;
    const ops = patchOps(doc, { group: 'devices.kubeedge.io', version: 'v1beta1', kind: 'Device' });
    assert.ok(ops.length > 0);
    for (const op of ops) {
      const content = (op['requestBody'] as Node)['content'] as Node;
      assert.equal(content['application/strategic-merge-patch+json'], undefined);
      assert.ok(content['application/merge-patch+json'] && content['application/apply-patch+yaml'] && content['application/json-patch+json']);
      assert.ok((op['parameters'] as Node[]).some((p) => p['name'] === 'fieldValidation'));
    }
  });

  test('explain: the collection path names the GVK and a schema carries it', () => {
    const cases: [string, string, GVK][] = [
      ['v1', '/api/v1/namespaces/{namespace}/pods', { group: '', version: 'v1', kind: 'Pod' }],
      ['v1', '/api/v1/nodes', { group: '', version: 'v1', kind: 'Node' }],
      ['apps.kubeedge.io/v1alpha1', '/apis/apps.kubeedge.io/v1alpha1/nodegroups', { group: 'apps.kubeedge.io', version: 'v1alpha1', kind: 'NodeGroup' }],
    ];
    for (const [gv, path, gvk] of cases) {
      const doc = openApiV3Document(gv, allFixtureDefs) as Node;
      const list = ((doc['paths'] as Node)[path] as Node | undefined)?.['get'] as Node | undefined;
      assert.ok(sameGvk(list?.['x-kubernetes-group-version-kind'], gvk), path);
      const schema = kindSchema(doc, gvk);
      assert.deepEqual(Object.keys(schema?.['properties'] as Node).slice(0, 3).sort(), ['apiVersion', 'kind', 'metadata']);
    }
  });
});
