// A fake DMI mapper for tests: DeviceMapperService served with @grpc/grpc-js on a temp unix socket,
// recording each call, answering from per-method handlers (a handler may throw { code, details } or
// hang), and able to die and come back on the same socket. Plus a DeviceManagerService client, to
// play the mapper's side against edgecore's DMI socket.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Client, Metadata, Server, credentials, status, type MethodDefinition, type ServiceError,
  type UntypedServiceImplementation, type handleUnaryCall,
} from '@grpc/grpc-js';
import { loadDmiServices } from '../api/dmi/index.js';
import type {
  MapperRegisterRequest, MapperRegisterResponse, ReportDeviceStatesRequest, ReportDeviceStatusRequest,
} from '../api/dmi/index.js';
import { startUnixGrpcServer } from './unix-grpc-server.js';

export interface FakeMapperCall { method: string; request: Record<string, any> }
export type FakeMapperHandler = (request: Record<string, any>) => unknown;

export interface FakeMapper {
  /** The mapper's socket path, as it goes into MapperInfo.address. */
  socket: string;
  calls: FakeMapperCall[];
  callsOf(method: string): FakeMapperCall[];
  on(method: string, handler: FakeMapperHandler): void;
  /** Resolves once `count` calls of `method` have arrived (rejects after timeoutMs, default 5 s). */
  waitForCalls(method: string, count: number, timeoutMs?: number): Promise<FakeMapperCall[]>;
  /** Dies: the server is cut and the socket removed (calls in flight see the connection drop). */
  kill(): Promise<void>;
  /** Serves again on the same socket. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const defaults: Record<string, FakeMapperHandler> = {
  RegisterDevice: (r) => ({ deviceName: r['device']?.name ?? '', deviceNamespace: r['device']?.namespace ?? '' }),
  CreateDeviceModel: (r) => ({ deviceModelName: r['model']?.name ?? '', deviceModelNamespace: r['model']?.namespace ?? '' }),
};

export async function startFakeMapper(): Promise<FakeMapper> {
  const dir = mkdtempSync(join(tmpdir(), 'fake-mapper-'));
  const socket = join(dir, 'mapper.sock');
  const calls: FakeMapperCall[] = [];
  const handlers = new Map<string, FakeMapperHandler>(Object.entries(defaults));
  const waiters = new Set<() => void>();
  const service = loadDmiServices().DeviceMapperService.service;

  const impl: UntypedServiceImplementation = {};
  for (const method of Object.keys(service)) {
    const unary: handleUnaryCall<unknown, unknown> = (call, cb) => {
      const request = call.request as Record<string, any>;
      calls.push({ method, request });
      for (const w of [...waiters]) w();
      Promise.resolve()
        .then(() => (handlers.get(method) ?? (() => ({})))(request))
        .then((v) => cb(null, v), (e: { code?: number; details?: string; message?: string }) =>
          cb({ code: e.code ?? status.UNKNOWN, details: e.details ?? e.message ?? 'error' }));
    };
    impl[method] = unary;
  }
  const { listen, kill } = await startUnixGrpcServer(socket, () => {
    const s = new Server();
    s.addService(service, impl);
    return s;
  });

  const callsOf = (method: string): FakeMapperCall[] => calls.filter((c) => c.method === method);
  const waitForCalls = (method: string, count: number, timeoutMs = 5000): Promise<FakeMapperCall[]> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const got = callsOf(method);
        if (got.length < count) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(got);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`fake mapper: ${callsOf(method).length} of ${count} ${method} calls within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });

  return {
    socket, calls, callsOf, waitForCalls, kill, restart: listen,
    on: (method, handler) => { handlers.set(method, handler); },
    stop: async () => {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The mapper's side of DeviceManagerService: calls edgecore's DMI socket. Rejects with the ServiceError. */
export interface DmiManagerClient {
  mapperRegister(req: MapperRegisterRequest): Promise<MapperRegisterResponse>;
  reportDeviceStatus(req: ReportDeviceStatusRequest): Promise<unknown>;
  reportDeviceStates(req: ReportDeviceStatesRequest): Promise<unknown>;
  /** Any method with any request object, or with raw bytes sent as they are (malformed messages). */
  raw(method: string, request: object | Buffer): Promise<unknown>;
  close(): void;
}

export function dmiManagerClient(socketPath: string, deadlineMs = 5000): DmiManagerClient {
  const service = loadDmiServices().DeviceManagerService.service;
  const client = new Client(`unix://${socketPath}`, credentials.createInsecure());
  const raw = (method: string, request: object | Buffer): Promise<any> => {
    const def = service[method] as MethodDefinition<object, unknown>;
    const serialize = Buffer.isBuffer(request) ? (b: object) => b as Buffer : def.requestSerialize;
    return new Promise((resolve, reject) => {
      client.makeUnaryRequest(def.path, serialize, def.responseDeserialize, request, new Metadata(),
        { deadline: Date.now() + deadlineMs }, (err: ServiceError | null, res?: unknown) => (err ? reject(err) : resolve(res)));
    });
  };
  return {
    mapperRegister: (req) => raw('MapperRegister', req),
    reportDeviceStatus: (req) => raw('ReportDeviceStatus', req),
    reportDeviceStates: (req) => raw('ReportDeviceStates', req),
    raw,
    close: () => client.close(),
  };
}

type StoreType = 'device' | 'devicemodel';
interface StoreChange { op: 'upsert' | 'delete'; type: string; namespace: string | null; name: string; object: unknown }

/** An in-memory store of Device/DeviceModel objects in the shape dmi and devicetwin read (metamanager's). */
export interface MemoryDeviceStore {
  list(type: StoreType, namespace?: string | null): unknown[];
  get(type: StoreType, namespace: string | null, name: string): unknown;
  onChange(listener: (change: StoreChange) => void): () => void;
  upsert<T extends { metadata: { name?: string; namespace?: string } }>(type: StoreType, object: T): void;
  delete(type: StoreType, namespace: string, name: string): void;
}

export function createMemoryDeviceStore(): MemoryDeviceStore {
  const objects = new Map<string, { type: StoreType; namespace: string | null; object: unknown }>();
  const listeners = new Set<(change: StoreChange) => void>();
  const keyOf = (type: string, ns: string | null, name: string): string => `${type}/${ns ?? ''}/${name}`;
  const emit = (c: StoreChange): void => { for (const l of listeners) l(c); };
  return {
    list: (type, namespace) => [...objects.values()]
      .filter((o) => o.type === type && (namespace === undefined || o.namespace === namespace)).map((o) => o.object),
    get: (type, namespace, name) => objects.get(keyOf(type, namespace, name))?.object,
    onChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    upsert: (type, object) => {
      const namespace = object.metadata.namespace ?? null;
      const name = object.metadata.name ?? '';
      const copy = structuredClone(object);
      objects.set(keyOf(type, namespace, name), { type, namespace, object: copy });
      emit({ op: 'upsert', type, namespace, name, object: copy });
    },
    delete: (type, namespace, name) => {
      const old = objects.get(keyOf(type, namespace, name));
      objects.delete(keyOf(type, namespace, name));
      emit({ op: 'delete', type, namespace, name, object: old?.object ?? null });
    },
  };
}
