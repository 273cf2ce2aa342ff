import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deviceModelObject, deviceObject } from '../../testing/devicetwin-fakes.js';
import { settle, twinHarness, type TwinHarness } from '../../testing/devicetwin-harness.js';

const T = '$hw/events/device/default/thermo';

function addThermo(h: TwinHarness, desired = '25', nodeName = 'edge-1'): void {
  h.store.put('devicemodel', deviceModelObject('default', 'thermo-model', [
    { name: 'temperature', type: 'INT' }, { name: 'switch', type: 'BOOLEAN' }, { name: 'label', type: 'STRING' },
  ]));
  h.store.put('device', deviceObject('default', 'thermo', {
    model: 'thermo-model', nodeName, props: [{ name: 'temperature', desired }, { name: 'switch' }, { name: 'label' }],
  }));
}

type TwinRow = { name: string; expected: string | null; actual: string | null; expected_version: string | null; optional: number; attr_type: string; expected_meta: string | null };
function twinRows(h: TwinHarness): TwinRow[] {
  return h.db.prepare("SELECT * FROM device_twin WHERE deviceid = 'default/thermo' ORDER BY name").all() as TwinRow[];
}

test('a Device object becomes a device row and one twin per property, typed by its model', async (t) => {
  const h = twinHarness(t, { now: () => 1_700_000_000_000 });
  addThermo(h);
  await settle();
  const device = h.db.prepare('SELECT * FROM device').all();
  assert.deepEqual(device, [{ id: 'default/thermo', name: 'thermo', description: '', state: '', last_online: '' }]);
  const rows = twinRows(h);
  assert.deepEqual(rows.map((r) => [r.name, r.attr_type, r.optional, r.expected]), [
    ['label', 'string', 0, null], ['switch', 'boolean', 0, null], ['temperature', 'int', 0, '25'],
  ]);
  const temp = rows.find((r) => r.name === 'temperature');
  assert.equal(temp?.expected_version, '{"cloud":1,"edge":0}');
  assert.equal(temp?.expected_meta, '{"timestamp":1700000000000}');

  const membership = h.bus.last('/membership/updated');
  assert.equal(h.bus.topics()[0], '$hw/events/node/edge-1/membership/updated');
  assert.equal(membership?.['removed_devices'], null);
  assert.equal((membership?.['added_devices'] as { id: string }[])[0]?.id, 'default/thermo');

  const delta = h.bus.last(`${T}/twin/update/delta`);
  assert.deepEqual(delta?.['delta'], { temperature: '25' });
  assert.deepEqual(delta?.['twin'], {
    temperature: { expected: { value: '25', metadata: { timestamp: 1_700_000_000_000 } }, optional: false, metadata: { type: 'int' } },
  });
  const doc = h.bus.last(`${T}/twin/update/document`)?.['twin'] as Record<string, { last: unknown; current: unknown }>;
  assert.deepEqual(Object.keys(doc).sort(), ['label', 'switch', 'temperature']);
  assert.equal(doc['temperature']?.last, null);
  assert.deepEqual(h.hub.enqueued, [], 'desired values come from the cloud: nothing is reported back');
});

test('a changed desired value bumps the cloud version and publishes a delta; an unchanged one publishes nothing', async (t) => {
  const h = twinHarness(t);
  addThermo(h);
  await settle();
  h.bus.clear();
  addThermo(h, '25');
  await settle();
  assert.deepEqual(h.bus.topics(), []);
  addThermo(h, '30');
  await settle();
  assert.equal(twinRows(h).find((r) => r.name === 'temperature')?.expected_version, '{"cloud":2,"edge":0}');
  assert.deepEqual(h.bus.last(`${T}/twin/update/delta`)?.['delta'], { temperature: '30' });
  const doc = h.bus.last(`${T}/twin/update/document`)?.['twin'] as Record<string, { last: { expected: { value: string } } }>;
  assert.equal(doc['temperature']?.last.expected.value, '25');
});

test('a removed property removes its twin; a model change re-types the twins', async (t) => {
  const h = twinHarness(t);
  addThermo(h);
  await settle();
  h.store.put('device', deviceObject('default', 'thermo', { model: 'thermo-model', nodeName: 'edge-1', props: [{ name: 'temperature' }] }));
  await settle();
  assert.deepEqual(twinRows(h).map((r) => r.name), ['temperature']);
  h.store.put('devicemodel', deviceModelObject('default', 'thermo-model', [{ name: 'temperature', type: 'DOUBLE' }]));
  await settle();
  assert.equal(twinRows(h)[0]?.attr_type, 'double');
});

test('deleting the Device object, or moving it to another node, removes the device', async (t) => {
  const h = twinHarness(t);
  addThermo(h);
  await settle();
  h.store.remove('device', 'default', 'thermo');
  await settle();
  assert.equal(h.db.prepare('SELECT COUNT(*) FROM device').pluck().get(), 0);
  assert.equal(h.db.prepare('SELECT COUNT(*) FROM device_twin').pluck().get(), 0);
  const removed = h.bus.last('/membership/updated');
  assert.deepEqual(removed?.['removed_devices'], [{ id: 'default/thermo', name: 'thermo' }]);
  assert.equal(removed?.['added_devices'], null);

  addThermo(h);
  await settle();
  assert.equal(h.db.prepare('SELECT COUNT(*) FROM device').pluck().get(), 1);
  addThermo(h, '25', 'edge-2');
  await settle();
  assert.equal(h.db.prepare('SELECT COUNT(*) FROM device').pluck().get(), 0);
});

test('a restart keeps twins and actual values, and drops devices whose object went away meanwhile', async (t) => {
  const h = twinHarness(t);
  addThermo(h);
  await settle();
  h.mqtt(`${T}/twin/update`, { event_id: 'e1', timestamp: 0, twin: { temperature: { actual: { value: '21' } } } });
  await settle();
  h.restart();
  h.bus.clear();
  h.mqtt(`${T}/twin/get`, { event_id: 'g1' });
  await settle();
  const twin = h.bus.last(`${T}/twin/get/result`)?.['twin'] as Record<string, { actual?: { value: string }; expected?: { value: string } }>;
  assert.equal(twin['temperature']?.actual?.value, '21');
  assert.equal(twin['temperature']?.expected?.value, '25');
  h.twin.stop();
  h.store.remove('device', 'default', 'thermo');
  h.restart();
  await settle();
  assert.equal(h.db.prepare('SELECT COUNT(*) FROM device').pluck().get(), 0);
});
