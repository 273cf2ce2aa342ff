// Pod events as kubelet records them (core/v1 Event, source kubelet), with client-go's correlator
// behaviour: an identical event within 10 minutes updates the first one (same name, count++), and a
// per-pod token bucket (burst 25, one token per 10 s) keeps a crash loop from flooding the link.
// Static pods have no API object, so their events only reach the log.
import type { KubeObject } from '../../../api/index.js';
import type { Logger, Message } from '../../../core/index.js';
import { eventMessage } from '../../metaserver/index.js';
import type { Pod } from '../pod-contracts.js';
import { formatTime } from './pod-fields.js';

export type EventType = 'Normal' | 'Warning';

const AGGREGATE_WINDOW_MS = 10 * 60_000;
const BURST = 25;
const REFILL_MS = 10_000;
const MAX_KEYS = 4096;

interface Seen {
  name: string;
  count: number;
  first: number;
  last: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export interface EventRecorderDeps {
  nodeName: string;
  hub: { enqueue(msg: Message): void };
  log: Logger;
  now: () => number;
  /** Pods whose events stay local (static pods). */
  isLocalOnly: (pod: Pod) => boolean;
}

export class EventRecorder {
  readonly #deps: EventRecorderDeps;
  readonly #seen = new Map<string, Seen>();
  readonly #buckets = new Map<string, Bucket>();

  constructor(deps: EventRecorderDeps) {
    this.#deps = deps;
  }

  /** Records one event about the pod; container = the container it concerns (fieldPath). */
  record(pod: Pod, type: EventType, reason: string, message: string, container?: { name: string; kind: 'init' | 'regular' }): void {
    const now = this.#deps.now();
    const fieldPath = container === undefined ? undefined : `spec.${container.kind === 'init' ? 'initContainers' : 'containers'}{${container.name}}`;
    this.#deps.log.debug('pod event', { namespace: pod.metadata.namespace, pod: pod.metadata.name, type, reason, message });
    if (this.#deps.isLocalOnly(pod)) return;
    const key = [pod.metadata.uid, fieldPath ?? '', type, reason, message].join('\u0000');
    const seen = this.#aggregate(key, pod.metadata.name, now);
    if (!this.#take(pod.metadata.uid, now)) return;
    const event: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: seen.name, namespace: pod.metadata.namespace },
      involvedObject: {
        kind: 'Pod',
        namespace: pod.metadata.namespace,
        name: pod.metadata.name,
        uid: pod.metadata.uid,
        apiVersion: 'v1',
        ...(fieldPath === undefined ? {} : { fieldPath }),
      },
      reason,
      message,
      type,
      source: { component: 'kubelet', host: this.#deps.nodeName },
      firstTimestamp: formatTime(seen.first),
      lastTimestamp: formatTime(seen.last),
      count: seen.count,
      reportingComponent: 'kubelet',
      reportingInstance: this.#deps.nodeName,
    };
    try {
      this.#deps.hub.enqueue(eventMessage(event, { now: this.#deps.now }));
    } catch (err) {
      this.#deps.log.warn('event not sent', { reason, error: err instanceof Error ? err.message : String(err) });
    }
  }

  /** Forgets the pod's counters (it was removed). */
  forget(uid: string): void {
    this.#buckets.delete(uid);
    for (const key of this.#seen.keys()) if (key.startsWith(`${uid}\u0000`)) this.#seen.delete(key);
  }

  #aggregate(key: string, podName: string, now: number): Seen {
    const prev = this.#seen.get(key);
    if (prev !== undefined && now - prev.last < AGGREGATE_WINDOW_MS) {
      prev.count++;
      prev.last = now;
      return prev;
    }
    if (this.#seen.size >= MAX_KEYS) this.#evict(now);
    // kubelet: fmt.Sprintf("%v.%x", ref.Name, t.UnixNano())
    const name = `${podName}.${(BigInt(now) * 1_000_000n + BigInt(this.#seen.size % 1000)).toString(16)}`;
    const seen: Seen = { name, count: 1, first: now, last: now };
    this.#seen.set(key, seen);
    return seen;
  }

  #evict(now: number): void {
    for (const [k, s] of this.#seen) if (now - s.last >= AGGREGATE_WINDOW_MS) this.#seen.delete(k);
    if (this.#seen.size >= MAX_KEYS) this.#seen.clear();
  }

  #take(uid: string, now: number): boolean {
    const b = this.#buckets.get(uid) ?? { tokens: BURST, at: now };
    const refill = Math.floor((now - b.at) / REFILL_MS);
    if (refill > 0) {
      b.tokens = Math.min(BURST, b.tokens + refill);
      b.at += refill * REFILL_MS;
    }
    if (b.tokens >= BURST) b.at = now;
    this.#buckets.set(uid, b);
    if (b.tokens <= 0) return false;
    b.tokens--;
    return true;
  }
}
