// DeviceMapperService, the mapper's gRPC server that edgecore calls (KubeEdge mapper-framework
// pkg/grpcserver): device and model changes go to the registry; typed errors become gRPC statuses here.
import { status, type sendUnaryData, type ServerUnaryCall, type UntypedServiceImplementation } from '@grpc/grpc-js';
import type {
  CreateDeviceModelRequest, DeviceMsg, GetDeviceRequest, RegisterDeviceRequest, RemoveDeviceModelRequest, RemoveDeviceRequest,
  UpdateDeviceModelRequest, UpdateDeviceRequest,
} from '../../api/dmi/index.js';
import type { Logger } from '../../core/index.js';
import { sleep } from './backoff.js';
import type { DeviceRegistry } from './device-registry.js';
import { DmiRequestError, errorMessage } from './errors.js';

/** KubeEdge waits up to 3 × 1 s for a device's model to arrive before refusing RegisterDevice. */
export const MODEL_WAIT_MS = 3_000;
const MODEL_POLL_MS = 100;

type Handler<Req> = (req: Req) => Promise<unknown>;

export function mapperServiceImpl(registry: DeviceRegistry, log: Logger, signal: AbortSignal): UntypedServiceImplementation {
  const unary = <Req>(method: string, fn: Handler<Req>) =>
    (call: ServerUnaryCall<Req, unknown>, callback: sendUnaryData<unknown>): void => {
      fn(call.request).then(
        (res) => callback(null, res),
        (err: unknown) => {
          const code = err instanceof DmiRequestError ? err.grpcCode : status.INTERNAL;
          log.warn('request refused', { method, error: errorMessage(err) });
          callback({ code, details: errorMessage(err) });
        },
      );
    };

  const deviceOf = (device: DeviceMsg | null | undefined): DeviceMsg => {
    if (!device?.name) throw new DmiRequestError('invalid_argument', 'request has no device');
    return device;
  };

  const waitForModel = async (d: DeviceMsg): Promise<void> => {
    const until = Date.now() + MODEL_WAIT_MS;
    while (!registry.hasModelFor(d) && Date.now() < until && !signal.aborted) await sleep(MODEL_POLL_MS, signal);
  };

  return {
    RegisterDevice: unary<RegisterDeviceRequest>('RegisterDevice', async (req) => {
      const d = deviceOf(req.device);
      await waitForModel(d);
      registry.upsertDevice(d);
      return { deviceName: d.name, deviceNamespace: d.namespace ?? '' };
    }),
    UpdateDevice: unary<UpdateDeviceRequest>('UpdateDevice', async (req) => {
      registry.upsertDevice(deviceOf(req.device));
      return {};
    }),
    RemoveDevice: unary<RemoveDeviceRequest>('RemoveDevice', async (req) => {
      if (!req.deviceName) throw new DmiRequestError('invalid_argument', 'request has no deviceName');
      // Removing a device the mapper does not have is not an error: the outcome is the same.
      await registry.remove(req.deviceNamespace ?? '', req.deviceName);
      return {};
    }),
    CreateDeviceModel: unary<CreateDeviceModelRequest>('CreateDeviceModel', async (req) => {
      if (!req.model) throw new DmiRequestError('invalid_argument', 'request has no model');
      registry.putModel(req.model);
      return { deviceModelName: req.model.name, deviceModelNamespace: req.model.namespace ?? '' };
    }),
    UpdateDeviceModel: unary<UpdateDeviceModelRequest>('UpdateDeviceModel', async (req) => {
      if (!req.model) throw new DmiRequestError('invalid_argument', 'request has no model');
      registry.updateModel(req.model);
      return {};
    }),
    RemoveDeviceModel: unary<RemoveDeviceModelRequest>('RemoveDeviceModel', async (req) => {
      registry.removeModel(req.modelNamespace ?? '', req.modelName ?? '');
      return {};
    }),
    GetDevice: unary<GetDeviceRequest>('GetDevice', async (req) => {
      if (!req.deviceName) throw new DmiRequestError('invalid_argument', 'request has no deviceName');
      const device = registry.get(req.deviceNamespace ?? '', req.deviceName);
      if (!device) throw new DmiRequestError('not_found', `device ${req.deviceNamespace ?? ''}/${req.deviceName} not found`);
      return { device };
    }),
  };
}
