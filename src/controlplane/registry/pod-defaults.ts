// Pod spec defaulting as kube-apiserver applies it when decoding (SetDefaults_PodSpec / _Container /
// _Pod), plus what its default admission plugins add to new pods (service account, priority, the
// not-ready/unreachable tolerations). Users see these fields in `kubectl get pod -o yaml`.
import { parseQuantity, sameQuantity } from './quantity.js';
import { asArray, asRecord, dig, ensureRecord, isRecord, setDefault, type JsonRecord } from './object-access.js';

/** Default grace period before a pod on a NotReady/Unreachable node is evicted (DefaultTolerationSeconds). */
export const defaultTolerationSeconds = 300;

/** Always for ":latest" or untagged images (they may move), IfNotPresent for pinned tags and digests. */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  if (image.includes('@')) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  const tag = colon > lastSlash ? image.slice(colon + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(probe: unknown): void {
  if (!isRecord(probe)) return;
  setDefault(probe, 'timeoutSeconds', 1);
  setDefault(probe, 'periodSeconds', 10);
  setDefault(probe, 'successThreshold', 1);
  setDefault(probe, 'failureThreshold', 3);
  if (isRecord(probe.httpGet)) {
    setDefault(probe.httpGet, 'path', '/');
    setDefault(probe.httpGet, 'scheme', 'HTTP');
  }
}

export function defaultContainer(c: JsonRecord): void {
  if (typeof c.image === 'string' && c.image !== '') setDefault(c, 'imagePullPolicy', defaultPullPolicy(c.image));
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  setDefault(c, 'resources', {});
  for (const port of asArray(c.ports)) if (isRecord(port)) setDefault(port, 'protocol', 'TCP');
  for (const env of asArray(c.env)) {
    const fieldRef = dig(env, 'valueFrom', 'fieldRef');
    if (isRecord(fieldRef)) setDefault(fieldRef, 'apiVersion', 'v1');
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
}

/** Requests default to limits for each resource that has a limit but no request (SetDefaults_Pod). */
function defaultRequestsFromLimits(c: JsonRecord): void {
  const resources = asRecord(c.resources);
  if (!isRecord(resources.limits)) return;
  const requests = ensureRecord(resources, 'requests');
  for (const [name, limit] of Object.entries(resources.limits)) setDefault(requests, name, limit);
  c.resources = resources;
}

function containersOf(spec: JsonRecord): JsonRecord[] {
  return [...asArray(spec.initContainers), ...asArray(spec.containers)].filter(isRecord);
}

/** Defaults shared by pods and pod templates. */
export function defaultPodSpec(spec: JsonRecord): void {
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'schedulerName', 'default-scheduler');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'securityContext', {});
  for (const c of containersOf(spec)) defaultContainer(c);
  for (const v of asArray(spec.volumes)) {
    if (!isRecord(v)) continue;
    for (const source of ['secret', 'configMap', 'downwardAPI', 'projected']) {
      if (isRecord(v[source])) setDefault(v[source], 'defaultMode', 420);
    }
  }
}

/** Defaults that apply to Pod objects only, not to templates. */
export function defaultPodOnly(spec: JsonRecord): void {
  setDefault(spec, 'enableServiceLinks', true);
  for (const c of containersOf(spec)) defaultRequestsFromLimits(c);
}

function tolerates(tolerations: JsonRecord[], taintKey: string): boolean {
  return tolerations.some((t) => (t.key === taintKey || t.key === undefined || t.key === '') &&
    (t.effect === undefined || t.effect === '' || t.effect === 'NoExecute'));
}

/** What the ServiceAccount, Priority and DefaultTolerationSeconds admission plugins set on new pods. */
export function admitNewPod(spec: JsonRecord): void {
  setDefault(spec, 'serviceAccountName', 'default');
  setDefault(spec, 'serviceAccount', spec.serviceAccountName);
  if (spec.priorityClassName === undefined) setDefault(spec, 'priority', 0);
  setDefault(spec, 'preemptionPolicy', 'PreemptLowerPriority');
  const tolerations = asArray(spec.tolerations).filter(isRecord);
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    if (!tolerates(tolerations, key)) {
      tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: defaultTolerationSeconds });
    }
  }
  spec.tolerations = tolerations;
}

type Qos = 'Guaranteed' | 'Burstable' | 'BestEffort';

/** QoS class from cpu and memory requests and limits of all containers (GetPodQOS). */
export function podQOS(spec: JsonRecord): Qos {
  const requests = new Map<string, number>();
  const limits = new Map<string, number>();
  let guaranteed = true;
  const add = (into: Map<string, number>, name: string, value: unknown): void => {
    const q = parseQuantity(value);
    if (q !== undefined && q !== 0) into.set(name, (into.get(name) ?? 0) + q);
  };
  for (const c of containersOf(spec)) {
    const req = asRecord(dig(c, 'resources', 'requests'));
    const lim = asRecord(dig(c, 'resources', 'limits'));
    for (const name of ['cpu', 'memory']) {
      add(requests, name, req[name]);
      add(limits, name, lim[name]);
    }
    if (!['cpu', 'memory'].every((name) => (parseQuantity(lim[name]) ?? 0) !== 0)) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed && requests.size === limits.size &&
    [...requests].every(([name, value]) => sameQuantity(value, limits.get(name) ?? Number.NaN))) {
    return 'Guaranteed';
  }
  return 'Burstable';
}
