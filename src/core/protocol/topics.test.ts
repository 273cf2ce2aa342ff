import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeTopicResource,
  deviceResource,
  deviceTopic,
  DeviceTopicEvents,
  EDGE_SUBSCRIPTIONS,
  encodeTopicResource,
  membershipTopic,
  MembershipTopicEvents,
  parseDeviceResource,
  parseTopic,
  ProtocolError,
  topicMatches,
  connectedTopic,
} from './index.js';

describe('device and membership topics', () => {
  test('device topics carry <ns>/<name>', () => {
    assert.equal(deviceTopic('default', 'sensor-1', DeviceTopicEvents.twinUpdate), '$hw/events/device/default/sensor-1/twin/update');
    assert.equal(
      deviceTopic('default', 'sensor-1', DeviceTopicEvents.twinUpdateDelta),
      '$hw/events/device/default/sensor-1/twin/update/delta',
    );
    assert.equal(
      deviceTopic('factory', 'plc', DeviceTopicEvents.stateUpdateResult),
      '$hw/events/device/factory/plc/state/update/result',
    );
    assert.equal(membershipTopic('edge-1', MembershipTopicEvents.getResult), '$hw/events/node/edge-1/membership/get/result');
  });

  test('every device event round-trips through parseTopic', () => {
    for (const event of Object.values(DeviceTopicEvents)) {
      assert.deepEqual(parseTopic(deviceTopic('ns', 'dev', event)), { kind: 'device', namespace: 'ns', name: 'dev', event });
    }
    for (const event of Object.values(MembershipTopicEvents)) {
      assert.deepEqual(parseTopic(membershipTopic('edge-1', event)), { kind: 'membership', node: 'edge-1', event });
    }
  });

  test('upload, records, lifecycle and foreign topics', () => {
    assert.deepEqual(parseTopic('$hw/events/upload/a/b'), { kind: 'upload', path: 'a/b' });
    assert.deepEqual(parseTopic('SYS/dis/upload_records'), { kind: 'upload_records' });
    assert.deepEqual(parseTopic(connectedTopic('mapper-1')), { kind: 'connected', clientId: 'mapper-1' });
    assert.deepEqual(parseTopic('$hw/events/disconnected/m'), { kind: 'disconnected', clientId: 'm' });
    for (const other of ['app/user/x', '$hw/events/device/only-one/twin/update', '$hw/events/device/a/b/twin/bogus']) {
      assert.deepEqual(parseTopic(other), { kind: 'other', topic: other });
    }
  });

  test('segments with MQTT wildcards or slashes are refused', () => {
    const bad = (err: unknown): boolean => err instanceof ProtocolError && err.code === 'bad_topic';
    assert.throws(() => deviceTopic('a/b', 'c', DeviceTopicEvents.twinGet), bad);
    assert.throws(() => deviceTopic('a', '+', DeviceTopicEvents.twinGet), bad);
    assert.throws(() => membershipTopic('#', MembershipTopicEvents.get), bad);
  });
});

describe('topic filters', () => {
  test('edge subscriptions match what devices and mappers publish', () => {
    const matches = (topic: string): boolean => EDGE_SUBSCRIPTIONS.some((f) => topicMatches(f, topic));
    assert.ok(matches('$hw/events/device/default/s1/twin/update'));
    assert.ok(matches('$hw/events/device/default/s1/twin/get'));
    assert.ok(matches('$hw/events/device/default/s1/state/update'));
    assert.ok(matches('$hw/events/node/edge-1/membership/get'));
    assert.ok(matches('$hw/events/upload/x/y'));
    assert.ok(matches('SYS/dis/upload_records'));
    assert.ok(matches('app/user/temperature'));
    assert.ok(!matches('$hw/events/device/default/s1/twin/update/result'));
    assert.ok(!matches('other/topic'));
  });

  test('wildcard semantics', () => {
    assert.ok(topicMatches('a/#', 'a'));
    assert.ok(topicMatches('a/#', 'a/b/c'));
    assert.ok(topicMatches('a/+/c', 'a/b/c'));
    assert.ok(!topicMatches('a/+/c', 'a/b/d'));
    assert.ok(!topicMatches('a/+', 'a/b/c'));
    assert.ok(!topicMatches('#', '$hw/x'));
    assert.ok(!topicMatches('+/user/#', '$x/user/y'));
  });
});

describe('topic and device resources', () => {
  test('base64url topic resource with padding, as Go URLEncoding', () => {
    const topic = '$hw/events/device/default/s1/twin/update';
    const res = encodeTopicResource(topic);
    assert.equal(res, Buffer.from(topic).toString('base64url').padEnd(Math.ceil(res.length / 4) * 4, '='));
    assert.equal(decodeTopicResource(res), topic);
    assert.equal(encodeTopicResource('a?>'), 'YT8-');
    assert.throws(() => decodeTopicResource('not base64!'), (e: unknown) => e instanceof ProtocolError);
  });

  test('device resources with and without the cloud prefix', () => {
    const res = deviceResource('default', 's1', DeviceTopicEvents.twinEdgeUpdated);
    assert.equal(res, 'device/default/s1/twin/edge_updated');
    assert.deepEqual(parseDeviceResource(res), { namespace: 'default', name: 's1', event: 'twin/edge_updated' });
    assert.deepEqual(parseDeviceResource('node/edge-1/device/default/s1/state/update'), {
      namespace: 'default',
      name: 's1',
      event: 'state/update',
    });
    assert.throws(() => parseDeviceResource('default/pod/x'), (e: unknown) => e instanceof ProtocolError);
  });
});
