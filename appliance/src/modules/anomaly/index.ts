// Anomaly's one door: per-point streaming detectors turned into alarms (the NAB runner lives in nab/).
export { createAnomalies, DEFAULT_ANOMALY_THRESHOLD, type Anomalies } from './anomaly-watch.ts';
