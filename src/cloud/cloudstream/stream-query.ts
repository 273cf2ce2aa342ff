// The query of pods/log and pods/exec (and of kubelet's /containerLogs and /exec), checked as the
// API server does (k8s.io/kubernetes/pkg/registry/core/pod/strategy.go LogLocation/ExecLocation),
// into the requests sent over the tunnel. Pure.
import type { ExecRequestFrame, LogsRequest } from '../../core/tunnel/index.js';
import { badRequest } from './status.js';

type Json = Record<string, unknown>;
const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

const truthy = (v: string | null): boolean => v === 'true' || v === '1' || v === 'True';

function nonNegativeInt(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw badRequest(`${name} must be a non-negative integer, got "${v}"`);
  return n;
}

function names(list: unknown): string[] {
  return Array.isArray(list) ? list.map((c) => String((c as Json)['name'] ?? '')).filter((n) => n !== '') : [];
}

/** The container named, or the pod's only/default container; 400 with kubelet's wording otherwise. */
export function resolveContainer(pod: Json, requested: string): string {
  const meta = (pod['metadata'] ?? {}) as Json;
  const spec = (pod['spec'] ?? {}) as Json;
  const podName = String(meta['name'] ?? '');
  const containers = names(spec['containers']);
  const all = [...containers, ...names(spec['initContainers']), ...names(spec['ephemeralContainers'])];
  if (requested === '') {
    const annotated = ((meta['annotations'] ?? {}) as Json)[DEFAULT_CONTAINER_ANNOTATION];
    if (typeof annotated === 'string' && containers.includes(annotated)) return annotated;
    if (containers.length === 1 && containers[0] !== undefined) return containers[0];
    if (containers.length === 0) return '';
    throw badRequest(`a container name must be specified for pod ${podName}, choose one of: [${containers.join(' ')}]`);
  }
  // A pod without a spec (as in unit fixtures) cannot be checked; the edge checks again.
  if (all.length > 0 && !all.includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${podName}`);
  return requested;
}

export function podNodeName(pod: Json): string {
  const node = ((pod['spec'] ?? {}) as Json)['nodeName'];
  if (typeof node !== 'string' || node === '') {
    throw badRequest(`pod ${String(((pod['metadata'] ?? {}) as Json)['name'] ?? '')} does not have a host assigned`);
  }
  return node;
}

export function parseLogsQuery(q: URLSearchParams, where: { namespace: string; pod: string; container: string }): LogsRequest {
  const r: LogsRequest = {
    kind: 'logs', ...where, follow: truthy(q.get('follow')), previous: truthy(q.get('previous')), timestamps: truthy(q.get('timestamps')),
  };
  const tail = nonNegativeInt(q, 'tailLines');
  const since = nonNegativeInt(q, 'sinceSeconds');
  const limit = nonNegativeInt(q, 'limitBytes');
  const sinceTime = q.get('sinceTime');
  if (since !== undefined && since < 1) throw badRequest('sinceSeconds must be greater than 0');
  if (limit !== undefined && limit < 1) throw badRequest('limitBytes must be greater than 0');
  if (since !== undefined && sinceTime) throw badRequest('at most one of sinceTime or sinceSeconds may be specified');
  if (sinceTime && Number.isNaN(Date.parse(sinceTime))) throw badRequest(`sinceTime must be an RFC 3339 time, got "${sinceTime}"`);
  if (tail !== undefined) r.tailLines = tail;
  if (since !== undefined) r.sinceSeconds = since;
  if (limit !== undefined) r.limitBytes = limit;
  if (sinceTime) r.sinceTime = sinceTime;
  return r;
}

export function parseExecQuery(q: URLSearchParams, where: { namespace: string; pod: string; container: string }): ExecRequestFrame {
  const command = q.getAll('command');
  if (command.length === 0) throw badRequest('you must specify at least 1 command');
  const r: ExecRequestFrame = {
    kind: 'exec', ...where, command,
    stdin: truthy(q.get('stdin')), stdout: truthy(q.get('stdout')), stderr: truthy(q.get('stderr')), tty: truthy(q.get('tty')),
  };
  if (!r.stdin && !r.stdout && !r.stderr) throw badRequest('you must specify at least one of stdin, stdout, stderr');
  if (r.tty && r.stderr) r.stderr = false; // a terminal merges stderr into stdout (kubelet does the same)
  return r;
}
