// What eventbus offers the other edge modules and what it calls. eventbus joins the MQTT broker(s) to
// edgecore: internal = an embedded broker (aedes) on 127.0.0.1:1884, external = a broker such as
// mosquitto on 1883, both = the two at once (KubeEdge's mqttMode 0/2/1).
import type { Message } from '../../core/index.js';

export type MqttMode = 'internal' | 'external' | 'both';

export interface PublishOptions {
  /** 0 or 1; KubeEdge's eventbus publishes with qos 1 (modules.eventBus.mqttQOS). */
  qos?: 0 | 1;
  retain?: boolean;
}

/** Publishing, for devicetwin (results, deltas, documents, membership) and the edge's other modules. */
export interface EventBusPort {
  /** Publishes to the broker(s) of the mode. Never throws: while a broker is away the message is dropped and counted. */
  publish(topic: string, payload: string | Buffer, opts?: PublishOptions): void;
}

/** Who gets what arrives on the subscribed topics. */
export interface EventBusRoutes {
  /** $hw/events/device/… and $hw/events/node/…/membership/get: devicetwin. Payload is the raw bytes. */
  twin(topic: string, payload: Buffer): void;
  /** $hw/events/upload/# and SYS/dis/upload_records: to the cloud (group user, resource = topic). */
  cloud(msg: Message): void;
}

export type BrokerLinkState =
  | { kind: 'disabled' }
  | { kind: 'connecting'; attempt: number }
  | { kind: 'connected'; since: number }
  | { kind: 'reconnecting'; attempt: number; lastError: string }
  | { kind: 'stopped' };

export interface EventBusMetrics {
  received: number;
  published: number;
  /** Dropped: the broker was away, or the payload was over maxPayloadBytes. */
  dropped: number;
  oversized: number;
  reconnects: number;
}
