export { metricsService, formatMetrics } from './metrics-server.js';
export type { MetricsSource } from './metrics-server.js';
