// Where a message from a broker goes (KubeEdge eventbus/mqtt filter.go + handler.go): topics under
// $hw/events/device and $hw/events/node go to devicetwin; everything else the bus is subscribed to
// ($hw/events/upload/#, SYS/dis/upload_records, +/user/#, the cloud's sub_topics) goes to the cloud as
// source "bus", group "user", operation "upload", resource = the topic, content = the payload text.
import { Groups, Operations, Sources, newMessage, type Message, type MessageClock } from '../../core/index.js';
import type { LogThrottle } from './log-throttle.js';
import type { EventBusMetrics, EventBusRoutes } from './types.js';

const DEVICE_ROOT = '$hw/events/device';
const NODE_ROOT = '$hw/events/node';

/** KubeEdge matches `^\$hw/events/(device|node)(/.*)?$`. */
export function isTwinTopic(topic: string): boolean {
  return matchesRoot(topic, DEVICE_ROOT) || matchesRoot(topic, NODE_ROOT);
}

function matchesRoot(topic: string, root: string): boolean {
  return topic.startsWith(root) && (topic.length === root.length || topic.charCodeAt(root.length) === 0x2f);
}

/** The message KubeEdge's handleUploadTopic builds for the cloud. */
export function uploadMessage(topic: string, payload: Buffer, clock?: MessageClock): Message<string> {
  return newMessage(
    { source: Sources.bus, group: Groups.user, operation: Operations.upload, resource: topic, content: payload.toString('utf8') },
    clock,
  );
}

export interface UplinkDeps {
  routes: EventBusRoutes;
  /** Uploads over this many bytes are dropped (the cloud link carries whole messages in one frame). */
  maxPayloadBytes: number;
  metrics: EventBusMetrics;
  warn: LogThrottle;
  clock: MessageClock;
}

/** The per-message handler both brokers feed. Never throws: a failing route is counted and logged (throttled). */
export function createUplink(deps: UplinkDeps): (topic: string, payload: Buffer) => void {
  const { routes, metrics, warn } = deps;
  return (topic, payload) => {
    metrics.received++;
    try {
      if (isTwinTopic(topic)) {
        routes.twin(topic, payload);
        return;
      }
      if (payload.length > deps.maxPayloadBytes) {
        metrics.oversized++;
        metrics.dropped++;
        warn.warn('oversized', 'upload dropped: payload too large', () => ({ topic, bytes: payload.length, maxBytes: deps.maxPayloadBytes }));
        return;
      }
      routes.cloud(uploadMessage(topic, payload, deps.clock));
    } catch (err) {
      metrics.dropped++;
      warn.warn('route', 'message dropped: route failed', () => ({ topic, error: err instanceof Error ? err.message : String(err) }));
    }
  };
}
