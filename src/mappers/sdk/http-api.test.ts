// The mapper's HTTP API over real HTTP: a real runMapper against the fake edgecore, with a recording
// driver. Bodies are checked in KubeEdge's JSON names; every refusal is checked to leave the driver alone.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { deviceToDmi, modelToDmi } from '../../api/dmi/index.js';
import type { Device, DeviceModel } from '../../api/index.js';
import { createSilentLogger } from '../../core/index.js';
import { startFakeEdgecore, type FakeEdgecore } from '../../testing/dmi-fake-edgecore.js';
import { DriverError, HttpListenError, runMapper, type DeviceDriver, type MapperConfig, type RunningMapper } from './index.js';

const NOW = Date.UTC(2024, 4, 1, 10, 0, 0, 250);
const NOW_RFC3339 = '2024-05-01T10:00:00Z';

const model: DeviceModel = {
  metadata: { name: 'thermostat', namespace: 'default' },
  spec: {
    properties: [
      { name: 'temp', type: 'FLOAT', accessMode: 'ReadOnly', unit: 'celsius' },
      { name: 'knob', type: 'INT', accessMode: 'ReadWrite', minimum: '0', maximum: '100' },
      { name: 'label', type: 'STRING', accessMode: 'ReadWrite' },
      { name: 'late', type: 'INT', accessMode: 'ReadOnly' },
    ],
  },
};

function device(name: string): Device {
  // One read at start, then none for a minute: what the API reads is then known exactly.
  const prop = (p: string) => ({ name: p, collectCycle: 60_000, reportCycle: 60_000 });
  return {
    metadata: { name, namespace: 'default' },
    spec: {
      deviceModelRef: { name: 'thermostat' },
      protocol: { protocolName: 'recorded' },
      properties: [prop('temp'), prop('knob'), prop('label'), prop('late')],
      methods: [
        { name: 'setKnob', description: 'turn the knob', propertyNames: ['knob', 'temp'] },
        { name: 'setLabel', propertyNames: ['label'] },
      ],
    },
  };
}

/** Counts reads per device/property and writes; "late" fails until `lateReady`; the device "gated" connects when released. */
function recordingDriver() {
  const rec = { reads: new Map<string, number>(), writes: [] as string[], attempts: 0, maxConcurrent: 0, lateReady: false };
  const running = new Map<string, number>();
  const values = new Map([['temp', '21.5'], ['knob', '3'], ['label', 'x'], ['late', '5']]);
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const guard = async <T>(dev: string, fn: () => T | Promise<T>): Promise<T> => {
    running.set(dev, (running.get(dev) ?? 0) + 1);
    rec.maxConcurrent = Math.max(rec.maxConcurrent, running.get(dev) ?? 0);
    try {
      await new Promise((r) => setImmediate(r));
      return await fn();
    } finally {
      running.set(dev, (running.get(dev) ?? 1) - 1);
    }
  };
  const driver: DeviceDriver = {
    connect: (d) => guard(d.name, () => (d.name === 'gated' ? gate : undefined)),
    read: (d, p) => guard(d.name, () => {
      const key = `${d.name}/${p.name}`;
      rec.reads.set(key, (rec.reads.get(key) ?? 0) + 1);
      if (p.name === 'late' && !rec.lateReady) throw new DriverError('io', 'no answer yet');
      return values.get(p.name) ?? '';
    }),
    write: (d, p, value) => guard(d.name, () => {
      rec.attempts++;
      if (value === '13') throw new DriverError('io', 'device refused 13');
      rec.writes.push(`${d.name}/${p.name}=${value}`);
    }),
    disconnect: (d) => guard(d.name, () => undefined),
  };
  return { driver, rec, release };
}

let edge: FakeEdgecore;
let mapper: RunningMapper;
let base: string;
let rec: ReturnType<typeof recordingDriver>['rec'];
let release: () => void;

function config(name: string, common: Partial<MapperConfig['common']> = {}): MapperConfig {
  return {
    grpc_server: { socket_path: join(edge.dir, `${name}.sock`) },
    common: { name, version: 'v1', api_version: 'v1', protocol: 'recorded', edgecore_sock: edge.socketPath, ...common },
  };
}

async function get(path: string, init?: RequestInit): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${base}${path}`, init);
  assert.equal(res.headers.get('content-type'), 'application/json');
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

before(async () => {
  edge = await startFakeEdgecore();
  edge.setDevices([deviceToDmi(device('dev'), model)], [modelToDmi(model)]);
  const d = recordingDriver();
  rec = d.rec;
  release = d.release;
  mapper = await runMapper({ config: config('api'), driver: d.driver, log: createSilentLogger(), now: () => NOW, http: { port: 0 } });
  const addr = mapper.httpAddress();
  assert.ok(addr);
  base = `http://${addr.address}:${addr.port}`;
  await edge.waitFor('first poll', () => rec.reads.get('dev/temp') === 1 && rec.reads.get('dev/late') === 1);
});

after(async () => {
  await mapper?.stop();
  await edge?.stop();
});

test('ping answers with KubeEdge BaseResponse', async () => {
  const { status, body } = await get('/api/v1/ping', { headers: { 'X-Correlation-ID': 'c-1' } });
  assert.equal(status, 200);
  assert.deepEqual(body, { apiVersion: 'v1', statusCode: 200, timeStamp: NOW_RFC3339, Message: 'This is v1 API, the server is running normally.' });
  const res = await fetch(`${base}/api/v1/ping`, { headers: { 'X-Correlation-ID': 'c-2' } });
  assert.equal(res.headers.get('x-correlation-id'), 'c-2');
  await res.arrayBuffer();
});

test('read: the value the poll read, as a DataModel, without another driver read', async () => {
  const { status, body } = await get('/api/v1/device/default/dev/temp');
  assert.equal(status, 200);
  assert.deepEqual(body['Data'], { DeviceName: 'dev', PropertyName: 'temp', Namespace: 'default', Value: '21.5', Type: 'float', TimeStamp: NOW });
  assert.equal(rec.reads.get('dev/temp'), 1);
});

test('read: a property without a value yet is read once through the device', async () => {
  rec.lateReady = true;
  const { status, body } = await get('/api/v1/device/default/dev/late');
  assert.equal(status, 200);
  assert.equal((body['Data'] as Record<string, unknown>)['Value'], '5');
  assert.equal(rec.reads.get('dev/late'), 2, 'the failed poll, then the API read');
  await get('/api/v1/device/default/dev/late');
  assert.equal(rec.reads.get('dev/late'), 2, 'then the value kept is served');
});

test('read: a request made while the first poll waits on the device gets that poll value, one call at a time', async () => {
  await edge.mapper().registerDevice(deviceToDmi(device('gated'), model));
  const pending = get('/api/v1/device/default/gated/temp');
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(rec.reads.get('gated/temp'), undefined, 'nothing read while connect hangs');
  release();
  const { status, body } = await pending;
  assert.equal(status, 200);
  assert.equal((body['Data'] as Record<string, unknown>)['Value'], '21.5');
  assert.equal(rec.reads.get('gated/temp'), 1, 'the API did not read a second time');
  assert.equal(rec.maxConcurrent, 1, 'never two driver calls at once for one device');
});

test('devicemethod lists methods with their call path and parameter types', async () => {
  const { status, body } = await get('/api/v1/devicemethod/default/dev');
  assert.equal(status, 200);
  assert.deepEqual(body['Data'], {
    Methods: [
      {
        Name: 'setKnob', Description: 'turn the knob', Path: '/api/v1/devicemethod/default/dev/setKnob/{propertyName}/{data}',
        Parameters: [{ PropertyName: 'knob', ValueType: 'int' }, { PropertyName: 'temp', ValueType: 'float' }],
      },
      { Name: 'setLabel', Description: '', Path: '/api/v1/devicemethod/default/dev/setLabel/{propertyName}/{data}', Parameters: [{ PropertyName: 'label', ValueType: 'string' }] },
    ],
  });
});

test('a method call writes through the driver; path segments are URL-decoded', async () => {
  const before = rec.attempts;
  const knob = await get('/api/v1/devicemethod/default/dev/setKnob/knob/42');
  assert.equal(knob.status, 200);
  assert.equal(knob.body['Message'], 'Write data 42 to device default/dev successfully.');
  const label = await get(`/api/v1/devicemethod/default/dev/setLabel/label/${encodeURIComponent('hall way/2')}`);
  assert.equal(label.status, 200);
  assert.deepEqual(rec.writes.slice(-2), ['dev/knob=42', 'dev/label=hall way/2']);
  assert.equal(rec.attempts, before + 2);
});

test('refusals: status, a JSON message, and no write reaches the driver', async () => {
  const cases: Array<[string, number, RegExp]> = [
    ['/api/v1/devicemethod/default/nope/setKnob/knob/1', 404, /device default\/nope not found/],
    ['/api/v1/devicemethod/default/dev/spin/knob/1', 404, /no method spin/],
    ['/api/v1/devicemethod/default/dev/setKnob/nope/1', 404, /no property nope/],
    ['/api/v1/devicemethod/default/dev/setLabel/knob/1', 400, /setLabel does not write property knob/],
    ['/api/v1/devicemethod/default/dev/setKnob/temp/1', 400, /temp is ReadOnly/],
    ['/api/v1/devicemethod/default/dev/setKnob/knob/warm', 400, /must be an integer/],
    ['/api/v1/devicemethod/default/dev/setKnob/knob/101', 400, /less than or equal to 100/],
    ['/api/v1/devicemethod/default/dev/setKnob/knob/%E0', 400, /malformed percent-encoding/],
    ['/api/v1/device/default/nope/temp', 404, /device default\/nope not found/],
    ['/api/v1/device/default/dev/nope', 404, /no property nope/],
    ['/api/v1/meta/model/default/nope', 404, /not found/],
    ['/api/v1/database/default/dev', 404, /no such API/],
    ['/api/v1/ping/', 404, /no such API/],
    ['/api/v1/device/default//temp', 404, /no such API/],
  ];
  const before = rec.attempts;
  for (const [path, want, message] of cases) {
    const { status, body } = await get(path);
    assert.equal(status, want, path);
    assert.equal(body['statusCode'], want, path);
    assert.match(String(body['Message']), message, path);
  }
  const post = await get('/api/v1/devicemethod/default/dev/setKnob/knob/5', { method: 'POST' });
  assert.equal(post.status, 405);
  assert.equal(rec.attempts, before, 'the driver saw no write');
});

test('a driver failure is a 500 with its message', async () => {
  const before = rec.attempts;
  const { status, body } = await get('/api/v1/devicemethod/default/dev/setKnob/knob/13');
  assert.equal(status, 500);
  assert.match(String(body['Message']), /^Write device data error: device refused 13$/);
  assert.equal(rec.attempts, before + 1);
});

test('meta/model answers the device model as KubeEdge DeviceModel', async () => {
  const { status, body } = await get('/api/v1/meta/model/default/dev');
  assert.equal(status, 200);
  assert.deepEqual(body, {
    apiVersion: 'v1', statusCode: 200, timeStamp: NOW_RFC3339,
    id: 'default/thermostat', name: 'thermostat', namespace: 'default',
    properties: [
      { name: 'temp', dataType: 'FLOAT', accessMode: 'ReadOnly', unit: 'celsius' },
      { name: 'knob', dataType: 'INT', accessMode: 'ReadWrite', minimum: '0', maximum: '100' },
      { name: 'label', dataType: 'STRING', accessMode: 'ReadWrite' },
      { name: 'late', dataType: 'INT', accessMode: 'ReadOnly' },
    ],
  });
});

test('a taken port fails the start with HttpListenError naming the address; nothing else is left bound', async () => {
  const taken = createNetServer();
  await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
  const port = (taken.address() as AddressInfo).port;
  try {
    const cfg = config('taken', { http_port: port, address: '127.0.0.1' });
    await assert.rejects(
      runMapper({ config: cfg, driver: recordingDriver().driver, log: createSilentLogger() }),
      (err: unknown) => err instanceof HttpListenError && err.syscallCode === 'EADDRINUSE' && err.message.includes(`127.0.0.1:${port}`),
    );
    assert.equal(existsSync(cfg.grpc_server.socket_path), false, 'the gRPC socket was not bound');
  } finally {
    await new Promise((r) => taken.close(r));
  }
});

test('common.http_port serves the API; stop() closes the port', async () => {
  const probe = createNetServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((r) => probe.close(r));
  const m = await runMapper({ config: config('closing', { http_port: port }), driver: recordingDriver().driver, log: createSilentLogger() });
  assert.deepEqual(m.httpAddress(), { address: '127.0.0.1', port });
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/ping`);
  assert.equal(res.status, 200);
  await res.arrayBuffer();
  await m.stop();
  await assert.rejects(fetch(`http://127.0.0.1:${port}/api/v1/ping`));
  // The port is free again.
  const again = createNetServer();
  await new Promise<void>((resolve, reject) => again.once('error', reject).listen(port, '127.0.0.1', resolve));
  await new Promise((r) => again.close(r));
});

test('without http_port there is no HTTP API', async () => {
  const m = await runMapper({ config: config('quiet'), driver: recordingDriver().driver, log: createSilentLogger() });
  try {
    assert.equal(m.httpAddress(), undefined);
  } finally {
    await m.stop();
  }
});
