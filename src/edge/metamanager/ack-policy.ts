// Which downstream messages the cloud waits an ack for. Mirrors cloudhub's noAckRequired
// (cloud/pkg/cloudhub/dispatcher/message_dispatcher.go): the cloud puts those in its no-ack queue
// and ignores an ack for them, while an ack missing for any other message makes it resend. So
// when in doubt, we ack.
import type { Message } from '../../core/index.js';
import { Contents, Groups, Operations, ResourceTypes } from '../../core/index.js';

/** Substrings of route.resource whose messages are never acked (KubeEdge matches with Contains). */
const NO_ACK_RESOURCE_PARTS = ['podlist', 'membership', 'twin/cloud_updated', 'serviceaccounttoken', 'k8s/ca.crt'];
/** Cloud modules whose messages are fire-and-forget. */
const NO_ACK_SOURCES = new Set(['taskmanager', 'nodeupgradejobcontroller']);
/** Types from edgecontroller that need no ack (node only when the operation is not update). */
const EDGECONTROLLER_NO_ACK_TYPES = new Set<string>([
  ResourceTypes.lease,
  ResourceTypes.nodepatch,
  ResourceTypes.podpatch,
  ResourceTypes.podstatus,
  ResourceTypes.certificatesigningrequest,
]);

/** True when the cloud expects operation "response" / content "OK" for this downstream message. */
export function needsAck(msg: Message): boolean {
  const { resource, group, source, operation } = msg.route;
  if (NO_ACK_RESOURCE_PARTS.some((part) => resource.includes(part))) return false;
  if (group === Groups.user) return false;
  if (NO_ACK_SOURCES.has(source)) return false;
  // A response carrying "OK" or an error needs none; one carrying an object (a query answer) does.
  if (operation === Operations.response && (msg.content === Contents.ok || isErrorContent(msg.content))) return false;
  if (source === 'edgecontroller') {
    const type = resourceType(resource);
    if (type === ResourceTypes.node && operation !== Operations.update) return false;
    if (type !== undefined && EDGECONTROLLER_NO_ACK_TYPES.has(type)) return false;
    if (type === ResourceTypes.pod && operation === Operations.response) return false;
  }
  return true;
}

/** Go's `error` content reaches the wire as an object with ErrStatus (apierrors) or as a string. */
function isErrorContent(content: unknown): boolean {
  return typeof content === 'object' && content !== null && 'ErrStatus' in content;
}

/** The <type> segment of `<ns>/<type>[/<name>]` (KubeEdge's GetResourceType), if any. */
function resourceType(resource: string): string | undefined {
  const parts = resource.split('/');
  return parts.length === 2 || parts.length === 3 ? parts[1] : undefined;
}
