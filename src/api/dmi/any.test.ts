import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import {
  AnyCodecError, decodeAny, decodeCustomized, encodeAny, encodeCustomized, float32ToNumber, WRAPPER_TYPE_PREFIX,
} from './any.js';

// protobufjs (a dependency of @grpc/proto-loader) is CommonJS; it writes the wrappers as Go's protobuf does.
const require = createRequire(import.meta.url);
const protobuf = require('protobufjs') as typeof import('protobufjs');
const wrappers = protobuf.Root.fromJSON(protobuf.common.get('google/protobuf/wrappers.proto') as protobuf.INamespace);

function pbjs(type: string, value: unknown): { type_url: string; value: Buffer } {
  const t = wrappers.lookupType(`google.protobuf.${type}`);
  return { type_url: WRAPPER_TYPE_PREFIX + type, value: Buffer.from(t.encode(t.fromObject({ value })).finish()) };
}

function pbjsDecode(type: string, bytes: Uint8Array): unknown {
  const t = wrappers.lookupType(`google.protobuf.${type}`);
  return t.toObject(t.decode(bytes), { longs: String, bytes: Buffer, defaults: true })['value'];
}

test('encodeAny picks the wrapper KubeEdge dataToAny picks', () => {
  assert.equal(encodeAny('HoldingRegister').type_url, 'type.googleapis.com/google.protobuf.StringValue');
  assert.equal(encodeAny(true).type_url, 'type.googleapis.com/google.protobuf.BoolValue');
  assert.equal(encodeAny(2).type_url, 'type.googleapis.com/google.protobuf.FloatValue');
  assert.equal(encodeAny(0.1).type_url, 'type.googleapis.com/google.protobuf.FloatValue');
  assert.equal(encodeAny({ a: 1 }).type_url, 'type.googleapis.com/google.protobuf.StringValue');
});

test('integers float32 cannot hold exactly become Int64Value', () => {
  assert.equal(encodeAny(16_777_216).type_url, WRAPPER_TYPE_PREFIX + 'FloatValue');
  const big = encodeAny(16_777_217);
  assert.equal(big.type_url, WRAPPER_TYPE_PREFIX + 'Int64Value');
  assert.equal(decodeAny(big), 16_777_217);
  assert.equal(decodeAny(encodeAny(-9_007_199_254_740_991)), -9_007_199_254_740_991);
  assert.equal(decodeAny(encodeAny(2n ** 63n - 1n)), '9223372036854775807');
});

test('round trips of scalars through our encoder and decoder', () => {
  for (const v of ['', 'x', 'ünïcødé', true, false, 0, 1, -1, 2, 21.5, 0.1, -3.25, 1e-7, 65535]) {
    assert.deepEqual(decodeAny(encodeAny(v)), v, `value ${String(v)}`);
  }
  assert.deepEqual(decodeAny(encodeAny(Buffer.from([1, 2, 3]))), Buffer.from([1, 2, 3]));
});

test('float32 loses digits KubeEdge also loses; decoding gives the shortest decimal of the float32', () => {
  assert.equal(decodeAny(encodeAny(3.14159265358979)), 3.1415927);
  assert.equal(float32ToNumber(Math.fround(0.1)), 0.1);
  assert.equal(float32ToNumber(Math.fround(21.7)), 21.7);
});

test('objects and arrays travel as the StringValue of their JSON', () => {
  assert.equal(decodeAny(encodeAny({ slaveID: 1, nested: [1, 'a'] })), '{"slaveID":1,"nested":[1,"a"]}');
  assert.equal(decodeAny(encodeAny([1, 2])), '[1,2]');
});

test('values with no Any form are AnyCodecError', () => {
  assert.throws(() => encodeAny(null), AnyCodecError);
  assert.throws(() => encodeAny(undefined), AnyCodecError);
  assert.throws(() => encodeAny(() => 1), AnyCodecError);
});

test('decodeAny reads the bytes protobufjs writes for each wrapper', () => {
  const cases: [string, unknown, unknown][] = [
    ['StringValue', 'HoldingRegister', 'HoldingRegister'],
    ['StringValue', '', ''],
    ['BoolValue', true, true],
    ['BoolValue', false, false],
    ['Int32Value', -5, -5],
    ['Int32Value', 2147483647, 2147483647],
    ['UInt32Value', 4294967295, 4294967295],
    ['Int64Value', '-1', -1],
    ['Int64Value', '9007199254740993', '9007199254740993'],
    ['UInt64Value', '18446744073709551615', '18446744073709551615'],
    ['UInt64Value', 42, 42],
    ['FloatValue', 0.1, 0.1],
    ['FloatValue', -2.5, -2.5],
    ['DoubleValue', 0.1, 0.1],
    ['DoubleValue', 1e300, 1e300],
    ['BytesValue', Buffer.from('ab'), Buffer.from('ab')],
  ];
  for (const [type, input, want] of cases) {
    assert.deepEqual(decodeAny(pbjs(type, input)), want, `${type} ${String(input)}`);
  }
});

test('protobufjs reads the bytes encodeAny writes', () => {
  assert.equal(pbjsDecode('StringValue', encodeAny('coil').value), 'coil');
  assert.equal(pbjsDecode('BoolValue', encodeAny(true).value), true);
  assert.equal(pbjsDecode('BoolValue', encodeAny(false).value), false);
  assert.equal(Math.fround(pbjsDecode('FloatValue', encodeAny(0.1).value) as number), Math.fround(0.1));
  assert.equal(pbjsDecode('FloatValue', encodeAny(0).value), 0);
  assert.equal(pbjsDecode('Int64Value', encodeAny(16_777_217).value), '16777217');
  assert.equal(pbjsDecode('Int64Value', encodeAny(-16_777_217).value), '-16777217');
  assert.deepEqual(pbjsDecode('BytesValue', encodeAny(Buffer.from([9])).value), Buffer.from([9]));
});

test('decodeAny: unknown fields are skipped, the last field 1 wins, bad bytes are AnyCodecError', () => {
  // field 2 (varint 7), then field 1 "a", then field 1 "b".
  const bytes = Buffer.from([0x10, 0x07, 0x0a, 0x01, 0x61, 0x0a, 0x01, 0x62]);
  assert.equal(decodeAny({ type_url: WRAPPER_TYPE_PREFIX + 'StringValue', value: bytes }), 'b');
  assert.throws(() => decodeAny({ type_url: WRAPPER_TYPE_PREFIX + 'StringValue', value: Buffer.from([0x0a, 0x05, 0x61]) }), AnyCodecError);
  assert.throws(() => decodeAny({ type_url: WRAPPER_TYPE_PREFIX + 'Int32Value', value: Buffer.from([0x08, 0xff]) }), AnyCodecError);
  assert.throws(() => decodeAny({ type_url: WRAPPER_TYPE_PREFIX + 'FloatValue', value: Buffer.from([0x0a, 0x00]) }), AnyCodecError);
  assert.throws(() => decodeAny({ type_url: 'type.googleapis.com/my.Message', value: Buffer.alloc(0) }), AnyCodecError);
  // Any type URL prefix is accepted, as in mapper-framework.
  assert.equal(decodeAny({ type_url: 'example.com/x/google.protobuf.BoolValue', value: Buffer.from([8, 1]) }), true);
});

test('encodeCustomized / decodeCustomized round trip a Modbus visitor config', () => {
  const visitors = { register: 'HoldingRegister', offset: 2, limit: 1, scale: 0.1, isSwap: true, isRegisterSwap: false };
  const wire = encodeCustomized({ ...visitors, unset: null, missing: undefined });
  assert.deepEqual(Object.keys(wire.data ?? {}).sort(), Object.keys(visitors).sort());
  assert.deepEqual(decodeCustomized(wire), visitors);
  assert.deepEqual(encodeCustomized(undefined), { data: {} });
  assert.deepEqual(decodeCustomized(null), {});
});

test('decodeCustomized skips what it cannot read and says so', () => {
  const skipped: string[] = [];
  const out = decodeCustomized(
    { data: { ok: encodeAny('x'), odd: { type_url: 'type.googleapis.com/foo.Bar', value: Buffer.alloc(0) } } },
    (k) => skipped.push(k),
  );
  assert.deepEqual(out, { ok: 'x' });
  assert.deepEqual(skipped, ['odd']);
});
