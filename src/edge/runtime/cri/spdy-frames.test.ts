import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync, constants } from 'node:zlib';
import { FrameType, HeaderBlockWriter, SpdyFrameReader, dataFrame, pingFrame, synStreamFrame } from './spdy-frames.js';

function parsePairs(raw: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let pos = 4;
  for (let i = 0; i < raw.readUInt32BE(0); i++) {
    const nl = raw.readUInt32BE(pos);
    const name = raw.subarray(pos + 4, pos + 4 + nl).toString();
    pos += 4 + nl;
    const vl = raw.readUInt32BE(pos);
    out[name] = raw.subarray(pos + 4, pos + 4 + vl).toString();
    pos += 4 + vl;
  }
  return out;
}

describe('SPDY/3.1 frames', () => {
  test('header blocks form one zlib stream, each block complete on its own (sync-flushed)', () => {
    const w = new HeaderBlockWriter();
    const a = w.encode({ streamType: 'error' });
    const b = w.encode({ streamtype: 'stdout' });
    assert.deepEqual([a[0], a[1]], [0x78, 0x01]);
    assert.deepEqual([...a.subarray(-5)], [0, 0, 0, 0xff, 0xff]);
    const first = inflateSync(a, { finishFlush: constants.Z_SYNC_FLUSH });
    assert.deepEqual(parsePairs(first), { streamtype: 'error' });
    const both = inflateSync(Buffer.concat([a, b]), { finishFlush: constants.Z_SYNC_FLUSH });
    assert.deepEqual(parsePairs(both.subarray(first.length)), { streamtype: 'stdout' });
  });

  test('frames round trip through the reader, split at any byte', () => {
    const block = new HeaderBlockWriter().encode({ streamtype: 'stdin' });
    const bytes = Buffer.concat([synStreamFrame(3, block), dataFrame(3, Buffer.from('hello')), dataFrame(3, Buffer.alloc(0), true), pingFrame(7)]);
    const reader = new SpdyFrameReader();
    const frames = [...bytes].flatMap((byte) => reader.push(Buffer.from([byte])));
    assert.deepEqual(frames.map((f) => (f.kind === 'data' ? ['data', f.streamId, f.fin, f.data.toString()] : ['control', f.type, f.streamId])), [
      ['control', FrameType.synStream, 3],
      ['data', 3, false, 'hello'],
      ['data', 3, true, ''],
      ['control', FrameType.ping, 0],
    ]);
    const syn = frames[0];
    assert.ok(syn?.kind === 'control');
    assert.equal(syn.payload.subarray(10).equals(block), true);
    assert.equal(bytes.readUInt16BE(0), 0x8003); // control bit, version 3
  });
});
