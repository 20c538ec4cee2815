// Usage's one door: run hours, starts and cycles per asset, and the scheduled maintenance they bring due.
export { createUsage, type UsageModule } from './usage.ts';
