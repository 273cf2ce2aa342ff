// Starts our HTTPS API server on an ephemeral port in a temp data dir, over the in-memory
// FakeObjectAPI and the real built-in catalog, with a client holding the admin kubeconfig.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestLogger, type TestLogger } from '../core/log/index.js';
import { startApiServer, type ApiServer, type ApiServerOptions } from '../controlplane/apiserver/index.js';
import { Catalog } from '../controlplane/registry/index.js';
import { FakeObjectAPI } from './fake-object-api.js';
import { readKubeconfig, TestHttpsClient } from './https-client.js';

export interface Harness {
  dir: string;
  server: ApiServer;
  api: FakeObjectAPI;
  catalog: Catalog;
  client: TestHttpsClient;
  log: TestLogger;
  /** Stops the server and removes the data dir. */
  close(): Promise<void>;
}

export type HarnessOptions = Partial<Omit<ApiServerOptions, 'api' | 'catalog' | 'log' | 'dataDir'>> & { dataDir?: string; keepDir?: boolean };

export async function startHarness(o: HarnessOptions = {}): Promise<Harness> {
  const dir = o.dataDir ?? await mkdtemp(join(tmpdir(), 'kets-apiserver-'));
  const catalog = new Catalog();
  const api = new FakeObjectAPI(catalog);
  const log = createTestLogger({ level: 'warn' });
  const { keepDir, dataDir: _ignored, ...rest } = o;
  const server = await startApiServer({ host: '127.0.0.1', port: 0, ...rest, dataDir: dir, api, catalog, log });
  const client = new TestHttpsClient(await readKubeconfig(server.adminKubeconfigPath));
  return {
    dir, server, api, catalog, client, log,
    close: async () => {
      await server.close();
      if (!keepDir) await rm(dir, { recursive: true, force: true });
    },
  };
}
