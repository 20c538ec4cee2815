// The HTTP face of the box: fastify with the API under /api/v1, OpenAPI, static pages, /healthz and /metrics.
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { OutpostError } from '../../core/index.ts';
import type { User } from '../auth/index.ts';
import type { ApiDeps } from './deps.ts';
import { authRoutes, SESSION_COOKIE } from './routes-auth.ts';
import { siteRoutes } from './routes-site.ts';
import { alarmRoutes, ticketRoutes } from './routes-work.ts';
import { maintenanceRoutes } from './routes-maintenance.ts';
import { eventStream } from './sse.ts';
import { modbusRoutes } from './routes-modbus.ts';
import { rosterRoutes } from './routes-roster.ts';
import { slaRoutes } from './routes-sla.ts';
import { dispatchRoutes } from './routes-dispatch.ts';
import { kbRoutes } from './routes-kb.ts';
import { notifyRoutes } from './routes-notify.ts';
import { fieldRoutes } from './routes-field.ts';

declare module 'fastify' {
  interface FastifyRequest { user: User | null }
}

const WEB_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../web');
// jsQR decodes camera frames in the engineer app where the browser has no BarcodeDetector.
const JSQR_DIR = dirname(createRequire(import.meta.url).resolve('jsqr'));
const UPLOT_DIR = join(dirname(createRequire(import.meta.url).resolve('uplot')), '.');

const PUBLIC = new Set(['/api/v1/auth/login', '/api/v1/openapi.json']);

export function buildServer(deps: ApiDeps): FastifyInstance {
  // forceCloseConnections: live SSE streams must not hold stop() open.
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024, forceCloseConnections: true }).withTypeProvider<TypeBoxTypeProvider>();

  app.register(fastifyCookie);
  app.register(fastifySwagger, {
    openapi: { info: { title: 'Outpost API', version: '1' }, components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } } } },
  });

  app.decorateRequest('user', null);
  app.addHook('onRequest', async (req: FastifyRequest) => {
    const path = req.url.split('?')[0];
    if (!path.startsWith('/api/v1/') || PUBLIC.has(path)) return;
    req.user = deps.auth.session(req.cookies[SESSION_COOKIE]);
    if (!req.user) throw new OutpostError('OUTPOST_AUTH_REQUIRED', 'log in first (POST /api/v1/auth/login)');
  });

  app.setErrorHandler((err: Error & { code?: string; statusCode?: number; validation?: unknown }, _req, reply) => {
    if (err instanceof OutpostError) return reply.code(err.statusCode).send({ statusCode: err.statusCode, code: err.code, error: err.name, message: err.message });
    if (err.validation) return reply.code(400).send({ statusCode: 400, code: 'OUTPOST_BAD_REQUEST', error: 'Bad Request', message: `OUTPOST_BAD_REQUEST: ${err.message}` });
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    if (status >= 500) deps.logger.error({ err }, 'request failed');
    const code = status === 413 ? 'OUTPOST_PAYLOAD_TOO_LARGE' : status === 404 ? 'OUTPOST_NOT_FOUND' : status < 500 ? 'OUTPOST_BAD_REQUEST' : 'OUTPOST_INTERNAL';
    return reply.code(status).send({ statusCode: status, code, error: err.name, message: `${code}: ${err.message}` });
  });

  if (deps.field) deps.field.installIdempotency(app);

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok', uptimeS: Math.round(process.uptime()), ...deps.health() }));
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });

  app.register(async (api) => {
    authRoutes(api, deps);
    siteRoutes(api, deps);
    alarmRoutes(api, deps);
    ticketRoutes(api, deps);
    maintenanceRoutes(api, deps);
    modbusRoutes(api, deps);
    rosterRoutes(api, deps);
    slaRoutes(api, deps);
    dispatchRoutes(api, deps);
    kbRoutes(api, deps);
    notifyRoutes(api, deps);
    if (deps.field) fieldRoutes(api, { ...deps, field: deps.field });
    api.get('/events', { schema: { hide: true } }, (req, reply) => eventStream(req, reply, deps, req.cookies[SESSION_COOKIE]));
    api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  }, { prefix: '/api/v1' });

  app.register(fastifyStatic, { root: WEB_DIR, prefix: '/', index: ['index.html'] });
  app.register(fastifyStatic, { root: UPLOT_DIR, prefix: '/vendor/uplot/', decorateReply: false });
  app.register(fastifyStatic, { root: JSQR_DIR, prefix: '/vendor/jsqr/', decorateReply: false });
  return app;
}
