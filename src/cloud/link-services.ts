// cloudcore's link services, in start order: kube (the API client: the embedded control plane's
// kubeconfig or --kubeconfig), certs (CA, token, CSR signing on 10002), cloudhub (edgecontroller and
// synccontroller synced first, then the WSS listener on 10000), cloudstream (kubectl logs/exec: the
// tunnel on 10004, the kubelet-style API on 10003 with a real cluster) and metrics. Everything reaches Kubernetes
// only through the API.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import type { Logger, Message, Service } from '../core/index.js';
import { CertService } from './certs/index.js';
import { CloudHub } from './cloudhub/index.js';
import { startCloudStream, type CloudStream, type PodSubresourceRegistrar } from './cloudstream/index.js';
import type { CloudCoreConfig } from './config.js';
import { DeviceController, deviceControllerMetricTypes } from './devicecontroller/index.js';
import { EdgeController } from './edgecontroller/index.js';
import { createKubeClient, ensureCRDs, type KubeClient } from './kube/index.js';
import { formatMetrics, metricsService, type MetricsSource } from './metrics/index.js';
import { SyncController } from './synccontroller/index.js';

/** deploy/crds in the checkout (dist/src/cloud → repository root). */
const crdDir = resolve(fileURLToPath(new URL('../../../deploy/crds', import.meta.url)));

interface Parts { kube?: KubeClient; certs?: CertService; hub?: CloudHub; edge?: EdgeController; device?: DeviceController; sync?: SyncController; stream?: CloudStream }

const untilAborted = (signal: AbortSignal): Promise<void> =>
  new Promise((r) => { if (signal.aborted) r(); else signal.addEventListener('abort', () => r(), { once: true }); });

/** apiServer: the embedded control plane's API server once it runs (pods/log and pods/exec go to cloudstream). */
export function linkServices(cfg: CloudCoreConfig, opts: { embedded: boolean; log: Logger; apiServer?: () => PodSubresourceRegistrar | undefined }): Service[] {
  const parts: Parts = {};
  const hubCfg = cfg.modules.cloudHub;
  const kubeconfigPath = opts.embedded ? join(cfg.dataDir, 'admin.kubeconfig') : cfg.kubeAPIConfig.kubeConfig;

  const kube: Service = {
    name: 'kube',
    ...(opts.embedded ? { dependsOn: ['controlplane'] } : {}),
    async run({ ready, log }) {
      const client = createKubeClient({ kubeconfigPath, qps: cfg.kubeAPIConfig.qps, burst: cfg.kubeAPIConfig.burst });
      parts.kube = client;
      // A real cluster may lack KubeEdge's CRDs; the embedded control plane installs them itself.
      if (!opts.embedded) {
        const r = await ensureCRDs(client, crdDir, log);
        log.info('crds', { created: r.created.length, existing: r.existing.length });
      }
      ready();
    },
  };

  const certs: Service = {
    name: 'certs',
    dependsOn: ['kube'],
    async run(ctx) {
      const service = new CertService({
        kube: must(parts.kube), log: ctx.log, advertiseAddresses: hubCfg.advertiseAddress,
        listen: { address: hubCfg.https.address, port: hubCfg.https.port },
      });
      parts.certs = service;
      await service.run(ctx);
    },
  };

  const cloudhub: Service = {
    name: 'cloudhub',
    dependsOn: ['certs'],
    async run({ signal, ready, log }) {
      const kubeClient = must(parts.kube);
      const tls = await must(parts.certs).serverCert();
      // The hub needs its listener and the controllers need the hub: the listener forwards to them.
      let edge: EdgeController | undefined;
      let device: DeviceController | undefined;
      let sync: SyncController | undefined;
      let uploads = 0;
      const hub = new CloudHub({
        listen: { address: hubCfg.websocket.address, port: hubCfg.websocket.port }, tls, log, nodeLimit: hubCfg.nodeLimit, compression: hubCfg.compression, compressionMaxSessions: hubCfg.compressionMaxSessions,
        listener: {
          onConnect: (node) => { edge?.onConnect(node); device?.onConnect(node); void sync?.onConnect(node); },
          onDisconnect: (node) => edge?.onDisconnect(node),
          onKeepalive: (node) => edge?.onKeepalive(node),
          onUpstream: (node, msg) => {
            if (device?.handles(msg)) return device.onUpstream(node, msg);
            // Device apps' uploads ($hw/events/upload/#, group user) go to KubeEdge's router, which
            // KubeEdge-TS does not have: they are counted and dropped.
            if (msg.route.group === 'user') { uploads++; log.debug('upload dropped: no router', { node, resource: msg.route.resource }); return Promise.resolve(); }
            return must(edge).onUpstream(node, msg);
          },
          onAck: (node, msg: Message) => { void sync?.onAck(node, msg); },
        },
      });
      sync = new SyncController({
        kube: kubeClient, hub, log: log.child('synccontroller'),
        // Reconcile reads edgecontroller's caches; only resources it does not cache cost a GET.
        getObject: async (ref, ns, name, node) => {
          const cached = ref.group === 'devices.kubeedge.io'
            ? device ? device.cachedObject(ref.plural, ns, name, node) : null
            : edge ? edge.cachedObject(ref.plural, ns, name) : null;
          return cached === null ? kubeClient.get(ref, ns, name) : cached;
        },
      });
      edge = new EdgeController({ kube: kubeClient, hub, sync, log: log.child('edgecontroller') });
      device = new DeviceController({ kube: kubeClient, hub, sync, log: log.child('devicecontroller') });
      Object.assign(parts, { hub, edge, device, sync });
      await sync.start(signal);
      await edge.start(signal);
      await device.start(signal);
      const { port } = await hub.start();
      log.info('serving', { address: `${hubCfg.websocket.address}:${port}` });
      ready();
      await untilAborted(signal);
      await hub.stop();
      edge.stop();
      device.stop();
      sync.stop();
      log.info('uploads dropped', { count: uploads });
    },
  };

  const streamCfg = cfg.modules.cloudStream;
  const cloudstream: Service = {
    name: 'cloudstream',
    dependsOn: ['certs'],
    async run({ signal, ready, log }) {
      const apiServer = opts.embedded ? opts.apiServer?.() : undefined;
      if (opts.embedded && !apiServer) log.warn('no embedded API server to serve pods/log and pods/exec');
      const stream = await startCloudStream({
        tunnel: { address: hubCfg.websocket.address, port: streamCfg.tunnelPort }, tls: await must(parts.certs).serverCert(), log,
        ...(apiServer ? { apiServer } : {}),
        ...(opts.embedded ? {} : { kubelet: {
          address: hubCfg.websocket.address, port: streamCfg.streamPort, kube: must(parts.kube),
          clientCaPem: await streamClientCA(streamCfg.tlsStreamCAFile, kubeconfigPath),
        } }),
      });
      parts.stream = stream;
      ready();
      await untilAborted(signal);
      await stream.stop();
    },
  };

  const sources = (): MetricsSource[] => [
    () => parts.hub?.metricsText() ?? '',
    () => (parts.edge ? formatMetrics('kubeedge_edgecontroller', parts.edge.metrics() as unknown as Record<string, number>) : ''),
    () => (parts.device ? formatMetrics('kubeedge_devicecontroller', parts.device.metrics(), deviceControllerMetricTypes) : ''),
    () => (parts.stream ? formatMetrics('kubeedge_cloudstream_tunnels', parts.stream.metrics() as unknown as Record<string, number>) : ''),
  ];
  const metrics = metricsService(cfg.commonConfig.monitorServer.bindAddress, sources);

  // modules.cloudHub.enable: false leaves only the embedded control plane (an API server for other
  // cloudcores pointed at it with --kubeconfig, as at a real cluster).
  if (!hubCfg.enable) return [metrics];
  return streamCfg.enable ? [kube, certs, cloudhub, cloudstream, metrics] : [kube, certs, cloudhub, metrics];
}

/** The CA of the API server's kubelet client certificate: tlsStreamCAFile, else the kubeconfig's cluster CA. */
async function streamClientCA(caFile: string, kubeconfigPath: string): Promise<string> {
  if (caFile !== '') return readFile(caFile, 'utf8');
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const cluster = kc.getCurrentCluster();
  if (cluster?.caData) return Buffer.from(cluster.caData, 'base64').toString('utf8');
  if (cluster?.caFile) return readFile(cluster.caFile, 'utf8');
  throw new Error('cloudstream: no CA for the API server\'s client certificate; set modules.cloudStream.tlsStreamCAFile');
}

function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('a service this one depends on is not running');
  return value;
}
