// Answers to upstream messages in the shapes KubeEdge's UpstreamController sends (operation
// "response", parent_msg_id = request id, source "edgecontroller"), through the no-ack queue:
// - ObjectResp `{"Object": obj|null, "Err": null|{"ErrStatus": Status}}` for node insert, nodepatch,
//   podpatch, lease insert/update/query (edge metaclient reads Err as apierrors.StatusError);
// - the plain object (header.resourceversion set) for queries;
// - "OK" for nodestatus, node update, podstatus and pod delete.
// Query failures go out as operation "error" with the Kubernetes wording (`configmap "x" not
// found`): KubeEdge sends a "response" whose content is the Go StatusError, which its edge
// metamanager then stores as if it were the object; "error" is not stored and fails the caller.
import type { KubeObject } from '../../api/index.js';
import { buildErrorResponse, buildResponse, Contents, type Message } from '../../core/index.js';
import { KubeError } from '../kube/index.js';
import { EDGECONTROLLER_SOURCE, type EdgeHubSender } from './types.js';

/** meta/v1 Status as Go's apierrors.StatusError marshals it (field ErrStatus). */
export interface ErrStatus {
  ErrStatus: {
    metadata: Record<string, never>;
    status: 'Failure';
    message: string;
    reason: string;
    code: number;
    details?: { name?: string; kind?: string };
  };
}

export interface ObjectResp {
  Object: KubeObject | null;
  Err: ErrStatus | null;
}

const REASONS: Readonly<Record<number, string>> = {
  400: 'BadRequest', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed', 409: 'Conflict', 422: 'Invalid',
  429: 'TooManyRequests', 500: 'InternalError', 503: 'ServiceUnavailable',
};

export function toErrStatus(err: unknown, details?: { name?: string; kind?: string }): ErrStatus {
  const code = err instanceof KubeError ? err.status : 500;
  const reason = err instanceof KubeError && err.reason ? err.reason : REASONS[code] ?? 'InternalError';
  const message = err instanceof Error ? err.message : String(err);
  return {
    ErrStatus: { metadata: {}, status: 'Failure', message, reason, code, ...(details ? { details } : {}) },
  };
}

/** The not-found Status a Kubernetes lister returns (`<type> "<name>" not found`, reason NotFound). */
export function notFound(type: string, name: string): KubeError {
  return new KubeError(404, 'NotFound', `${type} "${name}" not found`);
}

export function objectResp(obj: KubeObject | undefined, err?: unknown): ObjectResp {
  return { Object: obj ?? null, Err: err === undefined ? null : toErrStatus(err) };
}

/** 5xx, 429 and network errors: worth a retry by the edge's outbox; 4xx are final. */
export function isTransient(err: unknown): boolean {
  if (err instanceof KubeError) return err.status >= 500 || err.status === 429;
  return true;
}

export class Responder {
  constructor(
    private readonly hub: EdgeHubSender,
    private readonly now: () => number,
  ) {}

  respond(node: string, req: Message, content: unknown, opts: { resourceVersion?: string; resource?: string } = {}): void {
    const msg = buildResponse(req, content, { source: EDGECONTROLLER_SOURCE, clock: { now: this.now } });
    if (opts.resourceVersion) msg.header.resourceversion = opts.resourceVersion;
    if (opts.resource) msg.route.resource = opts.resource;
    this.hub.send(node, msg, { reliable: false });
  }

  ok(node: string, req: Message, opts: { resourceVersion?: string; resource?: string } = {}): void {
    this.respond(node, req, Contents.ok, opts);
  }

  error(node: string, req: Message, text: string): void {
    this.hub.send(node, buildErrorResponse(req, text, { source: EDGECONTROLLER_SOURCE, clock: { now: this.now } }), { reliable: false });
  }
}
