import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeviceModel } from '../../api/index.js';
import { admit, ModelLookupError, type ModelSource } from './admit.js';
import { decodeReview, encodeReview, ReviewDecodeError, type AdmissionRequest } from './review.js';

const model: DeviceModel = {
  apiVersion: 'devices.kubeedge.io/v1beta1', kind: 'DeviceModel', metadata: { name: 'thermo', namespace: 'plant' },
  spec: { properties: [
    { name: 'temperature', type: 'FLOAT', accessMode: 'ReadOnly' },
    { name: 'setpoint', type: 'INT', accessMode: 'ReadWrite', minimum: '0', maximum: '100' },
  ] },
};

/** Models by "ns/name"; `fail` makes every lookup fail as an unreachable API server would. */
function source(opts: { fail?: boolean } = {}): ModelSource & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    get: (ns, name) => {
      calls.push(`${ns}/${name}`);
      if (opts.fail) return Promise.reject(new ModelLookupError(ns, name, undefined, new Error('connect ECONNREFUSED')));
      return Promise.resolve(ns === 'plant' && name === 'thermo' ? model : undefined);
    },
  };
}

const device = (setpoint = '20', extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: 'devices.kubeedge.io/v1beta1', kind: 'Device', metadata: { name: 'th-1', namespace: 'plant', ...extra },
  spec: { deviceModelRef: { name: 'thermo' }, properties: [{ name: 'setpoint', desired: { value: setpoint } }] },
});

const request = (over: Partial<AdmissionRequest>): AdmissionRequest => ({
  uid: 'u-1', operation: 'CREATE', namespace: 'plant', name: 'th-1',
  resource: { group: 'devices.kubeedge.io', version: 'v1beta1', resource: 'devices' }, ...over,
});

describe('admit devices', () => {
  test('a valid device is allowed, its model read from its namespace', async () => {
    const models = source();
    assert.deepEqual(await admit('devices', request({ object: device() }), models), { uid: 'u-1', allowed: true });
    assert.deepEqual(models.calls, ['plant/thermo']);
  });

  test('an out-of-range desired value is a 422 naming the field, as the embedded API server says it', async () => {
    const r = await admit('devices', request({ object: device('150') }), source());
    assert.equal(r.allowed, false);
    assert.equal(r.result?.code, 422);
    assert.equal(r.result?.reason, 'Invalid');
    assert.match(r.result?.message ?? '', /^Device\.devices\.kubeedge\.io "th-1" is invalid: spec\.properties\[0\]\.desired\.value: Invalid value: "150": must be less than or equal to 100/);
    assert.deepEqual(r.result?.details?.causes?.map((c) => c.field), ['spec.properties[0].desired.value']);
  });

  test('every field error is listed', async () => {
    const obj = device('x');
    (obj.spec as { properties: unknown[] }).properties.push({ name: 'humidity' });
    const r = await admit('devices', request({ object: obj }), source());
    assert.deepEqual(r.result?.details?.causes?.map((c) => c.field), ['spec.properties[0].desired.value', 'spec.properties[1].name']);
    assert.match(r.result?.message ?? '', /spec\.properties\[0\]\.desired\.value: .*, spec\.properties\[1\]\.name: Not found: "humidity"/);
  });

  test('an unknown model is a 422 on spec.deviceModelRef.name', async () => {
    const obj = device();
    (obj.spec as { deviceModelRef: { name: string } }).deviceModelRef.name = 'nope';
    const r = await admit('devices', request({ object: obj }), source());
    assert.equal(r.result?.code, 422);
    assert.match(r.result?.message ?? '', /spec\.deviceModelRef\.name: Not found: "nope": no DeviceModel "nope" in namespace "plant"/);
  });

  test('a model that cannot be read is a 500 denial, never an allowed device', async () => {
    const r = await admit('devices', request({ object: device('150') }), source({ fail: true }));
    assert.equal(r.allowed, false);
    assert.equal(r.result?.code, 500);
    assert.match(r.result?.message ?? '', /cannot get DeviceModel "thermo" in namespace "plant": connect ECONNREFUSED; Device "th-1" was not validated/);
  });

  test('DELETE and CONNECT pass without a lookup; other operations are refused', async () => {
    const models = source({ fail: true });
    assert.equal((await admit('devices', request({ operation: 'DELETE', oldObject: device('150') }), models)).allowed, true);
    assert.equal((await admit('devices', request({ operation: 'CONNECT' }), models)).allowed, true);
    assert.deepEqual(models.calls, []);
    const r = await admit('devices', request({ operation: 'PATCH', object: device() }), models);
    assert.equal(r.result?.code, 400);
  });

  test('an UPDATE of metadata or status only passes unchecked; a spec change is checked', async () => {
    const models = source();
    const invalid = device('150');
    const relabelled = device('150', { labels: { a: 'b' } });
    relabelled.status = { twins: [] };
    assert.equal((await admit('devices', request({ operation: 'UPDATE', object: relabelled, oldObject: invalid }), models)).allowed, true);
    assert.deepEqual(models.calls, []);
    const r = await admit('devices', request({ operation: 'UPDATE', object: device('200'), oldObject: device('20') }), models);
    assert.equal(r.result?.code, 422);
    const noOld = await admit('devices', request({ operation: 'UPDATE', object: invalid }), models);
    assert.equal(noOld.result?.code, 422);
  });

  test('the namespace comes from the request when the object has none', async () => {
    const obj = device();
    delete (obj.metadata as { namespace?: string }).namespace;
    const models = source();
    assert.equal((await admit('devices', request({ object: obj }), models)).allowed, true);
    assert.deepEqual(models.calls, ['plant/thermo']);
  });

  test('a review for another resource, or without an object, is refused with 400', async () => {
    const models = source();
    const other = await admit('devices', request({ object: device(), resource: { group: 'devices.kubeedge.io', version: 'v1beta1', resource: 'devicemodels' } }), models);
    assert.equal(other.result?.code, 400);
    assert.match(other.result?.message ?? '', /validates devices\.devices\.kubeedge\.io, not devicemodels\.devices\.kubeedge\.io/);
    assert.equal((await admit('devices', request({ object: 'x' }), models)).result?.code, 400);
    assert.equal((await admit('devices', request({}), models)).result?.code, 400);
  });
});

describe('admit devicemodels', () => {
  const modelReq = (obj: unknown, over: Partial<AdmissionRequest> = {}): AdmissionRequest => request({
    name: 'm', object: obj, resource: { group: 'devices.kubeedge.io', version: 'v1beta1', resource: 'devicemodels' }, ...over,
  });

  test('a valid model passes; duplicate names and bad bounds are a 422 with each field', async () => {
    assert.equal((await admit('devicemodels', modelReq(model), source())).allowed, true);
    const bad = { metadata: { name: 'm' }, spec: { properties: [
      { name: 'a', type: 'INT', minimum: '5', maximum: '1' }, { name: 'a', type: 'COLOUR' },
    ] } };
    const r = await admit('devicemodels', modelReq(bad), source());
    assert.equal(r.result?.code, 422);
    assert.match(r.result?.message ?? '', /^DeviceModel\.devices\.kubeedge\.io "m" is invalid: /);
    assert.deepEqual(r.result?.details?.causes?.map((c) => c.field),
      ['spec.properties[0].minimum', 'spec.properties[1].name', 'spec.properties[1].type']);
  });
});

describe('AdmissionReview codec', () => {
  const body = (doc: unknown): string => JSON.stringify(doc);

  test('decodes v1 and v1beta1 and answers in the same version with the same uid', () => {
    for (const apiVersion of ['admission.k8s.io/v1', 'admission.k8s.io/v1beta1']) {
      const r = decodeReview(body({ apiVersion, kind: 'AdmissionReview', request: { uid: 'abc', operation: 'CREATE', object: {}, dryRun: true } }));
      assert.equal(r.apiVersion, apiVersion);
      assert.deepEqual(r.request, { uid: 'abc', operation: 'CREATE', object: {}, dryRun: true });
      assert.deepEqual(JSON.parse(encodeReview(r.apiVersion, { uid: 'abc', allowed: true })),
        { apiVersion, kind: 'AdmissionReview', response: { uid: 'abc', allowed: true } });
    }
  });

  test('refuses what is not an AdmissionReview request, saying why', () => {
    const cases: Array<[string, RegExp]> = [
      ['{"kind":', /not valid JSON/],
      ['[1]', /not a JSON object/],
      [body({ apiVersion: 'v1', kind: 'Pod' }), /expected kind AdmissionReview, got "Pod"/],
      [body({ apiVersion: 'admission.k8s.io/v2', kind: 'AdmissionReview' }), /expected apiVersion/],
      [body({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' }), /no request/],
      [body({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { operation: 'CREATE' } }), /request\.uid/],
      [body({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 'a', operation: 'CREATE', namespace: 3 } }), /request\.namespace must be a string/],
    ];
    for (const [text, message] of cases) {
      assert.throws(() => decodeReview(text), (err: unknown) => err instanceof ReviewDecodeError && message.test(err.message), text);
    }
  });
});
