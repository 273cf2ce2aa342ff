// Bad input on the link, from a raw client holding a real edge certificate: malformed and oversized
// frames, unknown operations, another node's objects, replayed msg_ids, a certificate from another CA and
// a TLS handshake that never finishes. Each is refused and counted; cloudcore keeps running.
import { describe, test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createCA, issueCertificate } from '../../src/core/pki/index.js';
import { cloudcoreSuite } from '../harness/suite.js';
import { eventually, joinToken, startEdgecore, waitNodeReady, type EdgecoreProcess } from '../harness/edgecore.js';
import { cloudMetrics, metricSum } from '../harness/link.js';

const projectID = 'e632aba927ea4ac2b575ec1603d56f10';

interface RawClient { ws: WebSocket; received: any[]; closed: Promise<number> }

function rawClient(port: number, node: string, tls: { ca: string; cert: string; key: string }): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`wss://127.0.0.1:${port}/${projectID}/${node}/events`, {
      ...tls, headers: { node_id: node, project_id: projectID, ConnectionUse: 'msg', 'x-kubeedge-ts-upstream-ack': 'v1' },
    });
    const received: any[] = [];
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.on('message', (d) => { try { received.push(JSON.parse(d.toString())); } catch { received.push(d.toString()); } });
    ws.once('open', () => resolve({ ws, received, closed }));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
  });
}

const frame = (op: string, resource: string, content: unknown, id = randomUUID()): string => JSON.stringify({
  header: { msg_id: id, timestamp: Date.now() }, route: { source: 'edged', group: 'resource', operation: op, resource }, content,
});

describe('bad input on the link', () => {
  const suite = cloudcoreSuite();
  const edges: EdgecoreProcess[] = [];
  let tls: { ca: string; cert: string; key: string };
  before(async () => {
    const token = await joinToken(suite.cc);
    for (const name of ['edge-good', 'edge-other']) {
      const e = await startEdgecore(suite.cc, { nodeName: name, token });
      edges.push(e);
      await waitNodeReady(suite.cc, e);
    }
    // The raw client takes over edge-good's identity; its edgecore must not compete for the session.
    await (edges[0] as EdgecoreProcess).stop();
    const dir = (edges[0] as EdgecoreProcess).dataDir;
    tls = { ca: readFileSync(join(dir, 'ca/rootCA.crt'), 'utf8'), cert: readFileSync(join(dir, 'certs/server.crt'), 'utf8'), key: readFileSync(join(dir, 'certs/server.key'), 'utf8') };
    await suite.k(['apply', '-f', '-'], `apiVersion: v1
kind: Pod
metadata: { name: other-pod, namespace: default }
spec: { nodeName: edge-other, containers: [{ name: app, image: busybox }] }
`);
  });
  after(async () => { for (const e of edges) await e.dispose(); });
  const rejected = async (): Promise<number> => metricSum(await cloudMetrics(suite.cc), 'kubeedge_cloudhub_rejected_total');

  test('a client whose certificate names another node than its node_id is refused', async () => {
    const before = await rejected();
    await assert.rejects(rawClient(suite.cc.ports.cloudhub, 'edge-other', tls), /refused|403|Unexpected/);
    assert.ok((await rejected()) > before, 'counted');
  });

  test('malformed, oversized and unknown frames are refused and counted; the session stays up', async () => {
    const c = await rawClient(suite.cc.ports.cloudhub, 'edge-good', tls);
    const before = await rejected();
    c.ws.send('{"header": not json');
    c.ws.send(JSON.stringify({ route: {} }));
    c.ws.send(frame('frobnicate', 'default/pod/x', {}));
    c.ws.send(frame('update', 'default/podstatus', 'not an object'));
    c.ws.send(frame('update', 'default/configmap/x', { data: { big: 'x'.repeat(5 * 1024 * 1024) } }));
    await eventually(async () => (await rejected()) >= before + 4, 'four or more refusals counted');
    assert.equal(c.ws.readyState, WebSocket.OPEN, 'the session stays up');
    c.ws.close();
  });

  test('a forged status for another node\'s pod is refused and the pod is untouched', async () => {
    const c = await rawClient(suite.cc.ports.cloudhub, 'edge-good', tls);
    const pod = JSON.parse(await suite.k(['get', 'pod', 'other-pod', '-o', 'json']));
    const forbiddenBefore = metricSum(await cloudMetrics(suite.cc), 'kubeedge_edgecontroller_denied_total');
    const id = randomUUID();
    c.ws.send(frame('update', 'default/podstatus/other-pod', { UID: pod.metadata.uid, Name: 'other-pod', Status: { phase: 'Failed', message: 'forged' } }, id));
    c.ws.send(frame('update', 'null/nodestatus/edge-other', { UID: 'x', Status: { phase: 'Running' } }));
    c.ws.send(frame('update', 'kube-node-lease/lease/edge-other', { metadata: { name: 'edge-other', namespace: 'kube-node-lease' }, spec: {} }));
    await eventually(() => c.received.some((m) => m?.header?.parent_msg_id === id && m.route?.operation === 'error'), 'an error response to the forged status');
    await eventually(async () => metricSum(await cloudMetrics(suite.cc), 'kubeedge_edgecontroller_denied_total') >= forbiddenBefore + 3, 'three denials counted');
    const after = JSON.parse(await suite.k(['get', 'pod', 'other-pod', '-o', 'json']));
    assert.notEqual(after.status?.message, 'forged');
    assert.equal(c.ws.readyState, WebSocket.OPEN);
    c.ws.close();
  });

  test('a replayed msg_id is dropped as a duplicate', async () => {
    const c = await rawClient(suite.cc.ports.cloudhub, 'edge-good', tls);
    const m0 = await cloudMetrics(suite.cc);
    const f = frame('insert', 'default/event/replayed', { metadata: { name: 'replayed', namespace: 'default' },
      involvedObject: { kind: 'Node', name: 'edge-good' }, reason: 'Test', message: 'once', type: 'Normal' });
    c.ws.send(f);
    c.ws.send(f);
    c.ws.send(f);
    await eventually(async () => metricSum(await cloudMetrics(suite.cc), 'kubeedge_cloudhub_duplicates_total') >= metricSum(m0, 'kubeedge_cloudhub_duplicates_total') + 2, 'two duplicates counted');
    c.ws.close();
  });

  test('a certificate from another CA fails the TLS handshake', async () => {
    const ca = await createCA('intruder-ca');
    const cert = await issueCertificate(ca, { commonName: 'system:node:edge-good', organization: ['system:nodes'], usage: 'client' });
    await assert.rejects(rawClient(suite.cc.ports.cloudhub, 'edge-good', { ca: tls.ca, cert: cert.certPem, key: cert.keyPem }));
  });

  test('a TLS handshake that never finishes is closed, and cloudcore keeps serving', async () => {
    const closedAfter = await new Promise<number>((resolve, reject) => {
      const t0 = Date.now();
      const s = connect(suite.cc.ports.cloudhub, '127.0.0.1');
      s.on('error', () => undefined);
      s.on('close', () => resolve(Date.now() - t0));
      setTimeout(() => { s.destroy(); reject(new Error('the silent connection was not closed within 40 s')); }, 40_000);
    });
    process.stdout.write(`# silent TLS connection closed after ${closedAfter} ms\n`);
    const c = await rawClient(suite.cc.ports.cloudhub, 'edge-good', tls);
    c.ws.close();
  });
});
