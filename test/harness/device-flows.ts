// Devices end to end (issue 5 §6), for either MQTT mode: the device CRDs through kubectl (KubeEdge's device
// e2e cases, good and bad), twins and states from a device app (mosquitto_pub) into DeviceStatus, bad
// input on the twin topics, a Modbus TCP device driven by the Modbus mapper (reported values up, a patched
// desired value down to the register), and reports and desired changes that cross an offline period.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cloudcoreSuite } from './suite.js';
import { eventually } from './edgecore.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import { kubectl } from './kubectl.js';
import { mqttPublish, mqttSubscribe, type BrokerAddress, type Subscription } from './mqtt-cli.js';
import { applyYaml, startEdgeEnv, type EdgeEnv, type Json } from './pods.js';
import { freePort } from './ports.js';
import { repoRoot } from './repo.js';

/** The Modbus TCP simulator the test file starts (src/testing/modbus-simulator.ts). */
export interface ModbusSim {
  port: number;
  holding: number[];
  input: number[];
  stop(): Promise<void> | void;
}

export interface DeviceFlowOptions {
  mode: 'internal' | 'external';
  /** external: the broker the test started (mosquitto). */
  external?: () => BrokerAddress & { url: string };
  startModbus: () => Promise<ModbusSim>;
  /** external: kills the broker and starts it again on the same port. */
  restartBroker?: () => Promise<void>;
}

const APP_MODEL = {
  apiVersion: 'devices.kubeedge.io/v1beta1', kind: 'DeviceModel', metadata: { name: 'app-model', namespace: 'default' },
  spec: { protocol: 'app', properties: [
    { name: 'status', type: 'STRING', accessMode: 'ReadWrite' },
    { name: 'level', type: 'INT', accessMode: 'ReadWrite', minimum: '0', maximum: '100' },
  ] },
};

function appDevice(name: string, node: string, desiredLevel = '10'): Json {
  return {
    apiVersion: 'devices.kubeedge.io/v1beta1', kind: 'Device', metadata: { name, namespace: 'default', labels: { description: 'thermostat' } },
    spec: { deviceModelRef: { name: 'app-model' }, nodeName: node, protocol: { protocolName: 'app' },
      properties: [{ name: 'status' }, { name: 'level', desired: { value: desiredLevel } }] },
  };
}

const MODBUS_MODEL = {
  apiVersion: 'devices.kubeedge.io/v1beta1', kind: 'DeviceModel', metadata: { name: 'thermo-model', namespace: 'default' },
  spec: { protocol: 'modbus', properties: [
    { name: 'temperature', type: 'FLOAT', accessMode: 'ReadOnly' },
    { name: 'setpoint', type: 'INT', accessMode: 'ReadWrite', minimum: '0', maximum: '100' },
  ] },
};

function modbusDevice(name: string, node: string, port: number, setpoint: string): Json {
  const visitor = (register: string, offset: number, scale: number): Json =>
    ({ protocolName: 'modbus', configData: { register, offset, limit: 1, scale } });
  return {
    apiVersion: 'devices.kubeedge.io/v1beta1', kind: 'Device', metadata: { name, namespace: 'default' },
    spec: { deviceModelRef: { name: 'thermo-model' }, nodeName: node,
      protocol: { protocolName: 'modbus', configData: { ip: '127.0.0.1', port, slaveID: 1 } },
      properties: [
        { name: 'temperature', visitors: visitor('InputRegister', 0, 0.1), collectCycle: 300, reportCycle: 500, reportToCloud: true },
        { name: 'setpoint', desired: { value: setpoint }, visitors: visitor('HoldingRegister', 1, 1), collectCycle: 300, reportCycle: 500, reportToCloud: true },
      ] },
  };
}

/** The delta value of one twin in a twin/update/delta payload. */
function deltaOf(payload: string, twin: string): unknown {
  try {
    return (JSON.parse(payload) as Json).delta?.[twin];
  } catch {
    return undefined;
  }
}

export function deviceFlows(opts: DeviceFlowOptions): void {
  describe(`devices (${opts.mode} broker)`, { timeout: 900_000 }, () => {
    const suite = cloudcoreSuite();
    const node = `edge-dev-${opts.mode}`;
    const dir = mkdtempSync(join(tmpdir(), `kets-devices-${opts.mode}-`));
    let env: EdgeEnv;
    let proxy: FaultProxy;
    let broker: BrokerAddress;
    let results: Subscription;
    const k = (args: string[], input?: string): Promise<string> => suite.k(args, input);
    const kFail = async (args: string[], input?: string): Promise<string> => {
      const r = await kubectl(suite.cc.kubeconfig, args, input === undefined ? {} : { input });
      assert.notEqual(r.code, 0, `kubectl ${args.join(' ')} should fail; stdout: ${r.stdout}`);
      return r.stderr;
    };
    const status = async (name: string): Promise<Json | undefined> => {
      const r = await kubectl(suite.cc.kubeconfig, ['get', 'devicestatuses.devices.kubeedge.io', name, '-n', 'default', '-o', 'json']);
      return r.code === 0 ? JSON.parse(r.stdout) as Json : undefined;
    };
    const reported = async (name: string, prop: string): Promise<string | undefined> =>
      ((await status(name))?.status?.twins as Json[] | undefined)?.find((t) => t.propertyName === prop)?.reported?.value as string | undefined;
    const diag = (): string => `--- edgecore ---\n${env.edge.logs().slice(-5000)}\n--- cloudcore ---\n${suite.cc.logs().slice(-3000)}`;

    before(async () => {
      proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: suite.cc.ports.cloudhub } });
      let mqttArgs: string[];
      if (opts.mode === 'external') {
        const ext = opts.external?.();
        if (!ext) throw new Error('external mode needs a broker');
        broker = ext;
        // KubeEdge's config fields for the broker's credentials (a URL with a password would show in ps).
        const edgeCfg = join(dir, 'edgecore.yaml');
        writeFileSync(edgeCfg, ['modules:', '  eventBus:', '    mqttMode: 2', `    mqttServerExternal: ${ext.url}`,
          ...(ext.username ? [`    mqttUsername: ${ext.username}`, `    mqttPassword: ${ext.password ?? ''}`] : []), ''].join('\n'));
        mqttArgs = ['--config', edgeCfg];
      } else {
        const port = await freePort();
        broker = { port };
        mqttArgs = ['--mqtt-mode', 'internal', '--mqtt-internal-port', String(port)];
      }
      env = await startEdgeEnv(suite.cc, 'process', node, { cloudhub: `127.0.0.1:${proxy.port}`, extraArgs: mqttArgs });
      results = await mqttSubscribe(broker, ['$hw/events/device/+/+/twin/update/result', '$hw/events/device/+/+/twin/update/delta',
        '$hw/events/device/+/+/state/update/result', '$hw/events/node/+/membership/get/result']);
    });
    after(async () => {
      results?.stop();
      await env?.dispose();
      await proxy?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    test('device CRDs: create, update and delete models and devices; incorrect ones and missing ones are refused', async () => {
      await applyYaml(suite.cc, JSON.stringify(APP_MODEL));
      // Incorrect devices: an unknown model, a property the model lacks, a value that is not an INT, one out of range.
      const bad = appDevice('bad', node) as { spec: Json };
      let err = await kFail(['create', '-f', '-'], JSON.stringify({ ...appDevice('bad', node), spec: { ...bad.spec, deviceModelRef: { name: 'nope' } } }));
      assert.match(err, /nope/);
      err = await kFail(['create', '-f', '-'], JSON.stringify({ ...appDevice('bad', node), spec: { ...bad.spec, properties: [{ name: 'humidity' }] } }));
      assert.match(err, /humidity/);
      err = await kFail(['create', '-f', '-'], JSON.stringify(appDevice('bad', node, 'warm')));
      assert.match(err, /warm|INT|integer/i);
      err = await kFail(['create', '-f', '-'], JSON.stringify(appDevice('bad', node, '101')));
      assert.match(err, /101|maximum|range/i);
      assert.match(await kFail(['delete', 'devices.devices.kubeedge.io', 'never-was', '-n', 'default']), /NotFound|not found/);
      assert.match(await kFail(['delete', 'devicemodels.devices.kubeedge.io', 'never-was', '-n', 'default']), /NotFound|not found/);

      await applyYaml(suite.cc, JSON.stringify(appDevice('thermostat', node)));
      // The device reaches the node: its row, its twins with the desired value as expected, and a DeviceStatus owned by it.
      await eventually(() => env.edge.query('SELECT id FROM device WHERE id = ?', 'default/thermostat').length === 1 || undefined,
        'device row on the edge', { timeoutMs: 60_000, describe: diag });
      await eventually(() => {
        const rows = env.edge.query<{ name: string; expected: string | null }>('SELECT name, expected FROM device_twin WHERE deviceid = ?', 'default/thermostat');
        return rows.length === 2 && rows.some((r) => r.name === 'level' && (r.expected ?? '').includes('10')) || undefined;
      }, 'twins with the expected level', { describe: diag });
      const st = await eventually(() => status('thermostat'), 'DeviceStatus created');
      const owner = (st.metadata.ownerReferences as Json[])[0];
      assert.equal(owner?.kind, 'Device');
      assert.equal(owner?.name, 'thermostat');

      // Update: a new desired value is a delta on MQTT.
      await k(['patch', 'devices.devices.kubeedge.io', 'thermostat', '-n', 'default', '--type', 'merge', '-p',
        JSON.stringify({ spec: { properties: [{ name: 'status' }, { name: 'level', desired: { value: '42' } }] } })]);
      await results.waitFor((m) => m.topic === '$hw/events/device/default/thermostat/twin/update/delta' && deltaOf(m.payload, 'level') === '42',
        'delta with level 42');
      // A patch to an invalid value is refused and changes nothing.
      await kFail(['patch', 'devices.devices.kubeedge.io', 'thermostat', '-n', 'default', '--type', 'merge', '-p',
        JSON.stringify({ spec: { properties: [{ name: 'level', desired: { value: 'hot' } }] } })]);

      // Delete a second device and its model: gone from the edge.
      const tmpModel = { ...APP_MODEL, metadata: { name: 'tmp-model', namespace: 'default' } };
      await applyYaml(suite.cc, JSON.stringify(tmpModel));
      await applyYaml(suite.cc, JSON.stringify({ ...appDevice('short-lived', node), spec: { ...bad.spec, deviceModelRef: { name: 'tmp-model' } } }));
      await eventually(() => env.edge.query('SELECT id FROM device WHERE id = ?', 'default/short-lived').length === 1 || undefined, 'short-lived on the edge', { describe: diag });
      await k(['delete', 'devices.devices.kubeedge.io', 'short-lived', '-n', 'default']);
      await k(['delete', 'devicemodels.devices.kubeedge.io', 'tmp-model', '-n', 'default']);
      await eventually(() => env.edge.query('SELECT id FROM device WHERE id = ?', 'default/short-lived').length === 0 || undefined, 'short-lived removed', { describe: diag });
      await eventually(() => env.edge.query("SELECT key FROM meta WHERE type = 'devicemodel' AND key LIKE '%tmp-model'").length === 0 || undefined,
        'tmp-model removed from the edge', { describe: diag });
    });

    test('a device app reports twins and state over MQTT; they reach DeviceStatus', async () => {
      await mqttPublish(broker, '$hw/events/device/default/thermostat/twin/update',
        JSON.stringify({ event_id: 'e1', timestamp: Date.now(), twin: { status: { actual: { value: 'heating' }, metadata: { type: 'string' } } } }));
      const ok = await results.waitFor((m) => m.topic.endsWith('thermostat/twin/update/result') && m.payload.includes('"e1"'), 'result of e1');
      assert.equal((JSON.parse(ok.payload) as Json).code, undefined, ok.payload);
      await eventually(async () => (await reported('thermostat', 'status')) === 'heating' || undefined, 'reported status in DeviceStatus', { timeoutMs: 60_000, describe: diag });

      await mqttPublish(broker, '$hw/events/device/default/thermostat/state/update', JSON.stringify({ event_id: 's1', timestamp: Date.now(), state: 'online' }));
      await eventually(async () => {
        const s = await status('thermostat');
        return s?.status?.state === 'online' && s.status.lastOnlineTime ? s : undefined;
      }, 'state online with lastOnlineTime', { describe: diag });

      await mqttPublish(broker, `$hw/events/node/${node}/membership/get`, JSON.stringify({ event_id: 'm1', timestamp: Date.now() }));
      const members = await results.waitFor((m) => m.topic.endsWith('membership/get/result') && m.payload.includes('"m1"'), 'membership result');
      assert.ok(((JSON.parse(members.payload) as Json).devices as Json[]).some((d) => d.id === 'default/thermostat'), members.payload);
    });

    test('bad input on the twin topics gets error results and loses nothing', async () => {
      await mqttPublish(broker, '$hw/events/device/default/thermostat/twin/update', '{not json');
      await results.waitFor((m) => m.topic.endsWith('thermostat/twin/update/result') && (JSON.parse(m.payload) as Json).code === 400, 'malformed → 400');
      await mqttPublish(broker, '$hw/events/device/default/ghost/twin/update', JSON.stringify({ event_id: 'g1', timestamp: 1, twin: { a: { actual: { value: '1' } } } }));
      await results.waitFor((m) => m.topic.endsWith('ghost/twin/update/result') && m.payload.includes('"g1"') && (JSON.parse(m.payload) as Json).code === 404, 'unknown device → 404');
      await mqttPublish(broker, '$hw/events/device/default/thermostat/twin/update',
        JSON.stringify({ event_id: 'v1', timestamp: 1, twin: { 'bad key!': { actual: { value: 'x' } } } }));
      await results.waitFor((m) => m.payload.includes('"v1"') && (JSON.parse(m.payload) as Json).code === 400, 'bad twin name → 400');
      await mqttPublish(broker, '$hw/events/device/default/thermostat/twin/update', JSON.stringify({ event_id: 'big', timestamp: 1, twin: { status: { actual: { value: 'x'.repeat(100_000) } } } }));
      await results.waitFor((m) => m.topic.endsWith('thermostat/twin/update/result') && (JSON.parse(m.payload) as Json).code === 400 && !m.payload.includes('"v1"') && !m.payload.includes('"e1"'), 'oversized → 400');
      // edgecore is alive and the earlier value is intact; a valid update still goes through.
      assert.equal(await reported('thermostat', 'status'), 'heating');
      await mqttPublish(broker, '$hw/events/device/default/thermostat/twin/update',
        JSON.stringify({ event_id: 'e2', timestamp: Date.now(), twin: { status: { actual: { value: 'idle' } } } }));
      await eventually(async () => (await reported('thermostat', 'status')) === 'idle' || undefined, 'status idle', { describe: diag });
    });

    let sim: ModbusSim | undefined;
    let mapper: ChildProcess | undefined;
    let mapperLog = '';
    after(async () => { mapper?.kill('SIGTERM'); await sim?.stop(); });

    test('the Modbus mapper registers, reports the register, and writes a patched desired value', async () => {
      sim = await opts.startModbus();
      sim.input[0] = 215; // 21.5 °C with scale 0.1
      const cfg = join(dir, 'modbus.yaml');
      writeFileSync(cfg, [
        'grpc_server:', `  socket_path: ${join(dir, 'modbus.sock')}`,
        'common:', '  name: modbus-mapper', '  version: v1.0.0', '  api_version: v1.0.0', '  protocol: modbus',
        `  edgecore_sock: ${join(env.edge.dataDir, 'dmi.sock')}`, '',
      ].join('\n'));
      mapper = spawn(process.execPath, [join(repoRoot(), 'bin/mapper-modbus'), '--config', cfg], { stdio: ['ignore', 'pipe', 'pipe'] });
      mapper.stdout?.setEncoding('utf8').on('data', (d: string) => { mapperLog += d; });
      mapper.stderr?.setEncoding('utf8').on('data', (d: string) => { mapperLog += d; });
      const mdiag = (): string => `--- mapper ---\n${mapperLog.slice(-3000)}\n${diag()}`;
      await applyYaml(suite.cc, JSON.stringify(MODBUS_MODEL));
      await applyYaml(suite.cc, JSON.stringify(modbusDevice('boiler', node, sim.port, '30')));
      // Registered and connected: the desired setpoint is written to holding register 1, the temperature reported.
      await eventually(() => sim?.holding[1] === 30 || undefined, 'setpoint 30 written to the register', { timeoutMs: 60_000, describe: mdiag });
      await eventually(async () => Number(await reported('boiler', 'temperature')) === 21.5 || undefined, 'temperature 21.5 in DeviceStatus', { timeoutMs: 60_000, describe: mdiag });
      sim.input[0] = 230;
      await eventually(async () => Number(await reported('boiler', 'temperature')) === 23 || undefined, 'temperature 23 in DeviceStatus', { describe: mdiag });

      await k(['patch', 'devices.devices.kubeedge.io', 'boiler', '-n', 'default', '--type', 'json', '-p',
        JSON.stringify([{ op: 'replace', path: '/spec/properties/1/desired/value', value: '55' }])]);
      await results.waitFor((m) => m.topic === '$hw/events/device/default/boiler/twin/update/delta' && deltaOf(m.payload, 'setpoint') === '55', 'delta setpoint 55');
      await eventually(() => sim?.holding[1] === 55 || undefined, 'setpoint 55 written', { describe: mdiag });
      await eventually(async () => (await reported('boiler', 'setpoint')) === '55' || undefined, 'setpoint 55 reported', { describe: mdiag });
    });

    test('reports made offline reach DeviceStatus after reconnect; desired changes made offline reach the device', async () => {
      proxy.setMode({ kind: 'refuse' });
      proxy.cutAll();
      for (let i = 1; i <= 5; i++) {
        await mqttPublish(broker, '$hw/events/device/default/thermostat/twin/update',
          JSON.stringify({ event_id: `off${i}`, timestamp: Date.now(), twin: { status: { actual: { value: `offline-${i}` } } } }));
      }
      await mqttPublish(broker, '$hw/events/device/default/thermostat/state/update', JSON.stringify({ event_id: 'offs', timestamp: Date.now(), state: 'unhealthy' }));
      await results.waitFor((m) => m.payload.includes('"off5"'), 'offline update acknowledged at the edge');
      assert.notEqual(await reported('thermostat', 'status'), 'offline-5');
      sim!.input[0] = 199;
      await k(['patch', 'devices.devices.kubeedge.io', 'boiler', '-n', 'default', '--type', 'json', '-p',
        JSON.stringify([{ op: 'replace', path: '/spec/properties/1/desired/value', value: '12' }])]);
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(sim!.holding[1], 55, 'the desired change cannot arrive while offline');

      proxy.setMode({ kind: 'pass' });
      await eventually(async () => (await reported('thermostat', 'status')) === 'offline-5' || undefined, 'last offline report in DeviceStatus', { timeoutMs: 120_000, describe: diag });
      await eventually(async () => (await status('thermostat'))?.status?.state === 'unhealthy' || undefined, 'offline state in DeviceStatus', { describe: diag });
      await eventually(() => sim?.holding[1] === 12 || undefined, 'offline desired value written after reconnect', { timeoutMs: 120_000, describe: diag });
      await eventually(async () => Number(await reported('boiler', 'temperature')) === 19.9 || undefined, 'temperature after reconnect', { describe: diag });
    });

    // Only an external broker can be restarted under edgecore; the embedded one lives and dies with it.
    const restartBroker = opts.restartBroker;
    if (restartBroker) test('the external broker restarts: the bus reconnects and resubscribes, device apps are heard again', async () => {
      results.stop();
      await restartBroker();
      results = await mqttSubscribe(broker, ['$hw/events/device/+/+/twin/update/result']);
      await eventually(async () => {
        await mqttPublish(broker, '$hw/events/device/default/thermostat/twin/update',
          JSON.stringify({ event_id: 'after-restart', timestamp: Date.now(), twin: { status: { actual: { value: 'back' } } } }));
        return results.messages().some((m) => m.payload.includes('"after-restart"')) || undefined;
      }, 'a result after the broker restart', { timeoutMs: 90_000, intervalMs: 1000, describe: diag });
      await eventually(async () => (await reported('thermostat', 'status')) === 'back' || undefined, 'report after the broker restart in DeviceStatus', { describe: diag });
    });
  });
}
