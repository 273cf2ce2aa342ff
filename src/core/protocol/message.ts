import { randomUUID } from 'node:crypto';
import { Operations } from './names.js';

// The KubeEdge 1.2x envelope (beehive model.Message). Field names are the JSON keys on the wire,
// so a decoded frame is used as is and encoding is a fixed-order copy.

export interface MessageHeader {
  msg_id: string;
  /** Set on responses: the msg_id of the request being answered. */
  parent_msg_id?: string;
  /** Creation time in milliseconds since the epoch. */
  timestamp: number;
  /** resourceVersion of the Kubernetes object in `content`, used by reliable sync. */
  resourceversion?: string;
  /** Set by sendSync: the sender waits for a response. */
  sync?: boolean;
  /** Context type ("channel", "unixpacket"); empty means channel. */
  type?: string;
}

export interface MessageRoute {
  /** Sending module (KubeEdge wire name). Empty string when absent on the wire. */
  source: string;
  destination?: string;
  group: string;
  operation: string;
  resource: string;
}

export interface Message<C = unknown> {
  header: MessageHeader;
  route: MessageRoute;
  content: C;
}

/** Injected sources of ids and time, so tests produce stable messages. */
export interface MessageClock {
  newId?: () => string;
  /** Milliseconds since the epoch. */
  now?: () => number;
}

export interface NewMessageInit<C> {
  source: string;
  group: string;
  operation: string;
  resource: string;
  content: C;
  destination?: string;
  parentId?: string;
  resourceVersion?: string;
  sync?: boolean;
  type?: string;
}

/** A fresh message with a new uuid and the current time (KubeEdge's NewMessage + BuildRouter + FillBody). */
export function newMessage<C>(init: NewMessageInit<C>, clock: MessageClock = {}): Message<C> {
  const header: MessageHeader = {
    msg_id: (clock.newId ?? randomUUID)(),
    timestamp: (clock.now ?? Date.now)(),
  };
  if (init.parentId) header.parent_msg_id = init.parentId;
  if (init.resourceVersion) header.resourceversion = init.resourceVersion;
  if (init.sync) header.sync = true;
  if (init.type) header.type = init.type;
  const route: MessageRoute = {
    source: init.source,
    group: init.group,
    operation: init.operation,
    resource: init.resource,
  };
  if (init.destination) route.destination = init.destination;
  return { header, route, content: init.content };
}

/**
 * The response to `req`, as KubeEdge's NewRespByMessage builds it: parent_msg_id = req.msg_id,
 * same source/group/resource and context type, operation "response". `source` overrides the
 * source when the responder wants to name itself.
 */
export function buildResponse<C>(
  req: Message,
  content: C,
  opts: { source?: string; clock?: MessageClock } = {},
): Message<C> {
  return newMessage(
    {
      source: opts.source ?? req.route.source,
      group: req.route.group,
      operation: Operations.response,
      resource: req.route.resource,
      content,
      parentId: req.header.msg_id,
      type: req.header.type,
    },
    opts.clock,
  );
}

/**
 * An error reply to `req`: operation "error" and the error text as content.
 * KubeEdge's NewErrorMessage copies the request's parent id, which makes the error unmatchable by
 * the waiting sender; we set parent_msg_id = req.msg_id so sendSync callers receive it.
 */
export function buildErrorResponse(
  req: Message,
  errorText: string,
  opts: { source?: string; clock?: MessageClock } = {},
): Message<string> {
  return newMessage(
    {
      source: opts.source ?? req.route.source,
      group: req.route.group,
      operation: Operations.error,
      resource: req.route.resource,
      content: errorText,
      parentId: req.header.msg_id,
      type: req.header.type,
    },
    opts.clock,
  );
}

/** True for messages that answer another one (response or error with a parent id). */
export function isResponse(msg: Message): boolean {
  return (
    msg.header.parent_msg_id !== undefined &&
    msg.header.parent_msg_id !== '' &&
    (msg.route.operation === Operations.response || msg.route.operation === Operations.error)
  );
}
