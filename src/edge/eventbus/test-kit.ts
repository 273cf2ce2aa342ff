// Shared pieces of eventbus's tests (imported by *.test.ts only): recording routes, a polling wait,
// device-app clients on real sockets.
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { createSilentLogger, type Logger, type Message } from '../../core/index.js';
import { openEdgeDatabase, type Database } from '../dbm/index.js';
import { EventBus, type EventBusOptions } from './event-bus.js';
import type { EventBusRoutes } from './types.js';

export interface Recorded {
  twin: { topic: string; payload: string }[];
  cloud: Message[];
  routes: EventBusRoutes;
}

export function recordingRoutes(): Recorded {
  const rec: Recorded = {
    twin: [],
    cloud: [],
    routes: {
      twin: (topic, payload) => rec.twin.push({ topic, payload: payload.toString('utf8') }),
      cloud: (msg) => rec.cloud.push(msg),
    },
  };
  return rec;
}

/** Polls until `check` returns a value other than undefined/false; rejects after timeoutMs. */
export async function waitFor<T>(check: () => T | undefined | false, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function memoryDb(): Database {
  return openEdgeDatabase(':memory:', { check: 'none' });
}

/** A device app: an mqtt.js client with its own reconnect off. */
export function device(port: number, opts: IClientOptions = {}): Promise<MqttClient> {
  return connectAsync({ host: '127.0.0.1', port, protocol: 'mqtt', reconnectPeriod: 0, connectTimeout: 5000, ...opts });
}

/** Messages a client receives, in order. */
export function inbox(client: MqttClient): { topic: string; payload: string }[] {
  const got: { topic: string; payload: string }[] = [];
  client.on('message', (topic, payload) => got.push({ topic, payload: payload.toString('utf8') }));
  return got;
}

export function newBus(over: Partial<EventBusOptions> & Pick<EventBusOptions, 'mode' | 'db' | 'routes'>, log: Logger = createSilentLogger()): EventBus {
  return new EventBus({
    internal: { host: '127.0.0.1', port: 0 },
    external: { url: 'mqtt://127.0.0.1:1' },
    qos: 1,
    retain: false,
    nodeName: 'edge-1',
    log,
    reconnect: { minMs: 50, maxMs: 400 },
    ...over,
  });
}
