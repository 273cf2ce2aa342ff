import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compareResourceVersion, nodeOfSync, syncName, syncedKind, uidOfSync } from './index.js';

describe('sync names', () => {
  test('name is <node>.<uid>; node names may contain dots', () => {
    const n = syncName('edge.zone-a.1', '0b3c-44');
    assert.equal(n, 'edge.zone-a.1.0b3c-44');
    assert.equal(nodeOfSync(n), 'edge.zone-a.1');
    assert.equal(uidOfSync(n), '0b3c-44');
  });

  test('resourceVersions compare as unsigned integers, not strings', () => {
    assert.equal(compareResourceVersion('10', '9'), 1);
    assert.equal(compareResourceVersion('9', '10'), -1);
    assert.equal(compareResourceVersion('18446744073709551615', '18446744073709551614'), 1);
    assert.equal(compareResourceVersion('7', '7'), 0);
    assert.equal(compareResourceVersion('x', '7'), 1);
    assert.equal(compareResourceVersion('7', ''), -1);
  });

  test('kinds map to wire types and resources', () => {
    assert.equal(syncedKind('pod')?.kind, 'Pod');
    assert.equal(syncedKind('ConfigMap')?.type, 'configmap');
    assert.equal(syncedKind('Endpoints')?.ref.plural, 'endpoints');
    assert.equal(syncedKind('devicemodel')?.apiVersion, 'devices.kubeedge.io/v1beta1');
    assert.equal(syncedKind('node')?.ref.namespaced, false);
    assert.equal(syncedKind('podstatus'), undefined);
  });
});
