// Fix verification: an alarm's work order signed off is watched on live data for a hold period; it closes
// as verified when its readings stay in their normal band, else it goes back to its engineer with the new evidence.
import type { Bus, Clock, StoredReading } from '../../core/index.ts';
import type { Alarm, AlarmRule, Band, HoldState, Ticket, Verdict } from '../../domain/index.ts';
import { emptyHold, holdReading, holdVerdict, normalBand } from '../../domain/index.ts';
import type { Db } from '../storage/index.ts';
import type { Registry } from '../devices/index.ts';
import type { Tickets } from '../tickets/index.ts';
import type { Series } from '../readings/index.ts';
import type { Logger } from '../../core/index.ts';

interface Watch { id: number; ticketId: string; deviceId: string; alarmType: string; band: Band | null; startedTs: number; untilTs: number; hold: HoldState }

export function createVerify(
  deps: { db: Db; bus: Bus; clock: Clock; registry: Registry; tickets: Tickets; logger: Logger; series: (pointId: number, from: number, to: number) => Series },
  config: { holdS: number; minReadings: number; tickMs: number },
) {
  const { db, bus, clock, registry, tickets } = deps;
  /** Watches by device: a reading is judged only against the holds on its own device. */
  const watching = new Map<string, Watch[]>();
  let timer: NodeJS.Timeout | null = null;

  function add(w: Watch): void {
    const list = watching.get(w.deviceId) ?? [];
    list.push(w);
    watching.set(w.deviceId, list);
  }
  function remove(w: Watch): void {
    const list = (watching.get(w.deviceId) ?? []).filter((x) => x !== w);
    if (list.length) watching.set(w.deviceId, list);
    else watching.delete(w.deviceId);
  }

  function ruleOf(deviceId: string, type: string): { rule: AlarmRule; siblings: AlarmRule[] } | null {
    const entry = registry.get(deviceId);
    const rule = entry?.profile.rules.find((r) => r.type === type);
    return rule ? { rule, siblings: entry!.profile.rules } : null;
  }

  /** Replays the stored readings since the hold began: a restart resumes the hold where it was. */
  function replay(w: Watch): void {
    if (!w.band) return;
    const p = registry.get(w.deviceId)?.points.get(w.band.point);
    if (!p) return;
    // Up to the hold's end, not "now": device-stamped readings are judged by when they were measured.
    const s = deps.series(p.id, w.startedTs, w.untilTs);
    if (s.resolution !== 'raw') return;
    for (let i = 0; i < s.ts.length; i++) w.hold = holdReading(w.hold, w.band, s.ts[i], s.values[i]);
  }

  function onUpdated(t: Ticket): void {
    // Deferred: moving the ticket on inside another module's 'resolved' event would reach later listeners first.
    if (t.status === 'resolved' && t.source === 'alarm') queueMicrotask(() => onResolved(t.id));
  }

  function onResolved(ticketId: string): void {
    const t = tickets.get(ticketId);
    if (t.status !== 'resolved' || t.source !== 'alarm' || !t.alarmType || !t.alarmId) return;
    const alarm = db.prepare('SELECT device_id FROM alarms WHERE id = ?').get(t.alarmId) as { device_id: string } | undefined;
    if (!alarm) return;
    const r = ruleOf(alarm.device_id, t.alarmType);
    const band = r ? normalBand(r.rule, r.siblings) : null;
    const now = clock.now();
    const untilTs = now + config.holdS * 1000;
    const id = Number(db.prepare('INSERT INTO verifications (ticket_id, device_id, alarm_type, band, started_ts, until_ts, state) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(t.id, alarm.device_id, t.alarmType, band ? JSON.stringify(band) : null, now, untilTs, 'watching').lastInsertRowid);
    add({ id, ticketId: t.id, deviceId: alarm.device_id, alarmType: t.alarmType, band, startedTs: now, untilTs, hold: emptyHold() });
    tickets.transition(t.id, 'verifying', 'system', undefined, { band, holdS: config.holdS, untilTs, minReadings: config.minReadings });
  }

  function onReadings(readings: StoredReading[]): void {
    if (watching.size === 0) return;
    let failed = false;
    for (const r of readings) {
      const list = watching.get(r.deviceId);
      if (!list) continue;
      for (const w of list) {
        // Rules without a band count every reading of the device as a sign of life; banded ones only their point.
        if (w.band ? w.band.point !== r.point : false) continue;
        // A backlog measured before the sign-off says nothing about the fix (and replay() would not count it either).
        if (r.ts < w.startedTs) continue;
        w.hold = holdReading(w.hold, w.band, r.ts, r.value);
        if (w.hold.failed) failed = true;
      }
    }
    if (failed) check();
  }

  function onAlarm(alarm: Alarm): void {
    for (const w of watching.get(alarm.deviceId) ?? []) {
      if (w.alarmType === alarm.type && !w.hold.failed) w.hold = { ...w.hold, failed: { state: 'failed', reason: 'alarm_again', ts: clock.now() } };
    }
    check();
  }

  /** The readings since sign-off: what the engineer sees when the work order comes back. */
  function evidence(w: Watch, to: number): unknown {
    const entry = registry.get(w.deviceId);
    const keys = w.band ? [w.band.point] : [...(entry?.points.keys() ?? [])];
    return keys.flatMap((point) => {
      const p = entry?.points.get(point);
      return p ? [{ deviceId: w.deviceId, point, ...deps.series(p.id, w.startedTs, to) }] : [];
    });
  }

  function finish(w: Watch, v: Exclude<Verdict, { state: 'watching' }>): void {
    remove(w);
    const now = clock.now();
    db.prepare('UPDATE verifications SET state = ?, result = ? WHERE id = ?').run(v.state, JSON.stringify(v), w.id);
    let t: Ticket;
    try {
      t = tickets.get(w.ticketId);
    } catch {
      return;
    }
    if (t.status !== 'verifying') return; // an operator moved it meanwhile: their call stands
    try {
      if (v.state === 'verified') {
        tickets.transition(w.ticketId, 'closed', 'system', undefined, { verified: true, band: w.band, ...v, holdS: config.holdS });
      } else {
        tickets.record(w.ticketId, 'system', 'verification_failed', { ...v, band: w.band, window: { from: w.startedTs, to: now }, series: evidence(w, now) });
        // Back to the engineer who signed it off: they get the alert again and the SLA ack clock restarts.
        if (t.assignee) tickets.assign(w.ticketId, t.assignee, 'verification', { reopened: true, reason: v.reason });
        else tickets.transition(w.ticketId, 'in_progress', 'system', 'reopened: the fix did not hold');
      }
    } catch (err) {
      deps.logger.error({ err, ticketId: w.ticketId }, 'OUTPOST_VERIFY: could not finish the verification');
    }
  }

  function check(): void {
    const now = clock.now();
    for (const list of [...watching.values()]) {
      for (const w of [...list]) {
        const v = holdVerdict(w.hold, now, w.untilTs, config.minReadings);
        if (v.state !== 'watching') finish(w, v);
      }
    }
  }

  return {
    start(): void {
      for (const r of db.prepare("SELECT * FROM verifications WHERE state = 'watching'").all() as Record<string, unknown>[]) {
        const w: Watch = {
          id: r.id as number, ticketId: r.ticket_id as string, deviceId: r.device_id as string, alarmType: r.alarm_type as string,
          band: r.band ? (JSON.parse(r.band as string) as Band) : null, startedTs: r.started_ts as number, untilTs: r.until_ts as number, hold: emptyHold(),
        };
        replay(w);
        add(w);
      }
      bus.on('ticket.updated', onUpdated);
      bus.on('readings.stored', onReadings);
      bus.on('alarm.raised', onAlarm);
      timer = setInterval(check, config.tickMs);
      timer.unref();
    },
    stop(): void {
      bus.off('ticket.updated', onUpdated);
      bus.off('readings.stored', onReadings);
      bus.off('alarm.raised', onAlarm);
      if (timer) clearInterval(timer);
      timer = null;
    },
    /** Judges the holds now (the tick does this; tests on a manual clock call it directly). */
    check,
    /** The verifications of a work order, newest first, for its page. */
    of(ticketId: string): { state: string; startedTs: number; untilTs: number; band: Band | null; result: unknown }[] {
      return (db.prepare('SELECT * FROM verifications WHERE ticket_id = ? ORDER BY id DESC').all(ticketId) as Record<string, unknown>[]).map((r) => ({
        state: r.state as string, startedTs: r.started_ts as number, untilTs: r.until_ts as number,
        band: r.band ? (JSON.parse(r.band as string) as Band) : null, result: r.result ? JSON.parse(r.result as string) : null,
      }));
    },
  };
}

export type Verify = ReturnType<typeof createVerify>;
