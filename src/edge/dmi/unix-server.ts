// A gRPC server on a unix socket. A socket file nobody answers on (left by a crash) is removed first,
// as KubeEdge does; one something still answers on, or a path that is not a socket, is refused rather
// than taken over. Handlers return a value or throw; whatever they throw becomes a gRPC status and
// never escapes.
import { chmodSync, lstatSync, mkdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import {
  Server, ServerCredentials, status as GrpcStatus, type ServiceDefinition, type ServiceError, type UntypedServiceImplementation, type handleUnaryCall,
} from '@grpc/grpc-js';
import type { Logger } from '../../core/index.js';
import { DmiRequestError } from './errors.js';

export class DmiSocketError extends Error {
  constructor(readonly socketPath: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DmiSocketError';
  }
}

export type UnaryHandler = (request: never) => unknown;

function answers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(socketPath);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

async function clearStaleSocket(socketPath: string): Promise<void> {
  let st;
  try {
    st = lstatSync(socketPath);
  } catch {
    return;
  }
  if (!st.isSocket()) throw new DmiSocketError(socketPath, `${socketPath} exists and is not a socket; not removing it`);
  if (await answers(socketPath)) throw new DmiSocketError(socketPath, `another process serves ${socketPath}`);
  rmSync(socketPath, { force: true });
}

function toStatus(err: unknown, method: string, log: Logger, onReject: () => void): Partial<ServiceError> {
  onReject();
  if (err instanceof DmiRequestError) {
    log.debug('dmi request refused', { method, code: err.grpcCode, error: err.message });
    return { code: err.grpcCode, details: err.message };
  }
  log.error('dmi request failed', { method, error: err instanceof Error ? err.message : String(err) });
  return { code: GrpcStatus.INTERNAL, details: `${method}: ${err instanceof Error ? err.message : String(err)}` };
}

export interface UnixServer {
  close(): Promise<void>;
}

export async function serveUnix(opts: {
  socketPath: string;
  mode: number;
  service: ServiceDefinition;
  handlers: Record<string, UnaryHandler>;
  log: Logger;
  onReject: () => void;
}): Promise<UnixServer> {
  const { socketPath, log } = opts;
  mkdirSync(dirname(socketPath), { recursive: true, mode: 0o755 });
  await clearStaleSocket(socketPath);
  const impl: UntypedServiceImplementation = {};
  for (const [method, handler] of Object.entries(opts.handlers)) {
    const unary: handleUnaryCall<unknown, unknown> = (call, callback) => {
      Promise.resolve()
        .then(() => handler(call.request as never))
        .then((res) => callback(null, res), (err: unknown) => callback(toStatus(err, method, log, opts.onReject)));
    };
    impl[method] = unary;
  }
  const server = new Server({ 'grpc.max_receive_message_length': 4 * 1024 * 1024 });
  server.addService(opts.service, impl);
  await new Promise<void>((resolve, reject) => {
    server.bindAsync(`unix://${socketPath}`, ServerCredentials.createInsecure(), (err) => (err
      ? reject(new DmiSocketError(socketPath, `cannot serve DMI on ${socketPath}: ${err.message}`, { cause: err }))
      : resolve()));
  });
  chmodSync(socketPath, opts.mode);
  return {
    close: async () => {
      // Answers in flight get a moment to finish; then the rest are cut.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 2000);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      rmSync(socketPath, { force: true });
    },
  };
}
