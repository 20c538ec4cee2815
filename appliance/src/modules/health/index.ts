// Health's one door: the metrics registry.
export { createMetrics, type Metrics } from './metrics.ts';
