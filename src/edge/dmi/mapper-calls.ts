// MapperPort over the registered mappers (KubeEdge's dmiclient): a device's calls go to the mapper of
// its protocol, one at a time per device; a model's calls go to every mapper that has, or is about to
// have, devices of it. Before a device reaches a mapper that has not been given its model, the model
// is sent first (mapper-framework refuses a device whose model it does not know).
import type { Device, DeviceModel } from '../../api/index.js';
import { deviceToDmi, modelToDmi, type GetDeviceResponse } from '../../api/dmi/index.js';
import { DmiError } from './errors.js';
import type { MapperClient, MapperMethod } from './mapper-client.js';
import type { MapperRegistry } from './mapper-registry.js';
import { objectKey, protocolOf, type ObjectCache } from './object-cache.js';
import type { SerialQueues } from './serial-queues.js';
import type { DmiMetrics, MapperPort, ReportedTwin } from './types.js';

export interface MapperCallsDeps {
  registry: MapperRegistry;
  cache: ObjectCache;
  queues: SerialQueues;
  metrics: DmiMetrics;
  isStopped: () => boolean;
}

export class MapperCalls implements MapperPort {
  constructor(private readonly d: MapperCallsDeps) {}

  private async call(client: MapperClient, method: MapperMethod, request: object): Promise<unknown> {
    if (this.d.isStopped()) throw new DmiError('Stopped', `DMI ${method}: dmi is stopping`, { method });
    this.d.metrics.mapperCalls++;
    try {
      return await client.call(method, request);
    } catch (err) {
      this.d.metrics.mapperCallFailures++;
      throw err;
    }
  }

  private clientFor(device: Device, model: DeviceModel | undefined, method: MapperMethod): MapperClient {
    if (!device.metadata.name) throw new DmiError('InvalidObject', `DMI ${method}: the device has no name`, { method });
    const protocol = protocolOf(device, model);
    if (!protocol) throw new DmiError('InvalidObject', `DMI ${method}: device ${objectKey(device)} names no protocol`, { method });
    const client = this.d.registry.forProtocol(protocol);
    if (!client) throw new DmiError('NoMapper', `DMI ${method}: no mapper registered for protocol ${protocol}`, { protocol, method });
    return client;
  }

  /** In the model's queue, after any create already under way (a model's calls never wait on a device's). */
  private async ensureModel(client: MapperClient, model: DeviceModel | undefined): Promise<void> {
    if (!model) return;
    const key = objectKey(model);
    await this.d.queues.run(`model:${key}`, async () => {
      if (client.knownModels.has(key)) return;
      await this.call(client, 'CreateDeviceModel', { model: modelToDmi(model) });
      client.knownModels.add(key);
    });
  }

  private deviceCall(method: 'RegisterDevice' | 'UpdateDevice', device: Device, model: DeviceModel | undefined): Promise<void> {
    return this.d.queues.run(`device:${objectKey(device)}`, async () => {
      const client = this.clientFor(device, model, method);
      await this.ensureModel(client, model);
      await this.call(client, method, { device: deviceToDmi(device, model) });
    });
  }

  registerDevice(device: Device, model: DeviceModel | undefined): Promise<void> {
    return this.deviceCall('RegisterDevice', device, model);
  }

  updateDevice(device: Device, model: DeviceModel | undefined): Promise<void> {
    return this.deviceCall('UpdateDevice', device, model);
  }

  removeDevice(device: Device): Promise<void> {
    return this.d.queues.run(`device:${objectKey(device)}`, async () => {
      const client = this.clientFor(device, this.d.cache.modelOf(device), 'RemoveDevice');
      await this.call(client, 'RemoveDevice', { deviceName: device.metadata.name, deviceNamespace: device.metadata.namespace ?? '' });
    });
  }

  /** The mappers of the model's protocol, of the protocols of its devices, and those already given it. */
  private modelTargets(model: DeviceModel): MapperClient[] {
    const key = objectKey(model);
    const protocols = new Set<string>();
    if (model.spec.protocol) protocols.add(model.spec.protocol);
    for (const d of this.d.cache.devicesOfModel(key)) protocols.add(protocolOf(d, model));
    const targets = new Set<MapperClient>();
    for (const p of protocols) {
      const c = this.d.registry.forProtocol(p);
      if (c) targets.add(c);
    }
    for (const c of this.d.registry.all()) if (c.knownModels.has(key)) targets.add(c);
    return [...targets];
  }

  /** Calls every target; a model no mapper needs yet is not an error (it goes along with its first device). */
  private modelCall(method: 'CreateDeviceModel' | 'UpdateDeviceModel' | 'RemoveDeviceModel', model: DeviceModel): Promise<void> {
    const key = objectKey(model);
    return this.d.queues.run(`model:${key}`, async () => {
      const request = method === 'RemoveDeviceModel'
        ? { modelName: model.metadata.name, modelNamespace: model.metadata.namespace ?? '' }
        : { model: modelToDmi(model) };
      const results = await Promise.allSettled(this.modelTargets(model).map(async (client) => {
        await this.call(client, method, request);
        if (method === 'RemoveDeviceModel') client.knownModels.delete(key);
        else client.knownModels.add(key);
      }));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    });
  }

  createDeviceModel(model: DeviceModel): Promise<void> {
    return this.modelCall('CreateDeviceModel', model);
  }

  updateDeviceModel(model: DeviceModel): Promise<void> {
    return this.modelCall('UpdateDeviceModel', model);
  }

  removeDeviceModel(model: DeviceModel): Promise<void> {
    return this.modelCall('RemoveDeviceModel', model);
  }

  /** GetDevice: the twins the mapper holds for the device. */
  getDeviceTwins(device: Device): Promise<ReportedTwin[]> {
    return this.d.queues.run(`device:${objectKey(device)}`, async () => {
      const client = this.clientFor(device, this.d.cache.modelOf(device), 'GetDevice');
      const res = (await this.call(client, 'GetDevice', {
        deviceName: device.metadata.name, deviceNamespace: device.metadata.namespace ?? '',
      })) as GetDeviceResponse;
      return (res.device?.status?.twins ?? []).map((t) => ({
        propertyName: t.propertyName ?? '',
        ...(t.reported ? { reported: { value: t.reported.value ?? '', metadata: { ...t.reported.metadata } } } : {}),
        ...(t.observedDesired ? { observedDesired: { value: t.observedDesired.value ?? '', metadata: { ...t.observedDesired.metadata } } } : {}),
      }));
    });
  }
}
