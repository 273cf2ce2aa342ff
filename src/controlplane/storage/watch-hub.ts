// Fan-out of committed events to watch listeners, in revision order for every listener, even when a
// listener writes to the store (its events queue behind the one being delivered).
import { isKubeObject } from '../../api/index.js';
import type { StoreEvent, WatchEventType } from './types.js';
import type { StoreLog } from './schema.js';

/** An event as committed: the JSON text is parsed only when some listener wants it. */
export interface CommittedEvent {
  type: WatchEventType;
  resource: string;
  namespace: string;
  name: string;
  revision: number;
  json: string;
}

export interface Watcher {
  /** Storage resource or '*'. */
  readonly resource: string;
  /** '' = every namespace. */
  readonly namespace: string;
  readonly listener: (event: StoreEvent) => void;
  /** Highest revision this watcher has seen or skipped; guards against duplicates. */
  last: number;
  /** True while watch() replays history: live delivery waits, replay catches up from the file. */
  replaying: boolean;
  active: boolean;
}

const WATCH_TYPES: ReadonlySet<string> = new Set<WatchEventType>(['ADDED', 'MODIFIED', 'DELETED']);

/**
 * Event objects are shared by every listener of one event and deep-frozen, so one listener cannot
 * corrupt what another sees (and the HTTP layer may cache one serialization per event, as
 * Kubernetes' watch cache does). A listener that needs to change an object copies it first.
 */
export function toStoreEvent(e: Omit<CommittedEvent, 'namespace' | 'name'>): StoreEvent | undefined {
  let object: unknown;
  try {
    object = JSON.parse(e.json);
  } catch {
    return undefined;
  }
  if (!isKubeObject(object) || !WATCH_TYPES.has(e.type)) return undefined;
  return deepFreeze({ type: e.type, resource: e.resource, object, revision: e.revision });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export class WatchHub {
  readonly #byResource = new Map<string, Set<Watcher>>();
  readonly #queue: CommittedEvent[] = [];
  #draining = false;
  readonly #log: StoreLog | undefined;

  constructor(log?: StoreLog) {
    this.#log = log;
  }

  add(watcher: Watcher): void {
    let set = this.#byResource.get(watcher.resource);
    if (!set) this.#byResource.set(watcher.resource, (set = new Set()));
    set.add(watcher);
  }

  remove(watcher: Watcher): void {
    watcher.active = false;
    const set = this.#byResource.get(watcher.resource);
    if (!set) return;
    set.delete(watcher);
    if (set.size === 0) this.#byResource.delete(watcher.resource);
  }

  removeAll(): void {
    for (const set of this.#byResource.values()) for (const w of set) w.active = false;
    this.#byResource.clear();
    this.#queue.length = 0;
  }

  /** Queues committed events; delivers them now unless a delivery is already running further up the stack. */
  publish(events: readonly CommittedEvent[]): void {
    if (events.length === 0) return;
    // A loop, not push(...events): a large transaction would overflow the argument stack.
    for (const e of events) this.#queue.push(e);
    if (this.#draining) return;
    this.#draining = true;
    try {
      // The queue may grow while we iterate: listeners that write append behind the current event.
      for (let i = 0; i < this.#queue.length; i++) {
        const event = this.#queue[i];
        if (event) this.#dispatch(event);
      }
    } finally {
      this.#queue.length = 0;
      this.#draining = false;
    }
  }

  /** Calls one listener, shielding the store and the other listeners from its exceptions. */
  call(watcher: Watcher, event: StoreEvent): void {
    try {
      watcher.listener(event);
    } catch (err) {
      this.#log?.warn('storage: watch listener threw', {
        resource: event.resource, revision: event.revision, error: err instanceof Error ? err.message : String(err),
      });
    }
  }

  #dispatch(e: CommittedEvent): void {
    const targets = this.#targets(e.resource);
    let event: StoreEvent | undefined;
    for (const w of targets) {
      if (!w.active || w.replaying || e.revision <= w.last) continue;
      if (w.namespace !== '' && w.namespace !== e.namespace) continue;
      event ??= toStoreEvent(e);
      if (!event) {
        this.#log?.warn('storage: unreadable event skipped', { resource: e.resource, revision: e.revision });
        return;
      }
      w.last = e.revision;
      this.call(w, event);
    }
  }

  /** A snapshot, so listeners may subscribe and unsubscribe while being called. */
  #targets(resource: string): Watcher[] {
    const own = this.#byResource.get(resource);
    const all = this.#byResource.get('*');
    if (!own) return all ? [...all] : [];
    return all ? [...own, ...all] : [...own];
  }
}
