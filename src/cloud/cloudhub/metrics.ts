// cloudhub's counters and their Prometheus text form. KubeEdge exports one gauge,
// KubeEdge_CloudHub_connected_nodes; we use lowercase names and add the queue and traffic figures.

/** Why an upgrade, a frame or a message was refused. */
export type RejectReason =
  | 'tls'
  | 'handshake_timeout'
  | 'bad_request'
  | 'bad_path'
  | 'identity'
  | 'node_limit'
  | 'malformed'
  | 'too_large'
  | 'overload'
  | (string & {});

export type DropReason = 'queue_full' | 'superseded' | 'stale' | 'forgotten';

export interface CloudHubMetrics {
  connectedNodes: number;
  /** Messages waiting or unacked, summed over nodes. */
  queueDepth: { ack: number; noack: number };
  /** Reliable messages sent again because no ack came in time. */
  resendsTotal: number;
  /** WebSocket bytes (after compression, before TLS) read from and written to edges. */
  bytesInTotal: number;
  bytesOutTotal: number;
  /** Upstream messages dropped because their msg_id was seen before. */
  duplicatesTotal: number;
  acksTotal: number;
  upstreamTotal: number;
  rejectedTotal: Record<string, number>;
  /** Downstream messages that left a queue without being delivered, by queue and reason. */
  droppedTotal: { ack: Record<string, number>; noack: Record<string, number> };
}

/** The monotonic counters the hub increments; gauges are computed when metrics are read. */
export class CloudHubCounters {
  resends = 0;
  duplicates = 0;
  acks = 0;
  upstream = 0;
  /** Bytes of sessions that have ended; live sessions are added when metrics are read. */
  bytesInClosed = 0;
  bytesOutClosed = 0;
  readonly rejected = new Map<string, number>();
  readonly dropped = { ack: new Map<string, number>(), noack: new Map<string, number>() };

  reject(reason: RejectReason): void {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + 1);
  }

  drop(queue: 'ack' | 'noack', reason: DropReason, n = 1): void {
    const m = this.dropped[queue];
    m.set(reason, (m.get(reason) ?? 0) + n);
  }
}

export function formatMetricsText(m: CloudHubMetrics): string {
  const lines: string[] = [];
  const metric = (name: string, type: 'gauge' | 'counter', help: string, samples: [string, number][]): void => {
    lines.push(`# HELP kubeedge_cloudhub_${name} ${help}`, `# TYPE kubeedge_cloudhub_${name} ${type}`);
    for (const [labels, value] of samples) lines.push(`kubeedge_cloudhub_${name}${labels} ${value}`);
  };
  metric('connected_nodes', 'gauge', 'Edge nodes with an open session.', [['', m.connectedNodes]]);
  metric('queue_depth', 'gauge', 'Downstream messages queued or unacked, by kind.', [
    ['{kind="ack"}', m.queueDepth.ack],
    ['{kind="noack"}', m.queueDepth.noack],
  ]);
  metric('resends_total', 'counter', 'Reliable messages resent for want of an ack.', [['', m.resendsTotal]]);
  metric('bytes_in_total', 'counter', 'WebSocket bytes received from edges.', [['', m.bytesInTotal]]);
  metric('bytes_out_total', 'counter', 'WebSocket bytes sent to edges.', [['', m.bytesOutTotal]]);
  metric('duplicates_total', 'counter', 'Upstream messages dropped as replays of a seen msg_id.', [
    ['', m.duplicatesTotal],
  ]);
  metric('acks_total', 'counter', 'Reliable downstream messages acked by edges.', [['', m.acksTotal]]);
  metric('upstream_messages_total', 'counter', 'Upstream messages passed to the controllers.', [
    ['', m.upstreamTotal],
  ]);
  metric('rejected_total', 'counter', 'Connections, frames and messages refused, by reason.', labelled(
    'reason',
    m.rejectedTotal,
  ));
  metric('dropped_total', 'counter', 'Downstream messages dropped from a queue, by queue and reason.', [
    ...labelled('reason', m.droppedTotal.ack, 'queue="ack",'),
    ...labelled('reason', m.droppedTotal.noack, 'queue="noack",'),
  ]);
  return lines.join('\n') + '\n';
}

function labelled(label: string, values: Record<string, number>, prefix = ''): [string, number][] {
  return Object.keys(values)
    .sort()
    .map((k) => [`{${prefix}${label}="${escapeLabel(k)}"}`, values[k] ?? 0]);
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
