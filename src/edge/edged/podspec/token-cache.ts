// Projected service account tokens, cached per pod like kubelet's token manager: a token is reused
// until 80% of its lifetime has passed (or it is older than 24 h), so re-running volume setUp does not
// ask the cloud for a new token each time nor rewrite the volume.
import type { ObjectSource, Pod } from '../pod-contracts.js';

export interface ServiceAccountTokens {
  /** Rejects when the source cannot issue tokens (no serviceAccountToken, or it failed). */
  get(pod: Pod, serviceAccount: string, audiences: string[], expirationSeconds: number): Promise<string>;
  /** Drops the tokens of a pod. */
  forget(uid: string): void;
}

interface Cached { token: string; fetchedAt: number; expiresAt: number }

const maxAgeMs = 24 * 3600 * 1000;

export function createTokenCache(source: ObjectSource, now: () => number = Date.now): ServiceAccountTokens {
  const cache = new Map<string, Cached>();
  return {
    async get(pod, serviceAccount, audiences, expirationSeconds) {
      const key = JSON.stringify([pod.metadata.uid, pod.metadata.namespace, serviceAccount, audiences, expirationSeconds]);
      const t = now();
      const hit = cache.get(key);
      if (hit && t < hit.fetchedAt + 0.8 * (hit.expiresAt - hit.fetchedAt) && t - hit.fetchedAt < maxAgeMs) return hit.token;
      if (!source.serviceAccountToken) throw new Error('service account tokens are not available on this node');
      const res = await source.serviceAccountToken(pod.metadata.namespace, serviceAccount, audiences, expirationSeconds, pod);
      const expiresAt = Date.parse(res.expirationTimestamp);
      cache.set(key, { token: res.token, fetchedAt: t, expiresAt: Number.isFinite(expiresAt) ? expiresAt : t + expirationSeconds * 1000 });
      return res.token;
    },
    forget(uid) {
      for (const key of cache.keys()) if (key.startsWith(`[${JSON.stringify(uid)},`)) cache.delete(key);
    },
  };
}
