import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { assertApiError, collect, node, pod, rv } from './conformance-fixtures.js';
import { SCHEMA_VERSION, openStore } from './index.js';
import type { StoreLog } from './schema.js';
import { describeStoreConformance } from './store-conformance.js';

const dir = mkdtempSync(join(tmpdir(), 'kets-storage-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const newPath = (): string => join(dir, `store-${randomUUID()}.db`);

describeStoreConformance('SQLite file', (options) => openStore({ path: newPath(), ...options }));
describeStoreConformance('SQLite :memory:', (options) => openStore({ path: ':memory:', ...options }));

function warnings(): { log: StoreLog; messages: string[] } {
  const messages: string[] = [];
  return { log: { warn: (msg) => messages.push(msg) }, messages };
}

describe('SqliteStore on disk', () => {
  test('close and reopen keeps objects, revisions and history; revisions are never reused', () => {
    const path = newPath();
    let store = openStore({ path });
    store.create('pods', pod('a'));
    store.create('apps/deployments', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'default' } });
    store.create('nodes', node('n'));
    store.delete('nodes', '', 'n');
    store.close();

    store = openStore({ path });
    assert.equal(store.revision(), 4);
    assert.equal(rv(store.get('pods', 'default', 'a')), 1);
    assert.equal(rv(store.get('apps/deployments', 'default', 'd')), 2);
    assert.equal(store.get('nodes', '', 'n'), undefined);
    const history = collect(store, '*', { fromRevision: 0 });
    assert.deepEqual(history.summary(), ['ADDED pods a 1', 'ADDED apps/deployments d 2', 'ADDED nodes n 3', 'DELETED nodes n 4']);
    assert.equal(rv(store.create('nodes', node('n'))), 5, 'continues above the deletion');
    assert.deepEqual(history.events.at(-1)?.revision, 5);
    store.close();
  });

  test('uses WAL, a 0600 file, and a schema version', () => {
    const path = newPath();
    openStore({ path }).close();
    assert.equal(statSync(path).mode & 0o777, 0o600);
    const raw = new Database(path, { readonly: true });
    assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(raw.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get(), SCHEMA_VERSION);
    raw.close();
  });

  test('upgrades a version 1 file: the labels column is filled from the stored objects', () => {
    const path = newPath();
    const store = openStore({ path });
    store.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'default', labels: { app: 'web' } } });
    store.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b', namespace: 'default', labels: { app: 'db' } } });
    store.close();
    const raw = new Database(path);
    raw.exec("ALTER TABLE objects DROP COLUMN labels; UPDATE meta SET value = 1 WHERE key = 'schema_version'");
    raw.close();
    const reopened = openStore({ path });
    const web = reopened.list('pods', 'default', { labels: (l) => l?.['app'] === 'web' });
    assert.deepEqual(web.items.map((o) => o.metadata.name), ['a']);
    reopened.close();
  });

  test('refuses a newer schema version and a foreign database', () => {
    const newer = newPath();
    openStore({ path: newer }).close();
    const raw = new Database(newer);
    raw.prepare("UPDATE meta SET value = 99 WHERE key = 'schema_version'").run();
    raw.close();
    assertApiError(() => openStore({ path: newer }), 500, 'InternalError');
    const foreign = newPath();
    const other = new Database(foreign);
    other.exec('CREATE TABLE stuff (x)');
    other.close();
    assert.throws(() => openStore({ path: foreign }), /not a KubeEdge-TS store/);
  });

  test('a watch older than the compacted history gets 410 Gone', () => {
    const store = openStore({ path: newPath(), historyLimit: 5 });
    for (let i = 0; i < 20; i++) store.create('pods', pod(`p${i}`));
    store.compact();
    assert.equal(store.oldestWatchableRevision(), 15);
    assertApiError(() => store.watch('pods', { fromRevision: 3 }, () => undefined), 410, 'Expired', 'too old resource version: 3 (15)');
    assertApiError(() => store.watch('*', { fromRevision: 14 }, () => undefined), 410, 'Expired');
    const ok = collect(store, 'pods', { fromRevision: 15 });
    assert.deepEqual(ok.events.map((e) => e.revision), [16, 17, 18, 19, 20]);
    store.close();
  });

  test('compaction runs by itself as writes accumulate and survives a reopen', () => {
    const path = newPath();
    let store = openStore({ path, historyLimit: 10 });
    for (let i = 0; i < 50; i++) store.create('pods', pod(`p${i}`));
    const oldest = store.oldestWatchableRevision();
    assert.ok(oldest >= 39 && oldest <= 40, `history kept between limit and limit + slack, oldest ${oldest}`);
    store.close();
    store = openStore({ path, historyLimit: 10 });
    assert.equal(store.oldestWatchableRevision(), oldest);
    assert.equal(store.revision(), 50);
    assert.equal(collect(store, '*', { fromRevision: oldest }).events.length, 50 - oldest);
    store.close();
  });

  test('a corrupt row is skipped by list with a warning, and can still be deleted', () => {
    const path = newPath();
    let store = openStore({ path });
    store.create('pods', pod('a'));
    store.create('pods', pod('b'));
    store.close();
    const raw = new Database(path);
    raw.prepare("UPDATE objects SET value = '{not json' WHERE name = 'a'").run();
    raw.close();
    const { log, messages } = warnings();
    store = openStore({ path, log });
    assert.deepEqual(store.list('pods').items.map((o) => o.metadata.name), ['b']);
    assert.equal(messages.length, 1);
    assertApiError(() => store.get('pods', 'default', 'a'), 500, 'InternalError');
    const gone = store.delete('pods', 'default', 'a');
    assert.deepEqual(gone.metadata, { name: 'a', namespace: 'default', resourceVersion: '3' });
    assert.equal(store.count('pods'), 1);
    store.close();
  });

  test('close is idempotent and later calls fail cleanly', () => {
    const store = openStore({ path: newPath() });
    const w = collect(store, 'pods');
    store.close();
    store.close();
    assertApiError(() => store.get('pods', 'default', 'a'), 503, 'ServiceUnavailable');
    assertApiError(() => store.create('pods', pod('a')), 503, 'ServiceUnavailable');
    assertApiError(() => store.watch('pods', {}, () => undefined), 503, 'ServiceUnavailable');
    w.stop();
    assert.equal(w.events.length, 0);
  });

  test('historyLimit must be positive', () => {
    assert.throws(() => openStore({ path: ':memory:', historyLimit: 0 }), RangeError);
  });
});
