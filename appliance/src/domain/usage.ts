// Usage-based maintenance: run hours, starts and cycles accounted from readings, and when a plan's task falls due. Pure.
import type { Severity } from './types.ts';

/** What an asset has done: seconds running, off->on transitions, cycles of a counter point. */
export interface Usage { runS: number; starts: number; cycles: number }
export const NO_USAGE: Usage = { runS: 0, starts: 0, cycles: 0 };

/** What the next reading is judged against. */
export interface UsageState extends Usage {
  /** Device time of the last running-point reading, and whether it showed the machine running. */
  lastTs: number | null;
  running: boolean | null;
  /** Last raw value of the cycle counter point. */
  lastCount: number | null;
}
export const initialUsage = (): UsageState => ({ ...NO_USAGE, lastTs: null, running: null, lastCount: null });

/**
 * One reading of the running point (e.g. motor current): the machine runs while the value is above
 * `runningAbove`. Time between two readings counts as running when the earlier one was (sample and hold);
 * a gap longer than `maxGapMs` (device offline, data lost) counts nothing, rather than guessing.
 * A start is a reading that runs after one that did not; the first reading ever is no start.
 */
export function accumulateRun(s: UsageState, ts: number, value: number, runningAbove: number, maxGapMs: number): UsageState {
  if (s.lastTs !== null && ts <= s.lastTs) return s;
  const running = value > runningAbove;
  const gap = s.lastTs === null ? 0 : ts - s.lastTs;
  const runS = s.runS + (s.running && gap <= maxGapMs ? gap / 1000 : 0);
  const starts = s.starts + (s.running === false && running ? 1 : 0);
  return { ...s, runS, starts, lastTs: ts, running };
}

/**
 * One reading of a cycle counter point (a device's own count). Cycles add the increase; a value below the
 * last one is a counter reset or rollover, after which the new value is what was counted since.
 */
export function accumulateCount(s: UsageState, raw: number): UsageState {
  if (s.lastCount === null) return { ...s, lastCount: raw };
  const added = raw >= s.lastCount ? raw - s.lastCount : raw;
  return { ...s, cycles: s.cycles + added, lastCount: raw };
}

/** "Every 2000 run hours or 6 months: bearing regrease": whichever comes first. */
export interface MaintenanceTask {
  id: string;
  title: string;
  everyRunH?: number;
  everyStarts?: number;
  everyCycles?: number;
  everyDays?: number;
  priority?: Severity;
}

/** Per asset type: where usage comes from and what is due when. */
export interface MaintenancePlan {
  assetType: string;
  /** Running when this point reads above runningAbove (run hours and starts). */
  running?: { point: string; above: number };
  /** A device counter point for cycles. */
  cycles?: { point: string };
  tasks: MaintenanceTask[];
}

const DAY = 86_400_000;

/** Why a task is due now, counted since it was last done (empty when it is not due). */
export function dueReasons(task: MaintenanceTask, usage: Usage, done: { ts: number; usage: Usage }, now: number): string[] {
  const out: string[] = [];
  const runH = (usage.runS - done.usage.runS) / 3600;
  if (task.everyRunH !== undefined && runH >= task.everyRunH) out.push(`${Math.floor(runH)} run hours (every ${task.everyRunH})`);
  const starts = usage.starts - done.usage.starts;
  if (task.everyStarts !== undefined && starts >= task.everyStarts) out.push(`${starts} starts (every ${task.everyStarts})`);
  const cycles = usage.cycles - done.usage.cycles;
  if (task.everyCycles !== undefined && cycles >= task.everyCycles) out.push(`${cycles} cycles (every ${task.everyCycles})`);
  const days = (now - done.ts) / DAY;
  if (task.everyDays !== undefined && days >= task.everyDays) out.push(`${Math.floor(days)} days (every ${task.everyDays})`);
  return out;
}

/** When the task fell due: the calendar date when that came first, else now (usage is only known as it happens). */
export function dueTs(task: MaintenanceTask, done: { ts: number }, now: number): number {
  return task.everyDays !== undefined ? Math.min(now, done.ts + task.everyDays * DAY) : now;
}

/** How far along each interval is (0..1+), for the asset's maintenance view. */
export function taskProgress(task: MaintenanceTask, usage: Usage, done: { ts: number; usage: Usage }, now: number): Record<string, number> {
  const p: Record<string, number> = {};
  if (task.everyRunH) p.runH = (usage.runS - done.usage.runS) / 3600 / task.everyRunH;
  if (task.everyStarts) p.starts = (usage.starts - done.usage.starts) / task.everyStarts;
  if (task.everyCycles) p.cycles = (usage.cycles - done.usage.cycles) / task.everyCycles;
  if (task.everyDays) p.days = (now - done.ts) / DAY / task.everyDays;
  return p;
}
