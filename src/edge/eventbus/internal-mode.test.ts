// The embedded broker on a real socket, with mqtt.js playing the device app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newMessage } from '../../core/index.js';
import { openEdgeDatabase } from '../dbm/index.js';
import { device, inbox, memoryDb, newBus, recordingRoutes, waitFor } from './test-kit.js';

const TWIN_UPDATE = '$hw/events/device/default/d1/twin/update';

async function internalBus(maxPayloadBytes?: number) {
  const rec = recordingRoutes();
  const bus = newBus({ mode: 'internal', db: memoryDb(), routes: rec.routes, ...(maxPayloadBytes ? { maxPayloadBytes } : {}) });
  const { internalPort } = await bus.start();
  assert.ok(internalPort !== undefined && internalPort > 0);
  return { rec, bus, port: internalPort };
}

test('a device publish on a twin topic reaches devicetwin; uploads reach the cloud', async (t) => {
  const { rec, bus, port } = await internalBus();
  t.after(() => bus.stop());
  const dev = await device(port);
  t.after(() => dev.endAsync());
  await dev.publishAsync(TWIN_UPDATE, '{"event_id":"1","twin":{}}', { qos: 1 });
  await dev.publishAsync('$hw/events/upload/temp', '21.5', { qos: 0 });
  await waitFor(() => rec.twin.length === 1 && rec.cloud.length === 1, 'both routes');
  assert.deepEqual(rec.twin[0], { topic: TWIN_UPDATE, payload: '{"event_id":"1","twin":{}}' });
  assert.deepEqual(rec.cloud[0]?.route, { source: 'bus', group: 'user', operation: 'upload', resource: '$hw/events/upload/temp' });
  assert.equal(rec.cloud[0]?.content, '21.5');
  assert.equal(bus.externalState().kind, 'disabled');
  assert.equal(bus.metrics().received, 2);
});

test('publish() reaches a subscribed device and does not loop back into the routes', async (t) => {
  const { rec, bus, port } = await internalBus();
  t.after(() => bus.stop());
  const dev = await device(port);
  t.after(() => dev.endAsync());
  const got = inbox(dev);
  await dev.subscribeAsync('$hw/events/device/default/d1/twin/+', { qos: 1 });
  bus.publish('$hw/events/device/default/d1/twin/get', 'from-edge');
  bus.publish('$hw/events/device/default/d1/twin/update', Buffer.from('bytes'), { qos: 0 });
  await waitFor(() => got.length === 2, 'two messages at the device');
  // Order holds per QoS level only (MQTT §4.6): the QoS 1 message waits on persistence, the QoS 0 one does not.
  assert.deepEqual(got.map((m) => m.payload).sort(), ['bytes', 'from-edge']);
  assert.equal(rec.twin.length, 0);
  assert.equal(bus.metrics().published, 2);
});

test('a message matching several filters is routed once', async (t) => {
  const { rec, bus, port } = await internalBus();
  t.after(() => bus.stop());
  bus.subscribe('$hw/events/device/#');
  const dev = await device(port);
  t.after(() => dev.endAsync());
  await dev.publishAsync(TWIN_UPDATE, 'x', { qos: 1 });
  await dev.publishAsync('$hw/events/upload/after', 'y', { qos: 1 });
  await waitFor(() => rec.cloud.length === 1, 'the later upload');
  assert.equal(rec.twin.length, 1);
});

test('oversized uploads are dropped and counted; the next one passes', async (t) => {
  const { rec, bus, port } = await internalBus(64);
  t.after(() => bus.stop());
  const dev = await device(port);
  t.after(() => dev.endAsync());
  await dev.publishAsync('SYS/dis/upload_records', 'x'.repeat(65), { qos: 1 });
  await dev.publishAsync('SYS/dis/upload_records', 'small', { qos: 1 });
  await waitFor(() => rec.cloud.length === 1, 'the small upload');
  assert.equal(rec.cloud[0]?.content, 'small');
  assert.deepEqual([bus.metrics().oversized, bus.metrics().dropped], [1, 1]);
});

test('garbage on the socket and a client cut mid-packet leave the broker serving', async (t) => {
  const { rec, bus, port } = await internalBus();
  t.after(() => bus.stop());
  for (const junk of [Buffer.from('GET / HTTP/1.1\r\n\r\n'), Buffer.from([0x10, 0xff, 0xff, 0xff, 0xff, 0x7f]), Buffer.from([0x30, 0x7f, 0x00])]) {
    await new Promise<void>((resolve) => {
      const s = createConnection({ port, host: '127.0.0.1' }, () => s.end(junk));
      s.on('error', () => resolve());
      s.on('close', () => resolve());
      s.resume();
    });
  }
  const dev = await device(port);
  t.after(() => dev.endAsync());
  await dev.publishAsync(TWIN_UPDATE, 'still-here', { qos: 1 });
  await waitFor(() => rec.twin.length === 1, 'routing after garbage');
});

test('invalid topics are dropped by publish(), never thrown', async (t) => {
  const { bus } = await internalBus();
  t.after(() => bus.stop());
  bus.publish('a/+/b', 'x');
  bus.publish('', 'x');
  assert.equal(bus.metrics().dropped, 2);
});

test('cloud subscribe/publish/unsubscribe; sub_topics survive a restart of the bus', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kets-eventbus-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const db = openEdgeDatabase(join(dir, 'edgecore.db'), { synchronous: 'NORMAL' });
  t.after(() => db.close());
  const rec = recordingRoutes();
  const cloud = (operation: string, resource: string, content: unknown = '') =>
    newMessage({ source: 'router_eventbus', group: 'user', operation, resource, content });

  const first = newBus({ mode: 'internal', db, routes: rec.routes });
  const p1 = (await first.start()).internalPort ?? 0;
  first.handleCloud(cloud('subscribe', 'default/factory/#'));
  first.handleCloud(cloud('subscribe', 'default/other'));
  const dev1 = await device(p1);
  const got = inbox(dev1);
  await dev1.subscribeAsync('room/light', { qos: 1 });
  first.handleCloud(cloud('publish', 'room/light', '{"on":true}'));
  await waitFor(() => got.length === 1, 'cloud publish at the device');
  assert.equal(got[0]?.payload, '{"on":true}');
  await dev1.publishAsync('default/factory/line1', 'm1', { qos: 1 });
  await waitFor(() => rec.cloud.length === 1, 'custom topic upload');
  first.handleCloud(cloud('unsubscribe', 'default/other'));
  await dev1.endAsync();
  await first.stop();

  assert.deepEqual(db.prepare('SELECT topic FROM sub_topics ORDER BY topic').pluck().all(), ['default/factory/#']);
  const second = newBus({ mode: 'internal', db, routes: rec.routes });
  t.after(() => second.stop());
  const p2 = (await second.start()).internalPort ?? 0;
  assert.ok(second.subscriptions().includes('default/factory/#'));
  assert.ok(!second.subscriptions().includes('default/other'));
  const dev2 = await device(p2);
  t.after(() => dev2.endAsync());
  await dev2.publishAsync('default/factory/line2', 'm2', { qos: 1 });
  await waitFor(() => rec.cloud.length === 2, 'restored subscription routed');
  assert.deepEqual(rec.cloud.map((m) => [m.route.resource, m.content]), [['default/factory/line1', 'm1'], ['default/factory/line2', 'm2']]);
});

test('unsubscribing a built-in topic keeps it; start twice is refused', async (t) => {
  const { rec, bus, port } = await internalBus();
  t.after(() => bus.stop());
  bus.unsubscribe('$hw/events/device/+/+/twin/+');
  await assert.rejects(bus.start(), /start\(\) on a bus that is running/);
  const dev = await device(port);
  t.after(() => dev.endAsync());
  await dev.publishAsync(TWIN_UPDATE, 'x', { qos: 1 });
  await waitFor(() => rec.twin.length === 1, 'twin still routed');
});
