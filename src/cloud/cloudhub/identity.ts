// Who is connecting: the upgrade request's path and headers against the client certificate.
// Pure: takes the parts of the request it needs. Mirrors KubeEdge's authenticateConnection
// (CN must be system:node:<node_id>) and edgehub's URL wss://<host>/<projectID>/<node>/events with
// headers node_id and project_id; we also require O system:nodes and the path node = node_id.
import { UPSTREAM_ACK_HEADER, UPSTREAM_ACK_VERSION } from './types.js';

export const NODE_CN_PREFIX = 'system:node:';
export const NODES_ORGANIZATION = 'system:nodes';

/** The subset of tls.PeerCertificate we read; O may repeat, so it can be an array. */
export interface PeerSubject {
  CN?: string | string[];
  O?: string | string[];
}

export interface UpgradeRequestParts {
  /** Request target, e.g. "/e632aba927ea4ac2b575ec1603d56f10/edge-1/events". */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** Subject of the verified client certificate; undefined when there is none. */
  subject: PeerSubject | undefined;
}

export interface EdgeIdentity {
  node: string;
  projectId: string;
  /** The edge asked for acks of its upstream messages (KubeEdge-TS edges only). */
  upstreamAck: boolean;
}

export type IdentityResult =
  | { ok: true; identity: EdgeIdentity }
  | { ok: false; status: 403 | 404; reason: 'bad_path' | 'identity'; detail: string };

export function checkIdentity(req: UpgradeRequestParts): IdentityResult {
  const path = parseEventsPath(req.url);
  if (path === undefined) return refuse(404, 'bad_path', 'path is not /<projectID>/<node>/events');
  const nodeId = header(req.headers, 'node_id');
  if (nodeId === undefined || nodeId === '') return refuse(403, 'identity', 'node_id header missing');
  if (nodeId !== path.node) return refuse(403, 'identity', 'path node differs from node_id header');
  const cn = values(req.subject?.CN);
  if (cn.length !== 1 || cn[0] !== NODE_CN_PREFIX + nodeId) {
    return refuse(403, 'identity', 'certificate common name is not system:node:<node_id>');
  }
  if (!values(req.subject?.O).includes(NODES_ORGANIZATION)) {
    return refuse(403, 'identity', 'certificate organization lacks system:nodes');
  }
  return {
    ok: true,
    identity: {
      node: nodeId,
      projectId: header(req.headers, 'project_id') ?? path.projectId,
      upstreamAck: wantsUpstreamAck(req.headers),
    },
  };
}

/** `/<projectID>/<node>/events` (query string ignored); undefined for anything else. */
export function parseEventsPath(url: string): { projectId: string; node: string } | undefined {
  const pathname = url.split('?', 1)[0] ?? '';
  const parts = pathname.split('/');
  if (parts.length !== 4 || parts[0] !== '' || parts[3] !== 'events') return undefined;
  const [, projectId, node] = parts;
  if (projectId === undefined || node === undefined || node === '') return undefined;
  return { projectId: decodeSafe(projectId), node: decodeSafe(node) };
}

/** The edge lists the upstream-ack versions it speaks; we speak UPSTREAM_ACK_VERSION. */
export function wantsUpstreamAck(headers: Record<string, string | string[] | undefined>): boolean {
  const value = header(headers, UPSTREAM_ACK_HEADER);
  if (value === undefined) return false;
  return value.split(',').some((v) => v.trim() === UPSTREAM_ACK_VERSION);
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function values(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function refuse(
  status: 403 | 404,
  reason: 'bad_path' | 'identity',
  detail: string,
): IdentityResult {
  return { ok: false, status, reason, detail };
}
