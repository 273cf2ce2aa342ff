// The embedded control plane: SQLite store, resource catalog, object API, HTTPS API server and the
// controllers, wired together. cloudcore starts it when no --kubeconfig is given.
import { setMaxListeners } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../core/index.js';
import { startApiServer, type ApiServer } from './apiserver/index.js';
import { ensureSystemNamespaces, installCRDs } from './bootstrap.js';
import { startControllers } from './controllers/index.js';
import { createObjectAPI, type ObjectAPI } from './objects/index.js';
import { loadBundledCRDs } from './openapi/index.js';
import { Catalog } from './registry/index.js';
import { openStore } from './storage/index.js';

export interface ControlPlaneOptions {
  dataDir: string;
  host?: string;
  port: number;
  advertiseAddress?: string;
  log: Logger;
  /** Folder of CRD YAML to install at start (default: the repository's deploy/crds). */
  crdDir?: string;
  nodeMonitorGracePeriodMs?: number;
  podEvictionTimeoutMs?: number;
}

export interface ControlPlane {
  url: string;
  port: number;
  kubeconfigPath: string;
  caPem: string;
  api: ObjectAPI;
  server: ApiServer;
  close(): Promise<void>;
}

export async function startControlPlane(o: ControlPlaneOptions): Promise<ControlPlane> {
  const dir = join(o.dataDir, 'controlplane');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const log = o.log;
  const store = openStore({ path: join(dir, 'state.db'), log: log.child('storage') });
  const catalog = new Catalog();
  const api = createObjectAPI({ store, catalog, log: log.child('objects') });
  api.loadCRDs();
  ensureSystemNamespaces(api);
  const crds = installCRDs(api, loadBundledCRDs(o.crdDir));
  log.info('bundled CRDs installed', crds);

  const abort = new AbortController();
  // Every controller and informer listens on this one signal.
  setMaxListeners(0, abort.signal);
  let server: ApiServer | undefined;
  try {
    server = await startApiServer({
      host: o.host ?? '127.0.0.1', port: o.port, dataDir: o.dataDir, api, catalog, log: log.child('apiserver'),
      ...(o.advertiseAddress ? { advertiseAddress: o.advertiseAddress } : {}),
    });
    const controllers = startControllers({
      api, log: log.child('controllers'),
      ...(o.nodeMonitorGracePeriodMs ? { nodeMonitorGracePeriodMs: o.nodeMonitorGracePeriodMs } : {}),
      ...(o.podEvictionTimeoutMs ? { podEvictionTimeoutMs: o.podEvictionTimeoutMs } : {}),
    }, abort.signal);
    await controllers.ready;
    const srv = server;
    return {
      url: srv.url, port: srv.port, kubeconfigPath: srv.adminKubeconfigPath, caPem: srv.caPem, api, server: srv,
      close: async () => {
        abort.abort();
        await controllers.stop();
        await srv.close();
        api.close();
        store.close();
      },
    };
  } catch (err) {
    abort.abort();
    await server?.close();
    api.close();
    store.close();
    throw err;
  }
}
