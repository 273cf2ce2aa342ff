import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/index.js';
import { servedResources, type ResourceInfo } from './resources.js';
import { toTable } from './tables.js';

const resources = servedResources();
const res = (plural: string): ResourceInfo => resources.find((r) => r.plural === plural) as ResourceInfo;
const now = new Date('2025-01-01T12:00:00Z');
const ago = (s: number): string => new Date(now.getTime() - s * 1000).toISOString();
const table = (plural: string, objs: KubeObject[], includeObject?: 'Object') =>
  toTable(res(plural), objs, { version: 'v1', now, resourceVersion: '9', ...(includeObject ? { includeObject } : {}) }) as {
    apiVersion: string; kind: string; metadata: { resourceVersion?: string };
    columnDefinitions: { name: string; priority: number }[]; rows: { cells: unknown[]; object: { kind: string; metadata: { name: string } } }[];
  };
const columns = (plural: string, priority = 0): string[] =>
  table(plural, []).columnDefinitions.filter((c) => c.priority === priority).map((c) => c.name);

const pod = (name: string, status: Record<string, unknown>, extra: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name, namespace: 'default', creationTimestamp: ago(5), ...meta },
  spec: { nodeName: 'edge-1', containers: [{ name: 'a' }, { name: 'b' }], ...extra },
  status,
});

describe('Table answers', () => {
  test('columns like kube-apiserver printers, wide ones at priority 1', () => {
    assert.deepEqual(columns('pods'), ['Name', 'Ready', 'Status', 'Restarts', 'Age']);
    assert.deepEqual(columns('pods', 1), ['IP', 'Node', 'Nominated Node', 'Readiness Gates']);
    assert.deepEqual(columns('nodes'), ['Name', 'Status', 'Roles', 'Age', 'Version']);
    assert.deepEqual(columns('nodes', 1), ['Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime']);
    assert.deepEqual(columns('configmaps'), ['Name', 'Data', 'Age']);
    assert.deepEqual(columns('secrets'), ['Name', 'Type', 'Data', 'Age']);
    assert.deepEqual(columns('services'), ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age']);
    assert.deepEqual(columns('endpoints'), ['Name', 'Endpoints', 'Age']);
    assert.deepEqual(columns('devices'), ['Name', 'Age']);
  });

  test('a meta.k8s.io/v1 Table with PartialObjectMetadata rows, or the object with includeObject=Object', () => {
    const t = table('configmaps', [{ metadata: { name: 'c', creationTimestamp: ago(3 * 60 + 2) }, data: { a: '1', b: '2' } }]);
    assert.equal(t.apiVersion, 'meta.k8s.io/v1');
    assert.equal(t.kind, 'Table');
    assert.equal(t.metadata.resourceVersion, '9');
    assert.deepEqual(t.rows[0]?.cells, ['c', 2, '3m2s']);
    assert.equal(t.rows[0]?.object.kind, 'PartialObjectMetadata');
    const full = table('configmaps', [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }], 'Object');
    assert.equal(full.rows[0]?.object.kind, 'ConfigMap');
  });

  test('pod STATUS as kubectl computes it', () => {
    const cells = (p: KubeObject) => table('pods', [p]).rows[0]?.cells.slice(1, 4);
    const running = { state: { running: {} }, ready: true, restartCount: 0 };
    assert.deepEqual(cells(pod('p', { phase: 'Running', containerStatuses: [{ name: 'a', ...running }, { name: 'b', ...running }] })), ['2/2', 'Running', '0']);
    assert.deepEqual(cells(pod('p', { phase: 'Pending', containerStatuses: [{ name: 'a', ...running }, { name: 'b', ready: false, restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } }] })),
      ['1/2', 'CrashLoopBackOff', '2']);
    assert.deepEqual(cells(pod('p', { phase: 'Pending', containerStatuses: [{ name: 'a', ready: false, state: { waiting: { reason: 'ImagePullBackOff' } } }] })), ['0/2', 'ImagePullBackOff', '0']);
    assert.deepEqual(cells(pod('p', { phase: 'Failed', reason: 'Evicted' })), ['0/2', 'Evicted', '0']);
    assert.deepEqual(cells(pod('p', { phase: 'Running', containerStatuses: [{ name: 'a', ready: false, state: { terminated: { exitCode: 1 } } }] })), ['0/2', 'ExitCode:1', '0']);
    assert.deepEqual(cells(pod('p', { phase: 'Running' }, {}, { deletionTimestamp: ago(1) })), ['0/2', 'Terminating', '0']);
    const init = pod('p', { phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 0 } } }, { name: 'i2', state: { running: {} } }] },
      { initContainers: [{ name: 'i1' }, { name: 'i2' }, { name: 'i3' }] });
    assert.deepEqual(cells(init), ['0/2', 'Init:1/3', '0']);
  });

  test('wide pod cells and ages in kubectl form', () => {
    const row = table('pods', [pod('p', { phase: 'Running', podIP: '10.1.0.4' })]).rows[0]?.cells;
    assert.deepEqual(row?.slice(5), ['10.1.0.4', 'edge-1', '<none>', '<none>']);
    const age = (s: number) => table('devices', [{ metadata: { name: 'd', creationTimestamp: ago(s) } }]).rows[0]?.cells[1];
    assert.equal(age(5), '5s');
    assert.equal(age(3 * 60 + 2), '3m2s');
    assert.equal(age(4 * 3600), '4h');
    assert.equal(age(2 * 86400), '2d');
  });

  test('node, secret, service and endpoints cells', () => {
    const node = { metadata: { name: 'edge-1', labels: { 'node-role.kubernetes.io/edge': '' }, creationTimestamp: ago(60) },
      status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: 'v1.31.0-kubeedge', containerRuntimeVersion: 'containerd://1.6.20' }, addresses: [{ type: 'InternalIP', address: '10.0.0.5' }] } };
    assert.deepEqual(table('nodes', [node]).rows[0]?.cells.slice(0, 6), ['edge-1', 'Ready', 'edge', '60s', 'v1.31.0-kubeedge', '10.0.0.5']);
    assert.deepEqual(table('secrets', [{ metadata: { name: 's' }, type: 'Opaque', data: { a: 'MQ==' } }]).rows[0]?.cells.slice(0, 3), ['s', 'Opaque', 1]);
    const svc = { metadata: { name: 'svc' }, spec: { type: 'ClusterIP', clusterIP: '10.96.0.10', ports: [{ port: 80, protocol: 'TCP' }] } };
    assert.deepEqual(table('services', [svc]).rows[0]?.cells.slice(0, 5), ['svc', 'ClusterIP', '10.96.0.10', '<none>', '80/TCP']);
    const ep = { metadata: { name: 'svc' }, subsets: [{ addresses: [{ ip: '10.0.0.7' }], ports: [{ port: 80 }] }] };
    assert.deepEqual(table('endpoints', [ep]).rows[0]?.cells.slice(0, 2), ['svc', '10.0.0.7:80']);
  });
});
