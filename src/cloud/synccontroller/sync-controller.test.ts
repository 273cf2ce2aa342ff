import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/index.js';
import { createSilentLogger, newMessage, type Message } from '../../core/index.js';
import { FakeKubeClient } from '../../testing/fake-kube-client.js';
import { Resources, type InformerTimers, type KubeClient } from '../kube/index.js';
import { SyncController, syncName, type SyncSender } from './index.js';

interface Sent { node: string; msg: Message<KubeObject>; opts: { reliable: boolean; objectUID?: string } }

function recordingSender(connected: string[] = []): SyncSender & { sent: Sent[]; connected: Set<string> } {
  const set = new Set(connected);
  const sent: Sent[] = [];
  return {
    sent, connected: set,
    send: (node, msg, opts) => { sent.push({ node, msg: msg as Message<KubeObject>, opts }); },
    isConnected: (node) => set.has(node),
    connectedNodes: () => [...set],
  };
}

function manualTimers(): InformerTimers & { fire(): void; count(): number } {
  const q: { fn: () => void; id: number }[] = [];
  let next = 0;
  return {
    setTimeout: (fn) => { const id = ++next; q.push({ fn, id }); return id; },
    clearTimeout: (h) => { const i = q.findIndex((t) => t.id === h); if (i >= 0) q.splice(i, 1); },
    fire: () => { q.shift()?.fn(); },
    count: () => q.length,
  };
}

/** The downstream message edgecontroller would send, as the edge acks it. */
function objMsg(op: string, type: string, obj: KubeObject, ns: string | null = obj.metadata.namespace ?? null): Message {
  return newMessage({
    source: 'edgecontroller', group: 'resource', operation: op, resource: `${ns ?? 'null'}/${type}/${obj.metadata.name}`,
    content: obj, ...(obj.metadata.resourceVersion ? { resourceVersion: obj.metadata.resourceVersion } : {}),
  });
}

async function setup(connected: string[] = ['edge-1']) {
  const kube = new FakeKubeClient();
  await kube.create(Resources.nodes, { metadata: { name: 'edge-1' } });
  const hub = recordingSender(connected);
  const timers = manualTimers();
  const sc = new SyncController({ kube, hub, log: createSilentLogger(), timers });
  assert.equal(await sc.start(), true);
  return { kube, hub, sc, timers };
}

const statusOf = (o: KubeObject | undefined) => (o?.['status'] as { objectResourceVersion?: string } | undefined)?.objectResourceVersion;

describe('SyncController', () => {
  test('an ack creates the ObjectSync with KubeEdge fields and the acked version', async () => {
    const { kube, sc } = await setup();
    const cm = await kube.create(Resources.configmaps, { metadata: { name: 'cfg', namespace: 'apps' }, data: { a: '1' } });
    await sc.onAck('edge-1', objMsg('insert', 'configmap', cm));
    const name = syncName('edge-1', cm.metadata.uid!);
    const os = await kube.get(Resources.objectsyncs, 'apps', name);
    assert.ok(os);
    assert.deepEqual(os['spec'], { objectAPIVersion: 'v1', objectKind: 'ConfigMap', objectName: 'cfg' });
    assert.equal(statusOf(os), cm.metadata.resourceVersion);
    assert.equal(sc.ackedVersion('edge-1', cm.metadata.uid!), cm.metadata.resourceVersion);
    assert.equal(sc.ackedVersion('edge-2', cm.metadata.uid!), undefined);
    sc.stop();
  });

  test('the acked version never moves backwards, even for acks arriving together out of order', async () => {
    const { kube, sc } = await setup();
    const cm = await kube.create(Resources.configmaps, { metadata: { name: 'cfg', namespace: 'apps' } });
    const at = (rv: string) => objMsg('update', 'configmap', { ...cm, metadata: { ...cm.metadata, resourceVersion: rv } });
    await sc.onAck('edge-1', at('10'));
    await sc.onAck('edge-1', at('9'));
    assert.equal(sc.ackedVersion('edge-1', cm.metadata.uid!), '10');
    await Promise.all([sc.onAck('edge-1', at('12')), sc.onAck('edge-1', at('11'))]);
    const os = await kube.get(Resources.objectsyncs, 'apps', syncName('edge-1', cm.metadata.uid!));
    assert.equal(statusOf(os), '12');
    assert.equal(sc.ackedVersion('edge-1', cm.metadata.uid!), '12');
    sc.stop();
  });

  test('a stale cached sync (another writer moved it on) is re-read, not overwritten backwards', async () => {
    const kube = new FakeKubeClient();
    // Watches that deliver nothing: the controller's cache lags behind the API.
    const lagging: KubeClient = {
      get: (...a) => kube.get(...a), list: (...a) => kube.list(...a), create: (...a) => kube.create(...a),
      update: (...a) => kube.update(...a), patch: (...a) => kube.patch(...a), delete: (...a) => kube.delete(...a),
      watch: (_r, _o, _e, signal) => new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true })),
    };
    const sc = new SyncController({ kube: lagging, hub: recordingSender(), log: createSilentLogger(), timers: manualTimers(), nodeExists: async () => true });
    await sc.start();
    const cm = await kube.create(Resources.configmaps, { metadata: { name: 'cfg', namespace: 'apps' } });
    const at = (rv: string) => objMsg('update', 'configmap', { ...cm, metadata: { ...cm.metadata, resourceVersion: rv } });
    await sc.onAck('edge-1', at('5'));
    const name = syncName('edge-1', cm.metadata.uid!);
    const cur = (await kube.get(Resources.objectsyncs, 'apps', name))!;
    await kube.update(Resources.objectsyncs, { ...cur, status: { objectResourceVersion: '20' } }, 'status');
    const before = kube.calls.length;
    await sc.onAck('edge-1', at('8'));
    const tried = kube.calls.slice(before).map((c) => c.method);
    assert.equal(statusOf(await kube.get(Resources.objectsyncs, 'apps', name)), '20');
    assert.deepEqual(tried, ['update', 'get'], 'a conflicting PUT, then a fresh read');
    assert.equal(sc.ackedVersion('edge-1', cm.metadata.uid!), '20');
    sc.stop();
  });

  test('cluster-scoped objects use ClusterObjectSync; uid from trackSent when content lacks it', async () => {
    const { kube, sc } = await setup();
    const node = (await kube.get(Resources.nodes, null, 'edge-1'))!;
    const msg = objMsg('update', 'node', { metadata: { name: 'edge-1', resourceVersion: node.metadata.resourceVersion! } }, null);
    sc.trackSent('edge-1', msg, node.metadata.uid!);
    await sc.onAck('edge-1', msg);
    const cos = await kube.get(Resources.clusterobjectsyncs, null, syncName('edge-1', node.metadata.uid!));
    assert.equal(statusOf(cos), node.metadata.resourceVersion);
    assert.deepEqual(cos?.['spec'], { objectAPIVersion: 'v1', objectKind: 'Node', objectName: 'edge-1' });
    sc.stop();
  });

  test('acks that change nothing: other groups, untracked types, no uid, no version', async () => {
    const { kube, sc } = await setup();
    const base = { metadata: { name: 'x', namespace: 'apps', uid: 'u1', resourceVersion: '3' } };
    await sc.onAck('edge-1', { ...objMsg('update', 'configmap', base), route: { ...objMsg('update', 'configmap', base).route, group: 'twin' } });
    await sc.onAck('edge-1', objMsg('update', 'podstatus', base));
    await sc.onAck('edge-1', objMsg('update', 'configmap', { metadata: { name: 'x', namespace: 'apps', resourceVersion: '3' } }));
    await sc.onAck('edge-1', objMsg('update', 'configmap', { metadata: { name: 'x', namespace: 'apps', uid: 'u1' } }));
    await sc.onAck('edge-1', objMsg('query', 'configmap', base));
    assert.equal(kube.calls.filter((c) => c.method === 'create' && c.plural.endsWith('objectsyncs')).length, 0);
    sc.stop();
  });

  test('reconnect after the object changed: an update with the full object is sent once, until acked', async () => {
    const { kube, hub, sc } = await setup();
    const cm = await kube.create(Resources.configmaps, { metadata: { name: 'cfg', namespace: 'apps' }, data: { a: '1' } });
    await sc.onAck('edge-1', objMsg('insert', 'configmap', cm));
    await sc.reconcileNode('edge-1');
    assert.equal(hub.sent.length, 0, 'nothing newer');
    const cm2 = await kube.patch(Resources.configmaps, 'apps', 'cfg', { data: { a: '2' } }, 'merge');
    await sc.onConnect('edge-1');
    assert.equal(hub.sent.length, 1);
    const [s] = hub.sent;
    assert.equal(s?.node, 'edge-1');
    assert.deepEqual(s?.opts, { reliable: true, objectUID: cm.metadata.uid });
    assert.equal(s?.msg.route.operation, 'update');
    assert.equal(s?.msg.route.source, 'edgecontroller');
    assert.equal(s?.msg.route.group, 'resource');
    assert.equal(s?.msg.route.resource, 'apps/configmap/cfg');
    assert.equal(s?.msg.header.resourceversion, cm2.metadata.resourceVersion);
    assert.deepEqual(s?.msg.content['data'], { a: '2' });
    assert.equal(s?.msg.content.kind, 'ConfigMap');
    await sc.reconcileNode('edge-1');
    assert.equal(hub.sent.length, 1, 'in flight, not repeated by the period');
    await sc.onAck('edge-1', s!.msg);
    assert.equal(sc.ackedVersion('edge-1', cm.metadata.uid!), cm2.metadata.resourceVersion);
    await sc.onConnect('edge-1');
    assert.equal(hub.sent.length, 1);
    sc.stop();
  });

  test('object deleted while away: delete sent, the ObjectSync removed after the ack', async () => {
    const { kube, hub, sc } = await setup();
    const secret = await kube.create(Resources.secrets, { metadata: { name: 's', namespace: 'apps' } });
    await sc.onAck('edge-1', objMsg('insert', 'secret', secret));
    const name = syncName('edge-1', secret.metadata.uid!);
    assert.ok(await kube.get(Resources.objectsyncs, 'apps', name));
    await kube.delete(Resources.secrets, 'apps', 's');
    await sc.onConnect('edge-1');
    assert.equal(hub.sent.length, 1);
    const del = hub.sent[0]!.msg;
    assert.equal(del.route.operation, 'delete');
    assert.equal(del.route.resource, 'apps/secret/s');
    assert.deepEqual(del.content, { metadata: { name: 's', namespace: 'apps', uid: secret.metadata.uid } });
    assert.equal(del.header.resourceversion, undefined);
    assert.deepEqual(hub.sent[0]!.opts, { reliable: true, objectUID: secret.metadata.uid });
    assert.ok(await kube.get(Resources.objectsyncs, 'apps', name), 'kept until the edge acks');
    await sc.onAck('edge-1', del);
    assert.equal(await kube.get(Resources.objectsyncs, 'apps', name), undefined);
    assert.equal(sc.ackedVersion('edge-1', secret.metadata.uid!), undefined);
    await sc.reconcileNode('edge-1');
    assert.equal(hub.sent.length, 1);
    sc.stop();
  });

  test('an object re-created under the same name (new uid) gets a delete for the old uid', async () => {
    const { kube, hub, sc } = await setup();
    const cm = await kube.create(Resources.configmaps, { metadata: { name: 'cfg', namespace: 'apps' } });
    await sc.onAck('edge-1', objMsg('insert', 'configmap', cm));
    await kube.delete(Resources.configmaps, 'apps', 'cfg');
    await kube.create(Resources.configmaps, { metadata: { name: 'cfg', namespace: 'apps' } });
    await sc.reconcileNode('edge-1');
    assert.equal(hub.sent[0]?.msg.route.operation, 'delete');
    assert.equal(hub.sent[0]?.msg.content.metadata.uid, cm.metadata.uid);
    sc.stop();
  });

  test('a restarted controller knows acked versions from the API (informer cache)', async () => {
    const { kube, sc } = await setup();
    const cm = await kube.create(Resources.configmaps, { metadata: { name: 'cfg', namespace: 'apps' } });
    await sc.onAck('edge-1', objMsg('insert', 'configmap', cm));
    sc.stop();
    const sc2 = new SyncController({ kube, hub: recordingSender(), log: createSilentLogger(), timers: manualTimers() });
    await sc2.start();
    assert.equal(sc2.hasSynced(), true);
    assert.equal(sc2.ackedVersion('edge-1', cm.metadata.uid!), cm.metadata.resourceVersion);
    sc2.stop();
  });

  test('syncs of deleted nodes are garbage-collected at start and on node delete', async () => {
    const kube = new FakeKubeClient();
    await kube.create(Resources.nodes, { metadata: { name: 'edge-1' } });
    const mk = (node: string, uid: string) => kube.create(Resources.objectsyncs, {
      metadata: { name: syncName(node, uid), namespace: 'apps' }, spec: { objectAPIVersion: 'v1', objectKind: 'ConfigMap', objectName: 'x' },
    });
    await mk('edge-1', 'u1');
    await mk('gone', 'u2');
    await kube.create(Resources.clusterobjectsyncs, { metadata: { name: syncName('gone', 'u3') }, spec: { objectAPIVersion: 'v1', objectKind: 'Node', objectName: 'gone' } });
    const sc = new SyncController({ kube, hub: recordingSender(), log: createSilentLogger(), timers: manualTimers() });
    await sc.start();
    assert.deepEqual(kube.objects(Resources.objectsyncs).map((o) => o.metadata.name), ['edge-1.u1']);
    assert.deepEqual(kube.objects(Resources.clusterobjectsyncs), []);
    await kube.delete(Resources.nodes, null, 'edge-1');
    await sc.onNodeDeleted('edge-1');
    assert.deepEqual(kube.objects(Resources.objectsyncs), []);
    sc.stop();
  });

  test('the period reconciles connected nodes only', async () => {
    const { kube, hub, sc, timers } = await setup(['edge-1']);
    await kube.create(Resources.nodes, { metadata: { name: 'edge-2' } });
    const cm = await kube.create(Resources.configmaps, { metadata: { name: 'cfg', namespace: 'apps' } });
    await sc.onAck('edge-1', objMsg('insert', 'configmap', cm));
    await sc.onAck('edge-2', objMsg('insert', 'configmap', cm));
    await kube.patch(Resources.configmaps, 'apps', 'cfg', { data: { b: '1' } }, 'merge');
    assert.equal(timers.count(), 1);
    timers.fire();
    for (let i = 0; i < 50 && timers.count() === 0; i++) await new Promise((r) => setImmediate(r));
    assert.deepEqual(hub.sent.map((s) => `${s.node}:${s.msg.route.operation}`), ['edge-1:update']);
    sc.stop();
    assert.equal(timers.count(), 0);
  });
});
