// Reading the loose pod JSON metamanager stores: the few fields the sync loop decides on, with
// Kubernetes defaults (restartPolicy Always, grace 30 s, pull policy from the tag).
import type { ContainerStatus } from '../../runtime/types.js';
import { RuntimeAnnotations } from '../../runtime/types.js';
import type { Json, Pod, PodContainer } from '../pod-contracts.js';

export type RestartPolicy = 'Always' | 'OnFailure' | 'Never';
export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The object as a Pod when it has metadata.name/namespace/uid and a spec; else undefined. */
export function asPod(obj: unknown): Pod | undefined {
  if (!isObject(obj) || !isObject(obj['metadata']) || !isObject(obj['spec'])) return undefined;
  const m = obj['metadata'];
  if (typeof m['name'] !== 'string' || typeof m['uid'] !== 'string' || m['uid'] === '') return undefined;
  const namespace = typeof m['namespace'] === 'string' && m['namespace'] !== '' ? m['namespace'] : 'default';
  return { ...obj, metadata: { ...m, name: m['name'], uid: m['uid'], namespace }, spec: obj['spec'] } as Pod;
}

export function podNodeName(pod: Pod): string | undefined {
  const n = pod.spec['nodeName'];
  return typeof n === 'string' ? n : undefined;
}

/** kubelet's format.Pod: name_namespace(uid). */
export function podLabel(pod: Pod): string {
  return `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
}

export function containersOf(pod: Pod, kind: 'init' | 'regular'): PodContainer[] {
  const list = pod.spec[kind === 'init' ? 'initContainers' : 'containers'];
  if (!Array.isArray(list)) return [];
  return list.filter((c): c is PodContainer => isObject(c) && typeof c['name'] === 'string');
}

export function restartPolicy(pod: Pod): RestartPolicy {
  const p = pod.spec['restartPolicy'];
  return p === 'OnFailure' || p === 'Never' ? p : 'Always';
}

/** Whether an instance that exited with this code is started again (kubelet ShouldContainerBeRestarted). */
export function shouldRestart(policy: RestartPolicy, exitCode: number): boolean {
  if (policy === 'Always') return true;
  if (policy === 'OnFailure') return exitCode !== 0;
  return false;
}

export function hostNetwork(pod: Pod): boolean {
  return pod.spec['hostNetwork'] === true;
}

export function isDeleting(pod: Pod): boolean {
  return typeof pod.metadata['deletionTimestamp'] === 'string';
}

/** deletionGracePeriodSeconds, else spec.terminationGracePeriodSeconds, else 30 (seconds). */
export function gracePeriodSeconds(pod: Pod): number {
  const d = pod.metadata['deletionGracePeriodSeconds'];
  if (typeof d === 'number' && d >= 0) return d;
  const t = pod.spec['terminationGracePeriodSeconds'];
  return typeof t === 'number' && t >= 0 ? t : 30;
}

/** imagePullPolicy, defaulting like the API server: Always for :latest or no tag, else IfNotPresent. */
export function pullPolicy(container: PodContainer): PullPolicy {
  const p = container['imagePullPolicy'];
  if (p === 'Always' || p === 'IfNotPresent' || p === 'Never') return p;
  const image = container.image ?? '';
  if (image.includes('@')) return 'IfNotPresent';
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastPart.lastIndexOf(':');
  const tag = colon < 0 ? '' : lastPart.slice(colon + 1);
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

export function probeOf(container: PodContainer, kind: 'liveness' | 'readiness' | 'startup'): Json | undefined {
  const p = container[`${kind}Probe`];
  return isObject(p) ? p : undefined;
}

export function hookOf(container: PodContainer, hook: 'preStop' | 'postStart'): Json | undefined {
  const lifecycle = container['lifecycle'];
  if (!isObject(lifecycle)) return undefined;
  const h = lifecycle[hook];
  return isObject(h) ? h : undefined;
}

/** The restart count recorded on the instance (survives an edgecore restart); else its attempt. */
export function restartCountOf(s: ContainerStatus): number {
  const n = Number.parseInt(s.annotations[RuntimeAnnotations.restartCount] ?? '', 10);
  return Number.isFinite(n) && n >= 0 ? n : s.metadata.attempt;
}

/** Go's time.Duration String for whole seconds: 10s, 1m20s, 5m0s. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  if (total < 60) return `${total}s`;
  const m = Math.floor(total / 60);
  if (m < 60) return `${m}m${total % 60}s`;
  return `${Math.floor(m / 60)}h${m % 60}m${total % 60}s`;
}

/** RFC 3339 with seconds, as Kubernetes metav1.Time serializes. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function podKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
