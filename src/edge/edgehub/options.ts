// EdgeHub options: input → defaults → resolved (frozen). Defaults follow KubeEdge's edgecore.yaml
// (heartbeat 15 s, messageQPS 30, messageBurst 60, handshakeTimeout 30 s) plus ours (silence 45 s,
// backoff 300 ms … 30 s, outbox window and resend timeout).
import type Database from 'better-sqlite3';
import { DEFAULT_MAX_MESSAGE_BYTES, type Logger } from '../../core/index.js';
import { DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import { EdgeHubError } from './errors.js';
import type { EdgeHubListener } from './types.js';

/** PEM material for mutual TLS; read fresh on every dial so a rotated certificate applies. */
export interface TlsMaterial {
  caPem: string;
  certPem: string;
  keyPem: string;
}

export type TimerHandle = unknown;

/** The timers edgehub uses; tests pass a manual clock. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export interface EdgeHubOptions {
  /** cloudhub address, "host:port" (edgecore.yaml modules.edgeHub.websocket.server). */
  server: string;
  projectID: string;
  nodeName: string;
  tls: () => TlsMaterial;
  listener: EdgeHubListener;
  /** The edge database (edgecore.db); edgehub keeps its `outbox` table there. */
  db: Database.Database;
  log: Logger;
  /** Keepalive period, ms (KubeEdge heartbeat, default 15 000). */
  heartbeatMs?: number;
  /** No frame at all for this long → the link is dead (ours, default 45 000; kubeedge#4650). */
  silenceTimeoutMs?: number;
  backoff?: Partial<BackoffPolicy>;
  /** Upstream rate limit (KubeEdge messageQPS / messageBurst, default 30 / 60). */
  messageQPS?: number;
  messageBurst?: number;
  /** Largest downstream frame decoded, bytes (default 16 MiB); larger ones are counted and dropped. */
  maxFrameBytes?: number;
  /** TLS + upgrade timeout, ms (KubeEdge websocket.handshakeTimeout 30 s). */
  handshakeTimeoutMs?: number;
  /** Outbox messages in flight before an ack (default 32). */
  outboxWindow?: number;
  /** An unacked outbox message is resent after this long, ms (default 10 000). */
  resendTimeoutMs?: number;
  now?: () => number;
  timers?: Timers;
  /** Uniform on [0, 1); drives backoff jitter. */
  random?: () => number;
}

export interface ResolvedEdgeHubOptions {
  server: string;
  projectID: string;
  nodeName: string;
  tls: () => TlsMaterial;
  listener: EdgeHubListener;
  db: Database.Database;
  log: Logger;
  heartbeatMs: number;
  silenceTimeoutMs: number;
  backoff: BackoffPolicy;
  messageQPS: number;
  messageBurst: number;
  maxFrameBytes: number;
  handshakeTimeoutMs: number;
  outboxWindow: number;
  resendTimeoutMs: number;
  now: () => number;
  timers: Timers;
  random: () => number;
}

export const EDGEHUB_DEFAULTS = {
  heartbeatMs: 15_000,
  silenceTimeoutMs: 45_000,
  messageQPS: 30,
  messageBurst: 60,
  maxFrameBytes: DEFAULT_MAX_MESSAGE_BYTES,
  handshakeTimeoutMs: 30_000,
  outboxWindow: 32,
  resendTimeoutMs: 10_000,
} as const;

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export function resolveEdgeHubOptions(input: EdgeHubOptions): Readonly<ResolvedEdgeHubOptions> {
  if (!/^[^/\s]+:\d+$/.test(input.server)) {
    throw new EdgeHubError('bad_options', `server must be "host:port", got "${input.server}"`);
  }
  if (input.nodeName === '' || input.projectID === '') {
    throw new EdgeHubError('bad_options', 'nodeName and projectID must not be empty');
  }
  const resolved: ResolvedEdgeHubOptions = {
    server: input.server,
    projectID: input.projectID,
    nodeName: input.nodeName,
    tls: input.tls,
    listener: input.listener,
    db: input.db,
    log: input.log,
    heartbeatMs: positive('heartbeatMs', input.heartbeatMs, EDGEHUB_DEFAULTS.heartbeatMs),
    silenceTimeoutMs: positive('silenceTimeoutMs', input.silenceTimeoutMs, EDGEHUB_DEFAULTS.silenceTimeoutMs),
    backoff: { ...DEFAULT_BACKOFF, ...input.backoff },
    messageQPS: positive('messageQPS', input.messageQPS, EDGEHUB_DEFAULTS.messageQPS),
    messageBurst: positive('messageBurst', input.messageBurst, EDGEHUB_DEFAULTS.messageBurst),
    maxFrameBytes: positive('maxFrameBytes', input.maxFrameBytes, EDGEHUB_DEFAULTS.maxFrameBytes),
    handshakeTimeoutMs: positive('handshakeTimeoutMs', input.handshakeTimeoutMs, EDGEHUB_DEFAULTS.handshakeTimeoutMs),
    outboxWindow: positive('outboxWindow', input.outboxWindow, EDGEHUB_DEFAULTS.outboxWindow),
    resendTimeoutMs: positive('resendTimeoutMs', input.resendTimeoutMs, EDGEHUB_DEFAULTS.resendTimeoutMs),
    now: input.now ?? Date.now,
    timers: input.timers ?? realTimers,
    random: input.random ?? Math.random,
  };
  return Object.freeze(resolved);
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new EdgeHubError('bad_options', `${name} must be a positive number, got ${value}`);
  }
  return value;
}
