// Counters metamanager exposes (monotonic since start).
export interface MetaManagerMetrics {
  /** Downstream messages handed to handleDownstream. */
  received: number;
  /** Objects written (insert/update/patch/response). */
  applied: number;
  /** Rows removed by deletes. */
  deleted: number;
  /** Upserts older than the stored resourceVersion: acked, not stored. */
  stale: number;
  /** Upserts with the stored resourceVersion, and deletes of absent or older objects: acked, no write. */
  duplicates: number;
  /** Acks sent to the cloud. */
  acked: number;
  /** Messages not for metamanager (other group, unknown operation). */
  ignored: number;
  /** Malformed messages (bad resource, content not an object): error reply, no ack. */
  rejected: number;
  /** Writes that failed (SQLite error): no ack, so the cloud resends. */
  persistFailures: number;
  /** Of persistFailures, those caused by a full disk. */
  diskFull: number;
  remoteQueries: number;
  remoteQueryFailures: number;
  /** onChange listeners that threw (logged and skipped). */
  listenerErrors: number;
}

export function zeroMetrics(): MetaManagerMetrics {
  return {
    received: 0,
    applied: 0,
    deleted: 0,
    stale: 0,
    duplicates: 0,
    acked: 0,
    ignored: 0,
    rejected: 0,
    persistFailures: 0,
    diskFull: 0,
    remoteQueries: 0,
    remoteQueryFailures: 0,
    listenerErrors: 0,
  };
}
