// What an ack means for the syncs: from the ORIGINAL downstream message (cloudhub hands it to onAck)
// find the object's UID (content.metadata.uid, as KubeEdge's GetMessageUID; or what edgecontroller
// told trackSent), its kind and apiVersion (content, else trackSent, else the wire type) and the
// acked resourceVersion (header.resourceversion, as KubeEdge's msg.GetResourceVersion()).
import { Groups, Operations, parseResource, toWireResource, type Message } from '../../core/index.js';
import type { AckTarget } from './ack-writer.js';
import { syncName, syncedKind } from './names.js';

export interface SentInfo { uid: string; kind?: string; apiVersion?: string }

export type AckAction =
  | { op: 'record'; target: AckTarget }
  | { op: 'remove'; name: string; namespace: string | null };

interface ContentMeta { apiVersion?: unknown; kind?: unknown; metadata?: { uid?: unknown; resourceVersion?: unknown } }

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The action for an acked message, or a reason it changes nothing. */
export function ackAction(node: string, msg: Message, sent: SentInfo | undefined): AckAction | { skip: string } {
  if (msg.route.group !== Groups.resource) return { skip: 'group' };
  let res;
  try {
    res = parseResource(toWireResource(msg.route.resource));
  } catch {
    return { skip: 'resource' };
  }
  if (res.kind !== 'object') return { skip: 'resource' };
  const kind = syncedKind(res.type);
  if (!kind) return { skip: 'type' };
  const content = (typeof msg.content === 'object' && msg.content !== null ? msg.content : {}) as ContentMeta;
  const uid = str(content.metadata?.uid) ?? sent?.uid;
  if (!uid) return { skip: 'uid' };
  const name = syncName(node, uid);
  const namespace = kind.ref.namespaced ? res.namespace : null;
  if (kind.ref.namespaced && namespace === null) return { skip: 'resource' };
  if (msg.route.operation === Operations.delete) return { op: 'remove', name, namespace };
  if (msg.route.operation !== Operations.insert && msg.route.operation !== Operations.update) return { skip: 'operation' };
  const rv = str(msg.header.resourceversion) ?? str(content.metadata?.resourceVersion);
  if (!rv) return { skip: 'version' };
  return {
    op: 'record',
    target: {
      name, namespace, objectName: res.name, resourceVersion: rv,
      kind: str(content.kind) ?? sent?.kind ?? kind.kind,
      apiVersion: str(content.apiVersion) ?? sent?.apiVersion ?? kind.apiVersion,
    },
  };
}
