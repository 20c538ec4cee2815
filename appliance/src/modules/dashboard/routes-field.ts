// The engineer app's routes (/me/...): my jobs, check-in by QR, checklist, notes, photos, sign-off; QR labels and
// job templates for the dashboard. Registered in their own scope: photos arrive as raw image bodies.
import { Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiDeps } from './deps.ts';
import { TICKET_MOVES, type TicketStatus } from '../../domain/index.ts';
import { OutpostError } from '../../core/index.ts';
import type { Field } from '../field/index.ts';
import { Id, RecordId } from './schemas.ts';
import { requireAdmin, requireStaff } from './routes-auth.ts';

const JobParams = Type.Object({ id: RecordId });
// Null first in unions: the API's ajv coerces types, and would read a null value as 0 if the number came first.
const Text = (max: number) => Type.String({ maxLength: max });
const StepSchema = Type.Object({
  id: Id, en: Type.String({ minLength: 1, maxLength: 300 }), zh: Type.String({ minLength: 1, maxLength: 300 }), point: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  expect: Type.Optional(Type.Object({ min: Type.Optional(Type.Number()), max: Type.Optional(Type.Number()) }, { additionalProperties: false })),
}, { additionalProperties: false });

const origin = (req: FastifyRequest) => `${req.protocol}://${req.headers.host ?? 'localhost'}`;

export function fieldRoutes(api: FastifyInstance, deps: ApiDeps & { field: Field }): void {
  const { field } = deps;
  const me = (req: FastifyRequest) => field.me(req.user!.username);
  const idOf = (req: FastifyRequest) => (req.params as { id: string }).id;
  /** Staff see any job; an engineer only their own. */
  const mayRead = (req: FastifyRequest, ticketId: string) => {
    if (req.user!.role === 'admin' || req.user!.role === 'operator') return;
    if (deps.tickets.get(ticketId).assignee !== me(req).id) throw new OutpostError('OUTPOST_FORBIDDEN', `ticket ${ticketId} is not assigned to you`);
  };
  const maxBytes = field.photoMaxBytes;

  api.register(async (f) => {
    // Any body type reaches the photo route as bytes; the handler judges the bytes, not the header.
    f.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBytes }, (_req, body, done) => done(null, body));
    f.addHook('onError', async (req, _reply, err: Error & { statusCode?: number }) => {
      // The parser's own limit (a body sent without a length); the length check below counts its own refusals.
      if (err.statusCode === 413 && !(err instanceof OutpostError) && req.url.includes('/photos')) deps.metrics.fieldRejected.inc({ code: 'OUTPOST_PAYLOAD_TOO_LARGE' });
    });

    // SLA clocks come from the SLA module when the box has it: the deadline the engineer works to.
    f.get('/me/jobs', { schema: { tags: ['engineer app'] } }, async (req) => {
      const jobs = field.myJobs(me(req));
      const sla = deps.sla?.slaSummary(jobs);
      return sla ? jobs.map((j) => ({ ...j, sla: sla.get(j.id) ?? null })) : jobs;
    });
    f.get('/me/jobs/:id', { schema: { tags: ['engineer app'], params: JobParams } }, async (req) => {
      const j = field.job(idOf(req), me(req));
      return deps.sla ? { ...j, sla: deps.sla.slaOf(idOf(req)) } : j;
    });
    f.post('/me/jobs/:id/transition', {
      schema: { tags: ['engineer app'], params: JobParams, body: Type.Object({ to: Type.Union(Object.keys(TICKET_MOVES).map((s) => Type.Literal(s))), note: Type.Optional(Text(2000)) }, { additionalProperties: false }) },
    }, async (req) => {
      const b = req.body as { to: TicketStatus; note?: string };
      return field.move(idOf(req), me(req), b.to, b.note, req.user!.username);
    });
    const Code = Type.Object({ code: Type.String({ minLength: 1, maxLength: 600 }) }, { additionalProperties: false });
    f.post('/me/jobs/:id/checkin', { schema: { tags: ['engineer app'], params: JobParams, body: Code } }, async (req) =>
      field.checkin(idOf(req), me(req), (req.body as { code: string }).code, req.user!.username));
    f.post('/me/checkin', { schema: { tags: ['engineer app'], body: Code } }, async (req) =>
      field.checkinByCode(me(req), (req.body as { code: string }).code, req.user!.username));
    f.post('/me/jobs/:id/checklist', {
      schema: {
        tags: ['engineer app'], params: JobParams,
        body: Type.Object({ stepId: Id, done: Type.Boolean(), value: Type.Optional(Type.Union([Type.Null(), Type.Number()])), note: Type.Optional(Type.Union([Type.Null(), Text(2000)])) }, { additionalProperties: false }),
      },
    }, async (req) => {
      const b = req.body as { stepId: string; done: boolean; value?: number | null; note?: string | null };
      return field.saveStep(idOf(req), me(req), b.stepId, b, req.user!.username);
    });
    f.post('/me/jobs/:id/notes', { schema: { tags: ['engineer app'], params: JobParams, body: Type.Object({ text: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false }) } }, async (req, reply) => {
      reply.code(201);
      return field.addNote(idOf(req), me(req), (req.body as { text: string }).text, req.user!.username);
    });
    f.post('/me/jobs/:id/photos', {
      bodyLimit: maxBytes,
      schema: { tags: ['engineer app'], params: JobParams, description: `Raw image body (image/jpeg, image/png, image/webp), at most ${maxBytes} bytes.` },
      // Refused from the header before the upload is read, when the phone says how big it is.
      onRequest: async (req) => {
        const len = Number(req.headers['content-length'] ?? 0);
        if (len > maxBytes) {
          deps.metrics.fieldRejected.inc({ code: 'OUTPOST_PAYLOAD_TOO_LARGE' });
          throw new OutpostError('OUTPOST_PAYLOAD_TOO_LARGE', `this photo is ${(len / 1048576).toFixed(1)} MB; the limit is ${(maxBytes / 1048576).toFixed(1)} MB`);
        }
      },
    }, async (req, reply) => {
      if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
        deps.metrics.fieldRejected.inc({ code: 'OUTPOST_PHOTO_TYPE' });
        throw new OutpostError('OUTPOST_PHOTO_TYPE', 'send the photo as the raw request body (image/jpeg, image/png or image/webp)');
      }
      reply.code(201);
      return field.addPhoto(idOf(req), me(req), req.body, req.user!.username);
    });
    f.post('/me/jobs/:id/signoff', {
      schema: {
        tags: ['engineer app'], params: JobParams,
        body: Type.Object({
          notes: Text(4000),
          partsUsed: Type.Array(Type.Object({ sku: Type.String({ minLength: 1, maxLength: 64 }), qty: Type.Integer({ minimum: 1, maximum: 10000 }) }, { additionalProperties: false }), { maxItems: 50 }),
          signature: Type.Object({ name: Type.String({ minLength: 1, maxLength: 120 }), png: Type.Optional(Type.String({ maxLength: 400_000 })) }, { additionalProperties: false }),
          incompleteReason: Type.Optional(Text(2000)),
        }, { additionalProperties: false }),
      },
    }, async (req) => field.signoff(idOf(req), me(req), req.body as never, req.user!.username));

    // Read by the dashboard's work-order page and by the app.
    f.get('/tickets/:id/job', { schema: { tags: ['engineer app'], params: JobParams } }, async (req) => {
      mayRead(req, idOf(req));
      return field.job(idOf(req), null);
    });
    f.get('/photos/:id', { schema: { tags: ['engineer app'], params: Type.Object({ id: RecordId }) } }, async (req, reply) => {
      const p = field.photoFile(idOf(req));
      mayRead(req, p.ticketId);
      reply.type(p.mime).header('cache-control', 'private, max-age=31536000, immutable');
      return p.body;
    });

    f.get('/assets/:id/qr.svg', { schema: { tags: ['engineer app'], params: Type.Object({ id: Id }) } }, async (req, reply) => {
      requireStaff(req);
      const svg = await field.labelSvg(origin(req), idOf(req));
      reply.type('image/svg+xml');
      return svg;
    });
    f.get('/assets/:id/label', { schema: { tags: ['engineer app'], params: Type.Object({ id: Id }) } }, async (req) => {
      requireStaff(req);
      const a = deps.registry.asset(idOf(req));
      if (!a) throw new OutpostError('OUTPOST_NOT_FOUND', `asset ${idOf(req)} does not exist`);
      return { assetId: a.id, name: a.name, url: field.labelUrl(origin(req), a.id) };
    });
    f.get('/job-templates', { schema: { tags: ['engineer app'] } }, async () => field.templates());
    f.put('/job-templates/:id', {
      schema: {
        tags: ['engineer app'], params: Type.Object({ id: Id }),
        body: Type.Object({
          name: Type.String({ minLength: 1, maxLength: 120 }),
          match: Type.Object({ category: Type.Optional(Type.String()), alarmType: Type.Optional(Type.String()), assetType: Type.Optional(Type.String()) }, { additionalProperties: false }),
          steps: Type.Array(StepSchema, { minItems: 1, maxItems: 60 }),
        }, { additionalProperties: false }),
      },
    }, async (req) => {
      requireAdmin(req);
      return field.upsertTemplate({ id: idOf(req), ...(req.body as never as { name: string; match: {}; steps: never[] }) });
    });
  });
}
