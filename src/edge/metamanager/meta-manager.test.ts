import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { LinkState } from '../edgehub/index.js';
import type { EdgeHubPort } from '../edgehub/index.js';
import type { Message } from '../../core/index.js';
import { createTestLogger, newMessage } from '../../core/index.js';
import { openEdgeDatabase, type Database } from '../dbm/index.js';
import { MetaManager, type MetaChange, MetaNotFoundError, RemoteQueryError } from './index.js';

/** Records what metamanager does with the link; `onAck` runs at the moment of the ack. */
class RecordingHub implements EdgeHubPort {
  connected = true;
  readonly acks: Message[] = [];
  readonly sent: Message[] = [];
  readonly requests: Message[] = [];
  onAck: ((msg: Message) => void) | undefined;
  answer: (req: Message) => Promise<Message> = () => Promise.reject(new Error('no answer configured'));
  send(msg: Message): boolean {
    this.sent.push(msg);
    return true;
  }
  enqueue(): void {
    throw new Error('metamanager does not enqueue');
  }
  request(msg: Message): Promise<Message> {
    this.requests.push(msg);
    return this.answer(msg);
  }
  ack(msg: Message): void {
    this.acks.push(msg);
    this.onAck?.(msg);
  }
  state(): LinkState {
    return this.connected ? { kind: 'connected', since: 0 } : { kind: 'stopped' };
  }
  isConnected(): boolean {
    return this.connected;
  }
}

interface Fixture {
  file: string;
  db: Database;
  hub: RecordingHub;
  mm: MetaManager;
  log: ReturnType<typeof createTestLogger>;
}

function setup(t: { after(fn: () => void): void }): Fixture {
  const dir = mkdtempSync(path.join(tmpdir(), 'metamanager-'));
  const file = path.join(dir, 'edgecore.db');
  const db = openEdgeDatabase(file);
  const hub = new RecordingHub();
  const log = createTestLogger();
  const mm = new MetaManager({ db, hub, nodeName: 'edge-1', log, remoteQueryTimeoutMs: 1000 });
  t.after(() => {
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { file, db, hub, mm, log };
}

function configMap(name: string, rv: string, data: Record<string, string> = { a: '1' }, uid = `uid-${name}`): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', uid, resourceVersion: rv }, data };
}

function down(operation: string, resource: string, content: unknown, extra: { source?: string; rv?: string; group?: string } = {}): Message {
  return newMessage({
    source: extra.source ?? 'edgecontroller',
    group: extra.group ?? 'resource',
    operation,
    resource,
    content,
    resourceVersion: extra.rv,
  });
}

function storedRv(mm: MetaManager, name: string): unknown {
  return (mm.get('configmap', 'default', name)?.['metadata'] as { resourceVersion?: string } | undefined)?.resourceVersion;
}

test('insert is committed before the ack: a second connection reads the row at ack time', (t) => {
  const { file, hub, mm } = setup(t);
  const reader = new BetterSqlite3(file, { readonly: true });
  t.after(() => reader.close());
  const seen: unknown[] = [];
  hub.onAck = (msg) => {
    seen.push(reader.prepare('SELECT key, type, value FROM meta WHERE key = ?').get(msg.route.resource));
    seen.push(reader.prepare('SELECT * FROM meta_v2 WHERE key = ?').get('/core/v1/configmaps/default/cm1'));
  };
  const msg = down('insert', 'default/configmap/cm1', configMap('cm1', '5'), { rv: '5' });
  assert.equal(mm.handleDownstream(msg), 'applied');
  assert.equal(hub.acks.length, 1);
  assert.equal(hub.acks[0], msg);
  const [metaRow, v2Row] = seen as [{ key: string; type: string; value: string }, Record<string, unknown>];
  assert.equal(metaRow.type, 'configmap');
  assert.deepEqual(JSON.parse(metaRow.value), configMap('cm1', '5'));
  assert.equal(v2Row['group_version_resource'], '/v1, Resource=configmaps');
  assert.equal(v2Row['namespace'], 'default');
  assert.equal(v2Row['name'], 'cm1');
  assert.equal(v2Row['resource_version'], 5);
  assert.equal(mm.metrics().acked, 1);
});

test('resourceVersion never moves backwards (compared as integers), stale and duplicate are still acked', (t) => {
  const { hub, mm } = setup(t);
  assert.equal(mm.handleDownstream(down('insert', 'default/configmap/cm', configMap('cm', '10', { v: 'ten' }))), 'applied');
  // "9" > "10" as strings; as integers it is older and must not win.
  assert.equal(mm.handleDownstream(down('update', 'default/configmap/cm', configMap('cm', '9', { v: 'nine' }))), 'stale');
  assert.equal(storedRv(mm, 'cm'), '10');
  assert.equal(mm.handleDownstream(down('update', 'default/configmap/cm', configMap('cm', '10', { v: 'again' }))), 'duplicate');
  assert.deepEqual(mm.get('configmap', 'default', 'cm')?.['data'], { v: 'ten' });
  assert.equal(mm.handleDownstream(down('update', 'default/configmap/cm', configMap('cm', '11', { v: 'eleven' }))), 'applied');
  assert.deepEqual(mm.get('configmap', 'default', 'cm')?.['data'], { v: 'eleven' });
  assert.equal(hub.acks.length, 4);
  const m = mm.metrics();
  assert.equal(m.stale, 1);
  assert.equal(m.duplicates, 1);
  assert.equal(m.applied, 2);
});

test('header resourceversion is used when the content has none; a new uid replaces whatever the versions', (t) => {
  const { mm } = setup(t);
  const bare = (v: string) => ({ metadata: { name: 'p', namespace: 'default', uid: 'u1' }, data: { v } });
  assert.equal(mm.handleDownstream(down('insert', 'default/configmap/p', bare('a'), { rv: '20' })), 'applied');
  assert.equal(mm.handleDownstream(down('update', 'default/configmap/p', bare('b'), { rv: '19' })), 'applied',
    'stored value has no rv to compare with: apply');
  assert.equal(mm.handleDownstream(down('update', 'default/configmap/cm', configMap('cm', '50', {}, 'old'))), 'applied');
  assert.equal(mm.handleDownstream(down('insert', 'default/configmap/cm', configMap('cm', '3', {}, 'new'))), 'applied');
  assert.equal(storedRv(mm, 'cm'), '3');
});

test('delete removes meta and meta_v2 rows, is idempotent, and ignores a delete of an older incarnation', (t) => {
  const { db, hub, mm } = setup(t);
  mm.handleDownstream(down('insert', 'default/configmap/cm', configMap('cm', '1')));
  assert.equal(mm.handleDownstream(down('delete', 'default/configmap/cm', configMap('cm', '2'))), 'deleted');
  assert.equal(mm.get('configmap', 'default', 'cm'), undefined);
  assert.equal(db.prepare('SELECT COUNT(*) FROM meta_v2').pluck().get(), 0);
  assert.equal(mm.handleDownstream(down('delete', 'default/configmap/cm', configMap('cm', '2'))), 'absent');
  assert.equal(hub.acks.length, 3);

  mm.handleDownstream(down('insert', 'default/configmap/x', configMap('x', '5', {}, 'new-uid')));
  assert.equal(mm.handleDownstream(down('delete', 'default/configmap/x', configMap('x', '4', {}, 'old-uid'))), 'stale_delete');
  assert.notEqual(mm.get('configmap', 'default', 'x'), undefined);
  assert.equal(hub.acks.length, 5);
});

test('pod delete also drops its stored podpatch (KubeEdge processDeletePodDB)', (t) => {
  const { mm } = setup(t);
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', uid: 'p1', resourceVersion: '7' } };
  mm.handleDownstream(down('insert', 'default/pod/web', pod));
  mm.handleDownstream(down('update', 'default/podpatch/web', { metadata: { name: 'web' }, status: {} }, { source: 'metamanager' }));
  assert.equal(mm.list('podpatch').length, 1);
  assert.equal(mm.handleDownstream(down('delete', 'default/pod/web', pod)), 'deleted');
  assert.equal(mm.list('podpatch').length, 0);
  assert.equal(mm.list('pod').length, 0);
});

test('data survives closing and reopening the file', (t) => {
  const fx = setup(t);
  fx.mm.handleDownstream(down('insert', 'default/configmap/a', configMap('a', '1')));
  fx.mm.handleDownstream(down('insert', 'kube-system/configmap/b', { ...configMap('b', '2'), metadata: { name: 'b', namespace: 'kube-system', resourceVersion: '2' } }));
  fx.mm.handleDownstream(down('update', 'null/node/edge-1', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'edge-1', resourceVersion: '3' } }));
  fx.db.close();
  const db = openEdgeDatabase(fx.file);
  t.after(() => db.close());
  const mm = new MetaManager({ db, hub: new RecordingHub(), nodeName: 'edge-1', log: createTestLogger(), remoteQueryTimeoutMs: 1000 });
  assert.equal(storedRv(mm, 'a'), '1');
  assert.deepEqual(mm.list('configmap').map((o) => (o['metadata'] as { name: string }).name), ['a', 'b']);
  assert.deepEqual(mm.list('configmap', 'kube-system').map((o) => (o['metadata'] as { name: string }).name), ['b']);
  assert.equal((mm.get('node', null, 'edge-1')?.['metadata'] as { name: string }).name, 'edge-1');
  assert.equal(mm.list('node', null).length, 1);
  assert.equal(db.prepare("SELECT namespace FROM meta_v2 WHERE key = '/core/v1/nodes/null/edge-1'").pluck().get(), '');
  // and the rv rule holds across the restart
  assert.equal(mm.handleDownstream(down('update', 'default/configmap/a', configMap('a', '0'))), 'stale');
});

test('remote query: local miss asks the cloud, stores and acks the answer, then answers locally', async (t) => {
  const { hub, mm } = setup(t);
  hub.answer = async (req) => {
    const resp = newMessage({ source: 'edgecontroller', group: 'resource', operation: 'response', resource: req.route.resource,
      content: configMap('remote', '42'), parentId: req.header.msg_id, resourceVersion: '42' });
    return resp;
  };
  const changes: MetaChange[] = [];
  mm.onChange((c) => changes.push(c));
  const obj = await mm.query('configmap', 'default', 'remote');
  assert.equal((obj['metadata'] as { resourceVersion: string }).resourceVersion, '42');
  const req = hub.requests[0];
  assert.ok(req);
  assert.deepEqual(
    { op: req.route.operation, group: req.route.group, source: req.route.source, resource: req.route.resource, sync: req.header.sync },
    { op: 'query', group: 'resource', source: 'metamanager', resource: 'default/configmap/remote', sync: true },
  );
  assert.equal(storedRv(mm, 'remote'), '42');
  assert.equal(hub.acks.length, 1, 'KubeEdge cloudhub waits for an ack of an object-carrying response');
  assert.equal(changes.length, 1);
  await mm.query('configmap', 'default', 'remote');
  assert.equal(hub.requests.length, 1, 'second query served locally');
  assert.equal(mm.metrics().remoteQueries, 1);
});

test('remote query errors are typed', async (t) => {
  const { hub, mm } = setup(t);
  const respond = (content: unknown, operation = 'response') => async (req: Message) =>
    newMessage({ source: 'edgecontroller', group: 'resource', operation, resource: req.route.resource, content, parentId: req.header.msg_id });

  hub.answer = respond({ ErrStatus: { kind: 'Status', status: 'Failure', message: 'configmaps "x" not found', reason: 'NotFound', code: 404 } });
  await assert.rejects(mm.query('configmap', 'default', 'x'), (e: unknown) => e instanceof MetaNotFoundError && e.source === 'cloud');
  hub.answer = respond('boom', 'error');
  await assert.rejects(mm.query('secret', 'default', 'x'), (e: unknown) => e instanceof RemoteQueryError && e.code === 'remote_error');
  hub.answer = () => Promise.reject(new Error('timeout'));
  await assert.rejects(mm.query('secret', 'default', 'x'), (e: unknown) => e instanceof RemoteQueryError && e.code === 'request_failed');
  await assert.rejects(mm.query('service', 'default', 'x'), (e: unknown) => e instanceof MetaNotFoundError && e.source === 'local');
  hub.connected = false;
  const before = hub.requests.length;
  await assert.rejects(mm.query('configmap', 'default', 'y'), (e: unknown) => e instanceof RemoteQueryError && e.code === 'not_connected');
  assert.equal(hub.requests.length, before);
  assert.equal(mm.metrics().remoteQueryFailures, 2);
});

test('disk full: no ack, error reply, counters; the process keeps going and a resend later succeeds', (t) => {
  const { db, hub, mm, log } = setup(t);
  mm.handleDownstream(down('insert', 'default/configmap/small', configMap('small', '1')));
  const pages = db.pragma('page_count', { simple: true }) as number;
  db.pragma(`max_page_count = ${pages}`);
  const big = down('insert', 'default/configmap/big', configMap('big', '2', { blob: 'x'.repeat(256 * 1024) }));
  assert.equal(mm.handleDownstream(big), 'failed');
  assert.equal(hub.acks.length, 1, 'only the first insert was acked');
  assert.equal(mm.get('configmap', 'default', 'big'), undefined);
  assert.equal(mm.metrics().diskFull, 1);
  assert.equal(log.find('persist failed').length, 1);
  const reply = hub.sent.at(-1);
  assert.equal(reply?.route.operation, 'error');
  assert.equal(reply?.header.parent_msg_id, big.header.msg_id);
  // reads still work while the disk is full
  assert.equal(storedRv(mm, 'small'), '1');
  db.pragma('max_page_count = 1073741823');
  assert.equal(mm.handleDownstream(big), 'applied');
  assert.equal(hub.acks.at(-1), big);
});

test('bad input is rejected with an error reply and no ack; other groups are ignored', (t) => {
  const { hub, mm } = setup(t);
  assert.equal(mm.handleDownstream(down('insert', 'a/b/c/d', configMap('c', '1'))), 'rejected');
  assert.equal(mm.handleDownstream(down('insert', 'default/configmap/s', 'hello')), 'rejected');
  assert.equal(mm.handleDownstream(down('update', 'default/configmap/s', [1, 2])), 'rejected');
  assert.equal(mm.handleDownstream(down('update', 'default/configmap/s', {}, { group: 'twin' })), 'ignored');
  assert.equal(mm.handleDownstream(down('response', 'default/configmap/s', 'OK')), 'ignored');
  assert.equal(hub.acks.length, 0);
  assert.equal(hub.sent.length, 3);
  assert.ok(hub.sent.every((m) => m.route.operation === 'error' && m.route.source === 'metamanager'));
  assert.equal(mm.metrics().rejected, 3);
  // a JSON text of an object is accepted
  assert.equal(mm.handleDownstream(down('insert', 'default/configmap/j', JSON.stringify(configMap('j', '1')))), 'applied');
});

test('acks follow cloudhub noAckRequired', (t) => {
  const { hub, mm } = setup(t);
  const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'edge-1', resourceVersion: '1' } };
  mm.handleDownstream(down('insert', 'null/node/edge-1', node));
  mm.handleDownstream(down('insert', 'default/membership/detail', { members: [] }));
  mm.handleDownstream(down('insert', 'default/serviceaccounttoken/sa', { metadata: { name: 'sa' } }));
  assert.equal(hub.acks.length, 0);
  mm.handleDownstream(down('update', 'null/node/edge-1', { ...node, metadata: { name: 'edge-1', resourceVersion: '2' } }));
  assert.equal(hub.acks.length, 1);
});

test('onChange: listeners see committed upserts and deletes; a throwing listener breaks nothing', (t) => {
  const { hub, mm, log } = setup(t);
  const seen: string[] = [];
  mm.onChange(() => {
    throw new Error('bad listener');
  });
  const off = mm.onChange((c) => seen.push(`${c.op}:${c.type}:${c.namespace ?? '-'}/${c.name}`));
  mm.handleDownstream(down('insert', 'default/configmap/a', configMap('a', '1')));
  mm.handleDownstream(down('update', 'default/configmap/a', configMap('a', '1')));
  mm.handleDownstream(down('delete', 'default/configmap/a', configMap('a', '1')));
  off();
  mm.handleDownstream(down('insert', 'default/configmap/b', configMap('b', '1')));
  assert.deepEqual(seen, ['upsert:configmap:default/a', 'delete:configmap:default/a']);
  assert.equal(hub.acks.length, 4);
  assert.equal(mm.metrics().listenerErrors, 3);
  assert.equal(log.find('listener failed').length, 3);
});

test('a batch commits together and is acked in order; a failing member does not hold back the rest', (t) => {
  const { file, db, hub, mm } = setup(t);
  const reader = new BetterSqlite3(file, { readonly: true });
  t.after(() => reader.close());
  const counts: unknown[] = [];
  hub.onAck = () => counts.push(reader.prepare('SELECT COUNT(*) FROM meta').pluck().get());
  const msgs = ['a', 'b', 'c'].map((n, i) => down('insert', `default/configmap/${n}`, configMap(n, String(i + 1))));
  assert.deepEqual(mm.handleDownstreamBatch(msgs), ['applied', 'applied', 'applied']);
  assert.deepEqual(counts, [3, 3, 3]);
  assert.deepEqual(hub.acks, msgs);

  const pages = db.pragma('page_count', { simple: true }) as number;
  db.pragma(`max_page_count = ${pages + 1}`);
  const mixed = [
    down('update', 'default/configmap/a', configMap('a', '10')),
    down('insert', 'default/configmap/big', configMap('big', '11', { blob: 'y'.repeat(256 * 1024) })),
    down('bogus', 'default/configmap/a', {}),
  ];
  assert.deepEqual(mm.handleDownstreamBatch(mixed), ['applied', 'failed', 'ignored']);
  assert.equal(hub.acks.at(-1), mixed[0]);
  assert.equal(storedRv(mm, 'a'), '10');
});
