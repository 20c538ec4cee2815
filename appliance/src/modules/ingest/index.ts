// Ingest's one door.
export { createIngest, type Ingest, type IngestConfig, type LatestValue } from './ingest.ts';
export { decodeTelemetry, parseTs } from './telemetry.ts';
