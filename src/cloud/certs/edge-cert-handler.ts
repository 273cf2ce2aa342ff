// /edge.crt (KubeEdge certificate.EdgeCoreClientCert): authorize, then sign the node's CSR.
// Authorization as in KubeEdge: a client certificate, when the TLS peer presented one, must chain to
// our CA with client-auth usage and name the node of the NodeName header (the rotation path);
// otherwise the Bearer JWT must verify with the CA key. Stricter than KubeEdge: the CSR must ask for
// exactly CN system:node:<NodeName>, O system:nodes, and one-time tokens are spent on success.
import { TokenError, verifyJWT, type JwtClaims } from '../../core/index.js';
import { PkiError, signCSR } from '../../core/pki/index.js';
import type { KubeClient } from '../kube/index.js';
import type { CaMaterial } from './ca-material.js';
import type { RefusalReason } from './metrics.js';
import { NODE_ORGANIZATION, nodeCommonName } from './names.js';
import { consumeOneTimeToken } from './token-store.js';

/** What the TLS layer knows about the client certificate. */
export interface PeerCert {
  present: boolean;
  /** Chains to our CA and is within its validity (OpenSSL's verdict). */
  authorized: boolean;
  authorizationError?: string;
  commonName?: string;
  organization?: string[];
  /** Carries extendedKeyUsage clientAuth. */
  clientAuth: boolean;
}

export interface EdgeCertRequest {
  nodeName: string | undefined;
  authorization: string | undefined;
  peer: PeerCert;
  csrDer: Uint8Array;
}

export type IssuedVia = 'token' | 'one_time' | 'rotation';

export type EdgeCertReply =
  | { status: 200; body: Uint8Array; issued: IssuedVia }
  | { status: number; body: string; refusal: RefusalReason };

export interface EdgeCertContext {
  ca: CaMaterial;
  kube: KubeClient;
  nowMs: number;
  /** KubeEdge's edgeCertSigningDuration (default 365 days). */
  certDays: number;
}

// A Kubernetes node name: a DNS-1123 subdomain.
const NODE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const refuse = (status: number, refusal: RefusalReason, body: string): EdgeCertReply => ({ status, body, refusal });

function checkPeer(peer: PeerCert, node: string): EdgeCertReply | undefined {
  if (!peer.authorized) {
    return refuse(401, 'client_cert_invalid', `client certificate rejected: ${peer.authorizationError ?? 'not issued by this CA'}`);
  }
  if (!peer.clientAuth) return refuse(401, 'client_cert_invalid', 'client certificate rejected: no client auth usage');
  if (peer.commonName !== nodeCommonName(node) || peer.organization?.[0] !== NODE_ORGANIZATION) {
    return refuse(401, 'client_cert_node_mismatch', `client certificate is not for node ${node}`);
  }
  return undefined;
}

const TOKEN_REFUSALS: Record<TokenError['code'], RefusalReason> = {
  malformed: 'token_malformed', bad_signature: 'token_bad_signature', expired: 'token_expired',
};

type TokenCheck = { ok: true; claims: JwtClaims } | { ok: false; reply: EdgeCertReply };

function checkToken(authorization: string | undefined, ctx: EdgeCertContext): TokenCheck {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!m?.[1]) return { ok: false, reply: refuse(401, 'no_credentials', 'no bearer token and no client certificate') };
  try {
    return { ok: true, claims: verifyJWT(m[1], ctx.ca.keyDer, ctx.nowMs) };
  } catch (err) {
    if (!(err instanceof TokenError)) throw err;
    const text = err.code === 'malformed' ? `token malformed: ${err.message}` : err.message;
    return { ok: false, reply: refuse(401, TOKEN_REFUSALS[err.code], text) };
  }
}

async function sign(csrDer: Uint8Array, node: string, ctx: EdgeCertContext): Promise<Uint8Array | EdgeCertReply> {
  try {
    return await signCSR(ctx.ca.pair, csrDer, {
      usage: 'client', days: ctx.certDays, commonName: nodeCommonName(node), organization: [NODE_ORGANIZATION],
    });
  } catch (err) {
    if (!(err instanceof PkiError)) throw err;
    if (err.code === 'csr_subject_mismatch') return refuse(403, 'csr_subject_mismatch', `CSR refused: ${err.message}`);
    return refuse(400, 'bad_csr', `bad CSR: ${err.message}`);
  }
}

export async function handleEdgeCert(req: EdgeCertRequest, ctx: EdgeCertContext): Promise<EdgeCertReply> {
  const node = req.nodeName ?? '';
  if (node.length > 253 || !NODE_NAME.test(node)) {
    return refuse(400, 'missing_node_name', 'NodeName header missing or not a valid node name');
  }
  let via: IssuedVia = 'rotation';
  let jti: string | undefined;
  if (req.peer.present) {
    const bad = checkPeer(req.peer, node);
    if (bad) return bad;
  } else {
    const check = checkToken(req.authorization, ctx);
    if (!check.ok) return check.reply;
    jti = typeof check.claims.jti === 'string' ? check.claims.jti : undefined;
    via = jti === undefined ? 'token' : 'one_time';
  }
  const cert = await sign(req.csrDer, node, ctx);
  if (!(cert instanceof Uint8Array)) return cert;
  // Spent only after the CSR proved good, so a typo in the CSR does not burn the token.
  if (jti !== undefined && !(await consumeOneTimeToken(ctx.kube, jti, ctx.nowMs))) {
    return refuse(401, 'one_time_spent', 'one-time token already used or revoked');
  }
  return { status: 200, body: cert, issued: via };
}
