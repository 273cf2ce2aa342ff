// Counters edgehub exposes (metrics()): the figures of the issue (bytes, reconnects, outbox depth,
// resends) and the bad-input counters.

export interface EdgeHubMetrics {
  /** Bytes read / written on the TCP socket, TLS records included, summed over all connections. */
  bytesIn: number;
  bytesOut: number;
  /** WebSocket data frames received / sent (pings and pongs not included). */
  framesIn: number;
  framesOut: number;
  /** Successful upgrades, and those after the first one. */
  connects: number;
  reconnects: number;
  /** Failed dials (TCP, TLS or upgrade). */
  dialFailures: number;
  /** Links declared dead because no frame arrived for silenceTimeoutMs. */
  silenceTimeouts: number;
  keepalivesSent: number;
  /** Rows in the outbox table, and how many of them are written but not yet acked. */
  outboxDepth: number;
  outboxInFlight: number;
  /** Outbox messages written again (after a resend timeout or a reconnect). */
  resends: number;
  /** Outbox messages the cloud acked, and those it refused (error response; dropped, logged). */
  acked: number;
  rejected: number;
  /** Frames that did not decode or were too large; the link stays. */
  badFrames: number;
  /** send() calls refused by the upstream rate limit. */
  rateLimited: number;
  /** Acks not sent because the ack queue was full or the link dropped; the cloud resends. */
  acksDropped: number;
}

export type EdgeHubCounters = Omit<EdgeHubMetrics, 'bytesIn' | 'bytesOut' | 'outboxDepth' | 'outboxInFlight' | 'resends'>;

export function zeroCounters(): EdgeHubCounters {
  return {
    framesIn: 0,
    framesOut: 0,
    connects: 0,
    reconnects: 0,
    dialFailures: 0,
    silenceTimeouts: 0,
    keepalivesSent: 0,
    acked: 0,
    rejected: 0,
    badFrames: 0,
    rateLimited: 0,
    acksDropped: 0,
  };
}
