// Node authorization for upstream messages: what a node's certificate lets it read and write.
// Modelled on the Kubernetes node authorizer + NodeRestriction admission (which KubeEdge's cloudcore
// does not apply to its own message path): a node may touch its own Node and Lease, the status of
// pods bound to it, and read the configmaps, secrets, service account tokens and claims those pods
// reference. Pure: the decision is a function of (node, request, facts); facts come from the
// informer caches (LocationIndex). Anything without a rule is denied.
import type { ReferenceKind } from './pod-references.js';
import { NODE_LEASE_NAMESPACE } from './types.js';

/** One upstream request, already parsed from the wire resource `<ns>/<type>[/<name>]`. */
export interface AuthzRequest {
  operation: string;
  type: string;
  /** null for cluster-scoped resources (wire namespace "null"). */
  namespace: string | null;
  /** undefined for list resources (`<ns>/podstatus`). */
  name: string | undefined;
  content: unknown;
}

export interface AuthorizerFacts {
  /** The node a pod is bound to: its name, '' when unscheduled, undefined when the pod is unknown. */
  podNode(namespace: string, name: string): string | undefined;
  /** Whether some pod bound to `node` references the object. */
  nodeReferences(node: string, kind: ReferenceKind, namespace: string, name: string): boolean;
}

export type AuthzDecision = { allowed: true } | { allowed: false; reason: string };

const ALLOW: AuthzDecision = { allowed: true };
const deny = (reason: string): AuthzDecision => ({ allowed: false, reason });

type Rule = (node: string, req: AuthzRequest, facts: AuthorizerFacts) => AuthzDecision;

const RULES: Readonly<Record<string, Rule>> = {
  node: ownNode(['insert', 'update', 'query']),
  nodestatus: ownNode(['update', 'insert']),
  nodepatch: ownNode(['patch', 'update']),
  lease: ownLease,
  podstatus: podStatus,
  podpatch: (node, req, facts) => onlyOps(req, ['patch', 'update']) ?? boundPod(node, req, facts),
  pod: (node, req, facts) => onlyOps(req, ['delete']) ?? boundPod(node, req, facts),
  configmap: referenced('configmaps'),
  secret: referenced('secrets'),
  persistentvolumeclaim: referenced('persistentvolumeclaims'),
  serviceaccounttoken: serviceAccountToken,
  event: eventRule,
};

export function authorizeUpstream(node: string, req: AuthzRequest, facts: AuthorizerFacts): AuthzDecision {
  const rule = RULES[req.type];
  if (!rule) return deny(`no rule lets node "${node}" use ${req.type}`);
  return rule(node, req, facts);
}

function onlyOps(req: AuthzRequest, ops: readonly string[]): AuthzDecision | undefined {
  return ops.includes(req.operation) ? undefined : deny(`operation ${req.operation} on ${req.type} is not allowed to nodes`);
}

function contentName(content: unknown): string | undefined {
  const meta = (content as { metadata?: { name?: unknown } } | null | undefined)?.metadata;
  return typeof meta?.name === 'string' ? meta.name : undefined;
}

function ownNode(ops: readonly string[]): Rule {
  return (node, req) => {
    const op = onlyOps(req, ops);
    if (op) return op;
    if (req.name !== node) return deny(`node "${node}" may not access node "${req.name ?? ''}"`);
    const inner = req.operation === 'query' ? undefined : contentName(req.content);
    if (inner !== undefined && inner !== node) return deny(`node "${node}" sent a node object named "${inner}"`);
    return ALLOW;
  };
}

function ownLease(node: string, req: AuthzRequest): AuthzDecision {
  const op = onlyOps(req, ['insert', 'update', 'query']);
  if (op) return op;
  if (req.namespace !== NODE_LEASE_NAMESPACE || req.name !== node) {
    return deny(`node "${node}" may only use lease ${NODE_LEASE_NAMESPACE}/${node}`);
  }
  const inner = req.operation === 'query' ? undefined : contentName(req.content);
  if (inner !== undefined && inner !== node) return deny(`node "${node}" sent a lease named "${inner}"`);
  return ALLOW;
}

/**
 * A pod bound to another node, or unscheduled, is refused. A pod the caches do not know is allowed
 * here: KubeEdge answers a status for a vanished pod by telling the edge to delete it, and the
 * handler re-checks spec.nodeName on the object it reads from the API before writing anything.
 */
function podOnNode(node: string, namespace: string | null, name: string | undefined, facts: AuthorizerFacts): AuthzDecision {
  if (namespace === null || name === undefined || name === '') return deny('pod resource needs a namespace and a name');
  const bound = facts.podNode(namespace, name);
  if (bound === undefined || bound === node) return ALLOW;
  return deny(`pod ${namespace}/${name} is not bound to node "${node}"`);
}

function boundPod(node: string, req: AuthzRequest, facts: AuthorizerFacts): AuthzDecision {
  return podOnNode(node, req.namespace, req.name, facts);
}

/** podstatus comes one per message (`<ns>/podstatus/<name>`) or as a list (`<ns>/podstatus`). */
function podStatus(node: string, req: AuthzRequest, facts: AuthorizerFacts): AuthzDecision {
  const op = onlyOps(req, ['update']);
  if (op) return op;
  if (req.name !== undefined) return podOnNode(node, req.namespace, req.name, facts);
  if (!Array.isArray(req.content)) return deny('podstatus list content must be an array');
  for (const item of req.content as unknown[]) {
    const name = (item as { Name?: unknown } | null)?.Name;
    const d = podOnNode(node, req.namespace, typeof name === 'string' ? name : undefined, facts);
    if (!d.allowed) return d;
  }
  return ALLOW;
}

function referenced(kind: ReferenceKind): Rule {
  return (node, req, facts) => {
    const op = onlyOps(req, ['query']);
    if (op) return op;
    if (req.namespace === null || req.name === undefined) return deny(`node "${node}" may not list ${req.type}`);
    if (facts.nodeReferences(node, kind, req.namespace, req.name)) return ALLOW;
    return deny(`no pod on node "${node}" references ${req.type} ${req.namespace}/${req.name}`);
  };
}

/** A token for a service account some pod on the node runs as, bound (if at all) to a pod on the node. */
function serviceAccountToken(node: string, req: AuthzRequest, facts: AuthorizerFacts): AuthzDecision {
  const base = referenced('serviceaccounts')(node, req, facts);
  if (!base.allowed || req.namespace === null) return base;
  const bound = (req.content as { spec?: { boundObjectRef?: { kind?: unknown; name?: unknown } } } | null)?.spec?.boundObjectRef;
  if (bound === undefined || bound === null) return ALLOW;
  if (bound.kind !== 'Pod' || typeof bound.name !== 'string') return deny('service account tokens may only be bound to pods');
  if (facts.podNode(req.namespace, bound.name) !== node) {
    return deny(`token bound to pod ${req.namespace}/${bound.name} which is not on node "${node}"`);
  }
  return ALLOW;
}

interface EventLike {
  metadata?: { namespace?: string };
  involvedObject?: { kind?: string; name?: string; namespace?: string };
}

/**
 * Events about the node itself or about pods on it (or pods already gone: kubelets report
 * "Killing" after the pod left the API). The event's namespace must match its object's.
 */
function eventRule(node: string, req: AuthzRequest, facts: AuthorizerFacts): AuthzDecision {
  const op = onlyOps(req, ['insert', 'update', 'patch']);
  if (op) return op;
  const evt = (req.operation === 'patch' ? (req.content as { event?: unknown } | null)?.event : req.content) as EventLike | null;
  const involved = evt?.involvedObject;
  if (!evt || !involved) return deny('event without involvedObject');
  const ns = evt.metadata?.namespace ?? req.namespace ?? 'default';
  if (req.namespace !== null && ns !== req.namespace) return deny(`event namespace ${ns} differs from resource namespace ${req.namespace}`);
  if (involved.kind === 'Node') {
    return involved.name === node ? ALLOW : deny(`node "${node}" may not report events about node "${involved.name ?? ''}"`);
  }
  if (involved.kind === 'Pod') {
    if ((involved.namespace ?? ns) !== ns) return deny('event namespace differs from its pod namespace');
    return podOnNode(node, ns, involved.name, facts);
  }
  return deny(`node "${node}" may not report events about ${involved.kind ?? 'unknown'} objects`);
}
