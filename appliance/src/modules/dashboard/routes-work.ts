// Alarm and work-order routes: lists, ack/clear, ticket detail and state moves.
import { Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from './deps.ts';
import { TICKET_MOVES, TRADES, type Severity, type TicketStatus, type Trade } from '../../domain/index.ts';
import { OutpostError } from '../../core/index.ts';
import { Id, RecordId } from './schemas.ts';
import { requireStaff } from './routes-auth.ts';

const Severity = Type.Union(['CRITICAL', 'MAJOR', 'MINOR', 'WARNING'].map((s) => Type.Literal(s)));
const Flag = Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')]));

export function alarmRoutes(api: FastifyInstance, deps: ApiDeps): void {
  api.get('/alarms', { schema: { tags: ['alarms'], querystring: Type.Object({ active: Flag }) } }, async (req) =>
    deps.alarms.list({ active: (req.query as { active?: string }).active === 'true' }));
  api.get('/alarms/:id', { schema: { tags: ['alarms'], params: Type.Object({ id: RecordId }) } }, async (req) => deps.alarms.get((req.params as { id: string }).id));
  api.post('/alarms/:id/ack', { schema: { tags: ['alarms'], params: Type.Object({ id: RecordId }) } }, async (req) => {
    requireStaff(req);
    return deps.alarms.ack((req.params as { id: string }).id);
  });
  api.post('/alarms/:id/clear', { schema: { tags: ['alarms'], params: Type.Object({ id: RecordId }) } }, async (req) => {
    requireStaff(req);
    return deps.alarms.clear((req.params as { id: string }).id, req.user!.username);
  });
}

export function ticketRoutes(api: FastifyInstance, deps: ApiDeps): void {
  api.get('/tickets', { schema: { tags: ['tickets'], querystring: Type.Object({ open: Flag }) } }, async (req) => {
    const list = deps.tickets.list({ open: (req.query as { open?: string }).open === 'true' });
    // Each work order's clocks in short, so the dashboard can sort and colour by urgency.
    const sla = deps.sla?.slaSummary(list);
    return sla ? list.map((t) => ({ ...t, sla: sla.get(t.id) ?? null })) : list;
  });
  api.get('/tickets/:id', { schema: { tags: ['tickets'], params: Type.Object({ id: RecordId }) } }, async (req) => {
    const id = (req.params as { id: string }).id;
    const detail = { ...deps.tickets.detail(id), verifications: deps.verify?.of(id) ?? [] };
    return deps.sla ? { ...detail, sla: deps.sla.slaOf(id) } : detail;
  });
  api.post('/tickets', {
    schema: {
      tags: ['tickets'],
      body: Type.Object({
        siteId: Id, assetId: Type.Optional(Id), zoneId: Type.Optional(Id), category: Type.Union(TRADES.map((t) => Type.Literal(t))),
        urgency: Severity, title: Type.String({ minLength: 1, maxLength: 200 }), description: Type.Optional(Type.String({ maxLength: 4000 })),
      }, { additionalProperties: false }),
    },
  }, async (req, reply) => {
    requireStaff(req);
    const b = req.body as { siteId: string; assetId?: string; zoneId?: string; category: Trade; urgency: Severity; title: string; description?: string };
    if (!deps.registry.site(b.siteId)) throw new OutpostError('OUTPOST_NOT_FOUND', `site ${b.siteId} does not exist`);
    reply.code(201);
    return deps.tickets.openManual({ ...b, actor: req.user!.username });
  });
  // An operator's choice of engineer overrides dispatch's; the reason goes into the audit trail.
  api.post('/tickets/:id/assign', {
    schema: { tags: ['tickets'], params: Type.Object({ id: RecordId }), body: Type.Object({ engineerId: Id, reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }) },
  }, async (req) => {
    requireStaff(req);
    const b = req.body as { engineerId: string; reason?: string };
    return deps.tickets.assign((req.params as { id: string }).id, b.engineerId, req.user!.username, { override: true, reason: b.reason ?? null });
  });
  api.post('/tickets/:id/transition', {
    schema: {
      tags: ['tickets'], params: Type.Object({ id: RecordId }),
      body: Type.Object({
        to: Type.Union(Object.keys(TICKET_MOVES).map((s) => Type.Literal(s))),
        note: Type.Optional(Type.String({ maxLength: 2000 })),
      }, { additionalProperties: false }),
    },
  }, async (req) => {
    const { to, note } = req.body as { to: TicketStatus; note?: string };
    const id = (req.params as { id: string }).id;
    // Engineers move only their own jobs; verifying and closing an alarm's job is the box's call, not theirs.
    if (req.user!.role === 'engineer') {
      const me = deps.roster.byUsername(req.user!.username);
      if (!me || deps.tickets.get(id).assignee !== me.id) throw new OutpostError('OUTPOST_FORBIDDEN', `ticket ${id} is not assigned to you`);
      if (to === 'verifying' || to === 'closed' || to === 'assigned') throw new OutpostError('OUTPOST_FORBIDDEN', `an engineer cannot move a ticket to ${to}`);
    }
    return deps.tickets.transition(id, to, req.user!.username, note);
  });
}
