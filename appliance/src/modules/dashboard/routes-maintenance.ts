// Maintenance routes: plans per asset type (usage and calendar intervals) and each asset's counters and tasks.
import { Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from './deps.ts';
import type { MaintenancePlan } from '../../domain/index.ts';
import { OutpostError } from '../../core/index.ts';
import { requireAdmin } from './routes-auth.ts';
import { Id } from './schemas.ts';

const Positive = Type.Optional(Type.Number({ exclusiveMinimum: 0 }));
const PlanBody = Type.Object({
  running: Type.Optional(Type.Object({ point: Type.String({ minLength: 1 }), above: Type.Number() }, { additionalProperties: false })),
  cycles: Type.Optional(Type.Object({ point: Type.String({ minLength: 1 }) }, { additionalProperties: false })),
  tasks: Type.Array(Type.Object({
    id: Type.String({ pattern: '^[a-z0-9_]{1,48}$' }), title: Type.String({ minLength: 1, maxLength: 120 }),
    everyRunH: Positive, everyStarts: Positive, everyCycles: Positive, everyDays: Positive,
    priority: Type.Optional(Type.Union(['CRITICAL', 'MAJOR', 'MINOR', 'WARNING'].map((s) => Type.Literal(s)))),
  }, { additionalProperties: false }), { maxItems: 50 }),
}, { additionalProperties: false });

export function maintenanceRoutes(api: FastifyInstance, deps: ApiDeps): void {
  const usage = () => {
    if (!deps.usage) throw new OutpostError('OUTPOST_NOT_FOUND', 'maintenance plans are not enabled on this box');
    return deps.usage;
  };
  api.get('/maintenance/plans', { schema: { tags: ['maintenance'] } }, async () => usage().plans());
  api.put('/maintenance/plans/:assetType', { schema: { tags: ['maintenance'], params: Type.Object({ assetType: Id }), body: PlanBody } }, async (req) => {
    requireAdmin(req);
    return usage().setPlan({ assetType: (req.params as { assetType: string }).assetType, ...(req.body as Omit<MaintenancePlan, 'assetType'>) });
  });
  api.get('/assets/:id/maintenance', { schema: { tags: ['maintenance'], params: Type.Object({ id: Id }) } }, async (req) => usage().of((req.params as { id: string }).id));
}
