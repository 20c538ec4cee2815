// Work orders: opened from alarms under the rule's ticket policy, one open per (asset, alarm type),
// carrying their evidence, moved through their states with every change in the audit trail.
import type { Bus, Clock } from '../../core/index.ts';
import { newId, OutpostError } from '../../core/index.ts';
import type { Alarm, AlarmRule, Severity, Ticket, TicketSource, TicketStatus, Trade } from '../../domain/index.ts';
import { canMove, impactOf, opensTicket, priorityOf, rank, OPEN_STATUSES, TICKET_MOVES } from '../../domain/index.ts';
import { transaction, type Db } from '../storage/index.ts';
import type { Registry } from '../devices/index.ts';
import type { Metrics } from '../health/index.ts';
import type { Series } from '../readings/index.ts';

export interface TicketEvent { id: number; ts: number; actor: string; kind: string; from: string | null; to: string | null; note: string | null; data: unknown }

export interface Evidence {
  rule: AlarmRule | null;
  alarm: Pick<Alarm, 'id' | 'type' | 'severity' | 'startTs' | 'details'>;
  window: { from: number; to: number };
  series: ({ deviceId: string; point: string } & Series)[];
  /** Preventive work orders: the trend the forecast rule fitted, its band and the predicted crossing (modules/forecast). */
  forecast?: Record<string, unknown>;
}

/** Scheduled maintenance: what fell due and the counters that made it due (modules/usage). */
export interface ScheduleEvidence { kind: 'schedule'; task: Record<string, unknown>; counters: Record<string, number>; reasons: string[]; dueTs: number }

const OPEN_SQL = OPEN_STATUSES.map((s) => `'${s}'`).join(', ');

function rowToTicket(r: Record<string, unknown>): Ticket {
  return {
    id: r.id as string, siteId: r.site_id as string, assetId: (r.asset_id as string) ?? null, alarmType: (r.alarm_type as string) ?? null,
    alarmId: (r.alarm_id as string) ?? null, title: r.title as string, status: r.status as TicketStatus, priority: r.priority as Severity,
    createdTs: r.created_ts as number, updatedTs: r.updated_ts as number, alarmCount: r.alarm_count as number,
    predictedTs: (r.predicted_ts as number) ?? null, source: r.source as TicketSource, category: r.category as Trade,
    zoneId: (r.zone_id as string) ?? null, assignee: (r.assignee as string) ?? null, description: (r.description as string) ?? null,
  };
}

function rowToEvent(e: Record<string, unknown>): TicketEvent {
  return {
    id: e.id as number, ts: e.ts as number, actor: e.actor as string, kind: e.kind as string, from: (e.from_status as string) ?? null,
    to: (e.to_status as string) ?? null, note: (e.note as string) ?? null, data: e.data ? JSON.parse(e.data as string) : null,
  };
}

const INSERT_SQL = `INSERT INTO tickets (id, site_id, asset_id, alarm_type, alarm_id, title, status, priority, created_ts, updated_ts, alarm_count, evidence, predicted_ts,
  source, category, zone_id, assignee, description) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

export function createTickets(
  deps: { db: Db; bus: Bus; clock: Clock; registry: Registry; metrics: Metrics; series: (pointId: number, from: number, to: number) => Series },
  config: { evidenceBeforeS: number },
) {
  const { db, bus, clock, registry, metrics } = deps;
  const addEvent = db.prepare('INSERT INTO ticket_events (ticket_id, ts, actor, kind, from_status, to_status, note, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const outbox = db.prepare('INSERT INTO outbox (ts, topic, payload) VALUES (?, ?, ?)');
  const trailOf = db.prepare('SELECT * FROM ticket_events WHERE ticket_id = ? ORDER BY id');

  function insert(t: Ticket, evidence: unknown, opened: Record<string, unknown>): void {
    transaction(db, () => {
      db.prepare(INSERT_SQL).run(t.id, t.siteId, t.assetId, t.alarmType, t.alarmId, t.title, t.status, t.priority, t.createdTs, t.updatedTs, t.alarmCount,
        evidence === null ? null : JSON.stringify(evidence), t.predictedTs ?? null, t.source, t.category, t.zoneId, t.assignee, t.description);
      addEvent.run(t.id, t.createdTs, (opened.actor as string | undefined) ?? 'system', 'opened', null, 'new', null, JSON.stringify(opened));
      outbox.run(t.createdTs, `ticket/${t.id}`, JSON.stringify(t));
    });
    metrics.ticketsOpened.inc();
    bus.emit('ticket.opened', t);
  }

  /** Priority from impact (the asset's criticality) x urgency. */
  function priorityFor(assetId: string | null, urgency: Severity): Severity {
    return priorityOf(urgency, impactOf(assetId ? registry.asset(assetId)?.criticality : undefined));
  }

  function get(id: string): Ticket {
    const row = db.prepare('SELECT * FROM tickets WHERE id = ?').get(id);
    if (!row) throw new OutpostError('OUTPOST_NOT_FOUND', `ticket ${id} does not exist`);
    return rowToTicket(row as Record<string, unknown>);
  }

  function evidenceFor(alarm: Alarm, rule: AlarmRule | null): Evidence {
    const from = alarm.startTs - config.evidenceBeforeS * 1000;
    const to = clock.now();
    const entry = registry.get(alarm.deviceId);
    const wanted = rule && rule.kind !== 'offline' ? [rule.point] : [];
    // The rule's point first, then the device's other points: the context an engineer reads.
    const keys = entry ? [...wanted, ...[...entry.points.keys()].filter((k) => !wanted.includes(k))] : [];
    const series = keys.map((point) => ({ deviceId: alarm.deviceId, point, ...deps.series(entry!.points.get(point)!.id, from, to) }));
    // A forecast's chart is in its alarm's details; the evidence names it so the dashboard draws it.
    const forecast = rule?.kind === 'forecast' ? (alarm.details.forecast as Record<string, unknown> | undefined) : undefined;
    const details = forecast ? { ...alarm.details, forecast: undefined } : alarm.details;
    return { rule, alarm: { id: alarm.id, type: alarm.type, severity: alarm.severity, startTs: alarm.startTs, details }, window: { from, to }, series, ...(forecast ? { forecast } : {}) };
  }

  /**
   * The stored evidence holds the window before the alarm, captured when the ticket opened. While raw
   * readings are kept, the window is extended to as long after the alarm start as before it, so the
   * chart shows the whole event around the alarm; once they age out, the snapshot stands.
   */
  function around(ev: Evidence | ScheduleEvidence): Evidence | ScheduleEvidence {
    if (!('alarm' in ev)) return ev;
    const to = Math.min(clock.now(), ev.alarm.startTs + config.evidenceBeforeS * 1000);
    if (to <= ev.window.to) return ev;
    const series = ev.series.map((s) => {
      const p = registry.get(s.deviceId)?.points.get(s.point);
      const later = p ? deps.series(p.id, ev.window.from, to) : null;
      return later && later.resolution === 'raw' && later.ts.length >= s.ts.length ? { ...s, ...later } : s;
    });
    return { ...ev, window: { from: ev.window.from, to }, series };
  }

  function titleFor(alarm: Alarm): string {
    const entry = registry.get(alarm.deviceId);
    const asset = alarm.assetId ? registry.asset(alarm.assetId) : undefined;
    const on = asset?.name ?? entry?.device.name ?? alarm.deviceId;
    const rule = entry?.profile.rules.find((r) => r.type === alarm.type);
    if (rule?.kind === 'forecast') return `Preventive: ${rule.of.replaceAll('_', ' ')} predicted on ${on}`;
    return `${alarm.type.replaceAll('_', ' ')} on ${on}`;
  }

  function onAlarm(alarm: Alarm): void {
    const rule = registry.get(alarm.deviceId)?.profile.rules.find((r) => r.type === alarm.type) ?? null;
    if (!rule || !opensTicket(rule.ticket, alarm.severity)) return;
    // A device with no asset stands for itself: its id keys the one-open-ticket rule.
    const assetKey = alarm.assetId ?? alarm.deviceId;
    const now = clock.now();
    const open = db.prepare(`SELECT * FROM tickets WHERE asset_id = ? AND alarm_type = ? AND status IN (${OPEN_SQL})`).get(assetKey, alarm.type);
    if (open) {
      const t = rowToTicket(open as Record<string, unknown>);
      const repeat = t.alarmId !== alarm.id;
      const wanted = priorityFor(alarm.assetId, alarm.severity);
      const priority = rank(wanted) > rank(t.priority) ? wanted : t.priority;
      if (!repeat && priority === t.priority) return;
      const next: Ticket = { ...t, alarmId: alarm.id, priority, alarmCount: t.alarmCount + (repeat ? 1 : 0), updatedTs: now };
      transaction(db, () => {
        db.prepare('UPDATE tickets SET alarm_id = ?, priority = ?, alarm_count = ?, updated_ts = ? WHERE id = ?').run(next.alarmId, next.priority, next.alarmCount, now, t.id);
        addEvent.run(t.id, now, 'system', repeat ? 'alarm_attached' : 'priority_raised', null, null, null, JSON.stringify({ alarmId: alarm.id, severity: alarm.severity }));
        outbox.run(now, `ticket/${t.id}`, JSON.stringify(next));
      });
      bus.emit('ticket.updated', next);
      return;
    }
    const t: Ticket = {
      id: newId('WO', now), siteId: alarm.siteId, assetId: assetKey, alarmType: alarm.type, alarmId: alarm.id, title: titleFor(alarm),
      status: 'new', priority: priorityFor(alarm.assetId, alarm.severity), createdTs: now, updatedTs: now, alarmCount: 1,
      predictedTs: rule.kind === 'forecast' && typeof alarm.details.predictedTs === 'number' ? alarm.details.predictedTs : null,
      source: 'alarm', category: rule.ticket?.category ?? 'general', zoneId: alarm.assetId ? registry.asset(alarm.assetId)?.zoneId ?? null : null,
      assignee: null, description: null,
    };
    insert(t, evidenceFor(alarm, rule), { alarmId: alarm.id, severity: alarm.severity, rule });
  }

  /** The forecast behind an open preventive work order moved: its predicted date and chart follow, noted in the trail. */
  function onForecast(ev: { deviceId: string; type: string; predictedTs: number | null; forecast: Record<string, unknown> }): void {
    const entry = registry.get(ev.deviceId);
    if (!entry) return;
    const assetKey = entry.device.assetId ?? ev.deviceId;
    const row = db.prepare(`SELECT * FROM tickets WHERE asset_id = ? AND alarm_type = ? AND status IN (${OPEN_SQL})`).get(assetKey, ev.type) as Record<string, unknown> | undefined;
    if (!row) return;
    const now = clock.now();
    const evidence = row.evidence ? { ...(JSON.parse(row.evidence as string) as Evidence), forecast: ev.forecast } : null;
    const next: Ticket = { ...rowToTicket(row), predictedTs: ev.predictedTs, updatedTs: now };
    transaction(db, () => {
      db.prepare('UPDATE tickets SET predicted_ts = ?, evidence = ?, updated_ts = ? WHERE id = ?').run(ev.predictedTs, evidence ? JSON.stringify(evidence) : null, now, next.id);
      addEvent.run(next.id, now, 'system', 'forecast_updated', null, null, null, JSON.stringify({ predictedTs: ev.predictedTs, earlyTs: ev.forecast.earlyTs ?? null, lateTs: ev.forecast.lateTs ?? null }));
      outbox.run(now, `ticket/${next.id}`, JSON.stringify(next));
    });
    bus.emit('ticket.updated', next);
  }

  function onAlarmCleared(alarm: Alarm): void {
    const row = db.prepare(`SELECT id FROM tickets WHERE alarm_id = ? AND status IN (${OPEN_SQL})`).get(alarm.id) as { id: string } | undefined;
    if (row) addEvent.run(row.id, clock.now(), 'system', 'alarm_cleared', null, null, null, JSON.stringify({ alarmId: alarm.id, details: alarm.details.cleared ?? null }));
  }

  return {
    start(): void {
      bus.on('alarm.raised', onAlarm);
      bus.on('alarm.updated', onAlarm);
      bus.on('alarm.cleared', onAlarmCleared);
      bus.on('forecast.updated', onForecast);
    },
    stop(): void {
      bus.off('alarm.raised', onAlarm);
      bus.off('alarm.updated', onAlarm);
      bus.off('alarm.cleared', onAlarmCleared);
      bus.off('forecast.updated', onForecast);
    },
    get,
    /**
     * Opens a scheduled-maintenance work order (no alarm behind it) unless one is open for the same asset and
     * type: the one-open rule holds for them too. Returns the new ticket, or null when one was already open.
     */
    openScheduled(o: { siteId: string; assetId: string; type: string; title: string; priority: Severity; evidence: ScheduleEvidence; category?: Trade }): Ticket | null {
      const open = db.prepare(`SELECT id FROM tickets WHERE asset_id = ? AND alarm_type = ? AND status IN (${OPEN_SQL})`).get(o.assetId, o.type);
      if (open) return null;
      const now = clock.now();
      const t: Ticket = {
        id: newId('WO', now), siteId: o.siteId, assetId: o.assetId, alarmType: o.type, alarmId: null, title: o.title,
        status: 'new', priority: o.priority, createdTs: now, updatedTs: now, alarmCount: 0, predictedTs: o.evidence.dueTs,
        source: 'schedule', category: o.category ?? 'mechanical', zoneId: registry.asset(o.assetId)?.zoneId ?? null, assignee: null, description: null,
      };
      insert(t, o.evidence, { scheduled: o.evidence.task, reasons: o.evidence.reasons });
      return t;
    },
    /**
     * A work order someone asked for: an operator on the dashboard, or a resident's report. Priority from the
     * asset's impact and the urgency they chose; the zone from the asset when one is named.
     */
    openManual(o: { siteId: string; assetId?: string | null; zoneId?: string | null; category: Trade; urgency: Severity; title: string; description?: string | null; actor: string; source?: 'manual' | 'report' }): Ticket {
      const now = clock.now();
      const asset = o.assetId ? registry.asset(o.assetId) : undefined;
      if (o.assetId && !asset) throw new OutpostError('OUTPOST_NOT_FOUND', `asset ${o.assetId} does not exist`);
      const t: Ticket = {
        id: newId('WO', now), siteId: o.siteId, assetId: o.assetId ?? null, alarmType: null, alarmId: null, title: o.title,
        status: 'new', priority: priorityFor(o.assetId ?? null, o.urgency), createdTs: now, updatedTs: now, alarmCount: 0, predictedTs: null,
        source: o.source ?? 'manual', category: o.category, zoneId: o.zoneId ?? asset?.zoneId ?? null, assignee: null, description: o.description ?? null,
      };
      insert(t, null, { actor: o.actor, urgency: o.urgency, impact: impactOf(asset?.criticality) });
      return t;
    },
    /**
     * Gives the work order to an engineer: a new one moves to assigned; one already with someone changes hands and
     * waits for the new assignee's answer again. `why` is the dispatch explanation (or the operator's reason).
     */
    assign(id: string, engineerId: string, by: string, why: unknown = null): Ticket {
      const t = get(id);
      if (!OPEN_STATUSES.includes(t.status)) throw new OutpostError('OUTPOST_TICKET_TRANSITION', `ticket ${id} is ${t.status}: it cannot be assigned`);
      const exists = db.prepare('SELECT active FROM engineers WHERE id = ?').get(engineerId) as { active: number } | undefined;
      if (!exists) throw new OutpostError('OUTPOST_NOT_FOUND', `engineer ${engineerId} does not exist`);
      const now = clock.now();
      // Work already on site keeps its state when it changes hands; anything before that waits for the new answer.
      // A fix the box could not verify goes back to waiting for the engineer's answer too.
      const status: TicketStatus = ['new', 'assigned', 'accepted', 'en_route', 'verifying'].includes(t.status) ? 'assigned' : t.status;
      const next: Ticket = { ...t, assignee: engineerId, status, updatedTs: now };
      transaction(db, () => {
        db.prepare('UPDATE tickets SET assignee = ?, status = ?, updated_ts = ? WHERE id = ?').run(engineerId, status, now, id);
        addEvent.run(id, now, by, 'assigned', t.status, status, null, JSON.stringify({ engineerId, previous: t.assignee, why }));
        outbox.run(now, `ticket/${id}`, JSON.stringify(next));
      });
      metrics.ticketsAssigned.inc({ by: ['dispatch', 'escalation', 'verification'].includes(by) ? by : 'operator' });
      bus.emit('ticket.assigned', next, { engineerId, previous: t.assignee, by, why });
      bus.emit('ticket.updated', next);
      return next;
    },
    /** Writes a step into the work order's audit trail (SLA, escalation, dispatch, verification, the app). */
    record(id: string, actor: string, kind: string, data: unknown = null, note: string | null = null): void {
      addEvent.run(id, clock.now(), actor, kind, null, null, note, data === null ? null : JSON.stringify(data));
    },
    /** The audit trail alone, oldest first (SLA clocks are computed from it). */
    trail(id: string): TicketEvent[] {
      return (trailOf.all(id) as Record<string, unknown>[]).map(rowToEvent);
    },
    /** Open work orders of one engineer, most urgent first. */
    assignedTo(engineerId: string): Ticket[] {
      return (db.prepare(`SELECT * FROM tickets WHERE assignee = ? AND status IN (${OPEN_SQL})`).all(engineerId) as Record<string, unknown>[])
        .map(rowToTicket).sort((a, b) => rank(b.priority) - rank(a.priority) || a.createdTs - b.createdTs);
    },
    list(opts: { open?: boolean; limit?: number } = {}): Ticket[] {
      const rows = opts.open
        ? db.prepare(`SELECT * FROM tickets WHERE status IN (${OPEN_SQL}) ORDER BY created_ts DESC LIMIT ?`).all(opts.limit ?? 500)
        : db.prepare('SELECT * FROM tickets ORDER BY created_ts DESC LIMIT ?').all(opts.limit ?? 500);
      return rows.map((r) => rowToTicket(r as Record<string, unknown>));
    },
    /** The ticket with its trail, evidence and the moves allowed from its state (the dashboard draws its buttons from them). */
    detail(id: string): { ticket: Ticket; moves: TicketStatus[]; events: TicketEvent[]; evidence: Evidence | ScheduleEvidence | null } {
      const ticket = get(id);
      const evidence = db.prepare('SELECT evidence FROM tickets WHERE id = ?').get(id) as { evidence: string | null };
      const events = (trailOf.all(id) as Record<string, unknown>[]).map(rowToEvent);
      return { ticket, moves: TICKET_MOVES[ticket.status], events, evidence: evidence.evidence ? around(JSON.parse(evidence.evidence) as Evidence | ScheduleEvidence) : null };
    },
    transition(id: string, to: TicketStatus, actor: string, note?: string, data: unknown = null): Ticket {
      const t = get(id);
      if (!canMove(t.status, to)) throw new OutpostError('OUTPOST_TICKET_TRANSITION', `ticket ${id} cannot move from ${t.status} to ${to}`);
      const now = clock.now();
      // Back to new is a decline or an unassignment: nobody holds it any more, dispatch picks again.
      const assignee = to === 'new' ? null : t.assignee;
      const next: Ticket = { ...t, status: to, assignee, updatedTs: now };
      const stored = data ?? (to === 'new' && t.assignee ? { released: t.assignee } : null);
      transaction(db, () => {
        db.prepare('UPDATE tickets SET status = ?, assignee = ?, updated_ts = ? WHERE id = ?').run(to, assignee, now, id);
        addEvent.run(id, now, actor, 'status', t.status, to, note ?? null, stored === null ? null : JSON.stringify(stored));
        outbox.run(now, `ticket/${id}`, JSON.stringify(next));
      });
      bus.emit('ticket.updated', next);
      return next;
    },
  };
}

export type Tickets = ReturnType<typeof createTickets>;
