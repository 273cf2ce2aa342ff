// Applies one upsert or delete to the store, inside the caller's transaction. The rules KubeEdge's
// metamanager lacks (its imitator even has a TODO for the first):
//  - an object's resourceVersion never moves backwards: an older one is not stored (but is acked,
//    so the cloud stops resending it); the same one is a duplicate and is not rewritten;
//  - a different metadata.uid is a new incarnation of the name (deleted and recreated, or another
//    cluster behind cloudcore): it replaces the row whatever the versions say;
//  - a delete carrying a uid removes the row only when the stored uid matches (KubeEdge does this for
//    pods: DeleteMetaByKeyAndPodUID), so a late delete cannot remove the recreated object.
import type { DownstreamIntent, JsonObject, RowTarget } from './downstream-intent.js';
import type { MetaStore, MetaV2Row } from './meta-store.js';
import { metaV2Identity } from './meta-v2-key.js';
import { compareResourceVersions, toSqliteInteger } from './resource-version.js';

/** A stored object changed; given to onChange listeners after the commit. */
export interface MetaChange {
  op: 'upsert' | 'delete';
  type: string;
  /** null for cluster-scoped objects (namespace "null" on the wire). */
  namespace: string | null;
  name: string;
  object: JsonObject;
}

export type ApplyOutcome = 'applied' | 'duplicate' | 'stale' | 'deleted' | 'absent' | 'stale_delete';

export interface ApplyResult {
  outcome: ApplyOutcome;
  change: MetaChange | undefined;
}

type Upsert = Extract<DownstreamIntent, { kind: 'upsert' }>;
type Delete = Extract<DownstreamIntent, { kind: 'delete' }>;

export function applyIntent(store: MetaStore, intent: Upsert | Delete): ApplyResult {
  return intent.kind === 'upsert' ? applyUpsert(store, intent) : applyDelete(store, intent);
}

function applyUpsert(store: MetaStore, intent: Upsert): ApplyResult {
  const stored = store.version(intent.key);
  const sameIncarnation = stored === undefined || intent.uid === undefined || stored.uid === undefined || stored.uid === intent.uid;
  if (stored !== undefined && sameIncarnation) {
    const cmp = compareResourceVersions(intent.resourceVersion, stored.resourceVersion);
    if (cmp === -1) return { outcome: 'stale', change: undefined };
    if (cmp === 0) return { outcome: 'duplicate', change: undefined };
  }
  store.upsert({ key: intent.key, type: intent.type, value: JSON.stringify(intent.object) }, metaV2Row(intent));
  return { outcome: 'applied', change: changeOf('upsert', intent, intent.object) };
}

function applyDelete(store: MetaStore, intent: Delete): ApplyResult {
  const row = store.get(intent.key);
  const storedObject = row === undefined ? undefined : parseObject(row.value);
  const storedUid = storedObject === undefined ? undefined : uidOf(storedObject);
  if (intent.uid !== undefined && storedUid !== undefined && storedUid !== intent.uid) {
    return { outcome: 'stale_delete', change: undefined };
  }
  const metaKeys = [intent.key];
  // KubeEdge processDeletePodDB also drops the pod's stored patch (<ns>/podpatch/<name>).
  if (intent.type === 'pod' && intent.name !== null) metaKeys.push(`${intent.namespace ?? 'null'}/podpatch/${intent.name}`);
  const v2Keys = [storedObject, intent.object]
    .map((obj) => (intent.name === null ? undefined : metaV2Identity(intent.type, { namespace: intent.namespace, name: intent.name }, obj)))
    .flatMap((id) => (id === undefined ? [] : [id.key]));
  const removed = store.delete(metaKeys, v2Keys);
  if (row === undefined || removed === 0) return { outcome: 'absent', change: undefined };
  return { outcome: 'deleted', change: changeOf('delete', intent, storedObject ?? intent.object ?? {}) };
}

function metaV2Row(intent: Upsert): MetaV2Row | undefined {
  if (intent.name === null) return undefined;
  const id = metaV2Identity(intent.type, { namespace: intent.namespace, name: intent.name }, intent.object);
  if (id === undefined) return undefined;
  // metaserver serves meta_v2 values as they are: make sure they carry apiVersion and kind.
  const value = JSON.stringify({ apiVersion: id.apiVersion, kind: id.kind, ...intent.object });
  return { ...id, resourceVersion: toSqliteInteger(intent.resourceVersion), value };
}

function changeOf(op: MetaChange['op'], target: RowTarget, object: JsonObject): MetaChange | undefined {
  if (target.name === null) return undefined;
  return { op, type: target.type, namespace: target.namespace, name: target.name, object };
}

function parseObject(text: string): JsonObject | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}

function uidOf(obj: JsonObject): string | undefined {
  const meta = obj['metadata'];
  const uid = typeof meta === 'object' && meta !== null ? (meta as JsonObject)['uid'] : undefined;
  return typeof uid === 'string' && uid !== '' ? uid : undefined;
}
