// The alarm store: one active alarm per (device, type), severity moves, ack and clear, each change to the outbox.
import type { Bus, Clock } from '../../core/index.ts';
import { newId, OutpostError } from '../../core/index.ts';
import type { Alarm, AlarmRule, Severity } from '../../domain/index.ts';
import { ack as ackAlarm, clear as clearAlarm, changeSeverity, isActive } from '../../domain/index.ts';
import { transaction, type Db } from '../storage/index.ts';
import type { Metrics } from '../health/index.ts';

const key = (deviceId: string, type: string) => `${deviceId}\u0000${type}`;

function rowToAlarm(r: Record<string, unknown>): Alarm {
  return {
    id: r.id as string, siteId: r.site_id as string, assetId: (r.asset_id as string) ?? null, deviceId: r.device_id as string,
    type: r.type as string, severity: r.severity as Severity, status: r.status as Alarm['status'], ruleKind: r.rule_kind as Alarm['ruleKind'],
    startTs: r.start_ts as number, updateTs: r.update_ts as number, ackTs: (r.ack_ts as number) ?? null, clearTs: (r.clear_ts as number) ?? null,
    details: JSON.parse(r.details as string),
  };
}

export function createAlarms(deps: { db: Db; bus: Bus; clock: Clock; metrics: Metrics }) {
  const { db, bus, clock, metrics } = deps;
  const active = new Map<string, Alarm>();
  const insert = db.prepare(`INSERT INTO alarms (id, site_id, asset_id, device_id, type, severity, status, rule_kind, start_ts, update_ts, ack_ts, clear_ts, details)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const update = db.prepare('UPDATE alarms SET severity = ?, status = ?, update_ts = ?, ack_ts = ?, clear_ts = ?, details = ? WHERE id = ?');
  const outbox = db.prepare('INSERT INTO outbox (ts, topic, payload) VALUES (?, ?, ?)');

  function save(a: Alarm, isNew: boolean): void {
    try {
      transaction(db, () => {
        if (isNew) insert.run(a.id, a.siteId, a.assetId, a.deviceId, a.type, a.severity, a.status, a.ruleKind, a.startTs, a.updateTs, a.ackTs, a.clearTs, JSON.stringify(a.details));
        else update.run(a.severity, a.status, a.updateTs, a.ackTs, a.clearTs, JSON.stringify(a.details), a.id);
        outbox.run(a.updateTs, `alarm/${a.id}`, JSON.stringify(a));
      });
    } catch (err) {
      throw new OutpostError('OUTPOST_STORAGE', `alarm ${a.id} not saved: ${(err as Error).message}`);
    }
    if (isActive(a)) active.set(key(a.deviceId, a.type), a); else active.delete(key(a.deviceId, a.type));
  }

  function find(id: string): Alarm {
    const row = db.prepare('SELECT * FROM alarms WHERE id = ?').get(id);
    if (!row) throw new OutpostError('OUTPOST_NOT_FOUND', `alarm ${id} does not exist`);
    return rowToAlarm(row as Record<string, unknown>);
  }

  return {
    start(): void {
      active.clear();
      for (const r of db.prepare("SELECT * FROM alarms WHERE status IN ('ACTIVE_UNACK', 'ACTIVE_ACK')").all()) {
        const a = rowToAlarm(r as Record<string, unknown>); active.set(key(a.deviceId, a.type), a);
      }
    },
    stop(): void {},

    /** Applies a rule's verdict on a device (the originator): raise, move severity, or clear (to = null). */
    apply(device: { id: string; siteId: string; assetId: string | null }, rule: AlarmRule, to: Severity | null, details: Record<string, unknown>, receivedAt?: number): Alarm | null {
      const now = clock.now();
      const current = active.get(key(device.id, rule.type));
      if (to === null) {
        if (!current) return null;
        const cleared = clearAlarm(current, now, details)!;
        save(cleared, false);
        bus.emit('alarm.cleared', cleared);
        return cleared;
      }
      if (!current) {
        const a: Alarm = {
          id: newId('AL', now), siteId: device.siteId, assetId: device.assetId, deviceId: device.id, type: rule.type, severity: to, status: 'ACTIVE_UNACK', ruleKind: rule.kind,
          startTs: now, updateTs: now, ackTs: null, clearTs: null, details: { ...details, rule },
        };
        save(a, true);
        metrics.alarmsRaised.inc({ severity: to });
        if (receivedAt !== undefined) metrics.alarmLatency.observe(Math.max(0, clock.now() - receivedAt) / 1000);
        bus.emit('alarm.raised', a, { receivedAt });
        return a;
      }
      if (current.severity === to) return current;
      const moved = changeSeverity(current, to, now, { ...details, rule });
      save(moved, false);
      bus.emit('alarm.updated', moved);
      return moved;
    },

    ack(id: string): Alarm {
      const a = find(id);
      const next = ackAlarm(a, clock.now());
      if (!next) throw new OutpostError('OUTPOST_ALARM_TRANSITION', `alarm ${id} is already acknowledged (${a.status})`);
      save(next, false);
      bus.emit('alarm.updated', next);
      return next;
    },
    /** An operator's clear: the rule forgets its state, so a condition that persists raises a fresh alarm. */
    clear(id: string, by: string): Alarm {
      const a = find(id);
      const next = clearAlarm(a, clock.now(), { by });
      if (!next) throw new OutpostError('OUTPOST_ALARM_TRANSITION', `alarm ${id} is already cleared (${a.status})`);
      save(next, false);
      bus.emit('alarm.cleared', next);
      return next;
    },
    get: find,
    activeFor: (deviceId: string, type: string): Alarm | undefined => active.get(key(deviceId, type)),
    active: (): Alarm[] => [...active.values()],
    list(opts: { active?: boolean; limit?: number } = {}): Alarm[] {
      const rows = opts.active
        ? db.prepare("SELECT * FROM alarms WHERE status IN ('ACTIVE_UNACK', 'ACTIVE_ACK') ORDER BY start_ts DESC LIMIT ?").all(opts.limit ?? 500)
        : db.prepare('SELECT * FROM alarms ORDER BY start_ts DESC LIMIT ?').all(opts.limit ?? 500);
      return rows.map((r) => rowToAlarm(r as Record<string, unknown>));
    },
  };
}

export type Alarms = ReturnType<typeof createAlarms>;
