// Group commit: readings from many messages share one SQLite transaction, and each message is
// acknowledged only after the transaction that holds it has committed.
import type { Db } from '../storage/index.ts';
import type { Reject } from '../ingest/telemetry.ts';

export interface Row { pointId: number; deviceId: string; point: string; ts: number; value: number; receivedAt: number }
export interface RejectRow extends Reject { deviceId: string; ts: number }

/** Reject rows kept per device: enough to diagnose, bounded so a device flooding garbage cannot fill the disk. */
export const KEEP_REJECT_ROWS = 1000;

export function createWriter(db: Db, opts: { maxRows: number; maxDelayMs: number; onCommit: (rows: Row[], rejects: RejectRow[]) => void }) {
  const insert = db.prepare('INSERT OR IGNORE INTO readings (point_id, ts, value) VALUES (?, ?, ?)');
  const insertReject = db.prepare('INSERT INTO rejected_messages (ts, device_id, code, message) VALUES (?, ?, ?, ?)');
  const countReject = db.prepare('INSERT INTO reject_totals (device_id, count) VALUES (?, ?) ON CONFLICT(device_id) DO UPDATE SET count = count + excluded.count');
  const trimRejects = db.prepare(`DELETE FROM rejected_messages WHERE device_id = ? AND id <= (
    SELECT id FROM rejected_messages WHERE device_id = ? ORDER BY id DESC LIMIT 1 OFFSET ${KEEP_REJECT_ROWS})`);
  let rows: Row[] = [];
  let rejects: RejectRow[] = [];
  let waiting: ((err?: Error) => void)[] = [];
  let timer: NodeJS.Timeout | null = null;

  function flush(): void {
    if (timer) { clearTimeout(timer); timer = null; }
    if (!waiting.length) return;
    const batch = rows, bad = rejects, done = waiting;
    rows = []; rejects = []; waiting = [];
    // Rows the primary key ignored are redeliveries (same point, same ts): stored once, announced once.
    const fresh: Row[] = [];
    try {
      db.exec('BEGIN');
      for (const r of batch) if (insert.run(r.pointId, r.ts, r.value).changes) fresh.push(r);
      for (const r of bad) insertReject.run(r.ts, r.deviceId, r.code, r.message.slice(0, 500));
      if (bad.length) {
        const perDevice = new Map<string, number>();
        for (const r of bad) perDevice.set(r.deviceId, (perDevice.get(r.deviceId) ?? 0) + 1);
        for (const [deviceId, n] of perDevice) { countReject.run(deviceId, n); trimRejects.run(deviceId, deviceId); }
      }
      db.exec('COMMIT');
    } catch (err) {
      try { db.exec('ROLLBACK'); } catch { /* the failed COMMIT already rolled back */ }
      // Not acknowledged: the device keeps the message and sends it again (QoS 1).
      for (const cb of done) cb(err as Error);
      return;
    }
    for (const cb of done) cb();
    opts.onCommit(fresh, bad);
  }

  return {
    /** Queue one message's rows; `done` runs after they are durable. */
    append(newRows: Row[], newRejects: RejectRow[], done: (err?: Error) => void): void {
      for (const r of newRows) rows.push(r);
      for (const r of newRejects) rejects.push(r);
      waiting.push(done);
      if (rows.length >= opts.maxRows) flush();
      else if (!timer) timer = setTimeout(flush, opts.maxDelayMs);
    },
    flush,
  };
}
