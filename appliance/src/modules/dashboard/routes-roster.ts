// Roster routes: who can be dispatched or escalated to; admins edit it, anyone logged in reads it.
import { Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from './deps.ts';
import { nearestZone, profileProblem, type Engineer } from '../../domain/index.ts';
import { OutpostError } from '../../core/index.ts';
import { Id } from './schemas.ts';
import { requireAdmin } from './routes-auth.ts';

const EngineerBody = Type.Object({
  siteId: Id, name: Type.String({ minLength: 1, maxLength: 120 }),
  username: Type.Optional(Type.Union([Type.String({ pattern: '^[A-Za-z0-9_.@-]{1,64}$' }), Type.Null()])),
  phone: Type.Optional(Type.Union([Type.String({ maxLength: 32 }), Type.Null()])),
  role: Type.Union([Type.Literal('engineer'), Type.Literal('supervisor'), Type.Literal('manager')]),
  active: Type.Optional(Type.Boolean()),
  /** Skills, certificates, zones, shifts, on-call: see docs/api.md (dispatch). */
  profile: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
}, { additionalProperties: false });

export function rosterRoutes(api: FastifyInstance, deps: ApiDeps): void {
  api.get('/engineers', { schema: { tags: ['roster'], querystring: Type.Object({ siteId: Type.Optional(Id) }) } }, async (req) => deps.roster.list((req.query as { siteId?: string }).siteId));
  api.get('/engineers/:id', { schema: { tags: ['roster'], params: Type.Object({ id: Id }) } }, async (req) => {
    const e = deps.roster.get((req.params as { id: string }).id);
    if (!e) throw new OutpostError('OUTPOST_NOT_FOUND', `engineer ${(req.params as { id: string }).id} does not exist`);
    return e;
  });
  api.put('/engineers/:id', { schema: { tags: ['roster'], params: Type.Object({ id: Id }), body: EngineerBody } }, async (req) => {
    requireAdmin(req);
    const b = req.body as Omit<Engineer, 'id' | 'locationZoneId' | 'locationTs' | 'active' | 'profile' | 'username' | 'phone'> & { active?: boolean; profile?: Record<string, unknown>; username?: string | null; phone?: string | null };
    if (!deps.registry.site(b.siteId)) throw new OutpostError('OUTPOST_NOT_FOUND', `site ${b.siteId} does not exist`);
    // The profile is dispatch's document (domain/dispatch-profile.ts): a typo in a shift must not silently take someone off the rota.
    const problem = b.profile ? profileProblem(b.profile) : null;
    if (problem) throw new OutpostError('OUTPOST_BAD_REQUEST', `engineer profile: ${problem}`);
    return deps.roster.upsert({ ...b, id: (req.params as { id: string }).id, username: b.username ?? null, phone: b.phone ?? null, active: b.active ?? true, profile: b.profile ?? {} });
  });
  /** The engineer behind the current login (the field app starts here). */
  api.get('/me/engineer', { schema: { tags: ['roster'] } }, async (req) => {
    const e = deps.roster.byUsername(req.user!.username);
    if (!e) throw new OutpostError('OUTPOST_NOT_FOUND', `login ${req.user!.username} is not on the roster`);
    return e;
  });
  /**
   * The app's position, sent only when the engineer allows it: placed in the nearest marked zone (within 150 m plus
   * the fix's accuracy) and kept as their location for dispatch. The raw coordinates are not stored.
   */
  api.post('/me/location', {
    schema: {
      tags: ['roster'],
      body: Type.Object({ lat: Type.Number({ minimum: -90, maximum: 90 }), lon: Type.Number({ minimum: -180, maximum: 180 }), accuracyM: Type.Optional(Type.Number({ minimum: 0, maximum: 5000 })) }, { additionalProperties: false }),
    },
  }, async (req) => {
    const me = deps.roster.byUsername(req.user!.username);
    if (!me) throw new OutpostError('OUTPOST_NOT_FOUND', `login ${req.user!.username} is not on the roster`);
    const at = req.body as { lat: number; lon: number; accuracyM?: number };
    const hit = nearestZone(deps.registry.zones(me.siteId).map((z) => ({ ...z, lat: z.lat ?? null, lon: z.lon ?? null })), at, 150);
    if (!hit) throw new OutpostError('OUTPOST_LOCATION_UNKNOWN', 'this position is not near any marked zone of your site (an admin marks zone centres under Site > Zones)');
    deps.roster.locate(me.id, hit.zone.id, 'app');
    return { zoneId: hit.zone.id, distanceM: Math.round(hit.distanceM) };
  });
}
