import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isValidTopicFilter, isValidTopicName } from './mqtt-topic.js';

test('topic names: no wildcards, no NUL, not empty', () => {
  for (const ok of ['$hw/events/device/default/d1/twin/update', 'a', '/', 'SYS/dis/upload_records']) assert.equal(isValidTopicName(ok), true, ok);
  for (const bad of ['', 'a/+/b', 'a/#', 'a\u0000b']) assert.equal(isValidTopicName(bad), false, bad);
});

test('topic filters: + and # fill whole levels, # only last', () => {
  for (const ok of ['#', '+', '+/user/#', '$hw/events/device/+/+/twin/+', 'a/+', '/+/', 'sport/#']) assert.equal(isValidTopicFilter(ok), true, ok);
  for (const bad of ['', 'a#', 'a/#/b', 'a+/b', 'a/b+', '#/a', 'a\u0000']) assert.equal(isValidTopicFilter(bad), false, bad);
});
