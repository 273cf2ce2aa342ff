// Who dials the tunnel: the verified client certificate names the node (CN system:node:<name>,
// O system:nodes, as KubeEdge edge certificates do); a node_id header, when sent, must agree.
// Pure.
import { NODE_ORGANIZATION, nodeCommonName } from '../certs/index.js';

export interface PeerSubject { CN?: string | string[]; O?: string | string[] }

export type TunnelIdentity = { ok: true; node: string } | { ok: false; status: 403 | 404; detail: string };

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const PREFIX = nodeCommonName('');

export function tunnelIdentity(path: string, claimed: string | undefined, subject: PeerSubject | undefined): TunnelIdentity {
  if (path !== '/v1/tunnel') return { ok: false, status: 404, detail: `no tunnel at ${path}` };
  const cn = list(subject?.CN);
  const first = cn[0];
  if (cn.length !== 1 || first === undefined || !first.startsWith(PREFIX) || first.length === PREFIX.length) {
    return { ok: false, status: 403, detail: 'certificate common name is not system:node:<name>' };
  }
  if (!list(subject?.O).includes(NODE_ORGANIZATION)) return { ok: false, status: 403, detail: 'certificate organization lacks system:nodes' };
  const node = first.slice(PREFIX.length);
  if (claimed !== undefined && claimed !== '' && claimed !== node) {
    return { ok: false, status: 403, detail: 'node_id header differs from the certificate' };
  }
  return { ok: true, node };
}
