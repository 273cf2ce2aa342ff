import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newMessage } from '../../core/index.js';
import { connectEdge, eventually, keepalive, makePki, nodeCert, startHub, type TestEdge } from '../../testing/cloudhub-harness.js';

// A rough memory figure per connection, logged for the report, not asserted (it varies by machine).
// Edges and hub share this process, so the figure covers both ends of each connection, with one
// compressed message each way so the deflate/inflate state exists.

const N = 100;

for (const compression of [true, false]) {
  test(`memory per connection, compression ${compression ? 'on' : 'off'} (logged)`, async (t) => {
    const pki = await makePki();
    const certs = await Promise.all(Array.from({ length: N }, (_, i) => nodeCert(pki.ca, `mem-${i}`)));
    const f = await startHub(pki, { compression, nodeLimit: N });
    const edges: TestEdge[] = [];
    try {
      await settle();
      const before = usage();
      for (let i = 0; i < N; i++) {
        const edge = await connectEdge(f.port, {
          cert: certs[i]!,
          caPem: pki.ca.certPem,
          node: `mem-${i}`,
          perMessageDeflate: compression ? {} : false,
        });
        edges.push(edge);
        edge.send(keepalive());
        f.hub.send(`mem-${i}`, bigMessage(), { reliable: false });
      }
      await eventually(() => edges.every((e) => e.received.length === 1), 'deliveries');
      await settle();
      const after = usage();
      const perConn = Math.round((after - before) / N / 1024);
      t.diagnostic(`~${perConn} KiB per connection (hub + edge, heap + external), compression=${compression}`);
      const m = f.hub.metrics();
      t.diagnostic(`bytes out per connection: ${Math.round(m.bytesOutTotal / N)} B`);
      assert.equal(m.connectedNodes, N);
    } finally {
      for (const e of edges) e.close();
      await f.hub.stop();
    }
  });
}

function bigMessage(): ReturnType<typeof newMessage> {
  const items = Array.from({ length: 40 }, (_, i) => ({ name: `pod-${i}`, phase: 'Running', ready: true }));
  return newMessage({ source: 'edgecontroller', group: 'resource', operation: 'response', resource: 'default/pod', content: items });
}

/** Lets closing sockets of earlier tests go, then collects if the runner exposes gc (--expose-gc). */
async function settle(): Promise<void> {
  await new Promise((r) => setTimeout(r, 200));
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
}

function usage(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}
