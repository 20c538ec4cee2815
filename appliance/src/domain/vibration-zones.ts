// Vibration severity zones of ISO 10816-3 (carried into ISO 20816-3): boundaries by machine group and foundation, and a classifier.
import type { AlarmRule, Severity, ThresholdLevel } from './types.ts';
import { evaluateThreshold, type Outcome, type RuleState } from './alarm-rules.ts';

export type MachineGroup = 1 | 2;
export type Foundation = 'rigid' | 'flexible';
export type VibrationZone = 'A' | 'B' | 'C' | 'D';

/**
 * Zone boundaries, broad-band velocity r.m.s. (mm/s, 10-1000 Hz), measured on bearing housings.
 * ISO 10816-3:2009 Annex A: Table A.1, group 1 (large machines 300 kW-50 MW; electrical machines with shaft
 * height H >= 315 mm) and Table A.2, group 2 (medium machines 15-300 kW; electrical machines 160 <= H < 315 mm).
 * The same values stand as the group 1 / group 2 boundaries of ISO 20816-3:2022.
 * Zone A: newly commissioned machines; B: unrestricted long-term operation; C: unsatisfactory for long-term
 * continuous operation, run for a limited period until a suitable repair; D: severe enough to cause damage.
 */
export const ISO_10816_3: Record<MachineGroup, Record<Foundation, { AB: number; BC: number; CD: number }>> = {
  1: { rigid: { AB: 2.3, BC: 4.5, CD: 7.1 }, flexible: { AB: 3.5, BC: 7.1, CD: 11.0 } },
  2: { rigid: { AB: 1.4, BC: 2.8, CD: 4.5 }, flexible: { AB: 2.3, BC: 4.5, CD: 7.1 } },
};

/** The zone of a velocity reading; a value on a boundary belongs to the worse zone (the tables give "up to" values). */
export function vibrationZone(mmPerS: number, group: MachineGroup, foundation: Foundation): VibrationZone {
  const b = ISO_10816_3[group][foundation];
  if (mmPerS >= b.CD) return 'D';
  if (mmPerS >= b.BC) return 'C';
  if (mmPerS >= b.AB) return 'B';
  return 'A';
}

export type ZoneRule = Extract<AlarmRule, { kind: 'zone' }>;

/** Default severities: C asks for planned repair (WARNING), D for action now (MAJOR). */
export const ZONE_SEVERITY: { C: Severity; D: Severity } = { C: 'WARNING', D: 'MAJOR' };

/** A zone rule is a threshold rule at the table's B/C and C/D boundaries: same durations, hysteresis and clearing. */
export function zoneAsThreshold(rule: ZoneRule): Extract<AlarmRule, { kind: 'threshold' }> {
  const b = ISO_10816_3[rule.machineGroup][rule.foundation];
  const sev = { ...ZONE_SEVERITY, ...(rule.severities ?? {}) };
  // "Above" is strict in threshold rules; the zone starts at the boundary, so nudge by a hair below it.
  const at = (v: number) => v - 1e-9;
  const levels: ThresholdLevel[] = [
    { severity: sev.C, above: at(b.BC), forS: rule.forS },
    { severity: sev.D, above: at(b.CD), forS: rule.forS },
  ];
  return { kind: 'threshold', type: rule.type, point: rule.point, levels, hysteresis: rule.hysteresis, ticket: rule.ticket };
}

/** Evaluates a zone rule as its threshold levels; the verdict names the zone, so the alarm says "zone D", not just a number. */
export function evaluateZone(rule: ZoneRule, state: RuleState, ts: number, value: number): Outcome {
  const out = evaluateThreshold(zoneAsThreshold(rule), state, ts, value);
  if (!out.change) return out;
  const zone = vibrationZone(value, rule.machineGroup, rule.foundation);
  return { ...out, change: { ...out.change, details: { ...out.change.details, zone, machineGroup: rule.machineGroup, foundation: rule.foundation, standard: 'ISO 10816-3' } } };
}

/** The zone of a point's latest value, when a zone rule of the profile classifies that point. */
export function pointZone(rules: AlarmRule[], point: string, value: number | null): VibrationZone | null {
  const rule = rules.find((r): r is ZoneRule => r.kind === 'zone' && r.point === point);
  return rule && value !== null ? vibrationZone(value, rule.machineGroup, rule.foundation) : null;
}
