// Join tokens in the API. The rotating token lives in kubeedge/tokensecret (KubeEdge
// GenerateAndRefreshToken); one-time tokens (beyond KubeEdge) each get a Secret
// kubeedge/onetime-token-<jti> that is spent atomically and deleted on use, or deleted to revoke.
import { randomBytes } from 'node:crypto';
import { formatJoinToken, signJWT, type JwtClaims } from '../../core/index.js';
import { KubeError, Resources, type KubeClient } from '../kube/index.js';
import type { CaMaterial } from './ca-material.js';
import {
  CERTS_NAMESPACE, ONE_TIME_EXPIRES_ANNOTATION, ONE_TIME_LABEL, ONE_TIME_LABEL_VALUE, ONE_TIME_PREFIX,
  ONE_TIME_USED_ANNOTATION, SecretKeys, SecretNames,
} from './names.js';
import { ensureNamespace, getSecret, saveSecret, secretBytes, secretObject } from './secrets.js';

/** A join token for `ca` that expires ttlMs after nowMs (exp in whole seconds). */
export function mintJoinToken(ca: CaMaterial, nowMs: number, ttlMs: number, extra: Omit<JwtClaims, 'exp'> = {}): string {
  const claims: JwtClaims = { exp: Math.floor((nowMs + ttlMs) / 1000), ...extra };
  return formatJoinToken(ca.certDer, signJWT(claims, ca.keyDer));
}

export async function saveJoinToken(kube: KubeClient, token: string): Promise<void> {
  await ensureNamespace(kube);
  await saveSecret(kube, { name: SecretNames.token, data: { [SecretKeys.token]: token } });
}

/** The token in kubeedge/tokensecret, what `keadm gettoken` prints; undefined when there is none. */
export async function readJoinToken(kube: KubeClient): Promise<string | undefined> {
  const bytes = secretBytes(await getSecret(kube, SecretNames.token), SecretKeys.token);
  return bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8');
}

export interface OneTimeToken {
  token: string;
  jti: string;
  expiresAt: Date;
  /** kubeedge/<secretName>: delete it to revoke the token. */
  secretName: string;
}

const JTI = /^[0-9a-f]{16,32}$/;
export const oneTimeSecretName = (jti: string): string => `${ONE_TIME_PREFIX}${jti}`;

export async function issueOneTimeToken(
  kube: KubeClient, ca: CaMaterial, opts: { ttlMs: number; nowMs: number },
): Promise<OneTimeToken> {
  if (!(opts.ttlMs > 0)) throw new RangeError(`one-time token ttl must be positive, got ${opts.ttlMs} ms`);
  const jti = randomBytes(8).toString('hex');
  const token = mintJoinToken(ca, opts.nowMs, opts.ttlMs, { jti });
  const expiresAt = new Date(Math.floor((opts.nowMs + opts.ttlMs) / 1000) * 1000);
  await ensureNamespace(kube);
  await kube.create(Resources.secrets, secretObject({
    name: oneTimeSecretName(jti),
    data: { [SecretKeys.token]: token },
    labels: { [ONE_TIME_LABEL]: ONE_TIME_LABEL_VALUE },
    annotations: { [ONE_TIME_EXPIRES_ANNOTATION]: expiresAt.toISOString() },
  }));
  return { token, jti, expiresAt, secretName: oneTimeSecretName(jti) };
}

/**
 * Spends the one-time token `jti`. True only for the first caller while its Secret exists: the mark
 * is an update with the read resourceVersion, so of two concurrent uses (even on two cloudcores) one
 * gets 409 and loses. The Secret is then deleted (best effort; a leftover marked one stays refused).
 */
export async function consumeOneTimeToken(kube: KubeClient, jti: string, nowMs: number): Promise<boolean> {
  if (!JTI.test(jti)) return false;
  const secret = await getSecret(kube, oneTimeSecretName(jti));
  const meta = secret?.metadata;
  if (!secret || !meta || meta.labels?.[ONE_TIME_LABEL] !== ONE_TIME_LABEL_VALUE) return false;
  if (meta.annotations?.[ONE_TIME_USED_ANNOTATION] !== undefined) return false;
  const marked = { ...secret, metadata: { ...meta, annotations: { ...meta.annotations, [ONE_TIME_USED_ANNOTATION]: new Date(nowMs).toISOString() } } };
  try {
    await kube.update(Resources.secrets, marked);
  } catch (err) {
    if (err instanceof KubeError && (err.status === 409 || err.status === 404)) return false;
    throw err;
  }
  await kube.delete(Resources.secrets, CERTS_NAMESPACE, oneTimeSecretName(jti)).catch(() => undefined);
  return true;
}

/** Deletes one-time token Secrets that expired or were spent; returns how many. */
export async function sweepOneTimeTokens(kube: KubeClient, nowMs: number): Promise<number> {
  const list = await kube.list(Resources.secrets, {
    namespace: CERTS_NAMESPACE, labelSelector: `${ONE_TIME_LABEL}=${ONE_TIME_LABEL_VALUE}`,
  });
  let removed = 0;
  for (const s of list.items) {
    const ann = s.metadata.annotations ?? {};
    const expires = Date.parse(ann[ONE_TIME_EXPIRES_ANNOTATION] ?? '');
    const spent = ann[ONE_TIME_USED_ANNOTATION] !== undefined;
    if (!spent && !(expires <= nowMs)) continue;
    await kube.delete(Resources.secrets, CERTS_NAMESPACE, s.metadata.name ?? '');
    removed++;
  }
  return removed;
}
