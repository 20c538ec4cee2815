// Verifying a fix from live data: the normal band an alarm's rule implies, and the verdict on a hold period.
import type { AlarmRule } from './types.ts';
import { zoneAsThreshold } from './vibration-zones.ts';

/** Where the point must stay for the fix to count: below `max` and/or above `min`. */
export interface Band { point: string; min?: number; max?: number }

/**
 * The band a threshold-like rule implies: back across its least severe limit by the hysteresis, the same
 * place its alarm clears. Rules without a value limit (rate, anomaly, stale, offline) have no band: for them
 * the fix holds when the alarm does not come back and readings keep arriving.
 */
export function normalBand(rule: AlarmRule, siblings: AlarmRule[]): Band | null {
  const r = rule.kind === 'zone' ? zoneAsThreshold(rule)
    : rule.kind === 'forecast' ? siblings.find((s): s is Extract<AlarmRule, { kind: 'threshold' }> => s.kind === 'threshold' && s.type === rule.of) ?? null
    : rule.kind === 'threshold' ? rule : null;
  if (!r) return null;
  const h = r.hysteresis ?? 0;
  const aboves = r.levels.flatMap((l) => (l.above === undefined ? [] : [l.above]));
  const belows = r.levels.flatMap((l) => (l.below === undefined ? [] : [l.below]));
  const band: Band = { point: r.point };
  if (aboves.length) band.max = Math.min(...aboves) - h;
  if (belows.length) band.min = Math.max(...belows) + h;
  return band;
}

export function inBand(band: Band, value: number): boolean {
  return (band.max === undefined || value <= band.max) && (band.min === undefined || value >= band.min);
}

export type Verdict =
  | { state: 'watching' }
  | { state: 'verified'; readings: number; min: number | null; max: number | null }
  | { state: 'failed'; reason: 'out_of_band' | 'alarm_again' | 'no_data'; ts: number; value?: number };

export interface HoldState { readings: number; min: number | null; max: number | null; failed: Verdict | null }

export const emptyHold = (): HoldState => ({ readings: 0, min: null, max: null, failed: null });

/** One reading during the hold: the first one out of band fails the fix at once (the engineer goes back now, not later). */
export function holdReading(s: HoldState, band: Band | null, ts: number, value: number): HoldState {
  if (s.failed) return s;
  const next = { readings: s.readings + 1, min: s.min === null ? value : Math.min(s.min, value), max: s.max === null ? value : Math.max(s.max, value), failed: null };
  if (band && !inBand(band, value)) return { ...next, failed: { state: 'failed', reason: 'out_of_band', ts, value } };
  return next;
}

/** The verdict at time `now` for a hold ending at `until`: fewer than `minReadings` is no proof that the fix holds. */
export function holdVerdict(s: HoldState, now: number, until: number, minReadings: number): Verdict {
  if (s.failed) return s.failed;
  if (now < until) return { state: 'watching' };
  if (s.readings < minReadings) return { state: 'failed', reason: 'no_data', ts: now };
  return { state: 'verified', readings: s.readings, min: s.min, max: s.max };
}
