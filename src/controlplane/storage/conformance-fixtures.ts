// Helpers shared by the Store conformance suites (tests only).
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/index.js';
import { isApiError } from '../errors.js';
import type { StoreLog } from './schema.js';
import type { Store, StoreEvent } from './types.js';

export type StoreFactory = (options?: { log?: StoreLog }) => Store;

export const pod = (name: string, namespace = 'default', extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels: { app: 'web' } }, spec: { nodeName: 'n1' }, ...extra,
});

export const node = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name } });

export function rv(obj: KubeObject | undefined): number {
  return Number(obj?.metadata.resourceVersion);
}

export function collect(store: Store, resource: string, options: Parameters<Store['watch']>[1] = {}) {
  const events: StoreEvent[] = [];
  const stop = store.watch(resource, options, (e) => events.push(e));
  return { events, stop, summary: () => events.map((e) => `${e.type} ${e.resource} ${e.object.metadata.name} ${e.revision}`) };
}

export function assertApiError(fn: () => unknown, code: number, reason: string, message?: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(isApiError(err), `expected an ApiError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.equal(err.reason, reason);
    if (message !== undefined) assert.equal(err.message, message);
    return true;
  });
}
