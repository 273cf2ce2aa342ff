// kubectl exec through the tunnel: the client's WebSocket (channel protocol v5/v4) on one side, the
// edge's exec session on the other. The upgrade is accepted only after the edge started the command,
// so an offline node or a missing container is refused with a Status, as the API server would.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type WebSocket from 'ws';
import { WebSocketServer } from 'ws';
import type { ExecRequestFrame } from '../../core/tunnel/index.js';
import {
  Channels, decodeClientMessage, encodeChannel, exitStatus, failureStatus, offeredProtocols, pickProtocol, type ChannelProtocol,
} from './channel-protocol.js';
import type { SessionEnd } from './cloud-session.js';
import type { NodeTunnel } from './node-tunnel.js';
import { offlineMessage } from './serve-logs.js';
import { badRequest, fromSessionError, unavailable } from './status.js';

/** One per cloudstream: picks the best channel protocol the client offers. */
export function execWebSocketServer(): WebSocketServer {
  return new WebSocketServer({ noServer: true, perMessageDeflate: false, handleProtocols: (offered) => pickProtocol(offered) ?? false });
}

export interface ExecUpgrade { req: IncomingMessage; socket: Duplex; head: Buffer }

/** Throws StreamError while the upgrade can still be refused; resolves when the session is over. */
export async function streamExec(up: ExecUpgrade, wss: WebSocketServer, tunnel: NodeTunnel | undefined, node: string, req: ExecRequestFrame): Promise<void> {
  if (!tunnel) throw unavailable(offlineMessage(node));
  const websocket = (up.req.headers.upgrade ?? '').toLowerCase() === 'websocket';
  const protocol = pickProtocol(offeredProtocols(up.req.headers['sec-websocket-protocol']));
  if (!websocket || !protocol) {
    // kubectl retries over SPDY after any refused WebSocket upgrade and shows the SPDY answer, so
    // that answer carries the real reason (container missing, not running) when there is one.
    await checkExec(tunnel, req);
    throw badRequest(websocket
      ? 'none of the offered WebSocket subprotocols is supported; use v5.channel.k8s.io or v4.channel.k8s.io'
      : 'exec is served over WebSocket (v5.channel.k8s.io, v4.channel.k8s.io) only; SPDY is not supported');
  }
  let ws: WebSocket | undefined;
  const early: { message: Buffer; done: () => void }[] = [];
  const session = tunnel.open(req, {
    onData: (channel, bytes, done) => {
      const message = encodeChannel(channel, bytes);
      if (ws) ws.send(message, () => done());
      else early.push({ message, done });
    },
  });
  const onGone = (): void => session.close();
  up.socket.once('close', onGone);
  try {
    await session.ready;
  } catch (err) {
    throw fromSessionError(err as Parameters<typeof fromSessionError>[0]);
  } finally {
    up.socket.off('close', onGone);
  }
  ws = await new Promise<WebSocket>((resolve) => wss.handleUpgrade(up.req, up.socket, up.head, resolve));
  const client = ws;
  for (const e of early.splice(0)) client.send(e.message, () => e.done());
  client.on('message', (data: Buffer, isBinary: boolean) => onClientMessage(client, session, data, isBinary, protocol));
  client.on('close', () => session.close());
  client.on('error', () => session.close());
  const end = await session.ended;
  finish(client, end, req.command);
}

async function checkExec(tunnel: NodeTunnel, req: ExecRequestFrame): Promise<void> {
  const probe = tunnel.open({ ...req, checkOnly: true }, { onData: (_c, _b, done) => done() });
  try {
    await probe.ready;
  } catch (err) {
    throw fromSessionError(err as Parameters<typeof fromSessionError>[0]);
  } finally {
    probe.close();
  }
}

function onClientMessage(ws: WebSocket, session: { writeStdin(b: Buffer): Promise<void>; stdinEnd(): void; resize(w: number, h: number): void }, data: Buffer, isBinary: boolean, protocol: ChannelProtocol): void {
  // kubectl sends binary frames; text frames are not part of the protocol.
  if (!isBinary) return;
  const m = decodeClientMessage(data, protocol);
  if (m.kind === 'stdin') {
    // Stop reading the client while the edge has no window left for its stdin.
    ws.pause();
    void session.writeStdin(m.bytes).finally(() => ws.resume());
  } else if (m.kind === 'resize') {
    session.resize(m.width, m.height);
  } else if (m.kind === 'close' && m.channel === Channels.stdin) {
    session.stdinEnd();
  }
}

function finish(ws: WebSocket, end: SessionEnd, command: readonly string[]): void {
  if (end.kind === 'closed' && ws.readyState !== ws.OPEN) return;
  let status: Record<string, unknown>;
  if (end.kind === 'exit') status = exitStatus(end.info.exitCode, command, end.info.message);
  else if (end.kind === 'error') status = failureStatus(end.error.message);
  else if (end.kind === 'lost') status = failureStatus('the edge node disconnected during exec');
  else status = failureStatus('the session was closed');
  if (ws.readyState === ws.OPEN) {
    ws.send(encodeChannel(Channels.status, Buffer.from(JSON.stringify(status))));
    ws.close(1000);
  }
}
