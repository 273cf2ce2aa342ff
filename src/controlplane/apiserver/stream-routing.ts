// Hands pods/log|exec|attach|portforward to the registered stream handler, for plain HTTP requests
// (kubectl logs) and for protocol upgrades (kubectl exec over WebSocket or SPDY).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { errors } from '../errors.js';
import type { UserInfo } from '../objects/index.js';
import { authenticate } from './authn.js';
import { enforce } from './authz.js';
import { requestUrl, type RequestScope, type ServerContext } from './context.js';
import { isPodStreamSubresource, type PodStreamParams, type PodStreamSubresource } from './pod-streams.js';
import type { Target } from './target.js';
import { parsePath } from './request-info.js';
import { pathNotFound, sendError, sendRawError } from './respond.js';
import { resolveTarget } from './target.js';

function checkMethod(sub: PodStreamSubresource, method: string): void {
  const ok = sub === 'log' ? method === 'GET' || method === 'HEAD' : method === 'GET' || method === 'POST';
  if (!ok) throw errors.methodNotAllowed(`the server does not allow this method on the requested resource: ${method} pods/${sub}`);
}

export async function servePodStream(ctx: ServerContext, scope: RequestScope, t: Target, sub: PodStreamSubresource): Promise<void> {
  checkMethod(sub, scope.method);
  const pod = ctx.api.get(t.ref, t.path.namespace, t.path.name);
  const handler = ctx.streams.require(sub);
  const params: PodStreamParams = { subresource: sub, namespace: t.path.namespace, name: t.path.name, pod, query: scope.query, user: scope.user };
  try {
    await handler(scope.req, scope.res, params);
  } catch (err) {
    sendError(scope.res, err, ctx.log, { stream: `pods/${sub}`, pod: `${t.path.namespace}/${t.path.name}` });
  }
}

/** The server's 'upgrade' event: only pod stream subresources may upgrade. */
export function serveUpgrade(ctx: ServerContext, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  socket.on('error', () => socket.destroy());
  try {
    const { params } = upgradeTarget(ctx, req);
    const handler = ctx.streams.require(params.subresource);
    Promise.resolve(handler(req, undefined, { ...params, upgrade: { socket, head } })).catch((err: unknown) => {
      ctx.log.error('pod stream handler failed', { stream: `pods/${params.subresource}`, err: (err as Error).message, stack: (err as Error).stack });
      socket.destroy();
    });
  } catch (err) {
    sendRawError(socket, err, ctx.log, { upgrade: req.url });
  }
}

function upgradeTarget(ctx: ServerContext, req: IncomingMessage): { params: Omit<PodStreamParams, 'upgrade'> } {
  const url = requestUrl(req);
  const auth = authenticate(req, ctx.tokenVerifiers);
  if (auth.kind !== 'user') throw errors.unauthorized();
  const user: UserInfo = auth.user;
  const path = parsePath(url.pathname);
  if (path.kind !== 'resource' || path.group !== '' || path.resource !== 'pods' || !isPodStreamSubresource(path.subresource)) {
    throw errors.badRequest(`protocol upgrades are only served for pods/exec, pods/attach and pods/portforward, not ${url.pathname}`);
  }
  const sub = path.subresource;
  checkMethod(sub, req.method ?? 'GET');
  const t = resolveTarget(ctx, path);
  if (!t.path.name || !t.path.namespace) throw pathNotFound();
  enforce(ctx.authorize, user, { kind: 'resource', verb: 'create', group: '', resource: 'pods', subresource: sub, namespace: path.namespace, name: path.name });
  const pod = ctx.api.get(t.ref, path.namespace, path.name);
  return { params: { subresource: sub, namespace: path.namespace, name: path.name, pod, query: url.searchParams, user } };
}
