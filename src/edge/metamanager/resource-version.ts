// resourceVersion ordering. Kubernetes calls it opaque, but KubeEdge's synccontroller and metaserver
// compare it as an unsigned 64-bit integer (strconv.ParseUint), and so do we. Values that are not
// decimal integers are not comparable: the caller then applies the newer message.

const MAX_U64 = (1n << 64n) - 1n;

/** The resourceVersion as an unsigned integer, or undefined when absent or not a decimal integer. */
export function parseResourceVersion(value: unknown): bigint | undefined {
  if (typeof value !== 'string' || !/^\d{1,20}$/.test(value)) return undefined;
  const rv = BigInt(value);
  return rv <= MAX_U64 ? rv : undefined;
}

/** -1, 0 or 1 when both are comparable; undefined when either is not. */
export function compareResourceVersions(a: bigint | undefined, b: bigint | undefined): -1 | 0 | 1 | undefined {
  if (a === undefined || b === undefined) return undefined;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The value for meta_v2.resource_version (SQLite INTEGER is signed 64-bit; larger values store 0). */
export function toSqliteInteger(rv: bigint | undefined): bigint {
  return rv !== undefined && rv < 1n << 63n ? rv : 0n;
}
