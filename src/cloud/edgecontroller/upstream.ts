// Upstream dispatch (KubeEdge's UpstreamController.dispatchMessage): parse the wire resource, pick
// the handler by resource type and operation, authorize the node, run the handler. Unknown pairs
// are refused as unknown_operation, authorization failures as forbidden; both are logged and counted.
import { parseResource, toWireResource, type Logger, type Message } from '../../core/index.js';
import { UpstreamRejected } from '../cloudhub/index.js';
import type { KubeClient } from '../kube/index.js';
import type { Downstream } from './downstream.js';
import type { LocationIndex } from './location-index.js';
import type { EdgeControllerCounters } from './metrics.js';
import { authorizeUpstream, type AuthorizerFacts, type AuthzRequest } from './node-authorizer.js';
import { podNodeName } from './pod-references.js';
import type { UpstreamContext, UpstreamHandler } from './upstream-context.js';
import { processEvent } from './upstream-event.js';
import { queryLease, upsertLease } from './upstream-lease.js';
import { nodePatch, nodeStatus, queryNode, registerNode, updateNode } from './upstream-node.js';
import { podDelete, podPatch, podStatus } from './upstream-pod.js';
import { queryObject, serviceAccountToken } from './upstream-query.js';
import type { Responder } from './upstream-responses.js';
import type { CacheInformer, InformedResource } from './types.js';

const ROUTES: Readonly<Record<string, Readonly<Record<string, UpstreamHandler>>>> = {
  node: { insert: registerNode, update: updateNode, query: queryNode },
  // Older edges registered through nodestatus insert (KubeEdge keeps that path).
  nodestatus: { update: nodeStatus, insert: registerNode },
  nodepatch: { patch: nodePatch, update: nodePatch },
  podstatus: { update: podStatus },
  podpatch: { patch: podPatch, update: podPatch },
  pod: { delete: podDelete },
  lease: { insert: upsertLease, update: upsertLease, query: queryLease },
  event: { insert: processEvent, update: processEvent, patch: processEvent },
  configmap: { query: queryObject },
  secret: { query: queryObject },
  persistentvolumeclaim: { query: queryObject },
  serviceaccounttoken: { query: serviceAccountToken },
};

export interface UpstreamDeps {
  kube: KubeClient;
  reply: Responder;
  cache: (r: InformedResource) => CacheInformer | undefined;
  index: LocationIndex;
  downstream: Downstream;
  counters: EdgeControllerCounters;
  log: Logger;
  now: () => number;
}

export function authorizerFacts(index: LocationIndex, cache: UpstreamDeps['cache']): AuthorizerFacts {
  return {
    podNode(namespace, name) {
      const entry = index.pod(namespace, name);
      if (entry) return entry.node;
      const pod = cache('pods')?.get(namespace, name);
      return pod ? podNodeName(pod) : undefined;
    },
    nodeReferences: (node, kind, namespace, name) => index.nodeReferences(node, kind, namespace, name),
  };
}

function parseRequest(msg: Message): AuthzRequest {
  let parsed;
  try {
    parsed = parseResource(toWireResource(msg.route.resource));
  } catch (err) {
    throw new UpstreamRejected('bad_resource', (err as Error).message);
  }
  return {
    operation: msg.route.operation,
    type: parsed.type,
    namespace: parsed.namespace,
    name: parsed.kind === 'object' ? parsed.name : undefined,
    content: msg.content,
  };
}

export async function handleUpstream(deps: UpstreamDeps, node: string, msg: Message): Promise<void> {
  deps.counters.upstream++;
  const req = parseRequest(msg);
  const handler = ROUTES[req.type]?.[req.operation];
  if (!handler) {
    deps.counters.unknown++;
    deps.log.warn('unknown operation', { node, operation: req.operation, resource: msg.route.resource });
    throw new UpstreamRejected('unknown_operation', `edgecontroller does not handle ${req.operation} of ${req.type}`);
  }
  const decision = authorizeUpstream(node, req, authorizerFacts(deps.index, deps.cache));
  if (!decision.allowed) throw denied(deps, node, msg, decision.reason);
  const ctx: UpstreamContext = { ...deps, node, msg, req };
  try {
    await handler(ctx);
  } catch (err) {
    if (err instanceof UpstreamRejected && err.reason === 'forbidden') throw denied(deps, node, msg, err.message);
    deps.counters.upstreamFailed++;
    if (!(err instanceof UpstreamRejected)) {
      deps.log.warn('upstream failed', { node, operation: req.operation, resource: msg.route.resource, error: (err as Error).message });
    }
    throw err;
  }
}

function denied(deps: UpstreamDeps, node: string, msg: Message, reason: string): UpstreamRejected {
  deps.counters.denied++;
  deps.log.warn('denied', { node, operation: msg.route.operation, resource: msg.route.resource, reason });
  return new UpstreamRejected('forbidden', reason);
}
