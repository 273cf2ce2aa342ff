import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeviceStatusObject, KubeObject } from '../../api/index.js';
import type { MembershipDetail, Message } from '../../core/index.js';
import { FakeKubeClient } from '../../testing/fake-kube-client.js';
import {
  device, deviceModel, rejection, seed, startDeviceController, stateReport, twinReport, upstream, type DeviceHarness,
} from '../../testing/devicecontroller-harness.js';
import { KubeError, Resources, type PatchType, type ResourceRef } from '../kube/index.js';
import { DEVICE_STATUSES } from './types.js';

let h: DeviceHarness | undefined;
afterEach(() => { h?.stop(); h = undefined; });

const PROPS = [{ name: 'temperature' }, { name: 'humidity' }];

async function cluster(kube = new FakeKubeClient()): Promise<FakeKubeClient> {
  await seed(kube, [deviceModel('thermo')], [device('sensor-1', 'edge-1', 'thermo', PROPS), device('sensor-2', 'edge-2', 'thermo', PROPS)]);
  return kube;
}

const statusOf = async (kube: FakeKubeClient, name: string): Promise<DeviceStatusObject['status']> =>
  ((await kube.get(DEVICE_STATUSES, 'default', name)) as DeviceStatusObject | undefined)?.status;

const responsesTo = (hh: DeviceHarness, req: Message): Message[] =>
  hh.hub.sent.filter((s) => s.msg.header.parent_msg_id === req.header.msg_id).map((s) => s.msg);

describe('upstream: twin reports', () => {
  test('reported and desired values land in DeviceStatus, merged by property, and the edge gets a confirmation', async () => {
    const kube = await cluster();
    h = await startDeviceController(kube);
    const first = twinReport('default', 'sensor-1', {
      temperature: { actual: { value: '21.5', metadata: { timestamp: 1718000050000 } }, metadata: { type: 'float' } },
    }, true);
    await h.dc.onUpstream('edge-1', first);
    await h.dc.onUpstream('edge-1', twinReport('default', 'sensor-1', {
      humidity: { expected: { value: '40', metadata: { timestamp: 1718000051000 } }, actual: { value: '39' }, metadata: { type: 'int' } },
      notAProperty: { actual: { value: 'x' } },
    }));
    assert.deepEqual(await statusOf(kube, 'sensor-1'), {
      twins: [
        { propertyName: 'temperature', reported: { value: '21.5', metadata: { timestamp: '1718000050000', type: 'float' } } },
        {
          propertyName: 'humidity',
          reported: { value: '39', metadata: { type: 'int' } },
          observedDesired: { value: '40', metadata: { timestamp: '1718000051000', type: 'int' } },
        },
      ],
    });
    const patches = kube.calls.filter((c) => c.method === 'patch' && c.plural === 'devicestatuses');
    assert.equal(patches.length, 2);
    const [confirm] = responsesTo(h, first);
    assert.equal(confirm?.route.group, 'twin');
    assert.equal(confirm?.route.operation, 'response');
    assert.equal(confirm?.route.resource, 'twin');
    assert.equal(confirm?.content, 'OK');
    assert.equal(h.dc.metrics()['upstreamTwin'], 2);
    assert.equal(h.dc.metrics()['statusPatched'], 2);
  });

  test('reports for one device are applied in order, one write at a time', async () => {
    const kube = await cluster();
    let inFlight = 0;
    let maxInFlight = 0;
    const patch = kube.patch.bind(kube);
    kube.patch = async (ref: ResourceRef, ns: string | null, name: string, body: unknown, type: PatchType, sub?: 'status'): Promise<KubeObject> => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      // Give a concurrent write the chance to start, were it not serialized.
      await new Promise((r) => setImmediate(r));
      try { return await patch(ref, ns, name, body, type, sub); } finally { inFlight--; }
    };
    h = await startDeviceController(kube);
    const values = ['1', '2', '3', '4', '5'];
    await Promise.all(values.map((v, i) => h!.dc.onUpstream('edge-1', twinReport('default', 'sensor-1', {
      [i % 2 === 0 ? 'temperature' : 'humidity']: { actual: { value: v } },
    }))));
    assert.equal(maxInFlight, 1);
    const twins = (await statusOf(kube, 'sensor-1'))?.twins ?? [];
    assert.deepEqual(twins.map((t) => `${t.propertyName}=${t.reported?.value ?? ''}`), ['temperature=5', 'humidity=4']);
  });

  test('a write conflict rereads the status and merges again; a vanished status is re-created', async () => {
    const kube = await cluster();
    h = await startDeviceController(kube);
    kube.failNext('patch', new KubeError(409, 'Conflict', 'the object has been modified'));
    await h.dc.onUpstream('edge-1', twinReport('default', 'sensor-1', { temperature: { actual: { value: '7' } } }));
    assert.equal((await statusOf(kube, 'sensor-1'))?.twins?.[0]?.reported?.value, '7');
    await kube.delete(DEVICE_STATUSES, 'default', 'sensor-1');
    await h.settle();
    await h.dc.onUpstream('edge-1', twinReport('default', 'sensor-1', { humidity: { actual: { value: '50' } } }));
    const again = await kube.get(DEVICE_STATUSES, 'default', 'sensor-1');
    assert.equal(again?.metadata.ownerReferences?.[0]?.name, 'sensor-1');
    assert.deepEqual((again?.['status'] as DeviceStatusObject['status'])?.twins, [
      { propertyName: 'temperature' }, { propertyName: 'humidity', reported: { value: '50', metadata: {} } },
    ]);
  });

  test('an API outage fails the message without refusing it, so the edge resends', async () => {
    const kube = await cluster();
    h = await startDeviceController(kube);
    kube.failNext('patch', new KubeError(503, 'ServiceUnavailable', 'etcd away'));
    const err = await rejection(h.dc.onUpstream('edge-1', twinReport('default', 'sensor-1', { temperature: { actual: { value: '1' } } })));
    assert.notEqual(err.name, 'UpstreamRejected');
    assert.equal(h.dc.metrics()['upstreamFailed'], 1);
    await h.dc.onUpstream('edge-1', twinReport('default', 'sensor-1', { temperature: { actual: { value: '2' } } }));
    assert.equal((await statusOf(kube, 'sensor-1'))?.twins?.[0]?.reported?.value, '2');
  });
});

describe('upstream: state', () => {
  test('state and lastOnlineTime are written; empty fields leave the status alone', async () => {
    const kube = await cluster();
    h = await startDeviceController(kube);
    await h.dc.onUpstream('edge-1', stateReport('default', 'sensor-1', { name: 'sensor-1', state: 'online', lastOnlineTime: '2026-01-01T00:00:00Z' }));
    let status = await statusOf(kube, 'sensor-1');
    assert.equal(status?.state, 'online');
    assert.equal(status?.lastOnlineTime, '2026-01-01T00:00:00Z');
    assert.deepEqual(status?.twins, [{ propertyName: 'temperature' }, { propertyName: 'humidity' }]);
    // KubeEdge's Go struct field "Device" (no tag) decodes "Device" too; offline reports carry no time.
    await h.dc.onUpstream('edge-1', upstream('device/default/sensor-1/state/update', { event_id: '', timestamp: 1, Device: { state: 'offline' } }));
    status = await statusOf(kube, 'sensor-1');
    assert.equal(status?.state, 'offline');
    assert.equal(status?.lastOnlineTime, '2026-01-01T00:00:00Z');
    assert.equal(h.dc.metrics()['upstreamState'], 2);
  });
});

describe('upstream: refusals', () => {
  test('a node may report only for its own devices', async () => {
    const kube = await cluster();
    h = await startDeviceController(kube);
    const err = await rejection(h.dc.onUpstream('edge-2', twinReport('default', 'sensor-1', { temperature: { actual: { value: '1' } } })));
    assert.equal(err.name, 'UpstreamRejected');
    assert.equal(err.reason, 'forbidden');
    const stateErr = await rejection(h.dc.onUpstream('edge-2', stateReport('default', 'sensor-1', { state: 'online' })));
    assert.equal(stateErr.reason, 'forbidden');
    assert.equal(h.dc.metrics()['denied'], 2);
    assert.equal(kube.calls.filter((c) => c.method === 'patch').length, 0);
    assert.equal(h.log.find('denied').length, 2);
  });

  test('an unknown device is refused as not_found', async () => {
    const kube = await cluster();
    h = await startDeviceController(kube);
    const err = await rejection(h.dc.onUpstream('edge-1', twinReport('default', 'ghost', { temperature: { actual: { value: '1' } } })));
    assert.equal(err.reason, 'not_found');
    assert.equal(h.dc.metrics()['rejected'], 1);
  });

  test('malformed content is refused as invalid, never a crash', async () => {
    const kube = await cluster();
    h = await startDeviceController(kube);
    const bad: unknown[] = [
      '{"twin":', 42, ['a'], { twin: 'x' }, { twin: { temperature: 'hot' } },
      { twin: { temperature: { actual: { value: 21 } } } },
      { twin: { temperature: { actual: { value: '21', metadata: { timestamp: 'now' } } } } },
      { twin: { temperature: { actual: { value: '21' }, metadata: { type: 3 } } } },
    ];
    for (const content of bad) {
      const err = await rejection(h.dc.onUpstream('edge-1', upstream('device/default/sensor-1/twin/edge_updated', content)));
      assert.equal(err.reason, 'invalid', JSON.stringify(content));
    }
    for (const content of ['not json', { device: 'x' }, { device: { state: 1 } }]) {
      const err = await rejection(h.dc.onUpstream('edge-1', upstream('device/default/sensor-1/state/update', content)));
      assert.equal(err.reason, 'invalid', JSON.stringify(content));
    }
    assert.equal(h.dc.metrics()['rejected'], bad.length + 3);
    assert.equal(kube.calls.filter((c) => c.method === 'patch').length, 0);
    // Still working afterwards.
    await h.dc.onUpstream('edge-1', twinReport('default', 'sensor-1', { temperature: null, humidity: { actual: { value: '3' } } }));
    assert.equal((await statusOf(kube, 'sensor-1'))?.twins?.[1]?.reported?.value, '3');
  });
});

describe('upstream: routing and membership/detail', () => {
  test('handles() picks device resources in wire and cloud form, whatever the group', async () => {
    const kube = await cluster();
    h = await startDeviceController(kube);
    const yes = ['device/default/s/twin/edge_updated', 'node/edge-1/device/default/s/state/update', 'membership/detail', 'node/edge-1/membership/detail'];
    const no = ['default/pod/nginx', 'null/nodestatus/edge-1', 'device/default/s/twin/cloud_updated', 'membership', 'device/default/twin/edge_updated'];
    for (const r of yes) assert.equal(h.dc.handles(upstream(r, {}, 'update')), true, r);
    for (const r of no) assert.equal(h.dc.handles(upstream(r, {}, 'update')), false, r);
    assert.equal(h.dc.handles({ ...upstream('membership/detail', {}), route: { source: 'twin', group: 'twin', operation: 'get', resource: 'membership/detail' } }), true);
  });

  test('membership/detail is answered with the node\'s devices, then confirmed', async () => {
    const kube = await cluster();
    await kube.create(Resources.devices, device('sensor-3', 'edge-1', 'thermo', PROPS, { labels: { description: 'door' } }));
    h = await startDeviceController(kube);
    h.hub.clear();
    const req = upstream('membership/detail', JSON.stringify({ event_type: 'group_membership_event', operation: 'detail', group_id: 'edge-1' }), 'get');
    await h.dc.onUpstream('edge-1', req);
    const [detail, confirm] = h.hub.to('edge-1');
    assert.equal(detail?.msg.route.resource, 'membership/detail');
    assert.equal(detail?.msg.route.group, 'twin');
    assert.equal(detail?.msg.header.parent_msg_id, undefined);
    assert.equal(detail?.opts.reliable, false);
    const devices = (detail?.msg.content as MembershipDetail).devices;
    assert.deepEqual(devices.map((d) => d.id).sort(), ['default/sensor-1', 'default/sensor-3']);
    assert.equal(devices.find((d) => d.name === 'sensor-3')?.description, 'door');
    assert.equal(confirm?.msg.header.parent_msg_id, req.header.msg_id);
  });
});
