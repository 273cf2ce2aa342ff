// The mqtt protocol: a device that speaks JSON over MQTT. It publishes its state as a JSON object on
// stateTopic ({"temperature": 21.5, "fan": {"speed": 2}}); the mapper keeps the latest value of each key
// and reads a property at its visitor's jsonKey (dotted path). Writes publish {"<property>": value} on
// commandTopic. One MQTT connection per device; mqtt.js reconnects and resubscribes by itself.
import { connect, type MqttClient } from 'mqtt';
import { mqttNoDelay, type Logger } from '../../core/index.js';
import { DriverError, type DeviceDriver, type MapperDevice, type MapperProperty } from '../sdk/index.js';

export const MQTT_PROTOCOL = 'mqtt';
const CONNECT_TIMEOUT_MS = 5_000;

export interface MqttProtocolConfig {
  brokerURL: string;
  username?: string;
  password?: string;
  stateTopic: string;
  commandTopic?: string;
}

export function protocolConfig(device: MapperDevice): MqttProtocolConfig {
  const c = device.protocol.configData;
  const str = (k: string): string | undefined => (c[k] === undefined || c[k] === '' ? undefined : String(c[k]));
  const brokerURL = str('brokerURL');
  const stateTopic = str('stateTopic');
  if (!brokerURL) throw new DriverError('invalid_config', 'protocol configData.brokerURL is required');
  if (!stateTopic) throw new DriverError('invalid_config', 'protocol configData.stateTopic is required');
  const out: MqttProtocolConfig = { brokerURL, stateTopic };
  const username = str('username');
  const password = str('password');
  const commandTopic = str('commandTopic');
  if (username) out.username = username;
  if (password) out.password = password;
  if (commandTopic) out.commandTopic = commandTopic;
  return out;
}

/** The value at a dotted path ("fan.speed") of a JSON document, or undefined. */
export function valueAt(doc: unknown, path: string): unknown {
  let cur = doc;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Later state messages update the keys they carry and keep the others (devices often send partial state). */
export function mergeState(into: Record<string, unknown>, update: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(update)) {
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue;
    const old = into[k];
    if (isObject(v) && isObject(old)) mergeState(old, v);
    else into[k] = v;
  }
}

/** A string of the property's type as JSON: numbers and booleans unquoted. */
export function commandValue(type: string, value: string): unknown {
  if (type === 'int' || type === 'float' || type === 'double') {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n)) throw new DriverError('invalid_config', `"${value}" is not a number`);
    return n;
  }
  if (type === 'boolean') return value === 'true' || value === '1';
  return value;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

interface Session {
  client: MqttClient;
  config: MqttProtocolConfig;
  state: Record<string, unknown>;
}

export function createMqttDriver(opts: { log: Logger }): DeviceDriver {
  const sessions = new Map<string, Session>();
  const idOf = (d: MapperDevice): string => `${d.namespace}/${d.name}`;
  const sessionOf = (d: MapperDevice): Session => {
    const s = sessions.get(idOf(d));
    if (!s) throw new DriverError('not_connected', `device ${idOf(d)} is not connected`);
    return s;
  };

  const close = async (id: string): Promise<void> => {
    const s = sessions.get(id);
    sessions.delete(id);
    await s?.client.endAsync(true).catch(() => undefined);
  };

  return {
    async connect(device) {
      const config = protocolConfig(device);
      const id = idOf(device);
      await close(id);
      const client = await open(config, id);
      const session: Session = { client, config, state: {} };
      client.on('message', (topic, payload) => {
        if (topic === config.stateTopic) takeState(session, payload, (msg) => opts.log.debug(msg, { device: id, topic }));
      });
      client.on('error', (err) => opts.log.debug('broker error', { device: id, error: err.message }));
      try {
        await client.subscribeAsync(config.stateTopic, { qos: 1 });
      } catch (err) {
        await client.endAsync(true).catch(() => undefined);
        throw new DriverError('io', `subscribe ${config.stateTopic}: ${(err as Error).message}`, { cause: err });
      }
      sessions.set(id, session);
    },
    async read(device, p) {
      const value = valueAt(sessionOf(device).state, jsonKeyOf(p));
      if (value === undefined || value === null) throw new DriverError('no_value', `no value yet for ${jsonKeyOf(p)}`);
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
    },
    async write(device, p, value) {
      const s = sessionOf(device);
      if (!s.config.commandTopic) throw new DriverError('invalid_config', 'protocol configData.commandTopic is required to write');
      if (!s.client.connected) throw new DriverError('io', `broker ${s.config.brokerURL} not connected`);
      const key = typeof p.visitor['commandKey'] === 'string' ? p.visitor['commandKey'] : p.name;
      await s.client.publishAsync(s.config.commandTopic, JSON.stringify({ [key]: commandValue(p.type, value) }), { qos: 1 });
    },
    async disconnect(device) {
      await close(idOf(device));
    },
    async state(device) {
      const s = sessions.get(idOf(device));
      return s?.client.connected ? 'ok' : 'disconnected';
    },
  };
}

/** Merges a state message into the session; anything but a JSON object is dropped (and said). */
function takeState(session: Session, payload: Buffer, drop: (why: string) => void): void {
  let doc: unknown;
  try {
    doc = JSON.parse(payload.toString('utf8'));
  } catch {
    return drop('state message is not JSON');
  }
  if (isObject(doc)) mergeState(session.state, doc);
  else drop('state message is not a JSON object');
}

function jsonKeyOf(p: MapperProperty): string {
  const k = p.visitor['jsonKey'];
  return typeof k === 'string' && k !== '' ? k : p.name;
}

/** Resolves once connected; a broker that refuses or does not answer fails the connect (the SDK retries). */
function open(config: MqttProtocolConfig, id: string): Promise<MqttClient> {
  const client = mqttNoDelay(connect(config.brokerURL, {
    ...(config.username === undefined ? {} : { username: config.username }),
    ...(config.password === undefined ? {} : { password: config.password }),
    clientId: `kubeedge-mapper-${id.replace(/[^A-Za-z0-9-]/g, '-')}-${Math.random().toString(16).slice(2, 8)}`,
    reconnectPeriod: 1_000,
    connectTimeout: CONNECT_TIMEOUT_MS,
  }));
  // An 'error' without a listener would throw; failures are reported through connect() and state().
  client.on('error', () => undefined);
  return new Promise((resolve, reject) => {
    const fail = (err: Error): void => {
      cleanup();
      client.end(true);
      reject(new DriverError('io', `connect ${config.brokerURL}: ${err.message}`, { cause: err }));
    };
    const onError = (err: Error): void => fail(err);
    const onClose = (): void => fail(new Error('connection closed'));
    const onConnect = (): void => {
      cleanup();
      resolve(client);
    };
    const timer = setTimeout(() => fail(new Error('timed out')), CONNECT_TIMEOUT_MS);
    const cleanup = (): void => {
      clearTimeout(timer);
      client.removeListener('error', onError);
      client.removeListener('close', onClose);
      client.removeListener('connect', onConnect);
    };
    client.once('error', onError);
    client.once('close', onClose);
    client.once('connect', onConnect);
  });
}
