// Readings' one door: the group-commit writer and the history queries with rollup and retention.
export { createWriter, type Row, type RejectRow } from './writer.ts';
export { createQueries, createMaintenance, type Series } from './queries.ts';
