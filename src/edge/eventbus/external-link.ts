// The connection to the external broker (KubeEdge's MQTTHub, paho there, mqtt.js here). One client
// publishes and subscribes (KubeEdge opens two; the broker sees the same traffic). mqtt.js's own
// reconnect is off: each dial is a fresh clean-session client, as KubeEdge's InitSubClient, and our
// loop redials with capped, jittered backoff and resubscribes everything after each connect.
// mqtt.js (about 25 MiB resident) is loaded only when an external broker is configured.
import type { IClientOptions, IClientPublishOptions, MqttClient } from 'mqtt';
type Connect = typeof import('mqtt').connect;
import { mqttNoDelay, type Logger } from '../../core/index.js';
import { RECONNECT_RESET_AFTER_MS, reconnectDelay, type ReconnectPolicy } from './reconnect-delay.js';
import type { BrokerLinkState } from './types.js';

export interface ExternalLinkOptions {
  /** From externalConnectOptions(): address, credentials, TLS, client id. */
  connect: IClientOptions;
  /** Printable broker address for logs. */
  describe: string;
  /** Every filter to hold, read at each connect. */
  filters: () => string[];
  qos: 0 | 1;
  onMessage: (topic: string, payload: Buffer) => void;
  log: Logger;
  now: () => number;
  reconnect: ReconnectPolicy;
  random?: () => number;
}

/** Past this many bytes waiting in the socket, publishes are dropped rather than buffered without bound. */
export const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
const CONNECT_TIMEOUT_MS = 10_000;
/** Seconds; a broker that vanishes without a FIN is noticed within 1.5 × this. */
const KEEPALIVE_S = 30;

/** Publish options reused for every call (mqtt.js copies them): [qos][retain ? 1 : 0]. */
const PUBLISH_OPTS: readonly (readonly IClientPublishOptions[])[] = [
  [{ qos: 0, retain: false }, { qos: 0, retain: true }],
  [{ qos: 1, retain: false }, { qos: 1, retain: true }],
];

export class ExternalLink {
  private client: MqttClient | undefined;
  private current: BrokerLinkState = { kind: 'connecting', attempt: 1 };
  private timer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private connectedAt = 0;
  private everConnected = false;
  private stopped = false;
  /** Successful connects after the first one. */
  reconnects = 0;

  constructor(private readonly opts: ExternalLinkOptions) {}

  get state(): BrokerLinkState {
    return this.current;
  }

  /** Starts dialing in the background; never throws for an absent broker. */
  start(): void {
    import('mqtt').then((m) => {
      this.connect = m.connect;
      this.dial();
    }, (err: unknown) => { this.current = { kind: 'reconnecting', attempt: 0, lastError: `mqtt.js: ${errorText(err)}` }; });
  }

  private connect?: Connect;

  /** False when not connected or the socket is backed up: the caller counts a drop. Never blocks. */
  publish(topic: string, payload: string | Buffer, qos: 0 | 1, retain: boolean): boolean {
    const c = this.client;
    if (c === undefined || !c.connected || c.disconnecting) return false;
    const buffered = c.stream?.writableLength ?? 0;
    if (buffered > MAX_BUFFERED_BYTES) return false;
    try {
      c.publish(topic, payload, PUBLISH_OPTS[qos]![retain ? 1 : 0]!);
      return true;
    } catch {
      return false;
    }
  }

  /** Subscribes now when connected; otherwise the next connect picks it up from filters(). */
  subscribe(filter: string): void {
    const c = this.client;
    if (c?.connected) c.subscribe(filter, { qos: this.opts.qos }, (err, granted) => this.checkGrants(err, granted));
  }

  unsubscribe(filter: string): void {
    const c = this.client;
    if (c?.connected) c.unsubscribe(filter, (err) => err && this.opts.log.warn('unsubscribe failed', { topic: filter, error: err.message }));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.current = { kind: 'stopped' };
    const c = this.client;
    this.client = undefined;
    if (c !== undefined) await endClient(c);
  }

  private dial(): void {
    const connect = this.connect;
    if (this.stopped || connect === undefined) return;
    this.attempt++;
    if (this.current.kind === 'reconnecting') this.current = { ...this.current, attempt: this.attempt };
    else this.current = { kind: 'connecting', attempt: this.attempt };
    let lastError: string | undefined;
    let client: MqttClient;
    try {
      client = connect({
        ...this.opts.connect,
        clean: true,
        reconnectPeriod: 0,
        resubscribe: false,
        queueQoSZero: false,
        connectTimeout: CONNECT_TIMEOUT_MS,
        keepalive: KEEPALIVE_S,
        protocolVersion: 4,
      });
    } catch (err) {
      this.scheduleRedial(errorText(err));
      return;
    }
    this.client = mqttNoDelay(client);
    // Kept for the client's whole life, also after end(): an 'error' with no listener would throw.
    client.on('error', (err) => { lastError = errorText(err); });
    client.on('connect', () => this.onConnect(client));
    client.on('message', (topic, payload) => this.opts.onMessage(topic, payload));
    client.on('close', () => {
      if (client !== this.client) return;
      this.client = undefined;
      client.removeAllListeners('message');
      void endClient(client);
      this.onLost(lastError);
    });
  }

  private onConnect(client: MqttClient): void {
    if (client !== this.client) return;
    if (this.everConnected) this.reconnects++;
    this.everConnected = true;
    this.connectedAt = this.opts.now();
    this.current = { kind: 'connected', since: this.connectedAt };
    this.opts.log.info('connected', { broker: this.opts.describe, attempt: this.attempt });
    const filters = this.opts.filters();
    if (filters.length > 0) client.subscribe(filters, { qos: this.opts.qos }, (err, granted) => this.checkGrants(err, granted));
  }

  private onLost(error: string | undefined): void {
    if (this.stopped) return;
    const wasConnected = this.current.kind === 'connected';
    if (wasConnected && this.opts.now() - this.connectedAt >= RECONNECT_RESET_AFTER_MS) this.attempt = 0;
    const reason = error ?? (wasConnected ? 'connection lost' : 'connection closed before CONNACK');
    this.opts.log.warn(wasConnected ? 'disconnected' : 'connect failed', { broker: this.opts.describe, error: reason });
    this.scheduleRedial(reason);
  }

  private scheduleRedial(lastError: string): void {
    this.current = { kind: 'reconnecting', attempt: this.attempt, lastError };
    const delay = reconnectDelay(Math.max(1, this.attempt), this.opts.reconnect, this.opts.random ?? Math.random);
    this.timer = setTimeout(() => this.dial(), delay);
  }

  private checkGrants(err: Error | null | undefined, granted: { topic: string; qos: number }[] | undefined): void {
    // An error here means the connection dropped mid-subscribe; the next connect resubscribes.
    if (err) return;
    for (const g of granted ?? []) {
      if (g.qos === 0x80) this.opts.log.warn('subscription refused by broker', { topic: g.topic });
    }
  }
}

function endClient(client: MqttClient): Promise<void> {
  // end(true) settles at once for a live socket; bounded in case the client is mid-connect.
  return new Promise((resolve) => {
    const t = setTimeout(resolve, 1000);
    client.end(true, {}, () => {
      clearTimeout(t);
      resolve();
    });
  });
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
