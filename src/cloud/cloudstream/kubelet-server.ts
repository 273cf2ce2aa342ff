// With a real cluster: the kubelet-style API the kube-apiserver calls for kubectl logs/exec
// (GET /containerLogs/{ns}/{pod}/{container}, /exec/{ns}/{pod}[/{uid}]/{container}) on the stream
// port (KubeEdge 10003), over TLS. Only clients with a certificate from the cluster CA get in
// (the API server's --kubelet-client-certificate). The pod is read from the API to find its node.
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import type { WebSocketServer } from 'ws';
import type { Logger } from '../../core/index.js';
import { Resources, type KubeClient } from '../kube/index.js';
import type { NodeTunnel } from './node-tunnel.js';
import { streamExec } from './serve-exec.js';
import { streamLogs } from './serve-logs.js';
import { StreamError, notFound, toStreamError, writeRawStatus, writeStatus } from './status.js';
import { parseExecQuery, parseLogsQuery, podNodeName, resolveContainer } from './stream-query.js';

export interface KubeletServerOptions {
  listen: { address: string; port: number };
  /** cloudcore's serving certificate (the API server does not verify kubelet certificates by default). */
  tls: { certPem: string; keyPem: string };
  /** CA that signed the API server's kubelet client certificate. */
  clientCaPem: string;
  kube: KubeClient;
  tunnel(node: string): NodeTunnel | undefined;
  wss: WebSocketServer;
  log: Logger;
}

type Route = { kind: 'logs' | 'exec'; namespace: string; pod: string; container: string; query: URLSearchParams };

export function parseKubeletPath(url: string): Route | undefined {
  const u = new URL(url, 'https://kubelet');
  const parts = u.pathname.split('/').filter((s) => s !== '').map(decodeURIComponent);
  const [head, namespace, pod] = parts;
  if (namespace === undefined || pod === undefined) return undefined;
  if (head === 'containerLogs' && parts.length === 4) return { kind: 'logs', namespace, pod, container: parts[3] ?? '', query: u.searchParams };
  if (head === 'exec' && (parts.length === 4 || parts.length === 5)) return { kind: 'exec', namespace, pod, container: parts[parts.length - 1] ?? '', query: u.searchParams };
  return undefined;
}

export async function startKubeletServer(o: KubeletServerOptions): Promise<{ port: number; close(): Promise<void> }> {
  const server = https.createServer({
    key: o.tls.keyPem, cert: o.tls.certPem, ca: o.clientCaPem, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2',
  });
  const target = async (route: Route): Promise<{ node: string; container: string }> => {
    const pod = await o.kube.get(Resources.pods, route.namespace, route.pod);
    if (!pod) throw notFound(`pods "${route.pod}" not found`);
    return { node: podNodeName(pod), container: resolveContainer(pod, route.container) };
  };
  const authorized = (socket: unknown): boolean => (socket as TLSSocket).authorized === true;

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      try {
        if (!authorized(req.socket)) throw new StreamError(401, 'Unauthorized', 'a client certificate from the cluster CA is required');
        const route = parseKubeletPath(req.url ?? '/');
        if (!route || route.kind !== 'logs' || (req.method !== 'GET' && req.method !== 'HEAD')) throw notFound('the server could not find the requested resource');
        const t = await target(route);
        await streamLogs(res, o.tunnel(t.node), t.node, parseLogsQuery(route.query, { namespace: route.namespace, pod: route.pod, container: t.container }));
      } catch (err) {
        writeStatus(res, fail(o.log, err));
      }
    })();
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    void (async () => {
      try {
        if (!authorized(socket)) throw new StreamError(401, 'Unauthorized', 'a client certificate from the cluster CA is required');
        const route = parseKubeletPath(req.url ?? '/');
        if (!route || route.kind !== 'exec') throw notFound('the server could not find the requested resource');
        const t = await target(route);
        const request = parseExecQuery(route.query, { namespace: route.namespace, pod: route.pod, container: t.container });
        await streamExec({ req, socket, head }, o.wss, o.tunnel(t.node), t.node, request);
      } catch (err) {
        if (!socket.destroyed) writeRawStatus(socket, fail(o.log, err));
      }
    })();
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.listen.port, o.listen.address, () => { server.off('error', reject); resolve((server.address() as AddressInfo).port); });
  });
  return {
    port,
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}

function fail(log: Logger, err: unknown): StreamError {
  const e = toStreamError(err);
  if (e.code >= 500) log.warn('stream failed', { error: e.message });
  return e;
}
