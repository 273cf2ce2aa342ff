import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeBroker, externalConnectOptions, parseBrokerUrl } from './broker-url.js';
import { EventBusError } from './errors.js';

test("KubeEdge's tcp:// and ssl:// forms and ours", () => {
  assert.deepEqual(parseBrokerUrl('tcp://127.0.0.1:1883'), { secure: false, host: '127.0.0.1', port: 1883 });
  assert.deepEqual(parseBrokerUrl('mqtt://broker'), { secure: false, host: 'broker', port: 1883 });
  assert.deepEqual(parseBrokerUrl('ssl://broker:8884'), { secure: true, host: 'broker', port: 8884 });
  assert.deepEqual(parseBrokerUrl('mqtts://[::1]'), { secure: true, host: '::1', port: 8883 });
  assert.throws(() => parseBrokerUrl('http://x:1'), (e: unknown) => e instanceof EventBusError && e.code === 'bad_options');
  assert.throws(() => parseBrokerUrl('not a url'), EventBusError);
});

test('credentials: options first, then the URL; never in describeBroker', () => {
  const url = 'tcp://u%40x:p%3Aw@broker:1883';
  assert.equal(describeBroker(url), 'mqtt://broker:1883');
  const fromUrl = externalConnectOptions({ url }, 'id');
  assert.equal(fromUrl.username, 'u@x');
  assert.equal(fromUrl.password, 'p:w');
  const fromOpts = externalConnectOptions({ url, username: 'edge', password: 'secret', clientId: 'mine' }, 'id');
  assert.deepEqual([fromOpts.username, fromOpts.password, fromOpts.clientId, fromOpts.protocol], ['edge', 'secret', 'mine', 'mqtt']);
  // As KubeEdge: no username, no password sent.
  assert.equal(externalConnectOptions({ url: 'tcp://b', password: 'x' }, 'id').password, undefined);
});

test('TLS files are read for TLS schemes only; a missing file is a typed error', () => {
  const files: Record<string, string> = { '/ca': 'CA', '/crt': 'CRT', '/key': 'KEY' };
  const read = (p: string): Buffer => {
    const v = files[p];
    if (v === undefined) throw new Error('ENOENT');
    return Buffer.from(v);
  };
  const tls = { caFile: '/ca', certFile: '/crt', keyFile: '/key' };
  const o = externalConnectOptions({ url: 'ssl://broker:8883', tls }, 'id', read);
  assert.deepEqual([o.protocol, String(o.ca), String(o.cert), String(o.key), o.rejectUnauthorized, o.servername], ['mqtts', 'CA', 'CRT', 'KEY', true, 'broker']);
  assert.equal(externalConnectOptions({ url: 'tcp://broker', tls }, 'id', read).ca, undefined);
  assert.equal(externalConnectOptions({ url: 'ssl://b', tls: { rejectUnauthorized: false } }, 'id', read).rejectUnauthorized, false);
  assert.throws(() => externalConnectOptions({ url: 'ssl://b', tls: { caFile: '/nope' } }, 'id', read), (e: unknown) => e instanceof EventBusError && e.code === 'tls_files');
  // Empty strings (config defaults) mean "not set".
  assert.equal(externalConnectOptions({ url: 'ssl://b', tls: { caFile: '', certFile: '', keyFile: '' } }, 'id', read).ca, undefined);
});
