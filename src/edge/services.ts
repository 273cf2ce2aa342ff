// edgecore's services, in start order: certificate (bootstrap with the token once, then rotate), database,
// edgehub (the link), metamanager, edged (the container runtime, pods, node status and lease), metaserver
// and edgestream (kubectl logs/exec), then the device side: eventbus (MQTT), devicetwin (twins in SQLite)
// and dmi (the socket mappers register on). The link is ready as soon as it runs, connected or not: an edge
// node works offline, and its pods start from SQLite.
import { readFileSync } from 'node:fs';
import type { Logger, Service } from '../core/index.js';
import { parseGoDuration, type EdgeCoreConfig, type EdgePaths } from './config.js';
import { openEdgeDatabase, type Database } from './dbm/index.js';
import { NodeStatusReporter, PodManager, createOsProbe, defaultPodParts, type NodeFacts, type PodNodeFacts } from './edged/index.js';
import { startEdgeStream } from './edgestream/index.js';
import { RuntimeError, openContainerRuntime, type ContainerRuntime, type OpenRuntimeOptions } from './runtime/index.js';
import { DeviceTwin } from './devicetwin/index.js';
import { DmiServer } from './dmi/index.js';
import { CertificateRotator, EdgeHub, bootstrapCertificates } from './edgehub/index.js';
import { EventBus } from './eventbus/index.js';
import { MetaManager } from './metamanager/index.js';
import { startMetaServer } from './metaserver/index.js';

export interface EdgeServicesInput {
  cfg: EdgeCoreConfig;
  nodeName: string;
  paths: EdgePaths;
  log: Logger;
}

/** Objects shared between services; each is set by the service that owns it before it reports ready. */
interface Parts {
  db?: Database; hub?: EdgeHub; meta?: MetaManager; status?: NodeStatusReporter; rotator?: CertificateRotator;
  runtime?: ContainerRuntime; pods?: PodManager; bus?: EventBus; twin?: DeviceTwin; dmi?: DmiServer;
}

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
          onDownstream: (msg) => {
            // Membership (group twin) needs no ack: a device's objects (group resource) carry its state.
            if (msg.route.group === 'twin') { parts.twin?.handleCloud(msg); return; }
            if (msg.route.group === 'user' || msg.route.group === 'bus') { parts.bus?.handleCloud(msg); return; }
            parts.meta?.handleDownstream(msg);
          },
          onConnected: () => {
            hlog.info('connected', { server: hubCfg.websocket.server });
            parts.status?.onConnected();
            parts.twin?.onLinkConnected();
          },
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
      const flag = edgedCfg.tailoredKubeletFlag;
      const nodeIPOption = flag.nodeIP ? { nodeIP: flag.nodeIP } : {};
      const runtime = await openRuntimeWhenReady(signal, elog, { kind: edgedCfg.runtime, criEndpoint: flag.remoteRuntimeEndpoint,
        processStateDir: paths.processRuntimeDir, log: elog, ...nodeIPOption });
      if (runtime === undefined) return;
      parts.runtime = runtime;
      const v = await runtime.runtime.version();
      const containerRuntimeVersion = `${runtime.kind === 'cri' ? v.runtimeName : 'process'}://${v.runtimeVersion}`;
      elog.info('runtime', { kind: runtime.kind, version: containerRuntimeVersion, isolates: runtime.isolates });
      const probe = createOsProbe({ dataDir: cfg.dataDir, ...nodeIPOption });
      const status = new NodeStatusReporter({
        nodeName, hub: must(parts.hub, 'edgehub'), log: elog, labels: edgedCfg.nodeLabels, maxPods: kc.maxPods,
        checkIntervalMs: parseGoDuration(kc.nodeStatusUpdateFrequency), reportIntervalMs: parseGoDuration(kc.nodeStatusReportFrequency),
        leaseDurationSeconds: kc.nodeLeaseDurationSeconds, cloudRenewsLease: () => parts.hub?.cloudIsKubeEdgeTS() ?? false, registerNode: edgedCfg.registerNode, dataDir: cfg.dataDir,
        probe, containerRuntimeVersion, ...nodeIPOption,
      });
      parts.status = status;
      status.start();
      const pods = new PodManager({
        nodeName, runtime, store: must(parts.meta, 'metamanager'), hub: must(parts.hub, 'edgehub'), log: elog.child('pods'),
        dataDir: cfg.dataDir, staticPodPath: paths.staticPodPath, parts: defaultPodParts(),
        node: cachedPodNodeFacts(nodeName, probe, flag.nodeIP),
      });
      parts.pods = pods;
      await pods.start();
      ready();
      await untilAborted(signal);
      // CRI containers keep running across an edgecore restart (kubelet does the same); the process
      // runtime's children would be orphans, so a clean stop ends them.
      await pods.stop({ killPods: runtime.kind === 'process' });
      status.stop();
      await runtime.close();
    },
  };

  const metaserver: Service = {
    name: 'metaserver',
    dependsOn: ['edgehub', 'edged'],
    async run({ signal, ready, log: mlog }) {
      const ms = cfg.modules.metaManager.metaServer;
      if (!ms.enable) { ready(); await untilAborted(signal); return; }
      const i = ms.server.lastIndexOf(':');
      const server = await startMetaServer({ host: ms.server.slice(0, i), port: Number(ms.server.slice(i + 1)),
        store: must(parts.meta, 'metamanager'), hub: must(parts.hub, 'edgehub'), nodeName, log: mlog,
        localPodStatus: {
          get: (ns, name) => parts.pods?.podStatus(ns, name),
          onChange: (listener) => parts.pods?.onStatusChange(listener) ?? (() => undefined),
        } });
      mlog.info('serving', { address: `${ms.server.slice(0, i)}:${server.port}` });
      ready();
      await untilAborted(signal);
      await server.close();
    },
  };

  const edgestream: Service = {
    name: 'edgestream',
    dependsOn: ['certificate', 'edged'],
    async run({ signal, ready, log: slog }) {
      const sc = cfg.modules.edgeStream;
      const server = sc.server || `${hubCfg.websocket.server.replace(/:\d+$/, '')}:10004`;
      if (!sc.enable) { ready(); await untilAborted(signal); return; }
      const stream = startEdgeStream({
        server: `wss://${server}`, nodeName, log: slog, locator: must(parts.pods, 'edged'), runtime: must(parts.runtime, 'edged').runtime,
        tls: () => ({ caPem: readFileSync(sc.tlsTunnelCAFile || paths.caFile, 'utf8'), certPem: readFileSync(sc.tlsTunnelCertFile || paths.certFile, 'utf8'),
          keyPem: readFileSync(sc.tlsTunnelPrivateKeyFile || paths.keyFile, 'utf8') }),
      });
      ready();
      await untilAborted(signal);
      await stream.stop();
    },
  };

  const busCfg = cfg.modules.eventBus;
  const eventbus: Service = {
    name: 'eventbus',
    dependsOn: ['edgehub'],
    async run({ signal, ready, log: blog }) {
      if (!busCfg.enable) { ready(); await untilAborted(signal); return; }
      const internal = new URL(busCfg.mqttServerInternal.replace(/^tcp:/, 'mqtt:'));
      const tlsCfg = busCfg.tls;
      const bus = new EventBus({
        mode: busCfg.mqttMode, qos: busCfg.mqttQOS, retain: busCfg.mqttRetain, maxPayloadBytes: busCfg.maxPayloadBytes,
        internal: { host: internal.hostname || '127.0.0.1', port: Number(internal.port || 1884) },
        external: {
          url: busCfg.mqttServerExternal,
          ...(busCfg.mqttUsername ? { username: busCfg.mqttUsername, password: busCfg.mqttPassword } : {}),
          ...(tlsCfg.enable ? { tls: { caFile: tlsCfg.tlsMqttCAFile, certFile: tlsCfg.tlsMqttCertFile, keyFile: tlsCfg.tlsMqttPrivateKeyFile } } : {}),
          ...(busCfg.mqttSubClientID ? { clientId: busCfg.mqttSubClientID } : {}),
        },
        db: must(parts.db, 'database'), nodeName, log: blog,
        routes: {
          twin: (topic, payload) => parts.twin?.handleMqtt(topic, payload),
          cloud: (msg) => { must(parts.hub, 'edgehub').send(msg); },
        },
      });
      const { internalPort } = await bus.start();
      parts.bus = bus;
      blog.info('serving', { mode: busCfg.mqttMode, ...(internalPort !== undefined ? { internal: `${internal.hostname}:${internalPort}` } : {}), ...(busCfg.mqttMode !== 'internal' ? { external: redactUrl(busCfg.mqttServerExternal) } : {}) });
      ready();
      await untilAborted(signal);
      await bus.stop();
    },
  };

  const twinCfg = cfg.modules.deviceTwin;
  const devicetwin: Service = {
    name: 'devicetwin',
    dependsOn: ['edgehub', 'eventbus'],
    async run({ signal, ready, log: tlog }) {
      if (!twinCfg.enable) { ready(); await untilAborted(signal); return; }
      const hub = must(parts.hub, 'edgehub');
      const twin = new DeviceTwin({
        db: must(parts.db, 'database'), nodeName, log: tlog, store: must(parts.meta, 'metamanager'), hub,
        bus: { publish: (topic, payload, opts) => parts.bus?.publish(topic, payload, opts) },
        maxPayloadBytes: twinCfg.maxPayloadBytes,
      });
      twin.start();
      parts.twin = twin;
      const dmi = new DmiServer({ socketPath: paths.dmiSocket, store: must(parts.meta, 'metamanager'), reports: twin, nodeName, log: log.child('dmi') });
      await dmi.start();
      parts.dmi = dmi;
      tlog.info('serving', { dmiSocket: paths.dmiSocket });
      ready();
      await untilAborted(signal);
      await dmi.stop();
      twin.stop();
    },
  };

  return [certificate, database, edgehub, edged, metaserver, edgestream, eventbus, devicetwin];
}

/**
 * The container runtime, waiting for it when it does not answer yet (after a reboot containerd may come
 * up after edgecore, as kubelet also waits); undefined when edgecore is stopped meanwhile.
 */
async function openRuntimeWhenReady(signal: AbortSignal, log: Logger, opts: OpenRuntimeOptions): Promise<ContainerRuntime | undefined> {
  for (let delayMs = 500; !signal.aborted; delayMs = Math.min(delayMs * 2, 10_000)) {
    try {
      return await openContainerRuntime(opts);
    } catch (err) {
      if (!(err instanceof RuntimeError) || (err.code !== 'Unavailable' && err.code !== 'DeadlineExceeded')) throw err;
      log.warn('runtime unavailable', { error: err.message, retryInMs: delayMs });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delayMs);
        signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
      });
    }
  }
  return undefined;
}

/** Node facts for pods (env, downward API, host IP), re-read from the OS at most every 10 s. */
function cachedPodNodeFacts(nodeName: string, probe: () => NodeFacts, nodeIP: string): () => PodNodeFacts {
  let at = 0;
  let value: PodNodeFacts | undefined;
  return () => {
    if (value === undefined || Date.now() - at > 10_000) {
      const f = probe();
      value = { nodeName, nodeIP: nodeIP || f.internalIP || '127.0.0.1',
        allocatable: { cpu: f.cpuCores, memory: f.memoryTotalKi * 1024, ephemeralStorage: f.storageTotalBytes } };
      at = Date.now();
    }
    return value;
  };
}

/** The URL without its password, for logs. */
function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is not running`);
  return value;
}
