// httpGet probes (kubelet: probe/http). 200 <= status < 400 is success; a redirect to another host is
// not followed and counts as success with a warning; same-host redirects are followed up to 10 times.
// HTTPS skips certificate verification and keep-alives are off, as in kubelet's probe transport.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { MAX_PROBE_OUTPUT, type ProbeOutcome } from './exec-probe.js';

/** kubelet sends "kube-probe/<major>.<minor>" unless the probe sets its own User-Agent. */
export const PROBE_USER_AGENT = 'kube-probe/1.31';
const MAX_REDIRECTS = 10;

interface Answer { status: number; location: string | undefined; body: string }

/** kubelet's formatURL: scheme://host:port + path (a missing leading slash is added). */
export function probeURL(scheme: string, hostPort: string, path: string): URL {
  const p = path === '' ? '/' : path.startsWith('/') ? path : `/${path}`;
  return new URL(`${scheme.toLowerCase()}://${hostPort}${p}`);
}

/** Headers as kubelet builds them: the probe's httpHeaders, then User-Agent and Accept defaults. */
export function probeHeaders(list: { name: string; value: string }[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const h of list) (out[h.name.toLowerCase()] ??= []).push(h.value);
  out['user-agent'] ??= [PROBE_USER_AGENT];
  if (out.accept === undefined) out.accept = ['*/*'];
  else if (out.accept[0] === '') delete out.accept; // an explicitly empty Accept means "send none"
  return out;
}

function get(url: URL, list: Record<string, string[]>, signal: AbortSignal): Promise<Answer> {
  const headers: Record<string, string | string[]> = {};
  // Go sends one Host (req.Host); other repeated headers go out as repeated lines.
  for (const [name, values] of Object.entries(list)) headers[name] = name === 'host' || values.length === 1 ? values[0] ?? '' : values;
  return new Promise((resolve, reject) => {
    const opts = { method: 'GET', headers, agent: false as const, signal, rejectUnauthorized: false };
    const req = url.protocol === 'https:' ? httpsRequest(url, opts) : httpRequest(url, opts);
    req.once('error', reject);
    req.once('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = (): void => {
        res.destroy();
        const location = res.headers.location;
        resolve({ status: res.statusCode ?? 0, location, body: Buffer.concat(chunks).subarray(0, MAX_PROBE_OUTPUT).toString('utf8') });
      };
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        // Read at most 10 KiB: the rest of a large body is not worth waiting for.
        if (size >= MAX_PROBE_OUTPUT) done();
      });
      res.once('end', done);
      res.once('error', reject);
    });
    req.end();
  });
}

export function httpTimedOut(url: URL): ProbeOutcome {
  return { result: 'failure', message: `Get ${JSON.stringify(url.href)}: context deadline exceeded (Client.Timeout exceeded while awaiting headers)` };
}

export async function httpProbe(url: URL, headerList: { name: string; value: string }[], signal: AbortSignal): Promise<ProbeOutcome> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { result: 'unknown', message: `unsupported probe scheme ${JSON.stringify(url.protocol.slice(0, -1))}` };
  }
  const headers = probeHeaders(headerList);
  let current = url;
  for (let redirects = 0; ; redirects++) {
    let answer: Answer;
    try {
      answer = await get(current, headers, signal);
    } catch (err) {
      if (signal.aborted) return httpTimedOut(current);
      // Connection errors are failures, not errors (kubelet: "Convert errors into failures to catch timeouts").
      return { result: 'failure', message: `Get ${JSON.stringify(current.href)}: ${err instanceof Error ? err.message : String(err)}` };
    }
    const followable = [301, 302, 303, 307, 308].includes(answer.status) && answer.location !== undefined;
    if (followable) {
      const next = new URL(answer.location as string, current);
      if (next.hostname === url.hostname) {
        if (redirects + 1 >= MAX_REDIRECTS) {
          return { result: 'failure', message: `Get ${JSON.stringify(next.href)}: stopped after ${MAX_REDIRECTS} redirects` };
        }
        current = next;
        continue;
      }
    }
    if (answer.status >= 200 && answer.status < 400) {
      if (answer.status >= 300) return { result: 'success', message: `Probe terminated redirects, Response body: ${answer.body}` };
      return { result: 'success', message: answer.body };
    }
    return { result: 'failure', message: `HTTP probe failed with statuscode: ${answer.status}` };
  }
}
