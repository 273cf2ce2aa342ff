import type { Logger } from '../log/index.js';

/** What a service receives when it runs. */
export interface ServiceContext {
  /** Aborted when the service must stop; run() should then return promptly. */
  signal: AbortSignal;
  /** Call once the service serves (port bound, first sync done); dependents start after it. */
  ready: () => void;
  /** Logger whose component is the service name. */
  log: Logger;
}

/**
 * A long-running part of a binary. run() lives until `signal` aborts. Returning before ready()
 * counts as ready (a one-shot task); rejecting before being stopped is a failure.
 */
export interface Service {
  readonly name: string;
  /** Names of services that must be ready before this one starts. */
  readonly dependsOn?: readonly string[];
  run(ctx: ServiceContext): Promise<void>;
}

export type LifecycleState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';

export type LifecycleErrorCode =
  | 'invalid_transition'
  | 'duplicate_service'
  | 'unknown_dependency'
  | 'dependency_cycle'
  | 'stopped_during_start';

/** Misuse of the manager or a bad service graph. */
export class LifecycleError extends Error {
  override readonly name = 'LifecycleError';
  constructor(
    readonly code: LifecycleErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A service's run() rejected while it was meant to be running. */
export class ServiceFailedError extends Error {
  override readonly name = 'ServiceFailedError';
  constructor(
    readonly service: string,
    cause: unknown,
  ) {
    super(`service "${service}" failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** The transitions the manager may take; anything else is a programming error. */
export const LIFECYCLE_TRANSITIONS: Readonly<Record<LifecycleState, readonly LifecycleState[]>> = {
  idle: ['starting', 'stopped'],
  starting: ['running', 'stopping', 'failed'],
  running: ['stopping', 'failed'],
  stopping: ['stopped'],
  stopped: [],
  failed: [],
};

export function canTransition(from: LifecycleState, to: LifecycleState): boolean {
  return LIFECYCLE_TRANSITIONS[from].includes(to);
}
