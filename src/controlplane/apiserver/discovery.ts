// Discovery: /api, /apis, /apis/<g>, /api/v1, /apis/<g>/<v>. /api and /apis also answer the aggregated
// form (apidiscovery.k8s.io v2 or v2beta1) when the client lists it in Accept, with that exact
// Content-Type, which is what kubectl 1.30+ asks first. Built from the live catalog, so a new CRD
// shows up at once.
import { createHash } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { aggregatedDiscovery, apiGroup, apiGroupList, apiResourceList, coreApiVersions } from '../openapi/index.js';
import type { RequestScope, ServerContext } from './context.js';
import { discoveryContentType, negotiateDiscovery, requireJson } from './negotiate.js';
import type { DiscoveryPath } from './request-info.js';
import { pathNotFound, sendJson } from './respond.js';

function serverAddress(scope: RequestScope): string {
  const socket = scope.req.socket as TLSSocket;
  const host = socket.localAddress ?? '127.0.0.1';
  const bare = host.startsWith('::ffff:') ? host.slice(7) : host;
  return `${bare.includes(':') ? `[${bare}]` : bare}:${socket.localPort ?? 0}`;
}

function namedGroups(ctx: ServerContext): ReturnType<ServerContext['catalog']['groups']> {
  return ctx.catalog.groups().filter((g) => g.name !== '');
}

function sendAggregated(ctx: ServerContext, scope: RequestScope, scopeName: 'core' | 'apis', version: 'v2' | 'v2beta1'): void {
  const body = aggregatedDiscovery(scopeName, ctx.catalog.groups(), ctx.catalog.all(), version);
  const json = JSON.stringify(body);
  const etag = `"${createHash('sha256').update(json).digest('hex').slice(0, 32).toUpperCase()}"`;
  const headers = { ETag: etag, Vary: 'Accept' };
  if (scope.req.headers['if-none-match'] === etag) {
    scope.res.writeHead(304, headers);
    scope.res.end();
    return;
  }
  sendJson(scope.res, 200, body, { pretty: scope.pretty, contentType: discoveryContentType(version), headers });
}

export function serveDiscovery(ctx: ServerContext, scope: RequestScope, path: DiscoveryPath): void {
  const accept = scope.req.headers.accept;
  const send = (body: unknown): void => sendJson(scope.res, 200, body, { pretty: scope.pretty, headers: { Vary: 'Accept' } });
  switch (path.kind) {
    case 'api-versions': {
      const format = negotiateDiscovery(accept);
      if (format !== 'legacy') return sendAggregated(ctx, scope, 'core', format);
      return send(coreApiVersions(serverAddress(scope)));
    }
    case 'api-groups': {
      const format = negotiateDiscovery(accept);
      if (format !== 'legacy') return sendAggregated(ctx, scope, 'apis', format);
      return send(apiGroupList(namedGroups(ctx)));
    }
    case 'api-group': {
      requireJson(accept);
      const group = namedGroups(ctx).find((g) => g.name === path.group);
      if (!group) throw pathNotFound();
      return send(apiGroup(group));
    }
    case 'api-resources': {
      requireJson(accept);
      const defs = ctx.catalog.all().filter((d) => d.group === path.group && d.versions.includes(path.version));
      if (defs.length === 0) throw pathNotFound();
      const gv = path.group ? `${path.group}/${path.version}` : path.version;
      return send(apiResourceList(gv, defs));
    }
  }
}
