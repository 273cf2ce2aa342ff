// WATCH: initial state (synthetic ADDED events) or a replay from a revision, then live events, filtered by
// namespace and selectors. With a selector, an object that stops matching is sent as DELETED and one that
// starts matching as ADDED, as kube-apiserver's watch cache does. Bookmarks carry progress.
import type { KubeObject, Status } from '../../api/index.js';
import { errors } from '../errors.js';
import type { StoreEvent } from '../storage/index.js';
import type { Env } from './env.js';
import { compileFilter, readNamespace, type ObjectFilter } from './list.js';
import { keyOf, parseRevision } from './object-meta.js';
import { present, type Resolved } from './resolve.js';
import type { ApiWatch, ApiWatchEvent, WatchEventKind, WatchOptions } from './types.js';

export const initialEventsEndAnnotation = 'k8s.io/initial-events-end';

export function bookmarkObject(r: Resolved, revision: number, initialEventsEnd = false): KubeObject {
  const metadata: KubeObject['metadata'] = { resourceVersion: String(revision) };
  if (initialEventsEnd) metadata.annotations = { [initialEventsEndAnnotation]: 'true' };
  return { kind: r.def.kind, apiVersion: r.apiVersion, metadata };
}

/**
 * Which objects the client has been told about, so selector transitions become ADDED/DELETED. A key not
 * seen yet (a watch resumed from a revision) is assumed to match when it matches now; when it does not,
 * a DELETED is sent once, which is harmless for a client that never had it.
 */
class MatchTracker {
  readonly #matching = new Map<string, boolean>();

  constructor(private readonly filter: ObjectFilter) {}

  seed(obj: KubeObject): boolean {
    const now = this.filter(obj);
    this.#matching.set(keyOf(obj), now);
    return now;
  }

  translate(event: StoreEvent): WatchEventKind | undefined {
    const key = keyOf(event.object);
    const prior = this.#matching.get(key);
    const now = this.filter(event.object);
    if (event.type === 'DELETED') {
      this.#matching.delete(key);
      return prior === true || (prior === undefined && now) ? 'DELETED' : undefined;
    }
    this.#matching.set(key, now);
    if (event.type === 'ADDED') return now ? 'ADDED' : undefined;
    if (now) return prior === false ? 'ADDED' : 'MODIFIED';
    return prior === false ? undefined : 'DELETED';
  }
}

export function watchObjects(env: Env, r: Resolved, options: WatchOptions, onEvent: (event: ApiWatchEvent) => void): ApiWatch {
  const filter = compileFilter(r, options);
  const tracker = filter ? new MatchTracker(filter) : undefined;
  const namespace = readNamespace(r, options.namespace);
  let stopped = false;
  const emit = (type: WatchEventKind, object: KubeObject | Status): void => {
    if (stopped) return;
    try {
      onEvent({ type, object });
    } catch (err) {
      env.log.warn('objects: watch listener failed', { resource: r.key, error: err instanceof Error ? err.message : String(err) });
    }
  };
  const listener = (event: StoreEvent): void => {
    const type = tracker ? tracker.translate(event) : event.type;
    if (type) emit(type, present(r, event.object));
  };
  const rv = options.resourceVersion;
  const fromState = rv === undefined || rv === '' || rv === '0';
  const initial = options.sendInitialEvents === true || (fromState && options.sendInitialEvents !== false);
  let unsubscribe: () => void;
  if (initial) {
    const { items, revision } = env.store.list(r.key, namespace);
    for (const item of items) if (!tracker || tracker.seed(item)) emit('ADDED', present(r, item));
    // Nothing can commit between the list and the subscription: both run in this synchronous call.
    unsubscribe = env.store.watch(r.key, namespace ? { namespace } : {}, listener);
    if (options.sendInitialEvents === true) emit('BOOKMARK', bookmarkObject(r, revision, true));
  } else if (fromState) {
    unsubscribe = env.store.watch(r.key, namespace ? { namespace } : {}, listener);
  } else {
    const fromRevision = parseRevision(rv);
    if (fromRevision === undefined) throw errors.badRequest(`invalid resource version: ${JSON.stringify(rv)}`);
    unsubscribe = env.store.watch(r.key, { ...(namespace ? { namespace } : {}), fromRevision }, listener);
  }
  const timer = options.allowWatchBookmarks
    ? setInterval(() => emit('BOOKMARK', bookmarkObject(r, env.store.revision())), env.bookmarkIntervalMs)
    : undefined;
  timer?.unref();
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      if (timer) clearInterval(timer);
      unsubscribe();
    },
  };
}
