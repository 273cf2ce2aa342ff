import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FrameError, FrameTypes, SendWindow, dataOf, decodeFrame, encodeData, encodeFrame, encodeJson, encodeWindow, parseExit,
  parseSessionError, parseSessionRequest, payloadJson, windowOf,
} from './index.js';

describe('core/tunnel: frames', () => {
  test('header is type u8 then session u32 big-endian', () => {
    const f = encodeFrame(FrameTypes.close, 0x01020304);
    assert.deepEqual([...f], [8, 1, 2, 3, 4]);
    assert.deepEqual(decodeFrame(f), { type: FrameTypes.close, session: 0x01020304, payload: Buffer.alloc(0) });
  });

  test('data frames carry a channel byte; window frames a u32', () => {
    const d = decodeFrame(encodeData(7, 2, Buffer.from('err')));
    assert.equal(d.type, FrameTypes.data);
    assert.deepEqual({ ...dataOf(d), bytes: dataOf(d).bytes.toString() }, { channel: 2, bytes: 'err' });
    assert.deepEqual([...encodeWindow(1, 65536)], [9, 0, 0, 0, 1, 0, 1, 0, 0]);
    assert.equal(windowOf(decodeFrame(encodeWindow(1, 65536))), 65536);
  });

  test('JSON payloads round-trip; bad input is a FrameError', () => {
    const f = decodeFrame(encodeJson(FrameTypes.exit, 3, { exitCode: 2 }));
    assert.deepEqual(parseExit(payloadJson(f)), { exitCode: 2 });
    assert.throws(() => decodeFrame(Buffer.from([3, 0, 0])), FrameError);
    assert.throws(() => decodeFrame(Buffer.from([42, 0, 0, 0, 1])), /unknown frame type 42/);
    assert.throws(() => payloadJson(decodeFrame(encodeFrame(FrameTypes.exit, 1, Buffer.from('[1]')))), FrameError);
    assert.throws(() => dataOf(decodeFrame(encodeFrame(FrameTypes.data, 1))), FrameError);
  });

  test('open requests are validated strictly', () => {
    assert.deepEqual(parseSessionRequest({ kind: 'logs', namespace: 'ns', pod: 'p', container: 'c', follow: true, tailLines: 5, sinceTime: '2024-01-01T00:00:00Z' }),
      { kind: 'logs', namespace: 'ns', pod: 'p', container: 'c', previous: false, follow: true, timestamps: false, tailLines: 5, sinceTime: '2024-01-01T00:00:00Z' });
    assert.deepEqual(parseSessionRequest({ kind: 'exec', namespace: 'ns', pod: 'p', container: '', command: ['ls'], stdout: true }),
      { kind: 'exec', namespace: 'ns', pod: 'p', container: '', command: ['ls'], stdin: false, stdout: true, stderr: false, tty: false });
    assert.throws(() => parseSessionRequest({ kind: 'exec', namespace: 'ns', pod: 'p', container: '', command: [] }), /command/);
    assert.throws(() => parseSessionRequest({ kind: 'logs', namespace: 'ns', pod: 'p', container: 'c', tailLines: -1 }), /tailLines/);
    assert.throws(() => parseSessionRequest({ kind: 'attach', namespace: 'ns', pod: 'p', container: 'c' }), /kind/);
    assert.deepEqual(parseSessionError({ code: 'weird' }), { code: 'Internal', message: 'the edge gave no reason' });
  });

  test('a send window blocks at zero and wakes on grant or close', async () => {
    const w = new SendWindow(10);
    w.take(12);
    let woke = false;
    const waiting = w.wait().then(() => { woke = true; });
    await Promise.resolve();
    assert.equal(woke, false);
    w.grant(5);
    await waiting;
    assert.equal(w.available, 3);
    w.take(3);
    const closed = w.wait();
    w.close();
    await closed;
  });
});
