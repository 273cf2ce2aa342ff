// kubectl logs through the tunnel: a chunked text/plain answer fed by the edge's log session. The
// answer starts only once the edge found the container, so "not found" is still a proper Status.
import type { ServerResponse } from 'node:http';
import type { LogsRequest } from '../../core/tunnel/index.js';
import type { NodeTunnel } from './node-tunnel.js';
import { fromSessionError, unavailable } from './status.js';

export const offlineMessage = (node: string): string =>
  `node ${node} is not connected to cloudstream (offline, or its edgestream is disabled)`;

/** Throws StreamError before the answer starts; afterwards a failure cuts the answer short. */
export async function streamLogs(res: ServerResponse, tunnel: NodeTunnel | undefined, node: string, req: LogsRequest): Promise<void> {
  if (!tunnel) throw unavailable(offlineMessage(node));
  let started = false;
  const early: { bytes: Buffer; done: () => void }[] = [];
  const session = tunnel.open(req, {
    onData: (_channel, bytes, done) => {
      if (started) res.write(bytes, () => done());
      else early.push({ bytes, done });
    },
  });
  res.once('close', () => session.close());
  try {
    await session.ready;
  } catch (err) {
    throw fromSessionError(err as Parameters<typeof fromSessionError>[0]);
  }
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked', 'X-Content-Type-Options': 'nosniff' });
  res.flushHeaders();
  started = true;
  for (const e of early.splice(0)) res.write(e.bytes, () => e.done());
  const end = await session.ended;
  if (end.kind === 'lost') res.destroy();
  else res.end();
}
