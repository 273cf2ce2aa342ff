import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/index.js';
import { builtinResources } from './builtins.js';
import { buildTable } from './table.js';
import type { ResourceDef } from './types.js';

const now = new Date('2024-06-01T12:00:00Z');
const ago = (ms: number): string => new Date(now.getTime() - ms).toISOString();
const podsDef = builtinResources().find((d) => d.resource === 'pods') as ResourceDef;

function pod(spec: Record<string, unknown>, status: Record<string, unknown>, meta: Partial<KubeObject['metadata']> = {}): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', creationTimestamp: ago(10 * 60_000), ...meta },
    spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec },
    status,
  };
}

const running = { running: { startedAt: ago(60_000) } };

/** Cells NAME READY STATUS RESTARTS AGE of a single-pod table. */
function row(p: KubeObject): unknown[] {
  return buildTable(podsDef, [p], { now }).rows[0]?.cells.slice(0, 5) ?? [];
}

describe('pod table', () => {
  test('columns are those kubectl shows, wide ones with priority 1', () => {
    const table = buildTable(podsDef, [], { now });
    assert.deepEqual(table.columnDefinitions.map((c) => [c.name, c.type, c.format, c.priority]), [
      ['Name', 'string', 'name', 0], ['Ready', 'string', '', 0], ['Status', 'string', '', 0], ['Restarts', 'string', '', 0],
      ['Age', 'string', '', 0], ['IP', 'string', '', 1], ['Node', 'string', '', 1], ['Nominated Node', 'string', '', 1],
      ['Readiness Gates', 'string', '', 1],
    ]);
  });

  test('Running', () => {
    const p = pod({}, { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: running }] });
    assert.deepEqual(row(p), ['p', '1/1', 'Running', '0', '10m']);
  });

  test('Pending (not yet scheduled)', () => {
    assert.deepEqual(row(pod({}, { phase: 'Pending' })), ['p', '0/1', 'Pending', '0', '10m']);
  });

  test('ContainerCreating', () => {
    const p = pod({ nodeName: 'edge-1' }, { phase: 'Pending', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] });
    assert.deepEqual(row(p), ['p', '0/1', 'ContainerCreating', '0', '10m']);
  });

  test('CrashLoopBackOff with restarts "(5m ago)"', () => {
    const p = pod({}, { phase: 'Running', containerStatuses: [{ name: 'app', ready: false, restartCount: 5,
      state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(5 * 60_000) } } }] });
    assert.deepEqual(row(p), ['p', '0/1', 'CrashLoopBackOff', '5 (5m ago)', '10m']);
  });

  test('Completed', () => {
    const p = pod({ restartPolicy: 'Never' }, { phase: 'Succeeded', containerStatuses: [{ name: 'app', ready: false, restartCount: 0,
      state: { terminated: { exitCode: 0, reason: 'Completed' } } }] });
    assert.deepEqual(row(p), ['p', '0/1', 'Completed', '0', '10m']);
  });

  test('Error exit without a reason prints the exit code', () => {
    const p = pod({}, { phase: 'Failed', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { terminated: { exitCode: 3 } } }] });
    assert.equal(row(p)[2], 'ExitCode:3');
  });

  test('Init:0/1 while the init container runs, Init:<reason> when it fails', () => {
    const spec = { initContainers: [{ name: 'init', image: 'busybox' }] };
    const waiting = pod(spec, { phase: 'Pending', initContainerStatuses: [{ name: 'init', ready: false, restartCount: 0, state: running }],
      containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }] });
    assert.deepEqual(row(waiting), ['p', '0/1', 'Init:0/1', '0', '10m']);
    const crashing = pod(spec, { phase: 'Pending', initContainerStatuses: [{ name: 'init', ready: false, restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } }] });
    assert.deepEqual(row(crashing).slice(2, 4), ['Init:CrashLoopBackOff', '2']);
    const failed = pod(spec, { phase: 'Failed', initContainerStatuses: [{ name: 'init', ready: false, restartCount: 0, state: { terminated: { exitCode: 2 } } }] });
    assert.equal(row(failed)[2], 'Init:ExitCode:2');
  });

  test('a running sidecar counts as a container', () => {
    const spec = { initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always' }] };
    const p = pod(spec, { phase: 'Running', conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }],
      initContainerStatuses: [{ name: 'proxy', ready: true, started: true, restartCount: 1, state: running }],
      containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: running }] });
    assert.deepEqual(row(p).slice(1, 4), ['2/2', 'Running', '1']);
  });

  test('Terminating, and Unknown on a lost node', () => {
    const status = { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: running }] };
    assert.equal(row(pod({}, status, { deletionTimestamp: ago(1000) }))[2], 'Terminating');
    assert.equal(row(pod({}, { ...status, reason: 'NodeLost' }, { deletionTimestamp: ago(1000) }))[2], 'Unknown');
    assert.equal(row(pod({}, { phase: 'Succeeded' }, { deletionTimestamp: ago(1000) }))[2], 'Succeeded');
  });

  test('wide cells: IP, node, nominated node, readiness gates', () => {
    const p = pod({ nodeName: 'edge-1', readinessGates: [{ conditionType: 'example.com/ready' }] },
      { phase: 'Running', podIP: '10.0.0.5', podIPs: [{ ip: '10.0.0.5' }], conditions: [{ type: 'example.com/ready', status: 'True' }] });
    assert.deepEqual(buildTable(podsDef, [p], { now }).rows[0]?.cells.slice(5), ['10.0.0.5', 'edge-1', '<none>', '1/1']);
    assert.deepEqual(buildTable(podsDef, [pod({}, { phase: 'Pending' })], { now }).rows[0]?.cells.slice(5), ['<none>', '<none>', '<none>', '<none>']);
  });

  test('rows carry PartialObjectMetadata by default, the object or nothing on request', () => {
    const p = pod({}, { phase: 'Pending' });
    const table = buildTable(podsDef, [p], { now, resourceVersion: '42', continue: 'tok' });
    assert.equal(table.kind, 'Table');
    assert.equal(table.apiVersion, 'meta.k8s.io/v1');
    assert.deepEqual(table.metadata, { resourceVersion: '42', continue: 'tok' });
    assert.deepEqual(table.rows[0]?.object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: p.metadata });
    assert.equal(buildTable(podsDef, [p], { now, includeObject: 'Object' }).rows[0]?.object, p);
    assert.equal('object' in (buildTable(podsDef, [p], { now, includeObject: 'None' }).rows[0] ?? {}), false);
  });

  test('a malformed object yields null cells instead of failing the list', () => {
    const broken = { metadata: { name: 'odd' }, spec: 'nonsense', status: 7 } as unknown as KubeObject;
    const cells = buildTable(podsDef, [broken], { now }).rows[0]?.cells;
    assert.deepEqual(cells?.slice(0, 5), ['odd', '0/0', '', '0', '<unknown>']);
  });
});
