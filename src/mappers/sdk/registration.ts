// Registering with edgecore (KubeEdge mapper-framework grpcclient.RegisterMapper, withData): retried with
// backoff until edgecore answers, since edgecore may start after the mapper; and again, single-flight,
// whenever a report finds edgecore gone (it restarted), so the device list is fresh afterwards.
import type { DeviceModelMsg, DeviceMsg, MapperInfoMsg } from '../../api/dmi/index.js';
import type { Logger } from '../../core/index.js';
import { backoffDelay, REGISTER_BACKOFF, sleep } from './backoff.js';
import type { EdgecoreClient } from './edgecore-client.js';
import { errorMessage } from './errors.js';
import type { MapperConfig, MapperStatus } from './types.js';

/** KubeEdge's common.DeviceStatusOK, sent as MapperInfo.state. */
export const MAPPER_STATE_OK = 'ok';

export function mapperInfo(config: MapperConfig): MapperInfoMsg {
  const c = config.common;
  return {
    name: c.name,
    version: c.version,
    api_version: c.api_version,
    protocol: c.protocol,
    address: Buffer.from(config.grpc_server.socket_path),
    state: MAPPER_STATE_OK,
  };
}

export interface RegistrationDeps {
  client: EdgecoreClient;
  config: MapperConfig;
  log: Logger;
  signal: AbortSignal;
  /** Receives edgecore's devices and models after each successful registration. */
  onRegistered(devices: DeviceMsg[], models: DeviceModelMsg[]): Promise<void>;
}

export class Registration {
  private current: MapperStatus = 'registering';
  private count = 0;
  private loop: Promise<void> | undefined;

  constructor(private readonly deps: RegistrationDeps) {}

  get status(): MapperStatus {
    return this.deps.signal.aborted ? 'stopped' : this.current;
  }

  get registrations(): number {
    return this.count;
  }

  /** Starts registering unless a registration is already under way. */
  trigger(): void {
    if (this.loop || this.deps.signal.aborted) return;
    this.current = 'registering';
    this.loop = this.run().finally(() => (this.loop = undefined));
  }

  /** Resolves when the loop under way (if any) has ended. */
  async settled(): Promise<void> {
    await this.loop;
  }

  private async run(): Promise<void> {
    const { client, config, log, signal } = this.deps;
    const request = { withData: true, mapper: mapperInfo(config) };
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        const res = await client.register(request);
        if (signal.aborted) return;
        this.count++;
        this.current = 'registered';
        log.info('registered', { edgecore: config.common.edgecore_sock, devices: res.deviceList?.length ?? 0, models: res.modelList?.length ?? 0 });
        await this.deps.onRegistered(res.deviceList ?? [], res.modelList ?? []);
        return;
      } catch (err) {
        const delay = backoffDelay(attempt, REGISTER_BACKOFF);
        // The first miss is worth a line; edgecore starting later is normal, so repeats go to debug.
        log[attempt === 0 ? 'warn' : 'debug']('register failed', { edgecore: config.common.edgecore_sock, retryInMs: delay, error: errorMessage(err) });
        await sleep(delay, signal);
      }
    }
  }
}
