// Restarts: cloudcore and edgecore each restart while traffic is pending in both directions, and nothing
// acked or reported is lost.
import { describe, test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { cloudcoreSuite } from '../harness/suite.js';
import { eventually, joinToken, startEdgecore, waitNodeReady, type EdgecoreProcess } from '../harness/edgecore.js';
import { patchPodStatusAtEdge, postEventAtEdge } from '../harness/link.js';

const podYaml = (name: string, node: string, cm: string): string => `apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: default }
spec:
  nodeName: ${node}
  containers:
  - name: app
    image: busybox
    env: [{ name: MODE, valueFrom: { configMapKeyRef: { name: ${cm}, key: mode } } }]
`;

describe('restarts lose nothing', () => {
  const suite = cloudcoreSuite();
  let edge: EdgecoreProcess;
  const node = 'edge-restart';
  const edgeValue = (key: string): Record<string, any> | undefined => {
    const rows = edge.query<{ value: string }>('SELECT value FROM meta WHERE key = ?', key);
    return rows[0] ? JSON.parse(rows[0].value) : undefined;
  };
  const logs = (): string => `--- edge ---\n${edge.logs().slice(-3000)}\n--- cloud ---\n${suite.cc.logs().slice(-3000)}`;

  before(async () => {
    edge = await startEdgecore(suite.cc, { nodeName: node, token: await joinToken(suite.cc) });
    await waitNodeReady(suite.cc, edge);
    await suite.k(['create', 'configmap', 'cm-a', '--from-literal=mode=1']);
    await suite.k(['create', 'configmap', 'cm-b', '--from-literal=mode=1']);
    await suite.k(['apply', '-f', '-'], podYaml('pod-a', node, 'cm-a'));
    await suite.k(['apply', '-f', '-'], podYaml('pod-b', node, 'cm-b'));
    await eventually(() => edgeValue('default/pod/pod-a') && edgeValue('default/pod/pod-b') && edgeValue('default/configmap/cm-b'),
      'pods and configmaps at the edge', { describe: logs });
  });
  after(async () => { await edge?.dispose(); });

  test('cloudcore restart: the edge reconnects, reports made meanwhile arrive, and downstream resumes', async () => {
    await suite.cc.stop();
    // While the cloud is down the edge keeps accepting reports into its outbox.
    await patchPodStatusAtEdge(edge, 'default', 'pod-a', { phase: 'Running', message: 'reported-while-cloud-down' });
    await postEventAtEdge(edge, 'default', 'evt-cloud-down', 'pod-a', 'made while the cloud was down');
    const down = Date.now();
    await suite.cc.restart();
    await eventually(async () => JSON.parse(await suite.k(['get', 'pod', 'pod-a', '-o', 'json'])).status?.message === 'reported-while-cloud-down',
      'the status reported while the cloud was down', { describe: logs });
    await eventually(async () => (await suite.k(['get', 'events', '-o', 'name'])).includes('evt-cloud-down'), 'the event made while the cloud was down', { describe: logs });
    await waitNodeReady(suite.cc, edge);
    process.stdout.write(`# edge back and reports delivered ${Date.now() - down} ms after cloudcore was started again\n`);
    await suite.k(['patch', 'configmap', 'cm-a', '-p', '{"data":{"mode":"2"}}']);
    await eventually(() => edgeValue('default/configmap/cm-a')?.data?.mode === '2', 'a change after the cloud restart', { describe: logs });
  });

  test('edgecore restart: changes and deletes made while it was down arrive; its data survived', async () => {
    await edge.stop();
    await suite.k(['patch', 'configmap', 'cm-a', '-p', '{"data":{"mode":"3"}}']);
    await suite.k(['delete', 'pod', 'pod-b', '--grace-period=0', '--force']);
    await suite.k(['delete', 'configmap', 'cm-b']);
    // Before it reconnects, the edge's database still holds what it had.
    assert.equal(edgeValue('default/configmap/cm-a')?.data?.mode, '2');
    await edge.restart();
    await eventually(() => edgeValue('default/configmap/cm-a')?.data?.mode === '3', 'the change made while edgecore was down', { describe: logs });
    await eventually(() => edgeValue('default/pod/pod-b') === undefined, 'the pod deleted while edgecore was down to vanish at the edge', { describe: logs });
    await waitNodeReady(suite.cc, edge);
    // Upstream still works after the restart.
    await patchPodStatusAtEdge(edge, 'default', 'pod-a', { phase: 'Running', message: 'after-edge-restart' });
    await eventually(async () => JSON.parse(await suite.k(['get', 'pod', 'pod-a', '-o', 'json'])).status?.message === 'after-edge-restart',
      'a status after the edge restart', { describe: logs });
  });

  test('a killed edgecore (SIGKILL) keeps its outbox: a report accepted before the kill reaches the API', async () => {
    // An event, not a pod status: edged now runs pod-a and its own status reports follow this one.
    await suite.cc.stop();
    await postEventAtEdge(edge, 'default', 'before-kill', 'pod-a', 'accepted-before-kill');
    await edge.kill();
    await suite.cc.restart();
    await edge.restart();
    await eventually(async () => JSON.parse(await suite.k(['get', 'event', 'before-kill', '-o', 'json'])).message === 'accepted-before-kill',
      'the report accepted before SIGKILL', { describe: logs });
  });
});
