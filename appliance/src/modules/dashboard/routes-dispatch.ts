// Dispatch routes: a ticket's ranked candidates, the site map (walkways), spare parts, stores, stock, reservations.
import { Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from './deps.ts';
import { OutpostError } from '../../core/index.ts';
import { Id, RecordId } from './schemas.ts';
import { requireAdmin, requireStaff } from './routes-auth.ts';
import type { PartFits } from '../dispatch/index.ts';

const Sku = Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' });
const Names = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 100 });
const Link = Type.Object({ a: Id, b: Id, minutes: Type.Number({ minimum: 0, maximum: 1440 }) }, { additionalProperties: false });

export function dispatchRoutes(api: FastifyInstance, deps: ApiDeps): void {
  const d = () => {
    if (!deps.dispatch) throw new OutpostError('OUTPOST_NOT_FOUND', 'dispatch is not part of this box');
    return deps.dispatch;
  };

  // The ranked, explained list the dashboard offers for an override.
  api.get('/tickets/:id/candidates', { schema: { tags: ['dispatch'], params: Type.Object({ id: RecordId }) } }, async (req) => {
    requireStaff(req);
    return d().candidates((req.params as { id: string }).id);
  });
  api.get('/tickets/:id/parts', { schema: { tags: ['dispatch'], params: Type.Object({ id: RecordId }) } }, async (req) => d().reservations((req.params as { id: string }).id));

  api.get('/sitemap', { schema: { tags: ['dispatch'], querystring: Type.Object({ siteId: Id }) } }, async (req) => {
    const { siteId } = req.query as { siteId: string };
    if (!deps.registry.site(siteId)) throw new OutpostError('OUTPOST_NOT_FOUND', `site ${siteId} does not exist`);
    const zones = deps.registry.zones(siteId);
    const m = d().siteMap.matrix();
    const minutes = Object.fromEntries(zones.map((a) => [a.id, Object.fromEntries(zones.map((b) => [b.id, Number.isFinite(m.minutes(a.id, b.id)) ? m.minutes(a.id, b.id) : null]))]));
    return { siteId, zones, links: d().siteMap.links(siteId), minutes };
  });
  api.put('/sitemap/:siteId', { schema: { tags: ['dispatch'], params: Type.Object({ siteId: Id }), body: Type.Object({ links: Type.Array(Link, { maxItems: 5000 }) }, { additionalProperties: false }) } }, async (req) => {
    requireAdmin(req);
    const { siteId } = req.params as { siteId: string };
    if (!deps.registry.site(siteId)) throw new OutpostError('OUTPOST_NOT_FOUND', `site ${siteId} does not exist`);
    const links = d().siteMap.setLinks(siteId, (req.body as { links: { a: string; b: string; minutes: number }[] }).links);
    d().retryWaiting();
    return { siteId, links };
  });

  api.get('/parts', { schema: { tags: ['parts'] } }, async () => d().parts.parts());
  api.put('/parts/:sku', {
    schema: {
      tags: ['parts'], params: Type.Object({ sku: Sku }),
      body: Type.Object({
        nameEn: Type.String({ minLength: 1, maxLength: 120 }), nameZh: Type.String({ minLength: 1, maxLength: 120 }), lowStock: Type.Integer({ minimum: 0 }),
        fits: Type.Object({ assetTypes: Type.Optional(Names), alarmTypes: Type.Optional(Names), faultCodes: Type.Optional(Names) }, { additionalProperties: false }),
      }, { additionalProperties: false }),
    },
  }, async (req) => {
    requireAdmin(req);
    const b = req.body as { nameEn: string; nameZh: string; lowStock: number; fits: PartFits };
    return d().parts.upsertPart({ sku: (req.params as { sku: string }).sku, ...b });
  });
  api.get('/stores', { schema: { tags: ['parts'], querystring: Type.Object({ siteId: Type.Optional(Id) }) } }, async (req) => d().parts.stores((req.query as { siteId?: string }).siteId));
  api.put('/stores/:id', {
    schema: {
      tags: ['parts'], params: Type.Object({ id: Id }),
      body: Type.Object({
        siteId: Id, kind: Type.Union([Type.Literal('site'), Type.Literal('van')]), name: Type.String({ minLength: 1, maxLength: 120 }),
        zoneId: Type.Optional(Type.Union([Id, Type.Null()])), engineerId: Type.Optional(Type.Union([Id, Type.Null()])),
      }, { additionalProperties: false }),
    },
  }, async (req) => {
    requireAdmin(req);
    const b = req.body as { siteId: string; kind: 'site' | 'van'; name: string; zoneId?: string | null; engineerId?: string | null };
    if (!deps.registry.site(b.siteId)) throw new OutpostError('OUTPOST_NOT_FOUND', `site ${b.siteId} does not exist`);
    if (b.kind === 'site' && !b.zoneId) throw new OutpostError('OUTPOST_BAD_REQUEST', 'a site store sits in a zone: zoneId is required');
    if (b.zoneId && !deps.registry.zones(b.siteId).some((z) => z.id === b.zoneId)) throw new OutpostError('OUTPOST_NOT_FOUND', `zone ${b.zoneId} is not on site ${b.siteId}`);
    return d().parts.upsertStore({ id: (req.params as { id: string }).id, siteId: b.siteId, kind: b.kind, name: b.name, zoneId: b.zoneId ?? null, engineerId: b.engineerId ?? null });
  });
  api.get('/stock', { schema: { tags: ['parts'], querystring: Type.Object({ storeId: Type.Optional(Id) }) } }, async (req) => d().parts.stock((req.query as { storeId?: string }).storeId));
  // A count after a delivery or a stocktake: operators do those as well as admins.
  api.put('/stock/:storeId/:sku', {
    schema: { tags: ['parts'], params: Type.Object({ storeId: Id, sku: Sku }), body: Type.Object({ qty: Type.Integer({ minimum: 0, maximum: 1_000_000 }) }, { additionalProperties: false }) },
  }, async (req) => {
    requireStaff(req);
    const { storeId, sku } = req.params as { storeId: string; sku: string };
    const line = d().parts.setStock(storeId, sku, (req.body as { qty: number }).qty);
    d().retryWaiting();
    return line;
  });
}
