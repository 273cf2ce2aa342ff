// dmi: edgecore's side of KubeEdge's Device Management Interface. It serves DeviceManagerService on a
// unix socket for mappers to register and report on, keeps a client to each registered mapper's
// DeviceMapperService, and drives the mappers from the store's device and model changes (dmiworker).
// It implements MapperPort for devicetwin. Nothing here throws past a gRPC status or a log line.
import { statSync } from 'node:fs';
import type { Device, DeviceModel } from '../../api/index.js';
import { loadDmiServices } from '../../api/dmi/index.js';
import { LifecycleWords, type Logger } from '../../core/index.js';
import { DmiWorker } from './dmi-worker.js';
import type { MapperClient } from './mapper-client.js';
import { MapperCalls } from './mapper-calls.js';
import { MapperRegistry } from './mapper-registry.js';
import { mapperRegister, reportDeviceStates, reportDeviceStatus, type ManagerDeps } from './manager-handlers.js';
import { ObjectCache } from './object-cache.js';
import { RateLimiter } from './rate-limiter.js';
import { SerialQueues } from './serial-queues.js';
import { serveUnix, type UnaryHandler, type UnixServer } from './unix-server.js';
import type { DmiMetrics, DmiRateLimit, DmiServerOptions, MapperPort, MapperRecord, MapperView, ReportedTwin } from './types.js';

function isSocket(path: string): boolean {
  try {
    return statSync(path).isSocket();
  } catch {
    return false;
  }
}

const DEFAULT_RATE_LIMIT: DmiRateLimit = { reportsPerSecond: 2000, reportBurst: 4000, registersPerSecond: 5, registerBurst: 20 };

type State = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

export class DmiServer implements MapperPort {
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly registry: MapperRegistry;
  private readonly cache: ObjectCache;
  private readonly queues = new SerialQueues();
  private readonly calls: MapperCalls;
  private readonly worker: DmiWorker;
  private readonly counters: DmiMetrics = {
    registrations: 0, twinReports: 0, stateReports: 0, rejected: 0, rateLimited: 0, mapperCalls: 0, mapperCallFailures: 0, resends: 0,
  };
  private readonly services = loadDmiServices();
  private state: State = 'idle';
  private started: Promise<void> = Promise.resolve();
  private server: UnixServer | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly opts: DmiServerOptions) {
    this.log = opts.log;
    this.now = opts.now ?? Date.now;
    this.registry = new MapperRegistry(this.services.DeviceMapperService.service, opts.callTimeoutMs ?? 10_000);
    this.cache = new ObjectCache(opts.nodeName);
    this.calls = new MapperCalls({
      registry: this.registry, cache: this.cache, queues: this.queues, metrics: this.counters,
      isStopped: () => this.state === 'stopping' || this.state === 'stopped',
    });
    this.worker = new DmiWorker(this.cache, this.calls, this.log, this.counters, opts.watchStore ?? true);
  }

  start(): Promise<void> {
    if (this.state !== 'idle') return Promise.reject(new Error(`dmi: start() in state ${this.state}`));
    const run = this.run();
    this.started = run.then(() => undefined, () => undefined);
    return run;
  }

  private async run(): Promise<void> {
    this.state = 'starting';
    this.log.info(LifecycleWords.starting, { socket: this.opts.socketPath });
    try {
      this.worker.seed(this.opts.store);
      this.restoreMappers();
      this.unsubscribe = this.opts.store.onChange((c) => this.worker.onChange(c));
      this.server = await serveUnix({
        socketPath: this.opts.socketPath,
        mode: this.opts.socketMode ?? 0o660,
        service: this.services.DeviceManagerService.service,
        handlers: this.handlers(),
        log: this.log,
        onReject: () => { this.counters.rejected++; },
      });
    } catch (err) {
      this.unsubscribe?.();
      this.state = 'stopped';
      this.log.error(LifecycleWords.failed, { socket: this.opts.socketPath, error: err instanceof Error ? err.message : String(err) });
      throw err;
    }
    this.state = 'running';
    this.log.info(LifecycleWords.ready, { socket: this.opts.socketPath });
  }

  async stop(): Promise<void> {
    // A stop during start() waits for it, so nothing it opens is left behind.
    if (this.state === 'starting') await this.started;
    if (this.state === 'stopped' || this.state === 'stopping' || this.state === 'idle') {
      this.state = 'stopped';
      return;
    }
    this.state = 'stopping';
    this.log.info(LifecycleWords.stopping);
    this.unsubscribe?.();
    this.registry.closeAll();
    await this.server?.close();
    await this.queues.idle();
    this.state = 'stopped';
    this.log.info(LifecycleWords.stopped);
  }

  private handlers(): Record<string, UnaryHandler> {
    const deps: ManagerDeps = {
      socketPath: this.opts.socketPath,
      registry: this.registry,
      cache: this.cache,
      store: this.opts.store,
      reports: this.opts.reports,
      reportLimiter: this.limiter('reports'),
      registerLimiter: this.limiter('registers'),
      metrics: this.counters,
      log: this.log,
      now: this.now,
      afterRegister: (client, withData) => this.afterRegister(client, withData),
    };
    return {
      MapperRegister: (req) => mapperRegister(deps, req),
      ReportDeviceStatus: (req) => reportDeviceStatus(deps, req),
      ReportDeviceStates: (req) => reportDeviceStates(deps, req),
    };
  }

  private limiter(kind: 'reports' | 'registers'): RateLimiter {
    const r = { ...DEFAULT_RATE_LIMIT, ...this.opts.rateLimit };
    return kind === 'reports'
      ? new RateLimiter(r.reportsPerSecond, r.reportBurst, this.now)
      : new RateLimiter(r.registersPerSecond, r.registerBurst, this.now);
  }

  /** Clients to the mappers registered before a restart whose sockets are still there (KubeEdge's initDeviceMapperInfoFromDB). */
  private restoreMappers(): void {
    let records: MapperRecord[] = [];
    try {
      records = this.opts.mapperRecords?.load() ?? [];
    } catch (err) {
      this.log.warn('mapper records not loaded', { error: err instanceof Error ? err.message : String(err) });
    }
    for (const r of records) {
      if (!isSocket(r.address)) {
        this.log.info('mapper not restored: its socket is gone', { mapper: r.name, protocol: r.protocol, address: r.address });
        continue;
      }
      this.registry.register({ ...r, registeredAt: this.now() });
      this.log.info('mapper restored', { mapper: r.name, protocol: r.protocol, address: r.address });
    }
  }

  /** Keeps the registration; withData=false: the mapper gets every device of its protocol after the answer has gone out. */
  private afterRegister(client: MapperClient, withData: boolean): void {
    const { name, protocol, address, version } = client.id;
    try {
      this.opts.mapperRecords?.save({ name, protocol, address, version });
    } catch (err) {
      this.log.warn('mapper record not saved', { mapper: name, error: err instanceof Error ? err.message : String(err) });
    }
    if (withData) return;
    setImmediate(() => {
      if (this.state !== 'running' || this.registry.forProtocol(client.id.protocol) !== client) return;
      const n = this.worker.resendAll(client.id.protocol);
      if (n > 0) this.log.info('devices sent to registered mapper', { mapper: client.id.name, protocol: client.id.protocol, devices: n });
    });
  }

  mappers(): MapperView[] {
    return this.registry.views();
  }

  metrics(): DmiMetrics & { mappers: number; pendingDevices: number } {
    return { ...this.counters, mappers: this.registry.all().length, pendingDevices: this.cache.pending.size };
  }

  // ---- MapperPort: for devicetwin when it drives the mappers itself (watchStore: false) ----

  registerDevice(device: Device, model: DeviceModel | undefined): Promise<void> {
    return this.calls.registerDevice(device, model);
  }

  updateDevice(device: Device, model: DeviceModel | undefined): Promise<void> {
    return this.calls.updateDevice(device, model);
  }

  removeDevice(device: Device): Promise<void> {
    return this.calls.removeDevice(device);
  }

  createDeviceModel(model: DeviceModel): Promise<void> {
    return this.calls.createDeviceModel(model);
  }

  updateDeviceModel(model: DeviceModel): Promise<void> {
    return this.calls.updateDeviceModel(model);
  }

  removeDeviceModel(model: DeviceModel): Promise<void> {
    return this.calls.removeDeviceModel(model);
  }

  /** DMI GetDevice: the twins the device's mapper holds. Rejects with DmiError. */
  getDeviceTwins(device: Device): Promise<ReportedTwin[]> {
    return this.calls.getDeviceTwins(device);
  }
}
