// What edgehub offers the other edge modules (metamanager, edged, devicetwin) and what it calls back.
import type { Message } from '../../core/index.js';

export type LinkState =
  | { kind: 'bootstrapping' }
  | { kind: 'connecting'; attempt: number }
  | { kind: 'connected'; since: number }
  | { kind: 'backoff'; attempt: number; retryInMs: number; lastError: string }
  | { kind: 'stopped' };

export interface EdgeHubPort {
  /**
   * Best-effort send now (keepalive-class traffic, leases, query requests). Returns false when the link
   * is down or the upstream rate limit says wait; the caller decides whether it matters.
   */
  send(msg: Message): boolean;
  /**
   * Reliable upstream (pod status, node status, events, twin reports): persisted in the outbox in the
   * same call (synchronous SQLite write), sent in order when connected, removed when the cloud acks it
   * (or at once after writing when the cloud does not ack: a KubeEdge cloudcore). Survives restarts.
   */
  enqueue(msg: Message): void;
  /**
   * Sends a query (header.sync = true) and resolves with the cloud's response or error message.
   * Rejects after timeoutMs or when the link is down.
   */
  request(msg: Message, timeoutMs: number): Promise<Message>;
  /** Acks a downstream message after it was persisted: operation "response", content "OK". */
  ack(msg: Message): void;
  state(): LinkState;
  isConnected(): boolean;
}

/** Who receives downstream messages and link events. */
export interface EdgeHubListener {
  /**
   * A downstream message that is not a keepalive reply, not an ack of our outbox and not a response
   * to one of our requests. The handler persists it (when needed) and calls ack().
   */
  onDownstream(msg: Message): void;
  onConnected?(): void;
  onDisconnected?(reason: string): void;
}
