import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { KubeObject } from '../../api/index.js';
import type { ApiWatchEvent } from './types.js';
import { apiError, configMap, makeFixture, refs, type Fixture } from './test-fixture.js';

const describeEvent = (e: ApiWatchEvent): string => {
  const obj = e.object as KubeObject;
  return e.type === 'BOOKMARK' ? 'BOOKMARK' : `${e.type} ${obj.metadata.name ?? ''}`;
};

describe('watch', () => {
  let f: Fixture;
  afterEach(() => f.close());

  test('without a resourceVersion: ADDED for the current objects, then live events', () => {
    f = makeFixture();
    f.api.create(refs.configmaps, 'default', configMap('a'));
    const events: ApiWatchEvent[] = [];
    const w = f.api.watch(refs.configmaps, { namespace: 'default' }, (e) => events.push(e));
    f.api.create(refs.configmaps, 'default', configMap('b'));
    f.api.patch(refs.configmaps, 'default', 'a', 'merge', { data: { k: 'v' } });
    f.api.delete(refs.configmaps, 'default', 'b');
    w.stop();
    f.api.create(refs.configmaps, 'default', configMap('after-stop'));
    assert.deepEqual(events.map(describeEvent), ['ADDED a', 'ADDED b', 'MODIFIED a', 'DELETED b']);
    assert.ok(events.every((e) => (e.object as KubeObject).kind === 'ConfigMap' && (e.object as KubeObject).apiVersion === 'v1'));
  });

  test('from a resourceVersion: replays what happened after it', () => {
    f = makeFixture();
    const a = f.api.create(refs.configmaps, 'default', configMap('a'));
    f.api.create(refs.configmaps, 'default', configMap('b'));
    f.api.delete(refs.configmaps, 'default', 'a');
    const events: ApiWatchEvent[] = [];
    const w = f.api.watch(refs.configmaps, { resourceVersion: a.metadata.resourceVersion ?? '' }, (e) => events.push(e));
    w.stop();
    assert.deepEqual(events.map(describeEvent), ['ADDED b', 'DELETED a']);
  });

  test('a resourceVersion older than the history is 410 Gone, thrown at once', () => {
    f = makeFixture({ historyLimit: 2 });
    for (let i = 0; i < 8; i++) f.api.create(refs.configmaps, 'default', configMap(`c${i}`));
    const err = apiError(() => f.api.watch(refs.configmaps, { resourceVersion: '1' }, () => undefined));
    assert.equal(err.code, 410);
  });

  test('label selector transitions become ADDED and DELETED', () => {
    f = makeFixture();
    f.api.create(refs.configmaps, 'default', configMap('x', {}, { app: 'db' }));
    const events: ApiWatchEvent[] = [];
    const w = f.api.watch(refs.configmaps, { labelSelector: 'app=web' }, (e) => events.push(e));
    f.api.patch(refs.configmaps, 'default', 'x', 'merge', { data: { k: '1' } });
    f.api.patch(refs.configmaps, 'default', 'x', 'merge', { metadata: { labels: { app: 'web' } } });
    f.api.patch(refs.configmaps, 'default', 'x', 'merge', { data: { k: '2' } });
    f.api.patch(refs.configmaps, 'default', 'x', 'merge', { metadata: { labels: { app: 'db' } } });
    f.api.delete(refs.configmaps, 'default', 'x');
    w.stop();
    assert.deepEqual(events.map(describeEvent), ['ADDED x', 'MODIFIED x', 'DELETED x']);
  });

  test('sendInitialEvents ends the initial ADDED events with an initial-events-end BOOKMARK', () => {
    f = makeFixture();
    f.api.create(refs.configmaps, 'default', configMap('a'));
    const events: ApiWatchEvent[] = [];
    const w = f.api.watch(refs.configmaps, { sendInitialEvents: true, allowWatchBookmarks: true }, (e) => events.push(e));
    w.stop();
    assert.deepEqual(events.map(describeEvent), ['ADDED a', 'BOOKMARK']);
    const bookmark = events[1]?.object as KubeObject;
    assert.equal(bookmark.kind, 'ConfigMap');
    assert.equal(bookmark.metadata.resourceVersion, String(f.store.revision()));
    assert.deepEqual(bookmark.metadata.annotations, { 'k8s.io/initial-events-end': 'true' });
  });

  test('allowWatchBookmarks sends periodic BOOKMARKs with the current revision', async () => {
    f = makeFixture({ bookmarkIntervalMs: 5 });
    f.api.create(refs.configmaps, 'default', configMap('a'));
    const bookmark = await new Promise<KubeObject>((resolve) => {
      const w = f.api.watch(refs.configmaps, { resourceVersion: String(f.store.revision()), allowWatchBookmarks: true }, (e) => {
        if (e.type !== 'BOOKMARK') return;
        w.stop();
        resolve(e.object as KubeObject);
      });
    });
    assert.deepEqual(bookmark, { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: String(f.store.revision()) } });
  });

  test('an invalid resourceVersion is 400', () => {
    f = makeFixture();
    assert.equal(apiError(() => f.api.watch(refs.configmaps, { resourceVersion: 'abc' }, () => undefined)).code, 400);
  });
});
