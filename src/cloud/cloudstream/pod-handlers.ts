// pods/log and pods/exec for the embedded control plane: its API server authenticates, authorizes
// and loads the pod, then calls these in-process (registerPodSubresource). The pod's spec.nodeName
// picks the node's tunnel. Shapes are declared here so cloudstream needs nothing of controlplane.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import type { Logger } from '../../core/index.js';
import { streamExec } from './serve-exec.js';
import { streamLogs } from './serve-logs.js';
import { StreamError, badRequest, toStreamError, writeRawStatus, writeStatus } from './status.js';
import { parseExecQuery, parseLogsQuery, podNodeName, resolveContainer } from './stream-query.js';
import type { NodeTunnel } from './node-tunnel.js';

/** What the API server passes (a subset of controlplane's PodStreamParams). */
export interface PodStreamRequest {
  namespace: string;
  name: string;
  pod: Record<string, unknown>;
  query: URLSearchParams;
  upgrade?: { socket: Duplex; head: Buffer };
}
export type PodStreamFn = (req: IncomingMessage, res: ServerResponse | undefined, params: PodStreamRequest) => Promise<void>;

/** The embedded API server as cloudstream sees it. */
export interface PodSubresourceRegistrar {
  registerPodSubresource(name: 'log' | 'exec', handler: PodStreamFn): void;
}

export interface HandlerDeps {
  tunnel(node: string): NodeTunnel | undefined;
  wss: WebSocketServer;
  log: Logger;
}

export function podStreamHandlers(d: HandlerDeps): { log: PodStreamFn; exec: PodStreamFn } {
  const log: PodStreamFn = async (_req, res, p) => {
    if (!res) return;
    try {
      const container = resolveContainer(p.pod, p.query.get('container') ?? '');
      const node = podNodeName(p.pod);
      const request = parseLogsQuery(p.query, { namespace: p.namespace, pod: p.name, container });
      await streamLogs(res, d.tunnel(node), node, request);
    } catch (err) {
      report(d.log, err, p);
      writeStatus(res, toStreamError(err));
    }
  };
  const exec: PodStreamFn = async (req, res, p) => {
    if (!p.upgrade) {
      if (res) writeStatus(res, badRequest('Upgrade request required'));
      return;
    }
    const up = { req, socket: p.upgrade.socket, head: p.upgrade.head };
    try {
      const container = resolveContainer(p.pod, p.query.get('container') ?? '');
      const node = podNodeName(p.pod);
      const request = parseExecQuery(p.query, { namespace: p.namespace, pod: p.name, container });
      await streamExec(up, d.wss, d.tunnel(node), node, request);
    } catch (err) {
      report(d.log, err, p);
      // Before the upgrade the socket still speaks HTTP; after it, streamExec does not throw.
      if (!up.socket.destroyed) writeRawStatus(up.socket, toStreamError(err));
    }
  };
  return { log, exec };
}

function report(log: Logger, err: unknown, p: PodStreamRequest): void {
  if (err instanceof StreamError && err.code < 500) return;
  log.warn('stream failed', { pod: `${p.namespace}/${p.name}`, error: (err as Error).message });
}
