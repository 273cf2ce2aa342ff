// A client to one registered mapper's DeviceMapperService on its unix socket (KubeEdge's DMIClient).
// KubeEdge dials per call; we keep one channel per registration and close it when the mapper registers
// again. Each call waits for the socket (a mapper registers before it serves) but never past its
// deadline, so a mapper that is down costs one deadline, not a hung worker.
import {
  Client, Metadata, credentials, type ChannelOptions, type ClientUnaryCall, type MethodDefinition, type ServiceDefinition, type ServiceError,
} from '@grpc/grpc-js';
import { DmiError, toDmiError } from './errors.js';
import type { MapperState, MapperView } from './types.js';

export type MapperMethod =
  | 'RegisterDevice' | 'RemoveDevice' | 'UpdateDevice' | 'CreateDeviceModel' | 'RemoveDeviceModel' | 'UpdateDeviceModel' | 'GetDevice';

// A restarted mapper is found again quickly (grpc-js backs off up to 2 minutes by default).
const channelOptions: ChannelOptions = {
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 2000,
  'grpc.max_receive_message_length': 4 * 1024 * 1024,
};

export interface MapperIdentity {
  name: string;
  protocol: string;
  /** Socket path (no unix:// prefix). */
  address: string;
  version: string;
  registeredAt: number;
}

export class MapperClient {
  private readonly client: Client;
  private closed = false;
  private state: MapperState = 'registered';
  private lastError: string | undefined;
  private readonly inFlight = new Set<ClientUnaryCall>();
  /** Models (namespace/name) this mapper has been given, so a device's model is sent before the device. */
  readonly knownModels = new Set<string>();

  constructor(
    readonly id: MapperIdentity,
    private readonly service: ServiceDefinition,
    private readonly deadlineMs: number,
  ) {
    this.client = new Client(`unix://${id.address}`, credentials.createInsecure(), channelOptions);
  }

  call<Res = unknown>(method: MapperMethod, request: object): Promise<Res> {
    const ctx = { method, protocol: this.id.protocol, mapper: this.id.name, deadlineMs: this.deadlineMs };
    if (this.closed) {
      return Promise.reject(new DmiError('Unavailable', `DMI ${method} to mapper ${this.id.name}: it registered again or dmi stopped`, ctx));
    }
    const def = this.service[method] as MethodDefinition<object, Res> | undefined;
    if (!def) return Promise.reject(new DmiError('Rejected', `dmi.proto has no method ${method}`, ctx));
    return new Promise<Res>((resolve, reject) => {
      const call = this.client.makeUnaryRequest<object, Res>(
        def.path, def.requestSerialize, def.responseDeserialize, request, new Metadata({ waitForReady: true }),
        { deadline: Date.now() + this.deadlineMs },
        (err: ServiceError | null, res?: Res) => {
          this.inFlight.delete(call);
          if (err) {
            const e = toDmiError(err, ctx);
            this.note(e);
            reject(e);
            return;
          }
          this.note(undefined);
          resolve(res as Res);
        },
      );
      this.inFlight.add(call);
    });
  }

  private note(err: DmiError | undefined): void {
    if (!err) {
      this.state = 'ready';
      this.lastError = undefined;
    } else if (err.code === 'Unavailable' || err.code === 'DeadlineExceeded') {
      this.state = 'unreachable';
      this.lastError = err.message;
    } else {
      // The mapper answered: it is up, it just refused this one.
      this.state = 'ready';
      this.lastError = err.message;
    }
  }

  view(): MapperView {
    return { ...this.id, state: this.state, ...(this.lastError !== undefined ? { lastError: this.lastError } : {}) };
  }

  /** Cancels the calls in flight (they fail as Unavailable) and drops the channel. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const call of this.inFlight) call.cancel();
    this.inFlight.clear();
    this.client.close();
  }
}
