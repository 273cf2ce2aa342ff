// Queries to the cloud for objects the edge does not have (KubeEdge: metamanager processRemote and
// edgecontroller queryInner). The request is operation "query", group "resource", resource
// `<ns>/<type>/<name>`, sync; the cloud answers operation "response" with the object, or with an
// error: KubeEdge fills the body with a Go error, which reaches the wire as {"ErrStatus": Status};
// node and serviceaccounttoken answers come wrapped as {"Object": ..., "Err": ...}.
import type { Message, MessageClock } from '../../core/index.js';
import { Groups, Modules, Operations, ResourceTypes, newMessage } from '../../core/index.js';
import { asObject, type JsonObject } from './downstream-intent.js';

/** Types metamanager asks the cloud for when they are missing locally (KubeEdge requireRemoteQuery + node, pod). */
export const REMOTE_QUERY_TYPES: ReadonlySet<string> = new Set<string>([
  ResourceTypes.configmap,
  ResourceTypes.secret,
  ResourceTypes.serviceaccounttoken,
  ResourceTypes.node,
  ResourceTypes.pod,
  ResourceTypes.persistentvolume,
  ResourceTypes.persistentvolumeclaim,
  ResourceTypes.volumeattachment,
  ResourceTypes.lease,
]);

export type QueryAnswer =
  | { kind: 'object'; object: JsonObject }
  | { kind: 'not_found'; message: string }
  | { kind: 'error'; message: string }
  | { kind: 'bad_response'; message: string };

export function buildQueryMessage(resource: string, content: unknown, clock?: MessageClock): Message {
  return newMessage(
    { source: Modules.metamanager, group: Groups.resource, operation: Operations.query, resource, content: content ?? null, sync: true },
    clock,
  );
}

/** Classifies the cloud's answer to a query. */
export function interpretQueryResponse(resp: Message): QueryAnswer {
  if (resp.route.operation === Operations.error) return errorAnswer(textOf(resp.content), undefined);
  const obj = asObject(resp.content);
  if (obj === undefined) {
    const text = textOf(resp.content);
    return text === '' ? { kind: 'bad_response', message: 'empty answer' } : errorAnswer(text, undefined);
  }
  return classifyObject(obj);
}

function classifyObject(obj: JsonObject): QueryAnswer {
  if ('Object' in obj && 'Err' in obj) {
    if (obj['Err'] !== null && obj['Err'] !== undefined) return classifyError(obj['Err']);
    const inner = asObject(obj['Object']);
    return inner === undefined ? { kind: 'bad_response', message: 'empty Object' } : classifyObject(inner);
  }
  if ('ErrStatus' in obj) return classifyError(obj);
  if (obj['kind'] === 'Status' && obj['status'] === 'Failure') return classifyError(obj);
  if (typeof obj['metadata'] === 'object' && obj['metadata'] !== null) return { kind: 'object', object: obj };
  return { kind: 'bad_response', message: 'answer has no metadata' };
}

/** An apierrors StatusError ({ErrStatus}), a bare Status, or text. */
function classifyError(err: unknown): QueryAnswer {
  const obj = asObject(err);
  const status = asObject(obj?.['ErrStatus']) ?? obj;
  if (status === undefined) return errorAnswer(textOf(err), undefined);
  const message = typeof status['message'] === 'string' ? status['message'] : JSON.stringify(status);
  const notFound = status['reason'] === 'NotFound' || status['code'] === 404;
  return errorAnswer(message, notFound);
}

function errorAnswer(message: string, notFound: boolean | undefined): QueryAnswer {
  const isNotFound = notFound ?? /not found/i.test(message);
  return isNotFound ? { kind: 'not_found', message } : { kind: 'error', message };
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  return JSON.stringify(content);
}
