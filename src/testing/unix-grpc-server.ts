// A gRPC server on a unix socket that tests can kill and start again on the same path (a runtime,
// mapper or edgecore restart). `build` makes a fresh Server with its services each time.
import { rmSync } from 'node:fs';
import { ServerCredentials, type Server } from '@grpc/grpc-js';

export interface RestartableUnixServer {
  /** Binds (again); a stale socket file is removed first. */
  listen(): Promise<void>;
  /** Cuts every connection at once and removes the socket file. */
  kill(): Promise<void>;
}

export async function startUnixGrpcServer(socketPath: string, build: () => Server): Promise<RestartableUnixServer> {
  let server: Server | undefined;
  const listen = async (): Promise<void> => {
    rmSync(socketPath, { force: true });
    const s = build();
    await new Promise<void>((resolve, reject) =>
      s.bindAsync(`unix://${socketPath}`, ServerCredentials.createInsecure(), (e) => (e ? reject(e) : resolve())));
    server = s;
  };
  const kill = async (): Promise<void> => {
    server?.forceShutdown();
    server = undefined;
    rmSync(socketPath, { force: true });
  };
  await listen();
  return { listen, kill };
}
