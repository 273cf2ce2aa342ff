// An in-memory edge store for metaserver tests: metamanager's read surface (get, list, onChange) with
// put/remove that notify like metamanager does after a commit. Keys as in the meta table:
// <namespace>/<type>/<name>, cluster-scoped objects under namespace "null".

export interface FakeMetaChange {
  op: 'upsert' | 'delete';
  type: string;
  namespace: string | null;
  name: string;
  object: Record<string, unknown>;
}

type Obj = { metadata: { name: string; namespace?: string; [k: string]: unknown }; [k: string]: unknown };

export class FakeMetaStore {
  readonly #rows = new Map<string, string>();
  readonly #listeners = new Set<(c: FakeMetaChange) => void>();
  /** Stored values as JSON text (as metamanager keeps them) or as objects. */
  constructor(private readonly asText = true) {}

  /** Inserts or replaces; cluster-scoped when the object has no namespace. */
  put(type: string, obj: Obj): void {
    const ns = obj.metadata.namespace ?? null;
    this.#rows.set(this.#key(type, ns, obj.metadata.name), JSON.stringify(obj));
    this.#emit({ op: 'upsert', type, namespace: ns, name: obj.metadata.name, object: structuredClone(obj) });
  }

  remove(type: string, namespace: string | null, name: string): boolean {
    const key = this.#key(type, namespace, name);
    const text = this.#rows.get(key);
    if (text === undefined) return false;
    this.#rows.delete(key);
    this.#emit({ op: 'delete', type, namespace, name, object: JSON.parse(text) as Record<string, unknown> });
    return true;
  }

  get(type: string, namespace: string, name: string): unknown {
    const text = this.#rows.get(`${namespace}/${type}/${name}`);
    return text === undefined ? undefined : this.#value(text);
  }

  list(type: string, namespace?: string): unknown[] {
    return [...this.#rows.entries()]
      .filter(([k]) => {
        const [n, t] = k.split('/');
        return t === type && (namespace === undefined || n === namespace);
      })
      .map(([, v]) => this.#value(v));
  }

  onChange(listener: (c: FakeMetaChange) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }

  #emit(c: FakeMetaChange): void {
    for (const l of [...this.#listeners]) l(c);
  }

  #value(text: string): unknown {
    return this.asText ? text : JSON.parse(text);
  }

  #key(type: string, namespace: string | null, name: string): string {
    return `${namespace ?? 'null'}/${type}/${name}`;
  }
}

/** A local pod status source (what edged provides) backed by a map. */
export class FakeLocalPodStatus {
  readonly #statuses = new Map<string, Record<string, unknown>>();
  readonly #listeners = new Set<(ns: string, name: string) => void>();

  set(namespace: string, name: string, status: Record<string, unknown> | undefined): void {
    if (status === undefined) this.#statuses.delete(`${namespace}/${name}`);
    else this.#statuses.set(`${namespace}/${name}`, status);
    for (const l of [...this.#listeners]) l(namespace, name);
  }

  get(namespace: string, name: string): Record<string, unknown> | undefined {
    return this.#statuses.get(`${namespace}/${name}`);
  }

  onChange(listener: (namespace: string, name: string) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }
}
