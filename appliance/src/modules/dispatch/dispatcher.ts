// Smart dispatch: picks the engineer for a new, declined or unanswered work order, reserves its part, explains why.
import type { Bus, Clock, Logger } from '../../core/index.ts';
import { OutpostError } from '../../core/index.ts';
import type { Engineer, Ticket } from '../../domain/index.ts';
import { localTime, rankCandidates, readProfile, OPEN_STATUSES, type Candidate, type DispatchTicket, type Ranking, type Weights } from '../../domain/index.ts';
import type { Db } from '../storage/index.ts';
import type { Registry } from '../devices/index.ts';
import type { Tickets } from '../tickets/index.ts';
import type { Roster } from '../roster/index.ts';
import type { SiteMap } from './site-map.ts';
import type { Parts, SparePart } from './parts.ts';

export interface DispatchConfig { enabled: boolean; weights: Weights; locationFreshMin: number; minutesPerOpenJob: number; retryS: number }

export interface CandidateList extends Ranking { ticketId: string; part: { sku: string; name: string; nameZh: string } | null }

const OPEN_SQL = OPEN_STATUSES.map((s) => `'${s}'`).join(', ');

export function createDispatcher(
  deps: { db: Db; bus: Bus; clock: Clock; logger: Logger; registry: Registry; tickets: Tickets; roster: Roster; siteMap: SiteMap; parts: Parts; deadline?: (t: Ticket) => number | null },
  config: DispatchConfig,
) {
  const { db, bus, clock, logger, registry, tickets, roster, siteMap, parts } = deps;
  const loadSql = db.prepare(`SELECT assignee, COUNT(*) AS n FROM tickets WHERE assignee IS NOT NULL AND status IN (${OPEN_SQL}) GROUP BY assignee`);
  const declinedSql = db.prepare(`SELECT data FROM ticket_events WHERE ticket_id = ? AND kind = 'status' AND to_status = 'new' AND data IS NOT NULL`);
  const waitingSql = db.prepare("SELECT id FROM tickets WHERE status = 'new' AND assignee IS NULL ORDER BY created_ts");
  /** Deadlines the SLA module announced (warning/breach events carry them) when no deadline hook is wired. */
  const dueTs = new Map<string, number>();
  /** Tickets whose "nobody available" is already in the trail, with the reasons then: said once, not every retry. */
  const noted = new Map<string, string>();
  let timer: NodeJS.Timeout | null = null;
  /**
   * Each site's roster as last read: a decision would otherwise parse 200 profiles again (most of its time).
   * Dropped on every roster edit and location change, the only ways it changes (roster.upsert, roster.locate).
   */
  const people = new Map<string, Engineer[]>();
  const siteRoster = (siteId: string): Engineer[] => {
    let list = people.get(siteId);
    if (!list) { list = roster.list(siteId); people.set(siteId, list); }
    return list;
  };
  const forget = () => { people.clear(); };

  function declinedBy(ticketId: string): Set<string> {
    const out = new Set<string>();
    for (const r of declinedSql.all(ticketId) as { data: string }[]) {
      const d = JSON.parse(r.data) as { released?: string };
      if (d.released) out.add(d.released);
    }
    return out;
  }

  function dispatchTicket(t: Ticket): DispatchTicket {
    const asset = t.assetId ? registry.asset(t.assetId) : undefined;
    return {
      id: t.id, category: t.category, priority: t.priority, zoneId: t.zoneId, createdTs: t.createdTs, assetType: asset?.type ?? null,
      criticality: asset?.criticality, dueTs: deps.deadline?.(t) ?? dueTs.get(t.id) ?? null,
    };
  }

  function needs(t: Ticket): SparePart | null {
    const asset = t.assetId ? registry.asset(t.assetId) : undefined;
    return parts.needFor(t, asset?.type ?? null);
  }

  /** The ranked, explained list for one work order; `exclude` adds people taken out for this decision (the one who did not answer). */
  function candidates(ticketId: string, exclude: string[] = []): CandidateList {
    const t = tickets.get(ticketId);
    const now = clock.now();
    const site = registry.site(t.siteId);
    const engineers = siteRoster(t.siteId);
    const load = new Map((loadSql.all() as { assignee: string; n: number }[]).map((r) => [r.assignee, r.n]));
    // This ticket is not part of its own assignee's load.
    if (t.assignee && OPEN_STATUSES.includes(t.status)) load.set(t.assignee, Math.max(0, (load.get(t.assignee) ?? 1) - 1));
    const declined = declinedBy(t.id);
    for (const e of exclude) declined.add(e);
    const part = needs(t);
    const walk = siteMap.matrix();
    const ranking = rankCandidates(dispatchTicket(t), engineers, {
      now, local: localTime(now, site?.timezone ?? 'UTC'), walk: walk.minutes, weights: config.weights, load, declined,
      part: part ? { sku: part.sku, holders: parts.holders(t.siteId, part.sku, t.id) } : null,
      locationFreshMin: config.locationFreshMin, minutesPerOpenJob: config.minutesPerOpenJob,
    });
    return { ticketId: t.id, part: part ? { sku: part.sku, name: part.nameEn, nameZh: part.nameZh } : null, ...ranking };
  }

  /** What the trail keeps: the winner's factors and shares, the runners-up, the part and who was filtered out. */
  function explain(list: CandidateList, c: Candidate) {
    return {
      engineerId: c.engineerId, name: c.name, total: c.total, factors: c.factors, fromZoneId: c.fromZoneId, travelMin: c.travelMin,
      part: list.part ? { ...list.part, from: c.partFrom } : null,
      runnersUp: list.ranked.filter((r) => r !== c).slice(0, 3).map((r) => ({ engineerId: r.engineerId, name: r.name, total: r.total })),
      excluded: list.excluded.length, requiredLevel: list.requiredLevel, deadline: list.deadline, timeLeftMin: list.timeLeftMin,
    };
  }

  /** Picks and assigns; returns the engineer id, or null when nobody can take it now (noted in the trail once). */
  function decide(ticketId: string, by: 'dispatch' | 'escalation', exclude: string[] = []): string | null {
    const t = tickets.get(ticketId);
    if (!OPEN_STATUSES.includes(t.status)) return null;
    const list = candidates(ticketId, exclude);
    const best = list.ranked[0];
    if (!best) {
      // A site where nobody has a rota (shifts or on-call) is not dispatching at all: operators assign by hand
      // there, and the trail stays quiet rather than saying "nobody available" on every ticket.
      if (!engineersOnRota(tickets.get(ticketId).siteId)) return null;
      const reasons = list.excluded.map((x) => `${x.engineerId}:${x.reasons.join('+')}`).join(' ');
      if (noted.get(ticketId) !== reasons) {
        noted.set(ticketId, reasons);
        tickets.record(ticketId, by, 'dispatch_none', { excluded: list.excluded, part: list.part, requiredLevel: list.requiredLevel, certificates: list.certificates });
      }
      return null;
    }
    noted.delete(ticketId);
    const why = explain(list, best);
    tickets.assign(ticketId, best.engineerId, by, why);
    return best.engineerId;
  }

  function engineersOnRota(siteId: string): boolean {
    return siteRoster(siteId).some((e) => { const p = readProfile(e.profile); return (p.shifts?.length ?? 0) > 0 || (p.onCall?.length ?? 0) > 0; });
  }

  /** Keeps the part with the work order: released when it changes hands, reserved for the new assignee. */
  function reserveFor(t: Ticket, engineerId: string, preferred: string | null): void {
    parts.release(t.id);
    const part = needs(t);
    if (!part) return;
    const e = roster.get(engineerId);
    const van = e ? readProfile(e.profile).vanStoreId ?? null : null;
    const holders = parts.holders(t.siteId, part.sku);
    const pick = holders.find((h) => h.storeId === preferred) ?? holders.find((h) => h.storeId === van) ?? nearestStore(e, holders);
    if (!pick) {
      tickets.record(t.id, 'dispatch', 'parts_unavailable', { sku: part.sku, name: part.nameEn });
      return;
    }
    const r = parts.reserve(t.id, engineerId, pick.storeId, part.sku, 1);
    tickets.record(t.id, 'dispatch', 'parts_reserved', { reservationId: r.id, sku: part.sku, name: part.nameEn, storeId: pick.storeId, qty: 1 });
  }

  function nearestStore(e: Engineer | undefined, holders: { storeId: string; kind: string; zoneId: string | null }[]) {
    const sites = holders.filter((h) => h.kind === 'site');
    const from = e?.locationZoneId ?? (e ? readProfile(e.profile).homeZoneId ?? readProfile(e.profile).zones?.[0] : undefined);
    if (!from) return sites[0];
    const m = siteMap.matrix();
    return sites.sort((a, b) => (a.zoneId ? m.minutes(from, a.zoneId) : Infinity) - (b.zoneId ? m.minutes(from, b.zoneId) : Infinity))[0];
  }

  /** Every unassigned new work order gets another go (someone checked in, came on shift or was added). */
  function retryWaiting(): number {
    let n = 0;
    for (const { id } of waitingSql.all() as { id: string }[]) if (safe(() => decide(id, 'dispatch'))) n++;
    return n;
  }

  function safe<T>(fn: () => T): T | null {
    try { return fn(); } catch (err) {
      logger.error({ err }, 'OUTPOST_DISPATCH: decision failed');
      return null;
    }
  }

  // Dispatch runs after the event that caused it has reached every listener (queued as a microtask), so the
  // others see 'opened' before 'assigned'.
  const later = (fn: () => void) => queueMicrotask(() => { safe(fn); });

  const onOpened = (t: Ticket) => later(() => { decide(t.id, 'dispatch'); });
  const onUpdated = (t: Ticket) => {
    if (t.status === 'cancelled' || t.status === 'closed') { later(() => { parts.release(t.id); dueTs.delete(t.id); noted.delete(t.id); }); return; }
    // Back to new with nobody on it: declined or unassigned; the part goes back and dispatch tries the next one.
    if (t.status === 'new' && t.assignee === null) later(() => { parts.release(t.id); decide(t.id, 'dispatch'); });
  };
  const onAssigned = (t: Ticket, a: { engineerId: string; previous: string | null; by: string; why: unknown }) => later(() => {
    // Back to the same engineer (a fix that did not hold): what they hold, or used, stays as it is.
    if (a.previous === a.engineerId) return;
    const why = a.why as { part?: { from?: { storeId?: string } | null } | null } | null;
    reserveFor(t, a.engineerId, why?.part?.from?.storeId ?? null);
  });
  const onEscalated = (ev: { ticket: Ticket; level: number; reason: string; target: { engineerId?: string } }) => {
    if (ev.level !== 1 || ev.reason !== 'no_ack') return;
    // The one who did not answer is skipped for this pick (not barred for good, unlike a decline).
    const silent = ev.ticket.assignee ? [ev.ticket.assignee] : [];
    later(() => { decide(ev.ticket.id, 'escalation', silent); });
  };
  const onSla = (ev: { ticket: Ticket; dueTs: number }) => { dueTs.set(ev.ticket.id, ev.dueTs); };
  const onLocated = () => later(() => { retryWaiting(); });
  const onSignedOff = (ev: { ticketId: string; engineerId: string; partsUsed: { sku: string; qty: number }[] }) => later(() => {
    const t = tickets.get(ev.ticketId);
    const e = roster.get(ev.engineerId);
    const res = parts.consume(t.id, ev.engineerId, e ? readProfile(e.profile).vanStoreId ?? null : null, t.siteId, ev.partsUsed.filter((p) => p.qty > 0));
    tickets.record(t.id, ev.engineerId, 'parts_consumed', res);
  });

  return {
    start(): void {
      // The cached roster follows every change even with dispatch off: the candidates list is still served.
      bus.on('roster.changed', forget);
      bus.on('engineer.located', forget);
      if (!config.enabled) return;
      bus.on('ticket.opened', onOpened);
      bus.on('ticket.updated', onUpdated);
      bus.on('ticket.assigned', onAssigned);
      bus.on('ticket.escalated', onEscalated);
      bus.on('sla.changed', onSla);
      bus.on('engineer.located', onLocated);
      bus.on('job.signed_off', onSignedOff);
      parts.checkAll();
      // Shifts start on the clock, not on an event: look again for work nobody could take.
      timer = setInterval(() => { safe(retryWaiting); }, config.retryS * 1000);
      timer.unref();
    },
    stop(): void {
      bus.off('roster.changed', forget);
      bus.off('engineer.located', forget);
      if (timer) clearInterval(timer);
      timer = null;
      bus.off('ticket.opened', onOpened);
      bus.off('ticket.updated', onUpdated);
      bus.off('ticket.assigned', onAssigned);
      bus.off('ticket.escalated', onEscalated);
      bus.off('sla.changed', onSla);
      bus.off('engineer.located', onLocated);
      bus.off('job.signed_off', onSignedOff);
    },
    candidates,
    decide,
    retryWaiting,
    /** A ticket's reservations, for GET /api/v1/tickets/:id/parts. */
    reservations(ticketId: string) {
      tickets.get(ticketId);
      return parts.reservations(ticketId);
    },
    assertTicket(ticketId: string): void {
      if (!db.prepare('SELECT 1 FROM tickets WHERE id = ?').get(ticketId)) throw new OutpostError('OUTPOST_NOT_FOUND', `ticket ${ticketId} does not exist`);
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
