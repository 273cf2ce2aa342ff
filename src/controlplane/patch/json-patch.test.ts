import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isApiError } from '../errors.js';
import { applyJsonPatch } from './json-patch.js';

function fails(fn: () => unknown, code: number, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isApiError(e), `expected an ApiError, got ${String(e)}`);
    assert.equal(e.code, code);
    assert.match(e.message, pattern);
    return true;
  });
}

describe('applyJsonPatch', () => {
  const doc = { metadata: { name: 'a', labels: { app: 'web' } }, spec: { list: [1, 2, 3], 'a/b': { '~x': 1 } } };

  test('add creates members, inserts into arrays and appends with "-"', () => {
    const out = applyJsonPatch(doc, [
      { op: 'add', path: '/metadata/labels/tier', value: 'fe' },
      { op: 'add', path: '/spec/list/1', value: 9 },
      { op: 'add', path: '/spec/list/-', value: 10 },
    ]);
    assert.deepEqual(out, { metadata: { name: 'a', labels: { app: 'web', tier: 'fe' } }, spec: { list: [1, 9, 2, 3, 10], 'a/b': { '~x': 1 } } });
    assert.deepEqual(doc.spec.list, [1, 2, 3], 'the input is not modified');
  });

  test('remove and replace, with ~0 and ~1 escapes', () => {
    const out = applyJsonPatch(doc, [
      { op: 'remove', path: '/spec/list/0' },
      { op: 'replace', path: '/spec/a~1b/~0x', value: 2 },
      { op: 'remove', path: '/metadata/labels/app' },
    ]);
    assert.deepEqual(out, { metadata: { name: 'a', labels: {} }, spec: { list: [2, 3], 'a/b': { '~x': 2 } } });
  });

  test('move and copy', () => {
    const out = applyJsonPatch(doc, [
      { op: 'copy', from: '/metadata/labels', path: '/metadata/annotations' },
      { op: 'move', from: '/spec/list/2', path: '/spec/list/0' },
      { op: 'move', from: '/metadata/name', path: '/metadata/generateName' },
    ]);
    assert.deepEqual(out, {
      metadata: { labels: { app: 'web' }, annotations: { app: 'web' }, generateName: 'a' },
      spec: { list: [3, 1, 2], 'a/b': { '~x': 1 } },
    });
  });

  test('test passes on deep equality and fails with 422 otherwise', () => {
    assert.deepEqual(applyJsonPatch(doc, [{ op: 'test', path: '/metadata/labels', value: { app: 'web' } }]), doc);
    fails(() => applyJsonPatch(doc, [{ op: 'test', path: '/metadata/name', value: 'b' }]), 422, /operation 0 \(test "\/metadata\/name"\).*test failed/);
  });

  test('replacing the root replaces the document', () => {
    assert.deepEqual(applyJsonPatch(doc, [{ op: 'replace', path: '', value: { x: 1 } }]), { x: 1 });
  });

  test('errors name the operation and the path', () => {
    fails(() => applyJsonPatch(doc, [{ op: 'replace', path: '/spec/missing', value: 1 }]), 422, /replace "\/spec\/missing".*does not exist/);
    fails(() => applyJsonPatch(doc, [{ op: 'remove', path: '/metadata/nope' }]), 422, /does not exist/);
    fails(() => applyJsonPatch(doc, [{ op: 'add', path: '/x/y', value: 1 }]), 422, /"\/x" does not exist/);
    fails(() => applyJsonPatch(doc, [{ op: 'add', path: '/spec/list/7', value: 1 }]), 422, /out of bounds/);
    fails(() => applyJsonPatch(doc, [{ op: 'add', path: '/spec/list/01', value: 1 }]), 422, /not a valid array index/);
    fails(() => applyJsonPatch(doc, [{ op: 'add', path: '/metadata/name/x', value: 1 }]), 422, /is a string/);
    fails(() => applyJsonPatch(doc, [{ op: 'move', from: '/spec', path: '/spec/inner' }]), 422, /own child/);
    fails(() => applyJsonPatch(doc, [{ op: 'copy', from: '/nope', path: '/x' }]), 422, /"\/nope" does not exist/);
    fails(() => applyJsonPatch(doc, [{ op: 'frobnicate', path: '/x' }]), 422, /unknown operation "frobnicate"/);
    fails(() => applyJsonPatch(doc, [{ op: 'add', path: '/x' }]), 422, /"value" is missing/);
    fails(() => applyJsonPatch(doc, [{ op: 'add', path: 'x', value: 1 }]), 422, /not a JSON pointer/);
    fails(() => applyJsonPatch(doc, [{ op: 'add', path: '/a~2', value: 1 }]), 422, /invalid escape/);
    fails(() => applyJsonPatch(doc, ['nope']), 422, /operation 0 is not an object/);
    fails(() => applyJsonPatch(doc, { op: 'add' }), 400, /JSON array/);
  });

  test('a failure part-way leaves the input untouched', () => {
    fails(() => applyJsonPatch(doc, [{ op: 'remove', path: '/spec/list/0' }, { op: 'test', path: '/spec/list/0', value: 1 }]), 422, /test failed/);
    assert.deepEqual(doc.spec.list, [1, 2, 3]);
  });

  test('null is a value', () => {
    assert.deepEqual(applyJsonPatch({ a: 1 }, [{ op: 'add', path: '/b', value: null }]), { a: 1, b: null });
  });
});
