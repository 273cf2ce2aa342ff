import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request, type ClientRequest } from 'node:http';
import { createSilentLogger } from '../../core/index.js';
import { FakeLocalPodStatus, FakeMetaStore } from '../../testing/fake-meta-store.js';
import { startMetaServer } from './server.js';
import type { MetaServer } from './types.js';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
type Event = { type: string; object: Record<string, any> };

const pod = (name: string, rv: string, labels: Record<string, string> = {}, phase = 'Pending') =>
  ({ metadata: { name, namespace: 'default', uid: `u-${name}`, resourceVersion: rv, labels }, spec: { nodeName: 'edge-1', containers: [{ name: 'c' }] }, status: { phase } });

/** A watch client: events as they arrive, and whether the server ended the stream. */
function openWatch(base: string, path: string, accept?: string) {
  const events: Event[] = [];
  const waiters: (() => void)[] = [];
  let ended = false;
  let code = 0;
  const wake = () => { for (const w of waiters.splice(0)) w(); };
  const req: ClientRequest = request(base + path, { headers: accept ? { accept } : {} }, (res) => {
    code = res.statusCode ?? 0;
    let buf = '';
    res.setEncoding('utf8');
    res.on('data', (d: string) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        events.push(JSON.parse(buf.slice(0, i)) as Event);
        buf = buf.slice(i + 1);
      }
      wake();
    });
    res.on('end', () => { ended = true; wake(); });
    res.on('error', () => { ended = true; wake(); });
  });
  req.on('error', () => { ended = true; wake(); });
  req.end();
  const until = async (ok: () => boolean): Promise<void> => {
    while (!ok()) {
      if (ended) throw new Error(`watch ended after ${JSON.stringify(events.map((e) => e.type))}`);
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  return {
    events,
    code: () => code,
    ended: () => ended,
    /** Resolves once n events arrived. */
    count: (n: number) => until(() => events.length >= n),
    end: async () => { while (!ended) await new Promise<void>((r) => waiters.push(r)); },
    close: () => req.destroy(),
  };
}

const summary = (e: Event) => `${e.type} ${e.object.metadata?.name ?? e.object.rows?.[0]?.cells?.[0] ?? ''}`;

async function waitFor(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(ok());
}

describe('metaserver watch', () => {
  const store = new FakeMetaStore();
  const local = new FakeLocalPodStatus();
  let server: MetaServer;
  let base: string;

  before(async () => {
    store.put('pod', pod('a', '10', { app: 'web' }));
    store.put('pod', pod('b', '11', { app: 'db' }));
    server = await startMetaServer({ port: 0, store, localPodStatus: local, hub: { enqueue() {} }, nodeName: 'edge-1', log: createSilentLogger(),
      watchHistory: 8, bookmarkIntervalMs: 20 });
    base = `http://127.0.0.1:${server.port}`;
  });
  after(() => server.close());

  const getJson = async (path: string, accept?: string) => (await fetch(base + path, { headers: accept ? { accept } : {} })).json() as Promise<Record<string, any>>;

  test('resourceVersion "" : the current state as ADDED, then live ADDED, MODIFIED, DELETED', async () => {
    const w = openWatch(base, '/api/v1/namespaces/default/pods?watch=1');
    await w.count(2);
    store.put('pod', pod('c', '12'));
    store.put('pod', pod('c', '13', {}, 'Running'));
    store.remove('pod', 'default', 'c');
    await w.count(5);
    assert.deepEqual(w.events.map(summary), ['ADDED a', 'ADDED b', 'ADDED c', 'MODIFIED c', 'DELETED c']);
    assert.equal(w.code(), 200);
    assert.equal(w.events[3]?.object.kind, 'Pod');
    assert.equal(w.events[3]?.object.apiVersion, 'v1');
    w.close();
    await waitFor(() => server.openWatches === 0);
  });

  test('kubectl get -w: list as Table, then watch from its resourceVersion; each event a one-row Table', async () => {
    const list = await getJson('/api/v1/namespaces/default/pods', TABLE);
    assert.equal(list.kind, 'Table');
    assert.deepEqual(list.rows.map((r: { cells: unknown[] }) => r.cells[0]), ['a', 'b']);
    const w = openWatch(base, `/api/v1/namespaces/default/pods?watch=true&resourceVersion=${list.metadata.resourceVersion}`, TABLE);
    store.put('pod', pod('d', '20'));
    await w.count(1);
    const ev = w.events[0] as Event;
    assert.equal(ev.type, 'ADDED');
    assert.equal(ev.object.kind, 'Table');
    assert.equal(ev.object.rows.length, 1);
    assert.deepEqual(ev.object.rows[0].cells.slice(0, 3), ['d', '0/1', 'Pending']);
    assert.equal(ev.object.rows[0].object.kind, 'PartialObjectMetadata');
    w.close();
    store.remove('pod', 'default', 'd');
  });

  test('resume from a resourceVersion in the ring; an older one gets one ERROR event (410 Expired)', async () => {
    const rv = (await getJson('/api/v1/pods')).metadata.resourceVersion as string;
    store.put('pod', pod('e', '30'));
    const w = openWatch(base, `/api/v1/watch/namespaces/default/pods?resourceVersion=${rv}`);
    await w.count(1);
    assert.deepEqual(w.events.map(summary), ['ADDED e']);
    w.close();
    for (let i = 0; i < 10; i++) store.put('configmap', { metadata: { name: `c${i}`, namespace: 'default', resourceVersion: String(40 + i) } });
    const old = openWatch(base, `/api/v1/namespaces/default/pods?watch=1&resourceVersion=${rv}`);
    await old.end();
    assert.equal(old.code(), 200);
    assert.equal(old.events.length, 1);
    assert.equal(old.events[0]?.type, 'ERROR');
    assert.deepEqual({ code: old.events[0]?.object.code, reason: old.events[0]?.object.reason, kind: old.events[0]?.object.kind }, { code: 410, reason: 'Expired', kind: 'Status' });
  });

  test('selectors apply; an object leaving the selection is DELETED for that watch', async () => {
    const w = openWatch(base, '/api/v1/pods?watch=1&labelSelector=app%3Dweb');
    await w.count(1);
    store.put('pod', pod('b', '60', { app: 'web' }));
    store.put('pod', pod('b', '61', { app: 'db' }));
    store.put('pod', pod('x', '62', { app: 'other' }));
    store.put('pod', pod('a', '63', { app: 'web' }, 'Running'));
    await w.count(4);
    assert.deepEqual(w.events.map(summary), ['ADDED a', 'ADDED b', 'DELETED b', 'MODIFIED a']);
    w.close();
    const bad = await fetch(`${base}/api/v1/pods?watch=1&fieldSelector=spec.nope%3D1`);
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { reason: string }).reason, 'BadRequest');
    const badRv = await fetch(`${base}/api/v1/pods?watch=1&resourceVersion=abc`);
    assert.equal(badRv.status, 400);
  });

  test('local pod status overlays GET, LIST and WATCH; its change is a MODIFIED event', async () => {
    const w = openWatch(base, '/api/v1/namespaces/default/pods?watch=1&fieldSelector=metadata.name%3Da');
    await w.count(1);
    local.set('default', 'a', { phase: 'Failed', reason: 'Evicted' });
    await w.count(2);
    assert.equal(w.events[1]?.type, 'MODIFIED');
    assert.equal(w.events[1]?.object.status.reason, 'Evicted');
    assert.equal(w.events[1]?.object.metadata.resourceVersion, '63');
    const got = await getJson('/api/v1/namespaces/default/pods/a');
    assert.equal(got.status.phase, 'Failed');
    const listed = await getJson('/api/v1/pods?fieldSelector=status.phase%3DFailed');
    assert.deepEqual(listed.items.map((p: { metadata: { name: string } }) => p.metadata.name), ['a']);
    assert.ok(BigInt(listed.metadata.resourceVersion) > 63n, 'a local change moves the list version on');
    local.set('default', 'a', undefined);
    await w.count(3);
    assert.equal(w.events[2]?.object.status.phase, 'Running');
    w.close();
  });

  test('bookmarks when allowed, timeoutSeconds ends the stream, closed clients let go', async () => {
    const w = openWatch(base, '/api/v1/nodes?watch=1&allowWatchBookmarks=true&resourceVersion=0&timeoutSeconds=1');
    await w.count(1);
    const bm = w.events[0] as Event;
    assert.equal(bm.type, 'BOOKMARK');
    assert.equal(bm.object.kind, 'Node');
    assert.match(bm.object.metadata.resourceVersion, /^\d+$/);
    await w.end();
    const held = [0, 1, 2].map(() => openWatch(base, '/api/v1/pods?watch=1&resourceVersion=0'));
    await Promise.all(held.map((h) => h.count(1)));
    assert.equal(server.openWatches, 3);
    for (const h of held) h.close();
    await waitFor(() => server.openWatches === 0);
  });

  test('sendInitialEvents ends the initial state with an annotated BOOKMARK', async () => {
    const w = openWatch(base, '/api/v1/namespaces/default/pods?watch=1&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan');
    await w.count(4);
    const types = w.events.map((e) => e.type);
    const i = types.indexOf('BOOKMARK');
    assert.ok(i > 0 && types.slice(0, i).every((t) => t === 'ADDED'), types.join());
    assert.equal(w.events[i]?.object.metadata.annotations['k8s.io/initial-events-end'], 'true');
    w.close();
  });
});

describe('metaserver close', () => {
  test('ends open watches and lets go of the store', async () => {
    const store = new FakeMetaStore();
    const server = await startMetaServer({ port: 0, store, hub: { enqueue() {} }, nodeName: 'n', log: createSilentLogger() });
    const w = openWatch(`http://127.0.0.1:${server.port}`, '/api/v1/pods?watch=1');
    store.put('pod', pod('a', '1'));
    await w.count(1);
    assert.equal(store.listenerCount, 1);
    await server.close();
    await w.end();
    assert.equal(store.listenerCount, 0);
    assert.equal(server.openWatches, 0);
  });
});
