// Dashboard's one door: the HTTP server (API, pages, health, metrics).
export { buildServer } from './server.ts';
export type { ApiDeps } from './deps.ts';
