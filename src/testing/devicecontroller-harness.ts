// Test set-up for devicecontroller: a recording hub, an in-memory ObjectSync lookup, Device and
// DeviceModel builders, upstream report builders, and a started DeviceController over a
// FakeKubeClient. Used by *.test.ts only.
import type { KubeObject } from '../api/index.js';
import { createTestLogger, newMessage, type Message, type TestLogger } from '../core/index.js';
import { DeviceController, type DeviceHubSender, type DeviceHubSendOptions } from '../cloud/devicecontroller/index.js';
import { Resources, type KubeClient } from '../cloud/kube/index.js';

export interface DeviceSent { node: string; msg: Message; opts: DeviceHubSendOptions }

export class RecordingDeviceHub implements DeviceHubSender {
  readonly sent: DeviceSent[] = [];
  send(node: string, msg: Message, opts: DeviceHubSendOptions): void {
    this.sent.push({ node, msg, opts });
  }
  /** Messages to `node` (all nodes when omitted), optionally only those about `resource`. */
  to(node?: string, resource?: string): DeviceSent[] {
    return this.sent.filter((s) => (node === undefined || s.node === node) && (resource === undefined || s.msg.route.resource === resource));
  }
  /** `<operation> <resource>` of each message to `node`, in order: a compact view for assertions. */
  summary(node: string): string[] {
    return this.to(node).map((s) => `${s.msg.route.operation} ${s.msg.route.resource}`);
  }
  clear(): void { this.sent.length = 0; }
}

export interface PropertySpec { name: string; type?: string; desired?: string }

export function deviceModel(name: string, props: PropertySpec[] = [{ name: 'temperature', type: 'INT' }], ns = 'default'): KubeObject {
  return {
    apiVersion: 'devices.kubeedge.io/v1beta1', kind: 'DeviceModel', metadata: { name, namespace: ns },
    spec: { protocol: 'virtual', properties: props.map((p) => ({ name: p.name, type: p.type ?? 'INT', accessMode: 'ReadWrite' })) },
  };
}

export function device(
  name: string, nodeName: string | undefined, model: string, props: PropertySpec[] = [{ name: 'temperature' }],
  opts: { ns?: string; labels?: Record<string, string> } = {},
): KubeObject {
  return {
    apiVersion: 'devices.kubeedge.io/v1beta1', kind: 'Device',
    metadata: { name, namespace: opts.ns ?? 'default', ...(opts.labels ? { labels: opts.labels } : {}) },
    spec: {
      deviceModelRef: { name: model },
      ...(nodeName !== undefined ? { nodeName } : {}),
      protocol: { protocolName: 'virtual' },
      properties: props.map((p) => ({ name: p.name, ...(p.desired !== undefined ? { desired: { value: p.desired } } : {}) })),
    },
  };
}

/** An upstream message as the edge's devicetwin sends it (source "twin", group "resource"). */
export function upstream(resource: string, content: unknown, operation = 'update'): Message {
  return newMessage({ source: 'twin', group: 'resource', operation, resource, content });
}

export function twinReport(ns: string, name: string, twin: Record<string, unknown>, asString = false): Message {
  const content = { event_id: 'e1', timestamp: 1718000050000, twin };
  return upstream(`device/${ns}/${name}/twin/edge_updated`, asString ? JSON.stringify(content) : content);
}

export function stateReport(ns: string, name: string, device: Record<string, unknown>): Message {
  return upstream(`device/${ns}/${name}/state/update`, JSON.stringify({ event_id: 'e2', timestamp: 1718000060000, device }));
}

/** Lets informer handlers run (watch events arrive through promise callbacks). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
}

export async function rejection(p: Promise<unknown>): Promise<{ name: string; reason?: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return err as { name: string; reason?: string; message: string };
  }
  throw new Error('expected a rejection');
}

export interface DeviceHarness {
  dc: DeviceController;
  hub: RecordingDeviceHub;
  log: TestLogger;
  /** `<node>/<uid>` → acked resourceVersion (what ObjectSync would say). */
  acked: Map<string, string>;
  /** What trackSent was told: node, msg_id, uid. */
  tracked: { node: string; msgId: string; uid: string }[];
  /** Waits for informer events and the controller's background DeviceStatus writes. */
  settle(): Promise<void>;
  stop(): void;
}

export async function startDeviceController(kube: KubeClient, opts: { acked?: Map<string, string> } = {}): Promise<DeviceHarness> {
  const hub = new RecordingDeviceHub();
  const log = createTestLogger();
  const acked = opts.acked ?? new Map<string, string>();
  const tracked: DeviceHarness['tracked'] = [];
  let t = Date.parse('2026-01-01T00:00:00Z');
  let id = 0;
  const dc = new DeviceController({
    kube, hub, log,
    sync: {
      ackedVersion: (node, uid) => acked.get(`${node}/${uid}`),
      trackSent: (node, msg, uid) => { tracked.push({ node, msgId: msg.header.msg_id, uid }); },
    },
    now: () => t++,
    newId: () => `id-${++id}`,
  });
  const ac = new AbortController();
  await dc.start(ac.signal);
  const settleAll = async (): Promise<void> => { await settle(); await dc.idle(); await settle(); };
  await settleAll();
  return { dc, hub, log, acked, tracked, settle: settleAll, stop: () => ac.abort() };
}

/** Creates a model and devices in `kube`; returns the stored devices. */
export async function seed(kube: KubeClient, models: KubeObject[], devices: KubeObject[]): Promise<KubeObject[]> {
  for (const m of models) await kube.create(Resources.devicemodels, m);
  const out: KubeObject[] = [];
  for (const d of devices) out.push(await kube.create(Resources.devices, d));
  return out;
}
