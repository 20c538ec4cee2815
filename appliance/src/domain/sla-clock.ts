// SLA clocks of a work order from its status history: response and resolution, pauses, the 80% warning, the breach.
import type { Severity, TicketStatus, Trade } from './types.ts';
import { RESPONDED_STATUSES, PAUSED_STATUSES } from './ticket-flow.ts';
import { addWorkingMs, workingMsBetween, type Calendar } from './business-hours.ts';

const MIN = 60_000;
/** A clock is in warning once this share of its allowed time is used. */
export const WARNING_SHARE = 0.8;

/** What a (trade, priority) is promised: answer within responseMins, fixed within resolveMins, counted on a calendar. */
export interface SlaPolicy { category: Trade; priority: Severity; responseMins: number; resolveMins: number; calendar: 'business' | '24x7' }

export type ClockName = 'response' | 'resolution';
export type SlaState = 'ok' | 'warning' | 'breached';

/** One entry of the work order's audit trail that changed its status (the opening is the change to `new`). */
export interface StatusChange { ts: number; to: TicketStatus }

export interface ClockState {
  allowedMins: number;
  usedMins: number;
  usedPct: number;
  state: SlaState;
  /** The deadline: where it passed (breached), where it stands (running or stopped), or where it would be if work resumed now (paused). */
  dueTs: number;
  /** When the clock reached 80%, or will if it keeps running; null when it never will. */
  warnTs: number | null;
  breachedTs: number | null;
  /** Working minutes past the deadline (so far, or when the clock stopped). */
  overdueMins: number;
  running: boolean;
  paused: boolean;
  /** Stopped for good or for now: answered (response), resolved/closed (resolution), or cancelled. */
  stopped: boolean;
  stoppedTs: number | null;
}

type Mode = 'running' | 'paused' | 'stopped';

/**
 * Response runs from opening until the first answer (any status in RESPONDED_STATUSES); a decline afterwards does not
 * restart it. Resolution runs until resolved, pauses while waiting for parts or the resident, and runs again if a fix
 * is reopened (time spent resolved or verifying does not count). Cancelled stops both.
 */
function modes(clock: ClockName, changes: StatusChange[]): Mode[] {
  let answered = false;
  return changes.map(({ to }) => {
    if (clock === 'response') {
      if (answered || RESPONDED_STATUSES.includes(to)) {
        answered = true;
        return 'stopped';
      }
      return to === 'cancelled' ? 'stopped' : 'running';
    }
    if (PAUSED_STATUSES.includes(to)) return 'paused';
    return ['resolved', 'verifying', 'closed', 'cancelled'].includes(to) ? 'stopped' : 'running';
  });
}

/** One clock at `now`, recomputed from the whole status history (so it survives restarts and policy edits). */
export function slaClock(clock: ClockName, changes: StatusChange[], allowedMins: number, cal: Calendar, now: number): ClockState {
  const allowed = allowedMins * MIN;
  const warnAt = allowed * WARNING_SHARE;
  const ms = modes(clock, changes);
  let used = 0;
  let warnedTs: number | null = null;
  let breachedTs: number | null = null;
  // The deadline and the 80% mark as the latest run of the clock saw them.
  let runDue: number | null = null;
  let runWarn: number | null = null;
  let last: Mode = 'stopped';
  let stopStart: number | null = null;
  for (let i = 0; i < changes.length && changes[i].ts <= now; i++) {
    const s = changes[i].ts;
    if (ms[i] === 'stopped' && last !== 'stopped') stopStart = s;
    if (i === 0 && ms[i] === 'stopped') stopStart = s;
    last = ms[i];
    if (ms[i] !== 'running') continue;
    const e = Math.min(i + 1 < changes.length ? changes[i + 1].ts : now, now);
    const seg = workingMsBetween(cal, s, e);
    runDue = addWorkingMs(cal, s, allowed - used);
    runWarn = addWorkingMs(cal, s, warnAt - used);
    if (warnedTs === null && used + seg >= warnAt) warnedTs = runWarn;
    if (breachedTs === null && used + seg >= allowed) breachedTs = runDue;
    used += seg;
  }
  const running = last === 'running';
  const paused = last === 'paused';
  // Paused: the deadline moves with the wait, as if work resumed now.
  const dueTs = breachedTs ?? (paused ? addWorkingMs(cal, now, allowed - used) : runDue ?? addWorkingMs(cal, changes[0]?.ts ?? now, allowed));
  const warnTs = warnedTs ?? (running ? runWarn : paused ? addWorkingMs(cal, now, warnAt - used) : null);
  const state: SlaState = used >= allowed ? 'breached' : used >= warnAt ? 'warning' : 'ok';
  return {
    allowedMins, usedMins: round1(used / MIN), usedPct: allowed > 0 ? Math.round((used / allowed) * 100) : 100, state, dueTs,
    warnTs, breachedTs, overdueMins: round1(Math.max(0, used - allowed) / MIN), running, paused, stopped: last === 'stopped', stoppedTs: last === 'stopped' ? stopStart : null,
  };
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}

export interface TicketSla { response: ClockState; resolution: ClockState; paused: boolean }

/** Both clocks of a work order. */
export function ticketSla(policy: Pick<SlaPolicy, 'responseMins' | 'resolveMins'>, changes: StatusChange[], cal: Calendar, now: number): TicketSla {
  const response = slaClock('response', changes, policy.responseMins, cal, now);
  const resolution = slaClock('resolution', changes, policy.resolveMins, cal, now);
  return { response, resolution, paused: resolution.paused };
}

/** The next instant a running clock changes state (warning or breach), or null: the tick need not look before it. */
export function nextSlaChange(sla: TicketSla): number | null {
  let next: number | null = null;
  for (const c of [sla.response, sla.resolution]) {
    if (!c.running || c.state === 'breached') continue;
    const at = c.state === 'ok' && c.warnTs !== null ? c.warnTs : c.dueTs;
    next = next === null ? at : Math.min(next, at);
  }
  return next;
}

/**
 * A clock computed earlier, brought forward to `now` without its history (lists of many work orders): exact while
 * its state holds, which the tick guarantees by looking again at every warning and deadline.
 */
export function clockAt(c: ClockState, cal: Calendar, now: number): ClockState {
  const allowed = c.allowedMins * MIN;
  if (c.running) {
    const used = now < c.dueTs ? allowed - workingMsBetween(cal, now, c.dueTs) : allowed + workingMsBetween(cal, c.dueTs, now);
    const state: SlaState = used >= allowed ? 'breached' : used >= allowed * WARNING_SHARE ? 'warning' : 'ok';
    return { ...c, state, usedMins: round1(used / MIN), usedPct: allowed > 0 ? Math.round((used / allowed) * 100) : 100, overdueMins: round1(Math.max(0, used - allowed) / MIN) };
  }
  if (c.paused && c.breachedTs === null) {
    const used = c.usedMins * MIN;
    return { ...c, dueTs: addWorkingMs(cal, now, allowed - used), warnTs: c.state === 'ok' ? addWorkingMs(cal, now, allowed * WARNING_SHARE - used) : c.warnTs };
  }
  return c;
}
