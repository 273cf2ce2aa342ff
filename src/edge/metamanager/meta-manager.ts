// metamanager: the edge's store of what the cloud sent. Every downstream object is written to
// edgecore.db (KubeEdge tables meta + meta_v2) and committed before it is acked, so an acked version
// survives a crash or power loss; a failed write is not acked and the cloud resends it. Local reads
// serve edged and metaserver offline; missing objects are asked from the cloud when connected.
import type { Logger, Message, MessageClock } from '../../core/index.js';
import { Modules, ResourceTypes, buildErrorResponse, formatResource } from '../../core/index.js';
import type { Database } from '../dbm/index.js';
import { DatabaseError, applyMigrations, guardDatabase, toDatabaseError } from '../dbm/index.js';
import type { EdgeHubPort } from '../edgehub/index.js';
import { needsAck } from './ack-policy.js';
import { applyIntent, type ApplyOutcome, type ApplyResult, type MetaChange } from './apply-intent.js';
import { decodeDownstream, rowTarget, upsertIntent, type DownstreamIntent, type JsonObject } from './downstream-intent.js';
import { MetaNotFoundError, RemoteQueryError } from './errors.js';
import { MetaStore } from './meta-store.js';
import { type MetaManagerMetrics, zeroMetrics } from './metrics.js';
import { REMOTE_QUERY_TYPES, buildQueryMessage, interpretQueryResponse } from './remote-query.js';
import { META_MIGRATIONS, METAMANAGER_SCHEMA_MODULE } from './schema.js';

export interface MetaManagerDeps {
  /** The shared edgecore.db (openEdgeDatabase); metamanager creates its tables, never closes it. */
  db: Database;
  hub: EdgeHubPort;
  nodeName: string;
  /** Usually log.child('metamanager'). */
  log: Logger;
  /** How long a query to the cloud waits (edgecore.yaml metaManager.remoteQueryTimeout, in ms here). */
  remoteQueryTimeoutMs: number;
  clock?: MessageClock;
}

export type DownstreamOutcome = ApplyOutcome | 'ignored' | 'rejected' | 'failed';
export type MetaChangeListener = (change: MetaChange) => void;

export interface QueryOptions {
  /** Ask the cloud even when a local copy exists (KubeEdge's behaviour while connected); offline, the local copy answers. */
  preferRemote?: boolean;
  /** Request body, e.g. the TokenRequest of a serviceaccounttoken query. */
  content?: unknown;
}

interface Work {
  msg: Message;
  intent: Extract<DownstreamIntent, { kind: 'upsert' | 'delete' }>;
}

export class MetaManager {
  readonly #store: MetaStore;
  readonly #hub: EdgeHubPort;
  readonly #log: Logger;
  readonly #timeoutMs: number;
  readonly #clock: MessageClock | undefined;
  readonly #listeners = new Set<MetaChangeListener>();
  readonly #metrics = zeroMetrics();

  /** Creates or upgrades the meta tables; throws DatabaseError when that fails. */
  constructor(deps: MetaManagerDeps) {
    applyMigrations(deps.db, METAMANAGER_SCHEMA_MODULE, META_MIGRATIONS);
    this.#store = new MetaStore(deps.db);
    this.#hub = deps.hub;
    this.#log = deps.log;
    this.#timeoutMs = deps.remoteQueryTimeoutMs;
    this.#clock = deps.clock;
    this.#log.debug('store opened', { node: deps.nodeName });
  }

  /** EdgeHubListener.onDownstream: persist, then ack (when the cloud waits for one), then notify. */
  handleDownstream(msg: Message): DownstreamOutcome {
    return this.handleDownstreamBatch([msg])[0] ?? 'ignored';
  }

  /**
   * A burst of downstream messages committed in one transaction (one fsync), then acked in order.
   * When the batch fails, each message is retried alone so one bad write holds back no other.
   */
  handleDownstreamBatch(msgs: readonly Message[]): DownstreamOutcome[] {
    this.#metrics.received += msgs.length;
    const outcomes: DownstreamOutcome[] = [];
    const work: { index: number; item: Work }[] = [];
    msgs.forEach((msg, index) => {
      const intent = decodeDownstream(msg);
      if (intent.kind === 'ignore') {
        this.#metrics.ignored++;
        this.#log.debug('ignored', { msgId: msg.header.msg_id, operation: msg.route.operation, reason: intent.reason });
        outcomes[index] = 'ignored';
      } else if (intent.kind === 'reject') {
        this.#reject(msg, intent.reason);
        outcomes[index] = 'rejected';
      } else {
        work.push({ index, item: { msg, intent } });
      }
    });
    const results = this.#persist(work.map((w) => w.item));
    work.forEach(({ index, item }, k) => {
      const result = results[k];
      outcomes[index] = result === undefined || result instanceof DatabaseError ? this.#fail(item.msg, result) : this.#finish(item.msg, result);
    });
    return outcomes;
  }

  /** Subscribes to committed changes; returns the unsubscribe function. */
  onChange(listener: MetaChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The stored object, or undefined. namespace null = cluster scope. Throws DatabaseError on read failure. */
  get(type: string, namespace: string | null, name: string): JsonObject | undefined {
    const key = formatResource({ namespace, type, name });
    const row = guardDatabase('read', () => this.#store.get(key));
    return row === undefined ? undefined : this.#parse(row.key, row.value);
  }

  /** Stored objects of a type, in key order; namespace undefined = all, null = cluster scope. */
  list(type: string, namespace?: string | null): JsonObject[] {
    const ns = namespace === undefined ? undefined : (namespace ?? 'null');
    const rows = guardDatabase('read', () => this.#store.list(type, ns));
    return rows
      .filter((r) => r.key.split('/').length === 3)
      .flatMap((r) => {
        const obj = this.#parse(r.key, r.value);
        return obj === undefined ? [] : [obj];
      });
  }

  /**
   * Local first; when missing and the type is one the cloud answers (REMOTE_QUERY_TYPES), a query to
   * the cloud whose answer is stored before it is returned. serviceaccounttoken always goes to the
   * cloud and is not stored. Rejects with MetaNotFoundError or RemoteQueryError.
   */
  async query(type: string, namespace: string | null, name: string, opts: QueryOptions = {}): Promise<JsonObject> {
    const resource = formatResource({ namespace, type, name });
    const remoteOnly = type === ResourceTypes.serviceaccounttoken;
    const local = remoteOnly ? undefined : this.get(type, namespace, name);
    const connected = this.#hub.isConnected();
    if (local !== undefined && !(opts.preferRemote === true && connected)) return local;
    if (!REMOTE_QUERY_TYPES.has(type)) throw new MetaNotFoundError(resource, 'local');
    if (!connected) throw new RemoteQueryError('not_connected', resource, 'not connected to the cloud');
    return this.#remoteQuery(resource, opts.content, remoteOnly);
  }

  metrics(): MetaManagerMetrics {
    return { ...this.#metrics };
  }

  async #remoteQuery(resource: string, content: unknown, remoteOnly: boolean): Promise<JsonObject> {
    this.#metrics.remoteQueries++;
    let resp: Message;
    try {
      resp = await this.#hub.request(buildQueryMessage(resource, content, this.#clock), this.#timeoutMs);
    } catch (err) {
      this.#metrics.remoteQueryFailures++;
      this.#log.warn('remote query failed', { resource, error: err instanceof Error ? err.message : String(err) });
      throw new RemoteQueryError('request_failed', resource, err instanceof Error ? err.message : 'request failed', { cause: err });
    }
    const answer = interpretQueryResponse(resp);
    if (answer.kind === 'not_found') throw new MetaNotFoundError(resource, 'cloud', { detail: answer.message });
    if (answer.kind !== 'object') {
      this.#metrics.remoteQueryFailures++;
      this.#log.warn('remote query failed', { resource, reason: answer.kind, error: answer.message });
      throw new RemoteQueryError(answer.kind === 'error' ? 'remote_error' : 'bad_response', resource, answer.message);
    }
    if (remoteOnly) return answer.object;
    return this.#storeAnswer(resp, resource, answer.object);
  }

  /** Stores a query answer like a downstream object; a failed write still returns the answer, unacked. */
  #storeAnswer(resp: Message, resource: string, object: JsonObject): JsonObject {
    const target = rowTarget(resource);
    const intent = upsertIntent(target, object, resp.header.resourceversion);
    if (intent.kind !== 'upsert') return object;
    const [result] = this.#persist([{ msg: resp, intent }]);
    if (result === undefined || result instanceof DatabaseError) {
      this.#fail(resp, result, false);
      return object;
    }
    this.#finish(resp, result);
    if (result.outcome !== 'stale') return object;
    return this.get(target.type, target.namespace, target.name ?? '') ?? object;
  }

  #persist(work: readonly Work[]): (ApplyResult | DatabaseError)[] {
    if (work.length === 0) return [];
    const applyAll = (): ApplyResult[] => work.map((w) => applyIntent(this.#store, w.intent));
    try {
      return this.#store.transaction(applyAll);
    } catch (err) {
      if (work.length === 1) return [toDatabaseError(err, 'write')];
    }
    return work.map((w) => {
      try {
        return this.#store.transaction(() => applyIntent(this.#store, w.intent));
      } catch (err) {
        return toDatabaseError(err, 'write');
      }
    });
  }

  #finish(msg: Message, result: ApplyResult): DownstreamOutcome {
    this.#count(result.outcome);
    if (needsAck(msg)) {
      this.#hub.ack(msg);
      this.#metrics.acked++;
    }
    if (result.change !== undefined) this.#emit(result.change);
    return result.outcome;
  }

  #count(outcome: ApplyOutcome): void {
    if (outcome === 'applied') this.#metrics.applied++;
    else if (outcome === 'deleted') this.#metrics.deleted++;
    else if (outcome === 'stale') this.#metrics.stale++;
    else this.#metrics.duplicates++;
  }

  /** No ack: the cloud resends. Like KubeEdge's feedbackError, the cloud also gets an error reply. */
  #fail(msg: Message, err: DatabaseError | undefined, reply = true): DownstreamOutcome {
    this.#metrics.persistFailures++;
    if (err?.code === 'disk_full') this.#metrics.diskFull++;
    this.#log.error('persist failed', {
      msgId: msg.header.msg_id,
      resource: msg.route.resource,
      operation: msg.route.operation,
      code: err?.code,
      sqliteCode: err?.sqliteCode,
    });
    if (reply) this.#reply(msg, `failed to persist: ${err?.code ?? 'unknown'}`);
    return 'failed';
  }

  #reject(msg: Message, reason: string): void {
    this.#metrics.rejected++;
    this.#log.warn('rejected', { msgId: msg.header.msg_id, resource: msg.route.resource, operation: msg.route.operation, reason });
    this.#reply(msg, `rejected: ${reason}`);
  }

  #reply(msg: Message, text: string): void {
    this.#hub.send(buildErrorResponse(msg, text, { source: Modules.metamanager, clock: this.#clock }));
  }

  #emit(change: MetaChange): void {
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch (err) {
        this.#metrics.listenerErrors++;
        this.#log.error('listener failed', { type: change.type, name: change.name, error: err instanceof Error ? err.message : String(err) });
      }
    }
  }

  #parse(key: string, value: string): JsonObject | undefined {
    try {
      const v = JSON.parse(value) as unknown;
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as JsonObject;
    } catch {
      // fall through: logged below
    }
    this.#log.warn('bad stored value', { key });
    return undefined;
  }
}
