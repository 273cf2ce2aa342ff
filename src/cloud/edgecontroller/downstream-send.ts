// Building and queueing one downstream object message, as KubeEdge's DownstreamController does:
// source "edgecontroller", group "resource", resource `<ns>/<type>/<name>` (cloudhub is told the
// node separately), header.resourceversion = the object's, content = the object with apiVersion and
// kind set (KubeEdge's SetMetaType: edges decode contents as unstructured objects).
import type { KubeObject } from '../../api/index.js';
import { formatResource, Groups, newMessage, wireTypeKind, type Logger, type Message } from '../../core/index.js';
import type { EdgeControllerCounters } from './metrics.js';
import { isNewerVersion } from './resource-version.js';
import { EDGECONTROLLER_SOURCE, type EdgeHubSender, type SyncLookup } from './types.js';

export type DownstreamOperation = 'insert' | 'update' | 'delete';

export interface SendSpec {
  node: string;
  operation: DownstreamOperation;
  /** Wire type: pod, configmap, secret, node, service, endpoints. */
  type: string;
  obj: KubeObject;
  /**
   * Skip when the node already acked this version or a newer one (an ADDED event replayed by the
   * informer's first list after a cloudcore restart). KubeEdge resends these; synccontroller's
   * ObjectSync tells us the edge has them.
   */
  skipIfAcked?: boolean;
}


export function withTypeMeta(type: string, obj: KubeObject): KubeObject {
  const meta = wireTypeKind(type);
  if (!meta || (obj.apiVersion && obj.kind)) return obj;
  return { ...obj, apiVersion: obj.apiVersion ?? meta.apiVersion, kind: obj.kind ?? meta.kind };
}

export class DownstreamSender {
  constructor(
    private readonly hub: EdgeHubSender,
    private readonly sync: SyncLookup,
    private readonly counters: EdgeControllerCounters,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {}

  /** Builds and queues the message; false when skipped because the node already has it. */
  send(spec: SendSpec): boolean {
    const uid = spec.obj.metadata.uid;
    const rv = spec.obj.metadata.resourceVersion;
    if (spec.skipIfAcked && uid) {
      const acked = this.sync.ackedVersion(spec.node, uid);
      if (acked !== undefined && !isNewerVersion(rv, acked)) {
        this.counters.downstreamSkippedAcked++;
        return false;
      }
    }
    const msg = this.build(spec);
    this.hub.send(spec.node, msg, uid ? { reliable: true, objectUID: uid } : { reliable: true });
    if (uid) this.sync.trackSent?.(spec.node, msg, uid);
    this.counters.downstreamSent++;
    this.log.debug('sent', { node: spec.node, operation: spec.operation, resource: msg.route.resource, rv });
    return true;
  }

  /** The same object to many nodes: one content object shared, one message (and msg_id) per node. */
  fanOut(nodes: Iterable<string>, spec: Omit<SendSpec, 'node'>): number {
    let n = 0;
    const obj = withTypeMeta(spec.type, spec.obj);
    for (const node of nodes) if (this.send({ ...spec, obj, node })) n++;
    return n;
  }

  private build(spec: SendSpec): Message {
    const { obj } = spec;
    const resourceVersion = obj.metadata.resourceVersion;
    return newMessage(
      {
        source: EDGECONTROLLER_SOURCE,
        group: Groups.resource,
        operation: spec.operation,
        resource: formatResource({
          namespace: spec.type === 'node' ? null : obj.metadata.namespace ?? null,
          type: spec.type,
          name: obj.metadata.name ?? '',
        }),
        content: withTypeMeta(spec.type, obj),
        ...(resourceVersion ? { resourceVersion } : {}),
      },
      { now: this.now },
    );
  }
}
