// edgecore's eventbus (KubeEdge edge/pkg/eventbus): joins the MQTT broker(s) of the mode to the rest of
// edgecore. internal = embedded aedes broker, external = a broker such as mosquitto, both = the two:
// subscribe on both, publish to both. Subscriptions are EDGE_SUBSCRIPTIONS plus the cloud's sub_topics.
import { randomBytes } from 'node:crypto';
import { EDGE_SUBSCRIPTIONS, type Logger, type Message } from '../../core/index.js';
import type { Database } from '../dbm/index.js';
import { describeBroker, externalConnectOptions, type ExternalBrokerConfig } from './broker-url.js';
import { cloudAction } from './cloud-messages.js';
import { EventBusError } from './errors.js';
import { ExternalLink } from './external-link.js';
import { InternalBroker } from './internal-broker.js';
import { LogThrottle } from './log-throttle.js';
import { isValidTopicFilter, isValidTopicName } from './mqtt-topic.js';
import { resolveReconnectPolicy } from './reconnect-delay.js';
import { SubTopicStore } from './sub-topics.js';
import type { BrokerLinkState, EventBusMetrics, EventBusPort, EventBusRoutes, MqttMode, PublishOptions } from './types.js';
import { createUplink } from './uplink.js';

export interface EventBusOptions {
  mode: MqttMode;
  /** The embedded broker's address (KubeEdge mqttServerInternal, 127.0.0.1:1884); port 0 in tests. */
  internal: { host: string; port: number };
  external: ExternalBrokerConfig;
  /** Default QoS of subscriptions and publishes (mqttQOS). */
  qos: 0 | 1;
  /** Default retain flag of publishes (mqttRetain). */
  retain: boolean;
  /** Uploads to the cloud over this size are dropped; default 1 MiB. */
  maxPayloadBytes?: number;
  db: Database;
  nodeName: string;
  routes: EventBusRoutes;
  log: Logger;
  now?: () => number;
  /** External broker redial backoff, ms (defaults 500 and 30 000). */
  reconnect?: { minMs?: number; maxMs?: number };
}

export const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

type Lifecycle = 'new' | 'running' | 'stopped';

export class EventBus implements EventBusPort {
  private readonly store: SubTopicStore;
  private readonly counters: EventBusMetrics = { received: 0, published: 0, dropped: 0, oversized: 0, reconnects: 0 };
  private readonly throttle: LogThrottle;
  private readonly internal?: InternalBroker;
  private readonly external?: ExternalLink;
  /** Built-in filters plus the stored ones: what both brokers hold. */
  private readonly filters = new Set<string>(EDGE_SUBSCRIPTIONS);
  private lifecycle: Lifecycle = 'new';

  /** Throws EventBusError: bad_options (mode, external URL), tls_files; DatabaseError from the migration. */
  constructor(private readonly opts: EventBusOptions) {
    if (opts.mode !== 'internal' && opts.mode !== 'external' && opts.mode !== 'both') {
      throw new EventBusError('bad_options', `eventbus: mode "${String(opts.mode)}" is not internal, external or both`);
    }
    const now = opts.now ?? Date.now;
    this.throttle = new LogThrottle(opts.log, now);
    this.store = new SubTopicStore(opts.db);
    const onMessage = createUplink({
      routes: opts.routes,
      maxPayloadBytes: opts.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
      metrics: this.counters,
      warn: this.throttle,
      clock: { now },
    });
    if (opts.mode !== 'external') {
      this.internal = new InternalBroker({ ...opts.internal, log: opts.log.child('internal'), onMessage });
    }
    if (opts.mode !== 'internal') {
      this.external = new ExternalLink({
        connect: externalConnectOptions(opts.external, `hub-client-${opts.nodeName}-${randomBytes(3).toString('hex')}`),
        describe: describeBroker(opts.external.url),
        filters: () => [...this.filters],
        qos: opts.qos,
        onMessage,
        log: opts.log.child('external'),
        now,
        reconnect: resolveReconnectPolicy(opts.reconnect),
      });
    }
  }

  /** Listens (internal), starts dialing (external, in the background). Throws EventBusError. */
  async start(): Promise<{ internalPort?: number }> {
    if (this.lifecycle !== 'new') throw new EventBusError('bad_state', `eventbus: start() on a bus that is ${this.lifecycle}`);
    this.lifecycle = 'running';
    for (const t of this.storedTopics()) this.filters.add(t);
    let internalPort: number | undefined;
    if (this.internal) {
      for (const f of this.filters) this.internal.subscribe(f);
      internalPort = await this.internal.start();
    }
    this.external?.start();
    return internalPort === undefined ? {} : { internalPort };
  }

  async stop(): Promise<void> {
    if (this.lifecycle === 'stopped') return;
    this.lifecycle = 'stopped';
    await Promise.all([this.internal?.stop(), this.external?.stop()]);
  }

  /** Counted per broker: in both mode one call adds to published and/or dropped once per broker. Never throws. */
  publish(topic: string, payload: string | Buffer, opts?: PublishOptions): void {
    if (!isValidTopicName(topic)) {
      this.counters.dropped++;
      this.throttle.warn('bad-topic', 'publish dropped: invalid topic', () => ({ topic }));
      return;
    }
    const qos = opts?.qos ?? this.opts.qos;
    const retain = opts?.retain ?? this.opts.retain;
    if (this.internal) this.count(this.internal.publish(topic, payload, qos, retain));
    if (this.external) this.count(this.external.publish(topic, payload, qos, retain));
  }

  /** Persists the filter in sub_topics and subscribes on the broker(s). */
  subscribe(topic: string): void {
    if (!isValidTopicFilter(topic)) {
      this.opts.log.warn('subscribe ignored: invalid topic filter', { topic });
      return;
    }
    this.persist(() => this.store.add(topic), topic);
    if (this.filters.has(topic)) return;
    this.filters.add(topic);
    if (this.lifecycle !== 'running') return;
    this.internal?.subscribe(topic);
    this.external?.subscribe(topic);
  }

  /** Forgets a stored filter. The built-in subscriptions stay: devicetwin and uploads depend on them. */
  unsubscribe(topic: string): void {
    this.persist(() => this.store.remove(topic), topic);
    if (EDGE_SUBSCRIPTIONS.includes(topic) || !this.filters.delete(topic)) return;
    if (this.lifecycle !== 'running') return;
    this.internal?.unsubscribe(topic);
    this.external?.unsubscribe(topic);
  }

  /** A message for the bus from the cloud (edgehub routes group "user", source "router_eventbus" here). */
  handleCloud(msg: Message): void {
    const action = cloudAction(msg, this.opts.nodeName);
    switch (action.kind) {
      case 'subscribe':
        this.subscribe(action.topic);
        this.opts.log.info('subscribed', { topic: action.topic });
        return;
      case 'unsubscribe':
        this.unsubscribe(action.topic);
        this.opts.log.info('unsubscribed', { topic: action.topic });
        return;
      case 'publish':
        this.publish(action.topic, action.payload);
        return;
      case 'ignore':
        this.throttle.warn(`cloud:${action.reason}`, 'cloud message ignored', () => ({
          reason: action.reason,
          operation: msg.route.operation,
          resource: msg.route.resource,
          msgId: msg.header.msg_id,
        }));
    }
  }

  externalState(): BrokerLinkState {
    if (!this.external) return { kind: 'disabled' };
    if (this.lifecycle === 'stopped') return { kind: 'stopped' };
    return this.external.state;
  }

  metrics(): EventBusMetrics {
    return { ...this.counters, reconnects: this.external?.reconnects ?? 0 };
  }

  /** The filters held on the broker(s) now: built-in plus stored. */
  subscriptions(): string[] {
    return [...this.filters];
  }

  private count(accepted: boolean): void {
    if (accepted) this.counters.published++;
    else this.counters.dropped++;
  }

  private storedTopics(): string[] {
    try {
      return this.store.list().filter((t) => isValidTopicFilter(t));
    } catch (err) {
      this.opts.log.error('cannot read sub_topics', { error: (err as Error).message });
      return [];
    }
  }

  /** As KubeEdge: a failed write is logged and the broker subscription still holds for this run. */
  private persist(write: () => void, topic: string): void {
    try {
      write();
    } catch (err) {
      this.opts.log.error('cannot write sub_topics', { topic, error: (err as Error).message });
    }
  }
}
