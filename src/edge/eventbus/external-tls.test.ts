// TLS to the external broker: mosquitto with a server certificate and required client certificates
// (KubeEdge's eventBus.tls: tlsMqttCAFile, tlsMqttCertFile, tlsMqttPrivateKeyFile), on ssl://.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCA, issueCertificate } from '../../core/pki/index.js';
import { startMosquitto, type Mosquitto } from '../../testing/mosquitto.js';
import { device, memoryDb, newBus, recordingRoutes, waitFor } from './test-kit.js';

const dir = mkdtempSync(join(tmpdir(), 'kets-eventbus-tls-'));
const file = (name: string): string => join(dir, name);
let broker: Mosquitto | undefined;

before(async () => {
  const ca = await createCA('kets-mqtt-ca');
  const server = await issueCertificate(ca, { commonName: 'mosquitto', ipAddresses: ['127.0.0.1'], dnsNames: ['localhost'], usage: 'server' });
  const client = await issueCertificate(ca, { commonName: 'edge-1', usage: 'client' });
  const files: Record<string, string> = { 'ca.crt': ca.certPem, 'server.crt': server.certPem, 'server.key': server.keyPem, 'client.crt': client.certPem, 'client.key': client.keyPem };
  for (const [name, pem] of Object.entries(files)) writeFileSync(file(name), pem, { mode: 0o600 });
  broker = await startMosquitto({ dir, tls: { caFile: file('ca.crt'), certFile: file('server.crt'), keyFile: file('server.key'), requireCertificate: true } });
});
after(async () => {
  await broker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('ssl:// with CA, client certificate and key: connected and routed', async (t) => {
  const b = broker!;
  const rec = recordingRoutes();
  const tls = { caFile: file('ca.crt'), certFile: file('client.crt'), keyFile: file('client.key') };
  const bus = newBus({ mode: 'external', db: memoryDb(), routes: rec.routes, external: { url: `ssl://127.0.0.1:${b.port}`, tls } });
  t.after(() => bus.stop());
  await bus.start();
  await waitFor(() => bus.externalState().kind === 'connected', 'connected over TLS');
  const dev = await device(b.port, { protocol: 'mqtts', ca: readFileSync(tls.caFile), cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) });
  t.after(() => dev.endAsync());
  await waitFor(() => {
    if (rec.twin.length > 0) return true;
    void dev.publishAsync('$hw/events/device/default/d1/twin/update', 'tls', { qos: 1 }).catch(() => {});
    return false;
  }, 'routed over TLS');
});

test('without a client certificate the broker refuses; the state says why', async (t) => {
  const b = broker!;
  const bus = newBus({ mode: 'external', db: memoryDb(), routes: recordingRoutes().routes, external: { url: b.url, tls: { caFile: file('ca.crt') } } });
  t.after(() => bus.stop());
  await bus.start();
  const s = await waitFor(() => {
    const st = bus.externalState();
    return st.kind === 'reconnecting' ? st : undefined;
  }, 'refused');
  assert.notEqual(s.lastError, '');
});

test('a server certificate from another CA is rejected', async (t) => {
  const b = broker!;
  const other = await createCA('other-ca');
  writeFileSync(file('other.crt'), other.certPem);
  const tls = { caFile: file('other.crt'), certFile: file('client.crt'), keyFile: file('client.key') };
  const bus = newBus({ mode: 'external', db: memoryDb(), routes: recordingRoutes().routes, external: { url: b.url, tls } });
  t.after(() => bus.stop());
  await bus.start();
  const s = await waitFor(() => {
    const st = bus.externalState();
    return st.kind === 'reconnecting' ? st : undefined;
  }, 'rejected');
  assert.match(s.lastError, /certificate/i);
});

test('a missing TLS file fails at construction with a typed error', () => {
  assert.throws(
    () => newBus({ mode: 'external', db: memoryDb(), routes: recordingRoutes().routes, external: { url: 'ssl://127.0.0.1:1', tls: { caFile: file('absent.crt') } } }),
    { name: 'EventBusError', code: 'tls_files' },
  );
});
