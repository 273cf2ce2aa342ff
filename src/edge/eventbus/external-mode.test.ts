// The external broker is Debian's mosquitto, started by the test; mqtt.js plays the device app.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestLogger } from '../../core/index.js';
import { startMosquitto } from '../../testing/mosquitto.js';
import { device, inbox, memoryDb, newBus, recordingRoutes, waitFor } from './test-kit.js';

const TWIN_UPDATE = '$hw/events/device/default/d1/twin/update';
const dir = mkdtempSync(join(tmpdir(), 'kets-eventbus-ext-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('anonymous mosquitto: routed both ways; a kill and restart is survived with resubscription', async (t) => {
  const broker = await startMosquitto({ dir });
  t.after(() => broker.stop());
  const rec = recordingRoutes();
  const bus = newBus({ mode: 'external', db: memoryDb(), routes: rec.routes, external: { url: `tcp://127.0.0.1:${broker.port}` } });
  t.after(() => bus.stop());
  assert.deepEqual(await bus.start(), {});
  await waitFor(() => bus.externalState().kind === 'connected', 'connected');

  const dev = await device(broker.port);
  const got = inbox(dev);
  await dev.subscribeAsync('$hw/events/device/default/d1/twin/update/result', { qos: 1 });
  await dev.publishAsync(TWIN_UPDATE, 'v1', { qos: 1 });
  await dev.publishAsync('$hw/events/upload/temp', '20', { qos: 1 });
  await waitFor(() => rec.twin.length === 1 && rec.cloud.length === 1, 'device messages routed');
  assert.deepEqual(rec.twin[0], { topic: TWIN_UPDATE, payload: 'v1' });
  assert.equal(rec.cloud[0]?.route.resource, '$hw/events/upload/temp');
  bus.publish('$hw/events/device/default/d1/twin/update/result', 'ok-1');
  await waitFor(() => got.length === 1, 'result at the device');

  await broker.kill();
  await dev.endAsync(true);
  await waitFor(() => bus.externalState().kind === 'reconnecting', 'reconnecting after the kill');
  const before = bus.metrics().dropped;
  bus.publish('$hw/events/device/default/d1/twin/update/result', 'while-down');
  assert.equal(bus.metrics().dropped, before + 1);

  await broker.restart();
  await waitFor(() => bus.externalState().kind === 'connected', 'connected again', 10_000);
  assert.equal(bus.metrics().reconnects, 1);
  const dev2 = await device(broker.port);
  t.after(() => dev2.endAsync());
  // The bus's SUBSCRIBE may still be in flight right after CONNACK: publish until one is routed.
  await waitFor(() => {
    if (rec.twin.length > 1) return true;
    void dev2.publishAsync(TWIN_UPDATE, 'after-restart', { qos: 1 }).catch(() => {});
    return false;
  }, 'a message after the restart routed', 10_000);
  assert.equal(rec.twin.at(-1)?.payload, 'after-restart');
});

test('persisted sub_topics and cloud subscriptions are held on the external broker', async (t) => {
  const broker = await startMosquitto({ dir });
  t.after(() => broker.stop());
  const rec = recordingRoutes();
  const db = memoryDb();
  db.exec('CREATE TABLE sub_topics (topic text, PRIMARY KEY (topic))');
  db.prepare('INSERT INTO sub_topics (topic) VALUES (?)').run('default/stored');
  const bus = newBus({ mode: 'external', db, routes: rec.routes, external: { url: broker.url } });
  t.after(() => bus.stop());
  await bus.start();
  await waitFor(() => bus.externalState().kind === 'connected', 'connected');
  bus.subscribe('default/live/#');
  const dev = await device(broker.port);
  t.after(() => dev.endAsync());
  await waitFor(() => {
    if (rec.cloud.some((m) => m.route.resource === 'default/live/a') && rec.cloud.some((m) => m.route.resource === 'default/stored')) return true;
    void dev.publishAsync('default/live/a', 'x', { qos: 1 }).catch(() => {});
    void dev.publishAsync('default/stored', 'y', { qos: 1 }).catch(() => {});
    return false;
  }, 'both custom topics routed');
});

test('username/password: right ones connect, a wrong password shows in the state and is retried', async (t) => {
  const broker = await startMosquitto({ dir, username: 'edge', password: 's3cret' });
  t.after(() => broker.stop());
  const rec = recordingRoutes();
  const good = newBus({ mode: 'external', db: memoryDb(), routes: rec.routes, external: { url: broker.url, username: 'edge', password: 's3cret' } });
  t.after(() => good.stop());
  await good.start();
  await waitFor(() => good.externalState().kind === 'connected', 'connected with the right password');
  const dev = await device(broker.port, { username: 'edge', password: 's3cret' });
  t.after(() => dev.endAsync());
  await waitFor(() => {
    if (rec.twin.length > 0) return true;
    void dev.publishAsync(TWIN_UPDATE, 'auth-ok', { qos: 1 }).catch(() => {});
    return false;
  }, 'routed with auth');

  const log = createTestLogger();
  const bad = newBus({ mode: 'external', db: memoryDb(), routes: recordingRoutes().routes, external: { url: broker.url, username: 'edge', password: 'wrong-pw' } }, log);
  t.after(() => bad.stop());
  await bad.start();
  const state = await waitFor(() => {
    const s = bad.externalState();
    return s.kind === 'reconnecting' && s.attempt >= 2 ? s : undefined;
  }, 'a second failed attempt');
  assert.match(state.lastError, /not authorized|bad user name or password/i);
  bad.publish('x/y', 'dropped');
  assert.equal(bad.metrics().dropped, 1);
  assert.ok(!JSON.stringify(log.lines).includes('wrong-pw'), 'the password never reaches the log');
  await bad.stop();
  assert.equal(bad.externalState().kind, 'stopped');
});

test('no broker at all: start() resolves, the bus keeps retrying', async (t) => {
  const bus = newBus({ mode: 'external', db: memoryDb(), routes: recordingRoutes().routes, external: { url: 'tcp://127.0.0.1:1' } });
  t.after(() => bus.stop());
  await bus.start();
  const s = await waitFor(() => {
    const st = bus.externalState();
    return st.kind === 'reconnecting' && st.attempt >= 2 ? st : undefined;
  }, 'retries');
  assert.match(s.lastError, /ECONNREFUSED/);
});

let shared: Awaited<ReturnType<typeof startMosquitto>> | undefined;
before(async () => { shared = await startMosquitto({ dir }); });
after(() => shared?.stop());

test('both mode: devices on either broker reach the routes; publish() reaches both', async (t) => {
  const ext = shared!;
  const rec = recordingRoutes();
  const bus = newBus({ mode: 'both', db: memoryDb(), routes: rec.routes, external: { url: ext.url } });
  t.after(() => bus.stop());
  const { internalPort } = await bus.start();
  assert.ok(internalPort);
  await waitFor(() => bus.externalState().kind === 'connected', 'connected');
  const onInternal = await device(internalPort);
  const onExternal = await device(ext.port);
  t.after(() => Promise.all([onInternal.endAsync(), onExternal.endAsync()]));
  const gotInt = inbox(onInternal);
  const gotExt = inbox(onExternal);
  await onInternal.subscribeAsync('room/+', { qos: 1 });
  await onExternal.subscribeAsync('room/+', { qos: 1 });
  bus.publish('room/light', 'on');
  await waitFor(() => gotInt.length === 1 && gotExt.length === 1, 'both devices got it');
  assert.equal(bus.metrics().published, 2);
  await onInternal.publishAsync('$hw/events/device/default/a/twin/update', 'int', { qos: 1 });
  await onExternal.publishAsync('$hw/events/device/default/b/twin/update', 'ext', { qos: 1 });
  await waitFor(() => rec.twin.length === 2, 'both twin updates');
  assert.deepEqual(rec.twin.map((m) => m.payload).sort(), ['ext', 'int']);
});

test('a "broker" that answers garbage: the bus keeps running and retrying', async (t) => {
  const sockets = new Set<Socket>();
  // A CONNACK "not authorized" followed by bytes that are no MQTT packet at all.
  const server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.end(Buffer.from([0x20, 0x02, 0x00, 0x05, 0xff, 0xff, 0xff, 0xff, 0xff]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const bus = newBus({ mode: 'external', db: memoryDb(), routes: recordingRoutes().routes, external: { url: `mqtt://127.0.0.1:${port}` } });
  t.after(async () => {
    await bus.stop();
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  await bus.start();
  await waitFor(() => {
    const s = bus.externalState();
    return s.kind === 'reconnecting' && s.attempt >= 3;
  }, 'three refused dials');
  bus.publish('a/b', 'x');
  assert.equal(bus.metrics().dropped, 1);
});
