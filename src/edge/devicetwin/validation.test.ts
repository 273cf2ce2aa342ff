import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TwinRequestError } from './errors.js';
import { parseTwinUpdate } from './parse-request.js';
import { ERROR_UNMARSHAL, isValidTwinKey, isValidTwinValue, validateTypedValue } from './validation.js';

test('twin keys and values follow dtcommon patterns', () => {
  for (const ok of ['temperature', 'a-b_c.d,e:f/g@h#i', 'x'.repeat(128)]) assert.ok(isValidTwinKey(ok), ok);
  for (const bad of ['', 'has space', 'ünï', 'x'.repeat(129), 'a+b', 'a$b']) assert.ok(!isValidTwinKey(bad), bad);
  for (const ok of ['', '-12.5', '2024-01-01T00:00:00Z', 'x'.repeat(512)]) assert.ok(isValidTwinValue(ok), ok);
  for (const bad of ['two words', 'x'.repeat(513), 'a=b', '{"json":1}']) assert.ok(!isValidTwinValue(bad), bad);
});

test('typed values follow dtcommon.ValidateValue (plus double and bytes)', () => {
  const ok: [string, string][] = [
    ['int', '-42'], ['integer', '9223372036854775807'], ['float', '1e-3'], ['float', 'NaN'], ['double', '.5'],
    ['boolean', 'true'], ['string', 'anything'], ['bytes', 'AAEC'], ['', 'x'], ['deleted', ''],
  ];
  for (const [type, value] of ok) assert.equal(validateTypedValue(type, value), undefined, `${type} ${value}`);
  const bad: [string, string][] = [
    ['int', '1.5'], ['int', '9223372036854775808'], ['float', 'abc'], ['boolean', 'True'], ['Updated', '1'],
  ];
  for (const [type, value] of bad) assert.ok(validateTypedValue(type, value), `${type} ${value}`);
});

test('payload decoding is as strict as Go: wrong JSON types fail, unknown fields do not', () => {
  const parsed = parseTwinUpdate('{"event_id":"e","timestamp":1,"extra":[1],"twin":{"a":{"actual":{"value":"1","metadata":{"timestamp":5}},"optional":false},"b":null}}');
  assert.deepEqual(parsed, { eventId: 'e', twin: { a: { actual: { value: '1', metadata: { timestamp: 5 } }, optional: false }, b: null } });
  for (const bad of ['[]', '{"event_id":1,"twin":{}}', '{"timestamp":1.5,"twin":{}}', '{"twin":{"a":{"optional":"yes"}}}', '{"twin":[]}']) {
    assert.throws(() => parseTwinUpdate(bad), (e: unknown) => e instanceof TwinRequestError && e.code === 400 && e.message === ERROR_UNMARSHAL, bad);
  }
});
