import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/index.js';
import { builtinResources } from './builtins.js';
import { buildTable } from './table.js';
import type { ResourceDef } from './types.js';

const now = new Date('2024-06-01T12:00:00Z');
const created = new Date(now.getTime() - 3 * 3600_000 - 5 * 60_000).toISOString(); // AGE "3h5m"
const defs = builtinResources();
const def = (group: string, resource: string): ResourceDef => {
  const found = defs.find((d) => d.group === group && d.resource === resource);
  assert.ok(found, `${group}/${resource}`);
  return found;
};
const obj = (name: string, body: Record<string, unknown>, meta: Partial<KubeObject['metadata']> = {}): KubeObject =>
  ({ metadata: { name, creationTimestamp: created, ...meta }, ...body });
const header = (d: ResourceDef): string[] => buildTable(d, [], { now }).columnDefinitions.map((c) => (c.priority ? `(${c.name})` : c.name));
const cells = (d: ResourceDef, o: KubeObject): unknown[] => buildTable(d, [o], { now }).rows[0]?.cells ?? [];

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }, { name: 'side', image: 'busybox' }] } };

describe('built-in tables', () => {
  test('nodes: status, roles, version and wide facts', () => {
    const nodes = def('', 'nodes');
    assert.deepEqual(header(nodes), ['Name', 'Status', 'Roles', 'Age', 'Version', '(Internal-IP)', '(External-IP)', '(OS-Image)', '(Kernel-Version)', '(Container-Runtime)']);
    const ready = obj('edge-1', {
      spec: { unschedulable: true },
      status: { conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: 'True' }], addresses: [{ type: 'InternalIP', address: '192.168.1.5' }],
        nodeInfo: { kubeletVersion: 'v1.29.5-kubeedge-v1.20.0', osImage: 'Debian GNU/Linux 12', kernelVersion: '6.1.0', containerRuntimeVersion: 'containerd://1.6.20' } },
    }, { labels: { 'node-role.kubernetes.io/edge': '', 'node-role.kubernetes.io/agent': '', 'kubernetes.io/hostname': 'edge-1' } });
    assert.deepEqual(cells(nodes, ready), ['edge-1', 'Ready,SchedulingDisabled', 'agent,edge', '3h5m', 'v1.29.5-kubeedge-v1.20.0',
      '192.168.1.5', '<none>', 'Debian GNU/Linux 12', '6.1.0', 'containerd://1.6.20']);
    assert.deepEqual(cells(nodes, obj('n2', { status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } })).slice(1, 3), ['NotReady', '<none>']);
    assert.deepEqual(cells(nodes, obj('n3', {})).slice(1, 5), ['Unknown', '<none>', '3h5m', '']);
    assert.equal(cells(nodes, obj('n4', {}, { labels: { 'kubernetes.io/role': 'master' } }))[2], 'master');
  });

  test('deployments: READY ready/desired', () => {
    const deployments = def('apps', 'deployments');
    assert.deepEqual(header(deployments), ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', '(Containers)', '(Images)', '(Selector)']);
    const d = obj('web', { spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template }, status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 } });
    assert.deepEqual(cells(deployments, d), ['web', '2/3', 3, 2, '3h5m', 'nginx,side', 'nginx:1.25,busybox', 'app=web']);
    assert.deepEqual(cells(deployments, obj('new', { spec: { replicas: 1 } })).slice(1, 4), ['0/1', 0, 0]);
  });

  test('replicasets, daemonsets, statefulsets', () => {
    const rs = def('apps', 'replicasets');
    assert.deepEqual(header(rs), ['Name', 'Desired', 'Current', 'Ready', 'Age', '(Containers)', '(Images)', '(Selector)']);
    const selector = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] };
    assert.deepEqual(cells(rs, obj('web-1', { spec: { replicas: 2, selector, template }, status: { replicas: 2, readyReplicas: 1 } })),
      ['web-1', 2, 2, 1, '3h5m', 'nginx,side', 'nginx:1.25,busybox', 'app=web,tier in (a,b)']);
    const ds = def('apps', 'daemonsets');
    assert.deepEqual(header(ds), ['Name', 'Desired', 'Current', 'Ready', 'Up-to-date', 'Available', 'Node Selector', 'Age', '(Containers)', '(Images)', '(Selector)']);
    const dsObj = obj('agent', { spec: { selector: { matchLabels: { app: 'agent' } }, template: { spec: { nodeSelector: { 'node-role.kubernetes.io/edge': '' }, containers: [{ name: 'a', image: 'agent:1' }] } } },
      status: { desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 1, updatedNumberScheduled: 2, numberAvailable: 1 } });
    assert.deepEqual(cells(ds, dsObj), ['agent', 2, 2, 1, 2, 1, 'node-role.kubernetes.io/edge=', '3h5m', 'a', 'agent:1', 'app=agent']);
    assert.equal(cells(ds, obj('x', { spec: {} }))[6], '<none>');
    const sts = def('apps', 'statefulsets');
    assert.deepEqual(header(sts), ['Name', 'Ready', 'Age', '(Containers)', '(Images)']);
    assert.deepEqual(cells(sts, obj('db', { spec: { replicas: 3, template }, status: { readyReplicas: 3 } })), ['db', '3/3', '3h5m', 'nginx,side', 'nginx:1.25,busybox']);
  });

  test('services', () => {
    const svc = def('', 'services');
    assert.deepEqual(header(svc), ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', '(Selector)']);
    const s = obj('web', { spec: { type: 'NodePort', clusterIP: '10.96.3.4', clusterIPs: ['10.96.3.4'], selector: { app: 'web' },
      ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] } });
    assert.deepEqual(cells(svc, s), ['web', 'NodePort', '10.96.3.4', '<none>', '80:30080/TCP,53/UDP', '3h5m', 'app=web']);
    const lb = obj('lb', { spec: { type: 'LoadBalancer', clusterIP: '10.96.0.9', ports: [] }, status: { loadBalancer: {} } });
    assert.deepEqual(cells(svc, lb).slice(2, 5), ['10.96.0.9', '<pending>', '<none>']);
    const headless = obj('h', { spec: { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'] } });
    assert.deepEqual(cells(svc, headless).slice(1, 7), ['ClusterIP', 'None', '<none>', '<none>', '3h5m', '<none>']);
  });

  test('configmaps, secrets, namespaces, serviceaccounts, endpoints, leases', () => {
    assert.deepEqual(header(def('', 'configmaps')), ['Name', 'Data', 'Age']);
    assert.deepEqual(cells(def('', 'configmaps'), obj('cfg', { data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } })), ['cfg', 3, '3h5m']);
    assert.deepEqual(header(def('', 'secrets')), ['Name', 'Type', 'Data', 'Age']);
    assert.deepEqual(cells(def('', 'secrets'), obj('s', { type: 'Opaque', data: { k: 'dg==' } })), ['s', 'Opaque', 1, '3h5m']);
    assert.deepEqual(cells(def('', 'namespaces'), obj('prod', { status: { phase: 'Active' } })), ['prod', 'Active', '3h5m']);
    assert.deepEqual(cells(def('', 'serviceaccounts'), obj('default', {})), ['default', 0, '3h5m']);
    assert.deepEqual(header(def('', 'endpoints')), ['Name', 'Endpoints', 'Age']);
    const ep = obj('web', { subsets: [{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 80 }, { port: 443 }] }] });
    assert.deepEqual(cells(def('', 'endpoints'), ep), ['web', '10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...', '3h5m']);
    assert.equal(cells(def('', 'endpoints'), obj('none', {}))[1], '<none>');
    assert.deepEqual(header(def('coordination.k8s.io', 'leases')), ['Name', 'Holder', 'Age']);
    assert.deepEqual(cells(def('coordination.k8s.io', 'leases'), obj('edge-1', { spec: { holderIdentity: 'edge-1' } })), ['edge-1', 'edge-1', '3h5m']);
  });

  test('events: LAST SEEN first, NAME only in wide output', () => {
    const events = def('', 'events');
    assert.deepEqual(header(events), ['Last Seen', 'Type', 'Reason', 'Object', '(Subobject)', '(Source)', 'Message', '(First Seen)', '(Count)', '(Name)']);
    const e = obj('web.17a', { type: 'Warning', reason: 'BackOff', message: ' Back-off restarting failed container \n',
      involvedObject: { kind: 'Pod', name: 'web', fieldPath: 'spec.containers{app}' }, source: { component: 'kubelet', host: 'edge-1' },
      firstTimestamp: new Date(now.getTime() - 600_000).toISOString(), lastTimestamp: new Date(now.getTime() - 30_000).toISOString(), count: 4 });
    assert.deepEqual(cells(events, e), ['30s', 'Warning', 'BackOff', 'pod/web', 'spec.containers{app}', 'kubelet, edge-1',
      'Back-off restarting failed container', '10m', 4, 'web.17a']);
    const fresh = obj('x', { type: 'Normal', reason: 'Scheduled', involvedObject: { kind: 'Pod', name: 'p' }, reportingComponent: 'default-scheduler',
      eventTime: new Date(now.getTime() - 5000).toISOString() });
    assert.deepEqual(cells(events, fresh), ['5s', 'Normal', 'Scheduled', 'pod/p', '', 'default-scheduler', '', '5s', 1, 'x']);
    const v1 = def('events.k8s.io', 'events');
    const ev1 = obj('y', { type: 'Normal', reason: 'Pulled', regarding: { kind: 'Pod', name: 'p' }, note: 'done', reportingController: 'kubelet',
      eventTime: new Date(now.getTime() - 5000).toISOString(), series: { count: 3, lastObservedTime: new Date(now.getTime() - 2000).toISOString() } });
    assert.deepEqual(cells(v1, ev1), ['2s', 'Normal', 'Pulled', 'pod/p', '', 'kubelet', 'done', '5s', 3, 'y']);
  });

  test('customresourcedefinitions print NAME and CREATED AT', () => {
    const crds = def('apiextensions.k8s.io', 'customresourcedefinitions');
    const table = buildTable(crds, [obj('devices.devices.kubeedge.io', {}, { creationTimestamp: '2024-05-30T08:00:00.000Z' })], { now });
    assert.deepEqual(table.columnDefinitions.map((c) => [c.name, c.type]), [['Name', 'string'], ['Created At', 'date']]);
    assert.deepEqual(table.rows[0]?.cells, ['devices.devices.kubeedge.io', '2024-05-30T08:00:00Z']);
  });

  test('a def without its own layout gets NAME first and AGE last', () => {
    const plain: ResourceDef = { ...def('', 'configmaps'), columns: [], age: undefined };
    assert.deepEqual(header(plain), ['Name', 'Age']);
  });
});
