// Alarm and work-order routes: lists, ack/clear, ticket detail and state moves.
import { Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from './deps.ts';
import type { TicketStatus } from '../../domain/index.ts';
import { RecordId } from './schemas.ts';

const Flag = Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')]));

export function alarmRoutes(api: FastifyInstance, deps: ApiDeps): void {
  api.get('/alarms', { schema: { tags: ['alarms'], querystring: Type.Object({ active: Flag }) } }, async (req) =>
    deps.alarms.list({ active: (req.query as { active?: string }).active === 'true' }));
  api.get('/alarms/:id', { schema: { tags: ['alarms'], params: Type.Object({ id: RecordId }) } }, async (req) => deps.alarms.get((req.params as { id: string }).id));
  api.post('/alarms/:id/ack', { schema: { tags: ['alarms'], params: Type.Object({ id: RecordId }) } }, async (req) => deps.alarms.ack((req.params as { id: string }).id));
  api.post('/alarms/:id/clear', { schema: { tags: ['alarms'], params: Type.Object({ id: RecordId }) } }, async (req) =>
    deps.alarms.clear((req.params as { id: string }).id, req.user!.username));
}

export function ticketRoutes(api: FastifyInstance, deps: ApiDeps): void {
  api.get('/tickets', { schema: { tags: ['tickets'], querystring: Type.Object({ open: Flag }) } }, async (req) =>
    deps.tickets.list({ open: (req.query as { open?: string }).open === 'true' }));
  api.get('/tickets/:id', { schema: { tags: ['tickets'], params: Type.Object({ id: RecordId }) } }, async (req) => deps.tickets.detail((req.params as { id: string }).id));
  api.post('/tickets/:id/transition', {
    schema: {
      tags: ['tickets'], params: Type.Object({ id: RecordId }),
      body: Type.Object({
        to: Type.Union(['new', 'assigned', 'in_progress', 'resolved', 'closed', 'cancelled'].map((s) => Type.Literal(s))),
        note: Type.Optional(Type.String({ maxLength: 2000 })),
      }, { additionalProperties: false }),
    },
  }, async (req) => {
    const { to, note } = req.body as { to: TicketStatus; note?: string };
    return deps.tickets.transition((req.params as { id: string }).id, to, req.user!.username, note);
  });
}
