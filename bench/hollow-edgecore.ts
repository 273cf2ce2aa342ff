// The hollow edgecore: many simulated edge nodes in one process (like kubemark's hollow kubelets),
// each with its own client certificate and its own WSS session to a real cloudhub. It speaks only the
// link (registration, keepalive, leases, acks, reconnect), which is what cloudhub's scale depends on.
// Start is ramped (bounded handshakes in flight) so the fleet does not measure its own TLS storm.
import { createSecureContext } from 'node:tls';
import type { Message } from '../src/core/index.js';
import { DEFAULT_BACKOFF, type BackoffPolicy } from '../src/edge/edgehub/index.js';
import { DEFAULT_PROJECT_ID } from './hollow-messages.js';
import { HollowNode, newCounters, type HollowCounters, type HollowSink } from './hollow-node.js';

export interface HollowIdentity { name: string; certPem: string; keyPem: string }

export interface HollowFleetOptions {
  cloudhub: { host: string; port: number };
  caPem: string;
  nodes: HollowIdentity[];
  projectId?: string;
  /** KubeEdge's heartbeat: 15 s. */
  keepaliveMs?: number;
  /** The kubelet's lease renewal in this bench: 20 s. */
  leaseMs?: number;
  backoff?: BackoffPolicy;
  /** TLS handshakes in flight while the fleet starts (default 64). */
  connectConcurrency?: number;
  random?: () => number;
  /** Each downstream object as it arrives; `at` is performance.now(). */
  onObject?: (node: string, msg: Message, at: number) => void;
}

export class HollowFleet {
  readonly counters: HollowCounters = newCounters();
  private readonly nodes: HollowNode[];
  private ready = 0;
  private waiters: { count: number; resolve: () => void }[] = [];
  private readonly onObject: (node: string, msg: Message, at: number) => void;

  constructor(private readonly o: HollowFleetOptions) {
    this.onObject = o.onObject ?? (() => undefined);
    const sink: HollowSink = {
      counters: this.counters,
      onReady: () => { this.ready++; this.wake(); },
      onDown: (_n, wasReady) => { if (wasReady) this.ready--; },
      onObject: (node, msg, at) => this.onObject(node, msg, at),
    };
    const projectId = o.projectId ?? DEFAULT_PROJECT_ID;
    const random = o.random ?? Math.random;
    this.nodes = o.nodes.map((id) => new HollowNode({
      name: id.name,
      url: `wss://${o.cloudhub.host}:${o.cloudhub.port}/${projectId}/${encodeURIComponent(id.name)}/events`,
      projectId,
      // One SecureContext per node: each has its own certificate and key.
      secureContext: createSecureContext({ ca: o.caPem, cert: id.certPem, key: id.keyPem }),
      keepaliveMs: o.keepaliveMs ?? 15_000,
      leaseMs: o.leaseMs ?? 20_000,
      backoff: o.backoff ?? DEFAULT_BACKOFF,
      random,
      sink,
    }));
  }

  get size(): number { return this.nodes.length; }

  /** Nodes registered and connected now. */
  readyCount(): number { return this.ready; }

  /** Dials every node, at most connectConcurrency handshakes at a time; resolves when all have tried once. */
  async start(): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < this.nodes.length) {
        const node = this.nodes[next++];
        if (node) await node.start();
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.o.connectConcurrency ?? 64) }, worker));
  }

  /** Resolves true when at least `count` nodes are ready, false after `timeoutMs`. */
  waitReady(count: number, timeoutMs: number): Promise<boolean> {
    if (this.ready >= count) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      const waiter = { count, resolve: () => { clearTimeout(timer); resolve(true); } };
      this.waiters.push(waiter);
    });
  }

  /** Names of nodes that are not ready now. */
  notReady(): string[] {
    return this.nodes.filter((n) => n.state.kind !== 'ready').map((n) => n.name);
  }

  /** How many nodes the cloud offered upstream acks to (KubeEdge-TS cloudhub only). */
  upstreamAckSessions(): number {
    return this.nodes.filter((n) => n.upstreamAck).length;
  }

  stop(): void {
    for (const n of this.nodes) n.stop();
  }

  private wake(): void {
    const due = this.waiters.filter((w) => this.ready >= w.count);
    if (due.length === 0) return;
    this.waiters = this.waiters.filter((w) => this.ready < w.count);
    for (const w of due) w.resolve();
  }
}
