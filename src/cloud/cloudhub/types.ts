// What cloudhub offers the controllers (edgecontroller, synccontroller, devicecontroller) and what it
// calls back. Resources in these messages are wire resources (`<ns>/<type>/<name>`, no node/ prefix):
// cloudhub is told the node separately, as KubeEdge's cloudhub strips the prefix.
import type { Message } from '../../core/index.js';

export interface DownstreamOptions {
  /**
   * true: the message goes through the node's ack queue. It is resent with backoff until the edge
   * answers with operation "response", parent_msg_id = msg_id, content "OK" (KubeEdge's reliable
   * path). false: the no-ack queue (pod lists, membership, twin cloud updates, serviceaccount
   * tokens, responses, group "user").
   */
  reliable: boolean;
  /**
   * For reliable messages about one object: its UID. A newer message for the same UID replaces an
   * unsent or unacked older one in the queue (dedupe by UID and resourceVersion; the message's
   * header.resourceversion orders them, and an older version than the queued one is dropped).
   */
  objectUID?: string;
}

/** The downstream surface the controllers hold. */
export interface CloudHubSender {
  /** Queues `msg` for `node`. Messages for a node that is not connected wait in its queue (bounded). */
  send(node: string, msg: Message, opts: DownstreamOptions): void;
  isConnected(node: string): boolean;
  connectedNodes(): string[];
}

/** Who receives what cloudhub hears. All callbacks must not throw; errors are theirs to log. */
export interface CloudHubListener {
  /** A node connected (after TLS and identity checks). A reconnect replaces the old session first. */
  onConnect?(node: string): void;
  onDisconnect?(node: string): void;
  /** A keepalive arrived from the node (every 15 s from a live edge). */
  onKeepalive?(node: string): void;
  /**
   * An upstream message, already decoded, checked for size and shape, deduplicated by msg_id, and
   * checked for identity (the session's node). Responses to reliable downstream messages do not
   * come here: they go to onAck. The returned promise settles when the message is applied; for
   * sessions of KubeEdge-TS edges that asked for upstream acks, cloudhub then sends the ack
   * (content "OK") or, when it rejects with UpstreamRejected, an error response.
   */
  onUpstream?(node: string, msg: Message): Promise<void>;
  /** The edge acked a reliable downstream message (persisted it). */
  onAck?(node: string, msg: Message): void;
}

/** Thrown by onUpstream for a message that must be refused (bad resource, another node's object). */
export class UpstreamRejected extends Error {
  override readonly name = 'UpstreamRejected';
  constructor(
    /** Counter label: "forbidden", "unknown_operation", "bad_resource", "invalid". */
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** Request header a KubeEdge-TS edge sends on connect to ask for acks of its upstream messages. */
export const UPSTREAM_ACK_HEADER = 'x-kubeedge-ts-upstream-ack';
/** Response header cloudhub sets on the upgrade when it will ack upstream messages. */
export const UPSTREAM_ACK_VERSION = 'v1';
