// cloudcore configuration: KubeEdge's cloudcore.yaml shape (apiVersion cloudcore.config.kubeedge.io/v1alpha2,
// kind CloudCore), plus `embeddedControlPlane` and `dataDir`, our additions. Defaults → file → flags.
import { z } from 'zod';
import { setAtPath } from '../core/index.js';

const listen = (port: number) => z.object({
  enable: z.boolean().default(true),
  address: z.string().default('0.0.0.0'),
  port: z.number().int().min(0).max(65535).default(port),
}).default({ enable: true, address: '0.0.0.0', port });

export const cloudCoreSchema = z.object({
  apiVersion: z.literal('cloudcore.config.kubeedge.io/v1alpha2').default('cloudcore.config.kubeedge.io/v1alpha2'),
  kind: z.literal('CloudCore').default('CloudCore'),
  /** Our addition: where cloudcore keeps its state (embedded control plane store, certificates). */
  dataDir: z.string().min(1).default('/var/lib/kubeedge'),
  kubeAPIConfig: z.object({
    /** Empty: run the embedded control plane. */
    kubeConfig: z.string().default(''),
    master: z.string().default(''),
    qps: z.number().positive().default(100),
    burst: z.number().int().positive().default(200),
  }).default({ kubeConfig: '', master: '', qps: 100, burst: 200 }),
  /** Our addition: the embedded Kubernetes-compatible API server used when kubeConfig is empty. */
  embeddedControlPlane: z.object({
    bindAddress: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(6443),
    nodeMonitorGracePeriodSeconds: z.number().int().positive().default(40),
    podEvictionTimeoutSeconds: z.number().int().positive().default(300),
  }).default({ bindAddress: '127.0.0.1', port: 6443, nodeMonitorGracePeriodSeconds: 40, podEvictionTimeoutSeconds: 300 }),
  modules: z.object({
    cloudHub: z.object({
      enable: z.boolean().default(true),
      advertiseAddress: z.array(z.string()).default([]),
      nodeLimit: z.number().int().positive().default(1000),
      /** Ours: offer permessage-deflate to edges (idle uplink 10 B/s per node instead of 17). */
      compression: z.boolean().default(true),
      /** Ours: compression is offered only below this many connected sessions (see BENCHMARKS.md). */
      compressionMaxSessions: z.number().int().min(0).default(2000),
      websocket: listen(10000),
      https: listen(10002),
    }).default({ enable: true, advertiseAddress: [], nodeLimit: 1000, compression: true, compressionMaxSessions: 2000, websocket: { enable: true, address: '0.0.0.0', port: 10000 }, https: { enable: true, address: '0.0.0.0', port: 10002 } }),
    cloudStream: z.object({
      enable: z.boolean().default(true),
      streamPort: z.number().int().min(0).max(65535).default(10003),
      tunnelPort: z.number().int().min(0).max(65535).default(10004),
      /** KubeEdge's name: CA of the API server's kubelet client certificate (real cluster); empty: the kubeconfig's CA. */
      tlsStreamCAFile: z.string().default(''),
    }).default({ enable: true, streamPort: 10003, tunnelPort: 10004, tlsStreamCAFile: '' }),
  }).default({
    cloudHub: { enable: true, advertiseAddress: [], nodeLimit: 1000, compression: true, compressionMaxSessions: 2000, websocket: { enable: true, address: '0.0.0.0', port: 10000 }, https: { enable: true, address: '0.0.0.0', port: 10002 } },
    cloudStream: { enable: true, streamPort: 10003, tunnelPort: 10004, tlsStreamCAFile: '' },
  }),
  commonConfig: z.object({
    monitorServer: z.object({ bindAddress: z.string().default('127.0.0.1:9091') }).default({ bindAddress: '127.0.0.1:9091' }),
  }).default({ monitorServer: { bindAddress: '127.0.0.1:9091' } }),
});

export type CloudCoreConfig = z.infer<typeof cloudCoreSchema>;

/** Command-line flags (DESIGN.md §7) as overrides in the config's own shape. */
export interface CloudCoreFlags {
  kubeconfig?: string;
  'data-dir'?: string;
  'advertise-address'?: string;
  'apiserver-port'?: number;
  'cloudhub-port'?: number;
  'cert-port'?: number;
  'stream-port'?: number;
  'tunnel-port'?: number;
  'metrics-port'?: number;
}

export function flagOverrides(f: CloudCoreFlags): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  const at = (path: string[], value: unknown): void => setAtPath(o, path, value);
  at(['kubeAPIConfig', 'kubeConfig'], f.kubeconfig);
  at(['dataDir'], f['data-dir']);
  at(['modules', 'cloudHub', 'advertiseAddress'], f['advertise-address'] ? [f['advertise-address']] : undefined);
  at(['embeddedControlPlane', 'port'], f['apiserver-port']);
  at(['modules', 'cloudHub', 'websocket', 'port'], f['cloudhub-port']);
  at(['modules', 'cloudHub', 'https', 'port'], f['cert-port']);
  at(['modules', 'cloudStream', 'streamPort'], f['stream-port']);
  at(['modules', 'cloudStream', 'tunnelPort'], f['tunnel-port']);
  at(['commonConfig', 'monitorServer', 'bindAddress'], f['metrics-port'] === undefined ? undefined : `127.0.0.1:${f['metrics-port']}`);
  return o;
}
