// CloudHub options in two stages: what the caller gives (CloudHubOptions) and the resolved, frozen
// values the hub runs on (ResolvedOptions). Defaults mirror KubeEdge's cloudhub where it has one.
import type { Logger } from '../../core/index.js';
import { CloudHubError } from './errors.js';
import type { CloudHubListener } from './types.js';

/** The one periodic timer cloudhub uses; injected so tests drive the sweep by hand. */
export interface SweepTimers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface CloudHubTlsOptions {
  /** CA that signs edge certificates; the only root accepted for client certs. */
  caPem: string;
  certPem: string;
  keyPem: string;
}

export interface CloudHubOptions {
  /** port 0 picks a free port (tests). KubeEdge default: 0.0.0.0:10000. */
  listen: { address: string; port: number };
  tls: CloudHubTlsOptions;
  listener: CloudHubListener;
  log: Logger;
  /** KubeEdge modules.cloudHub.nodeLimit; default 1000. */
  nodeLimit?: number;
  /** A session silent this long is closed (KubeEdge: keepaliveInterval 30 s). */
  keepaliveTimeoutMs?: number;
  /** Largest upstream message accepted; bigger ones are counted and skipped. Default 4 MiB. */
  maxFrameBytes?: number;
  /** TLS handshake plus HTTP upgrade must finish within this; default 10 s. */
  handshakeTimeoutMs?: number;
  /** First resend of an unacked reliable message (KubeEdge sendRetryInterval: 5 s); doubles after. */
  ackTimeoutMs?: number;
  /** Cap of the resend backoff; default 60 s. */
  maxResendIntervalMs?: number;
  /** Reliable messages sent and not yet acked, per node; default 100. */
  ackWindow?: number;
  /** Queued messages per node (ack + no-ack); default 10,000. */
  maxQueuePerNode?: number;
  /** Upstream messages waiting per node before the socket is paused; default 64. */
  maxUpstreamBacklog?: number;
  /** Upstream msg_ids remembered per node for dedupe; default 1024. */
  dedupeWindow?: number;
  /** How long an upstream msg_id is remembered; default 1 h. */
  dedupeTtlMs?: number;
  /** Period of the one sweep over sessions (keepalive, resends); default 1 s. */
  sweepIntervalMs?: number;
  /** permessage-deflate negotiation; default true. */
  compression?: boolean;
  /** Compression is offered only below this many connected sessions; default 2,000. */
  compressionMaxSessions?: number;
  now?: () => number;
  timers?: SweepTimers;
}

export interface ResolvedOptions {
  readonly address: string;
  readonly port: number;
  readonly tls: CloudHubTlsOptions;
  readonly nodeLimit: number;
  readonly keepaliveTimeoutMs: number;
  readonly maxFrameBytes: number;
  /** ws closes the connection (1009) above this; larger than maxFrameBytes so we can skip instead. */
  readonly maxPayloadBytes: number;
  readonly handshakeTimeoutMs: number;
  readonly ackTimeoutMs: number;
  readonly maxResendIntervalMs: number;
  readonly ackWindow: number;
  readonly maxQueuePerNode: number;
  readonly maxUpstreamBacklog: number;
  readonly dedupeWindow: number;
  readonly dedupeTtlMs: number;
  readonly sweepIntervalMs: number;
  readonly compression: boolean;
  readonly compressionMaxSessions: number;
  readonly now: () => number;
  readonly timers: SweepTimers;
}

const MIB = 1024 * 1024;

export const CLOUDHUB_DEFAULTS = {
  nodeLimit: 1000,
  keepaliveTimeoutMs: 30_000,
  maxFrameBytes: 4 * MIB,
  handshakeTimeoutMs: 10_000,
  ackTimeoutMs: 5_000,
  maxResendIntervalMs: 60_000,
  ackWindow: 100,
  maxQueuePerNode: 10_000,
  maxUpstreamBacklog: 64,
  dedupeWindow: 1024,
  dedupeTtlMs: 60 * 60 * 1000,
  sweepIntervalMs: 1_000,
  compression: true,
  compressionMaxSessions: 2_000,
} as const;

const realTimers: SweepTimers = {
  setInterval: (fn, ms) => {
    const t = setInterval(fn, ms);
    // The sweep alone must not keep the process alive.
    t.unref();
    return t;
  },
  clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
};

export function resolveOptions(o: CloudHubOptions): ResolvedOptions {
  const d = CLOUDHUB_DEFAULTS;
  const maxFrameBytes = positive('maxFrameBytes', o.maxFrameBytes ?? d.maxFrameBytes);
  return Object.freeze({
    address: o.listen.address,
    port: o.listen.port,
    tls: o.tls,
    nodeLimit: positive('nodeLimit', o.nodeLimit ?? d.nodeLimit),
    keepaliveTimeoutMs: positive('keepaliveTimeoutMs', o.keepaliveTimeoutMs ?? d.keepaliveTimeoutMs),
    maxFrameBytes,
    maxPayloadBytes: maxFrameBytes * 2,
    handshakeTimeoutMs: positive('handshakeTimeoutMs', o.handshakeTimeoutMs ?? d.handshakeTimeoutMs),
    ackTimeoutMs: positive('ackTimeoutMs', o.ackTimeoutMs ?? d.ackTimeoutMs),
    maxResendIntervalMs: positive('maxResendIntervalMs', o.maxResendIntervalMs ?? d.maxResendIntervalMs),
    ackWindow: positive('ackWindow', o.ackWindow ?? d.ackWindow),
    maxQueuePerNode: positive('maxQueuePerNode', o.maxQueuePerNode ?? d.maxQueuePerNode),
    maxUpstreamBacklog: positive('maxUpstreamBacklog', o.maxUpstreamBacklog ?? d.maxUpstreamBacklog),
    dedupeWindow: positive('dedupeWindow', o.dedupeWindow ?? d.dedupeWindow),
    dedupeTtlMs: positive('dedupeTtlMs', o.dedupeTtlMs ?? d.dedupeTtlMs),
    sweepIntervalMs: positive('sweepIntervalMs', o.sweepIntervalMs ?? d.sweepIntervalMs),
    compression: o.compression ?? d.compression,
    compressionMaxSessions: o.compressionMaxSessions ?? d.compressionMaxSessions,
    now: o.now ?? Date.now,
    timers: o.timers ?? realTimers,
  });
}

function positive(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new CloudHubError('bad_option', `cloudhub option ${name} must be a positive number, got ${value}`);
  }
  return value;
}
