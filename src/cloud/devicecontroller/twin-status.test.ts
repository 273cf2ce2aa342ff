import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage } from '../../core/index.js';
import { alignTwins, mergeTwins, parseStateReport, parseTwinReport, ReportError } from './twin-status.js';

/** edge → cloud, as KubeEdge's devicetwin writes it (source "twin", group "resource"). */
const twinEdgeUpdatedFrame =
  '{"header":{"msg_id":"5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c99","timestamp":1718000050000},' +
  '"route":{"source":"twin","group":"resource","operation":"update","resource":"device/default/sensor-1/twin/edge_updated"},' +
  '"content":{"event_id":"","timestamp":1718000050000,"twin":{"temperature":{"actual":{"value":"21.5","metadata":{"timestamp":1718000050000}},"metadata":{"type":"string"}}}}}';

describe('twin reports', () => {
  test('KubeEdge\'s twin/edge_updated frame parses and merges as KubeEdge writes it', () => {
    const msg = decodeMessage(Buffer.from(twinEdgeUpdatedFrame));
    const report = parseTwinReport(msg.content);
    assert.deepEqual(mergeTwins([{ propertyName: 'temperature' }], ['temperature'], report), [
      { propertyName: 'temperature', reported: { value: '21.5', metadata: { timestamp: '1718000050000', type: 'string' } } },
    ]);
  });

  test('metadata without a timestamp gives "0", a twin without metadata no type (Go\'s zero values)', () => {
    const report = parseTwinReport({ twin: { t: { actual: { value: 'a', metadata: {} } }, u: { expected: { value: 'b' }, metadata: {} } } });
    assert.deepEqual(mergeTwins([], ['t', 'u'], report), [
      { propertyName: 't', reported: { value: 'a', metadata: { timestamp: '0' } } },
      { propertyName: 'u', observedDesired: { value: 'b', metadata: { type: '' } } },
    ]);
  });

  test('unknown properties are ignored, removed ones dropped, new ones appended, others kept', () => {
    const current = [
      { propertyName: 'gone', reported: { value: '1' } },
      { propertyName: 'kept', reported: { value: '2' } },
    ];
    const report = parseTwinReport({ twin: { extra: { actual: { value: 'x' } }, added: { actual: { value: '3' } } } });
    assert.deepEqual(mergeTwins(current, ['kept', 'added'], report), [
      { propertyName: 'kept', reported: { value: '2' } },
      { propertyName: 'added', reported: { value: '3', metadata: {} } },
    ]);
    assert.equal(current.length, 2); // not mutated
  });

  test('a twin without values still gets its entry; null twins and a missing twin map change nothing', () => {
    assert.deepEqual(mergeTwins([], ['t'], parseTwinReport({ twin: { t: { optional: true } } })), [{ propertyName: 't' }]);
    assert.deepEqual(mergeTwins([], ['t'], parseTwinReport({ twin: { t: null } })), []);
    assert.equal(parseTwinReport({ event_id: '' }).size, 0);
  });

  test('malformed twins throw ReportError', () => {
    for (const c of [null, 'x', [], { twin: [] }, { twin: { t: 1 } }, { twin: { t: { actual: 'v' } } }, { twin: { t: { expected: { value: true } } } }]) {
      assert.throws(() => parseTwinReport(c), ReportError, JSON.stringify(c));
    }
  });

  test('alignTwins keeps one entry per property, in the device\'s order', () => {
    assert.deepEqual(alignTwins([{ propertyName: 'b', reported: { value: '1' } }, { propertyName: 'z' }], ['a', 'b']), [
      { propertyName: 'a' }, { propertyName: 'b', reported: { value: '1' } },
    ]);
  });
});

describe('state reports', () => {
  test('device or Device; lastOnlineTime or last_online; empty fields omitted', () => {
    assert.deepEqual(parseStateReport({ device: { state: 'online', lastOnlineTime: 't1' } }), { state: 'online', lastOnlineTime: 't1' });
    assert.deepEqual(parseStateReport({ Device: { state: 'ok', last_online: 't2' } }), { state: 'ok', lastOnlineTime: 't2' });
    assert.deepEqual(parseStateReport({ device: { state: 'offline', lastOnlineTime: '' } }), { state: 'offline' });
    assert.throws(() => parseStateReport({ state: 'online' }), ReportError);
    assert.throws(() => parseStateReport({ device: { lastOnlineTime: 5 } }), ReportError);
  });
});
