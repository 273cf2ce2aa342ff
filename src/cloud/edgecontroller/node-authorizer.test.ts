import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { authorizeUpstream, type AuthorizerFacts, type AuthzRequest } from './node-authorizer.js';
import type { ReferenceKind } from './pod-references.js';

// Facts: pods ns/name → node ('' = unscheduled); references node|kind|ns/name.
function facts(pods: Record<string, string>, refs: string[] = []): AuthorizerFacts {
  return {
    podNode: (ns, name) => pods[`${ns}/${name}`],
    nodeReferences: (node: string, kind: ReferenceKind, ns: string, name: string) => refs.includes(`${node}|${kind}|${ns}/${name}`),
  };
}

function req(operation: string, resource: string, content: unknown = {}): AuthzRequest {
  const [ns, type, name] = resource.split('/') as [string, string, string | undefined];
  return { operation, type, namespace: ns === 'null' ? null : ns, name, content };
}

const F = facts(
  { 'default/mine': 'edge-1', 'default/theirs': 'edge-2', 'default/pending': '', 'kube-system/sys': 'edge-1' },
  ['edge-1|configmaps|default/cfg', 'edge-1|secrets|default/pw', 'edge-1|serviceaccounts|default/default', 'edge-1|persistentvolumeclaims|default/data'],
);
const allowed = (r: AuthzRequest, node = 'edge-1'): boolean => authorizeUpstream(node, r, F).allowed;

describe('node authorizer: own node and lease', () => {
  test('a node may register, update, query its own Node', () => {
    assert.ok(allowed(req('insert', 'default/node/edge-1', { metadata: { name: 'edge-1' } })));
    assert.ok(allowed(req('update', 'null/node/edge-1', { metadata: { name: 'edge-1' } })));
    assert.ok(allowed(req('query', 'null/node/edge-1')));
  });

  test('another node, or a content naming another node, is refused', () => {
    assert.equal(allowed(req('insert', 'default/node/edge-2', { metadata: { name: 'edge-2' } })), false);
    assert.equal(allowed(req('insert', 'default/node/edge-1', { metadata: { name: 'edge-2' } })), false);
    assert.equal(allowed(req('query', 'null/node/edge-2')), false);
    assert.equal(allowed(req('update', 'null/nodestatus/edge-2', { Status: {} })), false);
    assert.equal(allowed(req('patch', 'null/nodepatch/edge-2', '{}')), false);
  });

  test('node delete is not a node operation', () => {
    assert.equal(allowed(req('delete', 'null/node/edge-1')), false);
  });

  test('nodestatus and nodepatch of the own node pass', () => {
    assert.ok(allowed(req('update', 'null/nodestatus/edge-1', { Status: {} })));
    assert.ok(allowed(req('patch', 'default/nodepatch/edge-1', '{"status":{}}')));
  });

  test('only kube-node-lease/<node> is the node lease', () => {
    assert.ok(allowed(req('insert', 'kube-node-lease/lease/edge-1', { metadata: { name: 'edge-1' } })));
    assert.ok(allowed(req('update', 'kube-node-lease/lease/edge-1', { metadata: { name: 'edge-1' } })));
    assert.ok(allowed(req('query', 'kube-node-lease/lease/edge-1')));
    assert.equal(allowed(req('update', 'kube-node-lease/lease/edge-2', { metadata: { name: 'edge-2' } })), false);
    assert.equal(allowed(req('update', 'default/lease/edge-1', { metadata: { name: 'edge-1' } })), false);
    assert.equal(allowed(req('update', 'kube-node-lease/lease/edge-1', { metadata: { name: 'edge-2' } })), false);
  });
});

describe('node authorizer: pods', () => {
  test('status of a pod bound to the node is allowed, of another node\'s pod refused', () => {
    assert.ok(allowed(req('update', 'default/podstatus/mine', { Name: 'mine' })));
    const d = authorizeUpstream('edge-1', req('update', 'default/podstatus/theirs', { Name: 'theirs' }), F);
    assert.equal(d.allowed, false);
    assert.match((d as { reason: string }).reason, /not bound to node "edge-1"/);
  });

  test('unscheduled pods are refused; unknown pods are left to the handler', () => {
    assert.equal(allowed(req('update', 'default/podstatus/pending', { Name: 'pending' })), false);
    assert.ok(allowed(req('update', 'default/podstatus/ghost', { Name: 'ghost' })));
  });

  test('a podstatus list is refused if any item is another node\'s', () => {
    assert.ok(allowed(req('update', 'default/podstatus', [{ Name: 'mine' }])));
    assert.equal(allowed(req('update', 'default/podstatus', [{ Name: 'mine' }, { Name: 'theirs' }])), false);
    assert.equal(allowed(req('update', 'default/podstatus', { Name: 'mine' })), false);
    assert.equal(allowed(req('update', 'default/podstatus', [{}])), false);
  });

  test('the namespace is part of the pod identity', () => {
    const twin = facts({ 'a/web': 'edge-1', 'b/web': 'edge-2' });
    assert.ok(authorizeUpstream('edge-1', req('update', 'a/podstatus/web', {}), twin).allowed);
    assert.equal(authorizeUpstream('edge-1', req('update', 'b/podstatus/web', {}), twin).allowed, false);
  });

  test('podpatch and pod delete follow the binding', () => {
    assert.ok(allowed(req('patch', 'default/podpatch/mine', '{}')));
    assert.equal(allowed(req('patch', 'default/podpatch/theirs', '{}')), false);
    assert.ok(allowed(req('delete', 'default/pod/mine', 'uid-1')));
    assert.equal(allowed(req('delete', 'default/pod/theirs', 'uid-2')), false);
  });

  test('pod insert/update from the edge are not allowed', () => {
    assert.equal(allowed(req('insert', 'default/pod/mine', {})), false);
    assert.equal(allowed(req('update', 'default/pod/mine', {})), false);
  });

  test('the other node is allowed its own pod', () => {
    assert.ok(allowed(req('update', 'default/podstatus/theirs', {}), 'edge-2'));
  });
});

describe('node authorizer: referenced objects', () => {
  test('configmaps and secrets referenced by the node\'s pods can be queried', () => {
    assert.ok(allowed(req('query', 'default/configmap/cfg')));
    assert.ok(allowed(req('query', 'default/secret/pw')));
    assert.ok(allowed(req('query', 'default/persistentvolumeclaim/data')));
  });

  test('unreferenced objects, other nodes, other namespaces and lists are refused', () => {
    assert.equal(allowed(req('query', 'default/configmap/other')), false);
    assert.equal(allowed(req('query', 'default/configmap/cfg'), 'edge-2'), false);
    assert.equal(allowed(req('query', 'kube-system/secret/pw')), false);
    assert.equal(allowed(req('query', 'default/secret')), false);
    assert.equal(allowed(req('query', 'null/secret/pw')), false);
  });

  test('configmaps cannot be written by nodes', () => {
    assert.equal(allowed(req('update', 'default/configmap/cfg', {})), false);
    assert.equal(allowed(req('insert', 'default/secret/pw', {})), false);
  });

  test('a service account token for a service account in use on the node', () => {
    assert.ok(allowed(req('query', 'default/serviceaccounttoken/default', { spec: {} })));
    assert.equal(allowed(req('query', 'default/serviceaccounttoken/admin', { spec: {} })), false);
  });

  test('a token bound to a pod must be bound to a pod on the node', () => {
    const bound = (name: string, kind = 'Pod'): unknown => ({ spec: { boundObjectRef: { kind, name } } });
    assert.ok(allowed(req('query', 'default/serviceaccounttoken/default', bound('mine'))));
    assert.equal(allowed(req('query', 'default/serviceaccounttoken/default', bound('theirs'))), false);
    assert.equal(allowed(req('query', 'default/serviceaccounttoken/default', bound('ghost'))), false);
    assert.equal(allowed(req('query', 'default/serviceaccounttoken/default', bound('x', 'Secret'))), false);
  });
});

describe('node authorizer: events', () => {
  const evt = (ns: string, kind: string, name: string, objNs?: string): unknown => ({
    metadata: { name: 'e1', namespace: ns },
    involvedObject: { kind, name, ...(objNs ? { namespace: objNs } : {}) },
  });

  test('events about the node itself or its pods pass', () => {
    assert.ok(allowed(req('insert', 'default/event/e1', evt('default', 'Node', 'edge-1'))));
    assert.ok(allowed(req('insert', 'default/event/e1', evt('default', 'Pod', 'mine', 'default'))));
    assert.ok(allowed(req('update', 'default/event/e1', evt('default', 'Pod', 'ghost'))));
    assert.ok(allowed(req('patch', 'default/event/e1', { event: evt('default', 'Node', 'edge-1'), patchData: '{}' })));
  });

  test('events about other nodes, their pods or other kinds are refused', () => {
    assert.equal(allowed(req('insert', 'default/event/e1', evt('default', 'Node', 'edge-2'))), false);
    assert.equal(allowed(req('insert', 'default/event/e1', evt('default', 'Pod', 'theirs'))), false);
    assert.equal(allowed(req('insert', 'default/event/e1', evt('default', 'Deployment', 'web'))), false);
    assert.equal(allowed(req('insert', 'default/event/e1', { metadata: { name: 'e1' } })), false);
  });

  test('namespaces must agree', () => {
    assert.equal(allowed(req('insert', 'kube-system/event/e1', evt('default', 'Node', 'edge-1'))), false);
    assert.equal(allowed(req('insert', 'default/event/e1', evt('default', 'Pod', 'sys', 'kube-system'))), false);
  });
});

test('types without a rule are denied', () => {
  assert.equal(allowed(req('query', 'default/device/d1')), false);
  assert.equal(allowed(req('query', 'null/persistentvolume/pv1')), false);
});
