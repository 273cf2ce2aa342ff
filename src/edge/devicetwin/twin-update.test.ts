import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deviceModelObject, deviceObject } from '../../testing/devicetwin-fakes.js';
import { settle, twinHarness, type TwinHarness } from '../../testing/devicetwin-harness.js';
import { ERROR_KEY, ERROR_UNMARSHAL, ERROR_VALUE } from './validation.js';

const T = '$hw/events/device/default/thermo';
const NOW = 1_700_000_000_000;

async function withThermo(t: { after(fn: () => void): void }, extra: Parameters<typeof twinHarness>[1] = {}): Promise<TwinHarness> {
  const h = twinHarness(t, { now: () => NOW, ...extra });
  h.store.put('devicemodel', deviceModelObject('default', 'm', [{ name: 'temperature', type: 'INT' }, { name: 'switch', type: 'BOOLEAN' }]));
  h.store.put('device', deviceObject('default', 'thermo', { model: 'm', nodeName: 'edge-1', props: [{ name: 'temperature', desired: '25' }, { name: 'switch' }] }));
  await settle();
  h.bus.clear();
  return h;
}

function row(h: TwinHarness, name: string): Record<string, unknown> | undefined {
  return h.db.prepare("SELECT * FROM device_twin WHERE deviceid = 'default/thermo' AND name = ?").get(name) as Record<string, unknown> | undefined;
}

async function update(h: TwinHarness, body: unknown): Promise<Record<string, unknown> | undefined> {
  h.mqtt(`${T}/twin/update`, body);
  await settle();
  return h.bus.last(`${T}/twin/update/result`);
}

test('an update is committed, then answered with result, document and delta', async (t) => {
  const h = await withThermo(t);
  const result = await update(h, { event_id: 'e1', timestamp: 1, twin: { temperature: { actual: { value: '20' }, metadata: { type: 'Updated' } } } });
  assert.deepEqual(result, {
    event_id: 'e1', timestamp: NOW,
    twin: { temperature: { actual: { value: '20', metadata: { timestamp: NOW } }, optional: false, metadata: { type: 'int' } } },
  });
  assert.deepEqual(h.bus.topics(), [`${T}/twin/update/result`, `${T}/twin/update/document`, `${T}/twin/update/delta`]);
  assert.equal(row(h, 'temperature')?.['actual'], '20');
  assert.equal(row(h, 'temperature')?.['actual_version'], '{"cloud":0,"edge":1}');
  const doc = h.bus.last('/twin/update/document')?.['twin'] as Record<string, { last: { actual?: unknown }; current: { actual: { value: string } } }>;
  assert.equal(doc['temperature']?.last.actual, undefined);
  assert.equal(doc['temperature']?.current.actual.value, '20');
  assert.deepEqual(h.bus.last('/twin/update/delta')?.['delta'], { temperature: '25' });

  h.bus.clear();
  await update(h, { event_id: 'e2', twin: { temperature: { actual: { value: '25' } } } });
  assert.deepEqual(h.bus.topics(), [`${T}/twin/update/result`, `${T}/twin/update/document`], 'no delta once actual = expected');
  assert.equal(row(h, 'temperature')?.['actual_version'], '{"cloud":0,"edge":2}');
  assert.equal(h.twin.metrics().twinUpdates, 2);
});

test('bad requests get an error result and change nothing', async (t) => {
  const h = await withThermo(t, { maxPayloadBytes: 512 });
  const cases: [unknown, number, string | RegExp][] = [
    ['{not json', 400, ERROR_UNMARSHAL],
    [{ twin: { temperature: { actual: { value: 20 } } } }, 400, ERROR_UNMARSHAL],
    [{ event_id: 'x' }, 400, 'Update twin error, key:twin does not exist'],
    [{ event_id: 'k', twin: { 'bad key!': { actual: { value: '1' } } } }, 400, ERROR_KEY],
    [{ event_id: 'v', twin: { temperature: { actual: { value: 'two words' } } } }, 400, ERROR_VALUE],
    [{ event_id: 't', twin: { temperature: { actual: { value: 'abc' } }, switch: { actual: { value: 'true' } } } }, 400, 'the value is not int or integer'],
    [{ event_id: 'b', twin: { switch: { actual: { value: 'yes' } } } }, 400, 'the bool value must be true or false'],
    [{ event_id: 'n', twin: { newtwin: { actual: { value: '1' }, metadata: { type: 'weird' } } } }, 400, 'the value type is not allowed'],
    [{ event_id: 'd', twin: { temperature: null } }, 400, /not optional/],
    [{ event_id: 'big', twin: { temperature: { actual: { value: 'x'.repeat(600) } } } }, 400, /over the limit of 512 bytes/],
  ];
  for (const [body, code, reason] of cases) {
    h.bus.clear();
    const result = await update(h, body);
    assert.equal(result?.['code'], code, JSON.stringify(body).slice(0, 80));
    if (typeof reason === 'string') assert.equal(result?.['reason'], reason);
    else assert.match(String(result?.['reason']), reason);
    assert.deepEqual(h.bus.topics(), [`${T}/twin/update/result`], 'no document or delta for a refused update');
  }
  assert.equal((await update(h, { event_id: 'k', twin: { 'bad key!': {} } }))?.['event_id'], 'k', 'the event id is echoed');
  assert.equal(row(h, 'temperature')?.['actual'], null);
  assert.equal(row(h, 'switch')?.['actual'], null, 'a refused update changes no twin, not even the valid ones');
  assert.equal(h.twin.metrics().rejected, cases.length + 1);
});

test('an unknown device gets 404', async (t) => {
  const h = await withThermo(t);
  h.mqtt('$hw/events/device/default/ghost/twin/update', { event_id: 'e', twin: { a: { actual: { value: '1' } } } });
  await settle();
  const r = h.bus.last('$hw/events/device/default/ghost/twin/update/result');
  assert.equal(r?.['code'], 404);
  assert.equal(r?.['event_id'], 'e');
});

test('an update carrying an older version than the stored one is refused with 409', async (t) => {
  const h = await withThermo(t);
  await update(h, { twin: { temperature: { actual: { value: '1' } } } });
  await update(h, { twin: { temperature: { actual: { value: '2' } } } });
  const stale = await update(h, { event_id: 's', twin: { temperature: { actual: { value: '3' }, actual_version: { cloud: 0, edge: 1 } } } });
  assert.equal(stale?.['code'], 409);
  assert.match(String(stale?.['reason']), /older than the stored \{cloud:0,edge:2\}/);
  const current = await update(h, { event_id: 'c', twin: { temperature: { actual: { value: '4' }, actual_version: { cloud: 0, edge: 2 } } } });
  assert.equal(current?.['code'], undefined);
  assert.equal(row(h, 'temperature')?.['actual'], '4');
  const desired = await update(h, { twin: { temperature: { expected: { value: '9' }, expected_version: { cloud: 0, edge: 0 } } } });
  assert.equal(desired?.['code'], 409, 'the cloud set version 1 of the expected value');
});

test('a device app creates optional twins and may delete them; a deleted twin comes back on update', async (t) => {
  const h = await withThermo(t);
  const created = await update(h, { event_id: 'n', twin: { humidity: { actual: { value: '40' }, metadata: { type: 'float' } } } });
  assert.deepEqual(created?.['twin'], { humidity: { actual: { value: '40', metadata: { timestamp: NOW } }, optional: true, metadata: { type: 'float' } } });
  assert.equal(row(h, 'humidity')?.['optional'], 1);
  h.bus.clear();
  const deleted = await update(h, { event_id: 'del', twin: { humidity: null } });
  assert.deepEqual(deleted?.['twin'], { humidity: null });
  assert.equal(row(h, 'humidity')?.['attr_type'], 'deleted');
  assert.equal(row(h, 'humidity')?.['actual'], null);
  const doc = h.bus.last('/twin/update/document')?.['twin'] as Record<string, { current: unknown }>;
  assert.equal(doc['humidity']?.current, null);
  h.mqtt(`${T}/twin/get`, { event_id: 'g' });
  await settle();
  assert.equal((h.bus.last('/twin/get/result')?.['twin'] as Record<string, unknown>)['humidity'], undefined);
  assert.equal((await update(h, { twin: { humidity: { metadata: { type: 'deleted' } } } }))?.['code'], undefined, 'deleting twice is fine');
  await update(h, { twin: { humidity: { actual: { value: '41' } } } });
  assert.equal(row(h, 'humidity')?.['attr_type'], 'string');
  assert.equal(row(h, 'humidity')?.['actual'], '41');
  assert.equal((await update(h, { twin: { nothere: null } }))?.['code'], 400);
});

test('twin get, state update and membership get answer on their result topics', async (t) => {
  const h = await withThermo(t);
  h.mqtt(`${T}/twin/get`, { event_id: 'g1', timestamp: 0 });
  h.mqtt('$hw/events/device/default/ghost/twin/get', { event_id: 'g2' });
  await settle();
  const [ok, missing] = h.bus.on('/twin/get/result');
  assert.equal(ok?.['event_id'], 'g1');
  assert.deepEqual(Object.keys(ok?.['twin'] as object).sort(), ['switch', 'temperature']);
  assert.equal(missing?.['code'], 404);

  h.mqtt(`${T}/state/update`, { event_id: 's1', state: 'online' });
  h.mqtt(`${T}/state/update`, { event_id: 's2', state: 'sleepy' });
  await settle();
  const [online, bad] = h.bus.on('/state/update/result');
  assert.deepEqual(online, { event_id: 's1', timestamp: NOW, device: { name: 'thermo', state: 'online', lastOnlineTime: '2023-11-14T22:13:20Z' } });
  assert.equal(bad?.['code'], 400);
  const dev = h.db.prepare('SELECT state, last_online FROM device').get();
  assert.deepEqual(dev, { state: 'online', last_online: '2023-11-14T22:13:20Z' });

  h.mqtt('$hw/events/node/edge-1/membership/get', { event_id: 'm1' });
  h.mqtt('$hw/events/node/edge-2/membership/get', { event_id: 'm2' });
  await settle();
  const members = h.bus.on('/membership/get/result');
  assert.equal(members.length, 1, "another node's request is not answered");
  assert.equal(h.bus.last('$hw/events/node/edge-1/membership/get/result')?.['event_id'], 'm1');
  const devices = members[0]?.['devices'] as { id: string; state: string; twin: object }[];
  assert.deepEqual(devices.map((d) => [d.id, d.state, Object.keys(d.twin).sort()]), [['default/thermo', 'online', ['switch', 'temperature']]]);
});
