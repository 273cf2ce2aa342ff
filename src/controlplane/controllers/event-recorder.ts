// Records core/v1 Events (what `kubectl describe` lists under "Events:"). Repeats of the same event for
// the same object bump count and lastTimestamp instead of creating a new object, like client-go's
// event correlator. Recording never throws: a lost event must not fail a reconcile.
import type { KubeObject } from '../../api/index.js';
import type { ObjectAPI } from '../objects/index.js';
import { errorText } from './informer.js';
import { refs } from './resources.js';
import { formatTime, systemNow, type Logger } from './types.js';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorderOptions {
  api: ObjectAPI;
  log: Logger;
  /** source.component, e.g. 'deployment-controller' or 'default-scheduler'. */
  component: string;
  now?: () => Date;
  /** How many distinct events to remember for aggregation (default 1024). */
  cacheSize?: number;
}

interface Recorded { namespace: string; name: string; count: number }

export class EventRecorder {
  private readonly opts: EventRecorderOptions;
  private readonly now: () => Date;
  private readonly recent = new Map<string, Recorded>();
  private sequence = 0;

  constructor(options: EventRecorderOptions) {
    this.opts = options;
    this.now = options.now ?? systemNow;
  }

  event(obj: KubeObject, type: EventType, reason: string, message: string): void {
    const cacheKey = [obj.metadata.uid ?? objectId(obj), type, reason, message].join('\u0000');
    const seen = this.recent.get(cacheKey);
    const timestamp = formatTime(this.now());
    if (seen && this.bump(seen, timestamp)) {
      this.recent.delete(cacheKey);
      this.recent.set(cacheKey, seen);
      return;
    }
    const created = this.create(obj, type, reason, message, timestamp);
    if (!created) return;
    this.recent.set(cacheKey, created);
    if (this.recent.size > (this.opts.cacheSize ?? 1024)) {
      const oldest = this.recent.keys().next().value;
      if (oldest !== undefined) this.recent.delete(oldest);
    }
  }

  private bump(seen: Recorded, timestamp: string): boolean {
    try {
      this.opts.api.patch(refs.events, seen.namespace, seen.name, 'merge', { count: seen.count + 1, lastTimestamp: timestamp });
      seen.count++;
      return true;
    } catch {
      return false;
    }
  }

  private create(obj: KubeObject, type: EventType, reason: string, message: string, timestamp: string): Recorded | undefined {
    const namespace = obj.metadata.namespace || 'default';
    const name = `${obj.metadata.name ?? 'unknown'}.${this.suffix()}`;
    const event: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: involvedObject(obj),
      reason,
      message,
      type,
      source: { component: this.opts.component },
      count: 1,
      firstTimestamp: timestamp,
      lastTimestamp: timestamp,
      reportingComponent: this.opts.component,
      reportingInstance: '',
    };
    try {
      this.opts.api.create(refs.events, namespace, event);
      return { namespace, name, count: 1 };
    } catch (err) {
      this.opts.log.debug('event not recorded', { reason, object: objectId(obj), err: errorText(err) });
      return undefined;
    }
  }

  // Kubernetes names events "<object>.<unix nanoseconds in hex>"; a sequence keeps ours unique
  // within one millisecond.
  private suffix(): string {
    const nanos = BigInt(this.now().getTime()) * 1_000_000n + BigInt(this.sequence++ % 1_000_000);
    return nanos.toString(16);
  }
}

function objectId(obj: KubeObject): string {
  return `${obj.kind ?? ''}/${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}

function involvedObject(obj: KubeObject): Record<string, unknown> {
  const ref: Record<string, unknown> = { kind: obj.kind, name: obj.metadata.name };
  if (obj.metadata.namespace) ref.namespace = obj.metadata.namespace;
  if (obj.metadata.uid) ref.uid = obj.metadata.uid;
  if (obj.apiVersion) ref.apiVersion = obj.apiVersion;
  if (obj.metadata.resourceVersion) ref.resourceVersion = obj.metadata.resourceVersion;
  return ref;
}
