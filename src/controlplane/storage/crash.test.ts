// kill -9 during a burst of writes must leave a store that opens, is intact and has every commit.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { openStore } from './index.js';

const writer = fileURLToPath(new URL('../../../test/fixtures/storage/crash-writer.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'kets-storage-crash-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the writer until it has reported `atLeast` commits, SIGKILLs it, returns every revision it printed. */
function burstAndKill(path: string, atLeast: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer, path], { stdio: ['ignore', 'pipe', 'inherit'] });
    const reported: number[] = [];
    let partial = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) reported.push(Number(line));
      if (reported.length >= atLeast && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    child.on('error', reject);
    // 'close' waits for stdout to drain: lines printed just before the kill still count.
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL') resolve(reported);
      else reject(new Error(`writer ended with code ${String(code)} before it was killed`));
    });
  });
}

interface EventRow { revision: number; resource: string; namespace: string; name: string; type: string; value: string }
interface ObjectRow { resource: string; namespace: string; name: string; revision: number; value: string }

/** Replays the history into the live state it implies, to compare with the objects table. */
function stateFromHistory(events: EventRow[]): Map<string, { revision: number; value: string }> {
  const state = new Map<string, { revision: number; value: string }>();
  for (const e of events) {
    const key = `${e.resource}|${e.namespace}|${e.name}`;
    if (e.type === 'DELETED') state.delete(key);
    else state.set(key, { revision: e.revision, value: e.value });
  }
  return state;
}

test('kill -9 during a write burst loses nothing committed and leaves a consistent store', async () => {
  const path = join(dir, 'crash.db');
  const reported = await burstAndKill(path, 3000);
  assert.ok(reported.length >= 3000);
  for (let i = 1; i < reported.length; i++) assert.ok(reported[i]! > reported[i - 1]!, 'reported revisions increase');
  const maxReported = reported.at(-1) ?? 0;

  const store = openStore({ path });
  const revision = store.revision();
  assert.ok(revision >= maxReported, `store revision ${revision} >= last reported ${maxReported}`);

  const raw = new Database(path, { readonly: true });
  assert.equal(raw.pragma('integrity_check', { simple: true }), 'ok');
  const events = raw.prepare('SELECT revision, resource, namespace, name, type, value FROM events ORDER BY revision').all() as EventRow[];
  const objects = raw.prepare('SELECT resource, namespace, name, revision, value FROM objects').all() as ObjectRow[];
  raw.close();

  // History is contiguous from 1 to the store revision, so every reported revision is in it.
  assert.equal(events.length, revision);
  events.forEach((e, i) => assert.equal(e.revision, i + 1));
  const inHistory = new Set(events.map((e) => e.revision));
  for (const r of reported) assert.ok(inHistory.has(r), `committed revision ${r} is in history`);

  // The objects table is exactly what the history says.
  const expected = stateFromHistory(events);
  assert.equal(objects.length, expected.size);
  for (const o of objects) {
    const want = expected.get(`${o.resource}|${o.namespace}|${o.name}`);
    assert.ok(want, `object ${o.resource} ${o.name} has a history`);
    assert.equal(o.revision, want.revision);
    assert.equal(o.value, want.value);
    assert.equal(JSON.parse(o.value).metadata.resourceVersion, String(o.revision));
  }
  assert.equal(store.list('pods').items.length + store.list('nodes').items.length, objects.length);

  // Writing continues above everything that was committed.
  const next = store.create('pods', { metadata: { name: 'after-crash', namespace: 'default' } });
  assert.equal(Number(next.metadata.resourceVersion), revision + 1);
  store.close();
  const reopened = openStore({ path });
  assert.equal(reopened.revision(), revision + 1);
  reopened.close();
});
