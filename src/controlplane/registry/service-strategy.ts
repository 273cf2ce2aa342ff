// Service defaults and validation. Cluster IPs come from 10.96.0.0/12 (kubeadm's default service CIDR)
// and node ports from 30000-32767, both derived from a hash of namespace/name: no allocator is kept, so
// two services can in principle collide. Nothing in the embedded control plane routes these addresses;
// they are there so that kubectl and clients see a familiar, stable CLUSTER-IP.
import type { KubeObject, StatusCause } from '../../api/index.js';
import { fieldErrors } from './field-errors.js';
import { isDNS1123Label, isPortName, isPortNumber } from './name-rules.js';
import { asArray, asString, ensureRecord, isRecord, setDefault, type JsonRecord } from './object-access.js';
import { protocols } from './pod-validation.js';
import { keepStatus } from './keep-status.js';
import type { ResourceStrategy } from './types.js';

const serviceTypes = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'] as const;
const serviceCidrBase = (10 << 24) | (96 << 16);
const serviceCidrSize = 1 << 20;

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** default/kubernetes gets 10.96.0.1 as in kubeadm clusters; other services a stable hashed address. */
export function serviceClusterIP(namespace: string, name: string): string {
  const offset = namespace === 'default' && name === 'kubernetes' ? 1 : 10 + (fnv1a(`${namespace}/${name}`) % (serviceCidrSize - 11));
  const ip = (serviceCidrBase + offset) >>> 0;
  return [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join('.');
}

function nodePortFor(namespace: string, name: string, port: number): number {
  return 30000 + (fnv1a(`${namespace}/${name}:${port}`) % 2768);
}

function defaultPorts(spec: JsonRecord, meta: { namespace: string; name: string }, wantNodePort: boolean): void {
  for (const p of asArray(spec.ports)) {
    if (!isRecord(p)) continue;
    setDefault(p, 'protocol', 'TCP');
    if (p.targetPort === undefined || p.targetPort === null || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
    if (wantNodePort && (p.nodePort === undefined || p.nodePort === 0)) p.nodePort = nodePortFor(meta.namespace, meta.name, Number(p.port));
  }
}

function defaultService(obj: KubeObject): void {
  const spec = ensureRecord(obj, 'spec');
  const meta = { namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '' };
  setDefault(spec, 'type', 'ClusterIP');
  setDefault(spec, 'sessionAffinity', 'None');
  const type = asString(spec.type);
  const exposesNodePorts = type === 'NodePort' || type === 'LoadBalancer';
  defaultPorts(spec, meta, exposesNodePorts);
  if (type === 'ExternalName') return;
  if (!asString(spec.clusterIP)) spec.clusterIP = asString(asArray(spec.clusterIPs)[0]) || serviceClusterIP(meta.namespace, meta.name);
  if (asArray(spec.clusterIPs).length === 0) spec.clusterIPs = [spec.clusterIP];
  setDefault(spec, 'ipFamilies', ['IPv4']);
  setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
  setDefault(spec, 'internalTrafficPolicy', 'Cluster');
  if (exposesNodePorts) setDefault(spec, 'externalTrafficPolicy', 'Cluster');
  if (type === 'LoadBalancer') setDefault(spec, 'allocateLoadBalancerNodePorts', true);
  if (spec.sessionAffinity === 'ClientIP') setDefault(spec, 'sessionAffinityConfig', { clientIP: { timeoutSeconds: 10800 } });
}

/** An update that omits the cluster IP keeps the allocated one (as kube-apiserver does for `replace`). */
function carryAllocations(spec: JsonRecord, oldSpec: JsonRecord): void {
  if (!asString(spec.clusterIP) && asString(oldSpec.clusterIP) && spec.type === oldSpec.type) {
    spec.clusterIP = oldSpec.clusterIP;
    spec.clusterIPs = structuredClone(oldSpec.clusterIPs);
  }
}

function validatePorts(spec: JsonRecord): StatusCause[] {
  const causes: StatusCause[] = [];
  const ports = asArray(spec.ports);
  const names = new Set<string>();
  ports.forEach((raw, i) => {
    const p = isRecord(raw) ? raw : {};
    const path = `spec.ports[${i}]`;
    const name = asString(p.name);
    if (!name && ports.length > 1) causes.push(fieldErrors.required(`${path}.name`));
    if (name) {
      for (const m of isDNS1123Label(name)) causes.push(fieldErrors.invalid(`${path}.name`, name, m));
      if (names.has(name)) causes.push(fieldErrors.duplicate(`${path}.name`, name));
      names.add(name);
    }
    for (const m of isPortNumber(Number(p.port ?? 0))) causes.push(fieldErrors.invalid(`${path}.port`, p.port ?? 0, m));
    const protocol = asString(p.protocol);
    if (!(protocols as readonly string[]).includes(protocol)) causes.push(fieldErrors.notSupported(`${path}.protocol`, protocol, protocols));
    const target = p.targetPort;
    const targetErrors = typeof target === 'string' ? isPortName(target) : isPortNumber(Number(target));
    for (const m of targetErrors) causes.push(fieldErrors.invalid(`${path}.targetPort`, target, m));
  });
  return causes;
}

function validateService(obj: KubeObject, old?: KubeObject): StatusCause[] {
  const spec = isRecord(obj.spec) ? obj.spec : {};
  const type = asString(spec.type);
  const causes: StatusCause[] = [];
  if (!(serviceTypes as readonly string[]).includes(type)) causes.push(fieldErrors.notSupported('spec.type', type, serviceTypes));
  const headless = spec.clusterIP === 'None';
  if (type === 'ExternalName' && !asString(spec.externalName)) causes.push(fieldErrors.required('spec.externalName'));
  if (type !== 'ExternalName' && !headless && asArray(spec.ports).length === 0) causes.push(fieldErrors.required('spec.ports'));
  causes.push(...validatePorts(spec));
  const oldSpec = old && isRecord(old.spec) ? old.spec : undefined;
  if (oldSpec && oldSpec.type === spec.type && asString(oldSpec.clusterIP) && oldSpec.clusterIP !== spec.clusterIP) {
    causes.push(fieldErrors.invalid('spec.clusterIP', spec.clusterIP ?? '', 'field is immutable'));
  }
  return causes;
}

export const serviceStrategy: ResourceStrategy = {
  prepareForCreate(obj) {
    defaultService(obj);
    obj.status = { loadBalancer: {} };
  },
  prepareForUpdate(obj, old) {
    const spec = ensureRecord(obj, 'spec');
    if (isRecord(old.spec)) carryAllocations(spec, old.spec);
    defaultService(obj);
    keepStatus(obj, old);
  },
  validate: validateService,
};
