import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/index.js';
import { isDNS1123Subdomain, isQualifiedName } from './name-rules.js';
import { nameRuleFor, validateObjectMeta } from './object-meta.js';

const obj = (metadata: KubeObject['metadata']): KubeObject => ({ metadata });
const sub = { namespaced: true, nameRule: 'dns1123-subdomain' } as const;
const fields = (causes: Array<{ field?: string }>): Array<string | undefined> => causes.map((c) => c.field);

describe('validateObjectMeta', () => {
  test('accepts good names, labels and annotations', () => {
    const causes = validateObjectMeta(obj({ name: 'web-1.example', namespace: 'default', labels: { app: 'web', 'app.kubernetes.io/name': 'My_App-1', empty: '' },
      annotations: { 'example.com/note': 'anything goes here' }, finalizers: ['kubernetes', 'example.com/cleanup'] }), sub);
    assert.deepEqual(causes, []);
  });

  test('rejects a bad name with the Kubernetes message', () => {
    const [cause, ...rest] = validateObjectMeta(obj({ name: 'Web_1', namespace: 'default' }), sub);
    assert.equal(rest.length, 0);
    assert.equal(cause?.field, 'metadata.name');
    assert.equal(cause?.reason, 'FieldValueInvalid');
    assert.equal(cause?.message, 'Invalid value: "Web_1": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, ' +
      "'-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is " +
      "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
  });

  test('requires name or generateName, and checks generateName as a prefix', () => {
    assert.equal(validateObjectMeta(obj({ namespace: 'default' }), sub)[0]?.message, 'Required value: name or generateName is required');
    assert.deepEqual(validateObjectMeta(obj({ name: 'web-x1', generateName: 'web-', namespace: 'default' }), sub), []);
    assert.deepEqual(validateObjectMeta(obj({ generateName: 'web-', namespace: 'default' }), sub), []);
    assert.deepEqual(fields(validateObjectMeta(obj({ name: 'x', generateName: 'Web-', namespace: 'default' }), sub)), ['metadata.generateName']);
  });

  test('limits lengths: subdomain 253, label 63', () => {
    assert.deepEqual(validateObjectMeta(obj({ name: 'a'.repeat(253), namespace: 'ns' }), sub), []);
    assert.equal(validateObjectMeta(obj({ name: 'a'.repeat(254), namespace: 'ns' }), sub)[0]?.message, `Invalid value: "${'a'.repeat(254)}": must be no more than 253 characters`);
    const ns = validateObjectMeta(obj({ name: 'a'.repeat(64) }), { namespaced: false, nameRule: 'dns1123-label' });
    assert.match(ns[0]?.message ?? '', /must be no more than 63 characters/);
    assert.match(validateObjectMeta(obj({ name: 'a.b' }), { namespaced: false, nameRule: 'dns1123-label' })[0]?.message ?? '', /must not contain dots$/);
  });

  test('services need DNS-1035 labels (no leading digit)', () => {
    const causes = validateObjectMeta(obj({ name: '1web', namespace: 'ns' }), { namespaced: true, nameRule: 'dns1035-label' });
    assert.match(causes[0]?.message ?? '', /a DNS-1035 label must consist of/);
  });

  test('namespace presence follows the scope', () => {
    assert.deepEqual(fields(validateObjectMeta(obj({ name: 'x' }), sub)), ['metadata.namespace']);
    const cluster = validateObjectMeta(obj({ name: 'x', namespace: 'default' }), { namespaced: false, nameRule: 'dns1123-subdomain' });
    assert.equal(cluster[0]?.message, 'Forbidden: not allowed on this type');
  });

  test('rejects bad label keys and values', () => {
    const causes = validateObjectMeta(obj({ name: 'x', namespace: 'ns', labels: { 'bad key': 'v', ok: 'bad value!', [`${'a'.repeat(64)}`]: 'v' } }), sub);
    assert.equal(causes.length, 3);
    assert.ok(causes.every((c) => c.field === 'metadata.labels'));
    assert.match(causes[0]?.message ?? '', /^Invalid value: "bad key": name part must consist of alphanumeric characters/);
    assert.match(causes[1]?.message ?? '', /^Invalid value: "bad value!": a valid label must be an empty string or consist of/);
    assert.match(causes[2]?.message ?? '', /name part must be no more than 63 characters/);
  });

  test('limits the total annotation size to 256 KiB', () => {
    const causes = validateObjectMeta(obj({ name: 'x', namespace: 'ns', annotations: { big: 'x'.repeat(256 * 1024) } }), sub);
    assert.deepEqual(causes, [{ reason: 'FieldValueTooLong', field: 'metadata.annotations', message: 'Too long: may not be more than 262144 bytes' }]);
  });

  test('checks ownerReferences', () => {
    const causes = validateObjectMeta(obj({ name: 'x', namespace: 'ns', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: '', uid: 'u' }] }), sub);
    assert.deepEqual(causes.map((c) => c.message), ['Invalid value: "": name must not be empty']);
  });
});

test('name rules per resource', () => {
  assert.equal(nameRuleFor({ group: '', resource: 'namespaces' }), 'dns1123-label');
  assert.equal(nameRuleFor({ group: '', resource: 'services' }), 'dns1035-label');
  assert.equal(nameRuleFor({ group: 'apps', resource: 'deployments' }), 'dns1123-subdomain');
  assert.deepEqual(isDNS1123Subdomain('example.com'), []);
  assert.deepEqual(isQualifiedName('a/b/c').length, 1);
  assert.deepEqual(isQualifiedName('/x'), ['prefix part must be non-empty']);
});
