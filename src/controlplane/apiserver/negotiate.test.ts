import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isApiError } from '../errors.js';
import { acceptsJson, negotiateDiscovery, negotiateObjectFormat, parseMediaRanges } from './negotiate.js';

const kubectlGet = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const kubectlDiscovery = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

const code = (fn: () => unknown): number | undefined => {
  try {
    fn();
    return undefined;
  } catch (e) {
    return isApiError(e) ? e.code : -1;
  }
};

describe('negotiation', () => {
  test('parses media ranges with parameters and drops q=0', () => {
    assert.deepEqual(parseMediaRanges('application/json; charset=utf-8, text/plain;q=0'), [{ mediaType: 'application/json', params: { charset: 'utf-8' } }]);
  });

  test('kubectl get gets a v1 Table; plain clients get JSON', () => {
    assert.deepEqual(negotiateObjectFormat(kubectlGet, true), { kind: 'table', version: 'v1' });
    assert.deepEqual(negotiateObjectFormat(kubectlGet, false), { kind: 'json' });
    assert.deepEqual(negotiateObjectFormat(undefined, true), { kind: 'json' });
    assert.deepEqual(negotiateObjectFormat('*/*', true), { kind: 'json' });
    assert.deepEqual(negotiateObjectFormat('application/json;as=Table;v=v1beta1;g=meta.k8s.io', true), { kind: 'table', version: 'v1beta1' });
    assert.deepEqual(negotiateObjectFormat('application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io', true), { kind: 'metadata', version: 'v1' });
  });

  test('protobuf with a JSON fallback is JSON; protobuf alone is 406', () => {
    assert.deepEqual(negotiateObjectFormat('application/vnd.kubernetes.protobuf, application/json', true), { kind: 'json' });
    assert.equal(code(() => negotiateObjectFormat('application/vnd.kubernetes.protobuf', true)), 406);
    assert.equal(acceptsJson('application/com.github.proto-openapi.spec.v2@v1.0+protobuf'), false);
  });

  test('discovery: aggregated when listed first', () => {
    assert.equal(negotiateDiscovery(kubectlDiscovery), 'v2');
    assert.equal(negotiateDiscovery('application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json'), 'v2beta1');
    assert.equal(negotiateDiscovery('application/json, application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList'), 'legacy');
    assert.equal(negotiateDiscovery(undefined), 'legacy');
    assert.equal(code(() => negotiateDiscovery('application/vnd.kubernetes.protobuf')), 406);
  });
});
