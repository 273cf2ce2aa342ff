// edgecore's services, in start order: certificate (bootstrap with the token once, then rotate), database,
// edgehub (the link), metamanager, edged (node status and lease; pods in a later release) and metaserver.
// The link is ready as soon as it runs, connected or not: an edge node works offline.
import { readFileSync } from 'node:fs';
import type { Logger, Service } from '../core/index.js';
import { parseGoDuration, type EdgeCoreConfig } from './config.js';
import { openEdgeDatabase, type Database } from './dbm/index.js';
import { NodeStatusReporter, createOsProbe } from './edged/index.js';
import { CertificateRotator, EdgeHub, bootstrapCertificates } from './edgehub/index.js';
import { MetaManager } from './metamanager/index.js';
import { startMetaServer } from './metaserver/index.js';

export interface EdgeServicesInput {
  cfg: EdgeCoreConfig;
  nodeName: string;
  paths: { database: string; caFile: string; certFile: string; keyFile: string };
  log: Logger;
}

/** Objects shared between services; each is set by the service that owns it before it reports ready. */
interface Parts { db?: Database; hub?: EdgeHub; meta?: MetaManager; status?: NodeStatusReporter; rotator?: CertificateRotator }

const untilAborted = (signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => { if (signal.aborted) resolve(); else signal.addEventListener('abort', () => resolve(), { once: true }); });

export function edgeServices({ cfg, nodeName, paths, log }: EdgeServicesInput): Service[] {
  const parts: Parts = {};
  const hubCfg = cfg.modules.edgeHub;
  const edgedCfg = cfg.modules.edged;
  const certPaths = { caFile: paths.caFile, certFile: paths.certFile, keyFile: paths.keyFile };

  const certificate: Service = {
    name: 'certificate',
    async run({ signal, ready, log: clog }) {
      const result = await bootstrapCertificates({ ...certPaths, httpServer: hubCfg.httpServer, token: hubCfg.token, nodeName, log: clog });
      clog.info('certificate', { status: result.status, notAfter: result.notAfter.toISOString() });
      if (hubCfg.rotateCertificates) {
        parts.rotator = new CertificateRotator({ ...certPaths, httpServer: hubCfg.httpServer, nodeName, log: clog,
          onRotated: () => parts.hub?.reconnectNow() });
        parts.rotator.start();
      }
      ready();
      await untilAborted(signal);
      parts.rotator?.stop();
    },
  };

  const database: Service = {
    name: 'database',
    async run({ signal, ready, log: dlog }) {
      parts.db = openEdgeDatabase(paths.database);
      dlog.info('opened', { path: paths.database });
      ready();
      await untilAborted(signal);
      parts.db.close();
    },
  };

  const edgehub: Service = {
    name: 'edgehub',
    dependsOn: ['certificate', 'database'],
    async run({ signal, ready, log: hlog }) {
      const db = must(parts.db, 'database');
      const hub = new EdgeHub({
        server: hubCfg.websocket.server, projectID: hubCfg.projectID, nodeName, db, log: hlog,
        tls: () => ({ caPem: readFileSync(paths.caFile, 'utf8'), certPem: readFileSync(paths.certFile, 'utf8'), keyPem: readFileSync(paths.keyFile, 'utf8') }),
        heartbeatMs: hubCfg.heartbeat * 1000, silenceTimeoutMs: hubCfg.silenceTimeout * 1000,
        backoff: { maxMs: hubCfg.reconnectMaxBackoff * 1000 }, messageQPS: hubCfg.messageQPS, messageBurst: hubCfg.messageBurst,
        handshakeTimeoutMs: hubCfg.websocket.handshakeTimeout * 1000,
        listener: {
          onDownstream: (msg) => { parts.meta?.handleDownstream(msg); },
          onConnected: () => { hlog.info('connected', { server: hubCfg.websocket.server }); parts.status?.onConnected(); },
          onDisconnected: (reason) => { hlog.info('disconnected', { reason }); parts.status?.onDisconnected(); },
        },
      });
      parts.hub = hub;
      // The metamanager must exist before the first downstream message can arrive.
      parts.meta = new MetaManager({ db, hub, nodeName, log: log.child('metamanager'),
        remoteQueryTimeoutMs: cfg.modules.metaManager.remoteQueryTimeout * 1000 });
      hub.start();
      ready();
      await untilAborted(signal);
      await hub.stop();
    },
  };

  const edged: Service = {
    name: 'edged',
    dependsOn: ['edgehub'],
    async run({ signal, ready, log: elog }) {
      const kc = edgedCfg.tailoredKubeletConfig;
      const status = new NodeStatusReporter({
        nodeName, hub: must(parts.hub, 'edgehub'), log: elog, labels: edgedCfg.nodeLabels, maxPods: kc.maxPods,
        checkIntervalMs: parseGoDuration(kc.nodeStatusUpdateFrequency), reportIntervalMs: parseGoDuration(kc.nodeStatusReportFrequency),
        leaseDurationSeconds: kc.nodeLeaseDurationSeconds, cloudRenewsLease: () => parts.hub?.cloudIsKubeEdgeTS() ?? false, registerNode: edgedCfg.registerNode, dataDir: cfg.dataDir,
        probe: createOsProbe({ dataDir: cfg.dataDir, ...(edgedCfg.tailoredKubeletFlag.nodeIP ? { nodeIP: edgedCfg.tailoredKubeletFlag.nodeIP } : {}) }),
        ...(edgedCfg.tailoredKubeletFlag.nodeIP ? { nodeIP: edgedCfg.tailoredKubeletFlag.nodeIP } : {}),
      });
      parts.status = status;
      status.start();
      ready();
      await untilAborted(signal);
      status.stop();
    },
  };

  const metaserver: Service = {
    name: 'metaserver',
    dependsOn: ['edgehub'],
    async run({ signal, ready, log: mlog }) {
      const ms = cfg.modules.metaManager.metaServer;
      if (!ms.enable) { ready(); await untilAborted(signal); return; }
      const i = ms.server.lastIndexOf(':');
      const server = await startMetaServer({ host: ms.server.slice(0, i), port: Number(ms.server.slice(i + 1)),
        store: must(parts.meta, 'metamanager'), hub: must(parts.hub, 'edgehub'), nodeName, log: mlog });
      mlog.info('serving', { address: `${ms.server.slice(0, i)}:${server.port}` });
      ready();
      await untilAborted(signal);
      await server.close();
    },
  };

  return [certificate, database, edgehub, edged, metaserver];
}

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is not running`);
  return value;
}
