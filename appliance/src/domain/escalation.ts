// The escalation ladder: who a work order reaches next, and when, when nobody answers or its SLA is breached.
import type { EngineerRole } from './types.ts';
import { RESPONDED_STATUSES } from './ticket-flow.ts';
import type { ClockState, StatusChange } from './sla-clock.ts';

export type EscalationReason = 'no_ack' | 'response_overdue' | 'resolution_overdue';

/** Level 1: the next engineer (dispatch re-assigns); 2: the site's supervisor; 3: the site manager. */
export const LEVEL_ROLE: Record<number, EngineerRole> = { 1: 'engineer', 2: 'supervisor', 3: 'manager' };

/** A step already in the audit trail. anchorTs tells one no-answer episode from the next. */
export interface TakenStep { ts: number; level: number; reason: EscalationReason; anchorTs: number }

export interface LadderStep { level: number; reason: EscalationReason; role: EngineerRole; anchorTs: number; dueTs: number }

export interface LadderInput {
  changes: StatusChange[];
  taken: TakenStep[];
  /** When someone acknowledged an alert about this work order: the ladder stops climbing past where it stood. */
  acks: number[];
  response: ClockState;
  resolution: ClockState;
  /** How long an assignee has to answer, and the wait between further levels (ms of the policy's calendar). */
  ackMs: number;
  stepMs: number;
  /** Adds time on the policy's calendar (business minutes for business-hours policies). */
  add: (t: number, ms: number) => number;
}

/**
 * The no-answer episode: from the first assignment after the last answer (or the opening) until someone answers.
 * Re-assignments and declines inside it do not restart it: the next engineer gets one step, not a fresh allowance.
 */
function noAnswerSince(changes: StatusChange[]): number | null {
  let anchor: number | null = null;
  for (const c of changes) {
    if (RESPONDED_STATUSES.includes(c.to) || c.to === 'cancelled') anchor = null;
    else if (c.to === 'assigned' && anchor === null) anchor = c.ts;
  }
  return anchor;
}

/** Every step still ahead (due or not), in order: the ones taken or cut off by an acknowledgement are left out. */
export function ladderPlan(i: LadderInput): LadderStep[] {
  const tracks: { reason: EscalationReason; anchorTs: number; levels: [number, number][] }[] = [];
  const anchor = noAnswerSince(i.changes);
  if (anchor !== null) {
    const l1 = i.add(anchor, i.ackMs);
    const l2 = i.add(l1, i.stepMs);
    tracks.push({ reason: 'no_ack', anchorTs: anchor, levels: [[1, l1], [2, l2], [3, i.add(l2, i.stepMs)]] });
  }
  for (const [reason, c] of [['response_overdue', i.response], ['resolution_overdue', i.resolution]] as const) {
    // Only while the clock runs: an answered, resolved or paused work order stops climbing.
    if (c.breachedTs !== null && c.running) tracks.push({ reason, anchorTs: c.breachedTs, levels: [[2, c.breachedTs], [3, i.add(c.breachedTs, i.stepMs)]] });
  }
  const plan: LadderStep[] = [];
  for (const t of tracks) {
    // Overdue steps happen once per work order; no-answer steps once per episode.
    const mine = i.taken.filter((s) => s.reason === t.reason && (t.reason !== 'no_ack' || s.anchorTs === t.anchorTs));
    const ack = i.acks.filter((a) => a >= t.anchorTs).sort((a, b) => a - b)[0];
    const cap = ack === undefined ? Infinity : Math.max(0, ...mine.filter((s) => s.ts <= ack).map((s) => s.level));
    for (const [level, dueTs] of t.levels) {
      if (level > cap || mine.some((s) => s.level === level)) continue;
      plan.push({ level, reason: t.reason, role: LEVEL_ROLE[level], anchorTs: t.anchorTs, dueTs });
    }
  }
  return plan.sort((a, b) => a.dueTs - b.dueTs || a.level - b.level);
}

/** The steps to take now. */
export function dueSteps(i: LadderInput, now: number): LadderStep[] {
  return ladderPlan(i).filter((s) => s.dueTs <= now);
}

/** When the ladder next needs looking at, or null. */
export function nextStepTs(i: LadderInput, now: number): number | null {
  const later = ladderPlan(i).filter((s) => s.dueTs > now);
  return later.length ? later[0].dueTs : null;
}
