import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { deviceModelObject, deviceObject } from '../../testing/devicetwin-fakes.js';
import { settle, twinHarness, type TwinHarness } from '../../testing/devicetwin-harness.js';

const topic = (dev: string, event: string): string => `$hw/events/device/default/${dev}/${event}`;

async function withDevices(t: { after(fn: () => void): void }, names: string[], flushIntervalMs = 20): Promise<TwinHarness> {
  const h = twinHarness(t, { flushIntervalMs });
  h.store.put('devicemodel', deviceModelObject('default', 'm', [{ name: 'temperature', type: 'INT' }, { name: 'switch', type: 'BOOLEAN' }]));
  for (const name of names) {
    h.store.put('device', deviceObject('default', name, { model: 'm', nodeName: 'edge-1', props: [{ name: 'temperature' }, { name: 'switch' }] }));
  }
  await settle();
  return h;
}

function actual(h: TwinHarness, dev: string, twin: string, value: string): void {
  h.mqtt(topic(dev, 'twin/update'), { twin: { [twin]: { actual: { value } } } });
}

const pendingRows = (h: TwinHarness): number => h.db.prepare('SELECT COUNT(*) FROM device_twin_pending').pluck().get() as number;

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await sleep(10);
}

test('reports are coalesced per device: the first change goes at once, later ones in one edge_updated with the latest values', async (t) => {
  const h = await withDevices(t, ['a'], 10_000);
  actual(h, 'a', 'temperature', '1');
  await until(() => h.hub.enqueued.length > 0);
  assert.equal(h.hub.enqueued.length, 1, 'a change after a quiet period is sent at once');
  for (const v of ['2', '3']) {
    actual(h, 'a', 'temperature', v);
    await settle();
  }
  actual(h, 'a', 'switch', 'true');
  await settle();
  assert.equal(h.hub.enqueued.length, 1, 'later changes wait for the flush interval');
  h.twin.onLinkConnected();
  assert.equal(h.hub.enqueued.length, 2);
  const msg = h.hub.enqueued[1];
  assert.deepEqual(msg?.route, { source: 'twin', group: 'resource', operation: 'update', resource: 'device/default/a/twin/edge_updated' });
  assert.equal(typeof msg?.content, 'string', 'KubeEdge sends the content as a JSON string');
  const twin = h.hub.contents()[1]?.content['twin'] as Record<string, { actual: { value: string }; actual_version: unknown; metadata: unknown }>;
  assert.equal(twin['temperature']?.actual.value, '3');
  assert.deepEqual(twin['temperature']?.actual_version, { cloud: 0, edge: 3 });
  assert.deepEqual(twin['temperature']?.metadata, { type: 'int' });
  assert.equal(twin['switch']?.actual.value, 'true');
  assert.equal(pendingRows(h), 0);
  assert.equal(h.twin.metrics().cloudReports, 2);
});

test('reports wait while the outbox is backlogged, coalescing meanwhile', async (t) => {
  const h = await withDevices(t, ['a'], 20);
  let depth = 500;
  (h.hub as { outboxDepth?: () => number }).outboxDepth = () => depth;
  for (const v of ['1', '2', '3']) {
    actual(h, 'a', 'temperature', v);
    await sleep(30);
  }
  assert.equal(h.hub.enqueued.length, 0, 'nothing is added to a long outbox');
  depth = 0;
  await until(() => h.hub.enqueued.length > 0);
  assert.equal(h.hub.enqueued.length, 1);
  const twin = h.hub.contents()[0]?.content['twin'] as Record<string, { actual: { value: string } }>;
  assert.equal(twin['temperature']?.actual.value, '3');
});

test('while connected, the flush timer sends pending reports', async (t) => {
  const h = await withDevices(t, ['a'], 20);
  actual(h, 'a', 'temperature', '1');
  await until(() => h.hub.enqueued.length > 0);
  assert.equal(h.hub.enqueued.length, 1);
  assert.equal(pendingRows(h), 0);
});

test('offline, reports wait in SQLite; on reconnect they go out in the order of first change', async (t) => {
  const h = await withDevices(t, ['a', 'b']);
  h.hub.connected = false;
  actual(h, 'b', 'temperature', '1');
  await settle();
  actual(h, 'a', 'temperature', '2');
  await settle();
  h.mqtt(topic('b', 'state/update'), { state: 'online' });
  await sleep(60);
  assert.equal(h.hub.enqueued.length, 0);
  assert.equal(pendingRows(h), 3);

  h.hub.connected = true;
  actual(h, 'b', 'switch', 'false');
  actual(h, 'b', 'temperature', '5');
  h.twin.onLinkConnected();
  assert.deepEqual(h.hub.enqueued.map((m) => m.route.resource), [
    'device/default/b/twin/edge_updated', 'device/default/a/twin/edge_updated', 'device/default/b/state/update',
  ]);
  const [b, , state] = h.hub.contents();
  const bTwin = b?.content['twin'] as Record<string, { actual: { value: string } }>;
  assert.deepEqual(Object.fromEntries(Object.entries(bTwin).map(([k, v]) => [k, v.actual.value])), { temperature: '5', switch: 'false' },
    'the latest values, including the update committed in the same turn as the reconnect');
  assert.equal((state?.content['device'] as { state: string }).state, 'online');
  assert.equal(pendingRows(h), 0);
});

test('pending reports survive a restart', async (t) => {
  const h = await withDevices(t, ['a']);
  h.hub.connected = false;
  actual(h, 'a', 'temperature', '7');
  h.twin.reportState('default', 'a', 'unhealthy');
  await settle();
  h.restart();
  assert.equal(h.hub.enqueued.length, 0);
  h.hub.connected = true;
  h.twin.onLinkConnected();
  const contents = h.hub.contents();
  assert.equal(contents.length, 2);
  assert.equal((contents[0]?.content['twin'] as Record<string, { actual: { value: string } }>)['temperature']?.actual.value, '7');
  assert.deepEqual(contents[1]?.content['device'], { name: 'a', state: 'unhealthy' });
});

test('mapper reports update actual values without a result topic; a bad property does not hold back the others', async (t) => {
  const h = await withDevices(t, ['a']);
  h.bus.clear();
  h.twin.reportTwins('default', 'a', [
    { propertyName: 'temperature', reported: { value: '30' }, observedDesired: { value: '99' } },
    { propertyName: 'switch', reported: { value: 'maybe' } },
  ]);
  h.twin.reportTwins('default', 'ghost', [{ propertyName: 'temperature', reported: { value: '1' } }]);
  await settle();
  assert.equal(h.bus.on('/twin/update/result').length, 0);
  assert.ok(h.bus.topics().includes(topic('a', 'twin/update/document')));
  const row = h.db.prepare("SELECT actual, expected FROM device_twin WHERE deviceid = 'default/a' AND name = 'temperature'").get();
  assert.deepEqual(row, { actual: '30', expected: null }, 'observedDesired is not taken as the expected value');
  assert.equal(h.twin.metrics().rejected, 2);
});

test('a failed write answers 500 and leaves memory as SQLite has it', async (t) => {
  const h = await withDevices(t, ['a']);
  actual(h, 'a', 'temperature', '1');
  await settle();
  h.db.exec("CREATE TRIGGER fail_twin BEFORE UPDATE ON device_twin BEGIN SELECT RAISE(ABORT, 'disk trouble'); END");
  h.bus.clear();
  h.mqtt(topic('a', 'twin/update'), { event_id: 'x', twin: { temperature: { actual: { value: '2' } } } });
  h.mqtt(topic('a', 'twin/get'), { event_id: 'g' });
  await settle();
  assert.deepEqual(h.bus.topics(), [topic('a', 'twin/update/result'), topic('a', 'twin/get/result')]);
  assert.equal(h.bus.last('/twin/update/result')?.['code'], 500);
  const twin = h.bus.last('/twin/get/result')?.['twin'] as Record<string, { actual: { value: string } }>;
  assert.equal(twin['temperature']?.actual.value, '1', 'a read answered after the failed write shows what SQLite has');
  h.db.exec('DROP TRIGGER fail_twin');
  actual(h, 'a', 'temperature', '3');
  await settle();
  assert.equal(h.bus.last('/twin/update/result')?.['code'], undefined);
  await sleep(60);
  const reported = h.hub.contents().map((c) => (c.content['twin'] as Record<string, { actual: { value: string } }>)['temperature']?.actual.value);
  // '1' may go alone (leading edge) or be coalesced into the report of '3'; the refused '2' never goes.
  assert.ok(!reported.includes('2'), `the refused value is never reported: ${JSON.stringify(reported)}`);
  assert.equal(reported.at(-1), '3');
});

test('throughput sanity: 10,000 updates across 100 devices all get results and are in SQLite', async (t) => {
  const names = Array.from({ length: 100 }, (_, i) => `d${i}`);
  const h = await withDevices(t, names, 10_000);
  h.bus.clear();
  const started = process.hrtime.bigint();
  for (let round = 0; round < 100; round++) {
    for (const name of names) actual(h, name, 'temperature', String(round));
    await settle();
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const results = h.bus.on('/twin/update/result');
  assert.equal(results.length, 10_000);
  assert.ok(results.every((r) => r['code'] === undefined));
  const values = h.db.prepare("SELECT DISTINCT actual FROM device_twin WHERE name = 'temperature'").pluck().all();
  assert.deepEqual(values, ['99']);
  assert.equal(pendingRows(h), 100, 'one pending report per device, not per update');
  t.diagnostic(`10,000 updates in ${ms.toFixed(0)} ms (${Math.round(10_000 / (ms / 1000))}/s), ${h.twin.metrics().dbBatches} transactions`);
});

test('a flush enqueues only the room left in the outbox, oldest first; the rest follows', async (t) => {
  const h = await withDevices(t, ['a', 'b', 'c'], 20);
  let acked = false; // until then the outbox keeps what was enqueued, over 99 rows of others: room for one
  (h.hub as { outboxDepth?: () => number }).outboxDepth = () => (acked ? 0 : 99 + h.hub.enqueued.length);
  for (const dev of ['a', 'b', 'c']) actual(h, dev, 'temperature', '5');
  await until(() => h.hub.enqueued.length > 0);
  await sleep(60);
  assert.deepEqual(h.hub.enqueued.map((m) => m.route.resource), ['device/default/a/twin/edge_updated']);
  acked = true;
  await until(() => h.hub.enqueued.length === 3);
  assert.deepEqual(h.hub.enqueued.map((m) => m.route.resource).slice(1), ['device/default/b/twin/edge_updated', 'device/default/c/twin/edge_updated']);
  assert.equal(pendingRows(h), 0);
});
