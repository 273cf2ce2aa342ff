// KubeClient over HTTPS: credentials from @kubernetes/client-node's KubeConfig, requests with
// node:https on one keep-alive agent (connection reuse matters: cloudcore writes node and pod status
// for thousands of nodes), a client-side token bucket (cloudcore's kubeAPIConfig qps/burst), and
// Kubernetes Status answers turned into KubeError.
import * as http from 'node:http';
import * as https from 'node:https';
import type { KubeObject } from '../../api/index.js';
import { loadCredentials, type Credentials } from './credentials.js';
import { listQuery, resourcePath } from './paths.js';
import { TokenBucket } from './token-bucket.js';
import {
  KubeError, type KubeClient, type ListOptions, type ObjectList, type PatchType, type ResourceRef, type WatchEvent,
  type WatchOptions,
} from './types.js';
import { LineSplitter, decodeWatchLine } from './watch-stream.js';

export { TokenBucket } from './token-bucket.js';

export interface KubeClientOptions {
  kubeconfigPath: string;
  /** Requests per second (default 100, KubeEdge's kubeAPIConfig.qps); <= 0 disables the limit. */
  qps?: number;
  /** Burst (default 200, KubeEdge's kubeAPIConfig.burst). */
  burst?: number;
  /** Sockets kept per server (default 32). */
  maxSockets?: number;
  /** Idle limit of a non-watch request in ms (default 60 s). */
  requestTimeoutMs?: number;
}

const contentTypes: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
};

interface Req {
  method: string;
  path: string;
  body?: unknown;
  contentType?: string;
  /** Set for watches: they hold their connection for minutes, so they get their own agent. */
  signal?: AbortSignal;
}

/** Creates the client; credentials are loaded on the first request (and errors reported there). */
export function createKubeClient(opts: KubeClientOptions): KubeClient {
  return new HttpsKubeClient(opts);
}

class HttpsKubeClient implements KubeClient {
  private creds: Promise<Credentials> | undefined;
  private agent: http.Agent | undefined;
  private watchAgent: http.Agent | undefined;
  private readonly bucket: TokenBucket;

  constructor(private readonly opts: KubeClientOptions) {
    this.bucket = new TokenBucket({ qps: opts.qps ?? 100, burst: opts.burst ?? 200 });
  }

  async get(ref: ResourceRef, namespace: string | null, name: string): Promise<KubeObject | undefined> {
    try {
      return await this.json<KubeObject>({ method: 'GET', path: resourcePath(ref, namespace, name) });
    } catch (err) {
      if (err instanceof KubeError && err.status === 404) return undefined;
      throw err;
    }
  }

  async list(ref: ResourceRef, opts: ListOptions = {}): Promise<ObjectList> {
    const body = await this.json<{ items?: KubeObject[]; metadata?: { resourceVersion?: string } }>({
      method: 'GET', path: resourcePath(ref, opts.namespace) + listQuery(opts),
    });
    // List items carry no apiVersion/kind on the wire; fill them so consumers see whole objects.
    const apiVersion = ref.group ? `${ref.group}/${ref.version}` : ref.version;
    const items = (body.items ?? []).map((o) => ({ ...o, apiVersion: o.apiVersion ?? apiVersion, kind: o.kind ?? ref.kind }));
    return { items, resourceVersion: body.metadata?.resourceVersion ?? '' };
  }

  create(ref: ResourceRef, obj: KubeObject): Promise<KubeObject> {
    return this.json({ method: 'POST', path: resourcePath(ref, obj.metadata.namespace), body: obj });
  }

  update(ref: ResourceRef, obj: KubeObject, subresource?: 'status'): Promise<KubeObject> {
    const path = resourcePath(ref, obj.metadata.namespace, obj.metadata.name ?? '', subresource);
    return this.json({ method: 'PUT', path, body: obj });
  }

  patch(
    ref: ResourceRef, namespace: string | null, name: string, body: unknown, type: PatchType, subresource?: 'status',
  ): Promise<KubeObject> {
    return this.json({ method: 'PATCH', path: resourcePath(ref, namespace, name, subresource), body, contentType: contentTypes[type] });
  }

  async delete(ref: ResourceRef, namespace: string | null, name: string,
    opts: { uid?: string; propagationPolicy?: string; gracePeriodSeconds?: number } = {}): Promise<void> {
    const body: Record<string, unknown> = { apiVersion: 'v1', kind: 'DeleteOptions' };
    if (opts.uid) body['preconditions'] = { uid: opts.uid };
    // A terminating pod whose containers ended is deleted at once (grace 0), as kubelet's final delete.
    if (opts.gracePeriodSeconds !== undefined) body['gracePeriodSeconds'] = opts.gracePeriodSeconds;
    if (opts.propagationPolicy) body['propagationPolicy'] = opts.propagationPolicy;
    try {
      await this.json({ method: 'DELETE', path: resourcePath(ref, namespace, name), body });
    } catch (err) {
      if (err instanceof KubeError && err.status === 404) return;
      throw err;
    }
  }

  async watch(ref: ResourceRef, opts: WatchOptions, onEvent: (ev: WatchEvent) => void, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    const query = listQuery(opts, {
      watch: '1',
      resourceVersion: opts.resourceVersion,
      allowWatchBookmarks: 'true',
      timeoutSeconds: opts.timeoutSeconds === undefined ? undefined : String(opts.timeoutSeconds),
    });
    const res = await this.send({ method: 'GET', path: resourcePath(ref, opts.namespace) + query, signal });
    if (res === undefined) return;
    if ((res.statusCode ?? 0) >= 300) throw await errorOf(res);
    await streamEvents(res, onEvent, signal);
  }

  private async json<T>(req: Req): Promise<T> {
    const res = await this.send(req);
    if (res === undefined) throw new KubeError(499, 'Aborted', 'request aborted');
    if ((res.statusCode ?? 0) >= 300) throw await errorOf(res);
    const text = await readBody(res);
    return (text === '' ? {} : JSON.parse(text)) as T;
  }

  /** Sends a request; resolves with the response, or undefined when `signal` aborted it. */
  private async send(req: Req): Promise<http.IncomingMessage | undefined> {
    const creds = await this.credentials();
    await this.bucket.acquire();
    if (req.signal?.aborted) return undefined;
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    const headers: Record<string, string | number> = { ...(await creds.headers()), Accept: 'application/json' };
    if (body !== undefined) {
      headers['Content-Type'] = req.contentType ?? 'application/json';
      headers['Content-Length'] = Buffer.byteLength(body);
    }
    const server = creds.server;
    const options: https.RequestOptions = {
      method: req.method, hostname: server.hostname.replace(/^\[(.*)\]$/, '$1'), port: server.port,
      path: `${server.pathname.replace(/\/$/, '')}${req.path}`, headers, ...creds.tls,
      agent: req.signal ? this.watchAgentFor(creds) : this.agentFor(creds),
    };
    const lib = creds.server.protocol === 'http:' ? http : https;
    return new Promise((resolve, reject) => {
      const r = lib.request(options, resolve);
      const onAbort = (): void => { r.destroy(); resolve(undefined); };
      req.signal?.addEventListener('abort', onAbort, { once: true });
      r.on('close', () => req.signal?.removeEventListener('abort', onAbort));
      r.on('error', (err) => { if (!req.signal?.aborted) reject(err); });
      // Watches stream for minutes; other requests give up on a silent server.
      if (!req.signal) r.setTimeout(this.opts.requestTimeoutMs ?? 60_000, () => r.destroy(new Error(`kube ${req.method} timed out`)));
      r.end(body);
    });
  }

  private credentials(): Promise<Credentials> {
    this.creds ??= loadCredentials(this.opts.kubeconfigPath);
    return this.creds;
  }

  /** Watches do not count against maxSockets, so many informers cannot starve ordinary requests. */
  private watchAgentFor(creds: Credentials): http.Agent {
    this.watchAgent ??= creds.server.protocol === 'http:' ? new http.Agent() : new https.Agent({ ...creds.tls });
    return this.watchAgent;
  }

  private agentFor(creds: Credentials): http.Agent {
    const common = { keepAlive: true, maxSockets: this.opts.maxSockets ?? 32 };
    this.agent ??= creds.server.protocol === 'http:' ? new http.Agent(common) : new https.Agent({ ...common, ...creds.tls });
    return this.agent;
  }
}

function readBody(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

/** A non-2xx answer → KubeError with the Status reason and message when the body is a Status. */
async function errorOf(res: http.IncomingMessage): Promise<KubeError> {
  const status = res.statusCode ?? 500;
  const text = await readBody(res).catch(() => '');
  let reason = res.statusMessage ?? 'Unknown';
  let message = text.slice(0, 512) || `HTTP ${status}`;
  try {
    const s = JSON.parse(text) as { reason?: unknown; message?: unknown };
    if (typeof s.reason === 'string' && s.reason !== '') reason = s.reason;
    if (typeof s.message === 'string') message = s.message;
  } catch {
    // not a Status body: keep the HTTP reason phrase and the text
  }
  return new KubeError(status, reason, message);
}

/** Feeds watch events to onEvent until the stream ends (resolve), aborts (resolve) or fails (reject). */
function streamEvents(res: http.IncomingMessage, onEvent: (ev: WatchEvent) => void, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const lines = new LineSplitter();
    let done = false;
    const finish = (err?: unknown): void => {
      if (done) return;
      done = true;
      signal.removeEventListener('abort', onAbort);
      res.destroy();
      if (err !== undefined && !signal.aborted) reject(err); else resolve();
    };
    const onAbort = (): void => finish();
    signal.addEventListener('abort', onAbort, { once: true });
    res.on('data', (chunk: Buffer) => {
      try {
        for (const line of lines.push(chunk)) {
          if (done) return;
          onEvent(decodeWatchLine(line));
        }
      } catch (err) {
        finish(err);
      }
    });
    res.on('end', () => finish());
    res.on('error', (err) => finish(err));
    res.on('close', () => finish());
  });
}
