// Alerts to people over HTTP: the engineer app's live stream and list, explicit acks, Web Push keys and subscriptions.
import { Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiDeps } from './deps.ts';
import type { Engineer } from '../../domain/index.ts';
import type { Notify } from '../notify/index.ts';
import { OutpostError } from '../../core/index.ts';
import { RecordId } from './schemas.ts';
import { requireStaff, SESSION_COOKIE } from './routes-auth.ts';

const SESSION_CHECK_MS = 5_000;
/** Some proxies and phones drop a silent connection; a comment line keeps it open and shows a dead one. */
const KEEPALIVE_MS = 15_000;

const Subscription = Type.Object({
  endpoint: Type.String({ minLength: 8, maxLength: 2048 }),
  expirationTime: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  keys: Type.Object({ p256dh: Type.String({ maxLength: 200 }), auth: Type.String({ maxLength: 100 }) }),
});

function me(deps: ApiDeps, req: FastifyRequest): Engineer {
  const e = deps.roster.byUsername(req.user!.username);
  if (!e) throw new OutpostError('OUTPOST_NOT_FOUND', `login ${req.user!.username} is not on the roster`);
  return e;
}

function notifyOf(deps: ApiDeps): Notify {
  if (!deps.notify) throw new OutpostError('OUTPOST_NOT_FOUND', 'alerts are not part of this box');
  return deps.notify;
}

/** One engineer's live alerts as Server-Sent Events: `alert` (the alert JSON) and `ack` ({ticketId, engineerId, ackedTs}). */
function alertStream(req: FastifyRequest, reply: FastifyReply, deps: ApiDeps, notify: Notify, engineer: Engineer): void {
  const token = req.cookies[SESSION_COOKIE];
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  res.write('retry: 2000\n\n');
  const sink = (event: 'alert' | 'ack', data: unknown): boolean => {
    if (res.destroyed || res.writableEnded) return false;
    const id = event === 'alert' ? `id: ${(data as { id: string }).id}\n` : '';
    res.write(`event: ${event}\n${id}data: ${JSON.stringify(data)}\n\n`);
    return true;
  };
  let lastPing = Date.now();
  const check = setInterval(() => {
    if (!deps.auth.session(token)) { res.end(); close(); return; }
    if (Date.now() - lastPing >= KEEPALIVE_MS) { lastPing = Date.now(); res.write(': ping\n\n'); }
  }, SESSION_CHECK_MS);
  const unlisten = notify.listen(engineer.id, sink);
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(check);
    unlisten();
  };
  req.raw.on('close', close);
}

export function notifyRoutes(api: FastifyInstance, deps: ApiDeps): void {
  api.get('/me/alerts/stream', { schema: { tags: ['notify'], summary: 'My alerts, live (text/event-stream)' } }, (req, reply) => {
    const notify = notifyOf(deps);
    alertStream(req, reply, deps, notify, me(deps, req));
  });
  api.get('/me/alerts', {
    schema: { tags: ['notify'], querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }) },
  }, async (req) => notifyOf(deps).forEngineer(me(deps, req).id, (req.query as { limit?: number }).limit ?? 50));
  api.post('/me/alerts/:id/ack', { schema: { tags: ['notify'], params: Type.Object({ id: RecordId }) } }, async (req) => {
    return notifyOf(deps).ack((req.params as { id: string }).id, me(deps, req).id);
  });
  api.get('/tickets/:id/alerts', { schema: { tags: ['notify'], params: Type.Object({ id: RecordId }) } }, async (req) => {
    requireStaff(req);
    return notifyOf(deps).forTicket((req.params as { id: string }).id);
  });
  api.get('/push/key', { schema: { tags: ['notify'] } }, async () => ({ publicKey: notifyOf(deps).vapidPublicKey() }));
  api.post('/me/push-subscriptions', { schema: { tags: ['notify'], body: Subscription } }, async (req, reply) => {
    const s = notifyOf(deps).subscribe(me(deps, req).id, req.body as { endpoint: string; keys: { p256dh: string; auth: string } });
    reply.code(201);
    return { id: s.id, endpoint: s.endpoint };
  });
  api.delete('/me/push-subscriptions', { schema: { tags: ['notify'], body: Type.Object({ endpoint: Type.String({ minLength: 8, maxLength: 2048 }) }) } }, async (req) => {
    const removed = notifyOf(deps).unsubscribe(me(deps, req).id, (req.body as { endpoint: string }).endpoint);
    if (!removed) throw new OutpostError('OUTPOST_NOT_FOUND', 'no such push subscription of yours');
    return { ok: true };
  });
}
