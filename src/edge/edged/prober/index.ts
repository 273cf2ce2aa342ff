// prober: liveness, readiness and startup probes, and the crash-loop backoff of edged's pods.
export { runProbe } from './run-probe.js';
export { createProberManager } from './manager.js';
export type { ProberManagerOptions } from './manager.js';
export { createBackoff, formatGoDuration, DEFAULT_BACKOFF } from './backoff.js';
export type { CrashLoopBackoff } from './backoff.js';
export { containerProbe, probeTiming, resolvePort } from './probe-spec.js';
export type { ProbeTiming } from './probe-spec.js';
export { PROBE_USER_AGENT } from './http-probe.js';
