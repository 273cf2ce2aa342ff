// cloudcore's monitor server (commonConfig.monitorServer.bindAddress, KubeEdge default 127.0.0.1:9091):
// Prometheus text at /metrics, gathered from each module's own metricsText() on every scrape.
import { createServer, type Server } from 'node:http';
import type { Service } from '../../core/index.js';

export type MetricsSource = () => string;

/** Counters and gauges as Prometheus text: one `# TYPE` line and one sample per name. */
export function formatMetrics(prefix: string, values: Record<string, number>, types: Record<string, 'counter' | 'gauge'> = {}): string {
  let out = '';
  for (const [name, value] of Object.entries(values)) {
    const full = `${prefix}_${name}`;
    out += `# TYPE ${full} ${types[name] ?? (name.endsWith('_total') ? 'counter' : 'gauge')}\n${full} ${value}\n`;
  }
  return out;
}

export function metricsService(bindAddress: string, sources: () => MetricsSource[]): Service {
  return {
    name: 'metrics',
    async run({ signal, ready, log }) {
      const i = bindAddress.lastIndexOf(':');
      const host = bindAddress.slice(0, i) || '127.0.0.1';
      const port = Number(bindAddress.slice(i + 1));
      const server: Server = createServer((req, res) => {
        if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
          res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
          return;
        }
        let body = '';
        for (const source of sources()) {
          try { body += source(); } catch (err) { log.warn('metrics source failed', { error: (err as Error).message }); }
        }
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(body);
      });
      await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(port, host, () => resolve()); });
      log.info('serving', { address: `${host}:${port}` });
      ready();
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
