// Pod events as kubelet records them (core/v1 Event, source kubelet), with client-go's correlator
// behaviour: an identical event within 10 minutes updates the first one (same name, count++), and a
// per-pod token bucket (burst 25, one token per 10 s) keeps a crash loop from flooding the link.
// Events are paced onto the link (kubelet's eventRecordQPS idea: 5/s, burst 10) so that in a burst of
// pod starts the pod statuses, which share the edgehub's upstream rate limit, go first; an event that
// is aggregated while it waits is sent once, with its latest count. Static pods have no API object,
// so their events only reach the log.
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
const DEFAULT_EVENT_QPS = 5;

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
  /** Events per second onto the link (burst twice that); 0 sends at once. Default 5. */
  qps?: number;
}

export class EventRecorder {
  readonly #deps: EventRecorderDeps;
  readonly #seen = new Map<string, Seen>();
  readonly #buckets = new Map<string, Bucket>();
  /** Events waiting for the pace, by name (an aggregated event keeps its place in the line). */
  readonly #waiting = new Map<string, KubeObject>();
  #pace: Bucket;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #qps: number;

  constructor(deps: EventRecorderDeps) {
    this.#deps = deps;
    this.#qps = deps.qps ?? DEFAULT_EVENT_QPS;
    // Wall-clock time: pacing is about the real link, whatever clock the rest is given.
    this.#pace = { tokens: this.#qps * 2, at: Date.now() };
  }

  /** Sends every waiting event now (clean shutdown: the outbox keeps them). */
  flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const event of this.#waiting.values()) this.#send(event);
    this.#waiting.clear();
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
    this.#waiting.set(seen.name, event);
    this.#drain();
  }

  #drain(): void {
    if (this.#qps <= 0) {
      this.flush();
      return;
    }
    const now = Date.now();
    const refill = ((now - this.#pace.at) / 1000) * this.#qps;
    this.#pace = { tokens: Math.min(this.#qps * 2, this.#pace.tokens + refill), at: now };
    for (const [name, event] of this.#waiting) {
      if (this.#pace.tokens < 1) break;
      this.#pace.tokens -= 1;
      this.#waiting.delete(name);
      this.#send(event);
    }
    if (this.#waiting.size > 0 && this.#timer === undefined) {
      this.#timer = setTimeout(() => { this.#timer = undefined; this.#drain(); }, 1000 / this.#qps);
      this.#timer.unref?.();
    }
  }

  #send(event: KubeObject): void {
    try {
      this.#deps.hub.enqueue(eventMessage(event, { now: this.#deps.now }));
    } catch (err) {
      this.#deps.log.warn('event not sent', { reason: event['reason'], error: err instanceof Error ? err.message : String(err) });
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
