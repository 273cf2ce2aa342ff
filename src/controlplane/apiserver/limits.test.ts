import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { startHarness, type Harness } from '../../testing/api-server-harness.js';

const json = { 'Content-Type': 'application/json' };
const cm = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });

describe('apiserver: limits', () => {
  let h: Harness;
  before(async () => { h = await startHarness({ maxMutatingInFlight: 1, maxInFlight: 1 }); });
  after(async () => { await h.close(); });

  test('a 4 MiB body is refused with a 413 Status and the server keeps serving', async () => {
    const big = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { x: 'a'.repeat(4 * 1024 * 1024) } });
    const r = await h.client.send('POST', '/api/v1/namespaces/default/configmaps', { body: big, headers: json });
    assert.equal(r.status, 413);
    assert.equal(r.json()['reason'], 'RequestEntityTooLarge');
    assert.equal(h.api.calls.some((c) => c.method === 'create'), false);
    assert.equal((await h.client.send('POST', '/api/v1/namespaces/default/configmaps', { body: cm('small'), headers: json })).status, 201);
  });

  test('a chunked body over the limit is refused too', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(h.client.options('POST', '/api/v1/namespaces/default/configmaps', { headers: json }), (res) => {
        resolve(res.statusCode ?? 0);
        res.resume();
      });
      req.on('error', reject);
      const chunk = Buffer.alloc(256 * 1024, 'a');
      for (let i = 0; i < 16; i++) req.write(chunk);
      req.end();
    });
    assert.equal(status, 413);
  });

  test('mutating requests over the in-flight limit get 429 with Retry-After: 1', async () => {
    // Hold the only mutating slot with a request whose body never completes.
    const held = request(h.client.options('POST', '/api/v1/namespaces/default/configmaps', { headers: { ...json, 'Content-Length': 1000 } }));
    held.on('error', () => undefined);
    held.write('{"metadata":');
    let r = await h.client.send('POST', '/api/v1/namespaces/default/configmaps', { body: cm('probe-0'), headers: json });
    for (let i = 1; i < 100 && r.status !== 429; i++) {
      await sleep(10);
      r = await h.client.send('POST', '/api/v1/namespaces/default/configmaps', { body: cm(`probe-${i}`), headers: json });
    }
    assert.equal(r.status, 429);
    assert.equal(r.headers['retry-after'], '1');
    assert.equal(r.json()['reason'], 'TooManyRequests');
    held.destroy();
    let after = r;
    for (let i = 0; i < 100 && after.status === 429; i++) {
      await sleep(10);
      after = await h.client.send('POST', '/api/v1/namespaces/default/configmaps', { body: cm(`after-${i}`), headers: json });
    }
    assert.equal(after.status, 201);
  });

  test('watches are long-running and do not count against the in-flight limit', async () => {
    const w1 = await h.client.stream('/api/v1/namespaces/default/configmaps?watch=1', () => undefined);
    const w2 = await h.client.stream('/api/v1/namespaces/default/pods?watch=1', () => undefined);
    assert.equal(w1.res.statusCode, 200);
    assert.equal(w2.res.statusCode, 200);
    assert.equal((await h.client.send('GET', '/api/v1/namespaces/default/configmaps')).status, 200);
    w1.abort();
    w2.abort();
  });
});
