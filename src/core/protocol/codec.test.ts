import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage, encodeMessage, ProtocolError, type Message } from './index.js';
import * as frames from './wire-fixtures.js';

function assertProtocolError(fn: () => unknown, code: string, field?: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ProtocolError, `expected ProtocolError, got ${String(err)}`);
    assert.equal(err.code, code);
    if (field !== undefined) assert.equal(err.field, field);
    return true;
  });
}

describe('decodeMessage on KubeEdge frames', () => {
  test('pod insert: header, route and content', () => {
    const msg = decodeMessage(frames.podInsertFrame);
    assert.equal(msg.header.msg_id, '1f0c2e58-8a0b-4f0e-9d2b-6c4b1f8e2a11');
    assert.equal(msg.header.timestamp, 1718000000123);
    assert.equal(msg.header.resourceversion, '4821');
    assert.equal(msg.header.parent_msg_id, undefined);
    assert.deepEqual(msg.route, {
      source: 'edgecontroller',
      group: 'resource',
      operation: 'insert',
      resource: 'default/pod/nginx',
    });
    assert.equal((msg.content as { kind: string }).kind, 'Pod');
  });

  test('ack carries parent_msg_id and "OK"', () => {
    const msg = decodeMessage(frames.podAckFrame);
    assert.equal(msg.header.parent_msg_id, '1f0c2e58-8a0b-4f0e-9d2b-6c4b1f8e2a11');
    assert.equal(msg.route.operation, 'response');
    assert.equal(msg.content, 'OK');
  });

  test('sync flag and null content', () => {
    const msg = decodeMessage(frames.syncQueryFrame);
    assert.equal(msg.header.sync, true);
    assert.equal(msg.content, null);
  });

  test('missing route fields decode as empty strings', () => {
    const msg = decodeMessage(frames.errorFrame);
    assert.equal(msg.route.source, '');
    assert.equal(msg.route.group, '');
    assert.equal(msg.route.operation, 'error');
    assert.equal(msg.content, 'configmaps "app-config" not found');
  });

  test('every fixture re-encodes byte for byte', () => {
    for (const frame of frames.allFrames) {
      assert.equal(encodeMessage(decodeMessage(frame)), frame);
    }
  });

  test('accepts a Buffer', () => {
    const msg = decodeMessage(Buffer.from(frames.keepaliveFrame));
    assert.equal(msg.route.operation, 'keepalive');
    assert.equal(msg.content, 'ping');
  });

  test('unknown keys are ignored, as Go does', () => {
    const msg = decodeMessage('{"header":{"msg_id":"a","timestamp":1,"extra":1},"route":{"group":"user"},"content":1,"x":2}');
    assert.equal(msg.route.group, 'user');
    assert.equal(msg.content, 1);
  });
});

describe('encodeMessage', () => {
  test('writes keys in Go struct order and omits empty optional fields', () => {
    const msg: Message = {
      header: { msg_id: 'id', parent_msg_id: '', timestamp: 5, resourceversion: '', sync: false, type: '' },
      route: { source: '', destination: '', group: 'resource', operation: 'query', resource: 'default/pod' },
      content: undefined,
    };
    assert.equal(
      encodeMessage(msg),
      '{"header":{"msg_id":"id","timestamp":5},"route":{"group":"resource","operation":"query","resource":"default/pod"},"content":null}',
    );
  });

  test('writes every field when set', () => {
    const msg: Message = {
      header: { type: 'channel', sync: true, resourceversion: '9', timestamp: 7, parent_msg_id: 'p', msg_id: 'm' },
      route: { resource: 'r', operation: 'o', group: 'g', destination: 'd', source: 's' },
      content: { a: 1 },
    };
    assert.equal(
      encodeMessage(msg),
      '{"header":{"msg_id":"m","parent_msg_id":"p","timestamp":7,"resourceversion":"9","sync":true,"type":"channel"},' +
        '"route":{"source":"s","destination":"d","group":"g","operation":"o","resource":"r"},"content":{"a":1}}',
    );
  });
});

describe('decodeMessage rejects bad input with typed errors', () => {
  test('non-JSON', () => assertProtocolError(() => decodeMessage('{"header":'), 'malformed_json'));
  test('not an object', () => assertProtocolError(() => decodeMessage('[1,2]'), 'bad_shape'));
  test('missing route', () =>
    assertProtocolError(() => decodeMessage('{"header":{"msg_id":"a","timestamp":1},"content":1}'), 'bad_shape', 'route'));
  test('missing header', () => assertProtocolError(() => decodeMessage('{"route":{},"content":1}'), 'bad_shape', 'header'));
  test('missing msg_id', () =>
    assertProtocolError(() => decodeMessage('{"header":{"timestamp":1},"route":{}}'), 'bad_shape', 'header.msg_id'));
  test('timestamp as string', () =>
    assertProtocolError(
      () => decodeMessage('{"header":{"msg_id":"a","timestamp":"1"},"route":{}}'),
      'bad_shape',
      'header.timestamp',
    ));
  test('route.operation as number', () =>
    assertProtocolError(
      () => decodeMessage('{"header":{"msg_id":"a","timestamp":1},"route":{"operation":3}}'),
      'bad_shape',
      'route.operation',
    ));
  test('sync as string', () =>
    assertProtocolError(
      () => decodeMessage('{"header":{"msg_id":"a","timestamp":1,"sync":"yes"},"route":{}}'),
      'bad_shape',
      'header.sync',
    ));
  test('over the size limit (string and bytes)', () => {
    assertProtocolError(() => decodeMessage(frames.podInsertFrame, { maxBytes: 100 }), 'too_large');
    assertProtocolError(() => decodeMessage(Buffer.from(frames.podInsertFrame), { maxBytes: 100 }), 'too_large');
  });
  test('multi-byte text counts bytes, not characters', () => {
    const frame = `{"header":{"msg_id":"a","timestamp":1},"route":{},"content":"${'é'.repeat(40)}"}`;
    assert.ok(frame.length < 110);
    assertProtocolError(() => decodeMessage(frame, { maxBytes: 110 }), 'too_large');
  });
  test('invalid UTF-8 bytes', () =>
    assertProtocolError(() => decodeMessage(Uint8Array.from([0x7b, 0xff, 0xfe, 0x7d])), 'bad_encoding'));
});
