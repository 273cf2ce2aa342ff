import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/index.js';
import { newMessage, type Message } from '../../core/index.js';
import { FakeKubeClient } from '../../testing/fake-kube-client.js';
import { KubeError, Resources } from '../kube/index.js';
import { configMap, edgeNode, pod, settle, startController, usesConfigMap, type Harness } from '../../testing/edgecontroller-harness.js';
import { EDGE_NODE_LABEL } from './types.js';

let h: Harness | undefined;
afterEach(() => { h?.stop(); h = undefined; });

function up(operation: string, resource: string, content: unknown): Message {
  return newMessage({ source: 'edged', group: 'resource', operation, resource, content });
}

async function rejection(p: Promise<void>): Promise<{ reason: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return err as { reason: string; message: string };
  }
  assert.fail('expected a rejection');
}

async function cluster(): Promise<FakeKubeClient> {
  const kube = new FakeKubeClient();
  await kube.create(Resources.nodes, edgeNode('edge-1'));
  await kube.create(Resources.nodes, edgeNode('edge-2'));
  await kube.create(Resources.configmaps, configMap('cfg', { a: '1' }));
  await kube.create(Resources.pods, pod('web', 'edge-1', usesConfigMap('cfg')));
  await kube.create(Resources.pods, pod('other', 'edge-2'));
  return kube;
}

const responsesTo = (hh: Harness, req: Message): Message[] =>
  hh.hub.sent.filter((s) => s.msg.header.parent_msg_id === req.header.msg_id).map((s) => s.msg);

describe('upstream: node', () => {
  test('registration creates the Node with the edge label, capacity and addresses, and answers ObjectResp', async () => {
    const kube = new FakeKubeClient();
    h = await startController(kube);
    const node = {
      apiVersion: 'v1', kind: 'Node',
      metadata: { name: 'edge-9', labels: { 'kubernetes.io/hostname': 'edge-9' } },
      status: { capacity: { cpu: '2', memory: '4Gi' }, addresses: [{ type: 'InternalIP', address: '10.0.0.9' }], nodeInfo: { kubeletVersion: 'v1.29.0-kubeedge' } },
    };
    const req = up('insert', 'default/node/edge-9', node);
    await h.ec.onUpstream('edge-9', req);
    const saved = await kube.get(Resources.nodes, null, 'edge-9');
    assert.equal(saved?.metadata.labels?.[EDGE_NODE_LABEL], '');
    assert.equal(saved?.metadata.labels?.['kubernetes.io/hostname'], 'edge-9');
    assert.deepEqual((saved?.['status'] as { capacity: unknown }).capacity, { cpu: '2', memory: '4Gi' });
    const [resp] = responsesTo(h, req);
    assert.equal(resp?.route.operation, 'response');
    assert.equal(resp?.route.source, 'edgecontroller');
    const content = resp?.content as { Object: KubeObject; Err: unknown };
    assert.equal(content.Object.metadata.name, 'edge-9');
    assert.equal(content.Err, null);
    assert.equal(h.hub.sent.find((s) => s.msg === resp)?.opts.reliable, false);
  });

  test('re-registration keeps the Node and merges labels; another node\'s name is forbidden', async () => {
    const kube = await cluster();
    h = await startController(kube);
    await h.ec.onUpstream('edge-1', up('insert', 'default/node/edge-1', { metadata: { name: 'edge-1', labels: { zone: 'b' } } }));
    const saved = await kube.get(Resources.nodes, null, 'edge-1');
    assert.equal(saved?.metadata.labels?.['zone'], 'b');
    assert.equal(saved?.metadata.labels?.[EDGE_NODE_LABEL], '');
    const err = await rejection(h.ec.onUpstream('edge-1', up('insert', 'default/node/edge-2', { metadata: { name: 'edge-2' } })));
    assert.equal(err.reason, 'forbidden');
    assert.equal(h.ec.metrics().denied_total, 1);
    assert.equal(h.log.find('denied').length, 1);
  });

  test('nodestatus patches the status subresource and answers OK; nodepatch strings work and keep the edge label', async () => {
    const kube = await cluster();
    h = await startController(kube);
    const req = up('update', 'null/nodestatus/edge-1', { UID: 'x', Status: { conditions: [{ type: 'Ready', status: 'True' }], daemonEndpoints: { kubeletEndpoint: { Port: 0 } } } });
    await h.ec.onUpstream('edge-1', req);
    const saved = await kube.get(Resources.nodes, null, 'edge-1');
    assert.deepEqual((saved?.['status'] as { conditions: unknown }).conditions, [{ type: 'Ready', status: 'True' }]);
    assert.equal(responsesTo(h, req)[0]?.content, 'OK');
    assert.equal(responsesTo(h, req)[0]?.route.resource, 'null/node/edge-1');
    const patch = up('patch', 'default/nodepatch/edge-1', JSON.stringify({ metadata: { labels: { [EDGE_NODE_LABEL]: null } }, status: { allocatable: { cpu: '1' } } }));
    await h.ec.onUpstream('edge-1', patch);
    const after = await kube.get(Resources.nodes, null, 'edge-1');
    assert.deepEqual((after?.['status'] as { allocatable: unknown }).allocatable, { cpu: '1' });
    assert.equal(after?.metadata.labels?.[EDGE_NODE_LABEL], '');
    assert.equal((responsesTo(h, patch)[0]?.content as { Err: unknown }).Err, null);
  });
});

describe('upstream: pods', () => {
  test('podstatus from the pod\'s node patches the status and answers OK', async () => {
    const kube = await cluster();
    h = await startController(kube);
    const web = await kube.get(Resources.pods, 'default', 'web');
    const req = up('update', 'default/podstatus/web', { UID: web?.metadata.uid, Name: 'web', Status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } });
    await h.ec.onUpstream('edge-1', req);
    const saved = await kube.get(Resources.pods, 'default', 'web');
    assert.equal((saved?.['status'] as { phase: string }).phase, 'Running');
    assert.equal(kube.calls.filter((c) => c.method === 'patch' && c.subresource === 'status').length, 1);
    assert.equal(responsesTo(h, req)[0]?.content, 'OK');
  });

  test('podstatus for another node\'s pod is forbidden and writes nothing', async () => {
    const kube = await cluster();
    h = await startController(kube);
    const err = await rejection(h.ec.onUpstream('edge-1', up('update', 'default/podstatus/other', { Name: 'other', Status: { phase: 'Failed' } })));
    assert.equal(err.reason, 'forbidden');
    assert.equal(kube.calls.filter((c) => c.method === 'patch').length, 0);
    assert.equal(h.ec.metrics().denied_total, 1);
    const list = await rejection(h.ec.onUpstream('edge-1', up('update', 'default/podstatus', [{ Name: 'web', Status: {} }, { Name: 'other', Status: {} }])));
    assert.equal(list.reason, 'forbidden');
  });

  test('status for a pod gone from the API tells the edge to delete it', async () => {
    const kube = await cluster();
    h = await startController(kube);
    h.hub.clear();
    await h.ec.onUpstream('edge-1', up('update', 'default/podstatus/ghost', { UID: 'u-ghost', Name: 'ghost', Status: { phase: 'Running' } }));
    const del = h.hub.to('edge-1', 'default/pod/ghost');
    assert.equal(del.length, 1);
    assert.equal(del[0]!.msg.route.operation, 'delete');
  });

  test('a terminating pod whose containers ended is deleted; pod delete from the edge removes it', async () => {
    const kube = await cluster();
    h = await startController(kube);
    await kube.patch(Resources.pods, 'default', 'web', { metadata: { deletionTimestamp: '2026-01-01T00:00:00Z' } }, 'merge');
    await settle();
    await h.ec.onUpstream('edge-1', up('update', 'default/podstatus/web', {
      Name: 'web', Status: { phase: 'Succeeded', containerStatuses: [{ state: { terminated: { exitCode: 0 } } }] },
    }));
    assert.equal(await kube.get(Resources.pods, 'default', 'web'), undefined);
    await kube.create(Resources.pods, pod('web2', 'edge-1'));
    await settle();
    const uid = (await kube.get(Resources.pods, 'default', 'web2'))?.metadata.uid;
    await h.ec.onUpstream('edge-1', up('delete', 'default/pod/web2', uid));
    assert.equal(await kube.get(Resources.pods, 'default', 'web2'), undefined);
    const err = await rejection(h.ec.onUpstream('edge-1', up('delete', 'default/pod/other', 'x')));
    assert.equal(err.reason, 'forbidden');
  });

  test('a transient API failure rejects so the edge retries', async () => {
    const kube = await cluster();
    h = await startController(kube);
    kube.failNext('patch', new KubeError(503, 'ServiceUnavailable', 'etcd is away'));
    await assert.rejects(h.ec.onUpstream('edge-1', up('update', 'default/podstatus/web', { Name: 'web', Status: { phase: 'Running' } })), /etcd is away/);
    assert.equal(h.ec.metrics().upstream_failed_total, 1);
  });
});

describe('upstream: lease, event, query, unknown', () => {
  test('lease insert creates kube-node-lease/<node>, update updates it; another node\'s lease is forbidden', async () => {
    const kube = await cluster();
    h = await startController(kube);
    const lease = (renew: string): KubeObject => ({ metadata: { name: 'edge-1', namespace: 'kube-node-lease' }, spec: { holderIdentity: 'edge-1', renewTime: renew } });
    const ins = up('insert', 'kube-node-lease/lease/edge-1', lease('t1'));
    await h.ec.onUpstream('edge-1', ins);
    const created = await kube.get(Resources.leases, 'kube-node-lease', 'edge-1');
    assert.equal((created?.['spec'] as { renewTime: string }).renewTime, 't1');
    assert.equal((responsesTo(h, ins)[0]?.content as { Object: KubeObject }).Object.metadata.name, 'edge-1');
    await h.ec.onUpstream('edge-1', up('update', 'kube-node-lease/lease/edge-1', lease('t2')));
    const updated = await kube.get(Resources.leases, 'kube-node-lease', 'edge-1');
    assert.equal((updated?.['spec'] as { renewTime: string }).renewTime, 't2');
    await h.ec.onUpstream('edge-1', up('insert', 'kube-node-lease/lease/edge-1', lease('t3')));
    assert.equal(((await kube.get(Resources.leases, 'kube-node-lease', 'edge-1'))?.['spec'] as { renewTime: string }).renewTime, 't3');
    const err = await rejection(h.ec.onUpstream('edge-1', up('update', 'kube-node-lease/lease/edge-2', { metadata: { name: 'edge-2' } })));
    assert.equal(err.reason, 'forbidden');
  });

  test('events are created; a repeated name patches the count', async () => {
    const kube = await cluster();
    h = await startController(kube);
    const evt = (count: number): unknown => ({
      metadata: { name: 'web.1', namespace: 'default' }, involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' },
      reason: 'Started', message: 'started', count,
    });
    await h.ec.onUpstream('edge-1', up('insert', 'default/event/web.1', evt(1)));
    await h.ec.onUpstream('edge-1', up('insert', 'default/event/web.1', evt(2)));
    const saved = await kube.get(Resources.events, 'default', 'web.1');
    assert.equal(saved?.['count'], 2);
  });

  test('query configmap answers with the object; an unreferenced one is forbidden; a missing one is an error', async () => {
    const kube = await cluster();
    await kube.create(Resources.configmaps, configMap('secretive', {}));
    h = await startController(kube);
    const q = up('query', 'default/configmap/cfg', null);
    await h.ec.onUpstream('edge-1', q);
    const [resp] = responsesTo(h, q);
    assert.equal(resp?.route.operation, 'response');
    assert.equal(resp?.route.resource, 'default/configmap/cfg');
    assert.deepEqual((resp?.content as { data: unknown }).data, { a: '1' });
    assert.ok(resp?.header.resourceversion);
    const err = await rejection(h.ec.onUpstream('edge-1', up('query', 'default/configmap/secretive', null)));
    assert.equal(err.reason, 'forbidden');
    await kube.create(Resources.pods, pod('needs', 'edge-1', usesConfigMap('missing')));
    await settle();
    const m = up('query', 'default/configmap/missing', null);
    await h.ec.onUpstream('edge-1', m);
    const [e] = responsesTo(h, m);
    assert.equal(e?.route.operation, 'error');
    assert.equal(e?.content, 'configmap "missing" not found');
  });

  test('query of the own node answers the Node', async () => {
    const kube = await cluster();
    h = await startController(kube);
    const q = up('query', 'null/node/edge-1', null);
    await h.ec.onUpstream('edge-1', q);
    assert.equal((responsesTo(h, q)[0]?.content as KubeObject).metadata.name, 'edge-1');
  });

  test('unknown operations and bad resources are rejected and counted', async () => {
    const kube = await cluster();
    h = await startController(kube);
    assert.equal((await rejection(h.ec.onUpstream('edge-1', up('frobnicate', 'default/pod/web', null)))).reason, 'unknown_operation');
    assert.equal((await rejection(h.ec.onUpstream('edge-1', up('query', 'default/gadget/x', null)))).reason, 'unknown_operation');
    assert.equal((await rejection(h.ec.onUpstream('edge-1', up('query', 'no-slashes', null)))).reason, 'bad_resource');
    assert.equal(h.ec.metrics().unknown_total, 2);
  });
});

test('after stop, upstream messages fail without being applied (the edge replays them)', async () => {
  const kube = await cluster();
  h = await startController(kube);
  h.ec.stop();
  await assert.rejects(h.ec.onUpstream('edge-1', up('query', 'null/node/edge-1', null)), /stopped/);
  assert.equal(h.ec.metrics().upstream_total, 0);
});
