// The `cri` ContainerRuntime: runtime.v1 over gRPC on a unix socket (containerd). Connecting means a
// Version call answered; a socket nobody answers on is RuntimeError 'Unavailable' naming the socket.
import { Client, credentials, type ChannelOptions } from '@grpc/grpc-js';
import type { Logger } from '../../../core/index.js';
import { RuntimeError, type ContainerRuntime } from '../types.js';
import { loadCriServices, serviceDefinition } from './proto.js';
import { unaryCaller } from './unary-call.js';
import { criSocketPath } from './socket-path.js';
import { criRuntimeService, type ExecTransport } from './runtime-service.js';
import { criImageService } from './image-service.js';

export interface CriRuntimeOptions {
  /** unix:///path/to/containerd.sock or /path/to/containerd.sock. */
  endpoint: string;
  log: Logger;
  /** Deadline of each query call; default 10 s. */
  timeoutMs?: number;
  /** Deadline of sandbox/container lifecycle calls; default 2 min (kubelet's runtime-request-timeout). */
  lifecycleTimeoutMs?: number;
  /** Deadline of PullImage; default 5 min. */
  pullTimeoutMs?: number;
  /** Streaming exec transport; default 'spdy' (containerd 1.6 has no websocket stdin EOF). */
  execTransport?: ExecTransport;
}

/** The socket path of a unix endpoint ('unix:///p', 'unix:/p' or '/p'). */
// Reconnect quickly after containerd restarts (grpc-js defaults back off to 2 minutes); cap messages
// at 16 MiB as kubelet does, ExecSync output included.
const channelOptions: ChannelOptions = {
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 2000,
  'grpc.max_receive_message_length': 16 * 1024 * 1024,
  'grpc.max_send_message_length': 16 * 1024 * 1024,
};

export async function createCriRuntime(opts: CriRuntimeOptions): Promise<ContainerRuntime> {
  const socket = criSocketPath(opts.endpoint);
  const address = `unix://${socket}`;
  const queryMs = opts.timeoutMs ?? 10_000;
  const services = loadCriServices();
  const rtDef = serviceDefinition(services, 'RuntimeService');
  const imgDef = serviceDefinition(services, 'ImageService');
  // One generic client (one connection) serves both services: calls name their full method path.
  const client = new Client(address, credentials.createInsecure(), channelOptions);
  const runtime = criRuntimeService(unaryCaller(client, rtDef, socket), {
    queryMs, lifecycleMs: opts.lifecycleTimeoutMs ?? 120_000, longMs: opts.pullTimeoutMs ?? 300_000,
  }, opts.execTransport ?? 'spdy');
  const images = criImageService(unaryCaller(client, imgDef, socket), { queryMs, pullMs: opts.pullTimeoutMs ?? 300_000 });
  const close = async (): Promise<void> => {
    client.close();
  };

  try {
    const v = await runtime.version();
    opts.log.info('cri connected', { endpoint: address, runtimeName: v.runtimeName, runtimeVersion: v.runtimeVersion, apiVersion: v.runtimeApiVersion });
  } catch (err) {
    await close();
    const code = err instanceof RuntimeError ? err.code : 'Unknown';
    const detail = err instanceof Error ? err.message : String(err);
    if (code === 'Unimplemented') {
      throw new RuntimeError('Unimplemented', `the runtime on ${socket} does not serve CRI runtime.v1: ${detail}`, { cause: err });
    }
    throw new RuntimeError('Unavailable', `no CRI runtime answers on ${socket}: ${detail}`, { cause: err });
  }

  return { kind: 'cri', isolates: true, runtime, images, close };
}
