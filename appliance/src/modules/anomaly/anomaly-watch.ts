// Runs a streaming detector per (device, anomaly rule) on stored readings and raises or clears the rule's alarm.
import type { Bus, StoredReading } from '../../core/index.ts';
import type { AlarmRule } from '../../domain/index.ts';
import { AnomalyDetector } from '../../domain/anomaly/detector.ts';
import type { Registry, DeviceEntry } from '../devices/index.ts';
import type { Alarms } from '../alarms/index.ts';

type AnomalyRule = Extract<AlarmRule, { kind: 'anomaly' }>;

/** The threshold NAB's optimiser picked for this detector on the labelled subset (BENCHMARKS.md). */
export const DEFAULT_ANOMALY_THRESHOLD = 0.51;
export const DEFAULT_CLEAR_AFTER_S = 900;

interface Watch { detector: AnomalyDetector; lastTs: number; lastAnomalyTs: number; raised: boolean }

export function createAnomalies(deps: { bus: Bus; registry: Registry; alarms: Alarms }) {
  const { bus, registry, alarms } = deps;
  const watches = new Map<string, Watch>();
  const key = (deviceId: string, type: string) => `${deviceId}\u0000${type}`;

  function settle(entry: DeviceEntry, rule: AnomalyRule, to: 'raise' | 'clear', details: Record<string, unknown>, receivedAt?: number): void {
    alarms.apply(entry.device, rule, to === 'raise' ? rule.severity : null, details, receivedAt);
  }

  function onReadings(rows: StoredReading[]): void {
    registry.eachRuleOn(rows, 'anomaly', (r, entry, rule) => {
      const k = key(r.deviceId, rule.type);
      let w = watches.get(k);
      if (!w) {
        // An alarm still active from before a restart is where the watch starts, so it can clear.
        w = { detector: new AnomalyDetector(), lastTs: -Infinity, lastAnomalyTs: -Infinity, raised: alarms.activeFor(r.deviceId, rule.type) !== undefined };
        watches.set(k, w);
      }
      // The detector learns in device time order; a late reading is stored but not judged.
      if (r.ts <= w.lastTs) return;
      w.lastTs = r.ts;
      const score = w.detector.update(r.value, r.ts);
      const threshold = rule.threshold ?? DEFAULT_ANOMALY_THRESHOLD;
      if (score >= threshold) {
        w.lastAnomalyTs = r.ts;
        if (!w.raised) {
          w.raised = true;
          settle(entry, rule, 'raise', { point: rule.point, value: r.value, ts: r.ts, score: Number(score.toFixed(4)), threshold }, r.receivedAt);
        }
      } else if (w.raised && r.ts - w.lastAnomalyTs >= (rule.clearAfterS ?? DEFAULT_CLEAR_AFTER_S) * 1000) {
        w.raised = false;
        settle(entry, rule, 'clear', { point: rule.point, value: r.value, ts: r.ts, quietS: rule.clearAfterS ?? DEFAULT_CLEAR_AFTER_S });
      }
    });
  }

  /** An operator's clear: the next anomalous reading raises a fresh alarm. */
  function onCleared(a: { deviceId: string; type: string }): void {
    const w = watches.get(key(a.deviceId, a.type));
    if (w) w.raised = false;
  }

  return {
    start(): void { bus.on('readings.stored', onReadings); bus.on('alarm.cleared', onCleared); },
    stop(): void { bus.off('readings.stored', onReadings); bus.off('alarm.cleared', onCleared); },
  };
}

export type Anomalies = ReturnType<typeof createAnomalies>;
