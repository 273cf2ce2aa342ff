// Kubernetes' "kube-aware" version order (v2 > v1 > v1beta2 > v1beta1 > v1alpha1 > anything else,
// others alphabetically), used to pick a group's preferred version and to list versions in discovery.

const kubeVersionRe = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

function rank(version: string): [number, number, number] | undefined {
  const m = kubeVersionRe.exec(version);
  if (!m) return undefined;
  const stability = m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0;
  return [stability, Number(m[1]), Number(m[3] ?? 0)];
}

/** Negative when `a` sorts before (is preferred over) `b`. */
export function compareKubeVersions(a: string, b: string): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra && rb) {
    for (let i = 0; i < 3; i++) {
      const d = (rb[i] ?? 0) - (ra[i] ?? 0);
      if (d !== 0) return d;
    }
    return 0;
  }
  if (ra) return -1;
  if (rb) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortKubeVersions(versions: Iterable<string>): string[] {
  return [...new Set(versions)].sort(compareKubeVersions);
}
