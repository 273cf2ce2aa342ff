import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestLogger } from '../../core/index.js';
import { LogThrottle } from './log-throttle.js';
import { recordingRoutes } from './test-kit.js';
import type { EventBusMetrics } from './types.js';
import { createUplink, isTwinTopic } from './uplink.js';

function setup(maxPayloadBytes = 10) {
  const rec = recordingRoutes();
  const log = createTestLogger();
  let t = 0;
  const metrics: EventBusMetrics = { received: 0, published: 0, dropped: 0, oversized: 0, reconnects: 0 };
  const up = createUplink({ routes: rec.routes, maxPayloadBytes, metrics, warn: new LogThrottle(log, () => t), clock: { now: () => 42, newId: () => 'id-1' } });
  return { rec, log, metrics, up, advance: (ms: number) => { t += ms; } };
}

test('device and node topics go to devicetwin with the raw payload', () => {
  assert.equal(isTwinTopic('$hw/events/device/default/d1/twin/update'), true);
  assert.equal(isTwinTopic('$hw/events/node/edge-1/membership/get'), true);
  assert.equal(isTwinTopic('$hw/events/device'), true);
  assert.equal(isTwinTopic('$hw/events/devices/x'), false);
  assert.equal(isTwinTopic('$hw/events/upload/x'), false);
  const { rec, up, metrics } = setup(1);
  up('$hw/events/device/default/d1/twin/update', Buffer.from('{"big":"payload"}'));
  assert.deepEqual(rec.twin, [{ topic: '$hw/events/device/default/d1/twin/update', payload: '{"big":"payload"}' }]);
  assert.equal(metrics.received, 1);
});

test("uploads become KubeEdge's upload message: source bus, group user, resource = topic", () => {
  const { rec, up } = setup();
  up('SYS/dis/upload_records', Buffer.from('rec'));
  up('$hw/events/upload/temp', Buffer.from('21.5'));
  up('app/user/x', Buffer.from('u'));
  assert.deepEqual(rec.cloud[0], {
    header: { msg_id: 'id-1', timestamp: 42 },
    route: { source: 'bus', group: 'user', operation: 'upload', resource: 'SYS/dis/upload_records' },
    content: 'rec',
  });
  assert.deepEqual(rec.cloud.map((m) => m.route.resource), ['SYS/dis/upload_records', '$hw/events/upload/temp', 'app/user/x']);
});

test('oversized uploads are dropped, counted and warned once per interval', () => {
  const { rec, up, metrics, log, advance } = setup(4);
  for (let i = 0; i < 5; i++) up('$hw/events/upload/x', Buffer.from('12345'));
  up('$hw/events/upload/x', Buffer.from('1234'));
  assert.equal(rec.cloud.length, 1);
  assert.deepEqual([metrics.oversized, metrics.dropped, metrics.received], [5, 5, 6]);
  assert.equal(log.find('upload dropped: payload too large').length, 1);
  advance(61_000);
  up('$hw/events/upload/x', Buffer.from('12345'));
  const lines = log.find('upload dropped: payload too large');
  assert.equal(lines.length, 2);
  assert.equal(lines[1]?.['suppressedSinceLast'], 4);
});

test('a route that throws is counted, not thrown', () => {
  const { up, metrics } = setup();
  const bad = createUplink({
    routes: { twin: () => { throw new Error('boom'); }, cloud: () => {} },
    maxPayloadBytes: 10, metrics, warn: new LogThrottle(createTestLogger(), () => 0), clock: {},
  });
  bad('$hw/events/device/a/b/twin/update', Buffer.from('x'));
  up('x/user/y', Buffer.from('y'));
  assert.equal(metrics.dropped, 1);
});
