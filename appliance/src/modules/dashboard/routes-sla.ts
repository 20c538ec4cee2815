// SLA routes: policies per (trade, priority), a site's business hours and holidays, a work order's clocks; admins edit.
import { Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from './deps.ts';
import { TRADES, type SlaPolicy } from '../../domain/index.ts';
import { OutpostError } from '../../core/index.ts';
import { Id, RecordId } from './schemas.ts';
import { requireAdmin } from './routes-auth.ts';

const Policy = Type.Object({
  category: Type.Union(TRADES.map((t) => Type.Literal(t))),
  priority: Type.Union(['CRITICAL', 'MAJOR', 'MINOR', 'WARNING'].map((s) => Type.Literal(s))),
  responseMins: Type.Number({ exclusiveMinimum: 0, maximum: 525600 }),
  resolveMins: Type.Number({ exclusiveMinimum: 0, maximum: 525600 }),
  calendar: Type.Union([Type.Literal('business'), Type.Literal('24x7')]),
}, { additionalProperties: false });

const Hhmm = Type.String({ pattern: '^([01][0-9]|2[0-4]):[0-5][0-9]$' });
const CalendarBody = Type.Object({
  /** day: 0 = Sunday .. 6 = Saturday; close before open runs past midnight. */
  hours: Type.Array(Type.Object({ day: Type.Integer({ minimum: 0, maximum: 6 }), open: Hhmm, close: Hhmm }, { additionalProperties: false }), { minItems: 1, maxItems: 50 }),
  holidays: Type.Array(Type.Object({ date: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }), name: Type.Optional(Type.Union([Type.String({ maxLength: 120 }), Type.Null()])) }, { additionalProperties: false }), { maxItems: 1000 }),
}, { additionalProperties: false });

export function slaRoutes(api: FastifyInstance, deps: ApiDeps): void {
  const sla = () => {
    if (!deps.sla) throw new OutpostError('OUTPOST_NOT_FOUND', 'this box runs without SLA clocks');
    return deps.sla;
  };
  api.get('/sla/policies', { schema: { tags: ['sla'] } }, async () => sla().policies());
  api.put('/sla/policies', { schema: { tags: ['sla'], body: Type.Array(Policy, { minItems: 1, maxItems: 500 }) } }, async (req) => {
    requireAdmin(req);
    return sla().setPolicies(req.body as SlaPolicy[]);
  });
  api.get('/sites/:id/calendar', { schema: { tags: ['sla'], params: Type.Object({ id: Id }) } }, async (req) => sla().calendar((req.params as { id: string }).id));
  api.put('/sites/:id/calendar', { schema: { tags: ['sla'], params: Type.Object({ id: Id }), body: CalendarBody } }, async (req) => {
    requireAdmin(req);
    return sla().setCalendar((req.params as { id: string }).id, req.body as Parameters<ReturnType<typeof sla>['setCalendar']>[1]);
  });
  api.get('/tickets/:id/sla', { schema: { tags: ['sla'], params: Type.Object({ id: RecordId }) } }, async (req) => sla().slaOf((req.params as { id: string }).id));
}
