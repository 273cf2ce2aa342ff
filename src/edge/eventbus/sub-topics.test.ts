import { test } from 'node:test';
import assert from 'node:assert/strict';
import { schemaVersion } from '../dbm/index.js';
import { SubTopicStore } from './sub-topics.js';
import { memoryDb } from './test-kit.js';

test("sub_topics has KubeEdge's shape: one text column, the primary key", () => {
  const db = memoryDb();
  new SubTopicStore(db);
  const cols = db.prepare('PRAGMA table_info(sub_topics)').all() as { name: string; type: string; pk: number }[];
  assert.deepEqual(cols.map((c) => [c.name, c.type, c.pk]), [['topic', 'TEXT', 1]]);
  assert.equal(schemaVersion(db, 'eventbus'), 1);
});

test('add is idempotent (INSERT OR REPLACE), remove, list', () => {
  const db = memoryDb();
  const s = new SubTopicStore(db);
  s.add('b/#');
  s.add('a/+');
  s.add('b/#');
  assert.deepEqual(s.list(), ['a/+', 'b/#']);
  assert.equal(s.remove('b/#'), true);
  assert.equal(s.remove('b/#'), false);
  assert.deepEqual(new SubTopicStore(db).list(), ['a/+']);
});

test('a table KubeEdge created is adopted as is', () => {
  const db = memoryDb();
  db.exec('CREATE TABLE sub_topics (topic text, PRIMARY KEY (topic))');
  db.prepare('INSERT INTO sub_topics (topic) VALUES (?)').run('legacy/#');
  assert.deepEqual(new SubTopicStore(db).list(), ['legacy/#']);
});
