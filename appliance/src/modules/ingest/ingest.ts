// Ingest: decode a device's telemetry, keep the latest value per point, and hand rows to the group-commit writer.
import type { Bus, Clock, Logger } from '../../core/index.ts';
import type { Registry, DeviceEntry } from '../devices/index.ts';
import type { Metrics } from '../health/index.ts';
import type { Db } from '../storage/index.ts';
import { createWriter, type Row, type RejectRow } from '../readings/index.ts';
import { decodeTelemetry, decodeEvent, checkValue, type Reject, type DecodedEvent, type DecodedReading } from './telemetry.ts';

export interface IngestConfig {
  maxFutureSkewS: number;
  rawRetentionDays: number;
  batchMaxRows: number;
  batchMaxDelayMs: number;
}

export interface LatestValue { deviceId: string; point: string; ts: number; value: number }

const KEEP_REJECTS = 20;

export function createIngest(deps: { db: Db; bus: Bus; clock: Clock; registry: Registry; metrics: Metrics; logger: Logger }, config: IngestConfig) {
  const { bus, clock, registry, metrics } = deps;
  const latest = new Map<number, LatestValue>();
  const rejectStats = new Map<string, { count: number; last: RejectRow[] }>();
  const lastStamp = new Map<string, number>();

  const insertEvent = deps.db.prepare('INSERT INTO device_events (device_id, ts, code, text, received_ts) VALUES (?, ?, ?, ?, ?)');
  const writer = createWriter(deps.db, {
    maxRows: config.batchMaxRows,
    maxDelayMs: config.batchMaxDelayMs,
    onCommit(rows) {
      metrics.readingsIngested.inc(rows.length);
      metrics.ingestBatch.observe(rows.length);
      for (const r of rows) {
        const cur = latest.get(r.pointId);
        if (!cur || r.ts >= cur.ts) latest.set(r.pointId, { deviceId: r.deviceId, point: r.point, ts: r.ts, value: r.value });
      }
      if (rows.length) bus.emit('readings.stored', rows);
    },
  });

  function countRejects(deviceId: string, rejects: Reject[], now: number): RejectRow[] {
    if (!rejects.length) return [];
    const stats = rejectStats.get(deviceId) ?? { count: 0, last: [] };
    const rows = rejects.map((r) => ({ ...r, deviceId, ts: now }));
    for (const r of rows) {
      metrics.readingsRejected.inc({ device: deviceId, code: r.code });
      bus.emit('device.rejected', { deviceId, code: r.code, message: r.message, ts: now });
    }
    stats.count += rows.length;
    stats.last = [...rows, ...stats.last].slice(0, KEEP_REJECTS);
    rejectStats.set(deviceId, stats);
    return rows;
  }

  /** The device's entry, touched as seen; a device deleted mid-session is a counted reject instead. */
  function knownDevice(deviceId: string, now: number, done: (err?: Error) => void): DeviceEntry | null {
    const entry = registry.get(deviceId);
    if (!entry) {
      countRejects(deviceId, [{ code: 'OUTPOST_NOT_FOUND', message: `device ${deviceId} is not configured` }], now);
      done();
      return null;
    }
    registry.touch(deviceId, now);
    return entry;
  }

  /** One message's good readings and rejects into the group commit; `done` once they are durable. */
  function append(deviceId: string, now: number, readings: DecodedReading[], rejects: Reject[], done: (err?: Error) => void): void {
    const rows: Row[] = readings.map((r) => ({ ...r, deviceId, receivedAt: now }));
    writer.append(rows, countRejects(deviceId, rejects, now), done);
  }

  return {
    start(): void {
      // Warm the latest-value map so the dashboard shows values right after a restart. One index probe
      // per point (the (point_id, ts) key read backwards): a GROUP BY over the table would scan days of rows.
      const newest = deps.db.prepare('SELECT ts, value FROM readings WHERE point_id = ? ORDER BY ts DESC LIMIT 1');
      for (const e of registry.devices()) {
        for (const [point, p] of e.points) {
          const row = newest.get(p.id) as { ts: number; value: number } | undefined;
          if (row) latest.set(p.id, { deviceId: e.device.id, point, ts: row.ts, value: row.value });
        }
      }
      // Reject counts and the last rejects per device come back from SQLite, so the dashboard keeps them.
      rejectStats.clear();
      for (const r of deps.db.prepare('SELECT device_id AS deviceId, count AS n FROM reject_totals').all() as { deviceId: string; n: number }[]) {
        const last = deps.db.prepare('SELECT ts, device_id AS deviceId, code, message FROM rejected_messages WHERE device_id = ? ORDER BY id DESC LIMIT ?').all(r.deviceId, KEEP_REJECTS) as unknown as RejectRow[];
        rejectStats.set(r.deviceId, { count: r.n, last });
      }
    },
    stop(): void {
      writer.flush();
    },

    /** One telemetry message from an authenticated device; `done` after it is durable (the PUBACK waits on it). */
    acceptTelemetry(deviceId: string, payload: Buffer, done: (err?: Error) => void): void {
      const now = clock.now();
      const entry = knownDevice(deviceId, now, done);
      if (!entry) return;
      const decoded = decodeTelemetry(payload, entry.points, {
        now, maxFutureSkewMs: config.maxFutureSkewS * 1000, oldestTs: now - config.rawRetentionDays * 86_400_000,
      });
      // Two unstamped messages from one device in the same millisecond must not collide on (point, ts):
      // the box's stamps for a device only move forward.
      if (decoded.stamped && decoded.readings.length) {
        const ts = Math.max(now, (lastStamp.get(deviceId) ?? 0) + 1);
        lastStamp.set(deviceId, ts);
        for (const r of decoded.readings) r.ts = ts;
      }
      append(deviceId, now, decoded.readings, decoded.rejects, done);
    },

    /**
     * Readings a poller fetched (Modbus): the same checks as MQTT telemetry, the same group commit, rules and
     * latest values; `done` after they are durable.
     */
    acceptReadings(deviceId: string, readings: { point: string; ts: number; value: number }[], done: (err?: Error) => void): void {
      const now = clock.now();
      const entry = knownDevice(deviceId, now, done);
      if (!entry) return;
      const good: DecodedReading[] = [];
      const bad: Reject[] = [];
      for (const r of readings) {
        const c = checkValue(entry.points, r.point, r.value, r.ts);
        if ('code' in c) bad.push(c); else good.push(c);
      }
      append(deviceId, now, good, bad, done);
    },

    /** A device's fault code: stored at once (events are rare) before the PUBACK, then announced. */
    acceptEvent(deviceId: string, payload: Buffer, done: (err?: Error) => void): void {
      const now = clock.now();
      const out = decodeEvent(payload, { now, maxFutureSkewMs: config.maxFutureSkewS * 1000, oldestTs: 0 });
      if ('reject' in out) return writer.append([], countRejects(deviceId, [out.reject], now), done);
      try {
        insertEvent.run(deviceId, out.event.ts, out.event.code, out.event.text, now);
      } catch (err) {
        return done(err as Error);
      }
      bus.emit('device.event', { deviceId, ...out.event });
      done();
    },
    events: (deviceId: string, limit = 50) =>
      deps.db.prepare('SELECT ts, code, text FROM device_events WHERE device_id = ? ORDER BY ts DESC, id DESC LIMIT ?').all(deviceId, limit) as unknown as DecodedEvent[],

    /** A message refused before decoding (too large, wrong topic kind): counted against the device. */
    rejectMessage(deviceId: string, reject: Reject, done: (err?: Error) => void): void {
      writer.append([], countRejects(deviceId, [reject], clock.now()), done);
    },

    latest: (): LatestValue[] => [...latest.values()],
    latestOf(deviceId: string): Map<string, LatestValue> {
      const out = new Map<string, LatestValue>();
      const entry = registry.get(deviceId);
      if (entry) for (const [key, p] of entry.points) { const l = latest.get(p.id); if (l) out.set(key, l); }
      return out;
    },
    rejects: (deviceId: string) => rejectStats.get(deviceId) ?? { count: 0, last: [] },
    flush: () => writer.flush(),
  };
}

export type Ingest = ReturnType<typeof createIngest>;
