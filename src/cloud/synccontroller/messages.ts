// Downstream messages the synccontroller sends, in the shape of KubeEdge's
// buildEdgeControllerMessage: source "edgecontroller", group "resource", resource
// <ns>/<type>/<name> (ns "null" for cluster-scoped objects), header.resourceversion = the object's
// resourceVersion. A delete carries a minimal object (name, namespace, uid) and no resourceVersion,
// as KubeEdge's unstructured delete object has none.
import type { KubeObject } from '../../api/index.js';
import {
  Groups, Modules, Operations, formatResource, newMessage, type Message, type MessageClock,
} from '../../core/index.js';
import type { SyncedKind } from './names.js';

export function updateMessage(kind: SyncedKind, obj: KubeObject, clock?: MessageClock): Message<KubeObject> {
  const content: KubeObject = { ...obj, apiVersion: obj.apiVersion ?? kind.apiVersion, kind: obj.kind ?? kind.kind };
  const rv = obj.metadata.resourceVersion;
  return newMessage({
    source: Modules.edgecontroller,
    group: Groups.resource,
    operation: Operations.update,
    resource: formatResource({ namespace: kind.ref.namespaced ? obj.metadata.namespace ?? null : null, type: kind.type, name: obj.metadata.name ?? '' }),
    content,
    ...(rv ? { resourceVersion: rv } : {}),
  }, clock);
}

export function deleteMessage(
  kind: SyncedKind, target: { namespace: string | null; name: string; uid: string }, clock?: MessageClock,
): Message<KubeObject> {
  const metadata: KubeObject['metadata'] = { name: target.name, uid: target.uid };
  if (target.namespace !== null) metadata.namespace = target.namespace;
  return newMessage({
    source: Modules.edgecontroller,
    group: Groups.resource,
    operation: Operations.delete,
    resource: formatResource({ namespace: target.namespace, type: kind.type, name: target.name }),
    content: { metadata },
  }, clock);
}
