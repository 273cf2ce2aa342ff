// cloudstream: the cloud end of kubectl logs/exec for edge pods. Edges dial the tunnel port
// (mutual TLS with their node certificates); the embedded API server hands pods/log and pods/exec
// to us in-process, and with a real cluster we serve the kubelet-style API on the stream port.
import type { Logger } from '../../core/index.js';
import type { KubeClient } from '../kube/index.js';
import { startKubeletServer } from './kubelet-server.js';
import { recordStreamPort } from './node-endpoint.js';
import { podStreamHandlers, type PodSubresourceRegistrar } from './pod-handlers.js';
import { execWebSocketServer } from './serve-exec.js';
import { TunnelServer, type TunnelMetrics } from './tunnel-server.js';

export interface CloudStreamOptions {
  /** The tunnel listener (KubeEdge tunnelPort, 10004); port 0 picks a free one. */
  tunnel: { address: string; port: number };
  /** KubeEdge CA (verifies edges) and cloudcore's serving certificate. */
  tls: { caPem: string; certPem: string; keyPem: string };
  log: Logger;
  /** Embedded control plane: register pods/log and pods/exec with its API server. */
  apiServer?: PodSubresourceRegistrar;
  /** Real cluster: the kubelet-style API on the stream port (KubeEdge streamPort, 10003). */
  kubelet?: { address: string; port: number; clientCaPem: string; kube: KubeClient };
  pingMs?: number;
}

export interface CloudStream {
  tunnelPort: number;
  /** Set when the kubelet-style API is served. */
  streamPort?: number;
  metrics(): TunnelMetrics;
  /** Nodes with a connected tunnel. */
  nodes(): string[];
  stop(): Promise<void>;
}

export async function startCloudStream(o: CloudStreamOptions): Promise<CloudStream> {
  const stopping = new AbortController();
  const wss = execWebSocketServer();
  let streamPort: number | undefined;
  const tunnels = new TunnelServer({
    listen: o.tunnel, tls: o.tls, log: o.log, ...(o.pingMs ? { pingMs: o.pingMs } : {}),
    onConnect: (t) => {
      if (o.kubelet && streamPort !== undefined) void recordStreamPort(o.kubelet.kube, t.node, streamPort, o.log, stopping.signal);
    },
  });
  const tunnelPort = await tunnels.start();
  const lookup = (node: string): ReturnType<TunnelServer['get']> => tunnels.get(node);
  let kubelet: { port: number; close(): Promise<void> } | undefined;
  try {
    if (o.kubelet) {
      kubelet = await startKubeletServer({
        listen: { address: o.kubelet.address, port: o.kubelet.port }, tls: o.tls, clientCaPem: o.kubelet.clientCaPem,
        kube: o.kubelet.kube, tunnel: lookup, wss, log: o.log,
      });
      streamPort = kubelet.port;
    }
  } catch (err) {
    await tunnels.stop();
    throw err;
  }
  if (o.apiServer) {
    const h = podStreamHandlers({ tunnel: lookup, wss, log: o.log });
    o.apiServer.registerPodSubresource('log', h.log);
    o.apiServer.registerPodSubresource('exec', h.exec);
  }
  o.log.info('serving', { tunnelPort, ...(streamPort !== undefined ? { streamPort } : {}), embedded: o.apiServer !== undefined });
  return {
    tunnelPort,
    ...(streamPort !== undefined ? { streamPort } : {}),
    metrics: () => tunnels.metrics(),
    nodes: () => tunnels.tunnels().map((t) => t.node),
    stop: async () => {
      stopping.abort();
      await tunnels.stop();
      for (const c of wss.clients) c.terminate();
      wss.close();
      await kubelet?.close();
    },
  };
}
