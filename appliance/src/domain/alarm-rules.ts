// Pure alarm-rule evaluation: (rule, state, input) -> (state, change). No clocks, no I/O.
import type { AlarmRule, Severity, ThresholdLevel } from './types.ts';
import { highest, rank } from './severity.ts';

/** A change the alarm model must apply: raise or move to `to`, or clear when `to` is null. */
export interface RuleChange {
  to: Severity | null;
  details: Record<string, unknown>;
}

export interface RuleState {
  /** Severity the rule currently holds the alarm at; null when inactive. */
  current: Severity | null;
  /** threshold: when each level's condition started holding (ms), by level index. */
  since?: (number | null)[];
  /** rate: the window of recent samples. */
  window?: [number, number][];
  /** stale: last time a reading arrived (box clock). */
  lastSeen?: number;
}

export interface Outcome {
  state: RuleState;
  change: RuleChange | null;
}

export function initialState(rule: AlarmRule, now: number): RuleState {
  switch (rule.kind) {
    case 'threshold': return { current: null, since: rule.levels.map(() => null) };
    case 'rate': return { current: null, window: [] };
    case 'stale': return { current: null, lastSeen: now };
    case 'offline': return { current: null };
    case 'zone': return { current: null, since: [null, null] };
    case 'forecast': return { current: null };
    case 'anomaly': return { current: null };
  }
}

function beyond(level: ThresholdLevel, v: number, slack = 0): boolean {
  if (level.above !== undefined) return v > level.above - slack;
  if (level.below !== undefined) return v < level.below + slack;
  return false;
}

function settle(state: RuleState, next: Severity | null, details: Record<string, unknown>): Outcome {
  const change = next === state.current ? null : { to: next, details };
  return { state: { ...state, current: next }, change };
}

/**
 * A threshold level is entered once its condition has held for `forS`. An active alarm keeps a
 * level (at or below its current one) while the value stays within `hysteresis` of the limit, so
 * a value hovering at the limit does not flap. It clears when no level is entered or kept.
 */
export function evaluateThreshold(rule: Extract<AlarmRule, { kind: 'threshold' }>, state: RuleState, ts: number, value: number): Outcome {
  const hysteresis = rule.hysteresis ?? 0;
  const since = rule.levels.map((level, i) => (beyond(level, value) ? (state.since?.[i] ?? ts) : null));
  const entered = rule.levels.filter((level, i) => since[i] !== null && ts - (since[i] as number) >= (level.forS ?? 0) * 1000);
  const kept = state.current === null
    ? []
    : rule.levels.filter((level) => rank(level.severity) <= rank(state.current as Severity) && beyond(level, value, hysteresis));
  const next = highest([...entered, ...kept].map((l) => l.severity));
  const level = rule.levels.find((l) => l.severity === next);
  return settle({ ...state, since }, next, { point: rule.point, value, ts, limit: level?.above ?? level?.below, levels: rule.levels, hysteresis });
}

/** Least-squares slope in units per minute over the samples in the window. */
export function slopePerMin(samples: [number, number][]): number {
  const n = samples.length;
  if (n < 2) return 0;
  const t0 = samples[0][0];
  let sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const [t, v] of samples) {
    const x = (t - t0) / 60_000;
    sx += x; sy += v; sxx += x * x; sxy += x * v;
  }
  const den = n * sxx - sx * sx;
  return den === 0 ? 0 : (n * sxy - sx * sy) / den;
}

/** Raises when |slope| over a filled window exceeds maxPerMin; clears below 80% of it (hysteresis). */
export function evaluateRate(rule: Extract<AlarmRule, { kind: 'rate' }>, state: RuleState, ts: number, value: number): Outcome {
  const windowMs = rule.windowS * 1000;
  const window = [...(state.window ?? []).filter(([t]) => t > ts - windowMs && t < ts), [ts, value] as [number, number]].slice(-512);
  const covered = window.length >= 3 && ts - window[0][0] >= windowMs / 2;
  const slope = slopePerMin(window);
  let next = state.current;
  if (covered && Math.abs(slope) > rule.maxPerMin) next = rule.severity;
  else if (state.current !== null && Math.abs(slope) <= rule.maxPerMin * 0.8) next = null;
  return settle({ ...state, window }, next, { point: rule.point, value, ts, slopePerMin: Number(slope.toFixed(4)), maxPerMin: rule.maxPerMin, windowS: rule.windowS });
}

/** Any reading of the point clears a stale alarm and restarts the wait. */
export function staleSeen(rule: Extract<AlarmRule, { kind: 'stale' }>, state: RuleState, now: number): Outcome {
  return settle({ ...state, lastSeen: now }, null, { point: rule.point, ts: now });
}

export function staleTick(rule: Extract<AlarmRule, { kind: 'stale' }>, state: RuleState, now: number): Outcome {
  const silentS = (now - (state.lastSeen ?? now)) / 1000;
  if (silentS < rule.afterS) return { state, change: null };
  return settle(state, rule.severity, { point: rule.point, silentS: Math.round(silentS), afterS: rule.afterS, lastSeenTs: state.lastSeen });
}

export function evaluateStatus(rule: Extract<AlarmRule, { kind: 'offline' }>, state: RuleState, online: boolean, ts: number): Outcome {
  return settle(state, online ? null : rule.severity, { online, ts });
}
