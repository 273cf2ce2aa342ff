// Fakes of devicetwin's ports for its tests: a bus that records what is published, a hub with an
// outbox list and a switchable link, and a Device/DeviceModel store over a Map. Used by *.test.ts only.
import type { Message } from '../core/index.js';
import type { DeviceObjectStore, TwinBus, TwinHub } from '../edge/devicetwin/index.js';

export interface Published {
  topic: string;
  payload: Record<string, unknown>;
}

export class RecordingTwinBus implements TwinBus {
  readonly published: Published[] = [];

  publish(topic: string, payload: string | Buffer): void {
    this.published.push({ topic, payload: JSON.parse(payload.toString()) as Record<string, unknown> });
  }

  /** Payloads published on topics ending with `suffix`, oldest first. */
  on(suffix: string): Record<string, unknown>[] {
    return this.published.filter((p) => p.topic.endsWith(suffix)).map((p) => p.payload);
  }

  last(suffix: string): Record<string, unknown> | undefined {
    return this.on(suffix).at(-1);
  }

  topics(): string[] {
    return this.published.map((p) => p.topic);
  }

  clear(): void {
    this.published.length = 0;
  }
}

export class FakeTwinHub implements TwinHub {
  connected = true;
  readonly enqueued: Message[] = [];

  enqueue(msg: Message): void {
    this.enqueued.push(msg);
  }

  isConnected(): boolean {
    return this.connected;
  }

  /** Enqueued contents, decoded from the JSON string KubeEdge's devicetwin sends. */
  contents(): { resource: string; content: Record<string, unknown> }[] {
    return this.enqueued.map((m) => ({ resource: m.route.resource, content: JSON.parse(m.content as string) as Record<string, unknown> }));
  }
}

type StoreChange = Parameters<Parameters<DeviceObjectStore['onChange']>[0]>[0];
type Kind = 'device' | 'devicemodel';
type Obj = { metadata: { name: string; namespace?: string }; [k: string]: unknown };

/** Notifies like metamanager: after each put/remove, synchronously. */
export class MapDeviceObjectStore implements DeviceObjectStore {
  readonly #objects = new Map<string, Obj>();
  readonly #listeners = new Set<(c: StoreChange) => void>();

  put(type: Kind, obj: Obj): void {
    const ns = obj.metadata.namespace ?? 'default';
    this.#objects.set(`${type}/${ns}/${obj.metadata.name}`, structuredClone(obj));
    for (const l of this.#listeners) l({ op: 'upsert', type, namespace: ns, name: obj.metadata.name, object: structuredClone(obj) });
  }

  remove(type: Kind, namespace: string, name: string): void {
    const key = `${type}/${namespace}/${name}`;
    const obj = this.#objects.get(key);
    if (!obj) return;
    this.#objects.delete(key);
    for (const l of this.#listeners) l({ op: 'delete', type, namespace, name, object: obj });
  }

  list(type: Kind, namespace?: string | null): unknown[] {
    return [...this.#objects.entries()]
      .filter(([k]) => k.startsWith(`${type}/${namespace ? `${namespace}/` : ''}`))
      .map(([, v]) => structuredClone(v));
  }

  get(type: Kind, namespace: string | null, name: string): unknown {
    const obj = this.#objects.get(`${type}/${namespace ?? 'default'}/${name}`);
    return obj ? structuredClone(obj) : undefined;
  }

  onChange(listener: (c: StoreChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

export interface PropertyInit {
  name: string;
  type?: string;
  desired?: string;
}

/** A DeviceModel with typed properties. */
export function deviceModelObject(namespace: string, name: string, props: readonly PropertyInit[]): Obj {
  return {
    apiVersion: 'devices.kubeedge.io/v1beta1', kind: 'DeviceModel',
    metadata: { name, namespace },
    spec: { protocol: 'virtual', properties: props.map((p) => ({ name: p.name, type: p.type ?? 'STRING', accessMode: 'ReadWrite' })) },
  };
}

/** A Device of `model` on `nodeName` whose properties carry the desired values given. */
export function deviceObject(namespace: string, name: string, opts: { model: string; nodeName: string; props: readonly PropertyInit[] }): Obj {
  return {
    apiVersion: 'devices.kubeedge.io/v1beta1', kind: 'Device',
    metadata: { name, namespace },
    spec: {
      deviceModelRef: { name: opts.model },
      nodeName: opts.nodeName,
      protocol: { protocolName: 'virtual' },
      properties: opts.props.map((p) => ({ name: p.name, ...(p.desired !== undefined ? { desired: { value: p.desired } } : {}) })),
    },
  };
}
