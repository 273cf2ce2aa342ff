// Shared informers: every controller that watches pods reads the same cache, so the control plane runs
// one watch per resource however many controllers use it (client-go's SharedInformerFactory).
import type { ObjectAPI, ResourceRef } from '../objects/index.js';
import { Informer } from './informer.js';
import type { Logger } from './types.js';

export interface InformerFactoryOptions {
  api: ObjectAPI;
  log: Logger;
  relistDelayMs?: number;
}

export class InformerFactory {
  private readonly opts: InformerFactoryOptions;
  private readonly informers = new Map<string, Informer>();
  private signal: AbortSignal | undefined;

  constructor(options: InformerFactoryOptions) {
    this.opts = options;
  }

  /** The shared informer of a resource (optionally of one namespace); started at once when the
   *  factory already runs. */
  for(ref: ResourceRef, namespace?: string): Informer {
    const id = `${ref.group}/${ref.resource}/${namespace ?? '*'}`;
    let informer = this.informers.get(id);
    if (!informer) {
      informer = new Informer({
        api: this.opts.api, ref: { group: ref.group, resource: ref.resource }, log: this.opts.log,
        ...(namespace !== undefined ? { namespace } : {}),
        ...(this.opts.relistDelayMs !== undefined ? { relistDelayMs: this.opts.relistDelayMs } : {}),
      });
      this.informers.set(id, informer);
      if (this.signal) informer.start(this.signal);
    }
    return informer;
  }

  /** Stops and forgets an informer (its resource is no longer served). */
  remove(ref: ResourceRef, namespace?: string): void {
    const id = `${ref.group}/${ref.resource}/${namespace ?? '*'}`;
    this.informers.get(id)?.stop();
    this.informers.delete(id);
  }

  start(signal: AbortSignal): void {
    if (this.signal) return;
    this.signal = signal;
    for (const informer of this.informers.values()) informer.start(signal);
  }

  get started(): boolean {
    return this.signal !== undefined;
  }

  /** Resolves when every informer created so far has listed once. */
  async waitForSync(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.synced));
  }
}
