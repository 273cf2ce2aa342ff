// The mapper's client of edgecore's DeviceManagerService (KubeEdge mapper-framework pkg/grpcclient):
// MapperRegister, ReportDeviceStatus, ReportDeviceStates over edgecore's unix socket. One channel is kept
// open (grpc-js reconnects it); every call has a deadline and fails fast while edgecore is away.
import { credentials, type Client, type ServiceError } from '@grpc/grpc-js';
import type {
  DmiServices, MapperRegisterRequest, MapperRegisterResponse, ReportDeviceStatesRequest, ReportDeviceStatusRequest,
} from '../../api/dmi/index.js';
import { EdgecoreCallError } from './errors.js';

export const DEFAULT_CALL_TIMEOUT_MS = 5_000;

export interface EdgecoreClient {
  register(req: MapperRegisterRequest): Promise<MapperRegisterResponse>;
  reportStatus(req: ReportDeviceStatusRequest): Promise<void>;
  reportStates(req: ReportDeviceStatesRequest): Promise<void>;
  close(): void;
}

type Unary = (req: unknown, opts: { deadline: Date }, cb: (err: ServiceError | null, res?: unknown) => void) => void;

export function createEdgecoreClient(opts: { services: DmiServices; socketPath: string; timeoutMs?: number }): EdgecoreClient {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const client = new opts.services.DeviceManagerService(`unix://${opts.socketPath}`, credentials.createInsecure()) as Client & Record<string, Unary>;

  const call = <T>(method: string, req: unknown): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const fn = client[method] as Unary;
      fn.call(client, req, { deadline: new Date(Date.now() + timeoutMs) }, (err, res) => {
        if (err) reject(new EdgecoreCallError(method, err.code, err.details || err.message, { cause: err }));
        else resolve(res as T);
      });
    });

  return {
    register: (req) => call<MapperRegisterResponse>('MapperRegister', req),
    reportStatus: async (req) => {
      await call('ReportDeviceStatus', req);
    },
    reportStates: async (req) => {
      await call('ReportDeviceStates', req);
    },
    close: () => client.close(),
  };
}
