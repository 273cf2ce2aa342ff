// Pod spec validation: the checks users hit most (containers, names, images, ports, volume mounts,
// restart and DNS policies) with kube-apiserver's field paths and wording, and the rule that a pod's spec
// is immutable apart from a few fields.
import type { StatusCause } from '../../api/index.js';
import { fieldErrors } from './field-errors.js';
import { isDNS1123Label, isPortName, isPortNumber } from './name-rules.js';
import { asArray, asString, canonicalJson, isRecord, type JsonRecord } from './object-access.js';

const restartPolicies = ['Always', 'Never', 'OnFailure'] as const;
const dnsPolicies = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'] as const;
export const protocols = ['SCTP', 'TCP', 'UDP'] as const;

function validatePorts(ports: unknown, base: string): StatusCause[] {
  const causes: StatusCause[] = [];
  asArray(ports).forEach((raw, i) => {
    const p = isRecord(raw) ? raw : {};
    const path = `${base}[${i}]`;
    if (typeof p.name === 'string' && p.name !== '') {
      for (const m of isPortName(p.name)) causes.push(fieldErrors.invalid(`${path}.name`, p.name, m));
    }
    for (const m of isPortNumber(Number(p.containerPort ?? 0))) causes.push(fieldErrors.invalid(`${path}.containerPort`, p.containerPort ?? 0, m));
    if (p.hostPort !== undefined && p.hostPort !== 0) {
      for (const m of isPortNumber(Number(p.hostPort))) causes.push(fieldErrors.invalid(`${path}.hostPort`, p.hostPort, m));
    }
    const protocol = asString(p.protocol);
    if (!(protocols as readonly string[]).includes(protocol)) causes.push(fieldErrors.notSupported(`${path}.protocol`, protocol, protocols));
  });
  return causes;
}

function validateContainer(c: JsonRecord, path: string, volumes: Set<string>): StatusCause[] {
  const causes: StatusCause[] = [];
  const name = asString(c.name);
  if (!name) causes.push(fieldErrors.required(`${path}.name`));
  else for (const m of isDNS1123Label(name)) causes.push(fieldErrors.invalid(`${path}.name`, name, m));
  if (!asString(c.image)) causes.push(fieldErrors.required(`${path}.image`));
  causes.push(...validatePorts(c.ports, `${path}.ports`));
  asArray(c.volumeMounts).forEach((raw, i) => {
    const mount = isRecord(raw) ? raw : {};
    const mountPath = `${path}.volumeMounts[${i}]`;
    const volume = asString(mount.name);
    if (!volume) causes.push(fieldErrors.required(`${mountPath}.name`));
    else if (!volumes.has(volume)) causes.push(fieldErrors.notFound(`${mountPath}.name`, volume));
    if (!asString(mount.mountPath)) causes.push(fieldErrors.required(`${mountPath}.mountPath`));
  });
  return causes;
}

function validateVolumes(volumes: unknown, base: string): { causes: StatusCause[]; names: Set<string> } {
  const causes: StatusCause[] = [];
  const names = new Set<string>();
  asArray(volumes).forEach((raw, i) => {
    const name = asString(isRecord(raw) ? raw.name : undefined);
    const path = `${base}[${i}].name`;
    if (!name) causes.push(fieldErrors.required(path));
    else if (names.has(name)) causes.push(fieldErrors.duplicate(path, name));
    else for (const m of isDNS1123Label(name)) causes.push(fieldErrors.invalid(path, name, m));
    if (name) names.add(name);
  });
  return { causes, names };
}

/** Validates a PodSpec found at `base` ("spec" for pods, "spec.template.spec" for workloads). */
export function validatePodSpec(spec: JsonRecord, base: string): StatusCause[] {
  const { causes, names: volumes } = validateVolumes(spec.volumes, `${base}.volumes`);
  const seen = new Set<string>();
  for (const list of ['initContainers', 'containers'] as const) {
    const containers = asArray(spec[list]);
    if (list === 'containers' && containers.length === 0) causes.push(fieldErrors.required(`${base}.containers`));
    containers.forEach((raw, i) => {
      const c = isRecord(raw) ? raw : {};
      const path = `${base}.${list}[${i}]`;
      const name = asString(c.name);
      // Names are unique across init and app containers: both share one namespace in the kubelet.
      if (name && seen.has(name)) causes.push(fieldErrors.duplicate(`${path}.name`, name));
      seen.add(name);
      causes.push(...validateContainer(c, path, volumes));
    });
  }
  const restartPolicy = asString(spec.restartPolicy);
  if (!(restartPolicies as readonly string[]).includes(restartPolicy)) {
    causes.push(fieldErrors.notSupported(`${base}.restartPolicy`, restartPolicy, restartPolicies));
  }
  const dnsPolicy = asString(spec.dnsPolicy);
  if (!(dnsPolicies as readonly string[]).includes(dnsPolicy)) causes.push(fieldErrors.notSupported(`${base}.dnsPolicy`, dnsPolicy, dnsPolicies));
  if (typeof spec.terminationGracePeriodSeconds === 'number' && spec.terminationGracePeriodSeconds < 0) {
    causes.push(fieldErrors.invalid(`${base}.terminationGracePeriodSeconds`, spec.terminationGracePeriodSeconds, 'must be greater than or equal to 0'));
  }
  return causes;
}

const podUpdateMessage = 'pod updates may not change fields other than `spec.containers[*].image`,' +
  '`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),' +
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** The spec with every field a pod update may change blanked out, for comparison. */
function immutablePart(spec: JsonRecord): JsonRecord {
  const copy: JsonRecord = { ...spec };
  for (const key of ['activeDeadlineSeconds', 'tolerations', 'terminationGracePeriodSeconds', 'schedulingGates']) delete copy[key];
  for (const list of ['containers', 'initContainers']) {
    if (Array.isArray(copy[list])) copy[list] = (copy[list] as unknown[]).map((c) => (isRecord(c) ? { ...c, image: undefined } : c));
  }
  return copy;
}

/** A pod's spec is fixed once created, apart from images, deadlines and added tolerations. */
export function validatePodSpecUpdate(spec: JsonRecord, oldSpec: JsonRecord): StatusCause[] {
  if (canonicalJson(immutablePart(spec)) === canonicalJson(immutablePart(oldSpec))) return [];
  return [fieldErrors.forbidden('spec', podUpdateMessage)];
}
