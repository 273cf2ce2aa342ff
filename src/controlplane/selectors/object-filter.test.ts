import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/index.js';
import { isApiError } from '../errors.js';
import { compileObjectFilter, escapeFieldValue, parseFieldSelector } from './index.js';

function badRequest(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isApiError(e));
    assert.equal(e.code, 400);
    assert.equal(e.message, message);
    return true;
  });
}

describe('parseFieldSelector', () => {
  test('=, == and != terms, sorted', () => {
    assert.deepEqual(parseFieldSelector('status.phase!=Running,spec.nodeName==n1,metadata.name=a'), [
      { field: 'metadata.name', operator: '=', value: 'a' },
      { field: 'spec.nodeName', operator: '=', value: 'n1' },
      { field: 'status.phase', operator: '!=', value: 'Running' },
    ]);
    assert.deepEqual(parseFieldSelector(''), []);
    assert.deepEqual(parseFieldSelector('spec.nodeName='), [{ field: 'spec.nodeName', operator: '=', value: '' }]);
  });

  test('escaped commas, equals signs and backslashes belong to the value', () => {
    assert.deepEqual(parseFieldSelector('metadata.name=a\\,b\\=c\\\\d,type=x'), [
      { field: 'metadata.name', operator: '=', value: 'a,b=c\\d' },
      { field: 'type', operator: '=', value: 'x' },
    ]);
    const odd = 'x,y=z\\w';
    assert.deepEqual(parseFieldSelector(`metadata.name=${escapeFieldValue(odd)}`), [{ field: 'metadata.name', operator: '=', value: odd }]);
  });

  test('malformed selectors', () => {
    badRequest(() => parseFieldSelector('nonsense'), "invalid selector: 'nonsense'; can't understand 'nonsense'");
    badRequest(() => parseFieldSelector('a=b=c'), 'invalid field selector: unescaped character in value: 61');
    badRequest(() => parseFieldSelector('a=b\\x'), 'invalid field selector: invalid escape sequence: \\x');
    badRequest(() => parseFieldSelector('a=b\\'), 'invalid field selector: invalid escape sequence: \\');
  });
});

describe('compileObjectFilter', () => {
  const pod = (name: string, namespace: string, nodeName?: string, labels?: Record<string, string>): KubeObject => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, ...(labels ? { labels } : {}) },
    spec: { ...(nodeName ? { nodeName } : {}) }, status: { phase: 'Running' },
  });
  const pods = [pod('a', 'default', 'n1', { app: 'web' }), pod('b', 'default', undefined, { app: 'api' }), pod('c', 'kube-system', 'n2')];
  const names = (filter: (o: KubeObject) => boolean) => pods.filter(filter).map((p) => p.metadata.name);

  test('no selectors match everything', () => {
    assert.deepEqual(names(compileObjectFilter({})), ['a', 'b', 'c']);
  });

  test('metadata.name and metadata.namespace work on any kind', () => {
    assert.deepEqual(names(compileObjectFilter({ fieldSelector: 'metadata.namespace=default' })), ['a', 'b']);
    assert.deepEqual(names(compileObjectFilter({ fieldSelector: 'metadata.name!=a', kind: 'Widget' })), ['b', 'c']);
  });

  test('pod fields: spec.nodeName, including the empty value for unscheduled pods', () => {
    assert.deepEqual(names(compileObjectFilter({ fieldSelector: 'spec.nodeName=n1', kind: 'Pod' })), ['a']);
    assert.deepEqual(names(compileObjectFilter({ fieldSelector: 'spec.nodeName=', kind: 'Pod' })), ['b']);
    assert.deepEqual(names(compileObjectFilter({ fieldSelector: 'spec.nodeName!=,status.phase=Running', kind: 'Pod' })), ['a', 'c']);
    assert.deepEqual(names(compileObjectFilter({ fieldSelector: 'spec.hostNetwork=false', kind: 'Pod' })), ['a', 'b', 'c']);
  });

  test('labels and fields together; extra getters', () => {
    assert.deepEqual(names(compileObjectFilter({ labelSelector: 'app', fieldSelector: 'metadata.namespace=default' })), ['a', 'b']);
    assert.deepEqual(names(compileObjectFilter({ labelSelector: 'app=web' })), ['a']);
    const filter = compileObjectFilter({ fieldSelector: 'spec.color=blue', fields: { 'spec.color': () => 'blue' } });
    assert.deepEqual(names(filter), ['a', 'b', 'c']);
  });

  test('unsupported fields and bad label selectors are 400s', () => {
    badRequest(() => compileObjectFilter({ fieldSelector: 'spec.nodeName=n1' }), 'field label not supported: spec.nodeName');
    badRequest(() => compileObjectFilter({ fieldSelector: 'spec.color=blue', kind: 'Pod' }), 'field label not supported: spec.color');
    badRequest(() => compileObjectFilter({ labelSelector: 'a=b c' }), "found 'c', expected: ',' or 'end of string'");
  });
});
