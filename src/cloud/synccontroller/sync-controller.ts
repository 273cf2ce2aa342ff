// KubeEdge's reliable sync (cloud/pkg/synccontroller + cloudhub's saveSuccessPoint), for cloudcore:
// - onAck records the acked resourceVersion per node and object in ObjectSync / ClusterObjectSync;
// - ackedVersion lets edgecontroller skip what a node already has (after a cloudcore restart);
// - reconcileNode, on connect and every periodMs for connected nodes, sends an update for objects
//   newer than acked and a delete for objects that vanished (or were re-created with another UID);
//   the acked delete then removes the sync;
// - syncs of nodes that no longer exist are deleted (KubeEdge: at start and on a node delete).
import type { KubeObject } from '../../api/index.js';
import type { Logger, Message, MessageClock } from '../../core/index.js';
import { Informer, Resources, type InformerTimers, type KubeClient, type ResourceRef } from '../kube/index.js';
import { ackAction, type SentInfo } from './ack-parse.js';
import { AckWriter } from './ack-writer.js';
import { deleteMessage, updateMessage } from './messages.js';
import { compareResourceVersion, nodeOfSync, syncName, syncedKind, uidOfSync } from './names.js';
import { SyncStore, ackedOf, specOf } from './sync-store.js';

/** The part of cloudhub's CloudHubSender this module needs (structurally compatible with it). */
export interface SyncSender {
  send(node: string, msg: Message, opts: { reliable: boolean; objectUID?: string }): void;
  isConnected(node: string): boolean;
  connectedNodes?(): string[];
}

export interface SyncControllerDeps {
  kube: KubeClient;
  hub: SyncSender;
  log: Logger;
  /** Milliseconds since the epoch (message timestamps). */
  now?: () => number;
  /** Reconcile period for connected nodes (default 30 s). */
  periodMs?: number;
  /** Period of the check for syncs of deleted nodes (default 10 min). */
  gcPeriodMs?: number;
  timers?: InformerTimers;
  /** Reads an object; default kube.get. edgecontroller may pass a lookup in its informer caches. */
  /** node: the node being reconciled (an object bound elsewhere counts as absent for it). */
  getObject?: (ref: ResourceRef, namespace: string | null, name: string, node: string) => Promise<KubeObject | undefined>;
  /** Whether a node exists; default a kube.get of the Node. */
  nodeExists?: (node: string) => Promise<boolean>;
  /** Message ids (tests). */
  newId?: () => string;
}

/** msg_ids remembered by trackSent; the oldest are forgotten first. */
const maxTracked = 100_000;

const realTimers: InformerTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export class SyncController {
  private readonly store = new SyncStore();
  private readonly writer: AckWriter;
  private readonly sent = new Map<string, SentInfo>();
  /** What reconcile last sent per sync ("update:<rv>" / "delete"), so a period does not repeat it. */
  private readonly inFlight = new Map<string, string>();
  private readonly informers: Informer[];
  private readonly timers: InformerTimers;
  private readonly clock: MessageClock;
  private readonly log: Logger;
  private loop: unknown;
  private stopped = false;
  private lastGC = 0;

  constructor(private readonly deps: SyncControllerDeps) {
    this.log = deps.log;
    this.writer = new AckWriter(deps.kube, this.store, this.log);
    this.timers = deps.timers ?? realTimers;
    this.clock = { ...(deps.now ? { now: deps.now } : {}), ...(deps.newId ? { newId: deps.newId } : {}) };
    const handlers = {
      add: (o: KubeObject) => this.store.observe(o),
      update: (_o: KubeObject, n: KubeObject) => this.store.observe(n),
      delete: (o: KubeObject) => this.store.observeDeleted(o),
    };
    this.informers = [Resources.objectsyncs, Resources.clusterobjectsyncs].map((ref) =>
      new Informer({ client: deps.kube, ref, log: this.log, handlers, timers: this.timers }));
  }

  /** Starts the informers; resolves once both caches are synced (false when stopped first). */
  async start(signal?: AbortSignal): Promise<boolean> {
    signal?.addEventListener('abort', () => this.stop(), { once: true });
    for (const inf of this.informers) inf.start();
    const synced = (await Promise.all(this.informers.map((i) => i.waitForSync(signal)))).every(Boolean);
    if (!synced || this.stopped) return false;
    await this.collectGarbage();
    this.schedule();
    this.log.info('ready');
    return true;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const inf of this.informers) inf.stop();
    if (this.loop !== undefined) this.timers.clearTimeout(this.loop);
  }

  hasSynced(): boolean {
    return this.informers.every((i) => i.hasSynced());
  }

  /** edgecontroller tells what it sent, so an ack can be tied to the object even without content. */
  trackSent(_node: string, msg: Message, uid: string): void {
    const c = (typeof msg.content === 'object' && msg.content !== null ? msg.content : {}) as { kind?: unknown; apiVersion?: unknown };
    const info: SentInfo = { uid };
    if (typeof c.kind === 'string') info.kind = c.kind;
    if (typeof c.apiVersion === 'string') info.apiVersion = c.apiVersion;
    this.sent.set(msg.header.msg_id, info);
    if (this.sent.size > maxTracked) this.sent.delete(this.sent.keys().next().value as string);
  }

  /** The edge persisted `msg` (the original downstream message). Never rejects. */
  async onAck(node: string, msg: Message): Promise<void> {
    const info = this.sent.get(msg.header.msg_id);
    this.sent.delete(msg.header.msg_id);
    const action = ackAction(node, msg, info);
    if ('skip' in action) {
      this.log.debug('ack ignored', { node, resource: msg.route.resource, reason: action.skip });
      return;
    }
    if (action.op === 'remove') {
      this.inFlight.delete(action.name);
      await this.writer.remove(action.name, action.namespace);
      return;
    }
    const pending = this.inFlight.get(action.target.name);
    if (pending === `update:${action.target.resourceVersion}`) this.inFlight.delete(action.target.name);
    await this.writer.recordVersion(action.target);
  }

  /** The resourceVersion of object `uid` that `node` acked, if any. */
  ackedVersion(node: string, uid: string): string | undefined {
    const s = this.store.get(syncName(node, uid));
    const rv = s ? ackedOf(s) : '';
    return rv === '' ? undefined : rv;
  }

  /** A node (re)connected: forget what was in flight for it and reconcile now. */
  onConnect(node: string): Promise<void> {
    for (const name of this.store.namesOf(node)) this.inFlight.delete(name);
    return this.reconcileNode(node);
  }

  /** A node was deleted: its syncs are garbage (KubeEdge deletes them on the Node delete event). */
  async onNodeDeleted(node: string): Promise<void> {
    await this.deleteSyncsOf(node);
  }

  /** Sends what `node` lacks: updates for newer objects, deletes for vanished ones. Never rejects. */
  async reconcileNode(node: string): Promise<void> {
    for (const name of this.store.namesOf(node)) {
      if (this.stopped) return;
      try {
        await this.reconcileSync(node, name);
      } catch (err) {
        this.log.warn('reconcile failed', { node, name, error: (err as Error).message });
      }
    }
  }

  /** Deletes the syncs of nodes that no longer exist. */
  async collectGarbage(): Promise<void> {
    this.lastGC = (this.deps.now ?? Date.now)();
    for (const node of this.store.nodes()) {
      try {
        if (!(await this.nodeExists(node))) await this.deleteSyncsOf(node);
      } catch (err) {
        this.log.warn('object sync gc failed', { node, error: (err as Error).message });
      }
    }
  }

  private async reconcileSync(node: string, name: string): Promise<void> {
    const sync = this.store.get(name);
    if (!sync) return;
    const spec = specOf(sync);
    const kind = syncedKind(spec.objectKind ?? '');
    if (!kind || !spec.objectName) return;
    const namespace = kind.ref.namespaced ? sync.metadata.namespace ?? null : null;
    const uid = uidOfSync(name);
    const obj = await (this.deps.getObject ?? ((r, ns, n) => this.deps.kube.get(r, ns, n)))(kind.ref, namespace, spec.objectName, node);
    if (!obj || obj.metadata.uid !== uid) {
      if (this.inFlight.get(name) === 'delete') return;
      this.inFlight.set(name, 'delete');
      this.log.info('object vanished', { node, kind: kind.kind, namespace, name: spec.objectName });
      this.deps.hub.send(node, deleteMessage(kind, { namespace, name: spec.objectName, uid }, this.clock), { reliable: true, objectUID: uid });
      return;
    }
    const rv = obj.metadata.resourceVersion ?? '';
    const acked = ackedOf(sync);
    if (rv === '' || (acked !== '' && compareResourceVersion(rv, acked) <= 0)) return;
    if (this.inFlight.get(name) === `update:${rv}`) return;
    this.inFlight.set(name, `update:${rv}`);
    this.log.debug('object newer than acked', { node, kind: kind.kind, name: spec.objectName, rv, acked });
    const msg = updateMessage(kind, obj, this.clock);
    this.trackSent(node, msg, uid);
    this.deps.hub.send(node, msg, { reliable: true, objectUID: uid });
  }

  private async deleteSyncsOf(node: string): Promise<void> {
    for (const name of this.store.namesOf(node)) {
      const sync = this.store.get(name);
      if (!sync || nodeOfSync(name) !== node) continue;
      this.log.info('object sync removed', { node, name, reason: 'node deleted' });
      await this.writer.remove(name, sync.metadata.namespace ?? null);
    }
  }

  private async nodeExists(node: string): Promise<boolean> {
    if (this.deps.nodeExists) return this.deps.nodeExists(node);
    return (await this.deps.kube.get(Resources.nodes, null, node)) !== undefined;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.loop = this.timers.setTimeout(() => { void this.tick(); }, this.deps.periodMs ?? 30_000);
  }

  private async tick(): Promise<void> {
    const nodes = this.deps.hub.connectedNodes?.() ?? this.store.nodes().filter((n) => this.deps.hub.isConnected(n));
    for (const node of nodes) await this.reconcileNode(node);
    if ((this.deps.now ?? Date.now)() - this.lastGC >= (this.deps.gcPeriodMs ?? 600_000)) await this.collectGarbage();
    this.schedule();
  }
}

