// Comparing resourceVersions. Kubernetes says they are opaque, but both the embedded control plane
// and etcd-backed servers use increasing integers, and KubeEdge's synccontroller compares them as
// integers too (CompareResourceVersion). Non-numeric versions only compare equal or not.

/** true when `candidate` is newer than `known` (or cannot be ordered and differs). */
export function isNewerVersion(candidate: string | undefined, known: string | undefined): boolean {
  if (known === undefined || known === '') return true;
  if (candidate === undefined || candidate === '') return false;
  if (/^\d+$/.test(candidate) && /^\d+$/.test(known)) return BigInt(candidate) > BigInt(known);
  return candidate !== known;
}
