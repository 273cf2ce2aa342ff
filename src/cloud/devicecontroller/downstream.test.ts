import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/index.js';
import type { MembershipUpdate as WireMembership } from '../../core/index.js';
import { FakeKubeClient } from '../../testing/fake-kube-client.js';
import { device, deviceModel, seed, startDeviceController, type DeviceHarness } from '../../testing/devicecontroller-harness.js';
import { Resources } from '../kube/index.js';
import { DEVICE_STATUSES } from './types.js';

let h: DeviceHarness | undefined;
afterEach(() => { h?.stop(); h = undefined; });

const membership = (hh: DeviceHarness, node: string): WireMembership[] =>
  hh.hub.to(node, 'membership').map((s) => s.msg.content as WireMembership);

describe('downstream: devices to their nodes', () => {
  test('a device bound to a node brings membership, its model and itself, in that order', async () => {
    const kube = new FakeKubeClient();
    h = await startDeviceController(kube);
    const [model] = [await kube.create(Resources.devicemodels, deviceModel('thermo'))];
    const d = await kube.create(Resources.devices, device('sensor-1', 'edge-1', 'thermo', undefined, { labels: { description: 'lab sensor' } }));
    await h.settle();
    assert.deepEqual(h.hub.summary('edge-1'), ['update membership', 'insert default/devicemodel/thermo', 'insert default/device/sensor-1']);
    const [mem, modelMsg, devMsg] = h.hub.to('edge-1');
    assert.equal(mem?.msg.route.group, 'twin');
    assert.equal(mem?.msg.route.source, 'devicecontroller');
    assert.equal(mem?.opts.reliable, false);
    const content = mem?.msg.content as WireMembership;
    assert.deepEqual(content.added_devices, [{ id: 'default/sensor-1', name: 'sensor-1', description: 'lab sensor' }]);
    assert.deepEqual(content.removed_devices, []);
    assert.equal(typeof content.event_id, 'string');
    assert.equal(typeof content.timestamp, 'number');
    assert.equal(modelMsg?.msg.route.group, 'resource');
    assert.deepEqual(modelMsg?.opts, { reliable: true, objectUID: model?.metadata.uid });
    assert.equal(devMsg?.msg.header.resourceversion, d.metadata.resourceVersion);
    assert.deepEqual(devMsg?.opts, { reliable: true, objectUID: d.metadata.uid });
    const obj = devMsg?.msg.content as KubeObject;
    assert.equal(obj.apiVersion, 'devices.kubeedge.io/v1beta1');
    assert.equal(obj.kind, 'Device');
    assert.deepEqual(h.tracked.map((t) => t.uid), [model?.metadata.uid, d.metadata.uid]);
    assert.equal(h.dc.metrics()['downstreamSent'], 3);
  });

  test('a device without a node is sent nowhere but gets its DeviceStatus', async () => {
    const kube = new FakeKubeClient();
    await seed(kube, [deviceModel('thermo')], [device('loose', undefined, 'thermo')]);
    h = await startDeviceController(kube);
    assert.equal(h.hub.sent.length, 0);
    assert.ok(await kube.get(DEVICE_STATUSES, 'default', 'loose'));
  });

  test('the model goes to each node once, with its first device there', async () => {
    const kube = new FakeKubeClient();
    await seed(kube, [deviceModel('thermo')], [device('a', 'edge-1', 'thermo'), device('b', 'edge-1', 'thermo'), device('c', 'edge-2', 'thermo')]);
    h = await startDeviceController(kube);
    assert.deepEqual(h.hub.summary('edge-1'), [
      'update membership', 'insert default/devicemodel/thermo', 'insert default/device/a', 'update membership', 'insert default/device/b',
    ]);
    assert.deepEqual(h.hub.summary('edge-2'), ['update membership', 'insert default/devicemodel/thermo', 'insert default/device/c']);
  });

  test('a spec change sends the model and the device as updates; metadata-only changes send nothing', async () => {
    const kube = new FakeKubeClient();
    await seed(kube, [deviceModel('thermo')], [device('a', 'edge-1', 'thermo')]);
    h = await startDeviceController(kube);
    h.hub.clear();
    await kube.patch(Resources.devices, 'default', 'a', { metadata: { labels: { team: 'x' } } }, 'merge');
    await h.settle();
    assert.deepEqual(h.hub.sent, []);
    const updated = await kube.patch(Resources.devices, 'default', 'a', { spec: { properties: [{ name: 'temperature', desired: { value: '30' } }] } }, 'merge');
    await h.settle();
    assert.deepEqual(h.hub.summary('edge-1'), ['update default/devicemodel/thermo', 'update default/device/a']);
    const sent = h.hub.to('edge-1', 'default/device/a')[0]?.msg;
    assert.equal(sent?.header.resourceversion, updated.metadata.resourceVersion);
    assert.deepEqual((sent?.content as { spec: { properties: unknown } }).spec.properties, [{ name: 'temperature', desired: { value: '30' } }]);
  });

  test('the model update is skipped when the node has acked that version', async () => {
    const kube = new FakeKubeClient();
    const [model] = [await kube.create(Resources.devicemodels, deviceModel('thermo'))];
    await seed(kube, [], [device('a', 'edge-1', 'thermo')]);
    const acked = new Map([[`edge-1/${model?.metadata.uid}`, model?.metadata.resourceVersion ?? '']]);
    h = await startDeviceController(kube, { acked });
    // The informer's first list replays the add: the model is skipped, membership and device go out.
    assert.deepEqual(h.hub.summary('edge-1'), ['update membership', 'insert default/device/a']);
    h.hub.clear();
    await kube.patch(Resources.devices, 'default', 'a', { spec: { protocol: { protocolName: 'modbus' } } }, 'merge');
    await h.settle();
    assert.deepEqual(h.hub.summary('edge-1'), ['update default/device/a']);
    assert.equal(h.dc.metrics()['downstreamSkippedAcked'], 2);
  });

  test('a device moved to another node leaves the old one (with its model) and arrives at the new one', async () => {
    const kube = new FakeKubeClient();
    await seed(kube, [deviceModel('thermo')], [device('a', 'edge-1', 'thermo')]);
    h = await startDeviceController(kube);
    h.hub.clear();
    await kube.patch(Resources.devices, 'default', 'a', { spec: { nodeName: 'edge-2' } }, 'merge');
    await h.settle();
    assert.deepEqual(h.hub.summary('edge-1'), ['update membership', 'delete default/device/a', 'delete default/devicemodel/thermo']);
    assert.deepEqual(membership(h, 'edge-1')[0]?.removed_devices, [{ id: 'default/a', name: 'a' }]);
    assert.deepEqual(h.hub.summary('edge-2'), ['update membership', 'insert default/devicemodel/thermo', 'insert default/device/a']);
    assert.deepEqual(membership(h, 'edge-2')[0]?.added_devices, [{ id: 'default/a', name: 'a' }]);
  });

  test('deleting devices removes them from their node; the model goes with the last one', async () => {
    const kube = new FakeKubeClient();
    await seed(kube, [deviceModel('thermo')], [device('a', 'edge-1', 'thermo'), device('b', 'edge-1', 'thermo')]);
    h = await startDeviceController(kube);
    h.hub.clear();
    await kube.delete(Resources.devices, 'default', 'a');
    await h.settle();
    assert.deepEqual(h.hub.summary('edge-1'), ['update membership', 'delete default/device/a']);
    const removed: WireMembership['removed_devices'] = membership(h, 'edge-1')[0]?.removed_devices ?? null;
    assert.deepEqual(removed, [{ id: 'default/a', name: 'a' }]);
    h.hub.clear();
    await kube.delete(Resources.devices, 'default', 'b');
    await h.settle();
    assert.deepEqual(h.hub.summary('edge-1'), ['update membership', 'delete default/device/b', 'delete default/devicemodel/thermo']);
    assert.equal(h.hub.to('edge-1', 'default/device/b')[0]?.opts.reliable, true);
  });

  test('a model that leaves a node and comes back is queued under a fresh key', async () => {
    const kube = new FakeKubeClient();
    const [model] = await Promise.all([kube.create(Resources.devicemodels, deviceModel('thermo'))]);
    await seed(kube, [], [device('a', 'edge-1', 'thermo')]);
    h = await startDeviceController(kube);
    await kube.delete(Resources.devices, 'default', 'a');
    await kube.create(Resources.devices, device('b', 'edge-1', 'thermo'));
    await h.settle();
    const keys = h.hub.to('edge-1', 'default/devicemodel/thermo').map((s) => `${s.msg.route.operation} ${s.opts.objectUID}`);
    const uid = model?.metadata.uid ?? '';
    // cloudhub drops whatever follows a queued delete of the same key; the re-insert must not be lost.
    assert.deepEqual(keys, [`insert ${uid}`, `delete ${uid}`, `insert ${uid}~1`]);
    assert.equal(h.tracked.at(-1)?.uid, (await kube.get(Resources.devices, 'default', 'b'))?.metadata.uid);
  });

  test('model updates and deletes go to every node that has a device of the model', async () => {
    const kube = new FakeKubeClient();
    await seed(kube, [deviceModel('thermo'), deviceModel('other')], [device('a', 'edge-1', 'thermo'), device('c', 'edge-2', 'thermo'), device('x', 'edge-3', 'other')]);
    h = await startDeviceController(kube);
    h.hub.clear();
    await kube.patch(Resources.devicemodels, 'default', 'thermo', { spec: { protocol: 'modbus' } }, 'merge');
    await h.settle();
    assert.deepEqual(h.hub.sent.map((s) => `${s.node} ${s.msg.route.operation} ${s.msg.route.resource}`).sort(), [
      'edge-1 update default/devicemodel/thermo', 'edge-2 update default/devicemodel/thermo',
    ]);
    h.hub.clear();
    await kube.delete(Resources.devicemodels, 'default', 'thermo');
    await h.settle();
    assert.deepEqual(h.hub.sent.map((s) => `${s.node} ${s.msg.route.operation} ${s.msg.route.resource}`).sort(), [
      'edge-1 delete default/devicemodel/thermo', 'edge-2 delete default/devicemodel/thermo',
    ]);
  });

  test('a model created after its device is sent to the device\'s node', async () => {
    const kube = new FakeKubeClient();
    await seed(kube, [], [device('a', 'edge-1', 'late')]);
    h = await startDeviceController(kube);
    assert.deepEqual(h.hub.summary('edge-1'), ['update membership', 'insert default/device/a']);
    await kube.create(Resources.devicemodels, deviceModel('late'));
    await h.settle();
    assert.deepEqual(h.hub.summary('edge-1').slice(2), ['insert default/devicemodel/late']);
  });

  test('cachedObject serves synccontroller; with a node, objects not meant for it are absent', async () => {
    const kube = new FakeKubeClient();
    await seed(kube, [deviceModel('thermo')], [device('a', 'edge-1', 'thermo')]);
    h = await startDeviceController(kube);
    assert.equal(h.dc.cachedObject('devices', 'default', 'a')?.metadata.name, 'a');
    assert.equal(h.dc.cachedObject('devicemodels', 'default', 'thermo')?.metadata.name, 'thermo');
    assert.equal(h.dc.cachedObject('devices', 'default', 'missing'), undefined);
    assert.equal(h.dc.cachedObject('pods', 'default', 'a'), null);
    assert.equal(h.dc.cachedObject('devices', 'default', 'a', 'edge-1')?.metadata.name, 'a');
    assert.equal(h.dc.cachedObject('devices', 'default', 'a', 'edge-2'), undefined);
    assert.equal(h.dc.cachedObject('devicemodels', 'default', 'thermo', 'edge-2'), undefined);
  });
});

describe('DeviceStatus', () => {
  test('one per Device, owned by it, with a twin per property', async () => {
    const kube = new FakeKubeClient();
    const [d] = await seed(kube, [deviceModel('thermo')], [device('a', 'edge-1', 'thermo', [{ name: 'temperature' }, { name: 'humidity' }])]);
    h = await startDeviceController(kube);
    const status = await kube.get(DEVICE_STATUSES, 'default', 'a');
    assert.deepEqual(status?.metadata.ownerReferences, [{
      apiVersion: 'devices.kubeedge.io/v1beta1', kind: 'Device', name: 'a', uid: d?.metadata.uid, controller: true, blockOwnerDeletion: true,
    }]);
    assert.deepEqual(status?.['spec'], {});
    assert.deepEqual(status?.['status'], { twins: [{ propertyName: 'temperature' }, { propertyName: 'humidity' }] });
    assert.equal(h.dc.metrics()['statusCreated'], 1);
  });

  test('a restarted controller finds the statuses in its cache: no reads, no creates', async () => {
    const kube = new FakeKubeClient();
    await seed(kube, [deviceModel('thermo')], [device('a', 'edge-1', 'thermo'), device('b', 'edge-2', 'thermo')]);
    const first = await startDeviceController(kube);
    first.stop();
    kube.calls.length = 0;
    h = await startDeviceController(kube);
    const statusCalls = kube.calls.filter((c) => c.plural === 'devicestatuses' && c.method !== 'list' && c.method !== 'watch');
    assert.deepEqual(statusCalls, []);
    assert.equal(h.dc.metrics()['statusCreated'], 0);
  });

  test('an existing status is kept; one left by an earlier Device of the same name is replaced', async () => {
    const kube = new FakeKubeClient();
    await kube.create(DEVICE_STATUSES, { metadata: { name: 'kept', namespace: 'default' }, spec: {}, status: { state: 'online' } });
    await kube.create(DEVICE_STATUSES, {
      metadata: { name: 'again', namespace: 'default', ownerReferences: [{ apiVersion: 'devices.kubeedge.io/v1beta1', kind: 'Device', name: 'again', uid: 'old-uid' }] },
      spec: {}, status: { state: 'offline' },
    });
    const [, again] = await seed(kube, [deviceModel('thermo')], [device('kept', 'edge-1', 'thermo'), device('again', 'edge-1', 'thermo')]);
    h = await startDeviceController(kube);
    assert.deepEqual((await kube.get(DEVICE_STATUSES, 'default', 'kept'))?.['status'], { state: 'online' });
    const replaced = await kube.get(DEVICE_STATUSES, 'default', 'again');
    assert.equal(replaced?.metadata.ownerReferences?.[0]?.uid, again?.metadata.uid);
    assert.deepEqual(replaced?.['status'], { twins: [{ propertyName: 'temperature' }] });
  });

  test('renamed properties: the status twins follow the device, keeping what was reported', async () => {
    const kube = new FakeKubeClient();
    await seed(kube, [deviceModel('thermo')], [device('a', 'edge-1', 'thermo', [{ name: 'temperature' }, { name: 'humidity' }])]);
    h = await startDeviceController(kube);
    await kube.patch(DEVICE_STATUSES, 'default', 'a', { status: { twins: [{ propertyName: 'temperature', reported: { value: '21' } }, { propertyName: 'humidity' }] } }, 'merge');
    await h.settle();
    await kube.patch(Resources.devices, 'default', 'a', { spec: { properties: [{ name: 'temperature' }, { name: 'pressure' }] } }, 'merge');
    await h.settle();
    assert.deepEqual((await kube.get(DEVICE_STATUSES, 'default', 'a'))?.['status'], {
      twins: [{ propertyName: 'temperature', reported: { value: '21' } }, { propertyName: 'pressure' }],
    });
  });
});
