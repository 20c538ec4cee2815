// Watches the points of forecast rules: keeps each one's recent window, fits the trend, and raises or clears the preventive alarm.
import type { Bus, StoredReading } from '../../core/index.ts';
import type { AlarmRule, ThresholdLevel } from '../../domain/index.ts';
import { fitTrend, bucketMeans, forecastCrossing, forecastHolds, forecastChart, earliestForecast, rank, type Sample } from '../../domain/index.ts';
import type { Registry, DeviceEntry } from '../devices/index.ts';
import type { Alarms } from '../alarms/index.ts';
import type { Series } from '../readings/index.ts';

type ForecastRule = Extract<AlarmRule, { kind: 'forecast' }>;

/** At most this many points enter the O(n²) Theil-Sen fit: the window is averaged into equal slices beyond it. */
const FIT_POINTS = 120;
/** A window of raw samples is capped; older ones fall out first. */
const MAX_SAMPLES = 20_000;

/** The limit of a threshold rule: its lowest level, the first one an alarm would enter. */
export function limitOf(rule: AlarmRule | undefined): { limit: number; direction: 'above' | 'below'; level: ThresholdLevel } | null {
  if (!rule || rule.kind !== 'threshold' || !rule.levels.length) return null;
  const level = [...rule.levels].sort((a, b) => rank(a.severity) - rank(b.severity))[0];
  if (level.above !== undefined) return { limit: level.above, direction: 'above', level };
  if (level.below !== undefined) return { limit: level.below, direction: 'below', level };
  return null;
}

/**
 * A standing forecast is re-announced when its crossing moved by more than a tenth of the time that was left
 * (or appeared or vanished): the work order follows a drift that speeds up or slows down, without an update per refit.
 */
function moved(sent: number | null | undefined, next: number | null, nowTs: number): boolean {
  if (sent === undefined) return false;
  if (sent === null || next === null) return sent !== next;
  return Math.abs(next - sent) > 0.1 * Math.max(sent - nowTs, 60_000);
}

export function createForecasts(deps: { bus: Bus; registry: Registry; alarms: Alarms; series?: (pointId: number, from: number, to: number) => Series }) {
  const { bus, registry, alarms } = deps;
  const windows = new Map<string, { samples: Sample[]; lastEval: number; sentTs?: number | null }>();
  const key = (deviceId: string, type: string) => `${deviceId}\u0000${type}`;

  function evaluate(entry: DeviceEntry, rule: ForecastRule, w: { samples: Sample[]; lastEval: number; sentTs?: number | null }): void {
    const lim = limitOf(entry.profile.rules.find((r) => r.type === rule.of));
    if (!lim) return;
    const windowMs = rule.windowS * 1000, leadMs = rule.leadTimeS * 1000;
    const nowTs = w.samples[w.samples.length - 1][0];
    // Judge only a window that is at least half full, with enough samples for the t quantile to settle.
    if (w.samples.length < 10 || nowTs - w.samples[0][0] < windowMs / 2) return;
    // Two scales: the whole window, and its last third (an accelerating drift shows there first).
    const candidates = [{ scale: 'window', samples: w.samples }, { scale: 'recent', samples: w.samples.filter(([t]) => t >= nowTs - windowMs / 3) }]
      .filter((c) => c.samples.length >= 10)
      .flatMap((c) => {
        const fitted = bucketMeans(c.samples, FIT_POINTS);
        const fit = fitTrend(fitted);
        return fit ? [{ ...c, fitted, fit, fc: forecastCrossing(fit, lim.limit, lim.direction, nowTs, 20 * leadMs) }] : [];
      });
    if (!candidates.length) return;
    const { scale, fitted, fit, fc } = earliestForecast(candidates);
    const active = alarms.activeFor(entry.device.id, rule.type) !== undefined;
    const holds = forecastHolds(fc, leadMs, active);
    if (holds === active && !(active && moved(w.sentTs, fc.crossingTs, nowTs))) return;
    const { device } = entry;
    const summary = {
      point: rule.point, of: rule.of, limit: lim.limit, direction: lim.direction, ts: nowTs,
      predictedTs: fc.crossingTs, earlyTs: fc.earlyTs, lateTs: fc.lateTs,
      slopePerHour: Number(fc.slopePerHour.toFixed(4)), trendNow: Number(fc.trendNow.toFixed(3)), leadTimeS: rule.leadTimeS, windowS: rule.windowS,
      scale, fittedFromTs: Math.round(fitted[0][0]),
    };
    const chart = holds ? { ...summary, ...forecastChart(fit, fitted, fc, leadMs) } : null;
    const details = chart ? { ...summary, forecast: chart } : summary;
    w.sentTs = holds ? fc.crossingTs : undefined;
    if (chart && active) {
      // Once the trend stands past the limit the prediction has come true and the threshold rule has
      // the point: the work order keeps the forecast made before the crossing as its evidence.
      const crossed = lim.direction === 'above' ? fc.trendNow >= lim.limit : fc.trendNow <= lim.limit;
      if (!crossed) bus.emit('forecast.updated', { deviceId: device.id, type: rule.type, predictedTs: fc.crossingTs, forecast: chart });
      return;
    }
    alarms.apply(device, rule, holds ? rule.severity : null, details);
  }

  function onReadings(rows: StoredReading[]): void {
    const dirty = new Map<string, [DeviceEntry, ForecastRule]>();
    registry.eachRuleOn(rows, 'forecast', (r, entry, rule) => {
      const k = key(r.deviceId, rule.type);
      let w = windows.get(k);
      if (!w) {
        // A window starts from what is stored, so a restart does not wait half a window before forecasting again.
        const p = entry.points.get(rule.point);
        const stored = p && deps.series ? deps.series(p.id, r.ts - rule.windowS * 1000, r.ts - 1) : null;
        w = { samples: stored ? stored.ts.map((t, i) => [t, stored.values[i]] as Sample) : [], lastEval: -Infinity };
        windows.set(k, w);
      }
      const last = w.samples[w.samples.length - 1];
      // Device time only moves forward here, as in the rules engine.
      if (last && r.ts <= last[0]) return;
      w.samples.push([r.ts, r.value]);
      const cut = r.ts - rule.windowS * 1000;
      let drop = 0;
      while (drop < w.samples.length && w.samples[drop][0] < cut) drop++;
      if (w.samples.length - drop > MAX_SAMPLES) drop = w.samples.length - MAX_SAMPLES;
      if (drop) w.samples.splice(0, drop);
      dirty.set(k, [entry, rule]);
    });
    for (const [k, [entry, rule]] of dirty) {
      const w = windows.get(k)!;
      const nowTs = w.samples[w.samples.length - 1][0];
      // Refit at most 30 times per window length: the trend does not change faster than that.
      if (nowTs - w.lastEval < (rule.windowS * 1000) / 30) continue;
      w.lastEval = nowTs;
      evaluate(entry, rule, w);
    }
  }

  return {
    start(): void { bus.on('readings.stored', onReadings); },
    stop(): void { bus.off('readings.stored', onReadings); windows.clear(); },
  };
}

export type Forecasts = ReturnType<typeof createForecasts>;
