import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newMessage, type Message } from '../../core/index.js';
import { cloudAction } from './cloud-messages.js';

/** As the cloud router sends it, after cloudhub cut "node/<node>/" from the resource. */
function fromRouter(operation: string, resource: string, content: unknown = ''): Message {
  return newMessage({ source: 'router_eventbus', group: 'user', operation, resource, content });
}

test('subscribe and unsubscribe: the resource is the topic filter', () => {
  assert.deepEqual(cloudAction(fromRouter('subscribe', 'default/my/topic/#'), 'edge-1'), { kind: 'subscribe', topic: 'default/my/topic/#' });
  assert.deepEqual(cloudAction(fromRouter('unsubscribe', 'default/my/topic/#'), 'edge-1'), { kind: 'unsubscribe', topic: 'default/my/topic/#' });
  assert.equal(cloudAction(fromRouter('subscribe', 'a/#/b'), 'edge-1').kind, 'ignore');
});

test('publish: the content string goes to the resource topic as is', () => {
  assert.deepEqual(cloudAction(fromRouter('publish', 'room/light', '{"on":true}'), 'edge-1'), { kind: 'publish', topic: 'room/light', payload: '{"on":true}' });
  const bytes = cloudAction(fromRouter('publish', 'room/light', Buffer.from('raw')), 'edge-1');
  assert.equal(bytes.kind === 'publish' && String(bytes.payload), 'raw');
  assert.equal(cloudAction(fromRouter('publish', 'room/light', { on: true }), 'edge-1').kind, 'ignore');
  assert.equal(cloudAction(fromRouter('publish', 'room/+', 'x'), 'edge-1').kind, 'ignore');
});

test('message: content.message is published as JSON on message.topic', () => {
  const inner = { topic: 'a/b', name: 'n', type: 't', content: 'aGk=' };
  const a = cloudAction(fromRouter('message', '', { message: inner }), 'edge-1');
  assert.equal(a.kind, 'publish');
  assert.equal(a.kind === 'publish' && a.topic, 'a/b');
  assert.deepEqual(a.kind === 'publish' && JSON.parse(String(a.payload)), inner);
  assert.equal(cloudAction(fromRouter('message', '', { message: { topic: 5 } }), 'edge-1').kind, 'ignore');
  assert.equal(cloudAction(fromRouter('message', '', 'text'), 'edge-1').kind, 'ignore');
});

test('get_result auth_info goes to the node authInfo result topic; others are ignored', () => {
  assert.deepEqual(cloudAction(fromRouter('get_result', 'auth_info', { ak: 'x' }), 'edge-1'), {
    kind: 'publish',
    topic: '$hw/events/node/edge-1/authInfo/get/result',
    payload: '{"ak":"x"}',
  });
  assert.equal(cloudAction(fromRouter('get_result', 'other'), 'edge-1').kind, 'ignore');
  assert.equal(cloudAction(fromRouter('delete', 'x'), 'edge-1').kind, 'ignore');
});
