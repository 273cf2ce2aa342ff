// A fake edgecore for mapper tests: serves DeviceManagerService (MapperRegister, ReportDeviceStatus,
// ReportDeviceStates) on a unix socket in a temp dir, records every call, answers MapperRegister with the
// devices and models the test sets, and calls the registered mapper's DeviceMapperService back.
// It can be stopped and started again on the same socket, like an edgecore restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentials, Server, type Client, type ServiceError } from '@grpc/grpc-js';
import {
  loadDmiServices, type DeviceModelMsg, type DeviceMsg, type DmiServices, type GetDeviceResponse, type MapperRegisterRequest,
  type ReportDeviceStatesRequest, type ReportDeviceStatusRequest,
} from '../api/dmi/index.js';
import { startUnixGrpcServer } from './unix-grpc-server.js';

export interface FakeEdgecore {
  /** The temp dir holding the socket; tests may put the mapper's socket here too. */
  dir: string;
  socketPath: string;
  registrations: MapperRegisterRequest[];
  statusReports: ReportDeviceStatusRequest[];
  stateReports: ReportDeviceStatesRequest[];
  /** What MapperRegister answers from now on. */
  setDevices(devices: DeviceMsg[], models: DeviceModelMsg[]): void;
  /** A client of the mapper that registered last (by MapperInfo.address). */
  mapper(): FakeMapperClient;
  /** Resolves when `check` returns a truthy value (polled); rejects after `timeoutMs` with `what`. */
  waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  /** Goes away: the socket is closed and removed (calls in flight fail). */
  kill(): Promise<void>;
  /** Serves again on the same socket. */
  restart(): Promise<void>;
  /** kill() and remove the temp dir. */
  stop(): Promise<void>;
}

export interface FakeMapperClient {
  registerDevice(device: DeviceMsg): Promise<unknown>;
  updateDevice(device: DeviceMsg): Promise<unknown>;
  removeDevice(namespace: string, name: string): Promise<unknown>;
  createDeviceModel(model: DeviceModelMsg): Promise<unknown>;
  updateDeviceModel(model: DeviceModelMsg): Promise<unknown>;
  removeDeviceModel(namespace: string, name: string): Promise<unknown>;
  getDevice(namespace: string, name: string): Promise<GetDeviceResponse>;
  close(): void;
}

type Unary = (req: unknown, cb: (err: ServiceError | null, res?: unknown) => void) => void;

export async function startFakeEdgecore(): Promise<FakeEdgecore> {
  const services = loadDmiServices();
  const dir = mkdtempSync(join(tmpdir(), 'fake-edgecore-'));
  const socketPath = join(dir, 'dmi.sock');
  const registrations: MapperRegisterRequest[] = [];
  const statusReports: ReportDeviceStatusRequest[] = [];
  const stateReports: ReportDeviceStatesRequest[] = [];
  let answer: { deviceList: DeviceMsg[]; modelList: DeviceModelMsg[] } = { deviceList: [], modelList: [] };
  const build = (): Server => {
    const s = new Server();
    s.addService(services.DeviceManagerService.service, {
      MapperRegister: (call: { request: MapperRegisterRequest }, cb: (e: null, r: unknown) => void) => {
        registrations.push(call.request);
        cb(null, call.request.withData ? answer : {});
      },
      ReportDeviceStatus: (call: { request: ReportDeviceStatusRequest }, cb: (e: null, r: unknown) => void) => {
        statusReports.push(call.request);
        cb(null, {});
      },
      ReportDeviceStates: (call: { request: ReportDeviceStatesRequest }, cb: (e: null, r: unknown) => void) => {
        stateReports.push(call.request);
        cb(null, {});
      },
    });
    return s;
  };
  const { listen: serve, kill } = await startUnixGrpcServer(socketPath, build);
  return {
    dir, socketPath, registrations, statusReports, stateReports,
    setDevices: (devices, models) => (answer = { deviceList: devices, modelList: models }),
    mapper: () => {
      const last = registrations[registrations.length - 1];
      if (!last?.mapper?.address) throw new Error('no mapper has registered');
      return mapperClient(services, Buffer.from(last.mapper.address).toString());
    },
    waitFor: (what, check, timeoutMs = 10_000) => waitFor(what, check, timeoutMs),
    kill,
    restart: serve,
    stop: async () => {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function mapperClient(services: DmiServices, socketPath: string): FakeMapperClient {
  const client = new services.DeviceMapperService(`unix://${socketPath}`, credentials.createInsecure()) as Client & Record<string, Unary>;
  const call = <T>(method: string, req: unknown): Promise<T> =>
    new Promise((resolve, reject) => (client[method] as Unary).call(client, req, (err, res) => (err ? reject(err) : resolve(res as T))));
  return {
    registerDevice: (device) => call('RegisterDevice', { device }),
    updateDevice: (device) => call('UpdateDevice', { device }),
    removeDevice: (deviceNamespace, deviceName) => call('RemoveDevice', { deviceName, deviceNamespace }),
    createDeviceModel: (model) => call('CreateDeviceModel', { model }),
    updateDeviceModel: (model) => call('UpdateDeviceModel', { model }),
    removeDeviceModel: (modelNamespace, modelName) => call('RemoveDeviceModel', { modelName, modelNamespace }),
    getDevice: (deviceNamespace, deviceName) => call<GetDeviceResponse>('GetDevice', { deviceName, deviceNamespace }),
    close: () => client.close(),
  };
}

async function waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
