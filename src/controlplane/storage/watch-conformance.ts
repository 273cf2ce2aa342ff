// Watch behaviour every Store implementation must show (part of the conformance suite).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StoreLog } from './schema.js';
import { collect, node, pod, rv, type StoreFactory } from './conformance-fixtures.js';
import type { StoreEvent } from './types.js';

export function describeWatchConformance(open: StoreFactory): void {
  test('live watch: types, revisions, objects, resource filter, unsubscribe', () => {
    const store = open();
    const pods = collect(store, 'pods');
    const all = collect(store, '*');
    store.create('pods', pod('a'));
    store.create('nodes', node('n'));
    store.update('pods', pod('a', 'default', { status: { phase: 'Running' } }));
    store.delete('pods', 'default', 'a');
    assert.deepEqual(pods.summary(), ['ADDED pods a 1', 'MODIFIED pods a 3', 'DELETED pods a 4']);
    assert.deepEqual(all.summary(), ['ADDED pods a 1', 'ADDED nodes n 2', 'MODIFIED pods a 3', 'DELETED pods a 4']);
    for (const e of all.events) assert.equal(rv(e.object), e.revision);
    assert.deepEqual(pods.events[2]?.object.status, { phase: 'Running' }, 'DELETED carries the last state');
    pods.stop();
    pods.stop();
    store.create('pods', pod('b'));
    assert.equal(pods.events.length, 3);
    assert.equal(all.events.length, 5);
    store.close();
  });

  test('namespace filter; cluster-scoped objects reach all-namespace watches', () => {
    const store = open();
    const ns = collect(store, 'pods', { namespace: 'x' });
    const any = collect(store, '*', { namespace: '' });
    store.create('pods', pod('a', 'x'));
    store.create('pods', pod('b', 'y'));
    store.create('nodes', node('n'));
    assert.deepEqual(ns.summary(), ['ADDED pods a 1']);
    assert.equal(any.events.length, 3);
    const replay = collect(store, 'pods', { namespace: 'y', fromRevision: 0 });
    assert.deepEqual(replay.summary(), ['ADDED pods b 2']);
    store.close();
  });

  test('watch from a revision replays then streams, in order, without gaps or duplicates', () => {
    const store = open();
    for (let i = 0; i < 10; i++) store.create(i % 2 ? 'nodes' : 'pods', i % 2 ? node(`n${i}`) : pod(`p${i}`));
    const w = collect(store, '*', { fromRevision: 4 });
    assert.deepEqual(w.events.map((e) => e.revision), [5, 6, 7, 8, 9, 10], 'replayed before watch() returned');
    const podsOnly = collect(store, 'pods', { fromRevision: 4 });
    assert.deepEqual(podsOnly.events.map((e) => e.revision), [5, 7, 9]);
    store.create('pods', pod('live'));
    assert.deepEqual(w.events.map((e) => e.revision), [5, 6, 7, 8, 9, 10, 11]);
    assert.deepEqual(podsOnly.events.map((e) => e.revision), [5, 7, 9, 11]);
    const fromZero = collect(store, 'pods', { fromRevision: 0 });
    assert.deepEqual(fromZero.events.map((e) => e.revision), [1, 3, 5, 7, 9, 11]);
    store.close();
  });

  test('watch from the current revision replays nothing; a future revision waits for it', () => {
    const store = open();
    store.create('pods', pod('a'));
    const now = collect(store, 'pods', { fromRevision: store.revision() });
    const future = collect(store, 'pods', { fromRevision: 3 });
    assert.equal(now.events.length, 0);
    store.create('pods', pod('b'));
    store.create('pods', pod('c'));
    store.create('pods', pod('d'));
    assert.deepEqual(now.events.map((e) => e.revision), [2, 3, 4]);
    assert.deepEqual(future.events.map((e) => e.revision), [4]);
    store.close();
  });

  test('a listener that writes during replay or delivery keeps every watcher in revision order', () => {
    const store = open();
    for (let i = 0; i < 5; i++) store.create('pods', pod(`p${i}`));
    const observer = collect(store, '*');
    const writer: StoreEvent[] = [];
    store.watch('pods', { fromRevision: 0 }, (e) => {
      writer.push(e);
      // React to each original pod once: a node per pod, written from inside the listener.
      if (e.type === 'ADDED' && e.object.metadata.name?.startsWith('p')) store.create('nodes', node(`for-${e.object.metadata.name}`));
    });
    assert.deepEqual(writer.map((e) => e.revision), [1, 2, 3, 4, 5]);
    assert.deepEqual(observer.events.map((e) => e.revision), [6, 7, 8, 9, 10]);
    store.create('pods', pod('p5'));
    assert.deepEqual(writer.map((e) => e.revision), [1, 2, 3, 4, 5, 11]);
    assert.deepEqual(observer.events.map((e) => e.revision), [6, 7, 8, 9, 10, 11, 12]);
    const late = collect(store, '*', { fromRevision: 0 });
    assert.deepEqual(late.events.map((e) => e.revision), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    store.close();
  });

  test('a throwing listener is logged and does not stop the store or other listeners', () => {
    const warnings: string[] = [];
    const log: StoreLog = { warn: (msg) => warnings.push(msg) };
    const store = open({ log });
    store.watch('pods', {}, () => { throw new Error('listener bug'); });
    const ok = collect(store, 'pods');
    store.create('pods', pod('a'));
    store.watch('pods', { fromRevision: 0 }, () => { throw new Error('replay bug'); });
    store.create('pods', pod('b'));
    assert.equal(ok.events.length, 2);
    assert.equal(store.revision(), 2);
    assert.equal(warnings.length, 4);
    store.close();
  });

  test('event objects are shared read-only snapshots', () => {
    const store = open();
    const a = collect(store, 'pods');
    const b = collect(store, 'pods');
    store.create('pods', pod('a'));
    const event = a.events[0];
    assert.ok(event && Object.isFrozen(event.object) && Object.isFrozen(event.object.metadata));
    assert.equal(event, b.events[0]);
    assert.throws(() => { (event.object.metadata as Record<string, unknown>).name = 'x'; }, TypeError);
    store.close();
  });

  test('an unsubscribe from inside a listener takes effect immediately', () => {
    const store = open();
    const seen: number[] = [];
    const stop = store.watch('pods', {}, (e) => { seen.push(e.revision); stop(); });
    store.transaction(() => { store.create('pods', pod('a')); store.create('pods', pod('b')); });
    assert.deepEqual(seen, [1]);
    store.close();
  });
}
