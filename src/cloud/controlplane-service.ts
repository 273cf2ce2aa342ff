// The embedded control plane as a cloudcore service: started when no --kubeconfig is given.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Service } from '../core/index.js';
import { startControlPlane, type ControlPlane } from '../controlplane/index.js';
import type { CloudCoreConfig } from './config.js';

/** onStarted: lets cloudstream register pods/log and pods/exec with the API server (in-process). */
export function controlPlaneService(cfg: CloudCoreConfig, hooks: { onStarted?: (cp: ControlPlane) => void } = {}): Service {
  return {
    name: 'controlplane',
    async run({ signal, ready, log }) {
      const ecp = cfg.embeddedControlPlane;
      const cp = await startControlPlane({
        dataDir: cfg.dataDir, host: ecp.bindAddress, port: ecp.port, log,
        ...(cfg.modules.cloudHub.advertiseAddress[0] ? { advertiseAddress: cfg.modules.cloudHub.advertiseAddress[0] } : {}),
        nodeMonitorGracePeriodMs: ecp.nodeMonitorGracePeriodSeconds * 1000,
        podEvictionTimeoutMs: ecp.podEvictionTimeoutSeconds * 1000,
      });
      hooks.onStarted?.(cp);
      // A small marker for scripts (npm start) that wait for readiness; removed on stop.
      const marker = join(cfg.dataDir, 'controlplane.url');
      writeFileSync(marker, `${cp.url}\n`);
      log.info('serving', { url: cp.url, kubeconfig: cp.kubeconfigPath });
      ready();
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      rmSync(marker, { force: true });
      await cp.close();
    },
  };
}
