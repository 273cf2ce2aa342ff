import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { KubeError } from './types.js';
import { LineSplitter, decodeWatchLine } from './watch-stream.js';

describe('watch stream', () => {
  test('lines split across chunks, including inside a UTF-8 character', () => {
    const s = new LineSplitter();
    const bytes = Buffer.from('{"a":"é"}\n{"b":1}\n\n{"c"');
    assert.deepEqual(s.push(bytes.subarray(0, 8)), []);
    assert.deepEqual(s.push(bytes.subarray(8)), ['{"a":"é"}', '{"b":1}']);
    assert.deepEqual(s.push(Buffer.from(':2}\n')), ['{"c":2}']);
  });

  test('events decode; ERROR 410 becomes KubeError Expired; garbage is an error', () => {
    const ev = decodeWatchLine('{"type":"ADDED","object":{"metadata":{"name":"x","resourceVersion":"5"}}}');
    assert.equal(ev.type, 'ADDED');
    assert.equal(ev.object.metadata.name, 'x');
    assert.throws(() => decodeWatchLine('{"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Gone","message":"too old resource version"}}'),
      (e: unknown) => e instanceof KubeError && e.status === 410 && e.reason === 'Expired' && e.message === 'too old resource version');
    assert.throws(() => decodeWatchLine('{"type":"ERROR","object":{"code":500,"reason":"InternalError","message":"x"}}'),
      (e: unknown) => e instanceof KubeError && e.status === 500);
    assert.throws(() => decodeWatchLine('not json'), KubeError);
    assert.throws(() => decodeWatchLine('{"type":"WEIRD","object":{"metadata":{}}}'), KubeError);
  });
});
