// How Kubernetes names the OpenAPI schema of a kind: built-in kinds by their Go package
// (io.k8s.api.apps.v1.Deployment), custom resources by their reversed group
// (devices.kubeedge.io/v1beta1 Device -> io.kubeedge.devices.v1beta1.Device).

/** Built-in groups whose Go package is not io.k8s.api.<first segment of the group>. */
const builtinPackages: Readonly<Record<string, string>> = {
  '': 'io.k8s.api.core',
  'apiextensions.k8s.io': 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions',
  'apiregistration.k8s.io': 'io.k8s.kube-aggregator.pkg.apis.apiregistration',
  'internal.apiserver.k8s.io': 'io.k8s.api.apiserverinternal',
};

export function reversedGroup(group: string): string {
  return group.split('.').reverse().join('.');
}

function packageOf(group: string, custom: boolean): string {
  if (custom) return reversedGroup(group);
  const known = builtinPackages[group];
  if (known !== undefined) return known;
  if (!group.includes('.')) return `io.k8s.api.${group}`;
  if (group.endsWith('.k8s.io')) return `io.k8s.api.${group.slice(0, group.indexOf('.'))}`;
  return reversedGroup(group);
}

/** The components.schemas key of a kind. `custom` is true for CRD-defined kinds. */
export function schemaName(group: string, version: string, kind: string, custom = false): string {
  return `${packageOf(group, custom)}.${version}.${kind}`;
}

/** 'v1' -> { group: '', version: 'v1' }; 'apps/v1' -> { group: 'apps', version: 'v1' }. */
export function parseGroupVersion(groupVersion: string): { group: string; version: string } {
  const slash = groupVersion.lastIndexOf('/');
  return slash < 0 ? { group: '', version: groupVersion } : { group: groupVersion.slice(0, slash), version: groupVersion.slice(slash + 1) };
}

/** The path under /openapi/v3 and in the URL space: 'api/v1', 'apis/apps/v1'. */
export function groupVersionPath(groupVersion: string): string {
  const { group, version } = parseGroupVersion(groupVersion);
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

/** Operation id fragment Kubernetes uses: '' -> 'CoreV1', 'apps' -> 'AppsV1', 'devices.kubeedge.io' -> 'DevicesKubeedgeIoV1beta1'. */
export function operationGroupVersion(group: string, version: string): string {
  const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
  const base = group === '' ? 'core' : group.endsWith('.k8s.io') ? group.slice(0, -'.k8s.io'.length) : group;
  return base.split(/[.-]/).map(cap).join('') + cap(version);
}
