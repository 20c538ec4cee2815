// Site model routes: sites and their overview, devices with latest values and rejects, profiles, reading history.
import { Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from './deps.ts';
import { requireAdmin } from './routes-auth.ts';
import { OutpostError } from '../../core/index.ts';
import { highest, profileProblems, pointZone, type Severity, type DeviceProfile } from '../../domain/index.ts';
import { Id, ProfileBodySchema } from './schemas.ts';
import type { DeviceEntry } from '../devices/index.ts';


export function siteRoutes(api: FastifyInstance, deps: ApiDeps): void {
  const { registry, ingest, alarms } = deps;

  const deviceSummary = (e: DeviceEntry) => ({
    id: e.device.id, siteId: e.device.siteId, assetId: e.device.assetId, profileId: e.device.profileId, name: e.device.name,
    status: e.device.status, lastSeenTs: e.device.lastSeenTs, rejected: ingest.rejects(e.device.id).count,
  });
  const entryOr404 = (id: string): DeviceEntry => {
    const e = registry.get(id);
    if (!e) throw new OutpostError('OUTPOST_NOT_FOUND', `device ${id} does not exist`);
    return e;
  };

  api.get('/sites', { schema: { tags: ['site'] } }, async () => registry.sites());

  const siteOr404 = (siteId: string) => {
    const site = registry.sites().find((s) => s.id === siteId);
    if (!site) throw new OutpostError('OUTPOST_NOT_FOUND', `site ${siteId} does not exist`);
    return site;
  };

  api.get('/sites/:siteId/overview', { schema: { tags: ['site'], params: Type.Object({ siteId: Id }) } }, async (req) => {
    const { siteId } = req.params as { siteId: string };
    const site = siteOr404(siteId);
    const active = alarms.active();
    const devices = registry.devices().filter((e) => e.device.siteId === siteId);
    return {
      site,
      zones: registry.zones(siteId),
      assets: registry.assets(siteId).map((a) => {
        const mine = devices.filter((e) => e.device.assetId === a.id);
        const severity = highest(active.filter((al) => al.assetId === a.id).map((al) => al.severity as Severity));
        const offline = mine.length > 0 && mine.every((e) => e.device.status === 'offline');
        return {
          ...a, state: severity ? 'alarm' : offline ? 'offline' : 'ok', severity,
          devices: mine.map((e) => ({ id: e.device.id, name: e.device.name, status: e.device.status, lastSeenTs: e.device.lastSeenTs })),
        };
      }),
    };
  });

  // The site model is edited by admins: create or replace by id.
  const Name = Type.String({ minLength: 1, maxLength: 120 });
  api.put('/sites/:id', { schema: { tags: ['site'], params: Type.Object({ id: Id }), body: Type.Object({ name: Name, timezone: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }) } }, async (req) => {
    requireAdmin(req);
    const body = req.body as { name: string; timezone: string };
    if (!Intl.supportedValuesOf('timeZone').includes(body.timezone) && body.timezone !== 'UTC') throw new OutpostError('OUTPOST_BAD_REQUEST', `unknown time zone "${body.timezone}" (use an IANA name such as Asia/Shanghai)`);
    const site = { id: (req.params as { id: string }).id, ...body };
    registry.upsertSite(site);
    return site;
  });
  api.get('/sites/:siteId/zones', { schema: { tags: ['site'], params: Type.Object({ siteId: Id }) } }, async (req) => registry.zones((req.params as { siteId: string }).siteId));
  api.put('/zones/:id', {
    schema: {
      tags: ['site'], params: Type.Object({ id: Id }),
      body: Type.Object({ siteId: Id, name: Name, lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })), lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })) }, { additionalProperties: false }),
    },
  }, async (req) => {
    requireAdmin(req);
    const b = req.body as { siteId: string; name: string; lat?: number; lon?: number };
    const zone = { id: (req.params as { id: string }).id, siteId: b.siteId, name: b.name, lat: b.lat ?? null, lon: b.lon ?? null };
    siteOr404(zone.siteId);
    registry.upsertZone(zone);
    return zone;
  });
  api.get('/assets', { schema: { tags: ['site'] } }, async () => registry.assets());
  api.put('/assets/:id', {
    schema: {
      tags: ['site'], params: Type.Object({ id: Id }),
      body: Type.Object({ siteId: Id, zoneId: Type.Optional(Id), name: Name, type: Type.String({ minLength: 1, maxLength: 64 }), criticality: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })) }, { additionalProperties: false }),
    },
  }, async (req) => {
    requireAdmin(req);
    const b = req.body as { siteId: string; zoneId?: string; name: string; type: string; criticality?: number };
    siteOr404(b.siteId);
    if (b.zoneId && !registry.zones(b.siteId).some((z) => z.id === b.zoneId)) throw new OutpostError('OUTPOST_NOT_FOUND', `zone ${b.zoneId} is not in site ${b.siteId}`);
    const asset = { id: (req.params as { id: string }).id, siteId: b.siteId, zoneId: b.zoneId ?? null, name: b.name, type: b.type, criticality: b.criticality ?? 2 };
    registry.upsertAsset(asset);
    return asset;
  });

  api.get('/devices', { schema: { tags: ['devices'] } }, async () => registry.devices().map(deviceSummary));

  api.get('/devices/:id', { schema: { tags: ['devices'], params: Type.Object({ id: Id }) } }, async (req) => {
    const e = entryOr404((req.params as { id: string }).id);
    const latest = ingest.latestOf(e.device.id);
    return {
      ...deviceSummary(e),
      points: e.profile.points.map((p) => ({
        key: p.key, name: p.name, unit: p.unit ?? null, ts: latest.get(p.key)?.ts ?? null, value: latest.get(p.key)?.value ?? null,
        // ISO 10816-3 zone (A-D) of the latest value, where a zone rule classifies the point.
        zone: pointZone(e.profile.rules, p.key, latest.get(p.key)?.value ?? null),
      })),
      rejects: ingest.rejects(e.device.id).last.map((r) => ({ ts: r.ts, code: r.code, message: r.message })),
      // The field link (Modbus) with its last poll and last error; null for MQTT devices.
      link: deps.modbus?.link(e.device.id) ?? null,
    };
  });

  api.post('/devices', {
    schema: {
      tags: ['devices'],
      body: Type.Object({ id: Id, siteId: Id, assetId: Type.Optional(Id), profileId: Id, name: Type.String({ minLength: 1, maxLength: 120 }), password: Type.String({ minLength: 8, maxLength: 256 }) }, { additionalProperties: false }),
    },
  }, async (req, reply) => {
    requireAdmin(req);
    const e = await registry.addDevice(req.body as never);
    reply.code(201);
    return deviceSummary(e);
  });

  api.get('/profiles', { schema: { tags: ['devices'] } }, async () => registry.profiles());

  /** Create or replace a profile; devices using it pick up the new points and rules at once. */
  api.put('/profiles/:id', { schema: { tags: ['devices'], params: Type.Object({ id: Id }), body: ProfileBodySchema } }, async (req) => {
    requireAdmin(req);
    const profile = { id: (req.params as { id: string }).id, ...(req.body as Omit<DeviceProfile, 'id'>) };
    const problems = profileProblems(profile);
    if (problems.length) throw new OutpostError('OUTPOST_BAD_REQUEST', `profile ${profile.id}: ${problems.join('; ')}`);
    registry.upsertProfile(profile);
    return profile;
  });

  api.get('/devices/:id/readings', {
    schema: {
      tags: ['devices'], params: Type.Object({ id: Id }),
      querystring: Type.Object({ point: Type.String({ minLength: 1 }), from: Type.Optional(Type.Integer()), to: Type.Optional(Type.Integer()) }),
    },
  }, async (req) => {
    const e = entryOr404((req.params as { id: string }).id);
    const q = req.query as { point: string; from?: number; to?: number };
    const p = e.points.get(q.point);
    if (!p) throw new OutpostError('OUTPOST_POINT_UNKNOWN', `device ${e.device.id} has no point "${q.point}"`);
    const to = q.to ?? deps.clock.now();
    const from = q.from ?? to - 15 * 60_000;
    return { deviceId: e.device.id, point: q.point, ...deps.series(p.id, from, to) };
  });

  api.get('/devices/:id/events', { schema: { tags: ['devices'], params: Type.Object({ id: Id }) } }, async (req) =>
    ingest.events(entryOr404((req.params as { id: string }).id).device.id));

  api.get('/latest', { schema: { tags: ['devices'] } }, async () => ingest.latest());
}
