import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newMessage, type Message } from '../../core/index.js';
import { deviceModelObject, deviceObject } from '../../testing/devicetwin-fakes.js';
import { settle, twinHarness } from '../../testing/devicetwin-harness.js';

function twinMsg(resource: string, content: unknown): Message {
  return newMessage({ source: 'edgemgr', group: 'twin', operation: 'update', resource, content });
}

const count = (h: ReturnType<typeof twinHarness>, table: string): number => h.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;

test('membership from the cloud adds and removes devices; a Device object arriving later fills in the twins', async (t) => {
  const h = twinHarness(t);
  const added = { event_id: 'm', timestamp: 1, added_devices: [{ id: 'default/lamp', name: 'lamp' }], removed_devices: null };
  assert.equal(h.twin.handleCloud(twinMsg('node/edge-1/membership', added)), true);
  await settle();
  assert.deepEqual(h.db.prepare('SELECT id, name FROM device').all(), [{ id: 'default/lamp', name: 'lamp' }]);
  assert.deepEqual(h.bus.last('/membership/updated')?.['added_devices'], [{ id: 'default/lamp', name: 'lamp' }]);

  h.bus.clear();
  h.store.put('devicemodel', deviceModelObject('default', 'lamp-model', [{ name: 'power', type: 'BOOLEAN' }]));
  h.store.put('device', deviceObject('default', 'lamp', { model: 'lamp-model', nodeName: 'edge-1', props: [{ name: 'power', desired: 'true' }] }));
  await settle();
  assert.equal(h.bus.on('/membership/updated').length, 0, 'the device was already known');
  assert.deepEqual(h.bus.last('/lamp/twin/update/delta')?.['delta'], { power: 'true' });
  assert.equal(count(h, 'device_twin'), 1);

  // A JSON string content (as Go's devicetwin may send) is read too.
  const removed = JSON.stringify({ event_id: 'r', timestamp: 2, added_devices: null, removed_devices: [{ id: 'default/lamp', name: 'lamp' }] });
  assert.equal(h.twin.handleCloud(twinMsg('membership', removed)), true);
  await settle();
  assert.equal(count(h, 'device'), 0);
  assert.equal(count(h, 'device_twin'), 0);
  assert.deepEqual(h.bus.last('/membership/updated')?.['removed_devices'], [{ id: 'default/lamp', name: 'lamp' }]);
});

test('membership detail removes the devices it does not list, unless a Device object stands for them', async (t) => {
  const h = twinHarness(t);
  h.store.put('device', deviceObject('default', 'kept', { model: 'none', nodeName: 'edge-1', props: [] }));
  h.twin.handleCloud(twinMsg('membership', { added_devices: [{ id: 'default/stray', name: 'stray' }] }));
  await settle();
  assert.equal(count(h, 'device'), 2);
  h.twin.handleCloud(twinMsg('membership/detail', { event_id: 'd', devices: [{ id: 'default/new', name: 'new' }] }));
  await settle();
  assert.deepEqual(h.db.prepare('SELECT id FROM device ORDER BY id').pluck().all(), ['default/kept', 'default/new']);
});

test('twin/cloud_updated applies the cloud value only when the cloud has seen the edge changes', async (t) => {
  const h = twinHarness(t, { flushIntervalMs: 10_000 });
  h.store.put('devicemodel', deviceModelObject('default', 'm', [{ name: 'temperature', type: 'INT' }]));
  h.store.put('device', deviceObject('default', 'thermo', { model: 'm', nodeName: 'edge-1', props: [{ name: 'temperature', desired: '20' }] }));
  h.mqtt('$hw/events/device/default/thermo/twin/update', { twin: { temperature: { expected: { value: '22' } } } });
  await settle();
  const version = (): unknown => h.db.prepare("SELECT expected, expected_version FROM device_twin WHERE name = 'temperature'").get();
  assert.deepEqual(version(), { expected: '22', expected_version: '{"cloud":1,"edge":1}' });
  h.twin.onLinkConnected();
  h.hub.enqueued.length = 0;

  const resource = 'device/default/thermo/twin/cloud_updated';
  const stale = { event_id: 'c1', timestamp: 1, twin: { temperature: { expected: { value: '50' }, expected_version: { cloud: 2, edge: 0 } } } };
  assert.equal(h.twin.handleCloud(twinMsg(resource, stale)), true);
  await settle();
  assert.deepEqual(version(), { expected: '22', expected_version: '{"cloud":1,"edge":1}' }, 'the edge change wins');
  h.twin.onLinkConnected();
  const back = h.hub.contents()[0]?.content['twin'] as Record<string, { expected: { value: string } }>;
  assert.equal(back['temperature']?.expected.value, '22', 'and is reported back to the cloud');

  h.bus.clear();
  const current = { event_id: 'c2', timestamp: 2, twin: { temperature: { expected: { value: '50' }, expected_version: { cloud: 2, edge: 1 } } } };
  h.twin.handleCloud(twinMsg(resource, current));
  await settle();
  assert.deepEqual(version(), { expected: '50', expected_version: '{"cloud":2,"edge":1}' });
  assert.deepEqual(h.bus.last('/twin/update/delta')?.['delta'], { temperature: '50' });
});

test('messages devicetwin does not know are left to others', (t) => {
  const h = twinHarness(t);
  assert.equal(h.twin.handleCloud(twinMsg('default/pod/nginx', {})), false);
  assert.equal(h.twin.handleCloud(twinMsg('membership', '{broken')), true);
});
