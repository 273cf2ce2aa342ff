import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { encodeMessage, newMessage, type Message } from '../../core/index.js';
import { makeHub } from '../../testing/edge-hub-harness.js';
import { FakeCloudHub, makeTestPki, until, type FakeConnection, type TestPki } from '../../testing/fake-cloudhub.js';

// The persisted outbox end to end: enqueue → SQLite → socket → cloud ack → row gone.

function podStatus(n: number): Message {
  return newMessage(
    { source: 'edged', group: 'resource', operation: 'update', resource: `default/podstatus/p${n}`, content: { n } },
    { newId: () => `status-${n}` },
  );
}

function updates(cloud: FakeCloudHub, conn?: FakeConnection): string[] {
  const frames = conn ? conn.frames : cloud.connections.flatMap((c) => c.frames);
  return frames
    .map((f) => JSON.parse(f) as Message)
    .filter((m) => m.route.operation === 'update')
    .map((m) => m.header.msg_id);
}

function cloudAnswer(conn: FakeConnection, msgId: string, operation = 'response', content: unknown = 'OK'): void {
  const m = newMessage({ source: 'cloudhub', group: 'resource', operation, resource: 'default/podstatus/x', content, parentId: msgId });
  conn.ws.send(encodeMessage(m));
}

describe('edgehub outbox', () => {
  let pki: TestPki;
  before(async () => {
    pki = await makeTestPki('edge-1');
  });

  test('rows enqueued while down go out in order; acks and refusals remove them', async () => {
    const cloud = await FakeCloudHub.start(pki);
    const h = makeHub(cloud, pki);
    try {
      for (const n of [1, 2, 3]) h.hub.enqueue(podStatus(n));
      assert.equal(h.hub.metrics().outboxDepth, 3);
      h.hub.start();
      await until(() => updates(cloud).length === 3, 5000, 'three updates');
      assert.deepEqual(updates(cloud), ['status-1', 'status-2', 'status-3']);
      const conn = cloud.last();
      cloudAnswer(conn, 'status-1');
      cloudAnswer(conn, 'status-3');
      await until(() => h.hub.metrics().outboxDepth === 1, 5000, 'two acks');
      cloudAnswer(conn, 'status-1');
      cloudAnswer(conn, 'status-2', 'error', 'forbidden');
      await until(() => h.hub.metrics().outboxDepth === 0, 5000, 'refusal');
      const m = h.hub.metrics();
      assert.equal(m.acked, 2);
      assert.equal(m.rejected, 1);
      assert.equal(h.log.find('upstream rejected').length, 1);
      assert.equal(h.downstream.length, 0, 'the duplicate ack did not reach the listener');
    } finally {
      await h.hub.stop();
      await cloud.close();
    }
  });

  test('unacked rows survive an edgecore restart and replay in order', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'edgehub-restart-'));
    const file = path.join(dir, 'edgecore.db');
    const cloud = await FakeCloudHub.start(pki);
    try {
      const db1 = new Database(file);
      const first = makeHub(cloud, pki, { db: db1 });
      first.hub.start();
      await until(() => first.hub.isConnected(), 5000, 'connect');
      for (const n of [1, 2, 3]) first.hub.enqueue(podStatus(n));
      await until(() => updates(cloud).length === 3, 5000, 'sent once');
      cloudAnswer(cloud.last(), 'status-1');
      await until(() => first.hub.metrics().outboxDepth === 2, 5000, 'first ack');
      await first.hub.stop();
      db1.close();

      const db2 = new Database(file);
      const second = makeHub(cloud, pki, { db: db2 });
      try {
        assert.equal(second.hub.metrics().outboxDepth, 2);
        second.hub.start();
        await until(() => cloud.connections.length === 2 && updates(cloud, cloud.last()).length === 2, 5000, 'replay');
        assert.deepEqual(updates(cloud, cloud.last()), ['status-2', 'status-3']);
        for (const id of ['status-2', 'status-3']) cloudAnswer(cloud.last(), id);
        await until(() => second.hub.metrics().outboxDepth === 0, 5000, 'acks after replay');
      } finally {
        await second.hub.stop();
        db2.close();
      }
    } finally {
      await cloud.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a cloud without the ack header (KubeEdge) gets each row once, deleted after writing', async () => {
    const cloud = await FakeCloudHub.start(pki, { ackHeader: false });
    const h = makeHub(cloud, pki);
    try {
      h.hub.start();
      await until(() => h.hub.isConnected(), 5000, 'connect');
      for (const n of [1, 2, 3]) h.hub.enqueue(podStatus(n));
      await until(() => h.hub.metrics().outboxDepth === 0, 5000, 'rows deleted');
      await until(() => updates(cloud).length === 3, 5000, 'received');
      h.clock.advance(60_000);
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(updates(cloud), ['status-1', 'status-2', 'status-3']);
      assert.equal(h.hub.metrics().resends, 0);
    } finally {
      await h.hub.stop();
      await cloud.close();
    }
  });

  test('unacked rows are resent after the resend timeout and after a reconnect, in order', async () => {
    const cloud = await FakeCloudHub.start(pki);
    const h = makeHub(cloud, pki, { resendTimeoutMs: 10_000 });
    try {
      h.hub.start();
      await until(() => h.hub.isConnected(), 5000, 'connect');
      for (const n of [1, 2]) h.hub.enqueue(podStatus(n));
      await until(() => updates(cloud).length === 2, 5000, 'first send');
      h.clock.advance(10_000);
      await until(() => updates(cloud).length === 4, 5000, 'resend');
      assert.deepEqual(updates(cloud), ['status-1', 'status-2', 'status-1', 'status-2']);
      h.hub.reconnectNow();
      await until(() => cloud.connections.length === 2 && updates(cloud, cloud.last()).length === 2, 5000, 'replay');
      assert.deepEqual(updates(cloud, cloud.last()), ['status-1', 'status-2']);
      assert.equal(h.hub.metrics().resends, 4);
    } finally {
      await h.hub.stop();
      await cloud.close();
    }
  });

  test('the outbox waits for rate-limit tokens', async () => {
    const cloud = await FakeCloudHub.start(pki, { ackHeader: false });
    const h = makeHub(cloud, pki, { messageQPS: 1, messageBurst: 2 });
    try {
      h.hub.start();
      await until(() => h.hub.isConnected(), 5000, 'connect');
      for (const n of [1, 2, 3, 4]) h.hub.enqueue(podStatus(n));
      await until(() => updates(cloud).length === 2, 5000, 'burst');
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(updates(cloud).length, 2);
      h.clock.advance(1000);
      await until(() => updates(cloud).length === 3, 5000, 'one more token');
      h.clock.advance(1000);
      await until(() => updates(cloud).length === 4, 5000, 'last token');
      assert.deepEqual(updates(cloud), ['status-1', 'status-2', 'status-3', 'status-4']);
    } finally {
      await h.hub.stop();
      await cloud.close();
    }
  });
});
