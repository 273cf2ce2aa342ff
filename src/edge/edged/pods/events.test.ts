import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createTestLogger, type Message } from '../../../core/index.js';
import type { Pod } from '../pod-contracts.js';
import { EventRecorder } from './events.js';

const pod: Pod = { metadata: { name: 'web', namespace: 'default', uid: 'u1' }, spec: {} };

function recorder(now: { t: number }, local = false, qps = 0): { rec: EventRecorder; sent: Record<string, unknown>[] } {
  const sent: Record<string, unknown>[] = [];
  const rec = new EventRecorder({
    nodeName: 'edge-1',
    hub: { enqueue: (m: Message) => void sent.push(m.content as Record<string, unknown>) },
    log: createTestLogger({ level: 'silent' }),
    now: () => now.t,
    isLocalOnly: () => local,
    qps,
  });
  return { rec, sent };
}

describe('EventRecorder', () => {
  test('builds a kubelet event with the container field path', () => {
    const now = { t: Date.UTC(2024, 0, 1) };
    const { rec, sent } = recorder(now);
    rec.record(pod, 'Normal', 'Started', 'Started container app', { name: 'app', kind: 'regular' });
    const e = sent[0] as Record<string, unknown>;
    assert.deepEqual(e['involvedObject'], { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u1', apiVersion: 'v1', fieldPath: 'spec.containers{app}' });
    assert.deepEqual(e['source'], { component: 'kubelet', host: 'edge-1' });
    assert.equal(e['count'], 1);
    assert.equal(e['firstTimestamp'], '2024-01-01T00:00:00Z');
    assert.match(String((e['metadata'] as Record<string, unknown>)['name']), /^web\.[0-9a-f]+$/);
    assert.equal(e['reportingComponent'], 'kubelet');
  });

  test('identical events within 10 minutes update one event; later ones start anew', () => {
    const now = { t: 1_700_000_000_000 };
    const { rec, sent } = recorder(now);
    rec.record(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    now.t += 60_000;
    rec.record(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    const [a, b] = sent as Record<string, Record<string, unknown>>[];
    assert.equal(b?.['count'], 2);
    assert.equal(a?.['metadata']?.['name'], b?.['metadata']?.['name']);
    assert.equal(b?.['firstTimestamp'], a?.['firstTimestamp']);
    now.t += 11 * 60_000;
    rec.record(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    assert.equal((sent[2] as Record<string, unknown>)['count'], 1);
  });

  test('a burst is rate-limited per pod and refills over time', () => {
    const now = { t: 1_700_000_000_000 };
    const { rec, sent } = recorder(now);
    for (let i = 0; i < 100; i++) rec.record(pod, 'Warning', 'BackOff', `m${i}`);
    assert.equal(sent.length, 25);
    now.t += 20_000;
    for (let i = 0; i < 10; i++) rec.record(pod, 'Warning', 'BackOff', `n${i}`);
    assert.equal(sent.length, 27);
  });

  test('static pods: nothing goes upstream', () => {
    const { rec, sent } = recorder({ t: 1 }, true);
    rec.record(pod, 'Normal', 'Started', 'x');
    assert.equal(sent.length, 0);
  });
  test('events are paced onto the link: a burst waits, aggregates in place, and flush sends the rest', () => {
    const now = { t: 1_700_000_000_000 };
    const { rec, sent } = recorder(now, false, 5);
    const pods = Array.from({ length: 15 }, (_, i) => ({ metadata: { name: `p${i}`, namespace: 'default', uid: `u${i}` }, spec: {} }));
    for (const p of pods) rec.record(p, 'Normal', 'Started', 'Started container c');
    assert.equal(sent.length, 10, 'the burst of 10 goes at once');
    rec.record(pods[12]!, 'Normal', 'Started', 'Started container c');
    rec.flush();
    assert.equal(sent.length, 15, 'flush sends the 5 that waited, once each');
    const p12 = sent.filter((e) => (e['involvedObject'] as { name: string }).name === 'p12');
    assert.equal(p12.length, 1);
    assert.equal(p12[0]?.['count'], 2, 'aggregated while waiting');
  });
});
