// Used only by this module's tests (kept here because src/testing belongs to another change): a
// recording hub, an in-memory ObjectSync lookup, object builders, and a started EdgeController.
import type { KubeObject } from '../api/index.js';
import { createTestLogger, type Message, type TestLogger } from '../core/index.js';
import type { KubeClient } from '../cloud/kube/index.js';
import { EdgeController, EDGE_NODE_LABEL, type EdgeControllerOptions, type EdgeHubSender, type HubSendOptions } from '../cloud/edgecontroller/index.js';

export interface Sent { node: string; msg: Message; opts: HubSendOptions }

export class RecordingHub implements EdgeHubSender {
  readonly sent: Sent[] = [];
  send(node: string, msg: Message, opts: HubSendOptions): void {
    this.sent.push({ node, msg, opts });
  }
  isConnected(): boolean { return true; }
  connectedNodes(): string[] { return []; }
  /** Messages to `node` (all nodes when omitted) about `resource` (`ns/type/name`, or any). */
  to(node?: string, resource?: string): Sent[] {
    return this.sent.filter((s) => (node === undefined || s.node === node) && (resource === undefined || s.msg.route.resource === resource));
  }
  clear(): void { this.sent.length = 0; }
}

export const edgeNode = (name: string): KubeObject => ({
  apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { [EDGE_NODE_LABEL]: '' } }, spec: {},
});
export const cloudNode = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: {} });

export function pod(name: string, nodeName: string, spec: Record<string, unknown> = {}, ns = 'default'): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, spec: { nodeName, containers: [{ name: 'c', image: 'busybox' }], ...spec } };
}

export const usesConfigMap = (cm: string): Record<string, unknown> => ({ volumes: [{ name: 'cfg', configMap: { name: cm } }] });

export function configMap(name: string, data: Record<string, string>, ns = 'default'): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data };
}

/** Lets informer handlers run (watch events arrive through promise callbacks). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
}

export interface Harness {
  ec: EdgeController;
  hub: RecordingHub;
  log: TestLogger;
  acked: Map<string, string>;
  clock: { t: number };
  stop(): void;
}

export async function startController(
  kube: KubeClient, opts: { options?: EdgeControllerOptions; acked?: Map<string, string> } = {},
): Promise<Harness> {
  const hub = new RecordingHub();
  const log = createTestLogger();
  const acked = opts.acked ?? new Map<string, string>();
  const clock = { t: Date.parse('2026-01-01T00:00:00Z') };
  const ec = new EdgeController({
    kube, hub, log,
    sync: { ackedVersion: (node, uid) => acked.get(`${node}/${uid}`) },
    now: () => clock.t,
    ...(opts.options ? { options: opts.options } : {}),
  });
  const ac = new AbortController();
  await ec.start(ac.signal);
  await settle();
  return { ec, hub, log, acked, clock, stop: () => ac.abort() };
}
