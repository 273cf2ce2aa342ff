import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildErrorResponse,
  buildResponse,
  Contents,
  decodeMessage,
  encodeMessage,
  fromWireModule,
  Groups,
  isResponse,
  Modules,
  newMessage,
  Operations,
  toWireModule,
} from './index.js';
import { keepaliveFrame, podAckFrame, podInsertFrame } from './wire-fixtures.js';

const clock = { newId: () => 'fixed-id', now: () => 1718000000000 };

describe('newMessage', () => {
  test('builds the keepalive KubeEdge sends, byte for byte apart from id and time', () => {
    const msg = newMessage(
      {
        source: toWireModule(Modules.edgehub),
        group: Groups.resource,
        operation: Operations.keepalive,
        resource: 'node',
        content: Contents.ping,
      },
      { newId: () => '0d9e8c7b-6a5f-4e3d-2c1b-a09f8e7d6c55', now: () => 1718000015000 },
    );
    assert.equal(encodeMessage(msg), keepaliveFrame);
  });

  test('uses a uuid and the current time by default', () => {
    const before = Date.now();
    const msg = newMessage({ source: 'a', group: 'g', operation: 'insert', resource: 'r', content: null });
    assert.match(msg.header.msg_id, /^[0-9a-f-]{36}$/);
    assert.ok(msg.header.timestamp >= before);
  });

  test('optional header and route fields are set only when given', () => {
    const msg = newMessage(
      {
        source: 's',
        group: 'g',
        operation: 'update',
        resource: 'r',
        content: 1,
        destination: 'd',
        parentId: 'p',
        resourceVersion: '7',
        sync: true,
        type: 'channel',
      },
      clock,
    );
    assert.deepEqual(msg.header, {
      msg_id: 'fixed-id',
      timestamp: 1718000000000,
      parent_msg_id: 'p',
      resourceversion: '7',
      sync: true,
      type: 'channel',
    });
    assert.equal(msg.route.destination, 'd');
  });
});

describe('responses', () => {
  test('buildResponse mirrors NewRespByMessage: the ack KubeEdge sends for a pod insert', () => {
    const req = decodeMessage(podInsertFrame);
    const ack = buildResponse(req, Contents.ok, {
      clock: { newId: () => '6a1d7f3c-0b5e-4d8a-a2c1-93e7b5d40f22', now: () => 1718000000456 },
    });
    assert.equal(encodeMessage(ack), podAckFrame);
    assert.ok(isResponse(ack));
    assert.ok(!isResponse(req));
  });

  test('buildResponse can name another source and keeps the context type', () => {
    const req = newMessage({ source: 'edged', group: 'meta', operation: 'query', resource: 'default/pod', content: null, type: 'channel' }, clock);
    const resp = buildResponse(req, [], { source: 'metamanager', clock });
    assert.equal(resp.route.source, 'metamanager');
    assert.equal(resp.header.type, 'channel');
    assert.equal(resp.header.parent_msg_id, 'fixed-id');
  });

  test('buildErrorResponse answers the request id with operation error', () => {
    const req = newMessage({ source: 'edged', group: 'meta', operation: 'query', resource: 'default/pod/x', content: null }, clock);
    const err = buildErrorResponse(req, 'not found', { source: 'metamanager' });
    assert.equal(err.header.parent_msg_id, req.header.msg_id);
    assert.equal(err.route.operation, 'error');
    assert.equal(err.content, 'not found');
    assert.ok(isResponse(err));
  });
});

describe('module names', () => {
  test('translate our folder names to KubeEdge wire names and back', () => {
    assert.equal(toWireModule(Modules.edgehub), 'websocket');
    assert.equal(toWireModule(Modules.devicetwin), 'twin');
    assert.equal(toWireModule(Modules.metamanager), 'metamanager');
    assert.equal(fromWireModule('websocket'), 'edgehub');
    assert.equal(fromWireModule('twin'), 'devicetwin');
    assert.equal(fromWireModule('cloudStream'), 'cloudstream');
    assert.equal(fromWireModule('edged'), 'edged');
  });

  test('operation names match the wire', () => {
    assert.equal(Operations.getResult, 'get_result');
    assert.equal(Operations.response, 'response');
    assert.equal(Operations.error, 'error');
  });
});
