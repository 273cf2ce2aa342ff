// Push methods (KubeEdge mapper-framework data/publish/{http,mqtt}): each report cycle, a property's latest
// value also goes to an HTTP endpoint or an MQTT topic. Failures are logged and never stop the mapper.
// KubeEdge's template posts a form and publishes free text; we send one JSON document for both.
import { connect, type MqttClient } from 'mqtt';
import { mqttNoDelay, type Logger } from '../../core/index.js';
import { errorMessage } from './errors.js';
import type { MapperProperty } from './types.js';

export interface PushRecord {
  deviceName: string;
  namespace: string;
  propertyName: string;
  value: string;
  type: string;
  /** Milliseconds since the epoch of the read. */
  timestamp: number;
}

export interface Pusher {
  push(method: NonNullable<MapperProperty['pushMethod']>, record: PushRecord): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_HTTP_TIMEOUT_MS = 5_000;
/** How long a push waits for a broker that is (re)connecting before the value is dropped. */
const BROKER_WAIT_MS = 1_000;

function connectedWithin(client: MqttClient, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      client.removeListener('connect', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    client.once('connect', done);
  });
}

/** KubeEdge's hostName carries the scheme ("http://127.0.0.1"); a bare host gets http://. */
export function pushUrl(http: { hostName: string; port: number; requestPath: string }): string {
  const base = /^[a-z][a-z0-9+.-]*:\/\//i.test(http.hostName) ? http.hostName : `http://${http.hostName}`;
  const path = http.requestPath.startsWith('/') || http.requestPath === '' ? http.requestPath : `/${http.requestPath}`;
  return `${base.replace(/\/+$/, '')}${http.port ? `:${http.port}` : ''}${path}`;
}

export function createPusher(log: Logger): Pusher {
  // One client per broker address, kept open between cycles (KubeEdge connects per message).
  const brokers = new Map<string, MqttClient>();

  const brokerFor = (address: string): MqttClient => {
    let client = brokers.get(address);
    if (!client) {
      client = mqttNoDelay(connect(address, { reconnectPeriod: 2_000, connectTimeout: 5_000, queueQoSZero: false }));
      client.on('error', (err) => log.debug('push broker error', { address, error: err.message }));
      brokers.set(address, client);
    }
    return client;
  };

  const pushHttp = async (http: NonNullable<NonNullable<MapperProperty['pushMethod']>['http']>, body: string): Promise<void> => {
    const url = pushUrl(http);
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(http.timeoutMs > 0 ? http.timeoutMs : DEFAULT_HTTP_TIMEOUT_MS),
    });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`POST ${url}: HTTP ${res.status}`);
  };

  const pushMqtt = async (mqtt: NonNullable<NonNullable<MapperProperty['pushMethod']>['mqtt']>, body: string): Promise<void> => {
    const client = brokerFor(mqtt.address);
    if (!client.connected) await connectedWithin(client, BROKER_WAIT_MS);
    // Skipped rather than queued while the broker is away: a stale reading is worth less than memory.
    if (!client.connected) throw new Error(`broker ${mqtt.address} not connected`);
    await client.publishAsync(mqtt.topic, body, { qos: mqtt.qos, retain: mqtt.retained });
  };

  return {
    async push(method, record) {
      const body = JSON.stringify(record);
      const jobs: Promise<void>[] = [];
      if (method.http) jobs.push(pushHttp(method.http, body).catch((err) => log.warn('push failed', { method: 'http', device: record.deviceName, property: record.propertyName, error: errorMessage(err) })));
      if (method.mqtt) jobs.push(pushMqtt(method.mqtt, body).catch((err) => log.warn('push failed', { method: 'mqtt', device: record.deviceName, property: record.propertyName, error: errorMessage(err) })));
      await Promise.all(jobs);
    },
    async close() {
      const clients = [...brokers.values()];
      brokers.clear();
      await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
    },
  };
}
