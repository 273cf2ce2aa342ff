// Shared shapes of the embedded controllers: the logger they accept, their common dependencies and the
// lifecycle every controller exposes.
import type { ObjectAPI } from '../objects/index.js';
import type { Logger } from '../../core/log/index.js';
import type { InformerFactory } from './informer-factory.js';

export type { Logger } from '../../core/log/index.js';

export interface ControllerDeps {
  api: ObjectAPI;
  log: Logger;
  /** Wall clock for timestamps and deadlines; tests inject a fake one. */
  now?: () => Date;
  /** Shared caches; a controller started alone builds its own. */
  informers?: InformerFactory;
  /** Every key of the main resource is re-queued this often (default 30 s; 0 = never). */
  resyncMs?: number;
  /** First retry delay after an error or a 409 Conflict (default 5 ms, doubling up to maxRetryDelayMs). */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
}

export interface Controller {
  readonly name: string;
  /** Starts watching and working; stops when the signal aborts. Call once. */
  start(signal: AbortSignal): void;
  /** Resolves when the controller's caches hold a full initial list. */
  readonly ready: Promise<void>;
  /** Resolves when in-flight work has finished after the signal aborted. */
  stopped(): Promise<void>;
}

export const defaultResyncMs = 30_000;

export function systemNow(): Date {
  return new Date();
}

/** RFC 3339 with second precision, the form Kubernetes writes for metav1.Time. */
export function formatTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function parseTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
