// Shared set-up of the object API unit tests: a real in-memory SQLite store, the built-in catalog, a
// controllable clock and the namespaces the lead's bootstrap would create. Used by *.test.ts only.
import type { KubeObject } from '../../api/index.js';
import { ApiError } from '../errors.js';
import { Catalog } from '../registry/index.js';
import { openStore, type Store } from '../storage/index.js';
import { createObjectAPI, type ObjectAPIService } from './object-api.js';

export { builtinRefs as refs } from './refs.js';
import { builtinRefs as refs } from './refs.js';

export interface Fixture {
  api: ObjectAPIService;
  store: Store;
  catalog: Catalog;
  /** Moves the injected clock forward. */
  advance(seconds: number): void;
  close(): void;
}

export interface FixtureOptions {
  path?: string;
  historyLimit?: number;
  bookmarkIntervalMs?: number;
  namespaces?: string[];
}

export function makeFixture(options: FixtureOptions = {}): Fixture {
  const store = openStore({ path: options.path ?? ':memory:', ...(options.historyLimit ? { historyLimit: options.historyLimit } : {}) });
  const catalog = new Catalog();
  let clock = Date.parse('2024-05-01T10:00:00Z');
  let uid = 0;
  const api = createObjectAPI({
    store, catalog, now: () => new Date(clock), newUid: () => `uid-${++uid}`,
    ...(options.bookmarkIntervalMs !== undefined ? { bookmarkIntervalMs: options.bookmarkIntervalMs } : {}),
  });
  for (const name of options.namespaces ?? ['default']) {
    if (!store.get('namespaces', '', name)) api.create(refs.namespaces, '', { metadata: { name } });
  }
  return {
    api, store, catalog,
    advance: (seconds) => { clock += seconds * 1000; },
    close: () => { api.close(); store.close(); },
  };
}

export function configMap(name: string, data: Record<string, string> = {}, labels?: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(labels ? { labels } : {}) }, data };
}

export function pod(name: string, extra: { nodeName?: string; labels?: Record<string, string>; grace?: number } = {}): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, ...(extra.labels ? { labels: extra.labels } : {}) },
    spec: {
      containers: [{ name: 'app', image: 'busybox' }],
      ...(extra.nodeName ? { nodeName: extra.nodeName } : {}),
      ...(extra.grace !== undefined ? { terminationGracePeriodSeconds: extra.grace } : {}),
    },
  };
}

export function deployment(name: string, replicas = 1): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
    spec: {
      replicas, selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } },
    },
  };
}

/** The ApiError thrown by fn (fails the test when nothing is thrown). */
export function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected an ApiError');
}
