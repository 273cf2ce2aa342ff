// bin/admission, the validating webhook for devices.kubeedge.io, as a real process: it reads DeviceModels
// from a real API server (the embedded control plane of a cloudcore, through its kubeconfig) and answers
// AdmissionReviews POSTed over HTTPS with a serving certificate the test issues. Covers KubeEdge's device
// cases (valid, unknown model, unknown property, bad desired value, bad model), DELETE, metadata-only
// updates, bad HTTP input, an API server that cannot be reached, bad certificate flags and SIGTERM.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCA, issueCertificate } from '../../src/core/pki/index.js';
import { startCloudcore, type CloudcoreProcess } from '../harness/cloudcore.js';
import { kubectlOk } from '../harness/kubectl.js';
import { freePort } from '../harness/ports.js';
import { repoRoot } from '../harness/repo.js';

type Json = Record<string, any>;
interface Reply { status: number; text: string }

interface Webhook {
  port: number;
  proc: ChildProcess;
  logs(): string;
  exit: Promise<number | null>;
}

/** Runs bin/admission; resolves once /healthz answers, or rejects with its output if it exits first. */
async function startAdmission(args: string[], ca: string): Promise<Webhook> {
  const port = await freePort();
  const proc = spawn(process.execPath, [join(repoRoot(), 'bin/admission'), '--bind-address', '127.0.0.1', '--port', String(port), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout?.setEncoding('utf8').on('data', (d: string) => { out += d; });
  proc.stderr?.setEncoding('utf8').on('data', (d: string) => { out += d; });
  const exit = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const webhook: Webhook = { port, proc, logs: () => out, exit };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`admission exited ${proc.exitCode} before serving:\n${out}`);
    const ok = await send(webhook, ca, { method: 'GET', path: '/healthz' }).then((r) => r.status === 200, () => false);
    if (ok) return webhook;
    if (Date.now() > deadline) { proc.kill('SIGKILL'); throw new Error(`admission did not serve within 30 s:\n${out}`); }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs bin/admission expecting it to exit at once. */
function runToExit(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [join(repoRoot(), 'bin/admission'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    proc.stdout.setEncoding('utf8').on('data', (d: string) => { output += d; });
    proc.stderr.setEncoding('utf8').on('data', (d: string) => { output += d; });
    const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
    proc.once('close', (code) => { clearTimeout(timer); resolve({ code, output }); });
  });
}

/** One HTTPS request verified against the test CA (the serving certificate is for "localhost"). */
function send(w: Pick<Webhook, 'port'>, ca: string, o: { method?: string; path: string; body?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers = o.body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(o.body) };
    const req = request({ host: '127.0.0.1', port: w.port, servername: 'localhost', ca, path: o.path, method: o.method ?? 'POST', headers, agent: false, timeout: 20_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => { text += d; }).on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('timeout', () => req.destroy(new Error(`${o.path}: no answer`)));
    req.on('error', reject);
    req.end(o.body);
  });
}

let uids = 0;
/** An AdmissionReview v1 for `resource`, as the API server sends it. */
function review(resource: 'devices' | 'devicemodels', operation: string, object: Json | undefined, oldObject?: Json): { uid: string; body: string } {
  const uid = `e2e-${++uids}-${process.pid}`;
  const meta = (object ?? oldObject)?.metadata ?? {};
  const body = JSON.stringify({
    apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview',
    request: {
      uid, operation, name: meta.name, namespace: meta.namespace,
      kind: { group: 'devices.kubeedge.io', version: 'v1beta1', kind: resource === 'devices' ? 'Device' : 'DeviceModel' },
      resource: { group: 'devices.kubeedge.io', version: 'v1beta1', resource },
      userInfo: { username: 'e2e' }, object: object ?? null, oldObject: oldObject ?? null, dryRun: false,
    },
  });
  return { uid, body };
}

const MODEL = {
  apiVersion: 'devices.kubeedge.io/v1beta1', kind: 'DeviceModel', metadata: { name: 'adm-thermo', namespace: 'default' },
  spec: { protocol: 'modbus', properties: [
    { name: 'temperature', type: 'FLOAT', accessMode: 'ReadOnly' },
    { name: 'setpoint', type: 'INT', accessMode: 'ReadWrite', minimum: '0', maximum: '100' },
  ] },
};

function device(opts: { model?: string; props?: Json[]; labels?: Json } = {}): Json {
  return {
    apiVersion: 'devices.kubeedge.io/v1beta1', kind: 'Device',
    metadata: { name: 'adm-dev', namespace: 'default', ...(opts.labels ? { labels: opts.labels } : {}) },
    spec: { deviceModelRef: { name: opts.model ?? 'adm-thermo' }, nodeName: 'edge-1', protocol: { protocolName: 'modbus' },
      properties: opts.props ?? [{ name: 'temperature' }, { name: 'setpoint', desired: { value: '42' } }] },
  };
}

describe('bin/admission against a real API server', () => {
  let cc: CloudcoreProcess;
  let dir = '';
  let ca = '';
  let certArgs: string[] = [];
  let hook: Webhook;
  const ask = async (r: { uid: string; body: string }, path = '/devices'): Promise<Json> => {
    const res = await send(hook, ca, { path, body: r.body });
    assert.equal(res.status, 200, res.text);
    const doc = JSON.parse(res.text) as Json;
    assert.equal(doc.apiVersion, 'admission.k8s.io/v1');
    assert.equal(doc.kind, 'AdmissionReview');
    assert.equal(doc.response.uid, r.uid);
    return doc.response as Json;
  };
  const expectDenied = (response: Json, code: number, field: RegExp): void => {
    assert.equal(response.allowed, false, JSON.stringify(response));
    assert.equal(response.result.code, code);
    assert.match(response.result.message, field);
  };

  before(async () => {
    cc = await startCloudcore();
    await kubectlOk(cc.kubeconfig, ['apply', '-f', '-'], { input: JSON.stringify(MODEL) });
    dir = mkdtempSync(join(tmpdir(), 'kets-admission-e2e-'));
    const authority = await createCA('kubeedge-admission-ca');
    const serving = await issueCertificate(authority, { commonName: 'kubeedge-admission-service.kubeedge.svc', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], usage: 'server' });
    ca = authority.certPem;
    writeFileSync(join(dir, 'tls.crt'), serving.certPem);
    writeFileSync(join(dir, 'tls.key'), serving.keyPem, { mode: 0o600 });
    certArgs = ['--tls-cert-file', join(dir, 'tls.crt'), '--tls-private-key-file', join(dir, 'tls.key')];
    hook = await startAdmission(['--kubeconfig', cc.kubeconfig, ...certArgs], ca);
  });
  after(async () => {
    if (hook?.proc.exitCode === null) { hook.proc.kill('SIGKILL'); await hook.exit; }
    await cc?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('a valid Device is allowed', async () => {
    const r = review('devices', 'CREATE', device());
    assert.deepEqual(await ask(r), { uid: r.uid, allowed: true });
  });

  test('an unknown model, a property not in the model and an out-of-range value are 422 naming the field', async () => {
    expectDenied(await ask(review('devices', 'CREATE', device({ model: 'no-such-model' }))), 422,
      /^Device\.devices\.kubeedge\.io "adm-dev" is invalid: spec\.deviceModelRef\.name: Not found: "no-such-model"/);
    expectDenied(await ask(review('devices', 'CREATE', device({ props: [{ name: 'temperature' }, { name: 'humidity' }] }))), 422,
      /spec\.properties\[1\]\.name: Not found: "humidity": DeviceModel "adm-thermo" has no such property/);
    const outOfRange = await ask(review('devices', 'CREATE', device({ props: [{ name: 'setpoint', desired: { value: '101' } }] })));
    expectDenied(outOfRange, 422, /spec\.properties\[0\]\.desired\.value: Invalid value: "101": must be less than or equal to 100/);
    assert.deepEqual(outOfRange.result.details.causes.map((c: Json) => c.field), ['spec.properties[0].desired.value']);
  });

  test('an invalid DeviceModel is denied with each field error', async () => {
    const bad = { ...MODEL, metadata: { name: 'adm-bad', namespace: 'default' },
      spec: { properties: [{ name: 'x', type: 'INT', minimum: '9', maximum: '1' }, { name: 'x', type: 'STRING' }] } };
    expectDenied(await ask(review('devicemodels', 'CREATE', bad), '/devicemodels'), 422,
      /^DeviceModel\.devices\.kubeedge\.io "adm-bad" is invalid: spec\.properties\[0\]\.minimum: .*, spec\.properties\[1\]\.name: Duplicate value: "x"/);
    assert.equal((await ask(review('devicemodels', 'CREATE', MODEL), '/devicemodels')).allowed, true);
  });

  test('DELETE is allowed, and so is a metadata-only UPDATE of an invalid device; a spec UPDATE is checked', async () => {
    const invalid = device({ props: [{ name: 'setpoint', desired: { value: '500' } }] });
    assert.equal((await ask(review('devices', 'DELETE', undefined, invalid))).allowed, true);
    const relabelled = { ...invalid, metadata: { ...invalid.metadata, labels: { room: 'b2' }, finalizers: ['x'] } };
    assert.equal((await ask(review('devices', 'UPDATE', relabelled, invalid))).allowed, true);
    expectDenied(await ask(review('devices', 'UPDATE', invalid, device())), 422, /spec\.properties\[0\]\.desired\.value/);
  });

  test('a malformed body is a 400 and an oversized one a 413; the webhook keeps answering', async () => {
    const malformed = await send(hook, ca, { path: '/devices', body: '{"apiVersion":"admission.k8s.io/v1","kind":' });
    assert.equal(malformed.status, 400);
    assert.match(malformed.text, /not valid JSON/);
    const notReview = await send(hook, ca, { path: '/devices', body: JSON.stringify(MODEL) });
    assert.equal(notReview.status, 400);
    assert.match(notReview.text, /expected kind AdmissionReview, got "DeviceModel"/);
    assert.equal((await send(hook, ca, { path: '/rules', body: '{}' })).status, 404);
    const huge = await send(hook, ca, { path: '/devices', body: JSON.stringify({ pad: 'x'.repeat(4 * 1024 * 1024) }) });
    assert.equal(huge.status, 413);
    assert.match(huge.text, /larger than 3145728 bytes/);
    assert.equal((await ask(review('devices', 'CREATE', device()))).allowed, true);
    assert.equal(hook.proc.exitCode, null);
  });

  test('when the API server cannot be reached the device is denied with 500, not allowed', async () => {
    const dead = await freePort();
    const cut = await startAdmission(['--kubeconfig', cc.kubeconfig, '--master', `https://127.0.0.1:${dead}`, ...certArgs], ca);
    try {
      const r = review('devices', 'CREATE', device());
      const res = await send(cut, ca, { path: '/devices', body: r.body });
      const response = (JSON.parse(res.text) as Json).response as Json;
      assert.equal(response.uid, r.uid);
      expectDenied(response, 500, /cannot get DeviceModel "adm-thermo" in namespace "default": .*; Device "adm-dev" was not validated/);
    } finally {
      cut.proc.kill('SIGTERM');
      await cut.exit;
    }
  });

  test('a missing certificate file is a clear error and exit code 1', async () => {
    const missing = join(dir, 'absent.crt');
    const r = await runToExit(['--kubeconfig', cc.kubeconfig, '--port', '0', '--tls-cert-file', missing, '--tls-private-key-file', join(dir, 'tls.key')]);
    assert.equal(r.code, 1, r.output);
    assert.match(r.output, new RegExp(`admission: cannot read --tls-cert-file ${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ENOENT`));
    const none = await runToExit(['--port', '0']);
    assert.equal(none.code, 1, none.output);
    assert.match(none.output, /--tls-cert-file is required/);
  });

  test('SIGTERM stops it cleanly', async () => {
    hook.proc.kill('SIGTERM');
    assert.equal(await hook.exit, 0, hook.logs());
    assert.match(hook.logs(), /"msg":"shutting down"/);
  });
});
