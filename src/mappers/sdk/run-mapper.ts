// runMapper: a driver plus a config become a running mapper. It serves DeviceMapperService on its socket,
// registers with edgecore (and again after edgecore restarts), runs each device edgecore gives it, and
// serves KubeEdge's mapper HTTP API when common.http_port is set.
import { lstatSync, mkdirSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { loadDmiServices, type TwinMsg } from '../../api/dmi/index.js';
import { DeviceRegistry } from './device-registry.js';
import type { DeviceReporter } from './device-runner.js';
import { createEdgecoreClient, type EdgecoreClient } from './edgecore-client.js';
import { EdgecoreCallError, errorMessage } from './errors.js';
import { DEFAULT_HTTP_ADDRESS, startHttpApi, type HttpApi } from './http-api.js';
import type { ApiBackend } from './http-api-routes.js';
import { mapperServiceImpl } from './mapper-service.js';
import { createPusher } from './push.js';
import { Registration } from './registration.js';
import type { MapperDevice, RunMapperOptions, RunningMapper } from './types.js';
import type { Logger } from '../../core/index.js';

/** How long stop() lets edgecore's calls in flight finish before closing them. */
const SERVER_DRAIN_MS = 2_000;

export async function runMapper(opts: RunMapperOptions): Promise<RunningMapper> {
  const { config, driver, log } = opts;
  const now = opts.now ?? Date.now;
  const socketPath = config.grpc_server.socket_path;
  const services = loadDmiServices();
  const abort = new AbortController();
  const client = createEdgecoreClient({ services, socketPath: config.common.edgecore_sock });
  const pusher = createPusher(log.child('push'));

  let registration: Registration | undefined;
  const reporter = edgecoreReporter(client, log, () => registration);
  const registry = new DeviceRegistry({ driver, reporter, pusher, log: log.child('device'), now }, log);
  registration = new Registration({
    client, config, log, signal: abort.signal,
    onRegistered: (devices, models) => registry.sync(devices, models),
  });

  const server = new Server();
  server.addService(services.DeviceMapperService.service, mapperServiceImpl(registry, log, abort.signal));
  let http: HttpApi | undefined;
  try {
    // The HTTP API first: a taken port fails the start before the socket is bound or anything registered.
    http = await startHttp(opts, apiBackend(registry), now);
    await listen(server, socketPath);
  } catch (err) {
    await http?.close();
    client.close();
    await pusher.close();
    throw err;
  }
  log.info('serving', { socket: socketPath, protocol: config.common.protocol, name: config.common.name });
  registration.trigger();

  let stopping: Promise<void> | undefined;
  const reg = registration;
  return {
    stop: () => (stopping ??= (async () => {
      abort.abort();
      await reg.settled();
      // No new method calls reach devices that are stopping.
      await http?.close();
      await registry.stopAll();
      await shutdown(server);
      removeSocket(socketPath);
      client.close();
      await pusher.close();
      log.info('stopped', { socket: socketPath });
    })()),
    devices: (): MapperDevice[] => registry.devices(),
    lastValues: (namespace, name) => registry.lastValues(namespace, name),
    status: () => reg.status,
    registrations: () => reg.registrations,
    httpAddress: () => (http ? { address: http.address, port: http.port } : undefined),
  };
}

/** opts.http, else common.address / common.http_port; no port (or 0 in the config) = no HTTP API. */
async function startHttp(opts: RunMapperOptions, backend: ApiBackend, now: () => number): Promise<HttpApi | undefined> {
  const { common } = opts.config;
  const port = opts.http ? opts.http.port : common.http_port ?? 0;
  if (!opts.http && port === 0) return undefined;
  const address = opts.http?.address || common.address || DEFAULT_HTTP_ADDRESS;
  return startHttpApi({ address, port, backend, log: opts.log.child('http'), now });
}

function apiBackend(registry: DeviceRegistry): ApiBackend {
  return {
    device: (namespace, name) => registry.runner(namespace, name),
    model: (namespace, name) => registry.modelOfDevice(namespace, name),
  };
}

/**
 * Reports go to edgecore only while registered. A report that finds edgecore gone (UNAVAILABLE) starts
 * registering again: edgecore restarted and must learn the mapper's address anew.
 */
function edgecoreReporter(client: EdgecoreClient, log: Logger, registration: () => Registration | undefined): DeviceReporter {
  const lastError = new Map<string, string>();
  const send = async (device: MapperDevice, kind: string, call: () => Promise<void>): Promise<void> => {
    const reg = registration();
    if (reg?.status !== 'registered') return;
    const key = `${kind} ${device.namespace}/${device.name}`;
    try {
      await call();
      lastError.delete(key);
    } catch (err) {
      if (err instanceof EdgecoreCallError && err.unavailable) {
        log.warn('edgecore unavailable, registering again', { error: err.message });
        reg.trigger();
        return;
      }
      // Logged once per distinct error, not once per cycle.
      const msg = errorMessage(err);
      if (lastError.get(key) !== msg) log.warn('report failed', { device: `${device.namespace}/${device.name}`, kind, error: msg });
      lastError.set(key, msg);
    }
  };
  return {
    twins: (device, twins: TwinMsg[]) => send(device, 'twins', () =>
      client.reportStatus({ deviceName: device.name, deviceNamespace: device.namespace, reportedDevice: { twins } })),
    state: (device, state) => send(device, 'state', () =>
      client.reportStates({ deviceName: device.name, deviceNamespace: device.namespace, state })),
  };
}

async function listen(server: Server, socketPath: string): Promise<void> {
  mkdirSync(dirname(socketPath), { recursive: true });
  removeSocket(socketPath);
  await new Promise<void>((resolve, reject) => {
    server.bindAsync(`unix://${socketPath}`, ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve()));
  });
}

/** A socket left by a mapper that died is removed (KubeEdge's initSock); any other file is not ours. */
function removeSocket(socketPath: string): void {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(socketPath).isSocket();
  } catch {
    return;
  }
  if (!isSocket) throw new Error(`${socketPath} exists and is not a socket; refusing to replace it`);
  unlinkSync(socketPath);
}

async function shutdown(server: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, SERVER_DRAIN_MS);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
