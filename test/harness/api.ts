// A tiny raw HTTPS client for e2e tests that need to speak to the API directly (bad input, playing a
// kubelet). Everything else in e2e tests goes through kubectl or @kubernetes/client-node.
import { request } from 'node:https';
import { kubeconfigCredentials } from './cloudcore.js';

export interface ApiResponse { status: number; headers: Record<string, string | string[] | undefined>; text: string; json<T = any>(): T }

export interface ApiRequestOptions { body?: string | Buffer; contentType?: string; accept?: string; timeoutMs?: number; anonymous?: boolean }

export function apiRequest(kubeconfig: string, url: string, method: string, path: string, options: ApiRequestOptions = {}): Promise<ApiResponse> {
  const creds = kubeconfigCredentials(kubeconfig);
  const headers: Record<string, string> = { ...(options.anonymous ? {} : creds.headers), accept: options.accept ?? 'application/json' };
  if (options.body !== undefined) {
    headers['content-type'] = options.contentType ?? 'application/json';
    // Node sends DELETE bodies without a length unless told; Go clients always send one.
    headers['content-length'] = String(Buffer.byteLength(options.body));
  }
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, {
      method, headers, ca: creds.ca,
      ...(options.anonymous ? {} : { cert: creds.cert, key: creds.key }),
      timeout: options.timeoutMs ?? 30_000,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.end(options.body);
  });
}
