// The engineer's side of a work order: my jobs, QR check-in, the checklist sheet, photos, sign-off, and the
// label secret that makes QR codes unforgeable. Ticket state itself stays with modules/tickets.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bus, Clock } from '../../core/index.ts';
import { newId, OutpostError } from '../../core/index.ts';
import type { Engineer, Ticket, TicketStatus } from '../../domain/index.ts';
import { missingSteps, parseCheckinCode, pickTemplate, stepBand, templateProblems, type JobStep, type JobTemplate, type StepProgress } from '../../domain/index.ts';
import { transaction, type Db } from '../storage/index.ts';
import type { Registry } from '../devices/index.ts';
import type { Tickets, TicketEvent } from '../tickets/index.ts';
import type { Roster } from '../roster/index.ts';
import type { Metrics } from '../health/index.ts';
import { DEFAULT_TEMPLATES } from './default-templates.ts';
import { idempotency } from './idempotency.ts';
import type { FastifyInstance } from 'fastify';

export interface Part { sku: string; qty: number }
export interface Signoff { notes: string; partsUsed: Part[]; signature: { name: string; png?: string }; incompleteReason?: string | null; missing: string[]; by: string; ts: number }
export interface Photo { id: string; ticketId: string; ts: number; by: string; mime: string; bytes: number }

/** States a job is worked in from the field: check-in is possible from any of them. */
const CHECKIN_FROM: TicketStatus[] = ['assigned', 'accepted', 'en_route', 'in_progress'];

/** Image types by their first bytes (a Content-Type header alone proves nothing). */
export function imageType(buf: Buffer): 'image/jpeg' | 'image/png' | 'image/webp' | null {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'image/jpeg';
  if (buf.length >= 8 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (buf.length >= 12 && buf.toString('latin1', 0, 4) === 'RIFF' && buf.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return null;
}
const EXT = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' } as const;

/**
 * Verification as the engineer sees it, read from the trail: the box moved the ticket to verifying, then closed
 * it (verified) or handed it back (reopened, with the evidence the verifier wrote into the event).
 */
export function verifyState(status: TicketStatus, events: TicketEvent[]): { state: 'verifying' | 'verified' | 'reopened' | null; note: string | null; data: unknown } {
  if (status === 'verifying') return { state: 'verifying', note: null, data: null };
  // The verifier closes with a status move, and hands back by re-assigning (kind 'assigned') or a status move.
  const last = [...events].reverse().find((e) => e.from === 'verifying');
  if (!last) return { state: null, note: null, data: null };
  if (last.to === 'closed' && status === 'closed') return { state: 'verified', note: last.note, data: last.data };
  if ((last.to === 'assigned' || last.to === 'in_progress') && !['resolved', 'closed', 'cancelled'].includes(status)) {
    const failed = [...events].reverse().find((e) => e.kind === 'verification_failed');
    const f = (failed?.data ?? null) as { reason?: string; value?: number } | null;
    return { state: 'reopened', note: last.note, data: f ? { reason: f.reason ?? null, value: f.value ?? null, ts: failed!.ts } : last.data };
  }
  return { state: null, note: null, data: null };
}

export function createField(
  deps: { db: Db; bus: Bus; clock: Clock; registry: Registry; tickets: Tickets; roster: Roster; metrics: Metrics; latestOf: (deviceId: string) => Map<string, { ts: number; value: number }> },
  config: { dataDir: string; publicUrl: string; photoMaxBytes: number },
) {
  const { db, bus, clock, registry, tickets, roster } = deps;
  const photoDir = join(config.dataDir, 'photos');
  let secret: Buffer | null = null;

  function labelSecret(): Buffer {
    if (secret) return secret;
    const row = db.prepare("SELECT value FROM box_secrets WHERE name = 'qr_label'").get() as { value: string } | undefined;
    if (row) return (secret = Buffer.from(row.value, 'base64'));
    const fresh = randomBytes(32);
    db.prepare("INSERT OR IGNORE INTO box_secrets (name, value) VALUES ('qr_label', ?)").run(fresh.toString('base64'));
    return labelSecret();
  }

  /** 96 bits of HMAC-SHA256 over the asset id: short enough for a small QR, far too many to guess. */
  function labelToken(assetId: string): string {
    return createHmac('sha256', labelSecret()).update(`asset:${assetId}`).digest().subarray(0, 12).toString('base64url');
  }

  function labelUrl(origin: string, assetId: string): string {
    const base = (config.publicUrl || origin).replace(/\/+$/, '');
    return `${base}/engineer/#/checkin/${assetId}.${labelToken(assetId)}`;
  }

  /** The asset a scanned code names, if its token is this box's; a forged or garbled code is refused and counted. */
  function assetOfCode(code: string): string {
    const parsed = parseCheckinCode(code);
    const ok = parsed && registry.asset(parsed.assetId) && (() => {
      const want = Buffer.from(labelToken(parsed.assetId));
      const got = Buffer.from(parsed.token);
      return want.length === got.length && timingSafeEqual(want, got);
    })();
    if (!ok) {
      deps.metrics.fieldRejected.inc({ code: 'OUTPOST_CHECKIN_INVALID' });
      throw new OutpostError('OUTPOST_CHECKIN_INVALID', 'this QR code is not a label of this box (scan the label on the asset itself)');
    }
    return parsed!.assetId;
  }

  // ---- templates and sheets -------------------------------------------------------------------

  const rowToTemplate = (r: Record<string, unknown>): JobTemplate => ({ id: r.id as string, name: r.name as string, match: JSON.parse(r.match as string), steps: JSON.parse(r.steps as string) });
  function templates(): JobTemplate[] {
    return (db.prepare('SELECT * FROM job_templates ORDER BY id').all() as Record<string, unknown>[]).map(rowToTemplate);
  }
  function upsertTemplate(t: JobTemplate, builtin = false): JobTemplate {
    const problems = templateProblems(t);
    if (problems.length) throw new OutpostError('OUTPOST_BAD_REQUEST', `template ${t.id}: ${problems.join('; ')}`);
    db.prepare(`INSERT INTO job_templates (id, name, match, steps, builtin) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, match = excluded.match, steps = excluded.steps, builtin = excluded.builtin`)
      .run(t.id, t.name, JSON.stringify(t.match), JSON.stringify(t.steps), builtin ? 1 : 0);
    return t;
  }

  interface Sheet { ticketId: string; templateId: string | null; steps: JobStep[]; checkinTs: number | null; signoff: Signoff | null; signedTs: number | null }
  const rowToSheet = (r: Record<string, unknown>): Sheet => ({
    ticketId: r.ticket_id as string, templateId: (r.template_id as string) ?? null, steps: JSON.parse(r.steps as string),
    checkinTs: (r.checkin_ts as number) ?? null, signoff: r.signoff ? JSON.parse(r.signoff as string) : null, signedTs: (r.signed_ts as number) ?? null,
  });

  /** The job's sheet, made from the best-fitting template the first time anyone looks at it. */
  function sheet(t: Ticket): Sheet {
    const row = db.prepare('SELECT * FROM job_sheets WHERE ticket_id = ?').get(t.id) as Record<string, unknown> | undefined;
    if (row) return rowToSheet(row);
    const assetType = t.assetId ? registry.asset(t.assetId)?.type ?? null : null;
    const tpl = pickTemplate(templates(), { category: t.category, alarmType: t.alarmType, assetType });
    db.prepare('INSERT OR IGNORE INTO job_sheets (ticket_id, template_id, steps) VALUES (?, ?, ?)').run(t.id, tpl?.id ?? null, JSON.stringify(tpl?.steps ?? []));
    return rowToSheet(db.prepare('SELECT * FROM job_sheets WHERE ticket_id = ?').get(t.id) as Record<string, unknown>);
  }

  function progress(ticketId: string): StepProgress[] {
    return (db.prepare('SELECT * FROM job_progress WHERE ticket_id = ?').all(ticketId) as Record<string, unknown>[]).map((r) => ({
      stepId: r.step_id as string, done: r.done === 1, value: (r.value as number) ?? null, note: (r.note as string) ?? null, ts: r.ts as number, by: r.by as string,
    }));
  }

  /** The live reading of a point on the job's asset: the first of the asset's devices that measures it. */
  function reading(assetId: string | null, point: string): { deviceId: string; point: string; unit: string | null; value: number | null; ts: number | null } | null {
    if (!assetId) return null;
    for (const e of registry.devices()) {
      if (e.device.assetId !== assetId || !e.points.has(point)) continue;
      const l = deps.latestOf(e.device.id).get(point);
      const unit = e.profile.points.find((p) => p.key === point)?.unit ?? null;
      return { deviceId: e.device.id, point, unit, value: l?.value ?? null, ts: l?.ts ?? null };
    }
    return null;
  }

  function photos(ticketId: string): Photo[] {
    return (db.prepare('SELECT * FROM job_photos WHERE ticket_id = ? ORDER BY ts, id').all(ticketId) as Record<string, unknown>[]).map((r) => ({
      id: r.id as string, ticketId: r.ticket_id as string, ts: r.ts as number, by: r.by as string, mime: r.mime as string, bytes: r.bytes as number,
    }));
  }

  function names(t: Ticket) {
    const asset = t.assetId ? registry.asset(t.assetId) : undefined;
    const zoneId = t.zoneId ?? asset?.zoneId ?? null;
    const zone = zoneId ? registry.zones(t.siteId).find((z) => z.id === zoneId) : undefined;
    return { assetName: asset?.name ?? null, assetType: asset?.type ?? null, zoneId, zoneName: zone?.name ?? null };
  }

  /** SLA due times when the SLA module puts an `sla` field on the ticket detail (absent otherwise). */
  function slaOf(detail: unknown): unknown {
    return (detail as { sla?: unknown }).sla ?? null;
  }

  function ownJob(id: string, me: Engineer): Ticket {
    const t = tickets.get(id);
    if (t.assignee !== me.id) throw new OutpostError('OUTPOST_FORBIDDEN', `ticket ${id} is not assigned to you`);
    return t;
  }

  return {
    start(): void {
      // Built-ins are refreshed on each start (a new box version may improve them); a site's own templates are left alone.
      for (const t of DEFAULT_TEMPLATES) upsertTemplate(t, true);
    },
    stop(): void {},
    photoMaxBytes: config.photoMaxBytes,
    /** Installs the Idempotency-Key store on the HTTP server (POSTs under /api/v1/me/). */
    installIdempotency(app: FastifyInstance): void {
      idempotency(app, { db, clock, onReplay: () => deps.metrics.fieldReplays.inc() });
    },
    templates,
    upsertTemplate,
    labelToken,
    labelUrl,
    assetOfCode,
    /** The printable label: an SVG QR code of the check-in URL. */
    async labelSvg(origin: string, assetId: string): Promise<string> {
      if (!registry.asset(assetId)) throw new OutpostError('OUTPOST_NOT_FOUND', `asset ${assetId} does not exist`);
      // Loaded when a label is printed, not at every start.
      const { default: QRCode } = await import('qrcode');
      return QRCode.toString(labelUrl(origin, assetId), { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    },

    /** My open work orders (most urgent first) and those closed in the last day, with the names a phone shows. */
    myJobs(me: Engineer) {
      const since = clock.now() - 24 * 3600_000;
      const recent = tickets.list({ limit: 500 }).filter((t) => t.assignee === me.id && t.status === 'closed' && t.updatedTs >= since);
      return [...tickets.assignedTo(me.id), ...recent].map((t) => {
        const d = tickets.detail(t.id);
        const sh = db.prepare('SELECT checkin_ts FROM job_sheets WHERE ticket_id = ?').get(t.id) as { checkin_ts: number | null } | undefined;
        return { ...t, ...names(t), sla: slaOf(d), verify: verifyState(t.status, d.events).state, checkinTs: sh?.checkin_ts ?? null };
      });
    },

    /** One job as the app draws it: the ticket, its checklist with live readings and progress, photos, sign-off, verification. */
    job(id: string, me: Engineer | null) {
      const t = me ? ownJob(id, me) : tickets.get(id);
      const d = tickets.detail(id);
      const sh = sheet(t);
      const prog = new Map(progress(id).map((p) => [p.stepId, p]));
      const steps = sh.steps.map((s) => {
        const live = s.point ? reading(t.assetId, s.point) : null;
        const p = prog.get(s.id) ?? null;
        return { ...s, progress: p, live, liveBand: stepBand(s, live?.value), valueBand: stepBand(s, p?.value) };
      });
      const v = verifyState(t.status, d.events);
      return {
        ticket: t, ...names(t), moves: d.moves, sla: slaOf(d), templateId: sh.templateId, steps,
        missing: missingSteps(sh.steps, [...prog.values()]), checkinTs: sh.checkinTs, signoff: sh.signoff, photos: photos(id),
        verify: v, notes: d.events.filter((e) => e.kind === 'note').map((e) => ({ ts: e.ts, actor: e.actor, text: e.note })),
        evidence: d.evidence && 'alarm' in d.evidence ? { alarm: d.evidence.alarm } : null,
      };
    },

    /** Scan at the asset: the code must be this box's label of the job's own asset. The engineer is then there. */
    checkin(id: string, me: Engineer, code: string, actor: string): Ticket {
      let t = ownJob(id, me);
      const assetId = assetOfCode(code);
      if (t.assetId !== assetId) {
        deps.metrics.fieldRejected.inc({ code: 'OUTPOST_CHECKIN_WRONG_ASSET' });
        throw new OutpostError('OUTPOST_CHECKIN_WRONG_ASSET', `this label is for asset ${assetId}; job ${id} is on ${t.assetId ?? 'no asset'}`);
      }
      if (!CHECKIN_FROM.includes(t.status)) throw new OutpostError('OUTPOST_TICKET_TRANSITION', `ticket ${id} is ${t.status}: no check-in now`);
      const zoneId = registry.asset(assetId)?.zoneId ?? null;
      const now = clock.now();
      sheet(t);
      db.prepare('UPDATE job_sheets SET checkin_ts = ? WHERE ticket_id = ?').run(now, id);
      if (zoneId) roster.locate(me.id, zoneId, 'qr');
      tickets.record(id, actor, 'checked_in', { engineerId: me.id, assetId, zoneId });
      if (t.status !== 'in_progress') t = tickets.transition(id, 'in_progress', actor, undefined, { checkin: assetId });
      return t;
    },

    /** A label opened straight from the phone's camera app: check in to my open job on that asset. */
    checkinByCode(me: Engineer, code: string, actor: string): Ticket {
      const assetId = assetOfCode(code);
      const job = tickets.assignedTo(me.id).find((t) => t.assetId === assetId && CHECKIN_FROM.includes(t.status));
      if (!job) throw new OutpostError('OUTPOST_NOT_FOUND', `you have no open job on asset ${assetId}`);
      return this.checkin(job.id, me, code, actor);
    },

    saveStep(id: string, me: Engineer, stepId: string, p: { done: boolean; value?: number | null; note?: string | null }, actor: string): StepProgress {
      const t = ownJob(id, me);
      if (!sheet(t).steps.some((s) => s.id === stepId)) throw new OutpostError('OUTPOST_NOT_FOUND', `job ${id} has no checklist step "${stepId}"`);
      const row: StepProgress = { stepId, done: p.done, value: p.value ?? null, note: p.note ?? null, ts: clock.now(), by: actor };
      db.prepare(`INSERT INTO job_progress (ticket_id, step_id, done, value, note, ts, by) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (ticket_id, step_id) DO UPDATE SET done = excluded.done, value = excluded.value, note = excluded.note, ts = excluded.ts, by = excluded.by`)
        .run(id, stepId, row.done ? 1 : 0, row.value, row.note, row.ts, actor);
      return row;
    },

    addNote(id: string, me: Engineer, text: string, actor: string): { ts: number; text: string } {
      ownJob(id, me);
      tickets.record(id, actor, 'note', null, text);
      return { ts: clock.now(), text };
    },

    /** A photo as uploaded: its bytes must be a JPEG, PNG or WebP whatever the header said. */
    addPhoto(id: string, me: Engineer, body: Buffer, actor: string): Photo {
      ownJob(id, me);
      const mime = imageType(body);
      if (!mime) {
        deps.metrics.fieldRejected.inc({ code: 'OUTPOST_PHOTO_TYPE' });
        throw new OutpostError('OUTPOST_PHOTO_TYPE', 'a photo must be a JPEG, PNG or WebP image');
      }
      const now = clock.now();
      const p: Photo = { id: newId('PH', now), ticketId: id, ts: now, by: actor, mime, bytes: body.length };
      const file = join(id, `${p.id}.${EXT[mime]}`);
      mkdirSync(join(photoDir, id), { recursive: true });
      writeFileSync(join(photoDir, file), body);
      db.prepare('INSERT INTO job_photos (id, ticket_id, ts, by, mime, bytes, file) VALUES (?, ?, ?, ?, ?, ?, ?)').run(p.id, id, now, actor, mime, body.length, file);
      tickets.record(id, actor, 'photo', { photoId: p.id, bytes: body.length });
      return p;
    },
    photos,
    photoFile(photoId: string): { mime: string; body: Buffer; ticketId: string } {
      const r = db.prepare('SELECT * FROM job_photos WHERE id = ?').get(photoId) as Record<string, unknown> | undefined;
      if (!r) throw new OutpostError('OUTPOST_NOT_FOUND', `photo ${photoId} does not exist`);
      return { mime: r.mime as string, body: readFileSync(join(photoDir, r.file as string)), ticketId: r.ticket_id as string };
    },

    /**
     * The engineer's close-out: stored on the sheet, announced (parts are consumed by dispatch's stock), and the ticket
     * goes to resolved; the box's verification takes it from there for alarm tickets. Unticked steps need a reason.
     */
    signoff(id: string, me: Engineer, b: { notes: string; partsUsed: Part[]; signature: { name: string; png?: string }; incompleteReason?: string }, actor: string): Ticket {
      const t = ownJob(id, me);
      if (t.status !== 'in_progress') throw new OutpostError('OUTPOST_TICKET_TRANSITION', `ticket ${id} is ${t.status}: sign-off needs the job in progress (check in first)`);
      const missing = missingSteps(sheet(t).steps, progress(id));
      if (missing.length && !b.incompleteReason?.trim()) throw new OutpostError('OUTPOST_CHECKLIST_INCOMPLETE', `steps not done: ${missing.join(', ')} (tick them, or give a reason)`);
      if (b.signature.png && !/^data:image\/png;base64,[A-Za-z0-9+/=]+$/.test(b.signature.png)) throw new OutpostError('OUTPOST_BAD_REQUEST', 'a drawn signature must be a PNG data URL');
      const now = clock.now();
      const so: Signoff = { notes: b.notes, partsUsed: b.partsUsed, signature: b.signature, incompleteReason: b.incompleteReason ?? null, missing, by: actor, ts: now };
      transaction(db, () => {
        db.prepare('UPDATE job_sheets SET signoff = ?, signed_ts = ? WHERE ticket_id = ?').run(JSON.stringify(so), now, id);
      });
      tickets.record(id, actor, 'signed_off', { partsUsed: b.partsUsed, missing, signature: b.signature.name, incompleteReason: so.incompleteReason }, b.notes || null);
      bus.emit('job.signed_off', { ticketId: id, engineerId: me.id, partsUsed: b.partsUsed, notes: b.notes, ts: now });
      return tickets.transition(id, 'resolved', actor, b.notes || undefined, { signoff: true });
    },

    /** Engineer moves from the app: everything but resolving (that is the sign-off) and the box's own verify/close. */
    move(id: string, me: Engineer, to: TicketStatus, note: string | undefined, actor: string): Ticket {
      ownJob(id, me);
      if (['resolved', 'verifying', 'closed', 'assigned'].includes(to)) throw new OutpostError('OUTPOST_FORBIDDEN', `the app cannot move a job to ${to}${to === 'resolved' ? ' (sign it off)' : ''}`);
      if (to === 'new' && !note?.trim()) throw new OutpostError('OUTPOST_BAD_REQUEST', 'declining a job needs a reason');
      return tickets.transition(id, to, actor, note);
    },

    me(username: string): Engineer {
      const e = roster.byUsername(username);
      if (!e) throw new OutpostError('OUTPOST_NOT_FOUND', `login ${username} is not on the roster`);
      return e;
    },
  };
}

export type Field = ReturnType<typeof createField>;
