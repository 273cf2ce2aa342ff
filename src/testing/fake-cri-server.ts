// An in-process runtime.v1 server on a unix socket, serving our api.proto, for unit tests of the CRI
// client: it records each request (decoded and raw wire bytes), answers from per-method handlers (a
// handler may throw { code, details }, hang, or return RawReply bytes encoded by hand), and runs a tiny
// v4/v5.channel.k8s.io streaming server for Exec that echoes stdin lines ("exit N" ends with code N).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import {
  Server, status, type MethodDefinition, type ServiceDefinition, type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { WebSocketServer, type WebSocket } from 'ws';
import { loadCriModule } from '../edge/runtime/index.js';
import { startUnixGrpcServer } from './unix-grpc-server.js';

/** A reply given as raw protobuf bytes, to check decoding against hand-encoded field numbers. */
export class RawReply {
  constructor(readonly bytes: Buffer) {}
}

export interface FakeCriCall { method: string; request: Record<string, any>; raw: Buffer }
export type FakeCriHandler = (request: Record<string, any>) => unknown;
export interface FakeExecSession { protocol: string; frames: Buffer[] }

export interface FakeCriServer {
  socket: string;
  endpoint: string;
  calls: FakeCriCall[];
  execSessions: FakeExecSession[];
  callsOf(method: string): FakeCriCall[];
  on(method: string, handler: FakeCriHandler): void;
  /** Stops answering: the socket goes away (in-flight calls see the connection drop). */
  kill(): Promise<void>;
  /** Serves again on the same socket. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const defaults: Record<string, FakeCriHandler> = {
  Version: () => ({ version: '0.1.0', runtimeName: 'fake-cri', runtimeVersion: '1.0.0', runtimeApiVersion: 'v1' }),
};

function statusFrame(exitCode: number): Buffer {
  const body = exitCode === 0
    ? { metadata: {}, status: 'Success' }
    : { metadata: {}, status: 'Failure', message: `command terminated with non-zero exit code: ${exitCode}`, reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] } };
  return Buffer.concat([Buffer.from([3]), Buffer.from(JSON.stringify(body))]);
}

function serveExecSession(ws: WebSocket, session: FakeExecSession): void {
  // Like wsstream: an empty frame opens each output stream.
  ws.send(Buffer.from([1]));
  ws.send(Buffer.from([2]));
  let pending = '';
  const finish = (code: number): void => {
    ws.send(statusFrame(code));
    ws.close(1000);
  };
  ws.on('message', (data: Buffer) => {
    session.frames.push(data);
    if (data[0] === 255 && data[1] === 0) return finish(0); // v5: stdin closed
    if (data[0] !== 0) return;
    pending += data.subarray(1).toString();
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      const exit = /^exit (\d+)$/.exec(line);
      if (exit) return finish(Number(exit[1]));
      ws.send(Buffer.concat([Buffer.from([1]), Buffer.from(`out:${line}\n`)]));
      ws.send(Buffer.concat([Buffer.from([2]), Buffer.from(`err:${line}\n`)]));
    }
  });
}

export async function startFakeCriServer(opts: { execProtocol?: 'v4.channel.k8s.io' | 'v5.channel.k8s.io' } = {}): Promise<FakeCriServer> {
  const dir = mkdtempSync(join(tmpdir(), 'fake-cri-'));
  const socket = join(dir, 'cri.sock');
  const calls: FakeCriCall[] = [];
  const execSessions: FakeExecSession[] = [];
  const handlers = new Map<string, FakeCriHandler>(Object.entries(defaults));

  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (offered) => (offered.has(opts.execProtocol ?? 'v4.channel.k8s.io') ? opts.execProtocol ?? 'v4.channel.k8s.io' : false) });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const execPort = (wss.address() as AddressInfo).port;
  wss.on('connection', (ws) => {
    const session = { protocol: ws.protocol, frames: [] };
    execSessions.push(session);
    serveExecSession(ws, session);
  });
  handlers.set('Exec', () => ({ url: `http://127.0.0.1:${execPort}/exec/token${execSessions.length}` }));

  const services = (await loadCriModule()).loadCriServices();
  const build = (): Server => {
    const server = new Server();
    for (const svc of [services.RuntimeService.service, services.ImageService.service]) {
      const recorded: Record<string, MethodDefinition<any, any>> = {};
      const impl: Record<string, (call: { request: { raw: Buffer; request: Record<string, any> } }, cb: (e: unknown, v?: unknown) => void) => void> = {};
      for (const [method, def] of Object.entries(svc) as [string, MethodDefinition<any, any>][]) {
        recorded[method] = {
          ...def,
          requestDeserialize: (raw: Buffer) => ({ raw, request: def.requestDeserialize(raw) }),
          responseSerialize: (v: unknown) => (v instanceof RawReply ? v.bytes : def.responseSerialize(v)),
        };
        impl[method] = (call: { request: { raw: Buffer; request: Record<string, any> } }, cb: (e: unknown, v?: unknown) => void) => {
          calls.push({ method, request: call.request.request, raw: call.request.raw });
          Promise.resolve()
            .then(() => (handlers.get(method) ?? (() => ({})))(call.request.request))
            .then((v) => cb(null, v), (e: { code?: number; details?: string; message?: string }) =>
              cb({ code: e.code ?? status.UNKNOWN, details: e.details ?? e.message ?? 'error' }));
        };
      }
      server.addService(recorded as ServiceDefinition, impl as unknown as UntypedServiceImplementation);
    }
    return server;
  };
  const { listen, kill } = await startUnixGrpcServer(socket, build);

  return {
    socket, endpoint: `unix://${socket}`, calls, execSessions,
    callsOf: (method) => calls.filter((c) => c.method === method),
    on: (method, handler) => { handlers.set(method, handler); },
    kill,
    restart: listen,
    stop: async () => {
      await kill();
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
