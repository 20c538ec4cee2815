// Reading history: raw rows while they are kept, 1-minute rollups beyond, and the job that makes them.
import { transaction, type Db } from '../storage/index.ts';

export interface Series { resolution: 'raw' | '1m'; ts: number[]; values: number[] }

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Spans longer than this read the rollups even while raw rows exist: a chart needs no more. */
const RAW_SPAN_MAX = 6 * 3_600_000;

export function createQueries(db: Db, retention: { rawDays: number; rollupDays: number }) {
  const rawQ = db.prepare('SELECT ts, value FROM readings WHERE point_id = ? AND ts >= ? AND ts <= ? ORDER BY ts');
  const rollQ = db.prepare('SELECT ts, avg AS value FROM readings_1m WHERE point_id = ? AND ts >= ? AND ts <= ? ORDER BY ts');
  const getMeta = db.prepare('SELECT value FROM meta WHERE key = ?');
  const setMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');

  return {
    series(pointId: number, from: number, to: number, now: number): Series {
      const useRaw = from >= now - retention.rawDays * DAY && to - from <= RAW_SPAN_MAX;
      const rows = (useRaw ? rawQ : rollQ).all(pointId, from, to) as { ts: number; value: number }[];
      return { resolution: useRaw ? 'raw' : '1m', ts: rows.map((r) => r.ts), values: rows.map((r) => r.value) };
    },

    /**
     * Rolls complete minutes into readings_1m (re-rolling a 5-minute overlap so late readings count),
     * then drops raw rows and rollups past their retention. Returns the rows rolled and deleted.
     */
    maintain(now: number): { rolled: number; rawDeleted: number; rollupsDeleted: number } {
      const upTo = Math.floor(now / MINUTE) * MINUTE;
      const mark = getMeta.get('rollup_watermark') as { value: string } | undefined;
      const first = mark ? Number(mark.value) - 5 * MINUTE : ((db.prepare('SELECT MIN(ts) AS t FROM readings').get() as { t: number | null }).t ?? upTo);
      const from = Math.floor(first / MINUTE) * MINUTE;
      return transaction(db, () => {
        const rolled = db.prepare(`INSERT OR REPLACE INTO readings_1m (point_id, ts, n, min, max, avg)
          SELECT point_id, (ts / ${MINUTE}) * ${MINUTE}, COUNT(*), MIN(value), MAX(value), AVG(value)
          FROM readings WHERE ts >= ? AND ts < ? GROUP BY point_id, ts / ${MINUTE}`).run(from, upTo).changes;
        setMeta.run('rollup_watermark', String(upTo));
        const rawDeleted = db.prepare('DELETE FROM readings WHERE ts < ?').run(Math.min(now - retention.rawDays * DAY, upTo)).changes;
        const rollupsDeleted = db.prepare('DELETE FROM readings_1m WHERE ts < ?').run(now - retention.rollupDays * DAY).changes;
        db.prepare('DELETE FROM rejected_messages WHERE ts < ?').run(now - retention.rawDays * DAY);
        return { rolled: Number(rolled), rawDeleted: Number(rawDeleted), rollupsDeleted: Number(rollupsDeleted) };
      });
    },
  };
}

/** Runs rollup and retention on an interval; a failure is logged and retried next time, never fatal. */
export function createMaintenance(queries: ReturnType<typeof createQueries>, now: () => number, intervalS: number, onError: (err: Error) => void) {
  let timer: NodeJS.Timeout | null = null;
  const run = () => { try { return queries.maintain(now()); } catch (err) { onError(err as Error); return null; } };
  return {
    start(): void { timer = setInterval(run, intervalS * 1000); timer.unref(); },
    stop(): void { if (timer) clearInterval(timer); timer = null; },
    run,
  };
}
