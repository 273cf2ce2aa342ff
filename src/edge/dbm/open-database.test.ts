import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openEdgeDatabase } from './open-database.js';
import { applyMigrations, schemaVersion } from './migrations.js';
import { DatabaseError, guardDatabase, isDiskFull } from './errors.js';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dbm-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('creates the parent directory, a 0600 file, WAL and synchronous FULL by default', (t) => {
  const file = path.join(tempDir(t), 'a', 'b', 'edgecore.db');
  const db = openEdgeDatabase(file);
  t.after(() => db.close());
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('synchronous', { simple: true }), 2); // FULL
  assert.equal(statSync(file).mode & 0o777, 0o600);
});

test('synchronous NORMAL on request', (t) => {
  const db = openEdgeDatabase(path.join(tempDir(t), 'edgecore.db'), { synchronous: 'NORMAL' });
  t.after(() => db.close());
  assert.equal(db.pragma('synchronous', { simple: true }), 1);
});

test('a file that is not a database fails with DatabaseError corrupt', (t) => {
  const file = path.join(tempDir(t), 'edgecore.db');
  writeFileSync(file, 'not an sqlite file '.repeat(20));
  assert.throws(() => openEdgeDatabase(file), (err: unknown) => {
    assert.ok(err instanceof DatabaseError);
    assert.equal(err.code, 'corrupt');
    assert.equal(err.op, 'open');
    return true;
  });
});

test('a path that cannot be a file fails with a typed error', (t) => {
  const dir = tempDir(t);
  const asDir = path.join(dir, 'edgecore.db');
  mkdirSync(asDir);
  assert.throws(() => openEdgeDatabase(asDir), DatabaseError);
  const blocker = path.join(dir, 'file');
  writeFileSync(blocker, 'x');
  assert.throws(() => openEdgeDatabase(path.join(blocker, 'edgecore.db')), (err: unknown) => {
    assert.ok(err instanceof DatabaseError);
    assert.equal(err.code, 'cannot_open');
    return true;
  });
});

test('migrations run once per module, in order, and survive reopening', (t) => {
  const file = path.join(tempDir(t), 'edgecore.db');
  const migrations = [
    { version: 2, up: 'ALTER TABLE t ADD COLUMN b TEXT' },
    { version: 1, up: 'CREATE TABLE IF NOT EXISTS t (a TEXT)' },
  ];
  let db = openEdgeDatabase(file);
  assert.equal(applyMigrations(db, 'm1', migrations), 2);
  assert.equal(applyMigrations(db, 'm1', migrations), 2); // a second run would fail on the ALTER
  assert.equal(schemaVersion(db, 'other'), 0);
  db.close();
  db = openEdgeDatabase(file);
  t.after(() => db.close());
  assert.equal(schemaVersion(db, 'm1'), 2);
  db.prepare('INSERT INTO t (a, b) VALUES (?, ?)').run('x', 'y');
  assert.throws(() => applyMigrations(db, 'm1', migrations.slice(1)), (err: unknown) => {
    assert.ok(err instanceof DatabaseError);
    assert.equal(err.code, 'schema');
    return true;
  });
});

test('a failing migration rolls back and is reported as schema error', (t) => {
  const db = openEdgeDatabase(path.join(tempDir(t), 'edgecore.db'));
  t.after(() => db.close());
  assert.throws(
    () => applyMigrations(db, 'bad', [{ version: 1, up: 'CREATE TABLE ok1 (a)' }, { version: 2, up: 'NOT SQL' }]),
    (err: unknown) => err instanceof DatabaseError && err.code === 'schema',
  );
  assert.equal(schemaVersion(db, 'bad'), 0);
  assert.equal(db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'ok1'").get(), undefined);
});

test('SQLITE_FULL surfaces as DatabaseError disk_full and the connection stays usable', (t) => {
  const db = openEdgeDatabase(path.join(tempDir(t), 'edgecore.db'));
  t.after(() => db.close());
  db.exec('CREATE TABLE big (v TEXT)');
  const pages = db.pragma('page_count', { simple: true }) as number;
  db.pragma(`max_page_count = ${pages + 2}`);
  const insert = db.prepare('INSERT INTO big (v) VALUES (?)');
  const err = (() => {
    try {
      guardDatabase('write', () => db.transaction(() => insert.run('x'.repeat(64 * 1024)))());
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  assert.ok(err instanceof DatabaseError, 'expected a DatabaseError');
  assert.equal(err.code, 'disk_full');
  assert.equal(err.sqliteCode, 'SQLITE_FULL');
  assert.ok(isDiskFull(err));
  db.pragma('max_page_count = 1073741823');
  guardDatabase('write', () => insert.run('small'));
  assert.equal(db.prepare('SELECT COUNT(*) FROM big').pluck().get(), 1);
});
