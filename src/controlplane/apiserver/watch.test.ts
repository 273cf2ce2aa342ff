import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startHarness, type Harness } from '../../testing/api-server-harness.js';

interface Event { type: string; object: Record<string, unknown> }

/** Collects watch lines; `next()` resolves with the next event (in order). */
function eventQueue() {
  const events: Event[] = [];
  const waiters: ((e: Event) => void)[] = [];
  return {
    push(line: string): void {
      const e = JSON.parse(line) as Event;
      const w = waiters.shift();
      if (w) w(e);
      else events.push(e);
    },
    next(): Promise<Event> {
      const e = events.shift();
      return e ? Promise.resolve(e) : new Promise((resolve) => waiters.push(resolve));
    },
  };
}

/** Polls a condition a bounded number of times (no timing assertion: it only waits for a state). */
async function eventually(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await sleep(10);
  assert.ok(cond(), what);
}

const json = { 'Content-Type': 'application/json' };
const cm = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: 'v' } });

describe('apiserver: watch', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(async () => { await h.close(); });

  test('streams one JSON event per line and stops the ObjectAPI watch when the client goes away', async () => {
    await h.client.send('POST', '/api/v1/namespaces/default/configmaps', { body: cm('first'), headers: json });
    const q = eventQueue();
    const w = await h.client.stream('/api/v1/namespaces/default/configmaps?watch=true&allowWatchBookmarks=true', q.push);
    assert.equal(w.res.statusCode, 200);
    assert.equal(w.res.headers['content-type'], 'application/json');
    assert.equal(w.res.headers['transfer-encoding'], 'chunked');
    const initial = await q.next();
    assert.equal(initial.type, 'ADDED');
    assert.equal((initial.object['metadata'] as { name: string }).name, 'first');
    assert.equal(h.api.watcherCount, 1);
    await h.client.send('POST', '/api/v1/namespaces/default/configmaps', { body: cm('second'), headers: json });
    const live = await q.next();
    assert.equal(live.type, 'ADDED');
    assert.equal((live.object['metadata'] as { name: string }).name, 'second');
    assert.deepEqual(h.api.calls.find((c) => c.method === 'watch')?.options, { namespace: 'default', allowWatchBookmarks: true });
    w.abort();
    await eventually(() => h.api.watcherCount === 0, 'the ObjectAPI watch is stopped after the client disconnects');
  });

  test('a Table watch (kubectl get -w) sends one-row Tables', async () => {
    const q = eventQueue();
    const w = await h.client.stream('/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=' + String(h.api.revision), q.push, {
      headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' },
    });
    await h.client.send('POST', '/api/v1/namespaces/default/configmaps', { body: cm('third'), headers: json });
    const e = await q.next();
    assert.equal(e.type, 'ADDED');
    assert.equal(e.object['kind'], 'Table');
    const rows = e.object['rows'] as { cells: unknown[] }[];
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.cells[0], 'third');
    w.abort();
    await eventually(() => h.api.watcherCount === 0, 'watch stopped');
  });

  test('a too-old resourceVersion is a 200 with one ERROR event holding the 410 Status', async () => {
    h.api.compact();
    const q = eventQueue();
    const w = await h.client.stream('/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=1', q.push);
    assert.equal(w.res.statusCode, 200);
    const e = await q.next();
    assert.equal(e.type, 'ERROR');
    assert.equal(e.object['code'], 410);
    assert.equal(e.object['reason'], 'Expired');
    await w.ended;
    assert.equal(h.api.watcherCount, 0);
  });

  test('timeoutSeconds ends the stream cleanly; a named watch selects the name', async () => {
    const q = eventQueue();
    const w = await h.client.stream('/api/v1/watch/namespaces/default/configmaps/first?timeoutSeconds=1', q.push);
    assert.equal((await q.next()).type, 'ADDED');
    await w.ended;
    assert.equal(w.res.complete, true);
    assert.equal(h.api.watcherCount, 0);
    const opts = h.api.calls.filter((c) => c.method === 'watch').at(-1)?.options;
    assert.deepEqual(opts, { namespace: 'default', fieldSelector: 'metadata.name=first' });
  });

  test('invalid watch parameters are a 400 before streaming', async () => {
    const r = await h.client.send('GET', '/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=-3');
    assert.equal(r.status, 400);
  });

  test('an ERROR event from the object API ends the stream', async () => {
    const q = eventQueue();
    const w = await h.client.stream('/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=' + String(h.api.revision), q.push);
    h.api.breakWatches({ apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', reason: 'InternalError', message: 'store closed', code: 500 });
    const e = await q.next();
    assert.equal(e.type, 'ERROR');
    await w.ended;
    assert.equal(w.res.complete, true);
    assert.equal(h.api.watcherCount, 0);
  });

  test('a watcher that stops reading is cut off once its queue passes the bound', async () => {
    const small = await startHarness({ maxWatchBufferBytes: 64 * 1024 });
    try {
      const w = await small.client.stream('/api/v1/namespaces/default/configmaps?watch=1', () => undefined);
      w.res.pause();
      const data = { x: 'y'.repeat(256 * 1024) };
      for (let i = 0; i < 64 && small.api.watcherCount > 0; i++) {
        small.api.create({ group: '', resource: 'configmaps' }, 'default', { metadata: { name: `big-${i}` }, data });
        await sleep(5);
      }
      assert.equal(small.api.watcherCount, 0);
      assert.equal(small.log.find('watch client is not reading; closing the watch').length, 1);
      w.abort();
    } finally {
      await small.close();
    }
  });

  test('closing the server ends open watches', async () => {
    const other = await startHarness();
    const w = await other.client.stream('/api/v1/namespaces/default/configmaps?watch=1', () => undefined);
    assert.equal(other.api.watcherCount, 1);
    await other.close();
    await w.ended;
    assert.equal(other.api.watcherCount, 0);
  });
});
