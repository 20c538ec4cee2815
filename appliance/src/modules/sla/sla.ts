// SLA clocks and the escalation ladder for open work orders: policies and calendars stored, a cheap tick, every step in the trail.
import type { Bus, Clock, Logger } from '../../core/index.ts';
import { OutpostError } from '../../core/index.ts';
import type { Severity, Ticket, TicketStatus, Trade, EngineerRole } from '../../domain/index.ts';
import {
  ALWAYS, TRADES, OPEN_STATUSES, addWorkingMs, clockAt, calendarProblem, defaultHours, dueSteps, formatHhmm, ladderPlan, nextSlaChange, nextStepTs,
  parseHhmm, ticketSla, type BusinessWindow, type Calendar, type ClockState, type EscalationReason, type LadderInput, type LadderStep,
  type SlaPolicy, type StatusChange, type TakenStep, type TicketSla,
} from '../../domain/index.ts';
import { transaction, type Db } from '../storage/index.ts';
import type { Tickets, TicketEvent } from '../tickets/index.ts';
import type { Roster } from '../roster/index.ts';
import type { Registry } from '../devices/index.ts';
import type { Metrics } from '../health/index.ts';

const MIN = 60_000;
const PRIORITIES: Severity[] = ['CRITICAL', 'MAJOR', 'MINOR', 'WARNING'];

/**
 * What a fresh box promises, the same for every trade: urgent work on the wall clock, the rest in business time
 * (a business day is the default calendar's 8 hours).
 */
export const DEFAULT_POLICIES: Record<Severity, Omit<SlaPolicy, 'category' | 'priority'>> = {
  CRITICAL: { responseMins: 15, resolveMins: 4 * 60, calendar: '24x7' },
  MAJOR: { responseMins: 60, resolveMins: 8 * 60, calendar: '24x7' },
  MINOR: { responseMins: 4 * 60, resolveMins: 3 * 480, calendar: 'business' },
  WARNING: { responseMins: 480, resolveMins: 5 * 480, calendar: 'business' },
};

/** A site's calendar as the API shows it: "HH:MM" windows, named holidays. */
export interface SiteCalendar {
  siteId: string;
  timezone: string;
  hours: { day: number; open: string; close: string }[];
  holidays: { date: string; name: string | null }[];
  /** True while the site has set no hours of its own (Monday to Friday 09:00-17:00). */
  isDefault: boolean;
}

export interface EscalationView { ts: number; level: number; reason: EscalationReason; target: { engineerId?: string; role?: EngineerRole }; name: string | null; dueTs: number | null }

/** A work order's SLA as the API, the dashboard and dispatch read it. */
export interface SlaView {
  policy: SlaPolicy;
  response: ClockState;
  resolution: ClockState;
  paused: boolean;
  /** Either clock breached (now or at any time). */
  breached: boolean;
  escalation: { level: number; steps: EscalationView[]; next: Pick<LadderStep, 'level' | 'reason' | 'role' | 'dueTs'> | null; held: boolean };
  computedTs: number;
}

/** The short form for lists: enough to sort by urgency and colour a row. */
export interface SlaSummary {
  response: Pick<ClockState, 'dueTs' | 'state' | 'usedPct' | 'stopped'>;
  resolution: Pick<ClockState, 'dueTs' | 'state' | 'usedPct' | 'stopped'>;
  paused: boolean;
  breached: boolean;
  level: number;
}

function summary(v: SlaView): SlaSummary {
  const short = (c: ClockState) => ({ dueTs: c.dueTs, state: c.state, usedPct: c.usedPct, stopped: c.stopped });
  return { response: short(v.response), resolution: short(v.resolution), paused: v.paused, breached: v.breached, level: v.escalation.level };
}

export interface SlaConfig { tickS: number; ackMins: Record<Severity, number>; stepMins: number }

const OPEN_SQL = OPEN_STATUSES.map((s) => `'${s}'`).join(', ');

export function createSla(
  deps: { db: Db; bus: Bus; clock: Clock; tickets: Tickets; roster: Roster; registry: Registry; metrics: Metrics; logger: Logger },
  config: SlaConfig,
) {
  const { db, bus, clock, tickets, roster, registry, metrics, logger } = deps;
  const policyStmt = db.prepare('SELECT * FROM sla_policies WHERE category = ? AND priority = ?');
  const hoursStmt = db.prepare('SELECT day, open_min, close_min FROM site_hours WHERE site_id = ? ORDER BY day, open_min');
  const holidaysStmt = db.prepare('SELECT date, name FROM site_holidays WHERE site_id = ? ORDER BY date');
  const dueStmt = db.prepare('SELECT ticket_id FROM ticket_sla WHERE next_check_ts IS NOT NULL AND next_check_ts <= ? ORDER BY next_check_ts');
  const saveStmt = db.prepare(`INSERT INTO ticket_sla (ticket_id, response_due, response_state, resolution_due, resolution_state, paused, breached, level, doc, computed_ts, next_check_ts)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (ticket_id) DO UPDATE SET response_due = excluded.response_due, response_state = excluded.response_state,
    resolution_due = excluded.resolution_due, resolution_state = excluded.resolution_state, paused = excluded.paused, breached = excluded.breached,
    level = excluded.level, doc = excluded.doc, computed_ts = excluded.computed_ts, next_check_ts = excluded.next_check_ts`);
  const docStmt = db.prepare('SELECT doc FROM ticket_sla WHERE ticket_id = ?');
  let timer: NodeJS.Timeout | null = null;

  function rowToPolicy(r: Record<string, unknown>): SlaPolicy {
    return { category: r.category as Trade, priority: r.priority as Severity, responseMins: r.response_mins as number, resolveMins: r.resolve_mins as number, calendar: r.calendar as SlaPolicy['calendar'] };
  }

  function policyFor(category: Trade, priority: Severity): SlaPolicy {
    const r = policyStmt.get(category, priority) as Record<string, unknown> | undefined;
    return r ? rowToPolicy(r) : { category, priority, ...DEFAULT_POLICIES[priority] };
  }

  function siteCalendar(siteId: string): SiteCalendar {
    const hours = hoursStmt.all(siteId) as { day: number; open_min: number; close_min: number }[];
    const windows: BusinessWindow[] = hours.length ? hours.map((h) => ({ day: h.day, open: h.open_min, close: h.close_min })) : defaultHours();
    return {
      siteId, timezone: registry.site(siteId)?.timezone ?? 'UTC',
      hours: windows.map((w) => ({ day: w.day, open: formatHhmm(w.open), close: formatHhmm(w.close) })),
      holidays: (holidaysStmt.all(siteId) as { date: string; name: string | null }[]).map((h) => ({ date: h.date, name: h.name ?? null })),
      isDefault: hours.length === 0,
    };
  }

  function calendarOf(siteId: string, kind: SlaPolicy['calendar']): Calendar {
    if (kind === '24x7') return ALWAYS;
    const c = siteCalendar(siteId);
    const cal: Calendar = { kind: 'business', timezone: c.timezone, hours: c.hours.map((h) => ({ day: h.day, open: parseHhmm(h.open)!, close: parseHhmm(h.close)! })), holidays: c.holidays.map((h) => h.date) };
    // A site whose timezone the runtime does not know still gets clocks: on UTC, with the problem logged.
    if (calendarProblem(cal)) {
      logger.warn({ siteId, problem: calendarProblem(cal) }, 'OUTPOST_SLA_INVALID: site calendar unusable, counting in UTC');
      return { ...cal, timezone: 'UTC' };
    }
    return cal;
  }

  interface Computed { ticket: Ticket; policy: SlaPolicy; cal: Calendar; sla: TicketSla; ladder: LadderInput; events: TicketEvent[] }

  function compute(ticket: Ticket, events: TicketEvent[], now: number): Computed {
    const policy = policyFor(ticket.category, ticket.priority);
    const cal = calendarOf(ticket.siteId, policy.calendar);
    const changes: StatusChange[] = events.filter((e) => e.to).map((e) => ({ ts: e.ts, to: e.to as TicketStatus }));
    const sla = ticketSla(policy, changes, cal, now);
    const taken: TakenStep[] = events.filter((e) => e.kind === 'escalated').map((e) => {
      const d = e.data as { level: number; reason: EscalationReason; anchorTs: number };
      return { ts: e.ts, level: d.level, reason: d.reason, anchorTs: d.anchorTs };
    });
    const acks = events.filter((e) => e.kind === 'escalation_held').map((e) => (e.data as { ackTs: number }).ackTs);
    const ladder: LadderInput = {
      changes, taken, acks, response: sla.response, resolution: sla.resolution,
      ackMs: config.ackMins[ticket.priority] * MIN, stepMs: config.stepMins * MIN, add: (t, ms) => addWorkingMs(cal, t, ms),
    };
    return { ticket, policy, cal, sla, ladder, events };
  }

  function view(c: Computed, now: number): SlaView {
    const steps: EscalationView[] = c.events.filter((e) => e.kind === 'escalated').map((e) => {
      const d = e.data as { level: number; reason: EscalationReason; target: EscalationView['target']; dueTs?: number };
      const name = d.target.engineerId ? roster.get(d.target.engineerId)?.name ?? null : null;
      return { ts: e.ts, level: d.level, reason: d.reason, target: d.target, name, dueTs: d.dueTs ?? null };
    });
    const open = OPEN_STATUSES.includes(c.ticket.status);
    const plan = open ? ladderPlan(c.ladder) : [];
    const next = plan.find((s) => s.dueTs > now) ?? plan[0] ?? null;
    return {
      policy: c.policy, response: c.sla.response, resolution: c.sla.resolution, paused: c.sla.paused,
      breached: c.sla.response.state === 'breached' || c.sla.resolution.state === 'breached',
      escalation: {
        level: steps.reduce((m, s) => Math.max(m, s.level), 0), steps,
        next: next ? { level: next.level, reason: next.reason, role: next.role, dueTs: next.dueTs } : null,
        // Held: an acknowledgement cut steps off the ladder that would otherwise still be ahead.
        held: open && ladderPlan({ ...c.ladder, acks: [] }).length > plan.length,
      },
      computedTs: now,
    };
  }

  function save(c: Computed, now: number): SlaView {
    const v = view(c, now);
    const open = OPEN_STATUSES.includes(c.ticket.status);
    const nexts = open ? [nextSlaChange(c.sla), nextStepTs(c.ladder, now)].filter((x): x is number => x !== null && Number.isFinite(x)) : [];
    const finite = (x: number) => (Number.isFinite(x) ? x : null);
    saveStmt.run(c.ticket.id, finite(v.response.dueTs), v.response.state, finite(v.resolution.dueTs), v.resolution.state, v.paused ? 1 : 0, v.breached ? 1 : 0,
      v.escalation.level, JSON.stringify(v), now, nexts.length ? Math.min(...nexts) : null);
    return v;
  }

  /** Who a level reaches on the ticket's site: the active roster entries with that role (the first is named as the target). */
  function reach(t: Ticket, role: EngineerRole): { target: { engineerId?: string; role: EngineerRole }; reached: string[] } {
    if (role === 'engineer') return { target: { role }, reached: [] };
    const people = roster.list(t.siteId).filter((e) => e.active && e.role === role).map((e) => e.id);
    return { target: people.length ? { role, engineerId: people[0] } : { role }, reached: people };
  }

  /** Records what the clocks crossed and the ladder steps that fell due since the last look, then stores the result. */
  function act(id: string): void {
    const now = clock.now();
    const ticket = tickets.get(id);
    let c = compute(ticket, tickets.trail(id), now);
    const recorded = new Set(c.events.filter((e) => e.kind === 'sla_warning' || e.kind === 'sla_breached').map((e) => `${e.kind}:${(e.data as { clock: string }).clock}`));
    // One commit for the trail lines and the stored clocks (unless a caller already holds a transaction).
    const { changed, escalated } = db.isTransaction ? write() : transaction(db, write);
    // Announced after the trail and the stored clocks agree: a listener (dispatch re-assigning) sees the step done.
    for (const ch of changed) bus.emit('sla.changed', { ticket, ...ch });
    for (const e of escalated) bus.emit('ticket.escalated', { ticket, ...e });

    function write() {
      const changed: { clock: 'response' | 'resolution'; state: 'warning' | 'breached'; dueTs: number }[] = [];
      for (const name of ['response', 'resolution'] as const) {
        const k = c.sla[name];
        // A clock that went straight past its deadline (the box was off) records both crossings, each with its own time.
        if (k.state !== 'ok' && !recorded.has(`sla_warning:${name}`)) {
          tickets.record(id, 'sla', 'sla_warning', { clock: name, at: k.warnTs, dueTs: k.dueTs, usedPct: k.usedPct, policy: c.policy });
          changed.push({ clock: name, state: 'warning', dueTs: k.dueTs });
        }
        if (k.state === 'breached' && !recorded.has(`sla_breached:${name}`)) {
          tickets.record(id, 'sla', 'sla_breached', { clock: name, at: k.breachedTs, dueTs: k.dueTs, overdueMins: k.overdueMins, policy: c.policy });
          metrics.slaBreaches.inc({ clock: name });
          changed.push({ clock: name, state: 'breached', dueTs: k.dueTs });
        }
      }
      const steps = OPEN_STATUSES.includes(ticket.status) ? dueSteps(c.ladder, now) : [];
      const escalated: { level: number; reason: EscalationReason; target: { engineerId?: string; role?: EngineerRole } }[] = [];
      for (const s of steps) {
        const { target, reached } = reach(ticket, s.role);
        const note = s.role !== 'engineer' && reached.length === 0 ? `nobody with role ${s.role} is on the roster of site ${ticket.siteId}` : null;
        tickets.record(id, 'escalation', 'escalated', { level: s.level, reason: s.reason, target, reached, anchorTs: s.anchorTs, dueTs: s.dueTs, assignee: ticket.assignee }, note);
        metrics.escalations.inc({ level: String(s.level), reason: s.reason });
        escalated.push({ level: s.level, reason: s.reason, target });
      }
      if (changed.length || steps.length) c = compute(ticket, tickets.trail(id), now);
      save(c, now);
      return { changed, escalated };
    }
  }

  // A listener may move the ticket while we announce a step (dispatch re-assigns on level 1): look again after, not inside.
  const busy = new Set<string>();
  const again = new Set<string>();
  function refresh(id: string): void {
    if (busy.has(id)) {
      again.add(id);
      return;
    }
    busy.add(id);
    try {
      do {
        again.delete(id);
        act(id);
      } while (again.has(id));
    } catch (err) {
      logger.error({ err, ticketId: id }, 'OUTPOST_SLA: could not evaluate a work order');
    } finally {
      busy.delete(id);
    }
  }

  function refreshOpen(): void {
    for (const r of db.prepare(`SELECT id FROM tickets WHERE status IN (${OPEN_SQL})`).all() as { id: string }[]) refresh(r.id);
  }

  const onTicket = (t: Ticket) => refresh(t.id);
  function onAck(ev: { ticketId: string; engineerId: string; ts: number }): void {
    try {
      const ticket = tickets.get(ev.ticketId);
      if (!OPEN_STATUSES.includes(ticket.status)) return;
      const c = compute(ticket, tickets.trail(ev.ticketId), clock.now());
      const before = ladderPlan(c.ladder);
      const after = ladderPlan({ ...c.ladder, acks: [...c.ladder.acks, ev.ts] });
      // Only an acknowledgement that stops a step ahead is worth a line in the trail.
      if (after.length === before.length) return;
      const level = c.ladder.taken.reduce((m, s) => Math.max(m, s.level), 0);
      tickets.record(ev.ticketId, ev.engineerId, 'escalation_held', { engineerId: ev.engineerId, ackTs: ev.ts, level, stopped: before.length - after.length });
      refresh(ev.ticketId);
    } catch (err) {
      logger.error({ err, ticketId: ev.ticketId }, 'OUTPOST_SLA: could not record an acknowledgement');
    }
  }

  function reject(message: string): never {
    metrics.slaRejected.inc();
    throw new OutpostError('OUTPOST_SLA_INVALID', message);
  }

  function tick(): void {
    for (const r of dueStmt.all(clock.now()) as { ticket_id: string }[]) refresh(r.ticket_id);
  }

  return {
    start(): void {
      // Defaults for any (trade, priority) without a policy, so a fresh box and a new trade are both covered.
      const ins = db.prepare('INSERT OR IGNORE INTO sla_policies (category, priority, response_mins, resolve_mins, calendar) VALUES (?, ?, ?, ?, ?)');
      transaction(db, () => {
        for (const category of TRADES) for (const p of PRIORITIES) ins.run(category, p, DEFAULT_POLICIES[p].responseMins, DEFAULT_POLICIES[p].resolveMins, DEFAULT_POLICIES[p].calendar);
      });
      bus.on('ticket.opened', onTicket);
      bus.on('ticket.updated', onTicket);
      bus.on('alert.acked', onAck);
      // Catch up on what happened while the box was off, and on edited policies or config.
      refreshOpen();
      timer = setInterval(tick, config.tickS * 1000);
      timer.unref();
    },
    stop(): void {
      if (timer) clearInterval(timer);
      timer = null;
      bus.off('ticket.opened', onTicket);
      bus.off('ticket.updated', onTicket);
      bus.off('alert.acked', onAck);
    },
    /** One pass over the work orders whose clocks or ladder are due (the timer calls it; tests call it after moving the clock). */
    tick,
    /** A work order's SLA now, from its trail. */
    slaOf(ticketId: string): SlaView {
      const now = clock.now();
      return view(compute(tickets.get(ticketId), tickets.trail(ticketId), now), now);
    },
    /**
     * The clocks of many work orders in short (the ticket list, dispatch's urgency): live for open ones, as stored when
     * they stopped for the others.
     */
    slaSummary(list: Ticket[]): Map<string, SlaSummary> {
      const out = new Map<string, SlaSummary>();
      const now = clock.now();
      const cals = new Map<string, Calendar>();
      for (const t of list) {
        const r = docStmt.get(t.id) as { doc: string } | undefined;
        if (!r) {
          out.set(t.id, summary(this.slaOf(t.id)));
          continue;
        }
        const v = JSON.parse(r.doc) as SlaView;
        if (OPEN_STATUSES.includes(t.status)) {
          // The stored clocks brought forward: no trail read per row.
          const key = `${t.siteId}|${v.policy.calendar}`;
          let cal = cals.get(key);
          if (!cal) cals.set(key, (cal = calendarOf(t.siteId, v.policy.calendar)));
          v.response = clockAt(v.response, cal, now);
          v.resolution = clockAt(v.resolution, cal, now);
          v.breached = v.response.state === 'breached' || v.resolution.state === 'breached';
        }
        out.set(t.id, summary(v));
      }
      return out;
    },
    policies(): SlaPolicy[] {
      return (db.prepare('SELECT * FROM sla_policies ORDER BY category, priority').all() as Record<string, unknown>[]).map(rowToPolicy);
    },
    policyFor,
    /** Replaces the given (trade, priority) policies; the open work orders' clocks are recomputed under them. */
    setPolicies(list: SlaPolicy[]): SlaPolicy[] {
      for (const p of list) {
        if (!(TRADES as readonly string[]).includes(p.category)) reject(`unknown trade "${p.category}"`);
        if (!PRIORITIES.includes(p.priority)) reject(`unknown priority "${p.priority}"`);
        if (!(p.responseMins > 0 && p.resolveMins > 0)) reject(`${p.category}/${p.priority}: response and resolution minutes must be above 0`);
        if (p.responseMins > p.resolveMins) reject(`${p.category}/${p.priority}: the response time (${p.responseMins} min) is longer than the resolution time (${p.resolveMins} min)`);
        if (p.calendar !== 'business' && p.calendar !== '24x7') reject(`${p.category}/${p.priority}: calendar must be "business" or "24x7"`);
      }
      const up = db.prepare(`INSERT INTO sla_policies (category, priority, response_mins, resolve_mins, calendar) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (category, priority) DO UPDATE SET response_mins = excluded.response_mins, resolve_mins = excluded.resolve_mins, calendar = excluded.calendar`);
      transaction(db, () => {
        for (const p of list) up.run(p.category, p.priority, p.responseMins, p.resolveMins, p.calendar);
      });
      refreshOpen();
      return this.policies();
    },
    calendar(siteId: string): SiteCalendar {
      if (!registry.site(siteId)) throw new OutpostError('OUTPOST_NOT_FOUND', `site ${siteId} does not exist`);
      return siteCalendar(siteId);
    },
    /** Replaces a site's business hours and holidays ("HH:MM" windows; close before open runs past midnight). */
    setCalendar(siteId: string, c: { hours: { day: number; open: string; close: string }[]; holidays: { date: string; name?: string | null }[] }): SiteCalendar {
      const site = registry.site(siteId);
      if (!site) throw new OutpostError('OUTPOST_NOT_FOUND', `site ${siteId} does not exist`);
      const hours: BusinessWindow[] = c.hours.map((h) => {
        const open = parseHhmm(h.open);
        const close = parseHhmm(h.close);
        if (open === null || close === null) reject(`window ${h.open}-${h.close}: times are HH:MM, 00:00 to 24:00`);
        return { day: h.day, open: open === 1440 ? reject('a window cannot open at 24:00') : open, close };
      });
      const problem = calendarProblem({ kind: 'business', timezone: site.timezone, hours, holidays: c.holidays.map((h) => h.date) });
      if (problem) reject(`site ${siteId}: ${problem}`);
      transaction(db, () => {
        db.prepare('DELETE FROM site_hours WHERE site_id = ?').run(siteId);
        db.prepare('DELETE FROM site_holidays WHERE site_id = ?').run(siteId);
        const h = db.prepare('INSERT INTO site_hours (site_id, day, open_min, close_min) VALUES (?, ?, ?, ?)');
        for (const w of hours) h.run(siteId, w.day, w.open, w.close);
        const d = db.prepare('INSERT OR REPLACE INTO site_holidays (site_id, date, name) VALUES (?, ?, ?)');
        for (const x of c.holidays) d.run(siteId, x.date, x.name ?? null);
      });
      refreshOpen();
      return siteCalendar(siteId);
    },
  };
}

export type Sla = ReturnType<typeof createSla>;
