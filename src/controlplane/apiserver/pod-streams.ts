// pods/log, pods/exec, pods/attach and pods/portforward are streams served by whoever reaches the
// node (the edge issues register handlers here). The API server authenticates, checks the pod
// exists, and hands over the request; a missing handler is a clean 503 Status, never a crash.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { KubeObject } from '../../api/index.js';
import { ApiError } from '../errors.js';
import type { UserInfo } from '../objects/index.js';

export const podStreamSubresources = ['log', 'exec', 'attach', 'portforward'] as const;
export type PodStreamSubresource = (typeof podStreamSubresources)[number];

export function isPodStreamSubresource(s: string): s is PodStreamSubresource {
  return (podStreamSubresources as readonly string[]).includes(s);
}

export interface PodStreamParams {
  subresource: PodStreamSubresource;
  namespace: string;
  name: string;
  /** The pod as stored (spec.nodeName says which node to reach). */
  pod: KubeObject;
  /** Query parameters: container, follow, tailLines, command, stdin, stdout, tty, ports, ... */
  query: URLSearchParams;
  user: UserInfo;
  /**
   * Set when the client asked for a protocol upgrade (exec/attach/portforward over WebSocket
   * `v5.channel.k8s.io`/`v4.channel.k8s.io`, or SPDY): the raw socket and the bytes read past the
   * headers. The handler then owns the socket (e.g. `ws` `handleUpgrade(req, socket, head, ...)`).
   */
  upgrade?: { socket: Duplex; head: Buffer };
}

/** `res` is set for plain HTTP requests (kubectl logs) and undefined exactly when `params.upgrade` is set. */
export type PodStreamHandler = (req: IncomingMessage, res: ServerResponse | undefined, params: PodStreamParams) => void | Promise<void>;

export class PodStreamRegistry {
  readonly #handlers = new Map<PodStreamSubresource, PodStreamHandler>();

  register(name: PodStreamSubresource, handler: PodStreamHandler): void {
    this.#handlers.set(name, handler);
  }

  /** The handler, or a 503 Status explaining that nobody serves this stream yet. */
  require(name: PodStreamSubresource): PodStreamHandler {
    const handler = this.#handlers.get(name);
    if (!handler) {
      throw new ApiError(503, 'ServiceUnavailable', `pods/${name} is not available: no stream handler registered`,
        { group: '', kind: 'pods' });
    }
    return handler;
  }
}
