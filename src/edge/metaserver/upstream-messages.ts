// The two upstream messages the metaserver produces, as a KubeEdge edge sends them
// (edge/pkg/metamanager/client podstatus.go and event.go; cloud/pkg/edgecontroller upstream.go):
//   pod status  <ns>/podstatus/<name>  update  content edgeapi.PodStatusRequest {UID, Name, Status}
//   event       <ns>/event/<name>      insert  content v1 Event
// Source "edged", group "meta" (KubeEdge's edged builds them with modules.MetaGroup; edgehub
// forwards them unchanged).
import type { KubeObject } from '../../api/index.js';
import { Groups, Modules, Operations, ResourceTypes, formatResource, newMessage, type Message, type MessageClock } from '../../core/index.js';

/** edgeapi.PodStatusRequest: Go field names, no JSON tags. */
export interface PodStatusRequest {
  UID: string;
  Name: string;
  Status: unknown;
}

export function podStatusMessage(namespace: string, req: PodStatusRequest, clock?: MessageClock): Message<PodStatusRequest> {
  return newMessage(
    {
      source: Modules.edged,
      group: Groups.meta,
      operation: Operations.update,
      resource: formatResource({ namespace, type: ResourceTypes.podstatus, name: req.Name }),
      content: req,
    },
    clock,
  );
}

export function eventMessage(event: KubeObject, clock?: MessageClock): Message<KubeObject> {
  return newMessage(
    {
      source: Modules.edged,
      group: Groups.meta,
      operation: Operations.insert,
      resource: formatResource({ namespace: event.metadata.namespace ?? '', type: ResourceTypes.event, name: event.metadata.name ?? '' }),
      content: event,
    },
    clock,
  );
}
