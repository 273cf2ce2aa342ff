// Reading a core/v1 Probe from pod JSON: kubelet's defaults, the handler kind, named ports and the
// static $(VAR) expansion exec probes get (kubelet: ExpandContainerCommandOnlyStatic).
import type { Json, PodContainer, ProbeKind } from '../pod-contracts.js';
import { expand, mappingFor } from '../podspec/index.js';

/** A probe's timing with the API defaults applied (seconds and counts as in core/v1.Probe). */
export interface ProbeTiming {
  initialDelaySeconds: number;
  /** Default 10. */
  periodSeconds: number;
  /** Default 1. */
  timeoutSeconds: number;
  /** Default 1 (and always 1 for liveness and startup, as the API enforces). */
  successThreshold: number;
  /** Default 3. */
  failureThreshold: number;
}

export type ProbeHandler =
  | { type: 'exec'; command: string[] }
  | { type: 'httpGet'; path: string; port: unknown; host: string; scheme: string; headers: { name: string; value: string }[] }
  | { type: 'tcpSocket'; port: unknown; host: string }
  | { type: 'grpc'; port: unknown; service: string };

const probeField: Record<ProbeKind, string> = {
  liveness: 'livenessProbe',
  readiness: 'readinessProbe',
  startup: 'startupProbe',
};

function asObject(v: unknown): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}

function positiveInt(v: unknown, fallback: number, min = 1): number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min ? v : fallback;
}

/** The container's probe of this kind, or undefined when it has none. */
export function containerProbe(container: PodContainer, kind: ProbeKind): Json | undefined {
  return asObject(container[probeField[kind]]);
}

export function probeTiming(probe: Json, kind: ProbeKind): ProbeTiming {
  return {
    initialDelaySeconds: positiveInt(probe.initialDelaySeconds, 0, 0),
    periodSeconds: positiveInt(probe.periodSeconds, 10),
    timeoutSeconds: positiveInt(probe.timeoutSeconds, 1),
    successThreshold: kind === 'readiness' ? positiveInt(probe.successThreshold, 1) : 1,
    failureThreshold: positiveInt(probe.failureThreshold, 3),
  };
}

function str(v: unknown, fallback = ''): string {
  return typeof v === 'string' ? v : fallback;
}

export function probeHandler(probe: Json): ProbeHandler | undefined {
  const exec = asObject(probe.exec);
  if (exec) return { type: 'exec', command: Array.isArray(exec.command) ? exec.command.map((c) => String(c)) : [] };
  const http = asObject(probe.httpGet);
  if (http) {
    const headers = Array.isArray(http.httpHeaders)
      ? http.httpHeaders.flatMap((h) => {
        const o = asObject(h);
        return o && typeof o.name === 'string' ? [{ name: o.name, value: str(o.value) }] : [];
      })
      : [];
    return { type: 'httpGet', path: str(http.path), port: http.port, host: str(http.host), scheme: str(http.scheme, 'HTTP'), headers };
  }
  const tcp = asObject(probe.tcpSocket);
  if (tcp) return { type: 'tcpSocket', port: tcp.port, host: str(tcp.host) };
  const grpc = asObject(probe.grpc);
  if (grpc) return { type: 'grpc', port: grpc.port, service: str(grpc.service) };
  return undefined;
}

/**
 * kubelet's probe.ResolveContainerPort: a number, or a named containerPort, or a number written as a
 * string; anything outside 1..65535 is an error.
 */
export function resolvePort(port: unknown, container: PodContainer): number {
  let n = Number.NaN;
  if (typeof port === 'number') n = port;
  else if (typeof port === 'string') {
    const ports = Array.isArray(container.ports) ? container.ports : [];
    const named = ports.map(asObject).find((p) => p?.name === port);
    n = named && typeof named.containerPort === 'number' ? named.containerPort : /^\d+$/.test(port) ? Number(port) : Number.NaN;
    if (Number.isNaN(n)) throw new Error(`couldn't find port: ${port} in ${container.name}`);
  }
  if (!Number.isInteger(n) || n <= 0 || n >= 65536) throw new Error(`invalid port number: ${String(port)}`);
  return n;
}

/** $(VAR) from the container's literal env values only; valueFrom variables expand to ''. */
export function expandStatic(command: string[], container: PodContainer): string[] {
  const vars = new Map<string, string>();
  for (const e of Array.isArray(container.env) ? container.env : []) {
    const o = asObject(e);
    if (o && typeof o.name === 'string') vars.set(o.name, str(o.value));
  }
  const mapping = mappingFor(vars);
  return command.map((arg) => expand(arg, mapping));
}


/** net.JoinHostPort: brackets around IPv6 literals. */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
