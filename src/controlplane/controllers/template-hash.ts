// Stable hashes of pod templates: the `pod-template-hash` of a Deployment's ReplicaSets and the
// `controller-revision-hash` of DaemonSet and StatefulSet pods. FNV-1a over a canonical JSON form
// (sorted keys), written with the digits-and-consonants alphabet Kubernetes uses for generated names
// so a hash never spells a word.

const safeAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** JSON with object keys sorted, so equal templates always serialise the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** Maps each character of a string to the safe alphabet (like apimachinery's SafeEncodeString). */
export function safeEncode(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += safeAlphabet[text.charCodeAt(i) % safeAlphabet.length];
  return out;
}

/** Up to 10 characters: the decimal FNV-1a hash of the template (plus the collision count, when
 *  set), safe-encoded. */
export function templateHash(template: unknown, collisionCount?: number): string {
  const salt = collisionCount ? `#${collisionCount}` : '';
  return safeEncode(String(fnv32a(canonicalJson(template) + salt)));
}

/** A copy of a pod template without one label (the hash label itself must not feed the hash). */
export function withoutLabel<T extends { metadata?: { labels?: Record<string, string> } }>(template: T, label: string): T {
  const labels = { ...(template.metadata?.labels ?? {}) };
  delete labels[label];
  return { ...template, metadata: { ...(template.metadata ?? {}), labels } };
}
